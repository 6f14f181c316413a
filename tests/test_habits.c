/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_habits.c: the reader as newsboat, mutt and less users expect it, on
 * the state machine: the unread flow, counts before keys, half pages, unbound keys, the
 * prompts' line editor and history, saving, URLs (kept by every format and the catalog,
 * listed and opened) and reloading. */
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "body.h"
#include "app_internal.h"
#include "app_marks.h"
#include "catalog.h"
#include "format.h"
#include "loader.h"
#include "reload.h"
#include "render.h"
#include "testutil.h"

#define CTRL(c) ((c)&0x1f)

/* Five articles, newest first in the list: a0 (2020-11-25) ... a4 (2020-11-21). a1 has
 * a URL line; a2 URLs in its text and a URL line after a blank line (a paragraph). */
static const char *const texts[] = {
	"新聞零\n\n2020-11-25 來源甲\n\n第零段。\n\n第零段之二。\n",
	"新聞一\n\n2020-11-24 來源乙\nURL: https://news.example.cn/a/1.html\n\n第一段。\n",
	"新聞二\n\n2020-11-23 來源甲\n\nURL: https://not.a.url.line/\n\n"
	"見https://b.example/x?y=1。又見http://c.example/p.\n",
	"新聞三\n\n2020-11-22 來源丙\n\n第三段。\n",
	"新聞四\n\n2020-11-21 來源丙\n\n第四段。\n",
};

static void load_five(struct collection *c)
{
	char id[8];

	collection_init(c);
	for (size_t i = 0; i < 5; i++) {
		snprintf(id, sizeof id, "a%zu", i);
		assert_true(fmt_native_add_buffer(c, id, id, texts[i], strlen(texts[i])));
	}
	collection_finish(c);
}

static int setup_five(void **state)
{
	struct test_app *f = test_app_new();
	collection_free(&f->c);
	load_five(&f->c);
	test_app_start(f, 30, 120);
	*state = f;
	return 0;
}

static int setup_seed(void **state)
{
	*state = test_app_seed("000_bc5b92f142057c5b", 30, 120);
	return 0;
}

static int teardown(void **state)
{
	test_app_teardown(state);
	keymap_reset();
	return 0;
}

static const char *shown_id(const struct test_app *f)
{
	return f->c.articles.v[f->app.list.sel]->id;
}

static void keys(struct app *a, const int *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		app_key(a, k[i]);
	app_settle(a);
}
#define KEYS(a, ...) \
	keys((a), (const int[]){__VA_ARGS__}, sizeof((const int[]){__VA_ARGS__}) / sizeof(int))

/* ---- Unread ---- */

static void test_excerpts_are_not_unread(void **state)
{
	struct test_app *f = *state;
	/* The seed and its 20 related excerpts: one unread article, not 21. */
	assert_int_equal(app_unread_count(&f->app), 1);
	assert_non_null(strstr(test_app_status(f), "· 1 unread"));
	app_key(&f->app, KEYC_RETURN);
	assert_int_equal(app_unread_count(&f->app), 0);
	/* u on an excerpt marks it, and the count stays that of articles. */
	app_apply(&f->app, ACTION_QUIT, 0);
	app_apply(&f->app, ACTION_DOWN, 0);
	app_apply(&f->app, ACTION_TOGGLE_READ, 0);
	app_apply(&f->app, ACTION_TOGGLE_READ, 0);
	assert_int_equal(app_unread_count(&f->app), 0);
	/* . finds no unread article among the excerpts. */
	app_apply(&f->app, ACTION_NEXT_UNREAD, 0);
	assert_string_equal(f->app.message, "No unread articles");
}

