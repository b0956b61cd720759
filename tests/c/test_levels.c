/*
 * test_levels.c - dictionary-encoded columns: the codes follow every change
 * of a cell, a column stops being encoded when it must, and the statistics
 * computed through the codes equal a plain row-by-row evaluation, on
 * randomized tables, encoded or not.
 */
#include <stdint.h>

#include "hgq.h"
#include "t.h"

/* {====================================================================
 * Random tables
 * ===================================================================== */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

/* A value from a pool mixing types that compare equal across types (INT 1,
 * NUM 1.0, BOOL true, DATE 1), numeric text, -0.0 and missing values. */
static hgq_value random_value(void)
{
    static const char *const texts[] = {"在校", "毕业", "男", "女", "1", "2025", "2024.0",
                                        "专任教师", "", "abc", "1e3"};
    switch (rnd(9)) {
    case 0: return hgq_null();
    case 1:
    case 2: return hgq_text(texts[rnd(sizeof texts / sizeof texts[0])]);
    case 3: return hgq_int((int64_t)rnd(4) + (rnd(2) ? 2023 : 0));
    case 4: return hgq_num(rnd(3) == 0 ? -0.0 : (double)rnd(4) + (rnd(2) ? 0.5 : 0));
    case 5: return hgq_bool((int)rnd(2));
    case 6: return hgq_date(rnd(2) ? 1.0 : hgq_date_from_ymd(1980 + (int)rnd(40), 1 + (int)rnd(12), 1 + (int)rnd(28)));
    case 7: return hgq_int(2025);
    default: return hgq_text(texts[rnd(4)]);
    }
}

static const char *const cols[] = {"a", "b", "c"};
#define NCOLS 3

static hgq_table *random_table(size_t nrows)
{
    hgq_table *t = hgq_table_new("r");
    size_t r, c, row;
    for (c = 0; c < NCOLS; c++)
        hgq_table_add_column(t, cols[c], HGQ_NULL, NULL, NULL);
    for (r = 0; r < nrows; r++) {
        hgq_table_append_row(t, &row, NULL);
        for (c = 0; c < NCOLS; c++) {
            hgq_value v = random_value();
            hgq_table_set(t, row, c, &v, NULL);
        }
    }
    return t;
}

/* Makes every column of t unencoded, its values unchanged: a long text in
 * row 0 drops the dictionary for good, then the old value comes back. */
static void unencode(hgq_table *t)
{
    static const char long_text[] =
        "a text longer than sixty-four bytes, which tables do not intern or encode";
    size_t c;
    for (c = 0; c < hgq_table_ncols(t); c++) {
        hgq_value old = *hgq_table_get(t, 0, c), lt = hgq_text(long_text);
        hgq_table_set(t, 0, c, &lt, NULL);
        hgq_table_set(t, 0, c, &old, NULL);
    }
}

/* A copy of t (same values, every column encoded from scratch). */
static hgq_table *copy_table(const hgq_table *t)
{
    hgq_table *u = hgq_table_new(hgq_table_name(t));
    size_t r, c, row;
    for (c = 0; c < hgq_table_ncols(t); c++)
        hgq_table_add_column(u, hgq_table_column_name(t, c), hgq_table_column_type(t, c), NULL, NULL);
    for (r = 0; r < hgq_table_nrows(t); r++) {
        hgq_table_append_row(u, &row, NULL);
        for (c = 0; c < hgq_table_ncols(t); c++)
            hgq_table_set(u, row, c, hgq_table_get(t, r, c), NULL);
    }
    return u;
}

/* }==================================================================== */

/* {====================================================================
 * The codes follow the cells
 * ===================================================================== */

