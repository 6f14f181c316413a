/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_index.c: the persistent full-text index answers as the scan does (thousands of
 * random queries over a generated collection, every hit and miss), and keeps doing so
 * across an incremental update, a build stopped halfway, a damaged file and a kill -9
 * in the middle of a build. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "app_internal.h"
#include "fileio.h"
#include "format.h"
#include "index.h"
#include "postings.h"
#include "search.h"
#include "testutil.h"

/* Characters the generated texts are made of: Traditional and Simplified forms of the
 * same words, full-width and plain Latin, digits, punctuation, spaces. */
static const char *const alphabet[] = {
	"閬", "阆", "中", "古", "城", "國", "国", "新", "聞", "闻", "說", "说", "學",
	"学", "人", "大", "年", "市", "政", "府", "四", "川", "觀", "观", "察", "的",
	"是", "在", "X",  "I",	"N",  "W",  "E",  "x",	"i",  "n",  "ｘ", "ｉ", "ｎ",
	"２", "0",  "2",  "6",	"，", "。", " ",  "股", "體", "育", "天", "氣",
};
#define NALPHA (sizeof alphabet / sizeof alphabet[0])

static uint64_t rng = 88172645463325252u;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void random_text(struct strbuf *t, size_t chars)
{
	for (size_t i = 0; i < chars; i++) {
		/* Skewed: the first characters are common, the last rare. */
		size_t a = next_rand() % NALPHA, b = next_rand() % NALPHA;
		sb_puts(t, alphabet[a < b ? a : b]);
	}
}

static const char *const sources[] = {"四川觀察", "新華社", "人民日报", "中央社"};

/* Make article number k, its body of about chars characters; variant changes it; add
 * it to c copies times (reprints: one text under several names). */
static void add_article(struct collection *c, size_t k, size_t chars, int variant, int copies)
{
	struct strbuf t = {0};
	char name[32];
	random_text(&t, 2 + next_rand() % 8);
	sb_printf(&t, "%s\n\n2020-%02d-%02d %s\n\n", variant ? "改" : "", (int)(1 + k % 12),
		  (int)(1 + k % 28), sources[k % 4]);
	random_text(&t, chars);
	if (k % 97 == 0)
		sb_puts(&t, "XINWEN2026");
	if (k % 89 == 0)
		sb_puts(&t, "閬中");
	sb_putc(&t, '\n');
	for (int i = 0; i < copies; i++) {
		if (i)
			snprintf(name, sizeof name, "a%05zu-%d.txt", k, i);
		else
			snprintf(name, sizeof name, "a%05zu.txt", k);
		assert_true(fmt_native_add_buffer(c, name, name, t.s, t.n));
	}
	sb_free(&t);
}

/* A collection of n generated articles (the same for the same seed); article skip is
 * left out and article changed is a variant. */
static void make_collection(struct collection *c, size_t n, uint64_t seed, size_t skip,
			    size_t changed)
{
	rng = seed;
	collection_init(c);
	for (size_t k = 0; k < n; k++) {
		size_t chars = 20 + next_rand() % 300;
		add_article(c, k, chars, k == changed, k != skip);
	}
	collection_finish(c);
}

/* How many times article k is in the collection of make_reprints: 0 to 3 times, then
 * (round 1) one more of every fifth and one less of every seventh. */
static int reprints(size_t k, int round)
{
	int n = (int)(k * 7 % 4);
	if (round == 1)
		n += (k % 5 == 0) - (k % 7 == 0 && n > 0);
	return n;
}

/* A collection of n generated articles, article k there reprints(k, round) times. */
static void make_reprints(struct collection *c, size_t n, int round)
{
	rng = 31;
	collection_init(c);
	for (size_t k = 0; k < n; k++) {
		size_t chars = 20 + next_rand() % 200;
		add_article(c, k, chars, 0, reprints(k, round));
	}
	collection_finish(c);
}

static char scratch[512];

static char *db_path(const char *name)
{
	struct strbuf p = {0};
	sb_printf(&p, "%s/%s", scratch, name);
	return p.s;
}

/* Open path and attach c, asserting it works; *todo: articles left to index. */
static struct text_index *open_attached(const char *path, const struct collection *c, size_t *todo,
					bool *rebuilt)
{
	char why[512];
	bool again;
	struct text_index *ix = index_open(path, rebuilt ? rebuilt : &again, why, sizeof why);
	if (!ix)
		fail_msg("index_open: %s", why);
	*todo = index_attach(ix, c, why, sizeof why);
	if (*todo == SIZE_MAX)
		fail_msg("index_attach: %s", why);
	return ix;
}

static void build_all(struct text_index *ix)
{
	char why[512];
	struct index_progress p = {0};
	int rc;
	while ((rc = index_update(ix, 64 << 10, &p, why, sizeof why)) == 0)
		;
	if (rc < 0)
		fail_msg("index_update: %s", why);
	assert_true(index_fresh(ix));
}

/* Whether the index answers query exactly as the scan does; returns the number of
 * hits. regex: the index's candidates must hold every match. */
/* The index's exact answer to query, while it may not hold every article yet: each
 * article it finds the scan finds too. Returns how many it found, *scanned how many the
 * scan did. */
static size_t indexed_subset(struct text_index *ix, struct search_keys *k, const char *query,
			     size_t *scanned)
{
	struct search s;
	search_hits got = {0}, scan = {0};
	char err[128];

	assert_true(search_compile(&s, query, strlen(query), false, err, sizeof err));
	search_collection(k, &s, &scan);
	assert_int_equal(index_query(ix, &s, &got, err, sizeof err), INDEX_EXACT);
	size_t j = 0;
	for (size_t i = 0; i < got.n; i++) {
		while (j < scan.n && scan.v[j] < got.v[i])
			j++;
		assert_true(j < scan.n && scan.v[j] == got.v[i]);
	}
	size_t found = got.n;
	*scanned = scan.n;
	free(got.v);
	free(scan.v);
	search_free(&s);
	return found;
}

static size_t same_answer(struct text_index *ix, struct search_keys *k, const char *query,
			  bool regex)
{
	struct search q;
	search_hits scan = {0}, got = {0};
	char err[256];

	if (!search_compile(&q, query, strlen(query), regex, err, sizeof err))
		fail_msg("%s: %s", query, err);
	search_collection(k, &q, &scan);
	enum index_answer kind = index_query(ix, &q, &got, err, sizeof err);
	if (kind == INDEX_ERROR)
		fail_msg("%s: %s", query, err);
	if (kind == INDEX_EXACT) {
		if (got.n != scan.n)
			fail_msg("'%s': the index found %zu, the scan %zu", query, got.n, scan.n);
		for (size_t i = 0; i < scan.n; i++)
			assert_int_equal(got.v[i], scan.v[i]);
	} else if (kind == INDEX_CANDIDATES) {
		size_t j = 0;
		for (size_t i = 0; i < scan.n; i++) {
			while (j < got.n && got.v[j] < scan.v[i])
				j++;
			if (j == got.n || got.v[j] != scan.v[i])
				fail_msg("'%s': the index missed article %zu", query, scan.v[i]);
		}
	}
	size_t n = scan.n;
	free(scan.v);
	free(got.v);
	search_free(&q);
	return n;
}

