/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_reload.c: taking the collection as the files are now, while the reader runs,
 * once the catalog's reload (reload.h) has loaded what changed. */
#include <config.h>

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

	if (!a->opts.config)
		return false;
	config_status_message(a->opts.config, said, sizeof said);
	return said[0] && strncmp(a->message, said, strlen(said)) == 0;
}

/* Start over on collection c: what is the collection's (the list, the pane, the search,
 * the similar stories, the map, ...) starts again; the settings, the reloads, the
 * prompts' history and the marks are kept whole, and of the rest the form, the order
 * and grouping, the focus, the key reference (?) if open and the selected article (by id) with its
 * place. A reader still on the
 * first headline of the list, which it starts on, stays on the first (the newest). */
static void take_collection(struct app *a, const struct collection *c, const char *what)
{
	/* The reader as it was: once freed, only its plain values and the parts kept whole
	 * (prompts, opts, reload) are read. */
	struct app old = *a;
	bool cached = a->similar.cache != NULL || a->similar.cache_wanted;
	struct marks marks; /* kept, saved or not (another reader may hold the lock) */
	app_marks_detach(a, &marks);
	bool at_top = a->list.sel == 0 && a->focus == FOCUS_LIST && !a->fullscreen;
	bool config_said = config_problem_shown(a);
	char *sel = a->list.sel < app_narticles(a) && !at_top
			    ? xstrdup(collection_article(a->c, a->list.sel)->id)
			    : NULL;
	/* A filter typed while the collection was loading goes on over all of it; a prompt
	 * being typed stays open with what it holds (then the text is its, not the
	 * filter's: the filter is dropped). */
	/* A y/n question is dropped: its text was about the collection as it was. */
	enum app_prompt prompt = a->prompt.kind == PROMPT_CONFIRM ? PROMPT_OFF : a->prompt.kind;
	bool filter = a->list.filtered && !a->list.bookmarks_only &&
		      (prompt == PROMPT_OFF || prompt == PROMPT_FILTER);
	struct strbuf input = {0};
	sb_append(&input, a->prompt.input.s ? a->prompt.input.s : "", a->prompt.input.n);

	memset(&a->prompts, 0, sizeof a->prompts); /* kept whole: app_free leaves it */
	app_free(a);
	app_init(a, c, old.rows, old.cols);
	prompthist_free(&a->prompts);
	a->prompts = old.prompts;
	a->opts = old.opts;
	a->reload = old.reload;
	a->reload.first_taken = true;
	a->reload.wanted = a->reload.quiet = false; /* R typed while the first files loaded */
	a->script = old.script;
	if (old.list.sort != SORT_DATE || old.list.group != GROUP_NONE)
		app_set_arrangement(a, old.list.sort, old.list.group);
	a->similar.cache_wanted = cached;
	a->search.index_key = old.search.index_key;
	app_marks_attach(a, &marks);
	const struct article *was = sel ? collection_find(c, sel) : NULL;
	size_t i = was ? collection_index(c, was) : at_top ? 0 : SIZE_MAX;
	if (i != SIZE_MAX) {
		app_select_article(a, i);
		a->pane.scroll = old.pane.scroll; /* the place in it (app_sync_pane bounds it) */
	}
	a->focus = i != SIZE_MAX ? old.focus : FOCUS_LIST;
	a->fullscreen = i != SIZE_MAX && old.fullscreen;
	/* The key reference is the keymap's, not the collection's: open, it stays so. */
	a->help.shown = old.help.shown;
	a->help.top = old.help.top;
	app_resize(a, a->rows, a->cols); /* the help laid out; the list and pane synced */
	free(sel);
	if (filter || prompt != PROMPT_OFF) {
		sb_clear(&a->prompt.input);
		sb_append(&a->prompt.input, input.s ? input.s : "", input.n);
		a->prompt.regex = old.prompt.regex;
		if (filter)
			app_filter_again(a, prompt == PROMPT_FILTER);
		else
			a->prompt.kind = prompt;
		lineedit_reset(&a->prompt.edit, &a->prompt.input); /* the cursor at the end of it */
	}
	sb_free(&input);
	if (*what)
		app_say(a, "%s", what);
	if (config_said) /* the configuration's problems first, then what */
		config_status_message(a->opts.config, a->message, sizeof a->message);
}

/* Start loading the collection again beside the reader (R, or a look at the files). */
static void start_reload(struct app *a, long long now)
{
	const struct app_source *s = a->reload.source;

	a->reload.wanted = false;
	a->reload.checked_ns = now;
	a->reload.loading = reload_start(a->c, RELOAD_CHECK, s->paths, s->n, s->load, s->key,
					 s->catalog);
	reload_begin(a->reload.loading);
}

/* Take the reload's result once it is done: the collection as the files are now
 * (keeping the place), or the news that nothing changed. */
