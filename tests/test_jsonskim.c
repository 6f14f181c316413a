/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_jsonskim.c: the JSON skimmer (src/jsonskim.c) against jansson on tricky
 * records, and JSON Lines loaded through it against the same records loaded through
 * jansson (a member the skimmer leaves to jansson sends a record there). */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collection.h"
#include "format.h"
#include "jsonskim.h"
#include "strbuf.h"
#include "strview.h"
#include "testutil.h"

static const struct jsonskim_key keys[] = {JSONSKIM_KEY("title"),   JSONSKIM_KEY("content"),
					   JSONSKIM_KEY("source"),  JSONSKIM_KEY("time"),
					   JSONSKIM_KEY("news_id"), JSONSKIM_KEY("desc"),
					   JSONSKIM_KEY("url")};
enum { NKEYS = sizeof keys / sizeof *keys };

/* Skim s and parse it with jansson: they agree (an accepted record has the same
 * members, a bad one jansson refuses); returns the skim's result. */
static enum jsonskim_result agree(const char *s, size_t n, struct jsonskim_val *v,
				  struct strbuf *scratch)
{
	json_error_t err;
	enum jsonskim_result r = jsonskim_object(s, n, keys, NKEYS, v, scratch);
	json_t *o = json_loadb(s, n, JSON_ALLOW_NUL, &err);

	if (r == JSONSKIM_BAD && o)
		fail_msg("skimmer refuses what jansson takes: %.*s", (int)n, s);
	if (r == JSONSKIM_OK) {
		if (!o || !json_is_object(o))
			fail_msg("skimmer takes what jansson refuses: %.*s (%s)", (int)n, s,
				 err.text);
		for (size_t i = 0; i < NKEYS; i++) {
			json_t *m = json_object_get(o, keys[i].name);
			enum jsonskim_kind k = !m		   ? JSONSKIM_ABSENT
					       : json_is_null(m)   ? JSONSKIM_NULL
					       : json_is_string(m) ? JSONSKIM_STRING
								   : JSONSKIM_OTHER;
			assert_int_equal(v[i].kind, k);
			if (k == JSONSKIM_STRING) {
				assert_int_equal(v[i].n, json_string_length(m));
				assert_memory_equal(v[i].p, json_string_value(m), v[i].n);
			}
		}
	}
	json_decref(o);
	return r;
}

static void want_title(const struct jsonskim_val *v, const char *t, size_t n)
{
	assert_int_equal(v[0].kind, JSONSKIM_STRING);
	assert_int_equal(v[0].n, n);
	assert_memory_equal(v[0].p, t, n);
}

#define S(lit) lit, sizeof lit - 1