TEST(levels_follow_changes)
{
    hgq_table *t = hgq_table_new("t");
    size_t r, row, n;
    hgq_value v;
    hgq_cond c = {"s", HGQ_OP_EQ, hgq_text("在校"), NULL, 0};
    hgq_filter f = {&c, 1, NULL, 0, NULL, NULL};
    hgq_error err;
    hgq_table_add_column(t, "s", HGQ_TEXT, NULL, NULL);
    CHECK_EQ_INT(0, hgq_table_column_levels(t, 0));
    CHECK_EQ_INT(-1, hgq_table_column_levels(t, 1));
    for (r = 0; r < 100; r++) {
        v = hgq_text(r % 3 ? "在校" : "毕业");
        hgq_table_append_row(t, &row, NULL);
        hgq_table_set(t, row, 0, &v, NULL);
    }
    CHECK_EQ_INT(2, hgq_table_column_levels(t, 0));
    CHECK(hgq_stats_count(t, &f, &n, &err) == HGQ_OK);
    CHECK_EQ_INT(66, n);

    /* a cell changed: the count follows, the old level stays while used */
    v = hgq_text("毕业");
    hgq_table_set(t, 1, 0, &v, NULL);
    CHECK(hgq_stats_count(t, &f, &n, &err) == HGQ_OK);
    CHECK_EQ_INT(65, n);
    CHECK_EQ_INT(2, hgq_table_column_levels(t, 0));

    /* every 在校 overwritten: one level left, nothing matches */
    v = hgq_int(7);
    for (r = 0; r < 100; r++)
        if (hgq_table_get(t, r, 0)->type == HGQ_TEXT && strcmp(hgq_table_get(t, r, 0)->u.s, "在校") == 0)
            hgq_table_set(t, r, 0, &v, NULL);
    CHECK_EQ_INT(2, hgq_table_column_levels(t, 0)); /* 毕业 and 7 */
    CHECK(hgq_stats_count(t, &f, &n, &err) == HGQ_OK);
    CHECK_EQ_INT(0, n);

    /* back to a missing value, then to the level that had gone */
    v = hgq_null();
    hgq_table_set(t, 0, 0, &v, NULL);
    v = hgq_text("在校");
    hgq_table_set(t, 2, 0, &v, NULL);
    CHECK_EQ_INT(3, hgq_table_column_levels(t, 0));
    CHECK(hgq_stats_count(t, &f, &n, &err) == HGQ_OK);
    CHECK_EQ_INT(1, n);
    c.value = hgq_null();
    CHECK(hgq_stats_count(t, &f, &n, &err) == HGQ_OK);
    CHECK_EQ_INT(1, n);

    /* a column added later starts with every row missing */
    hgq_table_add_column(t, "late", HGQ_INT, NULL, NULL);
    CHECK_EQ_INT(0, hgq_table_column_levels(t, 1));
    c.field = "late";
    CHECK(hgq_stats_count(t, &f, &n, &err) == HGQ_OK);
    CHECK_EQ_INT(100, n);
    hgq_table_free(t);
}

TEST(levels_given_up)
{
    hgq_table *t = hgq_table_new("t");
    size_t r, row, n;
    hgq_value v;
    hgq_cond c = {"n", HGQ_OP_LT, hgq_int(10), NULL, 0};
    hgq_filter f = {&c, 1, NULL, 0, NULL, NULL};
    hgq_error err;
    hgq_table_add_column(t, "n", HGQ_INT, NULL, NULL);
    hgq_table_add_column(t, "s", HGQ_TEXT, NULL, NULL);
    for (r = 0; r < 70000; r++) {
        hgq_table_append_row(t, &row, NULL);
        v = hgq_int((int64_t)r);
        hgq_table_set(t, row, 0, &v, NULL);
        v = hgq_text(r % 2 ? "x" : "y");
        hgq_table_set(t, row, 1, &v, NULL);
        if (r == 65534)
            CHECK_EQ_INT(65535, hgq_table_column_levels(t, 0));
    }
    /* more than 65535 distinct values: no longer encoded, still counted */
    CHECK_EQ_INT(-1, hgq_table_column_levels(t, 0));
    CHECK_EQ_INT(2, hgq_table_column_levels(t, 1));
    CHECK(hgq_stats_count(t, &f, &n, &err) == HGQ_OK);
    CHECK_EQ_INT(10, n);
    /* a long text gives up the encoding too, and it stays given up */
    v = hgq_text("a text longer than sixty-four bytes, which tables do not intern or encode");
    hgq_table_set(t, 4, 1, &v, NULL);
    CHECK_EQ_INT(-1, hgq_table_column_levels(t, 1));
    v = hgq_text("x");
    hgq_table_set(t, 4, 1, &v, NULL);
    CHECK_EQ_INT(-1, hgq_table_column_levels(t, 1));
    c.field = "s";
    c.op = HGQ_OP_EQ;
    c.value = hgq_text("x");
    CHECK(hgq_stats_count(t, &f, &n, &err) == HGQ_OK);
    CHECK_EQ_INT(35001, n);
    hgq_table_free(t);
}

