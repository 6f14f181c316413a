/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_reader.c: the reader as newsboat, mutt and less users expect it: the place kept
 * by the filter, the list position, the help key, the match count, the T/S form of the
 * trail, the date check, without curses. */
#include <config.h>

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
#include <unistd.h>

#include "app.h"
#include "format.h"
#include "app_map.h"
#include "cli.h"
#include "configfile.h"
#include "render.h"

static bool title_is(const struct test_app *f, size_t i, const char *want)
{
	const struct article *art = f->c.articles.v[i];
	return art->title.n == strlen(want) && memcmp(art->title.p, want, art->title.n) == 0;
}

/* Bug 1: Esc in the list filter, or a filter matching nothing, goes back to where the
 * selection was when / was typed. */
static void test_filter_esc_keeps_place(void **state)
{
	struct test_app *f = *state;

	app_apply(&f->app, ACTION_DOWN, 0);
	app_apply(&f->app, ACTION_DOWN, 0);
	assert_int_equal(f->app.list.sel, 2);
	app_apply(&f->app, ACTION_SEARCH, 0);
	test_type(&f->app, "蘭坪");
	assert_true(title_is(f, f->app.list.sel, "蘭坪:幫貧解困下足繡花功夫"));
	test_type(&f->app, "x");
	app_key(&f->app, KEYC_ESC);
	assert_int_equal(f->app.prompt.kind, PROMPT_OFF);
	assert_false(f->app.list.filtered);
	assert_int_equal(f->app.list.sel, 2);

	/* Enter on a query that matches nothing: all shown again, at the same place. */
	app_apply(&f->app, ACTION_SEARCH, 0);
	test_type(&f->app, "蘭坪x");
	app_key(&f->app, KEYC_RETURN);
	assert_false(f->app.list.filtered);
	assert_int_equal(f->app.list.sel, 2);
	assert_non_null(strstr(f->app.message, "No headline matches"));

	/* A filter kept with Enter keeps its match selected. */
	app_apply(&f->app, ACTION_SEARCH, 0);
	test_type(&f->app, "蘭坪");
	app_key(&f->app, KEYC_RETURN);
	assert_true(f->app.list.filtered);
	assert_true(title_is(f, f->app.list.sel, "蘭坪:幫貧解困下足繡花功夫"));
}

/* Bug 2: "Article N/M" is the place in the list as sorted, grouped and filtered. */
static void test_position_is_list_order(void **state)
{
	struct test_app *f = *state;

	app_set_sort(&f->app, SORT_TITLE);
	app_apply(&f->app, ACTION_TOP, 0);
	for (int i = 0; i < 5; i++)
		app_apply(&f->app, ACTION_DOWN, 0);
	assert_non_null(strstr(test_app_status(f), " Article 6/21 "));
	app_set_group(&f->app, GROUP_SOURCE); /* one header row: not counted */
	assert_true(app_list_is_header(&f->app, 0));
	app_apply(&f->app, ACTION_TOP, 0);
	assert_non_null(strstr(test_app_status(f), " Article 1/21 "));
	app_apply(&f->app, ACTION_BOTTOM, 0);
	assert_non_null(strstr(test_app_status(f), " Article 21/21 "));
	app_set_group(&f->app, GROUP_NONE);
	app_set_sort(&f->app, SORT_DATE);

	app_apply(&f->app, ACTION_TOP, 0);
	app_apply(&f->app, ACTION_SEARCH, 0);
	test_type(&f->app, "閬中");
	app_key(&f->app, KEYC_RETURN);
	size_t n = f->app.list.view.n;
	assert_true(n >= 2 && n < 21);
	app_apply(&f->app, ACTION_DOWN, 0);
	char want[64];
	snprintf(want, sizeof want, " Article 2/%zu ", n);
	assert_non_null(strstr(test_app_status(f), want));
}

/* Bug 8: one match is "1 match"; a count of none stays with the article searched. */
static void test_match_count_wording(void **state)
{
	struct test_app *f = *state;

	app_apply(&f->app, ACTION_OPEN, 0);
	app_apply(&f->app, ACTION_SEARCH, 0);
	test_type(&f->app, "0312"); /* once in the seed, in a related headline */
	app_key(&f->app, KEYC_RETURN);
	assert_int_equal(f->app.pane.shown.matches.n, 1);
	f->app.find.match = -1;
	assert_non_null(strstr(test_app_status(f), "  1 match"));
	assert_null(strstr(test_app_status(f), "1 matches"));

	app_apply(&f->app, ACTION_SEARCH, 0);
	test_type(&f->app, "nowhere at all");
	app_key(&f->app, KEYC_RETURN);
	assert_non_null(strstr(test_app_status(f), "  0 matches"));
	app_apply(&f->app, ACTION_FOLLOW_N, 1);
	assert_int_not_equal(f->app.list.sel, 0);
	assert_null(strstr(test_app_status(f), "matches"));
}

/* Bug 3: one help key in the list, the pane and the map, named by every hint bar as
 * the keymap binds it; ? stays backward search in the pane. */
