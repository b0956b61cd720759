/*
 * zip.h - read-only access to the entries of a zip container (minizip),
 * with the safety limits of hgq_reader_options. Internal.
 *
 * hgq_zip_open reads the central directory once: entry names (with '\'
 * turned into '/'), declared sizes and positions. Duplicate names (compared
 * as OPC part names: ASCII case-insensitive) are an error. Each stream then
 * opens its own minizip handle, so several streams may be open at once on
 * one archive (file path or memory).
 *
 * Zip bombs are stopped twice: an entry's declared sizes are checked before
 * any byte is inflated (per-entry size, running total, ratio), and the bytes
 * actually inflated are counted while reading, since declared sizes can lie.
 * The total counts every byte inflated through the archive, so reading the
 * same part twice counts twice.
 */
#ifndef HGQ_ZIP_H
#define HGQ_ZIP_H

#include "internal.h"

typedef struct hgq_zip hgq_zip;
typedef struct hgq_zip_stream hgq_zip_stream;

/* Opens the zip at `path`. `name` (or the path when NULL) names it in errors. */
hgq_status hgq_zip_open_file(hgq_zip **out, const char *path, const char *name,
                             const hgq_reader_options *opt, hgq_error *err);

/* Opens a zip held in memory; `data` is borrowed and must outlive the zip. */
hgq_status hgq_zip_open_memory(hgq_zip **out, const void *data, size_t size,
                               const char *name, const hgq_reader_options *opt,
                               hgq_error *err);

void hgq_zip_free(hgq_zip *z);

/* Number of entries and the normalised name of entry i. */
size_t hgq_zip_count(const hgq_zip *z);
const char *hgq_zip_name(const hgq_zip *z, size_t i);

/* Index of the entry named `name` (ASCII case-insensitive), or -1. */
long hgq_zip_find(const hgq_zip *z, const char *name);

/* Declared inflated size of entry i. */
uint64_t hgq_zip_size(const hgq_zip *z, size_t i);

/*
 * Starts inflating the entry `name`. Errors: HGQ_EPART (no such entry),
 * HGQ_ELIMIT (declared sizes over the limits), HGQ_EUNSUPPORTED (encrypted
 * entry or unknown compression), HGQ_EZIP, HGQ_ENOMEM.
 */
hgq_status hgq_zip_stream_open(hgq_zip_stream **out, hgq_zip *z, const char *name,
                               hgq_error *err);

/*
 * Inflates up to `size` bytes into buf; *n is 0 at the end of the entry.
 * At the end the CRC and the size are checked. Errors: HGQ_ELIMIT,
 * HGQ_EZIP. After an error the stream only returns that error again.
 */
hgq_status hgq_zip_stream_read(hgq_zip_stream *s, void *buf, size_t size, size_t *n,
                               hgq_error *err);

/* Entry name of the stream (for error messages). */
const char *hgq_zip_stream_name(const hgq_zip_stream *s);

/* Takes the bytes this stream inflated off the archive's running total: for
 * a stream given up because another stream reads the same part again from
 * its start, so that the part counts once against max_total_inflated. */
void hgq_zip_stream_forget(hgq_zip_stream *s);

void hgq_zip_stream_free(hgq_zip_stream *s);

#endif
