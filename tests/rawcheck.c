/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rawcheck.c: check the raw bytes xinwen wrote to a terminal (captured by tmux
 * pipe-pane) against a strict whitelist: every escape sequence must be one that
 * ncurses emits for TERM=xterm-256color while drawing xinwen's own screen, the text
 * must be valid UTF-8 without C1, bidi or invisible format controls, and (with
 * --restored) the stream must leave the terminal as it found it.
 *
 * Usage: rawcheck [--restored] [--until MARKER] FILE
 *   --restored      also require that at the end of the stream the alternate screen
 *                   was left, the cursor made visible, mouse reporting and keypad
 *                   mode switched off
 *   --until MARKER  check only the bytes before the first MARKER (what the test's
 *                   wrapper printed after xinwen exited)
 * Exit status: 0 clean, 1 a violation (each printed with its byte offset), 2 misuse. */
#include <config.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ESC 0x1b
#define MAX_PARAMS 16
#define MAX_CSI 64 /* bytes; ncurses' longest here is about 20 */
#define MAX_REPORTS 20

static const unsigned char *buf;
static size_t len;
static unsigned long violations;

/* Print the bytes around offset off, escaped, so a failure shows what leaked. */
static void show_context(size_t off)
{
	size_t from = off > 16 ? off - 16 : 0, to = off + 48 < len ? off + 48 : len;
	fputs("    near: \"", stdout);
	for (size_t i = from; i < to; i++) {
		unsigned char b = buf[i];
		if (i == off)
			fputs("<HERE>", stdout);
		if (b == ESC)
			fputs("\\e", stdout);
		else if (b < 0x20 || b == 0x7f || b >= 0x80)
			printf("\\x%02x", b);
		else if (b == '"' || b == '\\')
			printf("\\%c", b);
		else
			putchar(b);
	}
	fputs("\"\n", stdout);
}

static void violation(size_t off, const char *what)
{
	violations++;
	if (violations <= MAX_REPORTS) {
		printf("rawcheck: byte %zu: %s\n", off, what);
		show_context(off);
	} else if (violations == MAX_REPORTS + 1) {
		puts("rawcheck: (further violations not shown)");
	}
}

/* Terminal modes whose final state --restored checks; -1 = never set. */
static struct {
	int alt_screen;	  /* ?1049 */
	int cursor_shown; /* ?25 */
	int mouse;	  /* ?1000 ?1002 ?1003 ?1006 */
	int keypad;	  /* ?1 (DECCKM) and ESC = / ESC > */
	unsigned long entered_alt;
} mode = {-1, -1, -1, -1, 0};

/* A parsed CSI sequence: ESC [ [?] params final. */
struct csi {
	bool private_;
	int nparams;
	long param[MAX_PARAMS];
	bool empty[MAX_PARAMS]; /* the parameter was omitted */
	unsigned char final;
};

static bool params_in(const struct csi *c, const long *ok, size_t nok)
{
	for (int i = 0; i < c->nparams; i++) {
		if (c->empty[i])
			continue;
		bool found = false;
		for (size_t k = 0; k < nok; k++)
			found |= c->param[i] == ok[k];
		if (!found)
			return false;
	}
	return true;
}

static bool all_numeric_upto(const struct csi *c, int max_params)
{
	return c->nparams <= max_params;
}

/* DEC private modes xinwen's ncurses set and reset (DECSET ESC[?Nh, DECRST ESC[?Nl). */
static bool check_private_mode(const struct csi *c, size_t off)
{
	/* 1: cursor keys in application mode (smkx/rmkx, keypad());
	 * 7: autowrap, switched off around the bottom-right cell (rmam/smam);
	 * 12: cursor blinking, reset by cnorm;
	 * 25: cursor visible (civis/cnorm, curs_set());
	 * 1000, 1002, 1003, 1006: mouse reporting and its SGR encoding (mousemask());
	 * 1049: the alternate screen with saved cursor (smcup/rmcup). */
	static const long ok[] = {1, 7, 12, 25, 1000, 1002, 1003, 1006, 1049};
	if (c->final != 'h' && c->final != 'l') {
		violation(off, "private-mode CSI with a final byte other than h or l");
		return false;
	}
	if (c->nparams == 0 || !params_in(c, ok, sizeof ok / sizeof ok[0])) {
		violation(off, "DEC private mode that xinwen never sets");
		return false;
	}
	int on = c->final == 'h';
	for (int i = 0; i < c->nparams; i++) {
		switch (c->param[i]) {
		case 1: mode.keypad = on; break;
		case 25: mode.cursor_shown = on; break;
		case 1000:
		case 1002:
		case 1003: mode.mouse = on; break;
		case 1049:
			mode.alt_screen = on;
			mode.entered_alt += (unsigned long)on;
			break;
		default: break;
		}
	}
	return true;
}

