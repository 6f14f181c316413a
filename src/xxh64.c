/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xxh64.c: XXH64, Yann Collet's xxHash (64-bit), for content identities and file
 * checksums. */
#include <config.h>

#include "xxh64.h"

#include <string.h>

#define P1 XXH_PRIME64_1
#define P2 XXH_PRIME64_2
#define P3 XXH_PRIME64_3
#define P4 XXH_PRIME64_4
#define P5 XXH_PRIME64_5

static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

/* Little-endian loads at any alignment (one instruction where the CPU allows). */
static uint64_t read64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static uint64_t read32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap32(v);
#endif
	return v;
}

static uint64_t xxh_round(uint64_t acc, uint64_t in)
{
	acc += in * P2;
	acc = rotl(acc, 31);
	return acc * P1;
}

static uint64_t xxh_merge(uint64_t acc, uint64_t v)
{
	acc ^= xxh_round(0, v);
	return acc * P1 + P4;
}

/* The four lanes' state of the seed, which the 32-byte stripes advance. */
static void lanes_init(uint64_t v[4], uint64_t seed)
{
	v[0] = seed + P1 + P2;
	v[1] = seed + P2;
	v[2] = seed;
	v[3] = seed - P1;
}

/* The hash of lanes v, before the last n % 32 bytes and the mixing. */
static uint64_t lanes_merge(const uint64_t v[4])
{
	uint64_t h = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18);

	for (int i = 0; i < 4; i++)
		h = xxh_merge(h, v[i]);
	return h;
}

/* XXH64 of the bytes p[0..end) left after the stripes, h the hash so far (n: all the
 * bytes). */
static uint64_t finish(const unsigned char *p, const unsigned char *end, size_t n, uint64_t h)
{
	h += (uint64_t)n;
	for (; end - p >= 8; p += 8)
		h = rotl(h ^ xxh_round(0, read64(p)), 27) * P1 + P4;
	if (end - p >= 4) {
		h = rotl(h ^ read32(p) * P1, 23) * P2 + P3;
		p += 4;
	}
	for (; p < end; p++)
		h = rotl(h ^ *p * P5, 11) * P1;
	h ^= h >> 33;
	h *= P2;
	h ^= h >> 29;
	h *= P3;
	h ^= h >> 32;
	return h;
}

uint64_t xxh64(const void *data, size_t n, uint64_t seed)
{
	const unsigned char *p = data, *end = p + n;
	uint64_t v[4];

	if (n < 32)
		return finish(p, end, n, seed + P5);
	lanes_init(v, seed);
	for (; end - p >= 32; p += 32)
		for (int i = 0; i < 4; i++)
			v[i] = xxh_round(v[i], read64(p + 8 * i));
	return finish(p, end, n, lanes_merge(v));
}

/* Advance lanes v and w by the whole 32-byte stripes at p (n bytes); returns the end of
 * the last. The eight lanes are held in locals, in registers, rather than read and
 * written back through v and w at each stripe. */
static const unsigned char *stripes_two(uint64_t v[4], uint64_t w[4], const unsigned char *p,
					size_t n)
{
	uint64_t v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3];
	uint64_t w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];

	for (const unsigned char *end = p + n; end - p >= 32; p += 32) {
		uint64_t in0 = read64(p), in1 = read64(p + 8), in2 = read64(p + 16);
		uint64_t in3 = read64(p + 24);

		v0 = xxh_round(v0, in0), w0 = xxh_round(w0, in0);
		v1 = xxh_round(v1, in1), w1 = xxh_round(w1, in1);
		v2 = xxh_round(v2, in2), w2 = xxh_round(w2, in2);
		v3 = xxh_round(v3, in3), w3 = xxh_round(w3, in3);
	}
	v[0] = v0, v[1] = v1, v[2] = v2, v[3] = v3;
	w[0] = w0, w[1] = w1, w[2] = w2, w[3] = w3;
	return p;
}

void xxh64_two(const void *data, size_t n, uint64_t seed0, uint64_t seed1, uint64_t out[2])
{
	const unsigned char *p = data, *end = p + n;
	uint64_t v[4], w[4];

	if (n < 32) {
		out[0] = finish(p, end, n, seed0 + P5);
		out[1] = finish(p, end, n, seed1 + P5);
		return;
	}
	lanes_init(v, seed0);
	lanes_init(w, seed1);
	p = stripes_two(v, w, p, n);
	out[0] = finish(p, end, n, lanes_merge(v));
	out[1] = finish(p, end, n, lanes_merge(w));
}

/* Copy n < 32 bytes from src to dst with fixed-size moves (overlapping when n is not
 * a power of two) rather than a call: hashing a body line by line copies the ends of
 * its lines into the held stripe, a few bytes at a time. */
static void copy_below_32(unsigned char *dst, const unsigned char *src, size_t n)
{
	if (n >= 16) {
		memcpy(dst, src, 16);
		memcpy(dst + n - 16, src + n - 16, 16);
	} else if (n >= 8) {
		memcpy(dst, src, 8);
		memcpy(dst + n - 8, src + n - 8, 8);
	} else if (n >= 4) {
		memcpy(dst, src, 4);
		memcpy(dst + n - 4, src + n - 4, 4);
	} else if (n) {
		dst[0] = src[0];
		dst[n / 2] = src[n / 2];
		dst[n - 1] = src[n - 1];
	}
}

void xxh64_two_init(struct xxh64_two_state *s, uint64_t seed0, uint64_t seed1)
{
	lanes_init(s->v, seed0);
	lanes_init(s->w, seed1);
	s->seed0 = seed0;
	s->seed1 = seed1;
	s->total = 0;
	s->nheld = 0;
}

void xxh64_two_add(struct xxh64_two_state *s, const void *data, size_t n)
{
	const unsigned char *p = data, *end = p + n;

	s->total += n;
	if (s->nheld) { /* a stripe begun: made whole first */
		size_t k = 32 - s->nheld < n ? 32 - s->nheld : n;

		copy_below_32(s->held + s->nheld, p, k);
		s->nheld += k;
		p += k;
		if (s->nheld < 32)
			return;
		stripes_two(s->v, s->w, s->held, 32);
		s->nheld = 0;
	}
	p = stripes_two(s->v, s->w, p, (size_t)(end - p));
	copy_below_32(s->held, p, (size_t)(end - p));
	s->nheld = (size_t)(end - p);
}

void xxh64_two_end(const struct xxh64_two_state *s, uint64_t out[2])
{
	const unsigned char *p = s->held, *end = p + s->nheld;

	if (s->total < 32) {
		out[0] = finish(p, end, s->total, s->seed0 + P5);
		out[1] = finish(p, end, s->total, s->seed1 + P5);
		return;
	}
	out[0] = finish(p, end, s->total, lanes_merge(s->v));
	out[1] = finish(p, end, s->total, lanes_merge(s->w));
}
