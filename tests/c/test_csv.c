/*
 * test_csv.c - the CSV reader: quoting, line ends, encodings, delimiters,
 * limits and errors, read from memory and from files (so that fread chunk
 * boundaries fall inside characters and records).
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <unistd.h>

#include "csv.h"
#include "internal.h"
#include "t.h"

/* {====================================================================
 * Helpers
 * ===================================================================== */

static hgq_reader_options opts(hgq_encoding enc, char delim, uint32_t max_cell)
{
    hgq_reader_options o;
    memset(&o, 0, sizeof o);
    o.csv_encoding = enc;
    o.csv_delimiter = delim;
    o.max_cell_bytes = max_cell;
    return o;
}

/* What reading a whole source gave: every row as "ROW:COL=text|COL=text"
 * on its own line (a newline inside a cell shown as \n), and the status. */
typedef struct result {
    hgq_status open_st, st;
    hgq_error err;
    hgq_encoding enc;
    char delim;
    size_t rows;
    int cells_ok;     /* every cell: STRING, General, style 0, row = row index, len */
    hgq_buf dump;
} result;

static void result_free(result *res)
{
    hgq_buf_free(&res->dump);
}

static result run(const char *path, const void *data, size_t size,
                  const hgq_reader_options *o)
{
    result res;
    hgq_csv_reader *r;
    const hgq_row *row;
    memset(&res, 0, sizeof res);
    hgq_buf_init(&res.dump);
    hgq_buf_append(&res.dump, "", 0);
    res.cells_ok = 1;
    res.open_st = hgq_csv_reader_open(&r, path, data, size, "test.csv", o, &res.err);
    if (res.open_st) {
        res.st = res.open_st;
        return res;
    }
    while ((res.st = hgq_csv_reader_next(r, &row, &res.err)) == HGQ_OK && row) {
        res.rows++;
        hgq_buf_printf(&res.dump, "%u", row->index);
        if (row->ncells == 0)
            res.cells_ok = 0;
        for (size_t i = 0; i < row->ncells; i++) {
            const hgq_cell *c = &row->cells[i];
            if (c->type != HGQ_CELL_STRING || c->row != row->index || !c->numfmt ||
                strcmp(c->numfmt, "General") != 0 || c->style != 0 || c->formula ||
                c->text_len == 0 || strlen(c->text) != c->text_len ||
                (i > 0 && c->col <= row->cells[i - 1].col))
                res.cells_ok = 0;
            hgq_buf_printf(&res.dump, "%c%u=", i ? '|' : ':', c->col);
            for (size_t k = 0; k < c->text_len; k++) {
                if (c->text[k] == '\n')
                    hgq_buf_append_str(&res.dump, "\\n");
                else
                    hgq_buf_append_char(&res.dump, c->text[k]);
            }
        }
        hgq_buf_append_char(&res.dump, '\n');
    }
    res.enc = hgq_csv_reader_encoding(r);
    res.delim = hgq_csv_reader_delimiter(r);
    if (res.st == HGQ_OK) {
        /* the end stays the end */
        hgq_status again = hgq_csv_reader_next(r, &row, NULL);
        if (again != HGQ_OK || row)
            res.cells_ok = 0;
    } else {
        /* an error stays the error */
        hgq_error e2;
        hgq_status again = hgq_csv_reader_next(r, &row, &e2);
        if (again != res.st || row || e2.line != res.err.line)
            res.cells_ok = 0;
    }
    hgq_csv_reader_free(r);
    return res;
}

static result run_mem(const char *text, const hgq_reader_options *o)
{
    return run(NULL, text, strlen(text), o);
}

static result run_mem_n(const void *data, size_t size, const hgq_reader_options *o)
{
    return run(NULL, data, size, o);
}

/* Converts UTF-8 text to `to` with iconv; the caller frees. */
static char *convert_to(const char *to, const char *s, size_t n, size_t *outlen)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    size_t cap = n * 4 + 16, left = cap;
    char *out = malloc(cap), *o = out, *in = (char *)s;
    if (cd == (iconv_t)-1 || !out) {
        free(out);
        return NULL;
    }
    if (iconv(cd, &in, &n, &o, &left) == (size_t)-1) {
        free(out);
        out = NULL;
    }
    iconv_close(cd);
    *outlen = cap - left;
    return out;
}

static const char *tmp_path(const char *name)
{
    static char buf[4][1024];
    static int next;
    char *b = buf[next++ % 4];
    const char *dir = getenv("HGQ_TMP");
    snprintf(b, 1024, "%s/csv-%ld-%s", dir && *dir ? dir : "/tmp", (long)getpid(), name);
    return b;
}

static int write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    if (fwrite(data, 1, n, f) != n) {
        fclose(f);
        return -1;
    }
    return fclose(f);
}

/* }==================================================================== */

/* {====================================================================
 * Data files
 * ===================================================================== */

static const char *STUDENTS =
    "0:0=姓名|1=性别|2=出生日期|3=专业\n"
    "1:0=张三|1=男|2=2006-03-15|3=数控加工\n"
    "2:0=李四|1=女|2=2005-11-02|3=电子商务\n"
    "3:0=王小明|1=男|2=2006-07-30|3=计算机网络应用\n";

