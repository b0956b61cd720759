/*
 * test_stats.c - the statistics engine: ratios, medians, filters, group-bys,
 * cross-tabs with margins and empty categories, ages on birthdays and leap
 * days, birth dates from ID numbers, aggregate tables and history.
 */
#include "hgq.h"
#include "t.h"

/* A table with the given columns (types inferred from the first row). */
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

/* A valid 18-character ID number for a birth date (check digit computed). */
static void make_id(char out[19], int y, int m, int d, int seq)
{
    snprintf(out, 19, "430405%04d%02d%02d%03d", y, m, d, seq % 1000);
    out[17] = hgq_idcard_check_char(out);
    out[18] = '\0';
}

TEST(ratio_keeps_inputs_and_refuses_division_by_zero)
{
    hgq_ratio r = hgq_ratio_of(132, 188, 100);
    CHECK(r.defined);
    CHECK_EQ_DBL(132.0 / 188.0 * 100.0, r.value, 1e-12);
    CHECK_EQ_DBL(132, r.num, 0);
    CHECK_EQ_DBL(188, r.den, 0);
    r = hgq_ratio_of(5, 0, 100);
    CHECK(!r.defined);
    CHECK(!isnan(r.value));
    CHECK_EQ_DBL(0, r.value, 0);
    r = hgq_ratio_of(0, 0, 1);
    CHECK(!r.defined);
    r = hgq_ratio_of(NAN, 3, 1);
    CHECK(!r.defined);
    /* 284 aided students in 2025 against 203 in 2024 (表6): +39.90 % */
    r = hgq_ratio_growth(284, 203);
    CHECK(r.defined);
    CHECK_EQ_DBL(81, r.num, 0);
    CHECK_EQ_DBL(203, r.den, 0);
    CHECK_EQ_DBL(39.9014778, r.value, 1e-6);
    CHECK(!hgq_ratio_growth(10, 0).defined);
}

TEST(median_of_odd_even_ties_and_nothing)
{
    double odd[] = {3, 1, 2}, even[] = {4, 1, 3, 2}, ties[] = {5, 5, 1, 1},
           same[] = {2, 2, 2, 2}, one[] = {7}, m = -1;
    CHECK(hgq_stats_median(odd, 3, &m));
    CHECK_EQ_DBL(2, m, 0);
    CHECK(hgq_stats_median(even, 4, &m));
    CHECK_EQ_DBL(2.5, m, 0); /* mean of the two middle values */
    CHECK(hgq_stats_median(ties, 4, &m));
    CHECK_EQ_DBL(3, m, 0);
    CHECK(hgq_stats_median(same, 4, &m));
    CHECK_EQ_DBL(2, m, 0);
    CHECK(hgq_stats_median(one, 1, &m));
    CHECK_EQ_DBL(7, m, 0);
    m = -1;
    CHECK(!hgq_stats_median(NULL, 0, &m));
    CHECK_EQ_DBL(-1, m, 0);
}

TEST(operators_parse_and_values_match)
{
    hgq_op op;
    hgq_value v, lit, alts[2];
    CHECK(hgq_op_parse(">=", &op) && op == HGQ_OP_GE);
    CHECK(hgq_op_parse(" ≤ ", &op) && op == HGQ_OP_LE);
    CHECK(hgq_op_parse("==", &op) && op == HGQ_OP_EQ);
    CHECK(hgq_op_parse("≠", &op) && op == HGQ_OP_NE);
    CHECK(!hgq_op_parse("=>", &op));
    CHECK_EQ_STR("<=", hgq_op_symbol(HGQ_OP_LE));
    /* a year stored as text matches a number and the other way round */
    v = hgq_text("2025");
    lit = hgq_int(2025);
    CHECK(hgq_value_matches(&v, HGQ_OP_EQ, &lit, NULL, 0));
    lit = hgq_text("2024");
    CHECK(hgq_value_matches(&v, HGQ_OP_GT, &lit, NULL, 0));
    /* "2025" vs "10000": numbers, not bytes */
    lit = hgq_text("10000");
    CHECK(hgq_value_matches(&v, HGQ_OP_LT, &lit, NULL, 0));
    /* missing values */
    v = hgq_null();
    lit = hgq_text("就业");
    CHECK(!hgq_value_matches(&v, HGQ_OP_EQ, &lit, NULL, 0));
    CHECK(hgq_value_matches(&v, HGQ_OP_NE, &lit, NULL, 0));
    CHECK(!hgq_value_matches(&v, HGQ_OP_LT, &lit, NULL, 0));
    lit = hgq_null();
    CHECK(hgq_value_matches(&v, HGQ_OP_EQ, &lit, NULL, 0));
    v = hgq_text("职教高考班");
    CHECK(hgq_value_matches(&v, HGQ_OP_NE, &lit, NULL, 0));
    /* booleans and IN lists */
    v = hgq_bool(1);
    lit = hgq_bool(1);
    CHECK(hgq_value_matches(&v, HGQ_OP_EQ, &lit, NULL, 0));
    v = hgq_text("副高级");
    alts[0] = hgq_text("正高级");
    alts[1] = hgq_text("副高级");
    CHECK(hgq_value_matches(&v, HGQ_OP_IN, NULL, alts, 2));
    CHECK(!hgq_value_matches(&v, HGQ_OP_NOT_IN, NULL, alts, 2));
    v = hgq_null();
    CHECK(hgq_value_matches(&v, HGQ_OP_NOT_IN, NULL, alts, 2));
}

