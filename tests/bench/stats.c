/*
 * stats.c - the report's statistics over a whole province with libhgq's
 * statistics API: 表2 (new students by major category), 表3 (full-time
 * teachers by title and by education, by age band, with margins), the
 * group-bys a provincial summary prints, and the indicator catalogue.
 *
 *   stats DIR
 *
 * DIR holds major.csv, student.csv and staff.csv (gen province writes them
 * under P/all/); they are imported into one dataset with hgq_import_file,
 * as a script would. Output (key=value): load_s (the import), then t2_s,
 * t3_s, groups_s, indicators_s and stats_s (their sum: the figure compared
 * with pandas), the same as CPU time (load_cpu ... stats_cpu), maxrss_kb,
 * and the results themselves (new_students,
 * new.<category>, teachers, t3.<title>.<band>, in_school, hardship.<kind>,
 * groups, ind.<id>) for run.sh to check against pandas.
 */
#include <stdio.h>
#include <string.h>

#include "hgq.h"
#include "bench.h"

static void check(hgq_status st, const hgq_error *err, const char *what)
{
    if (st != HGQ_OK)
        bench_die("stats: %s: %s (%s)", what, err->message, hgq_status_name(st));
}

static hgq_table *need(hgq_dataset *ds, const char *name)
{
    hgq_table *t = hgq_dataset_table(ds, name);
    if (!t)
        bench_die("stats: no table '%s' after import", name);
    return t;
}

static void load(hgq_dataset *ds, const hgq_schemas *reg, const char *dir, const char *entity)
{
    char path[4096];
    hgq_import_summary sum;
    hgq_error err;
    memset(&sum, 0, sizeof sum);
    snprintf(path, sizeof path, "%s/%s.csv", dir, entity);
    check(hgq_import_file(ds, reg, path, entity, NULL, NULL, &sum, &err), &err, path);
    printf("rows.%s=%zu\nrejected.%s=%zu\n", entity, sum.rows_accepted, entity,
           sum.rows_rejected);
    hgq_import_summary_free(&sum);
}

/* 表2: 2025 entrants by major category (a join through the
 * major table, done here as a script would) x gender, with margins. */
static void table2(hgq_dataset *ds)
{
    const hgq_table *st = need(ds, "student"), *mj = need(ds, "major");
    size_t n = hgq_table_nrows(st), nm = hgq_table_nrows(mj), i, k;
    const char **keys = malloc((n ? n : 1) * sizeof *keys);
    long mcol = hgq_table_find_column(st, "major");
    long ncol = hgq_table_find_column(mj, "name"), ccol = hgq_table_find_column(mj, "category");
    hgq_cond c[] = {{"entry_year", HGQ_OP_EQ, hgq_int(2025), NULL, 0}};
    hgq_filter f = {c, 1, NULL, 0, NULL, NULL};
    hgq_crosstab_spec spec;
    hgq_crosstab *ct;
    hgq_error err;
    double v;
    /* the join: a table keeps one copy of each short text, so the student
     * table's major names are a few distinct pointers, each looked up once */
    const char *seen[64], *seen_cat[64];
    size_t nseen = 0, j;
    if (!keys || mcol < 0 || ncol < 0 || ccol < 0)
        bench_die("stats: 表2: missing columns");
    for (i = 0; i < n; i++) {
        const hgq_value *m = hgq_table_get(st, i, (size_t)mcol);
        keys[i] = NULL;
        if (m->type != HGQ_TEXT)
            continue;
        for (j = 0; j < nseen && seen[j] != m->u.s; j++)
            ;
        if (j < nseen) {
            keys[i] = seen_cat[j];
            continue;
        }
        for (k = 0; k < nm; k++) {
            const hgq_value *name = hgq_table_get(mj, k, (size_t)ncol);
            if (name->type == HGQ_TEXT && strcmp(name->u.s, m->u.s) == 0) {
                const hgq_value *cat = hgq_table_get(mj, k, (size_t)ccol);
                keys[i] = cat->type == HGQ_TEXT ? cat->u.s : NULL;
                break;
            }
        }
        if (nseen < 64) {
            seen[nseen] = m->u.s;
            seen_cat[nseen++] = keys[i];
        }
    }
    memset(&spec, 0, sizeof spec);
    spec.rows.keys = keys;
    spec.rows.nkeys = n;
    spec.rows.name = "category";
    spec.cols.field = "gender";
    spec.filter = &f;
    check(hgq_crosstab_compute(st, &spec, &ct, &err), &err, "表2");
    if (hgq_crosstab_get(ct, ct->nrows, ct->ncols, &v))
        printf("new_students=%.0f\n", v);
    for (i = 0; i < ct->nrows; i++)
        if (hgq_crosstab_get(ct, i, ct->ncols, &v))
            printf("new.%s=%.0f\n", ct->row_labels[i], v);
    hgq_crosstab_free(ct);
    free(keys);
}