TEST(file_utf8)
{
    result res = run(T_DATA("csv/utf8.csv"), NULL, 0, NULL);
    CHECK_EQ_INT(HGQ_OK, res.st);
    CHECK_EQ_STR(STUDENTS, res.dump.data);
    CHECK_EQ_INT(HGQ_ENC_UTF8, res.enc);
    CHECK_EQ_INT(',', res.delim);
    CHECK(res.cells_ok);
    result_free(&res);
}

TEST(file_utf8_bom_crlf)
{
    result res = run(T_DATA("csv/utf8_bom.csv"), NULL, 0, NULL);
    CHECK_EQ_INT(HGQ_OK, res.st);
    CHECK_EQ_STR(STUDENTS, res.dump.data);  /* no BOM in the first cell, no CR anywhere */
    CHECK_EQ_INT(HGQ_ENC_UTF8, res.enc);
    CHECK(res.cells_ok);
    result_free(&res);
}

TEST(file_gbk)
{
    result res = run(T_DATA("csv/gbk.csv"), NULL, 0, NULL);
    CHECK_EQ_INT(HGQ_OK, res.st);
    CHECK_EQ_STR(STUDENTS, res.dump.data);
    CHECK_EQ_INT(HGQ_ENC_GB18030, res.enc);
    CHECK(res.cells_ok);
    result_free(&res);
}

TEST(file_gbk_forced_utf8_fails)
{
    hgq_reader_options o = opts(HGQ_ENC_UTF8, 0, 0);
    result res = run(T_DATA("csv/gbk.csv"), NULL, 0, &o);
    CHECK_EQ_INT(HGQ_EENCODING, res.st);
    CHECK_EQ_INT(1, res.err.line);
    CHECK_EQ_INT(1, res.err.column);
    CHECK(strstr(res.err.message, "UTF-8") != NULL);
    CHECK_EQ_STR("test.csv", res.err.file);
    result_free(&res);
}

TEST(file_tab)
{
    result res = run(T_DATA("csv/tab.csv"), NULL, 0, NULL);
    CHECK_EQ_INT(HGQ_OK, res.st);
    CHECK_EQ_STR("0:0=学号|1=姓名|2=班级\n"
                 "1:0=2024001|1=张三|2=数控2401\n"
                 "2:0=2024002|1=李四|2=电商2402\n", res.dump.data);
    CHECK_EQ_INT('\t', res.delim);
    result_free(&res);
}

TEST(file_utf16le)
{
    result res = run(T_DATA("csv/utf16le.csv"), NULL, 0, NULL);
    CHECK_EQ_INT(HGQ_OK, res.st);
    CHECK_EQ_STR("0:0=学号|1=姓名|2=奖助金额\n"
                 "1:0=2024001|1=张三|2=1500\n"
                 "2:0=2024002|1=李\t四|2=2000\n", res.dump.data);
    CHECK_EQ_INT(HGQ_ENC_UTF16LE, res.enc);
    CHECK_EQ_INT('\t', res.delim);
    CHECK(res.cells_ok);
    result_free(&res);
}

TEST(file_semicolon)
{
    result res = run(T_DATA("csv/semicolon.csv"), NULL, 0, NULL);
    CHECK_EQ_INT(HGQ_OK, res.st);
    CHECK_EQ_INT(';', res.delim);
    CHECK_EQ_STR("0:0=项目|1=金额(万元)|2=备注\n"
                 "1:0=实训设备|1=1234,5|2=含税;已验收\n"
                 "2:0=图书|1=88,0\n", res.dump.data);
    result_free(&res);
}

TEST(file_quoted)
{
    result res = run(T_DATA("csv/quoted.csv"), NULL, 0, NULL);
    CHECK_EQ_INT(HGQ_OK, res.st);
    /* rows are physical line - 1: the three-line field leaves gaps */
    CHECK_EQ_STR("0:0=学号|1=姓名|2=备注\n"
                 "1:0=2024001|1=张三|2=家住城关镇, 二组\n"
                 "2:0=2024002|1=李\"小\"四|2=第一行\\n第二行\\n第三行\n"
                 "7:0=2024003|1=王五|2=说\"好\"\n"
                 "8:0=2024004|1=赵六|2=5\"寸\n", res.dump.data);
    CHECK_EQ_INT(4 + 1, res.rows);
    CHECK(res.cells_ok);
    result_free(&res);
}

TEST(file_no_newline_and_cr)
{
    const char *want = "0:0=专业|1=人数\n1:0=数控加工|1=120\n2:0=电子商务|1=86\n";
    result a = run(T_DATA("csv/no_newline.csv"), NULL, 0, NULL);
    result b = run(T_DATA("csv/cr.csv"), NULL, 0, NULL);
    CHECK_EQ_INT(HGQ_OK, a.st);
    CHECK_EQ_STR(want, a.dump.data);
    CHECK_EQ_INT(HGQ_OK, b.st);
    CHECK_EQ_STR(want, b.dump.data);
    result_free(&a);
    result_free(&b);
}

TEST(file_unterminated)
{
    result res = run(T_DATA("csv/unterminated.csv"), NULL, 0, NULL);
    CHECK_EQ_INT(HGQ_ECSV, res.st);
    CHECK_EQ_INT(3, res.err.line);   /* where the quote opened, not the end of the file */
    CHECK_EQ_INT(3, res.err.column);
    CHECK_EQ_INT(2, res.rows);       /* the rows before it were delivered */
    CHECK(res.cells_ok);
    result_free(&res);
}

