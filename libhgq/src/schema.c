/*
 * schema.c - the schema registry: entities, fields, header names,
 * enumerations and synonyms, and reading one cell as a field's value.
 *
 * Every string of a registry lives in its arena, so the pointers handed out
 * by hgq_schema_field_info and friends stay valid until hgq_schemas_free.
 * Header names, values and synonyms are kept with their matching key
 * (collapsed, ASCII lower case) next to the spelling as given; lookups are
 * linear scans, which is what a few dozen fields with a few spellings each
 * call for.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

typedef struct spelling {
    const char *text;        /* as given */
    const char *key;         /* matching key */
    const char *canonical;   /* synonyms: what it stands for ("" = no value) */
} spelling;

typedef struct plist {
    spelling *items;
    size_t n, cap;
} plist;

typedef struct field {
    const char *id;
    const char *label;
    hgq_ftype type;
    unsigned flags;
    double min, max;
    const char *unit;
    const char *ref_entity;
    const char *ref_field;
    plist headers;
    plist values;
    plist synonyms;
} field;

struct hgq_schema {
    hgq_schemas *reg;
    const char *entity;
    const char *label;
    field *fields;
    size_t n, cap;
};

struct hgq_schemas {
    hgq_schema **items;
    size_t n, cap;
    hgq_arena arena;
};

/* {====================================================================
 * Keys and small text helpers
 * ===================================================================== */

size_t hgq_model_key(const char *s, size_t len, char *out, size_t size)
{
    size_t n = hgq_norm_collapse(s, len, out, size), i;
    if (n == (size_t)-1)
        return n;
    for (i = 0; i < n; i++)
        if (out[i] >= 'A' && out[i] <= 'Z')
            out[i] = (char)(out[i] - 'A' + 'a');
    return n;
}

/* Removes every occurrence of `pat` from the NUL-terminated key. */
static void strip_all(char *k, const char *pat)
{
    size_t pl = strlen(pat);
    char *p;
    while ((p = strstr(k, pat)) != NULL)
        memmove(p, p + pl, strlen(p + pl) + 1);
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && memcmp(s + a - b, suf, b) == 0;
}

static const char *const unit_words[] = {
    "元", "千元", "万元", "亿元", "m²", "m2", "㎡", "平方米", "平米", "亩", "公顷",
    "万平方米", "人", "人次", "名", "个", "台", "套", "册", "万册", "间", "%", "岁", "年",
    NULL
};

int hgq_model_header_keys(const char *s, size_t len, char keys[3][HGQ_KEY_MAX],
                          char *unit, size_t unit_size)
{
    int n = 0;
    char *k;
    if (unit && unit_size)
        unit[0] = '\0';
    if (hgq_model_key(s, len, keys[0], HGQ_KEY_MAX) == (size_t)-1)
        return 0;
    n = 1;
    /* without required markers and a trailing colon */
    memcpy(keys[1], keys[0], HGQ_KEY_MAX);
    k = keys[1];
    strip_all(k, "*");
    strip_all(k, "※");
    while (ends_with(k, ":"))
        k[strlen(k) - 1] = '\0';
    while (ends_with(k, "："))
        k[strlen(k) - strlen("：")] = '\0';
    if (strcmp(k, keys[0]) != 0 && k[0])
        n = 2;
    /* without a parenthesised note: "金额(元)" -> "金额"; the note may be a unit */
    memcpy(keys[n], keys[1], HGQ_KEY_MAX);
    k = keys[n];
    {
        char *open = strstr(k, "(");
        char *open2 = strstr(k, "（");
        char *o = open && (!open2 || open < open2) ? open : open2;
        if (o && o != k) {
            size_t olen = (o == open) ? 1 : strlen("（");
            char *inner = o + olen;
            char *close = strstr(inner, ")");
            char *close2 = strstr(inner, "）");
            char *c = close && (!close2 || close < close2) ? close : close2;
            size_t clen = (c == close) ? 1 : strlen("）");
            if (c) {
                if (unit && unit_size) {
                    size_t il = (size_t)(c - inner), i;
                    for (i = 0; unit_words[i]; i++)
                        if (strlen(unit_words[i]) == il && memcmp(unit_words[i], inner, il) == 0)
                            break;
                    if (unit_words[i])
                        hgq_strlcpy_utf8(unit, unit_words[i], unit_size);
                }
                memmove(o, c + clen, strlen(c + clen) + 1);
                if (k[0] && strcmp(k, keys[n - 1]) != 0)
                    n++;
            }
        }
    }
    return n;
}

int hgq_model_is_total_label(const char *s, size_t len)
{
    static const char *const words[] = {"合计", "总计", "小计", "共计", "总数"};
    char k[HGQ_KEY_MAX];
    size_t n = hgq_model_key(s, len, k, sizeof k), i;
    if (n == (size_t)-1 || n == 0)
        return 0;
    for (i = 0; i < sizeof words / sizeof words[0]; i++) {
        size_t wl = strlen(words[i]);
        if (n >= wl && memcmp(k, words[i], wl) == 0) {
            /* "合计" alone or followed by punctuation / a note, not by a name */
            if (n == wl || k[wl] == ':' || k[wl] == '(' || memcmp(k + wl, "：", 3) == 0 ||
                memcmp(k + wl, "（", 3) == 0 || n < wl + 10)
                return 1;
        }
    }
    return 0;
}

int hgq_model_is_note_text(const char *s, size_t len)
{
    static const char *const prefixes[] = {
        "注:", "注：", "注1", "注①", "注一", "注、", "注.", "说明:", "说明：", "备注:", "备注：",
        "填表人", "填报人", "制表", "审核", "负责人", "单位负责人", "填表日期", "填报日期",
        "统计时间", "统计截止", "数据截至", "数据截止", "数据来源", "资料来源", "联系人", "联系电话",
        "校长签", "盖章", "(盖章)", "（盖章）"
    };
    char k[HGQ_KEY_MAX];
    size_t n = hgq_model_key(s, len > 200 ? 200 : len, k, sizeof k), i;
    if (n == (size_t)-1 || n == 0)
        return 0;
    for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t pl = strlen(prefixes[i]);
        if (n >= pl && memcmp(k, prefixes[i], pl) == 0)
            return 1;
    }
    return 0;
}

