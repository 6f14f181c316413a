/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reload.c: the catalog's work on a thread beside the reader (reload.h). */
#include <config.h>

#include "reload.h"
#include "i18n.h"

#include <errno.h>
#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "job.h"
#include "loader.h"
#include "log.h"
#include "strbuf.h"

struct reload {
	struct job job; /* work; cancelled: the reader is quitting: stop loading, write nothing */
	bool begun;
	const struct collection *c; /* for RELOAD_REST, once read: the whole catalog */
	enum reload_kind kind;
	struct collection *whole;    /* RELOAD_REST: the whole catalog, read (then c) */
	size_t part_total;	     /* RELOAD_REST: the articles of the whole catalog */
	char rebuilt[200];	     /* RELOAD_REST: why the whole catalog could not be read */
	atomic_size_t loaded;	     /* files loaded, for RELOAD_LOAD */
	atomic_uint_least64_t bytes; /* bytes read, for RELOAD_LOAD */
	atomic_size_t records;	     /* records of streamed files read, for RELOAD_LOAD */
	uint64_t first_bytes, total; /* reload_track_bytes */
	size_t first_records;
	char **paths;
	size_t n;
	struct load_opts o;
	uint64_t key;
	char *file;
	struct collection *fresh; /* the files as they are now, when they changed */
	char what[256];
	/* fresh and what are final: the reader may take them while the catalog is written
	 * (from fresh, which neither side changes) */
	atomic_bool ready;
	char late[256]; /* the catalog's writing failed after ready (reload_take_late) */
	bool late_taken;
	/* fresh read back from the catalog written of it, when it holds more than
	 * light_above articles (reload_lighter), and whether the reader took it */
	struct collection *light;
	size_t light_above;
	bool light_taken;
	struct collection *dropped; /* fresh, once light is shown: freed by the job */
	atomic_bool reading_back;   /* the catalog is written: quitting stops the rest */
};

/* Read r->fresh back from the catalog just written of it, when it is big enough to be
 * worth it (light_above): the same list, whose articles are made when first asked for,
 * for the reader to take instead (reload_lighter); nothing when the catalog cannot be
 * read back whole and sound. */
static void read_back(struct reload *r)
{
	struct strbuf why = {0};
	struct collection *light = xmalloc(sizeof *light);

	collection_init(light);
	enum catalog_status s = catalog_read_unless(light, r->key, r->file, &r->job.cancel, &why);
	if (s == CATALOG_OK && catalog_made_from(light, r->paths, r->n) &&
	    collection_count(light) == collection_count(r->fresh) && catalog_verify(light)) {
		r->light = light;
	} else {
		log_debug("catalog %s: not read back (%s)", r->file, why.s ? why.s : "changed");
		collection_free(light);
		free(light);
	}
	sb_free(&why);
}

/* Write c's catalog; a failure is said in r->what, or in r->late once the result is
 * ready (the reader may be reading what). When c is r->fresh and its catalog is
 * written, read it back (read_back). */
static void write_catalog(struct reload *r, const struct collection *c)
{
	const char *failed;
	bool ready = atomic_load(&r->ready);

	/* A collection of nothing is no use to start from (the files may just be away: a
	 * share not mounted yet), and it would hide them once they are back. */
	if (!c || !r->file || job_cancelled(&r->job) || !catalog_can_hold(c) ||
	    collection_count(c) == 0)
		return;
	failed = catalog_write(c, r->key, r->file);
	char *said = ready ? r->late : r->what;
	size_t size = ready ? sizeof r->late : sizeof r->what;
	if (failed)
		snprintf(said, size, "%s: %s: %s", r->file, failed, strerror(errno));
	log_debug("catalog %s: %s", r->file, failed ? said : "written");
	if (!failed && c == r->fresh && collection_count(c) > r->light_above) {
		atomic_store(&r->reading_back, true);
		if (!job_cancelled(&r->job))
			read_back(r);
	}
}

bool reload_files_unchanged(const struct collection *c, char *const *paths, size_t n,
			    const struct load_opts *o)
{
	struct collection now;
	bool same;

	collection_init(&now);
	for (size_t i = 0; i < n; i++)
		loader_list_files(&now, paths[i], o);
	same = catalog_same_files(c, &now);
	collection_free(&now);
	return same;
}

/* Whether the files are still those r's collection was loaded from (stat only; false
 * when the listing is given up: the reader is quitting). */
static bool files_unchanged(struct reload *r)
{
	struct load_opts o = r->o;

	o.cancel = &r->job.cancel;
	return reload_files_unchanged(r->c, r->paths, r->n, &o) && !job_cancelled(&r->job);
}

/* Load the collection again, reusing what the catalog says of unchanged files unless
 * the catalog is damaged or there is none (a first load's r->c is no catalog's). */
