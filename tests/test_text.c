/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_text.c: sanitizing untrusted bytes for display (doc/LAYOUT.md §4). */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unigbrk.h>
#include <unistr.h>
#include <wchar.h>

#include "text.h"

/* Bytes of a few code points used below. */
#define FFFD "\xef\xbf\xbd"
#define NBSP "\xc2\xa0"
#define ACUTE "\xcc\x81" /* U+0301 */
#define ZWJ "\xe2\x80\x8d"
#define MAN "\xf0\x9f\x91\xa8"
#define WOMAN "\xf0\x9f\x91\xa9"
#define GIRL "\xf0\x9f\x91\xa7"
#define BOY "\xf0\x9f\x91\xa6"
#define FLAG_TW "\xf0\x9f\x87\xb9\xf0\x9f\x87\xbc"
#define FLAG_JP "\xf0\x9f\x87\xaf\xf0\x9f\x87\xb5"

/* One sanitizer case: input bytes, expected bytes, and the expected caret mask
 * ('^' marks a byte flagged DTEXT_CARET, anything else or past its end an
 * unflagged one; NULL: no byte flagged). Lengths of 0 mean strlen. */
struct san_case {
	const char *name;
	const char *in;
	size_t in_n;
	const char *out;
	size_t out_n;
	const char *carets;
};

static void check_case(const struct san_case *c)
{
	struct dtext t;
	size_t in_n = c->in_n ? c->in_n : strlen(c->in);
	size_t out_n = c->out_n ? c->out_n : strlen(c->out);
	size_t i;

	dtext_sanitize(&t, c->in, in_n);
	if (t.n != out_n || memcmp(t.s, c->out, out_n) != 0) {
		print_error("case %s: got %zu bytes:", c->name, t.n);
		for (i = 0; i < t.n; i++)
			print_error(" %02x", (unsigned char)t.s[i]);
		print_error("\n");
	}
	assert_int_equal(t.n, out_n);
	assert_memory_equal(t.s, c->out, out_n);
	assert_non_null(t.flags);
	for (i = 0; i < t.n; i++) {
		bool want = c->carets && i < strlen(c->carets) && c->carets[i] == '^';

		if (((t.flags[i] & DTEXT_CARET) != 0) != want)
			print_error("case %s: flag of byte %zu\n", c->name, i);
		assert_int_equal((t.flags[i] & DTEXT_CARET) != 0, want);
	}
	assert_null(u8_check((const uint8_t *)t.s, t.n));
	dtext_free(&t);
}

static void run_cases(const struct san_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		check_case(&cases[i]);
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0])

