/*
 * test_corpus.c - the real-world corpus ($HGQ_SHARED/corpus/calamine): every
 * file reads without a crash and either yields its cells or fails with a
 * clear error, and a good number of cells read to the values in the files'
 * XML (dates, 1904, ISO dates, inline and rich strings, phonetic runs,
 * escapes, errors, formulas and shared formulas, merges, namespaces, strict
 * OOXML, odd package layouts).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"
#include "hgq.h"

#define CORPUS(name) T_SHARED("corpus/calamine/" name)

typedef struct cellv {
    char ref[16];
    hgq_cell_type type;
    double num;
    char *text;
    char *formula;
    char *numfmt;
} cellv;

/* A whole sheet, held for checking (corpus sheets are small). */
typedef struct grid {
    cellv *cells;
    size_t n, cap;
    size_t rows;
    hgq_status st;
    hgq_error err;
} grid;

static void grid_free(grid *g)
{
    size_t i;
    for (i = 0; i < g->n; i++) {
        free(g->cells[i].text);
        free(g->cells[i].formula);
        free(g->cells[i].numfmt);
    }
    free(g->cells);
    memset(g, 0, sizeof *g);
}

static char *dup(const char *s)
{
    char *d;
    if (!s)
        return NULL;
    d = malloc(strlen(s) + 1);
    if (d)
        strcpy(d, s);
    return d;
}

static void load(grid *g, const char *file, const char *sheet, int formulas)
{
    hgq_reader_options opt;
    hgq_workbook *wb;
    hgq_rows *rows;
    const hgq_row *row;
    int idx;
    memset(g, 0, sizeof *g);
    hgq_reader_options_init(&opt);
    opt.want_formulas = formulas;
    g->st = hgq_workbook_open(&wb, file, &opt, &g->err);
    if (g->st != HGQ_OK) {
        printf("# %s: %s\n", file, g->err.message);
        return;
    }
    idx = sheet ? hgq_workbook_find_sheet(wb, sheet) : 0;
    if (idx < 0) {
        g->st = HGQ_ENOTFOUND;
        hgq_workbook_free(wb);
        return;
    }
    g->st = hgq_rows_open(&rows, wb, (size_t)idx, &g->err);
    if (g->st == HGQ_OK) {
        while ((g->st = hgq_rows_next(rows, &row, &g->err)) == HGQ_OK && row) {
            size_t i;
            g->rows++;
            for (i = 0; i < row->ncells; i++) {
                const hgq_cell *c = &row->cells[i];
                cellv *v;
                if (g->n == g->cap) {
                    g->cap = g->cap ? g->cap * 2 : 64;
                    g->cells = realloc(g->cells, g->cap * sizeof *g->cells);
                }
                v = &g->cells[g->n++];
                hgq_ref_format(c->row, c->col, v->ref, sizeof v->ref);
                v->type = c->type;
                v->num = c->number;
                v->text = dup(c->text);
                v->formula = dup(c->formula);
                v->numfmt = dup(c->numfmt);
            }
        }
        hgq_rows_free(rows);
    }
    hgq_workbook_free(wb);
}

static const cellv *at(const grid *g, const char *ref)
{
    static const cellv none = {"", (hgq_cell_type)-1, 0, NULL, NULL, NULL};
    size_t i;
    for (i = 0; i < g->n; i++)
        if (strcmp(g->cells[i].ref, ref) == 0)
            return &g->cells[i];
    return &none;
}

static const char *iso(double serial)
{
    static char buf[4][32];
    static int k;
    char *b = buf[k++ % 4];
    hgq_date_format_iso(serial, b, 32);
    return b;
}

#define CHECK_TEXT(g, ref, want)                                                \
    do {                                                                        \
        CHECK_EQ_INT(HGQ_CELL_STRING, at((g), (ref))->type);                    \
        CHECK_EQ_STR((want), at((g), (ref))->text);                             \
    } while (0)

