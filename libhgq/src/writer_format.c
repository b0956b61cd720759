/*
 * writer_format.c - the writer's named formats: parsing names, the cell
 * formats made from them (one lxw_format per kind and role, cached in the
 * writer), and the text a value shows, from which column widths are fitted.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writer_int.h"

/* Name, kind and Excel number format of each named format. */
static const struct {
    const char *name;
    hgqw_kind kind;
    const char *numfmt;
} named[] = {
    {"general", HGQW_GENERAL, NULL},
    {"text", HGQW_TEXT, "@"},
    {"integer", HGQW_INTEGER, "0"},
    {"number", HGQW_NUMBER, "0.00"},
    {"percent", HGQW_PERCENT, "0.00%"},
    {"万元", HGQW_WANYUAN, "#,##0.00"},
    {"元", HGQW_YUAN, "#,##0.00"},
    {"area", HGQW_AREA, "#,##0.00"},
    {"date", HGQW_DATE, "yyyy-mm-dd"},
    {"ratio", HGQW_RATIO, "@"},
    {"idcard", HGQW_IDCARD, "@"},
    {"bool", HGQW_BOOL, NULL},
};

#define CUSTOM_PREFIX "code:"

static const char *kind_numfmt(hgqw_kind k)
{
    size_t i;
    for (i = 0; i < sizeof named / sizeof named[0]; i++)
        if (named[i].kind == k)
            return named[i].numfmt;
    return NULL;
}

int hgqw_parse_format(hgq_writer *w, const char *name, hgqw_fmt *out)
{
    size_t i, plen = strlen(CUSTOM_PREFIX);
    out->kind = HGQW_BYVALUE;
    out->code = NULL;
    if (!name)
        return 0;
    for (i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strcmp(name, named[i].name) == 0) {
            out->kind = named[i].kind;
            return 0;
        }
    }
    if (strncmp(name, CUSTOM_PREFIX, plen) == 0 && name[plen] != '\0') {
        out->kind = HGQW_CUSTOM;
        out->code = name + plen;
        if (w) {
            /* Intern so the format cache can compare and keep it. */
            size_t k;
            for (k = 0; k < w->nfmts; k++) {
                if (w->fmts[k].code && strcmp(w->fmts[k].code, out->code) == 0) {
                    out->code = w->fmts[k].code;
                    return 0;
                }
            }
            out->code = hgq_arena_strdup(&w->arena, out->code);
            if (!out->code)
                return -1;
        }
        return 0;
    }
    return -1;
}

int hgq_writer_format_valid(const char *name)
{
    hgqw_fmt f;
    return name && hgqw_parse_format(NULL, name, &f) == 0;
}

int hgqw_kind_summable(hgqw_kind k)
{
    return k == HGQW_INTEGER || k == HGQW_NUMBER || k == HGQW_WANYUAN ||
           k == HGQW_YUAN || k == HGQW_AREA;
}

hgqw_kind hgqw_resolve(hgqw_fmt fmt, const hgq_value *v)
{
    hgqw_kind k = fmt.kind;
    if (v && v->type == HGQ_DATE && k != HGQW_CUSTOM)
        return HGQW_DATE;
    if (k != HGQW_BYVALUE)
        return k;
    if (!v)
        return HGQW_GENERAL;
    switch (v->type) {
    case HGQ_DATE: return HGQW_DATE;
    case HGQ_TEXT: return HGQW_TEXT;
    default: return HGQW_GENERAL;
    }
}

