/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_similar.c: similar stories: scores and ranking on small hand-made collections
 * with known answers, the build in slices, the on-disk cache (round trip, invalidation,
 * damage of every kind detected) and the reader's "Similar stories" group. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "format.h"
#include "testutil.h"
#include "app_map.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "similar.h"
#include "similar_cache.h"
#include "similar_internal.h"
#include "loader.h"

/* Add an article named name (its id too) with title and body, dated 2020-01-0N. */
static void add(struct collection *c, const char *name, const char *title, const char *body)
{
	struct strbuf t = {0};
	sb_printf(&t, "%s\n\n2020-01-0%zu Somewhere\n\n%s\n", title, c->articles.n % 9 + 1, body);
	assert_true(fmt_native_add_buffer(c, name, name, t.s, t.n));
	sb_free(&t);
}

/* The list position of the article with id. */
static size_t pos(const struct collection *c, const char *id)
{
	struct article *a = collection_find(c, id);
	assert_non_null(a);
	return collection_index(c, a);
}

/* Whether hits[0, n) hold the article with id. */
static bool has_hit(const struct collection *c, const struct similar_hit *hits, size_t n,
		    const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c->articles.v[hits[i].article]->id, id) == 0)
			return true;
	return false;
}

static const char *story = "颱風登陸沿海城市,居民連夜撤離。氣象部門發布紅色預警,學校停課,"
			   "航班取消,港口封閉。";

/* The five-article typhoon collection with d's body given. */
static void typhoons(struct collection *c, const char *d_body)
{
	collection_init(c);
	add(c, "a", "颱風登陸沿海城市", story);
	add(c, "b", "颱風登陸沿海城市", story);
	add(c, "c", "颱風登陸沿海城市", story);
	add(c, "d", "颱風過後城市重建", d_body);
	add(c, "e", "股市收盤指數上漲", "科技股領漲,成交量放大,投資人信心回升。");
	collection_finish(c);
}

static const char *d_body = "颱風過後,沿海城市開始重建。居民返回家園,學校復課。";

/* Identical texts score 1 and are one story: the reprints fold into one hit. */
static void test_identical_grouped(void **state)
{
	struct collection c;
	struct similar_hit hits[5];
	(void)state;

	typhoons(&c, d_body);
	struct similar_index *ix = similar_index_build(&c);
	size_t a = pos(&c, "a"), b = pos(&c, "b"), d = pos(&c, "d"), e = pos(&c, "e");

	assert_float_equal(similar_score(ix, a, b), 1.0, 1e-5);
	assert_float_equal(similar_score(ix, a, e), 0.0, 0.0);
	/* From a: b and c are one hit of score 1 (c folded into it), then d. */
	size_t n = similar_query(ix, a, hits, 5);
	assert_int_equal(n, 2);
	assert_true(strcmp(c.articles.v[hits[0].article]->id, "b") == 0 ||
		    strcmp(c.articles.v[hits[0].article]->id, "c") == 0);
	assert_float_equal(hits[0].score, 1.0, 1e-5);
	assert_int_equal(hits[0].folded, 1);
	assert_int_equal(hits[1].article, d);
	assert_true(hits[1].score > 0 && hits[1].score < 1);
	assert_int_equal(hits[1].folded, 0);
	/* From d: the three reprints are one hit carrying two more. */
	n = similar_query(ix, d, hits, 5);
	assert_int_equal(n, 1);
	assert_int_equal(hits[0].folded, 2);
	assert_false(has_hit(&c, hits, n, "e"));
	similar_index_free(ix);
	collection_free(&c);
}

/* Texts that share no pair of characters score 0 and are never similar. */
/* Articles that share one common word and nothing else are not alike: ten news items
 * titled ...新聞 with unrelated one-sentence bodies, two different 論語 quotes. Their
 * other terms, each in one article only, count in the norm (they scored 1.000). */
static void test_shared_word_only(void **state)
{
	static const char *const items[][2] = {
		{"股市新聞", "指數收盤上漲百分之二。"}, {"體育新聞", "主隊以三比一贏得冠軍。"},
		{"天氣新聞", "明天午後有雷陣雨。"},	{"科技新聞", "晶片工廠擴建第二期。"},
		{"交通新聞", "高架橋夜間封閉施工。"},	{"教育新聞", "大學入學考試延後舉行。"},
		{"醫療新聞", "流感疫苗開放預約接種。"}, {"文化新聞", "博物館推出青銅器特展。"},
		{"國際新聞", "兩國簽署漁業合作協定。"}, {"地方新聞", "老街商圈舉辦燈籠節。"},
	};
	struct collection c;
	struct similar_hit hits[10];
	char name[16];
	(void)state;

	collection_init(&c);
	for (size_t i = 0; i < 10; i++) {
		snprintf(name, sizeof name, "n%zu", i);
		add(&c, name, items[i][0], items[i][1]);
	}
	add(&c, "l1", "論語", "子曰:學而時習之,不亦說乎?有朋自遠方來,不亦樂乎?");
	add(&c, "l2", "論語", "子曰:溫故而知新,可以為師矣。");
	/* Unrelated articles, so that 新聞 and 論語 are not in every article. */
	add(&c, "x1", "颱風登陸", "颱風登陸,居民撤離。");
	add(&c, "x2", "颱風登陸", "颱風登陸,學校停課。");
	collection_finish(&c);
	struct similar_index *ix = similar_index_build(&c);
	for (size_t i = 0; i < 10; i++) {
		snprintf(name, sizeof name, "n%zu", i);
		size_t a = pos(&c, name);
		for (size_t j = 0; j < 10; j++) {
			char other[16];
			snprintf(other, sizeof other, "n%zu", j);
			if (i != j)
				assert_true(similar_score(ix, a, pos(&c, other)) < 0.5f);
		}
		/* None is taken for a reprint of another. */
		size_t n = similar_query(ix, a, hits, 10);
		for (size_t h = 0; h < n; h++) {
			assert_int_equal(hits[h].folded, 0);
			assert_true(hits[h].score < 0.5f);
		}
	}
	assert_true(similar_score(ix, pos(&c, "l1"), pos(&c, "l2")) < 0.5f);
	/* Real reprints still score high. */
	assert_true(similar_score(ix, pos(&c, "x1"), pos(&c, "x2")) > 0.5f);
	similar_index_free(ix);
	collection_free(&c);
}

static void test_disjoint(void **state)
{
	struct collection c;
	struct similar_hit hits[5];
	(void)state;

	collection_init(&c);
	add(&c, "a", "颱風登陸", "颱風登陸,居民撤離。");
	add(&c, "b", "颱風登陸", "颱風登陸,學校停課。");
	add(&c, "c", "股市收盤", "股市收盤,指數上漲。");
	add(&c, "d", "股市收盤", "股市收盤,成交放大。");
	collection_finish(&c);
	struct similar_index *ix = similar_index_build(&c);
	size_t a = pos(&c, "a"), b = pos(&c, "b"), cc = pos(&c, "c");

	assert_float_equal(similar_score(ix, a, cc), 0.0, 0.0);
	assert_true(similar_score(ix, a, b) > 0);
	size_t n = similar_query(ix, a, hits, 5);
	assert_int_equal(n, 1);
	assert_int_equal(hits[0].article, b);
	n = similar_query(ix, cc, hits, 5);
	assert_int_equal(n, 1);
	assert_false(has_hit(&c, hits, n, "a"));
	/* Out of range, or nothing asked for: nothing. */
	assert_int_equal(similar_query(ix, c.articles.n, hits, 5), 0);
	assert_int_equal(similar_query(ix, a, hits, 0), 0);
	assert_float_equal(similar_score(ix, a, c.articles.n), 0.0, 0.0);
	similar_index_free(ix);
	collection_free(&c);
}

/* Traditional and Simplified, full and half width, upper and lower case compare equal. */
static void test_variants_equal(void **state)
{
	NEEDS_OPENCC();
	struct collection c;
	(void)state;

	collection_init(&c);
	add(&c, "t", "臺灣經濟發展報告", "經濟學家預測明年GDP增長,出口貿易穩定。");
	add(&c, "s", "台湾经济发展报告", "经济学家预测明年ｇｄｐ增长,出口贸易稳定。");
	add(&c, "x", "臺灣經濟發展", "經濟學家:出口。");
	add(&c, "y", "颱風登陸", "居民撤離。");
	collection_finish(&c);
	struct similar_index *ix = similar_index_build(&c);

	assert_float_equal(similar_score(ix, pos(&c, "t"), pos(&c, "s")), 1.0, 1e-5);
	assert_true(similar_score(ix, pos(&c, "t"), pos(&c, "x")) < 0.99);
	similar_index_free(ix);
	collection_free(&c);
}

