/*
 * test_writer.c - the workbook writer: tables, merged headers, totals as
 * live formulas, cross-tabs, named formats, highlights, charts, print setup,
 * widths, personal data, safe regeneration and constant-memory streaming.
 *
 * Golden tests: each writes a workbook and checks what the file holds - cell
 * values, formulas with their cached results, merged ranges, number formats
 * and fonts of the cells' styles - by reading the parts of the zip
 * (xlsx_peek.h), and once more through the library's reader.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hgq.h"
#include "t.h"
#include "xlsx_peek.h"

static char tmpdir[512];

static const char *tpath(const char *name)
{
    static char bufs[8][1024];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, 1024, "%s/%s", tmpdir, name);
    return b;
}

static void make_tmpdir(void)
{
    const char *root = getenv("HGQ_TMP");
    snprintf(tmpdir, sizeof tmpdir, "%s/hgq-writer-XXXXXX", root && *root ? root : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        exit(2);
    }
}

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[1024];
    struct stat st;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            rm_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Number of entries of `dir` whose name contains `part`. */
static int count_files(const char *dir, const char *part)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, part))
            n++;
    closedir(d);
    return n;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    if (len)
        *len = (size_t)n;
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static hgq_writer *open_writer(const char *name, const hgq_writer_options *opt)
{
    hgq_writer *w = NULL;
    hgq_error err;
    if (hgq_writer_new(&w, tpath(name), opt, &err) != HGQ_OK)
        printf("# hgq_writer_new: %s\n", err.message);
    return w;
}

static int close_writer(hgq_writer *w)
{
    hgq_error err;
    hgq_status s = hgq_writer_close(w, &err);
    if (s != HGQ_OK)
        printf("# hgq_writer_close: %s\n", err.message);
    hgq_writer_free(w);
    return s;
}

/* {====================================================================
 * Tables
 * ===================================================================== */

/* 表2-like: one header row, a totals row of SUM formulas. */
TEST(table_title_header_totals)
{
    const char *header[] = {"专业类别", "专业数", "新生人数"};
    const char *formats[] = {"text", "integer", "integer"};
    hgq_value rows[] = {
        hgq_text("机械类"), hgq_int(3), hgq_int(180),
        hgq_text("电工电子类"), hgq_int(2), hgq_int(146),
        hgq_text("信息类"), hgq_int(2), hgq_int(126),
        hgq_text("财经商贸类"), hgq_int(1), hgq_int(97)};
    hgq_writer *w = open_writer("t1.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_table_area a;
    hgq_error err;
    peek_book b;
    const peek_sheet *s;
    const peek_cell *c;

    CHECK(w != NULL);
    if (!w)
        return;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_add_sheet(w, "表2", NULL, &sh, &err));
    hgq_table_layout_init(&t);
    t.title = "表2 新生情况统计表";
    t.ncols = 3;
    t.header_rows = 1;
    t.header = header;
    t.formats = formats;
    t.totals_row = "合计";
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh, &t, rows, 4, &a, &err));
    CHECK_EQ_INT(0, a.first_row);
    CHECK_EQ_INT(0, a.title_row);
    CHECK_EQ_INT(1, a.header_first_row);
    CHECK_EQ_INT(1, a.header_last_row);
    CHECK_EQ_INT(2, a.body_first_row);
    CHECK_EQ_INT(5, a.body_last_row);
    CHECK_EQ_INT(4, a.body_rows);
    CHECK_EQ_INT(6, a.totals_row);
    CHECK_EQ_INT(6, a.last_row);
    CHECK_EQ_INT(2, a.last_col);
    CHECK_EQ_INT(HGQ_WRITER_NONE, a.totals_col);
    CHECK_EQ_INT(7, hgq_writer_sheet_next_row(sh));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));

    CHECK_EQ_INT(0, peek_open(&b, tpath("t1.xlsx")));
    s = peek_sheet_named(&b, "表2");
    CHECK(s != NULL);
    CHECK_EQ_STR("表2 新生情况统计表", peek_text(s, "A1"));
    CHECK(peek_has_merge(s, "A1:C1"));
    c = peek_get(s, "A1");
    CHECK(peek_font_of(&b, c->s)->bold);
    CHECK_EQ_DBL(16.0, peek_font_of(&b, c->s)->size, 1e-9);
    CHECK_EQ_STR("宋体", peek_font_of(&b, c->s)->name);
    CHECK_EQ_STR("center", peek_halign(&b, c->s));
    c = peek_get(s, "B2");
    CHECK_EQ_STR("专业数", peek_text(s, "B2"));
    CHECK(peek_font_of(&b, c->s)->bold);
    CHECK(peek_bordered(&b, c->s));
    CHECK_EQ_STR("机械类", peek_text(s, "A3"));
    CHECK_EQ_DBL(180, peek_num(s, "C3"), 0);
    c = peek_get(s, "C3");
    CHECK_EQ_STR("0", peek_numfmt(&b, c->s));
    CHECK(peek_bordered(&b, c->s));
    CHECK(!peek_font_of(&b, c->s)->bold);
    CHECK_EQ_DBL(11.0, peek_font_of(&b, c->s)->size, 1e-9);
    CHECK_EQ_STR("合计", peek_text(s, "A7"));
    c = peek_get(s, "B7");
    CHECK_EQ_STR("SUM(B3:B6)", c->f);
    CHECK_EQ_STR("8", c->v);
    c = peek_get(s, "C7");
    CHECK_EQ_STR("SUM(C3:C6)", c->f);
    CHECK_EQ_STR("549", c->v);
    CHECK(peek_font_of(&b, c->s)->bold);
    CHECK_EQ_STR("0", peek_numfmt(&b, c->s));
    /* one table: header frozen and repeated on printed pages */
    CHECK(strstr(s->xml, "<pane ySplit=\"2\" topLeftCell=\"A3\"") != NULL);
    CHECK(strstr(b.workbook_xml, "_xlnm.Print_Titles") != NULL);
    CHECK(strstr(b.workbook_xml, "'表2'!$2:$2") != NULL || strstr(b.workbook_xml, "表2!$2:$2") != NULL);
    CHECK(strstr(s->xml, "paperSize=\"9\"") != NULL);
    CHECK(strstr(s->xml, "orientation=\"portrait\"") != NULL);
    CHECK(strstr(s->xml, "fitToHeight=\"0\"") != NULL);
    CHECK(strstr(s->xml, "<fitToPage/>") != NULL || strstr(s->xml, "fitToPage=\"1\"") != NULL);
    CHECK(strstr(s->xml, "<oddFooter>&amp;C第 &amp;P 页，共 &amp;N 页</oddFooter>") != NULL);
    peek_close(&b);
}

/* 表5's two-level header: merges from empty and repeated cells, totals row and column. */
TEST(table_two_level_header_totals_col)
{
    const char *header[] = {
        "工种", "等级", "年份", "", "",
        "", "", "2013", "2014", "2015"};
    const char *formats[] = {"text", "text", "integer", "integer", "integer"};
    hgq_value rows[] = {
        hgq_text("车工"), hgq_text("三级"), hgq_int(33), hgq_null(), hgq_null(),
        hgq_text("车工"), hgq_text("四级"), hgq_null(), hgq_null(), hgq_int(58),
        hgq_text("钳工"), hgq_text("四级"), hgq_null(), hgq_null(), hgq_int(44),
        hgq_text("钳工"), hgq_text("五级"), hgq_null(), hgq_int(105), hgq_int(14)};
    hgq_writer *w = open_writer("t5.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_table_area a;
    hgq_error err;
    peek_book b;
    const peek_sheet *s;
    const peek_cell *c;
    if (!w)
        return;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_add_sheet(w, "表5", NULL, &sh, &err));
    hgq_table_layout_init(&t);
    t.title = "表5 历年技能等级认定人数统计表";
    t.ncols = 5;
    t.header_rows = 2;
    t.header = header;
    t.formats = formats;
    t.group_cols = 1;
    t.totals_row = "总计";
    t.totals_col = "合计";
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh, &t, rows, 4, &a, &err));
    CHECK_EQ_INT(5, a.totals_col);
    CHECK_EQ_INT(5, a.last_col);
    CHECK_EQ_INT(3, a.body_first_row);
    CHECK_EQ_INT(7, a.totals_row);
    CHECK_EQ_INT(HGQ_OK, close_writer(w));

    CHECK_EQ_INT(0, peek_open(&b, tpath("t5.xlsx")));
    s = peek_sheet_named(&b, "表5");
    CHECK(peek_has_merge(s, "A1:F1"));   /* title over the totals column too */
    CHECK(peek_has_merge(s, "A2:A3"));   /* 工种 over an empty cell */
    CHECK(peek_has_merge(s, "B2:B3"));
    CHECK(peek_has_merge(s, "C2:E2"));   /* 年份 over three years */
    CHECK(peek_has_merge(s, "F2:F3"));   /* the totals column's header */
    CHECK(peek_has_merge(s, "A4:A5"));   /* 车工 grouped */
    CHECK(peek_has_merge(s, "A6:A7"));   /* 钳工 grouped */
    CHECK(peek_has_merge(s, "A8:B8"));   /* 总计 label over both label columns */
    CHECK_EQ_INT(8, (long long)s->nmerges);
    CHECK_EQ_STR("年份", peek_text(s, "C2"));
    CHECK_EQ_STR("2014", peek_text(s, "D3"));
    CHECK_EQ_STR("合计", peek_text(s, "F2"));
    CHECK_EQ_STR("钳工", peek_text(s, "A6"));
    CHECK_EQ_STR("center", peek_halign(&b, peek_get(s, "A6")->s));
    c = peek_get(s, "F4");
    CHECK_EQ_STR("SUM(C4:E4)", c->f);
    CHECK_EQ_STR("33", c->v);
    c = peek_get(s, "F7");
    CHECK_EQ_STR("SUM(C7:E7)", c->f);
    CHECK_EQ_STR("119", c->v);
    c = peek_get(s, "E8");
    CHECK_EQ_STR("SUM(E4:E7)", c->f);
    CHECK_EQ_STR("116", c->v);
    c = peek_get(s, "F8");
    CHECK_EQ_STR("SUM(F4:F7)", c->f);
    CHECK_EQ_STR("254", c->v);
    CHECK_EQ_STR("总计", peek_text(s, "A8"));
    /* empty body cells are bordered blanks */
    c = peek_get(s, "D4");
    CHECK(c->v == NULL && peek_bordered(&b, c->s));
    peek_close(&b);
}

