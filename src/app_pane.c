/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_pane.c: where the reader is: the selected article, its pane (built with its
 * similar stories, or taken from the panes built before) laid out and scrolled, and the
 * history of the places visited. It builds on app_core.c only; the features and app.c
 * move the reader through it. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_internal.h"
#include "i18n.h"

const struct article *app_current(const struct app *a)
{
	return app_narticles(a) ? collection_article(a->c, a->list.sel) : NULL;
}

/* Build the pane of cur (the selected article): with its similar stories when asked
 * (now) and the index can tell them, else with a line saying they are being computed
 * (asked between keys, app_pane_complete: a query of a big index touches its pages,
 * tens of milliseconds the first time, which a key or the filter must not wait for). */
static void build_pane(struct app *a, const struct article *cur, bool now)
{
	struct similar_hit hits[PANE_SIMILAR_SHOWN];
	size_t n = 0;
	bool asked = now && a->similar.index;

	if (asked)
		n = similar_query(a->similar.index, a->list.sel, hits, PANE_SIMILAR_SHOWN);
	pane_build_similar(&a->pane.shown, cur, a->script, a->c, asked ? hits : NULL, n);
}

bool app_pane_complete(struct app *a)
{
	const struct article *cur = a->pane.shown.article;
	size_t numbered = a->pane.shown.nrelated + a->pane.shown.nsimilar;

	if (!cur || cur != app_current(a) || (a->pane.shown.similar_pending && !a->similar.index))
		return false;
	a->redraw = true;
	pane_free(&a->pane.shown);
	build_pane(a, cur, true);
	a->find.match = -1;
	if (a->find.active)
		pane_find(&a->pane.shown, &a->find.query);
	app_sync_pane(a);
	if (a->pane.link >= 0 && (size_t)a->pane.link >= numbered)
		a->pane.link += (int)(a->pane.shown.nrelated + a->pane.shown.nsimilar - numbered);
	if (a->pane.link >= 0 && (size_t)a->pane.link >= a->pane.shown.links.n)
		a->pane.link = -1;
	return true;
}

void app_pane_dump_build(const struct app *a, struct pane *p)
{
	struct similar_hit hits[PANE_SIMILAR_SHOWN];
	const struct article *cur = collection_article(a->c, a->list.sel);

	if (!a->similar.index) {
		pane_build_converted(p, a->c, cur, a->script);
		return;
	}
	size_t n = similar_query(a->similar.index, a->list.sel, hits, PANE_SIMILAR_SHOWN);
	pane_build_similar(p, cur, a->script, a->c, hits, n);
}

void app_pane_stash(struct app *a)
{
	if (!a->pane.shown.article)
		return;
	struct pane *slot = &a->pane.cache[a->pane.cache_next];
	a->pane.cache_next = (a->pane.cache_next + 1) % APP_PANE_CACHE;
	pane_free(slot);
	*slot = a->pane.shown;
	memset(&a->pane.shown, 0, sizeof a->pane.shown);
}

/* Show article cur in the pane in the current form: taken from the cache, or built. */
static void swap_pane(struct app *a, const struct article *cur)
{
	app_pane_stash(a);
	for (size_t k = 0; k < APP_PANE_CACHE; k++) {
		struct pane *p = &a->pane.cache[k];
		/* (one built pending is completed between keys; one built with stories
		 * is not shown once the index is gone: damaged, built again) */
		if (p->article == cur && p->mode == a->script &&
		    (p->similar_pending || a->similar.index)) {
			a->pane.shown = *p;
			memset(p, 0, sizeof *p);
			a->pane.shown.matches.n = 0; /* of another search, maybe */
			return;
		}
	}
	build_pane(a, cur, false);
}

static size_t pane_max_scroll(const struct app *a, int height)
{
	size_t n = a->pane.shown.lines.n;
	return n > (size_t)height ? n - (size_t)height : 0;
}

void app_sync_pane(struct app *a)
{
	struct app_geometry g;
	const struct article *cur = app_current(a);

	if (!cur)
		return;
	if (a->pane.shown.article != cur) {
		swap_pane(a, cur);
		a->find.match = -1;
		if (a->find.active)
			pane_find(&a->pane.shown, &a->find.query);
	}
	app_geometry(a, &g);
	/* Lay out even when the pane is hidden, so link positions are always known. */
	pane_layout(&a->pane.shown, g.pane.w > 0 ? g.pane.w : a->cols);
	if (g.pane.h > 0 && a->pane.scroll > pane_max_scroll(a, g.pane.h))
		a->pane.scroll = pane_max_scroll(a, g.pane.h);
}

