/*
 * test_normalize.c - numbers, dates, booleans, genders, ID numbers and age
 * bands as typed by people.
 */
#include <stdint.h>
#include <stdlib.h>

#include "hgq.h"
#include "t.h"

#define S(lit) (lit), strlen(lit)

/* {====================================================================
 * Folding
 * ===================================================================== */

static const char *fold(const char *s)
{
    static char buf[256];
    size_t n = hgq_norm_fold(s, strlen(s), buf, sizeof buf);
    return n == (size_t)-1 ? "(too small)" : buf;
}

static const char *collapse(const char *s)
{
    static char buf[256];
    size_t n = hgq_norm_collapse(s, strlen(s), buf, sizeof buf);
    return n == (size_t)-1 ? "(too small)" : buf;
}

TEST(fold_full_width_and_trim)
{
    char buf[8];
    CHECK_EQ_STR("1260", fold("１２６０"));
    CHECK_EQ_STR("1260人", fold("\xE3\x80\x80１２６０人 \t"));
    CHECK_EQ_STR("ABC,xyz%", fold("ＡＢＣ，ｘｙｚ％"));
    CHECK_EQ_STR("a b", fold("a\xE3\x80\x80" "b"));        /* U+3000 inside: a space */
    CHECK_EQ_STR("a b", fold("\xC2\xA0" "a\xC2\xA0" "b\xC2\xA0")); /* NBSP */
    CHECK_EQ_STR("a\tb", fold(" a\tb "));                  /* inner ASCII kept */
    CHECK_EQ_STR("ab", fold("\xEF\xBB\xBF" "a\xE2\x80\x8B" "b")); /* BOM, ZWSP dropped */
    CHECK_EQ_STR("", fold(" \xE3\x80\x80 "));
    CHECK_EQ_STR("姓名", fold("姓名"));
    /* invalid UTF-8 is copied as it is */
    CHECK_EQ_STR("\xFF" "1\xC3", fold(" \xFF" "1\xC3 "));
    /* too small: -1 and "" */
    CHECK_EQ_INT((long long)(size_t)-1, (long long)hgq_norm_fold(S("12345678"), buf, sizeof buf));
    CHECK_EQ_STR("", buf);
    CHECK_EQ_INT(7, hgq_norm_fold(S("1234567"), buf, sizeof buf));
    /* trailing white space never needs room */
    CHECK_EQ_INT(3, hgq_norm_fold(S("abc                       "), buf, 4));
    CHECK_EQ_INT((long long)(size_t)-1, (long long)hgq_norm_fold(S("a"), buf, 0));
    CHECK_EQ_INT(0, hgq_norm_fold(NULL, 0, buf, sizeof buf));
    CHECK_EQ_STR("", buf);
}

TEST(fold_never_grows)
{
    static const char *const inputs[] = {
        "１２６０", "\xE3\x80\x80\xE3\x80\x80x", "\xC2\xA0 \xC2\xA0", "ａ　ｂ", "\xFF\xFE\xFD"
    };
    size_t i;
    for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        size_t len = strlen(inputs[i]);
        char out[64];
        size_t n = hgq_norm_fold(inputs[i], len, out, len + 1);
        CHECK(n != (size_t)-1 && n <= len);
        n = hgq_norm_collapse(inputs[i], len, out, len + 1);
        CHECK(n != (size_t)-1 && n <= len);
    }
}

TEST(collapse_header_names)
{
    CHECK_EQ_STR("姓名", collapse("姓 名"));
    CHECK_EQ_STR("姓名", collapse("姓\xE3\x80\x80名"));
    CHECK_EQ_STR("姓名", collapse(" 姓\t \xC2\xA0名\n"));
    CHECK_EQ_STR("身份证号", collapse("身份证号"));
    CHECK_EQ_STR("A1", collapse("Ａ　１"));
    CHECK_EQ_STR("", collapse("  "));
}

/* }==================================================================== */

/* {====================================================================
 * Numbers
 * ===================================================================== */

static int num(const char *s, hgq_number *n)
{
    memset(n, 0x55, sizeof *n);
    return hgq_norm_number(s, strlen(s), n);
}

