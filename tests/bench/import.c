/*
 * import.c - reads every cell of the first sheet of a workbook through
 * libhgq's public reader API (hgq_rows_next), all cells typed and dates
 * decoded, and prints what it saw and how long it took.
 *
 *   import FILE.xlsx
 *
 * Output (key=value): rows, cells, strings, numbers, dates, empty, other,
 * text_bytes, checksum, open_s (opening: package, styles, shared strings),
 * rows_s (iterating the sheet), total_s, maxrss_kb.
 */
#include <string.h>

#include "hgq.h"
#include "bench.h"

int main(int argc, char **argv)
{
    hgq_workbook *wb;
    hgq_reader_options opt;
    hgq_rows *rows;
    const hgq_row *row;
    hgq_error err;
    hgq_status st;
    unsigned long long nrows = 0, ncells = 0, nstr = 0, nnum = 0, ndate = 0, nempty = 0;
    unsigned long long nother = 0, text_bytes = 0;
    double checksum = 0, t0, t1, t2;
    size_t i;

    if (argc < 2 || argc > 3)
        bench_die("usage: import FILE.xlsx [THREADS]");
    hgq_reader_options_init(&opt);
    if (argc == 3)
        opt.threads = atoi(argv[2]);
    t0 = bench_now();
    if ((st = hgq_workbook_open(&wb, argv[1], &opt, &err)) != HGQ_OK)
        bench_die("import: %s: %s", argv[1], err.message);
    t1 = bench_now();
    if ((st = hgq_rows_open(&rows, wb, 0, &err)) != HGQ_OK)
        bench_die("import: %s: %s", argv[1], err.message);
    while ((st = hgq_rows_next(rows, &row, &err)) == HGQ_OK && row) {
        nrows++;
        ncells += row->ncells;
        for (i = 0; i < row->ncells; i++) {
            const hgq_cell *c = &row->cells[i];
            switch (c->type) {
            case HGQ_CELL_STRING:
                nstr++;
                text_bytes += c->text_len;
                break;
            case HGQ_CELL_NUMBER:
                nnum++;
                checksum += c->number;
                break;
            case HGQ_CELL_DATE:
                ndate++;
                checksum += c->number;
                break;
            case HGQ_CELL_EMPTY:
                nempty++;
                break;
            default:
                nother++;
                break;
            }
        }
    }
    if (st != HGQ_OK)
        bench_die("import: %s: %s (line %ld)", argv[1], err.message, err.line);
    hgq_rows_free(rows);
    hgq_workbook_free(wb);
    t2 = bench_now();
    printf("rows=%llu\ncells=%llu\nstrings=%llu\nnumbers=%llu\ndates=%llu\nempty=%llu\n"
           "other=%llu\ntext_bytes=%llu\nchecksum=%.0f\nopen_s=%.4f\nrows_s=%.4f\n"
           "total_s=%.4f\nmaxrss_kb=%ld\n",
           nrows, ncells, nstr, nnum, ndate, nempty, nother, text_bytes, checksum, t1 - t0,
           t2 - t1, t2 - t0, bench_maxrss_kb());
    return 0;
}
