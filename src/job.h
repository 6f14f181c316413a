/* SPDX-License-Identifier: GPL-3.0-or-later */
/* job.h: a function run on a thread of its own beside the reader (the search index
 * build, the similar stories' cache, the catalog's reload, the cache sweep): started,
 * polled without waiting, asked to stop, joined. Each start, end (with its duration) and
 * cancel is written to the debug log (log.h) under the job's name. */
#ifndef XINWEN_JOB_H
#define XINWEN_JOB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

/* One job; zeroed (or left as job_join leaves it) before each start. The fields are
 * job.c's; the worker reads only cancel, through job_cancelled (or hands &cancel to
 * code that polls an atomic_bool, as load_opts.cancel). */
struct job {
	const char *name; /* for the log: a string that outlives the job */
	void (*fn)(void *arg);
	void *arg;
	pthread_t thread;
	bool threaded;	  /* fn runs on thread, which is to be joined */
	bool started;	  /* started and not joined since */
	atomic_bool done; /* fn has returned: its results may be read */
	atomic_bool cancel;
	struct timespec t0; /* when it started */
};

/* Run fn(arg) on a thread of its own, named name in the log; when no thread can be
 * had, run it here and now (it is done on return). Returns whether it got a thread. */
bool job_start(struct job *j, const char *name, void (*fn)(void *arg), void *arg);

/* Run fn(arg) on a thread of its own; when no thread can be had, run nothing and
 * return false (the job is not started): for work too long to run in the caller. */
bool job_try_start(struct job *j, const char *name, void (*fn)(void *arg), void *arg);

/* Whether the job was started and fn has returned (never waits): its results may be
 * read, and job_join returns at once. */
bool job_done(const struct job *j);

/* Ask the job to stop: job_cancelled turns true for its worker (never waits). */
void job_cancel(struct job *j);

/* For the worker: whether it was asked to stop. */
bool job_cancelled(const struct job *j);

/* Wait for the job's thread to end, if it was started; the job is then not started
 * (job_done false) and may be started again. On the drawing thread, only once
 * job_done, or at exit after job_cancel. */
void job_join(struct job *j);

#endif
