/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_common.c: helpers shared by the fuzz targets. */
#include <config.h>

#include "fuzz_common.h"

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

unsigned fuzz_byte(struct fuzz_in *in)
{
	return in->pos < in->n ? in->p[in->pos++] : 0u;
}

int fuzz_more(const struct fuzz_in *in)
{
	return in->pos < in->n;
}

size_t fuzz_bytes(struct fuzz_in *in, size_t max, const uint8_t **out)
{
	size_t k = in->n - in->pos;

	if (k > max)
		k = max;
	*out = in->p + in->pos;
	in->pos += k;
	return k;
}

void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: fuzz invariant broken: %s\n", file, line, what);
	abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		fuzz_fail(__FILE__, __LINE__, "setlocale(LC_ALL, \"C.UTF-8\")");
	return 0;
}

/* The buffer of c that holds p: the one starting closest before it (buffers are
 * separate allocations, so no other one starts between a buffer and a pointer into it). */
static const char *owning_buffer(const struct collection *c, const char *p)
{
	const char *best = NULL;
	size_t i;

	for (i = 0; i < c->buffers.n; i++) {
		const char *b = c->buffers.v[i];

		/* Compared as integers: pointers into different objects are not ordered in C. */
		if ((uintptr_t)b <= (uintptr_t)p && (!best || (uintptr_t)b > (uintptr_t)best))
			best = b;
	}
	return best;
}

/* A field: non-NULL, inside a buffer of c (every byte read, so ASan catches a string
 * that runs past its buffer), valid UTF-8. */
static void check_str(const struct collection *c, struct str s)
{
	volatile unsigned sum = 0;
	size_t i;

	FUZZ_CHECK(s.p != NULL);
	FUZZ_CHECK(owning_buffer(c, s.p) != NULL);
	for (i = 0; i < s.n; i++)
		sum += (unsigned char)s.p[i];
	(void)sum;
	FUZZ_CHECK(u8_check((const uint8_t *)s.p, s.n) == NULL);
}

/* How many of a's related entries lead to the article at position t. */
static size_t cites(const struct article *a, size_t t)
{
	size_t j, k = 0;

	for (j = 0; j < a->related.n; j++)
		k += a->related.v[j].target == t;
	return k;
}

void fuzz_check_collection(const struct collection *c)
{
	size_t i, j, k, nfull = 0;

	FUZZ_CHECK(c->unresolved <= c->diags.n);
	for (i = 0; i < collection_count(c); i++) {
		const struct article *a = collection_article(c, i);

		FUZZ_CHECK(a != NULL && a->id != NULL && a->id[0] != '\0');
		FUZZ_CHECK(a->alt_id == NULL);
		if (a->kind == ARTICLE_FULL) {
			FUZZ_CHECK(i == nfull); /* full articles first */
			nfull++;
			FUZZ_CHECK(a->path != NULL);
			FUZZ_CHECK(a->title.n > 0);
		} else {
			FUZZ_CHECK(a->kind == ARTICLE_EXCERPT);
			FUZZ_CHECK(a->path == NULL);
			FUZZ_CHECK(a->related.n == 0);
			FUZZ_CHECK(a->title.n > 0);
		}
		check_str(c, a->title);
		check_str(c, a->date);
		check_str(c, a->source);
		check_str(c, a->body);
		FUZZ_CHECK(a->date.n == 0 || a->date.n == 10);
		/* ids are unique, so looking one up finds this very article */
		FUZZ_CHECK(collection_find(c, a->id) == a);
		for (j = 0; j < a->related.n; j++) {
			const struct related *r = &a->related.v[j];

			FUZZ_CHECK(r->target < collection_count(c));
			FUZZ_CHECK(r->headline.n > 0);
			FUZZ_CHECK(r->line >= 1);
			check_str(c, r->headline);
			check_str(c, r->snippet);
		}
		for (j = 0; j < a->backlinks.n; j++) {
			size_t b = a->backlinks.v[j];

			FUZZ_CHECK(b < collection_count(c) && b != i);
			FUZZ_CHECK(cites(collection_article(c, b), i) > 0);
			for (k = 0; k < j; k++)
				FUZZ_CHECK(a->backlinks.v[k] != b); /* each citing article once */
		}
	}
	/* Conversely, every article citing another (not itself) is among its backlinks. */
	for (i = 0; i < collection_count(c); i++) {
		const struct article *a = collection_article(c, i);

		for (j = 0; j < a->related.n; j++) {
			const struct article *t = collection_article(c, a->related.v[j].target);
			bool found = t == a;

			for (k = 0; k < t->backlinks.n && !found; k++)
				found = t->backlinks.v[k] == i;
			FUZZ_CHECK(found);
		}
	}
	/* List order: newest first, undated after dated. */
	for (i = 1; i < nfull; i++) {
		const struct article *p = collection_article(c, i - 1),
				     *a = collection_article(c, i);

		if (a->date.n)
			FUZZ_CHECK(p->date.n && memcmp(p->date.p, a->date.p, 10) >= 0);
	}
}
