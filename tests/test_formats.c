/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_formats.c: the corpus formats: THUCNews trees, news2016zh JSON Lines, SogouCS
 * <doc> records in GB18030 and Big5; detection; decoding with bad bytes and mixed
 * encodings; the hostile cases of each parser. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "text.h"
#include "collection.h"
#include "decode.h"
#include "format.h"
#include "jsonskim.h"
#include "linereader.h"
#include "body.h"
#include "fileio.h"
#include "testutil.h"
#include "loader.h"
#include "marks.h"

#define FIXTURES TEST_DATADIR "/formats"

static void assert_str(struct str s, const char *want)
{
	if (s.n != strlen(want) || memcmp(s.p, want, s.n) != 0)
		fail_msg("got '%.*s', want '%s'", (int)s.n, s.p, want);
}

/* The article with id, which must be there. */
static struct article *get(const struct collection *c, const char *id)
{
	struct article *a = collection_find(c, id);

	if (!a)
		fail_msg("no article %s", id);
	return a;
}

/* Whether some diag is at line and its message contains part. */
static bool has_diag(const struct collection *c, size_t line, const char *part)
{
	for (size_t i = 0; i < c->diags.n; i++)
		if (c->diags.v[i].line == line && strstr(c->diags.v[i].msg, part))
			return true;
	return false;
}

static void load(struct collection *c, const char *path, enum format f, const char *enc)
{
	struct load_opts o = {.format = f, .encoding = enc};

	collection_init(c);
	loader_load_path_opts(c, path, &o);
	collection_finish(c);
}

/* Load bytes from memory in format f. */
static void load_mem(struct collection *c, enum format f, const char *bytes, size_t n,
		     const char *enc)
{
	collection_init(c);
	format_load_buffer(c, f, "mem/cat/7.txt", "7", NULL, bytes, n, enc);
	collection_finish(c);
}

/* ---------------------------------------------------------------------------
 * THUCNews
 */

static void test_thucnews_tree(void **state)
{
	struct collection c;
	struct article *a;

	(void)state;
	load(&c, FIXTURES "/thucnews", FORMAT_AUTO, NULL);
	assert_int_equal(c.articles.n, 3);
	assert_int_equal(c.diags.n, 0);
	a = get(&c, "101");
	assert_str(a->title, "马晓旭意外受伤让国奥警惕 无奈大雨格外青睐殷家军");
	assert_str(a->source, "体育");
	assert_str(a->date, "");
	assert_str(a->body, "记者傅亚雨沈阳报道 来到沈阳，国奥队依然没有摆脱雨水的困扰。\n\n"
			    "随后的训练，国奥队主要进行了战术演练。");
	assert_string_equal(a->path, FIXTURES "/thucnews/体育/101.txt");
	assert_str(get(&c, "102")->source, "体育");
	a = get(&c, "201"); /* a blank first line: the title is the first non-blank one */
	assert_str(a->title, "央行：下调存款准备金率0.5个百分点");
	assert_str(a->source, "财经");
	assert_str(a->body, "中国人民银行决定下调存款类金融机构人民币存款准备金率。\n\n"
			    "此次下调后，释放长期资金约5000亿元。");
	collection_free(&c);

	/* given one category directly, its files are still THUCNews (found in a walk) */
	load(&c, FIXTURES "/thucnews/财经", FORMAT_AUTO, NULL);
	assert_int_equal(c.articles.n, 1);
	assert_str(get(&c, "201")->source, "财经");
	collection_free(&c);

	/* one file given by name: read as the walk reads it (its folder the source, the
	 * same identity, so the same marks) */
	struct content_id walked, alone;
	load(&c, FIXTURES "/thucnews", FORMAT_AUTO, NULL);
	article_identity(get(&c, "102"), &walked);
	collection_free(&c);
	load(&c, FIXTURES "/thucnews/体育/102.txt", FORMAT_AUTO, NULL);
	assert_str(get(&c, "102")->source, "体育");
	assert_int_equal(c.diags.n, 0);
	article_identity(get(&c, "102"), &alone);
	assert_memory_equal(&walked, &alone, sizeof walked);
	collection_free(&c);
	/* ...named in its folder ("xinwen 102.txt" run inside it): the folder's name */
	char here[PATH_MAX];
	assert_non_null(getcwd(here, sizeof here));
	assert_int_equal(chdir(FIXTURES "/thucnews/体育"), 0);
	load(&c, "102.txt", FORMAT_AUTO, NULL);
	assert_int_equal(chdir(here), 0);
	assert_str(get(&c, "102")->source, "体育");
	collection_free(&c);
	load(&c, FIXTURES "/thucnews/体育/102.txt", FORMAT_THUCNEWS, NULL);
	assert_str(get(&c, "102")->source, "体育");
	collection_free(&c);

	/* a byte-order mark, a blank first line, CR LF line ends */
	load_mem(&c, FORMAT_THUCNEWS, "\xEF\xBB\xBF\r\n标题\r\n　　正文。\r\n", 30, NULL);
	assert_str(get(&c, "7")->title, "标题");
	assert_str(get(&c, "7")->body, "正文。");
	assert_str(get(&c, "7")->source, "cat");
	collection_free(&c);
}

/* Write the n bytes at p, then pad copies of padding (when not NULL) past 1 MiB, to
 * dir/name. */
static void write_article(const char *dir, const char *name, const char *p, const char *padding)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "wb"));
	fputs(p, f);
	for (long k = 0; padding && ftell(f) < (3L << 19); k++)
		fputs(padding, f);
	assert_int_equal(fclose(f), 0);
}

/* A THUCNews file reads the same whichever way the loader reads it: small, in one read
 * into the buffer kept from file to file; big, through fileio; its text valid UTF-8
 * with LF line ends (read where it is) or with CR line ends or invalid bytes (from a
 * repaired copy): the same article and messages as its bytes given from memory. */