TEST(header_merge_rules)
{
    /* Leading empties merge with each other; a repeated text spans; explicit merges. */
    const char *h1[] = {"", "", "合计", "30岁以下", "31-40岁"};
    const char *h2[] = {"学历", "学历", "职称", "职称", "总计",
                        "本科", "专科", "中级", "初级", "总计"};
    const char *h3[] = {"A", "B", "C", "x", "y", "z"};
    hgq_range m[] = {{0, 0, 1, 0}, {0, 1, 0, 2}};
    hgq_value r1[] = {hgq_text("x"), hgq_text("y"), hgq_int(1), hgq_int(1), hgq_int(0)};
    hgq_value r2[] = {hgq_int(1), hgq_int(2), hgq_int(3), hgq_int(4), hgq_int(5)};
    hgq_value r3[] = {hgq_int(1), hgq_int(2), hgq_int(3)};
    hgq_writer *w = open_writer("hm.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_table_area a1, a2, a3;
    hgq_error err;
    peek_book b;
    const peek_sheet *s;
    if (!w)
        return;
    hgq_writer_add_sheet(w, "h", NULL, &sh, &err);
    hgq_table_layout_init(&t);
    t.ncols = 5;
    t.header_rows = 1;
    t.header = h1;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh, &t, r1, 1, &a1, &err));
    t.header_rows = 2;
    t.header = h2;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh, &t, r2, 1, &a2, &err));
    hgq_table_layout_init(&t);
    t.ncols = 3;
    t.header_rows = 2;
    t.header = h3;
    t.merges = m;
    t.nmerges = 2;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh, &t, r3, 1, &a3, &err));
    /* an overlapping explicit merge is refused */
    hgq_range bad[] = {{0, 0, 1, 0}, {1, 0, 1, 1}};
    t.merges = bad;
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_table(sh, &t, r3, 1, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    CHECK_EQ_INT(0, a1.first_row);
    CHECK_EQ_INT(3, a2.first_row);   /* one empty row between tables */
    CHECK_EQ_INT(7, a3.first_row);

    CHECK_EQ_INT(0, peek_open(&b, tpath("hm.xlsx")));
    s = &b.sheets[0];
    CHECK(peek_has_merge(s, "A1:B1"));
    CHECK(peek_has_merge(s, "A4:B4"));   /* 学历 学历 */
    CHECK(peek_has_merge(s, "C4:D4"));   /* 职称 职称 */
    CHECK(peek_has_merge(s, "E4:E5"));   /* 总计 over 总计 */
    CHECK(peek_has_merge(s, "A8:A9"));   /* explicit */
    CHECK(peek_has_merge(s, "B8:C8"));
    CHECK_EQ_INT(6, (long long)s->nmerges);
    CHECK_EQ_STR("专科", peek_text(s, "B5"));
    CHECK_EQ_STR("B", peek_text(s, "B8"));
    CHECK_EQ_STR("z", peek_text(s, "C9"));
    /* several tables: nothing frozen, no print titles */
    CHECK(strstr(s->xml, "<pane") == NULL);
    CHECK(strstr(b.workbook_xml, "Print_Titles") == NULL);
    peek_close(&b);
}

TEST(streamed_table_and_plain_rows)
{
    const char *header[] = {"学号", "姓名", "入学年份"};
    hgq_value row[3];
    hgq_writer *w = open_writer("st.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_table_area a;
    hgq_error err;
    peek_book b;
    const peek_sheet *s;
    int i;
    if (!w)
        return;
    hgq_writer_add_sheet(w, "名册", NULL, &sh, &err);
    /* rows without a table: plain cells, typed by value */
    row[0] = hgq_text("说明");
    row[1] = hgq_num(1.5);
    row[2] = hgq_bool(1);
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_append_row(sh, row, 3, &err));
    CHECK_EQ_INT(1, hgq_writer_sheet_next_row(sh));
    hgq_table_layout_init(&t);
    t.ncols = 3;
    t.header_rows = 1;
    t.header = header;
    t.totals_row = "合计";
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_begin_table(sh, &t, &a, &err));
    CHECK_EQ_INT(2, a.first_row);
    CHECK_EQ_INT(3, a.body_first_row);
    CHECK_EQ_INT(HGQ_ESTATE, hgq_writer_sheet_begin_table(sh, &t, NULL, &err));
    for (i = 0; i < 5; i++) {
        char no[16];
        snprintf(no, sizeof no, "2025%03d", i + 1);
        row[0] = hgq_text(no);
        row[1] = hgq_text("学生");
        row[2] = hgq_int(2023 + i % 3);
        CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_append_row(sh, row, 3, &err));
    }
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_append_row(sh, row, 2, &err));
    CHECK(strstr(err.message, "2 values") != NULL);
    CHECK_EQ_STR("名册", err.sheet);
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_end_table(sh, &a, &err));
    CHECK_EQ_INT(HGQ_ESTATE, hgq_writer_sheet_end_table(sh, NULL, &err));
    CHECK_EQ_INT(5, a.body_rows);
    CHECK_EQ_INT(8, a.totals_row);
    CHECK_EQ_INT(HGQ_OK, close_writer(w));

    CHECK_EQ_INT(0, peek_open(&b, tpath("st.xlsx")));
    s = &b.sheets[0];
    CHECK_EQ_STR("说明", peek_text(s, "A1"));
    CHECK_EQ_STR("1.5", peek_get(s, "B1")->v);
    CHECK_EQ_STR("是", peek_text(s, "C1"));
    CHECK(!peek_bordered(&b, peek_get(s, "A1")->s));
    CHECK_EQ_STR("2025001", peek_text(s, "A4"));
    /* labels decided by the first row: 学号 and 姓名 are text, not summed */
    CHECK_EQ_STR("合计", peek_text(s, "A9"));
    CHECK(peek_has_merge(s, "A9:B9"));
    CHECK_EQ_STR("SUM(C4:C8)", peek_get(s, "C9")->f);
    CHECK_EQ_STR("10119", peek_get(s, "C9")->v);
    peek_close(&b);
}

/* }==================================================================== */

/* {====================================================================
 * Formats and values
 * ===================================================================== */

TEST(named_formats)
{
    static const struct { const char *name; hgq_value v; const char *code; const char *v_or_text; } k[] = {
        {"text", {HGQ_TEXT, {.s = "机械类"}}, "@", "机械类"},
        {"integer", {HGQ_INT, {.i = 549}}, "0", "549"},
        {"number", {HGQ_NUM, {.d = 62.5}}, "0.00", "62.5"},
        {"percent", {HGQ_NUM, {.d = 0.9627}}, "0.00%", "0.9627"},
        {"万元", {HGQ_NUM, {.d = 625.46}}, "#,##0.00", "625.46"},
        {"元", {HGQ_NUM, {.d = 5397.86}}, "#,##0.00", "5397.86"},
        {"area", {HGQ_NUM, {.d = 62020}}, "#,##0.00", "62020"},
        {"date", {HGQ_DATE, {.d = 45901}}, "yyyy-mm-dd", "45901"},
        {"ratio", {HGQ_NUM, {.d = 20}}, "@", "20:1"},
        {"ratio", {HGQ_NUM, {.d = 19.5}}, "@", "19.5:1"},
        {"ratio", {HGQ_TEXT, {.s = "1:20"}}, "@", "1:20"},
        {"general", {HGQ_NUM, {.d = 1.25}}, "General", "1.25"},
        {"code:0.0", {HGQ_NUM, {.d = 3.14}}, "0.0", "3.14"},
        {"bool", {HGQ_BOOL, {.b = 1}}, "General", "1"},
        {NULL, {HGQ_BOOL, {.b = 0}}, "General", "否"},
        {NULL, {HGQ_DATE, {.d = 45292}}, "yyyy-mm-dd", "45292"},
        {"text", {HGQ_DATE, {.d = 45292}}, "yyyy-mm-dd", "45292"},
        {"date", {HGQ_DATE, {.d = 30}}, "yyyy-mm-dd", "29"},   /* before 1900-03-01 */
    };
    hgq_writer *w = open_writer("fmt.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_error err;
    peek_book b;
    const peek_sheet *s;
    size_t i;
    if (!w)
        return;
    hgq_writer_add_sheet(w, "formats", NULL, &sh, &err);
    for (i = 0; i < sizeof k / sizeof k[0]; i++) {
        CHECK(k[i].name == NULL || hgq_writer_format_valid(k[i].name));
        CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_write(sh, (uint32_t)i, 0, &k[i].v, k[i].name, &err));
    }
    CHECK(!hgq_writer_format_valid("integr"));
    CHECK(!hgq_writer_format_valid("code:"));
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_write(sh, 0, 1, &k[0].v, "integr", &err));
    CHECK(strstr(err.message, "integr") != NULL);
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_write(sh, HGQ_MAX_ROW + 1, 0, &k[0].v, NULL, &err));
    {
        /* longer than a cell holds: refused, naming the cell */
        char *big = malloc(40001);
        hgq_value v;
        memset(big, 'x', 40000);
        big[40000] = '\0';
        v = hgq_text(big);
        CHECK_EQ_INT(HGQ_EDATA, hgq_writer_sheet_write(sh, 3, 5, &v, NULL, &err));
        CHECK_EQ_STR("F4", err.cell);
        CHECK_EQ_STR("formats", err.sheet);
        free(big);
    }
    CHECK_EQ_INT(HGQ_OK, close_writer(w));

    CHECK_EQ_INT(0, peek_open(&b, tpath("fmt.xlsx")));
    s = &b.sheets[0];
    for (i = 0; i < sizeof k / sizeof k[0]; i++) {
        char ref[16];
        const peek_cell *c;
        hgq_ref_format((uint32_t)i, 0, ref, sizeof ref);
        c = peek_get(s, ref);
        if (strcmp(k[i].code, peek_numfmt(&b, c->s)) != 0 ||
            strcmp(k[i].v_or_text, peek_text(s, ref)) != 0)
            T_FAIL("%s (%s): want %s / %s, got %s / %s", ref, k[i].name ? k[i].name : "NULL",
                   k[i].code, k[i].v_or_text, peek_numfmt(&b, c->s), peek_text(s, ref));
        CHECK_EQ_STR("宋体", peek_font_of(&b, c->s)->name);
    }
    CHECK_EQ_STR("b", peek_get(s, "A14")->t);   /* a real boolean */
    peek_close(&b);
}