static void test_next_and_previous_unread(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;

	assert_int_equal(app_unread_count(a), 5);
	app_apply(a, ACTION_DOWN, 0);
	app_apply(a, ACTION_TOGGLE_READ, 0); /* a1 read */
	app_apply(a, ACTION_TOP, 0);
	/* From the list, the selected article itself is the first unread one: opened. */
	app_key(a, '.');
	assert_string_equal(shown_id(f), "a0");
	assert_int_equal(a->focus, FOCUS_PANE);
	app_key(a, '.'); /* a1 is read: a2 */
	assert_string_equal(shown_id(f), "a2");
	app_key(a, '.');
	app_key(a, '.');
	assert_string_equal(shown_id(f), "a4");
	assert_int_equal(app_unread_count(a), 0);
	app_key(a, '.');
	assert_string_equal(a->message, "No unread articles");
	/* , goes back, wrapping to the bottom. */
	app_apply(a, ACTION_TOP, 0); /* the top of the article, still a4 */
	app_apply(&f->app, ACTION_QUIT, 0);
	app_key(a, 'g');
	app_apply(a, ACTION_TOGGLE_READ, 0); /* a0 unread */
	app_key(a, 'j');
	app_key(a, 'j');
	app_apply(a, ACTION_TOGGLE_READ, 0); /* a2 unread */
	app_key(a, 'j');
	app_key(a, ','); /* from a3 back: a2 */
	assert_string_equal(shown_id(f), "a2");
	app_key(a, ',');
	assert_string_equal(shown_id(f), "a0");
	app_apply(a, ACTION_TOGGLE_READ, 0); /* a0 unread again, shown */
	app_key(a, 'K');		     /* nothing before a0: */
	app_key(a, ',');		     /* wraps round to a0 itself */
	assert_string_equal(shown_id(f), "a0");
	assert_string_equal(a->message, "Wrapped to the bottom");
	/* Following in the list's order: after s (title), the order of the titles. */
	app_apply(a, ACTION_QUIT, 0);
	app_set_sort(a, SORT_SOURCE);
	app_key(a, 'g');
	for (size_t i = 0; i < 5; i++)
		if (app_is_read(a, i))
			app_apply(a, ACTION_NONE, 0);
}

static void test_mark_all_read_asks_first(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;

	/* Filtered to a0 and a3: only they are marked, after y. */
	app_key(a, '/');
	app_key(a, CTRL('R'));
	test_type(a, "第零段|第三段");
	app_key(a, KEYC_RETURN);
	while (app_idle(a))
		;
	assert_int_equal(app_list_count(a), 2);
	app_key(a, 'A');
	assert_int_equal(a->prompt.kind, PROMPT_CONFIRM);
	assert_non_null(strstr(test_app_status(f), "Mark these 2 articles read? (y/n)"));
	app_key(a, 'n');
	assert_int_equal(a->prompt.kind, PROMPT_OFF);
	assert_string_equal(a->message, "Cancelled");
	assert_int_equal(app_unread_count(a), 5);
	app_key(a, 'A');
	app_key(a, 'y');
	assert_int_equal(app_unread_count(a), 3);
	assert_true(app_is_read(a, 0) && app_is_read(a, 3));
	assert_false(app_is_read(a, 1) || app_is_read(a, 2) || app_is_read(a, 4));
	assert_string_equal(a->message, "Marked 2 articles read");
	app_key(a, 'A');
	assert_string_equal(a->message, "Nothing unread in this view");
	/* Unfiltered: all of them. */
	app_key(a, KEYC_ESC);
	app_key(a, 'A');
	assert_non_null(strstr(test_app_status(f), "Mark all 3 articles read?"));
	app_key(a, 'Y');
	assert_int_equal(app_unread_count(a), 0);
}

/* A regular expression that backtracks without end: the filter gives up at the match
 * limit, and once the prompt is closed the reader says so, not that no headline
 * matched (which the list showing all again would else say over it). */
static void test_filter_gives_up_said(void **state)
{
	static const char text[] = "長文\n\n2020-11-25 來源甲\n\n"
				   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n";
	struct test_app *f = test_app_new();
	struct app *a = &f->app;
	(void)state;

	collection_free(&f->c);
	collection_init(&f->c);
	assert_true(fmt_native_add_buffer(&f->c, "long", "long", text, strlen(text)));
	collection_finish(&f->c);
	test_app_start(f, 30, 120);
	app_key(a, '/');
	app_key(a, CTRL('R'));
	test_type(a, "(a+)+$");
	app_key(a, KEYC_RETURN);
	while (app_idle(a))
		;
	assert_non_null(strstr(a->message, "too complex: the search gave up"));
	assert_int_equal(app_list_count(a), 1); /* all shown again */
	test_app_free(f);
}

