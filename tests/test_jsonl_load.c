/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_jsonl_load.c: one big JSON Lines file: loaded in two halves on two threads,
 * the same as on one (ids with their duplicate suffixes, the list, the messages), and
 * its progress counted in bytes. */
#include <config.h>

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

#include <time.h>

#include "app.h"
#include "catalog.h"
#include "collection.h"
#include "loader.h"
#include "reload.h"
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
			sb_printf(&b,
				  "{\"news_id\":\"dup\",\"title\":\"d%zu\",\"time\":\"03-22 "
				  "12:%02zu\","
				  "\"content\":\"x\\n\\\"y\\\" %zu\"}\n",
				  i, i % 60, i);
		else if (i % 7 == 0)
			sb_printf(&b, "{\"title\":\"noid %zu\",\"news_id\":\"\",\"source\":3}\r\n",
				  i);
		else if (i % 101 == 0)
			sb_printf(&b, "{\"title\":\"bad \xff utf8 %zu\",\"news_id\":\"u%zu\"}\n", i,
				  i);
		else
			sb_printf(&b,
				  "{\"news_id\":\"%zu\",\"title\":\"t%zu\",\"time\":\"2016-%02zu-%"
				  "02zu\","
				  "\"content\":\"%s\"}\n",
				  i % 3000, i, 1 + i % 12, 1 + i % 28, "段落一\\n段落二");
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(b.s, 1, b.n, f), b.n);
	assert_int_equal(fclose(f), 0);
	sb_free(&b);
}

static void load(struct collection *c, const char *path, uint64_t split_min, uint64_t piece,
		 atomic_uint_least64_t *bytes)
{
	struct load_opts o = {.format = FORMAT_AUTO,
			      .lean = true,
			      .split_min = split_min,
			      .piece_bytes = piece,
			      .bytes = bytes};

	collection_init(c);
	loader_load_path_opts(c, path, &o);
	collection_finish(c);
}

static void test_split_same_as_serial(void **state)
{
	NEEDS_JANSSON(); /* JSON Lines */
	char dir[512], path[600];
	struct collection one, two;
	atomic_uint_least64_t bytes;
	struct stat st;
	size_t noid = 0;

	(void)state;
	assert_true(test_scratch_dir(dir, sizeof dir, "jsonl"));
	write_corpus(dir, 30000, path, sizeof path);
	assert_int_equal(stat(path, &st), 0);
	load(&one, path, UINT64_MAX, 0, NULL); /* never split */
	/* in two pieces; in hundreds of pieces, which the two threads take in turn */
	for (uint64_t piece = 0; piece <= 4096; piece += 4096) {
		atomic_init(&bytes, 0);
		load(&two, path, 1, piece, &bytes);
		assert_int_equal(atomic_load(&bytes), (uint64_t)st.st_size);
		test_assert_same_records(&one, &two);
		/* the file's lines as one thread counts them (an append is read from there) */
		assert_true(one.files.v[0].lines > 30000);
		assert_int_equal(one.files.v[0].lines, two.files.v[0].lines);
		assert_true(one.files.v[0].tail_hash == two.files.v[0].tail_hash);
		/* what the file holds is there: suffixes counted across the pieces, ids made
		 * of line numbers in the later ones, the bad lines' messages */
		assert_non_null(collection_find(&two, "dup~6000"));
		assert_null(collection_find(&two, "dup~6001"));
		/* a duplicate is said at its record's line, in a later piece too */
		size_t said = 0;
		for (size_t i = 0; i < two.diags.n; i++) {
			const struct diag *d = &two.diags.v[i];
			const char *using = strstr(d->msg, ": using dup~");
			if (strncmp(d->msg, "duplicate id dup", 16) != 0 || !using)
				continue;
			const struct article *a = collection_find(&two, using + 8);
			assert_non_null(a);
			assert_true(d->line > 0);
			assert_int_equal(d->line, a->line);
			said++;
		}
		assert_int_equal(said, 5999);
		noid = 0;
		for (size_t i = 0; i < two.articles.n; i++)
			noid += strncmp(two.articles.v[i]->id, "big-", 4) == 0;
		assert_true(noid > 3000);
		assert_true(two.diags.n > 6000);
		collection_free(&two);
	}
	collection_free(&one);
	unlink(path);
	rmdir(dir);
}