static void test_skim_values(void **state)
{
	struct strbuf scratch = {0};
	struct jsonskim_val v[NKEYS];

	(void)state;
	/* escapes: quotes, backslashes, \/, controls, \u with a surrogate pair, \u0000 */
	assert_int_equal(agree(S("{\"title\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00"
				 "\\u0000z\"}"),
			       v, &scratch),
			 JSONSKIM_OK);
	want_title(v, S("a\"b\\c/d\b\f\n\r\té😀\0z"));
	/* content with escaped quotes and backslashes; members in any order */
	assert_int_equal(
		agree(S("{\"content\":\"say \\\"hi\\\" C:\\\\x\\\\\",\"time\":\"03-22 12:00\","
			"\"title\":\"t\"}"),
		      v, &scratch),
		JSONSKIM_OK);
	assert_int_equal(v[1].n, strlen("say \"hi\" C:\\x\\"));
	want_title(v, S("t"));
	/* duplicate keys: the last one, as jansson */
	assert_int_equal(agree(S("{\"title\":\"first\",\"title\":\"se\\u0063ond\"}"), v, &scratch),
			 JSONSKIM_OK);
	want_title(v, S("second"));
	assert_int_equal(agree(S("{\"title\":\"x\\n\",\"title\":\"plain\"}"), v, &scratch),
			 JSONSKIM_OK);
	want_title(v, S("plain"));
	assert_int_equal(agree(S("{\"title\":\"x\",\"title\":null}"), v, &scratch), JSONSKIM_OK);
	assert_int_equal(v[0].kind, JSONSKIM_NULL);
	/* an escaped key names the member all the same */
	assert_int_equal(agree(S("{\"t\\u0069tle\":\"k\"}"), v, &scratch), JSONSKIM_OK);
	want_title(v, S("k"));
	/* nested objects and arrays in members not asked for, and in one asked for */
	assert_int_equal(agree(S(" {\"x\":{\"a\":[1,{\"b\":[]},[[]],{}],\"title\":\"in\"},"
				 "\"title\":\"out\",\"desc\":[\"d\"] , \"url\":{} } "),
			       v, &scratch),
			 JSONSKIM_OK);
	want_title(v, S("out"));
	assert_int_equal(v[5].kind, JSONSKIM_OTHER);
	assert_int_equal(v[6].kind, JSONSKIM_OTHER);
	/* numbers, words */
	assert_int_equal(agree(S("{\"news_id\":12,\"a\":-0,\"b\":0.5e-3,\"c\":1E+2,\"d\":true,"
				 "\"e\":false,\"f\":null,\"g\":9223372036854775807,"
				 "\"h\":-9223372036854775808,\"i\":1e-999}"),
			       v, &scratch),
			 JSONSKIM_OK);
	assert_int_equal(v[4].kind, JSONSKIM_OTHER);
	assert_int_equal(v[0].kind, JSONSKIM_ABSENT);
	assert_int_equal(agree(S("{}"), v, &scratch), JSONSKIM_OK);
	/* jansson's lexer drops one raw NUL right after a number or a word (fuzzed) */
	assert_int_equal(agree(S("{\"a\":1\0,\"b\":true\0,\"title\":\"n\"}"), v, &scratch),
			 JSONSKIM_OK);
	want_title(v, S("n"));
	assert_int_equal(agree(S("{\"a\":1\0\0}"), v, &scratch), JSONSKIM_BAD);
	assert_int_equal(agree(S("{\"a\":\"s\"\0}"), v, &scratch), JSONSKIM_BAD);
	/* near a double's limit: jansson decides */
	assert_int_equal(agree(S("{\"a\":1.5e308}"), v, &scratch), JSONSKIM_UNSURE);
	assert_int_equal(agree(S("[{\"title\":\"x\"}]"), v, &scratch), JSONSKIM_UNSURE);
	sb_free(&scratch);
}

/* A member of another kind than a string or null: its bytes as written (the id of a
 * record may be an integer), without the NUL jansson skips after a number. */
static void test_other_as_written(void **state)
{
	struct jsonskim_val v[NKEYS];
	struct strbuf scratch = {0};

	(void)state;
	assert_int_equal(agree(S("{\"news_id\":610130831,\"url\":[1, {\"a\":2}],\"title\":true}"),
			       v, &scratch),
			 JSONSKIM_OK);
	assert_int_equal(v[4].kind, JSONSKIM_OTHER);
	assert_int_equal(v[4].n, 9);
	assert_memory_equal(v[4].p, "610130831", 9);
	assert_int_equal(v[6].n, strlen("[1, {\"a\":2}]"));
	assert_memory_equal(v[6].p, "[1, {\"a\":2}]", v[6].n);
	assert_int_equal(v[0].n, 4);
	assert_memory_equal(v[0].p, "true", 4);
	assert_int_equal(agree("{\"news_id\":-7\0}", 15, v, &scratch), JSONSKIM_OK);
	assert_int_equal(v[4].n, 2);
	assert_memory_equal(v[4].p, "-7", 2);
	sb_free(&scratch);
}

static void test_skim_bad(void **state)
{
	static const char *const bad[] = {
		"{\"title\":\"x\"",
		"{\"title\":\"x}",
		"{\"title\":\"x\",}",
		"{,}",
		"{\"a\" 1}",
		"{\"a\":1,,\"b\":2}",
		"{\"a\":[1,]}",
		"{\"a\":01}",
		"{\"a\":1.}",
		"{\"a\":.5}",
		"{\"a\":1e}",
		"{\"a\":-}",
		"{\"a\":+1}",
		"{\"a\":tru}",
		"{\"a\":truex}",
		"{\"a\":nul}",
		"{\"a\":NaN}",
		"{\"a\":\"\\x\"}",
		"{\"a\":\"\\u12G4\"}",
		"{\"a\":\"\\ud800\"}",
		"{\"a\":\"\\udc00\"}",
		"{\"a\":\"\\ud800\\u0041\"}",
		"{\"a\":\"\\ud800x\"}",
		"{\"a\":\"tab\there\"}",
		"{\"a\\u0000\":1}",
		"{\"x\":{\"a\\u0000\":1}}",
		"{\"a\":1} x",
		"{\"a\":1}}",
		"{\"a\":9223372036854775808}",
		"{\"a\":-9223372036854775809}",
		"{\"a\":12345678901234567890123}",
		"{\"a\":1e400}",
		"{\"a\":[1 2]}",
		"{\"a\":{\"b\"}}",
		"{\"a\":{\"b\":1,}}",
		"{\"a\":]}",
		"{'a':1}",
		"{\"a\":1]",
		"{\"a\":[}",
		"{\"a\":\"\\",
	};
	struct strbuf scratch = {0};
	struct jsonskim_val v[NKEYS];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (agree(bad[i], strlen(bad[i]), v, &scratch) != JSONSKIM_BAD)
			fail_msg("not refused: %s", bad[i]);
	/* a raw NUL byte, and a CR inside a string */
	assert_int_equal(agree("{\"a\":1}\0", 8, v, &scratch), JSONSKIM_BAD);
	assert_int_equal(agree(S("{\"a\":\"x\ry\"}"), v, &scratch), JSONSKIM_BAD);
	sb_free(&scratch);
}