/* }==================================================================== */

/* {====================================================================
 * The same results as a row-by-row evaluation
 * ===================================================================== */

static hgq_cond random_cond(hgq_value *alts)
{
    hgq_cond c;
    memset(&c, 0, sizeof c);
    c.field = cols[rnd(NCOLS)];
    c.op = (hgq_op)rnd(8);
    c.value = rnd(6) ? random_value() : hgq_null();
    if (c.op == HGQ_OP_IN || c.op == HGQ_OP_NOT_IN) {
        size_t i;
        c.nalts = 1 + rnd(3);
        for (i = 0; i < c.nalts; i++)
            alts[i] = random_value();
        c.alts = alts;
    }
    return c;
}

static size_t naive_count(const hgq_table *t, const hgq_cond *c, size_t nc)
{
    size_t r, i, n = 0;
    for (r = 0; r < hgq_table_nrows(t); r++) {
        int ok = 1;
        for (i = 0; i < nc && ok; i++)
            ok = hgq_value_matches(hgq_table_get_by_name(t, r, c[i].field), c[i].op, &c[i].value,
                                   c[i].alts, c[i].nalts);
        n += (size_t)ok;
    }
    return n;
}

TEST(filters_match_naive)
{
    int round;
    for (round = 0; round < 300; round++) {
        hgq_table *t = random_table(1 + rnd(200)), *u;
        hgq_value alts[2][4];
        hgq_cond c[2];
        size_t nc = 1 + rnd(2), want, got = 0, got_u = 0;
        hgq_filter f = {c, 0, NULL, 0, NULL, NULL};
        hgq_error err;
        c[0] = random_cond(alts[0]);
        c[1] = random_cond(alts[1]);
        f.nconds = nc;
        want = naive_count(t, c, nc);
        CHECK(hgq_stats_count(t, &f, &got, &err) == HGQ_OK);
        u = copy_table(t);
        unencode(u);
        CHECK(hgq_table_column_levels(u, 0) == -1);
        CHECK(hgq_stats_count(u, &f, &got_u, &err) == HGQ_OK);
        if (want != got || want != got_u) {
            T_FAIL("round %d: %s %s ...: naive %zu, encoded %zu, plain %zu", round, c[0].field,
                   hgq_op_symbol(c[0].op), want, got, got_u);
            hgq_table_free(t);
            hgq_table_free(u);
            return;
        }
        hgq_table_free(t);
        hgq_table_free(u);
    }
}

/* The group-by of `by` (count and sum of c) naively: rows sorted stably by
 * hgq_value_compare, runs of equal rows. Writes "value|value:count:sum;"
 * per group into out. */
