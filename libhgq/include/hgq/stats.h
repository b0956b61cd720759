/*
 * hgq/stats.h - the statistics engine: filters, group-bys, cross-tabulations
 * with margins, ages and age bands, rates that keep their numerator and
 * denominator, and year-over-year history.
 *
 * Every function reads hgq_tables and the ones that build something return
 * hgq_tables, so results can go straight to the writer. Nothing here changes
 * an input table.
 *
 * Missing is never 0: a rate whose denominator is 0, the mean of no values,
 * an empty cell of a mean cross-tab are all reported as "not defined" (a
 * flag, or a NULL value in a result table), never as 0 or NaN.
 *
 *     // 专任教师 by age band x title, 表3-style, with margins
 *     const char *bands[4096];   // one per staff row
 *     hgq_stats_age_bands(staff, NULL, NULL, as_of, bands, n, NULL, &err);
 *     hgq_cond teacher = { "post", HGQ_OP_EQ, hgq_text("专任教师") };
 *     hgq_filter f = { &teacher, 1 };
 *     size_t nb, nt;
 *     const char *const *band_order = hgq_stats_categories("age_band", &nb);
 *     const char *const *title_order = hgq_stats_categories("title", &nt);
 *     hgq_crosstab_spec spec = {
 *         .rows = { .field = "title", .order = title_order, .norder = nt },
 *         .cols = { .keys = bands, .nkeys = n, .name = "age_band",
 *                   .order = band_order, .norder = nb },
 *         .filter = &f };
 *     hgq_crosstab *ct;
 *     if (hgq_crosstab_compute(staff, &spec, &ct, &err) == HGQ_OK) {
 *         hgq_table *t;
 *         hgq_crosstab_to_long(ct, "teachers", &t, &err);   // NAMES.md long form
 *         hgq_crosstab_free(ct);
 *     }
 */
#ifndef HGQ_STATS_H
#define HGQ_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "table.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The margin label of a dimension, as in NAMES.md: "合计". */
#define HGQ_TOTAL_LABEL "合计"

/** The category label given to records whose category is missing: "未填写". */
#define HGQ_MISSING_LABEL "未填写"

/* {====================================================================
 * Rates and ratios
 * ===================================================================== */

/**
 * A rate with its inputs kept. `value` is num / den * scale when `defined`
 * is 1. When the denominator is 0 (or an input is not finite) `defined` is 0
 * and `value` is 0 and must not be shown: the rate is missing.
 */
typedef struct hgq_ratio {
    double num;     /**< numerator */
    double den;     /**< denominator */
    double value;   /**< num / den * scale; meaningful only when defined */
    int defined;    /**< 1 when den != 0 and the inputs are finite */
} hgq_ratio;

/**
 * Makes a ratio: hgq_ratio_of(132, 188, 100) is 70.21... (a percentage);
 * hgq_ratio_of(1, 0, 100) is not defined.
 */
hgq_ratio hgq_ratio_of(double num, double den, double scale);

/**
 * Growth rate in percent from `previous` to `current`:
 * (current - previous) / previous * 100, kept as a ratio whose numerator is
 * the change and denominator the previous value. Not defined when previous
 * is 0: hgq_ratio_growth(284, 203) is 39.90...
 */
hgq_ratio hgq_ratio_growth(double current, double previous);

/* }==================================================================== */

/* {====================================================================
 * Filters
 * ===================================================================== */

/** Comparison operators of filter conditions and thresholds. */
typedef enum hgq_op {
    HGQ_OP_EQ = 0,     /**< equal ("=", "==") */
    HGQ_OP_NE = 1,     /**< not equal ("!=", "≠"); a missing value is not equal to any value */
    HGQ_OP_LT = 2,     /**< "<" */
    HGQ_OP_LE = 3,     /**< "<=", "≤" */
    HGQ_OP_GT = 4,     /**< ">" */
    HGQ_OP_GE = 5,     /**< ">=", "≥" */
    HGQ_OP_IN = 6,     /**< equal to one of `alts` */
    HGQ_OP_NOT_IN = 7  /**< equal to none of `alts` (a missing value qualifies) */
} hgq_op;