/* A crafted set: the more words an article shares with the query, the higher it ranks. */
static void test_ranking(void **state)
{
	struct collection c;
	struct similar_hit hits[5];
	(void)state;

	collection_init(&c);
	add(&c, "q", "Q", "蘋果,香蕉,橘子,葡萄,西瓜。");
	add(&c, "x", "X", "蘋果,香蕉,橘子,葡萄,汽車。");
	add(&c, "y", "Y", "蘋果,香蕉,橘子,火車,飛機。");
	add(&c, "z", "Z", "蘋果,香蕉,輪船,火車,飛機。");
	add(&c, "w", "W", "汽車,火車,飛機,輪船,地鐵。");
	add(&c, "v", "V", "汽車,鋼琴,提琴,地鐵,卡車。");
	collection_finish(&c);
	struct similar_index *ix = similar_index_build(&c);

	size_t n = similar_query(ix, pos(&c, "q"), hits, 5);
	assert_int_equal(n, 3);
	assert_int_equal(hits[0].article, pos(&c, "x"));
	assert_int_equal(hits[1].article, pos(&c, "y"));
	assert_int_equal(hits[2].article, pos(&c, "z"));
	for (size_t i = 0; i + 1 < n; i++)
		assert_true(hits[i].score >= hits[i + 1].score);
	assert_true(hits[0].score > hits[1].score && hits[1].score > hits[2].score);
	assert_false(has_hit(&c, hits, n, "w")); /* share no word */
	assert_false(has_hit(&c, hits, n, "v"));
	for (size_t i = 0; i < n; i++)
		assert_float_equal(hits[i].score, similar_score(ix, pos(&c, "q"), hits[i].article),
				   1e-5);
	similar_index_free(ix);
	collection_free(&c);
}

/* The bundled collection: the seed and its related excerpts. */
static void seed_collection(struct collection *c)
{
	size_t n;
	char *seed = test_read_seed(&n);

	collection_init(c);
	assert_true(fmt_native_add_buffer(c, "seed.txt", "000_bc5b92f142057c5b", seed, n));
	free(seed);
	collection_finish(c);
}

/* x and y give the same 5 most similar stories (scores, folds) for each of n articles. */
static void assert_same_answers(const struct similar_index *x, const struct similar_index *y,
				size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct similar_hit h1[5], h2[5];
		size_t n1 = similar_query(x, i, h1, 5), n2 = similar_query(y, i, h2, 5);
		assert_int_equal(n1, n2);
		for (size_t k = 0; k < n1; k++) {
			assert_int_equal(h1[k].article, h2[k].article);
			assert_float_equal(h1[k].score, h2[k].score, 0.0);
			assert_int_equal(h1[k].folded, h2[k].folded);
		}
	}
}

/* Building in small slices gives the index built at once; excerpts (headline and
 * snippet) are in it too. */
static void test_slices_same_as_whole(void **state)
{
	struct collection c;
	size_t steps = 0;
	(void)state;

	seed_collection(&c);
	struct similar_index *whole = similar_index_build(&c);
	struct similar_build *b = similar_build_start(&c);
	while (!similar_build_step(b, 100))
		steps++;
	struct similar_index *sliced = similar_build_finish(b);
	assert_true(steps > c.articles.n / 2);
	assert_int_equal(similar_index_bytes(whole), similar_index_bytes(sliced));
	assert_same_answers(whole, sliced, c.articles.n);
	/* The seed's related excerpts are among its similar stories. */
	struct similar_hit hits[10];
	size_t got = similar_query(whole, 0, hits, 10);
	assert_int_equal(got, 10);
	for (size_t k = 0; k < got; k++)
		assert_int_equal(c.articles.v[hits[k].article]->kind, ARTICLE_EXCERPT);
	similar_build_free(similar_build_start(&c)); /* abandoned before any step */
	similar_index_free(whole);
	similar_index_free(sliced);
	collection_free(&c);
}

/* Counting an article's terms again when it is weighed (its counts not kept, to bound
 * the build's memory) gives the same index, whatever the bound. */
static void test_counted_again_same_index(void **state)
{
	struct collection c;
	(void)state;

	seed_collection(&c);
	struct similar_index *whole = similar_index_build(&c);
	static const size_t keep[] = {0, 900, 1500, SIZE_MAX};
	for (size_t j = 0; j < sizeof keep / sizeof *keep; j++) {
		struct similar_build *b = similar_build_start(&c);
		similar_build_keep_counts(b, keep[j]);
		while (!similar_build_step(b, 200))
			;
		struct similar_index *again = similar_build_finish(b);
		assert_int_equal(similar_index_bytes(whole), similar_index_bytes(again));
		for (size_t i = 0; i < c.articles.n; i++)
			for (size_t k = 0; k < c.articles.n; k++)
				assert_float_equal(similar_score(whole, i, k),
						   similar_score(again, i, k), 0.0);
		assert_same_answers(whole, again, c.articles.n);
		similar_index_free(again);
	}
	similar_index_free(whole);
	collection_free(&c);
}

/* Article k of a collection whose texts are drawn from a small set of words: every
 * term of the larger collections is in the smaller one's too. */
static const char *const words[] = {"颱風", "登陸", "城市", "居民", "撤離", "氣象",
				    "預警", "學校", "航班", "港口", "股市", "新聞"};

/* Article k's drawn text. */
static void drawn_body(size_t k, struct strbuf *body)
{
	uint64_t x = k * 2654435761u + 1;
	for (int i = 0; i < 60; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sb_puts(body, words[x % 12]);
		if (x % 5 == 0)
			sb_puts(body, "，");
	}
}

/* Add an article named name with title and body dated 2020-01-0day: the same content
 * identity wherever it is added. */
static void add_dated(struct collection *c, const char *name, const char *title, const char *body,
		      size_t day)
{
	struct strbuf t = {0};
	sb_printf(&t, "%s\n\n2020-01-0%zu Somewhere\n\n%s\n", title, day, body);
	assert_true(fmt_native_add_buffer(c, name, name, t.s, t.n));
	sb_free(&t);
}

/* Article k of the drawn ones, of the same identity whatever it is added to. */
static void add_drawn_as(struct collection *c, size_t k, const char *name)
{
	struct strbuf body = {0};
	drawn_body(k, &body);
	add_dated(c, name, words[k % 12], body.s, k % 9 + 1);
	sb_free(&body);
}

static void add_drawn(struct collection *c, size_t k)
{
	struct strbuf body = {0};
	char name[32];
	uint64_t x = k * 2654435761u + 1;
	for (int i = 0; i < 60; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		sb_puts(&body, words[x % 12]);
		if (x % 5 == 0)
			sb_puts(&body, "，");
	}
	snprintf(name, sizeof name, "d%05zu.txt", k);
	add(c, name, words[k % 12], body.s);
	sb_free(&body);
}

/* The most bytes of counts a build of n drawn articles holds, in slices. */
static size_t counts_peak(size_t n)
{
	struct collection c;
	size_t peak = 0;
	collection_init(&c);
	for (size_t k = 0; k < n; k++)
		add_drawn(&c, k);
	collection_finish(&c);
	struct similar_build *b = similar_build_start(&c);
	similar_build_keep_counts(b, 1000);
	bool done;
	do {
		done = similar_build_step(b, 2000);
		size_t held = similar_build_counts_bytes(b);
		peak = held > peak ? held : peak;
	} while (!done);
	similar_index_free(similar_build_finish(b));
	collection_free(&c);
	return peak;
}

/* The build's counts are bounded (here to about 1,000 kept), whatever the number of
 * articles (they held every article's terms until all were weighed: some 6 GB at 2.5
 * million). */
static void test_build_counts_bounded(void **state)
{
	(void)state;
	size_t small = counts_peak(500), large = counts_peak(4000);
	if (large >= 2 * small)
		fail_msg("counts of 4000 articles %zu bytes, of 500 %zu", large, small);
}

/* A scratch directory for cache files. */
static char *scratch_dir(void)
{
	char *dir = strdup("/tmp/test_similar.XXXXXX");
	assert_non_null(dir);
	assert_non_null(mkdtemp(dir));
	return dir;
}

static void remove_tree(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Saved, then loaded for the same key: the same index; for another key: stale; a file
 * that is not there: missing. */
static void test_cache_round_trip(void **state)
{
	struct collection c;
	struct similar_index *ix, *back = NULL;
	char path[300], why[160];
	(void)state;

	typhoons(&c, d_body);
	ix = similar_index_build(&c);
	char *dir = scratch_dir();
	snprintf(path, sizeof path, "%s/sub/xinwen/similar.idx", dir);
	uint64_t key = similar_cache_key(&c);
	assert_int_equal(similar_cache_load(path, key, c.articles.n, &back, why, sizeof why),
			 SIMILAR_CACHE_MISSING);
	assert_true(similar_cache_save(path, key, ix));
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 077, 0); /* private */
	assert_int_equal(similar_cache_load(path, key, c.articles.n, &back, why, sizeof why),
			 SIMILAR_CACHE_OK);
	assert_non_null(back);
	assert_string_equal(why, "");
	assert_int_equal(similar_index_bytes(back), similar_index_bytes(ix));
	assert_same_answers(ix, back, c.articles.n);
	similar_index_free(back);
	back = NULL;
	assert_int_equal(similar_cache_load(path, key + 1, c.articles.n, &back, why, sizeof why),
			 SIMILAR_CACHE_STALE);
	assert_null(back);
	similar_index_free(ix);
	collection_free(&c);
	remove_tree(dir);
	free(dir);
}

