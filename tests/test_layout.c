/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_layout.c: wrapping display text (doc/LAYOUT.md §2, §3, §6, §7, §8). */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <wchar.h>

#include "layout.h"

#define MAX_LINES 16

/* One row of doc/LAYOUT.md §8: width, input (n == 0: strlen) and the lines. */
struct wrap_case {
	int width;
	const char *in;
	size_t n;
	const char *lines[MAX_LINES]; /* NULL-terminated */
};

#define A10 "aaaaaaaaaa"
static const struct wrap_case layout_cases[] = {
	{10,
	 "中華民國交通部中央氣象局今天表示，受到東北季風影響，北部地區氣溫明顯下降。",
	 0,
	 {"中華民國交", "通部中央氣", "象局今天表", "示，受到東", "北季風影", "響，北部地",
	  "區氣溫明顯", "下降。"}},
	{40,
	 "中華民國交通部中央氣象局今天表示，受到東北季風影響，北部地區氣溫明顯下降。",
	 0,
	 {"中華民國交通部中央氣象局今天表示，受到東", "北季風影響，北部地區氣溫明顯下降。"}},
	{12,
	 "他說：「今天天氣很好。」然後（笑）走了！",
	 0,
	 {"他說：「今天", "天氣很好。」", "然後（笑）走", "了！"}},
	{10, "一二三四五。六七", 0, {"一二三四", "五。六七"}},
	{10, "一二三四「五六」", 0, {"一二三四", "「五六」"}},
	{10, "一二三四。」』好", 0, {"一二三", "四。」』好"}},
	{9, "一二三四——五", 0, {"一二三四", "——五"}},
	{8, "2020-11-21報導", 0, {"2020-11-", "21報導"}},
	{20, "https://example.com/" A10 A10 A10, 0, {"https://example.com/", A10 A10, A10}},
	{10, "abcd efghi jk", 0, {"abcd efghi", "jk"}},
	{10, "abcdefghi中文", 0, {"abcdefghi", "中文"}},
	{6, "Cafe\xcc\x81 re\xcc\x81sume\xcc\x81", 0, {"Cafe\xcc\x81", "re\xcc\x81sume\xcc\x81"}},
	{4, "讚👍好", 0, {"讚👍", "好"}},
	{10,
	 "ab\xff\xfe"
	 "cd\xe4\xb8",
	 0,
	 {"ab\xef\xbf\xbd\xef\xbf\xbd"
	  "cd\xef\xbf\xbd"}},
	{40,
	 "a\x1b[31mb\x07"
	 "c\x7f"
	 "d\xc2\x9b"
	 "e\xe2\x80\xae"
	 "f\xe2\x81\xa6"
	 "g\xef\xbb\xbf"
	 "h\xe2\x80\x8b"
	 "i\xc2\xad"
	 "j",
	 0,
	 {"a^[[31mb^Gc^?d\xef\xbf\xbd"
	  "efghij"}},
	{20, "a\tb\tc", 0, {"a       b       c"}},
	{2, "中文。ab", 0, {"中", "文", "。", "ab"}},
	{10, "　　第一段。\n　　第二段。", 0, {"　　第一", "段。", "　　第二", "段。"}},
	{8, "中文 English 中文", 0, {"中文", "English", "中文"}},
	{10,
	 "a\r\nb\rc\xe2\x80\xa8"
	 "d",
	 0,
	 {"a", "b", "c", "d"}},
	{6, "克里斯·哈里斯", 0, {"克里", "斯·哈", "里斯"}},
	{6, "ＡＢＣ１２３", 0, {"ＡＢＣ", "１２３"}},
	/* A wide character cannot fit: a 1-column placeholder, never a crash. */
	{1, "中a文", 0, {"?", "a", "?"}},
};

#define NCASES (sizeof layout_cases / sizeof layout_cases[0])

/* Columns text takes by glibc wcwidth(), as a terminal driven by ncurses draws it. */
static int text_cols(const char *s, size_t n)
{
	size_t i = 0;
	int w = 0;

	while (i < n) {
		ucs4_t c;
		int len = u8_mbtouc(&c, (const uint8_t *)s + i, n - i);
		int cw = wcwidth((wchar_t)c);

		assert_true(cw >= 0);
		w += cw;
		i += (size_t)len;
	}
	return w;
}

static void prepare(struct layout_src *src, const char *s, size_t n)
{
	layout_prepare(src, s, n);
}

/* Append the clusters of [first, first+count) that are not white space (space,
 * TAB) or LF to b. */
static void visible_clusters(const struct layout_src *src, size_t first, size_t count,
			     struct strbuf *b)
{
	size_t i;

	for (i = first; i < first + count; i++) {
		const struct layout_cluster *c = &src->cl[i];

		if (c->flags & (LC_SPACE | LC_TAB | LC_NEWLINE))
			continue;
		sb_append(b, src->text.s + c->off, c->len);
	}
}

/*
 * The invariants every wrap must keep: each line fits, its cols is the sum of
 * layout_cluster_cols and the width of what layout_line_text draws, lines are in
 * order, no visible cluster is lost, a line neither starts with white space that
 * caused a break nor ends with white space, and an LF never sits inside a line.
 */