/** ASCII symbol of an operator: "=", "!=", "<", "<=", ">", ">=", "in", "not in". */
const char *hgq_op_symbol(hgq_op op);

/**
 * Parses an operator: "=", "==", "!=", "<>", "≠", "<", "<=", "≤", ">", ">=",
 * "≥" (surrounding spaces allowed). Returns 1 and *op, or 0.
 */
int hgq_op_parse(const char *s, hgq_op *op);

/**
 * Tests `v op lit`. Numbers compare as numbers whatever their type (INT,
 * NUM, BOOL, DATE, and TEXT that is a plain number such as "2025"), other
 * text byte-wise. A NULL literal tests for missing: `v = NULL` holds when v
 * is missing, `v != NULL` when it is not. A missing v satisfies only "!="
 * against a non-NULL literal. For IN and NOT_IN pass the alternatives.
 */
int hgq_value_matches(const hgq_value *v, hgq_op op, const hgq_value *lit,
                      const hgq_value *alts, size_t nalts);

/**
 * One condition: field op value, e.g. { "post", HGQ_OP_EQ, hgq_text("专任教师") }.
 * For HGQ_OP_IN / HGQ_OP_NOT_IN the values are `alts[0..nalts)` and `value`
 * is ignored.
 */
typedef struct hgq_cond {
    const char *field;          /**< column name */
    hgq_op op;                  /**< comparison */
    hgq_value value;            /**< literal (text borrowed) */
    const hgq_value *alts;      /**< IN / NOT_IN alternatives */
    size_t nalts;               /**< number of alternatives */
} hgq_cond;

/** A row predicate for C callers: return nonzero to keep the row. */
typedef int (*hgq_row_pred)(void *ud, const hgq_table *t, size_t row);

/**
 * Which rows take part. A row is kept when every condition holds, its `keep`
 * byte is nonzero (when `keep` is given: one byte per table row, e.g. filled
 * by a Lua predicate beforehand) and `pred` returns nonzero (when given).
 * A NULL filter keeps every row.
 */
typedef struct hgq_filter {
    const hgq_cond *conds;        /**< conditions, all of which must hold */
    size_t nconds;                /**< number of conditions */
    const unsigned char *keep;    /**< per-row selection, NULL for all rows */
    size_t nkeep;                 /**< length of keep; must equal the table's row count */
    hgq_row_pred pred;            /**< extra predicate, or NULL */
    void *ud;                     /**< passed to pred */
} hgq_filter;

/**
 * 1 if row `row` of `t` passes filter `f` (NULL passes everything). Fields
 * not in the table read as missing; use hgq_filter_check to reject them.
 */
int hgq_filter_row(const hgq_table *t, const hgq_filter *f, size_t row);

/**
 * Checks that every field a filter names is a column of `t` and that a
 * `keep` selection has one byte per row. Errors: HGQ_ENOTFOUND, HGQ_EARG.
 */
hgq_status hgq_filter_check(const hgq_table *t, const hgq_filter *f, hgq_error *err);

/**
 * Counts the rows of `t` that pass `f` into *out.
 * Errors: as hgq_filter_check.
 */
hgq_status hgq_stats_count(const hgq_table *t, const hgq_filter *f, size_t *out,
                           hgq_error *err);

/* }==================================================================== */

/* {====================================================================
 * Summaries of one field
 * ===================================================================== */

/** Summary of a numeric field over the selected rows. */
typedef struct hgq_summary {
    size_t rows;          /**< rows selected by the filter */
    size_t n;             /**< of which have a numeric value in the field */
    size_t non_numeric;   /**< of which have a value that is not a number (text) */
    double sum;           /**< sum of the n values (0 when n is 0) */
    double mean;          /**< mean; meaningful only when n > 0 */
    double median;        /**< median (mean of the two middle values for even n); n > 0 */
    double min;           /**< smallest value; n > 0 */
    double max;           /**< largest value; n > 0 */
} hgq_summary;

