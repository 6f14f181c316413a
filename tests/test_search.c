/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_search.c: folding (case, width, NFKC, Traditional/Simplified) and matching. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicase.h>
#include <unigbrk.h>
#include <uninorm.h>
#include <unistr.h>

#include "format.h"
#include "search.h"
#include "testutil.h"

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
	NEEDS_OPENCC();
	(void)state;
	assert_null(fold_ts_problem());
}

/* The folding table: full-width, case, NFKC compatibility forms, T/S pairs. */
static void test_folding_table(void **state)
{
	NEEDS_OPENCC();
	static const struct {
		const char *in, *key;
	} cases[] = {
		{"ＴＳＭＣ", "tsmc"},
		{"COVID－１９", "covid-19"},
		{"Straße", "strasse"},
		{"ﬁ", "fi"},		  /* ligature, NFKC */
		{"①", "1"},		  /* circled digit, NFKC */
		{"㈱", "(株)"},		  /* parenthesized ideograph, NFKC */
		{"Cafe\xcc\x81", "café"}, /* e + U+0301 composes */
		{"ΣΑΣ", "σασ"},
		{"臺灣", "台湾"},
		{"閩南", "闽南"},
		{"台湾", "台湾"}, /* Simplified stays */
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

/* The key of one Han character folded alone (its Simplified form), to build references. */
static void put_simplified(struct strbuf *key, ucs4_t cp)
{
	uint8_t buf[6];
	int len = u8_uctomb(buf, cp, sizeof buf);
	struct folded f;

	assert_true(len > 0);
	if (cp >= 0x3400 && cp <= 0xFAFF) {
		fold_text(&f, (const char *)buf, (size_t)len, false);
		sb_append(key, f.s, f.n);
		folded_free(&f);
	} else {
		sb_append(key, (const char *)buf, (size_t)len);
	}
}

/* The reference fold (the first implementation): every grapheme cluster of the text
 * through u8_casefold (ASCII and unified Han alone: lower case), then each Han character
 * to its Simplified form; from/to map each key byte to its cluster. */
static void reference_fold(const char *text, size_t n, struct strbuf *key, size_t **from,
			   size_t **to)
{
	const uint8_t *u = (const uint8_t *)text;
	char *brk = malloc(n + 1);
	size_t cap = 16 * n + 16;

	assert_non_null(brk);
	*from = malloc(cap * sizeof **from);
	*to = malloc(cap * sizeof **to);
	assert_true(*from && *to);
	if (n)
		u8_grapheme_breaks(u, n, brk);
	for (size_t start = 0; start < n;) {
		size_t end = start + 1, was = key->n, len = 0;
		ucs4_t cp;
		while (end < n && !brk[end])
			end++;
		int one = u8_mbtouc(&cp, u + start, end - start);
		if ((size_t)one == end - start && (cp < 0x80 || (cp >= 0x3400 && cp <= 0x9FFF))) {
			put_simplified(key, cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		} else {
			uint8_t *f = u8_casefold(u + start, end - start, NULL, UNINORM_NFKC, NULL,
						 &len);
			assert_non_null(f);
			for (size_t i = 0; i < len; i += (size_t)u8_mbtouc(&cp, f + i, len - i))
				put_simplified(key, (u8_mbtouc(&cp, f + i, len - i), cp));
			free(f);
		}
		for (size_t i = was; i < key->n; i++) {
			assert_true(i < cap);
			(*from)[i] = start;
			(*to)[i] = end;
		}
		start = end;
	}
	free(brk);
}

/* fold_text and fold_text_prefix give the reference's key and map for text. */
static void check_against_reference(const char *text, size_t n, size_t limit)
{
	struct strbuf key = {0};
	size_t *from, *to;
	struct folded f, p;

	reference_fold(text, n, &key, &from, &to);
	fold_text(&f, text, n, true);
	assert_int_equal(f.n, key.n);
	assert_memory_equal(f.s, sb_cstr(&key), key.n);
	assert_int_equal(f.s[f.n], '\0');
	for (size_t i = 0; i < key.n; i++) {
		assert_int_equal(f.from[i], from[i]);
		assert_int_equal(f.to[i], to[i]);
	}
	folded_free(&f);
	fold_text(&f, text, n, false);
	assert_int_equal(f.n, key.n);
	assert_memory_equal(f.s, sb_cstr(&key), key.n);
	assert_null(f.from);
	folded_free(&f);
	/* A prefix: at least limit bytes (or all), the same as the whole key's. */
	fold_text_prefix(&p, text, n, limit);
	assert_true(p.n >= (limit < key.n ? limit : key.n) && p.n <= key.n);
	assert_memory_equal(p.s, sb_cstr(&key), p.n);
	for (size_t i = 0; i < p.n; i++) {
		assert_int_equal(p.from[i], from[i]);
		assert_int_equal(p.to[i], to[i]);
	}
	folded_free(&p);
	free(from);
	free(to);
	sb_free(&key);
}

/* The fast fold against the reference on random mixes of what clusters differently:
 * ASCII and controls, CR LF, Han (Traditional, compatibility, Extension B), combining
 * marks, emoji with modifiers, ZWJ and variation selectors, flags, Hangul jamo and
 * syllables, prepend and spacing marks, Indic conjuncts, NFKC expansions. */
static void test_fold_matches_reference(void **state)
{
	static const ucs4_t pool[] = {
		'a',	 'Z',	  'e',	   ' ',	   '1',	   '-',	    '\n',    '\r',    '\t',
		0x01,	 0x7f,	  0x81FA,  0x7063, 0x95A9, 0x5357,  0x9AEE,  0x767C,  0x4E2D,
		0x53F0,	 0x6E7E,  0x3400,  0xF900, 0xFA0E, 0x20BB7, 0x2F800, 0x0301,  0x0308,
		0x0323,	 0x20DD,  0xFE0F,  0xFE0E, 0x200D, 0x200C,  0x034F,  0x1F600, 0x1F44D,
		0x1F3FB, 0x1F468, 0x1F469, 0x2764, 0x00A9, 0xE0061, 0xE007F, 0x1F1F9, 0x1F1FC,
		0x1F1E8, 0x1F1F3, 0x1100,  0x1161, 0x11A8, 0xAC00,  0xD55C,  0x3131,  0x0600,
		0x110BD, 0x0903,  0x0915,  0x094D, 0x0937, 0x0E33,  0xFF34,  0xFF41,  0xFF9E,
		0xFF9F,	 0xFF76,  0x2460,  0x00DF, 0xFB01, 0x03A3,  0x03C2,  0x3231,  0xFDFA,
		0x0130,	 0x1E9E,  0x0085,  0x200B, 0x00AD, 0x2028,  0xFF0C,  0x3002,  0x300C,
		0xFFFD,
	};
	const size_t npool = sizeof pool / sizeof pool[0];
	(void)state;

	srand(20261126);
	for (int round = 0; round < 3000; round++) {
		uint8_t text[400];
		size_t n = 0, cps = (size_t)(rand() % 40);
		for (size_t k = 0; k < cps; k++) {
			/* Runs of one kind as in real text, and any mix. */
			ucs4_t cp = pool[(size_t)rand() % (round % 3 ? npool : 12)];
			n += (size_t)u8_uctomb(text + n, cp, sizeof text - n);
		}
		check_against_reference((const char *)text, n, (size_t)rand() % (n + 2));
	}
	/* Every pair of the pool, and the seed article. */
	for (size_t i = 0; i < npool; i++)
		for (size_t j = 0; j < npool; j++) {
			uint8_t text[16];
			int a = u8_uctomb(text, pool[i], 8);
			int b = u8_uctomb(text + a, pool[j], 8);
			check_against_reference((const char *)text, (size_t)(a + b), 1);
		}
	size_t n;
	char *seed = test_read_seed(&n);
	check_against_reference(seed, n, n / 2);
	free(seed);
}

static void test_insensitive_matching(void **state)
{
	NEEDS_OPENCC();
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
	NEEDS_OPENCC();
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

/* search_article's start and end, found with a prefix of the map, are those of the whole
 * article's map, on the seed and on texts whose clusters fold to several key bytes. */
static void test_locate_prefix(void **state)
{
	static const char *const texts[] = {
		"Caf\xc3\xa9\n\n2020-01-01 S\n\nCafe\xcc\x81 Stra\xc3\x9f"
		"e \xef\xbc\xb4\xef\xbc\xb3MC \xe2\x91\xa0"
		" \xf0\x9f\x87\xb9\xf0\x9f\x87\xbc \xe8\x87\xba\xe7\x81\xa3 \xef\xb7\xba x\n",
		"T\n\n2020-01-02 S\n\n\xe3\x88\xb1 \xea\xb0\x80\xe1\x86\xa8 \xef\xac\x81 "
		"cafe\xcc\x81 ss\n",
	};
	static const char *const queries[] = {
		"café", "ss",	"tsmc", "1",	    "台湾", "(株)",
		"fi",	"社區", "閬中", "繡花功夫", "x",    "\xd8\xb5",
	};
	struct collection c;
	struct search_keys k;
	size_t n;
	char *seed = test_read_seed(&n);
	(void)state;

	collection_init(&c);
	assert_true(fmt_native_add_buffer(&c, "seed.txt", "000_bc5b92f142057c5b", seed, n));
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char name[16];
		snprintf(name, sizeof name, "t%zu.txt", i);
		assert_true(fmt_native_add_buffer(&c, name, name, texts[i], strlen(texts[i])));
	}
	free(seed);
	collection_finish(&c);
	search_keys_init(&k, &c);
	size_t found = 0;
	for (size_t qi = 0; qi < sizeof queries / sizeof queries[0]; qi++) {
		struct search q;
		char err[64];
		assert_true(search_compile(&q, queries[qi], strlen(queries[qi]), false, err,
					   sizeof err));
		for (size_t i = 0; i < c.articles.n; i++) {
			struct strbuf text = {0};
			struct folded f;
			size_t start, end, s, e;
			bool hit = search_article(&k, i, &q, &start, &end);
			search_article_text(c.articles.v[i], &text);
			fold_text(&f, text.s, text.n, true);
			assert_int_equal(hit, search_next(&q, &f, 0, &s, &e));
			if (hit) {
				assert_int_equal(start, f.from[s]);
				assert_int_equal(end, f.to[e - 1]);
				found++;
			}
			folded_free(&f);
			sb_free(&text);
		}
		search_free(&q);
	}
	assert_true(found >= 12);
	search_keys_free(&k);
	collection_free(&c);
}

static void test_regex_mode(void **state)
{
	NEEDS_OPENCC();
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

/* PCRE2: UTF and Unicode classes; a pattern that backtracks without end gives up at
 * the match limit and says so, and one that is only large ends with the right answer. */
static void test_regex_limits(void **state)
{
	struct search q;
	struct folded f;
	char err[160];
	size_t s, e;
	(void)state;

	assert_true(finds("^\\p{Han}{2}", "閬中古城", true));
	assert_true(finds("閬.古", "閬中古城", true)); /* . is one character, not one byte */
	assert_false(finds("閬..古", "閬中古城", true));
	assert_true(finds("(?<=中)古", "閬中古城", true));

	/* Nested quantifiers on a text that almost matches: exponential backtracking. */
	char text[64];
	memset(text, 'a', 40);
	strcpy(text + 40, "!");
	assert_true(search_compile(&q, "(a+)+$", 6, true, err, sizeof err));
	fold_text(&f, text, strlen(text), false);
	assert_false(search_next(&q, &f, 0, &s, &e));
	assert_true(search_gave_up(&q));
	/* From then on the search matches nothing, at once. */
	folded_free(&f);
	fold_text(&f, "a", 1, false);
	assert_false(search_next(&q, &f, 0, &s, &e));
	folded_free(&f);
	search_free(&q);

	/* The pattern of the reliability report: large, but it matches at once. */
	const char *big = "(.{1,200}){1,200}";
	assert_true(search_compile(&q, big, strlen(big), true, err, sizeof err));
	struct strbuf t = {0};
	for (int i = 0; i < 2000; i++)
		sb_puts(&t, "閬中古城,");
	fold_text(&f, t.s, t.n, false);
	assert_true(search_next(&q, &f, 0, &s, &e));
	assert_int_equal(s, 0);
	assert_false(search_gave_up(&q));
	folded_free(&f);
	sb_free(&t);
	search_free(&q);

	/* A compile error names the place. */
	assert_false(search_compile(&q, "a(b", 3, true, err, sizeof err));
	assert_non_null(strstr(err, "at byte"));
}

/* Fields: source:, title:, date: narrow a search, alone or with text; a plain query
 * matches the source too. */
static void test_fields(void **state)
{
	NEEDS_OPENCC();
	static const char *const texts[] = {
		"閬中古城\n\n2020-11-05 四川觀察\n\n古城的故事。\n",
		"股市新聞\n\n2020-12-01 財經日報\n\n閬中的股市。\n",
		"體育新聞\n\n2021-01-15 四川觀察\n\n球賽。\n",
		"無日期\n\n\n\n閬中。\n",
	};
	static const struct {
		const char *query;
		unsigned want; /* bit i: article i (in load order) matches */
	} cases[] = {
		{"四川观察", 0x5}, /* the source, by a plain query */
		{"source:四川觀察", 0x5},
		{"閬中 source:四川觀察", 0x1},
		{"source:四川觀察 閬中", 0x1},
		{"title:新聞", 0x6},
		{"title:新聞 date:2020", 0x2},
		{"date:2020-11", 0x1},
		{"date:2020-11-01..2020-12-01", 0x3},
		{"date:2020-11-06..2021", 0x6},
		{"date:2020-11-05", 0x1},
		{"閬中", 0xb},
		{"閬中 date:2019", 0x0},
		{"source:沒有", 0x0},
	};
	struct collection c;
	struct search_keys k;
	char err[200];
	(void)state;

	collection_init(&c);
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		char name[16];
		snprintf(name, sizeof name, "t%zu.txt", i);
		assert_true(fmt_native_add_buffer(&c, name, name, texts[i], strlen(texts[i])));
	}
	collection_finish(&c);
	search_keys_init(&k, &c);
	for (size_t qi = 0; qi < sizeof cases / sizeof cases[0]; qi++) {
		struct search q;
		search_hits hits = {0};
		unsigned got = 0;
		assert_true(search_compile(&q, cases[qi].query, strlen(cases[qi].query), false, err,
					   sizeof err));
		search_collection(&k, &q, &hits);
		for (size_t h = 0; h < hits.n; h++) {
			const char *path = c.articles.v[hits.v[h]]->path;
			got |= 1u << (path[1] - '0');
			assert_true(search_article(&k, hits.v[h], &q, NULL, NULL));
		}
		if (got != cases[qi].want)
			fail_msg("%s: got %#x, want %#x", cases[qi].query, got, cases[qi].want);
		free(hits.v);
		search_free(&q);
	}
	static const char *const bad[] = {"date:2020-1", "date:abc", "source:", "date:2020..x"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct search q;
		err[0] = '\0';
		assert_false(search_compile(&q, bad[i], strlen(bad[i]), false, err, sizeof err));
		assert_non_null(strstr(err, "bad field"));
	}
	search_keys_free(&k);
	collection_free(&c);
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

/* A collection scan over more keys than one thread takes (8 MiB) is split between two:
 * the hits are those, in the same order, that asking article by article gives; a regex
 * scan too (on one thread). */
static void test_scan_on_two_threads(void **state)
{
	NEEDS_OPENCC();
	struct collection c;
	struct search_keys k;
	search_hits hits = {0};
	char err[64];
	(void)state;

	collection_init(&c);
	for (size_t i = 0; i < 160; i++) {
		struct strbuf t = {0};
		char name[32];
		sb_printf(&t, "標題 %zu\n\n2020-01-01 來源\n\n", i);
		while (t.n < 70000) {
			/* The match sits at a place that varies with i, in a third of them. */
			if (i % 3 == 0 && t.n > 1000 + (i * 397) % 60000 && !strstr(t.s, "繡花"))
				sb_puts(&t, "下足繡花功夫。");
			sb_puts(&t, "臺灣新聞,Taiwan news. ");
		}
		snprintf(name, sizeof name, "%03zu.txt", i);
		assert_true(fmt_native_add_buffer(&c, name, name, t.s, t.n));
		sb_free(&t);
	}
	collection_finish(&c);
	search_keys_init(&k, &c);
	static const struct {
		const char *query;
		bool regex;
	} queries[] = {
		{"绣花", false}, {"TAIWAN NEWS", false}, {"沒有這個", false}, {"绣.功", true}};
	for (size_t qi = 0; qi < sizeof queries / sizeof queries[0]; qi++) {
		struct search q;
		assert_true(search_compile(&q, queries[qi].query, strlen(queries[qi].query),
					   queries[qi].regex, err, sizeof err));
		search_collection(&k, &q, &hits);
		size_t want = 0;
		for (size_t i = 0; i < c.articles.n; i++)
			if (search_article(&k, i, &q, NULL, NULL)) {
				assert_true(want < hits.n);
				assert_int_equal(hits.v[want], i);
				want++;
			}
		assert_int_equal(hits.n, want);
		search_free(&q);
		if (qi == 0 || qi == 3)
			assert_int_equal(want, 54); /* i % 3 == 0 for i < 160 */
		else if (qi == 1)
			assert_int_equal(want, c.articles.n);
		else
			assert_int_equal(want, 0);
	}
	free(hits.v);
	search_keys_free(&k);
	collection_free(&c);
}

/* Folding ahead on two threads gives the keys folding one by one gives, folds exactly
 * the positions it says, and passes over keys already folded. */
static void test_fold_ahead(void **state)
{
	struct collection c;
	struct search_keys ahead, one;
	(void)state;

	collection_init(&c);
	for (size_t i = 0; i < 300; i++) {
		struct strbuf t = {0};
		char name[32];
		sb_printf(&t, "標題 %zu ＡＢＣ\n\n2020-01-01 來源\n\n", i);
		for (size_t r = 0; r < 1 + i % 40; r++)
			sb_printf(&t, "臺灣新聞 %zu,Taiwan NEWS。", r * i);
		snprintf(name, sizeof name, "%03zu.txt", i);
		assert_true(fmt_native_add_buffer(&c, name, name, t.s, t.n));
		sb_free(&t);
	}
	collection_finish(&c);
	search_keys_init(&ahead, &c);
	search_keys_init(&one, &c);
	search_keys_fold(&ahead, 5); /* folded already: passed over */
	size_t from = 0, bytes, total = 0, slices = 0;
	while (from < c.articles.n) {
		size_t to = search_keys_fold_ahead(&ahead, from, 4096, &bytes);
		assert_true(to > from);
		for (size_t i = 0; i < c.articles.n; i++)
			assert_int_equal(ahead.v[i].s != NULL, i < to || i == 5);
		total += bytes;
		from = to;
		slices++;
	}
	assert_true(slices > 10); /* the budget cut it into slices */
	size_t want = 0;
	for (size_t i = 0; i < c.articles.n; i++) {
		want += i == 5 ? 0 : search_keys_fold(&one, i);
		if (i == 5)
			search_keys_fold(&one, i);
		assert_int_equal(ahead.v[i].n, one.v[i].n);
		assert_memory_equal(ahead.v[i].s, one.v[i].s, one.v[i].n);
	}
	assert_int_equal(total, want);
	search_keys_free(&ahead);
	search_keys_free(&one);
	collection_free(&c);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ts_table_loaded),
		cmocka_unit_test(test_folding_table),
		cmocka_unit_test(test_fold_matches_reference),
		cmocka_unit_test(test_insensitive_matching),
		cmocka_unit_test(test_highlight_offsets),
		cmocka_unit_test(test_locate_prefix),
		cmocka_unit_test(test_regex_mode),
		cmocka_unit_test(test_regex_limits),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_odd_queries),
		cmocka_unit_test(test_scan_on_two_threads),
		cmocka_unit_test(test_fold_ahead),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
