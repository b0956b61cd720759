/*
 * xlsx.h - the .xlsx side of the reader: XML parts (libhgq's own
 * tokenizer, expat behind it for documents with a DOCTYPE), the package
 * (content types, relationships), the workbook part, styles, shared strings
 * and the streaming sheet reader. Internal: reader.c presents all of it
 * through the public API of hgq/reader.h.
 *
 * Files: xml.c (the hgq_xml interface, expat driver), xmlscan.c (the
 * tokenizer), xlsx.c (package, workbook, shared strings), styles.c (number
 * formats), sheet.c (rows and merges of a sheet).
 */
#ifndef HGQ_XLSX_H
#define HGQ_XLSX_H

#include <expat.h>

#include "internal.h"
#include "zip.h"

/* {====================================================================
 * XML parts
 * ===================================================================== */

/* Namespace of an element or attribute name, as classified by hgq_xml_local. */
enum {
    HGQ_NS_NONE = 0,   /* no namespace */
    HGQ_NS_MAIN,       /* SpreadsheetML main, transitional or strict */
    HGQ_NS_REL,        /* officeDocument relationships (r:id), transitional or strict */
    HGQ_NS_PKG,        /* package relationships and content types */
    HGQ_NS_OTHER
};

/* Bytes a part is read in (by both parsers, and by the parallel sheet reader,
 * which must fail on damaged data where the serial reader fails). */
#define HGQ_XML_READ 65536u

/* Separator expat puts between namespace URI and local name. */
#define HGQ_XML_NSSEP '\x01'

/* Backends of hgq_xml. */
enum {
    HGQ_XML_SCAN = 0,  /* libhgq's tokenizer (xmlscan.c); expat takes over at a DOCTYPE */
    HGQ_XML_EXPAT      /* expat from the first byte */
};

typedef struct hgq_xscan hgq_xscan;    /* the tokenizer's state (xmlscan.c) */

/*
 * One package part parsed with namespace processing, delivering expat's
 * events: start(ud, name, atts), end(ud, name), text(ud, s, len), names in
 * expat's form ("uri" HGQ_XML_NSSEP "local", or "local"). Text may come in
 * several pieces. The parser is a push parser fed from the zip stream; a
 * handler may suspend it (a row is ready) or fail it (hgq_xml_fail).
 *
 * The default backend is libhgq's tokenizer (xmlscan.c); a part with a
 * DOCTYPE is handed to expat before any event, so entity declarations are
 * refused and no external entity is ever loaded either way. One token (tag,
 * comment, processing instruction, CDATA section) may not span more than
 * `token_limit` bytes, so memory stays bounded.
 *
 * Invariant: `status` is HGQ_OK until the first failure, which is kept in
 * `e` with its position; later failures are ignored.
 */
typedef struct hgq_xml {
    XML_Parser p;                      /* expat, when it parses the part */
    hgq_xscan *xs;                     /* the tokenizer, when it parses the part */
    hgq_zip_stream *zs;                /* the source: a zip entry ... */
    const unsigned char *mem;          /* ... or bytes in memory (tests) */
    size_t mem_len, mem_pos, mem_first, mem_chunk;
    void *ud;                          /* the caller's state, passed to handlers */
    XML_StartElementHandler start;
    XML_EndElementHandler end;
    XML_CharacterDataHandler text;
    const char *file;
    char part[HGQ_ERROR_NAME_MAX];
    hgq_status status;
    hgq_error e;
    int stop;                          /* a handler suspended or failed the tokenizer */
    int suspended;                     /* expat is suspended, to be resumed */
    int done;                          /* the whole part has been parsed */
    uint64_t fed;                      /* bytes handed to expat */
    uint64_t last_event;               /* value of fed at the last handler call */
    uint64_t token_limit;
    /* The name of the event being delivered by the tokenizer, classified
     * (see hgq_xml_name); NULL under expat. */
    const char *ev_name;
    const char *ev_local;
    int ev_ns;
} hgq_xml;

/*
 * Opens `part` of `zip` for parsing with the tokenizer. `ud` is passed to
 * the handlers (any may be NULL). On failure nothing needs closing.
 */
