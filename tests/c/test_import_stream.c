/*
 * test_import_stream.c - record import streams the sheet: only the head of
 * the sheet and the rows that may be footnotes are held, however long the
 * sheet is (an internal counter, import_internal.h), while totals rows,
 * blank rows, footnotes, refused rows and ranges merged down over data rows
 * far below the head behave as they do near the top. Files are generated
 * into $HGQ_TMP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "hgq.h"
#include "import_internal.h"
#include "t.h"
#include "t_findings.h"

/* Rows the import reads for header detection by default (scan_rows + 1). */
#define HEAD_ROWS 31

static char tmpdir[512];

static const char *tmp_path(const char *name)
{
    static char b[4][1024];
    static int k;
    char *p = b[k++ & 3];
    snprintf(p, 1024, "%s/%s", tmpdir, name);
    return p;
}

static hgq_dataset *new_ds(void)
{
    return hgq_dataset_new(2025, hgq_date_from_ymd(2025, 9, 1));
}

static void check_balance(const hgq_import_summary *s)
{
    CHECK_EQ_INT(s->rows_read, s->rows_accepted + s->rows_rejected + s->rows_skipped);
    CHECK_EQ_INT(s->rows_skipped, s->rows_blank + s->rows_totals + s->rows_notes);
}

/* Amount of aid record k (0-based), in 元. */
static long amount_of(long k)
{
    return 100 + (k * 37) % 900;
}

/* {====================================================================
 * A long aid roster as CSV
 * ===================================================================== */

#define AID_ROWS 50000L
#define AID_BLOCK 10000L

/*
 * Sheet rows (0-based): 0 title, 1 header, then AID_ROWS records with a 小计
 * after every AID_BLOCK of them (the third one off by 100), a row with only
 * its 序号 (blank) and a lone "以下为补录数据：" in the 学号 column (a record
 * missing its name) in the middle, then 合计, a footnote, a lone sentence
 * in the 学号 column and a blank row.
 */
typedef struct aid_layout {
    long wrong_sub_row;     /* sheet row of the wrong 小计 */
    long wrong_sub_first;   /* sheet row of the first record it sums */
    long lone_row;          /* sheet row of the lone text in the middle */
    long last_record_row;   /* sheet row of the last record */
    long total;             /* sum of every amount */
} aid_layout;

static int write_aid_csv(const char *path, aid_layout *lay)
{
    FILE *f = fopen(path, "w");
    long k, row = 0, sub = 0, block_first = 2;
    if (!f)
        return -1;
    lay->total = 0;
    fprintf(f, "2025年学生资助发放明细,,,,,,\n");
    row++;
    fprintf(f, "序号,年份,学号,姓名,困难类型,资助项目,金额（元）\n");
    row++;
    for (k = 0; k < AID_ROWS; k++) {
        long a = amount_of(k);
        fprintf(f, "%ld,2025,2023%06ld,学生%ld,%s,国家助学金,%ld\n", k + 1, k, k,
                k % 3 == 0 ? "建档立卡" : "", a);
        if (k % AID_BLOCK == 0)
            block_first = row;
        lay->last_record_row = row++;
        sub += a;
        lay->total += a;
        if ((k + 1) % AID_BLOCK == 0) {
            int wrong = (k + 1) / AID_BLOCK == 3;
            if (wrong) {
                lay->wrong_sub_row = row;
                lay->wrong_sub_first = block_first;
            }
            fprintf(f, ",小计,,,,,%ld\n", sub + (wrong ? 100 : 0));
            row++;
            sub = 0;
        }
        if (k == AID_ROWS / 2) {
            fprintf(f, "99999,,,,,,\n");
            row++;
            lay->lone_row = row;
            fprintf(f, ",,以下为补录数据：,,,,\n");
            row++;
        }
    }
    fprintf(f, ",合计,,,,,%ld\n", lay->total);
    fprintf(f, "注：金额单位为元。,,,,,,\n");
    fprintf(f, ",,以上数据经财务处核对。,,,,\n");
    fprintf(f, "100000,,,,,,\n");
    return fclose(f);
}

