/*
 * csv.c - the streaming CSV reader behind hgq_workbook_open for text files.
 *
 * Three layers, each pulling from the one below:
 *
 *   input   raw bytes: a borrowed memory block, or a file read with fread in
 *           CSV_CHUNK pieces into `raw` (unread bytes move to the front).
 *   text    a window [p, end) of UTF-8 for the parser. UTF-8 input is handed
 *           over in place; GB18030 and UTF-16 go through iconv into `dec`.
 *           A conversion error is not raised at once: the text before it is
 *           delivered first and the error comes when the parser asks for
 *           more, so the parser can name the line it is on.
 *   parser  an RFC 4180 state machine that survives window boundaries and
 *           assembles one record at a time in `rec`, each field followed by
 *           a NUL, so the cells of a row point into `rec`.
 *
 * Encoding detection: a BOM decides (UTF-8, UTF-16LE, UTF-16BE); otherwise
 * the first CSV_SAMPLE bytes are checked: valid UTF-8 means UTF-8, anything
 * else GB18030. A sample that is pure ASCII decides nothing, so the choice
 * is put off until the first non-ASCII byte and made on the CSV_SAMPLE
 * bytes from there (until then both encodings read the same).
 *
 * Leniency, as Excel: a quote inside an unquoted field is literal text, and
 * text after the closing quote of a quoted field is appended to the field.
 * Line breaks inside quoted fields (CRLF, LF or CR) become "\n". In GB18030
 * the lone byte 0x80 is read as the euro sign, as Windows code page 936 does.
 *
 * Line numbers count physical lines (a quoted line break starts a new one),
 * so a record's row index is its first line - 1.
 *
 * Limits (HGQ_ELIMIT, naming the line): a field's UTF-8 text is at most
 * max_cell_bytes; a record at most 16 * max_cell_bytes or 64 MiB, whichever
 * is more; at most HGQ_MAX_COL + 1 fields in a record and rows up to
 * HGQ_MAX_ROW. Memory is the raw and decoded buffers plus the longest record.
 *
 * Opening never fails on bad text: an encoding error in the first bytes is
 * raised by the first hgq_csv_reader_next, with its line. While the text is
 * still undecided ASCII, hgq_csv_reader_encoding says UTF-8.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "internal.h"

#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define CSV_CHUNK 65536u          /* bytes per fread; also the raw buffer size */
#define CSV_SAMPLE 65536u         /* bytes examined for encoding and delimiter */
#define CSV_DEC 131072u           /* decoded text window (iconv output) */
#define CSV_WINDOW SIZE_MAX       /* longest UTF-8 window handed to the parser */
#else
/* Tiny buffers, so that small fuzz inputs cross every boundary. */
#define CSV_CHUNK 61u
#define CSV_SAMPLE 61u
#define CSV_DEC 67u
#define CSV_WINDOW 13u
#endif
#define CSV_SNIFF 4096u           /* bytes examined by hgq_csv_sniff */
#define CSV_DELIM_LINES 32        /* lines examined for the delimiter */
#define CSV_DEFAULT_CELL (1u << 20)
#define CSV_MIN_RECORD ((size_t)64 << 20)  /* a record may always be this long */

enum { MODE_UTF8, MODE_ASCII, MODE_ICONV };
enum { ST_RECORD, ST_FIELD, ST_UNQUOTED, ST_QUOTED, ST_QUOTE };

/* Character classes of the parser's scanning loops (nonzero stops a run). */
#define CL_DELIM 1
#define CL_QUOTE 2
#define CL_NL 4
#define CL_NUL 8

struct hgq_csv_reader {
    /* input: bytes in[in_pos .. in_len) are unread; in_eof: no more after */
    FILE *fp;
    unsigned char *raw;           /* file buffer, CSV_CHUNK bytes */
    const unsigned char *in;
    size_t in_pos, in_len;
    int in_eof;
    char *name;                   /* for error messages */

    /* text */
    hgq_encoding enc;
    int mode;
    iconv_t cd;
    unsigned char *dec;           /* iconv output, CSV_DEC bytes */
    int dec_first;                /* next iconv window is the first */
    int dec_stop;                 /* conversion stopped at a bad sequence */
    hgq_status dec_status;        /* error due after the text delivered */
    char dec_msg[160];
    const unsigned char *p, *end; /* current text window */

