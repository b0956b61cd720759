/*
 * lwriter.c - the writer functions of the hgq Lua module.
 */
#include "lhgq.h"

void hgq_lua_open_writer(lua_State *L)
{
    (void)L;
}
