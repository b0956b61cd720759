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
 * All functions take UTF-8 text with its length (`s` may be NULL when `len`
 * is 0), never allocate, keep no state, and do work linear in `len`. Any
 * bytes are safe: text that is not valid UTF-8 is simply not a number, date,
 * boolean or gender. Output pointers may be NULL when only the verdict is
 * wanted, except where a function says otherwise.
 *
 *     hgq_number n;
 *     double day;
 *     hgq_idcard id;
 *     hgq_norm_number("680.13万元", strlen("680.13万元"), &n);  // 680.13, "万元"
 *     hgq_norm_date("2025年9月1日", strlen("2025年9月1日"), &day, NULL);
 *     if (!hgq_norm_idcard(text, len, &id))
 *         report(id.problems);           // HGQ_ID_CHECKSUM ...
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

/* {====================================================================
 * Text
 * ===================================================================== */

/**
 * Folds full-width ASCII (U+FF01..U+FF5E) to ASCII, turns the ideographic
 * space U+3000 and the other Unicode spaces (U+00A0, U+2000..U+200A,
 * U+202F, U+205F) into ' ', drops the zero-width U+200B and U+FEFF, and
 * trims leading and trailing white space (ASCII and those). Inner ASCII
 * white space is kept as it is. Bytes that are not valid UTF-8 are copied
 * unchanged.
 *
 * Writes NUL-terminated text into out (at most size bytes); returns the
 * length written, or (size_t)-1 (and "" in out when size > 0) if out is too
 * small. The result is never longer than the input, so len + 1 bytes always
 * suffice.
 *
 *     char buf[64];
 *     const char *t = "　１２６０人 ";
 *     hgq_norm_fold(t, strlen(t), buf, sizeof buf);   // "1260人"
 */
size_t hgq_norm_fold(const char *s, size_t len, char *out, size_t size);

/**
 * Like hgq_norm_fold, and also removes all inner white space, for matching
 * header names and enumerated values typed with padding ("姓 名" and
 * "姓　名" both give "姓名"). Same return convention as hgq_norm_fold.
 */
size_t hgq_norm_collapse(const char *s, size_t len, char *out, size_t size);

/* }==================================================================== */

/* {====================================================================
 * Numbers
 * ===================================================================== */

/** Result of parsing a number written as text. */
typedef struct hgq_number {
    double value;        /**< the number, already scaled (50% gives 0.5 when percent) */
    int percent;         /**< 1 if written with %, ％ or ‰ (value scaled accordingly) */
    char unit[32];       /**< unit text that followed the number ("人", "万元", "m²"),
                              "%" or "‰" when percent, "" if none */
} hgq_number;

/**
 * Parses a number typed as text (folded first, see hgq_norm_fold):
 *
 *  - an optional sign: '+', '-', '－' or U+2212 '−'. Accounting negatives
 *    such as "(123)" are rejected, not guessed;
 *  - digits, ASCII or full-width. The integer part is either plain
 *    ("1260", leading zeros allowed) or grouped by thousands with ',' or
 *    '，' ("1,260", "12,345,678"): a first group of 1 to 3 digits not
 *    starting with 0, then groups of exactly 3. Anything else ("12,34",
 *    "1,2345", "0,5", "1 260") is not a number;
 *  - an optional fraction ".5", and an optional exponent "e3" / "E-2";
 *  - optionally white space and then either a percent sign (%, ％: value
 *    divided by 100; ‰: by 1000) or one unit of this list:
 *      counts   人 人次 名 位 个 台 套 台套 件 册 本 张 间 所 家 项 门 部
 *               辆 座 栋 次 届 课时 学时 小时 天 周 年 岁
 *      money    元 千元 万元 亿元
 *      areas    平方米 平米 平方 m² m2 ㎡ 亩 公顷; lengths 米 m 公里 km
 *      per head 元/人 元/生 平方米/人 平方米/生 m²/人 m²/生 册/人 册/生
 *      scale    万 亿 千 百 万人 万人次 万册 万平方米
 *    The unit is reported, never applied: "680.13万元" gives 680.13 with
 *    unit "万元"; converting 万元 to 元 is the caller's business.
 *
 * Conversion does not depend on the C locale and is correctly rounded for
 * up to 15 significant digits. Returns 1 and fills *out on success, 0 if
 * the text is not a number (or its value is not a finite double).
 *
 *     hgq_number n;
 *     hgq_norm_number("96%", 3, &n);     // n.value 0.96, n.percent 1, n.unit "%"
 *     const char *t = "62,020 平方米";
 *     hgq_norm_number(t, strlen(t), &n); // n.value 62020, n.unit "平方米"
 */
