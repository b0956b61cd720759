/*
 * hgq/validate.h - checking a dataset: findings for office staff.
 *
 * hgq_validate walks the dataset's tables and adds a finding (severity,
 * stable code, Chinese message, location) for every problem it sees:
 *
 *   record tables (named by an entity of the registry)
 *     field.required   错误  a required value is missing
 *     field.range      错误  a number, integer or date outside the field's range
 *                            (or a date after the reference date)
 *     field.enum       错误  a value that is not one of the enumeration's values
 *     field.type       错误  a value of the wrong type (records added by a program)
 *     id.length, id.chars, id.birth, id.checksum
 *                      错误  a bad resident ID number (GB 11643, ISO 7064 MOD 11-2)
 *     id.birth_mismatch, id.gender_mismatch
 *                      错误  the roster's birth date or gender contradicts the ID number
 *     unique.<field>   错误  two records share a unique value (both rows named)
 *     ref.<field>      警告  a value not found where the field refers to (a student's
 *                            major not among the majors, a graduate not among the students)
 *   aggregate tables (metadata kind=aggregate, dims=...)
 *     agg.margin       错误  a margin (合计) differs from the sum of its parts
 *     agg.breakdown    错误  two breakdowns of one population disagree on a total
 *
 * Running it again replaces the findings of the previous run (the codes
 * above); findings of imports and comparisons are kept.
 *
 * hgq_compare_aggregates compares a published aggregate table with one
 * computed from records, cell by cell ("cmp.value", "cmp.only_published",
 * "cmp.only_computed"), each finding naming both sides.
 */
#ifndef HGQ_VALIDATE_H
#define HGQ_VALIDATE_H

#include <stddef.h>

#include "dataset.h"
#include "error.h"
#include "schema.h"
#include "table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Groups of checks, as bits of hgq_validate_options.checks. */
enum {
    HGQ_CHECK_FIELDS = 1 << 0,      /**< required, range, enumeration, type */
    HGQ_CHECK_IDS = 1 << 1,         /**< ID numbers and their agreement with birth date, gender */
    HGQ_CHECK_UNIQUE = 1 << 2,      /**< unique fields */
    HGQ_CHECK_REFS = 1 << 3,        /**< references between entities */
    HGQ_CHECK_AGGREGATES = 1 << 4,  /**< margins and breakdowns of aggregate tables */
    HGQ_CHECK_ALL = 0x1f
};

/** Validation options. Initialise with hgq_validate_options_init. */
typedef struct hgq_validate_options {
    unsigned checks;     /**< HGQ_CHECK_* bits (default HGQ_CHECK_ALL) */
    double tolerance;    /**< largest difference of sums taken as equal (default 1e-6) */
} hgq_validate_options;

/** Fills `opt` with the defaults. */
void hgq_validate_options_init(hgq_validate_options *opt);

/**
 * Validates every table of `ds` against the schemas of `reg` (record tables
 * are those named by an entity of `reg`) and checks its aggregate tables.
 * Findings of an earlier validation are removed first. The number of
 * findings added goes to *added when not NULL. `opt` may be NULL.
 * Errors: HGQ_ENOMEM.
 *
 *     size_t n;
 *     hgq_validate(ds, reg, NULL, &n, &err);
 *     for (size_t i = 0; i < hgq_dataset_finding_count(ds); i++)
 *         show(hgq_dataset_finding(ds, i));
 */
hgq_status hgq_validate(hgq_dataset *ds, const hgq_schemas *reg,
                        const hgq_validate_options *opt, size_t *added,
                        hgq_error *err);

/**
 * Checks one aggregate table (long form: the dimension columns named by its
 * "dims" metadata or by `dims`, a comma-separated list, and a numeric
 * column "value") and adds findings to `ds`:
 *  - agg.margin: every cell with "合计" in some dimensions equals the sum of
 *    the cells that have a part (not 合计) in those dimensions and the same
 *    values in the others;
 *  - agg.breakdown: when the table's metadata names a "breakdown" dimension
 *    and its "breakdown_total" value, each breakdown (each other value of
 *    that dimension), summed over the dimension that follows it, equals the
 *    total row for every combination of the remaining dimensions.
 * `tolerance` as in hgq_validate_options. The number of findings added goes
 * to *added when not NULL. Errors: HGQ_ESCHEMA (no dims, missing columns),
 * HGQ_ENOMEM.
 */
hgq_status hgq_check_aggregate(hgq_dataset *ds, const hgq_table *t, const char *dims,
                               double tolerance, size_t *added, hgq_error *err);

/** Options of hgq_compare_aggregates. Initialise with hgq_compare_options_init. */
typedef struct hgq_compare_options {
    const char *dims;       /**< comma-separated dimension columns; NULL: the published
                                 table's "dims" metadata */
    double tolerance;       /**< largest difference taken as equal (default 1e-6) */
    int missing_as_zero;    /**< 1 (default): a cell absent on one side equals a 0 or blank
                                 on the other; 0: every absent cell is reported */
} hgq_compare_options;

/** Fills `opt` with the defaults. */
void hgq_compare_options_init(hgq_compare_options *opt);

/**
 * Compares a published aggregate table with one computed from records, both
 * in long form with the same dimension columns and a "value" column, and
 * adds a finding to `ds` for every cell whose values differ ("cmp.value"),
 * and every cell present in one table but not the other ("cmp.only_published",
 * "cmp.only_computed"). Each finding's `where` is the published cell and
 * `other` the computed one (when they have origins). Dimension values are
 * compared as text (an integer 2013 equals "2013"). The number of
 * differences goes to *differences when not NULL. `opt` may be NULL.
 * Errors: HGQ_ESCHEMA (dims unknown or missing in a table), HGQ_ENOMEM.
 *
 *     hgq_compare_aggregates(ds, hgq_dataset_table(ds, "pub_teachers"),
 *                            computed, NULL, &ndiff, &err);
 */
hgq_status hgq_compare_aggregates(hgq_dataset *ds, const hgq_table *published,
                                  const hgq_table *computed,
                                  const hgq_compare_options *opt,
                                  size_t *differences, hgq_error *err);

#ifdef __cplusplus
}
#endif
#endif
