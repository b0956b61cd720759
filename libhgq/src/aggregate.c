/*
 * aggregate.c - importing a published cross-tab (表3, 表5, 表6) as a
 * long-form table: one text column per dimension, a numeric "value".
 *
 * Row dimensions are read from label columns at the left, column
 * dimensions from header rows. Labels are filled the way people lay such
 * tables out: a label merged down several rows (or written once, with blank
 * cells under it) holds for the rows below; a blank label right of a margin
 * label ("总计" with nothing after it) repeats that label; a header merged
 * across columns holds for each of them. Margin labels are stored as
 * "合计" (unless the spec says otherwise), so the grand total is the cell
 * with 合计 in every dimension.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

void hgq_agg_spec_init(hgq_agg_spec *spec)
{
    size_t i;
    memset(spec, 0, sizeof *spec);
    spec->sheet_index = 0;
    spec->first_data_row = -1;
    spec->first_data_col = -1;
    for (i = 0; i < HGQ_AGG_MAX_DIMS; i++)
        spec->row_dims[i].index = spec->col_dims[i].index = -1;
}

/* Looks `key` up in a "printed=stored|..." list (keys compared collapsed). */
static const char *list_map(const char *list, const char *key, char *out, size_t size)
{
    const char *p = list;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        char k[HGQ_KEY_MAX];
        size_t kl = hgq_model_key(p, eq ? (size_t)(eq - p) : len, k, sizeof k);
        if (kl != (size_t)-1 && strcmp(k, key) == 0) {
            size_t vl = eq ? len - (size_t)(eq + 1 - p) : len;
            const char *v = eq ? eq + 1 : p;
            if (vl >= size)
                vl = size - 1;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return out;
        }
        p = bar ? bar + 1 : NULL;
    }
    return NULL;
}

/* The stored value of a printed dimension label: the dim's own mapping,
 * then margin labels -> 合计, else the label folded. */
static void dim_value(const hgq_agg_spec *spec, const hgq_agg_dim *d, const char *printed,
                      char *out, size_t size)
{
    char key[HGQ_KEY_MAX], tmp[HGQ_KEY_MAX];
    size_t n;
    out[0] = '\0';
    if (!*printed)
        return;
    if (hgq_model_key(printed, strlen(printed), key, sizeof key) == (size_t)-1) {
        hgq_strlcpy_utf8(out, printed, size);
        return;
    }
    if (d->values && list_map(d->values, key, tmp, sizeof tmp)) {
        hgq_strlcpy_utf8(out, tmp, size);
        return;
    }
    if (list_map(spec->margins ? spec->margins : "合计|总计", key, tmp, sizeof tmp)) {
        hgq_strlcpy_utf8(out, "合计", size);
        return;
    }
    n = hgq_norm_fold(printed, strlen(printed), out, size);
    if (n == (size_t)-1)
        hgq_strlcpy_utf8(out, printed, size);
}

static void cell_label(const hgq_cell *c, char *out, size_t size)
{
    char buf[HGQ_KEY_MAX];
    size_t n;
    out[0] = '\0';
    if (!hgq_cell_has_content(c))
        return;
    hgq_model_cell_text(c, buf, sizeof buf);
    n = hgq_norm_fold(buf, strlen(buf), out, size);
    if (n == (size_t)-1)
        hgq_strlcpy_utf8(out, buf, size);
}

static hgq_status choose_sheet(hgq_workbook *wb, const hgq_agg_spec *spec, size_t *out,
                               hgq_error *err)
{
    if (spec->sheet) {
        int k = hgq_workbook_find_sheet(wb, spec->sheet);
        if (k < 0) {
            hgq_error_set(err, HGQ_ENOTFOUND, "no sheet named '%s'", spec->sheet);
            hgq_error_set_file(err, hgq_workbook_path(wb));
            return HGQ_ENOTFOUND;
        }
        *out = (size_t)k;
        return HGQ_OK;
    }
    if (spec->sheet_index < 0 || (size_t)spec->sheet_index >= hgq_workbook_sheet_count(wb)) {
        hgq_error_set(err, HGQ_ENOTFOUND, "no sheet %ld", spec->sheet_index);
        hgq_error_set_file(err, hgq_workbook_path(wb));
        return HGQ_ENOTFOUND;
    }
    *out = (size_t)spec->sheet_index;
    return HGQ_OK;
}

static size_t content_count(const hgq_sheet_row *r)
{
    size_t i, n = 0;
    for (i = 0; i < r->ncells; i++)
        if (hgq_cell_has_content(&r->cells[i]))
            n++;
    return n;
}