#define CHECK_NUM(g, ref, want)                                                 \
    do {                                                                        \
        CHECK_EQ_INT(HGQ_CELL_NUMBER, at((g), (ref))->type);                    \
        CHECK_EQ_DBL((want), at((g), (ref))->num, 1e-9);                        \
    } while (0)

#define CHECK_DATE(g, ref, want)                                                \
    do {                                                                        \
        CHECK_EQ_INT(HGQ_CELL_DATE, at((g), (ref))->type);                      \
        CHECK_EQ_STR((want), iso(at((g), (ref))->num));                         \
    } while (0)

/* {====================================================================
 * Every file
 * ===================================================================== */

static int contract_ok(const hgq_row *row)
{
    size_t i;
    for (i = 0; i < row->ncells; i++) {
        const hgq_cell *c = &row->cells[i];
        if (c->row != row->index || c->col > HGQ_MAX_COL || !c->numfmt)
            return 0;
        if (i > 0 && c->col <= row->cells[i - 1].col)
            return 0;
        if ((c->type == HGQ_CELL_STRING || c->type == HGQ_CELL_ERROR) &&
            (!c->text || c->text[c->text_len] != '\0' || !hgq_utf8_valid(c->text, c->text_len)))
            return 0;
    }
    return 1;
}

/* Reads every sheet and its merges; returns the first failure. */
static hgq_status read_everything(const char *path, size_t *cells, hgq_error *err)
{
    hgq_reader_options opt;
    hgq_workbook *wb;
    hgq_status st;
    size_t i;
    hgq_reader_options_init(&opt);
    opt.want_formulas = 1;
    *cells = 0;
    st = hgq_workbook_open(&wb, path, &opt, err);
    if (st != HGQ_OK)
        return st;
    for (i = 0; i < hgq_workbook_sheet_count(wb) && st == HGQ_OK; i++) {
        hgq_rows *rows;
        const hgq_row *row;
        const hgq_range *m;
        size_t n;
        st = hgq_rows_open(&rows, wb, i, err);
        if (st != HGQ_OK)
            break;
        while ((st = hgq_rows_next(rows, &row, err)) == HGQ_OK && row) {
            CHECK(contract_ok(row));
            *cells += row->ncells;
        }
        hgq_rows_free(rows);
        if (st == HGQ_OK)
            st = hgq_workbook_merges(wb, i, &m, &n, err);
    }
    hgq_workbook_free(wb);
    return st;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

TEST(every_corpus_file_reads_or_fails_clearly)
{
    const char *dir = T_SHARED("corpus/calamine");
    DIR *d = opendir(dir);
    struct dirent *e;
    char *names[512];
    size_t n = 0, i, ok = 0, failed = 0;
    if (!d) {
        T_FAIL("cannot open %s", dir);
        return;
    }
    while ((e = readdir(d)) && n < 512) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".xlsx") == 0)
            names[n++] = dup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    CHECK(n >= 60);
    for (i = 0; i < n; i++) {
        char path[2048], line[2048];
        hgq_error err;
        size_t cells;
        hgq_status st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        st = read_everything(path, &cells, &err);
        if (st == HGQ_OK) {
            ok++;
            printf("# ok   %-40s %zu cells\n", names[i], cells);
        } else {
            failed++;
            CHECK_EQ_INT(st, err.code);
            CHECK(err.message[0] != '\0');
            CHECK_EQ_STR(path, err.file);
            hgq_error_format(&err, line, sizeof line);
            printf("# fail %-40s %s (%s)\n", names[i], line, hgq_status_name(st));
        }
        free(names[i]);
    }
    printf("# %zu files read, %zu failed with a message\n", ok, failed);
    /* only the two damaged files of the corpus fail */
    CHECK_EQ_INT(2, failed);
}

