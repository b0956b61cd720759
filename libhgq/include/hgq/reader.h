/*
 * hgq/reader.h - reading .xlsx and .csv files, streaming and typed.
 *
 * A workbook is opened once; its sheets are listed at open time and each
 * sheet is then read row by row, either with a pull iterator (hgq_rows) or
 * with a callback (hgq_workbook_read_sheet). Only the shared-string table and
 * the styles are held in memory; a sheet's cells are never held whole.
 *
 * A .csv file opens through the same call and shows as a workbook of one
 * sheet named after the file (without directory and extension); its text is
 * always returned as UTF-8 whatever the file's encoding.
 *
 * Reading never writes to the input file. Hostile input ends in an error with
 * bounded memory and time: see hgq_reader_options for the limits.
 *
 * What a row holds (xlsx): every <c> element of the sheet, in column order,
 * including cells that carry only a style (type HGQ_CELL_EMPTY); callers
 * that want values only skip those. A number whose cell format is a date or
 * time format comes as HGQ_CELL_DATE with the serial already converted
 * (1900 leap-year bug, 1904 date system). In the 1900 system a time of day
 * alone (a serial below 1, Excel's fictional day 0) keeps its serial, so it
 * falls on 1899-12-30 like an ISO time in a t="d" cell. A date-formatted
 * number outside 0 .. 9999-12-31 stays HGQ_CELL_NUMBER. Strings have
 * Excel's _xHHHH_ escapes decoded and phonetic runs (rPh) left out. Formula
 * text is given only when options.want_formulas is set; a cell of a shared
 * formula gets the master's text with its relative references moved to the
 * cell.
 *
 *     hgq_workbook *wb;
 *     hgq_rows *rows;
 *     const hgq_row *row;
 *     hgq_error err;
 *     if (hgq_workbook_open(&wb, "students.xlsx", NULL, &err)) return 1;
 *     if (hgq_rows_open(&rows, wb, 0, &err) == HGQ_OK) {
 *         while (hgq_rows_next(rows, &row, &err) == HGQ_OK && row)
 *             for (size_t i = 0; i < row->ncells; i++)
 *                 use(&row->cells[i]);
 *         hgq_rows_free(rows);
 *     }
 *     hgq_workbook_free(wb);
 */
#ifndef HGQ_READER_H
#define HGQ_READER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Text encodings for CSV input. */
typedef enum hgq_encoding {
    HGQ_ENC_AUTO = 0,  /**< detect: UTF-8 (BOM or valid UTF-8), else GB18030 */
    HGQ_ENC_UTF8 = 1,  /**< UTF-8, with or without BOM */
    HGQ_ENC_GB18030 = 2,/**< GBK / GB18030, what Excel in China writes */
    HGQ_ENC_UTF16LE = 3,/**< UTF-16 little-endian (Excel's "Unicode text"); detected by its BOM */
    HGQ_ENC_UTF16BE = 4 /**< UTF-16 big-endian; detected by its BOM */
} hgq_encoding;

/**
 * Reader options. Initialise with hgq_reader_options_init() and change what
 * you need; a NULL options pointer means the defaults, and a limit left at 0
 * also means its default. The inflated-size limits count every byte read
 * through the workbook (reading a sheet twice counts it twice).
 *
 *     hgq_reader_options opt;
 *     hgq_reader_options_init(&opt);
 *     opt.want_formulas = 1;
 *     opt.max_entry_inflated = 100u << 20;   // refuse parts over 100 MiB
 *     hgq_workbook_open(&wb, "upload.xlsx", &opt, &err);
 */
typedef struct hgq_reader_options {
    uint64_t max_total_inflated;  /**< sum of inflated sizes of parts read (default 4 GiB) */
    uint64_t max_entry_inflated;  /**< inflated size of any one part (default 2 GiB) */
    uint32_t max_ratio;           /**< inflated/compressed ratio for parts over 1 MiB (default 200; real workbooks stay under 20, deflate cannot exceed about 1030) */
    uint64_t max_shared_strings;  /**< shared-string count limit (default 16 million) */
    uint64_t max_shared_bytes;    /**< shared-string text bytes limit (default 1 GiB) */
    uint32_t max_cell_bytes;      /**< length of one cell's text (default 1 MiB; Excel's own limit is 32767 chars) */
    int want_formulas;            /**< 1: fill hgq_cell.formula (default 0) */
    hgq_encoding csv_encoding;    /**< CSV encoding (default auto) */
    char csv_delimiter;           /**< ',', '\t', ';' or 0 to detect (default 0) */
    int threads;                  /**< threads parsing a large sheet part (4 MiB of XML or
                                       more) while the calling thread inflates it:
                                       0 = one per core, at most 4 (default); 1 = none, the
                                       calling thread parses. Rows and errors are the same
                                       either way; only want_formulas reads serially */
} hgq_reader_options;

