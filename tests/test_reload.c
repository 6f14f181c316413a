/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_reload.c: the reader showing the first files of a collection while the rest
 * loads beside it (reload.h, RELOAD_LOAD), then taking the whole collection
 * (app_reload.c): what is kept across, and a filter typed meanwhile. */
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
#include "app_internal.h"
#include "catalog.h"
#include "configfile.h"
#include "keys.h"
#include "loader.h"
#include "reload.h"
#include "testutil.h"

#define FILES 40
#define FIRST 5

static char root[300];

/* FILES articles, 000.txt to 039.txt (only the last one's title holds 深圳), and an
 * empty zzz.txt. */
static void make_collection(void)
{
	assert_true(test_scratch_dir(root, sizeof root, "reload"));
	for (int i = 0; i < FILES; i++) {
		char path[600];
		snprintf(path, sizeof path, "%s/%03d.txt", root, i);
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fprintf(f, "%s %d\n\n2020-01-%02d 來源\n\n第 %d 篇的內容。\n",
			i == FILES - 1 ? "深圳新聞" : "新聞", i, 1 + i % 28, i);
		fclose(f);
	}
	char empty[600]; /* a broken file among the rest: said once all is loaded */
	snprintf(empty, sizeof empty, "%s/zzz.txt", root);
	fclose(fopen(empty, "w"));
}

/* Do the reader's idle work until the reload's result is taken (at most 10 s). */
static void idle_until_taken(struct app *a)
{
	for (int tries = 0; app_waiting(a) && tries < 10000; tries++) {
		if (!app_idle(a) && app_waiting(a)) {
			struct timespec ms = {0, 1000000};
			nanosleep(&ms, NULL);
		}
	}
	assert_false(app_waiting(a));
	while (app_idle(a))
		;
}

/* The first FIRST files loaded, the reader on them, the rest loading beside it; when
 * catalogued, the reload writes the catalog ROOT/catalog (key 7) once all is loaded. */
static struct reload *start_to(struct app *a, struct collection *part, bool catalogued)
{
	char cat[700];
	static const struct load_opts first = {.lean = true, .max_files = FIRST};
	static const struct load_opts all = {.lean = true};
	char *paths[] = {root};

	make_collection();
	collection_init(part);
	loader_load_path_opts(part, root, &first);
	collection_finish(part);
	assert_int_equal(collection_count(part), FIRST);
	snprintf(cat, sizeof cat, "%s/catalog", root);
	struct reload *r = reload_start(part, RELOAD_LOAD, paths, 1, &all, catalogued ? 7 : 0,
					catalogued ? cat : NULL);
	app_init(a, part, 24, 100);
	a->reload.first = r;
	return r;
}

/* start_to with no catalog. */
static struct reload *start(struct app *a, struct collection *part)
{
	return start_to(a, part, false);
}

/* start_to with a catalog, read back when it holds more than above articles. */
static struct reload *start_catalogued(struct app *a, struct collection *part, size_t above)
{
	struct reload *r = start_to(a, part, true);
	reload_read_back_above(r, above);
	return r;
}

static void finish(struct app *a, struct reload *r, struct collection *part)
{
	app_free(a);
	reload_free(r);
	collection_free(part);
	test_scratch_remove(root);
}

/* The similar stories' cache is read for the whole collection: the first files' own
 * similar stories built, and their load done but not yet taken, the cache wanted was
 * given up (no build to pair it with) and every later start built the similar
 * stories of the whole collection again (at 2.5 million articles, minutes and
 * gigabytes) instead of mapping the file it had written. */