/* 表3: 专任教师 by title and by education, x age band on 2025-09-01. */
static void table3(hgq_dataset *ds)
{
    const hgq_table *st = need(ds, "staff");
    size_t n = hgq_table_nrows(st), nb, no, i, j, d;
    const char **bands = malloc((n ? n : 1) * sizeof *bands);
    const char *const *band_order = hgq_stats_categories("age_band", &nb);
    const char *dims[] = {"title", "education"};
    hgq_cond c[] = {{"post", HGQ_OP_EQ, hgq_text("专任教师"), NULL, 0}};
    hgq_filter f = {c, 1, NULL, 0, NULL, NULL};
    hgq_error err;
    if (!bands || !band_order)
        bench_die("stats: 表3: no age bands");
    check(hgq_stats_age_bands(st, NULL, NULL, hgq_dataset_as_of(ds), bands, n, NULL, &err), &err,
          "age bands");
    for (d = 0; d < 2; d++) {
        hgq_crosstab_spec spec;
        hgq_crosstab *ct;
        hgq_table *lf;
        double v;
        memset(&spec, 0, sizeof spec);
        spec.rows.field = dims[d];
        spec.rows.order = hgq_stats_categories(dims[d], &no);
        spec.rows.norder = no;
        spec.cols.keys = bands;
        spec.cols.nkeys = n;
        spec.cols.name = "age_band";
        spec.cols.order = band_order;
        spec.cols.norder = nb;
        spec.filter = &f;
        check(hgq_crosstab_compute(st, &spec, &ct, &err), &err, "表3");
        check(hgq_crosstab_to_long(ct, "pub_teachers", &lf, &err), &err, "表3 long form");
        if (d == 0 && hgq_crosstab_get(ct, ct->nrows, ct->ncols, &v))
            printf("teachers=%.0f\n", v);
        for (i = 0; i < ct->nrows; i++)
            for (j = 0; j <= ct->ncols; j++)
                if (hgq_crosstab_get(ct, i, j, &v))
                    printf("t3.%s.%s=%.0f\n", ct->row_labels[i],
                           j == ct->ncols ? HGQ_TOTAL_LABEL : ct->col_labels[j], v);
        hgq_table_free(lf);
        hgq_crosstab_free(ct);
    }
    free(bands);
}

/* The province's group-bys: students in school by major and year, by
 * origin, by hardship. */
