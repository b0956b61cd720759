/*
 * cores.c - how many cores are free right now: the same fixed amount of
 * arithmetic per thread, run on one thread and then on N threads at once.
 * On N free cores both take the same time; on a machine whose other work
 * holds a core, N threads take longer.
 *
 *   cores [N]          (default N = 2)
 *
 * Prints one_s=, many_s=, threads= and free= (N * one_s / many_s: the
 * cores that were effectively available, at most N).
 */
#include <pthread.h>
#include <stdlib.h>

#include "bench.h"

#define WORK 1200000000UL

static void *spin(void *arg)
{
    volatile unsigned long x = 0;
    unsigned long i;
    for (i = 0; i < WORK; i++)
        x += i;
    return arg;
}

static double run(int n)
{
    pthread_t th[64];
    double t0 = bench_now();
    int i;
    for (i = 0; i < n; i++)
        if (pthread_create(&th[i], NULL, spin, NULL) != 0)
            bench_die("cores: cannot start a thread");
    for (i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    return bench_now() - t0;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2;
    double one, many, free_cores;
    if (n < 1 || n > 64)
        bench_die("usage: cores [N] (1 to 64)");
    one = run(1);
    many = run(n);
    free_cores = many > 0 ? n * one / many : 0;
    if (free_cores > n)
        free_cores = n;
    printf("one_s=%.4f\nmany_s=%.4f\nthreads=%d\nfree=%.2f\n", one, many, n, free_cores);
    return 0;
}
