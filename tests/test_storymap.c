/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_storymap.c: the story map's tree on hand-made collections (cycles, self links,
 * diamonds, the depth limit, the caps, the similar provider), its rows at a width with
 * wide-character titles, the history list, and the breadcrumb trail. */
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

#include "format.h"
#include "history.h"
#include "storymap.h"
#include "trail.h"

/* An article "title" dated date citing the titles in cites (NULL-terminated). */
static void add(struct collection *c, const char *title, const char *date, const char *const *cites)
{
	struct strbuf sb = {0};
	sb_printf(&sb, "%s\n\n%s Src\n\nBody.\n", title, date);
	if (cites && cites[0]) {
		sb_puts(&sb, "\n相關焦點\n\n");
		for (size_t i = 0; cites[i]; i++)
			sb_printf(&sb, "  • %s\n", cites[i]);
	}
	assert_true(fmt_native_add_buffer(c, title, title, sb.s, sb.n));
	sb_free(&sb);
}

#define CITES(...) ((const char *const[]){__VA_ARGS__, NULL})

static size_t pos(const struct collection *c, const char *title)
{
	const struct article *a = collection_find(c, title);
	assert_non_null(a);
	return collection_index(c, a);
}

/* Check that the map's rows read exactly want (NULL-terminated) at width. */
static void assert_rows(const struct storymap *m, int width, const char *const *want)
{
	struct strbuf sb = {0};
	size_t n = 0;
	while (want[n])
		n++;
	for (size_t i = 0; i < m->rows.n && i < n; i++) {
		sb_clear(&sb);
		storymap_row_text(m, i, width, &sb);
		if (strcmp(sb_cstr(&sb), want[i]) != 0)
			fail_msg("row %zu is '%s', expected '%s'", i, sb_cstr(&sb), want[i]);
	}
	assert_int_equal(m->rows.n, n);
	sb_free(&sb);
}

/* How many rows lead to article i, and how many of those carry mark. */
static size_t count_rows(const struct storymap *m, size_t i, enum storymap_mark mark,
			 size_t *marked)
{
	size_t n = 0;
	*marked = 0;
	for (size_t r = 0; r < m->rows.n; r++) {
		if (m->rows.v[r].article != i)
			continue;
		n++;
		*marked += m->rows.v[r].mark == mark;
	}
	return n;
}

static void test_cycle_a_b_a(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m;

	collection_init(&c);
	add(&c, "A", "2020-01-02", CITES("B"));
	add(&c, "B", "2020-01-01", CITES("A"));
	collection_finish(&c);
	storymap_build(&m, &c, pos(&c, "A"), NULL);
	assert_rows(&m, 80,
		    CITES("2020-01-02 A", "├─ Cites (1)", "│  └─ 2020-01-01 B",
			  "│     ├─ Cites (1)", "│     │  └─ 2020-01-02 A ↺",
			  "│     └─ Cited by (1)", "│        └─ 2020-01-02 A ↺", "└─ Cited by (1)",
			  "   └─ 2020-01-01 B (above)"));
	assert_int_equal(m.rows.v[0].kind, STORYMAP_ROOT);
	assert_int_equal(m.rows.v[1].kind, STORYMAP_GROUP);
	assert_int_equal(m.rows.v[1].rel, STORYMAP_CITES);
	assert_int_equal(m.rows.v[4].mark, STORYMAP_CYCLE);
	assert_int_equal(m.rows.v[4].article, pos(&c, "A"));
	assert_int_equal(m.rows.v[8].mark, STORYMAP_ABOVE);
	assert_int_equal(m.rows.v[8].rel, STORYMAP_CITED_BY);
	storymap_free(&m);
	collection_free(&c);
}

