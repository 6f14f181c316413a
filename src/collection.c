/* SPDX-License-Identifier: GPL-3.0-or-later */
/* collection.c: the article model: parsing the native format, resolving related
 * headlines to articles or shared excerpts, backlinks, and the list order. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "collection.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#include "state.h"
#include "strbuf.h"
#include "utf8.h"

/* Most related entries kept per article; the rest are reported and dropped. */
#define MAX_RELATED 1000
/* Longest headline quoted in a message, in bytes. */
#define MAX_QUOTE 200

/* ---------------------------------------------------------------------------
 * Diagnostics and lifetime
 */

void collection_init(struct collection *c)
{
	memset(c, 0, sizeof *c);
	c->cur_file = SIZE_MAX;
}

static void article_free(struct article *a)
{
	free(a->id);
	free(a->alt_id);
	free(a->related.v);
	free(a->backlinks.v);
	free(a->body_buf);
	free(a);
}

void collection_free(struct collection *c)
{
	size_t i;

	if (c->slab) { /* the strings of files and diags are in the slab's owner too */
		for (i = 0; i < c->articles.n; i++)
			free(c->articles.v[i]->body_buf);
		free(c->slab);
		if (c->slab_free)
			c->slab_free(c->slab_owner);
		c->files.n = 0;
		c->diags.n = 0;
	} else {
		for (i = 0; i < c->articles.n; i++)
			article_free(c->articles.v[i]);
	}
	free(c->articles.v);
	for (i = 0; i < c->buffers.n; i++)
		free(c->buffers.v[i]);
	free(c->buffers.v);
	for (i = 0; i < c->paths.n; i++)
		free(c->paths.v[i]);
	free(c->paths.v);
	for (i = 0; i < c->diags.n; i++) {
		free(c->diags.v[i].file);
		free(c->diags.v[i].msg);
	}
	free(c->diags.v);
	for (i = 0; i < c->files.n; i++)
		free(c->files.v[i].path);
	free(c->files.v);
	collection_init(c);
}

/* Index i of part's files as an index of c's once part's files follow c's. */
static size_t shift_file(size_t i, size_t base)
{
	return i == SIZE_MAX ? SIZE_MAX : i + base;
}

void collection_absorb(struct collection *c, struct collection *part)
{
	size_t base = c->files.n;

	for (size_t i = 0; i < part->articles.n; i++) {
		struct article *a = part->articles.v[i];
		a->file = shift_file(a->file, base);
		VEC_PUSH(&c->articles, a);
	}
	for (size_t i = 0; i < part->buffers.n; i++)
		VEC_PUSH(&c->buffers, part->buffers.v[i]);
	for (size_t i = 0; i < part->paths.n; i++)
		VEC_PUSH(&c->paths, part->paths.v[i]);
	for (size_t i = 0; i < part->diags.n; i++) {
		struct diag d = part->diags.v[i];
		d.file_no = shift_file(d.file_no, base);
		VEC_PUSH(&c->diags, d);
	}
	for (size_t i = 0; i < part->files.n; i++)
		VEC_PUSH(&c->files, part->files.v[i]);
	c->unresolved += part->unresolved;
	free(part->articles.v);
	free(part->buffers.v);
	free(part->paths.v);
	free(part->diags.v);
	free(part->files.v);
	collection_init(part);
}

void collection_begin_file(struct collection *c, const char *path, const struct stat *st)
{
	struct loaded_file f = {xstrdup(path), 0, 0, 0, 0, 0};

	if (st) {
		f.dev = (uint64_t)st->st_dev;
		f.ino = (uint64_t)st->st_ino;
		f.size = (uint64_t)st->st_size;
		f.mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	}
	VEC_PUSH(&c->files, f);
	c->cur_file = c->files.n - 1;
}

void collection_end_file(struct collection *c)
{
	c->cur_file = SIZE_MAX;
}

/* Record a diag of file at line, its message printf-style from fmt and ap. */
static void add_diag(struct collection *c, const char *file, size_t line, bool unreadable,
		     const char *fmt, va_list ap)
{
	struct diag d;
	va_list again;
	int need;

	va_copy(again, ap);
	need = vsnprintf(NULL, 0, fmt, ap);
	if (need < 0)
		need = 0;
	d.msg = xmalloc((size_t)need + 1);
	d.msg[0] = '\0';
	vsnprintf(d.msg, (size_t)need + 1, fmt, again);
	va_end(again);
	d.file = xstrdup(file ? file : "");
	d.line = line;
	d.file_no = c->cur_file;
	d.unreadable = unreadable;
	VEC_PUSH(&c->diags, d);
}

