/* SPDX-License-Identifier: GPL-3.0-or-later */
/* layout.c: grapheme clusters, break opportunities and a greedy fitter (LAYOUT.md §2, §3). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "layout.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unigbrk.h>
#include <unilbrk.h>
#include <unistr.h>


#define TAB_STOP 8
#define LOOKBACK_MAX 8 /* clusters an emergency break may move down for clreq */

/* The clreq character classes of LAYOUT.md §3. */

/* Never at the start of a line: pause marks, closers, interpuncts. */
static bool is_no_start(ucs4_t c)
{
	switch (c) {
	case 0x3001: /* 、 */
	case 0x3002: /* 。 */
	case 0xFF0C: /* ， */
	case 0xFF0E: /* ． */
	case 0xFF1A: /* ： */
	case 0xFF1B: /* ； */
	case 0xFF01: /* ！ */
	case 0xFF1F: /* ？ */
	case 0x300D: /* 」 */
	case 0x300F: /* 』 */
	case 0xFF09: /* ） */
	case 0x3011: /* 】 */
	case 0x300B: /* 》 */
	case 0x3009: /* 〉 */
	case 0x3015: /* 〕 */
	case 0x3017: /* 〗 */
	case 0x3019: /* 〙 */
	case 0x301B: /* 〛 */
	case 0x301E: /* 〞 */
	case 0x301F: /* 〟 */
	case 0xFF3D: /* ］ */
	case 0xFF5D: /* ｝ */
	case 0x201D: /* ” */
	case 0x2019: /* ’ */
	case 0x00B7: /* · */
	case 0x2027: /* ‧ */
	case 0x30FB: /* ・ */
	case 0xFF65: /* ･ */
		return true;
	default:
		return false;
	}
}

/* Never at the end of a line: openers. */
static bool is_no_end(ucs4_t c)
{
	switch (c) {
	case 0x300C: /* 「 */
	case 0x300E: /* 『 */
	case 0xFF08: /* （ */
	case 0x3010: /* 【 */
	case 0x300A: /* 《 */
	case 0x3008: /* 〈 */
	case 0x3014: /* 〔 */
	case 0x3016: /* 〖 */
	case 0x3018: /* 〘 */
	case 0x301A: /* 〚 */
	case 0x301D: /* 〝 */
	case 0xFF3B: /* ［ */
	case 0xFF5B: /* ｛ */
	case 0x201C: /* “ */
	case 0x2018: /* ‘ */
		return true;
	default:
		return false;
	}
}

/* Marks that glue to both neighbours: the range tilde of 1～3. */
static bool is_tilde(ucs4_t c)
{
	return c == 0xFF5E || c == 0x301C;
}

/* Marks written doubled that must not be split: …… and ——. */
static bool is_doubled_mark(ucs4_t c)
{
	return c == 0x2026 || c == 0x2014 || c == 0x22EF || c == 0xFF0D;
}

