/*
 * hgq/dataset.h - one school's data for one report year.
 *
 * A dataset holds the school's tables (one per entity: "student", "staff",
 * ..., and aggregate tables such as the published 表5), the report year and
 * reference date, the list of sources read with their row balance, and the
 * findings raised by import and validation.
 *
 * The dataset owns its tables and findings. Nothing in it is global: two
 * datasets in two threads never meet.
 */
#ifndef HGQ_DATASET_H
#define HGQ_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "table.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hgq_dataset hgq_dataset;

/** New empty dataset for report year `year` with reference date `as_of`
 *  (a serial; 0 means 31 December of `year`). NULL when out of memory. */
hgq_dataset *hgq_dataset_new(int year, double as_of);

/** Releases the dataset, its tables and findings. NULL is allowed. */
void hgq_dataset_free(hgq_dataset *ds);

/** Report year. */
int hgq_dataset_year(const hgq_dataset *ds);

/** Reference date (serial). */
double hgq_dataset_as_of(const hgq_dataset *ds);

/** Sets a dataset property such as "school", "type" (技工学校 ...), "province".
 *  Both strings are copied; NULL value removes. */
hgq_status hgq_dataset_set_property(hgq_dataset *ds, const char *key,
                                    const char *value, hgq_error *err);

/** A dataset property, or NULL. */
const char *hgq_dataset_property(const hgq_dataset *ds, const char *key);

/**
 * Adds table `t` under its name; the dataset takes ownership (also on
 * failure, when it frees t). Errors: HGQ_EARG when a table of that name exists.
 */
hgq_status hgq_dataset_add_table(hgq_dataset *ds, hgq_table *t, hgq_error *err);

/** The table named `name`, or NULL. */
hgq_table *hgq_dataset_table(const hgq_dataset *ds, const char *name);

/** Removes and frees the table named `name`; returns 1 if it existed. */
int hgq_dataset_drop_table(hgq_dataset *ds, const char *name);

/** Number of tables. */
size_t hgq_dataset_table_count(const hgq_dataset *ds);

/** Table `index` in insertion order, or NULL. */
hgq_table *hgq_dataset_table_at(const hgq_dataset *ds, size_t index);

/* {====================================================================
 * Sources: what was read, and the row balance of each import
 * ===================================================================== */

/** One imported sheet. rows_read == rows_accepted + rows_rejected + rows_skipped. */
typedef struct hgq_source {
    const char *file;        /**< input path */
    const char *sheet;       /**< sheet name */
    const char *entity;      /**< table it was imported into */
    size_t rows_read;        /**< data rows read (below the header, above totals/notes) */
    size_t rows_accepted;    /**< rows that became records */
    size_t rows_rejected;    /**< rows refused, each with a finding naming its row */
    size_t rows_skipped;     /**< totals rows, notes and blank rows recognised as such */
} hgq_source;

/** Records a source (strings copied). */
hgq_status hgq_dataset_add_source(hgq_dataset *ds, const hgq_source *src,
                                  hgq_error *err);

/** Number of sources. */
size_t hgq_dataset_source_count(const hgq_dataset *ds);

/** Source `index`, or NULL. */
const hgq_source *hgq_dataset_source(const hgq_dataset *ds, size_t index);

/* }==================================================================== */

/* {====================================================================
 * Findings: problems found in the inputs, for office staff
 * ===================================================================== */

typedef enum hgq_severity {
    HGQ_SEV_ERROR = 0,    /**< 错误: wrong data that changes the report */
    HGQ_SEV_WARNING = 1,  /**< 警告: probably wrong, worth checking */
    HGQ_SEV_NOTE = 2      /**< 提示: worth knowing */
} hgq_severity;

/** Chinese name of a severity: "错误", "警告", "提示". */
const char *hgq_severity_name(hgq_severity sev);

/** One finding. Strings are owned by the dataset. */
typedef struct hgq_finding {
    hgq_severity severity;
    const char *code;      /**< stable code, e.g. "id.checksum", "agg.margin" */
    const char *message;   /**< Chinese message for office staff */
    const char *entity;    /**< table concerned, or NULL */
    const char *field;     /**< field concerned, or NULL */
    hgq_origin where;      /**< location in the input (file NULL if none) */
    hgq_origin other;      /**< second location for two-sided findings (file NULL if none) */
} hgq_finding;

/**
 * Adds a finding. `where` and `other` may be NULL. The message is a
 * printf-style format; all strings are copied.
 */
hgq_status hgq_dataset_add_finding(hgq_dataset *ds, hgq_severity sev,
                                   const char *code, const char *entity,
                                   const char *field, const hgq_origin *where,
                                   const hgq_origin *other,
                                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 8, 9)))
#endif
    ;

/** Number of findings. */
size_t hgq_dataset_finding_count(const hgq_dataset *ds);

/** Finding `index` in the order added, or NULL. */
const hgq_finding *hgq_dataset_finding(const hgq_dataset *ds, size_t index);

/** Sorts findings by severity, then file, sheet, row and column. */
void hgq_dataset_sort_findings(hgq_dataset *ds);

/** Removes every finding whose code starts with `prefix` (NULL: all). */
void hgq_dataset_clear_findings(hgq_dataset *ds, const char *prefix);

/* }==================================================================== */

#ifdef __cplusplus
}
#endif
#endif
