/*
 * threshold.c - thresholds: held in the catalogue, read from CSV files with
 * the library's own reader, units converted, values judged.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "indicator_internal.h"

#ifndef HGQ_DATADIR
#define HGQ_DATADIR "/usr/local/share/hgq"
#endif

/* {====================================================================
 * Units and judging
 * ===================================================================== */

/* Strips a per-student suffix ("元/生", "平方米/人") into buf. */
static const char *unit_core(const char *u, char *buf, size_t size)
{
    static const char *const suffixes[] = {"/生", "/人", "每生", "／生", "／人"};
    size_t len, i;
    if (!u)
        return "";
    snprintf(buf, size, "%s", u);
    len = strlen(buf);
    for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t sl = strlen(suffixes[i]);
        if (len > sl && strcmp(buf + len - sl, suffixes[i]) == 0) {
            buf[len - sl] = '\0';
            break;
        }
    }
    return buf;
}

int hgq_threshold_convert(double v, const char *from, const char *to, double *out)
{
    char fb[64], tb[64];
    return hgq_unit_convert(v, unit_core(from, fb, sizeof fb), unit_core(to, tb, sizeof tb), out);
}

const char *hgq_judgement_name(hgq_judgement j)
{
    switch (j) {
    case HGQ_JUDGE_MET: return "达标";
    case HGQ_JUDGE_NOT_MET: return "未达标";
    case HGQ_JUDGE_UNKNOWN: return "无法判断";
    default: return "无标准";
    }
}

hgq_judgement hgq_threshold_judge(const hgq_threshold *th, double value,
                                  const char *unit, double *margin)
{
    double t, d;
    int ok;
    if (!th)
        return HGQ_JUDGE_NONE;
    if (!isfinite(value) || !hgq_threshold_convert(th->value, th->unit, unit, &t))
        return HGQ_JUDGE_UNKNOWN;
    d = value - t;
    if (margin)
        *margin = d;
    /* values computed from the same inputs as the standard should compare equal */
    if (fabs(d) <= 1e-9 * (fabs(t) > 1 ? fabs(t) : 1))
        d = 0;
    switch (th->op) {
    case HGQ_OP_GE: ok = d >= 0; break;
    case HGQ_OP_GT: ok = d > 0; break;
    case HGQ_OP_LE: ok = d <= 0; break;
    case HGQ_OP_LT: ok = d < 0; break;
    case HGQ_OP_EQ: ok = d == 0; break;
    default: return HGQ_JUDGE_UNKNOWN;
    }
    return ok ? HGQ_JUDGE_MET : HGQ_JUDGE_NOT_MET;
}

/* }==================================================================== */

/* {====================================================================
 * Thresholds in the catalogue
 * ===================================================================== */

static int any_type(const char *t)
{
    return !t || !*t || strcmp(t, "*") == 0 || strcmp(t, "全部") == 0;
}

static int same_type(const char *a, const char *b)
{
    if (any_type(a) || any_type(b))
        return any_type(a) && any_type(b);
    return strcmp(a, b) == 0;
}

