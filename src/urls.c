/* SPDX-License-Identifier: GPL-3.0-or-later */
/* urls.c: finding web addresses in text and making them safe (urls.h). */
#include <config.h>

#include "urls.h"

#include <string.h>
#include <strings.h>

static const char *const schemes[] = {"http://", "https://", "ftp://"};

/* The length of the scheme at s (n bytes), case ignored, or 0. */
static size_t scheme_at(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
		size_t k = strlen(schemes[i]);
		if (n >= k && strncasecmp(s, schemes[i], k) == 0)
			return k;
	}
	return 0;
}

static bool host_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

/* The length of "www." at s (n bytes), case ignored, when a host name follows it with
 * another dot and a letter or digit after that (www.example.cn), else 0. */
static size_t www_at(const char *s, size_t n)
{
	size_t i = 4;
	bool dot = false;

	if (n < 8 || strncasecmp(s, "www.", 4) != 0 || !host_byte((unsigned char)s[4]) ||
	    s[4] == '-' || s[4] == '.')
		return 0;
	for (; i < n && host_byte((unsigned char)s[i]); i++)
		if (s[i] == '.' && i > 4 && s[i - 1] != '.' && i + 1 < n &&
		    host_byte((unsigned char)s[i + 1]) && s[i + 1] != '.' && s[i + 1] != '-')
			dot = true;
	return dot ? 4 : 0;
}

/* Whether byte c may be part of an address found in text. */
static bool url_byte(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '\'' && c != '<' && c != '>' && c != '\\' &&
	       c != '^' && c != '`' && c != '{' && c != '|' && c != '}';
}

/* Drop what ends the sentence rather than the address. */
static size_t trim_end(const char *s, size_t n)
{
	while (n > 0) {
		char c = s[n - 1];
		if (strchr(".,;:!?", c)) {
			n--;
			continue;
		}
		const char *open = c == ')' ? "(" : c == ']' ? "[" : NULL;
		if (!open)
			break;
		size_t opens = 0, closes = 0;
		for (size_t i = 0; i < n; i++) {
			opens += s[i] == *open;
			closes += s[i] == c;
		}
		if (closes <= opens)
			break;
		n--;
	}
	return n;
}

void urls_find(const char *text, size_t n, url_spans *out)
{
	size_t i = 0;

	while (i < n) {
		unsigned char before = i ? (unsigned char)text[i - 1] : ' ';
		size_t k = !(before >= 'a' && before <= 'z') ? scheme_at(text + i, n - i) : 0;
		if (!k && !host_byte(before) && !strchr("/@:", before))
			k = www_at(text + i, n - i);
		if (!k) {
			i++;
			continue;
		}
		size_t end = i + k;
		while (end < n && end - i < URL_MAX && url_byte((unsigned char)text[end]))
			end++;
		size_t len = trim_end(text + i, end - i);
		if (len > k)
			VEC_PUSH(out, ((struct url_span){i, len}));
		i = end;
	}
}

void url_of_text(const char *s, size_t n, struct strbuf *out)
{
	if (!scheme_at(s, n) && www_at(s, n))
		sb_puts(out, "http://");
	sb_append(out, s, n);
}

bool url_sanitize(const char *s, size_t n, struct strbuf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = scheme_at(s, n);

	if (!k || n <= k || n > URL_MAX || s[k] == '/' || s[k] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c == 0x7f)
			return false;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x80 || strchr("\"<>\\^`{|}", c)) {
			sb_putc(out, '%');
			sb_putc(out, hex[c >> 4]);
			sb_putc(out, hex[c & 15]);
		} else {
			sb_putc(out, (char)c);
		}
	}
	return true;
}
