/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar.h: similar stories by content: TF-IDF over character bigrams of the folded
 * title and lead of each article, cosine similarity through an inverted index. */
#ifndef XINWEN_SIMILAR_H
#define XINWEN_SIMILAR_H

#include <stdbool.h>
#include <stddef.h>

#include "collection.h"

/* Bytes of an article's body that go into its vector after the title: the lead, which
 * names the story; the rest adds build time, not precision (bench/README.md). */
#ifndef SIMILAR_LEAD_BYTES
#define SIMILAR_LEAD_BYTES 1500
#endif
/* Terms kept per article: the ones of highest weight. */
#ifndef SIMILAR_TERMS
#define SIMILAR_TERMS 64
#endif
/* Per-term counts of articles (about 6 bytes each, some 300 an article) kept between
 * the build's counting and its weighing: past this many, an article's terms are counted
 * a second time when it is weighed instead, so that the build's memory is bounded. */
#ifndef SIMILAR_KEEP_COUNTS
#define SIMILAR_KEEP_COUNTS (16u << 20)
#endif
/* Articles added or removed by updates, in percent of the collection, past which an
 * update builds the index whole again (its weights follow the whole collection). */
#ifndef SIMILAR_DRIFT
#define SIMILAR_DRIFT 10
#endif
/* Two hits at least this similar to each other are one story reprinted: grouped. */
#define SIMILAR_DUP 0.8f

/* One similar story: its list position, its cosine similarity to the article asked
 * about (in [0, 1]) and how many near-duplicates of it were folded into it. */
struct similar_hit {
	size_t article;
	float score;
	size_t folded;
};

struct similar_index;
struct similar_build;

/* Start building the index of collection c, which must not change until the index is
 * freed; nothing is computed yet. Fold's tables are set up here (on this thread). */
struct similar_build *similar_build_start(const struct collection *c);

/* Keep at most about entries per-term counts between counting and weighing (default
 * SIMILAR_KEEP_COUNTS); the index is the same whatever it is. Before the first step. */
void similar_build_keep_counts(struct similar_build *b, size_t entries);

/* Do a slice of the build: about budget bytes of text; returns true once the build
 * is complete (then call similar_build_finish). */
bool similar_build_step(struct similar_build *b, size_t budget);

/* Take the index out of a complete build and free the build. */
struct similar_index *similar_build_finish(struct similar_build *b);

/* Abandon a build. */
void similar_build_free(struct similar_build *b);

/* Bytes of the counts the build holds beside the index it makes (the terms' table,
 * their document frequencies, the counts kept between counting and weighing): they
 * grow with the distinct terms and up to the kept counts' bound, not with the
 * articles. */
size_t similar_build_counts_bytes(const struct similar_build *b);

/* Start building the index of c from old, an index of an earlier state of c (from its
 * cache file, similar_cache_open) that must outlive the build. Only what changed is
 * read: the articles old has (the same content identity) keep their vectors, the new
 * ones are weighed by old's article counts with theirs added, and the articles whose
 * terms were their own until a new article shared them are read and weighed again
 * (so that a story and its reprint added later still find each other). Removed
 * articles leave the postings. Once more than SIMILAR_DRIFT percent of the articles
 * were added or removed since the index was built whole, or when old keeps no counts
 * or they are damaged, every article is read: a whole build. */
struct similar_build *similar_build_update(const struct collection *c,
					   const struct similar_index *old);

/* How many articles the build takes from the old index (similar_build_update). */
size_t similar_build_reused(const struct similar_build *b);

/* Build the index of c at once. */
struct similar_index *similar_index_build(const struct collection *c);

/* Free an index (NULL is fine). */
void similar_index_free(struct similar_index *ix);

/* How many articles the index is of. */
size_t similar_index_articles(const struct similar_index *ix);

/* Bytes the index holds. */
size_t similar_index_bytes(const struct similar_index *ix);

/* The up to k stories most similar to the article at list position article, best
 * first (ties in list order), near-duplicates grouped; returns how many are in out. */
size_t similar_query(const struct similar_index *ix, size_t article, struct similar_hit *out,
		     size_t k);

/* The cosine similarity of articles i and j, in [0, 1]. */
float similar_score(const struct similar_index *ix, size_t i, size_t j);

/* Why the index, mapped from its cache file, cannot answer: what a query found
 * damaged in it (then it answers nothing more: build it again); NULL when sound. */
const char *similar_index_damage(const struct similar_index *ix);

/* Whether the index keeps the counts an update needs (similar_build_update). */
bool similar_index_updatable(const struct similar_index *ix);

#endif