TEST(formulas_with_cached_values)
{
    hgq_writer *w = open_writer("f.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_error err;
    hgq_value n1 = hgq_int(1260), n2 = hgq_int(63), c = hgq_num(20.0), t = hgq_text("达标");
    hgq_value p = hgq_num(0.7021);
    peek_book b;
    const peek_sheet *s;
    if (!w)
        return;
    hgq_writer_add_sheet(w, "f", NULL, &sh, &err);
    hgq_writer_sheet_write(sh, 0, 0, &n1, "integer", &err);
    hgq_writer_sheet_write(sh, 0, 1, &n2, "integer", &err);
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_write_formula(sh, 0, 2, "=A1/B1", &c, "number", &err));
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_write_formula(sh, 0, 3, "IF(C1<=20,\"达标\",\"未达标\")",
                                                      &t, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_write_formula(sh, 0, 4, "=B1/A1*14", &p, "percent", &err));
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_write_formula(sh, 0, 5, "=A1", NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_write_formula(sh, 0, 6, "", &c, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    CHECK_EQ_INT(0, peek_open(&b, tpath("f.xlsx")));
    s = &b.sheets[0];
    CHECK_EQ_STR("A1/B1", peek_get(s, "C1")->f);
    CHECK_EQ_STR("20", peek_get(s, "C1")->v);
    CHECK_EQ_STR("0.00", peek_numfmt(&b, peek_get(s, "C1")->s));
    CHECK_EQ_STR("IF(C1<=20,\"达标\",\"未达标\")", peek_get(s, "D1")->f);
    CHECK_EQ_STR("str", peek_get(s, "D1")->t);
    CHECK_EQ_STR("达标", peek_text(s, "D1"));
    CHECK_EQ_DBL(0.7021, peek_num(s, "E1"), 1e-12);
    CHECK_EQ_STR("0.00%", peek_numfmt(&b, peek_get(s, "E1")->s));
    CHECK_EQ_STR("A1", peek_get(s, "F1")->f);
    peek_close(&b);
}

TEST(personal_ids_masked_by_default)
{
    const char *header[] = {"姓名", "身份证号"};
    const char *formats[] = {"text", "idcard"};
    /* an ID typed into a number cell has lost its last digits already */
    hgq_value rows[] = {hgq_text("张三"), hgq_text("43041220080101123X"),
                        hgq_text("李四"), hgq_num(430412200801011264.0)};
    hgq_writer_options opt;
    hgq_table_layout t;
    hgq_error err;
    peek_book b;
    int pass;
    hgq_table_layout_init(&t);
    t.ncols = 2;
    t.header_rows = 1;
    t.header = header;
    t.formats = formats;
    for (pass = 0; pass < 2; pass++) {
        hgq_writer *w;
        hgq_writer_sheet *sh;
        hgq_writer_options_init(&opt);
        opt.unmask_ids = pass;
        w = open_writer("id.xlsx", &opt);
        if (!w)
            return;
        hgq_writer_add_sheet(w, "学生", NULL, &sh, &err);
        CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh, &t, rows, 2, NULL, &err));
        CHECK_EQ_INT(HGQ_OK, close_writer(w));
        CHECK_EQ_INT(0, peek_open(&b, tpath("id.xlsx")));
        if (pass == 0) {
            CHECK_EQ_STR("430412********123X", peek_text(&b.sheets[0], "B2"));
            CHECK_EQ_STR("430412********1264", peek_text(&b.sheets[0], "B3"));
        } else {
            CHECK_EQ_STR("43041220080101123X", peek_text(&b.sheets[0], "B2"));
        }
        /* the full number appears nowhere in the file */
        if (pass == 0) {
            size_t i;
            for (i = 0; i < b.nsst; i++)
                CHECK(strstr(b.sst[i], "20080101") == NULL);
            CHECK(strstr(b.sheets[0].xml, "20080101") == NULL);
        }
        peek_close(&b);
    }
}

TEST(column_widths_count_cjk_double)
{
    hgq_writer *w = open_writer("wd.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_error err;
    hgq_value a = hgq_text("abcdefghij"), z = hgq_text("技工教育质量年度报"), n = hgq_num(1234567.891);
    peek_book b;
    const char *p;
    double wa = 0, wz = 0, wn = 0, wd = 0;
    if (!w)
        return;
    hgq_writer_add_sheet(w, "w", NULL, &sh, &err);
    hgq_writer_sheet_write(sh, 0, 0, &a, NULL, &err);   /* 10 wide */
    hgq_writer_sheet_write(sh, 0, 1, &z, NULL, &err);   /* 9 characters, 18 wide */
    hgq_writer_sheet_write(sh, 0, 2, &n, "万元", &err); /* 1,234,567.89 */
    hgq_writer_sheet_write(sh, 0, 3, &a, NULL, &err);
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_set_width(sh, 3, 30, &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_set_width(sh, 3, 300, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    CHECK_EQ_INT(0, peek_open(&b, tpath("wd.xlsx")));
    p = b.sheets[0].xml;
    p = strstr(p, "<col min=\"1\" max=\"1\" width=\"");
    if (p) wa = atof(p + strlen("<col min=\"1\" max=\"1\" width=\""));
    p = strstr(b.sheets[0].xml, "<col min=\"2\" max=\"2\" width=\"");
    if (p) wz = atof(p + strlen("<col min=\"2\" max=\"2\" width=\""));
    p = strstr(b.sheets[0].xml, "<col min=\"3\" max=\"3\" width=\"");
    if (p) wn = atof(p + strlen("<col min=\"3\" max=\"3\" width=\""));
    p = strstr(b.sheets[0].xml, "<col min=\"4\" max=\"4\" width=\"");
    if (p) wd = atof(p + strlen("<col min=\"4\" max=\"4\" width=\""));
    CHECK(wa >= 11 && wa < 15);
    CHECK(wz >= 19 && wz < 24);
    CHECK(wz > wa + 7);
    CHECK(wn >= 13 && wn < 18);
    CHECK(wd >= 30 && wd < 31);
    peek_close(&b);
}

/* }==================================================================== */

/* {====================================================================
 * Print setup, properties, highlights, charts
 * ===================================================================== */

TEST(wide_sheet_landscape_and_properties)
{
    const char *header[12] = {"工种", "等级", "2013", "2014", "2015", "2016", "2017", "2018",
                              "2019", "2022", "2023", "2024"};
    hgq_value row[12];
    hgq_writer_options opt;
    hgq_sheet_options so;
    hgq_writer *w;
    hgq_writer_sheet *sh, *sh2;
    hgq_table_layout t;
    hgq_error err;
    peek_book b;
    char *core, *app;
    int i;
    hgq_writer_options_init(&opt);
    opt.title = "2025年质量年度报告数据";
    opt.author = "衡阳工业技工学校";
    opt.subject = "技工教育质量年度报告";
    opt.company = "衡阳工业技工学校";
    opt.created = 1756684800;   /* 2025-09-01T00:00:00Z */
    w = open_writer("wide.xlsx", &opt);
    if (!w)
        return;
    hgq_writer_add_sheet(w, "wide", NULL, &sh, &err);
    hgq_sheet_options_init(&so);
    so.orientation = HGQ_ORIENT_LANDSCAPE;
    so.freeze = 0;
    so.print_setup = 0;
    hgq_writer_add_sheet(w, "narrow", &so, &sh2, &err);
    hgq_table_layout_init(&t);
    t.ncols = 12;
    t.header_rows = 1;
    t.header = header;
    for (i = 0; i < 12; i++)
        row[i] = i < 2 ? hgq_text("车工") : hgq_int(i);
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh, &t, row, 1, NULL, &err));
    t.ncols = 2;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh2, &t, row, 1, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    CHECK_EQ_INT(0, peek_open(&b, tpath("wide.xlsx")));
    CHECK(strstr(b.sheets[0].xml, "orientation=\"landscape\"") != NULL);
    CHECK(strstr(b.sheets[0].xml, "paperSize=\"9\"") != NULL);
    CHECK(strstr(b.sheets[1].xml, "orientation=\"landscape\"") != NULL);
    CHECK(strstr(b.sheets[1].xml, "paperSize") == NULL);
    CHECK(strstr(b.sheets[1].xml, "<pane") == NULL);
    CHECK(strstr(b.sheets[1].xml, "oddFooter") == NULL);
    peek_close(&b);
    core = peek_part(tpath("wide.xlsx"), "docProps/core.xml");
    app = peek_part(tpath("wide.xlsx"), "docProps/app.xml");
    CHECK(core && strstr(core, "<dc:title>2025年质量年度报告数据</dc:title>"));
    CHECK(core && strstr(core, "<dc:creator>衡阳工业技工学校</dc:creator>"));
    CHECK(core && strstr(core, "<dc:subject>技工教育质量年度报告</dc:subject>"));
    CHECK(core && strstr(core, "2025-09-01T00:00:00Z"));
    CHECK(app && strstr(app, "<Company>衡阳工业技工学校</Company>"));
    free(core);
    free(app);
}

TEST(highlight_rows_not_met)
{
    const char *header[] = {"指标", "值", "标准", "达标"};
    const char *formats[] = {"text", "number", "number", "text"};
    hgq_value rows[] = {
        hgq_text("生均占地面积"), hgq_num(49.2), hgq_num(33), hgq_text("是"),
        hgq_text("生均图书"), hgq_num(21.5), hgq_num(30), hgq_text("否"),
        hgq_text("生师比"), hgq_num(20), hgq_num(20), hgq_text("是")};
    hgq_writer *w = open_writer("hl.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_table_area a;
    hgq_highlight h;
    hgq_error err;
    peek_book b;
    if (!w)
        return;
    hgq_writer_add_sheet(w, "指标", NULL, &sh, &err);
    hgq_table_layout_init(&t);
    t.title = "办学条件指标";
    t.ncols = 4;
    t.header_rows = 1;
    t.header = header;
    t.formats = formats;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh, &t, rows, 3, &a, &err));
    memset(&h, 0, sizeof h);
    h.range.first_row = a.body_first_row;
    h.range.last_row = a.body_last_row;
    h.range.first_col = a.first_col;
    h.range.last_col = a.last_col;
    h.column = 3;
    h.equals = "否";
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_highlight(sh, &h, &err));
    memset(&h, 0, sizeof h);
    h.range.first_row = a.body_first_row;
    h.range.last_row = a.body_last_row;
    h.range.first_col = 1;
    h.range.last_col = 1;
    h.formula = "=$B3<$C3";
    h.fill = 0xFFEB9C;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_highlight(sh, &h, &err));
    h.equals = "是";
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_highlight(sh, &h, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    CHECK_EQ_INT(0, peek_open(&b, tpath("hl.xlsx")));
    CHECK(strstr(b.sheets[0].xml, "<conditionalFormatting sqref=\"A3:D5\"><cfRule type=\"expression\" dxfId=\"0\" priority=\"1\"><formula>$D3=\"否\"</formula>") != NULL);
    CHECK(strstr(b.sheets[0].xml, "<conditionalFormatting sqref=\"B3:B5\"><cfRule type=\"expression\" dxfId=\"1\" priority=\"2\"><formula>$B3&lt;$C3</formula>") != NULL);
    CHECK(strstr(b.styles_xml, "<dxfs count=\"2\">") != NULL);
    CHECK(strstr(b.styles_xml, "FFFFC7CE") != NULL);
    CHECK(strstr(b.styles_xml, "FF9C0006") != NULL);
    CHECK(strstr(b.styles_xml, "FFFFEB9C") != NULL);
    peek_close(&b);
}

