/*
 * stats.c - the statistics engine: ratios, filters, summaries, group-bys,
 * cross-tabs with margins, ages and age bands, aggregate-table lookups and
 * history.
 *
 * Nothing here mutates an input table. Results that are tables are new
 * hgq_tables owned by the caller; a cross-tab is a plain struct so that
 * callers can read cells without a table round trip.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats_internal.h"

/* {====================================================================
 * Shared helpers
 * ===================================================================== */

static void merge_pass(size_t *a, size_t *tmp, size_t lo, size_t mid, size_t hi,
                       hgq_idx_cmp cmp, void *ctx)
{
    size_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        tmp[k++] = cmp(ctx, a[j], a[i]) < 0 ? a[j++] : a[i++];
    while (i < mid)
        tmp[k++] = a[i++];
    while (j < hi)
        tmp[k++] = a[j++];
    memcpy(a + lo, tmp + lo, (hi - lo) * sizeof *a);
}

int hgq_sort_index(size_t *idx, size_t n, hgq_idx_cmp cmp, void *ctx)
{
    size_t width, lo, *tmp;
    size_t bytes;
    if (n < 2)
        return 0;
    if (!hgq_size_mul(n, sizeof *idx, &bytes) || !(tmp = malloc(bytes)))
        return -1;
    for (width = 1; width < n; width *= 2) {
        for (lo = 0; lo < n - width; lo += 2 * width) {
            size_t mid = lo + width;
            size_t hi = mid + width < n ? mid + width : n;
            merge_pass(idx, tmp, lo, mid, hi, cmp, ctx);
        }
    }
    free(tmp);
    return 0;
}

int hgq_plain_number(const char *s, double *out)
{
    char *end;
    double d;
    if (!s || !*s)
        return 0;
    if (!((*s >= '0' && *s <= '9') || *s == '-' || *s == '+' || *s == '.'))
        return 0;
    d = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(d))
        return 0;
    if (out)
        *out = d;
    return 1;
}

int hgq_label_cmp(const char *a, const char *b)
{
    double x, y;
    int na = hgq_plain_number(a, &x), nb = hgq_plain_number(b, &y);
    if (na && nb)
        return (x > y) - (x < y);
    if (na != nb)
        return na ? -1 : 1;
    return strcmp(a, b);
}

static size_t str_hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

void hgq_strmap_init(hgq_strmap *m)
{
    m->keys = NULL;
    m->vals = NULL;
    m->cap = 0;
    m->count = 0;
}

void hgq_strmap_free(hgq_strmap *m)
{
    free(m->keys);
    free(m->vals);
    hgq_strmap_init(m);
}

int hgq_strmap_get(const hgq_strmap *m, const char *key, size_t *val)
{
    size_t i;
    if (!m->cap)
        return 0;
    for (i = str_hash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1)) {
        if (strcmp(m->keys[i], key) == 0) {
            if (val)
                *val = m->vals[i];
            return 1;
        }
    }
    return 0;
}

int hgq_strmap_put(hgq_strmap *m, const char *key, size_t val)
{
    size_t i;
    if ((m->count + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 16, j;
        const char **nk = calloc(ncap, sizeof *nk);
        size_t *nv = calloc(ncap, sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return -1;
        }
        for (j = 0; j < m->cap; j++) {
            if (!m->keys[j])
                continue;
            for (i = str_hash(m->keys[j]) & (ncap - 1); nk[i]; i = (i + 1) & (ncap - 1))
                ;
            nk[i] = m->keys[j];
            nv[i] = m->vals[j];
        }
        free(m->keys);
        free(m->vals);
        m->keys = nk;
        m->vals = nv;
        m->cap = ncap;
    }
    for (i = str_hash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1)) {
        if (strcmp(m->keys[i], key) == 0) {
            m->vals[i] = val;
            return 0;
        }
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->count++;
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* }==================================================================== */

/* {====================================================================
 * Ratios
 * ===================================================================== */

hgq_ratio hgq_ratio_of(double num, double den, double scale)
{
    hgq_ratio r;
    r.num = num;
    r.den = den;
    r.value = 0;
    r.defined = 0;
    if (den != 0 && isfinite(num) && isfinite(den) && isfinite(scale)) {
        double v = num / den * scale;
        if (isfinite(v)) {
            r.value = v;
            r.defined = 1;
        }
    }
    return r;
}

hgq_ratio hgq_ratio_growth(double current, double previous)
{
    return hgq_ratio_of(current - previous, previous, 100.0);
}

/* }==================================================================== */

/* {====================================================================
 * Operators and matching
 * ===================================================================== */

const char *hgq_op_symbol(hgq_op op)
{
    switch (op) {
    case HGQ_OP_EQ: return "=";
    case HGQ_OP_NE: return "!=";
    case HGQ_OP_LT: return "<";
    case HGQ_OP_LE: return "<=";
    case HGQ_OP_GT: return ">";
    case HGQ_OP_GE: return ">=";
    case HGQ_OP_IN: return "in";
    case HGQ_OP_NOT_IN: return "not in";
    }
    return "?";
}

int hgq_op_parse(const char *s, hgq_op *op)
{
    static const struct { const char *text; hgq_op op; } ops[] = {
        {"=", HGQ_OP_EQ}, {"==", HGQ_OP_EQ}, {"!=", HGQ_OP_NE}, {"<>", HGQ_OP_NE},
        {"\xe2\x89\xa0", HGQ_OP_NE}, {"<", HGQ_OP_LT}, {"<=", HGQ_OP_LE},
        {"\xe2\x89\xa4", HGQ_OP_LE}, {">", HGQ_OP_GT}, {">=", HGQ_OP_GE},
        {"\xe2\x89\xa5", HGQ_OP_GE}, {"\xef\xbc\x9e\xef\xbc\x9d", HGQ_OP_GE},
        {"\xef\xbc\x9c\xef\xbc\x9d", HGQ_OP_LE},
    };
    size_t i, len;
    if (!s)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (strlen(ops[i].text) == len && memcmp(ops[i].text, s, len) == 0) {
            if (op)
                *op = ops[i].op;
            return 1;
        }
    }
    return 0;
}

/* Numeric view including text that is a plain number. */
static int as_number(const hgq_value *v, double *out)
{
    if (v->type == HGQ_TEXT)
        return hgq_plain_number(v->u.s, out);
    return hgq_value_number(v, out);
}

/* -1/0/1, or 2 when the two values cannot be ordered. */
static int order_values(const hgq_value *a, const hgq_value *b)
{
    double x, y;
    if (as_number(a, &x) && as_number(b, &y))
        return (x > y) - (x < y);
    if (a->type == HGQ_TEXT && b->type == HGQ_TEXT) {
        int c = strcmp(a->u.s, b->u.s);
        return (c > 0) - (c < 0);
    }
    return 2;
}

static int match_one(const hgq_value *v, hgq_op op, const hgq_value *lit)
{
    int c;
    if (lit->type == HGQ_NULL) {
        if (op == HGQ_OP_EQ)
            return v->type == HGQ_NULL;
        if (op == HGQ_OP_NE)
            return v->type != HGQ_NULL;
        return 0;
    }
    if (v->type == HGQ_NULL)
        return op == HGQ_OP_NE;
    c = order_values(v, lit);
    switch (op) {
    case HGQ_OP_EQ: return c == 0;
    case HGQ_OP_NE: return c != 0;
    case HGQ_OP_LT: return c == -1;
    case HGQ_OP_LE: return c == -1 || c == 0;
    case HGQ_OP_GT: return c == 1;
    case HGQ_OP_GE: return c == 1 || c == 0;
    default: return 0;
    }
}

int hgq_value_matches(const hgq_value *v, hgq_op op, const hgq_value *lit,
                      const hgq_value *alts, size_t nalts)
{
    size_t i;
    if (op == HGQ_OP_IN || op == HGQ_OP_NOT_IN) {
        int any = 0;
        for (i = 0; i < nalts && !any; i++)
            any = match_one(v, HGQ_OP_EQ, &alts[i]);
        return op == HGQ_OP_IN ? any : !any;
    }
    return match_one(v, op, lit);
}

/* }==================================================================== */

/* {====================================================================
 * Filters
 * ===================================================================== */

int hgq_filter_row(const hgq_table *t, const hgq_filter *f, size_t row)
{
    size_t i;
    if (!f)
        return 1;
    if (f->keep && (row >= f->nkeep || !f->keep[row]))
        return 0;
    for (i = 0; i < f->nconds; i++) {
        const hgq_cond *c = &f->conds[i];
        if (!hgq_value_matches(hgq_table_get_by_name(t, row, c->field), c->op,
                               &c->value, c->alts, c->nalts))
            return 0;
    }
    if (f->pred && !f->pred(f->ud, t, row))
        return 0;
    return 1;
}

hgq_status hgq_filter_check(const hgq_table *t, const hgq_filter *f, hgq_error *err)
{
    size_t i;
    if (!t)
        return hgq_error_set(err, HGQ_EARG, "no table");
    if (!f)
        return HGQ_OK;
    for (i = 0; i < f->nconds; i++) {
        if (!f->conds[i].field)
            return hgq_error_set(err, HGQ_EARG, "filter condition %zu has no field", i + 1);
        if (hgq_table_find_column(t, f->conds[i].field) < 0)
            return hgq_error_set(err, HGQ_ENOTFOUND, "no field '%s' in table '%s'",
                                 f->conds[i].field, hgq_table_name(t));
    }
    if (f->keep && f->nkeep != hgq_table_nrows(t))
        return hgq_error_set(err, HGQ_EARG,
                             "row selection has %zu entries, table '%s' has %zu rows",
                             f->nkeep, hgq_table_name(t), hgq_table_nrows(t));
    return HGQ_OK;
}

void hgq_levels_match(const hgq_levels *lv, hgq_op op, const hgq_value *lit,
                      const hgq_value *alts, size_t nalts, unsigned char *lut)
{
    hgq_value missing = hgq_null();
    size_t i;
    lut[0] = (unsigned char)hgq_value_matches(&missing, op, lit, alts, nalts);
    for (i = 0; i < lv->n; i++)
        lut[i + 1] = (unsigned char)hgq_value_matches(&lv->levels[i], op, lit, alts, nalts);
}

/* A filter with its columns resolved and, for encoded columns, every level
 * tested once. */
