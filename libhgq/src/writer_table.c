/*
 * writer_table.c - titled tables: the merged title, multi-level headers
 * with merged cells, body rows streamed one at a time, merged group labels,
 * and totals as live SUM formulas.
 *
 * Everything is written in row order, and every merge is made while its last
 * row is the row being written, so the same code works in libxlsxwriter's
 * constant-memory mode, where rows above the current one are already on disk.
 */
#include <stdlib.h>
#include <string.h>

#include "writer_int.h"

typedef struct tcol {
    hgqw_fmt fmt;
    int summable;         /* 1 yes, 0 no, -1 decided by the values written */
    double sum;
    int numeric_seen;     /* an int or number was written */
    int other_seen;       /* text, a date or a boolean was written */
} tcol;

struct hgqw_table {
    size_t ncols;             /* body columns */
    tcol *cols;
    hgq_table_area area;
    uint32_t col0;
    char *totals_label;       /* NULL: no totals row */
    int totals_col;           /* a totals column follows the body columns */
    char *totals_col_label;   /* its header */
    hgqw_fmt totals_fmt;      /* its format */
    int label_cols;           /* -1 until the first row decides */
    int group_cols;
    int formats_given;
    hgq_value *gprev;         /* group columns: the value that started the run */
    char **gtext;             /* its text, owned */
    uint32_t *gstart;         /* first row of the run */
    double totals_col_sum;
    size_t nrows;
};

void hgqw_table_free(hgqw_table *t)
{
    int g;
    if (!t)
        return;
    if (t->gtext)
        for (g = 0; g < t->group_cols; g++)
            free(t->gtext[g]);
    free(t->gtext);
    free(t->gprev);
    free(t->gstart);
    free(t->cols);
    free(t->totals_label);
    free(t->totals_col_label);
    free(t);
}

void hgq_table_layout_init(hgq_table_layout *t)
{
    memset(t, 0, sizeof *t);
    t->label_cols = -1;
    t->row = HGQ_WRITER_NEXT;
    t->col = HGQ_WRITER_NEXT;
}

uint32_t hgqw_table_next_row(const hgq_writer_sheet *sh)
{
    return sh->open ? sh->open->area.body_first_row + (uint32_t)sh->open->nrows
                    : sh->next_row;
}

/* {====================================================================
 * SUM formulas
 * ===================================================================== */

static int append_cell(hgq_buf *b, uint32_t row, uint32_t col)
{
    char ref[16];
    hgq_ref_format(row, col, ref, sizeof ref);
    return hgq_buf_append_str(b, ref);
}

int hgqw_sum_formula(hgq_buf *b, int vertical, uint32_t fixed, const uint32_t *pos,
                     size_t n)
{
    size_t i = 0, args = 0;
    if (hgq_buf_append_str(b, "=SUM("))
        return -1;
    while (i < n) {
        size_t j = i;
        uint32_t r0, c0, r1, c1;
        while (j + 1 < n && pos[j + 1] == pos[j] + 1)
            j++;
        if (args == 255) {
            /* Excel takes at most 255 arguments: chain another SUM. */
            if (hgq_buf_append_str(b, ")+SUM("))
                return -1;
            args = 0;
        } else if (args > 0 && hgq_buf_append_char(b, ',')) {
            return -1;
        }
        r0 = vertical ? pos[i] : fixed;
        c0 = vertical ? fixed : pos[i];
        r1 = vertical ? pos[j] : fixed;
        c1 = vertical ? fixed : pos[j];
        if (append_cell(b, r0, c0))
            return -1;
        if (j > i && (hgq_buf_append_char(b, ':') || append_cell(b, r1, c1)))
            return -1;
        args++;
        i = j + 1;
    }
    return hgq_buf_append_char(b, ')');
}

/* }==================================================================== */

/* {====================================================================
 * Headers
 * ===================================================================== */

typedef struct region {
    uint32_t r0, c0, r1, c1;   /* relative to the header grid */
    const char *text;
} region;

static int is_empty(const char *s)
{
    return !s || !*s;
}

static int same_text(const char *a, const char *b)
{
    return !is_empty(a) && !is_empty(b) && strcmp(a, b) == 0;
}

/* Automatic merging; see hgq_table_layout in writer.h. owner[r*C+c] is the
 * region holding each cell. */
