/*
 * dataset.c - one school's tables, sources and findings for a report year.
 *
 * Findings and sources keep their strings in the dataset's arena; tables
 * own their own storage. Finding origins point at arena copies of the file
 * and sheet names, so a finding stays valid after the table it was raised
 * on is dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct prop {
    char *key;
    char *value;
} prop;

struct hgq_dataset {
    int year;
    double as_of;
    hgq_table **tables;
    size_t ntables, tabcap;
    hgq_source *sources;
    size_t nsources, srccap;
    hgq_finding *findings;
    size_t nfindings, findcap;
    prop *props;
    size_t nprops, propcap;
    hgq_arena arena;
};

hgq_dataset *hgq_dataset_new(int year, double as_of)
{
    hgq_dataset *ds = calloc(1, sizeof *ds);
    if (!ds)
        return NULL;
    ds->year = year;
    ds->as_of = as_of != 0 ? as_of : hgq_date_from_ymd(year, 12, 31);
    hgq_arena_init(&ds->arena);
    return ds;
}

void hgq_dataset_free(hgq_dataset *ds)
{
    size_t i;
    if (!ds)
        return;
    for (i = 0; i < ds->ntables; i++)
        hgq_table_free(ds->tables[i]);
    for (i = 0; i < ds->nprops; i++) {
        free(ds->props[i].key);
        free(ds->props[i].value);
    }
    free(ds->props);
    free(ds->tables);
    free(ds->sources);
    free(ds->findings);
    hgq_arena_free(&ds->arena);
    free(ds);
}

int hgq_dataset_year(const hgq_dataset *ds) { return ds->year; }
double hgq_dataset_as_of(const hgq_dataset *ds) { return ds->as_of; }

hgq_status hgq_dataset_set_property(hgq_dataset *ds, const char *key,
                                    const char *value, hgq_error *err)
{
    size_t i;
    char *v = NULL;
    if (!key)
        return hgq_error_set(err, HGQ_EARG, "property key is NULL");
    if (value && !(v = hgq_strdup(value)))
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    for (i = 0; i < ds->nprops; i++) {
        if (strcmp(ds->props[i].key, key) == 0) {
            free(ds->props[i].value);
            if (v) {
                ds->props[i].value = v;
            } else {
                free(ds->props[i].key);
                ds->props[i] = ds->props[--ds->nprops];
            }
            return HGQ_OK;
        }
    }
    if (!v)
        return HGQ_OK;
    if (ds->nprops == ds->propcap) {
        size_t cap = ds->propcap ? ds->propcap * 2 : 8;
        prop *np = realloc(ds->props, cap * sizeof *np);
        if (!np) {
            free(v);
            return hgq_error_set(err, HGQ_ENOMEM, NULL);
        }
        ds->props = np;
        ds->propcap = cap;
    }
    ds->props[ds->nprops].key = hgq_strdup(key);
    if (!ds->props[ds->nprops].key) {
        free(v);
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    }
    ds->props[ds->nprops].value = v;
    ds->nprops++;
    return HGQ_OK;
}

const char *hgq_dataset_property(const hgq_dataset *ds, const char *key)
{
    size_t i;
    for (i = 0; key && i < ds->nprops; i++)
        if (strcmp(ds->props[i].key, key) == 0)
            return ds->props[i].value;
    return NULL;
}

hgq_status hgq_dataset_add_table(hgq_dataset *ds, hgq_table *t, hgq_error *err)
{
    if (!t)
        return hgq_error_set(err, HGQ_EARG, "table is NULL");
    if (hgq_dataset_table(ds, hgq_table_name(t))) {
        hgq_status st = hgq_error_set(err, HGQ_EARG, "dataset already has a table '%s'",
                                      hgq_table_name(t));
        hgq_table_free(t);
        return st;
    }
    if (ds->ntables == ds->tabcap) {
        size_t cap = ds->tabcap ? ds->tabcap * 2 : 16;
        hgq_table **nt = realloc(ds->tables, cap * sizeof *nt);
        if (!nt) {
            hgq_table_free(t);
            return hgq_error_set(err, HGQ_ENOMEM, NULL);
        }
        ds->tables = nt;
        ds->tabcap = cap;
    }
    ds->tables[ds->ntables++] = t;
    return HGQ_OK;
}

hgq_table *hgq_dataset_table(const hgq_dataset *ds, const char *name)
{
    size_t i;
    for (i = 0; name && i < ds->ntables; i++)
        if (strcmp(hgq_table_name(ds->tables[i]), name) == 0)
            return ds->tables[i];
    return NULL;
}

int hgq_dataset_drop_table(hgq_dataset *ds, const char *name)
{
    size_t i;
    for (i = 0; name && i < ds->ntables; i++) {
        if (strcmp(hgq_table_name(ds->tables[i]), name) == 0) {
            hgq_table_free(ds->tables[i]);
            memmove(&ds->tables[i], &ds->tables[i + 1], (ds->ntables - i - 1) * sizeof *ds->tables);
            ds->ntables--;
            return 1;
        }
    }
    return 0;
}

size_t hgq_dataset_table_count(const hgq_dataset *ds) { return ds->ntables; }

hgq_table *hgq_dataset_table_at(const hgq_dataset *ds, size_t index)
{
    return index < ds->ntables ? ds->tables[index] : NULL;
}

/* {====================================================================
 * Sources
 * ===================================================================== */

