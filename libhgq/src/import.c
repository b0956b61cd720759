/*
 * import.c - importing a roster sheet as records of an entity.
 *
 * Only the head of the sheet is held in memory: its first rows, where the
 * header is found (header.c). The rows below the header are then read one
 * at a time and each classified as it comes: blank (nothing in the mapped
 * columns), note (a footnote), totals (合计/总计/小计 in its first cells) or
 * data. Data rows are normalised field by field and either appended to the
 * entity's table or refused with a finding naming the row; totals rows are
 * checked against running sums of the data rows above them. A lone text in
 * a mapped column ("以上数据截至8月31日。") is a footnote only when nothing
 * but blank rows and footnotes follows it, so such rows are held back until
 * a later row decides (at most HGQ_IMPORT_MAX_PENDING of them). A range
 * merged down over data rows (a class written once for several students)
 * fills them from its first cell, kept from when that row was read. The
 * row balance read = accepted + rejected + skipped holds by construction:
 * every row below the header gets exactly one kind.
 *
 * Rows are taken in file order, which is increasing row order for every
 * real writer; the head is sorted, as header detection wants.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_internal.h"

enum row_kind { ROW_DATA, ROW_BLANK, ROW_NOTE, ROW_TOTAL, ROW_SUBTOTAL };

void hgq_import_options_init(hgq_import_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->sheet_index = -1;
    opt->header_row = -1;
    opt->header_rows = 0;
    opt->check_totals = 1;
    opt->scan_rows = 30;
}

void hgq_import_summary_free(hgq_import_summary *sum)
{
    if (!sum)
        return;
    if (sum->storage_) {
        hgq_summary_store *store = sum->storage_;
        hgq_arena_free(&store->arena);
        free(store);
    }
    memset(sum, 0, sizeof *sum);
}

/* {====================================================================
 * Summary
 * ===================================================================== */

size_t hgq_import_rows_held_peak(const hgq_import_summary *sum)
{
    const hgq_summary_store *store = sum ? sum->storage_ : NULL;
    return store ? store->rows_held_peak : 0;
}

hgq_status hgq_model_summary_begin(hgq_import_summary *sum, const char *file, const char *sheet,
                                const char *entity, hgq_error *err)
{
    hgq_summary_store *store;
    hgq_arena *a;
    memset(sum, 0, sizeof *sum);
    sum->header_row = -1;
    store = malloc(sizeof *store);
    if (!store)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    hgq_arena_init(&store->arena);
    store->rows_held_peak = 0;
    sum->storage_ = store;
    a = &store->arena;
    sum->file = hgq_arena_strdup(a, file ? file : "");
    sum->sheet = hgq_arena_strdup(a, sheet ? sheet : "");
    sum->entity = hgq_arena_strdup(a, entity ? entity : "");
    if (!sum->file || !sum->sheet || !sum->entity)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    return HGQ_OK;
}

static hgq_status summary_columns(hgq_import_summary *sum, const hgq_schema *s,
                                  const hgq_header *h, hgq_error *err)
{
    hgq_arena *a = &((hgq_summary_store *)sum->storage_)->arena;
    uint32_t c;
    size_t n = 0, i;
    sum->header_row = h->row;
    sum->header_rows = h->nrows;
    for (c = 0; c < h->ncols; c++)
        if (*h->names[c] || h->field[c] >= 0)
            n++;
    sum->columns = n ? hgq_arena_alloc(a, n * sizeof *sum->columns) : NULL;
    if (n && !sum->columns)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    for (c = 0; c < h->ncols; c++) {
        hgq_import_column *col;
        hgq_field_info fi;
        if (!*h->names[c] && h->field[c] < 0)
            continue;
        col = &sum->columns[sum->ncolumns++];
        col->col = c;
        col->header = hgq_arena_strdup(a, h->names[c]);
        col->field = NULL;
        col->unit = *h->units[c] ? hgq_arena_strdup(a, h->units[c]) : NULL;
        if (h->field[c] >= 0 && hgq_schema_field_info(s, (size_t)h->field[c], &fi))
            col->field = hgq_arena_strdup(a, fi.id);
        else
            sum->nunmapped++;
        if (!col->header)
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    }
    /* required fields without a column */
    n = 0;
    for (i = 0; i < hgq_schema_field_count(s); i++) {
        hgq_field_info fi;
        int mapped = 0;
        hgq_schema_field_info(s, i, &fi);
        for (c = 0; c < h->ncols; c++)
            if (h->field[c] == (long)i)
                mapped = 1;
        if ((fi.flags & HGQ_FIELD_REQUIRED) && !mapped)
            n++;
    }
    sum->missing = n ? hgq_arena_alloc(a, n * sizeof *sum->missing) : NULL;
    if (n && !sum->missing)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    for (i = 0; i < hgq_schema_field_count(s); i++) {
        hgq_field_info fi;
        int mapped = 0;
        hgq_schema_field_info(s, i, &fi);
        for (c = 0; c < h->ncols; c++)
            if (h->field[c] == (long)i)
                mapped = 1;
        if ((fi.flags & HGQ_FIELD_REQUIRED) && !mapped)
            sum->missing[sum->nmissing++] = hgq_arena_strdup(a, fi.id);
    }
    return HGQ_OK;
}

/* }==================================================================== */

/* {====================================================================
 * Rows
 * ===================================================================== */

/* The first `max` cells with content, in column order. */
static size_t content_cells(const hgq_row *r, const hgq_cell **out, size_t max)
{
    size_t i, n = 0;
    for (i = 0; i < r->ncells && n < max; i++)
        if (hgq_cell_has_content(&r->cells[i]))
            out[n++] = &r->cells[i];
    return n;
}

