/* SPDX-License-Identifier: GPL-3.0-or-later */
/* testutil.h: what several cmocka tests share. */
#ifndef XINWEN_TESTUTIL_H
#define XINWEN_TESTUTIL_H

#include <config.h>

#include <stdbool.h>
#include <stddef.h>

#include "app.h"
#include "collection.h"

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

#endif
