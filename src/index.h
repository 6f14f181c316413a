/* SPDX-License-Identifier: GPL-3.0-or-later */
/* index.h: the persistent full-text index of a collection, kept under
 * $XDG_CACHE_HOME/xinwen/: which articles' folded text (search.h) holds a query, without
 * reading the texts. One interface, whatever engine stands behind it (today our own:
 * checksummed segments of the bigrams of the folded text with their positions, and a
 * manifest; bench/README.md says why). */
#ifndef XINWEN_INDEX_H
#define XINWEN_INDEX_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collection.h"
#include "search.h"

struct text_index;

/* The index file for the collection loaded with catalog key key (catalog.h), as a new
 * string; NULL when there is no cache directory. */
char *index_path(uint64_t key);

/* Open the index at path, creating it when there is none. A damaged file, one of
 * another format or another folding is removed and made anew: *rebuilt is set, and why
 * says what was wrong (a damaged block found later by a query makes index_query err,
 * and the index is made anew by the next update or open). NULL (why set) when it cannot be opened or made (then search
 * scans). Safe against a file that is not a regular one: refused, never opened. */
struct text_index *index_open(const char *path, bool *rebuilt, char *why, size_t whylen);

/* Match the index to collection c (which must outlive the index or the next attach):
 * which indexed texts are c's articles (by content identity) and which articles are not
 * indexed yet. Returns how many articles are left to index, or SIZE_MAX (why set) on
 * an error. */
size_t index_attach(struct text_index *ix, const struct collection *c, char *why, size_t whylen);

/* Open the index at path only when it is there and sound (its manifest, its segments'
 * headers: not their rows), for reading alone: nothing on disk is made, changed or
 * removed, and a damaged block found by a query is left for index_open to find. NULL
 * (why set) otherwise. */
struct text_index *index_open_sound(const char *path, char *why, size_t whylen);

/* Save beside the index (path-map) what index_attach found, for owner (the identity of
 * what the collection was read from, a catalog's) with extra bytes of the caller's:
 * the list position of each row, so that index_attach_map matches the index to that
 * collection without it. Only for an index attached and up to date. False (why set)
 * when it cannot be written. */
bool index_save_map(struct text_index *ix, uint64_t owner, const void *extra, size_t nextra,
		    char *why, size_t whylen);

/* Attach ix to the narticles articles of owner by the map index_save_map saved for
 * them, when it is of ix's rows as they are now (the manifest the same) and whole
 * (checked: its checksum, every article some row's, once); article_at(ctx, i, tmp)
 * gives article i for the fields of a query, or a copy of it in *tmp that need not be
 * kept (NULL, why set, when it cannot: index_query errs). *extra, *nextra: the extra
 * bytes saved, owned by ix. False (why set) when there is no such map: index_attach
 * is needed. */
bool index_attach_map(struct text_index *ix, uint64_t owner, size_t narticles,
		      const struct article *(*article_at)(void *ctx, size_t i, struct article *tmp,
							  char *why, size_t whylen),
		      void *ctx, const void **extra, size_t *nextra, char *why, size_t whylen);

/* index_attach_map for collection c read from a catalog (catalog_read), by the map
 * saved for that catalog (index_save_catalog_map): false (why set) when c is not a
 * catalog's or there is no such map (index_attach is needed). */
bool index_attach_catalog(struct text_index *ix, const struct collection *c, char *why,
			  size_t whylen);

/* index_save_map for collection c read from a catalog, with the catalog's seal
 * (catalog_seal) as the extra bytes, so that a later start from the same catalog attaches
 * by it (index_attach_catalog, and --search from the catalog alone). False when ix is
 * not up to date, c is not a catalog's or the map cannot be written. */
bool index_save_catalog_map(struct text_index *ix, const struct collection *c);

/* Remove the map index_save_map saved (the collection it is of was found damaged):
 * the next attach is index_attach's. */
void index_forget_map(struct text_index *ix);

/* What index_update has done and has left. */
struct index_progress {
	size_t done, total; /* articles indexed, of those the attach found missing */
	size_t bytes;	    /* bytes of text indexed */
};

/* The budget of an index_update step, for the reader's build and xinwen --index
 * alike: smaller steps make more segments to merge (bench/README.md, "Merging eight":
 * the reader's build of 300,000 records 1.6 times as fast as with 4 MB steps, for
 * about 110 MB more memory while it runs). */
#define INDEX_STEP ((size_t)32 << 20)

/* Index about budget bytes of the articles not indexed yet, as one transaction: a
 * crash loses at most this step, never an answer. Returns 1 when every article is
 * indexed, 0 when some are left, -1 (why set) on an error. May run on another thread
 * than index_query. */
int index_update(struct text_index *ix, size_t budget, struct index_progress *p, char *why,
		 size_t whylen);

/* Make index_update stop soon once *cancel is set (NULL: never; it is read on
 * index_update's threads): a step under way is dropped whole, between two articles
 * folded, two texts tokenized or two lists coded, or before its file is synced
 * (nothing of it committed: index_update returns 0); a merge of segments under
 * way stops between two of its lists, its file removed, the index as it was (answering
 * as before), and a later update merges. */
void index_set_cancel(struct text_index *ix, const atomic_bool *cancel);

/* Whether every article of the attached collection is indexed. */
bool index_fresh(const struct text_index *ix);

enum index_answer {
	INDEX_EXACT,	  /* hits are the answer, fields applied */
	INDEX_CANDIDATES, /* hits hold every match and maybe more: check each */
	INDEX_CANNOT,	  /* the index cannot narrow this query (one character, a regex
			   * without literals, fields alone): scan */
	INDEX_ERROR,	  /* why says what went wrong: scan */
};

/* A segment's part of a query runs on two threads, each on half of the blocks of its
 * rarest bigram's list (when it has more than one), when the lists it reads have at
 * least this many rows in all. */
#ifndef INDEX_SPLIT_ROWS
#define INDEX_SPLIT_ROWS 65536u
#endif

/* INDEX_SPLIT_ROWS, which tests and benchmarks may change (0: every list of more than
 * one block is split; SIZE_MAX: none) before a query. */
extern size_t index_split_rows;

/* For tests and benchmarks: a phrase's query reads the lists of all its bigrams, not
 * only of those that cover its characters (false, the default). */
extern bool index_cover_all;

/* The list positions, in order, of the attached collection's articles that q matches
 * (replacing *hits), as far as the index knows them (articles not indexed yet are not
 * in it). */
enum index_answer index_query(struct text_index *ix, const struct search *q, search_hits *hits,
			      char *why, size_t whylen);

/* Close the index (NULL is fine). */
void index_close(struct text_index *ix);

/* Bytes of the index's files (its manifest, its segments). */
uint64_t index_file_bytes(const char *path);

#endif
