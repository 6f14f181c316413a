/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_index.c: the search index in the reader. Once the whole collection is loaded, a
 * thread opens the index (index.h), matches it to the collection and indexes what is
 * missing, a step at a time, publishing its progress (the status line shows it). Once
 * it is complete the list filter asks the index instead of scanning. The thread has its
 * own connection to the index; the reader's thread only reads the progress (atomics)
 * and queries through its own connection: the only lock they share is held for the
 * copy of a few numbers (index.c). Quitting stops the thread at once: the step under way
 * is dropped (between two articles folded, texts tokenized or lists coded, or before
 * its file is finished), a merge of segments stops between two of its lists, and what
 * was done before is saved (index_close). */
#include <config.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_internal.h"
#include "catalog.h"
#include "i18n.h"
#include "index.h"
#include "job.h"
#include "log.h"

struct app_index {
	const struct collection *c;
	uint64_t key;
	struct job job; /* build, started when the collection is whole */
	struct text_index *ix;
	atomic_bool ready;  /* every article is indexed: queries may use it */
	atomic_bool failed; /* why says why */
	atomic_bool rebuilt;
	atomic_size_t done, total;
	bool said;	       /* the end (ready or failed) has been said */
	struct timespec drawn; /* when the progress was last drawn */
	char why[512];
};

static void build(void *arg)
{
	struct app_index *x = arg;
	char *path = index_path(x->key);
	bool rebuilt = false;

	x->ix = path ? index_open(path, &rebuilt, x->why, sizeof x->why) : NULL;
	free(path);
	if (x->ix)
		index_set_cancel(x->ix, &x->job.cancel);
	atomic_store(&x->rebuilt, rebuilt);
	log_debug("index %016llx: %s", (unsigned long long)x->key,
		  !x->ix    ? "not opened"
		  : rebuilt ? "made anew"
			    : "opened");
	/* A collection read from its catalog is attached by the map saved for that catalog
	 * (no identities matched: at 2.5M articles that took 2.7 s), else by identities. */
	if (x->ix && index_attach_catalog(x->ix, x->c, x->why, sizeof x->why)) {
		atomic_store(&x->ready, true);
		log_debug("index: ready (attached by its map to the catalog)");
		return;
	}
	if (x->ix)
		log_debug("index: no map to attach by: %s", x->why);
	x->why[0] = '\0';
	size_t todo = x->ix ? index_attach(x->ix, x->c, x->why, sizeof x->why) : SIZE_MAX;
	if (todo == SIZE_MAX) {
		if (!x->why[0])
			snprintf(x->why, sizeof x->why, _("no cache directory"));
		atomic_store(&x->failed, true);
		log_debug("index: not used: %s", x->why);
		return;
	}
	atomic_store(&x->total, todo);
	log_debug("index: %zu articles to index", todo);
	struct index_progress p = {0};
	int rc = 0;
	size_t logged = 0; /* articles when progress was last logged: each tenth */
	while (!job_cancelled(&x->job) &&
	       (rc = index_update(x->ix, INDEX_STEP, &p, x->why, sizeof x->why)) == 0) {
		atomic_store(&x->done, p.done);
		if (p.done - logged >= todo / 10 + 1) {
			log_debug("index: %zu of %zu articles indexed", p.done, todo);
			logged = p.done;
		}
	}
	atomic_store(&x->done, p.done);
	if (rc < 0)
		atomic_store(&x->failed, true);
	else if (rc > 0 || index_fresh(x->ix))
		atomic_store(&x->ready, true);
	log_debug("index: %s", rc < 0 ? x->why : atomic_load(&x->ready) ? "ready" : "stopped");
	/* For the next start from the same catalog (and --search): its map. */
	if (atomic_load(&x->ready) && !job_cancelled(&x->job) && catalog_of(x->c))
		log_debug("index: its map to the catalog %s",
			  index_save_catalog_map(x->ix, x->c) ? "saved" : "not saved");
}

void app_index_start(struct app *a)
{
	if (a->search.index || !a->search.index_key || app_loading(a))
		return;
	struct app_index *x = xcalloc(1, sizeof *x);
	x->c = a->c;
	x->key = a->search.index_key;
	fold_prepare(); /* the thread folds: the tables are set up here, once */
	if (!job_try_start(&x->job, "index", build, x)) {
		snprintf(x->why, sizeof x->why, _("cannot start a thread"));
		atomic_store(&x->failed, true);
	}
	a->search.index = x;
}

bool app_index_waiting(const struct app *a)
{
	return a->search.index && !a->search.index->said;
}

bool app_index_ready(const struct app *a)
{
	return a->search.index && atomic_load(&a->search.index->ready);
}

void app_index_status(const struct app *a, struct strbuf *sb)
{
	const struct app_index *x = a->search.index;
	if (!x || atomic_load(&x->failed) || atomic_load(&x->ready))
		return;
	size_t done = atomic_load(&x->done), total = atomic_load(&x->total);
	sb_printf(sb, _(" · indexing %zu%%"), total ? done * 100 / total : 0);
}

bool app_index_idle(struct app *a)
{
	struct app_index *x = a->search.index;
	if (!x) {
		app_index_start(a);
		return a->search.index != NULL;
	}
	if (x->said)
		return false;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (atomic_load(&x->failed)) {
		x->said = true;
		app_say(a, "Search index not used: %.100s", x->why);
		a->redraw = true;
	} else if (atomic_load(&x->ready)) {
		x->said = true;
		if (atomic_load(&x->rebuilt))
			app_say(a, "The search index was damaged or stale: made anew");
		a->redraw = true;
	} else if (app_elapsed_ns(&x->drawn) >= 200000000L) {
		x->drawn = now; /* the percentage moves on */
		a->redraw = true;
	}
	return !x->said;
}

enum index_answer app_index_query(struct app *a, const struct search *q, search_hits *hits)
{
	char why[256];
	if (!app_index_ready(a))
		return INDEX_CANNOT;
	return index_query(a->search.index->ix, q, hits, why, sizeof why);
}

void app_index_free(struct app *a)
{
	struct app_index *x = a->search.index;
	if (!x)
		return;
	job_cancel(&x->job);
	job_join(&x->job); /* the step or merge under way stops */
	index_close(x->ix);
	free(x);
	a->search.index = NULL;
}