TEST(charts_beside_table)
{
    const char *header[] = {"年份", "在校生数", "享受助学金学生总人数"};
    const char *formats[] = {"text", "integer", "integer"};
    hgq_value rows[] = {hgq_text("2023"), hgq_int(657), hgq_int(95),
                        hgq_text("2024"), hgq_int(1064), hgq_int(203),
                        hgq_text("2025"), hgq_int(1260), hgq_int(284)};
    hgq_chart_series ser[] = {{"在校生数", "B3:B5"}, {"享受助学金学生总人数", "表6!$C$3:$C$5"}};
    hgq_writer *w = open_writer("ch.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_chart_spec c;
    hgq_error err;
    char *chart1, *chart2, *drawing;
    if (!w)
        return;
    hgq_writer_add_sheet(w, "表6", NULL, &sh, &err);
    hgq_table_layout_init(&t);
    t.title = "表6 学生资助情况统计表";
    t.ncols = 3;
    t.header_rows = 1;
    t.header = header;
    t.formats = formats;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh, &t, rows, 3, NULL, &err));
    hgq_chart_spec_init(&c);
    c.type = HGQ_CHART_LINE;
    c.title = "学生资助情况";
    c.categories = "A3:A5";
    c.series = ser;
    c.nseries = 2;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_chart(sh, &c, &err));
    hgq_chart_spec_init(&c);
    c.type = HGQ_CHART_COLUMN;
    c.categories = "A3:A5";
    c.series = ser;
    c.nseries = 1;
    c.row = 20;
    c.col = 0;
    c.width = 600;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_chart(sh, &c, &err));
    c.categories = "没有这张表!A3:A5";
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_chart(sh, &c, &err));
    c.categories = "A3:A5";
    c.nseries = 0;
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_chart(sh, &c, &err));
    c.nseries = 1;
    c.type = (hgq_chart_type)9;
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_chart(sh, &c, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    {
        /* the long header wraps in a narrow column and its row grows */
        char *xml = peek_part(tpath("ch.xlsx"), "xl/worksheets/sheet1.xml");
        const char *p = xml ? strstr(xml, "<col min=\"3\" max=\"3\" width=\"") : NULL;
        CHECK(p && atof(p + strlen("<col min=\"3\" max=\"3\" width=\"")) < 16.0);
        CHECK(xml && strstr(xml, "<row r=\"2\" spans=\"1:3\" ht=\"31\"") != NULL);
        free(xml);
    }
    chart1 = peek_part(tpath("ch.xlsx"), "xl/charts/chart1.xml");
    chart2 = peek_part(tpath("ch.xlsx"), "xl/charts/chart2.xml");
    drawing = peek_part(tpath("ch.xlsx"), "xl/drawings/drawing1.xml");
    CHECK(chart1 && strstr(chart1, "<c:lineChart>"));
    CHECK(chart1 && strstr(chart1, "学生资助情况"));
    CHECK(chart1 && strstr(chart1, "<c:f>'表6'!$A$3:$A$5</c:f>"));
    CHECK(chart1 && strstr(chart1, "<c:f>'表6'!$B$3:$B$5</c:f>"));
    CHECK(chart1 && strstr(chart1, "<c:f>'表6'!$C$3:$C$5</c:f>"));
    CHECK(chart1 && strstr(chart1, "<c:v>享受助学金学生总人数</c:v>"));
    CHECK(chart2 && strstr(chart2, "<c:barChart>") && strstr(chart2, "<c:barDir val=\"col\"/>"));
    /* the first chart sits right of the table (column E, index 4), at its title row */
    CHECK(drawing && strstr(drawing, "<xdr:from><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>0</xdr:row>"));
    CHECK(drawing && strstr(drawing, "<xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>20</xdr:row>"));
    free(chart1);
    free(chart2);
    free(drawing);
}

/* }==================================================================== */

/* {====================================================================
 * hgq_tables and cross-tabs
 * ===================================================================== */

static hgq_table *long_table(const char *name, const char *dims, const char *const *cols,
                             size_t ndims, const char *const *data, size_t nrows)
{
    hgq_table *t = hgq_table_new(name);
    size_t r, c;
    hgq_error err;
    for (c = 0; c < ndims; c++)
        hgq_table_add_column(t, cols[c], HGQ_TEXT, NULL, &err);
    hgq_table_add_column(t, "value", HGQ_NUM, NULL, &err);
    hgq_table_set_meta(t, "kind", "aggregate", &err);
    hgq_table_set_meta(t, "dims", dims, &err);
    for (r = 0; r < nrows; r++) {
        size_t row;
        hgq_value v;
        hgq_table_append_row(t, &row, &err);
        for (c = 0; c < ndims; c++) {
            v = hgq_text(data[r * (ndims + 1) + c]);
            hgq_table_set(t, row, c, &v, &err);
        }
        v = hgq_num(atof(data[r * (ndims + 1) + ndims]));
        hgq_table_set(t, row, ndims, &v, &err);
    }
    return t;
}

/* 表3 from pub_teachers in long form: two row dims, age bands across with 合计 first. */
TEST(crosstab_teachers_table3)
{
    static const char *const cols[] = {"group", "item", "age_band"};
    static const char *const bands[] = {"合计", "30岁以下", "31-40岁", "41-50岁", "51-60岁"};
    static const struct { const char *g, *i; int v[5]; } rows[] = {
        {"总计", "总计", {63, 21, 19, 12, 11}},
        {"职称", "中级", {18, 0, 2, 6, 10}},
        {"职称", "初级", {6, 1, 1, 4, 0}},
        {"职称", "未定职级", {39, 25, 11, 2, 1}},
        {"学历", "本科", {58, 26, 15, 9, 8}},
        {"学历", "专科", {5, 2, 0, 1, 2}}};
    const char *data[6 * 5 * 4];
    char nums[6 * 5][16];
    size_t r, b, n = 0;
    hgq_table *t;
    hgq_writer *w;
    hgq_writer_sheet *sh;
    hgq_crosstab_layout x;
    hgq_table_area a;
    hgq_error err;
    peek_book bk;
    const peek_sheet *s;
    const char *labels[] = {"", ""};

    for (r = 0; r < 6; r++)
        for (b = 0; b < 5; b++) {
            snprintf(nums[r * 5 + b], 16, "%d", rows[r].v[b]);
            data[n++] = rows[r].g;
            data[n++] = rows[r].i;
            data[n++] = bands[b];
            data[n++] = nums[r * 5 + b];
        }
    t = long_table("pub_teachers", "group,item,age_band", cols, 3, data, 30);
    hgq_table_set_meta(t, "title", "表3 衡阳工业技工学校专任教师信息统计表", &err);
    w = open_writer("x3.xlsx", NULL);
    if (!w) {
        hgq_table_free(t);
        return;
    }
    hgq_writer_add_sheet(w, "表3", NULL, &sh, &err);
    hgq_crosstab_layout_init(&x);
    x.row_labels = labels;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_crosstab(sh, t, &x, &a, &err));
    CHECK_EQ_INT(2, a.body_first_row);
    CHECK_EQ_INT(6, a.body_rows);
    CHECK_EQ_INT(6, a.last_col);
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    hgq_table_free(t);

    CHECK_EQ_INT(0, peek_open(&bk, tpath("x3.xlsx")));
    s = &bk.sheets[0];
    CHECK_EQ_STR("表3 衡阳工业技工学校专任教师信息统计表", peek_text(s, "A1"));
    CHECK(peek_has_merge(s, "A1:G1"));
    CHECK(peek_has_merge(s, "A2:B2"));       /* the two blank label headers */
    CHECK_EQ_STR("合计", peek_text(s, "C2"));
    CHECK_EQ_STR("30岁以下", peek_text(s, "D2"));
    CHECK_EQ_STR("51-60岁", peek_text(s, "G2"));
    CHECK(peek_has_merge(s, "A3:B3"));       /* 总计 总计 */
    CHECK_EQ_STR("总计", peek_text(s, "A3"));
    CHECK(peek_has_merge(s, "A4:A6"));       /* 职称 over its three items */
    CHECK(peek_has_merge(s, "A7:A8"));       /* 学历 */
    CHECK_EQ_STR("未定职级", peek_text(s, "B6"));
    /* 合计 is a margin: a live SUM across the age bands, cached as the sum */
    CHECK_EQ_STR("SUM(D4:G4)", peek_get(s, "C4")->f);
    CHECK_EQ_STR("18", peek_get(s, "C4")->v);
    CHECK_EQ_STR("SUM(D3:G3)", peek_get(s, "C3")->f);
    CHECK_EQ_STR("63", peek_get(s, "C3")->v);
    CHECK_EQ_STR("SUM(D8:G8)", peek_get(s, "C8")->f);
    CHECK_EQ_STR("5", peek_get(s, "C8")->v);
    /* 总计 is a group of its own, written as published */
    CHECK(peek_get(s, "D3")->f == NULL);
    CHECK_EQ_STR("21", peek_get(s, "D3")->v);
    CHECK_EQ_STR("0", peek_numfmt(&bk, peek_get(s, "D4")->s));
    CHECK(strstr(s->xml, "<pane ySplit=\"2\"") != NULL);
    peek_close(&bk);
}

