/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_fastpath.c: the sanitizer's and layout's fast paths (text_set_fast) give what the
 * plain per-character path gives: the same display text, clusters and lines, on random
 * mixed CJK, Latin, combining, emoji and hostile text at many widths. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "strbuf.h"
#include "text.h"

/* Pieces every one of which is simple (text.c): printable ASCII, Latin with accents
 * precomposed, CJK ideographs and punctuation, fullwidth forms, LF, TAB, C0 and DEL
 * (caret text). A text made of them only takes every fast path. */
static const char *const simple_pieces[] = {
	"a",	"Z",	     "7",      " ",	   "  ",
	",",	".",	     "-",      "(",	   ")",
	"é",	"ü",	     "中",     "國",	   "人",
	"的",	"龍",	     "。",     "，",	   "、",
	"「",	"」",	     "『",     "』",	   "（",
	"）",	"《",	     "》",     "…",	   "——",
	"“",	"”",	     "‘",      "’",	   "·",
	"～",	"！",	     "？",     "Ｇ",	   "５",
	"ー",	"\n",	     "\t",     "\x01",	   "\x1b[",
	"\x7f", "GDP增長率", "5G網絡", "COVID-19", "http://example.com/a?b=c",
};

/* Pieces that are not simple, or that the sanitizer changes: marks with and without a
 * base, long runs of them, emoji with modifiers, variation selectors and ZWJ, flags,
 * Hangul, Indic conjuncts, CR, CRLF, line and paragraph separators, bidi and invisible
 * controls, C1, invalid, truncated, overlong and surrogate UTF-8, unassigned and
 * private-use code points, tags, U+FFFD, U+3030. */
static const char *const other_pieces[] = {
	"\xcc\x81",
	"e\xcc\x81",
	"\xe3\x80\xaa",
	"a\xcc\x81\xcc\x82\xcc\x83\xcc\x84\xcc\x85\xcc\x86",
	"\xf0\x9f\x98\x80",
	"\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbb",
	"\xe2\x9d\xa4\xef\xb8\x8f",
	"\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9",
	"\xf0\x9f\x87\xa8\xf0\x9f\x87\xb3",
	"한국",
	"\xe1\x84\x80\xe1\x85\xa1",
	"क्ष",
	"ไทย",
	"\r",
	"\r\n",
	"\xe2\x80\xa8",
	"\xe2\x80\xae",
	"\xe2\x80\x8b",
	"\xc2\xad",
	"\xc2\x85",
	"\xff",
	"\xe4\xb8",
	"\xed\xa0\x80",
	"\xe0\x80\x80",
	"\xef\xbf\xbd",
	"\xcd\xb8",
	"\xee\x80\x80",
	"\xf3\xa0\x80\x81",
	"\xe3\x80\xb0",
	"\xef\xbf\xbf",
	"\xd8\xa7\xd9\x84",
};

static unsigned long rng = 12345;

static size_t rnd(size_t n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (size_t)(rng >> 33) % n;
}

/* A random text of up to 80 pieces; with others, one piece in four is of other_pieces. */
static void random_text(struct strbuf *sb, bool others)
{
	size_t n = 1 + rnd(80);

	sb_clear(sb);
	for (size_t i = 0; i < n; i++) {
		const char *p = others && rnd(4) == 0
					? other_pieces[rnd(ARRAY_LEN(other_pieces))]
					: simple_pieces[rnd(ARRAY_LEN(simple_pieces))];
		sb_puts(sb, p);
	}
}

static const int widths[] = {1, 2, 3, 4, 5, 7, 8, 11, 16, 23, 40, 80, 200};

/* Prepare s both ways and compare everything layout keeps, and the lines at every width. */
static void compare(const char *s, size_t n, bool want_simple)
{
	struct layout_src fast, plain;

	text_set_fast(false);
	layout_prepare(&plain, s, n);
	text_set_fast(true);
	layout_prepare(&fast, s, n);
	assert_false(plain.text.simple);
	if (want_simple)
		assert_true(fast.text.simple);
	assert_int_equal(fast.text.n, plain.text.n);
	assert_memory_equal(fast.text.s, plain.text.s, plain.text.n + 1);
	assert_memory_equal(fast.text.flags, plain.text.flags, plain.text.n);
	assert_int_equal(fast.ncl, plain.ncl);
	for (size_t i = 0; i < plain.ncl; i++) {
		const struct layout_cluster *a = &fast.cl[i], *b = &plain.cl[i];
		if (a->off != b->off || a->len != b->len || a->width != b->width ||
		    a->flags != b->flags)
			fail_msg("cluster %zu of '%.*s' differs", i, (int)n, s);
	}
	for (size_t w = 0; w < ARRAY_LEN(widths); w++) {
		layout_lines lf = {0}, lp = {0};
		layout_wrap(&fast, widths[w], &lf);
		layout_wrap(&plain, widths[w], &lp);
		assert_int_equal(lf.n, lp.n);
		for (size_t i = 0; i < lp.n; i++)
			if (lf.v[i].first != lp.v[i].first || lf.v[i].count != lp.v[i].count ||
			    lf.v[i].cols != lp.v[i].cols)
				fail_msg("line %zu of '%.*s' at %d differs", i, (int)n, s,
					 widths[w]);
		free(lf.v);
		free(lp.v);
	}
	layout_src_free(&fast);
	layout_src_free(&plain);
}

