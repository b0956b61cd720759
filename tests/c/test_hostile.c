/*
 * test_hostile.c - hostile workbooks: each must end in a clear error (or, where
 * stated, a harmless success) within bounded memory and time.
 *
 * The files are written at test time into $HGQ_TMP with minizip's zip writer
 * and libxlsxwriter. Each case runs in a forked child, so that a crash, a hang
 * or a runaway allocation fails that case only: the child is stopped by
 * alarm() after TIME_BOUND seconds, and its peak resident size, read with
 * wait4(), must stay under MEM_BOUND. The child's peak includes what the
 * parent had mapped at fork time (a few MB); each case prints it as a TAP
 * comment.
 *
 * Bounds: 256 MB and 60 s in a normal build. Under AddressSanitizer every
 * allocation also costs shadow memory, redzones and a quarantine of freed
 * blocks (256 MB by default), and code runs 2-3 times slower, so a sanitized
 * build allows 1 GB and 180 s.
 *
 * Deflate cannot compress better than about 1032:1, so "gigabytes" takes a
 * few MB of zip: the bombs below are ~3 MB files inflating to 3 GiB, built
 * from one deflated 1 MiB block repeated (each block ends with a full flush,
 * so the copies decode alike), which takes milliseconds to write.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <minizip/zip.h>
#include <xlsxwriter.h>
#include <zlib.h>

#include "hgq.h"
#include "t.h"

#if defined(__SANITIZE_ADDRESS__)
#define H_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define H_SANITIZED 1
#endif
#endif
#ifndef H_SANITIZED
#define H_SANITIZED 0
#endif

#define MEM_BOUND_MB (H_SANITIZED ? 1024L : 256L)
#define TIME_BOUND_S (H_SANITIZED ? 180 : 60)

#define GIB (UINT64_C(1) << 30)
#define MIB (UINT64_C(1) << 20)

static char tmpdir[1024];
static char marker[64];   /* text that must never show up in what is read */

/* {====================================================================
 * Running one case in a child
 * ===================================================================== */

typedef struct outcome {
    hgq_status status;       /* first failure, HGQ_OK if everything read */
    hgq_status code_in_err;  /* err.code of that failure */
    char message[HGQ_ERROR_MESSAGE_MAX];
    unsigned long sheets, rows, cells, names;
    int marker_seen;         /* marker text in a cell, name or sheet name */
    int bad_utf8;            /* text that is not valid UTF-8 */
    /* filled by the parent */
    int ran;                 /* child exited normally with status 0 */
    int timed_out;
    int signal;
    long peak_mb;
    long base_mb;            /* the parent's resident size when it forked */
    double seconds;
} outcome;

typedef struct run_opts {
    const hgq_reader_options *opt;  /* NULL: defaults */
    int from_memory;                /* hgq_workbook_open_memory instead of open */
    size_t truncate_at;             /* from_memory only: use this many bytes (0: all) */
} run_opts;

static int contains(const char *s, size_t len, const char *what)
{
    size_t n = strlen(what), i;
    for (i = 0; n && i + n <= len; i++)
        if (memcmp(s + i, what, n) == 0)
            return 1;
    return 0;
}

static void note_text(outcome *o, const char *s, size_t len)
{
    if (!s)
        return;
    if (!hgq_utf8_valid(s, len))
        o->bad_utf8 = 1;
    if (contains(s, len, marker))
        o->marker_seen = 1;
}

static void note_fail(outcome *o, hgq_status st, const hgq_error *err)
{
    if (o->status != HGQ_OK)
        return;
    o->status = st;
    o->code_in_err = err->code;
    memcpy(o->message, err->message, sizeof o->message);
    o->message[sizeof o->message - 1] = '\0';
}

static void read_everything(hgq_workbook *wb, outcome *o)
{
    size_t n = hgq_workbook_sheet_count(wb), i, j;
    hgq_error err;
    o->sheets = n;
    o->names = hgq_workbook_name_count(wb);
    for (i = 0; i < o->names; i++) {
        const hgq_defined_name *dn = hgq_workbook_name(wb, i);
        note_text(o, dn->name, strlen(dn->name));
        note_text(o, dn->value, strlen(dn->value));
    }
    for (i = 0; i < n; i++) {
        const hgq_sheet_info *si = hgq_workbook_sheet(wb, i);
        hgq_rows *rows;
        const hgq_row *row;
        const hgq_range *ranges;
        size_t nranges;
        hgq_status st;
        note_text(o, si->name, strlen(si->name));
        st = hgq_rows_open(&rows, wb, i, &err);
        if (st != HGQ_OK) {
            note_fail(o, st, &err);
            continue;
        }
        while ((st = hgq_rows_next(rows, &row, &err)) == HGQ_OK && row) {
            o->rows++;
            for (j = 0; j < row->ncells; j++) {
                const hgq_cell *c = &row->cells[j];
                o->cells++;
                if (c->type == HGQ_CELL_STRING || c->type == HGQ_CELL_ERROR)
                    note_text(o, c->text, c->text_len);
                if (c->formula)
                    note_text(o, c->formula, strlen(c->formula));
            }
        }
        if (st != HGQ_OK)
            note_fail(o, st, &err);
        hgq_rows_free(rows);
        st = hgq_workbook_merges(wb, i, &ranges, &nranges, &err);
        if (st != HGQ_OK)
            note_fail(o, st, &err);
    }
}

static void child(const char *path, const run_opts *ro, int fd)
{
    outcome o;
    hgq_workbook *wb = NULL;
    hgq_error err;
    hgq_status st;
    void *data = NULL;
    memset(&o, 0, sizeof o);
    alarm(TIME_BOUND_S);
    if (ro && ro->from_memory) {
        FILE *f = fopen(path, "rb");
        long size;
        if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0)
            _exit(3);
        rewind(f);
        data = malloc((size_t)size + 1);
        if (!data || fread(data, 1, (size_t)size, f) != (size_t)size)
            _exit(3);
        fclose(f);
        if (ro->truncate_at && ro->truncate_at < (size_t)size)
            size = (long)ro->truncate_at;
        st = hgq_workbook_open_memory(&wb, data, (size_t)size, path, ro->opt, &err);
    } else {
        st = hgq_workbook_open(&wb, path, ro ? ro->opt : NULL, &err);
    }
    if (st != HGQ_OK) {
        note_fail(&o, st, &err);
        if (wb)
            o.status = HGQ_STATUS_COUNT; /* a failed open must leave *out NULL */
    } else {
        read_everything(wb, &o);
        hgq_workbook_free(wb);
    }
    free(data);
    if (write(fd, &o, sizeof o) != (ssize_t)sizeof o)
        _exit(4);
    _exit(0);
}