static void check_wrap(const struct layout_src *src, int width, const layout_lines *lines)
{
	struct strbuf all = {0}, kept = {0}, text = {0};
	size_t l, next = 0;

	assert_true(lines->n >= 1);
	for (l = 0; l < lines->n; l++) {
		const struct layout_line *ln = &lines->v[l];
		size_t i;
		int col = ln->indent;

		assert_true(ln->first >= next);
		assert_true(ln->first + ln->count <= src->ncl || (src->ncl == 0 && ln->count == 0));
		assert_true(ln->indent >= 0 && (ln->count || ln->indent == 0));
		for (i = ln->first; i < ln->first + ln->count; i++) {
			assert_false(src->cl[i].flags & LC_NEWLINE);
			col += layout_line_cluster_cols(ln, &src->cl[i], col, width);
		}
		assert_int_equal(col, ln->cols);
		assert_true(ln->cols <= width);
		assert_true(ln->cols >= 0);
		if (ln->count && ln->first > 0 && !(src->cl[ln->first - 1].flags & LC_NEWLINE))
			assert_false(src->cl[ln->first].flags & (LC_SPACE | LC_TAB));
		if (ln->count)
			assert_false(src->cl[ln->first + ln->count - 1].flags &
				     (LC_SPACE | LC_TAB));
		sb_clear(&text);
		layout_line_text(src, ln, width, &text);
		assert_int_equal(text_cols(sb_cstr(&text), text.n), ln->cols);
		visible_clusters(src, ln->first, ln->count, &kept);
		next = ln->first + ln->count;
	}
	visible_clusters(src, 0, src->ncl, &all);
	assert_int_equal(all.n, kept.n);
	assert_string_equal(sb_cstr(&all), sb_cstr(&kept));
	sb_free(&all);
	sb_free(&kept);
	sb_free(&text);
}

static void wrap_checked(const struct layout_src *src, int width, layout_lines *lines)
{
	lines->n = 0;
	layout_wrap(src, width, lines);
	check_wrap(src, width, lines);
}

/* Every row of doc/LAYOUT.md §8, lines exactly as in the table. */
static void test_layout_table(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < NCASES; k++) {
		const struct wrap_case *c = &layout_cases[k];
		struct layout_src src;
		layout_lines lines = {0};
		struct strbuf b = {0};
		size_t nexp = 0, l;

		while (nexp < MAX_LINES && c->lines[nexp])
			nexp++;
		prepare(&src, c->in, c->n ? c->n : strlen(c->in));
		wrap_checked(&src, c->width, &lines);
		for (l = 0; l < lines.n; l++) {
			sb_clear(&b);
			layout_line_text(&src, &lines.v[l], c->width, &b);
			if (l >= nexp || strcmp(sb_cstr(&b), c->lines[l]) != 0)
				print_error("case %zu (width %d) line %zu: got \"%s\"\n", k,
					    c->width, l, sb_cstr(&b));
			assert_true(l < nexp);
			assert_string_equal(sb_cstr(&b), c->lines[l]);
		}
		assert_int_equal(lines.n, nexp);
		sb_free(&b);
		free(lines.v);
		layout_src_free(&src);
	}
}

/* The width-1 row: 中 and 文 become a 1-column placeholder, no line is wider than 1. */
static void test_placeholder_width1(void **state)
{
	struct layout_src src;
	layout_lines lines = {0};
	size_t l;

	(void)state;
	prepare(&src, "中a文", strlen("中a文"));
	assert_int_equal(src.ncl, 3);
	assert_int_equal(src.cl[0].width, 2);
	assert_int_equal(layout_cluster_cols(&src.cl[0], 0, 1), 1);
	assert_int_equal(layout_cluster_cols(&src.cl[0], 0, 2), 2);
	wrap_checked(&src, 1, &lines);
	assert_int_equal(lines.n, 3);
	for (l = 0; l < lines.n; l++) {
		assert_int_equal(lines.v[l].cols, 1);
		assert_int_equal(lines.v[l].count, 1);
	}
	free(lines.v);
	layout_src_free(&src);
}

/* Every §8 input at every width from 1 to 300 keeps the invariants, wrapped as a body
 * and balanced as a headline (in as many lines). */
static void test_layout_table_all_widths(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < NCASES; k++) {
		const struct wrap_case *c = &layout_cases[k];
		struct layout_src src;
		layout_lines lines = {0};
		int w;

		prepare(&src, c->in, c->n ? c->n : strlen(c->in));
		for (w = 1; w <= 300; w++) {
			size_t greedy;

			wrap_checked(&src, w, &lines);
			greedy = lines.n;
			lines.n = 0;
			layout_wrap_balanced(&src, w, &lines);
			check_wrap(&src, w, &lines);
			assert_int_equal(lines.n, greedy);
		}
		free(lines.v);
		layout_src_free(&src);
	}
}

static bool is_cluster(const struct layout_src *src, size_t i, const char *s)
{
	return src->cl[i].len == strlen(s) &&
	       memcmp(src->text.s + src->cl[i].off, s, strlen(s)) == 0;
}

/* Whether line ln ends its paragraph: only white space, then an LF or the end. */
static bool ends_paragraph(const struct layout_src *src, const struct layout_line *ln)
{
	size_t i = ln->first + ln->count;

	while (i < src->ncl && (src->cl[i].flags & (LC_SPACE | LC_TAB)))
		i++;
	return i == src->ncl || (src->cl[i].flags & LC_NEWLINE);
}

/* clreq at widths where the rules need not give way: no line starts with a
 * closer or pause mark, none ends with an opener (unless the source paragraph
 * itself does). */