/** Fills `opt` with the defaults described above. */
void hgq_reader_options_init(hgq_reader_options *opt);

/** Sheet visibility as set in the workbook. */
typedef enum hgq_visibility {
    HGQ_VISIBLE = 0,
    HGQ_HIDDEN = 1,
    HGQ_VERY_HIDDEN = 2
} hgq_visibility;

/** What kind of file a workbook was opened from. */
typedef enum hgq_file_kind {
    HGQ_FILE_XLSX = 1,
    HGQ_FILE_CSV = 2
} hgq_file_kind;

/** One sheet of a workbook, as listed in the workbook part. */
typedef struct hgq_sheet_info {
    const char *name;            /**< sheet name, UTF-8 */
    hgq_visibility visibility;   /**< visible, hidden or very hidden */
    const char *part;            /**< zip entry of the sheet part ("" for CSV) */
} hgq_sheet_info;

/** A defined name (named range or constant). */
typedef struct hgq_defined_name {
    const char *name;       /**< e.g. "_xlnm.Print_Titles" or "Students" */
    const char *value;      /**< the formula text, e.g. "Sheet1!$A$1:$C$9" */
    int local_sheet;        /**< 0-based sheet index it is local to, or -1 for global
                                 (also when the file names a sheet that is not there) */
    int hidden;             /**< 1 if hidden */
} hgq_defined_name;

/** An open workbook. Not thread-safe; distinct workbooks are independent. */
typedef struct hgq_workbook hgq_workbook;

/**
 * Opens a .xlsx or .csv file. The kind is told by the file's content (a zip
 * is an xlsx; otherwise text is read as CSV). On success *out holds a new
 * workbook to release with hgq_workbook_free(). On failure *out is NULL and
 * `err` says why and where.
 * Errors: HGQ_EIO, HGQ_EFORMAT, HGQ_EZIP, HGQ_EXML, HGQ_EPART, HGQ_ELIMIT,
 * HGQ_EUNSUPPORTED (encrypted workbook), HGQ_EENCODING, HGQ_ENOMEM.
 */
hgq_status hgq_workbook_open(hgq_workbook **out, const char *path,
                             const hgq_reader_options *opt, hgq_error *err);

/**
 * Opens a workbook held in memory (an upload, say). `name` is used in error
 * messages and, for CSV, as the sheet name; `data` must stay valid and
 * unchanged until hgq_workbook_free. Otherwise as hgq_workbook_open.
 */
hgq_status hgq_workbook_open_memory(hgq_workbook **out, const void *data,
                                    size_t size, const char *name,
                                    const hgq_reader_options *opt,
                                    hgq_error *err);

/**
 * Closes the workbook and releases everything it owns. NULL is allowed.
 * Row iterators still open keep what they need until hgq_rows_free, so
 * freeing in either order is safe; no new iterator can be opened.
 */
void hgq_workbook_free(hgq_workbook *wb);

/** The path the workbook was opened from. */
const char *hgq_workbook_path(const hgq_workbook *wb);

/** Whether the file is xlsx or csv. */
hgq_file_kind hgq_workbook_kind(const hgq_workbook *wb);

/** 1 if the workbook uses the 1904 date system (serials are converted anyway). */
int hgq_workbook_date1904(const hgq_workbook *wb);

/** Number of sheets, in workbook order. */
size_t hgq_workbook_sheet_count(const hgq_workbook *wb);

/** Sheet `index` (0-based), or NULL if out of range. Valid while wb is open. */
const hgq_sheet_info *hgq_workbook_sheet(const hgq_workbook *wb, size_t index);

/**
 * 0-based index of the sheet named `name`, or -1. An exact match wins;
 * otherwise ASCII letters match regardless of case, as Excel compares
 * sheet names.
 */
int hgq_workbook_find_sheet(const hgq_workbook *wb, const char *name);