/* §4 row 1: invalid UTF-8, one U+FFFD per maximal bad subpart. */
static void test_invalid_utf8(void **state)
{
	static const struct san_case cases[] = {
		{"0xFF", "\xff", 0, FFFD, 0, NULL},
		{"0xFE", "\xfe", 0, FFFD, 0, NULL},
		{"FF FE",
		 "ab\xff\xfe"
		 "cd",
		 0, "ab" FFFD FFFD "cd", 0, NULL},
		{"stray continuation", "\x80", 0, FFFD, 0, NULL},
		{"two stray continuations", "a\x80\xbfz", 0, "a" FFFD FFFD "z", 0, NULL},
		{"overlong 2-byte /", "\xc0\xaf", 0, FFFD FFFD, 0, NULL},
		{"overlong C1 lead", "\xc1\xbf", 0, FFFD FFFD, 0, NULL},
		{"overlong 3-byte", "\xe0\x80\xaf", 0, FFFD FFFD FFFD, 0, NULL},
		{"overlong 4-byte", "\xf0\x80\x80\xaf", 0, FFFD FFFD FFFD FFFD, 0, NULL},
		{"overlong NUL", "\xc0\x80", 0, FFFD FFFD, 0, NULL},
		{"high surrogate", "\xed\xa0\x80", 0, FFFD FFFD FFFD, 0, NULL},
		{"low surrogate", "\xed\xbf\xbf", 0, FFFD FFFD FFFD, 0, NULL},
		{"surrogate pair as CESU-8", "\xed\xa0\xbd\xed\xb8\x80", 0,
		 FFFD FFFD FFFD FFFD FFFD FFFD, 0, NULL},
		{"truncated 3-byte at end", "cd\xe4\xb8", 0, "cd" FFFD, 0, NULL},
		{"truncated 3-byte mid", "\xe4\xb8x", 0, FFFD "x", 0, NULL},
		{"truncated 4-byte", "\xf0\x9f\x98", 0, FFFD, 0, NULL},
		{"truncated 4-byte then lead", "\xf0\x9f\xe4\xb8\xad", 0, FFFD "\xe4\xb8\xad", 0,
		 NULL},
		{"lone lead at end", "a\xc3", 0, "a" FFFD, 0, NULL},
		{"above U+10FFFF (F4 90)", "\xf4\x90\x80\x80", 0, FFFD FFFD FFFD FFFD, 0, NULL},
		{"F5 lead", "\xf5\x80\x80\x80", 0, FFFD FFFD FFFD FFFD, 0, NULL},
		{"F8 5-byte form", "\xf8\x88\x80\x80\x80", 0, FFFD FFFD FFFD FFFD FFFD, 0, NULL},
		{"valid 4-byte", "\xf0\x9f\x98\x80", 0, "\xf0\x9f\x98\x80", 0, NULL},
		{"U+10FFFF is a noncharacter", "\xf4\x8f\xbf\xbf", 0, FFFD, 0, NULL},
		{"LAYOUT §6 row",
		 "ab\xff\xfe"
		 "cd\xe4\xb8",
		 0, "ab" FFFD FFFD "cd" FFFD, 0, NULL},
	};

	(void)state;
	RUN(cases);
}

/* §4 row 1: C1 controls and code points with wcwidth() < 0. */
static void test_c1_and_unprintable(void **state)
{
	static const struct san_case cases[] = {
		{"U+0080", "\xc2\x80", 0, FFFD, 0, NULL},
		{"U+0085 NEL",
		 "a\xc2\x85"
		 "b",
		 0, "a" FFFD "b", 0, NULL},
		{"U+009B CSI",
		 "\xc2\x9b"
		 "31m",
		 0, FFFD "31m", 0, NULL},
		{"U+009F", "\xc2\x9f", 0, FFFD, 0, NULL},
		{"U+00A0 kept", "\xc2\xa0", 0, "\xc2\xa0", 0, NULL},
		{"unassigned U+0378", "\xcd\xb8", 0, FFFD, 0, NULL},
		{"noncharacter U+FFFF", "\xef\xbf\xbf", 0, FFFD, 0, NULL},
		{"U+FFFD kept", FFFD, 0, FFFD, 0, NULL},
		{"Han kept", "\xe4\xb8\xad", 0, "\xe4\xb8\xad", 0, NULL},
	};

	(void)state;
	RUN(cases);
}

/* §4 row 2: C0 controls (LF and TAB excepted) and DEL become caret text. */
static void test_caret(void **state)
{
	static const struct san_case cases[] = {
		{"ESC", "a\x1b[31mb", 0, "a^[[31mb", 0, ".^^....."},
		{"BEL", "\x07", 0, "^G", 0, "^^"},
		{"DEL",
		 "c\x7f"
		 "d",
		 0, "c^?d", 0, ".^^."},
		{"NUL", "a\0b", 3, "a^@b", 0, ".^^."},
		{"NUL alone", "\0", 1, "^@", 0, "^^"},
		{"SOH", "\x01", 0, "^A", 0, "^^"},
		{"BS", "SAFE\bX", 0, "SAFE^HX", 0, "....^^."},
		{"VT FF", "\x0b\x0c", 0, "^K^L", 0, "^^^^"},
		{"US", "\x1f", 0, "^_", 0, "^^"},
		{"real caret unflagged", "^[", 0, "^[", 0, NULL},
		{"LF and TAB kept", "a\tb\nc", 0, "a\tb\nc", 0, NULL},
		{"OSC title", "\x1b]0;pwned\x07", 0, "^[]0;pwned^G", 0, "^^........^^"},
	};

	(void)state;
	RUN(cases);
}

