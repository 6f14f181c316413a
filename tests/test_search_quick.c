/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_search_quick.c: --search answered from the index and the catalog alone
 * (cli_search_quick) prints, byte for byte, what --search from the collection loaded
 * (cli_search) prints, on a generated collection for hundreds of queries (hits, misses,
 * fields, regexes, --count); what it cannot answer it leaves, having printed nothing:
 * a query the index cannot narrow, files changed, a map or a catalog damaged. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "index.h"
#include "loader.h"
#include "startup.h"
#include "testutil.h"

static char scratch[512];

/* The bytes of a catalog's header (catalog.c): its files table follows. */
#define CATALOG_HEADER_BYTES 112

/* Characters of the generated texts: Traditional and Simplified forms, full-width and
 * plain Latin, punctuation and line breaks (the context lines join them). */
static const char *const alphabet[] = {
	"閬", "阆", "中", "古", "城", "國", "国", "新", "聞", "闻", "說", "说", "學", "学",
	"人", "大", "年", "市", "政", "府", "四", "川", "觀", "观", "察", "的", "是", "在",
	"X",  "I",  "N",  "W",	"x",  "i",  "ｘ", "ｉ", "２", "0",  "，", "。", " ",  "\n",
};
#define NALPHA (sizeof alphabet / sizeof alphabet[0])

/* How many queries answered the quick way found articles. */
static size_t found;

static const char *const sources[] = {"四川觀察", "新華社", "人民日报", "中央社"};

static uint64_t rng = 88172645463325252u;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void random_text(struct strbuf *t, size_t chars, bool breaks)
{
	for (size_t i = 0; i < chars; i++) {
		size_t a = next_rand() % NALPHA, b = next_rand() % NALPHA;
		size_t k = a < b ? a : b;
		sb_puts(t, !breaks && k == NALPHA - 1 ? " " : alphabet[k]);
	}
}

static char *path_in(const char *name)
{
	struct strbuf p = {0};
	sb_printf(&p, "%s/%s", scratch, name);
	return p.s;
}

static void write_file(const char *name, const char *s, size_t n)
{
	char *p = path_in(name);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	free(p);
}

/* The collection: native articles (some linking to headlines not in it: excerpts) and,
 * with JSON Lines support, a file of records whose bodies are read back by range. */
static void make_files(void)
{
	char name[64];
	char *col = path_in("col");
	assert_int_equal(mkdir(col, 0700), 0);
	free(col);
	for (size_t k = 0; k < 300; k++) {
		struct strbuf t = {0};
		random_text(&t, 2 + next_rand() % 10, false);
		sb_printf(&t, "\n\n2020-%02d-%02d %s\n\n", (int)(1 + k % 12), (int)(1 + k % 28),
			  sources[k % 4]);
		random_text(&t, 20 + next_rand() % 300, true);
		if (k % 7 == 0) { /* a related headline not in the collection: an excerpt */
			sb_puts(&t, "\n\n相關焦點\n  • ");
			random_text(&t, 4 + next_rand() % 8, false);
			sb_puts(&t, "\n    ");
			random_text(&t, 10 + next_rand() % 20, false);
			sb_putc(&t, '\n');
		}
		sb_putc(&t, '\n');
		snprintf(name, sizeof name, "col/a%04zu.txt", k);
		write_file(name, t.s, t.n);
		sb_free(&t);
	}
#ifdef HAVE_JANSSON
	struct strbuf j = {0};
	for (size_t k = 0; k < 700; k++) {
		sb_printf(&j, "{\"news_id\":\"n%zu\",\"title\":\"", k);
		random_text(&j, 2 + next_rand() % 10, false);
		sb_printf(&j,
			  "\",\"source\":\"%s\",\"time\":\"2016-%02d-%02d 10:00\",\"content\":\"",
			  sources[(k / 3) % 4], (int)(1 + k % 12), (int)(1 + k % 28));
		struct strbuf body = {0};
		random_text(&body, 20 + next_rand() % 400, true);
		for (size_t i = 0; i < body.n; i++)
			if (body.s[i] == '\n')
				sb_puts(&j, "\\n");
			else
				sb_putc(&j, body.s[i]);
		sb_free(&body);
		sb_puts(&j, "\"}\n");
	}
	write_file("col/news.jsonl", j.s, j.n);
	sb_free(&j);
#endif
}