static void check_kinsoku(const struct layout_src *src, const layout_lines *lines)
{
	static const char *const no_start[] = {"、", "，", "。", "：", "；", "！", "？", "」",
					       "』", "）", "】", "》", "〉", "”",  "’",	 "·"};
	static const char *const no_end[] = {"「", "『", "（", "【", "《", "〈", "“", "‘"};
	size_t l, k;

	for (l = 0; l < lines->n; l++) {
		const struct layout_line *ln = &lines->v[l];

		if (!ln->count)
			continue;
		if (ln->first > 0 && !(src->cl[ln->first - 1].flags & LC_NEWLINE))
			for (k = 0; k < sizeof no_start / sizeof no_start[0]; k++)
				assert_false(is_cluster(src, ln->first, no_start[k]));
		if (!ends_paragraph(src, ln))
			for (k = 0; k < sizeof no_end / sizeof no_end[0]; k++)
				assert_false(is_cluster(src, ln->first + ln->count - 1, no_end[k]));
	}
}

/* The seed article at every width from 1 to 200. */
static void test_seed_all_widths(void **state)
{
	struct layout_src src;
	layout_lines lines = {0};
	size_t n;
	char *s = test_read_seed(&n);
	int w;

	(void)state;
	prepare(&src, s, n);
	assert_true(src.ncl > 1000);
	for (w = 1; w <= 200; w++) {
		wrap_checked(&src, w, &lines);
		if (w >= 12)
			check_kinsoku(&src, &lines);
	}
	free(lines.v);
	layout_src_free(&src);
	free(s);
}

/* What layout_line_text draws from hostile input holds no control, C1 or bidi
 * character: nothing that a terminal would obey. */
static void test_hostile_output(void **state)
{
	static const char hostile[] =
		"SAFE\rEVIL\x1b]0;title\x07\x1b[2J\x1b"
		"c\x9b"
		"31m\xc2\x9b"
		"31m\xc2\x85\x08\x7f"
		"\0nul\x01\x02\x03\x04\x05\x06\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
		"\x19\x1a\x1c\x1d\x1e\x1f\t\ttab\xe2\x80\xae"
		"evil\xe2\x80\xac\xe2\x81\xa6\xe2\x81\xa9"
		"\xd8\x9c\xe2\x80\x8e\xe2\x80\x8f\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xad\xe2\x81\xa7"
		"\xe2\x81\xa8\xef\xbb\xbf\xe2\x80\x8b\xc2\xad\xe2\x80\xa8\xe2\x80\xa9\r\n"
		"\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xff\xfe\xc0\xaf\xed\xa0"
		"\x80"
		"\xf4\x90\x80\x80\xe4\xb8中文\xef\xbf\xbf";
	struct layout_src src;
	layout_lines lines = {0};
	struct strbuf b = {0};
	int w;

	(void)state;
	prepare(&src, hostile, sizeof hostile - 1);
	for (w = 1; w <= 80; w++) {
		size_t l;

		wrap_checked(&src, w, &lines);
		for (l = 0; l < lines.n; l++) {
			size_t i = 0;

			sb_clear(&b);
			layout_line_text(&src, &lines.v[l], w, &b);
			assert_null(u8_check((const uint8_t *)b.s, b.n));
			while (i < b.n) {
				ucs4_t c;
				int len = u8_mbtouc(&c, (const uint8_t *)b.s + i, b.n - i);

				assert_true(c >= 0x20);
				assert_true(c != 0x7f);
				assert_false(c >= 0x80 && c <= 0x9f);
				assert_false(c == 0x061c || c == 0x200e || c == 0x200f ||
					     (c >= 0x202a && c <= 0x202e) ||
					     (c >= 0x2066 && c <= 0x2069));
				assert_false(c == 0x2028 || c == 0x2029 || c == 0xfeff ||
					     c == 0x200b || c == 0xad);
				i += (size_t)len;
			}
		}
	}
	/* SAFE\rEVIL is two lines, not EVIL drawn over SAFE. */
	lines.n = 0;
	layout_wrap(&src, 80, &lines);
	sb_clear(&b);
	layout_line_text(&src, &lines.v[0], 80, &b);
	assert_string_equal(sb_cstr(&b), "SAFE");
	sb_free(&b);
	free(lines.v);
	layout_src_free(&src);
}

/* A 1 MiB single line, one unbreakable token and Han text: the fitter is linear. */
static void test_one_mib_line(void **state)
{
	const size_t n = 1u << 20;
	char *s = malloc(n);
	struct layout_src src;
	layout_lines lines = {0};
	size_t i;

	(void)state;
	assert_non_null(s);
	memset(s, 'x', n);
	prepare(&src, s, n);
	assert_int_equal(src.ncl, n);
	lines.n = 0;
	layout_wrap(&src, 80, &lines);
	assert_int_equal(lines.n, (n + 79) / 80);
	lines.n = 0;
	layout_wrap(&src, 1, &lines);
	assert_int_equal(lines.n, n);
	layout_src_free(&src);

	/* 中 is 3 bytes: fill 1 MiB with Han, a comma every 50 characters. */
	for (i = 0; i + 3 <= n; i += 3)
		memcpy(s + i, (i / 3) % 50 == 49 ? "，" : "中", 3);
	prepare(&src, s, i);
	lines.n = 0;
	layout_wrap(&src, 80, &lines);
	for (i = 0; i < lines.n; i++)
		assert_true(lines.v[i].cols <= 80);
	lines.n = 0;
	layout_wrap(&src, 3, &lines);
	assert_true(lines.n >= src.ncl / 2);
	layout_src_free(&src);

	/* Spaces between short words: the break-and-trim path. */
	for (i = 0; i < n; i++)
		s[i] = i % 4 == 3 ? ' ' : 'w';
	prepare(&src, s, n);
	lines.n = 0;
	layout_wrap(&src, 80, &lines);
	assert_int_equal(lines.v[0].cols, 79);
	layout_src_free(&src);
	free(lines.v);
	free(s);
}