typedef struct fcond {
    const hgq_cond *c;
    size_t col;
    const uint16_t *codes;      /* NULL: test the values row by row */
    unsigned char *lut;
} fcond;

typedef struct cfilter {
    const hgq_table *t;
    const hgq_filter *f;
    fcond *conds;
    size_t n;
} cfilter;

static void cfilter_free(cfilter *cf)
{
    size_t i;
    for (i = 0; i < cf->n; i++)
        free(cf->conds[i].lut);
    free(cf->conds);
    cf->conds = NULL;
    cf->n = 0;
}

/* Checks and compiles f for t. */
static hgq_status cfilter_init(cfilter *cf, const hgq_table *t, const hgq_filter *f,
                               hgq_error *err)
{
    size_t i;
    hgq_status st = hgq_filter_check(t, f, err);
    memset(cf, 0, sizeof *cf);
    cf->t = t;
    cf->f = f;
    if (st || !f || !f->nconds)
        return st;
    if (!(cf->conds = calloc(f->nconds, sizeof *cf->conds)))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    cf->n = f->nconds;
    for (i = 0; i < f->nconds; i++) {
        fcond *fc = &cf->conds[i];
        hgq_levels lv;
        fc->c = &f->conds[i];
        fc->col = (size_t)hgq_table_find_column(t, fc->c->field);
        if (!hgq_table_levels(t, fc->col, &lv))
            continue;
        if (!(fc->lut = malloc(lv.n + 1))) {
            cfilter_free(cf);
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        }
        hgq_levels_match(&lv, fc->c->op, &fc->c->value, fc->c->alts, fc->c->nalts, fc->lut);
        fc->codes = lv.codes;
    }
    return HGQ_OK;
}

static int cfilter_row(const cfilter *cf, size_t r)
{
    const hgq_filter *f = cf->f;
    size_t i;
    if (!f)
        return 1;
    if (f->keep && !f->keep[r])
        return 0;
    for (i = 0; i < cf->n; i++) {
        const fcond *fc = &cf->conds[i];
        if (fc->codes ? !fc->lut[fc->codes[r]]
                      : !hgq_value_matches(hgq_table_get(cf->t, r, fc->col), fc->c->op,
                                           &fc->c->value, fc->c->alts, fc->c->nalts))
            return 0;
    }
    if (f->pred && !f->pred(f->ud, cf->t, r))
        return 0;
    return 1;
}

hgq_status hgq_stats_count(const hgq_table *t, const hgq_filter *f, size_t *out,
                           hgq_error *err)
{
    size_t r, n = 0, nrows;
    cfilter cf;
    hgq_status st = cfilter_init(&cf, t, f, err);
    if (st)
        return st;
    nrows = hgq_table_nrows(t);
    for (r = 0; r < nrows; r++)
        n += (size_t)cfilter_row(&cf, r);
    cfilter_free(&cf);
    *out = n;
    return HGQ_OK;
}

/* Selected rows into a new array (caller frees). */
static hgq_status select_rows(const hgq_table *t, const hgq_filter *f, size_t **rows,
                              size_t *n, hgq_error *err)
{
    size_t r, nrows, k = 0;
    size_t *a;
    cfilter cf;
    hgq_status st = cfilter_init(&cf, t, f, err);
    if (st)
        return st;
    nrows = hgq_table_nrows(t);
    a = malloc((nrows ? nrows : 1) * sizeof *a);
    if (!a) {
        cfilter_free(&cf);
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    }
    if (cf.n == 1 && cf.conds[0].codes && !f->keep && !f->pred) {
        /* the common case, one condition on an encoded column */
        const uint16_t *codes = cf.conds[0].codes;
        const unsigned char *lut = cf.conds[0].lut;
        for (r = 0; r < nrows; r++) {
            a[k] = r;
            k += lut[codes[r]];
        }
    } else {
        for (r = 0; r < nrows; r++)
            if (cfilter_row(&cf, r))
                a[k++] = r;
    }
    cfilter_free(&cf);
    *rows = a;
    *n = k;
    return HGQ_OK;
}

/* }==================================================================== */

/* {====================================================================
 * Summaries and aggregates
 * ===================================================================== */

int hgq_stats_median(double *values, size_t n, double *out)
{
    if (n == 0)
        return 0;
    qsort(values, n, sizeof *values, cmp_double);
    *out = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    return 1;
}

const char *hgq_agg_name(hgq_agg agg)
{
    switch (agg) {
    case HGQ_AGG_COUNT: return "count";
    case HGQ_AGG_COUNT_DISTINCT: return "count_distinct";
    case HGQ_AGG_SUM: return "sum";
    case HGQ_AGG_MEAN: return "mean";
    case HGQ_AGG_MEDIAN: return "median";
    case HGQ_AGG_MIN: return "min";
    case HGQ_AGG_MAX: return "max";
    }
    return "?";
}

int hgq_agg_parse(const char *name, hgq_agg *out)
{
    int i;
    if (!name)
        return 0;
    if (strcmp(name, "avg") == 0 || strcmp(name, "average") == 0) {
        *out = HGQ_AGG_MEAN;
        return 1;
    }
    for (i = HGQ_AGG_COUNT; i <= HGQ_AGG_MAX; i++) {
        if (strcmp(name, hgq_agg_name((hgq_agg)i)) == 0) {
            *out = (hgq_agg)i;
            return 1;
        }
    }
    return 0;
}

/* Context for ordering rows by one column's values. */
typedef struct col_ctx {
    const hgq_table *t;
    const long *cols;
    size_t ncols;
} col_ctx;

static int cmp_rows_by_cols(void *ctx, size_t a, size_t b)
{
    const col_ctx *c = ctx;
    size_t i;
    for (i = 0; i < c->ncols; i++) {
        int d = hgq_value_compare(hgq_table_get(c->t, a, (size_t)c->cols[i]),
                                  hgq_table_get(c->t, b, (size_t)c->cols[i]));
        if (d)
            return d;
    }
    return 0;
}

/*
 * Aggregates column `col` over rows[0..n). `scratch` holds n doubles. For
 * COUNT_DISTINCT the rows array is reordered. Returns 1 when defined.
 */
static int aggregate_rows(const hgq_table *t, long col, hgq_agg agg, size_t *rows,
                          size_t n, double *scratch, double *out, int *oom)
{
    size_t i, k = 0;
    if (agg == HGQ_AGG_COUNT) {
        *out = (double)n;
        return 1;
    }
    if (agg == HGQ_AGG_COUNT_DISTINCT) {
        col_ctx c = {t, &col, 1};
        size_t distinct = 0;
        const hgq_value *prev = NULL;
        if (hgq_sort_index(rows, n, cmp_rows_by_cols, &c)) {
            *oom = 1;
            return 0;
        }
        for (i = 0; i < n; i++) {
            const hgq_value *v = hgq_table_get(t, rows[i], (size_t)col);
            if (v->type == HGQ_NULL)
                continue;
            if (!prev || hgq_value_compare(prev, v) != 0)
                distinct++;
            prev = v;
        }
        *out = (double)distinct;
        return 1;
    }
    for (i = 0; i < n; i++) {
        double d;
        if (hgq_value_number(hgq_table_get(t, rows[i], (size_t)col), &d))
            scratch[k++] = d;
    }
    if (k == 0)
        return 0;
    switch (agg) {
    case HGQ_AGG_SUM:
    case HGQ_AGG_MEAN: {
        double s = 0;
        for (i = 0; i < k; i++)
            s += scratch[i];
        *out = agg == HGQ_AGG_SUM ? s : s / (double)k;
        return 1;
    }
    case HGQ_AGG_MEDIAN:
        return hgq_stats_median(scratch, k, out);
    case HGQ_AGG_MIN:
    case HGQ_AGG_MAX: {
        double m = scratch[0];
        for (i = 1; i < k; i++)
            if (agg == HGQ_AGG_MIN ? scratch[i] < m : scratch[i] > m)
                m = scratch[i];
        *out = m;
        return 1;
    }
    default:
        return 0;
    }
}

hgq_status hgq_stats_summarize(const hgq_table *t, const char *field,
                               const hgq_filter *f, hgq_summary *out,
                               hgq_error *err)
{
    size_t *rows = NULL, n = 0, i, k = 0;
    double *vals;
    long col;
    hgq_status st;
    memset(out, 0, sizeof *out);
    if (!t || !field)
        return hgq_error_set(err, HGQ_EARG, "summary needs a table and a field");
    col = hgq_table_find_column(t, field);
    if (col < 0)
        return hgq_error_set(err, HGQ_ENOTFOUND, "no field '%s' in table '%s'", field,
                             hgq_table_name(t));
    st = select_rows(t, f, &rows, &n, err);
    if (st)
        return st;
    vals = malloc((n ? n : 1) * sizeof *vals);
    if (!vals) {
        free(rows);
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    }
    out->rows = n;
    for (i = 0; i < n; i++) {
        const hgq_value *v = hgq_table_get(t, rows[i], (size_t)col);
        double d;
        if (hgq_value_number(v, &d)) {
            vals[k++] = d;
            out->sum += d;
        } else if (v->type != HGQ_NULL) {
            out->non_numeric++;
        }
    }
    out->n = k;
    if (k) {
        out->mean = out->sum / (double)k;
        hgq_stats_median(vals, k, &out->median); /* sorts */
        out->min = vals[0];
        out->max = vals[k - 1];
    }
    free(vals);
    free(rows);
    return HGQ_OK;
}

/* }==================================================================== */

/* {====================================================================
 * Group-by
 * ===================================================================== */

static hgq_status add_col(hgq_table *t, const char *name, hgq_vtype type, hgq_error *err)
{
    return hgq_table_add_column(t, name, type, NULL, err);
}

static hgq_status set_num(hgq_table *t, size_t row, size_t col, int defined, double v,
                          int integer, hgq_error *err)
{
    hgq_value x = !defined ? hgq_null() : integer ? hgq_int((int64_t)llround(v)) : hgq_num(v);
    return hgq_table_set(t, row, col, &x, err);
}

static hgq_status set_text(hgq_table *t, size_t row, size_t col, const char *s, hgq_error *err)
{
    hgq_value x = hgq_text(s);
    return hgq_table_set(t, row, col, &x, err);
}