/* The first screen's share: up to the first line end at or after max_bytes, whole
 * records only; the file's size is the whole file's. */
static void test_first_screen_share(void **state)
{
	NEEDS_JANSSON(); /* JSON Lines */
	char dir[512], path[600];
	struct load_opts o = {.format = FORMAT_AUTO, .lean = true, .max_bytes = 100000};
	atomic_uint_least64_t bytes;
	atomic_size_t records;
	struct collection c, all;
	struct stat st;
	FILE *f;
	char *text = NULL;
	size_t n = 0;

	(void)state;
	assert_true(test_scratch_dir(dir, sizeof dir, "jsonl"));
	write_corpus(dir, 5000, path, sizeof path);
	assert_int_equal(stat(path, &st), 0);
	/* where the share ends: the LF at or after byte 100,000 */
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(getdelim(&text, &n, '\0', f) > 0, 1);
	fclose(f);
	const char *nl = strchr(text + 100000, '\n');
	size_t stop = (size_t)(nl - text) + 1, lines = 0;
	for (const char *p = text; p < text + stop; p++)
		lines += *p == '\n';
	atomic_init(&bytes, 0);
	atomic_init(&records, 0);
	o.bytes = &bytes;
	o.records = &records;
	collection_init(&c);
	loader_load_path_opts(&c, path, &o);
	collection_finish(&c);
	assert_int_equal(atomic_load(&bytes), stop);
	assert_int_equal(atomic_load(&records), lines);
	assert_int_equal(c.files.n, 1);
	assert_int_equal(c.files.v[0].size, (uint64_t)st.st_size);
	load(&all, path, UINT64_MAX, 0, NULL);
	assert_true(c.articles.n > 100 && c.articles.n < all.articles.n);
	for (size_t i = 0; i < c.articles.n; i++) { /* each is the whole file's */
		const struct article *a = c.articles.v[i];
		assert_true(a->rec_off + a->rec_len < stop);
	}
	for (size_t i = 0; i < c.diags.n; i++) /* no record cut in two */
		assert_true(c.diags.v[i].line <= lines);
	collection_free(&c);
	collection_free(&all);
	free(text);
	unlink(path);
	rmdir(dir);
}

/* The status line while a big file loads beside the reader: the share of its bytes
 * read and the records so far (the first screen's until loading passes them); then
 * the whole, said in articles. */
static void test_progress_status(void **state)
{
	NEEDS_JANSSON(); /* JSON Lines */
	char dir[512], path[600];
	struct load_opts first = {.format = FORMAT_AUTO, .lean = true, .max_bytes = 100000};
	struct load_opts whole = {.format = FORMAT_AUTO, .lean = true};
	struct strbuf sb = {0};
	struct collection part;
	struct stat st;
	struct app a;
	char *paths[1];

	(void)state;
	assert_true(test_scratch_dir(dir, sizeof dir, "jsonl"));
	write_corpus(dir, 20000, path, sizeof path);
	assert_int_equal(stat(path, &st), 0);
	paths[0] = path;
	collection_init(&part);
	loader_load_path_opts(&part, path, &first);
	collection_finish(&part);
	struct reload *r = reload_start(&part, RELOAD_LOAD, paths, 1, &whole, 0, NULL);
	reload_track_bytes(r, (uint64_t)st.st_size / 4, (uint64_t)st.st_size, 1234567);
	app_init(&a, &part, 24, 100);
	a.reload.first = r;
	app_loading_status(&a, &sb);
	assert_string_equal(sb.s, " · loading: 25% · 1,234,567 articles");
	for (int tries = 0; app_waiting(&a) && tries < 20000; tries++) {
		if (!app_idle(&a) && app_waiting(&a)) {
			struct timespec ms = {0, 1000000};
			nanosleep(&ms, NULL);
		}
	}
	assert_false(app_waiting(&a));
	assert_true(a.c->articles.n > part.articles.n);
	sb_clear(&sb);
	sb_put_count(&sb, a.c->articles.n);
	assert_non_null(strstr(a.message, "Loaded all "));
	assert_non_null(strstr(a.message, sb.s));
	sb_free(&sb);
	app_free(&a);
	reload_free(r);
	collection_free(&part);
	unlink(path);
	rmdir(dir);
}