static void test_thucnews_read_paths(void **state)
{
	static const struct {
		const char *text, *body;
	} t[] = {
		{"标题\n　　正文一。 \n\n　　正文二。\n", "正文一。\n\n正文二。"},
		{"标题\r\n　　正文一。\r　　正文二。\r\n", "正文一。\n\n正文二。"},
		{"标题\n　　正\xFF文。\n", "正\xEF\xBF\xBD文。"},
		{"\xEF\xBB\xBF标题\n\n　　正文。", "正文。"},
	};
	size_t nt = sizeof t / sizeof t[0];
	char root[512], dir[600];
	(void)state;

	assert_true(test_scratch_dir(root, sizeof root, "thuc"));
	snprintf(dir, sizeof dir, "%s/体育", root);
	assert_int_equal(mkdir(dir, 0700), 0);
	for (size_t i = 0; i < nt; i++) {
		char name[32];
		snprintf(name, sizeof name, "%zu.txt", 2 * i + 1);
		write_article(dir, name, t[i].text, NULL);
		snprintf(name, sizeof name, "%zu.txt", 2 * i + 2);
		write_article(dir, name, t[i].text, "　　填充的段落。\n");
	}
	for (int lean = 0; lean < 2; lean++) {
		struct load_opts o = {.format = FORMAT_AUTO, .lean = lean};
		struct collection c, mem;

		collection_init(&c);
		loader_load_path_opts(&c, root, &o);
		collection_finish(&c);
		assert_int_equal(c.files.n, 2 * nt);
		collection_init(&mem);
		for (size_t i = 0; i < c.files.n; i++) {
			const struct loaded_file *lf = &c.files.v[i];
			struct strbuf why = {0};
			const char *base = strrchr(lf->path, '/') + 1;
			char *bytes, *id = xstrndup(base, strlen(base) - 4);
			size_t n;

			assert_int_equal(
				fileio_read_file(lf->path, FILEIO_MAX_FILE, &bytes, &n, &why), 0);
			collection_begin_file(&mem, lf->path, NULL);
			format_load_buffer(&mem, (enum format)lf->format, lf->path, id, NULL, bytes,
					   n, NULL);
			collection_end_file(&mem);
			free(bytes);
			free(id);
			sb_free(&why);
		}
		collection_finish(&mem);
		assert_int_equal(c.articles.n, mem.articles.n);
		for (size_t i = 0; i < c.articles.n; i++)
			test_assert_same_fields(c.articles.v[i], mem.articles.v[i]);
		test_assert_same_diags(&c, &mem);
		for (size_t i = 0; i < nt; i++) {
			char id[32];
			snprintf(id, sizeof id, "%zu", 2 * i + 1);
			struct article *a = get(&c, id);
			char *kept;
			struct str body = article_body_peek(a, &kept);
			assert_str(a->title, "标题");
			assert_str(a->source, "体育");
			assert_str(body, t[i].body);
			free(kept);
		}
		assert_true(has_diag(&c, 0, "invalid UTF-8 repaired (1 invalid sequence)"));
		collection_free(&mem);
		collection_free(&c);
	}
	test_scratch_remove(root);
}

/* ---------------------------------------------------------------------------
 * JSON Lines
 */

static void test_jsonl_fixture(void **state)
{
	NEEDS_JANSSON();
	struct collection c;
	struct article *a;

	(void)state;
	load(&c, FIXTURES "/jsonl/news2016zh.jsonl", FORMAT_AUTO, NULL);
	assert_int_equal(c.articles.n, 3);
	a = get(&c, "610130831");
	assert_str(a->title, "云南今年将整治导游“拿回扣”");
	assert_str(a->date, ""); /* "03-22 12:00" has no year: kept as the time */
	assert_str(a->time, "03-22 12:00");
	assert_str(a->source, "新华网"); /* the outlet alone, to group by */
	assert_str(a->body, "昆明3月22日电 云南省今年将整治旅游市场。\n\n"
			    "记者从云南省旅游发展委员会获悉。");
	/* its identity is the one it had with the time in its source (marks kept) */
	struct article was = *a;
	struct content_id now, then;
	was.source = (struct str){"新华网 (03-22 12:00)", strlen("新华网 (03-22 12:00)")};
	was.time = (struct str){"", 0};
	was.has_ident = false;
	article_identity(a, &now);
	article_identity(&was, &then);
	assert_true(now.hi == then.hi && now.lo == then.lo);
	was = *a;
	was.time = (struct str){"03-22 12:01", 11};
	was.has_ident = false;
	article_identity(&was, &then);
	assert_false(now.hi == then.hi && now.lo == then.lo);
	a = get(&c, "6101___30832"); /* "6101 / 30832", sanitized */
	assert_str(a->date, "2016-03-21");
	assert_str(a->time, ""); /* a date: no time kept beside it */
	assert_str(a->source, "中国证券网");
	assert_str(a->body, "沪深两市今日高开高走。\n\n成交量明显放大。");
	a = get(&c, "news2016zh-5"); /* no news_id: file name and line */
	assert_str(a->title, "无编号的新闻\x1b[2J");
	assert_int_equal(a->body.n, strlen("只有摘要") + 1 + strlen("之后")); /* the desc */
	assert_memory_equal(a->body.p, "只有摘要\0之后", a->body.n);
	/* the bad lines: reported with their line, the others load */
	assert_int_equal(c.diags.n, 3);
	assert_true(has_diag(&c, 3, "bad JSON at column"));
	assert_true(has_diag(&c, 6, "not a JSON object: skipped"));
	assert_true(has_diag(&c, 7, "no title: skipped"));
	assert_string_equal(c.diags.v[0].file, FIXTURES "/jsonl/news2016zh.jsonl");
	collection_free(&c);
}

/* JSON Lines of other collections than news2016zh: the title, body, source, time, id
 * and address under the names they give them (headline, text, body, article; media,
 * category; date, publish_time, pub_time, datetime; id; link), news2016zh's names
 * first when a record has both; an integer id taken as its digits, skimmed or parsed by
 * jansson; a body read back from the record's bytes as loading read it. */