static const struct load_opts load = {.format = FORMAT_AUTO, .lean = true};

/* The startup of --search (main.c's options for it). */
static const struct startup_opts search_opts = {
	.scripted = true, .indexed = true, .use_cache = true, .load = &load};

/* What a search printed. */
struct printed {
	char *out, *err;
	size_t nout, nerr;
	int status;
};

static void printed_free(struct printed *p)
{
	free(p->out);
	free(p->err);
}

/* Run --search query the way of the collection loaded (quick false: cli_search with ix)
 * or from the index alone (cli_search_quick) into *p. */
static void run(struct startup *s, struct text_index *ix, bool quick, const char *query, bool regex,
		bool count, struct printed *p)
{
	FILE *out = open_memstream(&p->out, &p->nout), *err = open_memstream(&p->err, &p->nerr);
	bool map_wanted;
	assert_non_null(out);
	assert_non_null(err);
	if (quick)
		p->status = cli_search_quick(s->key, s->catalog, s->paths, s->npaths, &load, query,
					     regex, count, &map_wanted, out, err);
	else
		p->status = cli_search(&s->c, query, regex, count, ix, out, err);
	fclose(out);
	fclose(err);
}

/* Assert that query is answered the same both ways (or, when the index cannot narrow
 * it, left by the quick way with nothing printed); returns whether it was answered. */
static bool same_both_ways(struct startup *s, struct text_index *ix, const char *query, bool regex,
			   bool count)
{
	struct printed full = {0}, quick = {0};
	run(s, ix, false, query, regex, count, &full);
	run(s, ix, true, query, regex, count, &quick);
	bool scanned = strstr(full.err, "scanning") != NULL;
	if (quick.status < 0) {
		assert_int_equal(quick.nout + quick.nerr, 0);
		if (!scanned)
			fail_msg("'%s'%s%s: answered by the index, not by the quick way", query,
				 regex ? " (regex)" : "", count ? " --count" : "");
	} else {
		assert_false(scanned);
		if (full.status != quick.status || full.nout != quick.nout ||
		    full.nerr != quick.nerr || memcmp(full.out, quick.out, full.nout) != 0 ||
		    memcmp(full.err, quick.err, full.nerr) != 0)
			fail_msg("'%s'%s%s: status %d/%d, %zu/%zu bytes out, %zu/%zu err:\n%.300s\n"
				 "--- quick:\n%.300s",
				 query, regex ? " (regex)" : "", count ? " --count" : "",
				 full.status, quick.status, full.nout, quick.nout, full.nerr,
				 quick.nerr, full.out, quick.out);
	}
	bool answered = quick.status >= 0;
	found += answered && full.status == 0;
	printed_free(&full);
	printed_free(&quick);
	return answered;
}

/* A query made of a piece of an article's title or text (a hit, mostly), of 2 to 6
 * characters up to a space or a line break, sometimes with a field. */
static void query_from(const struct article *a, struct strbuf *q)
{
	struct strbuf text = {0};
	search_article_text(a, &text);
	size_t n = text.n, at = next_rand() % (n ? n : 1), len = 2 + next_rand() % 5;
	while (at < n && ((unsigned char)text.s[at] & 0xC0) == 0x80)
		at++;
	size_t end = at;
	for (size_t k = 0; k < len && end < n && text.s[end] != ' ' && text.s[end] != '\n'; k++) {
		end++;
		while (end < n && ((unsigned char)text.s[end] & 0xC0) == 0x80)
			end++;
	}
	sb_clear(q);
	sb_append(q, text.s + at, end - at);
	switch (next_rand() % 6) {
	case 0: sb_printf(q, " source:%s", sources[next_rand() % 4]); break;
	case 1: sb_printf(q, " date:%.7s", a->date.n >= 7 ? a->date.p : "2016-01"); break;
	case 2:
		sb_printf(q, " date:2016-%02d..2020-%02d", (int)(1 + next_rand() % 12),
			  (int)(1 + next_rand() % 12));
		break;
	default: break;
	}
	sb_free(&text);
}

/* Load the collection for --search (from the catalog when there is one). */
static void load_for_search(struct startup *s, char *const *paths)
{
	startup_load(s, paths, 1, &search_opts);
	assert_true(s->indexed);
	assert_non_null(s->catalog);
}

/* The collection written, its catalog, its index built and its map saved: s holds it
 * (from the catalog), *ix the index attached. */