/* Cluster analysis: widths, flags and break opportunities. */
static void test_clusters(void **state)
{
	struct layout_src src;
	const char *s = "a b\t中\n\x1b"
			"e\xcc\x81🇹🇼🇯🇵👨\u200d👩\u200d👧";

	(void)state;
	prepare(&src, s, strlen(s));
	/* a, ' ', b, TAB, 中, LF, ^[, é, TW, JP, then the family's three emoji (ZWJ dropped) */
	assert_int_equal(src.ncl, 13);
	assert_int_equal(src.cl[0].flags, 0);
	assert_int_equal(src.cl[1].flags & LC_SPACE, LC_SPACE);
	assert_int_equal(src.cl[2].flags & LC_BREAK, LC_BREAK);
	assert_int_equal(src.cl[3].flags & LC_TAB, LC_TAB);
	assert_int_equal(src.cl[3].width, 0);
	assert_int_equal(src.cl[4].width, 2);
	assert_int_equal(src.cl[5].flags & LC_NEWLINE, LC_NEWLINE);
	assert_int_equal(src.cl[5].width, 0);
	/* caret text is one cluster, so a line never splits it */
	assert_int_equal(src.cl[6].flags & LC_CARET, LC_CARET);
	assert_int_equal(src.cl[6].len, 2);
	assert_int_equal(src.cl[6].width, 2);
	assert_int_equal(src.cl[7].flags & LC_CARET, 0);
	assert_int_equal(src.cl[7].len, 3);
	assert_int_equal(src.cl[7].width, 1);
	/* 🇹🇼 and 🇯🇵 are a cluster each; the family falls apart into its emoji */
	assert_int_equal(src.cl[8].len, 8);
	assert_int_equal(src.cl[8].width, 2);
	assert_int_equal(src.cl[9].len, 8);
	for (size_t i = 10; i < 13; i++) {
		assert_int_equal(src.cl[i].len, 4);
		assert_int_equal(src.cl[i].width, 2);
	}
	layout_src_free(&src);

	/* Two ESCs and an RS (^^): three caret clusters, paired from the left. */
	prepare(&src, "\x1b\x1b\x1e", 3);
	assert_int_equal(src.ncl, 3);
	assert_int_equal(src.cl[2].off, 4);
	assert_int_equal(src.cl[2].len, 2);
	assert_int_equal(src.text.s[5], '^');
	layout_src_free(&src);
}

/* Break opportunities after the clreq tailoring, as a string: '|' where a
 * line may break before a cluster. */
static void breaks_of(const char *s, struct strbuf *b)
{
	struct layout_src src;
	size_t i;

	prepare(&src, s, strlen(s));
	sb_clear(b);
	for (i = 0; i < src.ncl; i++) {
		if (src.cl[i].flags & LC_BREAK)
			sb_putc(b, '|');
		sb_append(b, src.text.s + src.cl[i].off, src.cl[i].len);
	}
	layout_src_free(&src);
}

/* doc/LAYOUT.md §3: the tailoring of UAX #14. */
static void test_tailoring(void **state)
{
	static const struct {
		const char *in, *marked;
	} cases[] = {
		/* rule 4: curly quotes break on their wide side */
		{"他說“我們”的事", "他|說|“我|們”|的|事"},
		{"他‘我’的", "他|‘我’|的"},
		/* rule 1: an interpunct never starts a line */
		{"克里斯·哈里斯", "克|里|斯·|哈|里|斯"},
		{"a‧b・c･d", "a‧|b・|c･|d"},
		/* rule 3: 1～3 stays together, …… and —— too */
		{"1～3日", "1～3|日"},
		{"中……文", "中……|文"},
		{"一二——五", "一|二|——|五"},
		/* rules 1, 2, 5: closers and openers */
		{"好。」』好", "好。」』|好"},
		{"一「二」三", "一|「二」|三"},
		{"說“「好」”的", "說|“「好」”|的"},
		/* no break inside a Latin word, only at hyphens and spaces */
		{"abc-def ghi", "abc-|def |ghi"},
	};
	struct strbuf b = {0};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		breaks_of(cases[i].in, &b);
		assert_string_equal(sb_cstr(&b), cases[i].marked);
	}
	sb_free(&b);
}

/* Expected lines of s at width w, joined with '/'. */
static void check_lines(const char *s, int w, const char *want)
{
	struct layout_src src;
	layout_lines lines = {0};
	struct strbuf b = {0};
	size_t l;

	prepare(&src, s, strlen(s));
	wrap_checked(&src, w, &lines);
	for (l = 0; l < lines.n; l++) {
		if (l)
			sb_putc(&b, '/');
		layout_line_text(&src, &lines.v[l], w, &b);
	}
	assert_string_equal(sb_cstr(&b), want);
	sb_free(&b);
	free(lines.v);
	layout_src_free(&src);
}

