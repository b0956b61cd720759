/*
 * hgq/table.h - a table of typed values that remembers where each came from.
 *
 * Tables are the common currency of libhgq: an import produces a table of
 * records per entity, the statistics engine reads tables and produces tables
 * (group-bys, cross-tabs with margins), and the writer writes tables.
 *
 * A table has named, typed columns and any number of rows. Values are
 * hgq_value; text is copied into the table, so callers never keep it alive.
 * Every cell may carry an origin: the file, sheet and cell it was read from.
 * A table may also carry string metadata (title, unit, kind) as key/value
 * pairs.
 *
 * Columns can be added at any time; existing rows get NULL in them.
 */
#ifndef HGQ_TABLE_H
#define HGQ_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Where a value came from. `file`/`sheet` NULL when unknown. */
typedef struct hgq_origin {
    const char *file;   /**< input file path */
    const char *sheet;  /**< sheet name (the file's base name for CSV) */
    uint32_t row;       /**< 0-based row in the sheet (CSV: line - 1) */
    uint32_t col;       /**< 0-based column, or HGQ_WHOLE_ROW for a whole row */
} hgq_origin;

/** Column value of an origin that designates a whole row. */
#define HGQ_WHOLE_ROW UINT32_MAX

/** Writes an origin for people: "roster.xlsx 学生!B7" or "roster.xlsx 学生 第7行". */
size_t hgq_origin_format(const hgq_origin *o, char *buf, size_t size);

typedef struct hgq_table hgq_table;

/** New empty table named `name` (copied). NULL when out of memory. */
hgq_table *hgq_table_new(const char *name);

/** Releases the table and everything it owns. NULL is allowed. */
void hgq_table_free(hgq_table *t);

/** The table's name. */
const char *hgq_table_name(const hgq_table *t);

/** Number of columns. */
size_t hgq_table_ncols(const hgq_table *t);

/** Number of rows. */
size_t hgq_table_nrows(const hgq_table *t);

/**
 * Adds a column. `type` is the declared type (values of other types may still
 * be stored; HGQ_NULL declares no type). The new column's 0-based index goes
 * to *index when index is not NULL. Errors: HGQ_EARG (duplicate name), HGQ_ENOMEM.
 */
hgq_status hgq_table_add_column(hgq_table *t, const char *name, hgq_vtype type,
                                size_t *index, hgq_error *err);

/** Name of column `col`, or NULL if out of range. */
const char *hgq_table_column_name(const hgq_table *t, size_t col);

/** Declared type of column `col`. */
hgq_vtype hgq_table_column_type(const hgq_table *t, size_t col);

/** Index of the column named `name`, or -1. */
long hgq_table_find_column(const hgq_table *t, const char *name);

/** Appends a row of NULLs; its index goes to *row when not NULL. */
hgq_status hgq_table_append_row(hgq_table *t, size_t *row, hgq_error *err);

/**
 * Stores a value (text is copied). Errors: HGQ_EARG (row/col out of range),
 * HGQ_ENOMEM.
 */
hgq_status hgq_table_set(hgq_table *t, size_t row, size_t col,
                         const hgq_value *v, hgq_error *err);

/** The value at row/col; a NULL value (never a NULL pointer) if out of range. */
const hgq_value *hgq_table_get(const hgq_table *t, size_t row, size_t col);

/** The value at row in the column named `name`; a NULL value if none. */
const hgq_value *hgq_table_get_by_name(const hgq_table *t, size_t row,
                                       const char *name);

/**
 * Records where the value at table row/col came from; the origin's own row
 * and col are the sheet's. File and sheet names are copied into the table.
 */
hgq_status hgq_table_set_origin(hgq_table *t, size_t row, size_t col,
                                const hgq_origin *o, hgq_error *err);

/**
 * Records where a whole row came from (its source row). Cells without an
 * origin of their own report this one.
 */
hgq_status hgq_table_set_row_origin(hgq_table *t, size_t row,
                                    const hgq_origin *o, hgq_error *err);

/**
 * Origin of the value at row/col: its own, else its row's (with col set to
 * HGQ_WHOLE_ROW); fills *out and returns 1, or returns 0 if none is known.
 */
int hgq_table_origin(const hgq_table *t, size_t row, size_t col, hgq_origin *out);

/** Sets metadata `key` to `value` (both copied; NULL value removes the key). */
hgq_status hgq_table_set_meta(hgq_table *t, const char *key, const char *value,
                              hgq_error *err);

/** Metadata value for `key`, or NULL. */
const char *hgq_table_meta(const hgq_table *t, const char *key);

/**
 * Number of distinct values (missing not counted) in column `col` when the
 * table keeps it dictionary-encoded, or -1 when it does not. Every column is
 * encoded from the start and stays so, its codes updated by hgq_table_set,
 * until it holds more than 65535 distinct values or a text longer than 64
 * bytes. The statistics engine then tests each distinct value once instead
 * of each row; results are the same either way.
 */
long hgq_table_column_levels(const hgq_table *t, size_t col);

/** Copies a string into the table's storage; the copy lives as long as t. */
const char *hgq_table_intern(hgq_table *t, const char *s);

#ifdef __cplusplus
}
#endif
#endif
