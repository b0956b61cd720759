/*
 * lstats.c - the statistics engine and the indicator catalogue in the hgq
 * Lua module.
 *
 *   local n = hgq.stats.count(ds, "staff", {post = "专任教师"})
 *   local rows = hgq.stats.group(ds, "student", {by = {"major"}, filter = {status = "在校"}})
 *   local x = hgq.stats.crosstab(ds, "staff", {rows = "title", cols = "age_band",
 *                                              filter = {post = "专任教师"}})
 *   print(x.rows[1], x.cols[1], x.cells[1][1], x.row_totals[1], x.total)
 *   local cat = hgq.catalogue()
 *   cat:add{id = "clubs_per_100", name = "每百名学生社团数", unit = "个",
 *           compute = function(ds) return 12, hgq.stats.count(ds, "student") / 100 end}
 *   for _, r in ipairs(cat:evaluate(ds, {variants = {employment_rate = "B"}})) do
 *       print(r.name, r.text, r.judgement)
 *   end
 *
 * Lua predicates (filter = function(rec) ... end, rows = function(rec) ...
 * end) are called here, before the C engine runs, one record at a time: the
 * engine then gets a row selection or a key per row. So a Lua error never
 * unwinds through the library, and every temporary is Lua-owned (userdata),
 * so nothing leaks when one is raised.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lhgq.h"


#define CATALOGUE_MT "hgq.catalogue"
#define BOX_MT "hgq.stats.box"

/* {====================================================================
 * Helpers
 * ===================================================================== */

/* A Lua-owned box for a C result, freed by __gc if an error intervenes. */
typedef struct box {
    void *p;
    void (*release)(void *);
} box;

static int box_gc(lua_State *L)
{
    box *b = luaL_checkudata(L, 1, BOX_MT);
    if (b->p && b->release)
        b->release(b->p);
    b->p = NULL;
    return 0;
}

static box *push_box(lua_State *L, void (*release)(void *))
{
    box *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->p = NULL;
    b->release = release;
    luaL_setmetatable(L, BOX_MT);
    return b;
}

static void release_table(void *p) { hgq_table_free(p); }
static void release_crosstab(void *p) { hgq_crosstab_free(p); }
static void release_results(void *p) { hgq_indicator_results_free(p); }

/* Zeroed scratch memory owned by Lua (left on the stack). */
static void *scratch(lua_State *L, size_t size)
{
    void *p = lua_newuserdatauv(L, size ? size : 1, 0);
    memset(p, 0, size ? size : 1);
    return p;
}

static hgq_dataset *check_ds(lua_State *L, int idx)
{
    return hgq_lua_check_dataset(L, idx);
}

/* The table `entity` of the dataset, or NULL with err set. */
static const hgq_table *find_entity(const hgq_dataset *ds, const char *entity, hgq_error *err)
{
    const hgq_table *t = hgq_dataset_table(ds, entity);
    if (!t)
        hgq_error_set(err, HGQ_ENOTFOUND, "the dataset has no table '%s'", entity);
    return t;
}

/* A number that is whole is pushed as a Lua integer (counts read naturally). */
static void push_number(lua_State *L, double v)
{
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        lua_pushinteger(L, (lua_Integer)v);
    else
        lua_pushnumber(L, v);
}

/* Pushes record `row` of t as a table of its non-missing fields. */
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

/* Pushes a table as an array of records. */
static void push_records(lua_State *L, const hgq_table *t)
{
    size_t r, n = hgq_table_nrows(t);
    lua_createtable(L, (int)n, 0);
    for (r = 0; r < n; r++) {
        push_record(L, t, r);
        lua_rawseti(L, -2, (lua_Integer)r + 1);
    }
}

/* }==================================================================== */

/* {====================================================================
 * Filters: {field = value | {v1, v2}} or function(record) -> boolean
 * ===================================================================== */

/* Converts the Lua value at idx to an hgq_value for a filter (text borrowed). */
static hgq_value filter_value(lua_State *L, int arg, int idx, const char *field)
{
    double serial;
    switch (lua_type(L, idx)) {
    case LUA_TBOOLEAN: return hgq_bool(lua_toboolean(L, idx));
    case LUA_TNUMBER:
        return lua_isinteger(L, idx) ? hgq_int((int64_t)lua_tointeger(L, idx))
                                     : hgq_num(lua_tonumber(L, idx));
    case LUA_TSTRING: return hgq_text(lua_tostring(L, idx));
    default:
        if (hgq_lua_to_date(L, idx, &serial))
            return hgq_date(serial);
        luaL_argerror(L, arg, lua_pushfstring(L, "filter value for '%s' must be a string, number, "
                                                 "boolean, date or a list of them", field));
        return hgq_null();
    }
}

/*
 * Fills *f from the filter at idx (nil, a table or a function) for table t.
 * Leaves one value on the stack (the memory the filter points into); the
 * filter table itself must stay on the stack while f is used.
 */
static void check_filter(lua_State *L, int arg, int idx, const hgq_table *t, hgq_filter *f)
{
    memset(f, 0, sizeof *f);
    idx = lua_absindex(L, idx);
    if (lua_isnoneornil(L, idx)) {
        lua_pushnil(L);
        return;
    }
    if (lua_type(L, idx) == LUA_TFUNCTION) {
        size_t r, n = hgq_table_nrows(t);
        unsigned char *keep = scratch(L, n);
        for (r = 0; r < n; r++) {
            lua_pushvalue(L, idx);
            push_record(L, t, r);
            lua_call(L, 1, 1);
            keep[r] = (unsigned char)lua_toboolean(L, -1);
            lua_pop(L, 1);
        }
        f->keep = keep;
        f->nkeep = n;
        return;
    }
    if (lua_type(L, idx) != LUA_TTABLE || hgq_lua_to_date(L, idx, &(double){0}))
        luaL_argerror(L, arg, "filter must be a table {field = value} or a function(record)");
    {
        size_t nconds = 0, nalts = 0, k = 0, a = 0;
        hgq_cond *conds;
        hgq_value *alts;
        char *mem;
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            if (lua_type(L, -2) != LUA_TSTRING)
                luaL_argerror(L, arg, "filter keys must be field names");
            nconds++;
            if (lua_type(L, -1) == LUA_TTABLE && !hgq_lua_to_date(L, -1, &(double){0}))
                nalts += lua_rawlen(L, -1);
            lua_pop(L, 1);
        }
        mem = scratch(L, nconds * sizeof *conds + nalts * sizeof *alts);
        conds = (hgq_cond *)(void *)mem;
        alts = (hgq_value *)(void *)(mem + nconds * sizeof *conds);
        lua_pushnil(L);
        while (lua_next(L, idx)) {
            hgq_cond *c = &conds[k++];
            int top = lua_gettop(L);
            c->field = lua_tostring(L, -2);
            if (lua_type(L, top) == LUA_TTABLE && !hgq_lua_to_date(L, top, &(double){0})) {
                size_t i, n = lua_rawlen(L, top);
                c->op = HGQ_OP_IN;
                c->alts = alts + a;
                c->nalts = n;
                for (i = 1; i <= n; i++) {
                    lua_rawgeti(L, top, (lua_Integer)i);
                    alts[a++] = filter_value(L, arg, -1, c->field);
                    lua_pop(L, 1); /* the list, in the filter table, keeps it alive */
                }
            } else {
                c->op = HGQ_OP_EQ;
                c->value = filter_value(L, arg, top, c->field);
            }
            lua_pop(L, 1);
        }
        f->conds = conds;
        f->nconds = nconds;
    }
}