TEST(damaged_corpus_files_fail_with_their_reason)
{
    hgq_workbook *wb;
    hgq_error err;
    hgq_status st;
    CHECK_EQ_INT(HGQ_EUNSUPPORTED, hgq_workbook_open(&wb, CORPUS("pass_protected.xlsx"), NULL, &err));
    CHECK(strstr(err.message, "encrypted") != NULL);
    /* issue252.xlsx holds a relationship part of garbage with a bad CRC */
    st = hgq_workbook_open(&wb, CORPUS("issue252.xlsx"), NULL, &err);
    CHECK(st == HGQ_EXML || st == HGQ_EZIP);
    CHECK_EQ_STR("xl/_rels/workbook.xml.rels", err.part);
}

/* }==================================================================== */

/* {====================================================================
 * Pinned values
 * ===================================================================== */

TEST(dates_1900_1904_and_iso)
{
    grid g;
    load(&g, CORPUS("date.xlsx"), NULL, 0);
    CHECK_EQ_INT(HGQ_OK, g.st);
    CHECK_DATE(&g, "A1", "2021-01-01T00:00:00");
    CHECK_EQ_STR("yyyy\\-mm\\-dd", at(&g, "A1")->numfmt);
    CHECK_DATE(&g, "A2", "2021-01-02T00:00:00");
    CHECK_NUM(&g, "B1", 15);
    CHECK_DATE(&g, "A3", "1900-01-10T15:10:10"); /* [hh]:mm:ss duration */
    grid_free(&g);

    load(&g, CORPUS("date_1904.xlsx"), NULL, 0);
    CHECK_EQ_INT(HGQ_OK, g.st);
    CHECK_DATE(&g, "A1", "2021-01-01T00:00:00");
    CHECK_DATE(&g, "A2", "2021-01-02T00:00:00");
    CHECK_DATE(&g, "A3", "1904-01-11T15:10:10");
    CHECK_NUM(&g, "B3", 17);
    grid_free(&g);

    load(&g, CORPUS("date_iso.xlsx"), NULL, 0);
    CHECK_EQ_INT(HGQ_OK, g.st);
    CHECK_DATE(&g, "A1", "2021-01-01T00:00:00");
    CHECK_DATE(&g, "A2", "2021-01-01T10:10:10");
    CHECK_DATE(&g, "A3", "1899-12-30T10:10:10");
    CHECK_TEXT(&g, "A4", "This workbook contains datetime in ISO 8601");
    grid_free(&g);

    load(&g, CORPUS("date_quoted_format.xlsx"), NULL, 0);
    CHECK_DATE(&g, "A1", "2021-01-01T00:00:00");
    CHECK_DATE(&g, "A4", "2021-01-01T00:00:00");
    CHECK_EQ_STR("[$-411]ggge\"年\"m\"月\"d\"日\";@", at(&g, "A4")->numfmt);
    grid_free(&g);

    load(&g, CORPUS("issues.xlsx"), "datatypes", 0);
    CHECK_DATE(&g, "A6", "2016-10-20T00:00:00");
    CHECK_EQ_STR("mm-dd-yy", at(&g, "A6")->numfmt);
    CHECK_EQ_INT(HGQ_CELL_BOOL, at(&g, "A4")->type);
    CHECK_EQ_DBL(0, at(&g, "A4")->num, 0);
    CHECK_NUM(&g, "A2", 1.5);
    grid_free(&g);
}

