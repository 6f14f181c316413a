/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar_cache.c: the similar-stories index kept on disk, and mapped from it.
 *
 * A file is a header, a table of checksums, then the index's arrays as they are in
 * memory, each at an offset that is a multiple of 8 (its place follows from the
 * header's counts, never read from the file):
 *   header: magic "xinwenSI", format version, byte-order mark, the parameters' hash,
 *     the collection's key, n, nterms, total, the articles updates added or removed
 *     since it was built whole, a word unused, the checksum table's hash, the
 *     header's hash;
 *   checksums: the XXH64 of each SIMILAR_CHUNK bytes of what follows;
 *   ident (n x 2 u64), vstart (n + 1 x u64), vterm (total x u32), vw (total x f32),
 *   pstart (nterms + 1 x u64), pdoc (total x u32), pw (total x f32), tkey (nterms x
 *   u64), df (nterms x u32), owner (nterms x u32).
 * Opening checks the header, the size against the counts and the checksum table, and
 * maps the file: nothing of the arrays is read. A query checks what it touches when it
 * first touches it: the checksums of the chunks it reads, then the offsets, term and
 * article numbers and weights of the article's vector and of each term's postings;
 * what is damaged makes the index answer nothing more (similar_index_damage), so
 * that its user reports it and builds it again. The checks' marks are not locked:
 * one thread at a time queries a mapped index. */
#include <config.h>

#include "cachedir.h"
#include "i18n.h"
#include "similar_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "fold.h"
#include "mapwatch.h"
#include "similar_internal.h"
#include "marks.h"
#include "strbuf.h"
#include "xxh64.h"

#define CACHE_MAGIC "xinwenSI"
#define CACHE_VERSION 4u
#define CACHE_BYTE_ORDER 0x01020304u

struct header {
	char magic[8];
	uint32_t version;
	uint32_t byte_order;
	uint64_t params, key, n, nterms, total, drift;
	uint64_t unused; /* 0: the header is format 3's size, so that its files read as
			  * another version's (stale), not as damaged */
	uint64_t sums_hash;
	uint64_t header_hash; /* of the fields above */
};

enum { P_IDENT, P_VSTART, P_VTERM, P_VW, P_PSTART, P_PDOC, P_PW, P_TKEY, P_DF, P_OWNER, NPARTS };

/* Where a file's parts are: offsets from the start of the file, the chunked payload's
 * start, and the size the file must have. */
struct layout {
	uint64_t off[NPARTS], size[NPARTS];
	uint64_t payload, nchunks, file;
};

/* A hash that any change of one word changes: each step is a bijection of h. */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= w;
	h = h << 29 | h >> 35;
	return h * 0x9E3779B97F4A7C15u + 0x632BE59BD9B4E019u;
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t w;

	h = mix(h, n);
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = mix(h, w);
	}
	w = 0;
	memcpy(&w, s, n);
	return mix(h, w);
}

uint64_t similar_cache_params(void)
{
	uint64_t h = mix(CACHE_VERSION, SIMILAR_LEAD_BYTES);
	h = mix(h, SIMILAR_TERMS);
	return mix(h, fold_ts_problem() != NULL);
}

uint64_t similar_cache_key(const struct collection *c)
{
	uint64_t h = mix(similar_cache_params(), collection_count(c));
	for (size_t i = 0; i < collection_count(c); i++) {
		struct article tmp;
		const struct article *a = collection_peek(c, i, &tmp);
		struct content_id id;

		article_identity(a, &id); /* title and body, and known without reading it */
		h = mix(h, id.hi);
		h = mix(h, id.lo);
	}
	return h;
}

char *similar_cache_path(const struct collection *c)
{
	char name[64];
	uint64_t paths = 0;

	/* The same files in any order are the same collection, whatever they hold now (a
	 * JSON Lines file that grew, a file edited: the file updated, not another one);
	 * articles added without a file: their paths. */
	for (size_t i = 0; i < c->files.n; i++)
		paths += hash_bytes(0, c->files.v[i].path, strlen(c->files.v[i].path));
	for (size_t i = 0; i < collection_count(c) && !c->files.n; i++) {
		struct article tmp;
		const struct article *a = collection_peek(c, i, &tmp);
		if (a->path)
			paths += hash_bytes(0, a->path, strlen(a->path));
	}
	snprintf(name, sizeof name, "similar-%016llx.idx", (unsigned long long)paths);
	return fileio_cache_path(name);
}

static uint64_t header_hash(const struct header *h)
{
	return hash_bytes(0, h, offsetof(struct header, header_hash));
}