int hgq_norm_number(const char *s, size_t len, hgq_number *out);

/**
 * Parses an integral number typed as text: the syntax of hgq_norm_number,
 * exact (no floating point) over the whole int64_t range. A fraction or an
 * exponent is accepted only when the value is still a whole number ("549.0",
 * "1.2e3"). Percent signs are rejected, and so are the units that carry a
 * multiplier (万, 亿, 千, 百, 万元, 万人 ...), since no unit is returned to
 * say so: "3万人" is not the integer 3. Returns 1 and *out, or 0.
 *
 *     int64_t n;
 *     const char *t = "549人";
 *     hgq_norm_int(t, strlen(t), &n);    // n 549
 */
int hgq_norm_int(const char *s, size_t len, int64_t *out);

/* }==================================================================== */

/* {====================================================================
 * Dates, booleans, genders
 * ===================================================================== */

/** How much of a date was given. */
typedef enum hgq_date_precision {
    HGQ_DATE_DAY = 0,    /**< year, month and day */
    HGQ_DATE_MONTH = 1,  /**< year and month only ("2025年9月", "2025-09"): day set to 1 */
    HGQ_DATE_YEAR = 2    /**< year only ("2025年"): month and day set to 1 */
} hgq_date_precision;

/**
 * Parses a date (and optional time) written as text, folded first:
 *
 *  - 2025-09-01, 2025/9/1, 2025.09.01 (one separator used throughout);
 *    2025-09, 2025/9, 2025.9 (month precision);
 *  - 2025年9月1日 (or 1号), 2025年9月, 2025年, spaces allowed around the parts;
 *  - 20250901 (exactly eight digits);
 *  - after a day, an optional time "H:MM[:SS[.fff]]" separated by white
 *    space or 'T' (2025-9-1 0:00:00, 2025-09-01T08:30); fractions of a
 *    second are dropped.
 *
 * The year is always four digits between 1900 and 9999: two-digit years
 * ("25-9-1") and day-first or month-first orders ("9/1/2025") are rejected
 * rather than guessed, as are bare years without 年 ("2025") and impossible
 * dates (2025-02-30, 24:00). Returns 1 and the serial in *serial (and the
 * precision in *prec), or 0.
 */
int hgq_norm_date(const char *s, size_t len, double *serial,
                  hgq_date_precision *prec);

/**
 * Parses a boolean: true for 是, 有, √, ✓, ✔, Y, YES, T, TRUE, 1, 对;
 * false for 否, 无, ×, ✗, ✘, N, NO, F, FALSE, 0, 错 (case-insensitive,
 * full-width folded, white space trimmed). Returns 1 and *b (0 or 1), or 0
 * if not a boolean.
 */
int hgq_norm_bool(const char *s, size_t len, int *b);

/**
 * Parses a gender: male for 男, 男性, 男生, M, MALE, 1; female for 女,
 * 女性, 女生, F, FEMALE, 2 (1 and 2 are the GB/T 2261.1 codes; letters
 * case-insensitive, full-width folded). Returns 1 and *male (1 or 0), or 0.
 */
int hgq_norm_gender(const char *s, size_t len, int *male);

/* }==================================================================== */

/* {====================================================================
 * Resident ID numbers (GB 11643)
 * ===================================================================== */

/** Problems an ID number can have, as bit flags. 0 means valid. */
enum {
    HGQ_ID_LENGTH = 1 << 0,    /**< not 18 characters (15-digit old numbers included) */
    HGQ_ID_CHARS = 1 << 1,     /**< characters other than digits and a final X */
    HGQ_ID_BIRTH = 1 << 2,     /**< digits 7-14 are not a date between 1900 and 2100 */
    HGQ_ID_CHECKSUM = 1 << 3,  /**< check digit (ISO 7064 MOD 11-2) does not match */
    HGQ_ID_NUMERIC = 1 << 4    /**< came from a numeric cell: digits lost to floating point */
};

