/*
 * hgq/writer.h - writing the Excel workbooks office staff read.
 *
 * A writer is one .xlsx file being made. It holds sheets; a sheet holds
 * titled tables, single cells, formulas, highlights and charts. Everything
 * the report workbook shows goes through this one API, so a report sheet and
 * a sheet a script writes look alike: 宋体 11, a bold merged title, merged
 * multi-level headers, thin borders, named number formats, totals as live
 * SUM formulas whose cached values are already the right figures, column
 * widths that fit Chinese text, frozen headers and an A4 print setup with
 * page numbers.
 *
 * Regenerating is safe: the workbook is written to a temporary file beside
 * the target and renamed over it only when it is complete, so a failure at
 * any point leaves an earlier file at the target untouched. A target that is
 * one of the writer's registered input files is refused.
 *
 * Rows and columns are 0-based throughout the C API (A1 is row 0, column 0).
 * Text is UTF-8. Dates are hgq serials (see value.h).
 *
 *     hgq_writer *w;
 *     hgq_writer_sheet *sh;
 *     hgq_error err;
 *     hgq_table_layout t;
 *     const char *header[] = {"专业类别", "新生人数"};
 *     const char *formats[] = {"text", "integer"};
 *     hgq_value rows[] = {hgq_text("机械类"), hgq_int(180),
 *                         hgq_text("信息类"), hgq_int(126)};
 *
 *     if (hgq_writer_new(&w, "out/report.xlsx", NULL, &err)) return 1;
 *     hgq_writer_add_sheet(w, "表2", NULL, &sh, &err);
 *     hgq_table_layout_init(&t);
 *     t.title = "表2 新生情况统计表";
 *     t.ncols = 2; t.header_rows = 1; t.header = header; t.formats = formats;
 *     t.totals_row = "合计";                // B5 holds =SUM(B3:B4), showing 306
 *     hgq_writer_sheet_table(sh, &t, rows, 2, NULL, &err);
 *     if (hgq_writer_close(w, &err)) report(&err);   // commit
 *     hgq_writer_free(w);
 *
 * Named formats, accepted wherever a `format` string is:
 *   "text"     text (@)                "integer"  0
 *   "number"   0.00                    "percent"  0.00% (0.9627 shows 96.27%)
 *   "万元"     #,##0.00                "元"       #,##0.00
 *   "area"     #,##0.00 (m²)           "date"     yyyy-mm-dd
 *   "ratio"    text such as 20:1; a number n is written as "n:1"
 *   "idcard"   a personal ID number, masked (430412********123X) unless the
 *              writer was created with unmask_ids
 *   "bool"     a real TRUE/FALSE cell (by default booleans are written 是/否)
 *   "general"  Excel's General
 *   "code:…"   any Excel number format code after the prefix, e.g. "code:0.0"
 * NULL means: by the value (dates as dates, numbers as General, text as text).
 *
 * Errors: HGQ_EARG (bad argument, unknown format name, invalid sheet name,
 * target is an input file), HGQ_ESTATE (writer closed; in constant-memory
 * mode, a row above one already written), HGQ_EDATA (text too long for a
 * cell), HGQ_ENOMEM, HGQ_EWRITE (the file could not be written: the message
 * carries libxlsxwriter's or the system's reason and the path).
 */
#ifndef HGQ_WRITER_H
#define HGQ_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "value.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A workbook being written. */
typedef struct hgq_writer hgq_writer;

/** A sheet of a writer; owned by the writer, valid until hgq_writer_free. */
typedef struct hgq_writer_sheet hgq_writer_sheet;

/**
 * Position value meaning "choose for me": for a table, below what the sheet
 * already holds (one empty row between tables); for a chart, to the right of
 * the sheet's last table.
 */
#define HGQ_WRITER_NEXT UINT32_MAX

/** Row or column value of hgq_table_area fields that do not exist. */
#define HGQ_WRITER_NONE UINT32_MAX

/* {====================================================================
 * Writers
 * ===================================================================== */

/**
 * Writer options. Initialise with hgq_writer_options_init(); a NULL options
 * pointer means the defaults. Strings are copied by hgq_writer_new.
 */
