/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_app_map.c: the story map (m), the history list (H) and the breadcrumb trail in
 * the reader, on the bundled seed article: keys, jumps, history, and what is drawn. */
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

#include "app.h"
#include "app_map.h"
#include "render.h"

static const char *seed_title = "四川新聞丨做實社會治理 閬中下足繡花功夫";

static int setup(void **state)
{
	*state = test_app_seed("seed", 40, 120);
	return 0;
}

static const struct article *shown(const struct test_app *f)
{
	return f->c.articles.v[f->app.list.sel];
}

static const struct article *seed(const struct test_app *f)
{
	return collection_find(&f->c, "seed");
}

/* Render and return the text of a rect's row y (relative), cells outside cut away. */
static const char *rect_row(struct test_app *f, const struct rect *r, int y)
{
	struct grid sub = {0};
	render(&f->app, &f->grid);
	grid_resize(&sub, 1, r->w);
	for (int x = 0; x < r->w; x++)
		*grid_at(&sub, 0, x) = *grid_at(&f->grid, r->y + y, r->x + x);
	sb_clear(&f->text);
	grid_row_text(&sub, 0, &f->text);
	grid_free(&sub);
	return sb_cstr(&f->text);
}

static void test_map_opens_moves_and_jumps(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;
	const struct article *first = collection_article(&f->c, seed(f)->related.v[0].target);
	const struct article *second = collection_article(&f->c, seed(f)->related.v[1].target);

	app_key(a, KEYC_RETURN); /* open the seed */
	assert_int_equal(a->pane.hist.n, 1);
	app_key(a, 'm');
	assert_non_null(a->map.shown);
	assert_false(a->map.shown->history);
	assert_int_equal(a->map.shown->sel, 0); /* the root */
	assert_non_null(strstr(test_app_row(f, 39), "Story map: 1/41"));

	/* j skips the "Cites (20)" label to the first story; then the story's own
	 * "Cited by" label to the seed under it, then to the second story. */
	app_key(a, 'j');
	assert_int_equal(a->map.shown->m.rows.v[a->map.shown->sel].article,
			 collection_index(&f->c, first));
	app_key(a, 'j');
	assert_int_equal(a->map.shown->m.rows.v[a->map.shown->sel].mark, STORYMAP_CYCLE);
	app_key(a, 'j');
	assert_int_equal(a->map.shown->m.rows.v[a->map.shown->sel].article,
			 collection_index(&f->c, second));
	app_key(a, 'k');
	app_key(a, 'k');
	app_key(a, 'G');
	assert_int_equal(a->map.shown->sel, a->map.shown->m.rows.n - 1);
	app_key(a, 'g');
	assert_int_equal(a->map.shown->sel, 0);
	app_key(a, 'j');

	app_key(a, KEYC_RETURN); /* jump: recorded like following a link */
	assert_null(a->map.shown);
	assert_ptr_equal(shown(f), first);
	assert_int_equal(a->focus, FOCUS_PANE);
	assert_int_equal(a->pane.hist.n, 2);
	assert_int_equal(a->pane.hist.pos, 1);
	assert_ptr_equal(a->pane.shown.article, first);

	app_key(a, 'h'); /* and back as after following a link */
	assert_ptr_equal(shown(f), seed(f));
}

static void test_map_from_list_records_origin(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;

	assert_int_equal(a->focus, FOCUS_LIST);
	app_key(a, 'm'); /* the selected headline's map, from the list */
	assert_non_null(a->map.shown);
	app_key(a, 'j');
	app_key(a, KEYC_RETURN);
	assert_int_equal(a->pane.hist.n, 2);
	assert_ptr_equal(a->pane.hist.v[0].article, seed(f));
	assert_ptr_equal(shown(f), collection_article(&f->c, seed(f)->related.v[0].target));

	/* Enter on the root opens it without a second history entry. */
	app_key(a, 'm');
	app_key(a, KEYC_RETURN);
	assert_int_equal(a->pane.hist.n, 2);
	assert_null(a->map.shown);
}

