/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_catalog.c: the catalog (catalog.h) and its reload (reload.h): a collection
 * written and read back is the one loaded; any damaged or truncated catalog is refused
 * or caught by catalog_verify, never trusted; a reload finds changed files and loads
 * them, reusing the unchanged ones exactly as loading them would. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "body.h"
#include "catalog.h"
#include "collection.h"
#include "decode.h"
#include "index.h"
#include "listorder.h"
#include "loader.h"
#include "reload.h"
#include "marks.h"
#include "search.h"
#include "testutil.h"
#include "xxh64.h"

/* The catalog's layout (catalog.c): the header holds the version at byte 8, the tables'
 * counts from byte 24 (files, articles, related, backlinks, diags, then the strings'
 * size, then the archive members), the tables' hash at byte 88 and its own hash (XXH64
 * of the 104 bytes before it) at byte 104; the tables follow it (files, articles,
 * related, diags, members, backlinks, records of the sizes below; then the list's orders,
 * 20 bytes an article), then the strings. */
#define HDR_VERSION 8
#define HDR_COUNTS 24
#define HDR_NSTRINGS 64
#define HDR_TABLES_HASH 88
#define HDR_HASH 104
#define HDR_SIZE 112

static const struct load_opts lean = {.format = FORMAT_AUTO, .lean = true};

/* ---------------------------------------------------------------------------
 * A scratch directory per test: root/col holds the articles, root/cache is
 * XDG_CACHE_HOME.
 */

struct scratch {
	char root[512];
	char *col;
	char *file; /* the catalog file of col */
	uint64_t key;
};

static char *path_in(const struct scratch *s, const char *rel)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", s->root, rel) > 0);
	return p;
}

