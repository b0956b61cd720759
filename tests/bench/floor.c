/*
 * floor.c - what reading a sheet costs at least: inflating the part with
 * minizip and tokenising it with expat whose handlers do nothing. The
 * import benchmark is compared with this.
 *
 *   floor MODE FILE.xlsx [PART]
 *
 * PART defaults to xl/worksheets/sheet1.xml. MODE:
 *   inflate   inflate only, no parsing
 *   expat     inflate + expat without namespace processing, empty handlers
 *   ns        inflate + expat with namespace processing (as libhgq's reader
 *             parses), empty start, end and character handlers: the floor
 *   pipe      as ns, but inflating in a second thread that hands 256 KiB
 *             blocks to the parsing thread
 *   split     the main thread inflates and cuts the part into ~1 MiB
 *             segments at row boundaries (after a "</row>"); two threads
 *             parse the segments, each inside a copy of the root element's
 *             start tag, with namespace processing and empty handlers: the
 *             two-core floor of a reader that parses rows in parallel
 *             (BENCH_SPLIT_SEGMENT=bytes sets the segment size, for tests)
 *   sst       as ns over xl/sharedStrings.xml, also counting the strings and
 *             their bytes, to estimate the shared-string table's memory
 *   scan      inflate + libhgq's own XML tokenizer (the reader's default,
 *             through the internal hgq_xml interface) with the same empty
 *             handlers: the floor of the reader as it parses today
 *   scansst   as scan over xl/sharedStrings.xml, counting as sst does
 *
 * Output (key=value): mode, part_bytes, elements, seconds, maxrss_kb, and
 * for sst: sst_count, sst_text_bytes, sst_mem_bytes (text + NULs + one
 * 8-byte offset per string, as libhgq keeps the table).
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <expat.h>
#include <unzip.h>

#include "bench.h"
#include "xlsx.h"

#define CHUNK 65536
#define PIPE_BLOCK (256 * 1024)
#define PIPE_SLOTS 8

typedef struct counts {
    unsigned long long elements;
    unsigned long long si, text_bytes;
    int in_t, depth_rph;
} counts;

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)name;
    (void)atts;
    ((counts *)ud)->elements++;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    (void)ud;
    (void)name;
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    (void)ud;
    (void)s;
    (void)len;
}

/* The shared-string counter: <si> elements and the text of their <t>s,
 * phonetic runs (<rPh>) left out as the reader leaves them out. */
static const char *local(const char *name)
{
    const char *sep = strrchr(name, '\x01');
    return sep ? sep + 1 : name;
}

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    counts *c = ud;
    const char *l = local(name);
    (void)atts;
    c->elements++;
    if (strcmp(l, "si") == 0)
        c->si++;
    else if (strcmp(l, "rPh") == 0)
        c->depth_rph++;
    else if (strcmp(l, "t") == 0 && !c->depth_rph)
        c->in_t = 1;
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
    counts *c = ud;
    const char *l = local(name);
    if (strcmp(l, "rPh") == 0)
        c->depth_rph--;
    else if (strcmp(l, "t") == 0)
        c->in_t = 0;
}

static void XMLCALL sst_text(void *ud, const XML_Char *s, int len)
{
    counts *c = ud;
    (void)s;
    if (c->in_t)
        c->text_bytes += (unsigned long long)len;
}

static unzFile open_part(const char *file, const char *part)
{
    unzFile uf = unzOpen64(file);
    if (!uf)
        bench_die("floor: cannot open %s as a zip", file);
    if (unzLocateFile(uf, part, 0) != UNZ_OK)
        bench_die("floor: %s has no part %s", file, part);
    if (unzOpenCurrentFile(uf) != UNZ_OK)
        bench_die("floor: cannot inflate %s", part);
    return uf;
}