TEST(long_csv_streams)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_import_summary s;
    hgq_error err;
    hgq_table *t;
    const hgq_finding *f;
    aid_layout lay;
    const char *path = tmp_path("aid_long.csv");
    memset(&lay, 0, sizeof lay);
    size_t i;
    long col;
    double sum = 0;
    hgq_origin o;
    CHECK_EQ_INT(0, write_aid_csv(path, &lay));
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, path, "aid", NULL, NULL, &s, &err));
    CHECK_EQ_INT(1, s.header_row);
    /* records, the lone text refused, 5 小计 + 合计, 2 footnotes, 2 blank */
    CHECK_EQ_INT(AID_ROWS + 11, s.rows_read);
    CHECK_EQ_INT(AID_ROWS, s.rows_accepted);
    CHECK_EQ_INT(1, s.rows_rejected);
    CHECK_EQ_INT(6, s.rows_totals);
    CHECK_EQ_INT(2, s.rows_notes);
    CHECK_EQ_INT(2, s.rows_blank);
    check_balance(&s);
    /* the head and at most one row held back, not the sheet */
    CHECK(hgq_import_rows_held_peak(&s) >= HEAD_ROWS);
    CHECK(hgq_import_rows_held_peak(&s) <= HEAD_ROWS + 1);
    /* only the third 小计 is off, named with its cell and the first row summed */
    CHECK_EQ_INT(1, count_code(ds, "import.total", &f));
    if (f) {
        CHECK_EQ_INT(lay.wrong_sub_row, f->where.row);
        CHECK_EQ_INT(6, f->where.col);
        CHECK_EQ_INT(lay.wrong_sub_first, f->other.row);
        CHECK(strstr(f->message, "小计") != NULL);
    }
    CHECK_EQ_INT(1, count_code(ds, "import.rejected", &f));
    if (f) {
        char want[32];
        snprintf(want, sizeof want, "第%ld行", lay.lone_row + 1);
        CHECK_EQ_INT(lay.lone_row, f->where.row);
        CHECK(strstr(f->message, want) != NULL);
        CHECK(strstr(f->message, "姓名") != NULL);
    }
    /* the records: every amount, in order, each with its row */
    t = hgq_dataset_table(ds, "aid");
    CHECK(t != NULL);
    if (t) {
        CHECK_EQ_INT(AID_ROWS, hgq_table_nrows(t));
        col = hgq_table_find_column(t, "amount");
        for (i = 0; i < hgq_table_nrows(t); i++) {
            double x = -1;
            hgq_value_number(hgq_table_get(t, i, (size_t)col), &x);
            if (x != (double)amount_of((long)i)) {
                T_FAIL("record %zu: amount %g, want %ld", i, x, amount_of((long)i));
                break;
            }
            sum += x;
        }
        CHECK_EQ_DBL((double)lay.total, sum, 0.5);
        CHECK(hgq_table_origin(t, AID_ROWS - 1, (size_t)col, &o));
        CHECK_EQ_INT(lay.last_record_row, o.row);
        CHECK_EQ_STR("建档立卡", hgq_table_get_by_name(t, AID_ROWS - 1 - (AID_ROWS - 1) % 3,
                                                     "hardship")->u.s);
    }
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

/* A run of lone sentences longer than a footnote block: the rows held back
 * stay bounded; whole batches of them become records (refused), the rest at
 * the bottom stay footnotes. */
TEST(long_run_of_lone_texts)
{
    enum { RECORDS = 100, LONE = 1000 };
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_import_summary s;
    hgq_error err;
    const char *path = tmp_path("aid_lone.csv");
    FILE *f = fopen(path, "w");
    size_t released = (LONE - 1) / HGQ_IMPORT_MAX_PENDING * HGQ_IMPORT_MAX_PENDING;
    int k;
    CHECK(f != NULL);
    if (!f)
        return;
    fprintf(f, "序号,年份,学号,姓名,资助项目,金额（元）\n");
    for (k = 0; k < RECORDS; k++)
        fprintf(f, "%d,2025,S%05d,学生%d,国家助学金,%ld\n", k + 1, k, k, amount_of(k));
    for (k = 0; k < LONE; k++)
        fprintf(f, ",,第%d条说明。,,,\n", k + 1);
    CHECK_EQ_INT(0, fclose(f));
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, path, "aid", NULL, NULL, &s, &err));
    CHECK_EQ_INT(RECORDS + LONE, s.rows_read);
    CHECK_EQ_INT(RECORDS, s.rows_accepted);
    CHECK_EQ_INT(released, s.rows_rejected);
    CHECK_EQ_INT(LONE - released, s.rows_notes);
    check_balance(&s);
    CHECK(hgq_import_rows_held_peak(&s) <= HEAD_ROWS + HGQ_IMPORT_MAX_PENDING);
    CHECK_EQ_INT(released, count_code(ds, "import.rejected", NULL));
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

