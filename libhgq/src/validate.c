/*
 * validate.c - the validation pass and the comparison of a published
 * aggregate table with one computed from records.
 *
 * Record checks go field by field down each column, using the cell's
 * origin for the message ("第7行") and the finding's location. Duplicates
 * and references sort or collect the column's values as text. Aggregate
 * checks work on the long form: a cell with 合计 in some dimensions is
 * compared with the sum of the cells that have parts there and agree
 * elsewhere. Tables are small (a roster of thousands, a cross-tab of
 * hundreds), so the simple quadratic walks of the aggregate checks are kept
 * for clarity.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define MARGIN "合计"

void hgq_validate_options_init(hgq_validate_options *opt)
{
    opt->checks = HGQ_CHECK_ALL;
    opt->tolerance = 1e-6;
}

void hgq_compare_options_init(hgq_compare_options *opt)
{
    opt->dims = NULL;
    opt->tolerance = 1e-6;
    opt->missing_as_zero = 1;
}

/* {====================================================================
 * Helpers
 * ===================================================================== */

typedef struct vctx {
    hgq_dataset *ds;
    const hgq_schemas *reg;
    const hgq_validate_options *opt;
    hgq_status st;
} vctx;

/* The origin of a table cell, or NULL; row label for messages. */
static const hgq_origin *origin_of(const hgq_table *t, size_t row, size_t col, hgq_origin *buf,
                                   char *label, size_t lsize)
{
    const hgq_origin *o = hgq_table_origin(t, row, col, buf) ? buf : NULL;
    if (label)
        hgq_model_row_label(o, row, label, lsize);
    return o;
}

static const char *table_title(const hgq_table *t)
{
    const char *title = hgq_table_meta(t, "title");
    return title && *title ? title : hgq_table_name(t);
}

/* An interned text copy of a value for keys; "" for NULL. */
static char *value_key(hgq_arena *a, const hgq_value *v)
{
    char buf[512];
    hgq_model_value_text(v, buf, sizeof buf);
    return hgq_arena_strdup(a, buf);
}

/* }==================================================================== */

/* {====================================================================
 * Fields
 * ===================================================================== */

static int is_value_of(const hgq_schema *s, size_t f, const char *text)
{
    size_t i;
    const char *v;
    for (i = 0; (v = hgq_schema_field_value(s, f, i)) != NULL; i++)
        if (strcmp(v, text) == 0)
            return 1;
    return 0;
}

static int type_fits(hgq_vtype want, const hgq_value *v)
{
    if (v->type == want)
        return 1;
    if (want == HGQ_NUM && v->type == HGQ_INT)
        return 1;
    if (want == HGQ_INT && v->type == HGQ_NUM && v->u.d == floor(v->u.d))
        return 1;
    return 0;
}

static void check_enum_item(vctx *c, const hgq_table *t, const hgq_schema *s, size_t f,
                            const hgq_field_info *fi, size_t row, size_t col, const char *item)
{
    hgq_origin ob;
    char label[40], vals[200];
    const hgq_origin *o;
    size_t i, n = 0;
    const char *v;
    if (is_value_of(s, f, item))
        return;
    o = origin_of(t, row, col, &ob, label, sizeof label);
    vals[0] = '\0';
    for (i = 0; (v = hgq_schema_field_value(s, f, i)) != NULL; i++) {
        size_t l = strlen(v);
        if (n + l + 8 >= sizeof vals)
            break;
        if (i) {
            memcpy(vals + n, "、", 3);
            n += 3;
        }
        memcpy(vals + n, v, l + 1);
        n += l;
    }
    if (hgq_dataset_add_finding(c->ds, HGQ_SEV_ERROR, "field.enum", hgq_table_name(t), fi->id, o,
                                NULL, "%s%s「%s」不是可用的取值（可用：%s）", label, fi->label, item,
                                vals) != HGQ_OK)
        c->st = HGQ_ENOMEM;
}