static XML_Parser new_parser(int ns, counts *c, int sst)
{
    XML_Parser p = ns ? XML_ParserCreateNS(NULL, '\x01') : XML_ParserCreate(NULL);
    if (!p)
        bench_die("floor: out of memory");
    XML_SetUserData(p, c);
    if (sst) {
        XML_SetElementHandler(p, sst_start, sst_end);
        XML_SetCharacterDataHandler(p, sst_text);
    } else {
        XML_SetElementHandler(p, on_start, on_end);
        XML_SetCharacterDataHandler(p, on_text);
    }
    return p;
}

static void parse_fail(XML_Parser p)
{
    bench_die("floor: XML error at line %lu: %s", (unsigned long)XML_GetCurrentLineNumber(p),
              XML_ErrorString(XML_GetErrorCode(p)));
}

/* One thread: inflate into expat's own buffer, parse, repeat. */
static unsigned long long run_serial(const char *file, const char *part, int parse, int ns,
                                     int sst, counts *c)
{
    unzFile uf = open_part(file, part);
    XML_Parser p = parse ? new_parser(ns, c, sst) : NULL;
    static char plain[CHUNK];
    unsigned long long total = 0;
    for (;;) {
        void *buf = p ? XML_GetBuffer(p, CHUNK) : plain;
        int n;
        if (!buf)
            bench_die("floor: out of memory");
        n = unzReadCurrentFile(uf, buf, CHUNK);
        if (n < 0)
            bench_die("floor: inflate error %d", n);
        total += (unsigned long long)n;
        if (p && XML_ParseBuffer(p, n, n == 0) == XML_STATUS_ERROR)
            parse_fail(p);
        if (n == 0)
            break;
    }
    if (unzCloseCurrentFile(uf) != UNZ_OK)
        bench_die("floor: CRC error in %s", part);
    unzClose(uf);
    if (p)
        XML_ParserFree(p);
    return total;
}

/* libhgq's tokenizer over the part, inflated by libhgq's zip layer. */
static unsigned long long run_scan(const char *file, const char *part, int sst, counts *c)
{
    hgq_reader_options opt;
    hgq_zip *z;
    hgq_xml x;
    hgq_error err;
    long entry;
    uint64_t size;
    hgq_reader_options_init(&opt);
    if (hgq_zip_open_file(&z, file, NULL, &opt, &err) != HGQ_OK)
        bench_die("floor: %s: %s", file, err.message);
    if ((entry = hgq_zip_find(z, part)) < 0)
        bench_die("floor: %s has no part %s", file, part);
    size = hgq_zip_size(z, (size_t)entry);
    if (hgq_xml_open(&x, z, part, file, c, sst ? sst_start : on_start, sst ? sst_end : on_end,
                     sst ? sst_text : on_text, &err) != HGQ_OK ||
        hgq_xml_run(&x, &err) != HGQ_OK)
        bench_die("floor: %s: %s (line %ld)", part, err.message, err.line);
    hgq_xml_close(&x);
    hgq_zip_free(z);
    return (unsigned long long)size;
}

/* {====================================================================
 * Two threads: the inflater fills blocks, the parser consumes them.
 * ===================================================================== */

typedef struct pipe_state {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *block[PIPE_SLOTS];
    int len[PIPE_SLOTS];
    unsigned long long head, tail;   /* blocks produced and consumed */
    unzFile uf;
    int failed;
} pipe_state;

static void *inflater(void *arg)
{
    pipe_state *ps = arg;
    for (;;) {
        int slot, n, got = 0;
        pthread_mutex_lock(&ps->mu);
        while (ps->head - ps->tail == PIPE_SLOTS)
            pthread_cond_wait(&ps->cv, &ps->mu);
        slot = (int)(ps->head % PIPE_SLOTS);
        pthread_mutex_unlock(&ps->mu);
        /* fill the block; unzReadCurrentFile may return less than asked */
        do {
            n = unzReadCurrentFile(ps->uf, ps->block[slot] + got, PIPE_BLOCK - got);
            if (n > 0)
                got += n;
        } while (n > 0 && got < PIPE_BLOCK);
        pthread_mutex_lock(&ps->mu);
        if (n < 0)
            ps->failed = 1;
        ps->len[slot] = got;
        ps->head++;
        pthread_cond_broadcast(&ps->cv);
        pthread_mutex_unlock(&ps->mu);
        if (n <= 0 && got < PIPE_BLOCK)
            break;
    }
    return NULL;
}

