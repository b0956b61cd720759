/*
 * csv.c - CSV reader (placeholder until the streaming reader lands).
 */
#include "csv.h"

hgq_status hgq_csv_reader_open(hgq_csv_reader **out, const char *path,
                               const void *data, size_t size, const char *name,
                               const hgq_reader_options *opt, hgq_error *err)
{
    *out = NULL;
    return hgq_error_set(err, HGQ_EUNSUPPORTED, "CSV reading is not available");
}

hgq_status hgq_csv_reader_next(hgq_csv_reader *r, const hgq_row **row, hgq_error *err)
{
    *row = NULL;
    return hgq_error_set(err, HGQ_EUNSUPPORTED, "CSV reading is not available");
}

hgq_encoding hgq_csv_reader_encoding(const hgq_csv_reader *r) { return HGQ_ENC_UTF8; }
char hgq_csv_reader_delimiter(const hgq_csv_reader *r) { return ','; }
void hgq_csv_reader_free(hgq_csv_reader *r) { (void)r; }
int hgq_csv_sniff(const void *data, size_t size) { return 0; }
