/* refresh.h: the catalog's work beside the reader, on a thread of its own: writing the
 * catalog of a collection just loaded, or checking a collection read from its catalog
 * against the files and loading what changed. */
#ifndef XINWEN_REFRESH_H
#define XINWEN_REFRESH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collection.h"
#include "format.h"

struct refresh;

/* Prepare the work for c (finished; it must outlive the refresh), loaded from
 * paths[0..n) with o. from_catalog: c was read from the catalog file, so check its
 * strings and its files, and load what changed; else write c to file. */
struct refresh *refresh_start(const struct collection *c, bool from_catalog,
			      char *const *paths, size_t n, const struct load_opts *o,
			      uint64_t key, const char *file);

/* Start the work on its thread, unless started already (refresh_start only prepares it,
 * so that the first screen is drawn before it competes for the processor). */
void refresh_begin(struct refresh *r);

/* Whether the work is over (never waits). */
bool refresh_done(struct refresh *r);

/* Once done: the collection as the files are now, when they changed (the refresh keeps
 * owning it), else NULL; *what says what changed or went wrong ("" when nothing). */
const struct collection *refresh_result(struct refresh *r, const char **what);

/* Wait for the work to end and free it (and the collection it made). */
void refresh_free(struct refresh *r);

#endif