static size_t auto_regions(const char *const *h, size_t R, size_t C, region *reg,
                           size_t *owner)
{
    size_t n = 0, r, c, e, k;
    for (r = 0; r < R; r++) {
        c = 0;
        while (c < C) {
            const char *t = h[r * C + c];
            size_t limit = C - 1;
            region *p = NULL;
            int all_empty = is_empty(t);
            if (r > 0) {
                p = &reg[owner[(r - 1) * C + c]];
                limit = p->c1;
            }
            e = c;
            while (e + 1 <= limit &&
                   (is_empty(h[r * C + e + 1]) || same_text(t, h[r * C + e + 1])))
                e++;
            if (p && p->c0 == c && p->c1 == e && p->r1 == r - 1 &&
                (all_empty || same_text(t, p->text))) {
                p->r1 = (uint32_t)r;
                for (k = c; k <= e; k++)
                    owner[r * C + k] = (size_t)(p - reg);
            } else {
                reg[n].r0 = reg[n].r1 = (uint32_t)r;
                reg[n].c0 = (uint32_t)c;
                reg[n].c1 = (uint32_t)e;
                reg[n].text = t;
                for (k = c; k <= e; k++)
                    owner[r * C + k] = n;
                n++;
            }
            c = e + 1;
        }
    }
    return n;
}

/* Explicit merges, every other cell its own region. Returns (size_t)-1 on a
 * bad or overlapping merge. */
static size_t explicit_regions(const char *const *h, size_t R, size_t C,
                               const hgq_range *m, size_t nm, int merge, region *reg,
                               size_t *owner)
{
    size_t n = 0, i, r, c;
    for (i = 0; i < R * C; i++)
        owner[i] = (size_t)-1;
    for (i = 0; merge && i < nm; i++) {
        if (m[i].first_row > m[i].last_row || m[i].first_col > m[i].last_col ||
            m[i].last_row >= R || m[i].last_col >= C)
            return (size_t)-1;
        for (r = m[i].first_row; r <= m[i].last_row; r++)
            for (c = m[i].first_col; c <= m[i].last_col; c++) {
                if (owner[r * C + c] != (size_t)-1)
                    return (size_t)-1;
                owner[r * C + c] = n;
            }
        reg[n].r0 = m[i].first_row;
        reg[n].c0 = m[i].first_col;
        reg[n].r1 = m[i].last_row;
        reg[n].c1 = m[i].last_col;
        reg[n].text = h[m[i].first_row * C + m[i].first_col];
        n++;
    }
    for (r = 0; r < R; r++)
        for (c = 0; c < C; c++)
            if (owner[r * C + c] == (size_t)-1) {
                reg[n].r0 = reg[n].r1 = (uint32_t)r;
                reg[n].c0 = reg[n].c1 = (uint32_t)c;
                reg[n].text = h[r * C + c];
                owner[r * C + c] = n++;
            }
    return n;
}

static hgq_status write_header(hgq_writer_sheet *sh, const hgq_table_layout *t,
                               hgqw_table *tb, uint32_t row0, hgq_error *err)
{
    size_t R = t->header_rows, C = t->ncols, n, i, r, c;
    size_t cells = R * C;
    region *reg;
    size_t *owner;
    hgqw_fmt text_fmt = {HGQW_TEXT, NULL};
    hgq_status s = HGQ_OK;

    reg = malloc((cells + 1) * sizeof *reg);
    owner = malloc(cells * sizeof *owner);
    if (!reg || !owner) {
        free(reg);
        free(owner);
        return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
    }
    if (t->merges || t->no_auto_merge)
        n = explicit_regions(t->header, R, C, t->merges, t->nmerges, t->merges != NULL,
                             reg, owner);
    else
        n = auto_regions(t->header, R, C, reg, owner);
    if (n == (size_t)-1) {
        free(reg);
        free(owner);
        return hgqw_fail(err, HGQ_EARG, sh, "header merges overlap or leave the header grid");
    }
    for (r = 0; r < R && s == HGQ_OK; r++) {
        for (c = 0; c < C && s == HGQ_OK; c++) {
            const region *g = &reg[owner[r * C + c]];
            int top = g->r0 == r && g->c0 == c;
            hgq_value v = top && !is_empty(g->text) ? hgq_text(g->text) : hgq_null();
            s = hgqw_put(sh, row0 + (uint32_t)r, tb->col0 + (uint32_t)c, &v, NULL, text_fmt,
                         HGQW_HEADER, top && g->c0 == g->c1, err);
        }
        if (s == HGQ_OK && tb->totals_col) {
            hgq_value v = r == 0 ? hgq_text(tb->totals_col_label) : hgq_null();
            s = hgqw_put(sh, row0 + (uint32_t)r, tb->col0 + (uint32_t)C, &v, NULL, text_fmt,
                         HGQW_HEADER, 1, err);
        }
        /* Merges ending on this row, made while it is the current one. */
        for (i = 0; i < n && s == HGQ_OK; i++) {
            const region *g = &reg[i];
            hgq_value v = is_empty(g->text) ? hgq_null() : hgq_text(g->text);
            if (g->r1 != r || (g->r0 == g->r1 && g->c0 == g->c1))
                continue;
            s = hgqw_merge(sh, row0 + g->r0, tb->col0 + g->c0, row0 + g->r1,
                           tb->col0 + g->c1, &v, text_fmt, HGQW_HEADER, err);
            if (s == HGQ_OK && g->c1 > g->c0 && !is_empty(g->text)) {
                double wd = (double)hgq_utf8_width(g->text, strlen(g->text));
                double cap = HGQW_HEADER_CAP * (double)(g->c1 - g->c0 + 1);
                hgqw_add_span(sh, tb->col0 + g->c0, tb->col0 + g->c1, wd < cap ? wd : cap);
                if (g->r0 == g->r1 && wd > cap)
                    hgqw_add_tall(sh, row0 + g->r0, tb->col0 + g->c0, tb->col0 + g->c1, wd,
                                  14.5);
            }
        }
        if (s == HGQ_OK && tb->totals_col && R > 1 && r == R - 1) {
            hgq_value v = hgq_text(tb->totals_col_label);
            s = hgqw_merge(sh, row0, tb->col0 + (uint32_t)C, row0 + (uint32_t)r,
                           tb->col0 + (uint32_t)C, &v, text_fmt, HGQW_HEADER, err);
        }
    }
    free(reg);
    free(owner);
    return s;
}

