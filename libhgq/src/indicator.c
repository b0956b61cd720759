/*
 * indicator.c - the indicator catalogue: definitions (parsed and checked
 * when added), evaluation on a dataset with history and thresholds, and the
 * results object.
 *
 * Evaluation is lazy and memoised per context. A context is a dataset at a
 * year: the report year on the dataset, last year on last year's dataset
 * (when given), and last year on the report's own dataset, where only
 * "timed" definitions apply (published 表5/表6 tables, records that carry a
 * year). An indicator is computed from the first definition of its chosen
 * variant that has all its inputs; when none has, the result names the
 * input the primary definition lacked.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indicator_internal.h"

/* {====================================================================
 * Names
 * ===================================================================== */

static const char *const kind_names[] = {"count", "sum", "field", "aggregate",
                                         "ratio", "expr", "func", "provided"};
static const char *const format_names[] = {"number", "percent", "ratio", "ratio_inv"};

const char *hgq_ind_kind_name(hgq_ind_kind kind)
{
    return kind >= HGQ_IND_COUNT && kind <= HGQ_IND_PROVIDED ? kind_names[kind] : "?";
}

int hgq_ind_kind_parse(const char *name, hgq_ind_kind *out)
{
    int i;
    for (i = 0; name && i <= HGQ_IND_PROVIDED; i++)
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (hgq_ind_kind)i;
            return 1;
        }
    return 0;
}

const char *hgq_format_name(hgq_format fmt)
{
    return fmt >= HGQ_FMT_NUMBER && fmt <= HGQ_FMT_RATIO_INV ? format_names[fmt] : "?";
}

int hgq_format_parse(const char *name, hgq_format *out)
{
    int i;
    for (i = 0; name && i <= HGQ_FMT_RATIO_INV; i++)
        if (strcmp(name, format_names[i]) == 0) {
            *out = (hgq_format)i;
            return 1;
        }
    return 0;
}

const char *hgq_entity_label(const char *entity)
{
    static const struct { const char *id, *zh; } names[] = {
        {"school", "学校基本情况"}, {"major", "专业"}, {"student", "学生名册"},
        {"graduate", "毕业生去向"}, {"staff", "教职工"}, {"partner", "合作企业"},
        {"award", "竞赛获奖"}, {"certification", "技能等级认定"}, {"aid", "学生资助"},
        {"training", "社会培训"}, {"event", "大事记"}, {"pub_new_students", "表2 新生人数"},
        {"pub_teachers", "表3 专任教师"}, {"pub_certifications", "表5 技能等级认定"},
        {"pub_aid", "表6 学生资助"}, {"pub_partners", "表4 校企合作"},
    };
    size_t i;
    for (i = 0; entity && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].id, entity) == 0)
            return names[i].zh;
    return entity ? entity : "";
}

/* }==================================================================== */

/* {====================================================================
 * Catalogue and definitions
 * ===================================================================== */

hgq_catalogue *hgq_catalogue_new_empty(void)
{
    hgq_catalogue *cat = calloc(1, sizeof *cat);
    if (!cat)
        return NULL;
    hgq_arena_init(&cat->arena);
    hgq_strmap_init(&cat->ind_map);
    return cat;
}

hgq_catalogue *hgq_catalogue_new(void)
{
    hgq_catalogue *cat = hgq_catalogue_new_empty();
    if (cat && hgq_catalogue_add_builtins(cat, NULL) != HGQ_OK) {
        hgq_catalogue_free(cat);
        return NULL;
    }
    return cat;
}

void hgq_catalogue_free(hgq_catalogue *cat)
{
    size_t i;
    if (!cat)
        return;
    for (i = 0; i < cat->ninds; i++)
        free(cat->inds[i].defs);
    free(cat->inds);
    free(cat->defs);
    free(cat->ths);
    hgq_strmap_free(&cat->ind_map);
    hgq_arena_free(&cat->arena);
    free(cat);
}

static int is_id_char(char c, int first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && ((c >= '0' && c <= '9') || c == '.'));
}

static char *trim_copy(hgq_arena *a, const char *s, size_t len)
{
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return hgq_arena_strndup(a, s, len);
}

static int valid_token(const char *s)
{
    return strcmp(s, "$year") == 0 || strcmp(s, "$prev") == 0 || strcmp(s, "$grad_year") == 0;
}

/* Parses "f1=v1;f2!=a|b;year<=$year" into conditions in the arena. */
static hgq_status parse_where(hgq_arena *a, const char *id, const char *where,
                              ind_cond **out, size_t *n, hgq_error *err)
{
    size_t cap = 1, k = 0;
    const char *p;
    ind_cond *conds;
    *out = NULL;
    *n = 0;
    if (!where || !*where)
        return HGQ_OK;
    for (p = where; *p; p++)
        cap += *p == ';';
    if (!(conds = hgq_arena_alloc(a, cap * sizeof *conds)))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    p = where;
    while (*p) {
        size_t len = strcspn(p, ";"), opos, oplen = 1, i, nalts = 1;
        const char *part = p, *v;
        char opbuf[3];
        ind_cond *c;
        char *value;
        p += len;
        if (*p == ';')
            p++;
        while (len && (*part == ' ' || *part == '\t')) {
            part++;
            len--;
        }
        if (!len)
            continue;
        for (opos = 0; opos < len && !strchr("!<>=", part[opos]); opos++)
            ;
        if (opos == len || opos == 0)
            return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': condition '%.*s' has no field or operator",
                                 id, (int)len, part);
        if (opos + 1 < len && (part[opos + 1] == '=' || (part[opos] == '<' && part[opos + 1] == '>')))
            oplen = 2;
        memcpy(opbuf, part + opos, oplen);
        opbuf[oplen] = '\0';
        c = &conds[k];
        memset(c, 0, sizeof *c);
        if (!hgq_op_parse(opbuf, &c->op))
            return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': bad operator '%s'", id, opbuf);
        c->field = trim_copy(a, part, opos);
        value = trim_copy(a, part + opos + oplen, len - opos - oplen);
        if (!c->field || !value)
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        if (!*c->field || !*value)
            return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': condition '%.*s' lacks a field or a value",
                                 id, (int)len, part);
        for (v = value; *v; v++)
            nalts += *v == '|';
        if (nalts > 1) {
            if (c->op != HGQ_OP_EQ && c->op != HGQ_OP_NE)
                return hgq_error_set(err, HGQ_ESCHEMA,
                                     "indicator '%s': alternatives '|' need = or != in '%.*s'", id,
                                     (int)len, part);
            c->op = c->op == HGQ_OP_EQ ? HGQ_OP_IN : HGQ_OP_NOT_IN;
        }
        if (!(c->alts = hgq_arena_alloc(a, nalts * sizeof *c->alts)))
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        v = value;
        for (i = 0; i < nalts; i++) {
            size_t l = strcspn(v, "|");
            char *alt = trim_copy(a, v, l);
            if (!alt)
                return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            if (!*alt)
                return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': empty value in '%.*s'", id,
                                     (int)len, part);
            if (alt[0] == '$') {
                if (!valid_token(alt))
                    return hgq_error_set(err, HGQ_ESCHEMA,
                                         "indicator '%s': unknown token '%s' (use $year, $prev or $grad_year)",
                                         id, alt);
                c->timed = 1;
            }
            c->alts[i] = alt;
            v += l;
            if (*v == '|')
                v++;
        }
        c->nalts = nalts;
        k++;
    }
    *out = conds;
    *n = k;
    return HGQ_OK;
}

/* Parses "a + 0.5*b - c" into terms in the arena. */
static hgq_status parse_expr(hgq_arena *a, const char *id, const char *what, const char *expr,
                             ind_term **out, size_t *n, hgq_error *err)
{
    size_t cap = 1, k = 0;
    const char *p;
    ind_term *terms;
    *out = NULL;
    *n = 0;
    if (!expr || !*expr)
        return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': empty %s", id, what);
    for (p = expr; *p; p++)
        cap += *p == '+' || *p == '-';
    if (!(terms = hgq_arena_alloc(a, cap * sizeof *terms)))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    p = expr;
    for (;;) {
        double sign = 1, coef = 1;
        const char *start;
        while (*p == ' ')
            p++;
        if (k > 0 || *p == '+' || *p == '-') {
            if (*p == '-')
                sign = -1;
            else if (*p != '+')
                goto bad;
            p++;
            while (*p == ' ')
                p++;
        }
        if ((*p >= '0' && *p <= '9') || *p == '.') {
            char *end;
            coef = strtod(p, &end);
            if (end == p || !isfinite(coef))
                goto bad;
            p = end;
            while (*p == ' ')
                p++;
            if (*p != '*')
                goto bad;
            p++;
            while (*p == ' ')
                p++;
        }
        start = p;
        if (!is_id_char(*p, 1))
            goto bad;
        while (is_id_char(*p, 0))
            p++;
        if (!(terms[k].id = hgq_arena_strndup(a, start, (size_t)(p - start))))
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        while (*p == ' ')
            p++;
        if (*p == '*') {
            char *end;
            double c2;
            p++;
            while (*p == ' ')
                p++;
            c2 = strtod(p, &end);
            if (end == p || !isfinite(c2))
                goto bad;
            coef *= c2;
            p = end;
            while (*p == ' ')
                p++;
        }
        terms[k].coef = sign * coef;
        k++;
        if (!*p)
            break;
        if (k >= cap)
            goto bad;
    }
    *out = terms;
    *n = k;
    return HGQ_OK;
bad:
    return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': cannot read %s '%s' near '%s'", id,
                         what, expr, p);
}

