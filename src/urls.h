/* SPDX-License-Identifier: GPL-3.0-or-later */
/* urls.h: web addresses: found in an article's text, and made safe to hand to a
 * browser (no shell ever sees them). */
#ifndef XINWEN_URLS_H
#define XINWEN_URLS_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"
#include "xalloc.h"

/* Longest URL taken, in bytes. */
#define URL_MAX 4096

/* Where a URL is in a text: bytes [start, start + n). */
struct url_span {
	size_t start, n;
};
typedef VEC(struct url_span) url_spans;

/* Append to *out every http://, https:// and ftp:// address in n bytes of text, and
 * every www. one (www.example.cn/a, not inside a word or another address): up to a
 * blank, a control, a character that is not ASCII (CJK text runs on after addresses
 * without a space) or a quote, less the punctuation that ends a sentence (".,;:!?" and
 * a closing bracket without its opening one). */
void urls_find(const char *text, size_t n, url_spans *out);

/* Append to *out the address that n bytes urls_find found stand for: themselves, or
 * http:// and them for a www. address. */
void url_of_text(const char *s, size_t n, struct strbuf *out);

/* Whether n bytes are a URL a browser may be given, and then the URL in *out as it
 * will be given: http, https or ftp, a host, no blank or control; bytes outside ASCII
 * and characters no URL holds raw (" < > \ ^ ` { | }) percent-encoded. */
bool url_sanitize(const char *s, size_t n, struct strbuf *out);

#endif