static void test_jsonl_other_names(void **state)
{
	NEEDS_JANSSON();
	static const char text[] =
		"{\"id\":\"k1\",\"headline\":\"頭條\",\"text\":\"一段。\\n二段。\","
		"\"media\":\"甲報\",\"date\":\"2020-01-02 "
		"08:00\",\"link\":\"https://a.example/1\"}\n"
		"{\"id\":7,\"title\":\"標題\",\"headline\":\"不取\",\"content\":\"正文\","
		"\"body\":\"不取\",\"category\":\"體育\",\"time\":\"03-22 12:00\"}\n"
		"{\"news_id\":\"n3\",\"id\":\"not\",\"title\":\"三\",\"article\":\"文章\","
		"\"time\":\"12:00\",\"publish_time\":\"2019-05-06T10:00\"}\n"
		"{\"news_id\":610130831,\"title\":\"數\"}\n"
		"{\"id\":-42,\"title\":\"負\",\"big\":1.7e308}\n"; /* (jansson reads it) */
	struct collection c;
	struct article *a;

	(void)state;
	load_mem(&c, FORMAT_JSONL, text, strlen(text), NULL);
	assert_int_equal(c.articles.n, 5);
	assert_int_equal(c.diags.n, 0);
	assert_str(get(&c, "610130831")->title, "數"); /* an integer id: its digits */
	assert_str(get(&c, "-42")->title, "負");
	a = get(&c, "k1");
	assert_str(a->title, "頭條");
	assert_str(a->body, "一段。\n\n二段。");
	assert_str(a->source, "甲報");
	assert_str(a->date, "2020-01-02");
	assert_str(a->url, "https://a.example/1");
	a = get(&c, "7"); /* an integer id, as written */
	assert_str(a->title, "標題");
	assert_str(a->body, "正文");
	assert_str(a->source, "體育");
	assert_str(a->time, "03-22 12:00");
	assert_str(a->date, "");
	a = get(&c, "n3");
	assert_str(a->body, "文章");
	assert_str(a->date, "2019-05-06"); /* the first time member with a date */
	assert_str(a->time, "");
	/* read back from its record's bytes as the reader reads a lean article */
	const char *line = strstr(text, "{\"id\":\"k1\"");
	char *body;
	size_t n;
	assert_true(fmt_jsonl_body(line, (size_t)(strchr(line, '\n') - line), &body, &n));
	assert_int_equal(n, strlen("一段。\n\n二段。"));
	assert_memory_equal(body, "一段。\n\n二段。", n);
	free(body);
	collection_free(&c);
}

/* An integer beyond a long long (a numeric id of 20 digits, a count) does not lose the
 * record (jansson's "too big integer" skipped it): the id is said and one made of its
 * line, and the body is read back from the record's bytes. */
static void test_jsonl_too_big_integer(void **state)
{
	NEEDS_JANSSON();
	static const char text[] =
		"{\"news_id\":123456789012345678901234,\"title\":\"大\",\"content\":\"正文\"}\n"
		"{\"news_id\":\"k2\",\"views\":99999999999999999999,\"title\":\"二\","
		"\"content\":[\"一段\",\"二段\"]}\n";
	struct collection c;
	char *body;
	size_t n;

	(void)state;
	load_mem(&c, FORMAT_JSONL, text, strlen(text), NULL);
	assert_int_equal(c.articles.n, 2);
	assert_int_equal(c.diags.n, 1);
	assert_true(has_diag(&c, 1, "\"news_id\" is not a string: ignored"));
	assert_str(get(&c, "7-1")->title, "大");
	assert_str(get(&c, "k2")->body, "一段\n\n二段");
	assert_true(fmt_jsonl_body(text, (size_t)(strchr(text, '\n') - text), &body, &n));
	assert_int_equal(n, strlen("正文"));
	assert_memory_equal(body, "正文", n);
	free(body);
	collection_free(&c);
}

static void test_jsonl_fields_and_ids(void **state)
{
	NEEDS_JANSSON();
	static const char text[] =
		"{\"news_id\":\"a\",\"title\":\"one\",\"time\":\"2016-01-02\"}\r\n"
		"{\"news_id\":\"a\",\"title\":\"two\\nlines\",\"source\":5,\"time\":\"x\"}\n"
		"  \n"
		"{\"title\":\"\\u00e9t\\u00e9 "
		"\\ud83d\\ude00\",\"content\":\"\\u001b]0;x\\u0007p\"}\n";
	struct collection c;
	struct article *a;
	FILE *out;
	char *buf = NULL;
	size_t n = 0;

	(void)state;
	load_mem(&c, FORMAT_JSONL, text, strlen(text), NULL);
	assert_int_equal(c.articles.n, 3);
	assert_str(get(&c, "a")->title, "one");
	assert_str(get(&c, "a")->date, "2016-01-02");
	a = get(&c, "a~2"); /* a repeated news_id is made unique, and reported */
	assert_str(a->title, "two lines");
	assert_str(a->source, ""); /* 5: not a string */
	assert_str(a->time, "x");  /* no date: kept as the time */
	assert_true(has_diag(&c, 2, "\"source\" is not a string: ignored"));
	assert_true(has_diag(&c, 2, "duplicate id a: using a~2")); /* at its line */
	a = get(&c, "7-4");
	assert_str(a->title, "été 😀");
	/* escapes decoded into the model are sanitized on output */
	out = open_memstream(&buf, &n);
	cli_list_line(a, out);
	text_put_safe(out, a->body.p, a->body.n);
	fclose(out);
	assert_null(memchr(buf, 0x1b, n));
	assert_null(memchr(buf, 0x07, n));
	assert_non_null(strstr(buf, "^[]0;x^Gp"));
	free(buf);
	collection_free(&c);
}

/* A body read in place (valid, no CR, no byte-order mark) and one copied to be
 * normalized or repaired give the same paragraphs: CR LF and lone CR are line ends, a
 * leading U+FEFF is dropped, invalid bytes become U+FFFD, lines trimmed, blanks gone. */
static void test_jsonl_body_lines(void **state)
{
	NEEDS_JANSSON();
	static const char text[] =
		"{\"news_id\":\"a\",\"title\":\"t\",\"content\":\" x \\n\\ny\\nz\"}\n"
		"{\"news_id\":\"b\",\"title\":\"t\",\"content\":\" x \\r\\n\\ry\\rz\"}\n"
		"{\"news_id\":\"c\",\"title\":\"t\",\"content\":\"\\ufeffx\\n\\ny\\nz\"}\n"
		"{\"news_id\":\"d\",\"title\":\"t\",\"content\":\"x\\n\xff\\nz\"}\n";
	struct collection c;

	(void)state;
	load_mem(&c, FORMAT_JSONL, text, strlen(text), NULL);
	assert_int_equal(c.articles.n, 4);
	assert_str(get(&c, "a")->body, "x\n\ny\n\nz");
	assert_str(get(&c, "b")->body, "x\n\ny\n\nz");
	assert_str(get(&c, "c")->body, "x\n\ny\n\nz");
	assert_str(get(&c, "d")->body, "x\n\n\xEF\xBF\xBD\n\nz");
	assert_true(has_diag(&c, 4, "invalid UTF-8 repaired (1 invalid sequence)"));
	collection_free(&c);
}

