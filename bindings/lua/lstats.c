/*
 * lstats.c - the stats functions of the hgq Lua module.
 */
#include "lhgq.h"

void hgq_lua_open_stats(lua_State *L)
{
    (void)L;
}