typedef struct hgq_writer_options {
    int constant_memory;      /**< 1: stream rows to disk (hundreds of thousands of
                                   rows); rows must then be written in order */
    const char *tmpdir;       /**< directory for libxlsxwriter's own temporary files
                                   (NULL: the system's) */
    const char *title;        /**< document properties, NULL for none */
    const char *subject;
    const char *author;       /**< e.g. the school's name */
    const char *company;
    const char *keywords;
    const char *comments;
    int64_t created;          /**< creation time, seconds since 1970 UTC; 0: now */
    const char *const *inputs;/**< input files the target must not be */
    size_t ninputs;
    int unmask_ids;           /**< 1: write "idcard" columns unmasked (default 0) */
    const char *font_name;    /**< cell font, default "宋体" */
    double font_size;         /**< default 11 */
    int fail_before_rename;   /**< for tests: close writes the temporary file, then
                                   fails as if the rename failed (default 0) */
} hgq_writer_options;

/**
 * Fills `opt` with the defaults.
 *
 *     hgq_writer_options opt;
 *     hgq_writer_options_init(&opt);
 *     opt.author = "衡阳工业技工学校";
 *     opt.title = "2025年质量年度报告数据";
 */
void hgq_writer_options_init(hgq_writer_options *opt);

/**
 * Starts a workbook that hgq_writer_close will write to `path`. Nothing at
 * `path` is touched until then: an empty temporary file is created in the
 * same directory (".NAME.tmp-XXXXXX"), which proves the directory writable.
 * On success *out holds a writer to release with hgq_writer_free.
 * Errors: HGQ_EARG (path is one of opt->inputs, or a directory),
 * HGQ_EWRITE (the directory does not exist or is not writable), HGQ_ENOMEM.
 *
 *     hgq_writer *w;
 *     hgq_error err;
 *     if (hgq_writer_new(&w, "out/2025.xlsx", &opt, &err) != HGQ_OK)
 *         return fail(&err);
 */
hgq_status hgq_writer_new(hgq_writer **out, const char *path,
                          const hgq_writer_options *opt, hgq_error *err);

/**
 * Registers an input file: the writer refuses to replace it. Checked now and
 * again when closing (by device and inode, so links and other spellings of
 * the same file are caught). A path that does not exist is ignored.
 * Errors: HGQ_EARG (the target is that file), HGQ_ESTATE, HGQ_ENOMEM.
 *
 *     hgq_writer_add_input(w, "data/学生名册.xlsx", &err);
 */
hgq_status hgq_writer_add_input(hgq_writer *w, const char *path, hgq_error *err);

/**
 * Writes the workbook and renames it into place: the commit. Ends any table
 * still being streamed, sizes columns, sets up printing, writes the file to
 * the temporary path and renames it over the target. On failure the
 * temporary file is removed and an earlier file at the target is untouched.
 * Either way the writer is finished: later calls return HGQ_ESTATE; release
 * it with hgq_writer_free.
 * Errors: HGQ_EWRITE (with libxlsxwriter's reason and the path), HGQ_EARG
 * (the target is an input file), HGQ_ESTATE (already closed).
 *
 *     if (hgq_writer_close(w, &err) != HGQ_OK)
 *         fprintf(stderr, "%s\n", err.message);
 *     hgq_writer_free(w);
 */
hgq_status hgq_writer_close(hgq_writer *w, hgq_error *err);

/**
 * Releases the writer and its sheets. A writer not closed is abandoned:
 * nothing is written and its temporary file is removed. NULL is allowed.
 *
 *     hgq_writer_free(w);
 */
void hgq_writer_free(hgq_writer *w);

/**
 * The target path as given to hgq_writer_new.
 *
 *     printf("writing %s\n", hgq_writer_path(w));
 */
const char *hgq_writer_path(const hgq_writer *w);

/**
 * 1 if `name` is a format name this writer understands (see the list at the
 * top of this header), else 0.
 *
 *     if (!hgq_writer_format_valid("万元")) abort();
 */
int hgq_writer_format_valid(const char *name);

/* }==================================================================== */

/* {====================================================================
 * Sheets
 * ===================================================================== */

/** Page orientation of a sheet. */
typedef enum hgq_orientation {
    HGQ_ORIENT_AUTO = 0,      /**< landscape when the sheet is wide (> 8 columns or wide text) */
    HGQ_ORIENT_PORTRAIT = 1,
    HGQ_ORIENT_LANDSCAPE = 2
} hgq_orientation;