TEST(number_plain_and_grouped)
{
    hgq_number n;
    CHECK(num("1260", &n));
    CHECK_EQ_DBL(1260, n.value, 0);
    CHECK_EQ_INT(0, n.percent);
    CHECK_EQ_STR("", n.unit);
    CHECK(num("1,260", &n));
    CHECK_EQ_DBL(1260, n.value, 0);
    CHECK(num("12,345,678.25", &n));
    CHECK_EQ_DBL(12345678.25, n.value, 0);
    CHECK(num("１２６０", &n));
    CHECK_EQ_DBL(1260, n.value, 0);
    CHECK(num("１，２６０", &n)); /* full-width digits and comma */
    CHECK_EQ_DBL(1260, n.value, 0);
    CHECK(num("1，260", &n));
    CHECK_EQ_DBL(1260, n.value, 0);
    CHECK(num("  625.46  ", &n));
    CHECK_EQ_DBL(625.46, n.value, 0);
    CHECK(num("0.5", &n));
    CHECK_EQ_DBL(0.5, n.value, 0);
    CHECK(num(".5", &n));
    CHECK_EQ_DBL(0.5, n.value, 0);
    CHECK(num("5.", &n));
    CHECK_EQ_DBL(5, n.value, 0);
    CHECK(num("007", &n));
    CHECK_EQ_DBL(7, n.value, 0);
    CHECK(num("-3.5", &n));
    CHECK_EQ_DBL(-3.5, n.value, 0);
    CHECK(num("+12", &n));
    CHECK_EQ_DBL(12, n.value, 0);
    CHECK(num("－12", &n)); /* full-width minus */
    CHECK_EQ_DBL(-12, n.value, 0);
    CHECK(num("\xE2\x88\x92" "12", &n)); /* U+2212 */
    CHECK_EQ_DBL(-12, n.value, 0);
    CHECK(num("-0", &n));
    CHECK(n.value == 0.0 && !signbit(n.value));
    CHECK(num("1.5e3", &n));
    CHECK_EQ_DBL(1500, n.value, 0);
    CHECK(num("2E-2", &n));
    CHECK_EQ_DBL(0.02, n.value, 0);
}

TEST(number_misplaced_separators_rejected)
{
    static const char *const bad[] = {
        "12,34", "1,2345", "1234,567", ",123", "123,", "1,,234", "1,234,56",
        "0,123", "00,123", "1 260", "1,234.5,6", "1.234,5", "1. 5", "1,234 567",
        "1、234"
    };
    size_t i;
    hgq_number n;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (num(bad[i], &n))
            T_FAIL("accepted \"%s\" as %g", bad[i], n.value);
}

TEST(number_units)
{
    static const struct {
        const char *text;
        double value;
        const char *unit;
    } cases[] = {
        {"549人", 549, "人"},
        {"680.13万元", 680.13, "万元"},
        {"62020平方米", 62020, "平方米"},
        {"62,020 平方米", 62020, "平方米"},
        {"32956.51m²", 32956.51, "m²"},
        {"32956.51 ㎡", 32956.51, "㎡"},
        {"32956.51ｍ２", 32956.51, "m2"},
        {"235台", 235, "台"},
        {"30000册", 30000, "册"},
        {"800人次", 800, "人次"},
        {"25个", 25, "个"},
        {"3年", 3, "年"},
        {"2.4万", 2.4, "万"},
        {"2500元/生", 2500, "元/生"},
        {"１２６０人", 1260, "人"},
    };
    size_t i;
    hgq_number n;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (!num(cases[i].text, &n)) {
            T_FAIL("rejected \"%s\"", cases[i].text);
            continue;
        }
        CHECK_EQ_DBL(cases[i].value, n.value, 0);
        CHECK_EQ_STR(cases[i].unit, n.unit);
        CHECK_EQ_INT(0, n.percent);
    }
}

TEST(number_unknown_suffix_rejected)
{
    static const char *const bad[] = {
        "3班", "2号", "12abc", "549人人", "人549", "约500人", ">500", "500+", "(123)",
        "（123）", "5%人", "%5", "1e", "1e+", "1e99999", "1e400", "-", "+", ".", "",
        "  ", "1,234元元", "NaN", "inf", "0x10", "1..2", "二百", "12\xFF"
    };
    size_t i;
    hgq_number n;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (num(bad[i], &n))
            T_FAIL("accepted \"%s\" as %g %s", bad[i], n.value, n.unit);
}

TEST(number_percent)
{
    hgq_number n;
    CHECK(num("96%", &n));
    CHECK_EQ_DBL(0.96, n.value, 0);
    CHECK_EQ_INT(1, n.percent);
    CHECK_EQ_STR("%", n.unit);
    CHECK(num("96 ％", &n));
    CHECK_EQ_DBL(0.96, n.value, 0);
    CHECK_EQ_INT(1, n.percent);
    CHECK(num("12.5‰", &n));
    CHECK_EQ_DBL(0.0125, n.value, 0);
    CHECK_EQ_INT(1, n.percent);
    CHECK_EQ_STR("‰", n.unit);
    CHECK(num("-3.25%", &n));
    CHECK_EQ_DBL(-0.0325, n.value, 0);
    CHECK(num("100%", &n));
    CHECK_EQ_DBL(1.0, n.value, 0);
    CHECK(!num("%", &n));
}

