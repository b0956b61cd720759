/*
 * hgq/indicator.h - the indicator catalogue: definitions as data, variants,
 * thresholds from editable files, evaluation on a dataset with history.
 *
 * An indicator (指标) is a definition, not code: an id, names, a unit, and
 * how it is computed, in one of a few kinds (count the records of an entity
 * that match conditions, sum a field, read a school fact, read a published
 * aggregate table, divide two other indicators ...). Where sources define an
 * indicator differently each definition is a named variant (就业率 A:
 * 就业÷毕业生, B 毕业去向落实率: (就业+升学)÷毕业生); one is the default and
 * the result says which was used. Several definitions with the same id and
 * variant are alternative sources tried in order: 在校生数 is counted from
 * the student roster, else read from 表6 (pub_aid).
 *
 * Thresholds come from CSV files shipped in <datadir>/data/thresholds (one
 * row per indicator and school type, with the standard it comes from) that
 * users may edit, replace or add to (a province's own file).
 *
 * Evaluating gives, for every indicator, its value with numerator and
 * denominator, the variant used, what input is missing when it cannot be
 * computed (never a silent 0), last year's value and the change when
 * history exists, and the judgement against its threshold.
 *
 *     hgq_catalogue *cat = hgq_catalogue_new();
 *     hgq_indicator_results *res;
 *     hgq_catalogue_load_thresholds(cat, "/usr/local/share/hgq/data/thresholds", &err);
 *     if (hgq_catalogue_evaluate(cat, ds, NULL, &res, &err) == HGQ_OK) {
 *         const hgq_indicator_result *r = hgq_indicator_results_find(res, "employment_rate");
 *         printf("%s %s (%s)\n", r->name_zh, r->text, r->variant_name);  // 就业率 70.21% (就业÷毕业生)
 *         hgq_indicator_results_free(res);
 *     }
 *     hgq_catalogue_free(cat);
 *
 * Definition mini-language (used by `where`, `num`, `den`):
 *  - where: conditions separated by ';', each FIELD OP VALUE with OP one of
 *    = != < <= > >=; VALUE may list alternatives with '|' (正高级|副高级),
 *    be NULL (missing), true/false, a number or text, or one of the period
 *    tokens $year (report year), $prev (year - 1), $grad_year (the graduate
 *    cohort: dataset property "grad_year", else the latest grad_year not
 *    after the report year). FIELD may be a column, "age_band" or "age"
 *    (computed at the reference date from birth_date, else id_number), or
 *    TABLE.FIELD to read a field of a related record: major.category from a
 *    student follows student.major to the major whose name matches;
 *    student.track from a graduate follows graduate.student_no.
 *  - num / den: a sum of indicator ids with optional factors and signs,
 *    e.g. "employed + progressing", "teachers + 0.5*part_time_teachers".
 */
#ifndef HGQ_INDICATOR_H
#define HGQ_INDICATOR_H

#include <stddef.h>

#include "dataset.h"
#include "error.h"
#include "schema.h"
#include "stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/** How an indicator definition is computed. */
typedef enum hgq_ind_kind {
    HGQ_IND_COUNT = 0,      /**< records of `entity` matching `where`; with `field`,
                                 the number of distinct values of that field */
    HGQ_IND_SUM = 1,        /**< sum of `field` over records of `entity` matching `where` */
    HGQ_IND_FIELD = 2,      /**< `field` of the first record of `entity` (the school) */
    HGQ_IND_AGGREGATE = 3,  /**< value in aggregate table `entity` selected by `where`
                                 (see hgq_aggregate_value) */
    HGQ_IND_RATIO = 4,      /**< (num) / (den) * scale over other indicators */
    HGQ_IND_EXPR = 5,       /**< (num) * scale over other indicators */
    HGQ_IND_FUNC = 6,       /**< computed by the C callback `fn` */
    HGQ_IND_PROVIDED = 7    /**< value given by the caller at evaluation time
                                 (hgq_eval_options.provided), e.g. by a Lua function */
} hgq_ind_kind;

