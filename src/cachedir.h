/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cachedir.h: the upkeep of the cache directory ($XDG_CACHE_HOME/xinwen): its
 * CACHEDIR.TAG, the removal of the caches of collections not opened for a while, and
 * what --cache lists and clears. */
#ifndef XINWEN_CACHEDIR_H
#define XINWEN_CACHEDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* How many days the caches of a collection not opened are kept (set cache-days). */
#define CACHEDIR_DEFAULT_DAYS 30

/* How old a temporary file left by a writer that was killed must be to be removed. */
#define CACHEDIR_TMP_DAYS 1

/* The kinds of files the reader keeps in its cache directory. */
enum cache_kind {
	CACHE_CATALOG,
	CACHE_SIMILAR,
	CACHE_INDEX, /* a search index (index-*.db) or a file SQLite keeps beside it */
	CACHE_TMP,
	CACHE_OTHER
};

/* One file of the cache directory. */
struct cache_file {
	char *name; /* its name in the directory (untrusted) */
	enum cache_kind kind;
	uint64_t size; /* bytes */
	time_t used;   /* when last written or opened: the later of its modification and
			* access times (cachedir_touch sets the access time) */
};

/* The cache directory's files, sorted by name (CACHEDIR.TAG left out). */
struct cache_listing {
	char *dir; /* the directory, or NULL when there is none */
	struct cache_file *v;
	size_t n;
};

/* The cache directory (a new string), or NULL when neither XDG_CACHE_HOME (absolute)
 * nor HOME is set. */
char *cachedir_path(void);

/* Put a CACHEDIR.TAG (bford.info/cachedir) in the cache directory, made when missing,
 * so that backup tools skip it; true when it is there. */
bool cachedir_tag(void);

/* Mark the cache file path as opened now (its access time, so that its modification
 * time still says when it was written) so that expiry keeps it; nothing when it does
 * not exist. */
void cachedir_touch(const char *path);

/* Remove the catalogs, similar-stories and search indexes not written or opened since days days
 * before now, and the temporary files older than CACHEDIR_TMP_DAYS; never follows a
 * symlink, removes only regular files. days <= 0: only the temporary files. Returns
 * how many files were removed. */
size_t cachedir_expire(int days, time_t now);

/* The upkeep at start, on a thread of its own (never the drawing one): touch each of
 * the paths keep[0..n) (the caches of the collection being opened), write the tag,
 * expire the others (cachedir_expire with days). Returns NULL when no thread could be
 * started (the upkeep is skipped). */
struct cachedir_sweep *cachedir_sweep_start(int days, char *const *keep, size_t n);

/* Wait for the upkeep to end and free it; s may be NULL. */
void cachedir_sweep_join(struct cachedir_sweep *s);

/* Read the cache directory's listing into l; false (errno set) when it exists but
 * cannot be read; an absent directory is an empty listing. */
bool cachedir_list(struct cache_listing *l);

/* Free what a listing holds. */
void cachedir_listing_free(struct cache_listing *l);

/* Remove every file of the listing's kinds CACHE_CATALOG, CACHE_SIMILAR, CACHE_INDEX and CACHE_TMP
 * (not the tag, nor files of other names); returns how many, *failed those that could
 * not be removed. */
size_t cachedir_clear(const struct cache_listing *l, size_t *failed);

#endif
