/* SPDX-License-Identifier: GPL-3.0-or-later */
/* catalog.c: the on-disk index of a loaded collection (catalog.h).
 *
 * A file is a header, then five arrays of fixed-size little-endian records and the
 * strings they point into:
 *
 *   header: magic, version, byte order, key, the arrays' counts, the strings' size,
 *           the unresolved-link count, the hashes of the tables and of the strings,
 *           the header's hash;
 *   files[nfiles], articles[narticles] (in list order), related[nrelated],
 *   diags[ndiags], members[nmembers] (of zip archives), backlinks[nbacklinks]
 *   (article numbers), orders[LISTORDER_WORDS(narticles)] (the list's other orders
 *   and groupings, listorder.h), strings[nstrings].
 *
 * (Every table of 8-byte-aligned records comes before the 4-byte backlinks and orders,
 * so that each starts aligned in the mapping.)
 *
 * Every string is an offset and a length into strings, followed there by a NUL (ids and
 * paths are used as C strings). The file is mapped, not read: titles are paged in as
 * they are drawn. Reading checks the header's and the tables' hashes (XXH64) and every
 * offset, count and index, so that nothing points outside the file, and that the
 * strings end with a NUL, so that every C string ends inside it; the strings' hash,
 * which would touch every page of them, is checked beside the reader (catalog_verify).
 *
 * The file is opened as every file of the cache is (fileio_open_own: never a FIFO or a
 * symlink), and a mapping that another program shrinks under the reader is caught (see
 * "A catalog truncated under the reader" below and doc/SECURITY.md). */
#include <config.h>

#include "catalog.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "decode.h"
#include "fileio.h"
#include "i18n.h"
#include "listorder.h"
#include "loader.h"
#include "log.h"
#include "mapwatch.h"
#include "marks.h"
#include "xxh64.h"

#define CATALOG_MAGIC "xinwenCT"
#define CATALOG_BYTE_ORDER UINT32_C(0x01020304)
#define NONE UINT32_MAX

struct header {
	char magic[8];
	uint32_t version, byte_order;
	uint64_t key;
	uint64_t nfiles, narticles, nrelated, nbacklinks, ndiags, nstrings;
	uint64_t nmembers;
	uint64_t unresolved;
	uint64_t tables_hash, strings_hash;
	uint64_t header_hash; /* of the fields above */
};

struct rstr {
	uint32_t off, len;
};

struct rfile {
	struct rstr path;
	uint32_t format;   /* enum format: what the file was read as */
	uint32_t encoding; /* enum decode_found: the encoding found in it */
	uint64_t dev, ino, size;
	int64_t mtime_ns, ctime_ns;
	uint64_t lines, tail_hash; /* loaded_file's */
};

struct rarticle {
	struct rstr id, title, date, source;
	struct rstr url;  /* empty when it has none */
	struct rstr body; /* an excerpt's; a full article's stays in its file but with
			   * RARTICLE_BODY_HERE */
	uint64_t body_len;
	uint64_t rec_off, rec_len; /* a record's bytes in its file (JSON Lines, SogouCS) */
	uint64_t ident_hi, ident_lo;
	uint32_t file; /* NONE for an excerpt */
	uint32_t kind;
	uint32_t related, nrelated;	/* into related[] */
	uint32_t backlinks, nbacklinks; /* into backlinks[] */
	uint32_t member;		/* into members[]: the archive member it is in, or NONE */
	uint32_t flags;			/* RARTICLE_* */
	struct rstr time;		/* empty when it has none (article.time) */
	uint32_t line;			/* article.line */
	uint32_t pad;
};

/* rarticle.flags: a full article's body is in the catalog (body), not read again from
 * its file: one whose text was kept in memory when loaded (read with --encoding). */
#define RARTICLE_BODY_HERE 1u

struct rmember {
	struct rstr name;
	uint64_t index, size, comp_size;
	int64_t mtime;
	uint64_t offset;
	uint32_t crc, method, format;
	uint32_t encoding; /* enum decode_found: the encoding found in it */
};

struct rrelated {
	struct rstr headline, snippet;
	uint64_t line;
	uint32_t target;
	uint32_t pad;
};

struct rdiag {
	struct rstr file, msg;
	uint64_t line;
	uint32_t file_no; /* NONE: found after loading (links) or while walking */
	uint32_t pad;
};

/* ---------------------------------------------------------------------------
 * Names and keys
 */

uint64_t catalog_key(char *const *paths, size_t n, const struct load_opts *o)
{
	uint64_t h = xxh64(CATALOG_MAGIC, 8, CATALOG_VERSION);

	for (size_t i = 0; i < n; i++) {
		char *abs = realpath(paths[i], NULL);
		const char *p = abs ? abs : paths[i];

		h = xxh64(p, strlen(p) + 1, h);
		free(abs);
	}
	h = xxh64(&o->format, sizeof o->format, h);
	if (o->encoding)
		h = xxh64(o->encoding, strlen(o->encoding) + 1, h);
	/* The messages of --check are kept in the user's language: a catalog for each (the
	 * translation's header, "" in English, names it). */
	const char *none = "", *lang = _(none);
	if (*lang)
		h = xxh64(lang, strlen(lang) + 1, h);
	return h;
}

char *catalog_path(uint64_t key)
{
	char name[64];

	snprintf(name, sizeof name, "catalog-%016llx", (unsigned long long)key);
	return fileio_cache_path(name);
}

bool catalog_can_hold(const struct collection *c)
{
	if (collection_count(c) >= NONE || c->files.n >= NONE)
		return false;
	for (size_t i = 0; i < collection_count(c); i++) {
		struct article tmp;
		const struct article *a = collection_peek(c, i, &tmp);
		if (a->kind == ARTICLE_FULL && a->file >= c->files.n)
			return false;
	}
	return true;
}

/* ---------------------------------------------------------------------------
 * Writing
 */

/* Whether reading is to give up (cancel may be NULL). */
static bool given_up(const atomic_bool *cancel)
{
	return cancel && atomic_load(cancel);
}

/* The tables' hash: XXH64 of each of the seven in file order in slices of HASH_SLICE
 * bytes, each slice's seed the hash before it, so that reading can give up between
 * slices (cancel may be NULL). */
#define HASH_SLICE (8u << 20)
#define NTABLES 7
static uint64_t tables_hash(const struct fileio_part parts[NTABLES], const atomic_bool *cancel)
{
	uint64_t h = 0;

	for (int i = 0; i < NTABLES; i++) {
		size_t at = 0;
		do {
			size_t n = parts[i].n - at < HASH_SLICE ? parts[i].n - at : HASH_SLICE;
			if (given_up(cancel))
				return 0;
			h = xxh64((const char *)parts[i].p + at, n, h);
			at += n;
		} while (at < parts[i].n);
	}
	return h;
}

/* Where each string written is, by its address: strings shared by pointer (an
 * excerpt's title is a related headline) are written once. */
struct seen_entry {
	const char *p; /* NULL: a free slot */
	uint32_t len, off;
};

struct seen {
	struct seen_entry *e; /* one array: a slot looked at is one place in memory */
	size_t cap, used;     /* cap a power of two, at least twice used */
	unsigned shift;	      /* 64 - log2(cap): seen_slot's hash takes the top bits */
};

struct writer {
	VEC(struct rfile) files;
	VEC(struct rarticle) articles;
	VEC(struct rrelated) related;
	VEC(uint32_t) backlinks;
	VEC(struct rdiag) diags;
	VEC(struct rmember) members;
	struct strbuf strings;
	struct seen seen;
	struct seen member_no; /* members[] numbers by address */
	bool overflow;	       /* the strings passed 4 GiB */
};

