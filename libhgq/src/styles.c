/*
 * styles.c - number formats: the built-in table, telling date formats from
 * the others, and the cell formats (cellXfs) of a workbook's styles part.
 */
#include <stdlib.h>
#include <string.h>

#include "xlsx.h"

/* {====================================================================
 * Built-in formats (ECMA-376 part 1, 18.8.30). Ids 27-36 and 50-58 depend
 * on the locale; they are given as Excel shows them in zh-CN.
 * ===================================================================== */

static const char *const builtin[] = {
    [0] = "General",
    [1] = "0",
    [2] = "0.00",
    [3] = "#,##0",
    [4] = "#,##0.00",
    [5] = "\"$\"#,##0_);(\"$\"#,##0)",
    [6] = "\"$\"#,##0_);[Red](\"$\"#,##0)",
    [7] = "\"$\"#,##0.00_);(\"$\"#,##0.00)",
    [8] = "\"$\"#,##0.00_);[Red](\"$\"#,##0.00)",
    [9] = "0%",
    [10] = "0.00%",
    [11] = "0.00E+00",
    [12] = "# ?/?",
    [13] = "# ?\?/??",
    [14] = "mm-dd-yy",
    [15] = "d-mmm-yy",
    [16] = "d-mmm",
    [17] = "mmm-yy",
    [18] = "h:mm AM/PM",
    [19] = "h:mm:ss AM/PM",
    [20] = "h:mm",
    [21] = "h:mm:ss",
    [22] = "m/d/yy h:mm",
    [27] = "yyyy\"年\"m\"月\"",
    [28] = "m\"月\"d\"日\"",
    [29] = "m\"月\"d\"日\"",
    [30] = "m-d-yy",
    [31] = "yyyy\"年\"m\"月\"d\"日\"",
    [32] = "h\"时\"mm\"分\"",
    [33] = "h\"时\"mm\"分\"ss\"秒\"",
    [34] = "上午/下午h\"时\"mm\"分\"",
    [35] = "上午/下午h\"时\"mm\"分\"ss\"秒\"",
    [36] = "yyyy\"年\"m\"月\"",
    [37] = "#,##0 ;(#,##0)",
    [38] = "#,##0 ;[Red](#,##0)",
    [39] = "#,##0.00;(#,##0.00)",
    [40] = "#,##0.00;[Red](#,##0.00)",
    [41] = "_(* #,##0_);_(* \\(#,##0\\);_(* \"-\"_);_(@_)",
    [42] = "_(\"$\"* #,##0_);_(\"$\"* \\(#,##0\\);_(\"$\"* \"-\"_);_(@_)",
    [43] = "_(* #,##0.00_);_(* \\(#,##0.00\\);_(* \"-\"??_);_(@_)",
    [44] = "_(\"$\"* #,##0.00_);_(\"$\"* \\(#,##0.00\\);_(\"$\"* \"-\"??_);_(@_)",
    [45] = "mm:ss",
    [46] = "[h]:mm:ss",
    [47] = "mmss.0",
    [48] = "##0.0E+0",
    [49] = "@",
    [50] = "yyyy\"年\"m\"月\"",
    [51] = "m\"月\"d\"日\"",
    [52] = "yyyy\"年\"m\"月\"",
    [53] = "m\"月\"d\"日\"",
    [54] = "m\"月\"d\"日\"",
    [55] = "上午/下午h\"时\"mm\"分\"",
    [56] = "上午/下午h\"时\"mm\"分\"ss\"秒\"",
    [57] = "yyyy\"年\"m\"月\"",
    [58] = "m\"月\"d\"日\"",
};

const char *hgq_numfmt_builtin(unsigned id)
{
    if (id >= sizeof builtin / sizeof builtin[0])
        return NULL;
    return builtin[id];
}

