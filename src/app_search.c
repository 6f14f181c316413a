/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_search.c: the reader's searching: the list filter as you type, finding in the
 * article, and the prompt that takes the query. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#endif
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistr.h>

#include "app.h"
#include "app_internal.h"
#include "i18n.h"

/* What app_idle does at most per call: nanoseconds spent, bytes of text folded. */
#define IDLE_NS 10000000L
#define IDLE_BYTES ((size_t)1 << 20)
/* What one slice of the list filter does at most: bytes of text folded, bytes of keys
 * searched (searching, on two threads, is some forty times faster than folding). A
 * slice is a few milliseconds: keys typed during a long scan are handled between
 * slices. */
#define SLICE_FOLD_BYTES ((size_t)1 << 20)
#define SLICE_SCAN_BYTES ((size_t)64 << 20)

/* The articles' search keys, ready to be folded. */
static struct search_keys *keys(struct app *a)
{
	if (!a->keys.v)
		search_keys_init(&a->keys, a->c);
	return &a->keys;
}

void app_show_all(struct app *a)
{
	a->filtered = false;
	a->bookmarks_only = false;
	a->unread_only = false;
	a->view.n = 0;
	app_order_rebuild(a);
	app_sync_list(a);
}

/* Remember the place the list filter starts from (show_all_from_start goes back). */
static void remember_place(struct app *a)
{
	a->filter_from.sel = a->sel;
	a->filter_from.list_top = a->list_top;
	a->filter_from.scroll = a->scroll;
	a->filter_from.link = a->link;
}

/* Show every article again, at the place the filter prompt was opened from. */
static void show_all_from_start(struct app *a)
{
	app_show_all(a);
	if (a->filter_from.sel >= app_narticles(a))
		return;
	if (a->sel != a->filter_from.sel) {
		a->sel = a->filter_from.sel;
		app_sync_pane(a);
	}
	a->scroll = a->filter_from.scroll;
	a->link = a->filter_from.link;
	a->list_top = a->filter_from.list_top;
	app_sync_list(a);
	app_sync_pane(a);
}

/* Keep the selection when it matches, else select the first match. */
static void select_in_view(struct app *a)
{
	size_t row = app_list_row_of(a, a->sel), n = app_list_count(a);
	if (a->view.n && (row >= n || app_list_is_header(a, row) || app_list_article(a, row) != a->sel))
		app_select_article(a, app_list_article(a, app_list_skip_header(a, 0, 1)));
	app_sync_list(a);
}

bool app_filter_done(const struct app *a)
{
	return !a->filtered || a->bookmarks_only || a->filter_next >= app_narticles(a);
}

static void show_filtered(struct app *a);

/* Check the next candidates of a regex filter the index narrowed, one slice's worth. */
static void cand_slice(struct app *a)
{
	size_t n = app_narticles(a), bytes = 0;
	while (a->cand_next < a->cand.n && bytes < SLICE_FOLD_BYTES) {
		size_t i = a->cand.v[a->cand_next++];
		const struct article *art = a->c->articles.v[i];
		bytes += art->title.n + art->source.n + art->body.n + 2;
		if (search_article(keys(a), i, &a->list_query, NULL, NULL))
			VEC_PUSH(&a->view, i);
	}
	/* The progress: the list position reached. */
	a->filter_next = a->cand_next < a->cand.n ? a->cand.v[a->cand_next] : n;
	if (search_gave_up(&a->list_query)) {
		a->filter_next = n;
		app_say(a, "Regular expression too complex: the search gave up (the list is incomplete)");
	}
	show_filtered(a);
}

/* Look at the next articles for the list filter, one slice's worth (see SLICE_*). */
static void filter_slice(struct app *a)
{
	if (a->use_cand) {
		cand_slice(a);
		return;
	}
	size_t folded, scanned = 0, end = a->filter_next;
	size_t stop = search_keys_fold_ahead(keys(a), end, SLICE_FOLD_BYTES, &folded);

	while (end < stop && scanned < SLICE_SCAN_BYTES)
		scanned += a->keys.v[end++].n;
	search_scan(&a->keys, &a->list_query, a->filter_next, end, &a->view);
	a->filter_next = end;
	if (search_gave_up(&a->list_query)) { /* the rest would find nothing either */
		a->filter_next = app_narticles(a);
		app_say(a, "Regular expression too complex: the search gave up (the list is incomplete)");
	}
	show_filtered(a);
}