/* 表5 from pub_certifications: years sorted with 合计 last, grand total row. */
TEST(crosstab_certifications_table5)
{
    static const char *const cols[] = {"trade", "level", "year"};
    static const char *const data[] = {
        "车工", "三级", "2013", "33",
        "车工", "四级", "2015", "58",
        "车工", "四级", "2016", "18",
        "车工", "五级", "2014", "105",
        "钳工", "四级", "2025", "32",
        "钳工", "四级", "2015", "44",
        "计算机", "五级", "2017", "33",
        "车工", "三级", "合计", "33",
        "车工", "四级", "合计", "76",
        "合计", "合计", "2013", "33",
        "合计", "合计", "合计", "999",
    };
    hgq_table *t = long_table("pub_certifications", "trade,level,year", cols, 3, data, 11);
    hgq_writer *w;
    hgq_writer_sheet *sh;
    hgq_crosstab_layout x;
    hgq_error err;
    peek_book bk;
    const peek_sheet *s;
    const char *labels[] = {"工种", "等级"};
    w = open_writer("x5.xlsx", NULL);
    if (!w) {
        hgq_table_free(t);
        return;
    }
    hgq_writer_add_sheet(w, "表5", NULL, &sh, &err);
    hgq_crosstab_layout_init(&x);
    x.title = "表5 历年技能等级认定人数统计表";
    x.row_labels = labels;
    x.sort_cols = 1;
    x.total_label = "总计";
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_crosstab(sh, t, &x, NULL, &err));
    /* a missing column and a repeated cell are refused */
    x.row_dims = (const char *const[]){"trade", "grade"};
    x.n_row_dims = 2;
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_writer_sheet_crosstab(sh, t, &x, NULL, &err));
    CHECK(strstr(err.message, "grade") != NULL);
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    hgq_table_free(t);

    CHECK_EQ_INT(0, peek_open(&bk, tpath("x5.xlsx")));
    s = &bk.sheets[0];
    /* columns: 工种 等级 2013 2014 2015 2016 2017 2025 合计 -> A..I */
    CHECK_EQ_STR("工种", peek_text(s, "A2"));
    CHECK_EQ_STR("2013", peek_text(s, "C2"));
    CHECK_EQ_STR("2014", peek_text(s, "D2"));
    CHECK_EQ_STR("2025", peek_text(s, "H2"));
    CHECK_EQ_STR("合计", peek_text(s, "I2"));
    /* rows: 车工 三级, 车工 四级, 车工 五级, 钳工 四级, 计算机 五级, 总计 */
    CHECK_EQ_STR("车工", peek_text(s, "A3"));
    CHECK(peek_has_merge(s, "A3:A5"));
    CHECK_EQ_STR("五级", peek_text(s, "B5"));
    CHECK_EQ_STR("钳工", peek_text(s, "A6"));
    CHECK_EQ_STR("计算机", peek_text(s, "A7"));
    CHECK_EQ_STR("总计", peek_text(s, "A8"));
    CHECK(peek_has_merge(s, "A8:B8"));
    CHECK_EQ_STR("SUM(C4:H4)", peek_get(s, "I4")->f);
    CHECK_EQ_STR("76", peek_get(s, "I4")->v);
    CHECK_EQ_STR("SUM(C6:H6)", peek_get(s, "I6")->f);
    CHECK_EQ_STR("76", peek_get(s, "I6")->v);
    CHECK_EQ_STR("SUM(E3:E7)", peek_get(s, "E8")->f);
    CHECK_EQ_STR("102", peek_get(s, "E8")->v);
    /* the grand total is the sum of what is shown, not the table's 999 */
    CHECK_EQ_STR("SUM(I3:I7)", peek_get(s, "I8")->f);
    CHECK_EQ_STR("323", peek_get(s, "I8")->v);
    CHECK(peek_get(s, "D3")->v == NULL);     /* missing combination left empty */
    CHECK_EQ_STR("105", peek_get(s, "D5")->v);
    peek_close(&bk);
}