/* 100,000 records sharing one news_id get ~2, ~3, ... in file order (a record cannot
 * have an id with '~' of its own: test_collection's test_duplicate_ids steps over one);
 * every one has an id of its own. Loaded lean too: the ids replaced are then ones kept
 * beside the headers, not allocations of their own (article_set_id). */
static void test_jsonl_duplicate_ids_at_scale(void **state)
{
	NEEDS_JANSSON();
	enum { N = 100000 };
	struct strbuf b = {0};
	char id[32];

	(void)state;
	for (size_t i = 0; i < N; i++)
		sb_printf(&b, "{\"news_id\":\"d\",\"title\":\"t%zu\",\"time\":\"2016-01-01\"}\n",
			  i);
	for (int lean = 0; lean < 2; lean++) {
		struct collection c;
		size_t dups = 0;

		collection_init(&c);
		c.lean = lean;
		c.lean_format = FORMAT_JSONL;
		format_load_buffer(&c, FORMAT_JSONL, "mem/cat/7.txt", "7", NULL, b.s, b.n, NULL);
		collection_finish(&c);
		assert_int_equal(c.articles.n > 0 && c.articles.v[0]->id_in_block, lean);
		assert_int_equal(c.articles.n, N);
		assert_str(get(&c, "d")->title, "t0");
		assert_str(get(&c, "d~2")->title, "t1");
		assert_str(get(&c, "d~3")->title, "t2");
		assert_str(get(&c, "d~50000")->title, "t49999");
		assert_str(get(&c, "d~100000")->title, "t99999");
		assert_null(collection_find(&c, "d~100001"));
		test_assert_ids_unique(&c);
		for (size_t i = 0; i < c.articles.n; i++) {
			const struct article *a = c.articles.v[i];
			if (i % 997 == 0) /* collection_find reads the list from its start */
				assert_ptr_equal(collection_find(&c, a->id), a);
			assert_int_equal(collection_index(&c, a), i);
		}
		for (size_t i = 0; i < c.diags.n; i++)
			dups += strstr(c.diags.v[i].msg, "duplicate id d: using d~") != NULL;
		assert_int_equal(dups, N - 1);
		snprintf(id, sizeof id, "d~%d", N);
		assert_true(has_diag(&c, N, id)); /* the last record's line */
		collection_free(&c);
	}
	sb_free(&b);
}

/* Ids made only of CJK characters stay apart: 新闻 and 旧闻 are not both "______". */
static void test_jsonl_cjk_ids(void **state)
{
	NEEDS_JANSSON();
	static const char text[] = "{\"news_id\":\"新闻\",\"title\":\"one\"}\n"
				   "{\"news_id\":\"旧闻\",\"title\":\"two\"}\n"
				   "{\"news_id\":\"闻\",\"title\":\"three\"}\n"
				   "{\"news_id\":\"a新b\",\"title\":\"four\"}\n"
				   "{\"news_id\":\"新闻\",\"title\":\"five\"}\n";
	struct collection c;
	char *x, *y;

	(void)state;
	load_mem(&c, FORMAT_JSONL, text, strlen(text), NULL);
	assert_int_equal(c.articles.n, 5);
	for (size_t i = 0; i < c.diags.n; i++) /* only the real duplicate is one */
		if (strstr(c.diags.v[i].msg, "duplicate id"))
			assert_non_null(strstr(c.diags.v[i].msg, "using"));
	x = format_make_id("新闻", strlen("新闻"), "x", 1);
	y = format_make_id("旧闻", strlen("旧闻"), "x", 1);
	assert_string_not_equal(x, y);
	assert_int_equal(strlen(x), 1 + 1 + 16); /* one '_' for the run, '-', the hash */
	assert_str(get(&c, x)->title, "one");
	assert_str(get(&c, y)->title, "two");
	free(y);
	y = format_make_id("a新b", strlen("a新b"), "x", 1);
	assert_int_equal(strncmp(y, "a_b-", 4), 0);
	assert_str(get(&c, y)->title, "four");
	free(y);
	y = xmalloc(strlen(x) + 3);
	sprintf(y, "%s~2", x);
	assert_str(get(&c, y)->title, "five");
	assert_int_equal(c.diags.n, 1);
	free(x);
	free(y);
	collection_free(&c);
}

static void test_jsonl_hostile(void **state)
{
	NEEDS_JANSSON();
	size_t depth = 100000, big = 10u * 1024 * 1024, i;
	char *nested = malloc(depth * 2 + 64), *huge = malloc(big + 64);
	struct collection c;
	struct linereader r;

	(void)state;
	/* deeply nested: jansson's depth limit, one report, no crash */
	strcpy(nested, "{\"title\":\"ok\"}\n");
	for (i = 0; i < depth; i++)
		nested[strlen("{\"title\":\"ok\"}\n") + i] = '[';
	nested[strlen("{\"title\":\"ok\"}\n") + depth] = '\0';
	load_mem(&c, FORMAT_JSONL, nested, strlen(nested), NULL);
	assert_int_equal(c.articles.n, 1);
	assert_int_equal(c.diags.n, 1);
	assert_true(has_diag(&c, 2, "bad JSON"));
	collection_free(&c);

	/* a 10 MB title loads whole */
	memcpy(huge, "{\"title\":\"", 10);
	memset(huge + 10, 'x', big);
	memcpy(huge + 10 + big, "\"}\n", 4);
	load_mem(&c, FORMAT_JSONL, huge, strlen(huge), NULL);
	assert_int_equal(c.articles.n, 1);
	assert_int_equal(c.articles.v[0]->title.n, big);
	collection_free(&c);

	/* a line over the bound is reported and skipped; the next one loads */
	collection_init(&c);
	linereader_mem(&r, "{\"title\":\"a very long line indeed\"}\n{\"title\":\"b\"}\n",
		       strlen("{\"title\":\"a very long line indeed\"}\n{\"title\":\"b\"}\n"), 20);
	assert_int_equal(fmt_jsonl_load(&c, "mem.jsonl", &r, NULL), 1);
	linereader_free(&r);
	assert_true(has_diag(&c, 1, "line longer than 20 bytes: skipped"));
	collection_finish(&c);
	assert_str(get(&c, "mem-2")->title, "b");
	collection_free(&c);

	/* NUL from \u0000 and invalid UTF-8 around the JSON */
	load_mem(&c, FORMAT_JSONL, "{\"title\":\"a\\u0000b\xff\"}\n", 22, NULL);
	assert_int_equal(c.articles.n, 1);
	assert_memory_equal(c.articles.v[0]->title.p, "a\0b\xEF\xBF\xBD", 6);
	assert_true(has_diag(&c, 1, "invalid UTF-8 repaired"));
	collection_free(&c);
	free(nested);
	free(huge);
}