/**
 * Summarises the numbers in column `field` of the rows of `t` passing `f`.
 * NULL values are left out of n; text values are counted in non_numeric.
 * Errors: HGQ_ENOTFOUND (no such field), HGQ_ENOMEM.
 */
hgq_status hgq_stats_summarize(const hgq_table *t, const char *field,
                               const hgq_filter *f, hgq_summary *out,
                               hgq_error *err);

/**
 * Median of n numbers (sorts `values` in place). For even n it is the mean of
 * the two middle values. Returns 1 and *out, or 0 when n is 0 (no median).
 */
int hgq_stats_median(double *values, size_t n, double *out);

/* }==================================================================== */

/* {====================================================================
 * Group-by
 * ===================================================================== */

/** Aggregate functions. */
typedef enum hgq_agg {
    HGQ_AGG_COUNT = 0,          /**< rows */
    HGQ_AGG_COUNT_DISTINCT = 1, /**< distinct non-missing values of the field */
    HGQ_AGG_SUM = 2,            /**< sum of the numeric values */
    HGQ_AGG_MEAN = 3,           /**< mean; undefined without values */
    HGQ_AGG_MEDIAN = 4,         /**< median; undefined without values */
    HGQ_AGG_MIN = 5,            /**< smallest; undefined without values */
    HGQ_AGG_MAX = 6             /**< largest; undefined without values */
} hgq_agg;

/** Name of an aggregate: "count", "count_distinct", "sum", "mean", "median", "min", "max". */
const char *hgq_agg_name(hgq_agg agg);

/** Parses an aggregate name (as hgq_agg_name gives; "avg" for mean). Returns 1 and *out, or 0. */
int hgq_agg_parse(const char *name, hgq_agg *out);

/**
 * One measure of a group-by. `field` is ignored for HGQ_AGG_COUNT. `name` is
 * the output column; NULL gives "count" or "<agg>_<field>" ("sum_amount").
 */
typedef struct hgq_measure {
    hgq_agg agg;
    const char *field;
    const char *name;
} hgq_measure;

/** What to group and measure. */
typedef struct hgq_group_spec {
    const char *const *by;        /**< grouping columns (none: one group of all rows) */
    size_t nby;
    const hgq_measure *measures;  /**< measures; none means one count named "count" */
    size_t nmeasures;
    const hgq_filter *filter;     /**< rows taking part, NULL for all */
    int share;                    /**< nonzero: add column "share", the first measure's
                                       value over its sum across groups (a fraction;
                                       NULL where that sum is 0 or the value undefined) */
    int total;                    /**< nonzero: append a 合计 row (every by column "合计")
                                       measured over all the selected rows */
} hgq_group_spec;

/**
 * Groups the rows of `t` passing the filter by the `by` columns, sorted by
 * their values (hgq_value_compare; missing first), and measures each group.
 * The result table (named "<t>_by_<by...>", columns: the by columns with
 * their original values, then the measures, then "share") is new in *out;
 * free it with hgq_table_free. Counts are HGQ_INT, other measures HGQ_NUM,
 * undefined measures NULL. Metadata: kind=group, dims=the by columns.
 * Errors: HGQ_ENOTFOUND (a column), HGQ_EARG, HGQ_ENOMEM.
 */
hgq_status hgq_stats_group(const hgq_table *t, const hgq_group_spec *spec,
                           hgq_table **out, hgq_error *err);

/* }==================================================================== */

/* {====================================================================
 * Cross-tabulation
 * ===================================================================== */

/** What to do with a category that is not in a dimension's order list. */
typedef enum hgq_unlisted {
    HGQ_UNLISTED_APPEND = 0,  /**< add it after the listed ones (sorted); missing
                                   values become HGQ_MISSING_LABEL, last */
    HGQ_UNLISTED_DROP = 1,    /**< leave those records out (counted in `dropped`) */
    HGQ_UNLISTED_ERROR = 2    /**< fail with HGQ_EDATA naming the record */
} hgq_unlisted;