/* SGR: only the attributes and colours of xinwen's styles (tui.c init_styles). */
static bool check_sgr(const struct csi *c, size_t off)
{
	/* 0 reset (sgr0 and the start of sgr); 1 bold; 2 dim; 4 underline; 7 reverse;
	 * 22, 24, 27 their resets; 32 green, 34 blue, 36 cyan (META and dates, borders,
	 * links); 39, 49 default colours (op, use_default_colors()). Blink (5), hidden
	 * (8), red (31), any background colour are never asked for: content that gets
	 * through raw as ESC[31m or ESC[5;41m is caught here. */
	static const long ok[] = {0, 1, 2, 4, 7, 22, 24, 27, 32, 34, 36, 39, 49};
	if (!params_in(c, ok, sizeof ok / sizeof ok[0])) {
		violation(off, "SGR with an attribute or colour that xinwen never uses");
		return false;
	}
	return true;
}

/* Check one CSI; prev_home tells whether it directly follows ESC[H. */
static bool check_csi(const struct csi *c, size_t off, bool prev_home)
{
	if (c->private_)
		return check_private_mode(c, off);
	switch (c->final) {
	case 'm': return check_sgr(c, off);
	/* Cursor motion: cup (H, row;col), cuu/cud/cuf/cub (A-D), hpa (G), vpa (d). */
	case 'H':
		if (all_numeric_upto(c, 2))
			return true;
		break;
	case 'A':
	case 'B':
	case 'C':
	case 'D':
	case 'G':
	case 'd':
		if (all_numeric_upto(c, 1))
			return true;
		break;
	/* Editing: el (K: 0, 1 left, 2 whole line), il/dl (L/M), ich/dch (@/P), ech (X),
	 * rep (b: repeat the last character), indn/rin (S/T: scroll the region). */
	case 'K': {
		static const long ok[] = {0, 1, 2};
		if (all_numeric_upto(c, 1) && params_in(c, ok, 3))
			return true;
		break;
	}
	case 'L':
	case 'M':
	case '@':
	case 'P':
	case 'X':
	case 'b':
	case 'S':
	case 'T':
		if (all_numeric_upto(c, 1))
			return true;
		break;
	/* ed (J): erase below (0 or none). ED 2 only as the second half of clear_screen
	 * ("\e[H\e[2J"); ED 3 (erase the scrollback) never. */
	case 'J':
		if (c->nparams == 0 || (c->nparams == 1 && (c->empty[0] || c->param[0] == 0)))
			return true;
		if (c->nparams == 1 && c->param[0] == 2 && prev_home)
			return true;
		violation(off, "erase-display that is not part of ncurses' clear (\\e[H\\e[2J)");
		return false;
	/* csr (r): the scrolling region, top;bottom. */
	case 'r':
		if (all_numeric_upto(c, 2))
			return true;
		break;
	/* rmir/smir (4l/4h): insert mode, the only ANSI mode ncurses touches. */
	case 'h':
	case 'l': {
		static const long ok[] = {4};
		if (c->nparams == 1 && params_in(c, ok, 1))
			return true;
		violation(off, "ANSI mode other than insert mode");
		return false;
	}
	/* Window operations: only 22;0;0 (push the title, in smcup) and 23;0;0 (pop it,
	 * in rmcup). Both save and restore the title; nothing here ever sets it. */
	case 't':
		if (c->nparams == 3 && (c->param[0] == 22 || c->param[0] == 23) &&
		    c->param[1] == 0 && c->param[2] == 0)
			return true;
		violation(off,
			  "window operation other than the title-stack push/pop of smcup/rmcup");
		return false;
	default:
		/* c (device attributes), n (status report), q, p, s, u, x, ...: queries and
		 * settings xinwen never sends; a query's answer would arrive as keystrokes. */
		violation(off, "CSI with a final byte xinwen never emits (a query or setting)");
		return false;
	}
	violation(off, "CSI with more parameters than the capability takes");
	return false;
}

