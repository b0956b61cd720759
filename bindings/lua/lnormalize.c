/*
 * lnormalize.c - the value normalisers of the hgq Lua module.
 */
#include "lhgq.h"

void hgq_lua_open_normalize(lua_State *L)
{
    (void)L;
}
