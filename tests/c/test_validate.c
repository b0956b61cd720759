/*
 * test_validate.c - the validation pass (fields, ID numbers, duplicates,
 * references, aggregate margins) and the comparison of a published table
 * with one computed from records.
 */
#include <string.h>

#include "hgq.h"
#include "t.h"
#include "t_findings.h"

#define M(f) T_DATA("model/" f)

static hgq_dataset *new_ds(void)
{
    return hgq_dataset_new(2025, hgq_date_from_ymd(2025, 9, 1));
}

TEST(staff_roster)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_error err;
    size_t added = 0, again = 0, before;
    const hgq_finding *f;
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("staff.csv"), "staff", NULL, NULL, NULL, &err));
    before = hgq_dataset_finding_count(ds);
    CHECK_EQ_INT(1, count_code(ds, "import.rejected", NULL));
    CHECK_EQ_INT(HGQ_OK, hgq_validate(ds, reg, NULL, &added, &err));
    CHECK_EQ_INT(hgq_dataset_finding_count(ds) - before, added);
    /* duplicates name both rows */
    f = finding_at(ds, "unique.staff_no", 5, 0);               /* A6 repeats A3 */
    CHECK(f != NULL);
    if (f) {
        CHECK_EQ_INT(2, f->other.row);
        CHECK_EQ_INT(0, f->other.col);
        CHECK_EQ_STR("工号「T002」重复：第6行与第3行", f->message);
        CHECK_EQ_INT(HGQ_SEV_ERROR, f->severity);
        CHECK_EQ_STR("staff", f->entity);
        CHECK_EQ_STR("staff_no", f->field);
    }
    CHECK_EQ_INT(1, count_code(ds, "unique.staff_no", NULL));
    f = finding_at(ds, "unique.id_number", 6, 4);              /* E7 repeats E2 */
    CHECK(f && f->other.row == 1);
    CHECK_EQ_INT(1, count_code(ds, "unique.id_number", NULL));
    /* ID numbers */
    f = finding_at(ds, "id.checksum", 4, 4);
    CHECK(f != NULL);
    if (f)
        CHECK_EQ_STR("第5行身份证号码校验位错误：430404199505204447（校验位应为6）", f->message);
    CHECK_EQ_INT(1, count_code(ds, "id.checksum", NULL));
    f = finding_at(ds, "id.length", 10, 4);
    CHECK(f && strstr(f->message, "17位"));
    CHECK_EQ_INT(1, count_code(ds, "id.length", NULL));
    /* roster against ID number: the roster's cell is `where`, the ID `other` */
    f = finding_at(ds, "id.birth_mismatch", 7, 3);             /* 1980-01-01 vs 1980-01-02 */
    CHECK(f && f->other.col == 4 && strstr(f->message, "1980-01-02"));
    CHECK(finding_at(ds, "id.birth_mismatch", 6, 3) != NULL);  /* the borrowed ID number */
    CHECK_EQ_INT(2, count_code(ds, "id.birth_mismatch", NULL));
    CHECK(finding_at(ds, "id.gender_mismatch", 6, 2) != NULL);
    f = finding_at(ds, "id.gender_mismatch", 8, 2);
    CHECK(f && strstr(f->message, "号码显示为男"));
    CHECK_EQ_INT(2, count_code(ds, "id.gender_mismatch", NULL));
    /* a birth date after the reference date */
    f = finding_at(ds, "field.range", 11, 3);
    CHECK(f && strstr(f->message, "2030-01-01") && strstr(f->message, "2025-09-01"));
    CHECK_EQ_INT(1, count_code(ds, "field.range", NULL));
    /* valid rows raise nothing: T009 with spaces and a lowercase x */
    CHECK(finding_at(ds, "id.checksum", 9, 4) == NULL);
    CHECK_EQ_INT(0, count_code(ds, "field.enum", NULL));
    CHECK_EQ_INT(0, count_code(ds, "field.required", NULL));
    /* running again replaces, never duplicates, and keeps the import's findings */
    CHECK_EQ_INT(HGQ_OK, hgq_validate(ds, reg, NULL, &again, &err));
    CHECK_EQ_INT(added, again);
    CHECK_EQ_INT(before + added, hgq_dataset_finding_count(ds));
    CHECK_EQ_INT(1, count_code(ds, "import.rejected", NULL));
    /* a subset of checks */
    {
        hgq_validate_options o;
        hgq_validate_options_init(&o);
        o.checks = HGQ_CHECK_UNIQUE;
        CHECK_EQ_INT(HGQ_OK, hgq_validate(ds, reg, &o, &again, &err));
        CHECK_EQ_INT(2, again);
        CHECK_EQ_INT(0, count_code(ds, "id.checksum", NULL));
    }
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