hgq_status hgq_xml_open(hgq_xml *x, hgq_zip *zip, const char *part, const char *file,
                        void *ud, XML_StartElementHandler start,
                        XML_EndElementHandler end, XML_CharacterDataHandler text,
                        hgq_error *err);

/* The same with expat parsing the whole part. */
hgq_status hgq_xml_open_expat(hgq_xml *x, hgq_zip *zip, const char *part, const char *file,
                              void *ud, XML_StartElementHandler start,
                              XML_EndElementHandler end, XML_CharacterDataHandler text,
                              hgq_error *err);

/*
 * Opens the `len` bytes at `data` (borrowed) as a part named `name`, parsed
 * by `backend` (HGQ_XML_SCAN or HGQ_XML_EXPAT). The parser is fed `first`
 * bytes first and then `chunk` bytes at a time (0: as much as it asks), so
 * tests can cut a document at any offset.
 */
hgq_status hgq_xml_open_memory(hgq_xml *x, const void *data, size_t len, int backend,
                               size_t first, size_t chunk, const char *name, void *ud,
                               XML_StartElementHandler start, XML_EndElementHandler end,
                               XML_CharacterDataHandler text, hgq_error *err);

/* Parses until a handler suspends the parser, the part ends (x->done) or an
 * error; on error `err` is filled and the parse cannot continue. */
hgq_status hgq_xml_step(hgq_xml *x, hgq_error *err);

/* Parses the whole part. */
hgq_status hgq_xml_run(hgq_xml *x, hgq_error *err);

void hgq_xml_close(hgq_xml *x);

/* Records a failure of x: status, message, file, part, line and column. */
void hgq_xml_record(hgq_xml *x, hgq_status code, long line, long column, const char *msg);

/* From a handler: records the error (with the current line and column) and
 * aborts the parse. Returns `code`. */
