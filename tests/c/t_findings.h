/*
 * t_findings.h - looking up a dataset's findings in tests.
 */
#ifndef HGQ_T_FINDINGS_H
#define HGQ_T_FINDINGS_H

#include <string.h>

#include "hgq.h"

/* Number of findings with `code`; the first goes to *first when not NULL. */
static inline size_t count_code(const hgq_dataset *ds, const char *code,
                                const hgq_finding **first)
{
    size_t i, n = 0;
    if (first)
        *first = NULL;
    for (i = 0; i < hgq_dataset_finding_count(ds); i++) {
        const hgq_finding *f = hgq_dataset_finding(ds, i);
        if (strcmp(f->code, code) == 0) {
            if (first && !n)
                *first = f;
            n++;
        }
    }
    return n;
}

/* The finding with `code` whose `where` is at sheet row/col (0-based), or NULL. */
static inline const hgq_finding *finding_at(const hgq_dataset *ds, const char *code,
                                            uint32_t row, uint32_t col)
{
    size_t i;
    for (i = 0; i < hgq_dataset_finding_count(ds); i++) {
        const hgq_finding *f = hgq_dataset_finding(ds, i);
        if (strcmp(f->code, code) == 0 && f->where.file && f->where.row == row &&
            f->where.col == col)
            return f;
    }
    return NULL;
}

#endif