static const char *const staff_cols[] = {"name", "post", "title", "salary", "dual"};

static hgq_table *small_staff(void)
{
    hgq_table *t = mk("staff", staff_cols, 5);
    const hgq_value rows[][5] = {
        {hgq_text("甲"), hgq_text("专任教师"), hgq_text("中级"), hgq_num(5000), hgq_bool(1)},
        {hgq_text("乙"), hgq_text("专任教师"), hgq_text("初级"), hgq_num(4000), hgq_bool(0)},
        {hgq_text("丙"), hgq_text("专任教师"), hgq_text("中级"), hgq_num(6000), hgq_null()},
        {hgq_text("丁"), hgq_text("行政人员"), hgq_text("中级"), hgq_null(), hgq_bool(0)},
        {hgq_text("戊"), hgq_text("专任教师"), hgq_text("未定职级"), hgq_text("面议"), hgq_bool(1)},
        {hgq_text("己"), hgq_text("工勤人员"), hgq_null(), hgq_num(3000), hgq_null()},
    };
    size_t i;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
        add(t, rows[i]);
    return t;
}

static int even_rows(void *ud, const hgq_table *t, size_t row)
{
    (void)ud;
    (void)t;
    return row % 2 == 0;
}

TEST(filters_count_conditions_selection_and_predicates)
{
    hgq_table *t = small_staff();
    hgq_cond teacher = {"post", HGQ_OP_EQ, hgq_text("专任教师"), NULL, 0};
    hgq_cond conds[2] = {{"post", HGQ_OP_EQ, hgq_text("专任教师"), NULL, 0},
                         {"dual", HGQ_OP_EQ, hgq_bool(1), NULL, 0}};
    hgq_cond bad = {"nonexistent", HGQ_OP_EQ, hgq_int(1), NULL, 0};
    unsigned char keep[6] = {1, 1, 0, 0, 0, 0}, shortkeep[2] = {1, 1};
    hgq_filter f = {&teacher, 1, NULL, 0, NULL, NULL};
    hgq_error err;
    size_t n = 99;
    CHECK_EQ_INT(HGQ_OK, hgq_stats_count(t, NULL, &n, &err));
    CHECK_EQ_INT(6, n);
    CHECK_EQ_INT(HGQ_OK, hgq_stats_count(t, &f, &n, &err));
    CHECK_EQ_INT(4, n);
    f.conds = conds;
    f.nconds = 2;
    CHECK_EQ_INT(HGQ_OK, hgq_stats_count(t, &f, &n, &err));
    CHECK_EQ_INT(2, n); /* 甲, 戊 */
    f.keep = keep;
    f.nkeep = 6;
    CHECK_EQ_INT(HGQ_OK, hgq_stats_count(t, &f, &n, &err));
    CHECK_EQ_INT(1, n); /* 甲 only */
    f.keep = NULL;
    f.nkeep = 0;
    f.nconds = 0;
    f.pred = even_rows;
    CHECK_EQ_INT(HGQ_OK, hgq_stats_count(t, &f, &n, &err));
    CHECK_EQ_INT(3, n);
    f.pred = NULL;
    f.conds = &bad;
    f.nconds = 1;
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_stats_count(t, &f, &n, &err));
    CHECK(strstr(err.message, "nonexistent") != NULL);
    f.nconds = 0;
    f.keep = shortkeep;
    f.nkeep = 2;
    CHECK_EQ_INT(HGQ_EARG, hgq_stats_count(t, &f, &n, &err));
    hgq_table_free(t);
}

TEST(summary_skips_missing_and_counts_text)
{
    hgq_table *t = small_staff();
    hgq_cond teacher = {"post", HGQ_OP_EQ, hgq_text("专任教师"), NULL, 0};
    hgq_cond nobody = {"post", HGQ_OP_EQ, hgq_text("校长"), NULL, 0};
    hgq_filter f = {&teacher, 1, NULL, 0, NULL, NULL};
    hgq_summary s;
    hgq_error err;
    CHECK_EQ_INT(HGQ_OK, hgq_stats_summarize(t, "salary", NULL, &s, &err));
    CHECK_EQ_INT(6, s.rows);
    CHECK_EQ_INT(4, s.n);           /* 5000 4000 6000 3000 */
    CHECK_EQ_INT(1, s.non_numeric); /* 面议 */
    CHECK_EQ_DBL(18000, s.sum, 0);
    CHECK_EQ_DBL(4500, s.mean, 0);
    CHECK_EQ_DBL(4500, s.median, 0); /* (4000 + 5000) / 2 */
    CHECK_EQ_DBL(3000, s.min, 0);
    CHECK_EQ_DBL(6000, s.max, 0);
    CHECK_EQ_INT(HGQ_OK, hgq_stats_summarize(t, "salary", &f, &s, &err));
    CHECK_EQ_INT(4, s.rows);
    CHECK_EQ_INT(3, s.n);
    CHECK_EQ_DBL(5000, s.median, 0);
    f.conds = &nobody;
    CHECK_EQ_INT(HGQ_OK, hgq_stats_summarize(t, "salary", &f, &s, &err));
    CHECK_EQ_INT(0, s.n);
    CHECK_EQ_DBL(0, s.sum, 0);
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_stats_summarize(t, "wage", NULL, &s, &err));
    hgq_table_free(t);
}

