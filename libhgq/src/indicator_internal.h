/*
 * indicator_internal.h - the catalogue's private layout, shared by
 * indicator.c (definitions and evaluation), catalogue.c (built-in data) and
 * threshold.c (thresholds). Not installed.
 */
#ifndef HGQ_INDICATOR_INTERNAL_H
#define HGQ_INDICATOR_INTERNAL_H

#include "stats_internal.h"

/* A parsed condition of a `where`: FIELD OP VALUE[|VALUE...]. */
typedef struct ind_cond {
    const char *field;
    hgq_op op;              /* EQ/NE with several alternatives become IN/NOT_IN */
    const char **alts;      /* literal texts, tokens ($year ...) unresolved */
    size_t nalts;
    int timed;              /* a literal is a period token */
} ind_cond;

/* A term of a linear expression: coef * indicator. */
typedef struct ind_term {
    double coef;
    const char *id;
} ind_term;

/* A definition with its parsed parts. Allocated in the catalogue arena, so
 * pointers to it stay valid while the catalogue lives. */
typedef struct ind_def {
    hgq_indicator_def def;
    size_t ind;                 /* index of its indicator */
    ind_cond *conds;
    size_t nconds;
    ind_term *num, *den;
    size_t nnum, nden;
} ind_def;

/* An indicator: an id and its definitions in order. */
typedef struct ind_entry {
    const char *id;
    size_t *defs;               /* indices into cat->defs */
    size_t ndefs, cap;
    const char *default_variant;
} ind_entry;

struct hgq_catalogue {
    hgq_arena arena;            /* every string and ind_def */
    ind_def **defs;
    size_t ndefs, defcap;
    ind_entry *inds;
    size_t ninds, indcap;
    hgq_strmap ind_map;         /* id -> index into inds */
    hgq_threshold *ths;
    size_t nths, thcap;
};

/* Built-in definitions (catalogue.c). */
hgq_status hgq_catalogue_add_builtins(hgq_catalogue *cat, hgq_error *err);

/* Chinese name of an entity or published table ("学生名册", "表6"), or the id. */
const char *hgq_entity_label(const char *entity);

/* hgq_unit_convert of two units without their per-student suffixes
 * ("元/生" is "元"): threshold.c. */
int hgq_threshold_convert(double v, const char *from, const char *to, double *out);

#endif
