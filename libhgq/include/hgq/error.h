/*
 * hgq/error.h - the error model shared by every libhgq call.
 *
 * Every fallible function returns an hgq_status (HGQ_OK is 0) and takes an
 * optional `hgq_error *err` as its last argument. When the call fails and
 * `err` is not NULL, it is filled with the same status code, a message for
 * people (English), and where the problem is: the file, the zip part, the
 * sheet, the cell, the line and column, as applies. Fields that do not apply
 * are empty strings or 0.
 *
 * The numeric values of hgq_status never change between releases; new codes
 * are only added at the end.
 *
 *     hgq_error err;
 *     hgq_workbook *wb;
 *     if (hgq_workbook_open(&wb, "roster.xlsx", NULL, &err) != HGQ_OK) {
 *         char line[1024];
 *         hgq_error_format(&err, line, sizeof line);
 *         fprintf(stderr, "%s\n", line);   // roster.xlsx: part xl/...: ...
 *     }
 */
#ifndef HGQ_ERROR_H
#define HGQ_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes. Stable: values are never renumbered. */
typedef enum hgq_status {
    HGQ_OK = 0,           /**< success */
    HGQ_ENOMEM = 1,       /**< out of memory */
    HGQ_EARG = 2,         /**< invalid argument to an API call */
    HGQ_EIO = 3,          /**< a file could not be opened, read or written */
    HGQ_EFORMAT = 4,      /**< not a spreadsheet this library reads */
    HGQ_EZIP = 5,         /**< corrupt, truncated or inconsistent zip container */
    HGQ_EXML = 6,         /**< malformed XML in a package part */
    HGQ_EPART = 7,        /**< a required part is missing or a relationship is bad */
    HGQ_ELIMIT = 8,       /**< a safety limit was exceeded (zip bomb, entity expansion, size) */
    HGQ_EREF = 9,         /**< malformed or out-of-range cell reference */
    HGQ_EENCODING = 10,   /**< invalid text encoding (bad UTF-8, undecodable GBK) */
    HGQ_ECSV = 11,        /**< malformed CSV */
    HGQ_ENOTFOUND = 12,   /**< a named sheet, table, field or entity does not exist */
    HGQ_EUNSUPPORTED = 13,/**< a valid file using a feature not supported (e.g. encryption) */
    HGQ_ESCHEMA = 14,     /**< invalid schema, mapping or definition */
    HGQ_EDATA = 15,       /**< a value that cannot be used (wrong type, out of range) */
    HGQ_EWRITE = 16,      /**< writing an output file failed */
    HGQ_ESTATE = 17,      /**< call not valid in the object's current state (e.g. closed) */
    HGQ_STATUS_COUNT      /**< number of codes; not a code */
} hgq_status;

/** Sizes of the fixed buffers in hgq_error. Longer texts are truncated. */
#define HGQ_ERROR_MESSAGE_MAX 512
#define HGQ_ERROR_FILE_MAX 512
#define HGQ_ERROR_NAME_MAX 256

/**
 * Error detail filled by a failing call. Plain data, owned by the caller,
 * usually on the stack. Strings are NUL-terminated and UTF-8.
 */
typedef struct hgq_error {
    hgq_status code;                      /**< same value the call returned */
    char message[HGQ_ERROR_MESSAGE_MAX];  /**< what went wrong, for people */
    char file[HGQ_ERROR_FILE_MAX];        /**< file path, "" if none */
    char part[HGQ_ERROR_NAME_MAX];        /**< zip entry name, "" if none */
    char sheet[HGQ_ERROR_NAME_MAX];       /**< sheet name, "" if none */
    char cell[16];                        /**< A1-style reference, "" if none */
    long line;                            /**< 1-based XML/CSV line, 0 if none */
    long column;                          /**< 1-based XML column or CSV field, 0 if none */
} hgq_error;

/** Resets `err` to HGQ_OK with every location field empty. NULL is allowed. */
void hgq_error_clear(hgq_error *err);

/**
 * Returns a short English description of a status code, e.g.
 * hgq_strerror(HGQ_EZIP) is "corrupt or truncated zip file". Never NULL.
 */
const char *hgq_strerror(hgq_status code);

/**
 * Returns the stable symbolic name of a code, e.g. "HGQ_EZIP"; suitable for
 * programs to compare against. Never NULL ("HGQ_UNKNOWN" for bad values).
 */
const char *hgq_status_name(hgq_status code);

/**
 * Writes a one-line description of `err` into `buf`: the location, then the
 * message, e.g.
 *   "roster.xlsx: part xl/worksheets/sheet1.xml line 3 column 17: sheet 'Sheet1' cell B7: bad cell reference"
 * Returns the length the full text would have (like snprintf).
 */
size_t hgq_error_format(const hgq_error *err, char *buf, size_t size);

/**
 * Sets `err` to `code` with a printf-style message and returns `code`, so that
 * a failing path can say `return hgq_error_set(err, HGQ_EDATA, "...", ...)`.
 * Location fields are left as they are. `err` may be NULL.
 */
hgq_status hgq_error_set(hgq_error *err, hgq_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** Location setters: each copies its argument (NULL clears) and ignores a NULL err. */
void hgq_error_set_file(hgq_error *err, const char *file);
void hgq_error_set_part(hgq_error *err, const char *part);
void hgq_error_set_sheet(hgq_error *err, const char *sheet);
/** Sets the cell from 0-based row and column (written as A1 text). */
void hgq_error_set_cell(hgq_error *err, unsigned long row, unsigned long col);
/** Sets line and column (1-based; 0 means not applicable). */
void hgq_error_set_position(hgq_error *err, long line, long column);

#ifdef __cplusplus
}
#endif
#endif