TEST(file_bad_gbk)
{
    char msg[1024];
    result res = run(T_DATA("csv/bad_gbk.csv"), NULL, 0, NULL);
    CHECK_EQ_INT(HGQ_EENCODING, res.st);
    CHECK_EQ_INT(3, res.err.line);
    CHECK_EQ_INT(2, res.err.column);
    CHECK_EQ_INT(2, res.rows);
    CHECK(strstr(res.err.message, "FF") != NULL);
    hgq_error_format(&res.err, msg, sizeof msg);
    CHECK(strstr(msg, "test.csv") && strstr(msg, "line 3"));
    result_free(&res);
}

TEST(file_bad_utf8)
{
    hgq_reader_options o = opts(HGQ_ENC_UTF8, 0, 0);
    result res = run(T_DATA("csv/bad_utf8.csv"), NULL, 0, &o);
    CHECK_EQ_INT(HGQ_EENCODING, res.st);
    CHECK_EQ_INT(3, res.err.line);
    CHECK_EQ_INT(2, res.err.column);
    CHECK_EQ_INT(2, res.rows);
    result_free(&res);
}

TEST(file_missing)
{
    hgq_csv_reader *r = (hgq_csv_reader *)&r;
    hgq_error err;
    hgq_error_clear(&err);
    CHECK_EQ_INT(HGQ_EIO, hgq_csv_reader_open(&r, T_DATA("csv/no-such-file.csv"), NULL, 0,
                                              NULL, NULL, &err));
    CHECK(r == NULL);
    CHECK(strstr(err.file, "no-such-file.csv") != NULL);
}

/* }==================================================================== */

/* {====================================================================
 * Quoting and line ends, from memory
 * ===================================================================== */

TEST(line_ends)
{
    static const char *inputs[] = {
        "a,b\nc,d\n", "a,b\r\nc,d\r\n", "a,b\rc,d\r", "a,b\nc,d", "a,b\r\nc,d",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        result res = run_mem(inputs[i], NULL);
        CHECK_EQ_INT(HGQ_OK, res.st);
        CHECK_EQ_STR("0:0=a|1=b\n1:0=c|1=d\n", res.dump.data);
        result_free(&res);
    }
}

TEST(blank_lines_count)
{
    /* LF CR is two line ends; CR LF one */
    result res = run_mem("a\n\r\n\n\rb\r\n\r\nc", NULL);
    CHECK_EQ_INT(HGQ_OK, res.st);
    CHECK_EQ_STR("0:0=a\n4:0=b\n6:0=c\n", res.dump.data);
    result_free(&res);
}

TEST(empty_records_skipped)
{
    result res = run_mem(",,\n\"\",\"\"\n \n,x,\n", NULL);
    CHECK_EQ_INT(HGQ_OK, res.st);
    /* a space is content; "" is empty */
    CHECK_EQ_STR("2:0= \n3:1=x\n", res.dump.data);
    result_free(&res);
}

TEST(empty_inputs)
{
    static const char *inputs[] = {"", "\n", "\r\n\r\n", "\xEF\xBB\xBF", "\xEF\xBB\xBF\r\n", ",,,\n,\n"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        result res = run_mem(inputs[i], NULL);
        CHECK_EQ_INT(HGQ_OK, res.st);
        CHECK_EQ_INT(0, res.rows);
        CHECK(res.cells_ok);
        result_free(&res);
    }
    {
        result res = run(NULL, NULL, 0, NULL);
        CHECK_EQ_INT(HGQ_OK, res.st);
        CHECK_EQ_INT(0, res.rows);
        result_free(&res);
    }
}

TEST(quotes)
{
    result res = run_mem("\"a,b\",\"x\"\"y\",\"\"\"\",\"\"\n"
                         "\"multi\r\nline\rcr\nlf\",z\n"
                         "ab\"c,\"q\"tail,\"q\" \"r\"\n", NULL);
    CHECK_EQ_INT(HGQ_OK, res.st);
    CHECK_EQ_STR("0:0=a,b|1=x\"y|2=\"\n"
                 "1:0=multi\\nline\\ncr\\nlf|1=z\n"
                 "5:0=ab\"c|1=qtail|2=q \"r\"\n", res.dump.data);
    result_free(&res);
}

TEST(quote_at_eof)
{
    result a = run_mem("x,\"closed\"", NULL);
    result b = run_mem("x\ny,\"open\nstill open", NULL);
    result c = run_mem("\"", NULL);
    CHECK_EQ_INT(HGQ_OK, a.st);
    CHECK_EQ_STR("0:0=x|1=closed\n", a.dump.data);
    CHECK_EQ_INT(HGQ_ECSV, b.st);
    CHECK_EQ_INT(2, b.err.line);
    CHECK_EQ_INT(2, b.err.column);
    CHECK_EQ_INT(1, b.rows);
    CHECK(b.cells_ok);
    CHECK_EQ_INT(HGQ_ECSV, c.st);
    CHECK_EQ_INT(1, c.err.line);
    result_free(&a);
    result_free(&b);
    result_free(&c);
}

