/* SPDX-License-Identifier: GPL-3.0-or-later */
/* links.c: the collection's graph once loaded: unique ids, related headlines resolved
 * to articles or shared excerpts, backlinks and the list order. */
#include <config.h>

#include "collection.h"
#include "i18n.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

/* Longest headline quoted in a message, in bytes. */
#define MAX_QUOTE 200

/* ---------------------------------------------------------------------------
 * A small hash map from byte strings (borrowed, must outlive it) to pointers
 */

struct strmap_slot {
	const char *k; /* NULL: empty */
	size_t n;
	uint64_t h; /* collection_key_hash of k: another key is mostly passed unread */
	void *v;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap, used; /* cap is 0 or a power of two */
};

/* The slot of key k (n bytes, h its collection_key_hash): where it is, or the empty
 * slot where it goes. */
static struct strmap_slot *strmap_slot_hashed(const struct strmap *m, const char *k, size_t n,
					      uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	while (m->slots[i].k) {
		if (m->slots[i].h == h && m->slots[i].n == n && memcmp(m->slots[i].k, k, n) == 0)
			break;
		i = (i + 1) & (m->cap - 1);
	}
	return &m->slots[i];
}

static struct strmap_slot *strmap_slot(const struct strmap *m, const char *k, size_t n)
{
	return strmap_slot_hashed(m, k, n, collection_key_hash(k, n));
}

/* Whether the map of cap slots is too full to hold used keys: kept at most 3/4 full,
 * where linear probing stays short and the slots stay few (the slots of millions of
 * ids are first touched when the map fills). */
static bool strmap_too_full(size_t used, size_t cap)
{
	return used >= cap - cap / 4;
}

static void *strmap_get(const struct strmap *m, const char *k, size_t n)
{
	if (!m->cap)
		return NULL;
	return strmap_slot(m, k, n)->v;
}

/* Move m's keys to a table of cap slots (a power of two, room for them all). */
static void strmap_resize(struct strmap *m, size_t cap)
{
	struct strmap old = *m;
	size_t i;

	m->cap = cap;
	m->slots = xcalloc_huge(m->cap, sizeof *m->slots);
	m->used = 0;
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].k)
			*strmap_slot_hashed(m, old.slots[i].k, old.slots[i].n,
					    old.slots[i].h) = old.slots[i];
	m->used = old.used;
	free(old.slots);
}

static void strmap_grow(struct strmap *m)
{
	strmap_resize(m, m->cap ? m->cap * 2 : 64);
}

/* Make room for n keys, so that adding them does not grow the map again and again
 * (one table of the size they need, not each size on the way). */
static void strmap_reserve(struct strmap *m, size_t n)
{
	size_t cap = m->cap ? m->cap : 64;

	while (strmap_too_full(n + 1, cap))
		cap *= 2;
	if (cap != m->cap)
		strmap_resize(m, cap);
}

/* Map k (n bytes, h its collection_key_hash) to v (v not NULL), replacing an earlier
 * value. */
static void strmap_put_hashed(struct strmap *m, const char *k, size_t n, uint64_t h, void *v)
{
	struct strmap_slot *s;

	if (strmap_too_full(m->used + 1, m->cap))
		strmap_grow(m);
	s = strmap_slot_hashed(m, k, n, h);
	if (!s->k)
		m->used++;
	s->k = k;
	s->n = n;
	s->h = h;
	s->v = v;
}

/* Map k to v (v not NULL), replacing an earlier value. */
static void strmap_put(struct strmap *m, const char *k, size_t n, void *v)
{
	strmap_put_hashed(m, k, n, collection_key_hash(k, n), v);
}

