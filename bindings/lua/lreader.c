/*
 * lreader.c - the reader functions of the hgq Lua module: hgq.open, the
 * workbook, sheet and row-iterator objects.
 *
 * hgq.open(path [, options]) -> workbook | nil, message, code. Options:
 *   formulas = true            give formula text in cells (rows{cells = true})
 *   encoding = "auto"          CSV only: "utf-8", "gb18030", "utf-16le",
 *                              "utf-16be" or "auto"
 *   delimiter = ","            CSV only: ",", ";" or "\t" (default: detect)
 *   threads = 0                threads parsing a large sheet: 0 one per core
 *                              (at most 4), 1 none
 *   limits = {max_total_inflated =, max_entry_inflated =, max_ratio =,
 *             max_shared_strings =, max_shared_bytes =, max_cell_bytes =}
 *
 *   local wb = assert(hgq.open("students.xlsx", {formulas = true}))
 *   for _, s in ipairs(wb:sheets()) do print(s.index, s.name, s.visibility) end
 *   local sh = assert(wb:sheet("在校生"))
 *   for i, values, cells in sh:rows{cells = true} do
 *       print(i, values[1], cells[1] and cells[1].type)
 *   end
 *   wb:close()
 *
 * Workbook: wb:sheets() -> {{name=, visibility="visible"|"hidden"|"veryHidden",
 * index=}, ...}; wb:sheet(name_or_index) -> sheet | nil, message, code;
 * wb:names() -> {{name=, value=, sheet=<local sheet index or nil>,
 * hidden=}, ...}; wb:date1904() -> boolean (a method, like wb:kind() ->
 * "xlsx"|"csv" and wb:path()); wb:close().
 * Sheet: sh.name, sh.index (1-based), sh.visibility; sh:merges() ->
 * {{first_row=, first_col=, last_row=, last_col=, ref="A1:C2"}, ...}
 * (1-based); sh:rows([{cells = bool, empty = bool}]) for a generic for,
 * yielding (row number, values[, cells]): values and cells are indexed by
 * 1-based column, and cells[col] is {type="s"|"n"|"b"|"d"|"e", numfmt=,
 * formula=, ref=, style=}, built only when cells = true.
 *
 * Values: strings, numbers (a whole number within +-2^53 is a Lua integer,
 * others floats), booleans, hgq.date tables for date cells, the error text
 * ("#N/A") for error cells, nil for empty cells. Rows whose cells are all
 * empty (only a style) are skipped unless rows{empty = true}.
 *
 * Workbooks and row iterators have a closed flag and one close function
 * for close, __gc and __close; sh:rows() returns the iterator as the
 * to-be-closed value of the generic for, so `break` releases it. A sheet
 * that cannot be read raises an error from sh:rows() or from the iterator,
 * with the message and its code name, e.g. "... (HGQ_EXML)".
 */
#include <math.h>
#include <string.h>

#include "lhgq.h"

#define WORKBOOK_MT "hgq.workbook"
#define SHEET_MT "hgq.sheet"
#define ROWS_MT "hgq.rows"

typedef struct lworkbook {
    hgq_workbook *wb;           /* NULL once closed */
} lworkbook;

typedef struct lsheet {
    size_t index;               /* 0-based; user values: 1 workbook, 2 fields */
} lsheet;

typedef struct lrows {
    hgq_rows *rows;             /* NULL once closed */
    int want_cells;
    int want_empty;
} lrows;

static const char *const visibility_names[] = {"visible", "hidden", "veryHidden"};

/* {====================================================================
 * hgq.open and its options
 * ===================================================================== */

#define ENCODING_MSG \
    "encoding must be \"utf-8\", \"gb18030\", \"utf-16le\", \"utf-16be\" or \"auto\""

static const char *const option_keys[] = {"formulas", "encoding", "delimiter", "limits",
                                          "threads", NULL};