hgq_status hgq_dataset_add_source(hgq_dataset *ds, const hgq_source *src, hgq_error *err)
{
    hgq_source *s;
    if (ds->nsources == ds->srccap) {
        size_t cap = ds->srccap ? ds->srccap * 2 : 8;
        hgq_source *ns = realloc(ds->sources, cap * sizeof *ns);
        if (!ns)
            return hgq_error_set(err, HGQ_ENOMEM, NULL);
        ds->sources = ns;
        ds->srccap = cap;
    }
    s = &ds->sources[ds->nsources];
    *s = *src;
    s->file = hgq_arena_strdup(&ds->arena, src->file ? src->file : "");
    s->sheet = hgq_arena_strdup(&ds->arena, src->sheet ? src->sheet : "");
    s->entity = hgq_arena_strdup(&ds->arena, src->entity ? src->entity : "");
    if (!s->file || !s->sheet || !s->entity)
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    ds->nsources++;
    return HGQ_OK;
}

size_t hgq_dataset_source_count(const hgq_dataset *ds) { return ds->nsources; }

const hgq_source *hgq_dataset_source(const hgq_dataset *ds, size_t index)
{
    return index < ds->nsources ? &ds->sources[index] : NULL;
}

/* }==================================================================== */

/* {====================================================================
 * Findings
 * ===================================================================== */

const char *hgq_severity_name(hgq_severity sev)
{
    switch (sev) {
    case HGQ_SEV_ERROR: return "错误";
    case HGQ_SEV_WARNING: return "警告";
    default: return "提示";
    }
}

static int copy_origin(hgq_arena *a, const hgq_origin *in, hgq_origin *out)
{
    memset(out, 0, sizeof *out);
    if (!in || !in->file)
        return 0;
    out->file = hgq_arena_strdup(a, in->file);
    out->sheet = in->sheet ? hgq_arena_strdup(a, in->sheet) : NULL;
    out->row = in->row;
    out->col = in->col;
    return out->file && (!in->sheet || out->sheet) ? 0 : -1;
}

/* Drops the bytes of invalid UTF-8 sequences in place. Messages quote cell
 * text through fixed-size buffers that may cut a character in two; a finding
 * must still be valid text for the workbook and for people. */
static void utf8_repair(char *s)
{
    size_t len = strlen(s), i = 0, j = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = (unsigned char)s[i] < 0x80 ? 1 : hgq_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            i++;
            continue;
        }
        memmove(s + j, s + i, n);
        i += n;
        j += n;
    }
    s[j] = '\0';
}

hgq_status hgq_dataset_add_finding(hgq_dataset *ds, hgq_severity sev,
                                   const char *code, const char *entity,
                                   const char *field, const hgq_origin *where,
                                   const hgq_origin *other, const char *fmt, ...)
{
    hgq_finding *f;
    char *msg;
    va_list ap;
    int n;
    if (ds->nfindings == ds->findcap) {
        size_t cap = ds->findcap ? ds->findcap * 2 : 32;
        hgq_finding *nf = realloc(ds->findings, cap * sizeof *nf);
        if (!nf)
            return HGQ_ENOMEM;
        ds->findings = nf;
        ds->findcap = cap;
    }
    /* The message is as long as it needs to be: it may quote a cell's text. */
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt ? fmt : "", ap);
    va_end(ap);
    if (n < 0 || !(msg = hgq_arena_alloc(&ds->arena, (size_t)n + 1)))
        return HGQ_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(msg, (size_t)n + 1, fmt ? fmt : "", ap);
    va_end(ap);
    utf8_repair(msg);
    f = &ds->findings[ds->nfindings];
    memset(f, 0, sizeof *f);
    f->severity = sev;
    f->code = hgq_arena_strdup(&ds->arena, code ? code : "");
    f->message = msg;
    f->entity = entity ? hgq_arena_strdup(&ds->arena, entity) : NULL;
    f->field = field ? hgq_arena_strdup(&ds->arena, field) : NULL;
    if (!f->code || !f->message || (entity && !f->entity) || (field && !f->field) ||
        copy_origin(&ds->arena, where, &f->where) || copy_origin(&ds->arena, other, &f->other))
        return HGQ_ENOMEM;
    ds->nfindings++;
    return HGQ_OK;
}

size_t hgq_dataset_finding_count(const hgq_dataset *ds) { return ds->nfindings; }

const hgq_finding *hgq_dataset_finding(const hgq_dataset *ds, size_t index)
{
    return index < ds->nfindings ? &ds->findings[index] : NULL;
}

static int cmp_str0(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_finding(const void *pa, const void *pb)
{
    const hgq_finding *a = pa, *b = pb;
    int c;
    if (a->severity != b->severity)
        return (int)a->severity - (int)b->severity;
    if ((c = cmp_str0(a->where.file, b->where.file)) != 0)
        return c;
    if ((c = cmp_str0(a->where.sheet, b->where.sheet)) != 0)
        return c;
    if (a->where.row != b->where.row)
        return a->where.row < b->where.row ? -1 : 1;
    if (a->where.col != b->where.col)
        return a->where.col < b->where.col ? -1 : 1;
    return cmp_str0(a->code, b->code);
}

void hgq_dataset_sort_findings(hgq_dataset *ds)
{
    /* qsort is not stable; ties are broken by code above, which is enough
     * for a readable list. */
    if (ds->nfindings > 1)
        qsort(ds->findings, ds->nfindings, sizeof *ds->findings, cmp_finding);
}

void hgq_dataset_clear_findings(hgq_dataset *ds, const char *prefix)
{
    size_t i, j = 0, n = prefix ? strlen(prefix) : 0;
    for (i = 0; i < ds->nfindings; i++) {
        if (prefix && strncmp(ds->findings[i].code, prefix, n) != 0)
            ds->findings[j++] = ds->findings[i];
    }
    ds->nfindings = j;
}

/* }==================================================================== */
