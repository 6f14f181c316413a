/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_loader.c: loading files and directories safely: recursion, ordering, special
 * files, symlink loops, size and depth limits, one diag per bad file. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "collection.h"
#include "body.h"
#include "catalog.h"
#include "loader.h"
#include "marks.h"
#include "testutil.h"

#define GOOD_ARTICLE "好文章\n\n2020-05-05 來源\n\n內容。\n"

/* ---------------------------------------------------------------------------
 * A scratch directory per test
 */

struct scratch {
	char root[512];
	struct collection c;
};

static char *path_in(const struct scratch *s, const char *rel)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", s->root, rel) > 0);
	return p;
}

static void make_dir(const struct scratch *s, const char *rel)
{
	char *p = path_in(s, rel);

	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
}

/* Write the n bytes at text to rel under the scratch root. */
static void make_file_n(const struct scratch *s, const char *rel, const char *text, size_t n)
{
	char *p = path_in(s, rel);
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	free(p);
}

static void make_file(const struct scratch *s, const char *rel, const char *text)
{
	make_file_n(s, rel, text, strlen(text));
}

static void make_link(const struct scratch *s, const char *target, const char *rel)
{
	char *p = path_in(s, rel);

	assert_int_equal(symlink(target, p), 0);
	free(p);
}

static int setup(void **state)
{
	struct scratch *s = calloc(1, sizeof *s);

	if (!s)
		return -1;
	if (!test_scratch_dir(s->root, sizeof s->root, "loader")) {
		free(s);
		return -1;
	}
	collection_init(&s->c);
	*state = s;
	return 0;
}

/* Make a mode-000 directory searchable again so that it can be removed. */
static int unlock_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(path, 0755);
	(void)st;
	return 0;
}

static int teardown(void **state)
{
	struct scratch *s = *state;
	int r;

	collection_free(&s->c);
	nftw(s->root, unlock_entry, 16, FTW_PHYS);
	r = test_scratch_remove(s->root);
	free(s);
	return r;
}

/* ---------------------------------------------------------------------------
 * Helpers on the result
 */

static size_t diags_for(const struct collection *c, const char *file)
{
	size_t i, n = 0;

	for (i = 0; i < c->diags.n; i++)
		n += strcmp(c->diags.v[i].file, file) == 0;
	return n;
}

/* Assert that file has exactly one diag and that it says needle. */
static void assert_one_diag(const struct scratch *s, const char *rel, const char *needle)
{
	char *p = path_in(s, rel);
	size_t i;

	if (diags_for(&s->c, p) != 1) {
		print_error("%s: %zu diags, want 1\n", p, diags_for(&s->c, p));
		for (i = 0; i < s->c.diags.n; i++)
			print_error("  %s: %s\n", s->c.diags.v[i].file, s->c.diags.v[i].msg);
		fail();
	}
	for (i = 0; i < s->c.diags.n; i++) {
		if (strcmp(s->c.diags.v[i].file, p) == 0 && !strstr(s->c.diags.v[i].msg, needle)) {
			print_error("%s: \"%s\" does not say \"%s\"\n", p, s->c.diags.v[i].msg,
				    needle);
			fail();
		}
	}
	free(p);
}

static const struct article *article_with_id(const struct collection *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->articles.n; i++)
		if (strcmp(c->articles.v[i]->id, id) == 0)
			return c->articles.v[i];
	return NULL;
}

/* ---------------------------------------------------------------------------
 * Tests
 */

static void test_fixture_tree(void **state)
{
	struct collection c;
	const struct article *first, *second, *third, *x;

	(void)state;
	collection_init(&c);
	assert_int_equal(loader_load_path(&c, TEST_DATADIR "/loader"), 3);
	/* deterministic load order: sorted by name, depth first; README ignored */
	assert_int_equal(c.articles.n, 3);
	assert_string_equal(c.articles.v[0]->path, TEST_DATADIR "/loader/2020/first.txt");
	assert_string_equal(c.articles.v[1]->path, TEST_DATADIR "/loader/2020/second.txt");
	assert_string_equal(c.articles.v[2]->path, TEST_DATADIR "/loader/2021/third.txt");
	/* third.txt has no date line, which --check reports */
	assert_int_equal(c.diags.n, 1);
	assert_string_equal(c.diags.v[0].file, TEST_DATADIR "/loader/2021/third.txt");
	assert_non_null(strstr(c.diags.v[0].msg, "no date line"));
	collection_finish(&c);
	assert_int_equal(c.articles.n, 4);
	second = c.articles.v[0];
	first = c.articles.v[1];
	third = c.articles.v[2];
	x = c.articles.v[3];
	assert_string_equal(second->id, "second");
	assert_string_equal(first->id, "first");
	assert_string_equal(third->id, "third");
	assert_int_equal(third->date.n, 0);
	assert_int_equal(x->kind, ARTICLE_EXCERPT);
	assert_int_equal(x->body.n, strlen("只是摘要"));
	assert_int_equal(first->related.v[0].target, second->pos);
	assert_int_equal(second->related.v[0].target, first->pos);
	assert_int_equal(second->related.v[1].target, third->pos); /* truncated, unique */
	assert_int_equal(third->related.v[0].target, first->pos);  /* white space, NFKC */
	assert_int_equal(third->related.v[1].target, x->pos);
	assert_int_equal(first->backlinks.n, 2);
	assert_int_equal(first->backlinks.v[0], second->pos);
	assert_int_equal(first->backlinks.v[1], third->pos);
	assert_int_equal(x->backlinks.n, 1);
	assert_int_equal(c.diags.n, 2); /* no date line (above), and: */
	assert_string_equal(c.diags.v[1].file, TEST_DATADIR "/loader/2021/third.txt");
	assert_int_equal(c.diags.v[1].line, 7);
	assert_non_null(strstr(c.diags.v[1].msg, "unresolved related headline: 不在集子裡的新聞"));
	collection_free(&c);
}

