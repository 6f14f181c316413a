/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_search.c: the reader's searching: the list filter as you type, finding in the
 * article, and the prompt that takes the query. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistr.h>

#include "app.h"
#include "app_internal.h"
#include "i18n.h"
#include "log.h"

/* What one slice of the list filter does at most: bytes of text folded, bytes of keys
 * searched (searching, on two threads, is some forty times faster than folding). A
 * slice is a few milliseconds: keys typed during a long scan are handled between
 * slices. */
#define SLICE_FOLD_BYTES ((size_t)1 << 20)
#define SLICE_SCAN_BYTES ((size_t)64 << 20)

/* The articles' search keys, ready to be folded. */
static struct search_keys *keys(struct app *a)
{
	if (!a->search.keys.v)
		search_keys_init(&a->search.keys, a->c);
	return &a->search.keys;
}

void app_show_all(struct app *a)
{
	a->list.filtered = false;
	a->list.bookmarks_only = false;
	a->unread.only = false;
	a->list.view.n = 0;
	app_order_rebuild(a);
	app_sync_list(a);
}

/* Remember the place the list filter starts from (show_all_from_start goes back). */
static void remember_place(struct app *a)
{
	a->filter.from.sel = a->list.sel;
	a->filter.from.list_top = a->list.top;
	a->filter.from.scroll = a->pane.scroll;
	a->filter.from.link = a->pane.link;
}

/* Show every article again, at the place the filter prompt was opened from. */
static void show_all_from_start(struct app *a)
{
	app_show_all(a);
	if (a->filter.from.sel >= app_narticles(a))
		return;
	if (a->list.sel != a->filter.from.sel) {
		a->list.sel = a->filter.from.sel;
		app_sync_pane(a);
	}
	a->pane.scroll = a->filter.from.scroll;
	a->pane.link = a->filter.from.link;
	a->list.top = a->filter.from.list_top;
	app_sync_list(a);
	app_sync_pane(a);
}

/* Keep the selection when it matches, else select the first match. */
static void select_in_view(struct app *a)
{
	size_t row = app_list_row_of(a, a->list.sel), n = app_list_count(a);
	if (a->list.view.n &&
	    (row >= n || app_list_is_header(a, row) || app_list_article(a, row) != a->list.sel))
		app_select_article(a, app_list_article(a, app_list_skip_header(a, 0, 1)));
	app_sync_list(a);
}

bool app_filter_done(const struct app *a)
{
	return !a->list.filtered || a->list.bookmarks_only || a->filter.next >= app_narticles(a);
}

static void show_filtered(struct app *a);

/* Check the next candidates of a regex filter the index narrowed, one slice's worth. */
static void cand_slice(struct app *a)
{
	size_t n = app_narticles(a), bytes = 0;
	while (a->filter.cand_next < a->filter.cand.n && bytes < SLICE_FOLD_BYTES) {
		size_t i = a->filter.cand.v[a->filter.cand_next++];
		struct article tmp;
		const struct article *art = collection_peek(a->c, i, &tmp);
		bytes += art->title.n + art->source.n + art->body.n + 2;
		if (search_article(keys(a), i, &a->filter.query, NULL, NULL))
			VEC_PUSH(&a->list.view, i);
	}
	/* The progress: the list position reached. */
	const search_hits *cand = &a->filter.cand;
	a->filter.next = a->filter.cand_next < cand->n ? cand->v[a->filter.cand_next] : n;
	if (search_gave_up(&a->filter.query)) {
		a->filter.next = n;
		app_say(a, "Regular expression too complex: the search gave up (the list is "
			   "incomplete)");
	}
	show_filtered(a);
}

