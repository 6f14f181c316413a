/* app.h: the reader as a pure state machine: apply(state, action), no curses. */
#ifndef XINWEN_APP_H
#define XINWEN_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "collection.h"
#include "history.h"
#include "keymap.h"
#include "pane.h"
#include "search.h"
#include "similar.h"

/* Below this size the screen only says that the terminal is too small. */
#define APP_MIN_COLS 12
#define APP_MIN_ROWS 4
/* From this width on the pane stands beside the list, else below it. */
#define APP_SIDE_BY_SIDE_COLS 100

struct rect {
	int y, x, h, w;
};

/* Where each part of the screen is, for a given state and size. */
struct app_geometry {
	bool too_small;
	bool side_by_side;
	struct rect list;   /* h == 0 when the list is hidden */
	struct rect sep;    /* the line between list and pane; h or w == 0 when none */
	struct rect pane;   /* h == 0 when the pane is hidden */
	struct rect help;   /* h == 0 unless help is shown */
	struct rect status; /* the last line */
};

enum app_focus { FOCUS_LIST, FOCUS_PANE };

/* What a prompt being typed is for. */
enum app_prompt {
	PROMPT_OFF,
	PROMPT_FILTER,    /* / in the list: filter as you type */
	PROMPT_FIND,      /* / in the pane */
	PROMPT_FIND_BACK, /* ? in the pane */
};

struct app {
	const struct collection *c;
	int rows, cols;
	size_t sel;      /* selected headline; the pane shows this article */
	size_t list_top; /* first headline on screen */
	enum app_focus focus;
	bool fullscreen;
	bool help;
	size_t help_top;
	bool quit;
	struct pane pane; /* built for c->articles.v[sel] */
	size_t scroll;    /* first pane line on screen */
	int link;         /* selected link of the pane, -1 for none */
	struct history hist;
	/* The prompt: what it is for, what has been typed, whether it is a regex. */
	enum app_prompt prompt;
	struct strbuf input;
	bool regex;
	/* The list shows every article, or when filtered only view's (list positions). */
	bool filtered;
	search_hits view;
	bool filter_dirty; /* the prompt changed since the view was made: app_settle */
	struct search_keys keys;
	size_t idle_next; /* the next article whose key app_idle folds */
	struct search list_query; /* the last filter query; n/N use it with the filter off */
	bool has_list_query;
	/* Matches highlighted in the pane, and the current one (-1: none yet). */
	struct search find;
	bool has_find;
	bool find_backward;
	int match;
	/* Similar stories (app_similar.c): the index, built while idle, and its build. */
	struct similar_index *similar;
	struct similar_build *similar_build;
	struct app_similar_cache *similar_cache; /* its cache file's reading and writing */
	bool redraw; /* idle work changed what is on screen: draw again (the front end clears it) */
	struct strbuf help_text; /* the ? screen, from the keymap table */
	size_t help_rows; /* rows the help takes at the current width (set by render) */
	char message[160]; /* shown on the status line until the next action */
	/* The list's rows prepared for drawing, by list position; made by the renderer on
	 * first use, so drawing a headline costs the columns drawn, not its length. */
	struct app_title {
		struct layout_src date; /* the date, or "excerpt" */
		struct layout_src title;
		bool ready;
	} *titles;
};

/* Start on collection c (which must outlive the app) at size rows x cols. */
void app_init(struct app *a, const struct collection *c, int rows, int cols);

/* Free what the app holds. */
void app_free(struct app *a);

/* Take a new screen size (any size, 1x1 included). */
void app_resize(struct app *a, int rows, int cols);

/* Carry out one action; arg is the N of ACTION_FOLLOW_N. */
void app_apply(struct app *a, enum action act, int arg);

/* Handle a key: typed into the prompt when one is open, else through the keymap. */
void app_key(struct app *a, int key);

/* Bring the list filter up to date with what the prompt holds: typing only records the
 * keys, so that a burst of them costs one search (call once no more input waits). */
void app_settle(struct app *a);

/* Keep the similar-stories index in its on-disk cache (similar_cache.h): read it from
 * there when it is current, else write it there once built; both on a thread, beside
 * the reader (call on the main thread, before app_idle). */
void app_similar_cache(struct app *a);

/* Work ahead of time, for about 10 ms at most: build the similar-stories index, then
 * fold search keys; returns whether work is left (call while no input waits, until it
 * returns false; draw again when it sets redraw). */
bool app_idle(struct app *a);

/* How many headlines the list shows, and the list position of its row-th one. */
size_t app_list_count(const struct app *a);
size_t app_list_article(const struct app *a, size_t row);

/* A mouse click at screen cell (y, x): selects and opens a headline, follows a link. */
void app_click(struct app *a, int y, int x);

/* The mouse wheel at (y, x): scroll what is under the pointer by lines (< 0: up). */
void app_wheel(struct app *a, int y, int x, int lines);

/* Compute the screen's geometry for the current state. */
void app_geometry(const struct app *a, struct app_geometry *g);

/* Lay the pane out for the current geometry (called by app code and the renderer). */
void app_sync_pane(struct app *a);

#endif