/* Maps built with one cache are the maps built without: its stamps never leak. */
static void test_cache_reused(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m, fresh;
	struct strbuf x = {0}, y = {0};

	collection_init(&c);
	add(&c, "A", "2020-01-04", CITES("B", "C"));
	add(&c, "B", "2020-01-03", CITES("D", "A"));
	add(&c, "C", "2020-01-02", CITES("D", "B"));
	add(&c, "D", "2020-01-01", CITES("A"));
	collection_finish(&c);
	struct storymap_opts o = {.cache = storymap_cache_new(&c)};
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < c.articles.n; i++) {
			storymap_build(&m, &c, i, &o);
			storymap_build(&fresh, &c, i, NULL);
			assert_int_equal(m.rows.n, fresh.rows.n);
			for (size_t r = 0; r < m.rows.n; r++) {
				sb_clear(&x);
				sb_clear(&y);
				storymap_row_text(&m, r, 80, &x);
				storymap_row_text(&fresh, r, 80, &y);
				assert_string_equal(sb_cstr(&x), sb_cstr(&y));
				assert_int_equal(m.rows.v[r].mark, fresh.rows.v[r].mark);
			}
			storymap_free(&m);
			storymap_free(&fresh);
		}
	}
	storymap_cache_free(o.cache);
	sb_free(&x);
	sb_free(&y);
	collection_free(&c);
}

static void test_self_link(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m;
	size_t marked;

	collection_init(&c);
	add(&c, "A", "2020-01-02", CITES("A", "A", "A"));
	collection_finish(&c);
	size_t a = pos(&c, "A");
	storymap_build(&m, &c, a, NULL);
	/* Listed three times, shown once, never expanded. */
	assert_rows(&m, 80, CITES("2020-01-02 A", "└─ Cites (1)", "   └─ 2020-01-02 A ↺"));
	assert_int_equal(count_rows(&m, a, STORYMAP_CYCLE, &marked), 2);
	assert_int_equal(marked, 1);
	storymap_free(&m);
	collection_free(&c);
}

static void test_diamond(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m;
	size_t marked;

	collection_init(&c);
	add(&c, "A", "2020-01-04", CITES("B", "C"));
	add(&c, "B", "2020-01-03", CITES("D"));
	add(&c, "C", "2020-01-02", CITES("D", "B"));
	add(&c, "D", "2020-01-01", NULL);
	collection_finish(&c);
	storymap_build(&m, &c, pos(&c, "A"), NULL);
	assert_rows(&m, 80,
		    CITES("2020-01-04 A", "└─ Cites (2)", "   ├─ 2020-01-03 B",
			  "   │  ├─ Cites (1)", "   │  │  └─ 2020-01-01 D", "   │  └─ Cited by (2)",
			  "   │     ├─ 2020-01-04 A ↺", "   │     └─ 2020-01-02 C (below)",
			  "   └─ 2020-01-02 C", "      ├─ Cites (2)", "      │  ├─ 2020-01-01 D",
			  "      │  └─ 2020-01-03 B (above)", "      └─ Cited by (1)",
			  "         └─ 2020-01-04 A ↺"));
	/* D is reached twice, at the depth limit: shown twice, expanded nowhere. */
	assert_int_equal(count_rows(&m, pos(&c, "D"), STORYMAP_PLAIN, &marked), 2);
	assert_int_equal(marked, 2);
	for (size_t r = 0; r < m.rows.n; r++)
		assert_true(m.rows.v[r].depth <= 2);
	storymap_free(&m);
	collection_free(&c);
}

static void test_depth_limit(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m;
	size_t marked;

	collection_init(&c);
	add(&c, "A", "2020-01-04", CITES("B"));
	add(&c, "B", "2020-01-03", CITES("C"));
	add(&c, "C", "2020-01-02", CITES("D"));
	add(&c, "D", "2020-01-01", NULL);
	collection_finish(&c);
	storymap_build(&m, &c, pos(&c, "A"), NULL);
	assert_int_equal(count_rows(&m, pos(&c, "B"), STORYMAP_PLAIN, &marked), 1);
	assert_int_equal(count_rows(&m, pos(&c, "C"), STORYMAP_PLAIN, &marked), 1);
	assert_int_equal(count_rows(&m, pos(&c, "D"), STORYMAP_PLAIN, &marked), 0);
	storymap_free(&m);

	/* From the middle, both directions: B and D around C, A and nothing past D. */
	storymap_build(&m, &c, pos(&c, "C"), NULL);
	assert_int_equal(count_rows(&m, pos(&c, "A"), STORYMAP_PLAIN, &marked), 1);
	assert_int_equal(count_rows(&m, pos(&c, "D"), STORYMAP_PLAIN, &marked), 1);
	storymap_free(&m);
	collection_free(&c);
}

