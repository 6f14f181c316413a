/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_convert.c: the Traditional/Simplified view of text and panes, and the OSC 52
 * clipboard sequence. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "format.h"
#include "testutil.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "collection.h"
#include "convert.h"
#include "osc52.h"
#include "pane.h"

static const char *seed_title = "四川新聞丨做實社會治理 閬中下足繡花功夫";
static const char *seed_title_simplified = "四川新闻丨做实社会治理 阆中下足绣花功夫";

/* s in form m, as a malloc'd string (NULs and all: *n is its length). */
static char *converted(enum convert_mode m, const char *s, size_t len, size_t *n)
{
	struct strbuf b = {0};
	assert_true(convert_text(m, s, len, &b));
	*n = b.n;
	return b.s;
}

static void expect(enum convert_mode m, const char *in, const char *want)
{
	size_t n;
	char *got = converted(m, in, strlen(in), &n);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(got, want, n);
	free(got);
}

static void test_known_characters(void **state)
{
	NEEDS_OPENCC();
	(void)state;
	assert_null(convert_problem(CONVERT_SIMPLIFIED));
	assert_null(convert_problem(CONVERT_TRADITIONAL));
	expect(CONVERT_SIMPLIFIED, "臺灣", "台湾");
	expect(CONVERT_TRADITIONAL, "台湾", "臺灣");
	expect(CONVERT_ORIGINAL, "臺灣", "臺灣");
	/* Phrases: 頭髮 is 头发, and 乾燥 and 干燥 are both 乾燥 in Traditional. */
	expect(CONVERT_SIMPLIFIED, "頭髮 乾燥", "头发 干燥");
	expect(CONVERT_TRADITIONAL, "头发 干燥", "頭髮 乾燥");
	expect(CONVERT_SIMPLIFIED, seed_title, seed_title_simplified);
	expect(CONVERT_TRADITIONAL, seed_title_simplified, seed_title);
	expect(CONVERT_SIMPLIFIED, "", "");
	assert_string_equal(convert_mode_name(CONVERT_SIMPLIFIED), "Simplified");
}

/* Bytes OpenCC must not see (NUL, invalid UTF-8, controls) pass through untouched, and
 * the text around them is still converted. */
static void test_unsafe_bytes_pass_through(void **state)
{
	NEEDS_OPENCC();
	static const char in[] = "臺\0灣\xff\xfe臺\x1b[31m灣\xe5\x8f";
	static const char want[] = "台\0湾\xff\xfe台\x1b[31m湾\xe5\x8f";
	size_t n;
	(void)state;
	char *got = converted(CONVERT_SIMPLIFIED, in, sizeof in - 1, &n);
	assert_int_equal(n, sizeof want - 1);
	assert_memory_equal(got, want, n);
	free(got);
}

static struct collection seed;

static int load_seed(void **state)
{
	size_t n;
	char *bytes = test_read_seed(&n);
	(void)state;
	collection_init(&seed);
	assert_true(fmt_native_add_buffer(&seed, "seed.txt", "seed", bytes, n));
	free(bytes);
	collection_finish(&seed);
	return 0;
}

static int free_seed(void **state)
{
	(void)state;
	collection_free(&seed);
	return 0;
}

static bool pane_has(const struct pane *p, const char *needle)
{
	for (size_t b = 0; b < p->blocks.n; b++) {
		const struct dtext *t = &p->blocks.v[b].src.text;
		if (t->n && memmem(t->s, t->n, needle, strlen(needle)))
			return true;
	}
	return false;
}

/* The seed toggled: Simplified has none of the Traditional forms and back again; the
 * pane laid out from the converted text fits at every width. */
static void test_seed_toggle_fits(void **state)
{
	NEEDS_OPENCC();
	const struct article *a = seed.articles.v[0];
	struct pane p;
	(void)state;

	for (int m = CONVERT_ORIGINAL; m < CONVERT_COUNT; m++) {
		pane_build_converted(&p, &seed, a, (enum convert_mode)m);
		const char *title = m == CONVERT_SIMPLIFIED ? seed_title_simplified : seed_title;
		const struct dtext *t = &p.blocks.v[0].src.text;
		assert_int_equal(t->n, strlen(title));
		assert_memory_equal(t->s, title, t->n);
		assert_true(pane_has(&p, m == CONVERT_SIMPLIFIED ? "阆中" : "閬中"));
		assert_false(pane_has(&p, m == CONVERT_SIMPLIFIED ? "閬中" : "阆中"));
		for (int w = 1; w <= 160; w++) {
			pane_layout(&p, w);
			assert_true(p.lines.n > 0);
			for (size_t i = 0; i < p.lines.n; i++)
				if (p.lines.v[i].line.cols > w - pane_line_indent(&p, i))
					fail_msg("mode %d width %d line %zu: %d columns", m, w, i,
						 p.lines.v[i].line.cols);
		}
		pane_free(&p);
	}
}

