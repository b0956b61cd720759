/*
 * test_sheetpar.c - reading a sheet on several cores gives exactly what the
 * serial reader gives: the same rows, cells and errors (message, position,
 * cell), on the whole corpus and on sheets made to trip the segmenting
 * (rows without numbers, "</row>" inside CDATA and comments, namespace
 * prefixes, errors late in the sheet, truncation, early close, sheetData
 * ended or reopened between two cuts, damaged compressed data).
 *
 * Also: merged ranges found by the raw-byte pre-check of sheet.c wherever
 * its reads cut the element name.
 *
 * Small parts are cut into many segments through the workbook's internal
 * seg_bytes / par_min_part; the counters segments_made and par_fallbacks
 * show that the parallel path really ran, or really gave up.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <minizip/zip.h>
#include <xlsxwriter.h>
#include <zlib.h>

#include "t.h"
#include "hgq.h"
#include "xlsx.h"
#include "t_package.h"
#include "t_sheetdump.h"

/* {====================================================================
 * Reading a workbook into one string
 * ===================================================================== */

typedef struct run {
    hgq_buf out;            /* every row and cell, then the final status */
    uint64_t segments, fallbacks;
    size_t rows;
} run;

/* max_total_inflated for read_book, 0 for the default. */
static uint64_t max_total;

/* Reads every sheet of `path`; `threads` 1 is the serial reader. With
 * `stop_after` > 0 each sheet is closed after that many rows. */
static void read_book(run *rn, const char *path, int threads, size_t seg_bytes,
                      size_t stop_after)
{
    hgq_reader_options opt;
    hgq_workbook *wb;
    hgq_error err;
    hgq_status st;
    size_t s, n;
    hgq_buf_init(&rn->out);
    rn->segments = rn->fallbacks = 0;
    rn->rows = 0;
    hgq_reader_options_init(&opt);
    opt.threads = threads;
    if (max_total)
        opt.max_total_inflated = max_total;
    st = hgq_workbook_open(&wb, path, &opt, &err);
    if (st != HGQ_OK) {
        hgq_buf_printf(&rn->out, "open: %s", hgq_status_name(st));
        return;
    }
    if (hgq_workbook_xlsx(wb)) {
        hgq_workbook_xlsx(wb)->seg_bytes = seg_bytes;
        hgq_workbook_xlsx(wb)->par_min_part = 1;
    }
    n = hgq_workbook_sheet_count(wb);
    for (s = 0; s < n; s++)
        rn->rows += dump_sheet(&rn->out, wb, s, stop_after);
    if (hgq_workbook_xlsx(wb)) {
        rn->segments = hgq_workbook_xlsx(wb)->segments_made;
        rn->fallbacks = hgq_workbook_xlsx(wb)->par_fallbacks;
    }
    hgq_workbook_free(wb);
}

/* Compares the serial and the parallel read of `path`; returns the parallel
 * run's counters through *par (may be NULL). */
static int same_both_ways(const char *path, size_t seg_bytes, size_t stop_after, run *par)
{
    run a, b;
    int same;
    read_book(&a, path, 1, seg_bytes, stop_after);
    read_book(&b, path, 2, seg_bytes, stop_after);
    same = dump_same(stdout, "#   ", &a.out, &b.out);
    if (!same)
        printf("# %s (segments of %zu bytes) reads differently\n", path, seg_bytes);
    if (a.segments != 0)
        same = 0; /* the serial reader must not have made segments */
    if (par)
        *par = b;
    else
        hgq_buf_free(&b.out);
    hgq_buf_free(&a.out);
    return same;
}

/* }==================================================================== */

/* {====================================================================
 * The corpus
 * ===================================================================== */

TEST(corpus_reads_the_same_in_segments)
{
    const char *dir = T_SHARED("corpus/calamine");
    DIR *d = opendir(dir);
    struct dirent *e;
    int files = 0, differ = 0, segmented = 0;
    CHECK(d != NULL);
    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        char path[2048];
        size_t len = strlen(e->d_name);
        run par;
        if (len < 5 || strcmp(e->d_name + len - 5, ".xlsx") != 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        files++;
        if (!same_both_ways(path, 97, 0, &par))
            differ++;
        if (par.segments > 1)
            segmented++;
        hgq_buf_free(&par.out);
        if (!same_both_ways(path, 4096, 0, NULL))
            differ++;
        if (!same_both_ways(path, 97, 3, NULL))
            differ++;
    }
    closedir(d);
    CHECK(files >= 60);
    CHECK_EQ_INT(0, differ);
    /* most of the corpus really went through the segments */
    CHECK(segmented >= files / 2);
}

