/*
 * t_package.h - building small .xlsx packages part by part for the reader
 * tests: write_zip() from a list of parts, and std_book() with the usual
 * content types, relationships, workbook and styles around given sheets.
 * Include after t.h, <minizip/zip.h> and <zlib.h>; set tmp_dir first.
 */
#ifndef HGQ_T_PACKAGE_H
#define HGQ_T_PACKAGE_H

/* {====================================================================
 * Building packages
 * ===================================================================== */

typedef struct part {
    const char *name;
    const char *data;           /* NUL-terminated unless len is given */
    size_t len;
    int stored;                 /* 1: no compression */
} part;

static char tmp_dir[1024];

static inline const char *tmp_path(const char *name)
{
    static char bufs[8][1200];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, 1200, "%s/%s", tmp_dir, name);
    return b;
}

static inline int write_zip(const char *path, const part *parts, size_t n)
{
    zipFile zf = zipOpen64(path, APPEND_STATUS_CREATE);
    size_t i;
    if (!zf)
        return -1;
    for (i = 0; i < n; i++) {
        zip_fileinfo zi;
        size_t len = parts[i].len ? parts[i].len : strlen(parts[i].data);
        memset(&zi, 0, sizeof zi);
        if (zipOpenNewFileInZip64(zf, parts[i].name, &zi, NULL, 0, NULL, 0, NULL,
                                  parts[i].stored ? 0 : Z_DEFLATED,
                                  parts[i].stored ? 0 : Z_BEST_COMPRESSION, 0) != ZIP_OK ||
            zipWriteInFileInZip(zf, parts[i].data, (unsigned)len) != ZIP_OK ||
            zipCloseFileInZip(zf) != ZIP_OK) {
            zipClose(zf, NULL);
            return -1;
        }
    }
    return zipClose(zf, NULL) == ZIP_OK ? 0 : -1;
}

static inline int write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    if (fwrite(data, 1, len, f) != len) {
        fclose(f);
        return -1;
    }
    return fclose(f);
}

static inline char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        *len = (size_t)n;
    return buf;
}

#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define PKG_NS "http://schemas.openxmlformats.org/package/2006/relationships"
#define CT_NS "http://schemas.openxmlformats.org/package/2006/content-types"

static const char CONTENT_TYPES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Types xmlns=\"" CT_NS "\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
    "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
    "</Types>";

static const char ROOT_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"" PKG_NS "\">"
    "<Relationship Id=\"rId1\" Type=\"" REL_NS "/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

static const char BOOK_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"" PKG_NS "\">"
    "<Relationship Id=\"rId1\" Type=\"" REL_NS "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL_NS "/worksheet\" Target=\"/xl/worksheets/sheet2.xml\"/>"
    "<Relationship Id=\"rId8\" Type=\"" REL_NS "/styles\" Target=\"styles.xml\"/>"
    "<Relationship Id=\"rId9\" Type=\"" REL_NS "/sharedStrings\" Target=\"./sharedStrings.xml\"/>"
    "</Relationships>";

static const char BOOK_ONE[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\">"
    "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";

static const char BOOK_TWO[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\">"
    "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"Sheet2\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";

static const char STYLES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<styleSheet xmlns=\"" MAIN_NS "\">"
    "<numFmts count=\"3\">"
    "<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"[Red]#,##0.00\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"[h]:mm:ss\"/>"
    "</numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"7\">"
    "<xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
    "<xf numFmtId=\"166\"/><xf numFmtId=\"49\"/><xf numFmtId=\"31\"/>"
    "</cellXfs>"
    "<dxfs count=\"1\"><dxf><numFmt numFmtId=\"164\" formatCode=\"0.0\"/></dxf></dxfs>"
    "</styleSheet>";

/* A workbook with the default parts; sheets and shared strings as given
 * (sheet2 and sst may be NULL). `book` NULL means one sheet. */
static inline int std_book(const char *path, const char *book, const char *sheet1,
                    const char *sheet2, const char *sst)
{
    part p[8];
    size_t n = 0;
    p[n++] = (part){"[Content_Types].xml", CONTENT_TYPES, 0, 0};
    p[n++] = (part){"_rels/.rels", ROOT_RELS, 0, 0};
    p[n++] = (part){"xl/workbook.xml", book ? book : BOOK_ONE, 0, 0};
    p[n++] = (part){"xl/_rels/workbook.xml.rels", BOOK_RELS, 0, 0};
    p[n++] = (part){"xl/styles.xml", STYLES, 0, 0};
    if (sst)
        p[n++] = (part){"xl/sharedStrings.xml", sst, 0, 0};
    p[n++] = (part){"xl/worksheets/sheet1.xml", sheet1, 0, 0};
    if (sheet2)
        p[n++] = (part){"xl/worksheets/sheet2.xml", sheet2, 0, 0};
    return write_zip(path, p, n);
}

#define SHEET(rows)                                                                    \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns=\"" MAIN_NS "\">"   \
    "<sheetData>" rows "</sheetData></worksheet>"

/* }==================================================================== */

#endif
