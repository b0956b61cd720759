/*
 * test_xmlscan.c - libhgq's XML tokenizer (xmlscan.c) behind hgq_xml: the
 * events of each construct, each well-formedness error with its position,
 * limits, suspension and failure from handlers, documents cut at every byte
 * offset, and the same events as expat on hand-made documents and on every
 * part of every workbook of the corpus and of tests/data.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "zip.h"
#include "../fuzz/xml_events.h"

#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define XML_NS "http://www.w3.org/XML/1998/namespace"

/* {====================================================================
 * Helpers
 * ===================================================================== */

typedef struct parsed {
    hgq_status st;
    hgq_error err;
    char *out;
} parsed;

static parsed parse_with(const char *doc, size_t len, int backend, size_t first, size_t chunk,
                         int suspend)
{
    xe_rec r;
    parsed p;
    memset(&r, 0, sizeof r);
    memset(&p, 0, sizeof p);
    r.suspend = suspend;
    p.st = xe_parse(&r, doc, len, backend, first, chunk, &p.err);
    p.out = hgq_strdup(r.out.data ? r.out.data : "");
    xe_free(&r);
    return p;
}

static parsed scan(const char *doc)
{
    return parse_with(doc, strlen(doc), HGQ_XML_SCAN, 0, 0, 0);
}

static void done(parsed *p)
{
    free(p->out);
}

/* The tokenizer gives `want` (events) for doc, also cut anywhere. */
#define EVENTS(doc, want)                                                  \
    do {                                                                   \
        parsed p_ = scan(doc);                                             \
        if (p_.st != HGQ_OK)                                               \
            T_FAIL("%s: %s", doc, p_.err.message);                         \
        CHECK_EQ_STR(want, p_.out);                                        \
        done(&p_);                                                         \
        check_cuts(doc, strlen(doc), __LINE__);                            \
    } while (0)

/* The tokenizer fails on doc with `code`, at `line` and `col` (0: any),
 * the message holding `what`. */
#define REJECT(doc, code, what, line, col) reject(doc, strlen(doc), code, what, line, col, __LINE__)

static int reject(const char *doc, size_t len, hgq_status code, const char *what, long line,
                  long col, int at)
{
    parsed p = parse_with(doc, len, HGQ_XML_SCAN, 0, 0, 0);
    int ok = 1;
    if (p.st != code || (what && !strstr(p.err.message, what)) ||
        (line && p.err.line != line) || (col && p.err.column != col)) {
        T_FAIL("line %d: %.60s: want %s '%s' at %ld:%ld, got %s '%s' at %ld:%ld", at, doc,
               hgq_status_name(code), what ? what : "", line, col, hgq_status_name(p.st),
               p.err.message, p.err.line, p.err.column);
        ok = 0;
    }
    if (p.st != HGQ_OK && strcmp(p.err.part, "part.xml") != 0) {
        T_FAIL("line %d: the error names part '%s'", at, p.err.part);
        ok = 0;
    }
    done(&p);
    return ok;
}

/* Every cut of doc (the first read ending at each offset, then byte by
 * byte with a suspension after every event) gives the same outcome as the
 * whole document at once. */
static int check_cuts(const char *doc, size_t len, int at)
{
    parsed whole = parse_with(doc, len, HGQ_XML_SCAN, 0, 0, 0);
    size_t f;
    int ok = 1;
    for (f = 0; f <= len && ok; f++) {
        parsed p = f < len ? parse_with(doc, len, HGQ_XML_SCAN, f ? f : 1, 0, 0)
                           : parse_with(doc, len, HGQ_XML_SCAN, 1, 1, 1);
        if (p.st != whole.st || (p.st == HGQ_OK && strcmp(p.out, whole.out) != 0) ||
            (p.st != HGQ_OK && (p.err.line != whole.err.line ||
                                strcmp(p.err.message, whole.err.message) != 0))) {
            T_FAIL("line %d: %.60s cut at %zu: %s '%s' [%s], whole: %s '%s' [%s]", at, doc, f,
                   hgq_status_name(p.st), p.err.message, p.out, hgq_status_name(whole.st),
                   whole.err.message, whole.out);
            ok = 0;
        }
        done(&p);
    }
    done(&whole);
    return ok;
}

/* expat and the tokenizer agree on doc: both accept it with the same
 * events, or both reject it. */
static int same_as_expat(const char *doc, size_t len, const char *what)
{
    parsed e = parse_with(doc, len, HGQ_XML_EXPAT, 0, 0, 0);
    parsed s = parse_with(doc, len, HGQ_XML_SCAN, 0, 0, 0);
    int ok = (e.st == HGQ_OK) == (s.st == HGQ_OK) &&
             (e.st != HGQ_OK || strcmp(e.out, s.out) == 0);
    if (!ok)
        T_FAIL("%s: expat %s '%s' [%.200s], tokenizer %s '%s' [%.200s]", what,
               hgq_status_name(e.st), e.err.message, e.out, hgq_status_name(s.st),
               s.err.message, s.out);
    done(&e);
    done(&s);
    return ok;
}