/* ---------------------------------------------------------------------------
 * SogouCS
 */

static void test_sogou_gb18030(void **state)
{
	struct collection c;
	struct article *a;

	(void)state;
	load(&c, FIXTURES "/sogou", FORMAT_AUTO, NULL);
	assert_int_equal(c.articles.n, 2);
	a = get(&c, "f2467af22cd2f0ea-34913306c0bb3300");
	assert_str(a->title, "中国女排夺冠 𠀀€"); /* 𠀀: a GB18030 4-byte sequence */
	assert_str(a->source, "sports.sohu.com");
	assert_str(a->date, "");
	assert_str(a->body, "新华网北京1月1日电 中国女排今天夺冠。\n\n主教练表示满意。");
	assert_str(get(&c, "0000-1")->title, "春运今日开始");
	assert_int_equal(c.diags.n, decode_can_detect() ? 2 : 1);
	assert_true(has_diag(&c, 13, "no title: skipped"));
	/* --encoding auto says what it read the file as */
	if (decode_can_detect())
		assert_true(has_diag(&c, 1, "not UTF-8: read as GB18030, the encoding detected"));
	/* which is information, not a problem: the reader's "N problems while loading" and
	 * --check's exit status count only the record without a title */
	assert_int_equal(collection_problems(&c), 1);
	collection_free(&c);
}

static void test_sogou_big5(void **state)
{
	struct collection c;
	struct article *a;

	(void)state;
	load(&c, FIXTURES "/big5", FORMAT_AUTO, "big5");
	assert_int_equal(c.articles.n, 1);
	a = get(&c, "big5-1");
	assert_str(a->title, "台灣新聞報導");
	assert_str(a->source, "www.cna.com.tw");
	assert_str(a->body, "中央社臺北電。\n\n第二段。");
	assert_int_equal(c.diags.n, 0);
	collection_free(&c);
}

static void test_sogou_broken_records(void **state)
{
	static const char text[] =
		"junk before\n"
		"<doc><docno>1</docno><contenttitle>一</contenttitle></doc><doc>\n" /* 2 */
		"<docno>2</docno><contenttitle>二</contenttitle>\n"
		"<doc><docno>3</docno>\n" /* 4: the record of line 2 was never closed */
		"<contenttitle>三</contenttitle><content>x\n"
		"y</content></doc>\n"
		"<doc><docno>4</docno><contenttitle>四\n"; /* 7: unterminated at the end */
	struct collection c;

	(void)state;
	load_mem(&c, FORMAT_SOGOU, text, strlen(text), NULL);
	assert_int_equal(c.articles.n, 2);
	assert_str(get(&c, "1")->title, "一");
	assert_str(get(&c, "3")->title, "三");
	assert_str(get(&c, "3")->body, "x\n\ny");
	assert_true(has_diag(&c, 2, "<doc> record not closed before the next <doc>: skipped"));
	assert_true(has_diag(&c, 7, "unterminated <doc> record: skipped"));
	assert_true(has_diag(&c, 1, "1 line of text outside the <doc> records: skipped"));
	assert_int_equal(c.diags.n, 3);
	collection_free(&c);
}

/* ---------------------------------------------------------------------------
 * Decoding
 */

static char *run(struct decoder *d, struct collection *c, const char *bytes, size_t n,
		 size_t *out_n)
{
	return format_decode(d, c, "f", 1, bytes, n, out_n);
}

static void test_decode_invalid_and_4byte(void **state)
{
	/* 新闻 in GBK with 0xFF between; then U+20000 as GB18030's 4 bytes */
	static const char in[] = "abc\n\xD0\xC2\xFF\xCE\xC5\n\x95\x32\x82\x36\n";
	struct collection c;
	struct decoder d;
	size_t n;
	char *out;

	(void)state;
	collection_init(&c);
	decoder_init(&d, NULL);
	out = run(&d, &c, in, strlen(in), &n);
	assert_string_equal(out, "abc\n新\xEF\xBF\xBD闻\n𠀀\n");
	assert_int_equal(n, strlen(out));
	assert_int_equal(c.diags.n, 1);
	assert_true(has_diag(&c, 2, "not valid GB18030: 1 undecodable byte"));
	free(out);
	decoder_free(&d);
	collection_free(&c);
}

static void test_decode_mixed(void **state)
{
	static const char in[] = "中文一行\n\xD0\xC2\xCE\xC5\nplain\n";
	struct collection c;
	struct decoder d;
	size_t n;
	char *out;

	(void)state;
	collection_init(&c);
	decoder_init(&d, NULL);
	out = run(&d, &c, in, strlen(in), &n);
	assert_string_equal(out, "中文一行\n新闻\nplain\n");
	assert_int_equal(c.diags.n, 1);
	assert_true(has_diag(&c, 2, "mixed encodings: line 1 is UTF-8, line 2 is not"));
	free(out);
	/* reported once per file, not once per record */
	out = run(&d, &c, in, strlen(in), &n);
	assert_int_equal(c.diags.n, 1);
	free(out);
	decoder_free(&d);
	collection_free(&c);
}

/* The encoding a file read as UTF-8 is in rather: none for UTF-8, nor for UTF-8 with a
 * bad byte (mostly UTF-8); GB18030 for GBK text (told by uchardet, or GB18030
 * throughout without it); Big5 told as Big5 where uchardet is there. */