static const char *adup(hgq_arena *a, const char *s, const char *dflt)
{
    return hgq_arena_strdup(a, s ? s : dflt);
}

static hgq_status check_def(const hgq_indicator_def *d, hgq_error *err)
{
    const char *p;
    if (!d || !d->id || !*d->id)
        return hgq_error_set(err, HGQ_ESCHEMA, "indicator without an id");
    for (p = d->id; *p; p++)
        if (!is_id_char(*p, p == d->id))
            return hgq_error_set(err, HGQ_ESCHEMA,
                                 "indicator id '%s': use letters, digits, '_' and '.'", d->id);
    if (d->kind < HGQ_IND_COUNT || d->kind > HGQ_IND_PROVIDED)
        return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': unknown kind", d->id);
    if (d->format < HGQ_FMT_NUMBER || d->format > HGQ_FMT_RATIO_INV)
        return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': unknown format", d->id);
    switch (d->kind) {
    case HGQ_IND_COUNT:
    case HGQ_IND_AGGREGATE:
        if (!d->entity || !*d->entity)
            return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': %s needs an entity", d->id,
                                 hgq_ind_kind_name(d->kind));
        break;
    case HGQ_IND_SUM:
    case HGQ_IND_FIELD:
        if (!d->entity || !*d->entity || !d->field || !*d->field)
            return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': %s needs an entity and a field",
                                 d->id, hgq_ind_kind_name(d->kind));
        break;
    case HGQ_IND_RATIO:
        if (!d->num || !d->den)
            return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': ratio needs num and den", d->id);
        break;
    case HGQ_IND_EXPR:
        if (!d->num)
            return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': expr needs num", d->id);
        break;
    case HGQ_IND_FUNC:
        if (!d->fn)
            return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': func needs a callback", d->id);
        break;
    case HGQ_IND_PROVIDED:
        break;
    }
    if (!isfinite(d->scale))
        return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s': scale is not finite", d->id);
    return HGQ_OK;
}

static hgq_status grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need > *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        void *p;
        while (ncap < need)
            ncap *= 2;
        if (!(p = realloc(*arr, ncap * elem)))
            return HGQ_ENOMEM;
        *arr = p;
        *cap = ncap;
    }
    return HGQ_OK;
}

hgq_status hgq_catalogue_add(hgq_catalogue *cat, const hgq_indicator_def *def,
                             hgq_error *err)
{
    hgq_arena *a;
    ind_def *d;
    ind_entry *e;
    const hgq_indicator_def *first = NULL;
    size_t idx;
    hgq_status st;
    if (!cat)
        return hgq_error_set(err, HGQ_EARG, "no catalogue");
    if ((st = check_def(def, err)))
        return st;
    a = &cat->arena;
    if (!(d = hgq_arena_alloc(a, sizeof *d)))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    memset(d, 0, sizeof *d);
    if (hgq_strmap_get(&cat->ind_map, def->id, &idx))
        first = &cat->defs[cat->inds[idx].defs[0]]->def;
    d->def = *def;
    d->def.id = hgq_arena_strdup(a, def->id);
    d->def.variant = adup(a, def->variant, "");
    d->def.variant_name = adup(a, def->variant_name, first && !def->variant_name &&
                                   strcmp(first->variant, def->variant ? def->variant : "") == 0
                                   ? first->variant_name : "");
    d->def.name_zh = adup(a, def->name_zh, first ? first->name_zh : def->id);
    d->def.name_en = adup(a, def->name_en, first ? first->name_en : "");
    d->def.unit = adup(a, def->unit, first ? first->unit : "");
    d->def.group = adup(a, def->group, first ? first->group : "");
    d->def.definition = adup(a, def->definition, first ? first->definition : "");
    d->def.entity = def->entity ? hgq_arena_strdup(a, def->entity) : NULL;
    d->def.field = def->field ? hgq_arena_strdup(a, def->field) : NULL;
    d->def.where = def->where ? hgq_arena_strdup(a, def->where) : NULL;
    d->def.num = def->num ? hgq_arena_strdup(a, def->num) : NULL;
    d->def.den = def->den ? hgq_arena_strdup(a, def->den) : NULL;
    if (d->def.scale == 0)
        d->def.scale = 1;
    if (!d->def.id || !d->def.variant || !d->def.variant_name || !d->def.name_zh ||
        !d->def.name_en || !d->def.unit || !d->def.group || !d->def.definition ||
        (def->entity && !d->def.entity) || (def->field && !d->def.field) ||
        (def->where && !d->def.where) || (def->num && !d->def.num) || (def->den && !d->def.den))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    if ((st = parse_where(a, def->id, d->def.where, &d->conds, &d->nconds, err)))
        return st;
    if ((def->kind == HGQ_IND_RATIO || def->kind == HGQ_IND_EXPR) &&
        (st = parse_expr(a, def->id, "num", d->def.num, &d->num, &d->nnum, err)))
        return st;
    if (def->kind == HGQ_IND_RATIO &&
        (st = parse_expr(a, def->id, "den", d->def.den, &d->den, &d->nden, err)))
        return st;

    if (grow((void **)&cat->defs, &cat->defcap, cat->ndefs + 1, sizeof *cat->defs))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    if (!first) {
        if (grow((void **)&cat->inds, &cat->indcap, cat->ninds + 1, sizeof *cat->inds))
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        idx = cat->ninds;
        e = &cat->inds[idx];
        memset(e, 0, sizeof *e);
        e->id = d->def.id;
        e->default_variant = d->def.variant;
        if (hgq_strmap_put(&cat->ind_map, e->id, idx))
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        cat->ninds++;
    }
    e = &cat->inds[idx];
    if (grow((void **)&e->defs, &e->cap, e->ndefs + 1, sizeof *e->defs))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    d->ind = idx;
    e->defs[e->ndefs++] = cat->ndefs;
    cat->defs[cat->ndefs++] = d;
    return HGQ_OK;
}

size_t hgq_catalogue_count(const hgq_catalogue *cat)
{
    return cat ? cat->ninds : 0;
}

const char *hgq_catalogue_id(const hgq_catalogue *cat, size_t index)
{
    return cat && index < cat->ninds ? cat->inds[index].id : NULL;
}

size_t hgq_catalogue_def_count(const hgq_catalogue *cat)
{
    return cat ? cat->ndefs : 0;
}

const hgq_indicator_def *hgq_catalogue_def(const hgq_catalogue *cat, size_t index)
{
    return cat && index < cat->ndefs ? &cat->defs[index]->def : NULL;
}

static const ind_entry *find_entry(const hgq_catalogue *cat, const char *id)
{
    size_t idx;
    if (!cat || !id || !hgq_strmap_get(&cat->ind_map, id, &idx))
        return NULL;
    return &cat->inds[idx];
}

static const ind_def *first_of_variant(const hgq_catalogue *cat, const ind_entry *e,
                                       const char *variant)
{
    size_t i;
    for (i = 0; i < e->ndefs; i++) {
        const ind_def *d = cat->defs[e->defs[i]];
        if (strcmp(d->def.variant, variant) == 0)
            return d;
    }
    return NULL;
}

const hgq_indicator_def *hgq_catalogue_find(const hgq_catalogue *cat,
                                            const char *id, const char *variant)
{
    const ind_entry *e = find_entry(cat, id);
    const ind_def *d;
    if (!e)
        return NULL;
    d = first_of_variant(cat, e, variant ? variant : e->default_variant);
    return d ? &d->def : NULL;
}

hgq_status hgq_catalogue_set_variant(hgq_catalogue *cat, const char *id,
                                     const char *variant, hgq_error *err)
{
    const ind_entry *e = find_entry(cat, id);
    const ind_def *d;
    if (!e)
        return hgq_error_set(err, HGQ_ENOTFOUND, "no indicator '%s'", id ? id : "(null)");
    d = first_of_variant(cat, e, variant ? variant : "");
    if (!d)
        return hgq_error_set(err, HGQ_ENOTFOUND, "indicator '%s' has no variant '%s'", id,
                             variant ? variant : "");
    cat->inds[d->ind].default_variant = d->def.variant;
    return HGQ_OK;
}