static void test_one_help_key(void **state)
{
	struct test_app *f = *state;

	assert_non_null(strstr(test_app_status(f), "i:help"));
	app_apply(&f->app, ACTION_OPEN, 0);
	assert_non_null(strstr(test_app_status(f), "i:help"));
	app_key(&f->app, '?');
	assert_int_equal(f->app.prompt.kind, PROMPT_FIND_BACK);
	app_key(&f->app, KEYC_ESC);
	app_key(&f->app, 'i');
	assert_true(f->app.help.shown);
	assert_non_null(strstr(test_app_status(f), "i:close"));
	app_key(&f->app, 'i');
	assert_false(f->app.help.shown);
	assert_int_equal(f->app.focus, FOCUS_PANE);
	app_key(&f->app, KEYC_F1);
	assert_true(f->app.help.shown);
	app_key(&f->app, KEYC_F1);
	app_key(&f->app, 'm');
	assert_non_null(f->app.map.shown);
	assert_non_null(strstr(test_app_status(f), "i:help"));
	app_key(&f->app, 'i');
	assert_true(f->app.help.shown);
	app_key(&f->app, 'i');
	app_key(&f->app, 'q');
	assert_null(f->app.map.shown);

	keymap_bind('z', WHERE_ANY, ACTION_HELP, 0);
	keymap_unbind('i', WHERE_ANY);
	assert_non_null(strstr(test_app_status(f), "z:help"));
	assert_null(strstr(test_app_status(f), "i:help"));
	keymap_reset();
}

/* The lines --dump prints for the seed at width. */
static char *dump(struct test_app *f, int width)
{
	char *text = NULL;
	size_t n = 0;
	FILE *mem = open_memstream(&text, &n);
	assert_int_equal(cli_dump(&f->c, "000_bc5b92f142057c5b", width, false, CLI_SIMILAR_QUICK,
				  mem, stderr),
			 0);
	fclose(mem);
	return text;
}

/* Bug 4: --dump, | and o print what the pane shows, its similar stories included. */
static void test_dump_is_the_pane(void **state)
{
	struct test_app *f = *state;
	struct strbuf pane = {0};

	while (app_idle(&f->app))
		;
	assert_non_null(f->app.similar.index);
	app_apply(&f->app, ACTION_OPEN, 0);
	app_sync_pane(&f->app);
	assert_true(f->app.pane.shown.nsimilar > 0);
	pane_layout(&f->app.pane.shown, 80);
	pane_text(&f->app.pane.shown, &pane);
	char *want = dump(f, 80);
	assert_non_null(strstr(want, "\nSimilar stories\n"));
	assert_string_equal(sb_cstr(&pane), want);
	free(want);
	sb_free(&pane);

	app_key(&f->app, '|');
	test_type(&f->app, "cat");
	app_key(&f->app, KEYC_RETURN);
	assert_int_equal(f->app.run.kind, RUN_PIPE);
	want = dump(f, f->app.cols);
	assert_string_equal(sb_cstr(&f->app.run.input), want);
	app_run_done(&f->app, NULL);
	app_key(&f->app, 'o');
	assert_int_equal(f->app.run.kind, RUN_PAGER);
	assert_string_equal(sb_cstr(&f->app.run.input), want);
	free(want);
}

/* Bug 9: D takes days, months and years of the calendar only. */
static void test_jump_to_real_dates(void **state)
{
	struct test_app *f = *state;
	static const char *const bad[] = {"2020-13-45", "2020-02-30", "2021-02-29",
					  "2020-00",	"0000",	      "2020-1-1"};

	app_apply(&f->app, ACTION_DOWN, 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		app_key(&f->app, 'D');
		test_type(&f->app, bad[i]);
		app_key(&f->app, KEYC_RETURN);
		assert_non_null(strstr(f->app.message, "No such date"));
		assert_int_equal(f->app.list.sel, 1);
	}
	app_key(&f->app, 'D');
	test_type(&f->app, "2020-11-21");
	app_key(&f->app, KEYC_RETURN);
	assert_non_null(strstr(f->app.message, "the first article on or before 2020-11-21"));
	assert_int_equal(f->app.list.sel, 0);
}

/* A THUCNews-like collection: numbered files, no dates. */
static int setup_numbered(void **state)
{
	static const char *const ids[] = {"体育/100", "体育/2", "体育/10",
					  "体育/0",   "体育/1", "体育/010"};
	struct test_app *f = test_app_new();
	for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
		struct article_fields fl = {.title = {ids[i], strlen(ids[i])},
					    .date = {"", 0},
					    .source = {"体育", 6},
					    .body = {"正文", 6}};
		assert_true(format_add_fields(&f->c, ids[i], 1, ids[i], NULL, &fl));
	}
	collection_finish(&f->c);
	test_app_start(f, 20, 80);
	*state = f;
	return 0;
}

/* Bug 10: numbered names in numeric order, and no empty date column. */
static void test_numbered_undated(void **state)
{
	struct test_app *f = *state;
	static const char *const want[] = {"体育/0",  "体育/1",	  "体育/2",
					   "体育/10", "体育/010", "体育/100"};

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_string_equal(f->c.articles.v[i]->id, want[i]);
	/* The title right after the margin column: no 12 blank columns of dates. */
	assert_string_equal(test_app_row(f, 0), " 体育/0");
	assert_string_equal(test_app_row(f, 4), " 体育/010");
}

