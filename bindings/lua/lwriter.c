/*
 * lwriter.c - the writer functions of the hgq Lua module: hgq.writer, the
 * writer and its sheets.
 *
 *   local w = assert(hgq.writer("out/2025.xlsx", {author = "衡阳工业技工学校",
 *                                                 inputs = {"data/学生.xlsx"}}))
 *   local sh = assert(w:sheet("表6"))
 *   local t = assert(sh:table{
 *       title = "表6 学生资助情况统计表",
 *       header = {{"年份", "在校生数", "享受助学金学生总人数"}},
 *       formats = {"text", "integer", "integer"},
 *       rows = {{"2023", 657, 95}, {"2024", 1064, 203}, {"2025", 1260, 284}},
 *       totals_row = "合计",
 *   })
 *   sh:chart{type = "line", title = "学生资助", categories = t.cols[1],
 *            series = {{name = "在校生数", values = t.cols[2]}}}
 *   assert(w:close())
 *
 * Rows and columns are 1-based here. A writer is committed by w:close(),
 * which returns true or nil, message, code; __close commits when the scope
 * ends normally and abandons on an error; a writer collected without close
 * is abandoned (nothing written). Sheets belong to their writer and cannot
 * be used once it is closed. Argument mistakes (wrong types, unknown format
 * or option names) raise; failures on data return nil, message, code.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lhgq.h"

#define WRITER_MT "hgq.writer"
#define WSHEET_MT "hgq.writer.sheet"

typedef struct lwriter {
    hgq_writer *w;              /* NULL once closed or abandoned */
} lwriter;

typedef struct lwsheet {
    hgq_writer_sheet *sh;       /* user value 1: the writer's userdata */
    size_t open_ncols;          /* columns of the table being streamed, 0 if none */
} lwsheet;

/* {====================================================================
 * Helpers
 * ===================================================================== */

/* A format name argument: NULL for nil, else a name the writer knows. */
static const char *check_format(lua_State *L, int arg, int idx)
{
    const char *f;
    if (lua_isnoneornil(L, idx) || (lua_type(L, idx) == LUA_TBOOLEAN && !lua_toboolean(L, idx)))
        return NULL;
    f = luaL_checkstring(L, idx);
    if (!hgq_writer_format_valid(f))
        luaL_argerror(L, arg, lua_pushfstring(L, "unknown format '%s'", f));
    return f;
}

/* Converts the value at idx without raising: 1 on success, 0 for a type the
 * writer cannot store. Text is borrowed from the Lua string. */
static int to_value(lua_State *L, int idx, hgq_value *v)
{
    double serial;
    switch (lua_type(L, idx)) {
    case LUA_TNONE:
    case LUA_TNIL: *v = hgq_null(); return 1;
    case LUA_TBOOLEAN: *v = hgq_bool(lua_toboolean(L, idx)); return 1;
    case LUA_TNUMBER:
        *v = lua_isinteger(L, idx) ? hgq_int((int64_t)lua_tointeger(L, idx))
                                   : hgq_num(lua_tonumber(L, idx));
        return 1;
    case LUA_TSTRING: *v = hgq_text(lua_tostring(L, idx)); return 1;
    default:
        if (hgq_lua_to_date(L, idx, &serial)) {
            *v = hgq_date(serial);
            return 1;
        }
        return 0;
    }
}

/* A body cell: a value, or {value =, formula =, format =, span =} (a formula
 * with its cached value, a format other than the column's, a cell merged
 * with the next span-1 of its row). Returns NULL when it can be written, else
 * what is wrong. Strings are borrowed from the Lua values. */
static const char *to_cell(lua_State *L, int idx, hgq_writer_cell *cell)
{
    double serial;
    int t;
    idx = lua_absindex(L, idx);
    cell->formula = NULL;
    cell->format = NULL;
    cell->span = 0;
    if (lua_type(L, idx) != LUA_TTABLE || hgq_lua_to_date(L, idx, &serial))
        return to_value(L, idx, &cell->value) ? NULL : "cannot be written";
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        lua_pop(L, 1);
        if (!k || (strcmp(k, "value") && strcmp(k, "formula") && strcmp(k, "format") &&
                   strcmp(k, "span"))) {
            lua_pop(L, 1);
            return "a cell table takes only value, formula, format and span";
        }
    }
    t = lua_getfield(L, idx, "formula");
    if (t == LUA_TSTRING)
        cell->formula = lua_tostring(L, -1);
    lua_pop(L, 1);
    if (t != LUA_TNIL && t != LUA_TSTRING)
        return "'formula' must be a string";
    t = lua_getfield(L, idx, "format");
    if (t == LUA_TSTRING)
        cell->format = lua_tostring(L, -1);
    lua_pop(L, 1);
    if ((t != LUA_TNIL && t != LUA_TSTRING) || (cell->format && !hgq_writer_format_valid(cell->format)))
        return "'format' must be a format name";
    t = lua_getfield(L, idx, "span");
    if (t != LUA_TNIL) {
        int isint;
        lua_Integer n = lua_tointegerx(L, -1, &isint);
        lua_pop(L, 1);
        if (!isint || n < 1 || n > (lua_Integer)HGQ_MAX_COL + 1)
            return "'span' must be a number of columns";
        cell->span = (unsigned)n;
    } else {
        lua_pop(L, 1);
    }
    lua_getfield(L, idx, "value");
    t = to_value(L, -1, &cell->value);
    lua_pop(L, 1);
    if (!t)
        return "'value' cannot be written";
    if (cell->formula && !cell->formula[0])
        return "'formula' is empty";
    return NULL;
}

/* 1-based row or column argument to 0-based. */
static uint32_t check_index(lua_State *L, int arg, int idx, lua_Integer max)
{
    lua_Integer i = luaL_checkinteger(L, idx);
    luaL_argcheck(L, i >= 1 && i <= max, arg, "out of the sheet");
    return (uint32_t)(i - 1);
}

/* A cell position: "B3", or {row=, col=} (1-based). */
static void check_at(lua_State *L, int arg, int idx, uint32_t *row, uint32_t *col)
{
    if (lua_type(L, idx) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, idx, &len);
        if (!hgq_ref_parse(s, len, row, col))
            luaL_argerror(L, arg, lua_pushfstring(L, "bad cell reference '%s'", s));
    } else if (lua_type(L, idx) == LUA_TTABLE) {
        lua_Integer r = hgq_lua_opt_int(L, arg, idx, "row", 0);
        lua_Integer c = hgq_lua_opt_int(L, arg, idx, "col", 0);
        if (r < 1 || r > (lua_Integer)HGQ_MAX_ROW + 1 || c < 1 || c > (lua_Integer)HGQ_MAX_COL + 1)
            luaL_argerror(L, arg, "'at' needs row and col within the sheet");
        *row = (uint32_t)(r - 1);
        *col = (uint32_t)(c - 1);
    } else {
        luaL_argerror(L, arg, "'at' must be a cell reference such as \"B3\" or {row=, col=}");
    }
}