static unsigned long long run_pipe(const char *file, const char *part, counts *c)
{
    pipe_state ps;
    pthread_t th;
    XML_Parser p = new_parser(1, c, 0);
    unsigned long long total = 0;
    int i;
    memset(&ps, 0, sizeof ps);
    pthread_mutex_init(&ps.mu, NULL);
    pthread_cond_init(&ps.cv, NULL);
    for (i = 0; i < PIPE_SLOTS; i++)
        if (!(ps.block[i] = malloc(PIPE_BLOCK)))
            bench_die("floor: out of memory");
    ps.uf = open_part(file, part);
    if (pthread_create(&th, NULL, inflater, &ps) != 0)
        bench_die("floor: cannot start a thread");
    for (;;) {
        int slot, n, failed;
        pthread_mutex_lock(&ps.mu);
        while (ps.head == ps.tail)
            pthread_cond_wait(&ps.cv, &ps.mu);
        slot = (int)(ps.tail % PIPE_SLOTS);
        n = ps.len[slot];
        failed = ps.failed;
        pthread_mutex_unlock(&ps.mu);
        if (failed)
            bench_die("floor: inflate error");
        if (XML_Parse(p, ps.block[slot], n, n < PIPE_BLOCK) == XML_STATUS_ERROR)
            parse_fail(p);
        total += (unsigned long long)n;
        pthread_mutex_lock(&ps.mu);
        ps.tail++;
        pthread_cond_broadcast(&ps.cv);
        pthread_mutex_unlock(&ps.mu);
        if (n < PIPE_BLOCK)
            break;
    }
    pthread_join(th, NULL);
    if (unzCloseCurrentFile(ps.uf) != UNZ_OK)
        bench_die("floor: CRC error in %s", part);
    unzClose(ps.uf);
    for (i = 0; i < PIPE_SLOTS; i++)
        free(ps.block[i]);
    XML_ParserFree(p);
    pthread_mutex_destroy(&ps.mu);
    pthread_cond_destroy(&ps.cv);
    return total;
}

/* }==================================================================== */

/* {====================================================================
 * Row-parallel parsing: segments cut at "</row>", parsed by two threads.
 * ===================================================================== */

#define SPLIT_SEGMENT_DEFAULT (1024 * 1024)
#define SPLIT_SLOTS 8
#define SPLIT_WORKERS 2

typedef struct segment {
    char *data;
    size_t len, cap;
    int first, last;
    int busy;                       /* handed to a worker and not parsed yet */
} segment;

typedef struct split_state {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    segment seg[SPLIT_SLOTS];
    unsigned long long produced, taken, done;
    int finished;
    char *root;                     /* "<worksheet ...><sheetData>" from the part */
    size_t root_len;
    unsigned long long elements;
} split_state;

static const char SPLIT_TAIL[] = "</sheetData></worksheet>";