typedef struct group_state {
    const hgq_table *t;
    const hgq_group_spec *spec;
    long *bycols;
    long *mcols;
    double *scratch;
    double *first;          /* first measure of each group */
    unsigned char *first_def;
    hgq_table *out;
} group_state;

static hgq_status measure_group(group_state *g, size_t *rows, size_t n, size_t outrow,
                                size_t group_index, hgq_error *err)
{
    size_t m, nm = g->spec->nmeasures ? g->spec->nmeasures : 1;
    for (m = 0; m < nm; m++) {
        hgq_agg agg = g->spec->nmeasures ? g->spec->measures[m].agg : HGQ_AGG_COUNT;
        double v = 0;
        int oom = 0, def;
        hgq_status st;
        def = aggregate_rows(g->t, g->mcols[m], agg, rows, n, g->scratch, &v, &oom);
        if (oom)
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        st = set_num(g->out, outrow, g->spec->nby + m, def, v,
                     agg == HGQ_AGG_COUNT || agg == HGQ_AGG_COUNT_DISTINCT, err);
        if (st)
            return st;
        if (m == 0 && g->first) {
            g->first[group_index] = v;
            g->first_def[group_index] = (unsigned char)def;
        }
    }
    return HGQ_OK;
}

static hgq_status group_columns(group_state *g, hgq_error *err)
{
    const hgq_group_spec *spec = g->spec;
    size_t i, nm = spec->nmeasures ? spec->nmeasures : 1;
    hgq_buf dims;
    hgq_status st = HGQ_OK;
    hgq_buf_init(&dims);
    for (i = 0; i < spec->nby && !st; i++) {
        st = add_col(g->out, spec->by[i], hgq_table_column_type(g->t, (size_t)g->bycols[i]), err);
        if (!st && ((i && hgq_buf_append_char(&dims, ',')) || hgq_buf_append_str(&dims, spec->by[i])))
            st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    }
    for (i = 0; i < nm && !st; i++) {
        hgq_agg agg = spec->nmeasures ? spec->measures[i].agg : HGQ_AGG_COUNT;
        const char *name = spec->nmeasures ? spec->measures[i].name : NULL;
        char buf[256];
        if (!name) {
            if (agg == HGQ_AGG_COUNT)
                name = "count";
            else {
                snprintf(buf, sizeof buf, "%s_%s", hgq_agg_name(agg), spec->measures[i].field);
                name = buf;
            }
        }
        st = add_col(g->out, name,
                     agg == HGQ_AGG_COUNT || agg == HGQ_AGG_COUNT_DISTINCT ? HGQ_INT : HGQ_NUM,
                     err);
    }
    if (!st && spec->share)
        st = add_col(g->out, "share", HGQ_NUM, err);
    if (!st)
        st = hgq_table_set_meta(g->out, "kind", "group", err);
    if (!st)
        st = hgq_table_set_meta(g->out, "dims", dims.data ? dims.data : "", err);
    hgq_buf_free(&dims);
    return st;
}

static hgq_status group_resolve(group_state *g, hgq_error *err)
{
    const hgq_group_spec *spec = g->spec;
    size_t i, nm = spec->nmeasures ? spec->nmeasures : 1;
    g->bycols = calloc(spec->nby + 1, sizeof *g->bycols);
    g->mcols = calloc(nm, sizeof *g->mcols);
    if (!g->bycols || !g->mcols)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    for (i = 0; i < spec->nby; i++) {
        if (!spec->by[i])
            return hgq_error_set(err, HGQ_EARG, "group-by column %zu has no name", i + 1);
        g->bycols[i] = hgq_table_find_column(g->t, spec->by[i]);
        if (g->bycols[i] < 0)
            return hgq_error_set(err, HGQ_ENOTFOUND, "no field '%s' in table '%s'",
                                 spec->by[i], hgq_table_name(g->t));
    }
    for (i = 0; i < spec->nmeasures; i++) {
        const hgq_measure *m = &spec->measures[i];
        if (m->agg < HGQ_AGG_COUNT || m->agg > HGQ_AGG_MAX)
            return hgq_error_set(err, HGQ_EARG, "measure %zu: unknown aggregate", i + 1);
        if (m->agg == HGQ_AGG_COUNT) {
            g->mcols[i] = -1;
            continue;
        }
        if (!m->field)
            return hgq_error_set(err, HGQ_EARG, "measure %zu (%s) needs a field", i + 1,
                                 hgq_agg_name(m->agg));
        g->mcols[i] = hgq_table_find_column(g->t, m->field);
        if (g->mcols[i] < 0)
            return hgq_error_set(err, HGQ_ENOTFOUND, "no field '%s' in table '%s'",
                                 m->field, hgq_table_name(g->t));
    }
    if (!spec->nmeasures)
        g->mcols[0] = -1;
    return HGQ_OK;
}

/* A hash of a value that agrees with hgq_value_compare: values it finds
 * equal hash alike (numbers of every type by their numeric value, text by
 * its bytes). */
static uint64_t value_hash(const hgq_value *v)
{
    double d;
    uint64_t h;
    if (v->type == HGQ_NULL)
        return UINT64_C(0x9E3779B97F4A7C15);
    if (v->type == HGQ_TEXT)
        return (uint64_t)str_hash(v->u.s);
    if (!hgq_value_number(v, &d))
        return 1;
    if (d == 0)
        d = 0; /* -0.0 compares equal to 0.0 */
    memcpy(&h, &d, sizeof h);
    h ^= h >> 31;
    h *= UINT64_C(0xBF58476D1CE4E5B9);
    return h ^ (h >> 29);
}

static uint64_t row_hash(const col_ctx *c, size_t row)
{
    uint64_t h = UINT64_C(0xCBF29CE484222325);
    size_t i;
    for (i = 0; i < c->ncols; i++)
        h = (h ^ value_hash(hgq_table_get(c->t, row, (size_t)c->cols[i]))) *
            UINT64_C(0x100000001B3);
    return h;
}

typedef struct group_ctx {
    const col_ctx *cc;
    const size_t *rep;      /* a row of each group */
} group_ctx;

static int cmp_groups(void *ctx, size_t a, size_t b)
{
    const group_ctx *g = ctx;
    return cmp_rows_by_cols((void *)g->cc, g->rep[a], g->rep[b]);
}

#define NO_GROUP ((size_t)-1)

/*
 * Puts rows[0..n) in group order, as a stable sort by the columns would:
 * the rows of each group (equal in every column) together, the groups in
 * increasing order, each group's rows in their order. Rows are hashed into
 * groups in one pass and only the groups are sorted, so a million rows in
 * a few hundred groups cost a million hash probes, not n log n comparisons.
 * Returns 0, or -1 when out of memory.
 */
static int group_order(const col_ctx *cc, size_t *rows, size_t n)
{
    size_t cap = 64, ng = 0, gcap = 64, i, k, *slot = NULL, *rep = NULL, *gid = NULL;
    size_t *order = NULL, *rank = NULL, *start = NULL, *tmp = NULL;
    uint64_t *ghash = NULL;
    group_ctx gc;
    int rc = -1;
    if (n < 2)
        return 0;
    slot = malloc(cap * sizeof *slot);
    rep = malloc(gcap * sizeof *rep);
    ghash = malloc(gcap * sizeof *ghash);
    gid = malloc(n * sizeof *gid);
    if (!slot || !rep || !ghash || !gid)
        goto done;
    memset(slot, 0xFF, cap * sizeof *slot);
    for (i = 0; i < n; i++) {
        uint64_t h = row_hash(cc, rows[i]);
        size_t j = (size_t)h & (cap - 1), g;
        while ((g = slot[j]) != NO_GROUP &&
               (ghash[g] != h || cmp_rows_by_cols((void *)cc, rep[g], rows[i]) != 0))
            j = (j + 1) & (cap - 1);
        if (g == NO_GROUP) {
            g = ng++;
            if (ng > gcap) {
                size_t *nr;
                uint64_t *nh;
                gcap *= 2;
                if (!(nr = realloc(rep, gcap * sizeof *rep)))
                    goto done;
                rep = nr;
                if (!(nh = realloc(ghash, gcap * sizeof *ghash)))
                    goto done;
                ghash = nh;
            }
            rep[g] = rows[i];
            ghash[g] = h;
            slot[j] = g;
            if (2 * ng > cap) {
                /* grow the table and put every group back */
                size_t ncap = cap * 2, *ns = malloc(ncap * sizeof *ns);
                if (!ns)
                    goto done;
                memset(ns, 0xFF, ncap * sizeof *ns);
                for (k = 0; k < ng; k++) {
                    size_t m = (size_t)ghash[k] & (ncap - 1);
                    while (ns[m] != NO_GROUP)
                        m = (m + 1) & (ncap - 1);
                    ns[m] = k;
                }
                free(slot);
                slot = ns;
                cap = ncap;
            }
        }
        gid[i] = g;
    }
    /* the groups in order, then the rows by their group's rank, stably */
    order = malloc(ng * sizeof *order);
    rank = malloc(ng * sizeof *rank);
    start = calloc(ng + 1, sizeof *start);
    tmp = malloc(n * sizeof *tmp);
    if (!order || !rank || !start || !tmp)
        goto done;
    for (k = 0; k < ng; k++)
        order[k] = k;
    gc.cc = cc;
    gc.rep = rep;
    if (hgq_sort_index(order, ng, cmp_groups, &gc))
        goto done;
    for (k = 0; k < ng; k++)
        rank[order[k]] = k;
    for (i = 0; i < n; i++)
        start[rank[gid[i]] + 1]++;
    for (k = 0; k < ng; k++)
        start[k + 1] += start[k];
    for (i = 0; i < n; i++)
        tmp[start[rank[gid[i]]]++] = rows[i];
    memcpy(rows, tmp, n * sizeof *rows);
    rc = 0;
done:
    free(slot);
    free(rep);
    free(ghash);
    free(gid);
    free(order);
    free(rank);
    free(start);
    free(tmp);
    return rc;
}

/* The rank of every level of an encoded column in hgq_value_compare order,
 * levels that compare equal sharing a rank; rank 0 is missing (first).
 * Returns the number of ranks, or 0 when the column cannot be ranked so
 * (not encoded, or values that compare inconsistently: NaN, integers beyond
 * 2^53 that compare equal as numbers but not as integers). */
