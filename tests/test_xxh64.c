/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_xxh64.c: XXH64 against the reference values published with xxHash (its sanity
 * check, xsum_sanity_check.c: a generated buffer at the lengths that take each path of
 * the algorithm, seeds 0 and PRIME32), at every alignment. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "xxh64.h"

#define PRIME32 UINT64_C(2654435761)
#define PRIME64 UINT64_C(11400714785074694797)
#define SANITY_LEN 2367

/* xxHash's sanity buffer: byte i is the top byte of PRIME32 * PRIME64^i (mod 2^64). */
static void fill_sanity_buffer(unsigned char *p, size_t n)
{
	uint64_t gen = PRIME32;

	for (size_t i = 0; i < n; i++) {
		p[i] = (unsigned char)(gen >> 56);
		gen *= PRIME64;
	}
}

static const struct {
	size_t len;
	uint64_t seed, want;
} vectors[] = {
	{0, 0, UINT64_C(0xEF46DB3751D8E999)},	      {0, PRIME32, UINT64_C(0xAC75FDA2929B17EF)},
	{1, 0, UINT64_C(0xE934A84ADB052768)},	      {1, PRIME32, UINT64_C(0x5014607643A9B4C3)},
	{4, 0, UINT64_C(0x9136A0DCA57457EE)},	      {14, 0, UINT64_C(0x8282DCC4994E35C8)},
	{14, PRIME32, UINT64_C(0xC3BD6BF63DEB6DF0)},  {222, 0, UINT64_C(0xB641AE8CB691C174)},
	{222, PRIME32, UINT64_C(0x20CB8AB7AE10C14A)},
};

static void test_reference_values(void **state)
{
	static unsigned char buf[SANITY_LEN];
	(void)state;

	fill_sanity_buffer(buf, sizeof buf);
	for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
		uint64_t got = xxh64(buf, vectors[i].len, vectors[i].seed);
		if (got != vectors[i].want)
			fail_msg("XXH64 of %zu bytes, seed %llu: %016llx, expected %016llx",
				 vectors[i].len, (unsigned long long)vectors[i].seed,
				 (unsigned long long)got, (unsigned long long)vectors[i].want);
	}
}

/* The same values whatever the data's alignment (the loads are unaligned). */
static void test_any_alignment(void **state)
{
	static unsigned char buf[SANITY_LEN], moved[SANITY_LEN + 8];
	(void)state;

	fill_sanity_buffer(buf, sizeof buf);
	for (size_t off = 1; off < 8; off++) {
		memcpy(moved + off, buf, 222);
		assert_true(xxh64(moved + off, 222, 0) == UINT64_C(0xB641AE8CB691C174));
		assert_true(xxh64(moved + off, 14, PRIME32) == UINT64_C(0xC3BD6BF63DEB6DF0));
	}
}

/* xxh64_two gives what xxh64 gives under each of its two seeds, at every length around
 * the 32-byte stripes and the 8- and 4-byte tails; and the reference values. */
static void test_two_seeds(void **state)
{
	static unsigned char buf[SANITY_LEN];
	uint64_t h[2];
	(void)state;

	fill_sanity_buffer(buf, sizeof buf);
	for (size_t n = 0; n <= sizeof buf; n++) {
		xxh64_two(buf, n, 0, PRIME32, h);
		assert_true(h[0] == xxh64(buf, n, 0));
		assert_true(h[1] == xxh64(buf, n, PRIME32));
		xxh64_two(buf, n, UINT64_C(0x165667B19E3779F9), 7, h);
		assert_true(h[0] == xxh64(buf, n, UINT64_C(0x165667B19E3779F9)));
		assert_true(h[1] == xxh64(buf, n, 7));
	}
	xxh64_two(buf, 222, 0, PRIME32, h);
	assert_true(h[0] == UINT64_C(0xB641AE8CB691C174));
}

/* xxh64_two_add in pieces gives what xxh64_two gives of them all: every length up to a
 * few stripes cut at every point, and long inputs cut in pieces of random lengths (empty
 * ones too), across the held part of a stripe and whole stripes; the reference value. */
static void test_two_in_pieces(void **state)
{
	static unsigned char buf[SANITY_LEN];
	struct xxh64_two_state s;
	uint64_t h[2], want[2], rng = 1;
	(void)state;

	fill_sanity_buffer(buf, sizeof buf);
	for (size_t n = 0; n <= 100; n++)
		for (size_t cut = 0; cut <= n; cut++) {
			xxh64_two_init(&s, 0, PRIME32);
			xxh64_two_add(&s, buf, cut);
			xxh64_two_add(&s, buf + cut, n - cut);
			xxh64_two_end(&s, h);
			xxh64_two(buf, n, 0, PRIME32, want);
			assert_true(h[0] == want[0] && h[1] == want[1]);
		}
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(round * 7919 % SANITY_LEN), at = 0;

		xxh64_two_init(&s, UINT64_C(0x165667B19E3779F9), 7);
		while (at < n) {
			rng = rng * 6364136223846793005u + 1442695040888963407u;
			size_t k = (size_t)(rng >> 33) % (round % 3 == 0 ? 5 : 90);
			if (k > n - at)
				k = n - at;
			xxh64_two_add(&s, buf + at, k);
			at += k;
		}
		xxh64_two_end(&s, h);
		xxh64_two(buf, n, UINT64_C(0x165667B19E3779F9), 7, want);
		assert_true(h[0] == want[0] && h[1] == want[1]);
	}
	xxh64_two_init(&s, 0, PRIME32);
	for (size_t i = 0; i < 222; i++)
		xxh64_two_add(&s, buf + i, 1);
	xxh64_two_end(&s, h);
	assert_true(h[0] == UINT64_C(0xB641AE8CB691C174) && h[1] == UINT64_C(0x20CB8AB7AE10C14A));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_values),
		cmocka_unit_test(test_any_alignment),
		cmocka_unit_test(test_two_seeds),
		cmocka_unit_test(test_two_in_pieces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
