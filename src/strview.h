/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strview.h: length-counted views into text: white space, trimming, lines, dates. */
#ifndef XINWEN_STRVIEW_H
#define XINWEN_STRVIEW_H

#include <stdbool.h>
#include <stddef.h>

/* A length-counted view into bytes owned elsewhere (NUL is data). */
struct str {
	const char *p;
	size_t n;
};

/* The view of the n bytes at p. */
struct str str_make(const char *p, size_t n);

/* Byte length of the white-space character at the start of p[0..n) (valid UTF-8), or 0. */
size_t str_space_at(const char *p, size_t n);

/* s without its leading white space (valid UTF-8). */
struct str str_trim_left(struct str s);

/* s without its trailing white space (valid UTF-8). */
struct str str_trim_right(struct str s);

/* s without white space at either end (valid UTF-8). */
struct str str_trim(struct str s);

/* Whether s is only white space (valid UTF-8). */
bool str_is_blank(struct str s);

/* Whether s is exactly the C string lit. */
bool str_eq(struct str s, const char *lit);

/* Whether s starts with the C string lit. */
bool str_has_prefix(struct str s, const char *lit);

/* How many bytes of s, at most max and cut at a character boundary, to quote in a
 * message. */
int str_quote_len(struct str s, size_t max);

/* Turn CR LF and lone CR into LF and drop a leading UTF-8 byte-order mark, in place
 * (s has room for n + 1 bytes: it is NUL-terminated); returns the new length. */
size_t text_normalize_newlines(char *s, size_t n);

/* The 1-based line of byte offset off in s, counting LF, CR LF and lone CR as line ends. */
size_t text_line_of_offset(const char *s, size_t off);

/* One line of a text, without its LF. */
struct text_line {
	struct str s;
	size_t no; /* 1-based */
};

/* Walks the LF-terminated lines of n bytes at buf: {buf, n, 0, 0}. */
struct line_iter {
	const char *buf;
	size_t n, pos, no;
};

/* The next line of it into *l; false at the end. */
bool line_next(struct line_iter *it, struct text_line *l);

/* Whether the n bytes at s are a day, month or year of the calendar: YYYY-MM-DD,
 * YYYY-MM or YYYY (year 0001 to 9999, February 29 in leap years only). The date lines
 * of the files and the reader's D take this one test. */
bool date_valid(const char *s, size_t n);

/* What the line after a native article's title is. */
enum date_line {
	DATE_LINE,	   /* YYYY-MM-DD (a day of the calendar), maybe a source after */
	DATE_LINE_BAD_DAY, /* of that shape, but no day of the calendar */
	DATE_LINE_NONE,	   /* no date line */
};

/* Whether line is a native date line: YYYY-MM-DD, then maybe white space and a source;
 * *source (trimmed, maybe empty) is set unless it is none, *date only when it is one. */
enum date_line date_line_parse(struct str line, struct str *date, struct str *source);

/* Whether the n bytes at p are a native date line of a day of the calendar. */
bool text_is_date_line(const char *p, size_t n);

#endif
