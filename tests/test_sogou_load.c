/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_sogou_load.c: one big SogouCS file (GB18030): loaded in two halves on two
 * threads, the same as on one (ids, the list, the bodies' identity, the messages, the
 * encoding detected and said once), whatever the halves' encodings; the decoder's
 * hand-over from one half to the other; GB18030 by table the same as by iconv. */
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

#include "collection.h"
#include "decode.h"
#include "format.h"
#include "loader.h"
#include "strbuf.h"
#include "testutil.h"

#define ZHONGGUO "\xd6\xd0\xb9\xfa"		 /* 中国 in GB18030 */
#define INDENT "\xa1\xa1\xa1\xa1"		 /* two U+3000 */
#define XINWEN "\xd0\xc2\xce\xc5"		 /* 新闻 */
#define UTF8_ZHONGGUO "\xe4\xb8\xad\xe5\x9b\xbd" /* 中国 in UTF-8 */

/* How the records of a generated file read. */
struct shape {
	size_t ascii_until; /* records before this one: ASCII titles only */
	size_t utf8_at;	    /* this record's title in UTF-8 (0: none) */
	const char *enc;    /* the encoding told (NULL: automatic) */
};

/* A generated file of n records: docnos that repeat (every fifth is "dup"), records
 * without a docno (named by their line), records not closed before the next, without
 * a title, with an empty content, with an undecodable byte, with CR LF line ends, two
 * on one line; written to dir/news.dat, its path in path. */
static void write_corpus(const char *dir, size_t n, const struct shape *sh, char *path, size_t size)
{
	struct strbuf b = {0};
	FILE *f;

	snprintf(path, size, "%s/news.dat", dir);
	for (size_t i = 0; i < n; i++) {
		const char *eol = i % 13 == 0 ? "\r\n" : "\n";
		const char *title = i < sh->ascii_until ? "plain"
				    : i == sh->utf8_at	? UTF8_ZHONGGUO
				    : i % 101 == 100	? ZHONGGUO "\x81\x20"
							: ZHONGGUO;

		if (i % 997 == 5)
			sb_printf(&b, "<doc>%s<contenttitle>unclosed</contenttitle>%s", eol, eol);
		if (i % 1499 == 7)
			sb_printf(&b,
				  "<doc><url>http://a.sohu.com/%zu</url><contenttitle>one "
				  "line</contenttitle><content>x</content></doc>\n",
				  i);
		sb_printf(&b, "<doc>%s<url>http://%s.sohu.com/n%zu.shtml</url>%s", eol,
			  i % 2 ? "sports" : "news", i, eol);
		if (i % 5 == 0)
			sb_printf(&b, "<docno>dup</docno>%s", eol);
		else if (i % 7 != 0)
			sb_printf(&b, "<docno>%016zx-%zu</docno>%s", i * 7919, i, eol);
		if (i % 211 == 3)
			sb_printf(&b, "<contenttitle> </contenttitle>%s", eol);
		else
			sb_printf(&b, "<contenttitle>%s %zu</contenttitle>%s", title, i, eol);
		if (i % 17 == 0)
			sb_printf(&b, "<content></content>%s", eol);
		else
			sb_printf(&b, "<content>" INDENT XINWEN " %zu" INDENT "%s</content>%s", i,
				  i < sh->ascii_until ? "two" : XINWEN, eol);
		sb_printf(&b, "</doc>%s", eol);
	}
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(b.s, 1, b.n, f), b.n);
	assert_int_equal(fclose(f), 0);
	sb_free(&b);
}

static void load(struct collection *c, const char *path, const struct shape *sh, uint64_t split_min,
		 atomic_uint_least64_t *bytes)
{
	struct load_opts o = {.format = FORMAT_AUTO,
			      .lean = true,
			      .split_min = split_min,
			      .bytes = bytes,
			      .encoding = sh->enc};

	collection_init(c);
	loader_load_path_opts(c, path, &o);
	collection_finish(c);
}

/* How many of c's messages hold s. */
static size_t diags_with(const struct collection *c, const char *s)
{
	size_t k = 0;

	for (size_t i = 0; i < c->diags.n; i++)
		k += strstr(c->diags.v[i].msg, s) != NULL;
	return k;
}

