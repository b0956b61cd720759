/*
 * lhgq.c - the hgq Lua module: luaopen_hgq assembles the areas.
 */
#include "lhgq.h"

int luaopen_hgq(lua_State *L);

int luaopen_hgq(lua_State *L)
{
    lua_newtable(L);
    hgq_lua_open_core(L);
    hgq_lua_open_reader(L);
    hgq_lua_open_model(L);
    hgq_lua_open_stats(L);
    hgq_lua_open_writer(L);
    hgq_lua_open_normalize(L);
    return 1;
}