static void test_similar_cache_after_take(void **state)
{
	struct collection part;
	struct app a;
	char cache[400];
	(void)state;

	struct reload *r = start(&a, &part);
	snprintf(cache, sizeof cache, "%s/cache", root);
	setenv("XDG_CACHE_HOME", cache, 1);
	a.similar.cache_wanted = true;
	/* the first files' similar stories built, beside the load */
	for (int tries = 0; a.similar.build && tries < 10000; tries++)
		app_similar_idle(&a);
	assert_null(a.similar.build);
	struct reload_progress p;
	reload_begin(r);
	for (int tries = 0; reload_loading(r, &p) && tries < 10000; tries++) {
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	assert_false(reload_loading(r, &p)); /* loaded, not taken yet */
	idle_until_taken(&a);
	assert_int_equal(collection_count(a.c), FILES);
	assert_non_null(a.similar.cache); /* asked for the whole collection's */
	finish(&a, r, &part);
	unsetenv("XDG_CACHE_HOME");
}

/* The whole collection replaces the first files', the article selected stays so. */
static void test_take_keeps_selection(void **state)
{
	struct collection part;
	struct app a;
	struct reload *r = start(&a, &part);
	(void)state;

	app_apply(&a, ACTION_DOWN, 0);
	app_apply(&a, ACTION_DOWN, 0);
	char *sel = strdup(collection_article(&part, a.list.sel)->id);
	assert_true(app_waiting(&a));
	idle_until_taken(&a);
	assert_int_equal(collection_count(a.c), FILES);
	assert_false(app_waiting(&a));
	assert_non_null(strstr(a.message, "Loaded all 41 files; 1 problem while loading"));
	assert_string_equal(collection_article(a.c, a.list.sel)->id, sel);
	free(sel);
	finish(&a, r, &part);
}

/* A reader still on the first headline when the whole collection arrives stays on the
 * first, the newest of all (not on the newest of the first files, now mid-list); a
 * configuration problem said at the start stays said, the news after it. */
static void test_take_keeps_newest_and_config_problem(void **state)
{
	struct collection part;
	struct config cfg;
	struct app a;
	struct reload *r = start(&a, &part);
	static const char bad[] = "frobnicate\n";
	(void)state;

	config_init(&cfg);
	config_parse(&cfg, "config", bad, strlen(bad));
	a.opts.config = &cfg;
	config_status_message(&cfg, a.message, sizeof a.message);
	assert_non_null(strstr(a.message, "config:1:"));
	assert_int_equal(a.list.sel, 0);
	assert_string_equal(collection_article(&part, 0)->id,
			    "004"); /* the newest of the first 5 */
	idle_until_taken(&a);
	assert_int_equal(collection_count(a.c), FILES);
	assert_int_equal(a.list.sel, 0);
	assert_string_equal(collection_article(a.c, 0)->id, "027"); /* 2020-01-28, the newest */
	assert_int_equal(strncmp(a.message, "config:1:", 9), 0);
	assert_non_null(strstr(a.message, "; Loaded all 41 files; 1 problem while loading"));
	finish(&a, r, &part);
	config_free(&cfg);
}

/* A filter typed while loading goes on over the whole collection; a match only the
 * rest holds is no verdict of "no match" before. */
static void test_filter_typed_while_loading(void **state)
{
	struct collection part;
	struct app a;
	struct reload *r = start(&a, &part);
	(void)state;

	test_type(&a, "/深圳");
	app_key(&a, KEYC_RETURN); /* Enter: the filter kept, the prompt closed */
	app_settle(&a);
	assert_int_equal(a.prompt.kind, PROMPT_OFF);
	assert_true(a.list.filtered);
	assert_int_equal(a.list.view.n, 0);
	assert_null(strstr(a.message, "No headline"));
	idle_until_taken(&a);
	assert_int_equal(collection_count(a.c), FILES);
	assert_true(a.list.filtered);
	assert_int_equal(a.list.view.n, 1);
	const struct article *hit = collection_article(a.c, a.list.view.v[0]);
	assert_int_equal(hit->title.n, strlen("深圳新聞 39"));
	assert_memory_equal(hit->title.p, "深圳新聞 39", hit->title.n);
	finish(&a, r, &part);
}

/* The reader's arrangement and place are kept across: the sort, the grouping, the T/S
 * form, the article open full screen. */
static void test_take_keeps_arrangement(void **state)
{
	NEEDS_OPENCC(); /* the form: Simplified */
	struct collection part;
	struct app a;
	struct reload *r = start(&a, &part);
	(void)state;

	app_set_sort(&a, SORT_OLDEST);
	app_set_group(&a, GROUP_SOURCE);
	app_apply(&a, ACTION_SCRIPT, 0);
	enum convert_mode script = a.script;
	assert_int_not_equal(script, CONVERT_ORIGINAL);
	app_apply(&a, ACTION_DOWN, 0);
	app_apply(&a, ACTION_DOWN, 0);
	app_apply(&a, ACTION_FULLSCREEN, 0);
	char *sel = strdup(collection_article(&part, a.list.sel)->id);
	idle_until_taken(&a);
	assert_int_equal(collection_count(a.c), FILES);
	assert_int_equal(a.list.sort, SORT_OLDEST);
	assert_int_equal(a.list.group, GROUP_SOURCE);
	assert_true(a.list.order.active);
	assert_true(a.list.order.headers.n > 0);
	assert_int_equal(a.script, script);
	assert_int_equal(a.focus, FOCUS_PANE);
	assert_true(a.fullscreen);
	assert_string_equal(collection_article(a.c, a.list.sel)->id, sel);
	free(sel);
	finish(&a, r, &part);
}

/* The key reference opened while the rest loads (? pressed at once) stays open, at
 * the row it was scrolled to, when the whole collection arrives. */
static void test_take_keeps_help(void **state)
{
	struct collection part;
	struct app a;
	struct reload *r = start(&a, &part);
	(void)state;

	app_apply(&a, ACTION_HELP, 0);
	app_apply(&a, ACTION_DOWN, 0);
	assert_true(a.help.shown);
	assert_int_equal(a.help.top, 1);
	idle_until_taken(&a);
	assert_int_equal(collection_count(a.c), FILES);
	assert_true(a.help.shown);
	assert_int_equal(a.help.top, 1);
	assert_true(a.help.rows > 0);
	app_apply(&a, ACTION_QUIT, 0); /* q leaves the help, not the reader */
	assert_false(a.help.shown);
	assert_false(a.quit);
	finish(&a, r, &part);
}

/* A warm start of a big collection: the reader on the first part of its catalog
 * (catalog_read_part), saying the whole's count while it reads the rest beside it
 * (RELOAD_REST); then the whole, the article selected still selected, nothing said. */
static void test_take_rest_of_catalog(void **state)
{
	static const struct load_opts all = {.lean = true};
	char *paths[] = {root}, cat[700];
	struct collection cold, part;
	struct strbuf why = {0}, status = {0};
	struct app a;
	size_t total;
	(void)state;

	make_collection();
	collection_init(&cold);
	loader_load_path_opts(&cold, root, &all);
	collection_finish(&cold);
	snprintf(cat, sizeof cat, "%s/catalog", root);
	assert_null(catalog_write(&cold, 7, cat));
	collection_free(&cold);
	collection_init(&part);
	assert_int_equal(catalog_read_part(&part, 7, cat, FIRST, 0, &total, &why), CATALOG_OK);
	assert_int_equal(collection_count(&part), FIRST);
	assert_int_equal(total, FILES);
	struct reload *r = reload_start(&part, RELOAD_REST, paths, 1, &all, 7, cat);
	reload_track_part(r, total);
	app_init(&a, &part, 24, 100);
	a.reload.first = r;
	app_loading_status(&a, &status);
	assert_string_equal(status.s, " · loading: 40 articles");
	app_apply(&a, ACTION_DOWN, 0);
	app_apply(&a, ACTION_DOWN, 0);
	char *sel = strdup(collection_article(&part, a.list.sel)->id);
	idle_until_taken(&a);
	assert_int_equal(collection_count(a.c), FILES);
	assert_string_equal(collection_article(a.c, a.list.sel)->id, sel);
	assert_string_equal(a.message, "");
	sb_clear(&status);
	app_loading_status(&a, &status);
	assert_true(!status.s || !status.s[0]);
	free(sel);
	sb_free(&status);
	sb_free(&why);
	finish(&a, r, &part);
}

/* A collection loaded from the files, once its catalog is written, is read back from it
 * and shown instead (reload_lighter): the same list, its articles made when first asked
 * for, the loaded one freed; the article selected and what the status line says stay. */
static void test_take_lighter(void **state)
{
	struct collection part;
	struct app a;
	(void)state;

	struct reload *r = start_catalogued(&a, &part, 0);
	for (int k = 0; k < 3; k++) /* on the first files, before the whole is taken */
		app_apply(&a, ACTION_DOWN, 0);
	for (int tries = 0; !a.reload.first_taken && tries < 10000; tries++) {
		struct timespec ms = {0, 1000000};
		if (!app_idle(&a))
			nanosleep(&ms, NULL);
	}
	assert_true(a.reload.first_taken);
	const struct collection *loaded = a.c;
	assert_null(loaded->maker);
	assert_int_equal(collection_count(loaded), FILES);
	char *sel = strdup(collection_article(a.c, a.list.sel)->id);
	char said[sizeof a.message];
	memcpy(said, a.message, sizeof said);
	assert_true(strstr(said, "Loaded all") != NULL);
	idle_until_taken(&a);
	while (!reload_done(r)) { /* the loaded collection being freed */
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	assert_ptr_not_equal(a.c, loaded);
	assert_non_null(a.c->maker);
	assert_int_equal(collection_count(a.c), FILES);
	assert_string_equal(collection_article(a.c, a.list.sel)->id, sel);
	assert_string_equal(a.message, said);
	const char *what;
	assert_ptr_equal(reload_result(r, &what), a.c);
	assert_null(reload_lighter(r)); /* taken once */
	free(sel);
	finish(&a, r, &part);
}

/* The catalog a collection was read back from, cut short under the reader (another
 * program truncating it): its strings read as nothing, not a crash, and the files are
 * loaded again, as R does, and that said. */
static void test_lighter_cut_short(void **state)
{
	static const struct load_opts all = {.lean = true};
	char *paths[] = {root}, cat[700];
	struct collection part;
	struct app a;
	(void)state;

	struct reload *r = start_catalogued(&a, &part, 0);
	snprintf(cat, sizeof cat, "%s/catalog", root);
	struct app_source src = {paths, 1, &all, 7, cat};
	a.reload.source = &src;
	idle_until_taken(&a);
	while (!reload_done(r)) { /* the loaded collection being freed */
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	while (app_idle(&a))
		;
	assert_non_null(a.c->maker);
	assert_false(catalog_damaged(a.c));
	assert_int_equal(truncate(cat, 0), 0);
	volatile size_t sum = 0; /* the reads are not optimised away */
	for (size_t i = 0; i < collection_count(a.c); i++) {
		const struct article *x = collection_article(a.c, i);
		for (size_t k = 0; k < x->title.n; k++)
			sum += (unsigned char)x->title.p[k];
	}
	(void)sum;
	assert_true(catalog_damaged(a.c));
	app_idle(&a); /* the reload starts */
	assert_non_null(a.reload.loading);
	idle_until_taken(&a);
	assert_false(catalog_damaged(a.c));
	assert_null(a.c->maker); /* loaded from the files */
	assert_int_equal(collection_count(a.c), FILES);
	assert_true(strstr(a.message, "cut short") != NULL);
	struct reload *shown = a.reload.shown; /* its collection is the one shown */
	finish(&a, r, &part);
	reload_free(shown);
}

/* Not read back when it is not bigger than asked (RELOAD_READ_BACK_ABOVE by default). */
static void test_small_not_read_back(void **state)
{
	struct collection part;
	struct app a;
	char cat[700];
	(void)state;

	struct reload *r = start_catalogued(&a, &part, RELOAD_READ_BACK_ABOVE);
	snprintf(cat, sizeof cat, "%s/catalog", root);
	idle_until_taken(&a);
	assert_true(reload_done(r));
	assert_null(reload_lighter(r));
	assert_null(a.c->maker);
	assert_int_equal(collection_count(a.c), FILES);
	struct stat st;
	assert_int_equal(stat(cat, &st), 0); /* its catalog written all the same */
	finish(&a, r, &part);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_take_keeps_selection),
		cmocka_unit_test(test_take_keeps_newest_and_config_problem),
		cmocka_unit_test(test_filter_typed_while_loading),
		cmocka_unit_test(test_take_keeps_arrangement),
		cmocka_unit_test(test_take_keeps_help),
		cmocka_unit_test(test_take_rest_of_catalog),
		cmocka_unit_test(test_take_lighter),
		cmocka_unit_test(test_lighter_cut_short),
		cmocka_unit_test(test_small_not_read_back),
		cmocka_unit_test(test_similar_cache_after_take),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