static void take_reload(struct app *a)
{
	const char *what;
	struct reload *r = a->reload.loading;
	const struct collection *c = reload_result(r, &what);

	a->reload.loading = NULL;
	if (c) {
		struct reload *old = a->reload.shown; /* its collection is shown until now */
		a->reload.shown = r;
		take_collection(a, c, what);
		reload_free(old);
	} else {
		if (*what)
			app_say(a, "%s", what);
		else if (!a->reload.quiet)
			app_say(a, "The files have not changed");
		reload_free(r); /* what is its */
	}
	a->redraw = true;
}

/* Whether the catalogs of the collections shown are written (reload_ready hands a
 * collection over before its catalog is). */
static bool writes_done(const struct app *a)
{
	return (!a->reload.first || reload_done(a->reload.first)) &&
	       (!a->reload.shown || reload_done(a->reload.shown));
}

/* Say what went wrong writing those catalogs, once, after what the collection's arrival
 * said (the first is taken in the call after this one at the earliest). */
static void say_late(struct app *a)
{
	const char *late = a->reload.first_taken ? reload_take_late(a->reload.first) : NULL;

	if (late || (late = reload_take_late(a->reload.shown)))
		app_say(a, "%s", late);
}

/* R asked for, or the files not looked at for reload.every seconds: start a reload;
 * one done: take it. Returns whether one is under way. */
static bool reload_idle(struct app *a)
{
	struct timespec t;

	if (a->reload.loading) {
		if (!reload_ready(a->reload.loading))
			return true;
		take_reload(a);
		return false;
	}
	if (!a->reload.source || (a->reload.first && !a->reload.first_taken))
		return false; /* the first load, or the catalog's check, is not over */
	if (!writes_done(a))
		return false; /* freeing the collection shown would wait for its catalog */
	clock_gettime(CLOCK_MONOTONIC, &t);
	long long now = (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
	if (!a->reload.checked_ns)
		a->reload.checked_ns = now;
	bool due = a->reload.every > 0 &&
		   now - a->reload.checked_ns >= (long long)a->reload.every * 1000000000LL;
	/* The catalog the collection shown was read back from (reload_lighter) cut short
	 * under the reader: the files loaded again, as R does, and said. */
	bool cut = catalog_damaged(a->c);
	if (!a->reload.wanted && !due && !cut)
		return false;
	a->reload.quiet = !a->reload.wanted && !cut;
	start_reload(a, now);
	return true;
}

/* When the collection shown is the one reload r loaded from the files and r has read it
 * back from its catalog (reload_lighter): show that instead, the same list, and free the
 * one loaded (its articles' memory). */
static void take_lighter(struct app *a, struct reload *r)
{
	const char *what;
	const struct collection *light = reload_lighter(r);

	if (!light || reload_result(r, &what) != a->c)
		return;
	char said[sizeof a->message]; /* still said: the list is the same */
	memcpy(said, a->message, sizeof said);
	take_collection(a, light, said);
	reload_drop_loaded(r);
	a->redraw = true;
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

	say_late(a);
	if (a->reload.first && a->reload.first_taken)
		take_lighter(a, a->reload.first);
	take_lighter(a, a->reload.shown);
	/* The catalog the reader started from was cut short under it: load the files. */
	if (a->reload.first && a->reload.first_taken && catalog_damaged(a->c) &&
	    reload_again(a->reload.first))
		a->reload.first_taken = false;
	if (reload_idle(a))
		return true;
	if (!a->reload.first || a->reload.first_taken)
		return false;
	reload_begin(a->reload.first); /* once the first screen is drawn */
	if (!reload_ready(a->reload.first)) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (app_loading(a) && app_elapsed_ns(&a->loading_drawn) >= LOADING_REDRAW_NS) {
			a->loading_drawn = now; /* the count of files loaded moves on */
			a->redraw = true;
		}
		return true;
	}
	a->reload.first_taken = true;
	c = reload_result(a->reload.first, &what);
	if (c)
		take_collection(a, c, what);
	else if (*what)
		app_say(a, "%s", what);
	a->redraw = a->redraw || c || *what;
	return false;
}

void app_loading_status(const struct app *a, struct strbuf *sb)
{
	struct reload_progress p;
	struct strbuf count = {0};

	if (!a->reload.first || a->reload.first_taken || !reload_loading(a->reload.first, &p))
		return;
	if (p.articles) { /* the rest of a catalog: its whole count */
		sb_put_count(&count, p.articles);
		sb_printf(sb, _(" · loading: %s articles"), count.s);
		sb_free(&count);
		return;
	}
	if (!p.total) {
		sb_printf(sb, _(" · loading: %zu files read"), p.files);
		return;
	}
	/* one big file: how much of it is read, and how many records */
	sb_put_count(&count, p.records);
	sb_printf(sb, _(" · loading: %d%% · %s articles"), (int)(p.bytes * 100 / p.total), count.s);
	sb_free(&count);
}

bool app_waiting(const struct app *a)
{
	return (a->reload.first && !a->reload.first_taken) || !reload_settled(a->reload.first) ||
	       !reload_settled(a->reload.shown) || a->reload.loading || a->reload.wanted ||
	       app_unread_waiting(a) || app_index_waiting(a);
}
