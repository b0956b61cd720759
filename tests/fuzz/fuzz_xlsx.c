/*
 * fuzz_xlsx.c - libFuzzer target: open a workbook from memory and read all
 * of it: every sheet's rows and cells (with two iterators interleaved on the
 * first sheet and the callback reader), merged ranges and defined names.
 *
 * Inputs are zips or packages in the parts format of fuzz_parts.h. Beyond
 * what the sanitizers catch, the target aborts when the reader breaks its
 * documented contract: a failing call must fill the error with the same
 * code and a message; text must be valid UTF-8 and NUL-terminated; cells
 * must lie inside XFD1048576 in increasing column order; merged ranges must
 * be ordered and in bounds.
 *
 *     sh tests/fuzz/run.sh 600 fuzz_xlsx
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgq.h"
#include "fuzz_parts.h"

#include "fuzz_expect.h"

/* Fills an error with garbage, as an uninitialised one on the stack would
 * be: a failing call must still leave every field well-formed. */
static hgq_error *poison(hgq_error *err)
{
    memset(err, 'X', sizeof *err);
    return err;
}

static void check_error(hgq_status st, const hgq_error *err)
{
    char line[2048];
    FZ_EXPECT(st > HGQ_OK && st < HGQ_STATUS_COUNT);
    FZ_EXPECT(err->code == st);
    FZ_EXPECT(memchr(err->message, '\0', sizeof err->message) != NULL);
    FZ_EXPECT(memchr(err->file, '\0', sizeof err->file) != NULL);
    FZ_EXPECT(memchr(err->part, '\0', sizeof err->part) != NULL);
    FZ_EXPECT(memchr(err->sheet, '\0', sizeof err->sheet) != NULL);
    FZ_EXPECT(memchr(err->cell, '\0', sizeof err->cell) != NULL);
    FZ_EXPECT(err->message[0] != '\0');
    FZ_EXPECT(hgq_error_format(err, line, sizeof line) > 0);
}

static void check_text(const char *s, size_t len)
{
    FZ_EXPECT(s != NULL);
    FZ_EXPECT(s[len] == '\0');
    FZ_EXPECT(hgq_utf8_valid(s, len));
}

static void check_row(const hgq_row *row)
{
    size_t i;
    FZ_EXPECT(row->index <= HGQ_MAX_ROW);
    for (i = 0; i < row->ncells; i++) {
        const hgq_cell *c = &row->cells[i];
        FZ_EXPECT(c->row == row->index);
        FZ_EXPECT(c->col <= HGQ_MAX_COL);
        if (i > 0)
            FZ_EXPECT(c->col > row->cells[i - 1].col);
        FZ_EXPECT(c->numfmt != NULL);
        check_text(c->numfmt, strlen(c->numfmt));
        switch (c->type) {
        case HGQ_CELL_STRING:
        case HGQ_CELL_ERROR:
            check_text(c->text, c->text_len);
            break;
        case HGQ_CELL_BOOL:
            FZ_EXPECT(c->number == 0 || c->number == 1);
            break;
        case HGQ_CELL_EMPTY:
        case HGQ_CELL_NUMBER:
        case HGQ_CELL_DATE:
            break;
        default:
            FZ_EXPECT(!"unknown cell type");
        }
        if (c->formula)
            check_text(c->formula, strlen(c->formula));
    }
}

static int count_rows(void *ud, const hgq_row *row)
{
    size_t *n = ud;
    check_row(row);
    return ++*n >= 3; /* stop early: exercises an interrupted read */
}