static void *split_worker(void *arg)
{
    split_state *ss = arg;
    for (;;) {
        segment *sg;
        counts c;
        XML_Parser p;
        unsigned long long idx;
        pthread_mutex_lock(&ss->mu);
        while (ss->taken == ss->produced && !ss->finished)
            pthread_cond_wait(&ss->cv, &ss->mu);
        if (ss->taken == ss->produced) {
            pthread_mutex_unlock(&ss->mu);
            break;
        }
        idx = ss->taken++;
        sg = &ss->seg[idx % SPLIT_SLOTS];
        pthread_mutex_unlock(&ss->mu);

        memset(&c, 0, sizeof c);
        p = new_parser(1, &c, 0);
        if (!sg->first && XML_Parse(p, ss->root, (int)ss->root_len, 0) == XML_STATUS_ERROR)
            parse_fail(p);
        if (XML_Parse(p, sg->data, (int)sg->len, sg->last) == XML_STATUS_ERROR)
            parse_fail(p);
        if (!sg->last && XML_Parse(p, SPLIT_TAIL, (int)sizeof SPLIT_TAIL - 1, 1) ==
                             XML_STATUS_ERROR)
            parse_fail(p);
        XML_ParserFree(p);

        pthread_mutex_lock(&ss->mu);
        /* the root and sheetData start tags of later segments are synthetic */
        ss->elements += c.elements - (sg->first ? 0 : 2);
        sg->busy = 0;
        ss->done++;
        pthread_cond_broadcast(&ss->cv);
        pthread_mutex_unlock(&ss->mu);
    }
    return NULL;
}

/* Finds the end of the last "</row>" in s[0..n), or 0. */
static size_t last_row_end(const char *s, size_t n)
{
    size_t i;
    for (i = n; i >= 6; i--)
        if (s[i - 1] == '>' && memcmp(s + i - 6, "</row>", 6) == 0)
            return i;
    return 0;
}

static unsigned long long run_split(const char *file, const char *part, counts *out)
{
    split_state ss;
    pthread_t th[SPLIT_WORKERS];
    unzFile uf = open_part(file, part);
    const char *env = getenv("BENCH_SPLIT_SEGMENT");
    size_t SPLIT_SEGMENT = env && atol(env) >= 4096 ? (size_t)atol(env) : SPLIT_SEGMENT_DEFAULT;
    char *buf = malloc(2 * SPLIT_SEGMENT);
    size_t have = 0;
    unsigned long long total = 0;
    int i, first = 1, eof = 0;
    if (!buf)
        bench_die("floor: out of memory");
    memset(&ss, 0, sizeof ss);
    pthread_mutex_init(&ss.mu, NULL);
    pthread_cond_init(&ss.cv, NULL);
    for (i = 0; i < SPLIT_WORKERS; i++)
        if (pthread_create(&th[i], NULL, split_worker, &ss) != 0)
            bench_die("floor: cannot start a thread");
    while (!eof) {
        size_t cut;
        segment *sg;
        int n = unzReadCurrentFile(uf, buf + have, (unsigned)(2 * SPLIT_SEGMENT - have));
        if (n < 0)
            bench_die("floor: inflate error %d", n);
        total += (unsigned long long)n;
        have += (size_t)n;
        eof = n == 0;
        if (!eof && have < SPLIT_SEGMENT)
            continue;
        if (first && !ss.root) {
            /* the root element's start tag, through <sheetData> */
            const char *sd = NULL, *ws = NULL;
            size_t k;
            for (k = 0; k + 11 <= have && !sd; k++)
                if (memcmp(buf + k, "<sheetData>", 11) == 0)
                    sd = buf + k + 11;
            for (k = 0; k + 10 <= have && !ws; k++)
                if (memcmp(buf + k, "<worksheet", 10) == 0)
                    ws = buf + k;
            if (!sd || !ws)
                bench_die("floor: split: no <worksheet ...><sheetData> at the start");
            {
                /* keep the namespace declarations, drop the rest of the header */
                const char *gt = memchr(ws, '>', (size_t)(sd - ws));
                size_t tag = (size_t)(gt - ws) + 1;
                ss.root = malloc(tag + 11);
                memcpy(ss.root, ws, tag);
                memcpy(ss.root + tag, "<sheetData>", 11);
                ss.root_len = tag + 11;
            }
        }
        cut = eof ? have : last_row_end(buf, have);
        if (cut == 0) {
            if (have == 2 * SPLIT_SEGMENT)
                bench_die("floor: split: a row longer than %zu bytes", SPLIT_SEGMENT);
            continue;
        }
        pthread_mutex_lock(&ss.mu);
        sg = &ss.seg[ss.produced % SPLIT_SLOTS];
        while (sg->busy)
            pthread_cond_wait(&ss.cv, &ss.mu);
        pthread_mutex_unlock(&ss.mu);
        if (sg->cap < cut) {
            free(sg->data);
            sg->data = malloc(cut);
            sg->cap = cut;
            if (!sg->data)
                bench_die("floor: out of memory");
        }
        memcpy(sg->data, buf, cut);
        sg->len = cut;
        sg->first = first;
        sg->last = eof;
        first = 0;
        memmove(buf, buf + cut, have - cut);
        have -= cut;
        pthread_mutex_lock(&ss.mu);
        sg->busy = 1;
        ss.produced++;
        pthread_cond_broadcast(&ss.cv);
        pthread_mutex_unlock(&ss.mu);
    }
    pthread_mutex_lock(&ss.mu);
    ss.finished = 1;
    pthread_cond_broadcast(&ss.cv);
    pthread_mutex_unlock(&ss.mu);
    for (i = 0; i < SPLIT_WORKERS; i++)
        pthread_join(th[i], NULL);
    if (unzCloseCurrentFile(uf) != UNZ_OK)
        bench_die("floor: CRC error in %s", part);
    unzClose(uf);
    out->elements = ss.elements;
    for (i = 0; i < SPLIT_SLOTS; i++)
        free(ss.seg[i].data);
    free(ss.root);
    free(buf);
    pthread_mutex_destroy(&ss.mu);
    pthread_cond_destroy(&ss.cv);
    return total;
}

