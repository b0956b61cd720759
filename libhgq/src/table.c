/*
 * table.c - tables of typed values with per-cell origins.
 *
 * Storage is by column: each column holds an array of hgq_value sized to the
 * table's row capacity, and, only once an origin is set in it, a parallel
 * array of packed origins. A packed origin names its file and sheet by an
 * index into the table's source list (0 = no origin), so a million cells read
 * from one sheet cost 12 bytes each, not two pointers.
 *
 * Text is interned: short strings are deduplicated through a hash set (a
 * roster repeats 男, 女, 在校 and its majors' names a thousand times), longer
 * ones copied into the arena. All text lives until hgq_table_free.
 *
 * Columns are also dictionary-encoded: each distinct value (an interned text
 * by its pointer, a number by its bits) is a level, and a parallel array of
 * 16-bit codes gives each row's level (0 = missing). The statistics engine
 * evaluates a condition or a label once per level instead of once per row,
 * and groups rows by code. Codes are kept up to date by hgq_table_set, with
 * a count of the rows holding each level. A column stops being encoded for
 * good when it gets more than LEVELS_MAX levels or a text too long to be
 * interned; readers then use the values themselves.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "table_internal.h"

typedef struct packed_origin {
    uint32_t src;   /* index into sources + 1; 0 = none */
    uint32_t row;
    uint32_t col;
} packed_origin;

/* The levels of a dictionary-encoded column. */
typedef struct coldict {
    uint16_t *codes;       /* per row (rowcap entries): 0 missing, else level + 1 */
    hgq_value *levels;     /* distinct values in order of first appearance */
    uint32_t *refs;        /* rows holding each level */
    uint32_t *slots;       /* hash of levels: level + 1, 0 = empty */
    size_t n, cap, slotcap;
    size_t used;           /* levels with refs > 0 */
} coldict;

typedef struct column {
    char *name;
    hgq_vtype type;
    hgq_value *vals;
    packed_origin *orig;   /* NULL until an origin is set in this column */
    coldict *dict;         /* NULL once the column is no longer encoded */
} column;

typedef struct source {
    const char *file;
    const char *sheet;
} source;

typedef struct meta {
    const char *key;
    const char *value;
} meta;

struct hgq_table {
    char *name;
    column *cols;
    size_t ncols, colcap;
    size_t nrows, rowcap;
    packed_origin *row_orig;    /* NULL until a row origin is set */
    source *sources;
    size_t nsources, srccap;
    meta *metas;
    size_t nmeta, metacap;
    hgq_arena arena;
    const char **set;           /* interning hash set, open addressing */
    size_t setcap, setcount;
};

#define INTERN_MAX 64
#define LEVELS_MAX 65535u

static const hgq_value null_value = {HGQ_NULL, {0}};