/* Correctly rounded conversion, compared with strtod in the C locale. */
TEST(number_rounding_matches_strtod)
{
    uint64_t seed = 12345;
    int i;
    for (i = 0; i < 2000; i++) {
        char text[64];
        hgq_number n;
        unsigned long long a, b, p = 1;
        int frac, k;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        a = (seed >> 20) % 10000000ULL;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        frac = (int)((seed >> 8) % 9); /* up to 7 + 8 = 15 significant digits */
        for (k = 0; k < frac; k++)
            p *= 10;
        b = (seed >> 20) % p;
        if (frac == 0)
            snprintf(text, sizeof text, "%llu", a);
        else
            snprintf(text, sizeof text, "%llu.%0*llu", a, frac, b);
        if (!num(text, &n)) {
            T_FAIL("rejected %s", text);
            continue;
        }
        if (n.value != strtod(text, NULL))
            T_FAIL("%s: got %.17g, strtod %.17g", text, n.value, strtod(text, NULL));
    }
    {
        hgq_number n;
        const char *big = "123456789012345678901234567890";
        CHECK(num(big, &n));
        CHECK_EQ_DBL(strtod(big, NULL), n.value, strtod(big, NULL) * 1e-15);
        CHECK(num("1e-500", &n));
        CHECK_EQ_DBL(0, n.value, 0);
        CHECK(num("1.7e308", &n));
        CHECK_EQ_DBL(1.7e308, n.value, 1.7e308 * 1e-15);
        CHECK(!num("1.8e308", &n));
    }
}