static void test_recursion_and_ignored_names(void **state)
{
	struct scratch *s = *state;
	char *root_slash;

	make_dir(s, "sub");
	make_dir(s, "sub/deeper");
	make_file(s, "b.txt", "乙\n");
	make_file(s, "a.txt", "甲\n");
	make_file(s, "sub/c.txt", "丙\n");
	make_file(s, "sub/deeper/d.txt", "丁\n");
	make_file(s, "notes.md", "not an article\n");
	make_file(s, "upper.TXT", "not an article either\n");
	make_file(s, "sub/.txt.bak", "nor this\n");
	assert_true(asprintf(&root_slash, "%s/", s->root) > 0);
	assert_int_equal(loader_load_path(&s->c, root_slash), 4);
	free(root_slash);
	assert_int_equal(s->c.diags.n, 0);
	assert_int_equal(s->c.articles.n, 4);
	assert_string_equal(s->c.articles.v[0]->id, "a");
	assert_string_equal(s->c.articles.v[1]->id, "b");
	assert_string_equal(s->c.articles.v[2]->id, "c");
	assert_string_equal(s->c.articles.v[3]->id, "d");
	{
		char *want = path_in(s, "sub/deeper/d.txt"); /* no doubled slash */
		assert_string_equal(s->c.articles.v[3]->path, want);
		free(want);
	}
}

static void test_explicit_file_any_extension(void **state)
{
	struct scratch *s = *state;
	char *p;

	make_file(s, "notes.md", "筆記\n\n2020-01-01\n\n內容\n");
	p = path_in(s, "notes.md");
	assert_int_equal(loader_load_path(&s->c, p), 1);
	assert_string_equal(s->c.articles.v[0]->id, "notes.md");
	assert_string_equal(s->c.articles.v[0]->path, p);
	free(p);
	make_file(s, "x.txt", "叉\n");
	p = path_in(s, "x.txt");
	assert_int_equal(loader_load_path(&s->c, p), 1);
	assert_string_equal(s->c.articles.v[1]->id, "x");
	free(p);
	p = path_in(s, "missing.txt");
	assert_int_equal(loader_load_path(&s->c, p), 0);
	assert_one_diag(s, "missing.txt", strerror(ENOENT));
	free(p);
}

/* A .json file that is one JSON document is read as one: an array of records (on one
 * line, or pretty-printed after a byte-order mark), an object written over several
 * lines, objects one after another; its records named by their place when they have
 * no id. Met in a walk, an array is read and a pretty-printed object (a program's
 * settings, more likely than news) is not. Cut short, or given in another encoding,
 * it says so. JSON Lines in a .json file is read as lines. */
static void test_json_document_named(void **state)
{
	NEEDS_JANSSON();
	struct scratch *s = *state;
	static const struct {
		const char *text;
		size_t articles;
		const char *id, *diag; /* an id loaded; a message said (NULL: none) */
	} docs[] = {
		{"[{\"title\":\"甲\",\"content\":\"文\"},{\"title\":\"乙\"}]", 2, "doc0-2", NULL},
		{"\xEF\xBB\xBF  [\n  {\n    \"title\": \"甲\"\n  }\n]\n", 1, "doc1-1", NULL},
		{"{\n  \"title\": \"甲\",\n  \"content\": \"文\"\n}\n", 1, "doc2-1", NULL},
		{"{\n \"id\": \"x\", \"title\": \"甲\"\n}\n{\n \"title\": \"乙\"\n}", 2, "x", NULL},
		{"[{\"title\":\"甲\"},\n{\"title\":\"乙\",\n", 1, "doc4-1",
		 "ends inside this record"},
		{"[{\"title\":\"甲\"},\n", 1, "doc5-1", "not closed"},
		{"[{\"title\":\"甲\"}, 1, 2]\n", 1, "doc6-1", "2 values that are not objects"},
	};

	for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
		char name[32], *p;

		snprintf(name, sizeof name, "doc%zu.json", i);
		make_file(s, name, docs[i].text);
		p = path_in(s, name);
		size_t first = s->c.articles.n;
		assert_int_equal(loader_load_path(&s->c, p), docs[i].articles);
		bool found = false;
		for (size_t k = first; k < s->c.articles.n; k++)
			found |= strcmp(s->c.articles.v[k]->id, docs[i].id) == 0;
		if (!found)
			fail_msg("%s: no article %s", name, docs[i].id);
		if (docs[i].diag)
			assert_one_diag(s, name, docs[i].diag);
		else
			assert_int_equal(diags_for(&s->c, p), 0);
		free(p);
	}
	make_file(s, "lines.json", "{\"title\":\"甲\",\"content\":\"文\"}\n{\"title\":\"乙\"}\n");
	char *p = path_in(s, "lines.json");
	assert_int_equal(loader_load_path(&s->c, p), 2);
	assert_int_equal(diags_for(&s->c, p), 0);
	free(p);

	/* in a walk */
	make_dir(s, "walk");
	make_file(s, "walk/news.json", "[\n{\"title\":\"甲\"}\n]\n");
	make_file(s, "walk/settings.json", "{\n  \"title\": \"not news\"\n}\n");
	p = path_in(s, "walk");
	assert_int_equal(loader_load_path(&s->c, p), 1);
	free(p);

	/* in another encoding */
	make_file(s, "gbk.json", "[{\"title\":\"\xd6\xd0\"}]\n");
	p = path_in(s, "gbk.json");
	struct load_opts gbk = {.format = FORMAT_AUTO, .encoding = "GB18030"};
	assert_int_equal(loader_load_path_opts(&s->c, p, &gbk), 0);
	assert_one_diag(s, "gbk.json", "iconv -f GB18030");
	free(p);
}

