/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fmt_jsonl.c: news2016zh-style JSON Lines, one article per line, parsed by jansson:
 * {"news_id", "title", "content", "source", "time", "keywords", "desc"}. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "format.h"
#include "i18n.h"
#include "strbuf.h"
#include "utf8.h"

#ifndef HAVE_JANSSON
/* Built without jansson (configure --without-jansson): a JSON Lines file is reported
 * once and skipped. */
size_t fmt_jsonl_load(struct collection *c, const char *name, struct linereader *r,
		      struct decoder *dec)
{
	(void)r, (void)dec;
	collection_diag(c, name, 0, "JSON Lines: xinwen was built without jansson: skipped");
	return 0;
}

bool fmt_jsonl_body(const char *bytes, size_t n, char **out, size_t *out_n)
{
	(void)bytes, (void)n, (void)out, (void)out_n;
	return false;
}
#else
#include <jansson.h>

/* The string member key of o as a str (NUL is data); empty when absent. *wrong is
 * set when it is there but not a string. */
static struct str member(json_t *o, const char *key, bool *wrong)
{
	json_t *v = json_object_get(o, key);
	struct str s = { "", 0 };

	*wrong = false;
	if (!v || json_is_null(v))
		return s;
	if (!json_is_string(v)) {
		*wrong = true;
		return s;
	}
	s.p = json_string_value(v);
	s.n = json_string_length(v);
	return s;
}

/* The date of a time field: YYYY-MM-DD when it starts with one, else empty; the
 * source, when the time has no year (news2016zh's "MM-DD HH:MM"), gets the time as
 * given in parentheses after it, so that the reader still shows it. */
static void split_time(struct str time, struct str source, struct article_fields *f,
		       struct strbuf *tmp)
{
	f->date.p = "";
	f->date.n = 0;
	f->source = source;
	if (!time.n)
		return;
	if (time.n >= 10 && text_is_date_line(time.p, time.n)) {
		f->date.p = time.p;
		f->date.n = 10;
		return;
	}
	sb_clear(tmp);
	sb_append(tmp, source.p, source.n);
	sb_puts(tmp, source.n ? " (" : "(");
	sb_append(tmp, time.p, time.n);
	sb_putc(tmp, ')');
	f->source.p = tmp->s;
	f->source.n = tmp->n;
}

static const char *const keys[] = { "title", "content", "source", "time", "news_id", "desc",
				    "url" };
enum { NKEYS = 7 };

/* The body of a record whose members keys[i] are v[i]. */
static struct str body_of(const struct str v[NKEYS])
{
	return v[1].n ? v[1] : v[5]; /* no content: the description, if any */
}

/* Add the article of one JSON line (valid UTF-8), at byte offset off of its file and
 * n bytes long there; false (with a diag) if it has none. */
static bool add_object(struct collection *c, const char *name, size_t lineno, json_t *o,
		       struct strbuf *tmp, uint64_t off, size_t n)
{
	struct str v[NKEYS];
	struct article_fields f;
	bool wrong, ok;
	char *id;
	size_t i;

	if (!json_is_object(o)) {
		collection_diag(c, name, lineno, "not a JSON object: skipped");
		return false;
	}
	for (i = 0; i < NKEYS; i++) {
		v[i] = member(o, keys[i], &wrong);
		if (wrong)
			collection_diag(c, name, lineno, "\"%s\" is not a string: ignored",
					keys[i]);
	}
	f.title = v[0];
	f.url = v[6]; /* news2016zh records have none; others may */
	f.body = body_of(v);
	f.rec_off = off;
	f.rec_len = n;
	split_time(v[3], v[2], &f, tmp);
	id = format_make_id(v[4].p, v[4].n, name, lineno);
	ok = format_add_fields(c, name, lineno, id, NULL, &f);
	free(id);
	return ok;
}

/* Parse one line, at byte offset off of its file; false (with a diag) when it is bad. */
static bool add_line(struct collection *c, const char *name, size_t lineno, const char *line,
		     size_t n, uint64_t off, struct decoder *dec, struct strbuf *tmp)
{
	struct utf8_report rep = { 0, 0 };
	json_error_t err;
	json_t *o;
	char *text;
	size_t len;
	bool ok;

	if (dec)
		text = format_decode(dec, c, name, lineno, line, n, &len);
	else if (u8_check((const uint8_t *)line, n) == NULL)
		text = NULL; /* valid: parsed in place */
	else
		text = utf8_repair(line, n, &len, &rep);
	if (rep.nbad)
		collection_diag(c, name, lineno,
				ngettext("invalid UTF-8 repaired (%zu invalid sequence)",
					 "invalid UTF-8 repaired (%zu invalid sequences)", rep.nbad),
				rep.nbad);
	o = text ? json_loadb(text, len, JSON_ALLOW_NUL, &err)
		 : json_loadb(line, n, JSON_ALLOW_NUL, &err);
	if (!o) {
		collection_diag(c, name, lineno, "bad JSON at column %d: %s: skipped",
				err.column, err.text);
		free(text);
		return false;
	}
	ok = add_object(c, name, lineno, o, tmp, off, n);
	json_decref(o);
	free(text);
	return ok;
}

static bool blank(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++, n--;
	return n == 0;
}

size_t fmt_jsonl_load(struct collection *c, const char *name, struct linereader *r,
		      struct decoder *dec)
{
	struct strbuf tmp = { NULL, 0, 0 };
	const char *line;
	size_t n, added = 0;
	bool too_long;
	int got;

	while ((got = linereader_next(r, &line, &n, &too_long)) > 0) {
		if (too_long)
			collection_diag(c, name, r->lineno,
					"line longer than %zu bytes: skipped", r->max);
		else if (!blank(line, n) &&
			 add_line(c, name, r->lineno, line, n, r->off, dec, &tmp))
			added++;
	}
	if (got < 0)
		collection_diag_unreadable(c, name, r->lineno + 1, "cannot read: %s", strerror(errno));
	sb_free(&tmp);
	return added;
}

bool fmt_jsonl_body(const char *bytes, size_t n, char **out, size_t *out_n)
{
	struct str v[NKEYS];
	json_error_t err;
	json_t *o;
	char *text = NULL;
	size_t len = n;
	bool wrong;

	if (u8_check((const uint8_t *)bytes, n) != NULL)
		bytes = text = utf8_repair(bytes, n, &len, NULL);
	o = json_loadb(bytes, len, JSON_ALLOW_NUL, &err);
	free(text);
	if (!o)
		return false;
	if (!json_is_object(o)) {
		json_decref(o);
		return false;
	}
	for (size_t i = 0; i < NKEYS; i++)
		v[i] = member(o, keys[i], &wrong);
	bool ok = !str_is_blank(v[0]); /* else loading said: no title */
	if (ok)
		*out = format_fields_body(body_of(v), out_n);
	json_decref(o);
	return ok;
}
#endif