/** Sheet options. Initialise with hgq_sheet_options_init(); NULL means defaults. */
typedef struct hgq_sheet_options {
    hgq_orientation orientation; /**< default HGQ_ORIENT_AUTO */
    int freeze;         /**< 1 (default): when the sheet holds one table, freeze the
                             panes below its header and repeat the header rows on
                             every printed page; 0: neither */
    int print_setup;    /**< 1 (default): A4, fit to one page wide, footer
                             "第 N 页，共 M 页"; 0: Excel's defaults */
} hgq_sheet_options;

/**
 * Fills `opt` with the defaults.
 *
 *     hgq_sheet_options so;
 *     hgq_sheet_options_init(&so);
 *     so.orientation = HGQ_ORIENT_LANDSCAPE;
 */
void hgq_sheet_options_init(hgq_sheet_options *opt);

/**
 * Adds a sheet named `name` (at most 31 characters, none of []:*?/\, not
 * starting or ending with ', unique ignoring case). *out is owned by the
 * writer. Errors: HGQ_EARG (invalid or duplicate name, with the reason),
 * HGQ_ESTATE, HGQ_ENOMEM.
 *
 *     hgq_writer_sheet *sh;
 *     if (hgq_writer_add_sheet(w, "表3 专任教师", NULL, &sh, &err)) return fail(&err);
 */
hgq_status hgq_writer_add_sheet(hgq_writer *w, const char *name,
                                const hgq_sheet_options *opt,
                                hgq_writer_sheet **out, hgq_error *err);

/**
 * The sheet's name.
 *
 *     printf("%s\n", hgq_writer_sheet_name(sh));   // 表3 专任教师
 */
const char *hgq_writer_sheet_name(const hgq_writer_sheet *sh);

/**
 * The first row below everything written on the sheet so far (0 when the
 * sheet is empty).
 *
 *     uint32_t r = hgq_writer_sheet_next_row(sh);
 *     hgq_writer_sheet_write(sh, r + 1, 0, &note, NULL, &err);
 */
uint32_t hgq_writer_sheet_next_row(const hgq_writer_sheet *sh);

/**
 * Writes one value. `format` is a format name or NULL (by the value). In
 * constant-memory mode a row above the last one written is refused with
 * HGQ_ESTATE. Errors: HGQ_EARG (unknown format, position beyond XFD1048576),
 * HGQ_ESTATE, HGQ_EDATA (text over 32767 characters), HGQ_ENOMEM.
 *
 *     hgq_value v = hgq_num(625.46);
 *     hgq_writer_sheet_write(sh, 3, 1, &v, "万元", &err);    // B4: 625.46
 */
hgq_status hgq_writer_sheet_write(hgq_writer_sheet *sh, uint32_t row, uint32_t col,
                                  const hgq_value *v, const char *format,
                                  hgq_error *err);

/**
 * Writes a live formula whose cached result is `cached` (a number, date,
 * boolean or text; NULL or a null value for none). The file shows `cached`
 * until Excel recalculates, so it should be the formula's true result.
 *
 *     hgq_value c = hgq_num(0.7021);
 *     hgq_writer_sheet_write_formula(sh, 9, 4, "=C10/B10", &c, "percent", &err);
 */
hgq_status hgq_writer_sheet_write_formula(hgq_writer_sheet *sh, uint32_t row,
                                          uint32_t col, const char *formula,
                                          const hgq_value *cached,
                                          const char *format, hgq_error *err);

/**
 * Merges a range and writes `v` in it with a bordered body format of the
 * given name (centred). Errors as hgq_writer_sheet_write; HGQ_EARG for a
 * one-cell range.
 *
 *     hgq_range r = {0, 0, 0, 5};
 *     hgq_value t = hgq_text("说明：数据截至2025年8月31日");
 *     hgq_writer_sheet_merge(sh, &r, &t, "text", &err);
 */
hgq_status hgq_writer_sheet_merge(hgq_writer_sheet *sh, const hgq_range *range,
                                  const hgq_value *v, const char *format,
                                  hgq_error *err);

/**
 * Writes a note (a footnote such as "数据来源：…") in row `row`, merged
 * across the columns of the sheet's last table (without a table: across the
 * columns written so far), left-aligned and wrapped, without borders. Unlike
 * hgq_writer_sheet_write it never widens a column: the row grows to show the
 * text whole. HGQ_WRITER_NEXT writes it right under what the sheet holds.
 * The row used goes to *written when `written` is not NULL.
 * Errors: HGQ_EARG, HGQ_ESTATE (a table is open; the writer is closed),
 * HGQ_EDATA, HGQ_ENOMEM.
 *
 *     hgq_writer_sheet_table(sh, &t, rows, 3, &a, &err);
 *     hgq_writer_sheet_note(sh, HGQ_WRITER_NEXT, "数据来源：学生资助名册。", NULL, &err);
 */
