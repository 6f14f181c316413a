/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar.c: similar stories by content: TF-IDF over character bigrams of the folded
 * title and lead of each article, cosine similarity through an inverted index.
 *
 * The build has three phases, each done in slices so that the reader can build while
 * it waits for keys: (1) fold each article's title and lead, cut it into bigrams of
 * word characters, count them and their document frequencies; (2) weigh each
 * article's terms, (1 + log tf) * log(N / df), keep the SIMILAR_TERMS heaviest of those
 * other articles have too and normalise (by them and the terms of this article alone); (3) invert the kept terms into postings: count each term's, then fill them.
 * A query adds up the products of its terms' weights along their postings. */
#include <config.h>

#include "similar.h"

#include <math.h>
#include <stdint.h>
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

enum phase { PHASE_COUNT, PHASE_WEIGH, PHASE_POST_COUNT, PHASE_POST_FILL, PHASE_DONE };

struct similar_build {
	const struct collection *c;
	enum phase phase;
	size_t next; /* the next article of the phase */
	struct term_map terms;
	VEC(uint32_t) df;
	/* Per term: the number + 1 of the last article it was counted in, and its place
	 * among that article's terms. */
	VEC(uint32_t) seen;
	VEC(uint32_t) at;
	/* Phase 1's counts: article i's distinct terms and their counts, for the first
	 * kept articles (while they fit keep_max entries); phase 2 counts the others'
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
	/* Scratch. */
	struct strbuf text;
	VEC(struct scored) sel;
};

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

struct similar_build *similar_build_start(const struct collection *c)
{
	struct similar_build *b = xcalloc(1, sizeof *b);
	b->c = c;
	b->keep_max = SIMILAR_KEEP_COUNTS;
	b->keeping = true;
	VEC_PUSH(&b->raw_start, 0);
	VEC_PUSH(&b->vstart, 0);
	return b;
}

void similar_build_keep_counts(struct similar_build *b, size_t entries)
{
	b->keep_max = entries;
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

/* Count term t in the article numbered stamp, whose terms start at raw_term[first]. */
static void count_term(struct similar_build *b, uint32_t t, uint32_t stamp, size_t first,
		       enum count_mode mode)
{
	if (t >= b->df.n) {
		size_t n = b->terms.cap; /* room for every id the map can hold */
		vec_reserve(&b->df.v, &b->df.cap, n, sizeof *b->df.v);
		vec_reserve(&b->seen.v, &b->seen.cap, n, sizeof *b->seen.v);
		vec_reserve(&b->at.v, &b->at.cap, n, sizeof *b->at.v);
		memset(b->df.v + b->df.n, 0, (n - b->df.n) * sizeof *b->df.v);
		memset(b->seen.v + b->df.n, 0, (n - b->df.n) * sizeof *b->seen.v);
		b->df.n = b->seen.n = b->at.n = n;
	}
	if (b->seen.v[t] == stamp) {
		uint16_t *tf = &b->raw_tf.v[first + b->at.v[t]];
		if (mode != COUNT_DF && *tf < UINT16_MAX)
			++*tf;
		return;
	}
	b->seen.v[t] = stamp;
	if (mode != COUNT_AGAIN)
		b->df.v[t]++;
	if (mode == COUNT_DF)
		return;
	b->at.v[t] = (uint32_t)(b->raw_term.n - first);
	VEC_PUSH(&b->raw_term, t);
	VEC_PUSH(&b->raw_tf, 1);
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
				   first, mode);
		prev = cp;
	}
	folded_free(&f);
	return b->text.n;
}

/* Phase 1 for article i: its terms counted in df, and its counts kept while they fit. */
static size_t count_first(struct similar_build *b, size_t i)
{
	uint32_t stamp = (uint32_t)i + 1;

	if (!b->keeping)
		return count_article(b, b->c->articles.v[i], stamp, COUNT_DF);
	size_t took = count_article(b, b->c->articles.v[i], stamp, COUNT_KEEP);
	VEC_PUSH(&b->raw_start, b->raw_term.n);
	b->kept = i + 1;
	b->keeping = b->raw_term.n <= b->keep_max;
	return took;
}

/* Phase 2 for article i: its SIMILAR_TERMS heaviest terms that other articles have,
 * normalised by the whole article: its terms found in no other article count in the
 * norm (else two articles sharing one common word and nothing else would score 1);
 * returns the number of terms it weighed. */