static size_t seen_slot(const struct seen *s, const char *p, uint32_t len)
{
	/* the top bits of the product, which every bit of the address and the length
	 * reach (its low bits follow the address's low bits alone) */
	uint64_t h = ((uint64_t)(uintptr_t)p + ((uint64_t)len << 40)) *
		     UINT64_C(0x9E3779B97F4A7C15);
	size_t i = (size_t)(h >> s->shift);

	while (s->e[i].p && (s->e[i].p != p || s->e[i].len != len))
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* Room for n entries in s, empty: twice as many slots, so that a slot is found after a
 * short walk. */
static void seen_init(struct seen *s, size_t n)
{
	s->cap = 16;
	s->shift = 60;
	while (s->cap < 2 * n + 16) {
		s->cap *= 2;
		s->shift--;
	}
	s->e = xcalloc(s->cap, sizeof *s->e);
	s->used = 0;
}

static void seen_free(struct seen *s)
{
	free(s->e);
}

/* Note in s that the string p (len bytes) is at off, s growing when it is half full:
 * what is written is not counted beforehand (a table that filled up would be walked
 * for a free slot for ever). */
static void seen_add(struct seen *s, const char *p, uint32_t len, uint32_t off)
{
	if (2 * (s->used + 1) > s->cap) {
		struct seen old = *s;

		seen_init(s, old.cap);
		for (size_t i = 0; i < old.cap; i++)
			if (old.e[i].p)
				s->e[seen_slot(s, old.e[i].p, old.e[i].len)] = old.e[i];
		s->used = old.used;
		seen_free(&old);
	}
	s->e[seen_slot(s, p, len)] = (struct seen_entry){p, len, off};
	s->used++;
}

/* Write s to the strings, at the end. */
static struct rstr put_new(struct writer *w, struct str s)
{
	if (s.n >= NONE || w->strings.n + s.n + 1 >= NONE) {
		w->overflow = true;
		return (struct rstr){0, 0};
	}
	struct rstr r = {(uint32_t)w->strings.n, (uint32_t)s.n};
	sb_append(&w->strings, s.p ? s.p : "", s.n);
	sb_putc(&w->strings, '\0');
	return r;
}

/* Write s to the strings once for all the places that point to it (an excerpt's title
 * and the related headlines it stands for). */
static struct rstr put_str(struct writer *w, struct str s)
{
	size_t slot = seen_slot(&w->seen, s.p, (uint32_t)s.n);

	if (s.p && w->seen.e[slot].p)
		return (struct rstr){w->seen.e[slot].off, (uint32_t)s.n};
	struct rstr r = put_new(w, s);
	if (s.p && !w->overflow)
		seen_add(&w->seen, s.p, r.len, r.off);
	return r;
}

static struct rstr put_cstr(struct writer *w, const char *s)
{
	return put_str(w, (struct str){s, strlen(s)});
}

/* The number of the article at list position pos of c (a link's end), NONE when c has
 * none there (check_map then finds the catalog damaged). */
static uint32_t article_no(const struct collection *c, size_t pos)
{
	return pos < collection_count(c) ? (uint32_t)pos : NONE;
}

/* The number of archive member m in members[], written there the first time. */
static uint32_t member_no(struct writer *w, const struct archive_member *m)
{
	size_t slot = seen_slot(&w->member_no, (const char *)m, 0);

	if (w->member_no.e[slot].p)
		return w->member_no.e[slot].off;
	if (w->members.n + 1 >= NONE) {
		w->overflow = true;
		return NONE;
	}
	struct rmember r;
	memset(&r, 0, sizeof r);
	r.name = put_cstr(w, m->name);
	r.index = m->index;
	r.size = m->size;
	r.comp_size = m->comp_size;
	r.mtime = m->mtime;
	r.offset = m->offset;
	r.crc = m->crc;
	r.method = (uint32_t)m->method;
	r.format = (uint32_t)m->format;
	r.encoding = (uint32_t)m->encoding;
	seen_add(&w->member_no, (const char *)m, 0, (uint32_t)w->members.n);
	VEC_PUSH(&w->members, r);
	return (uint32_t)(w->members.n - 1);
}

static void write_article(struct writer *w, const struct collection *c, const struct article *a)
{
	struct rarticle r;

	memset(&r, 0, sizeof r);
	/* A full article's own fields are its own (no other article, related entry or
	 * problem points to them): written without being looked up, which at millions
	 * of articles is a wait for memory each. An excerpt's are related headlines'. */
	struct rstr (*put)(struct writer *, struct str) = a->kind == ARTICLE_FULL ? put_new
										  : put_str;
	r.id = put(w, (struct str){a->id, strlen(a->id)});
	r.title = put(w, a->title);
	r.date = put(w, a->date);
	r.source = put(w, a->source);
	/* Most have none: the empty string at offset 0 (never a string of their own). */
	r.url = a->url.n ? put(w, a->url) : (struct rstr){0, 0};
	r.time = a->time.n ? put(w, a->time) : (struct rstr){0, 0};
	if (a->kind == ARTICLE_EXCERPT)
		r.body = put_str(w, a->body);
	else if (!a->body_on_disk) /* its text is not its file's bytes: kept here */
		r.body = put_new(w, a->body), r.flags = RARTICLE_BODY_HERE;
	r.body_len = a->body.n;
	r.rec_off = a->rec_off;
	r.rec_len = a->rec_len;
	r.line = a->line;
	struct content_id id;
	article_identity(a, &id);
	r.ident_hi = id.hi;
	r.ident_lo = id.lo;
	r.file = a->file < c->files.n ? (uint32_t)a->file : NONE;
	r.kind = (uint32_t)a->kind;
	r.member = a->member ? member_no(w, a->member) : NONE;
	r.related = (uint32_t)w->related.n;
	r.nrelated = (uint32_t)a->related.n;
	for (size_t k = 0; k < a->related.n; k++) {
		const struct related *x = &a->related.v[k];
		struct rrelated rr = {put_str(w, x->headline), put_str(w, x->snippet), x->line,
				      article_no(c, x->target), 0};
		VEC_PUSH(&w->related, rr);
	}
	r.backlinks = (uint32_t)w->backlinks.n;
	r.nbacklinks = (uint32_t)a->backlinks.n;
	for (size_t k = 0; k < a->backlinks.n; k++)
		VEC_PUSH(&w->backlinks, article_no(c, a->backlinks.v[k]));
	VEC_PUSH(&w->articles, r);
}

static void writer_fill(struct writer *w, const struct collection *c)
{
	/* the files' names, the problems', the related entries' and excerpts' strings:
	 * the table grows as they come */
	seen_init(&w->seen, c->files.n + 1024);
	seen_init(&w->member_no, c->members.n);
	for (size_t i = 0; i < c->files.n; i++) {
		const struct loaded_file *f = &c->files.v[i];
		struct rfile r;
		memset(&r, 0, sizeof r); /* and its padding, which is written too */
		r.path = put_cstr(w, f->path);
		r.format = (uint32_t)f->format;
		r.encoding = (uint32_t)f->encoding;
		r.dev = f->dev;
		r.ino = f->ino;
		r.size = f->size;
		r.mtime_ns = f->mtime_ns;
		r.ctime_ns = f->ctime_ns;
		r.lines = f->lines;
		r.tail_hash = f->tail_hash;
		VEC_PUSH(&w->files, r);
	}
	for (size_t i = 0; i < collection_count(c); i++)
		write_article(w, c, collection_article(c, i));
	for (size_t i = 0; i < c->diags.n; i++) {
		const struct diag *d = &c->diags.v[i];
		struct rdiag r = {put_cstr(w, d->file), put_cstr(w, d->msg), d->line,
				  d->file_no < c->files.n ? (uint32_t)d->file_no : NONE, 0};
		VEC_PUSH(&w->diags, r);
	}
	seen_free(&w->seen);
	seen_free(&w->member_no);
}

const char *catalog_write(const struct collection *c, uint64_t key, const char *file)
{
	struct writer w;
	struct header h;
	const char *failed;

	if (!catalog_can_hold(c)) {
		errno = EINVAL;
		return "cannot hold this collection";
	}
	memset(&w, 0, sizeof w);
	sb_putc(&w.strings, '\0'); /* offset 0: the empty string, for fields not kept */
	writer_fill(&w, c);
	if (w.overflow) {
		failed = "too large";
		errno = EFBIG;
		goto out;
	}
	sb_cstr(&w.strings);
	memset(&h, 0, sizeof h);
	memcpy(h.magic, CATALOG_MAGIC, sizeof h.magic);
	h.version = CATALOG_VERSION;
	h.byte_order = CATALOG_BYTE_ORDER;
	h.key = key;
	h.nfiles = w.files.n;
	h.narticles = w.articles.n;
	h.nrelated = w.related.n;
	h.nbacklinks = w.backlinks.n;
	h.ndiags = w.diags.n;
	h.nmembers = w.members.n;
	h.nstrings = w.strings.n;
	h.unresolved = c->unresolved;
	/* the orders, made here beside the reader, so that a sort of the list read from
	 * this catalog is a read */
	size_t nwords = LISTORDER_WORDS(c->articles.n);
	uint32_t *orders = xreallocarray(NULL, nwords ? nwords : 1, sizeof *orders);
	listorder_make_all(c, orders);

	struct fileio_part parts[NTABLES + 2] = {
		{&h, sizeof h},
		{w.files.v, w.files.n * sizeof *w.files.v},
		{w.articles.v, w.articles.n * sizeof *w.articles.v},
		{w.related.v, w.related.n * sizeof *w.related.v},
		{w.diags.v, w.diags.n * sizeof *w.diags.v},
		{w.members.v, w.members.n * sizeof *w.members.v},
		{w.backlinks.v, w.backlinks.n * sizeof *w.backlinks.v},
		{orders, nwords * sizeof *orders},
		{w.strings.s, w.strings.n},
	};
	h.tables_hash = tables_hash(parts + 1, NULL);
	h.strings_hash = xxh64(w.strings.s, w.strings.n, 0);
	h.header_hash = xxh64(&h, offsetof(struct header, header_hash), 0);

	fileio_make_parent(file, NULL);
	failed = fileio_replace(file, NULL, parts, NTABLES + 2);
	free(orders);
out:
	free(w.files.v);
	free(w.articles.v);
	free(w.related.v);
	free(w.backlinks.v);
	free(w.diags.v);
	free(w.members.v);
	sb_free(&w.strings);
	return failed;
}

/* ---------------------------------------------------------------------------
 * Reading
 */

/* A catalog truncated under the reader (mapwatch.h): its strings stay in the mapping,
 * read by every thread; once the mapping is found cut, catalog_verify fails and the
 * reader loads the files again (reload.h). */

/* The arrays of a mapped file, once their sizes are checked. */
struct catalog_map {
	struct fileio_part parts[NTABLES + 1]; /* the arrays as bytes, in file order */
	const struct header *h;
	const struct rfile *files;
	const struct rarticle *articles;
	const struct rrelated *related;
	const uint32_t *backlinks;
	const struct rdiag *diags;
	const struct rmember *members;
	const uint32_t *orders;
	const char *strings;
};

/* A catalog mapped, owned by the collection read from it (collection.slab_owner); for a
 * collection whose articles are made from it when first asked for, what makes them:
 * the arrays laid over the mapping (their counts from a copy of its header, so that a
 * file changed under the mapping cannot move them), and the archive members, made
 * once (collection.slab), that its articles point to. */
struct mapping {
	void *p;
	size_t n;
	struct fileio_part strings;
	uint64_t strings_hash;
	int slot; /* in mappings[] */
	struct header header;
	struct catalog_map v;
	const struct archive_member *members;
	struct article_maker maker;
	atomic_size_t nread; /* articles made or peeked: their pages given back now and then */
};

static void unmap(void *owner)
{
	struct mapping *m = owner;
	mapwatch_remove(m->slot);
	munmap(m->p, m->n);
	free(m);
}

/* Lay the arrays over the n bytes at p; false when their sizes do not add up to n. */
static bool lay_out(struct catalog_map *v, const char *p, size_t n)
{
	const struct header *h = (const void *)p;
	uint64_t sizes[NTABLES + 1], at = sizeof *h;

	if (h->nfiles >= NONE || h->narticles >= NONE || h->nrelated >= NONE ||
	    h->nbacklinks >= NONE || h->ndiags >= NONE || h->nstrings >= NONE ||
	    h->nmembers >= NONE)
		return false;
	sizes[0] = h->nfiles * sizeof *v->files;
	sizes[1] = h->narticles * sizeof *v->articles;
	sizes[2] = h->nrelated * sizeof *v->related;
	sizes[3] = h->ndiags * sizeof *v->diags;
	sizes[4] = h->nmembers * sizeof *v->members;
	sizes[5] = h->nbacklinks * sizeof *v->backlinks;
	sizes[6] = LISTORDER_WORDS(h->narticles) * sizeof *v->orders;
	sizes[7] = h->nstrings;
	const void *at_p[NTABLES + 1];
	for (int i = 0; i < NTABLES + 1; i++) {
		if (sizes[i] > n - at)
			return false;
		at_p[i] = p + at;
		v->parts[i] = (struct fileio_part){at_p[i], sizes[i]};
		at += sizes[i];
	}
	if (at != n)
		return false;
	v->h = h;
	v->files = at_p[0];
	v->articles = at_p[1];
	v->related = at_p[2];
	v->diags = at_p[3];
	v->members = at_p[4];
	v->backlinks = at_p[5];
	v->orders = at_p[6];
	v->strings = at_p[7];
	return true;
}

/* Whether r names a string inside the strings (the last of which is a NUL). */
static bool str_ok(const struct catalog_map *v, struct rstr r)
{
	return (uint64_t)r.off + r.len < v->h->nstrings;
}

static const char *check_article(const struct catalog_map *v, const struct rarticle *r)
{
	if (!str_ok(v, r->id) || !str_ok(v, r->title) || !str_ok(v, r->date) ||
	    !str_ok(v, r->source) || !str_ok(v, r->url) || !str_ok(v, r->body) ||
	    !str_ok(v, r->time))
		return "a string out of bounds";
	if (r->kind > ARTICLE_EXCERPT)
		return "an unknown kind of article";
	if ((r->flags & ~RARTICLE_BODY_HERE) ||
	    ((r->flags & RARTICLE_BODY_HERE) &&
	     (r->kind != ARTICLE_FULL || r->body.len != r->body_len)))
		return "an article's body neither in its file nor here";
	if ((r->kind == ARTICLE_FULL) != (r->file != NONE) ||
	    (r->file != NONE && r->file >= v->h->nfiles))
		return "an article of no file";
	if (r->file != NONE && (r->member != NONE) != (v->files[r->file].format == FORMAT_ZIP))
		return "an article of an archive without its member, or of a member not in one";
	if (r->member != NONE && r->member >= v->h->nmembers)
		return "an article of no archive member";
	/* a record's bytes are in its file, or in its member once inflated */
	uint64_t size = r->member != NONE ? v->members[r->member].size
			: r->file != NONE ? v->files[r->file].size
					  : 0;
	if (r->file != NONE && (r->rec_off > size || r->rec_len > size - r->rec_off))
		return "a record outside its file";
	if ((uint64_t)r->related + r->nrelated > v->h->nrelated ||
	    (uint64_t)r->backlinks + r->nbacklinks > v->h->nbacklinks)
		return "links out of bounds";
	if (r->kind == ARTICLE_EXCERPT && r->nrelated)
		return "an excerpt with links";
	return NULL;
}

/* Check every index and string of the arrays; NULL, or what is wrong. */
static const char *check_map(const struct catalog_map *v, const atomic_bool *cancel)
{
	const struct header *h = v->h;
	const char *bad;

	if (!h->nstrings || v->strings[h->nstrings - 1] != '\0')
		return "strings not terminated";
	for (uint64_t i = 0; i < h->nfiles; i++) {
		if (!str_ok(v, v->files[i].path))
			return "a file name out of bounds";
		if (v->files[i].format > FORMAT_ZIP)
			return "a file of an unknown format";
		if (v->files[i].encoding >= DECODE_FOUND_N)
			return "a file of an unknown encoding";
	}
	for (uint64_t i = 0; i < h->nmembers; i++) {
		const struct rmember *m = &v->members[i];
		if (!str_ok(v, m->name))
			return "a member name out of bounds";
		if (m->format < FORMAT_NATIVE || m->format > FORMAT_SOGOU)
			return "a member of an unknown format";
		if (m->encoding >= DECODE_FOUND_N)
			return "a member of an unknown encoding";
	}
	for (uint64_t i = 0; i < h->narticles; i++) {
		if ((bad = check_article(v, &v->articles[i])) != NULL)
			return bad;
		if (i % 65536 == 0 && given_up(cancel))
			return NULL;
	}
	for (uint64_t i = 0; i < h->nrelated; i++) {
		const struct rrelated *r = &v->related[i];
		if (!str_ok(v, r->headline) || !str_ok(v, r->snippet))
			return "a related string out of bounds";
		if (r->target >= h->narticles)
			return "a link to no article";
	}
	for (uint64_t i = 0; i < h->nbacklinks; i++)
		if (v->backlinks[i] >= h->narticles)
			return "a backlink to no article";
	if (!listorder_valid(v->orders, h->narticles))
		return "an order of the list that is not one";
	for (uint64_t i = 0; i < h->ndiags; i++) {
		const struct rdiag *d = &v->diags[i];
		if (!str_ok(v, d->file) || !str_ok(v, d->msg))
			return "a message out of bounds";
		if (d->file_no != NONE && d->file_no >= h->nfiles)
			return "a message of no file";
	}
	return NULL;
}

static struct str rs(const struct catalog_map *v, struct rstr r)
{
	return (struct str){v->strings + r.off, r.len};
}

/* The archive member of record r. */
static struct archive_member member_of(const struct catalog_map *v, const struct rmember *r)
{
	return (struct archive_member){.name = (char *)(uintptr_t)(v->strings + r->name.off),
				       .index = r->index,
				       .size = r->size,
				       .comp_size = r->comp_size,
				       .mtime = r->mtime,
				       .offset = r->offset,
				       .crc = r->crc,
				       .method = (int)r->method,
				       .format = (int)r->format,
				       .encoding = (int)r->encoding};
}

/* The loaded file of record f. */
static struct loaded_file file_of(const struct catalog_map *v, const struct rfile *f)
{
	return (struct loaded_file){.path = (char *)(uintptr_t)(v->strings + f->path.off),
				    .dev = f->dev,
				    .ino = f->ino,
				    .size = f->size,
				    .mtime_ns = f->mtime_ns,
				    .format = (int)f->format,
				    .encoding = (int)f->encoding,
				    .ctime_ns = f->ctime_ns,
				    .lines = f->lines,
				    .tail_hash = f->tail_hash};
}

/* Fill a with record r but its links: its member (NULL for none) and its file's number
 * in the collection as given. */
static void article_of(struct article *a, const struct catalog_map *v, const struct rarticle *r,
		       const struct archive_member *member, size_t file)
{
	memset(a, 0, sizeof *a);
	a->id = (char *)(uintptr_t)(v->strings + r->id.off);
	a->kind = (enum article_kind)r->kind;
	a->title = rs(v, r->title);
	a->date = rs(v, r->date);
	a->source = rs(v, r->source);
	a->time = rs(v, r->time);
	a->url = rs(v, r->url);
	a->ident = (struct content_id){r->ident_hi, r->ident_lo};
	a->has_ident = true;
	if (a->kind == ARTICLE_EXCERPT) {
		a->body = rs(v, r->body);
		a->file = SIZE_MAX;
		return;
	}
	if (r->flags & RARTICLE_BODY_HERE) {
		a->body = rs(v, r->body);
	} else {
		a->body = (struct str){NULL, r->body_len};
		a->body_on_disk = true;
	}
	a->body_format = (uint8_t)(member ? member->format : (int)v->files[r->file].format);
	a->body_encoding = (uint8_t)(member ? member->encoding : (int)v->files[r->file].encoding);
	a->member = member;
	a->rec_off = r->rec_off;
	a->rec_len = r->rec_len;
	a->line = r->line;
	a->file = file;
	a->path = v->strings + v->files[r->file].path.off;
}

/* Make c's files and diags (and its count of unresolved links) from v's checked arrays. */
static void fill_files_diags(struct collection *c, const struct catalog_map *v)
{
	const struct header *h = v->h;

	for (uint64_t i = 0; i < h->nfiles; i++) {
		struct loaded_file lf = file_of(v, &v->files[i]);
		VEC_PUSH(&c->files, lf);
	}
	for (uint64_t i = 0; i < h->ndiags; i++) {
		const struct rdiag *d = &v->diags[i];
		struct diag x = {(char *)(uintptr_t)(v->strings + d->file.off), d->line,
				 (char *)(uintptr_t)(v->strings + d->msg.off),
				 d->file_no == NONE ? SIZE_MAX : d->file_no, false};
		VEC_PUSH(&c->diags, x);
	}
	c->unresolved = h->unresolved;
}

/* Copy the record of the article at list position i of m's catalog into *r and check it
 * again (the file may have changed under the mapping since it was checked); false when
 * it is not sound. */
static bool made_record(const struct mapping *m, size_t i, struct rarticle *r)
{
	*r = m->v.articles[i];
	return check_article(&m->v, r) == NULL;
}

/* Fill a with the article at list position i made of its record r (made_record's) but
 * its links; when r is not sound, an excerpt saying so. */
static void made_header(const struct mapping *m, size_t i, const struct rarticle *r, bool sound,
			struct article *a)
{
	if (sound) {
		article_of(a, &m->v, r, r->member != NONE ? &m->members[r->member] : NULL, r->file);
	} else {
		static const char damaged[] = "(the catalog changed under the reader)";
		memset(a, 0, sizeof *a);
		a->id = (char *)(uintptr_t) "x-damaged";
		a->kind = ARTICLE_EXCERPT;
		a->title = str_make(damaged, sizeof damaged - 1);
		a->file = SIZE_MAX;
	}
	a->pos = i;
}

/* Articles peeked between two gifts of their pages (a pass over millions of articles
 * would keep the records and strings of all of them mapped). */
#define MADE_RELEASE_EVERY 65536

/* An article made counts as this many peeked: blocks are made for articles here and
 * there (a filter's first screen, similar stories), and each maps pages of records and
 * strings that the pass of a peek would share with its neighbours (at 2.5M, some 5 KB
 * an article made). */
#define MADE_WEIGHT 16

/* Count n articles read from m; every MADE_RELEASE_EVERY, give back the pages of its
 * records and strings (any thread may read them meanwhile: they are mapped again; a
 * record read again is checked again, made_record). */
static void made_read(struct mapping *m, size_t n)
{
	size_t before = atomic_fetch_add(&m->nread, n);
	if (before / MADE_RELEASE_EVERY == (before + n) / MADE_RELEASE_EVERY)
		return;
	fileio_release_pages(m->v.articles, m->header.narticles * sizeof *m->v.articles);
	fileio_release_pages(m->strings.p, m->strings.n);
}

/* article_maker.peek of a mapping. */
static void made_peek(void *ctx, size_t i, struct article *out)
{
	struct rarticle r;
	bool sound = made_record(ctx, i, &r);

	made_read(ctx, 1);
	made_header(ctx, i, &r, sound, out);
}

/* article_maker.make of a mapping: the n articles from first, then their related
 * entries and backlinks, in one block; a link to no article (the file changed under
 * the mapping) is left out. */
static struct article *made_block(void *ctx, size_t first, size_t n)
{
	struct mapping *m = ctx;
	const struct catalog_map *v = &m->v;
	struct rarticle *rec = xreallocarray(NULL, n, sizeof *rec);

	made_read(m, n * MADE_WEIGHT);
	bool *sound = xmalloc(n);
	size_t nrel = 0, nback = 0;

	for (size_t k = 0; k < n; k++) {
		sound[k] = made_record(m, first + k, &rec[k]);
		if (sound[k]) {
			nrel += rec[k].nrelated;
			nback += rec[k].nbacklinks;
		}
	}
	struct article *arts = xmalloc(n * sizeof *arts + nrel * sizeof(struct related) +
				       nback * sizeof(size_t));
	struct related *rel = (struct related *)(arts + n);
	size_t *back = (size_t *)(rel + nrel);
	for (size_t k = 0; k < n; k++) {
		struct article *a = &arts[k];
		const struct rarticle *r = &rec[k];

		made_header(m, first + k, r, sound[k], a);
		a->related.v = rel;
		a->backlinks.v = back;
		for (uint32_t j = 0; sound[k] && j < r->nrelated; j++) {
			struct rrelated x = v->related[r->related + j];
			if (str_ok(v, x.headline) && str_ok(v, x.snippet) &&
			    x.target < v->h->narticles)
				*rel++ = (struct related){rs(v, x.headline), rs(v, x.snippet),
							  x.line, x.target};
		}
		for (uint32_t j = 0; sound[k] && j < r->nbacklinks; j++) {
			uint32_t b = v->backlinks[r->backlinks + j];
			if (b < v->h->narticles)
				*back++ = b;
		}
		a->related.n = a->related.cap = (size_t)(rel - a->related.v);
		a->backlinks.n = a->backlinks.cap = (size_t)(back - a->backlinks.v);
	}
	free(rec);
	free(sound);
	return arts;
}

/* Make c the collection of mapping m (checked whole; laid out as v), its articles made
 * when first asked for: only its files, its messages and its archive members are made
 * now. */
static void build_made(struct collection *c, struct mapping *m, const struct catalog_map *v)
{
	struct archive_member *mem;

	m->header = *v->h;
	m->v = *v;
	m->v.h = &m->header;
	mem = xreallocarray(NULL, m->header.nmembers + 1, sizeof *mem);
	for (uint64_t i = 0; i < m->header.nmembers; i++)
		mem[i] = member_of(v, &v->members[i]);
	m->members = mem;
	c->slab = mem;
	m->maker = (struct article_maker){m, made_block, made_peek};
	collection_init_made(c, &m->maker, m->header.narticles);
	fill_files_diags(c, &m->v);
}

/* Map file and check its header, its sizes and, when whole, its tables' checksum and
 * every index and string of them (check_map; a part's are checked as it is read); on
 * CATALOG_OK, *v is laid over the mapping *out. */
static enum catalog_status map_catalog(const char *file, uint64_t key, bool whole,
				       const atomic_bool *cancel, struct catalog_map *v,
				       struct mapping **out, struct strbuf *why)
{
	struct stat st;
	const char *bad = NULL;
	void *p;
	int fd = fileio_open_own(file, O_RDONLY, 0, &st);

	if (fd < 0) {
		if (errno == ENOENT)
			return CATALOG_MISSING;
		sb_printf(why, _("cannot open: %s"), fileio_strerror(errno));
		return CATALOG_CORRUPT;
	}
	if ((uint64_t)st.st_size < sizeof(struct header) || (uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		sb_puts(why, _("not a catalog: too short or not a file"));
		return CATALOG_CORRUPT;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		sb_printf(why, _("cannot map: %s"), strerror(errno));
		return CATALOG_CORRUPT;
	}
	fileio_small_pages(p, (size_t)st.st_size);
	const struct header *h = p;
	size_t n = (size_t)st.st_size;
	enum catalog_status status = CATALOG_CORRUPT;
	int slot = mapwatch_add(p, n);

	if (slot < 0)
		bad = "too many catalogs open";
	else if (memcmp(h->magic, CATALOG_MAGIC, sizeof h->magic) != 0)
		bad = "not a catalog (bad magic)";
	else if (h->header_hash != xxh64(h, offsetof(struct header, header_hash), 0))
		bad = "header checksum mismatch";
	else if (h->version != CATALOG_VERSION || h->byte_order != CATALOG_BYTE_ORDER ||
		 h->key != key)
		status = CATALOG_STALE;
	else if (!lay_out(v, p, n))
		bad = "sizes do not match the file";
	else if (whole && tables_hash(v->parts, cancel) != h->tables_hash && !given_up(cancel))
		bad = "tables checksum mismatch";
	else if (whole && (bad = check_map(v, cancel)) != NULL)
		;
	else if (given_up(cancel))
		status = CATALOG_CANCELLED;
	else if (!h->nstrings || v->strings[h->nstrings - 1] != '\0')
		bad = "strings not terminated";
	else
		status = CATALOG_OK;
	if (status == CATALOG_OK && mapwatch_cut(slot)) {
		status = CATALOG_CORRUPT; /* cut short while it was being checked */
		bad = "truncated while it was read";
	}
	if (status != CATALOG_OK) {
		if (bad)
			sb_puts(why, bad);
		if (slot >= 0)
			mapwatch_remove(slot);
		munmap(p, n);
		return status;
	}
	*out = xcalloc(1, sizeof **out);
	(*out)->p = p;
	(*out)->n = n;
	(*out)->strings = v->parts[NTABLES];
	(*out)->strings_hash = h->strings_hash;
	(*out)->slot = slot;
	return CATALOG_OK;
}

/* Give back the pages of v's tables, every byte of them read by the checks and the
 * hash (fileio_release_pages). */
static void release_tables(const struct catalog_map *v)
{
	fileio_release_pages(v->parts[0].p, (size_t)(v->strings - (const char *)v->parts[0].p));
}

/* c made from the mapping m (laid out as v), which it then owns. */
static void own_mapping(struct collection *c, struct mapping *m)
{
	c->slab_owner = m;
	c->slab_free = unmap;
}

/* catalog_read_unless, but for the log. */
static enum catalog_status read_catalog(struct collection *c, uint64_t key, const char *file,
					const atomic_bool *cancel, struct strbuf *why)
{
	struct catalog_map v;
	struct mapping *m;
	enum catalog_status s = map_catalog(file, key, true, cancel, &v, &m, why);

	if (s == CATALOG_OK) {
		build_made(c, m, &v);
		c->orders = v.orders; /* checked (check_map); paged in again when used */
		release_tables(&v);
		own_mapping(c, m);
	}
	return s;
}

/* ---------------------------------------------------------------------------
 * The first part of a big catalog: the reader's first screen shows it while the whole
 * is read beside it (reload.h), so that a collection of millions opens at once. A part
 * is the first articles in list order (the newest) and every article they link to or
 * are linked from, again and again, so that no link of it leads out of it; each of its
 * articles, links, files and members is checked as catalog_read checks them all. The
 * checksums are the whole's to check: they would read every page of the file.
 */

/* How many times the first articles a part may hold with what they link to; a part
 * more linked than that is not worth it: the whole is read. */
#define PART_LINKED_MAX 4

/* The article numbers of a part, ascending, once gathered. */
struct part_set {
	uint32_t *no; /* the articles, in the order they were reached, then ascending */
	size_t n, cap;
	unsigned char *in; /* per article of the catalog: in the part */
};

/* Add article i (< narticles) to the part unless it is in; false when it is full. */
static bool part_add(struct part_set *p, uint32_t i)
{
	if (p->in[i])
		return true;
	if (p->n == p->cap)
		return false;
	p->in[i] = 1;
	p->no[p->n++] = i;
	return true;
}

/* Gather the first `first` articles of v and what they link to, and check each; NULL,
 * or what is wrong; *too_linked when there are more than the part may hold. */
static const char *gather_part(const struct catalog_map *v, size_t first, struct part_set *p,
			       bool *too_linked)
{
	const char *bad;

	*too_linked = false;
	for (uint32_t i = 0; i < first; i++)
		part_add(p, i);
	for (size_t k = 0; k < p->n; k++) {
		const struct rarticle *r = &v->articles[p->no[k]];
		if ((bad = check_article(v, r)) != NULL)
			return bad;
		for (uint32_t j = 0; j < r->nrelated; j++) {
			const struct rrelated *x = &v->related[r->related + j];
			if (!str_ok(v, x->headline) || !str_ok(v, x->snippet))
				return "a related string out of bounds";
			if (x->target >= v->h->narticles)
				return "a link to no article";
			if (!part_add(p, x->target))
				return *too_linked = true, NULL;
		}
		for (uint32_t j = 0; j < r->nbacklinks; j++) {
			uint32_t b = v->backlinks[r->backlinks + j];
			if (b >= v->h->narticles)
				return "a backlink to no article";
			if (!part_add(p, b))
				return *too_linked = true, NULL;
		}
	}
	return NULL;
}

static int by_number(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	return a < b ? -1 : a > b;
}

/* The place of number x in the ascending no[0..n), which holds it. */
static size_t place_of(const uint32_t *no, size_t n, uint32_t x)
{
	const uint32_t *at = bsearch(&x, no, n, sizeof *no, by_number);
	return (size_t)(at - no);
}

/* The distinct numbers of the files (member: of the members) of the part's full
 * articles, ascending, in *out; how many. */
static size_t part_refs(const struct catalog_map *v, const struct part_set *p, bool member,
			uint32_t **out)
{
	uint32_t *no = xreallocarray(NULL, p->n + 1, sizeof *no);
	size_t n = 0;

	for (size_t k = 0; k < p->n; k++) {
		const struct rarticle *r = &v->articles[p->no[k]];
		uint32_t x = member ? r->member : r->file;
		if (x != NONE)
			no[n++] = x;
	}
	qsort(no, n, sizeof *no, by_number);
	size_t m = 0;
	for (size_t k = 0; k < n; k++)
		if (!m || no[m - 1] != no[k])
			no[m++] = no[k];
	*out = no;
	return m;
}

/* Check the files and members the part's articles are in; NULL, or what is wrong. */
static const char *check_part_refs(const struct catalog_map *v, const uint32_t *files, size_t nf,
				   const uint32_t *mems, size_t nm)
{
	for (size_t k = 0; k < nf; k++) {
		if (!str_ok(v, v->files[files[k]].path))
			return "a file name out of bounds";
		if (v->files[files[k]].format > FORMAT_ZIP)
			return "a file of an unknown format";
	}
	for (size_t k = 0; k < nm; k++) {
		const struct rmember *m = &v->members[mems[k]];
		if (!str_ok(v, m->name))
			return "a member name out of bounds";
		if (m->format < FORMAT_NATIVE || m->format > FORMAT_SOGOU)
			return "a member of an unknown format";
		if (m->encoding >= DECODE_FOUND_N)
			return "a member of an unknown encoding";
	}
	return NULL;
}

/* Make c's articles (the part's, in list order, numbered), their files and members from the
 * checked arrays: build's work for a part (no problems: the whole says them). */
static void build_part(struct collection *c, const struct catalog_map *v, const struct part_set *p,
		       const uint32_t *files, size_t nf, const uint32_t *mems, size_t nm)
{
	size_t nrel = 0, nback = 0;

	for (size_t k = 0; k < p->n; k++) {
		nrel += v->articles[p->no[k]].nrelated;
		nback += v->articles[p->no[k]].nbacklinks;
	}
	struct article *arts;
	struct related *rel;
	size_t *back;
	struct archive_member *mem;
	size_t size = p->n * sizeof *arts + nrel * sizeof *rel + nback * sizeof *back +
		      nm * sizeof *mem;
	char *slab = xmalloc(size ? size : 1);
	arts = (struct article *)slab;
	rel = (struct related *)(slab + p->n * sizeof *arts);
	back = (size_t *)((char *)rel + nrel * sizeof *rel);
	mem = (struct archive_member *)((char *)back + nback * sizeof *back);
	for (size_t k = 0; k < nm; k++)
		mem[k] = member_of(v, &v->members[mems[k]]);
	for (size_t k = 0; k < nf; k++) {
		struct loaded_file lf = file_of(v, &v->files[files[k]]);
		VEC_PUSH(&c->files, lf);
	}
	c->slab = slab;
	c->articles.v = xreallocarray(NULL, p->n + 1, sizeof *c->articles.v);
	c->articles.n = c->articles.cap = p->n;
	for (size_t k = 0; k < p->n; k++) {
		const struct rarticle *r = &v->articles[p->no[k]];
		struct article *a = &arts[k];

		if (r->kind == ARTICLE_EXCERPT)
			article_of(a, v, r, NULL, SIZE_MAX);
		else
			article_of(a, v, r,
				   r->member != NONE ? &mem[place_of(mems, nm, r->member)] : NULL,
				   place_of(files, nf, r->file));
		a->related.v = rel;
		a->related.n = a->related.cap = r->nrelated;
		for (uint32_t j = 0; j < r->nrelated; j++) {
			const struct rrelated *x = &v->related[r->related + j];
			*rel++ = (struct related){rs(v, x->headline), rs(v, x->snippet), x->line,
						  place_of(p->no, p->n, x->target)};
		}
		a->backlinks.v = back;
		a->backlinks.n = a->backlinks.cap = r->nbacklinks;
		for (uint32_t j = 0; j < r->nbacklinks; j++)
			*back++ = place_of(p->no, p->n, v->backlinks[r->backlinks + j]);
		a->pos = k;
		c->articles.v[k] = a;
	}
}

enum catalog_status catalog_read_part(struct collection *c, uint64_t key, const char *file,
				      size_t first, size_t above, size_t *total, struct strbuf *why)
{
	struct catalog_map v;
	struct mapping *m;
	enum catalog_status s = map_catalog(file, key, false, NULL, &v, &m, why);

	*total = 0;
	if (s != CATALOG_OK)
		return s;
	*total = (size_t)v.h->narticles;
	if (!first || *total <= first || *total <= above) { /* no part: the whole */
		unmap(m);
		return catalog_read(c, key, file, why);
	}
	struct part_set p = {xreallocarray(NULL, first * PART_LINKED_MAX, sizeof *p.no), 0,
			     first * PART_LINKED_MAX, xcalloc(*total, 1)};
	bool too_linked;
	const char *bad = gather_part(&v, first, &p, &too_linked);
	uint32_t *files = NULL, *mems = NULL;
	size_t nf = 0, nm = 0;
	if (!bad && !too_linked) {
		qsort(p.no, p.n, sizeof *p.no, by_number);
		nf = part_refs(&v, &p, false, &files);
		nm = part_refs(&v, &p, true, &mems);
		bad = check_part_refs(&v, files, nf, mems, nm);
	}
	if (!bad && !too_linked && mapwatch_cut(m->slot))
		bad = "truncated while it was read";
	if (!bad && !too_linked) {
		build_part(c, &v, &p, files, nf, mems, nm);
		own_mapping(c, m);
		log_debug("catalog %s: read its first %zu articles of %zu", file, c->articles.n,
			  *total);
	}
	free(files);
	free(mems);
	free(p.no);
	free(p.in);
	if (bad || too_linked) {
		unmap(m);
		if (bad) {
			sb_puts(why, bad);
			log_debug("catalog %s: damaged: to be made anew: %s", file, bad);
			return CATALOG_CORRUPT;
		}
		return catalog_read(c, key, file, why); /* too linked for a part */
	}
	return CATALOG_OK;
}

enum catalog_status catalog_read(struct collection *c, uint64_t key, const char *file,
				 struct strbuf *why)
{
	return catalog_read_unless(c, key, file, NULL, why);
}

enum catalog_status catalog_read_unless(struct collection *c, uint64_t key, const char *file,
					const atomic_bool *cancel, struct strbuf *why)
{
	static const char *const said[] = {
		[CATALOG_OK] = "read",
		[CATALOG_MISSING] = "none yet",
		[CATALOG_STALE] = "of another version or options: to be made anew",
		[CATALOG_CORRUPT] = "damaged: to be made anew",
		[CATALOG_CANCELLED] = "given up",
	};
	size_t had = why->n;
	enum catalog_status s = read_catalog(c, key, file, cancel, why);

	if (s == CATALOG_OK)
		log_debug("catalog %s: read, %zu articles", file, c->articles.n);
	else
		log_debug("catalog %s: %s%s%.*s", file, said[s], why->n > had ? ": " : "",
			  (int)(why->n - had), why->n > had ? why->s + had : "");
	return s;
}

/* ---------------------------------------------------------------------------
 * Keeping up with the files
 */

static bool same_stat(const struct loaded_file *a, const struct loaded_file *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}

bool catalog_same_files(const struct collection *old, const struct collection *now)
{
	if (old->files.n != now->files.n)
		return false;
	for (size_t i = 0; i < old->files.n; i++)
		if (strcmp(old->files.v[i].path, now->files.v[i].path) != 0 ||
		    !same_stat(&old->files.v[i], &now->files.v[i]))
			return false;
	return true;
}

/* A problem of the old collection: the hash of what it was said of, and which it is. */
struct said {
	uint64_t hash;
	size_t diag;
};

struct catalog_reuse {
	const struct collection *old;
	struct seen names; /* file number by name (off), names compared by content */
	size_t *first;	   /* per file: its first entry in order[] (nfiles + 1 entries) */
	const struct article **order; /* full articles grouped by file, in list order */
	/* the articles read from archive members, grouped by archive and member, each
	 * member's in file order; and each member's first entry there, by archive and name */
	const struct article **by_member;
	size_t nby_member;
	size_t *member_at, member_cap; /* SIZE_MAX: a free slot */
	/* the problems said while loading (not those collection_finish says again): by
	 * the hash of what they were said of, sorted */
	struct said *said;
	size_t nsaid;
};

static uint64_t name_hash(const char *s)
{
	return xxh64(s, strlen(s), 0);
}

static size_t name_slot(const struct catalog_reuse *r, const char *name)
{
	const struct seen *s = &r->names;
	size_t i = (size_t)name_hash(name) & (s->cap - 1);

	while (s->e[i].p && strcmp(s->e[i].p, name) != 0)
		i = (i + 1) & (s->cap - 1);
	return i;
}

/* The slot of r->member_at for the member named name of archive (files entry) f: its
 * own, or the free one where it would be. */
static size_t member_slot(const struct catalog_reuse *r, size_t f, const char *name)
{
	size_t i = (size_t)(name_hash(name) ^ (f * 0x9E3779B97F4A7C15u)) & (r->member_cap - 1);

	for (; r->member_at[i] != SIZE_MAX; i = (i + 1) & (r->member_cap - 1)) {
		const struct article *a = r->by_member[r->member_at[i]];
		if (a->file == f && strcmp(a->member->name, name) == 0)
			break;
	}
	return i;
}

static int by_archive_member(const void *x, const void *y)
{
	const struct article *a = *(const struct article *const *)x;
	const struct article *b = *(const struct article *const *)y;
	uintptr_t ma = (uintptr_t)a->member, mb = (uintptr_t)b->member;

	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	if (ma != mb)
		return ma < mb ? -1 : 1;
	return a->rec_off < b->rec_off ? -1 : a->rec_off > b->rec_off;
}

/* By hash, then by place. */
static int by_said(const void *x, const void *y)
{
	const struct said *a = x, *b = y;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return (a->diag > b->diag) - (a->diag < b->diag);
}

/* Say again in c the problems r->old said of display while loading it (an archive's
 * member: its bytes unchanged, it would give them again), in their order. */
static void say_again(const struct catalog_reuse *r, const char *display, struct collection *c)
{
	uint64_t h = name_hash(display);
	size_t lo = 0, hi = r->nsaid;

	while (lo < hi) { /* the first entry of hash h or above */
		size_t mid = lo + (hi - lo) / 2;
		if (r->said[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < r->nsaid && r->said[lo].hash == h; lo++) {
		const struct diag *d = &r->old->diags.v[r->said[lo].diag];
		if (strcmp(d->file, display) == 0)
			collection_diag(c, d->file, d->line, "%s", d->msg);
	}
}

/* Index the articles r->old read from archive members, by archive and member, and what
 * its problems were said of. */
static void index_members(struct catalog_reuse *r)
{
	const struct collection *old = r->old;
	size_t n = 0;

	if (old->diags.n) {
		r->said = xreallocarray(NULL, old->diags.n, sizeof *r->said);
		for (size_t i = 0; i < old->diags.n; i++)
			if (old->diags.v[i].file_no != SIZE_MAX) /* said while loading a file */
				r->said[r->nsaid++] = (struct said){name_hash(old->diags.v[i].file),
								    i};
		qsort(r->said, r->nsaid, sizeof *r->said, by_said);
	}

	for (size_t i = 0; i < collection_count(old); i++)
		n += collection_article(old, i)->member &&
		     collection_article(old, i)->file < old->files.n;
	r->member_cap = 16;
	while (r->member_cap < 2 * n + 16)
		r->member_cap *= 2;
	r->member_at = xreallocarray(NULL, r->member_cap, sizeof *r->member_at);
	memset(r->member_at, 0xff, r->member_cap * sizeof *r->member_at);
	if (!n)
		return;
	r->by_member = xreallocarray(NULL, n, sizeof *r->by_member);
	for (size_t i = 0; i < collection_count(old); i++)
		if (collection_article(old, i)->member &&
		    collection_article(old, i)->file < old->files.n)
			r->by_member[r->nby_member++] = collection_article(old, i);
	qsort(r->by_member, n, sizeof *r->by_member, by_archive_member);
	for (size_t k = 0; k < n; k++)
		if (!k || r->by_member[k]->member != r->by_member[k - 1]->member ||
		    r->by_member[k]->file != r->by_member[k - 1]->file) {
			const struct article *a = r->by_member[k];
			size_t slot = member_slot(r, a->file, a->member->name);
			if (r->member_at[slot] == SIZE_MAX) /* a name twice: the first taken */
				r->member_at[slot] = k;
		}
}

struct catalog_reuse *catalog_reuse_new(const struct collection *old)
{
	struct catalog_reuse *r = xcalloc(1, sizeof *r);
	size_t nf = old->files.n, *fill;

	r->old = old;
	seen_init(&r->names, nf);
	for (size_t i = 0; i < nf; i++) {
		size_t slot = name_slot(r, old->files.v[i].path);
		r->names.e[slot] = (struct seen_entry){old->files.v[i].path, 0, (uint32_t)i};
	}
	r->first = xcalloc(nf + 1, sizeof *r->first);
	r->order = xcalloc(collection_count(old) + 1, sizeof *r->order);
	for (size_t i = 0; i < collection_count(old); i++)
		if (collection_article(old, i)->file < nf)
			r->first[collection_article(old, i)->file + 1]++;
	for (size_t f = 0; f < nf; f++)
		r->first[f + 1] += r->first[f];
	fill = xcalloc(nf + 1, sizeof *fill);
	for (size_t i = 0; i < collection_count(old); i++) {
		const struct article *a = collection_article(old, i);
		if (a->file < nf)
			r->order[r->first[a->file] + fill[a->file]++] = a;
	}
	free(fill);
	index_members(r);
	return r;
}

void catalog_reuse_free(struct catalog_reuse *r)
{
	if (!r)
		return;
	seen_free(&r->names);
	free(r->first);
	free(r->order);
	free(r->by_member);
	free(r->member_at);
	free(r->said);
	free(r);
}

static int by_rec_off(const void *x, const void *y)
{
	const struct article *a = *(const struct article *const *)x;
	const struct article *b = *(const struct article *const *)y;

	return a->rec_off < b->rec_off ? -1 : a->rec_off > b->rec_off;
}

/* Add to part copies of arts[0..n), what one file or archive member gave: its article,
 * taking id and alt_id, or its records (in file order), each with the id its record gave
 * (no ~N: a record's own id never has a '~'), so that making ids unique numbers them as
 * a new load would. member: the archive member they are read from now, or NULL. */
static void copy_articles(struct collection *part, const struct article **arts, size_t n,
			  bool records, const char *path, const char *id, const char *alt_id,
			  const struct archive_member *member)
{
	for (size_t k = 0; k < n; k++) {
		struct article a = *arts[k];
		if (member)
			a.member = member;
		if (!records) {
			collection_add_copy(part, &a, path, id, alt_id);
			continue;
		}
		const char *tilde = strchr(a.id, '~');
		char *own = tilde ? xstrndup(a.id, (size_t)(tilde - a.id)) : xstrdup(a.id);
		collection_add_copy(part, &a, path, own, NULL);
		free(own);
	}
}

/* Add to part copies of the problems and articles old file f gave, loaded from path:
 * a file of one article with id and alt_id, or of records (copy_articles). */
static void copy_file(const struct catalog_reuse *r, size_t f, struct collection *part,
		      const char *path, const char *id, const char *alt_id)
{
	const struct collection *old = r->old;
	size_t n = r->first[f + 1] - r->first[f];
	bool records = format_streams((enum format)old->files.v[f].format);
	const struct article **arts;

	for (size_t i = 0; i < old->diags.n; i++)
		if (old->diags.v[i].file_no == f)
			collection_diag(part, old->diags.v[i].file, old->diags.v[i].line, "%s",
					old->diags.v[i].msg);
	arts = xreallocarray(NULL, n ? n : 1, sizeof *arts);
	memcpy(arts, r->order + r->first[f], n * sizeof *arts);
	if (records)
		qsort(arts, n, sizeof *arts, by_rec_off);
	copy_articles(part, arts, n, records, path, id, alt_id, NULL);
	free(arts);
}

bool catalog_reuse(void *ctx, const char *path, const char *id, const char *alt_id,
		   const struct stat *st, struct collection *part)
{
	const struct catalog_reuse *r = ctx;
	const struct collection *old = r->old;
	struct loaded_file now = {
		.dev = (uint64_t)st->st_dev,
		.ino = (uint64_t)st->st_ino,
		.size = (uint64_t)st->st_size,
		.mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec,
		.ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec};
	size_t slot = name_slot(r, path), f;

	if (!r->names.e[slot].p)
		return false;
	f = r->names.e[slot].off;
	if (!same_stat(&old->files.v[f], &now))
		return false;
	collection_begin_file(part, path, st);
	part->files.v[part->cur_file].format = old->files.v[f].format;
	part->files.v[part->cur_file].encoding = old->files.v[f].encoding;
	part->files.v[part->cur_file].lines = old->files.v[f].lines;
	part->files.v[part->cur_file].tail_hash = old->files.v[f].tail_hash;
	copy_file(r, f, part, path, id, alt_id);
	collection_end_file(part);
	return true;
}

bool catalog_reuse_tail(void *ctx, const char *path, int fd, const struct stat *st,
			struct collection *part, uint64_t *from, size_t *lines)
{
	const struct catalog_reuse *r = ctx;
	const struct collection *old = r->old;
	size_t slot = name_slot(r, path), f;
	const struct loaded_file *was;
	uint64_t h;

	if (!r->names.e[slot].p)
		return false;
	f = r->names.e[slot].off;
	was = &old->files.v[f];
	if (was->format != FORMAT_JSONL || !was->lines || was->dev != (uint64_t)st->st_dev ||
	    was->ino != (uint64_t)st->st_ino || (uint64_t)st->st_size <= was->size ||
	    !loader_tail_hash(fd, was->size, &h) || h != was->tail_hash)
		return false;
	copy_file(r, f, part, path, NULL, NULL);
	*from = was->size;
	*lines = (size_t)was->lines;
	return true;
}

bool catalog_reuse_member(void *ctx, const char *archive, const char *display,
			  const struct archive_member *m, const char *id, const char *alt_id,
			  struct collection *c)
{
	const struct catalog_reuse *r = ctx;
	size_t slot = name_slot(r, archive), f, k, end;
	const struct archive_member *was;

	if (!r->names.e[slot].p || !r->nby_member)
		return false;
	f = r->names.e[slot].off;
	k = r->member_at[member_slot(r, f, m->name)];
	if (k == SIZE_MAX)
		return false;
	was = r->by_member[k]->member;
	if (was->crc != m->crc || was->size != m->size || was->comp_size != m->comp_size ||
	    was->method != m->method || was->mtime != m->mtime)
		return false;
	for (end = k; end < r->nby_member && r->by_member[end]->member == was; end++)
		;
	struct archive_member now = *m;
	now.format = was->format;
	now.encoding = was->encoding;
	say_again(r, display, c);
	copy_articles(c, r->by_member + k, end - k, format_streams((enum format)was->format),
		      archive, id, alt_id, &now);
	return true;
}

bool catalog_verify(const struct collection *c)
{
	const struct mapping *m = c->slab_owner;

	if (!c->slab || c->slab_free != unmap)
		return true;
	bool sound = xxh64(m->strings.p, m->strings.n, 0) == m->strings_hash;
	fileio_release_pages(m->strings.p, m->strings.n);
	return sound && !catalog_damaged(c);
}

bool catalog_damaged(const struct collection *c)
{
	const struct mapping *m = c->slab_owner;

	return c->slab && c->slab_free == unmap && mapwatch_cut(m->slot);
}

/* Whether path has a "." or ".." component or an empty one (what a path made from a
 * canonical root never has, and what could lead out of it). */
static bool has_dot_component(const char *path)
{
	for (const char *p = path; (p = strchr(p, '/')) != NULL; p++) {
		const char *q = p + 1;
		if (*q == '/' || (q[0] == '.' && (q[1] == '/' || !q[1])) ||
		    (q[0] == '.' && q[1] == '.' && (q[2] == '/' || !q[2])))
			return true;
	}
	return false;
}

bool catalog_made_from(const struct collection *c, char *const *roots, size_t n)
{
	for (size_t i = 0; i < c->files.n; i++) {
		const char *path = c->files.v[i].path;
		size_t k = 0;
		if (has_dot_component(path))
			return false;
		for (; k < n; k++) {
			size_t len = strlen(roots[k]);
			if (roots[k][0] == '/' && strncmp(path, roots[k], len) == 0 &&
			    (path[len] == '/' || path[len] == '\0' || (len == 1)))
				break;
		}
		if (k == n)
			return false;
	}
	return true;
}

/* ---------------------------------------------------------------------------
 * A catalog read in place, a few articles at a time (--search answering from the
 * index): nothing is copied but the articles asked for. Its seal (catalog_seal) holds
 * the checksum of each SEAL_SLICE bytes of the file, made once by a pass over the
 * whole, which checked the tables' and strings' checksums; a view checks only the
 * slices it reads (each once), and every offset, count and index it follows, as
 * catalog_read does.
 */

#define SEAL_SLICE 4096u
#define SEAL_MAGIC UINT64_C(0x314c414553776e78) /* "xnwSEAL1" */

struct catalog_view {
	struct catalog_map v;
	struct mapping *m;
	const uint64_t *seal; /* per slice, once catalog_view_seal gave them */
	size_t nslices;
	unsigned char *checked;	    /* per slice: found sound */
	struct archive_member *mem; /* per member, made when first used */
	unsigned char *mem_made;
	struct collection files; /* the files (catalog_view_files) */
	struct article a;	 /* the article last given */
	size_t given;		 /* articles given since the pages were given back */
	bool bad;		 /* a slice did not match its seal */
};

/* Articles a view gives before it gives back the pages of its mapping that they were
 * read from (madvise), so that reading every article of a big catalog does not keep
 * it all resident; the slices are then checked again as they are read again. */
#define VIEW_RELEASE_EVERY 65536

/* The slices of a file of n bytes. */
static size_t seal_slices(size_t n)
{
	return (n + SEAL_SLICE - 1) / SEAL_SLICE;
}

bool catalog_of(const struct collection *c)
{
	return c->slab && c->slab_free == unmap;
}

bool catalog_seal(const struct collection *c, struct strbuf *out, uint64_t *identity)
{
	const struct mapping *m = c->slab_owner;
	struct catalog_map v;

	if (!c->slab || c->slab_free != unmap || catalog_damaged(c))
		return false;
	const struct header *h = m->p;
	if (!lay_out(&v, m->p, m->n) || tables_hash(v.parts, NULL) != h->tables_hash ||
	    xxh64(m->strings.p, m->strings.n, 0) != h->strings_hash)
		return false;
	size_t n = seal_slices(m->n);
	uint64_t head[2] = {SEAL_MAGIC, n};
	sb_append(out, (const char *)head, sizeof head);
	for (size_t k = 0; k < n; k++) {
		size_t at = k * SEAL_SLICE, len = m->n - at < SEAL_SLICE ? m->n - at : SEAL_SLICE;
		uint64_t x = xxh64((const char *)m->p + at, len, k);
		sb_append(out, (const char *)&x, sizeof x);
	}
	*identity = h->header_hash;
	fileio_release_pages(m->p, m->n); /* every page read: what is needed is mapped again */
	return !catalog_damaged(c);
}

enum catalog_status catalog_view_open(struct catalog_view **out, uint64_t key, const char *file,
				      struct strbuf *why)
{
	struct catalog_view *w = xcalloc(1, sizeof *w);
	enum catalog_status s = map_catalog(file, key, false, NULL, &w->v, &w->m, why);

	if (s != CATALOG_OK) {
		free(w);
		*out = NULL;
		return s;
	}
	w->nslices = seal_slices(w->m->n);
	w->checked = xcalloc(w->nslices / 8 + 1, 1);
	w->mem = xcalloc(w->v.h->nmembers + 1, sizeof *w->mem);
	w->mem_made = xcalloc(w->v.h->nmembers + 1, 1);
	collection_init(&w->files);
	*out = w;
	return CATALOG_OK;
}

void catalog_view_close(struct catalog_view *w)
{
	if (!w)
		return;
	unmap(w->m);
	free(w->checked);
	free(w->mem);
	free(w->mem_made);
	free(w->files.files.v);
	free(w);
}

bool catalog_identity(const struct collection *c, uint64_t *identity)
{
	const struct mapping *m = c->slab_owner;

	if (!c->slab || c->slab_free != unmap || catalog_damaged(c))
		return false;
	*identity = ((const struct header *)m->p)->header_hash;
	return true;
}

uint64_t catalog_view_identity(const struct catalog_view *w)
{
	return w->v.h->header_hash;
}

size_t catalog_view_count(const struct catalog_view *w)
{
	return (size_t)w->v.h->narticles;
}

bool catalog_view_seal(struct catalog_view *w, const void *seal, size_t n)
{
	const uint64_t *s = seal;

	if (n != (w->nslices + 2) * sizeof *s || s[0] != SEAL_MAGIC || s[1] != w->nslices)
		return false;
	w->seal = s + 2;
	return true;
}

/* Whether the n bytes at p (inside the mapping) are as sealed: each slice they touch
 * hashed once. */
static bool sound(struct catalog_view *w, const void *p, size_t n)
{
	size_t at = (size_t)((const char *)p - (const char *)w->m->p);

	if (!w->seal || w->bad || at > w->m->n || n > w->m->n - at) {
		w->bad = true;
		return false;
	}
	for (size_t k = at / SEAL_SLICE; n && k <= (at + n - 1) / SEAL_SLICE; k++) {
		if (w->checked[k / 8] >> (k % 8) & 1)
			continue;
		size_t from = k * SEAL_SLICE;
		size_t len = w->m->n - from < SEAL_SLICE ? w->m->n - from : SEAL_SLICE;
		if (xxh64((const char *)w->m->p + from, len, k) != w->seal[k]) {
			w->bad = true;
			return false;
		}
		w->checked[k / 8] |= (unsigned char)(1u << (k % 8));
	}
	return !mapwatch_cut(w->m->slot);
}

/* Whether string r is in bounds and sound, with its NUL. */
static bool sound_str(struct catalog_view *w, struct rstr r)
{
	return str_ok(&w->v, r) && sound(w, w->v.strings + r.off, (size_t)r.len + 1);
}

const struct collection *catalog_view_files(struct catalog_view *w, struct strbuf *why)
{
	const struct header *h = w->v.h;

	if (w->files.files.n == h->nfiles && h->nfiles)
		return &w->files;
	if (!sound(w, w->v.files, h->nfiles * sizeof *w->v.files))
		goto bad;
	for (uint64_t i = 0; i < h->nfiles; i++)
		if (!sound_str(w, w->v.files[i].path) || w->v.files[i].format > FORMAT_ZIP)
			goto bad;
	w->files.files.n = 0;
	for (uint64_t i = 0; i < h->nfiles; i++) {
		struct loaded_file lf = file_of(&w->v, &w->v.files[i]);
		VEC_PUSH(&w->files.files, lf);
	}
	return &w->files;
bad:
	sb_puts(why, "damaged (its files)");
	return NULL;
}

const struct article *catalog_view_article(struct catalog_view *w, size_t i, struct strbuf *why)
{
	const struct archive_member *member = NULL;

	if (i >= w->v.h->narticles)
		goto bad;
	if (++w->given == VIEW_RELEASE_EVERY) {
		madvise(w->m->p, w->m->n, MADV_DONTNEED);
		memset(w->checked, 0, w->nslices / 8 + 1);
		w->given = 0;
	}
	const struct rarticle *r = &w->v.articles[i];
	if (!sound(w, r, sizeof *r))
		goto bad;
	if (r->file != NONE &&
	    (r->file >= w->v.h->nfiles || !sound(w, &w->v.files[r->file], sizeof *w->v.files) ||
	     !sound_str(w, w->v.files[r->file].path)))
		goto bad;
	if (r->member != NONE && (r->member >= w->v.h->nmembers ||
				  !sound(w, &w->v.members[r->member], sizeof *w->v.members) ||
				  !sound_str(w, w->v.members[r->member].name) ||
				  w->v.members[r->member].format < FORMAT_NATIVE ||
				  w->v.members[r->member].format > FORMAT_SOGOU))
		goto bad;
	if (check_article(&w->v, r) != NULL || !sound_str(w, r->id) || !sound_str(w, r->title) ||
	    !sound_str(w, r->date) || !sound_str(w, r->source) || !sound_str(w, r->url) ||
	    !sound_str(w, r->body) || !sound_str(w, r->time))
		goto bad;
	if (r->member != NONE) {
		if (!w->mem_made[r->member])
			w->mem[r->member] = member_of(&w->v, &w->v.members[r->member]);
		w->mem_made[r->member] = 1;
		member = &w->mem[r->member];
	}
	if (r->kind == ARTICLE_EXCERPT)
		article_of(&w->a, &w->v, r, NULL, SIZE_MAX);
	else
		article_of(&w->a, &w->v, r, member, r->file);
	return &w->a;
bad:
	sb_puts(why, "damaged (an article)");
	return NULL;
}
