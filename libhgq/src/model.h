/*
 * model.h - pieces shared by the model's source files (schema.c,
 * schemas_builtin.c, header.c, import.c, aggregate.c, validate.c).
 * Not installed.
 */
#ifndef HGQ_MODEL_H
#define HGQ_MODEL_H

#include "internal.h"
#include "hgq/schema.h"
#include "hgq/import.h"
#include "hgq/validate.h"

/* Longest key (header name, enumerated value) that can match anything. */
#define HGQ_KEY_MAX 256

/*
 * The matching key of a text: hgq_norm_collapse, then ASCII lower case.
 * Returns the length, or (size_t)-1 when it does not fit in `size`.
 */
size_t hgq_model_key(const char *s, size_t len, char *out, size_t size);

/*
 * Key variants of a header text for matching: the key itself, then the key
 * without '*' markers and a trailing colon, then also without a
 * parenthesised note ("金额（元）" -> "金额"). Fills up to 3 keys (each of
 * HGQ_KEY_MAX bytes) and returns how many differ. When the note is a unit
 * (元, 万元, m² ...) it is copied to `unit` (else unit is "").
 */
int hgq_model_header_keys(const char *s, size_t len, char keys[3][HGQ_KEY_MAX],
                          char *unit, size_t unit_size);

/* Adds the built-in entities of NAMES.md to a registry. */
hgq_status hgq_schemas_add_builtins(hgq_schemas *reg, hgq_error *err);

/* A cell written as people see it (numbers without trailing zeros, dates
 * as YYYY-MM-DD, booleans 是/否), at most size-1 bytes, UTF-8 safe. */
void hgq_model_cell_text(const hgq_cell *c, char *buf, size_t size);

/* A value written as people see it; "" for NULL. */
void hgq_model_value_text(const hgq_value *v, char *buf, size_t size);

/* "第7行" from an origin (1-based sheet row), or "第3条记录" (record+1)
 * when there is no origin. */
void hgq_model_row_label(const hgq_origin *o, size_t record, char *buf, size_t size);

/* 1 if the (collapsed) text names a margin: 合计, 总计, 小计, 共计 (also
 * with a suffix such as "合计：" or "总计（人）"). */
int hgq_model_is_total_label(const char *s, size_t len);

/* 1 if the text opens a footnote: 注：, 说明：, 填表人, 制表 ... */
int hgq_model_is_note_text(const char *s, size_t len);

/* Starts a summary: zeroes it, gives it storage, copies the names. */
hgq_status hgq_model_summary_begin(hgq_import_summary *sum, const char *file,
                                   const char *sheet, const char *entity, hgq_error *err);

/* The common start of the *_file imports: clears err, zeroes summary and
 * opens the workbook at path into *wb (the caller frees it). fn names the
 * public function in the error for a NULL path. */
hgq_status hgq_model_open_file(hgq_workbook **wb, const char *fn, const char *path,
                               const hgq_reader_options *ropt,
                               hgq_import_summary *summary, hgq_error *err);

/* 1 if the text is a dash or slash standing for nothing (-, —, /). */
int hgq_model_is_dash(const char *s, size_t len);

/* {====================================================================
 * A sheet held in memory for import (header.c)
 * ===================================================================== */

typedef struct hgq_sheet_row {
    uint32_t index;        /* 0-based sheet row */
    size_t ncells;
    hgq_cell *cells;       /* increasing columns; text in the sheet's arena */
} hgq_sheet_row;

typedef struct hgq_sheet {
    hgq_arena arena;
    const char *file;              /* workbook path (arena copy) */
    const char *name;              /* sheet name (arena copy) */
    size_t index;                  /* 0-based sheet index */
    hgq_sheet_row *rows;           /* rows with cells, by increasing index */
    size_t nrows, cap;
    const hgq_range *merges;       /* owned by the workbook */
    size_t nmerges;
    uint32_t maxcol;               /* largest column with a cell */
} hgq_sheet;

/* Reads sheet `index` of wb (at most `limit` rows when limit > 0), its
 * merged ranges included. Release with hgq_sheet_free. */
hgq_status hgq_sheet_load(hgq_sheet *sh, hgq_workbook *wb, size_t index, size_t limit,
                          hgq_error *err);
void hgq_sheet_free(hgq_sheet *sh);

/* Position in sh->rows of sheet row `row`, or -1. */
long hgq_sheet_find_row(const hgq_sheet *sh, uint32_t row);

/* The cell at sheet row/col, or NULL. */
const hgq_cell *hgq_sheet_cell(const hgq_sheet *sh, uint32_t row, uint32_t col);

/* The cell in column `col` among `n` cells in increasing column order, or NULL. */
const hgq_cell *hgq_cells_find(const hgq_cell *cells, size_t n, uint32_t col);

/* The merged range covering row/col, or NULL. */
const hgq_range *hgq_sheet_merge_at(const hgq_sheet *sh, uint32_t row, uint32_t col);

/* The cell at row/col, or, when that is empty and a merged range covers
 * it, the range's top-left cell. */
const hgq_cell *hgq_sheet_cell_filled(const hgq_sheet *sh, uint32_t row, uint32_t col);

/* 1 if a cell holds something (not EMPTY, not white space only). */
int hgq_cell_has_content(const hgq_cell *c);

/* Where a detected header is and what each column is called. */
typedef struct hgq_header {
    long row;              /* 0-based first header row, -1 if none */
    int nrows;             /* 0, 1 or 2 */
    uint32_t ncols;        /* columns 0 .. ncols-1 */
    char **names;          /* per column: "上/下", "上" or "" (arena) */
    char **top;            /* per column: upper text (arena), "" if none */
    char **bottom;         /* per column: lower text (arena), "" if none */
    char **units;          /* per column: unit in the header, "" if none */
    long *field;           /* per column: mapped field or -1 */
    int score;             /* fields named by the header */
} hgq_header;

/* Number of distinct fields of s named by the cells of sheet row `row`. */
int hgq_header_score_row(const hgq_schema *s, const hgq_sheet *sh, uint32_t row);

/* Finds the header of a sheet for schema s (or takes opt->header_row /
 * header_rows), names the columns and maps them to fields, the explicit
 * mapping first. Memory in sh's arena. */
hgq_status hgq_header_detect(const hgq_schema *s, hgq_sheet *sh,
                             const hgq_import_options *opt, hgq_header *h,
                             hgq_error *err);

/* }==================================================================== */

#endif
