/*
 * zip.c - zip entries through minizip, from a file or from memory, with
 * zip-bomb limits and duplicate-name detection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unzip.h>

#include "zip.h"

#define RATIO_FLOOR (1u << 20) /* the ratio limit applies to entries over 1 MiB */

typedef struct zip_entry {
    char *name;              /* normalised: '/' separators, no leading '/' */
    uint64_t csize, usize;   /* declared compressed and inflated sizes */
    unz64_file_pos pos;      /* where minizip finds it again */
    unsigned long flag, method;
} zip_entry;

/* Memory source shared by every handle opened on an in-memory archive. */
typedef struct mem_source {
    const unsigned char *data;
    size_t size;
} mem_source;

struct hgq_zip {
    char *path;              /* file path, NULL for memory */
    char *name;              /* for error messages */
    mem_source mem;
    zlib_filefunc64_def mem_io;
    zip_entry *entries;
    size_t count;
    size_t *sorted;          /* entry indexes sorted by name, case-insensitive */
    uint64_t max_total, max_entry;
    uint32_t max_ratio;
    uint64_t total;          /* bytes inflated so far through this archive */
    hgq_arena arena;
};

/* minizip I/O wrapped to count the compressed bytes a stream reads, so that
 * the inflation ratio can be checked against what was really consumed
 * rather than against a declared size that may lie. */
typedef struct counting_io {
    zlib_filefunc64_def base;
    uint64_t bytes;
} counting_io;

struct hgq_zip_stream {
    hgq_zip *zip;
    const zip_entry *entry;
    counting_io cio;
    zlib_filefunc64_def io;  /* the counting wrapper around cio.base */
    uint64_t read_at_open;   /* cio.bytes when the entry's data began */
    unzFile uf;
    int open;                /* unzOpenCurrentFile succeeded */
    uint64_t inflated;
    hgq_status failed;       /* sticky error */
    int eof;
};

/* {====================================================================
 * minizip I/O over a memory block: each open returns its own cursor.
 * ===================================================================== */

typedef struct mem_cursor {
    const mem_source *src;
    uint64_t pos;
} mem_cursor;

static voidpf ZCALLBACK mem_open(voidpf opaque, const void *filename, int mode)
{
    mem_cursor *c;
    (void)filename;
    if ((mode & ZLIB_FILEFUNC_MODE_READWRITEFILTER) != ZLIB_FILEFUNC_MODE_READ)
        return NULL;
    c = malloc(sizeof *c);
    if (!c)
        return NULL;
    c->src = opaque;
    c->pos = 0;
    return c;
}

static uLong ZCALLBACK mem_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
    mem_cursor *c = stream;
    uint64_t left;
    (void)opaque;
    if (c->pos >= c->src->size)
        return 0;
    left = c->src->size - c->pos;
    if (size > left)
        size = (uLong)left;
    memcpy(buf, c->src->data + c->pos, size);
    c->pos += size;
    return size;
}

static uLong ZCALLBACK mem_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
    (void)opaque;
    (void)stream;
    (void)buf;
    (void)size;
    return 0; /* read-only */
}

static ZPOS64_T ZCALLBACK mem_tell(voidpf opaque, voidpf stream)
{
    (void)opaque;
    return ((mem_cursor *)stream)->pos;
}

static long ZCALLBACK mem_seek(voidpf opaque, voidpf stream, ZPOS64_T offset, int origin)
{
    mem_cursor *c = stream;
    uint64_t base;
    (void)opaque;
    switch (origin) {
    case ZLIB_FILEFUNC_SEEK_SET: base = 0; break;
    case ZLIB_FILEFUNC_SEEK_CUR: base = c->pos; break;
    case ZLIB_FILEFUNC_SEEK_END: base = c->src->size; break;
    default: return -1;
    }
    if (offset > UINT64_MAX - base || base + offset > c->src->size)
        return -1;
    c->pos = base + offset;
    return 0;
}

static int ZCALLBACK mem_close(voidpf opaque, voidpf stream)
{
    (void)opaque;
    free(stream);
    return 0;
}

static int ZCALLBACK mem_error(voidpf opaque, voidpf stream)
{
    (void)opaque;
    (void)stream;
    return 0;
}

