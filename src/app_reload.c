/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_reload.c: taking the collection as the files are now, while the reader runs,
 * once the catalog's reload (reload.h) has loaded what changed. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_internal.h"
#include "app_marks.h"
#include "configfile.h"
#include "catalog.h"
#include "reload.h"
#include "marks.h"
#include "i18n.h"

/* How often the status line's count of files loaded is drawn again. */
#define LOADING_REDRAW_NS 200000000L

/* Whether the status line still shows what config_status_message said at the start
 * (the configuration's problems: they stay said). */
static bool config_problem_shown(const struct app *a)
{
	char said[sizeof a->message] = "";

	if (!a->config)
		return false;
	config_status_message(a->config, said, sizeof said);
	return said[0] && strncmp(a->message, said, strlen(said)) == 0;
}

/* Start over on collection c, keeping the settings, the form, the order, the focus
 * and the selected article (by id) of the reader as it was; a reader still on the
 * first headline of the list, which it starts on, stays on the first (the newest). */
static void take_collection(struct app *a, const struct collection *c, const char *what)
{
	const struct config *cfg = a->config;
	struct app_options opts = a->opts;
	struct reload *first_reload = a->first_reload;
	const struct app_source *source = a->source;
	struct reload *reloading = a->reloading, *reloaded = a->reloaded;
	int reload_every = a->reload_every;
	long long checked = a->reload_checked_ns;
	struct prompthist prompts = a->prompts;
	enum config_sort sort = a->sort;
	enum convert_mode script = a->script;
	enum app_focus focus = a->focus;
	bool fullscreen = a->fullscreen;
	bool cached = a->similar_cache != NULL || a->similar_cache_wanted;
	uint64_t index_key = a->index_key;
	struct marks marks; /* kept, saved or not (another reader may hold the lock) */
	app_marks_detach(a, &marks);
	int rows = a->rows, cols = a->cols;
	size_t scroll = a->scroll;
	bool at_top = a->sel == 0 && focus == FOCUS_LIST && !fullscreen;
	bool config_said = config_problem_shown(a);
	char *sel = a->sel < app_narticles(a) && !at_top ? xstrdup(a->c->articles.v[a->sel]->id)
							    : NULL;
	/* A filter typed while the collection was loading goes on over all of it; a prompt
	 * being typed stays open with what it holds (then the text is its, not the
	 * filter's: the filter is dropped). */
	/* A y/n question is dropped: its text was about the collection as it was. */
	enum app_prompt prompt = a->prompt == PROMPT_CONFIRM ? PROMPT_OFF : a->prompt;
	bool filter = a->filtered && !a->bookmarks_only &&
		      (prompt == PROMPT_OFF || prompt == PROMPT_FILTER);
	bool regex = a->regex;
	struct strbuf input = {0};
	sb_append(&input, a->input.s ? a->input.s : "", a->input.n);

	memset(&a->prompts, 0, sizeof a->prompts); /* kept */
	app_free(a);
	app_init(a, c, rows, cols);
	prompthist_free(&a->prompts);
	a->prompts = prompts;
	a->source = source;
	a->reloading = reloading;
	a->reloaded = reloaded;
	a->reload_every = reload_every;
	a->reload_checked_ns = checked;
	a->config = cfg;
	a->opts = opts;
	a->first_reload = first_reload;
	a->first_reload_taken = true;
	a->script = script;
	if (sort != SORT_DATE)
		app_set_sort(a, sort);
	a->similar_cache_wanted = cached;
	a->index_key = index_key;
	app_marks_attach(a, &marks);
	const struct article *was = sel ? collection_find(c, sel) : NULL;
	size_t i = was ? collection_index(c, was) : at_top ? 0 : SIZE_MAX;
	if (i != SIZE_MAX) {
		app_select_article(a, i);
		a->scroll = scroll; /* the place in the article too (app_sync_pane bounds it) */
	}
	a->focus = i != SIZE_MAX ? focus : FOCUS_LIST;
	a->fullscreen = i != SIZE_MAX && fullscreen;
	app_sync_list(a);
	app_sync_pane(a);
	free(sel);
	if (filter || prompt != PROMPT_OFF) {
		sb_clear(&a->input);
		sb_append(&a->input, input.s ? input.s : "", input.n);
		a->regex = regex;
		if (filter)
			app_filter_again(a, prompt == PROMPT_FILTER);
		else
			a->prompt = prompt;
		lineedit_reset(&a->edit, &a->input); /* the cursor at the end of it */
	}
	sb_free(&input);
	if (*what)
		app_say(a, "%s", what);
	if (config_said) /* the configuration's problems first, then what */
		config_status_message(cfg, a->message, sizeof a->message);
}

