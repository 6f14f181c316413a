/* app_internal.h: what app.c shares with app_search.c and app_similar.c; not for other
 * modules. */
#ifndef XINWEN_APP_INTERNAL_H
#define XINWEN_APP_INTERNAL_H

#include <time.h>

#include "app.h"

/* Put a printf-style message on the status line. */
void app_say(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* How many articles the collection has. */
size_t app_narticles(const struct app *a);
/* The list row of list position i, or where it would be. */
size_t app_list_row_of(const struct app *a, size_t i);
/* Keep the selected headline on screen. */
void app_sync_list(struct app *a);
/* Show list position i from the top, with no link selected. */
void app_select_article(struct app *a, size_t i);
/* Rows of the pane on screen (at least 1). */
int app_pane_height(const struct app *a);
/* Move the list selection by delta rows. */
void app_move_list(struct app *a, long delta);

/* Carry out a search action: SEARCH, SEARCH_BACK, SEARCH_NEXT, SEARCH_PREV, CLEAR. */
void app_search_apply(struct app *a, enum action act);
/* Handle a key while a prompt is open. */
void app_prompt_key(struct app *a, int key);
/* Free the search state. */
void app_search_free(struct app *a);
/* Nanoseconds since *since (CLOCK_MONOTONIC). */
long app_elapsed_ns(const struct timespec *since);

/* Start building the similar-stories index (nothing is computed yet). */
void app_similar_start(struct app *a);
/* Build the pane of cur (the selected article) with its similar stories. */
void app_similar_pane(struct app *a, const struct article *cur);
/* Build the index for about 10 ms; once it is complete, show it in the pane. Returns
 * whether there was building to do. */
bool app_similar_idle(struct app *a);
/* Free the index, or the build in progress. */
void app_similar_free(struct app *a);

#endif