/**
 * One dimension of a cross-tab. The category of a record is its `field`
 * value written as a label (see hgq_stats_label), or, when `keys` is given,
 * keys[row] (one per table row; NULL = missing), e.g. computed age bands.
 * Listed categories appear in `order`, each even when empty (a row of 0s).
 */
typedef struct hgq_dim {
    const char *field;           /**< column giving the category, or NULL when keys given */
    const char *const *keys;     /**< category per table row, or NULL */
    size_t nkeys;                /**< length of keys; must equal the row count */
    const char *name;            /**< dimension name in the output (default: field) */
    const char *const *order;    /**< categories in output order, or NULL */
    size_t norder;
    hgq_unlisted unlisted;       /**< categories not in order */
} hgq_dim;

/** A cross-tab request: rows x cols, counting or aggregating `field`. */
typedef struct hgq_crosstab_spec {
    hgq_dim rows;
    hgq_dim cols;
    hgq_agg agg;                 /**< HGQ_AGG_COUNT (0, the default), SUM, MEAN, ... */
    const char *field;           /**< aggregated column (not for COUNT) */
    const hgq_filter *filter;    /**< records taking part, NULL for all */
} hgq_crosstab_spec;

/**
 * A computed cross-tab. Cells are stored with their margins in a grid of
 * (nrows + 1) x (ncols + 1): row index nrows is the column margin (合计 of
 * each column), column index ncols the row margin, and [nrows][ncols] the
 * grand total. Margins are aggregated over the records themselves, so for
 * a mean they are means, not sums of means.
 */
typedef struct hgq_crosstab {
    size_t nrows, ncols;          /**< categories, margins excluded */
    const char *row_name;         /**< dimension names */
    const char *col_name;
    const char **row_labels;      /**< nrows labels in output order */
    const char **col_labels;      /**< ncols labels */
    hgq_agg agg;                  /**< what the cells hold */
    double *values;               /**< (nrows+1)*(ncols+1) cells, row-major */
    unsigned char *defined;       /**< 1 where the cell has a value */
    size_t records;               /**< records counted */
    size_t dropped;               /**< records left out (unlisted category, HGQ_UNLISTED_DROP) */
} hgq_crosstab;

/**
 * Cross-tabulates the rows of `t` passing the filter. The new cross-tab goes
 * to *out (free with hgq_crosstab_free). Empty COUNT and SUM cells are 0;
 * empty MEAN, MEDIAN, MIN, MAX cells are not defined.
 * Errors: HGQ_ENOTFOUND (a column), HGQ_EARG (bad spec), HGQ_EDATA (an
 * unlisted category under HGQ_UNLISTED_ERROR; err names the record's origin
 * when known), HGQ_ENOMEM.
 */
hgq_status hgq_crosstab_compute(const hgq_table *t, const hgq_crosstab_spec *spec,
                                hgq_crosstab **out, hgq_error *err);

/** Releases a cross-tab. NULL is allowed. */
void hgq_crosstab_free(hgq_crosstab *ct);

/**
 * Cell r, c (r == nrows or c == ncols for margins). Returns 1 and *v when
 * the cell is defined, 0 otherwise (also for indices out of range).
 */
int hgq_crosstab_get(const hgq_crosstab *ct, size_t r, size_t c, double *v);

/**
 * The cross-tab in the long form of NAMES.md: a text column per dimension
 * (row_name, col_name) and a column `value`, one row per cell in row-major
 * order, margins included with the label 合计 (the grand total has 合计 in
 * both). Undefined cells are NULL. Metadata: kind=aggregate,
 * dims="<row_name>,<col_name>". The new table goes to *out.
 */
hgq_status hgq_crosstab_to_long(const hgq_crosstab *ct, const char *name,
                                hgq_table **out, hgq_error *err);

/**
 * The cross-tab as printed: first column <row_name> holding the row labels
 * then 合计, then one column per column label and a last column 合计.
 * Metadata: kind=wide.
 */