    /* parser */
    char delim;
    unsigned char cls[256];
    long line;                    /* 1-based line of the next character */
    int cr;                       /* last character was CR: an LF now is part of it */
    uint32_t max_cell;
    size_t max_record;

    /* the current record */
    char *rec;                    /* fields, each followed by a NUL */
    size_t rec_len, rec_cap;
    long rec_line;                /* line where the record began */
    long field_line;              /* line where the current field began */
    size_t field_start;           /* offset in rec of the current field */
    uint32_t nfields;             /* fields begun in this record */
    hgq_cell *cells;
    size_t *offs;                 /* offset of each cell's text in rec */
    size_t ncells, cells_cap;
    hgq_row row;

    int eof;                      /* all rows read */
    int failed;                   /* `error` holds the error every call returns */
    hgq_error error;
};

/* {====================================================================
 * Errors
 * ===================================================================== */

/* Records an error at a line (and 1-based field, 0 if none) in r->error,
 * which the reader then returns from every later call. */
static hgq_status csv_fail(hgq_csv_reader *r, hgq_status code, long line, long field,
                           const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static hgq_status csv_fail(hgq_csv_reader *r, hgq_status code, long line, long field,
                           const char *fmt, ...)
{
    char msg[HGQ_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hgq_error_clear(&r->error);
    hgq_error_set(&r->error, code, "%s", msg);
    hgq_error_set_file(&r->error, r->name);
    hgq_error_set_position(&r->error, line, field);
    r->failed = 1;
    return code;
}

static hgq_status report(hgq_csv_reader *r, hgq_error *err)
{
    if (err) {
        /* Keep whatever location the caller set (sheet, part) and add ours. */
        hgq_error_set(err, r->error.code, "%s", r->error.message);
        hgq_error_set_file(err, r->error.file);
        hgq_error_set_position(err, r->error.line, r->error.column);
    }
    return r->error.code;
}

/* }==================================================================== */

/* {====================================================================
 * UTF-8 checks
 * ===================================================================== */

/* Length of the leading run of ASCII bytes. */
static size_t ascii_span(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull)
            break;
        i += 8;
    }
    while (i < n && s[i] < 0x80)
        i++;
    return i;
}

/* Offset of the first byte of s[0..n) that does not start a complete, valid
 * UTF-8 sequence (no overlong forms, surrogates or code points past
 * U+10FFFF), or n if all is valid. */
static size_t utf8_check(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], c1;
        if (c < 0x80) {
            i += ascii_span(s + i, n - i);
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            if (n - i < 2 || (s[i + 1] & 0xC0) != 0x80)
                return i;
            i += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            if (n - i < 3 || (s[i + 2] & 0xC0) != 0x80)
                return i;
            c1 = s[i + 1];
            if (c == 0xE0 ? c1 < 0xA0 || c1 > 0xBF
                : c == 0xED ? c1 < 0x80 || c1 > 0x9F
                : (c1 & 0xC0) != 0x80)
                return i;
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            if (n - i < 4 || (s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80)
                return i;
            c1 = s[i + 1];
            if (c == 0xF0 ? c1 < 0x90 || c1 > 0xBF
                : c == 0xF4 ? c1 < 0x80 || c1 > 0x8F
                : (c1 & 0xC0) != 0x80)
                return i;
            i += 4;
        } else {
            return i;
        }
    }
    return n;
}

/* 1 if s[0..n) is valid UTF-8, allowing it to end inside a sequence when
 * more text follows (`more`): a sample cut in the middle of a character. */
