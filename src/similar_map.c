/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar_map.c: a similar-stories index mapped from its cache file (similar_cache.c
 * maps it), checked as it is used: the checksum of each chunk a query reads, on its
 * first read, then the offsets, numbers and weights of the article's vector and of
 * each term's postings (each marked once checked), and the counts an update takes.
 * What is damaged makes the index answer nothing more. The marks are not locked: one
 * thread at a time uses a mapped index. */
#include <config.h>

#include "i18n.h"
#include "similar_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fileio.h"
#include "mapwatch.h"
#include "xxh64.h"

/* Mark the map damaged (the first problem found is the one said); returns false. */
static bool damaged(struct similar_map *m, const char *problem)
{
	if (!m->damage[0])
		snprintf(m->damage, sizeof m->damage,
			 _("corrupt similar-stories cache (%s); rebuilding it"), problem);
	return false;
}

static bool bit(const unsigned char *v, size_t i)
{
	return v[i / 8] >> (i % 8) & 1;
}

static void set_bit(unsigned char *v, size_t i)
{
	v[i / 8] |= (unsigned char)(1u << (i % 8));
}

bool similar_map_touch(struct similar_map *m, const void *p, size_t n)
{
	if (m->damage[0])
		return false;
	if (mapwatch_cut(m->slot)) /* the file was cut short under the reader */
		return damaged(m, "cut short while in use");
	if (n == 0)
		return true;
	size_t from = (size_t)((const unsigned char *)p - m->base) - m->payload;
	size_t to = from + n - 1;
	for (size_t c = from / SIMILAR_CHUNK; c <= to / SIMILAR_CHUNK; c++) {
		if (bit(m->chunk_ok, c))
			continue;
		size_t at = m->payload + c * SIMILAR_CHUNK;
		size_t len = m->size - at < SIMILAR_CHUNK ? m->size - at : SIMILAR_CHUNK;
		if (xxh64(m->base + at, len, c) != m->sums[c])
			return damaged(m, "checksum mismatch");
		set_bit(m->chunk_ok, c);
		m->touched += len;
	}
	return true;
}

size_t similar_resident = SIMILAR_RESIDENT;

void similar_map_trim(struct similar_map *m)
{
	if (m->touched <= similar_resident || m->size <= m->payload)
		return;
	fileio_release_pages(m->base + m->payload, m->size - m->payload);
	size_t nchunks = (m->size - m->payload + SIMILAR_CHUNK - 1) / SIMILAR_CHUNK;
	memset(m->chunk_ok, 0, nchunks / 8 + 1);
	memset(m->vector_ok, 0, m->narticles / 8 + 1);
	memset(m->post_ok, 0, m->nterms / 8 + 1);
	m->ident_ok = m->tkey_ok = m->counts_ok = false;
	m->touched = 0;
}

static bool weight_ok(float w)
{
	return isfinite(w) && w > 0 && w <= 1;
}

bool similar_map_vector(const struct similar_index *ix, size_t i, size_t *from, size_t *to)
{
	struct similar_map *m = ix->map;

	if (!m) {
		*from = ix->vstart[i];
		*to = ix->vstart[i + 1];
		return true;
	}
	if (m->damage[0] || !similar_map_touch(m, &ix->vstart[i], 2 * sizeof *ix->vstart))
		return false;
	size_t a = ix->vstart[i], e = ix->vstart[i + 1];
	/* The range at each use (the file may change under the map), the rest once. */
	if (a > e || e > m->total || e - a > SIMILAR_TERMS)
		return damaged(m, "inconsistent offsets");
	if (!bit(m->vector_ok, i)) {
		if (!similar_map_touch(m, ix->vterm + a, (e - a) * 4) ||
		    !similar_map_touch(m, ix->vw + a, (e - a) * 4))
			return false;
		for (size_t k = a; k < e; k++)
			if (ix->vterm[k] >= ix->nterms ||
			    (k > a && ix->vterm[k] <= ix->vterm[k - 1]) || !weight_ok(ix->vw[k]))
				return damaged(m, "inconsistent offsets");
		set_bit(m->vector_ok, i);
	}
	*from = a;
	*to = e;
	return true;
}

bool similar_map_postings(const struct similar_index *ix, size_t t, size_t *from, size_t *to)
{
	struct similar_map *m = ix->map;

	if (!m) {
		*from = ix->pstart[t];
		*to = ix->pstart[t + 1];
		return true;
	}
	if (m->damage[0] || t >= ix->nterms ||
	    !similar_map_touch(m, &ix->pstart[t], 2 * sizeof *ix->pstart))
		return false;
	size_t a = ix->pstart[t], e = ix->pstart[t + 1];
	if (a > e || e > m->total)
		return damaged(m, "inconsistent offsets");
	if (!bit(m->post_ok, t)) {
		if (!similar_map_touch(m, ix->pdoc + a, (e - a) * 4) ||
		    !similar_map_touch(m, ix->pw + a, (e - a) * 4))
			return false;
		for (size_t k = a; k < e; k++)
			if (ix->pdoc[k] >= ix->n || !weight_ok(ix->pw[k]))
				return damaged(m, "inconsistent offsets");
		set_bit(m->post_ok, t);
	}
	*from = a;
	*to = e;
	return true;
}

bool similar_map_counts(const struct similar_index *ix)
{
	struct similar_map *m = ix->map;

	if (!m || m->counts_ok)
		return true;
	if (!similar_map_touch(m, ix->df, ix->nterms * sizeof *ix->df) ||
	    !similar_map_touch(m, ix->owner, ix->nterms * sizeof *ix->owner))
		return false;
	for (size_t t = 0; t < ix->nterms; t++)
		if (ix->df[t] == 0 || (ix->owner[t] != SIMILAR_NO_OWNER && ix->owner[t] >= ix->n))
			return damaged(m, "inconsistent offsets");
	m->counts_ok = true;
	return true;
}

const struct content_id *similar_map_idents(const struct similar_index *ix)
{
	struct similar_map *m = ix->map;

	if (m && !m->ident_ok) {
		if (!similar_map_touch(m, ix->ident, ix->n * sizeof *ix->ident))
			return NULL;
		m->ident_ok = true;
	}
	return ix->ident;
}

bool similar_map_tkey(const struct similar_index *ix, size_t t, uint64_t *key)
{
	struct similar_map *m = ix->map;

	if (t >= ix->nterms)
		return m ? damaged(m, "inconsistent offsets") : false;
	if (m && !m->tkey_ok) {
		if (!similar_map_touch(m, ix->tkey, ix->nterms * sizeof *ix->tkey))
			return false;
		m->tkey_ok = true;
	}
	*key = ix->tkey[t];
	return true;
}

void similar_map_free(struct similar_map *m)
{
	if (!m)
		return;
	mapwatch_remove(m->slot);
	munmap(m->base, m->size);
	free(m->chunk_ok);
	free(m->vector_ok);
	free(m->post_ok);
	free(m);
}

const char *similar_index_damage(const struct similar_index *ix)
{
	if (ix && ix->map && !ix->map->damage[0] && mapwatch_cut(ix->map->slot))
		damaged(ix->map, "cut short while in use");
	return ix && ix->map && ix->map->damage[0] ? ix->map->damage : NULL;
}