hgq_status hgq_writer_sheet_note(hgq_writer_sheet *sh, uint32_t row, const char *text,
                                 uint32_t *written, hgq_error *err);

/**
 * Sets the width of column `col` (in characters, as Excel counts them),
 * overriding the fitted width; 0 restores fitting. Body text written into the
 * column afterwards that is wider than `width` wraps, and its row grows to
 * show it, so a long column can be kept narrow by fixing its width before
 * writing the table.
 *
 *     hgq_writer_sheet_set_width(sh, 1, 40.0, &err);   // column B
 */
hgq_status hgq_writer_sheet_set_width(hgq_writer_sheet *sh, uint32_t col,
                                      double width, hgq_error *err);

/* }==================================================================== */

/* {====================================================================
 * Tables
 * ===================================================================== */

/**
 * How a titled table is laid out. Initialise with hgq_table_layout_init().
 *
 * The header is a grid of header_rows × ncols texts, row-major. Unless
 * explicit merges are given, cells merge automatically:
 *  - a run of empty cells (NULL or "") after a cell in the same row joins it
 *    (never crossing the span of the header cell above), and so do adjacent
 *    cells repeating the same text: {"年份", "", ""} spans three columns;
 *  - a run whose span matches the cell above and which is empty or repeats
 *    its text joins it downwards: {"工种", ...} over {"", ...} spans two rows.
 * So 表5's header is {{"工种","等级","年份","",…,"","合计"},
 * {"","","2013","2014",…,"2025",""}}, and 表3's is
 * {{"","","合计","30岁以下","31-40岁","41-50岁","51-60岁"}}.
 */
typedef struct hgq_table_layout {
    const char *title;          /**< merged bold title row above the table, NULL: none */
    size_t ncols;               /**< body columns (a totals column is extra) */
    size_t header_rows;         /**< rows in `header` (0: no header) */
    const char *const *header;  /**< header_rows × ncols texts */
    const hgq_range *merges;    /**< explicit header merges, relative to the header grid
                                     (row 0 is the first header row); NULL: automatic */
    size_t nmerges;
    int no_auto_merge;          /**< 1: no automatic header merging */
    const char *const *formats; /**< ncols format names (entries may be NULL); NULL: by value */
    int label_cols;             /**< leading columns that are labels, never summed;
                                     -1 (default): the leading "text" columns, or without
                                     formats the leading columns holding text in the first row */
    int group_cols;             /**< leading columns whose repeated or empty (null or "")
                                     values are merged downwards into the cell above, e.g.
                                     职称 over 中级/初级 (default 0) */
    const char *totals_row;     /**< label of a totals row of SUM formulas, e.g. "合计",
                                     written across the label columns (not shown when
                                     there are none); NULL: no totals row. Summed:
                                     integer, number, 万元, 元, area columns, and
                                     unformatted columns holding only numbers */
    const char *totals_col;     /**< header of a totals column (a SUM across each row's
                                     summable columns), e.g. "合计"; NULL: none */
    uint32_t row, col;          /**< top-left cell; HGQ_WRITER_NEXT (default): below what
                                     the sheet holds, column A */
} hgq_table_layout;

/**
 * Fills `t` with the defaults: no title, no header, automatic merging and
 * label columns, no totals, placed at HGQ_WRITER_NEXT.
 *
 *     hgq_table_layout t;
 *     hgq_table_layout_init(&t);
 *     t.title = "表6 学生资助情况统计表";
 */
void hgq_table_layout_init(hgq_table_layout *t);

/**
 * Where a written table is, 0-based and inclusive. Fields that do not apply
 * are HGQ_WRITER_NONE. When the body is empty, body_rows is 0 and
 * body_last_row is body_first_row - 1.
 */
typedef struct hgq_table_area {
    uint32_t first_row, first_col, last_row, last_col;  /**< everything, title included */
    uint32_t title_row;
    uint32_t header_first_row, header_last_row;
    uint32_t body_first_row, body_last_row;
    size_t body_rows;
    uint32_t totals_row;        /**< the totals row */
    uint32_t totals_col;        /**< the totals column */
} hgq_table_area;

