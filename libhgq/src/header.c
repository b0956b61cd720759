/*
 * header.c - a sheet, or only its head (record import streams the rest),
 * held in memory, and finding its header: which row names the columns,
 * whether a second row completes it (merged parent cells above
 * "联系方式/电话"), and which field each column feeds.
 *
 * The header row is the row among the first rows of the sheet whose cells
 * name the most distinct fields of the schema: title rows ("2025年学生名册")
 * and note rows above it name none. A header is two rows when a merged
 * range starts on its row and spans several columns or reaches the next
 * row, or when the row above it holds such a parent range.
 */
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"

/* {====================================================================
 * The sheet
 * ===================================================================== */

void hgq_sheet_free(hgq_sheet *sh)
{
    if (!sh)
        return;
    free(sh->rows);
    hgq_arena_free(&sh->arena);
    memset(sh, 0, sizeof *sh);
}

static int cmp_rows(const void *a, const void *b)
{
    const hgq_sheet_row *x = a, *y = b;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Starts an empty sheet for sheet `index` of wb. */
static hgq_status sheet_begin(hgq_sheet *sh, hgq_workbook *wb, size_t index, hgq_error *err)
{
    const hgq_sheet_info *info = hgq_workbook_sheet(wb, index);
    memset(sh, 0, sizeof *sh);
    hgq_arena_init(&sh->arena);
    if (!info)
        return hgq_error_set(err, HGQ_ENOTFOUND, "no sheet %zu", index);
    sh->index = index;
    sh->file = hgq_arena_strdup(&sh->arena, hgq_workbook_path(wb) ? hgq_workbook_path(wb) : "");
    sh->name = hgq_arena_strdup(&sh->arena, info->name ? info->name : "");
    if (!sh->file || !sh->name)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    return HGQ_OK;
}

/* Copies a row read into the sheet (text in the sheet's arena). */
static hgq_status sheet_add_row(hgq_sheet *sh, const hgq_row *row, hgq_error *err)
{
    hgq_sheet_row *r;
    size_t i;
    if (sh->nrows == sh->cap) {
        size_t cap = sh->cap ? sh->cap * 2 : 64;
        hgq_sheet_row *rows = realloc(sh->rows, cap * sizeof *rows);
        if (!rows)
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        sh->rows = rows;
        sh->cap = cap;
    }
    r = &sh->rows[sh->nrows];
    r->index = row->index;
    r->ncells = row->ncells;
    r->cells = row->ncells ? hgq_arena_alloc(&sh->arena, row->ncells * sizeof *r->cells) : NULL;
    if (row->ncells && !r->cells)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    for (i = 0; i < row->ncells; i++) {
        const hgq_cell *c = &row->cells[i];
        hgq_cell *d = &r->cells[i];
        *d = *c;
        d->formula = NULL;
        d->numfmt = "General";
        if (c->text) {
            d->text = hgq_arena_strndup(&sh->arena, c->text, c->text_len);
            if (!d->text)
                return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        }
        if (c->col > sh->maxcol)
            sh->maxcol = c->col;
    }
    sh->nrows++;
    return HGQ_OK;
}

/* Puts the rows in increasing order and fetches the merged ranges. */
static hgq_status sheet_finish(hgq_sheet *sh, hgq_workbook *wb, hgq_error *err)
{
    hgq_status st;
    size_t i;
    for (i = 1; i < sh->nrows; i++)
        if (sh->rows[i - 1].index >= sh->rows[i].index) {
            qsort(sh->rows, sh->nrows, sizeof *sh->rows, cmp_rows);
            break;
        }
    st = hgq_workbook_merges(wb, sh->index, &sh->merges, &sh->nmerges, err);
    if (st != HGQ_OK) {
        sh->merges = NULL;
        sh->nmerges = 0;
    }
    return st;
}

hgq_status hgq_sheet_load(hgq_sheet *sh, hgq_workbook *wb, size_t index, size_t limit,
                          hgq_error *err)
{
    hgq_rows *it = NULL;
    const hgq_row *row;
    hgq_status st;
    if ((st = sheet_begin(sh, wb, index, err)) != HGQ_OK)
        return st;
    if ((st = hgq_rows_open(&it, wb, index, err)) != HGQ_OK)
        return st;
    while ((st = hgq_rows_next(it, &row, err)) == HGQ_OK && row) {
        if (limit && sh->nrows >= limit)
            break;
        if ((st = sheet_add_row(sh, row, err)) != HGQ_OK)
            break;
    }
    hgq_rows_free(it);
    if (st != HGQ_OK)
        return st;
    return sheet_finish(sh, wb, err);
}

/* 1 if the head must hold sheet row `row`, which lies past the first rows:
 * one of the two rows from header_row, or the first row of a range merged
 * into them (its text names the header cells it covers). */
static int head_wants(const hgq_range *m, size_t nm, long header_row, uint32_t row)
{
    size_t i;
    if ((long)row == header_row || (long)row == header_row + 1)
        return 1;
    for (i = 0; i < nm; i++)
        if (m[i].first_row == row && (long)m[i].first_row < header_row &&
            (long)m[i].last_row >= header_row)
            return 1;
    return 0;
}

hgq_status hgq_sheet_load_head(hgq_sheet *sh, hgq_workbook *wb, size_t index, size_t keep,
                               long header_row, hgq_rows **rows, const hgq_row **next,
                               hgq_error *err)
{
    const hgq_row *row;
    const hgq_range *m = NULL;
    size_t nm = 0;
    hgq_status st;
    *rows = NULL;
    *next = NULL;
    if ((st = sheet_begin(sh, wb, index, err)) != HGQ_OK)
        return st;
    /* the ranges first: they say which rows above an explicit header count */
    if ((st = hgq_workbook_merges(wb, index, &m, &nm, err)) != HGQ_OK)
        return st;
    if ((st = hgq_rows_open(rows, wb, index, err)) != HGQ_OK)
        return st;
    while ((st = hgq_rows_next(*rows, &row, err)) == HGQ_OK && row) {
        if (sh->nrows >= keep) {
            if (header_row < 0 || (long)row->index > header_row + 1) {
                *next = row;
                break;
            }
            if (!head_wants(m, nm, header_row, row->index))
                continue;
        }
        if ((st = sheet_add_row(sh, row, err)) != HGQ_OK)
            break;
    }
    if (st != HGQ_OK)
        return st;
    return sheet_finish(sh, wb, err);
}

long hgq_sheet_find_row(const hgq_sheet *sh, uint32_t row)
{
    size_t lo = 0, hi = sh->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sh->rows[mid].index < row)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sh->nrows && sh->rows[lo].index == row ? (long)lo : -1;
}

