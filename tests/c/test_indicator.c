/*
 * test_indicator.c - the indicator catalogue evaluated on the reference
 * school (衡阳工业技工学校, 2025 report), built from record-level data that
 * reproduces the report's aggregates; thresholds from the shipped files and
 * from files a user edits; variants, history, missing inputs.
 *
 * About 表3 (专任教师信息统计表) as published: each row adds up to its 合计
 * (中级 0+2+6+10 = 18, 初级 1+1+4+0 = 6, 未定职级 25+11+2+1 = 39, 本科
 * 26+15+9+8 = 58, 专科 2+0+1+2 = 5) and the titles (18+6+39) and the
 * education rows (58+5) each add up to 63 = 21+19+12+11, the 总计 row and
 * the prose. The age-band columns do not: the title rows give 26/14/12/11
 * per band and the education rows 28/15/10/10, against 总计 21/19/12/11.
 * The roster built here follows the prose's totals (21/19/12/11; 中级 18,
 * 初级 6, 未定职级 39; 本科 58, 专科 5) and keeps the published cells where
 * they fit: 中级 0/2/6/10, 初级 1/1/4/0, 专科 2/0/1/2; the cells that
 * cannot all be right become 未定职级 20/16/2/1 and 本科 19/19/11/9.
 */
#include <unistd.h>

#include "hgq.h"
#include "t.h"

static const char *data_dir(void)
{
    const char *d = getenv("HGQ_DATA");
    return d && *d ? d : "libhgq/data";
}

static const char *tmp_path(const char *name)
{
    static char buf[4][1024];
    static int next;
    char *b = buf[next++ % 4];
    const char *d = getenv("HGQ_TMP");
    snprintf(b, 1024, "%s/%ld-%s", d && *d ? d : "/tmp", (long)getpid(), name);
    return b;
}

/* {====================================================================
 * Building the reference school
 * ===================================================================== */

static hgq_table *mk(const char *name, const char *const *cols, size_t ncols)
{
    hgq_table *t = hgq_table_new(name);
    size_t i;
    for (i = 0; i < ncols; i++)
        hgq_table_add_column(t, cols[i], HGQ_NULL, NULL, NULL);
    return t;
}

static void add(hgq_table *t, const hgq_value *vals)
{
    size_t row, i, n = hgq_table_ncols(t);
    hgq_table_append_row(t, &row, NULL);
    for (i = 0; i < n; i++)
        hgq_table_set(t, row, i, &vals[i], NULL);
}

static hgq_table *school_table(void)
{
    static const char *const cols[] = {"name", "type", "land_area", "building_area", "training_area",
                                       "sports_area", "equipment_value", "computers", "multimedia_rooms",
                                       "training_rooms", "practice_factories", "vr_rooms", "master_studios",
                                       "books", "funding"};
    hgq_table *t = mk("school", cols, 15);
    hgq_value v[15] = {hgq_text("衡阳工业技工学校"), hgq_text("技工学校"), hgq_num(62020),
                       hgq_num(32956.51), hgq_num(24884.67), hgq_num(17102.48), hgq_num(625.46),
                       hgq_int(235), hgq_int(25), hgq_int(8), hgq_int(5), hgq_int(3), hgq_int(1),
                       hgq_null() /* the report gives no book count */, hgq_num(680.13)};
    add(t, v);
    return t;
}

/* 表1 with categories; 2025 entrants per major add up to 表2. */
static const struct {
    const char *name, *category;
    int key, new2025, in2024, in2023;
} majors[] = {
    {"数控机床装配与维修", "机械类", 1, 120, 60, 45},
    {"会计", "财经商贸类", 0, 50, 50, 40},
    {"电子商务", "财经商贸类", 0, 46, 50, 40},
    {"模具制造", "机械类", 0, 80, 60, 45},
    {"电子技术应用", "电工电子类", 1, 80, 60, 46},
    {"计算机应用与维修", "信息类", 0, 90, 60, 50},
    {"工业机器人应用与维护", "机械类", 1, 83, 60, 45},
};
/* 2025: 120+80+83+80 = 363 机械/电工电子, 90 信息, 50+46 = 96 财经商贸: 549.
 * 2024: 400, 2023: 311; enrolled 549+400+311 = 1260. */

static hgq_table *major_table(void)
{
    static const char *const cols[] = {"name", "category", "years", "apprenticeship", "key_major", "level"};
    hgq_table *t = mk("major", cols, 6);
    size_t i;
    for (i = 0; i < 7; i++) {
        hgq_value v[6] = {hgq_text(majors[i].name), hgq_text(majors[i].category), hgq_int(3),
                          hgq_bool(1), hgq_bool(majors[i].key), hgq_text("中级工")};
        add(t, v);
    }
    return t;
}

static void add_student(hgq_table *t, int *no, const char *major, int entry, const char *status,
                        int rural, const char *track)
{
    char sno[16];
    hgq_value v[6];
    snprintf(sno, sizeof sno, "S%05d", (*no)++);
    v[0] = hgq_text(sno);
    v[1] = hgq_text(major);
    v[2] = hgq_int(entry);
    v[3] = hgq_text(status);
    v[4] = hgq_bool(rural);
    v[5] = track ? hgq_text(track) : hgq_null();
    add(t, v);
}

/* 1260 enrolled (1140 rural) and the 188 who graduated in 2024 (50 of
 * them in 职教高考班). */
static hgq_table *student_table(void)
{
    static const char *const cols[] = {"student_no", "major", "entry_year", "status", "rural", "track"};
    hgq_table *t = mk("student", cols, 6);
    int no = 1, enrolled = 0, i, k;
    size_t m;
    for (m = 0; m < 7; m++) {
        int per[3] = {majors[m].new2025, majors[m].in2024, majors[m].in2023};
        for (k = 0; k < 3; k++)
            for (i = 0; i < per[k]; i++, enrolled++)
                add_student(t, &no, majors[m].name, 2025 - k, "在校", enrolled < 1140, NULL);
    }
    for (i = 0; i < 188; i++)
        add_student(t, &no, majors[i % 7].name, 2021, "毕业", 1, i < 50 ? "职教高考班" : NULL);
    return t;
}

/* 188 graduates of 2024: track 48 升学 + 2 就业, others 8 升学 + 130 就业,
 * so 132 就业 and 56 升学; 100 of the 132 in a related job. */
static hgq_table *graduate_table(void)
{
    static const char *const cols[] = {"student_no", "grad_year", "destination", "related"};
    hgq_table *t = mk("graduate", cols, 4);
    int i, employed = 0;
    for (i = 0; i < 188; i++) {
        char sno[16];
        int up = i < 50 ? i < 48 : i < 58;
        hgq_value v[4];
        snprintf(sno, sizeof sno, "S%05d", 1260 + 1 + i);
        v[0] = hgq_text(sno);
        v[1] = hgq_int(2024);
        v[2] = hgq_text(up ? "升学" : "就业");
        v[3] = up ? hgq_null() : hgq_bool(employed++ < 100);
        add(t, v);
    }
    return t;
}

static void make_id(char out[19], int y, int m, int d, int seq)
{
    snprintf(out, 19, "430405%04d%02d%02d%03d", y, m, d, seq % 1000);
    out[17] = hgq_idcard_check_char(out);
    out[18] = '\0';
}