TEST(nul_byte)
{
    result res = run_mem_n("a,b\nc,d\0e\n", 10, NULL);
    CHECK_EQ_INT(HGQ_EENCODING, res.st);
    CHECK_EQ_INT(2, res.err.line);
    CHECK_EQ_INT(2, res.err.column);
    CHECK_EQ_INT(1, res.rows);
    result_free(&res);
}

/* }==================================================================== */

/* {====================================================================
 * Delimiters
 * ===================================================================== */

TEST(delimiter_detection)
{
    static const struct {
        const char *text;
        char want;
    } cases[] = {
        {"a,b,c\n1,2,3\n", ','},
        {"a\tb\n1\t2\n", '\t'},
        {"a;b;c\n1,5;2,5;3\n4;5,0;6\n", ';'},
        {"name;note\nx;\"a,b,c,d\"\ny;\"e,f\"\n", ';'},
        {"a,b\tc\n1,2\t3,4\n5,6\t7,8\n", '\t'},
        {"2024年学生名单\n姓名,性别\n张三,男\n", ','},
        {"单列\n张三\n李四\n", ','},
        {"", ','},
        {"x;y\n", ';'},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        result res = run_mem(cases[i].text, NULL);
        CHECK_EQ_INT(HGQ_OK, res.st);
        if (res.delim != cases[i].want)
            T_FAIL("case %zu: want '%c', got '%c'", i, cases[i].want, res.delim);
        result_free(&res);
    }
}

TEST(delimiter_override)
{
    hgq_reader_options o = opts(HGQ_ENC_AUTO, ';', 0);
    result res = run_mem("a,b;c\n", &o);
    CHECK_EQ_INT(HGQ_OK, res.st);
    CHECK_EQ_STR("0:0=a,b|1=c\n", res.dump.data);
    CHECK_EQ_INT(';', res.delim);
    result_free(&res);
    o = opts(HGQ_ENC_AUTO, '|', 0);
    res = run_mem("a|b\n", &o);
    CHECK_EQ_STR("0:0=a|1=b\n", res.dump.data);
    result_free(&res);
}