static void strmap_free(struct strmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------------------
 * Unique ids
 */

/* Below this many articles, one thread makes their ids unique and sorts them. */
#define SPLIT_MIN 50000

/* The ids taken, and for each base given a numbered id the next number to try: the
 * numbers below it are taken (ids are never given back), so the search for a free
 * base~N goes on where the last one stopped instead of starting again at 2. The ids
 * are in two maps by the top bit of their hash (id_map), which two threads can fill at
 * once (keep_first_ids). */
struct id_set {
	struct strmap ids[2]; /* id -> article */
	struct strmap next;   /* base -> next N (a size_t of nexts) */
	VEC(char *) bases;    /* the keys of next, owned */
	VEC(size_t *) counters;
};

static void id_set_free(struct id_set *s)
{
	strmap_free(&s->ids[0]);
	strmap_free(&s->ids[1]);
	strmap_free(&s->next);
	for (size_t i = 0; i < s->bases.n; i++)
		free(s->bases.v[i]);
	free(s->bases.v);
	for (size_t i = 0; i < s->counters.n; i++)
		free(s->counters.v[i]);
	free(s->counters.v);
}

/* The map of the ids whose collection_key_hash is h. */
static struct strmap *id_map(struct id_set *s, uint64_t h)
{
	return &s->ids[h >> 63];
}

/* The article whose id is id, or NULL. */
static struct article *id_get(struct id_set *s, const char *id)
{
	size_t n = strlen(id);
	uint64_t h = collection_key_hash(id, n);
	struct strmap *m = id_map(s, h);

	return m->cap ? strmap_slot_hashed(m, id, n, h)->v : NULL;
}

/* The hash of a's id, its length in *n: as noted when it was set, else made. */
static uint64_t id_key(const struct article *a, size_t *n)
{
	if (a->id_hash) {
		*n = a->id_len;
		return a->id_hash;
	}
	*n = strlen(a->id);
	return collection_key_hash(a->id, *n);
}

/* Note that a has its id (a->id, which it keeps). */
static void id_put(struct id_set *s, struct article *a)
{
	size_t n;
	uint64_t h = id_key(a, &n);

	strmap_put_hashed(id_map(s, h), a->id, n, h, a);
}

/* Give a a free id derived from base: base~2, base~3, ... */
static void take_numbered_id(struct id_set *s, struct article *a, const char *base)
{
	size_t k, len = strlen(base) + 32, blen = strlen(base);
	size_t *next = strmap_get(&s->next, base, blen);
	char *id = xmalloc(len);

	if (!next) {
		char *key = xstrdup(base);

		next = xmalloc(sizeof *next);
		*next = 2;
		VEC_PUSH(&s->bases, key);
		VEC_PUSH(&s->counters, next);
		strmap_put(&s->next, key, blen, next);
	}
	for (k = *next;; k++) {
		snprintf(id, len, "%s~%zu", base, k);
		if (!id_get(s, id))
			break;
	}
	*next = k + 1;
	article_set_id(a, id);
}

/* How many articles ahead the slot of an id is fetched: in a map of millions, each
 * lookup is otherwise a wait for memory. */
#define IDS_AHEAD 8

/* Start fetching the slot of a key whose collection_key_hash is h of m into the cache. */
static void prefetch_slot(const struct strmap *m, uint64_t h)
{
	__builtin_prefetch(&m->slots[(size_t)h & (m->cap - 1)]);
}

/* The articles of one of the two maps of an id_set, in list order. */
struct first_ids {
	struct article *const *v;
	size_t n;
	struct strmap *m; /* their map */
	unsigned part;	  /* the top bit of their ids' hashes */
	bool repeated;	  /* one of them has the id of one before it */
	bool alt;	  /* one of them has an alternative id */
};

/* Put the id of each of f's articles in its map, in order, each the first of its id;
 * stop at one whose id is there already (f->repeated). */
static void *keep_first_ids(void *arg)
{
	struct first_ids *f = arg;
	uint64_t ahead[IDS_AHEAD]; /* the hashes of the next ids, by article % IDS_AHEAD */
	size_t n;

	strmap_reserve(f->m, f->n / 2 + f->n / 16); /* about half of them: its pages cleared here */
	for (size_t i = 0; i < IDS_AHEAD && i < f->n; i++)
		prefetch_slot(f->m, ahead[i] = id_key(f->v[i], &n)); /* either map's: a hint */
	for (size_t i = 0; i < f->n; i++) {
		struct article *a = f->v[i];
		uint64_t h = ahead[i % IDS_AHEAD];

		if (i + IDS_AHEAD < f->n) {
			uint64_t next = id_key(f->v[i + IDS_AHEAD], &n);
			if (next >> 63 == f->part)
				prefetch_slot(f->m, next);
			ahead[i % IDS_AHEAD] = next;
		}
		if (h >> 63 != f->part)
			continue;
		f->alt = f->alt || a->alt_id;
		id_key(a, &n);
		struct strmap_slot *slot = strmap_slot_hashed(f->m, a->id, n, h);
		if (slot->k) {
			f->repeated = true;
			return NULL;
		}
		*slot = (struct strmap_slot){a->id, n, h, a};
		f->m->used++;
	}
	return NULL;
}

/* Whether every article of c has an id of its own, found on two threads, one a map;
 * then they are all in s. False when some id is repeated (s is then empty again), or
 * the articles are too few for two threads. */
static bool ids_all_unique(struct collection *c, struct id_set *s)
{
	struct first_ids f[2];
	pthread_t t;

	if (c->articles.n < SPLIT_MIN)
		return false;
	for (unsigned k = 0; k < 2; k++)
		f[k] = (struct first_ids){c->articles.v, c->articles.n, &s->ids[k], k,
					  false,	 false};
	if (pthread_create(&t, NULL, keep_first_ids, &f[1]) != 0)
		return false;
	keep_first_ids(&f[0]);
	pthread_join(t, NULL);
	if (f[0].repeated || f[1].repeated) {
		for (unsigned k = 0; k < 2; k++) {
			memset(s->ids[k].slots, 0, s->ids[k].cap * sizeof *s->ids[k].slots);
			s->ids[k].used = 0;
		}
		return false;
	}
	for (size_t i = 0; (f[0].alt || f[1].alt) && i < c->articles.n; i++) {
		free(c->articles.v[i]->alt_id);
		c->articles.v[i]->alt_id = NULL;
	}
	return true;
}

/* Make every id unique, in list order: a repeated id becomes the alternative id
 * when there is one and it is free, else gets a ~N suffix (reported). */
static void make_ids_unique(struct collection *c, struct id_set *s)
{
	uint64_t ahead[IDS_AHEAD]; /* the hashes of the next ids, by article % IDS_AHEAD */
	size_t i;

	if (ids_all_unique(c, s))
		return; /* as the loop below would have found, faster */
	strmap_reserve(&s->ids[0], c->articles.n / 2 + c->articles.n / 16);
	strmap_reserve(&s->ids[1], c->articles.n / 2 + c->articles.n / 16);
	for (i = 0; i < IDS_AHEAD && i < c->articles.n; i++) {
		size_t n;
		ahead[i] = id_key(c->articles.v[i], &n);
		prefetch_slot(id_map(s, ahead[i]), ahead[i]);
	}
	for (i = 0; i < c->articles.n; i++) {
		struct article *a = c->articles.v[i];
		uint64_t h = ahead[i % IDS_AHEAD];
		struct strmap *ids = id_map(s, h);
		struct strmap_slot *slot;
		size_t n;

		id_key(a, &n);
		if (i + IDS_AHEAD < c->articles.n) { /* its id is not changed before its turn */
			size_t next_n;
			uint64_t next = id_key(c->articles.v[i + IDS_AHEAD], &next_n);
			prefetch_slot(id_map(s, next), ahead[i % IDS_AHEAD] = next);
		}
		if (strmap_too_full(ids->used + 1, ids->cap))
			strmap_grow(ids); /* more of them than half, by chance */
		slot = strmap_slot_hashed(ids, a->id, n, h);
		if (!slot->k) { /* the first of its id: it keeps it */
			free(a->alt_id);
			a->alt_id = NULL;
			*slot = (struct strmap_slot){a->id, n, h, a};
			ids->used++;
			continue;
		}
		if (a->alt_id && !id_get(s, a->alt_id)) {
			article_set_id(a, a->alt_id);
			a->alt_id = NULL;
		} else {
			char *old = xstrdup(a->alt_id ? a->alt_id : a->id);

			take_numbered_id(s, a, old);
			if (a->kind == ARTICLE_FULL)
				collection_diag_article(c, a, a->line, "duplicate id %s: using %s",
							old, a->id);
			free(old);
		}
		free(a->alt_id);
		a->alt_id = NULL;
		id_put(s, a);
	}
}

/* ---------------------------------------------------------------------------
 * Keys: NFKC, without white space
 */

struct key {
	char *p; /* malloc'ed */
	size_t n;
};

/* The key of s when it is made only of characters whose NFKC form is known without
 * libunistring (printable ASCII, CJK ideographs and punctuation, fullwidth ASCII, which
 * NFKC maps to ASCII) and white space (dropped); false for anything else, which may
 * decompose or compose. Most headlines are like this, and u8_normalize is slow. */
static bool make_key_fast(struct str s, struct key *k)
{
	const unsigned char *p = (const unsigned char *)s.p, *end = p + s.n;
	char *out = xmalloc(s.n + 1);
	size_t o = 0;

	while (p < end) {
		unsigned c = *p;
		if (c < 0x80) {
			if (c > 0x20 && c < 0x7F)
				out[o++] = (char)c;
			else if (c != ' ' && c != '\t')
				break; /* controls: the slow path decides */
			p++;
			continue;
		}
		if ((c & 0xF0) != 0xE0 || end - p < 3)
			break;
		unsigned cp = (c & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
		if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
		    (cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x3011) ||
		    (cp >= 0x3014 && cp <= 0x301F)) {
			memcpy(out + o, p, 3);
			o += 3;
		} else if (cp >= 0xFF01 && cp <= 0xFF5E) {
			out[o++] = (char)(cp - 0xFEE0);
		} else if (cp != 0x3000) { /* U+3000 is white space: dropped */
			break;
		}
		p += 3;
	}
	if (p < end) {
		free(out);
		return false;
	}
	k->p = out;
	k->n = o;
	return true;
}

/* The comparison key of s: NFKC-normalised, every white-space character removed. */
static struct key make_key(struct str s)
{
	struct key k;
	size_t len = 0, i, o;
	uint8_t *norm = NULL;

	if (make_key_fast(s, &k))
		return k;
	if (s.n)
		norm = u8_normalize(UNINORM_NFKC, (const uint8_t *)s.p, s.n, NULL, &len);
	if (!norm) {
		if (s.n && errno == ENOMEM) {
			fputs("xinwen: out of memory\n", stderr);
			abort();
		}
		norm = (uint8_t *)xstrndup(s.p, s.n);
		len = s.n;
	}
	for (i = 0, o = 0; i < len;) {
		ucs4_t uc;
		int step = u8_mbtouc(&uc, norm + i, len - i);

		if (!uc_is_property_white_space(uc)) {
			memmove(norm + o, norm + i, (size_t)step);
			o += (size_t)step;
		}
		i += (size_t)step;
	}
	k.p = (char *)norm;
	k.n = o;
	return k;
}

char *collection_match_key(struct str s, size_t *n)
{
	struct key k = make_key(s);
	*n = k.n;
	return k.p;
}

/* Strip a trailing ellipsis (three or more dots once normalised); false if none. */
static bool strip_ellipsis(struct key *k)
{
	size_t n = k->n;

	while (n > 0 && k->p[n - 1] == '.')
		n--;
	if (k->n - n < 3 || n == 0)
		return false;
	k->n = n;
	return true;
}

static int key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);

	if (r)
		return r;
	return an < bn ? -1 : an > bn;
}