TEST(group_by_sorts_measures_shares_and_totals)
{
    hgq_table *t = small_staff(), *g = NULL;
    const char *by[] = {"post"};
    hgq_measure ms[] = {{HGQ_AGG_COUNT, NULL, NULL}, {HGQ_AGG_MEAN, "salary", NULL},
                        {HGQ_AGG_COUNT_DISTINCT, "title", "titles"}};
    hgq_group_spec spec = {by, 1, ms, 3, NULL, 1, 1};
    hgq_error err;
    double sum = 0;
    size_t r;
    CHECK_EQ_INT(HGQ_OK, hgq_stats_group(t, &spec, &g, &err));
    if (!g)
        return;
    CHECK_EQ_INT(4, hgq_table_nrows(g)); /* 3 posts + 合计 */
    CHECK_EQ_INT(5, hgq_table_ncols(g)); /* post count mean_salary titles share */
    CHECK_EQ_STR("mean_salary", hgq_table_column_name(g, 2));
    CHECK_EQ_STR("group", hgq_table_meta(g, "kind"));
    /* sorted by byte order of the UTF-8 text: 专任教师 < 工勤人员 < 行政人员 */
    CHECK_EQ_STR("专任教师", hgq_table_get(g, 0, 0)->u.s);
    CHECK_EQ_INT(4, hgq_table_get(g, 0, 1)->u.i);
    CHECK_EQ_DBL(5000, hgq_table_get(g, 0, 2)->u.d, 1e-9); /* 面议 left out */
    CHECK_EQ_INT(3, hgq_table_get(g, 0, 3)->u.i);          /* 中级 初级 未定职级 */
    CHECK_EQ_DBL(4.0 / 6.0, hgq_table_get(g, 0, 4)->u.d, 1e-12);
    /* 行政人员 has no salary: its mean is missing, not 0 */
    CHECK_EQ_STR("行政人员", hgq_table_get(g, 2, 0)->u.s);
    CHECK_EQ_INT(HGQ_NULL, hgq_table_get(g, 2, 2)->type);
    CHECK_EQ_INT(1, hgq_table_get(g, 2, 1)->u.i);
    for (r = 0; r < 3; r++)
        sum += hgq_table_get(g, r, 4)->u.d;
    CHECK_EQ_DBL(1.0, sum, 1e-12);
    CHECK_EQ_STR("合计", hgq_table_get(g, 3, 0)->u.s);
    CHECK_EQ_INT(6, hgq_table_get(g, 3, 1)->u.i);
    CHECK_EQ_DBL(4500, hgq_table_get(g, 3, 2)->u.d, 1e-9);
    hgq_table_free(g);

    /* two keys, missing title grouped first */
    {
        const char *by2[] = {"post", "title"};
        hgq_group_spec s2 = {by2, 2, NULL, 0, NULL, 0, 0};
        CHECK_EQ_INT(HGQ_OK, hgq_stats_group(t, &s2, &g, &err));
        CHECK_EQ_INT(5, hgq_table_nrows(g));
        CHECK_EQ_STR("count", hgq_table_column_name(g, 2));
        CHECK_EQ_STR("中级", hgq_table_get(g, 0, 1)->u.s);
        CHECK_EQ_INT(2, hgq_table_get(g, 0, 2)->u.i);
        CHECK_EQ_STR("工勤人员", hgq_table_get(g, 3, 0)->u.s);
        CHECK_EQ_INT(HGQ_NULL, hgq_table_get(g, 3, 1)->type);
        hgq_table_free(g);
    }
    {
        const char *byx[] = {"rank"};
        hgq_group_spec s3 = {byx, 1, NULL, 0, NULL, 0, 0};
        g = NULL;
        CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_stats_group(t, &s3, &g, &err));
        CHECK(g == NULL);
    }
    hgq_table_free(t);
}

/* 8 teachers: titles x age bands with one empty listed title (副高级) and
 * one empty listed band (60岁以上). */