static void write_bytes(const char *path, const char *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void make_file(const struct scratch *s, const char *rel, const char *text)
{
	char *p = path_in(s, rel);

	write_bytes(p, text, strlen(text));
	free(p);
}

static char *read_all(const char *path, size_t *n)
{
	char *buf = NULL;
	struct strbuf why = {0};

	assert_int_equal(fileio_read_file(path, LOADER_MAX_FILE, &buf, n, &why), 0);
	sb_free(&why);
	return buf;
}

static int setup(void **state)
{
	struct scratch *s = calloc(1, sizeof *s);

	if (!s)
		return -1;
	if (!test_scratch_dir(s->root, sizeof s->root, "catalog")) {
		free(s);
		return -1;
	}
	char *cache = path_in(s, "cache");
	setenv("XDG_CACHE_HOME", cache, 1);
	free(cache);
	s->col = path_in(s, "col");
	if (mkdir(s->col, 0755) != 0)
		return -1;
	s->key = catalog_key(&s->col, 1, &lean);
	s->file = catalog_path(s->key);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct scratch *s = *state;

	test_scratch_remove(s->root);
	free(s->col);
	free(s->file);
	free(s);
	return 0;
}

/* The collection of the test: the seed, and articles linking each other by title (one
 * headline truncated with "...", one resolving nowhere), a file name used twice (the
 * second takes an alternative id) and a file holding no article. */
static void make_collection(const struct scratch *s)
{
	size_t n;
	char *seed = test_read_seed(&n);
	char *p = path_in(s, "col/seed.txt");

	write_bytes(p, seed, n);
	free(p);
	free(seed);
	make_file(s, "col/alpha.txt",
		  "Alpha story\n\n2021-03-01 Alpha Daily\n\nAlpha's first paragraph.\n\n"
		  "Second paragraph.\n\n相關焦點\n\n"
		  "  • Beta story\n    what beta says\n"
		  "  • Gamma has a very long headl...\n"
		  "  • A story nobody has\n    its snippet only\n"
		  "  • 四川新聞丨做實社會治理 閬中下足繡花功夫\n");
	make_file(s, "col/beta.txt",
		  "Beta story\n\n2021-02-01 Beta Times\n\nBeta body.\n\n相關焦點\n\n"
		  "  • Alpha story\n");
	make_file(s, "col/gamma.txt",
		  "Gamma has a very long headline indeed\n\n2021-01-01\n\nGamma body.\n");
	assert_int_equal(mkdir(p = path_in(s, "col/sub"), 0755), 0);
	free(p);
	make_file(s, "col/sub/alpha.txt",
		  "Alpha again, in a subdirectory\n\n2020-12-01 Sub\n\nAnother alpha.\n");
	make_file(s, "col/bad.txt", "\n\n\n");
}

/* A cold lean load of s's collection, finished. */
static void load_cold(const struct scratch *s, struct collection *c)
{
	collection_init(c);
	loader_load_path_opts(c, s->col, &lean);
	collection_finish(c);
}

/* ---------------------------------------------------------------------------
 * Comparing two collections field by field
 */

static void assert_same_article(const struct collection *cx, const struct article *x,
				const struct collection *cy, const struct article *y)
{
	test_assert_same_fields(x, y);
	assert_int_equal(x->kind, y->kind);
	if (x->path || y->path) {
		assert_non_null(x->path);
		assert_non_null(y->path);
		assert_string_equal(x->path, y->path);
	}
	assert_int_equal(x->related.n, y->related.n);
	for (size_t k = 0; k < x->related.n; k++) {
		const struct related *rx = &x->related.v[k], *ry = &y->related.v[k];
		test_assert_str_equal(rx->headline, ry->headline);
		test_assert_str_equal(rx->snippet, ry->snippet);
		assert_int_equal(rx->line, ry->line);
		assert_string_equal(collection_article(cx, rx->target)->id,
				    collection_article(cy, ry->target)->id);
	}
	assert_int_equal(x->backlinks.n, y->backlinks.n);
	for (size_t k = 0; k < x->backlinks.n; k++)
		assert_string_equal(collection_article(cx, x->backlinks.v[k])->id,
				    collection_article(cy, y->backlinks.v[k])->id);
}

/* Everything a reader sees of x is in y, in the same order. */
static void assert_same_collection(const struct collection *x, const struct collection *y)
{
	assert_int_equal(collection_count(x), collection_count(y));
	for (size_t i = 0; i < collection_count(x); i++) {
		assert_same_article(x, collection_article(x, i), y, collection_article(y, i));
		assert_int_equal(collection_article(x, i)->pos, i); /* numbered as the list */
		assert_int_equal(collection_article(y, i)->pos, i);
	}
	test_assert_same_diags(x, y);
	for (size_t i = 0; i < x->diags.n; i++)
		assert_int_equal(x->diags.v[i].file_no, y->diags.v[i].file_no);
	assert_int_equal(x->unresolved, y->unresolved);
	assert_int_equal(x->files.n, y->files.n);
	for (size_t i = 0; i < x->files.n; i++) {
		assert_string_equal(x->files.v[i].path, y->files.v[i].path);
		assert_int_equal(x->files.v[i].size, y->files.v[i].size);
		assert_int_equal(x->files.v[i].mtime_ns, y->files.v[i].mtime_ns);
		assert_int_equal(x->files.v[i].encoding, y->files.v[i].encoding);
	}
}

static const struct article *by_id(const struct collection *c, const char *id)
{
	for (size_t i = 0; i < collection_count(c); i++)
		if (strcmp(collection_article(c, i)->id, id) == 0)
			return collection_article(c, i);
	return NULL;
}

/* ---------------------------------------------------------------------------
 * Round trip
 */

/* The collection made below has what the catalog must keep: resolved, truncated and
 * unresolved links, an alternative id, a problem of a file. */
static void check_fixture(const struct collection *c)
{
	const struct article *alpha = by_id(c, "alpha");
	const struct article *gamma = by_id(c, "gamma");

	assert_non_null(alpha);
	assert_non_null(by_id(c, "sub/alpha"));
	assert_non_null(gamma);
	assert_int_equal(alpha->related.n, 4);
	assert_string_equal(collection_article(c, alpha->related.v[0].target)->id, "beta");
	assert_int_equal(alpha->related.v[1].target, gamma->pos);
	assert_int_equal(collection_article(c, alpha->related.v[2].target)->kind, ARTICLE_EXCERPT);
	assert_string_equal(collection_article(c, alpha->related.v[3].target)->id, "seed");
	assert_true(c->unresolved > 0);
	bool bad = false;
	for (size_t i = 0; i < c->diags.n; i++)
		bad = bad || strstr(c->diags.v[i].file, "bad.txt") != NULL;
	assert_true(bad);
}

static void test_round_trip(void **state)
{
	struct scratch *s = *state;
	struct collection cold, warm;
	struct strbuf why = {0};

	make_collection(s);
	load_cold(s, &cold);
	check_fixture(&cold);
	assert_true(catalog_can_hold(&cold));
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	assert_non_null(warm.slab); /* from the catalog, not loaded */
	assert_true(catalog_verify(&warm));
	assert_same_collection(&cold, &warm);
	for (size_t i = 0; i < collection_count(&warm); i++)
		if (collection_article(&warm, i)->kind == ARTICLE_FULL)
			assert_true(collection_article(&warm, i)->body_on_disk);
	/* No temporary file is left beside the catalog. */
	char *dir = path_in(s, "cache/xinwen");
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t nfiles = 0;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		nfiles += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(nfiles, 1);
	free(dir);
	collection_free(&warm);
	collection_free(&cold);
	sb_free(&why);
}

/* n stories in col/, each citing the next `links` with a snippet, and one of `shared`
 * headlines no article has (excerpts shared by several). */
static void make_linked(const struct scratch *s, int n, int links, int shared)
{
	for (int i = 0; i < n; i++) {
		struct strbuf text = {0}, name = {0};

		sb_printf(&text, "Story %d\n\n2021-01-01 Daily\n\nBody %d.\n\n相關焦點\n\n", i, i);
		for (int k = 1; k <= links; k++)
			sb_printf(&text, "  • Story %d\n    snippet %d\n", (i + k) % n, k);
		sb_printf(&text, "  • Nobody's story %d\n", i % shared);
		sb_printf(&name, "col/s%d.txt", i);
		make_file(s, name.s, sb_cstr(&text));
		sb_free(&text);
		sb_free(&name);
	}
}

/* Articles that each cite a dozen others (more strings than the writer's table was
 * first made for, which once made it look for a free slot for ever): the catalog is
 * written, read back the same, and written again from what was read, byte for byte
 * (an excerpt's title still one string with the headlines it stands for). */
static void test_round_trip_many_links(void **state)
{
	struct scratch *s = *state;
	struct collection cold, warm;
	struct strbuf why = {0};
	enum { N = 300, LINKS = 12 };

	make_linked(s, N, LINKS, 7);
	load_cold(s, &cold);
	assert_int_equal(collection_count(&cold), N + 7);
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	assert_same_collection(&cold, &warm);
	char *again = path_in(s, "again.catalog");
	assert_null(catalog_write(&warm, s->key, again));
	size_t n1, n2;
	char *b1 = read_all(s->file, &n1), *b2 = read_all(again, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(b1, b2, n1);
	free(b1);
	free(b2);
	free(again);
	collection_free(&warm);
	collection_free(&cold);
	sb_free(&why);
}

/* n linked stories (make_linked) loaded into cold and catalogued, then read back from
 * the catalog into warm (its articles made when asked for). */
static void catalogued(const struct scratch *s, int n, struct collection *cold,
		       struct collection *warm)
{
	struct strbuf why = {0};

	make_linked(s, n, 3, 5);
	load_cold(s, cold);
	assert_null(catalog_write(cold, s->key, s->file));
	collection_init(warm);
	assert_int_equal(catalog_read(warm, s->key, s->file, &why), CATALOG_OK);
	sb_free(&why);
}

/* How many of c's blocks of made articles are made. */
static size_t chunks_made(const struct collection *c)
{
	size_t n = 0;
	for (size_t k = 0; k * COLLECTION_CHUNK < collection_count(c); k++)
		n += c->chunks[k] != NULL;
	return n;
}

/* A collection read from its catalog holds no article until one is asked for: a pass
 * peeking at every article makes none (and sees what loading saw), an article asked
 * for makes its block alone, the same article at every call, its links leading where
 * the loaded collection's lead. */
static void test_made_when_asked(void **state)
{
	struct scratch *s = *state;
	struct collection cold, warm;
	enum { N = 3 * COLLECTION_CHUNK + 10 };

	catalogued(s, N, &cold, &warm);
	assert_non_null(warm.maker);
	assert_int_equal(collection_count(&warm), collection_count(&cold));
	assert_int_equal(chunks_made(&warm), 0);
	for (size_t i = 0; i < collection_count(&warm); i++) {
		struct article tmp;
		const struct article *x = collection_article(&cold, i);
		const struct article *y = collection_peek(&warm, i, &tmp);
		assert_ptr_equal(y, &tmp);
		assert_string_equal(x->id, y->id);
		test_assert_str_equal(x->title, y->title);
		test_assert_str_equal(x->date, y->date);
		assert_int_equal(x->kind, y->kind);
		assert_int_equal(y->pos, i);
		assert_int_equal(y->related.n + y->backlinks.n, 0); /* no links in a peek */
		struct content_id a, b;
		article_identity(x, &a);
		article_identity(y, &b);
		assert_memory_equal(&a, &b, sizeof a);
	}
	assert_int_equal(chunks_made(&warm), 0);
	size_t at = COLLECTION_CHUNK + 7;
	const struct article *a = collection_article(&warm, at);
	assert_int_equal(chunks_made(&warm), 1);
	assert_non_null(warm.chunks[1]);
	assert_ptr_equal(collection_article(&warm, at), a);
	struct article tmp;
	assert_ptr_equal(collection_peek(&warm, at, &tmp), a); /* made: the article itself */
	assert_int_equal(collection_index(&warm, a), at);
	const struct article *x = collection_article(&cold, at);
	assert_int_equal(a->related.n, x->related.n);
	for (size_t k = 0; k < a->related.n; k++)
		assert_string_equal(collection_article(&warm, a->related.v[k].target)->id,
				    collection_article(&cold, x->related.v[k].target)->id);
	assert_int_equal(a->backlinks.n, x->backlinks.n);
	for (size_t k = 0; k < a->backlinks.n; k++)
		assert_string_equal(collection_article(&warm, a->backlinks.v[k])->id,
				    collection_article(&cold, x->backlinks.v[k])->id);
	assert_same_collection(&cold, &warm); /* every article, made */
	assert_int_equal(chunks_made(&warm), (N + COLLECTION_CHUNK - 1) / COLLECTION_CHUNK);
	collection_free(&warm);
	collection_free(&cold);
}

/* A query of the full-text index with a field (source:) checks each article it finds
 * by a peek: over a collection read from its catalog it makes none of the articles,
 * which would stay in memory (all 2.5 million for a common word), and finds what it
 * finds over the loaded collection. */
static void test_index_fields_make_nothing(void **state)
{
	struct scratch *s = *state;
	struct collection cold, warm;
	enum { N = 2 * COLLECTION_CHUNK + 3 };
	char why[256];
	bool rebuilt;

	catalogued(s, N, &cold, &warm);
	char *path = path_in(s, "index.db");
	struct text_index *ix = index_open(path, &rebuilt, why, sizeof why);
	assert_non_null(ix);
	assert_int_not_equal(index_attach(ix, &warm, why, sizeof why), SIZE_MAX);
	struct index_progress p = {0};
	while (index_update(ix, SIZE_MAX, &p, why, sizeof why) == 0)
		;
	assert_true(index_fresh(ix));
	struct search q;
	const char *query = "story source:daily";
	assert_true(search_compile(&q, query, strlen(query), false, why, sizeof why));
	search_hits got = {0};
	assert_int_equal(index_query(ix, &q, &got, why, sizeof why), INDEX_EXACT);
	assert_int_equal(got.n, N);
	assert_int_equal(chunks_made(&warm), 0);
	for (size_t k = 0; k < got.n; k++)
		assert_true(search_fields_match(&q, collection_article(&cold, got.v[k])));
	search_free(&q);
	free(got.v);
	index_close(ix);
	free(path);
	collection_free(&warm);
	collection_free(&cold);
}

struct asking {
	const struct collection *c;
	const struct article **got;
	bool backwards;
};

static void *ask_all(void *arg)
{
	struct asking *k = arg;
	size_t n = collection_count(k->c);
	for (size_t j = 0; j < n; j++) {
		size_t i = k->backwards ? n - 1 - j : j;
		k->got[i] = collection_article(k->c, i);
	}
	return NULL;
}

/* Two threads asking for every article at once, from both ends: each position has one
 * article, whichever thread made its block (run under ThreadSanitizer too). */
static void test_made_on_two_threads(void **state)
{
	struct scratch *s = *state;
	struct collection cold, warm;
	enum { N = 4 * COLLECTION_CHUNK + 3 };

	catalogued(s, N, &cold, &warm);
	collection_free(&cold);
	size_t n = collection_count(&warm);
	struct asking one = {&warm, xcalloc(n, sizeof *one.got), false};
	struct asking two = {&warm, xcalloc(n, sizeof *two.got), true};
	pthread_t t;
	assert_int_equal(pthread_create(&t, NULL, ask_all, &two), 0);
	ask_all(&one);
	pthread_join(t, NULL);
	for (size_t i = 0; i < n; i++) {
		assert_ptr_equal(one.got[i], two.got[i]);
		assert_int_equal(one.got[i]->pos, i);
	}
	free(one.got);
	free(two.got);
	collection_free(&warm);
}

/* A catalog file changed in place under the reader after it was checked (another
 * program writing into the cache): an article made from it then is checked again, and
 * one not sound is an excerpt saying so, never a read out of bounds. */
static void test_made_from_changed_file(void **state)
{
	struct scratch *s = *state;
	struct collection cold, warm;

	catalogued(s, 40, &cold, &warm);
	collection_free(&cold);
	struct stat st;
	assert_int_equal(stat(s->file, &st), 0);
	char *ones = xmalloc((size_t)st.st_size);
	memset(ones, 0xff, (size_t)st.st_size);
	int fd = open(s->file, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, ones, (size_t)st.st_size, 0), st.st_size);
	close(fd);
	free(ones);
	for (size_t i = 0; i < collection_count(&warm); i++) {
		struct article tmp;
		const struct article *p = collection_peek(&warm, i, &tmp);
		assert_int_equal(p->kind, ARTICLE_EXCERPT);
		assert_string_equal(p->id, "x-damaged");
		const struct article *a = collection_article(&warm, i);
		assert_int_equal(a->kind, ARTICLE_EXCERPT);
		assert_true(a->title.n > 0);
		assert_int_equal(a->related.n + a->backlinks.n, 0);
	}
	collection_free(&warm);
}

/* A JSON document (an array, pretty-printed, CR LF, a byte-order mark) met in a walk: each
 * object a record whose byte range is that object in the file, from '{' to '}' (braces,
 * brackets and quotes inside its strings passed over), its body read back from there
 * the same as a full load keeps (a body given as an array of paragraphs too); values
 * that are not objects skipped, said once; the records the same from the catalog. */
static void test_round_trip_documents(void **state)
{
	NEEDS_JANSSON();
	struct scratch *s = *state;
	struct collection cold, warm, full;
	struct strbuf why = {0};
	static const char doc[] =
		"\xEF\xBB\xBF[\r\n"
		"  {\r\n    \"news_id\": \"a1\",\r\n    \"title\": \"甲 {[\\\"]}\",\r\n"
		"    \"content\": \"第一段\\n第二段 }]\",\r\n"
		"    \"tags\": [\"x\", {\"y\": [1, 2]}]\r\n  },\r\n"
		"  42, \"a string ] }\", [1, [2]], null,\r\n"
		"  {\"title\": \"乙\", \"content\": \"c \\u4e2d\"}, {\"title\": \"丙\"},\r\n"
		"  {\"id\": \"p\", \"title\": \"詩\", \"author\": \"李白\",\r\n"
		"   \"paragraphs\": [\"床前明月光，\", null, 3, \"疑是地上霜。\"]}\r\n"
		"]\r\n";

	make_file(s, "col/docs.json", doc);
	load_cold(s, &cold);
	assert_int_equal(collection_count(&cold), 4);
	assert_int_equal(cold.diags.n, 1);
	assert_non_null(strstr(cold.diags.v[0].msg, "4 values that are not objects"));
	assert_int_equal(cold.diags.v[0].line, 8); /* the line of 42 */
	collection_init(&full);
	loader_load_path_opts(&full, s->col, &(struct load_opts){.format = FORMAT_AUTO});
	collection_finish(&full);
	assert_int_equal(collection_count(&full), 4);
	char *p = path_in(s, "col/docs.json");
	size_t nbytes;
	char *bytes = read_all(p, &nbytes);
	for (size_t i = 0; i < collection_count(&cold); i++) {
		const struct article *a = collection_article(&cold, i),
				     *b = collection_article(&full, i);
		char *tmp;
		assert_true(a->body_on_disk);
		assert_true(a->rec_off + a->rec_len <= nbytes);
		assert_int_equal(bytes[a->rec_off], '{');
		assert_int_equal(bytes[a->rec_off + a->rec_len - 1], '}');
		struct str t = article_body_read(&cold, i, &tmp);
		assert_non_null(tmp);
		test_assert_str_equal(t, b->body);
		free(tmp);
	}
	const struct article *a1 = collection_find(&cold, "a1");
	assert_non_null(a1);
	test_assert_str_equal(a1->title, (struct str){"甲 {[\"]}", strlen("甲 {[\"]}")});
	assert_non_null(collection_find(&cold, "docs-3")); /* 丙: the third object */
	const struct article *poem = collection_find(&full, "p");
	assert_non_null(poem);
	test_assert_str_equal(poem->body, (struct str){"床前明月光，\n\n疑是地上霜。",
						       strlen("床前明月光，\n\n疑是地上霜。")});
	test_assert_str_equal(poem->source, (struct str){"李白", strlen("李白")});
	assert_true(catalog_can_hold(&cold));
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	assert_same_collection(&cold, &warm); /* bodies too, read back from the ranges */
	free(bytes);
	free(p);
	collection_free(&warm);
	collection_free(&full);
	collection_free(&cold);
	sb_free(&why);
}

/* JSON Lines and SogouCS (GB18030, CR LF, two records on one line) in a catalog: their
 * records remembered by byte range, every field the same, every body read back from its
 * range the same as a full parse keeps in memory; a record changed in place is noticed
 * (the file's stat) and its new text read. */
static void test_round_trip_records(void **state)
{
	NEEDS_JANSSON();
	struct scratch *s = *state;
	struct collection cold, warm, full;
	struct strbuf why = {0};
	static const char sogou[] =
		"<doc>\r\n<url>http://a.example/1</url><docno>d1</docno>\r\n"
		"<contenttitle>\xd6\xd0\xb9\xfa</contenttitle>\r\n"
		"<content>\xa1\xa1\xa1\xa1\xd0\xc2\xce\xc5\xa1\xa1\xa1\xa1two\r\nlines</"
		"content>\r\n"
		"</doc>\r\n<doc><url>http://b.example/</url><docno>d2</docno>"
		"<contenttitle>Second</contenttitle><content>one line</content></doc>"
		"<doc><contenttitle>Third</contenttitle><content>x</content></doc>\n";
	static const char jsonl[] =
		"{\"news_id\":\"n1\",\"title\":\"First\",\"content\":\"p1\\np2\",\"time\":\"2016-"
		"01-02 10:00\"}\n"
		"not json\n"
		"{\"news_id\":\"n2\",\"title\":\"Second \\u00e9\",\"desc\":\"only a "
		"desc\",\"source\":"
		"\"新华网\",\"time\":\"03-22 12:00\"}\r\n"
		"\n"
		"{\"news_id\":\"n3\",\"title\":\"Bad \xff byte\",\"content\":\"c \xfe\"}";
	char *p = path_in(s, "col/news.dat");

	write_bytes(p, sogou, sizeof sogou - 1);
	free(p);
	make_file(s, "col/news.jsonl", jsonl);
	load_cold(s, &cold);
	assert_int_equal(collection_count(&cold), 6);
	collection_init(&full);
	loader_load_path_opts(&full, s->col, &(struct load_opts){.format = FORMAT_AUTO});
	collection_finish(&full);
	assert_int_equal(collection_count(&full), 6);
	for (size_t i = 0; i < collection_count(&cold); i++) {
		const struct article *a = collection_article(&cold, i),
				     *b = collection_article(&full, i);
		char *tmp;
		assert_true(a->body_on_disk);
		assert_true(a->rec_len > 0);
		assert_false(b->body_on_disk);
		struct str t = article_body_read(&cold, i, &tmp);
		assert_non_null(tmp);
		test_assert_str_equal(t, b->body);
		free(tmp);
	}
	assert_true(catalog_can_hold(&cold));
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	assert_same_collection(&cold, &warm); /* bodies too, read back from the ranges */
	const struct article *n2 = collection_find(&warm, "n2");
	assert_non_null(n2); /* its time with no year, beside its source, read back */
	test_assert_str_equal(n2->time, (struct str){"03-22 12:00", 11});
	test_assert_str_equal(n2->source, (struct str){"新华网", strlen("新华网")});
	for (size_t i = 0; i < collection_count(&warm); i++) {
		assert_int_equal(collection_article(&warm, i)->rec_off,
				 collection_article(&cold, i)->rec_off);
		assert_int_equal(collection_article(&warm, i)->rec_len,
				 collection_article(&cold, i)->rec_len);
	}

	/* "First" changed in place, as long as before: the files' stat tells. */
	struct collection now;
	const struct article *first = by_id(&warm, "n1");
	assert_non_null(first);
	p = path_in(s, "col/news.jsonl");
	size_t nbytes;
	char *bytes = read_all(p, &nbytes);
	char *at = memmem(bytes, nbytes, "p1\\np2", 6);
	assert_non_null(at);
	memcpy(at, "q1\\nq2", 6);
	struct timespec later[2] = {{0, UTIME_OMIT}, {time(NULL) + 5, 0}};
	write_bytes(p, bytes, nbytes);
	assert_int_equal(utimensat(AT_FDCWD, p, later, 0), 0);
	collection_init(&now);
	loader_list_files(&now, s->col, &lean);
	assert_false(catalog_same_files(&warm, &now));
	char *tmp;
	struct str t = article_body_peek(first, &tmp);
	assert_int_equal(t.n, strlen("q1\n\nq2"));
	assert_memory_equal(t.p, "q1\n\nq2", t.n);
	free(tmp);
	/* cut short: said in place of the text */
	assert_int_equal(truncate(p, (off_t)first->rec_off + 3), 0);
	t = article_body_peek(first, &tmp);
	assert_non_null(strstr(t.p, "shorter than when it was loaded"));
	free(tmp);
	free(bytes);
	free(p);
	collection_free(&now);
	collection_free(&warm);
	collection_free(&full);
	collection_free(&cold);
	sb_free(&why);
}

/* ---------------------------------------------------------------------------
 * Damage
 */

static uint64_t le64(const char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | (unsigned char)p[i];
	return v;
}

/* A small catalog of s's collection (a few articles, no seed): its bytes. */
static char *small_catalog(struct scratch *s, size_t *n)
{
	struct collection c;

	make_file(s, "col/one.txt",
		  "One\n\n2021-01-02 Src\n\nBody one.\n\n相關焦點\n\n  • Two\n    two's snippet\n"
		  "  • Nowhere\n");
	make_file(s, "col/two.txt", "Two\n\n2021-01-01\n\nBody two.\n\n相關焦點\n\n  • One\n");
	make_file(s, "col/bad.txt", "\n");
	load_cold(s, &c);
	assert_int_equal(collection_count(&c), 3);
	assert_true(c.diags.n >= 2);
	assert_null(catalog_write(&c, s->key, s->file));
	collection_free(&c);
	return read_all(s->file, n);
}

/* Make the hashes of the catalog buf[0..n) right again after its tables were changed
 * (their sizes as in the header of good), so that only catalog_read's checks of every
 * count, offset and index stand between a damaged table and the reader. */
static void rehash(char *buf, const char *good)
{
	/* counts in the header's order, with their record sizes; hashed in file order */
	/* (index 5 is the strings' size, which is not a table of records) */
	static const size_t record[7] = {72, 136, 32, 4, 32, 0, 64};
	static const int file_order[6] = {0, 1, 2, 4, 6, 3};
	size_t at[7], pos = HDR_SIZE;
	uint64_t h = 0;

	for (int t = 0; t < 6; t++) {
		int k = file_order[t];
		at[k] = pos;
		pos += (size_t)le64(good + HDR_COUNTS + 8 * k) * record[k];
	}
	for (int t = 0; t < 6; t++) {
		int k = file_order[t];
		h = xxh64(buf + at[k], (size_t)le64(good + HDR_COUNTS + 8 * k) * record[k], h);
	}
	h = xxh64(buf + pos, (size_t)le64(good + HDR_COUNTS + 8) * 20, h); /* the orders */
	memcpy(buf + HDR_TABLES_HASH, &h, sizeof h);
	h = xxh64(buf, HDR_HASH, 0);
	memcpy(buf + HDR_HASH, &h, sizeof h);
}

/* Read s's catalog; a collection read is walked through (every string and link) and
 * its strings checked. Returns the status, and in *verified what catalog_verify said. */
static enum catalog_status read_damaged(struct scratch *s, uint64_t key, bool *verified)
{
	struct collection c;
	struct strbuf why = {0};
	enum catalog_status st;

	collection_init(&c);
	st = catalog_read(&c, key, s->file, &why);
	*verified = false;
	if (st == CATALOG_CORRUPT)
		assert_true(why.n > 0);
	if (st == CATALOG_OK) {
		size_t sum = 0;
		for (size_t i = 0; i < collection_count(&c); i++) {
			const struct article *a = collection_article(&c, i);
			sum += strlen(a->id) + (a->path ? strlen(a->path) : 0);
			for (size_t k = 0; k < a->title.n; k++)
				sum += (unsigned char)a->title.p[k];
			for (size_t k = 0; k < a->time.n; k++)
				sum += (unsigned char)a->time.p[k];
			for (size_t k = 0; k < a->related.n; k++) {
				const struct related *r = &a->related.v[k];
				sum += strlen(collection_article(&c, r->target)->id) +
				       collection_article(&c, r->target)->kind;
				for (size_t b = 0; b < r->headline.n; b++)
					sum += (unsigned char)r->headline.p[b];
				for (size_t b = 0; b < r->snippet.n; b++)
					sum += (unsigned char)r->snippet.p[b];
			}
			for (size_t k = 0; k < a->backlinks.n; k++)
				sum += strlen(collection_article(&c, a->backlinks.v[k])->id);
		}
		for (size_t i = 0; i < c.diags.n; i++)
			sum += strlen(c.diags.v[i].file) + strlen(c.diags.v[i].msg);
		assert_true(sum > 0);
		*verified = catalog_verify(&c);
	}
	collection_free(&c);
	sb_free(&why);
	return st;
}

static void test_every_bit_flip_caught(void **state)
{
	struct scratch *s = *state;
	size_t n;
	char *good = small_catalog(s, &n);
	char *bad = malloc(n);
	size_t strings_at = n - (size_t)le64(good + HDR_NSTRINGS);
	size_t caught_by_verify = 0;
	bool verified;

	assert_non_null(bad);
	assert_true(strings_at > HDR_HASH && strings_at < n);
	assert_int_equal(read_damaged(s, s->key, &verified), CATALOG_OK);
	assert_true(verified);
	for (size_t i = 0; i < n; i++) {
		for (int bit = 0; bit < 8; bit += 7) {
			memcpy(bad, good, n);
			bad[i] ^= (char)(1u << bit);
			write_bytes(s->file, bad, n);
			enum catalog_status st = read_damaged(s, s->key, &verified);
			if (st == CATALOG_OK) {
				/* only a string's byte gets past the reading, and not past
				 * catalog_verify */
				if (verified || i < strings_at)
					fail_msg("byte %zu bit %d: read and verified", i, bit);
				caught_by_verify++;
			} else {
				assert_true(st == CATALOG_CORRUPT || st == CATALOG_STALE);
			}
		}
	}
	assert_true(caught_by_verify > 0);

	/* Every bit of the tables again, the hashes made right: the checks of every count,
	 * offset and index refuse what would point outside the file (ASan would see a
	 * collection that does), and whatever is read is safe to walk. */
	memcpy(bad, good, n);
	rehash(bad, good);
	assert_memory_equal(bad, good, n); /* the test knows the layout */
	size_t refused = 0;
	for (size_t i = HDR_SIZE; i < strings_at; i++) {
		for (int bit = 0; bit < 8; bit++) {
			memcpy(bad, good, n);
			bad[i] ^= (char)(1u << bit);
			rehash(bad, good);
			write_bytes(s->file, bad, n);
			enum catalog_status st = read_damaged(s, s->key, &verified);
			assert_true(st == CATALOG_OK || st == CATALOG_CORRUPT);
			refused += st == CATALOG_CORRUPT;
		}
	}
	assert_true(refused > 0);

	/* Every truncation. */
	for (size_t len = 0; len < n; len++) {
		write_bytes(s->file, good, len);
		assert_int_equal(read_damaged(s, s->key, &verified), CATALOG_CORRUPT);
	}
	free(bad);
	free(good);
}

/* The list's orders in the catalog: the ones made from the collection written, read
 * back with it; an order that is not a permutation of the articles, or a group number
 * past them, refused (the hashes made right: the check itself refuses it). */
static void test_orders_kept_and_checked(void **state)
{
	struct scratch *s = *state;
	struct collection cold, warm;
	struct strbuf why = {0};

	make_collection(s);
	load_cold(s, &cold);
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	size_t na = collection_count(&cold), words = LISTORDER_WORDS(na);
	assert_true(na >= 3);
	uint32_t *made = malloc(words * sizeof *made), *again = malloc(words * sizeof *again);
	assert_non_null(made);
	assert_non_null(again);
	listorder_make_all(&cold, made);
	listorder_make_all(&warm, again);
	assert_memory_equal(made, again, words * sizeof *made);
	assert_non_null(warm.orders);
	assert_memory_equal(warm.orders, made, words * sizeof *made);
	collection_free(&warm);
	collection_free(&cold);

	size_t n;
	char *good = read_all(s->file, &n), *bad = malloc(n);
	assert_non_null(bad);
	size_t orders_at = n - (size_t)le64(good + HDR_NSTRINGS) - words * 4;
	assert_memory_equal(good + orders_at, made, words * 4); /* the test knows the layout */
	uint32_t w;
	for (int damage = 0; damage < 3; damage++) {
		memcpy(bad, good, n);
		if (damage == 0) { /* the title order's first article twice */
			memcpy(bad + orders_at, good + orders_at + 4, 4);
		} else if (damage == 1) { /* the source order's last one past the articles */
			w = (uint32_t)na;
			memcpy(bad + orders_at + (2 * na - 1) * 4, &w, 4);
		} else { /* a month group number past the articles */
			w = (uint32_t)na;
			memcpy(bad + orders_at + (words - 1) * 4, &w, 4);
		}
		rehash(bad, good);
		write_bytes(s->file, bad, n);
		collection_init(&warm);
		sb_clear(&why);
		assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_CORRUPT);
		assert_non_null(strstr(sb_cstr(&why), "order"));
		collection_free(&warm);
	}
	free(bad);
	free(good);
	free(made);
	free(again);
	sb_free(&why);
}