/* The file of shape sh loaded on one thread and split at its middle: the same. */
static void split_vs_serial(const struct shape *sh, struct collection *two)
{
	char dir[512], path[600];
	struct collection one;
	atomic_uint_least64_t bytes;
	struct stat st;

	assert_true(test_scratch_dir(dir, sizeof dir, "sogou"));
	write_corpus(dir, 6000, sh, path, sizeof path);
	assert_int_equal(stat(path, &st), 0);
	load(&one, path, sh, UINT64_MAX, NULL); /* never split */
	atomic_init(&bytes, 0);
	load(two, path, sh, 1, &bytes); /* split at the middle */
	assert_int_equal(atomic_load(&bytes), (uint64_t)st.st_size);
	test_assert_same_records(&one, two);
	collection_free(&one);
	unlink(path);
	rmdir(dir);
}

/* A GB18030 file throughout: what it holds is there once, ids across the halves. */
static void test_split_gb18030(void **state)
{
	struct collection two;
	struct shape sh = {0};
	size_t noid = 0;

	(void)state;
	split_vs_serial(&sh, &two);
	assert_non_null(collection_find(&two, "dup~1194")); /* 1200, 6 without a title */
	assert_null(collection_find(&two, "dup~1195"));
	for (size_t i = 0; i < two.articles.n; i++)
		noid += strncmp(two.articles.v[i]->id, "news-", 5) == 0;
	assert_true(noid > 500);
	if (decode_can_detect())
		assert_int_equal(diags_with(&two, "the encoding detected"), 1);
	assert_int_equal(diags_with(&two, "not closed before the next"), 7);
	assert_int_equal(diags_with(&two, "no title"), 29);
	assert_int_equal(diags_with(&two, "undecodable"), 58); /* 59, one without a title */
	assert_true(diags_with(&two, "mixed encodings") <= 1); /* said once at most */
	collection_free(&two);
}

/* The first half ASCII: the encoding is detected in the second, said once. */
static void test_split_detected_late(void **state)
{
	struct collection two;
	struct shape sh = {.ascii_until = 4000};

	(void)state;
	split_vs_serial(&sh, &two);
	if (decode_can_detect())
		assert_int_equal(diags_with(&two, "the encoding detected"), 1);
	collection_free(&two);
}

/* A UTF-8 title in the second half: "mixed encodings" names the first half's first
 * GB18030 line, as one thread says it. */
static void test_split_mixed(void **state)
{
	struct collection two;
	struct shape sh = {.utf8_at = 5000};

	(void)state;
	split_vs_serial(&sh, &two);
	assert_int_equal(diags_with(&two, "mixed encodings"), 1);
	collection_free(&two);
}

/* The encoding told: its check against the bytes said once. */
static void test_split_told(void **state)
{
	struct collection two;
	struct shape gb = {.enc = "GB18030"}, big5 = {.enc = "BIG5"};

	(void)state;
	split_vs_serial(&gb, &two);
	assert_int_equal(diags_with(&two, "as told"), 0);
	collection_free(&two);
	split_vs_serial(&big5, &two); /* said at most once (if uchardet can tell) */
	assert_true(diags_with(&two, "as told") <= 1);
	collection_free(&two);
}

/* decoder_follows: a second half's decoder that detected what the first did before
 * any line not ASCII follows it; one that met such a line before, detected another
 * encoding, or would say "mixed" where the first would not (or the other way) does
 * not; an encoding told follows once the first half was checked. */