hgq_status hgq_catalogue_add_threshold(hgq_catalogue *cat, const hgq_threshold *th,
                                       hgq_error *err)
{
    hgq_threshold copy;
    size_t i;
    hgq_arena *a;
    if (!cat || !th)
        return hgq_error_set(err, HGQ_EARG, "no catalogue or threshold");
    if (!th->indicator || !*th->indicator)
        return hgq_error_set(err, HGQ_EARG, "threshold without an indicator");
    if (th->op != HGQ_OP_GE && th->op != HGQ_OP_LE && th->op != HGQ_OP_EQ &&
        th->op != HGQ_OP_GT && th->op != HGQ_OP_LT)
        return hgq_error_set(err, HGQ_EARG, "threshold for '%s': comparison must be >=, <=, =, > or <",
                             th->indicator);
    if (!isfinite(th->value))
        return hgq_error_set(err, HGQ_EARG, "threshold for '%s': value is not finite", th->indicator);
    a = &cat->arena;
    copy = *th;
    copy.indicator = hgq_arena_strdup(a, th->indicator);
    copy.school_type = hgq_arena_strdup(a, any_type(th->school_type) ? "*" : th->school_type);
    copy.unit = hgq_arena_strdup(a, th->unit ? th->unit : "");
    copy.source = hgq_arena_strdup(a, th->source ? th->source : "");
    copy.notes = hgq_arena_strdup(a, th->notes ? th->notes : "");
    copy.file = th->file ? hgq_arena_strdup(a, th->file) : NULL;
    if (!copy.indicator || !copy.school_type || !copy.unit || !copy.source || !copy.notes ||
        (th->file && !copy.file))
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    for (i = 0; i < cat->nths; i++) {
        if (strcmp(cat->ths[i].indicator, copy.indicator) == 0 &&
            same_type(cat->ths[i].school_type, copy.school_type)) {
            cat->ths[i] = copy;
            return HGQ_OK;
        }
    }
    if (cat->nths == cat->thcap) {
        size_t ncap = cat->thcap ? cat->thcap * 2 : 32;
        hgq_threshold *p = realloc(cat->ths, ncap * sizeof *p);
        if (!p)
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        cat->ths = p;
        cat->thcap = ncap;
    }
    cat->ths[cat->nths++] = copy;
    return HGQ_OK;
}

size_t hgq_catalogue_threshold_count(const hgq_catalogue *cat)
{
    return cat ? cat->nths : 0;
}

const hgq_threshold *hgq_catalogue_threshold(const hgq_catalogue *cat, size_t index)
{
    return cat && index < cat->nths ? &cat->ths[index] : NULL;
}

const hgq_threshold *hgq_catalogue_threshold_for(const hgq_catalogue *cat,
                                                 const char *id,
                                                 const char *school_type)
{
    const hgq_threshold *generic = NULL;
    size_t i;
    if (!cat || !id)
        return NULL;
    for (i = 0; i < cat->nths; i++) {
        const hgq_threshold *t = &cat->ths[i];
        if (strcmp(t->indicator, id) != 0)
            continue;
        if (any_type(t->school_type))
            generic = t;
        else if (school_type && strcmp(t->school_type, school_type) == 0)
            return t;
    }
    return generic;
}

/* }==================================================================== */

/* {====================================================================
 * Reading threshold files
 * ===================================================================== */

enum { COL_INDICATOR, COL_TYPE, COL_CMP, COL_VALUE, COL_UNIT, COL_SOURCE, COL_NOTES, NCOLS };

static int header_column(const char *h)
{
    static const struct { const char *name; int col; } names[] = {
        {"indicator", COL_INDICATOR}, {"指标", COL_INDICATOR}, {"指标id", COL_INDICATOR},
        {"school_type", COL_TYPE}, {"学校类型", COL_TYPE},
        {"comparison", COL_CMP}, {"比较", COL_CMP},
        {"value", COL_VALUE}, {"标准值", COL_VALUE}, {"阈值", COL_VALUE},
        {"unit", COL_UNIT}, {"单位", COL_UNIT},
        {"source", COL_SOURCE}, {"依据", COL_SOURCE}, {"来源", COL_SOURCE},
        {"notes", COL_NOTES}, {"备注", COL_NOTES},
    };
    char buf[128];
    size_t i;
    if (hgq_norm_collapse(h, strlen(h), buf, sizeof buf) == (size_t)-1)
        return -1;
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, buf) == 0)
            return names[i].col;
    return -1;
}

typedef struct pending {
    hgq_threshold *items;
    size_t n, cap;
    hgq_arena arena;
} pending;

