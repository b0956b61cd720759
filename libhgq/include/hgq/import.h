/*
 * hgq/import.h - importing office spreadsheets into a dataset.
 *
 * Record import (hgq_import) reads one sheet of a roster into the dataset's
 * table of an entity, following the entity's schema:
 *
 *  - the header row is found below any title and note rows (the row whose
 *    cells name the most fields); a two-row header with merged parent cells
 *    is joined ("联系方式/电话");
 *  - each column is mapped to a field by its header names, or by an
 *    explicit mapping (field -> column letters or header text); columns
 *    left over are reported (finding "import.unmapped", 提示) and so are
 *    required fields without a column ("import.missing_field", 错误: one
 *    finding for the sheet; its rows are still imported, with the field
 *    NULL);
 *  - data stops at footnotes ("注：...", "填表人") and trailing blank rows;
 *    totals rows (合计/总计/小计) are recognised, not imported, and checked
 *    against the sum of the numbers above them ("import.total");
 *  - every value is normalised for its field (see hgq_schema_parse); a bad
 *    value in an optional field becomes NULL with a warning naming the cell,
 *    a missing or bad required value refuses the row ("import.rejected",
 *    naming the row and every reason);
 *  - records are appended to the table named by the entity (created with
 *    the schema's columns when missing), each value with its origin;
 *  - the row balance is kept: rows read = accepted + rejected + skipped
 *    (blank, totals and note rows), filled in the summary and recorded with
 *    hgq_dataset_add_source.
 *
 * Aggregate import (hgq_import_aggregate) reads a published cross-tab with
 * its margins (the report's 表3, 表5, 表6) into a long-form table: one text
 * column per dimension and a numeric column "value", the margin of a
 * dimension being the value "合计", each value with its origin.
 *
 * Record import streams the sheet: only its first rows (scan_rows + 1, for
 * finding the header; with header_row set, also that row and the one below)
 * are held, and below the header a few rows that may turn out to be
 * footnotes (a lone sentence is a footnote only when nothing but blank rows
 * and footnotes follows it; a run of more than 256 such rows is data).
 * Every other row is imported as it is read, so memory grows with the
 * records stored, not with the sheet. Rows are taken in file order. A sheet
 * found damaged partway through fails with the reader's error after the
 * rows above the damage were imported (the summary counts them; no source
 * is recorded). Aggregate import holds its (small) sheet whole. The
 * workbook is only read.
 *
 *     hgq_import_summary sum;
 *     if (hgq_import_file(ds, reg, "学生名册.xlsx", "student", NULL, NULL, &sum, &err) == HGQ_OK) {
 *         printf("%zu read, %zu accepted, %zu rejected, %zu skipped\n", sum.rows_read,
 *                sum.rows_accepted, sum.rows_rejected, sum.rows_skipped);
 *         hgq_import_summary_free(&sum);
 *     }
 */
#ifndef HGQ_IMPORT_H
#define HGQ_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "error.h"
#include "reader.h"
#include "schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One explicit mapping entry: field id -> column. */
typedef struct hgq_import_map {
    const char *field;   /**< field id, e.g. "id_number" */
    const char *column;  /**< column letters ("C") or the column's header text ("证件号") */
} hgq_import_map;

/** Import options. Initialise with hgq_import_options_init. */
typedef struct hgq_import_options {
    const char *sheet;              /**< sheet name; NULL: see sheet_index */
    long sheet_index;               /**< 0-based sheet; -1 (default): the visible sheet whose
                                         header names the most fields */
    long header_row;                /**< 0-based (first) header row; -1 (default): detect */
    int header_rows;                /**< rows in the header, 1 or 2; 0 (default): detect */
    const hgq_import_map *mapping;  /**< explicit mapping, or NULL */
    size_t nmapping;                /**< entries in mapping */
    int check_totals;               /**< check totals rows against the sums above (default 1) */
    unsigned scan_rows;             /**< rows searched for the header (default 30) */
} hgq_import_options;

/** Fills `opt` with the defaults. */
void hgq_import_options_init(hgq_import_options *opt);

/** A column of the imported sheet. */
typedef struct hgq_import_column {
    uint32_t col;         /**< 0-based sheet column */
    const char *header;   /**< header text as printed (a two-row header as "上/下"), "" if none */
    const char *field;    /**< field (or, for aggregates, dimension) it feeds, NULL if unmapped */
    const char *unit;     /**< unit given in the header ("金额（元）" -> "元"), NULL if none */
} hgq_import_column;