/* The key follows the text the index is made of: the same collection gives the same
 * key, a changed article another. */
static void test_cache_key(void **state)
{
	struct collection c1, c2, c3;
	(void)state;

	typhoons(&c1, d_body);
	typhoons(&c2, d_body);
	typhoons(&c3, "颱風過後,沿海城市開始重建。居民返回家園,學校復課!");
	assert_true(similar_cache_key(&c1) == similar_cache_key(&c2));
	assert_true(similar_cache_key(&c1) != similar_cache_key(&c3));
	collection_free(&c1);
	collection_free(&c2);
	collection_free(&c3);
}

static size_t file_size(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return (size_t)st.st_size;
}

static void copy_file(const char *from, const char *to, size_t *n, char **bytes)
{
	FILE *f = fopen(from, "rb");
	assert_non_null(f);
	*n = file_size(from);
	*bytes = malloc(*n + 1);
	assert_non_null(*bytes);
	assert_int_equal(fread(*bytes, 1, *n, f), *n);
	fclose(f);
	f = fopen(to, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(*bytes, 1, *n, f), *n);
	fclose(f);
}

static void write_file(const char *path, const char *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	fclose(f);
}

/* Expect path to load as corrupt, with a message and no index. */
static void assert_corrupt(const char *path, uint64_t key, size_t n, const char *what)
{
	struct similar_index *ix = NULL;
	char why[160];
	enum similar_cache_status st = similar_cache_load(path, key, n, &ix, why, sizeof why);
	if (st != SIMILAR_CACHE_CORRUPT)
		fail_msg("%s: status %d, expected corrupt", what, (int)st);
	assert_null(ix);
	assert_non_null(strstr(why, "corrupt"));
}

/* A file of format 3 (the header as that version wrote it, its hash right) is another
 * version's: stale, so built again without a word, not said to be damaged. */
static void test_cache_older_format_stale(void **state)
{
	struct similar_index *ix = NULL;
	char path[300], why[160], *bytes;
	uint64_t had;
	size_t n;
	(void)state;

	char *dir = scratch_dir();
	snprintf(path, sizeof path, "%s/old.idx", dir);
	copy_file(TEST_DATADIR "/similar/format3-header.idx", path, &n, &bytes);
	assert_int_equal(n, 88);
	assert_int_equal(similar_cache_open(path, &ix, &had, why, sizeof why), SIMILAR_CACHE_STALE);
	assert_null(ix);
	assert_string_equal(why, "");
	free(bytes);
	remove_tree(dir);
	free(dir);
}

/* Every truncation, every byte with a bit flipped, a byte added, garbage: corrupt. */
static void test_cache_damage(void **state)
{
	struct collection c;
	char good[300], bad[300], what[80];
	size_t n;
	char *bytes;
	(void)state;

	typhoons(&c, d_body);
	struct similar_index *ix = similar_index_build(&c);
	uint64_t key = similar_cache_key(&c);
	char *dir = scratch_dir();
	snprintf(good, sizeof good, "%s/good.idx", dir);
	snprintf(bad, sizeof bad, "%s/bad.idx", dir);
	assert_true(similar_cache_save(good, key, ix));
	copy_file(good, bad, &n, &bytes);
	assert_true(n > 64);
	for (size_t len = 0; len < n; len += len < 80 ? 1 : 13) {
		write_file(bad, bytes, len);
		snprintf(what, sizeof what, "truncated to %zu bytes", len);
		assert_corrupt(bad, key, c.articles.n, what);
	}
	for (size_t i = 0; i < n; i++) {
		bytes[i] ^= (char)(1u << (i % 8));
		write_file(bad, bytes, n);
		snprintf(what, sizeof what, "bit %zu of byte %zu flipped", i % 8, i);
		assert_corrupt(bad, key, c.articles.n, what);
		bytes[i] ^= (char)(1u << (i % 8));
	}
	bytes[n] = 'x';
	write_file(bad, bytes, n + 1);
	assert_corrupt(bad, key, c.articles.n, "a byte added");
	memset(bytes, 'x', n);
	write_file(bad, bytes, n);
	assert_corrupt(bad, key, c.articles.n, "garbage");
	/* The intact file still loads. */
	struct similar_index *back;
	char why[160];
	assert_int_equal(similar_cache_load(good, key, c.articles.n, &back, why, sizeof why),
			 SIMILAR_CACHE_OK);
	similar_index_free(back);
	free(bytes);
	similar_index_free(ix);
	collection_free(&c);
	remove_tree(dir);
	free(dir);
}

/* A mapped index gives its pages back once a query read more than similar_resident
 * bytes of it (else the reader grows by the file as it is browsed), answers the same
 * after, and checks again what it reads again: a file changed in place since it was
 * first checked is found damaged, not used. */
static void test_map_pages_given_back(void **state)
{
	struct collection c;
	char path[300], why[160];
	(void)state;

	typhoons(&c, d_body);
	struct similar_index *ix = similar_index_build(&c);
	uint64_t key = similar_cache_key(&c);
	char *dir = scratch_dir();
	snprintf(path, sizeof path, "%s/s.idx", dir);
	assert_true(similar_cache_save(path, key, ix));
	struct similar_index *m;
	assert_int_equal(similar_cache_load(path, key, c.articles.n, &m, why, sizeof why),
			 SIMILAR_CACHE_OK);
	similar_resident = 0; /* given back after every query */
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < c.articles.n; i++) {
			struct similar_hit x[8], y[8];
			size_t nx = similar_query(ix, i, x, 8), ny = similar_query(m, i, y, 8);
			assert_int_equal(nx, ny);
			for (size_t k = 0; k < nx; k++) {
				assert_int_equal(x[k].article, y[k].article);
				assert_true(x[k].score == y[k].score);
			}
			assert_int_equal(m->map->touched, 0);
		}
	assert_null(similar_index_damage(m));
	/* a weight of the postings changed in place, under the map */
	size_t at = (size_t)((const unsigned char *)m->pw - m->map->base);
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	float w = 0.5f;
	assert_int_equal(pwrite(fd, &w, sizeof w, (off_t)at), (ssize_t)sizeof w);
	close(fd);
	for (size_t i = 0; i < c.articles.n; i++) {
		struct similar_hit y[8];
		similar_query(m, i, y, 8);
	}
	assert_non_null(similar_index_damage(m));
	similar_resident = SIMILAR_RESIDENT;
	similar_index_free(m);
	similar_index_free(ix);
	collection_free(&c);
	remove_tree(dir);
	free(dir);
}

/* What err received since the last call (truncating it). */
static void read_err(FILE *err, char *buf, size_t size)
{
	rewind(err);
	size_t n = fread(buf, 1, size - 1, err);
	buf[n] = '\0';
	rewind(err);
	assert_int_equal(ftruncate(fileno(err), 0), 0);
}

/* x and y hold the same arrays (one may be mapped). */
static void assert_same_arrays(const struct similar_index *x, const struct similar_index *y)
{
	assert_int_equal(x->n, y->n);
	assert_int_equal(x->nterms, y->nterms);
	size_t t = x->vstart[x->n];
	assert_int_equal(t, y->vstart[y->n]);
	assert_memory_equal(x->vstart, y->vstart, (x->n + 1) * sizeof *x->vstart);
	assert_memory_equal(x->vterm, y->vterm, t * sizeof *x->vterm);
	assert_memory_equal(x->vw, y->vw, t * sizeof *x->vw);
	assert_memory_equal(x->pstart, y->pstart, (x->nterms + 1) * sizeof *x->pstart);
	assert_memory_equal(x->pdoc, y->pdoc, t * sizeof *x->pdoc);
	assert_memory_equal(x->pw, y->pw, t * sizeof *x->pw);
	assert_memory_equal(x->tkey, y->tkey, x->nterms * sizeof *x->tkey);
	assert_memory_equal(x->ident, y->ident, x->n * sizeof *x->ident);
}

/* The postings of ix are its vectors inverted: each term's, in article order, with
 * the article's weight for it. */
static void assert_postings_inverted(const struct similar_index *ix)
{
	size_t *fill = calloc(ix->nterms + 1, sizeof *fill);
	assert_non_null(fill);
	for (size_t i = 0; i < ix->n; i++)
		for (size_t k = ix->vstart[i]; k < ix->vstart[i + 1]; k++) {
			uint32_t t = ix->vterm[k];
			size_t p = ix->pstart[t] + fill[t]++;
			assert_true(p < ix->pstart[t + 1]);
			assert_int_equal(ix->pdoc[p], i);
			assert_true(ix->pw[p] == ix->vw[k]);
		}
	for (size_t t = 0; t < ix->nterms; t++)
		assert_int_equal(fill[t], ix->pstart[t + 1] - ix->pstart[t]);
	free(fill);
}

/* The cosine of article i's vectors in x and y, whose terms may be numbered apart
 * (matched by their bigrams); 1 when both are empty. */
