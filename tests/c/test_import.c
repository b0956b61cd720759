/*
 * test_import.c - importing hand-made office sheets (tests/data/model):
 * title rows, merged two-row headers, totals rows, footnotes, full-width
 * digits, units, every date spelling, a GBK CSV, rows refused with their
 * reasons, the row balance, explicit mappings, and published cross-tabs.
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

static long col_of(const hgq_table *t, const char *name)
{
    long c = hgq_table_find_column(t, name);
    if (c < 0)
        T_FAIL("table %s has no column %s", hgq_table_name(t), name);
    return c;
}

static const char *text_at(const hgq_table *t, size_t row, const char *col)
{
    const hgq_value *v = hgq_table_get_by_name(t, row, col);
    return v->type == HGQ_TEXT ? v->u.s : "(not text)";
}

static double num_at(const hgq_table *t, size_t row, const char *col)
{
    const hgq_value *v = hgq_table_get_by_name(t, row, col);
    double x = -12345;
    hgq_value_number(v, &x);
    return x;
}

static void check_balance(const hgq_import_summary *s)
{
    CHECK_EQ_INT(s->rows_read, s->rows_accepted + s->rows_rejected + s->rows_skipped);
    CHECK_EQ_INT(s->rows_skipped, s->rows_blank + s->rows_totals + s->rows_notes);
}

static const char *mapped_field(const hgq_import_summary *s, uint32_t col)
{
    size_t i;
    for (i = 0; i < s->ncolumns; i++)
        if (s->columns[i].col == col)
            return s->columns[i].field;
    return NULL;
}

TEST(messy_roster)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_import_summary s;
    hgq_error err;
    hgq_table *t;
    const hgq_finding *f;
    hgq_origin o;
    double sep1 = hgq_date_from_ymd(2008, 9, 1);
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("roster_messy.xlsx"), "student", NULL, NULL, &s, &err));
    /* title and note rows skipped, two-row header at rows 3-4 */
    CHECK_EQ_INT(2, s.header_row);
    CHECK_EQ_INT(2, s.header_rows);
    CHECK_EQ_STR("学生名册", s.sheet);
    CHECK_EQ_STR("student", s.entity);
    /* rows 5..18: 8 records, row 9 refused, 2 blank, 1 totals, 2 notes */
    CHECK_EQ_INT(14, s.rows_read);
    CHECK_EQ_INT(8, s.rows_accepted);
    CHECK_EQ_INT(1, s.rows_rejected);
    CHECK_EQ_INT(5, s.rows_skipped);
    CHECK_EQ_INT(2, s.rows_blank);
    CHECK_EQ_INT(1, s.rows_totals);
    CHECK_EQ_INT(2, s.rows_notes);
    check_balance(&s);
    CHECK_EQ_INT(0, s.nmissing);
    /* columns: merged parent header joined, unmapped contact columns */
    CHECK_EQ_STR("name", mapped_field(&s, 2));
    CHECK_EQ_STR("gender", mapped_field(&s, 3));
    CHECK_EQ_STR("birth_date", mapped_field(&s, 4));
    CHECK_EQ_STR("id_number", mapped_field(&s, 5));
    CHECK_EQ_STR("major", mapped_field(&s, 6));
    CHECK(mapped_field(&s, 11) == NULL);
    CHECK_EQ_STR("联系方式/电话", s.columns[11].header);
    CHECK_EQ_INT(3, s.nunmapped);
    CHECK_EQ_INT(2, count_code(ds, "import.unmapped", &f));
    CHECK(f && strstr(f->message, "联系方式/电话") && f->severity == HGQ_SEV_NOTE);
    /* the records */
    t = hgq_dataset_table(ds, "student");
    CHECK(t != NULL);
    if (!t)
        goto out;
    CHECK_EQ_INT(8, hgq_table_nrows(t));
    CHECK_EQ_STR("records", hgq_table_meta(t, "kind"));
    CHECK_EQ_STR("2025001", text_at(t, 0, "student_no"));       /* a number cell */
    CHECK_EQ_STR("李娜", text_at(t, 1, "name"));                 /* "李 娜" */
    CHECK_EQ_STR("2025003", text_at(t, 2, "student_no"));        /* full-width digits */
    CHECK_EQ_STR("数控机床装配与维修", text_at(t, 0, "major"));     /* 数控技术 */
    CHECK_EQ_STR("数控2501", text_at(t, 1, "class"));            /* merged down */
    CHECK_EQ_STR("男", text_at(t, 2, "gender"));                 /* M */
    CHECK_EQ_STR("男", text_at(t, 5, "gender"));                 /* 1 */
    CHECK_EQ_STR("在校", text_at(t, 0, "status"));               /* 在读 */
    CHECK_EQ_STR("430421200903153455", text_at(t, 2, "id_number"));   /* spaces */
    CHECK_EQ_STR("43040520090210159X", text_at(t, 6, "id_number"));   /* lowercase x */
    CHECK_EQ_INT(HGQ_NULL, hgq_table_get_by_name(t, 4, "id_number")->type);   /* numeric */
    CHECK_EQ_DBL(2025, num_at(t, 1, "entry_year"), 0);           /* 2025级 */
    CHECK_EQ_DBL(2025, num_at(t, 2, "entry_year"), 0);           /* ２０２５ */
    CHECK_EQ_INT(1, hgq_table_get_by_name(t, 3, "rural")->u.b);  /* 农村 */
    CHECK_EQ_INT(1, hgq_table_get_by_name(t, 0, "rural")->u.b);  /* √ */
    /* each date spelling */
    CHECK_EQ_DBL(sep1, num_at(t, 0, "birth_date"), 0);                              /* date cell */
    CHECK_EQ_DBL(hgq_date_from_ymd(2008, 11, 15), num_at(t, 1, "birth_date"), 0);   /* serial */
    CHECK_EQ_DBL(hgq_date_from_ymd(2009, 3, 15), num_at(t, 2, "birth_date"), 0);    /* 2009/3/15 */
    CHECK_EQ_DBL(hgq_date_from_ymd(2008, 7, 20), num_at(t, 3, "birth_date"), 0);    /* 2008.07.20 */
    CHECK_EQ_DBL(hgq_date_from_ymd(2007, 12, 1), num_at(t, 4, "birth_date"), 0);    /* 2007年12月 */
    CHECK_EQ_DBL(hgq_date_from_ymd(2008, 5, 5), num_at(t, 5, "birth_date"), 0);     /* ISO */
    CHECK_EQ_DBL(hgq_date_from_ymd(2008, 6, 6), num_at(t, 7, "birth_date"), 0);     /* 20080606 */
    CHECK_EQ_INT(HGQ_DATE, hgq_table_get_by_name(t, 0, "birth_date")->type);
    /* origins */
    CHECK(hgq_table_origin(t, 1, (size_t)col_of(t, "birth_date"), &o));
    CHECK_EQ_INT(5, o.row);
    CHECK_EQ_INT(4, o.col);
    CHECK(strstr(o.file, "roster_messy.xlsx") != NULL);
    CHECK_EQ_STR("学生名册", o.sheet);
    /* findings: the refused row names its row; bad optional values name their cell */
    CHECK_EQ_INT(1, count_code(ds, "import.rejected", &f));
    if (f) {
        CHECK_EQ_INT(8, f->where.row);
        CHECK_EQ_INT(HGQ_WHOLE_ROW, f->where.col);
        CHECK_EQ_STR("第9行未导入：缺少姓名", f->message);
        CHECK_EQ_INT(HGQ_SEV_ERROR, f->severity);
        CHECK_EQ_STR("name", f->field);
    }
    CHECK_EQ_INT(1, count_code(ds, "value.id_numeric", &f));
    if (f) {
        CHECK_EQ_INT(HGQ_SEV_ERROR, f->severity);
        CHECK_EQ_INT(9, f->where.row);
        CHECK_EQ_INT(5, f->where.col);
        CHECK(strstr(f->message, "第10行身份证号码") == f->message);
    }
    CHECK_EQ_INT(1, count_code(ds, "value.date", &f));
    if (f) {
        CHECK_EQ_INT(HGQ_SEV_WARNING, f->severity);
        CHECK_EQ_INT(12, f->where.row);
        CHECK_EQ_INT(4, f->where.col);
        CHECK(strstr(f->message, "2008年13月") != NULL);
    }
    CHECK_EQ_INT(1, count_code(ds, "value.gender", NULL));
    CHECK_EQ_INT(HGQ_NULL, hgq_table_get_by_name(t, 6, "gender")->type);
    /* the source and its balance */
    CHECK_EQ_INT(1, hgq_dataset_source_count(ds));
    {
        const hgq_source *src = hgq_dataset_source(ds, 0);
        CHECK_EQ_INT(14, src->rows_read);
        CHECK_EQ_INT(8, src->rows_accepted);
        CHECK_EQ_INT(1, src->rows_rejected);
        CHECK_EQ_INT(5, src->rows_skipped);
        CHECK_EQ_STR("student", src->entity);
    }