/* Resident size of this process in MB (0 if unknown). */
static long rss_mb(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024) / 1024;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs the case in a child and fills *o; prints a TAP comment with the figures. */
static void run_case(const char *what, const char *path, const run_opts *ro, outcome *o)
{
    int fds[2];
    pid_t pid;
    int wstatus = 0;
    struct rusage ru;
    double t0 = now_s();
    memset(o, 0, sizeof *o);
    o->status = HGQ_STATUS_COUNT;
    fflush(stdout);
    {
        long base = rss_mb();
        o->base_mb = base;
    }
    if (pipe(fds) != 0) {
        T_FAIL("%s: pipe: %s", what, strerror(errno));
        return;
    }
    pid = fork();
    if (pid < 0) {
        T_FAIL("%s: fork: %s", what, strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        child(path, ro, fds[1]);
    }
    close(fds[1]);
    {
        outcome got;
        size_t have = 0;
        ssize_t r;
        while (have < sizeof got &&
               (r = read(fds[0], (char *)&got + have, sizeof got - have)) > 0)
            have += (size_t)r;
        close(fds[0]);
        if (wait4(pid, &wstatus, 0, &ru) < 0) {
            T_FAIL("%s: wait4: %s", what, strerror(errno));
            return;
        }
        if (have == sizeof got) {
            long base = o->base_mb;
            *o = got;
            o->base_mb = base;
        }
    }
    o->seconds = now_s() - t0;
    o->peak_mb = ru.ru_maxrss / 1024; /* kilobytes on Linux */
    if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
        o->ran = 1;
    } else if (WIFSIGNALED(wstatus)) {
        o->signal = WTERMSIG(wstatus);
        o->timed_out = o->signal == SIGALRM;
    }
    printf("# %-44s %-16s peak %4ld MB (%3ld at fork)  %6.2f s  %lu cells%s%s\n", what,
           o->ran ? hgq_status_name(o->status) : o->timed_out ? "TIMEOUT" : "CRASH",
           o->peak_mb, o->base_mb, o->seconds, o->cells, o->status != HGQ_OK && o->ran ? ": " : "",
           o->status != HGQ_OK && o->ran ? o->message : "");
    if (!o->ran) {
        if (o->timed_out)
            T_FAIL("%s: no answer within %d s", what, TIME_BOUND_S);
        else if (o->signal)
            T_FAIL("%s: the reader died with signal %d", what, o->signal);
        else
            T_FAIL("%s: the child exited with status %d", what, WEXITSTATUS(wstatus));
        return;
    }
    if (o->peak_mb >= MEM_BOUND_MB)
        T_FAIL("%s: peak resident size %ld MB, bound %ld MB", what, o->peak_mb, MEM_BOUND_MB);
    if (o->marker_seen)
        T_FAIL("%s: text from a local file was read into the workbook", what);
    if (o->bad_utf8)
        T_FAIL("%s: the reader returned text that is not valid UTF-8", what);
    if (o->status == HGQ_STATUS_COUNT)
        T_FAIL("%s: a failed open left a workbook in *out", what);
    if (o->status != HGQ_OK) {
        if (o->code_in_err != o->status)
            T_FAIL("%s: returned %s but err.code is %s", what, hgq_status_name(o->status),
                   hgq_status_name(o->code_in_err));
        if (!o->message[0])
            T_FAIL("%s: %s without a message", what, hgq_status_name(o->status));
    }
}

/* The case must end in an error: one of the codes listed (HGQ_OK ends the list), or any. */
static void expect_error(const char *what, const outcome *o, ...)
{
    va_list ap;
    int code, listed = 0, match = 0;
    if (!o->ran)
        return; /* already failed */
    if (o->status == HGQ_OK) {
        T_FAIL("%s: read without error (%lu cells)", what, o->cells);
        return;
    }
    va_start(ap, o);
    while ((code = va_arg(ap, int)) != HGQ_OK) {
        listed = 1;
        if ((hgq_status)code == o->status)
            match = 1;
    }
    va_end(ap);
    if (listed && !match)
        T_FAIL("%s: unexpected %s: %s", what, hgq_status_name(o->status), o->message);
}

/* }==================================================================== */

/* {====================================================================
 * Writing packages
 * ===================================================================== */