static hgq_table *teachers8(void)
{
    static const char *const cols[] = {"name", "title", "education", "birth_date", "id_number", "hours"};
    hgq_table *t = mk("staff", cols, 6);
    char id[19];
    struct { const char *title, *edu; int y, m, d; double hours; } p[] = {
        {"中级", "本科", 1995, 12, 31, 10},  /* 30 on 2025-12-31: 30岁以下 */
        {"中级", "本科", 1994, 12, 31, 12},  /* 31: 31-40岁 */
        {"初级", "专科", 1990, 6, 1, 14},
        {"未定职级", "本科", 2000, 2, 29, 16}, /* 25 */
        {"未定职级", "本科", 1980, 3, 1, 18},
        {"正高级", "研究生", 1970, 1, 1, 20},
        {"中级", "本科", 1972, 8, 8, 22},
        {"初级", "本科", 0, 0, 0, 24},          /* no birth date, no ID */
    };
    size_t i;
    for (i = 0; i < 8; i++) {
        hgq_value v[6];
        v[0] = hgq_text("t");
        v[1] = hgq_text(p[i].title);
        v[2] = hgq_text(p[i].edu);
        v[3] = p[i].y ? hgq_date(hgq_date_from_ymd(p[i].y, p[i].m, p[i].d)) : hgq_null();
        v[4] = hgq_null();
        v[5] = hgq_num(p[i].hours);
        if (i == 6) {
            /* birth date only in the ID number */
            make_id(id, p[i].y, p[i].m, p[i].d, 17);
            v[3] = hgq_null();
            v[4] = hgq_text(id);
        }
        add(t, v);
    }
    return t;
}

TEST(ages_on_birthdays_and_leap_days)
{
    double leap = hgq_date_from_ymd(2000, 2, 29);
    const char *label = NULL;
    CHECK_EQ_INT(24, hgq_age_years(leap, hgq_date_from_ymd(2025, 2, 28)));
    CHECK_EQ_INT(25, hgq_age_years(leap, hgq_date_from_ymd(2025, 3, 1)));
    CHECK_EQ_INT(24, hgq_age_years(leap, hgq_date_from_ymd(2024, 2, 29)));
    CHECK_EQ_INT(23, hgq_age_years(leap, hgq_date_from_ymd(2024, 2, 28)));
    CHECK_EQ_INT(30, hgq_age_years(hgq_date_from_ymd(1995, 9, 1), hgq_date_from_ymd(2025, 9, 1)));
    CHECK_EQ_INT(29, hgq_age_years(hgq_date_from_ymd(1995, 9, 1), hgq_date_from_ymd(2025, 8, 31)));
    /* 30 is still 30岁以下 (含), 31 is 31-40岁 */
    hgq_norm_age_band(30, &label);
    CHECK_EQ_STR("30岁以下", label);
    hgq_norm_age_band(31, &label);
    CHECK_EQ_STR("31-40岁", label);
    hgq_norm_age_band(61, &label);
    CHECK_EQ_STR("60岁以上", label);
}

TEST(birth_dates_from_the_roster_or_the_id_number)
{
    hgq_table *t = teachers8();
    const char *keys[8];
    size_t missing = 0;
    double b = 0;
    hgq_value badid = hgq_text("43040519721308001X"); /* month 13 */
    CHECK_EQ_INT(HGQ_BIRTH_FIELD, hgq_stats_birth(t, 0, NULL, NULL, &b));
    CHECK_EQ_DBL(hgq_date_from_ymd(1995, 12, 31), b, 0);
    CHECK_EQ_INT(HGQ_BIRTH_IDCARD, hgq_stats_birth(t, 6, NULL, NULL, &b));
    CHECK_EQ_DBL(hgq_date_from_ymd(1972, 8, 8), b, 0);
    CHECK_EQ_INT(HGQ_BIRTH_NONE, hgq_stats_birth(t, 7, NULL, NULL, &b));
    hgq_table_set(t, 7, 4, &badid, NULL);
    CHECK_EQ_INT(HGQ_BIRTH_NONE, hgq_stats_birth(t, 7, NULL, NULL, &b));
    CHECK_EQ_INT(HGQ_OK, hgq_stats_age_bands(t, NULL, NULL, hgq_date_from_ymd(2025, 12, 31), keys, 8,
                                             &missing, NULL));
    CHECK_EQ_INT(1, missing);
    CHECK_EQ_STR("30岁以下", keys[0]);
    CHECK_EQ_STR("31-40岁", keys[1]);
    CHECK_EQ_STR("30岁以下", keys[3]);
    CHECK_EQ_STR("51-60岁", keys[5]);
    CHECK_EQ_STR("51-60岁", keys[6]);
    CHECK(keys[7] == NULL);
    /* the day before the birthday, the 1995-12-31 teacher is 29 */
    hgq_stats_age_bands(t, NULL, NULL, hgq_date_from_ymd(2025, 12, 30), keys, 8, NULL, NULL);
    CHECK_EQ_STR("30岁以下", keys[0]);
    hgq_stats_age_bands(t, NULL, NULL, hgq_date_from_ymd(2026, 12, 31), keys, 8, NULL, NULL);
    CHECK_EQ_STR("31-40岁", keys[0]);
    CHECK_EQ_INT(HGQ_EARG, hgq_stats_age_bands(t, NULL, NULL, 0, keys, 3, NULL, NULL));
    hgq_table_free(t);
}

