/*
 * sheet.c - streaming a worksheet part row by row.
 *
 * expat is fed one chunk at a time and suspended at the end of every row
 * with cells, so only one row is ever held: its cells in a reused array and
 * their texts in one reused buffer. Shared-string cells point into the
 * workbook's string table and cost no copy.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipe.h"
#include "xlsx.h"

#define NONE ((size_t)-1)
#define MAX_SHARED_FORMULAS (1u << 18)

typedef enum cell_kind {
    K_NUMBER, K_SHARED, K_STR, K_INLINE, K_BOOL, K_ERROR, K_DATE
} cell_kind;

enum { COLLECT_NONE, COLLECT_V, COLLECT_F, COLLECT_T };

/* Master text of a shared formula group, indexed by its si. */
typedef struct shared_formula {
    char *text;
    uint32_t row, col;
} shared_formula;

/* Sort key used when a row's cells come out of column order. */
typedef struct col_key {
    uint32_t col, idx;
} col_key;

/*
 * Reader state. Invariant between rows: `cells[0..ncells)` and the offsets
 * `toff`/`foff` describe the row being built; offsets index `text`, which
 * only grows within a row (it is reset at each <row>), so pointers are
 * fixed up once, when the row is complete.
 */
struct hgq_sheet_reader {
    hgq_xml x;                  /* first member: handlers receive the reader */
    const hgq_xlsx *wb;
    const char *sheet;
    int merges_only;
    int want_formulas;
    uint32_t max_cell;

    /* the row being built */
    hgq_row row;
    hgq_cell *cells;
    size_t *toff, *foff;
    size_t ncells, cap;
    hgq_buf text;
    unsigned char seen[(HGQ_MAX_COL + 1) / 8]; /* columns used in this row */
    int row_ready;
    int finished;
    int in_sheetdata, in_row;
    int row_known;              /* row index known (r attribute or first cell) */
    uint32_t row_index;
    long last_row, last_col;
    int sorted;
    uint32_t nrow_elems;        /* <row> elements seen: at most a sheet's rows */

    /* the cell being built */
    int in_c, c_depth, collect;
    cell_kind kind;
    uint32_t crow, ccol, style;
    int has_v, has_f, has_is, in_is, is_rph;
    size_t v_start, v_len, f_start, f_len, is_start, is_len;
    int f_shared, f_master;
    long f_si;

    shared_formula *sf;
    size_t nsf;

    hgq_range *merges;
    size_t nmerges, capm;

    col_key *keys;              /* scratch for sorting */
    hgq_cell *scratch;
    size_t *scratch_off;

    /* reading on several cores (see "Row segments on several cores") */
    struct seg_job *job;        /* in a worker: rows go to this job */
    struct par_state *par;      /* reading in parallel, or NULL */
    uint64_t delivered;         /* rows returned by hgq_sheet_reader_next */
};

/* last_row of a worker reader before its segment's first row: unknown. */
#define ROW_UNKNOWN (-2L)

/* {====================================================================
 * Errors
 * ===================================================================== */

