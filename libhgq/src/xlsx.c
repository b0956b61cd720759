/*
 * xlsx.c - the package of an .xlsx file: content types, relationships, the
 * workbook part (sheets, defined names, date system) and the shared strings.
 * Parts are found through relationships, with [Content_Types].xml as the
 * fallback, never by assumed paths.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xlsx.h"

#define PART_MAX 1024

/* {====================================================================
 * Part names and relationship targets
 * ===================================================================== */

static int hexdigit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int hgq_xlsx_resolve(const char *source, const char *target, char *out, size_t size)
{
    size_t len = 0, i = 0;
    char seg[PART_MAX];
    if (!target || !*target || size < 2)
        return -1;
    if (target[0] != '/' && target[0] != '\\') {
        const char *slash = strrchr(source, '/');
        if (slash) {
            len = (size_t)(slash - source);
            if (len >= size)
                return -1;
            memcpy(out, source, len);
        }
    }
    while (target[i]) {
        size_t n = 0;
        /* one segment, percent-decoded */
        while (target[i] && target[i] != '/' && target[i] != '\\') {
            int c = (unsigned char)target[i];
            if (c == '%' && hexdigit((unsigned char)target[i + 1]) >= 0 &&
                hexdigit((unsigned char)target[i + 2]) >= 0) {
                c = hexdigit((unsigned char)target[i + 1]) * 16 +
                    hexdigit((unsigned char)target[i + 2]);
                i += 2;
                if (c == 0 || c == '/' || c == '\\')
                    return -1;
            }
            if (n + 1 >= sizeof seg)
                return -1;
            seg[n++] = (char)c;
            i++;
        }
        if (target[i])
            i++;
        if (n == 0 || (n == 1 && seg[0] == '.'))
            continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            const char *slash;
            if (len == 0)
                return -1; /* would leave the package */
            out[len] = '\0';
            slash = strrchr(out, '/');
            len = slash ? (size_t)(slash - out) : 0;
            continue;
        }
        if (len + (len > 0) + n + 1 > size)
            return -1;
        if (len > 0)
            out[len++] = '/';
        memcpy(out + len, seg, n);
        len += n;
    }
    out[len] = '\0';
    return len > 0 ? 0 : -1;
}

/* The relationships part of `source`: dir/_rels/base.rels. */
static int rels_part_of(const char *source, char *out, size_t size)
{
    const char *slash = strrchr(source, '/');
    int n;
    if (!slash)
        n = snprintf(out, size, "_rels/%s.rels", source);
    else
        n = snprintf(out, size, "%.*s/_rels/%s.rels", (int)(slash - source), source, slash + 1);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* }==================================================================== */

/* {====================================================================
 * [Content_Types].xml and relationship parts
 * ===================================================================== */

typedef struct ct_override {
    const char *part;
    const char *type;
} ct_override;

typedef struct rel {
    const char *id;
    const char *type;
    const char *target;     /* raw Target */
    int external;
} rel;

/* One state for both small parts: collects Override or Relationship items. */
typedef struct list_state {
    hgq_xml x;
    hgq_xlsx *wb;
    int rels;               /* 1: relationships, 0: content types */
    void *items;
    size_t n, cap;
} list_state;

static void *list_push(list_state *s, size_t itemsize)
{
    if (s->n == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 16;
        void *p = realloc(s->items, ncap * itemsize);
        if (!p) {
            hgq_xml_fail(&s->x, HGQ_ENOMEM, "out of memory");
            return NULL;
        }
        s->items = p;
        s->cap = ncap;
    }
    return (char *)s->items + itemsize * s->n++;
}

static const char *arena_dup(list_state *s, const char *v)
{
    const char *d = hgq_arena_strdup(&s->wb->arena, v ? v : "");
    if (!d)
        hgq_xml_fail(&s->x, HGQ_ENOMEM, "out of memory");
    return d;
}

