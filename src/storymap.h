/* SPDX-License-Identifier: GPL-3.0-or-later */
/* storymap.h: an article's neighbourhood as a tree of rows -- what it cites, what cites
 * it, its similar stories, two levels deep -- laid out for drawing; no curses. */
#ifndef XINWEN_STORYMAP_H
#define XINWEN_STORYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "collection.h"
#include "convert.h"
#include "layout.h"
#include "strbuf.h"

/* The similar stories of article (a position in c->articles): writes at most k
 * positions to out, best first, and returns how many it wrote. */
typedef size_t (*map_similar_fn)(void *ctx, size_t article, size_t *out, size_t k);

/* Articles shown per group by default: under the root, and under a first-level article. */
#define STORYMAP_CAP_ROOT 100
#define STORYMAP_CAP_CHILD 10

/* What building maps of one collection can reuse: its articles' positions, scratch. */
struct storymap_cache;

struct storymap_opts {
	map_similar_fn similar; /* NULL: no "Similar" groups */
	void *ctx;		/* passed to similar */
	size_t cap_root;	/* articles per group under the root; 0: STORYMAP_CAP_ROOT */
	size_t cap_child;	/* per group under a first-level article; 0: STORYMAP_CAP_CHILD */
	struct storymap_cache *cache; /* NULL (or another collection's): one made per map */
	enum convert_mode script;     /* the form titles are shown in (t) */
};

enum storymap_kind {
	STORYMAP_ROOT,	  /* the article the map is of */
	STORYMAP_GROUP,	  /* "Cites (n)", "Cited by (n)", "Similar (n)" */
	STORYMAP_ARTICLE, /* a neighbour */
	STORYMAP_MORE,	  /* "… n more" when a group was capped */
};

enum storymap_rel { STORYMAP_CITES, STORYMAP_CITED_BY, STORYMAP_SIMILAR };

/* Why an article row is not expanded (besides the depth limit). */
enum storymap_mark {
	STORYMAP_PLAIN,
	STORYMAP_CYCLE,	  /* an article on its own path (itself, its parent, the root): "↺" */
	STORYMAP_ABOVE,	  /* expanded on an earlier row: "(above)" */
	STORYMAP_BELOW,	  /* expanded on a later row: "(below)" */
	STORYMAP_CURRENT, /* a list (storymap_build_list): the current entry */
};

/* The parts of a row, drawn left to right. */
enum storymap_seg {
	STORYMAP_SEG_TREE,
	STORYMAP_SEG_DATE,
	STORYMAP_SEG_TEXT,
	STORYMAP_SEG_MARK,
	STORYMAP_NSEG
};

struct storymap_row {
	enum storymap_kind kind;
	enum storymap_rel rel; /* GROUP, and the ARTICLE and MORE rows under a group */
	enum storymap_mark mark;
	int depth;	/* 0: the root; 1: the root's groups and their articles; 2: below */
	size_t article; /* ROOT and ARTICLE: a position in c->articles; else SIZE_MAX */
	size_t count;	/* GROUP: articles in the group; MORE: how many are not shown */
	bool excerpt;	/* the article is an excerpt (its date part says so) */
	struct layout_src seg[STORYMAP_NSEG]; /* tree glyphs, date, title or label, mark */
};

struct storymap {
	VEC(struct storymap_row) rows;
	struct layout_src ellipsis; /* "…", ending a cut title */
};

/* A piece of a row as drawn at a width: clusters [first, first + count) of part seg
 * (STORYMAP_NSEG: the ellipsis), starting at column col. */
struct storymap_span {
	const struct layout_src *src;
	size_t first, count;
	int col;
	int seg;
};
#define STORYMAP_MAX_SPANS (STORYMAP_NSEG + 1)

/* Make a cache for building maps of collection c (O(n log n), once, not O(n) per map). */
struct storymap_cache *storymap_cache_new(const struct collection *c);

/* Free a cache (NULL is fine). */
void storymap_cache_free(struct storymap_cache *k);

/* Build the map of article root (a position in c->articles) into m, which must be
 * zeroed or freed before; opts may be NULL (no similar stories, default caps). */
void storymap_build(struct storymap *m, const struct collection *c, size_t root,
		    const struct storymap_opts *opts);

/* Build a flat list of the n articles at positions v (e.g. the history trail) into m,
 * the current-th marked as current (SIZE_MAX: none), titles in form script. */
void storymap_build_list(struct storymap *m, const struct collection *c, const size_t *v, size_t n,
			 size_t current, enum convert_mode script);

/* Lay row i out at width columns into out (STORYMAP_MAX_SPANS entries); returns how
 * many spans. A row that does not fit keeps its tree glyphs, date and mark and cuts its
 * title at a cell boundary, ending it with "…"; a row narrower still is cut. */
size_t storymap_fit(const struct storymap *m, size_t i, int width, struct storymap_span *out);

/* Columns a cluster of a map row takes (a TAB takes one). */
int storymap_cluster_cols(const struct layout_cluster *c);

/* Append row i as drawn at width columns (trailing blanks kept) to out. */
void storymap_row_text(const struct storymap *m, size_t i, int width, struct strbuf *out);

/* The first row at or after from (before, when step < 0) that leads to an article
 * (ROOT or ARTICLE), or SIZE_MAX. */
size_t storymap_next_article(const struct storymap *m, size_t from, int step);

/* Free the map and zero it. */
void storymap_free(struct storymap *m);

#endif