static void run_random(bool others, int count)
{
	struct strbuf sb = {0};

	for (int i = 0; i < count; i++) {
		random_text(&sb, others);
		compare(sb.s, sb.n, !others);
	}
	sb_free(&sb);
}

/* Simple texts: the cluster pass is skipped and every code point is a cluster. */
static void test_simple_texts(void **state)
{
	(void)state;
	run_random(false, 400);
}

/* Mixed texts: kept runs copied at once, widths from the cache, the rest as before. */
static void test_mixed_texts(void **state)
{
	(void)state;
	run_random(true, 1500);
}

/* What text_put_safe writes of s (n bytes), the fast paths on or off. */
static char *put_safe(const char *s, size_t n, bool on, size_t *len)
{
	char *out = NULL;
	FILE *f = open_memstream(&out, len);

	assert_non_null(f);
	text_set_fast(on);
	text_put_safe(f, s, n);
	text_set_fast(true);
	assert_int_equal(fclose(f), 0);
	return out;
}

/* text_put_safe writes the same bytes whether a text is written as it is or through
 * the sanitizer. */
static void compare_put(const char *s, size_t n)
{
	size_t nf, np;
	char *f = put_safe(s, n, true, &nf), *p = put_safe(s, n, false, &np);

	if (nf != np || memcmp(f, p, np) != 0)
		fail_msg("text_put_safe of '%.*s' differs", (int)n, s);
	free(f);
	free(p);
}

/* s: 中x then code point cp in UTF-8 (the code point alone at s + 4); its length, or 0
 * for a surrogate. */
static size_t after_ideograph(uint32_t cp, char s[8])
{
	size_t n = 4;

	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	memcpy(s, "\xe4\xb8\xadx", 4);
	if (cp < 0x80) {
		s[n++] = (char)cp;
	} else if (cp < 0x800) {
		s[n++] = (char)(0xC0 | cp >> 6);
		s[n++] = (char)(0x80 | (cp & 0x3F));
	} else {
		s[n++] = (char)(0xE0 | cp >> 12);
		s[n++] = (char)(0x80 | (cp >> 6 & 0x3F));
		s[n++] = (char)(0x80 | (cp & 0x3F));
	}
	return n;
}

static void test_put_safe(void **state)
{
	struct strbuf sb = {0};

	(void)state;
	for (int i = 0; i < 3000; i++) {
		random_text(&sb, i % 2 == 1);
		compare_put(sb.s, sb.n);
	}
	for (uint32_t cp = 1; cp < 0x10000; cp++) {
		char s[8];
		size_t n = after_ideograph(cp, s);
		if (!n)
			continue;
		compare_put(s, n);
		compare_put(s + 4, n - 4);
	}
	compare_put("", 0);
	compare_put("\xff\xfe", 2);
	sb_free(&sb);
}

/* Terminals that draw ambiguous characters wide: the replacements keep a text simple. */
static void test_wide_ambiguous(void **state)
{
	(void)state;
	layout_set_ambiguous_width(2);
	run_random(false, 200);
	run_random(true, 400);
	layout_set_ambiguous_width(1);
}

/* Every BMP code point alone and after a CJK ideograph and a letter: the cached answers
 * are the computed ones. */
static void test_every_bmp_code_point(void **state)
{
	(void)state;
	for (uint32_t cp = 1; cp < 0x10000; cp++) {
		char s[8];
		size_t n = after_ideograph(cp, s);
		if (!n)
			continue;
		compare(s + 4, n - 4, false);
		compare(s, n, false);
		text_set_fast(false);
		int plain = text_cluster_width(s + 4, n - 4);
		text_set_fast(true);
		if (text_cluster_width(s + 4, n - 4) != plain)
			fail_msg("width of U+%04X differs", (unsigned)cp);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_texts),   cmocka_unit_test(test_mixed_texts),
		cmocka_unit_test(test_wide_ambiguous), cmocka_unit_test(test_every_bmp_code_point),
		cmocka_unit_test(test_put_safe),
	};

	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fputs("test_fastpath: the C.UTF-8 locale is missing\n", stderr);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
