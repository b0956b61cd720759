/*
 * lcore.c - module-wide pieces of the hgq Lua module: version, errors,
 * options and result tables, classes, date values, conversion of values
 * and origins.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lhgq.h"

#define DATE_MT "hgq.date"

int hgq_lua_fail(lua_State *L, const hgq_error *err)
{
    char msg[2048];
    hgq_error_format(err, msg, sizeof msg);
    lua_pushnil(L);
    lua_pushstring(L, msg);
    lua_pushstring(L, hgq_status_name(err->code));
    return 3;
}

void *hgq_lua_check_open(lua_State *L, int idx, const char *tname, const char *what)
{
    void **ud = luaL_checkudata(L, idx, tname);
    if (*ud == NULL)
        luaL_error(L, "attempt to use a closed %s", what);
    return *ud;
}

/* {====================================================================
 * Options tables and result tables
 * ===================================================================== */

void hgq_lua_check_keys(lua_State *L, int arg, int idx, const char *const keys[],
                        const char *what)
{
    idx = lua_absindex(L, idx);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int i, known = 0;
        lua_pop(L, 1);
        if (lua_type(L, -1) == LUA_TSTRING) {
            const char *k = lua_tostring(L, -1);
            for (i = 0; keys[i]; i++)
                if (strcmp(keys[i], k) == 0)
                    known = 1;
        }
        if (!known) {
            const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
            luaL_argerror(L, arg, lua_pushfstring(L, "unknown %s '%s'", what, k));
        }
    }
}

const char *hgq_lua_opt_string(lua_State *L, int arg, int idx, const char *key)
{
    const char *s = NULL;
    int t = lua_getfield(L, idx, key);
    if (t == LUA_TSTRING)
        s = lua_tostring(L, -1);
    else if (t != LUA_TNIL)
        luaL_argerror(L, arg, lua_pushfstring(L, "'%s' must be a string", key));
    lua_pop(L, 1);   /* the string stays alive: the table holds it */
    return s;
}

lua_Integer hgq_lua_opt_int(lua_State *L, int arg, int idx, const char *key, lua_Integer dflt)
{
    lua_Integer v = dflt;
    if (lua_getfield(L, idx, key) != LUA_TNIL) {
        int ok;
        v = lua_tointegerx(L, -1, &ok);
        if (!ok)
            luaL_argerror(L, arg, lua_pushfstring(L, "'%s' must be an integer", key));
    }
    lua_pop(L, 1);
    return v;
}

int hgq_lua_opt_bool(lua_State *L, int idx, const char *key, int dflt)
{
    int b = dflt;
    if (lua_getfield(L, idx, key) != LUA_TNIL)
        b = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return b;
}

void hgq_lua_set_str(lua_State *L, const char *key, const char *v)
{
    if (v) {
        lua_pushstring(L, v);
        lua_setfield(L, -2, key);
    }
}

void hgq_lua_set_int(lua_State *L, const char *key, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, key);
}

void hgq_lua_set_num(lua_State *L, const char *key, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, key);
}

void hgq_lua_set_bool(lua_State *L, const char *key, int v)
{
    lua_pushboolean(L, v);
    lua_setfield(L, -2, key);
}

void hgq_lua_new_class(lua_State *L, const char *tname, const luaL_Reg *meta,
                       const luaL_Reg *methods, const char *methods_field)
{
    luaL_newmetatable(L, tname);
    luaL_setfuncs(L, meta, 0);
    lua_newtable(L);
    luaL_setfuncs(L, methods, 0);
    lua_setfield(L, -2, methods_field);
    lua_pop(L, 1);
}

/* {====================================================================
 * Dates
 * ===================================================================== */

void hgq_lua_push_date(lua_State *L, double serial)
{
    hgq_datetime dt;
    hgq_date_to_parts(serial, &dt);
    lua_createtable(L, 0, 7);
    lua_pushinteger(L, dt.year);
    lua_setfield(L, -2, "year");
    lua_pushinteger(L, dt.month);
    lua_setfield(L, -2, "month");
    lua_pushinteger(L, dt.day);
    lua_setfield(L, -2, "day");
    lua_pushinteger(L, dt.hour);
    lua_setfield(L, -2, "hour");
    lua_pushinteger(L, dt.minute);
    lua_setfield(L, -2, "min");
    lua_pushinteger(L, dt.second);
    lua_setfield(L, -2, "sec");
    lua_pushnumber(L, serial);
    lua_setfield(L, -2, "serial");
    luaL_setmetatable(L, DATE_MT);
}