/* }==================================================================== */

/* {====================================================================
 * Tables
 * ===================================================================== */

static hgq_status check_layout(hgq_writer_sheet *sh, const hgq_table_layout *t,
                               hgq_error *err)
{
    if (!t)
        return hgqw_fail(err, HGQ_EARG, sh, "table layout is NULL");
    if (t->ncols == 0)
        return hgqw_fail(err, HGQ_EARG, sh, "a table needs at least one column");
    if (t->ncols > HGQ_MAX_COL)
        return hgqw_fail(err, HGQ_EARG, sh, "too many columns");
    if (t->header_rows && !t->header)
        return hgqw_fail(err, HGQ_EARG, sh, "header_rows given without header");
    if (t->header_rows > 64)
        return hgqw_fail(err, HGQ_EARG, sh, "too many header rows");
    if (t->nmerges && !t->merges)
        return hgqw_fail(err, HGQ_EARG, sh, "nmerges given without merges");
    if (t->label_cols > (int)t->ncols || t->label_cols < -1)
        return hgqw_fail(err, HGQ_EARG, sh, "label_cols out of range");
    if (t->group_cols > (int)t->ncols || t->group_cols < 0 || t->group_cols > 64)
        return hgqw_fail(err, HGQ_EARG, sh, "group_cols out of range (0..64, at most ncols)");
    return HGQ_OK;
}

static hgqw_fmt totals_col_format(const hgqw_table *tb)
{
    hgqw_fmt f = {HGQW_BYVALUE, NULL};
    size_t c;
    int first = 1;
    for (c = 0; c < tb->ncols; c++) {
        if (tb->cols[c].summable != 1)
            continue;
        if (first) {
            f = tb->cols[c].fmt;
            first = 0;
        } else if (f.kind != tb->cols[c].fmt.kind) {
            f.kind = HGQW_NUMBER;
            f.code = NULL;
        }
    }
    return f;
}