static void set_up_search(struct startup *s, struct text_index **ix, char *const *paths)
{
	load_for_search(s, paths);
	size_t excerpts = 0;
	for (size_t i = 0; i < collection_count(&s->c); i++)
		excerpts += collection_article(&s->c, i)->kind == ARTICLE_EXCERPT;
	assert_true(collection_count(&s->c) > 300 && excerpts > 20);
	assert_null(catalog_write(&s->c, s->key, s->catalog));
	startup_free(s);
	load_for_search(s, paths);
	assert_non_null(s->c.slab); /* from the catalog */
	FILE *err = tmpfile();
	*ix = cli_index_open(s->key, &s->c, true, err);
	assert_non_null(*ix);
	char why[256];
	int rc;
	while ((rc = index_update(*ix, 1 << 20, NULL, why, sizeof why)) == 0)
		;
	assert_int_equal(rc, 1);
	fclose(err);
	assert_true(index_fresh(*ix));
	/* No map yet: the quick way leaves it, saying the map is wanted. */
	bool map_wanted;
	FILE *out = tmpfile();
	assert_int_equal(cli_search_quick(s->key, s->catalog, s->paths, s->npaths, &load, "中国",
					  false, true, &map_wanted, out, out),
			 -1);
	assert_int_equal(ftell(out), 0);
	fclose(out);
	assert_true(map_wanted);
	assert_true(cli_search_save_map(*ix, &s->c));
}

static void test_same_output(void **state)
{
	(void)state;
	struct startup s;
	struct text_index *ix;
	char *col = path_in("col");
	char *paths[] = {col};
	set_up_search(&s, &ix, paths);

	static const char *const fixed[] = {"閬中",
					    "阆中",
					    "ｘｉｎ",
					    "國人",
					    "中国",
					    "沒有這樣的字串",
					    "閬中 source:四川觀察",
					    "source:新華社 国",
					    "title:閬 中国",
					    "date:2016-03 中国",
					    "date:2020-11..2020-12 新聞",
					    "date:2019 閬中",
					    "閬",
					    "source:中央社",
					    "date:11-2020",
					    "相關"};
	size_t answered = 0, asked = 0;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		for (int count = 0; count < 2; count++, asked++)
			answered += same_both_ways(&s, ix, fixed[i], false, count);
	static const char *const regexes[] = {"閬中.國", "國国+", "(.{1,200}){1,200}", "^新",
					      "中国|人"};
	for (size_t i = 0; i < sizeof regexes / sizeof regexes[0]; i++)
		for (int count = 0; count < 2; count++, asked++)
			answered += same_both_ways(&s, ix, regexes[i], true, count);
	struct strbuf q = {0};
	rng = 4242;
	for (int i = 0; i < 400; i++, asked++) {
		if (i % 4 == 3) { /* mostly misses */
			sb_clear(&q);
			random_text(&q, 3 + next_rand() % 4, false);
		} else {
			query_from(collection_article(&s.c, next_rand() % collection_count(&s.c)),
				   &q);
		}
		answered += same_both_ways(&s, ix, sb_cstr(&q), false, i % 3 == 0);
	}
	sb_free(&q);
	/* Most are answered the quick way: only one character, fields alone and regexes
	 * without two literals in a row are not. */
	/* Hits and misses both. */
	assert_true(found > asked / 3 && found < answered);
	assert_true(answered * 10 > asked * 9);
	index_close(ix);
	startup_free(&s);
	free(col);
}

/* The hits of query by ix, and the kind of answer. */
static enum index_answer hits_of(struct text_index *ix, const char *query, search_hits *hits)
{
	struct search q;
	char err[256];
	assert_true(search_compile(&q, query, strlen(query), false, err, sizeof err));
	enum index_answer kind = index_query(ix, &q, hits, err, sizeof err);
	search_free(&q);
	return kind;
}

/* The reader's index for a collection read from its catalog: attached by the map saved
 * for that catalog (index_attach_catalog), it answers as the index attached by the
 * articles' identities; without the map, or for a collection loaded from the files, it
 * is not attached that way. */