/* A query of 2 to 10 characters: from an article's title, source or text, or random. */
static void random_query(const struct collection *c, struct strbuf *out)
{
	size_t len = 2 + next_rand() % 9;
	sb_clear(out);
	if (next_rand() % 2) {
		random_text(out, len);
		return;
	}
	const struct article *a = c->articles.v[next_rand() % c->articles.n];
	struct strbuf text = {0};
	search_article_text(a, &text);
	/* Characters, not bytes: pick a start character. */
	size_t chars = 0;
	for (size_t i = 0; i < text.n; i++)
		chars += ((unsigned char)text.s[i] & 0xC0) != 0x80;
	size_t start = next_rand() % chars, at = 0, i = 0;
	for (; i < text.n; i++)
		if (((unsigned char)text.s[i] & 0xC0) != 0x80 && at++ == start)
			break;
	size_t e = i;
	for (size_t took = 0; e < text.n && took <= len; e++)
		if (((unsigned char)text.s[e] & 0xC0) != 0x80 && ++took > len)
			break;
	sb_append(out, text.s + i, e - i);
	/* A newline of the text stays out of a query (the prompt takes none). */
	for (size_t j = 0; j < out->n; j++)
		if (out->s[j] == '\n')
			out->s[j] = ' ';
	sb_free(&text);
}

static void test_same_as_scan(void **state)
{
	NEEDS_OPENCC();
	struct collection c;
	struct search_keys k;
	struct strbuf query = {0};
	size_t todo, hits = 0, misses = 0;
	char *path = db_path("same.db");
	(void)state;

	make_collection(&c, 2000, 42, SIZE_MAX, SIZE_MAX);
	struct text_index *ix = open_attached(path, &c, &todo, NULL);
	assert_int_equal(todo, c.articles.n);
	build_all(ix);
	search_keys_init(&k, &c);
	rng = 7;
	for (int i = 0; i < 4000; i++) {
		random_query(&c, &query);
		if (i % 10 == 0)
			sb_printf(&query, " source:%s", sources[i % 4]);
		if (same_answer(ix, &k, query.s, false))
			hits++;
		else
			misses++;
	}
	/* Both kinds were tried, many times. */
	assert_true(hits > 1000);
	assert_true(misses > 500);
	/* Folding: Traditional finds Simplified, full width finds plain, case. */
	assert_true(same_answer(ix, &k, "閬中", false) > 0);
	assert_int_equal(same_answer(ix, &k, "閬中", false), same_answer(ix, &k, "阆中", false));
	assert_true(same_answer(ix, &k, "ｘｉｎｗｅｎ２０２６", false) >= 20);
	assert_int_equal(same_answer(ix, &k, "沒有這樣的字串", false), 0);
	/* Fields with and without text; regexes: the candidates hold every match. */
	assert_true(same_answer(ix, &k, "閬中 source:四川觀察", false) > 0);
	assert_true(same_answer(ix, &k, "date:2020-11 国", false) > 0);
	static const char *const regexes[] = {"閬.中",	     "新聞+國",		  "xinwen[0-9]+",
					      "(古城)?新聞", "政府\\.?",	  "a|b",
					      "^國",	     "(.{1,200}){1,200}", "閬中.{0,5}",
					      "國{2}中",     "[閬阆]中",	  "\\d{2}國"};
	for (size_t i = 0; i < sizeof regexes / sizeof regexes[0]; i++)
		same_answer(ix, &k, regexes[i], true);
	sb_free(&query);
	search_keys_free(&k);
	index_close(ix);
	collection_free(&c);
	free(path);
}

/* Every query of the alphabet's pairs and some longer ones, after an update. */
static void check_all_pairs(struct text_index *ix, const struct collection *c)
{
	struct search_keys k;
	char q[32];
	search_keys_init(&k, c);
	for (size_t a = 0; a < NALPHA; a += 3)
		for (size_t b = 0; b < NALPHA; b += 2) {
			snprintf(q, sizeof q, "%s%s", alphabet[a], alphabet[b]);
			same_answer(ix, &k, q, false);
		}
	same_answer(ix, &k, "改", false); /* one character: the index cannot, says so */
	search_keys_free(&k);
}

/* A changed article, a removed one and the others: only the changed one is indexed
 * again, and the answers follow. */
static void test_incremental(void **state)
{
	struct collection c1, c2;
	size_t todo;
	char *path = db_path("incr.db");
	(void)state;

	make_collection(&c1, 600, 5, SIZE_MAX, SIZE_MAX);
	struct text_index *ix = open_attached(path, &c1, &todo, NULL);
	build_all(ix);
	index_close(ix);
	/* The same collection again: nothing to do. */
	ix = open_attached(path, &c1, &todo, NULL);
	assert_int_equal(todo, 0);
	assert_true(index_fresh(ix));
	index_close(ix);
	/* Article 10 removed, article 20 changed. */
	make_collection(&c2, 600, 5, 10, 20);
	ix = open_attached(path, &c2, &todo, NULL);
	assert_int_equal(todo, 1);
	assert_false(index_fresh(ix));
	build_all(ix);
	check_all_pairs(ix, &c2);
	struct search_keys k;
	search_keys_init(&k, &c2);
	assert_int_equal(same_answer(ix, &k, "改", false), 1); /* one character: scanned */
	struct search q;
	search_hits got = {0};
	char err[128];
	assert_true(search_compile(&q, "title:改", 8, false, err, sizeof err));
	assert_int_equal(index_query(ix, &q, &got, err, sizeof err), INDEX_CANNOT);
	search_free(&q);
	free(got.v);
	search_keys_free(&k);
	index_close(ix);
	collection_free(&c1);
	collection_free(&c2);
	free(path);
}

/* Build the index at path of c in steps of step bytes. */
static struct text_index *build_in_steps(const char *path, const struct collection *c, size_t step)
{
	char why[256];
	size_t todo;
	struct index_progress p = {0};
	int rc;
	struct text_index *ix = open_attached(path, c, &todo, NULL);
	while ((rc = index_update(ix, step, &p, why, sizeof why)) == 0)
		;
	if (rc < 0)
		fail_msg("index_update: %s", why);
	return ix;
}

/* Files in the scratch directory whose name starts with prefix and holds part. */
static size_t count_files(const char *prefix, const char *part)
{
	size_t n = 0;
	DIR *d = opendir(scratch);
	struct dirent *e;
	assert_non_null(d);
	while ((e = readdir(d)))
		n += !strncmp(e->d_name, prefix, strlen(prefix)) && strstr(e->d_name, part);
	closedir(d);
	return n;
}

