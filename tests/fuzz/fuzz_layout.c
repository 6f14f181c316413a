/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_layout.c: libFuzzer target for decode + sanitize + layout: the first two bytes
 * choose a width 1..300 (and a second, narrow one 1..8), the rest is the text. The
 * target checks the layout invariants itself (doc/LAYOUT.md §2, §4) and abort()s on a
 * violation: every line fits, no forbidden code point survives, nothing is lost. */
#include <config.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unigbrk.h>
#include <unistr.h>
#include <wchar.h>

#include "fuzz_common.h"
#include "layout.h"
#include "strbuf.h"

#define CLUSTER_MAX 5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool is_bidi_control(ucs4_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static bool is_dropped_invisible(ucs4_t cp)
{
	return (cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF ||
	       cp == 0x00AD || (cp >= 0xE0000 && cp <= 0xE007F);
}

/* A code point that must never reach the screen (doc/LAYOUT.md §4). */
static bool is_forbidden(ucs4_t cp)
{
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
		return true;
	if (cp == 0x2028 || cp == 0x2029)
		return true;
	return is_bidi_control(cp) || is_dropped_invisible(cp) || wcwidth((wchar_t)cp) < 0;
}

static bool needs_base(ucs4_t cp)
{
	int gbp = uc_graphemeclusterbreak_property(cp);

	return gbp == GBP_EXTEND || gbp == GBP_SPACINGMARK || gbp == GBP_ZWJ;
}

/* The sanitized text: valid UTF-8, only LF and TAB of the controls, caret text well
 * formed, nothing forbidden. */
static void check_dtext(const struct dtext *t)
{
	size_t i = 0;

	FUZZ_CHECK(t->s != NULL && t->flags != NULL);
	FUZZ_CHECK(t->s[t->n] == '\0');
	FUZZ_CHECK(u8_check((const uint8_t *)t->s, t->n) == NULL);
	while (i < t->n) {
		ucs4_t cp;
		int len = u8_mbtouc(&cp, (const uint8_t *)t->s + i, t->n - i);

		FUZZ_CHECK(len >= 1);
		if (t->flags[i] & DTEXT_CARET) {
			/* ^ and one printable ASCII character, both marked */
			FUZZ_CHECK(cp == '^' && i + 1 < t->n);
			FUZZ_CHECK(t->flags[i + 1] & DTEXT_CARET);
			FUZZ_CHECK(t->s[i + 1] >= 0x3F && t->s[i + 1] <= 0x5F);
			i += 2;
			continue;
		}
		if (cp != '\n' && cp != '\t')
			FUZZ_CHECK(!is_forbidden(cp));
		i += (size_t)len;
	}
}

/* The clusters tile the text, are at most CLUSTER_MAX code points, never start with
 * a combining mark, and their width is the wcwidth sum (the measure ncurses uses). */
static void check_clusters(const struct layout_src *src)
{
	const struct dtext *t = &src->text;
	size_t i, off = 0;

	FUZZ_CHECK((src->ncl == 0) == (t->n == 0));
	for (i = 0; i < src->ncl; i++) {
		const struct layout_cluster *c = &src->cl[i];
		const uint8_t *p = (const uint8_t *)t->s + c->off;
		size_t k = 0, ncp = 0;
		int w = 0;

		FUZZ_CHECK(c->off == off && c->len >= 1 && c->off + c->len <= t->n);
		off += c->len;
		if (c->flags & LC_CARET) {
			FUZZ_CHECK(c->len == 2 && c->width == 2);
			continue;
		}
		while (k < c->len) {
			ucs4_t cp;
			int len = u8_mbtouc(&cp, p + k, c->len - k);

			if (k == 0)
				FUZZ_CHECK(!needs_base(cp));
			w += (cp == '\n' || cp == '\t') ? 0 : wcwidth((wchar_t)cp);
			k += (size_t)len;
			ncp++;
		}
		FUZZ_CHECK(ncp <= CLUSTER_MAX);
		FUZZ_CHECK(c->width == w);
		if (c->flags & (LC_NEWLINE | LC_TAB))
			FUZZ_CHECK(c->len == 1);
	}
	FUZZ_CHECK(off == t->n);
}

/* A line's plain text: no control bytes, valid UTF-8, and as wide as the line. */
static void check_line_text(const struct strbuf *sb, int cols)
{
	size_t i = 0;
	int w = 0;

	FUZZ_CHECK(u8_check((const uint8_t *)sb->s, sb->n) == NULL);
	while (i < sb->n) {
		ucs4_t cp;
		int len = u8_mbtouc(&cp, (const uint8_t *)sb->s + i, sb->n - i);

		FUZZ_CHECK(!is_forbidden(cp));
		w += wcwidth((wchar_t)cp);
		i += (size_t)len;
	}
	FUZZ_CHECK(w == cols);
}

/* Wrap at width and check every line fits, is measured right, and that the lines
 * hold every cluster but white space and line breaks, once each, in order. */
static void check_wrap(const struct layout_src *src, int width, layout_lines *lines,
		       struct strbuf *sb, bool balanced)
{
	size_t k, i, next = 0;

	lines->n = 0;
	if (balanced)
		layout_wrap_balanced(src, width, lines);
	else
		layout_wrap(src, width, lines);
	FUZZ_CHECK(lines->n >= 1);
	for (k = 0; k < lines->n; k++) {
		const struct layout_line *l = &lines->v[k];
		int col = l->indent;

		FUZZ_CHECK(l->cols >= 0 && l->cols <= width);
		FUZZ_CHECK(l->first <= src->ncl && l->count <= src->ncl - l->first);
		FUZZ_CHECK(l->count == 0 || l->first >= next);
		/* clusters skipped between lines: only white space and line breaks */
		for (i = next; i < l->first && l->count; i++)
			FUZZ_CHECK(src->cl[i].flags & (LC_SPACE | LC_TAB | LC_NEWLINE));
		for (i = l->first; i < l->first + l->count; i++) {
			FUZZ_CHECK(!(src->cl[i].flags & LC_NEWLINE));
			col += layout_line_cluster_cols(l, &src->cl[i], col, width);
		}
		FUZZ_CHECK(col == l->cols);
		FUZZ_CHECK(l->indent >= 0 && (l->count || l->indent == 0));
		if (l->count) {
			/* a line ends on content: trailing white space is trimmed */
			FUZZ_CHECK(!(src->cl[l->first + l->count - 1].flags & (LC_SPACE | LC_TAB)));
			next = l->first + l->count;
		}
		sb_clear(sb);
		layout_line_text(src, l, width, sb);
		check_line_text(sb, l->cols);
	}
	for (i = next; i < src->ncl; i++)
		FUZZ_CHECK(src->cl[i].flags & (LC_SPACE | LC_TAB | LC_NEWLINE));
}

/* Prepare the text after the two width bytes and check it wrapped at both widths. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct layout_src src;
	layout_lines lines = {0};
	struct strbuf sb = {0};
	int width, narrow;

	if (size < 2)
		return 0;
	width = 1 + (int)(((unsigned)data[0] << 8 | data[1]) % 300u);
	narrow = 1 + data[1] % 8;
	layout_prepare(&src, (const char *)data + 2, size - 2);
	check_dtext(&src.text);
	check_clusters(&src);
	check_wrap(&src, width, &lines, &sb, false);
	check_wrap(&src, narrow, &lines, &sb, false);
	check_wrap(&src, width, &lines, &sb, true);
	check_wrap(&src, narrow, &lines, &sb, true);
	layout_src_free(&src);
	free(lines.v);
	sb_free(&sb);
	return 0;
}
