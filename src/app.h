/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app.h: the reader as a pure state machine: apply(state, action), no curses. */
#ifndef XINWEN_APP_H
#define XINWEN_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "collection.h"
#include "configfile.h"
#include "convert.h"
#include "history.h"
#include "keymap.h"
#include "lineedit.h"
#include "listorder.h"
#include "pane.h"
#include "prompthist.h"
#include "search.h"
#include "storymap.h"
#include "spawn.h"
#include "similar.h"

/* Below this size the screen only says that the terminal is too small. */
#define APP_MIN_COLS 12
#define APP_MIN_ROWS 4
/* How many panes the app keeps besides the one shown, so that going back to an article
 * or to a form does not build (and convert) it again. */
#define APP_PANE_CACHE 4
/* The pane keeps this many columns beside the list, and rows below it, whatever the
 * split-ratio; a terminal too narrow for that and a list of APP_MIN_LIST_COLS has the
 * list above the pane. */
#define APP_MIN_PANE_COLS 20
#define APP_MIN_PANE_ROWS 3
#define APP_MIN_LIST_COLS 10

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
	struct rect trail;  /* the pane's header, the history trail; h == 0 when none */
};

enum app_focus { FOCUS_LIST, FOCUS_PANE };

struct config;
struct load_opts;

/* Where the collection came from, so that it can be loaded again (R): the paths and
 * options it was loaded with, its catalog (key and file; NULL: none). Owned by the
 * front end. */
struct app_source {
	char *const *paths;
	size_t n;
	const struct load_opts *load;
	uint64_t key;
	const char *catalog;
};

/* What a prompt being typed is for. */
enum app_prompt {
	PROMPT_OFF,
	PROMPT_FILTER,	  /* / in the list: filter as you type */
	PROMPT_FIND,	  /* / in the pane */
	PROMPT_FIND_BACK, /* ? in the pane */
	PROMPT_PIPE,	  /* | : the command to pipe the article to */
	PROMPT_DATE,	  /* D : the date to jump to */
	PROMPT_SAVE,	  /* w : the file to save the article to */
	PROMPT_CONFIRM,	  /* a question answered by y or n (app.prompt.confirm) */
};

/* The list's order and grouping (app_arrange.c). */
enum app_group { GROUP_NONE, GROUP_SOURCE, GROUP_MONTH, GROUP_COUNT };

/* What the reader asks the front end to do outside it (app_run.c). */
enum app_run_kind { RUN_NONE, RUN_PIPE, RUN_PAGER, RUN_COPY, RUN_BROWSER };

/* Settings that come from the configuration; kept when the reader takes a new
 * collection. */
struct app_options {
	const struct config *config; /* the user's settings (configfile.h); NULL: defaults */
	bool osc52;		     /* y may copy to the clipboard with OSC 52 */
	int preview_read;	     /* seconds an article shown beside the list takes to count as
			   * read; 0: never */
};