int hgq_model_is_dash(const char *s, size_t len)
{
    static const char *const dashes[] = {"-", "--", "—", "——", "－", "/", "／", "\\", "–", "―"};
    char k[64];
    size_t n, i;
    /* Called on every cell: a text holding a letter, a digit or a CJK
     * character (UTF-8 lead bytes 0xE4-0xE9) is no dash, which one pass over
     * its bytes tells without computing its key. */
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
            (c >= 0xE4 && c <= 0xE9))
            return 0;
    }
    n = hgq_model_key(s, len, k, sizeof k);
    if (n == (size_t)-1 || n == 0)
        return 0;
    for (i = 0; i < sizeof dashes / sizeof dashes[0]; i++)
        if (strcmp(k, dashes[i]) == 0)
            return 1;
    return 0;
}

static void format_number(double x, char *buf, size_t size)
{
    if (x == floor(x) && fabs(x) < 1e15)
        snprintf(buf, size, "%.0f", x);
    else
        snprintf(buf, size, "%.15g", x);
}

static void format_date(double serial, char *buf, size_t size)
{
    hgq_datetime dt;
    hgq_date_to_parts(serial, &dt);
    if (dt.hour || dt.minute || dt.second)
        snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d", dt.year, dt.month, dt.day,
                 dt.hour, dt.minute, dt.second);
    else
        snprintf(buf, size, "%04d-%02d-%02d", dt.year, dt.month, dt.day);
}

void hgq_model_cell_text(const hgq_cell *c, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    if (!c)
        return;
    switch (c->type) {
    case HGQ_CELL_NUMBER: format_number(c->number, buf, size); break;
    case HGQ_CELL_DATE: format_date(c->number, buf, size); break;
    case HGQ_CELL_BOOL: hgq_strlcpy_utf8(buf, c->number != 0 ? "TRUE" : "FALSE", size); break;
    case HGQ_CELL_STRING:
    case HGQ_CELL_ERROR:
        if (c->text)
            hgq_strlcpy_utf8(buf, c->text, size);
        break;
    default: break;
    }
}

void hgq_model_value_text(const hgq_value *v, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    switch (v->type) {
    case HGQ_TEXT: hgq_strlcpy_utf8(buf, v->u.s ? v->u.s : "", size); break;
    case HGQ_INT: snprintf(buf, size, "%lld", (long long)v->u.i); break;
    case HGQ_NUM: format_number(v->u.d, buf, size); break;
    case HGQ_DATE: format_date(v->u.d, buf, size); break;
    case HGQ_BOOL: hgq_strlcpy_utf8(buf, v->u.b ? "是" : "否", size); break;
    default: break;
    }
}

void hgq_model_row_label(const hgq_origin *o, size_t record, char *buf, size_t size)
{
    if (o && o->file)
        snprintf(buf, size, "第%lu行", (unsigned long)o->row + 1);
    else
        snprintf(buf, size, "第%lu条记录", (unsigned long)record + 1);
}

/* }==================================================================== */

/* {====================================================================
 * Types
 * ===================================================================== */

static const char *const ftype_names[] = {
    "text", "integer", "number", "date", "boolean", "enum", "idcard", "gender"
};

const char *hgq_ftype_name(hgq_ftype type)
{
    if ((unsigned)type < sizeof ftype_names / sizeof ftype_names[0])
        return ftype_names[type];
    return "unknown";
}

int hgq_ftype_from_name(const char *name, hgq_ftype *out)
{
    static const struct { const char *name; hgq_ftype t; } alias[] = {
        {"int", HGQ_FT_INT}, {"num", HGQ_FT_NUM}, {"bool", HGQ_FT_BOOL},
        {"enumeration", HGQ_FT_ENUM}, {"id_number", HGQ_FT_IDCARD}, {"id", HGQ_FT_IDCARD},
        {"string", HGQ_FT_TEXT}, {"real", HGQ_FT_NUM}
    };
    size_t i;
    if (!name)
        return 0;
    for (i = 0; i < sizeof ftype_names / sizeof ftype_names[0]; i++)
        if (strcmp(name, ftype_names[i]) == 0) {
            *out = (hgq_ftype)i;
            return 1;
        }
    for (i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strcmp(name, alias[i].name) == 0) {
            *out = alias[i].t;
            return 1;
        }
    return 0;
}

hgq_vtype hgq_ftype_vtype(hgq_ftype type)
{
    switch (type) {
    case HGQ_FT_INT: return HGQ_INT;
    case HGQ_FT_NUM: return HGQ_NUM;
    case HGQ_FT_DATE: return HGQ_DATE;
    case HGQ_FT_BOOL: return HGQ_BOOL;
    default: return HGQ_TEXT;
    }
}

/* }==================================================================== */

/* {====================================================================
 * Registry
 * ===================================================================== */

hgq_schemas *hgq_schemas_new_empty(void)
{
    hgq_schemas *reg = calloc(1, sizeof *reg);
    if (reg)
        hgq_arena_init(&reg->arena);
    return reg;
}

hgq_schemas *hgq_schemas_new(void)
{
    hgq_schemas *reg = hgq_schemas_new_empty();
    if (reg && hgq_schemas_add_builtins(reg, NULL) != HGQ_OK) {
        hgq_schemas_free(reg);
        return NULL;
    }
    return reg;
}

static void free_schema(hgq_schema *s)
{
    size_t i;
    for (i = 0; i < s->n; i++) {
        free(s->fields[i].headers.items);
        free(s->fields[i].values.items);
        free(s->fields[i].synonyms.items);
    }
    free(s->fields);
    free(s);
}

