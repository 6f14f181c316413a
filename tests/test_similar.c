/* test_similar.c: similar stories: scores and ranking on small hand-made collections
 * with known answers, the build in slices, and the reader's "Similar stories" group. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "similar.h"

/* Add an article named name (its id too) with title and body, dated 2020-01-0N. */
static void add(struct collection *c, const char *name, const char *title, const char *body)
{
	struct strbuf t = {0};
	sb_printf(&t, "%s\n\n2020-01-0%zu Somewhere\n\n%s\n", title, c->articles.n % 9 + 1, body);
	assert_true(collection_add_buffer(c, name, name, t.s, t.n));
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

/* Identical texts score 1 and are one story: the reprints fold into one hit. */
static void test_identical_grouped(void **state)
{
	struct collection c;
	struct similar_hit hits[5];
	(void)state;

	collection_init(&c);
	add(&c, "a", "颱風登陸沿海城市", story);
	add(&c, "b", "颱風登陸沿海城市", story);
	add(&c, "c", "颱風登陸沿海城市", story);
	add(&c, "d", "颱風過後城市重建", "颱風過後,沿海城市開始重建。居民返回家園,學校復課。");
	add(&c, "e", "股市收盤指數上漲", "科技股領漲,成交量放大,投資人信心回升。");
	collection_finish(&c);
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
		assert_float_equal(hits[i].score,
				   similar_score(ix, pos(&c, "q"), hits[i].article), 1e-5);
	similar_index_free(ix);
	collection_free(&c);
}

/* Building in small slices gives the index built at once; excerpts (headline and
 * snippet) are in it too. */
static void test_slices_same_as_whole(void **state)
{
	struct collection c;
	size_t n, steps = 0;
	char *seed = test_read_seed(&n);
	(void)state;

	collection_init(&c);
	assert_true(collection_add_buffer(&c, "seed.txt", "000_bc5b92f142057c5b", seed, n));
	free(seed);
	collection_finish(&c);
	struct similar_index *whole = similar_index_build(&c);
	struct similar_build *b = similar_build_start(&c);
	while (!similar_build_step(b, 100))
		steps++;
	struct similar_index *sliced = similar_build_finish(b);
	assert_true(steps > c.articles.n / 2);
	assert_int_equal(similar_index_bytes(whole), similar_index_bytes(sliced));
	for (size_t i = 0; i < c.articles.n; i++) {
		struct similar_hit h1[10], h2[10];
		size_t n1 = similar_query(whole, i, h1, 10), n2 = similar_query(sliced, i, h2, 10);
		assert_int_equal(n1, n2);
		for (size_t k = 0; k < n1; k++) {
			assert_int_equal(h1[k].article, h2[k].article);
			assert_float_equal(h1[k].score, h2[k].score, 0.0);
		}
	}
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
	size_t n, related, similar, cited;
	char *seed = test_read_seed(&n);
	(void)state;

	collection_init(&c);
	assert_true(collection_add_buffer(&c, "seed.txt", "000_bc5b92f142057c5b", seed, n));
	free(seed);
	collection_finish(&c);
	app_init(&a, &c, 40, 120);
	app_sync_pane(&a);
	assert_true(pane_has_line(&a.pane, "Similar stories: computing…", NULL));
	assert_int_equal(a.pane.nsimilar, 0);
	assert_int_equal(a.pane.nrelated, 20);
	app_apply(&a, ACTION_FOLLOW_N, 21);
	assert_int_equal(a.sel, 0); /* no story 21 yet */

	while (app_idle(&a))
		;
	assert_non_null(a.similar);
	assert_false(pane_has_line(&a.pane, "computing", NULL));
	assert_int_equal(a.pane.nsimilar, 5);
	assert_true(pane_has_line(&a.pane, "Related stories", &related));
	assert_true(pane_has_line(&a.pane, "Similar stories", &similar));
	assert_true(related < similar);
	assert_true(pane_has_line(&a.pane, "[21] ", &cited));
	assert_true(similar < cited);
	assert_true(pane_has_line(&a.pane, "[25] ", NULL));
	assert_false(pane_has_line(&a.pane, "[26] ", NULL));
	/* Each similar line carries its score ("· 0.xx"). */
	struct strbuf sb = {0};
	pane_line_text(&a.pane, cited, &sb);
	assert_non_null(strstr(sb_cstr(&sb), " · 0."));
	sb_free(&sb);
	/* 21 follows the first similar story. */
	struct similar_hit hits[5];
	assert_int_equal(similar_query(a.similar, 0, hits, 5), 5);
	app_apply(&a, ACTION_FOLLOW_N, 21);
	assert_int_equal(a.sel, hits[0].article);
	app_free(&a);
	collection_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identical_grouped),
		cmocka_unit_test(test_disjoint),
		cmocka_unit_test(test_variants_equal),
		cmocka_unit_test(test_ranking),
		cmocka_unit_test(test_slices_same_as_whole),
		cmocka_unit_test(test_reader_group),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