struct app {
	const struct collection *c;
	int rows, cols;
	/* The list of headlines. */
	struct {
		size_t sel; /* selected headline; the pane shows this article */
		size_t top; /* first headline on screen */
		/* It shows every article, or when filtered only view's (list positions):
		 * the bookmarks (') when bookmarks_only, else a search's. */
		bool filtered;
		search_hits view;
		bool bookmarks_only;
		/* Changes whenever the list's rows would be drawn otherwise (another
		 * collection, another form): what the renderer prepared for them is made
		 * again. */
		unsigned long epoch;
		/* Its order and grouping (app_arrange.c). When order.active, the list is
		 * order.rows: article list positions, or APP_ROW_HEADER plus the position
		 * of the first article of a group for its header row; row_of gives every
		 * article's row, or the row it would have. */
		enum config_sort sort;
		enum app_group group;
		struct {
			bool active;
			uint32_t *perm; /* every list position, in sort order */
			VEC(uint32_t) rows;
			VEC(size_t) headers; /* the header rows, in order */
			uint32_t *row_of;
			uint8_t *starts; /* bit k: perm[k] is the first of its group */
		} order;
		/* The orders and groupings (listorder.h: the orders, then the groupings)
		 * made from the articles when the collection keeps none, each when first
		 * asked for; NULL: not made. */
		uint32_t *made[LISTORDER_BY_COUNT + LISTORDER_GROUP_COUNT];
		/* s or S on a list so long that sorting takes a while: done between keys
		 * (app_arrange_idle), the status line saying so first. */
		struct {
			bool pending;
			enum config_sort sort;
			enum app_group group;
			size_t at; /* lists of this many articles or more; 0: the default */
		} later;
	} list;
	enum convert_mode script; /* the form text is shown in (app_arrange.c) */
	enum app_focus focus;
	bool fullscreen;
	/* The key reference (?): whether it is shown, its first row on screen, its text
	 * from the keymap table, the rows it takes at the current width. */
	struct {
		bool shown;
		size_t top;
		struct strbuf text;
		size_t rows;
	} help;
	bool quit;
	/* The article pane (app_pane.c): the pane shown, built for c->articles.v[list.sel];
	 * its first line on screen; its selected link (-1: none); the articles visited (b,
	 * f, H); the panes built before, by (article, form), and the entry to replace
	 * next. */
	struct {
		struct pane shown;
		size_t scroll;
		int link;
		struct history hist;
		struct pane cache[APP_PANE_CACHE];
		size_t cache_next;
	} pane;
	/* The prompt (app_prompt.c): what it is for, what has been typed, whether it is a
	 * regex; its line editor; the question of PROMPT_CONFIRM and what y confirms. */
	struct {
		enum app_prompt kind;
		struct strbuf input;
		bool regex;
		struct lineedit edit;
		char confirm[160];
		enum action confirm_action;
	} prompt;
	/* The list filter (app_search.c). */
	struct {
		bool dirty; /* the prompt changed since the view was made: app_settle */
		/* Where the reader was when the filter prompt opened: Esc, or a filter
		 * that matches nothing, goes back there. */
		struct {
			size_t sel, list_top, scroll;
			int link;
		} from;
		size_t next; /* the next list position the filter looks at (all: done) */
		/* A regex filter narrowed by the search index: the candidates to check, in
		 * list order, and the next of them (use_cand: the filter goes through them
		 * only). */
		search_hits cand;
		size_t cand_next;
		bool use_cand;
		struct search query; /* the last query; n/N use it with the filter off */
		bool has_query;
	} filter;
	bool redraw; /* app_idle changed what the screen shows */
	/* Searching (app_search.c, app_index.c): the articles' search keys, folded ahead of
	 * time by app_idle (fold_next: the next article whose key it folds); the search
	 * index, built on a thread once the collection is loaded, for the collection of
	 * catalog key index_key (0: none, no index). */
	struct {
		struct search_keys keys;
		size_t fold_next;
		struct app_index *index;
		uint64_t index_key;
	} search;
	/* Finding in the pane (/ and ? there): the query (active: there is one), its
	 * direction, the article it was started in; its matches are highlighted in the
	 * pane, match the current one (-1: none yet). */
	struct {
		struct search query;
		bool active, backward;
		const struct article *article;
		int match;
	} find;
	/* Similar stories (app_similar.c): the index, built while idle, and its build; its
	 * cache file's reading and writing, started (cache_wanted) when first idle, once
	 * the first screen is drawn. */
	struct {
		struct similar_index *index;
		struct similar_build *build;
		struct app_similar_cache *cache;
		bool cache_wanted;
	} similar;
	char message[160]; /* shown on the status line until the next action */
	/* The story map or the history list (app_map.c): the one shown in the pane (NULL:
	 * closed); how the map is built: its similar-stories provider, its caps. */
	struct {
		struct app_map *shown;
		struct storymap_opts opts;
	} map;
	/* Read marks and bookmarks (app_marks.c, app_marks.h). */
	struct app_marks *marks;
	/* A command to run or a sequence to write, for the front end (app_run.c). */
	struct {
		enum app_run_kind kind;
		spawn_argv argv;     /* RUN_PIPE, RUN_PAGER */
		struct strbuf input; /* its standard input; for RUN_COPY the sequence */
	} run;
	struct app_options opts;
	struct timespec loading_drawn; /* when the count of files loaded was last drawn */
	/* ---- Typing (app_prompt.c, app_input.c): the prompts' history, the count typed
	 * before a key (as less and vi take it). ---- */
	struct prompthist prompts;
	unsigned long count; /* digits typed so far; 0: none */
	bool save_source;    /* the save prompt saves the source, not the --dump form */
	/* ---- Unread (app_unread.c): whether the list is the unread view; the article
	 * shown beside the list, since when (read once shown opts.preview_read seconds,
	 * or scrolled; on the idle clock, app_unread_tick). ---- */
	struct {
		bool only;
		const struct article *preview;
		long long since_ns;
	} unread;
	/* ---- Links out (app_links.c): the URL view; NULL: closed. ---- */
	struct app_urls *urls;
	/* ---- Reloading (app_reload.c), kept whole when the reader takes a new
	 * collection. ---- */
	struct app_reloading {
		/* The catalog's work beside the reader (reload.h), or NULL; set by the front
		 * end, which owns it. first_taken: its result has been taken. */
		struct reload *first;
		bool first_taken;
		/* R, and a look at the files when a key comes after every seconds (0: only
		 * R): loading: the reload loading them; shown: the one whose collection is
		 * shown (NULL: the front end's); wanted: R was typed; quiet: the look was not
		 * asked for (nothing to say when nothing changed). */
		const struct app_source *source;
		struct reload *loading, *shown;
		bool wanted, quiet;
		int every;
		long long checked_ns;
	} reload;
};

