/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lineedit.h: the one line editor of every prompt (search, filter, |, D, w): a UTF-8
 * line with a cursor, edited by the prompt actions of the keymap (keymap.h), going
 * through the history of lines accepted before with Up and Down. No curses. */
#ifndef XINWEN_LINEEDIT_H
#define XINWEN_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keymap.h"
#include "strbuf.h"

/* The editor's state beside the text it edits (the caller's strbuf). */
struct lineedit {
	size_t cursor;	     /* byte offset into the text, at a character's start */
	size_t browse;	     /* the history line shown, counted back from the newest
			      * (1: the newest); 0: the line being typed */
	struct strbuf draft; /* the line being typed, kept while the history is shown */
};

/* Lines accepted before, oldest first (a view: the caller owns them). */
struct lineedit_lines {
	char *const *v;
	size_t n;
};

/* Start editing an empty line (or text already in the caller's strbuf: cursor at its
 * end); keeps the draft's memory. */
void lineedit_reset(struct lineedit *e, const struct strbuf *text);

/* Free what the editor holds. */
void lineedit_free(struct lineedit *e);

/* Insert code point cp at the cursor, unless the text would pass max bytes or cp is a
 * control character; returns whether the text changed. */
bool lineedit_insert(struct lineedit *e, struct strbuf *text, uint32_t cp, size_t max);

/* Insert n bytes of valid UTF-8 at the cursor (a completion), within max bytes. */
bool lineedit_insert_bytes(struct lineedit *e, struct strbuf *text, const char *s, size_t n,
			   size_t max);

/* Carry out an editing action (EDIT_LEFT ... EDIT_HISTORY_NEXT, EDIT_ERASE,
 * EDIT_KILL); hist: the history for Up and Down (may be empty). Returns whether the
 * text changed; other actions do nothing. */
bool lineedit_apply(struct lineedit *e, struct strbuf *text, enum edit_action op,
		    struct lineedit_lines hist);

#endif