void hgq_schemas_free(hgq_schemas *reg)
{
    size_t i;
    if (!reg)
        return;
    for (i = 0; i < reg->n; i++)
        free_schema(reg->items[i]);
    free(reg->items);
    hgq_arena_free(&reg->arena);
    free(reg);
}

size_t hgq_schemas_count(const hgq_schemas *reg) { return reg->n; }

hgq_schema *hgq_schemas_at(const hgq_schemas *reg, size_t index)
{
    return index < reg->n ? reg->items[index] : NULL;
}

hgq_schema *hgq_schemas_get(const hgq_schemas *reg, const char *entity)
{
    size_t i;
    if (!reg || !entity)
        return NULL;
    for (i = 0; i < reg->n; i++)
        if (strcmp(reg->items[i]->entity, entity) == 0)
            return reg->items[i];
    return NULL;
}

hgq_status hgq_schemas_define(hgq_schemas *reg, const char *entity,
                              const char *label, hgq_schema **out,
                              hgq_error *err)
{
    hgq_schema *s;
    if (out)
        *out = NULL;
    if (!reg || !entity || !*entity)
        return hgq_error_set(err, HGQ_EARG, "entity id is empty");
    if (hgq_schemas_get(reg, entity))
        return hgq_error_set(err, HGQ_EARG, "entity '%s' is already defined", entity);
    if (reg->n == reg->cap) {
        size_t cap = reg->cap ? reg->cap * 2 : 16;
        hgq_schema **items = realloc(reg->items, cap * sizeof *items);
        if (!items)
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        reg->items = items;
        reg->cap = cap;
    }
    s = calloc(1, sizeof *s);
    if (!s)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    s->reg = reg;
    s->entity = hgq_arena_strdup(&reg->arena, entity);
    s->label = hgq_arena_strdup(&reg->arena, label && *label ? label : entity);
    if (!s->entity || !s->label) {
        free(s);
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    }
    reg->items[reg->n++] = s;
    if (out)
        *out = s;
    return HGQ_OK;
}

/* }==================================================================== */

/* {====================================================================
 * Fields
 * ===================================================================== */

const char *hgq_schema_entity(const hgq_schema *s) { return s->entity; }
const char *hgq_schema_label(const hgq_schema *s) { return s->label; }
hgq_schemas *hgq_schema_registry(const hgq_schema *s) { return s->reg; }
size_t hgq_schema_field_count(const hgq_schema *s) { return s->n; }

long hgq_schema_find_field(const hgq_schema *s, const char *id)
{
    size_t i;
    if (!s || !id)
        return -1;
    for (i = 0; i < s->n; i++)
        if (strcmp(s->fields[i].id, id) == 0)
            return (long)i;
    return -1;
}

int hgq_schema_field_info(const hgq_schema *s, size_t index, hgq_field_info *out)
{
    const field *f;
    if (!s || index >= s->n)
        return 0;
    f = &s->fields[index];
    out->id = f->id;
    out->label = f->label;
    out->type = f->type;
    out->vtype = hgq_ftype_vtype(f->type);
    out->flags = f->flags;
    out->min = f->min;
    out->max = f->max;
    out->unit = f->unit;
    out->ref_entity = f->ref_entity;
    out->ref_field = f->ref_field;
    out->nheaders = f->headers.n;
    out->nvalues = f->values.n;
    out->nsynonyms = f->synonyms.n;
    return 1;
}

const char *hgq_schema_field_header(const hgq_schema *s, size_t index, size_t i)
{
    if (!s || index >= s->n || i >= s->fields[index].headers.n)
        return NULL;
    return s->fields[index].headers.items[i].text;
}

const char *hgq_schema_field_value(const hgq_schema *s, size_t index, size_t i)
{
    if (!s || index >= s->n || i >= s->fields[index].values.n)
        return NULL;
    return s->fields[index].values.items[i].text;
}

const char *hgq_schema_field_synonym(const hgq_schema *s, size_t index,
                                     size_t i, const char **canonical)
{
    const spelling *sp;
    if (!s || index >= s->n || i >= s->fields[index].synonyms.n)
        return NULL;
    sp = &s->fields[index].synonyms.items[i];
    if (canonical)
        *canonical = sp->canonical;
    return sp->text;
}

static spelling *plist_find(const plist *l, const char *key)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        if (strcmp(l->items[i].key, key) == 0)
            return &l->items[i];
    return NULL;
}

/* Adds (or, for synonyms, replaces) a spelling. Empty text is ignored. */
static hgq_status plist_add(hgq_schemas *reg, plist *l, const char *text, size_t len,
                            const char *canonical, hgq_error *err)
{
    char key[HGQ_KEY_MAX];
    size_t kl = hgq_model_key(text, len, key, sizeof key);
    spelling *sp;
    if (kl == (size_t)-1)
        return hgq_error_set(err, HGQ_ESCHEMA, "name too long: %.*s", (int)(len > 60 ? 60 : len), text);
    if (kl == 0)
        return HGQ_OK;
    sp = plist_find(l, key);
    if (sp) {
        if (canonical) {
            sp->canonical = hgq_arena_strdup(&reg->arena, canonical);
            if (!sp->canonical)
                return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        }
        return HGQ_OK;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        spelling *items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        l->items = items;
        l->cap = cap;
    }
    sp = &l->items[l->n];
    sp->text = hgq_arena_strndup(&reg->arena, text, len);
    sp->key = hgq_arena_strndup(&reg->arena, key, kl);
    sp->canonical = canonical ? hgq_arena_strdup(&reg->arena, canonical) : NULL;
    if (!sp->text || !sp->key || (canonical && !sp->canonical))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    l->n++;
    return HGQ_OK;
}

/* Calls plist_add for every '|'-separated item of `list`. */
static hgq_status plist_add_list(hgq_schemas *reg, plist *l, const char *list, hgq_error *err)
{
    const char *p = list;
    hgq_status st;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if ((st = plist_add(reg, l, p, len, NULL, err)) != HGQ_OK)
            return st;
        p = bar ? bar + 1 : NULL;
    }
    return HGQ_OK;
}