typedef struct lv_ctx {
    const hgq_value *levels;
} lv_ctx;

static int cmp_levels(void *ctx, size_t a, size_t b)
{
    const lv_ctx *c = ctx;
    return hgq_value_compare(&c->levels[a], &c->levels[b]);
}

static size_t level_ranks(const hgq_levels *lv, uint32_t *rank)
{
    size_t i, nr = 1, *ord;
    lv_ctx c;
    for (i = 0; i < lv->n; i++) {
        const hgq_value *v = &lv->levels[i];
        if (((v->type == HGQ_NUM || v->type == HGQ_DATE) && isnan(v->u.d)) ||
            (v->type == HGQ_INT && (v->u.i > (INT64_C(1) << 53) || v->u.i < -(INT64_C(1) << 53))))
            return 0;
    }
    if (!(ord = malloc((lv->n ? lv->n : 1) * sizeof *ord)))
        return 0;
    for (i = 0; i < lv->n; i++)
        ord[i] = i;
    c.levels = lv->levels;
    if (hgq_sort_index(ord, lv->n, cmp_levels, &c)) {
        free(ord);
        return 0;
    }
    rank[0] = 0;
    for (i = 0; i < lv->n; i++) {
        if (i && hgq_value_compare(&lv->levels[ord[i - 1]], &lv->levels[ord[i]]) != 0)
            nr++;
        rank[ord[i] + 1] = (uint32_t)nr;
    }
    free(ord);
    return lv->n ? nr + 1 : 1;
}

/*
 * group_order by the columns' codes: each row's group is a number made of
 * the ranks of its values, so groups come out in order without hashing or
 * comparing values. When `reorder` is 0 the rows stay as they are and
 * first[] gets a row of each group (its first). Fills *starts (ng + 1
 * offsets; with reorder 0 only the sizes matter) and *ng. Returns 1 when
 * done, 0 when the columns are not fit for it (the caller falls back), -1
 * when out of memory.
 */
static int group_by_codes(const col_ctx *cc, size_t *rows, size_t n, int reorder,
                          size_t **starts_out, size_t **first_out, size_t *ng_out)
{
    uint32_t *ranks[8];
    const uint16_t *codes[8];
    size_t nr[8], space = 1, i, k, ng = 0;
    uint32_t *cnt = NULL, *key = NULL;
    size_t *starts = NULL, *first = NULL, *tmp = NULL, *pos = NULL;
    int rc = 0;
    if (cc->ncols > 8)
        return 0;
    memset(ranks, 0, sizeof ranks);
    for (k = 0; k < cc->ncols; k++) {
        hgq_levels lv;
        if (!hgq_table_levels(cc->t, (size_t)cc->cols[k], &lv))
            goto done;
        if (!(ranks[k] = malloc((lv.n + 1) * sizeof *ranks[k]))) {
            rc = -1;
            goto done;
        }
        if (!(nr[k] = level_ranks(&lv, ranks[k])))
            goto done;
        codes[k] = lv.codes;
        if (space > (size_t)1 << 22 || nr[k] > (size_t)1 << 22)
            goto done;
        space *= nr[k];
    }
    if (space > ((size_t)1 << 20) && space > 4 * n)
        goto done;
    rc = -1;
    if (!(cnt = calloc(space, sizeof *cnt)) || !(key = malloc((n ? n : 1) * sizeof *key)))
        goto done;
    for (i = 0; i < n; i++) {
        size_t r = rows[i], kk = 0;
        for (k = 0; k < cc->ncols; k++)
            kk = kk * nr[k] + ranks[k][codes[k][r]];
        key[i] = (uint32_t)kk;
        if (cnt[kk]++ == 0)
            ng++;
    }
    /* keys in increasing order are the groups in order */
    if (!(starts = malloc((ng + 1) * sizeof *starts)) || !(first = malloc((ng ? ng : 1) * sizeof *first)) ||
        !(pos = malloc(space * sizeof *pos)))
        goto done;
    starts[0] = 0;
    for (i = 0, k = 0; i < space; i++) {
        if (!cnt[i])
            continue;
        pos[i] = k;
        starts[k + 1] = starts[k] + cnt[i];
        first[k] = SIZE_MAX;
        k++;
    }
    if (reorder) {
        size_t *fill = NULL;
        if (!(tmp = malloc((n ? n : 1) * sizeof *tmp)) || !(fill = malloc((ng ? ng : 1) * sizeof *fill)))
            goto done_fill;
        memcpy(fill, starts, ng * sizeof *fill);
        for (i = 0; i < n; i++)
            tmp[fill[pos[key[i]]]++] = rows[i];
        memcpy(rows, tmp, n * sizeof *rows);
        for (k = 0; k < ng; k++)
            first[k] = rows[starts[k]];
        rc = 1;
done_fill:
        free(fill);
        if (rc != 1)
            goto done;
    } else {
        for (i = 0; i < n; i++) {
            size_t g = pos[key[i]];
            if (first[g] == SIZE_MAX)
                first[g] = rows[i];
        }
        rc = 1;
    }
    *starts_out = starts;
    *first_out = first;
    *ng_out = ng;
    starts = first = NULL;
done:
    for (k = 0; k < cc->ncols; k++)
        free(ranks[k]);
    free(cnt);
    free(key);
    free(starts);
    free(first);
    free(tmp);
    free(pos);
    return rc;
}

hgq_status hgq_stats_group(const hgq_table *t, const hgq_group_spec *spec,
                           hgq_table **out, hgq_error *err)
{
    group_state g;
    size_t *rows = NULL, n = 0, i, k, ngroups = 0, total_row = 0, ngroups_found = 0;
    size_t *starts = NULL, *first = NULL, nm;
    int counts_only = 1, fast;
    col_ctx cc;
    hgq_buf name;
    hgq_status st;

    *out = NULL;
    if (!t || !spec)
        return hgq_error_set(err, HGQ_EARG, "group-by needs a table and a spec");
    memset(&g, 0, sizeof g);
    g.t = t;
    g.spec = spec;
    hgq_buf_init(&name);
    if ((st = group_resolve(&g, err)))
        goto done;
    if ((st = select_rows(t, spec->filter, &rows, &n, err)))
        goto done;
    nm = spec->nmeasures ? spec->nmeasures : 1;
    cc.t = t;
    cc.cols = g.bycols;
    cc.ncols = spec->nby;
    g.scratch = malloc((n ? n : 1) * sizeof *g.scratch);
    if (spec->share) {
        g.first = calloc(n + 2, sizeof *g.first);
        g.first_def = calloc(n + 2, 1);
    }
    if (!g.scratch || (spec->share && (!g.first || !g.first_def))) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto done;
    }
    /* the groups: by their codes when the columns are encoded (rows are
     * then reordered only when a measure looks at them), else by hashing */
    for (i = 0; i < nm; i++)
        if ((spec->nmeasures ? spec->measures[i].agg : HGQ_AGG_COUNT) != HGQ_AGG_COUNT)
            counts_only = 0;
    fast = group_by_codes(&cc, rows, n, !counts_only, &starts, &first, &ngroups_found);
    if (fast < 0 || (!fast && group_order(&cc, rows, n))) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto done;
    }
    if (!fast) {
        /* the runs of equal rows */
        size_t cap = 16, e;
        ngroups_found = 0;
        if (!(starts = malloc((cap + 1) * sizeof *starts))) {
            st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            goto done;
        }
        starts[0] = 0;
        for (i = 0; i < n; i = e) {
            for (e = i + 1; e < n && cmp_rows_by_cols(&cc, rows[i], rows[e]) == 0; e++)
                ;
            if (ngroups_found == cap) {
                size_t *ns = realloc(starts, (2 * cap + 1) * sizeof *ns);
                if (!ns) {
                    st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
                    goto done;
                }
                starts = ns;
                cap *= 2;
            }
            starts[++ngroups_found] = e;
        }
    }
    if (hgq_buf_printf(&name, "%s_by", hgq_table_name(t))) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < spec->nby; i++)
        if (hgq_buf_printf(&name, "_%s", spec->by[i])) {
            st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            goto done;
        }
    if (!(g.out = hgq_table_new(name.data))) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = group_columns(&g, err)))
        goto done;

    /* one empty group when there is no grouping column and no row */
    if (n == 0 && spec->nby == 0)
        ngroups_found = 1;
    for (k = 0; k < ngroups_found; k++) {
        size_t row, c, size = n ? starts[k + 1] - starts[k] : 0;
        size_t rep = !size ? 0 : first ? first[k] : rows[starts[k]];
        if ((st = hgq_table_append_row(g.out, &row, err)))
            goto done;
        for (c = 0; c < spec->nby && size; c++) {
            if ((st = hgq_table_set(g.out, row, c, hgq_table_get(t, rep, (size_t)g.bycols[c]), err)))
                goto done;
        }
        /* measures reorder a group's rows only within the group; counts
         * look at none (the rows are then not in group order) */
        if ((st = measure_group(&g, n ? rows + starts[k] : rows, size, row, ngroups, err)))
            goto done;
        ngroups++;
    }
    if (spec->total) {
        if ((st = hgq_table_append_row(g.out, &total_row, err)))
            goto done;
        for (i = 0; i < spec->nby; i++)
            if ((st = set_text(g.out, total_row, i, HGQ_TOTAL_LABEL, err)))
                goto done;
        if ((st = measure_group(&g, rows, n, total_row, ngroups, err)))
            goto done;
    }
    if (spec->share) {
        size_t nm = spec->nmeasures ? spec->nmeasures : 1, col = spec->nby + nm;
        double sum = 0;
        for (i = 0; i < ngroups; i++)
            if (g.first_def[i])
                sum += g.first[i];
        for (i = 0; i < ngroups + (spec->total ? 1 : 0); i++) {
            hgq_ratio r = hgq_ratio_of(g.first[i], sum, 1.0);
            if ((st = set_num(g.out, i, col, r.defined && g.first_def[i], r.value, 0, err)))
                goto done;
        }
    }
    *out = g.out;
    g.out = NULL;
done:
    hgq_table_free(g.out);
    hgq_buf_free(&name);
    free(g.bycols);
    free(g.mcols);
    free(g.scratch);
    free(g.first);
    free(g.first_def);
    free(rows);
    free(starts);
    free(first);
    return st;
}

