/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_job.c: the job helper (job.h): start, poll, cancel, join, and the fallbacks when
 * no thread can be had (pthread_create made to fail: this test links with
 * -Wl,--wrap=pthread_create); the debug log (log.h): each job's start, end and cancel
 * written, one line each, untrusted text escaped, nothing written when it is off. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job.h"
#include "log.h"
#include "testutil.h"
#include "xalloc.h"

/* While set, pthread_create fails as when the system has no thread to give. */
static bool no_threads;

int __real_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);
int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);

int __wrap_pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	if (no_threads)
		return 11; /* EAGAIN */
	return __real_pthread_create(t, attr, fn, arg);
}

/* A worker's world: it waits for go, then records where it ran and what it saw. */
struct work {
	struct job job;
	atomic_bool go;
	pthread_t ran_on;
	int result;
	bool saw_cancel;
};

/* Wait for go, then produce a result. */
static void wait_then_answer(void *arg)
{
	struct work *w = arg;

	while (!atomic_load(&w->go))
		sched_yield();
	w->ran_on = pthread_self();
	w->result = 42;
}

/* Run until cancelled. */
static void until_cancelled(void *arg)
{
	struct work *w = arg;

	while (!job_cancelled(&w->job))
		sched_yield();
	w->saw_cancel = true;
}

/* Wait (the test's thread is no drawing thread) until the job is done. */
static void wait_done(const struct job *j)
{
	while (!job_done(j))
		sched_yield();
}

static void test_start_poll_join(void **state)
{
	struct work w = {0};
	(void)state;

	assert_false(job_done(&w.job)); /* never started */
	assert_true(job_start(&w.job, "answer", wait_then_answer, &w));
	assert_false(job_done(&w.job)); /* it waits for go: not done, and the poll returns */
	assert_false(job_done(&w.job));
	atomic_store(&w.go, true);
	wait_done(&w.job);
	assert_int_equal(w.result, 42); /* done: its results are there to read */
	assert_false(pthread_equal(w.ran_on, pthread_self()));
	job_join(&w.job);
	assert_false(job_done(&w.job)); /* joined: not started any more */
	job_join(&w.job);		/* joining again does nothing */

	/* Started again once joined. */
	w.result = 0;
	assert_true(job_start(&w.job, "answer again", wait_then_answer, &w));
	wait_done(&w.job);
	job_join(&w.job);
	assert_int_equal(w.result, 42);
}

static void test_cancel(void **state)
{
	struct work w = {0};
	(void)state;

	job_cancel(&w.job); /* never started: nothing to cancel */
	assert_false(job_cancelled(&w.job));
	assert_true(job_start(&w.job, "endless", until_cancelled, &w));
	assert_false(job_cancelled(&w.job));
	assert_false(job_done(&w.job)); /* it runs until cancelled */
	job_cancel(&w.job);
	assert_true(job_cancelled(&w.job));
	job_join(&w.job);
	assert_true(w.saw_cancel);
	assert_false(job_done(&w.job));

	/* A new start forgets the cancel. */
	w.saw_cancel = false;
	atomic_store(&w.go, true);
	assert_true(job_start(&w.job, "answer", wait_then_answer, &w));
	assert_false(job_cancelled(&w.job));
	wait_done(&w.job);
	job_join(&w.job);
}

static void test_no_thread_runs_here(void **state)
{
	struct work w = {0};
	(void)state;

	no_threads = true;
	atomic_store(&w.go, true);
	assert_false(job_start(&w.job, "inline", wait_then_answer, &w));
	no_threads = false;
	assert_true(job_done(&w.job)); /* it ran in job_start */
	assert_int_equal(w.result, 42);
	assert_true(pthread_equal(w.ran_on, pthread_self()));
	job_join(&w.job); /* no thread to wait for */
	assert_false(job_done(&w.job));
}

static void test_no_thread_try_runs_nothing(void **state)
{
	struct work w = {0};
	(void)state;

	no_threads = true;
	atomic_store(&w.go, true);
	assert_false(job_try_start(&w.job, "try", wait_then_answer, &w));
	no_threads = false;
	assert_int_equal(w.result, 0);
	assert_false(job_done(&w.job)); /* not started */
	job_cancel(&w.job);
	job_join(&w.job);
	assert_int_equal(w.result, 0);
}

/* The whole of file path, NUL-terminated, in a new buffer. */
static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s = calloc(1, 1 << 16);
	assert_non_null(f);
	assert_non_null(s);
	size_t n = fread(s, 1, (1 << 16) - 1, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

/* The number of lines of log that contain text. */
static int lines_with(const char *log, const char *text)
{
	int n = 0;

	for (const char *p = log; (p = strstr(p, text)); p++)
		n++;
	return n;
}

static void test_log(void **state)
{
	char root[400], dir[450];
	struct strbuf why = {0};
	(void)state;

	assert_true(test_scratch_dir(root, sizeof root, "job"));
	snprintf(dir, sizeof dir, "%s/state/xinwen", root);
	assert_null(log_path());
	log_debug("before: %s", "never written");
	assert_true(log_open(dir, 1, &why));
	char *path = xstrdup(log_path());
	assert_non_null(strstr(path, "/state/xinwen/xinwen-"));

	struct work w = {0};
	atomic_store(&w.go, true);
	job_start(&w.job, "answer", wait_then_answer, &w);
	wait_done(&w.job);
	job_join(&w.job);
	job_start(&w.job, "endless", until_cancelled, &w);
	job_cancel(&w.job);
	job_join(&w.job);
	log_debug("title %s", "a\033[31mb\xff\xe2\x80\xae\r\n");
	log_trace("only at level 2");
	log_close();
	assert_null(log_path());
	log_debug("after: %s", "never written");

	char *log = read_all(path);
	assert_int_equal(lines_with(log, "job answer: start\n"), 1);
	assert_int_equal(lines_with(log, "job answer: end, "), 1);
	assert_int_equal(lines_with(log, "job endless: start\n"), 1);
	assert_int_equal(lines_with(log, "job endless: cancel\n"), 1);
	assert_int_equal(lines_with(log, "(cancelled)\n"), 1);
	assert_int_equal(lines_with(log, "title a\\x1B[31mb\\xFF\\u{202E}\\x0D\\x0A\n"), 1);
	assert_int_equal(lines_with(log, "never written"), 0);
	assert_int_equal(lines_with(log, "level 2"), 0);
	for (const char *p = log; *p; p++) /* no control byte but the line ends */
		assert_true((unsigned char)*p >= 0x20 || *p == '\n');
	assert_int_equal(lines_with(log, "\n"), 6);
	free(log);

	/* Level 2 writes the details too. */
	assert_true(log_open(dir, 2, &why));
	log_trace("only at level %d", 2);
	log_close();
	log = read_all(path);
	assert_int_equal(lines_with(log, "only at level 2\n"), 1);
	free(log);
	unlink(path);
	free(path);
	rmdir(dir);
	snprintf(dir, sizeof dir, "%s/state", root);
	rmdir(dir);
	rmdir(root);
	sb_free(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_poll_join),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_no_thread_runs_here),
		cmocka_unit_test(test_no_thread_try_runs_nothing),
		cmocka_unit_test(test_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