/* A walk does not read hidden folders (".git"), macOS's "._1.txt" beside each file copied
 * from it (binary, made an article of garbage before) and "__MACOSX"; a file whose own
 * name starts with a dot is an article like any other. */
static void test_walk_skips_hidden(void **state)
{
	struct scratch *s = *state;
	static const char art[] = "標題\n\n2020-01-01 來源\n\n正文\n";

	make_dir(s, "h");
	make_dir(s, "h/.git");
	make_dir(s, "h/__MACOSX");
	make_file(s, "h/1.txt", art);
	make_file(s, "h/._1.txt", "\x00\x05\x16\x07Mac OS X");
	make_file(s, "h/.git/2.txt", art);
	make_file(s, "h/__MACOSX/3.txt", art);
	make_file(s, "h/.4.txt", art);
	char *p = path_in(s, "h");
	assert_int_equal(loader_load_path(&s->c, p), 2);
	assert_string_equal(s->c.articles.v[0]->id, ".4");
	assert_string_equal(s->c.articles.v[1]->id, "1");
	assert_int_equal(s->c.diags.n, 0);
	free(p);
}

/* The message of c's diag about the file whose path ends in tail, or "(none)". */
static const char *diag_of(const struct collection *c, const char *tail)
{
	for (size_t i = 0; i < c->diags.n; i++) {
		const char *f = c->diags.v[i].file;
		size_t n = strlen(f), k = strlen(tail);
		if (n >= k && strcmp(f + n - k, tail) == 0)
			return c->diags.v[i].msg;
	}
	return "(none)";
}

/* A tree of one-article files, each loaded on its own on a thread of the walk and then
 * moved: the blocks its articles are cut from take about what they hold (a block of
 * 64 KB a file, mostly untouched pages, once took 4 GB for THUCNews' 836,075 files). */
static void test_tree_blocks_small(void **state)
{
	struct scratch *s = *state;
	enum { N = 300 };

	make_dir(s, "t");
	for (int i = 0; i < N; i++) {
		char name[32];
		snprintf(name, sizeof name, "t/%d.txt", i);
		make_file(s, name, GOOD_ARTICLE);
	}
	char *p = path_in(s, "t");
	assert_int_equal(loader_load_path(&s->c, p), N);
	free(p);
	assert_true(s->c.arena_used < (size_t)N * 4096);
}

/* A walk says which file it passes over for holding no format its name stands for (a
 * .dat or .xml that is not SogouCS, a .jsonl or .json that is not JSON), not a word of
 * the files whose names it never reads (an image) or of a .json of settings; a file so
 * named, named itself, is read as a native article and says so; one named that holds
 * no article and said nothing says that. */
static void test_unknown_files_said(void **state)
{
	struct scratch *s = *state;
	static const char art[] = "標題\n\n2020-01-01 來源\n\n正文\n";

	make_dir(s, "w");
	make_file(s, "w/1.txt", art);
	make_file(s, "w/a.dat", art);
	make_file(s, "w/b.xml", "<?xml version=\"1.0\"?>\n<rss><channel/></rss>\n");
	make_file(s, "w/c.jsonl", "not json\n");
	make_file(s, "w/d.dat", "");
	make_file(s, "w/settings.json", "{\n  \"a\": 1\n}\n");
	make_file_n(s, "w/e.png", "\x89PNG\r\n\x1a\n\0\0", 10);
	make_file(s, "w/notes", "text\n");
	char *p = path_in(s, "w");
	assert_int_equal(loader_load_path(&s->c, p), 1);
	assert_string_equal(diag_of(&s->c, "/w/a.dat"),
			    "no SogouCS record (<doc>) at its start: skipped");
	assert_string_equal(diag_of(&s->c, "/w/b.xml"),
			    "no SogouCS record (<doc>) at its start: skipped");
	assert_string_equal(diag_of(&s->c, "/w/c.jsonl"),
			    "not JSON (no { or [ at its start): skipped");
	assert_string_equal(diag_of(&s->c, "/w/d.dat"), "empty, or white space only: skipped");
	assert_int_equal(s->c.diags.n, 4); /* not settings.json, e.png, notes */
	free(p);

	collection_free(&s->c);
	collection_init(&s->c);
	p = path_in(s, "w/a.dat");
	assert_int_equal(loader_load_path(&s->c, p), 1);
	assert_string_equal(diag_of(&s->c, "/w/a.dat"),
			    "no SogouCS record (<doc>) at its start: read as a native article");
	free(p);
#ifdef HAVE_JANSSON /* without, a JSON file says that instead */
	make_file(s, "empty.json", "[]");
	p = path_in(s, "empty.json");
	assert_int_equal(loader_load_path(&s->c, p), 0);
	assert_string_equal(diag_of(&s->c, "/empty.json"), "no articles in it");
	free(p);
#endif
}