/* Parse ESC [ at buf[off]; returns the length of the sequence (0 when invalid). */
static size_t parse_csi(size_t off, struct csi *c)
{
	size_t i = off + 2;
	memset(c, 0, sizeof *c);
	if (i < len && buf[i] == '?') {
		c->private_ = true;
		i++;
	}
	bool have_digit = false;
	long v = 0;
	for (; i < len && i - off < MAX_CSI; i++) {
		unsigned char b = buf[i];
		if (b >= '0' && b <= '9') {
			v = v * 10 + (b - '0');
			if (v > 100000)
				v = 100000;
			have_digit = true;
		} else if (b == ';' || (b >= 0x40 && b <= 0x7e)) {
			if (b != ';' && c->nparams == 0 && !have_digit) {
				c->final = b; /* no parameters at all */
				return i - off + 1;
			}
			if (c->nparams == MAX_PARAMS) {
				violation(off, "CSI with too many parameters");
				return 0;
			}
			c->param[c->nparams] = v;
			c->empty[c->nparams] = !have_digit;
			c->nparams++;
			v = 0;
			have_digit = false;
			if (b != ';') {
				c->final = b;
				return i - off + 1;
			}
		} else {
			/* Intermediate bytes (space to /), other parameter bytes (: < = >),
			 * controls or text inside a CSI: nothing ncurses sends here. */
			violation(off, "CSI with a byte other than digits, ';' or a final byte");
			return 0;
		}
	}
	violation(off, "unterminated or overlong CSI");
	return 0;
}

/* Check the escape sequence at buf[off]; returns its length (>= 1). */
static size_t check_escape(size_t off, bool *home)
{
	bool prev_home = *home;
	*home = false;
	if (off + 1 >= len) {
		violation(off, "ESC at the end of the stream");
		return 1;
	}
	unsigned char b = buf[off + 1];
	switch (b) {
	case '[': {
		struct csi c;
		size_t n = parse_csi(off, &c);
		if (n == 0)
			return 2;
		check_csi(&c, off, prev_home);
		*home = c.final == 'H' && c.nparams == 0;
		return n;
	}
	case '(':
		/* ESC ( B: G0 is ASCII, part of sgr0/sgr for xterm. (ESC ( 0, the line-drawing
		 * set, is not used: borders are drawn as UTF-8 U+2500/U+2502.) */
		if (off + 2 < len && buf[off + 2] == 'B')
			return 3;
		violation(off, "character set designation other than ESC ( B");
		return 2;
	case '=': /* smkx: keypad transmit (application) mode */ mode.keypad = 1; return 2;
	case '>': /* rmkx: keypad back to normal mode */ mode.keypad = 0; return 2;
	case '7': /* sc: save the cursor */
	case '8': /* rc: restore the cursor */
	case 'M': /* ri: reverse index (scroll down one line) */ return 2;
	case ']':
		violation(off,
			  "OSC (ESC ]): title, clipboard (52), hyperlink (8)... never xinwen's");
		return 2;
	case 'P': violation(off, "DCS (ESC P): device control string, never xinwen's"); return 2;
	case '_':
	case '^':
	case 'X': violation(off, "APC/PM/SOS string (ESC _ ^ X), never xinwen's"); return 2;
	default: violation(off, "escape sequence that xinwen's terminfo never emits"); return 2;
	}
}