static int utf8_plausible(const unsigned char *s, size_t n, int more)
{
    size_t bad = utf8_check(s, n), need;
    if (bad == n)
        return 1;
    if (!more || n - bad >= 4)
        return 0;
    /* The tail must be a lead byte followed by continuation bytes only. */
    if (s[bad] >= 0xC2 && s[bad] <= 0xDF)
        need = 2;
    else if (s[bad] >= 0xE0 && s[bad] <= 0xEF)
        need = 3;
    else if (s[bad] >= 0xF0 && s[bad] <= 0xF4)
        need = 4;
    else
        return 0;
    if (n - bad >= need)
        return 0;
    for (size_t i = bad + 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return 1;
}

/* }==================================================================== */

/* {====================================================================
 * Input and text layers
 * ===================================================================== */

/* Reads more of the file, keeping the unread bytes. A read error is kept
 * in dec_status, to be raised once the bytes before it are parsed. */
static void in_fill(hgq_csv_reader *r)
{
    size_t keep = r->in_len - r->in_pos, n;
    if (r->in_eof)
        return;
    if (keep && r->in_pos)
        memmove(r->raw, r->raw + r->in_pos, keep);
    r->in_pos = 0;
    r->in_len = keep;
    n = fread(r->raw + keep, 1, CSV_CHUNK - keep, r->fp);
    r->in_len += n;
    if (n < CSV_CHUNK - keep) {
        r->in_eof = 1;
        if (ferror(r->fp)) {
            r->dec_status = HGQ_EIO;
            snprintf(r->dec_msg, sizeof r->dec_msg, "read error: %s", strerror(errno));
        }
    }
}

static hgq_status set_iconv(hgq_csv_reader *r, hgq_encoding enc)
{
    const char *from = enc == HGQ_ENC_UTF16LE ? "UTF-16LE"
                     : enc == HGQ_ENC_UTF16BE ? "UTF-16BE" : "GB18030";
    r->cd = iconv_open("UTF-8", from);
    if (r->cd == (iconv_t)-1)
        return csv_fail(r, HGQ_EUNSUPPORTED, 0, 0,
                        "conversion from %s is not available (iconv: %s)", from,
                        strerror(errno));
    r->dec = malloc(CSV_DEC);
    if (!r->dec)
        return csv_fail(r, HGQ_ENOMEM, 0, 0, "out of memory");
    r->enc = enc;
    r->mode = MODE_ICONV;
    r->dec_first = 1;
    return HGQ_OK;
}

/* Converts the next piece of input into dec. Returns the bytes produced;
 * stops early at a bad sequence, setting dec_stop and dec_status. */
static size_t convert(hgq_csv_reader *r)
{
    char *out = (char *)r->dec;
    size_t outleft = CSV_DEC;
    for (;;) {
        char *inp;
        size_t inleft, rc;
        int e;
        if (r->in_pos == r->in_len) {
            if (r->in_eof)
                break;
            if (outleft < CSV_DEC / 2)
                break;  /* enough for one window */
            in_fill(r);
            continue;
        }
        inp = (char *)(r->in + r->in_pos);
        inleft = r->in_len - r->in_pos;
        rc = iconv(r->cd, &inp, &inleft, &out, &outleft);
        e = errno;
        r->in_pos = r->in_len - inleft;
        if (rc != (size_t)-1)
            continue;
        if (e == E2BIG)
            break;
        if (e == EINVAL) {
            /* A character cut by the end of the buffer. */
            if (!r->in_eof) {
                in_fill(r);
                continue;
            }
            r->dec_stop = 1;
            r->dec_status = HGQ_EENCODING;
            snprintf(r->dec_msg, sizeof r->dec_msg,
                     "the file ends in the middle of a character (not valid %s)",
                     r->enc == HGQ_ENC_GB18030 ? "GB18030" : "UTF-16");
            break;
        }
        if (r->enc == HGQ_ENC_GB18030 && r->in[r->in_pos] == 0x80) {
            /* Code page 936's euro sign, not in GB18030. */
            if (outleft < 3)
                break;
            memcpy(out, "\xE2\x82\xAC", 3);
            out += 3;
            outleft -= 3;
            r->in_pos++;
            continue;
        }
        r->dec_stop = 1;
        r->dec_status = HGQ_EENCODING;
        if (r->enc == HGQ_ENC_GB18030) {
            const unsigned char *s = r->in + r->in_pos;
            if (r->in_len - r->in_pos > 1)
                snprintf(r->dec_msg, sizeof r->dec_msg,
                         "bytes %02X %02X are not GB18030 (GBK) text", s[0], s[1]);
            else
                snprintf(r->dec_msg, sizeof r->dec_msg,
                         "byte %02X is not GB18030 (GBK) text", s[0]);
        } else {
            snprintf(r->dec_msg, sizeof r->dec_msg,
                     "invalid UTF-16 text (unpaired surrogate)");
        }
        break;
    }
    if (r->in_pos == r->in_len && r->in_eof && !r->dec_stop)
        iconv(r->cd, NULL, NULL, &out, &outleft);
    return CSV_DEC - outleft;
}

/*
 * Moves the text window on. At the end of the text the window is empty and
 * HGQ_OK is returned; an error due at this point is returned (its message in
 * dec_msg) for the parser to place.
 */
static hgq_status text_next(hgq_csv_reader *r)
{
    for (;;) {
        if (r->mode == MODE_ICONV) {
            size_t n;
            if (r->dec_stop)
                return r->dec_status;
            n = convert(r);
            r->p = r->dec;
            r->end = r->dec + n;
            if (r->dec_first && n >= 3 && memcmp(r->dec, "\xEF\xBB\xBF", 3) == 0)
                r->p += 3;  /* BOM of GB18030 (84 31 95 33) or of forced UTF-16 */
            if (n > 0)
                r->dec_first = 0;
            if (r->p < r->end)
                return HGQ_OK;
            if (r->dec_stop || (r->in_pos == r->in_len && r->in_eof))
                return r->dec_status;
            continue;
        }
        if (r->in_pos == r->in_len) {
            if (!r->in_eof)
                in_fill(r);
            if (r->in_pos == r->in_len) {
                r->p = r->end = r->in + r->in_pos;
                return r->dec_status;  /* HGQ_OK at the end */
            }
        }
        if (r->mode == MODE_UTF8) {
            size_t n = r->in_len - r->in_pos;
            r->p = r->in + r->in_pos;
            r->end = r->p + (n < CSV_WINDOW ? n : CSV_WINDOW);
            r->in_pos += (size_t)(r->end - r->p);
            return HGQ_OK;
        } else {
            /* ASCII so far: hand over the ASCII run, decide at a non-ASCII byte. */
            size_t k = ascii_span(r->in + r->in_pos, r->in_len - r->in_pos), n;
            if (k > CSV_WINDOW)
                k = CSV_WINDOW;
            if (k > 0) {
                r->p = r->in + r->in_pos;
                r->end = r->p + k;
                r->in_pos += k;
                return HGQ_OK;
            }
            if (!r->in_eof && r->in_len - r->in_pos < CSV_SAMPLE)
                in_fill(r);
            n = r->in_len - r->in_pos;
            if (n > CSV_SAMPLE)
                n = CSV_SAMPLE;
            if (utf8_plausible(r->in + r->in_pos, n,
                               n < r->in_len - r->in_pos || !r->in_eof)) {
                r->mode = MODE_UTF8;
                r->enc = HGQ_ENC_UTF8;
            } else {
                hgq_status st = set_iconv(r, HGQ_ENC_GB18030);
                if (st) {
                    hgq_strlcpy_utf8(r->dec_msg, r->error.message, sizeof r->dec_msg);
                    r->failed = 0;
                    r->dec_status = st;
                    r->dec_stop = 1;
                    r->mode = MODE_ICONV;
                }
                r->dec_first = 0;
            }
        }
    }
}

/* }==================================================================== */

/* {====================================================================
 * Detection
 * ===================================================================== */

/* Counts ',', '\t' and ';' outside quotes on the first lines of the sample
 * and picks the one whose count is the same on most lines (comma on ties
 * and when none occurs). `complete`: the sample is the whole text. */
static char detect_delimiter(const unsigned char *s, size_t n, int complete)
{
    static const char cand[3] = {',', '\t', ';'};
    unsigned counts[3][CSV_DELIM_LINES];
    unsigned cur[3] = {0, 0, 0};
    int nlines = 0, inq = 0, blank = 1, best = 0, best_score = 0;
    size_t i;
    if (n > CSV_SAMPLE)
        n = CSV_SAMPLE, complete = 0;
    for (i = 0; i < n && nlines < CSV_DELIM_LINES; i++) {
        unsigned char c = s[i];
        if (c == '"') {
            inq = !inq;
            blank = 0;
        } else if (inq) {
            continue;
        } else if (c == '\n' || c == '\r') {
            if (!blank) {
                for (int k = 0; k < 3; k++)
                    counts[k][nlines] = cur[k], cur[k] = 0;
                nlines++;
            }
            blank = 1;
        } else {
            for (int k = 0; k < 3; k++)
                cur[k] += c == (unsigned char)cand[k];
            blank = 0;
        }
    }
    if (i == n && complete && !blank && !inq && nlines < CSV_DELIM_LINES) {
        for (int k = 0; k < 3; k++)
            counts[k][nlines] = cur[k];
        nlines++;
    }
    for (int k = 0; k < 3; k++) {
        /* score: lines sharing the most common nonzero count */
        int score = 0;
        for (int a = 0; a < nlines; a++) {
            int same = 0;
            if (counts[k][a] == 0)
                continue;
            for (int b = 0; b < nlines; b++)
                same += counts[k][b] == counts[k][a];
            if (same > score)
                score = same;
        }
        if (score > best_score)
            best = k, best_score = score;
    }
    return cand[best];
}

/* }==================================================================== */

/* {====================================================================
 * Parser
 * ===================================================================== */

/* Makes room for n more bytes of the current field and its NUL. */
static hgq_status rec_grow(hgq_csv_reader *r, size_t n)
{
    size_t cap;
    char *p;
    if (r->rec_len - r->field_start + n > r->max_cell)
        return csv_fail(r, HGQ_ELIMIT, r->field_line, (long)r->nfields,
                        "field longer than %u bytes (max_cell_bytes)", (unsigned)r->max_cell);
    if (r->rec_len + n >= r->max_record)
        return csv_fail(r, HGQ_ELIMIT, r->rec_line, (long)r->nfields,
                        "record longer than %zu bytes", r->max_record);
    if (r->rec_len + n < r->rec_cap)
        return HGQ_OK;
    cap = r->rec_cap ? r->rec_cap : 4096;
    while (cap <= r->rec_len + n)
        cap *= 2;  /* no overflow: bounded by max_record */
    p = realloc(r->rec, cap);
    if (!p)
        return csv_fail(r, HGQ_ENOMEM, r->field_line, (long)r->nfields, "out of memory");
    r->rec = p;
    r->rec_cap = cap;
    return HGQ_OK;
}

static inline hgq_status rec_append(hgq_csv_reader *r, const unsigned char *s, size_t n)
{
    hgq_status st;
    if ((r->rec_len + n >= r->rec_cap || r->rec_len - r->field_start + n > r->max_cell) &&
        (st = rec_grow(r, n)))
        return st;
    memcpy(r->rec + r->rec_len, s, n);
    r->rec_len += n;
    return HGQ_OK;
}

/* Ends the current field: terminates it and, if not empty, adds a cell. */
static hgq_status end_field(hgq_csv_reader *r)
{
    size_t len = r->rec_len - r->field_start;
    hgq_status st;
    if (r->rec_len + 1 >= r->rec_cap && (st = rec_grow(r, 0)))
        return st;
    r->rec[r->rec_len++] = '\0';
    if (len == 0)
        return HGQ_OK;
    if (r->ncells == r->cells_cap) {
        size_t cap = r->cells_cap ? r->cells_cap * 2 : 64;
        hgq_cell *c = realloc(r->cells, cap * sizeof *c);
        size_t *o;
        if (c)
            r->cells = c;
        o = c ? realloc(r->offs, cap * sizeof *o) : NULL;
        if (!o)
            return csv_fail(r, HGQ_ENOMEM, r->field_line, (long)r->nfields, "out of memory");
        r->offs = o;
        r->cells_cap = cap;
    }
    r->offs[r->ncells] = r->field_start;
    r->cells[r->ncells].col = r->nfields - 1;
    r->cells[r->ncells].text_len = len;
    r->ncells++;
    return HGQ_OK;
}

/* Checks and publishes a record with at least one cell as r->row. */
static hgq_status end_record(hgq_csv_reader *r)
{
    const unsigned char *s = (const unsigned char *)r->rec;
    size_t i;
    if ((unsigned long)(r->rec_line - 1) > HGQ_MAX_ROW)
        return csv_fail(r, HGQ_ELIMIT, r->rec_line, 0, "more than %u rows",
                        HGQ_MAX_ROW + 1);
    if (r->mode == MODE_UTF8) {
        size_t bad = utf8_check(s, r->rec_len);
        if (bad < r->rec_len) {
            long line = r->rec_line;
            size_t c = 0;
            for (i = 0; i < bad; i++)
                line += s[i] == '\n';
            while (c + 1 < r->ncells && r->offs[c + 1] <= bad)
                c++;
            return csv_fail(r, HGQ_EENCODING, line, (long)r->cells[c].col + 1,
                            "invalid UTF-8 (byte %02X); if the file is GBK/GB18030, "
                            "set the CSV encoding", s[bad]);
        }
    }
    for (i = 0; i < r->ncells; i++) {
        hgq_cell *c = &r->cells[i];
        c->row = (uint32_t)(r->rec_line - 1);
        c->type = HGQ_CELL_STRING;
        c->number = 0;
        c->text = r->rec + r->offs[i];
        c->formula = NULL;
        c->numfmt = "General";
        c->style = 0;
    }
    r->row.index = (uint32_t)(r->rec_line - 1);
    r->row.ncells = r->ncells;
    r->row.cells = r->cells;
    return HGQ_OK;
}

static hgq_status begin_field(hgq_csv_reader *r)
{
    if (r->nfields > HGQ_MAX_COL)
        return csv_fail(r, HGQ_ELIMIT, r->line, (long)r->nfields + 1,
                        "more than %u fields in a record", HGQ_MAX_COL + 1);
    r->nfields++;
    r->field_line = r->line;
    r->field_start = r->rec_len;
    return HGQ_OK;
}

/*
 * Reads up to the next record that has a non-empty field and publishes it
 * in r->row; sets r->eof at the end of the text instead.
 */
static hgq_status read_record(hgq_csv_reader *r)
{
    const unsigned char *p = r->p, *end = r->end;
    const unsigned char *cls = r->cls;
    const unsigned char delim = (unsigned char)r->delim;
    int state = ST_RECORD;
    hgq_status st;

    for (;;) {
        if (p == end) {
            st = text_next(r);
            if (st)
                return csv_fail(r, st, r->line,
                                state == ST_RECORD ? 1
                                : state == ST_FIELD ? (long)r->nfields + 1 : (long)r->nfields,
                                "%s", r->dec_msg);
            p = r->p;
            end = r->end;
            if (p < end)
                continue;
            /* end of the text */
            if (state == ST_RECORD) {
                r->eof = 1;
                return HGQ_OK;
            }
            if (state == ST_QUOTED)
                return csv_fail(r, HGQ_ECSV, r->field_line, (long)r->nfields,
                                "quoted field is not closed: a quote (\") opened on line "
                                "%ld has no closing quote", r->field_line);
            if (state != ST_FIELD && (st = end_field(r)))
                return st;
            r->eof = 1;
            if (r->ncells == 0)
                return HGQ_OK;
            return end_record(r);
        }
        switch (state) {
        case ST_RECORD:
            if (*p == '\n' && r->cr) {
                p++;
                r->cr = 0;
                continue;
            }
            r->rec_len = 0;
            r->ncells = 0;
            r->nfields = 0;
            r->rec_line = r->line;
            state = ST_FIELD;
            /* fall through */
        case ST_FIELD:
            if ((st = begin_field(r)))
                return st;
            r->cr = 0;
            if (*p == '"') {
                p++;
                state = ST_QUOTED;
                continue;
            }
            state = ST_UNQUOTED;
            /* fall through */
        case ST_UNQUOTED: {
            const unsigned char *q = p;
            unsigned char c;
            while (q < end && !(cls[*q] & (CL_DELIM | CL_NL | CL_NUL)))
                q++;
            if (q > p) {
                if ((st = rec_append(r, p, (size_t)(q - p))))
                    return st;
                r->cr = 0;
                p = q;
                if (p == end)
                    continue;
            }
            c = *p++;
            if (c == delim) {
                if ((st = end_field(r)))
                    return st;
                state = ST_FIELD;
                continue;
            }
            if (c == '\r' || c == '\n') {
                if ((st = end_field(r)))
                    return st;
                r->line++;
                r->cr = c == '\r';
                if (r->ncells == 0) {
                    state = ST_RECORD;
                    continue;
                }
                r->p = p;
                return end_record(r);
            }
            return csv_fail(r, HGQ_EENCODING, r->line, (long)r->nfields,
                            "NUL byte in the text (a binary file, or UTF-16 without BOM?)");
        }
        case ST_QUOTED: {
            const unsigned char *q = p;
            unsigned char c;
            while (q < end && !(cls[*q] & (CL_QUOTE | CL_NL | CL_NUL)))
                q++;
            if (q > p) {
                if ((st = rec_append(r, p, (size_t)(q - p))))
                    return st;
                r->cr = 0;
                p = q;
                if (p == end)
                    continue;
            }
            c = *p++;
            if (c == '"') {
                r->cr = 0;
                state = ST_QUOTE;
            } else if (c == '\r' || (c == '\n' && !r->cr)) {
                if ((st = rec_append(r, (const unsigned char *)"\n", 1)))
                    return st;
                r->line++;
                r->cr = c == '\r';
            } else if (c == '\n') {
                r->cr = 0;  /* the LF of a CRLF already counted */
            } else {
                return csv_fail(r, HGQ_EENCODING, r->line, (long)r->nfields,
                                "NUL byte in the text (a binary file, or UTF-16 without BOM?)");
            }
            continue;
        }
        case ST_QUOTE:
            /* after a quote inside a quoted field: "" is a quote, else the field is closed */
            if (*p == '"') {
                if ((st = rec_append(r, p, 1)))
                    return st;
                p++;
                state = ST_QUOTED;
            } else {
                state = ST_UNQUOTED;
            }
            continue;
        }
    }
}

/* }==================================================================== */

/* {====================================================================
 * API
 * ===================================================================== */

static int valid_delimiter(char c)
{
    unsigned char u = (unsigned char)c;
    return u != 0 && u < 0x80 && c != '"' && c != '\r' && c != '\n';
}

/* Chooses the encoding (and skips its BOM) from the first bytes. */
static hgq_status choose_encoding(hgq_csv_reader *r, hgq_encoding want)
{
    const unsigned char *s = r->in + r->in_pos;
    size_t n = r->in_len - r->in_pos;
    if (want == HGQ_ENC_AUTO) {
        size_t k;
        if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            want = HGQ_ENC_UTF8;
        else if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE)
            want = HGQ_ENC_UTF16LE;
        else if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF)
            want = HGQ_ENC_UTF16BE;
        else {
            if (n > CSV_SAMPLE)
                n = CSV_SAMPLE;
            k = ascii_span(s, n);
            if (k == r->in_len - r->in_pos && r->in_eof) {
                want = HGQ_ENC_UTF8;    /* all the text is ASCII */
            } else if (k == n) {
                r->mode = MODE_ASCII;   /* decide at the first non-ASCII byte */
                r->enc = HGQ_ENC_UTF8;
                return HGQ_OK;
            } else {
                int more = n < r->in_len - r->in_pos || !r->in_eof;
                want = utf8_plausible(s, n, more) ? HGQ_ENC_UTF8 : HGQ_ENC_GB18030;
            }
        }
    }
    if (want == HGQ_ENC_UTF8) {
        if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            r->in_pos += 3;
        r->enc = HGQ_ENC_UTF8;
        r->mode = MODE_UTF8;
        return HGQ_OK;
    }
    if ((want == HGQ_ENC_UTF16LE && n >= 2 && s[0] == 0xFF && s[1] == 0xFE) ||
        (want == HGQ_ENC_UTF16BE && n >= 2 && s[0] == 0xFE && s[1] == 0xFF))
        r->in_pos += 2;
    return set_iconv(r, want);
}

