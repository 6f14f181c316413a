/* SPDX-License-Identifier: GPL-3.0-or-later */
/* layout.c: grapheme clusters, break opportunities, a greedy fitter and balanced
 * headlines (doc/LAYOUT.md §2, §3, §6, §7). */
#include <config.h>

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

/* The clreq character classes of doc/LAYOUT.md §3. */

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
	case 0xFF65: /* ･ */ return true;
	default: return false;
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
	case 0x2018: /* ‘ */ return true;
	default: return false;
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

/* ASCII marks that never start a line (rule 7): a break inside a word longer than the
 * line never puts them first. */
static bool is_ascii_closer(ucs4_t c)
{
	return c == ',' || c == '.' || c == ';' || c == ':' || c == '!' || c == '?' || c == ')' ||
	       c == ']' || c == '}';
}

static bool is_ascii_opener(ucs4_t c)
{
	return c == '(' || c == '[' || c == '{';
}

/* What a cluster does to the breaks beside it: an opening mark glues to what follows,
 * a closing one to what precedes. */
enum mark_kind { MK_OTHER, MK_OPEN, MK_CLOSE };

/* White space: trimmed at the end of a line. */
static bool is_blank(const struct layout_cluster *c)
{
	return (c->flags & (LC_SPACE | LC_TAB)) != 0;
}

/* The neighbour of cluster i at offset d (-1 or +1) in its paragraph, or NULL. */
static const struct layout_cluster *neighbour(const struct layout_src *src, size_t i, int d)
{
	const struct layout_cluster *c;

	if ((d < 0 && i == 0) || (d > 0 && i + 1 >= src->ncl))
		return NULL;
	c = &src->cl[d < 0 ? i - 1 : i + 1];
	return (c->flags & LC_NEWLINE) ? NULL : c;
}

/*
 * Rule 8: whether the straight quote cluster i (q: '"' or '\'') opens or closes a
 * quotation. seen counts the same quotes before it in the paragraph, paired whether
 * the paragraph's '"' pair up: where they do, the count decides (even: opening), which
 * is right where the neighbours mislead (不含"."的, 通过" subfont "表, Linux"核心"). Else
 * the direction is guessed from the neighbours, MK_OTHER unless a wide character is
 * beside the quote (a '\'' needs one inside the quotation, so "it's" and 中's stay
 * words): a space, an opener or a closer beside it, then the wide side (中"abc opens,
 * abc"中 closes), then the count again.
 */
static enum mark_kind straight_quote(const struct layout_src *src, size_t i, ucs4_t q,
				     unsigned seen, bool paired)
{
	const struct layout_cluster *p = neighbour(src, i, -1), *n = neighbour(src, i, 1);
	bool wide_l = p && p->width >= 2, wide_r = n && n->width >= 2;
	bool edge_l = !p || is_blank(p), edge_r = !n || is_blank(n);
	ucs4_t l = p ? last_cp(src, p) : 0, r = n ? first_cp(src, n) : 0;
	bool opens = !edge_r && (edge_l || is_no_end(l) || is_ascii_opener(l));
	bool closes = !edge_l && (edge_r || is_no_start(r) || is_ascii_closer(r));

	if (q == '"' && paired)
		return seen % 2 == 1 ? MK_CLOSE : MK_OPEN;
	if (!wide_l && !wide_r)
		return MK_OTHER;
	if (q == '\'') {
		opens = wide_r && (opens || wide_l);
		closes = wide_l && (closes || wide_r);
	} else if (!opens && !closes) {
		opens = wide_l;
		closes = wide_r;
	}
	if (opens && closes)
		return seen % 2 == 1 ? MK_CLOSE : MK_OPEN;
	return opens ? MK_OPEN : closes ? MK_CLOSE : MK_OTHER;
}

/* Whether the straight double quotes of the paragraph that starts at cluster i pair
 * up: an even number of them before its end. */
