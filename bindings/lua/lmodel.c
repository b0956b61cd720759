/*
 * lmodel.c - the model functions of the hgq Lua module: schemas, datasets,
 * import, records, validation and findings.
 *
 *   local ds = hgq.dataset{year = 2025, as_of = "2025-09-01", school = "衡阳工业技工学校",
 *                          type = "技工学校"}
 *   ds:schema("student"):add_synonym("major", "数控", "数控机床装配与维修")
 *   local sum = assert(ds:import("学生名册.xlsx", "student"))
 *   print(sum.read, sum.accepted, sum.rejected, sum.skipped)
 *   for rec, i in ds:records("student") do print(i, rec.name, rec.major) end
 *   ds:validate()
 *   for _, f in ipairs(ds:findings()) do print(f.severity, f.code, f.message) end
 *
 * Three classes: hgq.schemas (a registry, hgq.schemas()), hgq.schema (one
 * entity of a registry, which it keeps alive) and hgq.dataset (which keeps
 * its registry alive). Registries and datasets have a closed flag and one
 * close function for close, __gc and __close; a schema handle or dataset
 * whose registry was closed raises "attempt to use closed schemas".
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lhgq.h"

#define SCHEMAS_MT "hgq.schemas"
#define SCHEMA_MT "hgq.schema"
#define DATASET_MT "hgq.dataset"
#define WORKBOOK_MT "hgq.workbook"

typedef struct lschemas {
    hgq_schemas *reg;   /* NULL once closed */
} lschemas;

typedef struct lschema {
    hgq_schema *s;      /* valid while the registry (user value 1) is open */
} lschema;

typedef struct ldataset {
    hgq_dataset *ds;    /* NULL once closed; user value 1: the hgq.schemas */
} ldataset;

/* {====================================================================
 * Small helpers
 * ===================================================================== */

/* 0-based column from "C" or a 1-based number; -1 when absent. */
static long opt_column(lua_State *L, int arg, int idx, const char *k)
{
    long c = -1;
    lua_getfield(L, idx, k);
    if (lua_type(L, -1) == LUA_TNUMBER) {
        lua_Integer n = lua_tointeger(L, -1);
        if (n < 1 || n > HGQ_MAX_COL + 1)
            luaL_argerror(L, arg, lua_pushfstring(L, "'%s' out of range", k));
        c = (long)n - 1;
    } else if (lua_type(L, -1) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        uint32_t col;
        if (!hgq_ref_parse_col(s, len, &col))
            luaL_argerror(L, arg, lua_pushfstring(L, "'%s' is not a column ('C' or a number)", k));
        c = (long)col;
    } else if (!lua_isnil(L, -1)) {
        luaL_argerror(L, arg, lua_pushfstring(L, "'%s' must be a column letter or number", k));
    }
    lua_pop(L, 1);
    return c;
}

/* 0-based row from a 1-based number; -1 when absent. */
static long opt_row(lua_State *L, int arg, int idx, const char *k)
{
    long r = -1;
    lua_getfield(L, idx, k);
    if (!lua_isnil(L, -1)) {
        int isint;
        lua_Integer n = lua_tointegerx(L, -1, &isint);
        if (!isint || n < 1 || n > (lua_Integer)HGQ_MAX_ROW + 1)
            luaL_argerror(L, arg, lua_pushfstring(L, "'%s' must be a row number from 1", k));
        r = (long)n - 1;
    }
    lua_pop(L, 1);
    return r;
}

static void push_origin_fields(lua_State *L, const hgq_origin *o)
{
    char ref[16];
    if (!o || !o->file)
        return;
    hgq_lua_set_str(L, "file", o->file);
    hgq_lua_set_str(L, "sheet", o->sheet);
    hgq_lua_set_int(L, "row", (lua_Integer)o->row + 1);
    if (o->col != HGQ_WHOLE_ROW) {
        hgq_ref_format(o->row, o->col, ref, sizeof ref);
        hgq_lua_set_str(L, "cell", ref);
        hgq_lua_set_int(L, "col", (lua_Integer)o->col + 1);
    }
}

/* }==================================================================== */

/* {====================================================================
 * Registries and schemas
 * ===================================================================== */

static lschemas *check_schemas_ud(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, SCHEMAS_MT);
}

static hgq_schemas *check_schemas(lua_State *L, int idx)
{
    return hgq_lua_check_open(L, idx, SCHEMAS_MT, "schemas");
}

static int push_schemas(lua_State *L, hgq_schemas *reg)
{
    lschemas *u = lua_newuserdatauv(L, sizeof *u, 0);
    u->reg = reg;
    luaL_setmetatable(L, SCHEMAS_MT);
    return 1;
}

/* hgq.schemas([{builtin = false}]) */
static int l_schemas(lua_State *L)
{
    int builtin = 1;
    hgq_schemas *reg;
    if (!lua_isnoneornil(L, 1)) {
        static const char *const keys[] = {"builtin", NULL};
        luaL_checktype(L, 1, LUA_TTABLE);
        hgq_lua_check_keys(L, 1, 1, keys, "option");
        builtin = hgq_lua_opt_bool(L, 1, "builtin", builtin);
    }
    reg = builtin ? hgq_schemas_new() : hgq_schemas_new_empty();
    if (!reg)
        return luaL_error(L, "out of memory");
    return push_schemas(L, reg);
}

static int schemas_close(lua_State *L)
{
    lschemas *u = check_schemas_ud(L, 1);
    if (u->reg) {
        hgq_schemas_free(u->reg);
        u->reg = NULL;
    }
    return 0;
}

static int schemas_tostring(lua_State *L)
{
    lschemas *u = check_schemas_ud(L, 1);
    if (u->reg)
        lua_pushfstring(L, "hgq.schemas (%d entities)", (int)hgq_schemas_count(u->reg));
    else
        lua_pushliteral(L, "hgq.schemas (closed)");
    return 1;
}

/* Pushes a schema handle for s, owned by the registry userdata at owner. */
static void push_schema(lua_State *L, hgq_schema *s, int owner)
{
    lschema *u;
    owner = lua_absindex(L, owner);
    u = lua_newuserdatauv(L, sizeof *u, 1);
    u->s = s;
    luaL_setmetatable(L, SCHEMA_MT);
    lua_pushvalue(L, owner);
    lua_setiuservalue(L, -2, 1);
}

static hgq_schema *check_schema(lua_State *L, int idx)
{
    lschema *u = luaL_checkudata(L, idx, SCHEMA_MT);
    lschemas *o;
    lua_getiuservalue(L, idx, 1);
    o = luaL_testudata(L, -1, SCHEMAS_MT);
    if (!o || !o->reg)
        luaL_error(L, "attempt to use closed schemas");
    lua_pop(L, 1);
    return u->s;
}

/* Raises the error of a failed schema call. */
static void schema_fail(lua_State *L, const hgq_error *err)
{
    luaL_error(L, "%s (%s)", err->message, hgq_status_name(err->code));
}

static const char *const field_keys[] = {
    "id", "label", "type", "required", "unique", "min", "max", "unit", "headers",
    "values", "synonyms", "ref", "list", "squeeze", "past", NULL
};

/* Pushes the strings of the array at field k of the table at idx joined
 * by '|' (a string stays as it is; absent gives ""). */
static void push_joined(lua_State *L, int arg, int idx, const char *k)
{
    lua_Integer i, n;
    int t;
    lua_getfield(L, idx, k);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushliteral(L, "");
        return;
    }
    if (lua_type(L, -1) == LUA_TSTRING)
        return;
    if (!lua_istable(L, -1))
        luaL_argerror(L, arg, lua_pushfstring(L, "'%s' must be an array of strings", k));
    t = lua_gettop(L);
    n = (lua_Integer)lua_rawlen(L, t);
    luaL_checkstack(L, (int)(2 * n + 2), "too many names");
    for (i = 1; i <= n; i++) {
        if (i > 1)
            lua_pushliteral(L, "|");
        lua_rawgeti(L, t, i);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_argerror(L, arg, lua_pushfstring(L, "'%s' must be an array of strings", k));
        if (strchr(lua_tostring(L, -1), '|'))
            luaL_argerror(L, arg, lua_pushfstring(L, "'%s': '|' is not allowed in a name", k));
    }
    lua_concat(L, n > 0 ? (int)(2 * n - 1) : 0);
    lua_remove(L, t);
}