static void test_follows(void **state)
{
	struct decoder a, b;

	(void)state;
	decoder_init(&a, NULL);
	decoder_init(&b, NULL);
	decoder_start_second(&b);
	a.detected = "GB18030";
	a.legacy_line = 2;
	b.detected = "GB18030";
	b.detected_line = 100;
	b.legacy_line = 100;
	assert_true(decoder_follows(&a, &b));
	b.utf8_line = 99; /* kept as UTF-8 before it knew */
	assert_false(decoder_follows(&a, &b));
	b.utf8_line = 0;
	b.detected = "BIG5";
	assert_false(decoder_follows(&a, &b));
	b.detected = "GB18030";
	b.utf8_line = 300; /* "mixed" due, with the first half's line: not said so */
	assert_false(decoder_follows(&a, &b));
	a.mixed_reported = true; /* said already: not again */
	b.mixed_reported = true;
	assert_false(decoder_follows(&a, &b));
	b.mixed_reported = false;
	assert_true(decoder_follows(&a, &b));
	a.detected = NULL; /* the first half did not detect: the second would have said */
	assert_false(decoder_follows(&a, &b));
	decoder_free(&a);
	decoder_free(&b);
	decoder_init(&a, "GB18030");
	decoder_init(&b, "GB18030");
	decoder_start_second(&b);
	assert_false(decoder_follows(&a, &b));
	a.checked = true;
	assert_true(decoder_follows(&a, &b));
	decoder_free(&a);
	decoder_free(&b);
}

/* bytes[0..n) decoded as GB18030 (enc, or the automatic choice having detected it) by
 * the table and by iconv alone: the same text, the same problems. */
static void assert_table_is_iconv(const char *enc, const char *bytes, size_t n)
{
	struct decoder t, i;
	struct decode_problems pt, pi;
	size_t nt, ni;
	char *a, *b;

	decoder_init(&t, enc);
	decoder_init(&i, enc);
	i.iconv_only = true;
	t.checked = i.checked = true;
	if (!enc)
		t.detected = i.detected = "GB18030";
	a = decoder_run(&t, 1, bytes, n, &nt, &pt);
	b = decoder_run(&i, 1, bytes, n, &ni, &pi);
	assert_int_equal(nt, ni);
	assert_memory_equal(a, b, nt);
	assert_int_equal(pt.nbad, pi.nbad);
	assert_int_equal(pt.first_bad_line, pi.first_bad_line);
	assert_int_equal(t.utf8_line, i.utf8_line);
	assert_int_equal(t.legacy_line, i.legacy_line);
	free(a);
	free(b);
	decoder_free(&t);
	decoder_free(&i);
}

/* Load the SogouCS records recs[0..n) (UTF-8) into c: want articles. */
static void load_records(struct collection *c, const char *recs, size_t n, size_t want)
{
	collection_init(c);
	assert_int_equal(
		format_load_buffer(c, FORMAT_SOGOU, "recs.dat", "recs", NULL, recs, n, "UTF-8"),
		want);
}

/* The body read back from a's record's bytes in recs is the body loaded. */
static void assert_read_back(const char *recs, const struct article *a)
{
	char *again;
	size_t n;

	assert_true(fmt_sogou_body(recs + a->rec_off, a->rec_len, &again, &n));
	test_assert_str_equal((struct str){again, n}, a->body);
	free(again);
}

/* A copy of the corpus made XML writes references: &amp; &lt; &#x4E2D; &#20013; read as
 * the characters (the URL's "&amp;" was kept, and O opened another address); an '&'
 * that starts none, a control character's reference and an unknown name stay; the
 * body read back from the record's bytes is the same. */
static void test_xml_references(void **state)
{
	static const char rec[] =
		"<doc>\n<url>http://a.example/a?x=1&amp;y=2&z=3</url>\n<docno>e1</docno>\n"
		"<contenttitle>A&amp;B &#x4E2D;&#20013; &#27; &bogus; &#xD800;</contenttitle>\n"
		"<content>　　x&lt;y&gt;z &amp;amp;　　第二段</content>\n</doc>\n";
	struct collection c;

	(void)state;
	load_records(&c, rec, sizeof rec - 1, 1);
	const struct article *a = c.articles.v[0];
	const char *title = "A&B 中中 &#27; &bogus; &#xD800;",
		   *url = "http://a.example/a?x=1&y=2&z=3";
	const char *body = "x<y>z &amp;\n\n第二段";
	test_assert_str_equal(a->title, (struct str){title, strlen(title)});
	test_assert_str_equal(a->url, (struct str){url, strlen(url)});
	test_assert_str_equal(a->body, (struct str){body, strlen(body)});
	assert_read_back(rec, a);
	collection_free(&c);
}