static double vector_cosine(const struct similar_index *x, const struct similar_index *y, size_t i)
{
	double dot = 0, nx = 0, ny = 0;
	for (size_t a = x->vstart[i]; a < x->vstart[i + 1]; a++) {
		nx += (double)x->vw[a] * x->vw[a];
		for (size_t b = y->vstart[i]; b < y->vstart[i + 1]; b++)
			if (x->tkey[x->vterm[a]] == y->tkey[y->vterm[b]])
				dot += (double)x->vw[a] * y->vw[b];
	}
	for (size_t b = y->vstart[i]; b < y->vstart[i + 1]; b++)
		ny += (double)y->vw[b] * y->vw[b];
	if (nx == 0 || ny == 0)
		return nx == ny ? 1 : 0;
	return dot / sqrt(nx * ny);
}

/* up, an update, is close to fresh, a whole build of the same articles: every
 * article's vector points nearly the same way, and the first similar story of nearly
 * every article is the same. */
static void assert_close(const struct similar_index *up, const struct similar_index *fresh)
{
	size_t same_first = 0;
	assert_int_equal(up->n, fresh->n);
	for (size_t i = 0; i < up->n; i++) {
		double cos = vector_cosine(up, fresh, i);
		if (cos < 0.98)
			fail_msg("article %zu: cosine %.4f with the whole build's vector", i, cos);
		struct similar_hit h1[1], h2[1];
		size_t n1 = similar_query(up, i, h1, 1), n2 = similar_query(fresh, i, h2, 1);
		same_first += n1 == n2 && (!n1 || h1[0].article == h2[0].article);
	}
	assert_true(same_first * 100 >= up->n * 90);
}

static const char *panda = "熊貓寶寶在動物園誕生,遊客排隊參觀,飼養員細心照顧幼崽。";

/* Two states of a collection of drawn articles: before, and after some were removed
 * (x2, a near-copy of x, among them), one changed, some added and one reprinted. */
static void two_states(struct collection *before, struct collection *after)
{
	char name[32];

	collection_init(before);
	collection_init(after);
	for (size_t k = 0; k < 300; k++) {
		snprintf(name, sizeof name, "d%05zu", k);
		add_drawn_as(before, k, name);
		if (k != 5 && k != 6 && k != 7)
			add_drawn_as(after, k, name);
	}
	add_dated(before, "x", "熊貓寶寶誕生", panda, 1);
	add_dated(before, "x2", "熊貓寶寶誕生了", panda, 2);
	add_dated(after, "x", "熊貓寶寶誕生", panda, 1);
	add_dated(after, "d00007", "颱風", "颱風過後,沿海城市開始重建。居民返回家園。", 8);
	for (size_t k = 300; k < 330; k++) {
		snprintf(name, sizeof name, "d%05zu", k);
		add_drawn_as(after, k, name);
	}
	add_drawn_as(after, 10, "reprint"); /* article 10 again, under another name */
	collection_finish(before);
	collection_finish(after);
}

/* An update of more than SIMILAR_DRIFT percent of the articles (some removed, one
 * changed, some added, one reprinted) builds the index whole: the index a fresh build
 * makes, array for array, and so answers the same; a removed near-copy no longer
 * answers; back again, the same. */
static void test_update_past_drift_whole(void **state)
{
	struct collection before, after;
	char path[300], why[160];
	uint64_t had;
	(void)state;

	two_states(&before, &after);
	char *dir = scratch_dir();
	snprintf(path, sizeof path, "%s/u.idx", dir);
	struct similar_index *ix = similar_index_build(&before);
	struct similar_hit hits[5];
	size_t x = pos(&before, "x");
	assert_true(similar_query(ix, x, hits, 5) >= 1); /* x2 is x's near-copy */
	assert_true(hits[0].score >= SIMILAR_DUP);
	assert_true(similar_cache_save(path, similar_cache_key(&before), ix));
	similar_index_free(ix);

	struct similar_index *old = NULL;
	assert_int_equal(similar_cache_open(path, &old, &had, why, sizeof why), SIMILAR_CACHE_OK);
	assert_true(had == similar_cache_key(&before));
	struct similar_build *b = similar_build_update(&after, old);
	/* 30 + 3 + 1 + 1 added, 3 + 1 + 1 removed, of 332: built whole */
	assert_int_equal(similar_build_reused(b), 0);
	while (!similar_build_step(b, 500))
		;
	struct similar_index *updated = similar_build_finish(b);
	assert_null(similar_index_damage(old));
	similar_index_free(old);
	struct similar_index *fresh = similar_index_build(&after);
	assert_same_arrays(updated, fresh);
	assert_same_answers(updated, fresh, after.articles.n);
	x = pos(&after, "x");
	size_t got = similar_query(updated, x, hits, 5);
	for (size_t k = 0; k < got; k++) { /* x2 is gone: nothing is x's near-copy */
		assert_true(hits[k].score < SIMILAR_DUP);
		assert_int_equal(hits[k].folded, 0);
	}

	/* Back again, from the updated index's file: the fresh build of before. */
	assert_true(similar_cache_save(path, similar_cache_key(&after), updated));
	assert_int_equal(similar_cache_open(path, &old, &had, why, sizeof why), SIMILAR_CACHE_OK);
	struct similar_index *back = similar_build_finish(similar_build_update(&before, old));
	struct similar_index *fresh_before = similar_index_build(&before);
	assert_same_arrays(back, fresh_before);
	assert_same_answers(back, fresh_before, before.articles.n);
	similar_index_free(old);
	similar_index_free(back);
	similar_index_free(fresh_before);
	similar_index_free(updated);
	similar_index_free(fresh);
	collection_free(&before);
	collection_free(&after);
	remove_tree(dir);
	free(dir);
}

/* Save ix as path's file of c's state, and map it back. */
static struct similar_index *save_and_map(const char *path, const struct collection *c,
					  const struct similar_index *ix)
{
	struct similar_index *m = NULL;
	char why[160];
	uint64_t had;
	assert_true(similar_cache_save(path, similar_cache_key(c), ix));
	assert_int_equal(similar_cache_open(path, &m, &had, why, sizeof why), SIMILAR_CACHE_OK);
	return m;
}

/* The index of c built, saved as path's file and mapped back. */
static struct similar_index *build_and_map(const char *path, const struct collection *c)
{
	struct similar_index *built = similar_index_build(c);
	struct similar_index *m = save_and_map(path, c, built);
	similar_index_free(built);
	return m;
}

/* An update of a few articles (under SIMILAR_DRIFT percent) reads only them, and the
 * old article whose terms were its own until a new one shared them: a story reprinted
 * in the update finds its first print as a near-copy. The other articles keep their
 * vectors; the postings are the vectors inverted; the answers are close to a whole
 * build's; the file keeps the drift, and an update to the same state changes nothing. */
static void test_update_reads_changes(void **state)
{
	struct collection before, after;
	char path[300], name[32];
	(void)state;

	collection_init(&before);
	collection_init(&after);
	for (size_t k = 0; k < 300; k++) {
		snprintf(name, sizeof name, "d%05zu", k);
		add_drawn_as(&before, k, name);
		if (k != 5 && k != 7)
			add_drawn_as(&after, k, name);
	}
	add_dated(&before, "x", "熊貓寶寶誕生", panda, 1);
	add_dated(&after, "x", "熊貓寶寶誕生", panda, 1);
	add_dated(&after, "d00007", "颱風", "颱風過後,沿海城市開始重建。居民返回家園。", 8);
	add_drawn_as(&after, 300, "d00300");
	add_drawn_as(&after, 301, "d00301");
	add_dated(&after, "x3", "熊貓寶寶誕生了", panda, 3); /* x reprinted */
	collection_finish(&before);
	collection_finish(&after);
	char *dir = scratch_dir();
	snprintf(path, sizeof path, "%s/u.idx", dir);
	struct similar_index *old = build_and_map(path, &before);

	struct similar_build *b = similar_build_update(&after, old);
	assert_int_equal(similar_build_reused(b), after.articles.n - 4); /* not the new ones */
	while (!similar_build_step(b, 500))
		;
	/* nor x, whose panda terms were its own until x3 */
	assert_int_equal(similar_build_reused(b), after.articles.n - 4 - 1);
	struct similar_index *up = similar_build_finish(b);
	assert_null(similar_index_damage(old));
	for (size_t i = 0; i < after.articles.n; i++) {
		const char *id = after.articles.v[i]->id;
		if (!strcmp(id, "d00007") || !strcmp(id, "d00300") || !strcmp(id, "d00301") ||
		    !strcmp(id, "x") || !strcmp(id, "x3"))
			continue;
		size_t r = pos(&before, id), n = up->vstart[i + 1] - up->vstart[i];
		assert_int_equal(n, old->vstart[r + 1] - old->vstart[r]);
		assert_memory_equal(up->vterm + up->vstart[i], old->vterm + old->vstart[r],
				    n * sizeof *up->vterm);
		assert_memory_equal(up->vw + up->vstart[i], old->vw + old->vstart[r],
				    n * sizeof *up->vw);
	}
	assert_postings_inverted(up);
	struct similar_hit hits[5];
	assert_true(similar_query(up, pos(&after, "x3"), hits, 5) >= 1);
	assert_int_equal(hits[0].article, pos(&after, "x"));
	assert_true(hits[0].score >= SIMILAR_DUP);
	struct similar_index *fresh = similar_index_build(&after);
	assert_close(up, fresh);
	similar_index_free(old);

	old = save_and_map(path, &after, up);
	assert_int_equal(old->drift, 4 + 2); /* added, removed */
	b = similar_build_update(&after, old);
	assert_int_equal(similar_build_reused(b), after.articles.n);
	struct similar_index *again = similar_build_finish(b);
	assert_same_arrays(again, up);
	assert_int_equal(again->drift, 6);
	similar_index_free(again);
	similar_index_free(old);
	similar_index_free(up);
	similar_index_free(fresh);
	collection_free(&before);
	collection_free(&after);
	remove_tree(dir);
	free(dir);
}