TEST(crosstab_keeps_empty_categories_with_margins)
{
    hgq_table *t = teachers8(), *lt = NULL, *wt = NULL;
    const char *keys[8];
    size_t nt, nb;
    const char *const *titles = hgq_stats_categories("title", &nt);
    const char *const *bands = hgq_stats_categories("age_band", &nb);
    hgq_crosstab_spec spec;
    hgq_crosstab *ct = NULL;
    hgq_error err;
    double v;
    size_t r, c;
    CHECK_EQ_INT(5, nt);
    CHECK_EQ_STR("正高级", titles[0]);
    CHECK_EQ_STR("未定职级", titles[4]);
    CHECK_EQ_INT(5, nb);
    hgq_stats_age_bands(t, NULL, NULL, hgq_date_from_ymd(2025, 12, 31), keys, 8, NULL, NULL);
    memset(&spec, 0, sizeof spec);
    spec.rows.field = "title";
    spec.rows.order = titles;
    spec.rows.norder = nt;
    spec.cols.keys = keys;
    spec.cols.nkeys = 8;
    spec.cols.name = "age_band";
    spec.cols.order = bands;
    spec.cols.norder = nb;
    CHECK_EQ_INT(HGQ_OK, hgq_crosstab_compute(t, &spec, &ct, &err));
    if (!ct)
        return;
    /* five titles in order; bands in order plus 未填写 for the unknown birth */
    CHECK_EQ_INT(5, ct->nrows);
    CHECK_EQ_INT(6, ct->ncols);
    CHECK_EQ_STR("副高级", ct->row_labels[1]);
    CHECK_EQ_STR("60岁以上", ct->col_labels[4]);
    CHECK_EQ_STR("未填写", ct->col_labels[5]);
    /* empty category: 副高级 row all 0, still present */
    for (c = 0; c <= ct->ncols; c++) {
        CHECK(hgq_crosstab_get(ct, 1, c, &v));
        CHECK_EQ_DBL(0, v, 0);
    }
    /* empty band 60岁以上: column margin 0 */
    CHECK(hgq_crosstab_get(ct, ct->nrows, 4, &v));
    CHECK_EQ_DBL(0, v, 0);
    /* 中级: 30岁以下 1, 31-40岁 1, 51-60岁 1 (ID number) */
    CHECK(hgq_crosstab_get(ct, 2, 0, &v) && v == 1);
    CHECK(hgq_crosstab_get(ct, 2, 1, &v) && v == 1);
    CHECK(hgq_crosstab_get(ct, 2, 3, &v) && v == 1);
    CHECK(hgq_crosstab_get(ct, 2, ct->ncols, &v) && v == 3);
    /* margins: every row margin is the sum of its cells, and so are columns */
    for (r = 0; r <= ct->nrows; r++) {
        double s = 0, m = 0, x;
        for (c = 0; c < ct->ncols; c++)
            if (hgq_crosstab_get(ct, r, c, &x))
                s += x;
        CHECK(hgq_crosstab_get(ct, r, ct->ncols, &m));
        CHECK_EQ_DBL(s, m, 0);
    }
    for (c = 0; c <= ct->ncols; c++) {
        double s = 0, m = 0, x;
        for (r = 0; r < ct->nrows; r++)
            if (hgq_crosstab_get(ct, r, c, &x))
                s += x;
        CHECK(hgq_crosstab_get(ct, ct->nrows, c, &m));
        CHECK_EQ_DBL(s, m, 0);
    }
    CHECK(hgq_crosstab_get(ct, ct->nrows, ct->ncols, &v) && v == 8);
    CHECK_EQ_INT(8, ct->records);

    /* long form of NAMES.md */
    CHECK_EQ_INT(HGQ_OK, hgq_crosstab_to_long(ct, "pub_teachers_check", &lt, &err));
    if (lt) {
        size_t last = hgq_table_nrows(lt) - 1;
        CHECK_EQ_INT(6 * 7, hgq_table_nrows(lt));
        CHECK_EQ_STR("title", hgq_table_column_name(lt, 0));
        CHECK_EQ_STR("age_band", hgq_table_column_name(lt, 1));
        CHECK_EQ_STR("value", hgq_table_column_name(lt, 2));
        CHECK_EQ_STR("aggregate", hgq_table_meta(lt, "kind"));
        CHECK_EQ_STR("title,age_band", hgq_table_meta(lt, "dims"));
        CHECK_EQ_STR("合计", hgq_table_get(lt, last, 0)->u.s);
        CHECK_EQ_STR("合计", hgq_table_get(lt, last, 1)->u.s);
        CHECK_EQ_INT(8, hgq_table_get(lt, last, 2)->u.i);
        /* the long form reads back through the aggregate lookup */
        {
            hgq_cond q = {"title", HGQ_OP_EQ, hgq_text("中级"), NULL, 0};
            int found = 0;
            CHECK_EQ_INT(HGQ_OK, hgq_aggregate_value(lt, &q, 1, &v, &found, &err));
            CHECK(found);
            CHECK_EQ_DBL(3, v, 0);
        }
    }
    CHECK_EQ_INT(HGQ_OK, hgq_crosstab_to_wide(ct, "表3", &wt, &err));
    if (wt) {
        CHECK_EQ_INT(6, hgq_table_nrows(wt));
        CHECK_EQ_INT(8, hgq_table_ncols(wt)); /* title, 6 bands, 合计 */
        CHECK_EQ_STR("30岁以下", hgq_table_column_name(wt, 1));
        CHECK_EQ_STR("合计", hgq_table_column_name(wt, 7));
        CHECK_EQ_STR("合计", hgq_table_get(wt, 5, 0)->u.s);
        CHECK_EQ_INT(8, hgq_table_get(wt, 5, 7)->u.i);
        CHECK_EQ_INT(0, hgq_table_get(wt, 1, 7)->u.i);
    }
    hgq_table_free(lt);
    hgq_table_free(wt);
    hgq_crosstab_free(ct);

    /* dropping unlisted categories, and failing on them */
    spec.cols.unlisted = HGQ_UNLISTED_DROP;
    CHECK_EQ_INT(HGQ_OK, hgq_crosstab_compute(t, &spec, &ct, &err));
    if (ct) {
        CHECK_EQ_INT(5, ct->ncols);
        CHECK_EQ_INT(1, ct->dropped);
        CHECK(hgq_crosstab_get(ct, ct->nrows, ct->ncols, &v) && v == 7);
        hgq_crosstab_free(ct);
    }
    spec.cols.unlisted = HGQ_UNLISTED_ERROR;
    ct = NULL;
    CHECK_EQ_INT(HGQ_EDATA, hgq_crosstab_compute(t, &spec, &ct, &err));
    CHECK(ct == NULL);
    CHECK(strstr(err.message, "未填写") != NULL);
    hgq_table_free(t);
}

