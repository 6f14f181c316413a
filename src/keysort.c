/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keysort.c: a most-significant-digit-first radix sort of 32-byte keys (keysort.h),
 * a byte a pass, the bytes no two keys differ in skipped; small parts by insertion. */
#include <config.h>

#include "keysort.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* The bytes compared: group, hi, lo (8 each, most significant first), len. */
#define KEY_BYTES 25
/* Parts of at most this many keys are sorted by insertion. */
#define SMALL 32

static unsigned digit(const struct sort_key *k, int b)
{
	if (b < 8)
		return (unsigned)(k->group >> (56 - 8 * b)) & 0xff;
	if (b < 16)
		return (unsigned)(k->hi >> (56 - 8 * (b - 8))) & 0xff;
	if (b < 24)
		return (unsigned)(k->lo >> (56 - 8 * (b - 16))) & 0xff;
	return k->len;
}

static int compare(const struct sort_key *x, const struct sort_key *y)
{
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return (x->len > y->len) - (x->len < y->len);
}

/* Stable: a key moves only past larger ones. */
static void insertion(struct sort_key *k, size_t n)
{
	for (size_t j = 1; j < n; j++) {
		struct sort_key t = k[j];
		size_t at = j;
		while (at > 0 && compare(&k[at - 1], &t) > 0) {
			k[at] = k[at - 1];
			at--;
		}
		k[at] = t;
	}
}

struct radix {
	struct sort_key *tmp;	/* as many keys as the whole */
	bool varies[KEY_BYTES]; /* some two keys of the whole differ in that byte */
};

/* Sort the n keys k, alike in their bytes before b, into k (to_other false) or into
 * other, room for n in the other buffer, which is also where they are scattered to. */
static void radix(const struct radix *r, struct sort_key *k, struct sort_key *other, size_t n,
		  int b, bool to_other)
{
	size_t count[256];

	while (n > SMALL) {
		while (b < KEY_BYTES && !r->varies[b])
			b++;
		if (b == KEY_BYTES)
			break; /* all alike: kept in their order */
		memset(count, 0, sizeof count);
		for (size_t j = 0; j < n; j++)
			count[digit(&k[j], b)]++;
		if (count[digit(&k[0], b)] == n) { /* alike in this byte too */
			b++;
			continue;
		}
		size_t at[256], sum = 0;
		for (int d = 0; d < 256; d++) {
			at[d] = sum;
			sum += count[d];
		}
		for (size_t j = 0; j < n; j++)
			other[at[digit(&k[j], b)]++] = k[j];
		/* each part, now in other, sorted back into k unless wanted in other */
		size_t start = 0;
		for (int d = 0; d < 256; d++) {
			if (count[d])
				radix(r, other + start, k + start, count[d], b + 1, !to_other);
			start += count[d];
		}
		return;
	}
	if (n <= SMALL)
		insertion(k, n);
	if (to_other)
		memcpy(other, k, n * sizeof *k);
}

void keysort(struct sort_key *k, size_t n)
{
	struct radix r = {NULL, {false}};
	uint64_t dg = 0, dh = 0, dl = 0;
	unsigned dn = 0;

	if (n <= SMALL) {
		insertion(k, n);
		return;
	}
	for (size_t j = 1; j < n; j++) {
		dg |= k[j].group ^ k[0].group;
		dh |= k[j].hi ^ k[0].hi;
		dl |= k[j].lo ^ k[0].lo;
		dn |= (unsigned)(k[j].len ^ k[0].len);
	}
	for (int b = 0; b < 8; b++) {
		r.varies[b] = (dg >> (56 - 8 * b)) & 0xff;
		r.varies[8 + b] = (dh >> (56 - 8 * b)) & 0xff;
		r.varies[16 + b] = (dl >> (56 - 8 * b)) & 0xff;
	}
	r.varies[24] = dn != 0;
	r.tmp = xreallocarray(NULL, n, sizeof *r.tmp);
	radix(&r, k, r.tmp, n, 0, false);
	free(r.tmp);
}

/* The key of s from byte at: 24 bytes of it in group, hi, lo when wide, else 16 in hi,
 * lo; len how many are left (one more than those: more). */
static void prefix(struct sort_key *k, struct str s, size_t at, bool wide)
{
	unsigned char b[24] = {0};
	size_t left = s.n > at ? s.n - at : 0, width = wide ? 24 : 16;
	uint64_t w[3] = {0, 0, 0};

	if (!s.n) {
		if (wide)
			k->group = UINT64_MAX;
		k->hi = k->lo = UINT64_MAX;
		k->len = (uint8_t)(width + 2);
		return;
	}
	memcpy(b, s.p + at, left < width ? left : width);
	for (int j = 0; j < 8; j++)
		for (int f = 0; f < 3; f++)
			w[f] = w[f] << 8 | b[8 * f + j];
	if (wide)
		k->group = w[0];
	k->hi = w[wide ? 1 : 0];
	k->lo = w[wide ? 2 : 1];
	k->len = (uint8_t)(left > width ? width + 1 : left);
}

void keysort_prefix(struct sort_key *k, struct str s, size_t at)
{
	prefix(k, s, at, false);
}

void keysort_prefix_wide(struct sort_key *k, struct str s, size_t at)
{
	prefix(k, s, at, true);
}

/* A run of keys alike in their strings' first at bytes, each longer than that. */
struct run {
	size_t start, n, at;
};

size_t keysort_strings(struct sort_key *k, size_t n, struct str (*str_of)(const void *, uint32_t),
		       const void *ctx, bool wide)
{
	VEC(struct run) todo = {0};
	size_t again = 0;
	size_t width = wide ? 24 : 16;

	keysort(k, n);
	VEC_PUSH(&todo, ((struct run){0, n, 0}));
	while (todo.n) {
		struct run r = todo.v[--todo.n];
		if (r.at) { /* alike in their first r.at bytes: the key of the next ones */
			for (size_t j = r.start; j < r.start + r.n; j++)
				prefix(&k[j], str_of(ctx, k[j].i), r.at, wide);
			keysort(k + r.start, r.n);
			again += r.n;
		}
		for (size_t s = r.start, e; s < r.start + r.n; s = e) {
			for (e = s + 1; e < r.start + r.n && compare(&k[s], &k[e]) == 0; e++)
				;
			if (e - s > 1 && k[s].len == width + 1) /* alike in more, and longer */
				VEC_PUSH(&todo, ((struct run){s, e - s, r.at + width}));
		}
	}
	free(todo.v);
	return again;
}