/* A content or a title that cites the record tags (an article about XML): inside it,
 * <doc> and </doc> are text (on one line, over two, in a record on one line); a record
 * whose content is not closed still ends at a </doc> that starts a line; each body read
 * back from its record's bytes is the body loaded. */
static void test_tags_in_content(void **state)
{
	static const char recs[] =
		"<doc>\n<docno>a1</docno>\n<contenttitle>一</contenttitle>\n"
		"<content>记录以 </doc> 结束，以 <doc> 开始。</content>\n</doc>\n"
		"<doc>\n<docno>b2</docno>\n<contenttitle>二</contenttitle>\n"
		"<content>第一行\n第二行 </doc> 也是</content>\n</doc>\n"
		"<doc><docno>c3</docno><contenttitle>三</contenttitle>"
		"<content>一行的 </doc> 正文</content></doc>\n"
		"<doc>\n<docno>d4</docno>\n<contenttitle>四</contenttitle>\n"
		"<content>没有结束\n</doc>\n"
		"<doc>\n<docno>e5</docno>\n<contenttitle>五</contenttitle>\n"
		"<content>五。</content>\n</doc>\n"
		"<doc>\n<docno>f6</docno>\n<contenttitle>论 </doc> 与 <doc></contenttitle>\n"
		"<content>六。</content>\n</doc>\n"
		"<doc><docno>g7</docno><contenttitle>七 </doc></contenttitle>"
		"<content>七。</content></doc>\n";
	static const char *const want[][2] = {
		{"a1", "记录以 </doc> 结束，以 <doc> 开始。"},
		{"b2", "第一行\n\n第二行 </doc> 也是"},
		{"c3", "一行的 </doc> 正文"},
		{"d4", "没有结束"},
		{"e5", "五。"},
		{"f6", "六。"},
		{"g7", "七。"},
	};
	static const char *const titles[] = {
		"一", "二", "三", "四", "五", "论 </doc> 与 <doc>", "七 </doc>"};
	struct collection c;

	(void)state;
	load_records(&c, recs, sizeof recs - 1, 7);
	assert_int_equal(c.diags.n, 0);
	for (size_t i = 0; i < 7; i++) {
		const struct article *a = c.articles.v[i];

		assert_string_equal(a->id, want[i][0]);
		test_assert_str_equal(a->title, (struct str){titles[i], strlen(titles[i])});
		test_assert_str_equal(a->body, (struct str){want[i][1], strlen(want[i][1])});
		assert_read_back(recs, a);
	}
	collection_free(&c);
}

/* A record whose <doc> has attributes (<doc id="2">, as some copies write it) is read
 * (it was passed over without a word), first in its file too, and its body read back
 * from its bytes; <docno> and <docs> open none. */
static void test_doc_attributes(void **state)
{
	static const char recs[] =
		"<doc id=\"1\">\n<docno>a1</docno>\n<contenttitle>一</contenttitle>\n"
		"<content>一。</content>\n</doc>\n"
		"<doc>\n<docno>b2</docno>\n<contenttitle>二</contenttitle>\n"
		"<content>二。</content>\n</doc>\n"
		"<doc\tid=\"3\" lang=\"zh\"><docno>c3</docno><contenttitle>三</contenttitle>"
		"<content>三。</content></doc>\n";
	static const char *const want[][2] = {{"a1", "一。"}, {"b2", "二。"}, {"c3", "三。"}};
	struct collection c;

	(void)state;
	assert_int_equal(format_detect("recs.dat", recs, sizeof recs - 1, false), FORMAT_SOGOU);
	load_records(&c, recs, sizeof recs - 1, 3);
	assert_int_equal(c.diags.n, 0);
	for (size_t i = 0; i < 3; i++) {
		const struct article *a = c.articles.v[i];

		assert_string_equal(a->id, want[i][0]);
		test_assert_str_equal(a->body, (struct str){want[i][1], strlen(want[i][1])});
		assert_read_back(recs, a);
	}
	collection_free(&c);
}

/* A piece cut from a bigger file (split -l) that starts inside a record is SogouCS
 * (it was read as one native article titled "<docno>..."), and the text outside the
 * records is said, a run of lines at a time (it was dropped without a word): the cut
 * record's lines, a record whose tags are not <doc>'s; an XML declaration and a root
 * element's tags are not. */