/* §4 row 3: CR, CRLF, U+2028 and U+2029 are line breaks. */
static void test_line_breaks(void **state)
{
	static const struct san_case cases[] = {
		{"CR", "SAFE\rEVIL", 0, "SAFE\nEVIL", 0, NULL},
		{"CRLF", "a\r\nb", 0, "a\nb", 0, NULL},
		{"CR CRLF", "a\r\r\nb", 0, "a\n\nb", 0, NULL},
		{"LF CR", "a\n\rb", 0, "a\n\nb", 0, NULL},
		{"trailing CR", "a\r", 0, "a\n", 0, NULL},
		{"U+2028",
		 "c\xe2\x80\xa8"
		 "d",
		 0, "c\nd", 0, NULL},
		{"U+2029",
		 "c\xe2\x80\xa9"
		 "d",
		 0, "c\nd", 0, NULL},
		{"LAYOUT §6 row",
		 "a\r\nb\rc\xe2\x80\xa8"
		 "d",
		 0, "a\nb\nc\nd", 0, NULL},
	};

	(void)state;
	RUN(cases);
}

/* §4 row 4: bidi controls are dropped. */
static void test_bidi_dropped(void **state)
{
	static const struct san_case cases[] = {
		{"ALM U+061C",
		 "a\xd8\x9c"
		 "b",
		 0, "ab", 0, NULL},
		{"LRM U+200E",
		 "a\xe2\x80\x8e"
		 "b",
		 0, "ab", 0, NULL},
		{"RLM U+200F",
		 "a\xe2\x80\x8f"
		 "b",
		 0, "ab", 0, NULL},
		{"LRE U+202A",
		 "a\xe2\x80\xaa"
		 "b",
		 0, "ab", 0, NULL},
		{"RLE U+202B",
		 "a\xe2\x80\xab"
		 "b",
		 0, "ab", 0, NULL},
		{"PDF U+202C",
		 "a\xe2\x80\xac"
		 "b",
		 0, "ab", 0, NULL},
		{"LRO U+202D",
		 "a\xe2\x80\xad"
		 "b",
		 0, "ab", 0, NULL},
		{"RLO U+202E",
		 "a\xe2\x80\xae"
		 "b",
		 0, "ab", 0, NULL},
		{"LRI U+2066",
		 "a\xe2\x81\xa6"
		 "b",
		 0, "ab", 0, NULL},
		{"RLI U+2067",
		 "a\xe2\x81\xa7"
		 "b",
		 0, "ab", 0, NULL},
		{"FSI U+2068",
		 "a\xe2\x81\xa8"
		 "b",
		 0, "ab", 0, NULL},
		{"PDI U+2069",
		 "a\xe2\x81\xa9"
		 "b",
		 0, "ab", 0, NULL},
		{"Trojan Source", "/*\xe2\x80\xae } \xe2\x81\xa6 if\xe2\x81\xa9 \xe2\x81\xa6*/", 0,
		 "/* }  if */", 0, NULL},
	};

	(void)state;
	RUN(cases);
}

