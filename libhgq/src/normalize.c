/*
 * normalize.c - numbers, dates, booleans, genders and ID numbers as people
 * type them into spreadsheets.
 *
 * Every parser first folds its input into a small buffer on the stack
 * (full-width forms to ASCII, white space trimmed), then matches the folded
 * text against its grammar from start to end. Folded text longer than that
 * buffer is no value of any of these kinds, which bounds the work and keeps
 * the functions free of allocation.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define FOLD_MAX 256

/* {====================================================================
 * Folding
 * ===================================================================== */

/* 0: not white space; 1: ASCII white space (kept); 2: other space (becomes
 * ' '); 3: zero-width (dropped). */
static int space_kind(uint32_t c)
{
    if (c == ' ' || (c >= '\t' && c <= '\r'))
        return 1;
    if (c == 0xA0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F ||
        c == 0x205F)
        return 2;
    if (c == 0x200B || c == 0xFEFF)
        return 3;
    return 0;
}

static int put(char *out, size_t size, size_t *n, const char *p, size_t k)
{
    if (k >= size - *n)
        return 0;
    memcpy(out + *n, p, k);
    *n += k;
    return 1;
}

/* Emits the white space in s[0..len) as fold keeps it inside text. */
static int put_spaces(const char *s, size_t len, char *out, size_t size, size_t *n)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t k = hgq_utf8_decode(s + i, len - i, &cp);
        int kind = space_kind(cp);
        if (kind == 1 && !put(out, size, n, s + i, 1))
            return 0;
        if (kind == 2 && !put(out, size, n, " ", 1))
            return 0;
        i += k ? k : 1;
    }
    return 1;
}

/*
 * White space is held back (as a range of the input) until something else
 * follows it, so trailing white space is never written and inner white
 * space is written or, when `squeeze`, dropped.
 */
static size_t fold_text(const char *s, size_t len, char *out, size_t size, int squeeze)
{
    size_t i = 0, n = 0, pend = 0;
    int pending = 0;
    if (!out || size == 0)
        return (size_t)-1;
    if (!s)
        len = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t k = hgq_utf8_decode(s + i, len - i, &cp);
        int ok;
        if (k && space_kind(cp)) {
            if (!pending && n > 0) {
                pending = 1;
                pend = i;
            }
            i += k;
            continue;
        }
        if (pending) {
            pending = 0;
            if (!squeeze && !put_spaces(s + pend, i - pend, out, size, &n))
                goto too_small;
        }
        if (k == 0)
            ok = put(out, size, &n, s + i, 1); /* not UTF-8: copied as is */
        else if (cp >= 0xFF01 && cp <= 0xFF5E) {
            char c = (char)(cp - 0xFEE0);
            ok = put(out, size, &n, &c, 1);
        } else
            ok = put(out, size, &n, s + i, k);
        if (!ok)
            goto too_small;
        i += k ? k : 1;
    }
    out[n] = '\0';
    return n;
too_small:
    out[0] = '\0';
    return (size_t)-1;
}

size_t hgq_norm_fold(const char *s, size_t len, char *out, size_t size)
{
    return fold_text(s, len, out, size, 0);
}

size_t hgq_norm_collapse(const char *s, size_t len, char *out, size_t size)
{
    return fold_text(s, len, out, size, 1);
}

/* Folds into a FOLD_MAX buffer; 0 when the text does not fit. */
static int fold_small(const char *s, size_t len, char *buf, size_t *n)
{
    *n = hgq_norm_fold(s, len, buf, FOLD_MAX);
    return *n != (size_t)-1;
}

/* }==================================================================== */

/* {====================================================================
 * Scanning helpers over folded text
 * ===================================================================== */

typedef struct cursor {
    const char *p, *e;
} cursor;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t digit_run(const char *p, const char *e)
{
    const char *q = p;
    while (q < e && is_digit(*q))
        q++;
    return (size_t)(q - p);
}