const char *hgq_catalogue_variant(const hgq_catalogue *cat, const char *id)
{
    const ind_entry *e = find_entry(cat, id);
    return e ? e->default_variant : NULL;
}

/* }==================================================================== */

/* {====================================================================
 * Evaluation contexts
 * ===================================================================== */

/* Value of one indicator in one context. */
typedef struct ival {
    hgq_ind_value v;
    int period;
    const char *source;     /* table or "" */
    const ind_def *def;     /* definition used (the primary one when missing) */
    const char *note;       /* Chinese explanation when missing */
    int state;              /* 0 not yet, 1 in progress, 2 done */
} ival;

typedef struct ectx {
    const hgq_catalogue *cat;
    hgq_ind_context ic;
    int grad_year;
    int prev;               /* 1: a previous-year context */
    ival *vals;
    const char **variant;   /* per indicator */
    const hgq_eval_options *opt;
    hgq_arena *arena;       /* the results' arena */
    const hgq_schemas *schemas; /* for the Chinese names of fields, or NULL */
    /* conditions already decided for every record, shared by the
     * definitions that state them: key -> index into masks */
    hgq_strmap mask_of;
    hgq_arena mask_keys;
    unsigned char **masks;  /* one byte per record: 1 when it meets the condition */
    size_t nmasks, maskcap;
} ectx;

/* The Chinese name of a field of an entity ("图书册数"), else its id. */
static const char *field_label(const ectx *e, const char *entity, const char *field)
{
    hgq_schema *s;
    hgq_field_info fi;
    long i;
    if (e->schemas && entity && field && (s = hgq_schemas_get(e->schemas, entity)) &&
        (i = hgq_schema_find_field(s, field)) >= 0 && hgq_schema_field_info(s, (size_t)i, &fi) &&
        fi.label && *fi.label)
        return fi.label;
    return field ? field : "";
}

