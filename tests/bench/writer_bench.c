/*
 * writer_bench.c - writing a large detail sheet in constant-memory mode:
 * libhgq's writer (titled table, two formats, totals row, safe rename)
 * against libxlsxwriter used directly for the same cells.
 *
 *   PROGRAMS=writer_bench sh tests/bench/build.sh build    (or by hand:)
 *   cc -O2 -Ilibhgq/include tests/bench/writer_bench.c build/libhgq.a \
 *      $(pkg-config --cflags --libs xlsxwriter expat minizip zlib) -lm -o writer_bench
 *   ./writer_bench [rows] [dir]
 *
 * Each variant runs in its own process so that its peak RSS is its own.
 * Prints one line per variant: wall and CPU seconds, peak RSS, file size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "hgq.h"

#define NCOLS 12

static const char *const majors[] = {"数控加工", "电气自动化设备安装与维修", "计算机应用与维修",
                                     "会计", "汽车维修"};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int run_raw(const char *path, long rows)
{
    lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "明细");
    lxw_format *integer = workbook_add_format(wb), *number = workbook_add_format(wb);
    char no[32];
    long r;
    int c;
    format_set_num_format(integer, "0");
    format_set_num_format(number, "0.00");
    for (c = 0; c < NCOLS; c++) {
        char h[16];
        snprintf(h, sizeof h, "列%d", c + 1);
        worksheet_write_string(ws, 0, (lxw_col_t)c, h, NULL);
    }
    for (r = 0; r < rows; r++) {
        snprintf(no, sizeof no, "2025%07ld", r);
        worksheet_write_string(ws, (lxw_row_t)r + 1, 0, no, NULL);
        worksheet_write_string(ws, (lxw_row_t)r + 1, 1, "学生姓名", NULL);
        worksheet_write_string(ws, (lxw_row_t)r + 1, 2, majors[r % 5], NULL);
        for (c = 3; c < NCOLS; c++) {
            if (c % 2)
                worksheet_write_number(ws, (lxw_row_t)r + 1, (lxw_col_t)c, (double)(r % 100 + c), integer);
            else
                worksheet_write_number(ws, (lxw_row_t)r + 1, (lxw_col_t)c, (r % 1000) / 8.0, number);
        }
    }
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

static int run_hgq(const char *path, long rows)
{
    hgq_writer_options opt;
    hgq_writer *w;
    hgq_writer_sheet *sh;
    hgq_table_layout t;
    hgq_error err;
    const char *header[NCOLS], *formats[NCOLS];
    char hbuf[NCOLS][16], no[32];
    hgq_value v[NCOLS];
    long r;
    int c;
    hgq_writer_options_init(&opt);
    opt.constant_memory = 1;
    if (hgq_writer_new(&w, path, &opt, &err) || hgq_writer_add_sheet(w, "明细", NULL, &sh, &err))
        goto fail;
    for (c = 0; c < NCOLS; c++) {
        snprintf(hbuf[c], sizeof hbuf[c], "列%d", c + 1);
        header[c] = hbuf[c];
        formats[c] = c < 3 ? "text" : c % 2 ? "integer" : "number";
    }
    hgq_table_layout_init(&t);
    t.title = "学生明细";
    t.ncols = NCOLS;
    t.header_rows = 1;
    t.header = header;
    t.formats = formats;
    t.totals_row = "合计";
    if (hgq_writer_sheet_begin_table(sh, &t, NULL, &err))
        goto fail;
    for (r = 0; r < rows; r++) {
        snprintf(no, sizeof no, "2025%07ld", r);
        v[0] = hgq_text(no);
        v[1] = hgq_text("学生姓名");
        v[2] = hgq_text(majors[r % 5]);
        for (c = 3; c < NCOLS; c++)
            v[c] = c % 2 ? hgq_int(r % 100 + c) : hgq_num((r % 1000) / 8.0);
        if (hgq_writer_sheet_append_row(sh, v, NCOLS, &err))
            goto fail;
    }
    if (hgq_writer_sheet_end_table(sh, NULL, &err) || hgq_writer_close(w, &err))
        goto fail;
    hgq_writer_free(w);
    return 0;
fail:
    fprintf(stderr, "%s\n", err.message);
    return 1;
}

static void measure(const char *name, int (*fn)(const char *, long), const char *path, long rows)
{
    double t0 = now();
    pid_t pid = fork();
    int status = 0;
    struct rusage ru;
    struct stat st;
    if (pid == 0)
        _exit(fn(path, rows));
    wait4(pid, &status, 0, &ru);
    if (stat(path, &st) != 0)
        st.st_size = 0;
    printf("%-22s rows=%ld cols=%d  wall %7.2f s  cpu %7.2f s  peak RSS %6.1f MiB  "
           "file %6.1f MiB  %s\n", name, rows, NCOLS, now() - t0,
           ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec +
               ru.ru_stime.tv_usec / 1e6,
           ru.ru_maxrss / 1024.0, st.st_size / 1048576.0,
           WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ok" : "FAILED");
    unlink(path);
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    char a[1024], b[1024];
    snprintf(a, sizeof a, "%s/bench_raw.xlsx", dir);
    snprintf(b, sizeof b, "%s/bench_hgq.xlsx", dir);
    measure("libxlsxwriter direct", run_raw, a, rows);
    measure("hgq_writer", run_hgq, b, rows);
    return 0;
}