static void add_staff(hgq_table *t, int *no, const char *post, const char *title, const char *edu,
                      int y, int m, int d, int via_id, int dual, int specialised, int part_time)
{
    char sno[16], id[19];
    hgq_value v[9];
    snprintf(sno, sizeof sno, "T%03d", (*no)++);
    make_id(id, y, m, d, *no);
    v[0] = hgq_text(sno);
    v[1] = hgq_text(post);
    v[2] = hgq_text(title);
    v[3] = hgq_text(edu);
    v[4] = via_id ? hgq_null() : hgq_date(hgq_date_from_ymd(y, m, d));
    v[5] = hgq_text(id);
    v[6] = hgq_bool(dual);
    v[7] = hgq_bool(specialised);
    v[8] = hgq_bool(part_time);
    add(t, v);
}

/*
 * 83 staff: 63 专任教师 + 10 行政 + 5 教辅 + 5 工勤; and 6 兼职 teachers
 * who are not staff. Ages on 2025-12-31. Teacher k (0..62): specialised
 * when k < 40; dual when k < 22 or 40 <= k < 43 (25 dual, 22 of them
 * specialised).
 */
static hgq_table *staff_table(void)
{
    static const char *const cols[] = {"staff_no", "post", "title", "education", "birth_date",
                                       "id_number", "dual", "specialised", "part_time"};
    /* per band: birth year (age at 2025-12-31), 中级, 初级, 未定职级, 专科 */
    static const struct { int y, mid, jun, none, assoc; } bands[] = {
        {1998, 0, 1, 20, 2},  /* 27; 21 teachers */
        {1988, 2, 1, 16, 0},  /* 37; 19 */
        {1978, 6, 4, 2, 1},   /* 47; 12 */
        {1968, 10, 0, 1, 2},  /* 57; 11 */
    };
    hgq_table *t = mk("staff", cols, 9);
    int no = 1, k = 0, i;
    size_t b;
    for (b = 0; b < 4; b++) {
        int n = bands[b].mid + bands[b].jun + bands[b].none;
        for (i = 0; i < n; i++, k++) {
            const char *title = i < bands[b].mid ? "中级" : i < bands[b].mid + bands[b].jun ? "初级" : "未定职级";
            const char *edu = i >= n - bands[b].assoc ? "专科" : "本科";
            int y = bands[b].y, m = 6, d = 15, via_id = i % 5 == 4;
            /* edge cases at the reference date 2025-12-31 */
            if (b == 0 && i == 0) { y = 1995; m = 12; d = 31; }  /* turns 30 that day: 30岁以下 */
            if (b == 0 && i == 1) { y = 2000; m = 2; d = 29; }   /* born on a leap day: 25 */
            if (b == 1 && i == 0) { y = 1994; m = 12; d = 31; }  /* turns 31 that day: 31-40岁 */
            if (b == 3 && i == 0) { y = 1965; m = 12; d = 31; }  /* turns 60 that day: 51-60岁 */
            add_staff(t, &no, "专任教师", title, edu, y, m, d, via_id, k < 22 || (k >= 40 && k < 43),
                      k < 40, 0);
        }
    }
    for (i = 0; i < 20; i++)
        add_staff(t, &no, i < 10 ? "行政人员" : i < 15 ? "教辅人员" : "工勤人员", "初级", "本科", 1980, 1, 1,
                  0, 0, 0, 0);
    for (i = 0; i < 6; i++)
        add_staff(t, &no, "专任教师", "中级", "本科", 1975, 5, 5, 0, 1, 1, 1);
    return t;
}

static hgq_table *partner_table(void)
{
    static const char *const rows[][2] = {
        {"光宝通信（广州）有限公司", "电子技术应用、模具制造"},
        {"华拓金服数码科技集团有限公司", "电子商务、计算机应用与维修、会计"},
        {"衡阳富泰宏精密工业有限公司", "电子技术应用、模具制造"},
        {"湖南中德汽车自动变速器股份有限公司", "工业机器人应用与维护、模具制造、数控机床"},
        {"长沙比亚迪汽车有限公司", "数控机床、模具制造、工业机器人应用与维护"},
        {"纳思达股份有限公司", "电子技术应用、工业机器人应用与维护、模具制造"},
        {"科沃斯机器人股份有限公司", "工业机器人应用与维护、电子技术应用"},
        {"湖南致新锐辰信息技术有限公司", "电子商务、计算机应用与维修"},
        {"湖南丰汇银佳科技股份有限公司", "电子商务、会计"},
        {"衡阳泰豪通信车辆有限公司", "数控机床、模具制造、工业机器人应用与维护"},
        {"衡阳恒泰电气有限公司", "电子技术应用、模具制造"},
        {"湖南威翰斯智能制造研究院有限公司", "工业机器人应用与维护、电子技术应用"},
    };
    static const char *const cols[] = {"name", "majors", "kind"};
    hgq_table *t = mk("partner", cols, 3);
    size_t i;
    for (i = 0; i < 12; i++) {
        hgq_value v[3] = {hgq_text(rows[i][0]), hgq_text(rows[i][1]), hgq_null()};
        add(t, v);
    }
    return t;
}

static hgq_table *aggregate(const char *name, const char *dims, const char *const *cols, size_t ncols)
{
    hgq_table *t = mk(name, cols, ncols);
    hgq_table_set_meta(t, "kind", "aggregate", NULL);
    hgq_table_set_meta(t, "dims", dims, NULL);
    return t;
}

static hgq_table *pub_new_students(void)
{
    static const char *const cols[] = {"category", "value"};
    static const struct { const char *c; int v; } rows[] = {
        {"合计", 549}, {"机械、电工电子类", 363}, {"信息类", 90}, {"财经商贸类", 96}};
    hgq_table *t = aggregate("pub_new_students", "category", cols, 2);
    size_t i;
    for (i = 0; i < 4; i++) {
        hgq_value v[2] = {hgq_text(rows[i].c), hgq_int(rows[i].v)};
        add(t, v);
    }
    return t;
}

static hgq_table *pub_aid(void)
{
    static const char *const cols[] = {"year", "item", "value"};
    static const char *const items[] = {"在校生数", "建档立卡贫困家庭学生人数", "非涉农困难家庭学生人数",
                                        "享受助学金学生总人数"};
    static const int vals[3][4] = {{1260, 120, 164, 284}, {1064, 86, 117, 203}, {657, 35, 60, 95}};
    static const char *const years[] = {"2025", "2024", "2023"};
    hgq_table *t = aggregate("pub_aid", "year,item", cols, 3);
    size_t y, i;
    for (y = 0; y < 3; y++)
        for (i = 0; i < 4; i++) {
            hgq_value v[3] = {hgq_text(years[y]), hgq_text(items[i]), hgq_int(vals[y][i])};
            add(t, v);
        }
    return t;
}