void collection_diag(struct collection *c, const char *file, size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_diag(c, file, line, false, fmt, ap);
	va_end(ap);
}

void collection_diag_unreadable(struct collection *c, const char *file, size_t line,
				const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_diag(c, file, line, true, fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------------------
 * Strings: white space and trimming (the text is valid UTF-8 here)
 */

/* Byte length of the white-space character at the start of p[0..n), or 0. */
static size_t space_at(const char *p, size_t n)
{
	ucs4_t uc;
	int len;

	if (!n)
		return 0;
	len = u8_mbtouc(&uc, (const uint8_t *)p, n);
	return uc_is_property_white_space(uc) ? (size_t)len : 0;
}

/* Byte length of the white-space character ending at p[n], or 0. */
static size_t space_before(const char *p, size_t n)
{
	size_t start = n;
	size_t back = 0;

	while (start > 0 && back < 4) {
		start--;
		back++;
		if (((unsigned char)p[start] & 0xC0) != 0x80)
			break;
	}
	if (space_at(p + start, n - start) == n - start)
		return n - start;
	return 0;
}

static struct str str_make(const char *p, size_t n)
{
	struct str s = { p, n };
	return s;
}

static struct str trim_left(struct str s)
{
	size_t k;

	while ((k = space_at(s.p, s.n)) > 0) {
		s.p += k;
		s.n -= k;
	}
	return s;
}

static struct str trim_right(struct str s)
{
	size_t k;

	while (s.n && (k = space_before(s.p, s.n)) > 0)
		s.n -= k;
	return s;
}

static struct str trim(struct str s)
{
	return trim_right(trim_left(s));
}

static bool str_eq(struct str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && memcmp(s.p, lit, n) == 0;
}

static bool str_has_prefix(struct str s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n >= n && memcmp(s.p, lit, n) == 0;
}

/* At most max bytes of s, cut at a character boundary, for quoting in messages. */
static int quote_len(struct str s, size_t max)
{
	size_t n = s.n;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s.p[n] & 0xC0) == 0x80)
			n--;
	}
	return (int)n;
}

/* ---------------------------------------------------------------------------
 * Reading one file: repair, normalise line ends, split into lines
 */