static void test_child_cap(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m;
	struct strbuf sb = {0};
	char title[32];
	char *names[30];
	const char *cites[31];

	collection_init(&c);
	/* A cites 30 stories, each of which cites B; B is cited 30 times. */
	for (int i = 0; i < 30; i++) {
		snprintf(title, sizeof title, "S%02d", i);
		cites[i] = names[i] = xstrdup(title);
		add(&c, title, "2020-01-02", CITES("B"));
	}
	cites[30] = NULL;
	add(&c, "A", "2020-01-03", cites);
	add(&c, "B", "2020-01-01", NULL);
	collection_finish(&c);
	struct storymap_opts o = {.cap_root = 5, .cap_child = 3};
	storymap_build(&m, &c, pos(&c, "A"), &o);
	storymap_row_text(&m, 1, 80, &sb);
	assert_string_equal(sb_cstr(&sb), "└─ Cites (30)");
	size_t more = 0, shown = 0;
	for (size_t r = 0; r < m.rows.n; r++) {
		if (m.rows.v[r].kind == STORYMAP_MORE && m.rows.v[r].depth == 1) {
			more++;
			assert_int_equal(m.rows.v[r].count, 25);
			sb_clear(&sb);
			storymap_row_text(&m, r, 80, &sb);
			assert_string_equal(sb_cstr(&sb), "   └─ … 25 more");
		}
		shown += m.rows.v[r].kind == STORYMAP_ARTICLE && m.rows.v[r].depth == 1;
	}
	assert_int_equal(more, 1);
	assert_int_equal(shown, 5);
	storymap_free(&m);

	/* B's 30 citers, capped at 3 under the root and 3 under each of them... */
	storymap_build(&m, &c, pos(&c, "B"), &o);
	sb_clear(&sb);
	storymap_row_text(&m, 1, 80, &sb);
	assert_string_equal(sb_cstr(&sb), "└─ Cited by (30)");
	/* ...and at the defaults the map stays far below 30 x 30 rows. */
	storymap_free(&m);
	storymap_build(&m, &c, pos(&c, "B"), NULL);
	assert_true(m.rows.n <= 1 + 2 + 30 * (1 + 2 + 2 * STORYMAP_CAP_CHILD));
	storymap_free(&m);

	for (int i = 0; i < 30; i++)
		free(names[i]);
	sb_free(&sb);
	collection_free(&c);
}

/* 10,000 related entries (the loader keeps 1,000), half of them distinct: the caps
 * bound the map. */
static void test_ten_thousand_related(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m;
	struct strbuf sb = {0};

	collection_init(&c);
	sb_puts(&sb, "Hub\n\n2020-01-01 Src\n\nBody.\n\n相關焦點\n\n");
	for (int i = 0; i < 10000; i++)
		sb_printf(&sb, "  • Missing %d\n", i % 5000 / 10);
	assert_true(fmt_native_add_buffer(&c, "hub", "hub", sb.s, sb.n));
	collection_finish(&c);
	storymap_build(&m, &c, pos(&c, "Hub"), NULL);
	sb_clear(&sb);
	storymap_row_text(&m, 1, 80, &sb);
	/* Entries 0-999: "Missing 0" to "Missing 99", ten times each. */
	assert_string_equal(sb_cstr(&sb), "└─ Cites (100)");
	assert_int_equal(m.rows.v[m.rows.n - 1].kind, STORYMAP_ARTICLE);
	storymap_free(&m);
	struct storymap_opts o = {.cap_root = 40};
	storymap_build(&m, &c, pos(&c, "Hub"), &o);
	assert_int_equal(m.rows.v[m.rows.n - 1].kind, STORYMAP_MORE);
	assert_int_equal(m.rows.v[m.rows.n - 1].count, 60);
	assert_int_equal(m.rows.n, 1 + 1 + 40 * 3 + 1);
	storymap_free(&m);
	storymap_build(&m, &c, pos(&c, "Hub"), NULL);
	/* Each excerpt is expanded: "Cited by (1)" and the hub again. */
	assert_int_equal(m.rows.n, 1 + 1 + 100 * 3);
	storymap_free(&m);
	sb_free(&sb);
	collection_free(&c);
}

/* A provider that says every article is similar to the next two, to itself and to an
 * article that does not exist. */
static size_t next_two(void *ctx, size_t article, size_t *out, size_t k)
{
	size_t n = *(size_t *)ctx, w = 0;
	size_t cand[] = {(article + 1) % n, article, (article + 2) % n, n + 7};
	for (size_t i = 0; i < 4 && w < k; i++)
		out[w++] = cand[i];
	return w;
}

