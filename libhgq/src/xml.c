/*
 * xml.c - the hgq_xml interface over package parts: a namespace-aware push
 * parser fed from a zip stream (or memory), suspendable from handlers. The
 * tokenizer of xmlscan.c parses by default; expat parses documents with a
 * DOCTYPE (refusing entity declarations) and over-long tokens are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx.h"

#define TOKEN_LIMIT_MIN (16u << 20)

/* {====================================================================
 * Handlers installed on every parser: they note that the parse advances
 * (see token_limit) and pass the event on unless the parse has failed.
 * ===================================================================== */

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    hgq_xml *x = ud;
    x->last_event = x->fed;
    if (x->start && x->status == HGQ_OK)
        x->start(x->ud, name, atts);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    hgq_xml *x = ud;
    x->last_event = x->fed;
    if (x->end && x->status == HGQ_OK)
        x->end(x->ud, name);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    hgq_xml *x = ud;
    x->last_event = x->fed;
    if (x->text && x->status == HGQ_OK)
        x->text(x->ud, s, len);
}

static void XMLCALL on_entity_decl(void *ud, const XML_Char *name, int is_param,
                                   const XML_Char *value, int value_length,
                                   const XML_Char *base, const XML_Char *system_id,
                                   const XML_Char *public_id, const XML_Char *notation)
{
    (void)is_param;
    (void)value;
    (void)value_length;
    (void)base;
    (void)system_id;
    (void)public_id;
    (void)notation;
    hgq_xml_fail(ud, HGQ_ELIMIT,
                 "XML entity declaration '%s' refused (spreadsheet parts never declare "
                 "entities; possible entity-expansion attack)",
                 name);
}

/* }==================================================================== */

void hgq_xml_record(hgq_xml *x, hgq_status code, long line, long column, const char *msg)
{
    x->status = code;
    hgq_error_set(&x->e, code, "%s", msg);
    hgq_error_set_file(&x->e, x->file);
    hgq_error_set_part(&x->e, x->part);
    hgq_error_set_position(&x->e, line, column);
}

hgq_status hgq_xml_fail(hgq_xml *x, hgq_status code, const char *fmt, ...)
{
    char msg[HGQ_ERROR_MESSAGE_MAX];
    long line = 0, column = 0;
    va_list ap;
    if (x->status != HGQ_OK)
        return code;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (x->p) {
        line = (long)XML_GetCurrentLineNumber(x->p);
        column = (long)XML_GetCurrentColumnNumber(x->p) + 1;
        XML_StopParser(x->p, XML_FALSE);
    } else if (x->xs) {
        hgq_xscan_position(x, &line, &column);
        x->stop = 1;
    }
    hgq_xml_record(x, code, line, column, msg);
    return code;
}

void hgq_xml_suspend(hgq_xml *x)
{
    if (x->status != HGQ_OK)
        return;
    if (x->p)
        XML_StopParser(x->p, XML_TRUE);
    else
        x->stop = 1;
}

/* Creates the expat parser of x. */
static hgq_status expat_new(hgq_xml *x)
{
    x->p = XML_ParserCreateNS(NULL, HGQ_XML_NSSEP);
    if (!x->p)
        return HGQ_ENOMEM;
    XML_SetUserData(x->p, x);
    XML_SetElementHandler(x->p, on_start, on_end);
    XML_SetCharacterDataHandler(x->p, on_text);
    XML_SetEntityDeclHandler(x->p, on_entity_decl);
    XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
    return HGQ_OK;
}

/* What every opening shares once the source is set. */
static hgq_status open_common(hgq_xml *x, int backend, hgq_error *err)
{
    hgq_status st = backend == HGQ_XML_EXPAT ? expat_new(x) : hgq_xscan_new(x);
    if (st != HGQ_OK) {
        hgq_zip_stream_free(x->zs);
        x->zs = NULL;
        return hgq_error_set(err, st, NULL);
    }
    return HGQ_OK;
}

static void init(hgq_xml *x, const char *part, const char *file, void *ud,
                 XML_StartElementHandler start, XML_EndElementHandler end,
                 XML_CharacterDataHandler text)
{
    memset(x, 0, sizeof *x);
    x->ud = ud;
    x->start = start;
    x->end = end;
    x->text = text;
    x->file = file;
    hgq_strlcpy_utf8(x->part, part, sizeof x->part);
    x->token_limit = TOKEN_LIMIT_MIN;
}

