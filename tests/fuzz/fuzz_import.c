/*
 * fuzz_import.c - libFuzzer target: a whole import. The input is opened from
 * memory (as .xlsx when it is a zip or a package in the parts format of
 * fuzz_parts.h, else as CSV), imported as "student" and as "staff" records
 * with the built-in schemas, then as a published cross-tab, and the dataset
 * is validated.
 *
 * Beyond the sanitizers, the target aborts when the import breaks its
 * contract: the row balance (read = accepted + rejected + skipped, skipped =
 * blank + totals + notes), one "import.rejected" finding per rejected row,
 * error codes matching the returned status, valid UTF-8 in findings.
 * (Names carry an imp_ prefix: tests/c/test_regress.c compiles this file and
 * fuzz_xlsx.c together.)
 *
 *     sh tests/fuzz/run.sh 600 fuzz_import
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgq.h"
#include "hgq/import.h"
#include "hgq/schema.h"
#include "hgq/validate.h"
#include "fuzz_parts.h"

#include "fuzz_expect.h"

/* An error as uninitialised on the stack: a failing call must still leave
 * every field well-formed. */
static hgq_error *imp_poison(hgq_error *err)
{
    memset(err, 'X', sizeof *err);
    return err;
}

static void imp_check_error(hgq_status st, const hgq_error *err)
{
    FZ_EXPECT(st > HGQ_OK && st < HGQ_STATUS_COUNT);
    FZ_EXPECT(err->code == st);
    FZ_EXPECT(memchr(err->message, '\0', sizeof err->message) != NULL);
    FZ_EXPECT(memchr(err->file, '\0', sizeof err->file) != NULL);
    FZ_EXPECT(memchr(err->part, '\0', sizeof err->part) != NULL);
    FZ_EXPECT(memchr(err->sheet, '\0', sizeof err->sheet) != NULL);
    FZ_EXPECT(memchr(err->cell, '\0', sizeof err->cell) != NULL);
    FZ_EXPECT(err->message[0] != '\0');
}

static size_t imp_count_findings(const hgq_dataset *ds, const char *code)
{
    size_t n = hgq_dataset_finding_count(ds), i, k = 0;
    for (i = 0; i < n; i++) {
        const hgq_finding *f = hgq_dataset_finding(ds, i);
        FZ_EXPECT(f && f->code && f->message);
        FZ_EXPECT(hgq_utf8_valid(f->message, strlen(f->message)));
        if (strcmp(f->code, code) == 0)
            k++;
    }
    return k;
}

static void imp_check_summary(const hgq_import_summary *s)
{
    size_t i;
    FZ_EXPECT(s->rows_read == s->rows_accepted + s->rows_rejected + s->rows_skipped);
    FZ_EXPECT(s->rows_skipped == s->rows_blank + s->rows_totals + s->rows_notes);
    FZ_EXPECT(s->ncolumns == 0 || s->columns != NULL);
    for (i = 0; i < s->ncolumns; i++)
        FZ_EXPECT(s->columns[i].header != NULL && s->columns[i].col <= HGQ_MAX_COL);
    for (i = 0; i < s->nmissing; i++)
        FZ_EXPECT(s->missing[i] != NULL);
}

static void import_records(hgq_dataset *ds, const hgq_schemas *reg, hgq_workbook *wb,
                           const char *entity)
{
    hgq_import_summary sum;
    hgq_error err;
    hgq_status st;
    size_t before = imp_count_findings(ds, "import.rejected");
    memset(&sum, 0, sizeof sum);
    st = hgq_import(ds, reg, wb, entity, NULL, &sum, imp_poison(&err));
    if (st != HGQ_OK)
        imp_check_error(st, &err);
    imp_check_summary(&sum);
    if (st == HGQ_OK)
        FZ_EXPECT(imp_count_findings(ds, "import.rejected") - before == sum.rows_rejected);
    hgq_import_summary_free(&sum);
}

static void import_aggregate(hgq_dataset *ds, hgq_workbook *wb)
{
    hgq_agg_spec sp;
    hgq_import_summary sum;
    hgq_error err;
    hgq_status st;
    hgq_agg_spec_init(&sp);
    sp.nrow_dims = 2;
    sp.row_dims[0] = (hgq_agg_dim){"trade", -1, NULL};
    sp.row_dims[1] = (hgq_agg_dim){"level", -1, NULL};
    sp.ncol_dims = 1;
    sp.col_dims[0] = (hgq_agg_dim){"year", -1, NULL};
    memset(&sum, 0, sizeof sum);
    st = hgq_import_aggregate(ds, wb, "pub_certifications", &sp, &sum, imp_poison(&err));
    if (st != HGQ_OK)
        imp_check_error(st, &err);
    imp_check_summary(&sum);
    hgq_import_summary_free(&sum);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_buf scratch = {0};
    size_t len, added = 0;
    const unsigned char *file = fz_package(data, size, &scratch, &len);
    hgq_reader_options ropt;
    hgq_workbook *wb = NULL;
    hgq_schemas *reg;
    hgq_dataset *ds;
    hgq_error err;
    hgq_status st;

    fz_reader_options(&ropt);

    st = hgq_workbook_open_memory(&wb, file, len, "roster.xlsx", &ropt, imp_poison(&err));
    if (st != HGQ_OK) {
        imp_check_error(st, &err);
        free(scratch.p);
        return 0;
    }
    reg = hgq_schemas_new();
    ds = hgq_dataset_new(2025, hgq_date_from_ymd(2025, 8, 31));
    FZ_EXPECT(reg && ds);
    import_records(ds, reg, wb, "student");
    import_records(ds, reg, wb, "staff");
    import_aggregate(ds, wb);
    st = hgq_validate(ds, reg, NULL, &added, imp_poison(&err));
    if (st != HGQ_OK)
        imp_check_error(st, &err);
    imp_count_findings(ds, "");
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
    hgq_workbook_free(wb);
    free(scratch.p);
    return 0;
}