/* The layout of a file of h's counts; false when they are out of bounds (a damaged
 * header that would make the sizes overflow). */
static bool layout(const struct header *h, struct layout *l)
{
	static const uint64_t width[NPARTS] = {16, 8, 4, 4, 8, 4, 4, 8, 4, 4};

	if (h->n > UINT32_MAX || h->nterms > UINT32_MAX ||
	    h->total > h->n * (uint64_t)SIMILAR_TERMS)
		return false;
	uint64_t count[NPARTS] = {h->n,	    h->n + 1, h->total,	 h->total,  h->nterms + 1,
				  h->total, h->total, h->nterms, h->nterms, h->nterms};
	uint64_t at = 0;
	for (int p = 0; p < NPARTS; p++) {
		l->off[p] = at;
		l->size[p] = count[p] * width[p];
		at += (l->size[p] + 7) & ~(uint64_t)7;
	}
	l->nchunks = (at + SIMILAR_CHUNK - 1) / SIMILAR_CHUNK;
	l->payload = sizeof *h + l->nchunks * 8;
	for (int p = 0; p < NPARTS; p++)
		l->off[p] += l->payload;
	l->file = l->payload + at;
	return true;
}

/* The payload of a file being written, read in order across its parts. */
struct stream {
	const struct fileio_part *part;
	size_t nparts, at, off;
};

/* Copy the next up to n bytes of s to buf; returns how many. */
static size_t stream_read(struct stream *s, unsigned char *buf, size_t n)
{
	size_t got = 0;
	while (got < n && s->at < s->nparts) {
		const struct fileio_part *p = &s->part[s->at];
		size_t take = p->n - s->off < n - got ? p->n - s->off : n - got;
		memcpy(buf + got, (const char *)p->p + s->off, take);
		got += take;
		s->off += take;
		if (s->off == p->n) {
			s->at++;
			s->off = 0;
		}
	}
	return got;
}

bool similar_cache_save(const char *path, uint64_t key, const struct similar_index *ix)
{
	static const char zeros[8];
	struct header h = {.version = CACHE_VERSION, .byte_order = CACHE_BYTE_ORDER, .key = key};
	struct layout l;

	if (sizeof(size_t) != sizeof(uint64_t) || ix->map || !similar_index_updatable(ix)) {
		errno = ENOTSUP; /* (a mapped index is its file already) */
		return false;
	}
	memcpy(h.magic, CACHE_MAGIC, sizeof h.magic);
	h.params = similar_cache_params();
	h.n = ix->n;
	h.nterms = ix->nterms;
	h.total = ix->vstart[ix->n];
	h.drift = ix->drift;
	if (!layout(&h, &l)) {
		errno = EFBIG;
		return false;
	}
	const void *data[NPARTS] = {ix->ident, ix->vstart, ix->vterm, ix->vw, ix->pstart,
				    ix->pdoc,  ix->pw,	   ix->tkey,  ix->df, ix->owner};
	struct fileio_part out[2 + 2 * NPARTS];
	size_t np = 2;
	for (int p = 0; p < NPARTS; p++) {
		if (l.size[p])
			out[np++] = (struct fileio_part){data[p], (size_t)l.size[p]};
		if (l.size[p] % 8)
			out[np++] = (struct fileio_part){zeros, 8 - (size_t)(l.size[p] % 8)};
	}
	/* The checksums: a first pass over the payload. */
	uint64_t *sums = xcalloc(l.nchunks ? l.nchunks : 1, sizeof *sums);
	unsigned char *buf = xmalloc(SIMILAR_CHUNK);
	struct stream s = {out + 2, np - 2, 0, 0};
	for (uint64_t c = 0; c < l.nchunks; c++) {
		size_t got = stream_read(&s, buf, SIMILAR_CHUNK);
		sums[c] = xxh64(buf, got, c);
	}
	free(buf);
	h.sums_hash = xxh64(sums, l.nchunks * 8, 0);
	h.header_hash = header_hash(&h);
	out[0] = (struct fileio_part){&h, sizeof h};
	out[1] = (struct fileio_part){sums, (size_t)l.nchunks * 8};
	fileio_make_parent(path, NULL);
	bool ok = fileio_replace(path, NULL, out, np) == NULL;
	int e = errno;
	free(sums);
	errno = e;
	return ok;
}

/* ---- Opening. ---- */