/* jansson's depth limit: JSONSKIM_MAX_DEPTH values deep is taken, one more refused. */
static void test_skim_depth(void **state)
{
	struct strbuf b = {0}, scratch = {0};
	struct jsonskim_val v[NKEYS];

	(void)state;
	for (size_t extra = JSONSKIM_MAX_DEPTH - 3; extra <= JSONSKIM_MAX_DEPTH; extra++) {
		/* the object is at depth 1, "x"'s array at 2, then extra arrays, then a 1 */
		sb_clear(&b);
		sb_puts(&b, "{\"x\":[");
		for (size_t i = 0; i < extra; i++)
			sb_putc(&b, '[');
		sb_putc(&b, '1');
		for (size_t i = 0; i < extra; i++)
			sb_putc(&b, ']');
		sb_puts(&b, "],\"title\":\"deep\"}");
		enum jsonskim_result r = agree(b.s, b.n, v, &scratch);
		assert_int_equal(r, 3 + extra <= JSONSKIM_MAX_DEPTH ? JSONSKIM_OK : JSONSKIM_BAD);
	}
	sb_free(&b);
	sb_free(&scratch);
}

/* A file of tricky records, and the same with a member the skimmer leaves to jansson
 * added to each: the two loads are the same (ids, fields, bodies, messages). */
static const char *const tricky[] = {
	"\xEF\xBB\xBF{\"news_id\":\"1\",\"title\":\"bom\",\"content\":\"c\"}\r",
	"{\"content\":\"a \\\"q\\\" b\\\\\\\\ c\\n\\n  next  "
	"\\r\\n\\u3000para\",\"title\":\"t\\u00e9 "
	"\\ud83d\\ude00\",\"time\":\"2016-03-22 12:00\",\"news_id\":\"2\",\"source\":\"s\"}",
	"{\"title\":\"dup\",\"news_id\":\"3\",\"title\":\"dup2\",\"time\":\"03-22 12:00\"}",
	"{\"news_id\":4,\"title\":\"number id\",\"x\":{\"y\":[1,[2,{\"z\":null}]]}}",
	"{\"title\":\"\\u0000nul\",\"news_id\":\"5\",\"source\":true,\"desc\":\"only desc\"}",
	"{\"title\":null,\"news_id\":\"6\"}",
	"{\"title\":\"   \",\"news_id\":\"7\"}",
	"[1,2]",
	"{\"title\":\"bad\" \"news_id\":\"8\"}",
	"{\"title\":\"dup id\",\"news_id\":\"2\",\"url\":\"https://example.com/a\"}",
	"{\"t\\u0069tle\":\"escaped key\",\"news_id\":\"9\",\"content\":\"x\\ty\"}",
	"   {\"title\":\"spaces\",\"news_id\":\"10\"}   ",
	"{\"title\":\"bad utf8 \xff\",\"news_id\":\"11\"}",
	"{\"title\":\"truncated\",\"news_id\":\"12\",\"content\":\"cut he",
};

/* The records with the member "zz":1.5e308 added before each one's last '}'. */
static void build(struct strbuf *b, bool via_jansson, const char *longline)
{
	for (size_t i = 0; i < sizeof tricky / sizeof *tricky; i++) {
		const char *s = tricky[i], *close = strrchr(s, '}');
		size_t n = strlen(s);

		if (via_jansson && close && s[0] != '[') {
			sb_append(b, s, (size_t)(close - s));
			sb_puts(b, ",\"zz\":1.5e308");
			sb_puts(b, close);
		} else {
			sb_append(b, s, n);
		}
		sb_putc(b, '\n');
		if (i == 3) {
			sb_puts(b, longline);
			if (via_jansson)
				b->n--, sb_puts(b, ",\"zz\":1.5e308}");
			sb_putc(b, '\n');
		}
	}
	b->n--; /* the last line has no LF */
	sb_cstr(b);
}

