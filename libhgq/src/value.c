/*
 * value.c - typed values, date serials, A1 references and UTF-8 checks.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* {====================================================================
 * Values
 * ===================================================================== */

const char *hgq_cell_type_code(hgq_cell_type type)
{
    switch (type) {
    case HGQ_CELL_NUMBER: return "n";
    case HGQ_CELL_STRING: return "s";
    case HGQ_CELL_BOOL: return "b";
    case HGQ_CELL_DATE: return "d";
    case HGQ_CELL_ERROR: return "e";
    default: return "";
    }
}

hgq_value hgq_null(void) { hgq_value v; memset(&v, 0, sizeof v); return v; }
hgq_value hgq_text(const char *s) { hgq_value v = hgq_null(); if (s) { v.type = HGQ_TEXT; v.u.s = s; } return v; }
hgq_value hgq_int(int64_t i) { hgq_value v = hgq_null(); v.type = HGQ_INT; v.u.i = i; return v; }
hgq_value hgq_num(double d) { hgq_value v = hgq_null(); v.type = HGQ_NUM; v.u.d = d; return v; }
hgq_value hgq_date(double serial) { hgq_value v = hgq_null(); v.type = HGQ_DATE; v.u.d = serial; return v; }
hgq_value hgq_bool(int b) { hgq_value v = hgq_null(); v.type = HGQ_BOOL; v.u.b = b != 0; return v; }

const char *hgq_vtype_name(hgq_vtype type)
{
    switch (type) {
    case HGQ_TEXT: return "text";
    case HGQ_INT: return "int";
    case HGQ_NUM: return "number";
    case HGQ_DATE: return "date";
    case HGQ_BOOL: return "bool";
    default: return "null";
    }
}

int hgq_value_number(const hgq_value *v, double *out)
{
    switch (v->type) {
    case HGQ_INT: *out = (double)v->u.i; return 1;
    case HGQ_NUM:
    case HGQ_DATE: *out = v->u.d; return 1;
    case HGQ_BOOL: *out = v->u.b ? 1.0 : 0.0; return 1;
    default: return 0;
    }
}

int hgq_value_compare(const hgq_value *a, const hgq_value *b)
{
    double x, y;
    int na, nb;
    if (a->type == HGQ_NULL || b->type == HGQ_NULL)
        return (a->type != HGQ_NULL) - (b->type != HGQ_NULL);
    if (a->type == HGQ_TEXT && b->type == HGQ_TEXT)
        return strcmp(a->u.s, b->u.s);
    if (a->type == HGQ_INT && b->type == HGQ_INT)
        return (a->u.i > b->u.i) - (a->u.i < b->u.i);
    na = hgq_value_number(a, &x);
    nb = hgq_value_number(b, &y);
    if (na && nb)
        return (x > y) - (x < y);
    /* numbers before text */
    return na ? -1 : 1;
}

/* }==================================================================== */

/* {====================================================================
 * Dates. Serial 0 is 1899-12-30; the civil-day algorithm is Howard
 * Hinnant's days_from_civil, exact for the proleptic Gregorian calendar.
 * ===================================================================== */

static long days_from_civil(long y, unsigned m, unsigned d)
{
    long era;
    unsigned yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468; /* days since 1970-01-01 */
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    long era;
    unsigned doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 1970-01-01 is serial 25569 */
#define EPOCH_1970 25569L

int hgq_date_valid(int year, int month, int day)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap;
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1)
        return 0;
    leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= mdays[month - 1] + (month == 2 && leap);
}

double hgq_date_from_ymd(int year, int month, int day)
{
    return (double)(days_from_civil(year, (unsigned)month, (unsigned)day) + EPOCH_1970);
}

double hgq_date_from_parts(const hgq_datetime *dt)
{
    return hgq_date_from_ymd(dt->year, dt->month, dt->day) +
           (dt->hour * 3600.0 + dt->minute * 60.0 + dt->second) / 86400.0;
}

void hgq_date_to_parts(double serial, hgq_datetime *out)
{
    double days, secs;
    long whole, s;
    if (!isfinite(serial) || serial > 2958465.0 || serial < -693593.0)
        serial = 0; /* outside years 1..9999: show as the epoch, never UB */
    days = floor(serial);
    secs = floor((serial - days) * 86400.0 + 0.5);
    whole = (long)days;
    s = (long)secs;
    if (s >= 86400) {
        whole++;
        s -= 86400;
    }
    civil_from_days(whole - EPOCH_1970, &out->year, &out->month, &out->day);
    out->hour = (int)(s / 3600);
    out->minute = (int)(s / 60 % 60);
    out->second = (int)(s % 60);
}