/* Append text to path. */
static void append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Quitting once the whole list is taken, while its catalog is written, finishes the
 * catalog (for a quick start next time) rather than dropping it. */
static void test_quit_finishes_catalog(void **state)
{
	NEEDS_JANSSON(); /* JSON Lines */
	char dir[512], path[600], file[700];
	struct load_opts first = {.format = FORMAT_AUTO, .lean = true, .max_bytes = 100000};
	struct load_opts whole = {.format = FORMAT_AUTO, .lean = true};
	struct collection part;
	char *paths[1];

	(void)state;
	assert_true(test_scratch_dir(dir, sizeof dir, "jsonl"));
	write_corpus(dir, 20000, path, sizeof path);
	snprintf(file, sizeof file, "%s/catalog-0123456789abcdef", dir);
	paths[0] = path;
	collection_init(&part);
	loader_load_path_opts(&part, path, &first);
	collection_finish(&part);
	struct reload *r = reload_start(&part, RELOAD_LOAD, paths, 1, &whole, 1, file);
	reload_begin(r);
	for (int tries = 0; !reload_ready(r) && tries < 20000; tries++)
		nanosleep(&(struct timespec){0, 1000000}, NULL);
	assert_true(reload_ready(r));
	reload_free(r); /* as the reader quitting: waits for the catalog */
	assert_int_equal(access(file, F_OK), 0);
	collection_free(&part);
	unlink(file);
	unlink(path);
	rmdir(dir);
}

/* The whole list is taken before its catalog is written (reload_ready), so a failure to
 * write it comes after "Loaded all", said on its own once the writing is over. */
static void test_catalog_failure_said_after(void **state)
{
	NEEDS_JANSSON(); /* JSON Lines */
	char dir[512], path[600], blocker[600], file[700];
	struct load_opts first = {.format = FORMAT_AUTO, .lean = true, .max_bytes = 100000};
	struct load_opts whole = {.format = FORMAT_AUTO, .lean = true};
	struct collection part;
	struct app a;
	char *paths[1];
	bool saw_loaded = false;

	(void)state;
	assert_true(test_scratch_dir(dir, sizeof dir, "jsonl"));
	write_corpus(dir, 5000, path, sizeof path);
	snprintf(blocker, sizeof blocker, "%s/file", dir);
	append(blocker, "not a directory\n");
	snprintf(file, sizeof file, "%s/catalog-0123456789abcdef", blocker); /* cannot be made */
	paths[0] = path;
	collection_init(&part);
	loader_load_path_opts(&part, path, &first);
	collection_finish(&part);
	struct reload *r = reload_start(&part, RELOAD_LOAD, paths, 1, &whole, 1, file);
	app_init(&a, &part, 24, 100);
	a.reload.first = r;
	for (int tries = 0; app_waiting(&a) && tries < 20000; tries++) {
		if (!app_idle(&a) && app_waiting(&a))
			nanosleep(&(struct timespec){0, 1000000}, NULL);
		saw_loaded = saw_loaded || strstr(a.message, "Loaded all ") != NULL;
	}
	assert_false(app_waiting(&a));
	assert_true(a.c->articles.n > part.articles.n);
	assert_true(saw_loaded);
	assert_non_null(strstr(a.message, file)); /* then the failure */
	app_free(&a);
	reload_free(r);
	collection_free(&part);
	unlink(path);
	unlink(blocker);
	rmdir(dir);
}

/* Load path reusing the catalog file cat of an earlier load; the bytes read. */
static uint64_t reload(struct collection *c, const char *path, const char *cat)
{
	struct collection old;
	struct strbuf why = {0};
	atomic_uint_least64_t bytes;

	collection_init(&old);
	assert_int_equal(catalog_read(&old, 42, cat, &why), CATALOG_OK);
	struct catalog_reuse *reuse = catalog_reuse_new(&old);
	struct load_opts o = {.format = FORMAT_AUTO,
			      .lean = true,
			      .split_min = UINT64_MAX,
			      .reuse_tail = catalog_reuse_tail,
			      .reuse_ctx = reuse,
			      .bytes = &bytes};
	atomic_init(&bytes, 0);
	collection_init(c);
	loader_load_path_opts(c, path, &o);
	collection_finish(c);
	catalog_reuse_free(reuse);
	collection_free(&old);
	sb_free(&why);
	return atomic_load(&bytes);
}