static const char *cell_text(const hgq_row *row, long col)
{
    size_t i;
    if (col < 0)
        return "";
    for (i = 0; i < row->ncells; i++)
        if ((long)row->cells[i].col == col)
            return row->cells[i].type == HGQ_CELL_STRING && row->cells[i].text ? row->cells[i].text : "";
    return "";
}

static hgq_status row_error(hgq_error *err, const char *path, const hgq_row *row, long col,
                            const char *fmt, const char *a, const char *b)
{
    hgq_status st = hgq_error_set(err, HGQ_ESCHEMA, fmt, a, b);
    hgq_error_set_file(err, path);
    hgq_error_set_position(err, (long)row->index + 1, col >= 0 ? col + 1 : 0);
    return st;
}

static hgq_status read_row(pending *p, const char *path, const hgq_row *row, const long *cols,
                           hgq_error *err)
{
    hgq_threshold th;
    const char *ind = cell_text(row, cols[COL_INDICATOR]);
    const char *cmp = cell_text(row, cols[COL_CMP]);
    const char *val = cell_text(row, cols[COL_VALUE]);
    const char *unit = cell_text(row, cols[COL_UNIT]);
    char ibuf[256];
    hgq_number num;
    size_t i, blank = 1;
    for (i = 0; i < row->ncells; i++)
        if (row->cells[i].type == HGQ_CELL_STRING && row->cells[i].text &&
            strspn(row->cells[i].text, " \t") != strlen(row->cells[i].text))
            blank = 0;
    if (blank || ind[0] == '#' || (row->ncells && row->cells[0].text && row->cells[0].text[0] == '#'))
        return HGQ_OK;
    if (hgq_norm_fold(ind, strlen(ind), ibuf, sizeof ibuf) == (size_t)-1 || !*ibuf)
        return row_error(err, path, row, cols[COL_INDICATOR], "threshold row has no indicator id%s%s", "", "");
    memset(&th, 0, sizeof th);
    if (!hgq_op_parse(cmp, &th.op) || th.op == HGQ_OP_NE)
        return row_error(err, path, row, cols[COL_CMP],
                         "indicator '%s': comparison '%s' is not >=, <=, =, > or <", ibuf, cmp);
    if (!hgq_norm_number(val, strlen(val), &num))
        return row_error(err, path, row, cols[COL_VALUE], "indicator '%s': value '%s' is not a number",
                         ibuf, val);
    th.value = num.value;
    if (num.percent) {
        th.value = num.value * 100;
        if (!*unit)
            unit = "%";
    } else if (!*unit && num.unit[0]) {
        unit = num.unit;
    }
    th.indicator = hgq_arena_strdup(&p->arena, ibuf);
    th.school_type = hgq_arena_strdup(&p->arena, cell_text(row, cols[COL_TYPE]));
    th.unit = hgq_arena_strdup(&p->arena, unit);
    th.source = hgq_arena_strdup(&p->arena, cell_text(row, cols[COL_SOURCE]));
    th.notes = hgq_arena_strdup(&p->arena, cell_text(row, cols[COL_NOTES]));
    th.file = path;
    th.line = (long)row->index + 1;
    if (!th.indicator || !th.school_type || !th.unit || !th.source || !th.notes)
        return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
    if (p->n == p->cap) {
        size_t ncap = p->cap ? p->cap * 2 : 32;
        hgq_threshold *q = realloc(p->items, ncap * sizeof *q);
        if (!q)
            return hgq_error_set(err, HGQ_ENOMEM, "out of memory");
        p->items = q;
        p->cap = ncap;
    }
    p->items[p->n++] = th;
    return HGQ_OK;
}