static const char *const limit_keys[] = {"max_total_inflated", "max_entry_inflated",
                                         "max_ratio", "max_shared_strings",
                                         "max_shared_bytes", "max_cell_bytes", NULL};

static uint64_t limit_field(lua_State *L, int arg, int idx, const char *key, uint64_t dflt)
{
    uint64_t v = dflt;
    lua_getfield(L, idx, key);
    if (!lua_isnil(L, -1)) {
        int isint;
        lua_Integer n = lua_tointegerx(L, -1, &isint);
        if (!isint || n <= 0)
            luaL_argerror(L, arg,
                          lua_pushfstring(L, "limits.%s must be a positive integer", key));
        v = (uint64_t)n;
    }
    lua_pop(L, 1);
    return v;
}

static void check_options(lua_State *L, int arg, hgq_reader_options *opt)
{
    hgq_reader_options_init(opt);
    if (lua_isnoneornil(L, arg))
        return;
    luaL_checktype(L, arg, LUA_TTABLE);
    hgq_lua_check_keys(L, arg, arg, option_keys, "option");

    opt->want_formulas = hgq_lua_opt_bool(L, arg, "formulas", 0);
    {
        lua_Integer t = hgq_lua_opt_int(L, arg, arg, "threads", 0);
        if (t < 0 || t > 16)
            luaL_argerror(L, arg, "threads must be an integer from 0 to 16");
        opt->threads = (int)t;
    }

    lua_getfield(L, arg, "encoding");
    if (!lua_isnil(L, -1)) {
        const char *e = lua_tostring(L, -1);
        if (lua_type(L, -1) != LUA_TSTRING)
            luaL_argerror(L, arg, ENCODING_MSG);
        if (strcmp(e, "utf-8") == 0 || strcmp(e, "utf8") == 0 || strcmp(e, "UTF-8") == 0)
            opt->csv_encoding = HGQ_ENC_UTF8;
        else if (strcmp(e, "gb18030") == 0 || strcmp(e, "gbk") == 0 ||
                 strcmp(e, "GB18030") == 0 || strcmp(e, "GBK") == 0)
            opt->csv_encoding = HGQ_ENC_GB18030;
        else if (strcmp(e, "utf-16le") == 0 || strcmp(e, "UTF-16LE") == 0)
            opt->csv_encoding = HGQ_ENC_UTF16LE;
        else if (strcmp(e, "utf-16be") == 0 || strcmp(e, "UTF-16BE") == 0)
            opt->csv_encoding = HGQ_ENC_UTF16BE;
        else if (strcmp(e, "auto") == 0)
            opt->csv_encoding = HGQ_ENC_AUTO;
        else
            luaL_argerror(L, arg, ENCODING_MSG);
    }
    lua_pop(L, 1);

    lua_getfield(L, arg, "delimiter");
    if (!lua_isnil(L, -1)) {
        size_t len;
        const char *d = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
        if (!d || len != 1 || (d[0] != ',' && d[0] != ';' && d[0] != '\t'))
            luaL_argerror(L, arg, "delimiter must be \",\", \";\" or \"\\t\"");
        opt->csv_delimiter = d[0];
    }
    lua_pop(L, 1);

    lua_getfield(L, arg, "limits");
    if (!lua_isnil(L, -1)) {
        int t = lua_gettop(L);
        if (!lua_istable(L, t))
            luaL_argerror(L, arg, "limits must be a table");
        hgq_lua_check_keys(L, arg, t, limit_keys, "limit");
        opt->max_total_inflated = limit_field(L, arg, t, "max_total_inflated",
                                              opt->max_total_inflated);
        opt->max_entry_inflated = limit_field(L, arg, t, "max_entry_inflated",
                                              opt->max_entry_inflated);
        opt->max_ratio = (uint32_t)limit_field(L, arg, t, "max_ratio", opt->max_ratio);
        opt->max_shared_strings = limit_field(L, arg, t, "max_shared_strings",
                                              opt->max_shared_strings);
        opt->max_shared_bytes = limit_field(L, arg, t, "max_shared_bytes",
                                            opt->max_shared_bytes);
        opt->max_cell_bytes = (uint32_t)limit_field(L, arg, t, "max_cell_bytes",
                                                    opt->max_cell_bytes);
    }
    lua_pop(L, 1);
}

