/*
 * writer.c - writers and their sheets: creating the workbook beside its
 * target, writing cells, sizing columns, print setup, highlights, charts,
 * and the commit that renames the finished file into place.
 *
 * The target is never opened for writing. libxlsxwriter writes to a
 * temporary file in the target's directory (so the final rename stays on one
 * file system and is atomic); only a workbook_close that succeeded, and whose
 * file reads back whole, is renamed over the target. (libxlsxwriter stages
 * each part in a temporary file of its own and does not notice when one is
 * cut short - a full disk, a file size limit - so it can report success for a
 * workbook with a truncated sheet.) Abandoning a writer frees the
 * libxlsxwriter workbook without writing it and removes the temporary file.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <unzip.h>

#include "writer_int.h"

#define DEFAULT_FONT "宋体"
#define DEFAULT_FONT_SIZE 11.0
#define FOOTER "&C第 &P 页，共 &N 页"
#define PAPER_A4 9
#define WIDE_COLUMNS 8          /* more columns than this print landscape */
#define WIDE_CHARS 100.0        /* so does a sheet wider than this */
#define MIN_WIDTH 6.0
#define MAX_WIDTH 60.0
#define WRAP_AT 60              /* longer body text is wrapped */
#define HEADER_LINE 14.5        /* points per line of wrapped 11 pt text */
#define CHART_W 480
#define CHART_H 288

/* {====================================================================
 * Errors
 * ===================================================================== */

hgq_status hgqw_fail(hgq_error *err, hgq_status code, const hgq_writer_sheet *sh,
                     const char *fmt, ...)
{
    char msg[HGQ_ERROR_MESSAGE_MAX];
    va_list ap;
    if (!err)
        return code;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hgq_error_clear(err);
    hgq_error_set(err, code, "%s", msg);
    if (sh) {
        hgq_error_set_file(err, sh->w->target);
        hgq_error_set_sheet(err, sh->name);
    }
    return code;
}

hgq_status hgqw_check_open(const hgq_writer *w, hgq_error *err)
{
    if (!w)
        return hgqw_fail(err, HGQ_EARG, NULL, "writer is NULL");
    if (w->closed) {
        hgqw_fail(err, HGQ_ESTATE, NULL, "writer is closed");
        hgq_error_set_file(err, w->target);
        return HGQ_ESTATE;
    }
    return HGQ_OK;
}

hgq_status hgqw_lxw_fail(hgq_writer_sheet *sh, lxw_error e, uint32_t row, uint32_t col,
                         hgq_error *err)
{
    hgq_status code;
    switch (e) {
    case LXW_ERROR_MEMORY_MALLOC_FAILED: code = HGQ_ENOMEM; break;
    case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED: code = HGQ_EDATA; break;
    case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
        code = sh->w->opt.constant_memory ? HGQ_ESTATE : HGQ_EARG;
        break;
    case LXW_ERROR_NULL_PARAMETER_IGNORED:
    case LXW_ERROR_PARAMETER_VALIDATION: code = HGQ_EARG; break;
    default: code = HGQ_EWRITE; break;
    }
    hgqw_fail(err, code, sh, "cannot write the cell: %s", lxw_strerror(e));
    hgq_error_set_cell(err, row, col);
    return code;
}

/* }==================================================================== */

/* {====================================================================
 * Options
 * ===================================================================== */

void hgq_writer_options_init(hgq_writer_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->font_name = DEFAULT_FONT;
    opt->font_size = DEFAULT_FONT_SIZE;
}

void hgq_sheet_options_init(hgq_sheet_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->orientation = HGQ_ORIENT_AUTO;
    opt->freeze = 1;
    opt->print_setup = 1;
}

void hgq_chart_spec_init(hgq_chart_spec *c)
{
    memset(c, 0, sizeof *c);
    c->type = HGQ_CHART_COLUMN;
    c->row = HGQ_WRITER_NEXT;
    c->col = HGQ_WRITER_NEXT;
}

/* }==================================================================== */

/* {====================================================================
 * Writers
 * ===================================================================== */

static const char *arena_dup(hgq_arena *a, const char *s, int *oom)
{
    char *p;
    if (!s)
        return NULL;
    p = hgq_arena_strdup(a, s);
    if (!p)
        *oom = 1;
    return p;
}

/* 1 if the file at `path` is a registered input. */
static int target_is_input(const hgq_writer *w, const char *path)
{
    struct stat st;
    size_t i;
    if (stat(path, &st) != 0)
        return 0;
    for (i = 0; i < w->ninputs; i++)
        if (w->inputs[i].dev == st.st_dev && w->inputs[i].ino == st.st_ino)
            return 1;
    return 0;
}

static hgq_status add_input(hgq_writer *w, const char *path, hgq_error *err)
{
    struct stat st;
    if (!path)
        return hgqw_fail(err, HGQ_EARG, NULL, "input path is NULL");
    if (stat(path, &st) != 0)
        return HGQ_OK;    /* nothing there to protect */
    if (w->ninputs == w->capinputs) {
        size_t cap = w->capinputs ? w->capinputs * 2 : 8;
        hgqw_input *p = realloc(w->inputs, cap * sizeof *p);
        if (!p)
            return hgqw_fail(err, HGQ_ENOMEM, NULL, "out of memory");
        w->inputs = p;
        w->capinputs = cap;
    }
    w->inputs[w->ninputs].dev = st.st_dev;
    w->inputs[w->ninputs].ino = st.st_ino;
    w->ninputs++;
    if (target_is_input(w, w->target)) {
        hgqw_fail(err, HGQ_EARG, NULL,
                  "refusing to overwrite an input file (it is also given as input '%s')",
                  path);
        hgq_error_set_file(err, w->target);
        return HGQ_EARG;
    }
    return HGQ_OK;
}

hgq_status hgq_writer_add_input(hgq_writer *w, const char *path, hgq_error *err)
{
    hgq_status st = hgqw_check_open(w, err);
    if (st)
        return st;
    return add_input(w, path, err);
}

