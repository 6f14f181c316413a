/* SPDX-License-Identifier: GPL-3.0-or-later */
/* layout-bench.c: bench/layout-compare's helper. Lays out text as xinwen's reading pane
 * does (or as a plain width-aware greedy wrapper), and scores a wrapped text against its
 * source with the same rules for every wrapper: lines over the width, closers at a line's
 * start, openers at its end, words split, fill and content changed (bench/README.md). */
#include <config.h>

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <wchar.h>

#include "benchutil.h"
#include "layout.h"
#include "strbuf.h"

/* Read all of stdin. */
static char *read_stdin(size_t *n)
{
	struct strbuf sb = {0};
	char buf[65536];
	size_t got;

	while ((got = fread(buf, 1, sizeof buf, stdin)) > 0)
		sb_append(&sb, buf, got);
	*n = sb.n;
	return sb.s ? sb.s : calloc(1, 1);
}

/* xinwen: the text laid out as the pane lays out a body paragraph. */
static void wrap_xinwen(const char *s, size_t n, int width)
{
	struct layout_src src;
	layout_lines lines = {0};
	struct strbuf line = {0};

	layout_prepare(&src, s, n);
	layout_wrap(&src, width, &lines);
	for (size_t i = 0; i < lines.n; i++) {
		sb_clear(&line);
		layout_line_text(&src, &lines.v[i], width, &line);
		fwrite(line.s, 1, line.n, stdout);
		putchar('\n');
	}
	sb_free(&line);
	free(lines.v);
	layout_src_free(&src);
}

/* greedy: fill each line with code points while they fit (wcwidth), no other rule;
 * spaces at a break are dropped. */
static void wrap_greedy(const char *s, size_t n, int width)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + n;
	struct strbuf line = {0};
	int col = 0;

	while (p < end) {
		ucs4_t c;
		int len = u8_mbtouc(&c, p, (size_t)(end - p));
		int w = c == '\n' ? 0 : wcwidth((wchar_t)c);

		if (w < 0)
			w = 1;
		if (c == '\n' || col + w > width) {
			while (line.n && line.s[line.n - 1] == ' ')
				line.n--;
			if (c == '\n' || line.n) { /* a line of spaces only is dropped */
				fwrite(line.s, 1, line.n, stdout);
				putchar('\n');
			}
			sb_clear(&line);
			col = 0;
			if (c == '\n' || c == ' ') {
				p += len;
				continue;
			}
		}
		sb_append(&line, (const char *)p, (size_t)len);
		col += w;
		p += len;
	}
	if (line.n)
		fwrite(line.s, 1, line.n, stdout), putchar('\n');
	sb_free(&line);
}

/* ------------------------------------------------------------------------------ */
/* Scoring */

/* Never at the start of a line: Chinese pause marks and closers, ASCII closers. */
static bool no_start(ucs4_t c)
{
	static const char set[] = "、。，．：；！？」』）】》〉〕〗〙〛〞〟］｝”’·‧・･";
	return (c < 0x80 && c && strchr(",.;:!?)]}", (int)c)) ||
	       (c >= 0x80 && u8_strchr((const uint8_t *)set, c));
}

/* Never at the end of a line: openers. */
static bool no_end(ucs4_t c)
{
	static const char set[] = "「『（【《〈〔〖〘〚〝［｛“‘";
	return (c < 0x80 && c && strchr("([{", (int)c)) ||
	       (c >= 0x80 && u8_strchr((const uint8_t *)set, c));
}

static bool is_space(ucs4_t c)
{
	return c == ' ' || c == '\t' || c == 0x3000 || c == '\r';
}

static bool is_alnum(ucs4_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* One character that is not white space, and what stood between it and the one before. */
struct mark {
	ucs4_t c;
	bool space; /* white space before it on its line */
	bool brk;   /* a line break before it (inside its paragraph) */
};

typedef VEC(struct mark) marks;

/* A paragraph: lines [first, first + n) of a text. */
struct para {
	size_t first, n;
};

struct text {
	VEC(struct strbuf) lines;
	VEC(struct para) paras;
};

static bool line_blank(const struct strbuf *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strchr(" \t\r", l->s[i]))
			return false;
	return true;
}

static void split_text(const char *s, size_t n, struct text *t)
{
	const char *end = s + n;

	memset(t, 0, sizeof *t);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		struct strbuf l = {0};
		sb_append(&l, s, (size_t)((nl ? nl : end) - s));
		VEC_PUSH(&t->lines, l);
		s = nl ? nl + 1 : end;
	}
	for (size_t i = 0; i < t->lines.n;) {
		if (line_blank(&t->lines.v[i])) {
			i++;
			continue;
		}
		struct para p = {i, 0};
		while (i < t->lines.n && !line_blank(&t->lines.v[i]))
			i++, p.n++;
		VEC_PUSH(&t->paras, p);
	}
}

/* The marks of paragraph p; *bad is set when a line holds invalid UTF-8. */
static void para_marks(const struct text *t, const struct para *p, marks *m, bool *bad)
{
	m->n = 0;
	for (size_t l = p->first; l < p->first + p->n; l++) {
		const uint8_t *s = (const uint8_t *)t->lines.v[l].s, *e = s + t->lines.v[l].n;
		bool space = false, brk = l > p->first;
		while (s < e) {
			ucs4_t c;
			int len = u8_mbtouc(&c, s, (size_t)(e - s));
			if (c == 0xFFFD && !(len == 3 && s[0] == 0xEF))
				*bad = true;
			s += len;
			if (is_space(c)) {
				space = true;
				continue;
			}
			struct mark mk = {c, space, brk};
			VEC_PUSH(m, mk);
			space = brk = false;
		}
	}
}