out:
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

TEST(totals_rows_are_checked)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_import_summary s;
    hgq_error err;
    hgq_table *t;
    const hgq_finding *f;
    size_t i;
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("aid_totals.xlsx"), "aid", NULL, NULL, &s, &err));
    CHECK_EQ_INT(7, s.rows_read);
    CHECK_EQ_INT(4, s.rows_accepted);
    CHECK_EQ_INT(2, s.rows_totals);
    CHECK_EQ_INT(1, s.rows_notes);
    check_balance(&s);
    CHECK_EQ_STR("元", s.columns[5].unit);
    t = hgq_dataset_table(ds, "aid");
    CHECK(t && hgq_table_nrows(t) == 4);
    for (i = 0; t && i < 4; i++)   /* "1,000", "１０００元", "0.1万元", 1000 */
        CHECK_EQ_DBL(1000, num_at(t, i, "amount"), 1e-9);
    if (t) {
        CHECK_EQ_STR("建档立卡", text_at(t, 0, "hardship"));
        CHECK_EQ_STR("非涉农困难家庭", text_at(t, 1, "hardship"));
        CHECK_EQ_INT(HGQ_NULL, hgq_table_get_by_name(t, 2, "hardship")->type);   /* 无 */
    }
    /* the subtotal (2000) is right; the total (3500 for 4000) is not */
    CHECK_EQ_INT(1, count_code(ds, "import.total", &f));
    if (f) {
        CHECK_EQ_INT(7, f->where.row);     /* F8 */
        CHECK_EQ_INT(5, f->where.col);
        CHECK(f->other.file != NULL);
        CHECK_EQ_INT(2, f->other.row);     /* F3, the first row summed */
        CHECK_EQ_INT(5, f->other.col);
        CHECK(strstr(f->message, "3500") && strstr(f->message, "4000"));
        CHECK_EQ_STR("amount", f->field);
    }
    hgq_import_summary_free(&s);
    /* the check can be turned off */
    {
        hgq_dataset *ds2 = new_ds();
        hgq_import_options o;
        hgq_import_options_init(&o);
        o.check_totals = 0;
        CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds2, reg, M("aid_totals.xlsx"), "aid", &o, NULL, NULL, &err));
        CHECK_EQ_INT(0, count_code(ds2, "import.total", NULL));
        hgq_dataset_free(ds2);
    }
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