/* The code point at p: valid UTF-8, as display text always is (text.h). */
static ucs4_t valid_cp(const uint8_t *p)
{
	if (p[0] < 0x80)
		return p[0];
	if (p[0] < 0xE0)
		return (ucs4_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
	if (p[0] < 0xF0)
		return (ucs4_t)(p[0] & 0x0F) << 12 | (ucs4_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	return (ucs4_t)(p[0] & 0x07) << 18 | (ucs4_t)(p[1] & 0x3F) << 12 |
	       (ucs4_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
}

/* The length of the UTF-8 sequence that starts with byte b (valid text). */
static unsigned utf8_length(char b)
{
	unsigned char u = (unsigned char)b;
	return u < 0x80 ? 1 : u < 0xE0 ? 2 : u < 0xF0 ? 3 : 4;
}

static ucs4_t first_cp(const struct layout_src *src, const struct layout_cluster *c)
{
	return valid_cp((const uint8_t *)src->text.s + c->off);
}

static ucs4_t last_cp(const struct layout_src *src, const struct layout_cluster *c)
{
	const uint8_t *start = (const uint8_t *)src->text.s + c->off;
	const uint8_t *p = start + c->len;

	/* Step back over continuation bytes to the last code point. */
	do
		p--;
	while (p > start && (*p & 0xC0) == 0x80);
	return valid_cp(p);
}

/* Whether clreq forbids a break between code points a and b (rules 1, 2, 3). */
static bool clreq_forbids(ucs4_t a, ucs4_t b)
{
	return is_no_start(b) || is_no_end(a) || is_tilde(a) || is_tilde(b) ||
	       (is_doubled_mark(a) && a == b);
}

/*
 * Whether a line may break between clusters a and b, given UAX #14's answer
 * uax: the clreq tailoring of LAYOUT.md §3. Permissions first, prohibitions
 * last, so a prohibition always wins.
 */
static bool tailor_break(bool uax, ucs4_t a_last, int a_width, ucs4_t b_first, int b_width)
{
	bool brk = uax;

	/* Curly quotes: libunistring glues them to both sides (rule 4). */
	if ((b_first == 0x201C || b_first == 0x2018) && a_width >= 2)
		brk = true;
	if ((a_last == 0x201D || a_last == 0x2019) && b_width >= 2)
		brk = true;
	if (clreq_forbids(a_last, b_first))
		brk = false;
	return brk;
}

/* Whether clreq forbids a break before cluster i (i > 0). */
static bool clreq_glued(const struct layout_src *src, size_t i)
{
	return clreq_forbids(last_cp(src, &src->cl[i - 1]), first_cp(src, &src->cl[i]));
}

static unsigned char cluster_flags(const struct dtext *t, size_t off, size_t len)
{
	unsigned char f = 0;

	if (len == 1 && t->s[off] == '\n')
		f |= LC_NEWLINE;
	else if (len == 1 && t->s[off] == '\t')
		f |= LC_TAB;
	else if (len == 1 && t->s[off] == ' ')
		f |= LC_SPACE;
	if (t->flags[off] & DTEXT_CARET)
		f |= LC_CARET;
	return f;
}

/* Whether a cluster starts at byte i: a grapheme cluster boundary (gbrk), except
 * inside caret text, whose two bytes (^ and a letter) make one cluster. run
 * counts the caret bytes just before i. */
static bool cluster_starts(const struct dtext *t, const char *gbrk, size_t i, size_t run)
{
	if ((t->flags[i] & DTEXT_CARET) && run % 2 == 1)
		return false;
	return gbrk[i] != 0;
}

/* Columns the terminal draws East Asian Ambiguous characters in
 * (layout_set_ambiguous_width); with 2, text is made wide-safe before it is measured. */
static int ambiguous_width = 1;

void layout_set_ambiguous_width(int width)
{
	ambiguous_width = width == 2 ? 2 : 1;
}

int layout_ambiguous_width(void)
{
	return ambiguous_width;
}


/* Split the sanitized text into clusters with their widths and kinds. */
static void split_clusters(struct layout_src *src, const char *gbrk)
{
	const struct dtext *t = &src->text;
	size_t start = 0, run = 0, i, most = 1, ncl = 0;
	struct layout_cluster *cl;

	/* At most a cluster at each grapheme boundary: allocated once. */
	for (i = 1; i < t->n; i++)
		most += gbrk[i] != 0;
	cl = xreallocarray(NULL, most, sizeof *cl);
	for (i = 1; i <= t->n; i++) {
		struct layout_cluster c;
		int w;

		run = (t->flags[i - 1] & DTEXT_CARET) ? run + 1 : 0;
		if (i < t->n && !cluster_starts(t, gbrk, i, run))
			continue;
		c.off = start;
		c.len = (unsigned)(i - start);
		c.flags = cluster_flags(t, start, i - start);
		w = (c.flags & (LC_NEWLINE | LC_TAB)) ? 0 : text_cluster_width(t->s + start, i - start);
		c.width = (unsigned char)(w > 255 ? 255 : w);
		cl[ncl++] = c;
		start = i;
	}
	src->cl = cl;
	src->ncl = ncl;
}

/* Set LC_BREAK from UAX #14 (lbrk, per byte) and the clreq tailoring. */
static void mark_breaks(struct layout_src *src, const char *lbrk)
{
	size_t i;
	ucs4_t prev_last = 0;

	for (i = 0; i < src->ncl; i++) {
		struct layout_cluster *c = &src->cl[i];
		ucs4_t first = first_cp(src, c);

		if (i > 0 && !(c->flags & LC_NEWLINE) && !(c[-1].flags & LC_NEWLINE)) {
			bool uax = lbrk[c->off] == UC_BREAK_POSSIBLE ||
				   lbrk[c->off] == UC_BREAK_MANDATORY;

			if (tailor_break(uax, prev_last, c[-1].width, first, c->width))
				c->flags |= LC_BREAK;
		}
		/* A cluster of one code point (as most are) ends with its first. */
		prev_last = c->len == utf8_length(src->text.s[c->off]) ? first : last_cp(src, c);
	}
}

void layout_prepare(struct layout_src *src, const char *s, size_t n)
{
	const struct dtext *t = &src->text;
	char *brk;

	dtext_sanitize(&src->text, s, n);
	if (ambiguous_width == 2)
		dtext_wide_safe(&src->text);
	src->cl = NULL;
	src->ncl = 0;
	if (t->n == 0)
		return;
	brk = xmalloc(t->n);
	if (t->simple) /* every code point is a cluster (text.h) */
		for (size_t i = 0; i < t->n; i++)
			brk[i] = ((unsigned char)t->s[i] & 0xC0) != 0x80;
	else
		u8_grapheme_breaks((const uint8_t *)t->s, t->n, brk);
	split_clusters(src, brk);
	u8_possible_linebreaks((const uint8_t *)t->s, t->n, "UTF-8", brk);
	mark_breaks(src, brk);
	free(brk);
}

void layout_src_free(struct layout_src *src)
{
	dtext_free(&src->text);
	free(src->cl);
	src->cl = NULL;
	src->ncl = 0;
}

int layout_cluster_cols(const struct layout_cluster *c, int col, int width)
{
	if (c->flags & LC_NEWLINE)
		return 0;
	if (c->flags & LC_TAB) {
		int stop = (col / TAB_STOP + 1) * TAB_STOP;

		if (stop > width)
			stop = width;
		return stop > col ? stop - col : 0;
	}
	if (c->width > width)
		return 1;
	return c->width;
}

/* The line being filled: clusters [start, end) hold its content, col counts
 * trailing spaces too, cols does not. */
struct fitter {
	const struct layout_src *src;
	int width;
	layout_lines *out;
	size_t start, end;
	int col, cols;
};

static void emit_line(struct fitter *f)
{
	struct layout_line line = { f->start, f->end - f->start, f->cols };

	VEC_PUSH(f->out, line);
}

/* Begin a fresh line at cluster i. */
static void new_line(struct fitter *f, size_t i)
{
	f->start = f->end = i;
	f->col = f->cols = 0;
}

/* End the current line at a soft break before cluster i: trailing white space is
 * trimmed, and a line that holds nothing but white space is dropped, not emitted. */
static void soft_break(struct fitter *f, size_t i)
{
	if (f->end > f->start)
		emit_line(f);
	new_line(f, i);
}

/* Columns clusters [i, j) take from column col, or -1 once they pass the width. */
static int measure(const struct fitter *f, size_t i, size_t j, int col)
{
	int c = col;

	for (; i < j; i++) {
		c += layout_cluster_cols(&f->src->cl[i], c, f->width);
		if (c > f->width)
			return -1;
	}
	return c - col;
}

/* White space: trimmed at the end of a line. */
static bool is_blank(const struct layout_cluster *c)
{
	return (c->flags & (LC_SPACE | LC_TAB)) != 0;
}

/* Add cluster i, which fits, to the line. */
static void place(struct fitter *f, size_t i)
{
	const struct layout_cluster *c = &f->src->cl[i];

	f->col += layout_cluster_cols(c, f->col, f->width);
	if (!is_blank(c)) {
		f->end = i + 1;
		f->cols = f->col;
	}
}

/* Recompute the line's columns and end for content [start, b). */
static void rewind_to(struct fitter *f, size_t b)
{
	size_t x;

	f->col = f->cols = 0;
	f->end = f->start;
	for (x = f->start; x < b; x++)
		place(f, x);
}

/*
 * Where to break inside a word longer than the line when cluster i does not fit:
 * before i, or a few clusters earlier if a break before i breaks a clreq rule
 * (a closer at the start of a line, an opener at its end) and an earlier one
 * does not, the line keeps some content and what moves down still fits.
 */
static size_t emergency_point(const struct fitter *f, size_t i)
{
	const struct layout_src *src = f->src;
	size_t b = i;

	while (clreq_glued(src, b) && b - 1 > f->start && i - b < LOOKBACK_MAX)
		b--;
	if (b == i || clreq_glued(src, b) || is_blank(&src->cl[b]) ||
	    is_blank(&src->cl[b - 1]) || measure(f, b, i + 1, 0) < 0)
		return i;
	return b;
}

/* Lay out clusters [i, j) that are longer than the line: break at a cluster
 * boundary, keeping the clreq rules where the width allows, giving way where
 * it does not (every line still fits). */
static void place_emergency(struct fitter *f, size_t i, size_t j)
{
	for (; i < j; i++) {
		const struct layout_cluster *c = &f->src->cl[i];

		if (f->col + layout_cluster_cols(c, f->col, f->width) > f->width) {
			size_t b = emergency_point(f, i), x;

			if (b < i)
				rewind_to(f, b);
			soft_break(f, b);
			for (x = b; x < i; x++)
				place(f, x);
		}
		/* A line never starts with the space that caused the break. */
		if (is_blank(c) && f->end == f->start && f->start == i &&
		    f->col == 0 && i > 0 && !(f->src->cl[i - 1].flags & LC_NEWLINE)) {
			new_line(f, i + 1);
			continue;
		}
		place(f, i);
	}
}

/* Lay out the word [i, j) (clusters between two break opportunities) whose
 * trailing spaces start at k. */
static void place_word(struct fitter *f, size_t i, size_t k, size_t j)
{
	size_t x;

	if (measure(f, i, k, f->col) < 0) {
		soft_break(f, i);
		if (measure(f, i, k, 0) < 0) {
			place_emergency(f, i, k);
			i = k;
		}
	}
	for (x = i; x < k; x++)
		place(f, x);
	for (x = k; x < j; x++)
		place(f, x);
}

/* Lay out one paragraph: clusters [i, j), none of them an LF. */
static void wrap_paragraph(struct fitter *f, size_t i, size_t j)
{
	const struct layout_cluster *cl = f->src->cl;

	new_line(f, i);
	while (i < j) {
		size_t w = i + 1, k;

		while (w < j && !(cl[w].flags & LC_BREAK))
			w++;
		k = w;
		while (k > i && is_blank(&cl[k - 1]))
			k--;
		place_word(f, i, k, w);
		i = w;
	}
	emit_line(f);
}

void layout_wrap(const struct layout_src *src, int width, layout_lines *out)
{
	struct fitter f = { src, width < 1 ? 1 : width, out, 0, 0, 0, 0 };
	size_t i = 0, j;

	if (src->ncl == 0) {
		new_line(&f, 0);
		emit_line(&f);
		return;
	}
	while (i < src->ncl) {
		for (j = i; j < src->ncl && !(src->cl[j].flags & LC_NEWLINE); j++)
			;
		wrap_paragraph(&f, i, j);
		/* A final LF ends the last line; it does not open an empty one. */
		i = j + 1;
	}
}

void layout_line_text(const struct layout_src *src, const struct layout_line *line,
		      int width, struct strbuf *out)
{
	size_t i;
	int col = 0;

	if (width < 1)
		width = 1;
	sb_append(out, "", 0);
	for (i = line->first; i < line->first + line->count && i < src->ncl; i++) {
		const struct layout_cluster *c = &src->cl[i];
		int w = layout_cluster_cols(c, col, width);

		if (c->flags & LC_NEWLINE)
			continue;
		if (c->flags & LC_TAB) {
			int k;

			for (k = 0; k < w; k++)
				sb_putc(out, ' ');
		} else if (c->width > width) {
			sb_putc(out, '?');
		} else {
			sb_append(out, src->text.s + c->off, c->len);
		}
		col += w;
	}
}