/* }==================================================================== */

/* {====================================================================
 * Constructs
 * ===================================================================== */

TEST(elements_attributes_text)
{
    EVENTS("<a/>", "S a\nE a\n");
    EVENTS("<a x=\"1\" y='2'>t</a>", "S a x=1 y=2\nT t\nE a\n");
    EVENTS("<a  x = \"1\"\n\ty\r\n=\t'2' ></a >", "S a x=1 y=2\nE a\n");
    EVENTS("<a><b><c/></b>x<b/></a>", "S a\nS b\nS c\nE c\nE b\nT x\nS b\nE b\nE a\n");
    EVENTS("<a.b-c_d:e xmlns:a.b-c_d='u'/>", "S u|e\nE u|e\n");
    EVENTS("<a q='\"' r=\"'\"/>", "S a q=\" r='\nE a\n");
    EVENTS("<a>\xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80</a>",
           "S a\nT \xe4\xb8\xad\xe6\x96\x87 \xf0\x9f\x98\x80\nE a\n");
    EVENTS("<\xe5\xad\xa6 \xe5\x90\x8d='1'/>", "S \xe5\xad\xa6 \xe5\x90\x8d=1\nE \xe5\xad\xa6\n");
    EVENTS("<a>x > y ] ]] ]>\x7f</a>", "S a\nT x > y ] ]] ]>\x7f\nE a\n");
    EVENTS("<a>\t\n </a>", "S a\nT \\x09\\x0A \nE a\n");
}

TEST(references_and_line_ends)
{
    EVENTS("<a>&lt;&gt;&amp;&apos;&quot;</a>", "S a\nT <>&'\"\nE a\n");
    EVENTS("<a>&#65;&#x42;&#x00043;&#0000000000000068;&#x1F600;&#x4e2d;</a>",
           "S a\nT ABCD\xf0\x9f\x98\x80\xe4\xb8\xad\nE a\n");
    EVENTS("<a>1\r\n2\r3\n4&#13;5&#10;6</a>", "S a\nT 1\\x0A2\\x0A3\\x0A4\\x0D5\\x0A6\nE a\n");
    /* attribute values: TAB LF CR and CR LF each one space, references kept */
    EVENTS("<a x='1\t2\n3\r4\r\n5&#9;6&#10;7&#13;8&lt;&amp;'/>",
           "S a x=1 2 3 4 5\\x096\\x0A7\\x0D8<&\nE a\n");
    EVENTS("<a x='&quot;&apos;&#x20AC;'/>", "S a x=\"'\xe2\x82\xac\nE a\n");
}

TEST(comments_pis_cdata_declaration)
{
    EVENTS("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<a/>", "S a\nE a\n");
    EVENTS("<?xml version='1.0' encoding='utf-8'?><a/>", "S a\nE a\n");
    EVENTS("\xef\xbb\xbf<?xml version=\"1.0\"?><a/>", "S a\nE a\n");
    EVENTS("\xef\xbb\xbf<a/>", "S a\nE a\n");
    EVENTS("<!-- c --><?pi data?>\n<a><!----><!-- - -->x<?t?>y<?xml-stylesheet z?></a>"
           "<!-- after --><?pi?>\n",
           "S a\nT xy\nE a\n");
    EVENTS("<a><![CDATA[<b>&amp;]]]]><![CDATA[]]>z<![CDATA[1\r\n2\r3]]></a>",
           "S a\nT <b>&amp;]]z1\\x0A2\\x0A3\nE a\n");
}

TEST(namespaces)
{
    EVENTS("<worksheet xmlns=\"" MAIN_NS "\"><c r=\"A1\"/></worksheet>",
           "S " MAIN_NS "|worksheet\nS " MAIN_NS "|c r=A1\nE " MAIN_NS "|c\nE " MAIN_NS
           "|worksheet\n");
    EVENTS("<p:a xmlns:p='u' xmlns='v'><b/><c xmlns=''><d/></c><p:e xmlns:p='w' p:q='1' q='2'/>"
           "<p:f/></p:a>",
           "S u|a\nS v|b\nE v|b\nS c\nS d\nE d\nE c\nS w|e w|q=1 q=2\nE w|e\nS u|f\nE u|f\nE u|a\n");
    EVENTS("<t xml:space='preserve'> x </t>", "S t " XML_NS "|space=preserve\nT  x \nE t\n");
    EVENTS("<a xmlns:xml='" XML_NS "'><xml:b/></a>", "S a\nS " XML_NS "|b\nE " XML_NS "|b\nE a\n");
    /* declarations come into scope for the element's own name, whatever their order */
    EVENTS("<p:a p:x='1' xmlns:p='u'/>", "S u|a u|x=1\nE u|a\n");
    /* two prefixes for one namespace on different elements */
    EVENTS("<a xmlns:p='u' p:x='1' xmlns:q='u'><b q:x='2'/></a>",
           "S a u|x=1\nS b u|x=2\nE b\nE a\n");
    /* a namespace name written with references */
    EVENTS("<p:a xmlns:p='u&amp;v&#x20;w'/>", "S u&v w|a\nE u&v w|a\n");
}