static void test_similar_provider(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m;

	collection_init(&c);
	add(&c, "A", "2020-01-03", CITES("B"));
	add(&c, "B", "2020-01-02", NULL);
	add(&c, "C", "2020-01-01", NULL);
	collection_finish(&c);
	size_t n = c.articles.n;
	storymap_build(&m, &c, pos(&c, "A"), NULL);
	assert_rows(&m, 80,
		    CITES("2020-01-03 A", "└─ Cites (1)", "   └─ 2020-01-02 B",
			  "      └─ Cited by (1)", "         └─ 2020-01-03 A ↺"));
	storymap_free(&m);

	struct storymap_opts o = {.similar = next_two, .ctx = &n};
	storymap_build(&m, &c, pos(&c, "A"), &o);
	assert_rows(&m, 80,
		    CITES("2020-01-03 A", "├─ Cites (1)", "│  └─ 2020-01-02 B",
			  "│     ├─ Cited by (1)", "│     │  └─ 2020-01-03 A ↺",
			  "│     └─ Similar (2)", "│        ├─ 2020-01-01 C (below)",
			  "│        └─ 2020-01-03 A ↺", "└─ Similar (2)",
			  "   ├─ 2020-01-02 B (above)", "   └─ 2020-01-01 C",
			  "      └─ Similar (2)", "         ├─ 2020-01-03 A ↺",
			  "         └─ 2020-01-02 B (above)"));
	assert_int_equal(m.rows.v[8].rel, STORYMAP_SIMILAR);
	storymap_free(&m);
	collection_free(&c);
}

/* Columns of row i as laid out at width, from its spans. */
static int row_cols(const struct storymap *m, size_t i, int width, int *text_col)
{
	struct storymap_span sp[STORYMAP_MAX_SPANS];
	size_t n = storymap_fit(m, i, width, sp);
	int end = 0;
	*text_col = -1;
	for (size_t s = 0; s < n; s++) {
		int col = sp[s].col;
		assert_true(col >= end); /* spans in order, no overlap */
		if (sp[s].seg == STORYMAP_SEG_TEXT)
			*text_col = col;
		for (size_t k = sp[s].first; k < sp[s].first + sp[s].count; k++)
			col += storymap_cluster_cols(&sp[s].src->cl[k]);
		end = col;
	}
	return end;
}

static void test_wide_titles(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m;
	struct strbuf sb = {0};

	collection_init(&c);
	add(&c, "中文標題很長很長的新聞報導", "2020-01-02", CITES("寬字元", "不在集合裡的新聞"));
	add(&c, "寬字元", "2020-01-01", NULL);
	collection_finish(&c);
	storymap_build(&m, &c, pos(&c, "中文標題很長很長的新聞報導"), NULL);
	assert_rows(&m, 80,
		    CITES("2020-01-02 中文標題很長很長的新聞報導", "└─ Cites (2)",
			  "   ├─ 2020-01-01 寬字元", "   │  └─ Cited by (1)",
			  "   │     └─ 2020-01-02 中文標題很長很長的新聞報導 ↺",
			  "   └─ excerpt    不在集合裡的新聞", "      └─ Cited by (1)",
			  "         └─ 2020-01-02 中文標題很長很長的新聞報導 ↺"));
	/* A dated title and an excerpt's line up under each other. */
	int a, b;
	row_cols(&m, 2, 80, &a);
	row_cols(&m, 5, 80, &b);
	assert_int_equal(a, 17);
	assert_int_equal(b, 17);

	/* Cut at a cell boundary, the mark kept: 12 + 11 columns, then in 31 two wide
	 * characters fit before "…" and " ↺" (3 columns), in 34 four. */
	storymap_row_text(&m, 4, 31, &sb);
	assert_string_equal(sb_cstr(&sb), "   │     └─ 2020-01-02 中文… ↺");
	sb_clear(&sb);
	storymap_row_text(&m, 4, 34, &sb);
	assert_string_equal(sb_cstr(&sb), "   │     └─ 2020-01-02 中文標題… ↺");
	sb_clear(&sb);
	storymap_row_text(&m, 4, 35, &sb); /* an odd column left: not half a character */
	assert_string_equal(sb_cstr(&sb), "   │     └─ 2020-01-02 中文標題… ↺");

	/* At every width every row fits. */
	for (int w = 1; w <= 60; w++)
		for (size_t i = 0; i < m.rows.n; i++) {
			int col;
			assert_true(row_cols(&m, i, w, &col) <= w);
		}
	sb_free(&sb);
	storymap_free(&m);
	collection_free(&c);
}