/* Every query of the alphabet's pairs and random ones answer as the scan does. */
static void check_queries(struct text_index *ix, const struct collection *c, int nrandom)
{
	struct search_keys k;
	struct strbuf query = {0};
	check_all_pairs(ix, c);
	search_keys_init(&k, c);
	for (int i = 0; i < nrandom; i++) {
		random_query(c, &query);
		same_answer(ix, &k, query.s, false);
	}
	sb_free(&query);
	search_keys_free(&k);
}

/* Merges copy a list's blocks but at the joins of its segments: the answers are the
 * same as when every list is coded anew (and as the scan's), through merges of merges
 * (lists of many blocks from each segment). */
static void test_merge_copies_blocks(void **state)
{
	struct collection c;
	char *copy = db_path("copy.db"), *recode = db_path("recode.db");
	(void)state;

	make_collection(&c, 2000, 11, SIZE_MAX, SIZE_MAX);
	post_merge_recode = true;
	struct text_index *b = build_in_steps(recode, &c, 12 << 10);
	post_merge_recode = false;
	struct text_index *a = build_in_steps(copy, &c, 12 << 10);
	/* Merged into few segments, in another way (the joins leave shorter blocks). */
	assert_true(count_files("copy.db-", "") < 12);
	assert_true(index_file_bytes(copy) != index_file_bytes(recode));
	rng = 99;
	check_queries(a, &c, 1500);
	rng = 99;
	check_queries(b, &c, 1500);
	index_close(a);
	index_close(b);
	collection_free(&c);
	free(copy);
	free(recode);
}

/* A query whose rarest bigram's list is long runs on two threads, each on half of its
 * blocks: the answers are the scan's, whether every list is split (each of more than
 * one block), none or the default; and whether a phrase reads the lists of the
 * bigrams that cover it (the default, which every other test uses) or of all. */
static void test_split_query(void **state)
{
	NEEDS_OPENCC();
	struct collection c;
	char *path = db_path("split.db");
	size_t todo;
	(void)state;

	make_collection(&c, 2000, 13, SIZE_MAX, SIZE_MAX);
	struct text_index *ix = open_attached(path, &c, &todo, NULL);
	build_all(ix);
	static const size_t splits[] = {0, SIZE_MAX, INDEX_SPLIT_ROWS, 200};
	for (size_t i = 0; i < 2 * sizeof splits / sizeof splits[0]; i++) {
		index_split_rows = splits[i / 2];
		index_cover_all = i % 2;
		rng = 31;
		check_queries(ix, &c, 1000);
		/* A regular expression of two literals: the rows of each, in order,
		 * intersected. */
		struct search_keys k;
		search_keys_init(&k, &c);
		char q[64];
		for (size_t a = 0; a < 12; a++)
			for (size_t b = 12; b < 24; b += 3) {
				snprintf(q, sizeof q, "%s%s.*%s%s", alphabet[a], alphabet[a + 1],
					 alphabet[b], alphabet[b + 2]);
				same_answer(ix, &k, q, true);
			}
		search_keys_free(&k);
	}
	index_split_rows = INDEX_SPLIT_ROWS;
	index_cover_all = false;
	index_close(ix);
	collection_free(&c);
	free(path);
}

/* Lists of 129 to 386 rows (blocks of 128 rows and one of fewer, one row among them),
 * decoded two blocks at a time (block_gaps in postings.c), whole, in parts on two
 * threads or only where the rarest bigram's rows are; gaps between positions small
 * and, in some rows, escaped (a few thousand characters between two): the answers are
 * the scan's. */
static void test_block_pairs(void **state)
{
	NEEDS_OPENCC();
	static const size_t counts[] = {129, 257, 385, 386};
	static const char *const queries[] = {"甲乙丙",	  "甲乙",   "乙丙",
					      "甲乙丙丁", "乙丙丁", "丙丁"};
	char *path = db_path("pairs.db");
	(void)state;

	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		struct collection c;
		struct strbuf t = {0};
		char name[32];
		rng = 57 + i;
		collection_init(&c);
		for (size_t k = 0; k < counts[i]; k++) {
			sb_clear(&t);
			/* 甲乙 in every row, 乙丙 in most, 丙丁 in a few, at varied places;
			 * more often in every other block (the second of a pair has more
			 * gaps than the first). */
			for (size_t n = 1 + next_rand() % 3 + (k / 128 % 2 ? 4 : 0); n > 0; n--) {
				random_text(&t, next_rand() % 9 == 0 ? 2000 + next_rand() % 3000
								     : next_rand() % 12);
				sb_puts(&t, next_rand() % 3 ? "甲乙丙" : "甲乙");
				if (k % 7 == 0)
					sb_puts(&t, "丁");
			}
			sb_putc(&t, '\n');
			snprintf(name, sizeof name, "p%05zu.txt", k);
			assert_true(fmt_native_add_buffer(&c, name, name, t.s, t.n));
		}
		sb_free(&t);
		collection_finish(&c);
		size_t todo;
		unlink(path);
		struct text_index *ix = open_attached(path, &c, &todo, NULL);
		build_all(ix);
		struct search_keys keys;
		search_keys_init(&keys, &c);
		static const size_t splits[] = {0, SIZE_MAX};
		for (size_t sp = 0; sp < 4; sp++) {
			index_split_rows = splits[sp % 2];
			index_cover_all = sp / 2;
			for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++)
				same_answer(ix, &keys, queries[q], false);
		}
		index_split_rows = INDEX_SPLIT_ROWS;
		index_cover_all = false;
		search_keys_free(&keys);
		index_close(ix);
		collection_free(&c);
	}
	free(path);
}

/* The bits of v[0, n) in Rice codes of parameter k, one value at a time (postings.c's
 * format: unary part and stop bit, k low bits; RICE_ESC = 24 ones and 32 bits). */
static uint64_t rice_bits(const uint32_t *v, size_t n, unsigned k)
{
	uint64_t bits = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t q = (uint64_t)v[i] >> k;
		bits += q < 24 ? q + 1 + k : 24 + 32;
	}
	return bits;
}

/* The Rice parameter chosen (four lanes at a time) is the cheapest of the four around
 * the mean's bits, as coded one value at a time: any length (the lanes' tail), any
 * scale, escapes, and arrays long enough for a lane's partial sums to be added up. */
static void test_rice_param(void **state)
{
	static uint32_t v[20000];
	(void)state;

	rng = 11;
	for (int t = 0; t < 20000; t++) {
		size_t n = next_rand() % 300 + (t % 50 == 0 ? 19000 : 0);
		unsigned scale = next_rand() % 33;
		uint64_t sum = 0;
		for (size_t i = 0; i < n; i++) {
			uint32_t x = (uint32_t)next_rand() ^ (uint32_t)next_rand() << 16;
			v[i] = scale == 0 ? 0 : scale == 32 ? x : x >> (32 - scale);
			if (next_rand() % 50 == 0) /* now and then one far too large */
				v[i] = (uint32_t)next_rand() << next_rand() % 12;
			sum += v[i];
		}
		uint32_t mean = (uint32_t)(sum / (n ? n : 1));
		unsigned k0 = mean ? 32 - (unsigned)__builtin_clz(mean) : 0;
		unsigned lo = k0 > 2 ? k0 - 2 : 0, want = 0;
		uint64_t least = UINT64_MAX;
		for (unsigned k = lo; k < lo + 4 && k <= k0 + 1 && k < 32; k++)
			if (rice_bits(v, n, k) < least) {
				least = rice_bits(v, n, k);
				want = k;
			}
		assert_int_equal(post_rice_param(v, n), want);
	}
}

