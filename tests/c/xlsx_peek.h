/*
 * xlsx_peek.h - looking inside a written .xlsx for tests: a part's text, a
 * sheet's cells (value, formula, style, type) and merged ranges, and what a
 * style index means (number format code, bold, font, border, fill,
 * alignment). Independent of the library's reader, so writer tests check the
 * file itself.
 *
 *   peek_book b;
 *   if (peek_open(&b, "out.xlsx") == 0) {
 *       const peek_cell *c = peek_get(&b.sheets[0], "C10");
 *       CHECK_EQ_STR("SUM(C4:C9)", c->f);
 *       CHECK_EQ_STR("0", peek_numfmt(&b, c->s));
 *       peek_close(&b);
 *   }
 */
#ifndef HGQ_XLSX_PEEK_H
#define HGQ_XLSX_PEEK_H

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unzip.h>

typedef struct peek_cell {
    char ref[16];
    char t[16];     /* "" (number), "s", "str", "inlineStr", "b", "e" */
    int s;          /* style index */
    char *f;        /* formula text, NULL if none */
    char *v;        /* <v> text, NULL if none */
    char *text;     /* string value resolved (shared, inline or str), NULL if not text */
} peek_cell;

typedef struct peek_sheet {
    char name[256];
    peek_cell *cells;
    size_t ncells;
    char **merges;
    size_t nmerges;
    char *xml;
} peek_sheet;

typedef struct peek_xf {
    int numfmt, font, border, fill;
    char halign[32];
    int wrap;
} peek_xf;

typedef struct peek_font {
    int bold;
    double size;
    char name[64];
} peek_font;

typedef struct peek_book {
    peek_sheet sheets[16];
    size_t nsheets;
    char **sst;
    size_t nsst;
    peek_xf xfs[256];
    size_t nxfs;
    peek_font fonts[64];
    size_t nfonts;
    int numfmt_id[64];
    char numfmt_code[64][64];
    size_t nnumfmts;
    char *styles_xml;
    char *workbook_xml;
} peek_book;

/* Reads a part of the zip; malloc'd and NUL-terminated, NULL if missing. */
static char *peek_part(const char *zip, const char *part)
{
    unzFile z = unzOpen(zip);
    unz_file_info info;
    char *buf = NULL;
    if (!z)
        return NULL;
    if (unzLocateFile(z, part, 1) == UNZ_OK &&
        unzGetCurrentFileInfo(z, &info, NULL, 0, NULL, 0, NULL, 0) == UNZ_OK &&
        unzOpenCurrentFile(z) == UNZ_OK) {
        buf = malloc(info.uncompressed_size + 1);
        if (buf) {
            int n = unzReadCurrentFile(z, buf, (unsigned)info.uncompressed_size);
            if (n < 0 || (unsigned long)n != info.uncompressed_size) {
                free(buf);
                buf = NULL;
            } else {
                buf[n] = '\0';
            }
        }
        unzCloseCurrentFile(z);
    }
    unzClose(z);
    return buf;
}

/* {=== parsing state ===} */

typedef struct peek_ps {
    peek_book *b;
    peek_sheet *sh;
    int mode;               /* 1 sheet, 2 sst, 3 styles */
    char *text;             /* collected character data */
    size_t tlen, tcap;
    int collecting;
    peek_cell *cur;
    int in_cellxfs, in_fonts, in_numfmts;
    int in_si;
} peek_ps;

static char *peek_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static const char *peek_attr(const char **a, const char *name)
{
    for (; a && a[0]; a += 2)
        if (strcmp(a[0], name) == 0)
            return a[1];
    return NULL;
}

static void peek_text_reset(peek_ps *p)
{
    p->tlen = 0;
    if (p->text)
        p->text[0] = '\0';
}

static void XMLCALL peek_chars(void *ud, const XML_Char *s, int len)
{
    peek_ps *p = ud;
    if (!p->collecting)
        return;
    if (p->tlen + (size_t)len + 1 > p->tcap) {
        size_t cap = (p->tcap ? p->tcap * 2 : 256) + (size_t)len;
        char *t = realloc(p->text, cap);
        if (!t)
            return;
        p->text = t;
        p->tcap = cap;
    }
    memcpy(p->text + p->tlen, s, (size_t)len);
    p->tlen += (size_t)len;
    p->text[p->tlen] = '\0';
}