static void naive_group(const hgq_table *t, const char *const *by, size_t nby, char *out, size_t size)
{
    size_t n = hgq_table_nrows(t), i, j, k, *idx = malloc(n * sizeof *idx), len = 0;
    long bc[2];
    for (k = 0; k < nby; k++)
        bc[k] = hgq_table_find_column(t, by[k]);
    for (i = 0; i < n; i++)
        idx[i] = i;
    /* insertion sort: stable */
    for (i = 1; i < n; i++) {
        size_t x = idx[i];
        for (j = i; j > 0; j--) {
            int d = 0;
            for (k = 0; k < nby && !d; k++)
                d = hgq_value_compare(hgq_table_get(t, idx[j - 1], (size_t)bc[k]),
                                      hgq_table_get(t, x, (size_t)bc[k]));
            if (d <= 0)
                break;
            idx[j] = idx[j - 1];
        }
        idx[j] = x;
    }
    out[0] = '\0';
    for (i = 0; i < n; i = j) {
        double sum = 0, d;
        int any = 0;
        char lab[64];
        for (j = i; j < n; j++) {
            int diff = 0;
            for (k = 0; k < nby && !diff; k++)
                diff = hgq_value_compare(hgq_table_get(t, idx[i], (size_t)bc[k]),
                                         hgq_table_get(t, idx[j], (size_t)bc[k]));
            if (diff)
                break;
            if (hgq_value_number(hgq_table_get_by_name(t, idx[j], "c"), &d)) {
                sum += d;
                any = 1;
            }
        }
        for (k = 0; k < nby; k++) {
            if (!hgq_stats_label(hgq_table_get(t, idx[i], (size_t)bc[k]), lab, sizeof lab))
                strcpy(lab, "-");
            len += (size_t)snprintf(out + len, size - len, "%s%s", k ? "|" : "", lab);
        }
        len += (size_t)snprintf(out + len, size - len, ":%zu:", j - i);
        len += (size_t)snprintf(out + len, size - len, any ? "%g;" : "-;", sum);
    }
    free(idx);
}

static void result_group(const hgq_table *g, size_t nby, char *out, size_t size)
{
    size_t r, k, len = 0;
    out[0] = '\0';
    for (r = 0; r < hgq_table_nrows(g); r++) {
        char lab[64];
        const hgq_value *s = hgq_table_get(g, r, nby + 1);
        for (k = 0; k < nby; k++) {
            if (!hgq_stats_label(hgq_table_get(g, r, k), lab, sizeof lab))
                strcpy(lab, "-");
            len += (size_t)snprintf(out + len, size - len, "%s%s", k ? "|" : "", lab);
        }
        len += (size_t)snprintf(out + len, size - len, ":%lld:", (long long)hgq_table_get(g, r, nby)->u.i);
        len += (size_t)snprintf(out + len, size - len, s->type == HGQ_NULL ? "-;" : "%g;", s->u.d);
    }
}

TEST(groups_match_naive)
{
    static char want[1 << 16], got[1 << 16], got_u[1 << 16];
    int round;
    for (round = 0; round < 200; round++) {
        hgq_table *t = random_table(1 + rnd(150)), *u, *g = NULL, *gu = NULL;
        const char *by[2];
        hgq_measure m[2] = {{HGQ_AGG_COUNT, NULL, NULL}, {HGQ_AGG_SUM, "c", NULL}};
        hgq_group_spec spec;
        hgq_error err;
        by[0] = cols[rnd(2)];
        by[1] = by[0][0] == 'a' ? "b" : "a";
        memset(&spec, 0, sizeof spec);
        spec.by = by;
        spec.nby = 1 + rnd(2);
        spec.measures = m;
        spec.nmeasures = 2;
        naive_group(t, by, spec.nby, want, sizeof want);
        CHECK(hgq_stats_group(t, &spec, &g, &err) == HGQ_OK);
        u = copy_table(t);
        unencode(u);
        CHECK(hgq_stats_group(u, &spec, &gu, &err) == HGQ_OK);
        if (g && gu) {
            result_group(g, spec.nby, got, sizeof got);
            result_group(gu, spec.nby, got_u, sizeof got_u);
        }
        if (!g || !gu || strcmp(want, got) != 0 || strcmp(want, got_u) != 0) {
            T_FAIL("round %d by %s (%zu): naive %s\nencoded %s\nplain %s", round, by[0], spec.nby,
                   want, got, got_u);
            round = 1000;
        }
        /* counts only: the rows are not reordered, same groups */
        spec.nmeasures = 0;
        hgq_table_free(g);
        g = NULL;
        CHECK(hgq_stats_group(t, &spec, &g, &err) == HGQ_OK);
        if (g && gu) {
            size_t r;
            CHECK_EQ_INT(hgq_table_nrows(gu), hgq_table_nrows(g));
            for (r = 0; r < hgq_table_nrows(g) && r < hgq_table_nrows(gu); r++)
                if (hgq_value_compare(hgq_table_get(g, r, spec.nby), hgq_table_get(gu, r, spec.nby)) ||
                    hgq_value_compare(hgq_table_get(g, r, 0), hgq_table_get(gu, r, 0))) {
                    T_FAIL("round %d: count-only group %zu differs", round, r);
                    round = 1000;
                    break;
                }
        }
        hgq_table_free(g);
        hgq_table_free(gu);
        hgq_table_free(t);
        hgq_table_free(u);
    }
}

