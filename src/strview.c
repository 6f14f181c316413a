/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strview.c: length-counted views into text: white space, trimming, lines, dates. */
#include <config.h>

#include "strview.h"

#include <string.h>

#include <unictype.h>
#include <unistr.h>

struct str str_make(const char *p, size_t n)
{
	struct str s = {p, n};
	return s;
}

size_t str_space_at(const char *p, size_t n)
{
	ucs4_t uc;
	int len;

	if (!n)
		return 0;
	/* every white-space character outside ASCII starts with one of these bytes (U+0085,
	 * U+00A0, U+1680, U+2000 to U+205F, U+3000): the others are not decoded */
	unsigned char b = (unsigned char)*p;
	if (b < 0x80)
		return b == ' ' || (b >= '\t' && b <= '\r');
	if (b != 0xC2 && b != 0xE1 && b != 0xE2 && b != 0xE3)
		return 0;
	/* the only one of U+3000 to U+3FFF (where the ideographic full stop ending most
	 * Chinese paragraphs is) is U+3000 itself */
	if (b == 0xE3)
		return n >= 3 && (unsigned char)p[1] == 0x80 && (unsigned char)p[2] == 0x80 ? 3 : 0;
	len = u8_mbtouc(&uc, (const uint8_t *)p, n);
	return uc_is_property_white_space(uc) ? (size_t)len : 0;
}

/* Byte length of the white-space character ending at p[n], or 0. */
static size_t space_before(const char *p, size_t n)
{
	size_t start = n;
	size_t back = 0;

	while (start > 0 && back < 4) {
		start--;
		back++;
		if (((unsigned char)p[start] & 0xC0) != 0x80)
			break;
	}
	if (str_space_at(p + start, n - start) == n - start)
		return n - start;
	return 0;
}

struct str str_trim_left(struct str s)
{
	size_t k;

	while ((k = str_space_at(s.p, s.n)) > 0) {
		s.p += k;
		s.n -= k;
	}
	return s;
}

/* Whether the n > 0 bytes at p end with a character known not to be white space
 * without decoding it: ASCII other than a space, three bytes led by 0xE4 to 0xEF (CJK:
 * no white space is among them), or led by 0xE3 other than U+3000. */
static bool ends_unspaced(const char *p, size_t n)
{
	unsigned char last = (unsigned char)p[n - 1], lead;

	if (last < 0x80)
		return last != ' ' && (last < '\t' || last > '\r');
	if (n < 3 || (last & 0xC0) != 0x80 || ((unsigned char)p[n - 2] & 0xC0) != 0x80)
		return false;
	lead = (unsigned char)p[n - 3];
	if (lead == 0xE3) /* U+3000 to U+3FFF: U+3000 is white space, U+3002 (。) is not */
		return (unsigned char)p[n - 2] != 0x80 || last != 0x80;
	return lead >= 0xE4 && lead <= 0xEF;
}

struct str str_trim_right(struct str s)
{
	size_t k;

	while (s.n && !ends_unspaced(s.p, s.n) && (k = space_before(s.p, s.n)) > 0)
		s.n -= k;
	return s;
}

struct str str_trim(struct str s)
{
	return str_trim_right(str_trim_left(s));
}

bool str_is_blank(struct str s)
{
	return str_trim_left(s).n == 0;
}

bool str_eq(struct str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

bool str_has_prefix(struct str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

int str_quote_len(struct str s, size_t max)
{
	size_t n = s.n;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
			n--;
	}
	return (int)n;
}

size_t text_line_of_offset(const char *s, size_t off)
{
	size_t line = 1;
	size_t i;

	for (i = 0; i < off; i++) {
		if (s[i] == '\n')
			line++;
		else if (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n'))
			line++;
	}
	return line;
}

size_t text_normalize_newlines(char *s, size_t n)
{
	size_t i = 0, o = 0;
	const char *cr;

	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	/* Most files have no CR: move the text past the BOM, if any, and be done. */
	cr = memchr(s + i, '\r', n - i);
	o = (cr ? (size_t)(cr - s) : n) - i;
	if (i)
		memmove(s, s + i, o);
	i += o;
	for (; i < n; i++) {
		if (s[i] == '\r') {
			s[o++] = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return o;
}

bool line_next(struct line_iter *it, struct text_line *l)
{
	const char *nl;
	size_t len;

	if (it->pos >= it->n)
		return false;
	nl = memchr(it->buf + it->pos, '\n', it->n - it->pos);
	len = nl ? (size_t)(nl - (it->buf + it->pos)) : it->n - it->pos;
	l->s = str_make(it->buf + it->pos, len);
	l->no = ++it->no;
	it->pos += len + (nl ? 1 : 0);
	return true;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* The number n digits at s make, or -1 when one is no digit. */
static int digits_value(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool date_valid(const char *s, size_t n)
{
	static const int days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (n != 4 && n != 7 && n != 10)
		return false;
	if ((y = digits_value(s, 4)) < 1)
		return false;
	if (n == 4)
		return true;
	if (s[4] != '-' || (m = digits_value(s + 5, 2)) < 1 || m > 12)
		return false;
	if (n == 7)
		return true;
	if (s[7] != '-' || (d = digits_value(s + 8, 2)) < 1 || d > days[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m != 2 || d < 29 || leap;
}

enum date_line date_line_parse(struct str line, struct str *date, struct str *source)
{
	static const char pattern[] = "dddd-dd-dd";
	struct str s = str_trim(line);
	size_t i;

	if (s.n < 10)
		return DATE_LINE_NONE;
	for (i = 0; i < 10; i++) {
		if (pattern[i] == 'd' ? !is_digit(s.p[i]) : s.p[i] != '-')
			return DATE_LINE_NONE;
	}
	if (s.n > 10 && !str_space_at(s.p + 10, s.n - 10))
		return DATE_LINE_NONE;
	*source = str_trim(str_make(s.p + 10, s.n - 10));
	if (!date_valid(s.p, 10)) {
		*date = str_make(s.p, 0); /* undated; set, so that the source is kept */
		return DATE_LINE_BAD_DAY;
	}
	*date = str_make(s.p, 10);
	return DATE_LINE;
}

bool text_is_date_line(const char *p, size_t n)
{
	struct str date, source;

	return date_line_parse(str_make(p, n), &date, &source) == DATE_LINE;
}