static void test_map_leaves(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;
	const int keys[] = {'q', KEYC_ESC, 'm'};

	for (size_t k = 0; k < 3; k++) {
		app_key(a, 'm');
		assert_non_null(a->map.shown);
		app_key(a, keys[k]);
		assert_null(a->map.shown);
		assert_false(a->quit);
	}
	/* Keys of the pane do nothing in the map but say what does. */
	app_key(a, 'm');
	app_key(a, '3');
	assert_non_null(a->map.shown);
	assert_ptr_equal(shown(f), seed(f));
	assert_non_null(strstr(a->message, "Enter jumps"));
	/* Help opens over the map and leaves it open. */
	app_key(a, KEYC_F1);
	assert_true(a->help.shown);
	app_key(a, 'q');
	assert_false(a->help.shown);
	assert_non_null(a->map.shown);
	app_key(a, 'Q');
	assert_true(a->quit);
}

static void test_history_list(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;
	const struct article *third = collection_article(&f->c, seed(f)->related.v[2].target);

	app_key(a, 'H');
	assert_null(a->map.shown);
	assert_non_null(strstr(a->message, "history is empty"));

	app_key(a, KEYC_RETURN);
	app_key(a, '3');
	app_key(a, KEYC_RETURN);
	assert_ptr_equal(shown(f), third);
	app_key(a, 'H');
	assert_non_null(a->map.shown);
	assert_true(a->map.shown->history);
	assert_int_equal(a->map.shown->m.rows.n, 2);
	assert_int_equal(a->map.shown->sel, 1); /* the current place */
	struct app_geometry g;
	app_geometry(a, &g);
	assert_non_null(strstr(rect_row(f, &g.pane, 0), seed_title));
	assert_non_null(strstr(rect_row(f, &g.pane, 1), "> excerpt"));
	assert_non_null(strstr(rect_row(f, &g.pane, 1), "(current)"));
	assert_non_null(strstr(test_app_row(f, 39), "History: 2/2"));

	/* Enter moves within the history, as h does: the trail is kept. */
	app_key(a, 'k');
	app_key(a, KEYC_RETURN);
	assert_null(a->map.shown);
	assert_ptr_equal(shown(f), seed(f));
	assert_int_equal(a->pane.hist.n, 2);
	assert_int_equal(a->pane.hist.pos, 0);
	app_key(a, 'l');
	assert_ptr_equal(shown(f), third);

	/* H and m switch between the two; the same key leaves. */
	app_key(a, 'H');
	app_key(a, 'm');
	assert_false(a->map.shown->history);
	app_key(a, 'H');
	assert_true(a->map.shown->history);
	app_key(a, 'H');
	assert_null(a->map.shown);
}

static void test_trail_in_header(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;
	struct app_geometry g;
	const struct article *third = collection_article(&f->c, seed(f)->related.v[2].target);

	app_key(a, KEYC_RETURN);
	app_geometry(a, &g);
	assert_int_equal(g.trail.h, 0); /* one place is no trail yet */
	app_key(a, '3');
	app_key(a, KEYC_RETURN);
	app_geometry(a, &g);
	assert_int_equal(g.trail.h, 1);
	assert_int_equal(g.trail.y + 1, g.pane.y);
	/* "seed title › third title", each cut to 24 columns with "…" right after its last
	 * character (the space where the seed's title is cut left out). */
	const char *t = rect_row(f, &g.trail, 0);
	assert_non_null(strstr(t, "四川新聞丨做實社會治理… › "));
	assert_non_null(strstr(t, " › 港北區"));
	/* The current entry (the third story) is marked bold; the others are not. */
	int x = g.trail.x;
	assert_int_equal(grid_at(&f->grid, g.trail.y, x)->style, STYLE_META);
	assert_int_equal(grid_at(&f->grid, g.trail.y, x + 30)->style, STYLE_TITLE);
	assert_ptr_equal(shown(f), third);

	/* Back: the seed is the current one, the trail unchanged. */
	app_key(a, 'h');
	render(a, &f->grid);
	assert_int_equal(grid_at(&f->grid, g.trail.y, x)->style, STYLE_TITLE);
	assert_int_equal(grid_at(&f->grid, g.trail.y, x + 30)->style, STYLE_META);

	/* Narrow: elided from the left, cell exact, the current one kept. */
	app_key(a, 'l');
	app_resize(a, 20, 40);
	app_geometry(a, &g);
	t = rect_row(f, &g.trail, 0);
	assert_true(strncmp(t, "… › 港北區", strlen("… › 港北區")) == 0);
}