/* Start loading the collection again beside the reader (R, or a look at the files). */
static void start_reload(struct app *a, long long now)
{
	const struct app_source *s = a->source;

	a->reload_wanted = false;
	a->reload_checked_ns = now;
	a->reloading = reload_start(a->c, RELOAD_CHECK, s->paths, s->n, s->load, s->key,
				     s->catalog);
	reload_begin(a->reloading);
}

/* Take the reload's result once it is done: the collection as the files are now
 * (keeping the place), or the news that nothing changed. */
static void take_reload(struct app *a)
{
	const char *what;
	struct reload *r = a->reloading;
	const struct collection *c = reload_result(r, &what);

	a->reloading = NULL;
	if (c) {
		struct reload *old = a->reloaded; /* its collection is shown until now */
		a->reloaded = r;
		take_collection(a, c, what);
		reload_free(old);
	} else {
		if (*what)
			app_say(a, "%s", what);
		else if (!a->reload_quiet)
			app_say(a, "The files have not changed");
		reload_free(r); /* what is its */
	}
	a->redraw = true;
}

/* R asked for, or the files not looked at for reload_every seconds: start a reload;
 * one done: take it. Returns whether one is under way. */
static bool reload_idle(struct app *a)
{
	struct timespec t;

	if (a->reloading) {
		if (!reload_done(a->reloading))
			return true;
		take_reload(a);
		return false;
	}
	if (!a->source || (a->first_reload && !a->first_reload_taken))
		return false; /* the first load, or the catalog's check, is not over */
	clock_gettime(CLOCK_MONOTONIC, &t);
	long long now = (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
	if (!a->reload_checked_ns)
		a->reload_checked_ns = now;
	bool due = a->reload_every > 0 &&
		   now - a->reload_checked_ns >= (long long)a->reload_every * 1000000000LL;
	if (!a->reload_wanted && !due)
		return false;
	a->reload_quiet = !a->reload_wanted;
	start_reload(a, now);
	return true;
}

void app_reload_free(struct reload *reloading, struct reload *reloaded)
{
	reload_free(reloading);
	reload_free(reloaded);
}

bool app_reload_idle(struct app *a)
{
	const char *what;
	const struct collection *c;

	/* The catalog the reader started from was cut short under it: load the files. */
	if (a->first_reload && a->first_reload_taken && catalog_damaged(a->c) && reload_again(a->first_reload))
		a->first_reload_taken = false;
	if (reload_idle(a))
		return true;
	if (!a->first_reload || a->first_reload_taken)
		return false;
	reload_begin(a->first_reload); /* once the first screen is drawn */
	if (!reload_done(a->first_reload)) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (app_loading(a) && app_elapsed_ns(&a->loading_drawn) >= LOADING_REDRAW_NS) {
			a->loading_drawn = now; /* the count of files loaded moves on */
			a->redraw = true;
		}
		return true;
	}
	a->first_reload_taken = true;
	c = reload_result(a->first_reload, &what);
	if (c)
		take_collection(a, c, what);
	else if (*what)
		app_say(a, "%s", what);
	a->redraw = a->redraw || c || *what;
	return false;
}

bool app_loading(const struct app *a)
{
	struct reload_progress p;
	return a->first_reload && !a->first_reload_taken && reload_loading(a->first_reload, &p);
}

void app_loading_status(const struct app *a, struct strbuf *sb)
{
	struct reload_progress p;
	struct strbuf count = {0};

	if (!a->first_reload || a->first_reload_taken || !reload_loading(a->first_reload, &p))
		return;
	if (!p.total) {
		sb_printf(sb, _(" · loading: %zu files read"), p.files);
		return;
	}
	/* one big file: how much of it is read, and how many records */
	sb_put_count(&count, p.records);
	sb_printf(sb, _(" · loading: %d%% · %s articles"), (int)(p.bytes * 100 / p.total),
		  count.s);
	sb_free(&count);
}

bool app_waiting(const struct app *a)
{
	return (a->first_reload && !a->first_reload_taken) || a->reloading || a->reload_wanted ||
	       app_unread_waiting(a) || app_index_waiting(a);
}
