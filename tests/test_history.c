/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_history.c: back/forward history: visiting, stepping, truncation, the bound. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "history.h"

/* Stand-ins for articles: history only compares and returns the pointers. */
static const int places[HISTORY_MAX + 50];

static struct history_entry at(size_t i)
{
	return (struct history_entry){.article = &places[i], .scroll = i * 10, .link = -1};
}

static void assert_entry(struct history_entry e, size_t i)
{
	assert_ptr_equal(e.article, &places[i]);
	assert_int_equal(e.scroll, i * 10);
	assert_int_equal(e.link, -1);
}

static void test_empty(void **state)
{
	(void)state;
	struct history h;
	struct history_entry e;

	history_init(&h);
	assert_false(history_back(&h, &e));
	assert_false(history_forward(&h, &e));
	history_update(&h, at(1)); /* nothing to update: no effect */
	assert_int_equal(h.n, 0);
}

/* Going straight to a place moves like back and forward: nothing is dropped. */
static void test_go(void **state)
{
	(void)state;
	struct history h;
	struct history_entry e;

	history_init(&h);
	assert_false(history_go(&h, 0, &e));
	for (size_t i = 0; i < 5; i++)
		history_visit(&h, at(i));
	assert_true(history_go(&h, 1, &e));
	assert_entry(e, 1);
	assert_int_equal(h.pos, 1);
	assert_int_equal(h.n, 5);
	assert_true(history_forward(&h, &e));
	assert_entry(e, 2);
	assert_true(history_go(&h, 4, &e));
	assert_entry(e, 4);
	assert_false(history_go(&h, 5, &e));
	assert_int_equal(h.pos, 4);
	/* A visit after going back drops the places ahead, as after back. */
	assert_true(history_go(&h, 0, &e));
	history_visit(&h, at(9));
	assert_int_equal(h.n, 2);
	assert_int_equal(h.pos, 1);
}

static void test_back_at_start(void **state)
{
	(void)state;
	struct history h;
	struct history_entry e;

	history_init(&h);
	history_visit(&h, at(0));
	assert_false(history_back(&h, &e));
	assert_false(history_forward(&h, &e));
	assert_int_equal(h.pos, 0);
}

static void test_back_and_forward(void **state)
{
	(void)state;
	struct history h;
	struct history_entry e;

	history_init(&h);
	for (size_t i = 0; i < 3; i++)
		history_visit(&h, at(i));

	assert_true(history_back(&h, &e));
	assert_entry(e, 1);
	assert_true(history_back(&h, &e));
	assert_entry(e, 0);
	assert_false(history_back(&h, &e));

	assert_true(history_forward(&h, &e));
	assert_entry(e, 1);
	assert_true(history_forward(&h, &e));
	assert_entry(e, 2);
	assert_false(history_forward(&h, &e));
	assert_int_equal(h.n, 3);
}

static void test_visit_drops_forward(void **state)
{
	(void)state;
	struct history h;
	struct history_entry e;

	history_init(&h);
	for (size_t i = 0; i < 4; i++)
		history_visit(&h, at(i));
	assert_true(history_back(&h, &e));
	assert_true(history_back(&h, &e));
	assert_entry(e, 1);

	history_visit(&h, at(9));
	assert_false(history_forward(&h, &e));
	assert_int_equal(h.n, 3);

	assert_true(history_back(&h, &e));
	assert_entry(e, 1);
	assert_true(history_forward(&h, &e));
	assert_entry(e, 9);
	assert_false(history_forward(&h, &e));
}

static void test_update_keeps_scroll(void **state)
{
	(void)state;
	struct history h;
	struct history_entry e;

	history_init(&h);
	history_visit(&h, at(0));
	history_update(&h, (struct history_entry){.article = &places[0],
						  .scroll = 42,
						  .link = 3,
						  .link_target = &places[5]});
	history_visit(&h, at(1));
	history_update(&h, (struct history_entry){.article = &places[1], .scroll = 7, .link = 0});

	assert_true(history_back(&h, &e));
	assert_ptr_equal(e.article, &places[0]);
	assert_int_equal(e.scroll, 42);
	assert_int_equal(e.link, 3);
	assert_ptr_equal(e.link_target, &places[5]);

	assert_true(history_forward(&h, &e));
	assert_ptr_equal(e.article, &places[1]);
	assert_int_equal(e.scroll, 7);
	assert_int_equal(e.link, 0);
}

static void test_bounded(void **state)
{
	(void)state;
	struct history h;
	struct history_entry e;
	size_t total = HISTORY_MAX + 50, backs = 0;

	history_init(&h);
	for (size_t i = 0; i < total; i++)
		history_visit(&h, at(i));
	assert_int_equal(h.n, HISTORY_MAX);
	assert_int_equal(h.pos, HISTORY_MAX - 1);

	/* Back walks the newest HISTORY_MAX places in reverse; the oldest 50 are gone. */
	while (history_back(&h, &e)) {
		backs++;
		assert_entry(e, total - 1 - backs);
	}
	assert_int_equal(backs, HISTORY_MAX - 1);
	assert_entry(h.v[h.pos], total - HISTORY_MAX);

	/* And forward walks all of them again. */
	size_t forwards = 0;
	while (history_forward(&h, &e))
		forwards++;
	assert_int_equal(forwards, HISTORY_MAX - 1);
	assert_entry(e, total - 1);
}

static void test_visit_when_full_after_back(void **state)
{
	(void)state;
	struct history h;
	struct history_entry e;

	history_init(&h);
	for (size_t i = 0; i < HISTORY_MAX; i++)
		history_visit(&h, at(i));
	assert_true(history_back(&h, &e));
	/* Going back made room: the new place replaces the forward one, nothing is dropped. */
	history_visit(&h, at(HISTORY_MAX));
	assert_int_equal(h.n, HISTORY_MAX);
	assert_entry(h.v[0], 0);
	assert_entry(h.v[HISTORY_MAX - 2], HISTORY_MAX - 2);
	assert_entry(h.v[HISTORY_MAX - 1], HISTORY_MAX);
	assert_false(history_forward(&h, &e));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_back_at_start),
		cmocka_unit_test(test_go),
		cmocka_unit_test(test_back_and_forward),
		cmocka_unit_test(test_visit_drops_forward),
		cmocka_unit_test(test_update_keeps_scroll),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_visit_when_full_after_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
