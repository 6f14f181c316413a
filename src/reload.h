/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reload.h: loading beside the reader, on a thread of its own: the whole collection
 * after a first screen drawn from its first files, the catalog of a collection just
 * loaded, or the check of a collection read from its catalog against the files, loading
 * what changed. */
#ifndef XINWEN_RELOAD_H
#define XINWEN_RELOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collection.h"
#include "format.h"

struct reload;

/* What there is to do for the collection the reader starts with. */
enum reload_kind {
	RELOAD_WRITE, /* it is complete: write its catalog */
	RELOAD_CHECK, /* it was read from the catalog: check the catalog's strings and the
			* files, and load what changed */
	RELOAD_LOAD,  /* it holds the first files only: load them all */
	RELOAD_REST,  /* it holds the first articles of its catalog only (catalog_read_part):
			* read the whole catalog and check it as RELOAD_CHECK does; the
			* result is the whole (or the files loaded, when they changed) */
};

/* Prepare the work for c (finished; it must outlive the reload), loaded from
 * paths[0..n) with o; file: its catalog (key: catalog_key), or NULL for none. */
struct reload *reload_start(const struct collection *c, enum reload_kind kind, char *const *paths,
			    size_t n, const struct load_opts *o, uint64_t key, const char *file);

/* How far loading the whole collection has come. */
struct reload_progress {
	size_t files;	       /* files loaded */
	uint64_t bytes, total; /* bytes read of total; total 0: unknown (counted by files) */
	size_t records;	       /* records (lines) of streamed files read */
	size_t articles;       /* RELOAD_REST: the articles of the whole catalog */
};

/* Whether it is loading the whole collection (RELOAD_LOAD, RELOAD_REST), and how far it
 * is (*p). */
bool reload_loading(struct reload *r, struct reload_progress *p);

/* Count the progress of RELOAD_LOAD in bytes of total (the size of the files): the
 * first screen's collection was read from bytes of them and holds records records,
 * which it shows until loading passes them. */
void reload_track_bytes(struct reload *r, uint64_t bytes, uint64_t total, size_t records);

/* For RELOAD_REST: the whole catalog holds total articles (said while it is read). */
void reload_track_part(struct reload *r, size_t total);

/* Start the work on its thread, unless started already (reload_start only prepares it,
 * so that the first screen is drawn before it competes for the processor). */
void reload_begin(struct reload *r);

/* Once done, when the reader still shows the collection it was started for (no files
 * changed), and that collection was read from a catalog: do the check again (the
 * catalog was found cut short under the reader, catalog_damaged), so that the files
 * are loaded; reload_begin starts it. False when there is nothing to do again. */
bool reload_again(struct reload *r);

/* Whether the work is over (never waits); then reload_free does not wait either. */
bool reload_done(struct reload *r);

/* Whether its result can be taken (never waits): the work is over, or the files are
 * loaded and only their catalog is left to write, from the result, which neither the
 * writer nor the reader changes. */
bool reload_ready(struct reload *r);

/* Whether it is writing the catalog of a collection taken from it (r may be NULL):
 * reload_free will wait for that. */
bool reload_writing(struct reload *r);

/* Once ready: the collection as the files are now, when they changed, or the whole
 * catalog of RELOAD_REST (the reload keeps owning it), else NULL; *what says what
 * changed or went wrong ("" when nothing). */
const struct collection *reload_result(struct reload *r, const char **what);

/* A collection loaded from the files (reload_result's) of more articles than this is
 * read back from the catalog written of it (reload_lighter): as the reader's part of a
 * big catalog (startup.h). */
#define RELOAD_READ_BACK_ABOVE 100000

/* Read back a collection loaded of more than above articles (RELOAD_READ_BACK_ABOVE
 * unless set; SIZE_MAX: never), before reload_begin. */
void reload_read_back_above(struct reload *r, size_t above);

/* Once done: the collection loaded (reload_result's), read back from the catalog written
 * of it: the same list, whose articles are made when first asked for (collection.h), to
 * be shown instead, giving back the memory of one article each (reload_drop_loaded);
 * NULL when there is none (not that big, the catalog not written or not read back), or
 * once taken. */
const struct collection *reload_lighter(struct reload *r);

/* The reader shows reload_lighter's collection now: free the one loaded, which
 * reload_result then gives no more (it gives the lighter one). */
void reload_drop_loaded(struct reload *r);

/* Once done: what went wrong writing the catalog after the result was ready, once (then
 * NULL); NULL when nothing did (r may be NULL). */
const char *reload_take_late(struct reload *r);

/* Whether the work is over and what went wrong is taken (r may be NULL). */
bool reload_settled(const struct reload *r);

/* Whether the files paths[0..n) lists as o says are still those c (read from a
 * catalog) was loaded from: the same names, each of the same stat (no file read). */
bool reload_files_unchanged(const struct collection *c, char *const *paths, size_t n,
			    const struct load_opts *o);

/* Stop the work (loading stops at the next file; a catalog being written is finished),
 * wait for it to end and free it (and the collection it made). */
void reload_free(struct reload *r);

#endif
