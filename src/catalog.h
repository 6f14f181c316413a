/* SPDX-License-Identifier: GPL-3.0-or-later */
/* catalog.h: an on-disk index of a loaded collection (titles, dates, sources, ids, the
 * link graph, identities, the files' stat and the list's other orders), so that a
 * collection opened before starts without reading its files, and is sorted without
 * reading its articles; the bodies stay in the files (lean loading). */
#ifndef XINWEN_CATALOG_H
#define XINWEN_CATALOG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collection.h"
#include "format.h"
#include "strbuf.h"

/* The file format's version: a catalog of another version is rebuilt, silently (12: a
 * numbered file named alone is THUCNews, as in a walk; one catalogued as native is read
 * again). */
#define CATALOG_VERSION 12u

enum catalog_status {
	CATALOG_OK,	   /* read: c holds the collection */
	CATALOG_MISSING,   /* no catalog yet */
	CATALOG_STALE,	   /* of another version or other load options: rebuild it */
	CATALOG_CORRUPT,   /* damaged (why says how): rebuild it */
	CATALOG_CANCELLED, /* catalog_read_unless gave up: c is empty */
};

/* The catalog file of key (catalog_key: of the paths made absolute and the options),
 * under $XDG_CACHE_HOME/xinwen (or ~/.cache/xinwen); a new string, or NULL when there
 * is no cache directory. */
char *catalog_path(uint64_t key);

/* Whether c (finished) can be kept in a catalog: every full article is of one of its
 * files, and not too many of them (a body not in its file, as one read in an encoding
 * detected, is kept in the catalog). */
bool catalog_can_hold(const struct collection *c);

/* Write finished collection c to file atomically (temporary file, fsync, rename); key
 * identifies the paths and options it was loaded from. Returns NULL, or the step that
 * failed with errno set. */
const char *catalog_write(const struct collection *c, uint64_t key, const char *file);

/* Read file into c (empty), a finished collection whose strings (and c->orders, the
 * list's orders) stay in the mapped file; every count, offset and index is checked, each
 * order found a permutation of the articles, and the checksums. */
enum catalog_status catalog_read(struct collection *c, uint64_t key, const char *file,
				 struct strbuf *why);

/* catalog_read, giving up (CATALOG_CANCELLED, c empty) soon after *cancel turns true
 * (cancel may be NULL). */
enum catalog_status catalog_read_unless(struct collection *c, uint64_t key, const char *file,
					const atomic_bool *cancel, struct strbuf *why);

/* catalog_read, for the reader's first screen: only the first `first` articles in list
 * order (the newest) and the articles they link to or are linked from, with their files
 * and members, when the catalog holds more than `above` (and `first`) articles (*total:
 * how many; 0 when it cannot be read); else, or when those links reach too many, the
 * whole. A part's articles, links and files are checked, not its checksums: read the
 * whole beside the reader (catalog_read), which checks them, and show that. */
enum catalog_status catalog_read_part(struct collection *c, uint64_t key, const char *file,
				      size_t first, size_t above, size_t *total,
				      struct strbuf *why);

/* Whether the strings of c, read by catalog_read, match their checksum (true for a
 * collection that was not read from a catalog). It reads them all: call it beside the
 * reader; a mismatch means the catalog is damaged and the files must be loaded. */
bool catalog_verify(const struct collection *c);

/* Whether c was read from a catalog (catalog_read, catalog_read_part). */
bool catalog_of(const struct collection *c);

/* The seal of the catalog c was read from (by catalog_read): its tables' and strings'
 * checksums checked in one pass over the whole file, and the checksum of each of its
 * slices appended to out, for catalog_view_seal; *identity: the catalog's (its header's
 * checksum). False when c was not read from a catalog or the catalog is damaged. */
bool catalog_seal(const struct collection *c, struct strbuf *out, uint64_t *identity);

/* The identity of the catalog c was read from (by catalog_read), as catalog_seal gives
 * it, without reading the catalog again; false when c was not read from a catalog or it
 * was found damaged. */
bool catalog_identity(const struct collection *c, uint64_t *identity);

/* A catalog mapped to read a few of its articles in place (--search from the index). */
struct catalog_view;

