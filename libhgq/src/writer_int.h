/*
 * writer_int.h - what the writer's source files share: the writer and sheet
 * objects, named formats and the cell-writing primitive. Not installed.
 *
 *   writer.c          writers, sheets, cells, commit, highlights, charts
 *   writer_format.c   named formats, cell formats, display widths
 *   writer_table.c    titled tables: headers, merges, streamed bodies, totals
 *   writer_crosstab.c hgq_table and cross-tab writing
 */
#ifndef HGQ_WRITER_INT_H
#define HGQ_WRITER_INT_H

#include <sys/types.h>

#include <xlsxwriter.h>

#include "internal.h"
#include "hgq/writer.h"

/* {====================================================================
 * Formats
 * ===================================================================== */

/* What a named format is. BYVALUE (a NULL name) resolves per value. */
typedef enum hgqw_kind {
    HGQW_BYVALUE = 0,
    HGQW_GENERAL,
    HGQW_TEXT,
    HGQW_INTEGER,
    HGQW_NUMBER,
    HGQW_PERCENT,
    HGQW_WANYUAN,
    HGQW_YUAN,
    HGQW_AREA,
    HGQW_DATE,
    HGQW_RATIO,
    HGQW_IDCARD,
    HGQW_BOOL,
    HGQW_CUSTOM
} hgqw_kind;

/* Where a cell sits; decides font weight, borders and alignment. */
typedef enum hgqw_role {
    HGQW_PLAIN = 0,   /* a single cell written by the caller: no border */
    HGQW_TITLE,       /* merged title row: bold, larger, centred */
    HGQW_HEADER,      /* header cells: bold, centred, wrapped, bordered */
    HGQW_BODY,        /* body cells: bordered */
    HGQW_GROUP,       /* merged body labels: bordered, centred */
    HGQW_WRAP,        /* long body text: bordered, wrapped */
    HGQW_TOTAL,       /* totals: bold, bordered */
    HGQW_TOTAL_LABEL, /* the label of a totals row: bold, bordered, centred */
    HGQW_NOTE         /* a note under a table: left, wrapped, no border */
} hgqw_role;

typedef struct hgqw_fmt {
    hgqw_kind kind;
    const char *code;    /* HGQW_CUSTOM: the number format (interned in the writer) */
} hgqw_fmt;

/* Parses a format name; NULL gives BYVALUE. Returns 0, or -1 if unknown.
 * A custom code is interned in `w` when w is not NULL. */
int hgqw_parse_format(hgq_writer *w, const char *name, hgqw_fmt *out);

/* 1 if a column of this kind is summed by totals. */
int hgqw_kind_summable(hgqw_kind k);

/* The kind a value is actually written with under `fmt`. */
hgqw_kind hgqw_resolve(hgqw_fmt fmt, const hgq_value *v);

/* The lxw_format for a resolved kind and role (created once, cached);
 * NULL when out of memory. */
lxw_format *hgqw_format(hgq_writer *w, hgqw_fmt fmt, hgqw_role role);

/* The conditional (dxf) format with the given colours. */
lxw_format *hgqw_dxf(hgq_writer *w, uint32_t fill, uint32_t font);

/* Text shown for a value written with resolved kind `k` (for widths and
 * text-producing kinds): writes into buf and returns its display width. */
size_t hgqw_display(hgqw_kind k, const hgq_value *v, int unmask, char *buf, size_t size);

/* Display width of an int or number under kind k computed without
 * formatting it, or 0 when it must be formatted (hgqw_display). */
size_t hgqw_number_width(hgqw_kind k, const hgq_value *v);

/* Excel serial of an hgq date serial; -1 if before 1900-01-01. */
double hgqw_excel_serial(double serial);

/* "n:1" of a ratio. */
void hgqw_ratio_text(double v, char *buf, size_t size);

/* }==================================================================== */

/* {====================================================================
 * Writer and sheets
 * ===================================================================== */

typedef struct hgqw_fmt_entry {
    hgqw_kind kind;
    const char *code;
    int role;             /* hgqw_role, or -1 for a dxf */
    uint32_t c1, c2;      /* dxf colours */
    lxw_format *format;
} hgqw_fmt_entry;

typedef struct hgqw_input {
    dev_t dev;
    ino_t ino;
} hgqw_input;

struct hgq_writer {
    lxw_workbook *wb;          /* NULL once closed */
    char *target;
    char *tmp;                 /* temporary file beside the target, NULL once gone */
    hgq_writer_options opt;    /* strings point into arena */
    hgq_arena arena;
    hgq_writer_sheet **sheets;
    size_t nsheets, capsheets;
    hgqw_fmt_entry *fmts;
    size_t nfmts, capfmts;
    hgqw_input *inputs;
    size_t ninputs, capinputs;
    int closed;
};