/* A record's body read back from its bytes (a lean load, the pane): one without text is an
 * empty article, not a record that is "no article any more"; one without title is that. */
static void test_body_read_back_without_text(void **state)
{
	static const char notext[] = "{\"news_id\":\"n2\",\"title\":\"Second\"}";
	static const char notitle[] = "{\"news_id\":\"n3\",\"content\":\"c\"}";
	char *out = NULL;
	size_t n = 99;

	(void)state;
	assert_true(fmt_jsonl_body(notext, sizeof notext - 1, &out, &n));
	assert_non_null(out);
	assert_int_equal(n, 0);
	assert_string_equal(out, "");
	free(out);
	out = NULL;
	assert_false(fmt_jsonl_body(notitle, sizeof notitle - 1, &out, &n));
	free(out);
}

/* The pieces random escaped strings are made of: text, spaces the trimming takes (an
 * ideographic space among them, escaped or not), and every kind of escape, a LF
 * written as \n and as \u000A among them. */
static const char *const pieces[] = {
	"a",
	"長",
	" ",
	"\xE3\x80\x80",
	"\\n",
	"\\\"",
	"\\\\",
	"\\/",
	"\\t",
	"\\b",
	"\\f",
	"\\u000a",
	"\\u000A",
	"\\u3000",
	"\\u0000",
	"\\ud83d\\ude00",
	"\\u00e9",
	"\\u0020",
	"\\n\\n",
	"\\ufeff",
	"\xEF\xBB\xBF",
};

/* The lines jsonskim_line_next gives of the escaped string s (n bytes), skimmed as a
 * record's content left escaped, are the lines line_next gives of it as jansson
 * unescapes it. */
static void lines_agree(const char *s, size_t n, struct strbuf *tmp)
{
	struct strbuf quoted = {0}, scratch = {0};
	struct jsonskim_val v[NKEYS];
	struct jsonskim_lines it;
	json_error_t err;
	json_t *o;
	struct str l;
	struct text_line want;

	sb_puts(&quoted, "{\"title\":\"\\n\",\"content\":\"");
	sb_append(&quoted, s, n);
	sb_puts(&quoted, "\"}");
	assert_int_equal(
		jsonskim_object_raw(quoted.s, quoted.n, keys, NKEYS, 1ul << 1, v, &scratch),
		JSONSKIM_OK);
	assert_int_equal(v[1].escaped, memchr(s, '\\', n) != NULL);
	jsonskim_lines_init(&it, &v[1]);
	o = json_loadb(quoted.s, quoted.n, JSON_ALLOW_NUL, &err);
	json_t *m = o ? json_object_get(o, "content") : NULL;
	if (!m || !json_is_string(m))
		fail_msg("jansson refuses \"%.*s\": %s", (int)n, s, err.text);
	struct line_iter ref = {json_string_value(m), json_string_length(m), 0, 0};
	while (line_next(&ref, &want)) {
		if (!jsonskim_line_next(&it, tmp, &l))
			fail_msg("a line missing of \"%.*s\"", (int)n, s);
		if (l.n != want.s.n || (l.n && memcmp(l.p, want.s.p, l.n) != 0))
			fail_msg("line %zu of \"%.*s\": \"%.*s\", not \"%.*s\"", want.no, (int)n, s,
				 (int)l.n, l.p, (int)want.s.n, want.s.p);
	}
	if (jsonskim_line_next(&it, tmp, &l))
		fail_msg("a line too many of \"%.*s\": \"%.*s\"", (int)n, s, (int)l.n, l.p);
	json_decref(o);
	sb_free(&quoted);
	sb_free(&scratch);
}

/* Lone surrogate escapes, which jansson refuses, made \uFFFD in a copy of the same length
 * (a pair kept, an escaped backslash before "ud800" no escape); a record with one loads
 * (before, it was dropped whole), its body read back alike, and said once. */
