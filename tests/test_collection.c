/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_collection.c: parsing the native format, utf8_repair, resolution of related
 * headlines, excerpts, backlinks, ids and list order. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "format.h"
#include "cli.h"
#include "collection.h"
#include "testutil.h"
#include "utf8.h"
#include "xalloc.h"

#define SEED_PATH TEST_DATADIR "/../../data/000_bc5b92f142057c5b.txt"

/* ---------------------------------------------------------------------------
 * Helpers
 */

/* Which case of a table-driven test is running, for failure messages. */
static size_t current_case;

static void assert_str_eq_fn(struct str s, const char *want, const char *file, int line)
{
	char *got = xstrndup(s.p ? s.p : "", s.n);

	if (s.n != strlen(want) || memcmp(got, want, s.n) != 0) {
		print_error("%s:%d (case %zu): got \"%s\" (%zu bytes), want \"%s\" (%zu bytes)\n",
			    file, line, current_case, got, s.n, want, strlen(want));
		free(got);
		fail();
	}
	free(got);
}
#define assert_str_eq(s, want) assert_str_eq_fn((s), (want), __FILE__, __LINE__)

static bool str_starts(struct str s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

/* The diags whose file is file (NULL: any) and whose message contains needle. */
static size_t count_diags(const struct collection *c, const char *file, const char *needle)
{
	size_t i, n = 0;

	for (i = 0; i < c->diags.n; i++) {
		const struct diag *d = &c->diags.v[i];
		if (file && strcmp(d->file, file) != 0)
			continue;
		if (strstr(d->msg, needle))
			n++;
	}
	return n;
}

/* How many diags there are besides those of a missing date line (which the fixtures
 * without one get since --check reports them). */
static size_t diags_besides_dates(const struct collection *c)
{
	return c->diags.n - count_diags(c, NULL, "no date line");
}

/* The line of the first diag (of file, unless NULL) whose message holds needle, or 0. */
static size_t diag_line(const struct collection *c, const char *file, const char *needle)
{
	for (size_t i = 0; i < c->diags.n; i++)
		if ((!file || !strcmp(c->diags.v[i].file, file)) &&
		    strstr(c->diags.v[i].msg, needle))
			return c->diags.v[i].line;
	return 0;
}

/* Add text as an article named id; returns it (asserting it parsed). */
static struct article *add(struct collection *c, const char *id, const char *text)
{
	assert_true(fmt_native_add_buffer(c, id, id, text, strlen(text)));
	return c->articles.v[c->articles.n - 1];
}

/* An article titled title whose related section cites each of the NULL-ended headlines. */
static struct article *add_citing(struct collection *c, const char *id, const char *date,
				  const char *title, ...)
{
	char text[4096];
	size_t n;
	const char *h;
	va_list ap;

	n = (size_t)snprintf(text, sizeof text, "%s\n\n%s%s本文。\n\n相關焦點\n", title,
			     date ? date : "", date ? " 來源\n\n" : "");
	va_start(ap, title);
	while ((h = va_arg(ap, const char *)) != NULL)
		n += (size_t)snprintf(text + n, sizeof text - n, "  • %s\n    摘要:%s\n", h, h);
	va_end(ap);
	assert_true(n < sizeof text);
	return add(c, id, text);
}

static char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	buf = xmalloc((size_t)len);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static uint64_t fnv1a64(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

static void assert_excerpt_id(const struct article *e, const char *key)
{
	char want[32];

	snprintf(want, sizeof want, "x-%016" PRIx64, fnv1a64(key));
	assert_string_equal(e->id, want);
}

/* What must hold after collection_finish, whatever the input. */
static void check_invariants(const struct collection *c)
{
	size_t i, j, k;
	bool excerpts = false;

	for (i = 0; i < c->articles.n; i++) {
		const struct article *a = c->articles.v[i];

		if (a->kind == ARTICLE_EXCERPT) {
			excerpts = true;
			assert_null(a->path);
			assert_int_equal(a->related.n, 0);
			assert_int_equal(a->date.n, 0);
			assert_int_equal(a->source.n, 0);
		} else {
			assert_false(excerpts); /* all full articles come first */
			assert_non_null(a->path);
		}
		assert_int_equal(collection_index(c, a), i);
		for (j = 0; j < a->related.n; j++) {
			assert_true(a->related.v[j].target < c->articles.n);
		}
		for (j = 0; j < a->backlinks.n; j++) {
			const struct article *from = c->articles.v[a->backlinks.v[j]];
			bool cites = false;

			assert_ptr_not_equal(from, a);
			for (k = 0; k < from->related.n; k++)
				cites |= from->related.v[k].target == i;
			assert_true(cites);
			for (k = j + 1; k < a->backlinks.n; k++)
				assert_int_not_equal(a->backlinks.v[k], from->pos);
		}
	}
	test_assert_ids_unique(c);
}

/* The seed's related section: line, headline, how its snippet starts, its length. */
static const struct seed_related {
	size_t line;
	const char *headline;
	const char *snippet_start;
	size_t snippet_len;
} seed_related[] = {
	{53, "長沙:下足「繡花」功夫,加速推進扶貧領域集中治理", "上半年督促整改問", 330},
	{55, "交通管理精細化,宣城公安下足「繡花功夫」!", "交通管理精細化,", 233},
	{57, "港北區:下足「繡花」功夫 打贏脫貧硬仗", "原標題:港北區:", 584},
	{59, "睢陽區城管局:下足「繡花」功夫 扮靚城市家園", "本報記者 邢棟 ", 413},
	{61, "下足「繡花功夫」,做活「精」字文章", "下足「繡花功夫」", 317},
	{63, "下足繡花功夫 提升人居品質", "「建設人與自然和", 504},
	{65, "念好「四字訣」下足真功夫丨香坊區高質量完成非公有制企業和社會...", "念好「四字訣」下",
	 203},
	{67, "下足「繡花功夫」,做活「精」字文章 勾勒長沙未來發展美好藍圖", "下足「繡花功夫」", 773},
	{69, "閬中獲2018全國社會治理創新示範市稱號......", "@四川新聞網:2", 545},
	{71, "西安經開區:下足繡花功夫 扶貧一「戰」到底", "西部網訊 202", 511},
	{73, "我市城市精細化管理用上「繡花功夫」", "我市城市精細化管", 107},
	{75, "鄭州航空港實驗區:下足「繡花」功夫 決勝脫貧攻堅", "要下足「繡花」功", 349},
	{77, "蘭坪:幫貧解困下足繡花功夫", "聚焦區位性貧困、", 434},
	{79, "河西區把文明作為主導城區發展的靈魂 用繡花功夫提升城區文明", "那麼,河西區如何", 429},
	{81, "全力打造「城市客廳」 蘇州以「繡花功夫」細化城市治理", "在「歷史遺留的退", 454},
	{83, "用「繡花功夫」為老服務 長三角民政論壇在湖州召開", "這些流傳在長三角", 444},
	{85, "惠民縣桑落墅鎮:以「繡花「功夫做實「脫貧攻堅「文章「", "「在這場脫貧攻堅", 354},
	{87, "文明寶雞我的家丨高新執法大隊用繡花功夫推動創文再提升", "文明寶雞我的家丨", 134},
	{89, "破「皮」重圓丨顯微鏡下的繡花功夫", "破「皮」重圓丨顯", 104},
	{91, "閬中播報丨0312", "本人長期從事政府", 403},
};

/* ---------------------------------------------------------------------------
 * utf8_repair
 */

#define FFFD "\xEF\xBF\xBD"

static const struct repair_case {
	const char *in;
	size_t in_n;
	const char *out;
	size_t out_n;
	size_t nbad, first_bad;
} repair_cases[] = {
#define CASE(in, out, nbad, first)                                  \
	{                                                           \
		in, sizeof in - 1, out, sizeof out - 1, nbad, first \
	}
	CASE("", "", 0, 0),
	CASE("abc", "abc", 0, 0),
	CASE("a\0b", "a\0b", 0, 0), /* NUL is data */
	CASE("\xE4\xB8\xAD\xE6\x96\x87", "\xE4\xB8\xAD\xE6\x96\x87", 0, 0),
	CASE("\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", 0, 0),		    /* U+1F600 */
	CASE("\xED\x9F\xBF\xEE\x80\x80", "\xED\x9F\xBF\xEE\x80\x80", 0, 0), /* D7FF E000 */
	CASE("\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF", 0, 0),		    /* U+10FFFF */
	CASE(FFFD, FFFD, 0, 0),	  /* a real U+FFFD stays */
	CASE("\x80", FFFD, 1, 0), /* stray continuation */
	CASE("a\xBF\xBF"
	     "b",
	     "a" FFFD FFFD "b", 2, 1),
	CASE("\xC0\xAF", FFFD FFFD, 2, 0),		     /* C0 never valid */
	CASE("\xC1\xBF", FFFD FFFD, 2, 0),		     /* C1 never valid */
	CASE("\xE0\x80\xAF", FFFD FFFD FFFD, 3, 0),	     /* overlong */
	CASE("\xF0\x80\x80\xAF", FFFD FFFD FFFD FFFD, 4, 0), /* overlong */
	CASE("\xED\xA0\x80", FFFD FFFD FFFD, 3, 0),	     /* surrogate D800 */
	CASE("\xED\xBF\xBF", FFFD FFFD FFFD, 3, 0),	     /* surrogate DFFF */
	CASE("\xF4\x90\x80\x80", FFFD FFFD FFFD FFFD, 4, 0), /* above U+10FFFF */
	CASE("\xF5\x80\x80\x80", FFFD FFFD FFFD FFFD, 4, 0),
	CASE("x\xFE\xFFy", "x" FFFD FFFD "y", 2, 1),
	CASE("\xC2", FFFD, 1, 0),     /* truncated at the end */
	CASE("\xE4\xB8", FFFD, 1, 0), /* maximal subpart: one */
	CASE("\xE4\xB8x", FFFD "x", 1, 0),
	CASE("\xF0\x9F\x98"
	     "a",
	     FFFD "a", 1, 0),
	CASE("\xF0\x9F\x98\xF0\x9F\x98\x80", FFFD "\xF0\x9F\x98\x80", 1, 0),
	CASE("\xE4\x00\xAD", FFFD "\0" FFFD, 2, 0), /* NUL ends a sequence */
	/* Unicode 15, Table 3-8 (U+FFFD for maximal subparts) */
	CASE("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64",
	     "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d", 6, 1),
#undef CASE
};

static void test_utf8_repair_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof repair_cases / sizeof repair_cases[0]; i++) {
		const struct repair_case *t = &repair_cases[i];
		struct utf8_report rep = {99, 99};
		size_t n = 12345;
		char *out = utf8_repair(t->in, t->in_n, &n, &rep);

		if (n != t->out_n || memcmp(out, t->out, n) != 0 || out[n] != '\0' ||
		    rep.nbad != t->nbad || (t->nbad && rep.first_bad != t->first_bad)) {
			print_error("utf8_repair case %zu: %zu bytes, %zu bad, first at %zu\n", i,
				    n, rep.nbad, rep.first_bad);
			fail();
		}
		free(out);
	}
}