void app_select_article(struct app *a, size_t i)
{
	if (i >= app_narticles(a))
		return;
	a->list.sel = i;
	a->pane.scroll = 0;
	a->pane.link = -1;
	app_sync_list(a);
	app_sync_pane(a);
}

static struct history_entry here(const struct app *a)
{
	const struct pane *p = &a->pane.shown;
	bool linked = a->pane.link >= 0 && (size_t)a->pane.link < p->links.n &&
		      p->article == app_current(a);
	const void *target = linked ? p->links.v[a->pane.link] : NULL;
	return (struct history_entry){app_current(a), a->pane.scroll, a->pane.link, target};
}

/* The link of the pane that leads to target nearest to index link (links move when the
 * similar stories are added), or -1. */
static int find_link(const struct pane *p, int link, const void *target)
{
	int best = -1;

	for (size_t k = 0; target && k < p->links.n; k++)
		if (p->links.v[k] == target && (best < 0 || abs((int)k - link) < abs(best - link)))
			best = (int)k;
	return best;
}

void app_open_selected(struct app *a)
{
	if (!app_current(a))
		return;
	a->focus = FOCUS_PANE;
	if (a->pane.hist.n == 0 || a->pane.hist.v[a->pane.hist.pos].article != app_current(a))
		history_visit(&a->pane.hist, here(a));
}

void app_visit(struct app *a, const struct article *target)
{
	size_t i = collection_index(a->c, target);
	if (i == SIZE_MAX)
		return;
	if (a->pane.hist.n)
		history_update(&a->pane.hist, here(a));
	app_select_article(a, i);
	a->focus = FOCUS_PANE;
	history_visit(&a->pane.hist, here(a));
}

static void restore(struct app *a, const struct history_entry *e)
{
	size_t i = collection_index(a->c, e->article);
	if (i == SIZE_MAX)
		return;
	app_select_article(a, i);
	a->pane.scroll = e->scroll;
	a->pane.link = e->link;
	a->focus = FOCUS_PANE;
	app_sync_pane(a);
	if (a->pane.link >= 0 && ((size_t)a->pane.link >= a->pane.shown.links.n ||
				  a->pane.shown.links.v[a->pane.link] != e->link_target))
		a->pane.link = find_link(&a->pane.shown, e->link, e->link_target);
}

void app_history_step(struct app *a, bool back)
{
	struct history_entry e;
	if (a->pane.hist.n)
		history_update(&a->pane.hist, here(a));
	if (back ? history_back(&a->pane.hist, &e) : history_forward(&a->pane.hist, &e))
		restore(a, &e);
	else
		app_say(a, back ? N_("Already at the oldest article in the history")
				: N_("Already at the newest article in the history"));
}

void app_go_to(struct app *a, const struct article *target)
{
	app_open_selected(a);
	if (target != app_current(a))
		app_visit(a, target);
}

void app_history_jump(struct app *a, size_t pos)
{
	struct history_entry e;
	if (a->pane.hist.n)
		history_update(&a->pane.hist, here(a));
	if (history_go(&a->pane.hist, pos, &e))
		restore(a, &e);
}

void app_reveal_line(struct app *a, size_t line)
{
	size_t h = (size_t)app_pane_height(a);
	if (line < a->pane.scroll)
		a->pane.scroll = line;
	else if (line >= a->pane.scroll + h)
		a->pane.scroll = line - h + 1;
}

void app_move_list(struct app *a, long delta)
{
	long n = (long)app_list_count(a);
	long row = (long)app_list_row_of(a, a->list.sel);
	if (n == 0)
		return;
	/* Off the list (a link led outside the filter): the row found is already next. */
	if (delta > 0 && (row >= n || app_list_article(a, (size_t)row) != a->list.sel))
		delta--;
	row += delta;
	row = row < 0 ? 0 : row >= n ? n - 1 : row;
	row = (long)app_list_skip_header(a, (size_t)row, delta);
	app_select_article(a, app_list_article(a, (size_t)row));
}

void app_scroll_pane(struct app *a, long delta)
{
	long max = (long)pane_max_scroll(a, app_pane_height(a));
	long s = (long)a->pane.scroll + delta;
	a->pane.scroll = (size_t)(s < 0 ? 0 : s > max ? max : s);
}

void app_pane_free(struct app *a)
{
	pane_free(&a->pane.shown);
	for (size_t k = 0; k < APP_PANE_CACHE; k++)
		pane_free(&a->pane.cache[k]);
}