/* A column span measured for widths: merged header text over several columns. */
typedef struct hgqw_span {
    uint32_t c0, c1;
    double width;
} hgqw_span;

/* Text that may wrap (titles, headers): the row grows to show it whole. */
typedef struct hgqw_tall {
    uint32_t row, c0, c1;
    double width;          /* display width of the text */
    double line;           /* height of one line, points */
} hgqw_tall;

/* Header text wider than this wraps instead of widening its column. */
#define HGQW_HEADER_CAP 12.0

typedef struct hgqw_table hgqw_table;

struct hgq_writer_sheet {
    hgq_writer *w;
    lxw_worksheet *ws;
    char *name;
    hgq_sheet_options opt;
    uint32_t next_row;         /* first row below everything written */
    int64_t last_row;          /* highest row written, -1 if none */
    uint32_t max_col;          /* highest column written + 1 (0 if none) */
    double *width;             /* measured display width per column */
    double *fixed;             /* caller's widths (0: fit) */
    size_t nwidth;
    hgqw_span *spans;
    size_t nspans, capspans;
    hgqw_tall *talls;
    size_t ntalls, captalls;
    int ntables;
    hgq_table_area first_area; /* the sheet's first table */
    hgq_table_area last_area;  /* its last one */
    hgqw_table *open;          /* the table being streamed, or NULL */
};

/* Fails with `code`, clearing the location first and naming the sheet. */
hgq_status hgqw_fail(hgq_error *err, hgq_status code, const hgq_writer_sheet *sh,
                     const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Checks that the writer is open. */
hgq_status hgqw_check_open(const hgq_writer *w, hgq_error *err);

/*
 * The one cell-writing primitive: writes v (or formula with cached v) at
 * row/col with format fmt in role `role`; measures its width when `measure`.
 * Refuses rows above the last one in constant-memory mode.
 */
hgq_status hgqw_put(hgq_writer_sheet *sh, uint32_t row, uint32_t col,
                    const hgq_value *v, const char *formula, hgqw_fmt fmt,
                    hgqw_role role, int measure, hgq_error *err);

/* Merges a range (already written cell by cell); `top` is the top-left
 * value, rewritten where the library allows. Returns HGQ_OK or an error. */
hgq_status hgqw_merge(hgq_writer_sheet *sh, uint32_t r0, uint32_t c0, uint32_t r1,
                      uint32_t c1, const hgq_value *top, hgqw_fmt fmt, hgqw_role role,
                      hgq_error *err);

/* Records a merged header's text width over columns c0..c1. */
void hgqw_add_span(hgq_writer_sheet *sh, uint32_t c0, uint32_t c1, double width);

/* Records wrapping text in row `row` over columns c0..c1, for row heights. */
void hgqw_add_tall(hgq_writer_sheet *sh, uint32_t row, uint32_t c0, uint32_t c1,
                   double width, double line);

/* Maps a libxlsxwriter error of a cell write to a status with the cell named. */
hgq_status hgqw_lxw_fail(hgq_writer_sheet *sh, lxw_error e, uint32_t row, uint32_t col,
                         hgq_error *err);

/* Ends and frees a sheet's open table (writer_table.c). */
hgq_status hgqw_table_end(hgq_writer_sheet *sh, hgq_table_area *area, hgq_error *err);
void hgqw_table_free(hgqw_table *t);
/* Drops the open table after a failure (no totals), so the sheet can go on. */
void hgqw_table_abort(hgq_writer_sheet *sh);

/* Appends a row whose cells may carry formulas, formats and horizontal
 * label merges (writer_table.c; used by the cross-tab). `span[i]` > 1
 * merges cell i with the following span[i]-1 cells of the row; `strong[i]`
 * writes cell i bold, as a total. Both may be NULL. */
hgq_status hgqw_table_append(hgq_writer_sheet *sh, const hgq_writer_cell *cells,
                             const unsigned *span, const unsigned char *strong,
                             size_t n, hgq_error *err);

/* Column index of the open table's first column and its body row to come. */
uint32_t hgqw_table_next_row(const hgq_writer_sheet *sh);

/* A SUM formula over cells listed by position: runs of adjacent cells
 * become ranges ("=SUM(C4:C6,C9)"); `vertical` says cells share a column
 * (`fixed` is that column, positions are rows) or a row. */
int hgqw_sum_formula(hgq_buf *b, int vertical, uint32_t fixed, const uint32_t *pos,
                     size_t n);

/* }==================================================================== */

#endif