static hgq_status open_zip(hgq_xml *x, hgq_zip *zip, const char *part, const char *file,
                           int backend, void *ud, XML_StartElementHandler start,
                           XML_EndElementHandler end, XML_CharacterDataHandler text,
                           hgq_error *err)
{
    hgq_status st;
    init(x, part, file, ud, start, end, text);
    st = hgq_zip_stream_open(&x->zs, zip, part, err);
    if (st != HGQ_OK)
        return st;
    return open_common(x, backend, err);
}

hgq_status hgq_xml_open(hgq_xml *x, hgq_zip *zip, const char *part, const char *file,
                        void *ud, XML_StartElementHandler start,
                        XML_EndElementHandler end, XML_CharacterDataHandler text,
                        hgq_error *err)
{
    return open_zip(x, zip, part, file, HGQ_XML_SCAN, ud, start, end, text, err);
}

hgq_status hgq_xml_open_expat(hgq_xml *x, hgq_zip *zip, const char *part, const char *file,
                              void *ud, XML_StartElementHandler start,
                              XML_EndElementHandler end, XML_CharacterDataHandler text,
                              hgq_error *err)
{
    return open_zip(x, zip, part, file, HGQ_XML_EXPAT, ud, start, end, text, err);
}

hgq_status hgq_xml_open_memory(hgq_xml *x, const void *data, size_t len, int backend,
                               size_t first, size_t chunk, const char *name, void *ud,
                               XML_StartElementHandler start, XML_EndElementHandler end,
                               XML_CharacterDataHandler text, hgq_error *err)
{
    init(x, name, NULL, ud, start, end, text);
    x->mem = data;
    x->mem_len = len;
    x->mem_first = first;
    x->mem_chunk = chunk;
    return open_common(x, backend, err);
}

void hgq_xml_close(hgq_xml *x)
{
    if (x->p)
        XML_ParserFree(x->p);
    hgq_xscan_free(x->xs);
    hgq_zip_stream_free(x->zs);
    x->p = NULL;
    x->xs = NULL;
    x->zs = NULL;
}

hgq_status hgq_xml_read(hgq_xml *x, void *buf, size_t size, size_t *n)
{
    size_t left, give;
    if (x->zs)
        return hgq_zip_stream_read(x->zs, buf, size, n, &x->e);
    left = x->mem_len - x->mem_pos;
    give = size < left ? size : left;
    if (x->mem_pos == 0 && x->mem_first && give > x->mem_first)
        give = x->mem_first;
    else if (x->mem_pos > 0 && x->mem_chunk && give > x->mem_chunk)
        give = x->mem_chunk;
    if (give)
        memcpy(buf, x->mem + x->mem_pos, give);
    x->mem_pos += give;
    *n = give;
    return HGQ_OK;
}

/* Copies the recorded failure into err and returns its code. */
static hgq_status report(hgq_xml *x, hgq_error *err)
{
    if (err)
        *err = x->e;
    return x->status;
}

/* Turns an expat error into ours. */
static hgq_status expat_failed(hgq_xml *x, hgq_error *err)
{
    enum XML_Error code = XML_GetErrorCode(x->p);
    int off = 0, size = 0;
    const char *ctx;
    hgq_status st = HGQ_EXML;
    char msg[HGQ_ERROR_MESSAGE_MAX];

    if (x->status != HGQ_OK)
        return report(x, err);
    snprintf(msg, sizeof msg, "malformed XML: %s", XML_ErrorString(code));
    ctx = XML_GetInputContext(x->p, &off, &size);
    if (code == XML_ERROR_PARTIAL_CHAR ||
        (code == XML_ERROR_INVALID_TOKEN && ctx && off >= 0 && off < size &&
         (unsigned char)ctx[off] >= 0x80)) {
        uint32_t cp;
        if (code == XML_ERROR_PARTIAL_CHAR ||
            hgq_utf8_decode(ctx + off, (size_t)(size - off), &cp) == 0) {
            st = HGQ_EENCODING;
            snprintf(msg, sizeof msg, "invalid UTF-8 byte sequence in XML text");
        }
    }
#if XML_MAJOR_VERSION > 2 || (XML_MAJOR_VERSION == 2 && XML_MINOR_VERSION >= 4)
    if (code == XML_ERROR_AMPLIFICATION_LIMIT_BREACH) {
        st = HGQ_ELIMIT;
        snprintf(msg, sizeof msg, "XML entity expansion limit exceeded (billion laughs?)");
    }
#endif
    x->status = st;
    hgq_error_set(&x->e, st, "%s", msg);
    hgq_error_set_file(&x->e, x->file);
    hgq_error_set_part(&x->e, x->part);
    hgq_error_set_position(&x->e, (long)XML_GetCurrentLineNumber(x->p),
                           (long)XML_GetCurrentColumnNumber(x->p) + 1);
    return report(x, err);
}