/* Each event's name classified by hgq_xml_name agrees with hgq_xml_local. */
typedef struct classify {
    hgq_xml x;
    int events, fast, bad;
} classify;

static void check_name(classify *c, const char *name)
{
    int ns1, ns2;
    const char *l1 = hgq_xml_name(&c->x, name, &ns1), *l2 = hgq_xml_local(name, &ns2);
    c->events++;
    c->fast += name == c->x.ev_name;
    c->bad += ns1 != ns2 || strcmp(l1, l2) != 0;
}

static void XMLCALL cl_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    check_name(ud, name);
}

static void XMLCALL cl_end(void *ud, const XML_Char *name)
{
    check_name(ud, name);
}

TEST(names_are_classified_once)
{
    static const char doc[] =
        "<worksheet xmlns='" MAIN_NS "' xmlns:r='"
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships' xmlns:x='z'>"
        "<r:id/><x:y/><plain xmlns=''/><row><c/></row></worksheet>";
    int backend;
    for (backend = HGQ_XML_SCAN; backend <= HGQ_XML_EXPAT; backend++) {
        classify c;
        hgq_error err;
        memset(&c, 0, sizeof c);
        CHECK_EQ_INT(HGQ_OK, hgq_xml_open_memory(&c.x, doc, sizeof doc - 1, backend, 0, 0, "p",
                                                 &c, cl_start, cl_end, NULL, &err));
        CHECK_EQ_INT(HGQ_OK, hgq_xml_run(&c.x, &err));
        hgq_xml_close(&c.x);
        CHECK_EQ_INT(12, c.events);
        CHECK_EQ_INT(0, c.bad);
        /* the tokenizer classified every name; under expat none is known */
        CHECK_EQ_INT(backend == HGQ_XML_SCAN ? 12 : 0, c.fast);
    }
}

/* }==================================================================== */

/* {====================================================================
 * Errors
 * ===================================================================== */

TEST(malformed_structure)
{
    REJECT("<a><b></a></b>", HGQ_EXML, "mismatched tag", 1, 7);
    REJECT("<a>\n<b>\n</a>", HGQ_EXML, "mismatched tag", 3, 1);
    REJECT("<a>", HGQ_EXML, "ends inside the root element", 1, 4);
    REJECT("<a><b>", HGQ_EXML, "malformed XML", 0, 0);
    REJECT("<a x='1'", HGQ_EXML, "ends inside a start tag", 1, 1);
    REJECT("<a/>\n<b/>", HGQ_EXML, "second element", 2, 1);
    REJECT("<a/>tail", HGQ_EXML, "text after the root element", 1, 5);
    REJECT("text<a/>", HGQ_EXML, "text before the root element", 1, 1);
    REJECT("", HGQ_EXML, "no root element", 1, 1);
    REJECT("  \n<!-- only -->\n", HGQ_EXML, "no root element", 3, 1);
    REJECT("</a>", HGQ_EXML, "end tag", 1, 1);
    REJECT("<a></ a>", HGQ_EXML, "mismatched", 1, 4);
    REJECT("<a/ >", HGQ_EXML, "'/' not followed by '>'", 1, 3);
    REJECT("<a x='1'y='2'/>", HGQ_EXML, "no space before an attribute", 1, 9);
    REJECT("<a x=1/>", HGQ_EXML, "not in quotes", 1, 6);
    REJECT("<a x/>", HGQ_EXML, "'=' expected", 1, 5);
    REJECT("<1a/>", HGQ_EXML, "invalid character after '<'", 1, 2);
    REJECT("< a/>", HGQ_EXML, "invalid character after '<'", 1, 2);
    REJECT("<a><!DOCTYPE a></a>", HGQ_EXML, "after '<!'", 1, 4);
    REJECT("<![CDATA[x]]><a/>", HGQ_EXML, "after '<!'", 1, 1);
    REJECT("<a>x]]>y</a>", HGQ_EXML, "']]>' in text", 1, 5);
    REJECT("<a>\n\n  x]]>y</a>", HGQ_EXML, "']]>' in text", 3, 4);
}

