/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pane.h: what the reading pane shows for one article, laid out at a width. */
#ifndef XINWEN_PANE_H
#define XINWEN_PANE_H

#include <stddef.h>

#include "collection.h"
#include "convert.h"
#include "layout.h"
#include "search.h"
#include "similar.h"
#include "strbuf.h"

/* The role of a block of the pane, which decides how it is drawn. */
enum pane_style {
	PANE_TEXT,
	PANE_TITLE,
	PANE_META,
	PANE_HEADING,
	PANE_LINK,
	PANE_SNIPPET,
};

/* One block of text (a title, a paragraph, a link...), prepared for any width. */
struct pane_block {
	struct layout_src src;
	enum pane_style style;
	int indent; /* columns added on the left of every line */
	int link;   /* index into pane.links, or -1 */
};

/* A match of a search in the pane: bytes [start, end) of a block's display text. */
struct pane_match {
	size_t block, start, end;
	size_t line; /* the pane line it starts on, at the current width */
};

/* One screen line: a laid-out line of a block. */
struct pane_line {
	size_t block;
	struct layout_line line;
};

/* The pane for one article: blocks, their lines at the current width, its links
 * (the related stories first, numbered from 1, then the similar stories, numbered on,
 * then the backlinks). */
struct pane {
	const struct article *article;
	VEC(struct pane_block) blocks;
	VEC(struct article *) links;
	VEC(size_t) link_line; /* first line of each link at the current width */
	layout_lines wrapped;  /* scratch for layout_wrap */
	VEC(struct pane_line) lines;
	VEC(struct pane_match) matches; /* in reading order, from pane_find */
	size_t nrelated; /* links [0, nrelated) are related stories, the rest backlinks */
	size_t nsimilar; /* links [nrelated, nrelated + nsimilar) are similar stories */
	int width;
	enum convert_mode mode; /* the form its text is shown in */
	bool similar_pending;	/* built while its similar stories were being computed */
};

/* Build the pane of article a of collection c (no layout yet); p must be zeroed or freed
 * before. */
void pane_build(struct pane *p, const struct collection *c, const struct article *a);

/* Build the pane like pane_build with every text shown in form m. */
void pane_build_converted(struct pane *p, const struct collection *c, const struct article *a,
			  enum convert_mode m);

/* Build the pane of article a like pane_build_converted, with a group "Similar stories"
 * after the related stories: n hits of collection c, each with its score and date; when
 * hits is NULL, a line saying that they are being computed (similar_pending). */
/* How many similar stories the pane shows (--dump, | and o print the same). */
#define PANE_SIMILAR_SHOWN 5

void pane_build_similar(struct pane *p, const struct article *a, enum convert_mode m,
			const struct collection *c, const struct similar_hit *hits, size_t n);

/* Lay the pane out at width columns (>= 1); does nothing if already at that width. */
void pane_layout(struct pane *p, int width);

/* Find every match of q in the pane's text (a match may span wrapped lines, never
 * blocks); an empty query clears them. Lines are kept up to date by pane_layout. */
void pane_find(struct pane *p, const struct search *q);

/* The link shown on line i, or -1. */
int pane_line_link(const struct pane *p, size_t i);

/* Columns a pane line starts at, after its block's indent (0 when the width is too small). */
int pane_line_indent(const struct pane *p, size_t i);

/* Append line i as plain text (what --dump prints), without a newline. */
void pane_line_text(const struct pane *p, size_t i, struct strbuf *out);

/* Append every line with a newline after each: what --dump prints. */
void pane_text(const struct pane *p, struct strbuf *out);

/* Free everything the pane holds and zero it. */
void pane_free(struct pane *p);

#endif