hgq_status hgq_writer_sheet_begin_table(hgq_writer_sheet *sh,
                                        const hgq_table_layout *t,
                                        hgq_table_area *area, hgq_error *err)
{
    hgqw_table *tb;
    uint32_t row, col, width, r;
    size_t c;
    hgq_status s;

    if (!sh)
        return hgqw_fail(err, HGQ_EARG, NULL, "sheet is NULL");
    if ((s = hgqw_check_open(sh->w, err)) != HGQ_OK)
        return s;
    if (sh->open)
        return hgqw_fail(err, HGQ_ESTATE, sh, "a table is still open on this sheet");
    if ((s = check_layout(sh, t, err)) != HGQ_OK)
        return s;
    row = t->row != HGQ_WRITER_NEXT ? t->row : sh->next_row == 0 ? 0 : sh->next_row + 1;
    col = t->col != HGQ_WRITER_NEXT ? t->col : 0;
    width = (uint32_t)t->ncols + (t->totals_col ? 1 : 0);
    if (row > HGQ_MAX_ROW || col > HGQ_MAX_COL || width - 1 > HGQ_MAX_COL - col)
        return hgqw_fail(err, HGQ_EARG, sh, "table does not fit in the sheet");

    tb = calloc(1, sizeof *tb);
    if (!tb || !(tb->cols = calloc(t->ncols, sizeof *tb->cols)))
        goto oom;
    tb->ncols = t->ncols;
    tb->col0 = col;
    tb->group_cols = t->group_cols;
    tb->totals_col = t->totals_col != NULL;
    if (t->totals_row && !(tb->totals_label = hgq_strdup(t->totals_row)))
        goto oom;
    if (t->totals_col && !(tb->totals_col_label = hgq_strdup(t->totals_col)))
        goto oom;
    if (tb->group_cols) {
        tb->gprev = calloc((size_t)tb->group_cols, sizeof *tb->gprev);
        tb->gtext = calloc((size_t)tb->group_cols, sizeof *tb->gtext);
        tb->gstart = calloc((size_t)tb->group_cols, sizeof *tb->gstart);
        if (!tb->gprev || !tb->gtext || !tb->gstart)
            goto oom;
    }
    tb->formats_given = t->formats != NULL;
    for (c = 0; c < t->ncols; c++) {
        const char *name = t->formats ? t->formats[c] : NULL;
        if (hgqw_parse_format(sh->w, name, &tb->cols[c].fmt) != 0) {
            hgqw_table_free(tb);
            return hgqw_fail(err, HGQ_EARG, sh, "unknown format '%s' for column %zu", name,
                             c + 1);
        }
        tb->cols[c].summable = tb->cols[c].fmt.kind == HGQW_BYVALUE
                                   ? -1 : hgqw_kind_summable(tb->cols[c].fmt.kind);
    }
    tb->label_cols = t->label_cols;
    if (tb->label_cols < 0 && t->formats) {
        tb->label_cols = 0;
        while ((size_t)tb->label_cols < t->ncols &&
               (tb->cols[tb->label_cols].fmt.kind == HGQW_TEXT ||
                tb->cols[tb->label_cols].fmt.kind == HGQW_IDCARD))
            tb->label_cols++;
    }
    for (c = 0; c < t->ncols && tb->label_cols > 0; c++)
        if ((int)c < tb->label_cols)
            tb->cols[c].summable = 0;
    tb->totals_fmt = totals_col_format(tb);

    tb->area.first_row = row;
    tb->area.first_col = col;
    tb->area.last_col = col + width - 1;
    tb->area.title_row = HGQ_WRITER_NONE;
    tb->area.header_first_row = tb->area.header_last_row = HGQ_WRITER_NONE;
    tb->area.totals_row = tb->area.totals_col = HGQ_WRITER_NONE;
    r = row;
    if (t->title) {
        hgq_value v = hgq_text(t->title);
        hgqw_fmt f = {HGQW_TEXT, NULL};
        tb->area.title_row = r;
        if ((s = hgqw_put(sh, r, col, &v, NULL, f, HGQW_TITLE, 0, err)) != HGQ_OK)
            goto fail;
        /* a title wider than its table wraps; 16 pt text needs about 21 pt a line */
        hgqw_add_tall(sh, r, col, col + width - 1,
                      (double)hgq_utf8_width(t->title, strlen(t->title)) *
                          (sh->w->opt.font_size + 5) / sh->w->opt.font_size,
                      (sh->w->opt.font_size + 5) * 1.35);
        for (c = 1; c < width; c++)
            if ((s = hgqw_put(sh, r, col + (uint32_t)c, NULL, NULL, f, HGQW_TITLE, 0, err)))
                goto fail;
        if (width > 1 && (s = hgqw_merge(sh, r, col, r, col + width - 1, &v, f, HGQW_TITLE,
                                         err)) != HGQ_OK)
            goto fail;
        r++;
    }
    if (t->header_rows) {
        if (r + (uint32_t)t->header_rows - 1 > HGQ_MAX_ROW) {
            s = hgqw_fail(err, HGQ_EARG, sh, "table does not fit in the sheet");
            goto fail;
        }
        tb->area.header_first_row = r;
        tb->area.header_last_row = r + (uint32_t)t->header_rows - 1;
        if ((s = write_header(sh, t, tb, r, err)) != HGQ_OK)
            goto fail;
        r += (uint32_t)t->header_rows;
    }
    tb->area.body_first_row = r;
    tb->area.body_last_row = r - 1;   /* no rows yet; r > 0 when a title or header exists */
    tb->area.last_row = r > row ? r - 1 : row;
    if (tb->totals_col)
        tb->area.totals_col = col + (uint32_t)t->ncols;
    sh->open = tb;
    if (area)
        *area = tb->area;
    return HGQ_OK;
oom:
    hgqw_table_free(tb);
    return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
fail:
    hgqw_table_free(tb);
    return s;
}