static hgq_status load_file(hgq_catalogue *cat, const char *path, hgq_error *err)
{
    hgq_workbook *wb = NULL;
    hgq_rows *rows = NULL;
    const hgq_row *row;
    pending p;
    long cols[NCOLS];
    int have_header = 0;
    size_t i;
    hgq_status st;

    memset(&p, 0, sizeof p);
    hgq_arena_init(&p.arena);
    for (i = 0; i < NCOLS; i++)
        cols[i] = -1;
    if ((st = hgq_workbook_open(&wb, path, NULL, err)))
        goto done;
    if ((st = hgq_rows_open(&rows, wb, 0, err)))
        goto done;
    while ((st = hgq_rows_next(rows, &row, err)) == HGQ_OK && row) {
        if (!have_header) {
            if (row->ncells && row->cells[0].text && row->cells[0].text[0] == '#')
                continue;
            for (i = 0; i < row->ncells; i++) {
                int c = row->cells[i].text ? header_column(row->cells[i].text) : -1;
                if (c >= 0 && cols[c] < 0)
                    cols[c] = (long)row->cells[i].col;
            }
            if (cols[COL_INDICATOR] < 0 || cols[COL_CMP] < 0 || cols[COL_VALUE] < 0) {
                st = hgq_error_set(err, HGQ_ESCHEMA,
                                   "threshold file needs columns indicator, comparison and value in its header");
                hgq_error_set_file(err, path);
                hgq_error_set_position(err, (long)row->index + 1, 0);
                goto done;
            }
            have_header = 1;
            continue;
        }
        if ((st = read_row(&p, path, row, cols, err)))
            goto done;
    }
    if (st)
        goto done;
    if (!have_header) {
        st = hgq_error_set(err, HGQ_ESCHEMA, "threshold file is empty");
        hgq_error_set_file(err, path);
        goto done;
    }
    for (i = 0; i < p.n && !st; i++)
        st = hgq_catalogue_add_threshold(cat, &p.items[i], err);
done:
    hgq_rows_free(rows);
    hgq_workbook_free(wb);
    free(p.items);
    hgq_arena_free(&p.arena);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_csv_ext(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && (strcmp(name + n - 4, ".csv") == 0 || strcmp(name + n - 4, ".CSV") == 0);
}

hgq_status hgq_catalogue_load_thresholds(hgq_catalogue *cat, const char *path,
                                         hgq_error *err)
{
    struct stat sb;
    DIR *dir;
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    hgq_status st = HGQ_OK;
    if (!cat || !path)
        return hgq_error_set(err, HGQ_EARG, "no catalogue or path");
    if (stat(path, &sb) != 0) {
        st = hgq_error_set(err, HGQ_EIO, "cannot open threshold file or directory");
        hgq_error_set_file(err, path);
        return st;
    }
    if (!S_ISDIR(sb.st_mode))
        return load_file(cat, path, err);
    if (!(dir = opendir(path))) {
        st = hgq_error_set(err, HGQ_EIO, "cannot read threshold directory");
        hgq_error_set_file(err, path);
        return st;
    }
    while ((de = readdir(dir)) != NULL) {
        char *full;
        size_t len;
        if (de->d_name[0] == '.' || !has_csv_ext(de->d_name))
            continue;
        len = strlen(path) + strlen(de->d_name) + 2;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            char **q = realloc(names, ncap * sizeof *q);
            if (!q) {
                st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
                break;
            }
            names = q;
            cap = ncap;
        }
        if (!(full = malloc(len))) {
            st = hgq_error_set(err, HGQ_ENOMEM, "out of memory");
            break;
        }
        snprintf(full, len, "%s/%s", path, de->d_name);
        names[n++] = full;
    }
    closedir(dir);
    if (!st && n)
        qsort(names, n, sizeof *names, cmp_str);
    for (i = 0; i < n && !st; i++)
        st = load_file(cat, names[i], err);
    for (i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return st;
}

hgq_status hgq_catalogue_load_default_thresholds(hgq_catalogue *cat,
                                                 const char *datadir,
                                                 hgq_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/thresholds", datadir ? datadir : HGQ_DATADIR "/data");
    return hgq_catalogue_load_thresholds(cat, path, err);
}

/* }==================================================================== */