/* After a call into expat: the parse failed, was suspended, ended or goes on. */
static int expat_after(hgq_xml *x, enum XML_Status st)
{
    XML_ParsingStatus ps;
    if (st == XML_STATUS_ERROR)
        return -1;
    if (st == XML_STATUS_SUSPENDED) {
        x->suspended = 1;
        return 1;
    }
    XML_GetParsingStatus(x->p, &ps);
    if (ps.parsing == XML_FINISHED) {
        x->done = 1;
        return 1;
    }
    return 0;
}

/* Hands the part over from the tokenizer to expat, which parses the bytes
 * read so far: the tokenizer has delivered nothing. Returns as step does. */
static hgq_status expat_takeover(hgq_xml *x, const char *data, size_t len, int eof,
                                 hgq_error *err)
{
    void *buf;
    int r;
    if (expat_new(x) != HGQ_OK || !(buf = XML_GetBuffer(x->p, (int)(len ? len : 1)))) {
        x->status = HGQ_ENOMEM;
        hgq_error_set(&x->e, HGQ_ENOMEM, NULL);
        return report(x, err);
    }
    memcpy(buf, data, len);
    hgq_xscan_free(x->xs);
    x->xs = NULL;
    x->fed = len;
    r = expat_after(x, XML_ParseBuffer(x->p, (int)len, eof));
    if (r < 0)
        return expat_failed(x, err);
    if (x->status != HGQ_OK)
        return report(x, err);
    return HGQ_OK;
}

hgq_status hgq_xml_step(hgq_xml *x, hgq_error *err)
{
    if (x->xs) {
        int handover = 0, eof = 0;
        const char *data = NULL;
        size_t len = 0;
        hgq_status st = hgq_xscan_step(x, &handover, &data, &len, &eof);
        if (st != HGQ_OK)
            return report(x, err);
        if (!handover)
            return HGQ_OK;
        st = expat_takeover(x, data, len, eof, err);
        if (st != HGQ_OK || x->suspended || x->done)
            return st;
    }
    for (;;) {
        enum XML_Status st;
        int r;
        if (x->status != HGQ_OK)
            return report(x, err);
        if (x->done)
            return HGQ_OK;
        if (x->suspended) {
            x->suspended = 0;
            st = XML_ResumeParser(x->p);
        } else {
            void *buf;
            size_t n;
            hgq_status zs;
            if (x->fed - x->last_event > x->token_limit) {
                x->status = HGQ_ELIMIT;
                hgq_error_set(&x->e, HGQ_ELIMIT,
                              "an XML tag or comment runs over %llu bytes (refused)",
                              (unsigned long long)x->token_limit);
                hgq_error_set_file(&x->e, x->file);
                hgq_error_set_part(&x->e, x->part);
                hgq_error_set_position(&x->e, (long)XML_GetCurrentLineNumber(x->p),
                                       (long)XML_GetCurrentColumnNumber(x->p) + 1);
                return report(x, err);
            }
            buf = XML_GetBuffer(x->p, HGQ_XML_READ);
            if (!buf) {
                x->status = HGQ_ENOMEM;
                hgq_error_set(&x->e, HGQ_ENOMEM, NULL);
                return report(x, err);
            }
            zs = hgq_xml_read(x, buf, HGQ_XML_READ, &n);
            if (zs != HGQ_OK) {
                x->status = zs;
                return report(x, err);
            }
            x->fed += n;
            st = XML_ParseBuffer(x->p, (int)n, n == 0);
        }
        r = expat_after(x, st);
        if (r < 0)
            return expat_failed(x, err);
        if (r > 0)
            return HGQ_OK;
    }
}