static int value_equal(const hgq_value *a, const hgq_value *b)
{
    return a->type == b->type && hgq_value_compare(a, b) == 0;
}

/* Remembers the value starting a group run (its text is copied). */
static int group_start(hgqw_table *tb, int g, const hgq_value *v, uint32_t row)
{
    free(tb->gtext[g]);
    tb->gtext[g] = NULL;
    tb->gprev[g] = *v;
    if (v->type == HGQ_TEXT) {
        if (!(tb->gtext[g] = hgq_strdup(v->u.s)))
            return -1;
        tb->gprev[g].u.s = tb->gtext[g];
    }
    tb->gstart[g] = row;
    return 0;
}

/* Merges the run of group column g, which ends on row `last`. */
static hgq_status group_close(hgq_writer_sheet *sh, hgqw_table *tb, int g, uint32_t last,
                              hgq_error *err)
{
    if (last <= tb->gstart[g])
        return HGQ_OK;
    return hgqw_merge(sh, tb->gstart[g], tb->col0 + (uint32_t)g, last, tb->col0 + (uint32_t)g,
                      &tb->gprev[g], tb->cols[g].fmt, HGQW_GROUP, err);
}

/* Total width of columns c0..c1 when the caller fixed every one, else 0. */
static double fixed_room(const hgq_writer_sheet *sh, uint32_t c0, uint32_t c1)
{
    double room = 0;
    uint32_t c;
    for (c = c0; c <= c1; c++) {
        if (c >= sh->nwidth || sh->fixed[c] <= 0)
            return 0;
        room += sh->fixed[c];
    }
    return room;
}

static int is_number(const hgq_value *v)
{
    return v->type == HGQ_INT || v->type == HGQ_NUM;
}

/* A group cell that continues the run above: missing or empty text. */
static int is_blank(const hgq_value *v)
{
    return v->type == HGQ_NULL || (v->type == HGQ_TEXT && !v->u.s[0]);
}