static void test_unread_view(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;

	app_apply(a, ACTION_DOWN, 0);
	app_apply(a, ACTION_TOGGLE_READ, 0); /* a1 read, selected */
	app_key(a, 'U');
	assert_true(a->list.filtered && a->unread.only);
	assert_int_equal(app_list_count(a), 4);
	assert_non_null(strstr(test_app_status(f), "Unread: 4 of 5"));
	assert_string_equal(shown_id(f), "a0"); /* a1 is not in the view */
	/* Reading in the view keeps the article listed (the view is made when asked). */
	app_key(a, KEYC_RETURN);
	app_key(a, 'q');
	assert_int_equal(app_list_count(a), 4);
	/* * does not turn it into the bookmarks view. */
	app_key(a, '*');
	assert_int_equal(app_list_count(a), 4);
	assert_true(a->unread.only);
	app_key(a, 'U');
	assert_false(a->list.filtered || a->unread.only);
	assert_int_equal(app_list_count(a), 5);
	app_key(a, 'U');
	app_key(a, KEYC_ESC); /* Esc shows all too */
	assert_false(a->list.filtered || a->unread.only);
	app_key(a, 'A');
	app_key(a, 'y');
	app_key(a, 'U');
	assert_false(a->list.filtered);
	assert_string_equal(a->message, "No unread articles");
}

static void test_preview_counts_read_after_a_while(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;
	const long long s = 1000000000LL;

	/* Off (the default): never. */
	assert_false(app_unread_tick(a, 0));
	assert_false(app_unread_tick(a, 100 * s));
	assert_false(app_is_read(a, 0));
	a->opts.preview_read = 3;
	assert_true(app_waiting(a));
	assert_true(app_unread_tick(a, 10 * s)); /* shown from now on */
	assert_true(app_unread_tick(a, 12 * s + s / 2));
	assert_false(app_is_read(a, 0));
	assert_false(app_unread_tick(a, 13 * s));
	assert_true(app_is_read(a, 0));
	assert_int_equal(app_unread_count(a), 4);
	/* Moving on starts the clock again for the next one. */
	app_key(a, 'j');
	assert_true(app_unread_tick(a, 14 * s));
	app_key(a, 'j'); /* a2 before a1 counted */
	assert_true(app_unread_tick(a, 16 * s + s / 2));
	assert_false(app_is_read(a, 1));
	assert_true(app_unread_tick(a, 19 * s));
	assert_false(app_is_read(a, 2));
	assert_false(app_unread_tick(a, 19 * s + s / 2));
	assert_true(app_is_read(a, 2));
	assert_false(app_is_read(a, 1));
	/* The wheel over the pane beside the list: read at once. */
	app_key(a, 'j');
	struct app_geometry g;
	app_geometry(a, &g);
	assert_true(g.side_by_side);
	app_wheel(a, g.pane.y + 1, g.pane.x + 1, 3);
	assert_true(app_is_read(a, 3));
	/* Not beside the list: full screen is reading (opened), help is not. */
	app_key(a, 'j');
	app_apply(a, ACTION_HELP, 0);
	assert_false(app_unread_tick(a, 30 * s));
	assert_false(app_unread_tick(a, 40 * s));
	assert_false(app_is_read(a, 4));
}

/* ---- Moves: half pages, counts, unbound keys ---- */

static void test_half_pages_and_counts(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;

	app_key(a, CTRL('D'));
	assert_int_equal(a->list.sel, 4); /* the list is 29 rows: more than all five */
	app_key(a, CTRL('U'));
	assert_int_equal(a->list.sel, 0);
	KEYS(a, '3', 'j');
	assert_int_equal(a->list.sel, 3);
	KEYS(a, '2', 'k');
	assert_int_equal(a->list.sel, 1);
	KEYS(a, '4', 'G');
	assert_int_equal(a->list.sel, 3);
	KEYS(a, '1', 'g');
	assert_int_equal(a->list.sel, 0);
	KEYS(a, '9', '9', 'G'); /* past the end: the last */
	assert_int_equal(a->list.sel, 4);
	/* A count shows on the status line; Esc (or any other key) drops it. */
	app_key(a, '7');
	assert_non_null(strstr(test_app_status(f), "7: Enter follows story 7"));
	app_key(a, KEYC_ESC);
	app_key(a, 'k');
	assert_int_equal(a->list.sel, 3);
}