TEST(strings_inline_rich_phonetic_escapes)
{
    grid g;
    load(&g, CORPUS("inlineStr_cdata.xlsx"), NULL, 0);
    CHECK_TEXT(&g, "A1", "Hello CDATA");
    CHECK_TEXT(&g, "A2", "12345");
    CHECK_TEXT(&g, "B2", "NormalText");
    grid_free(&g);

    load(&g, CORPUS("richtext-after-plain.xlsx"), NULL, 0);
    CHECK_TEXT(&g, "A1", "abcd");
    CHECK_TEXT(&g, "D1", "abcd");
    CHECK_TEXT(&g, "A2", "tvalrval1rval2");
    CHECK_TEXT(&g, "B2", "rval1rval2");
    grid_free(&g);

    load(&g, CORPUS("rph.xlsx"), NULL, 0);
    CHECK_TEXT(&g, "A1", "課きく　毛こ");
    grid_free(&g);

    load(&g, CORPUS("has_x000D_.xlsx"), NULL, 0);
    CHECK_TEXT(&g, "A1", "ABC\r\nDEF");
    grid_free(&g);

    /* no _rels/.rels: the workbook is found by its content type */
    load(&g, CORPUS("has_x000D_inline.xlsx"), NULL, 0);
    CHECK_EQ_INT(HGQ_OK, g.st);
    CHECK_TEXT(&g, "A1", "ABC\r\nDEF");
    grid_free(&g);

    load(&g, CORPUS("encoded_entities.xlsx"), NULL, 0);
    CHECK_TEXT(&g, "A1", "&");
    CHECK_TEXT(&g, "A2", "\n");
    grid_free(&g);

    load(&g, CORPUS("empty_shared_string.xlsx"), NULL, 0);
    CHECK_TEXT(&g, "A1", "abc");
    CHECK_TEXT(&g, "A2", "");
    grid_free(&g);

    load(&g, CORPUS("empty_shared_string_value.xlsx"), NULL, 0);
    CHECK_TEXT(&g, "C2", "Active");
    CHECK_TEXT(&g, "B3", "Berlin");
    CHECK_EQ_INT(HGQ_CELL_EMPTY, at(&g, "B2")->type);
    CHECK_EQ_INT(HGQ_CELL_EMPTY, at(&g, "C3")->type);
    grid_free(&g);

    load(&g, CORPUS("whitespace_trim.xlsx"), "inlineStr", 0);
    CHECK_TEXT(&g, "A1", "  trimmed value  ");
    CHECK_TEXT(&g, "A3", "日期 时间");
    grid_free(&g);
    load(&g, CORPUS("whitespace_trim.xlsx"), "SharedStrings", 0);
    CHECK_TEXT(&g, "B1", "  preserved value  ");
    CHECK_TEXT(&g, "B2", "  line1\nline2  ");
    grid_free(&g);

    load(&g, CORPUS("string-ref.xlsx"), NULL, 0);
    CHECK_TEXT(&g, "A2", "-8086931554011838357");
    grid_free(&g);

    load(&g, CORPUS("issues.xlsx"), "spc_chrs", 0);
    CHECK_TEXT(&g, "A2", "<");
    CHECK_TEXT(&g, "A8", "àâéêèçöïî«»");
    grid_free(&g);
}