const hgq_cell *hgq_cells_find(const hgq_cell *cells, size_t n, uint32_t col)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cells[mid].col < col)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && cells[lo].col == col ? &cells[lo] : NULL;
}

const hgq_cell *hgq_sheet_cell(const hgq_sheet *sh, uint32_t row, uint32_t col)
{
    long p = hgq_sheet_find_row(sh, row);
    if (p < 0)
        return NULL;
    return hgq_cells_find(sh->rows[p].cells, sh->rows[p].ncells, col);
}

const hgq_range *hgq_sheet_merge_at(const hgq_sheet *sh, uint32_t row, uint32_t col)
{
    size_t i;
    for (i = 0; i < sh->nmerges; i++) {
        const hgq_range *m = &sh->merges[i];
        if (row >= m->first_row && row <= m->last_row && col >= m->first_col && col <= m->last_col)
            return m;
    }
    return NULL;
}

int hgq_cell_has_content(const hgq_cell *c)
{
    size_t i;
    if (!c || c->type == HGQ_CELL_EMPTY)
        return 0;
    if (c->type != HGQ_CELL_STRING)
        return 1;
    if (!c->text)
        return 0;
    for (i = 0; i < c->text_len; i++) {
        unsigned char ch = (unsigned char)c->text[i];
        if (ch == ' ' || (ch >= '\t' && ch <= '\r'))
            continue;
        if (ch == 0xE3 && i + 2 < c->text_len && (unsigned char)c->text[i + 1] == 0x80 &&
            (unsigned char)c->text[i + 2] == 0x80) {   /* U+3000 */
            i += 2;
            continue;
        }
        if (ch == 0xC2 && i + 1 < c->text_len && (unsigned char)c->text[i + 1] == 0xA0) {
            i += 1;
            continue;
        }
        return 1;
    }
    return 0;
}

const hgq_cell *hgq_sheet_cell_filled(const hgq_sheet *sh, uint32_t row, uint32_t col)
{
    const hgq_cell *c = hgq_sheet_cell(sh, row, col);
    const hgq_range *m;
    if (hgq_cell_has_content(c))
        return c;
    m = hgq_sheet_merge_at(sh, row, col);
    if (m && (m->first_row != row || m->first_col != col))
        return hgq_sheet_cell(sh, m->first_row, m->first_col);
    return c;
}

/* }==================================================================== */

/* {====================================================================
 * Header detection
 * ===================================================================== */

