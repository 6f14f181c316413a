/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keysort.h: sorting millions of fixed-size keys by their bytes (a radix sort, no
 * comparison function), and strings by keys made of their bytes, 16 at a time. */
#ifndef XINWEN_KEYSORT_H
#define XINWEN_KEYSORT_H

#include <stddef.h>
#include <stdint.h>

#include "strview.h"

/* A key: compared by group, then hi, then lo (each as an unsigned number), then len;
 * i says what it is the key of and is never compared. 32 bytes. */
struct sort_key {
	uint64_t group, hi, lo;
	uint32_t i;
	uint8_t len;
};

/* Sort the n keys, stably: equal keys keep their order. */
void keysort(struct sort_key *k, size_t n);

/* Set k's hi, lo and len to the bytes of s from byte at: the next 16, big-endian,
 * padded with 0, and len how many are left (17 for more than 16), so that keys of
 * whole strings compare as the strings in byte order; an empty string (at 0) gets
 * hi = lo = UINT64_MAX and len 18, so that it sorts after every other. */
void keysort_prefix(struct sort_key *k, struct str s, size_t at);

/* keysort_prefix of 24 bytes, the first 8 in group (len 25 for more, 26 for an empty
 * string), for strings sorted in no group. */
void keysort_prefix_wide(struct sort_key *k, struct str s, size_t at);

/* Sort the n keys, whose hi, lo and len are keysort_prefix of str_of(ctx, k.i) at 0
 * (wide: keysort_prefix_wide), by group (not wide), then the whole string in byte order
 * (the empty one last), stably: the keys of strings alike in their first 16 (24) bytes
 * are made again of the next ones, and so on. Returns how many keys were made again. */
size_t keysort_strings(struct sort_key *k, size_t n, struct str (*str_of)(const void *, uint32_t),
		       const void *ctx, bool wide);

#endif