/* }==================================================================== */

/* {====================================================================
 * A long student roster as xlsx: a merged two-row header, classes merged
 * down over their students
 * ===================================================================== */

#define STU_ROWS 4000
#define CLASS_SIZE 40
#define STU_FIRST 3      /* sheet row of the first student */

static const char *class_name(int k, char *buf, size_t size)
{
    snprintf(buf, size, "2024级数控%d班", k / CLASS_SIZE + 1);
    return buf;
}

static int write_students_xlsx(const char *path)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws;
    int k;
    char buf[64];
    if (!wb)
        return -1;
    ws = workbook_add_worksheet(wb, "学生名册");
    worksheet_merge_range(ws, 0, 0, 0, 5, "2024级学生名册", NULL);
    worksheet_merge_range(ws, 1, 0, 2, 0, "学号", NULL);
    worksheet_merge_range(ws, 1, 1, 2, 1, "姓名", NULL);
    worksheet_merge_range(ws, 1, 2, 1, 3, "基本信息", NULL);
    worksheet_write_string(ws, 2, 2, "性别", NULL);
    worksheet_write_string(ws, 2, 3, "入学年份", NULL);
    worksheet_merge_range(ws, 1, 4, 2, 4, "班级", NULL);
    worksheet_merge_range(ws, 1, 5, 2, 5, "专业", NULL);
    for (k = 0; k < STU_ROWS; k++) {
        lxw_row_t r = (lxw_row_t)(STU_FIRST + k);
        snprintf(buf, sizeof buf, "2024%05d", k);
        worksheet_write_string(ws, r, 0, buf, NULL);
        snprintf(buf, sizeof buf, "学生%d", k);
        worksheet_write_string(ws, r, 1, buf, NULL);
        worksheet_write_string(ws, r, 2, k % 2 ? "女" : "男", NULL);
        worksheet_write_number(ws, r, 3, 2024, NULL);
        if (k % CLASS_SIZE == 0)
            worksheet_merge_range(ws, r, 4, r + CLASS_SIZE - 1, 4,
                                  class_name(k, buf, sizeof buf), NULL);
        /* the major merged over the class too, but only for odd classes */
        if (k % CLASS_SIZE == 0 && (k / CLASS_SIZE) % 2 == 1)
            worksheet_merge_range(ws, r, 5, r + CLASS_SIZE - 1, 5, "电子商务", NULL);
        else if ((k / CLASS_SIZE) % 2 == 0)
            worksheet_write_string(ws, r, 5, "机电技术应用", NULL);
    }
    worksheet_write_string(ws, STU_FIRST + STU_ROWS + 1, 0, "填表人：张老师", NULL);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

/* The records of `t` from row `from` on, as text, for comparing imports. */
static void dump_table(const hgq_table *t, size_t from, hgq_buf *out)
{
    size_t r, c;
    for (r = from; r < hgq_table_nrows(t); r++) {
        for (c = 0; c < hgq_table_ncols(t); c++) {
            char buf[128];
            hgq_origin o;
            hgq_model_value_text(hgq_table_get(t, r, c), buf, sizeof buf);
            hgq_buf_append_str(out, buf);
            if (hgq_table_origin(t, r, c, &o))
                hgq_buf_printf(out, "@%u:%u", o.row, o.col);
            hgq_buf_append_char(out, '|');
        }
        hgq_buf_append_char(out, '\n');
    }
}