/**
 * Writes a whole table: title, header, `nrows` body rows of layout->ncols
 * values each (row-major in `rows`), totals. Where it landed goes to *area
 * when `area` is not NULL; pass it to charts and highlights.
 *
 *     const char *header[] = {"年份", "在校生数", "享受助学金学生总人数", "资助覆盖率"};
 *     const char *formats[] = {"text", "integer", "integer", "percent"};
 *     hgq_value rows[] = {
 *         hgq_text("2025"), hgq_int(1260), hgq_int(284), hgq_num(0.2254),
 *         hgq_text("2024"), hgq_int(1064), hgq_int(203), hgq_num(0.1908)};
 *     hgq_table_layout t;
 *     hgq_table_area a;
 *     hgq_table_layout_init(&t);
 *     t.title = "表6 学生资助情况统计表";
 *     t.ncols = 4; t.header_rows = 1; t.header = header; t.formats = formats;
 *     hgq_writer_sheet_table(sh, &t, rows, 2, &a, &err);
 */
hgq_status hgq_writer_sheet_table(hgq_writer_sheet *sh, const hgq_table_layout *t,
                                  const hgq_value *rows, size_t nrows,
                                  hgq_table_area *area, hgq_error *err);

/**
 * Starts a table whose body rows are streamed with hgq_writer_sheet_append_row
 * (the way to write large detail sheets in constant-memory mode). Writes the
 * title and header now; *area, when not NULL, gets the positions known so far
 * (body_first_row). A sheet has at most one table open at a time.
 * Errors: HGQ_EARG, HGQ_ESTATE (a table is already open), HGQ_ENOMEM.
 *
 *     hgq_writer_sheet_begin_table(sh, &t, NULL, &err);
 *     while (next_student(&rec))
 *         hgq_writer_sheet_append_row(sh, rec.values, 12, &err);
 *     hgq_writer_sheet_end_table(sh, &area, &err);
 */
hgq_status hgq_writer_sheet_begin_table(hgq_writer_sheet *sh,
                                        const hgq_table_layout *t,
                                        hgq_table_area *area, hgq_error *err);

/**
 * Appends one body row of `n` values to the open table, formatted by its
 * column formats (n must be the table's ncols). Without an open table, writes
 * the values plainly at the sheet's next row, from column A.
 *
 *     hgq_value row[3] = {hgq_text("2025001"), hgq_text("张三"), hgq_date(45901)};
 *     hgq_writer_sheet_append_row(sh, row, 3, &err);
 */
hgq_status hgq_writer_sheet_append_row(hgq_writer_sheet *sh, const hgq_value *values,
                                       size_t n, hgq_error *err);

/**
 * A cell given with an optional formula and format, for
 * hgq_writer_sheet_append_cells. Initialise every field (a zeroed cell is a
 * null value in one column, with the column's format).
 */
typedef struct hgq_writer_cell {
    hgq_value value;        /**< the value; for a formula, its cached result */
    const char *formula;    /**< NULL, or a formula such as "=C4/B4" */
    const char *format;     /**< NULL: the column's format */
    unsigned span;          /**< in a table: > 1 merges the cell with the next span-1
                                 cells of its row (whose values are ignored); 0 or 1:
                                 one cell */
} hgq_writer_cell;

/**
 * Like hgq_writer_sheet_append_row with per-cell formulas, formats and, in a
 * table, cells spanning several columns. A cell with a formula inside a table
 * keeps the table's borders and its column's format. Errors: as
 * hgq_writer_sheet_append_row; HGQ_EARG for a span running past the row.
 *
 *     hgq_writer_cell row[3] = {
 *         {hgq_text("2025"), NULL, NULL, 0},
 *         {hgq_int(1260), NULL, NULL, 0},
 *         {hgq_num(0.2254), "=C4/B4", "percent", 0}};
 *     hgq_writer_sheet_append_cells(sh, row, 3, &err);
 */
hgq_status hgq_writer_sheet_append_cells(hgq_writer_sheet *sh,
                                         const hgq_writer_cell *cells, size_t n,
                                         hgq_error *err);

