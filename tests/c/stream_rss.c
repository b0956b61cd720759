/*
 * stream_rss.c - measures how much memory and time reading a big sheet
 * takes. Not a test (nothing is asserted; it is not built by make test):
 * a helper to check that streaming keeps the peak resident size flat as
 * the row count grows.
 *
 *   cc -O2 -Ilibhgq/include -o build/stream_rss tests/c/stream_rss.c \
 *       build/libhgq.a $(pkg-config --libs expat minizip zlib xlsxwriter) -lm
 *   build/stream_rss write 1000000 /tmp/big.xlsx      # libxlsxwriter, constant_memory
 *   build/stream_rss read /tmp/big.xlsx               # peak RSS of the reading process
 *
 * The sheet has ROWS rows of 8 cells: a row number, a name from a set of 50
 * shared strings, a date (date format), a float, a boolean, a formula with
 * its cached value, an inline-width text of 20 characters and an integer.
 * Only the 50 names land in the shared-string table, so reading should need
 * the same memory for 100k rows as for 1M.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <xlsxwriter.h>

#include "hgq.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_book(long rows, const char *path)
{
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &wo);
    lxw_worksheet *ws;
    lxw_format *date;
    lxw_datetime dt = {2025, 9, 1, 0, 0, 0};
    char name[32], text[32];
    long r;
    if (!wb)
        return 1;
    ws = workbook_add_worksheet(wb, "数据");
    date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    for (r = 0; r < rows; r++) {
        snprintf(name, sizeof name, "姓名%02ld", r % 50);
        snprintf(text, sizeof text, "text-%014ld", r);
        worksheet_write_number(ws, (lxw_row_t)r, 0, (double)r + 1, NULL);
        worksheet_write_string(ws, (lxw_row_t)r, 1, name, NULL);
        dt.day = 1 + (int)(r % 28);
        worksheet_write_datetime(ws, (lxw_row_t)r, 2, &dt, date);
        worksheet_write_number(ws, (lxw_row_t)r, 3, r * 0.125 + 0.1, NULL);
        worksheet_write_boolean(ws, (lxw_row_t)r, 4, (int)(r & 1), NULL);
        worksheet_write_formula_num(ws, (lxw_row_t)r, 5, "=A1*2", NULL, 2.0 * (r + 1));
        worksheet_write_string(ws, (lxw_row_t)r, 6, text, NULL);
        worksheet_write_number(ws, (lxw_row_t)r, 7, (double)(r * 7 % 1000), NULL);
    }
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

static int read_book(const char *path)
{
    hgq_workbook *wb;
    hgq_rows *rows;
    const hgq_row *row;
    hgq_error err;
    hgq_status st;
    struct rusage ru;
    long nrows = 0, ncells = 0;
    double sum = 0, t0 = now(), t1;
    if (hgq_workbook_open(&wb, path, NULL, &err) != HGQ_OK ||
        hgq_rows_open(&rows, wb, 0, &err) != HGQ_OK) {
        char msg[1024];
        hgq_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    while ((st = hgq_rows_next(rows, &row, &err)) == HGQ_OK && row) {
        size_t i;
        nrows++;
        ncells += (long)row->ncells;
        for (i = 0; i < row->ncells; i++)
            if (row->cells[i].type == HGQ_CELL_NUMBER)
                sum += row->cells[i].number;
    }
    t1 = now();
    hgq_rows_free(rows);
    hgq_workbook_free(wb);
    if (st != HGQ_OK) {
        char msg[1024];
        hgq_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "%s\n", msg);
        return 1;
    }
    getrusage(RUSAGE_SELF, &ru);
    printf("rows %ld cells %ld sum %.6g: %.2f s, %.0f cells/s, peak RSS %ld KiB\n", nrows,
           ncells, sum, t1 - t0, ncells / (t1 - t0), ru.ru_maxrss);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "write") == 0)
        return write_book(atol(argv[2]), argv[3]);
    if (argc == 3 && strcmp(argv[1], "read") == 0)
        return read_book(argv[2]);
    fprintf(stderr, "usage: stream_rss write ROWS FILE | stream_rss read FILE\n");
    return 2;
}
