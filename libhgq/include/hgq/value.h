/*
 * hgq/value.h - typed values, dates and cell references.
 *
 * Two value shapes are used across the library:
 *  - hgq_cell: one cell as read from a spreadsheet (reader output), with its
 *    position, number format and, on request, formula text;
 *  - hgq_value: one typed field of a record or statistic (model, statistics,
 *    writer input).
 *
 * Dates and times are "serials": days since 1899-12-30 00:00, the fraction
 * being the time of day. For dates from 1900-03-01 on this is the same number
 * Excel's default 1900 date system shows; the reader corrects Excel's fictional
 * 1900-02-29 and converts 1904-system workbooks, so a serial always means the
 * same instant whichever file it came from.
 */
#ifndef HGQ_VALUE_H
#define HGQ_VALUE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Type of a cell as read from a spreadsheet. */
typedef enum hgq_cell_type {
    HGQ_CELL_EMPTY = 0,  /**< no value (a styled empty cell) */
    HGQ_CELL_NUMBER = 1, /**< number in `number` */
    HGQ_CELL_STRING = 2, /**< UTF-8 text in `text` */
    HGQ_CELL_BOOL = 3,   /**< 0 or 1 in `number` */
    HGQ_CELL_DATE = 4,   /**< date/time serial in `number` */
    HGQ_CELL_ERROR = 5   /**< error text such as "#N/A" in `text` */
} hgq_cell_type;

/**
 * One cell. Pointers are borrowed: they stay valid until the next call on the
 * object that produced the cell (for a row iterator: until the next row).
 */
typedef struct hgq_cell {
    uint32_t row;          /**< 0-based row (row 1 is 0) */
    uint32_t col;          /**< 0-based column (column A is 0) */
    hgq_cell_type type;    /**< what the cell holds */
    double number;         /**< NUMBER, BOOL (0/1), DATE (serial) */
    const char *text;      /**< STRING or ERROR text (NUL-terminated UTF-8), else NULL */
    size_t text_len;       /**< length of `text` in bytes */
    const char *formula;   /**< formula without '=' when requested and present, else NULL */
    const char *numfmt;    /**< number format code ("General" by default), never NULL */
    uint32_t style;        /**< style (xf) index in the workbook, 0 for CSV */
} hgq_cell;

/** Returns the one-letter code of a cell type: "" (empty), "n", "s", "b", "d", "e". */
const char *hgq_cell_type_code(hgq_cell_type type);

/** Type of a model value. */
typedef enum hgq_vtype {
    HGQ_NULL = 0,   /**< missing */
    HGQ_TEXT = 1,   /**< UTF-8 text in u.s */
    HGQ_INT = 2,    /**< integer in u.i */
    HGQ_NUM = 3,    /**< real number in u.d */
    HGQ_DATE = 4,   /**< date serial in u.d */
    HGQ_BOOL = 5    /**< 0 or 1 in u.b */
} hgq_vtype;

/** A typed value. Text is borrowed from whoever owns the value. */
typedef struct hgq_value {
    hgq_vtype type;
    union {
        const char *s;
        int64_t i;
        double d;
        int b;
    } u;
} hgq_value;

/** Constructors, for brevity in C callers: hgq_text("会计"), hgq_int(549) ... */
hgq_value hgq_null(void);
hgq_value hgq_text(const char *s);
hgq_value hgq_int(int64_t i);
hgq_value hgq_num(double d);
hgq_value hgq_date(double serial);
hgq_value hgq_bool(int b);

/** Name of a value type: "null", "text", "int", "number", "date", "bool". */
const char *hgq_vtype_name(hgq_vtype type);

/**
 * Numeric view of a value: INT, NUM, DATE and BOOL give their number and
 * return 1; NULL and TEXT return 0 and leave *out untouched.
 */
int hgq_value_number(const hgq_value *v, double *out);

/** Compares two values for sorting: NULL first, then by type, then by value. */
int hgq_value_compare(const hgq_value *a, const hgq_value *b);

/* {====================================================================
 * Dates
 * ===================================================================== */

/** A broken-down date and time. */
typedef struct hgq_datetime {
    int year, month, day;       /**< month 1-12, day 1-31 */
    int hour, minute, second;   /**< 0-23, 0-59, 0-59 */
} hgq_datetime;

/** 1 if year/month/day is a real calendar date (proleptic Gregorian), else 0. */
int hgq_date_valid(int year, int month, int day);

/** Serial of a calendar date (no validation; use hgq_date_valid first). */
double hgq_date_from_ymd(int year, int month, int day);

/** Serial of a date and time. */
double hgq_date_from_parts(const hgq_datetime *dt);

/** Breaks a serial into parts, rounding to the nearest second. */
void hgq_date_to_parts(double serial, hgq_datetime *out);

/**
 * Converts an Excel serial as stored in a workbook to an hgq serial.
 * `date1904` is the workbook's date system. In the 1900 system serials below
 * 61 are shifted by one day (Excel counts a 1900-02-29 that never was); the
 * fictional day 60 itself becomes 1900-02-28.
 */
double hgq_date_from_excel(double excel_serial, int date1904);

/**
 * Writes a serial as ISO 8601 "YYYY-MM-DDTHH:MM:SS" (19 characters) into buf.
 * Returns the length, like snprintf.
 */
size_t hgq_date_format_iso(double serial, char *buf, size_t size);

/**
 * Age in whole years on `at` of a person born on `birth` (both serials).
 * Someone born on 29 February turns a year older on 1 March in common years.
 */
int hgq_age_years(double birth, double at);

/* }==================================================================== */

/* {====================================================================
 * Cell references
 * ===================================================================== */

/** Largest 0-based row and column of a sheet (XFD1048576). */
#define HGQ_MAX_ROW 1048575u
#define HGQ_MAX_COL 16383u

/**
 * Parses an A1-style reference ("B7", "$B$7", "XFD1048576") into 0-based row
 * and column. Returns HGQ_EREF-equivalent 0 on failure: returns 1 on success,
 * 0 for a malformed reference or one beyond XFD1048576.
 */
int hgq_ref_parse(const char *ref, size_t len, uint32_t *row, uint32_t *col);

/**
 * Parses a column-only reference ("A", "XFD") into a 0-based column.
 * Returns 1 on success, 0 on failure.
 */
int hgq_ref_parse_col(const char *ref, size_t len, uint32_t *col);

/** Writes the A1 reference of 0-based row/col into buf (at least 16 bytes). */
void hgq_ref_format(uint32_t row, uint32_t col, char *buf, size_t size);

/** Writes the column letters of a 0-based column into buf (at least 4 bytes). */
void hgq_ref_format_col(uint32_t col, char *buf, size_t size);

/** A rectangular range, 0-based and inclusive, e.g. a merged range. */
typedef struct hgq_range {
    uint32_t first_row, first_col, last_row, last_col;
} hgq_range;

/** Parses "A1:C3" (or a single "B2") into a range. Returns 1 on success, 0 on failure. */
int hgq_range_parse(const char *text, size_t len, hgq_range *out);

/* }==================================================================== */

/* {====================================================================
 * UTF-8
 * ===================================================================== */

/** 1 if the `len` bytes at `s` are valid UTF-8 (no overlongs, no surrogates). */
int hgq_utf8_valid(const char *s, size_t len);

/**
 * Display width of UTF-8 text as a spreadsheet column needs it: CJK and other
 * East Asian wide characters count 2, others 1.
 */
size_t hgq_utf8_width(const char *s, size_t len);

/* }==================================================================== */

#ifdef __cplusplus
}
#endif
#endif
