/*
 * lmodel.c - the model functions of the hgq Lua module.
 */
#include "lhgq.h"

void hgq_lua_open_model(lua_State *L)
{
    (void)L;
}