/* The index over the map m of a file of header h: its arrays point into the map. */
static struct similar_index *mapped_index(struct similar_map *m, const struct layout *l,
					  const struct header *h)
{
	struct similar_index *x = xcalloc(1, sizeof *x);
	unsigned char *b = m->base;
	const uint64_t *off = l->off;

	x->n = (size_t)h->n;
	x->nterms = (size_t)h->nterms;
	x->ident = (struct content_id *)(b + off[P_IDENT]);
	x->vstart = (size_t *)(b + off[P_VSTART]);
	x->vterm = (uint32_t *)(b + off[P_VTERM]);
	x->vw = (float *)(b + off[P_VW]);
	x->pstart = (size_t *)(b + off[P_PSTART]);
	x->pdoc = (uint32_t *)(b + off[P_PDOC]);
	x->pw = (float *)(b + off[P_PW]);
	x->tkey = (uint64_t *)(b + off[P_TKEY]);
	x->df = (uint32_t *)(b + off[P_DF]);
	x->owner = (uint32_t *)(b + off[P_OWNER]);
	x->drift = (size_t)h->drift;
	x->map = m;
	return x;
}

/* Whether the ends of the offset arrays are what the counts say (the offsets between
 * are checked as they are used). */
static bool ends_ok(struct similar_map *m, const struct similar_index *x, const struct header *h)
{
	if (!similar_map_touch(m, x->vstart, 8) || !similar_map_touch(m, &x->vstart[x->n], 8) ||
	    !similar_map_touch(m, x->pstart, 8) || !similar_map_touch(m, &x->pstart[x->nterms], 8))
		return false;
	return x->vstart[0] == 0 && x->vstart[x->n] == h->total && x->pstart[0] == 0 &&
	       x->pstart[x->nterms] == h->total;
}

enum similar_cache_status similar_cache_open(const char *path, struct similar_index **ix,
					     uint64_t *key, char *why, size_t whylen)
{
	struct header h;
	struct stat st;
	struct layout l;
	enum similar_cache_status status = SIMILAR_CACHE_CORRUPT;
	const char *problem = NULL;

	*ix = NULL;
	why[0] = '\0';
	/* Never a FIFO (it would block the reader for good) nor a symlink. */
	int fd = fileio_open_own(path, O_RDONLY, 0, &st);
	if (fd < 0) {
		if (errno == ENOENT)
			return SIMILAR_CACHE_MISSING;
		snprintf(why, whylen, _("cannot open: %s; rebuilding it"), fileio_strerror(errno));
		return SIMILAR_CACHE_CORRUPT;
	}
	if ((uint64_t)st.st_size < sizeof h || !fileio_read_exact(fd, &h, sizeof h)) {
		problem = "truncated header";
		goto out;
	}
	if (memcmp(h.magic, CACHE_MAGIC, sizeof h.magic) != 0) {
		problem = "not a similar-stories cache file";
		goto out;
	}
	if (h.header_hash != header_hash(&h)) {
		problem = "damaged header";
		goto out;
	}
	if (h.version != CACHE_VERSION || h.byte_order != CACHE_BYTE_ORDER ||
	    sizeof(size_t) != sizeof(uint64_t) || h.params != similar_cache_params()) {
		status = SIMILAR_CACHE_STALE;
		goto out;
	}
	if (!layout(&h, &l)) {
		problem = "counts that do not fit";
		goto out;
	}
	if ((uint64_t)st.st_size != l.file) {
		problem = (uint64_t)st.st_size < l.file ? "truncated" : "longer than its counts";
		goto out;
	}
	void *base = mmap(NULL, (size_t)l.file, PROT_READ, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		snprintf(why, whylen, _("cannot open: %s; rebuilding it"), fileio_strerror(errno));
		goto out;
	}
	fileio_small_pages(base, (size_t)l.file);
	int slot = mapwatch_add(base, (size_t)l.file);
	if (slot < 0) { /* not watched: not used (a file cut short would end the reader) */
		munmap(base, (size_t)l.file);
		status = SIMILAR_CACHE_MISSING;
		goto out;
	}
	struct similar_map *m = xcalloc(1, sizeof *m);
	m->slot = slot;
	m->base = base;
	m->size = (size_t)l.file;
	m->payload = (size_t)l.payload;
	m->total = (size_t)h.total;
	m->sums = (const uint64_t *)(m->base + sizeof h);
	m->key = h.key;
	m->chunk_ok = xcalloc(l.nchunks / 8 + 1, 1);
	m->vector_ok = xcalloc(h.n / 8 + 1, 1);
	m->post_ok = xcalloc(h.nterms / 8 + 1, 1);
	m->narticles = (size_t)h.n;
	m->nterms = (size_t)h.nterms;
	struct similar_index *x = mapped_index(m, &l, &h);
	if (xxh64(m->sums, l.nchunks * 8, 0) != h.sums_hash) {
		problem = "checksum mismatch";
	} else if (!ends_ok(m, x, &h)) {
		problem = m->damage[0] ? "checksum mismatch" : "inconsistent offsets";
	} else {
		*ix = x;
		*key = h.key;
		status = SIMILAR_CACHE_OK;
		cachedir_touch(path); /* opened: kept by the expiry of unused caches */
	}
	if (!*ix)
		similar_index_free(x);
out:
	close(fd);
	if (problem)
		snprintf(why, whylen, _("corrupt similar-stories cache (%s); rebuilding it"),
			 problem);
	return status;
}