/* A file's encoding in the catalog that is none of those found (an untrusted file, the
 * hashes made right) is refused as damaged, not read in some encoding or none. */
static void test_unknown_encoding_refused(void **state)
{
	struct scratch *s = *state;
	struct collection c;
	struct strbuf why = {0};
	size_t n;
	char *good = small_catalog(s, &n), *bad = malloc(n);
	const uint32_t garbage[] = {DECODE_FOUND_N, 0x80000000u, UINT32_MAX};
	const size_t at = HDR_SIZE + 12; /* the first file's encoding (struct rfile) */

	assert_non_null(bad);
	assert_true(le64(good + HDR_COUNTS) > 0);			   /* a file */
	assert_int_equal(le64(good + at - 4) & UINT32_MAX, FORMAT_NATIVE); /* its format */
	for (size_t k = 0; k < sizeof garbage / sizeof *garbage; k++) {
		memcpy(bad, good, n);
		for (int b = 0; b < 4; b++)
			bad[at + (size_t)b] = (char)(garbage[k] >> (8 * b));
		rehash(bad, good);
		write_bytes(s->file, bad, n);
		collection_init(&c);
		sb_clear(&why);
		assert_int_equal(catalog_read(&c, s->key, s->file, &why), CATALOG_CORRUPT);
		assert_non_null(strstr(sb_cstr(&why), "encoding"));
		collection_free(&c);
	}
	free(bad);
	free(good);
	sb_free(&why);
}

