/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_unread.c: reading through what is unread, as newsboat and mutt users do: the
 * next and previous unread article, marking every article listed read (after a y/n
 * question), the unread view (U), an article shown beside the list counting read
 * after a while (set preview-read), and half-page moves. Excerpts (related stories
 * that are not in the collection) are never unread articles. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "app.h"
#include "i18n.h"
#include "app_internal.h"
#include "app_marks.h"

/* Ctrl-D, Ctrl-U: half the list's or the pane's height. */
static void half_page(struct app *a, int dir)
{
	struct app_geometry g;

	app_geometry(a, &g);
	if (a->focus == FOCUS_LIST) {
		long h = g.list.h > 1 ? g.list.h / 2 : 1;
		app_move_list(a, dir * h);
	} else {
		long h = app_pane_height(a) > 1 ? app_pane_height(a) / 2 : 1;
		app_sync_pane(a);
		app_scroll_pane(a, dir * h);
	}
}

/* . and ,: open the next (or previous) unread article in the list's order, wrapping. */
static void step_unread(struct app *a, int dir)
{
	size_t n = app_list_count(a), row = app_list_row_of(a, a->list.sel);

	if (n == 0)
		return;
	/* From the list, the selected article itself counts, unless it is open. */
	bool from_here = a->focus == FOCUS_LIST && row < n &&
			 app_list_article(a, row) == a->list.sel;
	if (row >= n)
		row = dir > 0 ? n - 1 : 0;
	for (size_t k = from_here ? 0 : 1; k <= n; k++) {
		size_t r = dir > 0 ? (row + k) % n : (row + n - k % n) % n;
		if (app_list_is_header(a, r))
			continue;
		size_t i = app_list_article(a, r);
		if (!app_is_unread(a, i))
			continue;
		if (k > 0 && (dir > 0 ? r <= row : r >= row))
			app_say(a, dir > 0 ? "Wrapped to the top" : "Wrapped to the bottom");
		app_go_to(a, collection_article(a->c, i));
		return;
	}
	app_say(a, a->list.filtered ? "No unread article in this view" : "No unread articles");
}

/* The list positions of the unread articles listed, in list order. */
static void listed_unread(const struct app *a, search_hits *out)
{
	size_t n = app_list_count(a);

	out->n = 0;
	for (size_t r = 0; r < n; r++) {
		if (app_list_is_header(a, r))
			continue;
		size_t i = app_list_article(a, r);
		if (app_is_unread(a, i))
			VEC_PUSH(out, i);
	}
}

/* A: ask before marking every unread article listed read. */
static void ask_mark_all(struct app *a)
{
	search_hits unread = {0};
	char q[120];

	listed_unread(a, &unread);
	if (unread.n == 0)
		app_say(a, a->list.filtered ? "Nothing unread in this view" : "Nothing unread");
	else {
		snprintf(q, sizeof q,
			 a->list.filtered ? ngettext("Mark these %zu article read?",
						     "Mark these %zu articles read?", unread.n)
					  : ngettext("Mark all %zu article read?",
						     "Mark all %zu articles read?", unread.n),
			 unread.n);
		app_confirm(a, ACTION_MARK_ALL_READ, q);
	}
	free(unread.v);
}

void app_unread_mark_all(struct app *a)
{
	search_hits unread = {0};

	listed_unread(a, &unread);
	app_marks_read(a, unread.v, unread.n);
	app_say(a, ngettext("Marked %zu article read", "Marked %zu articles read", unread.n),
		unread.n);
	free(unread.v);
}

/* U: show only the unread articles (as ' shows the bookmarks), or all again. */
static void toggle_unread_view(struct app *a)
{
	search_hits view = {0};

	if (a->unread.only) {
		app_show_all(a);
		app_say(a, "Showing all %zu articles", app_narticles(a));
		return;
	}
	for (size_t i = 0; i < app_narticles(a); i++)
		if (app_is_unread(a, i))
			VEC_PUSH(&view, i);
	if (view.n == 0) {
		free(view.v);
		app_say(a, "No unread articles");
		return;
	}
	app_show_all(a);
	free(a->list.view.v);
	a->list.view = view;
	a->list.filtered = true;
	a->unread.only = true;
	a->filter.next = app_narticles(a); /* nothing to scan */
	a->focus = FOCUS_LIST;
	a->fullscreen = false;
	a->pane.link = -1;
	app_order_rebuild(a);
	size_t row = app_list_row_of(a, a->list.sel);
	if (row >= app_list_count(a) || app_list_is_header(a, row) ||
	    app_list_article(a, row) != a->list.sel)
		app_select_article(a, app_list_article(a, app_list_skip_header(a, 0, 1)));
	app_sync_list(a);
	app_sync_pane(a);
	app_say(a, "%zu unread: U or Esc shows all", view.n);
}

void app_unread_apply(struct app *a, enum action act)
{
	switch (act) {
	case ACTION_HALF_DOWN: half_page(a, 1); break;
	case ACTION_HALF_UP: half_page(a, -1); break;
	case ACTION_NEXT_UNREAD: step_unread(a, 1); break;
	case ACTION_PREV_UNREAD: step_unread(a, -1); break;
	case ACTION_MARK_ALL_READ: ask_mark_all(a); break;
	case ACTION_UNREAD: toggle_unread_view(a); break;
	default: break;
	}
}

/* The unread article shown beside the list (the pane visible, the list focused), or
 * SIZE_MAX. */
static size_t previewed(const struct app *a)
{
	struct app_geometry g;

	if (a->opts.preview_read <= 0 || a->focus != FOCUS_LIST || a->help.shown || a->map.shown ||
	    a->prompt.kind != PROMPT_OFF || app_narticles(a) == 0 || !app_is_unread(a, a->list.sel))
		return SIZE_MAX;
	app_geometry(a, &g);
	return g.pane.h > 0 ? a->list.sel : SIZE_MAX;
}

bool app_unread_tick(struct app *a, long long now_ns)
{
	size_t i = previewed(a);

	if (i == SIZE_MAX) {
		a->unread.preview = NULL;
		return false;
	}
	const struct article *cur = collection_article(a->c, i);
	if (a->unread.preview != cur) {
		a->unread.preview = cur;
		a->unread.since_ns = now_ns;
		return true;
	}
	if (now_ns - a->unread.since_ns < (long long)a->opts.preview_read * 1000000000LL)
		return true;
	app_marks_read(a, &i, 1);
	a->unread.preview = NULL;
	a->redraw = true;
	return false;
}

bool app_unread_waiting(const struct app *a)
{
	return a->unread.preview != NULL || previewed(a) != SIZE_MAX;
}

void app_unread_scrolled(struct app *a)
{
	size_t i = previewed(a);

	if (i != SIZE_MAX) {
		app_marks_read(a, &i, 1);
		a->unread.preview = NULL;
	}
}