int hgq_numfmt_builtin_is_date(unsigned id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
           (id >= 50 && id <= 58);
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* [h], [mm], [ss]...: elapsed-time brackets, which make a time format. */
static int elapsed_bracket(const char *s, size_t n)
{
    size_t i;
    if (n == 0)
        return 0;
    for (i = 0; i < n; i++)
        if (lower((unsigned char)s[i]) != lower((unsigned char)s[0]))
            return 0;
    return lower((unsigned char)s[0]) == 'h' || lower((unsigned char)s[0]) == 'm' ||
           lower((unsigned char)s[0]) == 's';
}

int hgq_numfmt_is_date(const char *code)
{
    const char *p;
    if (!code || !*code)
        return 0;
    for (p = code; *p; p++) {
        int c = lower((unsigned char)*p);
        switch (c) {
        case '"': /* literal text */
            p = strchr(p + 1, '"');
            if (!p)
                return 0;
            break;
        case '\\': /* escaped character */
        case '_':  /* space as wide as the next character */
        case '*':  /* fill with the next character */
            if (!p[1])
                return 0;
            p++;
            break;
        case '[': { /* colour, condition, locale - or elapsed time */
            const char *close = strchr(p + 1, ']');
            if (!close)
                return 0;
            if (elapsed_bracket(p + 1, (size_t)(close - p - 1)))
                return 1;
            p = close;
            break;
        }
        case 'd':
        case 'm':
        case 'y':
        case 'h':
        case 's':
            return 1;
        default:
            break;
        }
    }
    return 0;
}

/* }==================================================================== */

/* {====================================================================
 * The styles part
 * ===================================================================== */

typedef struct custom_fmt {
    unsigned long id;
    size_t seq;        /* definition order: the last definition of an id wins */
    const char *code;
} custom_fmt;

typedef struct styles_state {
    hgq_xml x;
    hgq_xlsx *wb;
    int in_numfmts, in_cellxfs, xf_depth;
    custom_fmt *fmts;
    size_t nfmts, capfmts;
    unsigned long *xf_ids;
    size_t nxfs, capxfs;
} styles_state;

static int parse_ulong(const char *s, unsigned long *out)
{
    unsigned long v = 0;
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 0xFFFFFFFFul)
            return 0;
        v = v * 10 + (unsigned long)(*s - '0');
    }
    *out = v;
    return 1;
}

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    styles_state *s = ud;
    int ns;
    const char *local = hgq_xml_local(name, &ns);
    if (ns != HGQ_NS_MAIN && ns != HGQ_NS_NONE) {
        if (s->xf_depth)
            s->xf_depth++;
        return;
    }
    if (s->xf_depth) {
        s->xf_depth++;
        return;
    }
    if (strcmp(local, "numFmts") == 0) {
        s->in_numfmts = 1;
    } else if (strcmp(local, "cellXfs") == 0) {
        s->in_cellxfs = 1;
    } else if (s->in_numfmts && strcmp(local, "numFmt") == 0) {
        unsigned long id;
        const char *code = hgq_xml_attr(atts, "formatCode", HGQ_NS_NONE);
        if (!parse_ulong(hgq_xml_attr(atts, "numFmtId", HGQ_NS_NONE), &id) || !code)
            return; /* a broken custom format is ignored: cells show as General */
        if (s->nfmts == s->capfmts) {
            size_t ncap = s->capfmts ? s->capfmts * 2 : 16;
            custom_fmt *n = realloc(s->fmts, ncap * sizeof *n);
            if (!n) {
                hgq_xml_fail(&s->x, HGQ_ENOMEM, "out of memory");
                return;
            }
            s->fmts = n;
            s->capfmts = ncap;
        }
        s->fmts[s->nfmts].id = id;
        s->fmts[s->nfmts].seq = s->nfmts;
        s->fmts[s->nfmts].code = hgq_arena_strdup(&s->wb->arena, code);
        if (!s->fmts[s->nfmts].code) {
            hgq_xml_fail(&s->x, HGQ_ENOMEM, "out of memory");
            return;
        }
        s->nfmts++;
    } else if (s->in_cellxfs && strcmp(local, "xf") == 0) {
        unsigned long id = 0;
        parse_ulong(hgq_xml_attr(atts, "numFmtId", HGQ_NS_NONE), &id);
        if (s->nxfs == s->capxfs) {
            size_t ncap = s->capxfs ? s->capxfs * 2 : 16;
            unsigned long *n = realloc(s->xf_ids, ncap * sizeof *n);
            if (!n) {
                hgq_xml_fail(&s->x, HGQ_ENOMEM, "out of memory");
                return;
            }
            s->xf_ids = n;
            s->capxfs = ncap;
        }
        s->xf_ids[s->nxfs++] = id;
        s->xf_depth = 1;
    }
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
    styles_state *s = ud;
    int ns;
    const char *local;
    if (s->xf_depth) {
        s->xf_depth--;
        return;
    }
    local = hgq_xml_local(name, &ns);
    if (ns != HGQ_NS_MAIN && ns != HGQ_NS_NONE)
        return;
    if (strcmp(local, "numFmts") == 0)
        s->in_numfmts = 0;
    else if (strcmp(local, "cellXfs") == 0)
        s->in_cellxfs = 0;
}