enum similar_cache_status similar_cache_load(const char *path, uint64_t key, size_t n,
					     struct similar_index **ix, char *why, size_t whylen)
{
	uint64_t had;
	enum similar_cache_status st = similar_cache_open(path, ix, &had, why, whylen);

	if (st == SIMILAR_CACHE_OK && (had != key || (*ix)->n != n)) {
		similar_index_free(*ix);
		*ix = NULL;
		st = SIMILAR_CACHE_STALE;
	}
	return st;
}

/* The index of c from the cache file path when it is sound and for key; NULL if not
 * (a corrupt file is reported on err as "PATH: message"). */
static struct similar_index *load_kept(const struct collection *c, const char *path, uint64_t key,
				       FILE *err)
{
	struct similar_index *ix = NULL;
	char why[160];

	if (similar_cache_load(path, key, collection_count(c), &ix, why, sizeof why) ==
	    SIMILAR_CACHE_CORRUPT)
		fprintf(err, "%s: %s\n", path, why);
	return ix;
}

struct similar_index *similar_index_kept(const struct collection *c, FILE *err)
{
	char *path = similar_cache_path(c);
	struct similar_index *ix = path ? load_kept(c, path, similar_cache_key(c), err) : NULL;

	free(path);
	return ix;
}

/* The index of c built (from old, an earlier state's, when that can be updated), err
 * told first when c has more than say_above articles. */
static struct similar_index *build_saying(const struct collection *c,
					  const struct similar_index *old, size_t say_above,
					  FILE *err)
{
	if (collection_count(c) > say_above) {
		struct strbuf count = {0};
		sb_put_count(&count, collection_count(c));
		fprintf(err, _("xinwen: computing the similar stories of %s articles…\n"), count.s);
		fflush(err);
		sb_free(&count);
	}
	return similar_build_finish(similar_build_update(c, old));
}

struct similar_index *similar_index_cached(const struct collection *c, bool use_cache,
					   size_t say_above, FILE *err)
{
	char *path = use_cache ? similar_cache_path(c) : NULL;
	struct similar_index *ix, *old = NULL;
	uint64_t had = 0;
	char why[160];

	if (!path)
		return build_saying(c, NULL, say_above, err);
	uint64_t key = similar_cache_key(c);
	enum similar_cache_status st = similar_cache_open(path, &old, &had, why, sizeof why);
	if (st == SIMILAR_CACHE_CORRUPT)
		fprintf(err, "%s: %s\n", path, why);
	if (st == SIMILAR_CACHE_OK && had == key && old->n == collection_count(c)) {
		free(path);
		return old;
	}
	/* Another state of the collection: updated from it (the articles it has are not
	 * read again). */
	ix = build_saying(c, old, say_above, err);
	if (similar_index_damage(old))
		fprintf(err, "%s: %s\n", path, similar_index_damage(old));
	similar_index_free(old);
	similar_cache_save(path, key, ix); /* a cache that cannot be written is no cache */
	free(path);
	return ix;
}

size_t similar_cache_query(struct similar_index **ix, const struct collection *c, bool use_cache,
			   size_t article, struct similar_hit *out, size_t k, FILE *err)
{
	size_t n = similar_query(*ix, article, out, k);
	const char *damage = similar_index_damage(*ix);

	if (!damage)
		return n;
	char *path = similar_cache_path(c);
	fprintf(err, "%s: %s\n", path ? path : "", damage);
	similar_index_free(*ix);
	*ix = build_saying(c, NULL, SIZE_MAX, err);
	if (use_cache && path)
		similar_cache_save(path, similar_cache_key(c), *ix);
	free(path);
	return similar_query(*ix, article, out, k);
}