static bool quotes_paired(const struct layout_src *src, size_t i)
{
	unsigned n = 0;

	for (; i < src->ncl && !(src->cl[i].flags & LC_NEWLINE); i++)
		n += src->cl[i].len == 1 && src->text.s[src->cl[i].off] == '"';
	return n % 2 == 0;
}

/* Whether a cluster whose last code point is last and whose kind is k opens: rule 9
 * glues it to what follows the spaces after it. */
static bool opens_glued(ucs4_t last, enum mark_kind k)
{
	return k == MK_OPEN || is_no_end(last) || is_ascii_opener(last);
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
		w = (c.flags & (LC_NEWLINE | LC_TAB)) ? 0
						      : text_cluster_width(t->s + start, i - start);
		c.width = (unsigned char)(w > 255 ? 255 : w);
		cl[ncl++] = c;
		start = i;
	}
	src->cl = cl;
	src->ncl = ncl;
}

/* Whether cluster i, whose first code point is first, follows a hyphen that starts a
 * word (-r, --long-option: rule 7): an ASCII letter or digit after a run of '-' that
 * follows the start of the paragraph, white space, an opener or a straight quote (UAX
 * #14's LB20a, which libunistring 1.0 lacks). */
static bool after_word_hyphen(const struct layout_src *src, size_t i, ucs4_t first)
{
	size_t k = i;
	ucs4_t c;

	if (!((first >= '0' && first <= '9') || ((first | 0x20) >= 'a' && (first | 0x20) <= 'z')))
		return false;
	while (k > 0 && src->cl[k - 1].len == 1 && src->text.s[src->cl[k - 1].off] == '-')
		k--;
	if (k == i)
		return false;
	if (k == 0 || (src->cl[k - 1].flags & LC_NEWLINE) || is_blank(&src->cl[k - 1]))
		return true;
	c = last_cp(src, &src->cl[k - 1]);
	return is_no_end(c) || is_ascii_opener(c) || c == '"' || c == '\'';
}

/* Whether the rules forbid a break before cluster i (i > 0, inside a paragraph) whose
 * first code point is first, after one whose last is prev_last: rules 1-3, ASCII
 * closers and openers and a word's first hyphens (rule 7), guessed quotes (rule 8: kind of cluster i, prev of the
 * one before), an opener followed by spaces (rule 9, open_blank: the last cluster that
 * is not white space opens). */
static bool glued_before(const struct layout_src *src, size_t i, ucs4_t prev_last, ucs4_t first,
			 enum mark_kind prev, enum mark_kind kind, bool open_blank)
{
	const struct layout_cluster *c = &src->cl[i];

	if (is_blank(c))
		return false;
	if (is_blank(&c[-1]))
		return open_blank || is_no_start(first) || is_ascii_closer(first) ||
		       kind == MK_CLOSE;
	return clreq_forbids(prev_last, first) || is_ascii_closer(first) ||
	       is_ascii_opener(prev_last) || kind == MK_CLOSE || prev == MK_OPEN ||
	       (prev_last == '-' && after_word_hyphen(src, i, first));
}

/* Whether the tailoring allows a break before cluster c that UAX #14 forbids: curly
 * quotes (rule 4) and guessed straight quotes (rule 8) break on their wide side. */
static bool quote_permits(const struct layout_cluster *c, ucs4_t prev_last, ucs4_t first,
			  enum mark_kind prev, enum mark_kind kind)
{
	if ((first == 0x201C || first == 0x2018 || kind == MK_OPEN) && c[-1].width >= 2)
		return true;
	return (prev_last == 0x201D || prev_last == 0x2019 || prev == MK_CLOSE) && c->width >= 2;
}

/* Set LC_BREAK and LC_GLUED from UAX #14 (lbrk, per byte) and the tailoring of
 * doc/LAYOUT.md §3: a prohibition always wins over a permission. */