/* Look at the next articles for the list filter, one slice's worth (see SLICE_*). */
static void filter_slice(struct app *a)
{
	if (a->filter.use_cand) {
		cand_slice(a);
		return;
	}
	size_t folded, scanned = 0, end = a->filter.next;
	size_t stop = search_keys_fold_ahead(keys(a), end, SLICE_FOLD_BYTES, &folded);

	while (end < stop && scanned < SLICE_SCAN_BYTES)
		scanned += a->search.keys.v[end++].n;
	search_scan(&a->search.keys, &a->filter.query, a->filter.next, end, &a->list.view);
	a->filter.next = end;
	if (search_gave_up(&a->filter.query)) { /* the rest would find nothing either */
		a->filter.next = app_narticles(a);
		app_say(a, "Regular expression too complex: the search gave up (the list is "
			   "incomplete)");
	}
	show_filtered(a);
}

/* Show all articles again after a filter that found none, saying why: nothing matched,
 * or the regular expression was too complex and the search gave up. */
static void show_all_unmatched(struct app *a)
{
	show_all_from_start(a);
	if (a->filter.has_query && search_gave_up(&a->filter.query))
		app_say(a, "Regular expression too complex: the search gave up: showing all");
	else
		app_say(a, "No headline matches: showing all");
}

/* Show the filter's view as it is now: in the list's order, the selection kept when it
 * matches; when the filter is done and nothing matched, all articles again. */
static void show_filtered(struct app *a)
{
	app_order_rebuild(a);
	select_in_view(a);
	if (app_filter_done(a) && a->list.view.n == 0 && a->prompt.kind != PROMPT_FILTER &&
	    !app_loading(a))
		show_all_unmatched(a);
}

/* Filter the list by what the prompt holds (as it is typed): the first slice now, the
 * rest in app_idle. */
static void apply_filter(struct app *a);

void app_filter_again(struct app *a, bool prompt_open)
{
	enum app_prompt was = a->prompt.kind;

	remember_place(a); /* the collection changed: the place before is gone */
	a->prompt.kind = PROMPT_FILTER;
	apply_filter(a);
	a->prompt.kind = prompt_open ? PROMPT_FILTER : was;
}

static void apply_filter(struct app *a)
{
	struct search q;
	char err[128];

	if (a->prompt.input.n == 0) {
		app_show_all(a);
		return;
	}
	if (!search_compile(&q, a->prompt.input.s, a->prompt.input.n, a->prompt.regex, err,
			    sizeof err)) {
		app_say(a, "Bad regular expression: %s", err);
		return;
	}
	a->list.bookmarks_only = false;
	if (a->filter.has_query)
		search_free(&a->filter.query);
	a->filter.query = q;
	a->filter.has_query = true;
	a->list.filtered = true;
	a->list.view.n = 0;
	a->filter.next = 0;
	a->filter.use_cand = false;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	switch (app_index_query(a, &a->filter.query, &a->filter.cand)) {
	case INDEX_EXACT: { /* the index: at once, all */
		long queried = app_elapsed_ns(&t0);
		a->list.view.n = 0;
		for (size_t k = 0; k < a->filter.cand.n; k++)
			VEC_PUSH(&a->list.view, a->filter.cand.v[k]);
		a->filter.next = app_narticles(a);
		show_filtered(a);
		log_debug("filter \"%.*s\": %zu articles, the index %.1f ms, shown %.1f ms after",
			  (int)a->prompt.input.n, a->prompt.input.s, a->filter.cand.n,
			  (double)queried / 1e6, (double)app_elapsed_ns(&t0) / 1e6);
		return;
	}
	case INDEX_CANDIDATES: /* a regex: only these can match */
		a->filter.use_cand = true;
		a->filter.cand_next = 0;
		break;
	default: break;
	}
	filter_slice(a);
}

static void clear_find(struct app *a)
{
	if (a->find.active)
		search_free(&a->find.query);
	a->find.active = false;
	a->find.match = -1;
	a->pane.shown.matches.n = 0;
}

/* Scroll so that line is on screen, a third of the way down when it was not. */
static void show_line(struct app *a, size_t line)
{
	size_t h = (size_t)app_pane_height(a);
	if (line >= a->pane.scroll && line < a->pane.scroll + h)
		return;
	a->pane.scroll = line > h / 3 ? line - h / 3 : 0;
	app_sync_pane(a);
}

