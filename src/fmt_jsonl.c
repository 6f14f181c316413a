/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fmt_jsonl.c: news2016zh-style JSON Lines, one article per line, parsed by jansson:
 * {"news_id", "title", "content", "source", "time", "keywords", "desc"}. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
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

/* The members read: news2016zh's (title, content, source, time, news_id, desc) and url,
 * then the names other collections give the same things (the roles below). */
enum {
	K_TITLE,
	K_CONTENT,
	K_SOURCE,
	K_TIME,
	K_NEWS_ID,
	K_DESC,
	K_URL,
	K_ALIASES, /* from here on: other collections' names, a value not a string ignored */
	K_HEADLINE = K_ALIASES,
	K_TEXT,
	K_BODY,
	K_ARTICLE,
	K_DATE,
	K_PUBLISH_TIME,
	K_PUB_TIME,
	K_DATETIME,
	K_ID,
	K_MEDIA,
	K_CATEGORY,
	K_LINK,
	NKEYS
};
static const struct jsonskim_key keys[NKEYS] = {
	[K_TITLE] = JSONSKIM_KEY("title"),
	[K_CONTENT] = JSONSKIM_KEY("content"),
	[K_SOURCE] = JSONSKIM_KEY("source"),
	[K_TIME] = JSONSKIM_KEY("time"),
	[K_NEWS_ID] = JSONSKIM_KEY("news_id"),
	[K_DESC] = JSONSKIM_KEY("desc"),
	[K_URL] = JSONSKIM_KEY("url"),
	[K_HEADLINE] = JSONSKIM_KEY("headline"),
	[K_TEXT] = JSONSKIM_KEY("text"),
	[K_BODY] = JSONSKIM_KEY("body"),
	[K_ARTICLE] = JSONSKIM_KEY("article"),
	[K_DATE] = JSONSKIM_KEY("date"),
	[K_PUBLISH_TIME] = JSONSKIM_KEY("publish_time"),
	[K_PUB_TIME] = JSONSKIM_KEY("pub_time"),
	[K_DATETIME] = JSONSKIM_KEY("datetime"),
	[K_ID] = JSONSKIM_KEY("id"),
	[K_MEDIA] = JSONSKIM_KEY("media"),
	[K_CATEGORY] = JSONSKIM_KEY("category"),
	[K_LINK] = JSONSKIM_KEY("link"),
};

/* What a record's members are, each by the members that may give it, in the order they
 * are taken (the first not empty; NONE ends a list). */
#define NONE (-1)
static const signed char title_keys[] = {K_TITLE, K_HEADLINE, NONE};
static const signed char body_keys[] = {K_CONTENT, K_TEXT, K_BODY, K_ARTICLE, K_DESC, NONE};
static const signed char source_keys[] = {K_SOURCE, K_MEDIA, K_CATEGORY, NONE};
static const signed char time_keys[] = {K_TIME,	    K_DATE,	K_PUBLISH_TIME,
					K_PUB_TIME, K_DATETIME, NONE};
static const signed char id_keys[] = {K_NEWS_ID, K_ID, NONE};
static const signed char url_keys[] = {K_URL, K_LINK, NONE};

/* The members the body may be (body_keys): skimmed, they are left escaped
 * (jsonskim_object_raw), read line by line as they are hashed or kept. */
#define BODY_KEYS                                                                      \
	((1ul << K_CONTENT) | (1ul << K_TEXT) | (1ul << K_BODY) | (1ul << K_ARTICLE) | \
	 (1ul << K_DESC))

/* Of a record whose members keys[i] are v[i]: the first member of role that is not
 * empty, else its first. */
static size_t member_for(const struct str v[NKEYS], const signed char *role)
{
	for (const signed char *k = role; *k != NONE; k++)
		if (v[*k].n)
			return (size_t)*k;
	return (size_t)role[0];
}

/* The body of a record whose members keys[i] are v[i]. */
static struct str body_of(const struct str v[NKEYS])
{
	return v[member_for(v, body_keys)];
}