TEST(crosstab_unlisted_categories_are_appended_sorted)
{
    hgq_table *t = teachers8();
    static const char *const edu_short[] = {"本科"};
    hgq_crosstab_spec spec;
    hgq_crosstab *ct = NULL;
    hgq_error err;
    double v;
    memset(&spec, 0, sizeof spec);
    spec.rows.field = "education";
    spec.rows.order = edu_short;
    spec.rows.norder = 1;
    spec.cols.field = "title";
    CHECK_EQ_INT(HGQ_OK, hgq_crosstab_compute(t, &spec, &ct, &err));
    if (!ct)
        return;
    CHECK_EQ_INT(3, ct->nrows);
    CHECK_EQ_STR("本科", ct->row_labels[0]);
    /* the others after the listed one, in byte order: 专科 < 研究生 */
    CHECK_EQ_STR("专科", ct->row_labels[1]);
    CHECK_EQ_STR("研究生", ct->row_labels[2]);
    CHECK(hgq_crosstab_get(ct, 0, ct->ncols, &v) && v == 6);
    hgq_crosstab_free(ct);
    hgq_table_free(t);
}

TEST(crosstab_of_means_leaves_empty_cells_undefined)
{
    hgq_table *t = teachers8(), *lt = NULL;
    static const char *const titles[] = {"正高级", "副高级", "中级"};
    static const char *const edus[] = {"研究生", "本科"};
    hgq_crosstab_spec spec;
    hgq_crosstab *ct = NULL;
    hgq_error err;
    double v;
    memset(&spec, 0, sizeof spec);
    spec.rows.field = "title";
    spec.rows.order = titles;
    spec.rows.norder = 3;
    spec.rows.unlisted = HGQ_UNLISTED_DROP;
    spec.cols.field = "education";
    spec.cols.order = edus;
    spec.cols.norder = 2;
    spec.cols.unlisted = HGQ_UNLISTED_DROP;
    spec.agg = HGQ_AGG_MEAN;
    spec.field = "hours";
    CHECK_EQ_INT(HGQ_OK, hgq_crosstab_compute(t, &spec, &ct, &err));
    if (!ct)
        return;
    CHECK(!hgq_crosstab_get(ct, 1, 0, &v)); /* no 副高级 teacher */
    CHECK(hgq_crosstab_get(ct, 2, 1, &v));
    CHECK_EQ_DBL((10 + 12 + 22) / 3.0, v, 1e-12);
    /* the grand mean is over the records (正高级 20 and 中级 10 12 22), not a mean of means */
    CHECK(hgq_crosstab_get(ct, 3, 2, &v));
    CHECK_EQ_DBL((20 + 10 + 12 + 22) / 4.0, v, 1e-12);
    CHECK_EQ_INT(HGQ_OK, hgq_crosstab_to_long(ct, "m", &lt, &err));
    if (lt) {
        /* row 副高级 x 研究生 is row index 1 * 3 + 0 */
        CHECK_EQ_STR("副高级", hgq_table_get(lt, 3, 0)->u.s);
        CHECK_EQ_INT(HGQ_NULL, hgq_table_get(lt, 3, 2)->type);
    }
    hgq_table_free(lt);
    hgq_crosstab_free(ct);
    spec.agg = HGQ_AGG_COUNT_DISTINCT;
    CHECK_EQ_INT(HGQ_EARG, hgq_crosstab_compute(t, &spec, &ct, &err));
    spec.agg = HGQ_AGG_SUM;
    spec.field = "wage";
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_crosstab_compute(t, &spec, &ct, &err));
    hgq_table_free(t);
}