TEST(gbk_csv_with_units)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_import_summary s;
    hgq_error err;
    hgq_table *t;
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("school_gbk.csv"), "school", NULL, NULL, &s, &err));
    CHECK_EQ_INT(1, s.rows_accepted);
    check_balance(&s);
    t = hgq_dataset_table(ds, "school");
    if (t && hgq_table_nrows(t) == 1) {
        CHECK_EQ_STR("衡阳工业技工学校", text_at(t, 0, "name"));
        CHECK_EQ_STR("技工学校", text_at(t, 0, "type"));              /* 技校 */
        CHECK_EQ_DBL(62000, num_at(t, 0, "land_area"), 1e-6);        /* 93亩 */
        CHECK_EQ_DBL(21000, num_at(t, 0, "building_area"), 0);       /* "21,000平方米" */
        CHECK_EQ_DBL(5000, num_at(t, 0, "training_area"), 0);        /* ５０００ */
        CHECK_EQ_DBL(625.46, num_at(t, 0, "equipment_value"), 1e-9); /* 6254600元 */
        CHECK_EQ_DBL(235, num_at(t, 0, "computers"), 0);             /* 235台 */
        CHECK_EQ_DBL(120000, num_at(t, 0, "books"), 0);              /* 12万册 */
        CHECK_EQ_DBL(680.13, num_at(t, 0, "funding"), 1e-9);
    } else {
        T_FAIL("no school record");
    }
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

/* A roster with bad rows scattered through it: the balance holds and each
 * refusal names its row. */
TEST(scattered_bad_rows)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_import_summary s;
    hgq_error err;
    size_t i, k = 0;
    static const unsigned bad_lines[] = {4, 11, 17, 23};
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("scattered.csv"), "student", NULL, NULL, &s, &err));
    CHECK_EQ_INT(24, s.rows_read);
    CHECK_EQ_INT(20, s.rows_accepted);
    CHECK_EQ_INT(4, s.rows_rejected);
    CHECK_EQ_INT(0, s.rows_skipped);
    check_balance(&s);
    for (i = 0; i < hgq_dataset_finding_count(ds); i++) {
        const hgq_finding *f = hgq_dataset_finding(ds, i);
        char want[32];
        if (strcmp(f->code, "import.rejected") != 0)
            continue;
        CHECK(k < 4);
        if (k >= 4)
            break;
        CHECK_EQ_INT(bad_lines[k] - 1, f->where.row);
        snprintf(want, sizeof want, "第%u行", bad_lines[k]);
        CHECK(strstr(f->message, want) == f->message);
        CHECK_EQ_STR("scattered", f->where.sheet);
        k++;
    }
    CHECK_EQ_INT(4, k);
    CHECK_EQ_INT(20, hgq_table_nrows(hgq_dataset_table(ds, "student")));
    hgq_import_summary_free(&s);
    /* a second file feeds the same entity */
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("scattered.csv"), "student", NULL, NULL, &s, &err));
    CHECK_EQ_INT(20, s.first_record);
    CHECK_EQ_INT(40, hgq_table_nrows(hgq_dataset_table(ds, "student")));
    CHECK_EQ_INT(2, hgq_dataset_source_count(ds));
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