/* }==================================================================== */

/* {====================================================================
 * Labels, births, ages, categories
 * ===================================================================== */

int hgq_stats_label(const hgq_value *v, char *buf, size_t size)
{
    if (size == 0)
        return v->type != HGQ_NULL;
    buf[0] = '\0';
    switch (v->type) {
    case HGQ_TEXT: snprintf(buf, size, "%s", v->u.s); return 1;
    case HGQ_INT: snprintf(buf, size, "%lld", (long long)v->u.i); return 1;
    case HGQ_NUM: snprintf(buf, size, "%.6g", v->u.d); return 1;
    case HGQ_BOOL: snprintf(buf, size, "%s", v->u.b ? "是" : "否"); return 1;
    case HGQ_DATE: {
        char iso[32];
        hgq_date_format_iso(v->u.d, iso, sizeof iso);
        iso[10] = '\0';
        snprintf(buf, size, "%s", iso);
        return 1;
    }
    default: return 0;
    }
}

hgq_birth_source hgq_birth_of(const hgq_value *v, const hgq_value *id, double *birth)
{
    double d;
    hgq_date_precision prec;
    switch (v->type) {
    case HGQ_DATE:
    case HGQ_NUM:
        *birth = v->u.d;
        return HGQ_BIRTH_FIELD;
    case HGQ_TEXT:
        if (hgq_norm_date(v->u.s, strlen(v->u.s), &d, &prec) && prec == HGQ_DATE_DAY) {
            *birth = d;
            return HGQ_BIRTH_FIELD;
        }
        break;
    default:
        break;
    }
    if (id->type == HGQ_TEXT) {
        hgq_idcard card;
        if (hgq_norm_idcard(id->u.s, strlen(id->u.s), &card) && card.problems == 0) {
            *birth = card.birth;
            return HGQ_BIRTH_IDCARD;
        }
    }
    return HGQ_BIRTH_NONE;
}

hgq_birth_source hgq_stats_birth(const hgq_table *t, size_t row,
                                 const char *birth_field, const char *id_field,
                                 double *birth)
{
    return hgq_birth_of(hgq_table_get_by_name(t, row, birth_field ? birth_field : "birth_date"),
                        hgq_table_get_by_name(t, row, id_field ? id_field : "id_number"), birth);
}

hgq_status hgq_stats_age_bands(const hgq_table *t, const char *birth_field,
                               const char *id_field, double at,
                               const char **keys, size_t nkeys, size_t *missing,
                               hgq_error *err)
{
    size_t r, nrows = hgq_table_nrows(t), miss = 0;
    long bcol = hgq_table_find_column(t, birth_field ? birth_field : "birth_date");
    long icol = hgq_table_find_column(t, id_field ? id_field : "id_number");
    const hgq_value none = {HGQ_NULL, {0}};
    const char **lut = NULL;   /* per birth-date level: its band, or `later` */
    const char *later = "";    /* marks a level whose records need their ID number */
    hgq_levels lv;
    int coded;
    if (nkeys < nrows)
        return hgq_error_set(err, HGQ_EARG, "%zu keys for %zu rows of table '%s'", nkeys,
                             nrows, hgq_table_name(t));
    coded = bcol >= 0 && hgq_table_levels(t, (size_t)bcol, &lv);
    if (coded) {
        size_t i;
        if (!(lut = malloc((lv.n + 1) * sizeof *lut)))
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        lut[0] = later;
        for (i = 0; i < lv.n; i++) {
            double birth;
            const char *label = NULL;
            if (hgq_birth_of(&lv.levels[i], &none, &birth) == HGQ_BIRTH_NONE)
                label = later;
            else
                hgq_norm_age_band(hgq_age_years(birth, at), &label);
            lut[i + 1] = label;
        }
    }
    for (r = 0; r < nrows; r++) {
        double birth;
        const char *label = coded ? lut[lv.codes[r]] : later;
        if (label == later) {
            label = NULL;
            if (hgq_birth_of(bcol >= 0 ? hgq_table_get(t, r, (size_t)bcol) : &none,
                             icol >= 0 ? hgq_table_get(t, r, (size_t)icol) : &none,
                             &birth) != HGQ_BIRTH_NONE)
                hgq_norm_age_band(hgq_age_years(birth, at), &label);
        }
        keys[r] = label;
        if (!label)
            miss++;
    }
    free(lut);
    if (missing)
        *missing = miss;
    return HGQ_OK;
}

static const char *const cat_age_band[] = {"30岁以下", "31-40岁", "41-50岁", "51-60岁", "60岁以上"};
static const char *const cat_title[] = {"正高级", "副高级", "中级", "初级", "未定职级"};
static const char *const cat_education[] = {"研究生", "本科", "专科", "高中及以下"};
static const char *const cat_post[] = {"专任教师", "行政人员", "教辅人员", "工勤人员"};
static const char *const cat_destination[] = {"就业", "升学", "创业", "参军", "待业", "其他"};
static const char *const cat_status[] = {"在校", "毕业", "休学", "退学"};
static const char *const cat_gender[] = {"男", "女"};
static const char *const cat_award_level[] = {"国家级", "省级", "市级", "校级"};
static const char *const cat_cert_level[] = {"五级", "四级", "三级", "二级", "一级"};
static const char *const cat_hardship[] = {"建档立卡", "非涉农困难家庭"};

const char *const *hgq_stats_categories(const char *name, size_t *count)
{
    static const struct { const char *name; const char *const *list; size_t n; } cats[] = {
#define CAT(n, a) {n, a, sizeof a / sizeof a[0]}
        CAT("age_band", cat_age_band), CAT("title", cat_title),
        CAT("education", cat_education), CAT("post", cat_post),
        CAT("destination", cat_destination), CAT("status", cat_status),
        CAT("gender", cat_gender), CAT("award_level", cat_award_level),
        CAT("cert_level", cat_cert_level), CAT("hardship", cat_hardship),
#undef CAT
    };
    size_t i;
    for (i = 0; name && i < sizeof cats / sizeof cats[0]; i++) {
        if (strcmp(cats[i].name, name) == 0) {
            if (count)
                *count = cats[i].n;
            return cats[i].list;
        }
    }
    if (count)
        *count = 0;
    return NULL;
}

/* }==================================================================== */

/* {====================================================================
 * Cross-tabulation
 * ===================================================================== */

/* Per-dimension working state: categories and each record's index. */
typedef struct dim_state {
    const hgq_dim *dim;
    long col;
    hgq_strmap map;          /* label -> category index */
    const char **labels;     /* categories in final order */
    size_t n, cap;
    size_t nlisted;
    int has_missing;
} dim_state;

static int dim_push(dim_state *d, const char *label)
{
    if (d->n == d->cap) {
        size_t ncap = d->cap ? d->cap * 2 : 16;
        const char **nl = realloc(d->labels, ncap * sizeof *nl);
        if (!nl)
            return -1;
        d->labels = nl;
        d->cap = ncap;
    }
    if (hgq_strmap_put(&d->map, label, d->n))
        return -1;
    d->labels[d->n++] = label;
    return 0;
}

static hgq_status dim_init(dim_state *d, const hgq_dim *dim, const hgq_table *t,
                           const char *which, hgq_error *err)
{
    size_t i;
    memset(d, 0, sizeof *d);
    d->dim = dim;
    d->col = -1;
    hgq_strmap_init(&d->map);
    if (dim->keys) {
        if (dim->nkeys != hgq_table_nrows(t))
            return hgq_error_set(err, HGQ_EARG, "%s keys: %zu entries for %zu rows", which,
                                 dim->nkeys, hgq_table_nrows(t));
    } else {
        if (!dim->field)
            return hgq_error_set(err, HGQ_EARG, "%s dimension needs a field or keys", which);
        d->col = hgq_table_find_column(t, dim->field);
        if (d->col < 0)
            return hgq_error_set(err, HGQ_ENOTFOUND, "no field '%s' in table '%s'",
                                 dim->field, hgq_table_name(t));
    }
    if (dim->unlisted < HGQ_UNLISTED_APPEND || dim->unlisted > HGQ_UNLISTED_ERROR)
        return hgq_error_set(err, HGQ_EARG, "%s dimension: bad unlisted policy", which);
    for (i = 0; i < dim->norder; i++) {
        if (!dim->order[i])
            return hgq_error_set(err, HGQ_EARG, "%s order: entry %zu is NULL", which, i + 1);
        if (strcmp(dim->order[i], HGQ_TOTAL_LABEL) == 0)
            return hgq_error_set(err, HGQ_EARG, "%s order: '%s' is the margin label", which,
                                 HGQ_TOTAL_LABEL);
        if (hgq_strmap_get(&d->map, dim->order[i], NULL))
            continue;
        if (dim_push(d, dim->order[i]))
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    }
    d->nlisted = d->n;
    return HGQ_OK;
}

static void dim_free(dim_state *d)
{
    hgq_strmap_free(&d->map);
    free(d->labels);
}

/* The label of record r, in buf or borrowed; NULL when missing. */
static const char *record_label(const dim_state *d, const hgq_table *t, size_t r,
                                char *buf, size_t size)
{
    if (d->dim->keys)
        return d->dim->keys[r];
    if (!hgq_stats_label(hgq_table_get(t, r, (size_t)d->col), buf, size))
        return NULL;
    return buf;
}

typedef struct xt_state {
    const hgq_table *t;
    const hgq_crosstab_spec *spec;
    dim_state rd, cd;
    hgq_arena arena;         /* unlisted labels */
    size_t *rows;            /* selected records */
    size_t n;
    size_t *ri, *ci;         /* category of each selected record; SIZE_MAX: dropped */
} xt_state;

static hgq_status unlisted_error(const xt_state *x, size_t r, const char *which,
                                 const char *label, hgq_error *err)
{
    hgq_origin o;
    hgq_status st = hgq_error_set(err, HGQ_EDATA, "%s category '%s' of row %zu of table '%s' is not listed",
                                  which, label, r + 1, hgq_table_name(x->t));
    if (hgq_table_origin(x->t, r, HGQ_WHOLE_ROW, &o) || hgq_table_origin(x->t, r, 0, &o)) {
        hgq_error_set_file(err, o.file);
        hgq_error_set_sheet(err, o.sheet);
        if (o.col != HGQ_WHOLE_ROW)
            hgq_error_set_cell(err, o.row, o.col);
        else
            hgq_error_set_cell(err, o.row, 0);
    }
    return st;
}