static hgq_table *pub_certifications(void)
{
    static const char *const cols[] = {"trade", "level", "year", "value"};
    static const struct { const char *trade, *level, *year; int v; } cells[] = {
        {"车工", "三级", "2013", 33}, {"车工", "三级", "合计", 33},
        {"车工", "四级", "2015", 58}, {"车工", "四级", "2016", 18}, {"车工", "四级", "2017", 21},
        {"车工", "四级", "2019", 17}, {"车工", "四级", "2022", 5}, {"车工", "四级", "合计", 119},
        {"车工", "五级", "2014", 105}, {"车工", "五级", "2015", 35}, {"车工", "五级", "2016", 33},
        {"车工", "五级", "2017", 53}, {"车工", "五级", "2018", 35}, {"车工", "五级", "合计", 261},
        {"钳工", "三级", "2013", 48}, {"钳工", "三级", "合计", 48},
        {"钳工", "四级", "2015", 44}, {"钳工", "四级", "2016", 10}, {"钳工", "四级", "2017", 7},
        {"钳工", "四级", "2019", 1}, {"钳工", "四级", "2022", 24}, {"钳工", "四级", "2023", 30},
        {"钳工", "四级", "2024", 64}, {"钳工", "四级", "2025", 32}, {"钳工", "四级", "合计", 212},
        {"钳工", "五级", "2015", 14}, {"钳工", "五级", "2016", 14}, {"钳工", "五级", "2017", 26},
        {"钳工", "五级", "2018", 2}, {"钳工", "五级", "合计", 56},
        {"维修电工", "五级", "2015", 33}, {"维修电工", "五级", "2016", 13},
        {"维修电工", "五级", "2017", 78}, {"维修电工", "五级", "2018", 73},
        {"维修电工", "五级", "合计", 197},
        {"计算机", "五级", "2017", 33}, {"计算机", "五级", "合计", 33},
        {"合计", "合计", "2013", 81}, {"合计", "合计", "2014", 105}, {"合计", "合计", "2015", 184},
        {"合计", "合计", "2016", 88}, {"合计", "合计", "2017", 218}, {"合计", "合计", "2018", 110},
        {"合计", "合计", "2019", 18}, {"合计", "合计", "2022", 29}, {"合计", "合计", "2023", 30},
        {"合计", "合计", "2024", 64}, {"合计", "合计", "2025", 32}, {"合计", "合计", "合计", 959},
    };
    hgq_table *t = aggregate("pub_certifications", "trade,level,year", cols, 4);
    size_t i;
    for (i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        hgq_value v[4] = {hgq_text(cells[i].trade), hgq_text(cells[i].level), hgq_text(cells[i].year),
                          hgq_int(cells[i].v)};
        add(t, v);
    }
    return t;
}

static hgq_dataset *hengyang(void)
{
    hgq_dataset *ds = hgq_dataset_new(2025, 0); /* reference date 2025-12-31 */
    hgq_dataset_add_table(ds, school_table(), NULL);
    hgq_dataset_add_table(ds, major_table(), NULL);
    hgq_dataset_add_table(ds, student_table(), NULL);
    hgq_dataset_add_table(ds, graduate_table(), NULL);
    hgq_dataset_add_table(ds, staff_table(), NULL);
    hgq_dataset_add_table(ds, partner_table(), NULL);
    hgq_dataset_add_table(ds, pub_new_students(), NULL);
    hgq_dataset_add_table(ds, pub_aid(), NULL);
    hgq_dataset_add_table(ds, pub_certifications(), NULL);
    return ds;
}

/* }==================================================================== */

static const hgq_indicator_result *get(const hgq_indicator_results *res, const char *id)
{
    const hgq_indicator_result *r = hgq_indicator_results_find(res, id);
    if (!r)
        T_FAIL("no result for %s", id);
    return r;
}

#define VALUE(id, want, eps)                                                  \
    do {                                                                      \
        const hgq_indicator_result *r_ = get(res, id);                        \
        if (r_ && !r_->defined)                                               \
            T_FAIL("%s undefined: %s", id, r_->note);                         \
        else if (r_)                                                          \
            CHECK_EQ_DBL(want, r_->value, eps);                               \
    } while (0)

#define TEXT(id, want)                                                        \
    do {                                                                      \
        const hgq_indicator_result *r_ = get(res, id);                        \
        if (r_)                                                               \
            CHECK_EQ_STR(want, r_->text);                                     \
    } while (0)

#define MISSING(id, input)                                                    \
    do {                                                                      \
        const hgq_indicator_result *r_ = get(res, id);                        \
        if (r_) {                                                             \
            CHECK(!r_->defined);                                              \
            CHECK_EQ_STR(input, r_->missing_input);                           \
            CHECK_EQ_STR("—", r_->text);                                      \
            CHECK(r_->note && *r_->note);                                     \
        }                                                                     \
    } while (0)

#define JUDGE(id, want, mg)                                               \
    do {                                                                      \
        const hgq_indicator_result *r_ = get(res, id);                        \
        if (r_) {                                                             \
            CHECK_EQ_INT(want, r_->judgement);                                \
            if (want == HGQ_JUDGE_MET || want == HGQ_JUDGE_NOT_MET)           \
                CHECK_EQ_DBL(mg, r_->margin, 0.005);                      \
        }                                                                     \
    } while (0)

TEST(catalogue_lists_the_builtins)
{
    hgq_catalogue *cat = hgq_catalogue_new();
    const hgq_indicator_def *d;
    CHECK(cat != NULL);
    if (!cat)
        return;
    CHECK(hgq_catalogue_count(cat) > 80);
    CHECK(hgq_catalogue_def_count(cat) > hgq_catalogue_count(cat));
    CHECK_EQ_STR("new_students", hgq_catalogue_id(cat, 0));
    d = hgq_catalogue_find(cat, "employment_rate", NULL);
    CHECK(d && strcmp(d->variant, "A") == 0);
    d = hgq_catalogue_find(cat, "employment_rate", "B");
    CHECK(d && strcmp(d->variant_name, "毕业去向落实率") == 0);
    CHECK_EQ_STR("就业率", d->name_zh); /* inherited from the first definition */
    CHECK_EQ_STR("%", d->unit);
    CHECK(hgq_catalogue_find(cat, "employment_rate", "C") == NULL);
    d = hgq_catalogue_find(cat, "teachers_age_30_under_share", NULL);
    CHECK(d && d->kind == HGQ_IND_RATIO && strcmp(d->den, "teachers") == 0);
    CHECK_EQ_STR("A", hgq_catalogue_variant(cat, "student_teacher_ratio"));
    CHECK_EQ_STR("", hgq_catalogue_variant(cat, "students"));
    hgq_catalogue_free(cat);
}