/* Edges of the fitter: empty text, hard breaks, spaces, tabs, combining marks. */
static void test_fitter_edges(void **state)
{
	(void)state;
	check_lines("", 10, "");
	check_lines("a\n", 10, "a");
	check_lines("\n\n", 10, "/");
	check_lines("a\n\nb", 10, "a//b");
	check_lines("abc     \ndef", 4, "abc/def");
	check_lines("ab      cd", 4, "ab/cd");
	check_lines("  indented", 20, "  indented");
	check_lines("a\tb", 4, "a/b");
	check_lines("a\tb", 20, "a       b");
	check_lines("\t\tx", 20, "                x");
	check_lines("\t\tx", 10, "x");
	check_lines("abcdefgh\tx", 8, "abcdefgh/x");
	check_lines("Cafe\xcc\x81", 1, "C/a/f/e\xcc\x81");
	check_lines("他說“我們”的事", 6, "他說/“我們”/的事");
	check_lines("共1～3日", 5, "共/1～3/日");
	check_lines("好。」』", 3, "好/。/」/』");
	check_lines("xxxxxxxxxxxxx yy", 5, "xxxxx/xxxxx/xxx/yy");
	check_lines("(  abcdef", 3, "(/abc/def");
	/* an emergency break moves a digit down rather than start a line with 」 */
	check_lines("「1+6+1」工作推進體系", 8, "「1+6+/1」工作/推進體系");
	/* caret text is never split; at width 1 it is a placeholder */
	check_lines("ab\x1b[", 3, "ab/^[[");
	check_lines("\x1b", 1, "?");
}

/* The lines of s at width w, balanced as a headline, joined with '/'. */
static void check_balanced(const char *s, int w, const char *want)
{
	struct layout_src src;
	layout_lines lines = {0};
	struct strbuf b = {0};
	size_t l;

	prepare(&src, s, strlen(s));
	layout_wrap_balanced(&src, w, &lines);
	check_wrap(&src, w, &lines);
	for (l = 0; l < lines.n; l++) {
		if (l)
			sb_putc(&b, '/');
		layout_line_text(&src, &lines.v[l], w, &b);
	}
	assert_string_equal(sb_cstr(&b), want);
	sb_free(&b);
	free(lines.v);
	layout_src_free(&src);
}

/* From df(1) in Debian's manpages-zh (zh_TW). */
#define DF_FIELDS                                                                               \
	"有效的欄位名稱包括：\"source\"、\"fstype\"、\"itotal\"、\"iused\"、"     \
	"\"iavail\"、\"ipcent\"、\"size\"、\"used\"、\"avail\"、\"pcent\"、\"file\" 和 " \
	"\"target\"（請參考 info 資訊頁）。"

/* doc/LAYOUT.md §3 rule 8: a straight quote beside a wide character is a quote whose
 * direction is guessed, so a run of quoted words breaks after each 、 (it was one
 * unbreakable run: 31 empty cells at 100, then "fi / le"; a line starting with "、 at
 * 41). */
static void test_straight_quotes(void **state)
{
	static const struct {
		const char *in, *marked;
	} cases[] = {
		{"的：\"source\"、\"fstype\"、\"file\" 和 \"target\"（請",
		 "的^：|\"^source^\"^、|\"^fstype^\"^、|\"^file^\" |和 |\"^target^\"|（^請"},
		/* wide on both sides: the count of quotes before decides */
		{"說\"我們\"的事", "說|\"^我|們^\"|的|事"},
		{"中文\"abc\"中文", "中|文|\"^abc^\"|中|文"},
		/* an apostrophe needs a wide character inside the quotation */
		{"他說'好'的", "他|說|'^好^'|的"},
		{"it's 中's", "it's |中's"},
		/* paired: the count decides (the neighbours guessed that Linux"核 closes,
		 * 心"Linux opens, 含". opens) */
		{"say \"hi\" now", "say |\"^hi^\" |now"},
		{"不含\".\"的域名", "不|含|\"^.^\"|的|域|名"},
		{"Linux\"核心\"是", "Linux\"^核|心^\"|是"},
		{"\"核心\"Linux", "\"^核|心^\"Linux"},
		{"顯示\"唯一名\"(UniqueName)", "顯|示|\"^唯|一|名^\"(^UniqueName^)"},
		/* an odd count: the wide side (中"abc opens, abc"中 closes) */
		{"他說\"好。使用\"-r\"選項", "他|說|\"^好^。|使|用|\"^-^r^\"|選|項"},
		/* set off by spaces: the count decides, glued over the spaces (rule 9) */
		{"面的 \" apm -i \" 然後", "面|的 |\" ^apm |-^i ^\" |然|後"},
		{"say \" hi \" now", "say |\" ^hi ^\" |now"},
		{"a \" b", "a |\" |b"},
		{"a?\"x \"說", "a^?\"^x ^\"|說"},
	};
	struct strbuf b = {0};

	(void)state;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct layout_src src;

		prepare(&src, cases[i].in, strlen(cases[i].in));
		sb_clear(&b);
		for (size_t k = 0; k < src.ncl; k++) {
			if (src.cl[k].flags & LC_BREAK)
				sb_putc(&b, '|');
			if (src.cl[k].flags & LC_GLUED)
				sb_putc(&b, '^');
			sb_append(&b, src.text.s + src.cl[k].off, src.cl[k].len);
		}
		assert_string_equal(sb_cstr(&b), cases[i].marked);
		layout_src_free(&src);
	}
	sb_free(&b);
	check_lines(DF_FIELDS, 41,
		    "有效的欄位名稱包括：\"source\"、\"fstype\"、/"
		    "\"itotal\"、\"iused\"、\"iavail\"、\"ipcent\"、/"
		    "\"size\"、\"used\"、\"avail\"、\"pcent\"、\"file\"/"
		    "和 \"target\"（請參考 info 資訊頁）。");
	check_lines(
		DF_FIELDS, 100,
		"有效的欄位名稱包括：\"source\"、\"fstype\"、\"itotal\"、\"iused\"、\"iavail\"、"
		"\"ipcent\"、\"size\"、\"used\"、/\"avail\"、\"pcent\"、\"file\" 和 \"target\""
		"（請參考 info 資訊頁）。");
}

