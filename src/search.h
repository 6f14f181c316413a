/* SPDX-License-Identifier: GPL-3.0-or-later */
/* search.h: finding a query in texts regardless of case, width and Traditional or
 * Simplified form (doc/LAYOUT.md §5), as a substring or a POSIX extended regex. */
#ifndef XINWEN_SEARCH_H
#define XINWEN_SEARCH_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "collection.h"
#include "fold.h"
#include "strbuf.h"

struct search {
	struct folded key; /* the folded query */
	bool regex;
	regex_t re; /* compiled from the folded query when regex */
};

/* Prepare a search for n bytes of query (untrusted: sanitized first). With regex the
 * folded query is a POSIX extended regular expression; returns false and writes why to
 * err when it does not compile. An empty query matches nothing. */
bool search_compile(struct search *q, const char *query, size_t n, bool regex, char *err,
		    size_t errlen);

/* Free what search_compile made. */
void search_free(struct search *q);

/* Whether the search matches nothing because the query is empty. */
bool search_is_empty(const struct search *q);

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
size_t search_keys_fold_ahead(struct search_keys *k, size_t from, size_t budget,
			      size_t *bytes);

/* The text an article is searched in: its title, a newline, then its text. */
void search_article_text(const struct article *a, struct strbuf *out);

/* Whether article i (list position) matches q; with start and end not NULL, where the
 * first match is in search_article_text's bytes. */
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
