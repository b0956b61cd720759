/*
 * test_reader.c - the .xlsx/.csv reader: package structure, cell types,
 * number formats, shared formulas, streaming, merges, the C API contract,
 * and one small file per hostile case.
 *
 * Workbooks are built at test time into $HGQ_TMP with minizip's zip writer
 * (any XML, any zip layout, any lie) and with libxlsxwriter. The same
 * builder writes the small files committed under tests/data/xlsx for the
 * Lua and end-to-end tests:
 *
 *     build/tests/test_reader --fixtures tests/data/xlsx
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <minizip/zip.h>
#include <xlsxwriter.h>

#include "t.h"
#include "hgq.h"
#include "xlsx.h"

#include "t_package.h"

/* {====================================================================
 * Reading into something easy to check
 * ===================================================================== */

typedef struct got {
    char ref[16];
    hgq_cell_type type;
    double num;
    char text[512];
    char fmt[96];
    char formula[256];
    uint32_t style;
} got;

typedef struct sheet_cells {
    got cells[256];
    int n;
    int rows;
    uint32_t row_index[64];
    hgq_status st;
    hgq_error err;
} sheet_cells;

static void read_sheet(hgq_workbook *wb, size_t sheet, sheet_cells *out)
{
    hgq_rows *rows;
    const hgq_row *row;
    memset(out, 0, sizeof *out);
    out->st = hgq_rows_open(&rows, wb, sheet, &out->err);
    if (out->st != HGQ_OK)
        return;
    while ((out->st = hgq_rows_next(rows, &row, &out->err)) == HGQ_OK && row) {
        size_t i;
        if (out->rows < 64)
            out->row_index[out->rows] = row->index;
        out->rows++;
        for (i = 0; i < row->ncells && out->n < 256; i++) {
            const hgq_cell *c = &row->cells[i];
            got *g = &out->cells[out->n++];
            hgq_ref_format(c->row, c->col, g->ref, sizeof g->ref);
            g->type = c->type;
            g->num = c->number;
            if (c->text)
                snprintf(g->text, sizeof g->text, "%s", c->text);
            snprintf(g->fmt, sizeof g->fmt, "%s", c->numfmt);
            if (c->formula)
                snprintf(g->formula, sizeof g->formula, "%s", c->formula);
            g->style = c->style;
        }
    }
    hgq_rows_free(rows);
}

static const got *cell_at(const sheet_cells *s, const char *ref)
{
    int i;
    for (i = 0; i < s->n; i++)
        if (strcmp(s->cells[i].ref, ref) == 0)
            return &s->cells[i];
    return NULL;
}

static const got none = {"", (hgq_cell_type)-1, 0, "", "", "", 0};
#define AT(s, ref) (cell_at((s), (ref)) ? cell_at((s), (ref)) : &none)

static hgq_status open_book(hgq_workbook **wb, const char *path, const hgq_reader_options *opt,
                            hgq_error *err)
{
    hgq_status st = hgq_workbook_open(wb, path, opt, err);
    if (st != HGQ_OK) {
        char line[2048];
        hgq_error_format(err, line, sizeof line);
        printf("# open %s: %s\n", path, line);
    }
    return st;
}

static void iso(double serial, char *buf)
{
    hgq_date_format_iso(serial, buf, 32);
}

/* }==================================================================== */

/* {====================================================================
 * Pieces
 * ===================================================================== */

TEST(options_defaults)
{
    hgq_reader_options o;
    hgq_reader_options_init(&o);
    CHECK(o.max_total_inflated == (UINT64_C(4) << 30));
    CHECK(o.max_entry_inflated == (UINT64_C(2) << 30));
    CHECK_EQ_INT(200, o.max_ratio);
    CHECK(o.max_shared_strings == (UINT64_C(16) << 20));
    CHECK(o.max_shared_bytes == (UINT64_C(1) << 30));
    CHECK_EQ_INT(1 << 20, o.max_cell_bytes);
    CHECK_EQ_INT(0, o.want_formulas);
    CHECK_EQ_INT(HGQ_ENC_AUTO, o.csv_encoding);
    CHECK_EQ_INT(0, o.csv_delimiter);
}