TEST(references_between_entities)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_error err;
    const hgq_finding *f;
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("majors.xlsx"), "major", NULL, NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("roster_messy.xlsx"), "student", NULL, NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("graduates.csv"), "graduate", NULL, NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_validate(ds, reg, NULL, NULL, &err));
    /* 汽车维修 is not among the majors (数控技术 was matched to its canonical name) */
    CHECK_EQ_INT(1, count_code(ds, "ref.major", &f));
    if (f) {
        CHECK_EQ_INT(HGQ_SEV_WARNING, f->severity);
        CHECK_EQ_INT(11, f->where.row);
        CHECK_EQ_INT(6, f->where.col);
        CHECK_EQ_STR("第12行专业「汽车维修」不在专业表中", f->message);
    }
    /* graduate 2099001 is not among the students */
    CHECK_EQ_INT(1, count_code(ds, "ref.student_no", &f));
    if (f) {
        CHECK(strstr(f->message, "2099001") != NULL);
        CHECK_EQ_STR("graduate", f->entity);
        CHECK_EQ_INT(2, f->where.row);
    }
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

/* Records added by a program: no origins, messages count records. */
TEST(program_records)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_schema *s = hgq_schemas_get(reg, "staff");
    hgq_table *t;
    hgq_error err;
    size_t row, added;
    const hgq_finding *f;
    hgq_value v;
    CHECK_EQ_INT(HGQ_OK, hgq_entity_table(ds, s, &t, &err));
    CHECK_EQ_INT(hgq_schema_field_count(s), hgq_table_ncols(t));
    CHECK_EQ_INT(HGQ_OK, hgq_table_append_row(t, &row, &err));
    v = hgq_text("教授级");                    /* not a canonical title */
    hgq_table_set(t, row, (size_t)hgq_table_find_column(t, "title"), &v, &err);
    v = hgq_text("王五");
    hgq_table_set(t, row, (size_t)hgq_table_find_column(t, "name"), &v, &err);
    CHECK_EQ_INT(HGQ_OK, hgq_table_append_row(t, &row, &err));   /* no name */
    v = hgq_text("三十");                       /* text in a date column */
    hgq_table_set(t, row, (size_t)hgq_table_find_column(t, "birth_date"), &v, &err);
    CHECK_EQ_INT(HGQ_OK, hgq_validate(ds, reg, NULL, &added, &err));
    CHECK_EQ_INT(1, count_code(ds, "field.enum", &f));
    if (f) {
        CHECK(f->where.file == NULL);
        CHECK(strstr(f->message, "第1条记录") == f->message);
        CHECK(strstr(f->message, "教授级") != NULL);
    }
    CHECK_EQ_INT(1, count_code(ds, "field.required", &f));
    CHECK(f && strstr(f->message, "第2条记录缺少姓名"));
    CHECK_EQ_INT(1, count_code(ds, "field.type", &f));
    CHECK_EQ_INT(3, added);
    /* a required field empty in every record: one finding, not one each */
    {
        hgq_dataset *ds2 = new_ds();
        hgq_table *t2;
        hgq_entity_table(ds2, s, &t2, &err);
        hgq_table_append_row(t2, NULL, &err);
        hgq_table_append_row(t2, NULL, &err);
        hgq_table_append_row(t2, NULL, &err);
        CHECK_EQ_INT(HGQ_OK, hgq_validate(ds2, reg, NULL, NULL, &err));
        CHECK_EQ_INT(1, count_code(ds2, "field.required", &f));
        CHECK(f && strstr(f->message, "全部为空"));
        hgq_dataset_free(ds2);
    }
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

