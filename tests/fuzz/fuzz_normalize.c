/*
 * fuzz_normalize.c - libFuzzer target running every normaliser on the input
 * and checking the invariants their contracts promise.
 *
 *   clang -fsanitize=fuzzer,address,undefined -Ilibhgq/include -Ilibhgq/src \
 *       tests/fuzz/fuzz_normalize.c libhgq/src/normalize.c libhgq/src/value.c \
 *       libhgq/src/util.c libhgq/src/error.c -o fuzz_normalize
 *   ./fuzz_normalize -dict=tests/fuzz/normalize.dict -max_total_time=60
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hgq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond)                                                   \
    do {                                                                \
        if (!(cond))                                                    \
            __builtin_trap();                                           \
    } while (0)

static int has_ascii_space(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))
            return 1;
    return 0;
}

static void check_fold(const char *s, size_t len, char *buf, char *buf2)
{
    size_t n = hgq_norm_fold(s, len, buf, len + 1), n2;
    int valid = hgq_utf8_valid(s, len);
    REQUIRE(n != (size_t)-1 && n <= len && buf[n] == '\0');
    if (n > 0)
        REQUIRE(!has_ascii_space(buf, 1) && !has_ascii_space(buf + n - 1, 1));
    if (valid) {
        /* valid text stays valid, and folding twice changes nothing */
        REQUIRE(hgq_utf8_valid(buf, n));
        n2 = hgq_norm_fold(buf, n, buf2, n + 1);
        REQUIRE(n2 == n && memcmp(buf, buf2, n) == 0);
    }
    /* too small a buffer fails cleanly */
    if (n > 0) {
        REQUIRE(hgq_norm_fold(s, len, buf2, n) == (size_t)-1);
        REQUIRE(buf2[0] == '\0');
    }

    n = hgq_norm_collapse(s, len, buf, len + 1);
    REQUIRE(n != (size_t)-1 && n <= len && buf[n] == '\0');
    REQUIRE(!has_ascii_space(buf, n));
    if (valid) {
        n2 = hgq_norm_collapse(buf, n, buf2, n + 1);
        REQUIRE(n2 == n && memcmp(buf, buf2, n) == 0);
    }
}

static void check_number(const char *s, size_t len, const char *folded, size_t flen)
{
    hgq_number num, again;
    int64_t i;
    int ok = hgq_norm_number(s, len, &num);
    int iok = hgq_norm_int(s, len, &i);
    if (ok) {
        size_t ulen = strnlen(num.unit, sizeof num.unit);
        REQUIRE(ulen < sizeof num.unit);
        REQUIRE(isfinite(num.value));
        REQUIRE(num.percent == 0 || num.percent == 1);
        if (num.percent)
            REQUIRE(strcmp(num.unit, "%") == 0 || strcmp(num.unit, "\xE2\x80\xB0") == 0);
        /* parsing the folded text gives the same */
        REQUIRE(hgq_norm_number(folded, flen, &again));
        REQUIRE(memcmp(&num.value, &again.value, sizeof num.value) == 0 &&
                strcmp(num.unit, again.unit) == 0);
    }
    if (iok) {
        double d = (double)i;
        REQUIRE(ok && !num.percent);
        REQUIRE(fabs(num.value - d) <= fabs(d) * 1e-15);
        if (i > -(INT64_C(1) << 53) && i < (INT64_C(1) << 53))
            REQUIRE(num.value == d);
    }
}

static void check_date(const char *s, size_t len)
{
    double serial;
    hgq_date_precision prec;
    hgq_datetime dt;
    if (!hgq_norm_date(s, len, &serial, &prec))
        return;
    REQUIRE(isfinite(serial));
    REQUIRE(serial >= hgq_date_from_ymd(1900, 1, 1) && serial < hgq_date_from_ymd(10000, 1, 1));
    REQUIRE(prec == HGQ_DATE_DAY || prec == HGQ_DATE_MONTH || prec == HGQ_DATE_YEAR);
    hgq_date_to_parts(serial, &dt);
    REQUIRE(hgq_date_valid(dt.year, dt.month, dt.day));
    if (prec != HGQ_DATE_DAY)
        REQUIRE(dt.day == 1 && serial == floor(serial));
    if (prec == HGQ_DATE_YEAR)
        REQUIRE(dt.month == 1);
}