/* §4 row 5: invisible characters are dropped. */
static void test_invisible_dropped(void **state)
{
	static const struct san_case cases[] = {
		{"ZWSP U+200B",
		 "a\xe2\x80\x8b"
		 "b",
		 0, "ab", 0, NULL},
		{"ZWNJ U+200C",
		 "a\xe2\x80\x8c"
		 "b",
		 0, "ab", 0, NULL},
		{"ZWJ U+200D between letters", "a" ZWJ "b", 0, "ab", 0, NULL},
		{"ZWJ after emoji, before letter", MAN ZWJ "b", 0, MAN "b", 0, NULL},
		{"ZWJ at end", MAN ZWJ, 0, MAN, 0, NULL},
		{"WJ U+2060",
		 "a\xe2\x81\xa0"
		 "b",
		 0, "ab", 0, NULL},
		{"U+2061..2064",
		 "a\xe2\x81\xa1\xe2\x81\xa2\xe2\x81\xa3\xe2\x81\xa4"
		 "b",
		 0, "ab", 0, NULL},
		{"BOM U+FEFF",
		 "\xef\xbb\xbf"
		 "ab\xef\xbb\xbf",
		 0, "ab", 0, NULL},
		{"SHY U+00AD",
		 "a\xc2\xad"
		 "b",
		 0, "ab", 0, NULL},
		{"VS1 U+FE00",
		 "a\xef\xb8\x80"
		 "b",
		 0, "ab", 0, NULL},
		{"VS16 U+FE0F", "\xe2\x9d\xa4\xef\xb8\x8f", 0, "\xe2\x9d\xa4", 0, NULL},
		{"VS17 U+E0100", "\xe8\x91\x9b\xf3\xa0\x84\x80", 0, "\xe8\x91\x9b", 0, NULL},
		{"skin tone U+1F3FB", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbb", 0, "\xf0\x9f\x91\x8d", 0,
		 NULL},
		{"skin tone U+1F3FF", "\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbf", 0, "\xf0\x9f\x91\x8d", 0,
		 NULL},
		{"tags U+E0001 U+E0041 U+E007F",
		 "a\xf3\xa0\x80\x81\xf3\xa0\x81\x81\xf3\xa0\x81\xbf"
		 "b",
		 0, "ab", 0, NULL},
		{"tag flag of Scotland",
		 "\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xb3\xf3\xa0\x81\xa3"
		 "\xf3\xa0\x81\xb4\xf3\xa0\x81\xbf",
		 0, "\xf0\x9f\x8f\xb4", 0, NULL},
		{"other zero-width format controls U+180E U+FFF9",
		 "a\xe1\xa0\x8e\xef\xbf\xb9"
		 "b",
		 0, "ab", 0, NULL},
		{"LAYOUT §6 row",
		 "a\x1b[31mb\x07"
		 "c\x7f"
		 "d\xc2\x9b"
		 "e\xe2\x80\xae"
		 "f\xe2\x81\xa6"
		 "g\xef\xbb\xbf"
		 "h\xe2\x80\x8b"
		 "i\xc2\xad"
		 "j",
		 0, "a^[[31mb^Gc^?d" FFFD "efghij", 0, ".^^.....^^.^^."},
	};

	(void)state;
	RUN(cases);
}

/* §4 row 6: a combining mark with no base gets U+00A0. */
static void test_mark_without_base(void **state)
{
	static const struct san_case cases[] = {
		{"at start", ACUTE "a", 0, NBSP ACUTE "a", 0, NULL},
		{"after LF", "a\n" ACUTE, 0, "a\n" NBSP ACUTE, 0, NULL},
		{"after TAB", "a\t" ACUTE, 0, "a\t" NBSP ACUTE, 0, NULL},
		{"after CR", "a\r" ACUTE, 0, "a\n" NBSP ACUTE, 0, NULL},
		{"after caret text", "\x1b" ACUTE, 0, "^[" NBSP ACUTE, 0, "^^...."},
		{"after a dropped bidi control", "\xe2\x80\xae" ACUTE, 0, NBSP ACUTE, 0, NULL},
		{"spacing mark U+0903 at start", "\xe0\xa4\x83", 0, NBSP "\xe0\xa4\x83", 0, NULL},
		{"with a base: unchanged", "e" ACUTE, 0, "e" ACUTE, 0, NULL},
		{"on a Han base: unchanged", "\xe4\xb8\xad" ACUTE, 0, "\xe4\xb8\xad" ACUTE, 0,
		 NULL},
	};

	(void)state;
	RUN(cases);
}

/* §4 row 7: clusters of more than 5 code points are cut to 5. */
static void test_zalgo(void **state)
{
	static const struct san_case cases[] = {
		{"e + 10 marks",
		 "e" ACUTE ACUTE ACUTE ACUTE ACUTE ACUTE ACUTE ACUTE ACUTE ACUTE "x", 0,
		 "e" ACUTE ACUTE ACUTE ACUTE "x", 0, NULL},
		{"e + 4 marks kept", "e" ACUTE ACUTE ACUTE ACUTE, 0, "e" ACUTE ACUTE ACUTE ACUTE, 0,
		 NULL},
		{"e + 5 marks", "e" ACUTE ACUTE ACUTE ACUTE ACUTE, 0, "e" ACUTE ACUTE ACUTE ACUTE,
		 0, NULL},
		{"6 marks, no base", ACUTE ACUTE ACUTE ACUTE ACUTE ACUTE, 0,
		 NBSP ACUTE ACUTE ACUTE ACUTE, 0, NULL},
	};

	(void)state;
	RUN(cases);
}

