/*
 * pipe.c - ordered work pipeline on POSIX threads (see pipe.h).
 *
 * Jobs live in a ring of `capacity` slots. `head` is the oldest slot not yet
 * taken, `next` the oldest slot not yet started, `tail` the next free slot;
 * head <= next <= tail and tail - head <= capacity (counters only grow).
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "pipe.h"

#define MAX_WORKERS 16

struct hgq_pipe {
    pthread_mutex_t mu;
    pthread_cond_t work;      /* a job was queued, or stop */
    pthread_cond_t done;      /* a job finished */
    hgq_pipe_fn fn;
    void *ctx;
    void **jobs;
    unsigned char *finished;
    size_t capacity;
    size_t head, next, tail;
    int stop;
    int nthreads;
    pthread_t threads[MAX_WORKERS];
};

static void *worker(void *arg)
{
    hgq_pipe *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        size_t slot;
        void *job;
        while (p->next == p->tail && !p->stop)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->next == p->tail)
            break;
        slot = p->next++ % p->capacity;
        job = p->jobs[slot];
        pthread_mutex_unlock(&p->mu);
        p->fn(p->ctx, job);
        pthread_mutex_lock(&p->mu);
        p->finished[slot] = 1;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

hgq_pipe *hgq_pipe_new(int workers, size_t capacity, hgq_pipe_fn fn, void *ctx)
{
    hgq_pipe *p;
    int i;
    if (workers < 1 || workers > MAX_WORKERS || capacity < (size_t)workers || !fn)
        return NULL;
    p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->jobs = calloc(capacity, sizeof *p->jobs);
    p->finished = calloc(capacity, 1);
    if (!p->jobs || !p->finished)
        goto fail_mem;
    if (pthread_mutex_init(&p->mu, NULL) != 0)
        goto fail_mem;
    if (pthread_cond_init(&p->work, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        goto fail_mem;
    }
    if (pthread_cond_init(&p->done, NULL) != 0) {
        pthread_cond_destroy(&p->work);
        pthread_mutex_destroy(&p->mu);
        goto fail_mem;
    }
    p->fn = fn;
    p->ctx = ctx;
    p->capacity = capacity;
    for (i = 0; i < workers; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
            break;
        p->nthreads++;
    }
    if (p->nthreads < workers) {
        hgq_pipe_free(p);
        return NULL;
    }
    return p;

fail_mem:
    free(p->jobs);
    free(p->finished);
    free(p);
    return NULL;
}

int hgq_pipe_submit(hgq_pipe *p, void *job)
{
    size_t slot;
    if (p->tail - p->head >= p->capacity)
        return -1;
    pthread_mutex_lock(&p->mu);
    slot = p->tail % p->capacity;
    p->jobs[slot] = job;
    p->finished[slot] = 0;
    p->tail++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    return 0;
}

size_t hgq_pipe_pending(const hgq_pipe *p)
{
    /* head and tail are only changed by the owning thread */
    return p->tail - p->head;
}

void *hgq_pipe_take(hgq_pipe *p)
{
    size_t slot;
    void *job;
    if (p->head == p->tail)
        return NULL;
    slot = p->head % p->capacity;
    pthread_mutex_lock(&p->mu);
    while (!p->finished[slot])
        pthread_cond_wait(&p->done, &p->mu);
    job = p->jobs[slot];
    p->jobs[slot] = NULL;
    p->head++;
    pthread_mutex_unlock(&p->mu);
    return job;
}

void hgq_pipe_free(hgq_pipe *p)
{
    int i;
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    free(p->jobs);
    free(p->finished);
    free(p);
}

int hgq_pipe_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}