static field *find(const hgq_schema *s, const char *id, hgq_error *err)
{
    long i = hgq_schema_find_field(s, id);
    if (i < 0) {
        hgq_error_set(err, HGQ_ENOTFOUND, "entity '%s' has no field '%s'",
                      s ? s->entity : "?", id ? id : "(null)");
        return NULL;
    }
    return &s->fields[i];
}

static hgq_status check_canonical(const field *f, const char *canonical, hgq_error *err)
{
    char key[HGQ_KEY_MAX];
    int b;
    if (!canonical || !*canonical)
        return HGQ_OK;
    if (f->type == HGQ_FT_ENUM || f->type == HGQ_FT_GENDER) {
        if (hgq_model_key(canonical, strlen(canonical), key, sizeof key) == (size_t)-1 ||
            !plist_find(&f->values, key))
            return hgq_error_set(err, HGQ_ESCHEMA,
                                 "'%s' is not a value of field '%s'", canonical, f->id);
    } else if (f->type == HGQ_FT_BOOL && !hgq_norm_bool(canonical, strlen(canonical), &b)) {
        return hgq_error_set(err, HGQ_ESCHEMA, "'%s' is not a boolean (field '%s')",
                             canonical, f->id);
    }
    return HGQ_OK;
}

static hgq_status add_synonym(hgq_schemas *reg, field *f, const char *syn, size_t len,
                              const char *canonical, hgq_error *err)
{
    hgq_status st = check_canonical(f, canonical, err);
    if (st != HGQ_OK)
        return st;
    return plist_add(reg, &f->synonyms, syn, len, canonical ? canonical : "", err);
}

static hgq_status add_synonym_list(hgq_schemas *reg, field *f, const char *list, hgq_error *err)
{
    const char *p = list;
    while (p && *p) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        char canon[HGQ_KEY_MAX];
        hgq_status st;
        size_t cl;
        if (!eq)
            return hgq_error_set(err, HGQ_ESCHEMA, "synonym '%.*s' of field '%s' has no '='",
                                 (int)(len > 60 ? 60 : len), p, f->id);
        cl = len - (size_t)(eq + 1 - p);
        if (cl >= sizeof canon)
            return hgq_error_set(err, HGQ_ESCHEMA, "synonym too long in field '%s'", f->id);
        memcpy(canon, eq + 1, cl);
        canon[cl] = '\0';
        if ((st = add_synonym(reg, f, p, (size_t)(eq - p), canon, err)) != HGQ_OK)
            return st;
        p = bar ? bar + 1 : NULL;
    }
    return HGQ_OK;
}

hgq_status hgq_schema_add_field(hgq_schema *s, const hgq_field_def *def,
                                hgq_error *err)
{
    hgq_schemas *reg;
    field *f;
    long at;
    hgq_status st;
    if (!s || !def || !def->id || !*def->id)
        return hgq_error_set(err, HGQ_EARG, "field definition without an id");
    if ((unsigned)def->type > HGQ_FT_GENDER)
        return hgq_error_set(err, HGQ_EARG, "field '%s': bad type %d", def->id, (int)def->type);
    reg = s->reg;
    at = hgq_schema_find_field(s, def->id);
    if (at < 0) {
        if (s->n == s->cap) {
            size_t cap = s->cap ? s->cap * 2 : 16;
            field *fs = realloc(s->fields, cap * sizeof *fs);
            if (!fs)
                return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            s->fields = fs;
            s->cap = cap;
        }
        f = &s->fields[s->n];
        memset(f, 0, sizeof *f);
        f->id = hgq_arena_strdup(&reg->arena, def->id);
        if (!f->id)
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        s->n++;
    } else {
        f = &s->fields[at];
    }
    f->label = hgq_arena_strdup(&reg->arena, def->label && *def->label ? def->label : def->id);
    f->type = def->type;
    f->flags = def->flags;
    f->min = def->min;
    f->max = def->max;
    f->unit = def->unit && *def->unit ? hgq_arena_strdup(&reg->arena, def->unit) : NULL;
    f->ref_entity = f->ref_field = NULL;
    if (!f->label)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    if (def->ref && *def->ref) {
        const char *dot = strchr(def->ref, '.');
        if (!dot || dot == def->ref || !dot[1])
            return hgq_error_set(err, HGQ_ESCHEMA,
                                 "field '%s': reference '%s' is not 'entity.field'", def->id, def->ref);
        f->ref_entity = hgq_arena_strndup(&reg->arena, def->ref, (size_t)(dot - def->ref));
        f->ref_field = hgq_arena_strdup(&reg->arena, dot + 1);
        if (!f->ref_entity || !f->ref_field)
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    }
    if ((st = plist_add(reg, &f->headers, f->label, strlen(f->label), NULL, err)) != HGQ_OK ||
        (st = plist_add(reg, &f->headers, f->id, strlen(f->id), NULL, err)) != HGQ_OK ||
        (st = plist_add_list(reg, &f->headers, def->headers, err)) != HGQ_OK)
        return st;
    if (f->type == HGQ_FT_GENDER && f->values.n == 0 &&
        (st = plist_add_list(reg, &f->values, "男|女", err)) != HGQ_OK)
        return st;
    if ((st = plist_add_list(reg, &f->values, def->values, err)) != HGQ_OK)
        return st;
    return add_synonym_list(reg, f, def->synonyms, err);
}

hgq_status hgq_schema_add_header(hgq_schema *s, const char *fid, const char *header,
                                 hgq_error *err)
{
    field *f = find(s, fid, err);
    if (!f)
        return HGQ_ENOTFOUND;
    if (!header)
        return hgq_error_set(err, HGQ_EARG, "header is NULL");
    return plist_add(s->reg, &f->headers, header, strlen(header), NULL, err);
}

