/* SPDX-License-Identifier: GPL-3.0-or-later */
/* search.c: finding a query in folded texts, as a substring or a PCRE2 regex, narrowed
 * by fields. */
#include <config.h>

#include "search.h"
#include "i18n.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "body.h"
#include "text.h"
#include "xalloc.h"

/* Whether the n bytes at p are a date of the form YYYY, YYYY-MM or YYYY-MM-DD. */
static bool is_date_prefix(const char *p, size_t n)
{
	static const char form[] = "dddd-dd-dd";
	if (n != 4 && n != 7 && n != 10)
		return false;
	for (size_t i = 0; i < n; i++)
		if (form[i] == 'd' ? p[i] < '0' || p[i] > '9' : p[i] != '-')
			return false;
	return true;
}

/* Take date:V (V at p, n bytes) into q; false when V is not a date or a range. */
static bool parse_date(struct search *q, const char *p, size_t n)
{
	const char *dots = memmem(p, n, "..", 2);
	size_t a = dots ? (size_t)(dots - p) : n;
	const char *b = dots ? dots + 2 : p;
	size_t bn = dots ? n - a - 2 : n;

	if (!is_date_prefix(p, a) || !is_date_prefix(b, bn))
		return false;
	memcpy(q->date_from, p, a);
	q->date_from[a] = '\0';
	memcpy(q->date_to, b, bn);
	q->date_to[bn] = '\0';
	return true;
}

/* If the word w (n bytes) is a field, take it into q and return true; a malformed one
 * sets *bad. */
static bool take_field(struct search *q, const char *w, size_t n, bool *bad)
{
	static const char *const names[] = {"title:", "source:", "date:"};
	for (size_t k = 0; k < 3; k++) {
		size_t len = strlen(names[k]);
		if (n < len || memcmp(w, names[k], len) != 0)
			continue;
		const char *v = w + len;
		size_t vn = n - len;
		q->has_fields = true;
		if (vn == 0) {
			*bad = true;
		} else if (k == 2) {
			*bad = !parse_date(q, v, vn);
		} else {
			struct folded *f = k == 0 ? &q->title : &q->source;
			folded_free(f);
			fold_text(f, v, vn, false);
		}
		return true;
	}
	return false;
}

/* Split the sanitized query into fields (into q) and the text (into text): the words
 * that are not fields, joined by one space; the query as it is when it has no field. */
static bool split_fields(struct search *q, const char *s, size_t n, struct strbuf *text, char *err,
			 size_t errlen)
{
	bool bad = false;
	for (size_t i = 0; i < n;) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		size_t w = i;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		if (i == w)
			break;
		if (take_field(q, s + w, i - w, &bad)) {
			if (bad) {
				snprintf(err, errlen,
					 _("bad field '%.*s': use source:TEXT, title:TEXT, "
					   "date:YYYY[-MM[-DD]] or date:FROM..TO"),
					 (int)(i - w < 60 ? i - w : 60), s + w);
				return false;
			}
			continue;
		}
		if (text->n)
			sb_putc(text, ' ');
		sb_append(text, s + w, i - w);
	}
	if (!q->has_fields) {
		sb_clear(text);
		sb_append(text, s, n);
	}
	return true;
}

/* Compile q's folded key as a PCRE2 pattern; false with why in err. */
static bool compile_regex(struct search *q, char *err, size_t errlen)
{
	int code;
	PCRE2_SIZE at;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)q->key.s, q->key.n,
				       PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK, &code, &at,
				       NULL);
	if (!re) {
		char msg[160];
		pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof msg);
		snprintf(err, errlen, "%s (at byte %zu)", msg, (size_t)at);
		return false;
	}
	/* The interpreter when JIT fails, or is turned off: memory checkers cannot follow
	 * JIT code (its vector loads read past the text, within the page). */
	const char *nojit = getenv("XINWEN_NO_JIT");
	if (!nojit || !*nojit)
		(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	pcre2_match_context *mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(mctx, SEARCH_MATCH_LIMIT);
	pcre2_set_depth_limit(mctx, SEARCH_DEPTH_LIMIT);
	q->re = re;
	q->mctx = mctx;
	return true;
}

bool search_compile(struct search *q, const char *query, size_t n, bool regex, char *err,
		    size_t errlen)
{
	struct dtext clean;
	struct strbuf text = {0};

	memset(q, 0, sizeof *q);
	dtext_sanitize(&clean, query, n);
	bool ok = split_fields(q, clean.s, clean.n, &text, err, errlen);
	dtext_free(&clean);
	if (!ok) {
		sb_free(&text);
		search_free(q);
		return false;
	}
	fold_text(&q->key, text.s ? text.s : "", text.n, false);
	sb_free(&text);
	q->regex = regex && q->key.n > 0;
	if (q->regex && !compile_regex(q, err, errlen)) {
		q->regex = false;
		search_free(q);
		return false;
	}
	return true;
}