static uint32_t hash_str(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int set_grow(hgq_table *t)
{
    size_t cap = t->setcap ? t->setcap * 2 : 256, i;
    const char **ns = calloc(cap, sizeof *ns);
    if (!ns)
        return -1;
    for (i = 0; i < t->setcap; i++) {
        const char *s = t->set[i];
        if (s) {
            size_t j = hash_str(s, strlen(s)) & (cap - 1);
            while (ns[j])
                j = (j + 1) & (cap - 1);
            ns[j] = s;
        }
    }
    free(t->set);
    t->set = ns;
    t->setcap = cap;
    return 0;
}

/* Interns s; *shared is 1 when equal strings share the returned copy. */
static const char *intern(hgq_table *t, const char *s, int *shared)
{
    size_t n, j;
    const char *p;
    *shared = 0;
    if (!s)
        return NULL;
    n = strlen(s);
    if (n > INTERN_MAX)
        return hgq_arena_strndup(&t->arena, s, n);
    *shared = 1;
    if ((t->setcount + 1) * 2 > t->setcap && set_grow(t))
        return NULL;
    j = hash_str(s, n) & (t->setcap - 1);
    while (t->set[j]) {
        if (strcmp(t->set[j], s) == 0)
            return t->set[j];
        j = (j + 1) & (t->setcap - 1);
    }
    p = hgq_arena_strndup(&t->arena, s, n);
    if (!p)
        return NULL;
    t->set[j] = p;
    t->setcount++;
    return p;
}

const char *hgq_table_intern(hgq_table *t, const char *s)
{
    int shared;
    return intern(t, s, &shared);
}

/* {====================================================================
 * Column dictionaries
 * ===================================================================== */

static void dict_free(coldict *d)
{
    if (!d)
        return;
    free(d->codes);
    free(d->levels);
    free(d->refs);
    free(d->slots);
    free(d);
}

/* Stops encoding column c (too many levels, long text, or out of memory). */
static void dict_drop(column *c)
{
    dict_free(c->dict);
    c->dict = NULL;
}

static uint64_t level_hash(const hgq_value *v)
{
    uint64_t x = 0;
    switch (v->type) {
    case HGQ_TEXT: x = (uint64_t)(uintptr_t)v->u.s; break;
    case HGQ_INT: x = (uint64_t)v->u.i; break;
    case HGQ_NUM:
    case HGQ_DATE: memcpy(&x, &v->u.d, sizeof x); break;
    case HGQ_BOOL: x = (uint64_t)v->u.b; break;
    default: break;
    }
    x ^= (uint64_t)v->type << 59;
    x ^= x >> 31;
    x *= UINT64_C(0xBF58476D1CE4E5B9);
    return x ^ (x >> 29);
}

/* The same level: same type and the same payload (text by its interned copy). */
static int level_same(const hgq_value *a, const hgq_value *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case HGQ_TEXT: return a->u.s == b->u.s;
    case HGQ_INT: return a->u.i == b->u.i;
    case HGQ_NUM:
    case HGQ_DATE: return memcmp(&a->u.d, &b->u.d, sizeof a->u.d) == 0;
    case HGQ_BOOL: return a->u.b == b->u.b;
    default: return 1;
    }
}

static int dict_rehash(coldict *d, size_t cap)
{
    uint32_t *ns = calloc(cap, sizeof *ns);
    size_t i;
    if (!ns)
        return -1;
    for (i = 0; i < d->n; i++) {
        size_t j = (size_t)level_hash(&d->levels[i]) & (cap - 1);
        while (ns[j])
            j = (j + 1) & (cap - 1);
        ns[j] = (uint32_t)i + 1;
    }
    free(d->slots);
    d->slots = ns;
    d->slotcap = cap;
    return 0;
}

/* Code of v (not missing) in d, added if new; 0 when the column must stop
 * being encoded. */
static uint16_t dict_code(coldict *d, const hgq_value *v)
{
    size_t j;
    uint32_t k;
    if ((d->n + 1) * 2 > d->slotcap && dict_rehash(d, d->slotcap ? d->slotcap * 2 : 16))
        return 0;
    j = (size_t)level_hash(v) & (d->slotcap - 1);
    while ((k = d->slots[j]) != 0) {
        if (level_same(&d->levels[k - 1], v))
            return (uint16_t)k;
        j = (j + 1) & (d->slotcap - 1);
    }
    if (d->n >= LEVELS_MAX)
        return 0;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        hgq_value *nl = realloc(d->levels, cap * sizeof *nl);
        uint32_t *nr;
        if (!nl)
            return 0;
        d->levels = nl;
        if (!(nr = realloc(d->refs, cap * sizeof *nr)))
            return 0;
        d->refs = nr;
        d->cap = cap;
    }
    d->levels[d->n] = *v;
    d->refs[d->n] = 0;
    d->slots[j] = (uint32_t)++d->n;
    return (uint16_t)d->n;
}

/* Records that row now holds v (text already interned when `shared`). */
static void dict_set(column *c, size_t row, const hgq_value *v, int shared)
{
    coldict *d = c->dict;
    uint16_t old, code = 0;
    if (!d)
        return;
    if (v->type != HGQ_NULL) {
        if ((v->type == HGQ_TEXT && !shared) || v->type > HGQ_BOOL || !(code = dict_code(d, v))) {
            dict_drop(c);
            return;
        }
    }
    old = d->codes[row];
    if (old && --d->refs[old - 1] == 0)
        d->used--;
    if (code && d->refs[code - 1]++ == 0)
        d->used++;
    d->codes[row] = code;
}

/* }==================================================================== */