static void test_legacy_guess(void **state)
{
	/* 国标码的标题，正文一段。 in GBK; 繁體中文的標題，內文第一段。 in Big5 */
	static const char gbk[] = "\xB9\xFA\xB1\xEA\xC2\xEB\xB5\xC4\xB1\xEA\xCC\xE2"
				  "\xA3\xAC\xD5\xFD\xCE\xC4\xD2\xBB\xB6\xCE\xA1\xA3";
	static const char big5[] = "\xC1\x63\xC5\xE9\xA4\xA4\xA4\xE5\xAA\xBA\xBC\xD0"
				   "\xC3\x44\xA1\x41\xA4\xBA\xA4\xE5\xB2\xC4\xA4\x40"
				   "\xAC\x71\xA1\x43";
	static const char damaged[] = "中文标题 \xFF 坏了，正文，正常的中文内容比较多一些。";

	(void)state;
	assert_null(decode_legacy_guess("中文标题，正文。", strlen("中文标题，正文。")));
	assert_null(decode_legacy_guess(damaged, strlen(damaged)));
	/* ASCII with a few damaged bytes, which GB18030 reads too: no GB18030 */
	static const char overlong[] = "Overlong \xC0\x80 NUL\n\n2024-03-01 Wire\n\na\xC0\x80"
				       "b\n";
	assert_null(decode_legacy_guess(overlong, sizeof overlong - 1));
	assert_string_equal(decode_legacy_guess(gbk, strlen(gbk)), "GB18030");
	if (decode_can_detect())
		assert_string_equal(decode_legacy_guess(big5, strlen(big5)), "BIG5");
	/* a title of two characters, too few for uchardet: GB18030's throughout, or Big5's
	 * by its second bytes (新闻 in GBK: D0 C2 CE C5; 新聞 in Big5: B7 73 BB 44) */
	assert_string_equal(decode_legacy_guess("\xD0\xC2\xCE\xC5\n", 5), "GB18030");
	assert_string_equal(decode_legacy_guess("\xB7\x73\xBB\x44\n", 5), "BIG5");
	/* a GBK text whose first pairs happen to be UTF-8's (C4 A9, C3 93, D8 9A: uchardet
	 * says UTF-8 of it), the head of a THUCNews article in GBK: GB18030, not UTF-8
	 * repaired */
	static const char utf8_like[] =
		"\xc4\xa9\xc3\x93\xd8\x9a\xd5\xaa\xc3\xb1\xc4\xea\xc8\xab\x3a\xd7\xee\xc9\xee"
		"\xb5\xc4\xc9\xfa\xc3\xfc\x82\x83\xc5\xc6\xd7\xf7\x91\xf0\xbc\x74\xc9\xe7"
		"\x95\xfe\xb5\xc4\xb0\x6c\xd7\xdf\x8c\x8d\x0a\xa1\xa1\xa1\xa1\xbe\xbf\xd3"
		"\x91\xd5\x93\x97\x9d\xa1\xa3\x0a\xa1\xa1\xa1\xa1\xad\x68\xc7\xf2\x95\x72"
		"\x88\xf3\x95\xf8\xd3\x9b\x20";
	const char *guess = decode_legacy_guess(utf8_like, sizeof utf8_like - 1);
	assert_non_null(guess);
	assert_string_equal(guess, "GB18030");
	/* ...and 400 KB of it: read as Big5 once, not once for each of its thousands of
	 * pairs whose second byte is below 0xA1 (hours before: each read all of it) */
	struct strbuf big = {0};
	for (size_t i = 0; i < 5000; i++)
		sb_append(&big, utf8_like, sizeof utf8_like - 1);
	guess = decode_legacy_guess(big.s, big.n);
	assert_non_null(guess);
	assert_string_equal(guess, "GB18030");
	sb_free(&big);
	/* and such a file is read so */
	struct collection c;
	collection_init(&c);
	format_load_buffer(&c, FORMAT_NATIVE, "t.txt", "t", NULL, "\xD0\xC2\xCE\xC5\n", 5, NULL);
	assert_int_equal(c.articles.n, 1);
	assert_str(c.articles.v[0]->title, "新闻");
	collection_free(&c);
	/* decode_all reads in the encoding it is given, found before: it does not ask
	 * uchardet again (a file's every read of its text would) */
	struct decode_problems pr;
	size_t n;
	char *text = decode_all("BIG5", big5, strlen(big5), &n, &pr);
	assert_string_equal(text, "繁體中文的標題，內文第一段。");
	free(text);
	text = decode_all("GB18030", big5, strlen(big5), &n, &pr);
	assert_null(pr.told_unlike);
	free(text);
}

static void test_decode_named(void **state)
{
	static const char big5[] = "\xB7\x73\xBB\x44\n"; /* 新聞 */
	struct collection c;
	struct decoder d;
	size_t n;
	char *out;

	(void)state;
	assert_true(decode_known("big5"));
	assert_true(decode_known("GB18030"));
	assert_false(decode_known("no-such-encoding"));
	assert_false(decode_known(""));
	assert_true(decode_is_utf8("utf8"));
	assert_false(decode_is_utf8("gbk"));
	collection_init(&c);
	decoder_init(&d, "BIG5");
	out = run(&d, &c, big5, strlen(big5), &n);
	assert_string_equal(out, "新聞\n");
	free(out);
	/* a cut-short sequence at the end */
	out = run(&d, &c, "\xB7", 1, &n);
	assert_string_equal(out, "\xEF\xBF\xBD");
	assert_true(has_diag(&c, 1, "not valid BIG5: 1 undecodable byte"));
	free(out);
	decoder_free(&d);
	collection_free(&c);

	/* --encoding for the native format */
	collection_init(&c);
	format_load_buffer(&c, FORMAT_NATIVE, "n.txt", "n", NULL,
			   "\xB7\x73\xBB\x44\n\n2020-01-02 x\n\nbody\n", 22, "big5");
	collection_finish(&c);
	assert_str(get(&c, "n")->title, "新聞");
	assert_str(get(&c, "n")->date, "2020-01-02");
	collection_free(&c);
}

/* ---------------------------------------------------------------------------
 * Detection, ids, the line reader
 */