TEST(malformed_attributes_and_references)
{
    REJECT("<a x='1' x='2'/>", HGQ_EXML, "duplicate attribute 'x'", 1, 10);
    REJECT("<a xmlns:p='u' p:x='1' xmlns:q='u' q:x='2'/>", HGQ_EXML, "duplicate attribute", 0, 0);
    REJECT("<a xmlns:p='u' xmlns:p='v'/>", HGQ_EXML, "duplicate attribute", 0, 0);
    REJECT("<a x='a<b'/>", HGQ_EXML, "'<' in an attribute value", 1, 8);
    REJECT("<a x='&nope;'/>", HGQ_EXML, "undefined entity 'nope'", 1, 7);
    REJECT("<a>\n&nope;</a>", HGQ_EXML, "undefined entity 'nope'", 2, 1);
    REJECT("<a>&amp</a>", HGQ_EXML, "'&' not followed", 1, 4);
    REJECT("<a>a & b</a>", HGQ_EXML, "'&' not followed", 1, 6);
    REJECT("<a x='&amp'/>", HGQ_EXML, "'&' not followed", 1, 7);
    REJECT("<a\n y='\n' x='\n&nope;'/>", HGQ_EXML, "undefined entity", 4, 1);
    REJECT("<a\n y='\n' x='\n&#0;'/>", HGQ_EXML, "character reference", 4, 1);
    REJECT("<a>&#;</a>", HGQ_EXML, "'&' not followed", 0, 0);
    REJECT("<a>&#x;</a>", HGQ_EXML, "'&' not followed", 0, 0);
    REJECT("<a>&#X41;</a>", HGQ_EXML, "'&' not followed", 0, 0);
    REJECT("<a>&#0;</a>", HGQ_EXML, "character reference", 1, 4);
    REJECT("<a>&#1;</a>", HGQ_EXML, "character reference", 0, 0);
    REJECT("<a>&#xD800;</a>", HGQ_EXML, "character reference", 0, 0);
    REJECT("<a>&#xDFFF;</a>", HGQ_EXML, "character reference", 0, 0);
    REJECT("<a>&#xFFFE;</a>", HGQ_EXML, "character reference", 0, 0);
    REJECT("<a>&#x110000;</a>", HGQ_EXML, "character reference", 0, 0);
    REJECT("<a>&#99999999999999999999;</a>", HGQ_EXML, "character reference", 0, 0);
    REJECT("<a x='&#0;'/>", HGQ_EXML, "character reference", 0, 0);
}

TEST(malformed_namespaces)
{
    REJECT("<p:a/>", HGQ_EXML, "unbound namespace prefix 'p'", 1, 1);
    REJECT("<a p:x='1'/>", HGQ_EXML, "unbound namespace prefix 'p'", 1, 4);
    REJECT("<a xmlns:p='u'><p:b/></a><p:c/>", HGQ_EXML, "second element", 0, 0);
    REJECT("<a><b xmlns:p='u'/><p:c/></a>", HGQ_EXML, "unbound namespace prefix", 0, 0);
    REJECT("<xmlns:a/>", HGQ_EXML, "unbound namespace prefix", 0, 0);
    REJECT("<:a/>", HGQ_EXML, "not a namespace-qualified name", 1, 2);
    REJECT("<a:/>", HGQ_EXML, "not a namespace-qualified name", 0, 0);
    REJECT("<a:b:c/>", HGQ_EXML, "not a namespace-qualified name", 0, 0);
    REJECT("<a:1 xmlns:a='u'/>", HGQ_EXML, "not a namespace-qualified name", 0, 0);
    REJECT("<a xmlns:='u'/>", HGQ_EXML, "not a namespace-qualified name", 0, 0);
    REJECT("<a xmlns:p=''/>", HGQ_EXML, "declared empty", 0, 0);
    REJECT("<a xmlns:xmlns='u'/>", HGQ_EXML, "xmlns cannot be declared", 0, 0);
    REJECT("<a xmlns:xml='u'/>", HGQ_EXML, "reserved", 0, 0);
    REJECT("<a xmlns:p='" XML_NS "'/>", HGQ_EXML, "reserved", 0, 0);
    REJECT("<a xmlns='" XML_NS "'/>", HGQ_EXML, "reserved", 0, 0);
    REJECT("<a xmlns:p='http://www.w3.org/2000/xmlns/'/>", HGQ_EXML, "reserved", 0, 0);
}

TEST(malformed_comments_pis)
{
    REJECT("<a><!-- x -- y --></a>", HGQ_EXML, "'--' inside a comment", 1, 11);
    REJECT("<!-- a --->\n<a/>", HGQ_EXML, "'--' inside a comment", 1, 8);
    REJECT("<a><!-x--></a>", HGQ_EXML, "after '<!'", 0, 0);
    REJECT("<a><!-- x", HGQ_EXML, "ends inside a comment", 1, 4);
    REJECT("<a><![CDATA[x</a>", HGQ_EXML, "ends inside a CDATA section", 0, 0);
    REJECT("<a><?pi x</a>", HGQ_EXML, "ends inside a processing instruction", 0, 0);
    REJECT("<a/><?xml version='1.0'?>", HGQ_EXML, "XML declaration not at the start", 1, 5);
    REJECT(" <?xml version='1.0'?><a/>", HGQ_EXML, "XML declaration not at the start", 1, 2);
    REJECT("<?XmL x?><a/>", HGQ_EXML, "XML declaration not at the start", 0, 0);
    REJECT("<?pi?x?><a/>", HGQ_EXML, "invalid processing instruction", 0, 0);
    REJECT("<? pi?><a/>", HGQ_EXML, "target", 0, 0);
}