int hgq_lua_to_date(lua_State *L, int idx, double *serial)
{
    int ours;
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE || !lua_getmetatable(L, idx))
        return 0;
    luaL_getmetatable(L, DATE_MT);
    ours = lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
    if (!ours)
        return 0;
    lua_getfield(L, idx, "serial");
    *serial = lua_tonumber(L, -1);
    lua_pop(L, 1);
    return 1;
}

static int parse_iso(const char *s, double *out)
{
    int y, m, d, hh = 0, mm = 0, ss = 0, n = 0;
    hgq_datetime dt;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3)
        return 0;
    if (s[n] == 'T' || s[n] == ' ') {
        int k = 0;
        if (sscanf(s + n + 1, "%2d:%2d:%2d%n", &hh, &mm, &ss, &k) != 3)
            return 0;
        n += 1 + k;
    }
    if (s[n] != '\0' || !hgq_date_valid(y, m, d) || hh > 23 || mm > 59 || ss > 59)
        return 0;
    dt.year = y; dt.month = m; dt.day = d; dt.hour = hh; dt.minute = mm; dt.second = ss;
    *out = hgq_date_from_parts(&dt);
    return 1;
}

double hgq_lua_check_date(lua_State *L, int idx)
{
    double serial;
    if (hgq_lua_to_date(L, idx, &serial))
        return serial;
    if (lua_type(L, idx) == LUA_TNUMBER)
        return lua_tonumber(L, idx);
    if (lua_type(L, idx) == LUA_TSTRING && parse_iso(lua_tostring(L, idx), &serial))
        return serial;
    luaL_argerror(L, idx, "date expected (hgq.date, ISO 'YYYY-MM-DD' text or serial)");
    return 0;
}

/* hgq.date(y, m, d [, h, min, s]) or hgq.date("2025-09-01") or hgq.date(serial) */
static int l_date(lua_State *L)
{
    double serial;
    if (lua_gettop(L) >= 3) {
        hgq_datetime dt;
        dt.year = (int)luaL_checkinteger(L, 1);
        dt.month = (int)luaL_checkinteger(L, 2);
        dt.day = (int)luaL_checkinteger(L, 3);
        dt.hour = (int)luaL_optinteger(L, 4, 0);
        dt.minute = (int)luaL_optinteger(L, 5, 0);
        dt.second = (int)luaL_optinteger(L, 6, 0);
        luaL_argcheck(L, hgq_date_valid(dt.year, dt.month, dt.day), 3, "not a calendar date");
        luaL_argcheck(L, dt.hour >= 0 && dt.hour < 24, 4, "hour out of range");
        luaL_argcheck(L, dt.minute >= 0 && dt.minute < 60, 5, "minute out of range");
        luaL_argcheck(L, dt.second >= 0 && dt.second < 60, 6, "second out of range");
        serial = hgq_date_from_parts(&dt);
    } else {
        serial = hgq_lua_check_date(L, 1);
    }
    hgq_lua_push_date(L, serial);
    return 1;
}

static int l_isdate(lua_State *L)
{
    double serial;
    lua_pushboolean(L, hgq_lua_to_date(L, 1, &serial));
    return 1;
}

static int date_tostring(lua_State *L)
{
    char buf[32];
    double serial;
    if (!hgq_lua_to_date(L, 1, &serial))
        return luaL_argerror(L, 1, "hgq.date expected");
    hgq_date_format_iso(serial, buf, sizeof buf);
    lua_pushstring(L, buf);
    return 1;
}

static double date_arg(lua_State *L, int idx)
{
    double s;
    if (!hgq_lua_to_date(L, idx, &s))
        luaL_argerror(L, idx, "hgq.date expected");
    return s;
}

