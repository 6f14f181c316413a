/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar_cache.c: the similar-stories index kept on disk.
 *
 * A file is a header, then the index's six arrays as they are in memory:
 *   magic "xinwenSI", format version, byte-order mark, key, n, nterms, total,
 *   the payload's hash, the header's hash;
 *   vstart (n + 1 x u64), vterm (total x u32), vw (total x f32),
 *   pstart (nterms + 1 x u64), pdoc (total x u32), pw (total x f32).
 * Loading checks the size against the counts, both hashes, then every offset and
 * term and article number, so a damaged file is never used. */
#include <config.h>

#include "cachedir.h"
#include "i18n.h"
#include "similar_cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "fold.h"
#include "similar_internal.h"
#include "marks.h"
#include "strbuf.h"

#define CACHE_MAGIC "xinwenSI"
#define CACHE_VERSION 2u
#define CACHE_BYTE_ORDER 0x01020304u

struct header {
	char magic[8];
	uint32_t version;
	uint32_t byte_order;
	uint64_t key, n, nterms, total;
	uint64_t payload_hash;
	uint64_t header_hash; /* of the fields above */
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

uint64_t similar_cache_key(const struct collection *c)
{
	uint64_t h = mix(CACHE_VERSION, SIMILAR_LEAD_BYTES);
	h = mix(h, SIMILAR_TERMS);
	h = mix(h, fold_ts_problem() != NULL);
	h = mix(h, c->articles.n);
	for (size_t i = 0; i < c->articles.n; i++) {
		const struct article *a = c->articles.v[i];
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

	/* The same files in any order are the same collection. */
	for (size_t i = 0; i < c->articles.n; i++)
		if (c->articles.v[i]->path)
			paths += hash_bytes(0, c->articles.v[i]->path,
					    strlen(c->articles.v[i]->path));
	snprintf(name, sizeof name, "similar-%016llx.idx", (unsigned long long)paths);
	return fileio_cache_path(name);
}

/* The arrays of an index, in file order. */
struct part {
	void *p;
	size_t size;
};

static void parts(const struct similar_index *ix, struct part out[6])
{
	size_t total = ix->vstart[ix->n];
	out[0] = (struct part){ix->vstart, (ix->n + 1) * sizeof *ix->vstart};
	out[1] = (struct part){ix->vterm, total * sizeof *ix->vterm};
	out[2] = (struct part){ix->vw, total * sizeof *ix->vw};
	out[3] = (struct part){ix->pstart, (ix->nterms + 1) * sizeof *ix->pstart};
	out[4] = (struct part){ix->pdoc, total * sizeof *ix->pdoc};
	out[5] = (struct part){ix->pw, total * sizeof *ix->pw};
}

static uint64_t header_hash(const struct header *h)
{
	return hash_bytes(0, h, offsetof(struct header, header_hash));
}

bool similar_cache_save(const char *path, uint64_t key, const struct similar_index *ix)
{
	struct header h = {.version = CACHE_VERSION, .byte_order = CACHE_BYTE_ORDER, .key = key};
	struct part p[6];
	bool ok;

	if (sizeof(size_t) != sizeof(uint64_t)) {
		errno = ENOTSUP;
		return false;
	}
	memcpy(h.magic, CACHE_MAGIC, sizeof h.magic);
	h.n = ix->n;
	h.nterms = ix->nterms;
	h.total = ix->vstart[ix->n];
	parts(ix, p);
	h.payload_hash = 0;
	for (int i = 0; i < 6; i++)
		h.payload_hash = hash_bytes(h.payload_hash, p[i].p, p[i].size);
	h.header_hash = header_hash(&h);

	struct fileio_part out[7] = {{&h, sizeof h}};
	for (int i = 0; i < 6; i++)
		out[i + 1] = (struct fileio_part){p[i].p, p[i].size};
	fileio_make_parent(path, NULL);
	ok = fileio_replace(path, NULL, out, 7) == NULL;
	return ok;
}

/* Whether the loaded arrays make a consistent index: every offset within its array,
 * every term and article number in range, weights in [0, 1]. */
static bool consistent(const struct similar_index *ix, size_t total)
{
	if (ix->vstart[0] != 0 || ix->vstart[ix->n] != total || ix->pstart[0] != 0 ||
	    ix->pstart[ix->nterms] != total)
		return false;
	for (size_t i = 0; i < ix->n; i++) {
		if (ix->vstart[i] > ix->vstart[i + 1])
			return false;
		for (size_t k = ix->vstart[i]; k < ix->vstart[i + 1]; k++)
			if (ix->vterm[k] >= ix->nterms ||
			    (k > ix->vstart[i] && ix->vterm[k] <= ix->vterm[k - 1]) ||
			    !(ix->vw[k] > 0 && ix->vw[k] <= 1))
				return false;
	}
	for (size_t t = 0; t < ix->nterms; t++) {
		if (ix->pstart[t] > ix->pstart[t + 1])
			return false;
		for (size_t k = ix->pstart[t]; k < ix->pstart[t + 1]; k++)
			if (ix->pdoc[k] >= ix->n || !(ix->pw[k] > 0 && ix->pw[k] <= 1))
				return false;
	}
	return true;
}

/* Whether a * b + c fits a size_t (into *out). */
static bool size_fits(uint64_t a, uint64_t b, uint64_t c, size_t *out)
{
	if (a && b > (SIZE_MAX - c) / a)
		return false;
	*out = (size_t)(a * b + c);
	return true;
}

enum similar_cache_status similar_cache_load(const char *path, uint64_t key, size_t n,
					     struct similar_index **ix, char *why, size_t whylen)
{
	struct header h;
	struct stat st;
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
	    sizeof(size_t) != sizeof(uint64_t) || h.key != key) {
		status = SIMILAR_CACHE_STALE;
		goto out;
	}
	size_t total, size, part;
	if (h.n != n || h.total > UINT32_MAX * (uint64_t)SIMILAR_TERMS || h.nterms > UINT32_MAX ||
	    !size_fits(h.n + 1, 8, sizeof h, &size) || !size_fits(h.nterms + 1, 8, size, &size) ||
	    !size_fits(h.total, 16, size, &size)) {
		problem = "counts that do not fit the collection";
		goto out;
	}
	total = (size_t)h.total;
	if ((uint64_t)st.st_size != size) {
		problem = (uint64_t)st.st_size < size ? "truncated" : "longer than its counts";
		goto out;
	}
	struct similar_index *x = xcalloc(1, sizeof *x);
	x->n = n;
	x->nterms = (size_t)h.nterms;
	x->vstart = xcalloc(n + 1, sizeof *x->vstart);
	x->vterm = xcalloc(total ? total : 1, sizeof *x->vterm);
	x->vw = xcalloc(total ? total : 1, sizeof *x->vw);
	x->pstart = xcalloc(x->nterms + 1, sizeof *x->pstart);
	x->pdoc = xcalloc(total ? total : 1, sizeof *x->pdoc);
	x->pw = xcalloc(total ? total : 1, sizeof *x->pw);
	/* parts() takes total from vstart[n]: read vstart first, then check it. */
	if (!fileio_read_exact(fd, x->vstart, (n + 1) * sizeof *x->vstart) ||
	    x->vstart[n] != total) {
		similar_index_free(x);
		problem = "inconsistent offsets";
		goto out;
	}
	struct part p[6];
	uint64_t sum = 0;
	parts(x, p);
	sum = hash_bytes(sum, p[0].p, p[0].size);
	for (part = 1; part < 6; part++) {
		if (!fileio_read_exact(fd, p[part].p, p[part].size))
			break;
		sum = hash_bytes(sum, p[part].p, p[part].size);
	}
	if (part < 6 || sum != h.payload_hash) {
		similar_index_free(x);
		problem = part < 6 ? "truncated" : "checksum mismatch";
		goto out;
	}
	if (!consistent(x, total)) {
		similar_index_free(x);
		problem = "inconsistent offsets";
		goto out;
	}
	*ix = x;
	status = SIMILAR_CACHE_OK;
	cachedir_touch(path); /* opened: kept by the expiry of unused caches */
out:
	close(fd);
	if (problem)
		snprintf(why, whylen, _("corrupt similar-stories cache (%s); rebuilding it"),
			 problem);
	return status;
}

/* The index of c from the cache file path when it is sound and for key; NULL if not
 * (a corrupt file is reported on err as "PATH: message"). */
static struct similar_index *load_kept(const struct collection *c, const char *path, uint64_t key,
				       FILE *err)
{
	struct similar_index *ix = NULL;
	char why[160];

	if (similar_cache_load(path, key, c->articles.n, &ix, why, sizeof why) ==
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

/* The index of c built, err told first when c has more than say_above articles. */
static struct similar_index *build_saying(const struct collection *c, size_t say_above, FILE *err)
{
	if (c->articles.n > say_above) {
		struct strbuf count = {0};
		sb_put_count(&count, c->articles.n);
		fprintf(err, _("xinwen: computing the similar stories of %s articles…\n"), count.s);
		fflush(err);
		sb_free(&count);
	}
	return similar_index_build(c);
}

struct similar_index *similar_index_cached(const struct collection *c, bool use_cache,
					   size_t say_above, FILE *err)
{
	char *path = use_cache ? similar_cache_path(c) : NULL;
	struct similar_index *ix;

	if (!path)
		return build_saying(c, say_above, err);
	uint64_t key = similar_cache_key(c);
	if (!(ix = load_kept(c, path, key, err))) {
		ix = build_saying(c, say_above, err);
		similar_cache_save(path, key, ix); /* a cache that cannot be written is no cache */
	}
	free(path);
	return ix;
}