TEST(reference_school_figures)
{
    hgq_catalogue *cat = hgq_catalogue_new();
    hgq_dataset *ds = hengyang();
    hgq_indicator_results *res = NULL;
    hgq_error err;
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_load_default_thresholds(cat, data_dir(), &err));
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_evaluate(cat, ds, NULL, &res, &err));
    if (!res) {
        T_FAIL("%s", err.message);
        goto done;
    }
    CHECK_EQ_INT(hgq_catalogue_count(cat), hgq_indicator_results_count(res));
    CHECK_EQ_STR("技工学校", hgq_indicator_results_school_type(res)); /* from school.type */

    /* 1.3.1 招生 549 = 363 + 90 + 96 (表2), counted from entry_year 2025 */
    VALUE("new_students", 549, 0);
    TEXT("new_students", "549人");
    CHECK_EQ_STR("student", get(res, "new_students")->source);
    VALUE("new_students_mech_elec", 363, 0);
    VALUE("new_students_info", 90, 0);
    VALUE("new_students_finance", 96, 0);
    /* 1.3.2 在校生 1260; 表6 gives 1064 for 2024: +196, 196/1064 = 18.42 % */
    VALUE("students", 1260, 0);
    {
        const hgq_indicator_result *r = get(res, "students");
        CHECK(r->has_last);
        CHECK_EQ_INT(2024, r->last_period);
        CHECK_EQ_DBL(1064, r->last_value, 0);
        CHECK_EQ_STR("pub_aid", r->last_source);
        CHECK_EQ_DBL(196, r->change, 0);
        CHECK(r->growth.defined);
        CHECK_EQ_DBL(18.4210526, r->growth.value, 1e-6);
    }
    VALUE("majors", 7, 0);
    VALUE("rural_share", 1140.0 / 1260 * 100, 1e-9); /* 90.48 %: "90%以上的生源来自" */
    TEXT("rural_share", "90.48%");

    /* 1.3.3 毕业 2024: 188, 就业 132, 升学 56 */
    VALUE("graduates", 188, 0);
    CHECK_EQ_INT(2024, get(res, "graduates")->period);
    VALUE("employed", 132, 0);
    VALUE("progressing", 56, 0);
    VALUE("entrepreneurs", 0, 0);
    /* 就业率 A = 132/188 = 70.21 % */
    VALUE("employment_rate", 132.0 / 188 * 100, 1e-9);
    TEXT("employment_rate", "70.21%");
    {
        const hgq_indicator_result *r = get(res, "employment_rate");
        CHECK_EQ_STR("A", r->variant);
        CHECK_EQ_STR("就业÷毕业生", r->variant_name);
        CHECK(r->has_den);
        CHECK_EQ_DBL(132, r->num, 0);
        CHECK_EQ_DBL(188, r->den, 0);
        CHECK_EQ_INT(2024, r->period);
        CHECK(!r->has_last); /* no 2023 graduates anywhere */
    }
    /* 升学率 56/188 = 29.79 %; 职教高考班 48/50 = 96 % ("升学率达 96%") */
    VALUE("progression_rate", 56.0 / 188 * 100, 1e-9);
    VALUE("track_graduates", 50, 0);
    VALUE("track_progressing", 48, 0);
    VALUE("related_employment_rate", 100.0 / 132 * 100, 1e-9); /* 75.76 % */
    /* nothing says who was promoted: missing, not 0 */
    MISSING("promoted_management", "graduate.management");
    MISSING("management_rate", "graduate.management");

    /* 2.5.1 教职员 83, 专任教师 63 */
    VALUE("staff", 83, 0);
    VALUE("teachers", 63, 0);
    VALUE("part_time_teachers", 6, 0);
    /* 生师比 1260/63 = 20 -> 20:1, 师生比 1:20 */
    VALUE("student_teacher_ratio", 20, 1e-12);
    TEXT("student_teacher_ratio", "20:1");
    TEXT("teacher_student_ratio", "1:20");
    /* 双师型 25/63 = 39.68 % */
    VALUE("dual_teacher_share", 25.0 / 63 * 100, 1e-9);
    TEXT("dual_teacher_share", "39.68%");
    /* no 副高级 or 正高级: 0/63, a real 0 */
    VALUE("senior_title_share", 0, 0);
    TEXT("senior_title_share", "0.00%");
    /* 2.5.2 age 21/19/12/11, titles 中级 18 初级 6 (未定职级 39), 本科 58 专科 5 */
    VALUE("teachers_age_30_under", 21, 0);
    VALUE("teachers_age_31_40", 19, 0);
    VALUE("teachers_age_41_50", 12, 0);
    VALUE("teachers_age_51_60", 11, 0);
    VALUE("teachers_age_60_over", 0, 0);
    VALUE("teachers_age_30_under_share", 21.0 / 63 * 100, 1e-9); /* 33.33 % */
    TEXT("teachers_age_30_under_share", "33.33%");
    VALUE("teachers_title_intermediate", 18, 0);
    VALUE("teachers_title_junior", 6, 0);
    VALUE("teachers_title_none", 39, 0);
    VALUE("teachers_title_full_senior", 0, 0);
    VALUE("teachers_edu_bachelor", 58, 0);
    VALUE("teachers_edu_associate", 5, 0);
    VALUE("teachers_edu_bachelor_share", 58.0 / 63 * 100, 1e-9); /* 92.06 % */

    /* 6.3, 6.4 and 2.3.3: the school's facts */
    VALUE("land_area", 62020, 0);
    TEXT("land_area", "62020平方米");
    VALUE("building_area", 32956.51, 1e-9);
    TEXT("building_area", "32956.51平方米");
    VALUE("training_area", 24884.67, 1e-9);
    VALUE("sports_area", 17102.48, 1e-9);
    VALUE("equipment_value", 625.46, 1e-9);
    TEXT("equipment_value", "625.46万元");
    VALUE("computers", 235, 0);
    VALUE("multimedia_rooms", 25, 0);
    VALUE("training_rooms", 8, 0);
    VALUE("practice_factories", 5, 0);
    VALUE("vr_rooms", 3, 0);
    VALUE("master_studios", 1, 0);
    VALUE("funding", 680.13, 1e-9);
    MISSING("books", "school.books");
    /* per student, over 1260 */
    VALUE("land_per_student", 62020.0 / 1260, 1e-9);          /* 49.22 */
    TEXT("land_per_student", "49.22平方米");
    VALUE("building_per_student", 32956.51 / 1260, 1e-9);     /* 26.16 */
    VALUE("training_area_per_student", 24884.67 / 1260, 1e-9); /* 19.75 */
    VALUE("equipment_per_student", 625.46 * 10000 / 1260, 1e-6); /* 4963.97 元 */
    TEXT("equipment_per_student", "4963.97元");
    VALUE("computers_per_100", 235.0 / 1260 * 100, 1e-9);     /* 18.65 */
    TEXT("computers_per_100", "18.65台");
    VALUE("funding_per_student", 680.13 * 10000 / 1260, 1e-6); /* 5397.86 元 */
    MISSING("books_per_student", "school.books");

    /* 表6: 享受助学金 284 (2024: 203, +39.90 %); coverage 284/1260 = 22.54 %,
     * 2024: 203/1064 = 19.08 % */
    VALUE("aid_recipients", 284, 0);
    CHECK_EQ_STR("pub_aid", get(res, "aid_recipients")->source);
    {
        const hgq_indicator_result *r = get(res, "aid_recipients");
        CHECK(r->has_last && r->last_value == 203);
        CHECK_EQ_DBL(81.0 / 203 * 100, r->growth.value, 1e-9);
        r = get(res, "aid_coverage");
        CHECK_EQ_DBL(284.0 / 1260 * 100, r->value, 1e-9);
        CHECK_EQ_STR("22.54%", r->text);
        CHECK(r->has_last);
        CHECK_EQ_DBL(203.0 / 1064 * 100, r->last_value, 1e-9);
        CHECK_EQ_DBL(284.0 / 1260 * 100 - 203.0 / 1064 * 100, r->change, 1e-9); /* +3.46 points */
    }
    VALUE("aid_registered_poor", 120, 0);
    VALUE("aid_other_hardship", 164, 0);
    MISSING("aid_amount", "aid");

    /* 表5: 2025 32 (2024: 64, -50 %), cumulative 959 (2024: 927) */
    VALUE("certifications", 32, 0);
    {
        const hgq_indicator_result *r = get(res, "certifications");
        CHECK_EQ_STR("pub_certifications", r->source);
        CHECK(r->has_last && r->last_value == 64);
        CHECK_EQ_DBL(-50, r->growth.value, 1e-12);
        r = get(res, "certifications_cumulative");
        CHECK_EQ_DBL(959, r->value, 0);
        CHECK(r->has_last && r->last_value == 927);
    }
    MISSING("training_participants", "training");
    MISSING("awards", "award");

    /* 表4: 12 partners covering all 7 majors ("数控机床" is 数控机床装配与维修) */
    VALUE("partners", 12, 0);
    VALUE("partner_major_coverage", 100, 1e-12);
    VALUE("key_majors", 3, 0);
    VALUE("apprenticeship_majors", 7, 0);

    /* 技工学校 thresholds (人社部发〔2012〕8号) and the 中职 ones */
    JUDGE("students", HGQ_JUDGE_MET, 460);
    JUDGE("majors", HGQ_JUDGE_MET, 4);
    JUDGE("land_area", HGQ_JUDGE_MET, 32020);
    JUDGE("building_area", HGQ_JUDGE_MET, 14956.51);
    JUDGE("building_per_student", HGQ_JUDGE_MET, 32956.51 / 1260 - 20);
    JUDGE("training_area", HGQ_JUDGE_MET, 19884.67);
    JUDGE("equipment_value", HGQ_JUDGE_MET, 325.46);
    JUDGE("student_teacher_ratio", HGQ_JUDGE_MET, 0); /* exactly 20, at the limit */
    JUDGE("land_per_student", HGQ_JUDGE_MET, 62020.0 / 1260 - 33);
    JUDGE("equipment_per_student", HGQ_JUDGE_MET, 6254600.0 / 1260 - 2500);
    JUDGE("dual_teacher_share", HGQ_JUDGE_MET, 2500.0 / 63 - 30);
    JUDGE("books_per_student", HGQ_JUDGE_UNKNOWN, 0);
    JUDGE("training_participants", HGQ_JUDGE_UNKNOWN, 0);
    JUDGE("graduates", HGQ_JUDGE_NONE, 0);
    {
        const hgq_indicator_result *r = get(res, "land_area");
        CHECK(r->has_threshold);
        CHECK_EQ_INT(HGQ_OP_GE, r->comparison);
        CHECK_EQ_DBL(30000, r->threshold, 0);
        CHECK_EQ_STR("≥30000平方米", r->threshold_text);
        CHECK(strstr(r->threshold_source, "人社部发〔2012〕8号") != NULL);
        r = get(res, "student_teacher_ratio");
        CHECK_EQ_STR("≤20:1", r->threshold_text);
        CHECK(strstr(r->threshold_source, "教职成〔2010〕12号") != NULL);
    }

    /* the results as a table for the writer */
    {
        hgq_table *t = NULL;
        long col;
        size_t i, row = 0;
        CHECK_EQ_INT(HGQ_OK, hgq_indicator_results_to_table(res, "指标", &t, &err));
        if (t) {
            CHECK_EQ_INT(hgq_indicator_results_count(res), hgq_table_nrows(t));
            size_t srow = 0;
            for (i = 0; i < hgq_table_nrows(t); i++) {
                if (strcmp(hgq_table_get_by_name(t, i, "id")->u.s, "books_per_student") == 0)
                    row = i;
                if (strcmp(hgq_table_get_by_name(t, i, "id")->u.s, "students") == 0)
                    srow = i;
            }
            col = hgq_table_find_column(t, "value");
            CHECK(col >= 0);
            CHECK_EQ_INT(HGQ_NULL, hgq_table_get(t, row, (size_t)col)->type);
            CHECK_EQ_STR("school.books", hgq_table_get_by_name(t, row, "missing_input")->u.s);
            CHECK_EQ_STR("无法判断", hgq_table_get_by_name(t, row, "judgement")->u.s);
            CHECK_EQ_STR("达标", hgq_table_get_by_name(t, srow, "judgement")->u.s);
            CHECK_EQ_DBL(1260, hgq_table_get_by_name(t, srow, "value")->u.d, 0);
            CHECK_EQ_DBL(1064, hgq_table_get_by_name(t, srow, "last_value")->u.d, 0);
            CHECK_EQ_STR("技工学校", hgq_table_meta(t, "school_type"));
            hgq_table_free(t);
        }
    }