/* SogouCS records made well-formed XML (a declaration, a root element around them) are
 * read as SogouCS, named or met in a walk (before, skipped without a word in a walk,
 * and one article of the XML named). */
static void test_sogou_as_xml(void **state)
{
	struct scratch *s = *state;
	static const char xml[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<docs>\n"
		"<doc>\n<url>http://a.example/1</url>\n<docno>d1</docno>\n"
		"<contenttitle>北京新闻</contenttitle>\n<content>　　内容</content>\n"
		"</doc>\n</docs>\n";

	make_dir(s, "x");
	make_file(s, "x/news.dat", xml);
	make_file(s, "named.xml", xml);
	char *p = path_in(s, "x"), *q = path_in(s, "named.xml");
	assert_int_equal(loader_load_path(&s->c, p), 1);
	assert_int_equal(loader_load_path(&s->c, q), 1);
	assert_int_equal(s->c.diags.n, 0);
	assert_string_equal(s->c.articles.v[0]->id, "d1");
	free(p);
	free(q);
}

/* A compressed file (gzip here), named or met in a walk, is not read as an article of
 * its bytes: it is skipped with a message saying what compressed it and how to read it
 * (zcat FILE | xinwen -); --format does not make it readable either. */
static void test_compressed_named(void **state)
{
	struct scratch *s = *state;
	static const char gz[] = "\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03\xCB\x48\xCD"
				 "\xC9\xC9\x07\x00\x86\xA6\x10\x36\x05\x00\x00\x00";
	char *p;

	make_file_n(s, "news.jsonl.gz", gz, sizeof gz - 1);
	make_file_n(s, "a.txt", gz, sizeof gz - 1);
	p = path_in(s, "news.jsonl.gz");
	assert_int_equal(loader_load_path(&s->c, p), 0);
	assert_one_diag(s, "news.jsonl.gz", "compressed with gzip");
	assert_one_diag(s, "news.jsonl.gz", "zcat");
	free(p);
	assert_int_equal(loader_load_path(&s->c, s->root), 0); /* the walk: a.txt */
	assert_one_diag(s, "a.txt", "compressed with gzip");
	struct load_opts o = {.format = FORMAT_JSONL};
	p = path_in(s, "news.jsonl.gz");
	assert_int_equal(loader_load_path_opts(&s->c, p, &o), 0);
	assert_int_equal(diags_for(&s->c, p), 2);
	free(p);
}

/* THUCNews unpacked from an archive made on Chinese Windows keeps its category folders'
 * names in GBK: the source is the name read as GB18030 (体育), not U+FFFD for each byte;
 * a folder whose name is no GB18030 either keeps its repaired name, said once. */
static void test_gbk_folder(void **state)
{
	struct scratch *s = *state;

	make_dir(s, "\xCC\xE5\xD3\xFD"); /* 体育 in GBK */
	make_file(s, "\xCC\xE5\xD3\xFD/1.txt", "巴西隊晉級\n\u3000\u3000昨晚的比賽。\n");
	make_dir(s, "\xFF\xFE");
	make_file(s, "\xFF\xFE/2.txt", "手機發布\n\u3000\u3000某公司發布。\n");
	assert_int_equal(loader_load_path(&s->c, s->root), 2);
	collection_finish(&s->c);
	for (size_t i = 0; i < s->c.articles.n; i++) {
		const struct article *a = s->c.articles.v[i];
		if (strcmp(a->id, "1") == 0)
			assert_true(str_eq(a->source, "体育"));
		else
			assert_true(str_eq(a->source, "\xEF\xBF\xBD\xEF\xBF\xBD")); /* U+FFFD x2 */
	}
	assert_one_diag(s, "\xFF\xFE/2.txt", "invalid UTF-8 repaired");
}

static void test_fifo_never_blocks(void **state)
{
	struct scratch *s = *state;
	char *p = path_in(s, "pipe.txt");

	make_file(s, "good.txt", GOOD_ARTICLE);
	assert_int_equal(mkfifo(p, 0644), 0);
	alarm(10); /* a blocked open or read fails the test instead of hanging it */
	assert_int_equal(loader_load_path(&s->c, s->root), 1);
	assert_one_diag(s, "pipe.txt", "not a regular file (a FIFO)");
	/* given explicitly too */
	assert_int_equal(loader_load_path(&s->c, p), 0);
	assert_int_equal(diags_for(&s->c, p), 2);
	alarm(0);
	assert_string_equal(s->c.articles.v[0]->id, "good");
	free(p);
}

static void test_devices_never_read(void **state)
{
	struct scratch *s = *state;

	alarm(10);
	assert_int_equal(loader_load_path(&s->c, "/dev/zero"), 0);
	assert_int_equal(loader_load_path(&s->c, "/dev/null"), 0);
	alarm(0);
	assert_int_equal(s->c.diags.n, 2);
	assert_non_null(strstr(s->c.diags.v[0].msg, "not a regular file (a character device)"));
	assert_string_equal(s->c.diags.v[0].file, "/dev/zero");
}

static void test_symlink_loops(void **state)
{
	struct scratch *s = *state;

	make_dir(s, "sub");
	make_file(s, "sub/a.txt", "甲\n");
	make_link(s, "..", "sub/up");	      /* back to the root */
	make_link(s, ".", "sub/here");	      /* to itself */
	make_link(s, "self.txt", "self.txt"); /* a link to itself */
	assert_int_equal(loader_load_path(&s->c, s->root), 1);
	assert_int_equal(s->c.articles.n, 1);
	assert_one_diag(s, "sub/up", "symlink loop");
	assert_one_diag(s, "sub/here", "symlink loop");
	assert_one_diag(s, "self.txt", "symlink loop");
	assert_int_equal(s->c.diags.n, 3);
}

static void test_two_links_to_one_directory(void **state)
{
	struct scratch *s = *state;

	make_dir(s, "real");
	make_file(s, "real/r.txt", "實\n");
	make_link(s, "real", "link");
	assert_int_equal(loader_load_path(&s->c, s->root), 1);
	/* "link" sorts first, so "real" is the repeat */
	assert_string_equal(s->c.articles.v[0]->id, "r");
	assert_one_diag(s, "real", "already loaded");
	assert_int_equal(s->c.diags.n, 1);
}

static void test_dangling_symlink(void **state)
{
	struct scratch *s = *state;
	char *p = path_in(s, "gone.txt");

	make_file(s, "good.txt", GOOD_ARTICLE);
	make_link(s, "nowhere.txt", "gone.txt");
	make_link(s, "no-such-dir", "gone-dir");
	assert_int_equal(loader_load_path(&s->c, s->root), 1);
	assert_one_diag(s, "gone.txt", "dangling symlink");
	assert_one_diag(s, "gone-dir", "dangling symlink");
	assert_int_equal(loader_load_path(&s->c, p), 0);
	assert_int_equal(diags_for(&s->c, p), 2);
	free(p);
}

static void test_directory_named_txt(void **state)
{
	struct scratch *s = *state;

	make_dir(s, "dir.txt");
	make_file(s, "dir.txt/inner.txt", "裡面\n");
	make_file(s, "good.txt", GOOD_ARTICLE);
	assert_int_equal(loader_load_path(&s->c, s->root), 1);
	assert_one_diag(s, "dir.txt", "not a regular file (a directory)");
	assert_int_equal(s->c.diags.n, 1);
	assert_string_equal(s->c.articles.v[0]->id, "good");
}

static void test_unreadable(void **state)
{
	struct scratch *s = *state;
	char *p = path_in(s, "secret.txt");
	char *d = path_in(s, "locked");

	make_file(s, "good.txt", GOOD_ARTICLE);
	make_file(s, "secret.txt", GOOD_ARTICLE);
	make_dir(s, "locked");
	make_file(s, "locked/inside.txt", GOOD_ARTICLE);
	assert_int_equal(chmod(p, 0), 0);
	assert_int_equal(chmod(d, 0), 0);
	if (geteuid() != 0) {
		/* root reads anything: these assertions only mean something otherwise */
		assert_int_equal(loader_load_path(&s->c, s->root), 1);
		assert_one_diag(s, "secret.txt", strerror(EACCES));
		assert_one_diag(s, "locked", strerror(EACCES));
		assert_int_equal(s->c.diags.n, 2);
	} else {
		assert_int_equal(loader_load_path(&s->c, s->root), 3);
	}
	assert_non_null(article_with_id(&s->c, "good"));
	free(p);
	free(d);
}

static void test_too_large(void **state)
{
	struct scratch *s = *state;
	char *p = path_in(s, "big.txt");
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "大\n", strlen("大\n")), (ssize_t)strlen("大\n"));
	assert_int_equal(ftruncate(fd, (off_t)LOADER_MAX_FILE + 1), 0); /* sparse */
	assert_int_equal(close(fd), 0);
	make_file(s, "good.txt", GOOD_ARTICLE);
	assert_int_equal(loader_load_path(&s->c, s->root), 1);
	assert_one_diag(s, "big.txt", "too large");
	assert_int_equal(loader_load_path(&s->c, p), 0);
	assert_int_equal(diags_for(&s->c, p), 2);
	free(p);
}

