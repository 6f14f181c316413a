/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_idle.c: what the reader does between keys: each feature's work beside it (the
 * unread clock, the similar stories' cache and index, the reload, the search index),
 * then the list filter's scan, then folding search keys ahead, for about IDLE_NS a call
 * at most. */
#include <config.h>

#include <time.h>

#include "app.h"
#include "app_internal.h"

/* What app_idle does at most per call: nanoseconds spent, bytes of text folded. */
#define IDLE_NS 10000000L
#define IDLE_BYTES ((size_t)1 << 20)

bool app_idle(struct app *a)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	app_unread_tick(a, (long long)t0.tv_sec * 1000000000LL + t0.tv_nsec);
	if (app_arrange_idle(a)) { /* the status line has said it is coming */
		a->redraw = true;
		return true;
	}
	app_reload_idle(a);
	/* Not for the first files or articles only: once the whole collection is the
	 * reader's (taken, not only loaded: the first part's similar stories may be built
	 * already), and right after it is taken, before its similar stories are built. */
	if (a->similar.cache_wanted && (!a->reload.first || a->reload.first_taken)) {
		a->similar.cache_wanted = false;
		app_similar_cache(a);
	}
	app_index_idle(a);
	if (app_filter_idle(a, &t0, IDLE_NS)) { /* asked for: first */
		a->redraw = true;
		return true;
	}
	if (app_similar_idle(a))
		return true;
	/* About IDLE_BYTES of folding, on two threads. */
	return app_search_fold_idle(a, IDLE_BYTES);
}