static void test_detect(void **state)
{
	static const struct {
		const char *path, *head;
		bool in_dir;
		enum format want;
	} cases[] = {
		{"a.jsonl", "{\"title\":1}", false, FORMAT_JSONL},
		{"a.json", "\xEF\xBB\xBF \n {", true, FORMAT_JSONL},
		{"a.json", "[1]", true, FORMAT_JSONL}, /* a document: read as one */
		{"a.json", "{\n  \"pretty\": 1\n}\n", false, FORMAT_JSONL},
		/* met in a walk, a pretty-printed object is taken for settings, not news */
		{"a.json", "{\n  \"pretty\": 1\n}\n", true, FORMAT_NATIVE},
		{"a.txt", "[{\"title\":1}]", false, FORMAT_NATIVE},
		{"a.jsonl", "{\n  \"pretty\": 1\n}\n", true, FORMAT_JSONL},
		{"a.json", "{\"a\":1} \r\n{", true, FORMAT_JSONL},
		{"a.txt", "{\"title\":1}", false, FORMAT_NATIVE},
		/* JSON Lines saved as .txt (or under any name, when named) */
		{"a.txt", "{\"title\":1}\n{\"title\":2}\n", true, FORMAT_JSONL},
		{"a.txt", "\xEF\xBB\xBF{ \"news_id\" : \"1\"}\r\n\n {\"a\":", true, FORMAT_JSONL},
		{"news2016zh_train", "{\"title\":1}\n{\"title\":2}\n", false, FORMAT_JSONL},
		{"a.log", "{\"title\":1}\n{\"title\":2}\n", true, FORMAT_NATIVE},
		/* a native article whose title looks like JSON: a date line next */
		{"a.txt", "{\"title\": \"x\"}\n\n2021-03-04 s\n\nbody\n", true, FORMAT_NATIVE},
		{"a.txt", "{\"title\": \"x\"}\n\n{ not a member\n", false, FORMAT_NATIVE},
		{"a.txt", "{title}\n{\"title\":2}\n", false, FORMAT_NATIVE},
		{"a.txt", "{\"ti\\\"tle\":1}\n{\"title\":2}\n", false, FORMAT_NATIVE},
		{"news.dat", "<doc>\n<url>", true, FORMAT_SOGOU},
		{"x.txt", "\n  <doc>", false, FORMAT_SOGOU},
		{"x.txt", "<DOC>", false, FORMAT_NATIVE},
		{"news.xml", "<?xml version=\"1.0\"?>\n<docs>\n<doc>\n<url>", true, FORMAT_SOGOU},
		{"news.dat", "<docs><doc>", true, FORMAT_SOGOU},
		{"feed.xml", "<?xml version=\"1.0\"?>\n<rss>\n<channel>", false, FORMAT_NATIVE},
		{"x.txt", "<?xml?><?xml?><doc>", false, FORMAT_NATIVE},
		{"t/体育/12.txt", "标题\n　　正文\n", true, FORMAT_THUCNEWS},
		{"t/体育/12.txt", "标题\n　　正文\n", false, FORMAT_THUCNEWS},
		{"t/体育/12b.txt", "标题\n　　正文\n", false, FORMAT_NATIVE},
		{"t/体育/12.txt", "标题\n\n2020-01-01 来源\n正文\n", true, FORMAT_NATIVE},
		{"t/体育/a12.txt", "标题\n正文\n", true, FORMAT_NATIVE},
		{"t/体育/12.txt", "标题only, no line end", true, FORMAT_THUCNEWS},
		{"t/体育/12.txt", "\n标题 alone\n\n", true, FORMAT_THUCNEWS},
		{"t/体育/12.txt", "标题\n正文, no line end", true, FORMAT_THUCNEWS},
		{"t/体育/12.txt", "标题\n2020-01-01", true, FORMAT_NATIVE},
		{"t/体育/12.txt", "", true, FORMAT_NATIVE},
	};
	enum format f;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		enum format got = format_detect(cases[i].path, cases[i].head, strlen(cases[i].head),
						cases[i].in_dir);
		if (got != cases[i].want)
			fail_msg("case %zu (%s): got %s, want %s", i, cases[i].path,
				 format_name(got), format_name(cases[i].want));
	}
	/* a first line longer than the head: a record, not a title */
	char *long_line = xmalloc(FORMAT_HEAD);
	memset(long_line, 'x', FORMAT_HEAD);
	memcpy(long_line, "{\"content\":\"", 12);
	assert_int_equal(format_detect("a.txt", long_line, FORMAT_HEAD, true), FORMAT_JSONL);
	assert_int_equal(format_detect("a.txt", long_line, 100, true), FORMAT_NATIVE);
	free(long_line);
	const char *cmd;
	bool pipes;
	assert_string_equal(format_compressed("\x1F\x8B\x08\x08", 4, &cmd, &pipes), "gzip");
	assert_string_equal(cmd, "zcat");
	assert_true(pipes);
	assert_string_equal(format_compressed("BZh91AY&SY\x01", 11, &cmd, &pipes), "bzip2");
	assert_null(format_compressed("BZh是標題\n", 10, &cmd, &pipes)); /* a title */
	assert_string_equal(format_compressed("\xFD"
					      "7zXZ\0\0",
					      8, &cmd, &pipes),
			    "xz");
	assert_string_equal(format_compressed("\x28\xB5\x2F\xFD\x24", 5, &cmd, &pipes), "zstd");
	assert_string_equal(format_compressed("7z\xBC\xAF\x27\x1C\0", 7, &cmd, &pipes), "7z");
	assert_false(pipes);
	assert_string_equal(format_compressed("Rar!\x1A\x07\x01", 7, &cmd, &pipes), "RAR");
	assert_null(format_compressed("\x1F", 1, &cmd, &pipes));
	assert_null(format_compressed("", 0, &cmd, &pipes));
	assert_true(jsonskim_document("[1]", 3));
	assert_true(jsonskim_document("\xEF\xBB\xBF [", 5));
	assert_true(jsonskim_document(" {\n \"pretty\": 1\n}", 19));
	assert_false(jsonskim_document("{\"a\":1}\n", 8)); /* JSON Lines */
	assert_false(jsonskim_document("{\"a\":1} \r\n{", 11));
	assert_false(jsonskim_document("{\"a\": \"a first line lon", 22)); /* ger */
	assert_false(jsonskim_document("title\n", 6));
	const char *array = "[\n {\"title\": 1}]", *title = "[视频] 标题\n";
	assert_int_equal(format_detect_stream(array, strlen(array)), FORMAT_JSONL);
	assert_int_equal(format_detect_stream(title, strlen(title)), FORMAT_NATIVE);
	assert_true(format_hidden_path(".git/1.txt"));
	assert_true(format_hidden_path("体育/._1.txt"));
	assert_true(format_hidden_path("__MACOSX/体育/1.txt"));
	assert_true(format_hidden_path("a/.hidden/1.txt"));
	assert_false(format_hidden_path("体育/1.txt"));
	assert_false(format_hidden_path(".txt")); /* a file's own name: read */
	assert_false(format_hidden_path("a/.1.txt"));
	assert_false(format_hidden_path("./a/../1.txt"));
	assert_false(format_hidden_path("a/__MACOSXY/1.txt"));
	assert_false(format_hidden_path("a.b/c."));
	assert_true(format_from_name("sogou", &f));
	assert_int_equal(f, FORMAT_SOGOU);
	assert_false(format_from_name("xml", &f));
	assert_true(format_candidate_name("a.jsonl"));
	assert_false(format_candidate_name("a.md"));
}