static void load_changed(struct reload *r, bool damaged)
{
	bool reusing = (r->kind == RELOAD_CHECK || r->kind == RELOAD_REST) && !damaged;
	struct catalog_reuse *reuse = reusing ? catalog_reuse_new(r->c) : NULL;
	struct load_opts o = r->o;

	o.reuse = reusing ? catalog_reuse : NULL;
	o.reuse_tail = reusing ? catalog_reuse_tail : NULL;
	o.reuse_member = reusing ? catalog_reuse_member : NULL;
	o.reuse_ctx = reuse;
	o.loaded = &r->loaded;
	o.bytes = &r->bytes;
	o.records = &r->records;
	o.cancel = &r->job.cancel;
	r->fresh = xmalloc(sizeof *r->fresh);
	collection_init(r->fresh);
	for (size_t i = 0; i < r->n && !job_cancelled(&r->job); i++)
		loader_load_path_opts(r->fresh, r->paths[i], &o);
	catalog_reuse_free(reuse);
	if (job_cancelled(&r->job)) { /* incomplete: of no use */
		collection_free(r->fresh);
		free(r->fresh);
		r->fresh = NULL;
		return;
	}
	collection_finish(r->fresh);
	size_t was = collection_count(r->c), now = collection_count(r->fresh);
	/* Links to stories outside the collection are normal; broken files are not. */
	size_t errors = collection_problems(r->fresh);
	int n;
	if (r->kind == RELOAD_LOAD && r->total) {
		struct strbuf count = {0};
		sb_put_count(&count, now);
		n = snprintf(r->what, sizeof r->what, _("Loaded all %s articles"), count.s);
		sb_free(&count);
	} else if (r->kind == RELOAD_LOAD)
		n = snprintf(r->what, sizeof r->what, _("Loaded all %zu files"),
			     (size_t)atomic_load(&r->loaded));
	else if (damaged && r->rebuilt[0])
		n = snprintf(r->what, sizeof r->what, _("%s: %s: rebuilt"), r->file, r->rebuilt);
	else if (damaged && catalog_damaged(r->c))
		n = snprintf(r->what, sizeof r->what,
			     _("The catalog was cut short while in use: loaded from the files"));
	else if (damaged)
		n = snprintf(r->what, sizeof r->what, _("%s: strings checksum mismatch: rebuilt"),
			     r->file);
	else
		n = snprintf(r->what, sizeof r->what,
			     _("The files changed since last time: %zu articles now (%s%zu)"), now,
			     now >= was ? "+" : "-", now >= was ? now - was : was - now);
	if (errors && n > 0 && (size_t)n < sizeof r->what)
		snprintf(r->what + n, sizeof r->what - (size_t)n,
			 ngettext("; %zu problem while loading: xinwen --check",
				  "; %zu problems while loading: xinwen --check", errors),
			 errors);
	log_debug("reload: %s", r->what);
}

/* RELOAD_CHECK's work on r->c: check its strings and its files, and load what changed
 * (all, when its strings are damaged). */
static void check_catalog(struct reload *r)
{
	bool damaged = !catalog_verify(r->c);
	bool unchanged = !damaged && files_unchanged(r);

	log_debug("reload: the catalog's strings %s, its files %s", damaged ? "damaged" : "sound",
		  damaged     ? "not checked"
		  : unchanged ? "unchanged"
			      : "changed");
	if (!unchanged) {
		load_changed(r, damaged);
		atomic_store(&r->ready, true);
		write_catalog(r, r->fresh);
	}
}

/* RELOAD_REST's: read the whole catalog the part r->c was read from (checking all of
 * it) and check that as RELOAD_CHECK does; when it cannot be read (damaged, or changed
 * since the part was read), load the files. */
static void read_rest(struct reload *r)
{
	struct strbuf why = {0};
	struct collection *whole = xmalloc(sizeof *whole);

	collection_init(whole);
	enum catalog_status s = catalog_read_unless(whole, r->key, r->file, &r->job.cancel, &why);
	bool ours = s == CATALOG_OK && catalog_made_from(whole, r->paths, r->n);
	if (s == CATALOG_CANCELLED) { /* the reader is quitting */
		collection_free(whole);
		free(whole);
	} else if (ours) {
		r->whole = whole;
		r->c = whole;
		check_catalog(r);
	} else {
		collection_free(whole);
		free(whole);
		snprintf(r->rebuilt, sizeof r->rebuilt, "%s",
			 s == CATALOG_CORRUPT && why.s ? why.s : _("changed while it was read"));
		load_changed(r, true);
		atomic_store(&r->ready, true);
		write_catalog(r, r->fresh);
	}
	sb_free(&why);
}

static void work(void *arg)
{
	struct reload *r = arg;

	if (r->kind == RELOAD_WRITE) {
		write_catalog(r, r->c);
	} else if (r->kind == RELOAD_LOAD) {
		load_changed(r, false);
		atomic_store(&r->ready, true); /* the whole list shown while it is written */
		write_catalog(r, r->fresh);
	} else if (r->kind == RELOAD_REST) {
		read_rest(r);
	} else {
		check_catalog(r);
	}
}