static void mark_breaks(struct layout_src *src, const char *lbrk)
{
	size_t i;
	ucs4_t prev_last = 0;
	enum mark_kind prev = MK_OTHER;
	bool open_blank = false;
	unsigned quotes[2] = {0, 0}; /* straight " and ' met in the paragraph */
	bool paired = quotes_paired(src, 0);

	for (i = 0; i < src->ncl; i++) {
		struct layout_cluster *c = &src->cl[i];
		ucs4_t first = first_cp(src, c);
		enum mark_kind kind = MK_OTHER;

		if (c->flags & LC_NEWLINE) {
			paired = quotes_paired(src, i + 1);
			quotes[0] = quotes[1] = 0;
			prev = MK_OTHER;
			open_blank = false;
			prev_last = '\n';
			continue;
		}
		if (c->len == 1 && (first == '"' || first == '\''))
			kind = straight_quote(src, i, first, quotes[first == '\'']++, paired);
		if (i > 0 && !(c[-1].flags & LC_NEWLINE)) {
			bool uax = lbrk[c->off] == UC_BREAK_POSSIBLE ||
				   lbrk[c->off] == UC_BREAK_MANDATORY;

			if (glued_before(src, i, prev_last, first, prev, kind, open_blank))
				c->flags |= LC_GLUED;
			else if (uax || quote_permits(c, prev_last, first, prev, kind))
				c->flags |= LC_BREAK;
		}
		/* A cluster of one code point (as most are) ends with its first. */
		prev_last = c->len == utf8_length(src->text.s[c->off]) ? first : last_cp(src, c);
		if (!is_blank(c))
			open_blank = opens_glued(prev_last, kind);
		prev = kind;
	}
}

/* Runs of more than this many spaces inside a line are squeezed when it wraps (§6). */
#define SQUEEZE_RUN 3

/* Whether cluster c is white space of the kind whose long runs are squeezed (§6): a
 * space, a no-break space (scraped pages' &nbsp;) or an ideographic space. */
static bool is_run_space(const struct layout_src *src, const struct layout_cluster *c)
{
	const char *s = src->text.s + c->off;

	return (c->flags & LC_SPACE) || (c->len == 2 && memcmp(s, "\xc2\xa0", 2) == 0) ||
	       (c->len == 3 && memcmp(s, "\xe3\x80\x80", 3) == 0);
}

/* Mark LC_SQUEEZE on the spaces after the first of each run of more than SQUEEZE_RUN
 * spaces (is_run_space) between two clusters of a paragraph that are not white space:
 * the leading indent and trailing spaces are no such runs. */
static void mark_squeeze(struct layout_src *src)
{
	size_t i = 0, run;
	bool inside = false; /* a cluster other than white space came before in the paragraph */

	while (i < src->ncl) {
		const struct layout_cluster *c = &src->cl[i];

		if (!is_run_space(src, c)) {
			inside = !(c->flags & LC_NEWLINE) && (inside || !is_blank(c));
			i++;
			continue;
		}
		for (run = 0; i + run < src->ncl && is_run_space(src, &src->cl[i + run]); run++)
			;
		if (inside && run > SQUEEZE_RUN && i + run < src->ncl &&
		    !is_blank(&src->cl[i + run]) && !(src->cl[i + run].flags & LC_NEWLINE))
			for (size_t k = i + 1; k < i + run; k++)
				src->cl[k].flags |= LC_SQUEEZE;
		i += run;
	}
}

/* layout_prepare, the text made one line first when one_line. */
static void prepare(struct layout_src *src, const char *s, size_t n, bool one_line)
{
	const struct dtext *t = &src->text;
	char *brk;

	dtext_sanitize(&src->text, s, n);
	if (one_line)
		dtext_one_line(&src->text);
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
	mark_squeeze(src);
	free(brk);
}

void layout_prepare(struct layout_src *src, const char *s, size_t n)
{
	prepare(src, s, n, false);
}

