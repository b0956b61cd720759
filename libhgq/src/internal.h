/*
 * internal.h - helpers shared by libhgq's source files. Not installed.
 */
#ifndef HGQ_INTERNAL_H
#define HGQ_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "hgq.h"

/* {====================================================================
 * Growable byte buffer. Always NUL-terminated after a successful append.
 * ===================================================================== */

typedef struct hgq_buf {
    char *data;
    size_t len;
    size_t cap;
} hgq_buf;

void hgq_buf_init(hgq_buf *b);
void hgq_buf_free(hgq_buf *b);
/* Returns 0 on success, -1 when out of memory. */
int hgq_buf_reserve(hgq_buf *b, size_t extra);
int hgq_buf_append(hgq_buf *b, const void *data, size_t len);
int hgq_buf_append_str(hgq_buf *b, const char *s);
int hgq_buf_append_char(hgq_buf *b, char c);
int hgq_buf_printf(hgq_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends code point cp as UTF-8. */
int hgq_buf_append_utf8(hgq_buf *b, uint32_t cp);
void hgq_buf_clear(hgq_buf *b);

/* }==================================================================== */

/* {====================================================================
 * Arena: bump allocation, freed all at once. Blocks are never moved, so
 * pointers into the arena stay valid until hgq_arena_free.
 * ===================================================================== */

typedef struct hgq_arena_block hgq_arena_block;
typedef struct hgq_arena {
    hgq_arena_block *head;
    size_t used;       /* bytes used in head */
    size_t total;      /* bytes allocated in all blocks */
} hgq_arena;

void hgq_arena_init(hgq_arena *a);
void hgq_arena_free(hgq_arena *a);
/* Aligned to 16 bytes. NULL when out of memory. */
void *hgq_arena_alloc(hgq_arena *a, size_t size);
char *hgq_arena_strdup(hgq_arena *a, const char *s);
char *hgq_arena_strndup(hgq_arena *a, const char *s, size_t n);

/* }==================================================================== */

/* strdup that is C11-clean. NULL in gives NULL out. */
char *hgq_strdup(const char *s);
char *hgq_strndup(const char *s, size_t n);

/* Copies src into dst[size], truncating at a UTF-8 boundary. */
void hgq_strlcpy_utf8(char *dst, const char *src, size_t size);

/* Overflow-checked size arithmetic: return 0 on overflow. */
int hgq_size_mul(size_t a, size_t b, size_t *out);
int hgq_size_add(size_t a, size_t b, size_t *out);

/* Decodes one UTF-8 code point at s (len bytes); returns its byte length,
 * or 0 when invalid. */
size_t hgq_utf8_decode(const char *s, size_t len, uint32_t *cp);

#endif
