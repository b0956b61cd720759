/*
 * writer_crosstab.c - writing hgq_tables: a table as it is (columns become
 * headers), and an aggregate table in long form as a cross-tab grid whose
 * margins are live SUM formulas.
 *
 * A cross-tab is computed whole before it is written: the grid of cached
 * values (leaf cells from the table, margins summed from the leaves they
 * cover) is filled first, because a margin row may come before the rows it
 * sums (表3 prints its 总计 first). Then the rows are streamed through the
 * ordinary table path, so cross-tabs work in constant-memory mode too.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writer_int.h"

#define KEY_SEP '\x1f'

/* {====================================================================
 * Writing an hgq_table as it is
 * ===================================================================== */

static const char *type_format(hgq_vtype t, const char *name)
{
    if (name && strcmp(name, "id_number") == 0)
        return "idcard";
    switch (t) {
    case HGQ_INT: return "integer";
    case HGQ_NUM: return "number";
    case HGQ_DATE: return "date";
    case HGQ_TEXT: return "text";
    default: return NULL;
    }
}

hgq_status hgq_writer_sheet_write_table(hgq_writer_sheet *sh, const hgq_table *table,
                                        const hgq_table_layout *t,
                                        hgq_table_area *area, hgq_error *err)
{
    hgq_table_layout L;
    size_t nc, nr, r, c;
    const char **header = NULL, **formats = NULL;
    hgq_value *row = NULL;
    hgq_buf key;
    hgq_status s;

    if (!sh)
        return hgqw_fail(err, HGQ_EARG, NULL, "sheet is NULL");
    if ((s = hgqw_check_open(sh->w, err)) != HGQ_OK)
        return s;
    if (!table)
        return hgqw_fail(err, HGQ_EARG, sh, "table is NULL");
    nc = hgq_table_ncols(table);
    nr = hgq_table_nrows(table);
    if (nc == 0)
        return hgqw_fail(err, HGQ_EARG, sh, "table '%s' has no columns", hgq_table_name(table));
    if (t && t->ncols && t->ncols != nc)
        return hgqw_fail(err, HGQ_EARG, sh, "layout has %zu columns, table '%s' %zu", t->ncols,
                         hgq_table_name(table), nc);
    if (t)
        L = *t;
    else
        hgq_table_layout_init(&L);
    L.ncols = nc;
    if (!L.title)
        L.title = hgq_table_meta(table, "title");

    hgq_buf_init(&key);
    header = calloc(nc, sizeof *header);
    formats = calloc(nc, sizeof *formats);
    row = calloc(nc, sizeof *row);
    if (!header || !formats || !row) {
        s = hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
        goto done;
    }
    if (!L.header || !L.header_rows) {
        for (c = 0; c < nc; c++) {
            const char *name = hgq_table_column_name(table, c);
            const char *label;
            hgq_buf_clear(&key);
            if (hgq_buf_printf(&key, "label.%s", name)) {
                s = hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
                goto done;
            }
            label = hgq_table_meta(table, key.data);
            header[c] = label ? label : name;
        }
        L.header = header;
        L.header_rows = 1;
    }
    if (!L.formats) {
        for (c = 0; c < nc; c++)
            formats[c] = type_format(hgq_table_column_type(table, c),
                                     hgq_table_column_name(table, c));
        L.formats = formats;
    }
    if ((s = hgq_writer_sheet_begin_table(sh, &L, NULL, err)) != HGQ_OK)
        goto done;
    for (r = 0; r < nr && s == HGQ_OK; r++) {
        for (c = 0; c < nc; c++)
            row[c] = *hgq_table_get(table, r, c);
        s = hgq_writer_sheet_append_row(sh, row, nc, err);
    }
    if (s == HGQ_OK)
        s = hgqw_table_end(sh, area, err);
    else
        hgqw_table_abort(sh);
done:
    hgq_buf_free(&key);
    free(header);
    free(formats);
    free(row);
    return s;
}