TEST(errors_and_formulas)
{
    static const char *errs[][2] = {{"A1", "#DIV/0!"}, {"A2", "#NAME?"}, {"A3", "#VALUE!"},
                                    {"A4", "#NULL!"},  {"A5", "#REF!"},  {"A6", "#NUM!"},
                                    {"A7", "#N/A"}};
    grid g;
    size_t i;
    load(&g, CORPUS("errors.xlsx"), "Feuil1", 1);
    CHECK_EQ_INT(HGQ_OK, g.st);
    for (i = 0; i < 7; i++) {
        CHECK_EQ_INT(HGQ_CELL_ERROR, at(&g, errs[i][0])->type);
        CHECK_EQ_STR(errs[i][1], at(&g, errs[i][0])->text);
    }
    CHECK_EQ_STR("5/0", at(&g, "A1")->formula);
    CHECK_EQ_STR("VLOOKUP(B1,B1,B1,3)", at(&g, "A7")->formula);
    grid_free(&g);

    load(&g, CORPUS("formula.issue.xlsx"), NULL, 1);
    CHECK_NUM(&g, "A1", 23);
    CHECK_EQ_STR("C1+E5", at(&g, "A1")->formula);
    CHECK_TEXT(&g, "J14", "US");
    CHECK_EQ_STR("IF(OR(Q22=\"\",Q22=\"United States\"),\"US\",\"Foreign\")",
                 at(&g, "J14")->formula);
    grid_free(&g);

    /* without the option no formula text is given */
    load(&g, CORPUS("formula.issue.xlsx"), NULL, 0);
    CHECK(at(&g, "A1")->formula == NULL);
    grid_free(&g);

    load(&g, CORPUS("shared_formula_simple.xlsx"), NULL, 1);
    CHECK_EQ_STR("A1*2", at(&g, "B1")->formula);
    CHECK_EQ_STR("A2*2", at(&g, "B2")->formula);
    CHECK_EQ_STR("A3*2", at(&g, "B3")->formula);
    CHECK_NUM(&g, "B3", 6);
    grid_free(&g);

    load(&g, CORPUS("non_monotonic_si.xlsx"), NULL, 1);
    CHECK_EQ_STR("A4+1", at(&g, "A5")->formula);
    CHECK_EQ_STR("B5+2", at(&g, "B6")->formula);
    CHECK_EQ_STR("C5+3", at(&g, "C6")->formula);
    CHECK_NUM(&g, "C6", 18);
    grid_free(&g);

    load(&g, CORPUS("issue_565_multi_axis_shared.xlsx"), NULL, 1);
    CHECK_EQ_STR("D1", at(&g, "D1")->formula);
    CHECK_EQ_STR("D2", at(&g, "D2")->formula);
    CHECK_EQ_STR("D1", at(&g, "K1")->formula);
    CHECK_EQ_STR("A4", at(&g, "F4")->formula);
    grid_free(&g);

    load(&g, CORPUS("issue_567_absolute_shared.xlsx"), NULL, 1);
    CHECK_EQ_STR("E$1", at(&g, "E3")->formula);
    CHECK_EQ_STR("A$1", at(&g, "A3")->formula);
    grid_free(&g);

    load(&g, CORPUS("column_row_ranges.xlsx"), "Column ranges", 1);
    CHECK_EQ_STR("SUM(G:H)", at(&g, "C1")->formula);
    CHECK_EQ_STR("SUM(F:G)", at(&g, "B5")->formula);
    grid_free(&g);
    load(&g, CORPUS("column_row_ranges.xlsx"), "Row ranges", 1);
    CHECK_EQ_STR("SUM(7:8)", at(&g, "E3")->formula);
    CHECK_EQ_STR("SUM(5:6)", at(&g, "C1")->formula);
    grid_free(&g);

    load(&g, CORPUS("string-ref.xlsx"), "Sheet2", 1);
    CHECK_EQ_STR("Sheet1!A2", at(&g, "A2")->formula);
    grid_free(&g);
}

