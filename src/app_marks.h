/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_marks.h: the reader's read marks and bookmarks: what the list and the status
 * line show of them, and loading and saving them (never while drawing). */
#ifndef XINWEN_APP_MARKS_H
#define XINWEN_APP_MARKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "app.h"

/* Keep the marks in directory dir (loaded now; NULL: in memory only). Problems (a
 * corrupt file set aside, a lock not taken) go to the status line and, when err is
 * not NULL, one per line to err. Returns false when there were problems. */
bool app_marks_open(struct app *a, const char *dir, FILE *err);

/* Open the default directory (marks_default_dir), or say that marks are not saved. */
bool app_marks_open_default(struct app *a, FILE *err);

/* Save the marks if they changed since the last save (the reader calls this once the
 * keys waiting are handled, and at exit). A failure is shown on the status line and,
 * when err is not NULL, written to err; it never stops the reader, and the marks stay
 * in memory until a save succeeds. Without err (while the reader draws) it never
 * waits for another reader's lock: held, it says "Marks not saved: another reader
 * holds the lock" and tries again only after a pause that doubles (returning true
 * meanwhile); with err (at exit) it waits for it a few seconds at most. */
bool app_marks_save(struct app *a, FILE *err);

struct marks;

/* Take the marks (loaded, and changed but maybe not saved) out of a, leaving it
 * marks in memory only; app_marks_attach gives them to the app made next (a
 * collection taken while the reader runs), so none is lost. */
void app_marks_detach(struct app *a, struct marks *out);

/* Give the app the marks app_marks_detach took (in is left empty). */
void app_marks_attach(struct app *a, struct marks *in);

/* Whether list position i is read, bookmarked, an unread full article (as the marks
 * know it, without making the article); how many articles are unread. */
bool app_is_read(const struct app *a, size_t i);
bool app_is_bookmarked(const struct app *a, size_t i);
bool app_is_unread(const struct app *a, size_t i);
size_t app_unread_count(const struct app *a);

/* Mark the n articles at list positions pos read (one pass over the flags after). */
void app_marks_read(struct app *a, const size_t *pos, size_t n);

#endif