struct title_key {
	struct key k;
	struct article *a;
};

static int title_key_cmp(const void *pa, const void *pb)
{
	const struct title_key *a = pa, *b = pb;
	return key_cmp(a->k.p, a->k.n, b->k.p, b->k.n);
}

/* The first index whose key is not less than (p, n). */
static size_t lower_bound(const struct title_key *t, size_t count, const char *p, size_t n)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(t[mid].k.p, t[mid].k.n, p, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool key_has_prefix(const struct key *k, const char *p, size_t n)
{
	return k->n >= n && memcmp(k->p, p, n) == 0;
}

/* ---------------------------------------------------------------------------
 * Resolution
 */

struct resolver {
	struct collection *c;
	struct title_key *titles; /* sorted */
	size_t ntitles;
	struct strmap excerpts; /* key -> excerpt article */
	VEC(char *) excerpt_keys;
};

/* Matches of key among the titles (0, 1 or 2 meaning "more"), the first in *hit. */
static int count_matches(const struct resolver *rs, const struct key *k, bool prefix,
			 struct article **hit)
{
	size_t i = lower_bound(rs->titles, rs->ntitles, k->p, k->n);
	int found = 0;

	while (i < rs->ntitles && found < 2) {
		const struct key *t = &rs->titles[i].k;

		if (prefix ? !key_has_prefix(t, k->p, k->n) : key_cmp(t->p, t->n, k->p, k->n))
			break;
		if (!found)
			*hit = rs->titles[i].a;
		found++;
		i++;
	}
	return found;
}

static struct article *new_excerpt(struct resolver *rs, struct key *k, const struct related *r)
{
	struct article *e = collection_new_article(rs->c);
	char id[2 + 16 + 1];

	snprintf(id, sizeof id, "x-%016" PRIx64, collection_key_hash(k->p, k->n));
	e->id = xstrdup(id);
	e->kind = ARTICLE_EXCERPT;
	e->file = SIZE_MAX;
	e->title = r->headline;
	e->body = r->snippet;
	e->date = str_make(r->headline.p, 0);
	e->source = e->date;
	e->pos = rs->c->articles.n;
	VEC_PUSH(&rs->c->articles, e);
	VEC_PUSH(&rs->excerpt_keys, k->p);
	strmap_put(&rs->excerpts, k->p, k->n, e);
	k->p = NULL; /* now owned by excerpt_keys */
	return e;
}

/* The excerpt for key k, shared by every reference with the same key. */
static struct article *excerpt_for(struct resolver *rs, struct key *k, const struct related *r)
{
	struct article *e = strmap_get(&rs->excerpts, k->p, k->n);

	if (!e)
		return new_excerpt(rs, k, r);
	if (!e->body.n && r->snippet.n)
		e->body = r->snippet;
	return e;
}

static void resolve_one(struct resolver *rs, const struct article *a, struct related *r)
{
	struct key k = make_key(r->headline);
	bool truncated = strip_ellipsis(&k);
	struct article *hit = NULL;
	int n = count_matches(rs, &k, truncated, &hit);
	int q = str_quote_len(r->headline, MAX_QUOTE);

	if (n == 1) {
		r->target = hit->pos;
	} else {
		r->target = excerpt_for(rs, &k, r)->pos;
		rs->c->unresolved++;
		if (n > 1)
			/* TRANSLATORS: the first %s is "ambiguous related headline: ",
			 * translated; the message must start with it. */
			collection_diag_article(rs->c, a, r->line,
						"%s%.*s (%s; shown as an excerpt)",
						_(DIAG_MSG_AMBIGUOUS), q, r->headline.p,
						truncated ? _("several titles start with it")
							  : _("several articles have this title"));
		else
			/* TRANSLATORS: %s is "unresolved related headline: ", translated; the
			 * message must start with it. */
			collection_diag_article(rs->c, a, r->line, "%s%.*s (shown as an excerpt)",
						_(DIAG_MSG_UNRESOLVED), q, r->headline.p);
	}
	free(k.p);
}

static void build_title_index(struct resolver *rs, size_t nfull)
{
	size_t i;

	rs->titles = xreallocarray(NULL, nfull, sizeof *rs->titles);
	rs->ntitles = nfull;
	for (i = 0; i < nfull; i++) {
		rs->titles[i].a = rs->c->articles.v[i];
		rs->titles[i].k = make_key(rs->c->articles.v[i]->title);
	}
	if (nfull > 1)
		qsort(rs->titles, nfull, sizeof *rs->titles, title_key_cmp);
}

static void resolver_free(struct resolver *rs)
{
	size_t i;

	for (i = 0; i < rs->ntitles; i++)
		free(rs->titles[i].k.p);
	free(rs->titles);
	for (i = 0; i < rs->excerpt_keys.n; i++)
		free(rs->excerpt_keys.v[i]);
	free(rs->excerpt_keys.v);
	strmap_free(&rs->excerpts);
}

/* Add each citing article once to its targets' backlinks (never to itself). */
static void fill_backlinks(struct collection *c, size_t nfull)
{
	size_t i, j;

	for (i = 0; i < nfull; i++) {
		struct article *a = c->articles.v[i];

		for (j = 0; j < a->related.n; j++) {
			struct article *t = c->articles.v[a->related.v[j].target];
			bool seen;

			if (t == a)
				continue;
			/* a's references are handled together: if a is there, it is last */
			seen = t->backlinks.n && t->backlinks.v[t->backlinks.n - 1] == i;
			if (!seen)
				VEC_PUSH(&t->backlinks, i);
		}
	}
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Compare strings as people sort file names: a run of digits by the number it makes
 * (2 before 10; with as many, fewer leading zeros first), the rest byte by byte. */
static int natural_cmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (!is_digit(*a) || !is_digit(*b)) {
			if (*a != *b)
				return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
			a++, b++;
			continue;
		}
		const char *za = a, *zb = b;
		while (*a == '0')
			a++;
		while (*b == '0')
			b++;
		size_t na = 0, nb = 0;
		while (is_digit(a[na]))
			na++;
		while (is_digit(b[nb]))
			nb++;
		if (na != nb)
			return na < nb ? -1 : 1;
		int d = memcmp(a, b, na);
		if (d)
			return d < 0 ? -1 : 1;
		if (a - za != b - zb)
			return a - za < b - zb ? -1 : 1;
		a += na, b += nb;
	}
	return (*a != 0) - (*b != 0);
}

