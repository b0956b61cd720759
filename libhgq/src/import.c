/*
 * import.c - importing a roster sheet as records of an entity.
 *
 * The sheet is read whole into memory (hgq_sheet), its header found
 * (header.c), and each row below it classified before any is imported:
 * blank (nothing in the mapped columns), note (a footnote, or a lone text
 * at the bottom), totals (合计/总计/小计 in its first cells) or data. Data
 * rows are then normalised field by field and either appended to the
 * entity's table or refused with a finding naming the row; totals rows are
 * checked against the sums of the data rows above them. The row balance
 * read = accepted + rejected + skipped holds by construction: every row
 * below the header gets exactly one kind.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

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
        hgq_arena_free(sum->storage_);
        free(sum->storage_);
    }
    memset(sum, 0, sizeof *sum);
}

/* {====================================================================
 * Summary
 * ===================================================================== */

hgq_status hgq_model_summary_begin(hgq_import_summary *sum, const char *file, const char *sheet,
                                const char *entity, hgq_error *err)
{
    hgq_arena *a;
    memset(sum, 0, sizeof *sum);
    sum->header_row = -1;
    a = malloc(sizeof *a);
    if (!a)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    hgq_arena_init(a);
    sum->storage_ = a;
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
    hgq_arena *a = sum->storage_;
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
static size_t content_cells(const hgq_sheet_row *r, const hgq_cell **out, size_t max)
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

static int subtotal_label(const hgq_cell *c)
{
    char k[HGQ_KEY_MAX];
    size_t n = hgq_model_key(c->text, c->text_len, k, sizeof k);
    return n != (size_t)-1 && n >= 6 && memcmp(k, "小计", 6) == 0;
}

static enum row_kind classify(const hgq_sheet_row *r, const hgq_header *h)
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
        if (is_text(first[i]) && hgq_model_is_total_label(first[i]->text, first[i]->text_len))
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
static int trailing_note(const hgq_sheet_row *r, const hgq_header *h)
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

typedef struct importer {
    hgq_dataset *ds;
    const hgq_schema *s;
    hgq_sheet sh;
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
    hgq_parsed *vals;      /* per field: the row being imported */
    uint32_t *cols;        /* per field: its sheet column */
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
    hgq_schema_field_info(im->s, f, fi);
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

/* The cell at row/col, or, when it is empty and a range merged down from a
 * data row covers it (a class written once for several students), that
 * range's first cell. A range reaching up into the header fills nothing. */
static const hgq_cell *data_cell(const importer *im, uint32_t row, uint32_t col)
{
    const hgq_cell *c = hgq_sheet_cell(&im->sh, row, col);
    const hgq_range *m;
    if (hgq_cell_has_content(c))
        return c;
    m = hgq_sheet_merge_at(&im->sh, row, col);
    if (m && (long)m->first_row >= im->h.row + im->h.nrows &&
        (m->first_row != row || m->first_col != col))
        return hgq_sheet_cell(&im->sh, m->first_row, m->first_col);
    return c;
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

/* One data row: parse every mapped field, then append or refuse. */
static hgq_status import_row(importer *im, const hgq_sheet_row *r, hgq_import_summary *sum)
{
    hgq_parsed *vals = im->vals;
    uint32_t *cols = im->cols;
    hgq_buf why;
    hgq_status st = HGQ_OK;
    const char *bad_field = NULL;
    size_t f, row;
    char rowlabel[32];
    hgq_buf_init(&why);
    snprintf(rowlabel, sizeof rowlabel, "第%lu行", (unsigned long)r->index + 1);
    for (f = 0; f < im->nfields; f++) {
        hgq_field_info fi;
        const hgq_cell *c;
        long col = im->col_of[f];
        field_info(im, f, &fi);
        vals[f].status = HGQ_PARSE_EMPTY;
        vals[f].long_text = NULL;
        if (col < 0)
            continue;
        cols[f] = (uint32_t)col;
        c = data_cell(im, r->index, (uint32_t)col);
        hgq_schema_parse(im->s, f, c, *im->h.units[col] ? im->h.units[col] : NULL, &vals[f]);
        if (vals[f].status == HGQ_PARSE_OK && (fi.type == HGQ_FT_INT || fi.type == HGQ_FT_NUM))
            track_number(im, f, &vals[f].value, r->index);
        if (fi.flags & HGQ_FIELD_REQUIRED) {
            char reason[400];
            if (vals[f].status == HGQ_PARSE_EMPTY) {
                snprintf(reason, sizeof reason, "缺少%s", fi.label);
                add_reason(&why, reason);
                if (!bad_field)
                    bad_field = fi.id;
            } else if (vals[f].status == HGQ_PARSE_BAD) {
                snprintf(reason, sizeof reason, "%s%s", fi.label, vals[f].reason);
                add_reason(&why, reason);
                if (!bad_field)
                    bad_field = fi.id;
            }
        }
    }
    if (why.len || (why.data == NULL && bad_field)) {
        hgq_origin o = cell_origin(im, r->index, HGQ_WHOLE_ROW);
        sum->rows_rejected++;
        st = hgq_dataset_add_finding(im->ds, HGQ_SEV_ERROR, "import.rejected", im->entity,
                                     bad_field, &o, NULL, "%s未导入：%s", rowlabel,
                                     why.data ? why.data : "内存不足");
        goto done;
    }
    /* accepted: bad optional values are left empty, with a finding each */
    if ((st = hgq_table_append_row(im->t, &row, NULL)) != HGQ_OK)
        goto done;
    {
        hgq_origin ro = cell_origin(im, r->index, HGQ_WHOLE_ROW);
        if ((st = hgq_table_set_row_origin(im->t, row, &ro, NULL)) != HGQ_OK)
            goto done;
    }
    for (f = 0; f < im->nfields && st == HGQ_OK; f++) {
        hgq_origin o;
        hgq_field_info fi;
        if (im->col_of[f] < 0)
            continue;
        o = cell_origin(im, r->index, cols[f]);
        field_info(im, f, &fi);
        if (vals[f].status == HGQ_PARSE_OK) {
            st = hgq_table_set(im->t, row, (size_t)im->tcol[f], &vals[f].value, NULL);
            if (st == HGQ_OK)
                st = hgq_table_set_origin(im->t, row, (size_t)im->tcol[f], &o, NULL);
        } else if (vals[f].status == HGQ_PARSE_BAD) {
            int id = strcmp(vals[f].code, "value.id_numeric") == 0;
            st = hgq_table_set_origin(im->t, row, (size_t)im->tcol[f], &o, NULL);
            if (st == HGQ_OK)
                st = hgq_dataset_add_finding(im->ds, id ? HGQ_SEV_ERROR : HGQ_SEV_WARNING,
                                             vals[f].code, im->entity, fi.id, &o, NULL,
                                             "%s%s%s，已留空", rowlabel, fi.label, vals[f].reason);
        }
    }
    if (st == HGQ_OK)
        sum->rows_accepted++;
done:
    for (f = 0; f < im->nfields; f++)
        hgq_parsed_clear(&vals[f]);
    hgq_buf_free(&why);
    return st;
}

/* A totals row: each numeric field it has a number for must equal the sum
 * of the rows above it (since the last 合计, or for 小计 the last subtotal). */
static hgq_status check_total(importer *im, const hgq_sheet_row *r, int sub)
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
        c = hgq_sheet_cell(&im->sh, r->index, (uint32_t)im->col_of[f]);
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
            hgq_origin w = cell_origin(im, r->index, (uint32_t)im->col_of[f]);
            hgq_origin o = cell_origin(im, first >= 0 ? (uint32_t)first : r->index,
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
                                             (unsigned long)r->index + 1, sub ? "小计" : "合计",
                                             fi.label, tw, ref, ref0, ts);
            } else {
                st = hgq_dataset_add_finding(im->ds, HGQ_SEV_ERROR, "import.total", im->entity,
                                             fi.id, &w, NULL,
                                             "第%lu行%s的%s为%s（%s），而上方没有可加总的数据",
                                             (unsigned long)r->index + 1, sub ? "小计" : "合计",
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

static void importer_free(importer *im)
{
    free(im->col_of);
    free(im->tcol);
    free(im->sum_all);
    free(im->sum_sub);
    free(im->first_all);
    free(im->first_sub);
    free(im->vals);
    free(im->cols);
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
    size_t sheet, i, f, first = 0;
    enum row_kind *kinds = NULL;
    hgq_status st;
    memset(&im, 0, sizeof im);
    memset(sum, 0, sizeof *sum);
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
    if ((st = hgq_sheet_load(&im.sh, wb, sheet, 0, err)) != HGQ_OK)
        goto out;
    if ((st = hgq_model_summary_begin(sum, im.sh.file, im.sh.name, entity, err)) != HGQ_OK)
        goto out;
    if ((st = hgq_header_detect(im.s, &im.sh, opt, &im.h, err)) != HGQ_OK)
        goto out;
    im.col_of = malloc((im.nfields + 1) * sizeof *im.col_of);
    im.tcol = malloc((im.nfields + 1) * sizeof *im.tcol);
    im.sum_all = calloc(im.nfields + 1, sizeof *im.sum_all);
    im.sum_sub = calloc(im.nfields + 1, sizeof *im.sum_sub);
    im.first_all = malloc((im.nfields + 1) * sizeof *im.first_all);
    im.first_sub = malloc((im.nfields + 1) * sizeof *im.first_sub);
    im.vals = calloc(im.nfields + 1, sizeof *im.vals);
    im.cols = calloc(im.nfields + 1, sizeof *im.cols);
    if (!im.col_of || !im.tcol || !im.sum_all || !im.sum_sub || !im.first_all || !im.first_sub ||
        !im.vals || !im.cols) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto out;
    }
    for (f = 0; f < im.nfields; f++) {
        uint32_t c;
        im.col_of[f] = -1;
        im.first_all[f] = im.first_sub[f] = -1;
        for (c = 0; c < im.h.ncols; c++)
            if (im.h.field[c] == (long)f)
                im.col_of[f] = c;
    }
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
    /* classify every row below the header */
    while (first < im.sh.nrows && (long)im.sh.rows[first].index < im.h.row + im.h.nrows)
        first++;
    if (im.sh.nrows > first) {
        kinds = malloc((im.sh.nrows - first) * sizeof *kinds);
        if (!kinds) {
            st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            goto out;
        }
    }
    for (i = first; i < im.sh.nrows; i++)
        kinds[i - first] = classify(&im.sh.rows[i], &im.h);
    for (i = im.sh.nrows; i > first; i--) {
        enum row_kind *k = &kinds[i - 1 - first];
        if (*k == ROW_BLANK || *k == ROW_NOTE)
            continue;
        if (*k == ROW_DATA && trailing_note(&im.sh.rows[i - 1], &im.h)) {
            *k = ROW_NOTE;
            continue;
        }
        break;
    }
    for (i = first; i < im.sh.nrows && st == HGQ_OK; i++) {
        const hgq_sheet_row *r = &im.sh.rows[i];
        sum->rows_read++;
        switch (kinds[i - first]) {
        case ROW_BLANK: sum->rows_blank++; break;
        case ROW_NOTE: sum->rows_notes++; break;
        case ROW_TOTAL:
        case ROW_SUBTOTAL:
            sum->rows_totals++;
            if (im.check_totals)
                st = check_total(&im, r, kinds[i - first] == ROW_SUBTOTAL);
            break;
        default:
            st = import_row(&im, r, sum);
            break;
        }
        if (st != HGQ_OK)
            hgq_error_set(err, st, "%s", st == HGQ_ENOMEM ? "out of memory" : "cannot store a record");
    }
    sum->rows_skipped = sum->rows_blank + sum->rows_totals + sum->rows_notes;
    if (st == HGQ_OK) {
        hgq_source src;
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
    if (st != HGQ_OK && err && !err->file[0])
        hgq_error_set_file(err, im.sh.file ? im.sh.file : hgq_workbook_path(wb));
    if (st != HGQ_OK && err && !err->sheet[0] && im.sh.name)
        hgq_error_set_sheet(err, im.sh.name);
    free(kinds);
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
