/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_jsonl_load.c: one big JSON Lines file: loaded in two halves on two threads,
 * the same as on one (ids with their duplicate suffixes, the list, the messages), and
 * its progress counted in bytes. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collection.h"
#include "loader.h"
#include "strbuf.h"
#include "testutil.h"

/* A generated file of n records: ids that repeat (every fifth is "dup"), records
 * without an id (named by their line), bad lines, blank lines, a CR LF line end, a
 * line with invalid UTF-8; written to dir/name, its path in path. */
static void write_corpus(const char *dir, size_t n, char *path, size_t size)
{
	struct strbuf b = {0};
	FILE *f;

	snprintf(path, size, "%s/big.jsonl", dir);
	for (size_t i = 0; i < n; i++) {
		if (i % 997 == 5)
			sb_puts(&b, "{\"title\":\"broken\" \"news_id\":1}\n");
		if (i % 1499 == 7)
			sb_puts(&b, "\n  \n");
		if (i % 5 == 0)
			sb_printf(&b, "{\"news_id\":\"dup\",\"title\":\"d%zu\",\"time\":\"03-22 12:%02zu\","
				  "\"content\":\"x\\n\\\"y\\\" %zu\"}\n", i, i % 60, i);
		else if (i % 7 == 0)
			sb_printf(&b, "{\"title\":\"noid %zu\",\"news_id\":\"\",\"source\":3}\r\n", i);
		else if (i % 101 == 0)
			sb_printf(&b, "{\"title\":\"bad \xff utf8 %zu\",\"news_id\":\"u%zu\"}\n", i, i);
		else
			sb_printf(&b, "{\"news_id\":\"%zu\",\"title\":\"t%zu\",\"time\":\"2016-%02zu-%02zu\","
				  "\"content\":\"%s\"}\n", i % 3000, i, 1 + i % 12, 1 + i % 28,
				  "段落一\\n段落二");
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(b.s, 1, b.n, f), b.n);
	assert_int_equal(fclose(f), 0);
	sb_free(&b);
}

static void load(struct collection *c, const char *path, uint64_t split_min,
		 atomic_uint_least64_t *bytes)
{
	struct load_opts o = {.format = FORMAT_AUTO, .lean = true, .split_min = split_min,
			      .bytes = bytes};

	collection_init(c);
	loader_load_path_opts(c, path, &o);
	collection_finish(c);
}

static void assert_same(const struct collection *a, const struct collection *b)
{
	assert_int_equal(a->articles.n, b->articles.n);
	for (size_t i = 0; i < a->articles.n; i++) {
		const struct article *x = a->articles.v[i], *y = b->articles.v[i];

		assert_string_equal(x->id, y->id);
		assert_int_equal(x->title.n, y->title.n);
		assert_memory_equal(x->title.p, y->title.p, x->title.n);
		assert_int_equal(x->source.n, y->source.n);
		assert_memory_equal(x->source.p, y->source.p, x->source.n);
		assert_int_equal(x->rec_off, y->rec_off);
		assert_int_equal(x->rec_len, y->rec_len);
		assert_int_equal(x->file, y->file);
		assert_true(x->ident.hi == y->ident.hi && x->ident.lo == y->ident.lo);
	}
	assert_int_equal(a->diags.n, b->diags.n);
	for (size_t i = 0; i < a->diags.n; i++) {
		assert_string_equal(a->diags.v[i].file, b->diags.v[i].file);
		assert_int_equal(a->diags.v[i].line, b->diags.v[i].line);
		assert_string_equal(a->diags.v[i].msg, b->diags.v[i].msg);
		assert_int_equal(a->diags.v[i].file_no, b->diags.v[i].file_no);
	}
	assert_int_equal(a->files.n, b->files.n);
}

static void test_split_same_as_serial(void **state)
{
	char dir[512], path[600];
	struct collection one, two;
	atomic_uint_least64_t bytes;
	struct stat st;
	size_t noid = 0;

	(void)state;
	assert_true(test_scratch_dir(dir, sizeof dir, "jsonl"));
	write_corpus(dir, 30000, path, sizeof path);
	assert_int_equal(stat(path, &st), 0);
	load(&one, path, UINT64_MAX, NULL); /* never split */
	atomic_init(&bytes, 0);
	load(&two, path, 1, &bytes); /* split at the middle */
	assert_int_equal(atomic_load(&bytes), (uint64_t)st.st_size);
	assert_same(&one, &two);
	/* what the file holds is there: suffixes counted across the halves, ids made of
	 * line numbers in the second half, the bad lines' messages */
	assert_non_null(collection_find(&two, "dup~6000"));
	assert_null(collection_find(&two, "dup~6001"));
	for (size_t i = 0; i < two.articles.n; i++)
		noid += strncmp(two.articles.v[i]->id, "big-", 4) == 0;
	assert_true(noid > 3000);
	assert_true(two.diags.n > 6000);
	collection_free(&one);
	collection_free(&two);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_same_as_serial),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