/* Newest first; undated after dated; then by id, numbers in it by value. */
static int list_order_cmp(const void *pa, const void *pb)
{
	const struct article *a = *(struct article *const *)pa;
	const struct article *b = *(struct article *const *)pb;

	if (a->date.n && b->date.n) {
		int r = key_cmp(b->date.p, b->date.n, a->date.p, a->date.n);
		if (r)
			return r;
	} else if (a->date.n != b->date.n) {
		return a->date.n ? -1 : 1;
	}
	return natural_cmp(a->id, b->id);
}

/* Whether the n articles at v are in list order already (a file in id order). */
static bool in_list_order(struct article *const *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (list_order_cmp(&v[i - 1], &v[i]) > 0)
			return false;
	return true;
}

/* A run of articles sorted on a thread of its own. */
struct sort_run {
	struct article **v;
	size_t n;
};

/* Sort the run unless it is in list order already. */
static void *sort_run(void *arg)
{
	struct sort_run *r = arg;

	if (!in_list_order(r->v, r->n))
		qsort(r->v, r->n, sizeof *r->v, list_order_cmp);
	return NULL;
}

/* Sort the n articles at v in list order: nothing to do when they are in it; a big
 * list in two halves, each looked at (and sorted when it is not in order) on a thread
 * of its own, then merged unless the first half's last comes before the second's
 * first. The ids are unique (make_ids_unique), so that the order is total: any sort
 * gives the same list. */