TEST(required_fields_refuse_rows)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_import_summary s;
    hgq_error err;
    hgq_table *t;
    size_t i, n = 0;
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("cert.csv"), "certification", NULL, NULL, &s, &err));
    CHECK_EQ_INT(7, s.rows_read);
    CHECK_EQ_INT(3, s.rows_accepted);
    CHECK_EQ_INT(3, s.rows_rejected);
    CHECK_EQ_INT(1, s.rows_totals);
    check_balance(&s);
    t = hgq_dataset_table(ds, "certification");
    if (t && hgq_table_nrows(t) == 3) {
        CHECK_EQ_STR("四级", text_at(t, 1, "level"));     /* 中级工 */
        CHECK_EQ_STR("三级", text_at(t, 2, "level"));     /* 高级工 */
        CHECK_EQ_DBL(7, num_at(t, 2, "persons"), 0);      /* ７ */
    } else {
        T_FAIL("want 3 certification records");
    }
    for (i = 0; i < hgq_dataset_finding_count(ds); i++) {
        const hgq_finding *f = hgq_dataset_finding(ds, i);
        if (strcmp(f->code, "import.rejected") != 0)
            continue;
        n++;
        if (f->where.row == 3)
            CHECK(strstr(f->message, "第4行") && strstr(f->message, "缺少工种"));
        else if (f->where.row == 4)
            CHECK(strstr(f->message, "第5行") && strstr(f->message, "六级"));
        else if (f->where.row == 5)
            CHECK(strstr(f->message, "第6行") && strstr(f->message, "若干"));
        else
            T_FAIL("unexpected refusal of row %u", f->where.row + 1);
    }
    CHECK_EQ_INT(3, n);
    /* the printed total (57) counts the refused rows' numbers too: no finding */
    CHECK_EQ_INT(0, count_code(ds, "import.total", NULL));
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

TEST(explicit_mapping)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_import_summary s;
    hgq_import_options o;
    hgq_error err;
    hgq_table *t;
    hgq_import_map map[] = {{"name", "B"}, {"id_number", "身份证号码"}, {"class", "F"}};
    hgq_import_options_init(&o);
    o.mapping = map;
    o.nmapping = 3;
    /* staff.csv read as students, the 岗位类别 column (F) taken as the class */
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("staff.csv"), "student", &o, NULL, &s, &err));
    CHECK_EQ_STR("name", mapped_field(&s, 1));
    CHECK_EQ_STR("id_number", mapped_field(&s, 4));
    CHECK_EQ_STR("class", mapped_field(&s, 5));
    t = hgq_dataset_table(ds, "student");
    CHECK(t && hgq_table_nrows(t) == 11);
    if (t)
        CHECK_EQ_STR("专任教师", text_at(t, 0, "class"));
    hgq_import_summary_free(&s);
    /* errors: unknown field, header text not found, no header at all */
    map[0].field = "nosuch";
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_import_file(ds, reg, M("staff.csv"), "student", &o, NULL, NULL, &err));
    map[0].field = "name";
    map[1].column = "护照号码";
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_import_file(ds, reg, M("staff.csv"), "student", &o, NULL, NULL, &err));
    CHECK(strstr(err.message, "护照号码") != NULL);
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_import_file(ds, reg, M("pub_table6.csv"), "student", NULL, NULL, NULL, &err));
    CHECK(strstr(err.file, "pub_table6.csv") != NULL);
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_import_file(ds, reg, M("staff.csv"), "nobody", NULL, NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_EIO, hgq_import_file(ds, reg, M("no_such_file.xlsx"), "student", NULL, NULL, NULL, &err));
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