/* Makes the temporary file ".BASE.tmp-XXXXXX" beside `target`. */
static hgq_status make_temp(hgq_writer *w, hgq_error *err)
{
    const char *slash = strrchr(w->target, '/');
    const char *base = slash ? slash + 1 : w->target;
    size_t dirlen = slash ? (size_t)(slash - w->target) + 1 : 0;
    hgq_buf b;
    struct stat st;
    int fd;
    mode_t mode = 0644;
    hgq_buf_init(&b);
    if (hgq_buf_append(&b, w->target, dirlen) || hgq_buf_printf(&b, ".%s.tmp-XXXXXX", base)) {
        hgq_buf_free(&b);
        return hgqw_fail(err, HGQ_ENOMEM, NULL, "out of memory");
    }
    fd = mkstemp(b.data);
    if (fd < 0) {
        int e = errno;
        hgqw_fail(err, HGQ_EWRITE, NULL, "cannot create a file in the target's directory: %s",
                  strerror(e));
        hgq_error_set_file(err, w->target);
        hgq_buf_free(&b);
        return HGQ_EWRITE;
    }
    /* mkstemp makes 0600; give the result the mode the old file had. */
    if (stat(w->target, &st) == 0)
        mode = st.st_mode & 07777;
    (void)fchmod(fd, mode);
    close(fd);
    w->tmp = b.data;
    return HGQ_OK;
}

static void drop_temp(hgq_writer *w)
{
    if (w->tmp) {
        unlink(w->tmp);
        free(w->tmp);
        w->tmp = NULL;
    }
}