void layout_prepare_line(struct layout_src *src, const char *s, size_t n)
{
	prepare(src, s, n, true);
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

int layout_line_cluster_cols(const struct layout_line *line, const struct layout_cluster *c,
			     int col, int width)
{
	if (line->squeeze && (c->flags & LC_SQUEEZE))
		return 0;
	return layout_cluster_cols(c, col, width);
}

/* The line being filled: clusters [start, end) hold its content, col counts
 * trailing spaces too, cols does not; both count the indent. */
struct fitter {
	const struct layout_src *src;
	int width;
	layout_lines *out;
	size_t start, end;
	int col, cols;
	int indent;   /* the current line's: 0 on a paragraph's first line, else hang */
	int hang;     /* where the paragraph's continuation lines start (§6) */
	bool squeeze; /* the paragraph is wider than the line: LC_SQUEEZE spaces take none */
};

/* Columns cluster i takes at column col of the paragraph being laid out. */
static int fit_cols(const struct fitter *f, size_t i, int col)
{
	const struct layout_cluster *c = &f->src->cl[i];

	if (f->squeeze && (c->flags & LC_SQUEEZE))
		return 0;
	return layout_cluster_cols(c, col, f->width);
}

static void emit_line(struct fitter *f)
{
	struct layout_line line = {f->start, f->end - f->start, f->cols, f->indent, f->squeeze};

	if (!line.count)
		line.cols = line.indent = 0;
	VEC_PUSH(f->out, line);
}

/* Begin a fresh line at cluster i, its content starting at column indent. */
static void new_line(struct fitter *f, size_t i, int indent)
{
	f->start = f->end = i;
	f->col = f->cols = f->indent = indent;
}

/* End the current line at a soft break before cluster i: trailing white space is
 * trimmed, and a line that holds nothing but white space is dropped, not emitted. */
static void soft_break(struct fitter *f, size_t i)
{
	if (f->end > f->start)
		emit_line(f);
	new_line(f, i, f->hang);
}

/* Columns clusters [i, j) take from column col, or -1 once they pass the width. */
static int measure(const struct fitter *f, size_t i, size_t j, int col)
{
	int c = col;

	for (; i < j; i++) {
		c += fit_cols(f, i, c);
		if (c > f->width)
			return -1;
	}
	return c - col;
}

/* Add cluster i, which fits, to the line. */
static void place(struct fitter *f, size_t i)
{
	const struct layout_cluster *c = &f->src->cl[i];

	f->col += fit_cols(f, i, f->col);
	if (!is_blank(c)) {
		f->end = i + 1;
		f->cols = f->col;
	}
}

/* Recompute the line's columns and end for content [start, b). */
static void rewind_to(struct fitter *f, size_t b)
{
	size_t x;

	f->col = f->cols = f->indent;
	f->end = f->start;
	for (x = f->start; x < b; x++)
		place(f, x);
}

/* Marks inside a long word after which it breaks best (rule 7): a path, an option, a
 * URL, a list. */
static bool is_word_break_mark(ucs4_t c)
{
	return c == ':' || c == ']' || c == ')' || c == '}' || c == '/' || c == '+' || c == ',' ||
	       c == ';' || c == '=' || c == '-' || c == '&' || c == '?' || c == '|' || c == '_';
}

/* A break before cluster b moved back from where the line is full: it keeps the
 * rules and puts no white space at either side of the break. */
static bool good_break(const struct layout_src *src, size_t b)
{
	return !(src->cl[b].flags & LC_GLUED) && !is_blank(&src->cl[b]) &&
	       !is_blank(&src->cl[b - 1]);
}

/*
 * Rule 7: where a word longer than the line breaks after a mark inside it when cluster
 * i does not fit: the last such break that leaves the line at least half full and
 * what moves down fitting on the next, or SIZE_MAX. A run of marks (://) stays whole.
 */
static size_t mark_point(const struct fitter *f, size_t i)
{
	const struct layout_src *src = f->src;
	int col = f->col, half = f->indent + (f->width - f->indent + 1) / 2;
	size_t b;

	for (b = i; b > f->start && col >= half; b--) {
		if (is_blank(&src->cl[b]) || is_blank(&src->cl[b - 1]))
			return SIZE_MAX;
		if (is_word_break_mark(last_cp(src, &src->cl[b - 1])) &&
		    !is_word_break_mark(first_cp(src, &src->cl[b])) && good_break(src, b))
			return measure(f, b, i + 1, f->hang) < 0 ? SIZE_MAX : b;
		col -= fit_cols(f, b - 1, 0);
	}
	return SIZE_MAX;
}

/*
 * Where to break inside a word longer than the line when cluster i does not fit:
 * after a mark inside it (mark_point), else before i, or a few clusters earlier if a
 * break before i breaks a rule (a closer at the start of a line, an opener at its end)
 * and an earlier one does not, the line keeps some content and what moves down still
 * fits; or, when the line holds only its indent before the word, before the word.
 */
static size_t emergency_point(const struct fitter *f, size_t i)
{
	const struct layout_src *src = f->src;
	size_t b = mark_point(f, i), next = i;

	if (b != SIZE_MAX)
		return b;
	/* A break at a space inside the word starts the next line after it. */
	while (next < src->ncl && is_blank(&src->cl[next]))
		next++;
	if (next == src->ncl || !(src->cl[next].flags & LC_GLUED))
		return i;
	for (b = i - 1; b > f->start && i - b < LOOKBACK_MAX; b--)
		if (good_break(src, b))
			return measure(f, b, i + 1, f->hang) < 0 ? i : b;
	/* Or leave behind a deep indent that leaves no room: all the content moves down. */
	for (b = f->start; b < i && is_blank(&src->cl[b]); b++)
		;
	if (b > f->start && b < i && measure(f, b, i + 1, f->hang) >= 0)
		return b;
	return i;
}

/* Lay out clusters [i, j) that are longer than the line: break at a cluster
 * boundary, keeping the rules where the width allows, giving way where
 * it does not (every line still fits). */
static void place_emergency(struct fitter *f, size_t i, size_t j)
{
	for (; i < j; i++) {
		const struct layout_cluster *c = &f->src->cl[i];

		if (f->col + fit_cols(f, i, f->col) > f->width) {
			size_t b = emergency_point(f, i), x;

			if (b < i)
				rewind_to(f, b);
			soft_break(f, b);
			for (x = b; x < i; x++)
				place(f, x);
		}
		/* A line never starts with the space that caused the break. */
		if (is_blank(c) && f->end == f->start && f->start == i && f->col == f->indent &&
		    i > 0 && !(f->src->cl[i - 1].flags & LC_NEWLINE)) {
			new_line(f, i + 1, f->indent);
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
		if (measure(f, i, k, f->hang) < 0) {
			place_emergency(f, i, k);
			i = k;
		}
	}
	for (x = i; x < k; x++)
		place(f, x);
	for (x = k; x < j; x++)
		place(f, x);
}

/* Whether c is a bullet that starts a list item when a space follows it (§6). */
static bool is_bullet(ucs4_t c)
{
	switch (c) {
	case 0x2022: /* • */
	case 0x25E6: /* ◦ */
	case 0x25CF: /* ● */
	case 0x25CB: /* ○ */
	case 0x25A0: /* ■ */
	case 0x25A1: /* □ */
	case 0x25C6: /* ◆ */
	case 0x25C7: /* ◇ */
	case 0x25AA: /* ▪ */
	case 0x203B: /* ※ */
	case 0x2605: /* ★ */
	case 0x2606: /* ☆ */
	case 0x30FB: /* ・ */
	case '-':
	case '*': return true;
	default: return false;
	}
}

/* Whether clusters k, k + 1 of paragraph [.., j) are an ASCII arrow, <- or ->, that
 * a space follows: the marker of the pane's citing stories (§6). */
static bool is_arrow(const struct layout_src *src, size_t k, size_t j)
{
	const char *s = src->text.s;
	const struct layout_cluster *cl = src->cl;

	return k + 2 < j && cl[k].len == 1 && cl[k + 1].len == 1 && (cl[k + 2].flags & LC_SPACE) &&
	       ((s[cl[k].off] == '<' && s[cl[k + 1].off] == '-') ||
		(s[cl[k].off] == '-' && s[cl[k + 1].off] == '>'));
}

/* A number that is a list marker by itself, with or without a space after it: ① to ⑳,
 * ⑴ to ⒇, ⒈ to ⒛, ❶ to ➓, ㈠ to ㈩. */
static bool is_enclosed_number(ucs4_t c)
{
	return (c >= 0x2460 && c <= 0x249B) || (c >= 0x2776 && c <= 0x2793) ||
	       (c >= 0x3220 && c <= 0x3229);
}

/* Chinese numerals that count list items: 一 to 十. */
static bool is_cjk_numeral(ucs4_t c)
{
	static const ucs4_t numerals[] = {0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94,
					  0x516D, 0x4E03, 0x516B, 0x4E5D, 0x5341};

	for (size_t k = 0; k < sizeof numerals / sizeof numerals[0]; k++)
		if (c == numerals[k])
			return true;
	return false;
}

/* The closing bracket of a list number opened by c ((1) （一） [12] 【3】), or 0. */
static ucs4_t number_closer(ucs4_t c)
{
	switch (c) {
	case '(': return ')';
	case '[': return ']';
	case 0xFF08: return 0xFF09; /* （） */
	case 0x3010: return 0x3011; /* 【】 */
	case 0x3014: return 0x3015; /* 〔〕 */
	default: return 0;
	}
}

/*
 * The list marker at the start of paragraph [i, j) after its indent (§6): a bullet or an
 * arrow and a space, a number (1 to 3 digits, or Chinese numerals) followed by . ) 、 ．
 * ）, in brackets, or enclosed (①, ⑴, ㈠). Returns the cluster after the marker and the
 * spaces that follow it, or i when there is none. A narrow mark must be followed by a
 * space (3.14 is no marker).
 */
static size_t list_marker(const struct layout_src *src, size_t i, size_t j)
{
	const struct layout_cluster *cl = src->cl;
	size_t k = i, digits = 0;
	ucs4_t c, closer = 0, end;

	while (k < j && is_blank(&cl[k]))
		k++;
	if (k + 1 >= j)
		return i;
	c = first_cp(src, &cl[k]);
	if (is_arrow(src, k, j)) {
		k += 2;
	} else if (is_enclosed_number(c) && cl[k].len == utf8_length(src->text.s[cl[k].off])) {
		k++;
	} else if (is_bullet(c) && cl[k].len == utf8_length(src->text.s[cl[k].off])) {
		if (!(cl[k + 1].flags & LC_SPACE))
			return i;
		k++;
	} else {
		closer = number_closer(c);
		if (closer)
			k++;
		while (k < j && digits < 3 &&
		       ((c = first_cp(src, &cl[k])) < 0x80 ? c >= '0' && c <= '9'
							   : is_cjk_numeral(c)))
			k++, digits++;
		if (!digits || k >= j)
			return i;
		end = first_cp(src, &cl[k]);
		if (closer ? end != closer
			   : !(end == '.' || end == ')' || end == 0x3001 || end == 0xFF0E ||
			       end == 0xFF09))
			return i;
		k++;
		if (end < 0x80 && (k >= j || !(cl[k].flags & LC_SPACE)))
			return i;
	}
	while (k < j && is_blank(&cl[k]))
		k++;
	return k < j ? k : i;
}

/* The hanging indent of paragraph [i, j) at the fitter's width: the columns before the
 * text of a list item, when they take at most a third of the line and every cluster
 * still fits beside them; else 0. */
static int paragraph_hang(const struct fitter *f, size_t i, size_t j)
{
	size_t text = list_marker(f->src, i, j), k;
	int hang = 0;

	if (text == i)
		return 0;
	for (k = i; k < text; k++)
		hang += fit_cols(f, k, hang);
	if (hang * 3 > f->width)
		return 0;
	for (k = text; k < j; k++)
		if (f->src->cl[k].width > f->width - hang)
			return 0;
	return hang;
}

/* Lay out one paragraph: clusters [i, j), none of them an LF. */
static void wrap_paragraph(struct fitter *f, size_t i, size_t j)
{
	const struct layout_cluster *cl = f->src->cl;

	f->squeeze = false;
	f->hang = 0;
	f->squeeze = measure(f, i, j, 0) < 0;
	f->hang = paragraph_hang(f, i, j);
	new_line(f, i, 0);
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
	struct fitter f = {src, width < 1 ? 1 : width, out, 0, 0, 0, 0, 0, 0, false};
	size_t i = 0, j;

	if (src->ncl == 0) {
		new_line(&f, 0, 0);
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

void layout_line_text(const struct layout_src *src, const struct layout_line *line, int width,
		      struct strbuf *out)
{
	size_t i;
	int col = line->count ? line->indent : 0;

	if (width < 1)
		width = 1;
	sb_append(out, "", 0);
	for (i = 0; i < (size_t)col; i++)
		sb_putc(out, ' ');
	for (i = line->first; i < line->first + line->count && i < src->ncl; i++) {
		const struct layout_cluster *c = &src->cl[i];
		int w = layout_line_cluster_cols(line, c, col, width);

		if ((c->flags & LC_NEWLINE) || ((c->flags & (LC_SPACE | LC_SQUEEZE)) && w == 0))
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

/* Headlines longer than this are wrapped greedily: balancing is quadratic. */
#define BALANCE_CLUSTERS_MAX 512
#define BALANCE_LINES_MAX 24
/* A break at neither a space nor a mark costs as much as lines this many cells apart. */
#define NICE_CELLS 8

/* Whether a line reads well ending after code point c: a pause, a closer, a dash, a
 * slash, a headline's separator (丨 ｜ |); not an interpunct (克里斯·哈里斯). */
static bool ends_nicely(ucs4_t c)
{
	if (c == 0x00B7 || c == 0x2027 || c == 0x30FB || c == 0xFF65)
		return false;
	return is_no_start(c) || is_ascii_closer(c) || c == '-' || c == '/' || c == '|' ||
	       c == 0x4E28 || c == 0xFF5C || c == 0x2014 || c == 0x2026;
}

/* Whether a break before cluster p is at a space or beside punctuation (§7). */
static bool nice_break(const struct layout_src *src, size_t p)
{
	const struct layout_cluster *c = &src->cl[p];
	ucs4_t first = first_cp(src, c);

	return is_blank(&c[-1]) || ends_nicely(last_cp(src, &c[-1])) || is_no_end(first) ||
	       is_ascii_opener(first);
}

/* Balancing one headline: where lines may start (pos), the columns before each cluster
 * (at), and the best cost and previous break of l lines ending at each position. */
struct balancer {
	const struct layout_src *src;
	size_t *pos, npos;
	long *at;
	long *cost;
	size_t *from;
};

/* The end of the content of a line that runs to cluster e: trailing white space trimmed. */
static size_t trim_end(const struct layout_src *src, size_t s, size_t e)
{
	while (e > s && is_blank(&src->cl[e - 1]))
		e--;
	return e;
}

/*
 * Balance the k greedy lines in *v (a paragraph with no TAB or LF whose continuation
 * lines all start at a break opportunity): the k lines, indented alike, that minimize
 * twice the sum of the squares of every line's empty cells, the last line's too, plus
 * NICE_CELLS squared for each break at neither a space nor a mark: two lines d cells
 * apart cost d squared more than two even ones.
 */
static void balance(const struct layout_src *src, int width, struct layout_line *v, size_t k)
{
	struct balancer b = {src, NULL, 0, NULL, NULL, NULL};
	int hang = v[1].indent;
	bool squeeze = v[0].squeeze;
	const long unreached = -1, nice_cost = NICE_CELLS * NICE_CELLS + 1;
	size_t l, i, j, n = src->ncl;

	b.pos = xreallocarray(NULL, n + 1, sizeof *b.pos);
	b.at = xreallocarray(NULL, n + 1, sizeof *b.at);
	b.pos[b.npos++] = 0;
	for (i = 1; i < n; i++)
		if (src->cl[i].flags & LC_BREAK)
			b.pos[b.npos++] = i;
	b.pos[b.npos] = n; /* the end, as a last position */
	b.at[0] = 0;
	for (i = 0; i < n; i++)
		b.at[i + 1] = b.at[i] + (squeeze && (src->cl[i].flags & LC_SQUEEZE)
						 ? 0
						 : layout_cluster_cols(&src->cl[i], 0, width));
	b.cost = xreallocarray(NULL, (k + 1) * (b.npos + 1), sizeof *b.cost);
	b.from = xreallocarray(NULL, (k + 1) * (b.npos + 1), sizeof *b.from);
	for (i = 0; i < (k + 1) * (b.npos + 1); i++)
		b.cost[i] = unreached;
	b.cost[0] = 0;
	/* cost[l * (npos + 1) + j]: l lines covering the clusters before pos[j]. */
	for (l = 1; l <= k; l++) {
		long indent = l == 1 ? 0 : hang;
		for (j = 1; j <= b.npos; j++) {
			for (i = j; i-- > 0;) {
				long before = b.cost[(l - 1) * (b.npos + 1) + i], cols, slack, c;
				size_t e = trim_end(src, b.pos[i], b.pos[j]);

				cols = indent + b.at[e] - b.at[b.pos[i]];
				if (cols > width)
					break;
				if (before == unreached || (i == 0) != (l == 1))
					continue;
				/* the slack counts trailing spaces as filled: every choice
				 * of breaks then fills the same total */
				slack = width - (indent + b.at[b.pos[j]] - b.at[b.pos[i]]);
				c = before + 2 * slack * slack;
				if (i > 0 && !nice_break(src, b.pos[i]))
					c += nice_cost;
				long *best = &b.cost[l * (b.npos + 1) + j];
				if (*best == unreached || c < *best) {
					*best = c;
					b.from[l * (b.npos + 1) + j] = i;
				}
			}
		}
	}
	if (b.cost[k * (b.npos + 1) + b.npos] != unreached) {
		for (l = k, j = b.npos; l >= 1; l--) {
			size_t i0 = b.from[l * (b.npos + 1) + j];
			size_t s = b.pos[i0], e = trim_end(src, s, b.pos[j]);
			int indent = l == 1 ? 0 : hang;

			v[l - 1] = (struct layout_line){s, e - s, indent + (int)(b.at[e] - b.at[s]),
							indent, squeeze};
			if (e == s)
				v[l - 1].cols = v[l - 1].indent = 0;
			j = i0;
		}
	}
	free(b.pos);
	free(b.at);
	free(b.cost);
	free(b.from);
}

void layout_wrap_balanced(const struct layout_src *src, int width, layout_lines *out)
{
	size_t first = out->n, k, i;

	layout_wrap(src, width, out);
	k = out->n - first;
	if (k < 2 || k > BALANCE_LINES_MAX || src->ncl > BALANCE_CLUSTERS_MAX)
		return;
	for (i = 0; i < src->ncl; i++)
		if (src->cl[i].flags & (LC_NEWLINE | LC_TAB))
			return;
	for (i = 1; i < k; i++)
		if (!(src->cl[out->v[first + i].first].flags & LC_BREAK))
			return;
	balance(src, width < 1 ? 1 : width, out->v + first, k);
}
