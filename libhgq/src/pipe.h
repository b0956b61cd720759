/*
 * pipe.h - an ordered work pipeline: jobs submitted by one thread are run by
 * a few worker threads and handed back in the order they were submitted.
 *
 * The reader uses it to parse row segments of a sheet part on several cores
 * while the calling thread inflates the part and delivers the rows. The
 * number of jobs in flight is bounded, so memory is too: at most `capacity`
 * jobs may be pending (queued, running, or finished but not yet taken).
 *
 * Only the thread that created the pipeline may submit, take and free.
 */
#ifndef HGQ_PIPE_H
#define HGQ_PIPE_H

#include <stddef.h>

typedef struct hgq_pipe hgq_pipe;

/* Runs in a worker thread; `ctx` is the pipeline's, `job` the submitted one. */
typedef void (*hgq_pipe_fn)(void *ctx, void *job);

/*
 * Starts `workers` threads (1..16) running `fn` on jobs, with at most
 * `capacity` (>= workers) jobs in flight. Returns NULL when memory or a
 * thread cannot be had; the caller then does the work itself.
 */
hgq_pipe *hgq_pipe_new(int workers, size_t capacity, hgq_pipe_fn fn, void *ctx);

/* Queues a job. Returns 0, or -1 (and queues nothing) when `capacity` jobs
 * are pending: take one first. */
int hgq_pipe_submit(hgq_pipe *p, void *job);

/* Jobs submitted and not yet taken. */
size_t hgq_pipe_pending(const hgq_pipe *p);

/* Waits for the oldest job not yet taken to finish and returns it; NULL when
 * none is pending. */
void *hgq_pipe_take(hgq_pipe *p);

/*
 * Stops the workers and frees the pipeline. Queued jobs are still run before
 * the workers stop; jobs not taken are not freed (they are the caller's), so
 * take every pending job before freeing. NULL is ignored.
 */
void hgq_pipe_free(hgq_pipe *p);

/* Online processors, at least 1. */
int hgq_pipe_cores(void);

#endif