static void test_depth_limit(void **state)
{
	struct scratch *s = *state;
	char rel[1024] = "";
	char *p;
	size_t depth;

	for (depth = 1; depth <= 70; depth++) {
		strcat(rel, depth > 1 ? "/d" : "d");
		make_dir(s, rel);
		if (depth == 10 || depth == 64 || depth == 70) {
			char file[1100];

			snprintf(file, sizeof file, "%s/at%zu.txt", rel, depth);
			make_file(s, file, "深\n");
		}
	}
	assert_int_equal(loader_load_path(&s->c, s->root), 2);
	assert_non_null(article_with_id(&s->c, "at10"));
	assert_non_null(article_with_id(&s->c, "at64"));
	assert_null(article_with_id(&s->c, "at70"));
	assert_int_equal(s->c.diags.n, 1);
	assert_non_null(strstr(s->c.diags.v[0].msg, "nested too deeply"));
	/* the directory refused is at depth 65 */
	p = s->c.diags.v[0].file;
	assert_int_equal(strlen(p), strlen(s->root) + 65 * 2);
}

static void test_duplicate_names_in_subdirectories(void **state)
{
	struct scratch *s = *state;

	make_dir(s, "x");
	make_dir(s, "y");
	make_file(s, "a.txt", "頂層\n");
	make_file(s, "x/a.txt", "叉\n");
	make_file(s, "y/a.txt", "歪\n");
	assert_int_equal(loader_load_path(&s->c, s->root), 3);
	collection_finish(&s->c);
	assert_int_equal(s->c.diags.n, 0);
	assert_non_null(article_with_id(&s->c, "a"));
	assert_non_null(article_with_id(&s->c, "x/a"));
	assert_non_null(article_with_id(&s->c, "y/a"));
	{
		char *want = path_in(s, "a.txt");
		assert_string_equal(article_with_id(&s->c, "a")->path, want);
		free(want);
	}
	/* the same directory loaded twice: relative ids collide too, so ~2 */
	collection_free(&s->c);
	collection_init(&s->c);
	assert_int_equal(loader_load_path(&s->c, s->root), 3);
	assert_int_equal(loader_load_path(&s->c, s->root), 3);
	collection_finish(&s->c);
	assert_non_null(article_with_id(&s->c, "x/a~2"));
	assert_non_null(article_with_id(&s->c, "a~2"));
	assert_int_equal(s->c.diags.n, 3);
}