static void test_lone_surrogates(void **state)
{
	static const struct {
		const char *in, *out; /* out NULL: nothing to repair */
		size_t n;
	} cases[] = {
		{"\"a\\ud800b\"", "\"a\\uFFFDb\"", 1},
		{"\"\\udc00\\ud83d\\ude00\"", "\"\\uFFFD\\ud83d\\ude00\"", 1},
		{"\"\\ud800\\ud800\\udc00\"", "\"\\uFFFD\\ud800\\udc00\"", 1},
		{"\"\\\\ud800\"", NULL, 0},
		{"\"\\ud83d\\ude00\"", NULL, 0},
		{"\"\\ud8", NULL, 0},
		{"\"\\uDBFF\"", "\"\\uFFFD\"", 1},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t n = strlen(cases[i].in), nrep;
		char *out = jsonskim_repair_surrogates(cases[i].in, n, &nrep);
		assert_int_equal(nrep, cases[i].n);
		if (!cases[i].out) {
			assert_null(out);
			continue;
		}
		assert_non_null(out);
		assert_memory_equal(out, cases[i].out, n);
		free(out);
	}

	static const char rec[] = "{\"news_id\":\"s\",\"title\":\"好\\ud800\",\"content\":"
				  "\"內\\udc00容\",\"keywords\":\"\\ud800\"}\n";
	struct collection c;
	collection_init(&c);
	assert_int_equal(format_load_buffer(&c, FORMAT_JSONL, "s.jsonl", "s", NULL, rec,
					    sizeof rec - 1, NULL),
			 1);
	assert_int_equal(c.diags.n, 1);
	assert_non_null(strstr(c.diags.v[0].msg, "3 lone surrogate escapes"));
	const struct article *a = c.articles.v[0];
	test_assert_str_equal(a->title, (struct str){"好\xEF\xBF\xBD", 6});
	char *body;
	size_t len;
	assert_true(fmt_jsonl_body(rec + a->rec_off, a->rec_len, &body, &len));
	assert_int_equal(len, a->body.n);
	assert_memory_equal(body, a->body.p, len);
	assert_memory_equal(body, "內\xEF\xBF\xBD容", len);
	free(body);
	collection_free(&c);
}

/* A time on no day of the calendar (2016-02-30) is said, as a native article's date line
 * is, and kept as the record's time; a good one is its date; news2016zh's time without
 * a year is no problem. */
static void test_bad_day(void **state)
{
	static const char recs[] =
		"{\"news_id\":\"a\",\"title\":\"t\",\"time\":\"2016-02-30 10:00\"}\n"
		"{\"news_id\":\"b\",\"title\":\"t\",\"date\":\"2016-02-29T10:00\"}\n"
		"{\"news_id\":\"c\",\"title\":\"t\",\"time\":\"03-22 12:00\"}\n";
	struct collection c;

	(void)state;
	collection_init(&c);
	assert_int_equal(format_load_buffer(&c, FORMAT_JSONL, "d.jsonl", "d", NULL, recs,
					    sizeof recs - 1, NULL),
			 3);
	assert_int_equal(c.diags.n, 1);
	assert_int_equal(c.diags.v[0].line, 1);
	assert_non_null(strstr(c.diags.v[0].msg, "no such day: 2016-02-30"));
	test_assert_str_equal(c.articles.v[0]->time, (struct str){"2016-02-30 10:00", 16});
	test_assert_str_equal(c.articles.v[1]->date, (struct str){"2016-02-29", 10});
	collection_free(&c);
}

/* A \u escape with each byte value in each of its four digits' places (the skimmer reads
 * the digits by table: every entry of it), and a record written as Python's json.dumps
 * writes by default, every ideograph a \u escape, surrogate pairs too: the skimmer and
 * jansson agree on each, and its lines read one by one are the text's. */
static void test_unicode_escapes(void **state)
{
	struct jsonskim_val v[NKEYS];
	struct strbuf scratch = {0}, b = {0}, tmp = {0};

	(void)state;
	for (int place = 0; place < 4; place++)
		for (int c = 1; c < 256; c++) {
			char rec[] = "{\"title\":\"a\\u4e2dz\"}";
			char *digit = strstr(rec, "4e2d") + place;

			if (c == '"' || c == '\\')
				continue; /* no digit, and the string would end or go on otherwise */
			*digit = (char)c;
			bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
				   (c >= 'A' && c <= 'F');
			if (place == 0 && (c == 'd' || c == 'D'))
				hex = false; /* \uDE2D: a low surrogate alone, refused */
			enum jsonskim_result r = agree(rec, strlen(rec), v, &scratch);
			if ((r == JSONSKIM_OK) != hex)
				fail_msg("\\u with byte %#x at digit %d: %s", (unsigned)c, place,
					 r == JSONSKIM_OK ? "taken" : "refused");
		}
	static const char *const words[] = {
		"\\u4e2d\\u6587", "\\u95AC\\u4E2D", "\\uD83D\\uDE00", "\\u3002", "\\n",
		"2016",		  "\\uff0c",	    "\\u00e9"};
	unsigned long seed = 7;
	for (int i = 0; i < 3000; i++) {
		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		sb_puts(&b, words[(seed >> 33) % (sizeof words / sizeof *words)]);
	}
	lines_agree(b.s, b.n, &tmp);
	sb_clear(&tmp);
	sb_printf(&tmp, "{\"title\":\"\\u6807\\u9898\",\"content\":\"%s\"}", b.s);
	assert_int_equal(agree(tmp.s, tmp.n, v, &scratch), JSONSKIM_OK);
	sb_free(&scratch);
	sb_free(&b);
	sb_free(&tmp);
}