static void test_stale_missing_and_not_a_file(void **state)
{
	struct scratch *s = *state;
	size_t n;
	char *buf = small_catalog(s, &n);
	bool verified;
	uint32_t version;

	/* Another key: the catalog of other paths or options. */
	assert_int_equal(read_damaged(s, s->key + 1, &verified), CATALOG_STALE);
	/* Another version, its header hash made right. */
	memcpy(&version, buf + HDR_VERSION, sizeof version);
	version++;
	memcpy(buf + HDR_VERSION, &version, sizeof version);
	uint64_t h = xxh64(buf, HDR_HASH, 0);
	memcpy(buf + HDR_HASH, &h, sizeof h);
	write_bytes(s->file, buf, n);
	assert_int_equal(read_damaged(s, s->key, &verified), CATALOG_STALE);
	/* The version patched alone is damage. */
	version--;
	memcpy(buf + HDR_VERSION, &version, sizeof version);
	write_bytes(s->file, buf, n);
	assert_int_equal(read_damaged(s, s->key, &verified), CATALOG_CORRUPT);

	assert_int_equal(unlink(s->file), 0);
	assert_int_equal(read_damaged(s, s->key, &verified), CATALOG_MISSING);
	write_bytes(s->file, "", 0);
	assert_int_equal(read_damaged(s, s->key, &verified), CATALOG_CORRUPT);
	assert_int_equal(unlink(s->file), 0);
	assert_int_equal(mkdir(s->file, 0755), 0);
	assert_int_equal(read_damaged(s, s->key, &verified), CATALOG_CORRUPT);
	assert_int_equal(rmdir(s->file), 0);
	free(buf);
}

