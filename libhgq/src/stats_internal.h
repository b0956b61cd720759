/*
 * stats_internal.h - helpers shared by stats.c, indicator.c, catalogue.c and
 * threshold.c. Not installed.
 */
#ifndef HGQ_STATS_INTERNAL_H
#define HGQ_STATS_INTERNAL_H

#include <stddef.h>

#include "internal.h"
#include "table_internal.h"

/* Stable merge sort of n indices with a comparison taking a context.
 * Returns 0, or -1 when out of memory (the array is then unchanged). */
typedef int (*hgq_idx_cmp)(void *ctx, size_t a, size_t b);
int hgq_sort_index(size_t *idx, size_t n, hgq_idx_cmp cmp, void *ctx);

/* 1 and *out if s is a plain decimal number ("2025", "-1.5", "3e2") with
 * nothing before or after it; 0 otherwise. */
int hgq_plain_number(const char *s, double *out);

/* Orders category labels: both plain numbers compare as numbers, numbers
 * before text, text byte-wise. */
int hgq_label_cmp(const char *a, const char *b);

/* String -> index map (open addressing), keys borrowed. */
typedef struct hgq_strmap {
    const char **keys;
    size_t *vals;
    size_t cap, count;
} hgq_strmap;

void hgq_strmap_init(hgq_strmap *m);
void hgq_strmap_free(hgq_strmap *m);
/* 1 and *val if key is present. */
int hgq_strmap_get(const hgq_strmap *m, const char *key, size_t *val);
/* Inserts or replaces; 0, or -1 when out of memory. */
int hgq_strmap_put(hgq_strmap *m, const char *key, size_t val);

/* Tests every level of a column once: lut[0] is hgq_value_matches of a
 * missing value, lut[1 + i] that of level i (lut holds lv->n + 1 bytes). */
void hgq_levels_match(const hgq_levels *lv, hgq_op op, const hgq_value *lit,
                      const hgq_value *alts, size_t nalts, unsigned char *lut);

/* The birth date of a record from its birth-date and ID-number values, as
 * hgq_stats_birth does. */
hgq_birth_source hgq_birth_of(const hgq_value *birth, const hgq_value *id, double *out);

#endif