static void test_top_level_name_wins_over_earlier_subdirectory(void **state)
{
	struct scratch *s = *state;

	/* "a" sorts before "b.txt": a/b.txt is loaded first, yet b.txt keeps "b" */
	make_dir(s, "a");
	make_file(s, "a/b.txt", "子目錄\n");
	make_file(s, "b.txt", "頂層\n");
	assert_int_equal(loader_load_path(&s->c, s->root), 2);
	collection_finish(&s->c);
	assert_int_equal(s->c.diags.n, 0);
	{
		char *want = path_in(s, "b.txt");
		assert_non_null(article_with_id(&s->c, "b"));
		assert_string_equal(article_with_id(&s->c, "b")->path, want);
		free(want);
	}
	assert_non_null(article_with_id(&s->c, "a/b"));
}

static void test_good_kept_each_bad_reported_once(void **state)
{
	static const char *const bad[] = {"big.txt",  "dangling.txt", "dir.txt",  "empty.txt",
					  "pipe.txt", "self.txt",     "space.txt"};
	struct scratch *s = *state;
	char *p;
	size_t i;
	int fd;

	make_file(s, "good.txt", GOOD_ARTICLE);
	make_file(s, "mixed.txt", "半好\n\n2020-01-01 源\n\n壞\xC3\x28字\n"); /* loads, one diag */
	make_file(s, "empty.txt", "");
	make_file(s, "space.txt", " \n\t\r\n\xE3\x80\x80\n");
	make_dir(s, "dir.txt");
	make_link(s, "missing", "dangling.txt");
	make_link(s, "self.txt", "self.txt");
	p = path_in(s, "pipe.txt");
	assert_int_equal(mkfifo(p, 0644), 0);
	free(p);
	p = path_in(s, "big.txt");
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)LOADER_MAX_FILE * 2), 0);
	close(fd);
	free(p);
	alarm(10);
	assert_int_equal(loader_load_path(&s->c, s->root), 2);
	alarm(0);
	assert_non_null(article_with_id(&s->c, "good"));
	assert_non_null(article_with_id(&s->c, "mixed"));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_one_diag(s, bad[i], "");
	assert_one_diag(s, "empty.txt", "no title");
	assert_one_diag(s, "space.txt", "no title");
	assert_one_diag(s, "mixed.txt", "invalid UTF-8 repaired at byte offset 27");
	p = path_in(s, "mixed.txt");
	for (i = 0; i < s->c.diags.n; i++)
		if (strcmp(s->c.diags.v[i].file, p) == 0)
			assert_int_equal(s->c.diags.v[i].line, 5);
	free(p);
	assert_int_equal(s->c.diags.n, sizeof bad / sizeof bad[0] + 1);
}

/* A directory of many files loads on several threads, yet the articles and the
 * problems come in the walk's order (a directory's files by name, then its
 * subdirectories), as if the files were loaded one by one: walk problems (a dangling
 * link, a loop) in their place among the files' (empty files), and a duplicate name in
 * a subdirectory takes its relative id. */