/* }==================================================================== */

/* {====================================================================
 * Keys: distinct tuples of dimension values, in order of appearance
 * ===================================================================== */

typedef struct keyset {
    char **keys;          /* joined texts, KEY_SEP between parts */
    char ***parts;        /* each key split into its parts */
    size_t n, cap;
    size_t *slots;        /* open addressing: index + 1, 0 empty */
    size_t nslots;
    size_t arity;
} keyset;

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void keyset_free(keyset *k)
{
    size_t i, j;
    for (i = 0; i < k->n; i++) {
        free(k->keys[i]);
        for (j = 0; j < k->arity; j++)
            free(k->parts[i][j]);
        free(k->parts[i]);
    }
    free(k->keys);
    free(k->parts);
    free(k->slots);
}

static int keyset_rehash(keyset *k, size_t nslots)
{
    size_t i, *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (i = 0; i < k->n; i++) {
        size_t h = (size_t)(hash_text(k->keys[i]) & (nslots - 1));
        while (slots[h])
            h = (h + 1) & (nslots - 1);
        slots[h] = i + 1;
    }
    free(k->slots);
    k->slots = slots;
    k->nslots = nslots;
    return 0;
}

/* Index of `joined` (parts in `parts`), adding it when new; -1 out of memory. */
static long keyset_add(keyset *k, const char *joined, char *const *parts)
{
    size_t h, j;
    if (k->nslots == 0 || (k->n + 1) * 2 > k->nslots)
        if (keyset_rehash(k, k->nslots ? k->nslots * 2 : 64))
            return -1;
    h = (size_t)(hash_text(joined) & (k->nslots - 1));
    while (k->slots[h]) {
        if (strcmp(k->keys[k->slots[h] - 1], joined) == 0)
            return (long)(k->slots[h] - 1);
        h = (h + 1) & (k->nslots - 1);
    }
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 32;
        char **a = realloc(k->keys, cap * sizeof *a);
        char ***b;
        if (!a)
            return -1;
        k->keys = a;
        b = realloc(k->parts, cap * sizeof *b);
        if (!b)
            return -1;
        k->parts = b;
        k->cap = cap;
    }
    k->keys[k->n] = hgq_strdup(joined);
    k->parts[k->n] = calloc(k->arity ? k->arity : 1, sizeof **k->parts);
    if (!k->keys[k->n] || !k->parts[k->n]) {
        free(k->keys[k->n]);
        free(k->parts[k->n]);
        return -1;
    }
    for (j = 0; j < k->arity; j++)
        if (!(k->parts[k->n][j] = hgq_strdup(parts[j]))) {
            while (j > 0)
                free(k->parts[k->n][--j]);
            free(k->keys[k->n]);
            free(k->parts[k->n]);
            return -1;
        }
    k->slots[h] = ++k->n;
    return (long)(k->n - 1);
}

/* Text of a dimension value. */
static void dim_text(const hgq_value *v, char *buf, size_t size)
{
    switch (v->type) {
    case HGQ_TEXT: snprintf(buf, size, "%s", v->u.s); break;
    case HGQ_INT: snprintf(buf, size, "%lld", (long long)v->u.i); break;
    case HGQ_NUM: snprintf(buf, size, "%.15g", v->u.d); break;
    case HGQ_DATE:
        hgq_date_format_iso(v->u.d, buf, size);
        if (strlen(buf) > 10 && strcmp(buf + 10, "T00:00:00") == 0)
            buf[10] = '\0';
        break;
    case HGQ_BOOL: snprintf(buf, size, "%s", v->u.b ? "是" : "否"); break;
    default: buf[0] = '\0'; break;
    }
}

/* Sorting: part by part, numbers by value, the margin value last. */
typedef struct sort_ctx {
    const keyset *k;
    const char *total;
} sort_ctx;