hgq_table *hgq_table_new(const char *name)
{
    hgq_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->name = hgq_strdup(name ? name : "");
    if (!t->name) {
        free(t);
        return NULL;
    }
    hgq_arena_init(&t->arena);
    return t;
}

void hgq_table_free(hgq_table *t)
{
    size_t i;
    if (!t)
        return;
    for (i = 0; i < t->ncols; i++) {
        free(t->cols[i].name);
        free(t->cols[i].vals);
        free(t->cols[i].orig);
        dict_free(t->cols[i].dict);
    }
    free(t->cols);
    free(t->row_orig);
    free(t->sources);
    free(t->metas);
    free(t->set);
    hgq_arena_free(&t->arena);
    free(t->name);
    free(t);
}

const char *hgq_table_name(const hgq_table *t) { return t->name; }
size_t hgq_table_ncols(const hgq_table *t) { return t->ncols; }
size_t hgq_table_nrows(const hgq_table *t) { return t->nrows; }

const char *hgq_table_column_name(const hgq_table *t, size_t col)
{
    return col < t->ncols ? t->cols[col].name : NULL;
}

hgq_vtype hgq_table_column_type(const hgq_table *t, size_t col)
{
    return col < t->ncols ? t->cols[col].type : HGQ_NULL;
}

long hgq_table_find_column(const hgq_table *t, const char *name)
{
    size_t i;
    if (!name)
        return -1;
    for (i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return (long)i;
    return -1;
}

hgq_status hgq_table_add_column(hgq_table *t, const char *name, hgq_vtype type,
                                size_t *index, hgq_error *err)
{
    column *c;
    if (!name || !*name)
        return hgq_error_set(err, HGQ_EARG, "column name is empty");
    if (hgq_table_find_column(t, name) >= 0)
        return hgq_error_set(err, HGQ_EARG, "table '%s' already has a column '%s'", t->name, name);
    if (t->ncols == t->colcap) {
        size_t cap = t->colcap ? t->colcap * 2 : 8;
        column *nc = realloc(t->cols, cap * sizeof *nc);
        if (!nc)
            return hgq_error_set(err, HGQ_ENOMEM, NULL);
        t->cols = nc;
        t->colcap = cap;
    }
    c = &t->cols[t->ncols];
    memset(c, 0, sizeof *c);
    c->name = hgq_strdup(name);
    c->type = type;
    if (!c->name)
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    if (t->rowcap) {
        c->vals = calloc(t->rowcap, sizeof *c->vals);
        if (!c->vals) {
            free(c->name);
            return hgq_error_set(err, HGQ_ENOMEM, NULL);
        }
    }
    /* a column starts encoded, every row missing; failing to set that up
     * only leaves it unencoded */
    c->dict = calloc(1, sizeof *c->dict);
    if (c->dict && t->rowcap && !(c->dict->codes = calloc(t->rowcap, sizeof *c->dict->codes)))
        dict_drop(c);
    if (index)
        *index = t->ncols;
    t->ncols++;
    return HGQ_OK;
}

static int grow_rows(hgq_table *t)
{
    size_t cap = t->rowcap ? t->rowcap * 2 : 64, i;
    for (i = 0; i < t->ncols; i++) {
        column *c = &t->cols[i];
        hgq_value *nv = realloc(c->vals, cap * sizeof *nv);
        if (!nv)
            return -1;
        memset(nv + t->rowcap, 0, (cap - t->rowcap) * sizeof *nv);
        c->vals = nv;
        if (c->dict) {
            uint16_t *nc = realloc(c->dict->codes, cap * sizeof *nc);
            if (!nc) {
                dict_drop(c);
            } else {
                memset(nc + t->rowcap, 0, (cap - t->rowcap) * sizeof *nc);
                c->dict->codes = nc;
            }
        }
        if (c->orig) {
            packed_origin *no = realloc(c->orig, cap * sizeof *no);
            if (!no)
                return -1;
            memset(no + t->rowcap, 0, (cap - t->rowcap) * sizeof *no);
            c->orig = no;
        }
    }
    if (t->row_orig) {
        packed_origin *no = realloc(t->row_orig, cap * sizeof *no);
        if (!no)
            return -1;
        memset(no + t->rowcap, 0, (cap - t->rowcap) * sizeof *no);
        t->row_orig = no;
    }
    t->rowcap = cap;
    return 0;
}

hgq_status hgq_table_append_row(hgq_table *t, size_t *row, hgq_error *err)
{
    if (t->nrows == t->rowcap && grow_rows(t))
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    if (row)
        *row = t->nrows;
    t->nrows++;
    return HGQ_OK;
}

hgq_status hgq_table_set(hgq_table *t, size_t row, size_t col,
                         const hgq_value *v, hgq_error *err)
{
    hgq_value nv;
    int shared = 1;
    if (row >= t->nrows || col >= t->ncols)
        return hgq_error_set(err, HGQ_EARG, "cell (%zu, %zu) is outside table '%s'", row, col, t->name);
    nv = *v;
    if (nv.type == HGQ_TEXT) {
        if (!nv.u.s) {
            nv = null_value;
        } else {
            nv.u.s = intern(t, nv.u.s, &shared);
            if (!nv.u.s)
                return hgq_error_set(err, HGQ_ENOMEM, NULL);
        }
    }
    t->cols[col].vals[row] = nv;
    dict_set(&t->cols[col], row, &nv, shared);
    return HGQ_OK;
}

const hgq_value *hgq_table_get(const hgq_table *t, size_t row, size_t col)
{
    if (row >= t->nrows || col >= t->ncols)
        return &null_value;
    return &t->cols[col].vals[row];
}

long hgq_table_column_levels(const hgq_table *t, size_t col)
{
    if (col >= t->ncols || !t->cols[col].dict)
        return -1;
    return (long)t->cols[col].dict->used;
}

int hgq_table_levels(const hgq_table *t, size_t col, hgq_levels *out)
{
    const coldict *d;
    if (col >= t->ncols || !(d = t->cols[col].dict))
        return 0;
    out->codes = d->codes;
    out->levels = d->levels;
    out->refs = d->refs;
    out->n = d->n;
    return 1;
}

const hgq_value *hgq_table_get_by_name(const hgq_table *t, size_t row, const char *name)
{
    long c = hgq_table_find_column(t, name);
    return c < 0 ? &null_value : hgq_table_get(t, row, (size_t)c);
}

/* Index + 1 of the (file, sheet) source, added if new; 0 when out of memory. */
static uint32_t source_index(hgq_table *t, const char *file, const char *sheet)
{
    size_t i;
    const char *f, *s;
    for (i = t->nsources; i-- > 0;) {
        const source *src = &t->sources[i];
        if (strcmp(src->file, file) == 0 &&
            ((src->sheet == NULL && sheet == NULL) ||
             (src->sheet && sheet && strcmp(src->sheet, sheet) == 0)))
            return (uint32_t)i + 1;
    }
    if (t->nsources >= UINT32_MAX - 1)
        return 0;
    if (t->nsources == t->srccap) {
        size_t cap = t->srccap ? t->srccap * 2 : 4;
        source *ns = realloc(t->sources, cap * sizeof *ns);
        if (!ns)
            return 0;
        t->sources = ns;
        t->srccap = cap;
    }
    f = hgq_table_intern(t, file);
    s = sheet ? hgq_table_intern(t, sheet) : NULL;
    if (!f || (sheet && !s))
        return 0;
    t->sources[t->nsources].file = f;
    t->sources[t->nsources].sheet = s;
    return (uint32_t)++t->nsources;
}

static hgq_status pack_origin(hgq_table *t, const hgq_origin *o, packed_origin *out,
                              hgq_error *err)
{
    if (!o || !o->file) {
        memset(out, 0, sizeof *out);
        return HGQ_OK;
    }
    out->src = source_index(t, o->file, o->sheet);
    if (!out->src)
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    out->row = o->row;
    out->col = o->col;
    return HGQ_OK;
}

hgq_status hgq_table_set_origin(hgq_table *t, size_t row, size_t col,
                                const hgq_origin *o, hgq_error *err)
{
    column *c;
    if (row >= t->nrows || col >= t->ncols)
        return hgq_error_set(err, HGQ_EARG, "cell (%zu, %zu) is outside table '%s'", row, col, t->name);
    c = &t->cols[col];
    if (!c->orig) {
        c->orig = calloc(t->rowcap, sizeof *c->orig);
        if (!c->orig)
            return hgq_error_set(err, HGQ_ENOMEM, NULL);
    }
    return pack_origin(t, o, &c->orig[row], err);
}

hgq_status hgq_table_set_row_origin(hgq_table *t, size_t row, const hgq_origin *o,
                                    hgq_error *err)
{
    if (row >= t->nrows)
        return hgq_error_set(err, HGQ_EARG, "row %zu is outside table '%s'", row, t->name);
    if (!t->row_orig) {
        t->row_orig = calloc(t->rowcap, sizeof *t->row_orig);
        if (!t->row_orig)
            return hgq_error_set(err, HGQ_ENOMEM, NULL);
    }
    return pack_origin(t, o, &t->row_orig[row], err);
}

int hgq_table_origin(const hgq_table *t, size_t row, size_t col, hgq_origin *out)
{
    const packed_origin *p = NULL;
    if (row >= t->nrows)
        return 0;
    if (col < t->ncols && t->cols[col].orig && t->cols[col].orig[row].src)
        p = &t->cols[col].orig[row];
    if (p) {
        out->col = p->col;
    } else if (t->row_orig && t->row_orig[row].src) {
        p = &t->row_orig[row];
        out->col = HGQ_WHOLE_ROW;
    } else {
        return 0;
    }
    out->file = t->sources[p->src - 1].file;
    out->sheet = t->sources[p->src - 1].sheet;
    out->row = p->row;
    return 1;
}

hgq_status hgq_table_set_meta(hgq_table *t, const char *key, const char *value,
                              hgq_error *err)
{
    size_t i;
    const char *v = NULL;
    if (!key)
        return hgq_error_set(err, HGQ_EARG, "metadata key is NULL");
    if (value && !(v = hgq_arena_strdup(&t->arena, value)))
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    for (i = 0; i < t->nmeta; i++) {
        if (strcmp(t->metas[i].key, key) == 0) {
            if (v) {
                t->metas[i].value = v;
            } else {
                t->metas[i] = t->metas[--t->nmeta];
            }
            return HGQ_OK;
        }
    }
    if (!v)
        return HGQ_OK;
    if (t->nmeta == t->metacap) {
        size_t cap = t->metacap ? t->metacap * 2 : 4;
        meta *nm = realloc(t->metas, cap * sizeof *nm);
        if (!nm)
            return hgq_error_set(err, HGQ_ENOMEM, NULL);
        t->metas = nm;
        t->metacap = cap;
    }
    t->metas[t->nmeta].key = hgq_arena_strdup(&t->arena, key);
    if (!t->metas[t->nmeta].key)
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    t->metas[t->nmeta].value = v;
    t->nmeta++;
    return HGQ_OK;
}

const char *hgq_table_meta(const hgq_table *t, const char *key)
{
    size_t i;
    for (i = 0; key && i < t->nmeta; i++)
        if (strcmp(t->metas[i].key, key) == 0)
            return t->metas[i].value;
    return NULL;
}

size_t hgq_origin_format(const hgq_origin *o, char *buf, size_t size)
{
    hgq_buf b;
    size_t n;
    const char *base;
    hgq_buf_init(&b);
    if (!o || !o->file) {
        hgq_buf_append_str(&b, "");
    } else {
        base = strrchr(o->file, '/');
        base = base ? base + 1 : o->file;
        hgq_buf_append_str(&b, base);
        if (o->sheet)
            hgq_buf_printf(&b, " %s", o->sheet);
        if (o->col == HGQ_WHOLE_ROW) {
            hgq_buf_printf(&b, " 第%lu行", (unsigned long)o->row + 1);
        } else {
            char ref[16];
            hgq_ref_format(o->row, o->col, ref, sizeof ref);
            hgq_buf_printf(&b, "!%s", ref);
        }
    }
    n = b.len;
    if (buf && size) {
        size_t c = n < size - 1 ? n : size - 1;
        if (b.data)
            memcpy(buf, b.data, c);
        buf[c] = '\0';
    }
    hgq_buf_free(&b);
    return n;
}