static int at_end(const cursor *c)
{
    return c->p == c->e;
}

static int is_ascii_space(char ch)
{
    return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

static size_t skip_space(cursor *c)
{
    const char *start = c->p;
    while (c->p < c->e && is_ascii_space(*c->p))
        c->p++;
    return (size_t)(c->p - start);
}

static int take_lit(cursor *c, const char *lit)
{
    size_t k = strlen(lit);
    if ((size_t)(c->e - c->p) < k || memcmp(c->p, lit, k) != 0)
        return 0;
    c->p += k;
    return 1;
}

/* The value of n digits at p (known to be digits). */
static int digits_value(const char *p, int n)
{
    int v = 0, i;
    for (i = 0; i < n; i++)
        v = v * 10 + (p[i] - '0');
    return v;
}

/* A whole run of digits whose length is within [min, max]. */
static int take_uint(cursor *c, size_t min, size_t max, int *v)
{
    size_t run = digit_run(c->p, c->e), i;
    int x = 0;
    if (run < min || run > max)
        return 0;
    for (i = 0; i < run; i++)
        x = x * 10 + (c->p[i] - '0');
    c->p += run;
    *v = x;
    return 1;
}

/* ASCII case-insensitive equality of the whole of s[0..n) with lit. */
static int equals_ci(const char *s, size_t n, const char *lit)
{
    size_t i;
    if (strlen(lit) != n)
        return 0;
    for (i = 0; i < n; i++) {
        char a = s[i], b = lit[i];
        if (a >= 'a' && a <= 'z')
            a = (char)(a - 'a' + 'A');
        if (a != b)
            return 0;
    }
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Numbers
 * ===================================================================== */

typedef struct unit_info {
    const char *text;
    unsigned char scaled; /* carries a multiplier: not for integers */
} unit_info;

static const unit_info units[] = {
    {"人", 0}, {"人次", 0}, {"名", 0}, {"位", 0}, {"个", 0}, {"台", 0},
    {"套", 0}, {"台套", 0}, {"件", 0}, {"册", 0}, {"本", 0}, {"张", 0},
    {"间", 0}, {"所", 0}, {"家", 0}, {"项", 0}, {"门", 0}, {"部", 0},
    {"辆", 0}, {"座", 0}, {"栋", 0}, {"次", 0}, {"届", 0}, {"课时", 0},
    {"学时", 0}, {"小时", 0}, {"天", 0}, {"周", 0}, {"年", 0}, {"岁", 0},
    {"元", 0}, {"千元", 1}, {"万元", 1}, {"亿元", 1},
    {"平方米", 0}, {"平米", 0}, {"平方", 0}, {"m²", 0}, {"m2", 0}, {"㎡", 0},
    {"亩", 0}, {"公顷", 0}, {"米", 0}, {"m", 0}, {"公里", 0}, {"km", 0},
    {"元/人", 0}, {"元/生", 0}, {"平方米/人", 0}, {"平方米/生", 0},
    {"m²/人", 0}, {"m²/生", 0}, {"册/人", 0}, {"册/生", 0},
    {"万", 1}, {"亿", 1}, {"千", 1}, {"百", 1}, {"万人", 1}, {"万人次", 1},
    {"万册", 1}, {"万平方米", 1},
};

/*
 * A number as written: its digits without separators, how many of them
 * follow the decimal point, the written exponent, and the suffix.
 */
typedef struct numtext {
    int neg;
    char dig[FOLD_MAX];
    size_t ndig, nfrac;
    long exp;
    int pct;               /* 0; 2 for %; 3 for ‰ (powers of ten to divide by) */
    const char *suffix;    /* unit or percent sign, in the folded text */
    size_t suffix_len;
    int scaled;            /* the unit carries a multiplier */
} numtext;

static void take_digits(cursor *c, size_t run, numtext *t)
{
    memcpy(t->dig + t->ndig, c->p, run);
    t->ndig += run;
    c->p += run;
}

static int scan_number(const char *b, size_t n, numtext *t)
{
    cursor c = {b, b + n};
    size_t run, k;
    memset(t, 0, sizeof *t);
    if (take_lit(&c, "+"))
        ;
    else if (take_lit(&c, "-") || take_lit(&c, "\xE2\x88\x92"))
        t->neg = 1;
    run = digit_run(c.p, c.e);
    if (run > 0 && c.p + run < c.e && c.p[run] == ',') {
        if (run > 3 || c.p[0] == '0')
            return 0;
        take_digits(&c, run, t);
        while (take_lit(&c, ",")) {
            run = digit_run(c.p, c.e);
            if (run != 3)
                return 0;
            take_digits(&c, run, t);
        }
    } else {
        take_digits(&c, run, t);
    }
    if (take_lit(&c, ".")) {
        run = digit_run(c.p, c.e);
        take_digits(&c, run, t);
        t->nfrac = run;
    }
    if (t->ndig == 0)
        return 0;
    if (c.p < c.e && (*c.p == 'e' || *c.p == 'E')) {
        int eneg = 0, ev;
        c.p++;
        if (take_lit(&c, "-"))
            eneg = 1;
        else
            take_lit(&c, "+");
        if (!take_uint(&c, 1, 4, &ev))
            return 0;
        t->exp = eneg ? -ev : ev;
    }
    skip_space(&c);
    if (at_end(&c))
        return 1;
    t->suffix = c.p;
    t->suffix_len = (size_t)(c.e - c.p);
    if (take_lit(&c, "%"))
        t->pct = 2;
    else if (take_lit(&c, "\xE2\x80\xB0")) /* ‰ */
        t->pct = 3;
    if (t->pct)
        return at_end(&c);
    for (k = 0; k < sizeof units / sizeof units[0]; k++) {
        size_t ul = strlen(units[k].text);
        if (ul == t->suffix_len && memcmp(c.p, units[k].text, ul) == 0) {
            t->scaled = units[k].scaled;
            return 1;
        }
    }
    return 0;
}

static const double pow10_exact[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * The value of a scanned number. Up to 19 significant digits are kept in an
 * integer; when it is below 2^53 and the power of ten is exact, one IEEE
 * operation gives the correctly rounded result (Clinger's fast path).
 * Otherwise long double arithmetic gives a result within an ulp or so.
 */
static int num_value(const numtext *t, double *out)
{
    uint64_t m = 0;
    size_t i = 0, used = 0;
    long e;
    double v;
    while (i < t->ndig && t->dig[i] == '0')
        i++;
    for (; i < t->ndig && used < 19; i++, used++)
        m = m * 10 + (uint64_t)(t->dig[i] - '0');
    e = t->exp - (long)t->nfrac - t->pct + (long)(t->ndig - i);
    if (m == 0) {
        v = 0.0;
    } else if (m <= (UINT64_C(1) << 53) && e >= -22 && e <= 22) {
        v = e >= 0 ? (double)m * pow10_exact[e] : (double)m / pow10_exact[-e];
    } else if (e > 400) {
        return 0;
    } else if (e < -400) {
        v = 0.0;
    } else {
        long double r = (long double)m, p = 1.0L;
        long k;
        for (k = 0; k < (e < 0 ? -e : e); k++)
            p *= 10.0L;
        r = e < 0 ? r / p : r * p;
        if (r > (long double)DBL_MAX)
            return 0;
        v = (double)r;
    }
    *out = t->neg && v != 0.0 ? -v : v;
    return 1;
}

int hgq_norm_number(const char *s, size_t len, hgq_number *out)
{
    char buf[FOLD_MAX];
    size_t n;
    numtext t;
    double v;
    if (!fold_small(s, len, buf, &n) || !scan_number(buf, n, &t) || !num_value(&t, &v))
        return 0;
    if (out) {
        out->value = v;
        out->percent = t.pct != 0;
        memcpy(out->unit, t.suffix ? t.suffix : "", t.suffix_len);
        out->unit[t.suffix_len] = '\0';
    }
    return 1;
}

int hgq_norm_int(const char *s, size_t len, int64_t *out)
{
    char buf[FOLD_MAX];
    size_t n, keep, i;
    numtext t;
    uint64_t m = 0;
    long shift;
    if (!fold_small(s, len, buf, &n) || !scan_number(buf, n, &t) || t.pct || t.scaled)
        return 0;
    shift = t.exp - (long)t.nfrac;
    keep = t.ndig;
    if (shift < 0) {
        /* the digits shifted out must all be zeros */
        size_t drop = (size_t)-shift;
        keep = drop >= t.ndig ? 0 : t.ndig - drop;
        for (i = keep; i < t.ndig; i++)
            if (t.dig[i] != '0')
                return 0;
    }
    for (i = 0; i < keep; i++) {
        uint64_t d = (uint64_t)(t.dig[i] - '0');
        if (m > (UINT64_MAX - d) / 10)
            return 0;
        m = m * 10 + d;
    }
    for (; shift > 0 && m != 0; shift--) {
        if (m > UINT64_MAX / 10)
            return 0;
        m *= 10;
    }
    if (m > (uint64_t)INT64_MAX + (t.neg ? 1u : 0u))
        return 0;
    if (out) {
        if (!t.neg)
            *out = (int64_t)m;
        else if (m == (uint64_t)INT64_MAX + 1u)
            *out = INT64_MIN;
        else
            *out = -(int64_t)m;
    }
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Dates
 * ===================================================================== */

#define YEAR_MIN 1900
#define YEAR_MAX 9999

/* A time of day after a date: "H:MM[:SS[.fff]]". */
static int take_time(cursor *c, double *frac)
{
    int h, mi, sec = 0, f;
    if (!take_uint(c, 1, 2, &h) || !take_lit(c, ":") || !take_uint(c, 2, 2, &mi))
        return 0;
    if (take_lit(c, ":")) {
        if (!take_uint(c, 2, 2, &sec))
            return 0;
        if (take_lit(c, ".") && !take_uint(c, 1, 9, &f))
            return 0;
    }
    if (h > 23 || mi > 59 || sec > 59)
        return 0;
    *frac = (h * 3600.0 + mi * 60.0 + sec) / 86400.0;
    return 1;
}

/* What may follow a day: nothing, or a time after white space or 'T'
 * (`glued`: also directly, as after 日). */
static int take_day_tail(cursor *c, int glued, double *frac)
{
    size_t sp = skip_space(c);
    *frac = 0.0;
    if (at_end(c))
        return 1;
    if (!sp && !take_lit(c, "T") && !glued)
        return 0;
    return take_time(c, frac) && at_end(c);
}

static int date_ymd(cursor *c, int *y, int *m, int *d, double *frac,
                    hgq_date_precision *prec)
{
    size_t run = digit_run(c->p, c->e);
    char sep[2] = {0, 0};
    *m = *d = 1;
    *frac = 0.0;
    if (run == 8) {
        *y = digits_value(c->p, 4);
        *m = digits_value(c->p + 4, 2);
        *d = digits_value(c->p + 6, 2);
        c->p += 8;
        *prec = HGQ_DATE_DAY;
        return take_day_tail(c, 0, frac);
    }
    if (!take_uint(c, 4, 4, y))
        return 0;
    if (at_end(c))
        return 0; /* a bare year is a number, not a date */
    if (*c->p == '-' || *c->p == '/' || *c->p == '.') {
        sep[0] = *c->p++;
        if (!take_uint(c, 1, 2, m))
            return 0;
        if (at_end(c)) {
            *prec = HGQ_DATE_MONTH;
            return 1;
        }
        if (!take_lit(c, sep) || !take_uint(c, 1, 2, d))
            return 0;
        *prec = HGQ_DATE_DAY;
        return take_day_tail(c, 0, frac);
    }
    skip_space(c);
    if (!take_lit(c, "\xE5\xB9\xB4")) /* 年 */
        return 0;
    skip_space(c);
    if (at_end(c)) {
        *prec = HGQ_DATE_YEAR;
        return 1;
    }
    if (!take_uint(c, 1, 2, m))
        return 0;
    skip_space(c);
    if (!take_lit(c, "\xE6\x9C\x88")) /* 月 */
        return 0;
    skip_space(c);
    if (at_end(c)) {
        *prec = HGQ_DATE_MONTH;
        return 1;
    }
    if (!take_uint(c, 1, 2, d))
        return 0;
    skip_space(c);
    if (!take_lit(c, "\xE6\x97\xA5") && !take_lit(c, "\xE5\x8F\xB7")) /* 日 号 */
        return 0;
    *prec = HGQ_DATE_DAY;
    return take_day_tail(c, 1, frac);
}

int hgq_norm_date(const char *s, size_t len, double *serial, hgq_date_precision *prec)
{
    char buf[FOLD_MAX];
    size_t n;
    cursor c;
    int y, m, d;
    double frac;
    hgq_date_precision p;
    if (!fold_small(s, len, buf, &n))
        return 0;
    c.p = buf;
    c.e = buf + n;
    if (!date_ymd(&c, &y, &m, &d, &frac, &p) || !at_end(&c))
        return 0;
    if (y < YEAR_MIN || y > YEAR_MAX || !hgq_date_valid(y, m, d))
        return 0;
    if (serial)
        *serial = hgq_date_from_ymd(y, m, d) + frac;
    if (prec)
        *prec = p;
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Booleans and genders
 * ===================================================================== */

typedef struct word {
    const char *text; /* uppercase for ASCII letters */
    int value;
} word;

static const word bool_words[] = {
    {"是", 1}, {"有", 1}, {"\xE2\x88\x9A", 1} /* √ */, {"\xE2\x9C\x93", 1} /* ✓ */,
    {"\xE2\x9C\x94", 1} /* ✔ */, {"Y", 1}, {"YES", 1}, {"T", 1}, {"TRUE", 1},
    {"1", 1}, {"对", 1},
    {"否", 0}, {"无", 0}, {"\xC3\x97", 0} /* × */, {"\xE2\x9C\x97", 0} /* ✗ */,
    {"\xE2\x9C\x98", 0} /* ✘ */, {"N", 0}, {"NO", 0}, {"F", 0}, {"FALSE", 0},
    {"0", 0}, {"错", 0},
};

static const word gender_words[] = {
    {"男", 1}, {"男性", 1}, {"男生", 1}, {"M", 1}, {"MALE", 1}, {"1", 1},
    {"女", 0}, {"女性", 0}, {"女生", 0}, {"F", 0}, {"FEMALE", 0}, {"2", 0},
};

static int lookup_word(const char *s, size_t len, const word *words, size_t count, int *out)
{
    char buf[FOLD_MAX];
    size_t n, i;
    if (!fold_small(s, len, buf, &n))
        return 0;
    for (i = 0; i < count; i++) {
        if (equals_ci(buf, n, words[i].text)) {
            if (out)
                *out = words[i].value;
            return 1;
        }
    }
    return 0;
}

int hgq_norm_bool(const char *s, size_t len, int *b)
{
    return lookup_word(s, len, bool_words, sizeof bool_words / sizeof bool_words[0], b);
}

int hgq_norm_gender(const char *s, size_t len, int *male)
{
    return lookup_word(s, len, gender_words, sizeof gender_words / sizeof gender_words[0],
                       male);
}

/* }==================================================================== */

/* {====================================================================
 * ID numbers
 * ===================================================================== */

#define ID_YEAR_MIN 1900
#define ID_YEAR_MAX 2100

char hgq_idcard_check_char(const char *d)
{
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    int i, sum = 0;
    if (!d)
        return '\0';
    for (i = 0; i < 17; i++) {
        if (!is_digit(d[i]))
            return '\0';
        sum += (d[i] - '0') * weight[i];
    }
    return check[sum % 11];
}

/* Birth date from year/month/day; sets HGQ_ID_BIRTH when it is not one. */
static void id_birth(int y, int m, int d, hgq_idcard *out)
{
    if (y >= ID_YEAR_MIN && y <= ID_YEAR_MAX && hgq_date_valid(y, m, d))
        out->birth = hgq_date_from_ymd(y, m, d);
    else
        out->problems |= HGQ_ID_BIRTH;
}

/* A first-generation number: 15 digits, birth date 19YYMMDD at 7-12. */
static void id_read15(const char *id, hgq_idcard *out)
{
    out->problems |= HGQ_ID_LENGTH;
    id_birth(1900 + digits_value(id + 6, 2), digits_value(id + 8, 2),
             digits_value(id + 10, 2), out);
    out->male = (id[14] - '0') % 2;
}

static void id_init(hgq_idcard *out)
{
    memset(out, 0, sizeof *out);
    out->male = -1;
}

/*
 * What an ID number held as the value v can still tell, when the integer it
 * stood for may lie up to `below` under v and `above` over it (text that
 * wrote fewer digits than the number has).
 */
static void id_from_value(double v, uint64_t below, uint64_t above, hgq_idcard *out)
{
    char digits[32];
    uint64_t x, ulp, lo, hi, m;
    out->problems = HGQ_ID_NUMERIC;
    if (!isfinite(v) || v != floor(v) || v < 1e14 || v >= 1e18) {
        out->problems |= HGQ_ID_LENGTH;
        return;
    }
    if (v < 1e15) {
        /* 15 digits are exact in a double */
        if (below == 0 && above == 0) {
            snprintf(digits, sizeof digits, "%.0f", v);
            id_read15(digits, out);
        } else {
            out->problems |= HGQ_ID_LENGTH;
        }
        return;
    }
    if (v < 1e17) {
        out->problems |= HGQ_ID_LENGTH;
        return;
    }
    /*
     * The cell held an integer within an ulp of v, or, when v is a
     * multiple of 1000, any of the 1000 integers Excel cuts to v by keeping
     * 15 significant digits. Digits 7-14 are known when every integer of
     * that interval shares digits 1-14.
     */
    x = (uint64_t)v;
    ulp = (uint64_t)(nextafter(v, INFINITY) - v);
    lo = x > ulp + below ? x - ulp - below : 0;
    hi = x + ulp + above;
    m = (x + 500) / 1000 * 1000;
    if ((x > m ? x - m : m - x) <= ulp + (below > above ? below : above)) {
        if (m < lo)
            lo = m;
        if (m + 999 > hi)
            hi = m + 999;
    }
    if (lo / 10000 == hi / 10000) {
        int ymd = (int)(lo / 10000 % 100000000);
        id_birth(ymd / 10000, ymd / 100 % 100, ymd % 100, out);
    }
}

int hgq_norm_idcard_from_number(double v, hgq_idcard *out)
{
    hgq_idcard scratch;
    if (!out)
        out = &scratch;
    id_init(out);
    id_from_value(v, 0, 0, out);
    return 0;
}

/*
 * Text in exponent or decimal notation, the way a numeric cell is written
 * to CSV ("4.30412E+17"): treated as its value, known only to the last
 * digit written. With u the unit of that digit, printing rounded the number
 * (half a u either way) or Excel had already cut it (up to a u more), so it
 * lies in [v - u/2, v + u). 0 when the text is not such a number.
 */
static int id_numeric_text(const char *s, size_t len, hgq_idcard *out)
{
    char buf[FOLD_MAX];
    size_t n;
    numtext t;
    double v;
    long place;
    uint64_t unit = 0;
    if (!fold_small(s, len, buf, &n) || !scan_number(buf, n, &t) || t.suffix ||
        t.neg || !num_value(&t, &v))
        return 0;
    if (!memchr(buf, 'e', n) && !memchr(buf, 'E', n) && !memchr(buf, '.', n))
        return 0;
    /* the power of ten of the last digit written, trailing zeros included */
    place = t.exp - (long)t.nfrac;
    if (place > 0) {
        unit = 1;
        for (; place > 0 && unit < UINT64_C(10000000000000000000); place--)
            unit *= 10;
    }
    id_from_value(v, unit / 2, unit ? unit - 1 : 0, out);
    return 1;
}

int hgq_norm_idcard(const char *s, size_t len, hgq_idcard *out)
{
    char id[18];
    size_t i = 0, n = 0;
    int bad = 0, last_x = 0;
    hgq_idcard scratch;
    if (!out)
        out = &scratch;
    id_init(out);
    if (!s)
        len = 0;
    while (i < len) {
        uint32_t cp = 0;
        size_t k = hgq_utf8_decode(s + i, len - i, &cp);
        if (k == 0) {
            cp = 0xFFFD;
            k = 1;
        }
        i += k;
        if (space_kind(cp))
            continue;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        if (cp == 'x')
            cp = 'X';
        if (last_x)
            bad = 1; /* an X before the last character */
        last_x = cp == 'X';
        if (cp != 'X' && (cp < '0' || cp > '9'))
            bad = 1;
        if (n < sizeof id)
            id[n] = (char)(cp < 0x80 ? cp : '?');
        n++;
    }
    if (bad && id_numeric_text(s, len, out))
        return 0;
    if (n != 18)
        out->problems |= HGQ_ID_LENGTH;
    if (bad || (n == 15 && last_x))
        out->problems |= HGQ_ID_CHARS;
    if (out->problems & HGQ_ID_CHARS)
        return 0;
    if (n == 15) {
        id_read15(id, out);
        return 0;
    }
    if (n != 18)
        return 0;
    memcpy(out->number, id, 18);
    out->number[18] = '\0';
    id_birth(digits_value(id + 6, 4), digits_value(id + 10, 2), digits_value(id + 12, 2), out);
    out->male = (id[16] - '0') % 2;
    if (hgq_idcard_check_char(id) != id[17])
        out->problems |= HGQ_ID_CHECKSUM;
    return out->problems == 0;
}

void hgq_idcard_mask(const char *number, char *out, size_t size)
{
    size_t n, i, o = 0;
    int ascii = 1;
    if (!out || size == 0)
        return;
    if (!number) {
        out[0] = '\0';
        return;
    }
    n = strlen(number);
    for (i = 0; i < n; i++)
        if ((unsigned char)number[i] >= 0x80)
            ascii = 0;
    for (i = 0; i < n && o + 1 < size; i++) {
        if (ascii && n >= 15)
            out[o++] = i < 6 || i >= n - 4 ? number[i] : '*';
        else if (((unsigned char)number[i] & 0xC0) != 0x80)
            out[o++] = '*'; /* one per character, not per byte */
    }
    out[o] = '\0';
}

/* }==================================================================== */

/* {====================================================================
 * Age bands
 * ===================================================================== */

static const char *const age_labels[HGQ_AGE_BANDS] = {
    "30岁以下", "31-40岁", "41-50岁", "51-60岁", "60岁以上"
};

int hgq_norm_age_band(int age, const char **label)
{
    int band;
    if (age < 0) {
        if (label)
            *label = NULL;
        return -1;
    }
    band = age <= 30 ? 0 : age > 60 ? 4 : (age - 21) / 10;
    if (label)
        *label = age_labels[band];
    return band;
}

const char *hgq_norm_age_band_label(int band)
{
    return band >= 0 && band < HGQ_AGE_BANDS ? age_labels[band] : NULL;
}

/* }==================================================================== */
