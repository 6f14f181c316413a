/* SPDX-License-Identifier: GPL-3.0-or-later */
/* startup.c: the loading policy at start (startup.h): the catalog when it can be
 * trusted, else the files (the reader: the first FIRST_SCREEN_FILES of them at once),
 * then a reload beside the reader. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "cachedir.h"
#include "catalog.h"
#include "fileio.h"
#include "format.h"
#include "i18n.h"
#include "log.h"
#include "reload.h"
#include "startup.h"
#include "text.h"
#include "xalloc.h"

/* How many files the reader loads before its first screen when it has no catalog; the
 * rest are loaded beside it (reload.h). */
#define FIRST_SCREEN_FILES 1000

/* How much of a big JSON Lines or SogouCS file the reader reads before its first screen
 * (about 4,000 news2016zh records), the rest beside it with its progress in bytes. */
#define FIRST_SCREEN_BYTES (16u << 20)

/* What the reader's first screen holds of a big streamed file read in part. */
struct first_part {
	bool by_bytes;	       /* every file is listed: the rest's progress counted in bytes */
	uint64_t bytes, total; /* the bytes read, the size of all the files */
};

/* Whether a file of c (loaded with at most max_bytes of each streamed file) was read
 * only in part; *read and *total: the bytes read and the size of all of c's files. */
static bool streams_cut(const struct collection *c, uint64_t max_bytes, uint64_t *read,
			uint64_t *total)
{
	bool cut = false;

	*read = *total = 0;
	for (size_t i = 0; i < c->files.n; i++) {
		const struct loaded_file *f = &c->files.v[i];
		bool part = format_streams((enum format)f->format) && f->size > max_bytes;

		*total += f->size;
		*read += part ? max_bytes : f->size;
		cut = cut || part;
	}
	return cut;
}

/* Whether one of the paths is "-", standard input. */
static bool reads_stdin(char *const *paths, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(paths[i], "-") == 0)
			return true;
	return false;
}

/* Read the catalog file (key: of the paths and options) into c: whole, or its first
 * part_first articles when it holds more than part_above (*total: how many it holds); a
 * damaged one is said in note (it is rebuilt), one of another version is rebuilt
 * silently. */
static bool read_catalog(struct collection *c, uint64_t key, const char *file,
			 const struct startup_opts *o, size_t *total, struct strbuf *note)
{
	struct strbuf why = {0};
	enum catalog_status s = o->part_first ? catalog_read_part(c, key, file, o->part_first,
								  o->part_above, total, &why)
					      : catalog_read(c, key, file, &why);

	if (s == CATALOG_CORRUPT)
		sb_printf(note, _("%s: %s: rebuilt"), file, why.s ? why.s : _("damaged"));
	sb_free(&why);
	return s == CATALOG_OK;
}

/* The cache directory checked (fileio_private_dir): false, with the reason in note
 * (and on err when not NULL), when it is refused and the cache is not to be used. */
static bool cache_usable(struct strbuf *note, FILE *err)
{
	char *dir = fileio_cache_dir();
	struct strbuf why = {0};
	bool ok = !dir || fileio_private_dir(dir, &why);

	if (!ok) {
		sb_printf(note, _("%s: no cache used"), why.s);
		if (err) {
			fputs("xinwen: ", err);
			text_put_safe(err, note->s, note->n);
			fputc('\n', err);
		}
	}
	sb_free(&why);
	free(dir);
	return ok;
}

/* The paths made absolute and canonical (realpath), as the caches keep them, so that
 * "data", "./data" and "data/" are one collection with one catalog; a path realpath
 * cannot resolve is kept as it is (loading it says what is wrong). */
static char **canonical_paths(char *const *paths, size_t n)
{
	char **out = xcalloc(n + 1, sizeof *out);

	for (size_t i = 0; i < n; i++) {
		out[i] = realpath(paths[i], NULL);
		if (!out[i])
			out[i] = xstrdup(paths[i]);
	}
	return out;
}

/* The catalog s->c was read from, when it is not to be trusted: one of nothing (the
 * files were away when it was written: a share not mounted yet) or of other paths, or,
 * in the script modes, one whose strings are damaged or whose files changed since. */
static bool distrusted(const struct startup *s, const struct startup_opts *o)
{
	const struct collection *c = &s->c;

	return collection_count(c) == 0 || !catalog_made_from(c, s->paths, s->npaths) ||
	       (o->scripted &&
		(!catalog_verify(c) || !reload_files_unchanged(c, s->paths, s->npaths, o->load)));
}

/* Load the files into s->c: for the reader the first FIRST_SCREEN_FILES of them and the
 * first FIRST_SCREEN_BYTES of a big streamed file (all of them when those hold no
 * article). Returns whether only the first were loaded; *part says how much of a big
 * file was. */