/* }==================================================================== */

/* {====================================================================
 * hgq.stats functions
 * ===================================================================== */

/* hgq.stats.count(ds, entity [, filter]) -> n | nil, msg, code */
static int l_count(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    const char *entity = luaL_checkstring(L, 2);
    const hgq_table *t;
    hgq_filter f;
    hgq_error err;
    size_t n;
    if (!(t = find_entity(ds, entity, &err)))
        return hgq_lua_fail(L, &err);
    check_filter(L, 3, 3, t, &f);
    if (hgq_stats_count(t, &f, &n, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    lua_pushinteger(L, (lua_Integer)n);
    return 1;
}

/* hgq.stats.summary(ds, entity, field [, filter]) -> {rows, n, sum, mean, median, min, max} */
static int l_summary(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    const char *entity = luaL_checkstring(L, 2);
    const char *field = luaL_checkstring(L, 3);
    const hgq_table *t;
    hgq_filter f;
    hgq_summary s;
    hgq_error err;
    if (!(t = find_entity(ds, entity, &err)))
        return hgq_lua_fail(L, &err);
    check_filter(L, 4, 4, t, &f);
    if (hgq_stats_summarize(t, field, &f, &s, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    lua_createtable(L, 0, 8);
    hgq_lua_set_int(L, "rows", (lua_Integer)s.rows);
    hgq_lua_set_int(L, "n", (lua_Integer)s.n);
    hgq_lua_set_int(L, "non_numeric", (lua_Integer)s.non_numeric);
    lua_pushnumber(L, s.sum);
    lua_setfield(L, -2, "sum");
    if (s.n) {
        hgq_lua_set_num(L, "mean", s.mean);
        hgq_lua_set_num(L, "median", s.median);
        hgq_lua_set_num(L, "min", s.min);
        hgq_lua_set_num(L, "max", s.max);
    }
    return 1;
}

/* hgq.stats.median(list) -> number | nil (non-numbers are ignored) */
static int l_median(lua_State *L)
{
    size_t n, i, k = 0;
    double *v, m;
    luaL_checktype(L, 1, LUA_TTABLE);
    n = lua_rawlen(L, 1);
    v = scratch(L, n * sizeof *v);
    for (i = 1; i <= n; i++) {
        int isnum;
        double d;
        lua_rawgeti(L, 1, (lua_Integer)i);
        d = lua_tonumberx(L, -1, &isnum);
        if (isnum && lua_type(L, -1) == LUA_TNUMBER && isfinite(d))
            v[k++] = d;
        lua_pop(L, 1);
    }
    if (!hgq_stats_median(v, k, &m))
        lua_pushnil(L);
    else
        lua_pushnumber(L, m);
    return 1;
}

static void push_ratio(lua_State *L, hgq_ratio r)
{
    lua_createtable(L, 0, 4);
    push_number(L, r.num);
    lua_setfield(L, -2, "num");
    push_number(L, r.den);
    lua_setfield(L, -2, "den");
    hgq_lua_set_bool(L, "defined", r.defined);
    if (r.defined)
        hgq_lua_set_num(L, "value", r.value);
}

/* hgq.stats.ratio(num, den [, scale]) -> {num, den, value (nil when den is 0), defined} */
static int l_ratio(lua_State *L)
{
    push_ratio(L, hgq_ratio_of(luaL_checknumber(L, 1), luaL_checknumber(L, 2), luaL_optnumber(L, 3, 1)));
    return 1;
}

/* hgq.stats.growth(current, previous) -> ratio in percent */
static int l_growth(lua_State *L)
{
    push_ratio(L, hgq_ratio_growth(luaL_checknumber(L, 1), luaL_checknumber(L, 2)));
    return 1;
}

/* hgq.stats.categories(name) -> {labels} | nil */
static int l_categories(lua_State *L)
{
    size_t n, i;
    const char *const *c = hgq_stats_categories(luaL_checkstring(L, 1), &n);
    if (!c) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_pushstring(L, c[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* hgq.stats.age_band(age) -> label | nil */
static int l_age_band(lua_State *L)
{
    const char *label = NULL;
    hgq_norm_age_band((int)luaL_checkinteger(L, 1), &label);
    if (label)
        lua_pushstring(L, label);
    else
        lua_pushnil(L);
    return 1;
}

static const char *const group_keys[] = {"by", "filter", "measure", "share", "total", NULL};

/* One measure from a string "count" / "sum:amount" or a table {agg=, field=, name=}. */
static void check_measure(lua_State *L, int arg, int idx, hgq_measure *m)
{
    idx = lua_absindex(L, idx);
    memset(m, 0, sizeof *m);
    if (lua_type(L, idx) == LUA_TSTRING) {
        const char *s = lua_tostring(L, idx), *colon = strchr(s, ':');
        if (colon) {
            lua_pushlstring(L, s, (size_t)(colon - s));
            if (!hgq_agg_parse(lua_tostring(L, -1), &m->agg))
                luaL_argerror(L, arg, lua_pushfstring(L, "unknown aggregate in '%s'", s));
            lua_pop(L, 1);
            m->field = colon + 1;
        } else if (!hgq_agg_parse(s, &m->agg) || m->agg != HGQ_AGG_COUNT) {
            luaL_argerror(L, arg, lua_pushfstring(L, "measure '%s': write \"count\" or \"agg:field\"", s));
        }
        return;
    }
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_argerror(L, arg, "measure must be a string or a table {agg=, field=, name=}");
    {
        const char *agg = hgq_lua_opt_string(L, arg, idx, "agg");
        if (!agg)
            agg = "count";
        if (!hgq_agg_parse(agg, &m->agg))
            luaL_argerror(L, arg, lua_pushfstring(L, "unknown aggregate '%s'", agg));
        m->field = hgq_lua_opt_string(L, arg, idx, "field");
        m->name = hgq_lua_opt_string(L, arg, idx, "name");
    }
}

/* hgq.stats.group(ds, entity, {by=, filter=, measure=, share=, total=}) -> {rows} */
static int l_group(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    const char *entity = luaL_checkstring(L, 2);
    const hgq_table *t;
    hgq_group_spec spec;
    hgq_filter f;
    hgq_error err;
    const char **by = NULL;
    hgq_measure *ms = NULL;
    size_t nby = 0, nm = 0, i;
    box *b;
    memset(&spec, 0, sizeof spec);
    if (!lua_isnoneornil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        hgq_lua_check_keys(L, 3, 3, group_keys, "option");
    } else {
        lua_newtable(L);
        lua_replace(L, 3);
    }
    lua_settop(L, 3);
    if (!(t = find_entity(ds, entity, &err)))
        return hgq_lua_fail(L, &err);
    lua_getfield(L, 3, "by");                 /* 4 */
    if (lua_type(L, 4) == LUA_TSTRING) {
        by = scratch(L, sizeof *by);           /* 5 */
        by[0] = lua_tostring(L, 4);
        nby = 1;
    } else if (lua_type(L, 4) == LUA_TTABLE) {
        nby = lua_rawlen(L, 4);
        by = scratch(L, nby * sizeof *by);     /* 5 */
        for (i = 0; i < nby; i++) {
            lua_rawgeti(L, 4, (lua_Integer)i + 1);
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_argerror(L, 3, "'by' must list field names");
            by[i] = lua_tostring(L, -1);
            lua_pop(L, 1);
        }
    } else if (!lua_isnil(L, 4)) {
        luaL_argerror(L, 3, "'by' must be a field name or a list of them");
    } else {
        lua_pushnil(L);                        /* 5 */
    }
    lua_getfield(L, 3, "measure");            /* 6 */
    if (lua_type(L, 6) == LUA_TTABLE && lua_rawlen(L, 6) > 0) {
        nm = lua_rawlen(L, 6);
        ms = scratch(L, nm * sizeof *ms);      /* 7 */
        for (i = 0; i < nm; i++) {
            lua_rawgeti(L, 6, (lua_Integer)i + 1);
            check_measure(L, 3, -1, &ms[i]);
            lua_pop(L, 1);
        }
    } else if (!lua_isnil(L, 6)) {
        nm = 1;
        ms = scratch(L, sizeof *ms);           /* 7 */
        check_measure(L, 3, 6, &ms[0]);
    } else {
        lua_pushnil(L);                        /* 7 */
    }
    lua_getfield(L, 3, "filter");             /* 8 */
    check_filter(L, 3, 8, t, &f);              /* 9 */
    spec.share = hgq_lua_opt_bool(L, 3, "share", 0);
    spec.total = hgq_lua_opt_bool(L, 3, "total", 0);
    spec.by = by;
    spec.nby = nby;
    spec.measures = ms;
    spec.nmeasures = nm;
    spec.filter = &f;
    b = push_box(L, release_table);
    if (hgq_stats_group(t, &spec, (hgq_table **)&b->p, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    push_records(L, b->p);
    return 1;
}

/* {------ crosstab ------} */

static const char *const xt_keys[] = {"rows", "cols", "row_order", "col_order", "filter", "unlisted",
                                      "agg", "field", "row_name", "col_name", NULL};

/* Keys of one dimension: a field (left as is), "age_band" computed when the
 * table has no such column, or a function(record) -> label. Pushes one
 * value (the keys' memory or nil). */
static void dim_keys(lua_State *L, int arg, int spec_idx, const char *which, const hgq_dataset *ds,
                     const hgq_table *t, hgq_dim *d, int anchor)
{
    size_t r, n = hgq_table_nrows(t);
    lua_getfield(L, spec_idx, which);
    if (lua_type(L, -1) == LUA_TSTRING) {
        const char *field = lua_tostring(L, -1);
        lua_pop(L, 1); /* the spec table keeps it alive */
        d->field = field;
        d->name = field;
        if (hgq_table_find_column(t, field) < 0 && strcmp(field, "age_band") == 0) {
            const char **keys = scratch(L, n * sizeof *keys);
            hgq_stats_age_bands(t, NULL, NULL, hgq_dataset_as_of(ds), keys, n, NULL, NULL);
            d->field = NULL;
            d->keys = keys;
            d->nkeys = n;
        } else {
            lua_pushnil(L);
        }
        {
            size_t nc;
            const char *const *order = hgq_stats_categories(field, &nc);
            if (order) {
                d->order = order;
                d->norder = nc;
            }
        }
        return;
    }
    if (lua_type(L, -1) != LUA_TFUNCTION)
        luaL_argerror(L, arg, lua_pushfstring(L, "'%s' must be a field name or a function(record)", which));
    {
        int fn = lua_gettop(L);
        const char **keys = scratch(L, n * sizeof *keys);
        for (r = 0; r < n; r++) {
            lua_pushvalue(L, fn);
            push_record(L, t, r);
            lua_call(L, 1, 1);
            if (lua_isnil(L, -1) || lua_type(L, -1) == LUA_TBOOLEAN) {
                keys[r] = NULL;
                lua_pop(L, 1);
                continue;
            }
            if (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TNUMBER)
                luaL_error(L, "%s function must return a string, a number or nil", which);
            keys[r] = luaL_tolstring(L, -1, NULL);
            lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1); /* keep it alive */
            lua_pop(L, 1);
        }
        lua_remove(L, fn);
        d->keys = keys;
        d->nkeys = n;
        d->name = strcmp(which, "rows") == 0 ? "row" : "col";
    }
}

static void dim_order(lua_State *L, int arg, int spec_idx, const char *which, hgq_dim *d, int anchor)
{
    size_t n, i;
    const char **order;
    lua_getfield(L, spec_idx, which);
    if (lua_isnil(L, -1))
        return; /* leaves nil */
    if (lua_type(L, -1) != LUA_TTABLE)
        luaL_argerror(L, arg, lua_pushfstring(L, "'%s' must be a list of labels", which));
    n = lua_rawlen(L, -1);
    order = scratch(L, n * sizeof *order);
    for (i = 0; i < n; i++) {
        lua_rawgeti(L, -2, (lua_Integer)i + 1);
        if (lua_type(L, -1) != LUA_TSTRING && lua_type(L, -1) != LUA_TNUMBER)
            luaL_argerror(L, arg, lua_pushfstring(L, "'%s' must be a list of labels", which));
        order[i] = luaL_tolstring(L, -1, NULL);
        lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1); /* keep it alive */
        lua_pop(L, 1);
    }
    d->order = order;
    d->norder = n;
}

static void push_labels(lua_State *L, const char *const *labels, size_t n)
{
    size_t i;
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        lua_pushstring(L, labels[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

static void push_cell(lua_State *L, const hgq_crosstab *ct, size_t r, size_t c)
{
    double v;
    if (hgq_crosstab_get(ct, r, c, &v))
        push_number(L, v);
    else
        lua_pushnil(L);
}

static void push_crosstab(lua_State *L, const hgq_crosstab *ct)
{
    size_t r, c;
    lua_createtable(L, 0, 10);
    push_labels(L, (const char *const *)ct->row_labels, ct->nrows);
    lua_setfield(L, -2, "rows");
    push_labels(L, (const char *const *)ct->col_labels, ct->ncols);
    lua_setfield(L, -2, "cols");
    lua_createtable(L, (int)ct->nrows, 0);
    for (r = 0; r < ct->nrows; r++) {
        lua_createtable(L, (int)ct->ncols, 0);
        for (c = 0; c < ct->ncols; c++) {
            push_cell(L, ct, r, c);
            lua_rawseti(L, -2, (lua_Integer)c + 1);
        }
        lua_rawseti(L, -2, (lua_Integer)r + 1);
    }
    lua_setfield(L, -2, "cells");
    lua_createtable(L, (int)ct->nrows, 0);
    for (r = 0; r < ct->nrows; r++) {
        push_cell(L, ct, r, ct->ncols);
        lua_rawseti(L, -2, (lua_Integer)r + 1);
    }
    lua_setfield(L, -2, "row_totals");
    lua_createtable(L, (int)ct->ncols, 0);
    for (c = 0; c < ct->ncols; c++) {
        push_cell(L, ct, ct->nrows, c);
        lua_rawseti(L, -2, (lua_Integer)c + 1);
    }
    lua_setfield(L, -2, "col_totals");
    push_cell(L, ct, ct->nrows, ct->ncols);
    lua_setfield(L, -2, "total");
    hgq_lua_set_str(L, "row_name", ct->row_name);
    hgq_lua_set_str(L, "col_name", ct->col_name);
    hgq_lua_set_str(L, "agg", hgq_agg_name(ct->agg));
    hgq_lua_set_int(L, "records", (lua_Integer)ct->records);
    hgq_lua_set_int(L, "dropped", (lua_Integer)ct->dropped);
}

/* hgq.stats.crosstab(ds, entity, {rows=, cols=, row_order=, col_order=, filter=,
 *                    unlisted=, agg=, field=, row_name=, col_name=}) */
static int l_crosstab(lua_State *L)
{
    static const char *const unlisted[] = {"append", "drop", "error", NULL};
    hgq_dataset *ds = check_ds(L, 1);
    const char *entity = luaL_checkstring(L, 2);
    const hgq_table *t;
    hgq_crosstab_spec spec;
    hgq_filter f;
    hgq_error err;
    const char *s;
    int anchor;
    box *b;
    luaL_checktype(L, 3, LUA_TTABLE);
    hgq_lua_check_keys(L, 3, 3, xt_keys, "option");
    lua_settop(L, 3);
    if (!(t = find_entity(ds, entity, &err)))
        return hgq_lua_fail(L, &err);
    memset(&spec, 0, sizeof spec);
    lua_newtable(L);
    anchor = lua_gettop(L);
    dim_keys(L, 3, 3, "rows", ds, t, &spec.rows, anchor);
    dim_keys(L, 3, 3, "cols", ds, t, &spec.cols, anchor);
    dim_order(L, 3, 3, "row_order", &spec.rows, anchor);
    dim_order(L, 3, 3, "col_order", &spec.cols, anchor);
    if ((s = hgq_lua_opt_string(L, 3, 3, "row_name")))
        spec.rows.name = s;
    if ((s = hgq_lua_opt_string(L, 3, 3, "col_name")))
        spec.cols.name = s;
    lua_getfield(L, 3, "unlisted");
    spec.rows.unlisted = spec.cols.unlisted = (hgq_unlisted)luaL_checkoption(L, -1, "append", unlisted);
    lua_pop(L, 1);
    if ((s = hgq_lua_opt_string(L, 3, 3, "agg")) && !hgq_agg_parse(s, &spec.agg))
        luaL_argerror(L, 3, lua_pushfstring(L, "unknown aggregate '%s'", s));
    spec.field = hgq_lua_opt_string(L, 3, 3, "field");
    lua_getfield(L, 3, "filter");
    check_filter(L, 3, -1, t, &f);
    spec.filter = &f;
    b = push_box(L, release_crosstab);
    if (hgq_crosstab_compute(t, &spec, (hgq_crosstab **)&b->p, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    push_crosstab(L, b->p);
    return 1;
}

/* Conditions from a Lua table {dim = value | {values}} for aggregate tables
 * (reuses the filter reader). */
static void check_where(lua_State *L, int arg, int idx, const hgq_table *t, hgq_filter *f)
{
    if (lua_isnoneornil(L, idx)) {
        memset(f, 0, sizeof *f);
        lua_pushnil(L);
        return;
    }
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_argerror(L, arg, "'where' must be a table {dimension = value}");
    check_filter(L, arg, idx, t, f);
}

/* hgq.stats.aggregate(ds, table, {dim = value ...}) -> value | nil */
static int l_aggregate(lua_State *L)
{
    hgq_dataset *ds = check_ds(L, 1);
    const char *name = luaL_checkstring(L, 2);
    const hgq_table *t;
    hgq_filter f;
    hgq_error err;
    double v;
    int found;
    lua_settop(L, 3);
    if (!(t = find_entity(ds, name, &err)))
        return hgq_lua_fail(L, &err);
    check_where(L, 3, 3, t, &f);
    if (hgq_aggregate_value(t, f.conds, f.nconds, &v, &found, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    if (found)
        push_number(L, v);
    else
        lua_pushnil(L);
    return 1;
}

/* hgq.stats.history(ds, table, {time = "year", where = {...}}) -> {{period, value, previous,
 * change, growth, cumulative}} */
static int l_history(lua_State *L)
{
    static const char *const keys[] = {"time", "where", NULL};
    hgq_dataset *ds = check_ds(L, 1);
    const char *name = luaL_checkstring(L, 2);
    const char *time;
    const hgq_table *t;
    hgq_filter f;
    hgq_error err;
    box *b;
    luaL_checktype(L, 3, LUA_TTABLE);
    hgq_lua_check_keys(L, 3, 3, keys, "option");
    lua_settop(L, 3);
    time = hgq_lua_opt_string(L, 3, 3, "time");
    if (!time)
        time = "year";
    if (!(t = find_entity(ds, name, &err)))
        return hgq_lua_fail(L, &err);
    lua_getfield(L, 3, "where");
    check_where(L, 3, -1, t, &f);
    b = push_box(L, release_table);
    if (hgq_stats_history(t, time, f.conds, f.nconds, (hgq_table **)&b->p, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    push_records(L, b->p);
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * The catalogue
 * ===================================================================== */

/* User value 1: a table id -> {compute = fn, scale = n} of Lua indicators. */
typedef struct lcatalogue {
    hgq_catalogue *cat;   /* NULL once closed */
} lcatalogue;

static hgq_catalogue *check_cat(lua_State *L, int idx)
{
    return hgq_lua_check_open(L, idx, CATALOGUE_MT, "catalogue");
}

static int cat_close(lua_State *L)
{
    lcatalogue *u = luaL_checkudata(L, 1, CATALOGUE_MT);
    if (u->cat) {
        hgq_catalogue_free(u->cat);
        u->cat = NULL;
    }
    return 0;
}

static int cat_tostring(lua_State *L)
{
    lcatalogue *u = luaL_checkudata(L, 1, CATALOGUE_MT);
    if (u->cat)
        lua_pushfstring(L, "hgq.catalogue (%d indicators, %d thresholds)",
                        (int)hgq_catalogue_count(u->cat), (int)hgq_catalogue_threshold_count(u->cat));
    else
        lua_pushliteral(L, "hgq.catalogue (closed)");
    return 1;
}

/* The default threshold directory: HGQ_ENV.data/thresholds when the hgq
 * command set it, else the installed one. Pushes the path or nil. */
static void push_default_thresholds(lua_State *L)
{
    lua_getglobal(L, "HGQ_ENV");
    if (lua_type(L, -1) == LUA_TTABLE) {
        lua_getfield(L, -1, "data");
        if (lua_type(L, -1) == LUA_TSTRING) {
            lua_pushfstring(L, "%s/thresholds", lua_tostring(L, -1));
            lua_replace(L, -3);
            lua_pop(L, 1);
            return;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_pushnil(L);
}

/* hgq.catalogue([{thresholds = {paths} | false, builtin = true}]) -> catalogue | nil, msg, code */
static int l_catalogue(lua_State *L)
{
    static const char *const keys[] = {"thresholds", "builtin", NULL};
    lcatalogue *u;
    hgq_error err;
    int builtin = 1, ti;
    if (!lua_isnoneornil(L, 1)) {
        luaL_checktype(L, 1, LUA_TTABLE);
        hgq_lua_check_keys(L, 1, 1, keys, "option");
        builtin = hgq_lua_opt_bool(L, 1, "builtin", builtin);
    }
    lua_settop(L, 1);
    u = lua_newuserdatauv(L, sizeof *u, 1);            /* 2 */
    u->cat = NULL;
    luaL_setmetatable(L, CATALOGUE_MT);
    lua_newtable(L);
    lua_setiuservalue(L, 2, 1);
    u->cat = builtin ? hgq_catalogue_new() : hgq_catalogue_new_empty();
    if (!u->cat)
        return luaL_error(L, "out of memory");
    if (lua_istable(L, 1))
        lua_getfield(L, 1, "thresholds");               /* 3 */
    else
        lua_pushnil(L);
    ti = 3;
    if (lua_isnil(L, ti)) {
        push_default_thresholds(L);
        if (lua_isstring(L, -1)) {
            if (hgq_catalogue_load_thresholds(u->cat, lua_tostring(L, -1), &err) != HGQ_OK)
                return hgq_lua_fail(L, &err);
        } else if (hgq_catalogue_load_default_thresholds(u->cat, NULL, &err) != HGQ_OK &&
                   err.code != HGQ_EIO) {
            return hgq_lua_fail(L, &err); /* installed files present but unreadable */
        }
    } else if (lua_type(L, ti) == LUA_TTABLE) {
        size_t i, n = lua_rawlen(L, ti);
        for (i = 1; i <= n; i++) {
            lua_rawgeti(L, ti, (lua_Integer)i);
            if (lua_type(L, -1) != LUA_TSTRING)
                luaL_argerror(L, 1, "'thresholds' must list file or directory paths");
            if (hgq_catalogue_load_thresholds(u->cat, lua_tostring(L, -1), &err) != HGQ_OK)
                return hgq_lua_fail(L, &err);
            lua_pop(L, 1);
        }
    } else if (lua_type(L, ti) == LUA_TSTRING) {
        if (hgq_catalogue_load_thresholds(u->cat, lua_tostring(L, ti), &err) != HGQ_OK)
            return hgq_lua_fail(L, &err);
    } else if (!(lua_type(L, ti) == LUA_TBOOLEAN && !lua_toboolean(L, ti))) {
        luaL_argerror(L, 1, "'thresholds' must be a list of paths or false");
    }
    lua_settop(L, 2);
    return 1;
}

/* cat:load_thresholds(path) -> true | nil, msg, code */
static int cat_load_thresholds(lua_State *L)
{
    hgq_catalogue *cat = check_cat(L, 1);
    hgq_error err;
    if (hgq_catalogue_load_thresholds(cat, luaL_checkstring(L, 2), &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}

static const char *const threshold_keys[] = {"indicator", "school_type", "comparison", "value", "unit",
                                             "source", "notes", NULL};

/* cat:add_threshold{indicator=, school_type=, comparison=">=", value=, unit=, source=, notes=} */
static int cat_add_threshold(lua_State *L)
{
    hgq_catalogue *cat = check_cat(L, 1);
    hgq_threshold th;
    hgq_error err;
    const char *cmp;
    luaL_checktype(L, 2, LUA_TTABLE);
    hgq_lua_check_keys(L, 2, 2, threshold_keys, "threshold key");
    memset(&th, 0, sizeof th);
    th.indicator = hgq_lua_opt_string(L, 2, 2, "indicator");
    if (!th.indicator)
        luaL_argerror(L, 2, "'indicator' is required");
    th.school_type = hgq_lua_opt_string(L, 2, 2, "school_type");
    cmp = hgq_lua_opt_string(L, 2, 2, "comparison");
    if (!cmp || !hgq_op_parse(cmp, &th.op) || th.op == HGQ_OP_NE)
        luaL_argerror(L, 2, "'comparison' must be >=, <=, =, > or <");
    lua_getfield(L, 2, "value");
    if (lua_type(L, -1) != LUA_TNUMBER)
        luaL_argerror(L, 2, "'value' must be a number");
    th.value = lua_tonumber(L, -1);
    lua_pop(L, 1);
    th.unit = hgq_lua_opt_string(L, 2, 2, "unit");
    th.source = hgq_lua_opt_string(L, 2, 2, "source");
    th.notes = hgq_lua_opt_string(L, 2, 2, "notes");
    if (hgq_catalogue_add_threshold(cat, &th, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    lua_settop(L, 1);
    return 1;
}

static const char *const add_keys[] = {"id", "name", "name_zh", "name_en", "unit", "group", "definition",
                                       "variant", "variant_name", "kind", "entity", "field", "where",
                                       "num", "den", "scale", "format", "decimals", "timed", "compute",
                                       NULL};

/* Appends the Lua value at idx (string, number or boolean) to the parts list. */
static void add_part(lua_State *L, int arg, int parts, int idx)
{
    if (lua_type(L, idx) == LUA_TBOOLEAN)
        lua_pushstring(L, lua_toboolean(L, idx) ? "true" : "false");
    else if (lua_type(L, idx) == LUA_TSTRING || lua_type(L, idx) == LUA_TNUMBER)
        luaL_tolstring(L, idx, NULL);
    else
        luaL_argerror(L, arg, "'where' values must be strings, numbers or booleans");
    lua_rawseti(L, parts, (lua_Integer)lua_rawlen(L, parts) + 1);
}

/* `where` given as a table {field = value | {values}}: written in the
 * definition language ("f=v;g=a|b"), pushed. */
static const char *where_string(lua_State *L, int arg, int idx)
{
    int parts;
    size_t i, n;
    luaL_Buffer b;
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    parts = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int v = lua_gettop(L);
        if (lua_type(L, v - 1) != LUA_TSTRING)
            luaL_argerror(L, arg, "'where' keys must be field names");
        if (lua_rawlen(L, parts)) {
            lua_pushliteral(L, ";");
            lua_rawseti(L, parts, (lua_Integer)lua_rawlen(L, parts) + 1);
        }
        lua_pushfstring(L, "%s=", lua_tostring(L, v - 1));
        lua_rawseti(L, parts, (lua_Integer)lua_rawlen(L, parts) + 1);
        if (lua_type(L, v) == LUA_TTABLE) {
            size_t k, m = lua_rawlen(L, v);
            for (k = 1; k <= m; k++) {
                if (k > 1) {
                    lua_pushliteral(L, "|");
                    lua_rawseti(L, parts, (lua_Integer)lua_rawlen(L, parts) + 1);
                }
                lua_rawgeti(L, v, (lua_Integer)k);
                add_part(L, arg, parts, lua_gettop(L));
                lua_pop(L, 1);
            }
        } else {
            add_part(L, arg, parts, v);
        }
        lua_pop(L, 1);
    }
    n = lua_rawlen(L, parts);
    luaL_buffinit(L, &b);
    for (i = 1; i <= n; i++) {
        lua_rawgeti(L, parts, (lua_Integer)i);
        luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    lua_remove(L, parts);
    return lua_tostring(L, -1);
}

/*
 * cat:add{id=, name=, unit=, compute=function(ds) return num [, den] end}
 * cat:add{id=, name=, unit=, num="a", den="b", scale=100}
 * cat:add{id=, kind="count", entity="student", where={status="在校"}}
 */
static int cat_add(lua_State *L)
{
    hgq_catalogue *cat = check_cat(L, 1);
    hgq_indicator_def d;
    hgq_error err;
    const char *s;
    int has_compute;
    luaL_checktype(L, 2, LUA_TTABLE);
    hgq_lua_check_keys(L, 2, 2, add_keys, "indicator key");
    lua_settop(L, 2);
    memset(&d, 0, sizeof d);
    d.decimals = -1;
    d.id = hgq_lua_opt_string(L, 2, 2, "id");
    if (!d.id)
        luaL_argerror(L, 2, "'id' is required");
    d.name_zh = hgq_lua_opt_string(L, 2, 2, "name");
    if (!d.name_zh)
        d.name_zh = hgq_lua_opt_string(L, 2, 2, "name_zh");
    d.name_en = hgq_lua_opt_string(L, 2, 2, "name_en");
    d.unit = hgq_lua_opt_string(L, 2, 2, "unit");
    d.group = hgq_lua_opt_string(L, 2, 2, "group");
    d.definition = hgq_lua_opt_string(L, 2, 2, "definition");
    d.variant = hgq_lua_opt_string(L, 2, 2, "variant");
    d.variant_name = hgq_lua_opt_string(L, 2, 2, "variant_name");
    d.entity = hgq_lua_opt_string(L, 2, 2, "entity");
    d.field = hgq_lua_opt_string(L, 2, 2, "field");
    d.num = hgq_lua_opt_string(L, 2, 2, "num");
    d.den = hgq_lua_opt_string(L, 2, 2, "den");
    lua_getfield(L, 2, "where");                          /* 3 */
    if (lua_type(L, 3) == LUA_TTABLE)
        d.where = where_string(L, 2, 3);                  /* 4 */
    else if (lua_type(L, 3) == LUA_TSTRING)
        d.where = lua_tostring(L, 3);
    else if (!lua_isnil(L, 3))
        luaL_argerror(L, 2, "'where' must be a string or a table");
    lua_getfield(L, 2, "scale");
    d.scale = luaL_optnumber(L, -1, 0);
    lua_pop(L, 1);
    lua_getfield(L, 2, "decimals");
    d.decimals = (int)luaL_optinteger(L, -1, -1);
    lua_pop(L, 1);
    d.timed = hgq_lua_opt_bool(L, 2, "timed", 0);
    if ((s = hgq_lua_opt_string(L, 2, 2, "format")) && !hgq_format_parse(s, &d.format))
        luaL_argerror(L, 2, "'format' must be number, percent, ratio or ratio_inv");
    else if (!s && d.unit && strcmp(d.unit, "%") == 0)
        d.format = HGQ_FMT_PERCENT;
    lua_getfield(L, 2, "compute");
    has_compute = !lua_isnil(L, -1);
    if (has_compute && lua_type(L, -1) != LUA_TFUNCTION)
        luaL_argerror(L, 2, "'compute' must be a function(ds)");
    lua_pop(L, 1);
    if ((s = hgq_lua_opt_string(L, 2, 2, "kind"))) {
        if (!hgq_ind_kind_parse(s, &d.kind) || d.kind == HGQ_IND_FUNC)
            luaL_argerror(L, 2, "'kind' must be count, sum, field, aggregate, ratio, expr or provided");
    } else if (has_compute) {
        d.kind = HGQ_IND_PROVIDED;
    } else if (d.num && d.den) {
        d.kind = HGQ_IND_RATIO;
    } else if (d.num) {
        d.kind = HGQ_IND_EXPR;
    } else {
        luaL_argerror(L, 2, "give compute=function(ds), num= (and den=), or kind=");
    }
    if (has_compute && d.kind != HGQ_IND_PROVIDED)
        luaL_argerror(L, 2, "'compute' cannot be combined with kind, num or den");
    if (hgq_catalogue_add(cat, &d, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    /* remember the Lua side: compute function and its scale */
    if (has_compute) {
        lua_getiuservalue(L, 1, 1);
        lua_createtable(L, 0, 2);
        lua_getfield(L, 2, "compute");
        lua_setfield(L, -2, "compute");
        lua_pushnumber(L, d.scale != 0 ? d.scale : d.format == HGQ_FMT_PERCENT ? 100 : 1);
        lua_setfield(L, -2, "scale");
        lua_setfield(L, -2, d.id);
        lua_pop(L, 1);
    }
    lua_settop(L, 1);
    return 1;
}

/* cat:set_variant(id, variant) -> catalogue | nil, msg, code */
static int cat_set_variant(lua_State *L)
{
    hgq_catalogue *cat = check_cat(L, 1);
    hgq_error err;
    if (hgq_catalogue_set_variant(cat, luaL_checkstring(L, 2), luaL_checkstring(L, 3), &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    lua_settop(L, 1);
    return 1;
}

/* cat:indicators() -> {{id, name, name_en, unit, group, definition, kind, variant,
 *                      variants = {{code, name, definition}}}} */
static int cat_indicators(lua_State *L)
{
    hgq_catalogue *cat = check_cat(L, 1);
    size_t i, j, n = hgq_catalogue_count(cat), nd = hgq_catalogue_def_count(cat);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        const char *id = hgq_catalogue_id(cat, i);
        const hgq_indicator_def *d = hgq_catalogue_find(cat, id, NULL);
        int nv = 0;
        lua_createtable(L, 0, 10);
        hgq_lua_set_str(L, "id", id);
        hgq_lua_set_str(L, "name", d->name_zh);
        hgq_lua_set_str(L, "name_en", d->name_en);
        hgq_lua_set_str(L, "unit", d->unit);
        hgq_lua_set_str(L, "group", d->group);
        hgq_lua_set_str(L, "definition", d->definition);
        hgq_lua_set_str(L, "kind", hgq_ind_kind_name(d->kind));
        hgq_lua_set_str(L, "format", hgq_format_name(d->format));
        hgq_lua_set_str(L, "variant", hgq_catalogue_variant(cat, id));
        lua_newtable(L);
        for (j = 0; j < nd; j++) {
            const hgq_indicator_def *v = hgq_catalogue_def(cat, j);
            int seen = 0, k;
            if (strcmp(v->id, id) != 0)
                continue;
            for (k = 1; k <= nv && !seen; k++) {
                lua_rawgeti(L, -1, k);
                lua_getfield(L, -1, "code");
                seen = strcmp(lua_tostring(L, -1), v->variant) == 0;
                lua_pop(L, 2);
            }
            if (seen)
                continue;
            lua_createtable(L, 0, 3);
            hgq_lua_set_str(L, "code", v->variant);
            hgq_lua_set_str(L, "name", v->variant_name);
            hgq_lua_set_str(L, "definition", v->definition);
            lua_rawseti(L, -2, ++nv);
        }
        lua_setfield(L, -2, "variants");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* cat:thresholds() -> {{indicator, school_type, comparison, value, unit, source, notes, file, line}} */
static int cat_thresholds(lua_State *L)
{
    hgq_catalogue *cat = check_cat(L, 1);
    size_t i, n = hgq_catalogue_threshold_count(cat);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        const hgq_threshold *th = hgq_catalogue_threshold(cat, i);
        lua_createtable(L, 0, 9);
        hgq_lua_set_str(L, "indicator", th->indicator);
        hgq_lua_set_str(L, "school_type", th->school_type);
        hgq_lua_set_str(L, "comparison", hgq_op_symbol(th->op));
        push_number(L, th->value);
        lua_setfield(L, -2, "value");
        hgq_lua_set_str(L, "unit", th->unit);
        hgq_lua_set_str(L, "source", th->source);
        hgq_lua_set_str(L, "notes", th->notes);
        hgq_lua_set_str(L, "file", th->file);
        if (th->file)
            hgq_lua_set_int(L, "line", th->line);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static const char *judgement_code(hgq_judgement j)
{
    switch (j) {
    case HGQ_JUDGE_MET: return "met";
    case HGQ_JUDGE_NOT_MET: return "not_met";
    case HGQ_JUDGE_UNKNOWN: return "unknown";
    default: return "none";
    }
}

static void push_result(lua_State *L, const hgq_indicator_result *r)
{
    lua_createtable(L, 0, 32);
    hgq_lua_set_str(L, "id", r->id);
    hgq_lua_set_str(L, "name", r->name_zh);
    hgq_lua_set_str(L, "name_en", r->name_en);
    hgq_lua_set_str(L, "unit", r->unit);
    hgq_lua_set_str(L, "group", r->group);
    hgq_lua_set_str(L, "variant", r->variant);
    hgq_lua_set_str(L, "variant_name", r->variant_name);
    hgq_lua_set_str(L, "definition", r->definition);
    hgq_lua_set_str(L, "source", r->source);
    hgq_lua_set_int(L, "period", r->period);
    hgq_lua_set_bool(L, "defined", r->defined);
    if (r->defined) {
        push_number(L, r->value);
        lua_setfield(L, -2, "value");
        push_number(L, r->num);
        lua_setfield(L, -2, "num");
        if (r->has_den) {
            push_number(L, r->den);
            lua_setfield(L, -2, "den");
        }
    } else {
        hgq_lua_set_str(L, "missing", r->missing_input);
        hgq_lua_set_str(L, "note", r->note);
    }
    hgq_lua_set_str(L, "text", r->text);
    if (r->has_last) {
        push_number(L, r->last_value);
        lua_setfield(L, -2, "last_value");
        hgq_lua_set_int(L, "last_period", r->last_period);
        hgq_lua_set_str(L, "last_source", r->last_source);
        if (r->defined) {
            push_number(L, r->change);
            lua_setfield(L, -2, "change");
            if (r->growth.defined)
                hgq_lua_set_num(L, "growth", r->growth.value);
        }
    }
    hgq_lua_set_str(L, "judgement", hgq_judgement_name(r->judgement));
    hgq_lua_set_str(L, "judgement_code", judgement_code(r->judgement));
    if (r->has_threshold) {
        push_number(L, r->threshold);
        lua_setfield(L, -2, "threshold");
        hgq_lua_set_str(L, "comparison", hgq_op_symbol(r->comparison));
        hgq_lua_set_str(L, "threshold_text", r->threshold_text);
        hgq_lua_set_str(L, "threshold_source", r->threshold_source);
        hgq_lua_set_str(L, "threshold_notes", r->threshold_notes);
        if (r->judgement == HGQ_JUDGE_MET || r->judgement == HGQ_JUDGE_NOT_MET)
            hgq_lua_set_num(L, "margin", r->margin);
    }
}

/*
 * Calls each Lua indicator's compute(ds) and stores the result in the
 * provided array (strings anchored in the table at `anchor`). `history` is
 * 0 for the report year, 1 for last year's dataset.
 */
static size_t run_computes(lua_State *L, int cat_idx, int ds_idx, int history, int anchor,
                           hgq_provided *out, size_t at)
{
    lua_getiuservalue(L, cat_idx, 1);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        int def = lua_gettop(L);
        hgq_provided *p = &out[at++];
        double scale;
        memset(p, 0, sizeof *p);
        p->id = lua_tostring(L, def - 1); /* the key stays in the table */
        p->history = history;
        lua_getfield(L, def, "scale");
        scale = lua_tonumber(L, -1);
        lua_getfield(L, def, "compute");
        lua_pushvalue(L, ds_idx);
        lua_call(L, 1, 2);
        if (lua_type(L, -2) == LUA_TNUMBER && (lua_isnil(L, -1) || lua_type(L, -1) == LUA_TNUMBER)) {
            double num = lua_tonumber(L, -2);
            if (lua_isnil(L, -1)) {
                p->value.value = p->value.num = num;
                p->value.defined = isfinite(num);
                p->value.missing = p->value.defined ? NULL : "compute";
            } else {
                hgq_ratio r = hgq_ratio_of(num, lua_tonumber(L, -1), scale);
                p->value.num = num;
                p->value.den = lua_tonumber(L, -1);
                p->value.has_den = 1;
                p->value.value = r.value;
                p->value.defined = r.defined;
                p->value.missing = r.defined ? NULL : "den=0";
            }
        } else {
            /* nil [, reason]: the input is missing */
            const char *why = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "compute";
            lua_pushstring(L, why);
            p->value.missing = lua_tostring(L, -1);
            lua_rawseti(L, anchor, (lua_Integer)lua_rawlen(L, anchor) + 1);
        }
        lua_settop(L, def - 1);
    }
    lua_pop(L, 1);
    return at;
}

static const char *const eval_keys[] = {"variants", "history", "school_type", NULL};

/* cat:evaluate(ds [, {variants = {id = "B"}, history = ds_prev, school_type = "技师学院"}])
 *   -> {result, ...} | nil, msg, code */
static int cat_evaluate(lua_State *L)
{
    hgq_catalogue *cat = check_cat(L, 1);
    hgq_dataset *ds = check_ds(L, 2);
    hgq_eval_options opt;
    hgq_provided *provided;
    const char **variants = NULL;
    size_t nlua = 0, nv = 0, i, n;
    int anchor, hist_idx = 0;
    hgq_error err;
    box *b;
    memset(&opt, 0, sizeof opt);
    if (!lua_isnoneornil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        hgq_lua_check_keys(L, 3, 3, eval_keys, "option");
    }
    lua_settop(L, 3);
    lua_newtable(L);
    anchor = lua_gettop(L);                                 /* 4 */
    if (lua_istable(L, 3)) {
        lua_getfield(L, 3, "history");                      /* 5 */
        if (!lua_isnil(L, -1)) {
            opt.history = check_ds(L, 5);
            hist_idx = 5;
        }
        opt.school_type = hgq_lua_opt_string(L, 3, 3, "school_type");
        lua_getfield(L, 3, "variants");                     /* 6 */
        if (lua_type(L, -1) == LUA_TTABLE) {
            lua_pushnil(L);
            while (lua_next(L, 6)) {
                nv++;
                lua_pop(L, 1);
            }
            variants = scratch(L, 2 * nv * sizeof *variants); /* 7 */
            i = 0;
            lua_pushnil(L);
            while (lua_next(L, 6)) {
                if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TSTRING)
                    luaL_argerror(L, 3, "'variants' must map indicator ids to variant codes");
                variants[i++] = lua_tostring(L, -2);
                variants[i++] = lua_tostring(L, -1);
                lua_pop(L, 1);
            }
        } else if (!lua_isnil(L, -1)) {
            luaL_argerror(L, 3, "'variants' must be a table {id = variant}");
        }
    }
    opt.variants = variants;
    opt.nvariants = nv;
    /* Lua-computed indicators, run here, outside the library */
    lua_getiuservalue(L, 1, 1);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        nlua++;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    provided = scratch(L, 2 * nlua * sizeof *provided);
    n = run_computes(L, 1, 2, 0, anchor, provided, 0);
    if (hist_idx)
        n = run_computes(L, 1, hist_idx, 1, anchor, provided, n);
    opt.provided = provided;
    opt.nprovided = n;
    b = push_box(L, release_results);
    if (hgq_catalogue_evaluate_ex(cat, ds, &opt, (hgq_indicator_results **)&b->p, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    n = hgq_indicator_results_count(b->p);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        push_result(L, hgq_indicator_results_at(b->p, i));
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    hgq_lua_set_str(L, "school_type", hgq_indicator_results_school_type(b->p));
    return 1;
}

/* }==================================================================== */

static const luaL_Reg box_meta[] = {
    {"__gc", box_gc},
    {NULL, NULL}
};

static const luaL_Reg cat_methods[] = {
    {"evaluate", cat_evaluate},
    {"add", cat_add},
    {"add_threshold", cat_add_threshold},
    {"load_thresholds", cat_load_thresholds},
    {"set_variant", cat_set_variant},
    {"indicators", cat_indicators},
    {"thresholds", cat_thresholds},
    {"close", cat_close},
    {NULL, NULL}
};

static const luaL_Reg cat_meta[] = {
    {"__gc", cat_close},
    {"__close", cat_close},
    {"__tostring", cat_tostring},
    {NULL, NULL}
};

static const luaL_Reg stats_funcs[] = {
    {"count", l_count},
    {"summary", l_summary},
    {"group", l_group},
    {"crosstab", l_crosstab},
    {"median", l_median},
    {"ratio", l_ratio},
    {"growth", l_growth},
    {"categories", l_categories},
    {"age_band", l_age_band},
    {"aggregate", l_aggregate},
    {"history", l_history},
    {NULL, NULL}
};

void hgq_lua_open_stats(lua_State *L)
{
    if (luaL_newmetatable(L, BOX_MT))
        luaL_setfuncs(L, box_meta, 0);
    lua_pop(L, 1);
    if (luaL_newmetatable(L, CATALOGUE_MT)) {
        luaL_setfuncs(L, cat_meta, 0);
        luaL_newlib(L, cat_methods);
        lua_setfield(L, -2, "__index");
    }
    lua_pop(L, 1);
    luaL_newlib(L, stats_funcs);
    lua_setfield(L, -2, "stats");
    lua_pushcfunction(L, l_catalogue);
    lua_setfield(L, -2, "catalogue");
}