hgq_status hgq_csv_reader_open(hgq_csv_reader **out, const char *path,
                               const void *data, size_t size, const char *name,
                               const hgq_reader_options *opt, hgq_error *err)
{
    hgq_csv_reader *r;
    hgq_encoding enc = opt ? opt->csv_encoding : HGQ_ENC_AUTO;
    char delim = opt ? opt->csv_delimiter : 0;
    uint32_t max_cell = opt && opt->max_cell_bytes ? opt->max_cell_bytes : CSV_DEFAULT_CELL;
    hgq_status st;
    int complete;

    if (!out)
        return hgq_error_set(err, HGQ_EARG, "hgq_csv_reader_open: out is NULL");
    *out = NULL;
    if (!path && !data && size)
        return hgq_error_set(err, HGQ_EARG, "hgq_csv_reader_open: no path and no data");
    if ((unsigned)enc > HGQ_ENC_UTF16BE)
        return hgq_error_set(err, HGQ_EARG, "invalid CSV encoding %d", (int)enc);
    if (delim && !valid_delimiter(delim))
        return hgq_error_set(err, HGQ_EARG, "invalid CSV delimiter 0x%02X",
                             (unsigned char)delim);

    r = calloc(1, sizeof *r);
    if (!r)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    r->cd = (iconv_t)-1;
    r->line = 1;
    r->max_cell = max_cell;
    r->max_record = (size_t)max_cell * 16 > CSV_MIN_RECORD ? (size_t)max_cell * 16 : CSV_MIN_RECORD;
    r->name = hgq_strdup(name ? name : path ? path : "");
    if (!r->name) {
        hgq_csv_reader_free(r);
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    }
    if (path) {
        r->fp = fopen(path, "rb");
        if (!r->fp) {
            csv_fail(r, HGQ_EIO, 0, 0, "cannot open file: %s", strerror(errno));
            goto fail;
        }
        r->raw = malloc(CSV_CHUNK);
        if (!r->raw) {
            csv_fail(r, HGQ_ENOMEM, 0, 0, "out of memory");
            goto fail;
        }
        r->in = r->raw;
        in_fill(r);
        if (r->dec_status) {
            csv_fail(r, r->dec_status, 0, 0, "%s", r->dec_msg);
            goto fail;
        }
    } else {
        r->in = data ? data : (const void *)"";
        r->in_len = size;
        r->in_eof = 1;
    }
    if ((st = choose_encoding(r, enc)))
        goto fail;

    /* The delimiter is found on the raw bytes, where ASCII reads the same
     * in UTF-8 and GB18030 (whose trailing bytes are never ',', ';', tab,
     * quote or line ends), so the choice does not depend on the encoding
     * or on how the text is cut into windows. UTF-16 needs decoding first:
     * its first window is used, and an error in it is kept for the first
     * hgq_csv_reader_next to raise. */
    r->p = r->end = r->in + r->in_pos;
    if (delim) {
        r->delim = delim;
    } else if (r->enc != HGQ_ENC_UTF16LE && r->enc != HGQ_ENC_UTF16BE) {
        size_t n = r->in_len - r->in_pos;
        r->delim = detect_delimiter(r->in + r->in_pos, n, r->in_eof && n <= CSV_SAMPLE);
    } else if (text_next(r) == HGQ_OK || r->p < r->end) {
        complete = r->in_pos == r->in_len && r->in_eof && !r->dec_stop;
        r->delim = detect_delimiter(r->p, (size_t)(r->end - r->p), complete);
    } else {
        r->delim = ',';
    }
    r->cls[(unsigned char)r->delim] |= CL_DELIM;
    r->cls['"'] |= CL_QUOTE;
    r->cls['\r'] |= CL_NL;
    r->cls['\n'] |= CL_NL;
    r->cls[0] |= CL_NUL;
    *out = r;
    return HGQ_OK;

fail:
    st = report(r, err);
    hgq_csv_reader_free(r);
    return st;
}