static bool load_files(struct startup *s, const struct startup_opts *o, struct first_part *part)
{
	struct collection *c = &s->c;
	bool some = o->reader && !s->from_stdin, first_only = false;
	struct load_opts first = *o->load;

	bool members_cut = false; /* an archive's members left out at max_files */
	first.cut_short = &members_cut;
	first.max_bytes = some ? FIRST_SCREEN_BYTES : 0;
	for (size_t i = 0; i < s->npaths && !first_only; i++) {
		first.max_files = some ? FIRST_SCREEN_FILES - c->files.n : 0;
		loader_load_path_opts(c, s->paths[i], &first);
		first_only = some && (c->files.n >= FIRST_SCREEN_FILES || members_cut);
	}
	/* a big file read in part: the rest beside the reader too; when every file is
	 * listed, its progress is counted in bytes */
	bool cut = first.max_bytes && streams_cut(c, first.max_bytes, &part->bytes, &part->total);
	part->by_bytes = cut && !first_only;
	first_only = first_only || cut;
	if (first_only && collection_count(c) == 0) { /* nothing to show yet: load it all */
		collection_free(c);
		for (size_t i = 0; i < s->npaths; i++)
			loader_load_path_opts(c, s->paths[i], o->load);
		first_only = false;
	}
	collection_finish(c);
	return first_only;
}

void startup_begin(struct startup *s, char *const *paths, size_t n, const struct startup_opts *o)
{
	memset(s, 0, sizeof *s);
	s->paths = paths;
	s->npaths = n;
	s->from_stdin = reads_stdin(paths, n);
	s->use_cache = o->use_cache;
	/* The reader checks the catalog beside its first screen; the script modes take it
	 * only when it is sound and the files have not changed; --search and --index find
	 * the search index by the same key. */
	bool cached_mode = !s->from_stdin && (o->reader || o->scripted);
	bool indexed_mode = !s->from_stdin && o->indexed;
	/* The caches hold canonical paths: a collection is read by those. */
	if (s->use_cache && (cached_mode || indexed_mode)) {
		s->use_cache = cache_usable(&s->note, o->cache_err);
		if (s->use_cache)
			s->paths = s->canon = canonical_paths(paths, n);
	}
	bool catalogued = s->use_cache && cached_mode;
	s->indexed = s->use_cache && indexed_mode;
	s->key = catalogued || s->indexed ? catalog_key(s->paths, n, o->load) : 0;
	s->catalog = catalogued ? catalog_path(s->key) : NULL;
	s->typed = paths;
	collection_init(&s->c);
}

void startup_load_begun(struct startup *s, const struct startup_opts *o)
{
	char *const *paths = s->typed;
	size_t n = s->npaths;
	size_t total = 0;
	bool from_catalog = s->catalog &&
			    read_catalog(&s->c, s->key, s->catalog, o, &total, &s->note);
	bool part = from_catalog &&
		    total > collection_count(&s->c); /* the rest beside the reader */
	if (from_catalog && distrusted(s, o)) {
		collection_free(&s->c);
		collection_init(&s->c);
		from_catalog = false;
	}
	bool first_only = false;
	struct first_part cut = {0};
	if (!from_catalog) {
		if (!o->canonical_names)
			s->paths = paths; /* the files read are named as typed */
		first_only = load_files(s, o, &cut);
	}
	log_debug("collection: %zu articles from %s%s", collection_count(&s->c),
		  from_catalog ? "the catalog" : "the files",
		  first_only || part ? " (the first ones: the rest beside the reader)" : "");
	/* The upkeep of the cache directory, beside the reader: this collection's catalog is
	 * marked opened (its index when read, similar_cache.c), the caches of collections not
	 * opened for cache-days removed. */
	if (o->reader && s->use_cache && !s->from_stdin)
		s->sweep = cachedir_sweep_start(o->cache_days, &s->catalog, 1);
	enum reload_kind kind = part	       ? RELOAD_REST
				: from_catalog ? RELOAD_CHECK
				: first_only   ? RELOAD_LOAD
					       : RELOAD_WRITE;
	if (o->reader && collection_count(&s->c) && (s->catalog || first_only))
		s->first_reload = reload_start(&s->c, kind, s->paths, n, o->load, s->key,
					       s->catalog);
	if (s->first_reload && kind == RELOAD_REST)
		reload_track_part(s->first_reload, total);
	if (s->first_reload && cut.by_bytes && kind == RELOAD_LOAD)
		reload_track_bytes(s->first_reload, cut.bytes, cut.total, collection_count(&s->c));
}

void startup_load(struct startup *s, char *const *paths, size_t n, const struct startup_opts *o)
{
	startup_begin(s, paths, n, o);
	startup_load_begun(s, o);
}

void startup_free(struct startup *s)
{
	reload_free(s->first_reload);
	for (size_t i = 0; s->canon && i < s->npaths; i++)
		free(s->canon[i]);
	free(s->canon);
	cachedir_sweep_join(s->sweep);
	free(s->catalog);
	sb_free(&s->note);
	collection_free(&s->c);
	memset(s, 0, sizeof *s);
}