static void XMLCALL peek_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    peek_ps *p = ud;
    const char *v;
    if (p->mode == 1) {
        peek_sheet *sh = p->sh;
        if (strcmp(el, "c") == 0) {
            peek_cell *c;
            sh->cells = realloc(sh->cells, (sh->ncells + 1) * sizeof *sh->cells);
            c = &sh->cells[sh->ncells++];
            memset(c, 0, sizeof *c);
            snprintf(c->ref, sizeof c->ref, "%s", (v = peek_attr(a, "r")) ? v : "");
            snprintf(c->t, sizeof c->t, "%s", (v = peek_attr(a, "t")) ? v : "");
            c->s = (v = peek_attr(a, "s")) ? atoi(v) : 0;
            p->cur = c;
        } else if (strcmp(el, "f") == 0 || strcmp(el, "v") == 0 || strcmp(el, "t") == 0) {
            p->collecting = 1;
            peek_text_reset(p);
        } else if (strcmp(el, "mergeCell") == 0 && (v = peek_attr(a, "ref"))) {
            sh->merges = realloc(sh->merges, (sh->nmerges + 1) * sizeof *sh->merges);
            sh->merges[sh->nmerges++] = peek_strdup(v);
        }
    } else if (p->mode == 2) {
        if (strcmp(el, "si") == 0) {
            p->in_si = 1;
            peek_text_reset(p);
        } else if (strcmp(el, "t") == 0) {
            p->collecting = 1;
        }
    } else if (p->mode == 3) {
        peek_book *b = p->b;
        if (strcmp(el, "cellXfs") == 0)
            p->in_cellxfs = 1;
        else if (strcmp(el, "fonts") == 0)
            p->in_fonts = 1;
        else if (strcmp(el, "numFmts") == 0)
            p->in_numfmts = 1;
        else if (p->in_numfmts && strcmp(el, "numFmt") == 0 && b->nnumfmts < 64) {
            b->numfmt_id[b->nnumfmts] = atoi((v = peek_attr(a, "numFmtId")) ? v : "0");
            snprintf(b->numfmt_code[b->nnumfmts], 64, "%s",
                     (v = peek_attr(a, "formatCode")) ? v : "");
            b->nnumfmts++;
        } else if (p->in_fonts && strcmp(el, "font") == 0 && b->nfonts < 64) {
            memset(&b->fonts[b->nfonts++], 0, sizeof b->fonts[0]);
        } else if (p->in_fonts && b->nfonts && strcmp(el, "b") == 0) {
            b->fonts[b->nfonts - 1].bold = 1;
        } else if (p->in_fonts && b->nfonts && strcmp(el, "sz") == 0) {
            b->fonts[b->nfonts - 1].size = atof((v = peek_attr(a, "val")) ? v : "0");
        } else if (p->in_fonts && b->nfonts && strcmp(el, "name") == 0) {
            snprintf(b->fonts[b->nfonts - 1].name, 64, "%s", (v = peek_attr(a, "val")) ? v : "");
        } else if (p->in_cellxfs && strcmp(el, "xf") == 0 && b->nxfs < 256) {
            peek_xf *x = &b->xfs[b->nxfs++];
            memset(x, 0, sizeof *x);
            x->numfmt = atoi((v = peek_attr(a, "numFmtId")) ? v : "0");
            x->font = atoi((v = peek_attr(a, "fontId")) ? v : "0");
            x->border = atoi((v = peek_attr(a, "borderId")) ? v : "0");
            x->fill = atoi((v = peek_attr(a, "fillId")) ? v : "0");
        } else if (p->in_cellxfs && b->nxfs && strcmp(el, "alignment") == 0) {
            peek_xf *x = &b->xfs[b->nxfs - 1];
            snprintf(x->halign, sizeof x->halign, "%s",
                     (v = peek_attr(a, "horizontal")) ? v : "");
            x->wrap = (v = peek_attr(a, "wrapText")) && strcmp(v, "1") == 0;
        }
    }
}