/**
 * What an import did. Filled by hgq_import / hgq_import_aggregate (also
 * when they fail after reading started, as far as they got); release with
 * hgq_import_summary_free. rows_read == rows_accepted + rows_rejected +
 * rows_skipped always holds; rows_skipped == rows_blank + rows_totals +
 * rows_notes.
 */
typedef struct hgq_import_summary {
    const char *file;            /**< input path */
    const char *sheet;           /**< sheet name */
    const char *entity;          /**< entity (or aggregate table) imported into */
    long header_row;             /**< 0-based first header row, -1 if none */
    int header_rows;             /**< rows in the header (0, 1 or 2) */
    size_t rows_read;            /**< rows read below the header */
    size_t rows_accepted;        /**< rows that became records (aggregate: data rows) */
    size_t rows_rejected;        /**< rows refused, each with an "import.rejected" finding */
    size_t rows_skipped;         /**< blank + totals + note rows */
    size_t rows_blank;           /**< rows with nothing in the mapped columns */
    size_t rows_totals;          /**< 合计/总计/小计 rows */
    size_t rows_notes;           /**< footnotes (注：..., 填表人 ...) */
    size_t first_record;         /**< index in the table of the first record appended */
    size_t cells;                /**< aggregate: values stored (long-form rows) */
    size_t ncolumns;             /**< columns under the header */
    hgq_import_column *columns;  /**< those columns, in sheet order */
    size_t nunmapped;            /**< columns with a header but no field */
    size_t nmissing;             /**< required fields without a column */
    const char **missing;        /**< their ids */
    void *storage_;              /**< private */
} hgq_import_summary;

/** Releases what a summary holds and zeroes it. NULL is allowed. */
void hgq_import_summary_free(hgq_import_summary *sum);

/**
 * Imports one sheet of `wb` as records of `entity` into `ds`, following the
 * schema of `entity` in `reg`. `opt` may be NULL (defaults); `summary` may
 * be NULL. Findings about the data (bad values, rejected rows, totals that
 * do not add up, unmapped columns) are added to the dataset; the call fails
 * only when the sheet cannot be imported at all.
 * Errors: HGQ_ENOTFOUND (no such entity, sheet, or mapped header text),
 * HGQ_ESCHEMA (no header row found, or a mapping naming an unknown field or
 * a bad column), reader errors (HGQ_EZIP, HGQ_EXML ...), HGQ_ENOMEM.
 *
 *     hgq_import_map map[] = {{"id_number", "D"}, {"major", "所学专业（全称）"}};
 *     hgq_import_options o;
 *     hgq_import_options_init(&o);
 *     o.mapping = map;
 *     o.nmapping = 2;
 *     st = hgq_import(ds, reg, wb, "student", &o, &sum, &err);
 */
hgq_status hgq_import(hgq_dataset *ds, const hgq_schemas *reg, hgq_workbook *wb,
                      const char *entity, const hgq_import_options *opt,
                      hgq_import_summary *summary, hgq_error *err);

/**
 * Opens `path` (reader options `ropt`, may be NULL), imports it as
 * hgq_import does, and closes it.
 */
hgq_status hgq_import_file(hgq_dataset *ds, const hgq_schemas *reg, const char *path,
                           const char *entity, const hgq_import_options *opt,
                           const hgq_reader_options *ropt,
                           hgq_import_summary *summary, hgq_error *err);

/**
 * The dataset's table of records of schema `s` (named by its entity),
 * created with a column per field (stored types, metadata kind=records,
 * entity, title) when missing; columns of fields added to the schema since
 * are added. For callers adding records themselves. Errors: HGQ_EARG (a
 * table of that name exists with another kind), HGQ_ENOMEM.
 */
hgq_status hgq_entity_table(hgq_dataset *ds, const hgq_schema *s, hgq_table **out,
                            hgq_error *err);

/* {====================================================================
 * Aggregate (published) tables
 * ===================================================================== */

/** Number of row or column dimensions an aggregate spec may have. */
#define HGQ_AGG_MAX_DIMS 4

