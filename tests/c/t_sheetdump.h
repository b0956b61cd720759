/*
 * t_sheetdump.h - a sheet read into one string, to compare two readings of
 * it (the serial reader and the one on several cores): every row and cell,
 * then the final status with the error's message, part, sheet, cell, line
 * and column. Used by tests/c/test_sheetpar.c and tests/fuzz/fuzz_sheetpar.c.
 * Include after hgq.h and internal.h (hgq_buf).
 */
#ifndef HGQ_T_SHEETDUMP_H
#define HGQ_T_SHEETDUMP_H

#include <stdio.h>
#include <string.h>

/* One cell: position, type, value, text, format, style (and the text length
 * when the text holds a NUL). */
static inline void dump_cell(hgq_buf *b, const hgq_cell *c)
{
    hgq_buf_printf(b, " %u:%u %s %.17g [%s] {%s} %u", c->row, c->col,
                   hgq_cell_type_code(c->type), c->number, c->text ? c->text : "-",
                   c->numfmt, c->style);
    if (c->text && strlen(c->text) != c->text_len)
        hgq_buf_printf(b, " len=%zu", c->text_len);
}

/* A failed call: its status and every field of the error. */
static inline void dump_error(hgq_buf *b, const char *what, hgq_status st, const hgq_error *err)
{
    hgq_buf_printf(b, "\n%s %s: %s (part %s, sheet %s, cell %s, line %ld, column %ld)", what,
                   hgq_status_name(st), err->message, err->part, err->sheet, err->cell,
                   err->line, err->column);
}

/* Appends the rows of sheet `sheet` of `wb`, closing the iterator after
 * `stop_after` rows when that is not 0. Returns the rows read. */
static inline size_t dump_sheet(hgq_buf *b, hgq_workbook *wb, size_t sheet, size_t stop_after)
{
    hgq_rows *rows;
    const hgq_row *row;
    hgq_error err;
    hgq_status st;
    size_t k = 0;
    hgq_buf_printf(b, "\nsheet %zu:", sheet);
    st = hgq_rows_open(&rows, wb, sheet, &err);
    if (st != HGQ_OK) {
        dump_error(b, "open", st, &err);
        return 0;
    }
    while ((st = hgq_rows_next(rows, &row, &err)) == HGQ_OK && row) {
        size_t i;
        hgq_buf_printf(b, "\nrow %u:", row->index);
        for (i = 0; i < row->ncells; i++)
            dump_cell(b, &row->cells[i]);
        if (++k == stop_after)
            break;
    }
    if (st != HGQ_OK)
        dump_error(b, "error", st, &err);
    hgq_rows_free(rows);
    return k;
}

/* Appends the merged ranges of sheet `sheet`, or the error. */
static inline void dump_merges(hgq_buf *b, hgq_workbook *wb, size_t sheet)
{
    const hgq_range *m;
    size_t n, i;
    hgq_error err;
    hgq_status st = hgq_workbook_merges(wb, sheet, &m, &n, &err);
    hgq_buf_printf(b, "\nmerges %zu:", sheet);
    if (st != HGQ_OK) {
        dump_error(b, "error", st, &err);
        return;
    }
    for (i = 0; i < n; i++)
        hgq_buf_printf(b, " %u:%u-%u:%u", m[i].first_row, m[i].first_col, m[i].last_row,
                       m[i].last_col);
}

/* Length of the line at s, 240 at most. */
static inline int dump_line_len(const char *s)
{
    int n = 0;
    while (s[n] && s[n] != '\n' && n < 240)
        n++;
    return n;
}

/* 1 when two dumps are the same; else prints the first line where they
 * differ to `f`, each line after `lead`. */
static inline int dump_same(FILE *f, const char *lead, const hgq_buf *a, const hgq_buf *b)
{
    const char *x = a->data ? a->data : "", *y = b->data ? b->data : "";
    const char *lx = x, *ly = y;
    size_t line = 1;
    if (a->len == b->len && memcmp(x, y, a->len) == 0)
        return 1;
    while (*x && *x == *y) {
        if (*x == '\n') {
            line++;
            lx = x + 1;
            ly = y + 1;
        }
        x++;
        y++;
    }
    fprintf(f, "%sline %zu: serial   %.*s\n%sline %zu: parallel %.*s\n", lead, line,
            dump_line_len(lx), lx, lead, line, dump_line_len(ly), ly);
    return 0;
}

#endif
