/* SPDX-License-Identifier: GPL-3.0-or-later */
/* search.h: finding a query in texts regardless of case, width and Traditional or
 * Simplified form (doc/LAYOUT.md §5), as a substring or a PCRE2 regular expression,
 * with fields (source:, title:, date:) that narrow it. */
#ifndef XINWEN_SEARCH_H
#define XINWEN_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "collection.h"
#include "fold.h"
#include "strbuf.h"

/* What a regex match gives up after: steps of the matcher and depth of its
 * backtracking, per text (a pattern that needs more is reported as too complex). */
#define SEARCH_MATCH_LIMIT 1000000u
#define SEARCH_DEPTH_LIMIT 10000u

struct search {
	struct folded key; /* the folded text query (fields taken out) */
	bool regex;
	void *re;    /* the pcre2_code compiled from key when regex */
	void *mctx;  /* its pcre2_match_context: the limits */
	int gave_up; /* set (atomically) once a match hit a limit: nothing more is matched */
	/* Fields: the folded title and source must contain these (n == 0: any); the date
	 * must be in [date_from, date_to] (as strings; empty: any). */
	struct folded title, source;
	char date_from[11], date_to[11];
	bool has_fields;
};

/* Prepare a search for n bytes of query (untrusted: sanitized first). Words of the form
 * source:X, title:X, date:YYYY[-MM[-DD]] and date:D1..D2 are fields; the rest is the
 * text, searched in the title, the source and the body. With regex the folded text is a
 * PCRE2 regular expression (UTF, Unicode properties); returns false and writes why to
 * err when it does not compile or a field is malformed. An empty query matches nothing. */
bool search_compile(struct search *q, const char *query, size_t n, bool regex, char *err,
		    size_t errlen);

/* Free what search_compile made. */
void search_free(struct search *q);

/* Whether the search matches nothing because the query is empty. */
bool search_is_empty(const struct search *q);

/* Whether a regex match hit the match or depth limit: the search stopped and its
 * answers are incomplete (say so: the pattern is too complex). */
bool search_gave_up(const struct search *q);

/* Whether article a's title, source and date pass q's fields (true without fields). */
bool search_fields_match(const struct search *q, const struct article *a);

/* Find the first match in the folded text f at or after byte from: true, with the match
 * at f->s[*start, *end). A regex match is never empty. */
bool search_next(const struct search *q, const struct folded *f, size_t from, size_t *start,
		 size_t *end);

/* The folded search keys of a collection's articles, made on first use. */
struct search_keys {
	const struct collection *c;
	struct folded *v; /* v[i].s == NULL until article i is folded */
};

/* Prepare keys for collection c (folds nothing yet). */
void search_keys_init(struct search_keys *k, const struct collection *c);

/* Free every key. */
void search_keys_free(struct search_keys *k);

/* Fold article i's key unless it is folded; returns how many bytes of text it folded. */
size_t search_keys_fold(struct search_keys *k, size_t i);

/* Fold the keys of the articles from list position from on that are not folded yet,
 * about budget bytes of text (by their size as loaded), on two threads (the second
 * takes every other one); *bytes: how many it folded. Returns the position after the
 * last article looked at: every key in [from, that) is folded. */
size_t search_keys_fold_ahead(struct search_keys *k, size_t from, size_t budget, size_t *bytes);

/* The text an article is searched in: its title, a newline, its source, a newline,
 * then its text. */
void search_article_text(const struct article *a, struct strbuf *out);

/* Whether article i (list position) matches q (text and fields); with start and end not
 * NULL, where the first match is in search_article_text's bytes (0, 0 for a search of
 * fields only). */
bool search_article(struct search_keys *k, size_t i, const struct search *q, size_t *start,
		    size_t *end);

/* List positions of articles, in list order. */
typedef VEC(size_t) search_hits;

/* Append to *hits the list positions in [from, to) whose keys match q, in order; every
 * key there must be folded. A large substring scan runs on two threads (the keys are
 * only read). */
void search_scan(const struct search_keys *k, const struct search *q, size_t from, size_t to,
		 search_hits *hits);

/* Replace *hits with the list positions of every article that matches q (folding every
 * key first). */
void search_collection(struct search_keys *k, const struct search *q, search_hits *hits);

#endif