static int fmt_cmp(const void *a, const void *b)
{
    const custom_fmt *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts the custom formats by id, keeping only the last definition of each. */
static void index_formats(styles_state *s)
{
    size_t i, n = 0;
    if (s->nfmts == 0)
        return;
    qsort(s->fmts, s->nfmts, sizeof *s->fmts, fmt_cmp);
    for (i = 0; i < s->nfmts; i++) {
        if (n > 0 && s->fmts[n - 1].id == s->fmts[i].id)
            n--;
        s->fmts[n++] = s->fmts[i];
    }
    s->nfmts = n;
}

static const char *custom_code(const styles_state *s, unsigned long id)
{
    size_t lo = 0, hi = s->nfmts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->fmts[mid].id == id)
            return s->fmts[mid].code;
        if (s->fmts[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

hgq_status hgq_xlsx_load_styles(hgq_xlsx *wb, const char *part, hgq_error *err)
{
    styles_state s;
    hgq_status st;
    size_t i;

    memset(&s, 0, sizeof s);
    s.wb = wb;
    st = hgq_xml_open(&s.x, wb->zip, part, wb->file, &s, styles_start, styles_end, NULL, err);
    if (st != HGQ_OK)
        return st;
    st = hgq_xml_run(&s.x, err);
    hgq_xml_close(&s.x);
    if (st == HGQ_OK && s.nxfs > 0) {
        index_formats(&s);
        wb->xfs = hgq_arena_alloc(&wb->arena, s.nxfs * sizeof *wb->xfs);
        if (!wb->xfs) {
            st = hgq_error_set(err, HGQ_ENOMEM, NULL);
        } else {
            for (i = 0; i < s.nxfs; i++) {
                unsigned long id = s.xf_ids[i];
                const char *code = custom_code(&s, id);
                if (code) {
                    wb->xfs[i].numfmt = code;
                    wb->xfs[i].is_date = hgq_numfmt_is_date(code);
                } else {
                    code = id <= 0xFFFF ? hgq_numfmt_builtin((unsigned)id) : NULL;
                    wb->xfs[i].numfmt = code ? code : "General";
                    wb->xfs[i].is_date = hgq_numfmt_builtin_is_date((unsigned)id);
                }
            }
            wb->nxfs = s.nxfs;
        }
    }
    free(s.fmts);
    free(s.xf_ids);
    return st;
}

const hgq_xf *hgq_xlsx_xf(const hgq_xlsx *x, uint32_t style)
{
    static const hgq_xf general = {"General", 0};
    if (style < x->nxfs)
        return &x->xfs[style];
    return &general;
}

/* }==================================================================== */