/* ---------------------------------------------------------------------------
 * Refresh
 */

/* Run a reload of warm (read from s's catalog) to its end; *what gets a copy of what
 * it said, and the result (the reload freed) is compared with a cold load when
 * there is one. Returns whether there was one. */
static bool run_reload(struct scratch *s, const struct collection *warm, char **what)
{
	struct reload *r = reload_start(warm, true, &s->col, 1, &lean, s->key, s->file);
	const struct collection *fresh;
	const char *said;
	struct timespec nap = {0, 5 * 1000 * 1000};

	reload_begin(r);
	for (int i = 0; i < 6000 && !reload_done(r); i++)
		nanosleep(&nap, NULL);
	assert_true(reload_done(r));
	fresh = reload_result(r, &said);
	*what = strdup(said);
	if (fresh) {
		struct collection cold;
		load_cold(s, &cold);
		assert_same_collection(&cold, fresh);
		collection_free(&cold);
	}
	reload_free(r);
	return fresh != NULL;
}

/* Articles read in an encoding detected in their files (GBK and Big5 among UTF-8
 * articles, native and THUCNews): the file tables keep the encoding, and the bodies stay
 * in the files, read back in it, so the collection has a catalog like any other (one
 * such file once kept the whole collection from having one), whose articles, ids,
 * identities and bodies are those of a load keeping every text in memory; a reload that
 * reuses the unchanged files reads them so too. */