/* }==================================================================== */

/* {====================================================================
 * Sheets made to trip the segmenting
 * ===================================================================== */


/* A sheet of `nrows` rows made by `row_fn` between `head` and `tail`. */
static char *make_sheet(const char *head, const char *tail, size_t nrows,
                        void (*row_fn)(hgq_buf *, size_t))
{
    hgq_buf b;
    size_t i;
    hgq_buf_init(&b);
    hgq_buf_append_str(&b, head);
    for (i = 0; i < nrows; i++)
        row_fn(&b, i);
    hgq_buf_append_str(&b, tail);
    return b.data;
}

static const char HEAD[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns=\"" MAIN_NS
                           "\"><dimension ref=\"A1:C9\"/><sheetData>";
static const char TAIL[] = "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/>"
                           "</mergeCells></worksheet>";

static void plain_row(hgq_buf *b, size_t i)
{
    hgq_buf_printf(b,
                   "<row r=\"%zu\"><c r=\"A%zu\"><v>%zu.5</v></c>"
                   "<c r=\"B%zu\" t=\"inlineStr\"><is><t>name &amp; %zu</t></is></c>"
                   "<c r=\"C%zu\" t=\"s\"><v>%zu</v></c><c r=\"D%zu\" s=\"1\"><v>%zu</v></c></row>",
                   i + 1, i + 1, i, i + 1, i, i + 1, i % 3, i + 1, 40000 + i);
}

static void unnumbered_row(hgq_buf *b, size_t i)
{
    hgq_buf_printf(b, "<row><c><v>%zu</v></c><c t=\"str\"><v>x%zu</v></c></row>", i, i);
}

static void cdata_row(hgq_buf *b, size_t i)
{
    if (i % 50 == 7)
        hgq_buf_printf(b, "<row r=\"%zu\"><c r=\"A%zu\" t=\"inlineStr\"><is><t><![CDATA[a</row>"
                          "<row r=\"9\"></sheetData>b]]></t></is></c></row>",
                       i + 1, i + 1);
    else if (i % 50 == 20)
        hgq_buf_printf(b, "<!-- </row><row r=\"1\"> --><row r=\"%zu\"><c r=\"B%zu\"><v>%zu</v>"
                          "</c></row><?pi </row>?>",
                       i + 1, i + 1, i);
    else
        plain_row(b, i);
}

static void prefixed_row(hgq_buf *b, size_t i)
{
    hgq_buf_printf(b, "<x:row r=\"%zu\" spans=\"1:2\"><x:c r=\"A%zu\"><x:v>%zu</x:v></x:c>"
                      "<x:c r=\"B%zu\" t=\"x:odd\"><x:v>t</x:v></x:c></x:row>\n",
                   i + 1, i + 1, i, i + 1);
}

static void late_error_row(hgq_buf *b, size_t i)
{
    if (i == 2345)
        hgq_buf_printf(b, "<row r=\"%zu\"><c r=\"A%zu\"><v>12x</v></c></row>", i + 1, i + 1);
    else
        plain_row(b, i);
}

static const char SST3[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"" MAIN_NS
                           "\" count=\"3\" uniqueCount=\"3\"><si><t>甲</t></si><si><t>乙</t></si>"
                           "<si><t>丙</t></si></sst>";

/* Writes a book around `sheet` (freed), reads it both ways. */
static int check_sheet(const char *name, char *sheet, size_t seg, run *par)
{
    const char *path = tmp_path(name);
    int ok = std_book(path, NULL, sheet, NULL, SST3) == 0;
    free(sheet);
    if (!ok)
        return 0;
    return same_both_ways(path, seg, 0, par);
}

TEST(numbered_rows_go_through_segments)
{
    run par;
    CHECK(check_sheet("plain.xlsx", make_sheet(HEAD, TAIL, 3000, plain_row), 512, &par));
    CHECK_EQ_INT(3000, par.rows);
    CHECK(par.segments > 100);
    CHECK_EQ_INT(0, par.fallbacks);
    hgq_buf_free(&par.out);
    CHECK(check_sheet("plain-seg1.xlsx", make_sheet(HEAD, TAIL, 500, plain_row), 1, &par));
    CHECK(par.segments >= 500);
    CHECK_EQ_INT(0, par.fallbacks);
    hgq_buf_free(&par.out);
}

TEST(unnumbered_rows_are_numbered_as_serially)
{
    run par;
    CHECK(check_sheet("unnumbered.xlsx", make_sheet(HEAD, TAIL, 2000, unnumbered_row), 700,
                      &par));
    CHECK_EQ_INT(2000, par.rows);
    CHECK_EQ_INT(1, par.fallbacks);
    hgq_buf_free(&par.out);
}

TEST(row_end_tags_inside_cdata_comments_and_pis)
{
    run par;
    CHECK(check_sheet("cdata.xlsx", make_sheet(HEAD, TAIL, 1500, cdata_row), 300, &par));
    CHECK_EQ_INT(1500, par.rows);
    hgq_buf_free(&par.out);
}

TEST(namespace_prefixes)
{
    static const char head[] = "<?xml version=\"1.0\"?><x:worksheet xmlns:x=\"" MAIN_NS
                               "\"><x:sheetPr/>\n<x:sheetData>";
    static const char tail[] = "</x:sheetData></x:worksheet>";
    run par;
    CHECK(check_sheet("prefix.xlsx", make_sheet(head, tail, 2000, prefixed_row), 400, &par));
    CHECK_EQ_INT(2000, par.rows);
    CHECK(par.segments > 50);
    CHECK_EQ_INT(0, par.fallbacks);
    hgq_buf_free(&par.out);
}

TEST(late_error_reported_as_serially)
{
    run par;
    CHECK(check_sheet("late-error.xlsx", make_sheet(HEAD, TAIL, 3000, late_error_row), 512,
                      &par));
    CHECK_EQ_INT(2345, par.rows);
    CHECK(strstr(par.out.data, "number expected, found '12x'") != NULL);
    CHECK_EQ_INT(1, par.fallbacks);
    hgq_buf_free(&par.out);
}

/* After the parallel reading gives up, the part is read again from its
 * start: it must still count once against max_total_inflated. */
TEST(fallback_counts_the_part_once)
{
    char *sheet = make_sheet(HEAD, TAIL, 3000, late_error_row);
    size_t len = strlen(sheet);
    run par;
    max_total = len + len / 2;
    CHECK(check_sheet("late-error-limit.xlsx", sheet, 512, &par));
    max_total = 0;
    CHECK(strstr(par.out.data, "number expected, found '12x'") != NULL);
    CHECK(strstr(par.out.data, "max_total_inflated") == NULL);
    CHECK_EQ_INT(1, par.fallbacks);
    hgq_buf_free(&par.out);
}

TEST(truncated_and_odd_documents)
{
    static const char cut_tail[] = "</sheetData><mergeCells>";
    static const char empty[] = "<?xml version=\"1.0\"?><worksheet xmlns=\"" MAIN_NS
                                "\"><sheetData/></worksheet>";
    static const char doubled[] = "</sheetData><sheetData><row r=\"9000\"><c><v>1</v></c></row>"
                                  "</sheetData></worksheet>";
    static const char tail_garbage[] = "</sheetData></worksheet><extra/>";
    run par;
    CHECK(check_sheet("cut.xlsx", make_sheet(HEAD, cut_tail, 1000, plain_row), 512, &par));
    CHECK(strstr(par.out.data, "malformed XML") != NULL);
    hgq_buf_free(&par.out);
    CHECK(check_sheet("cut-rows.xlsx", make_sheet(HEAD, "<row r=\"5000\"><c r=\"A5000\"><v>1",
                                                  1000, plain_row),
                      512, NULL));
    CHECK(check_sheet("empty.xlsx", strdup(empty), 16, &par));
    CHECK_EQ_INT(0, par.rows);
    CHECK_EQ_INT(0, par.segments);
    hgq_buf_free(&par.out);
    CHECK(check_sheet("doubled.xlsx", make_sheet(HEAD, doubled, 1000, plain_row), 512, NULL));
    CHECK(check_sheet("garbage.xlsx", make_sheet(HEAD, tail_garbage, 1000, plain_row), 512,
                      &par));
    CHECK(strstr(par.out.data, "malformed XML") != NULL);
    hgq_buf_free(&par.out);
}

/* Rows after the point where sheetData ends, is reopened under other
 * namespace bindings, or is left by the handlers' account: the serial
 * reader skips them, so must the segments. */
static size_t odd_at;
static const char *odd_text;

static void odd_row(hgq_buf *b, size_t i)
{
    if (i == odd_at)
        hgq_buf_append_str(b, odd_text);
    if (i >= odd_at && strstr(odd_text, "xmlns:q"))
        hgq_buf_printf(b, "<row r=\"%zu\"><q:c r=\"A%zu\"><q:v>%zu</q:v></q:c></row>", i + 1,
                       i + 1, i);
    else
        plain_row(b, i);
}

TEST(rows_after_sheetdata_ends_between_two_cuts)
{
    static const char head_q[] = "<?xml version=\"1.0\"?><worksheet xmlns=\"" MAIN_NS
                                 "\" xmlns:q=\"" MAIN_NS "\"><sheetData>";
    static const struct {
        const char *name, *text;
        int qhead;
    } cases[] = {
        {"nested-empty.xlsx", "<sheetData/>", 0},
        {"nested-prefixed.xlsx", "<x:sheetData xmlns:x=\"" MAIN_NS "\"></x:sheetData>", 0},
        {"reopened-other-ns.xlsx", "</sheetData><sheetData xmlns=\"urn:other\">", 0},
        {"reopened-rebound.xlsx", "</sheetData><sheetData xmlns:q=\"urn:other\">", 1},
    };
    static const size_t segs[] = {1, 300};
    size_t i, k;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (k = 0; k < 2; k++) {
            run par;
            odd_at = 100;
            odd_text = cases[i].text;
            CHECK(check_sheet(cases[i].name,
                              make_sheet(cases[i].qhead ? head_q : HEAD, TAIL, 400, odd_row),
                              segs[k], &par));
            CHECK_EQ_INT(100, par.rows);
            hgq_buf_free(&par.out);
        }
    }
}

/* The first sheetData tag is not SpreadsheetML's: read serially. */
TEST(first_sheetdata_in_another_namespace)
{
    static const char head[] = "<?xml version=\"1.0\"?><worksheet xmlns=\"" MAIN_NS
                               "\" xmlns:o=\"urn:other\"><o:sheetData><o:row></o:row>"
                               "</o:sheetData><sheetData>";
    run par;
    CHECK(check_sheet("first-other.xlsx", make_sheet(head, TAIL, 300, plain_row), 64, &par));
    CHECK_EQ_INT(300, par.rows);
    CHECK_EQ_INT(0, par.segments);
    hgq_buf_free(&par.out);
}

/*
 * A book whose sheet part inflates to its first `good` bytes and then fails:
 * those bytes deflated and flushed, then a block of the invalid type 3. The
 * entry declares the whole sheet's size and CRC.
 */
static int damaged_book(const char *path, const char *sheet, size_t good)
{
    static const char *const names[] = {"[Content_Types].xml", "_rels/.rels",
                                        "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                        "xl/styles.xml", "xl/sharedStrings.xml"};
    const char *const data[] = {CONTENT_TYPES, ROOT_RELS, BOOK_ONE, BOOK_RELS, STYLES, SST3};
    size_t len = strlen(sheet), i;
    uLong bound;
    unsigned char *z;
    z_stream zs;
    zip_fileinfo zi;
    zipFile zf;
    int rc = 0;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    bound = deflateBound(&zs, (uLong)good) + 16;
    z = malloc(bound);
    if (!z) {
        deflateEnd(&zs);
        return -1;
    }
    zs.next_in = (Bytef *)sheet;
    zs.avail_in = (uInt)good;
    zs.next_out = z;
    zs.avail_out = (uInt)bound;
    if (deflate(&zs, Z_FULL_FLUSH) != Z_OK || zs.total_out >= bound)
        rc = -1;
    else
        z[zs.total_out] = 0x07; /* final block, type 3 */
    deflateEnd(&zs);
    if (rc != 0) {
        free(z);
        return rc;
    }
    zf = zipOpen64(path, APPEND_STATUS_CREATE);
    if (!zf)
        rc = -1;
    memset(&zi, 0, sizeof zi);
    for (i = 0; rc == 0 && i < sizeof names / sizeof names[0]; i++)
        if (zipOpenNewFileInZip64(zf, names[i], &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 6, 0) !=
                ZIP_OK ||
            zipWriteInFileInZip(zf, data[i], (unsigned)strlen(data[i])) != ZIP_OK ||
            zipCloseFileInZip(zf) != ZIP_OK)
            rc = -1;
    if (rc == 0 &&
        (zipOpenNewFileInZip2_64(zf, "xl/worksheets/sheet1.xml", &zi, NULL, 0, NULL, 0, NULL,
                                 Z_DEFLATED, 6, 1, 0) != ZIP_OK ||
         zipWriteInFileInZip(zf, z, (unsigned)zs.total_out + 1) != ZIP_OK ||
         zipCloseFileInZipRaw64(zf, len, crc32(0L, (const Bytef *)sheet, (uInt)len)) != ZIP_OK))
        rc = -1;
    if (zf && zipClose(zf, NULL) != ZIP_OK)
        rc = -1;
    free(z);
    return rc;
}

/* A token over the serial reader's read size (a long CDATA) shifts where
 * its later reads fall. */
static void long_token_row(hgq_buf *b, size_t i)
{
    if (i == 40) {
        size_t k;
        hgq_buf_printf(b, "<row r=\"%zu\"><c r=\"A%zu\" t=\"inlineStr\"><is><t><![CDATA[", i + 1,
                       i + 1);
        for (k = 0; k < 150000; k++)
            hgq_buf_append_char(b, (char)('a' + k % 26));
        hgq_buf_append_str(b, "]]></t></is></c></row>");
    } else {
        plain_row(b, i);
    }
}

/* Compressed data damaged anywhere: the rows up to where the serial reader
 * fails, then its error. */
TEST(damaged_compressed_data_ends_as_serially)
{
    char *sheet = make_sheet(HEAD, TAIL, 5000, long_token_row);
    size_t len = strlen(sheet), k;
    int differ = 0, cut_short = 0, tried = 0, segmented = 0;
    for (k = 0; k < 40; k++) {
        const char *path = tmp_path("damaged.xlsx");
        size_t good = 1000 + k * (len - 2000) / 40 + k * 977 % 4096;
        run par;
        if (damaged_book(path, sheet, good) != 0)
            continue;
        tried++;
        if (!same_both_ways(path, 500, 0, &par))
            differ++;
        if (par.rows > 0 && par.rows < 5000 && strstr(par.out.data, "corrupt compressed data"))
            cut_short++;
        if (par.segments > 1)
            segmented++;
        hgq_buf_free(&par.out);
        if (!same_both_ways(path, 7, 0, NULL))
            differ++;
    }
    free(sheet);
    CHECK_EQ_INT(40, tried);
    CHECK_EQ_INT(0, differ);
    CHECK(cut_short >= 35); /* rows, then the error: the damage was reached midway */
    CHECK(segmented >= 35); /* and the parallel reader had cut the part */
}

TEST(closing_early_leaves_nothing_behind)
{
    const char *path = tmp_path("early.xlsx");
    char *sheet = make_sheet(HEAD, TAIL, 5000, plain_row);
    int ok = std_book(path, NULL, sheet, NULL, SST3) == 0;
    free(sheet);
    CHECK(ok);
    /* stopping after 1 and 1000 rows, with segments still in flight */
    CHECK(same_both_ways(path, 256, 1, NULL));
    CHECK(same_both_ways(path, 256, 1000, NULL));
}

/* A sheet over the default minimum part size, written by libxlsxwriter. */
TEST(large_sheet_with_the_defaults)
{
    const char *path = tmp_path("large.xlsx");
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    hgq_reader_options opt;
    hgq_workbook *hw;
    hgq_rows *rows;
    const hgq_row *row;
    hgq_error err;
    uint32_t r;
    double sum = 0;
    size_t n = 0, bad = 0;
    for (r = 0; r < 60000; r++) {
        char s[32];
        snprintf(s, sizeof s, "学生%u", r);
        worksheet_write_number(ws, r, 0, r, NULL);
        worksheet_write_string(ws, r, 1, s, NULL);
        worksheet_write_number(ws, r, 2, r * 0.25, NULL);
        worksheet_write_string(ws, r, 3, "机电一体化技术", NULL);
    }
    CHECK_EQ_INT(LXW_NO_ERROR, workbook_close(wb));
    hgq_reader_options_init(&opt);
    opt.threads = 2;
    CHECK_EQ_INT(HGQ_OK, hgq_workbook_open(&hw, path, &opt, &err));
    CHECK_EQ_INT(HGQ_OK, hgq_rows_open(&rows, hw, 0, &err));
    while (hgq_rows_next(rows, &row, &err) == HGQ_OK && row) {
        char s[32];
        snprintf(s, sizeof s, "学生%u", row->index);
        if (row->index != n || row->ncells != 4 || row->cells[0].number != row->index ||
            strcmp(row->cells[1].text, s) != 0)
            bad++;
        sum += row->cells[2].number;
        n++;
    }
    hgq_rows_free(rows);
    CHECK_EQ_INT(60000, n);
    CHECK_EQ_INT(0, bad);
    CHECK_EQ_DBL(0.25 * 59999.0 * 60000.0 / 2, sum, 1e-6);
    CHECK(hgq_workbook_xlsx(hw)->segments_made > 2);
    CHECK_EQ_INT(0, hgq_workbook_xlsx(hw)->par_fallbacks);
    hgq_workbook_free(hw);
}

/* Merged ranges are looked for in the raw bytes first; the name must be
 * found wherever the 64 KiB reads cut it. */
TEST(merges_found_wherever_the_reads_cut)
{
    int shift, bad = 0;
    for (shift = -12; shift <= 12; shift++) {
        const char *path = tmp_path("merges.xlsx");
        hgq_buf b;
        hgq_workbook *wb;
        const hgq_range *m;
        size_t n = 0;
        hgq_error err;
        hgq_buf_init(&b);
        hgq_buf_append_str(&b, HEAD);
        hgq_buf_append_str(&b, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>");
        while (b.len < (size_t)(65536 + shift - 64))
            hgq_buf_append_char(&b, 'x');
        hgq_buf_append_str(&b, "</t></is></c></row></sheetData>");
        while (b.len < (size_t)(65536 + shift - 1))
            hgq_buf_append_char(&b, ' ');
        hgq_buf_append_str(&b, "<mergeCells count=\"1\"><mergeCell ref=\"A1:C2\"/></mergeCells>"
                               "</worksheet>");
        if (std_book(path, NULL, b.data, NULL, SST3) != 0 ||
            hgq_workbook_open(&wb, path, NULL, &err) != HGQ_OK) {
            bad++;
            hgq_buf_free(&b);
            continue;
        }
        if (hgq_workbook_merges(wb, 0, &m, &n, &err) != HGQ_OK || n != 1 ||
            m[0].last_col != 2 || m[0].last_row != 1)
            bad++;
        hgq_workbook_free(wb);
        hgq_buf_free(&b);
    }
    CHECK_EQ_INT(0, bad);
}

/* }==================================================================== */

int main(void)
{
    const char *t = getenv("HGQ_TMP");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/sheetpar-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmp_dir)) {
        printf("Bail out! cannot create %s\n", tmp_dir);
        return 1;
    }
    RUN(corpus_reads_the_same_in_segments);
    RUN(numbered_rows_go_through_segments);
    RUN(unnumbered_rows_are_numbered_as_serially);
    RUN(row_end_tags_inside_cdata_comments_and_pis);
    RUN(namespace_prefixes);
    RUN(late_error_reported_as_serially);
    RUN(fallback_counts_the_part_once);
    RUN(truncated_and_odd_documents);
    RUN(rows_after_sheetdata_ends_between_two_cuts);
    RUN(first_sheetdata_in_another_namespace);
    RUN(damaged_compressed_data_ends_as_serially);
    RUN(closing_early_leaves_nothing_behind);
    RUN(large_sheet_with_the_defaults);
    RUN(merges_found_wherever_the_reads_cut);
    {
        char cmd[1200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
        if (system(cmd) != 0)
            return 1;
    }
    return t_done();
}