static void test_utf8_repair_linear_and_null_report(void **state)
{
	size_t n = 1u << 20, out_n, i;
	char *in = xmalloc(n);
	char *out;

	(void)state;
	for (i = 0; i < n; i++)
		in[i] = i % 3 == 0 ? (char)0xE4 : i % 3 == 1 ? (char)0x80 : 'x';
	/* E4 80 x ...: each group is one truncated subpart and an x; one E4 is left over */
	out = utf8_repair(in, n, &out_n, NULL);
	assert_int_equal(out_n, (n / 3) * 4 + (n % 3 ? 3 : 0));
	free(out);
	free(in);
}

/* The valid prefix, by stepping with utf8_decode: what utf8_valid_prefix must give. */
static size_t reference_valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		if (cp == UTF8_BAD)
			return i;
		i += k;
	}
	return n;
}

/* utf8_valid_prefix's fast paths (ASCII words, 3-byte sequences) agree with stepping
 * code point by code point, on texts mixing every kind of byte, cut anywhere. */
static void test_utf8_valid_prefix(void **state)
{
	static const char *const pieces[] = {
		"a",
		"abcdefghij",
		"中",
		"繡花",
		"é",
		"😀",
		"\xED\x9F\xBF",
		"\xED\xA0\x80",
		"\xE0\xA0\x80",
		"\xE0\x9F\xBF",
		"\xF4\x8F\xBF\xBF",
		"\xF4\x90\x80\x80",
		"\xC0\xAF",
		"\x80",
		"\xFF",
		"\xE4\xB8",
		"\xEF\xBF\xBD",
		"\xEF\xBB\xBF",
		"\r\n",
	};
	unsigned seed = 12345;
	unsigned char buf[256];
	(void)state;

	for (int round = 0; round < 20000; round++) {
		size_t n = 0;
		while (n < 200) {
			seed = seed * 1103515245u + 12345u;
			const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
			/* Mostly valid pieces, so that the invalid one can come late. */
			if (((seed >> 8) & 7) != 0 && (p[0] & 0x80) && !strcmp(p, "\xFF"))
				continue;
			size_t len = strlen(p);
			memcpy(buf + n, p, len);
			n += len;
		}
		seed = seed * 1103515245u + 12345u;
		size_t cut = (seed >> 16) % (n + 1);
		assert_int_equal(utf8_valid_prefix(buf, cut), reference_valid_prefix(buf, cut));
	}
	/* All of the seed is valid. */
	size_t len;
	char *seed_text = test_read_seed(&len);
	assert_int_equal(utf8_valid_prefix((const unsigned char *)seed_text, len), len);
	free(seed_text);
}

/* Check utf8_valid_prefix and utf8_valid_prefix_scalar against stepping on s[0..n). */
static void check_valid_prefix(const unsigned char *s, size_t n)
{
	size_t want = reference_valid_prefix(s, n), got = utf8_valid_prefix(s, n);

	if (got != want || utf8_valid_prefix_scalar(s, n) != want) {
		print_error("valid prefix of %zu bytes: %zu (scalar %zu), not %zu\n", n, got,
			    utf8_valid_prefix_scalar(s, n), want);
		fail();
	}
}

/* Bytes at the edges of UTF-8's ranges: leads, continuations, never-valid bytes. */
static const unsigned char edge_bytes[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF,
					   0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE,
					   0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
#define NEDGE (sizeof edge_bytes / sizeof edge_bytes[0])

/* The vector validator (32 bytes at a time) gives the scalar one's length on hostile
 * texts: every four edge bytes, and every pair of bytes, planted in CJK text before,
 * across and after a 32-byte block boundary, the text cut there or running on. */
static void test_utf8_valid_prefix_blocks(void **state)
{
	unsigned char buf[160];
	static const size_t at[] = {0, 29, 30, 31, 32, 33, 61, 63, 64, 95, 124};

	(void)state;
	for (size_t i = 0; i + 3 <= sizeof buf; i += 3)
		memcpy(buf + i, "\xE4\xB8\xAD", 3); /* 中 */
	buf[sizeof buf - 2] = buf[sizeof buf - 1] = 'x';
	for (size_t a = 0; a < sizeof at / sizeof at[0]; a++) {
		unsigned char t[sizeof buf];
		for (size_t k = 0; k < NEDGE * NEDGE * NEDGE * NEDGE; k++) {
			size_t q = k;
			memcpy(t, buf, sizeof t);
			for (size_t j = 0; j < 4; j++, q /= NEDGE)
				t[at[a] + j] = edge_bytes[q % NEDGE];
			check_valid_prefix(t, sizeof t);
			if (k % 97 == 0)
				check_valid_prefix(t, at[a] + 1 + k % 4); /* cut in the middle */
		}
		for (unsigned k = 0; k < 65536; k++) {
			memcpy(t, buf, sizeof t);
			t[at[a]] = (unsigned char)(k >> 8);
			t[at[a] + 1] = (unsigned char)k;
			check_valid_prefix(t, sizeof t);
		}
	}
}

/* The same on long random texts: valid pieces (ASCII runs, CJK, two- and four-byte
 * code points) with a hostile byte now and then, at any length and any alignment. */
static void test_utf8_valid_prefix_random(void **state)
{
	static const char *const pieces[] = {"abcdefghijklmnopqrstuvwxyz0123456",
					     "中文新聞",
					     "é",
					     "😀",
					     "\xEF\xBF\xBD",
					     "\xED\x9F\xBF",
					     "\xF4\x8F\xBF\xBF",
					     " "};
	unsigned char *buf = xmalloc(5000);
	unsigned seed = 777;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t n = 0, len = 64 + round % 4000;
		while (n + 40 < len) {
			seed = seed * 1103515245u + 12345u;
			const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
			memcpy(buf + n, p, strlen(p));
			n += strlen(p);
		}
		seed = seed * 1103515245u + 12345u;
		if ((seed >> 16) % 3 == 0) { /* a random byte, anywhere */
			seed = seed * 1103515245u + 12345u;
			buf[(seed >> 8) % n] = (unsigned char)(seed >> 3);
		}
		check_valid_prefix(buf + round % 7, n - round % 7);
	}
	for (int round = 0; round < 2000; round++) { /* random bytes: mostly invalid early */
		size_t n = 64 + (size_t)round;
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (unsigned char)(seed >> 16);
			if ((seed >> 8) % 4)
				buf[i] &= 0x7F; /* mostly ASCII, so that an error comes late */
		}
		check_valid_prefix(buf, n);
	}
	free(buf);
}

/* ---------------------------------------------------------------------------
 * Parsing
 */