static void test_round_trip_detected_encoding(void **state)
{
	struct scratch *s = *state;
	struct collection cold, kept, warm;
	struct strbuf why = {0};
	char *what, *p, *buf;
	static const struct load_opts in_memory = {.format = FORMAT_AUTO};
	/* "简体标题 / 2024-01-03 新华社 / 这是一篇用国标码写的文章。" in GBK */
	static const char gbk[] = "\xBC\xF2\xCC\xE5\xB1\xEA\xCC\xE2\n\n2024-01-03 "
				  "\xD0\xC2\xBB\xAA\xC9\xE7\n\n\xD5\xE2\xCA\xC7\xD2\xBB"
				  "\xC6\xAA\xD3\xC3\xB9\xFA\xB1\xEA\xC2\xEB\xD0\xB4\xB5\xC4"
				  "\xCE\xC4\xD5\xC2\xA1\xA3\n";
	/* "繁體標題 / 2024-01-04 中央社 / 這是一篇用大五碼寫的文章。" in Big5 */
	static const char big5[] = "\xC1\x63\xC5\xE9\xBC\xD0\xC3\x44\n\n2024-01-04 "
				   "\xA4\xA4\xA5\xA1\xAA\xC0\n\n\xB3\x6F\xAC\x4F\xA4\x40"
				   "\xBD\x67\xA5\xCE\xA4\x6A\xA4\xAD\xBD\x58\xBC\x67\xAA"
				   "\xBA\xA4\xE5\xB3\xB9\xA1\x43\n";
	/* THUCNews: "体育新闻标题 / 　　这是一篇用国标码写的体育新闻。" in GBK */
	static const char thuc[] = "\xCC\xE5\xD3\xFD\xD0\xC2\xCE\xC5\xB1\xEA\xCC\xE2\n"
				   "\xA1\xA1\xA1\xA1\xD5\xE2\xCA\xC7\xD2\xBB\xC6\xAA\xD3"
				   "\xC3\xB9\xFA\xB1\xEA\xC2\xEB\xD0\xB4\xB5\xC4\xCC\xE5"
				   "\xD3\xFD\xD0\xC2\xCE\xC5\xA1\xA3\n";
	static const struct {
		const char *id, *title, *body;
		int encoding;
	} want[] = {
		{"gbk", "简体标题", "这是一篇用国标码写的文章。", DECODE_FOUND_GB18030},
		{"big5", "繁體標題", "這是一篇用大五碼寫的文章。", DECODE_FOUND_BIG5},
		{"77", "体育新闻标题", "这是一篇用国标码写的体育新闻。", DECODE_FOUND_GB18030},
	};

	make_collection(s);
	write_bytes(p = path_in(s, "col/gbk.txt"), gbk, sizeof gbk - 1);
	free(p);
	write_bytes(p = path_in(s, "col/big5.txt"), big5, sizeof big5 - 1);
	free(p);
	write_bytes(p = path_in(s, "col/77.txt"), thuc, sizeof thuc - 1);
	free(p);
	load_cold(s, &cold);
	collection_init(&kept);
	loader_load_path_opts(&kept, s->col, &in_memory);
	collection_finish(&kept);
	assert_same_collection(&cold, &kept); /* identities and bodies as when kept */
	for (size_t i = 0; i < collection_count(&cold); i++)
		if (collection_article(&cold, i)->kind == ARTICLE_FULL)
			assert_true(collection_article(&cold, i)->body_on_disk);
	assert_true(catalog_can_hold(&cold));
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	assert_true(catalog_verify(&warm));
	assert_same_collection(&cold, &warm);
	for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
		const struct article *c = by_id(&cold, want[k].id), *w = by_id(&warm, want[k].id);
		assert_non_null(c);
		assert_non_null(w);
		test_assert_str_equal(w->title, str_make(want[k].title, strlen(want[k].title)));
		assert_true(w->body_on_disk);
		assert_int_equal(w->body_encoding, want[k].encoding);
		assert_int_equal(warm.files.v[w->file].encoding, want[k].encoding);
		struct str body = article_body_peek(w, &buf);
		test_assert_str_equal(body, str_make(want[k].body, strlen(want[k].body)));
		free(buf);
	}
	/* beta changes: the reload reuses the other files' articles from the catalog,
	 * their encodings too (run_reload compares what it gives with a cold load) */
	make_file(s, "col/beta.txt", "Beta story, renamed\n\n2021-02-01 Beta Times\n\nBeta.\n");
	assert_true(run_reload(s, &warm, &what));
	free(what);
	collection_free(&warm);
	collection_free(&kept);
	collection_free(&cold);
	sb_free(&why);
}