/* Clusters of sanitized text: byte offsets where one begins, terminated by n. */
static size_t cluster_starts(const struct dtext *t, size_t *starts, size_t max)
{
	char *brk = malloc(t->n + 1);
	size_t i, k = 0;

	assert_non_null(brk);
	u8_grapheme_breaks((const uint8_t *)t->s, t->n, brk);
	for (i = 0; i < t->n && k < max; i++)
		if (i == 0 || brk[i])
			starts[k++] = i;
	free(brk);
	return k;
}

/* Flags stay whole clusters; ZWJ sequences fall apart into their emoji (§4 drops
 * U+200D), so the terminal cannot draw them narrower than ncurses counts. */
static void test_emoji_clusters(void **state)
{
	static const struct {
		const char *in, *out;
		size_t nclusters;
		int width0;
	} cases[] = {
		{FLAG_TW FLAG_JP, FLAG_TW FLAG_JP, 2, 2},
		{MAN ZWJ WOMAN ZWJ GIRL ZWJ BOY, MAN WOMAN GIRL BOY, 4, 2},
		/* heart on fire: U+2764 U+FE0F U+200D U+1F525; the VS16 and ZWJ go */
		{"\xe2\x9d\xa4\xef\xb8\x8f" ZWJ "\xf0\x9f\x94\xa5",
		 "\xe2\x9d\xa4"
		 "\xf0\x9f\x94\xa5",
		 2, 1},
		/* rainbow flag: U+1F3F3 U+FE0F U+200D U+1F308 */
		{"\xf0\x9f\x8f\xb3\xef\xb8\x8f" ZWJ "\xf0\x9f\x8c\x88",
		 "\xf0\x9f\x8f\xb3"
		 "\xf0\x9f\x8c\x88",
		 2, 1},
		{"a" FLAG_TW "b", "a" FLAG_TW "b", 3, 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct dtext t;
		size_t starts[16], k;

		dtext_sanitize(&t, cases[i].in, strlen(cases[i].in));
		assert_int_equal(t.n, strlen(cases[i].out));
		assert_memory_equal(t.s, cases[i].out, t.n);
		k = cluster_starts(&t, starts, 16);
		assert_int_equal(k, cases[i].nclusters);
		if (k == 1)
			assert_int_equal(text_cluster_width(t.s, t.n), cases[i].width0);
		dtext_free(&t);
	}
	/* The two flags pair up as TW and JP, not as W and J. */
	{
		struct dtext t;
		size_t starts[4];

		dtext_sanitize(&t, FLAG_TW FLAG_JP, strlen(FLAG_TW FLAG_JP));
		assert_int_equal(cluster_starts(&t, starts, 4), 2);
		assert_int_equal(starts[1], strlen(FLAG_TW));
		assert_int_equal(text_cluster_width(t.s, starts[1]), 2);
		dtext_free(&t);
	}
}

/* text_cluster_width is the glibc wcwidth() sum. */
static void test_cluster_width(void **state)
{
	static const struct {
		const char *s;
		int w;
	} cases[] = {
		{"a", 1},
		{"\xe4\xb8\xad", 2},	 /* 中 */
		{"e" ACUTE, 1},		 /* é decomposed */
		{"\xe2\x80\xa6", 1},	 /* … ambiguous: 1 in glibc */
		{"\xe2\x80\x9c", 1},	 /* “ */
		{"\xc2\xb7", 1},	 /* · */
		{"\xe3\x80\x80", 2},	 /* U+3000 */
		{"\xef\xbc\xa1", 2},	 /* Ａ */
		{"\xf0\x9f\x91\x8d", 2}, /* 👍 */
		{FLAG_TW, 2},
		{MAN ZWJ WOMAN ZWJ GIRL, 6},
		{FFFD, 1},
		{NBSP ACUTE, 1},
		{"", 0},
		{"\xc2\x80", 1}, /* wcwidth -1 counts 1 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(text_cluster_width(cases[i].s, strlen(cases[i].s)), cases[i].w);
}

static void test_empty(void **state)
{
	struct dtext t;

	(void)state;
	dtext_sanitize(&t, "", 0);
	assert_int_equal(t.n, 0);
	assert_non_null(t.s);
	assert_int_equal(t.s[0], '\0');
	dtext_free(&t);
	assert_null(t.s);
	dtext_sanitize(&t, "\xe2\x80\x8b\xef\xbb\xbf", 6); /* all dropped */
	assert_int_equal(t.n, 0);
	assert_non_null(t.s);
	dtext_free(&t);
}

/* Decode a sanitized text and check every display-safety promise of text.h. */
static void check_display_safe(const struct dtext *t)
{
	size_t i = 0;
	char *brk;
	size_t ncp = 0;

	assert_null(u8_check((const uint8_t *)t->s, t->n));
	brk = malloc(t->n + 1);
	assert_non_null(brk);
	if (t->n)
		u8_grapheme_breaks((const uint8_t *)t->s, t->n, brk);
	while (i < t->n) {
		ucs4_t c;
		int len = u8_mbtouc(&c, (const uint8_t *)t->s + i, t->n - i);

		assert_true(len >= 1);
		if (i == 0 || brk[i])
			ncp = 0;
		ncp++;
		assert_true(ncp <= 5);
		assert_true(c >= 0x20 || c == '\n' || c == '\t');
		assert_true(c != 0x7f && !(c >= 0x80 && c <= 0x9f));
		assert_false(c == 0x061c || c == 0x200e || c == 0x200f ||
			     (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069));
		assert_false(c == 0x200b || c == 0x200c || c == 0xfeff || c == 0xad ||
			     c == 0x2028 || c == 0x2029 || c == '\r');
		if (c != '\n' && c != '\t')
			assert_true(wcwidth((wchar_t)c) >= 0);
		if (t->flags[i] & DTEXT_CARET)
			assert_true(c == '^' || (c >= 0x3f && c <= 0x5f));
		i += (size_t)len;
	}
	free(brk);
}

/* Random bytes (biased toward UTF-8 edge bytes) always come out display-safe. */
static void test_random_bytes(void **state)
{
	static const unsigned char pool[] = {
		0x00, 0x07, 0x08, 0x09, 0x0a, 0x0d, 0x1b, 0x20, 0x41, 0x5b, 0x7f, 0x80, 0x8d, 0x9b,
		0xa0, 0xad, 0xbf, 0xc0, 0xc2, 0xcc, 0xd8, 0xdf, 0xe0, 0xe2, 0xe4, 0xed, 0xef, 0xf0,
		0xf3, 0xf4, 0xf5, 0xf8, 0xfe, 0xff, 0x81, 0x9f, 0xb8, 0xbb, 0x8f, 0x9c,
	};
	uint32_t seed = 12345;
	unsigned char buf[96];
	int round;

	(void)state;
	for (round = 0; round < 20000; round++) {
		struct dtext t;
		size_t n, i;

		seed = seed * 1103515245u + 12345u;
		n = (seed >> 16) % sizeof buf;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (seed >> 24) & 1 ? pool[(seed >> 16) % sizeof pool]
						  : (unsigned char)(seed >> 8);
		}
		dtext_sanitize(&t, (const char *)buf, n);
		check_display_safe(&t);
		dtext_free(&t);
	}
}

/* Sanitizing twice changes nothing the second time. */
static void test_idempotent(void **state)
{
	static const char *const inputs[] = {
		"a\x1b[31mb\r\n\xe2\x80\xae" ACUTE "x\xff",
		ACUTE ACUTE ACUTE ACUTE ACUTE ACUTE ACUTE "\n" MAN ZWJ WOMAN ZWJ GIRL ZWJ BOY,
		"\xe4\xb8\xad\xe6\x96\x87\t" FLAG_TW FLAG_JP "\xe2\x80\xa8",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		struct dtext a, b;

		dtext_sanitize(&a, inputs[i], strlen(inputs[i]));
		dtext_sanitize(&b, a.s, a.n);
		assert_int_equal(a.n, b.n);
		assert_memory_equal(a.s, b.s, a.n);
		dtext_free(&a);
		dtext_free(&b);
	}
}

/* Assert that text_escape_name shows name as want (and says whether it escaped), and
 * that text_unescape_name gives the name's bytes back from that. */
static void check_name(const char *name, size_t n, const char *want)
{
	struct strbuf shown = {0}, back = {0};
	bool escaped = text_escape_name(&shown, name, n);

	assert_string_equal(shown.s, want);
	assert_int_equal(escaped, strcmp(want, name) != 0 || strlen(name) != n);
	if (escaped) {
		assert_true(text_unescape_name(&back, shown.s));
		assert_int_equal(back.n, n);
		assert_memory_equal(back.s, name, n);
	} else {
		assert_false(text_unescape_name(&back, shown.s));
	}
	sb_free(&shown);
	sb_free(&back);
}

/* check_name of a string literal, NULs in it included. */
#define CHECK_NAME(lit, want) check_name(lit, sizeof lit - 1, want)

/* A file's name is shown unambiguously: UTF-8 as it is, each byte of anything else as
 * \xNN, a backslash doubled, controls and invisible characters escaped; the shown form
 * reads back to the bytes. */
static void test_escape_name(void **state)
{
	(void)state;
	CHECK_NAME("THUCNews/体育/1.txt", "THUCNews/体育/1.txt");
	CHECK_NAME("", "");
	/* GBK's 体育, as a tree unpacked from an archive made on Chinese Windows names it */
	CHECK_NAME("THUCNews/\xcc\xe5\xd3\xfd/1.txt", "THUCNews/\\xCC\\xE5\\xD3\\xFD/1.txt");
	CHECK_NAME("a\\xCC", "a\\\\xCC"); /* a name that reads like an escape is not one */
	CHECK_NAME("a\tb\x1b[0m\x7f", "a\\x09b\\x1B[0m\\x7F");
	CHECK_NAME("a\xe2\x80\xae"
		   "b\xe2\x80\x8b"
		   "c\xc2\x85",
		   "a\\u{202E}b\\u{200B}c\\u{0085}");
	CHECK_NAME("x\0y", "x\\x00y");
	CHECK_NAME("\xe4\xb8", "\\xE4\\xB8"); /* a UTF-8 sequence cut short */

	/* Random bytes: always shown display-safe, always read back. */
	uint32_t seed = 7;
	for (int round = 0; round < 2000; round++) {
		unsigned char buf[24];
		struct strbuf shown = {0}, back = {0};
		size_t n = round % sizeof buf;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (unsigned char)(seed >> 16);
		}
		if (text_escape_name(&shown, (const char *)buf, n)) {
			assert_true(text_unescape_name(&back, shown.s));
			assert_int_equal(back.n, n);
			assert_memory_equal(back.s, buf, n);
		} else {
			assert_int_equal(shown.n, n);
		}
		/* valid UTF-8 without a control: nothing for the sanitizer to change but a
		 * base it may give a leading combining mark */
		assert_null(u8_check((const uint8_t *)shown.s, shown.n));
		for (size_t i = 0; i < shown.n; i++)
			assert_true((unsigned char)shown.s[i] >= 0x20 && shown.s[i] != 0x7f);
		sb_free(&shown);
		sb_free(&back);
	}
	struct strbuf back = {0};
	assert_false(text_unescape_name(&back, "plain"));
	assert_false(text_unescape_name(&back, "a\\q"));
	assert_false(text_unescape_name(&back, "a\\x4"));
	assert_false(text_unescape_name(&back, "a\\u{110000}"));
	assert_int_equal(back.n, 0);
	sb_free(&back);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_name),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_c1_and_unprintable),
		cmocka_unit_test(test_caret),
		cmocka_unit_test(test_line_breaks),
		cmocka_unit_test(test_bidi_dropped),
		cmocka_unit_test(test_invisible_dropped),
		cmocka_unit_test(test_mark_without_base),
		cmocka_unit_test(test_zalgo),
		cmocka_unit_test(test_emoji_clusters),
		cmocka_unit_test(test_cluster_width),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_random_bytes),
		cmocka_unit_test(test_idempotent),
	};

	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fputs("test_text: the C.UTF-8 locale is missing\n", stderr);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