static const char *astr(hgq_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static const char *astr(hgq_arena *a, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    const char *s;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    s = hgq_arena_strdup(a, buf);
    return s ? s : "";
}

static void set_missing(ectx *e, ival *out, const char *input, const char *note)
{
    out->v.defined = 0;
    out->v.missing = input;
    out->note = note;
    (void)e;
}

/* The graduate cohort of a dataset at `year`: property grad_year, else the
 * latest grad_year not after `year`, else year - 1. */
static int find_grad_year(const hgq_dataset *ds, int year)
{
    const char *p = hgq_dataset_property(ds, "grad_year");
    const hgq_table *g = hgq_dataset_table(ds, "graduate");
    double d;
    int best = 0, found = 0;
    size_t r, n;
    long col;
    if (p && hgq_plain_number(p, &d))
        return (int)d;
    if (g && (col = hgq_table_find_column(g, "grad_year")) >= 0) {
        n = hgq_table_nrows(g);
        for (r = 0; r < n; r++) {
            const hgq_value *v = hgq_table_get(g, r, (size_t)col);
            double y;
            if ((hgq_value_number(v, &y) || (v->type == HGQ_TEXT && hgq_plain_number(v->u.s, &y))) &&
                y <= year && (!found || y > best)) {
                best = (int)y;
                found = 1;
            }
        }
    }
    return found ? best : year - 1;
}

static double shift_year(double serial, int years)
{
    hgq_datetime dt;
    hgq_date_to_parts(serial, &dt);
    dt.year += years;
    if (dt.month == 2 && dt.day == 29 && !hgq_date_valid(dt.year, 2, 29))
        dt.day = 28;
    return hgq_date_from_parts(&dt);
}

/* }==================================================================== */

/* {====================================================================
 * Conditions on records
 * ===================================================================== */

enum { RC_COL, RC_AGE_BAND, RC_AGE, RC_JOIN, RC_ABSENT };

typedef struct rcond {
    const ind_cond *c;
    int kind;
    long col;               /* column of the entity (the join key for RC_JOIN) */
    const hgq_table *jt;    /* joined table */
    long jcol;              /* field read in the joined table */
    hgq_strmap jmap;        /* key label -> row of jt */
    hgq_arena jkeys;        /* the labels in jmap */
    hgq_value *alts;
    char (*buf)[24];        /* resolved period tokens */
    const uint16_t *codes;  /* codes of the column the outcome depends on, or NULL */
    unsigned char *lut;     /* per code: RC_NO, RC_YES, or RC_ROW (test the record) */
    unsigned char always;   /* RC_ABSENT: the outcome for every record */
} rcond;

enum { RC_NO = 0, RC_YES = 1, RC_ROW = 2 };

static hgq_value literal(const ectx *e, const char *s, char *buf)
{
    if (s[0] == '$') {
        int y = strcmp(s, "$year") == 0 ? e->ic.year
              : strcmp(s, "$prev") == 0 ? e->ic.year - 1 : e->grad_year;
        snprintf(buf, 24, "%d", y);
        return hgq_text(buf);
    }
    if (strcmp(s, "NULL") == 0)
        return hgq_null();
    if (strcmp(s, "true") == 0)
        return hgq_bool(1);
    if (strcmp(s, "false") == 0)
        return hgq_bool(0);
    return hgq_text(s);
}

/* The value a condition tests on record r. */
static hgq_value rc_value(const ectx *e, const rcond *rc, const hgq_table *t, size_t r,
                          char *buf, size_t size)
{
    double birth;
    switch (rc->kind) {
    case RC_COL:
        return *hgq_table_get(t, r, (size_t)rc->col);
    case RC_AGE_BAND:
    case RC_AGE:
        if (hgq_stats_birth(t, r, NULL, NULL, &birth) != HGQ_BIRTH_NONE) {
            int age = hgq_age_years(birth, e->ic.as_of);
            const char *label;
            if (rc->kind == RC_AGE)
                return hgq_int(age);
            if (hgq_norm_age_band(age, &label) >= 0)
                return hgq_text(label);
        }
        return hgq_null();
    case RC_JOIN: {
        size_t jr;
        if (hgq_stats_label(hgq_table_get(t, r, (size_t)rc->col), buf, size) &&
            hgq_strmap_get(&rc->jmap, buf, &jr))
            return *hgq_table_get(rc->jt, jr, (size_t)rc->jcol);
        return hgq_null();
    }
    default:
        return hgq_null();
    }
}

static int rc_match(const ectx *e, const rcond *rc, const hgq_table *t, size_t r)
{
    char buf[256];
    hgq_value v = rc_value(e, rc, t, r, buf, sizeof buf);
    return hgq_value_matches(&v, rc->c->op, &rc->alts[0], rc->alts, rc->c->nalts);
}

static void rconds_free(rcond *rcs, size_t n)
{
    size_t i;
    if (!rcs)
        return;
    for (i = 0; i < n; i++) {
        hgq_strmap_free(&rcs[i].jmap);
        hgq_arena_free(&rcs[i].jkeys);
        free(rcs[i].alts);
        free(rcs[i].buf);
        free(rcs[i].lut);
    }
    free(rcs);
}

/*
 * Decides a condition once per level of the column it reads when that
 * column is encoded: a column's own values; for a join the key's levels
 * (each looked up once); for ages the birth date's levels (a record without
 * a usable birth date is tested on its own, from its ID number). Leaves
 * rc->codes NULL when records must be tested one by one. Returns -1 when
 * out of memory.
 */
static int rc_compile(const ectx *e, rcond *rc, const hgq_table *t)
{
    hgq_levels lv;
    long col;
    size_t i;
    if (rc->kind == RC_ABSENT) {
        hgq_value v = hgq_null();
        rc->always = (unsigned char)hgq_value_matches(&v, rc->c->op, &rc->alts[0], rc->alts, rc->c->nalts);
        return 0;
    }
    col = rc->kind == RC_AGE || rc->kind == RC_AGE_BAND ? hgq_table_find_column(t, "birth_date") : rc->col;
    if (col < 0 || !hgq_table_levels(t, (size_t)col, &lv))
        return 0;
    if (!(rc->lut = malloc(lv.n + 1)))
        return -1;
    for (i = 0; i <= lv.n; i++) {
        hgq_value missing = hgq_null(), v;
        const hgq_value *x = i ? &lv.levels[i - 1] : &missing;
        char buf[256];
        size_t jr;
        double birth;
        switch (rc->kind) {
        case RC_COL:
            v = *x;
            break;
        case RC_JOIN:
            v = hgq_stats_label(x, buf, sizeof buf) && hgq_strmap_get(&rc->jmap, buf, &jr)
                    ? *hgq_table_get(rc->jt, jr, (size_t)rc->jcol) : hgq_null();
            break;
        default: /* ages */
            if (hgq_birth_of(x, &missing, &birth) == HGQ_BIRTH_NONE) {
                rc->lut[i] = RC_ROW;
                continue;
            } else {
                int age = hgq_age_years(birth, e->ic.as_of);
                const char *label;
                v = rc->kind == RC_AGE ? hgq_int(age)
                  : hgq_norm_age_band(age, &label) >= 0 ? hgq_text(label) : hgq_null();
            }
            break;
        }
        rc->lut[i] = hgq_value_matches(&v, rc->c->op, &rc->alts[0], rc->alts, rc->c->nalts) ? RC_YES : RC_NO;
    }
    rc->codes = lv.codes;
    return 0;
}

/*
 * The records of t meeting condition rc, one byte each, computed once per
 * evaluation context and shared by every definition stating the same
 * condition on the same table (the context's year, reference date and
 * dataset fixed). NULL when out of memory; owned by the context.
 */
static const unsigned char *cond_mask(ectx *e, rcond *rc, const hgq_table *t)
{
    hgq_buf key;
    size_t r, i, nrows = hgq_table_nrows(t), idx;
    unsigned char *m = NULL;
    const char *k;
    hgq_buf_init(&key);
    if (hgq_buf_printf(&key, "%p\x1f%s\x1f%d", (const void *)t, rc->c->field, (int)rc->c->op))
        goto fail;
    for (i = 0; i < rc->c->nalts; i++)
        if (hgq_buf_printf(&key, "\x1f%s", rc->c->alts[i]))
            goto fail;
    if (hgq_strmap_get(&e->mask_of, key.data, &idx)) {
        hgq_buf_free(&key);
        return e->masks[idx];
    }
    if (rc_compile(e, rc, t) || !(m = malloc(nrows ? nrows : 1)))
        goto fail;
    if (rc->kind == RC_ABSENT) {
        memset(m, rc->always, nrows);
    } else if (rc->codes) {
        int later = 0;
        const uint16_t *codes = rc->codes;
        const unsigned char *lut = rc->lut;
        for (r = 0; r < nrows; r++)
            m[r] = lut[codes[r]];
        for (r = 0; r < nrows; r++)
            later |= m[r] == RC_ROW;
        for (r = 0; later && r < nrows; r++)
            if (m[r] == RC_ROW)
                m[r] = (unsigned char)rc_match(e, rc, t, r);
    } else {
        for (r = 0; r < nrows; r++)
            m[r] = (unsigned char)rc_match(e, rc, t, r);
    }
    if (e->nmasks == e->maskcap) {
        size_t cap = e->maskcap ? 2 * e->maskcap : 16;
        unsigned char **nm = realloc(e->masks, cap * sizeof *nm);
        if (!nm)
            goto fail;
        e->masks = nm;
        e->maskcap = cap;
    }
    if (!(k = hgq_arena_strdup(&e->mask_keys, key.data)) || hgq_strmap_put(&e->mask_of, k, e->nmasks))
        goto fail;
    e->masks[e->nmasks++] = m;
    hgq_buf_free(&key);
    return m;
fail:
    free(m);
    hgq_buf_free(&key);
    return NULL;
}

static int lit_is_null(const hgq_value *alts, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (alts[i].type != HGQ_NULL)
            return 0;
    return 1;
}

/*
 * Resolves the conditions of `d` on table t. Returns HGQ_OK with *missing
 * set (and the rest unusable) when an input is missing.
 */
static hgq_status rconds_resolve(ectx *e, const ind_def *d, const hgq_table *t, rcond **out,
                                 ival *res, int *missing, const unsigned char ***masks,
                                 hgq_error *err)
{
    rcond *rcs;
    size_t i, j, nrows = hgq_table_nrows(t);
    const char *entity = d->def.entity;
    *out = NULL;
    *missing = 0;
    if (!d->nconds)
        return HGQ_OK;
    if (!(rcs = calloc(d->nconds, sizeof *rcs)) || !(*masks = calloc(d->nconds, sizeof **masks))) {
        free(rcs);
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    }
    *out = rcs;
    for (i = 0; i < d->nconds; i++) {
        rcond *rc = &rcs[i];
        const ind_cond *c = &d->conds[i];
        const char *dot = strchr(c->field, '.');
        rc->c = c;
        hgq_strmap_init(&rc->jmap);
        hgq_arena_init(&rc->jkeys);
        rc->alts = calloc(c->nalts, sizeof *rc->alts);
        rc->buf = calloc(c->nalts, sizeof *rc->buf);
        if (!rc->alts || !rc->buf)
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        for (j = 0; j < c->nalts; j++)
            rc->alts[j] = literal(e, c->alts[j], rc->buf[j]);
        rc->col = hgq_table_find_column(t, c->field);
        if (rc->col >= 0) {
            rc->kind = RC_COL;
        } else if (strcmp(c->field, "age_band") == 0 || strcmp(c->field, "age") == 0) {
            rc->kind = strcmp(c->field, "age") == 0 ? RC_AGE : RC_AGE_BAND;
            if (hgq_table_find_column(t, "birth_date") < 0 && hgq_table_find_column(t, "id_number") < 0) {
                set_missing(e, res, astr(e->arena, "%s.birth_date", entity),
                            astr(e->arena, "缺少输入：%s的出生日期（或身份证号）", hgq_entity_label(entity)));
                *missing = 1;
                return HGQ_OK;
            }
        } else if (dot) {
            char tname[128], kname[140];
            size_t tl = (size_t)(dot - c->field);
            const char *jkey;
            long jk;
            if (tl >= sizeof tname)
                tl = sizeof tname - 1;
            memcpy(tname, c->field, tl);
            tname[tl] = '\0';
            rc->kind = RC_JOIN;
            rc->jt = hgq_dataset_table(e->ic.ds, tname);
            if (!rc->jt) {
                set_missing(e, res, astr(e->arena, "%s", tname),
                            astr(e->arena, "缺少输入：%s", hgq_entity_label(tname)));
                *missing = 1;
                return HGQ_OK;
            }
            snprintf(kname, sizeof kname, "%s_no", tname);
            if ((rc->col = hgq_table_find_column(t, tname)) >= 0)
                jkey = "name";
            else if ((rc->col = hgq_table_find_column(t, kname)) >= 0)
                jkey = kname;
            else
                jkey = NULL;
            jk = jkey ? hgq_table_find_column(rc->jt, jkey) : -1;
            rc->jcol = hgq_table_find_column(rc->jt, dot + 1);
            if (rc->col < 0 || jk < 0 || rc->jcol < 0) {
                set_missing(e, res, astr(e->arena, "%s", c->field),
                            astr(e->arena, "缺少输入：%s（无法关联%s与%s）", c->field,
                                 hgq_entity_label(entity), hgq_entity_label(tname)));
                *missing = 1;
                return HGQ_OK;
            }
            for (j = 0; j < hgq_table_nrows(rc->jt); j++) {
                char buf[256];
                const char *key;
                if (!hgq_stats_label(hgq_table_get(rc->jt, j, (size_t)jk), buf, sizeof buf) ||
                    hgq_strmap_get(&rc->jmap, buf, NULL))
                    continue;
                if (!(key = hgq_arena_strdup(&rc->jkeys, buf)) || hgq_strmap_put(&rc->jmap, key, j))
                    return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            }
        } else if (c->op == HGQ_OP_NE || c->op == HGQ_OP_NOT_IN) {
            rc->kind = RC_ABSENT; /* no column: every value missing, which "!=" accepts */
        } else {
            set_missing(e, res, astr(e->arena, "%s.%s", entity, c->field),
                        astr(e->arena, "缺少输入：%s的%s", hgq_entity_label(entity),
                             field_label(e, entity, c->field)));
            *missing = 1;
            return HGQ_OK;
        }
        /* A column that is missing throughout cannot say "= value". */
        if ((rc->kind == RC_COL || rc->kind == RC_AGE_BAND || rc->kind == RC_AGE) &&
            c->op != HGQ_OP_NE && c->op != HGQ_OP_NOT_IN && !lit_is_null(rc->alts, c->nalts)) {
            int any = 0;
            hgq_levels lv;
            if (rc->kind == RC_COL && hgq_table_levels(t, (size_t)rc->col, &lv)) {
                for (j = 0; j < lv.n && !any; j++)
                    any = lv.refs[j] > 0;
            } else {
                for (j = 0; j < nrows && !any; j++) {
                    char buf[64];
                    hgq_value v = rc_value(e, rc, t, j, buf, sizeof buf);
                    any = v.type != HGQ_NULL;
                }
            }
            if (!any) {
                const char *f = rc->kind == RC_COL ? c->field : "birth_date";
                set_missing(e, res, astr(e->arena, "%s.%s", entity, f),
                            astr(e->arena, "缺少输入：%s的%s全部为空", hgq_entity_label(entity),
                                 field_label(e, entity, f)));
                *missing = 1;
                return HGQ_OK;
            }
        }
        /* A period with no record at all is missing data, not zero. */
        if (c->timed) {
            int any = 0;
            const unsigned char *m = cond_mask(e, rc, t);
            if (!m)
                return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            (*masks)[i] = m;
            for (j = 0; j < nrows && !any; j++)
                any = m[j];
            if (!any) {
                char lit[64];
                hgq_stats_label(&rc->alts[0], lit, sizeof lit);
                set_missing(e, res, astr(e->arena, "%s.%s%s%s", entity, c->field,
                                         hgq_op_symbol(c->op), lit),
                            astr(e->arena, "缺少输入：%s中没有%s%s%s的记录", hgq_entity_label(entity),
                                 field_label(e, entity, c->field), hgq_op_symbol(c->op), lit));
                *missing = 1;
                return HGQ_OK;
            }
        }
    }
    for (i = 0; i < d->nconds; i++)
        if (!(*masks)[i] && !((*masks)[i] = cond_mask(e, &rcs[i], t)))
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    return HGQ_OK;
}

static int period_of(const ectx *e, const ind_def *d)
{
    size_t i, j;
    for (i = 0; i < d->nconds; i++)
        for (j = 0; j < d->conds[i].nalts; j++)
            if (strcmp(d->conds[i].alts[j], "$grad_year") == 0)
                return e->grad_year;
    return e->ic.year;
}

/* }==================================================================== */

/* {====================================================================
 * Computing one definition
 * ===================================================================== */

static hgq_status eval_ind(ectx *e, size_t i, hgq_error *err);

static void set_count(ival *out, double v)
{
    out->v.value = v;
    out->v.num = v;
    out->v.den = 0;
    out->v.has_den = 0;
    out->v.defined = 1;
    out->v.missing = NULL;
}

static hgq_status compute_records(ectx *e, const ind_def *d, ival *out, hgq_error *err)
{
    const hgq_table *t = hgq_dataset_table(e->ic.ds, d->def.entity);
    rcond *rcs = NULL;
    const unsigned char **masks = NULL;
    size_t r, nrows, i, selected = 0, numeric = 0;
    long fcol = -1;
    double sum = 0;
    int missing = 0;
    hgq_strmap distinct;
    hgq_arena keys;
    hgq_status st;
    if (!t) {
        set_missing(e, out, d->def.entity, astr(e->arena, "缺少输入：%s", hgq_entity_label(d->def.entity)));
        return HGQ_OK;
    }
    out->source = d->def.entity;
    if (d->def.field) {
        fcol = hgq_table_find_column(t, d->def.field);
        if (fcol < 0) {
            set_missing(e, out, astr(e->arena, "%s.%s", d->def.entity, d->def.field),
                        astr(e->arena, "缺少输入：%s的%s", hgq_entity_label(d->def.entity),
                             field_label(e, d->def.entity, d->def.field)));
            return HGQ_OK;
        }
    }
    if ((st = rconds_resolve(e, d, t, &rcs, out, &missing, &masks, err)) || missing) {
        rconds_free(rcs, d->nconds);
        free(masks);
        return st;
    }
    hgq_strmap_init(&distinct);
    hgq_arena_init(&keys);
    nrows = hgq_table_nrows(t);
    if (fcol < 0) {
        /* a count: the records meeting every condition */
        if (d->nconds == 0) {
            selected = nrows;
        } else {
            const unsigned char *m0 = masks[0];
            unsigned char *acc = NULL;
            if (d->nconds > 1) {
                if (!(acc = malloc(nrows ? nrows : 1)))
                    st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
                for (r = 0; acc && r < nrows; r++)
                    acc[r] = m0[r] & masks[1][r];
                for (i = 2; acc && i < d->nconds; i++)
                    for (r = 0; r < nrows; r++)
                        acc[r] &= masks[i][r];
                m0 = acc;
            }
            for (r = 0; m0 && r < nrows; r++)
                selected += m0[r];
            free(acc);
        }
    }
    for (r = 0; r < nrows && !st && fcol >= 0; r++) {
        int ok = 1;
        for (i = 0; i < d->nconds && ok; i++)
            ok = masks[i][r];
        if (!ok)
            continue;
        selected++;
        if (d->def.kind == HGQ_IND_COUNT) {
            char buf[256];
            const char *k;
            if (!hgq_stats_label(hgq_table_get(t, r, (size_t)fcol), buf, sizeof buf) ||
                hgq_strmap_get(&distinct, buf, NULL))
                continue;
            if (!(k = hgq_arena_strdup(&keys, buf)) || hgq_strmap_put(&distinct, k, 0))
                st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        } else {
            double v;
            if (hgq_value_number(hgq_table_get(t, r, (size_t)fcol), &v)) {
                sum += v;
                numeric++;
            }
        }
    }
    if (!st) {
        if (d->def.kind == HGQ_IND_COUNT)
            set_count(out, (double)(fcol < 0 ? selected : distinct.count));
        else if (selected && !numeric)
            set_missing(e, out, astr(e->arena, "%s.%s", d->def.entity, d->def.field),
                        astr(e->arena, "缺少输入：%s的%s没有数值", hgq_entity_label(d->def.entity),
                             field_label(e, d->def.entity, d->def.field)));
        else
            set_count(out, sum);
    }
    hgq_strmap_free(&distinct);
    hgq_arena_free(&keys);
    rconds_free(rcs, d->nconds);
    free(masks);
    return st;
}

static hgq_status compute_field(ectx *e, const ind_def *d, ival *out)
{
    const hgq_table *t = hgq_dataset_table(e->ic.ds, d->def.entity);
    const hgq_value *v;
    double x;
    if (!t || hgq_table_nrows(t) == 0) {
        set_missing(e, out, d->def.entity, astr(e->arena, "缺少输入：%s", hgq_entity_label(d->def.entity)));
        return HGQ_OK;
    }
    out->source = d->def.entity;
    v = hgq_table_get_by_name(t, 0, d->def.field);
    if (hgq_value_number(v, &x) || (v->type == HGQ_TEXT && hgq_plain_number(v->u.s, &x))) {
        set_count(out, x);
        return HGQ_OK;
    }
    set_missing(e, out, astr(e->arena, "%s.%s", d->def.entity, d->def.field),
                astr(e->arena, v->type == HGQ_NULL ? "缺少输入：%s的%s" : "%s的%s不是数值",
                     hgq_entity_label(d->def.entity), field_label(e, d->def.entity, d->def.field)));
    return HGQ_OK;
}

static hgq_status compute_aggregate(ectx *e, const ind_def *d, ival *out, hgq_error *err)
{
    const hgq_table *t = hgq_dataset_table(e->ic.ds, d->def.entity);
    hgq_cond *conds = NULL;
    char (*bufs)[24] = NULL;
    hgq_value *alts = NULL;
    size_t i, j, nalts = 0, k = 0;
    double v;
    int found = 0;
    hgq_error e2;
    hgq_buf what;
    hgq_status st = HGQ_OK;
    if (!t) {
        set_missing(e, out, d->def.entity, astr(e->arena, "缺少输入：%s", hgq_entity_label(d->def.entity)));
        return HGQ_OK;
    }
    out->source = d->def.entity;
    for (i = 0; i < d->nconds; i++)
        nalts += d->conds[i].nalts;
    conds = calloc(d->nconds + 1, sizeof *conds);
    alts = calloc(nalts + 1, sizeof *alts);
    bufs = calloc(nalts + 1, sizeof *bufs);
    hgq_buf_init(&what);
    if (!conds || !alts || !bufs) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < d->nconds; i++) {
        const ind_cond *c = &d->conds[i];
        conds[i].field = c->field;
        conds[i].op = c->op;
        conds[i].alts = alts + k;
        conds[i].nalts = c->nalts;
        for (j = 0; j < c->nalts; j++, k++)
            alts[k] = literal(e, c->alts[j], bufs[k]);
        conds[i].value = conds[i].alts[0];
        if (hgq_buf_printf(&what, "%s%s%s%s", i ? "," : "", c->field, hgq_op_symbol(c->op),
                           alts[k - c->nalts].type == HGQ_TEXT ? alts[k - c->nalts].u.s : c->alts[0])) {
            st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            goto done;
        }
    }
    hgq_error_clear(&e2);
    if (hgq_aggregate_value(t, conds, d->nconds, &v, &found, &e2) != HGQ_OK) {
        set_missing(e, out, astr(e->arena, "%s(%s)", d->def.entity, what.data ? what.data : ""),
                    astr(e->arena, "%s的结构不符：%s", hgq_entity_label(d->def.entity), e2.message));
    } else if (!found) {
        set_missing(e, out, astr(e->arena, "%s(%s)", d->def.entity, what.data ? what.data : ""),
                    astr(e->arena, "缺少输入：%s中没有%s", hgq_entity_label(d->def.entity),
                         what.data ? what.data : "数值"));
    } else {
        set_count(out, v);
    }
done:
    hgq_buf_free(&what);
    free(conds);
    free(alts);
    free(bufs);
    return st;
}