/* Show the filter's view as it is now: in the list's order, the selection kept when it
 * matches; when the filter is done and nothing matched, all articles again. */
static void show_filtered(struct app *a)
{
	app_order_rebuild(a);
	select_in_view(a);
	if (app_filter_done(a) && a->view.n == 0 && a->prompt != PROMPT_FILTER && !app_loading(a)) {
		show_all_from_start(a);
		app_say(a, "No headline matches: showing all");
	}
}

/* Filter the list by what the prompt holds (as it is typed): the first slice now, the
 * rest in app_idle. */
static void apply_filter(struct app *a);

void app_filter_again(struct app *a, bool prompt_open)
{
	enum app_prompt was = a->prompt;

	remember_place(a); /* the collection changed: the place before is gone */
	a->prompt = PROMPT_FILTER;
	apply_filter(a);
	a->prompt = prompt_open ? PROMPT_FILTER : was;
}

static void apply_filter(struct app *a)
{
	struct search q;
	char err[128];

	if (a->input.n == 0) {
		app_show_all(a);
		return;
	}
	if (!search_compile(&q, a->input.s, a->input.n, a->regex, err, sizeof err)) {
		app_say(a, "Bad regular expression: %s", err);
		return;
	}
	a->bookmarks_only = false;
	if (a->has_list_query)
		search_free(&a->list_query);
	a->list_query = q;
	a->has_list_query = true;
	a->filtered = true;
	a->view.n = 0;
	a->filter_next = 0;
	a->use_cand = false;
	switch (app_index_query(a, &a->list_query, &a->cand)) {
	case INDEX_EXACT: /* the index: at once, all */
		a->view.n = 0;
		for (size_t k = 0; k < a->cand.n; k++)
			VEC_PUSH(&a->view, a->cand.v[k]);
		a->filter_next = app_narticles(a);
		show_filtered(a);
		return;
	case INDEX_CANDIDATES: /* a regex: only these can match */
		a->use_cand = true;
		a->cand_next = 0;
		break;
	default: break;
	}
	filter_slice(a);
}

static void clear_find(struct app *a)
{
	if (a->has_find)
		search_free(&a->find);
	a->has_find = false;
	a->match = -1;
	a->pane.matches.n = 0;
}

/* Scroll so that line is on screen, a third of the way down when it was not. */
static void show_line(struct app *a, size_t line)
{
	size_t h = (size_t)app_pane_height(a);
	if (line >= a->scroll && line < a->scroll + h)
		return;
	a->scroll = line > h / 3 ? line - h / 3 : 0;
	app_sync_pane(a);
}