TEST(long_xlsx_merged_classes)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds(), *whole = new_ds();
    hgq_import_summary s, sw;
    hgq_import_options opt;
    hgq_error err;
    hgq_table *t, *tw;
    const char *path = tmp_path("students_long.xlsx");
    char buf[64];
    int k, bad = 0;
    hgq_buf a, b;
    CHECK_EQ_INT(0, write_students_xlsx(path));
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, path, "student", NULL, NULL, &s, &err));
    CHECK_EQ_INT(1, s.header_row);
    CHECK_EQ_INT(2, s.header_rows);
    CHECK_EQ_INT(STU_ROWS + 1, s.rows_read);
    CHECK_EQ_INT(STU_ROWS, s.rows_accepted);
    CHECK_EQ_INT(1, s.rows_notes);
    check_balance(&s);
    CHECK(hgq_import_rows_held_peak(&s) <= HEAD_ROWS + 1);
    t = hgq_dataset_table(ds, "student");
    CHECK(t != NULL);
    if (!t)
        goto out;
    /* every student has the class merged over it, far below the head too */
    for (k = 0; k < STU_ROWS && bad < 3; k++) {
        const hgq_value *v = hgq_table_get_by_name(t, (size_t)k, "class");
        const hgq_value *m = hgq_table_get_by_name(t, (size_t)k, "major");
        const char *want_major = (k / CLASS_SIZE) % 2 ? "电子商务" : "机电技术应用";
        class_name(k, buf, sizeof buf);
        if (v->type != HGQ_TEXT || strcmp(v->u.s, buf) != 0 || m->type != HGQ_TEXT ||
            strcmp(m->u.s, want_major) != 0) {
            T_FAIL("student %d: class %s, major %s", k, v->type == HGQ_TEXT ? v->u.s : "(none)",
                   m->type == HGQ_TEXT ? m->u.s : "(none)");
            bad++;
        }
    }
    /* the same sheet held whole as its head gives the same records */
    hgq_import_options_init(&opt);
    opt.scan_rows = STU_ROWS + 100;
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(whole, reg, path, "student", &opt, NULL, &sw, &err));
    CHECK(hgq_import_rows_held_peak(&sw) > STU_ROWS);
    CHECK_EQ_INT(s.rows_read, sw.rows_read);
    CHECK_EQ_INT(s.rows_accepted, sw.rows_accepted);
    CHECK_EQ_INT(hgq_dataset_finding_count(ds), hgq_dataset_finding_count(whole));
    tw = hgq_dataset_table(whole, "student");
    CHECK(tw != NULL);
    if (tw) {
        hgq_buf_init(&a);
        hgq_buf_init(&b);
        dump_table(t, 0, &a);
        dump_table(tw, 0, &b);
        CHECK(a.len > 0);
        CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
        hgq_buf_free(&a);
        hgq_buf_free(&b);
    }
    hgq_import_summary_free(&sw);
out:
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
    hgq_dataset_free(whole);
    hgq_schemas_free(reg);
}

/* }==================================================================== */

/* An explicit header row far below the head: the rows between are passed
 * over, not held. */
TEST(explicit_header_far_down)
{
    hgq_schemas *reg = hgq_schemas_new();
    hgq_dataset *ds = new_ds();
    hgq_import_summary s;
    hgq_import_options opt;
    hgq_error err;
    const char *path = tmp_path("aid_far.csv");
    FILE *f = fopen(path, "w");
    int k;
    CHECK(f != NULL);
    if (!f)
        return;
    for (k = 0; k < 500; k++)
        fprintf(f, "说明第%d行,,\n", k + 1);
    fprintf(f, "学号,姓名,金额\n");
    for (k = 0; k < 200; k++)
        fprintf(f, "S%d,学生%d,%ld\n", k, k, amount_of(k));
    CHECK_EQ_INT(0, fclose(f));
    hgq_import_options_init(&opt);
    opt.header_row = 500;
    CHECK_EQ_INT(HGQ_OK, hgq_import_file(ds, reg, path, "aid", &opt, NULL, &s, &err));
    CHECK_EQ_INT(500, s.header_row);
    CHECK_EQ_INT(200, s.rows_read);
    CHECK_EQ_INT(200, s.rows_accepted);
    check_balance(&s);
    CHECK(hgq_import_rows_held_peak(&s) <= HEAD_ROWS + 2);
    hgq_import_summary_free(&s);
    hgq_dataset_free(ds);
    hgq_schemas_free(reg);
}

int main(void)
{
    const char *root = getenv("HGQ_TMP");
    snprintf(tmpdir, sizeof tmpdir, "%s/hgq-stream-XXXXXX", root && *root ? root : "/tmp");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(long_csv_streams);
    RUN(long_run_of_lone_texts);
    RUN(long_xlsx_merged_classes);
    RUN(explicit_header_far_down);
    remove(tmp_path("aid_long.csv"));
    remove(tmp_path("aid_lone.csv"));
    remove(tmp_path("students_long.xlsx"));
    remove(tmp_path("aid_far.csv"));
    remove(tmpdir);
    return t_done();
}
