/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fmt_jsonl.c: news2016zh-style JSON Lines, one article per line, skimmed (jsonskim.h)
 * or parsed by jansson: {"news_id", "title", "content", "source", "time", "keywords",
 * "desc"}; and a JSON document of such records (an array, or objects over several
 * lines), each object at its top a record. */
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
 * set when it is there but not a string. With joined (a body's member), an array of
 * strings is taken too, its strings one a line in joined (as a body's paragraphs; what
 * else it holds passed over). */
static struct str member(json_t *o, const char *key, bool *wrong, struct strbuf *joined)
{
	json_t *v = json_object_get(o, key), *e;
	struct str s = {"", 0};
	size_t i;

	*wrong = false;
	if (!v || json_is_null(v))
		return s;
	if (joined && json_is_array(v)) {
		size_t strings = 0;

		joined->n = 0;
		for (i = 0; i < json_array_size(v); i++) {
			e = json_array_get(v, i);
			if (!json_is_string(e))
				continue; /* a null, a number among the paragraphs: passed over */
			if (strings++)
				sb_putc(joined, '\n');
			sb_append(joined, json_string_value(e), json_string_length(e));
		}
		*wrong = !strings && json_array_size(v); /* none of them a string */
		return str_make(joined->s ? joined->s : "", joined->n);
	}
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
	K_PARAGRAPHS,
	K_DATE,
	K_PUBLISH_TIME,
	K_PUB_TIME,
	K_DATETIME,
	K_ID,
	K_MEDIA,
	K_CATEGORY,
	K_AUTHOR,
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
	[K_PARAGRAPHS] = JSONSKIM_KEY("paragraphs"),
	[K_DATE] = JSONSKIM_KEY("date"),
	[K_PUBLISH_TIME] = JSONSKIM_KEY("publish_time"),
	[K_PUB_TIME] = JSONSKIM_KEY("pub_time"),
	[K_DATETIME] = JSONSKIM_KEY("datetime"),
	[K_ID] = JSONSKIM_KEY("id"),
	[K_MEDIA] = JSONSKIM_KEY("media"),
	[K_CATEGORY] = JSONSKIM_KEY("category"),
	[K_AUTHOR] = JSONSKIM_KEY("author"),
	[K_LINK] = JSONSKIM_KEY("link"),
};

/* What a record's members are, each by the members that may give it, in the order they
 * are taken (the first not empty; NONE ends a list). */
#define NONE (-1)
static const signed char title_keys[] = {K_TITLE, K_HEADLINE, NONE};
static const signed char body_keys[] = {K_CONTENT,    K_TEXT, K_BODY, K_ARTICLE,
					K_PARAGRAPHS, K_DESC, NONE};
static const signed char source_keys[] = {K_SOURCE, K_MEDIA, K_CATEGORY, K_AUTHOR, NONE};
static const signed char time_keys[] = {K_TIME,	    K_DATE,	K_PUBLISH_TIME,
					K_PUB_TIME, K_DATETIME, NONE};
static const signed char id_keys[] = {K_NEWS_ID, K_ID, NONE};
static const signed char url_keys[] = {K_URL, K_LINK, NONE};

/* The members the body may be (body_keys): skimmed, they are left escaped
 * (jsonskim_object_raw), read line by line as they are hashed or kept. */
#define BODY_KEYS                                                                      \
	((1ul << K_CONTENT) | (1ul << K_TEXT) | (1ul << K_BODY) | (1ul << K_ARTICLE) | \
	 (1ul << K_PARAGRAPHS) | (1ul << K_DESC))

/* Whether skimmed members sv have a body that is an array (of paragraphs, as some
 * collections write it): jansson reads such a record (member). */
static bool array_body(const struct jsonskim_val sv[NKEYS])
{
	for (const signed char *k = body_keys; *k != NONE; k++)
		if (sv[*k].kind == JSONSKIM_OTHER && sv[*k].n && sv[*k].p[0] == '[')
			return true;
	return false;
}

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

/* Where a record is: its line (for messages), its number (what an id of its own is
 * made of when it has none: its line in JSON Lines, its place in a document), and its
 * bytes in its file. */
struct record_at {
	size_t line, number;
	uint64_t off;
	size_t n;
};

/* Add the article of a record at *at whose members keys[i] are v[i] (wrong[i]: there,
 * but not a string; sv: as skimmed, or NULL when parsed by jansson); false (with a
 * diag) if it has none. */
static bool add_record(struct collection *c, const char *name, const struct record_at *at,
		       const struct str v[NKEYS], const bool wrong[NKEYS],
		       const struct jsonskim_val *sv)
{
	size_t lineno = at->line;
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
	f.rec_off = at->off;
	f.rec_len = at->n;
	f.source = v[member_for(v, source_keys)];
	split_time(v, &f);
	struct str d, src;
	if (!f.date.n && f.time.n >= 10 &&
	    date_line_parse(str_make(f.time.p, 10), &d, &src) == DATE_LINE_BAD_DAY)
		collection_diag(c, name, lineno, "no such day: %.10s: the article is undated",
				f.time.p); /* kept as its time, as written */
	struct str given = v[member_for(v, id_keys)];
	id = format_make_id(given.p, given.n, name, at->number);
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

/* The JSON text p[0..n) parsed by jansson (flags); when it refuses it, parsed again
 * with each lone surrogate escape made \uFFFD (*nrep of them; else 0), as scraped text
 * has them. NULL (err says why) when it is not JSON even so. */
static json_t *parse_flags(const char *p, size_t n, size_t flags, json_error_t *err, size_t *nrep)
{
	json_t *o = json_loadb(p, n, flags, err);
	char *fixed;

	*nrep = 0;
	if (o || !(fixed = jsonskim_repair_surrogates(p, n, nrep)))
		return o;
	o = json_loadb(fixed, n, flags, err);
	free(fixed);
	if (!o)
		*nrep = 0; /* bad for another reason: that is what is said */
	return o;
}

/* parse_flags, and when an integer is beyond a long long (a numeric id of 20 digits),
 * parsed again with the integers read as reals: the record is kept (its id, then not
 * taken, said as not a string, and one made of its place). */
static json_t *parse_repairing(const char *p, size_t n, json_error_t *err, size_t *nrep)
{
	json_t *o = parse_flags(p, n, JSON_ALLOW_NUL, err, nrep);

	if (!o && strstr(err->text, "too big integer"))
		o = parse_flags(p, n, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, err, nrep);
	return o;
}

/* Add the article of one record parsed by jansson (add_record). */
static bool add_object(struct collection *c, const char *name, const struct record_at *at,
		       json_t *o)
{
	struct str v[NKEYS];
	bool wrong[NKEYS], ok;
	char ids[NKEYS][24]; /* the integers of id members, as text */
	struct strbuf joined[NKEYS] = {{0}};

	if (!json_is_object(o)) {
		collection_diag(c, name, at->line, "not a JSON object: skipped");
		return false;
	}
	for (size_t i = 0; i < NKEYS; i++) {
		v[i] = member(o, keys[i].name, &wrong[i], BODY_KEYS >> i & 1 ? &joined[i] : NULL);
		json_t *m = json_object_get(o, keys[i].name);
		if (wrong[i] && is_id_key(i) && json_is_integer(m)) {
			snprintf(ids[i], sizeof ids[i], "%" JSON_INTEGER_FORMAT,
				 json_integer_value(m));
			v[i] = str_make(ids[i], strlen(ids[i]));
			wrong[i] = false;
		}
	}
	ok = add_record(c, name, at, v, wrong, NULL);
	for (size_t i = 0; i < NKEYS; i++)
		sb_free(&joined[i]);
	return ok;
}

/* Add the article of one record as skimmed (jsonskim.h): the same as add_object. */
static bool add_skimmed(struct collection *c, const char *name, const struct record_at *at,
			const struct jsonskim_val sv[NKEYS])
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
	return add_record(c, name, at, v, wrong, sv);
}

/* Parse one record, line[0..n) (a line of JSON Lines, an object of a document), at
 * *at; false (with a diag) when it is bad. */
static bool add_line(struct collection *c, const char *name, const struct record_at *at,
		     const char *line, size_t n, struct decoder *dec, struct strbuf *scratch)
{
	size_t lineno = at->line, nrep;
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
				scratch) == JSONSKIM_OK &&
	    !array_body(sv)) {
		ok = add_skimmed(c, name, at, sv);
		free(text);
		return ok;
	}
	o = parse_repairing(text ? text : line, text ? len : n, &err, &nrep);
	if (nrep)
		collection_diag(c, name, lineno,
				ngettext("a lone surrogate escape read as U+FFFD",
					 "%zu lone surrogate escapes read as U+FFFD", nrep),
				nrep);
	if (!o) {
		collection_diag(c, name, lineno, "bad JSON at column %d: %s: skipped", err.column,
				err.text);
		free(text);
		return false;
	}
	ok = add_object(c, name, at, o);
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

