/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_internal.h: what the files of the app share; not for other modules. They build
 * on each other, lowest first: app_core.c (the message, the list's rows, the geometry),
 * app_pane.c (where the reader is) and app_prompt.c (the prompt's line); the features
 * (app_arrange.c, app_search.c, app_marks.c, ...); app.c, which carries out actions;
 * app_input.c, which takes keys, and app_reload.c, which takes a new collection. */
#ifndef XINWEN_APP_INTERNAL_H
#define XINWEN_APP_INTERNAL_H

#include <time.h>

#include "app.h"
#include "index.h"

/* ---- The core (app_core.c) ---- */
/* Put a printf-style message on the status line, fmt translated (gettext). */
void app_say(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* How many articles the collection has. */
size_t app_narticles(const struct app *a);
/* Where list position i is, or would be, in the filtered view (which is in list order):
 * the index of its first entry not below i. */
size_t app_view_search(const struct app *a, size_t i);
/* The list row of list position i, or where it would be. */
size_t app_list_row_of(const struct app *a, size_t i);
/* Keep the selected headline on screen. */
void app_sync_list(struct app *a);
/* Rows of the pane on screen (at least 1). */
int app_pane_height(const struct app *a);

/* ---- Where the reader is (app_pane.c) ---- */
/* The selected article (NULL: there are no articles). */
const struct article *app_current(const struct app *a);
/* Show list position i from the top, with no link selected. */
void app_select_article(struct app *a, size_t i);
/* Move the list selection by delta rows. */
void app_move_list(struct app *a, long delta);
/* Scroll the pane by delta lines (< 0: up), within the article. */
void app_scroll_pane(struct app *a, long delta);
/* Scroll the pane so that line is on screen. */
void app_reveal_line(struct app *a, size_t line);
/* Open the selected article in the pane and record the visit. */
void app_open_selected(struct app *a);
/* Go to article target as a new place in the history. */
void app_visit(struct app *a, const struct article *target);
/* Open target in the pane as following a link does, recording the visit (the article
 * shown first, when it was not yet in the history); the current one is just opened. */
void app_go_to(struct app *a, const struct article *target);
/* Step back or forward in the history, remembering where the reader was. */
void app_history_step(struct app *a, bool back);
/* Move to place pos of the history, as back and forward do (the trail is kept). */
void app_history_jump(struct app *a, size_t pos);
/* Build the pane shown again with its similar stories asked of the index now (built
 * without them: asked between keys; or the index changed), keeping its place and the
 * link selected (a backlink moves down by the stories added before it); false when
 * there is no pane to build again or its stories cannot be told yet. */
bool app_pane_complete(struct app *a);
/* Keep the pane shown in the cache of panes built before (in place of the oldest). */
void app_pane_stash(struct app *a);
/* Build into p the selected article as the pane shows it (in the current form, with its
 * similar stories), for | and o; while the index is being built, without them. */
void app_pane_dump_build(const struct app *a, struct pane *p);
/* Free the pane and the panes built before. */
void app_pane_free(struct app *a);

/* Carry out a search action: SEARCH, SEARCH_BACK, SEARCH_NEXT, SEARCH_PREV, CLEAR. */
void app_search_apply(struct app *a, enum action act);
/* Handle a key while a prompt is open. */
void app_prompt_key(struct app *a, int key);
/* Free the search state. */
void app_search_free(struct app *a);
/* Show every article in the list again (no filter, no bookmarks view). */
void app_show_all(struct app *a);

/* Read marks and bookmarks (app_marks.c): start them in memory, free them. */
void app_marks_init(struct app *a);
void app_marks_free(struct app *a);
/* After an action: an article newly opened in the pane is marked read. */
void app_marks_opened(struct app *a);
/* Carry out TOGGLE_READ, TOGGLE_BOOKMARK or BOOKMARKS. */
void app_marks_apply(struct app *a, enum action act);

/* Carry out action act while the map or history list is open; false: not its action. */
bool app_map_apply(struct app *a, enum action act);
/* Open the story map (history: the history list) of the current article. */
void app_map_open(struct app *a, bool history);
/* Build the open map or history list again (the form changed), at the same row. */
void app_map_rebuild(struct app *a);
/* Close the map or history list. */
void app_map_close(struct app *a);
/* Close the map and free what building maps keeps (app_free). */
void app_map_free(struct app *a);

/* The arrangement (app_arrange.c): carry out SCRIPT, SORT, GROUP, JUMP_DATE. */
void app_arrange_apply(struct app *a, enum action act);

/* Sort the list as s or S asked for when that was left for between keys; true when it
 * was (the screen changed). */
bool app_arrange_idle(struct app *a);
/* A PROMPT_DATE or PROMPT_PIPE prompt was accepted with what a->prompt.input holds. */
void app_arrange_accept(struct app *a, enum app_prompt kind);
/* Make the list's rows again from the sort order and the filter. */
void app_order_rebuild(struct app *a);
/* Free what app_arrange.c holds. */
void app_arrange_free(struct app *a);
/* The list position of the article after (step 1) or before (step -1) the selected one
 * in the sort order, or SIZE_MAX at either end. */
size_t app_arrange_neighbour(const struct app *a, int step);
/* Free the sort order (the list goes back to date order). */
void app_order_free(struct app *a);
/* The row to land on when a move ends on row: past a header in the move's direction. */
size_t app_list_skip_header(const struct app *a, size_t row, long delta);
/* The list's rows are to be drawn otherwise: start a new list.epoch, so that what
 * the renderer prepared for them is made again. */
void app_new_list_epoch(struct app *a);

/* Running commands (app_run.c): carry out PIPE, PAGER, COPY. */
void app_run_apply(struct app *a, enum action act);
/* Ask the front end to pipe the article to the command line typed (n bytes). */
void app_run_pipe(struct app *a, const char *line, size_t n);
/* Free a pending request. */
void app_run_free(struct app *a);
/* The article shown, as --dump prints it at the screen's width. */
void app_dump(const struct app *a, struct strbuf *out);

/* Nanoseconds since *since (CLOCK_MONOTONIC; app_idle.c). */
long app_elapsed_ns(const struct timespec *since);

/* For app_idle: go on with the list filter's scan, in slices, until it is done or ns
 * nanoseconds have passed since t0. Returns false when there was nothing to scan. */
bool app_filter_idle(struct app *a, const struct timespec *t0, long ns);
/* For app_idle: fold about bytes of the articles' search keys ahead of a search, on two
 * threads (not with a search index). Returns whether keys are left to fold. */
bool app_search_fold_idle(struct app *a, size_t bytes);

/* Take the reload's result once it is there (app_reload.c); returns whether it is
 * still being worked on. */
bool app_reload_idle(struct app *a);
/* Whether the collection shown holds the first files only, the rest being loaded. */
bool app_loading(const struct app *a);
/* Filter the list again by what a->prompt.input holds (the collection changed); prompt_open:
 * leave the filter prompt open. */
void app_filter_again(struct app *a, bool prompt_open);
/* Start building the similar-stories index (nothing is computed yet). */
void app_similar_start(struct app *a);
/* Build the index for about 10 ms (not while the search index is built); once it is
 * complete, show it in the pane. Returns whether there was building to do. */
bool app_similar_idle(struct app *a);
/* Free the index, or the build in progress. */
void app_similar_free(struct app *a);

/* ---- The prompt's line (app_prompt.c) ---- */
/* Open prompt kind, empty. */
void app_prompt_open(struct app *a, enum app_prompt kind);
/* Type key into the prompt at the cursor; returns whether the text changed. */
bool app_prompt_type(struct app *a, int key);
/* Edit the prompt (the line editor's actions); whether the text changed. */
bool app_prompt_edit(struct app *a, enum edit_action op);
/* The prompt is being accepted: remember its line in the history (an empty search in
 * the pane takes the last one first). */
void app_prompt_accepted(struct app *a);
/* Ask question (y/n); y carries out act's second step (MARK_ALL_READ, SAVE). */
void app_confirm(struct app *a, enum action act, const char *question);
/* Free the line editor and the history. */
void app_prompt_free(struct app *a);

/* ---- Unread (app_unread.c) ---- */
/* Carry out HALF_DOWN, HALF_UP, NEXT_UNREAD, PREV_UNREAD, MARK_ALL_READ, UNREAD. */
void app_unread_apply(struct app *a, enum action act);
/* The question of MARK_ALL_READ was answered yes: mark every unread article listed. */
void app_unread_mark_all(struct app *a);
/* The pane was scrolled while the list has the focus: the article shown counts read. */
void app_unread_scrolled(struct app *a);
/* Whether an article shown beside the list waits to count as read (app_waiting). */
bool app_unread_waiting(const struct app *a);

/* ---- Saving (app_save.c) ---- */
/* Carry out SAVE (source: SAVE_SOURCE): open the prompt for the file name. */
void app_save_apply(struct app *a, bool source);
/* The save prompt was accepted: write the article to the file named. */
void app_save_accept(struct app *a);
/* The y/n question of an existing file was answered yes: replace it. */
void app_save_confirmed(struct app *a);
/* Complete the file name at the end of the save prompt (Tab); whether it changed. */
bool app_save_complete(struct app *a);

/* ---- Links out and reloading (app_links.c) ---- */
/* Carry out BROWSER, URLS, RELOAD. */
void app_links_apply(struct app *a, enum action act);
/* Carry out act (arg: FOLLOW_N's N) while the URL view is open; false: not its action
 * (help, quitting and redrawing go on as usual). */
bool app_urls_apply(struct app *a, enum action act, int arg);
/* Free the URL view. */
void app_links_free(struct app *a);

/* The search index (app_index.c). Start building it on a thread, unless it is started,
 * there is no index_key or the collection is still loading. */
void app_index_start(struct app *a);

/* Whether the build goes on or has something left to say (app_waiting). */
bool app_index_waiting(const struct app *a);

/* Whether the index is complete: the list filter may ask it. */
bool app_index_ready(const struct app *a);

/* For app_idle: start the build when it can, redraw its progress now and then, say
 * once when it cannot be used or was made anew. Returns whether the build goes on. */
bool app_index_idle(struct app *a);

/* The hits of q from the index, in list order (replacing *hits): INDEX_EXACT, or
 * INDEX_CANDIDATES (each to check), else the index cannot answer (scan). */
enum index_answer app_index_query(struct app *a, const struct search *q, search_hits *hits);

/* Stop the build (after its step) and close the index. */
void app_index_free(struct app *a);

#endif
