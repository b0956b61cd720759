/*
 * hgq.h - libhgq, the data engine of technical schools' annual quality
 * reports (技工教育质量年度报告): read office spreadsheets, model the report's
 * entities, compute and check its indicators, write Excel workbooks.
 *
 * Include this one header; it includes the others:
 *   hgq/error.h    status codes and error detail
 *   hgq/value.h    cells, values, dates, cell references
 *   hgq/reader.h   reading .xlsx and .csv
 *   hgq/table.h    tables of typed values with their origins
 *   hgq/dataset.h  a school's data for a report year, sources and findings
 *   hgq/normalize.h  numbers, dates, booleans and ID numbers typed by people
 *   hgq/writer.h   writing the Excel workbooks office staff read
 *   hgq/schema.h   the report's entities: fields, header names, enumerations
 *   hgq/import.h   importing rosters and published tables into a dataset
 *   hgq/validate.h findings: required values, ID numbers, duplicates, margins
 *   hgq/stats.h    filters, group-bys, cross-tabs with margins, ages, rates
 *   hgq/indicator.h  the indicator catalogue, thresholds and their evaluation
 *
 * The library has no global state. Objects are created by hgq_<object>_new
 * or _open and released by the matching _free.
 */
#ifndef HGQ_H
#define HGQ_H

#define HGQ_VERSION_MAJOR 0
#define HGQ_VERSION_MINOR 1
#define HGQ_VERSION_PATCH 0
#define HGQ_VERSION_STRING "0.1.0"

#include "hgq/error.h"
#include "hgq/value.h"
#include "hgq/reader.h"
#include "hgq/table.h"
#include "hgq/dataset.h"
#include "hgq/normalize.h"
#include "hgq/writer.h"
#include "hgq/schema.h"
#include "hgq/import.h"
#include "hgq/validate.h"
#include "hgq/stats.h"
#include "hgq/indicator.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Version of the library actually linked, e.g. "0.1.0". */
const char *hgq_version(void);

#ifdef __cplusplus
}
#endif
#endif