/* A JSON document read as it comes (document_feed): each object at its top is a record,
 * wherever its lines break; an array's brackets and the commas between its elements
 * are passed over, and any other value at the top is counted and skipped. */
struct document {
	struct strbuf rec;   /* the bytes of the object being read */
	struct record_at at; /* where it is */
	size_t line;	     /* the line being read (1-based) */
	size_t depth;	     /* brackets and braces open in the value being read */
	bool in_string, escaped;
	bool object;		   /* the value being read is an object, kept in rec */
	bool top_string;	   /* ... is a string at the top, passed over */
	bool scalar;		   /* ... is a number or a word at the top, passed over */
	bool too_long;		   /* the object is longer than the reader's lines may be */
	bool opened, closed;	   /* the array's '[' and its ']' */
	size_t objects;		   /* the objects begun */
	size_t others, other_line; /* the other values at the top: how many, the first's line */
	size_t added;
};

/* Add the bytes p[0..n) to the object being read, unless it is too long (max). */
static void document_keep(struct document *d, const char *p, size_t n, size_t max)
{
	if (d->too_long)
		return;
	if (d->rec.n + n > max) {
		d->too_long = true;
		sb_free(&d->rec);
		return;
	}
	sb_append(&d->rec, p, n);
}

/* The object read to its end: added as a record (its bytes, at->off and at->n, are
 * what reading its body again reads). */