/* An escaped string read line by line (a body left escaped, jsonskim_object_raw) gives
 * the lines of the string unescaped whole, on strings made at random of every kind of
 * escape, and the skimmer leaves escaped only what it was asked to, saying when an
 * escape is a CR. */
static void test_escaped_lines(void **state)
{
	struct strbuf b = {0}, tmp = {0}, scratch = {0};
	struct jsonskim_val v[NKEYS];
	unsigned long seed = 12;

	(void)state;
	lines_agree(S(""), &tmp);
	lines_agree(S("\\n"), &tmp);
	lines_agree(S("one\\ntwo\\u000Athree\\n"), &tmp);
	for (size_t round = 0; round < 20000; round++) {
		size_t k;

		sb_clear(&b);
		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		k = (seed >> 33) % 12;
		for (size_t i = 0; i < k; i++) {
			seed = seed * 6364136223846793005ul + 1442695040888963407ul;
			sb_puts(&b, pieces[(seed >> 33) % (sizeof pieces / sizeof *pieces)]);
		}
		lines_agree(b.s ? b.s : "", b.n, &tmp);
	}
	static const char rec[] = "{\"title\":\"t\\\"\",\"content\":\"a\\nb\","
				  "\"desc\":\"d\\r\\n\",\"source\":\"s\"}";
	assert_int_equal(
		jsonskim_object_raw(S(rec), keys, NKEYS, (1ul << 1) | (1ul << 5), v, &scratch),
		JSONSKIM_OK);
	want_title(v, S("t\"")); /* not asked raw: unescaped */
	assert_true(v[1].escaped && !v[1].cr);
	assert_int_equal(v[1].n, 4);
	assert_memory_equal(v[1].p, "a\\nb", 4);
	assert_true(v[5].escaped && v[5].cr);
	assert_false(v[2].escaped); /* no escapes: as it is, either way */
	sb_free(&b);
	sb_free(&tmp);
	sb_free(&scratch);
}

/* The bodies test_escaped_bodies_same loads: every kind of escape, the paragraphs most
 * bodies are (lines written as they are, \n between them) and each way a body is one
 * letter away from them (a space, an empty line, a LF written otherwise), then random
 * ones made of pieces[] and of such paragraphs. */
typedef VEC(size_t) body_offsets;

static void escaped_bodies(struct strbuf *all, body_offsets *at)
{
	static const char *const fixed[] = {
		"\\u3000\\u3000first para\\n\\nsecond \\\"quoted\\\"\\t\\n",
		"\\ufeffa BOM escaped\\nthen more",
		"\xEF\xBB\xBF"
		"a BOM as it is\\nthen \\\"more\\\"",
		"\xEF\xBB\xBF"
		"a BOM as it is\\nthen more",
		"CR\\r\\nLF\\rlone CR\\n",
		"lines by \\u000A and \\u000a\\u0020 trimmed \\u3000",
		"nul \\u0000 inside\\n\\n\\n\\ud83d\\ude00 \\/ \\\\ \\b\\f",
		"\\n\\n \\t \\n",
		"plain, no escape at all",
		"段落一。\\n段落二。\\n段落三。",
		"a\\nb",
		"a \\nb",
		"a\\n b",
		"a\\n\\u3000b",
		"a\\n\xE3\x80\x80"
		"b",
		"a\xE3\x80\x80\\nb",
		"a\\n\\nb",
		"\\na",
		"a\\n",
		"a\\u000Ab",
		"a\\\\nb",
		"a\\nb\\tc",
		"a\\n\xC2\xA0"
		"b",
		"a\\n\xE2\x80\x83"
		"b",
	};
	unsigned long seed = 7;

	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++) {
		VEC_PUSH(at, all->n);
		sb_puts(all, fixed[i]);
		sb_putc(all, '\0');
	}
	for (size_t round = 0; round < 3000; round++) {
		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		size_t k = (seed >> 33) % 12;
		bool paragraphs = (seed >> 40) & 1;

		VEC_PUSH(at, all->n);
		for (size_t i = 0; i < k; i++) {
			seed = seed * 6364136223846793005ul + 1442695040888963407ul;
			if (paragraphs)
				sb_puts(all, i ? "\\n段落。" : "段落。");
			else
				sb_puts(all,
					pieces[(seed >> 33) % (sizeof pieces / sizeof *pieces)]);
		}
		sb_putc(all, '\0');
	}
}