TEST(merged_ranges_of_the_corpus)
{
    hgq_workbook *wb;
    hgq_error err;
    const hgq_range *m;
    size_t n;
    if (hgq_workbook_open(&wb, CORPUS("merge_cells.xlsx"), NULL, &err) == HGQ_OK) {
        CHECK_EQ_INT(HGQ_OK, hgq_workbook_merges(wb, 0, &m, &n, &err));
        CHECK_EQ_INT(3, n);
        if (n == 3) {
            /* A1:B1, A2:A4, B2:D4 */
            CHECK(m[0].first_row == 0 && m[0].first_col == 0 && m[0].last_row == 0 && m[0].last_col == 1);
            CHECK(m[1].first_row == 1 && m[1].first_col == 0 && m[1].last_row == 3 && m[1].last_col == 0);
            CHECK(m[2].first_row == 1 && m[2].first_col == 1 && m[2].last_row == 3 && m[2].last_col == 3);
        }
        hgq_workbook_free(wb);
    } else {
        CHECK(0);
    }
    if (hgq_workbook_open(&wb, CORPUS("merged_range.xlsx"), NULL, &err) == HGQ_OK) {
        CHECK_EQ_INT(HGQ_OK, hgq_workbook_merges(wb, 0, &m, &n, &err));
        CHECK_EQ_INT(9, n);
        CHECK_EQ_INT(HGQ_OK, hgq_workbook_merges(wb, 1, &m, &n, &err));
        CHECK_EQ_INT(6, n);
        if (n == 6) /* F1:H4 */
            CHECK(m[2].first_row == 0 && m[2].first_col == 5 && m[2].last_row == 3 && m[2].last_col == 7);
        hgq_workbook_free(wb);
    } else {
        CHECK(0);
    }
    if (hgq_workbook_open(&wb, CORPUS("richtext-namespaced.xlsx"), NULL, &err) == HGQ_OK) {
        CHECK_EQ_INT(HGQ_OK, hgq_workbook_merges(wb, 0, &m, &n, &err));
        CHECK_EQ_INT(2, n); /* x:mergeCell with a prefix: A1:G3, H1:M3 */
        if (n == 2)
            CHECK(m[1].first_col == 7 && m[1].last_col == 12 && m[1].last_row == 2);
        hgq_workbook_free(wb);
    } else {
        CHECK(0);
    }
}