static void read_sheet(hgq_workbook *wb, size_t sheet)
{
    hgq_rows *a = NULL, *b = NULL;
    const hgq_row *ra, *rb;
    const hgq_range *ranges;
    size_t nranges, i, seen = 0;
    hgq_error err;
    hgq_status st;

    st = hgq_rows_open(&a, wb, sheet, poison(&err));
    if (st != HGQ_OK) {
        check_error(st, &err);
        FZ_EXPECT(a == NULL);
        return;
    }
    /* A second iterator on the first sheet, advanced in step with the first. */
    if (sheet == 0 && hgq_rows_open(&b, wb, sheet, poison(&err)) != HGQ_OK)
        b = NULL;
    for (;;) {
        st = hgq_rows_next(a, &ra, poison(&err));
        if (st != HGQ_OK) {
            check_error(st, &err);
            break;
        }
        if (!ra)
            break;
        check_row(ra);
        if (b) {
            st = hgq_rows_next(b, &rb, poison(&err));
            if (st != HGQ_OK || !rb) {
                hgq_rows_free(b);
                b = NULL;
            } else {
                check_row(rb);
            }
        }
    }
    hgq_rows_free(b);
    hgq_rows_free(a);

    st = hgq_workbook_merges(wb, sheet, &ranges, &nranges, poison(&err));
    if (st != HGQ_OK) {
        check_error(st, &err);
    } else {
        for (i = 0; i < nranges; i++) {
            FZ_EXPECT(ranges[i].first_row <= ranges[i].last_row);
            FZ_EXPECT(ranges[i].first_col <= ranges[i].last_col);
            FZ_EXPECT(ranges[i].last_row <= HGQ_MAX_ROW);
            FZ_EXPECT(ranges[i].last_col <= HGQ_MAX_COL);
        }
        /* Kept: the second call gives the same answer. */
        {
            const hgq_range *again;
            size_t nagain;
            FZ_EXPECT(hgq_workbook_merges(wb, sheet, &again, &nagain, &err) == HGQ_OK);
            FZ_EXPECT(again == ranges && nagain == nranges);
        }
    }

    st = hgq_workbook_read_sheet(wb, sheet, count_rows, &seen, poison(&err));
    if (st != HGQ_OK)
        check_error(st, &err);
}

static void read_workbook(hgq_workbook *wb)
{
    size_t n = hgq_workbook_sheet_count(wb), i;
    size_t nnames = hgq_workbook_name_count(wb);
    FZ_EXPECT(hgq_workbook_kind(wb) == HGQ_FILE_XLSX || hgq_workbook_kind(wb) == HGQ_FILE_CSV);
    FZ_EXPECT(hgq_workbook_path(wb) != NULL);
    for (i = 0; i < n; i++) {
        const hgq_sheet_info *info = hgq_workbook_sheet(wb, i);
        FZ_EXPECT(info != NULL);
        check_text(info->name, strlen(info->name));
        FZ_EXPECT(info->part != NULL);
        FZ_EXPECT(info->visibility == HGQ_VISIBLE || info->visibility == HGQ_HIDDEN ||
               info->visibility == HGQ_VERY_HIDDEN);
        {
            int found = hgq_workbook_find_sheet(wb, info->name);
            FZ_EXPECT(found >= 0 && (size_t)found <= i);
        }
    }
    FZ_EXPECT(hgq_workbook_sheet(wb, n) == NULL);
    for (i = 0; i < nnames; i++) {
        const hgq_defined_name *dn = hgq_workbook_name(wb, i);
        FZ_EXPECT(dn != NULL);
        check_text(dn->name, strlen(dn->name));
        check_text(dn->value, strlen(dn->value));
        FZ_EXPECT(dn->local_sheet >= -1 && dn->local_sheet < (int)n);
    }
    FZ_EXPECT(hgq_workbook_name(wb, nnames) == NULL);
    for (i = 0; i < n && i < 16; i++)
        read_sheet(wb, i);
    {
        const hgq_range *r;
        size_t nr;
        hgq_error err;
        hgq_rows *none = NULL;
        FZ_EXPECT(hgq_rows_open(&none, wb, n, poison(&err)) == HGQ_ENOTFOUND && none == NULL);
        check_error(HGQ_ENOTFOUND, &err);
        FZ_EXPECT(hgq_workbook_merges(wb, n, &r, &nr, poison(&err)) != HGQ_OK);
        check_error(err.code, &err);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_buf scratch = {0};
    size_t len;
    const unsigned char *file = fz_package(data, size, &scratch, &len);
    hgq_reader_options opt;
    hgq_workbook *wb = NULL;
    hgq_error err;
    hgq_status st;

    fz_reader_options(&opt);
    opt.want_formulas = 1;

    st = hgq_workbook_open_memory(&wb, file, len, "fuzz.xlsx", &opt, poison(&err));
    if (st != HGQ_OK) {
        check_error(st, &err);
        FZ_EXPECT(wb == NULL);
    } else {
        FZ_EXPECT(wb != NULL);
        read_workbook(wb);
        hgq_workbook_free(wb);
    }
    free(scratch.p);
    return 0;
}