/* }==================================================================== */

int main(int argc, char **argv)
{
    const char *mode, *file, *part;
    counts c;
    unsigned long long bytes;
    double t0, t;

    if (argc < 3)
        bench_die("usage: floor inflate|expat|ns|pipe|split|sst|scan|scansst FILE.xlsx [PART]");
    mode = argv[1];
    file = argv[2];
    part = argc > 3 ? argv[3]
         : strcmp(mode, "sst") == 0 || strcmp(mode, "scansst") == 0 ? "xl/sharedStrings.xml"
                                                                      : "xl/worksheets/sheet1.xml";
    memset(&c, 0, sizeof c);
    t0 = bench_now();
    if (strcmp(mode, "inflate") == 0)
        bytes = run_serial(file, part, 0, 0, 0, &c);
    else if (strcmp(mode, "expat") == 0)
        bytes = run_serial(file, part, 1, 0, 0, &c);
    else if (strcmp(mode, "ns") == 0)
        bytes = run_serial(file, part, 1, 1, 0, &c);
    else if (strcmp(mode, "sst") == 0)
        bytes = run_serial(file, part, 1, 1, 1, &c);
    else if (strcmp(mode, "scan") == 0)
        bytes = run_scan(file, part, 0, &c);
    else if (strcmp(mode, "scansst") == 0)
        bytes = run_scan(file, part, 1, &c);
    else if (strcmp(mode, "pipe") == 0)
        bytes = run_pipe(file, part, &c);
    else if (strcmp(mode, "split") == 0)
        bytes = run_split(file, part, &c);
    else
        bench_die("floor: unknown mode %s", mode);
    t = bench_now() - t0;
    printf("mode=%s\npart=%s\npart_bytes=%llu\nelements=%llu\nseconds=%.4f\nmaxrss_kb=%ld\n",
           mode, part, bytes, c.elements, t, bench_maxrss_kb());
    if (strcmp(mode, "sst") == 0 || strcmp(mode, "scansst") == 0)
        printf("sst_count=%llu\nsst_text_bytes=%llu\nsst_mem_bytes=%llu\n", c.si, c.text_bytes,
               c.text_bytes + c.si + 8 * (c.si + 1));
    return 0;
}