TEST(number_limits)
{
    char big[400];
    hgq_number n;
    memset(big, '1', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK(!num(big, &n)); /* too long to be a number anyone typed */
    CHECK(!hgq_norm_number(NULL, 0, &n));
    CHECK(hgq_norm_number(S("12"), NULL));
    CHECK(!hgq_norm_number("12\0" "3", 4, &n)); /* embedded NUL */
}

TEST(int_values)
{
    int64_t v;
    CHECK(hgq_norm_int(S("549人"), &v));
    CHECK_EQ_INT(549, v);
    CHECK(hgq_norm_int(S("１２６０"), &v));
    CHECK_EQ_INT(1260, v);
    CHECK(hgq_norm_int(S("1,260 人"), &v));
    CHECK_EQ_INT(1260, v);
    CHECK(hgq_norm_int(S("549.00"), &v));
    CHECK_EQ_INT(549, v);
    CHECK(hgq_norm_int(S("1.2e3"), &v));
    CHECK_EQ_INT(1200, v);
    CHECK(hgq_norm_int(S("12000e-3"), &v));
    CHECK_EQ_INT(12, v);
    CHECK(hgq_norm_int(S("-17"), &v));
    CHECK_EQ_INT(-17, v);
    CHECK(hgq_norm_int(S("0.00"), &v));
    CHECK_EQ_INT(0, v);
    CHECK(hgq_norm_int(S("62020平方米"), &v));
    CHECK_EQ_INT(62020, v);
    CHECK(hgq_norm_int(S("235台"), &v));
    CHECK_EQ_INT(235, v);
    CHECK(hgq_norm_int(S("9223372036854775807"), &v));
    CHECK(v == INT64_MAX);
    CHECK(hgq_norm_int(S("-9,223,372,036,854,775,808"), &v));
    CHECK(v == INT64_MIN);
    CHECK(!hgq_norm_int(S("9223372036854775808"), &v));
    CHECK(!hgq_norm_int(S("1e19"), &v));
    CHECK(!hgq_norm_int(S("1e9999"), &v));
    CHECK(!hgq_norm_int(S("1.5"), &v));
    CHECK(!hgq_norm_int(S("0.05"), &v));
    CHECK(!hgq_norm_int(S("50%"), &v));
    CHECK(!hgq_norm_int(S("100%"), &v));
    CHECK(!hgq_norm_int(S("3万人"), &v)); /* not 3 */
    CHECK(!hgq_norm_int(S("680万元"), &v));
    CHECK(!hgq_norm_int(S("12,34"), &v));
    CHECK(!hgq_norm_int(S("3班"), &v));
    CHECK(!hgq_norm_int(S(""), &v));
    CHECK(hgq_norm_int(S("5"), NULL));
}

/* }==================================================================== */

/* {====================================================================
 * Dates
 * ===================================================================== */

static void check_date(const char *text, int y, int m, int d, double secs,
                       hgq_date_precision want_prec)
{
    double serial = -1;
    hgq_date_precision prec = (hgq_date_precision)99;
    if (!hgq_norm_date(text, strlen(text), &serial, &prec)) {
        T_FAIL("rejected date \"%s\"", text);
        return;
    }
    if (fabs(serial - (hgq_date_from_ymd(y, m, d) + secs / 86400.0)) > 1e-9)
        T_FAIL("\"%s\": serial %.6f, want %04d-%02d-%02d +%gs", text, serial, y, m, d, secs);
    if (prec != want_prec)
        T_FAIL("\"%s\": precision %d, want %d", text, (int)prec, (int)want_prec);
}

TEST(date_spellings)
{
    check_date("2025-09-01", 2025, 9, 1, 0, HGQ_DATE_DAY);
    check_date("2025/9/1", 2025, 9, 1, 0, HGQ_DATE_DAY);
    check_date("2025.09.01", 2025, 9, 1, 0, HGQ_DATE_DAY);
    check_date("2025年9月1日", 2025, 9, 1, 0, HGQ_DATE_DAY);
    check_date("2025年09月01日", 2025, 9, 1, 0, HGQ_DATE_DAY);
    check_date("2025年9月1号", 2025, 9, 1, 0, HGQ_DATE_DAY);
    check_date("2025 年 9 月 1 日", 2025, 9, 1, 0, HGQ_DATE_DAY);
    check_date("2025年9月", 2025, 9, 1, 0, HGQ_DATE_MONTH);
    check_date("2025年", 2025, 1, 1, 0, HGQ_DATE_YEAR);
    check_date("20250901", 2025, 9, 1, 0, HGQ_DATE_DAY);
    check_date("2025-9-1 0:00:00", 2025, 9, 1, 0, HGQ_DATE_DAY);
    check_date("2025/9/1 8:30", 2025, 9, 1, 8 * 3600 + 30 * 60, HGQ_DATE_DAY);
    check_date("2025-09-01T23:59:59", 2025, 9, 1, 86399, HGQ_DATE_DAY);
    check_date("2025-09-01 12:00:00.000", 2025, 9, 1, 43200, HGQ_DATE_DAY);
    check_date("2025年9月1日 14:05", 2025, 9, 1, 14 * 3600 + 5 * 60, HGQ_DATE_DAY);
    check_date("2025年9月1日14:05", 2025, 9, 1, 14 * 3600 + 5 * 60, HGQ_DATE_DAY);
    check_date("２０２５年９月１日", 2025, 9, 1, 0, HGQ_DATE_DAY);
    check_date("２０２５－０９－０１", 2025, 9, 1, 0, HGQ_DATE_DAY);
    check_date("  2025-09-01\xE3\x80\x80", 2025, 9, 1, 0, HGQ_DATE_DAY);
    check_date("2025-09", 2025, 9, 1, 0, HGQ_DATE_MONTH);
    check_date("2025/9", 2025, 9, 1, 0, HGQ_DATE_MONTH);
    check_date("2025.10", 2025, 10, 1, 0, HGQ_DATE_MONTH);
    check_date("2024-02-29", 2024, 2, 29, 0, HGQ_DATE_DAY);
    check_date("2000-02-29", 2000, 2, 29, 0, HGQ_DATE_DAY);
    check_date("1900-01-01", 1900, 1, 1, 0, HGQ_DATE_DAY);
    check_date("1958年", 1958, 1, 1, 0, HGQ_DATE_YEAR);
}

TEST(date_rejected)
{
    static const char *const bad[] = {
        "2025-02-30", "2023-02-29", "1900-02-29", "2025-13-01", "2025-00-10", "2025-09-00",
        "20250230", "2025年2月30日", "2025年13月", "25-9-1", "25/9/1", "25年9月1日",
        "9/1/2025", "01.09.2025", "2025", "202509", "2025-09-01 24:00", "2025-09-01 8:60",
        "2025-09-01 8:5", "2025-09-01 08:00:60", "2025/9-1", "2025-9/1", "2025-09-01-",
        "2025-09-01x", "2025年9月1", "2025年9", "1899-12-31", "0025-09-01", "12025-09-01",
        "2025-009-01", "2025-09-001", "二〇二五年九月一日", "2025年9月 8:00", "2025-09 08:00",
        "", " ", "2025-09-01\xFF", "2025--09-01", "2025-09-01T", "2025-09-01 08:00:00.",
    };
    size_t i;
    double serial;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (hgq_norm_date(bad[i], strlen(bad[i]), &serial, NULL))
            T_FAIL("accepted date \"%s\"", bad[i]);
    CHECK(hgq_norm_date(S("2025-09-01"), NULL, NULL));
}

/* }==================================================================== */

/* {====================================================================
 * Booleans and genders
 * ===================================================================== */

TEST(bool_spellings)
{
    static const char *const yes[] = {
        "是", "有", "√", "✓", "✔", "Y", "y", "YES", "Yes", "T", "TRUE", "true", "1", "对",
        "Ｙ", " 是 ", "ｙｅｓ"
    };
    static const char *const no[] = {
        "否", "无", "×", "✗", "✘", "N", "n", "NO", "no", "F", "FALSE", "False", "0", "错",
        "\xE3\x80\x80否"
    };
    static const char *const neither[] = {
        "", "maybe", "2", "是的", "X", "x", "yes!", "10", "Y E S", "\xFF"
    };
    size_t i;
    int b;
    for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        b = -1;
        if (!hgq_norm_bool(S(yes[i]), &b) || b != 1)
            T_FAIL("\"%s\" not true", yes[i]);
    }
    for (i = 0; i < sizeof no / sizeof no[0]; i++) {
        b = -1;
        if (!hgq_norm_bool(S(no[i]), &b) || b != 0)
            T_FAIL("\"%s\" not false", no[i]);
    }
    for (i = 0; i < sizeof neither / sizeof neither[0]; i++)
        if (hgq_norm_bool(S(neither[i]), &b))
            T_FAIL("\"%s\" taken as a boolean", neither[i]);
}

