/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar_cache.h: the similar-stories index kept on disk under $XDG_CACHE_HOME/xinwen/,
 * so that a collection opened again is not indexed again, and a changed one is updated,
 * not indexed again. The file is mapped, not read: a query checks the bytes it touches
 * (checksums, offsets, numbers) when it first touches them. */
#ifndef XINWEN_SIMILAR_CACHE_H
#define XINWEN_SIMILAR_CACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "collection.h"
#include "similar.h"

enum similar_cache_status {
	SIMILAR_CACHE_OK,      /* loaded */
	SIMILAR_CACHE_MISSING, /* no file (or it cannot be read) */
	SIMILAR_CACHE_STALE,   /* a sound file for another state of the collection */
	SIMILAR_CACHE_CORRUPT, /* damaged: truncated, overwritten, inconsistent */
};

/* What the index of c is computed from, hashed: each article's title and lead in list
 * order, the index's parameters and format, and whether Traditional/Simplified folding
 * is on. A changed article changes the key. */
uint64_t similar_cache_key(const struct collection *c);

/* The cache file of collection c (malloc'd): $XDG_CACHE_HOME/xinwen/, else
 * ~/.cache/xinwen/, then "similar-" and a hash of the paths of its files (of its
 * articles when it has none), whatever they hold; NULL when neither XDG_CACHE_HOME
 * (absolute) nor HOME is set. */
char *similar_cache_path(const struct collection *c);

/* Map the index saved at path, whatever state of its collection it was made for
 * (*key: that state's similar_cache_key): SIMILAR_CACHE_OK with *ix set, or why not; for
 * a corrupt file, why holds a message. Only its header, size and checksum table are
 * read; the rest is checked as it is used (similar_index_damage). */
enum similar_cache_status similar_cache_open(const char *path, struct similar_index **ix,
					     uint64_t *key, char *why, size_t whylen);

/* Map the index saved at path for key, for n articles: SIMILAR_CACHE_OK with *ix set,
 * or why not (another key: stale); for a corrupt file, why holds a message. */
enum similar_cache_status similar_cache_load(const char *path, uint64_t key, size_t n,
					     struct similar_index **ix, char *why, size_t whylen);

/* Save ix (built in memory, not mapped) for key at path, creating its directory:
 * written to a temporary file in the same directory, fsynced, then renamed over path.
 * Returns false (errno set) on failure. */
bool similar_cache_save(const char *path, uint64_t key, const struct similar_index *ix);

/* The index of c from its cache file when that is sound and current, else NULL (a
 * corrupt file is reported on err as "PATH: message"); nothing is built. */
struct similar_index *similar_index_kept(const struct collection *c, FILE *err);

/* The index of c: with use_cache, from its cache file when that is sound and current,
 * else built (updated from the file when it is another state's) and saved (a corrupt
 * file is reported on err as "PATH: message"); without, built. A build for more than
 * say_above articles (minutes at millions) is said on err first. */
struct similar_index *similar_index_cached(const struct collection *c, bool use_cache,
					   size_t say_above, FILE *err);

/* similar_query of *ix, the index of c; when *ix, mapped, turns out damaged, that is
 * reported on err as "PATH: message", and *ix built again (saved with use_cache) and
 * asked again. */
size_t similar_cache_query(struct similar_index **ix, const struct collection *c, bool use_cache,
			   size_t article, struct similar_hit *out, size_t k, FILE *err);

#endif