TEST(characters_and_encoding)
{
    /* control characters and non-characters: malformed XML */
    REJECT("<a>\x01</a>", HGQ_EXML, "U+0001", 1, 4);
    REJECT("<a>\n\xe4\xb8\xad\xe4\xb8\xad\x1f</a>", HGQ_EXML, "U+001F", 2, 3);
    REJECT("<a x='\x0b'/>", HGQ_EXML, "U+000B", 1, 7);
    REJECT("<a><!-- \x02 --></a>", HGQ_EXML, "U+0002", 0, 0);
    REJECT("<a>\xef\xbf\xbe</a>", HGQ_EXML, "U+FFFE", 1, 4);
    REJECT("<a x='\xef\xbf\xbf'/>", HGQ_EXML, "U+FFFF", 0, 0);
    /* NUL bytes */
    {
        static const char nul[] = "<a>x\0y</a>";
        CHECK(reject(nul, sizeof nul - 1, HGQ_EXML, "U+0000", 1, 5, __LINE__));
    }
    /* invalid UTF-8: an encoding error */
    REJECT("<a>ok\xc3\x28</a>", HGQ_EENCODING, "invalid UTF-8 byte sequence in XML text", 1, 6);
    REJECT("<a>\n\n\xed\xa0\x80</a>", HGQ_EENCODING, "invalid UTF-8", 3, 1);
    REJECT("<a>\xc0\xaf</a>", HGQ_EENCODING, "invalid UTF-8", 0, 0);
    REJECT("<a>\xf4\x90\x80\x80</a>", HGQ_EENCODING, "invalid UTF-8", 0, 0);
    REJECT("<a>\xe4\xb8</a>", HGQ_EENCODING, "invalid UTF-8", 0, 0);
    REJECT("<a>\xe4\xb8", HGQ_EENCODING, "invalid UTF-8", 0, 0);
    REJECT("<a x='\xff'/>", HGQ_EENCODING, "invalid UTF-8", 0, 0);
    REJECT("<a\xff/>", HGQ_EENCODING, "invalid UTF-8", 0, 0);
    REJECT("<\x80/>", HGQ_EENCODING, "invalid UTF-8", 0, 0);
    REJECT("<a><!-- \xc3 --></a>", HGQ_EENCODING, "invalid UTF-8", 0, 0);
}

/* }==================================================================== */

/* {====================================================================
 * Limits, DOCTYPE, handlers
 * ===================================================================== */

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
    char *s = malloc(hl + ul * n + tl + 1), *p = s;
    memcpy(p, head, hl);
    p += hl;
    for (i = 0; i < n; i++, p += ul)
        memcpy(p, unit, ul);
    memcpy(p, tail, tl + 1);
    return s;
}

TEST(limits)
{
    char *doc;
    parsed p;
    hgq_xml x;
    hgq_error err;
    size_t i;

    /* nesting: 1024 levels read, 1025 refused */
    doc = repeat("", "<a>", 1024, "");
    {
        char *full = malloc(strlen(doc) + 4 * 1024 + 8);
        strcpy(full, doc);
        for (i = 0; i < 1024; i++)
            strcat(full, "</a>");
        p = scan(full);
        CHECK_EQ_INT(HGQ_OK, p.st);
        done(&p);
        free(full);
    }
    free(doc);
    doc = repeat("", "<a>", 1025, "");
    p = scan(doc);
    CHECK_EQ_INT(HGQ_ELIMIT, p.st);
    CHECK(strstr(p.err.message, "nested more than 1024") != NULL);
    done(&p);
    free(doc);

    /* attributes per element */
    {
        hgq_buf b;
        hgq_buf_init(&b);
        hgq_buf_append_str(&b, "<a");
        for (i = 0; i < 1025; i++)
            hgq_buf_printf(&b, " a%zu='%zu'", i, i);
        hgq_buf_append_str(&b, "/>");
        p = scan(b.data);
        CHECK_EQ_INT(HGQ_ELIMIT, p.st);
        CHECK(strstr(p.err.message, "more than 1024 attributes") != NULL);
        done(&p);
        /* 1024 are read, duplicates found among many */
        hgq_buf_clear(&b);
        hgq_buf_append_str(&b, "<a");
        for (i = 0; i < 1024; i++)
            hgq_buf_printf(&b, " a%zu='%zu'", i, i);
        hgq_buf_append_str(&b, "/>");
        p = scan(b.data);
        CHECK_EQ_INT(HGQ_OK, p.st);
        CHECK(strstr(p.out, " a1023=1023\n") != NULL);
        done(&p);
        b.data[b.len - 2] = '\0';
        b.len -= 2;
        hgq_buf_append_str(&b, " a517='x'/>");
        p = scan(b.data);
        CHECK_EQ_INT(HGQ_ELIMIT, p.st);
        done(&p);
        hgq_buf_clear(&b);
        hgq_buf_append_str(&b, "<a xmlns:p='u' xmlns:q='u'");
        for (i = 0; i < 100; i++)
            hgq_buf_printf(&b, " p:a%zu='%zu'", i, i);
        hgq_buf_append_str(&b, " q:a99='x'/>");
        p = scan(b.data);
        CHECK_EQ_INT(HGQ_EXML, p.st);
        CHECK(strstr(p.err.message, "duplicate attribute 'q:a99'") != NULL);
        done(&p);
        hgq_buf_free(&b);
    }

    /* one token over token_limit: a comment, a tag, a prolog */
    {
        static const char *docs[] = {"<a><!--", "<a><b x='", "<a><b", "<!--"};
        for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
            char *d = repeat(docs[i], "0123456789abcdef", 8192, "");
            hgq_status st = hgq_xml_open_memory(&x, d, strlen(d), HGQ_XML_SCAN, 0, 0, "p", NULL,
                                                NULL, NULL, NULL, &err);
            CHECK_EQ_INT(HGQ_OK, st);
            x.token_limit = 65536;
            st = hgq_xml_run(&x, &err);
            hgq_xml_close(&x);
            CHECK_EQ_INT(HGQ_ELIMIT, st);
            CHECK(strstr(err.message, "runs over 65536 bytes") != NULL);
            free(d);
        }
    }
    /* ... while long text, many tags and long runs within the limit are fine */
    doc = repeat("<a>", "0123456789abcdef<b x='1'/>&amp;", 40000, "</a>");
    {
        hgq_status st = hgq_xml_open_memory(&x, doc, strlen(doc), HGQ_XML_SCAN, 0, 0, "p", NULL,
                                            NULL, NULL, NULL, &err);
        CHECK_EQ_INT(HGQ_OK, st);
        x.token_limit = 65536;
        CHECK_EQ_INT(HGQ_OK, hgq_xml_run(&x, &err));
        hgq_xml_close(&x);
    }
    free(doc);
}