static int part_cmp(const char *a, const char *b, const char *total)
{
    char *ea, *eb;
    double x, y;
    int ta = strcmp(a, total) == 0, tb = strcmp(b, total) == 0;
    if (ta != tb)
        return ta - tb;
    x = strtod(a, &ea);
    y = strtod(b, &eb);
    if (*a && *b && !*ea && !*eb && x != y)
        return x < y ? -1 : 1;
    return strcmp(a, b);
}

static void sort_order(const keyset *k, const char *total, size_t *order)
{
    size_t i, j, n = k->n;
    /* Insertion sort: stable, and key counts are small. */
    for (i = 0; i < n; i++)
        order[i] = i;
    for (i = 1; i < n; i++) {
        size_t cur = order[i];
        j = i;
        while (j > 0) {
            size_t p, prev = order[j - 1];
            int c = 0;
            for (p = 0; p < k->arity && c == 0; p++)
                c = part_cmp(k->parts[prev][p], k->parts[cur][p], total);
            if (c <= 0)
                break;
            order[j] = prev;
            j--;
        }
        order[j] = cur;
    }
}

/* }==================================================================== */

/* {====================================================================
 * Cross-tabs
 * ===================================================================== */

void hgq_crosstab_layout_init(hgq_crosstab_layout *x)
{
    memset(x, 0, sizeof *x);
    x->margins = HGQ_MARGINS_FORMULA;
    x->row = HGQ_WRITER_NEXT;
    x->col = HGQ_WRITER_NEXT;
}

#define MAX_DIMS 16

typedef struct dims {
    const char *name[MAX_DIMS];
    long col[MAX_DIMS];
    size_t n;
} dims;

/* Splits the "dims" metadata into `store` (names point into it). */
static size_t meta_dims(const hgq_table *t, char *store, size_t size, const char **names)
{
    const char *m = hgq_table_meta(t, "dims");
    size_t n = 0;
    char *p, *save = NULL, *tok;
    if (!m)
        return 0;
    snprintf(store, size, "%s", m);
    for (p = store; (tok = strtok_r(p, ",", &save)) != NULL && n < MAX_DIMS; p = NULL) {
        char *e;
        while (*tok == ' ')
            tok++;
        e = tok + strlen(tok);
        while (e > tok && e[-1] == ' ')
            *--e = '\0';
        if (*tok)
            names[n++] = tok;
    }
    return n;
}

static int listed(const char *const *names, size_t n, const char *name)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return 1;
    return 0;
}

static hgq_status resolve_dims(hgq_writer_sheet *sh, const hgq_table *t,
                               const hgq_crosstab_layout *x, char *store, size_t size,
                               dims *rd, dims *cd, hgq_error *err)
{
    const char *md[MAX_DIMS];
    size_t nm = meta_dims(t, store, size, md), i;
    rd->n = cd->n = 0;
    if (x->row_dims) {
        if (x->n_row_dims > MAX_DIMS)
            return hgqw_fail(err, HGQ_EARG, sh, "too many row dimensions");
        for (i = 0; i < x->n_row_dims; i++)
            rd->name[rd->n++] = x->row_dims[i];
    }
    if (x->col_dims) {
        if (x->n_col_dims > MAX_DIMS)
            return hgqw_fail(err, HGQ_EARG, sh, "too many column dimensions");
        for (i = 0; i < x->n_col_dims; i++)
            cd->name[cd->n++] = x->col_dims[i];
    }
    if (!x->row_dims && !x->col_dims) {
        if (nm == 0)
            return hgqw_fail(err, HGQ_EARG, sh,
                             "table '%s' has no \"dims\" metadata; name the dimensions",
                             hgq_table_name(t));
        for (i = 0; i + 1 < nm || (nm == 1 && i == 0); i++)
            rd->name[rd->n++] = md[i];
        if (nm > 1)
            cd->name[cd->n++] = md[nm - 1];
    } else if (!x->col_dims) {
        for (i = 0; i < nm; i++)
            if (!listed(rd->name, rd->n, md[i]))
                cd->name[cd->n++] = md[i];
    } else if (!x->row_dims) {
        for (i = 0; i < nm; i++)
            if (!listed(cd->name, cd->n, md[i]))
                rd->name[rd->n++] = md[i];
    }
    if (rd->n == 0 && cd->n == 0)
        return hgqw_fail(err, HGQ_EARG, sh, "a cross-tab needs at least one dimension");
    for (i = 0; i < rd->n + cd->n; i++) {
        const char *name = i < rd->n ? rd->name[i] : cd->name[i - rd->n];
        long c = hgq_table_find_column(t, name);
        if (c < 0)
            return hgqw_fail(err, HGQ_ENOTFOUND, sh, "table '%s' has no column '%s'",
                             hgq_table_name(t), name);
        if (i < rd->n)
            rd->col[i] = c;
        else
            cd->col[i - rd->n] = c;
    }
    return HGQ_OK;
}