static void XMLCALL list_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    list_state *s = ud;
    int ns;
    const char *local = hgq_xml_local(name, &ns);
    if (ns != HGQ_NS_PKG && ns != HGQ_NS_NONE)
        return;
    if (s->rels && strcmp(local, "Relationship") == 0) {
        const char *mode = hgq_xml_attr(atts, "TargetMode", HGQ_NS_NONE);
        rel *r = list_push(s, sizeof *r);
        if (!r)
            return;
        r->id = arena_dup(s, hgq_xml_attr(atts, "Id", HGQ_NS_NONE));
        r->type = arena_dup(s, hgq_xml_attr(atts, "Type", HGQ_NS_NONE));
        r->target = arena_dup(s, hgq_xml_attr(atts, "Target", HGQ_NS_NONE));
        r->external = mode && strcmp(mode, "External") == 0;
    } else if (!s->rels && strcmp(local, "Override") == 0) {
        const char *part = hgq_xml_attr(atts, "PartName", HGQ_NS_NONE);
        const char *type = hgq_xml_attr(atts, "ContentType", HGQ_NS_NONE);
        ct_override *o;
        if (!part || !type)
            return;
        o = list_push(s, sizeof *o);
        if (!o)
            return;
        while (*part == '/')
            part++;
        o->part = arena_dup(s, part);
        o->type = arena_dup(s, type);
    }
}

/* Reads a list part. *present is 0 (and the call succeeds) when it is missing. */
static hgq_status read_list(hgq_xlsx *wb, const char *part, int rels, void **items,
                            size_t *n, int *present, hgq_error *err)
{
    list_state s;
    hgq_status st;
    *items = NULL;
    *n = 0;
    *present = hgq_zip_find(wb->zip, part) >= 0;
    if (!*present)
        return HGQ_OK;
    memset(&s, 0, sizeof s);
    s.wb = wb;
    s.rels = rels;
    st = hgq_xml_open(&s.x, wb->zip, part, wb->file, &s, list_start, NULL, NULL, err);
    if (st != HGQ_OK)
        return st;
    st = hgq_xml_run(&s.x, err);
    hgq_xml_close(&s.x);
    if (st != HGQ_OK) {
        free(s.items);
        return st;
    }
    *items = s.items;
    *n = s.n;
    return HGQ_OK;
}

static const rel *find_rel_type(const rel *rels, size_t n, const char *suffix)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (!rels[i].external && ends_with(rels[i].type, suffix))
            return &rels[i];
    return NULL;
}

static const char *find_override(const ct_override *o, size_t n, const char *type)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(o[i].type, type) == 0)
            return o[i].part;
    return NULL;
}

static const char *override_type(const ct_override *o, size_t n, const char *part)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcasecmp(o[i].part, part) == 0)
            return o[i].type;
    return NULL;
}

static hgq_status part_fail(hgq_xlsx *wb, const char *part, hgq_error *err, hgq_status code,
                            const char *fmt, const char *a, const char *b)
{
    hgq_error_set(err, code, fmt, a, b);
    hgq_error_set_file(err, wb->file);
    hgq_error_set_part(err, part);
    return code;
}

/* Resolves relationship r of `source` into a part name kept in the arena. */
static hgq_status rel_target(hgq_xlsx *wb, const char *source, const char *rels_part,
                             const rel *r, const char **out, hgq_error *err)
{
    char buf[PART_MAX];
    if (r->external)
        return part_fail(wb, rels_part, err, HGQ_EPART,
                         "relationship %s points outside the file (%s)", r->id, r->target);
    if (hgq_xlsx_resolve(source, r->target, buf, sizeof buf) != 0)
        return part_fail(wb, rels_part, err, HGQ_EPART,
                         "relationship %s target '%s' leaves the package or is invalid",
                         r->id, r->target);
    *out = hgq_arena_strdup(&wb->arena, buf);
    if (!*out)
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    return HGQ_OK;
}

/* }==================================================================== */

/* {====================================================================
 * The workbook part
 * ===================================================================== */