/* Map the catalog file of key and check its header and sizes (*out: NULL unless
 * CATALOG_OK). Nothing of its tables or strings is read until catalog_view_seal has
 * given the checksums of its slices: each slice is then checked as it is first read. */
enum catalog_status catalog_view_open(struct catalog_view **out, uint64_t key, const char *file,
				      struct strbuf *why);

/* Unmap w (NULL is fine): what it gave is gone. */
void catalog_view_close(struct catalog_view *w);

/* The catalog's identity (the checksum of its header, which holds the tables' and the
 * strings' checksums), as catalog_seal gives it. */
uint64_t catalog_view_identity(const struct catalog_view *w);

/* How many articles the catalog holds. */
size_t catalog_view_count(const struct catalog_view *w);

/* Take the seal (n bytes at seal, kept by the caller while w is open) made by
 * catalog_seal of this catalog; false when it is not of a file of this size. */
bool catalog_view_seal(struct catalog_view *w, const void *seal, size_t n);

/* A collection of the catalog's files alone (no article), checked, for
 * catalog_made_from and the files' stat; owned by w. NULL (why set) when damaged. */
const struct collection *catalog_view_files(struct catalog_view *w, struct strbuf *why);

/* The article at list position i, without its links, checked (every slice read, every
 * offset and index); valid until the next call. NULL (why set) when damaged. */
const struct article *catalog_view_article(struct catalog_view *w, size_t i, struct strbuf *why);

/* Whether the mapping of c, read by catalog_read, was cut short under the reader (the
 * file truncated by another program): its strings are then NULs from the cut on, and
 * the files must be loaded again. False for a collection not read from a catalog. */
bool catalog_damaged(const struct collection *c);

/* Whether every file of c (read from a catalog) is one of roots[0..n) or under one of
 * them (with no "." or ".." component on the way), each an absolute canonical path
 * (realpath): a catalog is used only for the paths it was made from. */
bool catalog_made_from(const struct collection *c, char *const *roots, size_t n);

/* The key of loading paths[0..n) with o (what catalog_path's name is made of). */
uint64_t catalog_key(char *const *paths, size_t n, const struct load_opts *o);

/* Whether the files listed now (c->files of a listing, loader_list_files) are the ones
 * old was loaded from: the same names in the same order, each of the same device,
 * inode, size, modification and change times. */
bool catalog_same_files(const struct collection *old, const struct collection *now);

/* What catalog_reuse looks files up in: a finished collection's files by name, and the
 * articles and problems of each. */
struct catalog_reuse;

/* Index old (which must outlive the result) for catalog_reuse. */
struct catalog_reuse *catalog_reuse_new(const struct collection *old);

/* Free what catalog_reuse_new made. */
void catalog_reuse_free(struct catalog_reuse *r);

/* For load_opts.reuse (ctx: a struct catalog_reuse): when path was loaded before and its
 * stat st is unchanged, fill part with copies of the articles (taking id and alt_id, as
 * loading gives them) and problems it gave then, as loading it again would, and return
 * true. Safe on several threads at once. */
bool catalog_reuse(void *ctx, const char *path, const char *id, const char *alt_id,
		   const struct stat *st, struct collection *part);

/* For load_opts.reuse_tail (ctx: a struct catalog_reuse): when the JSON Lines file path
 * (open as fd, of stat st) was loaded before, whole, and has only grown since (the same
 * device and inode, larger, the same last bytes before its old end), add to part (its
 * file begun) copies of the articles and problems that load gave, in file order, set
 * *from to its old size and *lines to its lines then, and return true. Safe on several
 * threads at once. */
bool catalog_reuse_tail(void *ctx, const char *path, int fd, const struct stat *st,
			struct collection *part, uint64_t *from, size_t *lines);

/* For load_opts.reuse_member (ctx: a struct catalog_reuse): when the zip archive archive
 * was loaded before with a member of m's name, CRC-32, sizes, method and time that gave
 * articles and no problem (nothing said of display), add to c copies of its articles
 * (now read from m, taking id and alt_id when it was one article) and return true. Safe
 * on several threads at once. */
bool catalog_reuse_member(void *ctx, const char *archive, const char *display,
			  const struct archive_member *m, const char *id, const char *alt_id,
			  struct collection *c);

#endif
