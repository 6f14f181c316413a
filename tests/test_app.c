/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_app.c: the reader's state machine, the pane and the renderer, without curses. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "format.h"
#include "testutil.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "app.h"
#include "render.h"

static const char *seed_title = "四川新聞丨做實社會治理 閬中下足繡花功夫";
static const char *third_headline = "港北區:下足「繡花」功夫 打贏脫貧硬仗";

static bool str_is(struct str s, const char *want)
{
	return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

static const struct article *shown(const struct test_app *f)
{
	return f->c.articles.v[f->app.list.sel];
}

static bool screen_contains(struct test_app *f, const char *needle)
{
	for (int y = 0; y < f->app.rows; y++)
		if (strstr(test_app_row(f, y), needle))
			return true;
	return false;
}

static void test_open_follow_back_forward(void **state)
{
	struct test_app *f = *state;

	assert_true(str_is(shown(f)->title, seed_title));
	assert_int_equal(f->app.focus, FOCUS_LIST);
	app_apply(&f->app, ACTION_OPEN, 0);
	assert_int_equal(f->app.focus, FOCUS_PANE);

	app_apply(&f->app, ACTION_FOLLOW_N, 3);
	assert_true(str_is(shown(f)->title, third_headline));
	assert_int_equal(shown(f)->kind, ARTICLE_EXCERPT);

	app_apply(&f->app, ACTION_BACK, 0);
	assert_true(str_is(shown(f)->title, seed_title));
	app_apply(&f->app, ACTION_BACK, 0);
	assert_true(str_is(shown(f)->title, seed_title));
	assert_non_null(strstr(f->app.message, "oldest"));

	app_apply(&f->app, ACTION_FORWARD, 0);
	assert_true(str_is(shown(f)->title, third_headline));
	app_apply(&f->app, ACTION_FORWARD, 0);
	assert_non_null(strstr(f->app.message, "newest"));
}

static void test_back_restores_scroll_and_link(void **state)
{
	struct test_app *f = *state;

	app_apply(&f->app, ACTION_OPEN, 0);
	for (int i = 0; i < 5; i++)
		app_apply(&f->app, ACTION_NEXT_LINK, 0);
	assert_int_equal(f->app.pane.link, 4);
	size_t scroll = f->app.pane.scroll;
	assert_true(scroll > 0); /* the links are below the first screen */
	app_apply(&f->app, ACTION_OPEN, 0);
	assert_ptr_equal(shown(f), f->c.articles.v[f->c.articles.v[0]->related.v[4].target]);
	app_apply(&f->app, ACTION_BACK, 0);
	assert_true(str_is(shown(f)->title, seed_title));
	assert_int_equal(f->app.pane.scroll, scroll);
	assert_int_equal(f->app.pane.link, 4);
}

static void test_follow_missing_link_says_so(void **state)
{
	struct test_app *f = *state;
	app_apply(&f->app, ACTION_OPEN, 0);
	app_apply(&f->app, ACTION_FOLLOW_N, 3);
	/* An excerpt has no related stories of its own. */
	app_apply(&f->app, ACTION_FOLLOW_N, 1);
	assert_true(str_is(shown(f)->title, third_headline));
	assert_non_null(strstr(f->app.message, "No related story 1"));
}

static void test_list_moves_and_quit(void **state)
{
	struct test_app *f = *state;
	size_t n = f->c.articles.n;

	app_key(&f->app, 'j');
	assert_int_equal(f->app.list.sel, 1);
	app_key(&f->app, 'G');
	assert_int_equal(f->app.list.sel, n - 1);
	app_key(&f->app, KEYC_DOWN);
	assert_int_equal(f->app.list.sel, n - 1);
	app_key(&f->app, 'g');
	assert_int_equal(f->app.list.sel, 0);
	app_key(&f->app, KEYC_RETURN);
	assert_int_equal(f->app.focus, FOCUS_PANE);
	app_key(&f->app, 'J');
	assert_int_equal(f->app.list.sel, 1);
	app_key(&f->app, 'K');
	assert_int_equal(f->app.list.sel, 0);
	app_key(&f->app, 'q');
	assert_int_equal(f->app.focus, FOCUS_LIST);
	assert_false(f->app.quit);
	app_key(&f->app, 'q');
	assert_true(f->app.quit);
}

static void test_pane_scrolls_within_bounds(void **state)
{
	struct test_app *f = *state;
	app_key(&f->app, KEYC_RETURN);
	app_key(&f->app, 'G');
	size_t bottom = f->app.pane.scroll;
	assert_true(bottom > 0);
	app_key(&f->app, ' ');
	assert_int_equal(f->app.pane.scroll, bottom);
	app_key(&f->app, 'k');
	assert_int_equal(f->app.pane.scroll, bottom - 1);
	app_key(&f->app, 'g');
	assert_int_equal(f->app.pane.scroll, 0);
	app_key(&f->app, 'b');
	assert_int_equal(f->app.pane.scroll, 0);
}

static void test_render_side_by_side(void **state)
{
	struct test_app *f = *state;
	struct app_geometry g;

	app_geometry(&f->app, &g);
	assert_true(g.side_by_side);
	const char *row0 = test_app_row(f, 0);
	assert_non_null(strstr(row0, "│ 四川新聞丨做實社會治理 閬中下足繡花功夫"));
	assert_non_null(strstr(test_app_row(f, 1), "│ 2020-11-21 · 四川觀察"));
	assert_non_null(strstr(test_app_row(f, 39), "Article 1/21"));
}

/* A title cut by the list column ends with "…" right after its last whole cell, as
 * the story map's do; one that fits is shown whole. */
static void test_list_cut_title_ellipsis(void **state)
{
	struct test_app *f = *state;
	struct app_geometry g;

	app_geometry(&f->app, &g);
	const char *row0 = test_app_row(f, 0);
	/* the seed's title is 39 columns; the list leaves it 35 */
	assert_non_null(strstr(row0, " 2020-11-21  四川新聞丨做實社會治理 閬中下足繡… │"));
	app_resize(&f->app, 40, 300);
	assert_non_null(strstr(test_app_row(f, 0), "四川新聞丨做實社會治理 閬中下足繡花功夫  "));
	assert_null(strstr(test_app_row(f, 0), "功夫…"));
}

/* Titles the list column cuts: Latin with spaces, wide characters, combining marks,
 * flags (two code points a cell pair) and a ZWJ family (the sanitizer drops the ZWJ:
 * three emoji), and what each shows when whole. */
static const char *const cut_titles[] = {
	"ab cd ef gh ij kl mn op qr st",
	"中文標題中文標題中文標題中文標題中文標題",
	"Cafe\xcc\x81 re\xcc\x81sume\xcc\x81 Cafe\xcc\x81 re\xcc\x81sume\xcc\x81 Cafe\xcc\x81",
	"🇹🇼🇯🇵🇹🇼🇯🇵🇹🇼🇯🇵🇹🇼🇯🇵🇹🇼🇯🇵🇹🇼🇯🇵",
	"👨\u200d👩\u200d👧👨\u200d👩\u200d👧👨\u200d👩\u200d👧👨\u200d👩\u200d👧",
};
static const char *const cut_shown[] = {
	"ab cd ef gh ij kl mn op qr st",
	"中文標題中文標題中文標題中文標題中文標題",
	"Cafe\xcc\x81 re\xcc\x81sume\xcc\x81 Cafe\xcc\x81 re\xcc\x81sume\xcc\x81 Cafe\xcc\x81",
	"🇹🇼🇯🇵🇹🇼🇯🇵🇹🇼🇯🇵🇹🇼🇯🇵🇹🇼🇯🇵🇹🇼🇯🇵",
	"👨👩👧👨👩👧👨👩👧👨👩👧",
};

/* The list row of title k as drawn: without the margin, the pane beside it and the
 * trailing blanks. */
static const char *list_title_row(struct test_app *f, int k, struct strbuf *sb)
{
	const char *row = test_app_row(f, k), *bar = strstr(row, "│");

	sb_clear(sb);
	sb_append(sb, row + 1, (size_t)((bar ? bar : row + strlen(row)) - row) - 1);
	while (sb->n && sb->s[sb->n - 1] == ' ')
		sb->s[--sb->n] = '\0';
	return sb_cstr(sb);
}

/* Whether byte n of the shown title s is a cell boundary: not inside a cluster (before
 * a combining mark, between the two regional indicators of a flag). */
static bool cut_at_boundary(const char *s, size_t n, int k)
{
	if (strncmp(s + n, "\xcc\x81", 2) == 0)
		return false;
	return k != 3 || n % 8 == 0;
}

/* The list column cuts every kind of title at a cell boundary and ends it with "…" right
 * after its last character, a space before it left out (ab cd ef gh ij kl…, Café…), at
 * every width: never half a character, a combining mark or a flag. */
static void test_list_cut_clusters(void **state)
{
	struct test_app *f = test_app_new();
	struct strbuf sb = {0};

	(void)state;
	for (size_t k = 0; k < ARRAY_LEN(cut_titles); k++) {
		char id[8];
		snprintf(id, sizeof id, "t%zu", k);
		struct article_fields fl = {.title = {cut_titles[k], strlen(cut_titles[k])},
					    .date = {"", 0},
					    .source = {"", 0},
					    .body = {"正文", 6}};
		assert_true(format_add_fields(&f->c, id, 1, id, NULL, &fl));
	}
	collection_finish(&f->c);
	test_app_start(f, 40, 20);
	assert_string_equal(list_title_row(f, 0, &sb), "ab cd ef gh ij kl…");
	assert_string_equal(list_title_row(f, 1, &sb), "中文標題中文標題…");
	assert_string_equal(list_title_row(f, 2, &sb),
			    "Cafe\xcc\x81 re\xcc\x81sume\xcc\x81 Cafe\xcc\x81…");
	assert_string_equal(list_title_row(f, 3, &sb), "🇹🇼🇯🇵🇹🇼🇯🇵🇹🇼🇯🇵🇹🇼🇯🇵…");
	assert_string_equal(list_title_row(f, 4, &sb), "👨👩👧👨👩👧👨👩…");
	for (int w = 20; w <= 120; w++) {
		app_resize(&f->app, 40, w);
		for (int k = 0; k < (int)ARRAY_LEN(cut_titles); k++) {
			const char *t = list_title_row(f, k, &sb), *want = cut_shown[k];
			size_t n = strlen(t), ell = strlen("…");
			bool ok = strcmp(t, want) == 0;

			if (!ok && n >= ell && strcmp(t + n - ell, "…") == 0) {
				n -= ell;
				ok = strncmp(t, want, n) == 0 && (n == 0 || t[n - 1] != ' ') &&
				     cut_at_boundary(want, n, k);
			}
			if (!ok)
				print_error("width %d, title %d: \"%s\"\n", w, k, t);
			assert_true(ok);
		}
	}
	sb_free(&sb);
	test_app_free(f);
}

static void test_render_below_when_narrow(void **state)
{
	struct test_app *f = *state;
	struct app_geometry g;

	app_resize(&f->app, 30, 60);
	app_geometry(&f->app, &g);
	assert_false(g.side_by_side);
	assert_true(g.pane.y > g.list.y);
	assert_non_null(strstr(test_app_row(f, g.sep.y), "──────"));
	assert_non_null(strstr(test_app_row(f, g.pane.y), "四川新聞丨做實社會治理"));
}

static void test_too_small(void **state)
{
	struct test_app *f = *state;
	app_resize(&f->app, 3, 30);
	assert_string_equal(test_app_row(f, 0), "terminal too small");
	app_resize(&f->app, 1, 1);
	assert_string_equal(test_app_row(f, 0), "t");
}

static void test_help_from_keymap(void **state)
{
	struct test_app *f = *state;
	app_key(&f->app, '?');
	assert_true(f->app.help.shown);
	assert_true(screen_contains(f, keymap_description(ACTION_FOLLOW_N)));
	assert_true(screen_contains(f, keymap_description(ACTION_BACK)));
	app_key(&f->app, 'q');
	assert_false(f->app.help.shown);
	assert_false(f->app.quit);
}

/* On a narrow screen descriptions wrap under their own column, and G reaches the end. */
static void test_help_wraps_and_scrolls(void **state)
{
	struct test_app *f = *state;
	char indent[64];
	int hang = keymap_help_indent();

	app_resize(&f->app, 10, 50);
	app_key(&f->app, '?');
	render(&f->app, &f->grid);
	assert_true(f->app.help.rows > ACTION_COUNT - 1);
	memset(indent, ' ', (size_t)hang);
	indent[hang] = '\0';
	assert_int_equal(strncmp(test_app_row(f, 1), indent, (size_t)hang), 0);
	assert_true(test_app_row(f, 1)[hang] != ' ');
	app_key(&f->app, 'G');
	/* The help ends with the prompt's keys. */
	assert_non_null(strstr(test_app_row(f, 8), "(PCRE2)"));
	assert_false(screen_contains(f, keymap_description(ACTION_DOWN)));
}

/* The help's rows are counted again when the screen narrows while it is shown (no
 * drawing in between): G still reaches its end. */
static void test_help_rows_follow_resize(void **state)
{
	struct test_app *f = *state;

	app_resize(&f->app, 10, 200);
	app_key(&f->app, '?');
	size_t wide = f->app.help.rows;
	app_resize(&f->app, 10, 50);
	assert_true(f->app.help.rows > wide);
	app_key(&f->app, 'G');
	render(&f->app, &f->grid);
	assert_non_null(strstr(test_app_row(f, 8), "(PCRE2)"));
}

static void test_mouse(void **state)
{
	struct test_app *f = *state;
	struct app_geometry g;

	app_geometry(&f->app, &g);
	app_click(&f->app, g.list.y + 2, g.list.x + 3);
	assert_int_equal(f->app.list.sel, 2);
	assert_int_equal(f->app.focus, FOCUS_PANE);

	app_click(&f->app, g.list.y, g.list.x + 3);
	assert_int_equal(f->app.list.sel, 0);
	app_apply(&f->app, ACTION_NEXT_LINK, 0);
	size_t line = f->app.pane.shown.link_line.v[0];
	app_geometry(&f->app, &g); /* two places visited: the trail now heads the pane */
	assert_int_equal(g.trail.h, 1);
	app_click(&f->app, g.pane.y + (int)(line - f->app.pane.scroll), g.pane.x + 4);
	assert_ptr_equal(shown(f), f->c.articles.v[f->c.articles.v[0]->related.v[0].target]);

	app_apply(&f->app, ACTION_BACK, 0);
	app_wheel(&f->app, g.pane.y, g.pane.x, 3);
	assert_int_equal(f->app.list.sel, 0);
}

/* Every size from 1x1 up: no crash, every wide cell has its continuation on the row. */
static void test_render_every_size(void **state)
{
	struct test_app *f = *state;
	app_key(&f->app, KEYC_RETURN);
	app_key(&f->app, KEYC_TAB);
	for (int rows = 1; rows <= 45; rows += 2)
		for (int cols = 1; cols <= 130; cols++) {
			app_resize(&f->app, rows, cols);
			render(&f->app, &f->grid);
			for (int y = 0; y < rows; y++)
				for (int x = 0; x < cols; x++) {
					const struct cell *c = grid_at(&f->grid, y, x);
					if (c->width == 2) {
						assert_true(x + 1 < cols);
						assert_int_equal(grid_at(&f->grid, y, x + 1)->width,
								 0);
					}
					for (int k = 0; k < c->ncp; k++)
						assert_true(c->cp[k] >= 0x20 && c->cp[k] != 0x7f);
				}
		}
}

/* How many articles hold needle in their title or text, counted without the search code. */
static size_t articles_containing(const struct collection *c, const char *needle)
{
	size_t count = 0;
	for (size_t i = 0; i < c->articles.n; i++) {
		struct strbuf t = {0};
		const struct article *a = c->articles.v[i];
		sb_append(&t, a->title.p, a->title.n);
		sb_putc(&t, '\n');
		sb_append(&t, a->body.p, a->body.n);
		count += strstr(sb_cstr(&t), needle) != NULL;
		sb_free(&t);
	}
	return count;
}

static void test_filter_as_you_type(void **state)
{
	struct test_app *f = *state;
	size_t want = articles_containing(&f->c, "繡花功夫");

	assert_true(want > 1 && want < f->c.articles.n);
	app_key(&f->app, '/');
	assert_int_equal(f->app.prompt.kind, PROMPT_FILTER);
	test_type(&f->app, "繡");
	assert_true(f->app.list.filtered);
	assert_true(f->app.list.view.n >= want);
	test_type(&f->app, "花功夫");
	assert_int_equal(f->app.list.view.n, want);
	assert_true(screen_contains(f, "/繡花功夫"));
	app_key(&f->app, KEYC_RETURN);
	assert_int_equal(f->app.prompt.kind, PROMPT_OFF);
	assert_true(f->app.list.filtered);
	/* Every row of the list is a match, and the count is on the status line. */
	char count[64];
	snprintf(count, sizeof count, "Filter: %zu of %zu", want, f->c.articles.n);
	assert_true(screen_contains(f, count));
	for (size_t row = 0; row < app_list_count(&f->app); row++) {
		const struct article *a = f->c.articles.v[app_list_article(&f->app, row)];
		assert_true(memmem(a->title.p, a->title.n, "繡花", strlen("繡花")) ||
			    memmem(a->body.p, a->body.n, "繡花功夫", strlen("繡花功夫")));
	}
	/* j moves within the matches only. */
	size_t second = app_list_article(&f->app, 1);
	app_key(&f->app, 'j');
	assert_int_equal(f->app.list.sel, second);

	/* Esc shows all again; n then goes from match to match in the whole list. */
	app_key(&f->app, KEYC_ESC);
	assert_false(f->app.list.filtered);
	assert_int_equal(app_list_count(&f->app), f->c.articles.n);
	app_key(&f->app, 'g');
	app_key(&f->app, 'n');
	assert_int_equal(f->app.list.sel, second);
	app_key(&f->app, 'N');
	assert_int_equal(f->app.list.sel, 0);
}

static void test_filter_empty_and_cancel(void **state)
{
	struct test_app *f = *state;

	app_key(&f->app, '/');
	test_type(&f->app, "閬中");
	assert_true(f->app.list.filtered);
	app_key(&f->app, KEYC_BSPACE);
	app_key(&f->app, KEYC_BSPACE);
	app_settle(&f->app);
	assert_int_equal(f->app.prompt.input.n, 0);
	assert_false(f->app.list.filtered);
	test_type(&f->app, "閬");
	app_key(&f->app, KEYC_ESC);
	assert_int_equal(f->app.prompt.kind, PROMPT_OFF);
	assert_false(f->app.list.filtered);

	/* Nothing matches: the filter shows nothing while typing, all after Enter. */
	app_key(&f->app, '/');
	test_type(&f->app, "zzzz-not-there");
	assert_true(f->app.list.filtered);
	assert_int_equal(f->app.list.view.n, 0);
	render(&f->app, &f->grid); /* an empty list draws */
	app_key(&f->app, KEYC_RETURN);
	assert_false(f->app.list.filtered);
	assert_non_null(strstr(f->app.message, "No headline matches"));
}

static void test_prompt_input_rules(void **state)
{
	struct test_app *f = *state;

	app_key(&f->app, '/');
	app_key(&f->app, 0x1b5b);  /* a code point, typed */
	app_key(&f->app, 0x07);	   /* BEL: ignored */
	app_key(&f->app, 0x9b);	   /* C1: ignored */
	app_key(&f->app, KEYC_UP); /* special keys: ignored */
	assert_int_equal(f->app.prompt.input.n, 3);
	for (int i = 0; i < 3000; i++)
		app_key(&f->app, 'a');
	assert_true(f->app.prompt.input.n <= 1024);
	app_key(&f->app, 0x15); /* Ctrl-U */
	assert_int_equal(f->app.prompt.input.n, 0);

	/* Ctrl-R: regular expressions; a bad one says so and keeps the list. */
	app_key(&f->app, 0x12);
	assert_true(f->app.prompt.regex);
	test_type(&f->app, "閬.市");
	assert_true(f->app.list.filtered);
	assert_int_equal(f->app.list.view.n, articles_containing(&f->c, "閬中市"));
	app_key(&f->app, 0x15);
	test_type(&f->app, "(");
	assert_non_null(strstr(f->app.message, "Bad regular expression"));
}

/* Count needle in the display text of every block of the pane. */
static size_t pane_occurrences(const struct pane *p, const char *needle)
{
	size_t n = 0;
	for (size_t b = 0; b < p->blocks.n; b++) {
		const char *s = p->blocks.v[b].src.text.s;
		for (const char *hit = s; (hit = strstr(hit, needle)); hit += strlen(needle))
			n++;
	}
	return n;
}

/* The first cell on screen drawn in style, or NULL. */
static const struct cell *find_styled(struct test_app *f, enum cell_style style, int *y, int *x)
{
	render(&f->app, &f->grid);
	for (*y = 0; *y < f->grid.rows; (*y)++)
		for (*x = 0; *x < f->grid.cols; (*x)++)
			if (grid_at(&f->grid, *y, *x)->style == style)
				return grid_at(&f->grid, *y, *x);
	return NULL;
}

static void test_find_in_article(void **state)
{
	NEEDS_OPENCC();
	struct test_app *f = *state;
	int y, x;

	app_key(&f->app, KEYC_RETURN);
	app_key(&f->app, '/');
	assert_int_equal(f->app.prompt.kind, PROMPT_FIND);
	test_type(&f->app, "阆中"); /* Simplified finds the Traditional text */
	app_key(&f->app, KEYC_RETURN);
	size_t want = pane_occurrences(&f->app.pane.shown, "閬中");
	assert_true(want > 10);
	assert_int_equal(f->app.pane.shown.matches.n, want);
	assert_int_equal(f->app.find.match, 0);
	assert_true(screen_contains(f, "match 1/"));

	/* The current match covers exactly the cells of 閬 and 中. */
	const struct cell *c = find_styled(f, STYLE_MATCH_CURRENT, &y, &x);
	assert_non_null(c);
	assert_int_equal(c->cp[0], 0x95ac); /* 閬 */
	assert_int_equal(grid_at(&f->grid, y, x + 1)->style, STYLE_MATCH_CURRENT);
	assert_int_equal(grid_at(&f->grid, y, x + 2)->cp[0], 0x4e2d); /* 中 */
	assert_int_equal(grid_at(&f->grid, y, x + 2)->style, STYLE_MATCH_CURRENT);
	assert_int_not_equal(grid_at(&f->grid, y, x + 4)->style, STYLE_MATCH_CURRENT);

	app_key(&f->app, 'n');
	assert_int_equal(f->app.find.match, 1);
	app_key(&f->app, 'N');
	app_key(&f->app, 'N');
	assert_int_equal(f->app.find.match, (int)want - 1);
	assert_non_null(strstr(f->app.message, "wrapped"));
	/* The view follows the match. */
	size_t line = f->app.pane.shown.matches.v[want - 1].line;
	assert_true(line >= f->app.pane.scroll && line < f->app.pane.scroll + 39);

	/* Esc clears the highlights. */
	app_key(&f->app, KEYC_ESC);
	assert_false(f->app.find.active);
	assert_null(find_styled(f, STYLE_MATCH, &y, &x));

	/* ? searches backward: n goes up. */
	app_key(&f->app, 'g');
	app_key(&f->app, '?');
	assert_int_equal(f->app.prompt.kind, PROMPT_FIND_BACK);
	test_type(&f->app, "閬中");
	app_key(&f->app, KEYC_RETURN);
	int first = f->app.find.match;
	app_key(&f->app, 'n');
	assert_int_equal(f->app.find.match, first > 0 ? first - 1 : (int)want - 1);
}

/* A match split by a line break of the layout is highlighted on both lines. */
static void test_match_across_wrapped_line(void **state)
{
	(void)state;
	const char *text = "T\n\n2020-01-01 S\n\n一二三四五六七八九十\n";
	struct collection c;
	struct app a;
	struct grid g = {0};

	collection_init(&c);
	assert_true(fmt_native_add_buffer(&c, "t.txt", "t", text, strlen(text)));
	collection_finish(&c);
	app_init(&a, &c, 10, 20);
	app_key(&a, 'f'); /* full screen: the pane is as wide as the screen */
	app_resize(&a, 10, APP_MIN_COLS);
	app_key(&a, '/');
	test_type(&a, "六七");
	app_key(&a, KEYC_RETURN);
	assert_int_equal(a.pane.shown.matches.n, 1);
	render(&a, &g);
	/* T, "2020-01-01", "· S", blank, then 一二三四五六 / 七八九十. */
	assert_int_equal(grid_at(&g, 4, 10)->cp[0], 0x516d); /* 六 */
	assert_int_equal(grid_at(&g, 4, 10)->style, STYLE_MATCH_CURRENT);
	assert_int_equal(grid_at(&g, 4, 8)->style, STYLE_NORMAL);
	assert_int_equal(grid_at(&g, 5, 0)->cp[0], 0x4e03); /* 七 */
	assert_int_equal(grid_at(&g, 5, 0)->style, STYLE_MATCH_CURRENT);
	assert_int_equal(grid_at(&g, 5, 2)->style, STYLE_NORMAL);
	grid_free(&g);
	app_free(&a);
	collection_free(&c);
}

/* Typing a burst of keys only records them; settling then filters once, by the last
 * query, to the same view as typing and settling key by key. */
static void test_filter_settles_once(void **state)
{
	struct test_app *f = *state;
	search_hits want = {0};

	app_key(&f->app, '/');
	for (const char *k = "閬中"; *k;) {
		ucs4_t uc;
		k += u8_strmbtouc(&uc, (const uint8_t *)k);
		app_key(&f->app, (int)uc);
		app_settle(&f->app);
	}
	assert_true(f->app.list.filtered);
	for (size_t i = 0; i < f->app.list.view.n; i++)
		VEC_PUSH(&want, f->app.list.view.v[i]);
	app_key(&f->app, KEYC_ESC);

	app_key(&f->app, '/');
	app_key(&f->app, 0x95ac);	    /* 閬 */
	app_key(&f->app, 0x4e2d);	    /* 中 */
	assert_false(f->app.list.filtered); /* not yet: the query is pending */
	assert_true(f->app.filter.dirty);
	app_settle(&f->app);
	assert_false(f->app.filter.dirty);
	assert_int_equal(f->app.list.view.n, want.n);
	assert_memory_equal(f->app.list.view.v, want.v, want.n * sizeof *want.v);
	app_key(&f->app, KEYC_ESC);

	/* Enter right after typing applies the pending query first. */
	app_key(&f->app, '/');
	app_key(&f->app, 0x95ac);
	app_key(&f->app, 0x4e2d);
	app_key(&f->app, KEYC_RETURN);
	assert_true(f->app.list.filtered);
	assert_int_equal(f->app.list.view.n, want.n);
	free(want.v);
}

/* An in-memory collection of count articles of about size bytes each. */
static void big_collection(struct collection *c, size_t count, size_t size)
{
	collection_init(c);
	for (size_t i = 0; i < count; i++) {
		struct strbuf t = {0};
		char name[32];
		sb_printf(&t, "標題 %zu\n\n2020-01-01 來源\n\n", i);
		while (t.n < size)
			sb_puts(&t, i % 7 ? "臺灣新聞,Taiwan news. " : "繡花功夫 ");
		sb_putc(&t, '\n');
		snprintf(name, sizeof name, "%06zu.txt", i);
		assert_true(fmt_native_add_buffer(c, name, name, t.s, t.n));
		sb_free(&t);
	}
	collection_finish(c);
}

/* app_idle folds every key, a bounded amount per call, then has nothing left to do. */
static void test_idle_folds_keys(void **state)
{
	NEEDS_OPENCC();
	struct collection c;
	struct app a;
	size_t calls = 0;
	(void)state;

	big_collection(&c, 40, 100000); /* 4 MB of text */
	app_init(&a, &c, 40, 120);
	while (app_idle(&a))
		calls++;
	assert_true(calls > 1);
	for (size_t i = 0; i < c.articles.n; i++)
		assert_non_null(a.search.keys.v[i].s);
	assert_false(app_idle(&a));
	/* The keys serve the filter as if made on demand. */
	app_key(&a, '/');
	test_type(&a, "绣花");
	assert_int_equal(a.list.view.n, (c.articles.n + 6) / 7);
	app_free(&a);
	collection_free(&c);
}

/* A filter over more text than one slice looks at the rest in app_idle, showing its
 * progress; a key typed meanwhile starts it again, and Enter before the end keeps it. */
static void test_filter_in_slices(void **state)
{
	NEEDS_OPENCC();
	struct test_app f = {0};
	size_t want;
	(void)state;

	big_collection(&f.c, 40, 100000); /* 4 MB of text: several slices */
	want = (f.c.articles.n + 6) / 7;
	app_init(&f.app, &f.c, 40, 120);
	app_key(&f.app, '/');
	test_type(&f.app, "绣花");
	assert_true(f.app.list.filtered);
	assert_false(app_filter_done(&f.app));
	assert_true(f.app.filter.next > 0 && f.app.filter.next < f.c.articles.n);
	assert_true(f.app.list.view.n < want);
	for (size_t row = 0; row < f.app.list.view.n; row++)
		assert_true(f.app.list.view.v[row] < f.app.filter.next &&
			    f.app.list.view.v[row] % 7 == 0);
	assert_true(screen_contains(&f, "searching"));

	/* One idle call goes on from where the slice stopped. */
	size_t next = f.app.filter.next;
	assert_true(app_idle(&f.app));
	assert_true(f.app.redraw);
	assert_true(f.app.filter.next > next);

	/* A new key starts again from the first article, with the new query. */
	test_type(&f.app, "x");
	assert_int_equal(f.app.list.view.n, 0);
	app_key(&f.app, KEYC_BSPACE);
	test_type(&f.app, "");
	assert_true(f.app.list.view.n > 0 && f.app.list.view.v[0] == 0);
	app_key(&f.app, KEYC_RETURN); /* kept though not done */
	assert_int_equal(f.app.prompt.kind, PROMPT_OFF);
	assert_true(f.app.list.filtered);
	while (app_idle(&f.app))
		;
	assert_true(app_filter_done(&f.app));
	assert_int_equal(f.app.list.view.n, want);
	assert_false(screen_contains(&f, "searching"));
	char count[64];
	snprintf(count, sizeof count, "Filter: %zu of %zu", want, f.c.articles.n);
	assert_true(screen_contains(&f, count));

	/* A query that matches nothing, kept before the scan ends (new keys: nothing is
	 * folded yet): once the scan ends, all is shown again. */
	app_free(&f.app);
	app_init(&f.app, &f.c, 40, 120);
	app_key(&f.app, '/');
	test_type(&f.app, "沒有這個詞");
	app_key(&f.app, KEYC_RETURN);
	assert_true(f.app.list.filtered);
	while (app_idle(&f.app))
		;
	assert_false(f.app.list.filtered);
	assert_true(screen_contains(&f, "No headline matches"));
	test_app_clear(&f);
}

/* The status line's key hints come from the keymap in use: a rebound key shows, an
 * action left with no key drops out. */
static void test_hints_follow_keymap(void **state)
{
	struct test_app *f = *state;
	int rows = f->app.rows;

	assert_true(strstr(test_app_row(f, rows - 1), "Enter:open  /:search  i:help  q:quit"));
	keymap_bind('x', WHERE_LIST, ACTION_HELP, 0);
	keymap_unbind('?', WHERE_LIST);
	keymap_unbind('i', WHERE_ANY);
	keymap_unbind(KEYC_F1, WHERE_ANY);
	keymap_unbind('q', WHERE_ANY);
	assert_true(strstr(test_app_row(f, rows - 1), "Enter:open  /:search  x:help"));
	assert_null(strstr(test_app_row(f, rows - 1), "quit"));
	app_key(&f->app, KEYC_RETURN);
	assert_true(strstr(test_app_row(f, rows - 1), "Tab:link  N Enter:follow  h:back  /:find"));
	keymap_reset();
	assert_true(strstr(test_app_row(f, rows - 1), "/:find  i:help  q:list"));
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	const struct CMUnitTest tests[] = {
		TEST_APP_SEED(test_open_follow_back_forward),
		TEST_APP_SEED(test_back_restores_scroll_and_link),
		TEST_APP_SEED(test_follow_missing_link_says_so),
		TEST_APP_SEED(test_list_moves_and_quit),
		TEST_APP_SEED(test_pane_scrolls_within_bounds),
		TEST_APP_SEED(test_render_side_by_side),
		TEST_APP_SEED(test_list_cut_title_ellipsis),
		cmocka_unit_test(test_list_cut_clusters),
		TEST_APP_SEED(test_render_below_when_narrow),
		TEST_APP_SEED(test_too_small),
		TEST_APP_SEED(test_help_from_keymap),
		TEST_APP_SEED(test_help_wraps_and_scrolls),
		TEST_APP_SEED(test_help_rows_follow_resize),
		TEST_APP_SEED(test_mouse),
		TEST_APP_SEED(test_render_every_size),
		TEST_APP_SEED(test_filter_as_you_type),
		TEST_APP_SEED(test_filter_empty_and_cancel),
		TEST_APP_SEED(test_prompt_input_rules),
		TEST_APP_SEED(test_find_in_article),
		cmocka_unit_test(test_match_across_wrapped_line),
		TEST_APP_SEED(test_filter_settles_once),
		cmocka_unit_test(test_idle_folds_keys),
		cmocka_unit_test(test_filter_in_slices),
		TEST_APP_SEED(test_hints_follow_keymap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