/* The first match to visit: from the top of the view down, or from its bottom up. */
static int first_match(const struct app *a, bool forward)
{
	const struct pane *p = &a->pane;
	size_t bottom = a->scroll + (size_t)app_pane_height(a);
	if (forward) {
		for (size_t i = 0; i < p->matches.n; i++)
			if (p->matches.v[i].line >= a->scroll)
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
	int n = (int)a->pane.matches.n;
	int m;

	if (!a->has_find) {
		app_say(a, "No search: / or ? starts one");
		return;
	}
	if (n == 0) {
		app_say(a, "Not found in this article");
		return;
	}
	if (a->match < 0) {
		m = first_match(a, forward);
	} else {
		m = a->match + (forward ? 1 : -1);
		m = m >= n ? -1 : m;
	}
	if (m < 0) {
		m = forward ? 0 : n - 1;
		app_say(a, forward ? N_("Search wrapped to the top")
				   : N_("Search wrapped to the bottom"));
	}
	a->match = m;
	show_line(a, a->pane.matches.v[m].line);
}

/* Start highlighting what the prompt holds in the pane. */
static void start_find(struct app *a, bool backward)
{
	struct search q;
	char err[128];

	if (!search_compile(&q, a->input.s, a->input.n, a->regex, err, sizeof err)) {
		app_say(a, "Bad regular expression: %s", err);
		return;
	}
	clear_find(a);
	if (search_is_empty(&q)) {
		search_free(&q);
		return;
	}
	a->find = q;
	a->has_find = true;
	a->find_backward = backward;
	app_sync_pane(a);
	a->find_article = a->pane.article;
	pane_find(&a->pane, &a->find);
	find_step(a, !backward);
	if (search_gave_up(&a->find))
		app_say(a, "Regular expression too complex: the search gave up");
}

/* n and N in the list: the next matching headline, wrapping. */
static void next_matching_article(struct app *a, bool forward)
{
	size_t n = app_list_count(a), row = app_list_row_of(a, a->sel);

	if (a->filtered) {
		app_move_list(a, forward ? 1 : -1);
		return;
	}
	if (!a->has_list_query) {
		app_say(a, "No search: / starts one");
		return;
	}
	/* In the list's order, which a sort may have changed. */
	for (size_t k = 1; k <= n; k++) {
		size_t r = forward ? (row + k) % n : (row + n - k % n) % n;
		if (app_list_is_header(a, r))
			continue;
		size_t i = app_list_article(a, r);
		if (search_article(&a->keys, i, &a->list_query, NULL, NULL)) {
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
	enum app_prompt kind = a->prompt;

	app_prompt_accepted(a);
	app_settle(a);
	a->prompt = PROMPT_OFF;
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
	if (a->filtered && a->view.n == 0 && app_filter_done(a) && !app_loading(a)) {
		show_all_from_start(a);
		app_say(a, "No headline matches: showing all");
	} else if (a->filtered) {
		app_say(a, "Esc shows all articles");
	}
}

static void cancel_prompt(struct app *a)
{
	a->filter_dirty = false;
	if (a->prompt == PROMPT_FILTER)
		show_all_from_start(a);
	a->prompt = PROMPT_OFF;
}

void app_prompt_key(struct app *a, int key)
{
	enum edit_action op = keymap_prompt_lookup(key);

	switch (op) {
	case EDIT_ACCEPT: accept_prompt(a); return;
	case EDIT_CANCEL: cancel_prompt(a); return;
	case EDIT_TOGGLE_REGEX:
		if (a->prompt != PROMPT_PIPE && a->prompt != PROMPT_DATE && a->prompt != PROMPT_SAVE)
			a->regex = !a->regex;
		break;
	case EDIT_NONE:
		if (!app_prompt_type(a, key))
			return;
		break;
	default:
		if (!app_prompt_edit(a, op))
			return;
		break;
	}
	if (a->prompt == PROMPT_FILTER)
		a->filter_dirty = true;
}

void app_settle(struct app *a)
{
	if (!a->filter_dirty)
		return;
	a->filter_dirty = false;
	if (a->prompt == PROMPT_FILTER)
		apply_filter(a);
}

long app_elapsed_ns(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000000000L + (now.tv_nsec - since->tv_nsec);
}

bool app_idle(struct app *a)
{
	size_t n = app_narticles(a), bytes = 0;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	app_unread_tick(a, (long long)t0.tv_sec * 1000000000LL + t0.tv_nsec);
	if (a->similar_cache_wanted && !app_loading(a)) { /* not for the first files only */
		a->similar_cache_wanted = false;
		app_similar_cache(a);
	}
	app_reload_idle(a);
	app_index_idle(a);
	if (!app_filter_done(a)) { /* asked for: first */
		do
			filter_slice(a);
		while (!app_filter_done(a) && app_elapsed_ns(&t0) < IDLE_NS);
		a->redraw = true;
		return true;
	}
	if (app_similar_idle(a))
		return true;
	/* About IDLE_NS of folding, on two threads; not with a search index (the keys of
	 * every article would take more memory than the text). */
	if (a->idle_next < n && !a->index_key)
		a->idle_next = search_keys_fold_ahead(keys(a), a->idle_next, IDLE_BYTES, &bytes);
	return a->idle_next < n;
}

/* Esc: drop the pane's highlights, else the list filter. */
static void clear_search(struct app *a)
{
	bool pane_first = a->focus == FOCUS_PANE;
	if (a->has_find && (pane_first || !a->filtered)) {
		clear_find(a);
		app_say(a, "Highlights cleared");
	} else if (a->filtered) {
		app_show_all(a);
		app_say(a, "Showing all %zu articles: n/N go from match to match", app_narticles(a));
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
			find_step(a, a->find_backward ? !next : next);
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
	sb_free(&a->input);
	free(a->view.v);
	free(a->cand.v);
	if (a->keys.v)
		search_keys_free(&a->keys);
	if (a->has_list_query)
		search_free(&a->list_query);
	if (a->has_find)
		search_free(&a->find);
}
