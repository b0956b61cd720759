/*
 * test_pipe.c - the ordered work pipeline: order kept, bounded, every job run
 * once, early free.
 */
#include <stdint.h>

#include "pipe.h"
#include "t.h"

typedef struct job {
    size_t seq;
    uint64_t in, out;
    int runs;
} job;

/* Uneven work so jobs finish out of order. */
static void square_slowly(void *ctx, void *arg)
{
    job *j = arg;
    uint64_t x = j->in, spin = (j->seq % 7) * 20000;
    volatile uint64_t sink = 0;
    (void)ctx;
    while (spin--)
        sink += spin;
    j->out = x * x;
    j->runs++;
}

TEST(order_kept_under_uneven_work)
{
    enum { N = 2000 };
    static job jobs[N];
    size_t i, submitted = 0, taken = 0, bad = 0;
    hgq_pipe *p = hgq_pipe_new(3, 8, square_slowly, NULL);
    CHECK(p != NULL);
    if (!p)
        return;
    for (i = 0; i < N; i++) {
        jobs[i].seq = i;
        jobs[i].in = i + 1;
    }
    while (taken < N) {
        while (submitted < N && hgq_pipe_pending(p) < 8) {
            CHECK_EQ_INT(0, hgq_pipe_submit(p, &jobs[submitted]));
            submitted++;
        }
        job *j = hgq_pipe_take(p);
        if (!j || j->seq != taken || j->out != (uint64_t)(taken + 1) * (taken + 1))
            bad++;
        taken++;
    }
    CHECK_EQ_INT(0, bad);
    CHECK(hgq_pipe_take(p) == NULL);
    for (i = 0; i < N; i++)
        if (jobs[i].runs != 1)
            bad++;
    CHECK_EQ_INT(0, bad);
    hgq_pipe_free(p);
}

TEST(submit_refused_when_full)
{
    job a[3] = {{0, 2, 0, 0}, {1, 3, 0, 0}, {2, 4, 0, 0}};
    hgq_pipe *p = hgq_pipe_new(1, 2, square_slowly, NULL);
    CHECK(p != NULL);
    if (!p)
        return;
    CHECK_EQ_INT(0, hgq_pipe_submit(p, &a[0]));
    CHECK_EQ_INT(0, hgq_pipe_submit(p, &a[1]));
    CHECK_EQ_INT(-1, hgq_pipe_submit(p, &a[2]));
    CHECK_EQ_INT(2, hgq_pipe_pending(p));
    CHECK(hgq_pipe_take(p) == &a[0]);
    CHECK_EQ_INT(0, hgq_pipe_submit(p, &a[2]));
    CHECK(hgq_pipe_take(p) == &a[1]);
    CHECK(hgq_pipe_take(p) == &a[2]);
    CHECK_EQ_INT(9, a[1].out);
    CHECK_EQ_INT(0, a[2].runs == 1 ? 0 : 1);
    hgq_pipe_free(p);
}

TEST(free_with_jobs_queued_runs_them_and_returns)
{
    job a[4] = {{0, 1, 0, 0}, {1, 2, 0, 0}, {2, 3, 0, 0}, {3, 4, 0, 0}};
    int i, ran = 0;
    hgq_pipe *p = hgq_pipe_new(2, 4, square_slowly, NULL);
    CHECK(p != NULL);
    if (!p)
        return;
    for (i = 0; i < 4; i++)
        hgq_pipe_submit(p, &a[i]);
    hgq_pipe_free(p);
    for (i = 0; i < 4; i++)
        ran += a[i].runs;
    CHECK_EQ_INT(4, ran);
}

TEST(bad_arguments_refused)
{
    CHECK(hgq_pipe_new(0, 4, square_slowly, NULL) == NULL);
    CHECK(hgq_pipe_new(4, 2, square_slowly, NULL) == NULL);
    CHECK(hgq_pipe_new(2, 4, NULL, NULL) == NULL);
    CHECK(hgq_pipe_new(17, 32, square_slowly, NULL) == NULL);
    hgq_pipe_free(NULL);
    CHECK(hgq_pipe_cores() >= 1);
}

int main(void)
{
    RUN(order_kept_under_uneven_work);
    RUN(submit_refused_when_full);
    RUN(free_with_jobs_queued_runs_them_and_returns);
    RUN(bad_arguments_refused);
    return t_done();
}
