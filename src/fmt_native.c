/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fmt_native.c: the native format: one article per file, a title line, a date line
 * (YYYY-MM-DD, maybe a source after it), the paragraphs, and a related-highlights
 * section (相關焦點) of bulleted headlines, each maybe with an indented snippet. */
#include <config.h>

#include "format.h"
#include "i18n.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "urls.h"
#include "utf8.h"

/* Most related entries kept per article; the rest are reported and dropped. */
#define MAX_RELATED 1000

#define BULLET "\xE2\x80\xA2" /* U+2022 */

static bool is_related_header(struct str s)
{
	s = str_trim(s);
	return str_eq(s, "相關焦點") || str_eq(s, "相关焦点");
}

enum parse_state { P_TITLE, P_DATE, P_URL, P_BODY, P_RELATED };

#define URL_PREFIX "URL: "

/* Whether line is a native URL line: "URL: " and an address url_sanitize takes (*url:
 * the address). */
static bool is_url_line(struct str line, struct str *url)
{
	struct strbuf safe = {0};
	struct str s = str_trim(line);
	size_t k = strlen(URL_PREFIX);

	if (s.n <= k || memcmp(s.p, URL_PREFIX, k) != 0)
		return false;
	*url = str_trim(str_make(s.p + k, s.n - k));
	bool ok = url_sanitize(url->p, url->n, &safe);
	sb_free(&safe);
	return ok;
}

struct parser {
	struct collection *c; /* where problems go; NULL: nowhere (reading a body again) */
	struct article *a;
	const char *name;
	enum parse_state state;
	const char *body_start, *body_end;
	struct related *current; /* the entry a snippet line would belong to */
	size_t dropped;		 /* related entries past MAX_RELATED */
};

static void add_related_entry(struct parser *ps, struct text_line *l, struct str headline)
{
	struct related r = {headline, str_make(headline.p + headline.n, 0), l->no, RELATED_NONE};

	ps->current = NULL;
	if (!headline.n)
		return;
	if (ps->a->related.n >= MAX_RELATED) {
		if (!ps->dropped++ && ps->c)
			collection_diag(ps->c, ps->name, l->no,
					"more than %d related entries: only the first %d are kept",
					MAX_RELATED, MAX_RELATED);
		return;
	}
	VEC_PUSH(&ps->a->related, r);
	ps->current = &ps->a->related.v[ps->a->related.n - 1];
}

static void parse_related_line(struct parser *ps, struct text_line *l)
{
	struct str rest = str_trim_left(l->s);
	bool indented = rest.n != l->s.n;

	if (!rest.n)
		return; /* blank lines between entries change nothing */
	if (str_has_prefix(rest, BULLET)) {
		rest.p += strlen(BULLET);
		rest.n -= strlen(BULLET);
		add_related_entry(ps, l, str_trim(rest));
	} else if (indented && ps->current && !ps->current->snippet.n) {
		ps->current->snippet = str_trim_right(rest);
		ps->current = NULL;
	} else {
		ps->current = NULL; /* stray text: ignored */
	}
}

/* A line of the body, or the related header that ends it. */
static void parse_body_line(struct parser *ps, struct text_line *l)
{
	if (is_related_header(l->s)) {
		ps->state = P_RELATED;
		return;
	}
	if (str_is_blank(l->s))
		return;
	if (!ps->body_start)
		ps->body_start = l->s.p;
	ps->body_end = l->s.p + str_trim_right(l->s).n;
}

static void parse_line(struct parser *ps, struct text_line *l)
{
	struct article *a = ps->a;

	switch (ps->state) {
	case P_TITLE:
		if (!str_is_blank(l->s)) {
			a->title = str_trim(l->s);
			ps->state = P_DATE;
		}
		return;
	case P_DATE:
		if (str_is_blank(l->s))
			return;
		ps->state = P_BODY;
		switch (date_line_parse(l->s, &a->date, &a->source)) {
		case DATE_LINE: ps->state = P_URL; return;
		case DATE_LINE_BAD_DAY:
			if (ps->c)
				collection_diag(ps->c, ps->name, l->no,
						"no such day: %.10s: the article is undated",
						str_trim(l->s).p);
			ps->state = P_URL;
			return;
		case DATE_LINE_NONE: break;
		}
		if (ps->c)
			collection_diag(
				ps->c, ps->name, l->no,
				"no date line (YYYY-MM-DD SOURCE): read as the first paragraph");
		parse_body_line(ps, l); /* this is the first paragraph */
		return;
	case P_URL: /* right after the date line, no blank line between */
		ps->state = P_BODY;
		if (!is_url_line(l->s, &a->url))
			parse_body_line(ps, l);
		return;
	case P_BODY: parse_body_line(ps, l); return;
	case P_RELATED: parse_related_line(ps, l); return;
	}
}