static int is_text(const hgq_cell *c)
{
    return c && c->type == HGQ_CELL_STRING && c->text;
}

/* 0 when the text cannot be a totals label: each word that
 * hgq_model_is_total_label knows (合计 总计 小计 共计 总数) has 计 or 数,
 * and its folding leaves CJK text alone. Saves computing a key for the
 * first cells of every row. */
static int may_be_total(const hgq_cell *c)
{
    const unsigned char *s = (const unsigned char *)c->text;
    size_t i;
    for (i = 0; i + 2 < c->text_len; i++)
        if ((s[i] == 0xE8 && s[i + 1] == 0xAE && s[i + 2] == 0xA1) ||   /* 计 */
            (s[i] == 0xE6 && s[i + 1] == 0x95 && s[i + 2] == 0xB0))     /* 数 */
            return 1;
    return 0;
}

static int subtotal_label(const hgq_cell *c)
{
    char k[HGQ_KEY_MAX];
    size_t n = hgq_model_key(c->text, c->text_len, k, sizeof k);
    return n != (size_t)-1 && n >= 6 && memcmp(k, "小计", 6) == 0;
}

static enum row_kind classify(const hgq_row *r, const hgq_header *h)
{
    const hgq_cell *first[4];
    size_t n = content_cells(r, first, 4), i;
    int mapped = 0;
    if (n == 0)
        return ROW_BLANK;
    /* a footnote is a line or two of text ("填表人：… 审核人：… 日期：…"),
     * not a record that happens to start with such a word */
    if (n <= 3 && is_text(first[0]) && hgq_model_is_note_text(first[0]->text, first[0]->text_len))
        return ROW_NOTE;
    if (n > 2)
        n = 2;
    for (i = 0; i < n; i++)
        if (is_text(first[i]) && may_be_total(first[i]) &&
            hgq_model_is_total_label(first[i]->text, first[i]->text_len))
            return subtotal_label(first[i]) ? ROW_SUBTOTAL : ROW_TOTAL;
    for (i = 0; i < r->ncells; i++) {
        uint32_t c = r->cells[i].col;
        if (c < h->ncols && h->field[c] >= 0 && hgq_cell_has_content(&r->cells[i]))
            mapped = 1;
    }
    return mapped ? ROW_DATA : ROW_BLANK;
}

/* A lone text at the bottom of the data is a footnote when it is in no
 * mapped column or reads like a sentence (a colon, a full stop). */
static int trailing_note(const hgq_row *r, const hgq_header *h)
{
    const hgq_cell *c[2];
    size_t n = content_cells(r, c, 2);
    if (n != 1 || !is_text(c[0]))
        return 0;
    if (c[0]->col >= h->ncols || h->field[c[0]->col] < 0)
        return 1;
    return strstr(c[0]->text, "：") || strchr(c[0]->text, ':') || strstr(c[0]->text, "。");
}

/* }==================================================================== */

/* {====================================================================
 * The table
 * ===================================================================== */

hgq_status hgq_entity_table(hgq_dataset *ds, const hgq_schema *s, hgq_table **out,
                            hgq_error *err)
{
    hgq_error_clear(err);
    hgq_table *t;
    size_t i;
    hgq_status st;
    int created = 0;
    if (!ds || !s || !out)
        return hgq_error_set(err, HGQ_EARG, "hgq_entity_table: NULL argument");
    t = hgq_dataset_table(ds, hgq_schema_entity(s));
    if (t && hgq_table_meta(t, "kind") && strcmp(hgq_table_meta(t, "kind"), "aggregate") == 0)
        return hgq_error_set(err, HGQ_EARG, "table '%s' holds an aggregate, not records",
                             hgq_schema_entity(s));
    if (!t) {
        t = hgq_table_new(hgq_schema_entity(s));
        if (!t)
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        created = 1;
        if ((st = hgq_table_set_meta(t, "kind", "records", err)) != HGQ_OK ||
            (st = hgq_table_set_meta(t, "entity", hgq_schema_entity(s), err)) != HGQ_OK ||
            (st = hgq_table_set_meta(t, "title", hgq_schema_label(s), err)) != HGQ_OK) {
            hgq_table_free(t);
            return st;
        }
    }
    for (i = 0; i < hgq_schema_field_count(s); i++) {
        hgq_field_info fi;
        hgq_schema_field_info(s, i, &fi);
        if (hgq_table_find_column(t, fi.id) < 0 &&
            (st = hgq_table_add_column(t, fi.id, fi.vtype, NULL, err)) != HGQ_OK) {
            if (created)
                hgq_table_free(t);
            return st;
        }
    }
    if (created && (st = hgq_dataset_add_table(ds, t, err)) != HGQ_OK)
        return st;
    *out = t;
    return HGQ_OK;
}

/* }==================================================================== */

/* {====================================================================
 * Import
 * ===================================================================== */

/* A row held back as a possible footnote: its cell per field (merged
 * ranges filled), copied. */
typedef struct held_row {
    uint32_t index;
    const hgq_cell **cells;    /* per field, NULL when none */
} held_row;

/* A value parsed for a field and the cell it was parsed from, so that the
 * same cell again (a class, a major, a status, a year met row after row)
 * reuses it: hgq_schema_parse depends on nothing else. */
typedef struct parse_memo {
    int valid;
    int none;              /* parsed from no cell */
    hgq_cell_type type;
    double number;
    hgq_buf text;
    hgq_parsed parsed;
} parse_memo;

/* Values remembered per field, and the longest text remembered. A field
 * whose values seldom repeat (names, ID numbers) stops being looked up
 * after MEMO_TRIAL rows that found less than one in MEMO_MIN_RATE again. */