static void XMLCALL peek_end(void *ud, const XML_Char *el)
{
    peek_ps *p = ud;
    if (p->mode == 1 && p->cur) {
        const char *t = p->text ? p->text : "";
        if (strcmp(el, "f") == 0)
            p->cur->f = peek_strdup(t);
        else if (strcmp(el, "v") == 0)
            p->cur->v = peek_strdup(t);
        else if (strcmp(el, "t") == 0)
            p->cur->text = peek_strdup(t);
        else if (strcmp(el, "c") == 0)
            p->cur = NULL;
        if (strcmp(el, "f") == 0 || strcmp(el, "v") == 0 || strcmp(el, "t") == 0)
            p->collecting = 0;
    } else if (p->mode == 2) {
        if (strcmp(el, "t") == 0)
            p->collecting = 0;
        else if (strcmp(el, "si") == 0) {
            peek_book *b = p->b;
            b->sst = realloc(b->sst, (b->nsst + 1) * sizeof *b->sst);
            b->sst[b->nsst++] = peek_strdup(p->text ? p->text : "");
            p->in_si = 0;
            peek_text_reset(p);
        }
    } else if (p->mode == 3) {
        if (strcmp(el, "cellXfs") == 0)
            p->in_cellxfs = 0;
        else if (strcmp(el, "fonts") == 0)
            p->in_fonts = 0;
        else if (strcmp(el, "numFmts") == 0)
            p->in_numfmts = 0;
    }
}

static int peek_parse(peek_ps *p, const char *xml)
{
    XML_Parser x = XML_ParserCreate("UTF-8");
    int ok;
    XML_SetUserData(x, p);
    XML_SetElementHandler(x, peek_start, peek_end);
    XML_SetCharacterDataHandler(x, peek_chars);
    ok = XML_Parse(x, xml, (int)strlen(xml), 1) == XML_STATUS_OK;
    XML_ParserFree(x);
    return ok ? 0 : -1;
}

/* Sheet names in workbook order, from xl/workbook.xml (sheetN.xml follows that order
 * for files written by libxlsxwriter). */
static void peek_sheet_names(peek_book *b)
{
    const char *p = b->workbook_xml;
    while (p && (p = strstr(p, "<sheet ")) && b->nsheets < 16) {
        const char *n = strstr(p, "name=\"");
        const char *e = n ? strchr(n + 6, '"') : NULL;
        peek_sheet *sh = &b->sheets[b->nsheets++];
        if (n && e) {
            size_t len = (size_t)(e - n - 6);
            if (len >= sizeof sh->name)
                len = sizeof sh->name - 1;
            memcpy(sh->name, n + 6, len);
            sh->name[len] = '\0';
        }
        p++;
    }
}

static void peek_close(peek_book *b)
{
    size_t i, j;
    for (i = 0; i < b->nsheets; i++) {
        peek_sheet *sh = &b->sheets[i];
        for (j = 0; j < sh->ncells; j++) {
            free(sh->cells[j].f);
            free(sh->cells[j].v);
            free(sh->cells[j].text);
        }
        free(sh->cells);
        for (j = 0; j < sh->nmerges; j++)
            free(sh->merges[j]);
        free(sh->merges);
        free(sh->xml);
    }
    for (i = 0; i < b->nsst; i++)
        free(b->sst[i]);
    free(b->sst);
    free(b->styles_xml);
    free(b->workbook_xml);
    memset(b, 0, sizeof *b);
}

/* Opens a workbook: every sheet's cells and merges, shared strings, styles.
 * Returns 0, or -1 if the file is not a readable xlsx. */
