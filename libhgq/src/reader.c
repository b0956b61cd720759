/*
 * reader.c - the public reader API: a workbook is an .xlsx package (xlsx.c,
 * sheet.c) or a CSV file (csv.c) shown as a workbook of one sheet; rows are
 * pulled with hgq_rows or pushed to a callback.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "xlsx.h"

#define SNIFF_BYTES 65536

/*
 * Invariant: `open_rows` counts the iterators not yet freed. They borrow the
 * workbook's shared strings and styles, so hgq_workbook_free only marks a
 * workbook `closed` while some are open; the last hgq_rows_free releases it.
 */
struct hgq_workbook {
    hgq_file_kind kind;
    char *path;                 /* file path, or the name of a memory workbook */
    const void *data;           /* memory workbook, else NULL */
    size_t size;
    hgq_reader_options opt;
    hgq_zip *zip;
    hgq_xlsx x;                 /* xlsx only */
    hgq_sheet_info csv_sheet;   /* csv only */
    char *csv_name;
    size_t open_rows;
    int closed;
};

struct hgq_rows {
    hgq_workbook *wb;
    size_t sheet;
    hgq_sheet_reader *sr;       /* xlsx */
    hgq_csv_reader *cr;         /* csv */
    int finished;
    hgq_status failed;          /* a failed iterator repeats its error */
    hgq_error error;
};

hgq_xlsx *hgq_workbook_xlsx(hgq_workbook *wb)
{
    return wb && wb->kind == HGQ_FILE_XLSX ? &wb->x : NULL;
}

void hgq_reader_options_init(hgq_reader_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->max_total_inflated = UINT64_C(4) << 30;
    opt->max_entry_inflated = UINT64_C(2) << 30;
    opt->max_ratio = 200;
    opt->max_shared_strings = UINT64_C(16) << 20;
    opt->max_shared_bytes = UINT64_C(1) << 30;
    opt->max_cell_bytes = 1u << 20;
    opt->want_formulas = 0;
    opt->csv_encoding = HGQ_ENC_AUTO;
    opt->csv_delimiter = 0;
    opt->threads = 0;
}

/* The caller's options with every zero limit replaced by its default. */
static void effective_options(const hgq_reader_options *in, hgq_reader_options *out)
{
    hgq_reader_options d;
    hgq_reader_options_init(&d);
    if (!in) {
        *out = d;
        return;
    }
    *out = *in;
    if (!out->max_total_inflated)
        out->max_total_inflated = d.max_total_inflated;
    if (!out->max_entry_inflated)
        out->max_entry_inflated = d.max_entry_inflated;
    if (!out->max_ratio)
        out->max_ratio = d.max_ratio;
    if (!out->max_shared_strings)
        out->max_shared_strings = d.max_shared_strings;
    if (!out->max_shared_bytes)
        out->max_shared_bytes = d.max_shared_bytes;
    if (!out->max_cell_bytes)
        out->max_cell_bytes = d.max_cell_bytes;
}

/* {====================================================================
 * Opening
 * ===================================================================== */

enum { SNIFF_ZIP, SNIFF_OLE, SNIFF_CSV, SNIFF_UNKNOWN };

