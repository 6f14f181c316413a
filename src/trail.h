/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trail.h: the breadcrumbs -- the history trail "A › B › C" laid out on one row,
 * elided with "…" where it does not fit, cell exact; no curses. */
#ifndef XINWEN_TRAIL_H
#define XINWEN_TRAIL_H

#include <stddef.h>

#include "collection.h"
#include "convert.h"
#include "layout.h"
#include "strbuf.h"

/* Columns a title takes at most in the trail (a longer one ends with "…"). */
#define TRAIL_TITLE_COLS 24

enum trail_role { TRAIL_TITLE, TRAIL_CURRENT, TRAIL_SEP };

/* A piece of the row: the first count clusters of src, from column col. */
struct trail_piece {
	struct layout_src src;
	size_t count;
	int col;
	enum trail_role role;
};

struct trail {
	VEC(struct trail_piece) v;
	int cols; /* columns used */
};

/* Lay out the trail of the n articles v (oldest first), the current-th marked
 * (SIZE_MAX: none), titles in form script, in width columns into t (zeroed or freed
 * before). Until it fits,
 * entries are dropped from whichever side of the current one has more (the left on a
 * tie; with no current one, the newest counts as current), "…" standing for them. */
void trail_build(struct trail *t, const struct article *const *v, size_t n, size_t current,
		 enum convert_mode script, int width);

/* Append the trail's text as drawn to out. */
void trail_text(const struct trail *t, struct strbuf *out);

/* Free the trail and zero it. */
void trail_free(struct trail *t);

#endif