hgq_status hgq_schema_add_value(hgq_schema *s, const char *fid, const char *value,
                                hgq_error *err)
{
    field *f = find(s, fid, err);
    if (!f)
        return HGQ_ENOTFOUND;
    if (!value)
        return hgq_error_set(err, HGQ_EARG, "value is NULL");
    return plist_add(s->reg, &f->values, value, strlen(value), NULL, err);
}

hgq_status hgq_schema_add_synonym(hgq_schema *s, const char *fid, const char *synonym,
                                  const char *canonical, hgq_error *err)
{
    field *f = find(s, fid, err);
    if (!f)
        return HGQ_ENOTFOUND;
    if (!synonym)
        return hgq_error_set(err, HGQ_EARG, "synonym is NULL");
    return add_synonym(s->reg, f, synonym, strlen(synonym), canonical, err);
}

hgq_status hgq_schema_set_flags(hgq_schema *s, const char *fid, unsigned flags,
                                hgq_error *err)
{
    field *f = find(s, fid, err);
    if (!f)
        return HGQ_ENOTFOUND;
    f->flags = flags;
    return HGQ_OK;
}

long hgq_schema_match_header(const hgq_schema *s, const char *text, size_t len)
{
    char keys[3][HGQ_KEY_MAX];
    int nk = hgq_model_header_keys(text, len, keys, NULL, 0), k;
    size_t i;
    for (k = 0; k < nk; k++)
        for (i = 0; i < s->n; i++)
            if (plist_find(&s->fields[i].headers, keys[k]))
                return (long)i;
    return -1;
}

/* Canonical spelling of a key in one field (synonyms first), or NULL. */
static const char *canonical_in(const field *f, const char *key)
{
    const spelling *sp = plist_find(&f->synonyms, key);
    if (sp)
        return sp->canonical;
    sp = plist_find(&f->values, key);
    return sp ? sp->text : NULL;
}

static const field *ref_target(const hgq_schema *s, const field *f)
{
    hgq_schema *t;
    long i;
    if (!f->ref_entity)
        return NULL;
    t = hgq_schemas_get(s->reg, f->ref_entity);
    if (!t || (i = hgq_schema_find_field(t, f->ref_field)) < 0)
        return NULL;
    return &t->fields[i];
}

static const char *canonical_key(const hgq_schema *s, const field *f, const char *key)
{
    const char *c = canonical_in(f, key);
    const field *t;
    if (c)
        return c;
    t = ref_target(s, f);
    return t && t != f ? canonical_in(t, key) : NULL;
}

const char *hgq_schema_canonical(const hgq_schema *s, size_t index,
                                 const char *text, size_t len)
{
    char key[HGQ_KEY_MAX];
    if (!s || index >= s->n || !text)
        return NULL;
    if (hgq_model_key(text, len, key, sizeof key) == (size_t)-1)
        return NULL;
    return canonical_key(s, &s->fields[index], key);
}

/* }==================================================================== */

/* {====================================================================
 * Units
 * ===================================================================== */

enum { DIM_AREA = 1, DIM_MONEY, DIM_COUNT, DIM_SCALE, DIM_PERCENT };

typedef struct unit_def {
    const char *name;
    int dim;
    double factor;   /* to the dimension's base: m², 元, 1 */
} unit_def;

static const unit_def units[] = {
    {"m²", DIM_AREA, 1}, {"㎡", DIM_AREA, 1}, {"m2", DIM_AREA, 1}, {"平方米", DIM_AREA, 1},
    {"平米", DIM_AREA, 1}, {"平方", DIM_AREA, 1}, {"亩", DIM_AREA, 10000.0 / 15.0},
    {"公顷", DIM_AREA, 10000}, {"万平方米", DIM_AREA, 10000}, {"万m²", DIM_AREA, 10000},
    {"元", DIM_MONEY, 1}, {"千元", DIM_MONEY, 1e3}, {"万元", DIM_MONEY, 1e4},
    {"亿元", DIM_MONEY, 1e8},
    {"人", DIM_COUNT, 1}, {"人次", DIM_COUNT, 1}, {"名", DIM_COUNT, 1}, {"位", DIM_COUNT, 1},
    {"个", DIM_COUNT, 1}, {"台", DIM_COUNT, 1}, {"套", DIM_COUNT, 1}, {"台套", DIM_COUNT, 1},
    {"件", DIM_COUNT, 1}, {"册", DIM_COUNT, 1}, {"本", DIM_COUNT, 1}, {"间", DIM_COUNT, 1},
    {"所", DIM_COUNT, 1}, {"家", DIM_COUNT, 1}, {"项", DIM_COUNT, 1}, {"门", DIM_COUNT, 1},
    {"部", DIM_COUNT, 1}, {"次", DIM_COUNT, 1}, {"张", DIM_COUNT, 1}, {"辆", DIM_COUNT, 1},
    {"座", DIM_COUNT, 1}, {"栋", DIM_COUNT, 1},
    {"万人", DIM_COUNT, 1e4}, {"万人次", DIM_COUNT, 1e4}, {"万册", DIM_COUNT, 1e4},
    {"万", DIM_SCALE, 1e4}, {"亿", DIM_SCALE, 1e8}, {"千", DIM_SCALE, 1e3}, {"百", DIM_SCALE, 100},
    {"%", DIM_PERCENT, 1}
};

static const unit_def *unit_find(const char *name)
{
    size_t i;
    if (!name || !*name)
        return NULL;
    for (i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strcmp(units[i].name, name) == 0)
            return &units[i];
    return NULL;
}