/**
 * Ends the open table: closes merged groups, writes the totals row with SUM
 * formulas (cached values are the sums of what was written) and fills *area.
 * hgq_writer_close ends a table left open.
 *
 *     hgq_table_area a;
 *     hgq_writer_sheet_end_table(sh, &a, &err);
 *     printf("body rows %zu..\n", a.body_rows);
 */
hgq_status hgq_writer_sheet_end_table(hgq_writer_sheet *sh, hgq_table_area *area,
                                      hgq_error *err);

/**
 * Writes an hgq_table: one column per table column, one body row per table
 * row. `t` may be NULL or supply the title, formats, totals and position;
 * its ncols must be 0 or the table's column count. Headers come from t->header
 * when given, else from the table's metadata "label.<column>", else the
 * column names. The title defaults to the table's "title" metadata. Formats
 * default by the column's declared type (int: integer, number: number,
 * date: date, else by value), and a column named "id_number" is "idcard".
 *
 *     hgq_table_layout t;
 *     hgq_table_layout_init(&t);
 *     t.title = "学生名册";
 *     hgq_writer_sheet_write_table(sh, students, &t, NULL, &err);
 */
hgq_status hgq_writer_sheet_write_table(hgq_writer_sheet *sh, const hgq_table *table,
                                        const hgq_table_layout *t,
                                        hgq_table_area *area, hgq_error *err);

/** How margins (the 合计 cells) of a cross-tab are written. */
typedef enum hgq_margins {
    HGQ_MARGINS_FORMULA = 0,  /**< SUM formulas, cached as the sum of the cells they cover */
    HGQ_MARGINS_VALUES = 1    /**< the table's own 合计 values as plain numbers */
} hgq_margins;

/** Layout of a cross-tab. Initialise with hgq_crosstab_layout_init(). */
typedef struct hgq_crosstab_layout {
    const char *title;              /**< NULL: the table's "title" metadata */
    const char *const *row_dims;    /**< dimension columns down the side; NULL: every
                                         dimension of the "dims" metadata but the last (or,
                                         with col_dims given, every one not in col_dims).
                                         A non-NULL list with n_row_dims 0 means none: the
                                         cross-tab is then one body row under its header */
    size_t n_row_dims;
    const char *const *col_dims;    /**< dimension columns across the top (one header
                                         row each); NULL: the last dimension */
    size_t n_col_dims;
    const char *const *row_labels;  /**< header texts over the row dimensions; NULL: the
                                         metadata "label.<dim>", else the dim names */
    const char *value;              /**< value column, default "value" */
    const char *value_label;        /**< header of the value column when there are no column
                                         dimensions; default the "measure" metadata */
    const char *format;             /**< default "integer" when every value is whole, else "number" */
    const char *total;              /**< the margin value, default "合计" */
    const char *total_label;        /**< text of the grand-total row, default `total` */
    hgq_margins margins;            /**< default HGQ_MARGINS_FORMULA */
    int sort_rows, sort_cols;       /**< 1: order keys by value (margins last); 0 (default):
                                         in order of first appearance */
    int no_group;                   /**< 1: do not merge repeated row labels downwards */
    uint32_t row, col;              /**< top-left cell, default HGQ_WRITER_NEXT */
} hgq_crosstab_layout;

/**
 * Fills `x` with the defaults described in hgq_crosstab_layout.
 *
 *     hgq_crosstab_layout x;
 *     hgq_crosstab_layout_init(&x);
 *     x.sort_cols = 1;        // years in order, 合计 last
 */
void hgq_crosstab_layout_init(hgq_crosstab_layout *x);

/**
 * Writes an aggregate table in long form (dimension columns plus `value`,
 * margins as the dimension value 合计; see NAMES) as a grid: one row per
 * combination of row dimensions, one column per combination of column
 * dimensions under merged multi-level headers, repeated row labels merged.
 * Margin cells (any dimension at 合计) become SUM formulas over the cells
 * they cover, cached as their sum; combinations missing from the table are
 * left empty. Without row dimensions (col_dims naming every dimension, or
 * an empty row_dims) the grid is a single row, as 表2 prints it: 新生总数 |
 * 机械类… with the total a live SUM of the others. Errors: HGQ_ENOTFOUND (a
 * named column), HGQ_EARG, and those of hgq_writer_sheet_table.
 *
 *     // pub_certifications: dims trade, level, year -> 表5
 *     hgq_crosstab_layout x;
 *     const char *labels[] = {"工种", "等级"};
 *     hgq_crosstab_layout_init(&x);
 *     x.row_labels = labels;
 *     x.sort_cols = 1;
 *     x.total_label = "总计";
 *     hgq_writer_sheet_crosstab(sh, pub_certifications, &x, NULL, &err);
 */