/* Adds unlisted labels (sorted) and the missing label as the policy says;
 * shared by both ways of classifying. */
static hgq_status add_unlisted(dim_state *d, const char **extra, size_t nextra, hgq_error *err)
{
    size_t a, b;
    /* insertion sort keeps this dependency-free; unlisted lists are short */
    for (a = 1; a < nextra; a++) {
        const char *k = extra[a];
        for (b = a; b > 0 && hgq_label_cmp(extra[b - 1], k) > 0; b--)
            extra[b] = extra[b - 1];
        extra[b] = k;
    }
    for (a = 0; a < nextra; a++)
        if (dim_push(d, extra[a]))
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    if (d->has_missing && d->dim->unlisted == HGQ_UNLISTED_APPEND &&
        !hgq_strmap_get(&d->map, HGQ_MISSING_LABEL, NULL) && dim_push(d, HGQ_MISSING_LABEL))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    return HGQ_OK;
}

/* Pointer -> slot map for the keys of a dimension. */
typedef struct ptrmap {
    const char **keys;
    uint32_t *vals;
    size_t cap, count;
} ptrmap;

static size_t ptr_hash(const char *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= UINT64_C(0xFF51AFD7ED558CCD);
    return (size_t)(x ^ (x >> 33));
}

/* Slot of key p, added as slot `next` if new; -1 when out of memory. */
static long ptrmap_slot(ptrmap *m, const char *p, size_t next)
{
    size_t i;
    if ((m->count + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 64, j;
        const char **nk = malloc(ncap * sizeof *nk);
        uint32_t *nv = malloc(ncap * sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            return -1;
        }
        for (j = 0; j < ncap; j++)
            nv[j] = UINT32_MAX;
        for (j = 0; j < m->cap; j++) {
            if (m->vals[j] == UINT32_MAX)
                continue;
            for (i = ptr_hash(m->keys[j]) & (ncap - 1); nv[i] != UINT32_MAX; i = (i + 1) & (ncap - 1))
                ;
            nk[i] = m->keys[j];
            nv[i] = m->vals[j];
        }
        free(m->keys);
        free(m->vals);
        m->keys = nk;
        m->vals = nv;
        m->cap = ncap;
    }
    for (i = ptr_hash(p) & (m->cap - 1); m->vals[i] != UINT32_MAX; i = (i + 1) & (m->cap - 1))
        if (m->keys[i] == p)
            return (long)m->vals[i];
    m->keys[i] = p;
    m->vals[i] = (uint32_t)next;
    m->count++;
    return (long)next;
}

/*
 * classify for a dimension whose records have few distinct label sources:
 * the levels of an encoded column, or the distinct pointers of `keys`.
 * Each source (a "slot") is labelled and looked up once. Sets *done to 0,
 * doing nothing, when the dimension is not fit for it.
 */
static hgq_status classify_slots(xt_state *x, dim_state *d, size_t *idx, const char *which,
                                 int *done, hgq_error *err)
{
    hgq_levels lv;
    uint32_t *slot = NULL;
    const char **labels = NULL;   /* per slot; NULL = missing */
    unsigned char *present = NULL;
    size_t *lut = NULL, nslots = 0, i, nextra = 0;
    const char **extra = NULL;
    ptrmap pm;
    hgq_strmap seen;
    hgq_status st = HGQ_OK;
    *done = 0;
    memset(&pm, 0, sizeof pm);
    hgq_strmap_init(&seen);
    if (!d->dim->keys && !hgq_table_levels(x->t, (size_t)d->col, &lv))
        return HGQ_OK;
    *done = 1;
    if (!(slot = malloc((x->n ? x->n : 1) * sizeof *slot)))
        goto oom;
    if (d->dim->keys) {
        /* slots in order of first appearance */
        size_t lcap = 16;
        if (!(labels = malloc(lcap * sizeof *labels)))
            goto oom;
        for (i = 0; i < x->n; i++) {
            const char *k = d->dim->keys[x->rows[i]];
            long sl = ptrmap_slot(&pm, k, nslots);
            if (sl < 0)
                goto oom;
            if ((size_t)sl == nslots) {
                if (nslots == lcap) {
                    const char **nl = realloc(labels, 2 * lcap * sizeof *nl);
                    if (!nl)
                        goto oom;
                    labels = nl;
                    lcap *= 2;
                }
                labels[nslots++] = k;
            }
            slot[i] = (uint32_t)sl;
        }
        if (!(present = malloc(nslots ? nslots : 1)))
            goto oom;
        memset(present, 1, nslots);
    } else {
        nslots = lv.n + 1;
        if (!(labels = calloc(nslots, sizeof *labels)) || !(present = calloc(nslots, 1)))
            goto oom;
        for (i = 0; i < x->n; i++) {
            slot[i] = lv.codes[x->rows[i]];
            present[slot[i]] = 1;
        }
        for (i = 1; i < nslots; i++) {
            char buf[256];
            if (present[i] && hgq_stats_label(&lv.levels[i - 1], buf, sizeof buf) &&
                !(labels[i] = hgq_arena_strdup(&x->arena, buf)))
                goto oom;
        }
    }
    if (!(extra = malloc(nslots * sizeof *extra + 1)) || !(lut = malloc(nslots * sizeof *lut + 1)))
        goto oom;
    /* unlisted labels; under HGQ_UNLISTED_ERROR the first record having one */
    for (i = 0; i < nslots; i++) {
        const char *label = labels[i];
        lut[i] = 0;
        if (!present[i])
            continue;
        if (!label) {
            d->has_missing = 1;
            continue;
        }
        if (hgq_strmap_get(&d->map, label, NULL) || hgq_strmap_get(&seen, label, NULL))
            continue;
        lut[i] = 1;
        if (d->dim->unlisted != HGQ_UNLISTED_APPEND)
            continue;
        if (!(extra[nextra] = hgq_arena_strdup(&x->arena, label)) ||
            hgq_strmap_put(&seen, extra[nextra], nextra))
            goto oom;
        nextra++;
    }
    if (d->dim->unlisted == HGQ_UNLISTED_ERROR) {
        for (i = 0; i < x->n; i++)
            if (lut[slot[i]]) {
                st = unlisted_error(x, x->rows[i], which, labels[slot[i]], err);
                goto done;
            }
        for (i = 0; d->has_missing && i < x->n; i++)
            if (!labels[slot[i]]) {
                st = unlisted_error(x, x->rows[i], which, HGQ_MISSING_LABEL, err);
                goto done;
            }
    }
    if ((st = add_unlisted(d, extra, nextra, err)))
        goto done;
    for (i = 0; i < nslots; i++) {
        size_t k;
        if (present[i])
            lut[i] = hgq_strmap_get(&d->map, labels[i] ? labels[i] : HGQ_MISSING_LABEL, &k) ? k : SIZE_MAX;
    }
    for (i = 0; i < x->n; i++)
        idx[i] = lut[slot[i]];
    goto done;
oom:
    st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
done:
    free(slot);
    free(labels);
    free(present);
    free(lut);
    free(extra);
    free(pm.keys);
    free(pm.vals);
    hgq_strmap_free(&seen);
    return st;
}

/* First pass: find every record's category, adding unlisted ones. */
static hgq_status classify(xt_state *x, dim_state *d, size_t *idx, const char *which,
                           hgq_error *err)
{
    size_t i;
    char buf[256];
    const char **extra = NULL;
    size_t nextra = 0, cap = 0;
    hgq_strmap seen;
    hgq_status st;
    int done;
    if ((st = classify_slots(x, d, idx, which, &done, err)) || done)
        return st;
    hgq_strmap_init(&seen);
    /* collect unlisted labels */
    for (i = 0; i < x->n && !st; i++) {
        const char *label = record_label(d, x->t, x->rows[i], buf, sizeof buf);
        if (!label) {
            d->has_missing = 1;
            continue;
        }
        if (hgq_strmap_get(&d->map, label, NULL) || hgq_strmap_get(&seen, label, NULL))
            continue;
        if (d->dim->unlisted == HGQ_UNLISTED_ERROR) {
            st = unlisted_error(x, x->rows[i], which, label, err);
            break;
        }
        if (d->dim->unlisted == HGQ_UNLISTED_DROP)
            continue;
        if (nextra == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            const char **ne = realloc(extra, ncap * sizeof *ne);
            if (!ne) {
                st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
                break;
            }
            extra = ne;
            cap = ncap;
        }
        if (!(extra[nextra] = hgq_arena_strdup(&x->arena, label)) ||
            hgq_strmap_put(&seen, extra[nextra], nextra)) {
            st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            break;
        }
        nextra++;
    }
    if (!st && d->has_missing && d->dim->unlisted == HGQ_UNLISTED_ERROR) {
        for (i = 0; i < x->n; i++)
            if (!record_label(d, x->t, x->rows[i], buf, sizeof buf)) {
                st = unlisted_error(x, x->rows[i], which, HGQ_MISSING_LABEL, err);
                break;
            }
    }
    if (!st)
        st = add_unlisted(d, extra, nextra, err);
    for (i = 0; i < x->n && !st; i++) {
        const char *label = record_label(d, x->t, x->rows[i], buf, sizeof buf);
        size_t k;
        if (!label)
            label = HGQ_MISSING_LABEL;
        idx[i] = hgq_strmap_get(&d->map, label, &k) ? k : SIZE_MAX;
    }
    free(extra);
    hgq_strmap_free(&seen);
    return st;
}

typedef struct pair {
    size_t cell;
    double v;
} pair;

static int cmp_pair(const void *a, const void *b)
{
    const pair *p = a, *q = b;
    if (p->cell != q->cell)
        return p->cell < q->cell ? -1 : 1;
    return (p->v > q->v) - (p->v < q->v);
}

static hgq_status fill_cells(xt_state *x, hgq_crosstab *ct, hgq_error *err)
{
    size_t R = ct->nrows, C = ct->ncols, W = C + 1, ncell = (R + 1) * (C + 1), i, np = 0;
    size_t *count = calloc(ncell, sizeof *count);
    pair *pairs = NULL;
    long vcol = -1;
    hgq_agg agg = x->spec->agg;
    if (!count)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    if (agg != HGQ_AGG_COUNT) {
        size_t bytes;
        vcol = hgq_table_find_column(x->t, x->spec->field);
        if (!hgq_size_mul(x->n ? x->n : 1, 4 * sizeof *pairs, &bytes) || !(pairs = malloc(bytes))) {
            free(count);
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        }
    }
    for (i = 0; i < x->n; i++) {
        size_t r = x->ri[i], c = x->ci[i], k;
        size_t cells[4];
        double d = 0;
        int numeric;
        if (r == SIZE_MAX || c == SIZE_MAX) {
            ct->dropped++;
            continue;
        }
        ct->records++;
        cells[0] = r * W + c;
        cells[1] = r * W + C;
        cells[2] = R * W + c;
        cells[3] = R * W + C;
        numeric = vcol >= 0 && hgq_value_number(hgq_table_get(x->t, x->rows[i], (size_t)vcol), &d);
        for (k = 0; k < 4; k++) {
            count[cells[k]]++;
            if (numeric) {
                pairs[np].cell = cells[k];
                pairs[np].v = d;
                np++;
            }
        }
    }
    if (agg == HGQ_AGG_COUNT) {
        for (i = 0; i < ncell; i++) {
            ct->values[i] = (double)count[i];
            ct->defined[i] = 1;
        }
    } else {
        size_t s = 0, e;
        if (np)
            qsort(pairs, np, sizeof *pairs, cmp_pair);
        for (i = 0; i < ncell; i++) {
            /* an empty category of a count or sum is 0; of a mean, undefined */
            ct->values[i] = 0;
            ct->defined[i] = (unsigned char)(agg == HGQ_AGG_SUM && count[i] == 0);
        }
        while (s < np) {
            double acc = 0;
            size_t cell = pairs[s].cell, m;
            for (e = s; e < np && pairs[e].cell == cell; e++)
                acc += pairs[e].v;
            m = e - s;
            switch (agg) {
            case HGQ_AGG_SUM: ct->values[cell] = acc; break;
            case HGQ_AGG_MEAN: ct->values[cell] = acc / (double)m; break;
            case HGQ_AGG_MIN: ct->values[cell] = pairs[s].v; break;
            case HGQ_AGG_MAX: ct->values[cell] = pairs[e - 1].v; break;
            case HGQ_AGG_MEDIAN:
                ct->values[cell] = m % 2 ? pairs[s + m / 2].v
                                         : (pairs[s + m / 2 - 1].v + pairs[s + m / 2].v) / 2.0;
                break;
            default: break;
            }
            ct->defined[cell] = 1;
            s = e;
        }
    }
    free(count);
    free(pairs);
    return HGQ_OK;
}

/* A cross-tab and its storage: the arena holds the labels. */
typedef struct crosstab_impl {
    hgq_crosstab pub;
    hgq_arena arena;
} crosstab_impl;

void hgq_crosstab_free(hgq_crosstab *ct)
{
    crosstab_impl *impl = (crosstab_impl *)ct;
    if (!ct)
        return;
    free(ct->row_labels);
    free(ct->col_labels);
    free(ct->values);
    free(ct->defined);
    hgq_arena_free(&impl->arena);
    free(impl);
}

hgq_status hgq_crosstab_compute(const hgq_table *t, const hgq_crosstab_spec *spec,
                                hgq_crosstab **out, hgq_error *err)
{
    xt_state x;
    crosstab_impl *impl = NULL;
    hgq_crosstab *ct;
    hgq_status st;
    size_t i, ncell;

    *out = NULL;
    if (!t || !spec)
        return hgq_error_set(err, HGQ_EARG, "cross-tab needs a table and a spec");
    if (spec->agg < HGQ_AGG_COUNT || spec->agg > HGQ_AGG_MAX || spec->agg == HGQ_AGG_COUNT_DISTINCT)
        return hgq_error_set(err, HGQ_EARG, "cross-tab aggregate must be count, sum, mean, median, min or max");
    if (spec->agg != HGQ_AGG_COUNT) {
        if (!spec->field)
            return hgq_error_set(err, HGQ_EARG, "cross-tab %s needs a field", hgq_agg_name(spec->agg));
        if (hgq_table_find_column(t, spec->field) < 0)
            return hgq_error_set(err, HGQ_ENOTFOUND, "no field '%s' in table '%s'", spec->field,
                                 hgq_table_name(t));
    }
    memset(&x, 0, sizeof x);
    x.t = t;
    x.spec = spec;
    hgq_arena_init(&x.arena);
    if ((st = dim_init(&x.rd, &spec->rows, t, "row", err)) ||
        (st = dim_init(&x.cd, &spec->cols, t, "column", err)))
        goto done;
    {
        const char *rn = spec->rows.name ? spec->rows.name : spec->rows.field ? spec->rows.field : "row";
        const char *cn = spec->cols.name ? spec->cols.name : spec->cols.field ? spec->cols.field : "col";
        if (strcmp(rn, cn) == 0 || strcmp(rn, "value") == 0 || strcmp(cn, "value") == 0) {
            st = hgq_error_set(err, HGQ_EARG, "cross-tab dimension names must differ from each other and from 'value' ('%s', '%s')", rn, cn);
            goto done;
        }
    }
    if ((st = select_rows(t, spec->filter, &x.rows, &x.n, err)))
        goto done;
    x.ri = malloc((x.n ? x.n : 1) * sizeof *x.ri);
    x.ci = malloc((x.n ? x.n : 1) * sizeof *x.ci);
    if (!x.ri || !x.ci) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = classify(&x, &x.rd, x.ri, "row", err)) ||
        (st = classify(&x, &x.cd, x.ci, "column", err)))
        goto done;

    impl = calloc(1, sizeof *impl);
    if (!impl) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto done;
    }
    hgq_arena_init(&impl->arena);
    ct = &impl->pub;
    ct->agg = spec->agg;
    ct->nrows = x.rd.n;
    ct->ncols = x.cd.n;
    ncell = (ct->nrows + 1) * (ct->ncols + 1);
    ct->row_labels = calloc(ct->nrows + 1, sizeof *ct->row_labels);
    ct->col_labels = calloc(ct->ncols + 1, sizeof *ct->col_labels);
    ct->values = calloc(ncell, sizeof *ct->values);
    ct->defined = calloc(ncell, 1);
    ct->row_name = hgq_arena_strdup(&impl->arena, spec->rows.name ? spec->rows.name
                                              : spec->rows.field ? spec->rows.field : "row");
    ct->col_name = hgq_arena_strdup(&impl->arena, spec->cols.name ? spec->cols.name
                                              : spec->cols.field ? spec->cols.field : "col");
    if (!ct->row_labels || !ct->col_labels || !ct->values || !ct->defined || !ct->row_name ||
        !ct->col_name) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < ct->nrows; i++)
        if (!(ct->row_labels[i] = hgq_arena_strdup(&impl->arena, x.rd.labels[i])))
            st = HGQ_ENOMEM;
    for (i = 0; i < ct->ncols; i++)
        if (!(ct->col_labels[i] = hgq_arena_strdup(&impl->arena, x.cd.labels[i])))
            st = HGQ_ENOMEM;
    if (st) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto done;
    }
    if ((st = fill_cells(&x, ct, err)))
        goto done;
    *out = ct;
    impl = NULL;