/* Sums a linear expression; *missing_out names an undefined term. */
static hgq_status eval_terms(ectx *e, const ind_def *d, const ind_term *terms, size_t n,
                             double *sum, const ival **missing_out, int *period,
                             hgq_buf *sources, hgq_error *err)
{
    size_t i, idx;
    hgq_status st;
    *sum = 0;
    *missing_out = NULL;
    for (i = 0; i < n; i++) {
        const ival *iv;
        if (!hgq_strmap_get(&e->cat->ind_map, terms[i].id, &idx))
            return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s' refers to unknown indicator '%s'",
                                 d->def.id, terms[i].id);
        if ((st = eval_ind(e, idx, err)))
            return st;
        iv = &e->vals[idx];
        if (!iv->v.defined) {
            *missing_out = iv;
            return HGQ_OK;
        }
        if (i == 0 && period)
            *period = iv->period;
        *sum += terms[i].coef * iv->v.value;
        /* where the inputs came from, each named once: "pub_aid+student" */
        if (iv->source && *iv->source) {
            const char *p = sources->data ? strstr(sources->data, iv->source) : NULL;
            size_t l = strlen(iv->source);
            int dup = p && (p == sources->data || p[-1] == '+') && (p[l] == '\0' || p[l] == '+');
            if (!dup && ((sources->len && hgq_buf_append_char(sources, '+')) ||
                         hgq_buf_append_str(sources, iv->source)))
                return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        }
    }
    return HGQ_OK;
}