typedef struct book_state {
    hgq_xml x;
    hgq_xlsx *wb;
    const char *part;
    const char *rels_part;
    const rel *rels;
    size_t nrels;
    int rels_present;
    hgq_buf sheets;         /* hgq_sheet_info[] */
    hgq_buf priv;           /* hgq_xlsx_sheet[] */
    hgq_buf names;          /* hgq_defined_name[] */
    int in_name;            /* inside <definedName> */
    hgq_buf text;
} book_state;

static const char *book_dup(book_state *s, const char *v)
{
    const char *d = hgq_arena_strdup(&s->wb->arena, v ? v : "");
    if (!d)
        hgq_xml_fail(&s->x, HGQ_ENOMEM, "out of memory");
    return d;
}

static int truthy(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "on") == 0);
}

static void book_sheet(book_state *s, const XML_Char **atts)
{
    hgq_sheet_info info;
    hgq_xlsx_sheet priv;
    const char *name = hgq_xml_attr(atts, "name", HGQ_NS_NONE);
    const char *state = hgq_xml_attr(atts, "state", HGQ_NS_NONE);
    const char *rid = hgq_xml_attr(atts, "id", HGQ_NS_REL);
    size_t i;
    char problem[HGQ_ERROR_MESSAGE_MAX];

    memset(&priv, 0, sizeof priv);
    if (!name || !*name) {
        hgq_xml_fail(&s->x, HGQ_EPART, "a sheet has no name");
        return;
    }
    if (!hgq_utf8_valid(name, strlen(name))) {
        hgq_xml_fail(&s->x, HGQ_EENCODING, "sheet name is not valid UTF-8");
        return;
    }
    info.name = book_dup(s, name);
    info.visibility = HGQ_VISIBLE;
    if (state && strcmp(state, "hidden") == 0)
        info.visibility = HGQ_HIDDEN;
    else if (state && strcmp(state, "veryHidden") == 0)
        info.visibility = HGQ_VERY_HIDDEN;
    info.part = "";
    problem[0] = '\0';
    if (!rid) {
        snprintf(problem, sizeof problem, "sheet has no relationship id (r:id) in %s", s->part);
    } else {
        for (i = 0; i < s->nrels; i++)
            if (strcmp(s->rels[i].id, rid) == 0)
                break;
        if (i == s->nrels) {
            snprintf(problem, sizeof problem, "relationship %.64s of the sheet is missing from %s",
                     rid, s->rels_part);
        } else {
            hgq_error e;
            if (rel_target(s->wb, s->part, s->rels_part, &s->rels[i], &info.part, &e) != HGQ_OK) {
                hgq_xml_fail(&s->x, e.code, "%s", e.message);
                return;
            }
        }
    }
    if (problem[0])
        priv.problem = book_dup(s, problem);
    if (s->x.status != HGQ_OK)
        return;
    if (hgq_buf_append(&s->sheets, &info, sizeof info) ||
        hgq_buf_append(&s->priv, &priv, sizeof priv))
        hgq_xml_fail(&s->x, HGQ_ENOMEM, "out of memory");
}

static void XMLCALL book_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    book_state *s = ud;
    int ns;
    const char *local = hgq_xml_local(name, &ns);
    if (ns != HGQ_NS_MAIN && ns != HGQ_NS_NONE)
        return;
    if (strcmp(local, "sheet") == 0) {
        book_sheet(s, atts);
    } else if (strcmp(local, "workbookPr") == 0) {
        s->wb->date1904 = truthy(hgq_xml_attr(atts, "date1904", HGQ_NS_NONE));
    } else if (strcmp(local, "definedName") == 0) {
        hgq_defined_name dn;
        const char *local_id = hgq_xml_attr(atts, "localSheetId", HGQ_NS_NONE);
        dn.name = book_dup(s, hgq_xml_attr(atts, "name", HGQ_NS_NONE));
        dn.value = "";
        dn.local_sheet = -1;
        if (local_id) {
            char *end;
            long v = strtol(local_id, &end, 10);
            if (*end == '\0' && v >= 0 && v < 65536)
                dn.local_sheet = (int)v;
        }
        dn.hidden = truthy(hgq_xml_attr(atts, "hidden", HGQ_NS_NONE));
        if (hgq_buf_append(&s->names, &dn, sizeof dn)) {
            hgq_xml_fail(&s->x, HGQ_ENOMEM, "out of memory");
            return;
        }
        s->in_name = 1;
        hgq_buf_clear(&s->text);
    }
}

