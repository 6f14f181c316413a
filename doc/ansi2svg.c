/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ansi2svg.c: turn a terminal screen captured with colours (tmux capture-pane -e -p:
 * lines of UTF-8 text and SGR escape sequences) into an SVG picture of it, for
 * doc/screenshot.sh.
 *
 *   ansi2svg [-c COLS] [-r ROWS] < CAPTURE > PICTURE.svg
 *
 * The picture is COLS x ROWS cells (default: as wide and as tall as the capture), each
 * CELL_W x CELL_H pixels; a double-width character takes two cells. Every run of text
 * of one style is one <text> element stretched (textLength) to the width of its cells,
 * so the columns stay aligned whatever monospace font draws it. Understood: SGR 0-9 and
 * their resets, the 8, 16, 256 and 24-bit colours; any other escape sequence, and any
 * control character, is dropped. The output depends only on the input. */
#include <config.h>

#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "strbuf.h"
#include "utf8.h"
#include "xalloc.h"

enum { CELL_W = 9, CELL_H = 19, FONT_PX = 15, BASELINE = 15, MARGIN = 8, MAX_DIM = 1000 };

#define DEFAULT_FG 0xd0d0d0u
#define DEFAULT_BG 0x1c1c1cu
#define NO_COLOR 0xffffffffu /* the terminal's default colour */

/* How one cell is drawn. */
struct style {
	uint32_t fg, bg; /* 0xRRGGBB, or NO_COLOR */
	bool bold, dim, italic, underline, reverse, hidden, strike;
};

struct cell {
	uint32_t cp; /* 0: a blank cell, or the right half of a wide character */
	int width;   /* 1 or 2 for a character, 0 for the right half */
	struct style s;
};

struct screen {
	int cols, rows;
	struct cell *cells; /* rows x cols */
};

/* The 16 colours of the xterm palette. */
static const uint32_t palette16[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x3b78ff, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};

/* Colour n of the 256-colour palette. */
static uint32_t palette256(int n)
{
	static const int level[6] = {0, 95, 135, 175, 215, 255};

	if (n < 16)
		return palette16[n];
	if (n < 232) {
		n -= 16;
		return (uint32_t)(level[n / 36] << 16 | level[n / 6 % 6] << 8 | level[n % 6]);
	}
	int g = 8 + (n - 232) * 10;
	return (uint32_t)(g << 16 | g << 8 | g);
}

/* An extended colour (38 or 48) from params p[*i...]: 5;N or 2;R;G;B. Moves *i past it;
 * NO_COLOR when it is malformed. */
static uint32_t extended_color(const int *p, int n, int *i)
{
	if (*i + 1 < n && p[*i + 1] == 5 && *i + 2 < n) {
		int c = p[*i + 2];
		*i += 2;
		return c >= 0 && c < 256 ? palette256(c) : NO_COLOR;
	}
	if (*i + 1 < n && p[*i + 1] == 2 && *i + 4 < n) {
		int r = p[*i + 2], g = p[*i + 3], b = p[*i + 4];
		*i += 4;
		if (r < 0 || r > 255 || g < 0 || g > 255 || b < 0 || b > 255)
			return NO_COLOR;
		return (uint32_t)(r << 16 | g << 8 | b);
	}
	*i = n;
	return NO_COLOR;
}

/* Apply the SGR parameters p[0..n) to s. */
static void apply_sgr(struct style *s, const int *p, int n)
{
	static const struct style plain = {NO_COLOR, NO_COLOR, false, false, false,
					   false,    false,    false, false};

	if (n == 0) {
		*s = plain;
		return;
	}
	for (int i = 0; i < n; i++) {
		int v = p[i];
		switch (v) {
		case 0: *s = plain; break;
		case 1: s->bold = true; break;
		case 2: s->dim = true; break;
		case 3: s->italic = true; break;
		case 4: s->underline = true; break;
		case 7: s->reverse = true; break;
		case 8: s->hidden = true; break;
		case 9: s->strike = true; break;
		case 22: s->bold = s->dim = false; break;
		case 23: s->italic = false; break;
		case 24: s->underline = false; break;
		case 27: s->reverse = false; break;
		case 28: s->hidden = false; break;
		case 29: s->strike = false; break;
		case 38: s->fg = extended_color(p, n, &i); break;
		case 39: s->fg = NO_COLOR; break;
		case 48: s->bg = extended_color(p, n, &i); break;
		case 49: s->bg = NO_COLOR; break;
		default:
			if (v >= 30 && v <= 37)
				s->fg = palette16[v - 30];
			else if (v >= 40 && v <= 47)
				s->bg = palette16[v - 40];
			else if (v >= 90 && v <= 97)
				s->fg = palette16[v - 90 + 8];
			else if (v >= 100 && v <= 107)
				s->bg = palette16[v - 100 + 8];
			break;
		}
	}
}