static void test_reload_finds_changes(void **state)
{
	struct scratch *s = *state;
	struct collection cold, warm, again;
	struct strbuf why = {0};
	char *what, *p;

	make_collection(s);
	load_cold(s, &cold);
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);

	assert_false(run_reload(s, &warm, &what));
	assert_string_equal(what, "");
	free(what);

	/* Beta gets another title (a new size), gamma goes, delta comes. */
	make_file(s, "col/beta.txt",
		  "Beta story, renamed\n\n2021-02-01 Beta Times\n\nBeta body, longer now.\n");
	assert_int_equal(unlink(p = path_in(s, "col/gamma.txt")), 0);
	free(p);
	make_file(s, "col/delta.txt",
		  "Delta story\n\n2021-04-01\n\nDelta body.\n\n相關焦點\n\n  • Alpha story\n");
	assert_true(run_reload(s, &warm, &what));
	assert_non_null(strstr(what, "The files changed"));
	free(what);

	/* The catalog was written anew: it holds the files as they are now. */
	struct collection now;
	load_cold(s, &now);
	assert_non_null(by_id(&now, "delta"));
	assert_null(by_id(&now, "gamma"));
	collection_init(&again);
	assert_int_equal(catalog_read(&again, s->key, s->file, &why), CATALOG_OK);
	assert_same_collection(&now, &again);
	collection_free(&again);
	collection_free(&now);
	collection_free(&warm);
	collection_free(&cold);
	sb_free(&why);
}

static void test_reload_damaged_strings(void **state)
{
	struct scratch *s = *state;
	struct collection cold, warm;
	struct strbuf why = {0};
	size_t n;
	char *buf, *what;

	make_collection(s);
	load_cold(s, &cold);
	assert_null(catalog_write(&cold, s->key, s->file));
	buf = read_all(s->file, &n);
	size_t strings_at = n - (size_t)le64(buf + HDR_NSTRINGS);
	buf[strings_at + 1] ^= 0x01; /* the first file's name; nothing else fixed */
	write_bytes(s->file, buf, n);
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	assert_false(catalog_verify(&warm));
	assert_true(run_reload(s, &warm, &what));
	assert_non_null(strstr(what, "checksum mismatch"));
	free(what);
	/* The catalog written then is whole again. */
	collection_free(&warm);
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	assert_true(catalog_verify(&warm));
	assert_same_collection(&cold, &warm);
	collection_free(&warm);
	collection_free(&cold);
	free(buf);
	sb_free(&why);
}

/* ---------------------------------------------------------------------------
 * The first part of a big catalog (catalog_read_part) and the rest beside the reader
 * (RELOAD_REST)
 */

#define PART_N 10
#define RARTICLE_SIZE 128 /* struct rarticle: id at byte 0, title at byte 8 (off, len) */
#define RFILE_SIZE 72

/* PART_N articles a0 (the newest) to a9, a0 linking to `links` of the oldest ones (a9,
 * a8, ...) by title, a5 to a1 when back. */
static void make_dated(const struct scratch *s, int links, bool back)
{
	for (int i = 0; i < PART_N; i++) {
		char rel[32], text[512];
		int n = snprintf(text, sizeof text, "Story %d\n\n2021-01-%02d Src%d\n\nBody %d.\n",
				 i, 28 - i, i, i);
		if ((i == 0 && links) || (i == 5 && back))
			n += snprintf(text + n, sizeof text - (size_t)n, "\n相關焦點\n\n");
		for (int k = 0; i == 0 && k < links; k++)
			n += snprintf(text + n, sizeof text - (size_t)n, "  • Story %d\n",
				      PART_N - 1 - k);
		if (i == 5 && back)
			snprintf(text + n, sizeof text - (size_t)n, "  • Story 1\n");
		snprintf(rel, sizeof rel, "col/a%d.txt", i);
		make_file(s, rel, text);
	}
}

/* The ids of c in order, space-separated (a static buffer). */
static const char *ids_of(const struct collection *c)
{
	static char buf[512];
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < collection_count(c) && n < sizeof buf; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", i ? " " : "",
				      collection_article(c, i)->id);
	return buf;
}

/* A part is the first articles and what they link to or are linked from, in list
 * order, each as the whole catalog has it (its links among the part's, its file); a
 * catalog of no more than `first` or `above` articles, or one whose first articles link
 * to more than the part may hold, is read whole. */
static void test_part_of_catalog(void **state)
{
	struct scratch *s = *state;
	struct collection cold, part;
	struct strbuf why = {0};
	size_t total;

	make_dated(s, 3, true);
	load_cold(s, &cold);
	assert_null(catalog_write(&cold, s->key, s->file));
	assert_string_equal(ids_of(&cold), "a0 a1 a2 a3 a4 a5 a6 a7 a8 a9");
	collection_init(&part);
	assert_int_equal(catalog_read_part(&part, s->key, s->file, 2, 0, &total, &why), CATALOG_OK);
	assert_int_equal(total, PART_N);
	/* a0, a1, what they link to (a7, a8, a9) and what links to them (a5) */
	assert_string_equal(ids_of(&part), "a0 a1 a5 a7 a8 a9");
	for (size_t i = 0; i < collection_count(&part); i++) {
		const struct article *a = collection_article(&part, i);
		const struct article *w = by_id(&cold, a->id);
		assert_same_article(&part, a, &cold, w);
		assert_int_equal(a->pos, i);
		assert_true(a->file < part.files.n);
		assert_string_equal(part.files.v[a->file].path, w->path);
		assert_ptr_equal(a->path, part.files.v[a->file].path);
		for (size_t k = 0; k < a->related.n; k++) /* a link stays in the part */
			assert_true(a->related.v[k].target < collection_count(&part));
	}
	assert_int_equal(part.files.n, 6);
	assert_int_equal(by_id(&part, "a1")->backlinks.n, 1);
	collection_free(&part);

	/* whole: no more articles than first, or than above */
	collection_init(&part);
	assert_int_equal(catalog_read_part(&part, s->key, s->file, PART_N, 0, &total, &why),
			 CATALOG_OK);
	assert_same_collection(&cold, &part);
	collection_free(&part);
	collection_init(&part);
	assert_int_equal(catalog_read_part(&part, s->key, s->file, 2, PART_N, &total, &why),
			 CATALOG_OK);
	assert_same_collection(&cold, &part);
	collection_free(&part);
	collection_free(&cold);

	/* whole: a0 links to four, so that a part of one would hold five (over 4 × 1) */
	char *col = path_in(s, "col");
	test_scratch_remove(col);
	assert_int_equal(mkdir(col, 0755), 0);
	free(col);
	make_dated(s, 4, false);
	load_cold(s, &cold);
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&part);
	assert_int_equal(catalog_read_part(&part, s->key, s->file, 1, 0, &total, &why), CATALOG_OK);
	assert_same_collection(&cold, &part);
	collection_free(&part);
	collection_init(&part);
	assert_int_equal(catalog_read_part(&part, s->key, s->file, 2, 0, &total, &why), CATALOG_OK);
	assert_string_equal(ids_of(&part), "a0 a1 a6 a7 a8 a9");
	collection_free(&part);
	collection_free(&cold);
	sb_free(&why);
}