static void check_field(vctx *c, const hgq_table *t, const hgq_schema *s, size_t f)
{
    hgq_field_info fi;
    long col;
    size_t n = hgq_table_nrows(t), i, nulls = 0;
    double as_of = hgq_dataset_as_of(c->ds);
    hgq_schema_field_info(s, f, &fi);
    col = hgq_table_find_column(t, fi.id);
    if (col < 0) {
        if ((fi.flags & HGQ_FIELD_REQUIRED) && n > 0 &&
            hgq_dataset_add_finding(c->ds, HGQ_SEV_ERROR, "field.required", hgq_table_name(t), fi.id,
                                    NULL, NULL, "%s表没有必填的%s列", hgq_schema_label(s),
                                    fi.label) != HGQ_OK)
            c->st = HGQ_ENOMEM;
        return;
    }
    for (i = 0; i < n; i++)
        if (hgq_table_get(t, i, (size_t)col)->type == HGQ_NULL)
            nulls++;
    if ((fi.flags & HGQ_FIELD_REQUIRED) && n > 1 && nulls == n) {
        if (hgq_dataset_add_finding(c->ds, HGQ_SEV_ERROR, "field.required", hgq_table_name(t),
                                    fi.id, NULL, NULL, "%s表的%s全部为空（共%zu条记录）",
                                    hgq_schema_label(s), fi.label, n) != HGQ_OK)
            c->st = HGQ_ENOMEM;
        return;
    }
    for (i = 0; i < n && c->st == HGQ_OK; i++) {
        const hgq_value *v = hgq_table_get(t, i, (size_t)col);
        hgq_origin ob;
        const hgq_origin *o;
        char label[40], txt[128];
        double x;
        if (v->type == HGQ_NULL) {
            if (fi.flags & HGQ_FIELD_REQUIRED) {
                o = origin_of(t, i, (size_t)col, &ob, label, sizeof label);
                if (hgq_dataset_add_finding(c->ds, HGQ_SEV_ERROR, "field.required",
                                            hgq_table_name(t), fi.id, o, NULL, "%s缺少%s", label,
                                            fi.label) != HGQ_OK)
                    c->st = HGQ_ENOMEM;
            }
            continue;
        }
        if (!type_fits(fi.vtype, v)) {
            o = origin_of(t, i, (size_t)col, &ob, label, sizeof label);
            hgq_model_value_text(v, txt, sizeof txt);
            if (hgq_dataset_add_finding(c->ds, HGQ_SEV_ERROR, "field.type", hgq_table_name(t),
                                        fi.id, o, NULL, "%s%s「%s」的类型应为%s", label, fi.label,
                                        txt, hgq_ftype_name(fi.type)) != HGQ_OK)
                c->st = HGQ_ENOMEM;
            continue;
        }
        if ((fi.type == HGQ_FT_INT || fi.type == HGQ_FT_NUM || fi.type == HGQ_FT_DATE) &&
            hgq_value_number(v, &x)) {
            int low = (fi.flags & HGQ_FIELD_MIN) && x < fi.min;
            int high = (fi.flags & HGQ_FIELD_MAX) && x > fi.max;
            int future = fi.type == HGQ_FT_DATE && (fi.flags & HGQ_FIELD_PAST) && x >= as_of + 1;
            if (low || high || future) {
                char lim[64];
                hgq_value lv = fi.type == HGQ_FT_DATE ? hgq_date(low ? fi.min : high ? fi.max : as_of)
                                                      : hgq_num(low ? fi.min : fi.max);
                o = origin_of(t, i, (size_t)col, &ob, label, sizeof label);
                hgq_model_value_text(v, txt, sizeof txt);
                hgq_model_value_text(&lv, lim, sizeof lim);
                if (hgq_dataset_add_finding(c->ds, HGQ_SEV_ERROR, "field.range", hgq_table_name(t),
                                            fi.id, o, NULL, "%s%s「%s」%s%s", label, fi.label, txt,
                                            future ? "晚于统计时点" : low ? "小于下限" : "大于上限",
                                            lim) != HGQ_OK)
                    c->st = HGQ_ENOMEM;
            }
        }
        if ((fi.type == HGQ_FT_ENUM || fi.type == HGQ_FT_GENDER) && v->type == HGQ_TEXT) {
            if (fi.flags & HGQ_FIELD_LIST) {
                const char *p = v->u.s;
                while (*p) {
                    const char *sep = strstr(p, "、");
                    size_t l = sep ? (size_t)(sep - p) : strlen(p);
                    char item[256];
                    if (l >= sizeof item)
                        l = sizeof item - 1;
                    memcpy(item, p, l);
                    item[l] = '\0';
                    if (l)
                        check_enum_item(c, t, s, f, &fi, i, (size_t)col, item);
                    p = sep ? sep + 3 : p + strlen(p);
                }
            } else {
                check_enum_item(c, t, s, f, &fi, i, (size_t)col, v->u.s);
            }
        }
    }
}

/* }==================================================================== */

/* {====================================================================
 * ID numbers
 * ===================================================================== */

static long field_of_type(const hgq_schema *s, const hgq_table *t, hgq_ftype type, const char *id)
{
    size_t i;
    for (i = 0; i < hgq_schema_field_count(s); i++) {
        hgq_field_info fi;
        hgq_schema_field_info(s, i, &fi);
        if (fi.type == type && (!id || strcmp(fi.id, id) == 0))
            return hgq_table_find_column(t, fi.id);
    }
    return -1;
}

