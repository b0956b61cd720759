/*
 * fuzz_csv.c - libFuzzer target: read a CSV held in memory to the end with
 * each encoding setting (auto, UTF-8, GB18030, UTF-16LE, UTF-16BE), with
 * the delimiter detected and forced, and with a small cell limit.
 *
 * Beyond what the sanitizers catch, the target aborts when the reader breaks
 * its contract: a failing call fills the error with the same code and a
 * message, and a failed reader keeps returning that error; rows come with
 * strictly increasing indexes within XFD1048576, each with at least one
 * cell; cells are non-empty NUL-terminated valid UTF-8 strings without NUL
 * inside, in increasing column order, no longer than max_cell_bytes. And,
 * since ASCII reads the same in every encoding but UTF-16, a pure ASCII
 * input must give the same rows under auto, UTF-8 and GB18030.
 *
 *     sh tests/fuzz/run.sh 600 fuzz_csv
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

#include "fuzz_expect.h"

static void check_error(hgq_status st, const hgq_error *err)
{
    char line[2048];
    FZ_EXPECT(st > HGQ_OK && st < HGQ_STATUS_COUNT);
    FZ_EXPECT(err->code == st);
    FZ_EXPECT(memchr(err->message, '\0', sizeof err->message) != NULL);
    FZ_EXPECT(memchr(err->file, '\0', sizeof err->file) != NULL);
    FZ_EXPECT(err->message[0] != '\0');
    FZ_EXPECT(err->line >= 0 && err->column >= 0);
    FZ_EXPECT(hgq_error_format(err, line, sizeof line) > 0);
}

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001b3ull;
    return h;
}

/* Reads everything; returns a hash of the rows and the final status. */
static uint64_t read_all(const uint8_t *data, size_t size, hgq_encoding enc, char delim,
                         uint32_t max_cell, hgq_status *final)
{
    hgq_reader_options opt;
    hgq_csv_reader *r;
    hgq_error err;
    const hgq_row *row;
    hgq_status st;
    uint64_t h = 0xcbf29ce484222325ull;
    long last = -1;
    size_t nrows = 0;

    memset(&opt, 0, sizeof opt);
    opt.csv_encoding = enc;
    opt.csv_delimiter = delim;
    opt.max_cell_bytes = max_cell;
    memset(&err, 'X', sizeof err);
    st = hgq_csv_reader_open(&r, NULL, data, size, "fuzz.csv", &opt, &err);
    if (st != HGQ_OK) {
        check_error(st, &err);
        FZ_EXPECT(r == NULL);
        *final = st;
        return h;
    }
    if (enc != HGQ_ENC_AUTO)
        FZ_EXPECT(hgq_csv_reader_encoding(r) == enc);
    if (delim)
        FZ_EXPECT(hgq_csv_reader_delimiter(r) == delim);
    else
        FZ_EXPECT(strchr(",\t;", hgq_csv_reader_delimiter(r)) != NULL);

    while ((st = hgq_csv_reader_next(r, &row, &err)) == HGQ_OK && row) {
        FZ_EXPECT((long)row->index > last);
        FZ_EXPECT(row->index <= HGQ_MAX_ROW);
        FZ_EXPECT(row->ncells > 0);
        last = row->index;
        nrows++;
        h = mix(h, &row->index, sizeof row->index);
        for (size_t i = 0; i < row->ncells; i++) {
            const hgq_cell *c = &row->cells[i];
            FZ_EXPECT(c->type == HGQ_CELL_STRING);
            FZ_EXPECT(c->row == row->index);
            FZ_EXPECT(c->col <= HGQ_MAX_COL);
            FZ_EXPECT(i == 0 || c->col > row->cells[i - 1].col);
            FZ_EXPECT(c->text && c->text_len > 0 && c->text[c->text_len] == '\0');
            FZ_EXPECT(strlen(c->text) == c->text_len);
            FZ_EXPECT(c->text_len <= (max_cell ? max_cell : 1u << 20));
            FZ_EXPECT(hgq_utf8_valid(c->text, c->text_len));
            FZ_EXPECT(c->numfmt && strcmp(c->numfmt, "General") == 0);
            FZ_EXPECT(c->style == 0 && c->formula == NULL);
            h = mix(h, &c->col, sizeof c->col);
            h = mix(h, c->text, c->text_len + 1);
        }
    }
    FZ_EXPECT(nrows <= size);
    if (st != HGQ_OK) {
        hgq_error again;
        long line = err.line;
        check_error(st, &err);
        FZ_EXPECT(row == NULL);
        FZ_EXPECT(hgq_csv_reader_next(r, &row, &again) == st && row == NULL);
        FZ_EXPECT(again.line == line);
    } else {
        FZ_EXPECT(hgq_csv_reader_next(r, &row, NULL) == HGQ_OK && row == NULL);
    }
    h = mix(h, &st, sizeof st);
    *final = st;
    hgq_csv_reader_free(r);
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const hgq_encoding encs[] = {HGQ_ENC_AUTO, HGQ_ENC_UTF8, HGQ_ENC_GB18030,
                                        HGQ_ENC_UTF16LE, HGQ_ENC_UTF16BE};
    uint64_t h[5];
    hgq_status st[5], ignored;
    int ascii = 1;

    (void)hgq_csv_sniff(data, size);
    for (size_t i = 0; i < size && ascii; i++)
        ascii = data[i] > 0 && data[i] < 0x80;
    for (size_t e = 0; e < 5; e++)
        h[e] = read_all(data, size, encs[e], 0, 0, &st[e]);
    if (ascii) {
        FZ_EXPECT(st[0] == st[1] && h[0] == h[1]);
        FZ_EXPECT(st[0] == st[2] && h[0] == h[2]);
    }
    read_all(data, size, HGQ_ENC_AUTO, ';', 0, &ignored);
    read_all(data, size, HGQ_ENC_AUTO, '\t', 7, &ignored);
    return 0;
}