static void test_attach_by_catalog_map(void **state)
{
	(void)state;
	struct startup s, files;
	struct text_index *ix;
	char *col = path_in("col");
	char *paths[] = {col};
	char why[256];
	bool rebuilt;
	set_up_search(&s, &ix, paths);
	char *path = index_path(s.key);
	struct text_index *by_map = index_open(path, &rebuilt, why, sizeof why);
	assert_non_null(by_map);
	assert_true(index_attach_catalog(by_map, &s.c, why, sizeof why));
	assert_true(index_fresh(by_map));
	search_hits want = {0}, got = {0};
	struct strbuf q = {0};
	rng = 777;
	for (int i = 0; i < 300; i++) {
		query_from(collection_article(&s.c, next_rand() % collection_count(&s.c)), &q);
		enum index_answer kind = hits_of(ix, sb_cstr(&q), &want);
		assert_int_equal(hits_of(by_map, sb_cstr(&q), &got), kind);
		assert_int_equal(got.n, want.n);
		if (want.n)
			assert_memory_equal(got.v, want.v, want.n * sizeof *want.v);
	}
	index_close(by_map);
	/* Loaded from the files, not from the catalog: no map is of it. */
	struct startup_opts no_cache = search_opts;
	no_cache.use_cache = false;
	startup_load(&files, paths, 1, &no_cache);
	by_map = index_open(path, &rebuilt, why, sizeof why);
	assert_non_null(by_map);
	assert_false(index_attach_catalog(by_map, &files.c, why, sizeof why));
	/* The map removed: none for the catalog's collection either. */
	index_forget_map(by_map);
	assert_false(index_attach_catalog(by_map, &s.c, why, sizeof why));
	index_close(by_map);
	startup_free(&files);
	free(want.v);
	free(got.v);
	sb_free(&q);
	free(path);
	index_close(ix);
	startup_free(&s);
	free(col);
}

/* Flip byte at of file name. */
static void flip(const char *name, off_t at)
{
	int fd = open(name, O_RDWR);
	unsigned char b;
	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &b, 1, at), 1);
	b ^= 0x20;
	assert_int_equal(pwrite(fd, &b, 1, at), 1);
	close(fd);
}

/* What the quick way prints for query (-1: left, nothing printed). */
static int quick_status(struct startup *s, const char *query)
{
	struct printed p = {0};
	run(s, NULL, true, query, false, false, &p);
	if (p.status < 0)
		assert_int_equal(p.nout + p.nerr, 0);
	int status = p.status;
	printed_free(&p);
	return status;
}

static void test_not_fresh(void **state)
{
	(void)state;
	struct startup s;
	struct text_index *ix;
	char *col = path_in("col");
	char *paths[] = {col};
	set_up_search(&s, &ix, paths);
	index_close(ix);
	assert_int_equal(quick_status(&s, "中国"), 0);

	/* The map damaged: left. */
	char *ipath = index_path(s.key);
	struct strbuf map = {0};
	sb_printf(&map, "%s-map", ipath);
	flip(map.s, 60);
	assert_int_equal(quick_status(&s, "中国"), -1);
	flip(map.s, 60);
	assert_int_equal(quick_status(&s, "中国"), 0);

	/* A byte of the catalog's files table changed in place (its header the same): its
	 * slice no longer matches its seal (the files are read at each search). */
	off_t at = CATALOG_HEADER_BYTES + 16;
	flip(s.catalog, at);
	assert_int_equal(quick_status(&s, "中国"), -1);
	flip(s.catalog, at);
	assert_int_equal(quick_status(&s, "中国"), 0);

	/* A file changed (its times): left, as the catalog is not used then. */
	struct strbuf f = {0};
	sb_printf(&f, "%s/a0001.txt", col);
	struct timespec times[2] = {{0, UTIME_OMIT}, {12345, 0}};
	assert_int_equal(utimensat(AT_FDCWD, f.s, times, 0), 0);
	assert_int_equal(quick_status(&s, "中国"), -1);
	sb_free(&f);
	sb_free(&map);
	free(ipath);
	startup_free(&s);
	free(col);
}

/* Append the bytes of file path to *out. */
static void read_whole(const char *path, struct strbuf *out)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		sb_append(out, buf, n);
	fclose(fp);
}

/* A damaged title: the article's slice of the strings is found not to match when it
 * is read, before anything is printed. */