/* Adds the synonyms at field "synonyms" of the def at idx: a map
 * {spelling = canonical} (false/"" canonical: no value) or an array of
 * {spelling, canonical} pairs. */
static void add_synonyms(lua_State *L, int arg, int idx, hgq_schema *s, const char *fid)
{
    hgq_error err;
    lua_getfield(L, idx, "synonyms");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return;
    }
    luaL_argcheck(L, lua_istable(L, -1), arg, "'synonyms' must be a table");
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        const char *syn, *canon;
        if (lua_type(L, -2) == LUA_TNUMBER && lua_istable(L, -1)) {
            lua_rawgeti(L, -1, 1);
            lua_rawgeti(L, -2, 2);
            syn = lua_tostring(L, -2);
            canon = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
            if (!syn)
                luaL_argerror(L, arg, "a synonym pair must be {spelling, canonical}");
            if (hgq_schema_add_synonym(s, fid, syn, canon, &err) != HGQ_OK)
                schema_fail(L, &err);
            lua_pop(L, 2);
        } else if (lua_type(L, -2) == LUA_TSTRING &&
                   (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TBOOLEAN)) {
            syn = lua_tostring(L, -2);
            canon = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
            if (hgq_schema_add_synonym(s, fid, syn, canon, &err) != HGQ_OK)
                schema_fail(L, &err);
        } else {
            luaL_argerror(L, arg, "'synonyms' must map spellings to canonical values");
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* Reads a field definition table at idx and adds it to s. */
static void add_field(lua_State *L, int arg, int idx, hgq_schema *s)
{
    hgq_field_def def;
    hgq_error err;
    const char *type;
    idx = lua_absindex(L, idx);
    luaL_checktype(L, idx, LUA_TTABLE);
    hgq_lua_check_keys(L, arg, idx, field_keys, "field key");
    memset(&def, 0, sizeof def);
    def.id = hgq_lua_opt_string(L, arg, idx, "id");
    if (!def.id || !*def.id)
        luaL_argerror(L, arg, "a field needs an 'id'");
    def.label = hgq_lua_opt_string(L, arg, idx, "label");
    type = hgq_lua_opt_string(L, arg, idx, "type");
    def.type = HGQ_FT_TEXT;
    if (type && !hgq_ftype_from_name(type, &def.type))
        luaL_argerror(L, arg, lua_pushfstring(L, "unknown field type '%s'", type));
    if (!type) {
        /* a field redefined without a type keeps its type */
        long f = hgq_schema_find_field(s, def.id);
        hgq_field_info fi;
        if (f >= 0 && hgq_schema_field_info(s, (size_t)f, &fi)) {
            def.type = fi.type;
            def.flags = fi.flags;
            def.min = fi.min;
            def.max = fi.max;
            def.unit = fi.unit;
            if (!def.label)
                def.label = fi.label;
        }
    }
#define FLAG(key, bit)                                   \
    lua_getfield(L, idx, key);                           \
    if (!lua_isnil(L, -1)) {                             \
        if (lua_toboolean(L, -1))                        \
            def.flags |= (bit);                          \
        else                                             \
            def.flags &= ~(unsigned)(bit);               \
    }                                                    \
    lua_pop(L, 1)
    FLAG("required", HGQ_FIELD_REQUIRED);
    FLAG("unique", HGQ_FIELD_UNIQUE);
    FLAG("list", HGQ_FIELD_LIST);
    FLAG("squeeze", HGQ_FIELD_SQUEEZE);
    FLAG("past", HGQ_FIELD_PAST);
#undef FLAG
    lua_getfield(L, idx, "min");
    if (!lua_isnil(L, -1)) {
        def.min = hgq_lua_to_date(L, -1, &def.min) ? def.min : luaL_checknumber(L, -1);
        def.flags |= HGQ_FIELD_MIN;
    }
    lua_pop(L, 1);
    lua_getfield(L, idx, "max");
    if (!lua_isnil(L, -1)) {
        def.max = hgq_lua_to_date(L, -1, &def.max) ? def.max : luaL_checknumber(L, -1);
        def.flags |= HGQ_FIELD_MAX;
    }
    lua_pop(L, 1);
    if (hgq_lua_opt_string(L, arg, idx, "unit"))
        def.unit = hgq_lua_opt_string(L, arg, idx, "unit");
    def.ref = hgq_lua_opt_string(L, arg, idx, "ref");
    push_joined(L, arg, idx, "headers");
    push_joined(L, arg, idx, "values");
    def.headers = lua_tostring(L, -2);
    def.values = lua_tostring(L, -1);
    if (hgq_schema_add_field(s, &def, &err) != HGQ_OK)
        schema_fail(L, &err);
    lua_pop(L, 2);
    add_synonyms(L, arg, idx, s, def.id);
}

static int schema_add_field(lua_State *L)
{
    hgq_schema *s = check_schema(L, 1);
    add_field(L, 2, 2, s);
    lua_settop(L, 1);
    return 1;
}

static int schema_add_synonym(lua_State *L)
{
    hgq_schema *s = check_schema(L, 1);
    const char *field = luaL_checkstring(L, 2);
    const char *syn = luaL_checkstring(L, 3);
    const char *canon = luaL_optstring(L, 4, "");
    hgq_error err;
    if (hgq_schema_add_synonym(s, field, syn, canon, &err) != HGQ_OK)
        schema_fail(L, &err);
    lua_settop(L, 1);
    return 1;
}

static int schema_add_header(lua_State *L)
{
    hgq_schema *s = check_schema(L, 1);
    hgq_error err;
    if (hgq_schema_add_header(s, luaL_checkstring(L, 2), luaL_checkstring(L, 3), &err) != HGQ_OK)
        schema_fail(L, &err);
    lua_settop(L, 1);
    return 1;
}

static int schema_add_value(lua_State *L)
{
    hgq_schema *s = check_schema(L, 1);
    hgq_error err;
    if (hgq_schema_add_value(s, luaL_checkstring(L, 2), luaL_checkstring(L, 3), &err) != HGQ_OK)
        schema_fail(L, &err);
    lua_settop(L, 1);
    return 1;
}

static void push_field(lua_State *L, const hgq_schema *s, size_t f)
{
    hgq_field_info fi;
    size_t i;
    hgq_schema_field_info(s, f, &fi);
    lua_createtable(L, 0, 12);
    hgq_lua_set_str(L, "id", fi.id);
    hgq_lua_set_str(L, "label", fi.label);
    hgq_lua_set_str(L, "type", hgq_ftype_name(fi.type));
    lua_pushboolean(L, (fi.flags & HGQ_FIELD_REQUIRED) != 0);
    lua_setfield(L, -2, "required");
    lua_pushboolean(L, (fi.flags & HGQ_FIELD_UNIQUE) != 0);
    lua_setfield(L, -2, "unique");
    if (fi.flags & HGQ_FIELD_LIST) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "list");
    }
    if (fi.flags & HGQ_FIELD_MIN) {
        lua_pushnumber(L, fi.min);
        lua_setfield(L, -2, "min");
    }
    if (fi.flags & HGQ_FIELD_MAX) {
        lua_pushnumber(L, fi.max);
        lua_setfield(L, -2, "max");
    }
    hgq_lua_set_str(L, "unit", fi.unit);
    if (fi.ref_entity) {
        lua_pushfstring(L, "%s.%s", fi.ref_entity, fi.ref_field);
        lua_setfield(L, -2, "ref");
    }
    lua_createtable(L, (int)fi.nheaders, 0);
    for (i = 0; i < fi.nheaders; i++) {
        lua_pushstring(L, hgq_schema_field_header(s, f, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "headers");
    lua_createtable(L, (int)fi.nvalues, 0);
    for (i = 0; i < fi.nvalues; i++) {
        lua_pushstring(L, hgq_schema_field_value(s, f, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "values");
    lua_createtable(L, 0, (int)fi.nsynonyms);
    for (i = 0; i < fi.nsynonyms; i++) {
        const char *canon;
        const char *syn = hgq_schema_field_synonym(s, f, i, &canon);
        lua_pushstring(L, canon);
        lua_setfield(L, -2, syn);
    }
    lua_setfield(L, -2, "synonyms");
}

static int schema_fields(lua_State *L)
{
    hgq_schema *s = check_schema(L, 1);
    size_t i, n = hgq_schema_field_count(s);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        push_field(L, s, i);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int schema_field(lua_State *L)
{
    hgq_schema *s = check_schema(L, 1);
    long f = hgq_schema_find_field(s, luaL_checkstring(L, 2));
    if (f < 0)
        return 0;
    push_field(L, s, (size_t)f);
    return 1;
}

static int schema_id(lua_State *L)
{
    lua_pushstring(L, hgq_schema_entity(check_schema(L, 1)));
    return 1;
}

static int schema_label(lua_State *L)
{
    lua_pushstring(L, hgq_schema_label(check_schema(L, 1)));
    return 1;
}

/* schema:canonical(field, text) -> canonical spelling or nil */
static int schema_canonical(lua_State *L)
{
    hgq_schema *s = check_schema(L, 1);
    long f = hgq_schema_find_field(s, luaL_checkstring(L, 2));
    size_t len;
    const char *t = luaL_checklstring(L, 3, &len);
    const char *c;
    if (f < 0)
        return luaL_argerror(L, 2, "no such field");
    c = hgq_schema_canonical(s, (size_t)f, t, len);
    if (!c)
        return 0;
    lua_pushstring(L, c);
    return 1;
}

static int schema_tostring(lua_State *L)
{
    hgq_schema *s = check_schema(L, 1);
    lua_pushfstring(L, "hgq.schema (%s %s, %d fields)", hgq_schema_entity(s), hgq_schema_label(s),
                    (int)hgq_schema_field_count(s));
    return 1;
}

static const char *const entity_keys[] = {"id", "label", "fields", "schemas", "dataset", NULL};

/* Defines an entity in the registry at reg_idx from the def table at def_idx;
 * pushes its schema handle. */
static int define_entity(lua_State *L, int reg_idx, int def_idx, int arg)
{
    hgq_schemas *reg = check_schemas(L, reg_idx);
    hgq_schema *s;
    hgq_error err;
    const char *id, *label;
    lua_Integer i, n;
    luaL_checktype(L, def_idx, LUA_TTABLE);
    hgq_lua_check_keys(L, arg, def_idx, entity_keys, "entity key");
    id = hgq_lua_opt_string(L, arg, def_idx, "id");
    label = hgq_lua_opt_string(L, arg, def_idx, "label");
    if (!id)
        luaL_argerror(L, arg, "an entity needs an 'id'");
    if (hgq_schemas_define(reg, id, label, &s, &err) != HGQ_OK)
        schema_fail(L, &err);
    lua_getfield(L, def_idx, "fields");
    if (!lua_isnil(L, -1)) {
        luaL_argcheck(L, lua_istable(L, -1), arg, "'fields' must be an array of field tables");
        n = (lua_Integer)lua_rawlen(L, -1);
        for (i = 1; i <= n; i++) {
            lua_rawgeti(L, -1, i);
            add_field(L, arg, -1, s);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    push_schema(L, s, reg_idx);
    return 1;
}

static int schemas_define(lua_State *L)
{
    return define_entity(L, 1, 2, 2);
}

static int schemas_entity(lua_State *L)
{
    hgq_schemas *reg = check_schemas(L, 1);
    hgq_schema *s = hgq_schemas_get(reg, luaL_checkstring(L, 2));
    if (!s)
        return 0;
    push_schema(L, s, 1);
    return 1;
}

static int schemas_entities(lua_State *L)
{
    hgq_schemas *reg = check_schemas(L, 1);
    size_t i, n = hgq_schemas_count(reg);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_pushstring(L, hgq_schema_entity(hgq_schemas_at(reg, i)));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Datasets
 * ===================================================================== */

void *hgq_lua_check_dataset(lua_State *L, int idx)
{
    return hgq_lua_check_open(L, idx, DATASET_MT, "dataset");
}

static hgq_dataset *check_ds(lua_State *L, int idx)
{
    return hgq_lua_check_dataset(L, idx);
}

/* The registry of the dataset at idx (checked open). */
static hgq_schemas *ds_registry(lua_State *L, int idx)
{
    lschemas *o;
    hgq_schemas *reg;
    lua_getiuservalue(L, idx, 1);
    o = luaL_testudata(L, -1, SCHEMAS_MT);
    if (!o || !o->reg)
        luaL_error(L, "attempt to use closed schemas");
    reg = o->reg;
    lua_pop(L, 1);
    return reg;
}

static const char *const dataset_keys[] = {"year", "as_of", "school", "type", "province",
                                           "schemas", NULL};

/* hgq.dataset{year=, as_of=, school=, type=, province=, schemas=} */
static int l_dataset(lua_State *L)
{
    lua_Integer year;
    double as_of = 0;
    hgq_dataset *ds;
    ldataset *u;
    hgq_error err;
    int isint;
    static const char *const props[] = {"school", "type", "province"};
    size_t i;
    luaL_checktype(L, 1, LUA_TTABLE);
    hgq_lua_check_keys(L, 1, 1, dataset_keys, "dataset key");
    lua_getfield(L, 1, "year");
    year = lua_tointegerx(L, -1, &isint);
    if (!isint || year < 1900 || year > 9999)
        luaL_argerror(L, 1, "'year' must be an integer year");
    lua_pop(L, 1);
    lua_getfield(L, 1, "as_of");
    if (!lua_isnil(L, -1))
        as_of = hgq_lua_check_date(L, lua_gettop(L));
    lua_pop(L, 1);
    for (i = 0; i < sizeof props / sizeof props[0]; i++)
        (void)hgq_lua_opt_string(L, 1, 1, props[i]);
    lua_getfield(L, 1, "schemas");
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        hgq_schemas *reg = hgq_schemas_new();
        if (!reg)
            return luaL_error(L, "out of memory");
        push_schemas(L, reg);
    } else {
        check_schemas(L, lua_gettop(L));
    }
    u = lua_newuserdatauv(L, sizeof *u, 1);
    u->ds = NULL;
    luaL_setmetatable(L, DATASET_MT);
    lua_pushvalue(L, -2);
    lua_setiuservalue(L, -2, 1);
    ds = hgq_dataset_new((int)year, as_of);
    if (!ds)
        return luaL_error(L, "out of memory");
    u->ds = ds;
    for (i = 0; i < sizeof props / sizeof props[0]; i++) {
        const char *v = hgq_lua_opt_string(L, 1, 1, props[i]);
        if (v && hgq_dataset_set_property(ds, props[i], v, &err) != HGQ_OK)
            return luaL_error(L, "%s", err.message);
    }
    return 1;
}

static int ds_close(lua_State *L)
{
    ldataset *u = luaL_checkudata(L, 1, DATASET_MT);
    if (u->ds) {
        hgq_dataset_free(u->ds);
        u->ds = NULL;
    }
    return 0;
}

static int ds_tostring(lua_State *L)
{
    ldataset *u = luaL_checkudata(L, 1, DATASET_MT);
    if (!u->ds) {
        lua_pushliteral(L, "hgq.dataset (closed)");
        return 1;
    }
    lua_pushfstring(L, "hgq.dataset (%d, %d tables, %d findings)", hgq_dataset_year(u->ds),
                    (int)hgq_dataset_table_count(u->ds), (int)hgq_dataset_finding_count(u->ds));
    return 1;
}

static int ds_year(lua_State *L)
{
    lua_pushinteger(L, hgq_dataset_year(check_ds(L, 1)));
    return 1;
}

static int ds_as_of(lua_State *L)
{
    hgq_lua_push_date(L, hgq_dataset_as_of(check_ds(L, 1)));
    return 1;
}

static int ds_property(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    const char *k = luaL_checkstring(L, 2);
    if (lua_gettop(L) >= 3) {
        hgq_error err;
        if (hgq_dataset_set_property(ds, k, luaL_optstring(L, 3, NULL), &err) != HGQ_OK)
            return luaL_error(L, "%s", err.message);
        return 0;
    }
    lua_pushstring(L, hgq_dataset_property(ds, k));
    return 1;
}

static int ds_schemas(lua_State *L)
{
    check_ds(L, 1);
    lua_getiuservalue(L, 1, 1);
    return 1;
}

static int ds_schema(lua_State *L)
{
    hgq_schemas *reg;
    hgq_schema *s;
    check_ds(L, 1);
    reg = ds_registry(L, 1);
    s = hgq_schemas_get(reg, luaL_checkstring(L, 2));
    if (!s)
        return 0;
    lua_getiuservalue(L, 1, 1);
    push_schema(L, s, -1);
    return 1;
}

static int ds_define_entity(lua_State *L)
{
    check_ds(L, 1);
    ds_registry(L, 1);
    lua_getiuservalue(L, 1, 1);
    return define_entity(L, lua_gettop(L), 2, 2);
}

/* hgq.define_entity(target, def) or hgq.define_entity{schemas=|dataset=, ...} */
static int l_define_entity(lua_State *L)
{
    if (lua_istable(L, 1) && lua_gettop(L) == 1) {
        lua_getfield(L, 1, "schemas");
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            lua_getfield(L, 1, "dataset");
            if (lua_isnil(L, -1))
                return luaL_argerror(L, 1, "give the registry: 'schemas' or 'dataset'");
            check_ds(L, -1);
            ds_registry(L, lua_gettop(L));
            lua_getiuservalue(L, -1, 1);
        }
        return define_entity(L, lua_gettop(L), 1, 1);
    }
    if (luaL_testudata(L, 1, DATASET_MT)) {
        check_ds(L, 1);
        ds_registry(L, 1);
        lua_getiuservalue(L, 1, 1);
        return define_entity(L, lua_gettop(L), 2, 2);
    }
    return define_entity(L, 1, 2, 2);
}

/* {====================================================================
 * Import
 * ===================================================================== */

static void reader_options(lua_State *L, int arg, int idx, hgq_reader_options *ro)
{
    const char *e = hgq_lua_opt_string(L, arg, idx, "encoding");
    const char *d = hgq_lua_opt_string(L, arg, idx, "delimiter");
    hgq_reader_options_init(ro);
    if (e) {
        if (strcmp(e, "utf-8") == 0 || strcmp(e, "utf8") == 0 || strcmp(e, "UTF-8") == 0)
            ro->csv_encoding = HGQ_ENC_UTF8;
        else if (strcmp(e, "gb18030") == 0 || strcmp(e, "gbk") == 0 || strcmp(e, "GB18030") == 0 ||
                 strcmp(e, "GBK") == 0)
            ro->csv_encoding = HGQ_ENC_GB18030;
        else if (strcmp(e, "auto") != 0)
            luaL_argerror(L, arg, "encoding must be \"utf-8\", \"gb18030\" or \"auto\"");
    }
    if (d) {
        if (strcmp(d, ",") == 0 || strcmp(d, "\t") == 0 || strcmp(d, ";") == 0)
            ro->csv_delimiter = d[0];
        else
            luaL_argerror(L, arg, "delimiter must be \",\", \"\\t\" or \";\"");
    }
}

/* The workbook argument: an open hgq.workbook (borrowed) or a path. */
static hgq_workbook *workbook_arg(lua_State *L, int idx, const char **path)
{
    *path = NULL;
    if (lua_type(L, idx) == LUA_TSTRING) {
        *path = lua_tostring(L, idx);
        return NULL;
    }
    if (luaL_testudata(L, idx, WORKBOOK_MT))
        return hgq_lua_check_open(L, idx, WORKBOOK_MT, "workbook");
    luaL_argerror(L, idx, "path or hgq.workbook expected");
    return NULL;
}

static void push_summary(lua_State *L, const hgq_import_summary *sum)
{
    size_t i;
    char col[8];
    int nun = 0;
    lua_createtable(L, 0, 16);
    hgq_lua_set_str(L, "file", sum->file);
    hgq_lua_set_str(L, "sheet", sum->sheet);
    hgq_lua_set_str(L, "entity", sum->entity);
    hgq_lua_set_int(L, "read", (lua_Integer)sum->rows_read);
    hgq_lua_set_int(L, "accepted", (lua_Integer)sum->rows_accepted);
    hgq_lua_set_int(L, "rejected", (lua_Integer)sum->rows_rejected);
    hgq_lua_set_int(L, "skipped", (lua_Integer)sum->rows_skipped);
    hgq_lua_set_int(L, "blank", (lua_Integer)sum->rows_blank);
    hgq_lua_set_int(L, "totals", (lua_Integer)sum->rows_totals);
    hgq_lua_set_int(L, "notes", (lua_Integer)sum->rows_notes);
    hgq_lua_set_int(L, "cells", (lua_Integer)sum->cells);
    hgq_lua_set_int(L, "first", (lua_Integer)sum->first_record + 1);
    if (sum->header_row >= 0)
        hgq_lua_set_int(L, "header_row", (lua_Integer)sum->header_row + 1);
    hgq_lua_set_int(L, "header_rows", sum->header_rows);
    lua_createtable(L, (int)sum->ncolumns, 0);       /* columns */
    lua_createtable(L, 0, (int)sum->ncolumns);       /* mapping */
    lua_createtable(L, (int)sum->nunmapped, 0);      /* unmapped */
    for (i = 0; i < sum->ncolumns; i++) {
        const hgq_import_column *c = &sum->columns[i];
        hgq_ref_format_col(c->col, col, sizeof col);
        lua_createtable(L, 0, 4);
        hgq_lua_set_str(L, "column", col);
        hgq_lua_set_str(L, "header", c->header);
        hgq_lua_set_str(L, "field", c->field);
        hgq_lua_set_str(L, "unit", c->unit);
        lua_rawseti(L, -4, (lua_Integer)i + 1);
        if (c->field) {
            lua_pushstring(L, col);
            lua_setfield(L, -3, c->field);
        } else if (c->header && *c->header) {
            lua_createtable(L, 0, 2);
            hgq_lua_set_str(L, "column", col);
            hgq_lua_set_str(L, "header", c->header);
            lua_rawseti(L, -2, ++nun);
        }
    }
    lua_setfield(L, -4, "unmapped");
    lua_setfield(L, -3, "mapping");
    lua_setfield(L, -2, "columns");
    lua_createtable(L, (int)sum->nmissing, 0);
    for (i = 0; i < sum->nmissing; i++) {
        lua_pushstring(L, sum->missing[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "missing");
}

static const char *const import_keys[] = {"sheet", "mapping", "header_row", "header_rows",
                                          "check_totals", "scan_rows", "encoding", "delimiter",
                                          NULL};

/* ds:import(path_or_workbook, entity [, opts]) -> summary | nil, msg, code */
static int ds_import(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    hgq_schemas *reg = ds_registry(L, 1);
    const char *path;
    hgq_workbook *wb = workbook_arg(L, 2, &path);
    const char *entity = luaL_checkstring(L, 3);
    hgq_import_options opt;
    hgq_reader_options ro;
    hgq_import_summary sum;
    hgq_import_map *map = NULL;
    hgq_error err;
    hgq_status st;
    hgq_import_options_init(&opt);
    hgq_reader_options_init(&ro);
    if (!hgq_schemas_get(reg, entity))
        return luaL_argerror(L, 3, lua_pushfstring(L, "no entity named '%s'", entity));
    if (!lua_isnoneornil(L, 4)) {
        luaL_checktype(L, 4, LUA_TTABLE);
        hgq_lua_check_keys(L, 4, 4, import_keys, "import option");
        lua_getfield(L, 4, "sheet");
        if (lua_type(L, -1) == LUA_TSTRING)
            opt.sheet = lua_tostring(L, -1);
        else if (lua_type(L, -1) == LUA_TNUMBER)
            opt.sheet_index = (long)luaL_checkinteger(L, -1) - 1;
        else if (!lua_isnil(L, -1))
            return luaL_argerror(L, 4, "'sheet' must be a name or a number");
        if (opt.sheet_index < -1)
            return luaL_argerror(L, 4, "'sheet' numbers start at 1");
        lua_pop(L, 1);
        opt.header_row = opt_row(L, 4, 4, "header_row");
        lua_getfield(L, 4, "header_rows");
        if (!lua_isnil(L, -1)) {
            lua_Integer n = luaL_checkinteger(L, -1);
            luaL_argcheck(L, n == 1 || n == 2, 4, "'header_rows' must be 1 or 2");
            opt.header_rows = (int)n;
        }
        lua_pop(L, 1);
        opt.check_totals = hgq_lua_opt_bool(L, 4, "check_totals", opt.check_totals);
        lua_getfield(L, 4, "scan_rows");
        if (!lua_isnil(L, -1)) {
            lua_Integer n = luaL_checkinteger(L, -1);
            luaL_argcheck(L, n > 0 && n < 100000, 4, "'scan_rows' out of range");
            opt.scan_rows = (unsigned)n;
        }
        lua_pop(L, 1);
        reader_options(L, 4, 4, &ro);
        lua_getfield(L, 4, "mapping");
        if (!lua_isnil(L, -1)) {
            size_t n = 0;
            luaL_argcheck(L, lua_istable(L, -1), 4, "'mapping' must map fields to columns");
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
                    return luaL_argerror(L, 4, "'mapping' must map field ids to column letters or header texts");
                n++;
                lua_pop(L, 1);
            }
            map = lua_newuserdatauv(L, (n ? n : 1) * sizeof *map, 0);   /* freed by the GC */
            lua_insert(L, -2);
            n = 0;
            lua_pushnil(L);
            while (lua_next(L, -2)) {
                map[n].field = lua_tostring(L, -2);
                map[n].column = lua_tostring(L, -1);
                n++;
                lua_pop(L, 1);
            }
            opt.mapping = map;
            opt.nmapping = n;
        }
        /* the mapping table (and its strings) stays on the stack */
    }
    if (wb)
        st = hgq_import(ds, reg, wb, entity, &opt, &sum, &err);
    else
        st = hgq_import_file(ds, reg, path, entity, &opt, &ro, &sum, &err);
    if (st != HGQ_OK) {
        hgq_import_summary_free(&sum);
        return hgq_lua_fail(L, &err);
    }
    push_summary(L, &sum);
    hgq_import_summary_free(&sum);
    return 1;
}

static const char *const agg_keys[] = {"sheet", "title", "measure", "row_dims", "col_dims",
                                       "first_data_row", "first_data_col", "margins",
                                       "breakdown", "breakdown_total", "encoding", "delimiter",
                                       NULL};
static const char *const dim_keys[] = {"name", "col", "row", "values", NULL};

/* Joins the map {printed = stored} at the top of the stack into
 * "printed=stored|..." and keeps the string in the table at `keep`. */
static const char *join_values(lua_State *L, int keep)
{
    int vt = lua_gettop(L), arr;
    lua_Integer i, n = 0;
    luaL_Buffer b;
    const char *joined;
    luaL_argcheck(L, lua_istable(L, vt), 4, "'values' must map printed labels to stored ones");
    lua_newtable(L);
    arr = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, vt)) {
        if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
            luaL_argerror(L, 4, "'values' must map printed labels to stored ones");
        if (strchr(lua_tostring(L, -2), '|') || strchr(lua_tostring(L, -1), '|') ||
            strchr(lua_tostring(L, -2), '='))
            luaL_argerror(L, 4, "'|' and '=' are not allowed in dimension labels");
        lua_pushfstring(L, "%s=%s", lua_tostring(L, -2), lua_tostring(L, -1));
        lua_rawseti(L, arr, ++n);
        lua_pop(L, 1);
    }
    luaL_buffinit(L, &b);
    for (i = 1; i <= n; i++) {
        if (i > 1)
            luaL_addchar(&b, '|');
        lua_rawgeti(L, arr, i);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    joined = lua_tostring(L, -1);
    lua_rawseti(L, keep, (lua_Integer)lua_rawlen(L, keep) + 1);
    lua_settop(L, vt - 1);
    return joined;
}

/* Reads the dims array at field k of the spec at idx into dims; `rows`:
 * column dimensions, whose position is a header row. Strings made here are
 * kept in the table at `keep`. */
static size_t read_dims(lua_State *L, int idx, const char *k, hgq_agg_dim *dims, int rows,
                        int keep)
{
    lua_Integer i, n;
    int top = lua_gettop(L), arr;
    lua_getfield(L, idx, k);
    if (lua_isnil(L, -1)) {
        lua_settop(L, top);
        return 0;
    }
    luaL_argcheck(L, lua_istable(L, -1), 4, lua_pushfstring(L, "'%s' must be an array", k));
    arr = lua_gettop(L);
    n = (lua_Integer)lua_rawlen(L, arr);
    if (n > HGQ_AGG_MAX_DIMS)
        luaL_argerror(L, 4, lua_pushfstring(L, "at most %d %s", HGQ_AGG_MAX_DIMS, k));
    for (i = 1; i <= n; i++) {
        hgq_agg_dim *d = &dims[i - 1];
        int t;
        lua_rawgeti(L, arr, i);
        t = lua_gettop(L);
        d->index = -1;
        d->values = NULL;
        if (lua_type(L, t) == LUA_TSTRING) {
            d->name = lua_tostring(L, t);
        } else if (lua_istable(L, t)) {
            hgq_lua_check_keys(L, 4, t, dim_keys, "dimension key");
            d->name = hgq_lua_opt_string(L, 4, t, "name");
            if (!d->name)
                luaL_argerror(L, 4, "a dimension needs a 'name'");
            d->index = rows ? opt_row(L, 4, t, "row") : opt_column(L, 4, t, "col");
            lua_getfield(L, t, "values");
            if (!lua_isnil(L, -1))
                d->values = join_values(L, keep);
        } else {
            luaL_argerror(L, 4, lua_pushfstring(L, "'%s' must hold names or dimension tables", k));
        }
        lua_settop(L, arr);
    }
    lua_settop(L, top);
    return (size_t)n;
}

/* ds:import_aggregate(path_or_workbook, name, spec) -> summary | nil, msg, code */
static int ds_import_aggregate(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    const char *path;
    hgq_workbook *wb = workbook_arg(L, 2, &path);
    const char *name = luaL_checkstring(L, 3);
    hgq_agg_spec spec;
    hgq_reader_options ro;
    hgq_import_summary sum;
    hgq_error err;
    hgq_status st;
    int keep;
    luaL_checktype(L, 4, LUA_TTABLE);
    lua_settop(L, 4);
    hgq_lua_check_keys(L, 4, 4, agg_keys, "aggregate option");
    lua_newtable(L);
    keep = lua_gettop(L);
    hgq_agg_spec_init(&spec);
    lua_getfield(L, 4, "sheet");
    if (lua_type(L, -1) == LUA_TSTRING)
        spec.sheet = lua_tostring(L, -1);
    else if (lua_type(L, -1) == LUA_TNUMBER)
        spec.sheet_index = (long)luaL_checkinteger(L, -1) - 1;
    else if (!lua_isnil(L, -1))
        return luaL_argerror(L, 4, "'sheet' must be a name or a number");
    lua_pop(L, 1);
    if (!spec.sheet && spec.sheet_index < 0)
        return luaL_argerror(L, 4, "'sheet' numbers start at 1");
    spec.title = hgq_lua_opt_string(L, 4, 4, "title");
    spec.measure = hgq_lua_opt_string(L, 4, 4, "measure");
    spec.breakdown = hgq_lua_opt_string(L, 4, 4, "breakdown");
    spec.breakdown_total = hgq_lua_opt_string(L, 4, 4, "breakdown_total");
    spec.first_data_row = opt_row(L, 4, 4, "first_data_row");
    spec.first_data_col = opt_column(L, 4, 4, "first_data_col");
    spec.nrow_dims = read_dims(L, 4, "row_dims", spec.row_dims, 0, keep);
    spec.ncol_dims = read_dims(L, 4, "col_dims", spec.col_dims, 1, keep);
    if (spec.ncol_dims == 0)
        return luaL_argerror(L, 4, "'col_dims' must name at least one dimension");
    lua_getfield(L, 4, "margins");
    if (!lua_isnil(L, -1)) {
        luaL_Buffer b;
        lua_Integer i, n;
        int m = lua_gettop(L);
        luaL_argcheck(L, lua_istable(L, m), 4, "'margins' must be an array of labels");
        n = (lua_Integer)lua_rawlen(L, m);
        luaL_buffinit(L, &b);
        for (i = 1; i <= n; i++) {
            if (i > 1)
                luaL_addchar(&b, '|');
            lua_rawgeti(L, m, i);
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_argerror(L, 4, "'margins' must be an array of labels");
            luaL_addvalue(&b);
        }
        luaL_pushresult(&b);
        spec.margins = lua_tostring(L, -1);
        lua_rawseti(L, keep, (lua_Integer)lua_rawlen(L, keep) + 1);
    }
    lua_pop(L, 1);
    reader_options(L, 4, 4, &ro);
    if (wb)
        st = hgq_import_aggregate(ds, wb, name, &spec, &sum, &err);
    else
        st = hgq_import_aggregate_file(ds, path, name, &spec, &ro, &sum, &err);
    if (st != HGQ_OK) {
        hgq_import_summary_free(&sum);
        return hgq_lua_fail(L, &err);
    }
    push_summary(L, &sum);
    hgq_import_summary_free(&sum);
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Tables and records
 * ===================================================================== */

static hgq_table *check_table(lua_State *L, hgq_dataset *ds, int idx)
{
    const char *name = luaL_checkstring(L, idx);
    hgq_table *t = hgq_dataset_table(ds, name);
    if (!t)
        luaL_argerror(L, idx, lua_pushfstring(L, "no table '%s' in the dataset", name));
    return t;
}

static void push_record(lua_State *L, const hgq_table *t, size_t row)
{
    size_t c, n = hgq_table_ncols(t);
    lua_createtable(L, 0, (int)n);
    for (c = 0; c < n; c++) {
        const hgq_value *v = hgq_table_get(t, row, c);
        if (v->type == HGQ_NULL)
            continue;
        hgq_lua_push_value(L, v);
        lua_setfield(L, -2, hgq_table_column_name(t, c));
    }
}

static const char *const meta_names[] = {"kind", "entity", "title", "dims", "measure",
                                         "breakdown", "breakdown_total", "unit", NULL};

static void push_table_info(lua_State *L, const hgq_table *t)
{
    size_t c, n = hgq_table_ncols(t);
    int i;
    lua_createtable(L, 0, 8);
    hgq_lua_set_str(L, "name", hgq_table_name(t));
    hgq_lua_set_int(L, "rows", (lua_Integer)hgq_table_nrows(t));
    for (i = 0; meta_names[i]; i++)
        hgq_lua_set_str(L, meta_names[i], hgq_table_meta(t, meta_names[i]));
    lua_createtable(L, (int)n, 0);
    for (c = 0; c < n; c++) {
        lua_pushstring(L, hgq_table_column_name(t, c));
        lua_rawseti(L, -2, (lua_Integer)c + 1);
    }
    lua_setfield(L, -2, "columns");
}

/* ds:tables() -> array of {name=, rows=, kind=, title=, columns={...}} */
static int ds_tables(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    size_t i, n = hgq_dataset_table_count(ds);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        push_table_info(L, hgq_dataset_table_at(ds, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* ds:table(name) -> {name=, rows=, ...} or nil */
static int ds_table(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    hgq_table *t = hgq_dataset_table(ds, luaL_checkstring(L, 2));
    if (!t)
        return 0;
    push_table_info(L, t);
    return 1;
}

static int ds_count(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    hgq_table *t = hgq_dataset_table(ds, luaL_checkstring(L, 2));
    lua_pushinteger(L, t ? (lua_Integer)hgq_table_nrows(t) : 0);
    return 1;
}

static int records_iter(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, lua_upvalueindex(1));
    const char *name = lua_tostring(L, lua_upvalueindex(2));
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(3));
    hgq_table *t = hgq_dataset_table(ds, name);
    if (!t || (size_t)i >= hgq_table_nrows(t))
        return 0;
    lua_pushinteger(L, i + 1);
    lua_replace(L, lua_upvalueindex(3));
    push_record(L, t, (size_t)i);
    lua_pushinteger(L, i + 1);
    return 2;
}

/* for rec, i in ds:records(name) do ... end (an absent table yields nothing) */
static int ds_records(lua_State *L)
{
    check_ds(L, 1);
    luaL_checkstring(L, 2);
    lua_settop(L, 2);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, records_iter, 3);
    return 1;
}

/* ds:record(name, i) -> record table or nil */
static int ds_record(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    hgq_table *t = check_table(L, ds, 2);
    lua_Integer i = luaL_checkinteger(L, 3);
    if (i < 1 || (size_t)i > hgq_table_nrows(t))
        return 0;
    push_record(L, t, (size_t)i - 1);
    return 1;
}

/* ds:origin(name, i [, field]) -> {file=, sheet=, row=, col=, cell=} or nil */
static int ds_origin(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    hgq_table *t = check_table(L, ds, 2);
    lua_Integer i = luaL_checkinteger(L, 3);
    const char *field = luaL_optstring(L, 4, NULL);
    hgq_origin o;
    long c = HGQ_WHOLE_ROW;
    int found;
    if (i < 1 || (size_t)i > hgq_table_nrows(t))
        return 0;
    if (field) {
        c = hgq_table_find_column(t, field);
        if (c < 0)
            return luaL_argerror(L, 4, lua_pushfstring(L, "table '%s' has no column '%s'",
                                                       hgq_table_name(t), field));
        found = hgq_table_origin(t, (size_t)i - 1, (size_t)c, &o);
    } else {
        /* the row's origin: asked through a column without an own origin */
        found = hgq_table_ncols(t) > 0 && hgq_table_origin(t, (size_t)i - 1, 0, &o);
        if (found)
            o.col = HGQ_WHOLE_ROW;
    }
    if (!found)
        return 0;
    hgq_lua_push_origin(L, &o);
    return 1;
}

static int ds_drop(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    lua_pushboolean(L, hgq_dataset_drop_table(ds, luaL_checkstring(L, 2)));
    return 1;
}

/* A Lua value as a cell, for hgq_schema_parse. */
static hgq_cell lua_cell(lua_State *L, int idx)
{
    hgq_cell c;
    double serial;
    memset(&c, 0, sizeof c);
    c.numfmt = "General";
    switch (lua_type(L, idx)) {
    case LUA_TNIL: c.type = HGQ_CELL_EMPTY; break;
    case LUA_TBOOLEAN: c.type = HGQ_CELL_BOOL; c.number = lua_toboolean(L, idx); break;
    case LUA_TNUMBER: c.type = HGQ_CELL_NUMBER; c.number = lua_tonumber(L, idx); break;
    case LUA_TSTRING: c.type = HGQ_CELL_STRING; c.text = lua_tolstring(L, idx, &c.text_len); break;
    default:
        if (hgq_lua_to_date(L, idx, &serial)) {
            c.type = HGQ_CELL_DATE;
            c.number = serial;
        } else {
            c.type = HGQ_CELL_ERROR;
        }
        break;
    }
    return c;
}

/* ds:add(entity, {field = value, ...}) -> index | nil, message
 * Values are read as an import reads cells (text is normalised, synonyms
 * applied); a bad value, an unknown field or a missing required value
 * refuses the record. */
static int ds_add(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    hgq_schemas *reg = ds_registry(L, 1);
    const char *entity = luaL_checkstring(L, 2);
    hgq_schema *s = hgq_schemas_get(reg, entity);
    hgq_table *t;
    hgq_error err;
    size_t f, n, row;
    hgq_parsed *vals;
    luaL_checktype(L, 3, LUA_TTABLE);
    if (!s)
        return luaL_argerror(L, 2, lua_pushfstring(L, "no entity named '%s'", entity));
    lua_pushnil(L);
    while (lua_next(L, 3)) {
        lua_pop(L, 1);
        if (lua_type(L, -1) != LUA_TSTRING || hgq_schema_find_field(s, lua_tostring(L, -1)) < 0)
            return luaL_argerror(L, 3, lua_pushfstring(L, "'%s' is not a field of '%s'",
                                                       lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?",
                                                       entity));
    }
    n = hgq_schema_field_count(s);
    vals = lua_newuserdatauv(L, n * sizeof *vals + 1, 0);
    for (f = 0; f < n; f++) {
        hgq_field_info fi;
        hgq_cell c;
        hgq_schema_field_info(s, f, &fi);
        lua_getfield(L, 3, fi.id);
        c = lua_cell(L, -1);
        if (c.type == HGQ_CELL_ERROR) {
            size_t k;
            for (k = 0; k < f; k++)
                hgq_parsed_clear(&vals[k]);
            return luaL_argerror(L, 3, lua_pushfstring(L, "field '%s': string, number, boolean or date expected", fi.id));
        }
        hgq_schema_parse(s, f, &c, NULL, &vals[f]);
        lua_pop(L, 1);
        if (vals[f].status == HGQ_PARSE_BAD ||
            ((fi.flags & HGQ_FIELD_REQUIRED) && vals[f].status == HGQ_PARSE_EMPTY)) {
            size_t k;
            if (vals[f].status == HGQ_PARSE_BAD)
                lua_pushfstring(L, "%s%s", fi.label, vals[f].reason);
            else
                lua_pushfstring(L, "缺少%s", fi.label);
            for (k = 0; k <= f; k++)
                hgq_parsed_clear(&vals[k]);
            lua_pushnil(L);
            lua_insert(L, -2);
            return 2;
        }
    }
    if (hgq_entity_table(ds, s, &t, &err) != HGQ_OK ||
        hgq_table_append_row(t, &row, &err) != HGQ_OK) {
        for (f = 0; f < n; f++)
            hgq_parsed_clear(&vals[f]);
        return luaL_error(L, "%s", err.message);
    }
    for (f = 0; f < n; f++) {
        hgq_field_info fi;
        hgq_schema_field_info(s, f, &fi);
        if (vals[f].status == HGQ_PARSE_OK)
            hgq_table_set(t, row, (size_t)hgq_table_find_column(t, fi.id), &vals[f].value, NULL);
        hgq_parsed_clear(&vals[f]);
    }
    lua_pushinteger(L, (lua_Integer)row + 1);
    return 1;
}

/* Builds a long-form table named `name` from an array of rows at idx:
 * {{dim = "...", ..., value = n}, ...}, with the columns of `dims` and "value". */
static hgq_table *table_from_rows(lua_State *L, int idx, const char *name, const char *dims)
{
    hgq_table *t = hgq_table_new(name);
    lua_Integer i, n = (lua_Integer)lua_rawlen(L, idx);
    const char *p = dims;
    size_t ncols = 0, c;
    char cols[16][128];
    if (!t)
        luaL_error(L, "out of memory");
    while (p && *p && ncols < 16) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        if (l >= sizeof cols[0])
            l = sizeof cols[0] - 1;
        memcpy(cols[ncols], p, l);
        cols[ncols][l] = '\0';
        if (l) {
            hgq_table_add_column(t, cols[ncols], HGQ_TEXT, NULL, NULL);
            ncols++;
        }
        p = comma ? comma + 1 : NULL;
    }
    hgq_table_add_column(t, "value", HGQ_NUM, NULL, NULL);
    hgq_table_set_meta(t, "kind", "aggregate", NULL);
    hgq_table_set_meta(t, "dims", dims, NULL);
    for (i = 1; i <= n; i++) {
        size_t row;
        lua_rawgeti(L, idx, i);
        if (!lua_istable(L, -1)) {
            hgq_table_free(t);
            luaL_error(L, "computed row %d is not a table", (int)i);
        }
        if (hgq_table_append_row(t, &row, NULL) != HGQ_OK) {
            hgq_table_free(t);
            luaL_error(L, "out of memory");
        }
        for (c = 0; c <= ncols; c++) {
            hgq_value v;
            lua_getfield(L, -1, c < ncols ? cols[c] : "value");
            if (c < ncols) {
                const char *s = luaL_tolstring(L, -1, NULL);
                v = lua_isnil(L, -2) ? hgq_null() : hgq_text(s);
                hgq_table_set(t, row, c, &v, NULL);
                lua_pop(L, 1);
            } else {
                v = lua_type(L, -1) == LUA_TNUMBER ? hgq_num(lua_tonumber(L, -1)) : hgq_null();
                hgq_table_set(t, row, c, &v, NULL);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    return t;
}

static const char *const compare_keys[] = {"dims", "tolerance", "missing_as_zero", NULL};

/* ds:compare(published_name, computed_name_or_rows [, opts]) -> number of differences */
static int ds_compare(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    hgq_table *pub = check_table(L, ds, 2);
    hgq_table *comp = NULL, *owned = NULL;
    hgq_compare_options opt;
    hgq_error err;
    size_t ndiff;
    hgq_status st;
    hgq_compare_options_init(&opt);
    if (!lua_isnoneornil(L, 4)) {
        luaL_checktype(L, 4, LUA_TTABLE);
        hgq_lua_check_keys(L, 4, 4, compare_keys, "compare option");
        opt.dims = hgq_lua_opt_string(L, 4, 4, "dims");
        lua_getfield(L, 4, "tolerance");
        if (!lua_isnil(L, -1))
            opt.tolerance = luaL_checknumber(L, -1);
        lua_pop(L, 1);
        opt.missing_as_zero = hgq_lua_opt_bool(L, 4, "missing_as_zero", opt.missing_as_zero);
    }
    if (lua_type(L, 3) == LUA_TTABLE) {
        const char *dims = opt.dims ? opt.dims : hgq_table_meta(pub, "dims");
        if (!dims)
            return luaL_argerror(L, 2, "the published table names no dimensions");
        owned = comp = table_from_rows(L, 3, "computed", dims);
    } else {
        comp = check_table(L, ds, 3);
    }
    st = hgq_compare_aggregates(ds, pub, comp, &opt, &ndiff, &err);
    hgq_table_free(owned);
    if (st != HGQ_OK)
        return hgq_lua_fail(L, &err);
    lua_pushinteger(L, (lua_Integer)ndiff);
    return 1;
}

/* ds:check_aggregate(name [, tolerance]) -> number of findings added */
static int ds_check_aggregate(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    hgq_table *t = check_table(L, ds, 2);
    double tol = luaL_optnumber(L, 3, 1e-6);
    hgq_error err;
    size_t n;
    if (hgq_check_aggregate(ds, t, NULL, tol, &n, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    lua_pushinteger(L, (lua_Integer)n);
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Validation and findings
 * ===================================================================== */

static const char *const validate_keys[] = {"checks", "tolerance", NULL};
static const char *const check_names[] = {"fields", "ids", "unique", "refs", "aggregates", NULL};

/* ds:validate([{checks = {"ids", "unique"}, tolerance = 0.5}]) -> added, total */
static int ds_validate(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    hgq_schemas *reg = ds_registry(L, 1);
    hgq_validate_options opt;
    hgq_error err;
    size_t added;
    hgq_validate_options_init(&opt);
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        hgq_lua_check_keys(L, 2, 2, validate_keys, "validate option");
        lua_getfield(L, 2, "tolerance");
        if (!lua_isnil(L, -1))
            opt.tolerance = luaL_checknumber(L, -1);
        lua_pop(L, 1);
        lua_getfield(L, 2, "checks");
        if (!lua_isnil(L, -1)) {
            lua_Integer i, n;
            luaL_argcheck(L, lua_istable(L, -1), 2, "'checks' must be an array of names");
            opt.checks = 0;
            n = (lua_Integer)lua_rawlen(L, -1);
            for (i = 1; i <= n; i++) {
                int k;
                lua_rawgeti(L, -1, i);
                k = luaL_checkoption(L, -1, NULL, check_names);
                opt.checks |= 1u << k;
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
    if (hgq_validate(ds, reg, &opt, &added, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    lua_pushinteger(L, (lua_Integer)added);
    lua_pushinteger(L, (lua_Integer)hgq_dataset_finding_count(ds));
    return 2;
}

static void push_finding(lua_State *L, const hgq_finding *f)
{
    lua_createtable(L, 0, 12);
    hgq_lua_set_str(L, "severity", hgq_severity_name(f->severity));
    hgq_lua_set_str(L, "code", f->code);
    hgq_lua_set_str(L, "message", f->message);
    hgq_lua_set_str(L, "entity", f->entity);
    hgq_lua_set_str(L, "field", f->field);
    push_origin_fields(L, &f->where);
    if (f->other.file) {
        lua_createtable(L, 0, 5);
        push_origin_fields(L, &f->other);
        lua_setfield(L, -2, "other");
    }
}

/* ds:findings([code_prefix]) -> array of finding tables */
static int ds_findings(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    const char *prefix = luaL_optstring(L, 2, NULL);
    size_t i, n = hgq_dataset_finding_count(ds), k = 0, pl = prefix ? strlen(prefix) : 0;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        const hgq_finding *f = hgq_dataset_finding(ds, i);
        if (prefix && strncmp(f->code, prefix, pl) != 0)
            continue;
        push_finding(L, f);
        lua_rawseti(L, -2, (lua_Integer)++k);
    }
    return 1;
}

static const char *const severity_names[] = {"错误", "警告", "提示", NULL};
static const char *const severity_names_en[] = {"error", "warning", "note", NULL};
static const char *const finding_keys[] = {"severity", "code", "message", "entity", "field",
                                           "where", "other", NULL};
static const char *const origin_keys[] = {"file", "sheet", "row", "col", "cell", NULL};

/* A location {file =, sheet =, row =, col =, cell =} at field `key` of the
 * table at idx (1-based, as ds:origin returns it; `cell` stands for row and
 * col). Returns 1 and fills *o when present; the strings stay in the table. */
static int opt_origin(lua_State *L, int arg, int idx, const char *key, hgq_origin *o)
{
    int t = lua_getfield(L, idx, key), top = lua_gettop(L);
    const char *cell;
    long row, col;
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (t != LUA_TTABLE)
        luaL_argerror(L, arg, lua_pushfstring(L, "'%s' must be a location {file =, sheet =, row =, col =}", key));
    hgq_lua_check_keys(L, arg, top, origin_keys, lua_pushfstring(L, "key of '%s'", key));
    memset(o, 0, sizeof *o);
    o->file = hgq_lua_opt_string(L, arg, top, "file");
    o->sheet = hgq_lua_opt_string(L, arg, top, "sheet");
    if (!o->file)
        luaL_argerror(L, arg, lua_pushfstring(L, "'%s' needs a file", key));
    row = opt_row(L, arg, top, "row");
    col = opt_column(L, arg, top, "col");
    cell = hgq_lua_opt_string(L, arg, top, "cell");
    if (cell) {
        uint32_t r, c;
        if (!hgq_ref_parse(cell, strlen(cell), &r, &c))
            luaL_argerror(L, arg, lua_pushfstring(L, "'%s.cell' is not a cell reference such as \"F7\"", key));
        if ((row >= 0 && (uint32_t)row != r) || (col >= 0 && (uint32_t)col != c))
            luaL_argerror(L, arg, lua_pushfstring(L, "'%s.cell' disagrees with its row and col", key));
        row = (long)r;
        col = (long)c;
    }
    if (row < 0)
        luaL_argerror(L, arg, lua_pushfstring(L, "'%s' needs a row (or a cell)", key));
    o->row = (uint32_t)row;
    o->col = col < 0 ? HGQ_WHOLE_ROW : (uint32_t)col;
    lua_settop(L, top - 1);   /* the location's strings stay alive in the argument */
    return 1;
}

/* ds:add_finding{severity = "警告", code = "x.y", message = "...", entity =, field =,
 *                where = {file =, sheet =, row =, col =}, other = {...}} */
static int ds_add_finding(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    const char *sev, *code, *msg;
    hgq_origin where, other;
    int k, i, has_where, has_other;
    luaL_checktype(L, 2, LUA_TTABLE);
    hgq_lua_check_keys(L, 2, 2, finding_keys, "finding key");
    sev = hgq_lua_opt_string(L, 2, 2, "severity");
    code = hgq_lua_opt_string(L, 2, 2, "code");
    msg = hgq_lua_opt_string(L, 2, 2, "message");
    if (!code || !msg)
        return luaL_argerror(L, 2, "a finding needs 'code' and 'message'");
    k = HGQ_SEV_WARNING;
    if (sev) {
        k = -1;
        for (i = 0; severity_names[i]; i++)
            if (strcmp(sev, severity_names[i]) == 0 || strcmp(sev, severity_names_en[i]) == 0)
                k = i;
        if (k < 0)
            return luaL_argerror(L, 2, "severity must be 错误, 警告 or 提示 (error, warning, note)");
    }
    has_where = opt_origin(L, 2, 2, "where", &where);
    has_other = opt_origin(L, 2, 2, "other", &other);
    if (has_other && !has_where)
        return luaL_argerror(L, 2, "'other' needs 'where'");
    if (hgq_dataset_add_finding(ds, (hgq_severity)k, code, hgq_lua_opt_string(L, 2, 2, "entity"),
                                hgq_lua_opt_string(L, 2, 2, "field"), has_where ? &where : NULL,
                                has_other ? &other : NULL, "%s", msg) != HGQ_OK)
        return luaL_error(L, "out of memory");
    return 0;
}

/* ds:sources() -> array of {file=, sheet=, entity=, read=, accepted=, rejected=, skipped=} */
static int ds_sources(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    size_t i, n = hgq_dataset_source_count(ds);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        const hgq_source *s = hgq_dataset_source(ds, i);
        lua_createtable(L, 0, 7);
        hgq_lua_set_str(L, "file", s->file);
        hgq_lua_set_str(L, "sheet", s->sheet);
        hgq_lua_set_str(L, "entity", s->entity);
        hgq_lua_set_int(L, "read", (lua_Integer)s->rows_read);
        hgq_lua_set_int(L, "accepted", (lua_Integer)s->rows_accepted);
        hgq_lua_set_int(L, "rejected", (lua_Integer)s->rows_rejected);
        hgq_lua_set_int(L, "skipped", (lua_Integer)s->rows_skipped);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* }==================================================================== */

static const luaL_Reg schemas_meta[] = {
    {"__gc", schemas_close},
    {"__close", schemas_close},
    {"__tostring", schemas_tostring},
    {NULL, NULL}
};

static const luaL_Reg schemas_methods[] = {
    {"entity", schemas_entity},
    {"entities", schemas_entities},
    {"define", schemas_define},
    {"close", schemas_close},
    {NULL, NULL}
};

static const luaL_Reg schema_meta[] = {
    {"__tostring", schema_tostring},
    {NULL, NULL}
};

static const luaL_Reg schema_methods[] = {
    {"add_field", schema_add_field},
    {"add_synonym", schema_add_synonym},
    {"add_header", schema_add_header},
    {"add_value", schema_add_value},
    {"fields", schema_fields},
    {"field", schema_field},
    {"canonical", schema_canonical},
    {"id", schema_id},
    {"label", schema_label},
    {NULL, NULL}
};

static const luaL_Reg dataset_meta[] = {
    {"__gc", ds_close},
    {"__close", ds_close},
    {"__tostring", ds_tostring},
    {NULL, NULL}
};

static const luaL_Reg dataset_methods[] = {
    {"year", ds_year},
    {"as_of", ds_as_of},
    {"property", ds_property},
    {"schemas", ds_schemas},
    {"schema", ds_schema},
    {"define_entity", ds_define_entity},
    {"import", ds_import},
    {"import_aggregate", ds_import_aggregate},
    {"tables", ds_tables},
    {"table", ds_table},
    {"count", ds_count},
    {"records", ds_records},
    {"record", ds_record},
    {"origin", ds_origin},
    {"add", ds_add},
    {"drop", ds_drop},
    {"validate", ds_validate},
    {"check_aggregate", ds_check_aggregate},
    {"compare", ds_compare},
    {"findings", ds_findings},
    {"add_finding", ds_add_finding},
    {"sources", ds_sources},
    {"close", ds_close},
    {NULL, NULL}
};

static const luaL_Reg model_funcs[] = {
    {"dataset", l_dataset},
    {"schemas", l_schemas},
    {"define_entity", l_define_entity},
    {NULL, NULL}
};

void hgq_lua_open_model(lua_State *L)
{
    hgq_lua_new_class(L, SCHEMAS_MT, schemas_meta, schemas_methods, "__index");
    hgq_lua_new_class(L, SCHEMA_MT, schema_meta, schema_methods, "__index");
    hgq_lua_new_class(L, DATASET_MT, dataset_meta, dataset_methods, "__index");
    luaL_setfuncs(L, model_funcs, 0);
}
