/*
 * util.c - byte buffers, arenas, strings and UTF-8 decoding used across the
 * library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* {====================================================================
 * Buffers
 * ===================================================================== */

void hgq_buf_init(hgq_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void hgq_buf_free(hgq_buf *b)
{
    free(b->data);
    hgq_buf_init(b);
}

void hgq_buf_clear(hgq_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

int hgq_buf_reserve(hgq_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;
    if (!hgq_size_add(b->len, extra, &need) || !hgq_size_add(need, 1, &need))
        return -1;
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2)
            return -1;
        cap *= 2;
    }
    p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int hgq_buf_append(hgq_buf *b, const void *data, size_t len)
{
    if (hgq_buf_reserve(b, len))
        return -1;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int hgq_buf_append_str(hgq_buf *b, const char *s)
{
    return hgq_buf_append(b, s, strlen(s));
}

int hgq_buf_append_char(hgq_buf *b, char c)
{
    return hgq_buf_append(b, &c, 1);
}

int hgq_buf_printf(hgq_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || hgq_buf_reserve(b, (size_t)n))
        return -1;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

int hgq_buf_append_utf8(hgq_buf *b, uint32_t cp)
{
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else if (cp <= 0x10FFFF) {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    } else {
        /* U+FFFD for anything outside Unicode */
        return hgq_buf_append(b, "\xEF\xBF\xBD", 3);
    }
    return hgq_buf_append(b, s, n);
}

/* }==================================================================== */

/* {====================================================================
 * Arena
 * ===================================================================== */

struct hgq_arena_block {
    hgq_arena_block *next;
    size_t size;
    _Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK 65536u

void hgq_arena_init(hgq_arena *a)
{
    a->head = NULL;
    a->used = 0;
    a->total = 0;
}

void hgq_arena_free(hgq_arena *a)
{
    hgq_arena_block *b = a->head;
    while (b) {
        hgq_arena_block *next = b->next;
        free(b);
        b = next;
    }
    hgq_arena_init(a);
}

void *hgq_arena_alloc(hgq_arena *a, size_t size)
{
    size_t need = (size + 15) & ~(size_t)15;
    hgq_arena_block *b;
    if (need < size)
        return NULL;
    if (!a->head || a->used + need > a->head->size) {
        size_t bsize = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        size_t total;
        if (!hgq_size_add(sizeof *b, bsize, &total))
            return NULL;
        b = malloc(total);
        if (!b)
            return NULL;
        b->size = bsize;
        if (a->head && need > ARENA_BLOCK) {
            /* A large block goes behind the head so the head's free space is kept. */
            b->next = a->head->next;
            a->head->next = b;
            a->total += bsize;
            return b->data;
        }
        b->next = a->head;
        a->head = b;
        a->used = 0;
        a->total += bsize;
    }
    b = a->head;
    {
        void *p = b->data + a->used;
        a->used += need;
        return p;
    }
}

char *hgq_arena_strndup(hgq_arena *a, const char *s, size_t n)
{
    char *p;
    if (!s)
        return NULL;
    if (n == SIZE_MAX)
        return NULL;
    p = hgq_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *hgq_arena_strdup(hgq_arena *a, const char *s)
{
    return s ? hgq_arena_strndup(a, s, strlen(s)) : NULL;
}

/* }==================================================================== */

char *hgq_strndup(const char *s, size_t n)
{
    char *p;
    if (!s || n == SIZE_MAX)
        return NULL;
    p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *hgq_strdup(const char *s)
{
    return s ? hgq_strndup(s, strlen(s)) : NULL;
}

void hgq_strlcpy_utf8(char *dst, const char *src, size_t size)
{
    size_t n;
    if (size == 0)
        return;
    n = strlen(src);
    if (n >= size) {
        n = size - 1;
        /* back up over continuation bytes so no code point is cut */
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int hgq_size_mul(size_t a, size_t b, size_t *out)
{
    if (a && b > SIZE_MAX / a)
        return 0;
    *out = a * b;
    return 1;
}

int hgq_size_add(size_t a, size_t b, size_t *out)
{
    if (a > SIZE_MAX - b)
        return 0;
    *out = a + b;
    return 1;
}

size_t hgq_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    uint32_t c;
    size_t n, i;
    if (len == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    } else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
        n = 2;
        c = s[0] & 0x1F;
    } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        n = 3;
        c = s[0] & 0x0F;
    } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        n = 4;
        c = s[0] & 0x07;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}