/* Bodies with every kind of escape, loaded lean (hashed as they are read, not kept;
 * or only measured) and whole, skimmed and through jansson (a member the skimmer leaves
 * to jansson added): the same identities (none when not hashed), the same bodies, and
 * the body read back from the record's bytes is the body kept. */
static void test_escaped_bodies_same(void **state)
{
	struct strbuf one = {0}, two = {0}, all = {0};
	body_offsets at = {0};

	(void)state;
	escaped_bodies(&all, &at);
	for (size_t i = 0; i < at.n; i++) {
		const char *body = all.s + at.v[i];

		sb_printf(&one, "{\"news_id\":\"b%zu\",\"title\":\"t%zu\",\"content\":\"%s\"}\n", i,
			  i, body);
		sb_printf(&two,
			  "{\"news_id\":\"b%zu\",\"title\":\"t%zu\",\"content\":\"%s\","
			  "\"zz\":1.5e308}\n",
			  i, i, body);
	}
	for (enum lean lean = LEAN_NO; lean <= LEAN_UNHASHED; lean++) {
		struct collection a, b, whole;

		collection_init(&a);
		collection_init(&b);
		collection_init(&whole);
		a.lean = b.lean = lean;
		a.lean_format = b.lean_format = FORMAT_JSONL;
		format_load_buffer(&a, FORMAT_JSONL, "t.jsonl", "t", NULL, one.s, one.n, NULL);
		format_load_buffer(&b, FORMAT_JSONL, "t.jsonl", "t", NULL, two.s, two.n, NULL);
		format_load_buffer(&whole, FORMAT_JSONL, "t.jsonl", "t", NULL, one.s, one.n, NULL);
		assert_int_equal(a.articles.n, at.n);
		assert_int_equal(b.articles.n, at.n);
		for (size_t i = 0; i < at.n; i++) {
			const struct article *x = a.articles.v[i], *y = b.articles.v[i];
			const struct article *w = whole.articles.v[i];
			struct content_id ix, iy, iw;
			char *back = NULL;
			size_t nback;

			article_identity(w, &iw);
			if (lean == LEAN_UNHASHED) {
				assert_false(x->has_ident || y->has_ident);
			} else {
				article_identity(x, &ix);
				article_identity(y, &iy);
				if (ix.hi != iy.hi || ix.lo != iy.lo || ix.hi != iw.hi ||
				    ix.lo != iw.lo)
					fail_msg("body %zu (%s), lean %d: not the same identity", i,
						 all.s + at.v[i], (int)lean);
			}
			assert_int_equal(x->body.n, y->body.n);
			assert_int_equal(x->body.n, w->body.n);
			assert_true(fmt_jsonl_body(one.s + x->rec_off, x->rec_len, &back, &nback));
			assert_int_equal(nback, w->body.n);
			assert_memory_equal(back, w->body.p, nback);
			if (lean == LEAN_NO) {
				assert_memory_equal(x->body.p, w->body.p, w->body.n);
				if (y->body.n != x->body.n ||
				    memcmp(x->body.p, y->body.p, x->body.n) != 0)
					fail_msg("body %zu (%s): \"%.*s\", jansson's \"%.*s\"", i,
						 all.s + at.v[i], (int)x->body.n, x->body.p,
						 (int)y->body.n, y->body.p);
			}
			free(back);
		}
		collection_free(&a);
		collection_free(&b);
		collection_free(&whole);
	}
	sb_free(&one);
	sb_free(&two);
	sb_free(&all);
	free(at.v);
}

/* A title and a source are one trimmed line, whether they had a line break to mend (a
 * copy) or not (read where they are), skimmed or through jansson. */
