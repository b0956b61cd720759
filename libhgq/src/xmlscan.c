/*
 * xmlscan.c - libhgq's XML tokenizer for package parts: a non-validating
 * XML 1.0 scanner with namespaces that delivers the events expat delivers
 * (see hgq_xml in xlsx.h), several times faster, because a spreadsheet part
 * is millions of the same few tags.
 *
 * The part is read into one buffer, kept NUL-terminated as a sentinel so
 * that the inner loops (names, attribute values, text) test one byte class
 * per byte and no bound. A token (tag, comment, processing instruction,
 * CDATA section, reference) is parsed only once all of it is in the buffer:
 * when the buffer ends inside one, the scan returns, the consumed bytes are
 * dropped, at least as many bytes as are pending are read (so a long token
 * costs linear time) and the token is parsed again from its start. Nothing
 * is changed in the buffer before a token is complete. Text is delivered as
 * it is scanned, in pieces split at references and line ends.
 *
 * Names are resolved through a small cache keyed by the qualified name as
 * written: the same few dozen names repeat millions of times. The cache is
 * emptied (by a generation count) whenever a namespace declaration comes
 * into or goes out of scope. Attribute values are unescaped in place and
 * NUL-terminated over their closing quote.
 *
 * Line and column are counted lazily, when bytes are dropped from the
 * buffer and when an error is reported; a tag whose bytes are rewritten is
 * counted first. Only LF ends a line for these positions.
 *
 * Anything expat would have to interpret beyond XML 1.0 in UTF-8 - a
 * DOCTYPE, another encoding, an unusual XML declaration - hands the part to
 * expat before any event (hgq_xscan_step's *handover). The tokenizer is
 * looser than expat only on name characters: beyond ASCII, any valid UTF-8
 * character may be part of a name.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx.h"

#define XS_MAX_DEPTH 1024          /* open elements */
#define XS_MAX_ATTS 1024           /* attributes of one element */
#define XS_MAX_BINDINGS 4096       /* namespace declarations in scope */
#define XS_CACHE_SLOTS 512         /* a power of 2 */
#define XS_CACHE_FILL 256          /* at most this many names cached */
#define XS_POOL 32768              /* bytes of cached names */
#define XS_CACHE_NAME_MAX 512      /* longer names are not cached */

static const char XML_NS[] = "http://www.w3.org/XML/1998/namespace";
static const char XMLNS_NS[] = "http://www.w3.org/2000/xmlns/";

/* {====================================================================
 * Byte classes
 * ===================================================================== */

enum {
    C_NAME = 1,     /* may be in a name (bytes >= 0x80: checked as UTF-8) */
    C_START = 2,    /* may start a name */
    C_WS = 4,       /* white space */
    C_TEXT = 8,     /* stops a run of text: < & ] CR, controls, >= 0x80 */
    C_ATT = 16,     /* stops a run of an attribute value: < & quotes, controls, >= 0x80 */
    C_MISC = 32,    /* stops a run of a comment, PI or CDATA: controls but TAB LF CR, >= 0x80 */
    C_COLON = 64,
    C_HIGH = 128    /* >= 0x80 */
};

static const unsigned char T[256] = {
     56,  56,  56,  56,  56,  56,  56,  56,  56,  20,  20,  56,  56,  28,  56,  56,
     56,  56,  56,  56,  56,  56,  56,  56,  56,  56,  56,  56,  56,  56,  56,  56,
      4,   0,  16,   0,   0,   0,  24,  16,   0,   0,   0,   0,   0,   1,   1,   0,
      1,   1,   1,   1,   1,   1,   1,   1,   1,   1,  67,   0,  24,   0,   0,   0,
      0,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,
      3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   0,   0,   8,   0,   3,
      0,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,
      3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   3,   0,   0,   0,   0,   0,
    187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187,
    187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187,
    187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187,
    187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187,
    187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187,
    187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187,
    187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187,
    187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187, 187,
};

/* Result of utf8_char for a sequence cut by the end of the data. */
#define U8_SHORT (-1)
/* ... for U+FFFE and U+FFFF, valid UTF-8 but not XML characters. */
#define U8_NOTCHAR (-2)

/*
 * Length of the UTF-8 character at p (p[0] >= 0x80, n bytes available):
 * 2 to 4, 0 when the bytes are not UTF-8 (overlong forms and surrogates
 * included), U8_SHORT when they may be once more bytes come, U8_NOTCHAR.
 */
static int utf8_char(const unsigned char *p, size_t n)
{
    unsigned c = p[0], lo = 0x80, hi = 0xBF;
    int need, i;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0) {
        need = 2;
    } else if (c < 0xF0) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c < 0xF5) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (n < 2)
        return U8_SHORT;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < need; i++) {
        if ((size_t)i >= n)
            return U8_SHORT;
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    }
    if (c == 0xEF && p[1] == 0xBF && p[2] >= 0xBE)
        return U8_NOTCHAR;
    return need;
}

