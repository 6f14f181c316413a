/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fmt_sogou.c: SogouCS-style <doc> records: <url>, <docno>, <contenttitle>, <content>,
 * read record by record in bounded memory, decoded (GB18030 by default) per record. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "strbuf.h"

#define IDEOGRAPHIC_SPACE "\xE3\x80\x80" /* U+3000 */

/* The text between <tag> and </tag> in s (to the end when not closed); empty if none. */
static struct str element(struct str s, const char *tag)
{
	char open[32], close[32];
	struct str v = { s.p + s.n, 0 };
	const char *a, *b;

	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	a = memmem(s.p, s.n, open, strlen(open));
	if (!a)
		return v;
	a += strlen(open);
	b = memmem(a, (size_t)(s.p + s.n - a), close, strlen(close));
	v.p = a;
	v.n = b ? (size_t)(b - a) : (size_t)(s.p + s.n - a);
	return v;
}

/* The host of a URL: between "://" and the next '/', ':' or '?'. */
static struct str url_host(struct str url)
{
	const char *p = memmem(url.p, url.n, "://", 3), *end = url.p + url.n, *q;
	struct str h = { url.p, 0 };

	if (!p)
		return h;
	p += 3;
	for (q = p; q < end && *q != '/' && *q != ':' && *q != '?'; q++)
		;
	h.p = p;
	h.n = (size_t)(q - p);
	return h;
}

/* The content with each run of two or more U+3000 (SogouCS's paragraph indent) made
 * a line break, into b. */
static struct str paragraphs(struct str s, struct strbuf *b)
{
	const size_t k = strlen(IDEOGRAPHIC_SPACE);
	size_t i = 0;
	struct str out;

	sb_clear(b);
	while (i < s.n) {
		size_t run = 0;

		while (i + (run + 1) * k <= s.n && memcmp(s.p + i + run * k, IDEOGRAPHIC_SPACE, k) == 0)
			run++;
		if (run >= 2) {
			sb_putc(b, '\n');
			i += run * k;
		} else if (run == 1) {
			sb_append(b, s.p + i, k);
			i += k;
		} else {
			sb_putc(b, s.p[i++]);
		}
	}
	out.p = sb_cstr(b);
	out.n = b->n;
	return out;
}

struct sogou {
	struct collection *c;
	const char *name;
	struct decoder *dec;
	struct strbuf rec, body;
	bool in_record;
	size_t start_line, added, max;
};

/* Parse the record held (the bytes after <doc>) and add its article. */
static void finish_record(struct sogou *s)
{
	struct article_fields f;
	struct str all, url, docno;
	char *text = NULL, *id;
	size_t n = s->rec.n;

	s->in_record = false;
	if (s->dec)
		text = format_decode(s->dec, s->c, s->name, s->start_line, sb_cstr(&s->rec), n, &n);
	all.p = text ? text : sb_cstr(&s->rec);
	all.n = n;
	url = element(all, "url");
	docno = element(all, "docno");
	f.title = element(all, "contenttitle");
	f.body = paragraphs(element(all, "content"), &s->body);
	f.source = url_host(url);
	f.url = url;
	f.date.p = "";
	f.date.n = 0;
	id = format_make_id(docno.p, docno.n, s->name, s->start_line);
	if (format_add_fields(s->c, s->name, s->start_line, id, NULL, &f))
		s->added++;
	free(id);
	free(text);
}

static void start_record(struct sogou *s, size_t line)
{
	s->in_record = true;
	s->start_line = line;
	sb_clear(&s->rec);
}

/* Feed one line: records open at <doc> and close at </doc>, anywhere in a line. */
static void feed_line(struct sogou *s, const char *p, size_t n, size_t line)
{
	const char *end = p + n;

	for (;;) {
		const char *open = memmem(p, (size_t)(end - p), "<doc>", 5);
		const char *close;

		if (!s->in_record) {
			if (!open)
				return; /* text outside records: ignored */
			start_record(s, line);
			p = open + 5;
			continue;
		}
		close = memmem(p, (size_t)(end - p), "</doc>", 6);
		if (open && (!close || open < close)) {
			collection_diag(s->c, s->name, s->start_line,
					"<doc> record not closed before the next <doc>: skipped");
			start_record(s, line);
			p = open + 5;
			continue;
		}
		sb_append(&s->rec, p, (size_t)((close ? close : end) - p));
		if (close) {
			finish_record(s);
			p = close + 6;
			continue;
		}
		sb_putc(&s->rec, '\n');
		if (s->rec.n > s->max) {
			collection_diag(s->c, s->name, s->start_line,
					"<doc> record longer than %zu bytes: skipped", s->max);
			s->in_record = false;
		}
		return;
	}
}

size_t fmt_sogou_load(struct collection *c, const char *name, struct linereader *r,
		      struct decoder *dec)
{
	struct sogou s;
	const char *line;
	size_t n;
	bool too_long;
	int got;

	memset(&s, 0, sizeof s);
	s.c = c;
	s.name = name;
	s.dec = dec;
	s.max = r->max;
	while ((got = linereader_next(r, &line, &n, &too_long)) > 0) {
		if (too_long && s.in_record) {
			collection_diag(c, name, s.start_line,
					"<doc> record longer than %zu bytes: skipped", s.max);
			s.in_record = false;
		} else if (!too_long) {
			feed_line(&s, line, n, r->lineno);
		}
	}
	if (got < 0)
		collection_diag_unreadable(c, name, r->lineno + 1, "cannot read: %s", strerror(errno));
	if (s.in_record)
		collection_diag(c, name, s.start_line, "unterminated <doc> record: skipped");
	sb_free(&s.rec);
	sb_free(&s.body);
	return s.added;
}