static void missing_from(ectx *e, ival *out, const ival *in)
{
    const char *name = in->def ? in->def->def.name_zh : "";
    const char *id = in->def ? in->def->def.id : "";
    set_missing(e, out, astr(e->arena, "%s", in->v.missing && *in->v.missing ? in->v.missing : id),
                astr(e->arena, "%s无法计算（%s）", name,
                     in->note && *in->note ? in->note : "缺少输入"));
}

static hgq_status compute_expr(ectx *e, const ind_def *d, ival *out, hgq_error *err)
{
    double num = 0, den = 0;
    const ival *miss;
    hgq_status st;
    int period = e->ic.year;
    hgq_buf sources;
    hgq_buf_init(&sources);
    if ((st = eval_terms(e, d, d->num, d->nnum, &num, &miss, &period, &sources, err)))
        goto done;
    if (miss) {
        out->period = miss->period;
        missing_from(e, out, miss);
        goto done;
    }
    out->period = period;
    if (d->def.kind == HGQ_IND_RATIO) {
        if ((st = eval_terms(e, d, d->den, d->nden, &den, &miss, NULL, &sources, err)))
            goto done;
        if (miss) {
            missing_from(e, out, miss);
            goto done;
        }
    }
    out->source = astr(e->arena, "%s", sources.data ? sources.data : "");
    if (d->def.kind == HGQ_IND_EXPR) {
        set_count(out, num * d->def.scale);
        out->v.num = num;
        goto done;
    }
    {
        hgq_ratio r = hgq_ratio_of(num, den, d->def.scale);
        out->v.num = num;
        out->v.den = den;
        out->v.has_den = 1;
        if (!r.defined) {
            set_missing(e, out, astr(e->arena, "%s=0", d->def.den),
                        astr(e->arena, "分母为0（%s），比率无定义", d->def.den));
            goto done;
        }
        out->v.value = r.value;
        out->v.defined = 1;
        out->v.missing = NULL;
    }
done:
    hgq_buf_free(&sources);
    return st;
}

static hgq_status compute_def(ectx *e, const ind_def *d, ival *out, hgq_error *err)
{
    hgq_status st = HGQ_OK;
    size_t i;
    memset(out, 0, sizeof *out);
    out->def = d;
    out->source = "";
    out->note = "";
    out->period = period_of(e, d);
    switch (d->def.kind) {
    case HGQ_IND_COUNT:
    case HGQ_IND_SUM:
        st = compute_records(e, d, out, err);
        break;
    case HGQ_IND_FIELD:
        st = compute_field(e, d, out);
        break;
    case HGQ_IND_AGGREGATE:
        st = compute_aggregate(e, d, out, err);
        break;
    case HGQ_IND_RATIO:
    case HGQ_IND_EXPR:
        st = compute_expr(e, d, out, err);
        break;
    case HGQ_IND_FUNC: {
        hgq_ind_value v;
        memset(&v, 0, sizeof v);
        st = d->def.fn(d->def.ud, &e->ic, &v, err);
        if (!st) {
            out->v = v;
            if (!v.defined) {
                out->v.missing = astr(e->arena, "%s", v.missing ? v.missing : "");
                out->note = astr(e->arena, "缺少输入：%s", v.missing ? v.missing : d->def.id);
            }
        }
        break;
    }
    case HGQ_IND_PROVIDED:
        set_missing(e, out, "provided", astr(e->arena, "未提供%s的数值", d->def.name_zh));
        for (i = 0; e->opt && i < e->opt->nprovided; i++) {
            const hgq_provided *p = &e->opt->provided[i];
            if (p->id && strcmp(p->id, d->def.id) == 0 && (p->history != 0) == (e->prev != 0)) {
                out->v = p->value;
                if (!p->value.defined) {
                    out->v.missing = astr(e->arena, "%s", p->value.missing ? p->value.missing : "");
                    out->note = astr(e->arena, "缺少输入：%s", p->value.missing ? p->value.missing : d->def.id);
                } else {
                    out->v.missing = NULL;
                }
                break;
            }
        }
        break;
    }
    return st;
}

static hgq_status eval_ind(ectx *e, size_t i, hgq_error *err)
{
    const ind_entry *ent = &e->cat->inds[i];
    ival *iv = &e->vals[i];
    ival first, tmp;
    int have_first = 0;
    size_t k;
    hgq_status st;
    if (iv->state == 2)
        return HGQ_OK;
    if (iv->state == 1)
        return hgq_error_set(err, HGQ_ESCHEMA, "indicator '%s' depends on itself", ent->id);
    iv->state = 1;
    memset(&first, 0, sizeof first);
    for (k = 0; k < ent->ndefs; k++) {
        const ind_def *d = e->cat->defs[ent->defs[k]];
        if (strcmp(d->def.variant, e->variant[i]) != 0)
            continue;
        if (e->ic.history && !d->def.timed && d->def.kind != HGQ_IND_RATIO &&
            d->def.kind != HGQ_IND_EXPR && d->def.kind != HGQ_IND_PROVIDED) {
            if (!have_first) {
                memset(&first, 0, sizeof first);
                first.def = d;
                first.source = "";
                first.period = e->ic.year;
                first.v.missing = "history";
                first.note = "没有上一年度的数据";
                have_first = 1;
            }
            continue;
        }
        if ((st = compute_def(e, d, &tmp, err))) {
            iv->state = 0;
            return st;
        }
        if (tmp.v.defined) {
            *iv = tmp;
            iv->state = 2;
            return HGQ_OK;
        }
        if (!have_first || (first.v.missing && strcmp(first.v.missing, "history") == 0)) {
            first = tmp;
            have_first = 1;
        }
    }
    if (!have_first) {
        first.def = NULL;
        first.source = "";
        first.note = "";
        first.v.missing = "variant";
    }
    *iv = first;
    iv->state = 2;
    return HGQ_OK;
}

/* }==================================================================== */

/* {====================================================================
 * Results
 * ===================================================================== */

struct hgq_indicator_results {
    hgq_indicator_result *items;
    size_t n;
    const char *school_type;
    hgq_arena arena;
};

void hgq_indicator_results_free(hgq_indicator_results *res)
{
    if (!res)
        return;
    free(res->items);
    hgq_arena_free(&res->arena);
    free(res);
}

size_t hgq_indicator_results_count(const hgq_indicator_results *res)
{
    return res ? res->n : 0;
}

const hgq_indicator_result *hgq_indicator_results_at(const hgq_indicator_results *res,
                                                     size_t index)
{
    return res && index < res->n ? &res->items[index] : NULL;
}

const hgq_indicator_result *hgq_indicator_results_find(const hgq_indicator_results *res,
                                                       const char *id)
{
    size_t i;
    for (i = 0; res && id && i < res->n; i++)
        if (strcmp(res->items[i].id, id) == 0)
            return &res->items[i];
    return NULL;
}

