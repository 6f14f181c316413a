/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_core.c: what every part of the reader uses: the status line's message, the list
 * as shown (its rows, the filtered view, the group headers), the screen's geometry, the
 * clock. It calls no other file of the app: the features (app_*.c) build on it, and
 * app.c, which carries out the actions, on them. */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "app_internal.h"
#include "configfile.h"
#include "i18n.h"
#include "reload.h"

void app_say(struct app *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->message, sizeof a->message, _(fmt), ap); /* po/Makevars: app_say:2 */
	va_end(ap);
}

size_t app_narticles(const struct app *a)
{
	return collection_count(a->c);
}

long app_elapsed_ns(const struct timespec *since)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - since->tv_sec) * 1000000000L + (now.tv_nsec - since->tv_nsec);
}

size_t app_list_count(const struct app *a)
{
	if (a->list.order.active)
		return a->list.order.rows.n;
	return a->list.filtered ? a->list.view.n : app_narticles(a);
}

size_t app_list_article(const struct app *a, size_t row)
{
	if (a->list.order.active)
		return a->list.order.rows.v[row] & ~APP_ROW_HEADER;
	return a->list.filtered ? a->list.view.v[row] : row;
}

size_t app_view_search(const struct app *a, size_t i)
{
	size_t lo = 0, hi = a->list.view.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->list.view.v[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The row of list position i, or where it would be (the view is in list order). */
size_t app_list_row_of(const struct app *a, size_t i)
{
	if (a->list.order.active)
		return a->list.order.row_of[i];
	return a->list.filtered ? app_view_search(a, i) : i;
}

bool app_list_is_header(const struct app *a, size_t row)
{
	return a->list.order.active && row < a->list.order.rows.n &&
	       (a->list.order.rows.v[row] & APP_ROW_HEADER);
}

size_t app_list_skip_header(const struct app *a, size_t row, long delta)
{
	if (!app_list_is_header(a, row))
		return row;
	/* A header is never last, and never next to another header. */
	return delta < 0 && row > 0 ? row - 1 : row + 1;
}

void app_geometry(const struct app *a, struct app_geometry *g)
{
	int rows = a->rows, cols = a->cols;

	memset(g, 0, sizeof *g);
	if (rows < APP_MIN_ROWS || cols < APP_MIN_COLS) {
		g->too_small = true;
		return;
	}
	g->status = (struct rect){rows - 1, 0, 1, cols};
	int body = rows - 1;
	if (a->help.shown) {
		g->help = (struct rect){0, 0, body, cols};
	} else if (a->fullscreen) {
		g->pane = (struct rect){0, 0, body, cols};
	} else if (config_side_by_side(a->opts.config, cols) &&
		   cols >= APP_MIN_LIST_COLS + 3 + APP_MIN_PANE_COLS) {
		int lw = cols * 2 / 5;
		lw = lw < 30 ? 30 : lw > 60 ? 60 : lw;
		lw = config_list_size(a->opts.config, cols, lw, cols - 3 - APP_MIN_PANE_COLS);
		g->side_by_side = true;
		g->list = (struct rect){0, 0, body, lw};
		g->sep = (struct rect){0, lw, body, 1};
		/* One column of margin on each side of the pane. */
		g->pane = (struct rect){0, lw + 2, body, cols - lw - 3};
	} else {
		int lh = config_list_size(
			a->opts.config, body - 1, (body - 1) / 3,
			body - 1 - (body - 1 > 2 * APP_MIN_PANE_ROWS ? APP_MIN_PANE_ROWS : 1));
		g->list = (struct rect){0, 0, lh, cols};
		g->sep = (struct rect){lh, 0, 1, cols};
		g->pane = (struct rect){lh + 1, 0, body - lh - 1, cols};
	}
	/* The reading column is max-width columns at most, centred. */
	int mw = config_max_width(a->opts.config);
	if (mw > 0 && g->pane.w > mw) {
		g->pane.x += (g->pane.w - mw) / 2;
		g->pane.w = mw;
	}
	/* Once the history is a trail (two places or more), the pane's first row shows it. */
	if (a->pane.hist.n > 1 && g->pane.h >= 2) {
		g->trail = (struct rect){g->pane.y, g->pane.x, 1, g->pane.w};
		g->pane.y++;
		g->pane.h--;
	}
}

int app_pane_height(const struct app *a)
{
	struct app_geometry g;
	app_geometry(a, &g);
	return g.pane.h > 0 ? g.pane.h : 1;
}

/* Keep the selected headline on screen. */
void app_sync_list(struct app *a)
{
	struct app_geometry g;
	app_geometry(a, &g);
	size_t h = g.list.h > 0 ? (size_t)g.list.h : 1;
	size_t row = app_list_row_of(a, a->list.sel), count = app_list_count(a);
	if (row < a->list.top)
		a->list.top = row > 0 && app_list_is_header(a, row - 1) ? row - 1 : row;
	else if (row >= a->list.top + h)
		a->list.top = row - h + 1;
	if (a->list.top > (count > h ? count - h : 0))
		a->list.top = count > h ? count - h : 0;
}

bool app_loading(const struct app *a)
{
	struct reload_progress p;
	return a->reload.first && !a->reload.first_taken && reload_loading(a->reload.first, &p);
}