static const char CT[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
    "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>"
    "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
    "</Types>";
static const char RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";
static const char WB[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
    "<definedNames><definedName name=\"Students\">Sheet1!$A$1:$B$2</definedName></definedNames>"
    "</workbook>";
#define WBRELS_HEAD                                                              \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"            \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>" \
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
#define WBRELS_SHEET(target, extra)                                              \
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"" target "\"" extra "/>"
static const char WBRELS[] = WBRELS_HEAD WBRELS_SHEET("worksheets/sheet1.xml", "") "</Relationships>";
static const char SST[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"2\" uniqueCount=\"2\">"
    "<si><t>姓名</t></si><si><t>专业</t></si></sst>";
static const char STY[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy-mm-dd\"/></numFmts>"
    "<cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/></cellXfs>"
    "</styleSheet>";
#define SHEET_HEAD                                                               \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"            \
    "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
#define SHEET_BODY                                                               \
    "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>" \
    "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>张三</t></is></c><c r=\"B2\" s=\"1\"><v>45900</v></c></row>" \
    "</sheetData>"
static const char SHEET[] = SHEET_HEAD SHEET_BODY "</worksheet>";

/* A part: literal bytes, or written by a function (raw deflate, say). */
typedef struct part {
    const char *name;
    const char *data;      /* NUL-terminated unless len is set */
    size_t len;
    int (*write)(zipFile zf, const char *name, void *ud);
    void *ud;
} part;

static int add_entry(zipFile zf, const char *name, const void *data, size_t len)
{
    zip_fileinfo zi;
    memset(&zi, 0, sizeof zi);
    if (zipOpenNewFileInZip64(zf, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
                              Z_DEFAULT_COMPRESSION, 0) != ZIP_OK)
        return -1;
    if (len && zipWriteInFileInZip(zf, data, (unsigned)len) != ZIP_OK)
        return -1;
    return zipCloseFileInZip(zf) == ZIP_OK ? 0 : -1;
}

/*
 * Writes a package: the standard parts, each replaced by the part of the
 * same name in `over` (a part with NULL data and no writer drops it); parts
 * of `over` that name no standard part are added after them, in order, even
 * when a name repeats.
 */
static int write_package(const char *path, const part *over, size_t nover)
{
    static const part base[] = {
        {"[Content_Types].xml", CT, 0, NULL, NULL},
        {"_rels/.rels", RELS, 0, NULL, NULL},
        {"xl/workbook.xml", WB, 0, NULL, NULL},
        {"xl/_rels/workbook.xml.rels", WBRELS, 0, NULL, NULL},
        {"xl/sharedStrings.xml", SST, 0, NULL, NULL},
        {"xl/styles.xml", STY, 0, NULL, NULL},
        {"xl/worksheets/sheet1.xml", SHEET, 0, NULL, NULL},
    };
    size_t nbase = sizeof base / sizeof base[0], i, j;
    char *used = calloc(nover + 1, 1);
    zipFile zf = zipOpen64(path, APPEND_STATUS_CREATE);
    int rc = 0;
    if (!zf || !used) {
        free(used);
        return -1;
    }
    for (i = 0; i < nbase && rc == 0; i++) {
        const part *p = &base[i];
        for (j = 0; j < nover; j++) {
            if (!used[j] && strcmp(over[j].name, base[i].name) == 0) {
                p = &over[j];
                used[j] = 1;
                break;
            }
        }
        if (p->write)
            rc = p->write(zf, p->name, p->ud);
        else if (p->data)
            rc = add_entry(zf, p->name, p->data, p->len ? p->len : strlen(p->data));
    }
    for (j = 0; j < nover && rc == 0; j++) {
        if (used[j])
            continue;
        if (over[j].write)
            rc = over[j].write(zf, over[j].name, over[j].ud);
        else if (over[j].data)
            rc = add_entry(zf, over[j].name, over[j].data,
                           over[j].len ? over[j].len : strlen(over[j].data));
    }
    free(used);
    if (zipClose(zf, NULL) != ZIP_OK)
        rc = -1;
    return rc;
}

static const char *tmp_path(const char *name)
{
    static char bufs[4][1200];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", tmpdir, name);
    return b;
}

/* }==================================================================== */

/* {====================================================================
 * Bombs: one deflated block, repeated
 * ===================================================================== */

/* Raw-deflates d[n]; a full flush leaves the output byte-aligned and the
 * next block independent of this one, `last` ends the stream. */
static unsigned char *deflate_piece(const void *d, size_t n, int last, size_t *out_len)
{
    z_stream zs;
    uLong bound;
    unsigned char *out;
    int rc;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    bound = deflateBound(&zs, (uLong)n) + 64;
    out = malloc(bound);
    if (!out) {
        deflateEnd(&zs);
        return NULL;
    }
    zs.next_in = (Bytef *)d;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)bound;
    rc = deflate(&zs, last ? Z_FINISH : Z_FULL_FLUSH);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    if (rc != (last ? Z_STREAM_END : Z_OK)) {
        free(out);
        return NULL;
    }
    return out;
}

typedef struct bomb {
    const char *head;       /* text before the repeated block */
    const char *unit;       /* repeated text ("" with unit_len 1 for zeros) */
    size_t unit_len;
    uint64_t total;         /* bytes of repeated text, rounded up to whole blocks */
    const char *tail;       /* text after it */
    uint64_t declared;      /* declared inflated size; 0: the true size */
    uint64_t inflated;      /* set by the writer: the true size */
    size_t compressed;      /* set by the writer */
} bomb;

static int write_bomb(zipFile zf, const char *name, void *ud)
{
    bomb *b = ud;
    size_t reps = (size_t)(MIB / b->unit_len), block_len = reps * b->unit_len, i;
    char *block = malloc(block_len);
    unsigned char *zhead = NULL, *zblock = NULL, *ztail = NULL;
    size_t lhead, lblock, ltail;
    uint64_t blocks = (b->total + block_len - 1) / block_len, k;
    uLong crc, crc_block;
    zip_fileinfo zi;
    int rc = -1;
    if (!block)
        return -1;
    for (i = 0; i < reps; i++)
        memcpy(block + i * b->unit_len, b->unit, b->unit_len);
    zhead = deflate_piece(b->head, strlen(b->head), 0, &lhead);
    zblock = deflate_piece(block, block_len, 0, &lblock);
    ztail = deflate_piece(b->tail, strlen(b->tail), 1, &ltail);
    if (!zhead || !zblock || !ztail)
        goto done;
    crc = crc32(0L, (const Bytef *)b->head, (uInt)strlen(b->head));
    crc_block = crc32(0L, (const Bytef *)block, (uInt)block_len);
    for (k = 0; k < blocks; k++)
        crc = crc32_combine(crc, crc_block, (z_off_t)block_len);
    crc = crc32_combine(crc, crc32(0L, (const Bytef *)b->tail, (uInt)strlen(b->tail)),
                        (z_off_t)strlen(b->tail));
    b->inflated = strlen(b->head) + blocks * block_len + strlen(b->tail);
    b->compressed = lhead + blocks * lblock + ltail;
    memset(&zi, 0, sizeof zi);
    if (zipOpenNewFileInZip2(zf, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, 9, 1) != ZIP_OK)
        goto done;
    if (zipWriteInFileInZip(zf, zhead, (unsigned)lhead) != ZIP_OK)
        goto done;
    for (k = 0; k < blocks; k++)
        if (zipWriteInFileInZip(zf, zblock, (unsigned)lblock) != ZIP_OK)
            goto done;
    if (zipWriteInFileInZip(zf, ztail, (unsigned)ltail) != ZIP_OK)
        goto done;
    if (zipCloseFileInZipRaw(zf, (uLong)(b->declared ? b->declared : b->inflated), crc) != ZIP_OK)
        goto done;
    rc = 0;
done:
    free(block);
    free(zhead);
    free(zblock);
    free(ztail);
    return rc;
}

/* Writes a package whose part `name` is the bomb. */
static int write_bomb_package(const char *path, const char *name, bomb *b)
{
    part p = {name, NULL, 0, write_bomb, b};
    return write_package(path, &p, 1);
}

/* }==================================================================== */

/* {====================================================================
 * Cases
 * ===================================================================== */

static const char ROWS_HEAD[] = SHEET_HEAD "<sheetData>";
static const char ROWS_TAIL[] = "</sheetData></worksheet>";

TEST(bomb_small_zip_claiming_gigabytes)
{
    /* ~1 KB of deflated zeros (1 MiB inflated) that declares 3 GiB. */
    bomb b = {"", "", 1, MIB, "", 3 * GIB, 0, 0};
    const char *path = tmp_path("bomb-claims.xlsx");
    struct stat st;
    outcome o;
    CHECK(write_bomb_package(path, "xl/worksheets/sheet1.xml", &b) == 0);
    CHECK(stat(path, &st) == 0 && st.st_size < 8 * 1024);
    run_case("1 KB zip declaring a 3 GiB sheet", path, NULL, &o);
    expect_error("1 KB zip declaring a 3 GiB sheet", &o, HGQ_ELIMIT, HGQ_EZIP, HGQ_OK);
}

static void bomb_case(const char *what, const char *file, const char *unit, size_t unit_len,
                      const char *head, const char *tail, const char *entry, int honest,
                      int memory)
{
    bomb b = {head, unit, unit_len, 3 * GIB, tail, honest ? 0 : 4096, 0, 0};
    const char *path = tmp_path(file);
    run_opts ro = {NULL, memory, 0};
    outcome o;
    char label[160];
    if (write_bomb_package(path, entry, &b) != 0) {
        T_FAIL("%s: cannot write %s", what, path);
        return;
    }
    CHECK(b.inflated >= 3 * GIB);
    CHECK(b.compressed < 8 * MIB);
    snprintf(label, sizeof label, "%s (%s sizes%s)", what, honest ? "true" : "lying",
             memory ? ", memory" : "");
    run_case(label, path, &ro, &o);
    if (honest)
        expect_error(label, &o, HGQ_ELIMIT, HGQ_OK);
    else
        expect_error(label, &o, HGQ_ELIMIT, HGQ_EZIP, HGQ_EXML, HGQ_OK);
}

TEST(bomb_zeros)
{
    bomb_case("3 GiB of zeros as a sheet", "bomb-zeros-true.xlsx", "", 1, "", "",
              "xl/worksheets/sheet1.xml", 1, 0);
    bomb_case("3 GiB of zeros as a sheet", "bomb-zeros-lie.xlsx", "", 1, "", "",
              "xl/worksheets/sheet1.xml", 0, 0);
    bomb_case("3 GiB of zeros as a sheet", "bomb-zeros-lie.xlsx", "", 1, "", "",
              "xl/worksheets/sheet1.xml", 0, 1);
}

TEST(bomb_rows)
{
    bomb_case("3 GiB of <row/> in a sheet", "bomb-rows-true.xlsx", "<row/>", 6, ROWS_HEAD,
              ROWS_TAIL, "xl/worksheets/sheet1.xml", 1, 0);
    bomb_case("3 GiB of <row/> in a sheet", "bomb-rows-lie.xlsx", "<row/>", 6, ROWS_HEAD,
              ROWS_TAIL, "xl/worksheets/sheet1.xml", 0, 0);
    bomb_case("3 GiB of <row/> in a sheet", "bomb-rows-true.xlsx", "<row/>", 6, ROWS_HEAD,
              ROWS_TAIL, "xl/worksheets/sheet1.xml", 1, 1);
    bomb_case("3 GiB of <row/> in a sheet", "bomb-rows-lie.xlsx", "<row/>", 6, ROWS_HEAD,
              ROWS_TAIL, "xl/worksheets/sheet1.xml", 0, 1);
}

/*
 * A bomb whose declared sizes pass every check made before inflating: the
 * declared inflated size is under max_entry_inflated and the declared ratio
 * just under the default max_ratio, while the data really inflates ~1000:1
 * to 3 GiB. Only counting what is really inflated (against the compressed
 * bytes really consumed) can stop it early; whatever stops it must do so in
 * bounded time.
 */
static void bomb_under_declared_limits(const char *what, const char *file, const char *head,
                                       const char *unit, size_t unit_len, const char *tail)
{
    hgq_reader_options def;
    bomb b = {head, unit, unit_len, 3 * GIB, tail, 0, 0, 0};
    uint64_t declared;
    outcome o;
    hgq_reader_options_init(&def);
    /* A first pass learns the compressed size; the second declares. */
    b.declared = 4096;
    if (write_bomb_package(tmp_path(file), "xl/worksheets/sheet1.xml", &b) != 0) {
        T_FAIL("%s: cannot write", what);
        return;
    }
    declared = (uint64_t)b.compressed * (def.max_ratio > 10 ? def.max_ratio - 10 : 1);
    if (declared > def.max_entry_inflated - MIB)
        declared = def.max_entry_inflated - MIB;
    b.declared = declared;
    CHECK(write_bomb_package(tmp_path(file), "xl/worksheets/sheet1.xml", &b) == 0);
    printf("# %s: %zu bytes compressed, %llu declared, %llu real\n", what, b.compressed,
           (unsigned long long)b.declared, (unsigned long long)b.inflated);
    run_case(what, tmp_path(file), NULL, &o);
    expect_error(what, &o, HGQ_ELIMIT, HGQ_EZIP, HGQ_EREF, HGQ_OK);
}

TEST(bomb_rows_declared_under_the_limits)
{
    bomb_under_declared_limits("<row/> bomb under the declared limits", "bomb-rows-under.xlsx",
                               ROWS_HEAD, "<row/>", 6, ROWS_TAIL);
}

TEST(bomb_ignored_elements_declared_under_the_limits)
{
    /* Elements the reader skips: no row limit to hit on the way. */
    bomb_under_declared_limits("skipped-element bomb under the declared limits",
                               "bomb-skip-under.xlsx", SHEET_HEAD "<sheetData/>", "<x/>", 4,
                               "</worksheet>");
}

TEST(bomb_rows_within_lowered_limits)
{
    /* Limits a server would set: the same bombs must stop at them. */
    hgq_reader_options opt;
    run_opts ro = {&opt, 0, 0};
    outcome o;
    hgq_reader_options_init(&opt);
    opt.max_entry_inflated = 16 * MIB;
    opt.max_total_inflated = 32 * MIB;
    run_case("<row/> bomb, true sizes, 16 MB entry limit", tmp_path("bomb-rows-true.xlsx"), &ro, &o);
    expect_error("<row/> bomb, true sizes, 16 MB entry limit", &o, HGQ_ELIMIT, HGQ_OK);
    run_case("<row/> bomb, lying sizes, 16 MB entry limit", tmp_path("bomb-rows-lie.xlsx"), &ro, &o);
    expect_error("<row/> bomb, lying sizes, 16 MB entry limit", &o, HGQ_ELIMIT, HGQ_EZIP,
                 HGQ_EXML, HGQ_OK);
}

TEST(bomb_shared_strings)
{
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
    bomb b = {head, "<si><t>x</t></si>", 17, 3 * GIB, "</sst>", 0, 0, 0};
    outcome o;
    CHECK(write_bomb_package(tmp_path("bomb-sst.xlsx"), "xl/sharedStrings.xml", &b) == 0);
    run_case("3 GiB shared-string part", tmp_path("bomb-sst.xlsx"), NULL, &o);
    expect_error("3 GiB shared-string part", &o, HGQ_ELIMIT, HGQ_OK);
}

static const char LAUGHS[] =
    "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
    "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
    "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">"
    "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">"
    "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">"
    "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">"
    "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">"
    "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">"
    "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">"
    "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">"
    "]>";

TEST(billion_laughs)
{
    static const char sheet[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n%s"
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;</t></is></c></row>"
        "</sheetData></worksheet>";
    static const char sst[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n%s"
        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<si><t>&lol9;</t></si><si><t>&lol9;&lol9;</t></si></sst>";
    static const char attr[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n%s"
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<sheets><sheet name=\"&lol9;\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
    char buf[4096];
    outcome o;
    part p;

    snprintf(buf, sizeof buf, sheet, LAUGHS);
    p = (part){"xl/worksheets/sheet1.xml", buf, 0, NULL, NULL};
    CHECK(write_package(tmp_path("laughs-sheet.xlsx"), &p, 1) == 0);
    run_case("billion laughs in a sheet", tmp_path("laughs-sheet.xlsx"), NULL, &o);
    expect_error("billion laughs in a sheet", &o, HGQ_EXML, HGQ_ELIMIT, HGQ_EUNSUPPORTED, HGQ_OK);

    snprintf(buf, sizeof buf, sst, LAUGHS);
    p = (part){"xl/sharedStrings.xml", buf, 0, NULL, NULL};
    CHECK(write_package(tmp_path("laughs-sst.xlsx"), &p, 1) == 0);
    run_case("billion laughs in shared strings", tmp_path("laughs-sst.xlsx"), NULL, &o);
    expect_error("billion laughs in shared strings", &o, HGQ_EXML, HGQ_ELIMIT, HGQ_EUNSUPPORTED,
                 HGQ_OK);

    snprintf(buf, sizeof buf, attr, LAUGHS);
    p = (part){"xl/workbook.xml", buf, 0, NULL, NULL};
    CHECK(write_package(tmp_path("laughs-workbook.xlsx"), &p, 1) == 0);
    run_case("billion laughs in a sheet name", tmp_path("laughs-workbook.xlsx"), NULL, &o);
    expect_error("billion laughs in a sheet name", &o, HGQ_EXML, HGQ_ELIMIT, HGQ_EUNSUPPORTED,
                 HGQ_OK);
}

/* A local file holding a valid sheet whose only text is the marker. */
static const char *write_secret(void)
{
    static char path[1200];
    FILE *f;
    snprintf(path, sizeof path, "%s", tmp_path("secret.xml"));
    f = fopen(path, "w");
    if (!f)
        return NULL;
    fprintf(f, SHEET_HEAD "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>%s</t>"
               "</is></c></row></sheetData></worksheet>", marker);
    fclose(f);
    return path;
}

TEST(external_entity_is_never_read)
{
    const char *secret = write_secret();
    char dtd[2048], sheet[4096], sst[4096];
    part p[2];
    outcome o;
    CHECK(secret != NULL);
    snprintf(dtd, sizeof dtd,
             "<!DOCTYPE x [<!ENTITY e SYSTEM \"file://%s\"><!ENTITY f SYSTEM \"%s\">"
             "<!ENTITY %% p SYSTEM \"file://%s\"> %%p;]>", secret, secret, secret);
    snprintf(sheet, sizeof sheet,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n%s"
             "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
             "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&e;</t></is></c>"
             "<c r=\"B1\" t=\"inlineStr\"><is><t>x&f;y</t></is></c>"
             "<c r=\"C1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>", dtd);
    snprintf(sst, sizeof sst,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n%s"
             "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
             "<si><t>&e;</t></si></sst>", dtd);
    p[0] = (part){"xl/worksheets/sheet1.xml", sheet, 0, NULL, NULL};
    p[1] = (part){"xl/sharedStrings.xml", sst, 0, NULL, NULL};
    CHECK(write_package(tmp_path("xxe.xlsx"), p, 2) == 0);
    run_case("external entity naming a local file", tmp_path("xxe.xlsx"), NULL, &o);
    /* An error or a success, but never the file's text: run_case checks it. */
    CHECK(o.ran);
}

TEST(ten_million_shared_strings)
{
    static const char head[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
    /* 13-byte items, 1 MiB blocks of 80659: 124 blocks make ten million. */
    bomb b = {head, "<si><t/></si>", 13, UINT64_C(10000000) * 13, "</sst>", 0, 0, 0};
    hgq_reader_options opt;
    run_opts ro = {&opt, 0, 0};
    outcome o;
    CHECK(write_bomb_package(tmp_path("sst-10m.xlsx"), "xl/sharedStrings.xml", &b) == 0);
    CHECK(b.inflated >= UINT64_C(10000000) * 13);

    /* Defaults: a limit (the part compresses ~500:1) or a success. */
    run_case("ten million empty shared strings", tmp_path("sst-10m.xlsx"), NULL, &o);
    if (o.ran && o.status != HGQ_OK && o.status != HGQ_ELIMIT)
        T_FAIL("ten million shared strings: %s: %s", hgq_status_name(o.status), o.message);

    /* With the ratio limit lifted (0 would mean the default), the strings
     * themselves are read: all ten million within the memory bound, or
     * max_shared_strings. */
    hgq_reader_options_init(&opt);
    opt.max_ratio = 1000000;
    run_case("ten million shared strings, no ratio limit", tmp_path("sst-10m.xlsx"), &ro, &o);
    if (o.ran && o.status == HGQ_OK)
        CHECK_EQ_INT(4, o.cells);
    else if (o.ran && (o.status != HGQ_ELIMIT || !strstr(o.message, "max_shared_strings")))
        T_FAIL("ten million shared strings: %s: %s", hgq_status_name(o.status), o.message);

    hgq_reader_options_init(&opt);
    opt.max_ratio = 1000000;
    opt.max_shared_strings = 1000;
    run_case("ten million shared strings, limit 1000", tmp_path("sst-10m.xlsx"), &ro, &o);
    expect_error("ten million shared strings, limit 1000", &o, HGQ_ELIMIT, HGQ_OK);
    if (o.ran && !strstr(o.message, "max_shared_strings"))
        T_FAIL("limit 1000: not stopped by max_shared_strings: %s", o.message);

    /* 100,000 ten-byte strings: 1 MB of text against a 64 KB limit. */
    {
        bomb b2 = {head, "<si><t>0123456789</t></si>", 26, UINT64_C(100000) * 26, "</sst>",
                   0, 0, 0};
        CHECK(write_bomb_package(tmp_path("sst-bytes.xlsx"), "xl/sharedStrings.xml", &b2) == 0);
        hgq_reader_options_init(&opt);
        opt.max_ratio = 1000000;
        opt.max_shared_bytes = 64 * 1024;
        run_case("1 MB of shared-string text, limit 64 KB", tmp_path("sst-bytes.xlsx"), &ro, &o);
        expect_error("1 MB of shared-string text, limit 64 KB", &o, HGQ_ELIMIT, HGQ_OK);
        if (o.ran && !strstr(o.message, "max_shared_bytes"))
            T_FAIL("limit 64 KB: not stopped by max_shared_bytes: %s", o.message);
    }
}

static void bad_sheet_case(const char *what, const char *file, const char *sheet_data,
                           const char *after)
{
    char sheet[4096];
    part p;
    outcome o;
    snprintf(sheet, sizeof sheet, SHEET_HEAD "<sheetData>%s</sheetData>%s</worksheet>",
             sheet_data, after ? after : "");
    p = (part){"xl/worksheets/sheet1.xml", sheet, 0, NULL, NULL};
    if (write_package(tmp_path(file), &p, 1) != 0) {
        T_FAIL("%s: cannot write", what);
        return;
    }
    run_case(what, tmp_path(file), NULL, &o);
    expect_error(what, &o, HGQ_EREF, HGQ_EXML, HGQ_EFORMAT, HGQ_OK);
}

TEST(cell_reference_past_xfd1048576)
{
    bad_sheet_case("cell XFE1", "ref-col.xlsx",
                   "<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", NULL);
    bad_sheet_case("cell A1048577", "ref-row.xlsx",
                   "<row r=\"1048577\"><c r=\"A1048577\"><v>1</v></c></row>", NULL);
    bad_sheet_case("row 1048577 without cell refs", "ref-rowonly.xlsx",
                   "<row r=\"1048577\"><c><v>1</v></c></row>", NULL);
    bad_sheet_case("row 4294967297", "ref-row-wrap.xlsx",
                   "<row r=\"4294967297\"><c r=\"A4294967297\"><v>1</v></c></row>", NULL);
    bad_sheet_case("cell AAAAAAAAAAAAAAAA1", "ref-col-long.xlsx",
                   "<row r=\"1\"><c r=\"AAAAAAAAAAAAAAAA1\"><v>1</v></c></row>", NULL);
    bad_sheet_case("merged range past XFD1048576", "ref-merge.xlsx",
                   "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>",
                   "<mergeCells count=\"1\"><mergeCell ref=\"A1:XFE1048577\"/></mergeCells>");
}

/* The sheet for "16385th cell": cells without r= continue from the last column. */
static void write_wide_row_case(void)
{
    size_t cap = 16400 * 16 + 1024, len;
    char *sheet = malloc(cap);
    size_t i;
    part p;
    outcome o;
    if (!sheet) {
        T_FAIL("out of memory");
        return;
    }
    len = (size_t)snprintf(sheet, cap, SHEET_HEAD "<sheetData><row r=\"1\">");
    for (i = 0; i < 16385; i++)
        len += (size_t)snprintf(sheet + len, cap - len, "<c><v>%zu</v></c>", i % 10);
    snprintf(sheet + len, cap - len, "</row></sheetData></worksheet>");
    p = (part){"xl/worksheets/sheet1.xml", sheet, 0, NULL, NULL};
    CHECK(write_package(tmp_path("ref-col-count.xlsx"), &p, 1) == 0);
    free(sheet);
    run_case("16385 cells in a row without refs", tmp_path("ref-col-count.xlsx"), NULL, &o);
    expect_error("16385 cells in a row without refs", &o, HGQ_EREF, HGQ_OK);
}

TEST(too_many_columns_without_refs)
{
    write_wide_row_case();
}

/* A real workbook, ~100 KB, written by libxlsxwriter. Returns its size. */
static long write_real_workbook(const char *path, unsigned long *cells)
{
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws, *ws2;
    lxw_format *date;
    lxw_datetime dt = {2025, 9, 1, 0, 0, 0};
    static const char *majors[] = {"会计事务", "电子商务", "数控加工", "汽车维修", "计算机应用"};
    struct stat st;
    double sum = 0;
    int r;
    *cells = 0;
    if (!wb)
        return -1;
    ws = workbook_add_worksheet(wb, "学生名册");
    ws2 = workbook_add_worksheet(wb, "统计");
    date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    worksheet_write_string(ws, 0, 0, "学号", NULL);
    worksheet_write_string(ws, 0, 1, "姓名", NULL);
    worksheet_write_string(ws, 0, 2, "专业", NULL);
    worksheet_write_string(ws, 0, 3, "入学日期", NULL);
    worksheet_write_string(ws, 0, 4, "成绩", NULL);
    *cells += 5;
    for (r = 1; r <= 3000; r++) {
        char no[32], name[32];
        snprintf(no, sizeof no, "2025%05d", (r * 7919) % 100000);
        snprintf(name, sizeof name, "学生%d", (r * 104729) % 99991);
        worksheet_write_string(ws, (lxw_row_t)r, 0, no, NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 1, name, NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 2, majors[r % 5], NULL);
        dt.day = 1 + r % 28;
        worksheet_write_datetime(ws, (lxw_row_t)r, 3, &dt, date);
        worksheet_write_number(ws, (lxw_row_t)r, 4, (double)((r * 37) % 1000) / 10.0, NULL);
        sum += (double)((r * 37) % 1000) / 10.0;
        *cells += 5;
    }
    worksheet_merge_range(ws2, 0, 0, 0, 3, "在校生统计", NULL);
    worksheet_write_formula_num(ws2, 1, 0, "=SUM(学生名册!E2:E3001)", NULL, sum);
    worksheet_write_formula_num(ws2, 1, 1, "=COUNTA(学生名册!A2:A3001)", NULL, 3000);
    *cells += 3;
    workbook_define_name(wb, "Students", "=学生名册!$A$1:$E$3001");
    if (workbook_close(wb) != LXW_NO_ERROR)
        return -1;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

TEST(real_workbook_truncated_every_4k)
{
    char path[1200];
    unsigned long cells = 0;
    long size;
    run_opts ro = {NULL, 1, 0};
    outcome o;
    size_t cut;
    int failures = 0, cases = 0;
    snprintf(path, sizeof path, "%s", tmp_path("real.xlsx"));
    size = write_real_workbook(path, &cells);
    CHECK(size > 60 * 1024);
    if (size <= 0)
        return;
    printf("# real workbook: %ld bytes, %lu cells written\n", size, cells);
    /* The whole file reads, every cell of it (merged cells included). */
    run_case("real workbook, whole (file)", path, NULL, &o);
    CHECK_EQ_INT(HGQ_OK, o.status);
    CHECK(o.cells >= cells);
    run_case("real workbook, whole (memory)", path, &ro, &o);
    CHECK_EQ_INT(HGQ_OK, o.status);
    CHECK(o.cells >= cells);
    for (cut = 4096; cut < (size_t)size; cut += 4096) {
        char label[64], cutpath[64];
        FILE *in, *out;
        char buf[4096];
        size_t left = cut, n;
        snprintf(label, sizeof label, "real workbook cut at %zu (memory)", cut);
        ro.truncate_at = cut;
        run_case(label, path, &ro, &o);
        cases++;
        if (o.ran && o.status == HGQ_OK) {
            T_FAIL("%s: read without error", label);
            failures++;
        }
        /* The same through the file API. */
        snprintf(cutpath, sizeof cutpath, "real-%zu.xlsx", cut);
        in = fopen(path, "rb");
        out = fopen(tmp_path(cutpath), "wb");
        if (!in || !out) {
            T_FAIL("cannot copy %s", path);
            if (in)
                fclose(in);
            if (out)
                fclose(out);
            return;
        }
        while (left && (n = fread(buf, 1, left < sizeof buf ? left : sizeof buf, in)) > 0) {
            fwrite(buf, 1, n, out);
            left -= n;
        }
        fclose(in);
        fclose(out);
        snprintf(label, sizeof label, "real workbook cut at %zu (file)", cut);
        run_case(label, tmp_path(cutpath), NULL, &o);
        if (o.ran && o.status == HGQ_OK) {
            T_FAIL("%s: read without error", label);
            failures++;
        }
        remove(tmp_path(cutpath));
    }
    CHECK(cases >= 10);
    CHECK_EQ_INT(0, failures);
}

TEST(duplicate_zip_entries)
{
    static const char other[] = SHEET_HEAD "<sheetData><row r=\"1\"><c r=\"A1\"><v>666</v></c>"
                                "</row></sheetData></worksheet>";
    part p[1];
    outcome o;
    p[0] = (part){"xl/worksheets/sheet1.xml", other, 0, NULL, NULL};
    /* The base part stays; the copy is added after it under the same name. */
    {
        part both[2] = {{"xl/worksheets/sheet1.xml", SHEET, 0, NULL, NULL},
                        {"xl/worksheets/sheet1.xml", other, 0, NULL, NULL}};
        CHECK(write_package(tmp_path("dup-same.xlsx"), both, 2) == 0);
    }
    run_case("the sheet part twice", tmp_path("dup-same.xlsx"), NULL, &o);
    expect_error("the sheet part twice", &o, HGQ_EZIP, HGQ_EPART, HGQ_OK);

    p[0] = (part){"XL/Worksheets/Sheet1.XML", other, 0, NULL, NULL};
    CHECK(write_package(tmp_path("dup-case.xlsx"), p, 1) == 0);
    run_case("the sheet part twice, differing in case", tmp_path("dup-case.xlsx"), NULL, &o);
    expect_error("the sheet part twice, differing in case", &o, HGQ_EZIP, HGQ_EPART, HGQ_OK);

    p[0] = (part){"xl\\worksheets\\sheet1.xml", other, 0, NULL, NULL};
    CHECK(write_package(tmp_path("dup-backslash.xlsx"), p, 1) == 0);
    run_case("the sheet part twice, with backslashes", tmp_path("dup-backslash.xlsx"), NULL, &o);
    expect_error("the sheet part twice, with backslashes", &o, HGQ_EZIP, HGQ_EPART, HGQ_OK);

    {
        part both[2] = {{"[Content_Types].xml", CT, 0, NULL, NULL},
                        {"[Content_Types].xml", CT, 0, NULL, NULL}};
        CHECK(write_package(tmp_path("dup-ct.xlsx"), both, 2) == 0);
    }
    run_case("[Content_Types].xml twice", tmp_path("dup-ct.xlsx"), NULL, &o);
    expect_error("[Content_Types].xml twice", &o, HGQ_EZIP, HGQ_EPART, HGQ_OK);
}

TEST(relationship_outside_the_package)
{
    const char *secret = write_secret();
    char rels[4096], target[1400];
    const char *targets[6];
    size_t i;
    outcome o;
    CHECK(secret != NULL);
    snprintf(target, sizeof target, "../../../../../../../../../..%s", secret);
    targets[0] = "../../etc/passwd";
    targets[1] = "/etc/passwd";
    targets[2] = secret;       /* absolute path of a real file */
    targets[3] = target;       /* climbing out to it */
    targets[4] = "file:///etc/passwd";
    targets[5] = "../../../../../../../../../../../proc/self/environ";
    for (i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        char label[1500], name[64];
        part p;
        snprintf(rels, sizeof rels,
                 WBRELS_HEAD
                 "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"%s\"%s/>"
                 "</Relationships>", targets[i], i == 4 ? " TargetMode=\"External\"" : "");
        p = (part){"xl/_rels/workbook.xml.rels", rels, 0, NULL, NULL};
        snprintf(name, sizeof name, "rel-outside-%zu.xlsx", i);
        CHECK(write_package(tmp_path(name), &p, 1) == 0);
        snprintf(label, sizeof label, "sheet relationship to %.60s", targets[i]);
        run_case(label, tmp_path(name), NULL, &o);
        expect_error(label, &o, HGQ_EPART, HGQ_OK);
    }
}

/* Inserts bad bytes into the first attribute value of the root element. */
static size_t spoil(const char *xml, char *out, size_t size)
{
    static const char bad[] = "\xc3\x28\xff\xed\xa0\x80";
    const char *root = strstr(xml, "?>");
    const char *q;
    size_t head;
    root = root ? strchr(root + 2, '<') : xml;
    q = root ? strchr(root, '"') : NULL;
    if (!q)
        return 0;
    head = (size_t)(q + 1 - xml);
    if (head + sizeof bad + strlen(q + 1) >= size)
        return 0;
    memcpy(out, xml, head);
    memcpy(out + head, bad, sizeof bad - 1);
    strcpy(out + head + sizeof bad - 1, q + 1);
    return strlen(out);
}

TEST(invalid_utf8_in_every_part)
{
    static const struct {
        const char *name;
        const char *xml;
    } parts[] = {
        {"[Content_Types].xml", CT},
        {"_rels/.rels", RELS},
        {"xl/workbook.xml", WB},
        {"xl/_rels/workbook.xml.rels", WBRELS},
        {"xl/sharedStrings.xml", SST},
        {"xl/styles.xml", STY},
        {"xl/worksheets/sheet1.xml", SHEET},
    };
    size_t i;
    for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char buf[8192], label[128], file[64];
        part p;
        outcome o;
        size_t len = spoil(parts[i].xml, buf, sizeof buf);
        CHECK(len > 0);
        p = (part){parts[i].name, buf, len, NULL, NULL};
        snprintf(file, sizeof file, "utf8-%zu.xlsx", i);
        CHECK(write_package(tmp_path(file), &p, 1) == 0);
        snprintf(label, sizeof label, "invalid UTF-8 in %s", parts[i].name);
        run_case(label, tmp_path(file), NULL, &o);
        expect_error(label, &o, HGQ_OK);
    }
    /* And in text content, where it would reach a cell. */
    {
        static const char sst[] =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            "<si><t>\xe5\xa7\x93\xc0\xaf</t></si><si><t>\xf4\x90\x80\x80</t></si></sst>";
        part p = {"xl/sharedStrings.xml", sst, 0, NULL, NULL};
        outcome o;
        CHECK(write_package(tmp_path("utf8-text.xlsx"), &p, 1) == 0);
        run_case("invalid UTF-8 in shared-string text", tmp_path("utf8-text.xlsx"), NULL, &o);
        expect_error("invalid UTF-8 in shared-string text", &o, HGQ_OK);
    }
}

TEST(baseline_package_reads)
{
    /* The package the cases above spoil reads cleanly when left alone. */
    outcome o;
    CHECK(write_package(tmp_path("base.xlsx"), NULL, 0) == 0);
    run_case("the unspoiled package", tmp_path("base.xlsx"), NULL, &o);
    CHECK_EQ_INT(HGQ_OK, o.status);
    CHECK_EQ_INT(1, o.sheets);
    CHECK_EQ_INT(4, o.cells);
    CHECK_EQ_INT(1, o.names);
}

/* }==================================================================== */

int main(void)
{
    const char *t = getenv("HGQ_TMP");
    if (t && *t) {
        snprintf(tmpdir, sizeof tmpdir, "%s/hostile", t);
        mkdir(tmpdir, 0700);
    } else {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/hgq-hostile.XXXXXX");
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            return 2;
        }
    }
    snprintf(marker, sizeof marker, "SECRET-%ld-%ld", (long)getpid(), (long)time(NULL));
    printf("# bounds per case: %ld MB peak resident size, %d s%s\n", MEM_BOUND_MB, TIME_BOUND_S,
           H_SANITIZED ? " (sanitized build)" : "");
    RUN(baseline_package_reads);
    RUN(bomb_small_zip_claiming_gigabytes);
    RUN(bomb_zeros);
    RUN(bomb_rows);
    RUN(bomb_rows_declared_under_the_limits);
    RUN(bomb_ignored_elements_declared_under_the_limits);
    RUN(bomb_rows_within_lowered_limits);
    RUN(bomb_shared_strings);
    RUN(billion_laughs);
    RUN(external_entity_is_never_read);
    RUN(ten_million_shared_strings);
    RUN(cell_reference_past_xfd1048576);
    RUN(too_many_columns_without_refs);
    RUN(real_workbook_truncated_every_4k);
    RUN(duplicate_zip_entries);
    RUN(relationship_outside_the_package);
    RUN(invalid_utf8_in_every_part);
    return t_done();
}