/** How a value is written. */
typedef enum hgq_format {
    HGQ_FMT_NUMBER = 0,     /**< "62020平方米", "549人": `decimals` decimals, then the unit */
    HGQ_FMT_PERCENT = 1,    /**< "70.21%": the value is already in percent */
    HGQ_FMT_RATIO = 2,      /**< "20:1" (生师比): value to 1 */
    HGQ_FMT_RATIO_INV = 3   /**< "1:20" (师生比): 1 to value */
} hgq_format;

/** Name of a kind ("count", "sum", "field", "aggregate", "ratio", "expr", "func", "provided"). */
const char *hgq_ind_kind_name(hgq_ind_kind kind);

/** Parses a kind name. Returns 1 and *out, or 0. */
int hgq_ind_kind_parse(const char *name, hgq_ind_kind *out);

/** Name of a format ("number", "percent", "ratio", "ratio_inv"). */
const char *hgq_format_name(hgq_format fmt);

/** Parses a format name. Returns 1 and *out, or 0. */
int hgq_format_parse(const char *name, hgq_format *out);

/**
 * A computed value: a count or amount (num, has_den 0) or a ratio (num / den
 * * scale). `defined` 0 means missing, with `missing` naming the input
 * ("school.books", "student", "den=0").
 */
typedef struct hgq_ind_value {
    double value;           /**< the value; meaningful only when defined */
    double num;             /**< numerator (the value itself for counts) */
    double den;             /**< denominator when has_den */
    int has_den;            /**< 1 for ratios */
    int defined;            /**< 1 when the value exists */
    const char *missing;    /**< when not defined: the missing input (borrowed) */
} hgq_ind_value;

/** What an evaluation is about: a dataset at a year (the report year or an earlier one). */
typedef struct hgq_ind_context {
    const hgq_dataset *ds;  /**< the data */
    int year;               /**< the year being evaluated */
    double as_of;           /**< reference date of that year */
    int history;            /**< 1 when evaluating an earlier year on the current
                                 year's dataset (only "timed" definitions apply) */
} hgq_ind_context;

/**
 * Callback of HGQ_IND_FUNC: fills *out (text in `missing` must outlive the
 * call: use a string literal). Return HGQ_OK also when the value is
 * missing; an error status aborts the evaluation.
 */
typedef hgq_status (*hgq_ind_fn)(void *ud, const hgq_ind_context *ctx,
                                 hgq_ind_value *out, hgq_error *err);

/**
 * One definition of an indicator. Strings are copied by hgq_catalogue_add.
 * Fields a kind does not use are ignored.
 */
typedef struct hgq_indicator_def {
    const char *id;            /**< stable ASCII id, e.g. "employment_rate" */
    const char *variant;       /**< variant code ("A", "B"), "" or NULL for the only one */
    const char *variant_name;  /**< what the variant is, e.g. "毕业去向落实率" */
    const char *name_zh;       /**< Chinese name, e.g. "就业率" */
    const char *name_en;       /**< English name */
    const char *unit;          /**< 人, 个, 台, 册, 平方米, 万元, 元, %, 人次, "" for ratios */
    const char *group;         /**< section: 学生规模, 毕业生, 师资队伍, 办学条件, 学生资助,
                                    社会服务, 产教融合 */
    const char *definition;    /**< how it is computed, in Chinese, for people */
    hgq_ind_kind kind;
    const char *entity;        /**< table (COUNT, SUM, FIELD, AGGREGATE) */
    const char *field;         /**< column (SUM, FIELD, COUNT distinct) */
    const char *where;         /**< conditions (COUNT, SUM, AGGREGATE) */
    const char *num;           /**< numerator expression (RATIO, EXPR) */
    const char *den;           /**< denominator expression (RATIO) */
    double scale;              /**< multiplier (RATIO, EXPR); 0 means 1 */
    hgq_format format;         /**< how the value is written */
    int decimals;              /**< decimals written; -1: 0 for counts, else 2 */
    int timed;                 /**< 1 if evaluating at an earlier year on the same
                                    dataset gives that year's value (conditions
                                    on $year, year dimensions of 表5/表6); ratios,
                                    expressions and provided values always apply,
                                    their inputs deciding */
    hgq_ind_fn fn;             /**< callback (FUNC) */
    void *ud;                  /**< passed to fn */
} hgq_indicator_def;