double hgq_date_from_excel(double x, int date1904)
{
    if (date1904)
        return x + 1462.0;
    if (x < 60.0)
        return x + 1.0;    /* before the fictional 1900-02-29 */
    if (x < 61.0)
        return 60.0 + (x - 60.0); /* the fictional day itself: 1900-02-28 */
    return x;
}

size_t hgq_date_format_iso(double serial, char *buf, size_t size)
{
    hgq_datetime dt;
    int n;
    hgq_date_to_parts(serial, &dt);
    n = snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d", dt.year, dt.month,
                 dt.day, dt.hour, dt.minute, dt.second);
    return n < 0 ? 0 : (size_t)n;
}

int hgq_age_years(double birth, double at)
{
    hgq_datetime b, a;
    int age;
    hgq_date_to_parts(birth, &b);
    hgq_date_to_parts(at, &a);
    age = a.year - b.year;
    if (a.month < b.month || (a.month == b.month && a.day < b.day))
        age--;
    return age;
}

/* }==================================================================== */

/* {====================================================================
 * A1 references
 * ===================================================================== */

int hgq_ref_parse_col(const char *ref, size_t len, uint32_t *col)
{
    uint32_t c = 0;
    size_t i = 0;
    if (i < len && ref[i] == '$')
        i++;
    if (i >= len || len - i > 3)
        return 0;
    for (; i < len; i++) {
        char ch = ref[i];
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 'a' + 'A');
        if (ch < 'A' || ch > 'Z')
            return 0;
        c = c * 26 + (uint32_t)(ch - 'A' + 1);
    }
    if (c == 0 || c - 1 > HGQ_MAX_COL)
        return 0;
    *col = c - 1;
    return 1;
}

int hgq_ref_parse(const char *ref, size_t len, uint32_t *row, uint32_t *col)
{
    size_t i = 0, letters;
    uint32_t r = 0;
    if (i < len && ref[i] == '$')
        i++;
    letters = i;
    while (i < len && ((ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z')))
        i++;
    if (i == letters || !hgq_ref_parse_col(ref + letters, i - letters, col))
        return 0;
    if (i < len && ref[i] == '$')
        i++;
    if (i >= len || ref[i] == '0')
        return 0;
    for (; i < len; i++) {
        if (ref[i] < '0' || ref[i] > '9')
            return 0;
        r = r * 10 + (uint32_t)(ref[i] - '0');
        if (r > HGQ_MAX_ROW + 1)
            return 0;
    }
    if (r == 0)
        return 0;
    *row = r - 1;
    return 1;
}

void hgq_ref_format_col(uint32_t col, char *buf, size_t size)
{
    char tmp[8];
    int n = 0, i;
    uint32_t c = col + 1;
    if (size == 0)
        return;
    while (c > 0 && n < 7) {
        uint32_t rem = (c - 1) % 26;
        tmp[n++] = (char)('A' + rem);
        c = (c - 1) / 26;
    }
    for (i = 0; i < n && (size_t)i < size - 1; i++)
        buf[i] = tmp[n - 1 - i];
    buf[i] = '\0';
}

void hgq_ref_format(uint32_t row, uint32_t col, char *buf, size_t size)
{
    char letters[8];
    hgq_ref_format_col(col, letters, sizeof letters);
    snprintf(buf, size, "%s%lu", letters, (unsigned long)row + 1);
}

int hgq_range_parse(const char *text, size_t len, hgq_range *out)
{
    const char *colon = memchr(text, ':', len);
    uint32_t r1, c1, r2, c2;
    if (!colon) {
        if (!hgq_ref_parse(text, len, &r1, &c1))
            return 0;
        out->first_row = out->last_row = r1;
        out->first_col = out->last_col = c1;
        return 1;
    }
    if (!hgq_ref_parse(text, (size_t)(colon - text), &r1, &c1) ||
        !hgq_ref_parse(colon + 1, len - (size_t)(colon - text) - 1, &r2, &c2))
        return 0;
    out->first_row = r1 < r2 ? r1 : r2;
    out->last_row = r1 < r2 ? r2 : r1;
    out->first_col = c1 < c2 ? c1 : c2;
    out->last_col = c1 < c2 ? c2 : c1;
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * UTF-8
 * ===================================================================== */

int hgq_utf8_valid(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n;
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        n = hgq_utf8_decode(s + i, len - i, &cp);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

static int wide(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
           (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

size_t hgq_utf8_width(const char *s, size_t len)
{
    size_t i = 0, w = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = hgq_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            i++;
            w++;
            continue;
        }
        w += wide(cp) ? 2 : 1;
        i += n;
    }
    return w;
}

/* }==================================================================== */