TEST(sheet_choice_and_header_row)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_import_summary s;
    hgq_import_options o;
    hgq_error err;
    hgq_table *t;
    /* the cover sheet names no field: the second sheet is chosen */
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("majors.xlsx"), "major", NULL, NULL, &s, &err));
    CHECK_EQ_STR("专业设置", s.sheet);
    CHECK_EQ_INT(1, s.header_row);
    CHECK_EQ_INT(7, s.rows_accepted);
    t = hgq_dataset_table(ds, "major");
    if (t && hgq_table_nrows(t) == 7) {
        CHECK_EQ_DBL(3, num_at(t, 0, "years"), 0);           /* 三年 */
        CHECK_EQ_INT(1, hgq_table_get_by_name(t, 0, "apprenticeship")->u.b);
        CHECK_EQ_STR("信息类", text_at(t, 5, "category"));
    }
    hgq_import_summary_free(&s);
    hgq_import_options_init(&o);
    o.sheet = "封面";
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_import_file(ds, reg, M("majors.xlsx"), "major", &o, NULL, NULL, &err));
    o.sheet = "没有";
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_import_file(ds, reg, M("majors.xlsx"), "major", &o, NULL, NULL, &err));
    /* a given header row: roster_messy's lower header row, whose cells
     * merged down from the row above (序号, 学号, 姓名 ...) still count */
    {
        hgq_dataset *ds2 = new_ds();
        hgq_import_options_init(&o);
        o.header_row = 3;
        o.header_rows = 1;
        CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds2, reg, M("roster_messy.xlsx"), "student", &o, NULL, &s, &err));
        CHECK_EQ_INT(3, s.header_row);
        CHECK_EQ_INT(1, s.header_rows);
        CHECK_EQ_STR("gender", mapped_field(&s, 3));
        CHECK_EQ_STR("name", mapped_field(&s, 2));
        CHECK_EQ_INT(0, s.nmissing);
        CHECK_EQ_INT(8, s.rows_accepted);
        check_balance(&s);
        hgq_import_summary_free(&s);
        hgq_dataset_free(ds2);
    }
    /* the upper row alone: the 基本信息 columns name no field, and the
     * lower header row, with values only in columns that feed no field,
     * counts as blank */
    {
        hgq_dataset *ds2 = new_ds();
        hgq_import_options_init(&o);
        o.header_row = 2;
        o.header_rows = 1;
        CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds2, reg, M("roster_messy.xlsx"), "student", &o, NULL, &s, &err));
        CHECK(mapped_field(&s, 3) == NULL);
        CHECK_EQ_STR("name", mapped_field(&s, 2));
        CHECK_EQ_INT(15, s.rows_read);
        CHECK_EQ_INT(1, s.rows_rejected);
        CHECK_EQ_INT(3, s.rows_blank);   /* the lower header row has nothing in mapped columns */
        check_balance(&s);
        hgq_import_summary_free(&s);
        hgq_dataset_free(ds2);
    }
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

TEST(own_entity_and_missing_required_column)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_schema *dorm;
    hgq_field_def f[3];
    hgq_import_summary s;
    hgq_error err;
    const hgq_finding *fd;
    memset(f, 0, sizeof f);
    f[0].id = "student_no"; f[0].label = "学号"; f[0].type = HGQ_FT_TEXT; f[0].headers = "学号";
    f[1].id = "name"; f[1].label = "姓名"; f[1].type = HGQ_FT_TEXT; f[1].headers = "姓名";
    f[2].id = "room"; f[2].label = "宿舍"; f[2].type = HGQ_FT_TEXT; f[2].flags = HGQ_FIELD_REQUIRED;
    f[2].headers = "宿舍|寝室";
    CHECK_EQ_INT(HGQ_OK, hgq_schemas_define(reg, "boarder", "住宿生", &dorm, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_schema_add_field(dorm, &f[0], &err));
    CHECK_EQ_INT(HGQ_OK, hgq_schema_add_field(dorm, &f[1], &err));
    CHECK_EQ_INT(HGQ_OK, hgq_schema_add_field(dorm, &f[2], &err));
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, M("scattered.csv"), "boarder", NULL, NULL, &s, &err));
    CHECK_EQ_INT(1, s.nmissing);
    CHECK_EQ_INT(1, count_code(ds, "import.missing_field", &fd));
    if (fd) {
        CHECK_EQ_INT(HGQ_SEV_ERROR, fd->severity);
        CHECK_EQ_STR("room", fd->field);
        CHECK(strstr(fd->message, "宿舍") != NULL);
    }
    /* one finding for the column, not one per row: the rows are kept */
    CHECK_EQ_INT(0, s.rows_rejected);
    CHECK_EQ_INT(24, s.rows_accepted);
    check_balance(&s);
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