static void XMLCALL book_end(void *ud, const XML_Char *name)
{
    book_state *s = ud;
    int ns;
    const char *local = hgq_xml_local(name, &ns);
    if (s->in_name && strcmp(local, "definedName") == 0 &&
        (ns == HGQ_NS_MAIN || ns == HGQ_NS_NONE)) {
        hgq_defined_name *dn =
            (hgq_defined_name *)(s->names.data + s->names.len - sizeof *dn);
        s->in_name = 0;
        dn->value = book_dup(s, s->text.data ? s->text.data : "");
    }
}

static void XMLCALL book_text(void *ud, const XML_Char *text, int len)
{
    book_state *s = ud;
    if (!s->in_name)
        return;
    if (s->text.len + (size_t)len > s->wb->opt.max_cell_bytes) {
        hgq_xml_fail(&s->x, HGQ_ELIMIT, "defined name longer than %lu bytes (max_cell_bytes)",
                     (unsigned long)s->wb->opt.max_cell_bytes);
        return;
    }
    if (hgq_buf_append(&s->text, text, (size_t)len))
        hgq_xml_fail(&s->x, HGQ_ENOMEM, "out of memory");
}

static hgq_status read_workbook(hgq_xlsx *wb, const char *part, const char *rels_part,
                                const rel *rels, size_t nrels, hgq_error *err)
{
    book_state s;
    hgq_status st;
    memset(&s, 0, sizeof s);
    s.wb = wb;
    s.part = part;
    s.rels_part = rels_part;
    s.rels = rels;
    s.nrels = nrels;
    st = hgq_xml_open(&s.x, wb->zip, part, wb->file, &s, book_start, book_end, book_text, err);
    if (st == HGQ_OK) {
        st = hgq_xml_run(&s.x, err);
        hgq_xml_close(&s.x);
    }
    if (st == HGQ_OK) {
        size_t nsheets = s.sheets.len / sizeof(hgq_sheet_info);
        size_t nnames = s.names.len / sizeof(hgq_defined_name);
        wb->sheets = hgq_arena_alloc(&wb->arena, (nsheets ? nsheets : 1) * sizeof *wb->sheets);
        wb->priv = hgq_arena_alloc(&wb->arena, (nsheets ? nsheets : 1) * sizeof *wb->priv);
        wb->names = hgq_arena_alloc(&wb->arena, (nnames ? nnames : 1) * sizeof *wb->names);
        if (!wb->sheets || !wb->priv || !wb->names) {
            st = hgq_error_set(err, HGQ_ENOMEM, NULL);
        } else {
            if (nsheets) {
                memcpy(wb->sheets, s.sheets.data, s.sheets.len);
                memcpy(wb->priv, s.priv.data, s.priv.len);
            }
            if (nnames)
                memcpy(wb->names, s.names.data, s.names.len);
            wb->nsheets = nsheets;
            wb->nnames = nnames;
            /* a name local to a sheet that is not there is taken as global */
            for (size_t i = 0; i < nnames; i++)
                if (wb->names[i].local_sheet >= (int)nsheets)
                    wb->names[i].local_sheet = -1;
        }
    }
    hgq_buf_free(&s.sheets);
    hgq_buf_free(&s.priv);
    hgq_buf_free(&s.names);
    hgq_buf_free(&s.text);
    return st;
}

/* }==================================================================== */

/* {====================================================================
 * Shared strings
 * ===================================================================== */