/* 1-based line of byte offset off, counting LF, CR LF and lone CR as line ends. */
static size_t line_of_offset(const char *s, size_t off)
{
	size_t line = 1;
	size_t i;

	for (i = 0; i < off; i++) {
		if (s[i] == '\n')
			line++;
		else if (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n'))
			line++;
	}
	return line;
}

/* Turn CR LF and lone CR into LF and drop a leading BOM, in place; returns the new length. */
static size_t normalize_newlines(char *s, size_t n)
{
	size_t i = 0, o = 0;
	const char *cr;

	if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	/* Most files have no CR: move the text past the BOM, if any, and be done. */
	cr = memchr(s + i, '\r', n - i);
	o = (cr ? (size_t)(cr - s) : n) - i;
	if (i)
		memmove(s, s + i, o);
	i += o;
	for (; i < n; i++) {
		if (s[i] == '\r') {
			s[o++] = '\n';
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		} else {
			s[o++] = s[i];
		}
	}
	s[o] = '\0';
	return o;
}

struct line {
	struct str s;
	size_t no; /* 1-based */
};

struct line_iter {
	const char *buf;
	size_t n, pos, no;
};

/* The next LF-terminated line (without its LF); false at the end. */
static bool next_line(struct line_iter *it, struct line *l)
{
	const char *nl;
	size_t len;

	if (it->pos >= it->n)
		return false;
	nl = memchr(it->buf + it->pos, '\n', it->n - it->pos);
	len = nl ? (size_t)(nl - (it->buf + it->pos)) : it->n - it->pos;
	l->s = str_make(it->buf + it->pos, len);
	l->no = ++it->no;
	it->pos += len + (nl ? 1 : 0);
	return true;
}

/* ---------------------------------------------------------------------------
 * Parsing the native format
 */

static bool is_blank(struct str s)
{
	return trim_left(s).n == 0;
}

static bool is_related_header(struct str s)
{
	s = trim(s);
	return str_eq(s, "相關焦點") || str_eq(s, "相关焦点");
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* Whether line is YYYY-MM-DD, optionally followed by white space and a source. */
static bool parse_date_line(struct str line, struct str *date, struct str *source)
{
	static const char pattern[] = "dddd-dd-dd";
	struct str s = trim(line);
	size_t i;

	if (s.n < 10)
		return false;
	for (i = 0; i < 10; i++) {
		if (pattern[i] == 'd' ? !is_digit(s.p[i]) : s.p[i] != '-')
			return false;
	}
	if (s.n > 10 && !space_at(s.p + 10, s.n - 10))
		return false;
	*date = str_make(s.p, 10);
	*source = trim(str_make(s.p + 10, s.n - 10));
	return true;
}

#define BULLET "\xE2\x80\xA2" /* U+2022 */

enum parse_state { P_TITLE, P_DATE, P_BODY, P_RELATED };

struct parser {
	struct collection *c;
	struct article *a;
	const char *name;
	enum parse_state state;
	const char *body_start, *body_end;
	struct related *current; /* the entry a snippet line would belong to */
	size_t dropped;          /* related entries past MAX_RELATED */
};

static void add_related_entry(struct parser *ps, struct line *l, struct str headline)
{
	struct related r = { headline, str_make(headline.p + headline.n, 0), l->no, NULL };

	ps->current = NULL;
	if (!headline.n)
		return;
	if (ps->a->related.n >= MAX_RELATED) {
		if (!ps->dropped++)
			collection_diag(ps->c, ps->name, l->no,
					"more than %d related entries: only the first %d are kept",
					MAX_RELATED, MAX_RELATED);
		return;
	}
	VEC_PUSH(&ps->a->related, r);
	ps->current = &ps->a->related.v[ps->a->related.n - 1];
}

static void parse_related_line(struct parser *ps, struct line *l)
{
	struct str rest = trim_left(l->s);
	bool indented = rest.n != l->s.n;

	if (!rest.n)
		return; /* blank lines between entries change nothing */
	if (str_has_prefix(rest, BULLET)) {
		rest.p += strlen(BULLET);
		rest.n -= strlen(BULLET);
		add_related_entry(ps, l, trim(rest));
	} else if (indented && ps->current && !ps->current->snippet.n) {
		ps->current->snippet = trim_right(rest);
		ps->current = NULL;
	} else {
		ps->current = NULL; /* stray text: ignored */
	}
}

/* A line of the body, or the related header that ends it. */
static void parse_body_line(struct parser *ps, struct line *l)
{
	if (is_related_header(l->s)) {
		ps->state = P_RELATED;
		return;
	}
	if (is_blank(l->s))
		return;
	if (!ps->body_start)
		ps->body_start = l->s.p;
	ps->body_end = l->s.p + trim_right(l->s).n;
}

static void parse_line(struct parser *ps, struct line *l)
{
	struct article *a = ps->a;

	switch (ps->state) {
	case P_TITLE:
		if (!is_blank(l->s)) {
			a->title = trim(l->s);
			ps->state = P_DATE;
		}
		return;
	case P_DATE:
		if (is_blank(l->s))
			return;
		ps->state = P_BODY;
		if (parse_date_line(l->s, &a->date, &a->source))
			return;
		parse_body_line(ps, l); /* no date line: this is the first paragraph */
		return;
	case P_BODY:
		parse_body_line(ps, l);
		return;
	case P_RELATED:
		parse_related_line(ps, l);
		return;
	}
}

/* Parse buf (LF line ends, valid UTF-8) into a; false when it has no title. */
static bool parse_article(struct collection *c, const char *name, struct article *a,
			  const char *buf, size_t n)
{
	struct parser ps = { c, a, name, P_TITLE, NULL, NULL, NULL, 0 };
	struct line_iter it = { buf, n, 0, 0 };
	struct line l;

	while (next_line(&it, &l))
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
	collection_diag(c, name, line_of_offset(bytes, rep->first_bad),
			"invalid UTF-8 repaired at byte offset %zu (%zu invalid sequence%s)",
			rep->first_bad, rep->nbad, rep->nbad == 1 ? "" : "s");
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

/* Copy s to the end of b (reserved big enough) and point s at the copy. */
static void move_str(struct str *s, char *b, size_t *used)
{
	memcpy(b + *used, s->p, s->n);
	s->p = b + *used;
	*used += s->n;
}

/* Keep what a shows in lists and links (title, date, source, related entries) in a
 * block of its own, and leave the body in the file: article_body reads it again. */
static void keep_header_only(struct collection *c, struct article *a)
{
	size_t total = a->title.n + a->date.n + a->source.n, used = 0;
	char *b;

	for (size_t i = 0; i < a->related.n; i++)
		total += a->related.v[i].headline.n + a->related.v[i].snippet.n;
	b = xmalloc(total + 1);
	move_str(&a->title, b, &used);
	move_str(&a->date, b, &used);
	move_str(&a->source, b, &used);
	for (size_t i = 0; i < a->related.n; i++) {
		move_str(&a->related.v[i].headline, b, &used);
		move_str(&a->related.v[i].snippet, b, &used);
	}
	b[used] = '\0';
	a->body.p = NULL;
	a->body_on_disk = true;
	VEC_PUSH(&c->buffers, b);
}

/* Keep buf, which a points into; or when loading lean, note a's identity, keep its
 * header only and free buf. */
static void keep_or_leave(struct collection *c, struct article *a, char *buf)
{
	if (!c->lean) {
		VEC_PUSH(&c->buffers, buf);
		return;
	}
	state_article_id(a, &a->ident);
	a->has_ident = true;
	keep_header_only(c, a);
	a->body_format = c->lean_format;
	free(buf);
}

bool collection_add_file(struct collection *c, const char *name, const char *id,
			 const char *alt_id, const char *bytes, size_t n)
{
	struct utf8_report rep;
	struct article *a;
	const char *enc;
	size_t len;
	char *buf;

	if (!name)
		name = id ? id : "";
	if ((enc = foreign_bom(bytes, n)) != NULL) {
		collection_diag(c, name, 0,
				"looks like %s (byte-order mark): not supported, only UTF-8: skipped",
				enc);
		return false;
	}
	buf = utf8_repair(bytes, n, &len, &rep);
	len = normalize_newlines(buf, len);
	a = xcalloc(1, sizeof *a);
	if (!parse_article(c, name, a, buf, len)) {
		if (len == 0) /* nothing, or only a UTF-8 byte-order mark */
			collection_diag(c, name, 0, "no title: empty file: skipped");
		else
			collection_diag(c, name, 0,
					"no title: only white space and blank lines: skipped");
		article_free(a);
		free(buf);
		return false;
	}
	if (rep.nbad)
		report_invalid_utf8(c, name, bytes, &rep);
	a->file = c->cur_file;
	keep_or_leave(c, a, buf);
	VEC_PUSH(&c->paths, xstrdup(name));
	a->path = c->paths.v[c->paths.n - 1];
	a->kind = ARTICLE_FULL;
	a->id = xstrdup(id ? id : name);
	a->alt_id = alt_id ? xstrdup(alt_id) : NULL;
	VEC_PUSH(&c->articles, a);
	return true;
}

void collection_add_copy(struct collection *c, const struct article *a, const char *name,
			 const char *id, const char *alt_id)
{
	struct article *n = xcalloc(1, sizeof *n);

	n->kind = ARTICLE_FULL;
	n->title = a->title;
	n->date = a->date;
	n->source = a->source;
	n->body = (struct str){NULL, a->body.n};
	n->body_format = a->body_format;
	for (size_t i = 0; i < a->related.n; i++) {
		struct related r = a->related.v[i];
		r.target = NULL;
		VEC_PUSH(&n->related, r);
	}
	state_article_id(a, &n->ident);
	n->has_ident = true;
	keep_header_only(c, n);
	n->file = c->cur_file;
	VEC_PUSH(&c->paths, xstrdup(name));
	n->path = c->paths.v[c->paths.n - 1];
	n->id = xstrdup(id);
	n->alt_id = alt_id ? xstrdup(alt_id) : NULL;
	VEC_PUSH(&c->articles, n);
}

bool collection_add_buffer(struct collection *c, const char *name, const char *id,
			   const char *bytes, size_t n)
{
	return collection_add_file(c, name, id, NULL, bytes, n);
}

/* ---------------------------------------------------------------------------
 * Articles from other formats (format.h): fields already split by their parser
 */

/* Append s to b repaired, as one trimmed line (line ends become spaces); returns
 * where it starts in b and adds its invalid sequences to *nbad. */
static size_t put_field_line(struct strbuf *b, struct str s, size_t *len, size_t *nbad)
{
	struct utf8_report rep;
	size_t n, i, start = b->n;
	char *fixed = utf8_repair(s.p, s.n, &n, &rep);
	struct str t;

	*nbad += rep.nbad;
	for (i = 0; i < n; i++)
		if (fixed[i] == '\n' || fixed[i] == '\r')
			fixed[i] = ' ';
	t = trim(str_make(fixed, n));
	sb_append(b, t.p, t.n);
	*len = t.n;
	free(fixed);
	return start;
}

/* Append the body's non-blank lines to b, trimmed, a blank line between them. */
static size_t put_field_body(struct strbuf *b, struct str s, size_t *len, size_t *nbad)
{
	struct utf8_report rep;
	size_t n, start = b->n;
	char *fixed = utf8_repair(s.p, s.n, &n, &rep);
	struct line_iter it = { fixed, 0, 0, 0 };
	struct line l;

	*nbad += rep.nbad;
	it.n = normalize_newlines(fixed, n);
	while (next_line(&it, &l)) {
		struct str t = trim(l.s);

		if (!t.n)
			continue;
		if (b->n > start)
			sb_append(b, "\n\n", 2);
		sb_append(b, t.p, t.n);
	}
	*len = b->n - start;
	free(fixed);
	return start;
}

bool collection_add_fields(struct collection *c, const char *name, size_t line,
			   const char *id, const char *alt_id, const struct article_fields *f)
{
	struct strbuf b = { NULL, 0, 0 };
	size_t off[4], len[4], nbad = 0;
	struct article *a;
	struct str date = trim(f->date), d, src;

	off[0] = put_field_line(&b, f->title, &len[0], &nbad);
	sb_putc(&b, '\n');
	off[1] = b.n;
	len[1] = 0;
	if (date.n == 10 && parse_date_line(date, &d, &src)) {
		sb_append(&b, date.p, 10);
		len[1] = 10;
	}
	sb_putc(&b, '\n');
	off[2] = put_field_line(&b, f->source, &len[2], &nbad);
	sb_putc(&b, '\n');
	off[3] = put_field_body(&b, f->body, &len[3], &nbad);
	sb_cstr(&b);
	if (!len[0]) {
		collection_diag(c, name, line, "no title: skipped");
		sb_free(&b);
		return false;
	}
	if (nbad)
		collection_diag(c, name, line, "invalid UTF-8 repaired (%zu invalid sequence%s)",
				nbad, nbad == 1 ? "" : "s");
	a = xcalloc(1, sizeof *a);
	a->title = str_make(b.s + off[0], len[0]);
	a->date = str_make(b.s + off[1], len[1]);
	a->source = str_make(b.s + off[2], len[2]);
	a->body = str_make(b.s + off[3], len[3]);
	a->file = c->cur_file;
	keep_or_leave(c, a, b.s);
	if (!c->paths.n || strcmp(c->paths.v[c->paths.n - 1], name) != 0)
		VEC_PUSH(&c->paths, xstrdup(name));
	a->path = c->paths.v[c->paths.n - 1];
	a->kind = ARTICLE_FULL;
	a->id = xstrdup(id);
	a->alt_id = alt_id ? xstrdup(alt_id) : NULL;
	VEC_PUSH(&c->articles, a);
	return true;
}

bool collection_is_date_line(const char *p, size_t n)
{
	struct str date, source;

	return parse_date_line(str_make(p, n), &date, &source);
}

/* ---------------------------------------------------------------------------
 * A small hash map from byte strings (borrowed, must outlive it) to pointers
 */

struct strmap_slot {
	const char *k; /* NULL: empty */
	size_t n;
	void *v;
};

struct strmap {
	struct strmap_slot *slots;
	size_t cap, used; /* cap is 0 or a power of two */
};

/* FNV-1a, 64 bits. */
static uint64_t fnv1a64(const char *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

static struct strmap_slot *strmap_slot(const struct strmap *m, const char *k, size_t n)
{
	size_t i = (size_t)fnv1a64(k, n) & (m->cap - 1);

	while (m->slots[i].k) {
		if (m->slots[i].n == n && memcmp(m->slots[i].k, k, n) == 0)
			break;
		i = (i + 1) & (m->cap - 1);
	}
	return &m->slots[i];
}

static void *strmap_get(const struct strmap *m, const char *k, size_t n)
{
	if (!m->cap)
		return NULL;
	return strmap_slot(m, k, n)->v;
}

static void strmap_grow(struct strmap *m)
{
	struct strmap old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = xcalloc(m->cap, sizeof *m->slots);
	m->used = 0;
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].k)
			*strmap_slot(m, old.slots[i].k, old.slots[i].n) = old.slots[i];
	m->used = old.used;
	free(old.slots);
}

/* Map k to v (v not NULL), replacing an earlier value. */
static void strmap_put(struct strmap *m, const char *k, size_t n, void *v)
{
	struct strmap_slot *s;

	if ((m->used + 1) * 2 > m->cap)
		strmap_grow(m);
	s = strmap_slot(m, k, n);
	if (!s->k)
		m->used++;
	s->k = k;
	s->n = n;
	s->v = v;
}

static void strmap_free(struct strmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof *m);
}

/* ---------------------------------------------------------------------------
 * Unique ids
 */

/* Give a a free id derived from base: base~2, base~3, ... */
static void take_numbered_id(struct strmap *ids, struct article *a, const char *base)
{
	size_t k, len = strlen(base) + 32;
	char *id = xmalloc(len);

	for (k = 2;; k++) {
		snprintf(id, len, "%s~%zu", base, k);
		if (!strmap_get(ids, id, strlen(id)))
			break;
	}
	free(a->id);
	a->id = id;
}

/* Make every id unique, in list order: a repeated id becomes the alternative id
 * when there is one and it is free, else gets a ~N suffix (reported). */
static void make_ids_unique(struct collection *c, struct strmap *ids)
{
	size_t i;

	for (i = 0; i < c->articles.n; i++) {
		struct article *a = c->articles.v[i];

		if (strmap_get(ids, a->id, strlen(a->id))) {
			if (a->alt_id && !strmap_get(ids, a->alt_id, strlen(a->alt_id))) {
				free(a->id);
				a->id = a->alt_id;
				a->alt_id = NULL;
			} else {
				char *old = xstrdup(a->alt_id ? a->alt_id : a->id);

				take_numbered_id(ids, a, old);
				if (a->kind == ARTICLE_FULL)
					collection_diag(c, a->path, 0, "duplicate id %s: using %s",
							old, a->id);
				free(old);
			}
		}
		free(a->alt_id);
		a->alt_id = NULL;
		strmap_put(ids, a->id, strlen(a->id), a);
	}
}

/* ---------------------------------------------------------------------------
 * Keys: NFKC, without white space
 */

struct key {
	char *p; /* malloc'ed */
	size_t n;
};

/* The key of s when it is made only of characters whose NFKC form is known without
 * libunistring (printable ASCII, CJK ideographs and punctuation, fullwidth ASCII, which
 * NFKC maps to ASCII) and white space (dropped); false for anything else, which may
 * decompose or compose. Most headlines are like this, and u8_normalize is slow. */
static bool make_key_fast(struct str s, struct key *k)
{
	const unsigned char *p = (const unsigned char *)s.p, *end = p + s.n;
	char *out = xmalloc(s.n + 1);
	size_t o = 0;

	while (p < end) {
		unsigned c = *p;
		if (c < 0x80) {
			if (c > 0x20 && c < 0x7F)
				out[o++] = (char)c;
			else if (c != ' ' && c != '\t')
				break; /* controls: the slow path decides */
			p++;
			continue;
		}
		if ((c & 0xF0) != 0xE0 || end - p < 3)
			break;
		unsigned cp = (c & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
		if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
		    (cp >= 0x3001 && cp <= 0x3003) || (cp >= 0x3008 && cp <= 0x3011) ||
		    (cp >= 0x3014 && cp <= 0x301F)) {
			memcpy(out + o, p, 3);
			o += 3;
		} else if (cp >= 0xFF01 && cp <= 0xFF5E) {
			out[o++] = (char)(cp - 0xFEE0);
		} else if (cp != 0x3000) { /* U+3000 is white space: dropped */
			break;
		}
		p += 3;
	}
	if (p < end) {
		free(out);
		return false;
	}
	k->p = out;
	k->n = o;
	return true;
}

/* The comparison key of s: NFKC-normalised, every white-space character removed. */
static struct key make_key(struct str s)
{
	struct key k;
	size_t len = 0, i, o;
	uint8_t *norm = NULL;

	if (make_key_fast(s, &k))
		return k;
	if (s.n)
		norm = u8_normalize(UNINORM_NFKC, (const uint8_t *)s.p, s.n, NULL, &len);
	if (!norm) {
		if (s.n && errno == ENOMEM) {
			fputs("xinwen: out of memory\n", stderr);
			abort();
		}
		norm = (uint8_t *)xstrndup(s.p, s.n);
		len = s.n;
	}
	for (i = 0, o = 0; i < len;) {
		ucs4_t uc;
		int step = u8_mbtouc(&uc, norm + i, len - i);

		if (!uc_is_property_white_space(uc)) {
			memmove(norm + o, norm + i, (size_t)step);
			o += (size_t)step;
		}
		i += (size_t)step;
	}
	k.p = (char *)norm;
	k.n = o;
	return k;
}

char *collection_match_key(struct str s, size_t *n)
{
	struct key k = make_key(s);
	*n = k.n;
	return k.p;
}

/* Strip a trailing ellipsis (three or more dots once normalised); false if none. */
static bool strip_ellipsis(struct key *k)
{
	size_t n = k->n;

	while (n > 0 && k->p[n - 1] == '.')
		n--;
	if (k->n - n < 3 || n == 0)
		return false;
	k->n = n;
	return true;
}

static int key_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);

	if (r)
		return r;
	return an < bn ? -1 : an > bn;
}