static lxw_format *make_format(hgq_writer *w, hgqw_fmt fmt, hgqw_role role)
{
    lxw_format *f = workbook_add_format(w->wb);
    const char *numfmt;
    if (!f)
        return NULL;
    format_set_font_name(f, w->opt.font_name);
    format_set_font_size(f, w->opt.font_size);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    numfmt = fmt.kind == HGQW_CUSTOM ? fmt.code : kind_numfmt(fmt.kind);
    if (numfmt)
        format_set_num_format(f, numfmt);
    switch (role) {
    case HGQW_TITLE:
        format_set_bold(f);
        format_set_font_size(f, w->opt.font_size + 5);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_text_wrap(f);
        break;
    case HGQW_HEADER:
        format_set_bold(f);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_text_wrap(f);
        format_set_border(f, LXW_BORDER_THIN);
        break;
    case HGQW_GROUP:
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_border(f, LXW_BORDER_THIN);
        break;
    case HGQW_WRAP:
        format_set_text_wrap(f);
        format_set_border(f, LXW_BORDER_THIN);
        break;
    case HGQW_TOTAL:
        format_set_bold(f);
        format_set_border(f, LXW_BORDER_THIN);
        break;
    case HGQW_TOTAL_LABEL:
        format_set_bold(f);
        format_set_align(f, LXW_ALIGN_CENTER);
        format_set_border(f, LXW_BORDER_THIN);
        break;
    case HGQW_BODY:
        format_set_border(f, LXW_BORDER_THIN);
        break;
    case HGQW_NOTE:
        format_set_align(f, LXW_ALIGN_LEFT);
        format_set_text_wrap(f);
        break;
    case HGQW_PLAIN:
        break;
    }
    if (fmt.kind == HGQW_RATIO)
        format_set_align(f, LXW_ALIGN_CENTER);
    return f;
}

static hgqw_fmt_entry *cache_slot(hgq_writer *w)
{
    if (w->nfmts == w->capfmts) {
        size_t cap = w->capfmts ? w->capfmts * 2 : 32;
        hgqw_fmt_entry *p = realloc(w->fmts, cap * sizeof *p);
        if (!p)
            return NULL;
        w->fmts = p;
        w->capfmts = cap;
    }
    return &w->fmts[w->nfmts];
}

lxw_format *hgqw_format(hgq_writer *w, hgqw_fmt fmt, hgqw_role role)
{
    size_t i;
    hgqw_fmt_entry *e;
    if (fmt.kind == HGQW_BYVALUE)
        fmt.kind = HGQW_GENERAL;
    for (i = 0; i < w->nfmts; i++) {
        e = &w->fmts[i];
        if (e->role == (int)role && e->kind == fmt.kind &&
            (fmt.kind != HGQW_CUSTOM || strcmp(e->code, fmt.code) == 0))
            return e->format;
    }
    e = cache_slot(w);
    if (!e)
        return NULL;
    e->format = make_format(w, fmt, role);
    if (!e->format)
        return NULL;
    e->kind = fmt.kind;
    e->code = fmt.code;
    e->role = (int)role;
    e->c1 = e->c2 = 0;
    w->nfmts++;
    return e->format;
}

lxw_format *hgqw_dxf(hgq_writer *w, uint32_t fill, uint32_t font)
{
    size_t i;
    hgqw_fmt_entry *e;
    for (i = 0; i < w->nfmts; i++) {
        e = &w->fmts[i];
        if (e->role == -1 && e->c1 == fill && e->c2 == font)
            return e->format;
    }
    e = cache_slot(w);
    if (!e)
        return NULL;
    e->format = workbook_add_format(w->wb);
    if (!e->format)
        return NULL;
    format_set_bg_color(e->format, fill);
    format_set_font_color(e->format, font);
    e->kind = HGQW_GENERAL;
    e->code = NULL;
    e->role = -1;
    e->c1 = fill;
    e->c2 = font;
    w->nfmts++;
    return e->format;
}

double hgqw_excel_serial(double serial)
{
    /* Excel counts a 1900-02-29 that never was: before 1900-03-01 its
     * serials are one less than ours, and it has nothing before 1900-01-01. */
    if (serial >= 61.0)
        return serial;
    if (serial < 2.0)
        return -1.0;
    return serial - 1.0;
}

void hgqw_ratio_text(double v, char *buf, size_t size)
{
    char num[64];
    char *p;
    snprintf(num, sizeof num, "%.2f", v);
    /* 20.00 -> 20, 19.50 -> 19.5 */
    p = num + strlen(num) - 1;
    while (p > num && *p == '0')
        *p-- = '\0';
    if (p > num && *p == '.')
        *p = '\0';
    snprintf(buf, size, "%s:1", num);
}

/* Display width of a fixed-point number with `dec` decimals, with or without
 * thousands separators. */