static void test_seed_parse(void **state)
{
	struct collection c;
	struct article *a;
	size_t n, i;
	char *bytes = read_file(SEED_PATH, &n);

	(void)state;
	collection_init(&c);
	assert_true(fmt_native_add_buffer(&c, SEED_PATH, "000_bc5b92f142057c5b", bytes, n));
	free(bytes); /* the collection keeps its own copy */
	assert_int_equal(c.articles.n, 1);
	a = c.articles.v[0];
	assert_int_equal(a->kind, ARTICLE_FULL);
	assert_string_equal(a->id, "000_bc5b92f142057c5b");
	assert_string_equal(a->path, SEED_PATH);
	assert_str_eq(a->title, "四川新聞丨做實社會治理 閬中下足繡花功夫");
	assert_str_eq(a->date, "2020-11-21");
	assert_str_eq(a->source, "四川觀察");
	assert_true(str_starts(a->body, "昨天(20日),全國精神文明建設表彰大會"));
	assert_true(a->body.n > 3000);
	assert_memory_equal(a->body.p + a->body.n - strlen("能力和水平。"), "能力和水平。",
			    strlen("能力和水平。"));
	assert_null(memmem(a->body.p, a->body.n, "相關焦點", strlen("相關焦點")));
	assert_null(memmem(a->body.p, a->body.n, "•", strlen("•")));
	assert_int_equal(a->related.n, sizeof seed_related / sizeof seed_related[0]);
	assert_int_equal(a->related.n, 20);
	for (i = 0; i < a->related.n; i++) {
		const struct related *r = &a->related.v[i];

		assert_str_eq(r->headline, seed_related[i].headline);
		assert_int_equal(r->line, seed_related[i].line);
		assert_true(str_starts(r->snippet, seed_related[i].snippet_start));
		assert_int_equal(r->snippet.n, seed_related[i].snippet_len);
		assert_int_equal(r->target, RELATED_NONE);
	}
	assert_int_equal(c.diags.n, 0);
	collection_free(&c);
}

static void test_seed_finish(void **state)
{
	struct collection c;
	struct article *seed;
	size_t n, i, j;
	char *bytes = read_file(SEED_PATH, &n);

	(void)state;
	collection_init(&c);
	assert_true(fmt_native_add_buffer(&c, SEED_PATH, "000_bc5b92f142057c5b", bytes, n));
	free(bytes);
	collection_finish(&c);
	check_invariants(&c);
	/* The 20 headlines have 20 distinct keys and none is the seed's own title:
	 * 1 full article + 20 excerpts. */
	assert_int_equal(c.articles.n, 21);
	seed = c.articles.v[0];
	assert_int_equal(seed->kind, ARTICLE_FULL);
	assert_int_equal(seed->backlinks.n, 0);
	for (i = 0; i < 20; i++) {
		struct article *e = c.articles.v[1 + i];
		const struct related *r = &seed->related.v[i];

		assert_int_equal(r->target, e->pos); /* excerpts in citation order */
		assert_int_equal(e->kind, ARTICLE_EXCERPT);
		assert_str_eq(e->title, seed_related[i].headline);
		assert_true(e->body.p == r->snippet.p && e->body.n == r->snippet.n);
		assert_int_equal(e->backlinks.n, 1);
		assert_ptr_equal(c.articles.v[e->backlinks.v[0]], seed);
		for (j = 0; j < i; j++)
			assert_ptr_not_equal(c.articles.v[seed->related.v[j].target], e);
	}
	/* One unresolved diag per reference, at the headline's line. */
	assert_int_equal(c.diags.n, 20);
	for (i = 0; i < 20; i++) {
		assert_string_equal(c.diags.v[i].file, SEED_PATH);
		assert_int_equal(c.diags.v[i].line, seed_related[i].line);
		assert_non_null(strstr(c.diags.v[i].msg, "unresolved related headline: "));
		assert_non_null(strstr(c.diags.v[i].msg, seed_related[i].headline));
	}
	assert_excerpt_id(c.articles.v[6], "下足繡花功夫提升人居品質");
	/* truncated headlines are keyed without their dots */
	assert_excerpt_id(c.articles.v[9], "閬中獲2018全國社會治理創新示範市稱號");
	assert_excerpt_id(c.articles.v[7],
			  "念好「四字訣」下足真功夫丨香坊區高質量完成非公有制企業和社會");
	assert_ptr_equal(collection_find(&c, "000_bc5b92f142057c5b"), seed);
	assert_ptr_equal(collection_find(&c, "閬中播報丨0312"), c.articles.v[20]);
	assert_ptr_equal(collection_find(&c, c.articles.v[5]->id), c.articles.v[5]);
	collection_free(&c);
}

static const char *const line_end_variants[] = {
	/* CRLF */
	"標題 \r\n\r\n2021-01-02 來源 \r\n\r\n\xE3\x80\x80\xE3\x80\x80第一段\r\n續行\r\n\r\n\r\n"
	"  第二段  \r\n\r\n相關焦點\r\n  • 標題甲 \r\n    摘要甲 \r\n  • 標題乙\r\n",
	/* CR only */
	"標題 \r\r2021-01-02 來源 \r\r\xE3\x80\x80\xE3\x80\x80第一段\r續行\r\r\r"
	"  第二段  \r\r相關焦點\r  • 標題甲 \r    摘要甲 \r  • 標題乙\r",
	/* LF, with a BOM */
	"\xEF\xBB\xBF標題 \n\n2021-01-02 來源 \n\n\xE3\x80\x80\xE3\x80\x80第一段\n續行\n\n\n"
	"  第二段  \n\n相關焦點\n  • 標題甲 \n    摘要甲 \n  • 標題乙",
	/* BOM and CRLF, no final line end */
	"\xEF\xBB\xBF標題 \r\n\r\n2021-01-02 來源 "
	"\r\n\r\n\xE3\x80\x80\xE3\x80\x80第一段\r\n續行\r\n"
	"\r\n\r\n  第二段  \r\n\r\n相關焦點\r\n  • 標題甲 \r\n    摘要甲 \r\n  • 標題乙",
};

static void test_line_ends_and_bom(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof line_end_variants / sizeof line_end_variants[0]; i++) {
		struct collection c;
		struct article *a;

		current_case = i;
		collection_init(&c);
		a = add(&c, "v", line_end_variants[i]);
		assert_str_eq(a->title, "標題");
		assert_str_eq(a->date, "2021-01-02");
		assert_str_eq(a->source, "來源");
		/* the paragraph keeps its indentation; runs of blank lines are kept inside */
		assert_str_eq(a->body, "\xE3\x80\x80\xE3\x80\x80第一段\n續行\n\n\n  第二段");
		assert_int_equal(a->related.n, 2);
		assert_str_eq(a->related.v[0].headline, "標題甲");
		assert_str_eq(a->related.v[0].snippet, "摘要甲");
		assert_int_equal(a->related.v[0].line, 12);
		assert_str_eq(a->related.v[1].headline, "標題乙");
		assert_str_eq(a->related.v[1].snippet, "");
		assert_int_equal(a->related.v[1].line, 14);
		assert_int_equal(c.diags.n, 0);
		collection_free(&c);
	}
}

static void test_missing_date_line(void **state)
{
	struct collection c;
	struct article *a;

	(void)state;
	collection_init(&c);
	a = add(&c, "m", "標題\n\n第一段,沒有日期。\n\n第二段\n");
	assert_str_eq(a->title, "標題");
	assert_str_eq(a->date, "");
	assert_str_eq(a->source, "");
	assert_non_null(a->date.p);
	assert_str_eq(a->body, "第一段,沒有日期。\n\n第二段");
	assert_int_equal(a->related.n, 0);

	/* not quite dates: the line is the first paragraph */
	a = add(&c, "m2", "標題\n2020-11-21四川觀察\n");
	assert_str_eq(a->date, "");
	assert_str_eq(a->body, "2020-11-21四川觀察");
	a = add(&c, "m3", "標題\n\n2020-1-21 四川觀察\n\n段落\n");
	assert_str_eq(a->body, "2020-1-21 四川觀察\n\n段落");
	/* a date without a source; a full-width space before the source */
	a = add(&c, "m4", "標題\n\n2020-11-21\n\n段落\n");
	assert_str_eq(a->date, "2020-11-21");
	assert_str_eq(a->source, "");
	assert_str_eq(a->body, "段落");
	a = add(&c, "m5", "標題\n2020-11-21\xE3\x80\x80新華社\xE3\x80\x80\n段落\n");
	assert_str_eq(a->date, "2020-11-21");
	assert_str_eq(a->source, "新華社");
	/* title only */
	a = add(&c, "m6", "只有標題");
	assert_str_eq(a->title, "只有標題");
	assert_str_eq(a->body, "");
	assert_non_null(a->body.p);
	/* --check reports the lines that are no date line, at their line */
	assert_int_equal(c.diags.n, 3);
	assert_int_equal(
		count_diags(&c, "m",
			    "no date line (YYYY-MM-DD SOURCE): read as the first paragraph"),
		1);
	assert_int_equal(diag_line(&c, "m", "no date line"), 3);
	assert_int_equal(count_diags(&c, "m2", "no date line"), 1);
	assert_int_equal(diag_line(&c, "m2", "no date line"), 2);
	assert_int_equal(count_diags(&c, "m3", "no date line"), 1);

	/* a date line whose date is no day: undated, the source kept, not in the body */
	a = add(&c, "d1", "標題\n\n2020-02-30 四川觀察\n\n段落\n");
	assert_str_eq(a->date, "");
	assert_str_eq(a->source, "四川觀察");
	assert_str_eq(a->body, "段落");
	assert_int_equal(count_diags(&c, "d1", "no such day: 2020-02-30: the article is undated"),
			 1);
	a = add(&c, "d2", "標題\n\n2024-02-29 甲\n\n段落\n"); /* a leap year */
	assert_str_eq(a->date, "2024-02-29");
	a = add(&c, "d3", "標題\n\n2100-02-29 甲\n\n段落\n"); /* not one */
	assert_str_eq(a->date, "");
	assert_int_equal(count_diags(&c, "d3", "no such day"), 1);
	a = add(&c, "d4", "標題\n\n2020-13-01 甲\n\n段落\n");
	assert_int_equal(count_diags(&c, "d4", "no such day"), 1);
	assert_int_equal(c.diags.n, 6);
	collection_free(&c);
}

