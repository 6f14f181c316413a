/* app_reload.c: taking the collection as the files are now, while the reader runs,
 * once the catalog's refresh (refresh.h) has loaded what changed. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_internal.h"
#include "app_state.h"
#include "refresh.h"

/* How often the status line's count of files loaded is drawn again. */
#define LOADING_REDRAW_NS 200000000L

/* Start over on collection c, keeping the settings, the form, the order, the focus
 * and the selected article (by id) of the reader as it was. */
static void take_collection(struct app *a, const struct collection *c, const char *what)
{
	const struct config *cfg = a->config;
	struct app_options opts = a->opts;
	struct refresh *refresh = a->refresh;
	enum app_sort sort = a->sort;
	enum convert_mode script = a->script;
	enum app_focus focus = a->focus;
	bool fullscreen = a->fullscreen;
	bool cached = a->similar_cache != NULL || a->similar_cache_wanted;
	uint64_t index_key = a->index_key;
	bool saved_marks = app_state_save(a, NULL);
	int rows = a->rows, cols = a->cols;
	char *sel = a->sel < app_narticles(a) ? xstrdup(a->c->articles.v[a->sel]->id) : NULL;
	/* A filter typed while the collection was loading goes on over all of it; a prompt
	 * being typed stays open with what it holds (then the text is its, not the
	 * filter's: the filter is dropped). */
	enum app_prompt prompt = a->prompt;
	bool filter = a->filtered && !a->bookmarks_only &&
		      (prompt == PROMPT_OFF || prompt == PROMPT_FILTER);
	bool regex = a->regex;
	struct strbuf input = {0};
	sb_append(&input, a->input.s ? a->input.s : "", a->input.n);

	app_free(a);
	app_init(a, c, rows, cols);
	a->config = cfg;
	a->opts = opts;
	a->refresh = refresh;
	a->refresh_taken = true;
	a->script = script;
	if (sort != SORT_DATE)
		app_set_sort(a, sort);
	a->similar_cache_wanted = cached;
	a->index_key = index_key;
	if (saved_marks)
		app_state_open_default(a, NULL);
	const struct article *was = sel ? collection_find(c, sel) : NULL;
	size_t i = was ? collection_index(c, was) : SIZE_MAX;
	if (i != SIZE_MAX)
		app_select_article(a, i);
	a->focus = i != SIZE_MAX ? focus : FOCUS_LIST;
	a->fullscreen = i != SIZE_MAX && fullscreen;
	app_sync_list(a);
	free(sel);
	if (filter || prompt != PROMPT_OFF) {
		sb_clear(&a->input);
		sb_append(&a->input, input.s ? input.s : "", input.n);
		a->regex = regex;
		if (filter)
			app_filter_again(a, prompt == PROMPT_FILTER);
		else
			a->prompt = prompt;
	}
	sb_free(&input);
	if (*what)
		app_say(a, "%s", what);
}

bool app_refresh_idle(struct app *a)
{
	const char *what;
	const struct collection *c;

	if (!a->refresh || a->refresh_taken)
		return false;
	refresh_begin(a->refresh); /* once the first screen is drawn */
	if (!refresh_done(a->refresh)) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (app_loading(a) && app_elapsed_ns(&a->loading_drawn) >= LOADING_REDRAW_NS) {
			a->loading_drawn = now; /* the count of files loaded moves on */
			a->redraw = true;
		}
		return true;
	}
	a->refresh_taken = true;
	c = refresh_result(a->refresh, &what);
	if (c)
		take_collection(a, c, what);
	else if (*what)
		app_say(a, "%s", what);
	a->redraw = a->redraw || c || *what;
	return false;
}

bool app_loading(const struct app *a)
{
	size_t files;
	return a->refresh && !a->refresh_taken && refresh_loading(a->refresh, &files);
}

void app_loading_status(const struct app *a, struct strbuf *sb)
{
	size_t files;
	if (a->refresh && !a->refresh_taken && refresh_loading(a->refresh, &files))
		sb_printf(sb, " · loading: %zu files read", files);
}

bool app_waiting(const struct app *a)
{
	return (a->refresh && !a->refresh_taken) || app_index_waiting(a);
}
