/*
 * hgq/normalize.h - turning what offices type into typed values.
 *
 * Office spreadsheets hold numbers as text with thousands separators,
 * full-width digits (１２６０), units ("549人", "96%", "680.13万元"); dates as
 * serials or as text (2025-09-01, 2025/9/1, 2025.09.01, 2025年9月1日,
 * 2025年9月); booleans as 是/否, √/×, Y/N, 1/0; ID numbers with a lowercase x
 * or spaces. Each function here understands one kind of value and says
 * precisely when it cannot; none guesses.
 *
 * All functions take UTF-8 text with its length and never allocate.
 */
#ifndef HGQ_NORMALIZE_H
#define HGQ_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "value.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Folds full-width ASCII (U+FF01..U+FF5E) to ASCII and the ideographic
 * space U+3000 to a space, and trims leading and trailing white space
 * (ASCII and U+3000, U+00A0). Writes NUL-terminated UTF-8 into out
 * (at most size bytes); returns the length written, or (size_t)-1 if out
 * is too small.
 */
size_t hgq_norm_fold(const char *s, size_t len, char *out, size_t size);

/** Result of parsing a number written as text. */
typedef struct hgq_number {
    double value;        /**< the number, already scaled (50% gives 0.5 when percent) */
    int percent;         /**< 1 if written with %, ％ or ‰ (value scaled accordingly) */
    char unit[32];       /**< unit text that followed the number ("人", "万元", "m²"), "" if none */
} hgq_number;

/**
 * Parses a number typed as text: optional sign, digits (ASCII or
 * full-width), thousands separators (',' '，' in groups of three), decimal
 * point, an exponent, and an optional trailing unit or percent sign.
 * Returns 1 on success, 0 if the text is not a number.
 */
int hgq_norm_number(const char *s, size_t len, hgq_number *out);

/** How much of a date was given. */
typedef enum hgq_date_precision {
    HGQ_DATE_DAY = 0,    /**< year, month and day */
    HGQ_DATE_MONTH = 1,  /**< year and month only ("2025年9月", "2025-09"): day set to 1 */
    HGQ_DATE_YEAR = 2    /**< year only ("2025年"): month and day set to 1 */
} hgq_date_precision;

/**
 * Parses a date (and optional time) written as text: 2025-09-01, 2025/9/1,
 * 2025.09.01, 2025年9月1日, 2025年9月, 20250901, with ASCII or full-width
 * digits, an optional time "HH:MM[:SS]". Returns 1 and the serial in *serial
 * (and the precision when `prec` is not NULL), or 0 if the text is not a
 * valid calendar date.
 */
int hgq_norm_date(const char *s, size_t len, double *serial,
                  hgq_date_precision *prec);

/**
 * Parses a boolean: true for 是, 有, √, ✓, ✔, Y, YES, T, TRUE, 1, 对;
 * false for 否, 无, ×, ✗, N, NO, F, FALSE, 0, 错 (case-insensitive,
 * full-width folded). Returns 1 and *b, or 0 if not a boolean.
 */
int hgq_norm_bool(const char *s, size_t len, int *b);

/** Problems an ID number can have, as bit flags. 0 means valid. */
enum {
    HGQ_ID_LENGTH = 1 << 0,    /**< not 18 characters (15-digit old numbers included) */
    HGQ_ID_CHARS = 1 << 1,     /**< characters other than digits and a final X */
    HGQ_ID_BIRTH = 1 << 2,     /**< digits 7-14 are not a valid date */
    HGQ_ID_CHECKSUM = 1 << 3,  /**< check digit (ISO 7064 MOD 11-2) does not match */
    HGQ_ID_NUMERIC = 1 << 4    /**< came from a numeric cell: digits lost to floating point */
};

/** A parsed resident ID number (GB 11643). */
typedef struct hgq_idcard {
    char number[19];   /**< canonical 18 characters (uppercase X), "" if unusable */
    int problems;      /**< HGQ_ID_* flags, 0 when valid */
    double birth;      /**< birth date serial when HGQ_ID_BIRTH is not set */
    int male;          /**< 1 male, 0 female (digit 17 odd/even), -1 unknown */
} hgq_idcard;

/**
 * Checks an ID number written as text: spaces removed, full-width folded,
 * a lowercase x accepted. Always fills *out; returns 1 when valid, else 0
 * with out->problems saying why.
 */
int hgq_norm_idcard(const char *s, size_t len, hgq_idcard *out);

/** The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of 17 digits. */
char hgq_idcard_check_char(const char *digits17);

/**
 * Masks an ID number for publication: the first 6 and last 4 characters
 * kept, the rest '*' ("430412********123X"). out needs 19 bytes.
 */
void hgq_idcard_mask(const char *number, char *out, size_t size);

#ifdef __cplusplus
}
#endif
#endif