static void test_text_outside_records(void **state)
{
	static const char cut[] = "<docno>x0</docno>\n<contenttitle>零</contenttitle>\n"
				  "<content>零。</content>\n</doc>\n"
				  "<doc>\n<docno>a1</docno>\n<contenttitle>一</contenttitle>\n"
				  "<content>一。</content>\n</doc>\n"
				  "<DOC>\n<DOCNO>u2</DOCNO>\n<CONTENTTITLE>二</CONTENTTITLE>\n"
				  "</DOC>\n"
				  "<doc>\n<docno>b3</docno>\n<contenttitle>三</contenttitle>\n"
				  "<content>三。</content>\n</doc> 尾\n";
	static const char xml[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<docs>\n"
				  "<doc>\n<docno>a1</docno>\n<contenttitle>一</contenttitle>\n"
				  "<content>一。</content>\n</doc>\n</docs>\n";
	struct collection c;

	(void)state;
	assert_int_equal(format_detect("x.dat", cut, sizeof cut - 1, true), FORMAT_SOGOU);
	load_records(&c, cut, sizeof cut - 1, 2);
	assert_int_equal(c.diags.n, 3);
	assert_int_equal(c.diags.v[0].line, 1);
	assert_string_equal(c.diags.v[0].msg, "3 lines of text outside the <doc> records: skipped");
	assert_int_equal(c.diags.v[1].line, 11);
	assert_string_equal(c.diags.v[1].msg, "2 lines of text outside the <doc> records: skipped");
	assert_int_equal(c.diags.v[2].line, 18);
	assert_string_equal(c.diags.v[2].msg, "1 line of text outside the <doc> records: skipped");
	collection_free(&c);
	load_records(&c, xml, sizeof xml - 1, 1);
	assert_int_equal(c.diags.n, 0);
	collection_free(&c);
}

/* GB18030 by table = by iconv: every two-byte sequence alone on a line and between
 * others; random lines of GB18030's bytes (four-byte sequences, 0x80, 0xFF, cut
 * sequences, ASCII, lines that read as UTF-8 too). */
static void test_table_is_iconv(void **state)
{
	struct strbuf b = {0};
	uint32_t x = 12345;

	(void)state;
	for (int lead = 0x80; lead <= 0xFF; lead++)
		for (int trail = 0x20; trail <= 0xFF; trail++)
			sb_printf(&b, "%c%c\na%c%c%cz\n", lead, trail, lead, trail, lead);
	assert_table_is_iconv("GB18030", b.s, b.n);
	assert_table_is_iconv("gb18030", b.s, b.n);
	assert_table_is_iconv(NULL, b.s, b.n);
	sb_clear(&b);
	for (int line = 0; line < 20000; line++) {
		int len = (int)(x % 40);
		for (int k = 0; k < len; k++) {
			x = x * 1103515245u + 12345u;
			unsigned r = (x >> 8) & 0xFF;
			unsigned kind = (x >> 20) % 8;
			char ch = kind < 2   ? (char)(0x30 +
						      r % 10) /* four-byte's second and fourth */
				  : kind < 3 ? (char)(0x20 + r % 0x5F)
				  : kind < 4 ? (char)(0x80 + (r & 0x7F))
					     : (char)(0x81 + r % 0x7F);
			sb_putc(&b, ch);
		}
		x = x * 1103515245u + 12345u;
		sb_putc(&b, '\n');
	}
	assert_table_is_iconv("GB18030", b.s, b.n);
	assert_table_is_iconv(NULL, b.s, b.n);
	sb_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_gb18030),  cmocka_unit_test(test_split_detected_late),
		cmocka_unit_test(test_split_mixed),    cmocka_unit_test(test_split_told),
		cmocka_unit_test(test_follows),	       cmocka_unit_test(test_table_is_iconv),
		cmocka_unit_test(test_xml_references), cmocka_unit_test(test_tags_in_content),
		cmocka_unit_test(test_doc_attributes), cmocka_unit_test(test_text_outside_records),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