done:
    hgq_indicator_results_free(res);
    hgq_catalogue_free(cat);
    hgq_dataset_free(ds);
}

TEST(variants_are_chosen_and_reported)
{
    hgq_catalogue *cat = hgq_catalogue_new();
    hgq_dataset *ds = hengyang();
    hgq_indicator_results *res = NULL;
    hgq_eval_options opt;
    const char *variants[] = {"employment_rate", "B", "student_teacher_ratio", "B",
                              "dual_teacher_share", "B", "progression_rate", "track"};
    const char *bad[] = {"employment_rate", "Z"};
    hgq_error err;
    memset(&opt, 0, sizeof opt);
    opt.variants = variants;
    opt.nvariants = 4;
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_evaluate_ex(cat, ds, &opt, &res, &err));
    if (res) {
        const hgq_indicator_result *r = get(res, "employment_rate");
        /* 毕业去向落实率 (132 + 56) / 188 = 100 % */
        CHECK_EQ_STR("B", r->variant);
        CHECK_EQ_STR("毕业去向落实率", r->variant_name);
        CHECK_EQ_DBL(100, r->value, 1e-12);
        CHECK_EQ_DBL(188, r->num, 0);
        /* 1260 / (63 + 6 * 0.5) = 19.09:1 */
        VALUE("student_teacher_ratio", 1260.0 / 66, 1e-9);
        TEXT("student_teacher_ratio", "19.09:1");
        /* 22 dual of 40 specialised = 55 % */
        VALUE("dual_teacher_share", 55, 1e-9);
        /* 职教高考班 48 / 50 = 96 % */
        VALUE("progression_rate", 96, 1e-9);
        TEXT("progression_rate", "96.00%");
        hgq_indicator_results_free(res);
        res = NULL;
    }
    /* a default set on the catalogue */
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_set_variant(cat, "employment_rate", "B", &err));
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_evaluate(cat, ds, NULL, &res, &err));
    if (res)
        VALUE("employment_rate", 100, 1e-12);
    hgq_indicator_results_free(res);
    res = NULL;
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_catalogue_set_variant(cat, "employment_rate", "Z", &err));
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_catalogue_set_variant(cat, "no_such", "A", &err));
    opt.variants = bad;
    opt.nvariants = 1;
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_catalogue_evaluate_ex(cat, ds, &opt, &res, &err));
    CHECK(res == NULL);
    hgq_catalogue_free(cat);
    hgq_dataset_free(ds);
}

TEST(history_from_last_years_dataset)
{
    hgq_catalogue *cat = hgq_catalogue_new();
    hgq_dataset *ds = hengyang(), *prev = hgq_dataset_new(2024, 0);
    static const char *const cols[] = {"land_area", "computers"};
    hgq_table *school = mk("school", cols, 2);
    hgq_value v[2] = {hgq_num(60000), hgq_int(200)};
    hgq_indicator_results *res = NULL;
    hgq_error err;
    add(school, v);
    hgq_dataset_add_table(prev, school, NULL);
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_evaluate(cat, ds, prev, &res, &err));
    if (res) {
        const hgq_indicator_result *r = get(res, "land_area");
        CHECK(r->has_last);
        CHECK_EQ_STR("history", r->last_source);
        CHECK_EQ_DBL(60000, r->last_value, 0);
        CHECK_EQ_DBL(2020, r->change, 0);
        CHECK_EQ_INT(2024, r->last_period);
        /* 2024's dataset has no students: 表6 in this year's dataset fills in */
        r = get(res, "students");
        CHECK_EQ_STR("pub_aid", r->last_source);
        CHECK_EQ_DBL(1064, r->last_value, 0);
        /* computers per 100 students last year: 200 / 1064 * 100 needs 2024's
         * students in that dataset, which it lacks */
        r = get(res, "computers_per_100");
        CHECK(!r->has_last);
    }
    hgq_indicator_results_free(res);
    hgq_catalogue_free(cat);
    hgq_dataset_free(ds);
    hgq_dataset_free(prev);
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fputs(text, f);
    fclose(f);
    return 1;
}

/* Copies a file, replacing the first occurrence of `from` by `to`. */
static int copy_edit(const char *src, const char *dst, const char *from, const char *to)
{
    static char buf[65536];
    FILE *f = fopen(src, "rb");
    size_t n;
    char *hit, out[70000];
    if (!f)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    hit = strstr(buf, from);
    if (!hit)
        return 0;
    snprintf(out, sizeof out, "%.*s%s%s", (int)(hit - buf), buf, to, hit + strlen(from));
    return write_file(dst, out);
}