static void sort_list(struct article **v, size_t n)
{
	struct sort_run first, second;
	struct article **tmp;
	pthread_t t;
	size_t i = 0, j = n / 2, k = 0;

	if (n < 2)
		return; /* v may be NULL: no offset from it */
	first = (struct sort_run){v, n / 2};
	second = (struct sort_run){v + n / 2, n - n / 2};
	if (n < SPLIT_MIN || pthread_create(&t, NULL, sort_run, &second) != 0) {
		sort_run(&(struct sort_run){v, n});
		return;
	}
	sort_run(&first);
	pthread_join(t, NULL);
	if (list_order_cmp(&v[n / 2 - 1], &v[n / 2]) < 0)
		return; /* the halves in order, one after the other */
	tmp = xreallocarray(NULL, n, sizeof *tmp);
	while (i < n / 2 && j < n)
		tmp[k++] = list_order_cmp(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
	while (i < n / 2)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof *v);
	free(tmp);
}

void collection_finish(struct collection *c)
{
	struct resolver rs;
	struct id_set ids;
	size_t nfull = c->articles.n, first, i, j;

	memset(&rs, 0, sizeof rs);
	rs.c = c;
	memset(&ids, 0, sizeof ids);
	make_ids_unique(c, &ids);
	sort_list(c->articles.v, nfull);
	collection_number(c); /* the positions related headlines are resolved to */
	/* the titles are sorted for resolving related headlines: none (JSON Lines, most
	 * collections of another format), none to sort, resolve or link back */
	for (first = 0; first < nfull && !c->articles.v[first]->related.n; first++)
		;
	if (first < nfull)
		build_title_index(&rs, nfull);
	for (i = first; i < nfull; i++) {
		struct article *a = c->articles.v[i];

		for (j = 0; j < a->related.n; j++)
			resolve_one(&rs, a, &a->related.v[j]);
	}
	/* Excerpt ids come from a hash: keep them clear of file ids too. */
	for (i = nfull; i < c->articles.n; i++) {
		struct article *e = c->articles.v[i];

		if (id_get(&ids, e->id)) {
			char *old = xstrdup(e->id);
			take_numbered_id(&ids, e, old);
			free(old);
		}
		id_put(&ids, e);
	}
	if (first < nfull)
		fill_backlinks(c, nfull);
	resolver_free(&rs);
	id_set_free(&ids);
	collection_number(c);
}