static void test_counts_in_the_pane(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;
	const struct article *seed = f->c.articles.v[a->list.sel];

	app_resize(a, 12, 120);
	app_key(a, KEYC_RETURN);
	KEYS(a, '5', 'j');
	assert_int_equal(a->pane.scroll, 5);
	KEYS(a, '2', 'k');
	assert_int_equal(a->pane.scroll, 3);
	KEYS(a, '1', '2', 'G');
	assert_int_equal(a->pane.scroll, 11);
	app_key(a, CTRL('D'));
	size_t half = (size_t)app_pane_height(a) / 2;
	assert_int_equal(a->pane.scroll, 11 + half);
	app_key(a, CTRL('U'));
	assert_int_equal(a->pane.scroll, 11);
	/* 1 2 Enter follows related story 12 (the tenth and up need two digits). */
	KEYS(a, '1', '2', KEYC_RETURN);
	assert_ptr_equal(f->c.articles.v[a->list.sel],
			 collection_article(&f->c, seed->related.v[11].target));
	app_key(a, 'h');
	assert_ptr_equal(f->c.articles.v[a->list.sel], seed);
	KEYS(a, '3', KEYC_RETURN);
	assert_ptr_equal(f->c.articles.v[a->list.sel],
			 collection_article(&f->c, seed->related.v[2].target));
	app_key(a, 'h');
	KEYS(a, '9', '9', KEYC_RETURN);
	assert_string_equal(a->message, "No related story 99");
	/* A digit bound to something else is that, not a count. */
	keymap_bind('5', WHERE_ANY, ACTION_BOTTOM, 0);
	app_key(a, '5');
	assert_true(a->pane.scroll > 11);
	assert_int_equal(a->count, 0);
}

static void test_unbound_keys_say_so(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;

	app_key(a, 'x');
	assert_string_equal(a->message, "x is not bound; i for help");
	assert_non_null(strstr(test_app_status(f), "x is not bound; i for help"));
	app_key(a, KEYC_RETURN);
	app_key(a, 'Z');
	assert_string_equal(a->message, "Z is not bound; i for help"); /* i everywhere */
	keymap_unbind(KEYC_F1, WHERE_ANY);
	keymap_unbind('i', WHERE_ANY);
	keymap_bind('e', WHERE_ANY, ACTION_HELP, 0);
	app_key(a, 0x4e2d);
	assert_string_equal(a->message, "U+4E2D is not bound; e for help");
	keymap_unbind('e', WHERE_ANY);
	app_key(a, 'x');
	assert_string_equal(a->message, "x is not bound");
}

/* ---- Prompts ---- */

static void test_prompt_line_editor(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;

	app_key(a, '/');
	test_type(a, "社區");
	KEYS(a, KEYC_LEFT, KEYC_LEFT, 'x', CTRL('E'), 'y', KEYC_HOME, 'z');
	assert_string_equal(sb_cstr(&a->prompt.input), "zx社區y");
	/* The cursor after z, by columns: "/" and "z" are 2. */
	render(a, &f->grid);
	assert_int_equal(f->grid.cursor_x, 2);
	KEYS(a, CTRL('E'), KEYC_BSPACE, KEYC_BSPACE);
	assert_string_equal(sb_cstr(&a->prompt.input), "zx社");
	render(a, &f->grid);
	assert_int_equal(f->grid.cursor_x, 1 + 2 + 2);
	KEYS(a, CTRL('W'));
	assert_int_equal(a->prompt.input.n, 0);
	test_type(a, "社會 治理");
	KEYS(a, CTRL('A'), CTRL('K'));
	assert_int_equal(a->prompt.input.n, 0);
	test_type(a, "閬中");
	app_key(a, KEYC_RETURN);
	/* The history: Up brings back what was accepted, Down the line typed. */
	app_key(a, '|');
	KEYS(a, KEYC_UP);
	assert_string_equal(sb_cstr(&a->prompt.input), ""); /* | has its own history */
	app_key(a, KEYC_ESC);
	app_key(a, '/');
	test_type(a, "new");
	KEYS(a, KEYC_UP);
	assert_string_equal(sb_cstr(&a->prompt.input), "閬中");
	KEYS(a, KEYC_DOWN);
	assert_string_equal(sb_cstr(&a->prompt.input), "new");
	app_key(a, KEYC_ESC);
	/* In the pane, / and Enter is the last search again, as in less. */
	app_key(a, KEYC_RETURN);
	app_key(a, '/');
	app_key(a, KEYC_RETURN);
	assert_true(a->find.active);
	assert_true(a->pane.shown.matches.n > 0);
	assert_non_null(strstr(test_app_status(f), "match 1/"));
	size_t first = a->pane.shown.matches.n;
	app_key(a, KEYC_ESC);
	assert_false(a->find.active);
	app_key(a, '?');
	app_key(a, KEYC_RETURN);
	assert_true(a->find.active);
	assert_int_equal(a->pane.shown.matches.n, first);
}