static void test_fields_one_line(void **state)
{
	static const struct {
		const char *json, *want;
	} cases[] = {
		{"  plain  ", "plain"},
		{"\\u3000\xE3\x80\x80"
		 "全形\xE3\x80\x80 ",
		 "全形"},
		{"\\t tab\\t", "tab"},
		{"two\\nlines", "two lines"},
		{" cr\\r\\nlf ", "cr  lf"},
		{"\xE3\x80\x82"
		 "end\xE3\x80\x82",
		 "\xE3\x80\x82"
		 "end\xE3\x80\x82"},
	};
	enum { NC = sizeof cases / sizeof *cases };
	struct strbuf one = {0};

	(void)state;
	for (int jansson = 0; jansson < 2; jansson++) {
		struct collection c;

		sb_clear(&one);
		for (size_t i = 0; i < NC; i++)
			sb_printf(&one,
				  "{\"news_id\":\"f%zu\",\"title\":\"%s\",\"source\":\"%s\"%s}\n",
				  i, cases[i].json, cases[i].json,
				  jansson ? ",\"zz\":1.5e308" : "");
		collection_init(&c);
		format_load_buffer(&c, FORMAT_JSONL, "t.jsonl", "t", NULL, one.s, one.n, NULL);
		assert_int_equal(c.articles.n, NC);
		for (size_t i = 0; i < NC; i++) {
			const struct article *a = c.articles.v[i];
			size_t n = strlen(cases[i].want);

			if (a->title.n != n || memcmp(a->title.p, cases[i].want, n) != 0)
				fail_msg("title \"%s\" read as \"%.*s\"", cases[i].json,
					 (int)a->title.n, a->title.p);
			assert_int_equal(a->source.n, n);
			assert_memory_equal(a->source.p, cases[i].want, n);
		}
		collection_free(&c);
	}
	sb_free(&one);
}

static void test_skim_load_same(void **state)
{
	struct strbuf one = {0}, two = {0}, lng = {0};
	struct collection a, b;

	(void)state;
	sb_puts(&lng, "{\"title\":\"long\",\"news_id\":\"long\",\"content\":\"");
	for (size_t i = 0; i < 200000; i++)
		sb_puts(&lng, i % 50 ? "長\\\"" : "\\n");
	sb_puts(&lng, "\"}");
	build(&one, false, lng.s);
	build(&two, true, lng.s);
	collection_init(&a);
	collection_init(&b);
	format_load_buffer(&a, FORMAT_JSONL, "t.jsonl", "t", NULL, one.s, one.n, NULL);
	format_load_buffer(&b, FORMAT_JSONL, "t.jsonl", "t", NULL, two.s, two.n, NULL);
	collection_finish(&a);
	collection_finish(&b);
	assert_true(a.articles.n >= 10);
	assert_int_equal(a.articles.n, b.articles.n);
	for (size_t i = 0; i < a.articles.n; i++) {
		const struct article *x = a.articles.v[i], *y = b.articles.v[i];
		struct content_id ix, iy;

		assert_string_equal(x->id, y->id);
		assert_int_equal(x->title.n, y->title.n);
		assert_memory_equal(x->title.p, y->title.p, x->title.n);
		assert_int_equal(x->source.n, y->source.n);
		assert_memory_equal(x->source.p, y->source.p, x->source.n);
		assert_int_equal(x->date.n, y->date.n);
		assert_int_equal(x->url.n, y->url.n);
		assert_int_equal(x->body.n, y->body.n);
		if (x->body.n)
			assert_memory_equal(x->body.p, y->body.p, x->body.n);
		article_identity(x, &ix);
		article_identity(y, &iy);
		assert_true(ix.hi == iy.hi && ix.lo == iy.lo);
	}
	assert_int_equal(a.diags.n, b.diags.n);
	for (size_t i = 0; i < a.diags.n; i++) {
		assert_int_equal(a.diags.v[i].line, b.diags.v[i].line);
		assert_string_equal(a.diags.v[i].msg, b.diags.v[i].msg);
	}
	/* the cases are what they say: the BOM'd record, the long one, the bad ones */
	assert_non_null(collection_find(&a, "1"));
	assert_true(collection_find(&a, "long")->body.n > 500000);
	assert_null(collection_find(&a, "8"));	/* bad JSON */
	assert_null(collection_find(&a, "12")); /* cut short */
	collection_free(&a);
	collection_free(&b);
	sb_free(&one);
	sb_free(&two);
	sb_free(&lng);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_skim_values),
		cmocka_unit_test(test_lone_surrogates),
		cmocka_unit_test(test_bad_day),
		cmocka_unit_test(test_other_as_written),
		cmocka_unit_test(test_skim_bad),
		cmocka_unit_test(test_unicode_escapes),
		cmocka_unit_test(test_skim_depth),
		cmocka_unit_test(test_skim_load_same),
		cmocka_unit_test(test_body_read_back_without_text),
		cmocka_unit_test(test_escaped_lines),
		cmocka_unit_test(test_escaped_bodies_same),
		cmocka_unit_test(test_fields_one_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
