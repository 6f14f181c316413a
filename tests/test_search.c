/* test_search.c: folding (case, width, NFKC, Traditional/Simplified) and matching. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "search.h"

/* Whether query finds text, by substring (regex false) or regex. */
static bool finds(const char *query, const char *text, bool regex)
{
	struct search q;
	struct folded f;
	char err[128];
	size_t s, e;

	assert_true(search_compile(&q, query, strlen(query), regex, err, sizeof err));
	fold_text(&f, text, strlen(text), false);
	bool hit = search_next(&q, &f, 0, &s, &e);
	folded_free(&f);
	search_free(&q);
	return hit;
}

static void test_ts_table_loaded(void **state)
{
	(void)state;
	assert_null(fold_ts_problem());
}

/* The folding table: full-width, case, NFKC compatibility forms, T/S pairs. */
static void test_folding_table(void **state)
{
	static const struct {
		const char *in, *key;
	} cases[] = {
		{"ＴＳＭＣ", "tsmc"},
		{"COVID－１９", "covid-19"},
		{"Straße", "strasse"},
		{"ﬁ", "fi"},            /* ligature, NFKC */
		{"①", "1"},             /* circled digit, NFKC */
		{"㈱", "(株)"},           /* parenthesized ideograph, NFKC */
		{"Cafe\xcc\x81", "café"}, /* e + U+0301 composes */
		{"ΣΑΣ", "σασ"},
		{"臺灣", "台湾"},
		{"閩南", "闽南"},
		{"台湾", "台湾"},         /* Simplified stays */
		{"髮發", "发发"},
		{"中華民國", "中华民国"},
		{"", ""},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct folded f;
		fold_text(&f, cases[i].in, strlen(cases[i].in), false);
		assert_string_equal(f.s, cases[i].key);
		assert_null(f.from);
		folded_free(&f);
	}
}

static void test_insensitive_matching(void **state)
{
	(void)state;
	assert_true(finds("ＴＳＭＣ", "Shares of tsmc rose", false));
	assert_true(finds("tsmc", "台積電 ＴＳＭＣ 宣布", false));
	assert_true(finds("COVID－１９", "the covid-19 pandemic", false));
	assert_true(finds("闽南", "閩南語的歌", false));
	assert_true(finds("台湾", "臺灣新聞", false));
	assert_true(finds("臺灣", "台湾新闻", false));
	assert_false(finds("台北", "臺灣新聞", false));
	assert_false(finds("", "anything", false));
}

/* Map a match in the key back to the original bytes it covers. */
static void match_range(const char *query, const char *text, size_t *os, size_t *oe)
{
	struct search q;
	struct folded f;
	char err[64];
	size_t s, e;

	assert_true(search_compile(&q, query, strlen(query), false, err, sizeof err));
	fold_text(&f, text, strlen(text), true);
	assert_true(search_next(&q, &f, 0, &s, &e));
	*os = f.from[s];
	*oe = f.to[e - 1];
	folded_free(&f);
	search_free(&q);
}

static void test_highlight_offsets(void **state)
{
	size_t s, e;
	(void)state;

	/* 他說：「臺灣」好: the match covers exactly 臺灣. */
	const char *t = "他說：「臺灣」好";
	match_range("台湾", t, &s, &e);
	assert_int_equal(s, strlen("他說：「"));
	assert_int_equal(e, strlen("他說：「臺灣"));

	/* A combining mark stays with its base: "é" as e + U+0301. */
	t = "Cafe\xcc\x81 noir";
	match_range("café", t, &s, &e);
	assert_int_equal(s, 0);
	assert_int_equal(e, 6);

	/* A match inside a folded expansion covers the whole original cluster. */
	t = "Straße";
	match_range("s", t, &s, &e);
	assert_int_equal(s, 0);
	match_range("ss", t, &s, &e);
	assert_int_equal(s, 4);
	assert_int_equal(e, 6);

	/* Full-width letters map back to their three bytes each. */
	t = "xＴＳＭＣx";
	match_range("tsmc", t, &s, &e);
	assert_int_equal(s, 1);
	assert_int_equal(e, 13);
}

static void test_regex_mode(void **state)
{
	struct search q;
	char err[128];
	(void)state;

	assert_true(finds("cov.d-[0-9]+", "COVID－１９ cases", true));
	assert_true(finds("^台湾", "臺灣新聞", true));
	assert_false(finds("^新聞", "臺灣新聞", true));
	assert_true(finds("x*y", "aaay", true));
	/* A regex that only matches empty strings finds nothing. */
	assert_false(finds("x*", "abc", true));
	err[0] = '\0';
	assert_false(search_compile(&q, "(", 1, true, err, sizeof err));
	assert_true(err[0] != '\0');
}

static void test_odd_queries(void **state)
{
	struct search q;
	struct folded f;
	char err[64];
	size_t s, e;
	(void)state;

	/* Control characters in a query are sanitized like any text. */
	assert_true(search_compile(&q, "a\x1b[31mb", 8, false, err, sizeof err));
	assert_null(memchr(q.key.s, 0x1b, q.key.n));
	search_free(&q);

	/* A huge query: no crash, no match in a short text. */
	size_t n = 200000;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, 'a', n);
	assert_true(search_compile(&q, big, n, false, err, sizeof err));
	fold_text(&f, "aaaa", 4, false);
	assert_false(search_next(&q, &f, 0, &s, &e));
	folded_free(&f);
	search_free(&q);

	/* ... and in a text made of it, every match is found by stepping on. */
	assert_true(search_compile(&q, "aa", 2, false, err, sizeof err));
	fold_text(&f, big, n, false);
	size_t count = 0, from = 0;
	while (search_next(&q, &f, from, &s, &e)) {
		count++;
		from = e;
	}
	assert_int_equal(count, n / 2);
	folded_free(&f);
	search_free(&q);
	free(big);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ts_table_loaded),
		cmocka_unit_test(test_folding_table),
		cmocka_unit_test(test_insensitive_matching),
		cmocka_unit_test(test_highlight_offsets),
		cmocka_unit_test(test_regex_mode),
		cmocka_unit_test(test_odd_queries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