/* 1 if code point cp is a Char of XML 1.0. */
static int xml_char(uint32_t cp)
{
    if (cp < 0x20)
        return cp == 0x9 || cp == 0xA || cp == 0xD;
    return cp <= 0xD7FF || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

static size_t put_utf8(unsigned char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* }==================================================================== */

/* {====================================================================
 * State
 * ===================================================================== */

enum { XS_PROLOG, XS_CONTENT, XS_EPILOG };

/* What a scan returns to hgq_xscan_step. */
enum { R_CONT, R_STOP, R_NEED, R_END, R_FAIL, R_HANDOVER };

enum { K_ELEM, K_ATTR };

/* A resolved name: expat's form, its local part and namespace class. */
typedef struct xs_name {
    const char *exp, *local;
    int ns;
    int spilled;                /* exp is freed at the next start tag */
} xs_name;

/* A name cache slot, current when gen is the cache's generation. */
typedef struct xs_entry {
    unsigned gen;
    uint32_t hash;
    uint32_t qlen;
    int kind;
    const char *qname;
    xs_name n;
} xs_entry;

/* An open element: its qualified name as written, in names[]. */
typedef struct xs_elem {
    size_t name_off;
    uint32_t name_len;
    int colon;                  /* offset of the colon in the name, or -1 */
    uint32_t nbind;             /* namespace declarations it made */
    unsigned gen;               /* n is valid while the cache has this generation */
    xs_name n;
} xs_elem;

/* A namespace declaration in scope (prefix of length 0: the default). */
typedef struct xs_binding {
    size_t prefix_off, uri_off;  /* in nsbuf */
    uint32_t prefix_len, uri_len;
} xs_binding;

/* An attribute of the tag being parsed (offsets in the buffer). */
typedef struct xs_att {
    size_t name, val;
    uint32_t nlen, vlen;
    int colon;                  /* offset of the colon in the name, or -1 */
    int decode;                 /* the value holds references or TAB, LF, CR */
    int eq;                     /* '=' follows the name at once */
    int xmlns;                  /* 1: xmlns="...", 2: xmlns:p="..." */
    xs_name n;
    uint32_t hash;
} xs_att;

struct hgq_xscan {
    unsigned char *buf;         /* buf[len] is always '\0' */
    size_t cap, len, pos;
    int eof;
    int state;
    int at_start;               /* nothing parsed yet: a BOM or XML declaration may come */
    int pending_end;            /* an empty element's end event is due */
    size_t pend_pos;            /* where that element's tag starts */
    int in_cdata;               /* delivering a CDATA section up to cdata_end */
    size_t cdata_end;

    /* positions: line and column (0-based, in characters) at buf[line_pos] */
    size_t line_pos;
    long line, col;
    size_t ev_pos;              /* start of the event being delivered */
    int tok_valid;              /* the tag at tok_pos was counted before being rewritten */
    size_t tok_pos;
    long tok_line, tok_col;

    xs_elem *el;
    size_t depth, el_cap;
    char *names;
    size_t names_len, names_cap;

    xs_binding *bind;
    size_t nbind, bind_cap;
    char *nsbuf;
    size_t nsbuf_len, nsbuf_cap;

    xs_entry cache[XS_CACHE_SLOTS];
    unsigned gen;
    size_t ncached;
    char *pool;
    size_t pool_len;
    char **spill;               /* expanded names that did not go into the cache */
    size_t nspill, spill_cap;

    xs_att *att;
    size_t natt, att_cap;
    const char **atts;
    size_t atts_cap;
    uint32_t *set;              /* hash set for duplicate attributes */
    size_t set_cap;
    char *tmp;                  /* an unescaped namespace name */
    size_t tmp_cap;
};

/* Grows *p (of *cap elements of `size` bytes) to hold `need`; 0 or -1. */
static int grow(void *pp, size_t *cap, size_t need, size_t size)
{
    void **p = pp;
    size_t n = *cap ? *cap : 16;
    void *q;
    if (need <= *cap)
        return 0;
    while (n < need)
        n *= 2;
    q = realloc(*p, n * size);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

hgq_status hgq_xscan_new(hgq_xml *x)
{
    hgq_xscan *s = calloc(1, sizeof *s);
    if (!s)
        return HGQ_ENOMEM;
    s->cap = HGQ_XML_READ + 1;
    s->buf = malloc(s->cap);
    s->pool = malloc(XS_POOL);
    s->atts_cap = 16;
    s->atts = malloc(s->atts_cap * sizeof *s->atts);
    if (!s->buf || !s->pool || !s->atts) {
        hgq_xscan_free(s);
        return HGQ_ENOMEM;
    }
    s->buf[0] = '\0';
    s->state = XS_PROLOG;
    s->at_start = 1;
    s->line = 1;
    s->gen = 1;
    x->xs = s;
    return HGQ_OK;
}

static void spill_clear(hgq_xscan *s)
{
    size_t i;
    for (i = 0; i < s->nspill; i++)
        free(s->spill[i]);
    s->nspill = 0;
}

void hgq_xscan_free(hgq_xscan *s)
{
    if (!s)
        return;
    spill_clear(s);
    free(s->spill);
    free(s->buf);
    free(s->el);
    free(s->names);
    free(s->bind);
    free(s->nsbuf);
    free(s->pool);
    free(s->att);
    free(s->atts);
    free(s->set);
    free(s->tmp);
    free(s);
}

/* }==================================================================== */

/* {====================================================================
 * Positions and errors
 * ===================================================================== */

/* Characters in p[0..e): the bytes that are not UTF-8 continuation bytes,
 * eight at a time. */
static long count_chars(const unsigned char *p, const unsigned char *e)
{
    long n = 0;
    while (e - p >= 8) {
        uint64_t w, cont;
        memcpy(&w, p, 8);
        cont = w & ~(w << 1) & UINT64_C(0x8080808080808080);   /* 10xxxxxx */
        cont = (cont >> 7) * UINT64_C(0x0101010101010101) >> 56; /* their count */
        n += 8 - (long)cont;
        p += 8;
    }
    for (; p < e; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

/* Line and column after counting from the counted position to `to`. */
static void count_from(const hgq_xscan *s, size_t to, long *line, long *col)
{
    const unsigned char *p = s->buf + s->line_pos, *e = s->buf + to, *nl;
    *line = s->line;
    *col = s->col;
    while (p < e && (nl = memchr(p, '\n', (size_t)(e - p))) != NULL) {
        ++*line;
        *col = 0;
        p = nl + 1;
    }
    *col += count_chars(p, e);
}

static void count_to(hgq_xscan *s, size_t to)
{
    if (to <= s->line_pos)
        return;
    count_from(s, to, &s->line, &s->col);
    s->line_pos = to;
}

/* Line and column (0-based) of buffer offset `at`. */
static void position_at(const hgq_xscan *s, size_t at, long *line, long *col)
{
    if (s->tok_valid && at == s->tok_pos) {
        *line = s->tok_line;
        *col = s->tok_col;
    } else if (at >= s->line_pos) {
        count_from(s, at, line, col);
    } else {
        *line = s->line;
        *col = s->col;
    }
}

void hgq_xscan_position(const hgq_xml *x, long *line, long *column)
{
    long l, c;
    position_at(x->xs, x->xs->ev_pos, &l, &c);
    *line = l;
    *column = c + 1;
}

/* Records a failure at buffer offset `at`; returns R_FAIL. */
static int fail(hgq_xml *x, size_t at, hgq_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int fail(hgq_xml *x, size_t at, hgq_status code, const char *fmt, ...)
{
    char msg[HGQ_ERROR_MESSAGE_MAX];
    long line, col;
    va_list ap;
    if (x->status != HGQ_OK)
        return R_FAIL;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    position_at(x->xs, at, &line, &col);
    hgq_xml_record(x, code, line, col + 1, msg);
    return R_FAIL;
}

static int nomem(hgq_xml *x, size_t at)
{
    return fail(x, at, HGQ_ENOMEM, "out of memory");
}

/* The bytes at `at` are not UTF-8 (k from utf8_char: 0 or U8_SHORT at the
 * end of the part), or not an XML character (U8_NOTCHAR). */
static int bad_char(hgq_xml *x, size_t at, int k)
{
    if (k == U8_NOTCHAR)
        return fail(x, at, HGQ_EXML, "malformed XML: character U+FFF%c not allowed in XML 1.0",
                    x->xs->buf[at + 2] == 0xBE ? 'E' : 'F');
    return fail(x, at, HGQ_EENCODING, "invalid UTF-8 byte sequence in XML text");
}

static int bad_control(hgq_xml *x, size_t at)
{
    return fail(x, at, HGQ_EXML,
                "malformed XML: control character U+%04X not allowed in XML 1.0",
                (unsigned)x->xs->buf[at]);
}

/* The buffer ends inside the construct that starts at `at`: more bytes are
 * needed, or the part is truncated. */
static int need(hgq_xml *x, size_t at, const char *what)
{
    if (!x->xs->eof)
        return R_NEED;
    return fail(x, at, HGQ_EXML, "malformed XML: the part ends inside %s", what);
}

/* Checks the characters of b[from..to) of a comment, PI or CDATA section;
 * the bytes are all in the buffer. Returns R_CONT or R_FAIL. */
static int check_misc(hgq_xml *x, size_t from, size_t to)
{
    const unsigned char *b = x->xs->buf;
    size_t i = from;
    while (i < to) {
        unsigned c = b[i];
        int k;
        if (!(T[c] & C_MISC)) {
            i++;
            continue;
        }
        if (c < 0x80)
            return bad_control(x, i);
        k = utf8_char(b + i, to - i);
        if (k <= 0)
            return bad_char(x, i, k == U8_SHORT ? 0 : k);
        i += (size_t)k;
    }
    return R_CONT;
}

/* }==================================================================== */

/* {====================================================================
 * Names and namespaces
 * ===================================================================== */

/*
 * Checks a name b[n0..n0+len) that holds bytes >= 0x80 or colons (acc has
 * their classes): UTF-8, and the namespace form prefix:local (one colon,
 * neither part empty, the local part starting as a name does). Sets *colon.
 */
static int check_name(hgq_xml *x, size_t n0, size_t len, unsigned acc, int *colon)
{
    const unsigned char *b = x->xs->buf, *c;
    *colon = -1;
    if (acc & C_HIGH) {
        size_t i = n0, e = n0 + len;
        while (i < e) {
            int k;
            if (b[i] < 0x80) {
                i++;
                continue;
            }
            k = utf8_char(b + i, e - i);
            if (k <= 0)
                return bad_char(x, i, k == U8_SHORT ? 0 : k);
            i += (size_t)k;
        }
    }
    if (acc & C_COLON) {
        c = memchr(b + n0, ':', len);
        if (c == b + n0 || c == b + n0 + len - 1 || memchr(c + 1, ':', len - (size_t)(c - b - n0) - 1) ||
            !(T[c[1]] & C_START))
            return fail(x, n0, HGQ_EXML, "malformed XML: '%.*s' is not a namespace-qualified name",
                        (int)(len > 64 ? 64 : len), (const char *)b + n0);
        *colon = (int)(c - b - n0);
    }
    return R_CONT;
}

/* memcmp(a, b, n) == 0 for the short names of a part. */
static inline int same_bytes(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    size_t i;
    if (n > 16)
        return memcmp(a, b, n) == 0;
    for (i = 0; i < n; i++)
        if (p[i] != q[i])
            return 0;
    return 1;
}

static uint32_t hash_name(const unsigned char *p, size_t len, int kind)
{
    uint32_t h = 2166136261u ^ (uint32_t)kind;
    size_t i;
    for (i = 0; i < len; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

/* Empties the name cache. */
static void flush(hgq_xscan *s)
{
    if (++s->gen == 0) {
        memset(s->cache, 0, sizeof s->cache);
        s->gen = 1;
    }
    s->ncached = 0;
    s->pool_len = 0;
}

/* The binding of prefix p[0..len) in scope, or NULL. */
static const xs_binding *find_binding(const hgq_xscan *s, const char *p, size_t len)
{
    size_t i = s->nbind;
    while (i-- > 0) {
        const xs_binding *bd = &s->bind[i];
        if (bd->prefix_len == len && memcmp(s->nsbuf + bd->prefix_off, p, len) == 0)
            return bd;
    }
    return NULL;
}

/*
 * Resolves qualified name q[0..qlen) (colon at q[colon], or colon < 0) of
 * kind K_ELEM or K_ATTR into *out, through the cache. `at` is the position
 * for errors. Returns R_CONT or R_FAIL.
 */
static int resolve(hgq_xml *x, const char *q, size_t qlen, int colon, int kind, size_t at,
                   xs_name *out)
{
    hgq_xscan *s = x->xs;
    uint32_t h = hash_name((const unsigned char *)q, qlen, kind);
    size_t i = h & (XS_CACHE_SLOTS - 1), ulen = 0, llen, elen;
    const char *uri = NULL, *local = q;
    char *e;
    xs_entry *slot;
    for (;; i = (i + 1) & (XS_CACHE_SLOTS - 1)) {
        slot = &s->cache[i];
        if (slot->gen != s->gen)
            break;
        if (slot->hash == h && slot->qlen == qlen && slot->kind == kind &&
            same_bytes(slot->qname, q, qlen)) {
            *out = slot->n;
            return R_CONT;
        }
    }
    if (colon >= 0) {
        const xs_binding *bd = find_binding(s, q, (size_t)colon);
        local = q + colon + 1;
        if (bd) {
            uri = s->nsbuf + bd->uri_off;
            ulen = bd->uri_len;
        } else if (colon == 3 && memcmp(q, "xml", 3) == 0) {
            uri = XML_NS;
            ulen = sizeof XML_NS - 1;
        } else {
            return fail(x, at, HGQ_EXML, "malformed XML: unbound namespace prefix '%.*s'",
                        colon > 64 ? 64 : colon, q);
        }
    } else if (kind == K_ELEM) {
        const xs_binding *bd = find_binding(s, "", 0);
        if (bd && bd->uri_len) {
            uri = s->nsbuf + bd->uri_off;
            ulen = bd->uri_len;
        }
    }
    llen = qlen - (size_t)(local - q);
    elen = (uri ? ulen + 1 : 0) + llen + 1;
    if (s->ncached < XS_CACHE_FILL && qlen + elen <= XS_CACHE_NAME_MAX &&
        s->pool_len + qlen + elen <= XS_POOL) {
        char *qc = s->pool + s->pool_len;
        memcpy(qc, q, qlen);
        e = qc + qlen;
        s->pool_len += qlen + elen;
        slot->gen = s->gen;
        slot->hash = h;
        slot->qlen = (uint32_t)qlen;
        slot->kind = kind;
        slot->qname = qc;
        s->ncached++;
    } else {
        if (grow(&s->spill, &s->spill_cap, s->nspill + 1, sizeof *s->spill) ||
            !(e = malloc(elen)))
            return nomem(x, at);
        s->spill[s->nspill++] = e;
        slot = NULL;
    }
    out->exp = e;
    out->spilled = slot == NULL;
    if (uri) {
        memcpy(e, uri, ulen);
        e[ulen] = HGQ_XML_NSSEP;
        e += ulen + 1;
    }
    memcpy(e, local, llen);
    e[llen] = '\0';
    out->local = e;
    out->ns = hgq_xml_ns_class(uri, uri ? ulen : 0);
    if (slot)
        slot->n = *out;
    return R_CONT;
}

/* Declares namespace prefix p[0..plen) (plen 0: the default namespace) as
 * uri[0..ulen) for the element being opened. */
static int declare(hgq_xml *x, const char *p, size_t plen, const char *uri, size_t ulen,
                   size_t at)
{
    hgq_xscan *s = x->xs;
    int is_xml = ulen == sizeof XML_NS - 1 && memcmp(uri, XML_NS, ulen) == 0;
    int is_xmlns = ulen == sizeof XMLNS_NS - 1 && memcmp(uri, XMLNS_NS, ulen) == 0;
    int must_be_xml = plen == 3 && memcmp(p, "xml", 3) == 0;
    xs_binding *bd;
    if (plen == 5 && memcmp(p, "xmlns", 5) == 0)
        return fail(x, at, HGQ_EXML, "malformed XML: the prefix xmlns cannot be declared");
    if (plen && ulen == 0)
        return fail(x, at, HGQ_EXML, "malformed XML: namespace prefix '%.*s' declared empty",
                    (int)(plen > 64 ? 64 : plen), p);
    if (must_be_xml != is_xml || is_xmlns)
        return fail(x, at, HGQ_EXML, "malformed XML: reserved namespace name or prefix misused");
    if (memchr(uri, HGQ_XML_NSSEP, ulen))
        return fail(x, at, HGQ_EXML, "malformed XML: control character in a namespace name");
    if (s->nbind >= XS_MAX_BINDINGS)
        return fail(x, at, HGQ_ELIMIT, "more than %d XML namespace declarations in scope",
                    XS_MAX_BINDINGS);
    if (grow(&s->bind, &s->bind_cap, s->nbind + 1, sizeof *s->bind) ||
        grow(&s->nsbuf, &s->nsbuf_cap, s->nsbuf_len + plen + ulen + 1, 1))
        return nomem(x, at);
    bd = &s->bind[s->nbind++];
    bd->prefix_off = s->nsbuf_len;
    bd->prefix_len = (uint32_t)plen;
    memcpy(s->nsbuf + s->nsbuf_len, p, plen);
    s->nsbuf_len += plen;
    bd->uri_off = s->nsbuf_len;
    bd->uri_len = (uint32_t)ulen;
    memcpy(s->nsbuf + s->nsbuf_len, uri, ulen);
    s->nsbuf_len += ulen;
    return R_CONT;
}

/* }==================================================================== */

/* {====================================================================
 * References
 * ===================================================================== */

enum { REF_OK, REF_SHORT, REF_SYNTAX, REF_UNDEFINED, REF_BADCHAR };

/*
 * Parses the reference at b[i] == '&' with the data ending at `end`: sets
 * *cp and *next (past the ';'). REF_SHORT when `end` comes first.
 */
static int parse_ref(const unsigned char *b, size_t i, size_t end, uint32_t *cp, size_t *next)
{
    size_t j = i + 1, n0;
    uint32_t v = 0;
    if (j >= end)
        return REF_SHORT;
    if (b[j] == '#') {
        int hex = 0, digits = 0;
        j++;
        if (j >= end)
            return REF_SHORT;
        if (b[j] == 'x') {
            hex = 1;
            j++;
        }
        for (;; j++) {
            unsigned c, d;
            if (j >= end)
                return REF_SHORT;
            c = b[j];
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (hex && c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else if (hex && c >= 'A' && c <= 'F')
                d = c - 'A' + 10;
            else
                break;
            digits = 1;
            v = v * (hex ? 16 : 10) + d;
            if (v > 0x10FFFF)
                v = 0x110000;
        }
        if (!digits || b[j] != ';')
            return REF_SYNTAX;
        if (!xml_char(v))
            return REF_BADCHAR;
        *cp = v;
        *next = j + 1;
        return REF_OK;
    }
    if (!(T[b[j]] & C_START))
        return REF_SYNTAX;
    n0 = j;
    while (j < end && (T[b[j]] & C_NAME))
        j++;
    if (j >= end)
        return REF_SHORT;
    if (b[j] != ';')
        return REF_SYNTAX;
#define IS(s) (j - n0 == sizeof s - 1 && memcmp(b + n0, s, sizeof s - 1) == 0)
    if (IS("lt"))
        v = '<';
    else if (IS("gt"))
        v = '>';
    else if (IS("amp"))
        v = '&';
    else if (IS("quot"))
        v = '"';
    else if (IS("apos"))
        v = '\'';
    else
        return REF_UNDEFINED;
#undef IS
    *cp = v;
    *next = j + 1;
    return REF_OK;
}

static int bad_ref(hgq_xml *x, size_t at, int r)
{
    const unsigned char *b = x->xs->buf;
    if (r == REF_UNDEFINED) {
        const unsigned char *semi = memchr(b + at, ';', x->xs->len - at);
        int n = semi ? (int)(semi - b - at - 1) : 0;
        return fail(x, at, HGQ_EXML, "malformed XML: undefined entity '%.*s'", n > 64 ? 64 : n,
                    (const char *)b + at + 1);
    }
    if (r == REF_BADCHAR)
        return fail(x, at, HGQ_EXML,
                    "malformed XML: character reference to a character not allowed in XML 1.0");
    return fail(x, at, HGQ_EXML, "malformed XML: '&' not followed by a reference ending in ';'");
}

/* Checks the references of attribute value b[off..off+len). */
static int check_refs(hgq_xml *x, size_t off, size_t len)
{
    const unsigned char *b = x->xs->buf, *amp;
    size_t i = off, end = off + len;
    while (i < end && (amp = memchr(b + i, '&', end - i)) != NULL) {
        uint32_t cp;
        size_t next;
        int r;
        i = (size_t)(amp - b);
        r = parse_ref(b, i, end, &cp, &next);
        if (r != REF_OK)
            return bad_ref(x, i, r == REF_SHORT ? REF_SYNTAX : r);
        i = next;
    }
    return R_CONT;
}

/*
 * Unescapes attribute value src[0..len), whose references were checked,
 * into out (which may be src: the result is never longer): references, and
 * TAB, LF, CR and CR LF each as one space, as expat does. Returns the
 * length.
 */
static size_t unescape_value(const unsigned char *src, size_t len, unsigned char *out)
{
    size_t i = 0, o = 0;
    while (i < len) {
        unsigned c = src[i];
        if (c == '&') {
            uint32_t cp = 0xFFFD;
            size_t next = i + 1;
            parse_ref(src, i, len, &cp, &next);
            o += put_utf8(out + o, cp);
            i = next;
        } else if (c == '\t' || c == '\n' || c == '\r') {
            out[o++] = ' ';
            i += c == '\r' && i + 1 < len && src[i + 1] == '\n' ? 2 : 1;
        } else {
            out[o++] = (unsigned char)c;
            i++;
        }
    }
    return o;
}

/* }==================================================================== */

/* {====================================================================
 * Events
 * ===================================================================== */

/* Delivers text b[from..to) if any; returns x->stop. */
static int text_out(hgq_xml *x, const char *p, size_t n, size_t at)
{
    if (n && x->text) {
        x->xs->ev_pos = at;
        x->text(x->ud, p, (int)n);
        return x->stop;
    }
    return 0;
}

/* Delivers the end event of the innermost open element and closes it. */
static int end_event(hgq_xml *x, size_t at)
{
    hgq_xscan *s = x->xs;
    xs_elem *el = &s->el[s->depth - 1];
    xs_name n;
    if (el->gen == s->gen) {
        n = el->n;
    } else if (resolve(x, s->names + el->name_off, el->name_len, el->colon, K_ELEM, at, &n) !=
               R_CONT) {
        return R_FAIL;
    }
    s->pending_end = 0;
    s->ev_pos = at;
    if (x->end) {
        x->ev_name = n.exp;
        x->ev_local = n.local;
        x->ev_ns = n.ns;
        x->end(x->ud, n.exp);
    }
    s->names_len = el->name_off;
    if (el->nbind) {
        s->nbind -= el->nbind;
        s->nsbuf_len = s->bind[s->nbind].prefix_off;
        flush(s);
    }
    if (--s->depth == 0)
        s->state = XS_EPILOG;
    return x->stop ? R_STOP : R_CONT;
}

/* }==================================================================== */

/* {====================================================================
 * Tags
 * ===================================================================== */

/* 1 if attribute names a[i] and a[j] are the same. */
static int same_att(const hgq_xscan *s, const xs_att *a, const xs_att *b)
{
    if (a->colon >= 0 && !a->xmlns)
        return b->colon >= 0 && !b->xmlns && strcmp(a->n.exp, b->n.exp) == 0;
    return a->nlen == b->nlen && same_bytes(s->buf + a->name, s->buf + b->name, a->nlen);
}

/* Fails on two attributes of the tag with the same name: the same written
 * name, or namespace-qualified names that expand alike. */
static int check_duplicates(hgq_xml *x)
{
    hgq_xscan *s = x->xs;
    size_t i, j, n = s->natt;
    if (n < 2)
        return R_CONT;
    if (n <= 16) {
        for (i = 1; i < n; i++)
            for (j = 0; j < i; j++)
                if (same_att(s, &s->att[i], &s->att[j]))
                    goto dup;
        return R_CONT;
    }
    {
        size_t size = 1, mask;
        while (size < 2 * n)
            size *= 2;
        mask = size - 1;
        if (grow(&s->set, &s->set_cap, size, sizeof *s->set))
            return nomem(x, s->att[0].name);
        memset(s->set, 0xFF, size * sizeof *s->set);
        for (i = 0; i < n; i++) {
            xs_att *a = &s->att[i];
            size_t k;
            a->hash = a->colon >= 0 && !a->xmlns
                        ? hash_name((const unsigned char *)a->n.exp, strlen(a->n.exp), 1)
                        : hash_name(s->buf + a->name, a->nlen, 0);
            for (k = a->hash & mask; s->set[k] != UINT32_MAX; k = (k + 1) & mask) {
                if (s->att[s->set[k]].hash == a->hash && same_att(s, a, &s->att[s->set[k]])) {
                    j = s->set[k];
                    goto dup;
                }
            }
            s->set[k] = (uint32_t)i;
        }
        return R_CONT;
    }
dup:
    return fail(x, s->att[i].name, HGQ_EXML, "malformed XML: duplicate attribute '%.*s'",
                (int)(s->att[i].nlen > 64 ? 64 : s->att[i].nlen),
                (const char *)s->buf + s->att[i].name);
}

/* Scans a name at b[q] (a name start), sets *end, *colon; R_CONT or other. */
static inline int scan_name(hgq_xml *x, size_t q, size_t *end, int *colon, size_t tag, const char *what)
{
    const unsigned char *b = x->xs->buf;
    unsigned acc = 0;
    size_t n0 = q;
    while (T[b[q]] & C_NAME)
        acc |= T[b[q++]];
    if (q == x->xs->len)
        return need(x, tag, what);
    *end = q;
    *colon = -1;
    if (acc & (C_HIGH | C_COLON))
        return check_name(x, n0, q - n0, acc, colon);
    return R_CONT;
}

/*
 * A start tag at b[p] == '<' (b[p+1] starts a name): scanned to its end
 * first, then namespace declarations, names, values, and the events.
 */
static int start_tag(hgq_xml *x, size_t p)
{
    hgq_xscan *s = x->xs;
    unsigned char *b = s->buf;
    size_t q = p + 1, n0 = q, ne = 0, nend = 0, i, nb0;
    int colon, empty, fix = 0, r;
    xs_name en;
    xs_elem *el;

    r = scan_name(x, q, &ne, &colon, p, "a start tag");
    if (r != R_CONT)
        return r;
    q = ne;
    s->natt = 0;
    for (;;) {
        int ws = 0;
        unsigned c;
        xs_att *a;
        while (T[b[q]] & C_WS) {
            q++;
            ws = 1;
        }
        c = b[q];
        if (c == '>') {
            q++;
            empty = 0;
            break;
        }
        if (c == '/') {
            if (q + 1 >= s->len)
                return need(x, p, "a start tag");
            if (b[q + 1] != '>')
                return fail(x, q, HGQ_EXML, "malformed XML: '/' not followed by '>' in a tag");
            q += 2;
            empty = 1;
            break;
        }
        if (q == s->len)
            return need(x, p, "a start tag");
        if (!(T[c] & C_START) || !ws) {
            if (c >= 0x80 && ws)
                return bad_char(x, q, 0);
            if (c < 0x20 && !(T[c] & C_WS))
                return bad_control(x, q);
            return fail(x, q, HGQ_EXML, ws ? "malformed XML: invalid attribute name in a tag"
                                           : "malformed XML: no space before an attribute");
        }
        if (s->natt >= XS_MAX_ATTS)
            return fail(x, p, HGQ_ELIMIT, "an XML element with more than %d attributes",
                        XS_MAX_ATTS);
        if (grow(&s->att, &s->att_cap, s->natt + 1, sizeof *s->att))
            return nomem(x, p);
        a = &s->att[s->natt];
        a->name = q;
        r = scan_name(x, q, &nend, &a->colon, p, "a start tag");
        if (r != R_CONT)
            return r;
        a->nlen = (uint32_t)(nend - q);
        q = nend;
        a->eq = b[q] == '=';
        while (T[b[q]] & C_WS)
            q++;
        if (b[q] != '=') {
            if (q == s->len)
                return need(x, p, "a start tag");
            return fail(x, q, HGQ_EXML, "malformed XML: '=' expected after attribute name");
        }
        q++;
        while (T[b[q]] & C_WS)
            q++;
        c = b[q];
        if (c != '"' && c != '\'') {
            if (q == s->len)
                return need(x, p, "a start tag");
            return fail(x, q, HGQ_EXML, "malformed XML: attribute value not in quotes");
        }
        a->val = ++q;
        a->decode = 0;
        for (;;) {
            unsigned d;
            while (!(T[b[q]] & C_ATT))
                q++;
            d = b[q];
            if (d == c)
                break;
            if (d == '"' || d == '\'') {
                q++;
                continue;
            }
            if (q == s->len)
                return need(x, p, "a start tag");
            if (d == '&' || d == '\t' || d == '\n' || d == '\r') {
                a->decode = 1;
                q++;
                continue;
            }
            if (d == '<')
                return fail(x, q, HGQ_EXML, "malformed XML: '<' in an attribute value");
            if (d < 0x80)
                return bad_control(x, q);
            {
                int k = utf8_char(b + q, s->len - q);
                if (k <= 0) {
                    if (k == U8_SHORT && !s->eof)
                        return R_NEED;
                    return bad_char(x, q, k == U8_SHORT ? 0 : k);
                }
                q += (size_t)k;
            }
        }
        a->vlen = (uint32_t)(q - a->val);
        fix |= a->decode | !a->eq;
        q++;
        s->natt++;
    }

    /* The whole tag is in b[p..q). Checks first, while the bytes are as read
     * (positions are counted over them); then they are rewritten. */
    spill_clear(s);
    if (s->ncached >= XS_CACHE_FILL || s->pool_len > XS_POOL / 2)
        flush(s);
    if (s->depth >= XS_MAX_DEPTH)
        return fail(x, p, HGQ_ELIMIT, "XML elements nested more than %d deep", XS_MAX_DEPTH);
    for (i = 0; i < s->natt; i++)
        if (s->att[i].decode && check_refs(x, s->att[i].val, s->att[i].vlen) != R_CONT)
            return R_FAIL;

    /* namespace declarations */
    nb0 = s->nbind;
    for (i = 0; i < s->natt; i++) {
        xs_att *a = &s->att[i];
        const char *an = (const char *)b + a->name, *uri = (const char *)b + a->val;
        size_t ulen = a->vlen;
        a->xmlns = 0;
        if (a->colon < 0 ? a->nlen != 5 || memcmp(an, "xmlns", 5) != 0
                         : a->colon != 5 || memcmp(an, "xmlns", 5) != 0)
            continue;
        a->xmlns = a->colon < 0 ? 1 : 2;
        if (a->decode) {
            if (grow(&s->tmp, &s->tmp_cap, a->vlen + 1, 1)) {
                nomem(x, p);
                goto undo;
            }
            ulen = unescape_value(b + a->val, a->vlen, (unsigned char *)s->tmp);
            uri = s->tmp;
        }
        if (declare(x, a->colon < 0 ? "" : an + 6, a->colon < 0 ? 0 : a->nlen - 6, uri, ulen,
                    a->name) != R_CONT)
            goto undo;
    }
    if (s->nbind != nb0)
        flush(s);

    /* names */
    if (resolve(x, (const char *)b + n0, ne - n0, colon, K_ELEM, p, &en) != R_CONT)
        goto undo;
    for (i = 0; i < s->natt; i++) {
        xs_att *a = &s->att[i];
        if (a->xmlns)
            continue;
        if (a->colon >= 0) {
            if (resolve(x, (const char *)b + a->name, a->nlen, a->colon, K_ATTR, a->name,
                        &a->n) != R_CONT)
                goto undo;
        } else {
            a->n.exp = (const char *)b + a->name;
        }
    }
    if (check_duplicates(x) != R_CONT)
        goto undo;
    if (grow(&s->atts, &s->atts_cap, 2 * s->natt + 1, sizeof *s->atts) ||
        grow(&s->el, &s->el_cap, s->depth + 1, sizeof *s->el) ||
        grow(&s->names, &s->names_cap, s->names_len + (ne - n0), 1)) {
        nomem(x, p);
        goto undo;
    }

    /* values: unescaped and NUL-terminated in place */
    s->tok_valid = 0;
    if (fix) {
        count_to(s, p);
        s->tok_pos = p;
        s->tok_line = s->line;
        s->tok_col = s->col;
        s->tok_valid = 1;
        count_to(s, q);
    }
    {
        const char **out = s->atts;
        for (i = 0; i < s->natt; i++) {
            xs_att *a = &s->att[i];
            if (a->xmlns)
                continue;
            if (a->decode)
                a->vlen = (uint32_t)unescape_value(b + a->val, a->vlen, b + a->val);
            b[a->val + a->vlen] = '\0';
            if (a->colon < 0)
                b[a->name + a->nlen] = '\0';
            *out++ = a->n.exp;
            *out++ = (const char *)b + a->val;
        }
        *out = NULL;
    }

    /* open the element */
    el = &s->el[s->depth++];
    el->name_off = s->names_len;
    el->name_len = (uint32_t)(ne - n0);
    el->colon = colon;
    el->nbind = (uint32_t)(s->nbind - nb0);
    el->gen = en.spilled ? 0 : s->gen;
    el->n = en;
    memcpy(s->names + s->names_len, b + n0, ne - n0);
    s->names_len += ne - n0;
    s->state = XS_CONTENT;
    s->at_start = 0;
    s->pos = q;
    s->ev_pos = p;
    if (empty) {
        s->pending_end = 1;
        s->pend_pos = p;
    }
    if (x->start) {
        x->ev_name = en.exp;
        x->ev_local = en.local;
        x->ev_ns = en.ns;
        x->start(x->ud, en.exp, s->atts);
        if (x->stop)
            return R_STOP;
    }
    if (empty)
        return end_event(x, p);
    return R_CONT;

undo:
    s->nbind = nb0;
    return R_FAIL;
}

/* An end tag at b[p] == '<', b[p+1] == '/'. */
static int end_tag(hgq_xml *x, size_t p)
{
    hgq_xscan *s = x->xs;
    const unsigned char *b = s->buf;
    size_t q = p + 2, n0 = q;
    const xs_elem *el;
    while (T[b[q]] & C_NAME)
        q++;
    if (q == s->len)
        return need(x, p, "an end tag");
    el = s->depth ? &s->el[s->depth - 1] : NULL;
    if (!el || q - n0 != el->name_len || !same_bytes(b + n0, s->names + el->name_off, q - n0)) {
        if (!el)
            return fail(x, p, HGQ_EXML, "malformed XML: end tag with no element open");
        return fail(x, p, HGQ_EXML, "malformed XML: mismatched tag: </%.*s> closes <%.*s>",
                    (int)(q - n0 > 64 ? 64 : q - n0), (const char *)b + n0,
                    (int)(el->name_len > 64 ? 64 : el->name_len), s->names + el->name_off);
    }
    while (T[b[q]] & C_WS)
        q++;
    if (b[q] != '>') {
        if (q == s->len)
            return need(x, p, "an end tag");
        return fail(x, q, HGQ_EXML, "malformed XML: '>' expected to end an end tag");
    }
    s->pos = q + 1;
    return end_event(x, p);
}

/* Finds the first occurrence of the 2 or 3 bytes `pat` in b[from..len). */
static size_t find(const unsigned char *b, size_t from, size_t len, const char *pat, size_t plen)
{
    while (from + plen <= len) {
        const unsigned char *c = memchr(b + from, pat[0], len - from - plen + 1);
        if (!c)
            break;
        if (memcmp(c, pat, plen) == 0)
            return (size_t)(c - b);
        from = (size_t)(c - b) + 1;
    }
    return (size_t)-1;
}

/* A comment at b[p] ("<!--"). */
static int comment(hgq_xml *x, size_t p)
{
    hgq_xscan *s = x->xs;
    size_t e = find(s->buf, p + 4, s->len, "--", 2);
    if (e == (size_t)-1 || e + 2 >= s->len)
        return need(x, p, "a comment");
    if (s->buf[e + 2] != '>')
        return fail(x, e, HGQ_EXML, "malformed XML: '--' inside a comment");
    if (check_misc(x, p + 4, e) != R_CONT)
        return R_FAIL;
    s->pos = e + 3;
    return R_CONT;
}

/* A processing instruction at b[p] ("<?"), not an XML declaration. */
static int pi(hgq_xml *x, size_t p)
{
    hgq_xscan *s = x->xs;
    const unsigned char *b = s->buf;
    size_t q = p + 2, t0 = q, e;
    int colon;
    if (!(T[b[q]] & C_START)) {
        if (q == s->len)
            return need(x, p, "a processing instruction");
        return fail(x, q, HGQ_EXML, "malformed XML: invalid processing instruction target");
    }
    if (scan_name(x, q, &q, &colon, p, "a processing instruction") != R_CONT)
        return x->status == HGQ_OK ? R_NEED : R_FAIL;
    if (colon >= 0)
        return fail(x, t0, HGQ_EXML, "malformed XML: ':' in a processing instruction target");
    if (q - t0 == 3 && (b[t0] | 0x20) == 'x' && (b[t0 + 1] | 0x20) == 'm' &&
        (b[t0 + 2] | 0x20) == 'l')
        return fail(x, p, HGQ_EXML, "malformed XML: XML declaration not at the start of the part");
    if (b[q] == '?') {
        if (q + 1 >= s->len)
            return need(x, p, "a processing instruction");
        if (b[q + 1] != '>')
            return fail(x, q, HGQ_EXML, "malformed XML: invalid processing instruction");
        s->pos = q + 2;
        return R_CONT;
    }
    if (!(T[b[q]] & C_WS))
        return fail(x, q, HGQ_EXML, "malformed XML: invalid processing instruction");
    e = find(b, q, s->len, "?>", 2);
    if (e == (size_t)-1)
        return need(x, p, "a processing instruction");
    if (check_misc(x, q, e) != R_CONT)
        return R_FAIL;
    s->pos = e + 2;
    return R_CONT;
}

/* Delivers the rest of the CDATA section being delivered: from s->pos to
 * s->cdata_end, CR and CR LF as LF. */
static int cdata_out(hgq_xml *x)
{
    hgq_xscan *s = x->xs;
    const unsigned char *b = s->buf;
    while (s->pos < s->cdata_end) {
        size_t p = s->pos;
        const unsigned char *cr = memchr(b + p, '\r', s->cdata_end - p);
        size_t e = cr ? (size_t)(cr - b) : s->cdata_end;
        if (e > p) {
            s->pos = e;
            if (text_out(x, (const char *)b + p, e - p, p))
                return R_STOP;
        }
        if (cr) {
            s->pos = e + (e + 1 < s->cdata_end && b[e + 1] == '\n' ? 2 : 1);
            if (text_out(x, "\n", 1, e))
                return R_STOP;
        }
    }
    s->in_cdata = 0;
    s->pos = s->cdata_end + 3;
    return R_CONT;
}

/* A CDATA section at b[p] ("<![CDATA["). */
static int cdata(hgq_xml *x, size_t p)
{
    hgq_xscan *s = x->xs;
    size_t e = find(s->buf, p + 9, s->len, "]]>", 3);
    if (e == (size_t)-1)
        return need(x, p, "a CDATA section");
    if (check_misc(x, p + 9, e) != R_CONT)
        return R_FAIL;
    s->in_cdata = 1;
    s->cdata_end = e;
    s->pos = p + 9;
    return cdata_out(x);
}

/* Text at s->pos, inside the root element, up to the next '<'. */
static int text(hgq_xml *x)
{
    hgq_xscan *s = x->xs;
    const unsigned char *b = s->buf;
    size_t p = s->pos, t0 = p;
    for (;;) {
        unsigned c;
        while (!(T[b[p]] & C_TEXT))
            p++;
        c = b[p];
        if (c == '<') {
            s->pos = p;
            if (text_out(x, (const char *)b + t0, p - t0, t0))
                return R_STOP;
            return R_CONT;
        }
        if (p == s->len) {
            s->pos = p;
            if (text_out(x, (const char *)b + t0, p - t0, t0))
                return R_STOP;
            return need(x, p, "the root element");
        }
        if (c == '&') {
            uint32_t cp;
            size_t next;
            unsigned char u[4];
            int r = parse_ref(b, p, s->len, &cp, &next);
            s->pos = p;
            if (text_out(x, (const char *)b + t0, p - t0, t0))
                return R_STOP;
            if (r == REF_SHORT)
                return need(x, p, "a reference");
            if (r != REF_OK)
                return bad_ref(x, p, r);
            s->pos = t0 = next;
            if (text_out(x, (const char *)u, put_utf8(u, cp), p))
                return R_STOP;
            p = next;
        } else if (c == '\r') {
            s->pos = p;
            if (text_out(x, (const char *)b + t0, p - t0, t0))
                return R_STOP;
            if (p + 1 >= s->len && !s->eof)
                return R_NEED;
            s->pos = t0 = p + (b[p + 1] == '\n' ? 2 : 1);
            if (text_out(x, "\n", 1, p))
                return R_STOP;
            p = t0;
        } else if (c == ']') {
            if (p + 2 >= s->len && !s->eof &&
                (p + 1 == s->len || (b[p + 1] == ']' && p + 2 == s->len))) {
                s->pos = p;
                if (text_out(x, (const char *)b + t0, p - t0, t0))
                    return R_STOP;
                return R_NEED;
            }
            if (b[p + 1] == ']' && b[p + 2] == '>')
                return fail(x, p, HGQ_EXML, "malformed XML: ']]>' in text");
            p++;
        } else if (c < 0x80) {
            return bad_control(x, p);
        } else {
            int k = utf8_char(b + p, s->len - p);
            if (k <= 0) {
                if (k == U8_SHORT && !s->eof) {
                    s->pos = p;
                    if (text_out(x, (const char *)b + t0, p - t0, t0))
                        return R_STOP;
                    return R_NEED;
                }
                return bad_char(x, p, k == U8_SHORT ? 0 : k);
            }
            p += (size_t)k;
        }
    }
}

/* }==================================================================== */

/* {====================================================================
 * The document
 * ===================================================================== */

/* Case-insensitive comparison of b[0..n) with lower-case ASCII s. */
static int same_ci(const unsigned char *b, size_t n, const char *s)
{
    size_t i;
    if (n != strlen(s))
        return 0;
    for (i = 0; i < n; i++) {
        unsigned c = b[i];
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (c != (unsigned char)s[i])
            return 0;
    }
    return 1;
}

/*
 * Parses the pseudo-attribute `name` of the XML declaration b[*q..e):
 * S name S? = S? quoted value. Sets the value's bounds; 0 when it is not
 * there as such.
 */
static int decl_att(const unsigned char *b, size_t *q, size_t e, const char *name, size_t *v0,
                    size_t *v1)
{
    size_t i = *q, n = strlen(name);
    unsigned quote;
    const unsigned char *c;
    if (i >= e || !(T[b[i]] & C_WS))
        return 0;
    while (i < e && (T[b[i]] & C_WS))
        i++;
    if (e - i < n || memcmp(b + i, name, n) != 0)
        return 0;
    i += n;
    while (i < e && (T[b[i]] & C_WS))
        i++;
    if (i >= e || b[i] != '=')
        return 0;
    i++;
    while (i < e && (T[b[i]] & C_WS))
        i++;
    if (i >= e || (b[i] != '"' && b[i] != '\''))
        return 0;
    quote = b[i++];
    c = memchr(b + i, (int)quote, e - i);
    if (!c)
        return 0;
    *v0 = i;
    *v1 = (size_t)(c - b);
    *q = *v1 + 1;
    return 1;
}

/*
 * The start of the part: a UTF-8 byte order mark and an XML declaration
 * are skipped; anything needing expat (another encoding, an unusual
 * declaration) hands the part over.
 */
static int document_start(hgq_xml *x)
{
    hgq_xscan *s = x->xs;
    const unsigned char *b = s->buf;
    size_t p = 0, e, q, v0, v1;
    if (s->len < 3 && !s->eof)
        return R_NEED;
    if (s->len >= 1 && (b[0] == 0x00 || b[0] == 0xFE || b[0] == 0xFF))
        return R_HANDOVER;
    if (s->len >= 2 && b[0] == '<' && b[1] == 0x00)
        return R_HANDOVER;
    if (s->len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        p = 3;
    if (s->len - p < 6 && !s->eof)
        return R_NEED;
    if (s->len - p >= 6 && memcmp(b + p, "<?xml", 5) == 0 && (T[b[p + 5]] & C_WS)) {
        e = find(b, p + 5, s->len, "?>", 2);
        if (e == (size_t)-1)
            return s->eof ? R_HANDOVER : R_NEED;
        q = p + 5;
        if (!decl_att(b, &q, e, "version", &v0, &v1) || v1 - v0 != 3 ||
            memcmp(b + v0, "1.0", 3) != 0)
            return R_HANDOVER;
        if (decl_att(b, &q, e, "encoding", &v0, &v1) && !same_ci(b + v0, v1 - v0, "utf-8"))
            return R_HANDOVER;
        if (decl_att(b, &q, e, "standalone", &v0, &v1) &&
            !(v1 - v0 == 3 && memcmp(b + v0, "yes", 3) == 0) &&
            !(v1 - v0 == 2 && memcmp(b + v0, "no", 2) == 0))
            return R_HANDOVER;
        while (q < e && (T[b[q]] & C_WS))
            q++;
        if (q != e)
            return R_HANDOVER;
        p = e + 2;
    }
    s->pos = p;
    s->at_start = 0;
    return R_CONT;
}

/* Parses from s->pos until an event stops it, more bytes are needed, the
 * part ends or fails. */
static int scan(hgq_xml *x)
{
    hgq_xscan *s = x->xs;
    int r;
    if (s->at_start && (r = document_start(x)) != R_CONT)
        return r;
    if (s->pending_end && (r = end_event(x, s->pend_pos)) != R_CONT)
        return r;
    if (s->in_cdata && (r = cdata_out(x)) != R_CONT)
        return r;
    for (;;) {
        const unsigned char *b = s->buf;
        size_t p = s->pos;
        unsigned c;
        if (s->state == XS_CONTENT) {
            if (b[p] != '<') {
                if ((r = text(x)) != R_CONT)
                    return r;
                p = s->pos;
            }
        } else {
            while (T[b[p]] & C_WS)
                p++;
            s->pos = p;
            if (p == s->len) {
                if (!s->eof)
                    return R_NEED;
                if (s->state == XS_PROLOG)
                    return fail(x, p, HGQ_EXML, "malformed XML: no root element");
                return R_END;
            }
            if (b[p] != '<') {
                if (b[p] < 0x20)
                    return bad_control(x, p);
                return fail(x, p, HGQ_EXML, "malformed XML: text %s the root element",
                            s->state == XS_PROLOG ? "before" : "after");
            }
        }
        /* b[p] == '<' */
        if (p + 1 >= s->len)
            return need(x, p, "a tag");
        c = b[p + 1];
        if (c == '/') {
            if (s->state != XS_CONTENT)
                return fail(x, p, HGQ_EXML, "malformed XML: end tag with no element open");
            r = end_tag(x, p);
        } else if (c == '?') {
            r = pi(x, p);
        } else if (c == '!') {
            if (s->len - p < 9 && !s->eof &&
                (memcmp(b + p, "<!--", s->len - p < 4 ? s->len - p : 4) == 0 ||
                 memcmp(b + p, "<![CDATA[", s->len - p) == 0 ||
                 memcmp(b + p, "<!DOCTYPE", s->len - p) == 0))
                return R_NEED;
            if (s->len - p >= 4 && memcmp(b + p, "<!--", 4) == 0)
                r = comment(x, p);
            else if (s->state == XS_CONTENT && s->len - p >= 9 &&
                     memcmp(b + p, "<![CDATA[", 9) == 0)
                r = cdata(x, p);
            else if (s->state == XS_PROLOG && s->len - p >= 9 &&
                     memcmp(b + p, "<!DOCTYPE", 9) == 0)
                return R_HANDOVER;
            else
                return fail(x, p, HGQ_EXML, "malformed XML: invalid markup after '<!'");
        } else if (T[c] & C_START) {
            if (s->state == XS_EPILOG)
                return fail(x, p, HGQ_EXML, "malformed XML: a second element after the root element");
            r = start_tag(x, p);
        } else {
            if (c >= 0x80)
                return bad_char(x, p + 1, 0);
            return fail(x, p + 1, HGQ_EXML, "malformed XML: invalid character after '<'");
        }
        if (r != R_CONT)
            return r;
    }
}

/* Drops the consumed bytes and reads more: at least as many as are
 * pending, so that a token parsed again costs linear time in all. */
static hgq_status refill(hgq_xml *x)
{
    hgq_xscan *s = x->xs;
    size_t keep_from = s->state == XS_PROLOG ? 0 : s->pos;
    size_t pending = s->len - s->pos, want, got = 0;
    if (pending > x->token_limit || (s->state == XS_PROLOG && s->len > x->token_limit)) {
        long line, col;
        position_at(s, s->pos, &line, &col);
        x->status = HGQ_ELIMIT;
        hgq_error_set(&x->e, HGQ_ELIMIT, "an XML tag or comment runs over %llu bytes (refused)",
                      (unsigned long long)x->token_limit);
        hgq_error_set_file(&x->e, x->file);
        hgq_error_set_part(&x->e, x->part);
        hgq_error_set_position(&x->e, line, col + 1);
        return HGQ_ELIMIT;
    }
    if (keep_from) {
        count_to(s, keep_from);
        memmove(s->buf, s->buf + keep_from, s->len - keep_from);
        s->len -= keep_from;
        s->pos -= keep_from;
        s->line_pos = 0;
    }
    s->tok_valid = 0;
    want = pending > HGQ_XML_READ ? pending : HGQ_XML_READ;
    if (want > x->token_limit + 1 - pending)
        want = (size_t)(x->token_limit + 1 - pending);   /* a token stays under the limit */
    if (s->len + want + 1 > s->cap) {
        size_t cap = s->len + want + 1;
        unsigned char *nb = realloc(s->buf, cap);
        if (!nb) {
            x->status = HGQ_ENOMEM;
            hgq_error_set(&x->e, HGQ_ENOMEM, NULL);
            return HGQ_ENOMEM;
        }
        s->buf = nb;
        s->cap = cap;
    }
    do {
        size_t n;
        hgq_status st = hgq_xml_read(x, s->buf + s->len + got, want - got, &n);
        if (st != HGQ_OK) {
            x->status = st;
            return st;
        }
        if (n == 0) {
            s->eof = 1;
            break;
        }
        got += n;
    } while (pending >= HGQ_XML_READ && got < want);
    s->len += got;
    s->buf[s->len] = '\0';
    return HGQ_OK;
}

hgq_status hgq_xscan_step(hgq_xml *x, int *handover, const char **data, size_t *len,
                          int *eof)
{
    hgq_xscan *s = x->xs;
    *handover = 0;
    for (;;) {
        int r;
        if (x->status != HGQ_OK)
            return x->status;
        if (x->done)
            return HGQ_OK;
        x->stop = 0;
        r = scan(x);
        switch (r) {
        case R_STOP:
            x->stop = 0;
            return x->status;
        case R_NEED:
            if (s->eof) {
                /* a construct that needs more than the part holds */
                fail(x, s->pos, HGQ_EXML, "malformed XML: the part ends inside a token");
                return x->status;
            }
            if (refill(x) != HGQ_OK)
                return x->status;
            break;
        case R_END:
            x->done = 1;
            return HGQ_OK;
        case R_HANDOVER:
            *handover = 1;
            *data = (const char *)s->buf;
            *len = s->len;
            *eof = s->eof;
            return HGQ_OK;
        default:
            return x->status != HGQ_OK ? x->status : HGQ_EXML;
        }
    }
}

/* }==================================================================== */