void search_free(struct search *q)
{
	if (q->re)
		pcre2_code_free(q->re);
	if (q->mctx)
		pcre2_match_context_free(q->mctx);
	q->re = q->mctx = NULL;
	folded_free(&q->key);
	folded_free(&q->title);
	folded_free(&q->source);
	q->regex = false;
	q->has_fields = false;
}

bool search_is_empty(const struct search *q)
{
	return q->key.n == 0 && !q->has_fields;
}

bool search_gave_up(const struct search *q)
{
	return __atomic_load_n(&q->gave_up, __ATOMIC_RELAXED) != 0;
}

/* Whether the folded form of s contains the folded field f (true when f is empty). */
static bool field_has(const struct folded *f, struct str s)
{
	if (f->n == 0)
		return true;
	struct folded k;
	fold_text(&k, s.p ? s.p : "", s.n, false);
	bool hit = k.n >= f->n && memmem(k.s, k.n, f->s, f->n) != NULL;
	folded_free(&k);
	return hit;
}

bool search_fields_match(const struct search *q, const struct article *a)
{
	if (!q->has_fields)
		return true;
	if (q->date_from[0]) {
		size_t nf = strlen(q->date_from), nt = strlen(q->date_to);
		if (a->date.n != 10 || strncmp(a->date.p, q->date_from, nf) < 0 ||
		    strncmp(a->date.p, q->date_to, nt) > 0)
			return false;
	}
	return field_has(&q->title, a->title) && field_has(&q->source, a->source);
}

static bool next_regex(const struct search *q, const struct folded *f, size_t from, size_t *start,
		       size_t *end)
{
	if (search_gave_up(q))
		return false;
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	/* NOTEMPTY: the first match that is not empty (a regex match is never empty). */
	int rc = pcre2_match(q->re, (PCRE2_SPTR)f->s, f->n, from,
			     PCRE2_NOTEMPTY | PCRE2_NO_UTF_CHECK, md, q->mctx);
	bool hit = rc >= 0; /* 0: matched, with more groups than md holds */
	if (hit) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		*start = ov[0];
		*end = ov[1];
	} else if (rc != PCRE2_ERROR_NOMATCH) {
		/* A limit (match, depth, JIT stack) or memory: stop this search for good. */
		__atomic_store_n(&((struct search *)(uintptr_t)q)->gave_up, 1, __ATOMIC_RELAXED);
	}
	pcre2_match_data_free(md);
	return hit;
}

bool search_next(const struct search *q, const struct folded *f, size_t from, size_t *start,
		 size_t *end)
{
	if (q->key.n == 0 || from >= f->n)
		return false;
	if (q->regex)
		return next_regex(q, f, from, start, end);
	const char *hit = memmem(f->s + from, f->n - from, q->key.s, q->key.n);
	if (!hit)
		return false;
	*start = (size_t)(hit - f->s);
	*end = *start + q->key.n;
	return true;
}

void search_keys_init(struct search_keys *k, const struct collection *c)
{
	k->c = c;
	k->v = xcalloc(collection_count(c), sizeof *k->v);
}

void search_keys_free(struct search_keys *k)
{
	for (size_t i = 0; k->v && i < collection_count(k->c); i++)
		folded_free(&k->v[i]);
	free(k->v);
	k->v = NULL;
}

void search_article_text(const struct article *a, struct strbuf *out)
{
	char *tmp;
	struct str body = article_body_peek(a, &tmp);

	sb_append(out, a->title.p, a->title.n);
	sb_putc(out, '\n');
	sb_append(out, a->source.p, a->source.n);
	sb_putc(out, '\n');
	sb_append(out, body.p, body.n);
	free(tmp);
}

size_t search_keys_fold(struct search_keys *k, size_t i)
{
	struct strbuf text = {0};

	if (k->v[i].s)
		return 0;
	struct article tmp;
	search_article_text(collection_peek(k->c, i, &tmp), &text);
	fold_text(&k->v[i], text.s, text.n, false);
	size_t n = text.n;
	sb_free(&text);
	return n;
}

/* Articles whose keys a helper thread folds: every other unfolded one in [from, to). */
struct fold_share {
	struct search_keys *k;
	const size_t *todo;
	size_t n;
	size_t bytes;
};

static void *fold_share(void *arg)
{
	struct fold_share *s = arg;
	for (size_t i = 1; i < s->n; i += 2)
		s->bytes += search_keys_fold(s->k, s->todo[i]);
	return NULL;
}