static const hgq_cell *first_content(const hgq_sheet_row *r)
{
    size_t i;
    for (i = 0; i < r->ncells; i++)
        if (hgq_cell_has_content(&r->cells[i]))
            return &r->cells[i];
    return NULL;
}

typedef struct datacol {
    uint32_t col;
    char vals[HGQ_AGG_MAX_DIMS][HGQ_KEY_MAX];   /* column dimension values */
    uint32_t rows[HGQ_AGG_MAX_DIMS];            /* header row of each */
} datacol;

static hgq_status set_text(hgq_table *t, size_t row, size_t col, const char *s,
                           const hgq_origin *o)
{
    hgq_value v = hgq_text(s);
    hgq_status st = hgq_table_set(t, row, col, &v, NULL);
    if (st == HGQ_OK && o)
        st = hgq_table_set_origin(t, row, col, o, NULL);
    return st;
}

hgq_status hgq_import_aggregate(hgq_dataset *ds, hgq_workbook *wb, const char *name,
                                const hgq_agg_spec *spec, hgq_import_summary *summary,
                                hgq_error *err)
{
    hgq_error_clear(err);
    hgq_import_summary local;
    hgq_import_summary *sum = summary ? summary : &local;
    hgq_sheet sh;
    hgq_table *t = NULL;
    datacol *dcols = NULL;
    size_t ndcols = 0, sheet, i, k, ndims;
    uint32_t rowcol[HGQ_AGG_MAX_DIMS], hdrrow[HGQ_AGG_MAX_DIMS], mincol = UINT32_MAX;
    long first_row, first_col, header_first = -1;
    char prev[HGQ_AGG_MAX_DIMS][HGQ_KEY_MAX];
    uint32_t prev_row[HGQ_AGG_MAX_DIMS];
    char title[HGQ_KEY_MAX] = "";
    hgq_buf dims;
    int ended = 0;
    hgq_status st;
    memset(sum, 0, sizeof *sum);
    memset(&sh, 0, sizeof sh);
    hgq_buf_init(&dims);
    if (!ds || !wb || !name || !spec)
        return hgq_error_set(err, HGQ_EARG, "hgq_import_aggregate: NULL argument");
    if (spec->nrow_dims > HGQ_AGG_MAX_DIMS || spec->ncol_dims < 1 ||
        spec->ncol_dims > HGQ_AGG_MAX_DIMS)
        return hgq_error_set(err, HGQ_EARG,
                             "an aggregate needs 0-%d row dimensions and 1-%d column dimensions",
                             HGQ_AGG_MAX_DIMS, HGQ_AGG_MAX_DIMS);
    ndims = spec->nrow_dims + spec->ncol_dims;
    for (i = 0; i < ndims; i++) {
        const hgq_agg_dim *d = i < spec->nrow_dims ? &spec->row_dims[i]
                                                   : &spec->col_dims[i - spec->nrow_dims];
        if (!d->name || !*d->name || strcmp(d->name, "value") == 0 || strchr(d->name, ','))
            return hgq_error_set(err, HGQ_EARG, "dimension %zu has no usable name", i + 1);
        for (k = 0; k < i; k++) {
            const hgq_agg_dim *e = k < spec->nrow_dims ? &spec->row_dims[k]
                                                       : &spec->col_dims[k - spec->nrow_dims];
            if (strcmp(e->name, d->name) == 0)
                return hgq_error_set(err, HGQ_EARG, "dimension '%s' given twice", d->name);
        }
    }
    if (hgq_dataset_table(ds, name))
        return hgq_error_set(err, HGQ_EARG, "the dataset already has a table '%s'", name);
    if ((st = choose_sheet(wb, spec, &sheet, err)) != HGQ_OK)
        return st;
    if ((st = hgq_sheet_load(&sh, wb, sheet, 0, err)) != HGQ_OK)
        goto out;
    if ((st = hgq_model_summary_begin(sum, sh.file, sh.name, name, err)) != HGQ_OK)
        goto out;
    for (i = 0; i < sh.nrows; i++)
        for (k = 0; k < sh.rows[i].ncells; k++)
            if (hgq_cell_has_content(&sh.rows[i].cells[k]) && sh.rows[i].cells[k].col < mincol)
                mincol = sh.rows[i].cells[k].col;
    if (mincol == UINT32_MAX) {
        st = hgq_error_set(err, HGQ_ESCHEMA, "the sheet is empty");
        goto out;
    }
    /* header rows of the column dimensions */
    for (i = 0; i < sh.nrows && header_first < 0; i++)
        if (content_count(&sh.rows[i]) >= 2)
            header_first = sh.rows[i].index;
    for (k = 0; k < spec->ncol_dims; k++) {
        long idx = spec->col_dims[k].index;
        if (idx < 0) {
            if (header_first < 0) {
                st = hgq_error_set(err, HGQ_ESCHEMA, "no header row found");
                goto out;
            }
            idx = header_first + (long)k;
        }
        hdrrow[k] = (uint32_t)idx;
    }
    for (k = 0; k < spec->nrow_dims; k++)
        rowcol[k] = spec->row_dims[k].index >= 0 ? (uint32_t)spec->row_dims[k].index
                                                 : mincol + (uint32_t)k;
    first_row = spec->first_data_row;
    if (first_row < 0) {
        first_row = 0;
        for (k = 0; k < spec->ncol_dims; k++)
            if ((long)hdrrow[k] + 1 > first_row)
                first_row = (long)hdrrow[k] + 1;
    }
    first_col = spec->first_data_col;
    if (first_col < 0) {
        first_col = mincol;
        for (k = 0; k < spec->nrow_dims; k++)
            if ((long)rowcol[k] + 1 > first_col)
                first_col = (long)rowcol[k] + 1;
    }
    /* the title: a lone text above the header */
    for (i = 0; i < sh.nrows && (long)sh.rows[i].index < (long)hdrrow[0]; i++) {
        const hgq_cell *c = first_content(&sh.rows[i]);
        if (c && content_count(&sh.rows[i]) == 1 && c->type == HGQ_CELL_STRING && !title[0])
            cell_label(c, title, sizeof title);
    }
    /* data columns and their column-dimension values */
    dcols = calloc(sh.maxcol + 1, sizeof *dcols);
    if (!dcols) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto out;
    }
    {
        char left[HGQ_AGG_MAX_DIMS][HGQ_KEY_MAX];
        uint32_t c;
        memset(left, 0, sizeof left);
        for (c = (uint32_t)first_col; c <= sh.maxcol; c++) {
            datacol *dc = &dcols[ndcols];
            int ok = 1;
            for (k = 0; k < spec->ncol_dims; k++) {
                char label[HGQ_KEY_MAX];
                const hgq_cell *hc = hgq_sheet_cell_filled(&sh, hdrrow[k], c);
                cell_label(hc, label, sizeof label);
                if (label[0]) {
                    dim_value(spec, &spec->col_dims[k], label, dc->vals[k], HGQ_KEY_MAX);
                    memcpy(left[k], dc->vals[k], HGQ_KEY_MAX);
                } else if (k + 1 < spec->ncol_dims && left[k][0]) {
                    memcpy(dc->vals[k], left[k], HGQ_KEY_MAX);
                } else {
                    ok = 0;
                }
                dc->rows[k] = hdrrow[k];
            }
            if (!ok)
                continue;
            dc->col = c;
            ndcols++;
        }
    }
    if (!ndcols) {
        st = hgq_error_set(err, HGQ_ESCHEMA, "no value column: the header row %lu has no labels "
                           "right of the row labels", (unsigned long)hdrrow[spec->ncol_dims - 1] + 1);
        hgq_error_set_file(err, sh.file);
        hgq_error_set_sheet(err, sh.name);
        goto out;
    }
    /* the table */
    t = hgq_table_new(name);
    if (!t) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < ndims; i++) {
        const hgq_agg_dim *d = i < spec->nrow_dims ? &spec->row_dims[i]
                                                   : &spec->col_dims[i - spec->nrow_dims];
        if ((st = hgq_table_add_column(t, d->name, HGQ_TEXT, NULL, err)) != HGQ_OK)
            goto out;
        if ((i && hgq_buf_append_char(&dims, ',') < 0) || hgq_buf_append_str(&dims, d->name) < 0) {
            st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            goto out;
        }
    }
    if ((st = hgq_table_add_column(t, "value", HGQ_NUM, NULL, err)) != HGQ_OK ||
        (st = hgq_table_set_meta(t, "kind", "aggregate", err)) != HGQ_OK ||
        (st = hgq_table_set_meta(t, "dims", dims.data, err)) != HGQ_OK ||
        (st = hgq_table_set_meta(t, "title", spec->title ? spec->title : title[0] ? title : name,
                                 err)) != HGQ_OK ||
        (spec->measure && (st = hgq_table_set_meta(t, "measure", spec->measure, err)) != HGQ_OK) ||
        (spec->breakdown && (st = hgq_table_set_meta(t, "breakdown", spec->breakdown, err)) != HGQ_OK) ||
        (spec->breakdown_total &&
         (st = hgq_table_set_meta(t, "breakdown_total", spec->breakdown_total, err)) != HGQ_OK))
        goto out;
    /* data rows */
    memset(prev, 0, sizeof prev);
    memset(prev_row, 0, sizeof prev_row);
    for (i = 0; i < sh.nrows && st == HGQ_OK; i++) {
        const hgq_sheet_row *r = &sh.rows[i];
        char rv[HGQ_AGG_MAX_DIMS][HGQ_KEY_MAX];
        uint32_t rvrow[HGQ_AGG_MAX_DIMS];
        const hgq_cell *fc;
        size_t d, nvalues = 0, j;
        int bad_dim = -1, left_written = 0, left_margin = 0;
        if ((long)r->index < first_row)
            continue;
        sum->rows_read++;
        fc = first_content(r);
        if (!fc) {
            sum->rows_blank++;
            continue;
        }
        if (ended || (fc->type == HGQ_CELL_STRING && hgq_model_is_note_text(fc->text, fc->text_len))) {
            ended = 1;
            sum->rows_notes++;
            continue;
        }
        /* a lone text with nothing in the value columns: a note */
        for (j = 0; j < ndcols; j++)
            if (hgq_cell_has_content(hgq_sheet_cell(&sh, r->index, dcols[j].col)))
                nvalues++;
        if (!nvalues && content_count(r) == 1 && fc->type == HGQ_CELL_STRING &&
            (spec->nrow_dims == 0 || fc->col < rowcol[0] || fc->col > rowcol[spec->nrow_dims - 1] ||
             strstr(fc->text, "：") || strchr(fc->text, ':') || strstr(fc->text, "。"))) {
            ended = 1;
            sum->rows_notes++;
            continue;
        }
        /* a heading row (labels, no values): its labels hold for the rows below */
        if (!nvalues && spec->nrow_dims) {
            for (d = 0; d < spec->nrow_dims; d++) {
                char label[HGQ_KEY_MAX];
                const hgq_cell *c = hgq_sheet_cell(&sh, r->index, rowcol[d]);
                cell_label(c, label, sizeof label);
                if (label[0]) {
                    dim_value(spec, &spec->row_dims[d], label, prev[d], HGQ_KEY_MAX);
                    prev_row[d] = r->index;
                }
            }
            sum->rows_blank++;
            continue;
        }
        /* row-dimension labels */
        for (d = 0; d < spec->nrow_dims; d++) {
            char label[HGQ_KEY_MAX];
            const hgq_cell *own = hgq_sheet_cell(&sh, r->index, rowcol[d]);
            const hgq_cell *c = hgq_sheet_cell_filled(&sh, r->index, rowcol[d]);
            cell_label(c, label, sizeof label);
            rvrow[d] = r->index;
            if (label[0]) {
                const hgq_range *m = hgq_cell_has_content(own) ? NULL
                                     : hgq_sheet_merge_at(&sh, r->index, rowcol[d]);
                dim_value(spec, &spec->row_dims[d], label, rv[d], HGQ_KEY_MAX);
                if (m)
                    rvrow[d] = m->first_row;
                left_written = hgq_cell_has_content(own);
                left_margin = hgq_model_is_total_label(label, strlen(label));
            } else if (d > 0 && left_written && left_margin) {
                memcpy(rv[d], rv[d - 1], HGQ_KEY_MAX);
            } else if (prev[d][0] && d + 1 < spec->nrow_dims) {
                memcpy(rv[d], prev[d], HGQ_KEY_MAX);
                rvrow[d] = prev_row[d];
                left_written = 0;
                left_margin = 0;
            } else {
                rv[d][0] = '\0';
                if (bad_dim < 0)
                    bad_dim = (int)d;
            }
        }
        if (bad_dim >= 0) {
            char col[8];
            hgq_origin o;
            o.file = sh.file;
            o.sheet = sh.name;
            o.row = r->index;
            o.col = rowcol[bad_dim];
            hgq_ref_format_col(rowcol[bad_dim], col, sizeof col);
            sum->rows_rejected++;
            st = hgq_dataset_add_finding(ds, HGQ_SEV_ERROR, "import.rejected", name,
                                         spec->row_dims[bad_dim].name, &o, NULL,
                                         "第%lu行未导入：%s列缺少标签（%s）", (unsigned long)r->index + 1,
                                         col, spec->row_dims[bad_dim].name);
            continue;
        }
        for (d = 0; d < spec->nrow_dims; d++) {
            memcpy(prev[d], rv[d], HGQ_KEY_MAX);
            prev_row[d] = rvrow[d];
        }
        /* one long-form row per value column */
        for (j = 0; j < ndcols && st == HGQ_OK; j++) {
            const hgq_cell *vc = hgq_sheet_cell(&sh, r->index, dcols[j].col);
            hgq_origin o;
            hgq_value v = hgq_null();
            size_t row;
            o.file = sh.file;
            o.sheet = sh.name;
            o.row = r->index;
            o.col = dcols[j].col;
            if (hgq_cell_has_content(vc)) {
                hgq_number num;
                if (vc->type == HGQ_CELL_NUMBER || vc->type == HGQ_CELL_DATE) {
                    v = hgq_num(vc->number);
                } else if (vc->type == HGQ_CELL_STRING && hgq_norm_number(vc->text, vc->text_len, &num)) {
                    v = hgq_num(num.value);
                } else if (!(vc->type == HGQ_CELL_STRING && hgq_model_is_dash(vc->text, vc->text_len))) {
                    char txt[96], ref[16];
                    hgq_model_cell_text(vc, txt, sizeof txt);
                    hgq_ref_format(o.row, o.col, ref, sizeof ref);
                    st = hgq_dataset_add_finding(ds, HGQ_SEV_WARNING, "agg.value", name, "value", &o,
                                                 NULL, "%s「%s」不是数值，按空白处理", ref, txt);
                    if (st != HGQ_OK)
                        break;
                }
            }
            if ((st = hgq_table_append_row(t, &row, err)) != HGQ_OK)
                break;
            if ((st = hgq_table_set_row_origin(t, row, &o, err)) != HGQ_OK)
                break;
            for (d = 0; d < spec->nrow_dims && st == HGQ_OK; d++) {
                hgq_origin od = o;
                od.row = rvrow[d];
                od.col = rowcol[d];
                st = set_text(t, row, d, rv[d], &od);
            }
            for (d = 0; d < spec->ncol_dims && st == HGQ_OK; d++) {
                hgq_origin od = o;
                od.row = dcols[j].rows[d];
                st = set_text(t, row, spec->nrow_dims + d, dcols[j].vals[d], &od);
            }
            if (st == HGQ_OK)
                st = hgq_table_set(t, row, ndims, &v, err);
            if (st == HGQ_OK)
                st = hgq_table_set_origin(t, row, ndims, &o, err);
            sum->cells++;
        }
        if (st == HGQ_OK)
            sum->rows_accepted++;
    }
    if (st != HGQ_OK)
        goto out;
    sum->rows_skipped = sum->rows_blank + sum->rows_notes + sum->rows_totals;
    sum->header_row = hdrrow[0];
    sum->header_rows = (int)spec->ncol_dims;
    if (!sum->cells) {
        st = hgq_error_set(err, HGQ_ESCHEMA, "no data rows below the header");
        hgq_error_set_file(err, sh.file);
        hgq_error_set_sheet(err, sh.name);
        goto out;
    }
    if ((st = hgq_dataset_add_table(ds, t, err)) != HGQ_OK) {
        t = NULL;
        goto out;
    }
    t = NULL;
    {
        hgq_source src;
        src.file = sh.file;
        src.sheet = sh.name;
        src.entity = name;
        src.rows_read = sum->rows_read;
        src.rows_accepted = sum->rows_accepted;
        src.rows_rejected = sum->rows_rejected;
        src.rows_skipped = sum->rows_skipped;
        st = hgq_dataset_add_source(ds, &src, err);
    }
out:
    hgq_table_free(t);
    free(dcols);
    hgq_buf_free(&dims);
    hgq_sheet_free(&sh);
    if (!summary)
        hgq_import_summary_free(&local);
    return st;
}

hgq_status hgq_import_aggregate_file(hgq_dataset *ds, const char *path, const char *name,
                                     const hgq_agg_spec *spec,
                                     const hgq_reader_options *ropt,
                                     hgq_import_summary *summary, hgq_error *err)
{
    hgq_workbook *wb;
    hgq_status st = hgq_model_open_file(&wb, "hgq_import_aggregate_file", path, ropt, summary,
                                        err);
    if (st != HGQ_OK)
        return st;
    st = hgq_import_aggregate(ds, wb, name, spec, summary, err);
    hgq_workbook_free(wb);
    return st;
}