/* hgq.open(path [, options]) -> workbook | nil, message, code */
static int l_open(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    hgq_reader_options opt;
    hgq_error err;
    lworkbook *w;
    check_options(L, 2, &opt);
    w = lua_newuserdatauv(L, sizeof *w, 0);
    w->wb = NULL;
    luaL_setmetatable(L, WORKBOOK_MT);
    if (hgq_workbook_open(&w->wb, path, &opt, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Workbook
 * ===================================================================== */

static hgq_workbook *check_workbook(lua_State *L, int idx)
{
    return hgq_lua_check_open(L, idx, WORKBOOK_MT, "workbook");
}

static int wb_close(lua_State *L)
{
    lworkbook *w = luaL_checkudata(L, 1, WORKBOOK_MT);
    if (w->wb) {
        hgq_workbook_free(w->wb);
        w->wb = NULL;
    }
    return 0;
}

static int wb_tostring(lua_State *L)
{
    lworkbook *w = luaL_checkudata(L, 1, WORKBOOK_MT);
    if (w->wb)
        lua_pushfstring(L, "hgq.workbook (%s)", hgq_workbook_path(w->wb));
    else
        lua_pushliteral(L, "hgq.workbook (closed)");
    return 1;
}

static int wb_path(lua_State *L)
{
    lua_pushstring(L, hgq_workbook_path(check_workbook(L, 1)));
    return 1;
}

static int wb_kind(lua_State *L)
{
    hgq_workbook *wb = check_workbook(L, 1);
    lua_pushstring(L, hgq_workbook_kind(wb) == HGQ_FILE_CSV ? "csv" : "xlsx");
    return 1;
}

static int wb_date1904(lua_State *L)
{
    lua_pushboolean(L, hgq_workbook_date1904(check_workbook(L, 1)));
    return 1;
}

static void push_sheet_fields(lua_State *L, const hgq_sheet_info *info, size_t index)
{
    lua_createtable(L, 0, 3);
    lua_pushstring(L, info->name);
    lua_setfield(L, -2, "name");
    lua_pushinteger(L, (lua_Integer)index + 1);
    lua_setfield(L, -2, "index");
    lua_pushstring(L, visibility_names[info->visibility <= HGQ_VERY_HIDDEN ? info->visibility
                                                                            : 0]);
    lua_setfield(L, -2, "visibility");
}

/* wb:sheets() -> { {name=, visibility=, index=}, ... } */
static int wb_sheets(lua_State *L)
{
    hgq_workbook *wb = check_workbook(L, 1);
    size_t i, n = hgq_workbook_sheet_count(wb);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        push_sheet_fields(L, hgq_workbook_sheet(wb, i), i);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int sheet_not_found(lua_State *L, hgq_workbook *wb, const char *msg)
{
    hgq_error err;
    hgq_error_clear(&err);
    hgq_error_set(&err, HGQ_ENOTFOUND, "%s", msg);
    hgq_error_set_file(&err, hgq_workbook_path(wb));
    return hgq_lua_fail(L, &err);
}

/* wb:sheet(name_or_index) -> sheet | nil, message, code */
static int wb_sheet(lua_State *L)
{
    hgq_workbook *wb = check_workbook(L, 1);
    size_t n = hgq_workbook_sheet_count(wb), index;
    lsheet *s;
    if (lua_type(L, 2) == LUA_TNUMBER) {
        int isint;
        lua_Integer i = lua_tointegerx(L, 2, &isint);
        if (!isint)
            return luaL_argerror(L, 2, "sheet index must be an integer");
        if (i < 1 || (lua_Unsigned)i > n)
            return sheet_not_found(
                L, wb,
                lua_pushfstring(L, "no sheet number %I: the workbook has %I sheet%s", i,
                                (lua_Integer)n, n == 1 ? "" : "s"));
        index = (size_t)i - 1;
    } else if (lua_type(L, 2) == LUA_TSTRING) {
        const char *name = lua_tostring(L, 2);
        int found = hgq_workbook_find_sheet(wb, name);
        if (found < 0) {
            luaL_Buffer b;
            size_t i;
            luaL_buffinit(L, &b);
            luaL_addstring(&b, "no sheet named '");
            luaL_addstring(&b, name);
            luaL_addstring(&b, "' (sheets: ");
            for (i = 0; i < n; i++) {
                if (i)
                    luaL_addstring(&b, ", ");
                luaL_addstring(&b, hgq_workbook_sheet(wb, i)->name);
            }
            luaL_addstring(&b, ")");
            luaL_pushresult(&b);
            return sheet_not_found(L, wb, lua_tostring(L, -1));
        }
        index = (size_t)found;
    } else {
        return luaL_typeerror(L, 2, "sheet name or index");
    }
    s = lua_newuserdatauv(L, sizeof *s, 2);
    s->index = index;
    luaL_setmetatable(L, SHEET_MT);
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
    push_sheet_fields(L, hgq_workbook_sheet(wb, index), index);
    lua_setiuservalue(L, -2, 2);
    return 1;
}

/* wb:names() -> { {name=, value=, sheet=<1-based local sheet or nil>, hidden=}, ... } */
static int wb_names(lua_State *L)
{
    hgq_workbook *wb = check_workbook(L, 1);
    size_t i, n = hgq_workbook_name_count(wb);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        const hgq_defined_name *d = hgq_workbook_name(wb, i);
        lua_createtable(L, 0, 4);
        lua_pushstring(L, d->name);
        lua_setfield(L, -2, "name");
        lua_pushstring(L, d->value);
        lua_setfield(L, -2, "value");
        if (d->local_sheet >= 0) {
            lua_pushinteger(L, d->local_sheet + 1);
            lua_setfield(L, -2, "sheet");
        }
        lua_pushboolean(L, d->hidden);
        lua_setfield(L, -2, "hidden");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Sheet
 * ===================================================================== */

/* The sheet at idx and its open workbook (pushed on the stack). */
static lsheet *check_sheet(lua_State *L, int idx, hgq_workbook **wb)
{
    lsheet *s = luaL_checkudata(L, idx, SHEET_MT);
    lua_getiuservalue(L, idx, 1);
    *wb = check_workbook(L, lua_gettop(L));
    return s;
}

static int sheet_index(lua_State *L)
{
    luaL_checkudata(L, 1, SHEET_MT);
    lua_getiuservalue(L, 1, 2);
    lua_pushvalue(L, 2);
    if (lua_rawget(L, -2) != LUA_TNIL)
        return 1;
    luaL_getmetatable(L, SHEET_MT);
    lua_getfield(L, -1, "__methods");
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
}

static int sheet_tostring(lua_State *L)
{
    luaL_checkudata(L, 1, SHEET_MT);
    lua_getiuservalue(L, 1, 2);
    lua_getfield(L, -1, "name");
    lua_pushfstring(L, "hgq.sheet (%s)", lua_tostring(L, -1));
    return 1;
}

/* sh:merges() -> { {first_row=, first_col=, last_row=, last_col=, ref=}, ... } */
static int sheet_merges(lua_State *L)
{
    hgq_workbook *wb;
    lsheet *s = check_sheet(L, 1, &wb);
    const hgq_range *r;
    size_t n, i;
    hgq_error err;
    if (hgq_workbook_merges(wb, s->index, &r, &n, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    lua_createtable(L, (int)n, 0);
    for (i = 0; i < n; i++) {
        char a[16], b[16];
        lua_createtable(L, 0, 5);
        lua_pushinteger(L, (lua_Integer)r[i].first_row + 1);
        lua_setfield(L, -2, "first_row");
        lua_pushinteger(L, (lua_Integer)r[i].first_col + 1);
        lua_setfield(L, -2, "first_col");
        lua_pushinteger(L, (lua_Integer)r[i].last_row + 1);
        lua_setfield(L, -2, "last_row");
        lua_pushinteger(L, (lua_Integer)r[i].last_col + 1);
        lua_setfield(L, -2, "last_col");
        hgq_ref_format(r[i].first_row, r[i].first_col, a, sizeof a);
        hgq_ref_format(r[i].last_row, r[i].last_col, b, sizeof b);
        lua_pushfstring(L, "%s:%s", a, b);
        lua_setfield(L, -2, "ref");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int rows_iter(lua_State *L);

/* Raises the error of a failed reader call, with its code name; no script
 * position is added, as the file is at fault, not the script. */
static int raise_error(lua_State *L, const hgq_error *err)
{
    char msg[2048];
    hgq_error_format(err, msg, sizeof msg);
    lua_pushfstring(L, "%s (%s)", msg, hgq_status_name(err->code));
    return lua_error(L);
}

/* sh:rows([{cells=bool, empty=bool}]) -> iterator, state, nil, closing value.
 * Raises when the sheet cannot be read (a generic for has no use for nil). */
static int sheet_rows(lua_State *L)
{
    hgq_workbook *wb;
    lsheet *s;
    lrows *r;
    hgq_error err;
    int want_cells = 0, want_empty = 0;
    lua_settop(L, 2);
    s = check_sheet(L, 1, &wb);
    if (!lua_isnil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        want_cells = hgq_lua_opt_bool(L, 2, "cells", 0);
        want_empty = hgq_lua_opt_bool(L, 2, "empty", 0);
    }
    lua_pushcfunction(L, rows_iter);
    r = lua_newuserdatauv(L, sizeof *r, 1);
    r->rows = NULL;
    r->want_cells = want_cells;
    r->want_empty = want_empty;
    luaL_setmetatable(L, ROWS_MT);
    lua_getiuservalue(L, 1, 1);
    lua_setiuservalue(L, -2, 1); /* keeps the workbook object alive */
    if (hgq_rows_open(&r->rows, wb, s->index, &err) != HGQ_OK)
        return raise_error(L, &err);
    lua_pushnil(L);
    lua_pushvalue(L, -2);
    return 4;
}

/* }==================================================================== */

/* {====================================================================
 * Row iterator
 * ===================================================================== */

static int rows_close(lua_State *L)
{
    lrows *r = luaL_checkudata(L, 1, ROWS_MT);
    if (r->rows) {
        hgq_rows_free(r->rows);
        r->rows = NULL;
    }
    return 0;
}

static void push_cell_value(lua_State *L, const hgq_cell *c)
{
    switch (c->type) {
    case HGQ_CELL_NUMBER:
        if (c->number == floor(c->number) && fabs(c->number) <= 9007199254740992.0)
            lua_pushinteger(L, (lua_Integer)c->number);
        else
            lua_pushnumber(L, c->number);
        break;
    case HGQ_CELL_STRING:
    case HGQ_CELL_ERROR:
        lua_pushlstring(L, c->text, c->text_len);
        break;
    case HGQ_CELL_BOOL:
        lua_pushboolean(L, c->number != 0);
        break;
    case HGQ_CELL_DATE:
        hgq_lua_push_date(L, c->number);
        break;
    default:
        lua_pushnil(L);
        break;
    }
}

static void push_cell_info(lua_State *L, const hgq_cell *c)
{
    char ref[16];
    lua_createtable(L, 0, 5);
    lua_pushstring(L, hgq_cell_type_code(c->type));
    lua_setfield(L, -2, "type");
    lua_pushstring(L, c->numfmt);
    lua_setfield(L, -2, "numfmt");
    if (c->formula) {
        lua_pushstring(L, c->formula);
        lua_setfield(L, -2, "formula");
    }
    hgq_ref_format(c->row, c->col, ref, sizeof ref);
    lua_pushstring(L, ref);
    lua_setfield(L, -2, "ref");
    lua_pushinteger(L, (lua_Integer)c->style);
    lua_setfield(L, -2, "style");
}

/* iterator(state) -> row_index, values, cells | nil at the end */
static int rows_iter(lua_State *L)
{
    lrows *r = luaL_checkudata(L, 1, ROWS_MT);
    const hgq_row *row;
    hgq_error err;
    size_t i, nvalues;
    if (!r->rows)
        return luaL_error(L, "attempt to use a closed row iterator");
    for (;;) {
        if (hgq_rows_next(r->rows, &row, &err) != HGQ_OK)
            return raise_error(L, &err);
        if (!row) {
            lua_pushnil(L);
            return 1;
        }
        for (nvalues = i = 0; i < row->ncells; i++)
            nvalues += row->cells[i].type != HGQ_CELL_EMPTY;
        if (nvalues > 0 || r->want_empty)
            break;
    }
    lua_pushinteger(L, (lua_Integer)row->index + 1);
    lua_createtable(L, row->ncells ? (int)row->cells[row->ncells - 1].col + 1 : 0, 0);
    for (i = 0; i < row->ncells; i++) {
        const hgq_cell *c = &row->cells[i];
        if (c->type == HGQ_CELL_EMPTY)
            continue;
        push_cell_value(L, c);
        lua_rawseti(L, -2, (lua_Integer)c->col + 1);
    }
    if (!r->want_cells)
        return 2;
    lua_createtable(L, row->ncells ? (int)row->cells[row->ncells - 1].col + 1 : 0, 0);
    for (i = 0; i < row->ncells; i++) {
        const hgq_cell *c = &row->cells[i];
        if (c->type == HGQ_CELL_EMPTY)
            continue;
        push_cell_info(L, c);
        lua_rawseti(L, -2, (lua_Integer)c->col + 1);
    }
    return 3;
}

static int rows_tostring(lua_State *L)
{
    lrows *r = luaL_checkudata(L, 1, ROWS_MT);
    lua_pushstring(L, r->rows ? "hgq.rows" : "hgq.rows (closed)");
    return 1;
}

/* }==================================================================== */

static const luaL_Reg workbook_methods[] = {
    {"sheets", wb_sheets},
    {"sheet", wb_sheet},
    {"names", wb_names},
    {"date1904", wb_date1904},
    {"kind", wb_kind},
    {"path", wb_path},
    {"close", wb_close},
    {NULL, NULL}
};

static const luaL_Reg workbook_meta[] = {
    {"__gc", wb_close},
    {"__close", wb_close},
    {"__tostring", wb_tostring},
    {NULL, NULL}
};

static const luaL_Reg sheet_methods[] = {
    {"merges", sheet_merges},
    {"rows", sheet_rows},
    {NULL, NULL}
};

static const luaL_Reg sheet_meta[] = {
    {"__index", sheet_index},
    {"__tostring", sheet_tostring},
    {NULL, NULL}
};

static const luaL_Reg rows_methods[] = {
    {"close", rows_close},
    {NULL, NULL}
};

static const luaL_Reg rows_meta[] = {
    {"__gc", rows_close},
    {"__close", rows_close},
    {"__call", rows_iter},
    {"__tostring", rows_tostring},
    {NULL, NULL}
};

static const luaL_Reg reader_funcs[] = {
    {"open", l_open},
    {NULL, NULL}
};

void hgq_lua_open_reader(lua_State *L)
{
    hgq_lua_new_class(L, WORKBOOK_MT, workbook_meta, workbook_methods, "__index");
    hgq_lua_new_class(L, SHEET_MT, sheet_meta, sheet_methods, "__methods");
    hgq_lua_new_class(L, ROWS_MT, rows_meta, rows_methods, "__index");
    luaL_setfuncs(L, reader_funcs, 0);
}
