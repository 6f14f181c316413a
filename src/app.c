/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app.c: the reader as a pure state machine: apply(state, action), no curses. */
#include <config.h>

#include "app.h"
#include "app_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "app_map.h"
#include "configfile.h"
#include "i18n.h"

void app_layout(struct app *a)
{
	struct app_geometry g;

	app_geometry(a, &g);
	if (g.pane.h <= 0 || !app_narticles(a) || app_urls_count(a))
		return; /* the pane, the map are not shown */
	if (a->map.shown)
		app_map_sync(a, g.pane.h);
	else
		app_sync_pane(a);
}

static int list_height(const struct app *a)
{
	struct app_geometry g;
	app_geometry(a, &g);
	return g.list.h > 0 ? g.list.h : 1;
}

static void select_link(struct app *a, int step)
{
	int n = (int)a->pane.shown.links.n;
	if (n == 0) {
		app_say(a, "This article has no links");
		return;
	}
	if (a->pane.link < 0) {
		/* Start from the first link at or below the top of the view. */
		int first = step > 0 ? 0 : n - 1;
		for (int i = 0; i < n; i++) {
			int k = step > 0 ? i : n - 1 - i;
			size_t line = a->pane.shown.link_line.v[k];
			if (step > 0 ? line >= a->pane.scroll
				     : line < a->pane.scroll + (size_t)app_pane_height(a)) {
				first = k;
				break;
			}
		}
		a->pane.link = first;
	} else {
		a->pane.link = (a->pane.link + step + n) % n;
	}
	app_reveal_line(a, a->pane.shown.link_line.v[a->pane.link]);
}

static void follow(struct app *a, int link)
{
	if (link < 0 || (size_t)link >= a->pane.shown.links.n)
		return;
	app_visit(a, a->pane.shown.links.v[link]);
}

static void follow_number(struct app *a, int n)
{
	app_sync_pane(a);
	if (n < 1 || (size_t)n > a->pane.shown.nrelated + a->pane.shown.nsimilar) {
		app_say(a, "No related story %d", n);
		return;
	}
	follow(a, n - 1);
}

/* Count the rows the help takes at the width it is shown (the count stays while the
 * screen is too small to show it). */
static void help_layout(struct app *a)
{
	struct app_geometry g;

	app_geometry(a, &g);
	if (a->help.shown && g.help.w > 0)
		a->help.rows = keymap_help_rows(sb_cstr(&a->help.text), g.help.w);
}