TEST(crosstab_values_and_single_dim)
{
    static const char *const cols[] = {"category"};
    static const char *const data[] = {"机械类", "180", "信息类", "126", "合计", "549"};
    hgq_table *t = long_table("pub_new_students", "category", cols, 1, data, 3);
    hgq_writer *w = open_writer("x2.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_crosstab_layout x;
    hgq_error err;
    peek_book bk;
    const peek_sheet *s;
    if (!w) {
        hgq_table_free(t);
        return;
    }
    hgq_table_set_meta(t, "measure", "人", &err);
    hgq_table_set_meta(t, "label.category", "专业类别", &err);
    hgq_writer_add_sheet(w, "表2", NULL, &sh, &err);
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_crosstab(sh, t, NULL, NULL, &err));
    hgq_crosstab_layout_init(&x);
    x.margins = HGQ_MARGINS_VALUES;
    x.value_label = "新生人数";
    x.format = "number";
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_crosstab(sh, t, &x, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    hgq_table_free(t);
    CHECK_EQ_INT(0, peek_open(&bk, tpath("x2.xlsx")));
    s = &bk.sheets[0];
    CHECK_EQ_STR("专业类别", peek_text(s, "A1"));
    CHECK_EQ_STR("人", peek_text(s, "B1"));
    CHECK_EQ_STR("SUM(B2:B3)", peek_get(s, "B4")->f);
    CHECK_EQ_STR("306", peek_get(s, "B4")->v);
    CHECK_EQ_STR("新生人数", peek_text(s, "B6"));
    CHECK(peek_get(s, "B9")->f == NULL);
    CHECK_EQ_STR("549", peek_get(s, "B9")->v);
    CHECK_EQ_STR("0.00", peek_numfmt(&bk, peek_get(s, "B9")->s));
    peek_close(&bk);
}

/* Height in points given to row `r` (1-based) of a sheet's XML, or 0 when the
 * row keeps the default. */
static double row_height(const peek_sheet *s, int r)
{
    char key[32];
    const char *p, *end, *ht;
    snprintf(key, sizeof key, "<row r=\"%d\"", r);
    p = s && s->xml ? strstr(s->xml, key) : NULL;
    if (!p)
        return 0;
    end = strchr(p, '>');
    ht = strstr(p, " ht=\"");
    return ht && end && ht < end ? atof(ht + 5) : 0;
}

/* Group columns: an empty text joins the run above just as a null does. */
TEST(group_blank_text_joins_run)
{
    static const char *const header[] = {"", "", "合计"};
    static const char *const formats[] = {"text", "text", "integer"};
    hgq_value rows[] = {hgq_text("职称"), hgq_text("中级"), hgq_int(18),
                        hgq_text(""), hgq_text("初级"), hgq_int(6),
                        hgq_null(), hgq_text("未定职级"), hgq_int(39),
                        hgq_text("学历"), hgq_text("本科"), hgq_int(58),
                        hgq_text(""), hgq_text("专科"), hgq_int(5)};
    hgq_writer *w = open_writer("groups.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_error err;
    peek_book bk;
    if (!w)
        return;
    hgq_writer_add_sheet(w, "表3", NULL, &sh, &err);
    hgq_table_layout_init(&t);
    t.ncols = 3;
    t.header_rows = 1;
    t.header = header;
    t.formats = formats;
    t.group_cols = 1;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh, &t, rows, 5, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    CHECK_EQ_INT(0, peek_open(&bk, tpath("groups.xlsx")));
    CHECK(peek_has_merge(&bk.sheets[0], "A2:A4"));
    CHECK(peek_has_merge(&bk.sheets[0], "A5:A6"));
    CHECK_EQ_STR("学历", peek_text(&bk.sheets[0], "A5"));
    peek_close(&bk);
}

/* 表2 as printed: no row dimension, one row, 新生总数 first as a live SUM. */
TEST(crosstab_without_row_dimension)
{
    static const char *const cols[] = {"category"};
    static const char *const data[] = {"新生总数", "549", "机械、电工电子类新生人数", "363",
                                       "信息类新生人数", "90", "财经商贸类新生人数", "96"};
    static const char *const col_dims[] = {"category"};
    static const char *const none[] = {NULL};
    hgq_table *t = long_table("pub_new_students", "category", cols, 1, data, 4);
    hgq_writer *w = open_writer("x2row.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_crosstab_layout x;
    hgq_table_area a;
    hgq_error err;
    peek_book bk;
    const peek_sheet *s;
    if (!w) {
        hgq_table_free(t);
        return;
    }
    hgq_writer_add_sheet(w, "表2", NULL, &sh, &err);
    hgq_crosstab_layout_init(&x);
    x.title = "表2 2025年各类专业新生人数统计表";
    x.col_dims = col_dims;
    x.n_col_dims = 1;
    x.total = "新生总数";
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_crosstab(sh, t, &x, &a, &err));
    CHECK_EQ_INT(1, (int)a.body_rows);
    CHECK_EQ_INT(2, (int)a.body_first_row);
    CHECK_EQ_INT(3, (int)a.last_col);
    /* the same with an empty list of row dimensions */
    hgq_crosstab_layout_init(&x);
    x.row_dims = none;
    x.n_row_dims = 0;
    x.total = "新生总数";
    x.row = 10;
    x.col = 0;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_crosstab(sh, t, &x, &a, &err));
    CHECK_EQ_INT(1, (int)a.body_rows);
    /* naming no dimension at all is refused */
    hgq_crosstab_layout_init(&x);
    x.row_dims = none;
    x.col_dims = none;
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_crosstab(sh, t, &x, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    hgq_table_free(t);
    CHECK_EQ_INT(0, peek_open(&bk, tpath("x2row.xlsx")));
    s = &bk.sheets[0];
    CHECK_EQ_STR("新生总数", peek_text(s, "A2"));
    CHECK_EQ_STR("机械、电工电子类新生人数", peek_text(s, "B2"));
    CHECK_EQ_STR("SUM(B3:D3)", peek_get(s, "A3")->f);
    CHECK_EQ_STR("549", peek_get(s, "A3")->v);
    CHECK_EQ_STR("96", peek_get(s, "D3")->v);
    CHECK(peek_bordered(&bk, peek_get(s, "D3")->s));
    CHECK(peek_get(s, "A4")->v == NULL);
    CHECK_EQ_STR("SUM(B12:D12)", peek_get(s, "A12")->f);
    peek_close(&bk);
}

/* Notes span the table and never widen it; cells of a row can span columns
 * and hold formulas inside the table's borders. */
TEST(notes_spans_and_formula_cells)
{
    static const char *const header[] = {"年份", "建档立卡", "非涉农", "总人数"};
    static const char *const formats[] = {"text", "integer", "integer", "integer"};
    static const char note[] =
        "数据来源：学生花名册（学籍状态为在校）和学生资助名册；2024年、2023年取自已公布的表6。";
    hgq_writer *w = open_writer("notes.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_writer_cell row[4] = {{hgq_text("2025"), NULL, NULL, 0},
                              {hgq_int(120), NULL, NULL, 0},
                              {hgq_int(164), NULL, NULL, 0},
                              {hgq_int(284), "=SUM(B3:C3)", NULL, 0}};
    hgq_writer_cell spanned[4] = {{hgq_text("说明"), NULL, NULL, 0},
                                  {hgq_text("以往年度取自已公布的表6"), NULL, NULL, 3},
                                  {hgq_null(), NULL, NULL, 0},
                                  {hgq_null(), NULL, NULL, 0}};
    hgq_writer_cell bad[4] = {{hgq_text("x"), NULL, NULL, 0},
                              {hgq_text("y"), NULL, NULL, 0},
                              {hgq_text("z"), NULL, NULL, 3},
                              {hgq_null(), NULL, NULL, 0}};
    hgq_table_area a;
    uint32_t at = 0;
    hgq_error err;
    peek_book bk;
    const peek_sheet *s;
    if (!w)
        return;
    hgq_writer_add_sheet(w, "表6", NULL, &sh, &err);
    hgq_table_layout_init(&t);
    t.title = "表6 学生资助情况统计表";
    t.ncols = 4;
    t.header_rows = 1;
    t.header = header;
    t.formats = formats;
    t.totals_row = "合计";
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_begin_table(sh, &t, NULL, &err));
    CHECK_EQ_INT(HGQ_ESTATE, hgq_writer_sheet_note(sh, HGQ_WRITER_NEXT, note, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_append_cells(sh, row, 4, &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_append_cells(sh, bad, 4, &err));
    CHECK(strstr(err.message, "spans") != NULL);
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_append_cells(sh, spanned, 4, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_end_table(sh, &a, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_note(sh, HGQ_WRITER_NEXT, note, &at, &err));
    CHECK_EQ_INT((int)a.last_row + 1, (int)at);
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_note(sh, 0, NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));

    CHECK_EQ_INT(0, peek_open(&bk, tpath("notes.xlsx")));
    s = &bk.sheets[0];
    /* the formula cell inside the table: its format and border, summed by 合计 */
    CHECK_EQ_STR("SUM(B3:C3)", peek_get(s, "D3")->f);
    CHECK_EQ_INT(peek_get(s, "C3")->s, peek_get(s, "D3")->s);
    CHECK(peek_bordered(&bk, peek_get(s, "D3")->s));
    CHECK_EQ_STR("SUM(D3:D4)", peek_get(s, "D5")->f);
    CHECK_EQ_STR("284", peek_get(s, "D5")->v);
    /* the spanning cell */
    CHECK(peek_has_merge(s, "B4:D4"));
    CHECK_EQ_STR("以往年度取自已公布的表6", peek_text(s, "B4"));
    /* the note: merged across A:D, left-aligned, no border, on two lines or more */
    CHECK(peek_has_merge(s, "A6:D6"));
    CHECK_EQ_STR(note, peek_text(s, "A6"));
    CHECK_EQ_STR("left", peek_halign(&bk, peek_get(s, "A6")->s));
    CHECK(!peek_bordered(&bk, peek_get(s, "A6")->s));
    CHECK(bk.xfs[peek_get(s, "A6")->s].wrap);
    CHECK(row_height(s, 6) >= 29.0);
    /* the title's larger font gets a taller row even on one line */
    CHECK(row_height(s, 1) > 20.0);
    /* columns are as wide as the table needs: column A holds "年份" and "合计" */
    CHECK(strstr(s->xml, "<col min=\"1\" max=\"1\" width=\"6.") != NULL);
    peek_close(&bk);
}

/* A width fixed before the table makes longer body text wrap in its column. */
TEST(fixed_width_wraps_body_text)
{
    static const char *const header[] = {"分组", "标准依据"};
    static const char *const formats[] = {"text", "text"};
    hgq_value rows[] = {hgq_text("规模"), hgq_text("《技工院校设置标准（试行）》人社部发〔2012〕8号"),
                        hgq_text("师资"), hgq_text("短")};
    hgq_writer *w = open_writer("fixed.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_error err;
    peek_book bk;
    const peek_sheet *s;
    if (!w)
        return;
    hgq_writer_add_sheet(w, "指标", NULL, &sh, &err);
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_set_width(sh, 1, 12.0, &err));
    hgq_table_layout_init(&t);
    t.ncols = 2;
    t.header_rows = 1;
    t.header = header;
    t.formats = formats;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh, &t, rows, 2, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    CHECK_EQ_INT(0, peek_open(&bk, tpath("fixed.xlsx")));
    s = &bk.sheets[0];
    CHECK(bk.xfs[peek_get(s, "B2")->s].wrap);
    CHECK(!bk.xfs[peek_get(s, "B3")->s].wrap);
    CHECK(!bk.xfs[peek_get(s, "A2")->s].wrap);
    CHECK(row_height(s, 2) > 45.0);      /* about 46 columns of text in 12: four lines */
    CHECK_EQ_DBL(0.0, row_height(s, 3), 1e-9);
    peek_close(&bk);
}

TEST(write_hgq_table)
{
    hgq_table *t = hgq_table_new("student");
    hgq_writer *w;
    hgq_writer_sheet *sh;
    hgq_table_area a;
    hgq_error err;
    hgq_value v;
    size_t r;
    peek_book bk;
    const peek_sheet *s;
    hgq_table_add_column(t, "name", HGQ_TEXT, NULL, &err);
    hgq_table_add_column(t, "id_number", HGQ_TEXT, NULL, &err);
    hgq_table_add_column(t, "birth_date", HGQ_DATE, NULL, &err);
    hgq_table_add_column(t, "entry_year", HGQ_INT, NULL, &err);
    hgq_table_add_column(t, "rural", HGQ_BOOL, NULL, &err);
    hgq_table_set_meta(t, "title", "学生名册", &err);
    hgq_table_set_meta(t, "label.name", "姓名", &err);
    hgq_table_set_meta(t, "label.id_number", "身份证号", &err);
    hgq_table_append_row(t, &r, &err);
    v = hgq_text("王五");
    hgq_table_set(t, r, 0, &v, &err);
    v = hgq_text("430412200801011234");
    hgq_table_set(t, r, 1, &v, &err);
    v = hgq_date(hgq_date_from_ymd(2008, 1, 1));
    hgq_table_set(t, r, 2, &v, &err);
    v = hgq_int(2023);
    hgq_table_set(t, r, 3, &v, &err);
    v = hgq_bool(1);
    hgq_table_set(t, r, 4, &v, &err);
    w = open_writer("tb.xlsx", NULL);
    if (!w) {
        hgq_table_free(t);
        return;
    }
    hgq_writer_add_sheet(w, "学生", NULL, &sh, &err);
    {
        /* a table already open on the sheet is left alone */
        hgq_table_layout o;
        hgq_value one = hgq_int(1);
        hgq_table_layout_init(&o);
        o.ncols = 1;
        o.row = 100;
        o.col = 0;
        CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_begin_table(sh, &o, NULL, &err));
        CHECK_EQ_INT(HGQ_ESTATE, hgq_writer_sheet_write_table(sh, t, NULL, NULL, &err));
        CHECK_EQ_INT(HGQ_ESTATE, hgq_writer_sheet_crosstab(sh, t, NULL, NULL, &err));
        CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_append_row(sh, &one, 1, &err));
        CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_end_table(sh, NULL, &err));
    }
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_write_table(sh, t, NULL, &a, &err));
    CHECK_EQ_INT(102, a.first_row);   /* placed below the other table */
    CHECK_EQ_INT(104, a.body_first_row);
    CHECK_EQ_INT(1, a.body_rows);
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    hgq_table_free(t);
    CHECK_EQ_INT(0, peek_open(&bk, tpath("tb.xlsx")));
    s = &bk.sheets[0];
    CHECK_EQ_STR("学生名册", peek_text(s, "A103"));
    CHECK_EQ_STR("姓名", peek_text(s, "A104"));
    CHECK_EQ_STR("身份证号", peek_text(s, "B104"));
    CHECK_EQ_STR("birth_date", peek_text(s, "C104"));
    CHECK_EQ_STR("430412********1234", peek_text(s, "B105"));
    CHECK_EQ_STR("39448", peek_get(s, "C105")->v);
    CHECK_EQ_STR("yyyy-mm-dd", peek_numfmt(&bk, peek_get(s, "C105")->s));
    CHECK_EQ_STR("2023", peek_get(s, "D105")->v);
    CHECK_EQ_STR("0", peek_numfmt(&bk, peek_get(s, "D105")->s));
    CHECK_EQ_STR("是", peek_text(s, "E105"));
    peek_close(&bk);
}

/* }==================================================================== */

/* {====================================================================
 * Safe regeneration
 * ===================================================================== */

static const char OLD[] = "an earlier workbook, kept when writing fails\n";

static int target_unchanged(const char *path)
{
    char *now = slurp(path, NULL);
    int same = now && strcmp(now, OLD) == 0;
    free(now);
    return same;
}