int hgq_unit_convert(double amount, const char *from, const char *to, double *out)
{
    const unit_def *uf, *ut;
    if (!from || !*from || !to || !*to || strcmp(from, to) == 0) {
        *out = amount;
        return 1;
    }
    uf = unit_find(from);
    ut = unit_find(to);
    if (!uf || !ut)
        return 0;
    if (uf->dim == DIM_SCALE && ut->dim != DIM_SCALE && ut->dim != DIM_PERCENT) {
        *out = amount * uf->factor / ut->factor;
        return 1;
    }
    if (uf->dim != ut->dim)
        return 0;
    *out = amount * uf->factor / ut->factor;
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Parsing cells
 * ===================================================================== */

static void set_bad(hgq_parsed *out, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void set_bad(hgq_parsed *out, const char *code, const char *fmt, ...)
{
    va_list ap;
    out->status = HGQ_PARSE_BAD;
    out->code = code;
    out->value = hgq_null();
    va_start(ap, fmt);
    vsnprintf(out->reason, sizeof out->reason, fmt, ap);
    va_end(ap);
    /* never leave a cut UTF-8 sequence at the end */
    {
        char tmp[sizeof out->reason];
        hgq_strlcpy_utf8(tmp, out->reason, sizeof tmp);
        memcpy(out->reason, tmp, sizeof tmp);
    }
}

/* A short quotation of the offending text for a reason. */
static void quote(const char *s, char *buf, size_t size)
{
    hgq_strlcpy_utf8(buf, s, size);
}

/* Storage for normalised text: the inline buffer or a heap block. */
static char *text_room(hgq_parsed *out, size_t need)
{
    if (need <= sizeof out->text)
        return out->text;
    free(out->long_text);
    out->long_text = malloc(need);
    return out->long_text;
}

/* Small Chinese numerals: 一 .. 九十九, 两, 零, with an optional unit
 * (年, 年制, 个, 人, 名, 届, 级). Returns 1 and *v, or 0. */
static int chinese_int(const char *s, size_t len, int64_t *v)
{
    static const char *const digits[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    static const char *const tails[] = {"", "年", "年制", "个", "人", "名", "届", "级", "年级"};
    char k[64];
    size_t n = hgq_model_key(s, len, k, sizeof k), i = 0, t;
    int64_t tens = -1, unit = -1;
    if (n == (size_t)-1 || n == 0)
        return 0;
    while (i < n) {
        int d = -1, j;
        for (j = 0; j < 10; j++)
            if (strncmp(k + i, digits[j], 3) == 0)
                d = j;
        if (d < 0 && strncmp(k + i, "两", 3) == 0)
            d = 2;
        if (d >= 0) {
            if (unit >= 0)
                return 0;
            unit = d;
            i += 3;
        } else if (strncmp(k + i, "十", 3) == 0) {
            if (tens >= 0)
                return 0;
            tens = unit < 0 ? 1 : unit;
            unit = -1;
            i += 3;
        } else {
            break;
        }
    }
    if (tens < 0 && unit < 0)
        return 0;
    for (t = 0; t < sizeof tails / sizeof tails[0]; t++)
        if (strcmp(k + i, tails[t]) == 0) {
            *v = (tens < 0 ? 0 : tens * 10) + (unit < 0 ? 0 : unit);
            return 1;
        }
    return 0;
}

/* Splits a list value on 、，,;；/ and normalises each item through the
 * field's synonyms; writes the items joined by 、 into out. */
static hgq_parse_status parse_list(const hgq_schema *s, const field *f, const char *t,
                                   size_t tl, hgq_parsed *out)
{
    static const char *const seps[] = {"、", "，", ",", ";", "；", "/", "／"};
    hgq_buf b;
    size_t i = 0, start = 0, items = 0;
    hgq_buf_init(&b);
    while (i <= tl) {
        size_t sl = 0, j;
        if (i < tl)
            for (j = 0; j < sizeof seps / sizeof seps[0]; j++) {
                size_t l = strlen(seps[j]);
                if (i + l <= tl && memcmp(t + i, seps[j], l) == 0) {
                    sl = l;
                    break;
                }
            }
        if (i == tl || sl) {
            char key[HGQ_KEY_MAX], item[HGQ_KEY_MAX];
            size_t kl = hgq_model_key(t + start, i - start, key, sizeof key);
            size_t il = hgq_norm_fold(t + start, i - start, item, sizeof item);
            if (kl != (size_t)-1 && kl > 0 && il != (size_t)-1) {
                const char *c = canonical_key(s, f, key);
                if (!c && f->type == HGQ_FT_ENUM) {
                    char q[96];
                    quote(item, q, sizeof q);
                    hgq_buf_free(&b);
                    set_bad(out, "value.enum", "「%s」不是%s的可用取值", q, f->label);
                    return out->status;
                }
                if (!c || *c) {
                    if ((items && hgq_buf_append_str(&b, "、") < 0) ||
                        hgq_buf_append_str(&b, c ? c : item) < 0) {
                        hgq_buf_free(&b);
                        set_bad(out, "value.memory", "内存不足");
                        return out->status;
                    }
                    items++;
                }
            }
            i += sl ? sl : 1;
            start = i;
        } else {
            i++;
        }
    }
    if (!items) {
        hgq_buf_free(&b);
        out->status = HGQ_PARSE_EMPTY;
        return out->status;
    }
    {
        char *room = text_room(out, b.len + 1);
        if (!room) {
            hgq_buf_free(&b);
            set_bad(out, "value.memory", "内存不足");
            return out->status;
        }
        memcpy(room, b.data, b.len + 1);
        out->value = hgq_text(room);
    }
    hgq_buf_free(&b);
    out->status = HGQ_PARSE_OK;
    return out->status;
}

/* The list of an enumeration's values for a reason: "研究生、本科、专科". */
static void values_list(const field *f, char *buf, size_t size)
{
    size_t i, n = 0;
    buf[0] = '\0';
    for (i = 0; i < f->values.n; i++) {
        size_t l = strlen(f->values.items[i].text);
        if (n + l + 8 >= size) {
            if (n + 4 < size)
                memcpy(buf + n, "…", 4), n += 3, buf[n] = '\0';
            break;
        }
        if (i) {
            memcpy(buf + n, "、", 3);
            n += 3;
        }
        memcpy(buf + n, f->values.items[i].text, l);
        n += l;
        buf[n] = '\0';
    }
}

static hgq_parse_status parse_text_value(const hgq_schema *s, const field *f, const char *t,
                                         size_t tl, hgq_parsed *out)
{
    char key[HGQ_KEY_MAX], q[96];
    const char *c = NULL;
    if (f->flags & HGQ_FIELD_LIST)
        return parse_list(s, f, t, tl, out);
    if (hgq_model_key(t, tl, key, sizeof key) != (size_t)-1)
        c = canonical_key(s, f, key);
    if (c) {
        if (!*c) {
            out->status = HGQ_PARSE_EMPTY;
            return out->status;
        }
        out->value = hgq_text(c);
        out->status = HGQ_PARSE_OK;
        return out->status;
    }
    if (f->type == HGQ_FT_ENUM) {
        char vals[160];
        quote(t, q, sizeof q);
        values_list(f, vals, sizeof vals);
        set_bad(out, "value.enum", "「%s」不是%s的可用取值（可用：%s）", q, f->label, vals);
        return out->status;
    }
    if (f->type == HGQ_FT_GENDER) {
        int male;
        if (hgq_norm_gender(t, tl, &male)) {
            out->value = hgq_text(male ? "男" : "女");
            out->status = HGQ_PARSE_OK;
            return out->status;
        }
        quote(t, q, sizeof q);
        set_bad(out, "value.gender", "「%s」不是有效的性别（应为男或女）", q);
        return out->status;
    }
    {
        char *room = text_room(out, tl + 1);
        size_t n;
        if (!room) {
            set_bad(out, "value.memory", "内存不足");
            return out->status;
        }
        n = (f->flags & HGQ_FIELD_SQUEEZE) ? hgq_norm_collapse(t, tl, room, tl + 1)
                                           : hgq_norm_fold(t, tl, room, tl + 1);
        if (n == (size_t)-1 || n == 0) {
            out->status = HGQ_PARSE_EMPTY;
            return out->status;
        }
        out->value = hgq_text(room);
        out->status = HGQ_PARSE_OK;
        return out->status;
    }
}

static hgq_parse_status parse_number_text(const field *f, const char *t, size_t tl,
                                          const char *hunit, hgq_parsed *out)
{
    hgq_number num;
    char q[96];
    double v;
    int64_t iv;
    if (f->type == HGQ_FT_INT) {
        /* "2025级", "2024届": a year with the word schools put after it */
        static const char *const tails[] = {"级", "届", "年级", "年度", "级新生"};
        size_t k;
        if (hgq_norm_int(t, tl, &iv) || chinese_int(t, tl, &iv))
            goto integer;
        for (k = 0; k < sizeof tails / sizeof tails[0]; k++) {
            size_t l = strlen(tails[k]);
            size_t e = tl;
            while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '\t'))
                e--;
            if (e > l && memcmp(t + e - l, tails[k], l) == 0 && hgq_norm_int(t, e - l, &iv))
                goto integer;
        }
    }
    if (!hgq_norm_number(t, tl, &num)) {
        quote(t, q, sizeof q);
        set_bad(out, f->type == HGQ_FT_INT ? "value.integer" : "value.number",
                "「%s」不是有效的%s", q, f->type == HGQ_FT_INT ? "整数" : "数值");
        return out->status;
    }
    v = num.value;
    if (num.percent) {
        if (f->unit && strcmp(f->unit, "%") == 0) {
            v = num.value * 100;
        } else if (f->unit || f->type == HGQ_FT_INT) {
            quote(t, q, sizeof q);
            set_bad(out, "value.unit", "「%s」是百分数，%s应填%s", q, f->label,
                    f->unit ? f->unit : "整数");
            return out->status;
        }
    } else {
        const char *from = num.unit[0] ? num.unit : hunit;
        if (f->unit) {
            if (!hgq_unit_convert(num.value, from, f->unit, &v)) {
                quote(t, q, sizeof q);
                set_bad(out, "value.unit", "「%s」的单位「%s」无法换算为%s的单位「%s」", q,
                        from, f->label, f->unit);
                return out->status;
            }
        } else if (from && *from) {
            const unit_def *u = unit_find(from);
            if (u && (u->dim == DIM_SCALE || u->factor != 1))
                v = num.value * u->factor;
        }
    }
    if (f->type == HGQ_FT_INT) {
        if (v != floor(v) || fabs(v) > 9007199254740992.0) {
            quote(t, q, sizeof q);
            set_bad(out, "value.integer", "「%s」不是整数", q);
            return out->status;
        }
        out->value = hgq_int((int64_t)v);
    } else {
        out->value = hgq_num(v);
    }
    out->status = HGQ_PARSE_OK;
    return out->status;
integer:
    out->value = hgq_int(iv);
    out->status = HGQ_PARSE_OK;
    return out->status;
}

static hgq_parse_status parse_from_number(const hgq_schema *s, const field *f, const hgq_cell *c,
                                          const char *hunit, hgq_parsed *out)
{
    double x = c->number, v;
    char text[64], q[64];
    switch (f->type) {
    case HGQ_FT_INT:
        if (x != floor(x) || fabs(x) > 9007199254740992.0) {
            format_number(x, q, sizeof q);
            set_bad(out, "value.integer", "「%s」不是整数", q);
            return out->status;
        }
        out->value = hgq_int((int64_t)x);
        break;
    case HGQ_FT_NUM:
        if (f->unit && !hgq_unit_convert(x, hunit, f->unit, &v)) {
            set_bad(out, "value.unit", "表头单位「%s」无法换算为%s的单位「%s」", hunit,
                    f->label, f->unit);
            return out->status;
        }
        out->value = hgq_num(f->unit ? v : x);
        break;
    case HGQ_FT_DATE:
        if (x == floor(x) && x >= 19000101 && x <= 99991231) {
            double serial;
            format_number(x, text, sizeof text);
            if (hgq_norm_date(text, strlen(text), &serial, NULL)) {
                out->value = hgq_date(serial);
                break;
            }
        }
        if (x >= 1 && x < 2958466) {
            out->value = hgq_date(x);
            break;
        }
        format_number(x, q, sizeof q);
        set_bad(out, "value.date", "「%s」不是有效的日期", q);
        return out->status;
    case HGQ_FT_BOOL:
        if (x == 0 || x == 1) {
            out->value = hgq_bool(x != 0);
            break;
        }
        format_number(x, q, sizeof q);
        set_bad(out, "value.bool", "「%s」不是是/否", q);
        return out->status;
    case HGQ_FT_IDCARD: {
        hgq_idcard id;
        hgq_norm_idcard_from_number(x, &id);
        snprintf(q, sizeof q, "%.0f", x);
        set_bad(out, "value.id_numeric",
                "以数字格式保存（%s），末几位已丢失，请将该列设为文本后重新录入", q);
        return out->status;
    }
    default:
        format_number(x, text, sizeof text);
        return parse_text_value(s, f, text, strlen(text), out);
    }
    out->status = HGQ_PARSE_OK;
    return out->status;
}

hgq_parse_status hgq_schema_parse(const hgq_schema *s, size_t index,
                                  const hgq_cell *cell, const char *unit,
                                  hgq_parsed *out)
{
    const field *f;
    const char *t;
    size_t tl;
    char key[HGQ_KEY_MAX], q[96];
    out->status = HGQ_PARSE_EMPTY;
    out->value = hgq_null();
    out->code = NULL;
    out->reason[0] = '\0';
    out->text[0] = '\0';
    out->long_text = NULL;
    if (!s || index >= s->n) {
        set_bad(out, "value.field", "没有这个字段");
        return out->status;
    }
    f = &s->fields[index];
    if (!cell)
        return out->status;
    switch (cell->type) {
    case HGQ_CELL_EMPTY:
        return out->status;
    case HGQ_CELL_ERROR:
        set_bad(out, "value.error", "单元格是错误值%s", cell->text ? cell->text : "");
        return out->status;
    case HGQ_CELL_NUMBER:
        return parse_from_number(s, f, cell, unit, out);
    case HGQ_CELL_DATE:
        if (f->type == HGQ_FT_DATE) {
            out->value = hgq_date(cell->number);
            out->status = HGQ_PARSE_OK;
            return out->status;
        }
        if (f->type == HGQ_FT_TEXT || f->type == HGQ_FT_ENUM) {
            char text[32];
            format_date(cell->number, text, sizeof text);
            return parse_text_value(s, f, text, strlen(text), out);
        }
        return parse_from_number(s, f, cell, unit, out);
    case HGQ_CELL_BOOL:
        if (f->type == HGQ_FT_BOOL) {
            out->value = hgq_bool(cell->number != 0);
            out->status = HGQ_PARSE_OK;
            return out->status;
        }
        t = cell->number != 0 ? "是" : "否";
        tl = strlen(t);
        break;
    default:
        t = cell->text ? cell->text : "";
        tl = cell->text ? cell->text_len : 0;
        break;
    }
    /* text from here on */
    if (hgq_model_key(t, tl, key, sizeof key) == 0)
        return out->status;
    if (hgq_model_is_dash(t, tl))
        return out->status;
    switch (f->type) {
    case HGQ_FT_TEXT:
    case HGQ_FT_ENUM:
    case HGQ_FT_GENDER:
        return parse_text_value(s, f, t, tl, out);
    default:
        break;
    }
    /* a synonym of a typed field: its canonical text is parsed instead */
    if (key[0] && f->synonyms.n) {
        const spelling *sp = plist_find(&f->synonyms, key);
        if (sp) {
            if (!*sp->canonical)
                return out->status;
            t = sp->canonical;
            tl = strlen(t);
        }
    }
    switch (f->type) {
    case HGQ_FT_INT:
    case HGQ_FT_NUM:
        return parse_number_text(f, t, tl, unit, out);
    case HGQ_FT_DATE: {
        double serial;
        if (hgq_norm_date(t, tl, &serial, NULL)) {
            out->value = hgq_date(serial);
            out->status = HGQ_PARSE_OK;
            return out->status;
        }
        quote(t, q, sizeof q);
        set_bad(out, "value.date", "「%s」不是有效的日期", q);
        return out->status;
    }
    case HGQ_FT_BOOL: {
        int b;
        if (hgq_norm_bool(t, tl, &b)) {
            out->value = hgq_bool(b);
            out->status = HGQ_PARSE_OK;
            return out->status;
        }
        quote(t, q, sizeof q);
        set_bad(out, "value.bool", "「%s」不是是/否", q);
        return out->status;
    }
    case HGQ_FT_IDCARD: {
        hgq_idcard id;
        char *room;
        size_t n;
        hgq_norm_idcard(t, tl, &id);
        if (id.problems & HGQ_ID_NUMERIC) {
            quote(t, q, sizeof q);
            set_bad(out, "value.id_numeric",
                    "以科学计数法保存（%s），末几位已丢失，请将该列设为文本后重新录入", q);
            return out->status;
        }
        if (id.number[0]) {
            memcpy(out->text, id.number, sizeof id.number);
            out->value = hgq_text(out->text);
            out->status = HGQ_PARSE_OK;
            return out->status;
        }
        /* kept as typed (white space removed, x upper-cased): validation says what is wrong */
        room = text_room(out, tl + 1);
        if (!room) {
            set_bad(out, "value.memory", "内存不足");
            return out->status;
        }
        n = hgq_norm_collapse(t, tl, room, tl + 1);
        if (n == (size_t)-1 || n == 0) {
            out->status = HGQ_PARSE_EMPTY;
            return out->status;
        }
        if (room[n - 1] == 'x')
            room[n - 1] = 'X';
        out->value = hgq_text(room);
        out->status = HGQ_PARSE_OK;
        return out->status;
    }
    default:
        break;
    }
    set_bad(out, "value.field", "未知的字段类型");
    return out->status;
}

void hgq_parsed_clear(hgq_parsed *p)
{
    if (!p)
        return;
    free(p->long_text);
    p->long_text = NULL;
}

/* }==================================================================== */