/* }==================================================================== */

static hgq_status zip_fail(const hgq_zip *z, const char *part, hgq_error *err,
                           hgq_status code, const char *fmt, const char *detail)
{
    hgq_error_set(err, code, fmt, detail);
    hgq_error_set_file(err, z->name);
    hgq_error_set_part(err, part);
    return code;
}

static unzFile zip_handle(hgq_zip *z)
{
    if (z->path)
        return unzOpen64(z->path);
    return unzOpen2_64(z->name, &z->mem_io);
}

static voidpf ZCALLBACK count_open(voidpf opaque, const void *filename, int mode)
{
    counting_io *c = opaque;
    return c->base.zopen64_file(c->base.opaque, filename, mode);
}

static uLong ZCALLBACK count_read(voidpf opaque, voidpf stream, void *buf, uLong size)
{
    counting_io *c = opaque;
    uLong n = c->base.zread_file(c->base.opaque, stream, buf, size);
    c->bytes += n;
    return n;
}

static uLong ZCALLBACK count_write(voidpf opaque, voidpf stream, const void *buf, uLong size)
{
    counting_io *c = opaque;
    return c->base.zwrite_file(c->base.opaque, stream, buf, size);
}

static ZPOS64_T ZCALLBACK count_tell(voidpf opaque, voidpf stream)
{
    counting_io *c = opaque;
    return c->base.ztell64_file(c->base.opaque, stream);
}

static long ZCALLBACK count_seek(voidpf opaque, voidpf stream, ZPOS64_T offset, int origin)
{
    counting_io *c = opaque;
    return c->base.zseek64_file(c->base.opaque, stream, offset, origin);
}

static int ZCALLBACK count_close(voidpf opaque, voidpf stream)
{
    counting_io *c = opaque;
    return c->base.zclose_file(c->base.opaque, stream);
}

static int ZCALLBACK count_error(voidpf opaque, voidpf stream)
{
    counting_io *c = opaque;
    return c->base.zerror_file(c->base.opaque, stream);
}

/* A handle for one stream, reading through its own byte counter. */
static unzFile stream_handle(hgq_zip *z, hgq_zip_stream *s)
{
    if (z->path)
        fill_fopen64_filefunc(&s->cio.base);
    else
        s->cio.base = z->mem_io;
    s->cio.bytes = 0;
    s->io.zopen64_file = count_open;
    s->io.zread_file = count_read;
    s->io.zwrite_file = count_write;
    s->io.ztell64_file = count_tell;
    s->io.zseek64_file = count_seek;
    s->io.zclose_file = count_close;
    s->io.zerror_file = count_error;
    s->io.opaque = &s->cio;
    return unzOpen2_64(z->path ? (const void *)z->path : (const void *)z->name, &s->io);
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int name_cmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = ascii_lower((unsigned char)*a), y = ascii_lower((unsigned char)*b);
        if (x != y || x == 0)
            return x - y;
    }
}

/* qsort has no context argument: sort pointers to entries instead of indexes. */
static int entry_ptr_cmp(const void *a, const void *b)
{
    const zip_entry *x = *(const zip_entry *const *)a;
    const zip_entry *y = *(const zip_entry *const *)b;
    return name_cmp(x->name, y->name);
}

static void normalise_name(char *s)
{
    char *p;
    for (p = s; *p; p++)
        if (*p == '\\')
            *p = '/';
    p = s;
    while (*p == '/')
        p++;
    if (p != s)
        memmove(s, p, strlen(p) + 1);
}