static long cell_field(const hgq_schema *s, const hgq_cell *c)
{
    if (!c || c->type != HGQ_CELL_STRING || !c->text)
        return -1;
    return hgq_schema_match_header(s, c->text, c->text_len);
}

int hgq_header_score_row(const hgq_schema *s, const hgq_sheet *sh, uint32_t row)
{
    long p = hgq_sheet_find_row(sh, row);
    size_t i, nf = hgq_schema_field_count(s);
    unsigned char seen[512];
    int score = 0;
    if (p < 0)
        return 0;
    memset(seen, 0, sizeof seen);
    for (i = 0; i < sh->rows[p].ncells; i++) {
        long f = cell_field(s, &sh->rows[p].cells[i]);
        if (f >= 0 && (size_t)f < nf && (f >= (long)sizeof seen || !seen[f])) {
            if (f < (long)sizeof seen)
                seen[f] = 1;
            score++;
        }
    }
    return score;
}

/* 1 if a merged range starts on `row` and spans columns or reaches row+1. */
static int parent_merges_on(const hgq_sheet *sh, uint32_t row)
{
    size_t i;
    for (i = 0; i < sh->nmerges; i++) {
        const hgq_range *m = &sh->merges[i];
        if (m->first_row == row && (m->last_col > m->first_col || m->last_row > row))
            return 1;
    }
    return 0;
}

/* 1 if `row` is the upper half of a header whose lower row is row+1: a
 * range merged down into row+1, or at least two labels and a range merged
 * across (a title row is one label merged across the whole table). */
static int upper_header_row(const hgq_sheet *sh, uint32_t row)
{
    long p = hgq_sheet_find_row(sh, row);
    size_t i, labels = 0;
    if (p < 0)
        return 0;
    for (i = 0; i < sh->nmerges; i++) {
        const hgq_range *m = &sh->merges[i];
        if (m->first_row == row && m->last_row > row)
            return 1;
    }
    for (i = 0; i < sh->rows[p].ncells; i++)
        if (hgq_cell_has_content(&sh->rows[p].cells[i]))
            labels++;
    return labels >= 2 && parent_merges_on(sh, row);
}

/* 1 if row+1 completes the header on `row`: a range merged down from
 * `row`, or labels under the ranges merged across on `row` and nothing
 * elsewhere (a data row has values outside those spans). */
static int lower_header_row(const hgq_sheet *sh, uint32_t row)
{
    long p = hgq_sheet_find_row(sh, row + 1);
    size_t i, j, under = 0;
    int across = 0;
    if (p < 0)
        return 0;
    for (i = 0; i < sh->nmerges; i++) {
        const hgq_range *m = &sh->merges[i];
        if (m->first_row == row && m->last_row > row)
            return 1;
        if (m->first_row == row && m->last_col > m->first_col)
            across = 1;
    }
    if (!across)
        return 0;
    for (j = 0; j < sh->rows[p].ncells; j++) {
        const hgq_cell *c = &sh->rows[p].cells[j];
        int inside = 0;
        if (!hgq_cell_has_content(c))
            continue;
        for (i = 0; i < sh->nmerges; i++) {
            const hgq_range *m = &sh->merges[i];
            if (m->first_row == row && m->last_col > m->first_col && c->col >= m->first_col &&
                c->col <= m->last_col)
                inside = 1;
        }
        if (!inside || c->type != HGQ_CELL_STRING)
            return 0;
        under++;
    }
    return under > 0;
}

/* The text of a header cell as printed, white space trimmed at both ends
 * (ASCII, U+3000, U+00A0). */
static char *cell_string(hgq_sheet *sh, const hgq_cell *c)
{
    char buf[512];
    const char *b = buf, *e;
    hgq_model_cell_text(c, buf, sizeof buf);
    e = buf + strlen(buf);
    for (;;) {
        if (b < e && (*b == ' ' || (*b >= '\t' && *b <= '\r')))
            b++;
        else if (e - b >= 3 && memcmp(b, "\xe3\x80\x80", 3) == 0)
            b += 3;
        else if (e - b >= 2 && memcmp(b, "\xc2\xa0", 2) == 0)
            b += 2;
        else
            break;
    }
    for (;;) {
        if (e > b && (e[-1] == ' ' || (e[-1] >= '\t' && e[-1] <= '\r')))
            e--;
        else if (e - b >= 3 && memcmp(e - 3, "\xe3\x80\x80", 3) == 0)
            e -= 3;
        else if (e - b >= 2 && memcmp(e - 2, "\xc2\xa0", 2) == 0)
            e -= 2;
        else
            break;
    }
    return hgq_arena_strndup(&sh->arena, b, (size_t)(e - b));
}

