/*
 * import_internal.h - pieces of the streaming record import shared by
 * header.c, import.c and the tests. Not installed.
 *
 * A record import holds only the first rows of a sheet (enough to find the
 * header) and, below the header, the rows it cannot classify yet: a lone
 * text at the bottom of the data may be a footnote, which only the rows
 * after it tell. Everything else is imported as it is read.
 */
#ifndef HGQ_IMPORT_INTERNAL_H
#define HGQ_IMPORT_INTERNAL_H

#include "model.h"

/*
 * Most rows held back as possible trailing footnotes. A longer run of such
 * rows is not a footnote block: when it grows past this, the rows held are
 * imported as data.
 */
#define HGQ_IMPORT_MAX_PENDING 256

/* The private part of a summary (hgq_import_summary.storage_). */
typedef struct hgq_summary_store {
    hgq_arena arena;          /* the summary's strings and arrays */
    size_t rows_held_peak;    /* most sheet rows the import held at once */
} hgq_summary_store;

/*
 * The most sheet rows a record import held in memory at once (the rows
 * read for header detection plus those held back as possible footnotes),
 * or 0 when the summary holds nothing. For tests: it stays bounded however
 * long the sheet is.
 */
size_t hgq_import_rows_held_peak(const hgq_import_summary *sum);

/*
 * Reads the head of sheet `index` of wb into sh for header detection: the
 * first `keep` rows, and when header_row >= 0 also that row, the row below
 * it and the rows holding the text of ranges merged into them (other rows
 * above header_row are passed over). The merged ranges come with it, as in
 * hgq_sheet_load. The reader is left open in *rows (the caller frees it,
 * also on failure) with the first row not taken in *next (NULL at the end
 * of the sheet); *next stays valid until the next hgq_rows_next.
 */
hgq_status hgq_sheet_load_head(hgq_sheet *sh, hgq_workbook *wb, size_t index, size_t keep,
                               long header_row, hgq_rows **rows, const hgq_row **next,
                               hgq_error *err);

#endif