/* Parse buf (LF line ends, valid UTF-8) into a, problems into c (may be NULL); false
 * when it has no title. */
static bool parse_article(struct collection *c, const char *name, struct article *a,
			  const char *buf, size_t n)
{
	struct parser ps = {c, a, name, P_TITLE, NULL, NULL, NULL, 0};
	struct line_iter it = {buf, n, 0, 0};
	struct text_line l;

	while (line_next(&it, &l))
		parse_line(&ps, &l);
	if (ps.state == P_TITLE)
		return false;
	/* Empty fields still point into the buffer, never NULL. */
	if (ps.body_start)
		a->body = str_make(ps.body_start, (size_t)(ps.body_end - ps.body_start));
	else
		a->body = str_make(buf + n, 0);
	if (!a->date.p) {
		a->date = str_make(buf + n, 0);
		a->source = a->date;
	}
	return true;
}

/* Report the first invalid byte of the original bytes, with its line. */
static void report_invalid_utf8(struct collection *c, const char *name, const char *bytes,
				const struct utf8_report *rep)
{
	collection_diag(
		c, name, text_line_of_offset(bytes, rep->first_bad),
		ngettext("invalid UTF-8 repaired at byte offset %zu (%zu invalid sequence)",
			 "invalid UTF-8 repaired at byte offset %zu (%zu invalid sequences)",
			 rep->nbad),
		rep->first_bad, rep->nbad);
}

/* The encoding a UTF-16 or UTF-32 byte-order mark at the start of bytes names, or NULL.
 * Such a file is not UTF-8: "repairing" it would make an article of U+FFFD and NULs. */
static const char *foreign_bom(const char *bytes, size_t n)
{
	if (n >= 4 && memcmp(bytes, "\xFF\xFE\0\0", 4) == 0)
		return "UTF-32LE";
	if (n >= 4 && memcmp(bytes, "\0\0\xFE\xFF", 4) == 0)
		return "UTF-32BE";
	if (n >= 2 && memcmp(bytes, "\xFF\xFE", 2) == 0)
		return "UTF-16LE";
	if (n >= 2 && memcmp(bytes, "\xFE\xFF", 2) == 0)
		return "UTF-16BE";
	return NULL;
}

/* The text of n bytes of a native file as parsed: repaired, LF line ends, a new
 * buffer (*len bytes); NULL when a foreign byte-order mark says it is not UTF-8. */
static char *native_text(const char *bytes, size_t n, size_t *len, struct utf8_report *rep)
{
	char *buf;

	if (foreign_bom(bytes, n))
		return NULL;
	buf = utf8_repair(bytes, n, len, rep);
	*len = text_normalize_newlines(buf, *len);
	return buf;
}

bool fmt_native_add(struct collection *c, const char *name, const char *id, const char *alt_id,
		    const char *bytes, size_t n)
{
	struct utf8_report rep;
	struct article parsed, *a;
	size_t len;
	char *buf;

	if (!name)
		name = id ? id : "";
	if (!(buf = native_text(bytes, n, &len, &rep))) {
		collection_diag(
			c, name, 0,
			"looks like %s (byte-order mark): not supported, only UTF-8: skipped",
			foreign_bom(bytes, n));
		return false;
	}
	memset(&parsed, 0, sizeof parsed);
	if (!parse_article(c, name, &parsed, buf, len)) {
		if (len == 0) /* nothing, or only a UTF-8 byte-order mark */
			collection_diag(c, name, 0, "no title: empty file: skipped");
		else
			collection_diag(c, name, 0,
					"no title: only white space and blank lines: skipped");
		free(parsed.related.v);
		free(buf);
		return false;
	}
	if (rep.nbad)
		report_invalid_utf8(c, name, bytes, &rep);
	a = collection_new_article(c);
	*a = parsed;
	collection_add_article(c, a, buf, name, id ? id : name, alt_id);
	return true;
}

bool fmt_native_add_buffer(struct collection *c, const char *name, const char *id,
			   const char *bytes, size_t n)
{
	return fmt_native_add(c, name, id, NULL, bytes, n);
}

bool fmt_native_body(const char *bytes, size_t n, char **out, size_t *out_n)
{
	struct article a;
	struct utf8_report rep;
	size_t len;
	char *buf = native_text(bytes, n, &len, &rep);
	bool ok;

	if (!buf)
		return false;
	memset(&a, 0, sizeof a);
	ok = parse_article(NULL, "", &a, buf, len);
	free(a.related.v);
	if (ok) {
		memmove(buf, a.body.p, a.body.n);
		buf[a.body.n] = '\0';
		*out = buf;
		*out_n = a.body.n;
	} else {
		free(buf);
	}
	return ok;
}
