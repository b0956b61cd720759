/*
 * t.h - a minimal unit-test harness printing TAP.
 *
 *   TEST(dates_roundtrip) { CHECK(hgq_date_valid(2024, 2, 29)); CHECK_EQ_INT(1, 1); }
 *   int main(void) { RUN(dates_roundtrip); return t_done(); }
 *
 * Test data lives beside the sources: T_DATA("x.csv") is tests/data/x.csv,
 * T_SHARED("corpus/calamine/date.xlsx") is ../shared/corpus/... (override the
 * roots with HGQ_TEST_DATA and HGQ_SHARED).
 */
#ifndef HGQ_T_H
#define HGQ_T_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int t_count, t_failed, t_cur_failed;
static const char *t_cur_name;

#define T_FAIL(...)                                                   \
    do {                                                              \
        t_cur_failed++;                                               \
        printf("# %s:%d: ", __FILE__, __LINE__);                     \
        printf(__VA_ARGS__);                                          \
        printf("\n");                                                 \
    } while (0)

#define CHECK(cond)                                                   \
    do {                                                              \
        if (!(cond))                                                  \
            T_FAIL("CHECK(%s) failed", #cond);                        \
    } while (0)

#define CHECK_EQ_INT(want, got)                                       \
    do {                                                              \
        long long w_ = (long long)(want), g_ = (long long)(got);      \
        if (w_ != g_)                                                 \
            T_FAIL("%s == %s: want %lld, got %lld", #want, #got, w_, g_); \
    } while (0)

#define CHECK_EQ_DBL(want, got, eps)                                  \
    do {                                                              \
        double w_ = (double)(want), g_ = (double)(got);               \
        if (!(fabs(w_ - g_) <= (eps)))                                \
            T_FAIL("%s == %s: want %.10g, got %.10g", #want, #got, w_, g_); \
    } while (0)

#define CHECK_EQ_STR(want, got)                                       \
    do {                                                              \
        const char *w_ = (want), *g_ = (got);                         \
        if (!g_ || strcmp(w_, g_) != 0)                               \
            T_FAIL("%s == %s: want \"%s\", got \"%s\"", #want, #got, w_, g_ ? g_ : "(null)"); \
    } while (0)

#define TEST(name) static void name(void)

#define RUN(name)                                                     \
    do {                                                              \
        t_cur_name = #name;                                           \
        t_cur_failed = 0;                                             \
        name();                                                       \
        t_count++;                                                    \
        if (t_cur_failed) {                                           \
            t_failed++;                                               \
            printf("not ok %d - %s\n", t_count, t_cur_name);          \
        } else {                                                      \
            printf("ok %d - %s\n", t_count, t_cur_name);              \
        }                                                             \
        fflush(stdout);                                               \
    } while (0)

static inline int t_done(void)
{
    printf("1..%d\n", t_count);
    return t_failed ? 1 : 0;
}

static inline const char *t_path(const char *env, const char *dflt, const char *rel)
{
    static char bufs[8][1024];
    static int next;
    char *b = bufs[next++ % 8];
    const char *root = getenv(env);
    snprintf(b, 1024, "%s/%s", root && *root ? root : dflt, rel);
    return b;
}

#define T_DATA(rel) t_path("HGQ_TEST_DATA", "tests/data", rel)
#define T_SHARED(rel) t_path("HGQ_SHARED", "../shared", rel)

#endif