TEST(gender_spellings)
{
    static const char *const male[] = {"男", "男性", "男生", "M", "m", "Male", "1", "Ｍ", " 男 "};
    static const char *const female[] = {"女", "女性", "女生", "F", "f", "FEMALE", "2", "ｆ"};
    static const char *const neither[] = {"", "0", "9", "未知", "男女", "X", "3"};
    size_t i;
    int m;
    for (i = 0; i < sizeof male / sizeof male[0]; i++) {
        m = -1;
        if (!hgq_norm_gender(S(male[i]), &m) || m != 1)
            T_FAIL("\"%s\" not male", male[i]);
    }
    for (i = 0; i < sizeof female / sizeof female[0]; i++) {
        m = -1;
        if (!hgq_norm_gender(S(female[i]), &m) || m != 0)
            T_FAIL("\"%s\" not female", female[i]);
    }
    for (i = 0; i < sizeof neither / sizeof neither[0]; i++)
        if (hgq_norm_gender(S(neither[i]), &m))
            T_FAIL("\"%s\" taken as a gender", neither[i]);
}

/* }==================================================================== */

/* {====================================================================
 * ID numbers
 * ===================================================================== */

/* The check character computed the textbook way, independently of the
 * library's table: (12 - sum mod 11) mod 11, 10 written X. */
static char ref_check(const char *d)
{
    int sum = 0, i, r;
    for (i = 0; i < 17; i++) {
        int w = 1, k;
        for (k = 0; k < 17 - i; k++)
            w = w * 2 % 11; /* weight of position i is 2^(17-i) mod 11 */
        sum += (d[i] - '0') * w;
    }
    r = (12 - sum % 11) % 11;
    return r == 10 ? 'X' : (char)('0' + r);
}

/* Valid numbers: the GB 11643 example and others with known check digits. */
static const struct {
    const char *id;
    int y, m, d, male;
} good_ids[] = {
    {"11010519491231002X", 1949, 12, 31, 0},
    {"430412199001011237", 1990, 1, 1, 1},
    {"430407200802290015", 2008, 2, 29, 1},
    {"110101190001010014", 1900, 1, 1, 1},
    {"430421200012315676", 2000, 12, 31, 1},
    {"360102201003150022", 2010, 3, 15, 0},
    {"510107198511089999", 1985, 11, 8, 1},
    {"430421199001013001", 1990, 1, 1, 0},
    {"43042119900101301X", 1990, 1, 1, 1},
    {"440304200002291236", 2000, 2, 29, 1},
};

TEST(idcard_check_char)
{
    size_t i;
    uint64_t seed = 99;
    for (i = 0; i < sizeof good_ids / sizeof good_ids[0]; i++) {
        CHECK_EQ_INT(ref_check(good_ids[i].id), hgq_idcard_check_char(good_ids[i].id));
        CHECK_EQ_INT(good_ids[i].id[17], hgq_idcard_check_char(good_ids[i].id));
    }
    for (i = 0; i < 5000; i++) {
        char d[18];
        int k;
        for (k = 0; k < 17; k++) {
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            d[k] = (char)('0' + (seed >> 33) % 10);
        }
        d[17] = '\0';
        if (hgq_idcard_check_char(d) != ref_check(d))
            T_FAIL("%s: %c, want %c", d, hgq_idcard_check_char(d), ref_check(d));
    }
    CHECK_EQ_INT(0, hgq_idcard_check_char("1234"));
    CHECK_EQ_INT(0, hgq_idcard_check_char("1101051949123100A"));
    CHECK_EQ_INT(0, hgq_idcard_check_char(NULL));
}

TEST(idcard_valid)
{
    size_t i;
    for (i = 0; i < sizeof good_ids / sizeof good_ids[0]; i++) {
        hgq_idcard id;
        const char *s = good_ids[i].id;
        if (!hgq_norm_idcard(s, strlen(s), &id)) {
            T_FAIL("%s rejected: problems %d", s, id.problems);
            continue;
        }
        CHECK_EQ_INT(0, id.problems);
        CHECK_EQ_STR(s, id.number);
        CHECK_EQ_DBL(hgq_date_from_ymd(good_ids[i].y, good_ids[i].m, good_ids[i].d), id.birth, 0);
        CHECK_EQ_INT(good_ids[i].male, id.male);
    }
}

TEST(idcard_spellings)
{
    hgq_idcard id;
    CHECK(hgq_norm_idcard(S("11010519491231002x"), &id)); /* lowercase x */
    CHECK_EQ_STR("11010519491231002X", id.number);
    CHECK(hgq_norm_idcard(S(" 110105 19491231 002X "), &id)); /* spaces */
    CHECK_EQ_STR("11010519491231002X", id.number);
    CHECK(hgq_norm_idcard(S("110105\xE3\x80\x80" "19491231\t002x"), &id));
    CHECK_EQ_STR("11010519491231002X", id.number);
    CHECK(hgq_norm_idcard(S("１１０１０５１９４９１２３１００２ｘ"), &id)); /* full width */
    CHECK_EQ_STR("11010519491231002X", id.number);
    CHECK(hgq_norm_idcard(S("１１０１０５１９４９１２３１００２Ｘ"), &id));
    CHECK(hgq_norm_idcard(S("11010519491231002X"), NULL));
}