/* {====================================================================
 * Aggregates
 * ===================================================================== */

static hgq_table *long_table(const char *name, const char *dims, const char *const *rows,
                             size_t ndims, size_t nrows, const double *vals)
{
    hgq_table *t = hgq_table_new(name);
    size_t r, d;
    const char *p = dims;
    for (d = 0; d < ndims; d++) {
        char col[32];
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        memcpy(col, p, l);
        col[l] = '\0';
        hgq_table_add_column(t, col, HGQ_TEXT, NULL, NULL);
        p = comma ? comma + 1 : p + l;
    }
    hgq_table_add_column(t, "value", HGQ_NUM, NULL, NULL);
    hgq_table_set_meta(t, "kind", "aggregate", NULL);
    hgq_table_set_meta(t, "dims", dims, NULL);
    for (r = 0; r < nrows; r++) {
        size_t row;
        hgq_value v;
        hgq_table_append_row(t, &row, NULL);
        for (d = 0; d < ndims; d++) {
            v = hgq_text(rows[r * ndims + d]);
            hgq_table_set(t, row, d, &v, NULL);
        }
        v = vals[r] < 0 ? hgq_null() : hgq_num(vals[r]);
        hgq_table_set(t, row, ndims, &v, NULL);
    }
    return t;
}

/* Nested margins where the subtotal rows are missing: the grand total is
 * checked against the leaves. */
TEST(margins_with_missing_subtotals)
{
    static const char *const rows[] = {
        "男", "本科", "男", "专科", "女", "本科", "女", "专科", "合计", "合计",
        "男", "合计", "合计", "本科"};
    static const double vals[] = {10, 5, 7, 3, 26, 15, 17};   /* 26 should be 25; 男 15 ok */
    hgq_dataset *ds = new_ds();
    hgq_table *t = long_table("x", "gender,education", rows, 2, 7, vals);
    hgq_error err;
    size_t added;
    const hgq_finding *f;
    hgq_dataset_add_table(ds, t, &err);
    CHECK_EQ_INT(HGQ_OK, hgq_check_aggregate(ds, t, NULL, 1e-6, &added, &err));
    /* the subtotals present (男 15, 本科 17) are right; the grand total,
     * with no complete breakdown along either dimension, is checked against
     * its leaves: 26 for 25, one finding */
    CHECK_EQ_INT(1, added);
    CHECK_EQ_INT(1, count_code(ds, "agg.margin", &f));
    CHECK(f && strstr(f->message, "26") && strstr(f->message, "25"));
    /* no dims: an error, not a finding */
    {
        hgq_table *u = hgq_table_new("u");
        hgq_table_add_column(u, "value", HGQ_NUM, NULL, NULL);
        CHECK_EQ_INT(HGQ_ESCHEMA, hgq_check_aggregate(ds, u, NULL, 1e-6, &added, &err));
        CHECK_EQ_INT(HGQ_ESCHEMA, hgq_check_aggregate(ds, u, "nosuch", 1e-6, &added, &err));
        hgq_table_free(u);
    }
    hgq_dataset_free(ds);
}