static int peek_open(peek_book *b, const char *zip)
{
    peek_ps p;
    char *sst;
    size_t i, j;
    memset(b, 0, sizeof *b);
    memset(&p, 0, sizeof p);
    p.b = b;
    b->workbook_xml = peek_part(zip, "xl/workbook.xml");
    b->styles_xml = peek_part(zip, "xl/styles.xml");
    if (!b->workbook_xml || !b->styles_xml) {
        peek_close(b);
        return -1;
    }
    peek_sheet_names(b);
    if ((sst = peek_part(zip, "xl/sharedStrings.xml")) != NULL) {
        p.mode = 2;
        peek_parse(&p, sst);
        free(sst);
    }
    p.mode = 3;
    peek_parse(&p, b->styles_xml);
    for (i = 0; i < b->nsheets; i++) {
        char part[64];
        snprintf(part, sizeof part, "xl/worksheets/sheet%zu.xml", i + 1);
        b->sheets[i].xml = peek_part(zip, part);
        if (!b->sheets[i].xml)
            continue;
        p.mode = 1;
        p.sh = &b->sheets[i];
        p.cur = NULL;
        p.collecting = 0;
        peek_parse(&p, b->sheets[i].xml);
        for (j = 0; j < b->sheets[i].ncells; j++) {
            peek_cell *c = &b->sheets[i].cells[j];
            if (strcmp(c->t, "s") == 0 && c->v && (size_t)atoi(c->v) < b->nsst)
                c->text = peek_strdup(b->sst[atoi(c->v)]);
            else if (strcmp(c->t, "str") == 0 && c->v && !c->text)
                c->text = peek_strdup(c->v);
        }
    }
    free(p.text);
    return 0;
}

static const peek_sheet *peek_sheet_named(const peek_book *b, const char *name)
{
    size_t i;
    for (i = 0; i < b->nsheets; i++)
        if (strcmp(b->sheets[i].name, name) == 0)
            return &b->sheets[i];
    return NULL;
}

/* The cell at `ref`, or a static empty cell (never NULL). */
static const peek_cell *peek_get(const peek_sheet *sh, const char *ref)
{
    static const peek_cell none = {"", "none", -1, NULL, NULL, NULL};
    size_t i;
    if (!sh)
        return &none;
    for (i = 0; i < sh->ncells; i++)
        if (strcmp(sh->cells[i].ref, ref) == 0)
            return &sh->cells[i];
    return &none;
}

/* Text of a cell ("" when none), or its <v>. */
static const char *peek_text(const peek_sheet *sh, const char *ref)
{
    const peek_cell *c = peek_get(sh, ref);
    return c->text ? c->text : c->v ? c->v : "";
}

static double peek_num(const peek_sheet *sh, const char *ref)
{
    const peek_cell *c = peek_get(sh, ref);
    return c->v ? atof(c->v) : -1e300;
}

static int peek_has_merge(const peek_sheet *sh, const char *ref)
{
    size_t i;
    for (i = 0; sh && i < sh->nmerges; i++)
        if (strcmp(sh->merges[i], ref) == 0)
            return 1;
    return 0;
}

/* Number format code of style index s ("General" for 0). */
static const char *peek_numfmt(const peek_book *b, int s)
{
    static const struct { int id; const char *code; } builtin[] = {
        {0, "General"}, {1, "0"}, {2, "0.00"}, {3, "#,##0"}, {4, "#,##0.00"},
        {9, "0%"}, {10, "0.00%"}, {14, "m/d/yy"}, {49, "@"}};
    size_t i;
    int id;
    if (s < 0 || (size_t)s >= b->nxfs)
        return "?";
    id = b->xfs[s].numfmt;
    for (i = 0; i < b->nnumfmts; i++)
        if (b->numfmt_id[i] == id)
            return b->numfmt_code[i];
    for (i = 0; i < sizeof builtin / sizeof builtin[0]; i++)
        if (builtin[i].id == id)
            return builtin[i].code;
    return "?";
}

static const peek_font *peek_font_of(const peek_book *b, int s)
{
    static const peek_font none = {0, 0, ""};
    if (s < 0 || (size_t)s >= b->nxfs || (size_t)b->xfs[s].font >= b->nfonts)
        return &none;
    return &b->fonts[b->xfs[s].font];
}

static int peek_bordered(const peek_book *b, int s)
{
    return s >= 0 && (size_t)s < b->nxfs && b->xfs[s].border != 0;
}

static const char *peek_halign(const peek_book *b, int s)
{
    return s >= 0 && (size_t)s < b->nxfs ? b->xfs[s].halign : "?";
}

#endif