static void cell_fail(hgq_sheet_reader *r, hgq_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void cell_fail(hgq_sheet_reader *r, hgq_status code, const char *fmt, ...)
{
    char msg[HGQ_ERROR_MESSAGE_MAX];
    va_list ap;
    if (r->x.status != HGQ_OK)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hgq_xml_fail(&r->x, code, "%s", msg);
    if (r->in_c)
        hgq_error_set_cell(&r->x.e, r->crow, r->ccol);
}

static void nomem(hgq_sheet_reader *r)
{
    cell_fail(r, HGQ_ENOMEM, "out of memory");
}

/* }==================================================================== */

/* {====================================================================
 * Values: numbers, dates, booleans
 * ===================================================================== */

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void trim(const char **s, size_t *len)
{
    while (*len && is_space((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len && is_space((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

static const double pow10_exact[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* strtod on a decimal text, whatever the C library's locale says. */
static int slow_number(const char *s, size_t len, double *out)
{
    char buf[128];
    const char *dp = localeconv()->decimal_point;
    size_t i, o = 0, dplen = dp ? strlen(dp) : 1;
    char *end;
    for (i = 0; i < len; i++) {
        char c = s[i];
        if (c == '.' && dp && strcmp(dp, ".") != 0) {
            if (o + dplen >= sizeof buf)
                return 0;
            memcpy(buf + o, dp, dplen);
            o += dplen;
            continue;
        }
        if (o + 1 >= sizeof buf)
            return 0;
        buf[o++] = c;
    }
    buf[o] = '\0';
    *out = strtod(buf, &end);
    return end == buf + o;
}

/*
 * Parses a number as Excel writes it. The common forms (an integer or a
 * decimal of up to 15-16 digits, no exponent) are computed exactly from a
 * 53-bit mantissa and an exact power of ten; the rest goes to strtod.
 */
static int parse_number(const char *s, size_t len, double *out)
{
    const char *p, *e;
    uint64_t m = 0;
    int neg = 0, frac = 0, digits = 0, exact = 1, dot = 0;
    size_t i;
    trim(&s, &len);
    if (len == 0 || len > 100)
        return 0;
    /* only characters of a decimal number: no inf, nan or hex */
    for (i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' ||
              c == 'E'))
            return 0;
    }
    p = s;
    e = s + len;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    for (; p < e; p++) {
        if (*p >= '0' && *p <= '9') {
            digits++;
            if (m > (UINT64_C(1) << 53) / 10)
                exact = 0;
            else
                m = m * 10 + (uint64_t)(*p - '0');
            frac += dot;
        } else if (*p == '.' && !dot) {
            dot = 1;
        } else {
            break;
        }
    }
    if (digits == 0)
        return 0;
    if (p == e && exact && m <= (UINT64_C(1) << 53) && frac <= 22) {
        double v = (double)m / pow10_exact[frac];
        *out = neg ? -v : v;
        return 1;
    }
    return slow_number(s, len, out);
}

static int parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;
    trim(&s, &len);
    if (len == 0)
        return 0;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > max)
            return 0;
    }
    *out = v;
    return 1;
}

static int digits_at(const char *s, size_t len, size_t *i, int n, int *out)
{
    int v = 0, k;
    for (k = 0; k < n; k++) {
        if (*i >= len || s[*i] < '0' || s[*i] > '9')
            return 0;
        v = v * 10 + (s[(*i)++] - '0');
    }
    *out = v;
    return 1;
}

/* hh:mm[:ss[.fff]] from s[*i]; the time of day as a fraction of a day. */
static int parse_time(const char *s, size_t len, size_t *i, double *out)
{
    int hh, mm, ss = 0;
    double frac = 0, scale = 0.1;
    if (!digits_at(s, len, i, 2, &hh) || *i >= len || s[(*i)++] != ':' ||
        !digits_at(s, len, i, 2, &mm))
        return 0;
    if (*i < len && s[*i] == ':') {
        (*i)++;
        if (!digits_at(s, len, i, 2, &ss))
            return 0;
        if (*i < len && (s[*i] == '.' || s[*i] == ',')) {
            (*i)++;
            while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
                frac += (s[(*i)++] - '0') * scale;
                scale /= 10;
            }
        }
    }
    if (hh > 24 || mm > 59 || ss > 60 || (hh == 24 && (mm || ss || frac > 0)))
        return 0;
    *out = (hh * 3600.0 + mm * 60.0 + ss + frac) / 86400.0;
    return 1;
}

/* ISO 8601 as in t="d" cells: a date, a date and time, or a time. A zone
 * suffix (Z, +08:00) is accepted and ignored: Excel times have no zone. */
static int parse_iso_date(const char *s, size_t len, double *out)
{
    size_t i = 0;
    int y, mo, d;
    double t = 0;
    trim(&s, &len);
    if (len >= 5 && s[2] == ':') {
        if (!parse_time(s, len, &i, &t) || i != len)
            return 0;
        *out = t;
        return 1;
    }
    if (!digits_at(s, len, &i, 4, &y) || i >= len || s[i++] != '-' ||
        !digits_at(s, len, &i, 2, &mo) || i >= len || s[i++] != '-' ||
        !digits_at(s, len, &i, 2, &d) || !hgq_date_valid(y, mo, d))
        return 0;
    if (i < len && (s[i] == 'T' || s[i] == ' ')) {
        i++;
        if (!parse_time(s, len, &i, &t))
            return 0;
        if (i < len && s[i] == 'Z') {
            i++;
        } else if (i < len && (s[i] == '+' || s[i] == '-')) {
            int zh, zm = 0;
            i++;
            if (!digits_at(s, len, &i, 2, &zh))
                return 0;
            if (i < len && s[i] == ':')
                i++;
            if (i < len && !digits_at(s, len, &i, 2, &zm))
                return 0;
        }
    }
    if (i != len)
        return 0;
    *out = hgq_date_from_ymd(y, mo, d) + t;
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Shared formulas: a dependent cell's text is the master's with its
 * relative references moved by the distance between the two cells.
 * ===================================================================== */

static int is_alpha(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_name_char(int c)
{
    return is_alpha(c) || is_digit(c) || c == '_' || c == '.' || c == '$' || c == '\\' ||
           c >= 0x80;
}

/* Appends token t[0..n) shifted when it is an A1 reference, else as is. */
static int shift_token(hgq_buf *out, const char *t, size_t n, long drow, long dcol)
{
    size_t i = 0, col_start, row_start;
    int col_abs = 0, row_abs = 0;
    uint32_t row, col;
    long nr, nc;
    char ref[24];
    if (i < n && t[i] == '$') {
        col_abs = 1;
        i++;
    }
    col_start = i;
    while (i < n && is_alpha((unsigned char)t[i]))
        i++;
    if (i == col_start || i - col_start > 3)
        return hgq_buf_append(out, t, n);
    if (i < n && t[i] == '$') {
        row_abs = 1;
        i++;
    }
    row_start = i;
    while (i < n && is_digit((unsigned char)t[i]))
        i++;
    if (i != n || i == row_start || !hgq_ref_parse(t, n, &row, &col))
        return hgq_buf_append(out, t, n);
    nr = (long)row + (row_abs ? 0 : drow);
    nc = (long)col + (col_abs ? 0 : dcol);
    if (nr < 0 || nr > (long)HGQ_MAX_ROW || nc < 0 || nc > (long)HGQ_MAX_COL)
        return hgq_buf_append_str(out, "#REF!");
    if (col_abs)
        hgq_buf_append_char(out, '$');
    hgq_ref_format_col((uint32_t)nc, ref, sizeof ref);
    hgq_buf_append_str(out, ref);
    if (row_abs)
        hgq_buf_append_char(out, '$');
    return hgq_buf_printf(out, "%ld", nr + 1);
}

/* One end of a whole-column (A:C) or whole-row (3:5) range at f[i]: an
 * optional '$', then letters (cols) or digits (rows). Returns the index
 * after it, or 0. */
static size_t range_end_at(const char *f, size_t i, size_t n, int cols, int *abs,
                           uint32_t *v)
{
    size_t start;
    uint32_t x;
    *abs = 0;
    if (i < n && f[i] == '$') {
        *abs = 1;
        i++;
    }
    start = i;
    while (i < n && (cols ? is_alpha((unsigned char)f[i]) : is_digit((unsigned char)f[i])))
        i++;
    if (i == start)
        return 0;
    if (cols) {
        if (!hgq_ref_parse_col(f + start, i - start, &x))
            return 0;
    } else {
        uint64_t r;
        if (!parse_uint(f + start, i - start, HGQ_MAX_ROW + 1, &r) || r == 0)
            return 0;
        x = (uint32_t)(r - 1);
    }
    *v = x;
    return i;
}

/* A whole-column or whole-row range at f[i], shifted into out; returns the
 * index after it, or 0 when there is none. */
static size_t shift_range(hgq_buf *out, const char *f, size_t i, size_t n, long drow,
                          long dcol)
{
    int pass, cols, abs1, abs2;
    uint32_t a, b;
    for (pass = 0; pass < 2; pass++) {
        size_t j, k;
        long d, max, na, nb;
        char buf[16];
        cols = pass == 0;
        j = range_end_at(f, i, n, cols, &abs1, &a);
        if (!j || j >= n || f[j] != ':')
            continue;
        k = range_end_at(f, j + 1, n, cols, &abs2, &b);
        if (!k || (k < n && (is_name_char((unsigned char)f[k]) || f[k] == '(')))
            continue;
        d = cols ? dcol : drow;
        max = cols ? (long)HGQ_MAX_COL : (long)HGQ_MAX_ROW;
        na = (long)a + (abs1 ? 0 : d);
        nb = (long)b + (abs2 ? 0 : d);
        if (na < 0 || nb < 0 || na > max || nb > max) {
            hgq_buf_append_str(out, "#REF!");
            return k;
        }
        if (abs1)
            hgq_buf_append_char(out, '$');
        if (cols)
            hgq_ref_format_col((uint32_t)na, buf, sizeof buf);
        else
            snprintf(buf, sizeof buf, "%ld", na + 1);
        hgq_buf_append_str(out, buf);
        hgq_buf_append_char(out, ':');
        if (abs2)
            hgq_buf_append_char(out, '$');
        if (cols)
            hgq_ref_format_col((uint32_t)nb, buf, sizeof buf);
        else
            snprintf(buf, sizeof buf, "%ld", nb + 1);
        hgq_buf_append_str(out, buf);
        return k;
    }
    return 0;
}

static int shift_formula(hgq_buf *out, const char *f, long drow, long dcol)
{
    size_t i = 0, n = strlen(f);
    while (i < n) {
        unsigned char c = (unsigned char)f[i];
        size_t j = i + 1;
        if ((i == 0 || !is_name_char((unsigned char)f[i - 1])) &&
            (is_name_char(c) || is_digit(c)) && (j = shift_range(out, f, i, n, drow, dcol))) {
            i = j;
            continue;
        }
        j = i + 1;
        if (c == '"' || c == '\'') {
            /* string literal or quoted sheet name; a doubled quote escapes */
            while (j < n) {
                if ((unsigned char)f[j] == c) {
                    if (j + 1 < n && (unsigned char)f[j + 1] == c) {
                        j += 2;
                        continue;
                    }
                    j++;
                    break;
                }
                j++;
            }
            if (hgq_buf_append(out, f + i, j - i))
                return -1;
        } else if (c == '[') {
            /* structured reference or external book index */
            const char *close = strchr(f + j, ']');
            j = close ? (size_t)(close - f) + 1 : n;
            if (hgq_buf_append(out, f + i, j - i))
                return -1;
        } else if (is_digit(c) || (c == '.' && is_digit((unsigned char)f[j]))) {
            /* a number, with its exponent */
            while (j < n && (is_digit((unsigned char)f[j]) || f[j] == '.'))
                j++;
            if (j < n && (f[j] == 'e' || f[j] == 'E')) {
                size_t k = j + 1;
                if (k < n && (f[k] == '+' || f[k] == '-'))
                    k++;
                if (k < n && is_digit((unsigned char)f[k])) {
                    j = k;
                    while (j < n && is_digit((unsigned char)f[j]))
                        j++;
                }
            }
            if (hgq_buf_append(out, f + i, j - i))
                return -1;
        } else if (is_name_char(c)) {
            while (j < n && is_name_char((unsigned char)f[j]))
                j++;
            /* a function name or a sheet name is not a reference */
            if ((j < n && (f[j] == '(' || f[j] == '!')) ? hgq_buf_append(out, f + i, j - i)
                                                        : shift_token(out, f + i, j - i,
                                                                      drow, dcol))
                return -1;
        } else {
            if (hgq_buf_append_char(out, (char)c))
                return -1;
        }
        i = j;
    }
    return 0;
}

/* }==================================================================== */

/* {====================================================================
 * Rows and cells
 * ===================================================================== */

static int grow_cells(hgq_sheet_reader *r)
{
    size_t ncap = r->cap ? r->cap * 2 : 64;
    hgq_cell *c = realloc(r->cells, ncap * sizeof *c);
    size_t *t, *f;
    if (!c)
        return -1;
    r->cells = c;
    t = realloc(r->toff, ncap * sizeof *t);
    if (!t)
        return -1;
    r->toff = t;
    f = realloc(r->foff, ncap * sizeof *f);
    if (!f)
        return -1;
    r->foff = f;
    r->cap = ncap;
    return 0;
}

/* Repeated <row r="1"/> elements would otherwise read without end. */
static int count_row(hgq_sheet_reader *r)
{
    if (++r->nrow_elems > HGQ_MAX_ROW + 1) {
        cell_fail(r, HGQ_EREF, "more than %u rows in the sheet", HGQ_MAX_ROW + 1);
        return -1;
    }
    return 0;
}

static void row_begin(hgq_sheet_reader *r, const XML_Char **atts)
{
    const char *ref = NULL;
    size_t i;
    if (count_row(r))
        return;
    for (i = 0; atts[i]; i += 2)
        if (atts[i][0] == 'r' && atts[i][1] == '\0')
            ref = atts[i + 1];
    r->in_row = 1;
    r->ncells = 0;
    r->sorted = 1;
    r->last_col = -1;
    hgq_buf_clear(&r->text);
    if (ref) {
        uint64_t v;
        if (!parse_uint(ref, strlen(ref), HGQ_MAX_ROW + 1, &v) || v == 0) {
            cell_fail(r, HGQ_EREF, "row number '%.32s' is not a number from 1 to %u", ref,
                      HGQ_MAX_ROW + 1);
            return;
        }
        r->row_index = (uint32_t)(v - 1);
        r->row_known = 1;
    } else {
        if (r->last_row == ROW_UNKNOWN) {
            /* numbered by the rows before the segment: read it serially */
            cell_fail(r, HGQ_EUNSUPPORTED, "row without a number in a segment");
            return;
        }
        if (r->last_row >= (long)HGQ_MAX_ROW) {
            cell_fail(r, HGQ_EREF, "more rows than a sheet can hold (%u)", HGQ_MAX_ROW + 1);
            return;
        }
        r->row_index = (uint32_t)(r->last_row + 1);
        r->row_known = 0;
    }
}

static void cell_begin(hgq_sheet_reader *r, const XML_Char **atts)
{
    const char *ref = NULL, *t = NULL, *s = NULL;
    size_t i;
    for (i = 0; atts[i]; i += 2) {
        const char *n = atts[i];
        if (n[1] != '\0')
            continue;
        if (n[0] == 'r')
            ref = atts[i + 1];
        else if (n[0] == 't')
            t = atts[i + 1];
        else if (n[0] == 's')
            s = atts[i + 1];
    }
    r->in_c = 1;
    r->c_depth = 1;
    r->collect = COLLECT_NONE;
    r->has_v = r->has_f = r->has_is = r->in_is = r->is_rph = 0;
    r->f_shared = r->f_master = 0;
    r->f_si = -1;
    r->style = 0;
    r->crow = r->row_index;
    if (ref) {
        uint32_t row, col;
        if (!hgq_ref_parse(ref, strlen(ref), &row, &col)) {
            r->ccol = r->last_col >= 0 ? (uint32_t)r->last_col + 1 : 0;
            cell_fail(r, HGQ_EREF, "cell reference '%.32s' is malformed or beyond XFD1048576",
                      ref);
            return;
        }
        if (!r->row_known) {
            r->row_index = row;
            r->row_known = 1;
        } else if (row != r->row_index) {
            r->ccol = col;
            r->crow = row;
            cell_fail(r, HGQ_EREF, "cell %.32s is inside row %lu", ref,
                      (unsigned long)r->row_index + 1);
            return;
        }
        r->crow = row;
        r->ccol = col;
    } else {
        if (r->last_col >= (long)HGQ_MAX_COL) {
            r->ccol = HGQ_MAX_COL + 1;
            cell_fail(r, HGQ_EREF, "more cells in a row than a sheet has columns (%u)",
                      HGQ_MAX_COL + 1);
            return;
        }
        r->ccol = (uint32_t)(r->last_col + 1);
        r->row_known = 1;
    }
    if (r->seen[r->ccol >> 3] & (1u << (r->ccol & 7))) {
        cell_fail(r, HGQ_EREF, "the cell appears twice in its row");
        return;
    }
    r->seen[r->ccol >> 3] |= (unsigned char)(1u << (r->ccol & 7));
    if ((long)r->ccol < r->last_col)
        r->sorted = 0;
    r->last_col = r->ccol;

    r->kind = K_NUMBER;
    if (t && t[0]) {
        switch (t[0]) {
        case 'n': r->kind = K_NUMBER; break;
        case 's': r->kind = t[1] == '\0' ? K_SHARED : K_STR; break;
        case 'i': r->kind = K_INLINE; break;
        case 'b': r->kind = K_BOOL; break;
        case 'e': r->kind = K_ERROR; break;
        case 'd': r->kind = K_DATE; break;
        default: r->kind = K_STR; break;
        }
    }
    if (s && *s) {
        uint64_t v;
        if (parse_uint(s, strlen(s), 0xFFFFFFFFu, &v))
            r->style = (uint32_t)v;
    }
}

static void formula_begin(hgq_sheet_reader *r, const XML_Char **atts)
{
    const char *t = NULL, *si = NULL, *ref = NULL;
    size_t i;
    for (i = 0; atts[i]; i += 2) {
        const char *n = atts[i];
        if (strcmp(n, "t") == 0)
            t = atts[i + 1];
        else if (strcmp(n, "si") == 0)
            si = atts[i + 1];
        else if (strcmp(n, "ref") == 0)
            ref = atts[i + 1];
    }
    r->has_f = 1;
    r->collect = COLLECT_F;
    r->f_start = r->text.len;
    if (t && strcmp(t, "shared") == 0 && si) {
        uint64_t v;
        if (parse_uint(si, strlen(si), MAX_SHARED_FORMULAS - 1, &v)) {
            r->f_shared = 1;
            r->f_si = (long)v;
            r->f_master = ref != NULL;
        }
    }
}

/* Appends to the row text; the common case (room left) stays inline. */
static int text_put(hgq_sheet_reader *r, const char *s, size_t len)
{
    hgq_buf *b = &r->text;
    if (b->cap - b->len > len) {
        memcpy(b->data + b->len, s, len);
        b->len += len;
        b->data[b->len] = '\0';
        return 0;
    }
    return hgq_buf_append(b, s, len);
}

/* Ends a text region [start, text.len): NUL-terminates it, returns its length. */
static size_t region_end(hgq_sheet_reader *r, size_t start)
{
    size_t len = r->text.len - start;
    if (text_put(r, "", 1))
        nomem(r);
    return len;
}

/* Drops the region at `start` when it is the last thing in the buffer. */
static void region_drop(hgq_sheet_reader *r, size_t start, size_t len)
{
    if (start + len + 1 == r->text.len)
        r->text.len = start;
}

static void remember_master(hgq_sheet_reader *r, const char *text)
{
    size_t si = (size_t)r->f_si;
    if (si >= r->nsf) {
        size_t n = r->nsf ? r->nsf : 8;
        shared_formula *p;
        while (n <= si)
            n *= 2;
        p = realloc(r->sf, n * sizeof *p);
        if (!p) {
            nomem(r);
            return;
        }
        memset(p + r->nsf, 0, (n - r->nsf) * sizeof *p);
        r->sf = p;
        r->nsf = n;
    }
    free(r->sf[si].text);
    r->sf[si].text = hgq_strdup(text);
    if (!r->sf[si].text) {
        nomem(r);
        return;
    }
    r->sf[si].row = r->crow;
    r->sf[si].col = r->ccol;
}

/* The formula of the cell being finished, as an offset into text, or NONE. */
static size_t cell_formula(hgq_sheet_reader *r)
{
    if (!r->want_formulas || !r->has_f)
        return NONE;
    if (r->f_len > 0) {
        if (r->f_shared && (r->f_master || (size_t)r->f_si >= r->nsf ||
                            !r->sf[r->f_si].text))
            remember_master(r, r->text.data + r->f_start);
        return r->f_start;
    }
    if (r->f_shared && (size_t)r->f_si < r->nsf && r->sf[r->f_si].text) {
        const shared_formula *m = &r->sf[r->f_si];
        size_t start = r->text.len;
        if (shift_formula(&r->text, m->text, (long)r->crow - (long)m->row,
                          (long)r->ccol - (long)m->col) ||
            hgq_buf_append_char(&r->text, '\0')) {
            nomem(r);
            return NONE;
        }
        return start;
    }
    return NONE;
}

static void cell_end(hgq_sheet_reader *r)
{
    const hgq_xf *xf = hgq_xlsx_xf(r->wb, r->style);
    hgq_cell *c;
    size_t toff = NONE;
    const char *v = r->has_v ? r->text.data + r->v_start : NULL;
    size_t vlen = r->has_v ? r->v_len : 0;

    if (r->ncells == r->cap && grow_cells(r)) {
        nomem(r);
        return;
    }
    c = &r->cells[r->ncells];
    c->row = r->crow;
    c->col = r->ccol;
    c->type = HGQ_CELL_EMPTY;
    c->number = 0;
    c->text = NULL;
    c->text_len = 0;
    c->formula = NULL;
    c->numfmt = xf->numfmt;
    c->style = r->style;

    switch (r->kind) {
    case K_NUMBER:
        if (vlen == 0)
            break;
        if (!parse_number(v, vlen, &c->number)) {
            cell_fail(r, HGQ_EDATA, "number expected, found '%.40s'", v);
            return;
        }
        c->type = HGQ_CELL_NUMBER;
        if (xf->is_date && c->number >= 0 && c->number < 2958466.0) {
            /* a time of day alone (below 1) stays on day 0 of hgq serials,
             * as a t="d" time does: day 0 of the 1900 system is no date */
            c->type = HGQ_CELL_DATE;
            if (c->number >= 1.0 || r->wb->date1904)
                c->number = hgq_date_from_excel(c->number, r->wb->date1904);
        }
        region_drop(r, r->v_start, vlen);
        break;
    case K_SHARED: {
        uint64_t idx;
        if (vlen == 0)
            break;
        if (!parse_uint(v, vlen, UINT64_MAX / 10 - 10, &idx)) {
            cell_fail(r, HGQ_EDATA, "shared string index expected, found '%.40s'", v);
            return;
        }
        if (idx >= r->wb->sst_count) {
            cell_fail(r, HGQ_EDATA,
                      "shared string index %llu is out of range (the table has %zu string%s)",
                      (unsigned long long)idx, r->wb->sst_count,
                      r->wb->sst_count == 1 ? "" : "s");
            return;
        }
        c->type = HGQ_CELL_STRING;
        c->text = r->wb->sst_data + r->wb->sst_off[idx];
        c->text_len = (size_t)(r->wb->sst_off[idx + 1] - r->wb->sst_off[idx] - 1);
        region_drop(r, r->v_start, vlen);
        break;
    }
    case K_INLINE:
        if (r->has_is) {
            toff = r->is_start;
            c->text_len = hgq_xml_unescape(r->text.data + toff, r->is_len);
            r->text.data[toff + c->text_len] = '\0';
            c->type = HGQ_CELL_STRING;
            break;
        }
        /* an inline string given as <v> reads like t="str" */
        /* fall through */
    case K_STR:
        if (!r->has_v)
            break;
        toff = r->v_start;
        c->text_len = hgq_xml_unescape(r->text.data + toff, vlen);
        r->text.data[toff + c->text_len] = '\0';
        c->type = HGQ_CELL_STRING;
        break;
    case K_BOOL:
        if (vlen == 0)
            break;
        {
            const char *b = v;
            size_t blen = vlen;
            trim(&b, &blen);
            if ((blen == 1 && *b == '1') || (blen == 4 && memcmp(b, "true", 4) == 0))
                c->number = 1;
            else if ((blen == 1 && *b == '0') || (blen == 5 && memcmp(b, "false", 5) == 0))
                c->number = 0;
            else {
                cell_fail(r, HGQ_EDATA, "boolean expected, found '%.40s'", v);
                return;
            }
        }
        c->type = HGQ_CELL_BOOL;
        region_drop(r, r->v_start, vlen);
        break;
    case K_ERROR:
        if (vlen == 0)
            break;
        toff = r->v_start;
        c->text_len = vlen;
        c->type = HGQ_CELL_ERROR;
        break;
    case K_DATE:
        if (vlen == 0)
            break;
        if (!parse_iso_date(v, vlen, &c->number)) {
            cell_fail(r, HGQ_EDATA, "ISO 8601 date expected, found '%.40s'", v);
            return;
        }
        c->type = HGQ_CELL_DATE;
        region_drop(r, r->v_start, vlen);
        break;
    }
    r->in_c = 0;
    r->toff[r->ncells] = toff;
    r->foff[r->ncells] = cell_formula(r);
    r->ncells++;
}

static int key_cmp(const void *a, const void *b)
{
    const col_key *x = a, *y = b;
    return (x->col > y->col) - (x->col < y->col);
}

/* Puts the row's cells in column order (columns are distinct). */
static int sort_row(hgq_sheet_reader *r)
{
    size_t i, n = r->ncells;
    col_key *k = realloc(r->keys, n * sizeof *k);
    hgq_cell *c;
    size_t *o;
    if (!k)
        return -1;
    r->keys = k;
    c = realloc(r->scratch, n * sizeof *c);
    if (!c)
        return -1;
    r->scratch = c;
    o = realloc(r->scratch_off, 2 * n * sizeof *o);
    if (!o)
        return -1;
    r->scratch_off = o;
    for (i = 0; i < n; i++) {
        k[i].col = r->cells[i].col;
        k[i].idx = (uint32_t)i;
    }
    qsort(k, n, sizeof *k, key_cmp);
    for (i = 0; i < n; i++) {
        c[i] = r->cells[k[i].idx];
        o[i] = r->toff[k[i].idx];
        o[n + i] = r->foff[k[i].idx];
    }
    memcpy(r->cells, c, n * sizeof *c);
    memcpy(r->toff, o, n * sizeof *o);
    memcpy(r->foff, o + n, n * sizeof *o);
    return 0;
}

static void job_add_row(hgq_sheet_reader *r);

static void row_end(hgq_sheet_reader *r)
{
    size_t i;
    r->in_row = 0;
    r->last_row = r->row_index;
    for (i = 0; i < r->ncells; i++)
        r->seen[r->cells[i].col >> 3] = 0;
    if (r->ncells == 0)
        return;
    if (!r->sorted && sort_row(r)) {
        nomem(r);
        return;
    }
    if (r->job) {
        job_add_row(r);
        return;
    }
    for (i = 0; i < r->ncells; i++) {
        if (r->toff[i] != NONE)
            r->cells[i].text = r->text.data + r->toff[i];
        if (r->foff[i] != NONE)
            r->cells[i].formula = r->text.data + r->foff[i];
    }
    r->row.index = r->row_index;
    r->row.ncells = r->ncells;
    r->row.cells = r->cells;
    r->row_ready = 1;
    hgq_xml_suspend(&r->x);
}

/* }==================================================================== */

/* {====================================================================
 * expat handlers
 * ===================================================================== */

static void merge_cell(hgq_sheet_reader *r, const XML_Char **atts)
{
    const char *ref = hgq_xml_attr(atts, "ref", HGQ_NS_NONE);
    hgq_range rg;
    if (!ref)
        return;
    if (!hgq_range_parse(ref, strlen(ref), &rg)) {
        cell_fail(r, HGQ_EREF, "merged range '%.40s' is malformed or beyond XFD1048576", ref);
        return;
    }
    if (r->nmerges == r->capm) {
        size_t ncap = r->capm ? r->capm * 2 : 16;
        hgq_range *p = realloc(r->merges, ncap * sizeof *p);
        if (!p) {
            nomem(r);
            return;
        }
        r->merges = p;
        r->capm = ncap;
    }
    r->merges[r->nmerges++] = rg;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    hgq_sheet_reader *r = ud;
    int ns;
    const char *l = hgq_xml_name(&r->x, name, &ns);
    if (r->in_c) {
        int depth = r->c_depth++;
        if (ns != HGQ_NS_MAIN && ns != HGQ_NS_NONE)
            return;
        if (depth == 1) {
            if (l[0] == 'v' && l[1] == '\0') {
                r->has_v = 1;
                r->collect = COLLECT_V;
                r->v_start = r->text.len;
            } else if (l[0] == 'f' && l[1] == '\0') {
                if (r->want_formulas)
                    formula_begin(r, atts);
            } else if (strcmp(l, "is") == 0) {
                r->has_is = r->in_is = 1;
                r->is_start = r->text.len;
            }
        } else if (r->in_is) {
            if (r->is_rph)
                r->is_rph++;
            else if (strcmp(l, "rPh") == 0)
                r->is_rph = 1;
            else if (l[0] == 't' && l[1] == '\0')
                r->collect = COLLECT_T;
        }
        return;
    }
    if (ns != HGQ_NS_MAIN && ns != HGQ_NS_NONE)
        return;
    if (r->merges_only) {
        if (strcmp(l, "mergeCell") == 0)
            merge_cell(r, atts);
        else if (strcmp(l, "row") == 0)
            count_row(r);
        return;
    }
    if (r->in_row) {
        if (l[0] == 'c' && l[1] == '\0')
            cell_begin(r, atts);
    } else if (r->in_sheetdata) {
        if (strcmp(l, "row") == 0)
            row_begin(r, atts);
    } else if (strcmp(l, "sheetData") == 0) {
        r->in_sheetdata = 1;
    }
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
    hgq_sheet_reader *r = ud;
    int ns;
    const char *l;
    if (r->in_c) {
        r->c_depth--;
        if (r->c_depth == 0) {
            cell_end(r);
        } else if (r->c_depth == 1) {
            if (r->collect == COLLECT_V) {
                r->v_len = region_end(r, r->v_start);
            } else if (r->collect == COLLECT_F) {
                r->f_len = region_end(r, r->f_start);
            } else if (r->in_is) {
                r->in_is = 0;
                r->is_len = region_end(r, r->is_start);
            }
            r->collect = COLLECT_NONE;
        } else if (r->in_is) {
            if (r->is_rph)
                r->is_rph--;
            else if (r->collect == COLLECT_T)
                r->collect = COLLECT_NONE;
        }
        return;
    }
    if (r->merges_only)
        return;
    l = hgq_xml_name(&r->x, name, &ns);
    if (ns != HGQ_NS_MAIN && ns != HGQ_NS_NONE)
        return;
    if (r->in_row) {
        if (strcmp(l, "row") == 0)
            row_end(r);
    } else if (r->in_sheetdata && strcmp(l, "sheetData") == 0) {
        r->in_sheetdata = 0;
    }
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
    hgq_sheet_reader *r = ud;
    size_t start;
    if (r->collect == COLLECT_NONE)
        return;
    start = r->collect == COLLECT_V ? r->v_start
          : r->collect == COLLECT_F ? r->f_start
                                    : r->is_start;
    if (r->text.len - start + (size_t)len > r->max_cell) {
        cell_fail(r, HGQ_ELIMIT, "cell text longer than %lu bytes (max_cell_bytes)",
                  (unsigned long)r->max_cell);
        return;
    }
    if (text_put(r, s, (size_t)len))
        nomem(r);
}

/* }==================================================================== */

/* {====================================================================
 * Row segments on several cores
 *
 * A large sheet part is inflated by the calling thread and parsed by worker
 * threads: the inflated XML is cut after a row's end tag into segments of
 * about SEG_BYTES, and each segment is parsed with the handlers above as a
 * document of its own: the part's start up to and including the
 * <sheetData> tag, the segment, then the end tags of sheetData and the root.
 * The last segment runs to the end of the part. Rows come back in order.
 *
 * A segment reads as the serial reader reads those bytes only if the
 * reader is, at the cut, where it is after the prefix: inside that very
 * sheetData element (so under the same namespace bindings), between rows,
 * outside any cell, in sheetData by the handlers' account. The prefix is
 * checked once, parsed with the end tags alone; a worker then checks that
 * its segment closed no element under the root before the end tags did
 * (which would end or reopen the prefix's sheetData) and that the handlers'
 * state before those end tags was the same as after the prefix.
 *
 * Anything a worker cannot do exactly as the serial reader would (any
 * error, so that it is reported with its true position; a row numbered by
 * the rows before its segment; a cut that did not fall between rows, which
 * leaves a segment malformed or fails the check above) ends the parallel
 * reading: the part is then parsed from its start by the serial reader,
 * which skips the rows already returned. The rows returned are therefore
 * always the serial reader's.
 *
 * Reading the part can fail midway (damaged compressed data, a limit): the
 * serial reader then returns the rows that end before the read that failed,
 * and loses the bytes of that read. The part is read here in the serial
 * reader's read size, so both reads fail at the same place; and the rows of
 * a segment are returned only once the part has been read well past the
 * segment (or to its end): past any read of the serial reader that starts
 * before the segment ends. The serial reader reads HGQ_XML_READ bytes at a
 * time, or more while one token is unfinished, never more than that token
 * so far; a token lies within one segment or the prefix, so reading the
 * longest of those plus HGQ_XML_READ past a segment is enough.
 * ===================================================================== */

#define SEG_BYTES (1u << 20)
#define PREFIX_MAX (1u << 20)
#define SEG_MAX (64u << 20)        /* one row longer than this: read serially */
#define PAR_MIN_PART (4u << 20)    /* smaller parts are read serially */
#define PAR_AUTO_WORKERS 4
#define QNAME_MAX 128

typedef struct seg_job {
    const hgq_sheet_reader *main;
    char *buf;              /* prefix + segment (+ end tags); freed once parsed */
    size_t len;
    int first;              /* no rows come before this segment */
    int closed;             /* the end tags were added: the cut is checked */
    uint32_t want_closes;   /* elements under the root closed by prefix + end tags */
    uint64_t end;           /* offset in the part just after the segment */
    uint64_t margin;        /* bytes of the part to read past `end` before its rows
                               are returned */
    /* kept by the worker's handlers */
    int depth;              /* open elements */
    uint32_t closes;        /* elements under the root closed */
    int cut_ok;             /* the handlers' state when the last of those closed */
    hgq_row *rows;
    size_t nrows, caprows;
    hgq_cell *cells;
    size_t *toff;           /* per cell: offset of its text in `text`, or NONE */
    size_t ncells, capcells;
    hgq_buf text;
    uint32_t nrow_elems;
    hgq_status status;
} seg_job;

typedef struct par_state {
    hgq_pipe *pipe;
    size_t capacity;
    hgq_zip_stream *zs;
    hgq_buf prefix;         /* the part up to and including <sheetData ...> */
    char suffix[2 * QNAME_MAX + 8];
    char rowend[QNAME_MAX + 8];     /* "</" prefix "row>" */
    char sdend[QNAME_MAX + 4];      /* "</" prefix "sheetData" */
    size_t suffix_len, rowend_len, sdend_len;
    hgq_buf pend;           /* inflated bytes not yet in a segment */
    int eof;                /* the stream is exhausted */
    int input_done;         /* no more segments will be made */
    int failed;             /* read serially once the segments made are used */
    int made;               /* segments made */
    size_t seg_bytes;       /* segment size */
    size_t scanned;         /* bytes of pend searched for a cut in vain */
    int rest;               /* sheetData ends in the next segment: it is the last */
    size_t longest;         /* longest segment made (or the prefix) */
    uint32_t want_closes;   /* see seg_job */
    uint64_t read_total;    /* bytes of the part read into pend */
    uint64_t nrow_elems;
    seg_job *cur;
    size_t cur_i;
} par_state;

/* The first occurrence of pat[0, m) in s[0, n), or NULL. */
static const char *mem_find(const char *s, size_t n, const char *pat, size_t m)
{
    const char *end = s + n;
    if (m == 0)
        return s;
    while ((size_t)(end - s) >= m) {
        const char *c = memchr(s, pat[0], (size_t)(end - s) - m + 1);
        if (!c)
            return NULL;
        if (memcmp(c, pat, m) == 0)
            return c;
        s = c + 1;
    }
    return NULL;
}

static void job_free(seg_job *j)
{
    if (!j)
        return;
    free(j->buf);
    free(j->rows);
    free(j->cells);
    free(j->toff);
    hgq_buf_free(&j->text);
    free(j);
}

/* From row_end in a worker: copies the finished row into the job. */
static void job_add_row(hgq_sheet_reader *r)
{
    seg_job *j = r->job;
    size_t i, n = r->ncells;
    if (j->nrows == j->caprows) {
        size_t ncap = j->caprows ? j->caprows * 2 : 256;
        hgq_row *p = realloc(j->rows, ncap * sizeof *p);
        if (!p) {
            nomem(r);
            return;
        }
        j->rows = p;
        j->caprows = ncap;
    }
    if (j->ncells + n > j->capcells) {
        size_t ncap = j->capcells ? j->capcells : 1024;
        hgq_cell *c;
        size_t *o;
        while (ncap < j->ncells + n)
            ncap *= 2;
        c = realloc(j->cells, ncap * sizeof *c);
        if (!c) {
            nomem(r);
            return;
        }
        j->cells = c;
        o = realloc(j->toff, ncap * sizeof *o);
        if (!o) {
            nomem(r);
            return;
        }
        j->toff = o;
        j->capcells = ncap;
    }
    for (i = 0; i < n; i++) {
        hgq_cell *c = &j->cells[j->ncells + i];
        *c = r->cells[i];
        c->formula = NULL;
        j->toff[j->ncells + i] = NONE;
        if (r->toff[i] != NONE) {
            j->toff[j->ncells + i] = j->text.len;
            c->text = NULL;
            if (hgq_buf_append(&j->text, r->text.data + r->toff[i], c->text_len) ||
                hgq_buf_append_char(&j->text, '\0')) {
                nomem(r);
                return;
            }
        }
    }
    j->rows[j->nrows].index = r->row_index;
    j->rows[j->nrows].ncells = n;
    j->rows[j->nrows].cells = NULL;
    j->nrows++;
    j->ncells += n;
}

/* The handlers of a worker: those of the serial reader, keeping the depth
 * and the reader's state whenever an element directly under the root ends
 * (the last one is sheetData, closed by the end tags after the cut). */
static void XMLCALL seg_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    hgq_sheet_reader *r = ud;
    r->job->depth++;
    sheet_start(ud, name, atts);
}

static void XMLCALL seg_end(void *ud, const XML_Char *name)
{
    hgq_sheet_reader *r = ud;
    seg_job *j = r->job;
    if (j->depth-- == 2) {
        j->closes++;
        j->cut_ok = r->in_sheetdata && !r->in_row && !r->in_c;
    }
    sheet_end(ud, name);
}

/* Worker: parses one segment into its rows. */
static void seg_parse(void *ctx, void *arg)
{
    seg_job *j = arg;
    const hgq_sheet_reader *m = j->main;
    hgq_sheet_reader *r = calloc(1, sizeof *r);
    size_t i, k;
    (void)ctx;
    if (!r) {
        j->status = HGQ_ENOMEM;
        return;
    }
    r->wb = m->wb;
    r->sheet = m->sheet;
    r->max_cell = m->max_cell;
    r->last_row = j->first ? -1 : ROW_UNKNOWN;
    r->job = j;
    hgq_buf_init(&r->text);
    j->status = hgq_xml_open_memory(&r->x, j->buf, j->len, HGQ_XML_SCAN, 0, 0, m->x.part, r,
                                    seg_start, seg_end, sheet_text, NULL);
    if (j->status == HGQ_OK) {
        r->x.file = m->x.file;
        r->x.token_limit = m->x.token_limit;
        j->status = hgq_xml_run(&r->x, NULL);
    }
    /* the cut left the reader elsewhere than the prefix does */
    if (j->status == HGQ_OK && j->closed && (j->closes != j->want_closes || !j->cut_ok))
        j->status = HGQ_EUNSUPPORTED;
    j->nrow_elems = r->nrow_elems;
    hgq_sheet_reader_free(r);
    free(j->buf);
    j->buf = NULL;
    if (j->status != HGQ_OK)
        return;
    for (i = 0, k = 0; i < j->nrows; i++) {
        j->rows[i].cells = j->cells + k;
        k += j->rows[i].ncells;
    }
    for (k = 0; k < j->ncells; k++)
        if (j->toff[k] != NONE)
            j->cells[k].text = j->text.data + j->toff[k];
}

static int name_end(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>';
}

/*
 * Looks for the sheetData start tag in s[0, len): 1 when found (*end just
 * after its '>', the qualified names of the root and of sheetData noted),
 * 0 when more bytes are needed, -1 when this part is read serially
 * (comments, processing instructions or a DOCTYPE before it, an empty
 * sheetData, over-long names).
 */
static int find_sheetdata(par_state *p, const char *s, size_t len, size_t *end)
{
    size_t i = 0;
    const char *root = NULL;
    size_t rootlen = 0;
    if (len < 8)
        return 0;
    if (memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    if (memcmp(s + i, "<?xml", 5) == 0) {
        const char *q = mem_find(s + i, len - i, "?>", 2);
        if (!q)
            return 0;
        i = (size_t)(q - s) + 2;
    }
    for (;;) {
        const char *lt = memchr(s + i, '<', len - i);
        size_t k, n;
        char quote = 0;
        if (!lt)
            return 0;
        k = (size_t)(lt - s) + 1;
        if (k >= len)
            return 0;
        if (s[k] == '?' || s[k] == '!')
            return -1;
        if (s[k] == '/') {
            i = k;
            continue;
        }
        for (n = 0; k + n < len && !name_end((unsigned char)s[k + n]); n++)
            if (n >= QNAME_MAX)
                return -1;
        if (k + n >= len)
            return 0;
        if (!root) {
            root = s + k;
            rootlen = n;
        }
        i = k + n;
        /* the end of the tag: '>' outside quoted attribute values */
        for (; i < len; i++) {
            char c = s[i];
            if (quote) {
                if (c == quote)
                    quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '>') {
                break;
            }
        }
        if (i >= len)
            return 0;
        if (n >= 9 && memcmp(s + k + n - 9, "sheetData", 9) == 0 &&
            (n == 9 || s[k + n - 10] == ':')) {
            size_t plen = n - 9;
            if (s[i - 1] == '/')
                return -1;
            p->rowend_len = (size_t)snprintf(p->rowend, sizeof p->rowend, "</%.*srow>",
                                             (int)plen, s + k);
            p->sdend_len = (size_t)snprintf(p->sdend, sizeof p->sdend, "</%.*s", (int)n,
                                            s + k);
            p->suffix_len = (size_t)snprintf(p->suffix, sizeof p->suffix, "</%.*s></%.*s>",
                                             (int)n, s + k, (int)rootlen, root);
            *end = i + 1;
            return 1;
        }
        i++;
    }
}

/* Reads HGQ_XML_READ more bytes of the part into pend; 0, or -1 on failure. */
static int par_read(par_state *p)
{
    size_t n = 0;
    if (hgq_buf_reserve(&p->pend, HGQ_XML_READ + 1) ||
        hgq_zip_stream_read(p->zs, p->pend.data + p->pend.len, HGQ_XML_READ, &n, NULL) != HGQ_OK)
        return -1;
    p->pend.len += n;
    p->read_total += n;
    if (n == 0)
        p->eof = 1;
    return 0;
}

/* Offset just after the first "</row>" in pend that ends at `from` or
 * later, or 0. */
static size_t row_end_from(const par_state *p, size_t from)
{
    size_t start = from > p->rowend_len ? from - p->rowend_len : 0;
    const char *f;
    if (start >= p->pend.len)
        return 0;
    f = mem_find(p->pend.data + start, p->pend.len - start, p->rowend, p->rowend_len);
    return f ? (size_t)(f - p->pend.data) + p->rowend_len : 0;
}

/* Makes a job of prefix + pend[0, len) (+ the end tags when `closed`) and
 * drops those bytes from pend. */
static seg_job *make_job(hgq_sheet_reader *r, par_state *p, size_t len, int closed)
{
    seg_job *j = calloc(1, sizeof *j);
    size_t total = p->prefix.len + len + (closed ? p->suffix_len : 0);
    if (!j)
        return NULL;
    j->buf = malloc(total);
    if (!j->buf) {
        free(j);
        return NULL;
    }
    memcpy(j->buf, p->prefix.data, p->prefix.len);
    memcpy(j->buf + p->prefix.len, p->pend.data, len);
    if (closed)
        memcpy(j->buf + p->prefix.len + len, p->suffix, p->suffix_len);
    j->len = total;
    j->main = r;
    j->first = p->made == 0;
    j->closed = closed;
    j->want_closes = p->want_closes;
    j->end = p->read_total - p->pend.len + len;
    if (len > p->longest)
        p->longest = len;
    j->margin = (p->longest > HGQ_XML_READ ? p->longest : HGQ_XML_READ) + HGQ_XML_READ;
    ((hgq_xlsx *)r->wb)->segments_made++; /* the workbook's own counter */
    hgq_buf_init(&j->text);
    memmove(p->pend.data, p->pend.data + len, p->pend.len - len);
    p->pend.len -= len;
    p->made++;
    return j;
}

/* Makes segments while the pipeline has room: each runs to the end of the
 * first row that ends seg_bytes or more into it. When sheetData ends less
 * than seg_bytes after a cut, the next segment, which holds that end, runs
 * to the end of the part: cut after a later row end (rows outside
 * sheetData, a second sheetData) it would fail its check. */
static void par_fill(hgq_sheet_reader *r, par_state *p)
{
    while (!p->input_done && hgq_pipe_pending(p->pipe) < p->capacity) {
        size_t cut = 0;
        seg_job *j;
        int last = 0;
        for (;;) {
            if (!p->rest && p->pend.len >= p->seg_bytes) {
                cut = row_end_from(p, p->scanned > p->seg_bytes ? p->scanned : p->seg_bytes);
                if (cut)
                    break;
                p->scanned = p->pend.len;
            }
            if (p->eof)
                break;
            if (p->pend.len >= (p->rest ? SEG_MAX + p->seg_bytes : SEG_MAX) || par_read(p))
                goto fail;
        }
        if (!cut) {
            last = 1;
            if (p->pend.len > SEG_MAX + p->seg_bytes)
                goto fail;
        } else {
            size_t win = p->pend.len - cut;
            if (win > p->seg_bytes + p->sdend_len)
                win = p->seg_bytes + p->sdend_len;
            if (mem_find(p->pend.data + cut, win, p->sdend, p->sdend_len))
                p->rest = 1;
        }
        j = last ? make_job(r, p, p->pend.len, 0) : make_job(r, p, cut, 1);
        if (!j)
            goto fail;
        p->scanned = 0;
        hgq_pipe_submit(p->pipe, j);
        if (last)
            p->input_done = 1;
    }
    return;
fail:
    p->failed = 1;
    p->input_done = 1;
}

/* Before the rows of `j` are returned: reads on until the part is read
 * j->margin bytes past the segment, or to its end. -1 when a read fails. */
static int par_settle(par_state *p, const seg_job *j)
{
    while (!p->eof && p->read_total < j->end + j->margin)
        if (par_read(p))
            return -1;
    return 0;
}

/*
 * Parses the prefix closed by the end tags, as a worker parses a segment:
 * the reader must then be inside sheetData, between rows. Notes how many
 * elements under the root that document closes. 0, or -1 to read serially.
 */
static int par_probe(hgq_sheet_reader *r, par_state *p)
{
    seg_job *j = calloc(1, sizeof *j);
    int ok;
    if (!j)
        return -1;
    hgq_buf_init(&j->text);
    j->buf = malloc(p->prefix.len + p->suffix_len);
    if (!j->buf) {
        job_free(j);
        return -1;
    }
    memcpy(j->buf, p->prefix.data, p->prefix.len);
    memcpy(j->buf + p->prefix.len, p->suffix, p->suffix_len);
    j->len = p->prefix.len + p->suffix_len;
    j->main = r;
    j->first = 1;
    seg_parse(NULL, j);
    ok = j->status == HGQ_OK && j->cut_ok && j->closes > 0 && j->nrows == 0;
    p->want_closes = j->closes;
    job_free(j);
    return ok ? 0 : -1;
}

static void par_end(hgq_sheet_reader *r)
{
    par_state *p = r->par;
    seg_job *j;
    if (!p)
        return;
    job_free(p->cur);
    if (p->pipe) {
        while ((j = hgq_pipe_take(p->pipe)) != NULL)
            job_free(j);
        hgq_pipe_free(p->pipe);
    }
    hgq_zip_stream_free(p->zs);
    hgq_buf_free(&p->prefix);
    hgq_buf_free(&p->pend);
    free(p);
    r->par = NULL;
}

/* Starts reading in parallel when the part is large and cores are there;
 * otherwise (or on any failure) the reader stays serial. */
static void par_start(hgq_sheet_reader *r)
{
    const hgq_xlsx *wb = r->wb;
    const char *part = r->x.part;
    int workers = wb->opt.threads;
    par_state *p;
    long idx;
    size_t end = 0;
    if (r->want_formulas || workers == 1)
        return;
    if (workers <= 0) {
        workers = hgq_pipe_cores();
        if (workers > PAR_AUTO_WORKERS)
            workers = PAR_AUTO_WORKERS;
        if (workers < 2)
            return;
    }
    idx = hgq_zip_find(wb->zip, part);
    if (idx < 0 ||
        hgq_zip_size(wb->zip, (size_t)idx) < (wb->par_min_part ? wb->par_min_part
                                                                : PAR_MIN_PART))
        return;
    p = calloc(1, sizeof *p);
    if (!p)
        return;
    hgq_buf_init(&p->prefix);
    hgq_buf_init(&p->pend);
    p->seg_bytes = wb->seg_bytes ? wb->seg_bytes : SEG_BYTES;
    r->par = p;
    if (hgq_zip_stream_open(&p->zs, wb->zip, part, NULL) != HGQ_OK)
        goto serial;
    for (;;) {
        int found;
        if (par_read(p))
            goto serial;
        found = find_sheetdata(p, p->pend.data, p->pend.len, &end);
        if (found < 0 || (found == 0 && (p->eof || p->pend.len > PREFIX_MAX)))
            goto serial;
        if (found > 0)
            break;
    }
    if (hgq_buf_append(&p->prefix, p->pend.data, end) || par_probe(r, p))
        goto serial;
    memmove(p->pend.data, p->pend.data + end, p->pend.len - end);
    p->pend.len -= end;
    p->longest = end;
    p->capacity = (size_t)workers * 2;
    p->pipe = hgq_pipe_new(workers, p->capacity, seg_parse, NULL);
    if (!p->pipe)
        goto serial;
    return;
serial:
    hgq_zip_stream_forget(p->zs); /* the serial reader reads the part whole */
    par_end(r);
}

static hgq_status serial_next(hgq_sheet_reader *r, const hgq_row **row, hgq_error *err);

static hgq_status par_next(hgq_sheet_reader *r, const hgq_row **row, hgq_error *err)
{
    par_state *p = r->par;
    uint64_t skip;
    for (;;) {
        seg_job *j;
        if (p->cur && p->cur_i < p->cur->nrows) {
            *row = &p->cur->rows[p->cur_i++];
            return HGQ_OK;
        }
        job_free(p->cur);
        p->cur = NULL;
        par_fill(r, p);
        j = hgq_pipe_take(p->pipe);
        if (!j) {
            if (p->failed)
                break;
            par_end(r);
            r->finished = 1;
            *row = NULL;
            return HGQ_OK;
        }
        p->nrow_elems += j->nrow_elems;
        if (j->status != HGQ_OK || p->nrow_elems > (uint64_t)HGQ_MAX_ROW + 1 ||
            par_settle(p, j)) {
            job_free(j);
            break;
        }
        p->cur = j;
        p->cur_i = 0;
    }
    /* read serially from the start, past the rows already returned; the
     * part then counts once against max_total_inflated */
    hgq_zip_stream_forget(p->zs);
    par_end(r);
    ((hgq_xlsx *)r->wb)->par_fallbacks++;
    for (skip = r->delivered; skip > 0; skip--) {
        hgq_status st = serial_next(r, row, err);
        if (st != HGQ_OK || !*row)
            return st;
    }
    return serial_next(r, row, err);
}

/* }==================================================================== */

/* {====================================================================
 * Public (internal) interface
 * ===================================================================== */

static hgq_status reader_new(hgq_sheet_reader **out, const hgq_xlsx *wb, size_t sheet,
                             int merges_only, hgq_error *err)
{
    const hgq_sheet_info *info;
    hgq_sheet_reader *r;
    hgq_status st;

    *out = NULL;
    info = &wb->sheets[sheet];
    if (wb->priv[sheet].problem) {
        hgq_error_set(err, HGQ_EPART, "%s", wb->priv[sheet].problem);
        hgq_error_set_file(err, wb->file);
        hgq_error_set_sheet(err, info->name);
        return HGQ_EPART;
    }
    r = calloc(1, sizeof *r);
    if (!r)
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    r->wb = wb;
    r->sheet = info->name;
    r->merges_only = merges_only;
    r->want_formulas = wb->opt.want_formulas;
    r->max_cell = wb->opt.max_cell_bytes;
    r->last_row = -1;
    hgq_buf_init(&r->text);
    st = hgq_xml_open(&r->x, wb->zip, info->part, wb->file, r, sheet_start, sheet_end,
                      merges_only ? NULL : sheet_text, err);
    if (st != HGQ_OK) {
        hgq_error_set_sheet(err, info->name);
        free(r);
        return st;
    }
    if (r->x.token_limit < 2ull * r->max_cell)
        r->x.token_limit = 2ull * r->max_cell;
    *out = r;
    return HGQ_OK;
}

hgq_status hgq_sheet_reader_open(hgq_sheet_reader **out, const hgq_xlsx *wb, size_t sheet,
                                 hgq_error *err)
{
    hgq_status st = reader_new(out, wb, sheet, 0, err);
    if (st == HGQ_OK)
        par_start(*out);
    return st;
}

static hgq_status serial_next(hgq_sheet_reader *r, const hgq_row **row, hgq_error *err)
{
    *row = NULL;
    if (r->finished)
        return r->x.status == HGQ_OK ? HGQ_OK : hgq_xml_step(&r->x, err);
    r->row_ready = 0;
    for (;;) {
        hgq_status st = hgq_xml_step(&r->x, err);
        if (st != HGQ_OK) {
            r->finished = 1;
            hgq_error_set_sheet(err, r->sheet);
            if (r->x.status != HGQ_OK)
                hgq_error_set_sheet(&r->x.e, r->sheet);
            return st;
        }
        if (r->row_ready) {
            *row = &r->row;
            return HGQ_OK;
        }
        if (r->x.done) {
            r->finished = 1;
            return HGQ_OK;
        }
    }
}

hgq_status hgq_sheet_reader_next(hgq_sheet_reader *r, const hgq_row **row, hgq_error *err)
{
    hgq_status st;
    *row = NULL;
    st = r->par ? par_next(r, row, err) : serial_next(r, row, err);
    if (st == HGQ_OK && *row)
        r->delivered++;
    return st;
}

void hgq_sheet_reader_free(hgq_sheet_reader *r)
{
    size_t i;
    if (!r)
        return;
    par_end(r);
    hgq_xml_close(&r->x);
    for (i = 0; i < r->nsf; i++)
        free(r->sf[i].text);
    free(r->sf);
    free(r->cells);
    free(r->toff);
    free(r->foff);
    free(r->keys);
    free(r->scratch);
    free(r->scratch_off);
    free(r->merges);
    hgq_buf_free(&r->text);
    free(r);
}

/*
 * 0 when the part cannot hold a merged range: the bytes "mergeCell" (the
 * local name, whatever the prefix) appear nowhere in it. Finding that costs
 * only inflating, where parsing a large sheet costs several times more.
 * 1 otherwise, or when the part cannot be read (the parse then says why).
 */
static int may_have_merges(const hgq_xlsx *wb, const char *part)
{
    enum { CHUNK = 1 << 16, KEEP = 8 };
    hgq_zip_stream *zs;
    char *buf;
    size_t keep = 0, n;
    int found = 1;
    if (hgq_zip_stream_open(&zs, wb->zip, part, NULL) != HGQ_OK)
        return 1;
    buf = malloc(CHUNK + KEEP);
    if (!buf) {
        hgq_zip_stream_free(zs);
        return 1;
    }
    for (;;) {
        if (hgq_zip_stream_read(zs, buf + keep, CHUNK, &n, NULL) != HGQ_OK)
            break;
        if (n == 0) {
            found = 0;
            break;
        }
        n += keep;
        if (mem_find(buf, n, "mergeCell", 9))
            break;
        keep = n < KEEP ? n : KEEP;
        memmove(buf, buf + n - keep, keep);
    }
    free(buf);
    hgq_zip_stream_free(zs);
    return found;
}

hgq_status hgq_sheet_read_merges(const hgq_xlsx *wb, size_t sheet, hgq_range **ranges,
                                 size_t *count, hgq_error *err)
{
    hgq_sheet_reader *r;
    hgq_status st = reader_new(&r, wb, sheet, 1, err);
    *ranges = NULL;
    *count = 0;
    if (st != HGQ_OK)
        return st;
    if (!may_have_merges(wb, r->x.part)) {
        hgq_sheet_reader_free(r);
        return HGQ_OK;
    }
    st = hgq_xml_run(&r->x, err);
    if (st != HGQ_OK) {
        hgq_error_set_sheet(err, r->sheet);
    } else {
        *ranges = r->merges;
        *count = r->nmerges;
        r->merges = NULL;
    }
    hgq_sheet_reader_free(r);
    return st;
}

/* }==================================================================== */