#define MEMO_WAYS 8
#define MEMO_TEXT_MAX 256
#define MEMO_TRIAL 512
#define MEMO_MIN_RATE 8

/* Per field: how the memo does. */
typedef struct memo_use {
    unsigned looked, found;
    int off;               /* values do not repeat: parse each */
    unsigned char victim;  /* the memo to parse into on a miss */
} memo_use;

typedef struct importer {
    hgq_dataset *ds;
    const hgq_schema *s;
    hgq_sheet sh;          /* the head of the sheet */
    hgq_header h;
    hgq_table *t;
    const char *entity;
    size_t nfields;
    long *col_of;          /* per field: sheet column or -1 */
    long *tcol;            /* per field: table column */
    /* totals: running sums per field since the last 合计 / 小计 */
    double *sum_all, *sum_sub;
    long *first_all, *first_sub;   /* first sheet row of each window, -1 if none */
    int check_totals;
    parse_memo *memo;      /* per field: MEMO_WAYS values parsed lately */
    memo_use *use;         /* per field */
    const hgq_parsed **vals;   /* per field: the row being imported (in memo) */
    hgq_field_info *fi;    /* per field */
    hgq_rows *it;          /* the rest of the sheet */
    long data_row;         /* first sheet row below the header */
    /* the row being classified */
    const hgq_cell **bycol;    /* per header column: the row's cell there, or NULL */
    const hgq_cell **fcell;    /* per field: the cell it reads, merged ranges filled */
    /* ranges merged below the header, by first row (then file order) */
    const hgq_range **mr;
    size_t nm, mnext;
    hgq_cell *anchor;          /* per range: a copy of its first cell */
    unsigned char *anchored;   /* per range: 1 once that cell was read */
    size_t *active, nactive;   /* ranges over the current row (rows in order) */
    int in_order;              /* rows came in increasing order so far */
    long last_row;             /* last row read below the header, -1 before */
    hgq_arena keep;            /* texts of the anchors */
    /* rows held back as possible trailing footnotes */
    held_row *held;
    size_t nheld;
    hgq_arena held_arena;
    hgq_summary_store *store;
} importer;

static hgq_origin cell_origin(const importer *im, uint32_t row, uint32_t col)
{
    hgq_origin o;
    o.file = im->sh.file;
    o.sheet = im->sh.name;
    o.row = row;
    o.col = col;
    return o;
}

static hgq_status choose_sheet(hgq_workbook *wb, const hgq_schema *s, const hgq_import_options *opt,
                        size_t *out, hgq_error *err)
{
    size_t n = hgq_workbook_sheet_count(wb), i;
    int best = -1, best_score = 0;
    if (opt->sheet) {
        int k = hgq_workbook_find_sheet(wb, opt->sheet);
        if (k < 0) {
            hgq_error_set(err, HGQ_ENOTFOUND, "no sheet named '%s'", opt->sheet);
            hgq_error_set_file(err, hgq_workbook_path(wb));
            return HGQ_ENOTFOUND;
        }
        *out = (size_t)k;
        return HGQ_OK;
    }
    if (opt->sheet_index >= 0) {
        if ((size_t)opt->sheet_index >= n) {
            hgq_error_set(err, HGQ_ENOTFOUND, "no sheet %ld (the workbook has %zu)",
                          opt->sheet_index, n);
            hgq_error_set_file(err, hgq_workbook_path(wb));
            return HGQ_ENOTFOUND;
        }
        *out = (size_t)opt->sheet_index;
        return HGQ_OK;
    }
    if (n == 0) {
        hgq_error_set(err, HGQ_ENOTFOUND, "the workbook has no sheet");
        hgq_error_set_file(err, hgq_workbook_path(wb));
        return HGQ_ENOTFOUND;
    }
    for (i = 0; i < n; i++) {
        const hgq_sheet_info *info = hgq_workbook_sheet(wb, i);
        hgq_sheet sh;
        size_t r;
        int score = 0;
        if (info->visibility != HGQ_VISIBLE)
            continue;
        if (best < 0)
            best = (int)i;
        if (n == 1)
            break;
        {
            hgq_status st = hgq_sheet_load(&sh, wb, i, opt->scan_rows ? opt->scan_rows : 30, err);
            if (st != HGQ_OK) {
                hgq_sheet_free(&sh);
                return st;
            }
        }
        for (r = 0; r < sh.nrows; r++) {
            int sc = hgq_header_score_row(s, &sh, sh.rows[r].index);
            if (sc > score)
                score = sc;
        }
        hgq_sheet_free(&sh);
        if (score > best_score) {
            best_score = score;
            best = (int)i;
        }
    }
    *out = best < 0 ? 0 : (size_t)best;
    return HGQ_OK;
}

static void field_info(const importer *im, size_t f, hgq_field_info *fi)
{
    *fi = im->fi[f];
}

