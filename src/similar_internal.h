/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar_internal.h: the similar-stories index's layout, shared by similar.c and
 * similar_cache.c; not for other modules. */
#ifndef XINWEN_SIMILAR_INTERNAL_H
#define XINWEN_SIMILAR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "collection.h"
#include "similar.h"

/* What a mapped index keeps of its file (similar_map.c). */
struct similar_map {
	unsigned char *base; /* the file, mapped */
	size_t size;
	int slot;		  /* its watch for being cut short (mapwatch.h) */
	size_t payload;		  /* where the chunks start */
	size_t total;		  /* the index's terms in vectors (its postings as many) */
	const uint64_t *sums;	  /* the checksum of each SIMILAR_CHUNK bytes from payload */
	unsigned char *chunk_ok;  /* bit per chunk: its checksum checked */
	unsigned char *vector_ok; /* bit per article: its vector checked */
	unsigned char *post_ok;	  /* bit per term: its postings checked */
	bool ident_ok, tkey_ok, counts_ok;
	size_t narticles, nterms; /* the bits of vector_ok and post_ok */
	size_t touched;	  /* bytes of the chunks checked since the map's pages were given back */
	uint64_t key;	  /* the state of the collection it was made for */
	char damage[160]; /* the first problem found; empty while sound */
};

/* The owner of a term found in more than one article, or in none left. */
#define SIMILAR_NO_OWNER UINT32_MAX

/* Bytes a checksum of the file covers: a first touch of a chunk reads it whole. */
#ifndef SIMILAR_CHUNK
#define SIMILAR_CHUNK ((size_t)64 << 10)
#endif

/* Bytes of a map's chunks queries may leave in memory: once more were read since the
 * last time, its pages are given back after the query (similar_map_trim). At 2.5M
 * articles a query reads about 20 MB of chunks (the map is made a page at a time,
 * fileio_small_pages, so that is about what it maps). */
#ifndef SIMILAR_RESIDENT
#define SIMILAR_RESIDENT ((size_t)16 << 20)
#endif

/* SIMILAR_RESIDENT, which tests may change (0: given back after every query). */
extern size_t similar_resident;

/* Give back the pages of map m once similar_resident bytes of its chunks were read since
 * the last time (a query at millions of articles reads tens of megabytes of postings:
 * the reader's memory would grow by the file's size as it is browsed): they are read
 * again from the page cache when next used, and checked again (its marks cleared),
 * since the file may have changed in between. */
void similar_map_trim(struct similar_map *m);

/* Whether the chunks of the map m holding bytes [p, p + n) check out (each checked on
 * its first touch); false (m damaged) when one does not. */
bool similar_map_touch(struct similar_map *m, const void *p, size_t n);

/* The index, built in memory or mapped from its cache file (then map is set, every
 * array points into the map and what a query touches is checked when it touches it:
 * similar_map_vector, similar_map_postings). */
struct similar_index {
	size_t n;	 /* articles */
	size_t *vstart;	 /* article i's terms are vterm/vw[vstart[i], vstart[i + 1]) */
	uint32_t *vterm; /* ascending within an article */
	float *vw;	 /* divided by the norm of all the article's weights */
	size_t nterms;
	size_t *pstart; /* term t's postings are pdoc/pw[pstart[t], pstart[t + 1]) */
	uint32_t *pdoc; /* ascending within a term */
	float *pw;
	/* What an update needs (similar_build_update): each article's identity, each
	 * term's bigram, in how many articles it was found (at least 1) and, when in one
	 * only, which (else SIMILAR_NO_OWNER), and how many articles updates added or
	 * removed since the index was built whole. NULL when not kept. */
	struct content_id *ident;
	uint64_t *tkey;
	uint32_t *df;
	uint32_t *owner;
	size_t drift;
	struct similar_map *map; /* NULL: built in memory */
};

/* Bytes of an article's body that go into its vector (at most SIMILAR_LEAD_BYTES, cut at
 * the start of a character). */
size_t similar_lead(struct str body);

/* Of a mapped index: article i's vector range [*from, *to) once its bytes check out
 * (offsets, terms ascending and < nterms, weights in (0, 1], checksums); false when
 * they do not (the index is then damaged). */
bool similar_map_vector(const struct similar_index *ix, size_t i, size_t *from, size_t *to);

/* Of a mapped index: term t's postings range, as similar_map_vector. */
bool similar_map_postings(const struct similar_index *ix, size_t t, size_t *from, size_t *to);

/* Of a mapped index: its terms' article counts and owners, checked (counts > 0, owners
 * < n or SIMILAR_NO_OWNER); false when damaged. */
bool similar_map_counts(const struct similar_index *ix);

/* Of a mapped index: the identities of its articles, checked; NULL when damaged. */
const struct content_id *similar_map_idents(const struct similar_index *ix);

/* Of a mapped index: the bigram of term t, checked (t < nterms); false when damaged. */
bool similar_map_tkey(const struct similar_index *ix, size_t t, uint64_t *key);

/* What every index file is made with, hashed: the format, the index's parameters,
 * the folding (a file of others is stale). */
uint64_t similar_cache_params(void);

/* Unmap and free what the map holds (similar_index_free). */
void similar_map_free(struct similar_map *m);

#endif