static void test_blank_runs_and_trailing_space(void **state)
{
	struct collection c;
	struct article *a;

	(void)state;
	collection_init(&c);
	a = add(&c, "b",
		"\n \n\n標題 \t\xE3\x80\x80\n\n\n\n2020-01-01   新聞網 \t\n\n\n\n\n"
		"段落一 \n\n\n\n段落二\n\n \n\t\n"
		"\n\n\xE3\x80\x80相关焦点 \t\n\n\n"
		"  • 頭條一  \n\n"
		"\t•頭條二\t\n"
		"      摘要二  \xE3\x80\x80\n"
		"\n\n");
	assert_str_eq(a->title, "標題");
	assert_str_eq(a->date, "2020-01-01");
	assert_str_eq(a->source, "新聞網");
	assert_str_eq(a->body, "段落一 \n\n\n\n段落二");
	assert_int_equal(a->related.n, 2);
	assert_str_eq(a->related.v[0].headline, "頭條一");
	assert_str_eq(a->related.v[0].snippet, "");
	assert_str_eq(a->related.v[1].headline, "頭條二");
	assert_str_eq(a->related.v[1].snippet, "摘要二");
	assert_int_equal(a->related.v[1].line, 28);
	assert_int_equal(c.diags.n, 0);
	collection_free(&c);
}

static void test_related_section_shapes(void **state)
{
	struct collection c;
	struct article *a;

	(void)state;
	collection_init(&c);
	/* header with nothing after it */
	a = add(&c, "h1", "標題\n\n2020-01-01 來源\n\n段落\n\n相關焦點\n");
	assert_str_eq(a->body, "段落");
	assert_int_equal(a->related.n, 0);
	/* header right after the date: empty body */
	a = add(&c, "h2", "標題\n\n2020-01-01 來源\n\n相關焦點\n  • 甲\n");
	assert_str_eq(a->body, "");
	assert_int_equal(a->related.n, 1);
	/* entries without snippets, an empty bullet, stray text, a second indented line */
	a = add(&c, "h3",
		"標題\n\n段落\n\n相關焦點\n"
		"  • 甲\n"
		"  • 乙\n"
		"    摘要乙\n"
		"    多餘的一行\n"
		"  •   \n"
		"沒有縮排的雜訊\n"
		"    不屬於任何頭條\n"
		"• 丙\n");
	assert_int_equal(a->related.n, 3);
	assert_str_eq(a->related.v[0].headline, "甲");
	assert_str_eq(a->related.v[0].snippet, "");
	assert_str_eq(a->related.v[1].headline, "乙");
	assert_str_eq(a->related.v[1].snippet, "摘要乙");
	assert_str_eq(a->related.v[2].headline, "丙");
	assert_str_eq(a->related.v[2].snippet, "");
	assert_int_equal(a->related.v[2].line, 13);
	/* a body line mentioning the header words is not the header */
	a = add(&c, "h4", "標題\n\n關於相關焦點的段落\n\n相關焦點\n  • 甲\n");
	assert_str_eq(a->body, "關於相關焦點的段落");
	assert_int_equal(a->related.n, 1);
	assert_int_equal(diags_besides_dates(&c), 0);
	collection_free(&c);
}

static void test_no_title(void **state)
{
	static const char *const empty[] = {
		"", "\n", "\r\n\r\n", "   \t\n\xE3\x80\x80\n", "\xEF\xBB\xBF", "\xEF\xBB\xBF\n \n"};
	struct collection c;
	size_t i;

	(void)state;
	collection_init(&c);
	for (i = 0; i < sizeof empty / sizeof empty[0]; i++) {
		char name[32];

		snprintf(name, sizeof name, "empty%zu.txt", i);
		assert_false(fmt_native_add_buffer(&c, name, "e", empty[i], strlen(empty[i])));
		assert_int_equal(count_diags(&c, name, "no title"), 1);
		/* the message says which: nothing at all, or only white space */
		assert_int_equal(
			count_diags(&c, name, i == 0 || i == 4 ? "empty file" : "only white space"),
			1);
	}
	assert_int_equal(c.articles.n, 0);
	assert_int_equal(c.buffers.n, 0);
	assert_int_equal(c.diags.n, sizeof empty / sizeof empty[0]);
	assert_int_equal(c.diags.v[0].line, 0);
	collection_finish(&c);
	assert_int_equal(c.articles.n, 0);
	collection_free(&c);
}

static void test_invalid_utf8_repaired(void **state)
{
	static const char text[] =
		"標題\r\n\r\n2020-01-01 來源\r\n\r\n好\r\n壞\xFF的 \xC0\xAF 字\n";
	struct collection c;
	struct article *a;
	const struct diag *d;

	(void)state;
	collection_init(&c);
	assert_true(fmt_native_add_buffer(&c, "bad.txt", "bad", text, sizeof text - 1));
	a = c.articles.v[0];
	assert_str_eq(a->body, "好\n壞" FFFD "的 " FFFD FFFD " 字");
	assert_int_equal(c.diags.n, 1);
	d = &c.diags.v[0];
	assert_string_equal(d->file, "bad.txt");
	assert_int_equal(d->line, 6);
	/* offset of \xFF in the original bytes: 標題\r\n\r\n = 10, date line + CRLF CRLF
	 * = 17 + 4, 好\r\n = 5, 壞 = 3 */
	assert_non_null(strstr(d->msg, "invalid UTF-8 repaired at byte offset 39"));
	assert_non_null(strstr(d->msg, "3 invalid sequences"));

	/* a bad byte in the title, NUL bytes kept as data */
	assert_true(fmt_native_add_buffer(&c, "t.txt", "t", "\x80T\0X\n\nbody\0\n", 12));
	a = c.articles.v[1];
	assert_int_equal(a->title.n, 6);
	assert_memory_equal(a->title.p, FFFD "T\0X", 6);
	assert_int_equal(a->body.n, 5);
	assert_memory_equal(a->body.p, "body\0", 5);
	assert_int_equal(count_diags(&c, "t.txt", "byte offset 0 (1 invalid sequence)"), 1);
	assert_int_equal(diag_line(&c, "t.txt", "invalid UTF-8"), 1);
	collection_free(&c);
}

static void test_utf16_utf32_refused(void **state)
{
	/* "T\n" in each encoding, after its byte-order mark */
	static const struct {
		const char *bytes;
		size_t n;
		const char *enc;
	} cases[] = {
		{"\xFF\xFET\0\n\0", 6, "looks like UTF-16LE"},
		{"\xFE\xFF\0T\0\n", 6, "looks like UTF-16BE"},
		{"\xFF\xFE\0\0T\0\0\0\n\0\0\0", 12, "looks like UTF-32LE"},
		{"\0\0\xFE\xFF\0\0\0T\0\0\0\n", 12, "looks like UTF-32BE"},
		{"\xFF\xFE", 2, "looks like UTF-16LE"},
	};
	struct collection c;
	size_t i;

	(void)state;
	collection_init(&c);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char name[32];

		snprintf(name, sizeof name, "wide%zu.txt", i);
		assert_false(fmt_native_add_buffer(&c, name, "w", cases[i].bytes, cases[i].n));
		assert_int_equal(count_diags(&c, name, cases[i].enc), 1);
		assert_int_equal(count_diags(&c, name, "not supported"), 1);
	}
	assert_int_equal(c.articles.n, 0);
	assert_int_equal(c.buffers.n, 0);
	assert_int_equal(c.diags.n, sizeof cases / sizeof cases[0]);

	/* a lone 0xFF or 0xFE, or FE FF later in the file, is invalid UTF-8 and repaired */
	assert_true(fmt_native_add_buffer(&c, "ff.txt", "ff", "\xFFT\n", 3));
	assert_int_equal(count_diags(&c, "ff.txt", "invalid UTF-8 repaired"), 1);
	assert_true(fmt_native_add_buffer(&c, "late.txt", "late", "T\xFE\xFF\n", 4));
	assert_int_equal(count_diags(&c, "late.txt", "invalid UTF-8 repaired"), 1);
	assert_int_equal(c.articles.n, 2);
	collection_free(&c);
}

