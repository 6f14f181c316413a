/* SPDX-License-Identifier: GPL-3.0-or-later */
/* testutil.h: what several cmocka tests share. */
#ifndef XINWEN_TESTUTIL_H
#define XINWEN_TESTUTIL_H

#include <config.h>

#include <stdbool.h>
#include <stddef.h>

#include "app.h"
#include "collection.h"
#include "render.h"
#include "strbuf.h"

/* The bundled seed article's bytes (from $TOP_SRCDIR/data, else ./data), malloc'd and
 * followed by a NUL (not counted in *n); fails the test when it cannot be read. */
char *test_read_seed(size_t *n);

/* Make c the collection of the seed alone, with the given id, finished. */
void test_load_seed(struct collection *c, const char *id);

/* Type text into the app as a terminal would: one code point per key, then settle as
 * the front end does once no more input waits. */
void test_type(struct app *a, const char *text);

/* Make a new empty directory $TMPDIR/xinwen-TAG-XXXXXX (/tmp when TMPDIR is unset or
 * too long), its name in root (size bytes, at least 300); false if it cannot be made. */
bool test_scratch_dir(char *root, size_t size, const char *tag);

/* Remove the directory root and everything in it (symbolic links not followed); 0 or -1. */
int test_scratch_remove(const char *root);

/* Assert that a and b hold the same bytes. */
void test_assert_str_equal(struct str a, struct str b);

/* Assert that x and y show the same article: id, title, date, source, content identity
 * and body (read back where it is kept on disk). */
void test_assert_same_fields(const struct article *x, const struct article *y);

/* Assert that a and b (a file of records loaded in two halves, and on one thread) hold
 * the same records, field by field and by byte range, and said the same problems. */
void test_assert_same_records(const struct collection *a, const struct collection *b);

/* Assert that no two of c's articles share an id (sorted, not compared two by two). */
void test_assert_ids_unique(const struct collection *c);

/* Assert that x and y said the same problems: file, line and message of each. */
void test_assert_same_diags(const struct collection *x, const struct collection *y);

/* Skip the test case (cmocka's skip(), in a case's body) when xinwen is built without the
 * library it needs: ./configure --without-opencc, --without-jansson. */
#ifdef HAVE_OPENCC
#define NEEDS_OPENCC() ((void)0)
#else
#define NEEDS_OPENCC() skip()
#endif
#ifdef HAVE_JANSSON
#define NEEDS_JANSSON() ((void)0)
#else
#define NEEDS_JANSSON() skip()
#endif

/* The app fixture: a collection, the reader on it and the grid it is rendered into, as
 * the terminal front end has them (the app points into c: keep it where it is). */
struct test_app {
	struct collection c;
	struct app app;
	struct grid grid;
	struct strbuf text; /* what test_app_row and test_app_screen return */
};

/* A new fixture with an empty collection: load f->c, then test_app_start. */
struct test_app *test_app_new(void);

/* Start the reader on f->c (finished) with a screen of rows x cols. */
void test_app_start(struct test_app *f, int rows, int cols);

/* A new fixture of the seed alone (article id id), started at rows x cols. */
struct test_app *test_app_seed(const char *id, int rows, int cols);

/* Free what f holds (f itself stays: it may be on the stack). */
void test_app_clear(struct test_app *f);

/* Free what f holds, and f (from test_app_new or test_app_seed). */
void test_app_free(struct test_app *f);

/* cmocka's setup: the seed (id 000_bc5b92f142057c5b) at 40x120 in *state; and the
 * teardown of any fixture from test_app_new. */
int test_app_setup_seed(void **state);
int test_app_teardown(void **state);

/* A cmocka test run on the seed's fixture (test_app_setup_seed, test_app_teardown). */
#define TEST_APP_SEED(t) cmocka_unit_test_setup_teardown(t, test_app_setup_seed, test_app_teardown)

/* Render f and return screen row y as text (until the next call on f). */
const char *test_app_row(struct test_app *f, int y);

/* Render f and return the status line (the last row) as text (likewise). */
const char *test_app_status(struct test_app *f);

/* Render f and return its rows joined by newlines (likewise). */
const char *test_app_screen(struct test_app *f);

#endif