/* Skip the escape sequence at s[0..n) (s[0] is ESC); if it is an SGR, apply it to st.
 * Returns the bytes it takes. */
static size_t escape(const unsigned char *s, size_t n, struct style *st)
{
	enum { MAX_PARAMS = 32 };
	int p[MAX_PARAMS], np = 0, cur = -1;
	size_t i;

	if (n >= 2 && (s[1] == ']' || s[1] == 'P' || s[1] == '_' || s[1] == '^' || s[1] == 'X')) {
		/* OSC, DCS, APC, PM, SOS: up to BEL or ST (ESC \), or the end of the line */
		for (i = 2; i < n; i++) {
			if (s[i] == 0x07)
				return i + 1;
			if (s[i] == 0x1b)
				return i + 1 < n && s[i + 1] == '\\' ? i + 2 : i;
		}
		return n;
	}
	if (n < 2 || s[1] != '[')
		return n < 2 ? n : 2; /* another escape: ESC and the next byte */
	for (i = 2; i < n; i++) {
		unsigned char c = s[i];
		if (c >= '0' && c <= '9') {
			if (cur < 0)
				cur = 0;
			if (cur < 100000)
				cur = cur * 10 + (c - '0');
		} else if (c == ';' || c == ':') {
			if (np < MAX_PARAMS)
				p[np++] = cur < 0 ? 0 : cur;
			cur = -1;
		} else if (c >= 0x40 && c <= 0x7e) {
			if (cur >= 0 && np < MAX_PARAMS)
				p[np++] = cur;
			if (c == 'm')
				apply_sgr(st, p, np);
			return i + 1;
		} else if (c < 0x20 || c > 0x3f) {
			return i; /* a malformed sequence ends here */
		}
	}
	return n;
}

static struct cell *cell_at(struct screen *sc, int row, int col)
{
	return &sc->cells[(size_t)row * (size_t)sc->cols + (size_t)col];
}

/* Put one line of the capture into row of the screen. */
static void put_line(struct screen *sc, int row, const unsigned char *s, size_t n)
{
	struct style st = {NO_COLOR, NO_COLOR, false, false, false, false, false, false, false};
	int col = 0;

	for (size_t i = 0; i < n;) {
		if (s[i] == 0x1b) {
			i += escape(s + i, n - i, &st);
			continue;
		}
		uint32_t cp;
		i += utf8_decode(s + i, n - i, &cp);
		if (cp == UTF8_BAD)
			cp = 0xfffd;
		int w = wcwidth((wchar_t)cp);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || w == 0)
			continue; /* controls and combining marks: not drawn */
		if (w < 0)
			cp = 0xfffd, w = 1;
		if (col + w > sc->cols)
			break;
		*cell_at(sc, row, col) = (struct cell){cp == ' ' ? 0 : cp, w, st};
		if (w == 2)
			*cell_at(sc, row, col + 1) = (struct cell){0, 0, st};
		col += w;
	}
}

/* The colours a cell is drawn in, after reverse video. */
static void colors_of(const struct style *s, uint32_t *fg, uint32_t *bg)
{
	*fg = s->fg == NO_COLOR ? DEFAULT_FG : s->fg;
	*bg = s->bg == NO_COLOR ? DEFAULT_BG : s->bg;
	if (s->reverse) {
		uint32_t t = *fg;
		*fg = *bg;
		*bg = t;
	}
}

static bool same_style(const struct style *a, const struct style *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->bold == b->bold && a->dim == b->dim &&
	       a->italic == b->italic && a->underline == b->underline && a->reverse == b->reverse &&
	       a->hidden == b->hidden && a->strike == b->strike;
}