TEST(workbook_already_open)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_workbook *wb;
    hgq_error err;
    hgq_import_options o;
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_open(&wb, M("majors.xlsx"), NULL, &err));
    hgq_import_options_init(&o);
    o.sheet_index = 1;
    CHECK_EQ_INT(HGQ_OK, hgq_import(ds, reg, wb, "major", &o, NULL, &err));
    o.sheet_index = 5;
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_import(ds, reg, wb, "major", &o, NULL, &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_import(ds, NULL, wb, "major", NULL, NULL, &err));
    hgq_workbook_free(wb);
    CHECK_EQ_INT(7, hgq_table_nrows(hgq_dataset_table(ds, "major")));
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

/* {====================================================================
 * Published tables
 * ===================================================================== */

static void dims2(hgq_agg_spec *sp, const char *r1, const char *r2, const char *c1)
{
    hgq_agg_spec_init(sp);
    sp->nrow_dims = r2 ? 2 : (r1 ? 1 : 0);
    sp->row_dims[0].name = r1;
    sp->row_dims[1].name = r2;
    sp->ncol_dims = 1;
    sp->col_dims[0].name = c1;
}

/* Row of the long-form table with these dimension values, or -1. */
static long find_cell(const hgq_table *t, const char *a, const char *b, const char *c)
{
    size_t r, n = hgq_table_nrows(t);
    for (r = 0; r < n; r++) {
        const hgq_value *va = hgq_table_get(t, r, 0), *vb = hgq_table_get(t, r, 1);
        const hgq_value *vc = hgq_table_get(t, r, 2);
        if (va->type == HGQ_TEXT && strcmp(va->u.s, a) == 0 && vb->type == HGQ_TEXT &&
            strcmp(vb->u.s, b) == 0 && (!c || (vc->type == HGQ_TEXT && strcmp(vc->u.s, c) == 0)))
            return (long)r;
    }
    return -1;
}

TEST(table5_merged_trades)
{
    hgq_dataset *ds = new_ds();
    hgq_agg_spec sp;
    hgq_import_summary s;
    hgq_error err;
    hgq_table *t;
    hgq_origin o;
    long r;
    size_t added = 99;
    dims2(&sp, "trade", "level", "year");
    sp.measure = "人";
    CHECK_EQ_INT(HGQ_OK, hgq_import_aggregate_file(ds, M("pub_table5.xlsx"), "pub_certifications", &sp, NULL, &s, &err));
    CHECK_EQ_INT(9, s.rows_accepted);
    CHECK_EQ_INT(108, s.cells);
    check_balance(&s);
    t = hgq_dataset_table(ds, "pub_certifications");
    CHECK(t != NULL);
    if (!t)
        goto out;
    CHECK_EQ_STR("aggregate", hgq_table_meta(t, "kind"));
    CHECK_EQ_STR("trade,level,year", hgq_table_meta(t, "dims"));
    CHECK_EQ_STR("表 5 历年技能等级认定人数统计表", hgq_table_meta(t, "title"));
    CHECK_EQ_STR("人", hgq_table_meta(t, "measure"));
    CHECK_EQ_STR("value", hgq_table_column_name(t, 3));
    r = find_cell(t, "钳工", "四级", "2024");        /* 钳工 merged down from A6 */
    CHECK(r >= 0);
    if (r >= 0) {
        CHECK_EQ_DBL(64, num_at(t, (size_t)r, "value"), 0);
        CHECK(hgq_table_origin(t, (size_t)r, 3, &o));
        CHECK_EQ_INT(6, o.row);     /* L7 */
        CHECK_EQ_INT(11, o.col);
    }
    r = find_cell(t, "合计", "合计", "合计");         /* 总计 row, 合计 column */
    CHECK(r >= 0);
    if (r >= 0)
        CHECK_EQ_DBL(959, num_at(t, (size_t)r, "value"), 0);
    r = find_cell(t, "车工", "三级", "2014");         /* blank cell */
    CHECK(r >= 0 && hgq_table_get(t, (size_t)r, 3)->type == HGQ_NULL);
    /* the published table adds up */
    CHECK_EQ_INT(HGQ_OK, hgq_check_aggregate(ds, t, NULL, 1e-6, &added, &err));
    CHECK_EQ_INT(0, added);
out:
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
}

