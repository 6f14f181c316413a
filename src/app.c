/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app.c: the reader as a pure state machine: apply(state, action), no curses. */
#include "app.h"
#include "app_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "configfile.h"
#include "i18n.h"

void app_say(struct app *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->message, sizeof a->message, _(fmt), ap); /* po/Makevars: app_say:2 */
	va_end(ap);
}

size_t app_narticles(const struct app *a)
{
	return a->c->articles.n;
}

static struct article *current(const struct app *a)
{
	return app_narticles(a) ? a->c->articles.v[a->sel] : NULL;
}

size_t app_list_count(const struct app *a)
{
	if (a->order.active)
		return a->order.rows.n;
	return a->filtered ? a->view.n : app_narticles(a);
}

size_t app_list_article(const struct app *a, size_t row)
{
	if (a->order.active)
		return a->order.rows.v[row] & ~APP_ROW_HEADER;
	return a->filtered ? a->view.v[row] : row;
}

size_t app_view_search(const struct app *a, size_t i)
{
	size_t lo = 0, hi = a->view.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->view.v[mid] < i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The row of list position i, or where it would be (the view is in list order). */
size_t app_list_row_of(const struct app *a, size_t i)
{
	if (a->order.active)
		return a->order.row_of[i];
	return a->filtered ? app_view_search(a, i) : i;
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
	if (a->help) {
		g->help = (struct rect){0, 0, body, cols};
	} else if (a->fullscreen) {
		g->pane = (struct rect){0, 0, body, cols};
	} else if (config_side_by_side(a->config, cols) &&
		   cols >= APP_MIN_LIST_COLS + 3 + APP_MIN_PANE_COLS) {
		int lw = cols * 2 / 5;
		lw = lw < 30 ? 30 : lw > 60 ? 60 : lw;
		lw = config_list_size(a->config, cols, lw, cols - 3 - APP_MIN_PANE_COLS);
		g->side_by_side = true;
		g->list = (struct rect){0, 0, body, lw};
		g->sep = (struct rect){0, lw, body, 1};
		/* One column of margin on each side of the pane. */
		g->pane = (struct rect){0, lw + 2, body, cols - lw - 3};
	} else {
		int lh = config_list_size(a->config, body - 1, (body - 1) / 3,
					  body - 1 - (body - 1 > 2 * APP_MIN_PANE_ROWS ? APP_MIN_PANE_ROWS : 1));
		g->list = (struct rect){0, 0, lh, cols};
		g->sep = (struct rect){lh, 0, 1, cols};
		g->pane = (struct rect){lh + 1, 0, body - lh - 1, cols};
	}
	/* The reading column is max-width columns at most, centred. */
	int mw = config_max_width(a->config);
	if (mw > 0 && g->pane.w > mw) {
		g->pane.x += (g->pane.w - mw) / 2;
		g->pane.w = mw;
	}
	/* Once the history is a trail (two places or more), the pane's first row shows it. */
	if (a->hist.n > 1 && g->pane.h >= 2) {
		g->trail = (struct rect){g->pane.y, g->pane.x, 1, g->pane.w};
		g->pane.y++;
		g->pane.h--;
	}
}

static size_t pane_max_scroll(const struct app *a, int height)
{
	size_t n = a->pane.lines.n;
	return n > (size_t)height ? n - (size_t)height : 0;
}

void app_sync_pane(struct app *a)
{
	struct app_geometry g;
	struct article *cur = current(a);

	if (!cur)
		return;
	if (a->pane.article != cur) {
		app_arrange_swap_pane(a, cur);
		a->match = -1;
		if (a->has_find)
			pane_find(&a->pane, &a->find);
	}
	app_geometry(a, &g);
	/* Lay out even when the pane is hidden, so link positions are always known. */
	pane_layout(&a->pane, g.pane.w > 0 ? g.pane.w : a->cols);
	if (g.pane.h > 0 && a->scroll > pane_max_scroll(a, g.pane.h))
		a->scroll = pane_max_scroll(a, g.pane.h);
}

/* Keep the selected headline on screen. */
void app_sync_list(struct app *a)
{
	struct app_geometry g;
	app_geometry(a, &g);
	size_t h = g.list.h > 0 ? (size_t)g.list.h : 1;
	size_t row = app_list_row_of(a, a->sel), count = app_list_count(a);
	if (row < a->list_top)
		a->list_top = row > 0 && app_list_is_header(a, row - 1) ? row - 1 : row;
	else if (row >= a->list_top + h)
		a->list_top = row - h + 1;
	if (a->list_top > (count > h ? count - h : 0))
		a->list_top = count > h ? count - h : 0;
}

int app_pane_height(const struct app *a)
{
	struct app_geometry g;
	app_geometry(a, &g);
	return g.pane.h > 0 ? g.pane.h : 1;
}

static int list_height(const struct app *a)
{
	struct app_geometry g;
	app_geometry(a, &g);
	return g.list.h > 0 ? g.list.h : 1;
}

/* Show article index i from the top, with no link selected. */
void app_select_article(struct app *a, size_t i)
{
	if (i >= app_narticles(a))
		return;
	a->sel = i;
	a->scroll = 0;
	a->link = -1;
	app_sync_list(a);
	app_sync_pane(a);
}

static struct history_entry here(const struct app *a)
{
	const struct pane *p = &a->pane;
	const void *target = a->link >= 0 && (size_t)a->link < p->links.n && p->article == current(a)
				     ? p->links.v[a->link]
				     : NULL;
	return (struct history_entry){current(a), a->scroll, a->link, target};
}

/* The link of the pane that leads to target nearest to index link (links move when the
 * similar stories are added), or -1. */
static int find_link(const struct pane *p, int link, const void *target)
{
	int best = -1;

	for (size_t k = 0; target && k < p->links.n; k++)
		if (p->links.v[k] == target &&
		    (best < 0 || abs((int)k - link) < abs(best - link)))
			best = (int)k;
	return best;
}

/* Open the selected article in the pane and record the visit. */
static void open_selected(struct app *a)
{
	if (!current(a))
		return;
	a->focus = FOCUS_PANE;
	if (a->hist.n == 0 || a->hist.v[a->hist.pos].article != current(a))
		history_visit(&a->hist, here(a));
}

/* Go to article target as a new place in the history. */
static void go_to(struct app *a, const struct article *target)
{
	size_t i = collection_index(a->c, target);
	if (i == SIZE_MAX)
		return;
	if (a->hist.n)
		history_update(&a->hist, here(a));
	app_select_article(a, i);
	a->focus = FOCUS_PANE;
	history_visit(&a->hist, here(a));
}

static void restore(struct app *a, const struct history_entry *e)
{
	size_t i = collection_index(a->c, e->article);
	if (i == SIZE_MAX)
		return;
	app_select_article(a, i);
	a->scroll = e->scroll;
	a->link = e->link;
	a->focus = FOCUS_PANE;
	app_sync_pane(a);
	if (a->link >= 0 && ((size_t)a->link >= a->pane.links.n ||
			     a->pane.links.v[a->link] != e->link_target))
		a->link = find_link(&a->pane, e->link, e->link_target);
}

/* Step back or forward in the history, remembering where the reader was. */
static void step_history(struct app *a, bool back)
{
	struct history_entry e;
	if (a->hist.n)
		history_update(&a->hist, here(a));
	if (back ? history_back(&a->hist, &e) : history_forward(&a->hist, &e))
		restore(a, &e);
	else
		app_say(a, back ? N_("Already at the oldest article in the history")
				: N_("Already at the newest article in the history"));
}

void app_go_to(struct app *a, const struct article *target)
{
	open_selected(a);
	if (target != current(a))
		go_to(a, target);
}

void app_history_jump(struct app *a, size_t pos)
{
	struct history_entry e;
	if (a->hist.n)
		history_update(&a->hist, here(a));
	if (history_go(&a->hist, pos, &e))
		restore(a, &e);
}

/* Scroll the pane so that line is on screen. */
static void reveal_line(struct app *a, size_t line)
{
	size_t h = (size_t)app_pane_height(a);
	if (line < a->scroll)
		a->scroll = line;
	else if (line >= a->scroll + h)
		a->scroll = line - h + 1;
}

static void select_link(struct app *a, int step)
{
	int n = (int)a->pane.links.n;
	if (n == 0) {
		app_say(a, "This article has no links");
		return;
	}
	if (a->link < 0) {
		/* Start from the first link at or below the top of the view. */
		int first = step > 0 ? 0 : n - 1;
		for (int i = 0; i < n; i++) {
			int k = step > 0 ? i : n - 1 - i;
			size_t line = a->pane.link_line.v[k];
			if (step > 0 ? line >= a->scroll
				     : line < a->scroll + (size_t)app_pane_height(a)) {
				first = k;
				break;
			}
		}
		a->link = first;
	} else {
		a->link = (a->link + step + n) % n;
	}
	reveal_line(a, a->pane.link_line.v[a->link]);
}

static void follow(struct app *a, int link)
{
	if (link < 0 || (size_t)link >= a->pane.links.n)
		return;
	go_to(a, a->pane.links.v[link]);
}

static void follow_number(struct app *a, int n)
{
	app_sync_pane(a);
	if (n < 1 || (size_t)n > a->pane.nrelated + a->pane.nsimilar) {
		app_say(a, "No related story %d", n);
		return;
	}
	follow(a, n - 1);
}

void app_move_list(struct app *a, long delta)
{
	long n = (long)app_list_count(a);
	long row = (long)app_list_row_of(a, a->sel);
	if (n == 0)
		return;
	/* Off the list (a link led outside the filter): the row found is already next. */
	if (delta > 0 && (row >= n || app_list_article(a, (size_t)row) != a->sel))
		delta--;
	row += delta;
	row = row < 0 ? 0 : row >= n ? n - 1 : row;
	row = (long)app_list_skip_header(a, (size_t)row, delta);
	app_select_article(a, app_list_article(a, (size_t)row));
}

void app_scroll_pane(struct app *a, long delta)
{
	long max = (long)pane_max_scroll(a, app_pane_height(a));
	long s = (long)a->scroll + delta;
	a->scroll = (size_t)(s < 0 ? 0 : s > max ? max : s);
}

static void apply_help(struct app *a, enum action act)
{
	long h = a->rows > 1 ? a->rows - 1 : 1;
	long max = (long)a->help_rows > h ? (long)a->help_rows - h : 0;
	long top = (long)a->help_top;

	switch (act) {
	case ACTION_DOWN: top++; break;
	case ACTION_UP: top--; break;
	case ACTION_PAGE_DOWN: top += h; break;
	case ACTION_PAGE_UP: top -= h; break;
	case ACTION_TOP: top = 0; break;
	case ACTION_BOTTOM: top = max; break;
	case ACTION_QUIT:
	case ACTION_HELP: a->help = false; break;
	case ACTION_QUIT_NOW: a->quit = true; break;
	default: break;
	}
	a->help_top = (size_t)(top < 0 ? 0 : top > max ? max : top);
}

static void apply_list(struct app *a, enum action act)
{
	switch (act) {
	case ACTION_DOWN: app_move_list(a, 1); break;
	case ACTION_UP: app_move_list(a, -1); break;
	case ACTION_PAGE_DOWN: app_move_list(a, list_height(a)); break;
	case ACTION_PAGE_UP: app_move_list(a, -list_height(a)); break;
	case ACTION_TOP: app_move_list(a, -(long)app_list_count(a)); break;
	case ACTION_BOTTOM: app_move_list(a, (long)app_list_count(a)); break;
	case ACTION_QUIT: a->quit = true; break;
	default: break;
	}
}

static void apply_pane(struct app *a, enum action act)
{
	long h = app_pane_height(a);

	switch (act) {
	case ACTION_DOWN: app_scroll_pane(a, 1); break;
	case ACTION_UP: app_scroll_pane(a, -1); break;
	case ACTION_PAGE_DOWN: app_scroll_pane(a, h > 1 ? h - 1 : 1); break;
	case ACTION_PAGE_UP: app_scroll_pane(a, h > 1 ? -(h - 1) : -1); break;
	case ACTION_TOP: a->scroll = 0; break;
	case ACTION_BOTTOM: app_scroll_pane(a, (long)a->pane.lines.n); break;
	case ACTION_OPEN:
		if (a->link >= 0)
			follow(a, a->link);
		else
			app_say(a, "No link selected: Tab selects one, 1-9 follow one");
		break;
	case ACTION_QUIT:
		a->focus = FOCUS_LIST;
		a->fullscreen = false;
		a->link = -1;
		app_sync_list(a);
		app_sync_pane(a);
		break;
	default: break;
	}
}

static void apply(struct app *a, enum action act, int arg)
{
	a->message[0] = '\0';
	if (act == ACTION_QUIT_NOW) {
		a->quit = true;
		return;
	}
	if (act == ACTION_REDRAW)
		return;
	if (a->help) {
		apply_help(a, act);
		return;
	}
	if (a->urls && app_urls_apply(a, act, arg))
		return;
	if (a->map && app_map_apply(a, act))
		return;
	if (act == ACTION_HELP) {
		a->help = true;
		a->help_top = 0;
		return;
	}
	if (!current(a)) {
		if (act == ACTION_QUIT)
			a->quit = true;
		return;
	}
	app_sync_pane(a);
	switch (act) {
	case ACTION_OPEN:
		if (a->focus == FOCUS_LIST) {
			open_selected(a);
			return;
		}
		break;
	case ACTION_FULLSCREEN:
		a->fullscreen = !a->fullscreen;
		if (a->fullscreen)
			open_selected(a);
		app_sync_list(a);
		app_sync_pane(a);
		return;
	case ACTION_NEXT_ARTICLE:
	case ACTION_PREV_ARTICLE: {
		size_t i = app_arrange_neighbour(a, act == ACTION_NEXT_ARTICLE ? 1 : -1);
		if (i < app_narticles(a))
			go_to(a, a->c->articles.v[i]);
		else
			app_say(a, act == ACTION_NEXT_ARTICLE ? N_("Last article")
							      : N_("First article"));
		return;
	}
	case ACTION_NEXT_LINK:
	case ACTION_PREV_LINK:
		open_selected(a);
		select_link(a, act == ACTION_NEXT_LINK ? 1 : -1);
		return;
	case ACTION_FOLLOW_N:
		open_selected(a);
		follow_number(a, arg);
		return;
	case ACTION_MAP:
	case ACTION_HISTORY: app_map_open(a, act == ACTION_HISTORY); return;
	case ACTION_BACK: step_history(a, true); return;
	case ACTION_FORWARD: step_history(a, false); return;
	case ACTION_SEARCH:
	case ACTION_SEARCH_BACK:
	case ACTION_SEARCH_NEXT:
	case ACTION_SEARCH_PREV:
	case ACTION_CLEAR: app_search_apply(a, act); return;
	case ACTION_TOGGLE_READ:
	case ACTION_TOGGLE_BOOKMARK:
	case ACTION_BOOKMARKS: app_marks_apply(a, act); return;
	case ACTION_SCRIPT:
	case ACTION_SORT:
	case ACTION_GROUP:
	case ACTION_JUMP_DATE: app_arrange_apply(a, act); return;
	case ACTION_PIPE:
	case ACTION_PAGER:
	case ACTION_COPY: app_run_apply(a, act); return;
	case ACTION_HALF_DOWN:
	case ACTION_HALF_UP:
	case ACTION_NEXT_UNREAD:
	case ACTION_PREV_UNREAD:
	case ACTION_MARK_ALL_READ:
	case ACTION_UNREAD: app_unread_apply(a, act); return;
	case ACTION_SAVE: app_save_apply(a, false); return;
	case ACTION_SAVE_SOURCE: app_save_apply(a, true); return;
	case ACTION_BROWSER:
	case ACTION_URLS:
	case ACTION_RELOAD: app_links_apply(a, act); return;
	default: break;
	}
	if (a->focus == FOCUS_LIST)
		apply_list(a, act);
	else
		apply_pane(a, act);
}

void app_apply(struct app *a, enum action act, int arg)
{
	apply(a, act, arg);
	app_marks_opened(a);
}

static bool inside(const struct rect *r, int y, int x)
{
	return r->h > 0 && r->w > 0 && y >= r->y && y < r->y + r->h && x >= r->x &&
	       x < r->x + r->w;
}

void app_click(struct app *a, int y, int x)
{
	struct app_geometry g;

	a->message[0] = '\0';
	app_geometry(a, &g);
	if (g.too_small || a->help || a->map || a->urls) /* these take keys only */
		return;
	if (inside(&g.list, y, x)) {
		size_t row = a->list_top + (size_t)(y - g.list.y);
		if (row < app_list_count(a)) {
			app_select_article(a, app_list_article(a, row));
			open_selected(a);
		}
	} else if (inside(&g.pane, y, x) && current(a)) {
		app_sync_pane(a);
		int link = pane_line_link(&a->pane, a->scroll + (size_t)(y - g.pane.y));
		open_selected(a);
		if (link >= 0)
			follow(a, link);
	}
	app_marks_opened(a);
}

void app_wheel(struct app *a, int y, int x, int lines)
{
	struct app_geometry g;

	app_geometry(a, &g);
	if (g.too_small || a->map)
		return;
	if (a->help) {
		apply_help(a, lines < 0 ? ACTION_UP : ACTION_DOWN);
	} else if (inside(&g.list, y, x)) {
		app_move_list(a, lines);
	} else if (inside(&g.pane, y, x)) {
		app_sync_pane(a);
		app_scroll_pane(a, lines);
		app_unread_scrolled(a);
	}
}

void app_resize(struct app *a, int rows, int cols)
{
	a->rows = rows > 0 ? rows : 1;
	a->cols = cols > 0 ? cols : 1;
	app_sync_list(a);
	app_sync_pane(a);
	if (a->link >= 0 && (size_t)a->link < a->pane.link_line.n)
		reveal_line(a, a->pane.link_line.v[a->link]);
}

void app_init(struct app *a, const struct collection *c, int rows, int cols)
{
	memset(a, 0, sizeof *a);
	a->c = c;
	a->link = -1;
	a->match = -1;
	history_init(&a->hist);
	keymap_help_text(&a->help_text);
	for (size_t i = 0; i < a->help_text.n; i++)
		a->help_rows += a->help_text.s[i] == '\n';
	app_marks_init(a);
	app_similar_start(a);
	app_resize(a, rows, cols);
}

void app_free(struct app *a)
{
	app_forget_titles(a);
	app_arrange_free(a);
	app_run_free(a);
	pane_free(&a->pane);
	app_map_free(a);
	sb_free(&a->help_text);
	app_search_free(a);
	app_marks_free(a);
	app_similar_free(a);
	app_input_free(a);
	app_links_free(a);
	app_index_free(a);
}