TEST(thresholds_edited_by_a_user_change_the_judgement)
{
    hgq_catalogue *cat = hgq_catalogue_new();
    hgq_dataset *ds = hengyang();
    hgq_indicator_results *res = NULL;
    hgq_error err;
    char src[1024];
    const char *edited = tmp_path("jigong_edited.csv");
    const char *province = tmp_path("province.csv");
    snprintf(src, sizeof src, "%s/thresholds/jigong_2012.csv", data_dir());
    /* a user raises the land threshold from 30000 to 70000 m² */
    CHECK(copy_edit(src, edited, "技工学校,>=,30000,平方米", "技工学校,>=,70000,平方米"));
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_load_thresholds(cat, edited, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_evaluate(cat, ds, NULL, &res, &err));
    if (res) {
        JUDGE("land_area", HGQ_JUDGE_NOT_MET, -7980);
        JUDGE("students", HGQ_JUDGE_MET, 460);
        hgq_indicator_results_free(res);
        res = NULL;
    }
    /* a province's file, loaded after, overrides per type and adds its own,
     * in its own units: 亩 and 元 converted to the indicators' 平方米 and 万元 */
    CHECK(write_file(province,
                     "指标,学校类型,比较,标准值,单位,依据,备注\n"
                     "land_area,技工学校,≥,90,亩,某省标准,\n"
                     "equipment_value,技工学校,>=,7000000,元,某省标准,\n"
                     "computers_per_100,*,>=,20,台,某省标准,\n"
                     "# a comment row\n"));
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_load_thresholds(cat, province, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_evaluate(cat, ds, NULL, &res, &err));
    if (res) {
        JUDGE("land_area", HGQ_JUDGE_MET, 62020 - 60000); /* 90 亩 = 60000 m² */
        JUDGE("equipment_value", HGQ_JUDGE_NOT_MET, 625.46 - 700);
        JUDGE("computers_per_100", HGQ_JUDGE_NOT_MET, 235.0 / 1260 * 100 - 20);
        CHECK_EQ_STR("某省标准", get(res, "land_area")->threshold_source);
        hgq_indicator_results_free(res);
    }
    /* the same school as a 技师学院 meets no land threshold but 3000 students */
    {
        hgq_eval_options opt;
        memset(&opt, 0, sizeof opt);
        opt.school_type = "技师学院";
        hgq_catalogue_load_default_thresholds(cat, data_dir(), &err);
        CHECK_EQ_INT(HGQ_OK, hgq_catalogue_evaluate_ex(cat, ds, &opt, &res, &err));
        if (res) {
            JUDGE("students", HGQ_JUDGE_NOT_MET, 1260 - 3000);
            JUDGE("land_area", HGQ_JUDGE_NONE, 0);
            JUDGE("land_per_student", HGQ_JUDGE_MET, 62020.0 / 1260 - 33); /* "*" rows apply */
            hgq_indicator_results_free(res);
        }
    }
    remove(edited);
    remove(province);
    hgq_catalogue_free(cat);
    hgq_dataset_free(ds);
}

TEST(bad_threshold_files_name_file_and_line)
{
    hgq_catalogue *cat = hgq_catalogue_new();
    hgq_error err;
    const char *bad = tmp_path("bad.csv");
    size_t before = hgq_catalogue_threshold_count(cat);
    CHECK(write_file(bad, "indicator,school_type,comparison,value\n"
                          "students,技工学校,>=,800\n"
                          "land_area,技工学校,about,30000\n"));
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_catalogue_load_thresholds(cat, bad, &err));
    CHECK_EQ_INT(3, err.line);
    CHECK(strstr(err.file, "bad.csv") != NULL);
    CHECK(strstr(err.message, "about") != NULL);
    CHECK_EQ_INT(before, hgq_catalogue_threshold_count(cat)); /* nothing kept */
    CHECK(write_file(bad, "indicator,value\nstudents,800\n"));
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_catalogue_load_thresholds(cat, bad, &err));
    CHECK(write_file(bad, "indicator,comparison,value\nstudents,>=,many\n"));
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_catalogue_load_thresholds(cat, bad, &err));
    CHECK_EQ_INT(HGQ_EIO, hgq_catalogue_load_thresholds(cat, tmp_path("absent.csv"), &err));
    remove(bad);
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_load_default_thresholds(cat, data_dir(), &err));
    CHECK(hgq_catalogue_threshold_count(cat) >= 16);
    {
        const hgq_threshold *th = hgq_catalogue_threshold_for(cat, "land_area", "高级技工学校");
        CHECK(th && th->value == 66000);
        CHECK(th && th->line > 1 && strstr(th->file, "jigong_2012.csv") != NULL);
        CHECK(hgq_catalogue_threshold_for(cat, "land_area", "其他学校") == NULL);
        CHECK(hgq_catalogue_threshold_for(cat, "books_per_student", "其他学校") != NULL);
    }
    hgq_catalogue_free(cat);
}

TEST(judging_and_formatting)
{
    hgq_threshold th;
    double m = 0;
    char buf[64];
    memset(&th, 0, sizeof th);
    th.indicator = "x";
    th.op = HGQ_OP_GE;
    th.value = 300;
    th.unit = "万元";
    CHECK_EQ_INT(HGQ_JUDGE_MET, hgq_threshold_judge(&th, 3000000, "元", &m));
    CHECK_EQ_DBL(0, m, 1e-9);
    CHECK_EQ_INT(HGQ_JUDGE_NOT_MET, hgq_threshold_judge(&th, 299.99, "万元", &m));
    CHECK_EQ_DBL(-0.01, m, 1e-9);
    CHECK_EQ_INT(HGQ_JUDGE_UNKNOWN, hgq_threshold_judge(&th, 1, "平方米", &m));
    th.unit = "元/生";
    th.value = 2500;
    CHECK_EQ_INT(HGQ_JUDGE_MET, hgq_threshold_judge(&th, 4963.97, "元", &m));
    th.op = HGQ_OP_LE;
    th.value = 20;
    th.unit = "";
    CHECK_EQ_INT(HGQ_JUDGE_MET, hgq_threshold_judge(&th, 1260.0 / 63, "", &m));
    CHECK_EQ_INT(HGQ_JUDGE_NOT_MET, hgq_threshold_judge(&th, 20.5, "", &m));
    CHECK_EQ_DBL(0.5, m, 1e-12);
    CHECK_EQ_STR("达标", hgq_judgement_name(HGQ_JUDGE_MET));
    CHECK_EQ_STR("未达标", hgq_judgement_name(HGQ_JUDGE_NOT_MET));
    CHECK_EQ_STR("无标准", hgq_judgement_name(HGQ_JUDGE_NONE));
    hgq_format_value(70.2127659, HGQ_FMT_PERCENT, 2, "%", buf, sizeof buf);
    CHECK_EQ_STR("70.21%", buf);
    hgq_format_value(20, HGQ_FMT_RATIO, 2, "", buf, sizeof buf);
    CHECK_EQ_STR("20:1", buf);
    hgq_format_value(19.5, HGQ_FMT_RATIO_INV, 2, "", buf, sizeof buf);
    CHECK_EQ_STR("1:19.5", buf);
    hgq_format_value(549, HGQ_FMT_NUMBER, 0, "人", buf, sizeof buf);
    CHECK_EQ_STR("549人", buf);
    hgq_format_value(-0.001, HGQ_FMT_PERCENT, 2, "%", buf, sizeof buf);
    CHECK_EQ_STR("0.00%", buf);
}

/* A C callback indicator and a provided one, plus definition errors. */
static hgq_status count_tables(void *ud, const hgq_ind_context *ctx, hgq_ind_value *out, hgq_error *err)
{
    (void)err;
    *(int *)ud += 1;
    out->value = out->num = (double)hgq_dataset_table_count(ctx->ds);
    out->defined = 1;
    return HGQ_OK;
}