/* Pushes "A1:C3" of a 0-based range. */
static void push_ref(lua_State *L, uint32_t r0, uint32_t c0, uint32_t r1, uint32_t c1)
{
    char a[16], b[16];
    hgq_ref_format(r0, c0, a, sizeof a);
    hgq_ref_format(r1, c1, b, sizeof b);
    lua_pushfstring(L, "%s:%s", a, b);
}

/* }==================================================================== */

/* {====================================================================
 * Writers
 * ===================================================================== */

static lwriter *check_writer(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, WRITER_MT);
}

static hgq_writer *open_writer(lua_State *L, int idx)
{
    return hgq_lua_check_open(L, idx, WRITER_MT, "writer");
}

static const char *const writer_keys[] = {
    "constant_memory", "tmpdir", "title", "subject", "author", "company", "keywords",
    "comments", "created", "inputs", "unmask_ids", "font", "font_size",
    "fail_before_rename", NULL};

/* hgq.writer(path [, options]) */
static int l_writer(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    hgq_writer_options opt;
    const char **inputs = NULL;
    lwriter *box;
    hgq_error err;
    double serial;

    hgq_writer_options_init(&opt);
    if (!lua_isnoneornil(L, 2)) {
        luaL_checktype(L, 2, LUA_TTABLE);
        hgq_lua_check_keys(L, 2, 2, writer_keys, "option");
        opt.constant_memory = hgq_lua_opt_bool(L, 2, "constant_memory", 0);
        opt.unmask_ids = hgq_lua_opt_bool(L, 2, "unmask_ids", 0);
        opt.fail_before_rename = hgq_lua_opt_bool(L, 2, "fail_before_rename", 0);
        opt.tmpdir = hgq_lua_opt_string(L, 2, 2, "tmpdir");
        opt.title = hgq_lua_opt_string(L, 2, 2, "title");
        opt.subject = hgq_lua_opt_string(L, 2, 2, "subject");
        opt.author = hgq_lua_opt_string(L, 2, 2, "author");
        opt.company = hgq_lua_opt_string(L, 2, 2, "company");
        opt.keywords = hgq_lua_opt_string(L, 2, 2, "keywords");
        opt.comments = hgq_lua_opt_string(L, 2, 2, "comments");
        if (hgq_lua_opt_string(L, 2, 2, "font"))
            opt.font_name = hgq_lua_opt_string(L, 2, 2, "font");
        if (lua_getfield(L, 2, "font_size") != LUA_TNIL) {
            opt.font_size = lua_tonumber(L, -1);
            luaL_argcheck(L, opt.font_size > 0 && opt.font_size < 410, 2, "'font_size' out of range");
        }
        lua_pop(L, 1);
        if (lua_getfield(L, 2, "created") != LUA_TNIL) {
            /* seconds since 1970, or an hgq.date (taken as UTC) */
            if (hgq_lua_to_date(L, -1, &serial))
                opt.created = (int64_t)llround((serial - 25569.0) * 86400.0);
            else if (lua_isinteger(L, -1))
                opt.created = (int64_t)lua_tointeger(L, -1);
            else
                luaL_argerror(L, 2, "'created' must be an hgq.date or seconds since 1970");
        }
        lua_pop(L, 1);
        if (lua_getfield(L, 2, "inputs") != LUA_TNIL) {
            size_t i, n;
            int t = lua_gettop(L);
            luaL_argcheck(L, lua_istable(L, t), 2, "'inputs' must be a list of paths");
            n = (size_t)lua_rawlen(L, t);
            inputs = lua_newuserdatauv(L, (n ? n : 1) * sizeof *inputs, 0);
            for (i = 0; i < n; i++) {
                lua_rawgeti(L, t, (lua_Integer)i + 1);
                if (lua_type(L, -1) != LUA_TSTRING)
                    luaL_argerror(L, 2, "'inputs' must be a list of paths");
                inputs[i] = lua_tostring(L, -1);   /* kept alive by the inputs table */
                lua_pop(L, 1);
            }
            opt.inputs = inputs;
            opt.ninputs = n;
        }
    }
    box = lua_newuserdatauv(L, sizeof *box, 0);
    box->w = NULL;
    luaL_setmetatable(L, WRITER_MT);
    if (hgq_writer_new(&box->w, path, &opt, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    return 1;
}

/* Commits (commit = 1) or abandons the writer; returns 0 on success. */
static int writer_finish(lwriter *box, int commit, hgq_error *err)
{
    hgq_status s = HGQ_OK;
    if (!box->w)
        return 0;
    if (commit)
        s = hgq_writer_close(box->w, err);
    hgq_writer_free(box->w);
    box->w = NULL;
    return s != HGQ_OK;
}

/* w:close() -> true | nil, message, code */
static int w_close(lua_State *L)
{
    lwriter *box = check_writer(L, 1);
    hgq_error err;
    if (!box->w) {
        lua_pushboolean(L, 1);   /* closing twice is harmless */
        return 1;
    }
    if (writer_finish(box, 1, &err))
        return hgq_lua_fail(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}

static int w_gc(lua_State *L)
{
    writer_finish(check_writer(L, 1), 0, NULL);
    return 0;
}

/* Leaving a `local w <close>` scope: commit, unless leaving on an error. */
static int w_toclose(lua_State *L)
{
    lwriter *box = check_writer(L, 1);
    hgq_error err;
    if (!lua_isnoneornil(L, 2)) {
        writer_finish(box, 0, NULL);
        return 0;
    }
    if (writer_finish(box, 1, &err)) {
        char msg[2048];
        hgq_error_format(&err, msg, sizeof msg);
        return luaL_error(L, "%s (%s)", msg, hgq_status_name(err.code));
    }
    return 0;
}

static int w_tostring(lua_State *L)
{
    lwriter *box = check_writer(L, 1);
    if (box->w)
        lua_pushfstring(L, "hgq.writer (%s)", hgq_writer_path(box->w));
    else
        lua_pushliteral(L, "hgq.writer (closed)");
    return 1;
}

static int w_path(lua_State *L)
{
    lua_pushstring(L, hgq_writer_path(open_writer(L, 1)));
    return 1;
}

/* w:input(path) -> true | nil, message, code */
static int w_input(lua_State *L)
{
    hgq_writer *w = open_writer(L, 1);
    hgq_error err;
    if (hgq_writer_add_input(w, luaL_checkstring(L, 2), &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    lua_pushboolean(L, 1);
    return 1;
}

static const char *const sheet_keys[] = {"landscape", "orientation", "freeze", "print", NULL};
static const char *const orientations[] = {"auto", "portrait", "landscape", NULL};

/* w:sheet(name [, {landscape=, freeze=, print=}]) -> sheet | nil, message, code */
static int w_sheet(lua_State *L)
{
    hgq_writer *w = open_writer(L, 1);
    const char *name = luaL_checkstring(L, 2);
    hgq_sheet_options so;
    hgq_writer_sheet *sh;
    lwsheet *box;
    hgq_error err;
    hgq_sheet_options_init(&so);
    if (!lua_isnoneornil(L, 3)) {
        luaL_checktype(L, 3, LUA_TTABLE);
        hgq_lua_check_keys(L, 3, 3, sheet_keys, "sheet option");
        if (lua_getfield(L, 3, "landscape") != LUA_TNIL)
            so.orientation = lua_toboolean(L, -1) ? HGQ_ORIENT_LANDSCAPE : HGQ_ORIENT_PORTRAIT;
        lua_pop(L, 1);
        if (lua_getfield(L, 3, "orientation") != LUA_TNIL)
            so.orientation = (hgq_orientation)luaL_checkoption(L, -1, NULL, orientations);
        lua_pop(L, 1);
        so.freeze = hgq_lua_opt_bool(L, 3, "freeze", 1);
        so.print_setup = hgq_lua_opt_bool(L, 3, "print", 1);
    }
    if (hgq_writer_add_sheet(w, name, &so, &sh, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    box = lua_newuserdatauv(L, sizeof *box, 1);
    box->sh = sh;
    box->open_ncols = 0;
    lua_pushvalue(L, 1);
    lua_setiuservalue(L, -2, 1);
    luaL_setmetatable(L, WSHEET_MT);
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Sheets
 * ===================================================================== */

static lwsheet *check_sheet_box(lua_State *L, int idx)
{
    return luaL_checkudata(L, idx, WSHEET_MT);
}

static hgq_writer_sheet *check_sheet(lua_State *L, int idx)
{
    lwsheet *box = check_sheet_box(L, idx);
    lwriter *wb;
    lua_getiuservalue(L, idx, 1);
    wb = lua_touserdata(L, -1);
    lua_pop(L, 1);
    if (!wb || !wb->w)
        luaL_error(L, "attempt to use a sheet of a closed writer");
    return box->sh;
}

static int sh_tostring(lua_State *L)
{
    lwsheet *box = check_sheet_box(L, 1);
    lwriter *wb;
    lua_getiuservalue(L, 1, 1);
    wb = lua_touserdata(L, -1);
    if (wb && wb->w)
        lua_pushfstring(L, "hgq.writer.sheet (%s)", hgq_writer_sheet_name(box->sh));
    else
        lua_pushliteral(L, "hgq.writer.sheet (closed)");
    return 1;
}

static int sh_name(lua_State *L)
{
    lua_pushstring(L, hgq_writer_sheet_name(check_sheet(L, 1)));
    return 1;
}

/* sh:next_row() -> the first free row below what the sheet holds (1-based) */
static int sh_next_row(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)hgq_writer_sheet_next_row(check_sheet(L, 1)) + 1);
    return 1;
}

static int ok_or_fail(lua_State *L, hgq_status s, const hgq_error *err)
{
    if (s != HGQ_OK)
        return hgq_lua_fail(L, err);
    lua_pushboolean(L, 1);
    return 1;
}

/* sh:write(row, col, value [, format]) */
static int sh_write(lua_State *L)
{
    hgq_writer_sheet *sh = check_sheet(L, 1);
    uint32_t row = check_index(L, 2, 2, (lua_Integer)HGQ_MAX_ROW + 1);
    uint32_t col = check_index(L, 3, 3, (lua_Integer)HGQ_MAX_COL + 1);
    hgq_value v;
    const char *format = check_format(L, 5, 5);
    hgq_error err;
    if (!to_value(L, 4, &v))
        luaL_argerror(L, 4, "string, number, boolean, date or nil expected");
    return ok_or_fail(L, hgq_writer_sheet_write(sh, row, col, &v, format, &err), &err);
}

/* sh:formula(row, col, formula, cached [, format]) */
static int sh_formula(lua_State *L)
{
    hgq_writer_sheet *sh = check_sheet(L, 1);
    uint32_t row = check_index(L, 2, 2, (lua_Integer)HGQ_MAX_ROW + 1);
    uint32_t col = check_index(L, 3, 3, (lua_Integer)HGQ_MAX_COL + 1);
    const char *formula = luaL_checkstring(L, 4);
    hgq_value v;
    const char *format = check_format(L, 6, 6);
    hgq_error err;
    if (!to_value(L, 5, &v))
        luaL_argerror(L, 5, "string, number, boolean, date or nil expected");
    return ok_or_fail(L, hgq_writer_sheet_write_formula(sh, row, col, formula, &v, format, &err),
                      &err);
}

/* sh:merge("A1:F1", value [, format]) */
static int sh_merge(lua_State *L)
{
    hgq_writer_sheet *sh = check_sheet(L, 1);
    size_t len;
    const char *ref = luaL_checklstring(L, 2, &len);
    hgq_range r;
    hgq_value v;
    const char *format = check_format(L, 4, 4);
    hgq_error err;
    if (!hgq_range_parse(ref, len, &r))
        luaL_argerror(L, 2, "bad range");
    if (!to_value(L, 3, &v))
        luaL_argerror(L, 3, "string, number, boolean, date or nil expected");
    return ok_or_fail(L, hgq_writer_sheet_merge(sh, &r, &v, format, &err), &err);
}

/* sh:note([row,] text) -> the row written (1-based) | nil, message, code */
static int sh_note(lua_State *L)
{
    lwsheet *box = check_sheet_box(L, 1);
    hgq_writer_sheet *sh = check_sheet(L, 1);
    uint32_t row = HGQ_WRITER_NEXT, written;
    const char *text;
    hgq_error err;
    int ti = 2;
    if (lua_type(L, 2) == LUA_TNUMBER || (lua_isnil(L, 2) && !lua_isnone(L, 3))) {
        if (!lua_isnil(L, 2))
            row = check_index(L, 2, 2, (lua_Integer)HGQ_MAX_ROW + 1);
        ti = 3;
    }
    text = luaL_checkstring(L, ti);
    if (box->open_ncols)
        return luaL_error(L, "a streamed table is still open on this sheet: call sh:finish() first");
    if (hgq_writer_sheet_note(sh, row, text, &written, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    lua_pushinteger(L, (lua_Integer)written + 1);
    return 1;
}

/* sh:widths{20, nil, 12, D = 30} -> true */
static int sh_widths(lua_State *L)
{
    hgq_writer_sheet *sh = check_sheet(L, 1);
    hgq_error err;
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_pushnil(L);
    while (lua_next(L, 2)) {
        uint32_t col = 0;
        int ok = 0;
        double width = lua_tonumber(L, -1);
        if (lua_type(L, -2) == LUA_TNUMBER && lua_isinteger(L, -2)) {
            lua_Integer c = lua_tointeger(L, -2);
            ok = c >= 1 && c <= (lua_Integer)HGQ_MAX_COL + 1;
            col = (uint32_t)(c - 1);
        } else if (lua_type(L, -2) == LUA_TSTRING) {
            size_t len;
            const char *s = lua_tolstring(L, -2, &len);
            ok = hgq_ref_parse_col(s, len, &col);
        }
        if (!ok || !lua_isnumber(L, -1))
            luaL_argerror(L, 2, "widths are {column = width}, columns by number or letters");
        if (hgq_writer_sheet_set_width(sh, col, width, &err) != HGQ_OK)
            luaL_argerror(L, 2, err.message);
        lua_pop(L, 1);
    }
    lua_pushboolean(L, 1);
    return 1;
}

/* Pushes the area as a table of 1-based positions, with ranges for charts. */
static void push_area(lua_State *L, const hgq_writer_sheet *sh, const hgq_table_area *a)
{
    struct { const char *name; uint32_t v; } f[] = {
        {"first_row", a->first_row}, {"last_row", a->last_row},
        {"first_col", a->first_col}, {"last_col", a->last_col},
        {"title_row", a->title_row},
        {"header_first_row", a->header_first_row}, {"header_last_row", a->header_last_row},
        {"body_first_row", a->body_first_row}, {"body_last_row", a->body_last_row},
        {"totals_row", a->totals_row}, {"totals_col", a->totals_col}};
    size_t i, ncols = (size_t)(a->last_col - a->first_col) + 1;
    lua_createtable(L, 0, 16);
    for (i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (f[i].v == HGQ_WRITER_NONE)
            continue;
        lua_pushinteger(L, (lua_Integer)f[i].v + 1);
        lua_setfield(L, -2, f[i].name);
    }
    lua_pushinteger(L, (lua_Integer)a->body_rows);
    lua_setfield(L, -2, "body_rows");
    lua_pushstring(L, hgq_writer_sheet_name(sh));
    lua_setfield(L, -2, "sheet");
    push_ref(L, a->first_row, a->first_col, a->last_row, a->last_col);
    lua_setfield(L, -2, "ref");
    /* cols[i]: the body cells of column i, e.g. "B4:B9", ready for a chart */
    lua_createtable(L, (int)ncols, 0);
    if (a->body_rows > 0)
        for (i = 0; i < ncols; i++) {
            push_ref(L, a->body_first_row, a->first_col + (uint32_t)i, a->body_last_row,
                     a->first_col + (uint32_t)i);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
    lua_setfield(L, -2, "cols");
}

static const char *const table_keys[] = {
    "title", "header", "rows", "formats", "totals_row", "totals_col", "at", "ncols",
    "label_cols", "group_cols", "merges", "auto_merge", "stream", NULL};

/* Keeps the value on the stack top alive until the call returns (pops it). */
static void anchor(lua_State *L, int anchors)
{
    lua_rawseti(L, anchors, (lua_Integer)lua_rawlen(L, anchors) + 1);
}

/* The header grid: {{...}, {...}}, or one row {...}; nil and false are empty. */
static const char **read_header(lua_State *L, int t, int anchors, size_t ncols,
                                size_t *nrows)
{
    const char **grid;
    size_t r, c, n;
    int nested, hdr;
    *nrows = 0;
    if (lua_getfield(L, t, "header") == LUA_TNIL) {
        lua_pop(L, 1);
        return NULL;
    }
    hdr = lua_gettop(L);
    luaL_argcheck(L, lua_istable(L, hdr), 2, "'header' must be a list of rows of strings");
    nested = lua_rawgeti(L, hdr, 1) == LUA_TTABLE;
    lua_pop(L, 1);
    n = nested ? (size_t)lua_rawlen(L, hdr) : 1;
    grid = lua_newuserdatauv(L, (n ? n : 1) * ncols * sizeof *grid, 0);
    anchor(L, anchors);
    for (r = 0; r < n; r++) {
        if (nested) {
            if (lua_rawgeti(L, hdr, (lua_Integer)r + 1) != LUA_TTABLE)
                luaL_argerror(L, 2, "'header' must be a list of rows of strings");
        } else {
            lua_pushvalue(L, hdr);
        }
        for (c = 0; c < ncols; c++) {
            int ty = lua_rawgeti(L, -1, (lua_Integer)c + 1);
            if (ty == LUA_TNIL || (ty == LUA_TBOOLEAN && !lua_toboolean(L, -1))) {
                grid[r * ncols + c] = "";
                lua_pop(L, 1);
            } else if (ty == LUA_TSTRING || ty == LUA_TNUMBER) {
                grid[r * ncols + c] = lua_tostring(L, -1);
                anchor(L, anchors);   /* a number's text exists only on the stack */
            } else {
                luaL_argerror(L, 2, "header cells must be strings");
            }
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    *nrows = n;
    return grid;
}

/* Column count: ncols, else #formats, else the header's width, else the first row's. */
static size_t table_ncols(lua_State *L, int t)
{
    lua_Integer n = hgq_lua_opt_int(L, 2, t, "ncols", 0);
    if (n == 0) {
        if (lua_getfield(L, t, "formats") == LUA_TTABLE)
            n = (lua_Integer)lua_rawlen(L, -1);
        lua_pop(L, 1);
    }
    if (n == 0) {
        if (lua_getfield(L, t, "header") == LUA_TTABLE) {
            int ty = lua_rawgeti(L, -1, 1);
            if (ty == LUA_TTABLE)
                n = (lua_Integer)lua_rawlen(L, -1);
            else if (ty != LUA_TNIL)
                n = (lua_Integer)lua_rawlen(L, -2);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    if (n == 0) {
        if (lua_getfield(L, t, "rows") == LUA_TTABLE) {
            if (lua_rawgeti(L, -1, 1) == LUA_TTABLE)
                n = (lua_Integer)lua_rawlen(L, -1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    return n > 0 ? (size_t)n : 0;
}

/* Checks that every cell of rows can be stored, so writing never stops half-way. */
static void check_rows(lua_State *L, int rows, size_t ncols)
{
    size_t r, c, n = (size_t)lua_rawlen(L, rows);
    hgq_writer_cell cell;
    for (r = 0; r < n; r++) {
        if (lua_rawgeti(L, rows, (lua_Integer)r + 1) != LUA_TTABLE)
            luaL_error(L, "bad argument #1 to 'table' (row %d is not a table)", (int)r + 1);
        for (c = 0; c < ncols; c++) {
            const char *why;
            lua_rawgeti(L, -1, (lua_Integer)c + 1);
            if ((why = to_cell(L, -1, &cell)) != NULL)
                luaL_error(L, "bad argument #1 to 'table' (row %d column %d: %s%s%s)",
                           (int)r + 1, (int)c + 1, lua_istable(L, -1) ? "" : luaL_typename(L, -1),
                           lua_istable(L, -1) ? "" : " ", why);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
}

/* Appends row `idx` (a table, already checked) as ncols cells. */
static hgq_status append_lua_row(lua_State *L, hgq_writer_sheet *sh, int idx, size_t ncols,
                                 hgq_writer_cell *buf, hgq_error *err)
{
    size_t c;
    hgq_status s;
    int top = lua_gettop(L);
    luaL_checkstack(L, 8, NULL);
    for (c = 0; c < ncols; c++) {
        lua_rawgeti(L, idx, (lua_Integer)c + 1);   /* anchored by the row table */
        to_cell(L, -1, &buf[c]);
        lua_pop(L, 1);
    }
    s = hgq_writer_sheet_append_cells(sh, ncols ? buf : NULL, ncols, err);
    lua_settop(L, top);
    return s;
}

/* sh:table{...} -> area | nil, message, code (stream = true: then sh:append, sh:finish) */
static int sh_table(lua_State *L)
{
    lwsheet *box = check_sheet_box(L, 1);
    hgq_writer_sheet *sh = check_sheet(L, 1);
    hgq_table_layout t;
    hgq_table_area a;
    hgq_error err;
    size_t ncols, hrows, c, r, n;
    const char **formats;
    hgq_range *merges;
    hgq_writer_cell *buf;
    int stream, rows_idx = 0, anchors;

    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checkstack(L, 40, NULL);
    hgq_lua_check_keys(L, 2, 2, table_keys, "table field");
    if (box->open_ncols)
        return luaL_error(L, "a streamed table is still open on this sheet: call sh:finish() first");
    lua_settop(L, 2);
    lua_newtable(L);
    anchors = 3;
    hgq_table_layout_init(&t);
    ncols = table_ncols(L, 2);
    luaL_argcheck(L, ncols > 0 && ncols <= HGQ_MAX_COL + 1, 2,
                  "cannot tell the number of columns: give ncols, formats or header");
    t.ncols = ncols;
    t.title = hgq_lua_opt_string(L, 2, 2, "title");
    t.header = read_header(L, 2, anchors, ncols, &hrows);
    t.header_rows = hrows;
    if (lua_getfield(L, 2, "formats") != LUA_TNIL) {
        int f = lua_gettop(L);
        luaL_argcheck(L, lua_istable(L, f), 2, "'formats' must be a list of format names");
        formats = lua_newuserdatauv(L, ncols * sizeof *formats, 0);
        anchor(L, anchors);
        for (c = 0; c < ncols; c++) {
            lua_rawgeti(L, f, (lua_Integer)c + 1);
            formats[c] = check_format(L, 2, -1);
            lua_pop(L, 1);
        }
        t.formats = formats;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "totals_row") != LUA_TNIL)
        t.totals_row = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                       : lua_toboolean(L, -1) ? "合计" : NULL;
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "totals_col") != LUA_TNIL)
        t.totals_col = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                       : lua_toboolean(L, -1) ? "合计" : NULL;
    lua_pop(L, 1);
    t.label_cols = (int)hgq_lua_opt_int(L, 2, 2, "label_cols", -1);
    t.group_cols = (int)hgq_lua_opt_int(L, 2, 2, "group_cols", 0);
    luaL_argcheck(L, t.label_cols >= -1 && (size_t)(t.label_cols + 1) <= ncols + 1, 2,
                  "'label_cols' out of range");
    luaL_argcheck(L, t.group_cols >= 0 && (size_t)t.group_cols <= ncols, 2,
                  "'group_cols' out of range");
    t.no_auto_merge = !hgq_lua_opt_bool(L, 2, "auto_merge", 1);
    if (lua_getfield(L, 2, "merges") != LUA_TNIL) {
        /* {{first_row, first_col, last_row, last_col}, ...}, 1-based within the header */
        int m = lua_gettop(L);
        luaL_argcheck(L, lua_istable(L, m), 2, "'merges' must be a list of {r1, c1, r2, c2}");
        n = (size_t)lua_rawlen(L, m);
        merges = lua_newuserdatauv(L, (n ? n : 1) * sizeof *merges, 0);
        anchor(L, anchors);
        for (r = 0; r < n; r++) {
            lua_Integer q[4];
            int k;
            if (lua_rawgeti(L, m, (lua_Integer)r + 1) != LUA_TTABLE)
                luaL_argerror(L, 2, "'merges' must be a list of {r1, c1, r2, c2}");
            for (k = 0; k < 4; k++) {
                lua_rawgeti(L, -1, k + 1);
                q[k] = lua_tointeger(L, -1);
                luaL_argcheck(L, q[k] >= 1 && q[k] <= 65536, 2,
                              "'merges' must be a list of {r1, c1, r2, c2}");
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
            merges[r].first_row = (uint32_t)q[0] - 1;
            merges[r].first_col = (uint32_t)q[1] - 1;
            merges[r].last_row = (uint32_t)q[2] - 1;
            merges[r].last_col = (uint32_t)q[3] - 1;
        }
        t.merges = merges;
        t.nmerges = n;
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "at") != LUA_TNIL)
        check_at(L, 2, -1, &t.row, &t.col);
    lua_pop(L, 1);
    stream = hgq_lua_opt_bool(L, 2, "stream", 0);
    if (lua_getfield(L, 2, "rows") != LUA_TNIL) {
        luaL_argcheck(L, lua_istable(L, -1), 2, "'rows' must be a list of rows");
        luaL_argcheck(L, !stream, 2, "a streamed table takes its rows from sh:append");
        rows_idx = lua_gettop(L);
        check_rows(L, rows_idx, ncols);
    }
    buf = lua_newuserdatauv(L, ncols * sizeof *buf, 0);

    if (hgq_writer_sheet_begin_table(sh, &t, &a, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    if (stream) {
        box->open_ncols = ncols;
        push_area(L, sh, &a);
        return 1;
    }
    n = rows_idx ? (size_t)lua_rawlen(L, rows_idx) : 0;
    for (r = 0; r < n; r++) {
        hgq_status s;
        lua_rawgeti(L, rows_idx, (lua_Integer)r + 1);
        s = append_lua_row(L, sh, lua_gettop(L), ncols, buf, &err);
        lua_pop(L, 1);
        if (s != HGQ_OK) {
            hgq_writer_sheet_end_table(sh, NULL, NULL);
            return hgq_lua_fail(L, &err);
        }
    }
    if (hgq_writer_sheet_end_table(sh, &a, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    push_area(L, sh, &a);
    return 1;
}

/* sh:append(values) -> true | nil, message, code */
static int sh_append(lua_State *L)
{
    lwsheet *box = check_sheet_box(L, 1);
    hgq_writer_sheet *sh = check_sheet(L, 1);
    size_t n, c;
    hgq_writer_cell *buf;
    hgq_error err;
    luaL_checktype(L, 2, LUA_TTABLE);
    n = box->open_ncols ? box->open_ncols : (size_t)lua_rawlen(L, 2);
    luaL_argcheck(L, n <= (size_t)HGQ_MAX_COL + 1, 2, "too many values");
    for (c = 0; c < n; c++) {
        hgq_writer_cell cell;
        const char *why;
        lua_rawgeti(L, 2, (lua_Integer)c + 1);
        if ((why = to_cell(L, -1, &cell)) != NULL)
            luaL_argerror(L, 2, lua_pushfstring(L, "value %d: %s%s%s", (int)c + 1,
                                                lua_istable(L, -1) ? "" : luaL_typename(L, -1),
                                                lua_istable(L, -1) ? "" : " ", why));
        lua_pop(L, 1);
    }
    buf = lua_newuserdatauv(L, (n ? n : 1) * sizeof *buf, 0);
    return ok_or_fail(L, append_lua_row(L, sh, 2, n, buf, &err), &err);
}

/* sh:finish() -> area of the streamed table | nil, message, code */
static int sh_finish(lua_State *L)
{
    lwsheet *box = check_sheet_box(L, 1);
    hgq_writer_sheet *sh = check_sheet(L, 1);
    hgq_table_area a;
    hgq_error err;
    size_t ncols = box->open_ncols;
    if (!ncols)
        return luaL_error(L, "no streamed table is open on this sheet");
    box->open_ncols = 0;
    if (hgq_writer_sheet_end_table(sh, &a, &err) != HGQ_OK)
        return hgq_lua_fail(L, &err);
    push_area(L, sh, &a);
    return 1;
}

/* A range argument: "A4:A9", "表6!A4:A9", or {first_row=, first_col=, last_row=,
 * last_col= [, sheet=]} (1-based, as sh:table returns). Pushes its text. */
static const char *range_text(lua_State *L, int arg, int idx)
{
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) == LUA_TSTRING) {
        lua_pushvalue(L, idx);
    } else if (lua_type(L, idx) == LUA_TTABLE) {
        lua_Integer r0 = hgq_lua_opt_int(L, arg, idx, "first_row", 0);
        lua_Integer c0 = hgq_lua_opt_int(L, arg, idx, "first_col", 0);
        lua_Integer r1 = hgq_lua_opt_int(L, arg, idx, "last_row", 0);
        lua_Integer c1 = hgq_lua_opt_int(L, arg, idx, "last_col", 0);
        const char *sheet = hgq_lua_opt_string(L, arg, idx, "sheet");
        luaL_Buffer b;
        char a[16], z[16];
        if (r0 < 1 || c0 < 1 || r1 < r0 || c1 < c0 || r1 > (lua_Integer)HGQ_MAX_ROW + 1 ||
            c1 > (lua_Integer)HGQ_MAX_COL + 1)
            luaL_argerror(L, arg, "a range needs first_row, first_col, last_row, last_col");
        luaL_buffinit(L, &b);
        if (sheet) {
            luaL_addchar(&b, '\'');
            for (; *sheet; sheet++) {
                if (*sheet == '\'')
                    luaL_addchar(&b, '\'');
                luaL_addchar(&b, *sheet);
            }
            luaL_addstring(&b, "'!");
        }
        hgq_ref_format((uint32_t)(r0 - 1), (uint32_t)(c0 - 1), a, sizeof a);
        hgq_ref_format((uint32_t)(r1 - 1), (uint32_t)(c1 - 1), z, sizeof z);
        luaL_addstring(&b, a);
        luaL_addchar(&b, ':');
        luaL_addstring(&b, z);
        luaL_pushresult(&b);
    } else {
        luaL_argerror(L, arg, "a range must be a string such as \"B4:B9\" or a table");
    }
    return lua_tostring(L, -1);
}

static const char *const chart_keys[] = {"type", "title", "categories", "series", "at", "width",
                                         "height", "x_title", "y_title", NULL};
static const char *const chart_types[] = {"column", "line", "bar", "pie", NULL};

/* sh:chart{type=, title=, categories=, series={{name=, values=}, ...}, at=} */
static int sh_chart(lua_State *L)
{
    hgq_writer_sheet *sh = check_sheet(L, 1);
    hgq_chart_spec c;
    hgq_chart_series *ser;
    hgq_error err;
    size_t i, n;
    int series;
    luaL_checktype(L, 2, LUA_TTABLE);
    hgq_lua_check_keys(L, 2, 2, chart_keys, "chart field");
    hgq_chart_spec_init(&c);
    if (lua_getfield(L, 2, "type") != LUA_TNIL)
        c.type = (hgq_chart_type)(luaL_checkoption(L, -1, NULL, chart_types) + 1);
    c.title = hgq_lua_opt_string(L, 2, 2, "title");
    c.x_title = hgq_lua_opt_string(L, 2, 2, "x_title");
    c.y_title = hgq_lua_opt_string(L, 2, 2, "y_title");
    c.width = (uint32_t)hgq_lua_opt_int(L, 2, 2, "width", 0);
    c.height = (uint32_t)hgq_lua_opt_int(L, 2, 2, "height", 0);
    if (lua_getfield(L, 2, "categories") != LUA_TNIL)
        c.categories = range_text(L, 2, -1);
    if (lua_getfield(L, 2, "at") != LUA_TNIL)
        check_at(L, 2, -1, &c.row, &c.col);
    if (lua_getfield(L, 2, "series") != LUA_TTABLE)
        luaL_argerror(L, 2, "'series' must be a list of {name=, values=}");
    series = lua_gettop(L);
    n = (size_t)lua_rawlen(L, series);
    luaL_argcheck(L, n > 0, 2, "a chart needs at least one series");
    ser = lua_newuserdatauv(L, n * sizeof *ser, 0);
    for (i = 0; i < n; i++) {
        luaL_checkstack(L, 4, "too many series");
        if (lua_rawgeti(L, series, (lua_Integer)i + 1) != LUA_TTABLE)
            luaL_argerror(L, 2, "'series' must be a list of {name=, values=}");
        ser[i].name = hgq_lua_opt_string(L, 2, -1, "name");
        if (lua_getfield(L, -1, "values") == LUA_TNIL)
            luaL_argerror(L, 2, "each series needs values");
        ser[i].values = range_text(L, 2, -1);   /* the pushed text stays on the stack */
        lua_remove(L, -2);                      /* the raw values field */
    }
    c.series = ser;
    c.nseries = n;
    return ok_or_fail(L, hgq_writer_sheet_chart(sh, &c, &err), &err);
}

static const char *const highlight_keys[] = {"range", "column", "equals", "formula", "fill",
                                             "font_color", NULL};

/* sh:highlight{range=, column=, equals=} or {range=, formula=}; range may be an area */
static int sh_highlight(lua_State *L)
{
    hgq_writer_sheet *sh = check_sheet(L, 1);
    hgq_highlight h;
    hgq_error err;
    int t;
    luaL_checktype(L, 2, LUA_TTABLE);
    hgq_lua_check_keys(L, 2, 2, highlight_keys, "highlight field");
    memset(&h, 0, sizeof h);
    t = lua_getfield(L, 2, "range");
    if (t == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        if (!hgq_range_parse(s, len, &h.range))
            luaL_argerror(L, 2, "bad range");
    } else if (t == LUA_TTABLE) {
        int idx = lua_gettop(L);
        lua_Integer r0 = hgq_lua_opt_int(L, 2, idx, "body_first_row", 0);
        lua_Integer r1 = hgq_lua_opt_int(L, 2, idx, "body_last_row", 0);
        if (r0 == 0) {
            r0 = hgq_lua_opt_int(L, 2, idx, "first_row", 0);
            r1 = hgq_lua_opt_int(L, 2, idx, "last_row", 0);
        }
        h.range.first_col = (uint32_t)hgq_lua_opt_int(L, 2, idx, "first_col", 0) - 1;
        h.range.last_col = (uint32_t)hgq_lua_opt_int(L, 2, idx, "last_col", 0) - 1;
        if (r0 < 1 || r1 < r0 || h.range.first_col > HGQ_MAX_COL || h.range.last_col > HGQ_MAX_COL)
            luaL_argerror(L, 2, "'range' has no rows to highlight");
        h.range.first_row = (uint32_t)r0 - 1;
        h.range.last_row = (uint32_t)r1 - 1;
    } else {
        luaL_argerror(L, 2, "'range' must be \"A4:F9\" or an area from sh:table");
    }
    h.formula = hgq_lua_opt_string(L, 2, 2, "formula");
    h.equals = hgq_lua_opt_string(L, 2, 2, "equals");
    t = lua_getfield(L, 2, "column");
    if (t == LUA_TNUMBER) {
        h.column = check_index(L, 2, -1, (lua_Integer)HGQ_MAX_COL + 1);
    } else if (t == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        if (!hgq_ref_parse_col(s, len, &h.column))
            luaL_argerror(L, 2, "bad column");
    } else if (h.equals) {
        luaL_argerror(L, 2, "'equals' needs a column (number or letters)");
    }
    h.fill = (uint32_t)hgq_lua_opt_int(L, 2, 2, "fill", 0);
    h.font_color = (uint32_t)hgq_lua_opt_int(L, 2, 2, "font_color", 0);
    return ok_or_fail(L, hgq_writer_sheet_highlight(sh, &h, &err), &err);
}

/* }==================================================================== */

/* {====================================================================
 * Cross-tabs from Lua data
 * ===================================================================== */

static const char *const crosstab_keys[] = {
    "data", "dims", "row_dims", "col_dims", "row_labels", "value", "value_label", "title",
    "format", "total", "total_label", "margins", "sort_rows", "sort_cols", "group", "at",
    "measure", NULL};
static const char *const margin_modes[] = {"formula", "values", NULL};

/* A list of strings at field `key` into a userdata array; returns count. */
static size_t string_list(lua_State *L, int t, const char *key, const char ***out)
{
    size_t n, i;
    *out = NULL;
    if (lua_getfield(L, t, key) == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (!lua_istable(L, -1))
        luaL_argerror(L, 2, lua_pushfstring(L, "'%s' must be a list of strings", key));
    n = (size_t)lua_rawlen(L, -1);
    *out = lua_newuserdatauv(L, (n ? n : 1) * sizeof **out, 1);
    lua_pushvalue(L, -2);
    lua_setiuservalue(L, -2, 1);      /* the array keeps its strings' table alive */
    for (i = 0; i < n; i++) {
        if (lua_rawgeti(L, -2, (lua_Integer)i + 1) != LUA_TSTRING)
            luaL_argerror(L, 2, lua_pushfstring(L, "'%s' must be a list of strings", key));
        (*out)[i] = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    lua_remove(L, -2);
    return n;
}

/* sh:crosstab{data = {{trade=, level=, year=, value=}, ...}, dims = {...}, ...} */
static int sh_crosstab(lua_State *L)
{
    hgq_writer_sheet *sh = check_sheet(L, 1);
    hgq_crosstab_layout x;
    const char **dims, **rdims, **cdims, **labels;
    size_t ndims, nlabels, i, r, n;
    int data;
    hgq_table *t;
    hgq_error err;
    hgq_status s = HGQ_OK;
    luaL_Buffer b;
    const char *value_name;

    luaL_checktype(L, 2, LUA_TTABLE);
    luaL_checkstack(L, 40, NULL);
    hgq_lua_check_keys(L, 2, 2, crosstab_keys, "crosstab field");
    hgq_crosstab_layout_init(&x);
    ndims = string_list(L, 2, "dims", &dims);
    luaL_argcheck(L, ndims > 0 && ndims <= 16, 2, "'dims' must list 1 to 16 dimension names");
    x.n_row_dims = string_list(L, 2, "row_dims", &rdims);
    x.row_dims = rdims;
    x.n_col_dims = string_list(L, 2, "col_dims", &cdims);
    x.col_dims = cdims;
    nlabels = string_list(L, 2, "row_labels", &labels);
    if (nlabels)
        x.row_labels = labels;
    value_name = hgq_lua_opt_string(L, 2, 2, "value");
    if (!value_name)
        value_name = "value";
    x.value_label = hgq_lua_opt_string(L, 2, 2, "value_label");
    x.title = hgq_lua_opt_string(L, 2, 2, "title");
    x.total = hgq_lua_opt_string(L, 2, 2, "total");
    x.total_label = hgq_lua_opt_string(L, 2, 2, "total_label");
    if (lua_getfield(L, 2, "format") != LUA_TNIL)
        x.format = check_format(L, 2, -1);
    if (lua_getfield(L, 2, "margins") != LUA_TNIL)
        x.margins = (hgq_margins)luaL_checkoption(L, -1, NULL, margin_modes);
    x.sort_rows = hgq_lua_opt_bool(L, 2, "sort_rows", 0);
    x.sort_cols = hgq_lua_opt_bool(L, 2, "sort_cols", 0);
    x.no_group = !hgq_lua_opt_bool(L, 2, "group", 1);
    if (lua_getfield(L, 2, "at") != LUA_TNIL)
        check_at(L, 2, -1, &x.row, &x.col);
    if (x.row_labels) {
        size_t nrd = rdims ? x.n_row_dims
                     : x.n_col_dims ? (ndims > x.n_col_dims ? ndims - x.n_col_dims : 0)
                     : ndims > 1 ? ndims - 1 : 1;
        luaL_argcheck(L, nlabels >= nrd, 2, "'row_labels' needs a label per row dimension");
    }
    if (lua_getfield(L, 2, "data") != LUA_TTABLE)
        luaL_argerror(L, 2, "'data' must be a list of records");
    data = lua_gettop(L);
    n = (size_t)lua_rawlen(L, data);
    /* Check everything first: the table below must not leak on a Lua error. */
    for (r = 0; r < n; r++) {
        if (lua_rawgeti(L, data, (lua_Integer)r + 1) != LUA_TTABLE)
            luaL_argerror(L, 2, lua_pushfstring(L, "record %d is not a table", (int)r + 1));
        for (i = 0; i < ndims; i++) {
            int ty = lua_getfield(L, -1, dims[i]);
            if (ty != LUA_TSTRING && ty != LUA_TNUMBER)
                luaL_argerror(L, 2, lua_pushfstring(L, "record %d: '%s' must be text or a number",
                                                    (int)r + 1, dims[i]));
            lua_pop(L, 1);
        }
        if (lua_getfield(L, -1, value_name) != LUA_TNUMBER && !lua_isnil(L, -1))
            luaL_argerror(L, 2, lua_pushfstring(L, "record %d: '%s' must be a number",
                                                (int)r + 1, value_name));
        lua_pop(L, 2);
    }
    luaL_buffinit(L, &b);
    for (i = 0; i < ndims; i++) {
        if (i)
            luaL_addchar(&b, ',');
        luaL_addstring(&b, dims[i]);
    }
    luaL_pushresult(&b);

    t = hgq_table_new("crosstab");
    if (!t)
        return luaL_error(L, "out of memory");
    for (i = 0; i < ndims && s == HGQ_OK; i++)
        s = hgq_table_add_column(t, dims[i], HGQ_TEXT, NULL, &err);
    if (s == HGQ_OK)
        s = hgq_table_add_column(t, value_name, HGQ_NUM, NULL, &err);
    if (s == HGQ_OK)
        s = hgq_table_set_meta(t, "dims", lua_tostring(L, -1), &err);
    if (s == HGQ_OK && hgq_lua_opt_string(L, 2, 2, "measure"))
        s = hgq_table_set_meta(t, "measure", hgq_lua_opt_string(L, 2, 2, "measure"), &err);
    for (r = 0; r < n && s == HGQ_OK; r++) {
        size_t row;
        hgq_value v;
        lua_rawgeti(L, data, (lua_Integer)r + 1);
        s = hgq_table_append_row(t, &row, &err);
        for (i = 0; i < ndims && s == HGQ_OK; i++) {
            lua_getfield(L, -1, dims[i]);
            v = hgq_text(lua_tostring(L, -1));   /* numbers become their text */
            s = hgq_table_set(t, row, i, &v, &err);
            lua_pop(L, 1);
        }
        if (s == HGQ_OK && lua_getfield(L, -1, value_name) == LUA_TNUMBER) {
            v = lua_isinteger(L, -1) ? hgq_int((int64_t)lua_tointeger(L, -1))
                                     : hgq_num(lua_tonumber(L, -1));
            s = hgq_table_set(t, row, ndims, &v, &err);
        }
        lua_pop(L, 2);
    }
    if (s == HGQ_OK) {
        hgq_table_area a;
        s = hgq_writer_sheet_crosstab(sh, t, &x, &a, &err);
        hgq_table_free(t);
        if (s != HGQ_OK)
            return hgq_lua_fail(L, &err);
        push_area(L, sh, &a);
        return 1;
    }
    hgq_table_free(t);
    return hgq_lua_fail(L, &err);
}

/* }==================================================================== */

static const luaL_Reg writer_methods[] = {
    {"close", w_close},
    {"sheet", w_sheet},
    {"input", w_input},
    {"path", w_path},
    {NULL, NULL}
};

static const luaL_Reg writer_meta[] = {
    {"__gc", w_gc},
    {"__close", w_toclose},
    {"__tostring", w_tostring},
    {NULL, NULL}
};

static const luaL_Reg sheet_methods[] = {
    {"name", sh_name},
    {"next_row", sh_next_row},
    {"write", sh_write},
    {"formula", sh_formula},
    {"merge", sh_merge},
    {"note", sh_note},
    {"table", sh_table},
    {"append", sh_append},
    {"finish", sh_finish},
    {"crosstab", sh_crosstab},
    {"chart", sh_chart},
    {"highlight", sh_highlight},
    {"widths", sh_widths},
    {NULL, NULL}
};

static const luaL_Reg sheet_meta[] = {
    {"__tostring", sh_tostring},
    {NULL, NULL}
};

static const luaL_Reg writer_funcs[] = {
    {"writer", l_writer},
    {NULL, NULL}
};

void hgq_lua_open_writer(lua_State *L)
{
    hgq_lua_new_class(L, WRITER_MT, writer_meta, writer_methods, "__index");
    hgq_lua_new_class(L, WSHEET_MT, sheet_meta, sheet_methods, "__index");
    luaL_setfuncs(L, writer_funcs, 0);
}
