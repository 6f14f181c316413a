/* SPDX-License-Identifier: GPL-3.0-or-later */
/* search.c: finding a query in folded texts, as a substring or a POSIX extended regex. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem, REG_STARTEND */
#endif
#include "search.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "body.h"
#include "text.h"
#include "xalloc.h"

bool search_compile(struct search *q, const char *query, size_t n, bool regex, char *err,
		    size_t errlen)
{
	struct dtext clean;

	memset(q, 0, sizeof *q);
	dtext_sanitize(&clean, query, n);
	fold_text(&q->key, clean.s, clean.n, false);
	dtext_free(&clean);
	q->regex = regex && q->key.n > 0;
	if (q->regex) {
		int rc = regcomp(&q->re, q->key.s, REG_EXTENDED);
		if (rc != 0) {
			regerror(rc, &q->re, err, errlen);
			folded_free(&q->key);
			q->regex = false;
			return false;
		}
	}
	return true;
}

void search_free(struct search *q)
{
	if (q->regex)
		regfree(&q->re);
	folded_free(&q->key);
	q->regex = false;
}

bool search_is_empty(const struct search *q)
{
	return q->key.n == 0;
}

static bool next_regex(const struct search *q, const struct folded *f, size_t from,
		       size_t *start, size_t *end)
{
	while (from < f->n) {
		regmatch_t m = {.rm_so = (regoff_t)from, .rm_eo = (regoff_t)f->n};
		int flags = REG_STARTEND | (from > 0 ? REG_NOTBOL : 0);
		if (regexec(&q->re, f->s, 1, &m, flags) != 0)
			return false;
		if (m.rm_eo > m.rm_so) {
			*start = (size_t)m.rm_so;
			*end = (size_t)m.rm_eo;
			return true;
		}
		/* An empty match: look again one character further on. */
		from = (size_t)m.rm_so + 1;
		while (from < f->n && ((unsigned char)f->s[from] & 0xC0) == 0x80)
			from++;
	}
	return false;
}

bool search_next(const struct search *q, const struct folded *f, size_t from, size_t *start,
		 size_t *end)
{
	if (search_is_empty(q) || from >= f->n)
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
	k->v = xcalloc(c->articles.n, sizeof *k->v);
}

void search_keys_free(struct search_keys *k)
{
	for (size_t i = 0; k->v && i < k->c->articles.n; i++)
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
	sb_append(out, body.p, body.n);
	free(tmp);
}

size_t search_keys_fold(struct search_keys *k, size_t i)
{
	struct strbuf text = {0};

	if (k->v[i].s)
		return 0;
	search_article_text(k->c->articles.v[i], &text);
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

size_t search_keys_fold_ahead(struct search_keys *k, size_t from, size_t budget,
			      size_t *bytes)
{
	size_t n = k->c->articles.n, i, planned = 0;
	VEC(size_t) todo = {0};

	/* The articles to fold, by their size as loaded (the text is read when folded). */
	for (i = from; i < n && planned < budget; i++) {
		const struct article *a = k->c->articles.v[i];
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

	if (search_is_empty(q))
		return false;
	search_keys_fold(k, i);
	if (!search_next(q, &k->v[i], 0, &s, &e))
		return false;
	if (start && end)
		locate(k->c->articles.v[i], s, e, start, end);
	return true;
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
	size_t s, e;

	for (size_t i = p->from; i < p->to; i++)
		if (search_next(p->q, &p->k->v[i], 0, &s, &e))
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
	/* glibc's regexec takes a lock: a regex scan gains nothing from a second thread. */
	if (!q->regex && total >= SCAN_THREAD_MIN) {
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
	size_t n = k->c->articles.n;

	hits->n = 0;
	if (search_is_empty(q))
		return;
	for (size_t i = 0, bytes; i < n;)
		i = search_keys_fold_ahead(k, i, (size_t)16 << 20, &bytes);
	search_scan(k, q, 0, n, hits);
}