TEST(number_formats)
{
    int id, dates = 0;
    CHECK_EQ_STR("General", hgq_numfmt_builtin(0));
    CHECK_EQ_STR("0.00", hgq_numfmt_builtin(2));
    CHECK_EQ_STR("mm-dd-yy", hgq_numfmt_builtin(14));
    CHECK_EQ_STR("[h]:mm:ss", hgq_numfmt_builtin(46));
    CHECK_EQ_STR("@", hgq_numfmt_builtin(49));
    CHECK_EQ_STR("yyyy\"年\"m\"月\"d\"日\"", hgq_numfmt_builtin(31));
    CHECK(hgq_numfmt_builtin(23) == NULL);
    CHECK(hgq_numfmt_builtin(59) == NULL);
    CHECK(hgq_numfmt_builtin(164) == NULL);
    /* exactly the ids of the spec are dates, and each has a date code */
    for (id = 0; id < 200; id++) {
        int want = (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
                   (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
        CHECK_EQ_INT(want, hgq_numfmt_builtin_is_date((unsigned)id));
        if (want) {
            dates++;
            CHECK(hgq_numfmt_is_date(hgq_numfmt_builtin((unsigned)id)));
        } else if (hgq_numfmt_builtin((unsigned)id)) {
            CHECK(!hgq_numfmt_is_date(hgq_numfmt_builtin((unsigned)id)));
        }
    }
    CHECK_EQ_INT(9 + 10 + 3 + 9, dates);
    CHECK(hgq_numfmt_is_date("yyyy-mm-dd"));
    CHECK(hgq_numfmt_is_date("yyyy\\-mm\\-dd"));
    CHECK(hgq_numfmt_is_date("[$-409]mmmm d, yyyy;@"));
    CHECK(hgq_numfmt_is_date("[h]:mm"));
    CHECK(hgq_numfmt_is_date("[ss]"));
    CHECK(hgq_numfmt_is_date("[Red]yyyy/m/d"));
    CHECK(hgq_numfmt_is_date("h\"时\"mm\"分\""));
    CHECK(hgq_numfmt_is_date("DD/MM/YYYY"));
    CHECK(!hgq_numfmt_is_date("General"));
    CHECK(!hgq_numfmt_is_date("[Red]#,##0.00"));
    CHECK(!hgq_numfmt_is_date("0.00\"days\""));
    CHECK(!hgq_numfmt_is_date("0\\d"));
    CHECK(!hgq_numfmt_is_date("#,##0_);[Red](#,##0)"));
    CHECK(!hgq_numfmt_is_date("_(* #,##0_)"));
    CHECK(!hgq_numfmt_is_date("0.00E+00"));
    CHECK(!hgq_numfmt_is_date("@"));
    CHECK(!hgq_numfmt_is_date("[$€-407]#,##0.00"));
    CHECK(!hgq_numfmt_is_date("0\"人\""));
    CHECK(!hgq_numfmt_is_date(""));
    CHECK(!hgq_numfmt_is_date(NULL));
    CHECK(!hgq_numfmt_is_date("\"unterminated"));
}

TEST(relationship_targets)
{
    char out[256];
    CHECK_EQ_INT(0, hgq_xlsx_resolve("xl/workbook.xml", "worksheets/sheet1.xml", out, sizeof out));
    CHECK_EQ_STR("xl/worksheets/sheet1.xml", out);
    CHECK_EQ_INT(0, hgq_xlsx_resolve("xl/workbook.xml", "/xl/worksheets/s.xml", out, sizeof out));
    CHECK_EQ_STR("xl/worksheets/s.xml", out);
    CHECK_EQ_INT(0, hgq_xlsx_resolve("xl/workbook.xml", "./sub/../sheet%201.xml", out, sizeof out));
    CHECK_EQ_STR("xl/sheet 1.xml", out);
    CHECK_EQ_INT(0, hgq_xlsx_resolve("xl/worksheets/sheet1.xml", "../media/a.png", out, sizeof out));
    CHECK_EQ_STR("xl/media/a.png", out);
    CHECK_EQ_INT(0, hgq_xlsx_resolve("", "xl/workbook.xml", out, sizeof out));
    CHECK_EQ_STR("xl/workbook.xml", out);
    CHECK_EQ_INT(0, hgq_xlsx_resolve("workbook.xml", "sheet1.xml", out, sizeof out));
    CHECK_EQ_STR("sheet1.xml", out);
    CHECK_EQ_INT(0, hgq_xlsx_resolve("xl/workbook.xml", "worksheets\\sheet1.xml", out, sizeof out));
    CHECK_EQ_STR("xl/worksheets/sheet1.xml", out);
    /* never out of the package */
    CHECK_EQ_INT(-1, hgq_xlsx_resolve("xl/workbook.xml", "../../etc/passwd", out, sizeof out));
    CHECK_EQ_INT(-1, hgq_xlsx_resolve("", "../x.xml", out, sizeof out));
    CHECK_EQ_INT(-1, hgq_xlsx_resolve("xl/workbook.xml", "/../x.xml", out, sizeof out));
    CHECK_EQ_INT(-1, hgq_xlsx_resolve("xl/workbook.xml", "%2e%2e/%2e%2e/x", out, sizeof out));
    CHECK_EQ_INT(-1, hgq_xlsx_resolve("xl/workbook.xml", "a%2fb", out, sizeof out));
    CHECK_EQ_INT(-1, hgq_xlsx_resolve("xl/workbook.xml", "", out, sizeof out));
    CHECK_EQ_INT(-1, hgq_xlsx_resolve("xl/workbook.xml", "..", out, sizeof out));
}

TEST(x_escapes)
{
    char s[64];
    size_t n;
    strcpy(s, "ABC_x000D_DEF");
    n = hgq_xml_unescape(s, strlen(s));
    CHECK_EQ_INT(7, n);
    CHECK(memcmp(s, "ABC\rDEF", 7) == 0);
    strcpy(s, "_x005F_x000D_");
    n = hgq_xml_unescape(s, strlen(s));
    s[n] = '\0';
    CHECK_EQ_STR("_x000D_", s);
    strcpy(s, "_xD83D__xDE00_!");
    n = hgq_xml_unescape(s, strlen(s));
    s[n] = '\0';
    CHECK_EQ_STR("\xF0\x9F\x98\x80!", s);
    strcpy(s, "_xd800_");
    n = hgq_xml_unescape(s, strlen(s));
    s[n] = '\0';
    CHECK_EQ_STR("\xEF\xBF\xBD", s);
    strcpy(s, "_x4e2d__x6587_");
    n = hgq_xml_unescape(s, strlen(s));
    s[n] = '\0';
    CHECK_EQ_STR("中文", s);
    strcpy(s, "_x12_ _xZZZZ_ _x0041");
    n = hgq_xml_unescape(s, strlen(s));
    s[n] = '\0';
    CHECK_EQ_STR("_x12_ _xZZZZ_ _x0041", s);
}

/* }==================================================================== */

/* {====================================================================
 * Cells
 * ===================================================================== */

static const char TYPES_SST[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<sst xmlns=\"" MAIN_NS "\" count=\"5\" uniqueCount=\"5\">"
    "<si><t>张三</t></si>"
    "<si><r><rPr><b/></rPr><t>富</t></r><r><t xml:space=\"preserve\"> 文本</t></r>"
    "<rPh sb=\"0\" eb=\"1\"><t>ふ</t></rPh><phoneticPr fontId=\"1\"/></si>"
    "<si><t>行一_x000D_\n行二</t></si>"
    "<si/>"
    "<si><t>a&amp;b&lt;c&#x4E2D;</t></si>"
    "</sst>";

static const char TYPES_SHEET[] = SHEET(
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
    "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c></row>"
    "<row r=\"2\"><c r=\"A2\"><v>42</v></c><c r=\"B2\" t=\"n\"><v>-1.5E-3</v></c>"
    "<c r=\"C2\"><v>0.1</v></c><c r=\"D2\"><v>12345678901234567890</v></c>"
    "<c r=\"E2\" s=\"3\"><v>1234.5</v></c><c r=\"F2\" s=\"5\"><v>7</v></c></row>"
    "<row r=\"3\"><c r=\"A3\" s=\"1\"><v>45901</v></c><c r=\"B3\" s=\"2\"><v>45901.5</v></c>"
    "<c r=\"C3\" s=\"4\"><v>1.25</v></c><c r=\"D3\" s=\"6\"><v>45658</v></c>"
    "<c r=\"E3\" s=\"1\"><v>59</v></c><c r=\"F3\" s=\"1\"><v>60</v></c><c r=\"G3\" s=\"1\"><v>61</v></c>"
    "<c r=\"H3\" s=\"1\"><v>-3</v></c><c r=\"I3\" s=\"4\"><v>0.75</v></c></row>"
    "<row r=\"4\"><c r=\"A4\" t=\"b\"><v>1</v></c><c r=\"B4\" t=\"b\"><v>0</v></c>"
    "<c r=\"C4\" t=\"e\"><v>#N/A</v></c><c r=\"D4\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c>"
    "<c r=\"E4\" t=\"d\"><v>2025-09-01T08:30:00</v></c><c r=\"F4\" t=\"d\"><v>2024-02-29</v></c>"
    "<c r=\"G4\" t=\"d\"><v>12:00:00</v></c></row>"
    "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>内联</t></is></c>"
    "<c r=\"B5\" t=\"inlineStr\"><is><r><t>富</t></r><r><t>文本</t></r><rPh><t>x</t></rPh></is></c>"
    "<c r=\"C5\" t=\"inlineStr\"><is><t>a_x000D_b</t></is></c>"
    "<c r=\"D5\" t=\"str\"><f>\"x\"&amp;\"y\"</f><v>xy</v></c>"
    "<c r=\"E5\" s=\"3\"/><c r=\"F5\" t=\"s\"><v/></c><c r=\"G5\"><f>A2*2</f><v>84</v></c></row>"
    "<row r=\"6\" spans=\"1:3\" ht=\"20\" customHeight=\"1\"/>");

TEST(cell_types_and_values)
{
    hgq_workbook *wb;
    hgq_error err;
    static sheet_cells s;
    char d[32];
    const char *path = tmp_path("types.xlsx");
    CHECK(std_book(path, NULL, TYPES_SHEET, NULL, TYPES_SST) == 0);
    if (open_book(&wb, path, NULL, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    CHECK_EQ_INT(HGQ_FILE_XLSX, hgq_workbook_kind(wb));
    read_sheet(wb, 0, &s);
    CHECK_EQ_INT(HGQ_OK, s.st);
    CHECK_EQ_INT(5, s.rows); /* row 6 has no cells */
    /* shared strings: rich runs joined, phonetic text left out, escapes */
    CHECK_EQ_STR("张三", AT(&s, "A1")->text);
    CHECK_EQ_INT(HGQ_CELL_STRING, AT(&s, "A1")->type);
    CHECK_EQ_STR("富 文本", AT(&s, "B1")->text);
    CHECK_EQ_STR("行一\r\n行二", AT(&s, "C1")->text);
    CHECK_EQ_INT(HGQ_CELL_STRING, AT(&s, "D1")->type);
    CHECK_EQ_STR("", AT(&s, "D1")->text);
    CHECK_EQ_STR("a&b<c中", AT(&s, "E1")->text);
    /* numbers */
    CHECK_EQ_INT(HGQ_CELL_NUMBER, AT(&s, "A2")->type);
    CHECK_EQ_DBL(42, AT(&s, "A2")->num, 0);
    CHECK(AT(&s, "B2")->num == -1.5e-3);
    CHECK(AT(&s, "C2")->num == 0.1);
    CHECK(AT(&s, "D2")->num == 12345678901234567890.0);
    CHECK_EQ_STR("General", AT(&s, "A2")->fmt);
    CHECK_EQ_STR("[Red]#,##0.00", AT(&s, "E2")->fmt);
    CHECK_EQ_INT(HGQ_CELL_NUMBER, AT(&s, "E2")->type);
    CHECK_EQ_STR("@", AT(&s, "F2")->fmt);
    CHECK_EQ_INT(5, AT(&s, "F2")->style);
    /* dates by built-in id 14, custom code, elapsed time, zh-CN id 31 */
    CHECK_EQ_INT(HGQ_CELL_DATE, AT(&s, "A3")->type);
    iso(AT(&s, "A3")->num, d);
    CHECK_EQ_STR("2025-09-01T00:00:00", d);
    CHECK_EQ_STR("mm-dd-yy", AT(&s, "A3")->fmt);
    CHECK_EQ_INT(HGQ_CELL_DATE, AT(&s, "B3")->type);
    iso(AT(&s, "B3")->num, d);
    CHECK_EQ_STR("2025-09-01T12:00:00", d);
    CHECK_EQ_STR("yyyy\"年\"m\"月\"d\"日\"", AT(&s, "B3")->fmt);
    CHECK_EQ_INT(HGQ_CELL_DATE, AT(&s, "C3")->type);
    CHECK_EQ_INT(HGQ_CELL_DATE, AT(&s, "D3")->type);
    iso(AT(&s, "D3")->num, d);
    CHECK_EQ_STR("2025-01-01T00:00:00", d);
    /* the 1900 leap-year bug: 59 is 1900-02-28, 60 the fictional 29th, 61 March 1 */
    iso(AT(&s, "E3")->num, d);
    CHECK_EQ_STR("1900-02-28T00:00:00", d);
    iso(AT(&s, "F3")->num, d);
    CHECK_EQ_STR("1900-02-28T00:00:00", d);
    iso(AT(&s, "G3")->num, d);
    CHECK_EQ_STR("1900-03-01T00:00:00", d);
    /* a negative serial is no date */
    CHECK_EQ_INT(HGQ_CELL_NUMBER, AT(&s, "H3")->type);
    /* a time alone keeps its serial */
    CHECK_EQ_INT(HGQ_CELL_DATE, AT(&s, "I3")->type);
    CHECK_EQ_DBL(0.75, AT(&s, "I3")->num, 0);
    iso(AT(&s, "I3")->num, d);
    CHECK_EQ_STR("1899-12-30T18:00:00", d);
    /* booleans, errors, ISO dates */
    CHECK_EQ_INT(HGQ_CELL_BOOL, AT(&s, "A4")->type);
    CHECK_EQ_DBL(1, AT(&s, "A4")->num, 0);
    CHECK_EQ_DBL(0, AT(&s, "B4")->num, 0);
    CHECK_EQ_INT(HGQ_CELL_ERROR, AT(&s, "C4")->type);
    CHECK_EQ_STR("#N/A", AT(&s, "C4")->text);
    CHECK_EQ_STR("#DIV/0!", AT(&s, "D4")->text);
    CHECK_EQ_STR("", AT(&s, "D4")->formula); /* formulas not requested */
    CHECK_EQ_INT(HGQ_CELL_DATE, AT(&s, "E4")->type);
    iso(AT(&s, "E4")->num, d);
    CHECK_EQ_STR("2025-09-01T08:30:00", d);
    iso(AT(&s, "F4")->num, d);
    CHECK_EQ_STR("2024-02-29T00:00:00", d);
    CHECK_EQ_DBL(0.5, AT(&s, "G4")->num, 1e-12);
    /* inline strings, str results, styled empty cells */
    CHECK_EQ_STR("内联", AT(&s, "A5")->text);
    CHECK_EQ_STR("富文本", AT(&s, "B5")->text);
    CHECK_EQ_STR("a\rb", AT(&s, "C5")->text);
    CHECK_EQ_INT(HGQ_CELL_STRING, AT(&s, "D5")->type);
    CHECK_EQ_STR("xy", AT(&s, "D5")->text);
    CHECK_EQ_INT(HGQ_CELL_EMPTY, AT(&s, "E5")->type);
    CHECK_EQ_INT(3, AT(&s, "E5")->style);
    CHECK_EQ_INT(HGQ_CELL_EMPTY, AT(&s, "F5")->type);
    CHECK_EQ_DBL(84, AT(&s, "G5")->num, 0);
    hgq_workbook_free(wb);
}

TEST(formulas_when_asked)
{
    static const char sheet[] = SHEET(
        "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"B1\"><f t=\"shared\" ref=\"B1:C3\" si=\"0\">A1*2+$A$1+SUM(A:A)+Sheet2!A1</f><v>2</v></c>"
        "<c r=\"C1\"><f t=\"shared\" si=\"0\"/><v>3</v></c>"
        "<c r=\"D1\" t=\"str\"><f>\"A1\"&amp;'My Sheet'!B2</f><v>A1</v></c></row>"
        "<row r=\"2\"><c r=\"A2\"><v>2</v></c><c r=\"B2\"><f t=\"shared\" si=\"0\"/><v>4</v></c>"
        "<c r=\"C2\"><f t=\"shared\" si=\"0\"/><v>5</v></c>"
        "<c r=\"D2\"><f t=\"shared\" ref=\"D2:D3\" si=\"1\">LOG10(A2)+SUM(1:2)+1.5E+3</f><v>0</v></c></row>"
        "<row r=\"3\"><c r=\"B3\"><f t=\"shared\" si=\"0\">A3*2+$A$1+SUM(A:A)+Sheet2!A3</f><v>6</v></c>"
        "<c r=\"C3\"><f t=\"shared\" si=\"7\"/><v>7</v></c>"
        "<c r=\"D3\"><f t=\"shared\" si=\"1\"/><v>0</v></c>"
        "<c r=\"E3\"><f t=\"array\" ref=\"E3:E4\">{1;2}</f><v>1</v></c></row>");
    hgq_workbook *wb;
    hgq_error err;
    hgq_reader_options opt;
    static sheet_cells s;
    const char *path = tmp_path("formulas.xlsx");
    CHECK(std_book(path, NULL, sheet, NULL, NULL) == 0);
    hgq_reader_options_init(&opt);
    opt.want_formulas = 1;
    if (open_book(&wb, path, &opt, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    read_sheet(wb, 0, &s);
    CHECK_EQ_INT(HGQ_OK, s.st);
    CHECK_EQ_STR("", AT(&s, "A1")->formula);
    CHECK_EQ_STR("A1*2+$A$1+SUM(A:A)+Sheet2!A1", AT(&s, "B1")->formula);
    CHECK_EQ_STR("B1*2+$A$1+SUM(B:B)+Sheet2!B1", AT(&s, "C1")->formula);
    CHECK_EQ_STR("\"A1\"&'My Sheet'!B2", AT(&s, "D1")->formula);
    CHECK_EQ_STR("A2*2+$A$1+SUM(A:A)+Sheet2!A2", AT(&s, "B2")->formula);
    CHECK_EQ_STR("B2*2+$A$1+SUM(B:B)+Sheet2!B2", AT(&s, "C2")->formula);
    CHECK_EQ_STR("LOG10(A2)+SUM(1:2)+1.5E+3", AT(&s, "D2")->formula);
    CHECK_EQ_STR("LOG10(A3)+SUM(2:3)+1.5E+3", AT(&s, "D3")->formula);
    /* a cell of the group with its own text keeps it */
    CHECK_EQ_STR("A3*2+$A$1+SUM(A:A)+Sheet2!A3", AT(&s, "B3")->formula);
    /* an unknown group gives no text, not an error */
    CHECK_EQ_STR("", AT(&s, "C3")->formula);
    CHECK_EQ_DBL(7, AT(&s, "C3")->num, 0);
    CHECK_EQ_STR("{1;2}", AT(&s, "E3")->formula);
    hgq_workbook_free(wb);
}

TEST(shared_formula_out_of_the_sheet_is_ref_error)
{
    static const char sheet[] = SHEET(
        "<row r=\"2\"><c r=\"B2\"><f t=\"shared\" ref=\"B2:B3\" si=\"0\">A1+XFD2</f><v>0</v></c></row>"
        "<row r=\"3\"><c r=\"C3\"><f t=\"shared\" si=\"0\"/><v>0</v></c></row>");
    hgq_workbook *wb;
    hgq_error err;
    hgq_reader_options opt;
    static sheet_cells s;
    const char *path = tmp_path("formula-ref.xlsx");
    CHECK(std_book(path, NULL, sheet, NULL, NULL) == 0);
    hgq_reader_options_init(&opt);
    opt.want_formulas = 1;
    if (open_book(&wb, path, &opt, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    read_sheet(wb, 0, &s);
    CHECK_EQ_STR("B2+#REF!", AT(&s, "C3")->formula);
    hgq_workbook_free(wb);
}

TEST(date_system_1904)
{
    static const char book[] =
        "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><workbookPr date1904=\"1\"/>"
        "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    static const char sheet[] = SHEET(
        "<row r=\"1\"><c r=\"A1\" s=\"1\"><v>0</v></c><c r=\"B1\" s=\"1\"><v>44439</v></c>"
        "<c r=\"C1\" t=\"d\"><v>2025-09-01</v></c></row>");
    hgq_workbook *wb;
    hgq_error err;
    static sheet_cells s;
    char d[32];
    const char *path = tmp_path("d1904.xlsx");
    CHECK(std_book(path, book, sheet, NULL, NULL) == 0);
    if (open_book(&wb, path, NULL, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    CHECK_EQ_INT(1, hgq_workbook_date1904(wb));
    read_sheet(wb, 0, &s);
    iso(AT(&s, "A1")->num, d);
    CHECK_EQ_STR("1904-01-01T00:00:00", d);
    iso(AT(&s, "B1")->num, d);
    CHECK_EQ_STR("2025-09-01T00:00:00", d);
    iso(AT(&s, "C1")->num, d); /* ISO text needs no conversion */
    CHECK_EQ_STR("2025-09-01T00:00:00", d);
    hgq_workbook_free(wb);
}

/* }==================================================================== */

/* {====================================================================
 * Workbook structure
 * ===================================================================== */

static const char BOOK_CN[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\">"
    "<workbookPr date1904=\"false\"/>"
    "<sheets><sheet name=\"学生名册\" sheetId=\"3\" r:id=\"rId2\"/>"
    "<sheet name=\"隐藏表\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
    "<sheet name=\"Very\" sheetId=\"2\" state=\"veryHidden\" r:id=\"rId1\"/></sheets>"
    "<definedNames><definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">学生名册!$1:$1</definedName>"
    "<definedName name=\"班级\" hidden=\"1\">隐藏表!$A$1:$A$9</definedName>"
    "<definedName name=\"gone\" localSheetId=\"9\">1</definedName></definedNames>"
    "</workbook>";

TEST(sheets_names_and_visibility)
{
    hgq_workbook *wb;
    hgq_error err;
    const hgq_sheet_info *si;
    const hgq_defined_name *dn;
    static sheet_cells s;
    const char *path = tmp_path("sheets.xlsx");
    CHECK(std_book(path, BOOK_CN, SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"),
                   SHEET("<row r=\"1\"><c r=\"A1\"><v>2</v></c></row>"), NULL) == 0);
    if (open_book(&wb, path, NULL, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    CHECK_EQ_INT(3, hgq_workbook_sheet_count(wb));
    si = hgq_workbook_sheet(wb, 0);
    CHECK_EQ_STR("学生名册", si->name);
    CHECK_EQ_INT(HGQ_VISIBLE, si->visibility);
    CHECK_EQ_STR("xl/worksheets/sheet2.xml", si->part);
    si = hgq_workbook_sheet(wb, 1);
    CHECK_EQ_STR("隐藏表", si->name);
    CHECK_EQ_INT(HGQ_HIDDEN, si->visibility);
    CHECK_EQ_STR("xl/worksheets/sheet1.xml", si->part);
    CHECK_EQ_INT(HGQ_VERY_HIDDEN, hgq_workbook_sheet(wb, 2)->visibility);
    CHECK(hgq_workbook_sheet(wb, 3) == NULL);
    CHECK_EQ_INT(1, hgq_workbook_find_sheet(wb, "隐藏表"));
    CHECK_EQ_INT(2, hgq_workbook_find_sheet(wb, "very"));
    CHECK_EQ_INT(-1, hgq_workbook_find_sheet(wb, "nope"));
    CHECK_EQ_INT(0, hgq_workbook_date1904(wb));
    CHECK_EQ_INT(3, hgq_workbook_name_count(wb));
    dn = hgq_workbook_name(wb, 0);
    CHECK_EQ_STR("_xlnm.Print_Titles", dn->name);
    CHECK_EQ_STR("学生名册!$1:$1", dn->value);
    CHECK_EQ_INT(0, dn->local_sheet);
    CHECK_EQ_INT(0, dn->hidden);
    dn = hgq_workbook_name(wb, 1);
    CHECK_EQ_STR("班级", dn->name);
    CHECK_EQ_INT(-1, dn->local_sheet);
    CHECK_EQ_INT(1, dn->hidden);
    CHECK_EQ_INT(-1, hgq_workbook_name(wb, 2)->local_sheet); /* no sheet 9 */
    CHECK(hgq_workbook_name(wb, 3) == NULL);
    read_sheet(wb, 0, &s);
    CHECK_EQ_DBL(2, AT(&s, "A1")->num, 0);
    read_sheet(wb, 1, &s);
    CHECK_EQ_DBL(1, AT(&s, "A1")->num, 0);
    hgq_workbook_free(wb);
}

TEST(rows_and_cells_without_refs_out_of_order_and_sparse)
{
    static const char sheet[] = SHEET(
        "<row><c><v>1</v></c><c><v>2</v></c><c r=\"E1\"><v>5</v></c><c><v>6</v></c></row>"
        "<row><c t=\"inlineStr\"><is><t>r2</t></is></c></row>"
        "<row r=\"10\"><c r=\"C10\"><v>3</v></c><c r=\"A10\"><v>1</v></c><c r=\"B10\"><v>2</v></c></row>"
        "<row><c r=\"B11\"><v>11</v></c></row>"
        "<row r=\"4\"><c r=\"A4\"><v>4</v></c></row>"
        "<row r=\"1048576\"><c r=\"XFD1048576\"><v>9</v></c></row>");
    hgq_workbook *wb;
    hgq_error err;
    static sheet_cells s;
    const char *path = tmp_path("norefs.xlsx");
    int i;
    CHECK(std_book(path, NULL, sheet, NULL, NULL) == 0);
    if (open_book(&wb, path, NULL, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    read_sheet(wb, 0, &s);
    CHECK_EQ_INT(HGQ_OK, s.st);
    CHECK_EQ_INT(6, s.rows);
    CHECK_EQ_INT(0, s.row_index[0]);
    CHECK_EQ_INT(1, s.row_index[1]);
    CHECK_EQ_INT(9, s.row_index[2]);
    CHECK_EQ_INT(10, s.row_index[3]);
    CHECK_EQ_INT(3, s.row_index[4]); /* out of order: its true index */
    CHECK_EQ_INT(HGQ_MAX_ROW, s.row_index[5]);
    CHECK_EQ_DBL(1, AT(&s, "A1")->num, 0);
    CHECK_EQ_DBL(2, AT(&s, "B1")->num, 0);
    CHECK_EQ_DBL(5, AT(&s, "E1")->num, 0);
    CHECK_EQ_DBL(6, AT(&s, "F1")->num, 0);
    CHECK_EQ_STR("r2", AT(&s, "A2")->text);
    CHECK_EQ_DBL(11, AT(&s, "B11")->num, 0);
    CHECK_EQ_DBL(9, AT(&s, "XFD1048576")->num, 0);
    /* row 10's cells come sorted */
    for (i = 0; i < s.n; i++)
        if (strcmp(s.cells[i].ref, "C10") == 0)
            break;
    CHECK(i >= 2 && strcmp(s.cells[i - 2].ref, "A10") == 0 &&
          strcmp(s.cells[i - 1].ref, "B10") == 0);
    hgq_workbook_free(wb);
}

TEST(strict_and_prefixed_namespaces)
{
    static const char ct[] =
        "<Types xmlns=\"" CT_NS "\"><Override PartName=\"/wb/book.xml\" "
        "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/></Types>";
    static const char rels[] =
        "<p:Relationships xmlns:p=\"" PKG_NS "\"><p:Relationship Id=\"a\" "
        "Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument\" "
        "Target=\"/wb/book.xml\"/></p:Relationships>";
    static const char book_rels[] =
        "<Relationships xmlns=\"" PKG_NS "\">"
        "<Relationship Id=\"s1\" Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet\" Target=\"../data/one.xml\"/>"
        "<Relationship Id=\"ss\" Type=\"http://purl.oclc.org/ooxml/officeDocument/relationships/sharedStrings\" Target=\"strings.xml\"/>"
        "</Relationships>";
    static const char book[] =
        "<x:workbook xmlns:x=\"http://purl.oclc.org/ooxml/spreadsheetml/main\" "
        "xmlns:rel=\"http://purl.oclc.org/ooxml/officeDocument/relationships\" conformance=\"strict\">"
        "<x:sheets><x:sheet name=\"严格\" sheetId=\"1\" rel:id=\"s1\"/></x:sheets></x:workbook>";
    static const char sst[] =
        "<ns0:sst xmlns:ns0=\"http://purl.oclc.org/ooxml/spreadsheetml/main\"><ns0:si><ns0:t>值</ns0:t></ns0:si></ns0:sst>";
    static const char sheet[] =
        "<s:worksheet xmlns:s=\"http://purl.oclc.org/ooxml/spreadsheetml/main\" xmlns:o=\"urn:other\">"
        "<s:sheetData><s:row r=\"1\"><s:c r=\"A1\" t=\"s\"><s:v>0</s:v></s:c>"
        "<s:c r=\"B1\"><s:v>2.5</s:v><o:v>99</o:v></s:c><o:c r=\"C1\"><s:v>7</s:v></o:c></s:row>"
        "</s:sheetData></s:worksheet>";
    part p[] = {{"[Content_Types].xml", ct, 0, 0},
                {"_rels/.rels", rels, 0, 0},
                {"wb/_rels/book.xml.rels", book_rels, 0, 0},
                {"wb/book.xml", book, 0, 0},
                {"wb/strings.xml", sst, 0, 1},
                {"data/one.xml", sheet, 0, 0}};
    hgq_workbook *wb;
    hgq_error err;
    static sheet_cells s;
    const char *path = tmp_path("strict.xlsx");
    CHECK(write_zip(path, p, sizeof p / sizeof p[0]) == 0);
    if (open_book(&wb, path, NULL, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    CHECK_EQ_STR("严格", hgq_workbook_sheet(wb, 0)->name);
    CHECK_EQ_STR("data/one.xml", hgq_workbook_sheet(wb, 0)->part);
    read_sheet(wb, 0, &s);
    CHECK_EQ_INT(HGQ_OK, s.st);
    CHECK_EQ_INT(2, s.n); /* the element of another namespace is not a cell */
    CHECK_EQ_STR("值", AT(&s, "A1")->text);
    CHECK_EQ_DBL(2.5, AT(&s, "B1")->num, 0);
    hgq_workbook_free(wb);
}

TEST(parts_found_by_content_type_when_rels_are_missing)
{
    static const char ct[] =
        "<Types xmlns=\"" CT_NS "\">"
        "<Override PartName=\"/book.xml\" ContentType=\"application/vnd.ms-excel.sheet.macroEnabled.main+xml\"/>"
        "<Override PartName=\"/strings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/></Types>";
    static const char book_rels[] =
        "<Relationships xmlns=\"" PKG_NS "\"><Relationship Id=\"r\" Type=\"x/worksheet\" Target=\"s.xml\"/></Relationships>";
    static const char book[] =
        "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><sheets><sheet name=\"A\" r:id=\"r\"/>"
        "<sheet name=\"NoRel\" r:id=\"rX\"/></sheets></workbook>";
    static const char sst[] = "<sst xmlns=\"" MAIN_NS "\"><si><t>found</t></si></sst>";
    part p[] = {{"[Content_Types].xml", ct, 0, 0},
                {"_rels/book.xml.rels", book_rels, 0, 0},
                {"book.xml", book, 0, 0},
                {"strings.xml", sst, 0, 0},
                {"s.xml", SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"), 0, 0}};
    hgq_workbook *wb;
    hgq_error err;
    hgq_rows *rows;
    static sheet_cells s;
    const char *path = tmp_path("ct-fallback.xlsx");
    CHECK(write_zip(path, p, sizeof p / sizeof p[0]) == 0);
    if (open_book(&wb, path, NULL, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    read_sheet(wb, 0, &s);
    CHECK_EQ_STR("found", AT(&s, "A1")->text);
    /* a sheet whose relationship is missing is listed; reading it fails */
    CHECK_EQ_STR("NoRel", hgq_workbook_sheet(wb, 1)->name);
    CHECK_EQ_INT(HGQ_EPART, hgq_rows_open(&rows, wb, 1, &err));
    CHECK(rows == NULL);
    CHECK_EQ_STR("NoRel", err.sheet);
    CHECK(strstr(err.message, "rX") != NULL);
    hgq_workbook_free(wb);
}

TEST(not_a_workbook_package)
{
    part docx[] = {
        {"[Content_Types].xml",
         "<Types xmlns=\"" CT_NS "\"><Override PartName=\"/word/document.xml\" "
         "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>",
         0, 0},
        {"word/document.xml", "<document/>", 0, 0}};
    part ods[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0, 1},
                  {"content.xml", "<office/>", 0, 0}};
    part photos[] = {{"a.txt", "hello", 0, 0}};
    hgq_workbook *wb;
    hgq_error err;
    CHECK(write_zip(tmp_path("doc.xlsx"), docx, 2) == 0);
    CHECK_EQ_INT(HGQ_EFORMAT, hgq_workbook_open(&wb, tmp_path("doc.xlsx"), NULL, &err));
    CHECK(wb == NULL);
    CHECK(strstr(err.message, "Word") != NULL);
    CHECK(write_zip(tmp_path("ods.xlsx"), ods, 2) == 0);
    CHECK_EQ_INT(HGQ_EFORMAT, hgq_workbook_open(&wb, tmp_path("ods.xlsx"), NULL, &err));
    CHECK(strstr(err.message, ".ods") != NULL);
    CHECK(write_zip(tmp_path("plain.zip"), photos, 1) == 0);
    CHECK_EQ_INT(HGQ_EFORMAT, hgq_workbook_open(&wb, tmp_path("plain.zip"), NULL, &err));
    CHECK_EQ_STR(tmp_path("plain.zip"), err.file);
}

/* }==================================================================== */

/* {====================================================================
 * API behaviour
 * ===================================================================== */

TEST(memory_reads_like_file)
{
    hgq_workbook *wb;
    hgq_error err;
    static sheet_cells a, b;
    size_t len;
    char *data;
    const char *path = tmp_path("types.xlsx");
    CHECK(std_book(path, NULL, TYPES_SHEET, NULL, TYPES_SST) == 0);
    data = read_file(path, &len);
    if (!data) {
        CHECK(0);
        return;
    }
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_open_memory(&wb, data, len, "upload.xlsx", NULL, &err));
    if (wb) {
        CHECK_EQ_STR("upload.xlsx", hgq_workbook_path(wb));
        read_sheet(wb, 0, &a);
        hgq_workbook_free(wb);
    }
    if (open_book(&wb, path, NULL, &err) == HGQ_OK) {
        read_sheet(wb, 0, &b);
        hgq_workbook_free(wb);
    }
    CHECK_EQ_INT(HGQ_OK, a.st);
    CHECK_EQ_INT(b.n, a.n);
    CHECK(a.n > 20 && memcmp(a.cells, b.cells, sizeof a.cells) == 0);
    /* the memory variant reports its own name in errors */
    data[len / 2] ^= 0x55;
    data[len / 2 + 1] ^= 0x55;
    memset(data + len - 22, 0, 22); /* no end-of-central-directory record */
    CHECK_EQ_INT(HGQ_EZIP, hgq_workbook_open_memory(&wb, data, len, "upload.xlsx", NULL, &err));
    CHECK_EQ_STR("upload.xlsx", err.file);
    free(data);
}

TEST(several_iterators_at_once)
{
    hgq_workbook *wb;
    hgq_error err;
    hgq_rows *r1, *r2, *r3;
    const hgq_row *a, *b, *c;
    int n = 0, ok = 1;
    const char *path = tmp_path("types.xlsx");
    CHECK(std_book(path, NULL, TYPES_SHEET, NULL, TYPES_SST) == 0);
    if (open_book(&wb, path, NULL, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    CHECK_EQ_INT(HGQ_OK, hgq_rows_open(&r1, wb, 0, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_rows_open(&r2, wb, 0, &err));
    /* r2 runs one row ahead of r1 */
    CHECK_EQ_INT(HGQ_OK, hgq_rows_next(r2, &b, &err));
    for (;;) {
        if (hgq_rows_next(r1, &a, &err) != HGQ_OK || hgq_rows_next(r2, &b, &err) != HGQ_OK) {
            ok = 0;
            break;
        }
        if (!b)
            break;
        n++;
        if (!a || a->index + 1 != b->index)
            ok = 0;
    }
    CHECK(ok);
    CHECK_EQ_INT(4, n);
    /* a third one, on a freed workbook: the iterators keep working */
    CHECK_EQ_INT(HGQ_OK, hgq_rows_open(&r3, wb, 0, &err));
    hgq_workbook_free(wb);
    CHECK_EQ_INT(HGQ_OK, hgq_rows_next(r3, &c, &err));
    CHECK(c && c->ncells == 5 && strcmp(c->cells[0].text, "张三") == 0);
    CHECK_EQ_INT(HGQ_OK, hgq_rows_next(r1, &a, &err));
    CHECK(a == NULL);
    CHECK_EQ_INT(HGQ_OK, hgq_rows_next(r1, &a, &err)); /* stays at the end */
    CHECK(a == NULL);
    hgq_rows_free(r1);
    hgq_rows_free(r3);
    hgq_rows_free(r2);
    hgq_rows_free(NULL);
    hgq_workbook_free(NULL);
}

static int count_rows(void *ud, const hgq_row *row)
{
    int *n = ud;
    (void)row;
    return ++*n == 2;
}

TEST(callback_reading_and_sheet_numbers)
{
    hgq_workbook *wb;
    hgq_error err;
    hgq_rows *rows;
    int n = 0;
    const char *path = tmp_path("types.xlsx");
    CHECK(std_book(path, NULL, TYPES_SHEET, NULL, TYPES_SST) == 0);
    if (open_book(&wb, path, NULL, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_read_sheet(wb, 0, count_rows, &n, &err));
    CHECK_EQ_INT(2, n); /* stopped early, not an error */
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_workbook_read_sheet(wb, 1, count_rows, &n, &err));
    CHECK_EQ_INT(HGQ_ENOTFOUND, err.code);
    CHECK(strstr(err.message, "no sheet number 2") != NULL);
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_rows_open(&rows, wb, 7, &err));
    CHECK(rows == NULL);
    hgq_workbook_free(wb);
}

TEST(merged_ranges)
{
    static const char sheet[] =
        "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData>"
        "<mergeCells count=\"3\"><mergeCell ref=\"A1:C2\"/><mergeCell ref=\"$E$5:D4\"/><mergeCell ref=\"F7\"/></mergeCells>"
        "</worksheet>";
    hgq_workbook *wb;
    hgq_error err;
    const hgq_range *m, *m2;
    size_t n, n2;
    const char *path = tmp_path("merges.xlsx");
    CHECK(std_book(path, BOOK_TWO, sheet, SHEET(""), NULL) == 0);
    if (open_book(&wb, path, NULL, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_merges(wb, 0, &m, &n, &err));
    CHECK_EQ_INT(3, n);
    if (n == 3) {
        CHECK(m[0].first_row == 0 && m[0].first_col == 0 && m[0].last_row == 1 && m[0].last_col == 2);
        CHECK(m[1].first_row == 3 && m[1].first_col == 3 && m[1].last_row == 4 && m[1].last_col == 4);
        CHECK(m[2].first_row == 6 && m[2].last_row == 6 && m[2].first_col == 5);
    }
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_merges(wb, 0, &m2, &n2, &err));
    CHECK(m2 == m && n2 == n); /* cached */
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_merges(wb, 1, &m2, &n2, &err));
    CHECK_EQ_INT(0, n2);
    CHECK_EQ_INT(HGQ_ENOTFOUND, hgq_workbook_merges(wb, 2, &m2, &n2, &err));
    hgq_workbook_free(wb);
}

TEST(csv_shows_as_one_sheet)
{
    static const char csv[] = "姓名,年龄\n张三,18\n\n李四,\"1,9\"\n";
    hgq_workbook *wb;
    hgq_error err;
    static sheet_cells s;
    const hgq_range *m;
    size_t n;
    CHECK(write_file(tmp_path("学生 名单.v2.csv"), csv, sizeof csv - 1) == 0);
    if (open_book(&wb, tmp_path("学生 名单.v2.csv"), NULL, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    CHECK_EQ_INT(HGQ_FILE_CSV, hgq_workbook_kind(wb));
    CHECK_EQ_INT(1, hgq_workbook_sheet_count(wb));
    CHECK_EQ_STR("学生 名单.v2", hgq_workbook_sheet(wb, 0)->name);
    CHECK_EQ_STR("", hgq_workbook_sheet(wb, 0)->part);
    CHECK_EQ_INT(0, hgq_workbook_name_count(wb));
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_merges(wb, 0, &m, &n, &err));
    CHECK_EQ_INT(0, n);
    read_sheet(wb, 0, &s);
    CHECK_EQ_INT(HGQ_OK, s.st);
    CHECK_EQ_INT(3, s.rows);
    CHECK_EQ_STR("张三", AT(&s, "A2")->text);
    CHECK_EQ_STR("18", AT(&s, "B2")->text);
    CHECK_EQ_STR("1,9", AT(&s, "B4")->text);
    CHECK_EQ_STR("General", AT(&s, "A1")->fmt);
    read_sheet(wb, 0, &s); /* a second pass reads it again */
    CHECK_EQ_INT(3, s.rows);
    hgq_workbook_free(wb);
    /* from memory the sheet is named after `name` */
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_open_memory(&wb, csv, sizeof csv - 1, "dir/在校生.csv",
                                                  NULL, &err));
    if (wb) {
        CHECK_EQ_STR("在校生", hgq_workbook_sheet(wb, 0)->name);
        read_sheet(wb, 0, &s);
        CHECK_EQ_STR("李四", AT(&s, "A4")->text);
        hgq_workbook_free(wb);
    }
}

TEST(errors_name_file_part_position_sheet_and_cell)
{
    static const char sheet[] =
        "<worksheet xmlns=\"" MAIN_NS "\">\n<sheetData>\n<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n"
        "<row r=\"2\"><c r=\"A2\"><v>1</v></c>\n  <c r=\"B2\"><v>abc</v></c></row>\n</sheetData></worksheet>";
    hgq_workbook *wb;
    hgq_error err;
    static sheet_cells s;
    char line[2048];
    const char *path = tmp_path("badnum.xlsx");
    CHECK(std_book(path, NULL, sheet, NULL, NULL) == 0);
    if (open_book(&wb, path, NULL, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    read_sheet(wb, 0, &s);
    CHECK_EQ_INT(HGQ_EDATA, s.st);
    CHECK_EQ_INT(1, s.rows);
    CHECK_EQ_STR(path, s.err.file);
    CHECK_EQ_STR("xl/worksheets/sheet1.xml", s.err.part);
    CHECK_EQ_STR("Sheet1", s.err.sheet);
    CHECK_EQ_STR("B2", s.err.cell);
    CHECK_EQ_INT(5, s.err.line);
    CHECK(s.err.column > 1);
    CHECK(strstr(s.err.message, "abc") != NULL);
    hgq_error_format(&s.err, line, sizeof line);
    printf("# %s\n", line);
    CHECK(strstr(line, "sheet 'Sheet1' cell B2") != NULL);
    hgq_workbook_free(wb);
}

/* }==================================================================== */

/* {====================================================================
 * Hostile input: each ends in a clear error
 * ===================================================================== */

/* Opens `path` and reads every sheet and its merges; returns the first
 * failure (or HGQ_OK) with its detail in err. */
static hgq_status read_all(const char *path, const hgq_reader_options *opt, hgq_error *err)
{
    hgq_workbook *wb;
    hgq_status st = hgq_workbook_open(&wb, path, opt, err);
    size_t i;
    if (st != HGQ_OK) {
        CHECK(wb == NULL);
        CHECK_EQ_INT(st, err->code);
        CHECK(err->message[0] != '\0');
        return st;
    }
    for (i = 0; i < hgq_workbook_sheet_count(wb) && st == HGQ_OK; i++) {
        static sheet_cells s;
        const hgq_range *m;
        size_t n;
        read_sheet(wb, i, &s);
        st = s.st;
        if (st != HGQ_OK) {
            *err = s.err;
            break;
        }
        st = hgq_workbook_merges(wb, i, &m, &n, err);
    }
    hgq_workbook_free(wb);
    if (st != HGQ_OK) {
        char line[2048];
        CHECK_EQ_INT(st, err->code);
        CHECK(err->message[0] != '\0');
        hgq_error_format(err, line, sizeof line);
        printf("# %s\n", line);
    }
    return st;
}

static hgq_status read_sheet_xml(const char *name, const char *sheet, const char *sst,
                                 const hgq_reader_options *opt, hgq_error *err)
{
    CHECK(std_book(tmp_path(name), NULL, sheet, NULL, sst) == 0);
    return read_all(tmp_path(name), opt, err);
}

TEST(hostile_not_a_zip_truncated_corrupt)
{
    hgq_error err;
    unsigned char junk[300];
    size_t len, i;
    char *data;
    const char *path = tmp_path("types.xlsx");
    for (i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 37 + 1);
    junk[10] = 0;
    CHECK(write_file(tmp_path("junk.xlsx"), junk, sizeof junk) == 0);
    CHECK_EQ_INT(HGQ_EFORMAT, read_all(tmp_path("junk.xlsx"), NULL, &err));
    CHECK_EQ_STR(tmp_path("junk.xlsx"), err.file);
    CHECK_EQ_INT(HGQ_EIO, read_all(tmp_path("does-not-exist.xlsx"), NULL, &err));
    CHECK(strstr(err.message, "No such file") != NULL);
    CHECK_EQ_INT(HGQ_EIO, read_all(tmp_dir, NULL, &err));

    CHECK(std_book(path, NULL, TYPES_SHEET, NULL, TYPES_SST) == 0);
    data = read_file(path, &len);
    if (!data) {
        CHECK(0);
        return;
    }
    /* truncated: the central directory is gone */
    CHECK(write_file(tmp_path("cut.xlsx"), data, len * 2 / 3) == 0);
    CHECK_EQ_INT(HGQ_EZIP, read_all(tmp_path("cut.xlsx"), NULL, &err));
    CHECK(strstr(err.message, "truncated") != NULL);
    /* corrupt compressed data of the sheet part */
    {
        size_t at = 0;
        char *copy = malloc(len);
        hgq_status st;
        memcpy(copy, data, len);
        for (i = 0; i + 60 < len; i++)
            if (memcmp(copy + i, "PK\3\4", 4) == 0 &&
                memcmp(copy + i + 30, "xl/worksheets/sheet1.xml", 24) == 0)
                at = i + 30 + 24 + 20;
        CHECK(at > 0);
        for (i = 0; i < 40; i++)
            copy[at + i] ^= (char)0xA5;
        CHECK(write_file(tmp_path("corrupt.xlsx"), copy, len) == 0);
        st = read_all(tmp_path("corrupt.xlsx"), NULL, &err);
        CHECK(st == HGQ_EZIP || st == HGQ_EXML || st == HGQ_EENCODING);
        CHECK(err.part[0] != '\0');
        free(copy);
    }
    free(data);
}

TEST(hostile_missing_parts)
{
    part no_sheet[] = {{"[Content_Types].xml", CONTENT_TYPES, 0, 0},
                       {"_rels/.rels", ROOT_RELS, 0, 0},
                       {"xl/workbook.xml", BOOK_ONE, 0, 0},
                       {"xl/_rels/workbook.xml.rels", BOOK_RELS, 0, 0}};
    part no_book[] = {{"[Content_Types].xml", CONTENT_TYPES, 0, 0},
                      {"_rels/.rels", ROOT_RELS, 0, 0}};
    part no_rels[] = {{"[Content_Types].xml", CONTENT_TYPES, 0, 0},
                      {"_rels/.rels", ROOT_RELS, 0, 0},
                      {"xl/workbook.xml", BOOK_ONE, 0, 0}};
    hgq_workbook *wb;
    hgq_rows *rows;
    hgq_error err;
    CHECK(write_zip(tmp_path("nosheet.xlsx"), no_sheet, 4) == 0);
    if (open_book(&wb, tmp_path("nosheet.xlsx"), NULL, &err) == HGQ_OK) {
        CHECK_EQ_INT(HGQ_EPART, hgq_rows_open(&rows, wb, 0, &err));
        CHECK_EQ_STR("xl/worksheets/sheet1.xml", err.part);
        CHECK_EQ_STR("Sheet1", err.sheet);
        hgq_workbook_free(wb);
    } else {
        CHECK(0);
    }
    CHECK(write_zip(tmp_path("nobook.xlsx"), no_book, 2) == 0);
    CHECK_EQ_INT(HGQ_EPART, read_all(tmp_path("nobook.xlsx"), NULL, &err));
    CHECK_EQ_STR("xl/workbook.xml", err.part);
    CHECK(write_zip(tmp_path("norels.xlsx"), no_rels, 3) == 0);
    CHECK_EQ_INT(HGQ_EPART, read_all(tmp_path("norels.xlsx"), NULL, &err));
    CHECK_EQ_STR("xl/_rels/workbook.xml.rels", err.part);
}

/* A sheet of `n` bytes of blanks between its tags: compresses ~1000:1. */
static char *blank_sheet(size_t n)
{
    static const char head[] = "<worksheet xmlns=\"" MAIN_NS "\"><sheetData>";
    static const char tail[] = "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData></worksheet>";
    char *s = malloc(sizeof head + n + sizeof tail);
    if (!s)
        return NULL;
    memcpy(s, head, sizeof head - 1);
    memset(s + sizeof head - 1, ' ', n);
    memcpy(s + sizeof head - 1 + n, tail, sizeof tail);
    return s;
}

TEST(hostile_zip_bombs_and_limits)
{
    hgq_reader_options opt;
    hgq_error err;
    char *big = blank_sheet(8u << 20);
    if (!big) {
        CHECK(0);
        return;
    }
    CHECK(std_book(tmp_path("bomb.xlsx"), NULL, big, NULL, NULL) == 0);
    /* the ratio, checked on the declared sizes before inflating */
    hgq_reader_options_init(&opt);
    opt.max_ratio = 200;
    CHECK_EQ_INT(HGQ_ELIMIT, read_all(tmp_path("bomb.xlsx"), &opt, &err));
    CHECK(strstr(err.message, "ratio") != NULL);
    CHECK_EQ_STR("xl/worksheets/sheet1.xml", err.part);
    /* per-entry and total inflated sizes */
    hgq_reader_options_init(&opt);
    opt.max_entry_inflated = 1u << 20;
    CHECK_EQ_INT(HGQ_ELIMIT, read_all(tmp_path("bomb.xlsx"), &opt, &err));
    CHECK(strstr(err.message, "max_entry_inflated") != NULL);
    hgq_reader_options_init(&opt);
    opt.max_total_inflated = 4u << 20;
    CHECK_EQ_INT(HGQ_ELIMIT, read_all(tmp_path("bomb.xlsx"), &opt, &err));
    CHECK(strstr(err.message, "max_total_inflated") != NULL);
    /* within the limits it reads */
    hgq_reader_options_init(&opt);
    opt.max_ratio = 100000;
    CHECK_EQ_INT(HGQ_OK, read_all(tmp_path("bomb.xlsx"), &opt, &err));
    free(big);
}

/* Sets the sizes of zip entry `name` (local and central headers) to `usize`. */
static void lie_about_size(char *zip, size_t len, const char *name, uint32_t usize)
{
    size_t nl = strlen(name), i;
    for (i = 0; i + 46 + nl <= len; i++) {
        unsigned char *p = (unsigned char *)zip + i;
        if (p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4 && memcmp(p + 30, name, nl) == 0) {
            p[22] = (unsigned char)usize;
            p[23] = (unsigned char)(usize >> 8);
            p[24] = (unsigned char)(usize >> 16);
            p[25] = (unsigned char)(usize >> 24);
        }
        if (p[0] == 'P' && p[1] == 'K' && p[2] == 1 && p[3] == 2 && memcmp(p + 46, name, nl) == 0) {
            p[24] = (unsigned char)usize;
            p[25] = (unsigned char)(usize >> 8);
            p[26] = (unsigned char)(usize >> 16);
            p[27] = (unsigned char)(usize >> 24);
        }
    }
}

TEST(hostile_lying_sizes)
{
    hgq_reader_options opt;
    hgq_error err;
    size_t len;
    char *data, *big = blank_sheet(4u << 20);
    if (!big) {
        CHECK(0);
        return;
    }
    CHECK(std_book(tmp_path("lie.xlsx"), NULL, big, NULL, NULL) == 0);
    free(big);
    data = read_file(tmp_path("lie.xlsx"), &len);
    if (!data) {
        CHECK(0);
        return;
    }
    /* declares 100 KB for 4 MB: passes every up-front check, and is never
     * inflated past what it declares */
    lie_about_size(data, len, "xl/worksheets/sheet1.xml", 100000);
    CHECK(write_file(tmp_path("lie.xlsx"), data, len) == 0);
    hgq_reader_options_init(&opt);
    opt.max_entry_inflated = 200000;
    CHECK_EQ_INT(HGQ_EZIP, read_all(tmp_path("lie.xlsx"), &opt, &err));
    CHECK(strstr(err.message, "CRC") != NULL);
    /* declares more than it holds */
    lie_about_size(data, len, "xl/worksheets/sheet1.xml", 5000000);
    CHECK(write_file(tmp_path("lie2.xlsx"), data, len) == 0);
    hgq_reader_options_init(&opt);
    opt.max_ratio = 100000;
    CHECK_EQ_INT(HGQ_EZIP, read_all(tmp_path("lie2.xlsx"), &opt, &err));
    CHECK(strstr(err.message, "declares") != NULL);
    free(data);
}

TEST(hostile_duplicate_entries_and_encrypted_entries)
{
    part dup[] = {{"[Content_Types].xml", CONTENT_TYPES, 0, 0},
                  {"_rels/.rels", ROOT_RELS, 0, 0},
                  {"xl/workbook.xml", BOOK_ONE, 0, 0},
                  {"xl/_rels/workbook.xml.rels", BOOK_RELS, 0, 0},
                  {"xl/worksheets/sheet1.xml", SHEET(""), 0, 0},
                  {"XL\\Worksheets\\Sheet1.xml", SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"), 0, 0}};
    hgq_error err;
    size_t len, i;
    char *data;
    CHECK(write_zip(tmp_path("dup.xlsx"), dup, 6) == 0);
    CHECK_EQ_INT(HGQ_EZIP, read_all(tmp_path("dup.xlsx"), NULL, &err));
    CHECK(strstr(err.message, "duplicate") != NULL);
    CHECK(strcasecmp(err.part, "xl/worksheets/sheet1.xml") == 0);
    /* an entry flagged as encrypted (traditional PKWARE) */
    CHECK(std_book(tmp_path("enc.xlsx"), NULL, SHEET(""), NULL, NULL) == 0);
    data = read_file(tmp_path("enc.xlsx"), &len);
    if (!data) {
        CHECK(0);
        return;
    }
    for (i = 0; i + 70 < len; i++) {
        unsigned char *p = (unsigned char *)data + i;
        if (p[0] == 'P' && p[1] == 'K' && p[2] == 1 && p[3] == 2 &&
            memcmp(p + 46, "xl/worksheets/sheet1.xml", 24) == 0)
            p[8] |= 1;
        if (p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4 &&
            memcmp(p + 30, "xl/worksheets/sheet1.xml", 24) == 0)
            p[6] |= 1;
    }
    CHECK(write_file(tmp_path("enc.xlsx"), data, len) == 0);
    CHECK_EQ_INT(HGQ_EUNSUPPORTED, read_all(tmp_path("enc.xlsx"), NULL, &err));
    CHECK(strstr(err.message, "encrypted") != NULL);
    free(data);
}

TEST(hostile_ole_encrypted_workbook)
{
    unsigned char ole[4096];
    hgq_error err;
    hgq_workbook *wb;
    static const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    memset(ole, 0, sizeof ole);
    memcpy(ole, magic, 8);
    CHECK(write_file(tmp_path("encrypted.xlsx"), ole, sizeof ole) == 0);
    CHECK_EQ_INT(HGQ_EUNSUPPORTED, read_all(tmp_path("encrypted.xlsx"), NULL, &err));
    CHECK(strstr(err.message, "encrypted or legacy .xls") != NULL);
    CHECK_EQ_INT(HGQ_EUNSUPPORTED,
                 hgq_workbook_open_memory(&wb, ole, sizeof ole, "x.xls", NULL, &err));
}

TEST(hostile_entities)
{
    static const char laughs[] =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
        "<sst xmlns=\"" MAIN_NS "\"><si><t>&lol3;</t></si></sst>";
    static const char external[] =
        "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
        "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&e;</t></is></c></row></sheetData></worksheet>";
    static const char param[] =
        "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>"
        "<worksheet xmlns=\"" MAIN_NS "\"><sheetData/></worksheet>";
    static const char undeclared[] = SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&nope;</t></is></c></row>");
    hgq_error err;
    CHECK_EQ_INT(HGQ_ELIMIT, read_sheet_xml("laughs.xlsx", SHEET(""), laughs, NULL, &err));
    CHECK_EQ_STR("xl/sharedStrings.xml", err.part);
    CHECK(strstr(err.message, "entity") != NULL);
    CHECK(err.line == 1);
    CHECK_EQ_INT(HGQ_ELIMIT, read_sheet_xml("external.xlsx", external, NULL, NULL, &err));
    CHECK_EQ_STR("Sheet1", err.sheet);
    CHECK_EQ_INT(HGQ_ELIMIT, read_sheet_xml("param.xlsx", param, NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_EXML, read_sheet_xml("undeclared.xlsx", undeclared, NULL, NULL, &err));
    CHECK(strstr(err.message, "undefined entity") != NULL);
}

TEST(hostile_cell_references)
{
    hgq_error err;
    CHECK_EQ_INT(HGQ_EREF, read_sheet_xml("xfe.xlsx", SHEET("<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>"), NULL, NULL, &err));
    CHECK(strstr(err.message, "XFE1") != NULL);
    CHECK_EQ_STR("Sheet1", err.sheet);
    CHECK_EQ_INT(HGQ_EREF, read_sheet_xml("a0.xlsx", SHEET("<row r=\"1\"><c r=\"A0\"><v>1</v></c></row>"), NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_EREF, read_sheet_xml("r1048577.xlsx", SHEET("<row r=\"1048577\"><c><v>1</v></c></row>"), NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_EREF, read_sheet_xml("rowx.xlsx", SHEET("<row r=\"x1\"><c><v>1</v></c></row>"), NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_EREF, read_sheet_xml("b1inrow2.xlsx", SHEET("<row r=\"2\"><c r=\"B1\"><v>1</v></c></row>"), NULL, NULL, &err));
    CHECK(strstr(err.message, "inside row 2") != NULL);
    CHECK_EQ_INT(HGQ_EREF, read_sheet_xml("twice.xlsx", SHEET("<row r=\"3\"><c r=\"C3\"><v>1</v></c><c r=\"A3\"/><c r=\"C3\"><v>2</v></c></row>"), NULL, NULL, &err));
    CHECK_EQ_STR("C3", err.cell);
    CHECK_EQ_INT(HGQ_EREF, read_sheet_xml("badmerge.xlsx",
        "<worksheet xmlns=\"" MAIN_NS "\"><sheetData/><mergeCells><mergeCell ref=\"A1:B\"/></mergeCells></worksheet>",
        NULL, NULL, &err));
    CHECK(strstr(err.message, "merged range") != NULL);
}

TEST(hostile_bad_values)
{
    static const char sst[] = "<sst xmlns=\"" MAIN_NS "\"><si><t>a</t></si><si><t>b</t></si></sst>";
    hgq_error err;
    CHECK_EQ_INT(HGQ_EDATA, read_sheet_xml("sst2.xlsx", SHEET("<row r=\"1\"><c r=\"D1\" t=\"s\"><v>2</v></c></row>"), sst, NULL, &err));
    CHECK(strstr(err.message, "out of range") != NULL);
    CHECK_EQ_STR("D1", err.cell);
    CHECK_EQ_INT(HGQ_EDATA, read_sheet_xml("nosst.xlsx", SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"), NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_EDATA, read_sheet_xml("sstneg.xlsx", SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>-1</v></c></row>"), sst, NULL, &err));
    CHECK_EQ_INT(HGQ_EDATA, read_sheet_xml("boolx.xlsx", SHEET("<row r=\"1\"><c r=\"A1\" t=\"b\"><v>yes</v></c></row>"), NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_EDATA, read_sheet_xml("datex.xlsx", SHEET("<row r=\"1\"><c r=\"A1\" t=\"d\"><v>2025-02-30</v></c></row>"), NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_EDATA, read_sheet_xml("numx.xlsx", SHEET("<row r=\"1\"><c r=\"A1\"><v>1e</v></c></row>"), NULL, NULL, &err));
    CHECK_EQ_INT(HGQ_EDATA, read_sheet_xml("inf.xlsx", SHEET("<row r=\"1\"><c r=\"A1\"><v>inf</v></c></row>"), NULL, NULL, &err));
}

TEST(hostile_invalid_utf8)
{
    static const char sheet[] =
        "<worksheet xmlns=\"" MAIN_NS "\"><sheetData>\n<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>ok\xC3\x28</t></is></c></row></sheetData></worksheet>";
    static const char sst[] = "<sst xmlns=\"" MAIN_NS "\"><si><t>\xED\xA0\x80</t></si></sst>";
    static const char book[] =
        "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><sheets><sheet name=\"\xFF\" r:id=\"rId1\"/></sheets></workbook>";
    hgq_error err;
    CHECK_EQ_INT(HGQ_EENCODING, read_sheet_xml("utf8.xlsx", sheet, NULL, NULL, &err));
    CHECK_EQ_INT(2, err.line);
    CHECK(err.column > 1);
    CHECK_EQ_STR("Sheet1", err.sheet);
    CHECK_EQ_INT(HGQ_EENCODING, read_sheet_xml("utf8sst.xlsx", SHEET(""), sst, NULL, &err));
    CHECK_EQ_STR("xl/sharedStrings.xml", err.part);
    CHECK(std_book(tmp_path("utf8book.xlsx"), book, SHEET(""), NULL, NULL) == 0);
    CHECK_EQ_INT(HGQ_EENCODING, read_all(tmp_path("utf8book.xlsx"), NULL, &err));
}

TEST(hostile_sizes_of_strings_and_tokens)
{
    hgq_reader_options opt;
    hgq_error err;
    char *sst, *sheet, *p;
    size_t i;
    /* 5000 shared strings with a limit of 1000; 40 KB of them with 16 KB */
    sst = malloc(5000 * 24 + 200);
    sheet = malloc((3u << 20) + 300);
    if (!sst || !sheet) {
        CHECK(0);
        free(sst);
        free(sheet);
        return;
    }
    p = sst + sprintf(sst, "<sst xmlns=\"" MAIN_NS "\">");
    for (i = 0; i < 5000; i++)
        p += sprintf(p, "<si><t>s%05zu</t></si>", i);
    strcpy(p, "</sst>");
    hgq_reader_options_init(&opt);
    opt.max_shared_strings = 1000;
    CHECK_EQ_INT(HGQ_ELIMIT, read_sheet_xml("sstcount.xlsx", SHEET(""), sst, &opt, &err));
    CHECK(strstr(err.message, "max_shared_strings") != NULL);
    hgq_reader_options_init(&opt);
    opt.max_shared_bytes = 16384;
    CHECK_EQ_INT(HGQ_ELIMIT, read_sheet_xml("sstbytes.xlsx", SHEET(""), sst, &opt, &err));
    CHECK(strstr(err.message, "max_shared_bytes") != NULL);
    hgq_reader_options_init(&opt);
    CHECK_EQ_INT(HGQ_OK, read_sheet_xml("sstok.xlsx", SHEET(""), sst, &opt, &err));
    /* one cell of 3 MB of text, over the 1 MiB default */
    p = sheet + sprintf(sheet, "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"1\"><c r=\"B1\" t=\"inlineStr\"><is><t>");
    memset(p, 'x', 3u << 20);
    strcpy(p + (3u << 20), "</t></is></c></row></sheetData></worksheet>");
    /* (3 MB of one letter deflates past the ratio limit; lift it to reach the cell limit) */
    hgq_reader_options_init(&opt);
    opt.max_ratio = 100000;
    CHECK_EQ_INT(HGQ_ELIMIT, read_sheet_xml("longcell.xlsx", sheet, NULL, &opt, &err));
    CHECK(strstr(err.message, "max_cell_bytes") != NULL);
    CHECK_EQ_STR("B1", err.cell);
    opt.max_cell_bytes = 4u << 20;
    CHECK_EQ_INT(HGQ_OK, read_sheet_xml("longcell.xlsx", sheet, NULL, &opt, &err));
    /* one tag of 20 MB (an attribute): refused without holding it all */
    free(sheet);
    sheet = malloc((20u << 20) + 300);
    if (sheet) {
        p = sheet + sprintf(sheet, "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"1\" x=\"");
        memset(p, 'y', 20u << 20);
        strcpy(p + (20u << 20), "\"/></sheetData></worksheet>");
        hgq_reader_options_init(&opt);
        opt.max_ratio = 100000;
        CHECK_EQ_INT(HGQ_ELIMIT, read_sheet_xml("longtag.xlsx", sheet, NULL, &opt, &err));
        CHECK(strstr(err.message, "XML tag") != NULL);
    }
    free(sheet);
    free(sst);
}

TEST(input_file_is_never_written)
{
    struct stat before, after;
    size_t len1, len2;
    char *a, *b;
    hgq_error err;
    const char *path = tmp_path("untouched.xlsx");
    CHECK(std_book(path, NULL, TYPES_SHEET, NULL, TYPES_SST) == 0);
    chmod(path, 0444);
    CHECK(stat(path, &before) == 0);
    a = read_file(path, &len1);
    sleep(1);
    CHECK_EQ_INT(HGQ_OK, read_all(path, NULL, &err));
    CHECK(stat(path, &after) == 0);
    b = read_file(path, &len2);
    CHECK(a && b && len1 == len2 && memcmp(a, b, len1) == 0);
    CHECK(before.st_mtime == after.st_mtime);
    CHECK(before.st_size == after.st_size);
    free(a);
    free(b);
}

/* }==================================================================== */

/* {====================================================================
 * Files written by libxlsxwriter read back to what was written
 * ===================================================================== */

static void roundtrip(int constant_memory)
{
    lxw_workbook_options wo = {.constant_memory = (uint8_t)constant_memory, .tmpdir = NULL};
    const char *path = tmp_path(constant_memory ? "lxw-cm.xlsx" : "lxw.xlsx");
    lxw_workbook *lw = workbook_new_opt(path, &wo);
    lxw_worksheet *ws, *ws2;
    lxw_format *datef, *timef, *money;
    lxw_datetime dt = {2025, 9, 1, 0, 0, 0}, dtt = {2024, 2, 29, 13, 45, 30};
    hgq_reader_options opt;
    hgq_workbook *wb;
    hgq_error err;
    static sheet_cells s;
    char d[32];
    if (!lw) {
        CHECK(0);
        return;
    }
    ws = workbook_add_worksheet(lw, "学生");
    ws2 = workbook_add_worksheet(lw, "Other");
    worksheet_hide(ws2);
    datef = workbook_add_format(lw);
    format_set_num_format(datef, "yyyy-mm-dd");
    timef = workbook_add_format(lw);
    format_set_num_format(timef, "yyyy/m/d h:mm:ss");
    money = workbook_add_format(lw);
    format_set_num_format(money, "#,##0.00");
    worksheet_write_string(ws, 0, 0, "姓名", NULL);
    worksheet_write_string(ws, 0, 1, "text with \"quotes\" & <angles>", NULL);
    worksheet_write_string(ws, 0, 2, "line1\nline2", NULL);
    worksheet_write_number(ws, 1, 0, 3.25, NULL);
    worksheet_write_number(ws, 1, 1, -1e-7, NULL);
    worksheet_write_number(ws, 1, 2, 1234567.891, money);
    worksheet_write_datetime(ws, 2, 0, &dt, datef);
    worksheet_write_datetime(ws, 2, 1, &dtt, timef);
    worksheet_write_boolean(ws, 3, 0, 1, NULL);
    worksheet_write_boolean(ws, 3, 1, 0, NULL);
    worksheet_write_formula_num(ws, 4, 0, "=A2*2", NULL, 6.5);
    worksheet_write_formula_str(ws, 4, 1, "=\"a\"&\"b\"", NULL, "ab");
    worksheet_write_blank(ws, 4, 3, money);
    /* constant_memory mode writes rows in order: the merge comes first */
    worksheet_merge_range(ws, 6, 0, 7, 2, "合并", NULL);
    worksheet_write_number(ws, 9, 26, 27, NULL);
    worksheet_write_number(ws2, 0, 0, 1, NULL);
    CHECK_EQ_INT(LXW_NO_ERROR, workbook_close(lw));

    hgq_reader_options_init(&opt);
    opt.want_formulas = 1;
    if (open_book(&wb, path, &opt, &err) != HGQ_OK) {
        CHECK(0);
        return;
    }
    CHECK_EQ_INT(2, hgq_workbook_sheet_count(wb));
    CHECK_EQ_STR("学生", hgq_workbook_sheet(wb, 0)->name);
    CHECK_EQ_INT(HGQ_HIDDEN, hgq_workbook_sheet(wb, 1)->visibility);
    read_sheet(wb, 0, &s);
    CHECK_EQ_INT(HGQ_OK, s.st);
    CHECK_EQ_STR("姓名", AT(&s, "A1")->text);
    CHECK_EQ_STR("text with \"quotes\" & <angles>", AT(&s, "B1")->text);
    CHECK_EQ_STR("line1\nline2", AT(&s, "C1")->text);
    CHECK(AT(&s, "A2")->num == 3.25);
    CHECK(AT(&s, "B2")->num == -1e-7);
    CHECK(AT(&s, "C2")->num == 1234567.891);
    CHECK_EQ_STR("#,##0.00", AT(&s, "C2")->fmt);
    CHECK_EQ_INT(HGQ_CELL_DATE, AT(&s, "A3")->type);
    iso(AT(&s, "A3")->num, d);
    CHECK_EQ_STR("2025-09-01T00:00:00", d);
    CHECK_EQ_STR("yyyy-mm-dd", AT(&s, "A3")->fmt);
    CHECK_EQ_INT(HGQ_CELL_DATE, AT(&s, "B3")->type);
    iso(AT(&s, "B3")->num, d);
    CHECK_EQ_STR("2024-02-29T13:45:30", d);
    CHECK_EQ_INT(HGQ_CELL_BOOL, AT(&s, "A4")->type);
    CHECK_EQ_DBL(1, AT(&s, "A4")->num, 0);
    CHECK_EQ_DBL(0, AT(&s, "B4")->num, 0);
    CHECK_EQ_DBL(6.5, AT(&s, "A5")->num, 0);
    CHECK_EQ_STR("A2*2", AT(&s, "A5")->formula);
    CHECK_EQ_INT(HGQ_CELL_STRING, AT(&s, "B5")->type);
    CHECK_EQ_STR("ab", AT(&s, "B5")->text);
    CHECK_EQ_STR("\"a\"&\"b\"", AT(&s, "B5")->formula);
    CHECK_EQ_INT(HGQ_CELL_EMPTY, AT(&s, "D5")->type);
    CHECK_EQ_STR("#,##0.00", AT(&s, "D5")->fmt);
    CHECK_EQ_STR("合并", AT(&s, "A7")->text);
    CHECK_EQ_DBL(27, AT(&s, "AA10")->num, 0);
    {
        const hgq_range *m;
        size_t n;
        CHECK_EQ_INT(HGQ_OK, hgq_workbook_merges(wb, 0, &m, &n, &err));
        CHECK_EQ_INT(1, n);
        CHECK(n == 1 && m[0].first_row == 6 && m[0].last_row == 7 && m[0].last_col == 2);
    }
    hgq_workbook_free(wb);
}

TEST(libxlsxwriter_normal_mode)
{
    roundtrip(0);
}

TEST(libxlsxwriter_constant_memory_mode)
{
    roundtrip(1);
}

/* }==================================================================== */

/* {====================================================================
 * Committed fixtures for the Lua and end-to-end tests
 * ===================================================================== */

static const char FIXTURE_SHEET[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns=\"" MAIN_NS "\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c>"
    "<c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c></row>"
    "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>5</v></c><c r=\"B2\"><v>18</v></c><c r=\"C2\" s=\"1\"><v>45901</v></c>"
    "<c r=\"D2\" t=\"b\"><v>1</v></c><c r=\"E2\"><v>1.5</v></c></row>"
    "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>李四, \"小李\"</t></is></c><c r=\"B3\"><f>B2+1</f><v>19</v></c>"
    "<c r=\"C3\" t=\"d\"><v>2024-02-29T08:30:00</v></c><c r=\"D3\" t=\"b\"><v>0</v></c><c r=\"E3\" t=\"e\"><v>#N/A</v></c></row>"
    "<row r=\"4\"><c r=\"B4\" s=\"3\"/></row>"
    "<row r=\"5\"><c r=\"B5\" t=\"s\"><v>6</v></c><c r=\"F5\"><v>-0.25</v></c></row>"
    "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A5:A6\"/></mergeCells></worksheet>";

static const char FIXTURE_SST[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"" MAIN_NS "\">"
    "<si><t>姓名</t></si><si><t>年龄</t></si><si><t>入学日期</t></si><si><t>在校</t></si><si><t>分数</t></si>"
    "<si><t>张三</t></si><si><t>tab\there_x000D_\nnew</t></si></sst>";

static const char FIXTURE_BOOK[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\">"
    "<sheets><sheet name=\"学生名册\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"隐藏\" sheetId=\"2\" state=\"hidden\" r:id=\"rId2\"/></sheets>"
    "<definedNames><definedName name=\"名单\">学生名册!$A$1:$E$3</definedName></definedNames></workbook>";

static int write_fixtures(const char *dir)
{
    char path[1200];
    int rc = 0;
    char *big;
    snprintf(tmp_dir, sizeof tmp_dir, "%s", dir);
    rc |= std_book(tmp_path("basic.xlsx"), FIXTURE_BOOK, FIXTURE_SHEET,
                   SHEET("<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>hidden</t></is></c></row>"),
                   FIXTURE_SST);
    rc |= std_book(tmp_path("bad_ref.xlsx"), NULL,
                   SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row r=\"2\"><c r=\"XFE2\"><v>1</v></c></row>"),
                   NULL, NULL);
    rc |= std_book(tmp_path("bad_utf8.xlsx"), NULL,
                   SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>\xC3\x28</t></is></c></row>"),
                   NULL, NULL);
    rc |= std_book(tmp_path("entities.xlsx"), NULL,
                   "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\">"
                   "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
                   "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&b;</t></is></c></row></sheetData></worksheet>",
                   NULL, NULL);
    rc |= std_book(tmp_path("sst_range.xlsx"), NULL,
                   SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>5</v></c></row>"),
                   NULL, "<sst xmlns=\"" MAIN_NS "\"><si><t>only</t></si></sst>");
    big = blank_sheet(8u << 20);
    if (big) {
        rc |= std_book(tmp_path("bomb.xlsx"), NULL, big, NULL, NULL);
        free(big);
    }
    {
        part dup[] = {{"[Content_Types].xml", CONTENT_TYPES, 0, 0},
                      {"_rels/.rels", ROOT_RELS, 0, 0},
                      {"xl/workbook.xml", BOOK_ONE, 0, 0},
                      {"xl/_rels/workbook.xml.rels", BOOK_RELS, 0, 0},
                      {"xl/worksheets/sheet1.xml", SHEET(""), 0, 0},
                      {"xl/worksheets/sheet1.xml", SHEET(""), 0, 0}};
        static const char escape_rels[] =
            "<Relationships xmlns=\"" PKG_NS "\"><Relationship Id=\"rId1\" Type=\"" REL_NS "/worksheet\" Target=\"../../../etc/passwd\"/></Relationships>";
        part esc[] = {{"[Content_Types].xml", CONTENT_TYPES, 0, 0},
                      {"_rels/.rels", ROOT_RELS, 0, 0},
                      {"xl/workbook.xml", BOOK_ONE, 0, 0},
                      {"xl/_rels/workbook.xml.rels", escape_rels, 0, 0}};
        rc |= write_zip(tmp_path("dup_entry.xlsx"), dup, 6);
        rc |= write_zip(tmp_path("escape_rel.xlsx"), esc, 4);
    }
    {
        size_t len;
        char *data = read_file(tmp_path("basic.xlsx"), &len);
        static const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
        unsigned char ole[1024];
        if (data) {
            rc |= write_file(tmp_path("truncated.xlsx"), data, len / 2);
            free(data);
        } else {
            rc = -1;
        }
        memset(ole, 0, sizeof ole);
        memcpy(ole, magic, 8);
        rc |= write_file(tmp_path("encrypted.xlsx"), ole, sizeof ole);
        rc |= write_file(tmp_path("not_a_workbook.xlsx"), "\x01\x02\x00\x7f binary\x00", 13);
    }
    snprintf(path, sizeof path, "%s", dir);
    printf("fixtures written to %s: %s\n", path, rc ? "FAILED" : "ok");
    return rc ? 1 : 0;
}

/* }==================================================================== */

int main(int argc, char **argv)
{
    const char *t = getenv("HGQ_TMP");
    if (argc == 3 && strcmp(argv[1], "--fixtures") == 0)
        return write_fixtures(argv[2]);
    snprintf(tmp_dir, sizeof tmp_dir, "%s/reader", t && *t ? t : "/tmp");
    if (mkdir(tmp_dir, 0755) != 0 && errno != EEXIST) {
        printf("Bail out! cannot create %s\n", tmp_dir);
        return 1;
    }
    RUN(options_defaults);
    RUN(number_formats);
    RUN(relationship_targets);
    RUN(x_escapes);
    RUN(cell_types_and_values);
    RUN(formulas_when_asked);
    RUN(shared_formula_out_of_the_sheet_is_ref_error);
    RUN(date_system_1904);
    RUN(sheets_names_and_visibility);
    RUN(rows_and_cells_without_refs_out_of_order_and_sparse);
    RUN(strict_and_prefixed_namespaces);
    RUN(parts_found_by_content_type_when_rels_are_missing);
    RUN(not_a_workbook_package);
    RUN(memory_reads_like_file);
    RUN(several_iterators_at_once);
    RUN(callback_reading_and_sheet_numbers);
    RUN(merged_ranges);
    RUN(csv_shows_as_one_sheet);
    RUN(errors_name_file_part_position_sheet_and_cell);
    RUN(hostile_not_a_zip_truncated_corrupt);
    RUN(hostile_missing_parts);
    RUN(hostile_zip_bombs_and_limits);
    RUN(hostile_lying_sizes);
    RUN(hostile_duplicate_entries_and_encrypted_entries);
    RUN(hostile_ole_encrypted_workbook);
    RUN(hostile_entities);
    RUN(hostile_cell_references);
    RUN(hostile_bad_values);
    RUN(hostile_invalid_utf8);
    RUN(hostile_sizes_of_strings_and_tokens);
    RUN(input_file_is_never_written);
    RUN(libxlsxwriter_normal_mode);
    RUN(libxlsxwriter_constant_memory_mode);
    return t_done();
}