TEST(namespaces_strict_and_package_layouts)
{
    grid g;
    hgq_workbook *wb;
    hgq_error err;
    load(&g, CORPUS("nonstandard-xml-ns-prefix.xlsx"), NULL, 0);
    CHECK_EQ_INT(HGQ_OK, g.st);
    CHECK_TEXT(&g, "A1", "a");
    CHECK_TEXT(&g, "B1", "b");
    CHECK_NUM(&g, "B2", 3);
    CHECK_NUM(&g, "A3", 2);
    grid_free(&g);

    load(&g, CORPUS("richtext-namespaced.xlsx"), NULL, 0);
    CHECK_TEXT(&g, "A1", "inline string\nLine 2\nLine 3");
    CHECK_TEXT(&g, "H1", "shared string\nLine 2\nLine 3");
    CHECK_EQ_INT(HGQ_CELL_EMPTY, at(&g, "B1")->type);
    grid_free(&g);

    load(&g, CORPUS("strict_iso_paths.xlsx"), NULL, 0);
    CHECK_EQ_INT(HGQ_OK, g.st);
    CHECK_TEXT(&g, "A1", "Item");
    CHECK_TEXT(&g, "R1", "GoldenRun");
    CHECK_NUM(&g, "B2", 1.5);
    CHECK_EQ_STR("0.00", at(&g, "B2")->numfmt);
    CHECK_NUM(&g, "A3", 1625593500);
    CHECK_NUM(&g, "P3", 0.91151928000000004);
    CHECK_EQ_INT(76, g.rows);
    grid_free(&g);

    load(&g, CORPUS("minimal_package.xlsx"), NULL, 0);
    CHECK_EQ_INT(HGQ_OK, g.st);
    CHECK_TEXT(&g, "A1", "ARREST BOOKINGS for 01/30/17");
    CHECK_DATE(&g, "R4", "1985-02-25T00:00:00");
    grid_free(&g);

    load(&g, CORPUS("table_with_absolute_paths.xlsx"), NULL, 0);
    CHECK_NUM(&g, "A2", 100);
    CHECK_TEXT(&g, "B5", "East");
    grid_free(&g);

    load(&g, CORPUS("empty_s_attribute.xlsx"), NULL, 0);
    CHECK_NUM(&g, "B2", 1);
    CHECK_TEXT(&g, "A5", "Sam");
    grid_free(&g);

    /* backslashes in entry names, a Chinese sheet name */
    load(&g, CORPUS("issue_530.xlsx"), "出勤分类组织汇总表", 0);
    CHECK_EQ_INT(HGQ_OK, g.st);
    CHECK_TEXT(&g, "B1", "于国栋");
    CHECK_TEXT(&g, "H4", "总人数");
    grid_free(&g);

    /* rows and cells without r */
    load(&g, CORPUS("issue_261.xlsx"), NULL, 0);
    CHECK_EQ_INT(HGQ_OK, g.st);
    CHECK_TEXT(&g, "A1", "String Value 32");
    CHECK_DATE(&g, "B7", "2023-03-15T00:00:00");
    CHECK_NUM(&g, "G8", 902);
    grid_free(&g);

    if (hgq_workbook_open(&wb, CORPUS("any_sheets.xlsx"), NULL, &err) == HGQ_OK) {
        CHECK_EQ_INT(4, hgq_workbook_sheet_count(wb));
        CHECK_EQ_STR("Visible", hgq_workbook_sheet(wb, 0)->name);
        CHECK_EQ_INT(HGQ_HIDDEN, hgq_workbook_sheet(wb, 1)->visibility);
        CHECK_EQ_INT(HGQ_VERY_HIDDEN, hgq_workbook_sheet(wb, 2)->visibility);
        CHECK_EQ_STR("Chart", hgq_workbook_sheet(wb, 3)->name);
        hgq_workbook_free(wb);
    } else {
        CHECK(0);
    }
    if (hgq_workbook_open(&wb, CORPUS("issues.xlsx"), NULL, &err) == HGQ_OK) {
        CHECK_EQ_INT(3, hgq_workbook_name_count(wb));
        CHECK_EQ_STR("MyDataTypes", hgq_workbook_name(wb, 1)->name);
        CHECK_EQ_STR("datatypes!$A$1:$A$6", hgq_workbook_name(wb, 1)->value);
        hgq_workbook_free(wb);
    } else {
        CHECK(0);
    }
    if (hgq_workbook_open(&wb, CORPUS("issue_553.xlsx"), NULL, &err) == HGQ_OK) {
        CHECK_EQ_INT(1, hgq_workbook_name_count(wb));
        CHECK_EQ_STR("한글", hgq_workbook_name(wb, 0)->name);
        CHECK_EQ_STR("Sheet1!$B$2:$B$12", hgq_workbook_name(wb, 0)->value);
        hgq_workbook_free(wb);
    } else {
        CHECK(0);
    }
    if (hgq_workbook_open(&wb, CORPUS("strict_iso_paths.xlsx"), NULL, &err) == HGQ_OK) {
        CHECK_EQ_INT(1, hgq_workbook_name_count(wb));
        CHECK_EQ_INT(0, hgq_workbook_name(wb, 0)->local_sheet);
        CHECK_EQ_INT(1, hgq_workbook_name(wb, 0)->hidden);
        hgq_workbook_free(wb);
    } else {
        CHECK(0);
    }
}

TEST(number_formats_of_the_corpus)
{
    grid g;
    load(&g, CORPUS("temperature-in-middle.xlsx"), NULL, 0);
    CHECK_TEXT(&g, "B4", "label");
    CHECK_EQ_STR("@", at(&g, "B4")->numfmt);
    CHECK_NUM(&g, "C5", 22.2222);
    CHECK_EQ_STR("General", at(&g, "C5")->numfmt);
    grid_free(&g);
    load(&g, CORPUS("issues.xlsx"), "issue5", 0);
    CHECK_NUM(&g, "A1", 0.5);
    CHECK_EQ_STR("0", at(&g, "A1")->numfmt);
    grid_free(&g);
}

/* }==================================================================== */

int main(void)
{
    RUN(every_corpus_file_reads_or_fails_clearly);
    RUN(damaged_corpus_files_fail_with_their_reason);
    RUN(dates_1900_1904_and_iso);
    RUN(strings_inline_rich_phonetic_escapes);
    RUN(errors_and_formulas);
    RUN(merged_ranges_of_the_corpus);
    RUN(namespaces_strict_and_package_layouts);
    RUN(number_formats_of_the_corpus);
    return t_done();
}