hgq_status hgq_xml_run(hgq_xml *x, hgq_error *err)
{
    hgq_status st;
    do {
        st = hgq_xml_step(x, err);
    } while (st == HGQ_OK && !x->done);
    return st;
}

/* {====================================================================
 * Names, attributes, escapes
 * ===================================================================== */

static const struct {
    const char *uri;
    size_t len;
    int ns;
} known_ns[] = {
#define NS(u, n) {u, sizeof(u) - 1, n}
    NS("http://schemas.openxmlformats.org/spreadsheetml/2006/main", HGQ_NS_MAIN),
    NS("http://purl.oclc.org/ooxml/spreadsheetml/main", HGQ_NS_MAIN),
    NS("http://schemas.openxmlformats.org/officeDocument/2006/relationships", HGQ_NS_REL),
    NS("http://purl.oclc.org/ooxml/officeDocument/relationships", HGQ_NS_REL),
    NS("http://schemas.openxmlformats.org/package/2006/relationships", HGQ_NS_PKG),
    NS("http://schemas.openxmlformats.org/package/2006/content-types", HGQ_NS_PKG),
#undef NS
};

int hgq_xml_ns_class(const char *uri, size_t len)
{
    size_t i;
    if (len == 0)
        return HGQ_NS_NONE;
    for (i = 0; i < sizeof known_ns / sizeof known_ns[0]; i++)
        if (known_ns[i].len == len && memcmp(known_ns[i].uri, uri, len) == 0)
            return known_ns[i].ns;
    return HGQ_NS_OTHER;
}

const char *hgq_xml_local(const char *name, int *ns)
{
    static const char main_ns[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
                                  "\x01";
    const char *sep;
    /* nearly every name of a sheet: no need to look for the separator */
    if (name[0] == 'h' && strncmp(name, main_ns, sizeof main_ns - 1) == 0) {
        *ns = HGQ_NS_MAIN;
        return name + sizeof main_ns - 1;
    }
    sep = strrchr(name, HGQ_XML_NSSEP);
    if (!sep) {
        *ns = HGQ_NS_NONE;
        return name;
    }
    *ns = hgq_xml_ns_class(name, (size_t)(sep - name));
    return sep + 1;
}

const char *hgq_xml_attr(const char **atts, const char *name, int ns)
{
    for (; atts && atts[0]; atts += 2) {
        int ans;
        const char *local = hgq_xml_local(atts[0], &ans);
        if (strcmp(local, name) == 0 && ans == ns)
            return atts[1];
    }
    return NULL;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The code unit of an _xHHHH_ escape at s (len bytes left), or -1. */
static long escape_at(const char *s, size_t len)
{
    long v = 0;
    int i;
    if (len < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
        return -1;
    for (i = 2; i < 6; i++) {
        int h = hexval((unsigned char)s[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

size_t hgq_xml_unescape(char *s, size_t len)
{
    size_t i = 0, o = 0;
    char *us = memchr(s, '_', len);
    if (!us)
        return len;
    i = o = (size_t)(us - s);
    while (i < len) {
        long cu;
        if (s[i] != '_' || (cu = escape_at(s + i, len - i)) < 0) {
            s[o++] = s[i++];
            continue;
        }
        i += 7;
        if (cu >= 0xD800 && cu <= 0xDBFF) {
            long lo = escape_at(s + i, len - i);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                i += 7;
                cu = 0x10000 + ((cu - 0xD800) << 10) + (lo - 0xDC00);
            } else {
                cu = 0xFFFD;
            }
        } else if ((cu >= 0xDC00 && cu <= 0xDFFF) || cu == 0) {
            cu = 0xFFFD;
        }
        /* an escape is 7 bytes and its UTF-8 at most 4, so o stays behind i */
        o += put_utf8(s + o, (uint32_t)cu);
    }
    return o;
}

/* }==================================================================== */