/* Names beyond the cache: long ones, many distinct ones, and declarations
 * coming into and out of scope, read as expat reads them. */
TEST(names_beyond_the_cache)
{
    hgq_buf b;
    size_t i;
    char *longname = repeat("", "n", 600, "");
    hgq_buf_init(&b);
    hgq_buf_printf(&b, "<%s xmlns:p='u' %s='1' p:%s='2'><b/><p:%s/><c/></%s>", longname,
                   longname, longname, longname, longname);
    CHECK(same_as_expat(b.data, b.len, "long names"));
    CHECK(check_cuts(b.data, b.len, __LINE__));
    hgq_buf_clear(&b);
    hgq_buf_append_str(&b, "<r xmlns='v'>");
    for (i = 0; i < 700; i++)
        hgq_buf_printf(&b, "<n%zu a%zu='%zu' xmlns:q%zu='w%zu'><q%zu:e q%zu:f='1'/>%s</n%zu>", i,
                       i, i, i % 5, i, i % 5, i % 5, i % 3 ? "" : "<x xmlns='z'><y/></x>", i);
    hgq_buf_append_str(&b, "</r>");
    CHECK(same_as_expat(b.data, b.len, "many names"));
    hgq_buf_free(&b);
    free(longname);
}

TEST(doctype_goes_to_expat)
{
    static const char laughs[] =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
        "<a>&lol2;</a>";
    static const char plain[] = "<!-- x --><!DOCTYPE a><a x='1'>t&amp;</a>";
    size_t f;
    parsed p = scan(laughs);
    CHECK_EQ_INT(HGQ_ELIMIT, p.st);
    CHECK(strstr(p.err.message, "entity declaration 'lol' refused") != NULL);
    CHECK_EQ_INT(2, p.err.line);
    CHECK_EQ_STR("", p.out);
    done(&p);
    /* a DOCTYPE without entities reads as expat reads it, wherever it is cut */
    for (f = 1; f <= sizeof plain - 1; f++) {
        p = parse_with(plain, sizeof plain - 1, HGQ_XML_SCAN, f, f == sizeof plain - 1 ? 1 : 0,
                       f == sizeof plain - 1);
        CHECK_EQ_INT(HGQ_OK, p.st);
        CHECK_EQ_STR("S a x=1\nT t&\nE a\n", p.out);
        done(&p);
    }
    /* other encodings and unusual declarations go to expat as well */
    p = scan("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>");
    CHECK_EQ_INT(HGQ_OK, p.st);
    CHECK_EQ_STR("S a\nT \xc3\xa9\nE a\n", p.out);
    done(&p);
    p = scan("<?xml version=\"1.1\"?><a/>");
    CHECK_EQ_INT(HGQ_OK, p.st);
    done(&p);
    p = scan("<?xml version=\"1.0\" encoding=\"UTF8\"?><a/>");
    CHECK_EQ_INT(HGQ_EXML, p.st);
    done(&p);
    {
        static const char u16[] = "\xff\xfe<\0a\0/\0>\0";
        p = parse_with(u16, sizeof u16 - 1, HGQ_XML_SCAN, 0, 0, 0);
        CHECK_EQ_INT(HGQ_OK, p.st);
        CHECK_EQ_STR("S a\nE a\n", p.out);
        done(&p);
    }
}