/* Builds the key of table row r over dims d into b; parts[i] point into tmp. */
static int make_key(const hgq_table *t, size_t r, const dims *d, hgq_buf *b,
                    char (*tmp)[256], char **parts)
{
    size_t i;
    hgq_buf_clear(b);
    for (i = 0; i < d->n; i++) {
        dim_text(hgq_table_get(t, r, (size_t)d->col[i]), tmp[i], 256);
        parts[i] = tmp[i];
        if ((i && hgq_buf_append_char(b, KEY_SEP)) || hgq_buf_append_str(b, tmp[i]))
            return -1;
    }
    if (d->n == 0 && hgq_buf_append_str(b, ""))
        return -1;
    return 0;
}

static int is_margin(char *const *parts, size_t n, const char *total)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(parts[i], total) == 0)
            return 1;
    return 0;
}

/* 1 if leaf key `leaf` lies under margin key `m`: equal wherever m is not the total. */
static int covers(char *const *m, char *const *leaf, size_t n, const char *total)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(m[i], total) != 0 && strcmp(m[i], leaf[i]) != 0)
            return 0;
    return 1;
}

typedef struct grid {
    size_t nr, nc;
    double *val;          /* cached values, row-major */
    unsigned char *has;   /* 1: the table has the cell */
    unsigned char *rmarg, *cmarg;
    size_t *rorder, *corder;   /* display position -> key index */
} grid;

#define AT(g, i, j) ((i) * (g)->nc + (j))