static void test_many_files_in_walk_order(void **state)
{
	struct scratch *s = *state;
	char rel[64];

	make_dir(s, "sub");
	for (int i = 0; i < 300; i++) {
		snprintf(rel, sizeof rel, "%03d.txt", i);
		make_file(s, rel, i % 7 == 3 ? "" : GOOD_ARTICLE);
	}
	make_link(s, "nowhere.txt", "150a.txt");
	make_link(s, ".", "sub/loop");
	make_file(s, "sub/005.txt", GOOD_ARTICLE);
	make_file(s, "sub/empty.txt", "");
	size_t empty = 0;
	for (int i = 0; i < 300; i++)
		empty += i % 7 == 3;

	assert_int_equal(loader_load_path(&s->c, s->root), 300 - empty + 1);
	/* Before collection_finish, the articles are in the walk's order. */
	for (size_t k = 0, i = 0; i < 300; i++) {
		if (i % 7 == 3)
			continue;
		snprintf(rel, sizeof rel, "%03zu", i);
		assert_string_equal(s->c.articles.v[k++]->id, rel);
	}
	assert_string_equal(s->c.articles.v[300 - empty]->id, "005");
	/* The problems, in order: the empty files up to 150, the dangling link, the rest,
	 * then the subdirectory's empty file and its loop. */
	assert_int_equal(s->c.diags.n, empty + 3);
	size_t d = 0;
	for (int i = 0; i < 300; i++) {
		if (i == 151) {
			char *want = path_in(s, "150a.txt");
			assert_string_equal(s->c.diags.v[d].file, want);
			assert_non_null(strstr(s->c.diags.v[d++].msg, "dangling symlink"));
			free(want);
		}
		if (i % 7 != 3)
			continue;
		snprintf(rel, sizeof rel, "%03d.txt", i);
		char *want = path_in(s, rel);
		assert_string_equal(s->c.diags.v[d++].file, want);
		free(want);
	}
	assert_non_null(strstr(s->c.diags.v[d++].file, "sub/empty.txt"));
	assert_non_null(strstr(s->c.diags.v[d].msg, "symlink loop"));
	collection_finish(&s->c);
	assert_non_null(article_with_id(&s->c, "sub/005"));
}

/* A zip archive met in a directory is not opened (it is read when named itself), and
 * the walk says so, naming it: never a silent skip. A directory named *.zip is walked. */
static void test_zip_in_directory_said(void **state)
{
	struct scratch *s = *state;

	make_file(s, "a.txt", GOOD_ARTICLE);
	make_file(s, "THUCNews.ZIP", "PK\003\004 not read");
	make_dir(s, "d.zip");
	make_file(s, "d.zip/b.txt", GOOD_ARTICLE);
	assert_int_equal(loader_load_path(&s->c, s->root), 2);
	assert_int_equal(s->c.diags.n, 1);
	char *want = path_in(s, "THUCNews.ZIP");
	assert_string_equal(s->c.diags.v[0].file, want);
	assert_non_null(strstr(s->c.diags.v[0].msg, "zip archive"));
	assert_non_null(strstr(s->c.diags.v[0].msg, want));
	free(want);
}

/* A walk lists and loads its files a batch at a time (not every file's job at once):
 * across the batches' bounds nothing is lost, doubled or reordered, the problems stay
 * in their place, and a cut at max_files takes the first files of the walk. */
static void test_walk_in_batches(void **state)
{
	struct scratch *s = *state;
	enum { FILES = 2600 };
	char rel[64];

	make_dir(s, "sub");
	for (int i = 0; i < FILES; i++) {
		snprintf(rel, sizeof rel, "%04d.txt", i);
		make_file(s, rel, i % 500 == 0 ? "" : GOOD_ARTICLE);
	}
	make_file(s, "sub/x.txt", GOOD_ARTICLE);
	size_t empty = (FILES + 499) / 500;

	assert_int_equal(loader_load_path(&s->c, s->root), FILES - empty + 1);
	assert_int_equal(s->c.files.n, FILES + 1);
	for (size_t k = 0, i = 0; i < FILES; i++) {
		if (i % 500 == 0)
			continue;
		snprintf(rel, sizeof rel, "%04zu", i);
		assert_string_equal(s->c.articles.v[k++]->id, rel);
	}
	assert_string_equal(s->c.articles.v[FILES - empty]->id, "x");
	assert_int_equal(s->c.diags.n, empty);
	for (size_t d = 0; d < empty; d++) {
		snprintf(rel, sizeof rel, "%04zu.txt", d * 500);
		char *want = path_in(s, rel);
		assert_string_equal(s->c.diags.v[d].file, want);
		free(want);
	}

	struct collection cut;
	collection_init(&cut);
	loader_load_path_opts(&cut, s->root,
			      &(struct load_opts){.format = FORMAT_AUTO, .max_files = 1500});
	assert_int_equal(cut.files.n, 1500);
	snprintf(rel, sizeof rel, "%04d", 1499);
	assert_string_equal(cut.articles.v[cut.articles.n - 1]->id, rel);
	collection_free(&cut);

	/* cancelled (the reader quitting): no file is read, and the walk stops listing
	 * after its first batch, so that quitting never waits for a whole tree's listing */
	atomic_bool cancel;
	atomic_init(&cancel, true);
	struct load_opts stop = {.format = FORMAT_AUTO, .cancel = &cancel};
	collection_init(&cut);
	assert_int_equal(loader_load_path_opts(&cut, s->root, &stop), 0);
	assert_int_equal(cut.files.n, 0);
	collection_free(&cut);
	collection_init(&cut);
	loader_list_files(&cut, s->root, &stop);
	assert_true(cut.files.n > 0 && cut.files.n < FILES / 2);
	collection_free(&cut);
}

/* Loading without a catalog to reuse takes no stat of the regular files a walk finds
 * (their own is taken once open), yet it records the files, with their stat, and the
 * problems that listing them (loader_list_files, which stats each) finds: a link to a
 * file, a dangling one, a directory named like a file, a subdirectory. */