TEST(bad_options)
{
    hgq_csv_reader *r;
    hgq_error err;
    hgq_reader_options o = opts(HGQ_ENC_AUTO, '"', 0);
    CHECK_EQ_INT(HGQ_EARG, hgq_csv_reader_open(&r, NULL, "a", 1, NULL, &o, &err));
    CHECK(r == NULL);
    o = opts(HGQ_ENC_AUTO, '\n', 0);
    CHECK_EQ_INT(HGQ_EARG, hgq_csv_reader_open(&r, NULL, "a", 1, NULL, &o, &err));
    o = opts((hgq_encoding)99, 0, 0);
    CHECK_EQ_INT(HGQ_EARG, hgq_csv_reader_open(&r, NULL, "a", 1, NULL, &o, &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_csv_reader_open(&r, NULL, NULL, 5, NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_csv_reader_open(NULL, NULL, "a", 1, NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_EARG, hgq_csv_reader_next(NULL, NULL, &err));
}

/* }==================================================================== */

/* {====================================================================
 * Encodings
 * ===================================================================== */

TEST(gb18030_memory)
{
    const char *text = "学号,姓名,金额\r\n1,张三,€5\r\n2,𠀀😀,ok\r\n";
    size_t n;
    char *g = convert_to("GB18030", text, strlen(text), &n);
    CHECK(g != NULL);
    if (g) {
        result res = run_mem_n(g, n, NULL);
        CHECK_EQ_INT(HGQ_OK, res.st);
        CHECK_EQ_INT(HGQ_ENC_GB18030, res.enc);
        CHECK_EQ_STR("0:0=学号|1=姓名|2=金额\n1:0=1|1=张三|2=€5\n2:0=2|1=𠀀😀|2=ok\n",
                     res.dump.data);
        result_free(&res);
        free(g);
    }
}

TEST(gb18030_cp936_euro_and_bom)
{
    /* 0x80 is code page 936's euro; 84 31 95 33 is GB18030's BOM */
    result a = run_mem("\xBD\xF0\xB6\xEE,\x80\x35\r\n", NULL);
    result b = run_mem("\x84\x31\x95\x33\xD5\xC5\xC8\xFD\r\n", NULL);
    CHECK_EQ_INT(HGQ_OK, a.st);
    CHECK_EQ_STR("0:0=金额|1=€5\n", a.dump.data);
    CHECK_EQ_INT(HGQ_OK, b.st);
    CHECK_EQ_STR("0:0=张三\n", b.dump.data);
    CHECK_EQ_INT(HGQ_ENC_GB18030, b.enc);
    result_free(&a);
    result_free(&b);
}

TEST(gb18030_truncated_at_end)
{
    result res = run_mem("\xD5\xC5,\xC8\xFD\r\n\xC0", NULL);
    CHECK_EQ_INT(HGQ_EENCODING, res.st);
    CHECK_EQ_INT(2, res.err.line);
    CHECK_EQ_INT(1, res.rows);
    result_free(&res);
}

TEST(gb18030_bad_first_byte)
{
    hgq_reader_options o = opts(HGQ_ENC_GB18030, 0, 0);
    result res = run_mem("\xFF\xFF,a\n", &o);
    CHECK_EQ_INT(HGQ_OK, res.open_st);
    CHECK_EQ_INT(HGQ_EENCODING, res.st);
    CHECK_EQ_INT(1, res.err.line);
    CHECK_EQ_INT(0, res.rows);
    result_free(&res);
}

TEST(utf16be_and_forced)
{
    const char *text = "姓名;😀\n张三;李四\n";
    size_t n;
    char *u = convert_to("UTF-16BE", text, strlen(text), &n);
    CHECK(u != NULL);
    if (u) {
        char *bom = malloc(n + 2);
        hgq_reader_options o = opts(HGQ_ENC_UTF16BE, 0, 0);
        result a, b;
        bom[0] = (char)0xFE;
        bom[1] = (char)0xFF;
        memcpy(bom + 2, u, n);
        a = run_mem_n(bom, n + 2, NULL);
        b = run_mem_n(u, n, &o);  /* no BOM: must be asked for */
        CHECK_EQ_INT(HGQ_OK, a.st);
        CHECK_EQ_INT(HGQ_ENC_UTF16BE, a.enc);
        CHECK_EQ_INT(';', a.delim);
        CHECK_EQ_STR("0:0=姓名|1=😀\n1:0=张三|1=李四\n", a.dump.data);
        CHECK_EQ_INT(HGQ_OK, b.st);
        CHECK_EQ_STR(a.dump.data, b.dump.data);
        result_free(&a);
        result_free(&b);
        free(bom);
        free(u);
    }
}

TEST(utf16_unpaired_surrogate)
{
    /* "a\n" then a lone high surrogate D800 followed by 'b' */
    static const unsigned char s[] = {0xFF, 0xFE, 'a', 0, '\n', 0, 0x00, 0xD8, 'b', 0, '\n', 0};
    result res = run_mem_n(s, sizeof s, NULL);
    CHECK_EQ_INT(HGQ_EENCODING, res.st);
    CHECK_EQ_INT(2, res.err.line);
    CHECK_EQ_INT(1, res.rows);
    result_free(&res);
}

/* ASCII beyond the sample, then Chinese: the encoding is decided late. */
static void late_decision(const char *to, hgq_encoding want, int from_file)
{
    hgq_buf b;
    size_t n, gn;
    char *g;
    hgq_buf_init(&b);
    for (int i = 0; i < 3000; i++)
        hgq_buf_printf(&b, "%d,ascii line number %d,xxxxxxxxxx\n", i, i);
    n = b.len;
    hgq_buf_append_str(&b, "3000,张三,数控\n3001,李四,电商\n");
    g = convert_to(to, b.data, b.len, &gn);
    CHECK(g != NULL && n > 65536);
    if (g) {
        result res;
        if (from_file) {
            const char *p = tmp_path("late.csv");
            CHECK_EQ_INT(0, write_file(p, g, gn));
            res = run(p, NULL, 0, NULL);
            unlink(p);
        } else {
            res = run_mem_n(g, gn, NULL);
        }
        CHECK_EQ_INT(HGQ_OK, res.st);
        CHECK_EQ_INT(3002, res.rows);
        CHECK_EQ_INT(want, res.enc);
        CHECK(strstr(res.dump.data, "\n3000:0=3000|1=张三|2=数控\n3001:0=3001|1=李四|2=电商\n") != NULL);
        result_free(&res);
        free(g);
    }
    hgq_buf_free(&b);
}

TEST(late_encoding_decision)
{
    late_decision("GB18030", HGQ_ENC_GB18030, 0);
    late_decision("GB18030", HGQ_ENC_GB18030, 1);
    late_decision("UTF-8", HGQ_ENC_UTF8, 0);
    late_decision("UTF-8", HGQ_ENC_UTF8, 1);
}

TEST(utf8_error_past_sample)
{
    /* valid UTF-8 beyond the sample, then a bad byte on line 2001 field 3 */
    hgq_buf b;
    hgq_buf_init(&b);
    for (int i = 0; i < 2000; i++)
        hgq_buf_printf(&b, "%d,计算机网络应用,电子商务\n", i);
    hgq_buf_append_str(&b, "2000,张三,\"跨\n行\xC0\xAF\"\n");
    {
        result res = run_mem_n(b.data, b.len, NULL);
        CHECK_EQ_INT(HGQ_EENCODING, res.st);
        CHECK_EQ_INT(2002, res.err.line);  /* the bad byte is on the field's second line */
        CHECK_EQ_INT(3, res.err.column);
        CHECK_EQ_INT(2000, res.rows);
        CHECK_EQ_INT(HGQ_ENC_UTF8, res.enc);
        result_free(&res);
    }
    hgq_buf_free(&b);
}

/*
 * Many records mixing 2-, 3- and 4-byte characters, quoted line breaks and
 * delimiters, written in each encoding to a file and read back: the fread
 * and iconv chunk boundaries fall in every kind of place.
 */
TEST(chunk_boundaries)
{
    static const char *encs[] = {"UTF-8", "GB18030", "UTF-16LE", "UTF-16BE"};
    static const hgq_encoding want[] = {HGQ_ENC_UTF8, HGQ_ENC_GB18030, HGQ_ENC_UTF16LE,
                                        HGQ_ENC_UTF16BE};
    hgq_buf text, expect;
    hgq_buf_init(&text);
    hgq_buf_init(&expect);
    for (int shift = 0; shift < 3; shift++) {
        hgq_buf_clear(&text);
        hgq_buf_clear(&expect);
        hgq_buf_append(&text, "", 0);
        hgq_buf_append(&expect, "", 0);
        hgq_buf_printf(&text, "%.*s\r\n", shift + 1, "###");
        hgq_buf_printf(&expect, "0:0=%.*s\n", shift + 1, "###");
        for (int i = 0; i < 6000; i++) {
            int pad = i % 7;
            hgq_buf_printf(&text, "行%d,汉字😀𠀀é%.*s,\"引号,内\r\n换行\"\"\"\r\n", i, pad, "xxxxxxx");
            hgq_buf_printf(&expect, "%d:0=行%d|1=汉字😀𠀀é%.*s|2=引号,内\\n换行\"\n",
                           1 + 2 * i, i, pad, "xxxxxxx");
        }
        for (size_t e = 0; e < sizeof encs / sizeof *encs; e++) {
            size_t n;
            char *data = convert_to(encs[e], text.data, text.len, &n);
            hgq_buf file;
            const char *p = tmp_path("chunks.csv");
            result res;
            CHECK(data != NULL);
            if (!data)
                continue;
            hgq_buf_init(&file);
            if (e == 2)
                hgq_buf_append(&file, "\xFF\xFE", 2);
            if (e == 3)
                hgq_buf_append(&file, "\xFE\xFF", 2);
            hgq_buf_append(&file, data, n);
            CHECK(file.len > 3 * 65536);
            CHECK_EQ_INT(0, write_file(p, file.data, file.len));
            res = run(p, NULL, 0, NULL);
            CHECK_EQ_INT(HGQ_OK, res.st);
            CHECK_EQ_INT(want[e], res.enc);
            if (strcmp(expect.data, res.dump.data) != 0)
                T_FAIL("%s shift %d: rows differ (%zu rows)", encs[e], shift, res.rows);
            CHECK(res.cells_ok);
            result_free(&res);
            /* the same from memory */
            res = run_mem_n(file.data, file.len, NULL);
            if (strcmp(expect.data, res.dump.data) != 0)
                T_FAIL("%s shift %d from memory: rows differ", encs[e], shift);
            result_free(&res);
            unlink(p);
            hgq_buf_free(&file);
            free(data);
        }
    }
    hgq_buf_free(&text);
    hgq_buf_free(&expect);
}

TEST(long_field_across_chunks)
{
    size_t len = 300000;
    hgq_buf b;
    const char *p = tmp_path("long.csv");
    hgq_buf_init(&b);
    hgq_buf_append_str(&b, "a,\"");
    for (size_t i = 0; i < len / 3; i++)
        hgq_buf_append_str(&b, "中");
    hgq_buf_append_str(&b, "\",z\nend\n");
    CHECK_EQ_INT(0, write_file(p, b.data, b.len));
    {
        hgq_csv_reader *r;
        const hgq_row *row;
        hgq_error err;
        CHECK_EQ_INT(HGQ_OK, hgq_csv_reader_open(&r, p, NULL, 0, NULL, NULL, &err));
        CHECK_EQ_INT(HGQ_OK, hgq_csv_reader_next(r, &row, &err));
        CHECK(row && row->ncells == 3);
        if (row && row->ncells == 3) {
            CHECK_EQ_INT(len, row->cells[1].text_len);
            CHECK_EQ_STR("z", row->cells[2].text);
            CHECK(memcmp(row->cells[1].text + len - 3, "中", 3) == 0);
        }
        CHECK_EQ_INT(HGQ_OK, hgq_csv_reader_next(r, &row, &err));
        CHECK(row && row->index == 1 && row->ncells == 1);
        CHECK_EQ_INT(HGQ_OK, hgq_csv_reader_next(r, &row, &err));
        CHECK(row == NULL);
        hgq_csv_reader_free(r);
    }
    unlink(p);
    hgq_buf_free(&b);
}

/* }==================================================================== */

/* {====================================================================
 * Limits
 * ===================================================================== */

TEST(cell_limit)
{
    hgq_reader_options o = opts(HGQ_ENC_AUTO, 0, 10);
    result a = run_mem("1234567890,x\n", &o);
    result b = run_mem("ok\n1,\"12345\n67890\"\n", &o);  /* 11 bytes with the line break */
    CHECK_EQ_INT(HGQ_OK, a.st);
    CHECK_EQ_STR("0:0=1234567890|1=x\n", a.dump.data);
    CHECK_EQ_INT(HGQ_ELIMIT, b.st);
    CHECK_EQ_INT(2, b.err.line);
    CHECK_EQ_INT(2, b.err.column);
    CHECK_EQ_INT(1, b.rows);
    result_free(&a);
    result_free(&b);
}

static void fields_case(size_t nfields, const char *field, hgq_status want)
{
    hgq_buf b;
    hgq_buf_init(&b);
    hgq_buf_append_str(&b, "head\n");
    for (size_t i = 0; i < nfields; i++) {
        if (i)
            hgq_buf_append_char(&b, ',');
        hgq_buf_append_str(&b, field);
    }
    hgq_buf_append_char(&b, '\n');
    {
        hgq_reader_options o = opts(HGQ_ENC_AUTO, ',', 0);
        result res = run_mem_n(b.data, b.len, &o);
        CHECK_EQ_INT(want, res.st);
        if (want == HGQ_OK) {
            CHECK_EQ_INT(2, res.rows);
            CHECK(strstr(res.dump.data, "|16383=a\n") != NULL);
        } else {
            CHECK_EQ_INT(2, res.err.line);
            CHECK_EQ_INT(HGQ_MAX_COL + 2, res.err.column);
            CHECK_EQ_INT(1, res.rows);
        }
        result_free(&res);
    }
    hgq_buf_free(&b);
}

TEST(field_count_limit)
{
    fields_case(HGQ_MAX_COL + 1, "a", HGQ_OK);
    fields_case(HGQ_MAX_COL + 2, "a", HGQ_ELIMIT);
    fields_case(HGQ_MAX_COL + 2, "", HGQ_ELIMIT);
}

TEST(row_limit)
{
    size_t lines = (size_t)HGQ_MAX_ROW + 1;
    char *s = malloc(2 * (lines + 1));
    CHECK(s != NULL);
    if (!s)
        return;
    for (size_t i = 0; i < lines + 1; i++) {
        s[2 * i] = 'x';
        s[2 * i + 1] = '\n';
    }
    {
        result ok = run_mem_n(s, 2 * lines, NULL);
        result over = run_mem_n(s, 2 * (lines + 1), NULL);
        /* blank lines past the limit are harmless */
        hgq_buf b;
        hgq_buf_init(&b);
        hgq_buf_append(&b, s, 2 * lines);
        for (int i = 0; i < 10; i++)
            hgq_buf_append_char(&b, '\n');
        {
            result blank = run_mem_n(b.data, b.len, NULL);
            CHECK_EQ_INT(HGQ_OK, blank.st);
            CHECK_EQ_INT(lines, blank.rows);
            result_free(&blank);
        }
        CHECK_EQ_INT(HGQ_OK, ok.st);
        CHECK_EQ_INT(lines, ok.rows);
        CHECK_EQ_INT(HGQ_ELIMIT, over.st);
        CHECK_EQ_INT(lines + 1, over.err.line);
        CHECK_EQ_INT(lines, over.rows);
        result_free(&ok);
        result_free(&over);
        hgq_buf_free(&b);
    }
    free(s);
}

/* }==================================================================== */

/* {====================================================================
 * Sniffing
 * ===================================================================== */

TEST(sniff)
{
    static const unsigned char utf16[] = {0xFF, 0xFE, 'a', 0, ',', 0, 'b', 0};
    static const unsigned char xls[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    static const unsigned char ctl[] = {'a', 1, 2, 3, 4, 5, 6, 7, 8, 'b'};
    size_t gn;
    char *g = convert_to("GB18030", "姓名,性别\r\n张三,男\r\n", strlen("姓名,性别\r\n张三,男\r\n"), &gn);
    char big[8192];
    CHECK_EQ_INT(1, hgq_csv_sniff("a,b\n1,2\n", 8));
    CHECK_EQ_INT(1, hgq_csv_sniff("", 0));
    CHECK_EQ_INT(1, hgq_csv_sniff(utf16, sizeof utf16));
    CHECK(g != NULL);
    if (g)
        CHECK_EQ_INT(1, hgq_csv_sniff(g, gn));
    free(g);
    CHECK_EQ_INT(0, hgq_csv_sniff("a,b\0c", 5));
    CHECK_EQ_INT(0, hgq_csv_sniff("PK\3\4\x14\0\0\0", 8));
    CHECK_EQ_INT(0, hgq_csv_sniff(xls, sizeof xls));
    CHECK_EQ_INT(0, hgq_csv_sniff("%PDF-1.7\n", 9));
    CHECK_EQ_INT(0, hgq_csv_sniff(ctl, sizeof ctl));
    /* a NUL after the first 4 KiB is the reader's business, not the sniffer's */
    memset(big, 'a', sizeof big);
    big[5000] = 0;
    CHECK_EQ_INT(1, hgq_csv_sniff(big, sizeof big));
    big[100] = 0;
    CHECK_EQ_INT(0, hgq_csv_sniff(big, sizeof big));
}

/* }==================================================================== */

/* {====================================================================
 * Through the public reader API
 * ===================================================================== */

/* Reads sheet 0 of a workbook into the dump format of run(). */
static hgq_status wb_dump(hgq_workbook *wb, hgq_buf *out, hgq_error *err)
{
    hgq_rows *rows;
    const hgq_row *row;
    hgq_status st = hgq_rows_open(&rows, wb, 0, err);
    hgq_buf_append(out, "", 0);
    if (st)
        return st;
    while ((st = hgq_rows_next(rows, &row, err)) == HGQ_OK && row) {
        hgq_buf_printf(out, "%u", row->index);
        for (size_t i = 0; i < row->ncells; i++)
            hgq_buf_printf(out, "%c%u=%s", i ? '|' : ':', row->cells[i].col,
                           row->cells[i].text);
        hgq_buf_append_char(out, '\n');
    }
    hgq_rows_free(rows);
    return st;
}

TEST(workbook_csv_files)
{
    static const char *files[] = {"csv/utf8.csv", "csv/utf8_bom.csv", "csv/gbk.csv"};
    static const char *names[] = {"utf8", "utf8_bom", "gbk"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        hgq_workbook *wb;
        hgq_error err;
        hgq_buf b;
        hgq_buf_init(&b);
        CHECK_EQ_INT(HGQ_OK, hgq_workbook_open(&wb, T_DATA(files[i]), NULL, &err));
        if (!wb)
            continue;
        CHECK_EQ_INT(HGQ_FILE_CSV, hgq_workbook_kind(wb));
        CHECK_EQ_INT(1, hgq_workbook_sheet_count(wb));
        CHECK_EQ_STR(names[i], hgq_workbook_sheet(wb, 0)->name);
        CHECK_EQ_INT(0, hgq_workbook_find_sheet(wb, names[i]));
        CHECK_EQ_INT(HGQ_OK, wb_dump(wb, &b, &err));
        CHECK_EQ_STR(STUDENTS, b.data);
        hgq_buf_free(&b);
        hgq_workbook_free(wb);
    }
}

TEST(workbook_csv_memory_and_options)
{
    const char *text = "a;b\n1,5;2\n";
    hgq_workbook *wb;
    hgq_error err;
    hgq_reader_options o;
    hgq_buf b;
    hgq_buf_init(&b);
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_open_memory(&wb, text, strlen(text), "上传.csv", NULL, &err));
    if (wb) {
        CHECK_EQ_INT(HGQ_FILE_CSV, hgq_workbook_kind(wb));
        CHECK_EQ_INT(HGQ_OK, wb_dump(wb, &b, &err));
        CHECK_EQ_STR("0:0=a|1=b\n1:0=1,5|1=2\n", b.data);
        hgq_workbook_free(wb);
    }
    hgq_buf_clear(&b);
    hgq_reader_options_init(&o);
    o.csv_delimiter = ',';
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_open_memory(&wb, text, strlen(text), "x.csv", &o, &err));
    if (wb) {
        CHECK_EQ_INT(HGQ_OK, wb_dump(wb, &b, &err));
        CHECK_EQ_STR("0:0=a;b\n1:0=1|1=5;2\n", b.data);
        hgq_workbook_free(wb);
    }
    hgq_buf_free(&b);
}

TEST(workbook_csv_errors)
{
    hgq_workbook *wb;
    hgq_error err;
    hgq_buf b;
    char msg[1024];
    hgq_buf_init(&b);
    /* an encoding error names file, sheet, line and field */
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_open(&wb, T_DATA("csv/bad_gbk.csv"), NULL, &err));
    if (wb) {
        CHECK_EQ_INT(HGQ_EENCODING, wb_dump(wb, &b, &err));
        CHECK_EQ_INT(3, err.line);
        CHECK_EQ_INT(2, err.column);
        CHECK_EQ_STR("bad_gbk", err.sheet);
        CHECK(strstr(err.file, "bad_gbk.csv") != NULL);
        hgq_error_format(&err, msg, sizeof msg);
        CHECK(strstr(msg, "line 3 field 2") != NULL);
        hgq_workbook_free(wb);
    }
    hgq_buf_clear(&b);
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_open(&wb, T_DATA("csv/unterminated.csv"), NULL, &err));
    if (wb) {
        CHECK_EQ_INT(HGQ_ECSV, wb_dump(wb, &b, &err));
        CHECK_EQ_INT(3, err.line);
        hgq_workbook_free(wb);
    }
    /* binary is not CSV */
    CHECK_EQ_INT(HGQ_EFORMAT, hgq_workbook_open_memory(&wb, "a\0b\1\2", 5, "x.bin", NULL, &err));
    CHECK(wb == NULL);
    hgq_buf_free(&b);
}