/* Whether any row of the screen holds needle. */
static bool screen_has(struct test_app *f, const char *needle)
{
	for (int y = 0; y < f->app.rows; y++)
		if (strstr(test_app_row(f, y), needle))
			return true;
	return false;
}

/* Bug 6: t converts the trail row, the history list and the story map too. */
static void test_script_everywhere(void **state)
{
	NEEDS_OPENCC();
	struct test_app *f = *state;
	struct app_geometry g;

	app_apply(&f->app, ACTION_FULLSCREEN, 0); /* the pane alone: no list on screen */
	app_apply(&f->app, ACTION_FOLLOW_N, 3);
	app_geometry(&f->app, &g);
	assert_int_equal(g.trail.h, 1);
	assert_non_null(strstr(test_app_row(f, g.trail.y), "四川新聞丨"));
	app_key(&f->app, 't');
	assert_int_equal(f->app.script, CONVERT_SIMPLIFIED);
	assert_non_null(strstr(test_app_row(f, g.trail.y), "四川新闻丨"));
	assert_null(strstr(test_app_row(f, g.trail.y), "新聞"));

	app_key(&f->app, 'H');
	assert_non_null(f->app.map.shown);
	assert_true(screen_has(f, "四川新闻丨做实社会治理"));
	assert_false(screen_has(f, "社會"));
	app_key(&f->app, 't'); /* Traditional, in the open list */
	assert_non_null(f->app.map.shown);
	assert_true(f->app.map.shown->history);
	assert_true(screen_has(f, "四川新聞丨做實社會治理"));
	app_key(&f->app, 'q');

	app_key(&f->app, 'h');
	app_key(&f->app, 'm');
	assert_non_null(f->app.map.shown);
	assert_true(screen_has(f, "繡花"));
	app_key(&f->app, 't'); /* as written */
	app_key(&f->app, 't'); /* Simplified */
	assert_int_equal(f->app.script, CONVERT_SIMPLIFIED);
	assert_false(screen_has(f, "繡花"));
	assert_true(screen_has(f, "绣花"));
}

/* Bug 12: a split-ratio leaves the pane room; max-width caps the reading column. */
static void test_pane_width(void **state)
{
	struct test_app *f = *state;
	struct config cfg;
	struct app_geometry g;
	char path[400];

	assert_true(test_scratch_dir(path, sizeof path, "reader"));
	strcat(path, "/config");
	FILE *file = fopen(path, "w");
	assert_non_null(file);
	fputs("set split = vertical\nset split-ratio = 90\nset max-width = 80\n", file);
	fclose(file);
	config_init(&cfg);
	assert_true(config_load(&cfg, path, false));
	assert_int_equal(cfg.nproblems, 0);
	assert_int_equal(cfg.max_width, 80);
	f->app.opts.config = &cfg;
	app_apply(&f->app, ACTION_OPEN, 0);

	app_resize(&f->app, 20, 30); /* too narrow for the two side by side: stacked */
	app_geometry(&f->app, &g);
	assert_false(g.side_by_side);
	assert_int_equal(g.pane.w, 30);
	assert_true(g.pane.h >= APP_MIN_PANE_ROWS);
	assert_true(screen_has(f, "四川新聞丨做實社會治理")); /* balanced: 閬中… below */

	app_resize(&f->app, 20, 100);
	app_geometry(&f->app, &g);
	assert_true(g.side_by_side);
	assert_int_equal(g.pane.w, APP_MIN_PANE_COLS);
	assert_int_equal(g.list.w, 100 - 3 - APP_MIN_PANE_COLS);
	assert_true(screen_has(f, "│ 四川新聞丨做實社會治"));

	app_resize(&f->app, 20, 300); /* 270 columns of list, 27 of pane */
	app_apply(&f->app, ACTION_FULLSCREEN, 0);
	app_geometry(&f->app, &g);
	assert_int_equal(g.pane.w, 80);
	assert_int_equal(g.pane.x, 110);
	assert_int_equal(f->app.pane.shown.width, 80);
	const char *row = test_app_row(f, 0);
	assert_int_equal(strspn(row, " "), 110);
	assert_non_null(strstr(row, "四川新聞丨做實社會治理"));

	f->app.opts.config = NULL;
	config_free(&cfg);
	remove(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		TEST_APP_SEED(test_filter_esc_keeps_place),
		TEST_APP_SEED(test_position_is_list_order),
		TEST_APP_SEED(test_match_count_wording),
		TEST_APP_SEED(test_one_help_key),
		TEST_APP_SEED(test_dump_is_the_pane),
		TEST_APP_SEED(test_jump_to_real_dates),
		cmocka_unit_test_setup_teardown(test_numbered_undated, setup_numbered,
						test_app_teardown),
		TEST_APP_SEED(test_script_everywhere),
		TEST_APP_SEED(test_pane_width),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