/* Append code point cp as XML text. */
static void put_xml_char(struct strbuf *out, uint32_t cp)
{
	char buf[8];

	switch (cp) {
	case '&': sb_puts(out, "&amp;"); return;
	case '<': sb_puts(out, "&lt;"); return;
	case '>': sb_puts(out, "&gt;"); return;
	case 0: sb_putc(out, ' '); return;
	}
	if (cp < 0x80) {
		sb_putc(out, (char)cp);
		return;
	}
	int n;
	if (cp < 0x800) {
		buf[0] = (char)(0xc0 | cp >> 6);
		n = 1;
	} else if (cp < 0x10000) {
		buf[0] = (char)(0xe0 | cp >> 12);
		buf[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		n = 2;
	} else {
		buf[0] = (char)(0xf0 | cp >> 18);
		buf[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		buf[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		n = 3;
	}
	buf[n] = (char)(0x80 | (cp & 0x3f));
	sb_append(out, buf, (size_t)n + 1);
}

/* The backgrounds of row that are not the default, as rectangles. */
static void put_backgrounds(struct strbuf *out, struct screen *sc, int row)
{
	for (int col = 0; col < sc->cols;) {
		uint32_t fg, bg, fg2, bg2;
		colors_of(&cell_at(sc, row, col)->s, &fg, &bg);
		int end = col + 1;
		while (end < sc->cols) {
			colors_of(&cell_at(sc, row, end)->s, &fg2, &bg2);
			if (bg2 != bg)
				break;
			end++;
		}
		if (bg != DEFAULT_BG)
			sb_printf(out,
				  "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
				  "fill=\"#%06x\"/>\n",
				  MARGIN + col * CELL_W, MARGIN + row * CELL_H,
				  (end - col) * CELL_W, CELL_H, (unsigned)bg);
		col = end;
	}
}

/* Whether cells [from, to) of row hold only blanks (nothing drawn but a background). */
static bool all_blank(struct screen *sc, int row, int from, int to)
{
	for (int c = from; c < to; c++) {
		const struct cell *k = cell_at(sc, row, c);
		if (k->cp || (k->s.underline && k->width) || (k->s.strike && k->width))
			return false;
	}
	return true;
}

/* The text of row: a <text> for each run of one style and one character width. */
static void put_text(struct strbuf *out, struct screen *sc, int row)
{
	for (int col = 0; col < sc->cols;) {
		const struct cell *first = cell_at(sc, row, col);
		int wide = first->width == 2, end = col + (first->width ? first->width : 1);
		while (end < sc->cols) {
			const struct cell *k = cell_at(sc, row, end);
			if (!k->width || (k->width == 2) != wide || !same_style(&k->s, &first->s))
				break;
			end += k->width;
		}
		if (!first->width || first->s.hidden || all_blank(sc, row, col, end)) {
			col = end;
			continue;
		}
		int next = end;
		while (!wide && all_blank(sc, row, end - 1, end)) /* the run's trailing blanks */
			end--;
		uint32_t fg, bg;
		colors_of(&first->s, &fg, &bg);
		sb_printf(out, "<text x=\"%d\" y=\"%d\" textLength=\"%d\" fill=\"#%06x\"",
			  MARGIN + col * CELL_W, MARGIN + row * CELL_H + BASELINE,
			  (end - col) * CELL_W, (unsigned)fg);
		if (first->s.bold)
			sb_puts(out, " font-weight=\"bold\"");
		if (first->s.italic)
			sb_puts(out, " font-style=\"italic\"");
		if (first->s.dim)
			sb_puts(out, " fill-opacity=\"0.6\"");
		if (first->s.underline || first->s.strike)
			sb_puts(out, first->s.underline ? " text-decoration=\"underline\""
							: " text-decoration=\"line-through\"");
		sb_putc(out, '>');
		for (int c = col; c < end; c++) {
			const struct cell *k = cell_at(sc, row, c);
			if (k->width)
				put_xml_char(out, k->cp);
		}
		sb_puts(out, "</text>\n");
		col = next;
	}
}

static void put_svg(struct strbuf *out, struct screen *sc)
{
	int w = 2 * MARGIN + sc->cols * CELL_W, h = 2 * MARGIN + sc->rows * CELL_H;

	sb_printf(
		out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"viewBox=\"0 0 %d %d\" font-family=\"'DejaVu Sans Mono', 'Noto Sans Mono CJK TC', "
		"'Noto Sans CJK TC', monospace\" font-size=\"%d\" xml:space=\"preserve\">\n",
		w, h, w, h, FONT_PX);
	sb_printf(out, "<rect width=\"%d\" height=\"%d\" rx=\"6\" fill=\"#%06x\"/>\n", w, h,
		  (unsigned)DEFAULT_BG);
	for (int row = 0; row < sc->rows; row++)
		put_backgrounds(out, sc, row);
	for (int row = 0; row < sc->rows; row++)
		put_text(out, sc, row);
	sb_puts(out, "</svg>\n");
}

/* The columns the capture line s[0..n) takes. */
static int line_width(const unsigned char *s, size_t n)
{
	struct style ignored;
	int cols = 0;

	for (size_t i = 0; i < n;) {
		if (s[i] == 0x1b) {
			i += escape(s + i, n - i, &ignored);
			continue;
		}
		uint32_t cp;
		i += utf8_decode(s + i, n - i, &cp);
		int w = cp == UTF8_BAD ? 1 : wcwidth((wchar_t)cp);
		if (cp >= 0x20 && !(cp >= 0x7f && cp < 0xa0))
			cols += w < 0 ? 1 : w;
	}
	return cols;
}

/* A dimension option's value, or -1 when it is not a number in 1..MAX_DIM. */
static int parse_dim(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= 1 && v <= MAX_DIM ? (int)v : -1;
}

int main(int argc, char **argv)
{
	struct strbuf in = {0}, out = {0};
	struct screen sc = {0, 0, NULL};
	int want_cols = 0, want_rows = 0;
	char chunk[8192];
	size_t n;

	if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "en_US.UTF-8")) {
		fputs("ansi2svg: no UTF-8 locale (C.UTF-8)\n", stderr);
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		int *dim = !strcmp(argv[i], "-c")   ? &want_cols
			   : !strcmp(argv[i], "-r") ? &want_rows
						    : NULL;
		if (!dim || i + 1 >= argc || (*dim = parse_dim(argv[++i])) < 0) {
			fprintf(stderr,
				"usage: ansi2svg [-c COLS] [-r ROWS] < CAPTURE > PICTURE.svg"
				" (COLS and ROWS: 1 to %d)\n",
				MAX_DIM);
			return 2;
		}
	}
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		sb_append(&in, chunk, n);
	if (ferror(stdin)) {
		perror("ansi2svg: reading standard input");
		return 1;
	}

	/* The capture's lines and its size. */
	const unsigned char *s = (const unsigned char *)(in.s ? in.s : "");
	int lines = 0, widest = 0;
	for (size_t i = 0; i < in.n;) {
		const unsigned char *nl = memchr(s + i, '\n', in.n - i);
		size_t len = nl ? (size_t)(nl - (s + i)) : in.n - i;
		int w = line_width(s + i, len);
		if (w > widest)
			widest = w;
		lines++;
		i += len + 1;
	}
	sc.cols = want_cols ? want_cols : widest > MAX_DIM ? MAX_DIM : widest ? widest : 1;
	sc.rows = want_rows ? want_rows : lines > MAX_DIM ? MAX_DIM : lines ? lines : 1;
	sc.cells = xcalloc((size_t)sc.rows * (size_t)sc.cols, sizeof *sc.cells);
	for (size_t k = 0; k < (size_t)sc.rows * (size_t)sc.cols; k++)
		sc.cells[k] = (struct cell){
			0,
			1,
			{NO_COLOR, NO_COLOR, false, false, false, false, false, false, false}};
	int row = 0;
	for (size_t i = 0; i < in.n && row < sc.rows; row++) {
		const unsigned char *nl = memchr(s + i, '\n', in.n - i);
		size_t len = nl ? (size_t)(nl - (s + i)) : in.n - i;
		put_line(&sc, row, s + i, len);
		i += len + 1;
	}
	put_svg(&out, &sc);
	int status = EXIT_SUCCESS;
	if (fwrite(out.s, 1, out.n, stdout) != out.n || fflush(stdout) || ferror(stdout)) {
		perror("ansi2svg: writing standard output");
		status = EXIT_FAILURE;
	}
	free(sc.cells);
	sb_free(&in);
	sb_free(&out);
	return status;
}