/* A part cut short while libxlsxwriter stages it (a file size limit, as on a
 * full disk) is caught before the rename: run in a child process that lowers
 * its own limit. The child's exit status is the status of the close. */
TEST(truncated_part_is_never_committed)
{
    const char *target = tpath("cut.xlsx");
    pid_t pid;
    int status = 0;
    spit(target, OLD);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        struct rlimit rl;
        hgq_writer *w;
        hgq_writer_sheet *sh;
        hgq_error err;
        uint32_t r;
        signal(SIGXFSZ, SIG_IGN);
        getrlimit(RLIMIT_FSIZE, &rl);
        rl.rlim_cur = 16384;
        setrlimit(RLIMIT_FSIZE, &rl);
        if (hgq_writer_new(&w, target, NULL, &err) != HGQ_OK)
            _exit(100);
        hgq_writer_add_sheet(w, "名册", NULL, &sh, &err);
        for (r = 0; r < 4000; r++) {
            char text[32];
            hgq_value v;
            snprintf(text, sizeof text, "学生%05u", (unsigned)r);
            v = hgq_text(text);
            hgq_writer_sheet_write(sh, r, 0, &v, NULL, &err);
        }
        status = hgq_writer_close(w, &err);
        if (status == HGQ_EWRITE && !strstr(err.message, "cut short"))
            status = 101;
        hgq_writer_free(w);
        _exit(status);
    }
    CHECK(pid > 0);
    if (pid <= 0)
        return;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK_EQ_INT(HGQ_EWRITE, WEXITSTATUS(status));
    CHECK(target_unchanged(target));
    CHECK_EQ_INT(0, count_files(tmpdir, ".cut.xlsx.tmp-"));
}

TEST(failed_write_keeps_earlier_file)
{
    hgq_writer_options opt;
    hgq_writer *w;
    hgq_writer_sheet *sh;
    hgq_error err;
    hgq_value v = hgq_int(1);
    const char *target = tpath("keep.xlsx");

    spit(target, OLD);
    /* 1: the commit fails at the very end (injected) */
    hgq_writer_options_init(&opt);
    opt.fail_before_rename = 1;
    CHECK_EQ_INT(HGQ_OK, hgq_writer_new(&w, target, &opt, &err));
    CHECK_EQ_INT(1, count_files(tmpdir, ".keep.xlsx.tmp-"));
    hgq_writer_add_sheet(w, "s", NULL, &sh, &err);
    hgq_writer_sheet_write(sh, 0, 0, &v, NULL, &err);
    CHECK_EQ_INT(HGQ_EWRITE, hgq_writer_close(w, &err));
    CHECK_EQ_STR(target, err.file);
    CHECK(strstr(err.message, "rename") != NULL);
    CHECK_EQ_INT(HGQ_ESTATE, hgq_writer_close(w, &err));
    CHECK_EQ_INT(HGQ_ESTATE, hgq_writer_add_sheet(w, "t", NULL, &sh, &err));
    hgq_writer_free(w);
    CHECK(target_unchanged(target));
    CHECK_EQ_INT(0, count_files(tmpdir, ".keep.xlsx.tmp-"));

    /* 2: bad data - an invalid sheet name - then the writer is abandoned */
    CHECK_EQ_INT(HGQ_OK, hgq_writer_new(&w, target, NULL, &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_add_sheet(w, "a/b", NULL, &sh, &err));
    CHECK(strstr(err.message, "a/b") != NULL);
    CHECK_EQ_STR("a/b", err.sheet);
    CHECK_EQ_INT(HGQ_OK, hgq_writer_add_sheet(w, "ok", NULL, &sh, &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_add_sheet(w, "OK", NULL, &sh, &err));  /* duplicate */
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_add_sheet(w, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二", NULL, &sh, &err));
    hgq_writer_free(w);
    CHECK(target_unchanged(target));
    CHECK_EQ_INT(0, count_files(tmpdir, ".keep.xlsx.tmp-"));

    /* 3: libxlsxwriter itself fails: its output file cannot be created */
    CHECK_EQ_INT(HGQ_OK, hgq_writer_new(&w, target, NULL, &err));
    hgq_writer_add_sheet(w, "s", NULL, &sh, &err);
    hgq_writer_sheet_write(sh, 0, 0, &v, NULL, &err);
    {
        /* replace the temporary file by a directory of the same name */
        DIR *d = opendir(tmpdir);
        struct dirent *e;
        char p[1024] = "";
        while (d && (e = readdir(d)) != NULL)
            if (strstr(e->d_name, ".keep.xlsx.tmp-"))
                snprintf(p, sizeof p, "%s/%s", tmpdir, e->d_name);
        if (d)
            closedir(d);
        CHECK(p[0] != '\0');
        unlink(p);
        CHECK_EQ_INT(0, mkdir(p, 0700));
        CHECK_EQ_INT(HGQ_EWRITE, hgq_writer_close(w, &err));
        CHECK(strstr(err.message, "cannot write the workbook") != NULL);
        CHECK(strstr(err.message, "Error creating output xlsx file") != NULL);
        CHECK_EQ_STR(target, err.file);
        hgq_writer_free(w);
        rmdir(p);
    }
    CHECK(target_unchanged(target));

    /* 4: the target's directory does not exist */
    CHECK_EQ_INT(HGQ_EWRITE, hgq_writer_new(&w, tpath("no/such/dir/x.xlsx"), NULL, &err));
    CHECK(w == NULL);
    CHECK(strstr(err.message, "No such file") != NULL);
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_new(&w, tmpdir, NULL, &err));

    /* 5: success replaces the file, and leaves nothing else behind */
    CHECK_EQ_INT(HGQ_OK, hgq_writer_new(&w, target, NULL, &err));
    hgq_writer_add_sheet(w, "s", NULL, &sh, &err);
    hgq_writer_sheet_write(sh, 0, 0, &v, NULL, &err);
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    CHECK(!target_unchanged(target));
    CHECK_EQ_INT(0, count_files(tmpdir, ".keep.xlsx.tmp-"));
    {
        char *x = peek_part(target, "xl/worksheets/sheet1.xml");
        CHECK(x != NULL);
        free(x);
    }
}

TEST(abandoned_writer_writes_nothing)
{
    hgq_writer *w;
    hgq_writer_sheet *sh;
    hgq_error err;
    hgq_value v = hgq_text("x");
    CHECK_EQ_INT(HGQ_OK, hgq_writer_new(&w, tpath("never.xlsx"), NULL, &err));
    hgq_writer_add_sheet(w, "s", NULL, &sh, &err);
    hgq_writer_sheet_write(sh, 0, 0, &v, NULL, &err);
    hgq_writer_free(w);
    CHECK_EQ_INT(0, count_files(tmpdir, "never.xlsx"));
    hgq_writer_free(NULL);
}

TEST(target_that_is_an_input_is_refused)
{
    hgq_writer_options opt;
    hgq_writer *w = NULL;
    hgq_error err;
    const char *input = tpath("roster.xlsx");
    const char *inputs[2];
    char other[1100];
    spit(input, OLD);
    hgq_writer_options_init(&opt);
    inputs[0] = tpath("missing.xlsx");   /* not there: ignored */
    inputs[1] = input;
    opt.inputs = inputs;
    opt.ninputs = 2;
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_new(&w, input, &opt, &err));
    CHECK(w == NULL);
    CHECK(strstr(err.message, "input") != NULL);
    /* the same file spelt differently, and through a hard link */
    snprintf(other, sizeof other, "%s/./../%s/roster.xlsx", tmpdir, strrchr(tmpdir, '/') + 1);
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_new(&w, other, &opt, &err));
    CHECK_EQ_INT(0, link(input, tpath("link.xlsx")));
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_new(&w, tpath("link.xlsx"), &opt, &err));
    /* registered later */
    CHECK_EQ_INT(HGQ_OK, hgq_writer_new(&w, tpath("link.xlsx"), NULL, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_writer_add_input(w, tpath("missing.xlsx"), &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_add_input(w, input, &err));
    hgq_writer_free(w);
    CHECK(target_unchanged(input));
    CHECK_EQ_INT(0, count_files(tmpdir, ".tmp-"));
    /* a different file is fine */
    CHECK_EQ_INT(HGQ_OK, hgq_writer_new(&w, tpath("report.xlsx"), &opt, &err));
    hgq_writer_free(w);
}

/* }==================================================================== */

/* {====================================================================
 * Constant memory
 * ===================================================================== */

TEST(constant_memory_streaming)
{
    const char *header[] = {"专业", "学号", "姓名", "年份", "", "成绩",
                            "", "", "", "入学", "毕业", ""};
    const char *formats[] = {"text", "text", "text", "integer", "integer", "number"};
    hgq_writer_options opt;
    hgq_writer *w;
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_table_area a;
    hgq_error err;
    hgq_value row[6], v = hgq_int(1);
    peek_book bk;
    const peek_sheet *s;
    int i;
    double sum = 0;
    char buf[32];

    hgq_writer_options_init(&opt);
    opt.constant_memory = 1;
    w = open_writer("cm.xlsx", &opt);
    if (!w)
        return;
    hgq_writer_add_sheet(w, "明细", NULL, &sh, &err);
    hgq_table_layout_init(&t);
    t.title = "学生成绩明细";
    t.ncols = 6;
    t.header_rows = 2;
    t.header = header;
    t.formats = formats;
    t.group_cols = 1;
    t.totals_row = "合计";
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_begin_table(sh, &t, NULL, &err));
    for (i = 0; i < 1000; i++) {
        char no[16];
        snprintf(no, sizeof no, "S%05d", i);
        row[0] = hgq_text(i < 400 ? "数控" : "会计");
        row[1] = hgq_text(no);
        row[2] = hgq_text("学生");
        row[3] = hgq_int(2022 + i % 3);
        row[4] = hgq_int(2025 + i % 3);
        row[5] = hgq_num(60 + (i % 40) * 0.5);
        sum += 60 + (i % 40) * 0.5;
        CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_append_row(sh, row, 6, &err));
    }
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_end_table(sh, &a, &err));
    CHECK_EQ_INT(1003, a.totals_row);
    /* rows go in order: one above the last is refused, not silently dropped */
    CHECK_EQ_INT(HGQ_ESTATE, hgq_writer_sheet_write(sh, 5, 0, &v, NULL, &err));
    CHECK(strstr(err.message, "constant-memory") != NULL);
    CHECK_EQ_STR("A6", err.cell);
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_write(sh, 1003, 9, &v, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));

    CHECK_EQ_INT(0, peek_open(&bk, tpath("cm.xlsx")));
    s = &bk.sheets[0];
    CHECK_EQ_STR("学生成绩明细", peek_text(s, "A1"));
    CHECK(peek_has_merge(s, "A1:F1"));
    CHECK(peek_has_merge(s, "A2:A3"));
    CHECK(peek_has_merge(s, "D2:E2"));
    CHECK(peek_has_merge(s, "F2:F3"));
    CHECK(peek_has_merge(s, "A4:A403"));
    CHECK(peek_has_merge(s, "A404:A1003"));
    CHECK(peek_has_merge(s, "A1004:C1004"));
    CHECK_EQ_STR("年份", peek_text(s, "D2"));
    CHECK_EQ_STR("毕业", peek_text(s, "E3"));
    CHECK_EQ_STR("会计", peek_text(s, "A404"));
    CHECK_EQ_STR("S00999", peek_text(s, "B1003"));
    CHECK_EQ_STR("SUM(F4:F1003)", peek_get(s, "F1004")->f);
    snprintf(buf, sizeof buf, "%.10g", sum);
    CHECK_EQ_STR(buf, peek_get(s, "F1004")->v);
    CHECK_EQ_STR("1", peek_get(s, "J1004")->v);
    CHECK(strstr(s->xml, "<pane ySplit=\"3\"") != NULL);
    peek_close(&bk);
}