static void document_record(struct document *d, struct collection *c, const char *name, size_t max,
			    struct strbuf *scratch)
{
	d->at.n = d->rec.n;
	if (d->too_long)
		collection_diag(c, name, d->at.line, "record longer than %zu bytes: skipped", max);
	else if (add_line(c, name, &d->at, d->rec.s, d->rec.n, NULL, scratch))
		d->added++;
	d->rec.n = 0;
	d->too_long = false;
	d->object = false;
}

/* Where the first '"', '\\' or LF of p[i..n) is, or n: the end of a run of a string's
 * bytes (found by memchr, many times faster than a byte at a time). */
static size_t string_run(const char *p, size_t i, size_t n)
{
	const char *q = memchr(p + i, '"', n - i), *b, *nl;
	size_t end = q ? (size_t)(q - p) : n;

	if ((b = memchr(p + i, '\\', end - i)))
		end = (size_t)(b - p);
	if ((nl = memchr(p + i, '\n', end - i)))
		end = (size_t)(nl - p);
	return end;
}

/* Read the next bytes of the document, p[0..n) at offset off of its file. */
static void document_feed(struct document *d, struct collection *c, const char *name, const char *p,
			  size_t n, uint64_t off, size_t max, struct strbuf *scratch)
{
	size_t i = 0, from = 0; /* from: where this piece of the object being read starts */

	if (off == 0 && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		i = 3; /* a byte-order mark */
	for (; i < n; i++) {
		char ch = p[i];

		if (d->in_string) {
			if (!d->escaped) { /* to the next quote, backslash or line end at once */
				i = string_run(p, i, n);
				if (i == n)
					break;
			}
			ch = p[i];
			if (ch == '\n')
				d->line++;
			if (d->escaped)
				d->escaped = false;
			else if (ch == '\\')
				d->escaped = true;
			else if (ch == '"') {
				d->in_string = false;
				if (d->top_string)
					d->top_string = false, d->depth = 0;
			}
			continue;
		}
		if (ch == '\n')
			d->line++;
		if (d->depth) { /* in an object or an array */
			if (ch == '"')
				d->in_string = true;
			else if (ch == '{' || ch == '[')
				d->depth++;
			else if ((ch == '}' || ch == ']') && --d->depth == 0 && d->object) {
				document_keep(d, p + from, i + 1 - from, max);
				document_record(d, c, name, max, scratch);
			}
			continue;
		}
		if (d->scalar) {
			if (!strchr(" \t\r\n,[]{}\"", ch) || !ch)
				continue;
			d->scalar = false;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == ',')
			continue;
		if (ch == '[' && !d->opened && !d->objects && !d->others) {
			d->opened = true;
			continue;
		}
		if (ch == ']' && d->opened && !d->closed) {
			d->closed = true;
			continue;
		}
		if (ch == '{') { /* a record begins */
			d->object = true;
			d->depth = 1;
			d->at = (struct record_at){d->line, ++d->objects, off + i, 0};
			from = i;
			continue;
		}
		if (!d->others++) /* something else: passed over */
			d->other_line = d->line;
		if (ch == '"')
			d->in_string = d->top_string = true, d->depth = 1;
		else if (ch == '[')
			d->depth = 1;
		else
			d->scalar = true;
	}
	if (d->object && d->depth)
		document_keep(d, p + from, n - from, max);
}

/* Load a JSON document from r (an array of records, or records one after another
 * written over several lines): each object at its top as a record of JSON Lines. */
static size_t load_document(struct collection *c, const char *name, struct linereader *r,
			    struct decoder *dec)
{
	struct document d = {.line = 1};
	struct strbuf scratch = {NULL, 0, 0};
	const char *p;
	size_t n;
	int got;

	if (dec) {
		collection_diag(c, name, 0,
				"a JSON document is read in UTF-8 only: skipped; iconv -f %s -t "
				"UTF-8 converts it",
				decoder_name(dec));
		return 0;
	}
	while ((got = linereader_chunk(r, &p, &n)) > 0) {
		size_t before = d.added;

		document_feed(&d, c, name, p, n, r->off, r->max, &scratch);
		if (r->lines)
			atomic_fetch_add(r->lines, d.added - before);
	}
	if (got < 0)
		collection_diag_unreadable(c, name, d.line, "cannot read: %s", strerror(errno));
	else if (!r->ranged && d.object) /* (a first screen's share ends where it may) */
		collection_diag(c, name, d.at.line, "the file ends inside this record: skipped");
	else if (!r->ranged && d.opened && !d.closed)
		collection_diag(c, name, d.line,
				"the array is not closed (no ']'): the file may be cut short");
	if (d.others)
		collection_diag(c, name, d.other_line,
				ngettext("%zu value that is not an object: skipped, the first here",
					 "%zu values that are not objects: skipped, the first here",
					 d.others),
				d.others);
	sb_free(&d.rec);
	sb_free(&scratch);
	return d.added;
}

size_t fmt_jsonl_load(struct collection *c, const char *name, struct linereader *r,
		      struct decoder *dec)
{
	struct strbuf scratch = {NULL, 0, 0};
	const char *line;
	size_t n, added = 0;
	bool too_long;
	int got;

	/* a document from its first byte (a split file's later pieces, the new lines of
	 * one that grew, are lines: the loader splits no document) */
	if (r->base == 0 && r->start == 0 && r->mem_pos == 0) {
		const char *head;
		size_t head_n = linereader_peek(r, FORMAT_HEAD, &head);

		if (jsonskim_document(head, head_n))
			return load_document(c, name, r, dec);
	}
	while ((got = linereader_next(r, &line, &n, &too_long)) > 0) {
		struct record_at at = {r->lineno, r->lineno, r->off, n};

		if (at.off == 0 && n >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
			line += 3; /* a byte-order mark: the record starts after it */
			at.n = n -= 3;
			at.off = 3;
		}
		if (too_long)
			collection_diag(c, name, r->lineno, "line longer than %zu bytes: skipped",
					r->max);
		else if (!blank(line, n) && add_line(c, name, &at, line, n, dec, &scratch))
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
	if (jsonskim_object(bytes, len, keys, NKEYS, sv, &scratch) == JSONSKIM_OK &&
	    !array_body(sv)) {
		for (size_t i = 0; i < NKEYS; i++)
			v[i] = sv[i].kind == JSONSKIM_STRING ? str_make(sv[i].p, sv[i].n)
							     : str_make("", 0);
		*out = record_body(v, out_n);
		sb_free(&scratch);
		free(text);
		return *out != NULL;
	}
	sb_free(&scratch);
	size_t nrep;
	o = parse_repairing(bytes, len, &err, &nrep);
	free(text);
	if (!o)
		return false;
	if (!json_is_object(o)) {
		json_decref(o);
		return false;
	}
	struct strbuf joined[NKEYS] = {{0}};
	for (size_t i = 0; i < NKEYS; i++)
		v[i] = member(o, keys[i].name, &wrong, BODY_KEYS >> i & 1 ? &joined[i] : NULL);
	*out = record_body(v, out_n);
	for (size_t i = 0; i < NKEYS; i++)
		sb_free(&joined[i]);
	json_decref(o);
	return *out != NULL;
}
#endif
