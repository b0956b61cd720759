/*
 * csv.h - the CSV row reader behind hgq_workbook_open for text files.
 * Internal: reader.c presents it through the public hgq_rows API.
 *
 * RFC 4180 quoting (embedded delimiters, quotes and newlines), CRLF or LF,
 * with or without a final newline. Input in UTF-8 (BOM or not) or GB18030,
 * detected unless set in the options; output always UTF-8. Delimiter comma,
 * tab or semicolon, detected unless set. Streaming: memory is bounded by the
 * longest record (itself bounded by options->max_cell_bytes per field).
 *
 * Cells: every non-empty field becomes an HGQ_CELL_STRING cell (type
 * inference is the importer's job); row = line of the record start - 1,
 * col = field index. Empty lines yield no row. numfmt is "General".
 */
#ifndef HGQ_CSV_H
#define HGQ_CSV_H

#include "hgq.h"

typedef struct hgq_csv_reader hgq_csv_reader;

/*
 * Opens a CSV source: the file at `path`, or, when `path` is NULL, the
 * `size` bytes at `data` (borrowed). `name` names the source in errors.
 */
hgq_status hgq_csv_reader_open(hgq_csv_reader **out, const char *path,
                               const void *data, size_t size, const char *name,
                               const hgq_reader_options *opt, hgq_error *err);

/* Next row with at least one non-empty field; *row NULL at end. Errors name
 * the line (and field) in err->line / err->column. */
hgq_status hgq_csv_reader_next(hgq_csv_reader *r, const hgq_row **row,
                               hgq_error *err);

/* The encoding and delimiter in use (after detection). */
hgq_encoding hgq_csv_reader_encoding(const hgq_csv_reader *r);
char hgq_csv_reader_delimiter(const hgq_csv_reader *r);

void hgq_csv_reader_free(hgq_csv_reader *r);

/* 1 if the first bytes look like CSV/text rather than a binary format we
 * reject (used by hgq_workbook_open to tell CSV from garbage). */
int hgq_csv_sniff(const void *data, size_t size);

#endif