/* A published table that does not add up is reported with its cells. */
TEST(table5_that_does_not_add_up)
{
    hgq_dataset *ds = new_ds();
    hgq_agg_spec sp;
    hgq_import_summary s;
    hgq_error err;
    size_t added = 0, i;
    int row_total = 0, col_total = 0;
    dims2(&sp, "trade", "level", "year");
    CHECK_EQ_INT(HGQ_OK, hgq_import_aggregate_file(ds, M("pub_table5_bad.csv"), "t5", &sp, NULL, &s, &err));
    CHECK_EQ_INT(10, s.rows_read);
    CHECK_EQ_INT(9, s.rows_accepted);
    CHECK_EQ_INT(1, s.rows_notes);
    check_balance(&s);
    CHECK_EQ_INT(HGQ_OK, hgq_check_aggregate(ds, hgq_dataset_table(ds, "t5"), NULL, 1e-6, &added, &err));
    CHECK_EQ_INT(2, added);
    for (i = 0; i < hgq_dataset_finding_count(ds); i++) {
        const hgq_finding *f = hgq_dataset_finding(ds, i);
        if (strcmp(f->code, "agg.margin") != 0)
            continue;
        if (f->where.row == 6 && f->where.col == 13) {        /* N7: 钳工 四级 合计 212 */
            row_total = 1;
            CHECK_EQ_INT(6, f->other.row);
            CHECK_EQ_INT(2, f->other.col);                     /* C7: its first part */
            CHECK(strstr(f->message, "212") && strstr(f->message, "194"));
        } else if (f->where.row == 10 && f->where.col == 11) { /* L11: 总计 2024 = 64 */
            col_total = 1;
            CHECK_EQ_INT(11, f->other.col);
            CHECK(strstr(f->message, "64") && strstr(f->message, "46"));
        } else {
            T_FAIL("unexpected margin finding at row %u col %u", f->where.row, f->where.col);
        }
        CHECK_EQ_INT(HGQ_SEV_ERROR, f->severity);
    }
    CHECK(row_total && col_total);
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
}

TEST(table3_two_breakdowns)
{
    hgq_dataset *ds = new_ds();
    hgq_agg_spec sp;
    hgq_import_summary s;
    hgq_error err;
    hgq_table *t;
    size_t added = 0, i, nb = 0;
    long r;
    dims2(&sp, "group", "item", "age_band");
    sp.margins = "合计";
    sp.breakdown = "group";
    sp.breakdown_total = "总计";
    CHECK_EQ_INT(HGQ_OK, hgq_import_aggregate_file(ds, M("pub_table3.xlsx"), "pub_teachers", &sp, NULL, &s, &err));
    CHECK_EQ_INT(30, s.cells);
    t = hgq_dataset_table(ds, "pub_teachers");
    if (!t) {
        T_FAIL("no table");
        goto out;
    }
    r = find_cell(t, "总计", "总计", "合计");   /* 总计 merged across A3:B3 */
    CHECK(r >= 0);
    if (r >= 0)
        CHECK_EQ_DBL(63, num_at(t, (size_t)r, "value"), 0);
    r = find_cell(t, "职称", "未定职级", "30岁以下");   /* 职称 merged down */
    CHECK(r >= 0);
    if (r >= 0)
        CHECK_EQ_DBL(25, num_at(t, (size_t)r, "value"), 0);
    CHECK_EQ_STR("group", hgq_table_meta(t, "breakdown"));
    /* as printed in the reference report, both breakdowns miss the 总计 row
     * in some age bands: 职称 in two, 学历 in four; every 合计 is right */
    CHECK_EQ_INT(HGQ_OK, hgq_check_aggregate(ds, t, NULL, 1e-6, &added, &err));
    CHECK_EQ_INT(6, added);
    for (i = 0; i < hgq_dataset_finding_count(ds); i++) {
        const hgq_finding *f = hgq_dataset_finding(ds, i);
        CHECK(strcmp(f->code, "agg.margin") != 0);
        if (strcmp(f->code, "agg.breakdown") == 0) {
            nb++;
            CHECK_EQ_INT(2, f->where.row);                   /* the 总计 row */
            CHECK(f->other.file != NULL);
            if (f->where.col == 3 && strstr(f->message, "职称"))
                CHECK(strstr(f->message, "26") && strstr(f->message, "21"));
        }
    }
    CHECK_EQ_INT(6, nb);
out:
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
}

/* Group labels on lines of their own, and no merges (a CSV). */
TEST(table3_heading_rows)
{
    hgq_dataset *ds = new_ds();
    hgq_agg_spec sp;
    hgq_import_summary s;
    hgq_error err;
    hgq_table *t;
    size_t added = 9;
    long r;
    dims2(&sp, "group", "item", "age_band");
    sp.margins = "合计";
    sp.breakdown = "group";
    sp.breakdown_total = "总计";
    CHECK_EQ_INT(HGQ_OK, hgq_import_aggregate_file(ds, M("pub_table3_headings.csv"), "t3", &sp, NULL, &s, &err));
    CHECK_EQ_INT(7, s.rows_read);
    CHECK_EQ_INT(4, s.rows_accepted);
    CHECK_EQ_INT(2, s.rows_blank);
    CHECK_EQ_INT(1, s.rows_notes);
    CHECK_EQ_INT(12, s.cells);
    check_balance(&s);
    t = hgq_dataset_table(ds, "t3");
    r = t ? find_cell(t, "职称", "初级", "30岁以下") : -1;
    CHECK(r >= 0);
    if (r >= 0)
        CHECK_EQ_DBL(4, num_at(t, (size_t)r, "value"), 0);
    r = t ? find_cell(t, "学历", "本科", "合计") : -1;
    CHECK(r >= 0);
    CHECK(t && find_cell(t, "总计", "总计", "31-40岁") >= 0);
    CHECK_EQ_INT(HGQ_OK, hgq_check_aggregate(ds, t, NULL, 1e-6, &added, &err));
    CHECK_EQ_INT(0, added);
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
}

