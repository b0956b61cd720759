/*
 * table_internal.h - read access to the dictionary encoding of a table's
 * columns, for the statistics engine. Not installed.
 */
#ifndef HGQ_TABLE_INTERNAL_H
#define HGQ_TABLE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "hgq/table.h"

/*
 * A column's levels: codes[row] is 0 when the row's value is missing, else
 * 1 + the index of its level; levels[i] is the value (equal to the row's
 * value: text by the same interned pointer, numbers by the same bits).
 * refs[i] counts the rows holding level i; a level whose rows were all
 * overwritten stays with refs 0. Valid until the table is next changed.
 */
typedef struct hgq_levels {
    const uint16_t *codes;
    const hgq_value *levels;
    const uint32_t *refs;
    size_t n;
} hgq_levels;

/* Fills *out and returns 1 when column col is encoded, else returns 0. */
int hgq_table_levels(const hgq_table *t, size_t col, hgq_levels *out);

#endif
