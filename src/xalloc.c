/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xalloc.c: allocation that never returns NULL. */
#include <config.h>

#include "xalloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

static void out_of_memory(void)
{
	fputs("xinwen: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xmalloc_huge(size_t n)
{
	void *p;

	if (posix_memalign(&p, XALLOC_HUGE, n ? n : 1) != 0)
		out_of_memory();
#ifdef MADV_HUGEPAGE
	madvise(p, n, MADV_HUGEPAGE); /* advice: without huge pages, 4 KB ones as before */
#endif
	return p;
}

void *xmalloc_big(size_t n)
{
	return n >= XALLOC_HUGE ? xmalloc_huge(n) : xmalloc(n);
}

void *xcalloc_huge(size_t n, size_t sz)
{
	void *p;

	if (sz && n > SIZE_MAX / sz)
		out_of_memory();
	if (n * sz < XALLOC_HUGE)
		return xcalloc(n, sz);
	p = xmalloc_huge(n * sz);
	memset(p, 0, n * sz);
	return p;
}

void *xalloc_block(size_t used, size_t need, size_t *size)
{
	size_t grown = used < XALLOC_FIRST   ? XALLOC_FIRST
		       : used < XALLOC_BLOCK ? used
					     : XALLOC_BLOCK;

	*size = used >= XALLOC_HUGE ? XALLOC_HUGE : grown > need ? grown : need;
	return xmalloc_big(*size);
}

void *xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz)
		out_of_memory();
	p = realloc(p, n && sz ? n * sz : 1);
	if (!p)
		out_of_memory();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void vec_reserve(void *v, size_t *cap, size_t need, size_t sz)
{
	void **pv = v;
	size_t c = *cap;
	if (need <= c)
		return;
	if (c < 8)
		c = 8;
	while (c < need) {
		if (c > SIZE_MAX / 2)
			out_of_memory();
		c *= 2;
	}
	*pv = xreallocarray(*pv, c, sz);
	*cap = c;
}