done:
    if (impl)
        hgq_crosstab_free(&impl->pub);
    dim_free(&x.rd);
    dim_free(&x.cd);
    hgq_arena_free(&x.arena);
    free(x.rows);
    free(x.ri);
    free(x.ci);
    return st;
}

int hgq_crosstab_get(const hgq_crosstab *ct, size_t r, size_t c, double *v)
{
    size_t i;
    if (!ct || r > ct->nrows || c > ct->ncols)
        return 0;
    i = r * (ct->ncols + 1) + c;
    if (!ct->defined[i])
        return 0;
    if (v)
        *v = ct->values[i];
    return 1;
}

static const char *ct_label(const char *const *labels, size_t n, size_t i)
{
    return i < n ? labels[i] : HGQ_TOTAL_LABEL;
}

hgq_status hgq_crosstab_to_long(const hgq_crosstab *ct, const char *name,
                                hgq_table **out, hgq_error *err)
{
    hgq_table *t;
    hgq_status st;
    size_t r, c, row;
    char dims[512];
    int integer = ct->agg == HGQ_AGG_COUNT;
    *out = NULL;
    if (!(t = hgq_table_new(name ? name : "crosstab")))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    snprintf(dims, sizeof dims, "%s,%s", ct->row_name, ct->col_name);
    if ((st = add_col(t, ct->row_name, HGQ_TEXT, err)) ||
        (st = add_col(t, ct->col_name, HGQ_TEXT, err)) ||
        (st = add_col(t, "value", integer ? HGQ_INT : HGQ_NUM, err)) ||
        (st = hgq_table_set_meta(t, "kind", "aggregate", err)) ||
        (st = hgq_table_set_meta(t, "dims", dims, err)) ||
        (st = hgq_table_set_meta(t, "measure", hgq_agg_name(ct->agg), err)))
        goto fail;
    for (r = 0; r <= ct->nrows; r++) {
        for (c = 0; c <= ct->ncols; c++) {
            double v = 0;
            int def = hgq_crosstab_get(ct, r, c, &v);
            if ((st = hgq_table_append_row(t, &row, err)) ||
                (st = set_text(t, row, 0, ct_label(ct->row_labels, ct->nrows, r), err)) ||
                (st = set_text(t, row, 1, ct_label(ct->col_labels, ct->ncols, c), err)) ||
                (st = set_num(t, row, 2, def, v, integer, err)))
                goto fail;
        }
    }
    *out = t;
    return HGQ_OK;
fail:
    hgq_table_free(t);
    return st;
}