TEST(suspend_and_resume)
{
    static const char doc[] =
        "<?xml version='1.0'?><r xmlns='" MAIN_NS "'><row><c r='A1'><v>1</v></c><c/></row>"
        "t&amp;u\r\nv<![CDATA[w\rx]]><e/><e/></r>";
    parsed whole = scan(doc);
    size_t f;
    CHECK_EQ_INT(HGQ_OK, whole.st);
    /* a suspension after every event, fed at once or in pieces */
    for (f = 0; f < sizeof doc; f++) {
        parsed p = parse_with(doc, sizeof doc - 1, HGQ_XML_SCAN, f, f ? 3 : 0, 1);
        CHECK_EQ_INT(HGQ_OK, p.st);
        CHECK_EQ_STR(whole.out, p.out);
        done(&p);
    }
    done(&whole);
    /* each step ends right after the event that suspended it */
    {
        xe_rec r;
        hgq_error err;
        long steps = 0;
        memset(&r, 0, sizeof r);
        hgq_buf_init(&r.out);
        hgq_buf_init(&r.text);
        r.suspend = 1;
        CHECK_EQ_INT(HGQ_OK, hgq_xml_open_memory(&r.x, "<a><b/>x&amp;y</a>", 18, HGQ_XML_SCAN,
                                                 0, 0, "p", &r, xe_start, xe_end, xe_text,
                                                 &err));
        while (!r.x.done) {
            long before = r.events;
            CHECK_EQ_INT(HGQ_OK, hgq_xml_step(&r.x, &err));
            steps++;
            CHECK(r.x.done || r.events == before + 1);
            if (steps > 20)
                break;
        }
        /* <a>, <b>, </b>, "x", "&", "y", </a> */
        CHECK_EQ_INT(7, r.events);
        hgq_xml_close(&r.x);
        xe_free(&r);
    }
}

TEST(fail_from_a_handler)
{
    static const char doc[] = "<a>\n  <b x='1'/>\n  <c>text\n</c></a>";
    struct {
        long event, line, col;
    } cases[] = {{1, 1, 1}, {2, 1, 4}, {3, 2, 3}, {4, 2, 3}, {6, 3, 3}, {7, 3, 6}, {8, 4, 1}};
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xe_rec r;
        hgq_error err;
        hgq_status st;
        memset(&r, 0, sizeof r);
        r.fail_at = cases[i].event;
        st = xe_parse(&r, doc, sizeof doc - 1, HGQ_XML_SCAN, 0, 0, &err);
        CHECK_EQ_INT(HGQ_EDATA, st);
        CHECK(strstr(err.message, "failed by the handler") != NULL);
        if (err.line != cases[i].line || err.column != cases[i].col)
            T_FAIL("event %ld: want %ld:%ld, got %ld:%ld", cases[i].event, cases[i].line,
                   cases[i].col, err.line, err.column);
        /* nothing after the failing event */
        CHECK_EQ_INT(cases[i].event, r.events);
        xe_free(&r);
    }
}

/* }==================================================================== */

/* {====================================================================
 * The same events as expat
 * ===================================================================== */

static const char *const same_docs[] = {
    "<a/>", "<a></a >", "<a  x = '1' />", "<a x='1&#10;2&#9;3\t4\n5\r\n6\r7'/>",
    "<a>&#00000000000000000065;&#x1F600;</a>", "<a>x]]y]></a>", "<a>\r\n\r</a>",
    "<a>x&#13;y</a>", "\xef\xbb\xbf<?xml version=\"1.0\"?><a/>",
    "<?xml version='1.0' standalone='no' ?><a/>", "<?xml  version = \"1.0\"?><a/>",
    "<a><?xml-stylesheet x?><?pi   ?></a>", "<a><!----><!-- - --><!---a--></a>",
    "<a><![CDATA[]]]]></a>", "<a><![CDATA[a]]b]]]></a>",
    "<p:a xmlns:p=\"u\" xmlns=\"v\"><b/><c xmlns=\"\"/><p:d xmlns:p=\"w\" p:q=\"1\"/></p:a>",
    "<a xml:space='p' xmlns:xml='" XML_NS "'/>", "<a>ab<!--c-->d</a>",
    "<!DOCTYPE a><a>x</a>", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xe9</a>",
    /* rejected by both */
    "<:a/>", "<a:/>", "<a:b:c/>", "<a b:='1'/>", "<a xmlns:p=''/>", "<xmlns:a/>",
    "<a xmlns:p='u' p:x='1' xmlns:q='u' q:x='2'/>", "<a>&#X41;</a>", "<a>&#0;</a>",
    "<a>x]]>y</a>", "<?XML version='1.0'?><a/>", "<a/><?xml x?>", " <?xml version='1.0'?><a/>",
    "<a>&#xD800;</a>", "<?pi?x?><a/>", "<!-- a --->", "<![CDATA[x]]><a/>",
    "<a xmlns:p='" XML_NS "'/>", "<a/ >", "<a b='1'c='2'/>", "<a>&amp</a>", "<a>& b;</a>",
    "<a>&#1114112;</a>", "<1a/>", "<a>text</a>tail", "<a/><b/>", "", "  ", "<!-- c -->",
    "<a", "<a>", "<a><b></a></b>", "<a x='<'/>", "<a>\xc3\x28</a>", "<a>\x01</a>",
    "<a>\xef\xbf\xbe</a>", "<!DOCTYPE a [<!ENTITY e 'v'>]><a>&e;</a>",
    "<?xml version='1.0' encoding='UTF8'?><a/>", "<a x='1' x='2'/>", "<?a:b x?><r/>",
    "<r><?a:b?></r>",
};