hgq_status hgqw_table_append(hgq_writer_sheet *sh, const hgq_writer_cell *cells,
                             const unsigned *span, const unsigned char *strong,
                             size_t n, hgq_error *err)
{
    hgqw_table *tb = sh->open;
    uint32_t row, *pos = NULL;
    size_t c, npos = 0, covered = 0;
    int g, cont_prev = 1;
    unsigned char cont[64];
    double rowsum = 0;
    hgq_status s = HGQ_OK;

    if (n != tb->ncols)
        return hgqw_fail(err, HGQ_EARG, sh, "row has %zu values, the table %zu columns", n,
                         tb->ncols);
    row = tb->area.body_first_row + (uint32_t)tb->nrows;
    if (row > HGQ_MAX_ROW || (tb->nrows > 0 && row == 0))
        return hgqw_fail(err, HGQ_EARG, sh, "table does not fit in the sheet");
    if (tb->label_cols < 0) {
        tb->label_cols = 0;
        while ((size_t)tb->label_cols < n && cells[tb->label_cols].value.type == HGQ_TEXT)
            tb->label_cols++;
        for (c = 0; c < (size_t)tb->label_cols; c++)
            tb->cols[c].summable = 0;
    }

    /* Group runs that end here are merged before this row is written. */
    for (g = 0; g < tb->group_cols; g++) {
        const hgq_value *v = &cells[g].value;
        int spanned = span && span[g] > 1;
        cont[g] = tb->nrows > 0 && cont_prev && !spanned &&
                  (is_blank(v) || value_equal(v, &tb->gprev[g]));
        cont_prev = cont[g];
        if (!cont[g]) {
            if (tb->nrows > 0 && (s = group_close(sh, tb, g, row - 1, err)) != HGQ_OK)
                return s;
            if (group_start(tb, g, v, row))
                return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
        }
    }

    if (tb->totals_col && !(pos = malloc(n * sizeof *pos)))
        return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
    for (c = 0; c < n && s == HGQ_OK; c++) {
        const hgq_writer_cell *cell = &cells[c];
        hgqw_fmt f = tb->cols[c].fmt;
        int group = (int)c < tb->group_cols;
        int inside = covered > 0;
        hgqw_role role = group ? HGQW_GROUP : HGQW_BODY;
        double d;
        if (strong && strong[c])
            role = (int)c < tb->label_cols ? HGQW_TOTAL_LABEL : HGQW_TOTAL;
        if (covered)
            covered--;
        if (cell->format && hgqw_parse_format(sh->w, cell->format, &f) != 0) {
            s = hgqw_fail(err, HGQ_EARG, sh, "unknown format '%s'", cell->format);
            break;
        }
        if (group && cont[c])
            s = hgqw_put(sh, row, tb->col0 + (uint32_t)c, NULL, NULL, f, HGQW_GROUP, 0, err);
        else if (inside)
            s = hgqw_put(sh, row, tb->col0 + (uint32_t)c, NULL, NULL, f, role, 0, err);
        else
            s = hgqw_put(sh, row, tb->col0 + (uint32_t)c, &cell->value, cell->formula, f,
                         role, !(span && span[c] > 1), err);
        if (s != HGQ_OK)
            break;
        if (!inside && span && span[c] > 1) {
            covered = span[c] - 1;
            if (c + covered >= n) {
                s = hgqw_fail(err, HGQ_EARG, sh, "a merged cell runs past the table");
                break;
            }
        }
        if ((int)c < tb->label_cols || inside)
            continue;
        /* The totals column sums every summable column, blanks included;
         * unformatted columns count when they hold a number. */
        if (tb->totals_col &&
            (tb->cols[c].summable == 1 ||
             (tb->cols[c].summable == -1 && is_number(&cell->value) && !tb->cols[c].other_seen)))
            pos[npos++] = tb->col0 + (uint32_t)c;
        if (cell->value.type == HGQ_NULL)
            continue;
        if (is_number(&cell->value)) {
            hgq_value_number(&cell->value, &d);
            tb->cols[c].sum += d;
            tb->cols[c].numeric_seen = 1;
            if (tb->cols[c].summable != 0)
                rowsum += d;
        } else {
            tb->cols[c].other_seen = 1;
        }
    }
    /* Horizontal merges of this row (labels spanning columns). */
    for (c = 0; span && c < n && s == HGQ_OK; c++) {
        if (span[c] > 1) {
            char text[256];
            hgqw_fmt f = tb->cols[c].fmt;
            hgqw_role role = (int)c < tb->group_cols ? HGQW_GROUP : HGQW_BODY;
            uint32_t c0 = tb->col0 + (uint32_t)c, c1 = c0 + span[c] - 1;
            double wd, room;
            if (cells[c].format)
                hgqw_parse_format(sh->w, cells[c].format, &f);   /* checked above */
            if (strong && strong[c])
                role = (int)c < tb->label_cols ? HGQW_TOTAL_LABEL : HGQW_TOTAL;
            if (cells[c].value.type == HGQ_TEXT)
                wd = (double)hgq_utf8_width(cells[c].value.u.s, strlen(cells[c].value.u.s));
            else
                wd = (double)hgqw_display(hgqw_resolve(f, &cells[c].value), &cells[c].value,
                                          sh->w->opt.unmask_ids, text, sizeof text);
            /* text wider than the fixed widths it spans wraps */
            if (role == HGQW_BODY && cells[c].value.type == HGQ_TEXT &&
                (room = fixed_room(sh, c0, c1)) > 0 && wd * 1.05 > room - 0.5) {
                role = HGQW_WRAP;
                hgqw_add_tall(sh, row, c0, c1, wd, 14.5);
            }
            s = hgqw_merge(sh, row, c0, row, c1, &cells[c].value, f, role, err);
            hgqw_add_span(sh, c0, c1, wd);
            c += span[c] - 1;
        }
    }
    if (s == HGQ_OK && tb->totals_col) {
        uint32_t tc = tb->col0 + (uint32_t)n;
        if (npos) {
            hgq_buf b;
            hgq_value v = hgq_num(rowsum);
            hgq_buf_init(&b);
            if (hgqw_sum_formula(&b, 0, row, pos, npos))
                s = hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
            else
                s = hgqw_put(sh, row, tc, &v, b.data, tb->totals_fmt, HGQW_TOTAL, 1, err);
            hgq_buf_free(&b);
            tb->totals_col_sum += rowsum;
        } else {
            s = hgqw_put(sh, row, tc, NULL, NULL, tb->totals_fmt, HGQW_TOTAL, 0, err);
        }
    }
    free(pos);
    if (s != HGQ_OK)
        return s;
    tb->nrows++;
    tb->area.body_last_row = row;
    tb->area.last_row = row;
    return HGQ_OK;
}