hgq_status hgq_writer_new(hgq_writer **out, const char *path,
                          const hgq_writer_options *opt, hgq_error *err)
{
    hgq_writer *w;
    hgq_writer_options defaults;
    lxw_workbook_options lo;
    struct stat st;
    size_t i;
    int oom = 0;
    hgq_status s;

    if (!out)
        return hgqw_fail(err, HGQ_EARG, NULL, "out is NULL");
    *out = NULL;
    if (!path || !*path)
        return hgqw_fail(err, HGQ_EARG, NULL, "target path is empty");
    if (path[strlen(path) - 1] == '/' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
        hgqw_fail(err, HGQ_EARG, NULL, "target is a directory");
        hgq_error_set_file(err, path);
        return HGQ_EARG;
    }
    if (!opt) {
        hgq_writer_options_init(&defaults);
        opt = &defaults;
    }
    if (opt->ninputs && !opt->inputs)
        return hgqw_fail(err, HGQ_EARG, NULL, "ninputs given without inputs");

    w = calloc(1, sizeof *w);
    if (!w)
        return hgqw_fail(err, HGQ_ENOMEM, NULL, "out of memory");
    hgq_arena_init(&w->arena);
    w->opt = *opt;
    w->target = hgq_strdup(path);
    w->opt.tmpdir = arena_dup(&w->arena, opt->tmpdir, &oom);
    w->opt.title = arena_dup(&w->arena, opt->title, &oom);
    w->opt.subject = arena_dup(&w->arena, opt->subject, &oom);
    w->opt.author = arena_dup(&w->arena, opt->author, &oom);
    w->opt.company = arena_dup(&w->arena, opt->company, &oom);
    w->opt.keywords = arena_dup(&w->arena, opt->keywords, &oom);
    w->opt.comments = arena_dup(&w->arena, opt->comments, &oom);
    w->opt.font_name = arena_dup(&w->arena,
                                 opt->font_name && *opt->font_name ? opt->font_name
                                                                   : DEFAULT_FONT, &oom);
    if (!(w->opt.font_size > 0))
        w->opt.font_size = DEFAULT_FONT_SIZE;
    w->opt.inputs = NULL;
    w->opt.ninputs = 0;
    if (oom || !w->target) {
        hgq_writer_free(w);
        return hgqw_fail(err, HGQ_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < opt->ninputs; i++) {
        if ((s = add_input(w, opt->inputs[i], err)) != HGQ_OK) {
            hgq_writer_free(w);
            return s;
        }
    }
    if ((s = make_temp(w, err)) != HGQ_OK) {
        hgq_writer_free(w);
        return s;
    }
    memset(&lo, 0, sizeof lo);
    lo.constant_memory = opt->constant_memory ? LXW_TRUE : LXW_FALSE;
    lo.tmpdir = (char *)w->opt.tmpdir;
    w->wb = workbook_new_opt(w->tmp, &lo);
    if (!w->wb) {
        hgq_writer_free(w);
        return hgqw_fail(err, HGQ_ENOMEM, NULL, "cannot create the workbook");
    }
    *out = w;
    return HGQ_OK;
}

const char *hgq_writer_path(const hgq_writer *w)
{
    return w ? w->target : NULL;
}

static void sheet_free(hgq_writer_sheet *sh)
{
    if (!sh)
        return;
    hgqw_table_free(sh->open);
    free(sh->name);
    free(sh->width);
    free(sh->fixed);
    free(sh->spans);
    free(sh->talls);
    free(sh);
}

void hgq_writer_free(hgq_writer *w)
{
    size_t i;
    if (!w)
        return;
    if (w->wb)
        lxw_workbook_free(w->wb);   /* abandon: nothing is written */
    drop_temp(w);
    for (i = 0; i < w->nsheets; i++)
        sheet_free(w->sheets[i]);
    free(w->sheets);
    free(w->fmts);
    free(w->inputs);
    free(w->target);
    hgq_arena_free(&w->arena);
    free(w);
}

/* }==================================================================== */

/* {====================================================================
 * Sheets and cells
 * ===================================================================== */

hgq_status hgq_writer_add_sheet(hgq_writer *w, const char *name,
                                const hgq_sheet_options *opt,
                                hgq_writer_sheet **out, hgq_error *err)
{
    hgq_writer_sheet *sh;
    lxw_error e;
    hgq_status s;
    if (out)
        *out = NULL;
    if ((s = hgqw_check_open(w, err)) != HGQ_OK)
        return s;
    if (!out)
        return hgqw_fail(err, HGQ_EARG, NULL, "out is NULL");
    if (!name || !*name)
        return hgqw_fail(err, HGQ_EARG, NULL, "sheet name is empty");
    e = workbook_validate_sheet_name(w->wb, name);
    if (e != LXW_NO_ERROR) {
        hgqw_fail(err, HGQ_EARG, NULL, "invalid sheet name '%s': %s", name, lxw_strerror(e));
        hgq_error_set_file(err, w->target);
        hgq_error_set_sheet(err, name);
        return HGQ_EARG;
    }
    if (w->nsheets == w->capsheets) {
        size_t cap = w->capsheets ? w->capsheets * 2 : 8;
        hgq_writer_sheet **p = realloc(w->sheets, cap * sizeof *p);
        if (!p)
            return hgqw_fail(err, HGQ_ENOMEM, NULL, "out of memory");
        w->sheets = p;
        w->capsheets = cap;
    }
    sh = calloc(1, sizeof *sh);
    if (!sh || !(sh->name = hgq_strdup(name))) {
        free(sh);
        return hgqw_fail(err, HGQ_ENOMEM, NULL, "out of memory");
    }
    sh->w = w;
    sh->last_row = -1;
    if (opt)
        sh->opt = *opt;
    else
        hgq_sheet_options_init(&sh->opt);
    sh->ws = workbook_add_worksheet(w->wb, name);
    if (!sh->ws) {
        sheet_free(sh);
        hgqw_fail(err, HGQ_EWRITE, NULL, "cannot add sheet '%s'", name);
        hgq_error_set_file(err, w->target);
        return HGQ_EWRITE;
    }
    w->sheets[w->nsheets++] = sh;
    *out = sh;
    return HGQ_OK;
}

const char *hgq_writer_sheet_name(const hgq_writer_sheet *sh)
{
    return sh ? sh->name : NULL;
}

uint32_t hgq_writer_sheet_next_row(const hgq_writer_sheet *sh)
{
    return sh ? sh->next_row : 0;
}

static int grow_cols(hgq_writer_sheet *sh, size_t n)
{
    size_t cap;
    double *a, *b;
    if (n <= sh->nwidth)
        return 0;
    cap = sh->nwidth ? sh->nwidth : 16;
    while (cap < n)
        cap *= 2;
    a = realloc(sh->width, cap * sizeof *a);
    if (!a)
        return -1;
    sh->width = a;
    b = realloc(sh->fixed, cap * sizeof *b);
    if (!b)
        return -1;
    sh->fixed = b;
    memset(a + sh->nwidth, 0, (cap - sh->nwidth) * sizeof *a);
    memset(b + sh->nwidth, 0, (cap - sh->nwidth) * sizeof *b);
    sh->nwidth = cap;
    return 0;
}

void hgqw_add_tall(hgq_writer_sheet *sh, uint32_t row, uint32_t c0, uint32_t c1,
                   double width, double line)
{
    if (sh->ntalls == sh->captalls) {
        size_t cap = sh->captalls ? sh->captalls * 2 : 16;
        hgqw_tall *p = realloc(sh->talls, cap * sizeof *p);
        if (!p)
            return;   /* row heights are cosmetic */
        sh->talls = p;
        sh->captalls = cap;
    }
    sh->talls[sh->ntalls].row = row;
    sh->talls[sh->ntalls].c0 = c0;
    sh->talls[sh->ntalls].c1 = c1;
    sh->talls[sh->ntalls].width = width;
    sh->talls[sh->ntalls].line = line;
    sh->ntalls++;
}

void hgqw_add_span(hgq_writer_sheet *sh, uint32_t c0, uint32_t c1, double width)
{
    if (sh->nspans == sh->capspans) {
        size_t cap = sh->capspans ? sh->capspans * 2 : 8;
        hgqw_span *p = realloc(sh->spans, cap * sizeof *p);
        if (!p)
            return;   /* widths are cosmetic */
        sh->spans = p;
        sh->capspans = cap;
    }
    sh->spans[sh->nspans].c0 = c0;
    sh->spans[sh->nspans].c1 = c1;
    sh->spans[sh->nspans].width = width;
    sh->nspans++;
}

hgq_status hgqw_put(hgq_writer_sheet *sh, uint32_t row, uint32_t col,
                    const hgq_value *v, const char *formula, hgqw_fmt fmt,
                    hgqw_role role, int measure, hgq_error *err)
{
    hgq_writer *w = sh->w;
    lxw_worksheet *ws = sh->ws;
    hgq_value null = hgq_null();
    hgqw_fmt rf;
    lxw_format *f;
    lxw_error e = LXW_NO_ERROR;
    char text[256];
    size_t width;
    double d = 0, ex;

    if (!v)
        v = &null;
    if (row > HGQ_MAX_ROW || col > HGQ_MAX_COL) {
        hgqw_fail(err, HGQ_EARG, sh, "cell beyond the sheet's last cell XFD1048576");
        hgq_error_set_cell(err, row, col);
        return HGQ_EARG;
    }
    if (w->opt.constant_memory && sh->last_row >= 0 && (int64_t)row < sh->last_row) {
        hgqw_fail(err, HGQ_ESTATE, sh,
                  "row %lu is above row %lu already written (constant-memory mode writes rows in order)",
                  (unsigned long)row + 1, (unsigned long)sh->last_row + 1);
        hgq_error_set_cell(err, row, col);
        return HGQ_ESTATE;
    }
    rf.kind = hgqw_resolve(fmt, v);
    rf.code = rf.kind == HGQW_CUSTOM ? fmt.code : NULL;
    /* Display width, cheaply for the common cells: a detail sheet has millions. */
    text[0] = '\0';
    if (v->type == HGQ_TEXT && rf.kind != HGQW_IDCARD)
        width = hgq_utf8_width(v->u.s, strlen(v->u.s));
    else if (v->type == HGQ_DATE && rf.kind == HGQW_DATE && v->u.d >= 2.0)
        width = 10;
    else if (!(width = hgqw_number_width(rf.kind, v)))
        width = hgqw_display(rf.kind, v, w->opt.unmask_ids, text, sizeof text);
    /* Long body text wraps, and so does text wider than a width the caller
     * fixed. (A cell not measured is part of a merged range: its caller sees
     * to that.) */
    if (role == HGQW_BODY && measure && v->type == HGQ_TEXT &&
        (width > WRAP_AT ||
         (col < sh->nwidth && sh->fixed[col] > 0 && (double)width * 1.05 > sh->fixed[col] - 0.5))) {
        role = HGQW_WRAP;
        hgqw_add_tall(sh, row, col, col, (double)width, HEADER_LINE);
    }
    if (role == HGQW_HEADER && measure && width > HGQW_HEADER_CAP) {
        hgqw_add_tall(sh, row, col, col, (double)width, HEADER_LINE);
        width = (size_t)HGQW_HEADER_CAP;   /* wraps instead */
    }
    f = hgqw_format(w, rf, role);
    if (!f)
        return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
    hgq_value_number(v, &d);

    if (formula) {
        switch (v->type) {
        case HGQ_NULL: e = worksheet_write_formula(ws, row, col, formula, f); break;
        case HGQ_TEXT: e = worksheet_write_formula_str(ws, row, col, formula, f, v->u.s); break;
        case HGQ_DATE:
            ex = hgqw_excel_serial(d);
            e = worksheet_write_formula_num(ws, row, col, formula, f, ex < 0 ? 0 : ex);
            break;
        default: e = worksheet_write_formula_num(ws, row, col, formula, f, d); break;
        }
    } else {
        switch (v->type) {
        case HGQ_NULL: e = worksheet_write_blank(ws, row, col, f); break;
        case HGQ_TEXT:
            if (!v->u.s[0])
                e = worksheet_write_blank(ws, row, col, f);
            else if (rf.kind == HGQW_IDCARD && !w->opt.unmask_ids)
                e = worksheet_write_string(ws, row, col, text, f);
            else
                e = worksheet_write_string(ws, row, col, v->u.s, f);
            break;
        case HGQ_INT:
        case HGQ_NUM:
            if (rf.kind == HGQW_RATIO || rf.kind == HGQW_IDCARD)
                e = worksheet_write_string(ws, row, col, text, f);
            else
                e = worksheet_write_number(ws, row, col, d, f);
            break;
        case HGQ_DATE:
            ex = hgqw_excel_serial(d);
            if (ex < 0)
                e = worksheet_write_string(ws, row, col, text, f);
            else
                e = worksheet_write_number(ws, row, col, ex, f);
            break;
        case HGQ_BOOL:
            if (rf.kind == HGQW_BOOL)
                e = worksheet_write_boolean(ws, row, col, v->u.b, f);
            else
                e = worksheet_write_string(ws, row, col, text, f);
            break;
        }
    }
    if (e != LXW_NO_ERROR)
        return hgqw_lxw_fail(sh, e, row, col, err);

    if (row + 1 > sh->next_row)
        sh->next_row = row + 1;
    if ((int64_t)row > sh->last_row)
        sh->last_row = row;
    if (col + 1 > sh->max_col)
        sh->max_col = col + 1;
    if (measure && grow_cols(sh, (size_t)col + 1) == 0 && width > sh->width[col])
        sh->width[col] = (double)width;
    return HGQ_OK;
}

hgq_status hgqw_merge(hgq_writer_sheet *sh, uint32_t r0, uint32_t c0, uint32_t r1,
                      uint32_t c1, const hgq_value *top, hgqw_fmt fmt, hgqw_role role,
                      hgq_error *err)
{
    hgqw_fmt rf;
    lxw_format *f;
    lxw_error e;
    int cm = sh->w->opt.constant_memory;
    if (r0 == r1 && c0 == c1)
        return HGQ_OK;
    rf.kind = hgqw_resolve(fmt, top);
    rf.code = rf.kind == HGQW_CUSTOM ? fmt.code : NULL;
    f = hgqw_format(sh->w, rf, role);
    if (!f)
        return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
    /* In constant-memory mode the rows above the current one are already on
     * disk: the merge is made while its last row is the current one, and the
     * library's own writes to earlier rows are refused (harmlessly); the
     * top-left value was written by the caller. */
    e = worksheet_merge_range(sh->ws, r0, c0, r1, c1, "", f);
    if (e != LXW_NO_ERROR)
        return hgqw_lxw_fail(sh, e, r0, c0, err);
    if (!cm || (int64_t)r0 >= sh->last_row)
        return hgqw_put(sh, r0, c0, top, NULL, fmt, role, 0, err);
    return HGQ_OK;
}

static hgq_status sheet_ready(hgq_writer_sheet *sh, hgq_error *err)
{
    if (!sh)
        return hgqw_fail(err, HGQ_EARG, NULL, "sheet is NULL");
    return hgqw_check_open(sh->w, err);
}

static hgq_status parse_fmt(hgq_writer_sheet *sh, const char *name, hgqw_fmt *f,
                            hgq_error *err)
{
    if (hgqw_parse_format(sh->w, name, f) != 0)
        return hgqw_fail(err, HGQ_EARG, sh, "unknown format '%s'", name);
    return HGQ_OK;
}

hgq_status hgq_writer_sheet_write(hgq_writer_sheet *sh, uint32_t row, uint32_t col,
                                  const hgq_value *v, const char *format,
                                  hgq_error *err)
{
    hgqw_fmt f;
    hgq_status s;
    if ((s = sheet_ready(sh, err)) != HGQ_OK || (s = parse_fmt(sh, format, &f, err)) != HGQ_OK)
        return s;
    return hgqw_put(sh, row, col, v, NULL, f, HGQW_PLAIN, 1, err);
}

hgq_status hgq_writer_sheet_write_formula(hgq_writer_sheet *sh, uint32_t row,
                                          uint32_t col, const char *formula,
                                          const hgq_value *cached,
                                          const char *format, hgq_error *err)
{
    hgqw_fmt f;
    hgq_status s;
    if ((s = sheet_ready(sh, err)) != HGQ_OK || (s = parse_fmt(sh, format, &f, err)) != HGQ_OK)
        return s;
    if (!formula || !*formula)
        return hgqw_fail(err, HGQ_EARG, sh, "formula is empty");
    return hgqw_put(sh, row, col, cached, formula, f, HGQW_PLAIN, 1, err);
}

hgq_status hgq_writer_sheet_merge(hgq_writer_sheet *sh, const hgq_range *range,
                                  const hgq_value *v, const char *format,
                                  hgq_error *err)
{
    hgqw_fmt f;
    hgq_status s;
    uint32_t r, c;
    char text[256];
    if ((s = sheet_ready(sh, err)) != HGQ_OK || (s = parse_fmt(sh, format, &f, err)) != HGQ_OK)
        return s;
    if (!range || range->first_row > range->last_row || range->first_col > range->last_col)
        return hgqw_fail(err, HGQ_EARG, sh, "bad range");
    if (range->first_row == range->last_row && range->first_col == range->last_col)
        return hgqw_fail(err, HGQ_EARG, sh, "a merged range needs two cells or more");
    if (range->last_row > HGQ_MAX_ROW || range->last_col > HGQ_MAX_COL)
        return hgqw_fail(err, HGQ_EARG, sh, "range beyond the sheet's last cell XFD1048576");
    /* Write row by row so that constant-memory mode accepts it. */
    for (r = range->first_row; r <= range->last_row; r++)
        for (c = range->first_col; c <= range->last_col; c++)
            if ((s = hgqw_put(sh, r, c, r == range->first_row && c == range->first_col ? v : NULL,
                              NULL, f, HGQW_GROUP, 0, err)) != HGQ_OK)
                return s;
    if ((s = hgqw_merge(sh, range->first_row, range->first_col, range->last_row,
                        range->last_col, v, f, HGQW_GROUP, err)) != HGQ_OK)
        return s;
    hgqw_add_span(sh, range->first_col, range->last_col,
                  (double)hgqw_display(hgqw_resolve(f, v), v, sh->w->opt.unmask_ids, text,
                                       sizeof text));
    return HGQ_OK;
}

hgq_status hgq_writer_sheet_note(hgq_writer_sheet *sh, uint32_t row, const char *text,
                                 uint32_t *written, hgq_error *err)
{
    hgqw_fmt f = {HGQW_TEXT, NULL};
    hgq_value v;
    uint32_t c0 = 0, c1 = 0, c;
    hgq_status s;
    if ((s = sheet_ready(sh, err)) != HGQ_OK)
        return s;
    if (!text)
        return hgqw_fail(err, HGQ_EARG, sh, "note text is NULL");
    if (sh->open)
        return hgqw_fail(err, HGQ_ESTATE, sh, "a table is still open on this sheet");
    if (row == HGQ_WRITER_NEXT)
        row = sh->next_row;
    if (row > HGQ_MAX_ROW)
        return hgqw_fail(err, HGQ_EARG, sh, "the sheet is full");
    if (sh->ntables > 0) {
        c0 = sh->last_area.first_col;
        c1 = sh->last_area.last_col;
    } else if (sh->max_col > 0) {
        c1 = sh->max_col - 1;
    }
    v = hgq_text(text);
    /* Not measured: a note never widens the columns it lies across. */
    for (c = c0; c <= c1; c++)
        if ((s = hgqw_put(sh, row, c, c == c0 ? &v : NULL, NULL, f, HGQW_NOTE, 0, err)) != HGQ_OK)
            return s;
    if (c1 > c0 && (s = hgqw_merge(sh, row, c0, row, c1, &v, f, HGQW_NOTE, err)) != HGQ_OK)
        return s;
    hgqw_add_tall(sh, row, c0, c1, (double)hgq_utf8_width(text, strlen(text)), HEADER_LINE);
    if (written)
        *written = row;
    return HGQ_OK;
}

hgq_status hgq_writer_sheet_set_width(hgq_writer_sheet *sh, uint32_t col,
                                      double width, hgq_error *err)
{
    hgq_status s;
    if ((s = sheet_ready(sh, err)) != HGQ_OK)
        return s;
    if (col > HGQ_MAX_COL || !(width >= 0) || width > 255)
        return hgqw_fail(err, HGQ_EARG, sh, "column width must be 0..255 and the column A..XFD");
    if (grow_cols(sh, (size_t)col + 1))
        return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
    sh->fixed[col] = width;
    return HGQ_OK;
}

/* }==================================================================== */

/* {====================================================================
 * Highlights and charts
 * ===================================================================== */

/* Appends text as an Excel string literal: "…" with quotes doubled. */
static int append_literal(hgq_buf *b, const char *s)
{
    if (hgq_buf_append_char(b, '"'))
        return -1;
    for (; *s; s++)
        if ((*s == '"' && hgq_buf_append_char(b, '"')) || hgq_buf_append_char(b, *s))
            return -1;
    return hgq_buf_append_char(b, '"');
}

hgq_status hgq_writer_sheet_highlight(hgq_writer_sheet *sh, const hgq_highlight *h,
                                      hgq_error *err)
{
    lxw_conditional_format cf;
    lxw_format *dxf;
    lxw_error e;
    hgq_buf b;
    char col[8];
    hgq_status s;
    if ((s = sheet_ready(sh, err)) != HGQ_OK)
        return s;
    if (!h)
        return hgqw_fail(err, HGQ_EARG, sh, "highlight is NULL");
    if (!h->formula == !h->equals)
        return hgqw_fail(err, HGQ_EARG, sh, "a highlight needs either a formula or a column and a text");
    if (h->range.first_row > h->range.last_row || h->range.first_col > h->range.last_col ||
        h->range.last_row > HGQ_MAX_ROW || h->range.last_col > HGQ_MAX_COL ||
        (h->equals && h->column > HGQ_MAX_COL))
        return hgqw_fail(err, HGQ_EARG, sh, "bad highlight range or column");
    hgq_buf_init(&b);
    if (h->formula) {
        if (hgq_buf_append_str(&b, h->formula))
            goto oom;
    } else {
        hgq_ref_format_col(h->column, col, sizeof col);
        if (hgq_buf_printf(&b, "=$%s%lu=", col, (unsigned long)h->range.first_row + 1) ||
            append_literal(&b, h->equals))
            goto oom;
    }
    dxf = hgqw_dxf(sh->w, h->fill ? h->fill : 0xFFC7CE, h->font_color ? h->font_color : 0x9C0006);
    if (!dxf)
        goto oom;
    memset(&cf, 0, sizeof cf);
    cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
    cf.value_string = b.data;
    cf.format = dxf;
    e = worksheet_conditional_format_range(sh->ws, h->range.first_row, h->range.first_col,
                                           h->range.last_row, h->range.last_col, &cf);
    hgq_buf_free(&b);
    if (e != LXW_NO_ERROR)
        return hgqw_fail(err, e == LXW_ERROR_MEMORY_MALLOC_FAILED ? HGQ_ENOMEM : HGQ_EARG, sh,
                         "cannot add the highlight: %s", lxw_strerror(e));
    return HGQ_OK;
oom:
    hgq_buf_free(&b);
    return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
}

/* A range text split into its sheet (NULL: the chart's own) and cells. */
typedef struct chart_ref {
    char sheet[128];
    hgq_range r;
} chart_ref;

static hgq_writer_sheet *find_sheet(hgq_writer *w, const char *name)
{
    size_t i;
    for (i = 0; i < w->nsheets; i++)
        if (strcmp(w->sheets[i]->name, name) == 0)
            return w->sheets[i];
    return NULL;
}

/* Parses "A4:A9", "表6!$A$4:$A$9" or "'a b'!A4:A9". */
static int parse_ref(hgq_writer_sheet *sh, const char *text, chart_ref *out)
{
    const char *bang, *cells = text;
    size_t n;
    if (!text)
        return 0;
    if (*text == '=')
        text++, cells++;
    bang = strrchr(text, '!');
    snprintf(out->sheet, sizeof out->sheet, "%s", sh->name);
    if (bang) {
        const char *s = text, *e = bang;
        size_t k = 0;
        if (e - s >= 2 && *s == '\'' && e[-1] == '\'') {
            s++;
            e--;
        }
        if (e <= s)
            return 0;
        for (; s < e && k + 1 < sizeof out->sheet; s++) {
            out->sheet[k++] = *s;
            if (*s == '\'' && s + 1 < e && s[1] == '\'')
                s++;   /* '' inside quotes is one quote */
        }
        out->sheet[k] = '\0';
        cells = bang + 1;
    }
    n = strlen(cells);
    return n > 0 && hgq_range_parse(cells, n, &out->r) && find_sheet(sh->w, out->sheet) != NULL;
}

hgq_status hgq_writer_sheet_chart(hgq_writer_sheet *sh, const hgq_chart_spec *c,
                                  hgq_error *err)
{
    static const uint8_t types[] = {0, LXW_CHART_COLUMN, LXW_CHART_LINE, LXW_CHART_BAR,
                                    LXW_CHART_PIE};
    lxw_chart *chart;
    lxw_chart_options co;
    lxw_chart_font tf, lf;
    chart_ref cat, *vals;
    uint32_t row, col;
    size_t i;
    lxw_error e;
    hgq_status s;

    if ((s = sheet_ready(sh, err)) != HGQ_OK)
        return s;
    if (!c)
        return hgqw_fail(err, HGQ_EARG, sh, "chart is NULL");
    if ((int)c->type < HGQ_CHART_COLUMN || (int)c->type > HGQ_CHART_PIE)
        return hgqw_fail(err, HGQ_EARG, sh, "unknown chart type %d", (int)c->type);
    if (c->nseries == 0 || !c->series)
        return hgqw_fail(err, HGQ_EARG, sh, "a chart needs at least one series");
    if (c->categories && !parse_ref(sh, c->categories, &cat))
        return hgqw_fail(err, HGQ_EARG, sh, "bad categories range '%s'", c->categories);
    if (c->row != HGQ_WRITER_NEXT && c->col != HGQ_WRITER_NEXT) {
        row = c->row;
        col = c->col;
    } else if (sh->ntables > 0) {
        row = sh->last_area.first_row;
        col = sh->last_area.last_col + 2;
    } else {
        row = 0;
        col = sh->max_col + 1;
    }
    if (row > HGQ_MAX_ROW || col > HGQ_MAX_COL)
        return hgqw_fail(err, HGQ_EARG, sh, "chart position beyond the sheet");
    vals = calloc(c->nseries, sizeof *vals);
    if (!vals)
        return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
    for (i = 0; i < c->nseries; i++) {
        if (!parse_ref(sh, c->series[i].values, &vals[i])) {
            free(vals);
            return hgqw_fail(err, HGQ_EARG, sh, "bad range '%s' of series %zu",
                             c->series[i].values ? c->series[i].values : "(null)", i + 1);
        }
    }
    chart = workbook_add_chart(sh->w->wb, types[c->type]);
    if (!chart) {
        free(vals);
        return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
    }
    memset(&tf, 0, sizeof tf);
    tf.name = (char *)sh->w->opt.font_name;
    tf.size = 14;
    tf.bold = 1;
    memset(&lf, 0, sizeof lf);
    lf.name = (char *)sh->w->opt.font_name;
    lf.size = 10;
    if (c->title) {
        chart_title_set_name(chart, c->title);
        chart_title_set_name_font(chart, &tf);
    }
    for (i = 0; i < c->nseries; i++) {
        lxw_chart_series *ser = chart_add_series(chart, NULL, NULL);
        if (!ser) {
            free(vals);
            return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
        }
        if (c->categories)
            chart_series_set_categories(ser, cat.sheet, cat.r.first_row, cat.r.first_col,
                                        cat.r.last_row, cat.r.last_col);
        chart_series_set_values(ser, vals[i].sheet, vals[i].r.first_row, vals[i].r.first_col,
                                vals[i].r.last_row, vals[i].r.last_col);
        if (c->series[i].name)
            chart_series_set_name(ser, c->series[i].name);
        if (c->type == HGQ_CHART_LINE)
            chart_series_set_marker_type(ser, LXW_CHART_MARKER_AUTOMATIC);
    }
    free(vals);
    if (c->type != HGQ_CHART_PIE) {
        if (c->x_title)
            chart_axis_set_name(chart->x_axis, c->x_title);
        if (c->y_title)
            chart_axis_set_name(chart->y_axis, c->y_title);
        chart_axis_set_num_font(chart->x_axis, &lf);
        chart_axis_set_num_font(chart->y_axis, &lf);
    }
    chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
    chart_legend_set_font(chart, &lf);

    memset(&co, 0, sizeof co);
    co.x_scale = c->width ? (double)c->width / CHART_W : 1.0;
    co.y_scale = c->height ? (double)c->height / CHART_H : 1.0;
    e = worksheet_insert_chart_opt(sh->ws, row, col, chart, &co);
    if (e != LXW_NO_ERROR)
        return hgqw_fail(err, HGQ_EARG, sh, "cannot insert the chart: %s", lxw_strerror(e));
    return HGQ_OK;
}

/* }==================================================================== */

/* {====================================================================
 * Commit
 * ===================================================================== */

/* {====================================================================
 * Checking the file written
 * ===================================================================== */

#define PEEK 256

/* Reads the current part of `z` to its end: 0 when it inflates with the right
 * CRC and, being XML, ends with the end of its root element. */
static int part_whole(unzFile z, int xml)
{
    char head[PEEK], tail[2 * PEEK], buf[16384], root[64];
    size_t nhead = 0, ntail = 0, k;
    const char *p, *e;
    int n, rc;
    if (unzOpenCurrentFile(z) != UNZ_OK)
        return -1;
    while ((n = unzReadCurrentFile(z, buf, sizeof buf)) > 0) {
        size_t m = (size_t)n, take = m < PEEK - 1 - nhead ? m : PEEK - 1 - nhead;
        memcpy(head + nhead, buf, take);
        nhead += take;
        if (m >= PEEK) {
            memcpy(tail, buf + m - PEEK, PEEK);
            ntail = PEEK;
        } else {
            if (ntail + m > sizeof tail) {
                memmove(tail, tail + ntail + m - PEEK, PEEK - m);
                ntail = PEEK - m;
            }
            memcpy(tail + ntail, buf, m);
            ntail += m;
        }
    }
    rc = unzCloseCurrentFile(z);
    if (n < 0 || rc != UNZ_OK)
        return -1;
    if (!xml)
        return 0;
    head[nhead] = '\0';
    /* the root element: the first tag that is not <?...?> or <!...> */
    for (p = head; (p = strchr(p, '<')) != NULL && (p[1] == '?' || p[1] == '!'); p++)
        ;
    if (!p)
        return -1;
    for (e = ++p; *e && *e != ' ' && *e != '>' && *e != '/' && *e != '\r' && *e != '\n'; e++)
        ;
    if (!*e || e == p || (size_t)(e - p) + 4 > sizeof root)
        return -1;
    root[0] = '<';
    root[1] = '/';
    memcpy(root + 2, p, (size_t)(e - p));
    k = (size_t)(e - p) + 2;
    root[k++] = '>';
    while (ntail > 0 && (tail[ntail - 1] == '\n' || tail[ntail - 1] == '\r' ||
                         tail[ntail - 1] == ' ' || tail[ntail - 1] == '\t'))
        ntail--;
    if (ntail >= k && memcmp(tail + ntail - k, root, k) == 0)
        return 0;
    /* a root element closed in its own tag: <sst ... /> */
    return ntail >= 2 && tail[ntail - 2] == '/' && tail[ntail - 1] == '>' &&
                   nhead < PEEK - 1 && !strchr(e, '<') ? 0 : -1;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* 0 when every part of the zip at `path` reads back whole; else -1 with the
 * name of the first part that does not in `bad`. */
static int verify_zip(const char *path, char *bad, size_t size)
{
    unzFile z = unzOpen64(path);
    int rc, ok = 0;
    snprintf(bad, size, "%s", "the zip directory");
    if (!z)
        return -1;
    for (rc = unzGoToFirstFile(z); rc == UNZ_OK && ok == 0; rc = unzGoToNextFile(z)) {
        char name[256];
        if (unzGetCurrentFileInfo64(z, NULL, name, sizeof name, NULL, 0, NULL, 0) != UNZ_OK) {
            ok = -1;
            break;
        }
        snprintf(bad, size, "%s", name);
        ok = part_whole(z, ends_with(name, ".xml") || ends_with(name, ".rels"));
    }
    if (ok == 0 && rc != UNZ_END_OF_LIST_OF_FILE)
        ok = -1;
    unzClose(z);
    return ok;
}

/* }==================================================================== */

static double fit_width(double display)
{
    double w = display * 1.05 + 2.0;
    if (w < MIN_WIDTH)
        w = MIN_WIDTH;
    if (w > MAX_WIDTH)
        w = MAX_WIDTH;
    return w;
}

static int tall_cmp(const void *a, const void *b)
{
    const hgqw_tall *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x->c0 < y->c0 ? -1 : x->c0 > y->c0;
}

/* Lines that text of display width `width` takes over columns c0..c1. */
static double text_lines(const hgqw_tall *u, const double *final, size_t n)
{
    double room = -0.5, lines;
    uint32_t k;
    for (k = u->c0; k <= u->c1; k++)
        room += k < n && final[k] > 0 ? final[k] : LXW_DEF_COL_WIDTH;
    lines = room > 1 ? ceil(u->width * 1.05 / room) : 1;
    return lines < 1 ? 1 : lines;
}

/* Rows holding wrapped text get the height of their lines (LibreOffice does
 * not fit rows when it opens a file, and Excel never fits merged cells). In
 * constant-memory mode those rows are already on disk and keep the default.
 * The talls are sorted by row, so this stays fast on long detail sheets. */
static void set_row_heights(hgq_writer_sheet *sh, const double *final, size_t n)
{
    size_t i, j;
    if (sh->w->opt.constant_memory || sh->ntalls == 0)
        return;
    qsort(sh->talls, sh->ntalls, sizeof *sh->talls, tall_cmp);
    for (i = 0; i < sh->ntalls; i = j) {
        double height = 0;
        for (j = i; j < sh->ntalls && sh->talls[j].row == sh->talls[i].row; j++) {
            const hgqw_tall *u = &sh->talls[j];
            double h = text_lines(u, final, n) * u->line;
            if (h > height)
                height = h;
        }
        /* one line of 11 pt text fits the default row; a title's larger font does not */
        if (height > LXW_DEF_ROW_HEIGHT)
            worksheet_set_row(sh->ws, sh->talls[i].row, height + 2.0, NULL);
    }
}

/* Column widths, orientation, print setup and frozen header of a sheet. */
static hgq_status finish_sheet(hgq_writer_sheet *sh, hgq_error *err)
{
    lxw_worksheet *ws = sh->ws;
    size_t c, i, n = sh->nwidth;
    double *final = NULL, total = 0;
    hgq_status s;
    int landscape;

    if (sh->open && (s = hgqw_table_end(sh, NULL, err)) != HGQ_OK)
        return s;
    if (n) {
        final = calloc(n, sizeof *final);
        if (!final)
            return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
        for (c = 0; c < n; c++)
            final[c] = sh->width[c] > 0 ? fit_width(sh->width[c]) : 0;
        /* A merged header wider than the columns it spans widens them evenly. */
        for (i = 0; i < sh->nspans; i++) {
            const hgqw_span *sp = &sh->spans[i];
            double have = 0, need = fit_width(sp->width);
            uint32_t k, cnt = sp->c1 - sp->c0 + 1;
            if (sp->c1 >= n)
                continue;
            for (k = sp->c0; k <= sp->c1; k++)
                have += final[k] > 0 ? final[k] : LXW_DEF_COL_WIDTH;
            if (have < need)
                for (k = sp->c0; k <= sp->c1; k++) {
                    double cur = final[k] > 0 ? final[k] : LXW_DEF_COL_WIDTH;
                    final[k] = cur + (need - have) / cnt;
                    if (final[k] > MAX_WIDTH)
                        final[k] = MAX_WIDTH;
                }
        }
        for (c = 0; c < n; c++) {
            if (sh->fixed[c] > 0)
                final[c] = sh->fixed[c];
            if (final[c] > 0) {
                worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, final[c], NULL);
                total += final[c];
            } else if (c < sh->max_col) {
                total += LXW_DEF_COL_WIDTH;
            }
        }
        set_row_heights(sh, final, n);
        free(final);
    }
    switch (sh->opt.orientation) {
    case HGQ_ORIENT_LANDSCAPE: landscape = 1; break;
    case HGQ_ORIENT_PORTRAIT: landscape = 0; break;
    default: landscape = sh->max_col > WIDE_COLUMNS || total > WIDE_CHARS; break;
    }
    if (landscape)
        worksheet_set_landscape(ws);
    else
        worksheet_set_portrait(ws);
    if (sh->opt.print_setup) {
        worksheet_set_paper(ws, PAPER_A4);
        worksheet_fit_to_pages(ws, 1, 0);
        worksheet_center_horizontally(ws);
        worksheet_set_footer(ws, FOOTER);
    }
    if (sh->opt.freeze && sh->ntables == 1 &&
        sh->first_area.header_last_row != HGQ_WRITER_NONE) {
        worksheet_freeze_panes(ws, sh->first_area.header_last_row + 1, 0);
        if (sh->opt.print_setup)
            worksheet_repeat_rows(ws, sh->first_area.header_first_row,
                                  sh->first_area.header_last_row);
    }
    return HGQ_OK;
}

static void set_properties(hgq_writer *w)
{
    lxw_doc_properties p;
    memset(&p, 0, sizeof p);
    p.title = (char *)w->opt.title;
    p.subject = (char *)w->opt.subject;
    p.author = (char *)w->opt.author;
    p.company = (char *)w->opt.company;
    p.keywords = (char *)w->opt.keywords;
    p.comments = (char *)w->opt.comments;
    p.created = w->opt.created ? (time_t)w->opt.created : time(NULL);
    workbook_set_properties(w->wb, &p);
}

/* Flushes the written file to disk, so the rename never exposes a hole. */
static void sync_path(const char *path, int flags)
{
    int fd = open(path, flags);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

static void sync_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    if (!slash) {
        sync_path(".", O_RDONLY);
        return;
    }
    dir = hgq_strndup(path, slash == path ? 1 : (size_t)(slash - path));
    if (dir) {
        sync_path(dir, O_RDONLY);
        free(dir);
    }
}

hgq_status hgq_writer_close(hgq_writer *w, hgq_error *err)
{
    hgq_status s = HGQ_OK;
    lxw_error e;
    size_t i;

    if ((s = hgqw_check_open(w, err)) != HGQ_OK)
        return s;
    for (i = 0; i < w->nsheets && s == HGQ_OK; i++)
        s = finish_sheet(w->sheets[i], err);
    if (s == HGQ_OK && target_is_input(w, w->target)) {
        s = hgqw_fail(err, HGQ_EARG, NULL, "refusing to overwrite an input file");
        hgq_error_set_file(err, w->target);
    }
    w->closed = 1;
    if (s != HGQ_OK) {
        lxw_workbook_free(w->wb);
        w->wb = NULL;
        drop_temp(w);
        return s;
    }
    set_properties(w);
    e = workbook_close(w->wb);   /* frees the workbook, success or not */
    w->wb = NULL;
    if (e != LXW_NO_ERROR) {
        drop_temp(w);
        hgqw_fail(err, HGQ_EWRITE, NULL, "cannot write the workbook: %s", lxw_strerror(e));
        hgq_error_set_file(err, w->target);
        return HGQ_EWRITE;
    }
    sync_path(w->tmp, O_RDONLY);
    {
        char bad[256];
        if (verify_zip(w->tmp, bad, sizeof bad) != 0) {
            drop_temp(w);
            hgqw_fail(err, HGQ_EWRITE, NULL,
                      "the workbook was not written whole (%s is cut short or damaged: "
                      "is the disk full, or a file size limit reached?); the file at the "
                      "target is left as it was", bad);
            hgq_error_set_file(err, w->target);
            return HGQ_EWRITE;
        }
    }
    if (w->opt.fail_before_rename) {
        drop_temp(w);
        hgqw_fail(err, HGQ_EWRITE, NULL, "cannot rename the workbook into place: %s",
                  "failure injected for testing");
        hgq_error_set_file(err, w->target);
        return HGQ_EWRITE;
    }
    if (rename(w->tmp, w->target) != 0) {
        int en = errno;
        drop_temp(w);
        hgqw_fail(err, HGQ_EWRITE, NULL, "cannot rename the workbook into place: %s",
                  strerror(en));
        hgq_error_set_file(err, w->target);
        return HGQ_EWRITE;
    }
    free(w->tmp);
    w->tmp = NULL;
    sync_dir_of(w->target);
    return HGQ_OK;
}

/* }==================================================================== */