/* Header text at row/col as an arena string, filled from a merged range
 * ("" when none); the row the text really sits on goes to *anchor_row. */
static char *header_string(hgq_sheet *sh, uint32_t row, uint32_t col, uint32_t *anchor_row)
{
    const hgq_cell *c = hgq_sheet_cell(sh, row, col);
    const hgq_range *m;
    *anchor_row = row;
    if (hgq_cell_has_content(c))
        return cell_string(sh, c);
    m = hgq_sheet_merge_at(sh, row, col);
    if (m && (m->first_row != row || m->first_col != col)) {
        c = hgq_sheet_cell(sh, m->first_row, m->first_col);
        if (hgq_cell_has_content(c)) {
            *anchor_row = m->first_row;
            return cell_string(sh, c);
        }
    }
    return hgq_arena_strdup(&sh->arena, "");
}

static long match_text(const hgq_schema *s, const char *t)
{
    return *t ? hgq_schema_match_header(s, t, strlen(t)) : -1;
}

/* Field named by column candidates: "上/下", 下, 上, "上下". */
static long column_field(const hgq_schema *s, hgq_sheet *sh, const hgq_header *h, uint32_t col)
{
    const char *top = h->top[col], *bot = h->bottom[col];
    long f;
    if ((f = match_text(s, h->names[col])) >= 0)
        return f;
    if (*bot && (f = match_text(s, bot)) >= 0)
        return f;
    if (*top && (f = match_text(s, top)) >= 0)
        return f;
    if (*top && *bot) {
        size_t a = strlen(top), b = strlen(bot);
        char *cat = hgq_arena_alloc(&sh->arena, a + b + 1);
        if (cat) {
            memcpy(cat, top, a);
            memcpy(cat + a, bot, b + 1);
            return match_text(s, cat);
        }
    }
    return -1;
}