static void add_id(vctx *c, const hgq_table *t, const hgq_field_info *fi, const hgq_origin *o,
                   const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static void add_id(vctx *c, const hgq_table *t, const hgq_field_info *fi, const hgq_origin *o,
                   const char *code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (hgq_dataset_add_finding(c->ds, HGQ_SEV_ERROR, code, hgq_table_name(t), fi->id, o, NULL,
                                "%s", msg) != HGQ_OK)
        c->st = HGQ_ENOMEM;
}

static void check_ids(vctx *c, const hgq_table *t, const hgq_schema *s, size_t f)
{
    hgq_field_info fi;
    long col, bcol, gcol;
    size_t n = hgq_table_nrows(t), i;
    hgq_schema_field_info(s, f, &fi);
    col = hgq_table_find_column(t, fi.id);
    if (col < 0)
        return;
    bcol = field_of_type(s, t, HGQ_FT_DATE, "birth_date");
    gcol = field_of_type(s, t, HGQ_FT_GENDER, NULL);
    for (i = 0; i < n && c->st == HGQ_OK; i++) {
        const hgq_value *v = hgq_table_get(t, i, (size_t)col);
        hgq_origin ob, ob2;
        const hgq_origin *o;
        hgq_idcard id;
        char label[40], ex[8];
        if (v->type != HGQ_TEXT)
            continue;
        hgq_norm_idcard(v->u.s, strlen(v->u.s), &id);
        o = origin_of(t, i, (size_t)col, &ob, label, sizeof label);
        if (id.problems & HGQ_ID_NUMERIC) {
            add_id(c, t, &fi, o, "id.chars", "%s%s是科学计数法数字，末几位已丢失：%s", label,
                   fi.label, v->u.s);
            continue;
        }
        if (id.problems & HGQ_ID_LENGTH) {
            char nb[32];
            snprintf(nb, sizeof nb, "%zu位", strlen(v->u.s));
            add_id(c, t, &fi, o, "id.length", "%s%s位数不对（%s，应为18位）：%s", label, fi.label,
                   nb, v->u.s);
            continue;
        }
        if (id.problems & HGQ_ID_CHARS) {
            add_id(c, t, &fi, o, "id.chars", "%s%s含有数字和末位X以外的字符：%s", label,
                   fi.label, v->u.s);
            continue;
        }
        if (id.problems & HGQ_ID_BIRTH)
            add_id(c, t, &fi, o, "id.birth", "%s%s中的出生日期无效：%s", label, fi.label,
                   v->u.s);
        if (id.problems & HGQ_ID_CHECKSUM) {
            char ck = hgq_idcard_check_char(id.number);
            snprintf(ex, sizeof ex, "%c", ck ? ck : '?');
            add_id(c, t, &fi, o, "id.checksum", "%s%s校验位错误：%s（校验位应为%s）", label,
                   fi.label, v->u.s, ex);
        }
        if (id.problems & (HGQ_ID_BIRTH | HGQ_ID_LENGTH | HGQ_ID_CHARS))
            continue;
        if (bcol >= 0) {
            const hgq_value *b = hgq_table_get(t, i, (size_t)bcol);
            if (b->type == HGQ_DATE && floor(b->u.d) != floor(id.birth)) {
                char bt[32], it[32];
                hgq_value iv = hgq_date(id.birth);
                const hgq_origin *bo = origin_of(t, i, (size_t)bcol, &ob2, NULL, 0);
                hgq_model_value_text(b, bt, sizeof bt);
                hgq_model_value_text(&iv, it, sizeof it);
                if (hgq_dataset_add_finding(c->ds, HGQ_SEV_ERROR, "id.birth_mismatch",
                                            hgq_table_name(t), "birth_date", bo ? bo : o, o,
                                            "%s出生日期%s与身份证号码中的%s不一致（%s）", label, bt,
                                            it, v->u.s) != HGQ_OK)
                    c->st = HGQ_ENOMEM;
            }
        }
        if (gcol >= 0 && id.male >= 0) {
            const hgq_value *g = hgq_table_get(t, i, (size_t)gcol);
            const char *want = id.male ? "男" : "女";
            if (g->type == HGQ_TEXT && (strcmp(g->u.s, "男") == 0 || strcmp(g->u.s, "女") == 0) &&
                strcmp(g->u.s, want) != 0) {
                const hgq_origin *go = origin_of(t, i, (size_t)gcol, &ob2, NULL, 0);
                if (hgq_dataset_add_finding(c->ds, HGQ_SEV_ERROR, "id.gender_mismatch",
                                            hgq_table_name(t), "gender", go ? go : o, o,
                                            "%s性别「%s」与身份证号码不一致（号码显示为%s）：%s", label,
                                            g->u.s, want, v->u.s) != HGQ_OK)
                    c->st = HGQ_ENOMEM;
            }
        }
    }
}

/* }==================================================================== */

/* {====================================================================
 * Uniqueness and references
 * ===================================================================== */

typedef struct keyrow {
    const char *key;
    size_t row;
} keyrow;

static int cmp_keyrow(const void *a, const void *b)
{
    const keyrow *x = a, *y = b;
    int r = strcmp(x->key, y->key);
    if (r)
        return r;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* The non-empty values of column `col` of t as text keys (kept in `a`) with
 * their rows, sorted by key then row. NULL with c->st set when out of memory;
 * otherwise the caller frees the array. */
static keyrow *sorted_keys(vctx *c, const hgq_table *t, size_t col, hgq_arena *a,
                           size_t *count)
{
    size_t n = hgq_table_nrows(t), i, m = 0;
    keyrow *kr = malloc((n ? n : 1) * sizeof *kr);
    *count = 0;
    if (!kr) {
        c->st = HGQ_ENOMEM;
        return NULL;
    }
    for (i = 0; i < n; i++) {
        const hgq_value *v = hgq_table_get(t, i, col);
        char *k;
        if (v->type == HGQ_NULL)
            continue;
        if (!(k = value_key(a, v))) {
            c->st = HGQ_ENOMEM;
            break;
        }
        if (!*k)
            continue;
        kr[m].key = k;
        kr[m].row = i;
        m++;
    }
    qsort(kr, m, sizeof *kr, cmp_keyrow);
    *count = m;
    return kr;
}

static void check_unique(vctx *c, const hgq_table *t, const hgq_schema *s, size_t f)
{
    hgq_field_info fi;
    long col;
    size_t n = hgq_table_nrows(t), i, j, m = 0;
    keyrow *kr;
    hgq_arena a;
    char code[96];
    hgq_schema_field_info(s, f, &fi);
    col = hgq_table_find_column(t, fi.id);
    if (col < 0 || n < 2)
        return;
    hgq_arena_init(&a);
    if (!(kr = sorted_keys(c, t, (size_t)col, &a, &m))) {
        hgq_arena_free(&a);
        return;
    }
    snprintf(code, sizeof code, "unique.%s", fi.id);
    for (i = 1, j = 0; i < m && c->st == HGQ_OK; i++) {
        hgq_origin ob, ob0;
        const hgq_origin *o, *o0;
        char label[40], label0[40];
        if (strcmp(kr[i].key, kr[i - 1].key) != 0) {
            j = i;   /* first of a new value */
            continue;
        }
        o = origin_of(t, kr[i].row, (size_t)col, &ob, label, sizeof label);
        o0 = origin_of(t, kr[j].row, (size_t)col, &ob0, label0, sizeof label0);
        if (hgq_dataset_add_finding(c->ds, HGQ_SEV_ERROR, code, hgq_table_name(t), fi.id, o, o0,
                                    "%s「%s」重复：%s与%s", fi.label, kr[i].key, label,
                                    label0) != HGQ_OK)
            c->st = HGQ_ENOMEM;
    }
    free(kr);
    hgq_arena_free(&a);
}

static int in_sorted(const keyrow *kr, size_t m, const char *key)
{
    size_t lo = 0, hi = m;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(kr[mid].key, key);
        if (r == 0)
            return 1;
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static void ref_missing(vctx *c, const hgq_table *t, const hgq_field_info *fi, size_t row,
                        size_t col, const char *item, const char *target)
{
    hgq_origin ob;
    char label[40], code[96];
    const hgq_origin *o = origin_of(t, row, col, &ob, label, sizeof label);
    snprintf(code, sizeof code, "ref.%s", fi->id);
    if (hgq_dataset_add_finding(c->ds, HGQ_SEV_WARNING, code, hgq_table_name(t), fi->id, o, NULL,
                                "%s%s「%s」不在%s表中", label, fi->label, item, target) != HGQ_OK)
        c->st = HGQ_ENOMEM;
}

static void check_ref(vctx *c, const hgq_table *t, const hgq_schema *s, size_t f)
{
    hgq_field_info fi;
    const hgq_table *target;
    const hgq_schema *ts;
    long col, tcol;
    size_t n, i, m = 0, tn;
    keyrow *kr;
    hgq_arena a;
    hgq_schema_field_info(s, f, &fi);
    if (!fi.ref_entity || (col = hgq_table_find_column(t, fi.id)) < 0)
        return;
    target = hgq_dataset_table(c->ds, fi.ref_entity);
    if (!target || target == t || (tn = hgq_table_nrows(target)) == 0 ||
        (tcol = hgq_table_find_column(target, fi.ref_field)) < 0)
        return;
    ts = hgq_schemas_get(c->reg, fi.ref_entity);
    hgq_arena_init(&a);
    if (!(kr = sorted_keys(c, target, (size_t)tcol, &a, &m))) {
        hgq_arena_free(&a);
        return;
    }
    n = hgq_table_nrows(t);
    for (i = 0; i < n && c->st == HGQ_OK; i++) {
        const hgq_value *v = hgq_table_get(t, i, (size_t)col);
        char buf[512];
        const char *p;
        if (v->type == HGQ_NULL)
            continue;
        hgq_model_value_text(v, buf, sizeof buf);
        if (!(fi.flags & HGQ_FIELD_LIST)) {
            if (*buf && !in_sorted(kr, m, buf))
                ref_missing(c, t, &fi, i, (size_t)col, buf, ts ? hgq_schema_label(ts) : fi.ref_entity);
            continue;
        }
        p = buf;
        while (*p && c->st == HGQ_OK) {
            const char *sep = strstr(p, "、");
            size_t l = sep ? (size_t)(sep - p) : strlen(p);
            char item[512];
            memcpy(item, p, l);
            item[l] = '\0';
            if (l && !in_sorted(kr, m, item))
                ref_missing(c, t, &fi, i, (size_t)col, item, ts ? hgq_schema_label(ts) : fi.ref_entity);
            p = sep ? sep + 3 : p + l;
        }
    }
    free(kr);
    hgq_arena_free(&a);
}

/* }==================================================================== */

/* {====================================================================
 * Aggregates
 * ===================================================================== */

typedef struct agg {
    const hgq_table *t;
    size_t ndims;
    long cols[16];
    long vcol;
    size_t n;
    const char **keys;   /* n * ndims dimension values as text */
    double *vals;        /* n values (NULL as 0) */
    unsigned char *isnull;
    hgq_arena arena;
} agg;

static hgq_status agg_load(agg *g, const hgq_table *t, const char *dims, hgq_error *err)
{
    const char *p;
    size_t i, d;
    memset(g, 0, sizeof *g);
    hgq_arena_init(&g->arena);
    g->t = t;
    if (!dims)
        dims = hgq_table_meta(t, "dims");
    if (!dims || !*dims)
        return hgq_error_set(err, HGQ_ESCHEMA, "table '%s' names no dimensions (metadata 'dims')",
                             hgq_table_name(t));
    p = dims;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t l = comma ? (size_t)(comma - p) : strlen(p);
        char name[128];
        while (l && *p == ' ')
            p++, l--;
        while (l && p[l - 1] == ' ')
            l--;
        if (l >= sizeof name || g->ndims >= sizeof g->cols / sizeof g->cols[0])
            return hgq_error_set(err, HGQ_ESCHEMA, "bad dimension list '%s'", dims);
        memcpy(name, p, l);
        name[l] = '\0';
        if (l) {
            g->cols[g->ndims] = hgq_table_find_column(t, name);
            if (g->cols[g->ndims] < 0)
                return hgq_error_set(err, HGQ_ESCHEMA, "table '%s' has no dimension column '%s'",
                                     hgq_table_name(t), name);
            g->ndims++;
        }
        p = comma ? comma + 1 : p + strlen(p);
    }
    g->vcol = hgq_table_find_column(t, "value");
    if (g->vcol < 0)
        return hgq_error_set(err, HGQ_ESCHEMA, "table '%s' has no 'value' column", hgq_table_name(t));
    g->n = hgq_table_nrows(t);
    if (!g->n)
        return HGQ_OK;
    g->keys = hgq_arena_alloc(&g->arena, g->n * g->ndims * sizeof *g->keys);
    g->vals = hgq_arena_alloc(&g->arena, g->n * sizeof *g->vals);
    g->isnull = hgq_arena_alloc(&g->arena, g->n);
    if (!g->keys || !g->vals || !g->isnull)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    for (i = 0; i < g->n; i++) {
        const hgq_value *v = hgq_table_get(t, i, (size_t)g->vcol);
        for (d = 0; d < g->ndims; d++) {
            g->keys[i * g->ndims + d] = value_key(&g->arena, hgq_table_get(t, i, (size_t)g->cols[d]));
            if (!g->keys[i * g->ndims + d])
                return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        }
        g->isnull[i] = !hgq_value_number(v, &g->vals[i]);
        if (g->isnull[i])
            g->vals[i] = 0;
    }
    return HGQ_OK;
}

static void agg_free(agg *g)
{
    hgq_arena_free(&g->arena);
}

static const char *K(const agg *g, size_t row, size_t d)
{
    return g->keys[row * g->ndims + d];
}

/* "车工、合计、2013" */
static void agg_path(const agg *g, size_t row, char *buf, size_t size)
{
    size_t d, n = 0;
    buf[0] = '\0';
    for (d = 0; d < g->ndims; d++) {
        int w = snprintf(buf + n, size - n, "%s%s", d ? "、" : "", K(g, row, d));
        if (w < 0 || (size_t)w >= size - n)
            break;
        n += (size_t)w;
    }
}

static void num_text(double x, char *buf, size_t size)
{
    hgq_value v = hgq_num(x);
    hgq_model_value_text(&v, buf, size);
}

/* Sums the rows that are parts of `row` over the dims in mask (bits):
 * their value in those dims is not 合计, in the others equal to row's. */
static size_t agg_parts(const agg *g, size_t row, unsigned mask, double *sum, long *first)
{
    size_t q, d, count = 0;
    *sum = 0;
    *first = -1;
    for (q = 0; q < g->n; q++) {
        int ok = 1;
        for (d = 0; d < g->ndims && ok; d++) {
            if (mask & (1u << d))
                ok = strcmp(K(g, q, d), MARGIN) != 0;
            else
                ok = strcmp(K(g, q, d), K(g, row, d)) == 0;
        }
        if (ok) {
            *sum += g->vals[q];
            if (*first < 0)
                *first = (long)q;
            count++;
        }
    }
    return count;
}

static hgq_status agg_margin_finding(hgq_dataset *ds, const agg *g, size_t row, long first,
                                     double sum, size_t parts, const char *code)
{
    hgq_origin ow, oo;
    const hgq_origin *w, *o = NULL;
    char path[256], a[64], b[64], ref[16] = "";
    w = origin_of(g->t, row, (size_t)g->vcol, &ow, NULL, 0);
    if (first >= 0)
        o = origin_of(g->t, (size_t)first, (size_t)g->vcol, &oo, NULL, 0);
    if (w)
        hgq_ref_format(w->row, w->col, ref, sizeof ref);
    agg_path(g, row, path, sizeof path);
    num_text(g->vals[row], a, sizeof a);
    num_text(sum, b, sizeof b);
    return hgq_dataset_add_finding(ds, HGQ_SEV_ERROR, code, hgq_table_name(g->t), "value", w, o,
                                   "「%s」中（%s）%s%s的合计为%s，而%zu个分项之和为%s",
                                   table_title(g->t), path, ref[0] ? "即" : "", ref, a, parts, b);
}

/* 1 if row q is a part of `row` over the dims in mask (see agg_parts). */
static int is_part(const agg *g, size_t q, size_t row, unsigned mask)
{
    size_t d;
    for (d = 0; d < g->ndims; d++) {
        if (mask & (1u << d)) {
            if (strcmp(K(g, q, d), MARGIN) == 0)
                return 0;
        } else if (strcmp(K(g, q, d), K(g, row, d)) != 0) {
            return 0;
        }
    }
    return 1;
}

/* 1 if the parts of `row` over dim d alone cover every value of d that the
 * leaves under `row` (its parts over all of mask) have: then their sum is
 * the whole margin even where other subtotals are missing. */
static int parts_complete(const agg *g, size_t row, unsigned mask, size_t d)
{
    size_t q, p;
    for (q = 0; q < g->n; q++) {
        int found = 0;
        if (!is_part(g, q, row, mask))
            continue;
        for (p = 0; p < g->n && !found; p++)
            if (is_part(g, p, row, 1u << d) && strcmp(K(g, p, d), K(g, q, d)) == 0)
                found = 1;
        if (!found)
            return 0;
    }
    return 1;
}

/*
 * A margin cell (合计 in the dims of mask M) is checked along one dim d of
 * M at a time, against the cells that break it down along d (a 总计 row
 * against its year columns, say) when those cover every value of d found
 * under it; when no dim qualifies, against the sum of its leaves (no 合计
 * in any dim of M). A mistyped cell thus shows at the margins that sum it
 * directly, not again at every total above them.
 */
static hgq_status agg_check_margins(hgq_dataset *ds, const agg *g, double tol, size_t *added)
{
    size_t r, d;
    hgq_status st = HGQ_OK;
    for (r = 0; r < g->n && st == HGQ_OK; r++) {
        unsigned m = 0;
        int checked = 0;
        double sum;
        long first;
        size_t parts;
        for (d = 0; d < g->ndims; d++)
            if (strcmp(K(g, r, d), MARGIN) == 0)
                m |= 1u << d;
        if (!m)
            continue;
        for (d = 0; d < g->ndims && st == HGQ_OK; d++) {
            if (!(m & (1u << d)))
                continue;
            parts = agg_parts(g, r, 1u << d, &sum, &first);
            if (!parts || !parts_complete(g, r, m, d))
                continue;
            checked = 1;
            if (fabs(sum - g->vals[r]) > tol) {
                st = agg_margin_finding(ds, g, r, first, sum, parts, "agg.margin");
                (*added)++;
            }
        }
        if (!checked && st == HGQ_OK) {
            parts = agg_parts(g, r, m, &sum, &first);
            if (parts && fabs(sum - g->vals[r]) > tol) {
                st = agg_margin_finding(ds, g, r, first, sum, parts, "agg.margin");
                (*added)++;
            }
        }
    }
    return st;
}

static hgq_status agg_check_breakdown(hgq_dataset *ds, const agg *g, const char *bdim,
                                      const char *btotal, double tol, size_t *added,
                                      hgq_error *err)
{
    long b = -1, bc = hgq_table_find_column(g->t, bdim);
    size_t d, r, q, gi;
    const char **groups;
    size_t ngroups = 0;
    hgq_status st = HGQ_OK;
    for (d = 0; d < g->ndims; d++)
        if (g->cols[d] == bc)
            b = (long)d;
    if (b < 0 || (size_t)b + 1 >= g->ndims)
        return hgq_error_set(err, HGQ_ESCHEMA,
                             "breakdown '%s' of table '%s' must be a dimension followed by another",
                             bdim, hgq_table_name(g->t));
    groups = malloc(g->n * sizeof *groups);
    if (!groups)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    for (r = 0; r < g->n; r++) {
        const char *gv = K(g, r, (size_t)b);
        int seen = 0;
        if (strcmp(gv, btotal) == 0 || strcmp(gv, MARGIN) == 0)
            continue;
        for (gi = 0; gi < ngroups; gi++)
            if (strcmp(groups[gi], gv) == 0)
                seen = 1;
        if (!seen)
            groups[ngroups++] = gv;
    }
    /* each total row: compare with each group's sum over the item dimension */
    for (r = 0; r < g->n && st == HGQ_OK; r++) {
        if (strcmp(K(g, r, (size_t)b), btotal) != 0)
            continue;
        for (gi = 0; gi < ngroups && st == HGQ_OK; gi++) {
            double sum = 0;
            long first = -1;
            size_t parts = 0;
            for (q = 0; q < g->n; q++) {
                int ok = strcmp(K(g, q, (size_t)b), groups[gi]) == 0 &&
                         strcmp(K(g, q, (size_t)b + 1), MARGIN) != 0;
                for (d = 0; d < g->ndims && ok; d++)
                    if (d != (size_t)b && d != (size_t)b + 1)
                        ok = strcmp(K(g, q, d), K(g, r, d)) == 0;
                if (ok) {
                    sum += g->vals[q];
                    if (first < 0)
                        first = (long)q;
                    parts++;
                }
            }
            if (parts && fabs(sum - g->vals[r]) > tol) {
                hgq_origin ow, oo;
                const hgq_origin *w = origin_of(g->t, r, (size_t)g->vcol, &ow, NULL, 0);
                const hgq_origin *o = origin_of(g->t, (size_t)first, (size_t)g->vcol, &oo, NULL, 0);
                char rest[256] = "", a[64], s2[64], ref[16] = "";
                size_t n = 0;
                for (d = 0; d < g->ndims; d++) {
                    int wr;
                    if (d == (size_t)b || d == (size_t)b + 1)
                        continue;
                    wr = snprintf(rest + n, sizeof rest - n, "%s%s", n ? "、" : "", K(g, r, d));
                    if (wr < 0 || (size_t)wr >= sizeof rest - n)
                        break;
                    n += (size_t)wr;
                }
                if (w)
                    hgq_ref_format(w->row, w->col, ref, sizeof ref);
                num_text(g->vals[r], a, sizeof a);
                num_text(sum, s2, sizeof s2);
                st = hgq_dataset_add_finding(ds, HGQ_SEV_ERROR, "agg.breakdown", hgq_table_name(g->t),
                                             "value", w, o,
                                             "「%s」中按%s分的各项之和（%s）为%s，与%s%s%s的%s不一致",
                                             table_title(g->t), groups[gi], rest, s2, btotal,
                                             ref[0] ? "即" : "", ref, a);
                (*added)++;
            }
        }
    }
    free(groups);
    if (st != HGQ_OK)
        hgq_error_set(err, st, "out of memory");
    return st;
}

hgq_status hgq_check_aggregate(hgq_dataset *ds, const hgq_table *t, const char *dims,
                               double tolerance, size_t *added, hgq_error *err)
{
    hgq_error_clear(err);
    agg g;
    size_t n = 0;
    hgq_status st;
    const char *bdim, *btot;
    if (added)
        *added = 0;
    if (!ds || !t)
        return hgq_error_set(err, HGQ_EARG, "hgq_check_aggregate: NULL argument");
    if (tolerance < 0)
        tolerance = 0;
    st = agg_load(&g, t, dims, err);
    if (st == HGQ_OK) {
        st = agg_check_margins(ds, &g, tolerance, &n);
        if (st != HGQ_OK)
            hgq_error_set(err, st, "out of memory");
    }
    bdim = hgq_table_meta(t, "breakdown");
    btot = hgq_table_meta(t, "breakdown_total");
    if (st == HGQ_OK && bdim && *bdim && btot && *btot)
        st = agg_check_breakdown(ds, &g, bdim, btot, tolerance, &n, err);
    agg_free(&g);
    if (added)
        *added = n;
    return st;
}

/* }==================================================================== */

/* {====================================================================
 * Validation
 * ===================================================================== */

static const char *const validation_prefixes[] = {
    "field.", "id.", "unique.", "ref.", "agg.margin", "agg.breakdown"
};

hgq_status hgq_validate(hgq_dataset *ds, const hgq_schemas *reg,
                        const hgq_validate_options *opt, size_t *added,
                        hgq_error *err)
{
    hgq_error_clear(err);
    hgq_validate_options defaults;
    vctx c;
    size_t i, f, before;
    if (added)
        *added = 0;
    if (!ds)
        return hgq_error_set(err, HGQ_EARG, "hgq_validate: NULL dataset");
    if (!opt) {
        hgq_validate_options_init(&defaults);
        opt = &defaults;
    }
    for (i = 0; i < sizeof validation_prefixes / sizeof validation_prefixes[0]; i++)
        hgq_dataset_clear_findings(ds, validation_prefixes[i]);
    before = hgq_dataset_finding_count(ds);
    c.ds = ds;
    c.reg = reg;
    c.opt = opt;
    c.st = HGQ_OK;
    for (i = 0; i < hgq_dataset_table_count(ds) && c.st == HGQ_OK; i++) {
        const hgq_table *t = hgq_dataset_table_at(ds, i);
        const char *kind = hgq_table_meta(t, "kind");
        const char *entity = hgq_table_meta(t, "entity");
        const hgq_schema *s;
        if (kind && strcmp(kind, "aggregate") == 0) {
            if (opt->checks & HGQ_CHECK_AGGREGATES) {
                hgq_error e;
                size_t n;
                hgq_status st = hgq_check_aggregate(ds, t, NULL, opt->tolerance, &n, &e);
                if (st == HGQ_ENOMEM)
                    c.st = st;
            }
            continue;
        }
        if (!reg)
            continue;
        s = hgq_schemas_get(reg, entity && *entity ? entity : hgq_table_name(t));
        if (!s)
            continue;
        for (f = 0; f < hgq_schema_field_count(s) && c.st == HGQ_OK; f++) {
            hgq_field_info fi;
            hgq_schema_field_info(s, f, &fi);
            if (opt->checks & HGQ_CHECK_FIELDS)
                check_field(&c, t, s, f);
            if ((opt->checks & HGQ_CHECK_IDS) && fi.type == HGQ_FT_IDCARD)
                check_ids(&c, t, s, f);
            if ((opt->checks & HGQ_CHECK_UNIQUE) && (fi.flags & HGQ_FIELD_UNIQUE))
                check_unique(&c, t, s, f);
            if ((opt->checks & HGQ_CHECK_REFS) && fi.ref_entity)
                check_ref(&c, t, s, f);
        }
    }
    if (added)
        *added = hgq_dataset_finding_count(ds) - before;
    if (c.st != HGQ_OK)
        return hgq_error_set(err, c.st, "out of memory");
    return HGQ_OK;
}

/* }==================================================================== */

/* {====================================================================
 * Published against computed
 * ===================================================================== */

typedef struct ckey {
    const char *key;   /* dimension values joined by \x1f */
    size_t row;
} ckey;

static int cmp_ckey(const void *a, const void *b)
{
    const ckey *x = a, *y = b;
    int r = strcmp(x->key, y->key);
    if (r)
        return r;
    return x->row < y->row ? -1 : x->row > y->row;
}

static ckey *make_keys(const agg *g, hgq_arena *a, hgq_error *err)
{
    ckey *k = malloc((g->n ? g->n : 1) * sizeof *k);
    size_t i, d;
    if (!k) {
        hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        return NULL;
    }
    for (i = 0; i < g->n; i++) {
        hgq_buf b;
        hgq_buf_init(&b);
        for (d = 0; d < g->ndims; d++) {
            if (d)
                hgq_buf_append_char(&b, '\x1f');
            hgq_buf_append_str(&b, K(g, i, d));
        }
        k[i].key = hgq_arena_strdup(a, b.data ? b.data : "");
        k[i].row = i;
        hgq_buf_free(&b);
        if (!k[i].key) {
            free(k);
            hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            return NULL;
        }
    }
    qsort(k, g->n, sizeof *k, cmp_ckey);
    return k;
}

hgq_status hgq_compare_aggregates(hgq_dataset *ds, const hgq_table *published,
                                  const hgq_table *computed,
                                  const hgq_compare_options *opt,
                                  size_t *differences, hgq_error *err)
{
    hgq_error_clear(err);
    hgq_compare_options defaults;
    agg gp, gc;
    ckey *kp = NULL, *kc = NULL;
    hgq_arena a;
    size_t i = 0, j = 0, ndiff = 0;
    const char *dims;
    const char *title;
    hgq_status st;
    if (differences)
        *differences = 0;
    if (!ds || !published || !computed)
        return hgq_error_set(err, HGQ_EARG, "hgq_compare_aggregates: NULL argument");
    if (!opt) {
        hgq_compare_options_init(&defaults);
        opt = &defaults;
    }
    dims = opt->dims ? opt->dims : hgq_table_meta(published, "dims");
    if (!dims)
        dims = hgq_table_meta(computed, "dims");
    hgq_arena_init(&a);
    memset(&gp, 0, sizeof gp);
    memset(&gc, 0, sizeof gc);
    hgq_arena_init(&gp.arena);
    hgq_arena_init(&gc.arena);
    if ((st = agg_load(&gp, published, dims, err)) != HGQ_OK ||
        (st = agg_load(&gc, computed, dims, err)) != HGQ_OK)
        goto out;
    if (!(kp = make_keys(&gp, &a, err)) || !(kc = make_keys(&gc, &a, err))) {
        st = HGQ_ENOMEM;
        goto out;
    }
    title = table_title(published);
    while ((i < gp.n || j < gc.n) && st == HGQ_OK) {
        int c = i >= gp.n ? 1 : j >= gc.n ? -1 : strcmp(kp[i].key, kc[j].key);
        char path[256], va[64], vb[64];
        hgq_origin ow, oo;
        const hgq_origin *w, *o;
        if (c == 0) {
            size_t rp = kp[i].row, rc = kc[j].row;
            int differ;
            if (opt->missing_as_zero || (!gp.isnull[rp] && !gc.isnull[rc]))
                differ = fabs(gp.vals[rp] - gc.vals[rc]) > opt->tolerance;
            else
                differ = gp.isnull[rp] != gc.isnull[rc] ||
                         fabs(gp.vals[rp] - gc.vals[rc]) > opt->tolerance;
            if (differ) {
                w = origin_of(published, rp, (size_t)gp.vcol, &ow, NULL, 0);
                o = origin_of(computed, rc, (size_t)gc.vcol, &oo, NULL, 0);
                agg_path(&gp, rp, path, sizeof path);
                if (gp.isnull[rp])
                    strcpy(va, "空白");
                else
                    num_text(gp.vals[rp], va, sizeof va);
                if (gc.isnull[rc])
                    strcpy(vb, "空白");
                else
                    num_text(gc.vals[rc], vb, sizeof vb);
                st = hgq_dataset_add_finding(ds, HGQ_SEV_ERROR, "cmp.value", hgq_table_name(published),
                                             "value", w, o, "「%s」中（%s）公布为%s，按名册计算为%s",
                                             title, path, va, vb);
                ndiff++;
            }
            /* duplicated keys: only the first of each side is compared */
            {
                const char *key = kp[i].key;
                while (i < gp.n && strcmp(kp[i].key, key) == 0)
                    i++;
                while (j < gc.n && strcmp(kc[j].key, key) == 0)
                    j++;
            }
        } else if (c < 0) {
            size_t rp = kp[i].row;
            const char *key = kp[i].key;
            if (!opt->missing_as_zero || (!gp.isnull[rp] && fabs(gp.vals[rp]) > opt->tolerance)) {
                w = origin_of(published, rp, (size_t)gp.vcol, &ow, NULL, 0);
                agg_path(&gp, rp, path, sizeof path);
                if (gp.isnull[rp])
                    strcpy(va, "空白");
                else
                    num_text(gp.vals[rp], va, sizeof va);
                st = hgq_dataset_add_finding(ds, HGQ_SEV_ERROR, "cmp.only_published",
                                             hgq_table_name(published), "value", w, NULL,
                                             "「%s」中（%s）公布为%s，按名册计算没有这一项", title,
                                             path, va);
                ndiff++;
            }
            while (i < gp.n && strcmp(kp[i].key, key) == 0)
                i++;
        } else {
            size_t rc = kc[j].row;
            const char *key = kc[j].key;
            if (!opt->missing_as_zero || (!gc.isnull[rc] && fabs(gc.vals[rc]) > opt->tolerance)) {
                o = origin_of(computed, rc, (size_t)gc.vcol, &oo, NULL, 0);
                agg_path(&gc, rc, path, sizeof path);
                if (gc.isnull[rc])
                    strcpy(vb, "空白");
                else
                    num_text(gc.vals[rc], vb, sizeof vb);
                st = hgq_dataset_add_finding(ds, HGQ_SEV_ERROR, "cmp.only_computed",
                                             hgq_table_name(published), "value", NULL, o,
                                             "按名册计算（%s）为%s，而「%s」中没有这一项", path, vb,
                                             title);
                ndiff++;
            }
            while (j < gc.n && strcmp(kc[j].key, key) == 0)
                j++;
        }
        if (st != HGQ_OK)
            hgq_error_set(err, st, "out of memory");
    }
out:
    free(kp);
    free(kc);
    agg_free(&gp);
    agg_free(&gc);
    hgq_arena_free(&a);
    if (differences)
        *differences = ndiff;
    return st;
}

/* }==================================================================== */