/* A title cut where a space ends what fits: "…" right after its last character. */
static void test_cut_after_space(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m;
	struct strbuf sb = {0};

	collection_init(&c);
	add(&c, "新聞 標題很長很長的報導", "2020-01-02", CITES("寬字元"));
	add(&c, "寬字元", "2020-01-01", NULL);
	collection_finish(&c);
	storymap_build(&m, &c, pos(&c, "新聞 標題很長很長的報導"), NULL);
	for (int w = 17; w <= 18; w++) {
		sb_clear(&sb);
		storymap_row_text(&m, 0, w, &sb);
		assert_string_equal(sb_cstr(&sb), "2020-01-02 新聞…");
	}
	sb_free(&sb);
	storymap_free(&m);
	collection_free(&c);
}

/* Titles with control characters reach the rows sanitized. */
static void test_hostile_title(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m;
	struct strbuf sb = {0};

	collection_init(&c);
	add(&c,
	    "Evil \033]0;PWNED\007 \xe2\x80\xae"
	    "X",
	    "2020-01-02", NULL);
	collection_finish(&c);
	storymap_build(&m, &c, 0, NULL);
	storymap_row_text(&m, 0, 80, &sb);
	assert_null(strchr(sb_cstr(&sb), '\033'));
	assert_null(strchr(sb_cstr(&sb), '\007'));
	assert_null(strstr(sb_cstr(&sb), "\xe2\x80\xae"));
	assert_non_null(strstr(sb_cstr(&sb), "^["));
	sb_free(&sb);
	storymap_free(&m);
	collection_free(&c);
}

static void test_list(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m;

	collection_init(&c);
	add(&c, "A", "2020-01-02", NULL);
	add(&c, "新聞", "2020-01-01", NULL);
	collection_finish(&c);
	size_t v[] = {pos(&c, "A"), pos(&c, "新聞"), pos(&c, "A")};
	storymap_build_list(&m, &c, v, 3, 1, CONVERT_ORIGINAL);
	assert_rows(&m, 80,
		    CITES("  2020-01-02 A", "> 2020-01-01 新聞 (current)", "  2020-01-02 A"));
	assert_int_equal(m.rows.v[2].article, pos(&c, "A"));
	assert_int_equal(storymap_next_article(&m, 0, 1), 0);
	storymap_free(&m);
	collection_free(&c);
}

static void test_next_article(void **state)
{
	(void)state;
	struct collection c;
	struct storymap m;

	collection_init(&c);
	add(&c, "A", "2020-01-02", CITES("B"));
	add(&c, "B", "2020-01-01", NULL);
	collection_finish(&c);
	storymap_build(&m, &c, pos(&c, "A"), NULL);
	/* Rows: A, Cites (1), B, Cited by (1), A ↺. */
	assert_int_equal(storymap_next_article(&m, 1, 1), 2);
	assert_int_equal(storymap_next_article(&m, 3, 1), 4);
	assert_int_equal(storymap_next_article(&m, 3, -1), 2);
	assert_int_equal(storymap_next_article(&m, 1, -1), 0);
	assert_int_equal(storymap_next_article(&m, 5, 1), SIZE_MAX);
	storymap_free(&m);
	collection_free(&c);
}

/* ---- The breadcrumb trail ---- */

static void trail_at(struct collection *c, const char *const *titles, size_t current, int width,
		     struct strbuf *out)
{
	const struct article *v[HISTORY_MAX];
	size_t n = 0;
	struct trail t;
	for (; titles[n]; n++)
		v[n] = collection_find(c, titles[n]);
	trail_build(&t, v, n, current, CONVERT_ORIGINAL, width);
	sb_clear(out);
	trail_text(&t, out);
	assert_true(t.cols <= width);
	/* Only the current entry's pieces are marked current. */
	for (size_t k = 0; k < t.v.n; k++)
		if (t.v.v[k].role == TRAIL_CURRENT && t.v.v[k].count && t.v.v[k].src.text.n &&
		    t.v.v[k].src.text.s[0] != (char)0xe2) /* not "…" */
			assert_memory_equal(t.v.v[k].src.text.s, titles[current],
					    t.v.v[k].src.cl[0].len);
	trail_free(&t);
}