struct score {
	long lines, over, closer, opener, split, fill_cols, fill_cap, paras, changed;
};

/* Per-line rules of paragraph p of out at width w. */
static void score_lines(const struct text *out, const struct para *p, int w, struct score *sc)
{
	for (size_t l = p->first; l < p->first + p->n; l++) {
		const struct strbuf *line = &out->lines.v[l];
		const uint8_t *s = (const uint8_t *)line->s, *e = s + line->n;
		ucs4_t first = 0, last = 0;
		int cols = 0;
		while (s < e) {
			ucs4_t c;
			s += u8_mbtouc(&c, s, (size_t)(e - s));
			int cw = c == '\t' ? 8 - cols % 8 : wcwidth((wchar_t)c);
			cols += cw < 0 ? 1 : cw;
			if (!is_space(c)) {
				if (!first)
					first = c;
				last = c;
			}
		}
		sc->lines++;
		sc->over += cols > w;
		bool debug = getenv("LAYOUT_BENCH_DEBUG") != NULL;
		if (l > p->first && no_start(first)) {
			sc->closer++;
			if (debug)
				fprintf(stderr, "closer at start: %s\n", line->s);
		}
		if (l + 1 < p->first + p->n) {
			sc->opener += no_end(last);
			if (debug && no_end(last))
				fprintf(stderr, "opener at end: %s\n", line->s);
			sc->fill_cols += cols > w ? w : cols;
			sc->fill_cap += w;
		}
	}
}

/* Compare the characters and the spaces between them of a source and a wrapped
 * paragraph: returns whether the content changed; counts words split. */
static bool compare_para(const marks *src, const marks *out, struct score *sc)
{
	bool changed = src->n != out->n;
	long split = 0;

	for (size_t k = 0; !changed && k < src->n; k++) {
		const struct mark *a = &src->v[k], *b = &out->v[k];
		bool src_gap = a->space || a->brk;
		if (a->c != b->c)
			changed = true;
		else if (k == 0)
			continue;
		else if (src_gap && !b->space && !b->brk)
			changed = true; /* a space deleted */
		else if (!src_gap && b->space && !b->brk)
			changed = true; /* a space added */
		else if (!src_gap && b->brk && is_alnum(src->v[k - 1].c) && is_alnum(a->c))
			split++;
	}
	sc->split += split;
	return changed;
}

static void score(const char *src_path, const char *out_path, int w)
{
	size_t ns, no;
	char *s = bench_read_file(src_path, &ns), *o = bench_read_file(out_path, &no);
	struct text ts, to;
	struct score sc = {0};
	marks ms = {0}, mo = {0};

	split_text(s, ns, &ts);
	split_text(o, no, &to);
	for (size_t i = 0; i < to.paras.n; i++)
		score_lines(&to, &to.paras.v[i], w, &sc);
	sc.paras = (long)ts.paras.n;
	for (size_t i = 0; i < ts.paras.n; i++) {
		bool bad = false;
		if (i >= to.paras.n) {
			sc.changed++;
			continue;
		}
		para_marks(&ts, &ts.paras.v[i], &ms, &bad);
		para_marks(&to, &to.paras.v[i], &mo, &bad);
		if (compare_para(&ms, &mo, &sc) || bad) {
			sc.changed++;
			if (getenv("LAYOUT_BENCH_DEBUG"))
				fprintf(stderr, "changed: paragraph %zu, line %zu of the source\n",
					i, ts.paras.v[i].first + 1);
		}
	}
	printf("%ld %ld %ld %ld %ld %ld %ld %ld %ld\n", sc.lines, sc.over, sc.closer, sc.opener,
	       sc.split, sc.fill_cols, sc.fill_cap, sc.paras, sc.changed);
	for (size_t i = 0; i < ts.lines.n; i++)
		sb_free(&ts.lines.v[i]);
	for (size_t i = 0; i < to.lines.n; i++)
		sb_free(&to.lines.v[i]);
	free(ts.lines.v), free(ts.paras.v), free(to.lines.v), free(to.paras.v);
	free(ms.v), free(mo.v), free(s), free(o);
}

static int usage(void)
{
	fputs("usage: layout-bench wrap xinwen|greedy WIDTH < TEXT\n"
	      "       layout-bench score WIDTH SOURCE WRAPPED\n"
	      "score prints: lines over-width closer-at-start opener-at-end words-split\n"
	      "fill-columns fill-capacity paragraphs paragraphs-changed\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	if (!setlocale(LC_ALL, "C.UTF-8") && !setlocale(LC_ALL, ""))
		return fputs("layout-bench: no UTF-8 locale\n", stderr), 1;
	if (argc == 4 && !strcmp(argv[1], "wrap")) {
		int w = atoi(argv[3]);
		size_t n;
		char *s = read_stdin(&n);
		if (w < 1)
			return usage();
		if (!strcmp(argv[2], "xinwen"))
			wrap_xinwen(s, n, w);
		else if (!strcmp(argv[2], "greedy"))
			wrap_greedy(s, n, w);
		else
			return usage();
		free(s);
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "score") && atoi(argv[2]) > 0) {
		score(argv[3], argv[4], atoi(argv[2]));
		return 0;
	}
	return usage();
}