static int date_eq(lua_State *L)
{
    lua_pushboolean(L, fabs(date_arg(L, 1) - date_arg(L, 2)) < 0.5 / 86400.0);
    return 1;
}

static int date_lt(lua_State *L)
{
    lua_pushboolean(L, date_arg(L, 1) < date_arg(L, 2));
    return 1;
}

static int date_le(lua_State *L)
{
    lua_pushboolean(L, date_arg(L, 1) <= date_arg(L, 2));
    return 1;
}

/* hgq.age(birth, at): whole years */
static int l_age(lua_State *L)
{
    lua_pushinteger(L, hgq_age_years(hgq_lua_check_date(L, 1), hgq_lua_check_date(L, 2)));
    return 1;
}

/* }==================================================================== */

void hgq_lua_push_value(lua_State *L, const hgq_value *v)
{
    switch (v->type) {
    case HGQ_TEXT: lua_pushstring(L, v->u.s); break;
    case HGQ_INT: lua_pushinteger(L, (lua_Integer)v->u.i); break;
    case HGQ_NUM: lua_pushnumber(L, v->u.d); break;
    case HGQ_DATE: hgq_lua_push_date(L, v->u.d); break;
    case HGQ_BOOL: lua_pushboolean(L, v->u.b); break;
    default: lua_pushnil(L); break;
    }
}

hgq_value hgq_lua_check_value(lua_State *L, int idx)
{
    double serial;
    switch (lua_type(L, idx)) {
    case LUA_TNONE:
    case LUA_TNIL: return hgq_null();
    case LUA_TBOOLEAN: return hgq_bool(lua_toboolean(L, idx));
    case LUA_TNUMBER:
        if (lua_isinteger(L, idx))
            return hgq_int((int64_t)lua_tointeger(L, idx));
        return hgq_num(lua_tonumber(L, idx));
    case LUA_TSTRING: return hgq_text(lua_tostring(L, idx));
    default:
        if (hgq_lua_to_date(L, idx, &serial))
            return hgq_date(serial);
        luaL_argerror(L, idx, "string, number, boolean, date or nil expected");
        return hgq_null();
    }
}

void hgq_lua_push_origin(lua_State *L, const hgq_origin *o)
{
    char ref[16];
    if (!o || !o->file) {
        lua_pushnil(L);
        return;
    }
    lua_createtable(L, 0, 5);
    lua_pushstring(L, o->file);
    lua_setfield(L, -2, "file");
    if (o->sheet) {
        lua_pushstring(L, o->sheet);
        lua_setfield(L, -2, "sheet");
    }
    lua_pushinteger(L, (lua_Integer)o->row + 1);
    lua_setfield(L, -2, "row");
    if (o->col != HGQ_WHOLE_ROW) {
        lua_pushinteger(L, (lua_Integer)o->col + 1);
        lua_setfield(L, -2, "col");
        hgq_ref_format(o->row, o->col, ref, sizeof ref);
        lua_pushstring(L, ref);
        lua_setfield(L, -2, "cell");
    }
}

static int l_strerror(lua_State *L)
{
    lua_pushstring(L, hgq_strerror((hgq_status)luaL_checkinteger(L, 1)));
    return 1;
}

static int l_width(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lua_pushinteger(L, (lua_Integer)hgq_utf8_width(s, len));
    return 1;
}

static const luaL_Reg date_meta[] = {
    {"__tostring", date_tostring},
    {"__eq", date_eq},
    {"__lt", date_lt},
    {"__le", date_le},
    {NULL, NULL}
};

static const luaL_Reg core_funcs[] = {
    {"date", l_date},
    {"isdate", l_isdate},
    {"age", l_age},
    {"strerror", l_strerror},
    {"width", l_width},
    {NULL, NULL}
};

void hgq_lua_open_core(lua_State *L)
{
    if (luaL_newmetatable(L, DATE_MT)) {
        luaL_setfuncs(L, date_meta, 0);
        lua_pushliteral(L, "hgq.date");
        lua_setfield(L, -2, "__name");
    }
    lua_pop(L, 1);
    luaL_setfuncs(L, core_funcs, 0);
    lua_pushliteral(L, HGQ_VERSION_STRING);
    lua_setfield(L, -2, "version");
}