hgq_status hgq_crosstab_to_wide(const hgq_crosstab *ct, const char *name,
                                hgq_table **out, hgq_error *err)
{
    hgq_table *t;
    hgq_status st;
    size_t r, c, row;
    int integer = ct->agg == HGQ_AGG_COUNT;
    *out = NULL;
    if (!(t = hgq_table_new(name ? name : "crosstab")))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    if ((st = add_col(t, ct->row_name, HGQ_TEXT, err)))
        goto fail;
    for (c = 0; c <= ct->ncols; c++) {
        const char *label = ct_label(ct->col_labels, ct->ncols, c);
        if (hgq_table_find_column(t, label) >= 0) {
            st = hgq_error_set(err, HGQ_EARG, "column label '%s' repeats a column name", label);
            goto fail;
        }
        if ((st = add_col(t, label, integer ? HGQ_INT : HGQ_NUM, err)))
            goto fail;
    }
    if ((st = hgq_table_set_meta(t, "kind", "wide", err)))
        goto fail;
    for (r = 0; r <= ct->nrows; r++) {
        if ((st = hgq_table_append_row(t, &row, err)) ||
            (st = set_text(t, row, 0, ct_label(ct->row_labels, ct->nrows, r), err)))
            goto fail;
        for (c = 0; c <= ct->ncols; c++) {
            double v = 0;
            int def = hgq_crosstab_get(ct, r, c, &v);
            if ((st = set_num(t, row, c + 1, def, v, integer, err)))
                goto fail;
        }
    }
    *out = t;
    return HGQ_OK;
fail:
    hgq_table_free(t);
    return st;
}

/* }==================================================================== */

/* {====================================================================
 * Aggregate tables and history
 * ===================================================================== */

/* Column indices of the dimensions of an aggregate table. */
typedef struct agg_dims {
    long cols[32];
    size_t n;
    long value;
} agg_dims;

static hgq_status agg_resolve(const hgq_table *agg, agg_dims *d, hgq_error *err)
{
    const char *meta = hgq_table_meta(agg, "dims");
    size_t i, ncols = hgq_table_ncols(agg);
    d->n = 0;
    d->value = hgq_table_find_column(agg, "value");
    if (d->value < 0)
        return hgq_error_set(err, HGQ_ENOTFOUND, "aggregate table '%s' has no 'value' column",
                             hgq_table_name(agg));
    if (meta && *meta) {
        const char *p = meta;
        while (*p) {
            char name[256];
            size_t len = strcspn(p, ",");
            long col;
            while (len && p[len - 1] == ' ')
                len--;
            if (len >= sizeof name)
                len = sizeof name - 1;
            memcpy(name, p, len);
            name[len] = '\0';
            col = hgq_table_find_column(agg, name);
            if (col < 0)
                return hgq_error_set(err, HGQ_ENOTFOUND,
                                     "aggregate table '%s': dimension '%s' is not a column",
                                     hgq_table_name(agg), name);
            if (d->n < sizeof d->cols / sizeof d->cols[0])
                d->cols[d->n++] = col;
            p += strcspn(p, ",");
            if (*p == ',')
                p++;
            while (*p == ' ')
                p++;
        }
    } else {
        for (i = 0; i < ncols && d->n < sizeof d->cols / sizeof d->cols[0]; i++)
            if ((long)i != d->value)
                d->cols[d->n++] = (long)i;
    }
    return HGQ_OK;
}

static int is_total(const hgq_value *v)
{
    return v->type == HGQ_TEXT && strcmp(v->u.s, HGQ_TOTAL_LABEL) == 0;
}

hgq_status hgq_aggregate_value(const hgq_table *agg, const hgq_cond *conds,
                               size_t nconds, double *out, int *found,
                               hgq_error *err)
{
    agg_dims d;
    size_t r, i, j, nrows;
    long named[32];
    double exact = 0, parts = 0;
    int nexact = 0, nparts = 0;
    hgq_status st;
    *out = 0;
    *found = 0;
    if (!agg)
        return hgq_error_set(err, HGQ_EARG, "no aggregate table");
    if ((st = agg_resolve(agg, &d, err)))
        return st;
    if (nconds > sizeof named / sizeof named[0])
        return hgq_error_set(err, HGQ_EARG, "at most %zu conditions on an aggregate table",
                             sizeof named / sizeof named[0]);
    for (i = 0; i < nconds; i++) {
        long col = conds[i].field ? hgq_table_find_column(agg, conds[i].field) : -1;
        int isdim = 0;
        for (j = 0; j < d.n; j++)
            isdim |= d.cols[j] == col;
        if (!isdim)
            return hgq_error_set(err, HGQ_ENOTFOUND, "'%s' is not a dimension of aggregate table '%s'",
                                 conds[i].field ? conds[i].field : "(null)", hgq_table_name(agg));
        named[i] = col;
    }
    nrows = hgq_table_nrows(agg);
    for (r = 0; r < nrows; r++) {
        int all_total = 1, none_total = 1, ok = 1;
        double v;
        for (i = 0; i < nconds && ok; i++) {
            const hgq_value *x = hgq_table_get(agg, r, (size_t)named[i]);
            ok = hgq_value_matches(x, conds[i].op, &conds[i].value, conds[i].alts, conds[i].nalts);
        }
        if (!ok)
            continue;
        for (j = 0; j < d.n; j++) {
            int isnamed = 0;
            const hgq_value *x;
            for (i = 0; i < nconds; i++)
                isnamed |= named[i] == d.cols[j];
            if (isnamed)
                continue;
            x = hgq_table_get(agg, r, (size_t)d.cols[j]);
            if (is_total(x))
                none_total = 0;
            else
                all_total = 0;
            if (x->type == HGQ_NULL)
                none_total = 0;
        }
        if (!hgq_value_number(hgq_table_get(agg, r, (size_t)d.value), &v))
            continue;
        if (all_total) {
            exact += v;
            nexact++;
        } else if (none_total) {
            parts += v;
            nparts++;
        }
    }
    if (nexact) {
        *out = exact;
        *found = 1;
    } else if (nparts) {
        *out = parts;
        *found = 1;
    }
    return HGQ_OK;
}

typedef struct label_ctx {
    const char **labels;
} label_ctx;

static int cmp_labels_idx(void *ctx, size_t a, size_t b)
{
    const label_ctx *c = ctx;
    return hgq_label_cmp(c->labels[a], c->labels[b]);
}

hgq_status hgq_stats_history(const hgq_table *agg, const char *time_dim,
                             const hgq_cond *conds, size_t nconds,
                             hgq_table **out, hgq_error *err)
{
    agg_dims d;
    long tcol;
    size_t r, i, nrows, np = 0, *order = NULL;
    const char **periods = NULL;
    hgq_cond *all = NULL;
    hgq_strmap seen;
    hgq_arena arena;
    hgq_table *t = NULL;
    hgq_status st;
    double prev = 0, cum = 0;
    int have_prev = 0;
    label_ctx lc;

    *out = NULL;
    if (!agg || !time_dim)
        return hgq_error_set(err, HGQ_EARG, "history needs an aggregate table and a time dimension");
    if ((st = agg_resolve(agg, &d, err)))
        return st;
    tcol = hgq_table_find_column(agg, time_dim);
    if (tcol < 0)
        return hgq_error_set(err, HGQ_ENOTFOUND, "no dimension '%s' in aggregate table '%s'",
                             time_dim, hgq_table_name(agg));
    for (i = 0; i < nconds; i++)
        if (conds[i].field && strcmp(conds[i].field, time_dim) == 0)
            return hgq_error_set(err, HGQ_EARG, "history: condition on the time dimension '%s'", time_dim);
    hgq_strmap_init(&seen);
    hgq_arena_init(&arena);
    nrows = hgq_table_nrows(agg);
    periods = malloc((nrows ? nrows : 1) * sizeof *periods);
    order = malloc((nrows ? nrows : 1) * sizeof *order);
    all = calloc(nconds + 1, sizeof *all);
    if (!periods || !order || !all)
        goto oom;
    for (r = 0; r < nrows; r++) {
        char buf[128];
        const hgq_value *v = hgq_table_get(agg, r, (size_t)tcol);
        char *copy;
        if (!hgq_stats_label(v, buf, sizeof buf) || strcmp(buf, HGQ_TOTAL_LABEL) == 0 ||
            hgq_strmap_get(&seen, buf, NULL))
            continue;
        if (!(copy = hgq_arena_strdup(&arena, buf)) || hgq_strmap_put(&seen, copy, np))
            goto oom;
        periods[np] = copy;
        order[np] = np;
        np++;
    }
    lc.labels = periods;
    if (hgq_sort_index(order, np, cmp_labels_idx, &lc))
        goto oom;
    if (!(t = hgq_table_new("history")))
        goto oom;
    if ((st = add_col(t, "period", HGQ_TEXT, err)) || (st = add_col(t, "value", HGQ_NUM, err)) ||
        (st = add_col(t, "previous", HGQ_NUM, err)) || (st = add_col(t, "change", HGQ_NUM, err)) ||
        (st = add_col(t, "growth", HGQ_NUM, err)) || (st = add_col(t, "cumulative", HGQ_NUM, err)) ||
        (st = hgq_table_set_meta(t, "kind", "history", err)) ||
        (st = hgq_table_set_meta(t, "source", hgq_table_name(agg), err)))
        goto fail;
    if (nconds)
        memcpy(all, conds, nconds * sizeof *all);
    all[nconds].field = time_dim;
    all[nconds].op = HGQ_OP_EQ;
    for (i = 0; i < np; i++) {
        const char *p = periods[order[i]];
        double v;
        int found;
        size_t row;
        all[nconds].value = hgq_text(p);
        if ((st = hgq_aggregate_value(agg, all, nconds + 1, &v, &found, err)))
            goto fail;
        if ((st = hgq_table_append_row(t, &row, err)) || (st = set_text(t, row, 0, p, err)) ||
            (st = set_num(t, row, 1, found, v, 0, err)) ||
            (st = set_num(t, row, 2, have_prev, prev, 0, err)))
            goto fail;
        if (found) {
            hgq_ratio g = hgq_ratio_growth(v, prev);
            cum += v;
            if ((st = set_num(t, row, 3, have_prev, v - prev, 0, err)) ||
                (st = set_num(t, row, 4, have_prev && g.defined, g.value, 0, err)))
                goto fail;
        }
        if ((st = set_num(t, row, 5, 1, cum, 0, err)))
            goto fail;
        have_prev = found;
        prev = v;
    }
    *out = t;
    t = NULL;
    goto done;
oom:
    st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
fail:
done:
    hgq_table_free(t);
    free(periods);
    free(order);
    free(all);
    hgq_strmap_free(&seen);
    hgq_arena_free(&arena);
    return st;
}

/* }==================================================================== */
