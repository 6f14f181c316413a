/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strbuf.h: a growable byte string, always NUL-terminated after the first append. */
#ifndef XINWEN_STRBUF_H
#define XINWEN_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *s;
	size_t n, cap;
};

/* Append n bytes of p. */
void sb_append(struct strbuf *b, const char *p, size_t n);
/* Append a NUL-terminated string. */
void sb_puts(struct strbuf *b, const char *p);
/* Append one byte. */
void sb_putc(struct strbuf *b, char c);
/* Append printf-formatted text. */
void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append n in decimal with a comma between groups of three digits (1,024,000). */
void sb_put_count(struct strbuf *b, unsigned long long n);
/* The contents as a NUL-terminated string ("" when empty). */
const char *sb_cstr(struct strbuf *b);
/* Empty the string, keeping its buffer. */
void sb_clear(struct strbuf *b);
/* Free the buffer. */
void sb_free(struct strbuf *b);

#endif