TEST(table2_no_row_dimension)
{
    hgq_dataset *ds = new_ds();
    hgq_agg_spec sp;
    hgq_import_summary s;
    hgq_error err;
    hgq_table *t;
    size_t added = 9;
    hgq_agg_spec_init(&sp);
    sp.ncol_dims = 1;
    sp.col_dims[0].name = "category";
    sp.col_dims[0].values = "新生总数=合计|机械、电工电子类 新生人数=机械、电工电子类|信息类新生人数=信息类|"
                            "财经商贸类 新生人数=财经商贸类";
    CHECK_EQ_INT(HGQ_OK, hgq_import_aggregate_file(ds, M("pub_table2.xlsx"), "pub_new_students", &sp, NULL, &s, &err));
    CHECK_EQ_INT(4, s.cells);
    t = hgq_dataset_table(ds, "pub_new_students");
    if (t && hgq_table_nrows(t) == 4) {
        CHECK_EQ_STR("合计", text_at(t, 0, "category"));
        CHECK_EQ_STR("信息类", text_at(t, 2, "category"));
        CHECK_EQ_DBL(549, num_at(t, 0, "value"), 0);
        CHECK_EQ_DBL(90, num_at(t, 2, "value"), 0);    /* "90" as text */
        CHECK_EQ_DBL(96, num_at(t, 3, "value"), 0);    /* "96人" */
        CHECK_EQ_INT(HGQ_OK, hgq_check_aggregate(ds, t, NULL, 1e-6, &added, &err));
        CHECK_EQ_INT(0, added);
    } else {
        T_FAIL("want 4 cells");
    }
    hgq_import_summary_free(&s);
    /* errors */
    CHECK_EQ_INT(HGQ_EARG, hgq_import_aggregate_file(ds, M("pub_table2.xlsx"), "pub_new_students", &sp, NULL, NULL, &err));
    sp.ncol_dims = 0;
    CHECK_EQ_INT(HGQ_EARG, hgq_import_aggregate_file(ds, M("pub_table2.xlsx"), "x", &sp, NULL, NULL, &err));
    sp.ncol_dims = 1;
    sp.col_dims[0].name = "value";
    CHECK_EQ_INT(HGQ_EARG, hgq_import_aggregate_file(ds, M("pub_table2.xlsx"), "x", &sp, NULL, NULL, &err));
    hgq_dataset_free(ds);
}

TEST(table6_csv)
{
    hgq_dataset *ds = new_ds();
    hgq_agg_spec sp;
    hgq_import_summary s;
    hgq_error err;
    hgq_table *t;
    long r;
    dims2(&sp, "year", NULL, "item");
    CHECK_EQ_INT(HGQ_OK, hgq_import_aggregate_file(ds, M("pub_table6.csv"), "pub_aid", &sp, NULL, &s, &err));
    CHECK_EQ_INT(12, s.cells);
    CHECK_EQ_INT(3, s.rows_accepted);
    t = hgq_dataset_table(ds, "pub_aid");
    r = t ? find_cell(t, "2024", "在校生数", NULL) : -1;
    CHECK(r >= 0);
    if (r >= 0)
        CHECK_EQ_DBL(1064, num_at(t, (size_t)r, "value"), 0);   /* "1,064" */
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
}

/* }==================================================================== */

int main(void)
{
    RUN(messy_roster);
    RUN(totals_rows_are_checked);
    RUN(gbk_csv_with_units);
    RUN(scattered_bad_rows);
    RUN(required_fields_refuse_rows);
    RUN(explicit_mapping);
    RUN(sheet_choice_and_header_row);
    RUN(own_entity_and_missing_required_column);
    RUN(workbook_already_open);
    RUN(table5_merged_trades);
    RUN(table5_that_does_not_add_up);
    RUN(table3_two_breakdowns);
    RUN(table3_heading_rows);
    RUN(table2_no_row_dimension);
    RUN(table6_csv);
    return t_done();
}
