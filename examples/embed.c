/*
 * embed.c - libhgq from C, through its public header only: import a
 * student roster, compute indicators from the catalogue, group the students
 * and write a small workbook.
 *
 *   cc $(pkg-config --cflags hgq) embed.c $(pkg-config --libs --static hgq) -o embed
 *   ./embed examples/hengyang-2025/学生花名册.xlsx students.xlsx
 *
 * Prints the import's row balance, the indicators 在校生数 and 招生人数 and
 * the number of findings; exits 0 when the workbook was written.
 */
#include <hgq.h>
#include <stdio.h>

/* Prints an error with its location and returns 1 (for `return fail(...)`). */
static int fail(const char *what, const hgq_error *err)
{
    char msg[1024];
    hgq_error_format(err, msg, sizeof msg);
    fprintf(stderr, "embed: %s: %s (%s)\n", what, msg, hgq_status_name(err->code));
    return 1;
}

/* Writes the indicators and the students by year of entry to `path`. */
static int write_workbook(const char *path, const hgq_indicator_result *const *ind, size_t nind,
                          const hgq_table *by_year)
{
    hgq_writer_options wo;
    hgq_writer *w;
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_error err;
    hgq_value rows[2 * 8];
    const char *header[] = {"指标", "数值"};
    const char *formats[] = {"text", "text"};
    const char *year_header[] = {"入学年份", "在校生数", "占比"};
    const char *year_formats[] = {NULL, "integer", "percent"};
    size_t i;
    int rc = 0;

    hgq_writer_options_init(&wo);
    wo.title = "学生规模";
    if (hgq_writer_new(&w, path, &wo, &err) != HGQ_OK)
        return fail("cannot start the workbook", &err);
    for (i = 0; i < nind && i < 8; i++) {
        rows[2 * i] = hgq_text(ind[i]->name_zh);
        rows[2 * i + 1] = hgq_text(ind[i]->text);
    }
    hgq_table_layout_init(&t);
    t.title = "学生规模指标";
    t.ncols = 2;
    t.header_rows = 1;
    t.header = header;
    t.formats = formats;
    if (hgq_writer_add_sheet(w, "指标", NULL, &sh, &err) != HGQ_OK ||
        hgq_writer_sheet_table(sh, &t, rows, i, NULL, &err) != HGQ_OK) {
        rc = fail("cannot write the indicators", &err);
        goto done;
    }
    hgq_table_layout_init(&t);
    t.title = "在校生按入学年份";
    t.ncols = 3;
    t.header_rows = 1;
    t.header = year_header;
    t.formats = year_formats;
    if (hgq_writer_add_sheet(w, "在校生", NULL, &sh, &err) != HGQ_OK ||
        hgq_writer_sheet_write_table(sh, by_year, &t, NULL, &err) != HGQ_OK) {
        rc = fail("cannot write the students by year", &err);
        goto done;
    }
    if (hgq_writer_close(w, &err) != HGQ_OK)
        rc = fail("cannot write the workbook", &err);
done:
    hgq_writer_free(w);
    return rc;
}

int main(int argc, char **argv)
{
    const char *roster = argc > 1 ? argv[1] : "examples/hengyang-2025/学生花名册.xlsx";
    const char *out = argc > 2 ? argv[2] : "students.xlsx";
    hgq_error err;
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = hgq_dataset_new(2025, hgq_date_from_ymd(2025, 9, 1));
    hgq_catalogue *cat = hgq_catalogue_new();
    hgq_indicator_results *res = NULL;
    hgq_table *by_year = NULL;
    hgq_import_summary sum;
    const hgq_indicator_result *ind[2];
    const char *by[] = {"entry_year"};
    hgq_cond in_school = {"status", HGQ_OP_EQ, hgq_text("在校"), NULL, 0};
    hgq_filter f = {&in_school, 1, NULL, 0, NULL, NULL};
    hgq_group_spec g = {by, 1, NULL, 0, &f, 1, 1};
    int rc = 1;

    if (!reg || !ds || !cat) {
        fprintf(stderr, "embed: out of memory\n");
        goto done;
    }
    /* 1. import: the header is found below the title, every value is
     *    normalised and kept with its cell */
    if (hgq_import_file(ds, reg, roster, "student", NULL, NULL, &sum, &err) != HGQ_OK) {
        fail("cannot import the roster", &err);
        hgq_import_summary_free(&sum);
        goto done;
    }
    printf("%s: %zu rows read, %zu accepted, %zu rejected, %zu skipped\n", sum.sheet,
           sum.rows_read, sum.rows_accepted, sum.rows_rejected, sum.rows_skipped);
    hgq_import_summary_free(&sum);

    /* 2. check: ID numbers, required fields, ranges */
    if (hgq_validate(ds, reg, NULL, NULL, &err) != HGQ_OK) {
        fail("cannot validate", &err);
        goto done;
    }
    printf("findings: %zu\n", hgq_dataset_finding_count(ds));

    /* 3. indicators: definitions are data in the catalogue */
    if (hgq_catalogue_evaluate(cat, ds, NULL, &res, &err) != HGQ_OK) {
        fail("cannot evaluate the indicators", &err);
        goto done;
    }
    ind[0] = hgq_indicator_results_find(res, "students");
    ind[1] = hgq_indicator_results_find(res, "new_students");
    if (!ind[0] || !ind[1]) {
        fprintf(stderr, "embed: the catalogue lacks students or new_students\n");
        goto done;
    }
    printf("%s %s\n%s %s\n", ind[0]->name_zh, ind[0]->text, ind[1]->name_zh, ind[1]->text);

    /* 4. statistics: students in school by year of entry, with a 合计 row */
    if (hgq_stats_group(hgq_dataset_table(ds, "student"), &g, &by_year, &err) != HGQ_OK) {
        fail("cannot group the students", &err);
        goto done;
    }

    /* 5. a workbook */
    if (write_workbook(out, ind, 2, by_year) == 0) {
        printf("wrote %s\n", out);
        rc = 0;
    }
done:
    hgq_table_free(by_year);
    hgq_indicator_results_free(res);
    hgq_catalogue_free(cat);
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
    return rc;
}
