/* SPDX-License-Identifier: GPL-3.0-or-later */
/* startup.h: how a run gets its collection: from the catalog of the paths when it is
 * sound, else the first files (the reader), else all of them; then the work left to do
 * beside the reader (a reload: check the catalog, load the rest, write the catalog) and
 * the upkeep of the cache directory. */
#ifndef XINWEN_STARTUP_H
#define XINWEN_STARTUP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "collection.h"
#include "loader.h"
#include "strbuf.h"

/* What the collection is loaded for. reader: the reader (the first files at once, the
 * rest and the catalog's check beside it, the cache directory's upkeep); scripted:
 * --list, --dump, --related, --check, --search, --index (the catalog only when sound
 * and its files unchanged); indexed: --search, --index (the search index found by the catalog's key);
 * canonical_names: the files loaded are named by their canonical paths (the reader,
 * --related, --index: what they write in the caches is named so), else as typed; cache_err: where a refused cache directory is said too, or
 * NULL; cache_days: for the upkeep (the config's cache-days). */
struct startup_opts {
	bool reader, scripted, indexed, canonical_names;
	/* the reader: from a catalog of more than part_above articles, only the first
	 * part_first (catalog_read_part) before the first screen, the rest beside it; 0:
	 * the whole catalog at once */
	size_t part_first, part_above;
	bool use_cache;
	FILE *cache_err;
	int cache_days;
	const struct load_opts *load;
};

/* The reader's part of a big catalog (startup_opts.part_first, part_above): the first
 * 2,000 articles of one of more than 100,000 (read whole, those take 50 ms or more). */
#define STARTUP_PART_FIRST 2000
#define STARTUP_PART_ABOVE 100000

/* The collection a run starts with, and what goes with it. */
struct startup {
	struct collection c;
	char *const *paths; /* the paths it is read by (canonical when a cache is used) */
	size_t npaths;
	bool from_stdin;    /* one of the paths is "-": read once, whole, not catalogued */
	bool use_cache;	    /* the options' use_cache, unless the cache directory is refused */
	bool indexed;	    /* the search index may be looked for, by key */
	uint64_t key;	    /* the catalog's (and search index's) key; 0: none */
	char *catalog;	    /* the catalog's file, or NULL */
	struct strbuf note; /* what the status line says first (a damaged catalog...) */
	struct reload *first_reload;  /* the reader's work beside it, or NULL */
	struct cachedir_sweep *sweep; /* the cache directory's upkeep, or NULL */
	char **canon;
	char *const *typed; /* the paths as given */
};

/* The first half of startup_load: s's paths, key and catalog's file (s is
 * overwritten; nothing is loaded yet). */
void startup_begin(struct startup *s, char *const *paths, size_t n, const struct startup_opts *o);

/* The second half of startup_load, for s begun with the same o: load its collection. */
void startup_load_begun(struct startup *s, const struct startup_opts *o);

/* Load the collection of paths[0..n) into s as o says (s is overwritten; free it with
 * startup_free). */
void startup_load(struct startup *s, char *const *paths, size_t n, const struct startup_opts *o);

/* Stop the reload and the upkeep and free what s holds. */
void startup_free(struct startup *s);

#endif