/* The first match to visit: from the top of the view down, or from its bottom up. */
static int first_match(const struct app *a, bool forward)
{
	const struct pane *p = &a->pane.shown;
	size_t bottom = a->pane.scroll + (size_t)app_pane_height(a);
	if (forward) {
		for (size_t i = 0; i < p->matches.n; i++)
			if (p->matches.v[i].line >= a->pane.scroll)
				return (int)i;
		return -1;
	}
	for (size_t i = p->matches.n; i-- > 0;)
		if (p->matches.v[i].line < bottom)
			return (int)i;
	return -1;
}

/* Go to the next match forward or backward, wrapping round the article. */
static void find_step(struct app *a, bool forward)
{
	int n = (int)a->pane.shown.matches.n;
	int m;

	if (!a->find.active) {
		app_say(a, "No search: / or ? starts one");
		return;
	}
	if (n == 0) {
		app_say(a, "Not found in this article");
		return;
	}
	if (a->find.match < 0) {
		m = first_match(a, forward);
	} else {
		m = a->find.match + (forward ? 1 : -1);
		m = m >= n ? -1 : m;
	}
	if (m < 0) {
		m = forward ? 0 : n - 1;
		app_say(a, forward ? N_("Search wrapped to the top")
				   : N_("Search wrapped to the bottom"));
	}
	a->find.match = m;
	show_line(a, a->pane.shown.matches.v[m].line);
}

/* Start highlighting what the prompt holds in the pane. */
static void start_find(struct app *a, bool backward)
{
	struct search q;
	char err[128];

	if (!search_compile(&q, a->prompt.input.s, a->prompt.input.n, a->prompt.regex, err,
			    sizeof err)) {
		app_say(a, "Bad regular expression: %s", err);
		return;
	}
	clear_find(a);
	if (search_is_empty(&q)) {
		search_free(&q);
		return;
	}
	a->find.query = q;
	a->find.active = true;
	a->find.backward = backward;
	app_sync_pane(a);
	a->find.article = a->pane.shown.article;
	pane_find(&a->pane.shown, &a->find.query);
	find_step(a, !backward);
	if (search_gave_up(&a->find.query))
		app_say(a, "Regular expression too complex: the search gave up");
}

/* n and N in the list: the next matching headline, wrapping. */
static void next_matching_article(struct app *a, bool forward)
{
	size_t n = app_list_count(a), row = app_list_row_of(a, a->list.sel);

	if (a->list.filtered) {
		app_move_list(a, forward ? 1 : -1);
		return;
	}
	if (!a->filter.has_query) {
		app_say(a, "No search: / starts one");
		return;
	}
	/* In the list's order, which a sort may have changed. */
	for (size_t k = 1; k <= n; k++) {
		size_t r = forward ? (row + k) % n : (row + n - k % n) % n;
		if (app_list_is_header(a, r))
			continue;
		size_t i = app_list_article(a, r);
		if (search_article(&a->search.keys, i, &a->filter.query, NULL, NULL)) {
			if (forward ? r <= row : r >= row)
				app_say(a, forward ? N_("Search wrapped to the top")
						   : N_("Search wrapped to the bottom"));
			app_select_article(a, i);
			return;
		}
	}
	app_say(a, "No headline matches");
}

static void open_prompt(struct app *a, enum app_prompt kind)
{
	app_prompt_open(a, kind);
	if (kind == PROMPT_FILTER)
		remember_place(a);
}

static void accept_prompt(struct app *a)
{
	enum app_prompt kind = a->prompt.kind;

	app_prompt_accepted(a);
	app_settle(a);
	a->prompt.kind = PROMPT_OFF;
	if (kind == PROMPT_SAVE) {
		app_save_accept(a);
		return;
	}
	if (kind == PROMPT_PIPE || kind == PROMPT_DATE) {
		app_arrange_accept(a, kind);
		return;
	}
	if (kind != PROMPT_FILTER) {
		start_find(a, kind == PROMPT_FIND_BACK);
		return;
	}
	if (a->list.filtered && a->list.view.n == 0 && app_filter_done(a) && !app_loading(a)) {
		show_all_unmatched(a);
	} else if (a->list.filtered) {
		app_say(a, "Esc shows all articles");
	}
}