static size_t number_text(double d, int dec, int grouped, int percent, char *buf,
                          size_t size)
{
    char tmp[128];
    size_t n, intlen, commas = 0;
    const char *dot;
    if (percent)
        d *= 100.0;
    if (!isfinite(d)) {
        snprintf(buf, size, "%s", "#NUM!");
        return strlen(buf);
    }
    snprintf(tmp, sizeof tmp, "%.*f%s", dec, d, percent ? "%" : "");
    n = strlen(tmp);
    if (grouped) {
        dot = strchr(tmp, '.');
        intlen = dot ? (size_t)(dot - tmp) : n;
        if (tmp[0] == '-')
            intlen--;
        if (intlen > 3)
            commas = (intlen - 1) / 3;
    }
    snprintf(buf, size, "%s", tmp);
    return n + commas;
}

size_t hgqw_number_width(hgqw_kind k, const hgq_value *v)
{
    double d, a, ip;
    size_t digits = 1, w;
    int dec = 2, grouped = 0, percent = 0;
    if (v->type == HGQ_INT) {
        if (k == HGQW_GENERAL || k == HGQW_INTEGER || k == HGQW_TEXT) {
            uint64_t u = v->u.i < 0 ? 0 - (uint64_t)v->u.i : (uint64_t)v->u.i;
            while (u >= 10) {
                u /= 10;
                digits++;
            }
            return digits + (v->u.i < 0);
        }
        d = (double)v->u.i;
    } else if (v->type == HGQ_NUM) {
        d = v->u.d;
    } else {
        return 0;
    }
    switch (k) {
    case HGQW_INTEGER: dec = 0; break;
    case HGQW_NUMBER: break;
    case HGQW_PERCENT: percent = 1; break;
    case HGQW_WANYUAN:
    case HGQW_YUAN:
    case HGQW_AREA: grouped = 1; break;
    default: return 0;
    }
    a = fabs(percent ? d * 100.0 : d);
    if (!(a < 1e15))
        return 0;
    ip = floor(a + (dec ? 0.005 : 0.5));
    while (ip >= 10.0) {
        ip /= 10.0;
        digits++;
    }
    w = digits + (dec ? (size_t)dec + 1 : 0) + (d < 0) + (size_t)percent;
    if (grouped && digits > 3)
        w += (digits - 1) / 3;
    return w;
}

size_t hgqw_display(hgqw_kind k, const hgq_value *v, int unmask, char *buf, size_t size)
{
    double d = 0;
    buf[0] = '\0';
    if (!v || v->type == HGQ_NULL)
        return 0;
    if (v->type == HGQ_TEXT) {
        if (k == HGQW_IDCARD && !unmask) {
            hgq_idcard_mask(v->u.s, buf, size);
            return hgq_utf8_width(buf, strlen(buf));
        }
        snprintf(buf, size, "%s", v->u.s);
        return hgq_utf8_width(v->u.s, strlen(v->u.s));
    }
    if (v->type == HGQ_BOOL) {
        snprintf(buf, size, "%s", k == HGQW_BOOL ? (v->u.b ? "TRUE" : "FALSE")
                                                 : (v->u.b ? "是" : "否"));
        return k == HGQW_BOOL ? strlen(buf) : 2;
    }
    hgq_value_number(v, &d);
    switch (k) {
    case HGQW_DATE:
        if (v->type == HGQ_DATE || (d >= 2.0 && d < 2958466.0)) {
            hgq_date_format_iso(d, buf, size);
            if (strlen(buf) > 10 && strcmp(buf + 10, "T00:00:00") == 0)
                buf[10] = '\0';
            return 10;
        }
        break;
    case HGQW_INTEGER: return number_text(d, 0, 0, 0, buf, size);
    case HGQW_NUMBER: return number_text(d, 2, 0, 0, buf, size);
    case HGQW_PERCENT: return number_text(d, 2, 0, 1, buf, size);
    case HGQW_WANYUAN:
    case HGQW_YUAN:
    case HGQW_AREA: return number_text(d, 2, 1, 0, buf, size);
    case HGQW_RATIO:
        hgqw_ratio_text(d, buf, size);
        return strlen(buf);
    case HGQW_IDCARD: {
        char digits[64];
        snprintf(digits, sizeof digits, "%.0f", d);
        if (unmask)
            snprintf(buf, size, "%s", digits);
        else
            hgq_idcard_mask(digits, buf, size);
        return strlen(buf);
    }
    default:
        break;
    }
    if (v->type == HGQ_INT)
        snprintf(buf, size, "%lld", (long long)v->u.i);
    else
        snprintf(buf, size, "%.10g", d);
    return strlen(buf);
}