static void test_damaged_title(void **state)
{
	(void)state;
	struct startup s;
	struct text_index *ix;
	char *col = path_in("col");
	char *paths[] = {col};
	set_up_search(&s, &ix, paths);
	index_close(ix);
	/* An article's title of 3 characters or more without a space, found among the
	 * catalog's strings by its bytes between two NULs; the query: that title. */
	struct strbuf title = {0};
	for (size_t i = 0; i < collection_count(&s.c) && !title.n; i++) {
		const struct article *a = collection_article(&s.c, i);
		if (a->title.n >= 9 && !memchr(a->title.p, ' ', a->title.n)) {
			sb_putc(&title, '\0');
			sb_append(&title, a->title.p, a->title.n);
			sb_putc(&title, '\0');
		}
	}
	assert_true(title.n > 0);
	struct strbuf all = {0};
	read_whole(s.catalog, &all);
	const char *hit = memmem(all.s, all.n, title.s, title.n);
	assert_non_null(hit);
	off_t at = hit - all.s + 2;
	char *query = strndup(title.s + 1, title.n - 2);
	assert_int_equal(quick_status(&s, query), 0);
	flip(s.catalog, at);
	assert_int_equal(quick_status(&s, query), -1);
	flip(s.catalog, at);
	assert_int_equal(quick_status(&s, query), 0);
	free(query);
	sb_free(&all);
	sb_free(&title);
	startup_free(&s);
	free(col);
}

/* A catalog found damaged once the first matches are printed: the output stops there,
 * a prefix of the whole, said to be incomplete (exit 2), and the map is removed: the
 * next search takes the way that reads the files. */
static void test_damaged_late(void **state)
{
	(void)state;
	struct startup s;
	struct text_index *ix;
	char *col = path_in("col");
	char *paths[] = {col};
	set_up_search(&s, &ix, paths);
	/* A query with a match far in the list from its first two and from the list's end
	 * (the last records share a slice with the strings' first, which every article
	 * reads: the empty string). */
	static const char *const queries[] = {"中国", "国人", "的是", "在中", "人大", "新聞"};
	const char *query = NULL;
	search_hits hits = {0};
	size_t late_hit = 0;
	for (size_t i = 0; i < sizeof queries / sizeof queries[0] && !query; i++) {
		struct search q;
		struct search_keys k;
		char err[64];
		assert_true(
			search_compile(&q, queries[i], strlen(queries[i]), false, err, sizeof err));
		search_keys_init(&k, &s.c);
		search_collection(&k, &q, &hits);
		search_keys_free(&k);
		search_free(&q);
		for (size_t j = 2; j < hits.n && !query; j++)
			if (hits.v[j] > hits.v[1] + 64 && hits.v[j] + 64 < collection_count(&s.c)) {
				query = queries[i];
				late_hit = j;
			}
	}
	assert_non_null(query);
	struct printed full = {0}, late = {0};
	run(&s, ix, false, query, false, false, &full);
	index_close(ix);
	/* That match's record, found in the catalog by its content identity. */
	const struct article *a = collection_article(&s.c, hits.v[late_hit]);
	uint64_t ident[2] = {a->ident.hi, a->ident.lo};
	struct strbuf all = {0};
	read_whole(s.catalog, &all);
	const char *rec = memmem(all.s, all.n, ident, sizeof ident);
	assert_non_null(rec);
	flip(s.catalog, rec - all.s);
	cli_search_checked_first = 2;
	run(&s, NULL, true, query, false, false, &late);
	cli_search_checked_first = 1000;
	assert_int_equal(late.status, 2);
	assert_non_null(strstr(late.err, "found damaged"));
	assert_true(late.nout > 0 && late.nout < full.nout);
	assert_memory_equal(late.out, full.out, late.nout);
	/* The map is gone; put the byte back: the quick way has no map to answer by. */
	flip(s.catalog, rec - all.s);
	assert_int_equal(quick_status(&s, query), -1);
	printed_free(&full);
	printed_free(&late);
	sb_free(&all);
	free(hits.v);
	startup_free(&s);
	free(col);
}

static int setup(void **state)
{
	char *cache;
	(void)state;
	if (!test_scratch_dir(scratch, sizeof scratch, "quick"))
		return -1;
	cache = path_in("cache");
	setenv("XDG_CACHE_HOME", cache, 1);
	free(cache);
	rng = 88172645463325252u;
	make_files();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unsetenv("XDG_CACHE_HOME");
	return test_scratch_remove(scratch);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_same_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attach_by_catalog_map, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_fresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_title, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damaged_late, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
