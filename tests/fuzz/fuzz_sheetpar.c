/*
 * fuzz_sheetpar.c - libFuzzer target, differential: a sheet part read by the
 * serial reader (threads = 1) and on several cores (threads 2 or 3, the part
 * cut into segments of a few bytes) must give the same rows, cells and
 * errors (message, part, sheet, cell, line, column), read by two iterators
 * at once, one read whole, one closed after a few rows; the merged ranges
 * too.
 *
 * The input is three bytes of settings, then the sheet part's XML:
 *
 *     byte 0  bits 0-2  segment size: 1, 2, 7, 13, 64, 97, 500 or 4096 bytes
 *             bit 3     threads: 2, or 3 when set
 *             bit 4     the sheet part stored (else deflated)
 *             bits 5-6  damage to the sheet's zip entry: 1 a wrong CRC,
 *                       2 one compressed byte flipped (at byte 2's share),
 *                       0 or 3 none
 *             bit 7     max_cell_bytes 40 (else the default)
 *     byte 1  rows read before closing early: 1 + byte % 32
 *     byte 2  where the flipped byte is, in 256ths of the compressed data
 *
 * The package around the part is fixed: content types, relationships, a
 * workbook of one sheet, styles with date formats, 48 shared strings.
 * Beyond what the sanitizers catch, the target aborts when the two dumps
 * differ, or when the serial reader made segments.
 *
 *     sh tests/fuzz/run.sh 600 fuzz_sheetpar
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hgq.h"
#include "internal.h"
#include "xlsx.h"
#include "fuzz_parts.h"
#include "../c/t_sheetdump.h"

#include "fuzz_expect.h"

#define SP_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define SP_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define SP_PKG "http://schemas.openxmlformats.org/package/2006/relationships"

static const char SP_TYPES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
    "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-"
    "officedocument.spreadsheetml.sheet.main+xml\"/></Types>";

static const char SP_ROOT_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"" SP_PKG "\">"
    "<Relationship Id=\"rId1\" Type=\"" SP_REL "/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

static const char SP_BOOK[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<workbook xmlns=\"" SP_MAIN "\" xmlns:r=\"" SP_REL
    "\"><sheets><sheet name=\"表1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

static const char SP_BOOK_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"" SP_PKG "\">"
    "<Relationship Id=\"rId1\" Type=\"" SP_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" SP_REL "/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" SP_REL "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "</Relationships>";

/* xf 1: a built-in date; 2: a custom date; 3: a number; 4: time; 5: text */
static const char SP_STYLES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<styleSheet xmlns=\"" SP_MAIN "\">"
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月"
    "&quot;d&quot;日&quot;\"/><numFmt numFmtId=\"165\" formatCode=\"0.00%\"/></numFmts>"
    "<cellXfs count=\"6\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"21\"/><xf numFmtId=\"49\"/></cellXfs></styleSheet>";