static void check_mask(const char *number)
{
    char out[64];
    size_t n = strlen(number), m, i;
    hgq_idcard_mask(number, out, sizeof out);
    m = strlen(out);
    REQUIRE(m < sizeof out && m <= n);
    /* only the first 6 and last 4 characters ever show */
    for (i = 0; i < m; i++)
        if (out[i] != '*')
            REQUIRE(n >= 15 && (i < 6 || i >= n - 4) && out[i] == number[i]);
}

static void check_idcard(const char *s, size_t len)
{
    hgq_idcard id;
    int ok = hgq_norm_idcard(s, len, &id);
    size_t n = strnlen(id.number, sizeof id.number);
    REQUIRE(n < sizeof id.number);
    REQUIRE((id.problems & ~0x1F) == 0);
    REQUIRE(ok == (id.problems == 0));
    REQUIRE(id.male >= -1 && id.male <= 1);
    REQUIRE(n == 0 || n == 18);
    if (id.problems & (HGQ_ID_CHARS | HGQ_ID_NUMERIC | HGQ_ID_LENGTH))
        REQUIRE(n == 0);
    if (id.problems & HGQ_ID_BIRTH)
        REQUIRE(id.birth == 0);
    if (n == 18) {
        char masked[19];
        int k;
        for (k = 0; k < 17; k++)
            REQUIRE(id.number[k] >= '0' && id.number[k] <= '9');
        REQUIRE(((id.number[17] >= '0' && id.number[17] <= '9') || id.number[17] == 'X'));
        REQUIRE(((hgq_idcard_check_char(id.number) == id.number[17]) ==
                 !(id.problems & HGQ_ID_CHECKSUM)));
        REQUIRE(id.male == (id.number[16] - '0') % 2);
        hgq_idcard_mask(id.number, masked, sizeof masked);
        REQUIRE(strlen(masked) == 18);
        REQUIRE(memcmp(masked, id.number, 6) == 0 && memcmp(masked + 14, id.number + 14, 4) == 0);
        REQUIRE(strspn(masked + 6, "*") == 8);
    }
    if (ok) {
        hgq_datetime dt;
        REQUIRE(n == 18 && id.birth != 0);
        hgq_date_to_parts(id.birth, &dt);
        REQUIRE(dt.year >= 1900 && dt.year <= 2100);
        REQUIRE(dt.year == (id.number[6] - '0') * 1000 + (id.number[7] - '0') * 100 +
                               (id.number[8] - '0') * 10 + (id.number[9] - '0'));
    }
}

static void check_numeric_id(const uint8_t *data, size_t size)
{
    hgq_idcard id;
    double v;
    if (size < sizeof v)
        return;
    memcpy(&v, data, sizeof v);
    REQUIRE(hgq_norm_idcard_from_number(v, &id) == 0);
    REQUIRE(id.problems & HGQ_ID_NUMERIC);
    REQUIRE(id.number[0] == '\0');
    if (id.birth != 0) {
        hgq_datetime dt;
        hgq_date_to_parts(id.birth, &dt);
        REQUIRE(dt.year >= 1900 && dt.year <= 2100);
    }
}

static void check_small(const uint8_t *data, size_t size, const char *s, size_t len)
{
    int b, age;
    const char *label;
    char c;
    if (hgq_norm_bool(s, len, &b))
        REQUIRE(b == 0 || b == 1);
    if (hgq_norm_gender(s, len, &b))
        REQUIRE(b == 0 || b == 1);
    c = hgq_idcard_check_char(s);
    REQUIRE(c == '\0' || (c >= '0' && c <= '9') || c == 'X');
    if (size >= sizeof age) {
        int band;
        memcpy(&age, data, sizeof age);
        band = hgq_norm_age_band(age, &label);
        REQUIRE(band >= -1 && band < HGQ_AGE_BANDS);
        REQUIRE(band < 0 ? label == NULL : label == hgq_norm_age_band_label(band));
        if (age < 2147483647) /* bands never go down as age goes up */
            REQUIRE(band <= hgq_norm_age_band(age + 1, NULL));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), *buf = malloc(size + 1), *buf2 = malloc(size + 1);
    size_t flen;
    if (!s || !buf || !buf2)
        goto done;
    memcpy(s, data, size);
    s[size] = '\0'; /* for the NUL-terminated APIs; lengths are passed elsewhere */

    check_fold(s, size, buf, buf2);
    flen = hgq_norm_fold(s, size, buf, size + 1);
    check_number(s, size, buf, flen);
    check_date(s, size);
    check_idcard(s, size);
    check_numeric_id(data, size);
    check_small(data, size, s, size);
    check_mask(s);
done:
    free(s);
    free(buf);
    free(buf2);
    return 0;
}
