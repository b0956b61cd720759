/*
 * lreader.c - the reader functions of the hgq Lua module.
 */
#include "lhgq.h"

void hgq_lua_open_reader(lua_State *L)
{
    (void)L;
}