/* Updates add up their drift: each adds 10 articles to 300, and the one that takes
 * the drift past SIMILAR_DRIFT percent builds the index whole (drift 0 again). */
static void test_update_drift_adds_up(void **state)
{
	char path[300], name[32];
	(void)state;

	char *dir = scratch_dir();
	snprintf(path, sizeof path, "%s/d.idx", dir);
	struct collection c[5];
	struct similar_index *ix = NULL;
	for (size_t round = 0; round < 5; round++) {
		collection_init(&c[round]);
		for (size_t k = 0; k < 300 + 10 * round; k++) {
			snprintf(name, sizeof name, "d%05zu", k);
			add_drawn_as(&c[round], k, name);
		}
		collection_finish(&c[round]);
		struct similar_index *old = round ? save_and_map(path, &c[round - 1], ix) : NULL;
		struct similar_build *b = similar_build_update(&c[round], old);
		/* drift 10, 20, 30 of 310, 320, 330; 40 of 340 is past 10% */
		size_t whole = round == 0 || round == 4;
		assert_int_equal(similar_build_reused(b), whole ? 0 : c[round - 1].articles.n);
		similar_index_free(ix);
		ix = similar_build_finish(b);
		assert_int_equal(ix->drift, whole ? 0 : 10 * round);
		similar_index_free(old);
	}
	struct similar_index *fresh = similar_index_build(&c[4]);
	assert_same_arrays(ix, fresh);
	similar_index_free(fresh);
	similar_index_free(ix);
	for (size_t round = 0; round < 5; round++)
		collection_free(&c[round]);
	remove_tree(dir);
	free(dir);
}

/* Use the mapped index old as much as can be: every query and score, and an update
 * from it to c (whose result must be c's fresh build whatever old holds). */
static void use_all(struct similar_index *old, const struct collection *c,
		    const struct similar_index *fresh)
{
	struct similar_hit hits[5];
	size_t n = similar_index_articles(old);
	for (size_t i = 0; i < n; i++) {
		similar_query(old, i, hits, 5);
		similar_score(old, i, (i * 7 + 1) % n);
	}
	struct similar_index *up = similar_build_finish(similar_build_update(c, old));
	assert_same_arrays(up, fresh);
	similar_index_free(up);
}

/* A mapped file cut short by another program while the index is in use: the reads
 * past its new end do not end the process (SIGBUS), the index says it was cut short
 * and answers nothing more. */
static void test_mapped_cut_short(void **state)
{
	struct collection c;
	char path[300], why[160];
	uint64_t had;
	(void)state;

	collection_init(&c);
	for (size_t k = 0; k < 1000; k++)
		add_drawn(&c, k);
	collection_finish(&c);
	char *dir = scratch_dir();
	assert_int_equal(setenv("XDG_CACHE_HOME", dir, 1), 0);
	snprintf(path, sizeof path, "%s/cut.idx", dir);
	struct similar_index *fresh = similar_index_build(&c);
	assert_true(similar_cache_save(path, similar_cache_key(&c), fresh));
	struct similar_index *ix = NULL;
	assert_int_equal(similar_cache_open(path, &ix, &had, why, sizeof why), SIMILAR_CACHE_OK);
	struct similar_hit hits[5];
	assert_true(similar_query(ix, 0, hits, 5) > 0);
	/* Cut to its first 4 KB page: every chunk is past the end now. */
	assert_true(file_size(path) > 8 * 65536);
	assert_int_equal(truncate(path, 4096), 0);
	for (size_t i = 0; i < c.articles.n; i++)
		similar_query(ix, i, hits, 5);
	const char *damage = similar_index_damage(ix);
	assert_non_null(damage);
	assert_non_null(strstr(damage, "cut short while in use"));
	assert_int_equal(similar_query(ix, 1, hits, 5), 0);
	similar_index_free(ix);
	similar_index_free(fresh);
	collection_free(&c);
	remove_tree(dir);
	free(dir);
}

/* The file an update reads cut short while it runs: the reads past its end do not end
 * the process, and the update starts again whole: the fresh build's index. */
static void test_update_cut_short(void **state)
{
	struct collection c1, c2;
	char path[300];
	(void)state;

	collection_init(&c1);
	collection_init(&c2);
	for (size_t k = 0; k < 1005; k++) {
		if (k < 1000)
			add_drawn(&c1, k);
		add_drawn(&c2, k);
	}
	collection_finish(&c1);
	collection_finish(&c2);
	char *dir = scratch_dir();
	snprintf(path, sizeof path, "%s/cut.idx", dir);
	struct similar_index *old = build_and_map(path, &c1);
	struct similar_build *b = similar_build_update(&c2, old);
	assert_int_equal(similar_build_reused(b), 1000);
	assert_false(similar_build_step(b, 1)); /* one of the five new articles counted */
	assert_true(file_size(path) > 8 * 65536);
	assert_int_equal(truncate(path, 4096), 0);
	struct similar_index *up = similar_build_finish(b);
	assert_non_null(similar_index_damage(old));
	struct similar_index *fresh = similar_index_build(&c2);
	assert_same_arrays(up, fresh);
	similar_index_free(up);
	similar_index_free(fresh);
	similar_index_free(old);
	collection_free(&c1);
	collection_free(&c2);
	remove_tree(dir);
	free(dir);
}

/* A mapped file is checked as it is used: a bit flipped anywhere past the header is
 * found by the queries or the update that touch it (its chunk's checksum), never
 * used; after that the index answers nothing, and similar_cache_query says so once as
 * PATH: message and answers from a fresh build. */
static void test_mapped_damage_found(void **state)
{
	struct collection c;
	char path[300], why[160];
	size_t n;
	char *bytes;
	uint64_t had;
	(void)state;

	collection_init(&c);
	for (size_t k = 0; k < 1000; k++)
		add_drawn(&c, k);
	collection_finish(&c);
	char *dir = scratch_dir();
	assert_int_equal(setenv("XDG_CACHE_HOME", dir, 1), 0);
	char *good = similar_cache_path(&c);
	snprintf(path, sizeof path, "%s/bad.idx", dir);
	struct similar_index *fresh = similar_index_build(&c);
	assert_true(similar_cache_save(good, similar_cache_key(&c), fresh));
	copy_file(good, path, &n, &bytes);
	assert_true(n > 8 * 65536); /* several chunks */
	size_t found_at_open = 0, found_in_use = 0;
	for (size_t i = 96; i < n; i += n / 29) { /* a bit in each of 30 places */
		struct similar_index *ix = NULL;
		bytes[i] ^= 0x10;
		write_file(path, bytes, n);
		bytes[i] ^= 0x10;
		enum similar_cache_status st = similar_cache_open(path, &ix, &had, why, sizeof why);
		if (st != SIMILAR_CACHE_OK) {
			assert_int_equal(st, SIMILAR_CACHE_CORRUPT);
			found_at_open++;
			continue;
		}
		use_all(ix, &c, fresh);
		const char *damage = similar_index_damage(ix);
		if (!damage)
			fail_msg("byte %zu of %zu flipped: not found", i, n);
		assert_string_equal(
			damage, "corrupt similar-stories cache (checksum mismatch); rebuilding it");
		struct similar_hit hits[5];
		assert_int_equal(similar_query(ix, 0, hits, 5), 0);
		similar_index_free(ix);
		found_in_use++;
	}
	assert_true(found_in_use > found_at_open); /* mapped: most is checked when used */

	/* Through similar_cache_query: said once, answered from a build. */
	FILE *err = tmpfile();
	char msg[1000];
	bytes[n - 100] ^= 1; /* the last chunk: the last postings, the terms' counts */
	write_file(good, bytes, n);
	struct similar_index *ix = similar_index_kept(&c, err);
	assert_non_null(ix);
	struct similar_hit h1[5], h2[5];
	for (size_t i = 0; i < c.articles.n; i++) {
		size_t got = similar_cache_query(&ix, &c, true, i, h1, 5, err);
		assert_int_equal(got, similar_query(fresh, i, h2, 5));
	}
	assert_null(similar_index_damage(ix)); /* built again */
	read_err(err, msg, sizeof msg);
	assert_true(strncmp(msg, good, strlen(good)) == 0);
	assert_non_null(strstr(msg, ": corrupt similar-stories cache (checksum mismatch)"));
	assert_true(strchr(msg, '\n') == msg + strlen(msg) - 1); /* said once */
	similar_index_free(ix);
	ix = similar_index_kept(&c, err); /* written again, sound */
	assert_non_null(ix);
	use_all(ix, &c, fresh);
	assert_null(similar_index_damage(ix));
	similar_index_free(ix);
	fclose(err);
	free(bytes);
	free(good);
	similar_index_free(fresh);
	collection_free(&c);
	unsetenv("XDG_CACHE_HOME");
	remove_tree(dir);
	free(dir);
}

