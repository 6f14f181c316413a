/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fold.h: search keys that ignore case, width and Traditional/Simplified form
 * (doc/LAYOUT.md §5), with a map from the key back to the text it came from. */
#ifndef XINWEN_FOLD_H
#define XINWEN_FOLD_H

#include <stdbool.h>
#include <stddef.h>

/* A folded text: key bytes, and for each of them the original cluster it came from. */
struct folded {
	char *s;
	size_t n;
	size_t *from; /* from[i]: start of the original cluster of key byte i (NULL: no map) */
	size_t *to;   /* to[i]: end of that cluster */
};

/* Fold n bytes of valid UTF-8: NFKC case folding per grapheme cluster, then each Han
 * character to its Simplified form. With map, fill from/to as well. */
void fold_text(struct folded *out, const char *s, size_t n, bool map);

/* Fold as fold_text with the map, but stop once the key holds at least limit bytes: the
 * key and map are then those of the whole text's, cut after a cluster. */
void fold_text_prefix(struct folded *out, const char *s, size_t n, size_t limit);

/* Free a folded text and zero it. */
void folded_free(struct folded *f);

/* Why Traditional/Simplified folding is off (OpenCC could not be loaded), or NULL. */
const char *fold_ts_problem(void);

/* Load the tables folding uses (done by the first fold): call it before folding on
 * several threads at once, which is safe from then on. */
void fold_prepare(void);

#endif