const char *hgq_indicator_results_school_type(const hgq_indicator_results *res)
{
    return res && res->school_type ? res->school_type : "";
}

static void trim_zeros(char *s)
{
    char *dot = strchr(s, '.'), *end;
    if (!dot)
        return;
    end = s + strlen(s) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

size_t hgq_format_value(double value, hgq_format fmt, int decimals,
                        const char *unit, char *buf, size_t size)
{
    char num[64];
    if (decimals < 0)
        decimals = 2;
    if (decimals > 10)
        decimals = 10;
    snprintf(num, sizeof num, "%.*f", decimals, value);
    if (strcmp(num, "-0") == 0 || (num[0] == '-' && strspn(num + 1, "0.") == strlen(num + 1)))
        memmove(num, num + 1, strlen(num));
    switch (fmt) {
    case HGQ_FMT_PERCENT:
        return (size_t)snprintf(buf, size, "%s%%", num);
    case HGQ_FMT_RATIO:
        trim_zeros(num);
        return (size_t)snprintf(buf, size, "%s:1", num);
    case HGQ_FMT_RATIO_INV:
        trim_zeros(num);
        return (size_t)snprintf(buf, size, "1:%s", num);
    default:
        return (size_t)snprintf(buf, size, "%s%s", num, unit ? unit : "");
    }
}

static int default_decimals(const ind_def *d, double v)
{
    if (d->def.decimals >= 0)
        return d->def.decimals;
    if (d->def.format != HGQ_FMT_NUMBER)
        return 2; /* percentages to two decimals; ratios trim their zeros */
    switch (d->def.kind) {
    case HGQ_IND_COUNT:
        return 0;
    case HGQ_IND_RATIO:
    case HGQ_IND_EXPR:
    case HGQ_IND_FUNC:
        return 2;
    default:
        return v == floor(v) ? 0 : 2;
    }
}

static const char *op_sign(hgq_op op)
{
    switch (op) {
    case HGQ_OP_GE: return "≥";
    case HGQ_OP_LE: return "≤";
    case HGQ_OP_GT: return ">";
    case HGQ_OP_LT: return "<";
    case HGQ_OP_EQ: return "=";
    default: return hgq_op_symbol(op);
    }
}

static const char *school_type_of(const hgq_dataset *ds, const hgq_eval_options *opt)
{
    const char *p;
    const hgq_table *s;
    if (opt && opt->school_type && *opt->school_type)
        return opt->school_type;
    if ((p = hgq_dataset_property(ds, "type")) && *p)
        return p;
    s = hgq_dataset_table(ds, "school");
    if (s && hgq_table_nrows(s)) {
        const hgq_value *v = hgq_table_get_by_name(s, 0, "type");
        if (v->type == HGQ_TEXT && *v->u.s)
            return v->u.s;
    }
    return "";
}

static hgq_status ectx_init(ectx *e, const hgq_catalogue *cat, const hgq_dataset *ds, int year,
                            double as_of, int history, int prev, int grad_year,
                            const char **variant, const hgq_eval_options *opt, hgq_arena *arena,
                            const hgq_schemas *schemas, hgq_error *err)
{
    memset(e, 0, sizeof *e);
    e->cat = cat;
    e->ic.ds = ds;
    e->ic.year = year;
    e->ic.as_of = as_of;
    e->ic.history = history;
    e->prev = prev;
    e->grad_year = grad_year;
    e->variant = variant;
    e->opt = opt;
    e->arena = arena;
    e->schemas = schemas;
    hgq_strmap_init(&e->mask_of);
    hgq_arena_init(&e->mask_keys);
    e->vals = calloc(cat->ninds ? cat->ninds : 1, sizeof *e->vals);
    if (!e->vals)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    return HGQ_OK;
}

static void ectx_free(ectx *e)
{
    size_t i;
    free(e->vals);
    e->vals = NULL;
    for (i = 0; i < e->nmasks; i++)
        free(e->masks[i]);
    free(e->masks);
    e->masks = NULL;
    e->nmasks = e->maskcap = 0;
    hgq_strmap_free(&e->mask_of);
    hgq_arena_free(&e->mask_keys);
}

static const char *rdup(hgq_arena *a, const char *s)
{
    const char *c = hgq_arena_strdup(a, s ? s : "");
    return c ? c : "";
}

static void fill_result(hgq_indicator_results *res, const hgq_catalogue *cat, size_t i,
                        const ival *cur, const ival *last, const char *last_source,
                        const char *variant)
{
    hgq_arena *a = &res->arena;
    hgq_indicator_result *r = &res->items[i];
    const ind_entry *ent = &cat->inds[i];
    const ind_def *d = cur->def ? cur->def : cat->defs[ent->defs[0]];
    const hgq_threshold *th;
    char buf[128];
    memset(r, 0, sizeof *r);
    r->id = rdup(a, ent->id);
    r->name_zh = rdup(a, d->def.name_zh);
    r->name_en = rdup(a, d->def.name_en);
    r->unit = rdup(a, d->def.unit);
    r->group = rdup(a, d->def.group);
    r->variant = rdup(a, variant);
    r->variant_name = rdup(a, d->def.variant_name);
    r->definition = rdup(a, d->def.definition);
    r->source = rdup(a, cur->source);
    r->period = cur->period;
    r->defined = cur->v.defined;
    r->value = cur->v.defined ? cur->v.value : 0;
    r->num = cur->v.num;
    r->den = cur->v.den;
    r->has_den = cur->v.has_den;
    r->missing_input = cur->v.defined ? NULL : rdup(a, cur->v.missing);
    r->note = rdup(a, cur->v.defined ? "" : cur->note);
    if (cur->v.defined) {
        hgq_format_value(cur->v.value, d->def.format, default_decimals(d, cur->v.value),
                         d->def.unit, buf, sizeof buf);
        r->text = rdup(a, buf);
    } else {
        r->text = rdup(a, "—");
    }
    if (last && last->v.defined) {
        r->has_last = 1;
        r->last_period = last->period;
        r->last_value = last->v.value;
        r->last_source = rdup(a, last_source);
        if (cur->v.defined) {
            r->change = cur->v.value - last->v.value;
            r->growth = hgq_ratio_growth(cur->v.value, last->v.value);
        }
    } else {
        r->last_source = rdup(a, "");
    }
    r->threshold_source = rdup(a, "");
    r->threshold_notes = rdup(a, "");
    r->threshold_text = rdup(a, "");
    th = hgq_catalogue_threshold_for(cat, ent->id, res->school_type);
    if (!th) {
        r->judgement = HGQ_JUDGE_NONE;
        return;
    }
    r->has_threshold = 1;
    r->comparison = th->op;
    r->threshold_source = rdup(a, th->source);
    r->threshold_notes = rdup(a, th->notes);
    if (!hgq_threshold_convert(th->value, th->unit, d->def.unit, &r->threshold)) {
        r->threshold = th->value;
        r->judgement = HGQ_JUDGE_UNKNOWN;
        snprintf(buf, sizeof buf, "%s%g%s", op_sign(th->op), th->value, th->unit ? th->unit : "");
        r->threshold_text = rdup(a, buf);
        r->threshold_notes = astr(a, "%s%s标准单位%s与指标单位%s无法换算", th->notes ? th->notes : "",
                                  th->notes && *th->notes ? "；" : "", th->unit ? th->unit : "",
                                  d->def.unit);
        return;
    }
    {
        char tv[96];
        hgq_format_value(r->threshold, d->def.format,
                         r->threshold == floor(r->threshold) ? 0 : default_decimals(d, r->threshold),
                         d->def.unit, tv, sizeof tv);
        snprintf(buf, sizeof buf, "%s%s", op_sign(th->op), tv);
        r->threshold_text = rdup(a, buf);
    }
    if (!cur->v.defined) {
        r->judgement = HGQ_JUDGE_UNKNOWN;
        return;
    }
    r->judgement = hgq_threshold_judge(th, cur->v.value, d->def.unit, &r->margin);
}

hgq_status hgq_catalogue_evaluate(const hgq_catalogue *cat, const hgq_dataset *ds,
                                  const hgq_dataset *history,
                                  hgq_indicator_results **out, hgq_error *err)
{
    hgq_eval_options opt;
    memset(&opt, 0, sizeof opt);
    opt.history = history;
    return hgq_catalogue_evaluate_ex(cat, ds, &opt, out, err);
}

hgq_status hgq_catalogue_evaluate_ex(const hgq_catalogue *cat, const hgq_dataset *ds,
                                     const hgq_eval_options *opt,
                                     hgq_indicator_results **out, hgq_error *err)
{
    hgq_indicator_results *res = NULL;
    const char **variant = NULL;
    hgq_schemas *schemas = NULL;
    ectx cur, hist, prev;
    int year, grad;
    double as_of;
    size_t i;
    hgq_status st = HGQ_OK;

    memset(&cur, 0, sizeof cur);
    memset(&hist, 0, sizeof hist);
    memset(&prev, 0, sizeof prev);
    if (out)
        *out = NULL;
    if (!cat || !ds || !out)
        return hgq_error_set(err, HGQ_EARG, "evaluate needs a catalogue, a dataset and an output");
    res = calloc(1, sizeof *res);
    variant = calloc(cat->ninds ? cat->ninds : 1, sizeof *variant);
    if (!res || !variant) {
        free(res);
        free(variant);
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    }
    hgq_arena_init(&res->arena);
    res->items = calloc(cat->ninds ? cat->ninds : 1, sizeof *res->items);
    res->n = cat->ninds;
    res->school_type = rdup(&res->arena, school_type_of(ds, opt));
    if (!res->items) {
        st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        goto done;
    }
    for (i = 0; i < cat->ninds; i++)
        variant[i] = cat->inds[i].default_variant;
    for (i = 0; opt && i < opt->nvariants; i++) {
        const char *id = opt->variants[2 * i], *v = opt->variants[2 * i + 1];
        const ind_entry *ent = find_entry(cat, id);
        const ind_def *d;
        if (!ent) {
            st = hgq_error_set(err, HGQ_ENOTFOUND, "no indicator '%s'", id ? id : "(null)");
            goto done;
        }
        if (!(d = first_of_variant(cat, ent, v ? v : ""))) {
            st = hgq_error_set(err, HGQ_ENOTFOUND, "indicator '%s' has no variant '%s'", id, v ? v : "");
            goto done;
        }
        variant[d->ind] = d->def.variant;
    }

    schemas = hgq_schemas_new(); /* names only: without it notes use field ids */
    year = hgq_dataset_year(ds);
    as_of = hgq_dataset_as_of(ds);
    grad = find_grad_year(ds, year);
    if ((st = ectx_init(&cur, cat, ds, year, as_of, 0, 0, grad, variant, opt, &res->arena, schemas, err)) ||
        (st = ectx_init(&prev, cat, ds, year - 1, shift_year(as_of, -1), 1, 1, grad - 1, variant,
                        opt, &res->arena, schemas, err)))
        goto done;
    if (opt && opt->history) {
        int hy = hgq_dataset_year(opt->history);
        if ((st = ectx_init(&hist, cat, opt->history, hy, hgq_dataset_as_of(opt->history), 0, 1,
                            find_grad_year(opt->history, hy), variant, opt, &res->arena, schemas,
                            err)))
            goto done;
    }
    for (i = 0; i < cat->ninds; i++) {
        const ival *last = NULL;
        const char *last_source = "";
        if ((st = eval_ind(&cur, i, err)))
            goto done;
        if (hist.vals) {
            if ((st = eval_ind(&hist, i, err)))
                goto done;
            if (hist.vals[i].v.defined) {
                last = &hist.vals[i];
                last_source = "history";
            }
        }
        if (!last) {
            if ((st = eval_ind(&prev, i, err)))
                goto done;
            if (prev.vals[i].v.defined) {
                last = &prev.vals[i];
                last_source = prev.vals[i].source;
            }
        }
        fill_result(res, cat, i, &cur.vals[i], last, last_source, variant[i]);
    }
    *out = res;
    res = NULL;
done:
    ectx_free(&cur);
    ectx_free(&prev);
    ectx_free(&hist);
    free(variant);
    hgq_schemas_free(schemas);
    hgq_indicator_results_free(res);
    return st;
}

static hgq_status put(hgq_table *t, size_t row, const char *col, hgq_value v, hgq_error *err)
{
    long c = hgq_table_find_column(t, col);
    return hgq_table_set(t, row, (size_t)c, &v, err);
}

static hgq_value opt_text(const char *s)
{
    return s && *s ? hgq_text(s) : hgq_null();
}

hgq_status hgq_indicator_results_to_table(const hgq_indicator_results *res,
                                          const char *name, hgq_table **out,
                                          hgq_error *err)
{
    static const struct { const char *name; hgq_vtype type; } cols[] = {
        {"id", HGQ_TEXT}, {"group", HGQ_TEXT}, {"name_zh", HGQ_TEXT}, {"name_en", HGQ_TEXT},
        {"unit", HGQ_TEXT}, {"variant", HGQ_TEXT}, {"variant_name", HGQ_TEXT},
        {"period", HGQ_INT}, {"value", HGQ_NUM}, {"num", HGQ_NUM}, {"den", HGQ_NUM},
        {"text", HGQ_TEXT}, {"missing_input", HGQ_TEXT}, {"note", HGQ_TEXT},
        {"last_period", HGQ_INT}, {"last_value", HGQ_NUM}, {"change", HGQ_NUM},
        {"growth", HGQ_NUM}, {"comparison", HGQ_TEXT}, {"threshold", HGQ_NUM},
        {"threshold_text", HGQ_TEXT}, {"threshold_source", HGQ_TEXT},
        {"threshold_notes", HGQ_TEXT}, {"judgement", HGQ_TEXT},
        {"margin", HGQ_NUM}, {"source", HGQ_TEXT},
    };
    hgq_table *t;
    size_t i, row;
    hgq_status st = HGQ_OK;
    *out = NULL;
    if (!res)
        return hgq_error_set(err, HGQ_EARG, "no results");
    if (!(t = hgq_table_new(name ? name : "indicators")))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    for (i = 0; i < sizeof cols / sizeof cols[0] && !st; i++)
        st = hgq_table_add_column(t, cols[i].name, cols[i].type, NULL, err);
    if (!st)
        st = hgq_table_set_meta(t, "kind", "indicators", err);
    if (!st && *hgq_indicator_results_school_type(res))
        st = hgq_table_set_meta(t, "school_type", res->school_type, err);
    for (i = 0; i < res->n && !st; i++) {
        const hgq_indicator_result *r = &res->items[i];
        if ((st = hgq_table_append_row(t, &row, err)) ||
            (st = put(t, row, "id", hgq_text(r->id), err)) ||
            (st = put(t, row, "group", opt_text(r->group), err)) ||
            (st = put(t, row, "name_zh", hgq_text(r->name_zh), err)) ||
            (st = put(t, row, "name_en", opt_text(r->name_en), err)) ||
            (st = put(t, row, "unit", opt_text(r->unit), err)) ||
            (st = put(t, row, "variant", opt_text(r->variant), err)) ||
            (st = put(t, row, "variant_name", opt_text(r->variant_name), err)) ||
            (st = put(t, row, "period", hgq_int(r->period), err)) ||
            (st = put(t, row, "value", r->defined ? hgq_num(r->value) : hgq_null(), err)) ||
            (st = put(t, row, "num", r->defined ? hgq_num(r->num) : hgq_null(), err)) ||
            (st = put(t, row, "den", r->defined && r->has_den ? hgq_num(r->den) : hgq_null(), err)) ||
            (st = put(t, row, "text", hgq_text(r->text), err)) ||
            (st = put(t, row, "missing_input", opt_text(r->missing_input), err)) ||
            (st = put(t, row, "note", opt_text(r->note), err)) ||
            (st = put(t, row, "last_period", r->has_last ? hgq_int(r->last_period) : hgq_null(), err)) ||
            (st = put(t, row, "last_value", r->has_last ? hgq_num(r->last_value) : hgq_null(), err)) ||
            (st = put(t, row, "change", r->has_last && r->defined ? hgq_num(r->change) : hgq_null(), err)) ||
            (st = put(t, row, "growth", r->has_last && r->defined && r->growth.defined
                                            ? hgq_num(r->growth.value) : hgq_null(), err)) ||
            (st = put(t, row, "comparison", r->has_threshold ? hgq_text(hgq_op_symbol(r->comparison))
                                                             : hgq_null(), err)) ||
            (st = put(t, row, "threshold", r->has_threshold ? hgq_num(r->threshold) : hgq_null(), err)) ||
            (st = put(t, row, "threshold_text", opt_text(r->threshold_text), err)) ||
            (st = put(t, row, "threshold_source", opt_text(r->threshold_source), err)) ||
            (st = put(t, row, "threshold_notes", opt_text(r->threshold_notes), err)) ||
            (st = put(t, row, "judgement", hgq_text(hgq_judgement_name(r->judgement)), err)) ||
            (st = put(t, row, "margin", r->has_threshold && r->defined &&
                                        r->judgement != HGQ_JUDGE_UNKNOWN
                                            ? hgq_num(r->margin) : hgq_null(), err)) ||
            (st = put(t, row, "source", opt_text(r->source), err)))
            break;
    }
    if (st) {
        hgq_table_free(t);
        return st;
    }
    *out = t;
    return HGQ_OK;
}

/* }==================================================================== */