/* Rule 7: a word longer than the line breaks after a mark inside it first, and never
 * puts an ASCII closer first on a line (cpio(1) and ld(1) in manpages-zh). */
static void test_long_words(void **state)
{
	(void)state;
	/* was [[user@]host:]archiv / e] */
	check_lines("[-F [[user@]host:]archive]", 20, "[-F/[[user@]host:]/archive]");
	/* a word's first hyphens stay with it (was -- / file=[[user@]host:] / archive]) */
	check_lines("--file=[[user@]host:]archive]", 20, "--file=[[user@]/host:]archive]");
	check_lines("使用 --long-option=value 選項", 8, "使用/--long-/option=/value 選/項");
	check_lines("ab -r cd", 3, "ab/-r/cd");
	check_lines("(-r) \"-x\" 2020-11-21", 8, "(-r)/\"-x\"/2020-11-/21");
	/* a C identifier breaks after an underscore */
	check_lines("COLLECT_NO_DEMANGLE_FOO", 12, "COLLECT_NO_/DEMANGLE_FOO");
	/* a run of marks stays whole: after ://, not after : */
	check_lines("https://example.com/path", 12, "https:///example.com//path");
	check_lines("abcdef=ghijklmno", 10, "abcdef=/ghijklmno");
	/* not when that leaves the line less than half full */
	check_lines("a=bcdefghijklmno", 10, "a=bcdefghi/jklmno");
	/* was COLLECT_NO_DEMANGLE / . */
	check_lines("设置了 环境变量 COLLECT_NO_DEMANGLE .  这些选项", 19,
		    "设置了 环境变量/COLLECT_NO_DEMANGL/E .  这些选项");
	check_lines("abcdefgh, ijk", 8, "abcdefg/h, ijk");
	check_lines("abcdefgh...", 8, "abcdefg/h...");
	check_lines("f(abcdefgh)", 9, "f(abcdefg/h)");
}

/* A deep indent that leaves no room for what a rule glues together is left behind
 * rather than the rule broken (fortunes-zh, manpages-zh: a line started with ，). */
static void test_deep_indent(void **state)
{
	(void)state;
	check_lines("                 立，则见其参于前也；在舆，则见其倚于衡也。", 20,
		    "立，则见其参于前也；/在舆，则见其倚于衡/也。");
	check_lines("                  [ LOCATION [=] 'dbpath' ]", 20, "[ LOCATION [=]/'dbpath' ]");
	check_lines("                               ...", 33, "...");
	/* room enough: the indent stays */
	check_lines("                 立，则见其", 33, "                 立，则见其");
}

/* Rule 9: an opener followed by a space glues to what follows (host(1) in
 * manpages-zh: the line ended with “). */
static void test_opener_space(void **state)
{
	(void)state;
	check_lines("用户 键入的命令 是 “ host sun4 ” 第一行 表明", 20,
		    "用户 键入的命令 是/“ host sun4 ” 第一行/表明");
	check_lines("他說「 好 」的", 8, "他說/「 好 」/的");
	/* longer than the line: the closer takes a letter down rather than start it */
	check_lines("abc ( def )", 5, "abc/( de/f )");
	check_lines("abc ( def )", 7, "abc/( def )");
}

/* §6: continuation lines of a list item hang under its text: [1], •, 1., （一）. */
static void test_hanging_indent(void **state)
{
	(void)state;
	check_lines("  • 第一項 這是一個很長的列表項目，它需要換行。", 20,
		    "  • 第一項 這是一個/    很長的列表項目，/    它需要換行。");
	check_lines("1. 第一項 這是一個很長的列表項目，它需要換行。", 20,
		    "1. 第一項 這是一個很/   長的列表項目，它/   需要換行。");
	check_lines("（一）第一項 這是一個很長的列表項目。", 20,
		    "（一）第一項 這是一/      個很長的列表項/      目。");
	check_lines("[12] 四川新聞丨做實社會治理 閬中下足繡花功夫", 20,
		    "[12] 四川新聞丨做實/     社會治理 閬中下/     足繡花功夫");
	check_lines("一、總則：本辦法依據有關法律制定之。", 16,
		    "一、總則：本辦法/    依據有關法律/    制定之。");
	/* enclosed numbers, with or without a space after them */
	check_lines("①第一項這是一個很長的列表項目，它需要換行。", 16,
		    "①第一項這是一個/ 很長的列表項/ 目，它需要換/ 行。");
	check_lines("⑴ 第一項這是一個很長的列表項目。", 16,
		    "⑴ 第一項這是一個/  很長的列表項/  目。");
	check_lines("㈠第一項這是一個很長的列表項目。", 16,
		    "㈠第一項這是一個/  很長的列表項/  目。");
	check_lines("(1) 第一項這是一個很長的列表項目。", 16,
		    "(1) 第一項這是一/    個很長的列表/    項目。");
	/* the pane's citing stories: under the headline, not under the arrow */
	check_lines("<- 桐溪鎮早市掛上評分板 攤商輪流值日掃街", 24,
		    "<- 桐溪鎮早市掛上評分板/   攤商輪流值日掃街");
	check_lines("-> ab cd ef", 9, "-> ab cd/   ef");
	check_lines("<-ab cd ef gh", 9, "<-ab cd/ef gh");
	/* each source line of a paragraph on its own */
	check_lines("- ab cd ef gh ij\n- kl mn op", 9, "- ab cd/  ef gh/  ij/- kl mn/  op");
	/* no marker: 3.14, 2020. with no space, a word; too wide a marker at the width */
	check_lines("3.14 is pi and more text", 10, "3.14 is pi/and more/text");
	check_lines("1.第一項這是很長", 10, "1.第一項這/是很長");
	check_lines("（一）第一項這是", 8, "（一）第/一項這是");
}