/** One dimension of a published cross-tab. */
typedef struct hgq_agg_dim {
    const char *name;    /**< dimension column in the long-form table, e.g. "trade" */
    long index;          /**< row dims: 0-based sheet column holding its values;
                              column dims: 0-based sheet row holding them; -1: in order
                              from the first used column / the header row found */
    const char *values;  /**< value mapping "printed=stored|...", e.g. "新生总数=合计", or NULL */
} hgq_agg_dim;

/**
 * How a cross-tab is laid out. Row dimensions take their values from
 * columns at the left (a label merged down several rows, or left blank
 * under the first one, fills the rows below it; a blank label right of a
 * margin label such as 总计 repeats it); column dimensions from header rows
 * (a header merged across columns fills them). Initialise with
 * hgq_agg_spec_init.
 */
typedef struct hgq_agg_spec {
    const char *sheet;          /**< sheet name, NULL: sheet_index */
    long sheet_index;           /**< 0-based sheet, default 0 */
    const char *title;          /**< table title (metadata "title"); NULL: the title row above */
    const char *measure;        /**< what the values count (metadata "measure"), e.g. "人" */
    size_t nrow_dims;           /**< row dimensions (0 .. HGQ_AGG_MAX_DIMS) */
    hgq_agg_dim row_dims[HGQ_AGG_MAX_DIMS];
    size_t ncol_dims;           /**< column dimensions (1 .. HGQ_AGG_MAX_DIMS) */
    hgq_agg_dim col_dims[HGQ_AGG_MAX_DIMS];
    long first_data_row;        /**< 0-based; -1 (default): the row below the last header row */
    long first_data_col;        /**< 0-based; -1 (default): right of the last row-dimension column */
    const char *margins;        /**< printed labels stored as "合计", '|'-separated;
                                     NULL (default): "合计|总计" */
    const char *breakdown;      /**< a dimension listing alternative breakdowns of one
                                     population (表3's group), or NULL */
    const char *breakdown_total;/**< its value for the whole population (e.g. "总计") */
} hgq_agg_spec;

/** Fills `spec` with the defaults (no dimensions). */
void hgq_agg_spec_init(hgq_agg_spec *spec);

/**
 * Imports a published cross-tab from `wb` as the long-form table `name` of
 * `ds` (which must not exist yet): one HGQ_TEXT column per dimension (row
 * dimensions first, then column dimensions) and an HGQ_NUM column "value",
 * a value per data cell (blank or dash cells give NULL), each with its
 * origin. Metadata: kind=aggregate, dims, title, measure, and breakdown /
 * breakdown_total when given. Numbers written as text are read as numbers;
 * other text in the value area becomes NULL with a warning ("agg.value").
 * A row with labels but no values (a heading such as "职称" on a line of
 * its own) counts as blank, its labels holding for the rows below; a row
 * with values but a missing label is refused ("import.rejected").
 * Footnotes and blank rows below the table are skipped. The summary counts
 * rows as for records (accepted = data rows, including totals rows, which
 * are the table's margins) and `cells`.
 * Errors: HGQ_EARG (bad spec, table exists), HGQ_ENOTFOUND (sheet),
 * HGQ_ESCHEMA (no data found), reader errors, HGQ_ENOMEM.
 *
 *     hgq_agg_spec sp;
 *     hgq_agg_spec_init(&sp);
 *     sp.nrow_dims = 2;
 *     sp.row_dims[0] = (hgq_agg_dim){"trade", -1, NULL};
 *     sp.row_dims[1] = (hgq_agg_dim){"level", -1, NULL};
 *     sp.ncol_dims = 1;
 *     sp.col_dims[0] = (hgq_agg_dim){"year", -1, NULL};
 *     hgq_import_aggregate(ds, wb, "pub_certifications", &sp, &sum, &err);
 */
hgq_status hgq_import_aggregate(hgq_dataset *ds, hgq_workbook *wb, const char *name,
                                const hgq_agg_spec *spec, hgq_import_summary *summary,
                                hgq_error *err);

/** Opens `path`, imports it as hgq_import_aggregate does, and closes it. */
hgq_status hgq_import_aggregate_file(hgq_dataset *ds, const char *path, const char *name,
                                     const hgq_agg_spec *spec,
                                     const hgq_reader_options *ropt,
                                     hgq_import_summary *summary, hgq_error *err);

/* }==================================================================== */

#ifdef __cplusplus
}
#endif
#endif