/* Every row of the map drawn in the pane is the row storymap lays out at its width. */
static void test_map_rows_drawn_as_laid_out(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;
	struct strbuf want = {0};
	struct app_geometry g;
	static const int sizes[][2] = {{40, 120}, {24, 80}, {10, 30}, {5, 12}, {60, 200}};

	app_key(a, KEYC_RETURN);
	app_key(a, 'm');
	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		app_resize(a, sizes[s][0], sizes[s][1]);
		app_key(a, ' '); /* a page down, so the rows drawn vary */
		app_geometry(a, &g);
		assert_true(g.pane.h > 0);
		for (int y = 0; y < g.pane.h; y++) {
			size_t i = a->map.shown->top + (size_t)y;
			if (i >= a->map.shown->m.rows.n)
				break;
			sb_clear(&want);
			storymap_row_text(&a->map.shown->m, i, g.pane.w, &want);
			while (want.n && want.s[want.n - 1] == ' ')
				want.s[--want.n] = '\0';
			assert_string_equal(rect_row(f, &g.pane, y), sb_cstr(&want));
		}
		/* The selected row is on screen and drawn selected. */
		assert_true(a->map.shown->sel >= a->map.shown->top &&
			    a->map.shown->sel < a->map.shown->top + (size_t)g.pane.h);
		render(a, &f->grid);
		assert_int_equal(grid_at(&f->grid,
					 g.pane.y + (int)(a->map.shown->sel - a->map.shown->top),
					 g.pane.x)
					 ->style,
				 STYLE_LIST_SELECTED);
	}
	sb_free(&want);
}

/* A similar-stories provider set on the app feeds the map's "Similar" group. */
static size_t three_similar(void *ctx, size_t article, size_t *out, size_t k)
{
	(void)ctx;
	size_t w = 0;
	for (size_t i = 5; i < 8 && w < k; i++)
		if (i != article)
			out[w++] = i;
	return w;
}

static void test_map_similar_provider(void **state)
{
	struct test_app *f = *state;
	struct app *a = &f->app;
	bool found = false;

	a->map.opts.similar = three_similar;
	app_key(a, 'm');
	for (size_t i = 0; i < a->map.shown->m.rows.n; i++) {
		const struct storymap_row *r = &a->map.shown->m.rows.v[i];
		if (r->kind == STORYMAP_GROUP && r->rel == STORYMAP_SIMILAR && r->depth == 1) {
			found = true;
			assert_int_equal(r->count, 3);
		}
	}
	assert_true(found);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_map_opens_moves_and_jumps, setup,
						test_app_teardown),
		cmocka_unit_test_setup_teardown(test_map_from_list_records_origin, setup,
						test_app_teardown),
		cmocka_unit_test_setup_teardown(test_map_leaves, setup, test_app_teardown),
		cmocka_unit_test_setup_teardown(test_history_list, setup, test_app_teardown),
		cmocka_unit_test_setup_teardown(test_trail_in_header, setup, test_app_teardown),
		cmocka_unit_test_setup_teardown(test_map_rows_drawn_as_laid_out, setup,
						test_app_teardown),
		cmocka_unit_test_setup_teardown(test_map_similar_provider, setup,
						test_app_teardown),
	};
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
