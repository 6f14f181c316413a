/* SPDX-License-Identifier: GPL-3.0-or-later */
/* layout.h: laying out display text at a given width (doc/LAYOUT.md §2, §3, §6, §7). */
#ifndef XINWEN_LAYOUT_H
#define XINWEN_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"
#include "text.h"
#include "xalloc.h"

/* Flags of a cluster. */
#define LC_BREAK 1u   /* a line may break before this cluster */
#define LC_NEWLINE 2u /* a hard line break (an LF); takes no columns, never drawn */
#define LC_SPACE 4u   /* white space: trimmed where a line breaks */
#define LC_TAB 8u     /* a TAB: advances to the next multiple of 8 columns */
#define LC_CARET 16u  /* caret text standing for a control character: draw dim */
#define LC_GLUED 32u  /* the rules forbid a break before this cluster (doc/LAYOUT.md §3) */
#define LC_SQUEEZE \
	64u /* a space after the first of a long run inside a line: takes no
			* column on a line that had to be wrapped (doc/LAYOUT.md §6) */

/* One grapheme cluster of a prepared text: text.s[off, off+len). */
struct layout_cluster {
	size_t off;
	unsigned len;
	unsigned char width; /* wcwidth sum; 0 for LF and TAB */
	unsigned char flags;
};

/* A text prepared once for wrapping at any width: sanitized, split into clusters,
 * with break opportunities (UAX #14 plus the clreq tailoring) on the clusters. */
struct layout_src {
	struct dtext text;
	struct layout_cluster *cl;
	size_t ncl;
};

/* One laid-out line: clusters [first, first+count), cols columns wide, the first indent
 * of them blank (the hanging indent of a list item's continuation lines); in a squeezed
 * line, LC_SQUEEZE spaces take no column. */
struct layout_line {
	size_t first, count;
	int cols;
	int indent;
	bool squeeze;
};

typedef VEC(struct layout_line) layout_lines;

/* How wide East Asian Ambiguous characters (“ ” ○ ※ …) are laid out: 1 (as wcwidth
 * counts them, the default) or 2 (for terminals set to draw them wide); a setting of the
 * whole process, made before any text is prepared. */
void layout_set_ambiguous_width(int width);

/* The current ambiguous width: 1 or 2. */
int layout_ambiguous_width(void);

/* Sanitize and analyse n bytes of untrusted text; frees nothing of s. */
void layout_prepare(struct layout_src *src, const char *s, size_t n);

/* layout_prepare of a text shown as one line (a title, a source, a headline): each TAB
 * and line break in it a space (dtext_one_line). */
void layout_prepare_line(struct layout_src *src, const char *s, size_t n);

/* Free what layout_prepare allocated. */
void layout_src_free(struct layout_src *src);

/* Wrap a prepared text at width columns (>= 1), appending lines to *out; every line
 * is at most width columns; an empty text gives one empty line. */
void layout_wrap(const struct layout_src *src, int width, layout_lines *out);

/* Wrap a headline like layout_wrap, in as many lines, but balanced: lines of about the
 * same width, breaking at a space or after punctuation where that costs a few cells
 * (doc/LAYOUT.md §7). */
void layout_wrap_balanced(const struct layout_src *src, int width, layout_lines *out);

/* Columns cluster c takes when it starts at column col of a line width wide: a TAB runs
 * to the next tab stop (clipped to the line), a cluster wider than the line takes 1
 * (it is drawn as a placeholder). */
int layout_cluster_cols(const struct layout_cluster *c, int col, int width);

/* Columns cluster c of line takes at column col: layout_cluster_cols, but none for an
 * LC_SQUEEZE space of a squeezed line. Draw a line's clusters from column line->indent. */
int layout_line_cluster_cols(const struct layout_line *line, const struct layout_cluster *c,
			     int col, int width);

/* Append the plain text of a line as it is drawn at width (its indent and TABs as
 * spaces, a placeholder as '?', caret text as is, squeezed spaces left out) to out. */
void layout_line_text(const struct layout_src *src, const struct layout_line *line, int width,
		      struct strbuf *out);

#endif
