/*
 * fuzz_parts.h - the input format shared by the workbook fuzz targets.
 *
 * Mutating a zip's deflated bytes rarely gets past the CRC check, so most
 * inputs describe the package's parts as text instead, and the target zips
 * them (with true CRCs and sizes) before opening the result from memory:
 *
 *     == [Content_Types].xml
 *     <?xml version="1.0"?><Types ...>...</Types>
 *     =z xl/worksheets/sheet1.xml
 *     <worksheet ...>...</worksheet>
 *
 * A line "== NAME" starts a stored part, "=z NAME" a deflated one; the part
 * runs to the next such line. An input that starts with "PK" is taken as a
 * zip file as it is, which fuzzes the container itself.
 */
#ifndef HGQ_FUZZ_PARTS_H
#define HGQ_FUZZ_PARTS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "hgq.h"

typedef struct fz_buf {
    unsigned char *p;
    size_t len, cap;
} fz_buf;

static void fz_put(fz_buf *b, const void *d, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p)
            abort();
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, d, n);
    b->len += n;
}

static void fz_u16(fz_buf *b, unsigned v)
{
    unsigned char c[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    fz_put(b, c, 2);
}

static void fz_u32(fz_buf *b, unsigned long v)
{
    unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8),
                          (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
    fz_put(b, c, 4);
}

/* Raw deflate of d[n] into out; returns 0 on failure. */
static int fz_deflate(const unsigned char *d, size_t n, fz_buf *out)
{
    z_stream zs;
    uLong bound;
    int rc;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 0;
    bound = deflateBound(&zs, (uLong)n);
    if (out->cap < bound) {
        out->p = realloc(out->p, bound);
        if (!out->p)
            abort();
        out->cap = bound;
    }
    zs.next_in = (Bytef *)d;
    zs.avail_in = (uInt)n;
    zs.next_out = out->p;
    zs.avail_out = (uInt)out->cap;
    rc = deflate(&zs, Z_FINISH);
    out->len = zs.total_out;
    deflateEnd(&zs);
    return rc == Z_STREAM_END;
}

typedef struct fz_entry {
    const unsigned char *name;
    size_t name_len;
    const unsigned char *data;
    size_t len;
    int deflated;
} fz_entry;

#define FZ_MAX_ENTRIES 64

/* Splits the "== NAME" format into entries; returns their count. */
static size_t fz_split(const unsigned char *d, size_t n, fz_entry *e, size_t max)
{
    size_t count = 0, i = 0;
    while (i + 3 <= n && count < max) {
        size_t name_end, body, next;
        if (d[i] != '=' || (d[i + 1] != '=' && d[i + 1] != 'z') || d[i + 2] != ' ')
            break;
        name_end = i + 3;
        while (name_end < n && d[name_end] != '\n')
            name_end++;
        body = name_end < n ? name_end + 1 : n;
        next = body;
        while (next < n) {
            if (d[next] == '\n' && next + 3 < n && d[next + 1] == '=' &&
                (d[next + 2] == '=' || d[next + 2] == 'z') && d[next + 3] == ' ')
                break;
            next++;
        }
        e[count].name = d + i + 3;
        e[count].name_len = name_end - (i + 3);
        e[count].data = d + body;
        e[count].len = next - body;
        e[count].deflated = d[i + 1] == 'z';
        count++;
        i = next < n ? next + 1 : n;
    }
    return count;
}

/* Writes a zip of the entries into out (which it resets). */
static void fz_zip(const fz_entry *e, size_t count, fz_buf *out)
{
    fz_buf cd = {0}, tmp = {0};
    unsigned long *offsets = calloc(count ? count : 1, sizeof *offsets);
    size_t i;
    out->len = 0;
    for (i = 0; i < count; i++) {
        unsigned long crc = crc32(0L, e[i].data, (uInt)e[i].len);
        const unsigned char *body = e[i].data;
        size_t body_len = e[i].len;
        int method = 0;
        if (e[i].deflated && fz_deflate(e[i].data, e[i].len, &tmp)) {
            body = tmp.p;
            body_len = tmp.len;
            method = 8;
        }
        offsets[i] = (unsigned long)out->len;
        fz_u32(out, 0x04034b50);
        fz_u16(out, 20);
        fz_u16(out, 0x0800); /* UTF-8 names */
        fz_u16(out, (unsigned)method);
        fz_u16(out, 0);
        fz_u16(out, 0x21);
        fz_u32(out, crc);
        fz_u32(out, (unsigned long)body_len);
        fz_u32(out, (unsigned long)e[i].len);
        fz_u16(out, (unsigned)e[i].name_len);
        fz_u16(out, 0);
        fz_put(out, e[i].name, e[i].name_len);
        fz_put(out, body, body_len);

        fz_u32(&cd, 0x02014b50);
        fz_u16(&cd, 20);
        fz_u16(&cd, 20);
        fz_u16(&cd, 0x0800);
        fz_u16(&cd, (unsigned)method);
        fz_u16(&cd, 0);
        fz_u16(&cd, 0x21);
        fz_u32(&cd, crc);
        fz_u32(&cd, (unsigned long)body_len);
        fz_u32(&cd, (unsigned long)e[i].len);
        fz_u16(&cd, (unsigned)e[i].name_len);
        fz_u16(&cd, 0);
        fz_u16(&cd, 0);
        fz_u16(&cd, 0);
        fz_u16(&cd, 0);
        fz_u32(&cd, 0);
        fz_u32(&cd, offsets[i]);
        fz_put(&cd, e[i].name, e[i].name_len);
    }
    {
        unsigned long cd_off = (unsigned long)out->len;
        fz_put(out, cd.p, cd.len);
        fz_u32(out, 0x06054b50);
        fz_u16(out, 0);
        fz_u16(out, 0);
        fz_u16(out, (unsigned)count);
        fz_u16(out, (unsigned)count);
        fz_u32(out, (unsigned long)cd.len);
        fz_u32(out, cd_off);
        fz_u16(out, 0);
    }
    free(cd.p);
    free(tmp.p);
    free(offsets);
}

/*
 * Turns a fuzz input into the bytes of a file to open: the input itself when
 * it is a zip or does not use the parts format, else the zip of its parts
 * (in *scratch, which the caller frees). Sets *len.
 */
static const unsigned char *fz_package(const uint8_t *data, size_t size, fz_buf *scratch,
                                       size_t *len)
{
    fz_entry e[FZ_MAX_ENTRIES];
    size_t count;
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        *len = size;
        return data;
    }
    count = fz_split(data, size, e, FZ_MAX_ENTRIES);
    if (count == 0) {
        *len = size;
        return data;
    }
    fz_zip(e, count, scratch);
    *len = scratch->len;
    return scratch->p;
}

/* Reader options with limits low enough that one input stays well inside
 * libFuzzer's -timeout, for the targets that read whole workbooks. */
static inline void fz_reader_options(hgq_reader_options *opt)
{
    hgq_reader_options_init(opt);
    opt->max_total_inflated = 64u << 20;
    opt->max_entry_inflated = 32u << 20;
    opt->max_shared_strings = 200000;
    opt->max_shared_bytes = 16u << 20;
    opt->max_cell_bytes = 64u << 10;
}

#endif