TEST(validate_checks_imported_aggregates)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_agg_spec sp;
    hgq_error err;
    size_t added;
    hgq_agg_spec_init(&sp);
    sp.nrow_dims = 2;
    sp.row_dims[0].name = "trade";
    sp.row_dims[1].name = "level";
    sp.ncol_dims = 1;
    sp.col_dims[0].name = "year";
    CHECK_EQ_INT(HGQ_OK, hgq_import_aggregate_file(ds, M("pub_table5_bad.csv"), "t5", &sp, NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_validate(ds, reg, NULL, &added, &err));
    CHECK_EQ_INT(2, added);
    CHECK_EQ_INT(2, count_code(ds, "agg.margin", NULL));
    CHECK_EQ_INT(HGQ_OK, hgq_validate(ds, reg, NULL, &added, &err));
    CHECK_EQ_INT(2, count_code(ds, "agg.margin", NULL));
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

/* A published table against the one computed from the roster: every
 * differing cell, and every cell only one side has. */
TEST(published_against_computed)
{
    static const char *const crow[] = {"合计", "机械、电工电子类", "信息类", "其他"};
    static const double cval[] = {549, 363, 89, 3};
    hgq_dataset *ds = new_ds();
    hgq_agg_spec sp;
    hgq_error err;
    hgq_table *pub, *comp;
    hgq_compare_options o;
    size_t ndiff = 0, i;
    int seen_value = 0, seen_pub = 0, seen_comp = 0;
    hgq_agg_spec_init(&sp);
    sp.ncol_dims = 1;
    sp.col_dims[0].name = "category";
    sp.col_dims[0].values = "新生总数=合计|机械、电工电子类新生人数=机械、电工电子类|"
                            "信息类新生人数=信息类|财经商贸类新生人数=财经商贸类";
    CHECK_EQ_INT(HGQ_OK, hgq_import_aggregate_file(ds, M("pub_table2.xlsx"), "pub_new_students", &sp, NULL, NULL, &err));
    pub = hgq_dataset_table(ds, "pub_new_students");
    comp = long_table("computed", "category", crow, 1, 4, cval);
    CHECK_EQ_INT(HGQ_OK, hgq_compare_aggregates(ds, pub, comp, NULL, &ndiff, &err));
    CHECK_EQ_INT(3, ndiff);
    for (i = 0; i < hgq_dataset_finding_count(ds); i++) {
        const hgq_finding *f = hgq_dataset_finding(ds, i);
        if (strcmp(f->code, "cmp.value") == 0) {          /* 信息类 90 vs 89 */
            seen_value++;
            CHECK(f->where.file != NULL);
            CHECK_EQ_INT(2, f->where.row);
            CHECK_EQ_INT(2, f->where.col);              /* C3 */
            CHECK(strstr(f->message, "信息类") && strstr(f->message, "90") && strstr(f->message, "89"));
        } else if (strcmp(f->code, "cmp.only_published") == 0) {   /* 财经商贸类 96 */
            seen_pub++;
            CHECK_EQ_INT(3, f->where.col);
            CHECK(strstr(f->message, "96") != NULL);
        } else if (strcmp(f->code, "cmp.only_computed") == 0) {    /* 其他 3 */
            seen_comp++;
            CHECK(f->where.file == NULL);
            CHECK(strstr(f->message, "其他") != NULL);
        }
    }
    CHECK_EQ_INT(1, seen_value);
    CHECK_EQ_INT(1, seen_pub);
    CHECK_EQ_INT(1, seen_comp);
    /* a computed cell of 0 where the published table has none: equal by
     * default, a difference when absent cells are not taken as zero */
    {
        static const char *const r2[] = {"合计", "机械、电工电子类", "信息类", "财经商贸类", "其他"};
        static const double v2[] = {549, 363, 90, 96, 0};
        hgq_table *c2 = long_table("c2", "category", r2, 1, 5, v2);
        CHECK_EQ_INT(HGQ_OK, hgq_compare_aggregates(ds, pub, c2, NULL, &ndiff, &err));
        CHECK_EQ_INT(0, ndiff);
        hgq_compare_options_init(&o);
        o.missing_as_zero = 0;
        CHECK_EQ_INT(HGQ_OK, hgq_compare_aggregates(ds, pub, c2, &o, &ndiff, &err));
        CHECK_EQ_INT(1, ndiff);
        hgq_table_free(c2);
    }
    /* dimension columns must exist on both sides */
    hgq_compare_options_init(&o);
    o.dims = "trade";
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_compare_aggregates(ds, pub, comp, &o, &ndiff, &err));
    hgq_table_free(comp);
    hgq_dataset_free(ds);
}

/* }==================================================================== */

int main(void)
{
    RUN(staff_roster);
    RUN(references_between_entities);
    RUN(program_records);
    RUN(margins_with_missing_subtotals);
    RUN(validate_checks_imported_aggregates);
    RUN(published_against_computed);
    return t_done();
}
