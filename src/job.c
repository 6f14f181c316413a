/* SPDX-License-Identifier: GPL-3.0-or-later */
/* job.c: a function run on a thread beside the reader (job.h). */
#include <config.h>

#include "job.h"

#include <string.h>

#include "log.h"

/* Seconds since t0 on the monotonic clock. */
static double seconds_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* fn has returned: say so, then publish its results (the owner may free j after). */
static void finish(struct job *j)
{
	log_debug("job %s: end, %.3f s%s", j->name, seconds_since(&j->t0),
		  atomic_load(&j->cancel) ? " (cancelled)" : "");
	atomic_store_explicit(&j->done, true, memory_order_release);
}

static void *run(void *arg)
{
	struct job *j = arg;

	j->fn(j->arg);
	finish(j);
	return NULL;
}

/* Set j up and try to start its thread; whether there is one. */
static bool start_thread(struct job *j, const char *name, void (*fn)(void *), void *arg)
{
	j->name = name;
	j->fn = fn;
	j->arg = arg;
	atomic_init(&j->done, false);
	atomic_init(&j->cancel, false);
	clock_gettime(CLOCK_MONOTONIC, &j->t0);
	log_debug("job %s: start", name);
	j->threaded = pthread_create(&j->thread, NULL, run, j) == 0;
	j->started = j->threaded;
	return j->threaded;
}

bool job_start(struct job *j, const char *name, void (*fn)(void *arg), void *arg)
{
	if (start_thread(j, name, fn, arg))
		return true;
	log_debug("job %s: no thread to be had: run here", name);
	j->started = true;
	fn(arg);
	finish(j);
	return false;
}

bool job_try_start(struct job *j, const char *name, void (*fn)(void *arg), void *arg)
{
	if (start_thread(j, name, fn, arg))
		return true;
	log_debug("job %s: no thread to be had: not run", name);
	return false;
}

bool job_done(const struct job *j)
{
	return j->started && atomic_load_explicit(&j->done, memory_order_acquire);
}

void job_cancel(struct job *j)
{
	if (!j->started || atomic_load(&j->cancel))
		return;
	atomic_store(&j->cancel, true);
	if (!atomic_load_explicit(&j->done, memory_order_acquire))
		log_debug("job %s: cancel", j->name);
}

bool job_cancelled(const struct job *j)
{
	return atomic_load(&j->cancel);
}

void job_join(struct job *j)
{
	if (j->started && j->threaded)
		pthread_join(j->thread, NULL);
	j->started = j->threaded = false;
	atomic_store(&j->done, false);
}
