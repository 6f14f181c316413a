/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render.h: drawing the app into a plain grid of cells, without curses. */
#ifndef XINWEN_RENDER_H
#define XINWEN_RENDER_H

#include <stdint.h>

#include "app.h"
#include "style.h"

#define CELL_MAX_CP 5

/* One screen cell: a grapheme cluster of up to 5 code points, or the right half of a
 * wide one (width 0, no code points). A border cell has the code point U+2502 or U+2500
 * ('|' or '-' when ambiguous characters are wide). */
struct cell {
	uint32_t cp[CELL_MAX_CP];
	unsigned char ncp;
	unsigned char width;
	unsigned char style;
};

/* A list row prepared for drawing (render.c). */
struct render_title;

/* What drawing keeps between frames: the list's rows prepared for drawing, by list
 * position, made on first use, so that drawing a headline costs the columns drawn, not
 * its length; and whether any article has something for the list's date column (a
 * date, or is an excerpt) and for its source column, found out when the list is first
 * drawn, so that a column with nothing to show is left out. Both are for the list as
 * it was when made (app.list.epoch), and made again once that changes. */
struct render_cache {
	unsigned long epoch;
	struct render_title *titles; /* n of them, or NULL */
	size_t n;
	struct {
		bool known, dates, sources;
	} columns;
};

struct grid {
	int rows, cols;
	struct cell *cells;
	int cursor_y, cursor_x;	   /* where the terminal's cursor goes; -1: hidden */
	struct render_cache cache; /* render's, freed by grid_free */
};

/* Size the grid to rows x cols and blank it. */
void grid_resize(struct grid *g, int rows, int cols);

/* Free the grid's cells and what render keeps in it. */
void grid_free(struct grid *g);

/* The cell at (y, x). */
struct cell *grid_at(struct grid *g, int y, int x);

/* Draw the whole app into g (sized to the app's screen); the app is not changed (the
 * front end lays it out first: app_layout). */
void render(const struct app *a, struct grid *g);

/* Append row y of the grid as UTF-8 text, trailing blanks trimmed (for tests). */
void grid_row_text(struct grid *g, int y, struct strbuf *out);

#endif