static void apply_help(struct app *a, enum action act)
{
	long h = a->rows > 1 ? a->rows - 1 : 1;
	long max = (long)a->help.rows > h ? (long)a->help.rows - h : 0;
	long top = (long)a->help.top;

	switch (act) {
	case ACTION_DOWN: top++; break;
	case ACTION_UP: top--; break;
	case ACTION_PAGE_DOWN: top += h; break;
	case ACTION_PAGE_UP: top -= h; break;
	case ACTION_TOP: top = 0; break;
	case ACTION_BOTTOM: top = max; break;
	case ACTION_QUIT:
	case ACTION_HELP: a->help.shown = false; break;
	case ACTION_QUIT_NOW: a->quit = true; break;
	default: break;
	}
	a->help.top = (size_t)(top < 0 ? 0 : top > max ? max : top);
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
	case ACTION_TOP: a->pane.scroll = 0; break;
	case ACTION_BOTTOM: app_scroll_pane(a, (long)a->pane.shown.lines.n); break;
	case ACTION_OPEN:
		if (a->pane.link >= 0)
			follow(a, a->pane.link);
		else
			app_say(a, "No link selected: Tab selects one, 1-9 follow one");
		break;
	case ACTION_QUIT:
		a->focus = FOCUS_LIST;
		a->fullscreen = false;
		a->pane.link = -1;
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
	if (a->help.shown) {
		apply_help(a, act);
		return;
	}
	if (a->urls && app_urls_apply(a, act, arg))
		return;
	if (a->map.shown && app_map_apply(a, act))
		return;
	if (act == ACTION_HELP) {
		a->help.shown = true;
		a->help.top = 0;
		help_layout(a);
		return;
	}
	if (!app_current(a)) {
		if (act == ACTION_QUIT)
			a->quit = true;
		return;
	}
	app_sync_pane(a);
	switch (act) {
	case ACTION_OPEN:
		if (a->focus == FOCUS_LIST) {
			app_open_selected(a);
			return;
		}
		break;
	case ACTION_FULLSCREEN:
		a->fullscreen = !a->fullscreen;
		if (a->fullscreen)
			app_open_selected(a);
		app_sync_list(a);
		app_sync_pane(a);
		return;
	case ACTION_NEXT_ARTICLE:
	case ACTION_PREV_ARTICLE: {
		size_t i = app_arrange_neighbour(a, act == ACTION_NEXT_ARTICLE ? 1 : -1);
		if (i < app_narticles(a))
			app_visit(a, collection_article(a->c, i));
		else
			app_say(a, act == ACTION_NEXT_ARTICLE ? N_("Last article")
							      : N_("First article"));
		return;
	}
	case ACTION_NEXT_LINK:
	case ACTION_PREV_LINK:
		app_open_selected(a);
		select_link(a, act == ACTION_NEXT_LINK ? 1 : -1);
		return;
	case ACTION_FOLLOW_N:
		app_open_selected(a);
		follow_number(a, arg);
		return;
	case ACTION_MAP:
	case ACTION_HISTORY: app_map_open(a, act == ACTION_HISTORY); return;
	case ACTION_BACK: app_history_step(a, true); return;
	case ACTION_FORWARD: app_history_step(a, false); return;
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
	return r->h > 0 && r->w > 0 && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

void app_click(struct app *a, int y, int x)
{
	struct app_geometry g;

	a->message[0] = '\0';
	app_geometry(a, &g);
	if (g.too_small || a->help.shown || a->map.shown || a->urls) /* these take keys only */
		return;
	if (inside(&g.list, y, x)) {
		size_t row = a->list.top + (size_t)(y - g.list.y);
		if (row < app_list_count(a)) {
			app_select_article(a, app_list_article(a, row));
			app_open_selected(a);
		}
	} else if (inside(&g.pane, y, x) && app_current(a)) {
		app_sync_pane(a);
		int link = pane_line_link(&a->pane.shown, a->pane.scroll + (size_t)(y - g.pane.y));
		app_open_selected(a);
		if (link >= 0)
			follow(a, link);
	}
	app_marks_opened(a);
}

void app_wheel(struct app *a, int y, int x, int lines)
{
	struct app_geometry g;

	app_geometry(a, &g);
	if (g.too_small || a->map.shown)
		return;
	if (a->help.shown) {
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
	help_layout(a);
	app_sync_list(a);
	app_sync_pane(a);
	if (a->pane.link >= 0 && (size_t)a->pane.link < a->pane.shown.link_line.n)
		app_reveal_line(a, a->pane.shown.link_line.v[a->pane.link]);
}

void app_init(struct app *a, const struct collection *c, int rows, int cols)
{
	memset(a, 0, sizeof *a);
	a->c = c;
	a->pane.link = -1;
	a->find.match = -1;
	history_init(&a->pane.hist);
	keymap_help_text(&a->help.text);
	for (size_t i = 0; i < a->help.text.n; i++)
		a->help.rows += a->help.text.s[i] == '\n';
	app_new_list_epoch(a);
	app_marks_init(a);
	app_similar_start(a);
	app_resize(a, rows, cols);
}

void app_free(struct app *a)
{
	app_arrange_free(a);
	app_run_free(a);
	app_pane_free(a);
	app_map_free(a);
	sb_free(&a->help.text);
	app_search_free(a);
	app_marks_free(a);
	app_similar_free(a);
	app_prompt_free(a);
	app_links_free(a);
	app_index_free(a);
}