/* Cross-tab counts: each cell against a naive count of records by label. */
TEST(crosstabs_match_naive)
{
    int round;
    for (round = 0; round < 200; round++) {
        hgq_table *t = random_table(1 + rnd(150)), *u;
        size_t n = hgq_table_nrows(t), r, i, j;
        const char **keys = malloc(n * sizeof *keys);
        static const char *const pool[] = {"k1", "k2", "合x", NULL};
        static const char *const order[] = {"在校", "1", "k2", "未填写"};
        hgq_crosstab_spec spec;
        hgq_crosstab *ct = NULL, *cu = NULL;
        hgq_error err;
        hgq_status st, su;
        char k2[3] = "k2"; /* the same label at another address */
        for (r = 0; r < n; r++)
            keys[r] = rnd(5) == 0 ? k2 : pool[rnd(4)];
        memset(&spec, 0, sizeof spec);
        spec.rows.field = cols[rnd(NCOLS)];
        spec.rows.order = rnd(2) ? order : NULL;
        spec.rows.norder = spec.rows.order ? 4 : 0;
        spec.rows.unlisted = (hgq_unlisted)rnd(3);
        spec.cols.keys = keys;
        spec.cols.nkeys = n;
        spec.cols.name = "k";
        spec.cols.order = rnd(2) ? order + 2 : NULL;
        spec.cols.norder = spec.cols.order ? 1 : 0;
        spec.cols.unlisted = (hgq_unlisted)rnd(2);
        st = hgq_crosstab_compute(t, &spec, &ct, &err);
        u = copy_table(t);
        unencode(u);
        su = hgq_crosstab_compute(u, &spec, &cu, &err);
        CHECK_EQ_INT(su, st);
        if (st == HGQ_OK && su == HGQ_OK) {
            CHECK_EQ_INT(cu->nrows, ct->nrows);
            CHECK_EQ_INT(cu->ncols, ct->ncols);
            CHECK_EQ_INT(cu->dropped, ct->dropped);
            for (i = 0; i < ct->nrows && i < cu->nrows; i++) {
                CHECK_EQ_STR(cu->row_labels[i], ct->row_labels[i]);
                for (j = 0; j < ct->ncols && j < cu->ncols; j++) {
                    double v = -1, w = -1;
                    size_t naive = 0;
                    for (r = 0; r < n; r++) {
                        char lab[64];
                        const char *rl = hgq_stats_label(hgq_table_get_by_name(t, r, spec.rows.field), lab, sizeof lab)
                                             ? lab : "未填写";
                        const char *cl = keys[r] ? keys[r] : "未填写";
                        naive += strcmp(rl, ct->row_labels[i]) == 0 && strcmp(cl, ct->col_labels[j]) == 0;
                    }
                    hgq_crosstab_get(ct, i, j, &v);
                    hgq_crosstab_get(cu, i, j, &w);
                    CHECK_EQ_DBL((double)naive, v, 0);
                    CHECK_EQ_DBL(w, v, 0);
                }
            }
        }
        hgq_crosstab_free(ct);
        hgq_crosstab_free(cu);
        hgq_table_free(t);
        hgq_table_free(u);
        free(keys);
        if (t_cur_failed) {
            T_FAIL("round %d", round);
            break;
        }
    }
}

/* }==================================================================== */

/* {====================================================================
 * Age bands and the catalogue, encoded or not
 * ===================================================================== */

static void make_id(char out[19], int y, int m, int d, int seq)
{
    snprintf(out, 19, "430405%04d%02d%02d%03d", y, m, d, seq % 1000);
    out[17] = hgq_idcard_check_char(out);
    out[18] = '\0';
}