/** A parsed resident ID number (GB 11643). */
typedef struct hgq_idcard {
    char number[19];   /**< canonical 18 characters (uppercase X); "" unless the
                            text has 18 characters with no HGQ_ID_CHARS problem */
    int problems;      /**< HGQ_ID_* flags, 0 when valid */
    double birth;      /**< birth date serial when known, else 0 (see hgq_norm_idcard) */
    int male;          /**< 1 male, 0 female (digit 17 odd/even), -1 unknown */
} hgq_idcard;

/**
 * Checks an ID number written as text: all white space removed, full-width
 * folded, a lowercase x accepted (and canonicalised to X). Always fills
 * *out; returns 1 when valid, else 0 with out->problems saying why.
 *
 * For 18 characters of the right kinds, number is set and the birth date
 * (digits 7-14) and gender (digit 17) are read even when another problem is
 * flagged: trust them only when problems is 0. HGQ_ID_BIRTH is set when
 * digits 7-14 are not a calendar date between 1900 and 2100; the check digit
 * is verified whatever the birth date.
 *
 * A 15-digit number (the first-generation format, no check digit) is flagged
 * HGQ_ID_LENGTH; its birth date (19YYMMDD from digits 7-12) and gender
 * (digit 15) are filled all the same, number stays "".
 *
 * Text that is a number in exponent or decimal notation ("4.30412E+17", as
 * Excel writes a numeric cell to CSV) is treated as
 * hgq_norm_idcard_from_number treats its value, knowing that the digits
 * after the last one written are lost too (HGQ_ID_NUMERIC).
 */
int hgq_norm_idcard(const char *s, size_t len, hgq_idcard *out);

/**
 * Checks an ID number that was read from a numeric cell. A double keeps
 * about 16 significant digits and Excel keeps 15, so an 18-digit ID stored
 * as a number has lost its last digits: this is an error (HGQ_ID_NUMERIC
 * always set, return value always 0, number ""), never a guess.
 *
 * What can be known is filled. The cell held some integer within an ulp of
 * v or, when v is a multiple of 1000, any of the 1000 integers that Excel's
 * 15 significant digits cut to v. When all those integers share digits
 * 7-14, birth is set from them (HGQ_ID_BIRTH if they are not a date), which
 * is the usual case; otherwise birth stays 0. The gender is never known
 * (digit 17 is lost). A whole 15-digit value is exact and is read as a
 * 15-digit number (HGQ_ID_LENGTH, birth date and gender filled). Any other
 * value adds HGQ_ID_LENGTH.
 *
 *     hgq_idcard id;
 *     if (cell->type == HGQ_CELL_NUMBER)
 *         hgq_norm_idcard_from_number(cell->number, &id);  // always 0
 */
int hgq_norm_idcard_from_number(double v, hgq_idcard *out);

/**
 * The ISO 7064 MOD 11-2 check character ('0'-'9' or 'X') of the 17 digits
 * at `digits17`, or '\0' if any of them is not a digit (reading stops at
 * the first non-digit, so a shorter NUL-terminated string is safe).
 */
char hgq_idcard_check_char(const char *digits17);

/**
 * Masks an ID number for publication. ASCII text of 15 or more characters
 * keeps its first 6 and last 4 characters, the rest become '*'
 * ("430412********123X"); anything else (shorter, or not ASCII) becomes one
 * '*' per character, so nothing of a malformed number leaks. Writes at most
 * size bytes, NUL-terminated; an 18-character number needs 19. A NULL
 * number gives "".
 */
void hgq_idcard_mask(const char *number, char *out, size_t size);

/* }==================================================================== */

/* {====================================================================
 * Age bands
 * ===================================================================== */

/** Number of age bands of hgq_norm_age_band. */
#define HGQ_AGE_BANDS 5

/**
 * The age band of the report's staff tables for an age in whole years (see
 * hgq_age_years): 0 "30岁以下" (30 included), 1 "31-40岁", 2 "41-50岁",
 * 3 "51-60岁", 4 "60岁以上". Returns the band index and sets *label (when
 * label is not NULL) to its static text; returns -1 and sets *label to NULL
 * for a negative age.
 */
int hgq_norm_age_band(int age, const char **label);

/** The label of band 0..HGQ_AGE_BANDS-1 ("30岁以下" ...), NULL otherwise. */
const char *hgq_norm_age_band_label(int band);

/* }==================================================================== */

#ifdef __cplusplus
}
#endif
#endif