hgq_status hgq_writer_sheet_crosstab(hgq_writer_sheet *sh, const hgq_table *table,
                                     const hgq_crosstab_layout *x,
                                     hgq_table_area *area, hgq_error *err)
{
    hgq_crosstab_layout defaults;
    char dimstore[1024];
    dims rd, cd;
    keyset rk, ck;
    grid g;
    hgq_buf kb, fb, *fbufs = NULL;
    char tmp[MAX_DIMS][256];
    char *parts[MAX_DIMS];
    long vcol;
    size_t nrows, r, i, j, ncols, hrows, nlab;
    long *rowkey = NULL, *colkey = NULL;
    const char *total, *value_name, *fmt_name;
    const char **header = NULL, **formats = NULL;
    hgq_writer_cell *cells = NULL;
    unsigned *span = NULL;
    unsigned char *strong = NULL;
    uint32_t *pos = NULL;
    hgq_table_layout L;
    hgq_table_area a;
    int all_whole = 1, begun = 0;
    hgq_status s = HGQ_OK;

    memset(&rk, 0, sizeof rk);
    memset(&ck, 0, sizeof ck);
    memset(&g, 0, sizeof g);
    hgq_buf_init(&kb);
    hgq_buf_init(&fb);
    if (!sh)
        return hgqw_fail(err, HGQ_EARG, NULL, "sheet is NULL");
    if ((s = hgqw_check_open(sh->w, err)) != HGQ_OK)
        return s;
    if (!table)
        return hgqw_fail(err, HGQ_EARG, sh, "table is NULL");
    if (sh->open)
        return hgqw_fail(err, HGQ_ESTATE, sh, "a table is still open on this sheet");
    if (!x) {
        hgq_crosstab_layout_init(&defaults);
        x = &defaults;
    }
    if ((s = resolve_dims(sh, table, x, dimstore, sizeof dimstore, &rd, &cd, err)) != HGQ_OK)
        return s;
    total = x->total ? x->total : "合计";
    value_name = x->value ? x->value : "value";
    vcol = hgq_table_find_column(table, value_name);
    if (vcol < 0)
        return hgqw_fail(err, HGQ_ENOTFOUND, sh, "table '%s' has no column '%s'",
                         hgq_table_name(table), value_name);
    if (x->format && !hgq_writer_format_valid(x->format))
        return hgqw_fail(err, HGQ_EARG, sh, "unknown format '%s'", x->format);

    /* Keys in order of appearance, and the grid of values. */
    rk.arity = rd.n;
    ck.arity = cd.n;
    nrows = hgq_table_nrows(table);
    if (nrows == 0)
        return hgqw_fail(err, HGQ_EDATA, sh, "table '%s' has no rows", hgq_table_name(table));
    rowkey = malloc((nrows ? nrows : 1) * sizeof *rowkey);
    colkey = malloc((nrows ? nrows : 1) * sizeof *colkey);
    if (!rowkey || !colkey)
        goto oom;
    for (r = 0; r < nrows; r++) {
        if (make_key(table, r, &rd, &kb, tmp, parts) ||
            (rowkey[r] = keyset_add(&rk, kb.data, parts)) < 0)
            goto oom;
        if (make_key(table, r, &cd, &kb, tmp, parts) ||
            (colkey[r] = keyset_add(&ck, kb.data, parts)) < 0)
            goto oom;
    }
    g.nr = rk.n;
    g.nc = ck.n;
    if (g.nr && !hgq_size_mul(g.nr, g.nc, &i))
        goto oom;
    g.val = calloc(g.nr * g.nc + 1, sizeof *g.val);
    g.has = calloc(g.nr * g.nc + 1, 1);
    g.rmarg = calloc(g.nr + 1, 1);
    g.cmarg = calloc(g.nc + 1, 1);
    g.rorder = calloc(g.nr + 1, sizeof *g.rorder);
    g.corder = calloc(g.nc + 1, sizeof *g.corder);
    if (!g.val || !g.has || !g.rmarg || !g.cmarg || !g.rorder || !g.corder)
        goto oom;
    for (r = 0; r < nrows; r++) {
        const hgq_value *v = hgq_table_get(table, r, (size_t)vcol);
        size_t at = AT(&g, (size_t)rowkey[r], (size_t)colkey[r]);
        double d;
        if (v->type == HGQ_NULL)
            continue;
        if (!hgq_value_number(v, &d) || v->type == HGQ_DATE) {
            s = hgqw_fail(err, HGQ_EDATA, sh, "table '%s' row %zu: value is not a number",
                          hgq_table_name(table), r + 1);
            goto done;
        }
        if (g.has[at]) {
            s = hgqw_fail(err, HGQ_EDATA, sh, "table '%s' row %zu repeats the cell %s",
                          hgq_table_name(table), r + 1, rk.keys[rowkey[r]]);
            goto done;
        }
        g.has[at] = 1;
        g.val[at] = d;
        if (d != floor(d))
            all_whole = 0;
    }
    for (i = 0; i < g.nr; i++)
        g.rmarg[i] = (unsigned char)is_margin(rk.parts[i], rd.n, total);
    for (j = 0; j < g.nc; j++)
        g.cmarg[j] = (unsigned char)is_margin(ck.parts[j], cd.n, total);
    if (x->sort_rows)
        sort_order(&rk, total, g.rorder);
    else
        for (i = 0; i < g.nr; i++)
            g.rorder[i] = i;
    if (x->sort_cols)
        sort_order(&ck, total, g.corder);
    else
        for (j = 0; j < g.nc; j++)
            g.corder[j] = j;

    /* Cached values of margins: row-wise first (leaf rows), then column-wise. */
    if (x->margins == HGQ_MARGINS_FORMULA) {
        for (i = 0; i < g.nr; i++) {
            if (g.rmarg[i])
                continue;
            for (j = 0; j < g.nc; j++) {
                size_t k;
                double sum = 0;
                int any = 0;
                if (!g.cmarg[j])
                    continue;
                for (k = 0; k < g.nc; k++)
                    if (!g.cmarg[k] && covers(ck.parts[j], ck.parts[k], cd.n, total)) {
                        any = 1;
                        sum += g.val[AT(&g, i, k)];
                    }
                if (any) {
                    g.val[AT(&g, i, j)] = sum;
                    g.has[AT(&g, i, j)] = 2;
                }
            }
        }
        for (i = 0; i < g.nr; i++) {
            if (!g.rmarg[i])
                continue;
            for (j = 0; j < g.nc; j++) {
                size_t k;
                double sum = 0;
                int any = 0;
                for (k = 0; k < g.nr; k++)
                    if (!g.rmarg[k] && covers(rk.parts[i], rk.parts[k], rd.n, total)) {
                        any = 1;
                        sum += g.val[AT(&g, k, j)];
                    }
                if (any) {
                    g.val[AT(&g, i, j)] = sum;
                    g.has[AT(&g, i, j)] = 2;
                }
            }
        }
    }

    /* Layout: row-dimension label columns, then one column per column key. */
    nlab = rd.n;
    ncols = nlab + g.nc;
    hrows = cd.n ? cd.n : 1;
    header = calloc(hrows * ncols, sizeof *header);
    formats = calloc(ncols, sizeof *formats);
    cells = calloc(ncols, sizeof *cells);
    span = calloc(ncols, sizeof *span);
    strong = calloc(ncols, 1);
    pos = calloc(g.nr + g.nc + 1, sizeof *pos);
    fbufs = calloc(g.nc, sizeof *fbufs);
    if (!header || !formats || !cells || !span || !strong || !pos || !fbufs)
        goto oom;
    fmt_name = x->format ? x->format : all_whole ? "integer" : "number";
    for (i = 0; i < nlab; i++) {
        const char *label = x->row_labels ? x->row_labels[i] : NULL;
        if (!label) {
            hgq_buf_clear(&kb);
            if (hgq_buf_printf(&kb, "label.%s", rd.name[i]))
                goto oom;
            label = hgq_table_meta(table, kb.data);
        }
        header[i] = label ? label : rd.name[i];
        formats[i] = "text";
    }
    for (j = 0; j < g.nc; j++) {
        size_t key = g.corder[j], l;
        formats[nlab + j] = fmt_name;
        if (cd.n == 0) {
            const char *vl = x->value_label ? x->value_label : hgq_table_meta(table, "measure");
            header[nlab + j] = vl ? vl : value_name;
        }
        for (l = 0; l < cd.n; l++)
            header[l * ncols + nlab + j] = ck.parts[key][l];
    }
    hgq_table_layout_init(&L);
    L.title = x->title ? x->title : hgq_table_meta(table, "title");
    L.ncols = ncols;
    L.header_rows = hrows;
    L.header = header;
    L.formats = formats;
    L.label_cols = (int)nlab;
    L.group_cols = x->no_group || nlab == 0 ? 0 : (int)nlab - 1;
    L.row = x->row;
    L.col = x->col;
    if ((s = hgq_writer_sheet_begin_table(sh, &L, &a, err)) != HGQ_OK)
        goto done;
    begun = 1;

    for (i = 0; i < g.nr && s == HGQ_OK; i++) {
        size_t key = g.rorder[i];
        uint32_t row = a.body_first_row + (uint32_t)i;
        int grand = rd.n > 0;   /* without row dimensions the one row is the body */
        for (j = 0; j < rd.n; j++)
            if (strcmp(rk.parts[key][j], total) != 0)
                grand = 0;
        for (j = 0; j < nlab; j++) {
            cells[j].value = hgq_text(rk.parts[key][j]);
            cells[j].formula = NULL;
            cells[j].format = NULL;
            span[j] = 1;
            strong[j] = (unsigned char)grand;
        }
        if (grand) {
            cells[0].value = hgq_text(x->total_label ? x->total_label : total);
            if (nlab > 1) {
                span[0] = (unsigned)nlab;
                for (j = 1; j < nlab; j++)
                    cells[j].value = hgq_null();
            }
        } else {
            /* Equal labels side by side (总计 总计) read as one. */
            size_t e;
            for (j = 0; j + 1 < nlab; j = e) {
                for (e = j + 1; e < nlab && *rk.parts[key][j] &&
                                strcmp(rk.parts[key][e], rk.parts[key][j]) == 0; e++)
                    cells[e].value = hgq_null();
                span[j] = (unsigned)(e - j);
            }
        }
        for (j = 0; j < g.nc; j++) {
            size_t ck_i = g.corder[j], at = AT(&g, key, ck_i), npos = 0, k;
            hgq_writer_cell *cell = &cells[nlab + j];
            span[nlab + j] = 1;
            strong[nlab + j] = (unsigned char)(g.rmarg[key] || g.cmarg[ck_i]);
            cell->formula = NULL;
            cell->format = NULL;
            cell->value = g.has[at] ? (all_whole && !x->format ? hgq_int((int64_t)g.val[at])
                                                               : hgq_num(g.val[at]))
                                    : hgq_null();
            if (g.has[at] != 2)
                continue;
            /* A margin: SUM over the cells it covers, by display position. */
            hgq_buf_clear(&fb);
            if (g.rmarg[key]) {
                for (k = 0; k < g.nr; k++) {
                    size_t other = g.rorder[k];
                    if (!g.rmarg[other] && covers(rk.parts[key], rk.parts[other], rd.n, total))
                        pos[npos++] = a.body_first_row + (uint32_t)k;
                }
                if (hgqw_sum_formula(&fb, 1, a.first_col + (uint32_t)(nlab + j), pos, npos))
                    goto oom;
            } else {
                for (k = 0; k < g.nc; k++) {
                    size_t other = g.corder[k];
                    if (!g.cmarg[other] && covers(ck.parts[ck_i], ck.parts[other], cd.n, total))
                        pos[npos++] = a.first_col + (uint32_t)(nlab + k);
                }
                if (hgqw_sum_formula(&fb, 0, row, pos, npos))
                    goto oom;
            }
            /* The row's formulas live until it is written. */
            hgq_buf_clear(&fbufs[j]);
            if (hgq_buf_append(&fbufs[j], fb.data, fb.len))
                goto oom;
            cell->formula = fbufs[j].data;
        }
        s = hgqw_table_append(sh, cells, span, strong, ncols, err);
    }
    if (s == HGQ_OK)
        s = hgqw_table_end(sh, area, err);
    else
        hgqw_table_abort(sh);
    goto done;

oom:
    if (begun)
        hgqw_table_abort(sh);
    s = hgqw_fail(err, HGQ_ENOMEM, sh, "out of memory");
done:
    keyset_free(&rk);
    keyset_free(&ck);
    free(g.val);
    free(g.has);
    free(g.rmarg);
    free(g.cmarg);
    free(g.rorder);
    free(g.corder);
    free(rowkey);
    free(colkey);
    free(header);
    free(formats);
    free(cells);
    free(span);
    free(strong);
    free(pos);
    if (fbufs)
        for (j = 0; j < g.nc; j++)
            hgq_buf_free(&fbufs[j]);
    free(fbufs);
    hgq_buf_free(&kb);
    hgq_buf_free(&fb);
    return s;
}

/* }==================================================================== */