/* The date and time of a record whose members keys[i] are v[i]: the date of the first
 * time member that starts with one (YYYY-MM-DD, then the end, a space or ISO 8601's T),
 * else none, and the first time member there kept as it is given (news2016zh's
 * "MM-DD HH:MM", no year), beside the date (article.time), so that the reader still
 * shows it. */
static void split_time(const struct str v[NKEYS], struct article_fields *f)
{
	f->date = f->time = str_make("", 0);
	for (const signed char *k = time_keys; *k != NONE; k++) {
		struct str t = v[*k];
		/* "2016-03-22 12:00", or ISO 8601's "2016-03-22T12:00:00+08:00" */
		if (t.n >= 10 && (text_is_date_line(t.p, t.n) ||
				  (t.n > 10 && t.p[10] == 'T' && text_is_date_line(t.p, 10)))) {
			f->date = str_make(t.p, 10);
			f->time = str_make("", 0);
			return;
		}
		if (t.n && !f->time.n)
			f->time = t;
	}
}

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

	for (size_t i = 0; i < K_ALIASES; i++)
		if (wrong[i])
			collection_diag(c, name, lineno, "\"%s\" is not a string: ignored",
					keys[i].name);
	f.title = v[member_for(v, title_keys)];
	f.url = v[member_for(v, url_keys)]; /* news2016zh records have none; others may */
	size_t body = member_for(v, body_keys);
	f.body = v[body];
	if (sv && sv[body].escaped)
		f.body_raw = &sv[body];
	f.rec_off = off;
	f.rec_len = n;
	f.source = v[member_for(v, source_keys)];
	split_time(v, &f);
	struct str given = v[member_for(v, id_keys)];
	id = format_make_id(given.p, given.n, name, lineno);
	ok = format_add_fields(c, name, lineno, id, NULL, &f);
	free(id);
	if (ok && !given.n && c->lines_relative) /* the id is made of lineno */
		VEC_PUSH(&c->line_ids, c->articles.v[c->articles.n - 1]);
	return ok;
}

/* Whether member k is an id (id_keys): an integer there is taken as its text. */
static bool is_id_key(size_t k)
{
	for (const signed char *i = id_keys; *i != NONE; i++)
		if ((size_t)*i == k)
			return true;
	return false;
}

/* Whether s is an integer as JSON writes one: an optional minus, then digits. */
static bool integer_text(struct str s)
{
	size_t i = s.n && s.p[0] == '-' ? 1 : 0;

	if (i == s.n)
		return false;
	for (; i < s.n; i++)
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
	return true;
}

/* Add the article of one JSON line parsed by jansson (add_record). */
static bool add_object(struct collection *c, const char *name, size_t lineno, json_t *o,
		       uint64_t off, size_t n)
{
	struct str v[NKEYS];
	bool wrong[NKEYS];
	char ids[NKEYS][24]; /* the integers of id members, as text */

	if (!json_is_object(o)) {
		collection_diag(c, name, lineno, "not a JSON object: skipped");
		return false;
	}
	for (size_t i = 0; i < NKEYS; i++) {
		v[i] = member(o, keys[i].name, &wrong[i]);
		json_t *m = json_object_get(o, keys[i].name);
		if (wrong[i] && is_id_key(i) && json_is_integer(m)) {
			snprintf(ids[i], sizeof ids[i], "%" JSON_INTEGER_FORMAT,
				 json_integer_value(m));
			v[i] = str_make(ids[i], strlen(ids[i]));
			wrong[i] = false;
		}
	}
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
		if (wrong[i] && is_id_key(i) && integer_text(str_make(sv[i].p, sv[i].n))) {
			v[i] = str_make(sv[i].p, sv[i].n); /* "news_id": 610130831 */
			wrong[i] = false;
		}
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
	if (str_is_blank(v[member_for(v, title_keys)])) /* loading said: no title */
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