static void groups(hgq_dataset *ds)
{
    const hgq_table *st = need(ds, "student");
    const char *by1[] = {"major", "entry_year"}, *by2[] = {"origin"}, *by3[] = {"hardship"};
    hgq_cond c[] = {{"status", HGQ_OP_EQ, hgq_text("在校"), NULL, 0}};
    hgq_filter f = {c, 1, NULL, 0, NULL, NULL};
    hgq_group_spec g;
    hgq_table *t;
    hgq_error err;
    size_t count = 0, i;
    long cc;

    memset(&g, 0, sizeof g);
    g.by = by1;
    g.nby = 2;
    g.filter = &f;
    g.total = 1;
    check(hgq_stats_group(st, &g, &t, &err), &err, "group by major, year");
    count += hgq_table_nrows(t);
    cc = hgq_table_find_column(t, "count");
    if (cc >= 0 && hgq_table_nrows(t) > 0) {
        const hgq_value *v = hgq_table_get(t, hgq_table_nrows(t) - 1, (size_t)cc);
        printf("in_school=%lld\n", (long long)v->u.i);
    }
    hgq_table_free(t);

    g.by = by2;
    g.nby = 1;
    g.share = 1;
    g.total = 0;
    check(hgq_stats_group(st, &g, &t, &err), &err, "group by origin");
    count += hgq_table_nrows(t);
    hgq_table_free(t);

    g.by = by3;
    g.share = 0;
    check(hgq_stats_group(st, &g, &t, &err), &err, "group by hardship");
    count += hgq_table_nrows(t);
    cc = hgq_table_find_column(t, "count");
    for (i = 0; i < hgq_table_nrows(t) && cc >= 0; i++) {
        const hgq_value *k = hgq_table_get(t, i, 0), *v = hgq_table_get(t, i, (size_t)cc);
        if (k->type == HGQ_TEXT)
            printf("hardship.%s=%lld\n", k->u.s, (long long)v->u.i);
    }
    hgq_table_free(t);
    printf("groups=%zu\n", count);
}

static void indicators(hgq_dataset *ds)
{
    hgq_catalogue *cat = hgq_catalogue_new();
    hgq_indicator_results *res;
    hgq_error err;
    size_t i, n, defined = 0;
    if (!cat)
        bench_die("stats: out of memory");
    check(hgq_catalogue_evaluate(cat, ds, NULL, &res, &err), &err, "indicators");
    n = hgq_indicator_results_count(res);
    for (i = 0; i < n; i++) {
        const hgq_indicator_result *r = hgq_indicator_results_at(res, i);
        if (r->defined) {
            defined++;
            printf("ind.%s=%.6g\n", r->id, r->value);
        }
    }
    printf("indicators=%zu\nindicators_defined=%zu\n", n, defined);
    hgq_indicator_results_free(res);
    hgq_catalogue_free(cat);
}

int main(int argc, char **argv)
{
    hgq_schemas *reg;
    hgq_dataset *ds;
    hgq_error err;
    double t0, c0, t_load, t2, t3, tg, ti, c_load, c2, c3, cg, ci;
    if (argc != 2)
        bench_die("usage: stats DIR (with major.csv, student.csv, staff.csv)");
    reg = hgq_schemas_new();
    ds = hgq_dataset_new(2025, hgq_date_from_ymd(2025, 9, 1));
    if (!reg || !ds)
        bench_die("stats: out of memory");
    check(hgq_dataset_set_property(ds, "type", "技工学校", &err), &err, "property");
#define PHASE(call, wall, cpu) \
    do {                           \
        t0 = bench_now();          \
        c0 = bench_cpu();          \
        call;                      \
        wall = bench_now() - t0;   \
        cpu = bench_cpu() - c0;    \
    } while (0)
    PHASE((load(ds, reg, argv[1], "major"), load(ds, reg, argv[1], "student"),
           load(ds, reg, argv[1], "staff")),
          t_load, c_load);
    printf("load_rss_kb=%ld\n", bench_rss_kb());
    PHASE(table2(ds), t2, c2);
    PHASE(table3(ds), t3, c3);
    PHASE(groups(ds), tg, cg);
    PHASE(indicators(ds), ti, ci);
    printf("load_s=%.4f\nt2_s=%.4f\nt3_s=%.4f\ngroups_s=%.4f\nindicators_s=%.4f\nstats_s=%.4f\n",
           t_load, t2, t3, tg, ti, t2 + t3 + tg + ti);
    printf("load_cpu=%.4f\nt2_cpu=%.4f\nt3_cpu=%.4f\ngroups_cpu=%.4f\nindicators_cpu=%.4f\n"
           "stats_cpu=%.4f\nmaxrss_kb=%ld\n",
           c_load, c2, c3, cg, ci, c2 + c3 + cg + ci, bench_maxrss_kb());
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
    return 0;
}