static size_t weigh_article(struct similar_build *b, size_t i)
{
	size_t from, to;
	double norm = 0;

	if (i < b->kept) {
		from = b->raw_start.v[i];
		to = b->raw_start.v[i + 1];
	} else { /* counted again after the kept counts, then dropped */
		b->raw_term.n = b->raw_tf.n = from = b->raw_start.v[b->kept];
		count_article(b, b->c->articles.v[i], (uint32_t)i + 1, COUNT_AGAIN);
		to = b->raw_term.n;
	}
	b->sel.n = 0;
	for (size_t k = from; k < to; k++) {
		uint32_t t = b->raw_term.v[k];
		/* a term phase 1 did not see (the text changed since) is taken as one seen once */
		bool known = t < b->nterms_weighed;
		float w = (1.0f + logf((float)b->raw_tf.v[k])) * (known ? b->idf[t] : b->idf_once);
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
	for (size_t k = 0; k < m; k++)
		norm += (double)b->sel.v[k].w * b->sel.v[k].w;
	norm = sqrt(norm);
	for (size_t k = 0; k < m; k++) {
		VEC_PUSH(&b->vterm, b->sel.v[k].id);
		VEC_PUSH(&b->vw, (float)(b->sel.v[k].w / norm));
	}
	VEC_PUSH(&b->vstart, b->vterm.n);
	return to - from;
}

/* Start phase 3: the index takes the vectors; its postings are allocated, empty. */
static void start_postings(struct similar_build *b)
{
	struct similar_index *ix = xcalloc(1, sizeof *ix);
	size_t n = b->c->articles.n;

	/* Articles past UINT32_MAX (never in practice) get no terms. */
	while (b->vstart.n < n + 1)
		VEC_PUSH(&b->vstart, b->vterm.n);
	size_t total = b->vterm.n;
	ix->n = n;
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
	free(b->seen.v);
	free(b->at.v);
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

bool similar_build_step(struct similar_build *b, size_t budget)
{
	size_t n = b->c->articles.n, done = 0;
	/* Articles beyond 2^32 would not fit the postings; they are left out. */
	if (n > UINT32_MAX)
		n = UINT32_MAX;

	while (done < budget && b->phase != PHASE_DONE) {
		switch (b->phase) {
		case PHASE_COUNT:
			if (b->next < n) {
				done += count_first(b, b->next++);
				break;
			}
			b->nterms_weighed = b->terms.n;
			b->idf_once = logf((float)n);
			b->idf = xcalloc(b->terms.n ? b->terms.n : 1, sizeof *b->idf);
			for (size_t t = 0; t < b->terms.n; t++)
				b->idf[t] = logf((float)n / (float)b->df.v[t]);
			if (b->kept < n) /* the articles are numbered anew for counting again */
				memset(b->seen.v, 0, b->seen.n * sizeof *b->seen.v);
			b->phase = PHASE_WEIGH;
			b->next = 0;
			break;
		case PHASE_WEIGH:
			if (b->next < b->kept) {
				done += 8 * weigh_article(b, b->next++) + 1;
				break;
			}
			if (b->next < n) { /* counted again: the text it took */
				weigh_article(b, b->next++);
				done += b->text.n;
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
	       (b->df.cap + b->seen.cap + b->at.cap) * sizeof(uint32_t) +
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
	free_counts(b);
	free(b->vstart.v);
	free(b->vterm.v);
	free(b->vw.v);
	similar_index_free(b->ix);
	free(b->fill);
	sb_free(&b->text);
	free(b->sel.v);
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
	free(ix->vstart);
	free(ix->vterm);
	free(ix->vw);
	free(ix->pstart);
	free(ix->pdoc);
	free(ix->pw);
	free(ix);
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

float similar_score(const struct similar_index *ix, size_t i, size_t j)
{
	if (i >= ix->n || j >= ix->n)
		return 0;
	size_t a = ix->vstart[i], ae = ix->vstart[i + 1];
	size_t b = ix->vstart[j], be = ix->vstart[j + 1];
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
	if (!ix || article >= ix->n || k == 0)
		return 0;
	float *acc = xcalloc(ix->n, sizeof *acc);
	VEC(struct scored) cand = {0};

	for (size_t q = ix->vstart[article]; q < ix->vstart[article + 1]; q++) {
		uint32_t t = ix->vterm[q];
		float w = ix->vw[q];
		for (size_t p = ix->pstart[t]; p < ix->pstart[t + 1]; p++) {
			uint32_t d = ix->pdoc[p];
			if (d == article)
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
		if (h < nout)
			out[h].folded++;
		else if (nout < k)
			out[nout++] = (struct similar_hit){d, cand.v[i].w, 0};
	}
	free(cand.v);
	return nout;
}