size_t search_keys_fold_ahead(struct search_keys *k, size_t from, size_t budget, size_t *bytes)
{
	size_t n = collection_count(k->c), i, planned = 0;
	VEC(size_t) todo = {0};

	/* The articles to fold, by their size as loaded (the text is read when folded). */
	for (i = from; i < n && planned < budget; i++) {
		struct article tmp;
		const struct article *a = collection_peek(k->c, i, &tmp);
		if (k->v[i].s)
			continue;
		VEC_PUSH(&todo, i);
		planned += a->title.n + 1 + a->body.n;
	}
	struct fold_share share = {k, todo.v, todo.n, 0};
	pthread_t t;
	bool helper = false;
	fold_prepare();
	if (todo.n > 1)
		helper = pthread_create(&t, NULL, fold_share, &share) == 0;
	*bytes = 0;
	for (size_t j = 0; j < todo.n; j += helper ? 2 : 1)
		*bytes += search_keys_fold(k, todo.v[j]);
	if (helper) {
		pthread_join(t, NULL);
		*bytes += share.bytes;
	}
	free(todo.v);
	return i;
}

/* Map the match [s, e) of article i's key back to its text: fold it again with the map,
 * only as far as the match. */
static void locate(const struct article *a, size_t s, size_t e, size_t *start, size_t *end)
{
	struct strbuf text = {0};
	struct folded mapped;

	search_article_text(a, &text);
	fold_text_prefix(&mapped, text.s, text.n, e);
	*start = mapped.from[s];
	*end = mapped.to[e - 1];
	folded_free(&mapped);
	sb_free(&text);
}

bool search_article(struct search_keys *k, size_t i, const struct search *q, size_t *start,
		    size_t *end)
{
	size_t s, e;
	struct article tmp;
	const struct article *a = collection_peek(k->c, i, &tmp);

	if (search_is_empty(q) || !search_fields_match(q, a))
		return false;
	if (q->key.n == 0) { /* fields only */
		if (start && end)
			*start = *end = 0;
		return true;
	}
	search_keys_fold(k, i);
	if (!search_next(q, &k->v[i], 0, &s, &e))
		return false;
	if (start && end)
		locate(a, s, e, start, end);
	return true;
}

/* Whether article i, whose key is folded (unless q has no text), matches q. */
static bool key_matches(const struct search_keys *k, size_t i, const struct search *q)
{
	size_t s, e;
	struct article tmp;
	if (!search_fields_match(q, collection_peek(k->c, i, &tmp)))
		return false;
	return q->key.n == 0 || search_next(q, &k->v[i], 0, &s, &e);
}

/* Below this many bytes of keys a scan stays on one thread. */
#define SCAN_THREAD_MIN ((size_t)8 << 20)

/* One thread's share of a scan: keys [from, to), the matching positions in hits. */
struct scan_part {
	const struct search_keys *k;
	const struct search *q;
	size_t from, to;
	search_hits hits;
};

static void *scan_part(void *arg)
{
	struct scan_part *p = arg;

	if (search_is_empty(p->q))
		return NULL;
	for (size_t i = p->from; i < p->to; i++)
		if (key_matches(p->k, i, p->q))
			VEC_PUSH(&p->hits, i);
	return NULL;
}

static void append_hits(search_hits *hits, search_hits *part)
{
	for (size_t i = 0; i < part->n; i++)
		VEC_PUSH(hits, part->v[i]);
	free(part->v);
}

void search_scan(const struct search_keys *k, const struct search *q, size_t from, size_t to,
		 search_hits *hits)
{
	struct scan_part lo = {k, q, from, to, {0}}, hi = {k, q, to, to, {0}};
	size_t total = 0, half = 0, mid;
	bool threaded = false;
	pthread_t t;

	for (size_t i = from; i < to; i++)
		total += k->v[i].n;
	if (total >= SCAN_THREAD_MIN) {
		for (mid = from; mid < to && half < total / 2; mid++)
			half += k->v[mid].n;
		lo.to = hi.from = mid;
		threaded = pthread_create(&t, NULL, scan_part, &hi) == 0;
		if (!threaded)
			lo.to = hi.from = to;
	}
	scan_part(&lo);
	if (threaded)
		pthread_join(t, NULL);
	append_hits(hits, &lo.hits);
	append_hits(hits, &hi.hits);
}

void search_collection(struct search_keys *k, const struct search *q, search_hits *hits)
{
	size_t n = collection_count(k->c);

	hits->n = 0;
	if (search_is_empty(q))
		return;
	for (size_t i = 0, bytes; i < n;)
		i = search_keys_fold_ahead(k, i, (size_t)16 << 20, &bytes);
	search_scan(k, q, 0, n, hits);
}
