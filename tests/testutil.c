/* SPDX-License-Identifier: GPL-3.0-or-later */
/* testutil.c: what several cmocka tests share. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <unistr.h>

#include "format.h"
#include "testutil.h"

#define SEED_NAME "000_bc5b92f142057c5b.txt"

char *test_read_seed(size_t *n)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/data/" SEED_NAME, top && *top ? top : ".");
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	char *buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return buf;
}

void test_load_seed(struct collection *c, const char *id)
{
	size_t n;
	char *seed = test_read_seed(&n);
	collection_init(c);
	assert_true(fmt_native_add_buffer(c, "seed.txt", id, seed, n));
	free(seed);
	collection_finish(c);
}

void test_type(struct app *a, const char *text)
{
	const uint8_t *p = (const uint8_t *)text;
	while (*p) {
		ucs4_t uc;
		p += u8_strmbtouc(&uc, p);
		app_key(a, (int)uc);
	}
	app_settle(a);
}

bool test_scratch_dir(char *root, size_t size, const char *tag)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp || strlen(tmp) > 256)
		tmp = "/tmp";
	snprintf(root, size, "%s/xinwen-%s-XXXXXX", tmp, tag);
	return mkdtemp(root) != NULL;
}
