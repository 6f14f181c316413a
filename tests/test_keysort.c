/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_keysort.c: the radix sort of keys (keysort) is the stable comparison sort of
 * them, and keysort_strings the byte order of whole strings, on keys and strings made
 * to be alike in most of their bytes. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "keysort.h"

static unsigned long long seed = 88172645463325252ull;

static uint64_t next(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

/* The order asked for: the fields, then i (the sort is stable, and i is the order
 * the keys were given in). */
static int ref_keys(const void *pa, const void *pb)
{
	const struct sort_key *x = pa, *y = pb;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* A field of few values, most bits alike: 0, all ones, one byte set, or a few. */
static uint64_t field(void)
{
	switch (next() % 6) {
	case 0: return 0;
	case 1: return UINT64_MAX;
	case 2: return (next() % 4) << (8 * (next() % 8));
	case 3: return UINT64_C(0x8000000000000000) | (next() % 3);
	default: return next() % 5;
	}
}

static void check_keys(size_t n)
{
	struct sort_key *k = calloc(n ? n : 1, sizeof *k), *want = calloc(n ? n : 1, sizeof *k);
	assert_non_null(k);
	assert_non_null(want);
	for (size_t j = 0; j < n; j++) {
		k[j].group = n % 3 ? field() : 7; /* some sets all in one group */
		k[j].hi = field();
		k[j].lo = field();
		k[j].len = (uint8_t)(next() % 4 ? next() % 19 : 17);
		k[j].i = (uint32_t)j;
	}
	memcpy(want, k, n * sizeof *k);
	qsort(want, n, sizeof *want, ref_keys);
	keysort(k, n);
	for (size_t j = 0; j < n; j++) {
		assert_int_equal(k[j].i, want[j].i);
		assert_true(k[j].group == want[j].group && k[j].hi == want[j].hi &&
			    k[j].lo == want[j].lo && k[j].len == want[j].len);
	}
	free(k);
	free(want);
}

static void test_keys_as_compared(void **state)
{
	(void)state;
	static const size_t sizes[] = {0, 1, 2, 31, 32, 33, 64, 255, 1000, 4099, 50000, 200001};
	for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
		check_keys(sizes[s]);
}

/* Every key alike: their order kept. */
static void test_alike_keys_keep_their_order(void **state)
{
	(void)state;
	size_t n = 10000;
	struct sort_key *k = calloc(n, sizeof *k);
	assert_non_null(k);
	for (size_t j = 0; j < n; j++)
		k[j] = (struct sort_key){5, 6, 7, (uint32_t)(n - j), 3};
	keysort(k, n);
	for (size_t j = 0; j < n; j++)
		assert_int_equal(k[j].i, n - j);
	free(k);
}

static struct str *strs;

static struct str str_at(const void *ctx, uint32_t i)
{
	(void)ctx;
	return strs[i];
}

/* Byte order, the empty string last, then the group, then i. */
static bool wide; /* keysort_prefix_wide: in no group */
static int ref_strings(const void *pa, const void *pb)
{
	const struct sort_key *x = pa, *y = pb;
	if (!wide && x->group != y->group)
		return x->group < y->group ? -1 : 1;
	struct str a = strs[x->i], b = strs[y->i];
	if (!a.n || !b.n) {
		if ((a.n == 0) != (b.n == 0))
			return a.n == 0 ? 1 : -1;
	} else {
		int d = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);
		if (d)
			return d;
		if (a.n != b.n)
			return a.n < b.n ? -1 : 1;
	}
	return (x->i > y->i) - (x->i < y->i);
}

/* Strings alike for 15, 16, 17, 31, 32, 33 or 48 bytes, prefixes of one another,
 * with bytes 0 and 0xff, empty ones, equal ones. */
static void check_strings_in_byte_order(void)
{
	size_t n = 60000;
	static const size_t cuts[] = {0, 1, 15, 16, 17, 31, 32, 33, 48, 64};
	char base[80];
	strs = calloc(n, sizeof *strs);
	char *bytes = malloc(n * 80);
	struct sort_key *k = calloc(n, sizeof *k), *want = calloc(n, sizeof *k);
	assert_true(strs && bytes && k && want);
	for (size_t j = 0; j < sizeof base; j++)
		base[j] = (char)(j % 7 == 3 ? 0xff : j % 11 == 5 ? 0 : 'a' + j % 3);
	for (size_t j = 0; j < n; j++) {
		char *p = bytes + 80 * j;
		size_t same = cuts[next() % (sizeof cuts / sizeof *cuts)];
		size_t len = same + next() % 3; /* the base itself, or a byte or two more */
		memcpy(p, base, same);
		for (size_t b = same; b < len; b++) {
			static const char tail[] = {0, 'a', 'b', (char)0xff};
			p[b] = tail[next() % 4];
		}
		strs[j] = (struct str){p, len};
		k[j].group = next() % 3 == 0 ? 1 : 0;
		k[j].i = (uint32_t)j;
		if (wide)
			keysort_prefix_wide(&k[j], strs[j], 0);
		else
			keysort_prefix(&k[j], strs[j], 0);
	}
	memcpy(want, k, n * sizeof *k);
	qsort(want, n, sizeof *want, ref_strings);
	keysort_strings(k, n, str_at, NULL, wide);
	for (size_t j = 0; j < n; j++)
		assert_int_equal(k[j].i, want[j].i);
	free(k);
	free(want);
	free(bytes);
	free(strs);
}

static void test_strings_in_byte_order(void **state)
{
	(void)state;
	wide = false;
	check_strings_in_byte_order();
	wide = true;
	check_strings_in_byte_order();
}

/* Few strings, chosen: the empty one beside strings of 0xff bytes (its key's bytes),
 * two strings alike in 16, 24, 32 or 48 bytes and no others (a run of two), a string
 * and its prefix of 16 or 24 bytes; each in every group, in a shuffled order. */
static void check_chosen_strings(void)
{
	static const char ff[] =
		"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff"
		"\xff\xff\xff\xff\xff\xff\xff\xff";
	static const struct str chosen[] = {
		{"", 0},
		{ff, 16},
		{ff, 17},
		{ff, 24},
		{ff, 25},
		{"0123456789abcdefghijklmnB", 25},
		{"0123456789abcdefghijklmnA", 25},
		{"0123456789abcdefghijklmn", 24},
		{"0123456789abcdefghijklmn0123456789abcdefghijklmnZ", 49},
		{"0123456789abcdefghijklmn0123456789abcdefghijklmnY", 49},
		{"0123456789abcdefB", 17},
		{"0123456789abcdefA", 17},
		{"0123456789abcdef", 16},
		{"0123456789abcdef0123456789abcdefZ", 33},
		{"0123456789abcdef0123456789abcdefY", 33},
		{"0123456789abcdef0123456789abcdef", 32},
		{"\0", 1},
		{"a", 1},
	};
	size_t nc = sizeof chosen / sizeof *chosen, n = 3 * nc;
	struct sort_key k[3 * sizeof chosen / sizeof *chosen], want[sizeof k / sizeof *k];
	struct str s[sizeof k / sizeof *k];

	for (int round = 0; round < 200; round++) {
		for (size_t j = 0; j < n; j++)
			s[j] = chosen[j % nc];
		for (size_t j = n - 1; j > 0; j--) { /* shuffled */
			size_t r = next() % (j + 1);
			struct str t = s[j];
			s[j] = s[r];
			s[r] = t;
		}
		strs = s;
		for (size_t j = 0; j < n; j++) {
			k[j] = (struct sort_key){.group = j % 3, .i = (uint32_t)j};
			if (wide)
				keysort_prefix_wide(&k[j], s[j], 0);
			else
				keysort_prefix(&k[j], s[j], 0);
		}
		memcpy(want, k, sizeof k);
		qsort(want, n, sizeof *want, ref_strings);
		keysort_strings(k, n, str_at, NULL, wide);
		for (size_t j = 0; j < n; j++)
			assert_int_equal(k[j].i, want[j].i);
	}
}

static void test_chosen_strings(void **state)
{
	(void)state;
	wide = false;
	check_chosen_strings();
	wide = true;
	check_chosen_strings();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_as_compared),
		cmocka_unit_test(test_alike_keys_keep_their_order),
		cmocka_unit_test(test_strings_in_byte_order),
		cmocka_unit_test(test_chosen_strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