/* {====================================================================
 * The catalogue
 * ===================================================================== */

typedef struct hgq_catalogue hgq_catalogue;

/**
 * New catalogue holding the built-in indicators (see hgq_catalogue_count;
 * the list is in the library's catalogue data) and no thresholds. NULL when
 * out of memory.
 */
hgq_catalogue *hgq_catalogue_new(void);

/** New catalogue with no indicators. NULL when out of memory. */
hgq_catalogue *hgq_catalogue_new_empty(void);

/** Releases the catalogue. NULL is allowed. */
void hgq_catalogue_free(hgq_catalogue *cat);

/**
 * Adds a definition (strings copied). A new id is appended to the list of
 * indicators; a known id gains a variant or, for an existing variant, an
 * alternative source tried after the earlier ones. Names, unit, group and
 * format not given are taken from the indicator's first definition.
 * Errors: HGQ_ESCHEMA (empty id, bad kind fields, malformed `where`, `num`
 * or `den`), HGQ_ENOMEM.
 */
hgq_status hgq_catalogue_add(hgq_catalogue *cat, const hgq_indicator_def *def,
                             hgq_error *err);

/** Number of indicators (distinct ids). */
size_t hgq_catalogue_count(const hgq_catalogue *cat);

/** Id of indicator `index` in catalogue order, or NULL. */
const char *hgq_catalogue_id(const hgq_catalogue *cat, size_t index);

/** Number of definitions (all variants and sources). */
size_t hgq_catalogue_def_count(const hgq_catalogue *cat);

/** Definition `index` in the order added, or NULL. Valid while cat lives. */
const hgq_indicator_def *hgq_catalogue_def(const hgq_catalogue *cat, size_t index);

/**
 * First definition of indicator `id` in variant `variant` (NULL: the
 * indicator's current default variant), or NULL.
 */
const hgq_indicator_def *hgq_catalogue_find(const hgq_catalogue *cat,
                                            const char *id, const char *variant);

/**
 * Makes `variant` the default of indicator `id`.
 * Errors: HGQ_ENOTFOUND (no such indicator or variant).
 */
hgq_status hgq_catalogue_set_variant(hgq_catalogue *cat, const char *id,
                                     const char *variant, hgq_error *err);

/** The default variant code of `id` ("" when it has one definition), or NULL if unknown. */
const char *hgq_catalogue_variant(const hgq_catalogue *cat, const char *id);

/* }==================================================================== */

/* {====================================================================
 * Thresholds
 * ===================================================================== */

/**
 * A threshold: indicator op value, for a school type (技工学校, 高级技工学校,
 * 技师学院; "*" or "" for every type), with the standard it comes from.
 */
typedef struct hgq_threshold {
    const char *indicator;     /**< indicator id */
    const char *school_type;   /**< school type or "*" */
    hgq_op op;                 /**< HGQ_OP_GE, HGQ_OP_LE, HGQ_OP_EQ, HGQ_OP_GT, HGQ_OP_LT */
    double value;              /**< threshold in `unit` */
    const char *unit;          /**< unit of value; converted to the indicator's with
                                    hgq_unit_convert (万元 <-> 元, 亩 <-> 平方米, m² =
                                    平方米); a per-student suffix (元/生, 平方米/人)
                                    is ignored */
    const char *source;        /**< the standard, e.g. 《技工院校设置标准（试行）》人社部发〔2012〕8号 */
    const char *notes;         /**< remarks, e.g. what could not be sourced */
    const char *file;          /**< file it was read from, NULL when added by code */
    long line;                 /**< line in that file */
} hgq_threshold;

/**
 * Adds a threshold (strings copied). A threshold for the same indicator and
 * school type replaces the earlier one, so a province's file loaded after
 * the shipped ones overrides them. Errors: HGQ_EARG (empty indicator, bad
 * operator), HGQ_ENOMEM.
 */
hgq_status hgq_catalogue_add_threshold(hgq_catalogue *cat, const hgq_threshold *th,
                                       hgq_error *err);