hgq_status hgq_xml_fail(hgq_xml *x, hgq_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* From a handler: suspends the parse after the current event. */
void hgq_xml_suspend(hgq_xml *x);

/* Local part of an expat name; *ns gets its HGQ_NS_* class. */
const char *hgq_xml_local(const char *name, int *ns);

/* hgq_xml_local for a name passed to a handler of x: free when it is the
 * name of the event the tokenizer is delivering (it classified it once). */
static inline const char *hgq_xml_name(const hgq_xml *x, const char *name, int *ns)
{
    if (name == x->ev_name) {
        *ns = x->ev_ns;
        return x->ev_local;
    }
    return hgq_xml_local(name, ns);
}

/* HGQ_NS_* class of the namespace URI uri[0..len) (HGQ_NS_NONE when len is 0). */
int hgq_xml_ns_class(const char *uri, size_t len);

/* {--------------------------------------------------------------------
 * Between xml.c and xmlscan.c
 * --------------------------------------------------------------------- */

/* Reads up to `size` bytes of the part; *n is 0 at its end. A failure is
 * recorded in x->e and returned (x->status is left to the caller). */
hgq_status hgq_xml_read(hgq_xml *x, void *buf, size_t size, size_t *n);

/* Creates and frees the tokenizer's state (x->xs). */
hgq_status hgq_xscan_new(hgq_xml *x);
void hgq_xscan_free(hgq_xscan *s);

/*
 * Parses until a handler suspends or fails the parse, the part ends
 * (x->done) or an error (recorded in x). When the document needs expat (a
 * DOCTYPE, an encoding other than UTF-8, an unusual XML declaration),
 * *handover is set with nothing delivered yet: the bytes read so far are
 * then *data[0..*len), *eof telling whether they are all of the part.
 */
hgq_status hgq_xscan_step(hgq_xml *x, int *handover, const char **data, size_t *len,
                          int *eof);

/* Line and column (both from 1) of the event being delivered. */
void hgq_xscan_position(const hgq_xml *x, long *line, long *column);

/* }-------------------------------------------------------------------- */

/* Value of the unqualified attribute `name` (or one in `ns` when ns is not
 * HGQ_NS_NONE), or NULL. */
const char *hgq_xml_attr(const char **atts, const char *name, int ns);

/* Decodes Excel's _xHHHH_ escapes (UTF-16 code units, pairs joined) of the
 * `len` bytes at s in place; returns the new length. No NUL is written. */
size_t hgq_xml_unescape(char *s, size_t len);

/* }==================================================================== */

/* {====================================================================
 * The package
 * ===================================================================== */

/* A cell format (xf): its number format code and whether it shows a date. */
typedef struct hgq_xf {
    const char *numfmt;
    int is_date;
} hgq_xf;

/* Per-sheet private data beside the public hgq_sheet_info. */
typedef struct hgq_xlsx_sheet {
    const char *problem;    /* why the sheet cannot be read, or NULL */
    hgq_range *merges;      /* cached by hgq_xlsx_merges */
    size_t nmerges;
    int merges_loaded;
} hgq_xlsx_sheet;

/*
 * A loaded .xlsx package. Only what every sheet needs is held: the sheet
 * list, defined names, the date system, the cell formats and the shared
 * strings (one block of NUL-terminated texts with an offset table, so a
 * string is data + off[i], of length off[i+1] - off[i] - 1).
 */
typedef struct hgq_xlsx {
    hgq_zip *zip;
    const char *file;
    hgq_reader_options opt;
    hgq_arena arena;
    hgq_sheet_info *sheets;
    hgq_xlsx_sheet *priv;
    size_t nsheets;
    hgq_defined_name *names;
    size_t nnames;
    int date1904;
    hgq_xf *xfs;
    size_t nxfs;
    char *sst_data;
    uint64_t *sst_off;
    size_t sst_count;
    /* reading sheets on several cores; 0 = the defaults in sheet.c (tests
     * make these small to cut small parts into many segments) */
    size_t seg_bytes;           /* segment size */
    uint64_t par_min_part;      /* smallest part read in parallel */
    /* counts kept for tests: segments parsed by workers, and parallel reads
     * given up for the serial reader */
    uint64_t segments_made, par_fallbacks;
} hgq_xlsx;

/* The xlsx state of an open workbook, NULL for CSV (for tests). */
hgq_xlsx *hgq_workbook_xlsx(hgq_workbook *wb);

/* Reads the package structure, the workbook, styles and shared strings. */
hgq_status hgq_xlsx_load(hgq_xlsx *x, hgq_zip *zip, const char *file,
                         const hgq_reader_options *opt, hgq_error *err);
void hgq_xlsx_free(hgq_xlsx *x);

/*
 * Resolves a relationship target against the part that holds the
 * relationship (`source`, "" for the package root) into a part name without
 * leading '/'. Percent-escapes are decoded and '\' counts as '/'. Returns 0,
 * or -1 when the target leaves the package or is empty.
 */
int hgq_xlsx_resolve(const char *source, const char *target, char *out, size_t size);

/* Cell format `style`, or the General format when out of range. */
const hgq_xf *hgq_xlsx_xf(const hgq_xlsx *x, uint32_t style);

/* The merged ranges of a sheet, read once and cached. */
hgq_status hgq_xlsx_merges(hgq_xlsx *x, size_t sheet, const hgq_range **ranges,
                           size_t *count, hgq_error *err);

/* styles.c: reads the styles part into x->xfs. */
hgq_status hgq_xlsx_load_styles(hgq_xlsx *x, const char *part, hgq_error *err);

/* 1 if built-in number format `id` is a date or time format. */
int hgq_numfmt_builtin_is_date(unsigned id);

/* }==================================================================== */

/* {====================================================================
 * Sheets (sheet.c)
 * ===================================================================== */

typedef struct hgq_sheet_reader hgq_sheet_reader;

/* Starts streaming the rows of sheet `sheet`. The reader borrows `x`. */
hgq_status hgq_sheet_reader_open(hgq_sheet_reader **out, const hgq_xlsx *x, size_t sheet,
                                 hgq_error *err);

/* Next row with cells, or *row = NULL at the end. */
hgq_status hgq_sheet_reader_next(hgq_sheet_reader *r, const hgq_row **row, hgq_error *err);

void hgq_sheet_reader_free(hgq_sheet_reader *r);

/* Reads only the merged ranges of a sheet; *ranges is malloc'd. */
hgq_status hgq_sheet_read_merges(const hgq_xlsx *x, size_t sheet, hgq_range **ranges,
                                 size_t *count, hgq_error *err);

/* }==================================================================== */

#endif