static void test_trail(void **state)
{
	(void)state;
	struct collection c;
	struct strbuf sb = {0};
	struct strbuf longt = {0};

	collection_init(&c);
	add(&c, "A", "2020-01-05", NULL);
	add(&c, "B", "2020-01-04", NULL);
	add(&c, "C", "2020-01-03", NULL);
	add(&c, "新聞標題", "2020-01-02", NULL);
	for (int i = 0; i < 40; i++)
		sb_puts(&longt, "長");
	add(&c, longt.s, "2020-01-01", NULL);
	add(&c, "abcdefghijklmnopqrstuv wxyz", "2020-01-01", NULL);
	collection_finish(&c);

	const char *const *abcd = CITES("A", "B", "C", "新聞標題");
	trail_at(&c, abcd, 2, 80, &sb);
	assert_string_equal(sb_cstr(&sb), "A › B › C › 新聞標題");
	/* Too narrow: dropped from the left, the current one kept. */
	trail_at(&c, abcd, 2, 18, &sb);
	assert_string_equal(sb_cstr(&sb), "… › C › 新聞標題");
	/* Narrower still: from the right of the current one too. */
	trail_at(&c, abcd, 2, 12, &sb);
	assert_string_equal(sb_cstr(&sb), "… › C › …");
	trail_at(&c, abcd, 2, 3, &sb);
	assert_string_equal(sb_cstr(&sb), "… ›");
	/* A long title ends with "…" at TRAIL_TITLE_COLS columns. */
	trail_at(&c, CITES("A", longt.s), 0, 80, &sb);
	assert_string_equal(sb_cstr(&sb), "A › 長長長長長長長長長長長…");
	/* Cut after a space: "…" right after the last letter. */
	trail_at(&c, CITES("A", "abcdefghijklmnopqrstuv wxyz"), 0, 80, &sb);
	assert_string_equal(sb_cstr(&sb), "A › abcdefghijklmnopqrstuv…");
	/* Wide characters never cut in half: 新聞標題 in 5 columns is 新聞…. */
	const struct article *v[] = {collection_find(&c, "新聞標題")};
	struct trail t;
	trail_build(&t, v, 1, 0, CONVERT_ORIGINAL, 5);
	sb_clear(&sb);
	trail_text(&t, &sb);
	assert_string_equal(sb_cstr(&sb), "新聞…");
	assert_int_equal(t.cols, 5);
	trail_free(&t);
	trail_build(&t, v, 1, 0, CONVERT_ORIGINAL, 4);
	sb_clear(&sb);
	trail_text(&t, &sb);
	assert_string_equal(sb_cstr(&sb), "新…");
	assert_int_equal(t.cols, 3);
	trail_free(&t);
	for (int w = 1; w <= 100; w++)
		for (size_t cur = 0; cur < 4; cur++)
			trail_at(&c, abcd, cur, w, &sb);

	/* A long trail (the history's bound) at 40 columns: the current one in the middle
	 * of the 8 entries that fit, elided on both sides. */
	const char *many[HISTORY_MAX + 1];
	for (size_t k = 0; k < HISTORY_MAX; k++)
		many[k] = k % 2 ? "A" : "B";
	many[100] = "C";
	many[HISTORY_MAX] = NULL;
	trail_at(&c, many, 100, 40, &sb);
	assert_string_equal(sb_cstr(&sb), "… › A › B › A › C › A › B › A › B › …");
	sb_free(&sb);
	sb_free(&longt);
	collection_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cycle_a_b_a),
		cmocka_unit_test(test_self_link),
		cmocka_unit_test(test_cache_reused),
		cmocka_unit_test(test_diamond),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_child_cap),
		cmocka_unit_test(test_ten_thousand_related),
		cmocka_unit_test(test_similar_provider),
		cmocka_unit_test(test_wide_titles),
		cmocka_unit_test(test_cut_after_space),
		cmocka_unit_test(test_hostile_title),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_next_article),
		cmocka_unit_test(test_trail),
	};
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