static void test_related_cap(void **state)
{
	struct collection c;
	struct article *a;
	char *text = xmalloc(1u << 20);
	size_t n, i;

	(void)state;
	n = (size_t)sprintf(text, "標題\n\n相關焦點\n");
	for (i = 0; i < 10000; i++)
		n += (size_t)sprintf(text + n, "  • 頭條%zu\n    摘要%zu\n", i, i);
	collection_init(&c);
	assert_true(fmt_native_add_buffer(&c, "many.txt", "many", text, n));
	free(text);
	a = c.articles.v[0];
	assert_int_equal(a->related.n, 1000);
	assert_str_eq(a->related.v[999].headline, "頭條999");
	assert_str_eq(a->related.v[999].snippet, "摘要999");
	assert_int_equal(count_diags(&c, "many.txt", "only the first 1000"), 1);
	assert_int_equal(diags_besides_dates(&c), 1);
	assert_int_equal(diag_line(&c, NULL, "only the first"), 4 + 2 * 1000);
	collection_finish(&c);
	check_invariants(&c);
	assert_int_equal(c.articles.n, 1001);
	collection_free(&c);
}

/* ---------------------------------------------------------------------------
 * Resolution, excerpts, backlinks, order
 */

static void test_resolve_exact_nfkc_whitespace(void **state)
{
	struct collection c;
	struct article *a, *b, *d, *citer;

	(void)state;
	collection_init(&c);
	a = add_citing(&c, "a", "2020-01-03", "甲乙丙", NULL);
	b = add_citing(&c, "b", "2020-01-02", "ＡＢＣ新聞:全形", NULL);
	d = add_citing(&c, "d", "2020-01-01", "春 天\xE3\x80\x80來了", NULL);
	citer = add_citing(&c, "z", NULL, "引用者", "甲乙丙", "ABC新聞:全形", "春天 來 了",
			   "  甲乙丙  ", NULL);
	collection_finish(&c);
	check_invariants(&c);
	assert_int_equal(diags_besides_dates(&c), 0);
	assert_int_equal(c.articles.n, 4);
	assert_ptr_equal(c.articles.v[citer->related.v[0].target], a);
	assert_ptr_equal(c.articles.v[citer->related.v[1].target], b);
	assert_ptr_equal(c.articles.v[citer->related.v[2].target], d);
	assert_ptr_equal(c.articles.v[citer->related.v[3].target], a);
	assert_int_equal(a->backlinks.n, 1); /* cited twice, listed once */
	assert_ptr_equal(c.articles.v[a->backlinks.v[0]], citer);
	assert_int_equal(b->backlinks.n, 1);
	assert_int_equal(d->backlinks.n, 1);
	assert_int_equal(citer->backlinks.n, 0);
	collection_free(&c);
}

static void test_resolve_truncated_prefix(void **state)
{
	struct collection c;
	struct article *a, *b, *citer;

	(void)state;
	collection_init(&c);
	a = add_citing(&c, "a", "2020-01-02", "長江大橋通車典禮今日舉行", NULL);
	b = add_citing(&c, "b", "2020-01-01", "他說……", NULL);
	add_citing(&c, "c1", "2019-01-01", "北京新聞一", NULL);
	add_citing(&c, "c2", "2019-01-01", "北京新聞二", NULL);
	citer = add_citing(&c, "z", NULL, "引用者", "長江大橋通車...", "長江 大橋通車典禮…",
			   "長江大橋通車典禮今日舉行......", "他說…", "北京新聞...", NULL);
	collection_finish(&c);
	check_invariants(&c);
	assert_ptr_equal(c.articles.v[citer->related.v[0].target], a);
	assert_ptr_equal(c.articles.v[citer->related.v[1].target], a);
	assert_ptr_equal(c.articles.v[citer->related.v[2].target], a);
	assert_ptr_equal(c.articles.v[citer->related.v[3].target], b);
	/* two titles start with 北京新聞: ambiguous, shown as an excerpt */
	assert_int_equal(c.articles.v[citer->related.v[4].target]->kind, ARTICLE_EXCERPT);
	assert_str_eq(c.articles.v[citer->related.v[4].target]->title, "北京新聞...");
	assert_str_eq(c.articles.v[citer->related.v[4].target]->body, "摘要:北京新聞...");
	assert_excerpt_id(c.articles.v[citer->related.v[4].target], "北京新聞");
	assert_int_equal(diags_besides_dates(&c), 1);
	assert_int_equal(count_diags(&c, "z", "ambiguous related headline: 北京新聞..."), 1);
	assert_int_equal(diag_line(&c, NULL, "ambiguous"), citer->related.v[4].line);
	assert_int_equal(diag_line(&c, NULL, "ambiguous"), 14);
	assert_int_equal(c.articles.n, 6);
	collection_free(&c);
}

static void test_resolve_duplicate_titles_ambiguous(void **state)
{
	struct collection c;
	struct article *citer, *e;

	(void)state;
	collection_init(&c);
	add_citing(&c, "a", "2020-01-02", "同名新聞", NULL);
	add_citing(&c, "b", "2020-01-01", "同名新聞", NULL);
	citer = add_citing(&c, "z", NULL, "引用者", "同名新聞", NULL);
	collection_finish(&c);
	check_invariants(&c);
	e = c.articles.v[citer->related.v[0].target];
	assert_int_equal(e->kind, ARTICLE_EXCERPT);
	assert_int_equal(count_diags(&c, "z", "ambiguous related headline: 同名新聞"), 1);
	assert_int_equal(diags_besides_dates(&c), 1);
	assert_ptr_equal(c.articles.v[3], e);
	assert_int_equal(e->backlinks.n, 1);
	/* collection_find by exact title gives the first in list order */
	assert_ptr_equal(collection_find(&c, "同名新聞"), c.articles.v[0]);
	assert_string_equal(c.articles.v[0]->id, "a");
	collection_free(&c);
}

static void test_excerpt_shared(void **state)
{
	struct collection c;
	struct article *b, *d, *e, *t;

	(void)state;
	collection_init(&c);
	b = add_citing(&c, "b", "2020-01-02", "乙", "不存在的新聞", "缺失標題...", NULL);
	d = add_citing(&c, "d", "2020-01-01", "丁", "不存在的 新聞", "缺失標題…", "缺失標題......",
		       NULL);
	collection_finish(&c);
	check_invariants(&c);
	assert_int_equal(c.articles.n, 4);
	e = c.articles.v[b->related.v[0].target];
	t = c.articles.v[b->related.v[1].target];
	assert_ptr_equal(c.articles.v[d->related.v[0].target], e);
	assert_ptr_equal(c.articles.v[d->related.v[1].target], t);
	assert_ptr_equal(c.articles.v[d->related.v[2].target], t);
	assert_ptr_equal(c.articles.v[2], e);
	assert_ptr_equal(c.articles.v[3], t);
	assert_int_equal(e->kind, ARTICLE_EXCERPT);
	assert_str_eq(e->title, "不存在的新聞"); /* as the first citer wrote it */
	assert_str_eq(e->body, "摘要:不存在的新聞");
	assert_int_equal(e->backlinks.n, 2);
	assert_ptr_equal(c.articles.v[e->backlinks.v[0]], b);
	assert_ptr_equal(c.articles.v[e->backlinks.v[1]], d);
	assert_int_equal(t->backlinks.n, 2);
	assert_excerpt_id(e, "不存在的新聞");
	assert_excerpt_id(t, "缺失標題");
	/* one unresolved diag per reference */
	assert_int_equal(count_diags(&c, "b", "unresolved related headline: "), 2);
	assert_int_equal(count_diags(&c, "d", "unresolved related headline: "), 3);
	assert_int_equal(
		count_diags(&c, "d",
			    "unresolved related headline: 缺失標題… (shown as an excerpt)"),
		1);
	assert_int_equal(c.diags.n, 5);
	assert_ptr_equal(collection_find(&c, e->id), e);
	assert_ptr_equal(collection_find(&c, "不存在的新聞"), e);
	collection_free(&c);
}

static void test_self_link_and_cycles(void **state)
{
	struct collection c;
	struct article *s, *a, *b, *x, *y, *z;

	(void)state;
	collection_init(&c);
	s = add_citing(&c, "s", "2020-01-07", "自己", "自己", NULL);
	a = add_citing(&c, "a", "2020-01-06", "兩環甲", "兩環乙", NULL);
	b = add_citing(&c, "b", "2020-01-05", "兩環乙", "兩環甲", "兩環甲", NULL);
	x = add_citing(&c, "x", "2020-01-04", "三環甲", "三環乙", NULL);
	y = add_citing(&c, "y", "2020-01-03", "三環乙", "三環丙", NULL);
	z = add_citing(&c, "z", "2020-01-02", "三環丙", "三環甲", "自己", NULL);
	collection_finish(&c);
	check_invariants(&c);
	assert_int_equal(c.diags.n, 0);
	assert_int_equal(c.articles.n, 6);
	assert_ptr_equal(c.articles.v[s->related.v[0].target], s);
	assert_int_equal(s->backlinks.n, 1);
	assert_ptr_equal(c.articles.v[s->backlinks.v[0]], z);
	assert_ptr_equal(c.articles.v[a->related.v[0].target], b);
	assert_ptr_equal(c.articles.v[b->related.v[0].target], a);
	assert_int_equal(a->backlinks.n, 1);
	assert_ptr_equal(c.articles.v[a->backlinks.v[0]], b);
	assert_int_equal(b->backlinks.n, 1);
	assert_ptr_equal(c.articles.v[b->backlinks.v[0]], a);
	assert_ptr_equal(c.articles.v[x->related.v[0].target], y);
	assert_ptr_equal(c.articles.v[y->related.v[0].target], z);
	assert_ptr_equal(c.articles.v[z->related.v[0].target], x);
	assert_ptr_equal(c.articles.v[x->backlinks.v[0]], z);
	assert_ptr_equal(c.articles.v[y->backlinks.v[0]], x);
	assert_ptr_equal(c.articles.v[z->backlinks.v[0]], y);
	assert_int_equal(x->backlinks.n + y->backlinks.n + z->backlinks.n, 3);
	collection_free(&c);
}