/* A merge on two threads (the keys from the middle of the biggest segment's dictionary
 * on merged beside, kept aside in unnamed files, then written after the others) writes
 * the very file a merge on one writes, byte for byte: lists inlined and not, of one
 * block and of many (copied by blocks, or all coded anew). */
static void test_merge_two_runs(void **state)
{
	enum { NSEG = 8, NTEXT = 300 };
	static struct strbuf text[NSEG][NTEXT];
	struct segment *seg[NSEG];
	struct post_text t[NTEXT];
	char why[256], name[32];
	(void)state;

	rng = 21;
	for (int k = 0; k < NSEG; k++) {
		for (int i = 0; i < NTEXT; i++) {
			random_text(&text[k][i], 2 + next_rand() % (i % 50 ? 120 : 4000));
			t[i] = (struct post_text){
				text[k][i].s, text[k][i].n, {(uint64_t)k, (uint64_t)i}};
		}
		snprintf(name, sizeof name, "runs.db-%d", k);
		char *path = db_path(name);
		seg[k] = segment_build(path, (uint64_t)k, (uint32_t)(k * NTEXT), t, NTEXT, 7, NULL,
				       why, sizeof why);
		assert_non_null(seg[k]);
		free(path);
	}
	assert_true(seg[3]->nblocks >= 2); /* a dictionary of blocks to cut between */
	for (int recode = 0; recode < 2; recode++) {
		char *one = db_path("runs-one"), *two = db_path("runs-two");
		char *a, *b;
		size_t na, nb;
		struct strbuf err = {0};
		post_merge_recode = recode;
		post_merge_one_run = true;
		struct segment *m1 = segment_merge(one, 100, seg, NSEG, 7, NULL, why, sizeof why);
		post_merge_one_run = false;
		struct segment *m2 = segment_merge(two, 100, seg, NSEG, 7, NULL, why, sizeof why);
		post_merge_recode = false;
		assert_non_null(m1);
		assert_non_null(m2);
		assert_int_equal(fileio_read_file(one, SIZE_MAX, &a, &na, &err), 0);
		assert_int_equal(fileio_read_file(two, SIZE_MAX, &b, &nb, &err), 0);
		assert_true(na > 100000);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
		free(a);
		free(b);
		sb_free(&err);
		segment_close(m1);
		segment_close(m2);
		unlink(one);
		unlink(two);
		free(one);
		free(two);
	}
	for (int k = 0; k < NSEG; k++) {
		segment_close(seg[k]);
		for (int i = 0; i < NTEXT; i++)
			sb_free(&text[k][i]);
	}
}

/* Whether the ascending v[0, n) holds x. */
static bool holds(const uint32_t *v, size_t n, uint32_t x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo] == x;
}

/* A list decoded for some rows (segment_decode's want) gives those of them it holds,
 * in order, each with the positions the whole list's decode gives it, and no other
 * row: lists inlined, of one block and of many, with the joins of a merge; asked for
 * none, all, every other row, a few, a run; with positions and rows only. */
static void test_decode_wanted(void **state)
{
	enum { NSEG = 3, NTEXT = 700 };
	static struct strbuf text[NSEG][NTEXT];
	struct segment *seg[NSEG + 1];
	struct post_text t[NTEXT];
	struct post_dec all = {0}, some = {0};
	char why[256], name[32];
	uint32_t *want = xmalloc(NSEG * NTEXT * sizeof *want);
	size_t lists = 0, long_lists = 0, rows_kept = 0;
	(void)state;

	rng = 77;
	for (int k = 0; k <= NSEG; k++) {
		snprintf(name, sizeof name, "wanted.db-%d", k);
		char *path = db_path(name);
		if (k == NSEG) {
			seg[k] = segment_merge(path, 100, seg, NSEG, 7, NULL, why, sizeof why);
		} else {
			for (int i = 0; i < NTEXT; i++) {
				random_text(&text[k][i], 1 + next_rand() % (i % 40 ? 400 : 3000));
				t[i] = (struct post_text){
					text[k][i].s, text[k][i].n, {(uint64_t)k, (uint64_t)i}};
			}
			seg[k] = segment_build(path, (uint64_t)k, (uint32_t)(k * NTEXT), t, NTEXT,
					       7, NULL, why, sizeof why);
		}
		assert_non_null(seg[k]);
		free(path);
	}
	for (int k = 0; k <= NSEG; k++) {
		uint32_t nrows = seg[k]->nrows;
		for (size_t a = 0; a < NALPHA; a++)
			for (size_t b = 0; b < NALPHA; b++) {
				struct post_entry e;
				int len;
				uint32_t ca = post_char((const unsigned char *)alphabet[a],
							strlen(alphabet[a]), &len),
					 cb = post_char((const unsigned char *)alphabet[b],
							strlen(alphabet[b]), &len);
				if (segment_find(seg[k], post_key(ca, cb), &e, why, sizeof why) !=
				    1)
					continue;
				all.rows_only = false;
				assert_true(
					segment_decode(seg[k], &e, NULL, 0, &all, why, sizeof why));
				assert_int_equal(all.row.n, e.ndocs);
				lists++;
				long_lists += e.ndocs > 2 * POST_ROWS;
				for (int mode = 0; mode < 10; mode++) {
					size_t nw = 0;
					for (uint32_t r = 0; r < nrows; r++)
						if (mode % 5 == 1 ||
						    (mode % 5 == 2 && next_rand() % 2) ||
						    (mode % 5 == 3 && next_rand() % 50 == 0) ||
						    (mode % 5 == 4 && r >= nrows / 3 &&
						     r < nrows / 3 + 200))
							want[nw++] = r;
					some.rows_only = mode >= 5;
					assert_true(segment_decode(seg[k], &e, want, nw, &some, why,
								   sizeof why));
					size_t j = 0;
					for (size_t i = 0; i < all.row.n; i++) {
						if (!holds(want, nw, all.row.v[i]))
							continue;
						assert_true(j < some.row.n);
						assert_int_equal(some.row.v[j], all.row.v[i]);
						if (!some.rows_only) {
							uint32_t s0 = i ? all.end.v[i - 1] : 0,
								 s1 = j ? some.end.v[j - 1] : 0;
							assert_int_equal(some.end.v[j] - s1,
									 all.end.v[i] - s0);
							assert_memory_equal(
								some.pos.v + s1, all.pos.v + s0,
								(all.end.v[i] - s0) *
									sizeof *all.pos.v);
						}
						j++;
					}
					assert_int_equal(some.row.n, j);
					if (!some.rows_only)
						assert_int_equal(some.pos.n,
								 j ? some.end.v[j - 1] : 0);
					rows_kept += j;
				}
			}
	}
	assert_true(lists > 5000 && long_lists > 300 && rows_kept > 1000000);
	post_dec_free(&all);
	post_dec_free(&some);
	free(want);
	for (int k = 0; k <= NSEG; k++) {
		segment_close(seg[k]);
		for (int i = 0; k < NSEG && i < NTEXT; i++)
			sb_free(&text[k][i]);
	}
}

