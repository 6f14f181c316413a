/* test_app.c: the reader's state machine, the pane and the renderer, without curses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "render.h"

static const char *seed_title = "四川新聞丨做實社會治理 閬中下足繡花功夫";
static const char *third_headline = "港北區:下足「繡花」功夫 打贏脫貧硬仗";

static char *read_seed(size_t *n)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/data/000_bc5b92f142057c5b.txt", top ? top : ".");
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 16];
	*n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	return buf;
}

struct fixture {
	struct collection c;
	struct app app;
	struct grid grid;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	size_t n;
	const char *seed = read_seed(&n);
	collection_init(&f->c);
	assert_true(collection_add_buffer(&f->c, "seed.txt", "000_bc5b92f142057c5b", seed, n));
	collection_finish(&f->c);
	app_init(&f->app, &f->c, 40, 120);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	app_free(&f->app);
	grid_free(&f->grid);
	collection_free(&f->c);
	free(f);
	return 0;
}

static bool str_is(struct str s, const char *want)
{
	return s.n == strlen(want) && memcmp(s.p, want, s.n) == 0;
}

static const struct article *shown(const struct fixture *f)
{
	return f->c.articles.v[f->app.sel];
}

/* Row y of the rendered screen as text. */
static const char *screen_row(struct fixture *f, int y)
{
	static struct strbuf sb;
	sb_free(&sb);
	render(&f->app, &f->grid);
	grid_row_text(&f->grid, y, &sb);
	return sb_cstr(&sb);
}

static bool screen_contains(struct fixture *f, const char *needle)
{
	for (int y = 0; y < f->app.rows; y++)
		if (strstr(screen_row(f, y), needle))
			return true;
	return false;
}

static void test_open_follow_back_forward(void **state)
{
	struct fixture *f = *state;

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
	struct fixture *f = *state;

	app_apply(&f->app, ACTION_OPEN, 0);
	for (int i = 0; i < 5; i++)
		app_apply(&f->app, ACTION_NEXT_LINK, 0);
	assert_int_equal(f->app.link, 4);
	size_t scroll = f->app.scroll;
	assert_true(scroll > 0); /* the links are below the first screen */
	app_apply(&f->app, ACTION_OPEN, 0);
	assert_ptr_equal(shown(f), f->c.articles.v[0]->related.v[4].target);
	app_apply(&f->app, ACTION_BACK, 0);
	assert_true(str_is(shown(f)->title, seed_title));
	assert_int_equal(f->app.scroll, scroll);
	assert_int_equal(f->app.link, 4);
}

static void test_follow_missing_link_says_so(void **state)
{
	struct fixture *f = *state;
	app_apply(&f->app, ACTION_OPEN, 0);
	app_apply(&f->app, ACTION_FOLLOW_N, 3);
	/* An excerpt has no related stories of its own. */
	app_apply(&f->app, ACTION_FOLLOW_N, 1);
	assert_true(str_is(shown(f)->title, third_headline));
	assert_non_null(strstr(f->app.message, "No related story 1"));
}

static void test_list_moves_and_quit(void **state)
{
	struct fixture *f = *state;
	size_t n = f->c.articles.n;

	app_key(&f->app, 'j');
	assert_int_equal(f->app.sel, 1);
	app_key(&f->app, 'G');
	assert_int_equal(f->app.sel, n - 1);
	app_key(&f->app, KEY_DOWN_);
	assert_int_equal(f->app.sel, n - 1);
	app_key(&f->app, 'g');
	assert_int_equal(f->app.sel, 0);
	app_key(&f->app, KEY_RETURN);
	assert_int_equal(f->app.focus, FOCUS_PANE);
	app_key(&f->app, 'J');
	assert_int_equal(f->app.sel, 1);
	app_key(&f->app, 'K');
	assert_int_equal(f->app.sel, 0);
	app_key(&f->app, 'q');
	assert_int_equal(f->app.focus, FOCUS_LIST);
	assert_false(f->app.quit);
	app_key(&f->app, 'q');
	assert_true(f->app.quit);
}

static void test_pane_scrolls_within_bounds(void **state)
{
	struct fixture *f = *state;
	app_key(&f->app, KEY_RETURN);
	app_key(&f->app, 'G');
	size_t bottom = f->app.scroll;
	assert_true(bottom > 0);
	app_key(&f->app, ' ');
	assert_int_equal(f->app.scroll, bottom);
	app_key(&f->app, 'k');
	assert_int_equal(f->app.scroll, bottom - 1);
	app_key(&f->app, 'g');
	assert_int_equal(f->app.scroll, 0);
	app_key(&f->app, 'b');
	assert_int_equal(f->app.scroll, 0);
}