static void test_make_id(void **state)
{
	char *id;
	char long_id[200];

	(void)state;
	id = format_make_id("ab/../\x1b[2J", 10, "x", 1);
	assert_string_equal(id, "ab_..___2J");
	free(id);
	id = format_make_id("a\0b", 3, "x", 1); /* a NUL is a byte like the others */
	assert_string_equal(id, "a_b");
	free(id);
	id = format_make_id("", 0, "dir/news.jsonl", 42);
	assert_string_equal(id, "news-42");
	free(id);
	memset(long_id, 'z', sizeof long_id);
	id = format_make_id(long_id, sizeof long_id, "x", 1);
	assert_int_equal(strlen(id), 64);
	free(id);
}

static void test_linereader_fd(void **state)
{
	char path[] = "/tmp/xinwen-lr-XXXXXX";
	int fd = mkstemp(path);
	struct linereader r;
	const char *line;
	size_t n, i;
	bool too_long;
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w+");
	fputs("short\r\n", f);
	for (i = 0; i < 200000; i++) /* longer than the bound, longer than a chunk */
		fputc('x', f);
	fputs("\nlast", f);
	fflush(f);
	lseek(fd, 0, SEEK_SET);
	linereader_fd(&r, fd, 1000);
	assert_int_equal(linereader_next(&r, &line, &n, &too_long), 1);
	assert_false(too_long);
	assert_int_equal(n, 5);
	assert_memory_equal(line, "short", 5);
	assert_int_equal(linereader_next(&r, &line, &n, &too_long), 1);
	assert_true(too_long);
	assert_int_equal(linereader_next(&r, &line, &n, &too_long), 1);
	assert_false(too_long);
	assert_int_equal(n, 4);
	assert_memory_equal(line, "last", 4);
	assert_int_equal(r.lineno, 3);
	assert_int_equal(linereader_next(&r, &line, &n, &too_long), 0);
	assert_true(r.cap <= 1000 + 2 * 64 * 1024); /* bounded by the line limit */
	linereader_free(&r);
	fclose(f);
	unlink(path);
}

/* Lean loading leaves in its file the text of an article that can be read again alone
 * (native and THUCNews files in UTF-8, and the records of JSON Lines and SogouCS files,
 * from their byte ranges), the same text and identity as kept in memory; files read in
 * an encoding given by --encoding keep theirs. */
static void test_lean_by_format(void **state)
{
	static const struct {
		const char *path, *enc;
		bool on_disk;
	} cases[] = {
		{FIXTURES "/thucnews", NULL, true},
		{FIXTURES "/jsonl/news2016zh.jsonl", NULL, true},
		{FIXTURES "/sogou", NULL, true},
		{FIXTURES "/big5", "big5", false},
		{NULL, "GB18030", false}, /* a native file read in GB18030: made below */
	};
	char native[] = "/tmp/xinwen-lean-XXXXXX";
	int fd = mkstemp(native);
	static const char text[] = "Title\n\n2020-01-02 src\n\nbody line\n";
	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	for (size_t k = 0; k < ARRAY_LEN(cases); k++) {
		const char *path = cases[k].path ? cases[k].path : native;
#ifndef HAVE_JANSSON
		if (strstr(path, ".jsonl"))
			continue; /* built without jansson: a JSON Lines file is skipped */
#endif
		struct load_opts plain = {.encoding = cases[k].enc};
		struct load_opts lean = {.encoding = cases[k].enc, .lean = true};
		struct collection p, l;
		collection_init(&p);
		collection_init(&l);
		loader_load_path_opts(&p, path, &plain);
		loader_load_path_opts(&l, path, &lean);
		collection_finish(&p);
		collection_finish(&l);
		assert_true(p.articles.n > 0);
		assert_int_equal(p.articles.n, l.articles.n);
		for (size_t i = 0; i < p.articles.n; i++) {
			const struct article *a = p.articles.v[i], *b = l.articles.v[i];
			struct content_id ia, ib;
			assert_string_equal(a->id, b->id);
			assert_int_equal(a->title.n, b->title.n);
			assert_memory_equal(a->title.p, b->title.p, a->title.n);
			article_identity(a, &ia);
			article_identity(b, &ib);
			assert_memory_equal(&ia, &ib, sizeof ia);
			if (a->kind != ARTICLE_FULL)
				continue;
			assert_int_equal(b->body_on_disk, cases[k].on_disk);
			char *tmp;
			struct str body = article_body_peek(b, &tmp);
			assert_int_equal(body.n, a->body.n);
			assert_memory_equal(body.p, a->body.p, body.n);
			free(tmp);
		}
		collection_free(&p);
		collection_free(&l);
	}
	unlink(native);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_thucnews_tree),
		cmocka_unit_test(test_thucnews_read_paths),
		cmocka_unit_test(test_jsonl_fixture),
		cmocka_unit_test(test_jsonl_other_names),
		cmocka_unit_test(test_jsonl_too_big_integer),
		cmocka_unit_test(test_jsonl_fields_and_ids),
		cmocka_unit_test(test_jsonl_body_lines),
		cmocka_unit_test(test_jsonl_hostile),
		cmocka_unit_test(test_sogou_gb18030),
		cmocka_unit_test(test_sogou_big5),
		cmocka_unit_test(test_sogou_broken_records),
		cmocka_unit_test(test_decode_invalid_and_4byte),
		cmocka_unit_test(test_decode_mixed),
		cmocka_unit_test(test_decode_named),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_legacy_guess),
		cmocka_unit_test(test_make_id),
		cmocka_unit_test(test_jsonl_duplicate_ids_at_scale),
		cmocka_unit_test(test_jsonl_cjk_ids),
		cmocka_unit_test(test_linereader_fd),
		cmocka_unit_test(test_lean_by_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
