/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar.c: similar stories by content: TF-IDF over character bigrams of the folded
 * title and lead of each article, cosine similarity through an inverted index.
 *
 * The build has three phases, each done in slices so that the reader can build while
 * it waits for keys: (1) fold each article's title and lead, cut it into bigrams of
 * word characters, count them and their document frequencies; (2) weigh each
 * article's terms, (1 + log tf) * log(N / df), keep the SIMILAR_TERMS heaviest of those
 * other articles have too and normalise (by them and the terms of this article alone);
 * (3) invert the kept terms into postings: count each term's, then fill them.
 * An update from an earlier index reads only the articles that are new, and the old
 * ones whose terms were theirs alone until a new one shared them; the others keep their
 * vectors, merged in article order before phase 3.
 * A query adds up the products of its terms' weights along their postings. */
#include <config.h>

#include "similar.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>

#include "fold.h"
#include "body.h"
#include "similar_internal.h"
#include "strbuf.h"

/* A weighted term of an article, or a scored candidate of a query. */
struct scored {
	float w;
	uint32_t id;
};

/* Term ids by bigram: open addressing, key + 1 so that 0 marks a free slot; key and id
 * side by side, so that a lookup touches one cache line. */
struct term_slot {
	uint64_t key;
	uint32_t id;
};
struct term_map {
	struct term_slot *slots;
	size_t cap, n;
};

enum phase {
	PHASE_COUNT,
	PHASE_WEIGH,
	PHASE_GATHER, /* an update: the vectors kept and weighed, in article order */
	PHASE_POST_COUNT,
	PHASE_POST_FILL,
	PHASE_DONE
};

struct similar_build {
	const struct collection *c;
	enum phase phase;
	size_t next; /* the next article of the phase */
	struct term_map terms;
	VEC(uint32_t) df;
	VEC(uint32_t) owner; /* per term: the article it was first found in */
	/* Per term: the number + 1 of the last article it was counted in, and its place
	 * among that article's terms. */
	VEC(uint32_t) seen;
	VEC(uint32_t) at;
	/* The articles to read, by their place: every article (todo unused) or, in an
	 * update, the new ones (the first nnew) then the old ones they touched. */
	VEC(size_t) todo;
	size_t nnew;
	size_t counting; /* the article being counted */
	/* Phase 1's counts: the distinct terms and their counts of the articles read, for
	 * the first kept (while they fit keep_max entries); phase 2 counts the others
	 * again, one at a time, after the kept ones. */
	VEC(size_t) raw_start;
	VEC(uint32_t) raw_term;
	VEC(uint16_t) raw_tf;
	size_t kept, keep_max;
	bool keeping;
	size_t nterms_weighed; /* the terms phase 1 found (the ones with an idf) */
	float idf_once;	       /* the idf of a term found in one article */
	float *idf;
	VEC(size_t) vstart;
	VEC(uint32_t) vterm;
	VEC(float) vw;
	/* Phase 3: the index being made, and where each term's next posting goes. */
	struct similar_index *ix;
	size_t *fill;
	/* An update (similar_build_update): the old index; for each article the row of old
	 * it is (NO_ROW: read) and its place in todo when read; for each row the article
	 * it is (NO_ROW: removed); the vectors weighed, by place in todo. */
	const struct similar_index *old;
	size_t *from_row, *read_at, *row_article;
	size_t reused, drift;
	VEC(size_t) fresh_start;
	VEC(uint32_t) fresh_term;
	VEC(float) fresh_w;
	/* Scratch. */
	struct strbuf text;
	VEC(struct scored) sel;
};

#define NO_ROW SIZE_MAX

static size_t hash_slot(uint64_t key, size_t mask)
{
	key *= 0x9E3779B97F4A7C15u;
	return (size_t)(key ^ key >> 29) & mask;
}

static void term_map_grow(struct term_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	struct term_slot *slots = xcalloc(cap, sizeof *slots);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->slots[i].key)
			continue;
		size_t h = hash_slot(m->slots[i].key, cap - 1);
		while (slots[h].key)
			h = (h + 1) & (cap - 1);
		slots[h] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
}