/* Where article i's title offset is in the catalog buf. */
static size_t title_off_at(const char *buf, size_t i)
{
	return HDR_SIZE + (size_t)le64(buf + HDR_COUNTS) * RFILE_SIZE + i * RARTICLE_SIZE + 8;
}

/* A part checks every string and link of its own articles; damage outside it is the
 * whole's to find (its checksums), and catalog_read_unless gives up when asked. */
static void test_part_checks(void **state)
{
	struct scratch *s = *state;
	struct collection cold, part;
	struct strbuf why = {0};
	size_t total, n;
	atomic_bool cancel;

	make_dated(s, 0, false);
	load_cold(s, &cold);
	assert_null(catalog_write(&cold, s->key, s->file));
	char *good = read_all(s->file, &n), *buf = malloc(n);
	assert_non_null(buf);

	/* a0's title out of bounds, the checksums made right again: refused */
	memcpy(buf, good, n);
	memset(buf + title_off_at(buf, 0), 0xff, 4);
	rehash(buf, good);
	write_bytes(s->file, buf, n);
	collection_init(&part);
	assert_int_equal(catalog_read_part(&part, s->key, s->file, 2, 0, &total, &why),
			 CATALOG_CORRUPT);
	assert_non_null(strstr(why.s, "out of bounds"));
	assert_int_equal(collection_count(&part), 0);
	collection_free(&part);
	sb_clear(&why);

	/* a9's (not in the part), the checksums not made right: the part is read, the
	 * whole refused */
	memcpy(buf, good, n);
	buf[title_off_at(buf, PART_N - 1) + 4] ^= 1; /* its length */
	write_bytes(s->file, buf, n);
	collection_init(&part);
	assert_int_equal(catalog_read_part(&part, s->key, s->file, 2, 0, &total, &why), CATALOG_OK);
	assert_string_equal(ids_of(&part), "a0 a1");
	collection_free(&part);
	collection_init(&part);
	assert_int_equal(catalog_read(&part, s->key, s->file, &why), CATALOG_CORRUPT);
	assert_non_null(strstr(why.s, "tables checksum mismatch"));
	collection_free(&part);

	/* given up */
	write_bytes(s->file, good, n);
	atomic_init(&cancel, true);
	collection_init(&part);
	assert_int_equal(catalog_read_unless(&part, s->key, s->file, &cancel, &why),
			 CATALOG_CANCELLED);
	assert_int_equal(collection_count(&part), 0);
	collection_free(&part);
	atomic_store(&cancel, false);
	collection_init(&part);
	assert_int_equal(catalog_read_unless(&part, s->key, s->file, &cancel, &why), CATALOG_OK);
	assert_same_collection(&cold, &part);
	collection_free(&part);
	collection_free(&cold);
	free(good);
	free(buf);
	sb_free(&why);
}

/* Run RELOAD_REST of a part of s's catalog (first 2) to its end: the result, compared
 * with a cold load of the files; *what: a copy of what it said. */
/* Run RELOAD_REST from the first 2 articles of s's catalog to its end: what it said (a
 * copy) in *what; the bytes of files it read. */
static uint64_t run_rest(struct scratch *s, char **what)
{
	struct collection part, cold;
	struct strbuf why = {0};
	struct reload_progress p;
	size_t total;
	const char *said;
	struct timespec nap = {0, 5 * 1000 * 1000};

	collection_init(&part);
	assert_int_equal(catalog_read_part(&part, s->key, s->file, 2, 0, &total, &why), CATALOG_OK);
	assert_int_equal(collection_count(&part), 2);
	struct reload *r = reload_start(&part, RELOAD_REST, &s->col, 1, &lean, s->key, s->file);
	reload_track_part(r, total);
	reload_track_bytes(r, 0, UINT64_MAX, 0); /* the bytes read, counted to no bound */
	assert_true(reload_loading(r, &p));	 /* the first screen says it is loading */
	assert_int_equal(p.articles, PART_N);
	reload_begin(r);
	for (int i = 0; i < 6000 && !reload_done(r); i++)
		nanosleep(&nap, NULL);
	assert_true(reload_done(r));
	assert_false(reload_loading(r, &p));
	uint64_t bytes = p.bytes;
	const struct collection *whole = reload_result(r, &said);
	assert_non_null(whole);
	*what = strdup(said);
	load_cold(s, &cold);
	assert_same_collection(&cold, whole);
	collection_free(&cold);
	reload_free(r);
	collection_free(&part);
	sb_free(&why);
	return bytes;
}

/* The rest of a part's catalog read beside the reader is the whole, said nothing of;
 * the files changed since: the files as they are now; the catalog damaged outside the
 * part: the files, and the damage said. */
static void test_rest_of_part(void **state)
{
	struct scratch *s = *state;
	struct collection cold;
	char *what;
	size_t n;

	make_dated(s, 0, false);
	load_cold(s, &cold);
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_free(&cold);
	run_rest(s, &what);
	assert_string_equal(what, "");
	free(what);

	static const char again[] = "Story 5, again\n\n2021-01-23 Src5\n\nBody 5, longer.\n";
	make_file(s, "col/a5.txt", again);
	/* only the changed file is read: the others are taken from the catalog */
	assert_int_equal(run_rest(s, &what), strlen(again));
	assert_non_null(strstr(what, "The files changed"));
	free(what);

	/* the catalog written anew above; a9's title damaged in it */
	char *buf = read_all(s->file, &n);
	buf[title_off_at(buf, PART_N - 1) + 4] ^= 1;
	write_bytes(s->file, buf, n);
	free(buf);
	run_rest(s, &what);
	assert_non_null(strstr(what, "tables checksum mismatch: rebuilt"));
	free(what);
}

/* ---------------------------------------------------------------------------
 * catalog_reuse
 */

struct counted {
	struct catalog_reuse *r;
	size_t reused;
};

static bool counting_reuse(void *ctx, const char *path, const char *id, const char *alt_id,
			   const struct stat *st, struct collection *part)
{
	struct counted *k = ctx;
	bool ok = catalog_reuse(k->r, path, id, alt_id, st, part);

	if (ok)
		__atomic_add_fetch(&k->reused, 1, __ATOMIC_RELAXED);
	return ok;
}

static void test_reuse_is_loading(void **state)
{
	struct scratch *s = *state;
	struct collection cold, warm, reused;
	struct strbuf why = {0};
	struct counted k;
	struct load_opts o = lean;

	make_collection(s);
	load_cold(s, &cold);
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	k.r = catalog_reuse_new(&warm);
	k.reused = 0;
	o.reuse = counting_reuse;
	o.reuse_ctx = &k;
	collection_init(&reused);
	loader_load_path_opts(&reused, s->col, &o);
	collection_finish(&reused);
	/* Every file was taken from the catalog, bad.txt (a problem, no article) too. */
	assert_int_equal(k.reused, cold.files.n);
	check_fixture(&reused);
	assert_same_collection(&cold, &reused);
	catalog_reuse_free(k.r);
	collection_free(&reused);
	collection_free(&warm);
	collection_free(&cold);
	sb_free(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_detected_encoding, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_many_links, setup, teardown),
		cmocka_unit_test_setup_teardown(test_made_when_asked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_made_on_two_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_fields_make_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_made_from_changed_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_bit_flip_caught, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_encoding_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_missing_and_not_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orders_kept_and_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_finds_changes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_damaged_strings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reuse_is_loading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_part_of_catalog, setup, teardown),
		cmocka_unit_test_setup_teardown(test_part_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rest_of_part, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
