/*
 * error.c - status codes, their descriptions and the error detail object.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const struct {
    const char *name;
    const char *text;
} status_table[HGQ_STATUS_COUNT] = {
    [HGQ_OK] = {"HGQ_OK", "success"},
    [HGQ_ENOMEM] = {"HGQ_ENOMEM", "out of memory"},
    [HGQ_EARG] = {"HGQ_EARG", "invalid argument"},
    [HGQ_EIO] = {"HGQ_EIO", "file could not be opened, read or written"},
    [HGQ_EFORMAT] = {"HGQ_EFORMAT", "not a spreadsheet file this library reads"},
    [HGQ_EZIP] = {"HGQ_EZIP", "corrupt or truncated zip file"},
    [HGQ_EXML] = {"HGQ_EXML", "malformed XML"},
    [HGQ_EPART] = {"HGQ_EPART", "missing or invalid package part"},
    [HGQ_ELIMIT] = {"HGQ_ELIMIT", "safety limit exceeded"},
    [HGQ_EREF] = {"HGQ_EREF", "invalid cell reference"},
    [HGQ_EENCODING] = {"HGQ_EENCODING", "invalid text encoding"},
    [HGQ_ECSV] = {"HGQ_ECSV", "malformed CSV"},
    [HGQ_ENOTFOUND] = {"HGQ_ENOTFOUND", "not found"},
    [HGQ_EUNSUPPORTED] = {"HGQ_EUNSUPPORTED", "unsupported feature"},
    [HGQ_ESCHEMA] = {"HGQ_ESCHEMA", "invalid schema or mapping"},
    [HGQ_EDATA] = {"HGQ_EDATA", "invalid data value"},
    [HGQ_EWRITE] = {"HGQ_EWRITE", "writing the output failed"},
    [HGQ_ESTATE] = {"HGQ_ESTATE", "object is not in a state that allows this call"},
};

const char *hgq_strerror(hgq_status code)
{
    if ((unsigned)code >= HGQ_STATUS_COUNT)
        return "unknown error";
    return status_table[code].text;
}

const char *hgq_status_name(hgq_status code)
{
    if ((unsigned)code >= HGQ_STATUS_COUNT)
        return "HGQ_UNKNOWN";
    return status_table[code].name;
}

const char *hgq_version(void)
{
    return HGQ_VERSION_STRING;
}

void hgq_error_clear(hgq_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

hgq_status hgq_error_set(hgq_error *err, hgq_status code, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    if (fmt) {
        char tmp[HGQ_ERROR_MESSAGE_MAX * 2];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(tmp, sizeof tmp, fmt, ap);
        va_end(ap);
        hgq_strlcpy_utf8(err->message, tmp, sizeof err->message);
    } else {
        hgq_strlcpy_utf8(err->message, hgq_strerror(code), sizeof err->message);
    }
    return code;
}

void hgq_error_set_file(hgq_error *err, const char *file)
{
    if (err)
        hgq_strlcpy_utf8(err->file, file ? file : "", sizeof err->file);
}

void hgq_error_set_part(hgq_error *err, const char *part)
{
    if (err)
        hgq_strlcpy_utf8(err->part, part ? part : "", sizeof err->part);
}

void hgq_error_set_sheet(hgq_error *err, const char *sheet)
{
    if (err)
        hgq_strlcpy_utf8(err->sheet, sheet ? sheet : "", sizeof err->sheet);
}

void hgq_error_set_cell(hgq_error *err, unsigned long row, unsigned long col)
{
    if (!err)
        return;
    if (row > HGQ_MAX_ROW || col > HGQ_MAX_COL) {
        /* Out of the sheet: still say where, in R1C1 terms. */
        snprintf(err->cell, sizeof err->cell, "R%luC%lu", (row + 1) % 100000000ul,
                 (col + 1) % 100000ul);
        return;
    }
    hgq_ref_format((uint32_t)row, (uint32_t)col, err->cell, sizeof err->cell);
}

void hgq_error_set_position(hgq_error *err, long line, long column)
{
    if (!err)
        return;
    err->line = line;
    err->column = column;
}

size_t hgq_error_format(const hgq_error *err, char *buf, size_t size)
{
    hgq_buf b;
    size_t n;
    hgq_buf_init(&b);
    if (!err) {
        hgq_buf_append_str(&b, "no error");
    } else {
        if (err->file[0])
            hgq_buf_printf(&b, "%s: ", err->file);
        if (err->part[0]) {
            hgq_buf_printf(&b, "part %s", err->part);
            if (err->line > 0)
                hgq_buf_printf(&b, " line %ld column %ld", err->line, err->column);
            hgq_buf_append_str(&b, ": ");
        } else if (err->line > 0) {
            hgq_buf_printf(&b, "line %ld", err->line);
            if (err->column > 0)
                hgq_buf_printf(&b, " field %ld", err->column);
            hgq_buf_append_str(&b, ": ");
        }
        if (err->sheet[0]) {
            hgq_buf_printf(&b, "sheet '%s'", err->sheet);
            if (err->cell[0])
                hgq_buf_printf(&b, " cell %s", err->cell);
            hgq_buf_append_str(&b, ": ");
        } else if (err->cell[0]) {
            hgq_buf_printf(&b, "cell %s: ", err->cell);
        }
        hgq_buf_append_str(&b, err->message[0] ? err->message : hgq_strerror(err->code));
    }
    n = b.len;
    if (size > 0 && buf) {
        size_t c = n < size - 1 ? n : size - 1;
        if (b.data)
            memcpy(buf, b.data, c);
        buf[c] = '\0';
    }
    hgq_buf_free(&b);
    return n;
}