/* Write article file dir/name.txt (its title and body). */
static void write_article(const char *dir, const char *name, const char *title, const char *body)
{
	char path[400];
	snprintf(path, sizeof path, "%s/%s.txt", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%s\n\n2020-01-01 Somewhere\n\n%s\n", title, body);
	fclose(f);
}

/* A tree of article files, through similar_index_cached: cached; one file edited, the
 * same cache file, made again (one of four changed is past SIMILAR_DRIFT: built
 * whole) to what a fresh build makes; nothing said on err. */
static void test_cache_tree_edited(void **state)
{
	struct collection c1, c2;
	char tree[300], msg[1000];
	uint64_t had;
	FILE *err = tmpfile();
	(void)state;

	char *dir = scratch_dir();
	assert_int_equal(setenv("XDG_CACHE_HOME", dir, 1), 0);
	snprintf(tree, sizeof tree, "%s/tree", dir);
	assert_int_equal(mkdir(tree, 0700), 0);
	write_article(tree, "a", "颱風登陸沿海城市", story);
	write_article(tree, "d", "颱風過後城市重建", d_body);
	write_article(tree, "e", "股市收盤指數上漲", "科技股領漲,成交量放大,投資人信心回升。");
	write_article(tree, "p", "熊貓寶寶誕生", panda);
	collection_init(&c1);
	loader_load_path(&c1, tree);
	collection_finish(&c1);
	similar_index_free(similar_index_cached(&c1, true, SIZE_MAX, err));
	char *path1 = similar_cache_path(&c1);

	write_article(tree, "d", "颱風過後城市重建", "颱風過後,居民返回家園,股市收盤上漲。");
	collection_init(&c2);
	loader_load_path(&c2, tree);
	collection_finish(&c2);
	char *path2 = similar_cache_path(&c2);
	assert_string_equal(path1, path2);
	char why[160];
	struct similar_index *old = NULL;
	assert_int_equal(similar_cache_open(path1, &old, &had, why, sizeof why), SIMILAR_CACHE_OK);
	assert_true(had == similar_cache_key(&c1) && had != similar_cache_key(&c2));
	struct similar_build *b = similar_build_update(&c2, old);
	assert_int_equal(similar_build_reused(b), 0); /* 2 of 4 changed: built whole */
	similar_build_free(b);
	similar_index_free(old);

	struct similar_index *ix = similar_index_cached(&c2, true, SIZE_MAX, err);
	struct similar_index *fresh = similar_index_build(&c2);
	assert_same_arrays(ix, fresh);
	read_err(err, msg, sizeof msg);
	assert_string_equal(msg, "");
	similar_index_free(ix);
	ix = similar_index_kept(&c2, err); /* the file is c2's now */
	assert_non_null(ix);
	assert_same_answers(ix, fresh, c2.articles.n);
	similar_index_free(ix);
	similar_index_free(fresh);
	free(path1);
	free(path2);
	collection_free(&c1);
	collection_free(&c2);
	fclose(err);
	unsetenv("XDG_CACHE_HOME");
	remove_tree(dir);
	free(dir);
}

/* Append record k of drawn text to the JSON Lines file path. */
static void append_record(const char *path, size_t k)
{
	struct strbuf body = {0};
	drawn_body(k, &body);
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fprintf(f,
		"{\"news_id\":\"%zu\",\"title\":\"%s\",\"content\":\"%s\",\"time\":\"03-22 "
		"12:00\"}\n",
		k, words[k % 12], body.s);
	fclose(f);
	sb_free(&body);
}

/* A JSON Lines file that grew: the same cache file, updated (the records it had not
 * read again) to an index close to a fresh build's. */
static void test_cache_jsonl_grew(void **state)
{
	struct collection c1, c2;
	char file[300], why[160];
	uint64_t had;
	(void)state;
	NEEDS_JANSSON();

	char *dir = scratch_dir();
	assert_int_equal(setenv("XDG_CACHE_HOME", dir, 1), 0);
	snprintf(file, sizeof file, "%s/news.jsonl", dir);
	for (size_t k = 0; k < 200; k++)
		append_record(file, k);
	collection_init(&c1);
	loader_load_path(&c1, file);
	collection_finish(&c1);
	assert_int_equal(c1.articles.n, 200);
	similar_index_free(similar_index_cached(&c1, true, SIZE_MAX, stderr));
	for (size_t k = 200; k < 202; k++)
		append_record(file, k);
	collection_init(&c2);
	loader_load_path(&c2, file);
	collection_finish(&c2);
	char *path1 = similar_cache_path(&c1), *path2 = similar_cache_path(&c2);
	assert_string_equal(path1, path2);
	struct similar_index *old = NULL;
	assert_int_equal(similar_cache_open(path1, &old, &had, why, sizeof why), SIMILAR_CACHE_OK);
	struct similar_build *b = similar_build_update(&c2, old);
	assert_int_equal(similar_build_reused(b), 200);
	struct similar_index *up = similar_build_finish(b), *fresh = similar_index_build(&c2);
	assert_postings_inverted(up);
	assert_close(up, fresh);
	similar_index_free(up);
	similar_index_free(old);
	similar_index_free(fresh);
	free(path1);
	free(path2);
	collection_free(&c1);
	collection_free(&c2);
	unsetenv("XDG_CACHE_HOME");
	remove_tree(dir);
	free(dir);
}

/* Plants in an index's arrays, saved with right checksums (a file made to lie). */
enum plant {
	TERM_OUT,
	VSTART_BACK,
	VW_NAN,
	VW_BIG,
	PDOC_OUT,
	PSTART_OUT,
	DF_ZERO,
	OWNER_OUT,
	NPLANTS
};

static void plant(struct similar_index *ix, enum plant p)
{
	size_t i = 1;
	while (ix->vstart[i + 1] == ix->vstart[i])
		i++;
	switch (p) {
	case TERM_OUT: ix->vterm[ix->vstart[i + 1] - 1] = (uint32_t)ix->nterms + 5; break;
	case VSTART_BACK: ix->vstart[i] = ix->vstart[i + 1] + 3; break;
	case VW_NAN: ix->vw[ix->vstart[i]] = NAN; break;
	case VW_BIG: ix->vw[ix->vstart[i]] = 2.0f; break;
	case PDOC_OUT: ix->pdoc[ix->pstart[ix->vterm[ix->vstart[i]]]] = (uint32_t)ix->n + 1; break;
	case PSTART_OUT: ix->pstart[ix->vterm[ix->vstart[i]] + 1] = SIZE_MAX / 2; break;
	case DF_ZERO: ix->df[ix->vterm[ix->vstart[i]]] = 0; break;
	case OWNER_OUT: ix->owner[ix->vterm[ix->vstart[i]]] = (uint32_t)ix->n; break;
	case NPLANTS: break;
	}
}

/* A file whose checksums are right but whose offsets, numbers or weights are not:
 * found as the queries or the update touch them, never followed (under ASan: no read
 * outside the map); the update then reads every article. */
static void test_mapped_lies_found(void **state)
{
	struct collection c;
	char path[300], why[160];
	uint64_t had;
	(void)state;

	typhoons(&c, d_body);
	struct similar_index *fresh = similar_index_build(&c);
	char *dir = scratch_dir();
	snprintf(path, sizeof path, "%s/lie.idx", dir);
	for (int p = 0; p < NPLANTS; p++) {
		struct similar_index *ix = similar_index_build(&c), *m = NULL;
		plant(ix, (enum plant)p);
		assert_true(similar_cache_save(path, similar_cache_key(&c), ix));
		similar_index_free(ix);
		enum similar_cache_status st = similar_cache_open(path, &m, &had, why, sizeof why);
		assert_int_equal(st, SIMILAR_CACHE_OK);
		use_all(m, &c, fresh);
		const char *damage = similar_index_damage(m);
		if (!damage)
			fail_msg("plant %d not found", p);
		assert_string_equal(
			damage,
			"corrupt similar-stories cache (inconsistent offsets); rebuilding it");
		similar_index_free(m);
	}
	similar_index_free(fresh);
	collection_free(&c);
	remove_tree(dir);
	free(dir);
}

/* similar_index_cached under $XDG_CACHE_HOME: built and saved, then read back; a corrupt
 * file is reported once, rebuilt and replaced; a changed collection is not answered
 * from the old file; without the cache nothing is written. */
static void test_cache_in_use(void **state)
{
	struct collection c, changed;
	char msg[1000];
	FILE *err = tmpfile();
	(void)state;

	assert_non_null(err);
	char *dir = scratch_dir();
	assert_int_equal(setenv("XDG_CACHE_HOME", dir, 1), 0);
	typhoons(&c, d_body);
	char *path = similar_cache_path(&c);
	assert_non_null(path);
	assert_true(strncmp(path, dir, strlen(dir)) == 0);
	assert_non_null(strstr(path, "/xinwen/similar-"));

	struct similar_index *ix = similar_index_cached(&c, false, SIZE_MAX, err);
	assert_int_equal(access(path, F_OK), -1); /* --no-cache writes nothing */
	similar_index_free(ix);
	ix = similar_index_cached(&c, true, SIZE_MAX, err);
	assert_int_equal(access(path, F_OK), 0);
	struct similar_index *fresh = similar_index_build(&c);
	assert_same_answers(ix, fresh, c.articles.n);
	similar_index_free(ix);
	ix = similar_index_cached(&c, true, SIZE_MAX, err);
	assert_same_answers(ix, fresh, c.articles.n);
	similar_index_free(ix);
	read_err(err, msg, sizeof msg);
	assert_string_equal(msg, "");

	/* Damaged: reported as PATH: message, rebuilt, replaced. */
	assert_int_equal(truncate(path, 40), 0);
	ix = similar_index_cached(&c, true, SIZE_MAX, err);
	assert_same_answers(ix, fresh, c.articles.n);
	similar_index_free(ix);
	read_err(err, msg, sizeof msg);
	assert_true(strncmp(msg, path, strlen(path)) == 0);
	assert_non_null(strstr(msg, ": corrupt similar-stories cache (truncated header)"));
	ix = similar_index_cached(&c, true, SIZE_MAX, err);
	similar_index_free(ix);
	read_err(err, msg, sizeof msg);
	assert_string_equal(msg, "");

	/* The same files with d changed: the same cache file, not its answers. */
	typhoons(&changed, "股市收盤,科技股領漲,投資人信心回升。");
	char *path2 = similar_cache_path(&changed);
	assert_string_equal(path, path2);
	ix = similar_index_cached(&changed, true, SIZE_MAX, err);
	struct similar_index *fresh2 = similar_index_build(&changed);
	assert_same_answers(ix, fresh2, changed.articles.n);
	read_err(err, msg, sizeof msg);
	assert_string_equal(msg, ""); /* stale is no news */
	struct similar_hit hits[5];
	size_t d = pos(&changed, "d");
	size_t got = similar_query(ix, d, hits, 5);
	assert_true(got >= 1);
	assert_int_equal(hits[0].article, pos(&changed, "e"));

	similar_index_free(ix);
	similar_index_free(fresh);
	similar_index_free(fresh2);
	free(path);
	free(path2);
	collection_free(&c);
	collection_free(&changed);
	fclose(err);
	unsetenv("XDG_CACHE_HOME");
	remove_tree(dir);
	free(dir);
}

/* What --dump printed (out) and said (err) for the typhoons' article a. */
static void dump_a(const struct collection *c, bool use_cache, size_t similar_max, char *out,
		   char *err, size_t n)
{
	FILE *o = tmpfile(), *e = tmpfile();
	assert_non_null(o);
	assert_non_null(e);
	assert_int_equal(cli_dump(c, "a", 100, use_cache, similar_max, o, e), 0);
	read_err(o, out, n);
	read_err(e, err, n);
	fclose(o);
	fclose(e);
}

/* --dump of a collection of more articles than it computes the similar stories of: from
 * the cache when current, else left out, which it says; under the bound, computed.
 * --related computes them past the bound too, and says so first. */
static void test_dump_similar_bound(void **state)
{
	struct collection c;
	char out[8000], err[1000];
	(void)state;

	char *dir = scratch_dir();
	assert_int_equal(setenv("XDG_CACHE_HOME", dir, 1), 0);
	typhoons(&c, d_body);
	dump_a(&c, true, c.articles.n - 1, out, err, sizeof out);
	assert_null(strstr(out, "Similar stories"));
	assert_non_null(strstr(out, "颱風登陸沿海城市"));
	assert_non_null(strstr(err, "similar stories are left out"));
	char count[32];
	snprintf(count, sizeof count, "these %zu articles", c.articles.n);
	assert_non_null(strstr(err, count));
	char *path = similar_cache_path(&c);
	assert_int_equal(access(path, F_OK), -1); /* nothing built */

	dump_a(&c, false, c.articles.n, out, err, sizeof out); /* within the bound: built */
	assert_non_null(strstr(out, "Similar stories"));
	assert_string_equal(err, "");
	similar_index_free(
		similar_index_cached(&c, true, SIZE_MAX, stderr)); /* the cache written */
	dump_a(&c, true, 0, out, err, sizeof out);
	assert_non_null(strstr(out, "Similar stories"));
	assert_string_equal(err, "");
	dump_a(&c, false, 0, out, err, sizeof out); /* no cache taken: left out */
	assert_null(strstr(out, "Similar stories"));

	/* --related computes them past the bound too, saying so first; not within it */
	FILE *o = tmpfile(), *e = tmpfile();
	assert_int_equal(cli_related(&c, "a", false, c.articles.n - 1, o, e), 0);
	read_err(o, out, sizeof out);
	read_err(e, err, sizeof err);
	assert_non_null(strstr(out, "similar\t"));
	snprintf(count, sizeof count, "similar stories of %zu articles", c.articles.n);
	assert_non_null(strstr(err, count));
	assert_int_equal(cli_related(&c, "a", false, c.articles.n, o, e), 0);
	read_err(e, err, sizeof err);
	assert_string_equal(err, "");
	fclose(o);
	fclose(e);
	free(path);
	collection_free(&c);
	unsetenv("XDG_CACHE_HOME");
	remove_tree(dir);
	free(dir);
}

/* Whether the cache file of c holds c's current index. */
static bool cache_is_current(const struct collection *c)
{
	char *path = similar_cache_path(c);
	struct similar_index *ix = NULL;
	char why[160];
	bool ok = similar_cache_load(path, similar_cache_key(c), c->articles.n, &ix, why,
				     sizeof why) == SIMILAR_CACHE_OK;
	similar_index_free(ix);
	free(path);
	return ok;
}

/* The reader with the cache: writes it once built, reads it next time, reports a damaged
 * one on the status line and replaces it. */
static void test_reader_cache(void **state)
{
	struct collection c;
	struct app a;
	(void)state;

	char *dir = scratch_dir();
	assert_int_equal(setenv("XDG_CACHE_HOME", dir, 1), 0);
	typhoons(&c, d_body);
	struct similar_index *fresh = similar_index_build(&c);
	assert_false(cache_is_current(&c));
	for (int run = 0; run < 3; run++) {
		char *path = similar_cache_path(&c);
		struct stat before, after;
		if (run == 1)
			assert_int_equal(stat(path, &before), 0);
		if (run == 2)
			assert_int_equal(truncate(path, 10), 0);
		app_init(&a, &c, 40, 120);
		app_similar_cache(&a);
		assert_non_null(a.similar.cache);
		while (app_idle(&a))
			;
		assert_non_null(a.similar.index);
		assert_null(a.similar.build);
		assert_same_answers(a.similar.index, fresh, c.articles.n);
		if (run == 2)
			assert_non_null(strstr(a.message, "corrupt similar-stories cache"));
		else
			assert_string_equal(a.message, "");
		app_free(&a); /* waits for the cache to be written */
		assert_true(cache_is_current(&c));
		if (run == 1) { /* read, not written again: the same file */
			assert_int_equal(stat(path, &after), 0);
			assert_true(before.st_ino == after.st_ino);
		}
		free(path);
	}
	similar_index_free(fresh);
	collection_free(&c);
	unsetenv("XDG_CACHE_HOME");
	remove_tree(dir);
	free(dir);
}

/* The typhoons with d's body given, and 300 drawn articles. */
static void typhoons_and_more(struct collection *c, const char *body)
{
	char name[32];
	collection_init(c);
	add_dated(c, "a", "颱風登陸沿海城市", story, 1);
	add_dated(c, "d", "颱風過後城市重建", body, 2);
	for (size_t k = 0; k < 300; k++) {
		snprintf(name, sizeof name, "d%05zu", k);
		add_drawn_as(c, k, name);
	}
	collection_finish(c);
}

/* The reader on a changed collection (d edited): the cache file of the earlier state is
 * updated (to the index similar_build_update makes from it), written, and mapped in
 * place of the index built. (The
 * file is matched to the articles on a thread; a pause lets it finish before the build
 * starts, so that the build is the update.) */
static void test_reader_updates(void **state)
{
	struct collection c1, c2;
	struct app a;
	(void)state;

	char *dir = scratch_dir();
	assert_int_equal(setenv("XDG_CACHE_HOME", dir, 1), 0);
	typhoons_and_more(&c1, d_body);
	typhoons_and_more(&c2, "股市收盤,科技股領漲,投資人信心回升。");
	for (int run = 0; run < 2; run++) {
		struct collection *c = run ? &c2 : &c1;
		struct similar_index *fresh = NULL, *old = NULL;
		char *path = similar_cache_path(c), why[160];
		uint64_t had;
		if (run == 0) {
			fresh = similar_index_build(c);
		} else {
			assert_int_equal(similar_cache_open(path, &old, &had, why, sizeof why),
					 SIMILAR_CACHE_OK);
			fresh = similar_build_finish(similar_build_update(c, old));
			similar_index_free(old);
		}
		app_init(&a, c, 40, 120);
		app_similar_cache(&a);
		usleep(300000);
		while (app_idle(&a))
			;
		assert_non_null(a.similar.index);
		assert_same_answers(a.similar.index, fresh, c->articles.n);
		assert_string_equal(a.message, "");
		app_free(&a);
		assert_true(cache_is_current(c));
		similar_index_free(fresh);
		free(path);
	}
	collection_free(&c1);
	collection_free(&c2);
	unsetenv("XDG_CACHE_HOME");
	remove_tree(dir);
	free(dir);
}

/* Whether a line of the pane reads text. */
static bool pane_has_line(const struct pane *p, const char *text, size_t *at)
{
	struct strbuf sb = {0};
	bool found = false;
	for (size_t i = 0; i < p->lines.n && !found; i++) {
		sb_clear(&sb);
		pane_line_text(p, i, &sb);
		if (strstr(sb_cstr(&sb), text)) {
			found = true;
			if (at)
				*at = i;
		}
	}
	sb_free(&sb);
	return found;
}

/* The reader: the pane says the stories are being computed, app_idle builds them, then
 * they follow the related stories with the numbering going on, before "Cited by". */
static void test_reader_group(void **state)
{
	struct collection c;
	struct app a;
	size_t related, similar, cited;
	(void)state;

	seed_collection(&c);
	app_init(&a, &c, 40, 120);
	app_sync_pane(&a);
	assert_true(pane_has_line(&a.pane.shown, "Similar stories: computing…", NULL));
	assert_int_equal(a.pane.shown.nsimilar, 0);
	assert_int_equal(a.pane.shown.nrelated, 20);
	app_apply(&a, ACTION_FOLLOW_N, 21);
	assert_int_equal(a.list.sel, 0); /* no story 21 yet */

	while (app_idle(&a))
		;
	assert_non_null(a.similar.index);
	assert_false(pane_has_line(&a.pane.shown, "computing", NULL));
	assert_int_equal(a.pane.shown.nsimilar, 5);
	assert_true(pane_has_line(&a.pane.shown, "Related stories", &related));
	assert_true(pane_has_line(&a.pane.shown, "Similar stories", &similar));
	assert_true(related < similar);
	assert_true(pane_has_line(&a.pane.shown, "[21] ", &cited));
	assert_true(similar < cited);
	assert_true(pane_has_line(&a.pane.shown, "[25] ", NULL));
	assert_false(pane_has_line(&a.pane.shown, "[26] ", NULL));
	/* Each similar entry carries its score ("· 0.xx"), on whichever of its lines the
	 * balanced wrap puts it. */
	struct strbuf sb = {0};
	for (size_t i = cited; i < a.pane.shown.lines.n &&
			       a.pane.shown.lines.v[i].block == a.pane.shown.lines.v[cited].block;
	     i++)
		pane_line_text(&a.pane.shown, i, &sb);
	size_t kept = 0;
	for (size_t i = 0; i < sb.n; i++) /* the spaces of a break and a hanging indent */
		if (sb.s[i] != ' ')
			sb.s[kept++] = sb.s[i];
	sb.n = kept;
	sb.s[kept] = '\0';
	assert_non_null(strstr(sb_cstr(&sb), "·0."));
	sb_free(&sb);
	/* 21 follows the first similar story. */
	struct similar_hit hits[5];
	assert_int_equal(similar_query(a.similar.index, 0, hits, 5), 5);
	/* The story map shows them too, as a "Similar" group, best first. */
	app_apply(&a, ACTION_BACK, 0);
	app_apply(&a, ACTION_MAP, 0);
	assert_non_null(a.map.shown);
	bool group = false;
	size_t first = SIZE_MAX;
	for (size_t r = 0; r < a.map.shown->m.rows.n; r++) {
		const struct storymap_row *row = &a.map.shown->m.rows.v[r];
		if (row->kind == STORYMAP_GROUP && row->depth == 1 && row->rel == STORYMAP_SIMILAR)
			group = true;
		else if (group && first == SIZE_MAX && row->kind == STORYMAP_ARTICLE)
			first = row->article;
	}
	assert_true(group);
	assert_int_equal(first, hits[0].article);
	app_apply(&a, ACTION_QUIT, 0);
	assert_null(a.map.shown);
	app_apply(&a, ACTION_FOLLOW_N, 21);
	assert_int_equal(a.list.sel, hits[0].article);
	app_free(&a);
	collection_free(&c);
}

/* A key that selects another article draws it at once, its similar stories asked of
 * the index between keys (a query of a big mapped index touches tens of megabytes the
 * first time: the key, the filter's first screen, must not wait for it); a story's
 * links are there once no key is waiting. */
static void test_pane_similar_between_keys(void **state)
{
	struct collection c;
	struct app a;
	(void)state;

	test_load_seed(&c, "000_bc5b92f142057c5b");
	app_init(&a, &c, 40, 120);
	while (app_idle(&a))
		;
	assert_non_null(a.similar.index);
	assert_false(a.pane.shown.similar_pending);
	size_t first = a.list.sel;
	app_apply(&a, ACTION_DOWN, 0);
	assert_int_not_equal(a.list.sel, first);
	assert_true(a.pane.shown.similar_pending);
	assert_int_equal(a.pane.shown.nsimilar, 0);
	assert_true(app_idle(&a)); /* the stories asked: work done */
	assert_false(a.pane.shown.similar_pending);
	struct similar_hit hits[PANE_SIMILAR_SHOWN];
	size_t n = similar_query(a.similar.index, a.list.sel, hits, PANE_SIMILAR_SHOWN);
	assert_int_equal(a.pane.shown.nsimilar, n);
	app_apply(&a, ACTION_UP, 0); /* the first one's pane, kept whole */
	assert_false(a.pane.shown.similar_pending);
	app_free(&a);
	collection_free(&c);
}

/* A selected link kept in the history is found again after the similar stories moved
 * the pane's links: on an excerpt, the backlink to the seed, selected before the index
 * was ready, is still the link selected when l comes back to it after, and once its
 * similar stories are added between keys. */
static void test_history_link_after_similar(void **state)
{
	struct collection c;
	struct app a;
	(void)state;

	test_load_seed(&c, "000_bc5b92f142057c5b");
	const struct article *seed = collection_find(&c, "000_bc5b92f142057c5b");
	app_init(&a, &c, 40, 120);
	app_apply(&a, ACTION_OPEN, 0);
	app_apply(&a, ACTION_FOLLOW_N, 3); /* an excerpt: one backlink, to the seed */
	assert_null(a.similar.index);
	assert_int_equal(a.pane.shown.nsimilar, 0);
	app_apply(&a, ACTION_NEXT_LINK, 0); /* its first link: the backlink */
	assert_int_equal(a.pane.link, 0);
	assert_ptr_equal(a.pane.shown.links.v[a.pane.link], seed);
	app_apply(&a, ACTION_BACK, 0);
	while (app_idle(&a))
		;
	assert_non_null(a.similar.index);
	app_apply(&a, ACTION_FORWARD, 0);
	/* its similar stories asked between keys, not by the key (app_pane_complete) */
	assert_true(a.pane.shown.similar_pending);
	assert_ptr_equal(a.pane.shown.links.v[a.pane.link], seed);
	while (app_idle(&a))
		;
	assert_false(a.pane.shown.similar_pending);
	assert_true(a.pane.shown.nsimilar > 0); /* the links moved down */
	assert_true(a.pane.link >= 0);
	assert_ptr_equal(a.pane.shown.links.v[a.pane.link], seed);
	assert_int_equal(a.pane.link, (int)(a.pane.shown.nrelated + a.pane.shown.nsimilar));
	app_free(&a);
	collection_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_grouped),
		cmocka_unit_test(test_disjoint),
		cmocka_unit_test(test_shared_word_only),
		cmocka_unit_test(test_variants_equal),
		cmocka_unit_test(test_ranking),
		cmocka_unit_test(test_slices_same_as_whole),
		cmocka_unit_test(test_counted_again_same_index),
		cmocka_unit_test(test_build_counts_bounded),
		cmocka_unit_test(test_cache_round_trip),
		cmocka_unit_test(test_cache_key),
		cmocka_unit_test(test_cache_older_format_stale),
		cmocka_unit_test(test_cache_damage),
		cmocka_unit_test(test_map_pages_given_back),
		cmocka_unit_test(test_update_past_drift_whole),
		cmocka_unit_test(test_update_reads_changes),
		cmocka_unit_test(test_update_drift_adds_up),
		cmocka_unit_test(test_mapped_damage_found),
		cmocka_unit_test(test_mapped_cut_short),
		cmocka_unit_test(test_update_cut_short),
		cmocka_unit_test(test_cache_tree_edited),
		cmocka_unit_test(test_cache_jsonl_grew),
		cmocka_unit_test(test_mapped_lies_found),
		cmocka_unit_test(test_cache_in_use),
		cmocka_unit_test(test_dump_similar_bound),
		cmocka_unit_test(test_reader_group),
		cmocka_unit_test(test_reader_cache),
		cmocka_unit_test(test_reader_updates),
		cmocka_unit_test(test_history_link_after_similar),
		cmocka_unit_test(test_pane_similar_between_keys),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