/* 表6 as published: no margins. */
static hgq_table *pub_aid(void)
{
    static const char *const cols[] = {"year", "item", "value"};
    static const char *const items[] = {"在校生数", "建档立卡贫困家庭学生人数", "非涉农困难家庭学生人数",
                                        "享受助学金学生总人数"};
    static const int vals[3][4] = {{1260, 120, 164, 284}, {1064, 86, 117, 203}, {657, 35, 60, 95}};
    static const char *const years[] = {"2025", "2024", "2023"};
    hgq_table *t = mk("pub_aid", cols, 3);
    size_t y, i;
    hgq_table_set_meta(t, "kind", "aggregate", NULL);
    hgq_table_set_meta(t, "dims", "year,item", NULL);
    for (y = 0; y < 3; y++)
        for (i = 0; i < 4; i++) {
            hgq_value v[3] = {hgq_text(years[y]), hgq_text(items[i]), hgq_int(vals[y][i])};
            add(t, v);
        }
    return t;
}

TEST(aggregate_lookup_and_history_of_table6)
{
    hgq_table *t = pub_aid(), *h = NULL;
    hgq_cond q[2] = {{"year", HGQ_OP_EQ, hgq_text("2024"), NULL, 0},
                     {"item", HGQ_OP_EQ, hgq_text("在校生数"), NULL, 0}};
    hgq_cond bad = {"school", HGQ_OP_EQ, hgq_text("x"), NULL, 0};
    hgq_error err;
    double v = 0;
    int found = 0;
    CHECK_EQ_INT(HGQ_OK, hgq_aggregate_value(t, q, 2, &v, &found, &err));
    CHECK(found);
    CHECK_EQ_DBL(1064, v, 0);
    q[0].value = hgq_int(2023); /* a number matches the text "2023" */
    CHECK_EQ_INT(HGQ_OK, hgq_aggregate_value(t, q, 2, &v, &found, &err));
    CHECK(found && v == 657);
    q[0].value = hgq_text("2019");
    CHECK_EQ_INT(HGQ_OK, hgq_aggregate_value(t, q, 2, &v, &found, &err));
    CHECK(!found);
    /* no margins: the parts are added up (every item of 2025) */
    q[0].value = hgq_text("2025");
    CHECK_EQ_INT(HGQ_OK, hgq_aggregate_value(t, q, 1, &v, &found, &err));
    CHECK(found);
    CHECK_EQ_DBL(1260 + 120 + 164 + 284, v, 0);
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_aggregate_value(t, &bad, 1, &v, &found, &err));

    CHECK_EQ_INT(HGQ_OK, hgq_stats_history(t, "year", &q[1], 1, &h, &err));
    if (h) {
        long growth = hgq_table_find_column(h, "growth");
        CHECK_EQ_INT(3, hgq_table_nrows(h));
        CHECK_EQ_STR("2023", hgq_table_get(h, 0, 0)->u.s);
        CHECK_EQ_STR("2025", hgq_table_get(h, 2, 0)->u.s);
        CHECK_EQ_INT(HGQ_NULL, hgq_table_get(h, 0, (size_t)growth)->type);
        /* 在校生 1064 -> 1260: +196, +18.42 % */
        CHECK_EQ_DBL(196, hgq_table_get_by_name(h, 2, "change")->u.d, 0);
        CHECK_EQ_DBL(18.4210526, hgq_table_get(h, 2, (size_t)growth)->u.d, 1e-6);
        CHECK_EQ_DBL(657 + 1064 + 1260, hgq_table_get_by_name(h, 2, "cumulative")->u.d, 0);
        hgq_table_free(h);
    }
    hgq_table_free(t);
}

/* 表5 as printed: cells, a 合计 column and a 总计 row (trade/level 合计). */
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
    hgq_table *t = mk("pub_certifications", cols, 4);
    size_t i;
    hgq_table_set_meta(t, "kind", "aggregate", NULL);
    hgq_table_set_meta(t, "dims", "trade,level,year", NULL);
    for (i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        hgq_value v[4] = {hgq_text(cells[i].trade), hgq_text(cells[i].level), hgq_text(cells[i].year),
                          hgq_int(cells[i].v)};
        add(t, v);
    }
    return t;
}