/** Number of defined names. */
size_t hgq_workbook_name_count(const hgq_workbook *wb);

/** Defined name `index`, or NULL if out of range. */
const hgq_defined_name *hgq_workbook_name(const hgq_workbook *wb, size_t index);

/**
 * The merged ranges of a sheet, in file order. Reads the sheet part once
 * (merges come after the cells in the file) and keeps the result, so later
 * calls are free. *ranges stays valid while the workbook is open. CSV sheets
 * have none. Errors: HGQ_ENOTFOUND (no such sheet), HGQ_EREF (a malformed
 * range), and those of reading the part.
 *
 *     const hgq_range *m;
 *     size_t n;
 *     if (hgq_workbook_merges(wb, 0, &m, &n, &err) == HGQ_OK && n > 0)
 *         printf("first merge spans %u rows\n", m[0].last_row - m[0].first_row + 1);
 */
hgq_status hgq_workbook_merges(hgq_workbook *wb, size_t sheet,
                               const hgq_range **ranges, size_t *count,
                               hgq_error *err);

/** One row: its non-empty (or styled) cells in strictly increasing column order. */
typedef struct hgq_row {
    uint32_t index;          /**< 0-based row number */
    size_t ncells;           /**< number of cells */
    const hgq_cell *cells;   /**< cells in increasing column order */
} hgq_row;

/** A pull iterator over a sheet's rows. */
typedef struct hgq_rows hgq_rows;

/**
 * Starts reading sheet `sheet` (0-based). Several iterators may be open on
 * one workbook at once; each reads the part on its own. Errors:
 * HGQ_ENOTFOUND (no such sheet), HGQ_EZIP, HGQ_EPART, HGQ_ELIMIT,
 * HGQ_ESTATE (the workbook was freed), HGQ_ENOMEM.
 */
hgq_status hgq_rows_open(hgq_rows **out, hgq_workbook *wb, size_t sheet,
                         hgq_error *err);

/**
 * Advances to the next row that has cells. On success *row points at the row
 * (valid until the next call or hgq_rows_free) or is NULL at the end of the
 * sheet. Rows come in file order, which is increasing row order for every
 * real writer; a file with rows out of order still yields every row, each
 * with its true index. Rows and cells without an r attribute are numbered
 * on from the previous one. On failure the iterator is finished (later
 * calls return the same error) and `err` names the part, line and column,
 * and the sheet and cell when known. Errors: HGQ_EXML, HGQ_EENCODING,
 * HGQ_EREF (bad or repeated cell reference), HGQ_EDATA (a value that does
 * not fit its type, a shared-string index out of range), HGQ_ELIMIT,
 * HGQ_EZIP, HGQ_ECSV, HGQ_ENOMEM.
 */
hgq_status hgq_rows_next(hgq_rows *rows, const hgq_row **row, hgq_error *err);

/** Releases the iterator. NULL is allowed. */
void hgq_rows_free(hgq_rows *rows);

/** Row callback: return nonzero to stop reading early (not an error). */
typedef int (*hgq_row_fn)(void *ud, const hgq_row *row);

/**
 * Reads every row of a sheet, calling `fn` for each. Stops early, returning
 * HGQ_OK, when fn returns nonzero.
 */
hgq_status hgq_workbook_read_sheet(hgq_workbook *wb, size_t sheet,
                                   hgq_row_fn fn, void *ud, hgq_error *err);

/* {====================================================================
 * Number formats
 * ===================================================================== */

/**
 * The format code of built-in number format `id` (0 is "General", 14 is
 * "mm-dd-yy", ...), or NULL when `id` is not built in. The East Asian ids
 * 27-36 and 50-58 give the codes Excel uses in zh-CN.
 */
const char *hgq_numfmt_builtin(unsigned id);

/**
 * 1 if number format `code` shows a date or time: it has d, m, y, h or s
 * outside quoted text, escapes and [...] sections (an elapsed-time [h],
 * [mm] or [ss] counts). "General" and number formats give 0.
 *
 *     hgq_numfmt_is_date("yyyy\"年\"m\"月\"d\"日\"")   // 1
 *     hgq_numfmt_is_date("[Red]#,##0.00")              // 0
 */
int hgq_numfmt_is_date(const char *code);

/* }==================================================================== */

#ifdef __cplusplus
}
#endif
#endif