TEST(idcard_wrong_checksum)
{
    size_t i;
    for (i = 0; i < sizeof good_ids / sizeof good_ids[0]; i++) {
        char s[19];
        int k;
        for (k = 0; k < 11; k++) {
            hgq_idcard id;
            char c = k < 10 ? (char)('0' + k) : 'X';
            memcpy(s, good_ids[i].id, 19);
            if (c == s[17])
                continue;
            s[17] = c;
            CHECK(!hgq_norm_idcard(s, 18, &id));
            CHECK_EQ_INT(HGQ_ID_CHECKSUM, id.problems);
            CHECK_EQ_STR(s, id.number);
            CHECK_EQ_INT(good_ids[i].male, id.male); /* still read, not to be trusted */
        }
        /* a transposition of two different digits is caught too */
        memcpy(s, good_ids[i].id, 19);
        if (s[14] != s[15]) {
            hgq_idcard id;
            char t = s[14];
            s[14] = s[15];
            s[15] = t;
            CHECK(!hgq_norm_idcard(s, 18, &id));
            CHECK(id.problems & HGQ_ID_CHECKSUM);
        }
    }
}

/* Builds a number with a correct check digit around a 17-digit body. */
static void with_check(const char *body17, char *out)
{
    memcpy(out, body17, 17);
    out[17] = ref_check(body17);
    out[18] = '\0';
}

TEST(idcard_bad_birth)
{
    static const char *const bodies[] = {
        "44052418800101001", /* 1880: before 1900 */
        "43041219900230123", /* 30 February */
        "43041219901301123", /* month 13 */
        "43041219900100123", /* day 0 */
        "43041221010101123", /* 2101 */
        "43041220230229123", /* 2023 not a leap year */
    };
    size_t i;
    for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        char s[19];
        hgq_idcard id;
        with_check(bodies[i], s);
        CHECK(!hgq_norm_idcard(s, 18, &id));
        CHECK_EQ_INT(HGQ_ID_BIRTH, id.problems); /* checksum right, birth wrong */
        CHECK_EQ_DBL(0, id.birth, 0);
        CHECK_EQ_STR(s, id.number);
    }
    {
        hgq_idcard id;
        CHECK(hgq_norm_idcard(S("440524188001010014"), &id) == 0);
        CHECK_EQ_INT(HGQ_ID_BIRTH, id.problems);
    }
}

TEST(idcard_length_and_chars)
{
    hgq_idcard id;
    /* 15-digit first-generation number: birth 19YYMMDD, gender from digit 15 */
    CHECK(!hgq_norm_idcard(S("110105491231002"), &id));
    CHECK_EQ_INT(HGQ_ID_LENGTH, id.problems);
    CHECK_EQ_STR("", id.number);
    CHECK_EQ_DBL(hgq_date_from_ymd(1949, 12, 31), id.birth, 0);
    CHECK_EQ_INT(0, id.male);
    CHECK(!hgq_norm_idcard(S("110105491301003"), &id)); /* month 13 */
    CHECK_EQ_INT(HGQ_ID_LENGTH | HGQ_ID_BIRTH, id.problems);
    CHECK_EQ_INT(1, id.male);
    CHECK(!hgq_norm_idcard(S("11010549123100X"), &id)); /* 15 characters have no X */
    CHECK_EQ_INT(HGQ_ID_LENGTH | HGQ_ID_CHARS, id.problems);

    CHECK(!hgq_norm_idcard(S("1101051949123100"), &id)); /* 16 */
    CHECK_EQ_INT(HGQ_ID_LENGTH, id.problems);
    CHECK_EQ_INT(-1, id.male);
    CHECK_EQ_DBL(0, id.birth, 0);
    CHECK(!hgq_norm_idcard(S("11010519491231002X1"), &id)); /* 19 */
    CHECK(id.problems & HGQ_ID_LENGTH);
    CHECK(id.problems & HGQ_ID_CHARS); /* X not last */
    CHECK(!hgq_norm_idcard(S(""), &id));
    CHECK_EQ_INT(HGQ_ID_LENGTH, id.problems);
    CHECK(!hgq_norm_idcard(NULL, 0, &id));
    CHECK_EQ_INT(HGQ_ID_LENGTH, id.problems);

    CHECK(!hgq_norm_idcard(S("11010519491231002A"), &id));
    CHECK_EQ_INT(HGQ_ID_CHARS, id.problems);
    CHECK_EQ_STR("", id.number);
    CHECK_EQ_INT(-1, id.male);
    CHECK(!hgq_norm_idcard(S("1101051949X231002X"), &id)); /* X inside */
    CHECK_EQ_INT(HGQ_ID_CHARS, id.problems);
    CHECK(!hgq_norm_idcard(S("110105-19491231-002X"), &id));
    CHECK(id.problems & HGQ_ID_CHARS);
    CHECK(!hgq_norm_idcard(S("11010519491231002\xFF"), &id));
    CHECK(id.problems & HGQ_ID_CHARS);
    CHECK(!hgq_norm_idcard(S("张三"), &id));
    CHECK_EQ_INT(HGQ_ID_LENGTH | HGQ_ID_CHARS, id.problems);
}