/* Reads the central directory into z->entries. */
static hgq_status read_directory(hgq_zip *z, unzFile uf, hgq_error *err)
{
    size_t cap = 0, i;
    char *namebuf;
    zip_entry **order;
    int rc;
    hgq_status st = HGQ_OK;

    namebuf = malloc(65536 + 1);
    if (!namebuf)
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    for (rc = unzGoToFirstFile(uf); rc == UNZ_OK; rc = unzGoToNextFile(uf)) {
        unz_file_info64 info;
        zip_entry *e;
        if (unzGetCurrentFileInfo64(uf, &info, namebuf, 65536 + 1, NULL, 0, NULL, 0) != UNZ_OK) {
            rc = UNZ_BADZIPFILE;
            break;
        }
        namebuf[info.size_filename < 65536 ? info.size_filename : 65536] = '\0';
        if (z->count == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            zip_entry *ne = realloc(z->entries, ncap * sizeof *ne);
            if (!ne) {
                st = hgq_error_set(err, HGQ_ENOMEM, NULL);
                goto done;
            }
            z->entries = ne;
            cap = ncap;
        }
        e = &z->entries[z->count];
        e->name = hgq_arena_strdup(&z->arena, namebuf);
        if (!e->name) {
            st = hgq_error_set(err, HGQ_ENOMEM, NULL);
            goto done;
        }
        normalise_name(e->name);
        e->csize = info.compressed_size;
        e->usize = info.uncompressed_size;
        e->flag = info.flag;
        e->method = info.compression_method;
        if (unzGetFilePos64(uf, &e->pos) != UNZ_OK) {
            rc = UNZ_BADZIPFILE;
            break;
        }
        z->count++;
    }
    if (rc != UNZ_END_OF_LIST_OF_FILE && !(rc == UNZ_OK && z->count == 0)) {
        st = zip_fail(z, NULL, err, HGQ_EZIP, "%s",
                      "corrupt zip central directory (the file is damaged or truncated)");
        goto done;
    }
    /* sorted index for lookups; equal neighbours are duplicate names */
    order = malloc((z->count ? z->count : 1) * sizeof *order);
    z->sorted = malloc((z->count ? z->count : 1) * sizeof *z->sorted);
    if (!order || !z->sorted) {
        free(order);
        st = hgq_error_set(err, HGQ_ENOMEM, NULL);
        goto done;
    }
    for (i = 0; i < z->count; i++)
        order[i] = &z->entries[i];
    qsort(order, z->count, sizeof *order, entry_ptr_cmp);
    for (i = 0; i < z->count; i++) {
        z->sorted[i] = (size_t)(order[i] - z->entries);
        if (i > 0 && name_cmp(order[i - 1]->name, order[i]->name) == 0) {
            st = zip_fail(z, order[i]->name, err, HGQ_EZIP, "%s",
                          "duplicate zip entry name (the package is ambiguous)");
            break;
        }
    }
    free(order);
done:
    free(namebuf);
    return st;
}

static hgq_status zip_new(hgq_zip **out, const char *path, const void *data, size_t size,
                          const char *name, const hgq_reader_options *opt, hgq_error *err)
{
    hgq_reader_options defaults;
    hgq_zip *z;
    unzFile uf;
    hgq_status st;

    *out = NULL;
    if (!opt) {
        hgq_reader_options_init(&defaults);
        opt = &defaults;
    }
    z = calloc(1, sizeof *z);
    if (!z)
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    hgq_arena_init(&z->arena);
    z->max_total = opt->max_total_inflated;
    z->max_entry = opt->max_entry_inflated;
    z->max_ratio = opt->max_ratio;
    z->name = hgq_strdup(name ? name : path ? path : "(memory)");
    if (path)
        z->path = hgq_strdup(path);
    if (!z->name || (path && !z->path)) {
        hgq_zip_free(z);
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    }
    z->mem.data = data;
    z->mem.size = size;
    z->mem_io.zopen64_file = mem_open;
    z->mem_io.zread_file = mem_read;
    z->mem_io.zwrite_file = mem_write;
    z->mem_io.ztell64_file = mem_tell;
    z->mem_io.zseek64_file = mem_seek;
    z->mem_io.zclose_file = mem_close;
    z->mem_io.zerror_file = mem_error;
    z->mem_io.opaque = &z->mem;

    uf = zip_handle(z);
    if (!uf) {
        st = zip_fail(z, NULL, err, HGQ_EZIP, "%s",
                      "not a readable zip file: no central directory (truncated or damaged)");
        hgq_zip_free(z);
        return st;
    }
    st = read_directory(z, uf, err);
    unzClose(uf);
    if (st != HGQ_OK) {
        if (err && !err->file[0])
            hgq_error_set_file(err, z->name);
        hgq_zip_free(z);
        return st;
    }
    *out = z;
    return HGQ_OK;
}