/* A file that only grew is read from its old end on, the rest taken from the catalog:
 * the same collection as a new load (ids numbered across the old part and the new,
 * ids made of line numbers, messages); one whose old bytes changed is read whole. */
static void test_append_reads_tail(void **state)
{
	NEEDS_JANSSON(); /* JSON Lines */
	char dir[512], path[600], cat[700];
	struct collection c, cold;
	struct stat st;
	uint64_t old_size, read;
	FILE *f;

	(void)state;
	assert_true(test_scratch_dir(dir, sizeof dir, "jsonl"));
	write_corpus(dir, 3000, path, sizeof path);
	snprintf(cat, sizeof cat, "%s/catalog", dir);
	load(&c, path, UINT64_MAX, 0, NULL);
	assert_true(c.files.v[0].lines > 3000);
	assert_null(catalog_write(&c, 42, cat));
	collection_free(&c);
	assert_int_equal(stat(path, &st), 0);
	old_size = (uint64_t)st.st_size;
	append(path, "{\"news_id\":\"dup\",\"title\":\"new dup\",\"time\":\"2017-01-01\"}\n"
		     "{\"title\":\"new noid\"}\n"
		     "{\"title\":\"broken\"\n"
		     "{\"news_id\":\"7\",\"title\":\"new seven\"}\n");
	assert_int_equal(stat(path, &st), 0);
	read = reload(&c, path, cat);
	assert_int_equal(read, (uint64_t)st.st_size - old_size); /* the new lines only */
	load(&cold, path, UINT64_MAX, 0, NULL);
	test_assert_same_records(&cold, &c);
	assert_int_equal(c.files.v[0].lines, cold.files.v[0].lines);
	assert_true(c.files.v[0].tail_hash == cold.files.v[0].tail_hash);
	assert_non_null(collection_find(&c, "dup~601"));
	assert_memory_equal(collection_find(&c, "dup~601")->title.p, "new dup", 7);
	collection_free(&c);

	/* the catalog of this load; then a byte before the old end changed, and more
	 * appended: read whole, the same as a new load */
	assert_null(catalog_write(&cold, 42, cat));
	collection_free(&cold);
	assert_int_equal(stat(path, &st), 0);
	f = fopen(path, "r+");
	assert_non_null(f);
	assert_int_equal(fseek(f, (long)st.st_size - 30, SEEK_SET), 0);
	fputc('Z', f);
	assert_int_equal(fclose(f), 0);
	append(path, "{\"news_id\":\"8\",\"title\":\"eight\"}\n");
	assert_int_equal(stat(path, &st), 0);
	read = reload(&c, path, cat);
	assert_int_equal(read, (uint64_t)st.st_size);
	load(&cold, path, UINT64_MAX, 0, NULL);
	test_assert_same_records(&cold, &c);
	collection_free(&c);
	collection_free(&cold);
	unlink(cat);
	unlink(path);
	rmdir(dir);
}

static void test_put_count(void **state)
{
	static const struct {
		unsigned long long n;
		const char *s;
	} cases[] = {{0, "0"},
		     {999, "999"},
		     {1000, "1,000"},
		     {1024000, "1,024,000"},
		     {123456789012ULL, "123,456,789,012"}};
	struct strbuf sb = {0};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		sb_clear(&sb);
		sb_put_count(&sb, cases[i].n);
		assert_string_equal(sb.s, cases[i].s);
	}
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_same_as_serial),
		cmocka_unit_test(test_first_screen_share),
		cmocka_unit_test(test_progress_status),
		cmocka_unit_test(test_catalog_failure_said_after),
		cmocka_unit_test(test_quit_finishes_catalog),
		cmocka_unit_test(test_append_reads_tail),
		cmocka_unit_test(test_put_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
