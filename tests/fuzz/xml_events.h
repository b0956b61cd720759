/*
 * xml_events.h - records the events of an hgq_xml parse as text, so that
 * the tokenizer and expat can be compared: one line per start tag (name and
 * attributes in order), end tag and run of text (all the text between two
 * tags, however many pieces it came in). NSSEP is written as '|', and bytes
 * that would make the record ambiguous as \xHH.
 *
 * Shared by tests/c/test_xmlscan.c and tests/fuzz/fuzz_xmlscan.c.
 */
#ifndef HGQ_XML_EVENTS_H
#define HGQ_XML_EVENTS_H

#include <stdio.h>
#include <string.h>

#include "xlsx.h"

typedef struct xe_rec {
    hgq_xml x;                  /* first member: handlers get the recorder */
    hgq_buf out;                /* the record */
    hgq_buf text;               /* text since the last tag */
    int suspend;                /* suspend after every event */
    long fail_at;               /* fail from the handler of this event (counting from 1) */
    long events;
} xe_rec;

static void xe_put(hgq_buf *b, const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == HGQ_XML_NSSEP)
            hgq_buf_append_char(b, '|');
        else if (c < 0x20 || c == '\\' || c == '|' || c == '=')
            hgq_buf_printf(b, "\\x%02X", c);
        else
            hgq_buf_append_char(b, (char)c);
    }
}

static void xe_flush(xe_rec *r)
{
    if (r->text.len) {
        hgq_buf_append_str(&r->out, "T ");
        xe_put(&r->out, r->text.data, r->text.len);
        hgq_buf_append_char(&r->out, '\n');
        hgq_buf_clear(&r->text);
    }
}

static void xe_event(xe_rec *r)
{
    r->events++;
    if (r->fail_at == r->events)
        hgq_xml_fail(&r->x, HGQ_EDATA, "failed by the handler of event %ld", r->events);
    else if (r->suspend)
        hgq_xml_suspend(&r->x);
}

static void XMLCALL xe_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xe_rec *r = ud;
    xe_flush(r);
    hgq_buf_append_str(&r->out, "S ");
    xe_put(&r->out, name, strlen(name));
    for (; *atts; atts += 2) {
        hgq_buf_append_char(&r->out, ' ');
        xe_put(&r->out, atts[0], strlen(atts[0]));
        hgq_buf_append_char(&r->out, '=');
        xe_put(&r->out, atts[1], strlen(atts[1]));
    }
    hgq_buf_append_char(&r->out, '\n');
    xe_event(r);
}

static void XMLCALL xe_end(void *ud, const XML_Char *name)
{
    xe_rec *r = ud;
    xe_flush(r);
    hgq_buf_append_str(&r->out, "E ");
    xe_put(&r->out, name, strlen(name));
    hgq_buf_append_char(&r->out, '\n');
    xe_event(r);
}

static void XMLCALL xe_text(void *ud, const XML_Char *s, int len)
{
    xe_rec *r = ud;
    hgq_buf_append(&r->text, s, (size_t)len);
    xe_event(r);
}

/*
 * Parses data[0..len) with `backend`, fed `first` bytes and then `chunk` at
 * a time (0: as asked), stepping after each suspension. Returns the status;
 * r->out holds the record (free with xe_free), *err the error.
 */
static hgq_status xe_parse(xe_rec *r, const void *data, size_t len, int backend, size_t first,
                           size_t chunk, hgq_error *err)
{
    hgq_status st;
    int guard = 0;
    hgq_buf_init(&r->out);
    hgq_buf_init(&r->text);
    r->events = 0;
    st = hgq_xml_open_memory(&r->x, data, len, backend, first, chunk, "part.xml", r, xe_start,
                             xe_end, xe_text, err);
    if (st != HGQ_OK)
        return st;
    do {
        st = hgq_xml_step(&r->x, err);
    } while (st == HGQ_OK && !r->x.done && ++guard >= 0);
    xe_flush(r);
    hgq_xml_close(&r->x);
    if (!r->out.data)
        hgq_buf_append(&r->out, "", 0);
    return st;
}

static void xe_free(xe_rec *r)
{
    hgq_buf_free(&r->out);
    hgq_buf_free(&r->text);
}

#endif
