/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fmt_jsonl.c: news2016zh-style JSON Lines, one article per line, parsed by jansson:
 * {"news_id", "title", "content", "source", "time", "keywords", "desc"}. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "i18n.h"
#include "jsonskim.h"
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
	return false; /* never loaded */
}
#else
#include <jansson.h>

/* The string member key of o as a str (NUL is data); empty when absent. *wrong is
 * set when it is there but not a string. */
static struct str member(json_t *o, const char *key, bool *wrong)
{
	json_t *v = json_object_get(o, key);
	struct str s = {"", 0};

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

/* The date of a time field: YYYY-MM-DD when it starts with one, else empty; a time
 * with no year (news2016zh's "MM-DD HH:MM") is kept as it is given, beside the date
 * (article.time), so that the reader still shows it. */
static void split_time(struct str time, struct article_fields *f)
{
	f->date.p = "";
	f->date.n = 0;
	f->time.p = "";
	f->time.n = 0;
	if (time.n >= 10 && text_is_date_line(time.p, time.n)) {
		f->date.p = time.p;
		f->date.n = 10;
		return;
	}
	f->time = time;
}

static const struct jsonskim_key keys[] = {JSONSKIM_KEY("title"),   JSONSKIM_KEY("content"),
					   JSONSKIM_KEY("source"),  JSONSKIM_KEY("time"),
					   JSONSKIM_KEY("news_id"), JSONSKIM_KEY("desc"),
					   JSONSKIM_KEY("url")};
enum { NKEYS = 7 };

/* The member of a record whose members keys[i] are v[i] that is its body. */
static size_t body_key(const struct str v[NKEYS])
{
	return v[1].n ? 1 : 5; /* no content: the description, if any */
}

/* The body of a record whose members keys[i] are v[i]. */
static struct str body_of(const struct str v[NKEYS])
{
	return v[body_key(v)];
}

/* The members the body may be (body_key): skimmed, they are left escaped
 * (jsonskim_object_raw), read line by line as they are hashed or kept. */
#define BODY_KEYS ((1ul << 1) | (1ul << 5))

/* Add the article of a record whose members keys[i] are v[i] (wrong[i]: there, but
 * not a string; sv: as skimmed, or NULL when parsed by jansson), at byte offset off of
 * its file and n bytes long there; false (with a diag) if it has none. */
static bool add_record(struct collection *c, const char *name, size_t lineno,
		       const struct str v[NKEYS], const bool wrong[NKEYS],
		       const struct jsonskim_val *sv, uint64_t off, size_t n)
{
	struct article_fields f = {.valid_utf8 = true}; /* the line was, or was repaired */
	char *id;
	bool ok;

	for (size_t i = 0; i < NKEYS; i++)
		if (wrong[i])
			collection_diag(c, name, lineno, "\"%s\" is not a string: ignored",
					keys[i].name);
	f.title = v[0];
	f.url = v[6]; /* news2016zh records have none; others may */
	f.body = body_of(v);
	if (sv && sv[body_key(v)].escaped)
		f.body_raw = &sv[body_key(v)];
	f.rec_off = off;
	f.rec_len = n;
	f.source = v[2];
	split_time(v[3], &f);
	id = format_make_id(v[4].p, v[4].n, name, lineno);
	ok = format_add_fields(c, name, lineno, id, NULL, &f);
	free(id);
	if (ok && !v[4].n && c->lines_relative) /* the id is made of lineno */
		VEC_PUSH(&c->line_ids, c->articles.v[c->articles.n - 1]);
	return ok;
}

/* Add the article of one JSON line parsed by jansson (add_record). */
static bool add_object(struct collection *c, const char *name, size_t lineno, json_t *o,
		       uint64_t off, size_t n)
{
	struct str v[NKEYS];
	bool wrong[NKEYS];

	if (!json_is_object(o)) {
		collection_diag(c, name, lineno, "not a JSON object: skipped");
		return false;
	}
	for (size_t i = 0; i < NKEYS; i++)
		v[i] = member(o, keys[i].name, &wrong[i]);
	return add_record(c, name, lineno, v, wrong, NULL, off, n);
}

/* Add the article of one JSON line as skimmed (jsonskim.h): the same as add_object. */
static bool add_skimmed(struct collection *c, const char *name, size_t lineno,
			const struct jsonskim_val sv[NKEYS], uint64_t off, size_t n)
{
	struct str v[NKEYS];
	bool wrong[NKEYS];

	for (size_t i = 0; i < NKEYS; i++) {
		bool str = sv[i].kind == JSONSKIM_STRING;
		v[i] = str ? str_make(sv[i].p, sv[i].n) : str_make("", 0);
		wrong[i] = sv[i].kind == JSONSKIM_OTHER;
	}
	return add_record(c, name, lineno, v, wrong, sv, off, n);
}

/* Parse one line, at byte offset off of its file; false (with a diag) when it is bad. */
static bool add_line(struct collection *c, const char *name, size_t lineno, const char *line,
		     size_t n, uint64_t off, struct decoder *dec, struct strbuf *scratch)
{
	struct utf8_report rep = {0, 0};
	struct jsonskim_val sv[NKEYS];
	json_error_t err;
	json_t *o;
	char *text;
	size_t len;
	bool ok;

	if (dec)
		text = format_decode(dec, c, name, lineno, line, n, &len);
	else if (utf8_valid_prefix((const unsigned char *)line, n) == n)
		text = NULL; /* valid: parsed in place */
	else
		text = utf8_repair(line, n, &len, &rep);
	if (rep.nbad)
		collection_diag(c, name, lineno,
				ngettext("invalid UTF-8 repaired (%zu invalid sequence)",
					 "invalid UTF-8 repaired (%zu invalid sequences)",
					 rep.nbad),
				rep.nbad);
	/* skimmed; what the skimmer is not sure of, or refuses, jansson parses and
	 * names the problem of */
	if ((!dec || utf8_valid_prefix((const unsigned char *)text, len) == len) &&
	    jsonskim_object_raw(text ? text : line, text ? len : n, keys, NKEYS, BODY_KEYS, sv,
				scratch) == JSONSKIM_OK) {
		ok = add_skimmed(c, name, lineno, sv, off, n);
		free(text);
		return ok;
	}
	o = text ? json_loadb(text, len, JSON_ALLOW_NUL, &err)
		 : json_loadb(line, n, JSON_ALLOW_NUL, &err);
	if (!o) {
		collection_diag(c, name, lineno, "bad JSON at column %d: %s: skipped", err.column,
				err.text);
		free(text);
		return false;
	}
	ok = add_object(c, name, lineno, o, off, n);
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
	struct strbuf scratch = {NULL, 0, 0};
	const char *line;
	size_t n, added = 0;
	bool too_long;
	int got;

	while ((got = linereader_next(r, &line, &n, &too_long)) > 0) {
		uint64_t off = r->off;

		if (off == 0 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
			line += 3; /* a byte-order mark: the record starts after it */
			n -= 3;
			off = 3;
		}
		if (too_long)
			collection_diag(c, name, r->lineno, "line longer than %zu bytes: skipped",
					r->max);
		else if (!blank(line, n) &&
			 add_line(c, name, r->lineno, line, n, off, dec, &scratch))
			added++;
	}
	if (got < 0)
		collection_diag_unreadable(c, name, r->lineno + 1, "cannot read: %s",
					   strerror(errno));
	sb_free(&scratch);
	return added;
}

/* The body of a record whose members are v (NULL when it has no title). */
static char *record_body(const struct str v[NKEYS], size_t *out_n)
{
	if (str_is_blank(v[0])) /* loading said: no title */
		return NULL;
	return format_fields_body(body_of(v), out_n);
}

bool fmt_jsonl_body(const char *bytes, size_t n, char **out, size_t *out_n)
{
	struct jsonskim_val sv[NKEYS];
	struct strbuf scratch = {NULL, 0, 0};
	struct str v[NKEYS];
	json_error_t err;
	json_t *o;
	char *text = NULL;
	size_t len = n;
	bool wrong;

	if (utf8_valid_prefix((const unsigned char *)bytes, n) != n)
		bytes = text = utf8_repair(bytes, n, &len, NULL);
	/* skimmed as loading skims it (the search and similar stories read every one);
	 * what the skimmer leaves, jansson parses */
	if (jsonskim_object(bytes, len, keys, NKEYS, sv, &scratch) == JSONSKIM_OK) {
		for (size_t i = 0; i < NKEYS; i++)
			v[i] = sv[i].kind == JSONSKIM_STRING ? str_make(sv[i].p, sv[i].n)
							     : str_make("", 0);
		*out = record_body(v, out_n);
		sb_free(&scratch);
		free(text);
		return *out != NULL;
	}
	sb_free(&scratch);
	o = json_loadb(bytes, len, JSON_ALLOW_NUL, &err);
	free(text);
	if (!o)
		return false;
	if (!json_is_object(o)) {
		json_decref(o);
		return false;
	}
	for (size_t i = 0; i < NKEYS; i++)
		v[i] = member(o, keys[i].name, &wrong);
	*out = record_body(v, out_n);
	json_decref(o);
	return *out != NULL;
}
#endif
