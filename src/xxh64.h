/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xxh64.h: XXH64, a fast 64-bit non-cryptographic hash (Yann Collet's xxHash). */
#ifndef XINWEN_XXH64_H
#define XINWEN_XXH64_H

#include <stddef.h>
#include <stdint.h>

#define XXH_PRIME64_1 UINT64_C(0x9E3779B185EBCA87)
#define XXH_PRIME64_2 UINT64_C(0xC2B2AE3D27D4EB4F)
#define XXH_PRIME64_3 UINT64_C(0x165667B19E3779F9)
#define XXH_PRIME64_4 UINT64_C(0x85EBCA77C2B2AE63)
#define XXH_PRIME64_5 UINT64_C(0x27D4EB2F165667C5)

/* XXH64 of n bytes of data with a seed (little-endian reads, any alignment). */
uint64_t xxh64(const void *data, size_t n, uint64_t seed);

/* out[0] = xxh64(data, n, seed0), out[1] = xxh64(data, n, seed1), in one pass. */
void xxh64_two(const void *data, size_t n, uint64_t seed0, uint64_t seed1, uint64_t out[2]);

/* xxh64_two of bytes given in pieces: xxh64_two_init, then xxh64_two_add each piece in
 * order, then xxh64_two_end (the same as xxh64_two of them all, one after another). */
struct xxh64_two_state {
	uint64_t v[4], w[4]; /* the lanes under seed0 and seed1 */
	uint64_t seed0, seed1;
	uint64_t total;		/* bytes added */
	unsigned char held[32]; /* the bytes of a stripe not whole yet */
	size_t nheld;
};

void xxh64_two_init(struct xxh64_two_state *s, uint64_t seed0, uint64_t seed1);
void xxh64_two_add(struct xxh64_two_state *s, const void *data, size_t n);
void xxh64_two_end(const struct xxh64_two_state *s, uint64_t out[2]);

#endif