/* §6: runs of more than 3 spaces inside a line are squeezed to one when the line must
 * wrap; a line that fits is shown as written, and leading indents are kept. */
static void test_space_runs(void **state)
{
	static const char tag[] = "       -Z          受限 模式. 同运行 以 \"r\" 开头的 程序 同效.";

	(void)state;
	/* was "       -Z" / "受限 模式..." (77% fill in the man pages) */
	check_lines(tag, 20, "       -Z 受限 模式./同运行 以 \"r\" 开头的/程序 同效.");
	check_lines(tag, 80, tag);
	/* two or three spaces are kept */
	check_lines("ab.  cd   ef gh ij", 10, "ab.  cd/ef gh ij");
	check_lines("ab     cd ef gh", 8, "ab cd ef/gh");
	/* no-break spaces (&nbsp; of scraped pages, alone or between spaces) and ideographic
	 * spaces run alike: was 記 / 者 + 10 NBSP / 10 NBSP + 報 / ... */
	check_lines("記者\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"
		    "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0報導今天天氣很好",
		    12, "記者\u00a0報導今/天天氣很好");
	check_lines("ab\u00a0 \u00a0 \u00a0 \u00a0cd\u00a0 \u00a0 \u00a0 ef gh ij kl mn op qr", 20,
		    "ab\u00a0cd\u00a0ef gh ij kl mn/op qr");
	check_lines("第一欄　　　　　　　　第二欄　　　　第三欄", 20, "第一欄　第二欄　第三/欄");
	/* three are kept; a line that fits is as written */
	check_lines("ab\u00a0\u00a0\u00a0cd", 6, "ab\u00a0\u00a0\u00a0c/d");
	check_lines("第一欄　　　　第二欄", 20, "第一欄　　　　第二欄");
	/* many lines of word + run */
	check_lines("aa                              bb                              cc", 20,
		    "aa bb cc");
}

/* §7: headlines wrap for balance, preferring a space or a mark within a few cells. */
static void test_balanced_headlines(void **state)
{
	(void)state;
	/* the seed's title at 33: greedy leaves 花功夫 alone */
	check_lines("四川新聞丨做實社會治理 閬中下足繡花功夫", 33,
		    "四川新聞丨做實社會治理 閬中下足繡/花功夫");
	check_balanced("四川新聞丨做實社會治理 閬中下足繡花功夫", 33,
		       "四川新聞丨做實社會治理/閬中下足繡花功夫");
	/* no nice break near the middle: even lines */
	check_balanced("一二三四五六七八九十一二三四五六七八九十一二", 40,
		       "一二三四五六七八九十一/二三四五六七八九十一二");
	/* after a closer: 19 and 17 columns (the space would leave 23 and 12) */
	check_balanced("港北區:下足「繡花」功夫 打贏脫貧硬仗", 30,
		       "港北區:下足「繡花」/功夫 打贏脫貧硬仗");
	/* a hanging related story: its lines stay under its text */
	check_balanced("[3] 港北區:下足「繡花」功夫 打贏脫貧硬仗 (excerpt)", 38,
		       "[3] 港北區:下足「繡花」功夫/    打贏脫貧硬仗 (excerpt)");
	/* as many lines as greedy, never more; one line stays one line */
	check_balanced("short headline", 40, "short headline");
	check_balanced("a bb ccc dddd eeeee ffffff", 10, "a bb ccc/dddd eeeee/ffffff");
}

/* ------------------------------------------------------------------------------ */
/* Generated prose: the rules hold for the class of text, not only for the cases above. */

/* A small deterministic generator (an LCG), the same on every platform. */
static unsigned prose_rand(unsigned long *st, unsigned n)
{
	*st = *st * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)(*st >> 33) % n;
}

static const char *const prose_han[] = {"中",	"文",	"說",	"我們", "的",	"事",
					"今天", "天氣", "政府", "記者", "報導", "表示"};
static const char *const prose_latin[] = {"abc",
					  "Linux",
					  "x",
					  "GDP",
					  "2020",
					  "foo_bar",
					  "--long-option=value",
					  "/usr/share/doc",
					  "http://a.b/c?d=1",
					  "a,b,c",
					  "COLLECT_NO_DEMANGLE",
					  "-r",
					  "it's"};
static const char *const prose_pause[] = {"，", "。", "、", "：", "；", "！", "？", "……",
					  "——", ",",  ".",  ";",  ":",	"!",  "?",  "..."};
/* Pairs of marks, some set off by spaces; the straight quotes always pair up. */
static const char *const prose_open[] = {"「", "『", "（", "《",  "“",	"‘",
					 "\"", "(",  "[",  "\" ", "“ ", "( "};
static const char *const prose_close[] = {"」", "』", "）", "》",  "”",	 "’",
					  "\"", ")",  "]",  " \"", " ”", " )"};
static const char *const prose_marker[] = {"• ", "1. ", "（一）", "(1) ", "一、", "[3] ", "  • "};