/* The findings about the header: unmapped columns, missing required fields. */
static hgq_status header_findings(importer *im)
{
    uint32_t c;
    size_t f;
    hgq_status st = HGQ_OK;
    for (c = 0; c < im->h.ncols && st == HGQ_OK; c++) {
        char col[8], key[HGQ_KEY_MAX];
        hgq_origin o;
        if (im->h.field[c] >= 0 || !*im->h.names[c])
            continue;
        hgq_model_key(im->h.names[c], strlen(im->h.names[c]), key, sizeof key);
        if (strcmp(key, "序号") == 0 || strcmp(key, "编号") == 0)
            continue;
        hgq_ref_format_col(c, col, sizeof col);
        o = cell_origin(im, (uint32_t)(im->h.row + im->h.nrows - 1), c);
        st = hgq_dataset_add_finding(im->ds, HGQ_SEV_NOTE, "import.unmapped", im->entity, NULL,
                                     &o, NULL, "%s列「%s」不对应%s的任何字段，未导入", col,
                                     im->h.names[c], hgq_schema_label(im->s));
    }
    for (f = 0; f < im->nfields && st == HGQ_OK; f++) {
        hgq_field_info fi;
        hgq_origin o;
        field_info(im, f, &fi);
        if (!(fi.flags & HGQ_FIELD_REQUIRED) || im->col_of[f] >= 0)
            continue;
        o = cell_origin(im, (uint32_t)im->h.row, HGQ_WHOLE_ROW);
        st = hgq_dataset_add_finding(im->ds, HGQ_SEV_ERROR, "import.missing_field", im->entity,
                                     fi.id, &o, NULL, "%s表缺少必填列「%s」（可用表头：%s等）",
                                     hgq_schema_label(im->s), fi.label,
                                     hgq_schema_field_header(im->s, f, fi.nheaders > 2 ? 2 : 0));
    }
    return st;
}

/* {====================================================================
 * Ranges merged down over data rows
 * ===================================================================== */

typedef struct range_ref {
    uint32_t first_row;
    size_t index;          /* in the sheet's ranges, file order */
} range_ref;