/**
 * Loads thresholds from a CSV file, or from every *.csv file of a directory
 * in name order. The first row is a header naming the columns (any order):
 * indicator, school_type, comparison, value, unit, source, notes (Chinese
 * headers 指标, 学校类型, 比较, 标准值, 单位, 依据, 备注 are accepted; other
 * columns such as name are ignored). Blank rows and rows whose first cell
 * starts with '#' are skipped.
 * Errors: HGQ_EIO, HGQ_ECSV, HGQ_EENCODING (from the reader), HGQ_ESCHEMA
 * (a required column missing, a bad comparison or value; err names the file
 * and line), HGQ_ENOMEM. On error nothing from the failing file is kept.
 */
hgq_status hgq_catalogue_load_thresholds(hgq_catalogue *cat, const char *path,
                                         hgq_error *err);

/**
 * Loads the shipped thresholds: <datadir>/thresholds, where `datadir` NULL
 * means the installed data directory (<prefix>/share/hgq/data).
 */
hgq_status hgq_catalogue_load_default_thresholds(hgq_catalogue *cat,
                                                 const char *datadir,
                                                 hgq_error *err);

/** Number of thresholds held. */
size_t hgq_catalogue_threshold_count(const hgq_catalogue *cat);

/** Threshold `index`, or NULL. */
const hgq_threshold *hgq_catalogue_threshold(const hgq_catalogue *cat, size_t index);

/**
 * The threshold applying to indicator `id` at a school of type
 * `school_type`: one for that exact type, else one for "*"; NULL if none.
 */
const hgq_threshold *hgq_catalogue_threshold_for(const hgq_catalogue *cat,
                                                 const char *id,
                                                 const char *school_type);

/** Outcome of judging a value against a threshold. */
typedef enum hgq_judgement {
    HGQ_JUDGE_NONE = 0,     /**< no threshold for this indicator and school type */
    HGQ_JUDGE_MET = 1,      /**< 达标 */
    HGQ_JUDGE_NOT_MET = 2,  /**< 未达标 */
    HGQ_JUDGE_UNKNOWN = 3   /**< a threshold exists but the value is missing, or its
                                 unit cannot be converted */
} hgq_judgement;

/** Chinese word for a judgement: "无标准", "达标", "未达标", "无法判断". */
const char *hgq_judgement_name(hgq_judgement j);

/**
 * Judges `value` (in `unit`) against `th`. *margin (when not NULL) gets
 * value - threshold in `unit`: positive is above the threshold. Returns
 * HGQ_JUDGE_UNKNOWN when the units cannot be converted.
 */
hgq_judgement hgq_threshold_judge(const hgq_threshold *th, double value,
                                  const char *unit, double *margin);

/* }==================================================================== */

/* {====================================================================
 * Evaluation
 * ===================================================================== */

/** A value given by the caller for an HGQ_IND_PROVIDED indicator. */
typedef struct hgq_provided {
    const char *id;          /**< indicator id */
    int history;             /**< 0: report year, 1: the previous year */
    hgq_ind_value value;     /**< the value (missing text borrowed) */
} hgq_provided;

/** Options of hgq_catalogue_evaluate_ex. Zero-initialise and set what you need. */
typedef struct hgq_eval_options {
    const hgq_dataset *history;      /**< last year's dataset, or NULL */
    const char *const *variants;     /**< pairs id, variant overriding the defaults */
    size_t nvariants;                /**< number of pairs */
    const char *school_type;         /**< overrides the dataset's school type */
    const hgq_provided *provided;    /**< values of PROVIDED indicators */
    size_t nprovided;
} hgq_eval_options;