struct reload *reload_start(const struct collection *c, enum reload_kind kind, char *const *paths,
			    size_t n, const struct load_opts *o, uint64_t key, const char *file)
{
	struct reload *r = xcalloc(1, sizeof *r);

	r->c = c;
	r->kind = kind;
	atomic_init(&r->loaded, 0);
	atomic_init(&r->bytes, 0);
	atomic_init(&r->records, 0);
	atomic_init(&r->ready, false);
	atomic_init(&r->reading_back, false);
	r->paths = xcalloc(n + 1, sizeof *r->paths);
	for (size_t i = 0; i < n; i++)
		r->paths[i] = xstrdup(paths[i]);
	r->n = n;
	r->o = *o;
	r->o.reuse = NULL;
	r->o.max_files = 0;
	r->o.max_bytes = 0;
	r->key = key;
	r->file = file ? xstrdup(file) : NULL;
	r->light_above = RELOAD_READ_BACK_ABOVE;
	return r;
}

void reload_read_back_above(struct reload *r, size_t above)
{
	r->light_above = above;
}

const struct collection *reload_lighter(struct reload *r)
{
	return r && job_done(&r->job) && !r->light_taken ? r->light : NULL;
}

/* The job of reload_drop_loaded: free the collection loaded, and give its memory back
 * to the system (millions of small blocks the allocator would keep). */
static void drop(void *arg)
{
	struct reload *r = arg;

	collection_free(r->dropped);
	free(r->dropped);
	r->dropped = NULL;
#ifdef HAVE_MALLOC_TRIM
	malloc_trim(0);
#endif
}

void reload_drop_loaded(struct reload *r)
{
	job_join(&r->job); /* done (reload_lighter): returns at once */
	r->light_taken = true;
	r->dropped = r->fresh;
	r->fresh = r->light;
	job_start(&r->job, "reload drop", drop, r); /* no thread to be had: done here */
}

void reload_begin(struct reload *r)
{
	if (r->begun)
		return;
	r->begun = true;
	static const char *const names[] = {
		[RELOAD_WRITE] = "reload write",
		[RELOAD_CHECK] = "reload check",
		[RELOAD_LOAD] = "reload load",
		[RELOAD_REST] = "reload rest",
	};
	job_start(&r->job, names[r->kind], work, r); /* no thread to be had: done here */
}

bool reload_again(struct reload *r)
{
	if (!job_done(&r->job) || r->fresh || r->kind == RELOAD_LOAD ||
	    (r->kind == RELOAD_REST && !r->whole))
		return false;
	job_join(&r->job);
	r->kind = RELOAD_CHECK; /* of the catalog's collection, which is found damaged */
	r->begun = false;
	r->what[0] = '\0';
	atomic_store(&r->ready, false);
	return true;
}

void reload_track_part(struct reload *r, size_t total)
{
	r->part_total = total;
}

void reload_track_bytes(struct reload *r, uint64_t bytes, uint64_t total, size_t records)
{
	r->first_bytes = bytes;
	r->total = total;
	r->first_records = records;
}

bool reload_loading(struct reload *r, struct reload_progress *p)
{
	uint64_t bytes = atomic_load(&r->bytes);
	size_t records = atomic_load(&r->records);

	p->files = atomic_load(&r->loaded);
	p->total = r->total;
	p->bytes = bytes > r->first_bytes ? bytes : r->first_bytes;
	if (p->bytes > p->total)
		p->bytes = p->total;
	p->records = records > r->first_records ? records : r->first_records;
	p->articles = r->part_total;
	return (r->kind == RELOAD_LOAD || r->kind == RELOAD_REST) && !reload_ready(r);
}

bool reload_done(struct reload *r)
{
	return job_done(&r->job);
}

bool reload_writing(struct reload *r)
{
	return r && atomic_load(&r->ready) && !job_done(&r->job) && !atomic_load(&r->reading_back);
}

bool reload_ready(struct reload *r)
{
	return atomic_load(&r->ready) || job_done(&r->job);
}

bool reload_settled(const struct reload *r)
{
	return !r || (job_done(&r->job) && (!r->late[0] || r->late_taken));
}

const char *reload_take_late(struct reload *r)
{
	if (!r || r->late_taken || !job_done(&r->job) || !r->late[0])
		return NULL;
	r->late_taken = true;
	return r->late;
}

const struct collection *reload_result(struct reload *r, const char **what)
{
	*what = r->what;
	return r->fresh ? r->fresh : r->kind == RELOAD_REST ? r->whole : NULL;
}

void reload_free(struct reload *r)
{
	if (!r)
		return;
	/* loading stops; a catalog being written is finished (that of a collection shown
	 * too: quitting leaves it for the next start) */
	if (!atomic_load(&r->ready) || atomic_load(&r->reading_back))
		job_cancel(&r->job);
	job_join(&r->job);
	for (size_t i = 0; i < r->n; i++)
		free(r->paths[i]);
	free(r->paths);
	free(r->file);
	if (r->fresh) {
		collection_free(r->fresh);
		free(r->fresh);
	}
	if (r->whole) {
		collection_free(r->whole);
		free(r->whole);
	}
	if (r->light && !r->light_taken) { /* taken, it is fresh, freed above */
		collection_free(r->light);
		free(r->light);
	}
	free(r);
}