static void test_history_kept_in_state_dir(void **state)
{
	(void)state;
	char dir[400];
	struct collection c;
	struct app a;

	assert_true(test_scratch_dir(dir, sizeof dir, "reader-hist"));
	setenv("XDG_STATE_HOME", dir, 1);
	test_load_seed(&c, "seed");
	app_init(&a, &c, 30, 120);
	assert_true(app_prompts_open_default(&a));
	app_key(&a, '/');
	test_type(&a, "社區");
	app_key(&a, KEYC_RETURN);
	assert_true(app_prompts_save(&a));
	app_free(&a);
	app_init(&a, &c, 30, 120);
	assert_true(app_prompts_open_default(&a));
	app_key(&a, '/');
	app_key(&a, KEYC_UP);
	assert_string_equal(sb_cstr(&a.prompt.input), "社區");
	app_free(&a);
	collection_free(&c);
	char cmd[500];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	unsetenv("XDG_STATE_HOME");
}

/* ---- Saving ---- */

static char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	static char buf[1 << 16];
	if (!fp)
		return NULL;
	*n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	return buf;
}

static void test_save_article(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;
	char dir[400], path[500];
	struct strbuf want = {0};
	size_t n;

	assert_true(test_scratch_dir(dir, sizeof dir, "save"));
	setenv("HOME", dir, 1);
	app_key(a, 'w');
	assert_int_equal(a->prompt.kind, PROMPT_SAVE);
	assert_non_null(strstr(test_app_status(f), "Save to:"));
	test_type(a, "~/seed.txt");
	app_key(a, KEYC_RETURN);
	snprintf(path, sizeof path, "%s/seed.txt", dir);
	app_dump(a, &want);
	char *got = slurp(path, &n);
	assert_non_null(got);
	assert_int_equal(n, want.n);
	assert_memory_equal(got, want.s, n);
	assert_non_null(strstr(a->message, "Saved to "));
	/* Again: it exists, so y/n first; n leaves it. */
	app_key(a, 'w');
	test_type(a, "~/se");
	app_key(a, KEYC_TAB); /* completes the name */
	assert_string_equal(sb_cstr(&a->prompt.input), "~/seed.txt");
	app_key(a, KEYC_RETURN);
	assert_int_equal(a->prompt.kind, PROMPT_CONFIRM);
	app_key(a, 'n');
	assert_string_equal(a->message, "Cancelled");
	FILE *fp = fopen(path, "w");
	fputs("old", fp);
	fclose(fp);
	app_key(a, 'w');
	KEYS(a, KEYC_UP); /* the save prompt's history */
	assert_string_equal(sb_cstr(&a->prompt.input), "~/seed.txt");
	app_key(a, KEYC_RETURN);
	app_key(a, 'y');
	got = slurp(path, &n);
	assert_int_equal(n, want.n);
	/* A directory, or a file that cannot be made: said, nothing written. */
	app_key(a, 'w');
	test_type(a, dir);
	app_key(a, KEYC_RETURN);
	assert_non_null(strstr(a->message, "is a directory"));
	app_key(a, 'w');
	test_type(a, "/nonexistent-xinwen/x.txt");
	app_key(a, KEYC_RETURN);
	assert_non_null(strstr(a->message, "cannot create"));
	sb_free(&want);
	char cmd[500];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* ---- URLs ---- */

static const struct article *by_id(const struct collection *c, const char *id)
{
	const struct article *a = collection_find(c, id);
	assert_non_null(a);
	return a;
}

static bool str_is(struct str s, const char *want)
{
	return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

static void test_urls_kept_by_the_formats(void **state)
{
	NEEDS_JANSSON();
	(void)state;
	struct collection c;
	char *tmp;

	load_five(&c);
	assert_true(str_is(by_id(&c, "a1")->url, "https://news.example.cn/a/1.html"));
	assert_true(str_is(article_body_peek(by_id(&c, "a1"), &tmp), "第一段。"));
	free(tmp);
	/* After a blank line it is a paragraph: old files never hold a URL line. */
	assert_int_equal(by_id(&c, "a2")->url.n, 0);
	assert_non_null(strstr(article_body_peek(by_id(&c, "a2"), &tmp).p, "URL: https://not"));
	free(tmp);
	assert_int_equal(by_id(&c, "a0")->url.n, 0);
	collection_free(&c);

	/* SogouCS: the whole URL (the source is still its host). */
	static const char sogou[] =
		"<doc>\n<url>http://news.sohu.com/20120612/n345428229.shtml</url>\n"
		"<docno>d1</docno>\n<contenttitle>標題</contenttitle>\n<content>內容</content>\n</"
		"doc>\n"
		"<doc>\n<url>javascript:alert(1)</url>\n<docno>d2</docno>\n"
		"<contenttitle>二</contenttitle>\n<content>x</content>\n</doc>\n";
	collection_init(&c);
	assert_int_equal(format_load_buffer(&c, FORMAT_SOGOU, "s.txt", NULL, NULL, sogou,
					    strlen(sogou), NULL),
			 2);
	collection_finish(&c);
	const struct article *d1 = by_id(&c, "d1");
	assert_true(str_is(d1->url, "http://news.sohu.com/20120612/n345428229.shtml"));
	assert_true(str_is(d1->source, "news.sohu.com"));
	assert_int_equal(by_id(&c, "d2")->url.n, 0); /* not a web address: dropped */
	collection_free(&c);

	/* JSON Lines: a url member when there is one. */
	static const char jsonl[] = "{\"news_id\":\"j1\",\"title\":\"甲\",\"content\":\"x\","
				    "\"url\":\"https://j.example/1\"}\n"
				    "{\"news_id\":\"j2\",\"title\":\"乙\",\"content\":\"y\"}\n";
	collection_init(&c);
	assert_int_equal(format_load_buffer(&c, FORMAT_JSONL, "n.json", NULL, NULL, jsonl,
					    strlen(jsonl), NULL),
			 2);
	collection_finish(&c);
	assert_true(str_is(by_id(&c, "j1")->url, "https://j.example/1"));
	assert_int_equal(by_id(&c, "j2")->url.n, 0);
	collection_free(&c);
}

static void test_url_in_pane_and_catalog(void **state)
{
	(void)state;
	char dir[400], path[500], file[500];
	struct collection c, back;
	struct strbuf why = {0}, text = {0};
	struct load_opts o = {.format = FORMAT_AUTO, .lean = true};

	assert_true(test_scratch_dir(dir, sizeof dir, "url-cat"));
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/a%zu.txt", dir, i);
		FILE *fp = fopen(path, "w");
		fputs(texts[i], fp);
		fclose(fp);
	}
	collection_init(&c);
	loader_load_path_opts(&c, dir, &o);
	collection_finish(&c);
	const struct article *a1 = by_id(&c, "a1");
	assert_true(str_is(a1->url, "https://news.example.cn/a/1.html"));
	/* Shown under the date, as the file writes it; --dump prints it too. */
	struct pane p;
	pane_build(&p, &c, a1);
	pane_layout(&p, 80);
	pane_text(&p, &text);
	assert_non_null(
		strstr(sb_cstr(&text),
		       "2020-11-24 · 來源乙\nURL: https://news.example.cn/a/1.html\n\n第一段。"));
	pane_free(&p);
	/* The catalog keeps it. */
	snprintf(file, sizeof file, "%s/catalog", dir);
	assert_null(catalog_write(&c, 42, file));
	collection_init(&back);
	assert_int_equal(catalog_read(&back, 42, file, &why), CATALOG_OK);
	assert_true(str_is(by_id(&back, "a1")->url, "https://news.example.cn/a/1.html"));
	assert_int_equal(by_id(&back, "a0")->url.n, 0);
	collection_free(&back);
	collection_free(&c);
	sb_free(&why);
	sb_free(&text);
	char cmd[500];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_url_view_and_browser(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;

	setenv("BROWSER", "w3m -N %s:firefox", 1);
	app_key(a, 'j');
	app_key(a, 'O'); /* a1: its URL */
	assert_int_equal(a->run.kind, RUN_BROWSER);
	assert_int_equal(a->run.argv.n, 3);
	assert_string_equal(a->run.argv.v[0], "w3m");
	assert_string_equal(a->run.argv.v[1], "-N");
	assert_string_equal(a->run.argv.v[2], "https://news.example.cn/a/1.html");
	assert_null(a->run.argv.v[3]);
	app_run_done(a, NULL);
	app_key(a, 'j'); /* a2: URLs in its text only (the "URL: " paragraph is text) */
	app_key(a, 'L');
	assert_int_equal(app_urls_count(a), 3);
	assert_non_null(strstr(test_app_row(f, 0), "URLs of this article"));
	assert_non_null(strstr(test_app_row(f, 1), "[1] https://not.a.url.line/"));
	assert_non_null(strstr(test_app_row(f, 2), "[2] https://b.example/x?y=1"));
	assert_non_null(strstr(test_app_row(f, 3), "[3] http://c.example/p"));
	app_key(a, 'j');
	app_key(a, 'j');
	setenv("BROWSER", "mybrowser", 1);
	app_key(a, KEYC_RETURN);
	assert_int_equal(a->run.kind, RUN_BROWSER);
	assert_int_equal(a->run.argv.n, 2);
	assert_string_equal(a->run.argv.v[1], "http://c.example/p");
	app_run_done(a, NULL);
	KEYS(a, '2', KEYC_RETURN); /* N Enter opens the N-th */
	assert_string_equal(a->run.argv.v[1], "https://b.example/x?y=1");
	app_run_done(a, NULL);
	app_key(a, 'q');
	assert_int_equal(app_urls_count(a), 0);
	assert_int_equal(a->list.sel, 2); /* q closed the view only */
	/* No URL: said. No browser at all: said. */
	app_key(a, 'j');
	app_key(a, 'O');
	assert_string_equal(a->message, "This article has no URL");
	app_key(a, 'L');
	assert_string_equal(a->message, "This article has no URL");
	unsetenv("BROWSER");
	char *path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	setenv("PATH", "/nonexistent-xinwen", 1);
	app_key(a, 'k');
	app_key(a, 'k');
	app_key(a, 'O');
	assert_int_equal(a->run.kind, RUN_NONE);
	assert_non_null(strstr(a->message, "No browser"));
	if (path)
		setenv("PATH", path, 1);
	free(path);
}

/* ---- Reloading ---- */

static void test_reload_keeps_the_place(void **state)
{
	(void)state;
	char dir[400], path[500];
	struct collection c;
	struct app a;
	struct load_opts o = {.format = FORMAT_AUTO, .lean = true};

	assert_true(test_scratch_dir(dir, sizeof dir, "reload"));
	for (size_t i = 0; i < 5; i++) {
		snprintf(path, sizeof path, "%s/a%zu.txt", dir, i);
		FILE *fp = fopen(path, "w");
		fputs(texts[i], fp);
		fclose(fp);
	}
	collection_init(&c);
	loader_load_path_opts(&c, dir, &o);
	collection_finish(&c);
	char *paths[] = {dir, NULL};
	struct app_source src = {paths, 1, &o, 7, NULL};
	app_init(&a, &c, 5, 120); /* a pane of 4 rows: a2 scrolls */
	a.reload.source = &src;
	app_key(&a, 'j');
	app_key(&a, 'j');
	app_key(&a, KEYC_RETURN);
	app_key(&a, 'j');
	/* R while the front end's first check of the files is not over: after it. */
	struct reload *first = reload_start(&c, RELOAD_CHECK, paths, 1, &o, 7, NULL);
	a.reload.first = first;
	app_key(&a, 'R');
	assert_string_equal(a.message, "Reloading…");
	while (app_idle(&a) || app_waiting(&a))
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	assert_string_equal(a.message, "The files have not changed");
	/* A new article, newer than all: the place is kept (a2, scrolled, in the pane). */
	snprintf(path, sizeof path, "%s/b.txt", dir);
	FILE *fp = fopen(path, "w");
	fputs("新的\n\n2021-01-01 來源丁\n\n新。\n", fp);
	fclose(fp);
	size_t scroll = a.pane.scroll;
	assert_int_equal(scroll, 1);
	app_key(&a, 'R');
	while (app_idle(&a) || app_waiting(&a))
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	assert_int_equal(app_narticles(&a), 6);
	assert_ptr_not_equal(a.c, &c);
	assert_string_equal(a.c->articles.v[a.list.sel]->id, "a2");
	assert_int_equal(a.focus, FOCUS_PANE);
	assert_int_equal(a.pane.scroll, scroll);
	assert_non_null(strstr(a.message, "6 articles now (+1)"));
	/* Without a source (the front end gave none): nothing to do. */
	struct reload *reloading = a.reload.loading, *reloaded = a.reload.shown;
	app_free(&a);
	app_reload_free(reloading, reloaded);
	reload_free(first);
	app_init(&a, &c, 30, 120);
	app_key(&a, 'R');
	assert_string_equal(a.message, "Nothing to reload");
	app_free(&a);
	collection_free(&c);
	char cmd[500];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* W saves the source: a native article's file, a JSON Lines record's line, byte for
 * byte (not the --dump form); an excerpt has none. */
static void test_save_source(void **state)
{
	NEEDS_JANSSON();
	(void)state;
	static const char native[] = "標題\n\n2020-11-21 四川觀察\n\n第一段。\n";
	static const char rec1[] = "{\"news_id\":\"j1\",\"title\":\"一\",\"content\":\"甲\"}\n";
	static const char rec2[] = "{\"news_id\":\"j2\",\"title\":\"二\",\"content\":\"乙\"}\n";
	char dir[400], coll[450], path[500], out[500];
	struct collection c;
	struct app a;
	size_t n;

	assert_true(test_scratch_dir(dir, sizeof dir, "source"));
	setenv("HOME", dir, 1);
	snprintf(coll, sizeof coll, "%s/coll", dir);
	assert_int_equal(mkdir(coll, 0700), 0);
	snprintf(path, sizeof path, "%s/n.txt", coll);
	FILE *fp = fopen(path, "w");
	fputs(native, fp);
	fclose(fp);
	snprintf(path, sizeof path, "%s/news.jsonl", coll);
	fp = fopen(path, "w");
	fputs(rec1, fp);
	fputs(rec2, fp);
	fclose(fp);
	collection_init(&c);
	loader_load_path(&c, coll);
	collection_finish(&c);
	app_init(&a, &c, 24, 80);

	const char *ids[] = {"n", "j2"}, *want[] = {native, rec2};
	for (int k = 0; k < 2; k++) {
		const struct article *art = collection_find(&c, ids[k]);
		assert_non_null(art);
		app_select_article(&a, collection_index(&c, art));
		app_sync_pane(&a);
		app_key(&a, 'W');
		assert_int_equal(a.prompt.kind, PROMPT_SAVE);
		snprintf(out, sizeof out, "~/out%d", k);
		test_type(&a, out);
		app_key(&a, KEYC_RETURN);
		snprintf(out, sizeof out, "%s/out%d", dir, k);
		char *got = slurp(out, &n);
		assert_non_null(got);
		assert_int_equal(n, strlen(want[k]));
		assert_memory_equal(got, want[k], n);
	}
	/* w still saves the --dump form. */
	app_key(&a, 'w');
	test_type(&a, "~/dump");
	app_key(&a, KEYC_RETURN);
	snprintf(out, sizeof out, "%s/dump", dir);
	char *got = slurp(out, &n);
	assert_non_null(got);
	assert_null(strstr(got, "news_id"));
	app_free(&a);
	collection_free(&c);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	unsetenv("XDG_STATE_HOME");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_excerpts_are_not_unread, setup_seed, teardown),
		cmocka_unit_test_setup_teardown(test_next_and_previous_unread, setup_five,
						teardown),
		cmocka_unit_test_setup_teardown(test_mark_all_read_asks_first, setup_five,
						teardown),
		cmocka_unit_test_setup_teardown(test_unread_view, setup_five, teardown),
		cmocka_unit_test(test_filter_gives_up_said),
		cmocka_unit_test_setup_teardown(test_preview_counts_read_after_a_while, setup_five,
						teardown),
		cmocka_unit_test_setup_teardown(test_half_pages_and_counts, setup_five, teardown),
		cmocka_unit_test_setup_teardown(test_counts_in_the_pane, setup_seed, teardown),
		cmocka_unit_test_setup_teardown(test_unbound_keys_say_so, setup_five, teardown),
		cmocka_unit_test_setup_teardown(test_prompt_line_editor, setup_seed, teardown),
		cmocka_unit_test(test_history_kept_in_state_dir),
		cmocka_unit_test_setup_teardown(test_save_article, setup_seed, teardown),
		cmocka_unit_test(test_save_source),
		cmocka_unit_test(test_urls_kept_by_the_formats),
		cmocka_unit_test(test_url_in_pane_and_catalog),
		cmocka_unit_test_setup_teardown(test_url_view_and_browser, setup_five, teardown),
		cmocka_unit_test(test_reload_keeps_the_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