static void test_render_side_by_side(void **state)
{
	struct fixture *f = *state;
	struct app_geometry g;

	app_geometry(&f->app, &g);
	assert_true(g.side_by_side);
	const char *row0 = screen_row(f, 0);
	assert_non_null(strstr(row0, "│ 四川新聞丨做實社會治理 閬中下足繡花功夫"));
	assert_non_null(strstr(screen_row(f, 1), "│ 2020-11-21 · 四川觀察"));
	assert_non_null(strstr(screen_row(f, 39), "Article 1/21"));
}

static void test_render_below_when_narrow(void **state)
{
	struct fixture *f = *state;
	struct app_geometry g;

	app_resize(&f->app, 30, 60);
	app_geometry(&f->app, &g);
	assert_false(g.side_by_side);
	assert_true(g.pane.y > g.list.y);
	assert_non_null(strstr(screen_row(f, g.sep.y), "──────"));
	assert_non_null(strstr(screen_row(f, g.pane.y), "四川新聞丨做實社會治理"));
}

static void test_too_small(void **state)
{
	struct fixture *f = *state;
	app_resize(&f->app, 3, 30);
	assert_string_equal(screen_row(f, 0), "terminal too small");
	app_resize(&f->app, 1, 1);
	assert_string_equal(screen_row(f, 0), "t");
}

static void test_help_from_keymap(void **state)
{
	struct fixture *f = *state;
	app_key(&f->app, '?');
	assert_true(f->app.help);
	assert_true(screen_contains(f, keymap_description(ACTION_FOLLOW_N)));
	assert_true(screen_contains(f, keymap_description(ACTION_BACK)));
	app_key(&f->app, 'q');
	assert_false(f->app.help);
	assert_false(f->app.quit);
}

/* On a narrow screen descriptions wrap under their own column, and G reaches the end. */
static void test_help_wraps_and_scrolls(void **state)
{
	struct fixture *f = *state;
	char indent[64];
	int hang = keymap_help_indent();

	app_resize(&f->app, 10, 50);
	app_key(&f->app, '?');
	render(&f->app, &f->grid);
	assert_true(f->app.help_rows > ACTION_COUNT - 1);
	memset(indent, ' ', (size_t)hang);
	indent[hang] = '\0';
	assert_int_equal(strncmp(screen_row(f, 1), indent, (size_t)hang), 0);
	assert_true(screen_row(f, 1)[hang] != ' ');
	app_key(&f->app, 'G');
	assert_non_null(strstr(screen_row(f, 8), keymap_description(ACTION_QUIT_NOW)));
	assert_false(screen_contains(f, keymap_description(ACTION_DOWN)));
}

static void test_mouse(void **state)
{
	struct fixture *f = *state;
	struct app_geometry g;

	app_geometry(&f->app, &g);
	app_click(&f->app, g.list.y + 2, g.list.x + 3);
	assert_int_equal(f->app.sel, 2);
	assert_int_equal(f->app.focus, FOCUS_PANE);

	app_click(&f->app, g.list.y, g.list.x + 3);
	assert_int_equal(f->app.sel, 0);
	app_apply(&f->app, ACTION_NEXT_LINK, 0);
	size_t line = f->app.pane.link_line.v[0];
	app_click(&f->app, g.pane.y + (int)(line - f->app.scroll), g.pane.x + 4);
	assert_ptr_equal(shown(f), f->c.articles.v[0]->related.v[0].target);

	app_apply(&f->app, ACTION_BACK, 0);
	app_wheel(&f->app, g.pane.y, g.pane.x, 3);
	assert_int_equal(f->app.sel, 0);
}

/* Every size from 1x1 up: no crash, every wide cell has its continuation on the row. */
static void test_render_every_size(void **state)
{
	struct fixture *f = *state;
	app_key(&f->app, KEY_RETURN);
	app_key(&f->app, KEY_TAB_);
	for (int rows = 1; rows <= 45; rows += 2)
		for (int cols = 1; cols <= 130; cols++) {
			app_resize(&f->app, rows, cols);
			render(&f->app, &f->grid);
			for (int y = 0; y < rows; y++)
				for (int x = 0; x < cols; x++) {
					const struct cell *c = grid_at(&f->grid, y, x);
					if (c->width == 2) {
						assert_true(x + 1 < cols);
						assert_int_equal(grid_at(&f->grid, y, x + 1)->width, 0);
					}
					for (int k = 0; k < c->ncp; k++)
						assert_true(c->cp[k] >= 0x20 && c->cp[k] != 0x7f);
				}
		}
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_open_follow_back_forward, setup, teardown),
		cmocka_unit_test_setup_teardown(test_back_restores_scroll_and_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_follow_missing_link_says_so, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_moves_and_quit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pane_scrolls_within_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_side_by_side, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_below_when_narrow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_from_keymap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_help_wraps_and_scrolls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mouse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_render_every_size, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