static hgq_status write_totals_row(hgq_writer_sheet *sh, hgqw_table *tb, uint32_t row,
                                   hgq_error *err)
{
    hgqw_fmt text_fmt = {HGQW_TEXT, NULL};
    uint32_t first = tb->area.body_first_row, last = tb->area.body_last_row;
    size_t c;
    hgq_status s = HGQ_OK;
    hgq_buf b;
    hgq_value label = hgq_text(tb->totals_label);

    hgq_buf_init(&b);
    for (c = 0; c < tb->ncols && s == HGQ_OK; c++) {
        uint32_t col = tb->col0 + (uint32_t)c;
        const tcol *tc = &tb->cols[c];
        int summable = tc->summable == 1 ||
                       (tc->summable == -1 && tc->numeric_seen && !tc->other_seen);
        if ((int)c < tb->label_cols) {
            s = hgqw_put(sh, row, col, c == 0 ? &label : NULL, NULL, text_fmt,
                         HGQW_TOTAL_LABEL, c == 0 && tb->label_cols == 1, err);
        } else if (summable && tb->nrows > 0) {
            hgq_value v = hgq_num(tc->sum);
            hgq_buf_clear(&b);
            if (hgq_buf_printf(&b, "=SUM(") || append_cell(&b, first, col) ||
                hgq_buf_append_char(&b, ':') || append_cell(&b, last, col) ||
                hgq_buf_append_char(&b, ')')) {
                s = hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
                break;
            }
            s = hgqw_put(sh, row, col, &v, b.data, tc->fmt, HGQW_TOTAL, 1, err);
        } else if (summable) {
            hgq_value zero = hgq_int(0);
            s = hgqw_put(sh, row, col, &zero, NULL, tc->fmt, HGQW_TOTAL, 1, err);
        } else {
            s = hgqw_put(sh, row, col, NULL, NULL, tc->fmt, HGQW_TOTAL, 0, err);
        }
    }
    if (s == HGQ_OK && tb->totals_col) {
        uint32_t col = tb->col0 + (uint32_t)tb->ncols;
        hgq_value v = hgq_num(tb->totals_col_sum);
        if (tb->nrows > 0) {
            hgq_buf_clear(&b);
            if (hgq_buf_printf(&b, "=SUM(") || append_cell(&b, first, col) ||
                hgq_buf_append_char(&b, ':') || append_cell(&b, last, col) ||
                hgq_buf_append_char(&b, ')'))
                s = hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
            else
                s = hgqw_put(sh, row, col, &v, b.data, tb->totals_fmt, HGQW_TOTAL, 1, err);
        } else {
            s = hgqw_put(sh, row, col, &v, NULL, tb->totals_fmt, HGQW_TOTAL, 1, err);
        }
    }
    hgq_buf_free(&b);
    if (s == HGQ_OK && tb->label_cols > 1) {
        s = hgqw_merge(sh, row, tb->col0, row, tb->col0 + (uint32_t)tb->label_cols - 1, &label,
                       text_fmt, HGQW_TOTAL_LABEL, err);
        if (s == HGQ_OK)
            hgqw_add_span(sh, tb->col0, tb->col0 + (uint32_t)tb->label_cols - 1,
                          (double)hgq_utf8_width(tb->totals_label, strlen(tb->totals_label)));
    }
    return s;
}

hgq_status hgqw_table_end(hgq_writer_sheet *sh, hgq_table_area *area, hgq_error *err)
{
    hgqw_table *tb = sh->open;
    hgq_status s = HGQ_OK;
    int g;
    if (tb->nrows > 0)
        for (g = 0; g < tb->group_cols && s == HGQ_OK; g++)
            s = group_close(sh, tb, g, tb->area.body_last_row, err);
    if (s == HGQ_OK && tb->totals_label) {
        uint32_t row = tb->area.body_first_row + (uint32_t)tb->nrows;
        if (row > HGQ_MAX_ROW)
            s = hgqw_fail(err, HGQ_EARG, sh, "table does not fit in the sheet");
        else if ((s = write_totals_row(sh, tb, row, err)) == HGQ_OK) {
            tb->area.totals_row = row;
            tb->area.last_row = row;
        }
    }
    tb->area.body_rows = tb->nrows;
    if (s == HGQ_OK) {
        if (sh->ntables == 0)
            sh->first_area = tb->area;
        sh->last_area = tb->area;
        sh->ntables++;
        if (area)
            *area = tb->area;
    }
    sh->open = NULL;
    hgqw_table_free(tb);
    return s;
}

void hgqw_table_abort(hgq_writer_sheet *sh)
{
    hgqw_table_free(sh->open);
    sh->open = NULL;
}

