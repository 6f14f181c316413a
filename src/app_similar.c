/* app_similar.c: similar stories in the reader: the index is built in slices while the
 * reader waits for keys (app_idle), so the first screen never waits for it; until it is
 * ready the pane says so, then the pane is rebuilt with the stories. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif
#include <time.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_internal.h"
#include "similar_cache.h"

/* Similar stories the pane shows. */
#define SIMILAR_SHOWN 5
/* Building per app_idle call: at most this long, in slices of about this much text. */
#define SIMILAR_IDLE_NS 10000000L
#define SIMILAR_SLICE ((size_t)64 << 10)

void app_similar_start(struct app *a)
{
	a->similar_build = similar_build_start(a->c);
}

void app_similar_cache(struct app *a)
{
	free(a->similar_cache.path);
	a->similar_cache.path = similar_cache_path(a->c);
	a->similar_cache.tried = false;
}

/* Take the index from the cache when it is current (one idle call: reading and checking
 * it costs about what indexing 4% of the collection does; bench/README.md). */
static void read_cache(struct app *a)
{
	struct similar_index *ix;
	char why[160];

	a->similar_cache.tried = true;
	a->similar_cache.key = similar_cache_key(a->c);
	if (similar_cache_load(a->similar_cache.path, a->similar_cache.key, app_narticles(a), &ix,
			       why, sizeof why) == SIMILAR_CACHE_CORRUPT)
		app_say(a, "%s", why);
	if (!ix)
		return;
	similar_build_free(a->similar_build);
	a->similar_build = NULL;
	a->similar = ix;
}

void app_similar_pane(struct app *a, const struct article *cur)
{
	struct similar_hit hits[SIMILAR_SHOWN];
	size_t n = 0;

	if (a->similar)
		n = similar_query(a->similar, a->sel, hits, SIMILAR_SHOWN);
	pane_build_similar(&a->pane, cur, a->c, a->similar ? hits : NULL, n);
}

/* Rebuild the pane on screen now that its similar stories are known, keeping the place
 * and the selected link (a backlink moves down by the stories added before it). */
static void refresh_pane(struct app *a)
{
	size_t numbered = a->pane.nrelated + a->pane.nsimilar;

	if (!a->pane.article)
		return;
	pane_free(&a->pane);
	app_sync_pane(a);
	a->redraw = true;
	if (a->link >= 0 && (size_t)a->link >= numbered)
		a->link += (int)(a->pane.nrelated + a->pane.nsimilar - numbered);
	if (a->link >= 0 && (size_t)a->link >= a->pane.links.n)
		a->link = -1;
}

bool app_similar_idle(struct app *a)
{
	struct timespec t0;

	if (a->similar_cache.path && !a->similar_cache.tried) {
		read_cache(a);
		if (a->similar) {
			refresh_pane(a);
			return true;
		}
	}
	if (!a->similar_build)
		return false;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!similar_build_step(a->similar_build, SIMILAR_SLICE))
		if (app_elapsed_ns(&t0) >= SIMILAR_IDLE_NS)
			return true;
	a->similar = similar_build_finish(a->similar_build);
	a->similar_build = NULL;
	if (a->similar_cache.path && !similar_cache_save(a->similar_cache.path,
							 a->similar_cache.key, a->similar))
		app_say(a, "Similar stories not cached: %s", strerror(errno));
	refresh_pane(a);
	return true;
}

void app_similar_free(struct app *a)
{
	similar_build_free(a->similar_build);
	similar_index_free(a->similar);
	a->similar_build = NULL;
	a->similar = NULL;
	free(a->similar_cache.path);
	a->similar_cache.path = NULL;
}