TEST(custom_indicators_and_definition_errors)
{
    hgq_catalogue *cat = hgq_catalogue_new_empty();
    hgq_dataset *ds = hengyang();
    hgq_indicator_results *res = NULL;
    hgq_indicator_def d;
    hgq_eval_options opt;
    hgq_provided pv[2];
    hgq_error err;
    int calls = 0;

    memset(&d, 0, sizeof d);
    d.id = "students";
    d.name_zh = "在校生数";
    d.unit = "人";
    d.kind = HGQ_IND_COUNT;
    d.entity = "student";
    d.where = "status = 在校";
    d.decimals = -1;
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_add(cat, &d, &err));
    memset(&d, 0, sizeof d);
    d.id = "tables";
    d.kind = HGQ_IND_FUNC;
    d.fn = count_tables;
    d.ud = &calls;
    d.decimals = -1;
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_add(cat, &d, &err));
    memset(&d, 0, sizeof d);
    d.id = "clubs";
    d.name_zh = "社团数";
    d.unit = "个";
    d.kind = HGQ_IND_PROVIDED;
    d.decimals = -1;
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_add(cat, &d, &err));
    memset(&d, 0, sizeof d);
    d.id = "clubs_per_100";
    d.kind = HGQ_IND_RATIO;
    d.num = "clubs";
    d.den = "students";
    d.scale = 100;
    d.decimals = 3;
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_add(cat, &d, &err));
    memset(&d, 0, sizeof d);
    d.id = "nobody";
    d.kind = HGQ_IND_COUNT;
    d.entity = "student";
    d.where = "status=失联";
    d.decimals = -1;
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_add(cat, &d, &err));
    memset(&d, 0, sizeof d);
    d.id = "per_nobody";
    d.kind = HGQ_IND_RATIO;
    d.num = "students";
    d.den = "nobody";
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_add(cat, &d, &err));

    memset(&opt, 0, sizeof opt);
    memset(pv, 0, sizeof pv);
    pv[0].id = "clubs";
    pv[0].value.value = pv[0].value.num = 12;
    pv[0].value.defined = 1;
    pv[1].id = "clubs";
    pv[1].history = 1;
    pv[1].value.missing = "club register 2024";
    opt.provided = pv;
    opt.nprovided = 2;
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_evaluate_ex(cat, ds, &opt, &res, &err));
    if (res) {
        VALUE("tables", 9, 0);
        CHECK(calls >= 1);
        VALUE("clubs", 12, 0);
        CHECK(!get(res, "clubs")->has_last);
        VALUE("clubs_per_100", 12.0 / 1260 * 100, 1e-12);
        TEXT("clubs_per_100", "0.952");
        VALUE("nobody", 0, 0);
        /* division by zero: missing, never 0 or NaN */
        MISSING("per_nobody", "nobody=0");
        CHECK(!isnan(get(res, "per_nobody")->value));
        CHECK_EQ_DBL(1260, get(res, "per_nobody")->num, 0);
        CHECK_EQ_DBL(0, get(res, "per_nobody")->den, 0);
    }
    hgq_indicator_results_free(res);
    res = NULL;

    /* syntax errors are refused when adding */
    memset(&d, 0, sizeof d);
    d.id = "bad";
    d.kind = HGQ_IND_COUNT;
    d.entity = "student";
    d.where = "status";
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_catalogue_add(cat, &d, &err));
    d.where = "year=$nextyear";
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_catalogue_add(cat, &d, &err));
    d.where = "age<30|40";
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_catalogue_add(cat, &d, &err));
    d.kind = HGQ_IND_RATIO;
    d.num = "a +";
    d.den = "b";
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_catalogue_add(cat, &d, &err));
    d.num = "a";
    d.id = "bad id";
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_catalogue_add(cat, &d, &err));
    d.id = "sum";
    d.kind = HGQ_IND_SUM;
    d.entity = "aid";
    d.field = NULL;
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_catalogue_add(cat, &d, &err));
    /* unknown references and cycles fail the evaluation */
    memset(&d, 0, sizeof d);
    d.id = "loop_a";
    d.kind = HGQ_IND_EXPR;
    d.num = "loop_b";
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_add(cat, &d, &err));
    d.id = "loop_b";
    d.num = "2*loop_a";
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_add(cat, &d, &err));
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_catalogue_evaluate(cat, ds, NULL, &res, &err));
    CHECK(strstr(err.message, "depends on itself") != NULL);
    CHECK(res == NULL);
    hgq_catalogue_free(cat);

    cat = hgq_catalogue_new_empty();
    memset(&d, 0, sizeof d);
    d.id = "orphan";
    d.kind = HGQ_IND_EXPR;
    d.num = "0.5 * ghost";
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_add(cat, &d, &err));
    CHECK_EQ_INT(HGQ_ESCHEMA, hgq_catalogue_evaluate(cat, ds, NULL, &res, &err));
    CHECK(strstr(err.message, "ghost") != NULL);
    hgq_catalogue_free(cat);
    hgq_dataset_free(ds);
}

TEST(missing_tables_and_columns_are_named_not_zero)
{
    hgq_catalogue *cat = hgq_catalogue_new();
    hgq_dataset *ds = hgq_dataset_new(2025, 0);
    hgq_indicator_results *res = NULL;
    hgq_error err;
    static const char *const cols[] = {"staff_no", "post"};
    hgq_table *staff = mk("staff", cols, 2);
    hgq_value v[2] = {hgq_text("T1"), hgq_text("专任教师")};
    add(staff, v);
    hgq_dataset_add_table(ds, staff, NULL);
    CHECK_EQ_INT(HGQ_OK, hgq_catalogue_evaluate(cat, ds, NULL, &res, &err));
    if (res) {
        size_t i, defined = 0;
        MISSING("students", "student");
        MISSING("land_per_student", "school");
        MISSING("employment_rate", "graduate");
        /* no part_time column: nobody is part-time, so both counts stand */
        VALUE("teachers", 1, 0);
        VALUE("staff", 1, 0);
        MISSING("part_time_teachers", "staff.part_time");
        MISSING("dual_teachers", "staff.dual");
        MISSING("teachers_age_30_under", "staff.birth_date");
        MISSING("student_teacher_ratio", "student");
        JUDGE("students", HGQ_JUDGE_NONE, 0); /* school type unknown */
        CHECK_EQ_STR("", hgq_indicator_results_school_type(res));
        for (i = 0; i < hgq_indicator_results_count(res); i++) {
            const hgq_indicator_result *r = hgq_indicator_results_at(res, i);
            if (r->defined)
                defined++;
            else
                CHECK(r->missing_input && *r->missing_input);
        }
        CHECK(defined < 10);
    }
    hgq_indicator_results_free(res);
    hgq_catalogue_free(cat);
    hgq_dataset_free(ds);
}

/* 表3 as published, in the long form of NAMES.md. */
static hgq_table *pub_teachers(void)
{
    static const char *const cols[] = {"group", "item", "age_band", "value"};
    static const char *const bands[] = {"合计", "30岁以下", "31-40岁", "41-50岁", "51-60岁"};
    static const struct { const char *group, *item; int v[5]; } rows[] = {
        {"总计", "总计", {63, 21, 19, 12, 11}},
        {"职称", "中级", {18, 0, 2, 6, 10}},
        {"职称", "初级", {6, 1, 1, 4, 0}},
        {"职称", "未定职级", {39, 25, 11, 2, 1}},
        {"学历", "本科", {58, 26, 15, 9, 8}},
        {"学历", "专科", {5, 2, 0, 1, 2}},
    };
    hgq_table *t = aggregate("pub_teachers", "group,item,age_band", cols, 4);
    size_t r, b;
    for (r = 0; r < 6; r++)
        for (b = 0; b < 5; b++) {
            hgq_value v[4] = {hgq_text(rows[r].group), hgq_text(rows[r].item), hgq_text(bands[b]),
                              hgq_int(rows[r].v[b])};
            add(t, v);
        }
    return t;
}