/* Decode one UTF-8 sequence strictly; returns its length, 0 when invalid. */
static size_t utf8_decode(size_t off, uint32_t *cp)
{
	unsigned char b = buf[off];
	size_t n;
	uint32_t min;
	if (b < 0x80) {
		*cp = b;
		return 1;
	} else if (b >= 0xc2 && b <= 0xdf) {
		n = 2, *cp = b & 0x1f, min = 0x80;
	} else if (b >= 0xe0 && b <= 0xef) {
		n = 3, *cp = b & 0x0f, min = 0x800;
	} else if (b >= 0xf0 && b <= 0xf4) {
		n = 4, *cp = b & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (off + n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((buf[off + i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (buf[off + i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* Code points the sanitizer removes (doc/LAYOUT.md §4): if one reaches the terminal,
 * something was drawn unsanitized. Returns what it is, or NULL. */
static const char *forbidden_code_point(uint32_t cp)
{
	if (cp >= 0x80 && cp <= 0x9f)
		return "C1 control code point (U+0080-U+009F)";
	if (cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return "bidi control (U+061C, U+200E/F, U+202A-E, U+2066-9)";
	if ((cp >= 0x200b && cp <= 0x200d) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xfeff ||
	    cp == 0x00ad)
		return "invisible format character the sanitizer drops";
	if (cp == 0x2028 || cp == 0x2029)
		return "line/paragraph separator (the sanitizer makes them line breaks)";
	return NULL;
}

static void check_stream(bool restored)
{
	bool home = false;
	size_t off = 0;
	unsigned long escapes = 0;

	while (off < len) {
		unsigned char b = buf[off];
		if (b == ESC) {
			escapes++;
			off += check_escape(off, &home);
			continue;
		}
		home = false;
		if (b < 0x20 || b == 0x7f) {
			/* BS, TAB, LF, CR move the cursor (cub1, ht, cud1/ind, cr). Anything
			 * else -- BEL, SO/SI, NUL... -- came from content. */
			if (b != '\b' && b != '\t' && b != '\n' && b != '\r')
				violation(off,
					  b == 0x07 ? "raw BEL (0x07)"
						    : "raw C0 control other than BS, TAB, LF, CR");
			off++;
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(off, &cp);
		if (n == 0) {
			violation(off, b >= 0x80 && b <= 0x9f
					       ? "raw 8-bit C1 byte (0x80-0x9F) outside UTF-8"
					       : "invalid UTF-8");
			off++;
			continue;
		}
		const char *why = forbidden_code_point(cp);
		if (why)
			violation(off, why);
		off += n;
	}
	if (restored) {
		if (mode.entered_alt == 0)
			violation(len,
				  "the alternate screen was never entered (nothing was drawn?)");
		if (mode.alt_screen != 0)
			violation(len, "the stream ends on the alternate screen (no rmcup)");
		if (mode.cursor_shown == 0)
			violation(len, "the stream ends with the cursor hidden (no cnorm)");
		if (mode.mouse == 1)
			violation(len, "the stream ends with mouse reporting on");
		if (mode.keypad == 1)
			violation(len, "the stream ends in keypad transmit mode (no rmkx)");
	}
	printf("rawcheck: %zu bytes, %lu escape sequences, %lu violation%s\n", len, escapes,
	       violations, violations == 1 ? "" : "s");
}

static unsigned char *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		exit(2);
	}
	size_t cap = 1 << 16;
	unsigned char *p = malloc(cap);
	*n = 0;
	for (;;) {
		if (!p) {
			fputs("rawcheck: out of memory\n", stderr);
			exit(2);
		}
		size_t got = fread(p + *n, 1, cap - *n, f);
		*n += got;
		if (*n < cap)
			break;
		cap *= 2;
		unsigned char *q = realloc(p, cap);
		if (!q)
			free(p);
		p = q;
	}
	if (ferror(f)) {
		perror(path);
		exit(2);
	}
	fclose(f);
	return p;
}

int main(int argc, char **argv)
{
	bool restored = false;
	const char *until = NULL, *path = NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--restored") == 0)
			restored = true;
		else if (strcmp(argv[i], "--until") == 0 && i + 1 < argc)
			until = argv[++i];
		else if (!path && argv[i][0] != '-')
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path) {
		fputs("usage: rawcheck [--restored] [--until MARKER] FILE\n", stderr);
		return 2;
	}
	unsigned char *data = read_all(path, &len);
	buf = data;
	if (until) {
		size_t m = strlen(until);
		size_t i = 0;
		while (m && i + m <= len && memcmp(data + i, until, m) != 0)
			i++;
		if (!m || i + m > len) {
			printf("rawcheck: marker '%s' not found: the capture is incomplete\n",
			       until);
			free(data);
			return 1;
		}
		len = i;
	}
	check_stream(restored);
	free(data);
	return violations ? 1 : 0;
}
