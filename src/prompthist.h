/* SPDX-License-Identifier: GPL-3.0-or-later */
/* prompthist.h: the prompts' history (Up and Down in a prompt), kept in
 * $XDG_STATE_HOME/xinwen/history: one list per kind of prompt, bounded, written
 * atomically and merged with what other readers wrote; the file is untrusted. */
#ifndef XINWEN_PROMPTHIST_H
#define XINWEN_PROMPTHIST_H

#include <stdbool.h>
#include <stddef.h>

#include "lineedit.h"
#include "xalloc.h"

/* Most lines kept per kind, longest line kept (bytes), largest file read. */
#define PROMPTHIST_MAX 200
#define PROMPTHIST_LINE 1024
#define PROMPTHIST_FILE ((size_t)1 << 20)

/* The kinds of prompt with a history of their own (search and filter share one). */
enum prompthist_kind { HIST_SEARCH, HIST_PIPE, HIST_DATE, HIST_SAVE, HIST_COUNT };

struct prompthist {
	char *path, *tmp_path;	       /* NULL: kept in memory only */
	VEC(char *) lines[HIST_COUNT]; /* oldest first */
	VEC(char *) added[HIST_COUNT]; /* added since the last save, oldest first */
	char problem[256];	       /* the last problem reading or writing, or "" */
};

/* Start an empty history kept in directory dir (NULL: in memory only). */
void prompthist_init(struct prompthist *h, const char *dir);

/* Free it. */
void prompthist_free(struct prompthist *h);

/* Read the file (a missing one is no problem); lines that are not valid (a bad kind,
 * a control character, invalid UTF-8, too long) are skipped. False (h->problem set)
 * when it could not be read or had bad lines. */
bool prompthist_load(struct prompthist *h);

/* Add n bytes of line as the newest of kind k (an older equal line is dropped; blank
 * lines, lines with control characters and too long ones are not kept). */
void prompthist_add(struct prompthist *h, enum prompthist_kind k, const char *line, size_t n);

/* The lines of kind k, oldest first. */
struct lineedit_lines prompthist_lines(const struct prompthist *h, enum prompthist_kind k);

/* The newest line of kind k, or NULL. */
const char *prompthist_last(const struct prompthist *h, enum prompthist_kind k);

/* Write the lines added since the last save into the file, over what it holds now (so
 * that another reader's lines are kept), atomically. True when there was nothing to
 * write or it was written; false with h->problem set. */
bool prompthist_save(struct prompthist *h);

#endif
