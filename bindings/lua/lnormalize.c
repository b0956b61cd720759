/*
 * lnormalize.c - the value normalisers of the hgq Lua module, in the
 * subtable hgq.normalize. Text that is not a value of the kind asked for
 * gives nil; a wrong argument type raises.
 */
#include <string.h>

#include "lhgq.h"

static const char *const id_problem_names[] = {
    "length", "chars", "birth", "checksum", "numeric"
};

/* Folds (or collapses) the string argument into a Lua string. */
static int push_folded(lua_State *L,
                       size_t (*fn)(const char *, size_t, char *, size_t))
{
    size_t len, n;
    const char *s = luaL_checklstring(L, 1, &len);
    luaL_Buffer b;
    char *out = luaL_buffinitsize(L, &b, len + 1);
    n = fn(s, len, out, len + 1);
    luaL_pushresultsize(&b, n == (size_t)-1 ? 0 : n);
    return 1;
}

static int l_fold(lua_State *L)
{
    return push_folded(L, hgq_norm_fold);
}

static int l_collapse(lua_State *L)
{
    return push_folded(L, hgq_norm_collapse);
}

/* number(s) -> value, {percent=, unit=} | nil */
static int l_number(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    hgq_number n;
    if (!hgq_norm_number(s, len, &n)) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushnumber(L, n.value);
    lua_createtable(L, 0, 2);
    lua_pushboolean(L, n.percent);
    lua_setfield(L, -2, "percent");
    lua_pushstring(L, n.unit);
    lua_setfield(L, -2, "unit");
    return 2;
}

/* int(s) -> integer | nil */
static int l_int(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    int64_t v;
    if (hgq_norm_int(s, len, &v))
        lua_pushinteger(L, (lua_Integer)v);
    else
        lua_pushnil(L);
    return 1;
}

/* date(s) -> hgq.date, "day" | "month" | "year"; or nil */
static int l_date(lua_State *L)
{
    static const char *const precision[] = {"day", "month", "year"};
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    double serial;
    hgq_date_precision p;
    if (!hgq_norm_date(s, len, &serial, &p)) {
        lua_pushnil(L);
        return 1;
    }
    hgq_lua_push_date(L, serial);
    lua_pushstring(L, precision[p]);
    return 2;
}

/* bool(s) -> true | false | nil */
static int l_bool(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    int b;
    if (hgq_norm_bool(s, len, &b))
        lua_pushboolean(L, b);
    else
        lua_pushnil(L);
    return 1;
}

/* gender(s) -> "男" | "女" | nil */
static int l_gender(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    int male;
    if (hgq_norm_gender(s, len, &male))
        lua_pushstring(L, male ? "男" : "女");
    else
        lua_pushnil(L);
    return 1;
}

/*
 * Reads an ID argument: text is checked as typed; a number means the ID
 * came from a numeric cell (hgq_norm_idcard_from_number).
 */
static void check_idcard(lua_State *L, int idx, hgq_idcard *id)
{
    if (lua_type(L, idx) == LUA_TNUMBER) {
        hgq_norm_idcard_from_number((double)lua_tonumber(L, idx), id);
    } else {
        size_t len;
        const char *s = luaL_checklstring(L, idx, &len);
        hgq_norm_idcard(s, len, id);
    }
}

/* idcard(s) -> {number=, valid=, problems={...}, birth=, gender=} */
static int l_idcard(lua_State *L)
{
    hgq_idcard id;
    int i, k = 0;
    check_idcard(L, 1, &id);
    lua_createtable(L, 0, 5);
    if (id.number[0]) {
        lua_pushstring(L, id.number);
        lua_setfield(L, -2, "number");
    }
    lua_pushboolean(L, id.problems == 0);
    lua_setfield(L, -2, "valid");
    lua_newtable(L);
    for (i = 0; i < (int)(sizeof id_problem_names / sizeof id_problem_names[0]); i++) {
        if (id.problems & (1 << i)) {
            lua_pushstring(L, id_problem_names[i]);
            lua_rawseti(L, -2, ++k);
        }
    }
    lua_setfield(L, -2, "problems");
    if (id.birth != 0.0) {
        hgq_lua_push_date(L, id.birth);
        lua_setfield(L, -2, "birth");
    }
    if (id.male >= 0) {
        lua_pushstring(L, id.male ? "男" : "女");
        lua_setfield(L, -2, "gender");
    }
    return 1;
}

/*
 * mask_id(s) -> masked text. The canonical number is masked when the text
 * has one; otherwise the collapsed text, so a damaged number is masked too.
 */
static int l_mask_id(lua_State *L)
{
    hgq_idcard id;
    luaL_Buffer b;
    size_t len;
    const char *s;
    char *text, *out;
    check_idcard(L, 1, &id);
    if (id.number[0]) {
        char masked[19];
        hgq_idcard_mask(id.number, masked, sizeof masked);
        lua_pushstring(L, masked);
        return 1;
    }
    s = luaL_tolstring(L, 1, &len);
    text = lua_newuserdatauv(L, len + 1, 0);
    if (hgq_norm_collapse(s, len, text, len + 1) == (size_t)-1)
        text[0] = '\0';
    out = luaL_buffinitsize(L, &b, len + 1);
    hgq_idcard_mask(text, out, len + 1);
    luaL_pushresultsize(&b, strlen(out));
    return 1;
}

/* age_band(age) -> index (1-based), label; nil for a negative age */
static int l_age_band(lua_State *L)
{
    lua_Integer age = luaL_checkinteger(L, 1);
    const char *label;
    int band;
    if (age > 1000)
        age = 1000;
    band = hgq_norm_age_band(age < -1 ? -1 : (int)age, &label);
    if (band < 0) {
        lua_pushnil(L);
        return 1;
    }
    lua_pushinteger(L, band + 1);
    lua_pushstring(L, label);
    return 2;
}

/* age_bands() -> {"30岁以下", ...} in band order */
static int l_age_bands(lua_State *L)
{
    int i;
    lua_createtable(L, HGQ_AGE_BANDS, 0);
    for (i = 0; i < HGQ_AGE_BANDS; i++) {
        lua_pushstring(L, hgq_norm_age_band_label(i));
        lua_rawseti(L, -2, i + 1);
    }
    return 1;
}

static const luaL_Reg normalize_funcs[] = {
    {"number", l_number},
    {"int", l_int},
    {"date", l_date},
    {"bool", l_bool},
    {"gender", l_gender},
    {"idcard", l_idcard},
    {"mask_id", l_mask_id},
    {"fold", l_fold},
    {"collapse", l_collapse},
    {"age_band", l_age_band},
    {"age_bands", l_age_bands},
    {NULL, NULL}
};

void hgq_lua_open_normalize(lua_State *L)
{
    luaL_newlib(L, normalize_funcs);
    lua_setfield(L, -2, "normalize");
}