static int is_column_letters(const char *s, uint32_t *col)
{
    size_t n = strlen(s), i;
    if (n == 0 || n > 3)
        return 0;
    for (i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z')))
            return 0;
    {
        char up[4];
        for (i = 0; i < n; i++)
            up[i] = (char)((s[i] >= 'a' && s[i] <= 'z') ? s[i] - 'a' + 'A' : s[i]);
        up[n] = '\0';
        return hgq_ref_parse_col(up, n, col);
    }
}

/* Column whose header (any of its candidates) reads as `text`, or -1. */
static long column_by_header(const hgq_header *h, const char *text)
{
    char want[3][HGQ_KEY_MAX], have[3][HGQ_KEY_MAX];
    int nw = hgq_model_header_keys(text, strlen(text), want, NULL, 0), i, j, k;
    uint32_t c;
    for (c = 0; c < h->ncols; c++) {
        const char *cands[3] = {h->names[c], h->bottom[c], h->top[c]};
        for (k = 0; k < 3; k++) {
            int nh;
            if (!*cands[k])
                continue;
            nh = hgq_model_header_keys(cands[k], strlen(cands[k]), have, NULL, 0);
            for (i = 0; i < nw; i++)
                for (j = 0; j < nh; j++)
                    if (strcmp(want[i], have[j]) == 0)
                        return (long)c;
        }
    }
    return -1;
}

hgq_status hgq_header_detect(const hgq_schema *s, hgq_sheet *sh,
                             const hgq_import_options *opt, hgq_header *h,
                             hgq_error *err)
{
    size_t i, scan = opt->scan_rows ? opt->scan_rows : 30;
    long best = -1;
    int best_score = 0;
    uint32_t c;
    memset(h, 0, sizeof *h);
    h->row = -1;
    if (opt->header_row >= 0) {
        best = opt->header_row;
        best_score = hgq_header_score_row(s, sh, (uint32_t)best);
    } else {
        for (i = 0; i < sh->nrows && i < scan; i++) {
            int sc = hgq_header_score_row(s, sh, sh->rows[i].index);
            if (sc > best_score) {
                best_score = sc;
                best = sh->rows[i].index;
            }
        }
        if (best < 0) {
            hgq_error_set(err, HGQ_ESCHEMA,
                          "no header row naming a field of '%s' in the first %zu rows; "
                          "give header_row or a mapping", hgq_schema_entity(s), scan);
            hgq_error_set_file(err, sh->file);
            hgq_error_set_sheet(err, sh->name);
            return HGQ_ESCHEMA;
        }
    }
    h->row = best;
    h->score = best_score;
    /* one row or two */
    if (opt->header_rows == 1 || opt->header_rows == 2) {
        h->nrows = opt->header_rows;
    } else {
        h->nrows = 1;
        if (opt->header_row < 0 && best > 0 && upper_header_row(sh, (uint32_t)best - 1)) {
            h->row = best - 1;
            h->nrows = 2;
        } else if (lower_header_row(sh, (uint32_t)best)) {
            h->nrows = 2;
        }
    }
    /* column names (also for mapped columns beyond the last cell) */
    h->ncols = sh->maxcol + 1;
    for (i = 0; i < opt->nmapping; i++) {
        uint32_t lc;
        if (opt->mapping[i].column && is_column_letters(opt->mapping[i].column, &lc) &&
            lc + 1 > h->ncols)
            h->ncols = lc + 1;
    }
    h->names = hgq_arena_alloc(&sh->arena, h->ncols * sizeof *h->names);
    h->top = hgq_arena_alloc(&sh->arena, h->ncols * sizeof *h->top);
    h->bottom = hgq_arena_alloc(&sh->arena, h->ncols * sizeof *h->bottom);
    h->units = hgq_arena_alloc(&sh->arena, h->ncols * sizeof *h->units);
    h->field = hgq_arena_alloc(&sh->arena, h->ncols * sizeof *h->field);
    if (!h->names || !h->top || !h->bottom || !h->units || !h->field)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    for (c = 0; c < h->ncols; c++) {
        uint32_t ar, br;
        char *top = header_string(sh, (uint32_t)h->row, c, &ar);
        char *bot = h->nrows == 2 ? header_string(sh, (uint32_t)h->row + 1, c, &br) : NULL;
        char keys[3][HGQ_KEY_MAX], unit[32];
        if (!top || (h->nrows == 2 && !bot))
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        if (bot && br <= (uint32_t)h->row)
            bot = "";              /* merged down from the upper row: same text */
        h->top[c] = top;
        h->bottom[c] = bot ? bot : "";
        if (*top && bot && *bot && strcmp(top, bot) != 0) {
            size_t a = strlen(top), b = strlen(bot);
            char *n = hgq_arena_alloc(&sh->arena, a + b + 2);
            if (!n)
                return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            memcpy(n, top, a);
            n[a] = '/';
            memcpy(n + a + 1, bot, b + 1);
            h->names[c] = n;
        } else {
            h->names[c] = *top ? top : h->bottom[c];
        }
        hgq_model_header_keys(h->names[c], strlen(h->names[c]), keys, unit, sizeof unit);
        if (!unit[0] && *h->bottom[c])
            hgq_model_header_keys(h->bottom[c], strlen(h->bottom[c]), keys, unit, sizeof unit);
        if (!unit[0] && *top)
            hgq_model_header_keys(top, strlen(top), keys, unit, sizeof unit);
        h->units[c] = hgq_arena_strdup(&sh->arena, unit);
        if (!h->units[c])
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        h->field[c] = -1;
    }
    /* explicit mapping first */
    for (i = 0; i < opt->nmapping; i++) {
        const hgq_import_map *m = &opt->mapping[i];
        long f = m->field ? hgq_schema_find_field(s, m->field) : -1;
        long col;
        uint32_t lc;
        if (f < 0)
            return hgq_error_set(err, HGQ_ESCHEMA, "mapping names unknown field '%s' of '%s'",
                                 m->field ? m->field : "(null)", hgq_schema_entity(s));
        if (!m->column || !*m->column)
            return hgq_error_set(err, HGQ_ESCHEMA, "mapping of field '%s' has no column", m->field);
        if (is_column_letters(m->column, &lc)) {
            col = (long)lc;
        } else {
            col = column_by_header(h, m->column);
            if (col < 0) {
                hgq_error_set(err, HGQ_ENOTFOUND, "no column headed '%s' for field '%s'",
                              m->column, m->field);
                hgq_error_set_file(err, sh->file);
                hgq_error_set_sheet(err, sh->name);
                return HGQ_ENOTFOUND;
            }
        }
        for (c = 0; c < h->ncols; c++)
            if (h->field[c] == f)
                h->field[c] = -1;
        h->field[col] = f;
    }
    /* then the header names */
    for (c = 0; c < h->ncols; c++) {
        long f;
        uint32_t d;
        int taken = 0;
        if (h->field[c] >= 0)
            continue;
        f = column_field(s, sh, h, c);
        if (f < 0)
            continue;
        for (d = 0; d < h->ncols; d++)
            if (h->field[d] == f)
                taken = 1;
        for (i = 0; i < opt->nmapping; i++)
            if (opt->mapping[i].field && hgq_schema_find_field(s, opt->mapping[i].field) == f)
                taken = 1;
        if (!taken)
            h->field[c] = f;
    }
    return HGQ_OK;
}

/* }==================================================================== */