static int sniff(const unsigned char *p, size_t n)
{
    static const unsigned char ole[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (n >= 4 && p[0] == 'P' && p[1] == 'K' &&
        ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
        return SNIFF_ZIP;
    if (n >= 8 && memcmp(p, ole, 8) == 0)
        return SNIFF_OLE;
    if (hgq_csv_sniff(p, n))
        return SNIFF_CSV;
    return SNIFF_UNKNOWN;
}

static hgq_status fail_file(hgq_error *err, const char *file, hgq_status code, const char *msg)
{
    hgq_error_clear(err);
    hgq_error_set(err, code, "%s", msg);
    hgq_error_set_file(err, file);
    return code;
}

/* The CSV sheet's name: the base name without directory and extension. */
static char *sheet_name_of(const char *path)
{
    const char *base = path, *p, *dot;
    size_t n;
    for (p = path; *p; p++)
        if (*p == '/' || *p == '\\')
            base = p + 1;
    dot = strrchr(base, '.');
    n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    if (n == 0)
        return hgq_strdup("Sheet1");
    return hgq_strndup(base, n);
}

static void workbook_destroy(hgq_workbook *wb)
{
    if (wb->kind == HGQ_FILE_XLSX)
        hgq_xlsx_free(&wb->x);
    hgq_zip_free(wb->zip);
    free(wb->csv_name);
    free(wb->path);
    free(wb);
}

static hgq_status open_kind(hgq_workbook *wb, int kind, hgq_error *err)
{
    hgq_status st;
    switch (kind) {
    case SNIFF_ZIP:
        wb->kind = HGQ_FILE_XLSX;
        st = wb->data ? hgq_zip_open_memory(&wb->zip, wb->data, wb->size, wb->path, &wb->opt,
                                            err)
                      : hgq_zip_open_file(&wb->zip, wb->path, wb->path, &wb->opt, err);
        if (st == HGQ_OK)
            st = hgq_xlsx_load(&wb->x, wb->zip, wb->path, &wb->opt, err);
        return st;
    case SNIFF_OLE:
        return fail_file(err, wb->path, HGQ_EUNSUPPORTED,
                         "encrypted or legacy .xls workbook (an OLE compound file): remove the "
                         "password or save it as .xlsx");
    case SNIFF_CSV: {
        hgq_csv_reader *cr;
        wb->kind = HGQ_FILE_CSV;
        wb->csv_name = sheet_name_of(wb->path);
        if (!wb->csv_name)
            return hgq_error_set(err, HGQ_ENOMEM, NULL);
        wb->csv_sheet.name = wb->csv_name;
        wb->csv_sheet.visibility = HGQ_VISIBLE;
        wb->csv_sheet.part = "";
        /* open once now, so that an undecodable file fails here */
        st = hgq_csv_reader_open(&cr, wb->data ? NULL : wb->path, wb->data, wb->size,
                                 wb->path, &wb->opt, err);
        if (st != HGQ_OK) {
            if (err && !err->file[0])
                hgq_error_set_file(err, wb->path);
            return st;
        }
        hgq_csv_reader_free(cr);
        return HGQ_OK;
    }
    default:
        return fail_file(err, wb->path, HGQ_EFORMAT,
                         "not a spreadsheet this library reads (neither an .xlsx workbook nor "
                         "CSV text)");
    }
}

static hgq_status workbook_new(hgq_workbook **out, const char *path, const void *data,
                               size_t size, const hgq_reader_options *opt, hgq_workbook **wbp,
                               hgq_error *err)
{
    hgq_workbook *wb = calloc(1, sizeof *wb);
    *out = NULL;
    *wbp = NULL;
    if (!wb)
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    wb->path = hgq_strdup(path);
    if (!wb->path) {
        free(wb);
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    }
    wb->data = data;
    wb->size = size;
    effective_options(opt, &wb->opt);
    *wbp = wb;
    return HGQ_OK;
}

static hgq_status finish_open(hgq_workbook **out, hgq_workbook *wb, int kind, hgq_error *err)
{
    hgq_status st = open_kind(wb, kind, err);
    if (st != HGQ_OK) {
        if (err && !err->file[0])
            hgq_error_set_file(err, wb->path);
        workbook_destroy(wb);
        return st;
    }
    *out = wb;
    return HGQ_OK;
}

hgq_status hgq_workbook_open(hgq_workbook **out, const char *path,
                             const hgq_reader_options *opt, hgq_error *err)
{
    hgq_workbook *wb;
    unsigned char *head;
    size_t n;
    FILE *f;
    hgq_status st;
    int kind;

    hgq_error_clear(err);
    if (!out || !path) {
        if (out)
            *out = NULL;
        return hgq_error_set(err, HGQ_EARG, "hgq_workbook_open: NULL argument");
    }
    *out = NULL;
    f = fopen(path, "rb");
    if (!f) {
        char msg[HGQ_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "cannot open the file: %s", strerror(errno));
        return fail_file(err, path, HGQ_EIO, msg);
    }
    head = malloc(SNIFF_BYTES);
    if (!head) {
        fclose(f);
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    }
    n = fread(head, 1, SNIFF_BYTES, f);
    if (ferror(f)) {
        char msg[HGQ_ERROR_MESSAGE_MAX];
        snprintf(msg, sizeof msg, "cannot read the file: %s", strerror(errno));
        fclose(f);
        free(head);
        return fail_file(err, path, HGQ_EIO, msg);
    }
    fclose(f);
    kind = sniff(head, n);
    free(head);
    st = workbook_new(out, path, NULL, 0, opt, &wb, err);
    if (st != HGQ_OK)
        return st;
    return finish_open(out, wb, kind, err);
}

hgq_status hgq_workbook_open_memory(hgq_workbook **out, const void *data, size_t size,
                                    const char *name, const hgq_reader_options *opt,
                                    hgq_error *err)
{
    hgq_workbook *wb;
    hgq_status st;
    hgq_error_clear(err);
    if (!out || (!data && size)) {
        if (out)
            *out = NULL;
        return hgq_error_set(err, HGQ_EARG, "hgq_workbook_open_memory: NULL argument");
    }
    if (!data)
        data = "";
    st = workbook_new(out, name ? name : "(memory)", data, size, opt, &wb, err);
    if (st != HGQ_OK)
        return st;
    return finish_open(out, wb, sniff(data, size < SNIFF_BYTES ? size : SNIFF_BYTES), err);
}

void hgq_workbook_free(hgq_workbook *wb)
{
    if (!wb)
        return;
    if (wb->open_rows > 0) {
        wb->closed = 1;
        return;
    }
    workbook_destroy(wb);
}

/* }==================================================================== */

/* {====================================================================
 * Workbook queries
 * ===================================================================== */

const char *hgq_workbook_path(const hgq_workbook *wb)
{
    return wb->path;
}

hgq_file_kind hgq_workbook_kind(const hgq_workbook *wb)
{
    return wb->kind;
}

int hgq_workbook_date1904(const hgq_workbook *wb)
{
    return wb->kind == HGQ_FILE_XLSX ? wb->x.date1904 : 0;
}

size_t hgq_workbook_sheet_count(const hgq_workbook *wb)
{
    return wb->kind == HGQ_FILE_XLSX ? wb->x.nsheets : 1;
}

const hgq_sheet_info *hgq_workbook_sheet(const hgq_workbook *wb, size_t index)
{
    if (index >= hgq_workbook_sheet_count(wb))
        return NULL;
    return wb->kind == HGQ_FILE_XLSX ? &wb->x.sheets[index] : &wb->csv_sheet;
}

static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (unsigned char)*a, y = (unsigned char)*b;
        if (x >= 'A' && x <= 'Z')
            x += 'a' - 'A';
        if (y >= 'A' && y <= 'Z')
            y += 'a' - 'A';
        if (x != y || x == 0)
            return x - y;
    }
}