static void prose_phrase(unsigned long *st, struct strbuf *sb, int depth)
{
	unsigned k = 1 + prose_rand(st, 5);

	for (unsigned i = 0; i < k; i++) {
		if (depth < 2 && prose_rand(st, 10) == 0) {
			unsigned q = prose_rand(st, ARRAY_LEN(prose_open));
			sb_puts(sb, prose_open[q]);
			prose_phrase(st, sb, depth + 1);
			sb_puts(sb, prose_close[q]);
		} else if (prose_rand(st, 4) == 0) {
			const char *w = prose_latin[prose_rand(st, ARRAY_LEN(prose_latin))];
			bool before = prose_rand(st, 3) == 0, after = prose_rand(st, 3) == 0;
			sb_printf(sb, "%s%s%s", before ? " " : "", w, after ? " " : "");
		} else {
			sb_puts(sb, prose_han[prose_rand(st, ARRAY_LEN(prose_han))]);
		}
	}
}

/* A paragraph of one to six sentences, one in five a list item. */
static void prose_paragraph(unsigned long *st, struct strbuf *sb)
{
	unsigned n = 1 + prose_rand(st, 6);

	sb_clear(sb);
	if (prose_rand(st, 5) == 0)
		sb_puts(sb, prose_marker[prose_rand(st, ARRAY_LEN(prose_marker))]);
	for (unsigned i = 0; i < n; i++) {
		prose_phrase(st, sb, 0);
		sb_puts(sb, prose_pause[prose_rand(st, ARRAY_LEN(prose_pause))]);
		if (prose_rand(st, 4) == 0)
			sb_putc(sb, ' ');
	}
}

/* Whether s starts with one of the marks of set (a NULL-terminated list). */
static bool starts_with_any(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strncmp(s, *set, strlen(*set)) == 0)
			return true;
	return false;
}

/* Whether s (n bytes) ends with one of the marks of set. */
static bool ends_with_any(const char *s, size_t n, const char *const *set)
{
	for (; *set; set++) {
		size_t k = strlen(*set);
		if (n >= k && memcmp(s + n - k, *set, k) == 0)
			return true;
	}
	return false;
}

/*
 * Check the lines of one generated paragraph: no line but the first starts with a
 * closer, pause mark or closing straight quote (Chinese or ASCII), none but the last
 * ends with an opener or an opening straight quote. The paragraph's straight quotes
 * pair up, so the count of those before a quote tells its direction.
 */
static void check_prose_lines(const struct layout_src *src, const layout_lines *lines, int width,
			      const char *para)
{
	static const char *const no_start[] = {"、", "，", "。", "：", "；", "！", "？", "」",
					       "』", "）", "》", "”",  "’",  ",",  ".",	 ";",
					       ":",  "!",  "?",	 ")",  "]",  NULL};
	static const char *const no_end[] = {"「", "『", "（", "《", "“", "‘", "(", "[", NULL};
	struct strbuf b = {0};
	unsigned quotes = 0;

	for (size_t l = 0; l < lines->n; l++) {
		const char *t;
		size_t n;

		sb_clear(&b);
		layout_line_text(src, &lines->v[l], width, &b);
		t = sb_cstr(&b);
		while (*t == ' ')
			t++;
		n = strlen(t);
		bool bad = (l > 0 && (starts_with_any(t, no_start) || (*t == '"' && quotes % 2))) ||
			   (l + 1 < lines->n && ends_with_any(t, n, no_end));
		for (size_t k = 0; k < n; k++)
			quotes += t[k] == '"';
		if (l + 1 < lines->n && n && t[n - 1] == '"' && quotes % 2)
			bad = true;
		if (bad)
			print_error("width %d, line %zu \"%s\" of \"%s\"\n", width, l, t, para);
		assert_false(bad);
	}
	sb_free(&b);
}

/* 3,000 generated paragraphs (Han and Latin words, options, paths, URLs, identifiers,
 * nested and spaced quotes and brackets, Chinese and ASCII pauses, list markers), each
 * at every width from 20 to 60, wrapped and balanced: the invariants hold and the
 * rules of doc/LAYOUT.md §3 are kept. */
static void test_generated_prose(void **state)
{
	unsigned long st = 18;
	struct strbuf para = {0};
	layout_lines lines = {0};

	(void)state;
	for (int p = 0; p < 3000; p++) {
		struct layout_src src;

		prose_paragraph(&st, &para);
		prepare(&src, para.s, para.n);
		for (int w = 20; w <= 60; w++) {
			wrap_checked(&src, w, &lines);
			check_prose_lines(&src, &lines, w, sb_cstr(&para));
			lines.n = 0;
			layout_wrap_balanced(&src, w, &lines);
			check_wrap(&src, w, &lines);
			check_prose_lines(&src, &lines, w, sb_cstr(&para));
		}
		layout_src_free(&src);
	}
	free(lines.v);
	sb_free(&para);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_table),
		cmocka_unit_test(test_placeholder_width1),
		cmocka_unit_test(test_layout_table_all_widths),
		cmocka_unit_test(test_seed_all_widths),
		cmocka_unit_test(test_hostile_output),
		cmocka_unit_test(test_one_mib_line),
		cmocka_unit_test(test_clusters),
		cmocka_unit_test(test_tailoring),
		cmocka_unit_test(test_fitter_edges),
		cmocka_unit_test(test_straight_quotes),
		cmocka_unit_test(test_long_words),
		cmocka_unit_test(test_deep_indent),
		cmocka_unit_test(test_opener_space),
		cmocka_unit_test(test_hanging_indent),
		cmocka_unit_test(test_space_runs),
		cmocka_unit_test(test_balanced_headlines),
		cmocka_unit_test(test_generated_prose),
	};

	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fputs("test_layout: the C.UTF-8 locale is missing\n", stderr);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