hgq_status hgq_crosstab_to_wide(const hgq_crosstab *ct, const char *name,
                                hgq_table **out, hgq_error *err);

/* }==================================================================== */

/* {====================================================================
 * Ages and categories
 * ===================================================================== */

/**
 * Writes a value as a category label: text as is, integers in decimal, other
 * numbers with up to 6 significant digits, booleans 是/否, dates YYYY-MM-DD.
 * A missing value gives "" and returns 0; otherwise returns 1.
 */
int hgq_stats_label(const hgq_value *v, char *buf, size_t size);

/** Where a birth date was found. */
typedef enum hgq_birth_source {
    HGQ_BIRTH_NONE = 0,     /**< neither a birth date nor a usable ID number */
    HGQ_BIRTH_FIELD = 1,    /**< the birth date column */
    HGQ_BIRTH_IDCARD = 2    /**< digits 7-14 of the ID number */
} hgq_birth_source;

/**
 * Birth date of record `row`: the value of `birth_field` (a date, a serial,
 * or date text), else, when it is missing, the birth date in the ID number
 * in `id_field` when that is a valid ID number (hgq_norm_idcard finds no
 * problem). NULL field names mean "birth_date" and "id_number".
 */
hgq_birth_source hgq_stats_birth(const hgq_table *t, size_t row,
                                 const char *birth_field, const char *id_field,
                                 double *birth);

/**
 * Fills keys[0..nrows) with the age band (hgq_norm_age_band labels) of each
 * record at reference date `at`, or NULL where no birth date is known (their
 * number goes to *missing when not NULL). `nkeys` must be at least the row
 * count. The labels are static strings.
 * Errors: HGQ_EARG (keys too short).
 */
hgq_status hgq_stats_age_bands(const hgq_table *t, const char *birth_field,
                               const char *id_field, double at,
                               const char **keys, size_t nkeys, size_t *missing,
                               hgq_error *err);

/**
 * The fixed order of an enumeration, for cross-tabs that keep empty
 * categories: "age_band" (30岁以下 … 60岁以上), "title" (正高级, 副高级, 中级,
 * 初级, 未定职级), "education" (研究生, 本科, 专科, 高中及以下), "post",
 * "destination", "status", "gender", "award_level", "cert_level" (五级 …
 * 一级), "hardship". Returns NULL for an unknown name.
 */
const char *const *hgq_stats_categories(const char *name, size_t *count);

/* }==================================================================== */

/* {====================================================================
 * Aggregate tables and history
 * ===================================================================== */

/**
 * Reads a value from an aggregate table in the long form of NAMES.md (text
 * dimension columns, numeric column `value`, dimension names in metadata
 * `dims`, else every column but `value`). The conditions name dimensions;
 * a dimension not named must be the margin 合计. The values of all matching
 * rows are added up. When no row has 合计 in the unnamed dimensions (the
 * table has no margins), the matching rows whose unnamed dimensions are all
 * not 合计 are added instead.
 * *found is 1 when at least one row matched, 0 otherwise (*out is then 0
 * and must not be used). Errors: HGQ_ENOTFOUND (a condition names a column
 * that is not a dimension; no `value` column).
 */
hgq_status hgq_aggregate_value(const hgq_table *agg, const hgq_cond *conds,
                               size_t nconds, double *out, int *found,
                               hgq_error *err);

/**
 * A time series from an aggregate table: for each value of dimension
 * `time_dim` other than 合计, in increasing order (numerically when the
 * values are numbers), the value selected by `conds` as in
 * hgq_aggregate_value. The result table has columns period (text), value,
 * previous, change (value - previous), growth (percent, NULL when the
 * previous value is missing or 0) and cumulative (running sum). It is new in
 * *out. Errors: as hgq_aggregate_value.
 */
hgq_status hgq_stats_history(const hgq_table *agg, const char *time_dim,
                             const hgq_cond *conds, size_t nconds,
                             hgq_table **out, hgq_error *err);

/* }==================================================================== */

#ifdef __cplusplus
}
#endif
#endif
