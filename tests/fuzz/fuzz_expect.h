/*
 * fuzz_expect.h - FZ_EXPECT(cond): the contract check of the fuzz targets.
 * A broken contract prints where and aborts, which libFuzzer reports as a
 * crash with the input that caused it.
 */
#ifndef HGQ_FUZZ_EXPECT_H
#define HGQ_FUZZ_EXPECT_H

#include <stdio.h>
#include <stdlib.h>

#define FZ_EXPECT(cond)                                                     \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: contract broken: %s\n", __FILE__,      \
                    __LINE__, #cond);                                       \
            abort();                                                        \
        }                                                                   \
    } while (0)

#endif