typedef struct sst_state {
    hgq_xml x;
    hgq_xlsx *wb;
    hgq_buf data;
    uint64_t *off;
    size_t n, cap;
    int in_si;
    int in_t;               /* inside a <t> that counts (not phonetic) */
    int rph_depth;          /* inside <rPh>: phonetic guide, skipped */
    size_t si_start;
} sst_state;

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sst_state *s = ud;
    int ns;
    const char *local = hgq_xml_name(&s->x, name, &ns);
    (void)atts;
    if (ns != HGQ_NS_MAIN && ns != HGQ_NS_NONE)
        return;
    if (s->rph_depth) {
        s->rph_depth++;
        return;
    }
    if (strcmp(local, "si") == 0) {
        if (s->n >= s->wb->opt.max_shared_strings) {
            hgq_xml_fail(&s->x, HGQ_ELIMIT, "more than %llu shared strings (max_shared_strings)",
                         (unsigned long long)s->wb->opt.max_shared_strings);
            return;
        }
        s->in_si = 1;
        s->si_start = s->data.len;
    } else if (s->in_si && strcmp(local, "t") == 0) {
        s->in_t = 1;
    } else if (s->in_si && strcmp(local, "rPh") == 0) {
        s->rph_depth = 1;
    }
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    sst_state *s = ud;
    int ns;
    const char *local;
    if (s->rph_depth) {
        s->rph_depth--;
        return;
    }
    local = hgq_xml_name(&s->x, name, &ns);
    if (ns != HGQ_NS_MAIN && ns != HGQ_NS_NONE)
        return;
    if (strcmp(local, "t") == 0) {
        s->in_t = 0;
    } else if (s->in_si && strcmp(local, "si") == 0) {
        size_t len = s->data.len - s->si_start;
        s->in_si = 0;
        if (len)
            len = hgq_xml_unescape(s->data.data + s->si_start, len);
        s->data.len = s->si_start + len;
        if (hgq_buf_append_char(&s->data, '\0')) {
            hgq_xml_fail(&s->x, HGQ_ENOMEM, "out of memory");
            return;
        }
        if (s->n + 1 >= s->cap) {
            size_t ncap = s->cap ? s->cap * 2 : 1024;
            uint64_t *n = realloc(s->off, ncap * sizeof *n);
            if (!n) {
                hgq_xml_fail(&s->x, HGQ_ENOMEM, "out of memory");
                return;
            }
            s->off = n;
            s->cap = ncap;
        }
        s->off[s->n++] = s->si_start;
    }
}

static void XMLCALL sst_text(void *ud, const XML_Char *text, int len)
{
    sst_state *s = ud;
    if (!s->in_t || s->rph_depth)
        return;
    if (s->data.len - s->si_start + (size_t)len > s->wb->opt.max_cell_bytes) {
        hgq_xml_fail(&s->x, HGQ_ELIMIT,
                     "shared string %zu is longer than %lu bytes (max_cell_bytes)", s->n,
                     (unsigned long)s->wb->opt.max_cell_bytes);
        return;
    }
    if (s->data.len + (size_t)len > s->wb->opt.max_shared_bytes) {
        hgq_xml_fail(&s->x, HGQ_ELIMIT,
                     "shared strings hold more than %llu bytes (max_shared_bytes)",
                     (unsigned long long)s->wb->opt.max_shared_bytes);
        return;
    }
    if (hgq_buf_append(&s->data, text, (size_t)len))
        hgq_xml_fail(&s->x, HGQ_ENOMEM, "out of memory");
}

static hgq_status read_sst(hgq_xlsx *wb, const char *part, hgq_error *err)
{
    sst_state s;
    hgq_status st;
    memset(&s, 0, sizeof s);
    s.wb = wb;
    st = hgq_xml_open(&s.x, wb->zip, part, wb->file, &s, sst_start, sst_end, sst_text, err);
    if (st != HGQ_OK)
        return st;
    st = hgq_xml_run(&s.x, err);
    hgq_xml_close(&s.x);
    if (st == HGQ_OK && !s.off) {
        s.off = malloc(sizeof *s.off);
        if (!s.off)
            st = hgq_error_set(err, HGQ_ENOMEM, NULL);
    }
    if (st != HGQ_OK) {
        hgq_buf_free(&s.data);
        free(s.off);
        return st;
    }
    s.off[s.n] = s.data.len;
    wb->sst_data = s.data.data;
    wb->sst_off = s.off;
    wb->sst_count = s.n;
    return HGQ_OK;
}

