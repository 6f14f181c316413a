/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_map.c: the story map (m) and the history list (H) in the pane: moving in them,
 * jumping from them, leaving them. */
#include <config.h>

#include "app_map.h"
#include "app_internal.h"
#include "i18n.h"

#include <stdint.h>
#include <stdlib.h>

void app_map_free(struct app *a)
{
	app_map_close(a);
	storymap_cache_free(a->map.opts.cache);
	a->map.opts.cache = NULL;
}

void app_map_close(struct app *a)
{
	if (!a->map.shown)
		return;
	storymap_free(&a->map.shown->m);
	free(a->map.shown);
	a->map.shown = NULL;
}

/* The history trail as list positions, oldest first. Every place is an article of the
 * collection (only those are visited), so row k of the list is place k. */
static size_t history_positions(const struct app *a, size_t *v)
{
	for (size_t k = 0; k < a->pane.hist.n; k++)
		v[k] = collection_index(a->c, a->pane.hist.v[k].article);
	return a->pane.hist.n;
}

void app_map_open(struct app *a, bool history)
{
	if (app_narticles(a) == 0)
		return;
	if (history && a->pane.hist.n == 0) {
		app_say(a, "The history is empty: Enter opens an article");
		return;
	}
	app_map_close(a);
	a->map.shown = xcalloc(1, sizeof *a->map.shown);
	a->map.shown->history = history;
	if (history) {
		size_t v[HISTORY_MAX];
		size_t n = history_positions(a, v), pos = a->pane.hist.pos;
		storymap_build_list(&a->map.shown->m, a->c, v, n, pos, a->script);
		a->map.shown->sel = pos < a->map.shown->m.rows.n ? pos : 0;
	} else {
		if (!a->map.opts.cache)
			a->map.opts.cache = storymap_cache_new(a->c);
		a->map.opts.script = a->script;
		storymap_build(&a->map.shown->m, a->c, a->list.sel, &a->map.opts);
		a->map.shown->sel = 0;
		if (a->map.shown->m.rows.n == 1)
			app_say(a, "Nothing cites this article and it cites nothing");
	}
	app_map_sync(a, app_pane_height(a));
}

void app_map_rebuild(struct app *a)
{
	if (!a->map.shown)
		return;
	size_t sel = a->map.shown->sel, top = a->map.shown->top;
	app_map_open(a, a->map.shown->history);
	if (a->map.shown && sel < a->map.shown->m.rows.n) {
		a->map.shown->sel = sel;
		a->map.shown->top = top;
		app_map_sync(a, app_pane_height(a));
	}
}

void app_map_sync(struct app *a, int h)
{
	struct app_map *mp = a->map.shown;
	size_t rows = (size_t)(h > 0 ? h : 1), n = mp->m.rows.n;

	if (mp->sel < mp->top)
		mp->top = mp->sel;
	else if (mp->sel >= mp->top + rows)
		mp->top = mp->sel - rows + 1;
	if (mp->top > (n > rows ? n - rows : 0))
		mp->top = n > rows ? n - rows : 0;
}

/* Select the article row nearest to row (searching in direction step first). */
static void select_row(struct app *a, long row, int step)
{
	struct app_map *mp = a->map.shown;
	long n = (long)mp->m.rows.n;
	if (n == 0)
		return;
	row = row < 0 ? 0 : row >= n ? n - 1 : row;
	size_t i = storymap_next_article(&mp->m, (size_t)row, step);
	if (i == SIZE_MAX)
		i = storymap_next_article(&mp->m, (size_t)row, -step);
	if (i != SIZE_MAX)
		mp->sel = i;
	app_map_sync(a, app_pane_height(a));
}

/* Enter: go to the selected article -- as following a link from the map, by moving
 * within the history from the history list. */
static void jump(struct app *a)
{
	struct app_map *mp = a->map.shown;
	if (mp->sel >= mp->m.rows.n)
		return;
	if (mp->history) {
		size_t pos = mp->sel;
		app_map_close(a);
		app_history_jump(a, pos);
		return;
	}
	const struct article *target = collection_article(a->c, mp->m.rows.v[mp->sel].article);
	app_map_close(a);
	app_go_to(a, target);
}

bool app_map_apply(struct app *a, enum action act)
{
	struct app_map *mp = a->map.shown;
	long h = app_pane_height(a), sel = (long)mp->sel;

	switch (act) {
	case ACTION_DOWN: select_row(a, sel + 1, 1); break;
	case ACTION_UP: select_row(a, sel - 1, -1); break;
	case ACTION_PAGE_DOWN: select_row(a, sel + (h > 1 ? h - 1 : 1), 1); break;
	case ACTION_PAGE_UP: select_row(a, sel - (h > 1 ? h - 1 : 1), -1); break;
	case ACTION_TOP: select_row(a, 0, 1); break;
	case ACTION_BOTTOM: select_row(a, (long)mp->m.rows.n - 1, -1); break;
	case ACTION_OPEN: jump(a); break;
	case ACTION_MAP:
	case ACTION_HISTORY:
		/* The same key leaves; the other one switches. */
		if ((act == ACTION_HISTORY) == mp->history)
			app_map_close(a);
		else
			app_map_open(a, act == ACTION_HISTORY);
		break;
	case ACTION_QUIT:
	case ACTION_CLEAR: app_map_close(a); break;
	case ACTION_HELP:
	case ACTION_SCRIPT: /* the map is built again in the new form */
	case ACTION_REDRAW:
	case ACTION_QUIT_NOW: return false;
	default:
		app_say(a, "In the %s: j/k move, Enter jumps, q leaves",
			mp->history ? _("history") : _("map"));
		break;
	}
	return true;
}

void app_map_status(const struct app *a, struct strbuf *out)
{
	const struct app_map *mp = a->map.shown;
	size_t n = 0, k = 0;
	for (size_t i = 0; i < mp->m.rows.n; i++) {
		if (mp->m.rows.v[i].article == SIZE_MAX)
			continue;
		n++;
		k += i <= mp->sel;
	}
	sb_printf(out, " %s: %zu/%zu", mp->history ? _("History") : _("Story map"), k, n);
}