struct title_key {
	struct key k;
	struct article *a;
};

static int title_key_cmp(const void *pa, const void *pb)
{
	const struct title_key *a = pa, *b = pb;
	return key_cmp(a->k.p, a->k.n, b->k.p, b->k.n);
}

/* The first index whose key is not less than (p, n). */
static size_t lower_bound(const struct title_key *t, size_t count, const char *p, size_t n)
{
	size_t lo = 0, hi = count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(t[mid].k.p, t[mid].k.n, p, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool key_has_prefix(const struct key *k, const char *p, size_t n)
{
	return k->n >= n && memcmp(k->p, p, n) == 0;
}

/* ---------------------------------------------------------------------------
 * Resolution
 */

struct resolver {
	struct collection *c;
	struct title_key *titles; /* sorted */
	size_t ntitles;
	struct strmap excerpts; /* key -> excerpt article */
	VEC(char *) excerpt_keys;
};

/* Matches of key among the titles (0, 1 or 2 meaning "more"), the first in *hit. */
static int count_matches(const struct resolver *rs, const struct key *k, bool prefix,
			 struct article **hit)
{
	size_t i = lower_bound(rs->titles, rs->ntitles, k->p, k->n);
	int found = 0;

	while (i < rs->ntitles && found < 2) {
		const struct key *t = &rs->titles[i].k;

		if (prefix ? !key_has_prefix(t, k->p, k->n) : key_cmp(t->p, t->n, k->p, k->n))
			break;
		if (!found)
			*hit = rs->titles[i].a;
		found++;
		i++;
	}
	return found;
}

static struct article *new_excerpt(struct resolver *rs, struct key *k, const struct related *r)
{
	struct article *e = xcalloc(1, sizeof *e);
	char id[2 + 16 + 1];

	snprintf(id, sizeof id, "x-%016" PRIx64, fnv1a64(k->p, k->n));
	e->id = xstrdup(id);
	e->kind = ARTICLE_EXCERPT;
	e->file = SIZE_MAX;
	e->title = r->headline;
	e->body = r->snippet;
	e->date = str_make(r->headline.p, 0);
	e->source = e->date;
	VEC_PUSH(&rs->c->articles, e);
	VEC_PUSH(&rs->excerpt_keys, k->p);
	strmap_put(&rs->excerpts, k->p, k->n, e);
	k->p = NULL; /* now owned by excerpt_keys */
	return e;
}

/* The excerpt for key k, shared by every reference with the same key. */
static struct article *excerpt_for(struct resolver *rs, struct key *k, const struct related *r)
{
	struct article *e = strmap_get(&rs->excerpts, k->p, k->n);

	if (!e)
		return new_excerpt(rs, k, r);
	if (!e->body.n && r->snippet.n)
		e->body = r->snippet;
	return e;
}

static void resolve_one(struct resolver *rs, const struct article *a, struct related *r)
{
	struct key k = make_key(r->headline);
	bool truncated = strip_ellipsis(&k);
	struct article *hit = NULL;
	int n = count_matches(rs, &k, truncated, &hit);
	int q = quote_len(r->headline, MAX_QUOTE);

	if (n == 1) {
		r->target = hit;
	} else {
		r->target = excerpt_for(rs, &k, r);
		rs->c->unresolved++;
		if (n > 1)
			collection_diag(rs->c, a->path, r->line,
					"ambiguous related headline: %.*s (%s; shown as an excerpt)",
					q, r->headline.p,
					truncated ? "several titles start with it"
						  : "several articles have this title");
		else
			collection_diag(rs->c, a->path, r->line,
					"unresolved related headline: %.*s (shown as an excerpt)",
					q, r->headline.p);
	}
	free(k.p);
}

static void build_title_index(struct resolver *rs, size_t nfull)
{
	size_t i;

	rs->titles = xreallocarray(NULL, nfull, sizeof *rs->titles);
	rs->ntitles = nfull;
	for (i = 0; i < nfull; i++) {
		rs->titles[i].a = rs->c->articles.v[i];
		rs->titles[i].k = make_key(rs->c->articles.v[i]->title);
	}
	if (nfull > 1)
		qsort(rs->titles, nfull, sizeof *rs->titles, title_key_cmp);
}

static void resolver_free(struct resolver *rs)
{
	size_t i;

	for (i = 0; i < rs->ntitles; i++)
		free(rs->titles[i].k.p);
	free(rs->titles);
	for (i = 0; i < rs->excerpt_keys.n; i++)
		free(rs->excerpt_keys.v[i]);
	free(rs->excerpt_keys.v);
	strmap_free(&rs->excerpts);
}

/* Add each citing article once to its targets' backlinks (never to itself). */
static void fill_backlinks(struct collection *c, size_t nfull)
{
	size_t i, j;

	for (i = 0; i < nfull; i++) {
		struct article *a = c->articles.v[i];

		for (j = 0; j < a->related.n; j++) {
			struct article *t = a->related.v[j].target;
			bool seen;

			if (t == a)
				continue;
			/* a's references are handled together: if a is there, it is last */
			seen = t->backlinks.n && t->backlinks.v[t->backlinks.n - 1] == a;
			if (!seen)
				VEC_PUSH(&t->backlinks, a);
		}
	}
}

/* Newest first; undated after dated; then by id. */
static int list_order_cmp(const void *pa, const void *pb)
{
	const struct article *a = *(struct article *const *)pa;
	const struct article *b = *(struct article *const *)pb;

	if (a->date.n && b->date.n) {
		int r = key_cmp(b->date.p, b->date.n, a->date.p, a->date.n);
		if (r)
			return r;
	} else if (a->date.n != b->date.n) {
		return a->date.n ? -1 : 1;
	}
	return strcmp(a->id, b->id);
}

void collection_finish(struct collection *c)
{
	struct resolver rs;
	struct strmap ids = { NULL, 0, 0 };
	size_t nfull = c->articles.n, i, j;

	memset(&rs, 0, sizeof rs);
	rs.c = c;
	make_ids_unique(c, &ids);
	if (nfull > 1)
		qsort(c->articles.v, nfull, sizeof *c->articles.v, list_order_cmp);
	build_title_index(&rs, nfull);
	for (i = 0; i < nfull; i++) {
		struct article *a = c->articles.v[i];

		for (j = 0; j < a->related.n; j++)
			resolve_one(&rs, a, &a->related.v[j]);
	}
	/* Excerpt ids come from a hash: keep them clear of file ids too. */
	for (i = nfull; i < c->articles.n; i++) {
		struct article *e = c->articles.v[i];

		if (strmap_get(&ids, e->id, strlen(e->id))) {
			char *old = xstrdup(e->id);
			take_numbered_id(&ids, e, old);
			free(old);
		}
		strmap_put(&ids, e->id, strlen(e->id), e);
	}
	fill_backlinks(c, nfull);
	resolver_free(&rs);
	strmap_free(&ids);
}

/* ---------------------------------------------------------------------------
 * Lookup
 */

struct article *collection_find(const struct collection *c, const char *key)
{
	size_t i, n = strlen(key);

	for (i = 0; i < c->articles.n; i++)
		if (strcmp(c->articles.v[i]->id, key) == 0)
			return c->articles.v[i];
	for (i = 0; i < c->articles.n; i++) {
		const struct article *a = c->articles.v[i];
		if (a->title.n == n && memcmp(a->title.p, key, n) == 0)
			return c->articles.v[i];
	}
	return NULL;
}

size_t collection_index(const struct collection *c, const struct article *a)
{
	size_t i;

	for (i = 0; i < c->articles.n; i++)
		if (c->articles.v[i] == a)
			return i;
	return SIZE_MAX;
}
