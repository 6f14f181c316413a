/* SPDX-License-Identifier: GPL-3.0-or-later */
/* strbuf.c: a growable byte string. */
#include <config.h>

#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void sb_append(struct strbuf *b, const char *p, size_t n)
{
	if (b->n + n + 1 > b->cap) /* mostly there is room: no call */
		vec_reserve(&b->s, &b->cap, b->n + n + 1, 1);
	if (n)
		memcpy(b->s + b->n, p, n);
	b->n += n;
	b->s[b->n] = '\0';
}

void sb_puts(struct strbuf *b, const char *p)
{
	sb_append(b, p, strlen(p));
}

void sb_putc(struct strbuf *b, char c)
{
	sb_append(b, &c, 1);
}

void sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int need = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (need < 0)
		return;
	vec_reserve(&b->s, &b->cap, b->n + (size_t)need + 1, 1);
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, (size_t)need + 1, fmt, ap);
	va_end(ap);
	b->n += (size_t)need;
}

const char *sb_cstr(struct strbuf *b)
{
	return b->s ? b->s : "";
}

void sb_clear(struct strbuf *b)
{
	b->n = 0;
	if (b->s)
		b->s[0] = '\0';
}

void sb_free(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->n = b->cap = 0;
}

void sb_put_count(struct strbuf *b, unsigned long long n)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%llu", n);

	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			sb_putc(b, ',');
		sb_putc(b, digits[i]);
	}
}
