/* SPDX-License-Identifier: GPL-3.0-or-later */
/* history.h: browser-like back/forward history of viewed articles, bounded. */
#ifndef XINWEN_HISTORY_H
#define XINWEN_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#define HISTORY_MAX 256

/* Where the reader was: which article, how far scrolled, which link selected. */
struct history_entry {
	const void *article;
	size_t scroll;
	int link;		 /* -1: none */
	const void *link_target; /* the article link leads to, to find it again when the
				  * pane's links have moved (its similar stories came) */
};

/* v[0..n) are visited places, v[pos] the current one (when n > 0). */
struct history {
	struct history_entry v[HISTORY_MAX];
	size_t n, pos;
};

/* Empty the history. */
void history_init(struct history *h);

/* Visit a new place: forward entries are dropped, the oldest is forgotten when full. */
void history_visit(struct history *h, struct history_entry e);

/* Remember the scroll and link of the current place (after the user moved). */
void history_update(struct history *h, struct history_entry e);

/* Step back; true and *out set when there was somewhere to go. */
bool history_back(struct history *h, struct history_entry *out);

/* Step forward; true and *out set when there was somewhere to go. */
bool history_forward(struct history *h, struct history_entry *out);

/* Move to place pos (as back and forward do, keeping the trail); true and *out set
 * when pos is a place. */
bool history_go(struct history *h, size_t pos, struct history_entry *out);

#endif