static void test_walk_without_stat_lists_the_same(void **state)
{
	struct scratch *s = *state;
	struct collection listed;

	make_dir(s, "sub");
	make_dir(s, "dir.txt");
	make_file(s, "a.txt", GOOD_ARTICLE);
	make_file(s, "sub/b.txt", GOOD_ARTICLE);
	make_file(s, "c.txt", "");
	make_link(s, "a.txt", "link.txt");
	make_link(s, "nowhere.txt", "gone.txt");
	assert_int_equal(loader_load_path(&s->c, s->root), 3);
	collection_init(&listed);
	loader_list_files(&listed, s->root, &(struct load_opts){.format = FORMAT_AUTO});
	assert_int_equal(s->c.files.n, 4);
	assert_true(catalog_same_files(&s->c, &listed));
	for (size_t i = 0; i < listed.files.n; i++) {
		assert_string_equal(s->c.files.v[i].path, listed.files.v[i].path);
		assert_int_equal(s->c.files.v[i].ino, listed.files.v[i].ino);
		assert_int_equal(s->c.files.v[i].size, listed.files.v[i].size);
	}
	/* the walk's own problems, the same either way */
	size_t walk_diags = 0;
	for (size_t i = 0; i < s->c.diags.n; i++)
		if (!strstr(s->c.diags.v[i].msg, "empty file")) {
			assert_true(walk_diags < listed.diags.n);
			assert_string_equal(s->c.diags.v[i].msg, listed.diags.v[walk_diags++].msg);
		}
	assert_int_equal(walk_diags, listed.diags.n);
	assert_int_equal(walk_diags, 2); /* the dangling link, the directory dir.txt */
	collection_free(&listed);
}

/* Lean loading keeps every field but the body, which article_body_read reads from the file:
 * the same bytes, the same identity; a file gone since says so in place of the body. */
static void test_lean_bodies_read_on_demand(void **state)
{
	struct scratch *s = *state;
	static const struct load_opts lean = {.format = FORMAT_AUTO, .lean = true};
	struct collection full;
	size_t n;
	char *seed = test_read_seed(&n), *tmp;

	make_file(s, "seed.txt", seed);
	make_file(s, "bad.txt", "Ti\xc3tle\n\n2020-01-01 x\n\nbody \xc3(\n");
	collection_init(&full);
	assert_int_equal(loader_load_path(&full, s->root), 2);
	assert_int_equal(loader_load_path_opts(&s->c, s->root, &lean), 2);
	collection_finish(&full);
	collection_finish(&s->c);
	assert_int_equal(s->c.articles.n, full.articles.n);
	assert_int_equal(s->c.diags.n, full.diags.n);
	for (size_t i = 0; i < full.articles.n; i++) {
		const struct article *f = full.articles.v[i], *l = s->c.articles.v[i];
		struct content_id fid, lid;

		assert_string_equal(f->id, l->id);
		assert_int_equal(f->title.n, l->title.n);
		assert_memory_equal(f->title.p, l->title.p, f->title.n);
		assert_int_equal(f->related.n, l->related.n);
		for (size_t k = 0; k < f->related.n; k++)
			assert_string_equal(full.articles.v[f->related.v[k].target]->id,
					    s->c.articles.v[l->related.v[k].target]->id);
		article_identity(f, &fid);
		article_identity(l, &lid);
		assert_memory_equal(&fid, &lid, sizeof fid);
		if (l->kind == ARTICLE_EXCERPT)
			continue;
		assert_true(l->body_on_disk);
		assert_null(l->body.p);
		struct str peek = article_body_peek(l, &tmp);
		assert_non_null(tmp);
		assert_int_equal(peek.n, f->body.n);
		assert_memory_equal(peek.p, f->body.p, f->body.n);
		free(tmp);
		struct str body = article_body_read(&s->c, i, &tmp);
		assert_non_null(tmp);
		assert_int_equal(body.n, f->body.n);
		assert_memory_equal(body.p, f->body.p, f->body.n);
		free(tmp);
		assert_null(l->body.p); /* the article's fields stay as loaded: nothing kept */
	}
	collection_free(&full);

	/* The file goes away: the body says so, naming the file. */
	char *gone = path_in(s, "bad.txt");
	const struct article *a = NULL;
	for (size_t i = 0; i < s->c.articles.n; i++)
		if (s->c.articles.v[i]->path && strcmp(s->c.articles.v[i]->path, gone) == 0)
			a = s->c.articles.v[i];
	assert_non_null(a);
	assert_int_equal(unlink(gone), 0);
	struct str msg = article_body_peek(a, &tmp);
	assert_non_null(strstr(msg.p, "cannot be read"));
	assert_non_null(strstr(msg.p, gone));
	free(tmp);
	free(gone);
	free(seed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_tree),
		cmocka_unit_test_setup_teardown(test_lean_bodies_read_on_demand, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recursion_and_ignored_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_explicit_file_any_extension, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_document_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_skips_hidden, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sogou_as_xml, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_files_said, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree_blocks_small, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compressed_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gbk_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_never_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_devices_never_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_loops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_links_to_one_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dangling_symlink, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory_named_txt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_large, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depth_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_names_in_subdirectories, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_top_level_name_wins_over_earlier_subdirectory,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_files_in_walk_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_in_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zip_in_directory_said, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_without_stat_lists_the_same, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_good_kept_each_bad_reported_once, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