/* }==================================================================== */

/* {====================================================================
 * Loading
 * ===================================================================== */

#define CT_MAIN_PREFIX "application/vnd.openxmlformats-officedocument.spreadsheetml."
static const char *const main_types[] = {
    CT_MAIN_PREFIX "sheet.main+xml",
    CT_MAIN_PREFIX "template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-excel.addin.macroEnabled.main+xml",
};

/* Refuses packages that are not workbooks, by the main part's content type. */
static hgq_status check_main_type(hgq_xlsx *wb, const char *type, const char *part,
                                  hgq_error *err)
{
    if (!type)
        return HGQ_OK;
    if (strstr(type, "wordprocessingml"))
        return part_fail(wb, part, err, HGQ_EFORMAT, "%s%s",
                         "this is a Word document, not a workbook", "");
    if (strstr(type, "presentationml"))
        return part_fail(wb, part, err, HGQ_EFORMAT, "%s%s",
                         "this is a PowerPoint presentation, not a workbook", "");
    if (strstr(type, "sheet.binary"))
        return part_fail(wb, part, err, HGQ_EUNSUPPORTED, "%s%s",
                         "binary workbooks (.xlsb) are not supported; save the file as .xlsx",
                         "");
    return HGQ_OK;
}

/* Finds the workbook part: the package's officeDocument relationship, else
 * the content type of a workbook. */
static hgq_status find_main(hgq_xlsx *wb, const ct_override *ct, size_t nct, int ct_present,
                            const char **main, hgq_error *err)
{
    void *items;
    size_t n, i;
    int present;
    hgq_status st;
    const rel *r;

    *main = NULL;
    st = read_list(wb, "_rels/.rels", 1, &items, &n, &present, err);
    if (st != HGQ_OK)
        return st;
    r = find_rel_type(items, n, "/officeDocument");
    if (r)
        st = rel_target(wb, "", "_rels/.rels", r, main, err);
    free(items);
    if (st != HGQ_OK)
        return st;
    if (!*main) {
        for (i = 0; i < sizeof main_types / sizeof main_types[0] && !*main; i++)
            *main = find_override(ct, nct, main_types[i]);
    }
    if (!*main) {
        for (i = 0; i < nct; i++) {
            st = check_main_type(wb, ct[i].type, ct[i].part, err);
            if (st != HGQ_OK)
                return st;
        }
        if (!present && !ct_present)
            return part_fail(wb, NULL, err, HGQ_EFORMAT, "%s%s",
                             hgq_zip_find(wb->zip, "mimetype") >= 0
                                 ? "an OpenDocument file (.ods), not an .xlsx workbook; save "
                                   "it as .xlsx"
                                 : "a zip file but not an .xlsx workbook (no "
                                   "[Content_Types].xml or _rels/.rels)",
                             "");
        return part_fail(wb, present ? "_rels/.rels" : "[Content_Types].xml", err, HGQ_EPART,
                         "%s%s", "no workbook part: no officeDocument relationship",
                         present ? "" : " and no workbook content type");
    }
    return check_main_type(wb, override_type(ct, nct, *main), *main, err);
}

/* A workbook-level part by relationship type, else by content type; NULL if none. */
static hgq_status find_part(hgq_xlsx *wb, const char *main, const char *rels_part,
                            const rel *rels, size_t nrels, const char *rel_suffix,
                            const ct_override *ct, size_t nct, const char *type,
                            const char **out, hgq_error *err)
{
    const rel *r = find_rel_type(rels, nrels, rel_suffix);
    *out = NULL;
    if (r)
        return rel_target(wb, main, rels_part, r, out, err);
    *out = find_override(ct, nct, type);
    if (*out && hgq_zip_find(wb->zip, *out) < 0)
        *out = NULL;
    return HGQ_OK;
}