static hgq_table *random_staff(size_t n)
{
    static const char *const names[] = {"post", "part_time", "dual", "specialised", "title",
                                        "education", "birth_date", "id_number", "staff_no"};
    static const char *const posts[] = {"专任教师", "行政人员", "教辅人员"};
    static const char *const titles[] = {"正高级", "副高级", "中级", "初级", "未定职级", "教授"};
    static const char *const edus[] = {"研究生", "本科", "专科", "高中及以下"};
    hgq_table *t = hgq_table_new("staff");
    size_t r, c, row;
    for (c = 0; c < sizeof names / sizeof names[0]; c++)
        hgq_table_add_column(t, names[c], HGQ_NULL, NULL, NULL);
    for (r = 0; r < n; r++) {
        hgq_value v[9];
        char id[19], no[32], bd[32];
        int y = 1955 + (int)rnd(50), m = 1 + (int)rnd(12), d = 1 + (int)rnd(28);
        make_id(id, y, m, d, (int)r);
        snprintf(no, sizeof no, "S%05zu", r);
        snprintf(bd, sizeof bd, "%04d-%02d-%02d", y, m, d);
        v[0] = rnd(8) ? hgq_text(posts[rnd(3)]) : hgq_null();
        v[1] = rnd(5) ? hgq_bool(rnd(4) == 0) : hgq_text("是");
        v[2] = hgq_bool((int)rnd(2));
        v[3] = rnd(6) ? hgq_bool((int)rnd(2)) : hgq_null();
        v[4] = rnd(9) ? hgq_text(titles[rnd(6)]) : hgq_null();
        v[5] = hgq_text(edus[rnd(4)]);
        switch (rnd(4)) {
        case 0: v[6] = hgq_null(); break;            /* from the ID number */
        case 1: v[6] = hgq_text(bd); break;          /* date text */
        default: v[6] = hgq_date(hgq_date_from_ymd(y, m, d)); break;
        }
        v[7] = rnd(10) ? hgq_text(id) : hgq_text("43040519");
        v[8] = hgq_text(no);
        hgq_table_append_row(t, &row, NULL);
        for (c = 0; c < 9; c++)
            hgq_table_set(t, row, c, &v[c], NULL);
    }
    return t;
}

TEST(age_bands_match_naive)
{
    int round;
    double at = hgq_date_from_ymd(2025, 9, 1);
    for (round = 0; round < 20; round++) {
        hgq_table *t = random_staff(1 + rnd(300));
        size_t n = hgq_table_nrows(t), r, miss = 0, miss_u = 0;
        const char **a = malloc(n * sizeof *a), **b = malloc(n * sizeof *b);
        hgq_error err;
        CHECK(hgq_table_column_levels(t, (size_t)hgq_table_find_column(t, "birth_date")) >= 0);
        CHECK(hgq_stats_age_bands(t, NULL, NULL, at, a, n, &miss, &err) == HGQ_OK);
        unencode(t);
        CHECK(hgq_stats_age_bands(t, NULL, NULL, at, b, n, &miss_u, &err) == HGQ_OK);
        CHECK_EQ_INT(miss_u, miss);
        for (r = 0; r < n; r++) {
            double birth;
            const char *label = NULL;
            if (hgq_stats_birth(t, r, NULL, NULL, &birth) != HGQ_BIRTH_NONE)
                hgq_norm_age_band(hgq_age_years(birth, at), &label);
            if (label != a[r] || label != b[r]) {
                T_FAIL("round %d row %zu: naive %s, encoded %s, plain %s", round, r,
                       label ? label : "-", a[r] ? a[r] : "-", b[r] ? b[r] : "-");
                break;
            }
        }
        free(a);
        free(b);
        hgq_table_free(t);
    }
}