/* A header row of a grouped list. */
#define APP_ROW_HEADER (UINT32_C(1) << 31)

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

/* Start the list filter on what the prompt holds: typing only records the keys, so that
 * a burst of them costs one search (call once no more input waits). The filter looks at
 * a bounded amount of text at once; app_idle goes on with the rest. */
void app_settle(struct app *a);

/* Keep the similar-stories index in its on-disk cache (similar_cache.h): read it from
 * there when it is current, else write it there once built; both on a thread, beside
 * the reader (call on the main thread, before app_idle). */
void app_similar_cache(struct app *a);

/* Do background work for about 10 ms at most: the list filter's scan, else building the
 * similar-stories index, else folding search keys ahead of time. Returns whether work is
 * left (call while no input waits, until it returns false); sets a->redraw when the
 * screen should be drawn again. */
bool app_idle(struct app *a);

/* Whether the list filter has looked at every article. */
bool app_filter_done(const struct app *a);

/* How many headlines the list shows, and the list position of its row-th one. */
size_t app_list_count(const struct app *a);
size_t app_list_article(const struct app *a, size_t row);

/* A mouse click at screen cell (y, x): selects and opens a headline, follows a link. */
void app_click(struct app *a, int y, int x);

/* The mouse wheel at (y, x): scroll what is under the pointer by lines (< 0: up). */
void app_wheel(struct app *a, int y, int x, int lines);

/* Compute the screen's geometry for the current state. */
void app_geometry(const struct app *a, struct app_geometry *g);

/* How many URLs the URL view lists (0: closed), and the i-th (*sel: the one
 * selected); for the renderer. */
size_t app_urls_count(const struct app *a);
const char *app_urls_get(const struct app *a, size_t i, size_t *sel);

/* Free the refreshes the reader started to load the collection again (after app_free:
 * the collection shown may be theirs). */
void app_reload_free(struct reload *reloading, struct reload *reloaded);

/* Whether the reader waits for work on another thread (the catalog's reload): the
 * front end should call app_idle now and then even when it returns false. */
bool app_waiting(const struct app *a);

/* " · loading: 45000 files read" while the collection shown holds its first files only. */
void app_loading_status(const struct app *a, struct strbuf *sb);

/* " · indexing 45%" while the search index is built beside the reader (app_index.c). */
void app_index_status(const struct app *a, struct strbuf *sb);

/* Sort the list by s (keeping the selection); for the configuration's sort = ... */
void app_set_sort(struct app *a, enum config_sort s);

/* The selected article's place among the articles the list shows (1 for the first
 * row, group headers not counted) in *pos, their number in *count; false (*pos 0) when
 * the list does not show it (a link led outside the filter). */
bool app_list_position(const struct app *a, size_t *pos, size_t *count);

/* Group the list by g (header rows between groups). */
void app_set_group(struct app *a, enum app_group g);

/* Sort the list by s and group it by g at once (keeping the selection). */
void app_set_arrangement(struct app *a, enum config_sort s, enum app_group g);

/* Whether list row is a group's header, and its text (source or YYYY-MM, converted). */
bool app_list_is_header(const struct app *a, size_t row);
void app_list_header_text(const struct app *a, size_t row, struct strbuf *out);

/* Append what the status line says about the view: the sort and grouping when not the
 * default, the T/S form when converted. */
void app_arrange_status(const struct app *a, struct strbuf *out);

/* The byte offset of the cursor in the prompt's text (a->prompt.input). */
int app_prompt_cursor(const struct app *a);

/* Keep the prompts' history in the state directory (marks_default_dir): load it now
 * (a problem goes to the status line); false on problems. */
bool app_prompts_open_default(struct app *a);

/* Save the prompts' history if lines were added (a failure goes to the status line). */
bool app_prompts_save(struct app *a);

/* Advance the clock of the article shown beside the list: once shown
 * opts.preview_read seconds (now_ns: CLOCK_MONOTONIC), it is marked read. Returns
 * whether an article is waiting to be (the front end should call app_idle now and
 * then). app_idle calls it with the clock's time. */
bool app_unread_tick(struct app *a, long long now_ns);

/* What the prompt line starts with: "/", "?", "|", "Date (YYYY[-MM[-DD]]): ". */
const char *app_prompt_label(enum app_prompt p);

/* The name of the command a.run runs, as the user knows it: the line typed at |. */
const char *app_run_name(const struct app *a);

/* The front end ran a.run (r: how it ended; NULL for RUN_COPY): say so, drop it. */
void app_run_done(struct app *a, const struct spawn_result *r);

/* Lay the pane out for the current geometry. */
void app_sync_pane(struct app *a);

/* Lay out what the screen shows for the current geometry: the pane, or the rows of the
 * story map on screen (the front end calls it before it draws: render changes
 * nothing). */
void app_layout(struct app *a);

#endif