hgq_status hgq_xlsx_load(hgq_xlsx *wb, hgq_zip *zip, const char *file,
                         const hgq_reader_options *opt, hgq_error *err)
{
    void *ct = NULL, *rels = NULL;
    size_t nct = 0, nrels = 0;
    int ct_present, rels_present;
    const char *main, *styles, *sst;
    char rels_part[PART_MAX];
    hgq_status st;

    memset(wb, 0, sizeof *wb);
    hgq_arena_init(&wb->arena);
    wb->zip = zip;
    wb->file = file;
    if (opt)
        wb->opt = *opt;
    else
        hgq_reader_options_init(&wb->opt);

    st = read_list(wb, "[Content_Types].xml", 0, &ct, &nct, &ct_present, err);
    if (st == HGQ_OK)
        st = find_main(wb, ct, nct, ct_present, &main, err);
    if (st != HGQ_OK)
        goto done;
    if (hgq_zip_find(zip, main) < 0) {
        st = part_fail(wb, main, err, HGQ_EPART, "%s%s",
                       "the workbook part is missing from the package", "");
        goto done;
    }
    if (rels_part_of(main, rels_part, sizeof rels_part) != 0) {
        st = part_fail(wb, main, err, HGQ_EPART, "%s%s", "workbook part name too long", "");
        goto done;
    }
    st = read_list(wb, rels_part, 1, &rels, &nrels, &rels_present, err);
    if (st != HGQ_OK)
        goto done;
    if (!rels_present) {
        st = part_fail(wb, rels_part, err, HGQ_EPART, "%s%s",
                       "the workbook's relationships part is missing, so its sheets cannot be "
                       "found",
                       "");
        goto done;
    }
    st = read_workbook(wb, main, rels_part, rels, nrels, err);
    if (st != HGQ_OK)
        goto done;
    st = find_part(wb, main, rels_part, rels, nrels, "/styles", ct, nct,
                   CT_MAIN_PREFIX "styles+xml", &styles, err);
    if (st == HGQ_OK && styles && hgq_zip_find(zip, styles) >= 0)
        st = hgq_xlsx_load_styles(wb, styles, err);
    if (st != HGQ_OK)
        goto done;
    st = find_part(wb, main, rels_part, rels, nrels, "/sharedStrings", ct, nct,
                   CT_MAIN_PREFIX "sharedStrings+xml", &sst, err);
    if (st == HGQ_OK && sst && hgq_zip_find(zip, sst) >= 0)
        st = read_sst(wb, sst, err);
done:
    free(ct);
    free(rels);
    if (st != HGQ_OK) {
        hgq_xlsx_free(wb);
        if (err && !err->file[0])
            hgq_error_set_file(err, file);
    }
    return st;
}

void hgq_xlsx_free(hgq_xlsx *wb)
{
    size_t i;
    if (wb->priv)
        for (i = 0; i < wb->nsheets; i++)
            free(wb->priv[i].merges);
    free(wb->sst_data);
    free(wb->sst_off);
    hgq_arena_free(&wb->arena);
    memset(wb, 0, sizeof *wb);
}

hgq_status hgq_xlsx_merges(hgq_xlsx *wb, size_t sheet, const hgq_range **ranges,
                           size_t *count, hgq_error *err)
{
    hgq_xlsx_sheet *p = &wb->priv[sheet];
    if (!p->merges_loaded) {
        hgq_status st = hgq_sheet_read_merges(wb, sheet, &p->merges, &p->nmerges, err);
        if (st != HGQ_OK)
            return st;
        p->merges_loaded = 1;
    }
    *ranges = p->merges;
    *count = p->nmerges;
    return HGQ_OK;
}

/* }==================================================================== */