static void test_list_order(void **state)
{
	static const char *const want[] = {"m", "a", "b", "c", "z"};
	struct collection c;
	size_t i;

	(void)state;
	collection_init(&c);
	add_citing(&c, "z", NULL, "無日期乙", "外三", NULL);
	add_citing(&c, "b", "2020-01-02", "同日乙", "外一", NULL);
	add_citing(&c, "c", NULL, "無日期甲", NULL);
	add_citing(&c, "a", "2020-01-02", "同日甲", "外一", "外二", NULL);
	add_citing(&c, "m", "2021-05-01", "最新", "外二", NULL);
	collection_finish(&c);
	check_invariants(&c);
	assert_int_equal(c.articles.n, 8);
	for (i = 0; i < 5; i++)
		assert_string_equal(c.articles.v[i]->id, want[i]);
	/* excerpts in order of first citation, walking the sorted list */
	assert_str_eq(c.articles.v[5]->title, "外二");
	assert_str_eq(c.articles.v[6]->title, "外一");
	assert_str_eq(c.articles.v[7]->title, "外三");
	assert_int_equal(c.articles.v[5]->backlinks.n, 2);
	assert_string_equal(c.articles.v[c.articles.v[5]->backlinks.v[0]]->id, "m");
	assert_string_equal(c.articles.v[c.articles.v[5]->backlinks.v[1]]->id, "a");
	assert_int_equal(collection_index(&c, c.articles.v[6]), 6);
	assert_int_equal(collection_index(&c, NULL), SIZE_MAX);
	assert_ptr_equal(collection_find(&c, "m"), c.articles.v[0]);
	assert_ptr_equal(collection_find(&c, "最新"), c.articles.v[0]);
	assert_null(collection_find(&c, "沒有這篇"));
	assert_null(collection_find(&c, "最"));
	collection_free(&c);
}

static void test_duplicate_ids(void **state)
{
	struct collection c;
	const char *t = "標題\n\n內容\n";

	(void)state;
	collection_init(&c);
	assert_true(fmt_native_add(&c, "r/2020/a.txt", "a", "2020/a", t, strlen(t)));
	assert_true(fmt_native_add(&c, "r/2021/a.txt", "a", "2021/a", t, strlen(t)));
	assert_true(fmt_native_add(&c, "s/2021/a.txt", "a", "2021/a", t, strlen(t)));
	assert_true(fmt_native_add_buffer(&c, "a.txt", "a", t, strlen(t)));
	assert_true(fmt_native_add_buffer(&c, "x.txt", "a~2", t, strlen(t)));
	collection_finish(&c);
	check_invariants(&c);
	assert_non_null(collection_find(&c, "a"));
	assert_string_equal(collection_find(&c, "a")->path, "r/2020/a.txt");
	assert_string_equal(collection_find(&c, "2021/a")->path, "r/2021/a.txt");
	assert_string_equal(collection_find(&c, "2021/a~2")->path, "s/2021/a.txt");
	assert_string_equal(collection_find(&c, "a~2")->path, "a.txt");
	assert_string_equal(collection_find(&c, "a~2~2")->path, "x.txt");
	assert_int_equal(count_diags(&c, "s/2021/a.txt", "duplicate id 2021/a: using 2021/a~2"), 1);
	assert_int_equal(count_diags(&c, "a.txt", "duplicate id a: using a~2"), 1);
	assert_int_equal(count_diags(&c, "x.txt", "duplicate id"), 1);
	assert_int_equal(diags_besides_dates(&c), 3);
	collection_free(&c);
}

/* The list of more rows than one block (cli.c: every second block made on a second
 * thread) is the lines of its articles in list order, each once. */
