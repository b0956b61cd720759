/*
 * raw_write.c - writes the R roster with libxlsxwriter directly: the same
 * cells as `gen roster` writes through libhgq's writer (header row, the 12
 * columns, the same number formats, fonts and borders, a frozen header
 * row and fitted column widths computed once), so the difference is what
 * libhgq's writer adds.
 *
 *   raw_write OUT.xlsx NROWS [cm]
 *
 * Prints rows=, gen_s= (making the values alone), write_s= (total minus
 * gen_s), total_s=, write_cpu= (the same in CPU time), maxrss_kb=.
 */
#include <string.h>

#include <xlsxwriter.h>

#include "bench.h"
#include "roster.h"

static lxw_format *body_format(lxw_workbook *wb, const char *numfmt)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, "宋体");
    format_set_font_size(f, 11);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (numfmt)
        format_set_num_format(f, numfmt);
    format_set_border(f, LXW_BORDER_THIN);
    return f;
}

static void ok(lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR)
        bench_die("raw_write: %s: %s", what, lxw_strerror(e));
}

int main(int argc, char **argv)
{
    static const double widths[12] = {17.43, 9, 6.86, 21.57, 13.29, 27.86,
                                      18.43, 11.14, 6.86, 11.14, 17.43, 11.14};
    lxw_workbook_options wo = {0};
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *header, *text, *date, *integer;
    bench_rng rng = {20250901};
    bench_student s;
    double t0, c0, gen_s, gen_cpu, total_s, total_cpu;
    volatile size_t sink = 0;
    long i, nrows;
    int c;

    if (argc < 3)
        bench_die("usage: raw_write OUT.xlsx NROWS [cm]");
    nrows = atol(argv[2]);
    wo.constant_memory = argc > 3 && strcmp(argv[3], "cm") == 0;

    t0 = bench_now();
    c0 = bench_cpu();
    for (i = 0; i < nrows; i++) {
        bench_make_student(&rng, &s, 1, i, 0, (int)NELEM(MAJORS));
        sink += strlen(s.name) + (size_t)s.birth;
    }
    gen_s = bench_now() - t0;
    gen_cpu = bench_cpu() - c0;

    rng.s = 20250901;
    t0 = bench_now();
    c0 = bench_cpu();
    wb = workbook_new_opt(argv[1], &wo);
    if (!wb)
        bench_die("raw_write: cannot create %s", argv[1]);
    ws = workbook_add_worksheet(wb, "学生名册");
    header = workbook_add_format(wb);
    format_set_font_name(header, "宋体");
    format_set_font_size(header, 11);
    format_set_bold(header);
    format_set_align(header, LXW_ALIGN_CENTER);
    format_set_align(header, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(header);
    format_set_border(header, LXW_BORDER_THIN);
    text = body_format(wb, "@");
    date = body_format(wb, "yyyy-mm-dd");
    integer = body_format(wb, "0");
    for (c = 0; c < 12; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    worksheet_freeze_panes(ws, 1, 0);
    for (c = 0; c < 12; c++)
        ok(worksheet_write_string(ws, 0, (lxw_col_t)c, ROSTER_HEADER[c], header), "header");
    for (i = 0; i < nrows; i++) {
        lxw_row_t r = (lxw_row_t)(i + 1);
        bench_make_student(&rng, &s, 1, i, 0, (int)NELEM(MAJORS));
        ok(worksheet_write_string(ws, r, 0, s.student_no, text), "write");
        ok(worksheet_write_string(ws, r, 1, s.name, text), "write");
        ok(worksheet_write_string(ws, r, 2, s.gender, text), "write");
        ok(worksheet_write_string(ws, r, 3, s.id_number, text), "write");
        ok(worksheet_write_number(ws, r, 4, s.birth, date), "write");
        ok(worksheet_write_string(ws, r, 5, s.major->name, text), "write");
        ok(worksheet_write_string(ws, r, 6, s.class_name, text), "write");
        ok(worksheet_write_number(ws, r, 7, s.entry_year, integer), "write");
        ok(worksheet_write_number(ws, r, 8, s.years, integer), "write");
        ok(worksheet_write_string(ws, r, 9, s.origin, text), "write");
        if (s.hardship)
            ok(worksheet_write_string(ws, r, 10, s.hardship, text), "write");
        else
            ok(worksheet_write_blank(ws, r, 10, text), "write");
        ok(worksheet_write_string(ws, r, 11, s.status, text), "write");
    }
    ok(workbook_close(wb), "close");
    total_s = bench_now() - t0;
    total_cpu = bench_cpu() - c0;
    printf("rows=%ld\ngen_s=%.4f\nwrite_s=%.4f\ntotal_s=%.4f\nwrite_cpu=%.4f\nmaxrss_kb=%ld\n",
           nrows, gen_s, total_s - gen_s, total_s, total_cpu - gen_cpu, bench_maxrss_kb());
    return sink == 0;
}