/* }==================================================================== */

/* {====================================================================
 * Read back through the library's reader
 * ===================================================================== */

/* A table left open is ended by the commit; long text wraps with a taller row. */
TEST(open_table_ended_by_close)
{
    const char *header[] = {"日期", "大事记", "人数"};
    const char *formats[] = {"text", "text", "integer"};
    const char *event = "学校与中国地质装备集团有限公司等企事业单位保持稳定合作，常态化开设干部及员工培训班，"
                        "并与阳光财险等公司联合开展话务员等工种的定制化中级培训。";
    hgq_value row[3];
    hgq_writer *w = open_writer("open.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_error err;
    peek_book b;
    const peek_sheet *s;
    if (!w)
        return;
    hgq_writer_add_sheet(w, "大事记", NULL, &sh, &err);
    hgq_table_layout_init(&t);
    t.ncols = 3;
    t.header_rows = 1;
    t.header = header;
    t.formats = formats;
    t.totals_row = "合计";
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_begin_table(sh, &t, NULL, &err));
    row[0] = hgq_text("2025-03");
    row[1] = hgq_text(event);
    row[2] = hgq_int(40);
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_append_row(sh, row, 3, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));
    CHECK_EQ_INT(0, peek_open(&b, tpath("open.xlsx")));
    s = &b.sheets[0];
    CHECK_EQ_STR("合计", peek_text(s, "A3"));
    CHECK_EQ_STR("center", peek_halign(&b, peek_get(s, "A3")->s));
    CHECK(peek_has_merge(s, "A3:B3"));
    CHECK_EQ_STR("SUM(C2:C2)", peek_get(s, "C3")->f);
    CHECK(b.xfs[peek_get(s, "B2")->s].wrap);
    CHECK(strstr(s->xml, "<col min=\"2\" max=\"2\" width=\"60") != NULL);   /* capped */
    CHECK(strstr(s->xml, "<row r=\"2\" spans=\"1:3\" ht=\"45.5\"") != NULL); /* 3 lines */
    peek_close(&b);
}

TEST(read_back_with_reader)
{
    const char *header[] = {"类别", "人数", "金额"};
    const char *formats[] = {"text", "integer", "万元"};
    hgq_value rows[] = {hgq_text("机械类"), hgq_int(180), hgq_num(12.5),
                        hgq_text("信息类"), hgq_int(126), hgq_num(7.25)};
    hgq_writer *w = open_writer("rb.xlsx", NULL);
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_error err;
    hgq_reader_options ro;
    hgq_workbook *wb = NULL;
    hgq_rows *it = NULL;
    const hgq_row *row;
    const hgq_range *m = NULL;
    size_t nm = 0, i;
    int seen_total = 0;
    if (!w)
        return;
    hgq_writer_add_sheet(w, "表", NULL, &sh, &err);
    hgq_table_layout_init(&t);
    t.title = "标题";
    t.ncols = 3;
    t.header_rows = 1;
    t.header = header;
    t.formats = formats;
    t.totals_row = "合计";
    t.totals_col = "总";
    CHECK_EQ_INT(HGQ_OK, hgq_writer_sheet_table(sh, &t, rows, 2, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, close_writer(w));

    hgq_reader_options_init(&ro);
    ro.want_formulas = 1;
    if (hgq_workbook_open(&wb, tpath("rb.xlsx"), &ro, &err) != HGQ_OK) {
        T_FAIL("hgq_workbook_open: %s", err.message);
        return;
    }
    CHECK_EQ_INT(1, hgq_workbook_sheet_count(wb));
    CHECK_EQ_STR("表", hgq_workbook_sheet(wb, 0)->name);
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_merges(wb, 0, &m, &nm, &err));
    CHECK_EQ_INT(1, nm);   /* the title; one label column needs no merge */
    if (nm == 1)
        CHECK(m[0].first_row == 0 && m[0].first_col == 0 && m[0].last_row == 0 &&
              m[0].last_col == 3);
    CHECK_EQ_INT(HGQ_OK, hgq_rows_open(&it, wb, 0, &err));
    while (it && hgq_rows_next(it, &row, &err) == HGQ_OK && row) {
        for (i = 0; i < row->ncells; i++) {
            const hgq_cell *c = &row->cells[i];
            if (row->index == 0 && c->col == 0) {
                CHECK_EQ_INT(HGQ_CELL_STRING, c->type);
                CHECK_EQ_STR("标题", c->text);
            }
            if (row->index == 2 && c->col == 2) {
                CHECK_EQ_INT(HGQ_CELL_NUMBER, c->type);
                CHECK_EQ_DBL(12.5, c->number, 1e-12);
                CHECK_EQ_STR("#,##0.00", c->numfmt);
            }
            if (row->index == 2 && c->col == 3) {
                CHECK_EQ_STR("SUM(B3:C3)", c->formula);
                CHECK_EQ_DBL(192.5, c->number, 1e-12);
            }
            if (row->index == 4 && c->col == 1) {
                seen_total = 1;
                CHECK_EQ_STR("SUM(B3:B4)", c->formula);
                CHECK_EQ_DBL(306, c->number, 0);
                CHECK_EQ_STR("0", c->numfmt);
            }
            if (row->index == 4 && c->col == 3) {
                CHECK_EQ_STR("SUM(D3:D4)", c->formula);
                CHECK_EQ_DBL(325.75, c->number, 1e-12);
            }
        }
    }
    CHECK(seen_total);
    hgq_rows_free(it);
    hgq_workbook_free(wb);
}

/* }==================================================================== */

TEST(argument_checks)
{
    hgq_writer *w = NULL;
    hgq_writer_sheet *sh = NULL;
    hgq_table_layout t;
    hgq_error err;
    hgq_value v = hgq_int(1);
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_new(&w, "", NULL, &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_new(NULL, "x.xlsx", NULL, &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_close(NULL, &err));
    CHECK(hgq_writer_path(NULL) == NULL);
    CHECK_EQ_INT(HGQ_OK, hgq_writer_new(&w, tpath("args.xlsx"), NULL, &err));
    CHECK_EQ_STR(tpath("args.xlsx"), hgq_writer_path(w));
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_add_sheet(w, "", NULL, &sh, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_writer_add_sheet(w, "s", NULL, &sh, &err));
    CHECK_EQ_STR("s", hgq_writer_sheet_name(sh));
    hgq_table_layout_init(&t);
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_table(sh, &t, NULL, 0, NULL, &err));  /* no columns */
    t.ncols = 2;
    t.header_rows = 1;
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_table(sh, &t, NULL, 0, NULL, &err));  /* no header */
    t.header_rows = 0;
    t.formats = (const char *const[]){"text", "nope"};
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_table(sh, &t, NULL, 0, NULL, &err));
    CHECK(strstr(err.message, "nope") != NULL);
    t.formats = NULL;
    t.col = HGQ_MAX_COL;
    t.row = 0;
    CHECK_EQ_INT(HGQ_EARG, hgq_writer_sheet_table(sh, &t, NULL, 0, NULL, &err));
    CHECK_EQ_INT(HGQ_ESTATE, hgq_writer_sheet_end_table(sh, NULL, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_writer_close(w, &err));
    CHECK_EQ_INT(HGQ_ESTATE, hgq_writer_sheet_write(sh, 0, 0, &v, NULL, &err));
    CHECK_EQ_STR(tpath("args.xlsx"), err.file);
    hgq_writer_free(w);
}

int main(void)
{
    make_tmpdir();
    RUN(table_title_header_totals);
    RUN(table_two_level_header_totals_col);
    RUN(header_merge_rules);
    RUN(streamed_table_and_plain_rows);
    RUN(named_formats);
    RUN(formulas_with_cached_values);
    RUN(personal_ids_masked_by_default);
    RUN(column_widths_count_cjk_double);
    RUN(wide_sheet_landscape_and_properties);
    RUN(highlight_rows_not_met);
    RUN(charts_beside_table);
    RUN(crosstab_teachers_table3);
    RUN(crosstab_certifications_table5);
    RUN(crosstab_values_and_single_dim);
    RUN(group_blank_text_joins_run);
    RUN(crosstab_without_row_dimension);
    RUN(notes_spans_and_formula_cells);
    RUN(fixed_width_wraps_body_text);
    RUN(write_hgq_table);
    RUN(failed_write_keeps_earlier_file);
    RUN(truncated_part_is_never_committed);
    RUN(abandoned_writer_writes_nothing);
    RUN(target_that_is_an_input_is_refused);
    RUN(constant_memory_streaming);
    RUN(open_table_ended_by_close);
    RUN(read_back_with_reader);
    RUN(argument_checks);
    rm_tree(tmpdir);
    return t_done();
}