/* A segment's anatomy (bench/index-anatomy): its lists coded again as the build coded
 * them are its lists' bytes exactly (inlined ones aside), its pairs the rows of its
 * lists, its positions the bigrams of its texts. */
static void test_anatomy(void **state)
{
	enum { NTEXT = 1000 };
	struct strbuf text[NTEXT] = {{0}};
	struct post_text t[NTEXT];
	struct post_anatomy an = {0};
	char why[256];
	uint64_t bigrams = 0;
	(void)state;

	rng = 91;
	for (int i = 0; i < NTEXT; i++) {
		random_text(&text[i], 1 + next_rand() % (i % 50 ? 600 : 5000));
		t[i] = (struct post_text){text[i].s, text[i].n, {1, (uint64_t)i}};
		size_t chars = 0;
		for (size_t k = 0; k < text[i].n; k++)
			chars += (text[i].s[k] & 0xc0) != 0x80;
		bigrams += chars - 1;
	}
	char *path = db_path("anatomy.db-1");
	struct segment *seg = segment_build(path, 1, 0, t, NTEXT, 7, NULL, why, sizeof why);
	assert_non_null(seg);
	assert_true(segment_anatomy(seg, &an, why, sizeof why));
	uint64_t lists = an.row_bits + an.count_bits + an.first_bits + an.gap_bits + an.other_bits +
			 an.one_row_bits + an.table_bits;
	assert_true(lists % 8 == 0);
	assert_int_equal(lists / 8, seg->off_dict - 16 * 8);
	assert_int_equal(an.positions, bigrams);
	assert_int_equal(an.file_bytes, seg->bytes);
	assert_true(an.lists > 1000 && an.inlined > 0 && an.table_bits > 0);
	assert_true(an.floor_position_bits > 0 &&
		    an.floor_position_bits < (double)(an.first_bits + an.gap_bits));
	segment_close(seg);
	unlink(path);
	free(path);
	for (int i = 0; i < NTEXT; i++)
		sb_free(&text[i]);
}

/* The flag of test_merge_cancelled and test_step_cancelled, the stage at which the
 * hook sets it (-1: never) and the last stage begun. */
static atomic_bool stop_flag;
static int stop_stage = -1, last_stage = -1;

static void stop_at_stage(enum post_stage stage)
{
	last_stage = (int)stage;
	if ((int)stage == stop_stage)
		atomic_store(&stop_flag, true);
}

/* A merge stopped halfway (its cancel flag) leaves the index as it was, answering
 * right, its file removed; the next update merges. */
static void test_merge_cancelled(void **state)
{
	struct collection c1, c2, c3;
	char *path = db_path("cancel.db");
	(void)state;

	make_collection(&c1, 1000, 13, SIZE_MAX, SIZE_MAX);
	make_collection(&c2, 2000, 13, SIZE_MAX, SIZE_MAX);
	make_collection(&c3, 2400, 13, SIZE_MAX, SIZE_MAX);
	struct text_index *ix = build_in_steps(path, &c1, 12 << 10);
	index_close(ix);
	size_t before = count_files("cancel.db-", "");
	/* Every merge of the update stops after 300 lists (the flag set once each step's
	 * segment is committed, cleared as the next step begins). */
	atomic_store(&stop_flag, false);
	stop_stage = POST_STAGE_MERGE;
	post_build_stage = stop_at_stage;
	post_merge_cancel_from = 300;
	size_t todo;
	char why[256];
	struct index_progress p = {0};
	int rc;
	ix = open_attached(path, &c2, &todo, NULL);
	index_set_cancel(ix, &stop_flag);
	while ((rc = index_update(ix, 12 << 10, &p, why, sizeof why)) == 0) {
		assert_int_equal(count_files("cancel.db-", ".tmp."), 0);
		atomic_store(&stop_flag, false);
	}
	post_build_stage = NULL;
	stop_stage = -1;
	if (rc < 0)
		fail_msg("index_update: %s", why);
	assert_int_equal(count_files("cancel.db-", ".tmp."), 0);
	rng = 5;
	check_queries(ix, &c2, 1000);
	size_t stopped = count_files("cancel.db-", "");
	assert_true(stopped > before + 3); /* none merged */
	index_close(ix);
	/* Not stopped: the next update merges what was left. */
	post_merge_cancel_from = 0;
	atomic_store(&stop_flag, false);
	ix = build_in_steps(path, &c3, 12 << 10);
	assert_true(count_files("cancel.db-", "") < stopped);
	rng = 6;
	check_queries(ix, &c3, 1000);
	index_close(ix);
	collection_free(&c1);
	collection_free(&c2);
	collection_free(&c3);
	free(path);
}

/* A step of index_update stops as soon as its flag is set, whatever stage it is at:
 * none begins after the one that saw the flag set, nothing of the step is committed
 * and no file is left; the next updates index everything. */
static void test_step_cancelled(void **state)
{
	struct collection c;
	char why[256], name[32];
	(void)state;

	make_collection(&c, 1200, 21, SIZE_MAX, SIZE_MAX);
	for (int st = POST_STAGE_FOLD; st <= POST_STAGE_WRITE; st++) {
		snprintf(name, sizeof name, "step%d.db", st);
		char *path = db_path(name);
		size_t todo;
		struct index_progress p = {0};
		struct text_index *ix = open_attached(path, &c, &todo, NULL);
		size_t files = count_files(name, "");
		atomic_store(&stop_flag, false);
		index_set_cancel(ix, &stop_flag);
		stop_stage = st;
		last_stage = -1;
		post_build_stage = stop_at_stage;
		/* One step of every article, stopped at stage st. */
		assert_int_equal(index_update(ix, 64 << 20, &p, why, sizeof why), 0);
		post_build_stage = NULL;
		if (last_stage != st)
			fail_msg("stopped at stage %d, stage %d begun", st, last_stage);
		assert_int_equal(p.done, 0);
		assert_false(index_fresh(ix));
		assert_int_equal(count_files(name, ""), files);
		assert_int_equal(count_files(name, ".tmp."), 0);
		index_close(ix);
		/* Nothing was committed; not stopped, the next updates index it all. */
		atomic_store(&stop_flag, false);
		ix = open_attached(path, &c, &todo, NULL);
		assert_int_equal(todo, c.articles.n);
		build_all(ix);
		rng = 7 + (uint64_t)st;
		check_queries(ix, &c, 200);
		index_close(ix);
		free(path);
	}
	stop_stage = -1;
	collection_free(&c);
}