static hgq_dataset *random_dataset(void)
{
    static const char *const majors[][2] = {{"数控", "机械类"}, {"电工", "电工电子类"},
                                            {"软件", "信息类"}, {"会计", "财经商贸类"}};
    static const char *const sm[] = {"数控", "电工", "软件", "会计", "未知专业"};
    static const char *const status[] = {"在校", "毕业", "休学"};
    hgq_dataset *ds = hgq_dataset_new(2025, hgq_date_from_ymd(2025, 9, 1));
    hgq_table *mj = hgq_table_new("major"), *st = hgq_table_new("student");
    size_t i, row, n = 50 + rnd(400);
    hgq_table_add_column(mj, "name", HGQ_TEXT, NULL, NULL);
    hgq_table_add_column(mj, "category", HGQ_TEXT, NULL, NULL);
    for (i = 0; i < 4; i++) {
        hgq_value a = hgq_text(majors[i][0]), b = hgq_text(majors[i][1]);
        hgq_table_append_row(mj, &row, NULL);
        hgq_table_set(mj, row, 0, &a, NULL);
        hgq_table_set(mj, row, 1, &b, NULL);
    }
    hgq_table_add_column(st, "major", HGQ_TEXT, NULL, NULL);
    hgq_table_add_column(st, "entry_year", HGQ_INT, NULL, NULL);
    hgq_table_add_column(st, "status", HGQ_TEXT, NULL, NULL);
    hgq_table_add_column(st, "rural", HGQ_BOOL, NULL, NULL);
    for (i = 0; i < n; i++) {
        hgq_value v[4];
        size_t c;
        v[0] = rnd(10) ? hgq_text(sm[rnd(5)]) : hgq_null();
        v[1] = rnd(12) ? hgq_int(2022 + (int)rnd(4)) : hgq_text("2025");
        v[2] = rnd(10) ? hgq_text(status[rnd(3)]) : hgq_null();
        v[3] = rnd(7) ? hgq_bool((int)rnd(2)) : hgq_text("true");
        hgq_table_append_row(st, &row, NULL);
        for (c = 0; c < 4; c++)
            hgq_table_set(st, row, c, &v[c], NULL);
    }
    hgq_dataset_add_table(ds, mj, NULL);
    hgq_dataset_add_table(ds, st, NULL);
    hgq_dataset_add_table(ds, random_staff(50 + rnd(300)), NULL);
    return ds;
}

TEST(catalogue_same_encoded_or_not)
{
    int round;
    hgq_catalogue *cat = hgq_catalogue_new();
    for (round = 0; round < 15; round++) {
        hgq_dataset *ds = random_dataset();
        hgq_indicator_results *a = NULL, *b = NULL;
        hgq_error err;
        size_t i, n, defined = 0;
        CHECK(hgq_catalogue_evaluate(cat, ds, NULL, &a, &err) == HGQ_OK);
        unencode(hgq_dataset_table(ds, "student"));
        unencode(hgq_dataset_table(ds, "staff"));
        unencode(hgq_dataset_table(ds, "major"));
        CHECK(hgq_catalogue_evaluate(cat, ds, NULL, &b, &err) == HGQ_OK);
        n = a ? hgq_indicator_results_count(a) : 0;
        for (i = 0; i < n && b; i++) {
            const hgq_indicator_result *x = hgq_indicator_results_at(a, i);
            const hgq_indicator_result *y = hgq_indicator_results_at(b, i);
            defined += (size_t)x->defined;
            if (x->defined != y->defined || (x->defined && x->value != y->value) ||
                x->num != y->num || strcmp(x->note, y->note) != 0 || x->has_last != y->has_last) {
                T_FAIL("round %d %s: encoded %d %g (%s), plain %d %g (%s)", round, x->id, x->defined,
                       x->value, x->note, y->defined, y->value, y->note);
                break;
            }
        }
        /* the random school has students, teachers and their structure */
        CHECK(defined >= 30);
        hgq_indicator_results_free(a);
        hgq_indicator_results_free(b);
        hgq_dataset_free(ds);
    }
    hgq_catalogue_free(cat);
}

/* }==================================================================== */

int main(void)
{
    RUN(levels_follow_changes);
    RUN(levels_given_up);
    RUN(filters_match_naive);
    RUN(groups_match_naive);
    RUN(crosstabs_match_naive);
    RUN(age_bands_match_naive);
    RUN(catalogue_same_encoded_or_not);
    return t_done();
}