hgq_status hgq_writer_sheet_end_table(hgq_writer_sheet *sh, hgq_table_area *area,
                                      hgq_error *err)
{
    hgq_status s;
    if (!sh)
        return hgqw_fail(err, HGQ_EARG, NULL, "sheet is NULL");
    if ((s = hgqw_check_open(sh->w, err)) != HGQ_OK)
        return s;
    if (!sh->open)
        return hgqw_fail(err, HGQ_ESTATE, sh, "no table is open on this sheet");
    return hgqw_table_end(sh, area, err);
}

/* A row without an open table: plain cells at the sheet's next row. */
static hgq_status append_plain(hgq_writer_sheet *sh, const hgq_writer_cell *cells,
                               size_t n, hgq_error *err)
{
    uint32_t row = sh->next_row;
    size_t c;
    hgq_status s;
    if (n > (size_t)HGQ_MAX_COL + 1)
        return hgqw_fail(err, HGQ_EARG, sh, "too many values in a row");
    if (row > HGQ_MAX_ROW)
        return hgqw_fail(err, HGQ_EARG, sh, "the sheet is full");
    for (c = 0; c < n; c++) {
        hgqw_fmt f;
        if (hgqw_parse_format(sh->w, cells[c].format, &f) != 0)
            return hgqw_fail(err, HGQ_EARG, sh, "unknown format '%s'", cells[c].format);
        if ((s = hgqw_put(sh, row, (uint32_t)c, &cells[c].value, cells[c].formula, f,
                          HGQW_PLAIN, 1, err)) != HGQ_OK)
            return s;
    }
    if (n == 0)
        sh->next_row = row + 1;
    return HGQ_OK;
}

hgq_status hgq_writer_sheet_append_cells(hgq_writer_sheet *sh,
                                         const hgq_writer_cell *cells, size_t n,
                                         hgq_error *err)
{
    unsigned *span;
    size_t c;
    hgq_status s;
    if (!sh)
        return hgqw_fail(err, HGQ_EARG, NULL, "sheet is NULL");
    if ((s = hgqw_check_open(sh->w, err)) != HGQ_OK)
        return s;
    if (n && !cells)
        return hgqw_fail(err, HGQ_EARG, sh, "cells is NULL");
    if (!sh->open)
        return append_plain(sh, cells, n, err);
    for (c = 0; c < n && cells[c].span <= 1; c++)
        ;
    if (c == n)
        return hgqw_table_append(sh, cells, NULL, NULL, n, err);
    for (c = 0; c < n; c++) {
        if (cells[c].span > 1 && cells[c].span > n - c)
            return hgqw_fail(err, HGQ_EARG, sh, "cell %zu spans %u columns, past the row's end",
                             c + 1, cells[c].span);
        if (cells[c].span > 1 && cells[c].formula)
            return hgqw_fail(err, HGQ_EARG, sh, "cell %zu spans columns and cannot hold a formula",
                             c + 1);
    }
    if (!(span = malloc(n * sizeof *span)))
        return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
    for (c = 0; c < n; c++)
        span[c] = cells[c].span > 1 ? cells[c].span : 1;
    s = hgqw_table_append(sh, cells, span, NULL, n, err);
    free(span);
    return s;
}

hgq_status hgq_writer_sheet_append_row(hgq_writer_sheet *sh, const hgq_value *values,
                                       size_t n, hgq_error *err)
{
    hgq_writer_cell small[32], *cells = small;
    size_t c;
    hgq_status s;
    if (n && !values)
        return hgqw_fail(err, HGQ_EARG, sh, "values is NULL");
    if (n > sizeof small / sizeof small[0] && !(cells = malloc(n * sizeof *cells)))
        return hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
    for (c = 0; c < n; c++) {
        cells[c].value = values[c];
        cells[c].formula = NULL;
        cells[c].format = NULL;
        cells[c].span = 0;
    }
    s = hgq_writer_sheet_append_cells(sh, n ? cells : NULL, n, err);
    if (cells != small)
        free(cells);
    return s;
}

hgq_status hgq_writer_sheet_table(hgq_writer_sheet *sh, const hgq_table_layout *t,
                                  const hgq_value *rows, size_t nrows,
                                  hgq_table_area *area, hgq_error *err)
{
    size_t i;
    hgq_status s;
    if (nrows && !rows)
        return hgqw_fail(err, HGQ_EARG, sh, "rows is NULL");
    if ((s = hgq_writer_sheet_begin_table(sh, t, NULL, err)) != HGQ_OK)
        return s;
    for (i = 0; i < nrows; i++) {
        if ((s = hgq_writer_sheet_append_row(sh, rows + i * t->ncols, t->ncols, err)) != HGQ_OK) {
            hgqw_table_abort(sh);
            return s;
        }
    }
    return hgq_writer_sheet_end_table(sh, area, err);
}

/* }==================================================================== */