/* Reprints (one text under several names) have one indexed text each: as copies come
 * and go, only the new ones are indexed, and every copy is found. */
static void test_reprints(void **state)
{
	struct collection c1, c2;
	size_t todo;
	char *path = db_path("reprints.db");
	(void)state;

	make_reprints(&c1, 500, 0);
	struct text_index *ix = open_attached(path, &c1, &todo, NULL);
	assert_int_equal(todo, c1.articles.n);
	build_all(ix);
	rng = 12;
	check_queries(ix, &c1, 300);
	index_close(ix);
	make_reprints(&c2, 500, 1);
	size_t more = 0;
	for (size_t k = 0; k < 500; k++)
		more += reprints(k, 1) > reprints(k, 0);
	ix = open_attached(path, &c2, &todo, NULL);
	assert_int_equal(todo, more);
	build_all(ix);
	rng = 13;
	check_queries(ix, &c2, 300);
	index_close(ix);
	collection_free(&c1);
	collection_free(&c2);
	free(path);
}

/* Stopped halfway, the build goes on where it stopped. */
static void test_resume(void **state)
{
	struct collection c;
	size_t todo;
	char why[256];
	struct index_progress p = {0};
	char *path = db_path("resume.db");
	(void)state;

	make_collection(&c, 800, 9, SIZE_MAX, SIZE_MAX);
	struct text_index *ix = open_attached(path, &c, &todo, NULL);
	for (int i = 0; i < 5; i++)
		assert_int_equal(index_update(ix, 8 << 10, &p, why, sizeof why), 0);
	size_t done = p.done;
	assert_true(done > 0 && done < c.articles.n);
	/* What is indexed already answers (the rest is not in it yet). */
	index_close(ix);
	ix = open_attached(path, &c, &todo, NULL);
	assert_int_equal(todo, c.articles.n - done);
	build_all(ix);
	check_all_pairs(ix, &c);
	index_close(ix);
	collection_free(&c);
	free(path);
}

/* The manifest follows the segments in use every few seconds, at the end and when the
 * index is closed (test_resume); meanwhile it names only files that are there and
 * sound (a merge's inputs are removed after a manifest without them), so a kill -9 at
 * any moment leaves an index that opens as it was. */
static void test_manifest_lags(void **state)
{
	struct collection c;
	size_t todo, checked = 0;
	char why[256];
	struct index_progress p = {0};
	char *path = db_path("lags.db");
	int rc;
	(void)state;

	make_collection(&c, 1500, 17, SIZE_MAX, SIZE_MAX);
	struct text_index *ix = open_attached(path, &c, &todo, NULL);
	while ((rc = index_update(ix, 4 << 10, &p, why, sizeof why)) == 0) {
		struct text_index *on_disk = index_open_sound(path, why, sizeof why);
		if (!on_disk)
			fail_msg("after %zu articles: %s", p.done, why);
		index_close(on_disk);
		checked++;
	}
	if (rc < 0)
		fail_msg("index_update: %s", why);
	assert_true(checked > 2 * 8); /* steps enough for merges of eight */
	index_close(ix);
	/* Done: the manifest names every article's text. */
	ix = open_attached(path, &c, &todo, NULL);
	assert_int_equal(todo, 0);
	check_all_pairs(ix, &c);
	index_close(ix);
	collection_free(&c);
	free(path);
}

/* A damaged file, or one that is not an index, is made anew and says so. */
static void test_damaged(void **state)
{
	struct collection c;
	size_t todo;
	bool rebuilt;
	char *path = db_path("damaged.db");
	(void)state;

	make_collection(&c, 300, 11, SIZE_MAX, SIZE_MAX);
	struct text_index *ix = open_attached(path, &c, &todo, &rebuilt);
	assert_false(rebuilt);
	build_all(ix);
	index_close(ix);
	/* Garbage over the header. */
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "garbage garbage garbage garbage!!", 32), 32);
	close(fd);
	ix = open_attached(path, &c, &todo, &rebuilt);
	assert_true(rebuilt);
	assert_int_equal(todo, c.articles.n);
	build_all(ix);
	check_all_pairs(ix, &c);
	index_close(ix);
	/* Another program's SQLite database. */
	unlink(path);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	ix = open_attached(path, &c, &todo, &rebuilt);
	assert_false(rebuilt); /* an empty file is a new index */
	index_close(ix);
	/* Not a regular file: refused, never opened. */
	char *fifo = db_path("fifo.db"), why[256];
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_null(index_open(fifo, &rebuilt, why, sizeof why));
	assert_non_null(strstr(why, "not a regular file"));
	free(fifo);
	collection_free(&c);
	free(path);
}

/* The names of the segment files of the index at path (path-N), in *out. */
static size_t segment_files(const char *path, char out[][512], size_t max)
{
	size_t n = 0, bl = strlen(path);
	for (unsigned id = 1; id < 4096 && n < max; id++) {
		snprintf(out[n], 512, "%s-%u", path, id);
		if (access(out[n], F_OK) == 0)
			n++;
	}
	(void)bl;
	return n;
}

/* Overwrite bytes [from, to) of file path (to past its end: up to its end) with b. */
static void smear(const char *path, off_t from, off_t to, int b)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	if (to > st.st_size)
		to = st.st_size;
	if (from < 0)
		from += st.st_size;
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	for (off_t at = from; at < to; at++)
		assert_int_equal(pwrite(fd, &(char){(char)b}, 1, at), 1);
	close(fd);
}

/* A damaged segment: its lists (met by a query, which then errs, and said at the next
 * open), its rows or its header (said at open); files no manifest names are removed. */