/** One evaluated indicator. Strings are owned by the results object. */
typedef struct hgq_indicator_result {
    const char *id;            /**< indicator id */
    const char *name_zh;       /**< Chinese name */
    const char *name_en;       /**< English name */
    const char *unit;          /**< unit */
    const char *group;         /**< section */
    const char *variant;       /**< variant code used ("" if the only one) */
    const char *variant_name;  /**< its name, e.g. "毕业去向落实率" ("" if none) */
    const char *definition;    /**< definition used */
    const char *source;        /**< table the value came from ("student", "pub_aid") */
    int period;                /**< year the value refers to (the cohort for graduates) */
    double value;              /**< the value; meaningful only when defined */
    double num;                /**< numerator (= value for counts and amounts) */
    double den;                /**< denominator when has_den */
    int has_den;               /**< 1 for ratios */
    int defined;               /**< 1 when the value exists */
    const char *missing_input; /**< when not defined: the missing input, e.g.
                                    "school.books", "student", "den=0" */
    const char *note;          /**< Chinese explanation when not defined, else "" */
    int has_last;              /**< 1 when last year's value is known */
    int last_period;           /**< its year */
    double last_value;         /**< last year's value */
    const char *last_source;   /**< where it came from ("history", "pub_aid" ...) */
    double change;             /**< value - last_value (percentage points for %) */
    hgq_ratio growth;          /**< (value - last) / last in percent; growth.defined 0
                                    when last is 0 */
    int has_threshold;         /**< 1 when a threshold applies */
    hgq_op comparison;         /**< its operator */
    double threshold;          /**< its value, converted to the indicator's unit */
    const char *threshold_source; /**< the standard */
    const char *threshold_notes;  /**< its remarks */
    hgq_judgement judgement;   /**< met / not met / none / unknown */
    double margin;             /**< value - threshold in the indicator's unit */
    const char *text;          /**< the value written ("70.21%", "20:1", "549人");
                                    "—" when not defined */
    const char *threshold_text;/**< the threshold written ("≥800人"), "" if none */
} hgq_indicator_result;

typedef struct hgq_indicator_results hgq_indicator_results;

/**
 * Evaluates every indicator of `cat` on `ds` (report year and reference
 * date from the dataset; school type from the dataset property "type", else
 * the school table's `type`). `history` (may be NULL) is last year's
 * dataset; without it, or where it lacks a value, last year's values are
 * taken from timed definitions on `ds` itself (published 表5/表6 tables,
 * records carrying a year). The new results go to *out.
 * Errors: HGQ_ESCHEMA (an expression names an unknown indicator, a cycle),
 * HGQ_ENOMEM, or what a FUNC callback returns.
 */
hgq_status hgq_catalogue_evaluate(const hgq_catalogue *cat, const hgq_dataset *ds,
                                  const hgq_dataset *history,
                                  hgq_indicator_results **out, hgq_error *err);

/** As hgq_catalogue_evaluate, with options (opt may be NULL). */
hgq_status hgq_catalogue_evaluate_ex(const hgq_catalogue *cat, const hgq_dataset *ds,
                                     const hgq_eval_options *opt,
                                     hgq_indicator_results **out, hgq_error *err);

/** Releases results. NULL is allowed. */
void hgq_indicator_results_free(hgq_indicator_results *res);

/** Number of results (one per indicator, in catalogue order). */
size_t hgq_indicator_results_count(const hgq_indicator_results *res);

/** Result `index`, or NULL. */
const hgq_indicator_result *hgq_indicator_results_at(const hgq_indicator_results *res,
                                                     size_t index);

/** Result of indicator `id`, or NULL. */
const hgq_indicator_result *hgq_indicator_results_find(const hgq_indicator_results *res,
                                                       const char *id);

/** The school type the results were judged for ("" if unknown). */
const char *hgq_indicator_results_school_type(const hgq_indicator_results *res);

/**
 * The results as a table for the writer, one row per indicator, columns:
 * id, group, name_zh, name_en, unit, variant, variant_name, period, value,
 * num, den, text, missing_input, note, last_period, last_value, change,
 * growth, comparison, threshold, threshold_text, threshold_source,
 * threshold_notes, judgement, margin, source. Missing values are NULL. Metadata kind=indicators.
 */
hgq_status hgq_indicator_results_to_table(const hgq_indicator_results *res,
                                          const char *name, hgq_table **out,
                                          hgq_error *err);

/**
 * Writes a value the way indicator results are written: `decimals`
 * decimals (trailing zeros kept for percent, dropped for ratios), then the
 * unit for HGQ_FMT_NUMBER, '%' for percent, ":1" or "1:" for ratios.
 * Returns the length like snprintf.
 */
size_t hgq_format_value(double value, hgq_format fmt, int decimals,
                        const char *unit, char *buf, size_t size);

/* }==================================================================== */

#ifdef __cplusplus
}
#endif
#endif