static int cmp_range_ref(const void *a, const void *b)
{
    const range_ref *x = a, *y = b;
    if (x->first_row != y->first_row)
        return x->first_row < y->first_row ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Lists the ranges starting below the header, by first row. */
static hgq_status ranges_begin(importer *im, hgq_error *err)
{
    range_ref *refs;
    size_t i, n = 0;
    for (i = 0; i < im->sh.nmerges; i++)
        if ((long)im->sh.merges[i].first_row >= im->data_row)
            n++;
    if (n == 0)
        return HGQ_OK;
    refs = malloc(n * sizeof *refs);
    im->mr = malloc(n * sizeof *im->mr);
    im->anchor = calloc(n, sizeof *im->anchor);
    im->anchored = calloc(n, 1);
    im->active = malloc(n * sizeof *im->active);
    if (!refs || !im->mr || !im->anchor || !im->anchored || !im->active) {
        free(refs);
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    }
    for (i = 0; i < im->sh.nmerges; i++)
        if ((long)im->sh.merges[i].first_row >= im->data_row) {
            refs[im->nm].first_row = im->sh.merges[i].first_row;
            refs[im->nm].index = i;
            im->nm++;
        }
    qsort(refs, n, sizeof *refs, cmp_range_ref);
    for (i = 0; i < n; i++)
        im->mr[i] = &im->sh.merges[refs[i].index];
    free(refs);
    return HGQ_OK;
}

/* Keeps a copy of the first cell of range k, which starts on row r. */
static hgq_status keep_anchor(importer *im, size_t k, const hgq_row *r)
{
    const hgq_cell *c = hgq_cells_find(r->cells, r->ncells, im->mr[k]->first_col);
    hgq_cell *d = &im->anchor[k];
    if (!c)
        return HGQ_OK;
    *d = *c;
    d->formula = NULL;
    d->numfmt = "General";
    if (c->text && !(d->text = hgq_arena_strndup(&im->keep, c->text, c->text_len)))
        return HGQ_ENOMEM;
    im->anchored[k] = 1;
    return HGQ_OK;
}

/* Brings the ranges up to row r: those over it become active, and the
 * first cell of those starting on it is kept. Rows out of order turn the
 * active list off for good (every lookup then scans all ranges). */
static hgq_status follow_ranges(importer *im, const hgq_row *r)
{
    size_t i, j;
    hgq_status st = HGQ_OK;
    if (im->in_order && (long)r->index > im->last_row) {
        for (i = j = 0; i < im->nactive; i++)
            if (im->mr[im->active[i]]->last_row >= r->index)
                im->active[j++] = im->active[i];
        im->nactive = j;
        for (; im->mnext < im->nm && im->mr[im->mnext]->first_row <= r->index; im->mnext++) {
            const hgq_range *m = im->mr[im->mnext];
            if (m->last_row >= r->index)
                im->active[im->nactive++] = im->mnext;
            if (m->first_row == r->index && st == HGQ_OK)
                st = keep_anchor(im, im->mnext, r);
        }
        im->last_row = r->index;
        return st;
    }
    im->in_order = 0;
    for (i = 0; i < im->nm && st == HGQ_OK; i++)
        if (im->mr[i]->first_row == r->index && !im->anchored[i])
            st = keep_anchor(im, i, r);
    return st;
}

/* When a range starting below the header covers row/col (and row/col is
 * not its first cell): 1, with *out its first cell (NULL when that cell
 * was not there). The first such range in file order counts. */
static int range_fill(const importer *im, uint32_t row, uint32_t col, const hgq_cell **out)
{
    size_t i, n = im->in_order ? im->nactive : im->nm, best = 0;
    const hgq_range *found = NULL;
    for (i = 0; i < n; i++) {
        size_t k = im->in_order ? im->active[i] : i;
        const hgq_range *m = im->mr[k];
        if (row >= m->first_row && row <= m->last_row && col >= m->first_col &&
            col <= m->last_col && (!found || m < found)) {
            found = m;
            best = k;
        }
    }
    if (!found || (found->first_row == row && found->first_col == col))
        return 0;
    *out = im->anchored[best] ? &im->anchor[best] : NULL;
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Rows below the header
 * ===================================================================== */

static void set_columns(importer *im, const hgq_row *r, int on)
{
    size_t i;
    for (i = 0; i < r->ncells; i++)
        if (r->cells[i].col < im->h.ncols)
            im->bycol[r->cells[i].col] = on ? &r->cells[i] : NULL;
}

/* The cell each field reads from the current row (set_columns), a range
 * merged down over it filling an empty cell. */
static void field_cells(importer *im, uint32_t row)
{
    size_t f;
    for (f = 0; f < im->nfields; f++) {
        long col = im->col_of[f];
        const hgq_cell *c = col >= 0 ? im->bycol[col] : NULL, *m;
        if (col >= 0 && im->nm && !hgq_cell_has_content(c) &&
            range_fill(im, row, (uint32_t)col, &m))
            c = m;
        im->fcell[f] = c;
    }
}

/* Appends `reason` to the reasons of a refused row. */
static void add_reason(hgq_buf *b, const char *reason)
{
    if (b->len)
        hgq_buf_append_str(b, "；");
    hgq_buf_append_str(b, reason);
}

static void track_number(importer *im, size_t f, const hgq_value *v, uint32_t row)
{
    double x;
    if (!hgq_value_number(v, &x))
        return;
    im->sum_all[f] += x;
    im->sum_sub[f] += x;
    if (im->first_all[f] < 0)
        im->first_all[f] = row;
    if (im->first_sub[f] < 0)
        im->first_sub[f] = row;
}

static int memo_same(const parse_memo *m, const hgq_cell *c)
{
    size_t len;
    if (!m->valid)
        return 0;
    if (!c || m->none)
        return !c && m->none;
    if (c->type != m->type)
        return 0;
    switch (c->type) {
    case HGQ_CELL_NUMBER:
    case HGQ_CELL_DATE:
    case HGQ_CELL_BOOL:
        return memcmp(&c->number, &m->number, sizeof m->number) == 0;
    case HGQ_CELL_EMPTY:
        return 1;
    default:
        len = c->text ? c->text_len : 0;
        return len == m->text.len && (len == 0 || memcmp(c->text, m->text.data, len) == 0);
    }
}

static void memo_set(parse_memo *m, const hgq_cell *c)
{
    m->valid = 0;
    m->none = !c;
    if (!c) {
        m->valid = 1;
        return;
    }
    m->type = c->type;
    m->number = c->number;
    hgq_buf_clear(&m->text);
    if (c->text && c->text_len) {
        if (c->text_len > MEMO_TEXT_MAX || hgq_buf_append(&m->text, c->text, c->text_len) != 0)
            return;
    }
    m->valid = 1;
}

static void row_label(uint32_t index, char *buf, size_t size)
{
    snprintf(buf, size, "第%lu行", (unsigned long)index + 1);
}

/* Field f's value for cell c, parsed or remembered. */
static const hgq_parsed *parse_field(importer *im, size_t f, const hgq_cell *c)
{
    parse_memo *m = &im->memo[f * MEMO_WAYS];
    memo_use *u = &im->use[f];
    long col = im->col_of[f];
    size_t i;
    if (u->off) {
        hgq_parsed_clear(&m->parsed);
        hgq_schema_parse(im->s, f, c, *im->h.units[col] ? im->h.units[col] : NULL, &m->parsed);
        return &m->parsed;
    }
    u->looked++;
    for (i = 0; i < MEMO_WAYS; i++)
        if (memo_same(&m[i], c)) {
            u->found++;
            return &m[i].parsed;
        }
    if (u->looked >= MEMO_TRIAL && u->found < u->looked / MEMO_MIN_RATE) {
        u->off = 1;
        u->victim = 0;
        for (i = 0; i < MEMO_WAYS; i++)
            m[i].valid = 0;
    }
    m = &m[u->victim];
    u->victim = (unsigned char)(u->off ? 0 : (u->victim + 1) % MEMO_WAYS);
    hgq_parsed_clear(&m->parsed);
    hgq_schema_parse(im->s, f, c, *im->h.units[col] ? im->h.units[col] : NULL, &m->parsed);
    if (!u->off)
        memo_set(m, c);
    return &m->parsed;
}

/* One data row (sheet row `index`, the cell of each field in fc): parse
 * every mapped field, then append or refuse. */
static hgq_status import_row(importer *im, uint32_t index, const hgq_cell *const *fc,
                             hgq_import_summary *sum)
{
    const hgq_parsed **vals = im->vals;
    hgq_buf why;
    hgq_status st = HGQ_OK;
    const char *bad_field = NULL;
    size_t f, row;
    char rowlabel[32];
    hgq_buf_init(&why);
    for (f = 0; f < im->nfields; f++) {
        const hgq_field_info *fi = &im->fi[f];
        long col = im->col_of[f];
        if (col < 0)
            continue;
        vals[f] = parse_field(im, f, fc[f]);
        if (vals[f]->status == HGQ_PARSE_OK && (fi->type == HGQ_FT_INT || fi->type == HGQ_FT_NUM))
            track_number(im, f, &vals[f]->value, index);
        if (fi->flags & HGQ_FIELD_REQUIRED) {
            char reason[400];
            if (vals[f]->status == HGQ_PARSE_EMPTY) {
                snprintf(reason, sizeof reason, "缺少%s", fi->label);
                add_reason(&why, reason);
                if (!bad_field)
                    bad_field = fi->id;
            } else if (vals[f]->status == HGQ_PARSE_BAD) {
                snprintf(reason, sizeof reason, "%s%s", fi->label, vals[f]->reason);
                add_reason(&why, reason);
                if (!bad_field)
                    bad_field = fi->id;
            }
        }
    }
    if (why.len || (why.data == NULL && bad_field)) {
        hgq_origin o = cell_origin(im, index, HGQ_WHOLE_ROW);
        sum->rows_rejected++;
        row_label(index, rowlabel, sizeof rowlabel);
        st = hgq_dataset_add_finding(im->ds, HGQ_SEV_ERROR, "import.rejected", im->entity,
                                     bad_field, &o, NULL, "%s未导入：%s", rowlabel,
                                     why.data ? why.data : "内存不足");
        goto done;
    }
    /* accepted: bad optional values are left empty, with a finding each */
    if ((st = hgq_table_append_row(im->t, &row, NULL)) != HGQ_OK)
        goto done;
    {
        hgq_origin ro = cell_origin(im, index, HGQ_WHOLE_ROW);
        if ((st = hgq_table_set_row_origin(im->t, row, &ro, NULL)) != HGQ_OK)
            goto done;
    }
    for (f = 0; f < im->nfields && st == HGQ_OK; f++) {
        hgq_origin o;
        if (im->col_of[f] < 0)
            continue;
        o = cell_origin(im, index, (uint32_t)im->col_of[f]);
        if (vals[f]->status == HGQ_PARSE_OK) {
            st = hgq_table_set(im->t, row, (size_t)im->tcol[f], &vals[f]->value, NULL);
            if (st == HGQ_OK)
                st = hgq_table_set_origin(im->t, row, (size_t)im->tcol[f], &o, NULL);
        } else if (vals[f]->status == HGQ_PARSE_BAD) {
            hgq_field_info fi;
            int id = strcmp(vals[f]->code, "value.id_numeric") == 0;
            field_info(im, f, &fi);
            row_label(index, rowlabel, sizeof rowlabel);
            st = hgq_table_set_origin(im->t, row, (size_t)im->tcol[f], &o, NULL);
            if (st == HGQ_OK)
                st = hgq_dataset_add_finding(im->ds, id ? HGQ_SEV_ERROR : HGQ_SEV_WARNING,
                                             vals[f]->code, im->entity, fi.id, &o, NULL,
                                             "%s%s%s，已留空", rowlabel, fi.label, vals[f]->reason);
        }
    }
    if (st == HGQ_OK)
        sum->rows_accepted++;
done:
    hgq_buf_free(&why);
    return st;
}

/* A totals row (sheet row `index`, its cells in im->bycol): each numeric
 * field it has a number for must equal the sum of the rows above it (since
 * the last 合计, or for 小计 the last subtotal). */
static hgq_status check_total(importer *im, uint32_t index, int sub)
{
    size_t f;
    hgq_status st = HGQ_OK;
    for (f = 0; f < im->nfields && st == HGQ_OK; f++) {
        hgq_field_info fi;
        hgq_parsed p;
        const hgq_cell *c;
        double total, sum;
        long first;
        field_info(im, f, &fi);
        if (im->col_of[f] < 0 || (fi.type != HGQ_FT_INT && fi.type != HGQ_FT_NUM))
            continue;
        c = im->bycol[im->col_of[f]];
        if (!hgq_cell_has_content(c))
            continue;
        hgq_schema_parse(im->s, f, c, *im->h.units[im->col_of[f]] ? im->h.units[im->col_of[f]] : NULL, &p);
        if (p.status != HGQ_PARSE_OK || !hgq_value_number(&p.value, &total)) {
            hgq_parsed_clear(&p);
            continue;
        }
        hgq_parsed_clear(&p);
        sum = sub ? im->sum_sub[f] : im->sum_all[f];
        first = sub ? im->first_sub[f] : im->first_all[f];
        if (fabs(total - sum) > 1e-6 * (fabs(sum) > 1 ? fabs(sum) : 1)) {
            hgq_origin w = cell_origin(im, index, (uint32_t)im->col_of[f]);
            hgq_origin o = cell_origin(im, first >= 0 ? (uint32_t)first : index,
                                       (uint32_t)im->col_of[f]);
            char tw[64], ts[64], ref[16], ref0[16];
            hgq_value vt = hgq_num(total), vs = hgq_num(sum);
            hgq_model_value_text(&vt, tw, sizeof tw);
            hgq_model_value_text(&vs, ts, sizeof ts);
            hgq_ref_format(w.row, w.col, ref, sizeof ref);
            if (first >= 0) {
                hgq_ref_format(o.row, o.col, ref0, sizeof ref0);
                st = hgq_dataset_add_finding(im->ds, HGQ_SEV_ERROR, "import.total", im->entity,
                                             fi.id, &w, &o,
                                             "第%lu行%s的%s为%s（%s），而上方各行（%s起）之和为%s",
                                             (unsigned long)index + 1, sub ? "小计" : "合计",
                                             fi.label, tw, ref, ref0, ts);
            } else {
                st = hgq_dataset_add_finding(im->ds, HGQ_SEV_ERROR, "import.total", im->entity,
                                             fi.id, &w, NULL,
                                             "第%lu行%s的%s为%s（%s），而上方没有可加总的数据",
                                             (unsigned long)index + 1, sub ? "小计" : "合计",
                                             fi.label, tw, ref);
            }
        }
    }
    for (f = 0; f < im->nfields; f++) {
        im->sum_sub[f] = 0;
        im->first_sub[f] = -1;
        if (!sub) {
            im->sum_all[f] = 0;
            im->first_all[f] = -1;
        }
    }
    return st;
}

/* Imports the rows held back: something other than a footnote follows
 * them, so they are data. */
static hgq_status release_held(importer *im, hgq_import_summary *sum)
{
    size_t i;
    hgq_status st = HGQ_OK;
    if (im->nheld == 0)
        return HGQ_OK;
    for (i = 0; i < im->nheld && st == HGQ_OK; i++) {
        sum->rows_read++;
        st = import_row(im, im->held[i].index, im->held[i].cells, sum);
    }
    im->nheld = 0;
    hgq_arena_free(&im->held_arena);
    return st;
}

/* Holds back the current row (its field cells in im->fcell) as a possible
 * footnote. */
static hgq_status hold_row(importer *im, uint32_t index, hgq_import_summary *sum)
{
    held_row *h;
    size_t f, held;
    hgq_status st;
    if (im->nheld == HGQ_IMPORT_MAX_PENDING && (st = release_held(im, sum)) != HGQ_OK)
        return st;
    h = &im->held[im->nheld];
    h->index = index;
    h->cells = hgq_arena_alloc(&im->held_arena, im->nfields * sizeof *h->cells + 1);
    if (!h->cells)
        return HGQ_ENOMEM;
    for (f = 0; f < im->nfields; f++) {
        const hgq_cell *c = im->fcell[f];
        hgq_cell *d = NULL;
        if (c) {
            d = hgq_arena_alloc(&im->held_arena, sizeof *d);
            if (!d)
                return HGQ_ENOMEM;
            *d = *c;
            d->formula = NULL;
            d->numfmt = "General";
            if (c->text && !(d->text = hgq_arena_strndup(&im->held_arena, c->text, c->text_len)))
                return HGQ_ENOMEM;
        }
        h->cells[f] = d;
    }
    im->nheld++;
    held = im->sh.nrows + im->nheld;
    if (held > im->store->rows_held_peak)
        im->store->rows_held_peak = held;
    return HGQ_OK;
}

/* One row read: classified and counted, imported, checked or held back. */
static hgq_status feed_row(importer *im, const hgq_row *r, hgq_import_summary *sum)
{
    hgq_status st = HGQ_OK;
    enum row_kind kind;
    if ((long)r->index < im->data_row)
        return HGQ_OK;                 /* the header, or above it */
    if (im->nm && (st = follow_ranges(im, r)) != HGQ_OK)
        return st;
    kind = classify(r, &im->h);
    switch (kind) {
    case ROW_BLANK:
        sum->rows_read++;
        sum->rows_blank++;
        break;
    case ROW_NOTE:
        sum->rows_read++;
        sum->rows_notes++;
        break;
    case ROW_TOTAL:
    case ROW_SUBTOTAL:
        if ((st = release_held(im, sum)) != HGQ_OK)
            break;
        sum->rows_read++;
        sum->rows_totals++;
        if (im->check_totals) {
            set_columns(im, r, 1);
            st = check_total(im, r->index, kind == ROW_SUBTOTAL);
            set_columns(im, r, 0);
        }
        break;
    default:
        set_columns(im, r, 1);
        field_cells(im, r->index);
        if (trailing_note(r, &im->h)) {
            st = hold_row(im, r->index, sum);
        } else if ((st = release_held(im, sum)) == HGQ_OK) {
            sum->rows_read++;
            st = import_row(im, r->index, im->fcell, sum);
        }
        set_columns(im, r, 0);
        break;
    }
    return st;
}

/* }==================================================================== */

static void importer_free(importer *im)
{
    size_t f;
    free(im->col_of);
    free(im->tcol);
    free(im->sum_all);
    free(im->sum_sub);
    free(im->first_all);
    free(im->first_sub);
    if (im->memo)
        for (f = 0; f < im->nfields * MEMO_WAYS; f++) {
            hgq_parsed_clear(&im->memo[f].parsed);
            hgq_buf_free(&im->memo[f].text);
        }
    free(im->vals);
    free(im->memo);
    free(im->use);
    free(im->fi);
    free(im->bycol);
    free(im->fcell);
    free(im->mr);
    free(im->anchor);
    free(im->anchored);
    free(im->active);
    free(im->held);
    hgq_arena_free(&im->keep);
    hgq_arena_free(&im->held_arena);
    hgq_rows_free(im->it);
    hgq_sheet_free(&im->sh);
}

hgq_status hgq_import(hgq_dataset *ds, const hgq_schemas *reg, hgq_workbook *wb,
                      const char *entity, const hgq_import_options *opt,
                      hgq_import_summary *summary, hgq_error *err)
{
    hgq_error_clear(err);
    hgq_import_options defaults;
    hgq_import_summary local;
    hgq_import_summary *sum = summary ? summary : &local;
    importer im;
    size_t sheet, i, f, keep;
    const hgq_row *next = NULL;
    hgq_status st;
    memset(&im, 0, sizeof im);
    memset(sum, 0, sizeof *sum);
    hgq_arena_init(&im.keep);
    hgq_arena_init(&im.held_arena);
    im.in_order = 1;
    im.last_row = -1;
    if (!ds || !reg || !wb || !entity)
        return hgq_error_set(err, HGQ_EARG, "hgq_import: NULL argument");
    im.s = hgq_schemas_get(reg, entity);
    if (!im.s)
        return hgq_error_set(err, HGQ_ENOTFOUND, "no entity named '%s'", entity);
    if (!opt) {
        hgq_import_options_init(&defaults);
        opt = &defaults;
    }
    im.ds = ds;
    im.entity = hgq_schema_entity(im.s);
    im.nfields = hgq_schema_field_count(im.s);
    im.check_totals = opt->check_totals;
    if ((st = choose_sheet(wb, im.s, opt, &sheet, err)) != HGQ_OK)
        return st;
    /* the head: the rows searched for the header and the one below them */
    keep = (size_t)(opt->scan_rows ? opt->scan_rows : 30) + 1;
    if ((st = hgq_sheet_load_head(&im.sh, wb, sheet, keep, opt->header_row, &im.it, &next,
                                  err)) != HGQ_OK)
        goto out;
    if ((st = hgq_model_summary_begin(sum, im.sh.file, im.sh.name, entity, err)) != HGQ_OK)
        goto out;
    im.store = sum->storage_;
    im.store->rows_held_peak = im.sh.nrows;
    if ((st = hgq_header_detect(im.s, &im.sh, opt, &im.h, err)) != HGQ_OK)
        goto out;
    im.data_row = im.h.row + im.h.nrows;
    im.col_of = malloc((im.nfields + 1) * sizeof *im.col_of);
    im.tcol = malloc((im.nfields + 1) * sizeof *im.tcol);
    im.sum_all = calloc(im.nfields + 1, sizeof *im.sum_all);
    im.sum_sub = calloc(im.nfields + 1, sizeof *im.sum_sub);
    im.first_all = malloc((im.nfields + 1) * sizeof *im.first_all);
    im.first_sub = malloc((im.nfields + 1) * sizeof *im.first_sub);
    im.vals = calloc(im.nfields + 1, sizeof *im.vals);
    im.memo = calloc(im.nfields * MEMO_WAYS + 1, sizeof *im.memo);
    im.use = calloc(im.nfields + 1, sizeof *im.use);
    im.fi = calloc(im.nfields + 1, sizeof *im.fi);
    im.fcell = calloc(im.nfields + 1, sizeof *im.fcell);
    im.bycol = calloc((size_t)im.h.ncols + 1, sizeof *im.bycol);
    im.held = malloc(HGQ_IMPORT_MAX_PENDING * sizeof *im.held);
    if (!im.col_of || !im.tcol || !im.sum_all || !im.sum_sub || !im.first_all || !im.first_sub ||
        !im.vals || !im.memo || !im.use || !im.fi || !im.fcell || !im.bycol || !im.held) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto out;
    }
    for (f = 0; f < im.nfields; f++) {
        uint32_t c;
        im.col_of[f] = -1;
        im.first_all[f] = im.first_sub[f] = -1;
        hgq_schema_field_info(im.s, f, &im.fi[f]);
        for (c = 0; c < im.h.ncols; c++)
            if (im.h.field[c] == (long)f)
                im.col_of[f] = c;
    }
    if ((st = ranges_begin(&im, err)) != HGQ_OK)
        goto out;
    if ((st = summary_columns(sum, im.s, &im.h, err)) != HGQ_OK)
        goto out;
    if ((st = hgq_entity_table(ds, im.s, &im.t, err)) != HGQ_OK)
        goto out;
    for (f = 0; f < im.nfields; f++) {
        hgq_field_info fi;
        hgq_schema_field_info(im.s, f, &fi);
        im.tcol[f] = hgq_table_find_column(im.t, fi.id);
    }
    sum->first_record = hgq_table_nrows(im.t);
    if ((st = header_findings(&im)) != HGQ_OK) {
        hgq_error_set(err, st, "out of memory");
        goto out;
    }
    /* the rows of the head below the header, then the rest as read */
    for (i = 0; i < im.sh.nrows && st == HGQ_OK; i++) {
        hgq_row r;
        r.index = im.sh.rows[i].index;
        r.ncells = im.sh.rows[i].ncells;
        r.cells = im.sh.rows[i].cells;
        st = feed_row(&im, &r, sum);
    }
    while (st == HGQ_OK && next) {
        hgq_status rst;
        if ((st = feed_row(&im, next, sum)) != HGQ_OK)
            break;
        if ((rst = hgq_rows_next(im.it, &next, err)) != HGQ_OK) {
            st = rst;                  /* the reader's error, as it gave it */
            goto out;
        }
    }
    if (st != HGQ_OK) {
        hgq_error_set(err, st, "%s", st == HGQ_ENOMEM ? "out of memory" : "cannot store a record");
        goto out;
    }
    /* held back to the end: footnotes */
    sum->rows_read += im.nheld;
    sum->rows_notes += im.nheld;
    im.nheld = 0;
    {
        hgq_source src;
        sum->rows_skipped = sum->rows_blank + sum->rows_totals + sum->rows_notes;
        src.file = im.sh.file;
        src.sheet = im.sh.name;
        src.entity = im.entity;
        src.rows_read = sum->rows_read;
        src.rows_accepted = sum->rows_accepted;
        src.rows_rejected = sum->rows_rejected;
        src.rows_skipped = sum->rows_skipped;
        st = hgq_dataset_add_source(ds, &src, err);
    }
out:
    sum->rows_skipped = sum->rows_blank + sum->rows_totals + sum->rows_notes;
    if (st != HGQ_OK && err && !err->file[0])
        hgq_error_set_file(err, im.sh.file ? im.sh.file : hgq_workbook_path(wb));
    if (st != HGQ_OK && err && !err->sheet[0] && im.sh.name)
        hgq_error_set_sheet(err, im.sh.name);
    importer_free(&im);
    if (!summary)
        hgq_import_summary_free(&local);
    return st;
}

hgq_status hgq_model_open_file(hgq_workbook **wb, const char *fn, const char *path,
                               const hgq_reader_options *ropt,
                               hgq_import_summary *summary, hgq_error *err)
{
    hgq_error_clear(err);
    *wb = NULL;
    if (summary)
        memset(summary, 0, sizeof *summary);
    if (!path)
        return hgq_error_set(err, HGQ_EARG, "%s: NULL path", fn);
    return hgq_workbook_open(wb, path, ropt, err);
}

hgq_status hgq_import_file(hgq_dataset *ds, const hgq_schemas *reg, const char *path,
                           const char *entity, const hgq_import_options *opt,
                           const hgq_reader_options *ropt,
                           hgq_import_summary *summary, hgq_error *err)
{
    hgq_workbook *wb;
    hgq_status st = hgq_model_open_file(&wb, "hgq_import_file", path, ropt, summary, err);
    if (st != HGQ_OK)
        return st;
    st = hgq_import(ds, reg, wb, entity, opt, summary, err);
    hgq_workbook_free(wb);
    return st;
}

/* }==================================================================== */