int hgq_workbook_find_sheet(const hgq_workbook *wb, const char *name)
{
    size_t i, n = hgq_workbook_sheet_count(wb);
    if (!name)
        return -1;
    for (i = 0; i < n; i++)
        if (strcmp(hgq_workbook_sheet(wb, i)->name, name) == 0)
            return (int)i;
    for (i = 0; i < n; i++)
        if (ascii_casecmp(hgq_workbook_sheet(wb, i)->name, name) == 0)
            return (int)i;
    return -1;
}

size_t hgq_workbook_name_count(const hgq_workbook *wb)
{
    return wb->kind == HGQ_FILE_XLSX ? wb->x.nnames : 0;
}

const hgq_defined_name *hgq_workbook_name(const hgq_workbook *wb, size_t index)
{
    if (index >= hgq_workbook_name_count(wb))
        return NULL;
    return &wb->x.names[index];
}

static hgq_status no_sheet(const hgq_workbook *wb, size_t sheet, hgq_error *err)
{
    hgq_error_clear(err);
    hgq_error_set(err, HGQ_ENOTFOUND, "no sheet number %zu: the workbook has %zu sheet%s",
                  sheet + 1, hgq_workbook_sheet_count(wb),
                  hgq_workbook_sheet_count(wb) == 1 ? "" : "s");
    hgq_error_set_file(err, wb->path);
    return HGQ_ENOTFOUND;
}