static void test_damaged_segment(void **state)
{
	struct collection c;
	size_t todo;
	bool rebuilt;
	char seg[8][512], why[256];
	char *path = db_path("dseg.db");
	struct search q;
	search_hits got = {0};
	(void)state;

	make_collection(&c, 400, 17, SIZE_MAX, SIZE_MAX);
	struct text_index *ix = open_attached(path, &c, &todo, &rebuilt);
	build_all(ix);
	index_close(ix);
	assert_true(segment_files(path, seg, 8) >= 1);
	/* Lists: every byte after the header of 128 and before the dictionary (its
	 * offset is the header's eighth word). */
	uint64_t dict = 0;
	int sfd = open(seg[0], O_RDONLY);
	assert_int_equal(pread(sfd, &dict, 8, 7 * 8), 8);
	close(sfd);
	assert_true(dict > 128);
	smear(seg[0], 128, (off_t)dict, 0x55);
	ix = open_attached(path, &c, &todo, &rebuilt);
	assert_false(rebuilt); /* found only when read */
	assert_int_equal(todo, 0);
	assert_true(search_compile(&q, "閬中", strlen("閬中"), false, why, sizeof why));
	assert_int_equal(index_query(ix, &q, &got, why, sizeof why), INDEX_ERROR);
	assert_non_null(strstr(why, "damaged"));
	search_free(&q);
	index_close(ix);
	ix = index_open(path, &rebuilt, why, sizeof why);
	assert_non_null(ix);
	assert_true(rebuilt);
	assert_non_null(strstr(why, "damaged"));
	index_close(ix);
	ix = open_attached(path, &c, &todo, &rebuilt);
	assert_false(rebuilt); /* said once */
	assert_int_equal(todo, c.articles.n);
	build_all(ix);
	check_all_pairs(ix, &c);
	index_close(ix);
	/* Rows: the file's last bytes. */
	assert_true(segment_files(path, seg, 8) >= 1);
	smear(seg[0], -8, 1 << 30, 0x33);
	ix = index_open(path, &rebuilt, why, sizeof why);
	assert_non_null(ix);
	assert_true(rebuilt);
	index_close(ix);
	ix = open_attached(path, &c, &todo, &rebuilt);
	build_all(ix);
	index_close(ix);
	/* The header; and strays. */
	assert_true(segment_files(path, seg, 8) >= 1);
	smear(seg[0], 16, 24, 0x01);
	char stray[600], tmp[600];
	snprintf(stray, sizeof stray, "%s-4000", path);
	snprintf(tmp, sizeof tmp, "%s-4001.tmp.1", path);
	FILE *f = fopen(stray, "w");
	assert_non_null(f);
	fclose(f);
	f = fopen(tmp, "w");
	assert_non_null(f);
	fclose(f);
	ix = open_attached(path, &c, &todo, &rebuilt);
	assert_true(rebuilt);
	assert_int_equal(access(stray, F_OK), -1);
	assert_int_equal(access(tmp, F_OK), -1);
	build_all(ix);
	check_all_pairs(ix, &c);
	index_close(ix);
	/* A FIFO for a segment: never opened (no hang), the index made anew; a FIFO for the
	 * lock: refused. */
	assert_true(segment_files(path, seg, 8) >= 1);
	assert_int_equal(unlink(seg[0]), 0);
	assert_int_equal(mkfifo(seg[0], 0600), 0);
	ix = open_attached(path, &c, &todo, &rebuilt);
	assert_true(rebuilt);
	assert_int_equal(todo, c.articles.n);
	index_close(ix);
	char lock[600];
	snprintf(lock, sizeof lock, "%s-lock", path);
	assert_int_equal(unlink(lock), 0);
	assert_int_equal(mkfifo(lock, 0600), 0);
	assert_null(index_open(path, &rebuilt, why, sizeof why));
	assert_non_null(strstr(why, "not a regular file"));
	free(got.v);
	collection_free(&c);
	free(path);
}

/* Queries on one thread while another updates (segments added, merged, replaced):
 * every answer is exactly the scan's among the articles indexed so far. */
struct builder {
	struct text_index *ix;
	int rc;
};

static void *build_thread(void *arg)
{
	struct builder *b = arg;
	char why[256];
	struct index_progress p = {0};
	while ((b->rc = index_update(b->ix, 6 << 10, &p, why, sizeof why)) == 0)
		;
	return NULL;
}

static void test_query_while_updating(void **state)
{
	struct collection c;
	size_t todo;
	char *path = db_path("concurrent.db");
	struct search_keys k;
	(void)state;

	make_collection(&c, 1500, 23, SIZE_MAX, SIZE_MAX);
	struct text_index *ix = open_attached(path, &c, &todo, NULL);
	search_keys_init(&k, &c);
	struct builder b = {ix, 0};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, build_thread, &b), 0);
	size_t rounds = 0;
	for (size_t a = 0; a < NALPHA; a += 2)
		for (size_t b2 = 1; b2 < NALPHA; b2 += 5, rounds++) {
			char q[32];
			snprintf(q, sizeof q, "%s%s", alphabet[a], alphabet[b2]);
			size_t scanned;
			(void)indexed_subset(ix, &k, q, &scanned);
		}
	pthread_join(th, NULL);
	assert_int_equal(b.rc, 1);
	assert_true(rounds > 100);
	check_all_pairs(ix, &c);
	search_keys_free(&k);
	index_close(ix);
	collection_free(&c);
	free(path);
}

/* Queries of one index on two threads at once, each with its answers known before: a
 * query keeps its arrays for the next (src/index.c, query_mem_take) and one made while
 * another holds them takes new ones; every answer is the scan's. */
struct asker {
	struct text_index *ix;
	struct search *q;
	search_hits *want;
	size_t n, wrong;
};

/* Characters of the UTF-8 string s. */
static size_t count_utf8(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void *ask_all(void *arg)
{
	struct asker *a = arg;
	search_hits got = {0};
	char why[256];
	for (size_t i = 0; i < a->n; i++) {
		enum index_answer kind = index_query(a->ix, &a->q[i], &got, why, sizeof why);
		bool same = kind == INDEX_EXACT && got.n == a->want[i].n &&
			    (!got.n || memcmp(got.v, a->want[i].v, got.n * sizeof *got.v) == 0);
		a->wrong += !same;
	}
	free(got.v);
	return NULL;
}

static void test_queries_on_two_threads(void **state)
{
	struct collection c;
	size_t todo;
	char *path = db_path("two.db");
	struct search_keys k;
	struct strbuf query = {0};
	enum { NQ = 600 };
	(void)state;

	make_collection(&c, 2000, 37, SIZE_MAX, SIZE_MAX);
	struct text_index *ix = open_attached(path, &c, &todo, NULL);
	build_all(ix);
	search_keys_init(&k, &c);
	struct search *q = xcalloc(NQ, sizeof *q);
	search_hits *want = xcalloc(NQ, sizeof *want);
	rng = 41;
	for (size_t i = 0; i < NQ; i++) {
		char err[128];
		do
			random_query(&c, &query);
		while (count_utf8(query.s) < 2);
		assert_true(search_compile(&q[i], query.s, query.n, false, err, sizeof err));
		search_collection(&k, &q[i], &want[i]);
	}
	/* Small lists split too, so that both threads of each query run. */
	index_split_rows = 0;
	struct asker one = {ix, q, want, NQ / 2, 0},
		     two = {ix, q + NQ / 2, want + NQ / 2, NQ - NQ / 2, 0};
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, ask_all, &two), 0);
	ask_all(&one);
	pthread_join(th, NULL);
	index_split_rows = INDEX_SPLIT_ROWS;
	assert_int_equal(one.wrong + two.wrong, 0);
	/* And the other way round, after them: the arrays kept answer as new ones. */
	one = (struct asker){ix, q + NQ / 2, want + NQ / 2, NQ - NQ / 2, 0};
	ask_all(&one);
	assert_int_equal(one.wrong, 0);
	for (size_t i = 0; i < NQ; i++) {
		search_free(&q[i]);
		free(want[i].v);
	}
	free(q);
	free(want);
	sb_free(&query);
	search_keys_free(&k);
	index_close(ix);
	collection_free(&c);
	free(path);
}

/* kill -9 in the middle of a build: what the index holds then still answers exactly
 * for the articles it has, and the build goes on from there. */
