/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_input.c: what keys do before the keymap's actions: the count typed before a key
 * (5j, 12G, 1 2 Enter), the answer to the y/n question, the message for a key bound to
 * nothing; then the action is carried out (app.c). A prompt's keys go to app_search.c,
 * its line to app_prompt.c. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_internal.h"

/* Largest count taken before a key, and most times an action is repeated by one. */
#define COUNT_MAX 99999999ul
#define REPEAT_MAX 1000ul

/* y answers yes; any other key no. */
static void confirm_key(struct app *a, int key)
{
	a->prompt.kind = PROMPT_OFF;
	a->message[0] = '\0';
	if (key != 'y' && key != 'Y')
		app_say(a, "Cancelled");
	else if (a->prompt.confirm_action == ACTION_MARK_ALL_READ)
		app_unread_mark_all(a);
	else if (a->prompt.confirm_action == ACTION_SAVE)
		app_save_confirmed(a);
}

/* ---- The count typed before a key ---- */

/* Whether b is a digit key following the story of its own number: such keys type a
 * count (Enter then follows that story). */
static bool is_count_digit(const struct binding *b)
{
	return b && b->action == ACTION_FOLLOW_N && b->key >= '0' && b->key <= '9' &&
	       b->arg == b->key - '0';
}

/* Go to row (list) or line (pane) n, 1-based, as 12G does in vi and less. */
static void go_to_count(struct app *a, unsigned long n)
{
	if (a->focus == FOCUS_LIST) {
		size_t count = app_list_count(a), row = n - 1 < count ? n - 1 : count - 1;
		if (count == 0)
			return;
		row = app_list_skip_header(a, row, 1);
		app_select_article(a, app_list_article(a, row));
	} else {
		app_sync_pane(a);
		app_scroll_pane(a, (long)(n - 1) - (long)a->pane.scroll);
	}
}

/* Carry out act count times (as one move where there is one). */
static void apply_counted(struct app *a, const struct binding *b, unsigned long n)
{
	bool list = a->focus == FOCUS_LIST && !a->help.shown && !a->map.shown;
	bool pane = a->focus == FOCUS_PANE && !a->help.shown && !a->map.shown;

	switch (b->action) {
	case ACTION_OPEN: app_apply(a, ACTION_FOLLOW_N, n > 1000 ? 1000 : (int)n); return;
	case ACTION_TOP:
	case ACTION_BOTTOM:
		if (list || pane) {
			a->message[0] = '\0';
			go_to_count(a, n);
			app_apply(a, ACTION_REDRAW, 0); /* the marks follow */
			return;
		}
		break;
	case ACTION_DOWN:
	case ACTION_UP:
		if (list || pane) {
			long d = b->action == ACTION_DOWN ? (long)n : -(long)n;
			a->message[0] = '\0';
			if (list)
				app_move_list(a, d);
			else
				app_scroll_pane(a, d);
			app_apply(a, ACTION_REDRAW, 0);
			return;
		}
		break;
	default: break;
	}
	for (unsigned long i = 0; i < n && i < REPEAT_MAX && !a->quit; i++)
		app_apply(a, b->action, b->arg);
}

/* Say that key does nothing, and which key shows the help. */
static void say_unbound(struct app *a, int key, enum key_where where)
{
	char name[16], help[16];
	int h = keymap_key_for(ACTION_HELP, where);

	if (key == KEYC_NONE)
		return;
	keymap_key_name(key, name);
	if (h == KEYC_NONE)
		app_say(a, "%s is not bound", name);
	else
		app_say(a, "%s is not bound; %s for help", name, keymap_key_name(h, help));
}

void app_key(struct app *a, int key)
{
	if (a->prompt.kind == PROMPT_CONFIRM) {
		confirm_key(a, key);
		return;
	}
	if (a->prompt.kind != PROMPT_OFF) {
		a->message[0] = '\0';
		app_prompt_key(a, key);
		return;
	}
	/* Help is no pane: there ? closes it, as it opened it. */
	enum key_where where = a->focus == FOCUS_PANE && !a->help.shown ? WHERE_PANE : WHERE_LIST;
	const struct binding *b = keymap_lookup(key, where);
	unsigned long n = a->count;

	if (is_count_digit(b) && !a->help.shown &&
	    !a->map.shown) { /* the map says what its keys do */
		a->count = n * 10 + (unsigned long)b->arg;
		if (a->count > COUNT_MAX)
			a->count = COUNT_MAX;
		if (a->count == 0) /* a 0 alone is no count */
			return;
		app_say(a, "%lu: Enter follows story %lu; j, k, G move by it", a->count, a->count);
		return;
	}
	a->count = 0;
	if (!b) {
		a->message[0] = '\0';
		say_unbound(a, key, where);
	} else if (n) {
		apply_counted(a, b, n);
	} else {
		app_apply(a, b->action, b->arg);
	}
}