/* Converted text still goes through the sanitizer: no control reaches a block. */
static void test_converted_pane_is_sanitized(void **state)
{
	NEEDS_OPENCC();
	static const char file[] = "臺灣\x1b[31m標題\xff\n\n2020-01-01 來源\x9b\n\n"
				   "正文 \x1b]0;title\a 臺灣\0 \xe2\x80\xae反轉\n";
	struct collection c;
	struct pane p;
	(void)state;

	collection_init(&c);
	assert_true(fmt_native_add_buffer(&c, "t.txt", "t", file, sizeof file - 1));
	collection_finish(&c);
	for (int m = CONVERT_SIMPLIFIED; m < CONVERT_COUNT; m++) {
		pane_build_converted(&p, &c, c.articles.v[0], (enum convert_mode)m);
		assert_true(pane_has(&p, m == CONVERT_SIMPLIFIED ? "台湾" : "臺灣"));
		for (size_t b = 0; b < p.blocks.n; b++) {
			const struct dtext *t = &p.blocks.v[b].src.text;
			for (size_t i = 0; i < t->n; i++) {
				unsigned char ch = (unsigned char)t->s[i];
				if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
					fail_msg("block %zu byte %zu is 0x%02x", b, i, ch);
			}
			assert_null(memmem(t->s, t->n, "\xe2\x80\xae", 3)); /* RLO dropped */
			assert_null(memmem(t->s, t->n, "\xc2\x9b", 2));	    /* C1 CSI */
		}
		pane_free(&p);
	}
	collection_free(&c);
}

static char *sequence(const char *s, size_t n)
{
	struct strbuf b = {0};
	osc52_sequence(s, n, &b);
	return b.s;
}

static void test_osc52(void **state)
{
	static const char *const rfc[][2] = {
		{"", ""},
		{"f", "Zg=="},
		{"fo", "Zm8="},
		{"foo", "Zm9v"},
		{"foob", "Zm9vYg=="},
		{"fooba", "Zm9vYmE="},
		{"foobar", "Zm9vYmFy"},
	};
	(void)state;
	for (size_t i = 0; i < sizeof rfc / sizeof rfc[0]; i++) {
		struct strbuf b = {0};
		osc52_base64((const unsigned char *)rfc[i][0], strlen(rfc[i][0]), &b);
		assert_string_equal(sb_cstr(&b), rfc[i][1]);
		sb_free(&b);
	}
	/* 臺灣 is e8 87 ba e7 81 a3. */
	char *s = sequence("臺灣", strlen("臺灣"));
	assert_string_equal(s, "\033]52;c;6Ie654Gj\a");
	free(s);
	/* Controls are sanitized before encoding: "a\tb\x1b" is copied as "a b^[". */
	s = sequence("a\tb\x1b", 4);
	assert_string_equal(s, "\033]52;c;YSBiXls=\a");
	free(s);
}

/* A long text is cut on a character boundary. */
static void test_osc52_cut(void **state)
{
	struct strbuf big = {0};
	(void)state;
	while (big.n < OSC52_MAX_TEXT + 100)
		sb_puts(&big, "中");
	char *s = sequence(big.s, big.n);
	size_t cut = OSC52_MAX_TEXT / 3 * 3;
	assert_int_equal(strlen(s), strlen("\033]52;c;") + (cut + 2) / 3 * 4 + 1);
	free(s);
	sb_free(&big);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_characters),
		cmocka_unit_test(test_unsafe_bytes_pass_through),
		cmocka_unit_test_setup_teardown(test_seed_toggle_fits, load_seed, free_seed),
		cmocka_unit_test(test_converted_pane_is_sanitized),
		cmocka_unit_test(test_osc52),
		cmocka_unit_test(test_osc52_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