static double published(const hgq_table *t, const char *group, const char *item, const char *band)
{
    hgq_cond q[3] = {{"group", HGQ_OP_EQ, hgq_text(group), NULL, 0},
                     {"item", HGQ_OP_EQ, hgq_text(item), NULL, 0},
                     {"age_band", HGQ_OP_EQ, hgq_text(band), NULL, 0}};
    double v = -1;
    int found = 0;
    hgq_aggregate_value(t, q, 3, &v, &found, NULL);
    return found ? v : -1;
}

/*
 * Which figures of 表3 the roster reproduces: every row total, the 总计 row
 * and the 中级, 初级 and 专科 cells; not the 未定职级 and 本科 cells, which
 * the published table itself cannot reconcile with its 总计 row.
 */
TEST(table3_as_published_against_the_roster)
{
    hgq_table *staff = staff_table(), *pub = pub_teachers();
    const char *keys[128];
    size_t nb, nt, ne, r, c;
    const char *const *bands = hgq_stats_categories("age_band", &nb);
    const char *const *titles = hgq_stats_categories("title", &nt);
    const char *const *edus = hgq_stats_categories("education", &ne);
    hgq_cond teacher[2] = {{"post", HGQ_OP_EQ, hgq_text("专任教师"), NULL, 0},
                           {"part_time", HGQ_OP_NE, hgq_bool(1), NULL, 0}};
    hgq_filter f = {teacher, 2, NULL, 0, NULL, NULL};
    hgq_crosstab_spec spec;
    hgq_crosstab *ct_title = NULL, *ct_edu = NULL;
    hgq_error err;
    double v;
    CHECK(hgq_table_nrows(staff) <= 128);
    hgq_stats_age_bands(staff, NULL, NULL, hgq_date_from_ymd(2025, 12, 31), keys, hgq_table_nrows(staff),
                        NULL, NULL);
    memset(&spec, 0, sizeof spec);
    spec.rows.field = "title";
    spec.rows.order = titles;
    spec.rows.norder = nt;
    spec.cols.keys = keys;
    spec.cols.nkeys = hgq_table_nrows(staff);
    spec.cols.name = "age_band";
    spec.cols.order = bands;
    spec.cols.norder = nb;
    spec.filter = &f;
    CHECK_EQ_INT(HGQ_OK, hgq_crosstab_compute(staff, &spec, &ct_title, &err));
    spec.rows.field = "education";
    spec.rows.order = edus;
    spec.rows.norder = ne;
    CHECK_EQ_INT(HGQ_OK, hgq_crosstab_compute(staff, &spec, &ct_edu, &err));
    if (!ct_title || !ct_edu)
        goto done;

    /* the published table against itself: rows add up to their 合计 ... */
    for (r = 0; r < 5; r++) {
        static const char *const g[] = {"职称", "职称", "职称", "学历", "学历"};
        static const char *const it[] = {"中级", "初级", "未定职级", "本科", "专科"};
        double s = 0;
        for (c = 0; c < 4; c++)
            s += published(pub, g[r], it[r], bands[c]);
        CHECK_EQ_DBL(published(pub, g[r], it[r], "合计"), s, 0);
    }
    /* ... and each group to 63, but not per band: 26/14/12/11 and 28/15/10/10
     * against 总计 21/19/12/11 */
    {
        static const double title_cols[] = {26, 14, 12, 11}, edu_cols[] = {28, 15, 10, 10};
        for (c = 0; c < 4; c++) {
            double st = published(pub, "职称", "中级", bands[c]) + published(pub, "职称", "初级", bands[c]) +
                        published(pub, "职称", "未定职级", bands[c]);
            double se = published(pub, "学历", "本科", bands[c]) + published(pub, "学历", "专科", bands[c]);
            CHECK_EQ_DBL(title_cols[c], st, 0);
            CHECK_EQ_DBL(edu_cols[c], se, 0);
        }
        CHECK(title_cols[0] != published(pub, "总计", "总计", bands[0]));
    }

    /* the roster: its margins are the 总计 row and the row totals */
    for (c = 0; c < 4; c++) {
        CHECK(hgq_crosstab_get(ct_title, ct_title->nrows, c, &v));
        CHECK_EQ_DBL(published(pub, "总计", "总计", bands[c]), v, 0);
        CHECK(hgq_crosstab_get(ct_edu, ct_edu->nrows, c, &v));
        CHECK_EQ_DBL(published(pub, "总计", "总计", bands[c]), v, 0);
    }
    CHECK(hgq_crosstab_get(ct_title, ct_title->nrows, ct_title->ncols, &v) && v == 63);
    CHECK(hgq_crosstab_get(ct_title, 4, 4, &v) && v == 0); /* nobody over 60: kept as 0 */
    for (r = 0; r < nt; r++) {
        double want = published(pub, "职称", titles[r], "合计");
        CHECK(hgq_crosstab_get(ct_title, r, ct_title->ncols, &v));
        CHECK_EQ_DBL(want < 0 ? 0 : want, v, 0); /* 正高级, 副高级: not printed, 0 */
    }
    for (r = 0; r < ne; r++) {
        double want = published(pub, "学历", edus[r], "合计");
        CHECK(hgq_crosstab_get(ct_edu, r, ct_edu->ncols, &v));
        CHECK_EQ_DBL(want < 0 ? 0 : want, v, 0);
    }
    /* cells: 中级 (row 2), 初级 (row 3), 专科 (row 2 of education) as printed */
    for (c = 0; c < 4; c++) {
        CHECK(hgq_crosstab_get(ct_title, 2, c, &v) && v == published(pub, "职称", "中级", bands[c]));
        CHECK(hgq_crosstab_get(ct_title, 3, c, &v) && v == published(pub, "职称", "初级", bands[c]));
        CHECK(hgq_crosstab_get(ct_edu, 2, c, &v) && v == published(pub, "学历", "专科", bands[c]));
    }
    /* 未定职级 30岁以下: 20 in the roster, 25 printed; 本科 30岁以下: 19 vs 26 */
    CHECK(hgq_crosstab_get(ct_title, 4, 0, &v) && v == 20);
    CHECK_EQ_DBL(25, published(pub, "职称", "未定职级", "30岁以下"), 0);
    CHECK(hgq_crosstab_get(ct_edu, 1, 0, &v) && v == 19);
    CHECK_EQ_DBL(26, published(pub, "学历", "本科", "30岁以下"), 0);
done:
    hgq_crosstab_free(ct_title);
    hgq_crosstab_free(ct_edu);
    hgq_table_free(staff);
    hgq_table_free(pub);
}

int main(void)
{
    RUN(table3_as_published_against_the_roster);
    RUN(catalogue_lists_the_builtins);
    RUN(reference_school_figures);
    RUN(variants_are_chosen_and_reported);
    RUN(history_from_last_years_dataset);
    RUN(thresholds_edited_by_a_user_change_the_judgement);
    RUN(bad_threshold_files_name_file_and_line);
    RUN(judging_and_formatting);
    RUN(custom_indicators_and_definition_errors);
    RUN(missing_tables_and_columns_are_named_not_zero);
    return t_done();
}