TEST(table5_years_totals_and_cumulative)
{
    hgq_table *t = pub_certifications(), *h = NULL;
    hgq_cond q = {"year", HGQ_OP_EQ, hgq_text("2025"), NULL, 0};
    hgq_cond q2[2] = {{"trade", HGQ_OP_EQ, hgq_text("车工"), NULL, 0},
                      {"level", HGQ_OP_EQ, hgq_text("五级"), NULL, 0}};
    hgq_error err;
    double v = 0;
    int found = 0;
    /* trade and level not named: their 合计 (the 总计 row) is read */
    CHECK_EQ_INT(HGQ_OK, hgq_aggregate_value(t, &q, 1, &v, &found, &err));
    CHECK(found && v == 32);
    /* the grand total: every dimension 合计 */
    CHECK_EQ_INT(HGQ_OK, hgq_aggregate_value(t, NULL, 0, &v, &found, &err));
    CHECK(found && v == 959);
    /* up to 2025: 81+105+184+88+218+110+18+29+30+64+32 = 959, "合计" is not a year */
    q.op = HGQ_OP_LE;
    CHECK_EQ_INT(HGQ_OK, hgq_aggregate_value(t, &q, 1, &v, &found, &err));
    CHECK(found && v == 959);
    q.value = hgq_text("2024");
    CHECK_EQ_INT(HGQ_OK, hgq_aggregate_value(t, &q, 1, &v, &found, &err));
    CHECK(found && v == 927);
    /* one trade and level over the years: its 合计 column */
    CHECK_EQ_INT(HGQ_OK, hgq_aggregate_value(t, q2, 2, &v, &found, &err));
    CHECK(found && v == 261);

    CHECK_EQ_INT(HGQ_OK, hgq_stats_history(t, "year", NULL, 0, &h, &err));
    if (h) {
        size_t n = hgq_table_nrows(h);
        CHECK_EQ_INT(11, n);
        CHECK_EQ_STR("2013", hgq_table_get(h, 0, 0)->u.s);
        CHECK_EQ_STR("2025", hgq_table_get(h, n - 1, 0)->u.s);
        CHECK_EQ_DBL(32, hgq_table_get_by_name(h, n - 1, "value")->u.d, 0);
        CHECK_EQ_DBL(64, hgq_table_get_by_name(h, n - 1, "previous")->u.d, 0);
        CHECK_EQ_DBL(-32, hgq_table_get_by_name(h, n - 1, "change")->u.d, 0);
        CHECK_EQ_DBL(-50, hgq_table_get_by_name(h, n - 1, "growth")->u.d, 1e-12);
        CHECK_EQ_DBL(959, hgq_table_get_by_name(h, n - 1, "cumulative")->u.d, 0);
        hgq_table_free(h);
    }
    hgq_table_free(t);
}

TEST(labels_and_category_lists)
{
    char buf[32];
    hgq_value v = hgq_int(2025);
    size_t n;
    CHECK(hgq_stats_label(&v, buf, sizeof buf));
    CHECK_EQ_STR("2025", buf);
    v = hgq_bool(1);
    hgq_stats_label(&v, buf, sizeof buf);
    CHECK_EQ_STR("是", buf);
    v = hgq_date(hgq_date_from_ymd(2025, 9, 1));
    hgq_stats_label(&v, buf, sizeof buf);
    CHECK_EQ_STR("2025-09-01", buf);
    v = hgq_null();
    CHECK(!hgq_stats_label(&v, buf, sizeof buf));
    CHECK_EQ_STR("", buf);
    CHECK_EQ_STR("高中及以下", hgq_stats_categories("education", &n)[3]);
    CHECK_EQ_INT(4, n);
    CHECK(hgq_stats_categories("colour", &n) == NULL);
    CHECK_EQ_INT(0, n);
    {
        hgq_agg a;
        CHECK(hgq_agg_parse("median", &a) && a == HGQ_AGG_MEDIAN);
        CHECK(hgq_agg_parse("avg", &a) && a == HGQ_AGG_MEAN);
        CHECK(!hgq_agg_parse("mode", &a));
    }
}

int main(void)
{
    RUN(ratio_keeps_inputs_and_refuses_division_by_zero);
    RUN(median_of_odd_even_ties_and_nothing);
    RUN(operators_parse_and_values_match);
    RUN(filters_count_conditions_selection_and_predicates);
    RUN(summary_skips_missing_and_counts_text);
    RUN(group_by_sorts_measures_shares_and_totals);
    RUN(ages_on_birthdays_and_leap_days);
    RUN(birth_dates_from_the_roster_or_the_id_number);
    RUN(crosstab_keeps_empty_categories_with_margins);
    RUN(crosstab_unlisted_categories_are_appended_sorted);
    RUN(crosstab_of_means_leaves_empty_cells_undefined);
    RUN(aggregate_lookup_and_history_of_table6);
    RUN(table5_years_totals_and_cumulative);
    RUN(labels_and_category_lists);
    return t_done();
}