/* }==================================================================== */

int main(void)
{
    RUN(file_utf8);
    RUN(file_utf8_bom_crlf);
    RUN(file_gbk);
    RUN(file_gbk_forced_utf8_fails);
    RUN(file_tab);
    RUN(file_utf16le);
    RUN(file_semicolon);
    RUN(file_quoted);
    RUN(file_no_newline_and_cr);
    RUN(file_unterminated);
    RUN(file_bad_gbk);
    RUN(file_bad_utf8);
    RUN(file_missing);
    RUN(line_ends);
    RUN(blank_lines_count);
    RUN(empty_records_skipped);
    RUN(empty_inputs);
    RUN(quotes);
    RUN(quote_at_eof);
    RUN(nul_byte);
    RUN(delimiter_detection);
    RUN(delimiter_override);
    RUN(bad_options);
    RUN(gb18030_memory);
    RUN(gb18030_cp936_euro_and_bom);
    RUN(gb18030_truncated_at_end);
    RUN(gb18030_bad_first_byte);
    RUN(utf16be_and_forced);
    RUN(utf16_unpaired_surrogate);
    RUN(late_encoding_decision);
    RUN(utf8_error_past_sample);
    RUN(chunk_boundaries);
    RUN(long_field_across_chunks);
    RUN(cell_limit);
    RUN(field_count_limit);
    RUN(row_limit);
    RUN(sniff);
    RUN(workbook_csv_files);
    RUN(workbook_csv_memory_and_options);
    RUN(workbook_csv_errors);
    return t_done();
}