hgq_status hgq_workbook_merges(hgq_workbook *wb, size_t sheet, const hgq_range **ranges,
                               size_t *count, hgq_error *err)
{
    *ranges = NULL;
    *count = 0;
    hgq_error_clear(err);
    if (sheet >= hgq_workbook_sheet_count(wb))
        return no_sheet(wb, sheet, err);
    if (wb->kind != HGQ_FILE_XLSX)
        return HGQ_OK;
    return hgq_xlsx_merges(&wb->x, sheet, ranges, count, err);
}

/* }==================================================================== */

/* {====================================================================
 * Rows
 * ===================================================================== */

hgq_status hgq_rows_open(hgq_rows **out, hgq_workbook *wb, size_t sheet, hgq_error *err)
{
    hgq_rows *rows;
    hgq_status st;
    *out = NULL;
    hgq_error_clear(err);
    if (wb->closed)
        return hgq_error_set(err, HGQ_ESTATE, "the workbook is closed");
    if (sheet >= hgq_workbook_sheet_count(wb))
        return no_sheet(wb, sheet, err);
    rows = calloc(1, sizeof *rows);
    if (!rows)
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    rows->wb = wb;
    rows->sheet = sheet;
    if (wb->kind == HGQ_FILE_XLSX) {
        st = hgq_sheet_reader_open(&rows->sr, &wb->x, sheet, err);
    } else {
        st = hgq_csv_reader_open(&rows->cr, wb->data ? NULL : wb->path, wb->data, wb->size,
                                 wb->path, &wb->opt, err);
        if (st != HGQ_OK) {
            if (err && !err->file[0])
                hgq_error_set_file(err, wb->path);
            hgq_error_set_sheet(err, wb->csv_sheet.name);
        }
    }
    if (st != HGQ_OK) {
        free(rows);
        return st;
    }
    wb->open_rows++;
    *out = rows;
    return HGQ_OK;
}

hgq_status hgq_rows_next(hgq_rows *rows, const hgq_row **row, hgq_error *err)
{
    hgq_status st;
    *row = NULL;
    if (rows->failed) {
        if (err)
            *err = rows->error;
        return rows->failed;
    }
    if (rows->finished)
        return HGQ_OK;
    if (rows->sr) {
        st = hgq_sheet_reader_next(rows->sr, row, &rows->error);
    } else {
        st = hgq_csv_reader_next(rows->cr, row, &rows->error);
        if (st != HGQ_OK) {
            if (!rows->error.file[0])
                hgq_error_set_file(&rows->error, rows->wb->path);
            hgq_error_set_sheet(&rows->error, rows->wb->csv_sheet.name);
        }
    }
    if (st != HGQ_OK) {
        rows->failed = st;
        rows->finished = 1;
        if (err)
            *err = rows->error;
        return st;
    }
    if (!*row)
        rows->finished = 1;
    return HGQ_OK;
}

void hgq_rows_free(hgq_rows *rows)
{
    hgq_workbook *wb;
    if (!rows)
        return;
    wb = rows->wb;
    hgq_sheet_reader_free(rows->sr);
    if (rows->cr)
        hgq_csv_reader_free(rows->cr);
    free(rows);
    wb->open_rows--;
    if (wb->closed && wb->open_rows == 0)
        workbook_destroy(wb);
}

hgq_status hgq_workbook_read_sheet(hgq_workbook *wb, size_t sheet, hgq_row_fn fn, void *ud,
                                   hgq_error *err)
{
    hgq_rows *rows;
    const hgq_row *row;
    hgq_status st = hgq_rows_open(&rows, wb, sheet, err);
    if (st != HGQ_OK)
        return st;
    while ((st = hgq_rows_next(rows, &row, err)) == HGQ_OK && row)
        if (fn(ud, row))
            break;
    hgq_rows_free(rows);
    return st;
}

/* }==================================================================== */