TEST(idcard_numeric)
{
    hgq_idcard id;
    /* an 18-digit ID kept as a double: always an error, birth still known */
    CHECK(!hgq_norm_idcard_from_number(430412199001011237.0, &id));
    CHECK_EQ_INT(HGQ_ID_NUMERIC, id.problems);
    CHECK_EQ_STR("", id.number);
    CHECK_EQ_INT(-1, id.male);
    CHECK_EQ_DBL(hgq_date_from_ymd(1990, 1, 1), id.birth, 0);
    /* the same after Excel kept 15 significant digits */
    CHECK(!hgq_norm_idcard_from_number(430412199001011000.0, &id));
    CHECK_EQ_INT(HGQ_ID_NUMERIC, id.problems);
    CHECK_EQ_DBL(hgq_date_from_ymd(1990, 1, 1), id.birth, 0);
    /* digits 15-18 near 0000: the integer could belong to the day before */
    CHECK(!hgq_norm_idcard_from_number(430412199001010000.0, &id));
    CHECK_EQ_INT(HGQ_ID_NUMERIC, id.problems);
    CHECK_EQ_DBL(0, id.birth, 0);
    /* a birth date that is no date */
    CHECK(!hgq_norm_idcard_from_number(430412199013011237.0, &id));
    CHECK_EQ_INT(HGQ_ID_NUMERIC | HGQ_ID_BIRTH, id.problems);
    /* 15 digits are exact */
    CHECK(!hgq_norm_idcard_from_number(110105491231002.0, &id));
    CHECK_EQ_INT(HGQ_ID_NUMERIC | HGQ_ID_LENGTH, id.problems);
    CHECK_EQ_DBL(hgq_date_from_ymd(1949, 12, 31), id.birth, 0);
    CHECK_EQ_INT(0, id.male);
    /* not an ID at all */
    CHECK(!hgq_norm_idcard_from_number(12345.0, &id));
    CHECK_EQ_INT(HGQ_ID_NUMERIC | HGQ_ID_LENGTH, id.problems);
    CHECK(!hgq_norm_idcard_from_number(-430412199001011237.0, &id));
    CHECK_EQ_INT(HGQ_ID_NUMERIC | HGQ_ID_LENGTH, id.problems);
    CHECK(!hgq_norm_idcard_from_number(NAN, &id));
    CHECK(!hgq_norm_idcard_from_number(INFINITY, &id));
    CHECK_EQ_INT(HGQ_ID_NUMERIC | HGQ_ID_LENGTH, id.problems);
    CHECK(!hgq_norm_idcard_from_number(1e18, &id));
    CHECK(!hgq_norm_idcard_from_number(430412199001011.5, &id));
    CHECK_EQ_INT(HGQ_ID_NUMERIC | HGQ_ID_LENGTH, id.problems);
    CHECK(!hgq_norm_idcard_from_number(430412199001011237.0, NULL));

    /* a numeric cell written to CSV as text */
    CHECK(!hgq_norm_idcard(S("4.30412199001011E+17"), &id));
    CHECK_EQ_INT(HGQ_ID_NUMERIC, id.problems);
    CHECK_EQ_DBL(hgq_date_from_ymd(1990, 1, 1), id.birth, 0);
    CHECK(!hgq_norm_idcard(S("4.30412E+17"), &id)); /* 6 digits: birth lost */
    CHECK_EQ_INT(HGQ_ID_NUMERIC, id.problems);
    CHECK_EQ_DBL(0, id.birth, 0);
    CHECK(!hgq_norm_idcard(S("1E+17"), &id));
    CHECK_EQ_INT(HGQ_ID_NUMERIC, id.problems);
    CHECK_EQ_DBL(0, id.birth, 0);
    CHECK(!hgq_norm_idcard(S("4.30412e17"), &id));
    CHECK(id.problems & HGQ_ID_NUMERIC);
    CHECK(!hgq_norm_idcard(S("1.5E+3"), &id));
    CHECK_EQ_INT(HGQ_ID_NUMERIC | HGQ_ID_LENGTH, id.problems);
}

/* Whatever an ID lost to floating point, the birth date read from it is
 * either the true one or unknown, never another date. */