TEST(same_as_expat_by_hand)
{
    size_t i;
    for (i = 0; i < sizeof same_docs / sizeof same_docs[0]; i++) {
        CHECK(same_as_expat(same_docs[i], strlen(same_docs[i]), same_docs[i]));
        CHECK(check_cuts(same_docs[i], strlen(same_docs[i]), __LINE__));
    }
}

/* Reads entry `name` of zip z whole; NULL when it cannot be read. */
static char *read_entry(hgq_zip *z, const char *name, size_t *len)
{
    hgq_zip_stream *zs;
    hgq_buf b;
    hgq_error err;
    hgq_buf_init(&b);
    if (hgq_zip_stream_open(&zs, z, name, &err) != HGQ_OK)
        return NULL;
    for (;;) {
        char chunk[65536];
        size_t n;
        if (hgq_zip_stream_read(zs, chunk, sizeof chunk, &n, &err) != HGQ_OK) {
            hgq_buf_free(&b);
            hgq_zip_stream_free(zs);
            return NULL;
        }
        if (n == 0)
            break;
        hgq_buf_append(&b, chunk, n);
    }
    hgq_zip_stream_free(zs);
    if (!b.data)
        hgq_buf_append(&b, "", 0);
    *len = b.len;
    return b.data;
}

/* Every entry of every zip file in dir (and below): expat and the
 * tokenizer agree, and the tokenizer fed in 7-byte pieces too. */
static void corpus_dir(const char *dir, int *files, int *parts, int *xml_ok)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        char path[4096];
        size_t n = strlen(e->d_name), i;
        hgq_zip *z;
        hgq_error err;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (e->d_type == DT_DIR) {
            corpus_dir(path, files, parts, xml_ok);
            continue;
        }
        if (n < 5 || (strcmp(e->d_name + n - 5, ".xlsx") != 0 &&
                      strcmp(e->d_name + n - 4, ".zip") != 0))
            continue;
        if (hgq_zip_open_file(&z, path, NULL, NULL, &err) != HGQ_OK)
            continue;
        ++*files;
        for (i = 0; i < hgq_zip_count(z); i++) {
            size_t len;
            char *data = read_entry(z, hgq_zip_name(z, i), &len), what[4200];
            parsed p, q;
            if (!data)
                continue;
            ++*parts;
            snprintf(what, sizeof what, "%s: %s", path, hgq_zip_name(z, i));
            CHECK(same_as_expat(data, len, what));
            p = parse_with(data, len, HGQ_XML_SCAN, 0, 0, 0);
            q = parse_with(data, len, HGQ_XML_SCAN, 7, 7, 1);
            if (p.st != q.st || strcmp(p.out, q.out) != 0)
                T_FAIL("%s: fed in pieces, the events differ", what);
            *xml_ok += p.st == HGQ_OK;
            done(&p);
            done(&q);
            free(data);
        }
        hgq_zip_free(z);
    }
    closedir(d);
}

TEST(same_as_expat_on_the_corpus)
{
    int files = 0, parts = 0, xml_ok = 0;
    corpus_dir(T_SHARED("corpus/calamine"), &files, &parts, &xml_ok);
    CHECK(files >= 60);
    corpus_dir(T_DATA(""), &files, &parts, &xml_ok);
    printf("# %d files, %d parts, %d parsed as XML\n", files, parts, xml_ok);
    CHECK(files >= 75);
    CHECK(xml_ok >= 500);
}

/* }==================================================================== */

int main(void)
{
    RUN(elements_attributes_text);
    RUN(references_and_line_ends);
    RUN(comments_pis_cdata_declaration);
    RUN(namespaces);
    RUN(names_are_classified_once);
    RUN(malformed_structure);
    RUN(malformed_attributes_and_references);
    RUN(malformed_namespaces);
    RUN(malformed_comments_pis);
    RUN(characters_and_encoding);
    RUN(limits);
    RUN(names_beyond_the_cache);
    RUN(doctype_goes_to_expat);
    RUN(suspend_and_resume);
    RUN(fail_from_a_handler);
    RUN(same_as_expat_by_hand);
    RUN(same_as_expat_on_the_corpus);
    return t_done();
}