static void test_list_in_blocks(void **state)
{
	enum { N = 40000 }; /* three blocks, the last not full */
	struct collection c;
	char id[16], text[64];
	char *got = NULL, *want = NULL;
	size_t ngot = 0, nwant = 0;
	FILE *f;

	(void)state;
	collection_init(&c);
	for (int i = 0; i < N; i++) {
		snprintf(id, sizeof id, "n%d", i);
		snprintf(text, sizeof text, "第%d篇\n\n2020-01-%02d 來源\n\n內容\n", i, 1 + i % 28);
		add(&c, id, text);
	}
	collection_finish(&c);
	assert_non_null(f = open_memstream(&want, &nwant));
	for (size_t i = 0; i < c.articles.n; i++)
		cli_list_line(c.articles.v[i], f);
	assert_int_equal(fclose(f), 0);
	assert_non_null(f = open_memstream(&got, &ngot));
	cli_list(&c, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(ngot, nwant);
	assert_memory_equal(got, want, nwant);
	free(got);
	free(want);
	collection_free(&c);
}

/* Parts joined by runs (a file read in pieces on two threads: loader.c): their
 * articles and messages in the runs' order, whatever part each is in; those of no run
 * freed (a piece dropped); the parts left empty. */
static void test_absorb_runs(void **state)
{
	const char *t = "標題\n\n2020-01-01 來源\n\n內容\n";
	struct collection c, parts[2];
	char id[8];

	(void)state;
	collection_init(&c);
	add(&c, "before", t);
	for (int k = 0; k < 2; k++) {
		collection_init(&parts[k]);
		for (int i = 0; i < 4; i++) {
			snprintf(id, sizeof id, "%c%d", 'a' + k, i);
			add(&parts[k], id, t);
			collection_diag(&parts[k], id, 1, "about %s", id);
		}
	}
	/* a0 a1 | b0 | a2 | b1 b2; a3 and b3 in no run */
	const struct collection_run runs[] = {
		{0, 0, 2, 0, 2}, {1, 0, 1, 0, 1}, {0, 2, 1, 2, 1}, {1, 1, 2, 1, 2}};
	collection_absorb_runs(&c, parts, 2, runs, 4);
	const char *want[] = {"before", "a0", "a1", "b0", "a2", "b1", "b2"};
	assert_int_equal(c.articles.n, 7);
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(c.articles.v[i]->id, want[i]);
	assert_int_equal(c.diags.n, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(c.diags.v[i].file, want[i + 1]);
	for (int k = 0; k < 2; k++) {
		assert_int_equal(parts[k].articles.n, 0);
		assert_int_equal(parts[k].diags.n, 0);
		assert_int_equal(parts[k].buffers.n, 0);
	}
	collection_free(&c); /* and a3, b3 freed before: no leak (the sanitizer build) */
}

/* Ids made unique in a collection big enough for two threads (links.c: each id's
 * first article found in one of two maps at once): every id kept when none repeats,
 * the alternative ids consumed; a repeat found at the end, however full the maps are;
 * and the order of the load kept where it decides: an alternative id is free when no
 * article before takes it, so that the one after that has it loses it. */
static void test_duplicate_ids_at_scale(void **state)
{
	enum { N = 60000 };
	const char *t = "標題\n\n內容\n";
	char id[32], alt[32], path[48];
	struct collection c;

	(void)state;
	for (int round = 0; round < 3; round++) {
		collection_init(&c);
		for (int i = 0; i < N; i++) {
			snprintf(id, sizeof id, "f%d", i);
			snprintf(alt, sizeof alt, "g/f%d", i);
			snprintf(path, sizeof path, "r/f%d.txt", i);
			if (round == 2 && i == 40000) /* a repeat, its alternative free then */
				assert_true(fmt_native_add(&c, path, "f0", "y", t, strlen(t)));
			else if (round == 2 && i == 50000) /* the id it took */
				assert_true(fmt_native_add_buffer(&c, path, "y", t, strlen(t)));
			else
				assert_true(fmt_native_add(&c, path, id, i % 2 ? alt : NULL, t,
							   strlen(t)));
		}
		if (round == 1) /* a repeat of an early id, after all the others */
			assert_true(fmt_native_add_buffer(&c, "r/last.txt", "f10", t, strlen(t)));
		collection_finish(&c);
		check_invariants(&c);
		for (size_t i = 0; i < c.articles.n; i++)
			assert_null(c.articles.v[i]->alt_id);
		for (int i = 0; i < N; i += 997) {
			snprintf(id, sizeof id, "f%d", i);
			snprintf(path, sizeof path, "r/f%d.txt", i);
			if (round < 2 || (i != 40000 && i != 50000))
				assert_string_equal(collection_find(&c, id)->path, path);
		}
		if (round == 0) {
			assert_int_equal(c.articles.n, N);
			assert_int_equal(count_diags(&c, NULL, "duplicate id"), 0);
		}
		if (round == 1) {
			assert_string_equal(collection_find(&c, "f10")->path, "r/f10.txt");
			assert_string_equal(collection_find(&c, "f10~2")->path, "r/last.txt");
			assert_int_equal(
				count_diags(&c, "r/last.txt", "duplicate id f10: using f10~2"), 1);
		}
		if (round == 2) {
			assert_string_equal(collection_find(&c, "f0")->path, "r/f0.txt");
			assert_string_equal(collection_find(&c, "y")->path, "r/f40000.txt");
			assert_string_equal(collection_find(&c, "y~2")->path, "r/f50000.txt");
			assert_null(collection_find(&c, "f40000"));
			assert_int_equal(
				count_diags(&c, "r/f50000.txt", "duplicate id y: using y~2"), 1);
		}
		collection_free(&c);
	}
}

/* The list order of a big list sorted in two halves on two threads and merged (of one
 * already in order, of one in order but for its last two, and of one whose halves are
 * each in order but the second comes first): newest first, undated last, then ids by
 * the numbers in them; duplicate ids numbered ~2, ~3 first. */
static void test_big_list_order(void **state)
{
	enum { N = 120000 };
	struct collection c;
	unsigned seed = 99;

	(void)state;
	for (int sorted = 0; sorted < 4; sorted++) {
		collection_init(&c);
		for (size_t i = 0; i < N; i++) {
			char id[32], date[16];
			size_t j = sorted == 3 ? (i + N / 2) % N : i; /* the halves swapped */
			size_t k = sorted ? j : (seed = seed * 1103515245u + 12345u) >> 8;
			size_t day = sorted ? 28 - j * 28 / N : 1 + k % 28;

			/* i * 7919 % N: each number once, shuffled */
			snprintf(id, sizeof id, !sorted && k % 1000 == 7 ? "dup" : "n%zu",
				 sorted == 2 && i >= N - 2 ? 2 * N - 3 - i
				 : sorted		   ? j
							   : i * 7919 % N);
			snprintf(date, sizeof date, "2016-01-%02zu", day);
			struct article_fields fl = {
				.title = {"t", 1},
				.date = {date, !sorted && k % 100 == 3 ? 0 : 10},
				.source = {"s", 1},
				.body = {"b", 1}};
			assert_true(format_add_fields(&c, "x", i + 1, id, NULL, &fl));
		}
		collection_finish(&c);
		assert_int_equal(c.articles.n, N);
		for (size_t i = 1; i < N; i++) {
			const struct article *a = c.articles.v[i - 1], *b = c.articles.v[i];
			int r = a->date.n && b->date.n ? memcmp(b->date.p, a->date.p, 10)
						       : (int)b->date.n - (int)a->date.n;
			if (r == 0) { /* n123, dup, dup~5: the letters, then the number */
				size_t pa = strcspn(a->id, "0123456789"),
				       pb = strcspn(b->id, "0123456789");
				unsigned long x = strtoul(a->id + pa, NULL, 10),
					      y = strtoul(b->id + pb, NULL, 10);
				r = memcmp(a->id, b->id, pa < pb ? pa : pb);
				if (!r)
					r = pa != pb ? (pa < pb ? -1 : 1) : x < y ? -1 : x > y;
			}
			if (r >= 0) {
				print_error("%s before %s (variant %d)\n", a->id, b->id, sorted);
				fail();
			}
		}
		collection_free(&c);
	}
}

/* The title of article i of test_articles_in_blocks: of many lengths, some longer than
 * a block's quarter (a block of their own), each telling which article it is. */
static void block_title(struct strbuf *b, size_t i)
{
	size_t n = i % 97 == 5 ? 20000 + i : i % 13 * 37;

	sb_clear(b);
	sb_printf(b, "%zu:", i);
	for (size_t k = 0; k < n; k++)
		sb_putc(b, (char)('a' + (i + k) % 26));
}

/* Articles loaded lean are cut, with their headers, from blocks of many (arena): each
 * keeps its own fields when thousands more are added after it, across the change from
 * small blocks to huge pages, and when moved to another collection by
 * collection_absorb, which goes on cutting from its own. */
static void test_articles_in_blocks(void **state)
{
	enum { N = 20000 };
	struct collection c, part, *into;
	struct strbuf title = {0}, want = {0};
	char id[32], source[32];

	(void)state;
	collection_init(&c);
	collection_init(&part);
	c.lean = part.lean = true;
	for (size_t i = 0; i < 2 * N; i++) {
		into = i < N ? &c : &part;
		block_title(&title, i);
		snprintf(id, sizeof id, "r%zu", i);
		snprintf(source, sizeof source, "src%zu", i * 7);
		struct article_fields fl = {.title = {title.s, title.n},
					    .date = {"2016-03-22", i % 3 ? 10 : 0},
					    .source = {source, strlen(source)},
					    .body = {"body", 4},
					    .valid_utf8 = true,
					    .rec_off = i * 100,
					    .rec_len = 99};
		collection_begin_file(into, "x.jsonl", NULL);
		assert_true(format_add_fields(into, "x.jsonl", i + 1, id, NULL, &fl));
		collection_end_file(into);
		if (i == N + N / 2) { /* half of part moved: c cuts from its block again */
			collection_absorb(&c, &part);
			collection_init(&part);
			part.lean = true;
		}
	}
	/* both cut from huge blocks too, more than one */
	assert_true(c.arena_used > 2 * XALLOC_HUGE && part.arena_used > 2 * XALLOC_HUGE);
	collection_absorb(&c, &part);
	assert_int_equal(c.articles.n, 2 * N);
	for (size_t i = 0; i < 2 * N; i++) {
		const struct article *a = c.articles.v[i];
		size_t k = i; /* absorbed in order */

		block_title(&want, k);
		snprintf(id, sizeof id, "r%zu", k);
		snprintf(source, sizeof source, "src%zu", k * 7);
		assert_int_equal((uintptr_t)a % _Alignof(max_align_t), 0);
		assert_string_equal(a->id, id);
		assert_int_equal(a->title.n, want.n);
		assert_memory_equal(a->title.p, want.s, want.n);
		assert_int_equal(a->source.n, strlen(source));
		assert_memory_equal(a->source.p, source, a->source.n);
		assert_int_equal(a->date.n, k % 3 ? 10 : 0);
		assert_true(a->body_on_disk && a->has_ident && a->body.n == 4);
		assert_int_equal(a->rec_off, k * 100);
		assert_int_equal(a->rec_len, 99);
	}
	collection_free(&c);
	collection_free(&part);
	sb_free(&title);
	sb_free(&want);
}

/* An article loaded lean has its body hashed as it is normalized, never kept: its
 * identity and size are those of the same record loaded whole, whatever its body (empty,
 * blank lines, around the 32-byte stripes of the hash, CR, a byte-order mark, invalid
 * UTF-8, long). */
static void test_lean_identity_of_bodies(void **state)
{
	static const char *const bodies[] = {
		"",
		" \n\n \t\n",
		"a",
		"0123456789abcdef0123456789abcde",
		"0123456789abcdef0123456789abcdef",
		"0123456789abcdef0123456789abcdef0",
		"第一段。\n\n\n  第二段，有空白。  \n第三段",
		"line one\r\nline two\r\n\r\n\rthree",
		"\xEF\xBB\xBFwith a byte-order mark\nand more",
		"bad \xC3( UTF-8\n\xFF\xFE here",
		"\xE3\x80\x80\xE3\x80\x80全角空格縮進的段落\n\xE3\x80\x80\xE3\x80\x80第二段",
	};
	struct strbuf longer = {0};

	(void)state;
	for (int i = 0; i < 300; i++)
		sb_printf(&longer, "%s段落 %d 的文字，長一些。\n%s", i % 7 ? "" : "  ", i,
			  i % 11 ? "" : "\n\n");
	for (size_t i = 0; i <= ARRAY_LEN(bodies); i++) {
		const char *body = i < ARRAY_LEN(bodies) ? bodies[i] : longer.s;
		struct collection whole, lean;
		struct content_id iw, il;
		bool valid = !strstr(body, "bad");
		struct article_fields fl = {.title = {"標題", strlen("標題")},
					    .date = {"2016-03-22", 10},
					    .source = {"新華社", strlen("新華社")},
					    .body = {body, strlen(body)},
					    .valid_utf8 = valid};

		collection_init(&whole);
		collection_init(&lean);
		lean.lean = true;
		assert_true(format_add_fields(&whole, "x.jsonl", 1, "a", NULL, &fl));
		assert_true(format_add_fields(&lean, "x.jsonl", 1, "a", NULL, &fl));
		const struct article *w = whole.articles.v[0], *l = lean.articles.v[0];
		article_identity(w, &iw);
		article_identity(l, &il);
		if (memcmp(&iw, &il, sizeof iw) != 0)
			fail_msg("body %zu: the lean identity differs", i);
		assert_true(l->body_on_disk && !l->body.p);
		assert_int_equal(l->body.n, w->body.n);
		collection_free(&whole);
		collection_free(&lean);
	}
	sb_free(&longer);
}

/* What str_space_at said before its shortcuts: the first code point decoded, then its
 * White_Space property. */
static size_t space_at_decoded(const char *p, size_t n)
{
	ucs4_t uc;
	int len;

	if (!n)
		return 0;
	len = u8_mbtouc(&uc, (const uint8_t *)p, n);
	return uc_is_property_white_space(uc) ? (size_t)len : 0;
}

/* str_space_at's shortcuts (ASCII, and the lead bytes no white space starts with) say
 * what decoding says: every code point, cut short too, and every byte before junk. */
static void test_space_at_every_code_point(void **state)
{
	uint8_t u[8];

	(void)state;
	for (ucs4_t cp = 0; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		int n = u8_uctomb(u, cp, sizeof u);
		assert_true(n > 0);
		for (int k = 1; k <= n; k++)
			if (str_space_at((const char *)u, (size_t)k) !=
			    space_at_decoded((const char *)u, (size_t)k))
				fail_msg("U+%04X (%d of its %d bytes) differs", (unsigned)cp, k, n);
	}
	for (unsigned b = 0; b < 256; b++) {
		char junk[4] = {(char)b, '\x80', '\x80', '\xFF'};
		for (size_t k = 1; k <= 4; k++)
			assert_int_equal(str_space_at(junk, k), space_at_decoded(junk, k));
	}
}

/* What str_trim_right said before its shortcut: the white space ending s, found by
 * walking back to a byte that is not a continuation byte and decoding from there. */
static struct str trim_right_decoded(struct str s)
{
	for (;;) {
		size_t start = s.n, back = 0;

		while (start > 0 && back < 4) {
			start--;
			back++;
			if (((unsigned char)s.p[start] & 0xC0) != 0x80)
				break;
		}
		if (!s.n || space_at_decoded(s.p + start, s.n - start) != s.n - start)
			return s;
		s.n = start;
	}
}

/* str_trim_right's shortcut (an ASCII or CJK last character) trims what decoding
 * trims: every code point last, whole and cut short, after text and after spaces, and
 * junk. */
static void test_trim_right_every_code_point(void **state)
{
	char u[16];

	(void)state;
	for (ucs4_t cp = 0; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		for (int lead = 0; lead < 3; lead++) {
			static const char *const before[] = {"\xE4\xB8\xAD", " ", "\xE3\x80\x80"};
			size_t m = strlen(before[lead]);

			memcpy(u, before[lead], m);
			int n = u8_uctomb((uint8_t *)u + m, cp, 8);
			assert_true(n > 0);
			for (int k = 1; k <= n; k++) {
				struct str s = {u, m + (size_t)k};

				if (str_trim_right(s).n != trim_right_decoded(s).n)
					fail_msg("U+%04X (%d of %d bytes) after %zu bytes differs",
						 (unsigned)cp, k, n, m);
			}
		}
	}
	for (unsigned b = 0; b < 256; b++)
		for (unsigned c = 0x80; c < 0x100; c += 0x3F) {
			char junk[4] = {'x', (char)b, (char)c, (char)c};

			for (size_t k = 1; k <= 4; k++) {
				struct str s = {junk, k};
				assert_int_equal(str_trim_right(s).n, trim_right_decoded(s).n);
			}
		}
}

static void test_large_collection(void **state)
{
	enum { N = 20000 };
	struct collection c;
	char text[256];
	size_t i;

	(void)state;
	collection_init(&c);
	for (i = 0; i < N; i++) {
		char id[32];
		int n = snprintf(text, sizeof text,
				 "第%zu號新聞標題\n\n2020-01-01\n\n段落\n\n相關焦點\n"
				 "  • 第%zu號新聞標題\n  • 第%zu號新聞...\n",
				 i, (i + 1) % N, (i + 2) % N);

		snprintf(id, sizeof id, "n%05zu", i);
		assert_true(fmt_native_add_buffer(&c, id, id, text, (size_t)n));
	}
	collection_finish(&c);
	assert_int_equal(c.articles.n, N);
	for (i = 0; i < N; i++) {
		const struct article *a = c.articles.v[i];
		char want[32];

		snprintf(want, sizeof want, "n%05zu", i);
		assert_string_equal(a->id, want);
		assert_ptr_equal(c.articles.v[a->related.v[0].target], c.articles.v[(i + 1) % N]);
		/* 第1號新聞... is not a prefix of 第10號新聞標題: unique */
		assert_ptr_equal(c.articles.v[a->related.v[1].target], c.articles.v[(i + 2) % N]);
		assert_int_equal(a->backlinks.n, 2);
	}
	assert_int_equal(c.diags.n, 0);
	collection_free(&c);
}

/* The key by definition: u8_normalize (NFKC), then white space removed. */
static char *reference_key(const char *s, size_t n, size_t *out_n)
{
	size_t len = 0, o = 0;
	uint8_t *norm = u8_normalize(UNINORM_NFKC, (const uint8_t *)s, n, NULL, &len);

	assert_non_null(norm);
	for (size_t i = 0; i < len;) {
		ucs4_t uc;
		int step = u8_mbtouc(&uc, norm + i, len - i);
		if (!uc_is_property_white_space(uc)) {
			memmove(norm + o, norm + i, (size_t)step);
			o += (size_t)step;
		}
		i += (size_t)step;
	}
	*out_n = o;
	return (char *)norm;
}

/* The match key's shortcut for common headlines gives what NFKC gives, on random mixes
 * of the characters it handles and of ones it must leave to u8_normalize. */
static void test_match_key_is_nfkc(void **state)
{
	static const ucs4_t pool[] = {
		'a',	'Z',	'0',	'.',	 '~',	  '!',	  ' ',	  '\t',	  0x7f,
		0x01,	0x4E00, 0x9FFF, 0x6F22,	 0x3400,  0x4DBF, 0x3000, 0x3001, 0x3002,
		0x3003, 0x3004, 0x3007, 0x3008,	 0x3011,  0x3012, 0x3013, 0x3014, 0x301F,
		0x3020, 0x3036, 0x3038, 0xFF01,	 0xFF0C,  0xFF21, 0xFF5E, 0xFF5F, 0xFF61,
		0xFF76, 0xFFE0, 0x2026, 0x00B7,	 0x00A0,  0x0301, 0x3099, 0x304B, 0xAC00,
		0x1100, 0x1161, 0xF900, 0x2F800, 0x1F600, 0x00E9, 0x2160, 0x33A1, 0x2028,
	};
	unsigned seed = 12345;
	(void)state;
	for (int round = 0; round < 20000; round++) {
		uint8_t buf[64 * 4];
		size_t n = 0, len = (size_t)(seed % 12);
		seed = seed * 1103515245u + 12345u;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			/* mostly the shortcut's characters, so that whole strings take it */
			size_t pick = (seed >> 8) % (round % 3 ? 14 : ARRAY_LEN(pool));
			if (round % 3 && pick >= 10)
				pick = 10 + (seed >> 20) % 24;
			n += (size_t)u8_uctomb(buf + n, pool[pick], (int)(sizeof buf - n));
		}
		size_t want_n, got_n;
		char *want = reference_key((const char *)buf, n, &want_n);
		char *got = collection_match_key((struct str){(const char *)buf, n}, &got_n);
		if (got_n != want_n || memcmp(got, want, got_n) != 0) {
			print_error("round %d: key of %zu bytes differs from NFKC's\n", round, n);
			fail();
		}
		free(want);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_repair_table),
		cmocka_unit_test(test_utf8_repair_linear_and_null_report),
		cmocka_unit_test(test_utf8_valid_prefix),
		cmocka_unit_test(test_utf8_valid_prefix_blocks),
		cmocka_unit_test(test_utf8_valid_prefix_random),
		cmocka_unit_test(test_seed_parse),
		cmocka_unit_test(test_seed_finish),
		cmocka_unit_test(test_line_ends_and_bom),
		cmocka_unit_test(test_missing_date_line),
		cmocka_unit_test(test_blank_runs_and_trailing_space),
		cmocka_unit_test(test_related_section_shapes),
		cmocka_unit_test(test_no_title),
		cmocka_unit_test(test_invalid_utf8_repaired),
		cmocka_unit_test(test_utf16_utf32_refused),
		cmocka_unit_test(test_related_cap),
		cmocka_unit_test(test_resolve_exact_nfkc_whitespace),
		cmocka_unit_test(test_resolve_truncated_prefix),
		cmocka_unit_test(test_resolve_duplicate_titles_ambiguous),
		cmocka_unit_test(test_excerpt_shared),
		cmocka_unit_test(test_self_link_and_cycles),
		cmocka_unit_test(test_list_order),
		cmocka_unit_test(test_duplicate_ids),
		cmocka_unit_test(test_duplicate_ids_at_scale),
		cmocka_unit_test(test_absorb_runs),
		cmocka_unit_test(test_list_in_blocks),
		cmocka_unit_test(test_large_collection),
		cmocka_unit_test(test_big_list_order),
		cmocka_unit_test(test_articles_in_blocks),
		cmocka_unit_test(test_lean_identity_of_bodies),
		cmocka_unit_test(test_space_at_every_code_point),
		cmocka_unit_test(test_trim_right_every_code_point),
		cmocka_unit_test(test_match_key_is_nfkc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
