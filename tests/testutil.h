/* testutil.h: what several cmocka tests share. */
#ifndef XINWEN_TESTUTIL_H
#define XINWEN_TESTUTIL_H

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

#endif