hgq_status hgq_writer_sheet_crosstab(hgq_writer_sheet *sh, const hgq_table *table,
                                     const hgq_crosstab_layout *x,
                                     hgq_table_area *area, hgq_error *err);

/* }==================================================================== */

/* {====================================================================
 * Highlights and charts
 * ===================================================================== */

/**
 * A conditional fill. Either `formula`, a rule written for the range's
 * top-left cell (Excel shifts it over the range), or `equals`: the cells of
 * each row of the range are filled when that row's cell in `column` holds
 * exactly this text.
 */
typedef struct hgq_highlight {
    hgq_range range;          /**< cells that get the fill */
    const char *formula;      /**< e.g. "=$F4=\"否\"", or NULL */
    uint32_t column;          /**< with `equals`: the 0-based column tested */
    const char *equals;       /**< with `column`: the text that marks a row */
    uint32_t fill;            /**< 0xRRGGBB; 0: light red (FFC7CE) */
    uint32_t font_color;      /**< 0xRRGGBB; 0: dark red (9C0006) */
} hgq_highlight;

/**
 * Adds a conditional format. Errors: HGQ_EARG (neither or both of formula and
 * equals, a bad range), HGQ_ESTATE, HGQ_ENOMEM.
 *
 *     // mark the rows of not-met indicators (达标 in column F says 否)
 *     hgq_highlight h = {0};
 *     h.range = (hgq_range){a.body_first_row, a.first_col, a.body_last_row, a.last_col};
 *     h.column = 5;
 *     h.equals = "否";
 *     hgq_writer_sheet_highlight(sh, &h, &err);
 */
hgq_status hgq_writer_sheet_highlight(hgq_writer_sheet *sh, const hgq_highlight *h,
                                      hgq_error *err);

/** Chart kinds. */
typedef enum hgq_chart_type {
    HGQ_CHART_COLUMN = 1,
    HGQ_CHART_LINE = 2,
    HGQ_CHART_BAR = 3,
    HGQ_CHART_PIE = 4
} hgq_chart_type;

/** One data series of a chart. */
typedef struct hgq_chart_series {
    const char *name;     /**< legend text, NULL for none */
    const char *values;   /**< range text: "C4:C9" on the chart's sheet, or "表6!C4:C9" */
} hgq_chart_series;

/** A chart over cells already written. Initialise with hgq_chart_spec_init(). */
typedef struct hgq_chart_spec {
    hgq_chart_type type;              /**< default HGQ_CHART_COLUMN */
    const char *title;                /**< NULL: none */
    const char *categories;           /**< range text of the category labels, or NULL */
    const hgq_chart_series *series;
    size_t nseries;
    const char *x_title, *y_title;    /**< axis titles, NULL: none */
    uint32_t row, col;                /**< top-left cell; HGQ_WRITER_NEXT (default): right of
                                           the sheet's last table, at its first row */
    uint32_t width, height;           /**< pixels; 0: 480 × 288 */
} hgq_chart_spec;

/**
 * Fills `c` with the defaults.
 *
 *     hgq_chart_spec c;
 *     hgq_chart_spec_init(&c);
 *     c.type = HGQ_CHART_LINE;
 */
void hgq_chart_spec_init(hgq_chart_spec *c);

/**
 * Inserts a chart. Ranges are checked when the chart is added.
 * Errors: HGQ_EARG (bad type or range text, no series), HGQ_ESTATE, HGQ_ENOMEM.
 *
 *     hgq_chart_series s[] = {{"在校生数", "B4:B6"}, {"享受助学金学生总人数", "E4:E6"}};
 *     hgq_chart_spec c;
 *     hgq_chart_spec_init(&c);
 *     c.type = HGQ_CHART_LINE;
 *     c.title = "学生资助情况";
 *     c.categories = "A4:A6";
 *     c.series = s; c.nseries = 2;
 *     hgq_writer_sheet_chart(sh, &c, &err);
 */
hgq_status hgq_writer_sheet_chart(hgq_writer_sheet *sh, const hgq_chart_spec *c,
                                  hgq_error *err);

/* }==================================================================== */

#ifdef __cplusplus
}
#endif
#endif