static void cancel_prompt(struct app *a)
{
	a->filter.dirty = false;
	if (a->prompt.kind == PROMPT_FILTER)
		show_all_from_start(a);
	a->prompt.kind = PROMPT_OFF;
}

void app_prompt_key(struct app *a, int key)
{
	enum edit_action op = keymap_prompt_lookup(key);

	switch (op) {
	case EDIT_ACCEPT: accept_prompt(a); return;
	case EDIT_CANCEL: cancel_prompt(a); return;
	case EDIT_TOGGLE_REGEX:
		if (a->prompt.kind != PROMPT_PIPE && a->prompt.kind != PROMPT_DATE &&
		    a->prompt.kind != PROMPT_SAVE)
			a->prompt.regex = !a->prompt.regex;
		break;
	case EDIT_NONE:
		if (!app_prompt_type(a, key))
			return;
		break;
	case EDIT_COMPLETE: /* the file name at the end of the save prompt */
		if (a->prompt.kind != PROMPT_SAVE || !app_save_complete(a))
			return;
		break;
	default:
		if (!app_prompt_edit(a, op))
			return;
		break;
	}
	if (a->prompt.kind == PROMPT_FILTER)
		a->filter.dirty = true;
}

void app_settle(struct app *a)
{
	if (!a->filter.dirty)
		return;
	a->filter.dirty = false;
	if (a->prompt.kind == PROMPT_FILTER)
		apply_filter(a);
}

bool app_filter_idle(struct app *a, const struct timespec *t0, long ns)
{
	if (app_filter_done(a))
		return false;
	do
		filter_slice(a);
	while (!app_filter_done(a) && app_elapsed_ns(t0) < ns);
	return true;
}

bool app_search_fold_idle(struct app *a, size_t bytes)
{
	size_t n = app_narticles(a), done = 0;

	/* Not with a search index (the keys of every article would take more memory than
	 * the text): then none are left, or the reader would spin on this. */
	if (a->search.index_key)
		return false;
	if (a->search.fold_next < n)
		a->search.fold_next = search_keys_fold_ahead(keys(a), a->search.fold_next, bytes,
							     &done);
	return a->search.fold_next < n;
}

/* Esc: drop the pane's highlights, else the list filter. */
static void clear_search(struct app *a)
{
	bool pane_first = a->focus == FOCUS_PANE;
	if (a->find.active && (pane_first || !a->list.filtered)) {
		clear_find(a);
		app_say(a, "Highlights cleared");
	} else if (a->list.filtered) {
		app_show_all(a);
		app_say(a, "Showing all %zu articles: n/N go from match to match",
			app_narticles(a));
	}
}

void app_search_apply(struct app *a, enum action act)
{
	bool in_pane = a->focus == FOCUS_PANE;

	switch (act) {
	case ACTION_SEARCH: open_prompt(a, in_pane ? PROMPT_FIND : PROMPT_FILTER); break;
	case ACTION_SEARCH_BACK: open_prompt(a, PROMPT_FIND_BACK); break;
	case ACTION_SEARCH_NEXT:
	case ACTION_SEARCH_PREV: {
		bool next = act == ACTION_SEARCH_NEXT;
		if (in_pane)
			find_step(a, a->find.backward ? !next : next);
		else
			next_matching_article(a, next);
		break;
	}
	case ACTION_CLEAR: clear_search(a); break;
	default: break;
	}
}

void app_search_free(struct app *a)
{
	sb_free(&a->prompt.input);
	free(a->list.view.v);
	free(a->filter.cand.v);
	if (a->search.keys.v)
		search_keys_free(&a->search.keys);
	if (a->filter.has_query)
		search_free(&a->filter.query);
	if (a->find.active)
		search_free(&a->find.query);
}
