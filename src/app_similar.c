/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_similar.c: similar stories in the reader. The index is built in slices while the
 * reader waits for keys (app_idle), so the first screen never waits for it; until it is
 * ready the pane says so, then the pane is rebuilt with the stories.
 *
 * With the cache, a thread maps the cache file while the build starts: when the file
 * is current the build is dropped and the map answers; when it is another state's of
 * the collection, the thread matches its rows to the articles and the build becomes
 * an update from it (the articles it has are not read again); once built, another
 * thread writes the index out, and the file written is mapped in place of the index
 * built. Neither thread folds text (fold's tables are only read, set up before), and
 * the collection and a built index never change, so they share nothing mutable; the
 * checks of a mapped index (similar_cache.c) are only made on this thread. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "app_internal.h"
#include "fold.h"
#include "job.h"
#include "log.h"
#include "similar_cache.h"

/* Similar stories in the story map, at most: of its article, and of each neighbour. */
#define MAP_SIMILAR 10
#define MAP_SIMILAR_NEIGHBOUR 3
/* Building per app_idle call: at most this long, in slices of about this much text. */
#define SIMILAR_IDLE_NS 10000000L
#define SIMILAR_SLICE ((size_t)64 << 10)

struct app_similar_cache {
	const struct collection *c;
	char *path;
	enum { JOB_NONE, JOB_LOAD, JOB_SAVE } job; /* the job whose results are not taken */
	struct job thread; /* it, on its thread (else it ran at once); done: join it */
	/* JOB_LOAD's results. */
	uint64_t key;
	enum similar_cache_status status;
	struct similar_index *loaded;
	char why[160];
	struct similar_index *old;    /* the file of another state of the collection */
	struct similar_build *update; /* from old, for the build to become */
	/* JOB_SAVE's input and results. */
	const struct similar_index *to_save;
	bool saved;
	int save_errno;
};

/* The story map's similar stories of article: the index's best, none while it is built. */
static size_t map_similar(void *ctx, size_t article, size_t *out, size_t k)
{
	const struct app *a = ctx;
	struct similar_hit hits[MAP_SIMILAR];
	size_t n;

	if (!a->similar.index)
		return 0;
	/* The map asks for its cap: STORYMAP_CAP_ROOT for its article, less for the others. */
	size_t want = k >= STORYMAP_CAP_ROOT ? MAP_SIMILAR : MAP_SIMILAR_NEIGHBOUR;
	n = similar_query(a->similar.index, article, hits, k < want ? k : want);
	for (size_t i = 0; i < n; i++)
		out[i] = hits[i].article;
	return n;
}

void app_similar_start(struct app *a)
{
	a->similar.build = similar_build_start(a->c);
	log_debug("similar stories: building, between keys");
	a->map.opts.similar = map_similar;
	a->map.opts.ctx = a;
}

static void load_job(void *arg)
{
	struct app_similar_cache *k = arg;
	uint64_t had = 0;
	k->key = similar_cache_key(k->c);
	k->status = similar_cache_open(k->path, &k->loaded, &had, k->why, sizeof k->why);
	if (k->status == SIMILAR_CACHE_OK &&
	    (had != k->key || similar_index_articles(k->loaded) != collection_count(k->c))) {
		k->status = SIMILAR_CACHE_STALE;
		k->old = k->loaded;
		k->loaded = NULL;
		k->update = similar_build_update(k->c, k->old);
		const char *damage = similar_index_damage(k->old);
		if (damage) {
			k->status = SIMILAR_CACHE_CORRUPT;
			snprintf(k->why, sizeof k->why, "%s", damage);
		}
		log_debug("similar stories' cache %s: an update, %zu of %zu articles kept", k->path,
			  similar_build_reused(k->update), collection_count(k->c));
	}
	static const char *const said[] = {
		[SIMILAR_CACHE_OK] = "current: used",
		[SIMILAR_CACHE_MISSING] = "missing",
		[SIMILAR_CACHE_STALE] = "of another state of the collection",
		[SIMILAR_CACHE_CORRUPT] = "damaged",
	};
	log_debug("similar stories' cache %s: %s%s%s", k->path, said[k->status],
		  k->why[0] ? ": " : "", k->why);
}

static void save_job(void *arg)
{
	struct app_similar_cache *k = arg;
	k->saved = similar_cache_save(k->path, k->key, k->to_save);
	k->save_errno = errno;
	log_debug("similar stories' cache %s: %s", k->path,
		  k->saved ? "written" : strerror(k->save_errno));
}

/* Start job on a thread; when there can be none, run it here. */
static void start_job(struct app_similar_cache *k, int job)
{
	k->job = job;
	if (job == JOB_LOAD)
		job_start(&k->thread, "similar-cache load", load_job, k);
	else
		job_start(&k->thread, "similar-cache save", save_job, k);
}

/* Wait for the job's thread, if it has one. */
static void join_job(struct app_similar_cache *k)
{
	job_join(&k->thread);
	k->job = JOB_NONE;
}

/* Answer from the file just written, mapped, in place of the index built (its pages
 * are the file's, not the heap's). */
static void map_saved(struct app *a)
{
	struct app_similar_cache *k = a->similar.cache;
	struct similar_index *mapped = NULL;
	char why[160];

	if (similar_cache_load(k->path, k->key, collection_count(a->c), &mapped, why, sizeof why) !=
	    SIMILAR_CACHE_OK)
		return;
	similar_index_free(a->similar.index);
	a->similar.index = mapped;
}

void app_similar_cache(struct app *a)
{
	if (a->similar.cache || !a->similar.build)
		return;
	char *path = similar_cache_path(a->c);
	if (!path)
		return;
	fold_ts_problem(); /* set up fold's Traditional/Simplified table on this thread */
	struct app_similar_cache *k = xcalloc(1, sizeof *k);
	k->c = a->c;
	k->path = path;
	a->similar.cache = k;
	start_job(k, JOB_LOAD);
}

/* Take the results of the finished (or, with wait, running) cache job. */
static void settle_job(struct app *a, bool wait)
{
	struct app_similar_cache *k = a->similar.cache;
	int job = k->job;

	if (job == JOB_NONE || (!wait && !job_done(&k->thread)))
		return;
	join_job(k);
	if (job == JOB_SAVE) {
		if (!k->saved)
			app_say(a, "Similar stories not cached: %s", strerror(k->save_errno));
		else if (a->similar.index == k->to_save)
			map_saved(a);
		k->to_save = NULL;
		a->redraw = true;
		return;
	}
	if (k->status == SIMILAR_CACHE_CORRUPT) {
		app_say(a, "%s", k->why);
		a->redraw = true;
	}
	if (k->loaded && !a->similar.index) {
		similar_build_free(a->similar.build);
		a->similar.build = NULL;
		a->similar.index = k->loaded;
		app_pane_complete(a);
	} else {
		similar_index_free(k->loaded);
	}
	k->loaded = NULL;
	if (k->update && a->similar.build) { /* the build starts again, as an update */
		similar_build_free(a->similar.build);
		a->similar.build = k->update;
		log_debug("similar stories: updating the cache's index, between keys");
	} else {
		similar_build_free(k->update);
	}
	k->update = NULL;
}

/* The index mapped from the cache found damaged by a query: said, and built again. */
static void rebuild_damaged(struct app *a)
{
	struct app_similar_cache *k = a->similar.cache;

	app_say(a, "%s", similar_index_damage(a->similar.index));
	log_debug("similar stories' cache %s: %s", k->path, similar_index_damage(a->similar.index));
	similar_index_free(a->similar.index);
	a->similar.index = NULL;
	a->similar.build = similar_build_start(a->c);
	k->status = SIMILAR_CACHE_CORRUPT;
	a->redraw = true;
}

bool app_similar_idle(struct app *a)
{
	struct app_similar_cache *k = a->similar.cache;
	struct timespec t0;

	if (k)
		settle_job(a, false);
	if (k && k->job == JOB_NONE && similar_index_damage(a->similar.index))
		rebuild_damaged(a);
	/* The pane's similar stories, asked once no key is waiting (app_pane.c). */
	if (a->pane.shown.similar_pending && a->similar.index && app_pane_complete(a))
		return true;
	/* While the search index is built on both cores, the build waits: search is ready
	 * sooner (at 2.5M, 193 s instead of 288: bench/README.md, index). */
	if (!a->similar.build || app_index_waiting(a))
		return false;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!similar_build_step(a->similar.build, SIMILAR_SLICE))
		if (app_elapsed_ns(&t0) >= SIMILAR_IDLE_NS)
			return true;
	a->similar.index = similar_build_finish(a->similar.build);
	a->similar.build = NULL;
	log_debug("similar stories: built");
	if (k) {
		settle_job(a, true);	    /* the file is read well before the build is done */
		similar_index_free(k->old); /* the update is done with it */
		k->old = NULL;
		if (k->status != SIMILAR_CACHE_OK) {
			k->to_save = a->similar.index;
			start_job(k, JOB_SAVE);
		}
	}
	app_pane_complete(a);
	return true;
}

void app_similar_free(struct app *a)
{
	struct app_similar_cache *k = a->similar.cache;

	if (k) {
		join_job(k);
		similar_index_free(k->loaded);
		similar_build_free(a->similar.build); /* before old, which it may read */
		a->similar.build = NULL;
		similar_build_free(k->update);
		similar_index_free(k->old);
		free(k->path);
		free(k);
		a->similar.cache = NULL;
	}
	similar_build_free(a->similar.build);
	similar_index_free(a->similar.index);
	a->similar.build = NULL;
	a->similar.index = NULL;
}