/* The first shared strings; more follow, up to SP_NSST in all. */
static const char SP_SST_HEAD[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sst xmlns=\"" SP_MAIN "\">"
    "<si><t>姓名</t></si><si><t>机电一体化技术</t></si><si><t xml:space=\"preserve\"> a </t>"
    "</si><si><r><t>富</t></r><r><t>文本</t></r></si><si><t/></si><si><t>x_x000D_y</t></si>";

enum { SP_NSST = 48 };

static const size_t SP_SEGS[8] = {1, 2, 7, 13, 64, 97, 500, 4096};

enum { SP_HEADER = 3 };

/* The settings read from the first bytes of an input. */
typedef struct sp_setup {
    size_t seg_bytes;
    int threads;
    int stored;
    int damage;
    unsigned flip_at;
    size_t stop_after;
    uint32_t max_cell;
} sp_setup;

/* Little-endian 32-bit value at p. */
static unsigned long sp_u32(const unsigned char *p)
{
    return (unsigned long)p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 |
           (unsigned long)p[3] << 24;
}

/* Damages the last entry of the zip in z (the sheet) as `s` says. */
static void sp_damage(fz_buf *z, const sp_setup *s)
{
    size_t eocd, cd, local, name_len, extra_len, data, csize;
    if (s->damage == 0 || z->len < 22)
        return;
    eocd = z->len - 22;
    cd = sp_u32(z->p + eocd + 16);
    /* the central record of the last entry: walk the directory */
    for (;;) {
        size_t next = cd + 46 + (z->p[cd + 28] | z->p[cd + 29] << 8);
        if (next >= eocd)
            break;
        cd = next;
    }
    local = sp_u32(z->p + cd + 42);
    csize = sp_u32(z->p + cd + 20);
    name_len = z->p[local + 26] | z->p[local + 27] << 8;
    extra_len = z->p[local + 28] | z->p[local + 29] << 8;
    data = local + 30 + name_len + extra_len;
    if (s->damage == 1) {
        z->p[local + 14] ^= 1;
        z->p[cd + 16] ^= 1;
    } else if (s->damage == 2 && csize > 0) {
        z->p[data + (size_t)s->flip_at * csize / 256] ^= 0x20;
    }
}

/* Zips the package around the sheet part. */
static void sp_package(fz_buf *z, const uint8_t *sheet, size_t len, const sp_setup *s)
{
    fz_entry e[7];
    size_t n = 0;
    hgq_buf sst;
    int i;
    hgq_buf_init(&sst);
    hgq_buf_append_str(&sst, SP_SST_HEAD);
    for (i = 6; i < SP_NSST; i++)
        hgq_buf_printf(&sst, "<si><t>s%d</t></si>", i);
    hgq_buf_append_str(&sst, "</sst>");
#define SP_PART(nm, d, l, defl)                                                       \
    (e[n].name = (const unsigned char *)(nm), e[n].name_len = strlen(nm),           \
     e[n].data = (const unsigned char *)(d), e[n].len = (l), e[n].deflated = (defl), n++)
    SP_PART("[Content_Types].xml", SP_TYPES, sizeof SP_TYPES - 1, 1);
    SP_PART("_rels/.rels", SP_ROOT_RELS, sizeof SP_ROOT_RELS - 1, 1);
    SP_PART("xl/workbook.xml", SP_BOOK, sizeof SP_BOOK - 1, 1);
    SP_PART("xl/_rels/workbook.xml.rels", SP_BOOK_RELS, sizeof SP_BOOK_RELS - 1, 1);
    SP_PART("xl/styles.xml", SP_STYLES, sizeof SP_STYLES - 1, 0);
    SP_PART("xl/sharedStrings.xml", sst.data, sst.len, 1);
    SP_PART("xl/worksheets/sheet1.xml", sheet, len, !s->stored);
#undef SP_PART
    fz_zip(e, n, z);
    sp_damage(z, s);
    hgq_buf_free(&sst);
}

/* Two iterators on the sheet advanced in turn: the first is closed after
 * `stop_after` rows, the second reads to the end. */
static void sp_two(hgq_buf *out, hgq_workbook *wb, size_t stop_after)
{
    hgq_rows *it[2] = {NULL, NULL};
    size_t got[2] = {0, 0};
    int i, live = 0;
    hgq_error err;
    hgq_status st;
    for (i = 0; i < 2; i++) {
        st = hgq_rows_open(&it[i], wb, 0, &err);
        if (st != HGQ_OK)
            dump_error(out, "open", st, &err);
        else
            live++;
    }
    while (live > 0) {
        for (i = 0; i < 2; i++) {
            const hgq_row *row;
            size_t c;
            if (!it[i])
                continue;
            st = hgq_rows_next(it[i], &row, &err);
            if (st == HGQ_OK && row) {
                hgq_buf_printf(out, "\n%c row %u:", 'a' + i, row->index);
                for (c = 0; c < row->ncells; c++)
                    dump_cell(out, &row->cells[c]);
                if (i == 1 || ++got[i] < stop_after)
                    continue;
            } else if (st != HGQ_OK) {
                dump_error(out, i ? "b error" : "a error", st, &err);
            }
            hgq_buf_printf(out, "\n%c closed", 'a' + i);
            hgq_rows_free(it[i]);
            it[i] = NULL;
            live--;
        }
    }
}

/*
 * Opens the package with `threads` threads and dumps the sheet read by two
 * iterators in turn, the first closed after s->stop_after rows, then its
 * merged ranges. Returns the segments made.
 */
static uint64_t sp_read(hgq_buf *out, const fz_buf *z, int threads, const sp_setup *s)
{
    hgq_reader_options opt;
    hgq_workbook *wb = NULL;
    hgq_error err;
    hgq_status st;
    uint64_t made = 0;

    hgq_reader_options_init(&opt);
    opt.threads = threads;
    opt.max_total_inflated = 64u << 20;
    opt.max_entry_inflated = 32u << 20;
    if (s->max_cell)
        opt.max_cell_bytes = s->max_cell;
    st = hgq_workbook_open_memory(&wb, z->p, z->len, "fuzz.xlsx", &opt, &err);
    if (st != HGQ_OK) {
        dump_error(out, "open", st, &err);
        return 0;
    }
    FZ_EXPECT(hgq_workbook_xlsx(wb) != NULL);
    hgq_workbook_xlsx(wb)->seg_bytes = s->seg_bytes;
    hgq_workbook_xlsx(wb)->par_min_part = 1;
    if (hgq_workbook_sheet_count(wb) > 0) {
        sp_two(out, wb, s->stop_after);
        dump_merges(out, wb, 0);
    }
    made = hgq_workbook_xlsx(wb)->segments_made;
    hgq_workbook_free(wb);
    return made;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sp_setup s;
    fz_buf z = {0};
    hgq_buf serial, par;
    uint64_t made;

    (void)fz_package; /* the parts format is not used here */
    if (size < SP_HEADER)
        return 0;
    s.seg_bytes = SP_SEGS[data[0] & 7];
    s.threads = data[0] & 8 ? 3 : 2;
    s.stored = (data[0] & 16) != 0;
    s.damage = (data[0] >> 5) & 3;
    s.max_cell = data[0] & 128 ? 40 : 0;
    s.stop_after = 1 + data[1] % 32;
    s.flip_at = data[2];
    sp_package(&z, data + SP_HEADER, size - SP_HEADER, &s);

    hgq_buf_init(&serial);
    hgq_buf_init(&par);
    made = sp_read(&serial, &z, 1, &s);
    FZ_EXPECT(made == 0);
    sp_read(&par, &z, s.threads, &s);
    if (!dump_same(stderr, "", &serial, &par)) {
        fprintf(stderr, "segments of %zu bytes, %d threads: the readings differ\n",
                s.seg_bytes, s.threads);
        abort();
    }
    hgq_buf_free(&serial);
    hgq_buf_free(&par);
    free(z.p);
    return 0;
}