/* The id of the bigram key, a new one when it is new. */
static uint32_t term_id(struct term_map *m, uint64_t key)
{
	if ((m->n + 1) * 2 > m->cap)
		term_map_grow(m);
	key++;
	size_t h = hash_slot(key, m->cap - 1);
	while (m->slots[h].key) {
		if (m->slots[h].key == key)
			return m->slots[h].id;
		h = (h + 1) & (m->cap - 1);
	}
	m->slots[h].key = key;
	m->slots[h].id = (uint32_t)m->n++;
	return m->slots[h].id;
}

/* Heavier first; equal weights by id, so that every order is deterministic. */
static int cmp_scored(const struct scored *a, const struct scored *b)
{
	if (a->w != b->w)
		return a->w > b->w ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

static int cmp_scored_q(const void *x, const void *y)
{
	return cmp_scored(x, y);
}

static int cmp_scored_id(const void *x, const void *y)
{
	const struct scored *a = x, *b = y;
	return (a->id > b->id) - (a->id < b->id);
}

static void swap_scored(struct scored *a, struct scored *b)
{
	struct scored t = *a;
	*a = *b;
	*b = t;
}

/* Reorder v[0, n) so that its m best (cmp_scored) come first, in order. */
static void select_best(struct scored *v, size_t n, size_t m)
{
	size_t lo = 0, hi = n;

	if (m >= n) {
		if (n > 1)
			qsort(v, n, sizeof *v, cmp_scored_q);
		return;
	}
	/* Quickselect: narrow [lo, hi) down to the range that holds position m. */
	while (hi - lo > 1) {
		struct scored pivot = v[lo + (hi - 1 - lo) / 2];
		size_t i = lo, j = hi - 1;
		for (;;) {
			while (cmp_scored(&v[i], &pivot) < 0)
				i++;
			while (cmp_scored(&v[j], &pivot) > 0)
				j--;
			if (i >= j)
				break;
			swap_scored(&v[i++], &v[j--]);
		}
		if (m <= j)
			hi = j + 1;
		else
			lo = j + 1;
	}
	qsort(v, m, sizeof *v, cmp_scored_q);
}

/* Set b up to build the index of c whole; nothing is computed yet. */
static void build_init(struct similar_build *b, const struct collection *c, size_t keep_max)
{
	memset(b, 0, sizeof *b);
	b->c = c;
	b->keep_max = keep_max;
	b->keeping = true;
	VEC_PUSH(&b->raw_start, 0);
	VEC_PUSH(&b->vstart, 0);
}

struct similar_build *similar_build_start(const struct collection *c)
{
	struct similar_build *b = xmalloc(sizeof *b);
	build_init(b, c, SIMILAR_KEEP_COUNTS);
	return b;
}

void similar_build_keep_counts(struct similar_build *b, size_t entries)
{
	b->keep_max = entries;
}

size_t similar_build_reused(const struct similar_build *b)
{
	return b->reused;
}

/* Room in the per-term counts for every id the term map can hold. */
static void grow_counts(struct similar_build *b)
{
	size_t n = b->terms.cap, had = b->df.n;
	if (had >= n)
		return;
	vec_reserve(&b->df.v, &b->df.cap, n, sizeof *b->df.v);
	vec_reserve(&b->owner.v, &b->owner.cap, n, sizeof *b->owner.v);
	vec_reserve(&b->seen.v, &b->seen.cap, n, sizeof *b->seen.v);
	vec_reserve(&b->at.v, &b->at.cap, n, sizeof *b->at.v);
	memset(b->df.v + had, 0, (n - had) * sizeof *b->df.v);
	memset(b->owner.v + had, 0xff, (n - had) * sizeof *b->owner.v);
	memset(b->seen.v + had, 0, (n - had) * sizeof *b->seen.v);
	b->df.n = b->owner.n = b->seen.n = b->at.n = n;
}

/* Whether every vector of old is sound (checked once, here, so that the update never
 * meets a damaged one halfway). */
static bool vectors_sound(const struct similar_index *old)
{
	for (size_t r = 0; r < old->n; r++) {
		size_t from, to;
		if (!similar_map_vector(old, r, &from, &to))
			return false;
	}
	return true;
}

/* Take old's terms with the same ids, their article counts less the removed rows'
 * and their owners as articles of this build; false when old holds a bigram twice. */
static bool take_terms(struct similar_build *b, const struct similar_index *old)
{
	uint64_t key;

	for (size_t t = 0; t < old->nterms; t++)
		if (!similar_map_tkey(old, t, &key) || term_id(&b->terms, key) != t)
			return false;
	grow_counts(b);
	for (size_t t = 0; t < old->nterms; t++) {
		uint32_t o = old->owner[t];
		b->df.v[t] = old->df[t];
		if (o != SIMILAR_NO_OWNER && b->row_article[o] != NO_ROW)
			b->owner.v[t] = (uint32_t)b->row_article[o];
	}
	/* A removed row's terms are counted out as far as it kept them: those of its
	 * vector (the others stay counted: at most a term links to nothing). */
	for (size_t r = 0; r < old->n; r++) {
		if (b->row_article[r] != NO_ROW)
			continue;
		for (size_t k = old->vstart[r]; k < old->vstart[r + 1]; k++)
			if (b->df.v[old->vterm[k]] > 1)
				b->df.v[old->vterm[k]]--;
	}
	return true;
}

struct similar_build *similar_build_update(const struct collection *c,
					   const struct similar_index *old)
{
	struct similar_build *b = similar_build_start(c);
	size_t n = collection_count(c), reused;
	const struct content_id *ids;

	if (!old || n > UINT32_MAX || !similar_index_updatable(old) ||
	    !(ids = similar_map_idents(old)) || !similar_map_counts(old) || !vectors_sound(old))
		return b;
	size_t *from_row = collection_match_ids(c, n, ids, old->n, &reused);
	uint64_t drift = (uint64_t)old->drift + (n - reused) + (old->n - reused);
	if (drift * 100 > (uint64_t)SIMILAR_DRIFT * n) { /* built whole again */
		free(from_row);
		return b;
	}
	b->row_article = xmalloc((old->n ? old->n : 1) * sizeof *b->row_article);
	for (size_t r = 0; r < old->n; r++)
		b->row_article[r] = NO_ROW;
	for (size_t i = 0; i < n; i++)
		if (from_row[i] != NO_ROW)
			b->row_article[from_row[i]] = i;
	b->from_row = from_row;
	if (!take_terms(b, old)) {
		similar_build_free(b);
		return similar_build_start(c);
	}
	b->read_at = xmalloc((n ? n : 1) * sizeof *b->read_at);
	for (size_t i = 0; i < n; i++)
		if (from_row[i] == NO_ROW) {
			b->read_at[i] = b->todo.n;
			VEC_PUSH(&b->todo, i);
		}
	b->nnew = b->todo.n;
	b->old = old;
	b->reused = reused;
	b->drift = (size_t)drift;
	return b;
}

/* Whether cp takes part in terms: letters, digits and Han; not spaces or punctuation. */
static bool is_word(ucs4_t cp)
{
	return cp < 0x80 ? (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
				   (cp >= 'A' && cp <= 'Z')
			 : uc_is_alnum(cp);
}

/* What counting an article's terms does: keep its terms and counts and count them in
 * df (COUNT_KEEP), only count them in df (COUNT_DF), or only keep them (COUNT_AGAIN:
 * phase 2, for an article whose counts were not kept). */
enum count_mode { COUNT_KEEP, COUNT_DF, COUNT_AGAIN };

/* An update: old article i, whose term a new article shares now, is read and weighed
 * again (its vector left that term out as linking nothing). */
static void touch(struct similar_build *b, size_t i)
{
	if (b->from_row[i] == NO_ROW) /* read already */
		return;
	b->from_row[i] = NO_ROW;
	b->reused--;
	b->read_at[i] = b->todo.n;
	VEC_PUSH(&b->todo, i);
}

/* Count term t, add times, in the article numbered stamp, whose terms start at
 * raw_term[first]. */
static void count_term(struct similar_build *b, uint32_t t, uint32_t stamp, size_t first,
		       enum count_mode mode, uint16_t add)
{
	if (t >= b->df.n)
		grow_counts(b);
	if (b->seen.v[t] == stamp) {
		if (mode != COUNT_DF) {
			uint16_t *tf = &b->raw_tf.v[first + b->at.v[t]];
			*tf = *tf > UINT16_MAX - add ? UINT16_MAX : (uint16_t)(*tf + add);
		}
		return;
	}
	b->seen.v[t] = stamp;
	if (mode != COUNT_AGAIN) {
		if (b->df.v[t] == 0)
			b->owner.v[t] = (uint32_t)b->counting;
		else if (b->df.v[t] == 1 && b->old && b->owner.v[t] != SIMILAR_NO_OWNER)
			touch(b, b->owner.v[t]);
		b->df.v[t]++;
	}
	if (mode == COUNT_DF)
		return;
	b->at.v[t] = (uint32_t)(b->raw_term.n - first);
	VEC_PUSH(&b->raw_term, t);
	VEC_PUSH(&b->raw_tf, add);
}

size_t similar_lead(struct str body)
{
	size_t lead = body.n < SIMILAR_LEAD_BYTES ? body.n : SIMILAR_LEAD_BYTES;

	/* Cut at the start of a character. */
	while (lead < body.n && lead > 0 && ((unsigned char)body.p[lead] & 0xC0) == 0x80)
		lead--;
	return lead;
}

/* Count the terms of article a, numbered stamp (> 0, unique in its phase), as mode
 * says; returns the bytes of text it took. */
static size_t count_article(struct similar_build *b, const struct article *a, uint32_t stamp,
			    enum count_mode mode)
{
	struct folded f;
	char *tmp;
	struct str body = article_body_peek(a, &tmp);
	size_t lead = similar_lead(body);
	sb_clear(&b->text);
	sb_append(&b->text, a->title.p, a->title.n);
	sb_putc(&b->text, '\n');
	sb_append(&b->text, body.p, lead);
	free(tmp);
	fold_text(&f, b->text.s, b->text.n, false);

	ucs4_t prev = 0;
	size_t first = b->raw_term.n;
	for (size_t i = 0; i < f.n;) {
		ucs4_t cp;
		int len = u8_mbtouc(&cp, (const uint8_t *)f.s + i, f.n - i);
		i += len > 0 ? (size_t)len : 1;
		if (!is_word(cp)) {
			prev = 0;
			continue;
		}
		if (prev)
			count_term(b, term_id(&b->terms, (uint64_t)prev * 0x110000u + cp), stamp,
				   first, mode, 1);
		prev = cp;
	}
	folded_free(&f);
	return b->text.n;
}

/* The article read at place k of the build. */
static size_t todo_article(const struct similar_build *b, size_t k)
{
	return b->old ? b->todo.v[k] : k;
}

/* How many articles the build reads (so far: an update's touches add to them). */
static size_t todo_count(const struct similar_build *b)
{
	size_t n = collection_count(b->c) < UINT32_MAX ? collection_count(b->c) : UINT32_MAX;
	return b->old ? b->todo.n : n;
}

/* Count the terms of the article read at place k as mode says; returns the bytes of
 * text it took. */
static size_t count_at(struct similar_build *b, size_t k, enum count_mode mode)
{
	b->counting = todo_article(b, k);
	struct article tmp;
	return count_article(b, collection_peek(b->c, b->counting, &tmp), (uint32_t)k + 1, mode);
}

/* Phase 1 for the article read at place k: its terms counted in df (not an old one
 * an update touched: they are counted there already), and its counts kept while they
 * fit. */
static size_t count_first(struct similar_build *b, size_t k)
{
	bool counted = k >= b->nnew && b->old;

	if (!b->keeping)
		return counted ? 1 : count_at(b, k, COUNT_DF);
	size_t took = count_at(b, k, counted ? COUNT_AGAIN : COUNT_KEEP);
	VEC_PUSH(&b->raw_start, b->raw_term.n);
	b->kept = k + 1;
	b->keeping = b->raw_term.n <= b->keep_max;
	return took;
}

/* Phase 2 for the article read at place k: its SIMILAR_TERMS heaviest terms that
 * other articles have, normalised by the whole article: its terms found in no other
 * article count in the norm (else two articles sharing one common word and nothing
 * else would score 1); returns the number of terms it weighed. */
static size_t weigh_article(struct similar_build *b, size_t k)
{
	size_t from, to;
	double norm = 0;

	if (k < b->kept) {
		from = b->raw_start.v[k];
		to = b->raw_start.v[k + 1];
	} else { /* counted again after the kept counts, then dropped */
		b->raw_term.n = b->raw_tf.n = from = b->raw_start.v[b->kept];
		count_at(b, k, COUNT_AGAIN);
		to = b->raw_term.n;
	}
	b->sel.n = 0;
	for (size_t e = from; e < to; e++) {
		uint32_t t = b->raw_term.v[e];
		/* a term phase 1 did not see (the text changed since) is taken as one seen once */
		bool known = t < b->nterms_weighed && b->df.v[t] > 0;
		float w = (1.0f + logf((float)b->raw_tf.v[e])) * (known ? b->idf[t] : b->idf_once);
		if (!known || b->df.v[t] <= 1) { /* links nothing: in the norm only */
			norm += (double)w * w;
			continue;
		}
		if (w <= 0)
			continue;
		struct scored s = {w, t};
		VEC_PUSH(&b->sel, s);
	}
	size_t m = b->sel.n < SIMILAR_TERMS ? b->sel.n : SIMILAR_TERMS;
	select_best(b->sel.v, b->sel.n, m);
	if (m > 1)
		qsort(b->sel.v, m, sizeof *b->sel.v, cmp_scored_id);
	for (size_t e = 0; e < m; e++)
		norm += (double)b->sel.v[e].w * b->sel.v[e].w;
	norm = sqrt(norm);
	for (size_t e = 0; e < m; e++) {
		VEC_PUSH(&b->vterm, b->sel.v[e].id);
		VEC_PUSH(&b->vw, (float)(b->sel.v[e].w / norm));
	}
	VEC_PUSH(&b->vstart, b->vterm.n);
	return to - from;
}

/* Start merging an update's vectors: the ones weighed are set apart, by place. */
static void start_gather(struct similar_build *b)
{
	memcpy(&b->fresh_start, &b->vstart, sizeof b->vstart); /* (the same VEC types) */
	memcpy(&b->fresh_term, &b->vterm, sizeof b->vterm);
	memcpy(&b->fresh_w, &b->vw, sizeof b->vw);
	memset(&b->vstart, 0, sizeof b->vstart);
	memset(&b->vterm, 0, sizeof b->vterm);
	memset(&b->vw, 0, sizeof b->vw);
	VEC_PUSH(&b->vstart, 0);
}

/* Merge article i's vector: its old row's, or the one weighed for it; returns its
 * terms. */
static size_t gather_vector(struct similar_build *b, size_t i)
{
	const uint32_t *term;
	const float *w;
	size_t from = 0, to = 0;

	if (b->from_row[i] != NO_ROW) {
		/* (checked by similar_build_update; false only once the file was cut short
		 * since: then the build starts again, whole) */
		if (!similar_map_vector(b->old, b->from_row[i], &from, &to))
			from = to = 0;
		term = b->old->vterm;
		w = b->old->vw;
	} else {
		from = b->fresh_start.v[b->read_at[i]];
		to = b->fresh_start.v[b->read_at[i] + 1];
		term = b->fresh_term.v;
		w = b->fresh_w.v;
	}
	for (size_t k = from; k < to; k++) {
		VEC_PUSH(&b->vterm, term[k]);
		VEC_PUSH(&b->vw, w[k]);
	}
	VEC_PUSH(&b->vstart, b->vterm.n);
	return to - from;
}

/* The bigram of each term id of the build's table. */
static uint64_t *term_keys(const struct term_map *m)
{
	uint64_t *key = xcalloc(m->n ? m->n : 1, sizeof *key);
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key)
			key[m->slots[i].id] = m->slots[i].key - 1;
	return key;
}

/* Start phase 3: the index takes the vectors; its postings are allocated, empty. */
static void start_postings(struct similar_build *b)
{
	struct similar_index *ix = xcalloc(1, sizeof *ix);
	size_t n = collection_count(b->c);

	ix->n = n;
	ix->tkey = term_keys(&b->terms);
	ix->ident = xcalloc(n ? n : 1, sizeof *ix->ident);
	ix->df = xcalloc(b->terms.n ? b->terms.n : 1, sizeof *ix->df);
	ix->owner = xcalloc(b->terms.n ? b->terms.n : 1, sizeof *ix->owner);
	for (size_t t = 0; t < b->terms.n; t++) {
		ix->df[t] = b->df.v[t] ? b->df.v[t] : 1; /* (0: a term of a text changed since) */
		ix->owner[t] = b->df.v[t] == 1 ? b->owner.v[t] : SIMILAR_NO_OWNER;
	}
	ix->drift = b->drift;

	/* Articles past UINT32_MAX (never in practice) get no terms. */
	while (b->vstart.n < n + 1)
		VEC_PUSH(&b->vstart, b->vterm.n);
	size_t total = b->vterm.n;
	ix->nterms = b->terms.n;
	ix->vstart = b->vstart.v;
	ix->vterm = b->vterm.v ? b->vterm.v : xcalloc(1, sizeof *ix->vterm);
	ix->vw = b->vw.v ? b->vw.v : xcalloc(1, sizeof *ix->vw);
	memset(&b->vstart, 0, sizeof b->vstart);
	memset(&b->vterm, 0, sizeof b->vterm);
	memset(&b->vw, 0, sizeof b->vw);
	ix->pstart = xcalloc(ix->nterms + 1, sizeof *ix->pstart);
	ix->pdoc = xcalloc(total ? total : 1, sizeof *ix->pdoc);
	ix->pw = xcalloc(total ? total : 1, sizeof *ix->pw);
	b->ix = ix;
}

/* Phase 3a for article d: count its terms' postings; returns how many. */
static size_t count_postings(struct similar_build *b, size_t d)
{
	struct similar_index *ix = b->ix;
	for (size_t k = ix->vstart[d]; k < ix->vstart[d + 1]; k++)
		ix->pstart[ix->vterm[k] + 1]++;
	return ix->vstart[d + 1] - ix->vstart[d];
}

/* Between 3a and 3b: each term's postings start after the previous term's. */
static void place_postings(struct similar_build *b)
{
	struct similar_index *ix = b->ix;
	for (size_t t = 0; t < ix->nterms; t++)
		ix->pstart[t + 1] += ix->pstart[t];
	b->fill = xcalloc(ix->nterms + 1, sizeof *b->fill);
	memcpy(b->fill, ix->pstart, (ix->nterms + 1) * sizeof *b->fill);
}

/* Phase 3b for article d: its postings, in article order within each term. */
static size_t fill_postings(struct similar_build *b, size_t d)
{
	struct similar_index *ix = b->ix;
	struct article tmp;
	article_identity(collection_peek(b->c, d, &tmp), &ix->ident[d]);
	for (size_t k = ix->vstart[d]; k < ix->vstart[d + 1]; k++) {
		size_t at = b->fill[ix->vterm[k]]++;
		ix->pdoc[at] = (uint32_t)d;
		ix->pw[at] = ix->vw[k];
	}
	return ix->vstart[d + 1] - ix->vstart[d];
}

/* Free what phases 1 and 2 needed. */
static void free_counts(struct similar_build *b)
{
	free(b->terms.slots);
	memset(&b->terms, 0, sizeof b->terms);
	free(b->df.v);
	free(b->owner.v);
	free(b->seen.v);
	free(b->at.v);
	memset(&b->owner, 0, sizeof b->owner);
	memset(&b->seen, 0, sizeof b->seen);
	memset(&b->at, 0, sizeof b->at);
	free(b->raw_start.v);
	free(b->raw_term.v);
	free(b->raw_tf.v);
	free(b->idf);
	memset(&b->df, 0, sizeof b->df);
	memset(&b->raw_start, 0, sizeof b->raw_start);
	memset(&b->raw_term, 0, sizeof b->raw_term);
	memset(&b->raw_tf, 0, sizeof b->raw_tf);
	b->idf = NULL;
}

/* Free what b holds (not b). */
static void build_release(struct similar_build *b)
{
	free_counts(b);
	free(b->vstart.v);
	free(b->vterm.v);
	free(b->vw.v);
	similar_index_free(b->ix);
	free(b->fill);
	free(b->todo.v);
	free(b->from_row);
	free(b->read_at);
	free(b->row_article);
	free(b->fresh_start.v);
	free(b->fresh_term.v);
	free(b->fresh_w.v);
	sb_free(&b->text);
	free(b->sel.v);
}

bool similar_build_step(struct similar_build *b, size_t budget)
{
	size_t n = collection_count(b->c), done = 0;
	/* Articles beyond 2^32 would not fit the postings; they are left out. */
	if (n > UINT32_MAX)
		n = UINT32_MAX;

	while (done < budget && b->phase != PHASE_DONE) {
		switch (b->phase) {
		case PHASE_COUNT:
			if (b->next < todo_count(b)) {
				done += count_first(b, b->next++);
				break;
			}
			b->nterms_weighed = b->terms.n;
			b->idf_once = logf((float)n);
			b->idf = xcalloc(b->terms.n ? b->terms.n : 1, sizeof *b->idf);
			for (size_t t = 0; t < b->terms.n; t++)
				b->idf[t] = b->df.v[t] ? logf((float)n / (float)b->df.v[t])
						       : b->idf_once;
			if (b->kept < todo_count(b)) /* numbered anew for counting again */
				memset(b->seen.v, 0, b->seen.n * sizeof *b->seen.v);
			b->phase = PHASE_WEIGH;
			b->next = 0;
			break;
		case PHASE_WEIGH:
			if (b->next < b->kept) {
				done += 8 * weigh_article(b, b->next++) + 1;
				break;
			}
			if (b->next < todo_count(b)) { /* counted again: the text it took */
				weigh_article(b, b->next++);
				done += b->text.n;
				break;
			}
			b->next = 0;
			if (b->old) {
				start_gather(b);
				b->phase = PHASE_GATHER;
				break;
			}
			start_postings(b);
			free_counts(b);
			b->phase = PHASE_POST_COUNT;
			break;
		case PHASE_GATHER:
			if (b->next < n) {
				done += 8 * gather_vector(b, b->next++) + 1;
				break;
			}
			if (similar_index_damage(b->old)) { /* cut short while merging */
				const struct collection *c = b->c;
				size_t keep_max = b->keep_max;
				build_release(b);
				build_init(b, c, keep_max);
				break;
			}
			start_postings(b);
			free_counts(b);
			b->phase = PHASE_POST_COUNT;
			b->next = 0;
			break;
		case PHASE_POST_COUNT:
			if (b->next < n) {
				done += 8 * count_postings(b, b->next++) + 1;
				break;
			}
			place_postings(b);
			b->phase = PHASE_POST_FILL;
			b->next = 0;
			break;
		case PHASE_POST_FILL:
			if (b->next < n) {
				done += 8 * fill_postings(b, b->next++) + 1;
				break;
			}
			b->phase = PHASE_DONE;
			break;
		case PHASE_DONE: break;
		}
	}
	return b->phase == PHASE_DONE;
}

size_t similar_build_counts_bytes(const struct similar_build *b)
{
	return b->terms.cap * sizeof *b->terms.slots +
	       (b->df.cap + b->owner.cap + b->seen.cap + b->at.cap) * sizeof(uint32_t) +
	       b->raw_start.cap * sizeof *b->raw_start.v + b->raw_term.cap * sizeof *b->raw_term.v +
	       b->raw_tf.cap * sizeof *b->raw_tf.v +
	       (b->idf ? b->nterms_weighed * sizeof *b->idf : 0);
}

struct similar_index *similar_build_finish(struct similar_build *b)
{
	while (!similar_build_step(b, SIZE_MAX))
		;
	struct similar_index *ix = b->ix;
	b->ix = NULL;
	similar_build_free(b);
	return ix;
}

void similar_build_free(struct similar_build *b)
{
	if (!b)
		return;
	build_release(b);
	free(b);
}

struct similar_index *similar_index_build(const struct collection *c)
{
	return similar_build_finish(similar_build_start(c));
}

void similar_index_free(struct similar_index *ix)
{
	if (!ix)
		return;
	if (ix->map) {
		similar_map_free(ix->map);
		free(ix);
		return;
	}
	free(ix->df);
	free(ix->owner);
	free(ix->ident);
	free(ix->tkey);
	free(ix->vstart);
	free(ix->vterm);
	free(ix->vw);
	free(ix->pstart);
	free(ix->pdoc);
	free(ix->pw);
	free(ix);
}

size_t similar_index_articles(const struct similar_index *ix)
{
	return ix->n;
}

size_t similar_index_bytes(const struct similar_index *ix)
{
	size_t total = ix->vstart[ix->n];
	return sizeof *ix + (ix->n + 1) * sizeof *ix->vstart +
	       (ix->nterms + 1) * sizeof *ix->pstart +
	       2 * total * (sizeof *ix->vterm + sizeof *ix->vw);
}

static float clamp01(double s)
{
	return s <= 0 ? 0.0f : s >= 1 ? 1.0f : (float)s;
}

/* Article i's vector range: checked when the index is mapped (false: damaged). */
static bool vector_of(const struct similar_index *ix, size_t i, size_t *from, size_t *to)
{
	if (ix->map)
		return similar_map_vector(ix, i, from, to);
	*from = ix->vstart[i];
	*to = ix->vstart[i + 1];
	return true;
}

/* Term t's postings range, as vector_of. */
static bool postings_of(const struct similar_index *ix, size_t t, size_t *from, size_t *to)
{
	if (ix->map)
		return similar_map_postings(ix, t, from, to);
	*from = ix->pstart[t];
	*to = ix->pstart[t + 1];
	return true;
}

bool similar_index_updatable(const struct similar_index *ix)
{
	return ix && ix->ident && ix->tkey && ix->df && ix->owner;
}

float similar_score(const struct similar_index *ix, size_t i, size_t j)
{
	size_t a, ae, b, be;

	if (i >= ix->n || j >= ix->n || !vector_of(ix, i, &a, &ae) || !vector_of(ix, j, &b, &be))
		return 0;
	double dot = 0;
	while (a < ae && b < be) {
		if (ix->vterm[a] < ix->vterm[b]) {
			a++;
		} else if (ix->vterm[a] > ix->vterm[b]) {
			b++;
		} else {
			dot += (double)ix->vw[a++] * ix->vw[b++];
		}
	}
	return clamp01(dot);
}

size_t similar_query(const struct similar_index *ix, size_t article, struct similar_hit *out,
		     size_t k)
{
	size_t qa, qe;

	if (!ix || article >= ix->n || k == 0 || !vector_of(ix, article, &qa, &qe))
		return 0;
	float *acc = xcalloc(ix->n, sizeof *acc);
	VEC(struct scored) cand = {0};

	for (size_t q = qa; q < qe; q++) {
		uint32_t t = ix->vterm[q];
		float w = ix->vw[q];
		size_t pa, pe;
		if (!postings_of(ix, t, &pa, &pe)) {
			free(acc);
			free(cand.v);
			return 0;
		}
		for (size_t p = pa; p < pe; p++) {
			uint32_t d = ix->pdoc[p];
			/* (d < n was checked when the postings were first used; a mapped file
			 * changed in place since must not make it write outside acc.) */
			if (d == article || d >= ix->n)
				continue;
			if (acc[d] == 0) {
				struct scored s = {0, d};
				VEC_PUSH(&cand, s);
			}
			acc[d] += w * ix->pw[p];
		}
	}
	for (size_t i = 0; i < cand.n; i++)
		cand.v[i].w = clamp01(acc[cand.v[i].id]);
	free(acc);

	/* Enough candidates that k stories remain once reprints are grouped. */
	size_t ncand = 4 * k + 16 < cand.n ? 4 * k + 16 : cand.n;
	select_best(cand.v, cand.n, ncand);
	size_t nout = 0;
	for (size_t i = 0; i < ncand; i++) {
		size_t d = cand.v[i].id, h;
		if (cand.v[i].w <= 0)
			break;
		for (h = 0; h < nout; h++)
			if (similar_score(ix, out[h].article, d) >= SIMILAR_DUP)
				break;
		if (similar_index_damage(ix)) {
			nout = 0;
			break;
		}
		if (h < nout)
			out[h].folded++;
		else if (nout < k)
			out[nout++] = (struct similar_hit){d, cand.v[i].w, 0};
	}
	free(cand.v);
	if (ix->map)
		similar_map_trim(ix->map);
	return nout;
}