hgq_status hgq_zip_open_file(hgq_zip **out, const char *path, const char *name,
                             const hgq_reader_options *opt, hgq_error *err)
{
    return zip_new(out, path, NULL, 0, name, opt, err);
}

hgq_status hgq_zip_open_memory(hgq_zip **out, const void *data, size_t size,
                               const char *name, const hgq_reader_options *opt,
                               hgq_error *err)
{
    return zip_new(out, NULL, data, size, name, opt, err);
}

void hgq_zip_free(hgq_zip *z)
{
    if (!z)
        return;
    free(z->entries);
    free(z->sorted);
    free(z->path);
    free(z->name);
    hgq_arena_free(&z->arena);
    free(z);
}

size_t hgq_zip_count(const hgq_zip *z)
{
    return z->count;
}

const char *hgq_zip_name(const hgq_zip *z, size_t i)
{
    return i < z->count ? z->entries[i].name : NULL;
}

uint64_t hgq_zip_size(const hgq_zip *z, size_t i)
{
    return i < z->count ? z->entries[i].usize : 0;
}

long hgq_zip_find(const hgq_zip *z, const char *name)
{
    size_t lo = 0, hi = z->count;
    while (*name == '/')
        name++;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = name_cmp(z->entries[z->sorted[mid]].name, name);
        if (c == 0)
            return (long)z->sorted[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* {====================================================================
 * Streams
 * ===================================================================== */

static hgq_status stream_fail(hgq_zip_stream *s, hgq_error *err, hgq_status code,
                              const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static hgq_status stream_fail(hgq_zip_stream *s, hgq_error *err, hgq_status code,
                              const char *fmt, ...)
{
    char msg[HGQ_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    s->failed = code;
    return zip_fail(s->zip, s->entry->name, err, code, "%s", msg);
}

/* The limits checked before inflating, against the declared sizes. */
static hgq_status check_declared(hgq_zip_stream *s, hgq_error *err)
{
    const zip_entry *e = s->entry;
    hgq_zip *z = s->zip;
    if (e->usize > z->max_entry)
        return stream_fail(s, err, HGQ_ELIMIT,
                           "entry declares %llu bytes inflated, over the limit of %llu "
                           "(max_entry_inflated)",
                           (unsigned long long)e->usize, (unsigned long long)z->max_entry);
    if (e->usize > z->max_total || z->total > z->max_total - e->usize)
        return stream_fail(s, err, HGQ_ELIMIT,
                           "reading this entry (%llu bytes) would inflate more than %llu bytes "
                           "in all (max_total_inflated)",
                           (unsigned long long)e->usize, (unsigned long long)z->max_total);
    if (e->usize > RATIO_FLOOR && z->max_ratio > 0 &&
        (e->csize == 0 || e->usize / e->csize > z->max_ratio))
        return stream_fail(s, err, HGQ_ELIMIT,
                           "entry declares a compression ratio over %u:1 (%llu bytes from %llu; "
                           "a zip bomb?)",
                           z->max_ratio, (unsigned long long)e->usize,
                           (unsigned long long)e->csize);
    return HGQ_OK;
}

hgq_status hgq_zip_stream_open(hgq_zip_stream **out, hgq_zip *z, const char *name,
                               hgq_error *err)
{
    hgq_zip_stream *s;
    long idx = hgq_zip_find(z, name);
    hgq_status st;
    int rc;

    *out = NULL;
    if (idx < 0)
        return zip_fail(z, name, err, HGQ_EPART, "%s", "part is missing from the package");
    s = calloc(1, sizeof *s);
    if (!s)
        return hgq_error_set(err, HGQ_ENOMEM, NULL);
    s->zip = z;
    s->entry = &z->entries[idx];
    if (s->entry->flag & 1u) {
        st = stream_fail(s, err, HGQ_EUNSUPPORTED, "%s",
                         "zip entry is encrypted (password-protected workbooks are not supported)");
        goto fail;
    }
    if (s->entry->method != 0 && s->entry->method != 8) {
        st = stream_fail(s, err, HGQ_EUNSUPPORTED,
                         "zip entry uses compression method %lu (only stored and deflate are "
                         "supported)",
                         s->entry->method);
        goto fail;
    }
    st = check_declared(s, err);
    if (st != HGQ_OK)
        goto fail;
    s->uf = stream_handle(z, s);
    if (!s->uf) {
        st = stream_fail(s, err, HGQ_EZIP, "%s", "cannot reopen the zip file");
        goto fail;
    }
    rc = unzGoToFilePos64(s->uf, &s->entry->pos);
    if (rc == UNZ_OK)
        rc = unzOpenCurrentFile(s->uf);
    if (rc != UNZ_OK) {
        st = stream_fail(s, err, HGQ_EZIP, "%s",
                         "cannot open the zip entry (bad local header; the file is damaged)");
        goto fail;
    }
    s->open = 1;
    s->read_at_open = s->cio.bytes;
    *out = s;
    return HGQ_OK;
fail:
    hgq_zip_stream_free(s);
    return st;
}

hgq_status hgq_zip_stream_read(hgq_zip_stream *s, void *buf, size_t size, size_t *n,
                               hgq_error *err)
{
    hgq_zip *z = s->zip;
    int r;
    *n = 0;
    if (s->failed)
        return zip_fail(z, s->entry->name, err, s->failed, "%s",
                        "zip entry could not be read");
    if (s->eof || size == 0)
        return HGQ_OK;
    if (size > (1u << 30))
        size = 1u << 30;
    r = unzReadCurrentFile(s->uf, buf, (unsigned)size);
    if (r < 0)
        return stream_fail(s, err, HGQ_EZIP,
                           "corrupt compressed data in zip entry (minizip error %d)", r);
    if (r == 0) {
        int rc;
        s->eof = 1;
        if (s->inflated != s->entry->usize)
            return stream_fail(s, err, HGQ_EZIP,
                               "zip entry ends after %llu bytes but declares %llu "
                               "(truncated or damaged)",
                               (unsigned long long)s->inflated,
                               (unsigned long long)s->entry->usize);
        rc = unzCloseCurrentFile(s->uf);
        s->open = 0;
        if (rc == UNZ_CRCERROR)
            return stream_fail(s, err, HGQ_EZIP, "%s",
                               "CRC mismatch in zip entry (the file is damaged)");
        if (rc != UNZ_OK)
            return stream_fail(s, err, HGQ_EZIP, "%s", "zip entry could not be closed");
        return HGQ_OK;
    }
    /* Count what was really inflated: declared sizes can lie. */
    s->inflated += (unsigned)r;
    z->total += (unsigned)r;
    if (s->inflated > s->entry->usize || s->inflated > z->max_entry)
        return stream_fail(s, err, HGQ_ELIMIT,
                           "zip entry inflates to more than %llu bytes (max_entry_inflated "
                           "%llu or its declared size)",
                           (unsigned long long)(s->inflated - 1),
                           (unsigned long long)z->max_entry);
    if (z->total > z->max_total)
        return stream_fail(s, err, HGQ_ELIMIT,
                           "more than %llu bytes inflated in all (max_total_inflated)",
                           (unsigned long long)z->max_total);
    /* The ratio of what was inflated to what was read so far (minizip reads
     * ahead, so this errs low): a bomb is stopped a few MB in, whatever the
     * sizes it declares. */
    if (s->inflated > RATIO_FLOOR && z->max_ratio > 0 &&
        (s->cio.bytes <= s->read_at_open ||
         s->inflated / (s->cio.bytes - s->read_at_open) > z->max_ratio))
        return stream_fail(s, err, HGQ_ELIMIT,
                           "compression ratio over %u:1 while inflating (a zip bomb?)",
                           z->max_ratio);
    *n = (size_t)r;
    return HGQ_OK;
}

const char *hgq_zip_stream_name(const hgq_zip_stream *s)
{
    return s->entry->name;
}

void hgq_zip_stream_forget(hgq_zip_stream *s)
{
    if (!s)
        return;
    s->zip->total -= s->inflated <= s->zip->total ? s->inflated : s->zip->total;
    s->inflated = 0;
}

void hgq_zip_stream_free(hgq_zip_stream *s)
{
    if (!s)
        return;
    if (s->uf) {
        if (s->open)
            unzCloseCurrentFile(s->uf);
        unzClose(s->uf);
    }
    free(s);
}

/* }==================================================================== */