hgq_status hgq_csv_reader_next(hgq_csv_reader *r, const hgq_row **row, hgq_error *err)
{
    if (!row)
        return hgq_error_set(err, HGQ_EARG, "hgq_csv_reader_next: row is NULL");
    *row = NULL;
    if (!r)
        return hgq_error_set(err, HGQ_EARG, "hgq_csv_reader_next: reader is NULL");
    if (r->failed)
        return report(r, err);
    if (r->eof)
        return HGQ_OK;
    r->ncells = 0;
    if (read_record(r))
        return report(r, err);
    if (r->ncells > 0)
        *row = &r->row;
    return HGQ_OK;
}

hgq_encoding hgq_csv_reader_encoding(const hgq_csv_reader *r)
{
    return r ? r->enc : HGQ_ENC_AUTO;
}

char hgq_csv_reader_delimiter(const hgq_csv_reader *r)
{
    return r ? r->delim : 0;
}

void hgq_csv_reader_free(hgq_csv_reader *r)
{
    if (!r)
        return;
    if (r->fp)
        fclose(r->fp);
    if (r->cd != (iconv_t)-1)
        iconv_close(r->cd);
    free(r->raw);
    free(r->dec);
    free(r->name);
    free(r->cells);
    free(r->offs);
    free(r->rec);
    free(r);
}

int hgq_csv_sniff(const void *data, size_t size)
{
    const unsigned char *s = data;
    size_t n = size < CSV_SNIFF ? size : CSV_SNIFF, ctl = 0;
    if (n == 0)
        return 1;
    if (!s)
        return 0;
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF)))
        return 1;  /* UTF-16 with BOM */
    if ((n >= 4 && (memcmp(s, "PK\3\4", 4) == 0 || memcmp(s, "PK\5\6", 4) == 0)) ||
        (n >= 4 && memcmp(s, "\xD0\xCF\x11\xE0", 4) == 0) ||  /* OLE2: .xls, encrypted .xlsx */
        (n >= 5 && memcmp(s, "%PDF-", 5) == 0) ||
        (n >= 2 && s[0] == 0x1F && s[1] == 0x8B))             /* gzip */
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == 0)
            return 0;
        if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' &&
            s[i] != '\f' && s[i] != '\v' && s[i] != 0x1A)
            ctl++;
    }
    /* Text has next to no control characters; allow a stray few. */
    return ctl * 100 <= n;
}

/* }==================================================================== */
