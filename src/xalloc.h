/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xalloc.h: allocation that never returns NULL, and the growable-array idiom. */
#ifndef XINWEN_XALLOC_H
#define XINWEN_XALLOC_H

#include <stddef.h>

/* Allocate n bytes; out of memory is fatal. */
void *xmalloc(size_t n);
/* Allocate a zeroed array of n elements of size sz; out of memory is fatal. */
void *xcalloc(size_t n, size_t sz);
/* Resize p to n elements of size sz, checking the multiplication; fatal on failure. */
void *xreallocarray(void *p, size_t n, size_t sz);
/* The size and alignment of a transparent huge page on x86-64 and arm64 (4 KB pages). */
#define XALLOC_HUGE (2u * 1024 * 1024)
/* Allocate n bytes aligned to XALLOC_HUGE, advised for transparent huge pages where the
 * kernel has them (one page fault per 2 MB instead of per 4 KB); freed with free(). */
void *xmalloc_huge(size_t n);
/* xmalloc, but n bytes of XALLOC_HUGE or more are in huge pages (xmalloc_huge). */
void *xmalloc_big(size_t n);
/* xcalloc, but an array of XALLOC_HUGE bytes or more is in huge pages (xmalloc_huge). */
void *xcalloc_huge(size_t n, size_t sz);
/* The next block of an arena that has taken `used` bytes of blocks so far, for at least
 * need bytes (*size: its size): as many bytes as the arena has (XALLOC_FIRST at first),
 * up to XALLOC_BLOCK, while used is under XALLOC_HUGE, so that an arena of one article
 * (a file loaded on its own, then moved) takes about what it holds, not a block of
 * pages mostly untouched; then one huge page (xmalloc_huge); freed with free(). */
void *xalloc_block(size_t used, size_t need, size_t *size);
/* The sizes of an arena's first block, and of its blocks once it has grown (xalloc_block). */
#define XALLOC_FIRST 1024u
#define XALLOC_BLOCK (64u * 1024)
/* Copy n bytes of s into a new NUL-terminated string. */
char *xstrndup(const char *s, size_t n);
/* Copy a NUL-terminated string. */
char *xstrdup(const char *s);
/* Grow *v (of element size sz, capacity *cap) so that it holds at least need elements. */
void vec_reserve(void *v, size_t *cap, size_t need, size_t sz);

/* The number of elements of an array (not a pointer). */
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A growable array: VEC(int) a = {0}; VEC_PUSH(&a, 3); free(a.v); VEC_PUSH checks the
 * room itself and calls vec_reserve only to grow (a call for every push was a twentieth
 * of the index's build: bench/README.md, index). */
#define VEC(T)                 \
	struct {               \
		T *v;          \
		size_t n, cap; \
	}
#define VEC_PUSH(a, x)                                                                    \
	((a)->n < (a)->cap ? (void)0                                                      \
			   : vec_reserve(&(a)->v, &(a)->cap, (a)->n + 1, sizeof *(a)->v), \
	 (a)->v[(a)->n++] = (x))

#endif