TEST(idcard_numeric_never_wrong)
{
    uint64_t seed = 7;
    int i, known = 0;
    for (i = 0; i < 20000; i++) {
        char body[18], s[19];
        hgq_idcard id, num;
        int y, m, d, mode;
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        y = 1950 + (int)((seed >> 33) % 60);
        m = 1 + (int)((seed >> 40) % 12);
        d = 1 + (int)((seed >> 45) % 28);
        snprintf(body, sizeof body, "430421%04d%02d%02d%03d", y, m, d, (int)((seed >> 20) % 1000));
        with_check(body, s);
        if (!hgq_norm_idcard(s, 18, &id))
            T_FAIL("%s rejected", s);
        mode = i % 2;
        if (s[17] == 'X')
            s[17] = '0';
        if (mode == 1) { /* Excel: digits after the 15th become zeros */
            s[15] = s[16] = s[17] = '0';
        }
        hgq_norm_idcard_from_number(strtod(s, NULL), &num);
        if (!(num.problems & HGQ_ID_NUMERIC))
            T_FAIL("%s: not flagged numeric", s);
        if (num.birth != 0) {
            known++;
            if (num.birth != id.birth)
                T_FAIL("%s: birth %.0f, want %.0f", s, num.birth, id.birth);
        }
    }
    CHECK(known > 20000 / 2); /* and usually it is known */
}

TEST(idcard_mask)
{
    char out[32];
    hgq_idcard id;
    hgq_idcard_mask("11010519491231002X", out, sizeof out);
    CHECK_EQ_STR("110105********002X", out);
    CHECK(hgq_norm_idcard(S(" 11010519491231002x "), &id));
    hgq_idcard_mask(id.number, out, sizeof out);
    CHECK_EQ_INT(18, strlen(out));
    CHECK(memcmp(out, id.number, 6) == 0 && memcmp(out + 14, id.number + 14, 4) == 0);
    hgq_idcard_mask("110105491231002", out, sizeof out);
    CHECK_EQ_STR("110105*****1002", out);
    hgq_idcard_mask("1234567", out, sizeof out);
    CHECK_EQ_STR("*******", out);
    hgq_idcard_mask("张三丰", out, sizeof out);
    CHECK_EQ_STR("***", out);
    hgq_idcard_mask("", out, sizeof out);
    CHECK_EQ_STR("", out);
    hgq_idcard_mask(NULL, out, sizeof out);
    CHECK_EQ_STR("", out);
    hgq_idcard_mask("11010519491231002X", out, 10); /* truncated, never overflowing */
    CHECK_EQ_STR("110105***", out);
    hgq_idcard_mask("11010519491231002X", NULL, 0);
}

/* }==================================================================== */

/* {====================================================================
 * Age bands
 * ===================================================================== */

TEST(age_bands)
{
    static const struct {
        int age, band;
        const char *label;
    } cases[] = {
        {0, 0, "30岁以下"}, {18, 0, "30岁以下"}, {30, 0, "30岁以下"},
        {31, 1, "31-40岁"}, {40, 1, "31-40岁"}, {41, 2, "41-50岁"}, {50, 2, "41-50岁"},
        {51, 3, "51-60岁"}, {60, 3, "51-60岁"}, {61, 4, "60岁以上"}, {99, 4, "60岁以上"},
    };
    size_t i;
    const char *label = "x";
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_EQ_INT(cases[i].band, hgq_norm_age_band(cases[i].age, &label));
        CHECK_EQ_STR(cases[i].label, label);
        CHECK_EQ_STR(cases[i].label, hgq_norm_age_band_label(cases[i].band));
    }
    CHECK_EQ_INT(-1, hgq_norm_age_band(-1, &label));
    CHECK(label == NULL);
    CHECK_EQ_INT(4, hgq_norm_age_band(2147483647, NULL));
    CHECK(hgq_norm_age_band_label(HGQ_AGE_BANDS) == NULL);
    CHECK(hgq_norm_age_band_label(-1) == NULL);
    CHECK_EQ_INT(5, HGQ_AGE_BANDS);
}

/* }==================================================================== */

int main(void)
{
    RUN(fold_full_width_and_trim);
    RUN(fold_never_grows);
    RUN(collapse_header_names);
    RUN(number_plain_and_grouped);
    RUN(number_misplaced_separators_rejected);
    RUN(number_units);
    RUN(number_unknown_suffix_rejected);
    RUN(number_percent);
    RUN(number_rounding_matches_strtod);
    RUN(number_limits);
    RUN(int_values);
    RUN(date_spellings);
    RUN(date_rejected);
    RUN(bool_spellings);
    RUN(gender_spellings);
    RUN(idcard_check_char);
    RUN(idcard_valid);
    RUN(idcard_spellings);
    RUN(idcard_wrong_checksum);
    RUN(idcard_bad_birth);
    RUN(idcard_length_and_chars);
    RUN(idcard_numeric);
    RUN(idcard_numeric_never_wrong);
    RUN(idcard_mask);
    RUN(age_bands);
    return t_done();
}