static void test_kill_during_build(void **state)
{
	struct collection c;
	size_t todo;
	int ready[2];
	char *path = db_path("kill.db");
	(void)state;

	make_collection(&c, 3000, 13, SIZE_MAX, SIZE_MAX);
	assert_int_equal(pipe(ready), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char why[256];
		struct index_progress p = {0};
		struct text_index *ix = index_open(path, &(bool){false}, why, sizeof why);
		if (!ix || index_attach(ix, &c, why, sizeof why) == SIZE_MAX)
			_exit(3);
		for (int step = 0;; step++) {
			if (index_update(ix, 4 << 10, &p, why, sizeof why) != 0)
				_exit(4); /* done or failed before the kill: the test fails */
			if (step == 20)
				(void)!write(ready[1], "r", 1);
		}
	}
	char b;
	close(ready[1]);
	assert_int_equal(read(ready[0], &b, 1), 1);
	nanosleep(&(struct timespec){0, 20000000}, NULL); /* in the middle of a later step */
	kill(pid, SIGKILL);
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFSIGNALED(status));
	close(ready[0]);

	struct text_index *ix = open_attached(path, &c, &todo, NULL);
	assert_true(todo > 0 && todo < c.articles.n);
	/* The articles indexed answer exactly: compare with a scan of those alone. */
	struct search_keys k;
	search_keys_init(&k, &c);
	for (size_t a = 0; a < NALPHA; a += 4)
		for (size_t b2 = 1; b2 < NALPHA; b2 += 3) {
			char q[32];
			snprintf(q, sizeof q, "%s%s", alphabet[a], alphabet[b2]);
			size_t scanned, found = indexed_subset(ix, &k, q, &scanned);
			assert_true(found + todo >= scanned);
		}
	search_keys_free(&k);
	build_all(ix);
	check_all_pairs(ix, &c);
	index_close(ix);
	collection_free(&c);
	free(path);
}

/* The reader builds the index on a thread once open, shows its progress, and once it is
 * complete the list filter takes its answer (the scan's), at once. */
static void test_reader_builds_and_uses(void **state)
{
	struct collection c;
	struct app a;
	struct strbuf status = {0};
	char *cache = db_path("cache");
	bool saw_progress = false;
	(void)state;

	setenv("XDG_CACHE_HOME", cache, 1);
	make_collection(&c, 1500, 21, SIZE_MAX, SIZE_MAX);
	app_init(&a, &c, 24, 80);
	a.search.index_key = 77;
	for (int i = 0; i < 60000 && !app_index_ready(&a); i++) {
		app_idle(&a);
		sb_clear(&status);
		app_index_status(&a, &status);
		saw_progress = saw_progress || strstr(sb_cstr(&status), "indexing") != NULL;
		/* The similar stories wait while the search index is built. */
		if (app_index_waiting(&a))
			assert_null(a.similar.index);
		nanosleep(&(struct timespec){0, 2000000}, NULL);
	}
	assert_true(app_index_ready(&a));
	assert_true(saw_progress);
	/* Then nothing is left to do on the reader's thread: app_idle saying there is would
	 * spin its loop (tui.c's wait_key) at full speed while it waits for keys. */
	for (int i = 0; i < 100000 && app_idle(&a); i++)
		;
	assert_false(app_idle(&a));
	assert_non_null(a.similar.index); /* built once the search index was */
	static const char *const queries[] = {"閬中", "阆中", "ｘｉｎｗｅｎ２０２６", "国人",
					      "沒有這樣"};
	for (size_t qi = 0; qi < sizeof queries / sizeof queries[0]; qi++) {
		struct search q;
		search_hits scan = {0};
		struct search_keys k;
		char err[64];
		app_key(&a, '/');
		test_type(&a, queries[qi]);
		/* Answered at once: nothing left for app_idle. */
		assert_true(app_filter_done(&a));
		assert_true(search_compile(&q, queries[qi], strlen(queries[qi]), false, err,
					   sizeof err));
		search_keys_init(&k, &c);
		search_collection(&k, &q, &scan);
		assert_int_equal(a.list.view.n, scan.n);
		for (size_t i = 0; i < scan.n; i++)
			assert_int_equal(a.list.view.v[i], scan.v[i]);
		search_keys_free(&k);
		search_free(&q);
		free(scan.v);
		app_key(&a, KEYC_ESC);
	}
	/* Regexes: narrowed by the index to the candidates, checked in slices. */
	static const char *const regexes[] = {"閬中.國", "國国+", "(.{1,200}){1,200}", "^改"};
	a.prompt.regex = true;
	for (size_t qi = 0; qi < sizeof regexes / sizeof regexes[0]; qi++) {
		struct search q;
		search_hits scan = {0};
		struct search_keys k;
		char err[64];
		app_key(&a, '/');
		test_type(&a, regexes[qi]);
		for (int i = 0; i < 100000 && !app_filter_done(&a); i++)
			app_idle(&a);
		assert_true(app_filter_done(&a));
		assert_int_equal(a.filter.use_cand, qi < 2); /* literals to narrow by, or none */
		assert_true(search_compile(&q, regexes[qi], strlen(regexes[qi]), true, err,
					   sizeof err));
		search_keys_init(&k, &c);
		search_collection(&k, &q, &scan);
		assert_int_equal(a.list.view.n, scan.n);
		for (size_t i = 0; i < scan.n; i++)
			assert_int_equal(a.list.view.v[i], scan.v[i]);
		if (qi < 2)
			assert_true(a.filter.cand.n < c.articles.n); /* narrowed */
		search_keys_free(&k);
		search_free(&q);
		free(scan.v);
		app_key(&a, KEYC_ESC);
	}
	app_free(&a);
	/* The index is on disk: a new reader finds it complete. */
	size_t todo;
	char *path = index_path(77);
	struct text_index *ix = open_attached(path, &c, &todo, NULL);
	assert_int_equal(todo, 0);
	index_close(ix);
	free(path);
	sb_free(&status);
	collection_free(&c);
	unsetenv("XDG_CACHE_HOME");
	free(cache);
}

static int setup(void **state)
{
	(void)state;
	return test_scratch_dir(scratch, sizeof scratch, "index") ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_scan),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_resume),
		cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_damaged_segment),
		cmocka_unit_test(test_query_while_updating),
		cmocka_unit_test(test_queries_on_two_threads),
		cmocka_unit_test(test_manifest_lags),
		cmocka_unit_test(test_kill_during_build),
		cmocka_unit_test(test_merge_copies_blocks),
		cmocka_unit_test(test_merge_two_runs),
		cmocka_unit_test(test_split_query),
		cmocka_unit_test(test_block_pairs),
		cmocka_unit_test(test_decode_wanted),
		cmocka_unit_test(test_anatomy),
		cmocka_unit_test(test_rice_param),
		cmocka_unit_test(test_merge_cancelled),
		cmocka_unit_test(test_step_cancelled),
		cmocka_unit_test(test_reprints),
		cmocka_unit_test(test_reader_builds_and_uses),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
