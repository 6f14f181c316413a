/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fmt_sogou.c: SogouCS-style <doc> records: <url>, <docno>, <contenttitle>, <content>,
 * read record by record in bounded memory, decoded (GB18030 by default) per record. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "i18n.h"
#include "strbuf.h"
#include "utf8.h"

#define IDEOGRAPHIC_SPACE "\xE3\x80\x80" /* U+3000 */

/* The first tag (k bytes, '<' first) in p[0..n), or NULL: memchr to each '<', rare in
 * the text (never part of a GB18030 character), faster than memmem. */
static const char *find_tag(const char *p, size_t n, const char *tag, size_t k)
{
	const char *end = p + n;

	while ((size_t)(end - p) >= k && (p = memchr(p, '<', (size_t)(end - p) - k + 1))) {
		if (memcmp(p, tag, k) == 0)
			return p;
		p++;
	}
	return NULL;
}

size_t fmt_sogou_open_len(const char *p, size_t n)
{
	if (n >= 5 && memcmp(p, "<doc>", 5) == 0)
		return 5;
	if (n < 6 || memcmp(p, "<doc", 4) != 0 || (p[4] != ' ' && p[4] != '\t'))
		return 0;
	for (size_t i = 5; i < n && p[i] != '\n'; i++)
		if (p[i] == '>')
			return i + 1;
	return 0;
}

/* The first opening tag of a record in p[0..n), its length in *k; NULL if none. */
static const char *find_doc_open(const char *p, size_t n, size_t *k)
{
	const char *end = p + n;

	while ((size_t)(end - p) >= 5 && (p = memchr(p, '<', (size_t)(end - p) - 4))) {
		if ((*k = fmt_sogou_open_len(p, (size_t)(end - p))))
			return p;
		p++;
	}
	return NULL;
}

/* The text between <tag> and </tag> in s (to the end when not closed); empty if none. */
static struct str element(struct str s, const char *tag)
{
	char open[32], close[32];
	struct str v = {s.p + s.n, 0};
	const char *a, *b;

	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	a = find_tag(s.p, s.n, open, strlen(open));
	if (!a)
		return v;
	a += strlen(open);
	b = find_tag(a, (size_t)(s.p + s.n - a), close, strlen(close));
	v.p = a;
	v.n = b ? (size_t)(b - a) : (size_t)(s.p + s.n - a);
	return v;
}

/* The host of a URL: between "://" and the next '/', ':' or '?'. */
static struct str url_host(struct str url)
{
	const char *p = memmem(url.p, url.n, "://", 3), *end = url.p + url.n, *q;
	struct str h = {url.p, 0};

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
 * a line break, into b; the text between the runs copied whole. */
static struct str paragraphs(struct str s, struct strbuf *b)
{
	const size_t k = strlen(IDEOGRAPHIC_SPACE);
	const char *p = s.p, *end = s.p + s.n;
	struct str out;

	sb_clear(b);
	while (p < end) {
		const char *sp = p;

		/* memchr to each 0xE3 (the first byte of U+3000): faster than memmem */
		while ((sp = memchr(sp, 0xE3, (size_t)(end - sp))) &&
		       ((size_t)(end - sp) < k || memcmp(sp, IDEOGRAPHIC_SPACE, k) != 0))
			sp++;
		size_t run = 0;

		if (!sp) {
			sb_append(b, p, (size_t)(end - p));
			break;
		}
		sb_append(b, p, (size_t)(sp - p));
		while ((size_t)(end - sp) >= (run + 1) * k &&
		       memcmp(sp + run * k, IDEOGRAPHIC_SPACE, k) == 0)
			run++;
		if (run >= 2)
			sb_putc(b, '\n');
		else
			sb_append(b, sp, k);
		p = sp + run * k;
	}
	out.p = sb_cstr(b);
	out.n = b->n;
	return out;
}

/* The character a numeric reference p[0..n) ("#20013", "#x4E2D") stands for, or 0
 * when it is none or one kept as written (a control character, a surrogate). */
static uint32_t char_reference(const char *p, size_t n)
{
	uint32_t cp = 0;
	bool hex = n > 1 && (p[1] == 'x' || p[1] == 'X');
	size_t i = hex ? 2 : 1;

	if (n <= i || n > i + 8)
		return 0;
	for (; i < n; i++) {
		int d = p[i] >= '0' && p[i] <= '9'	    ? p[i] - '0'
			: hex && p[i] >= 'a' && p[i] <= 'f' ? p[i] - 'a' + 10
			: hex && p[i] >= 'A' && p[i] <= 'F' ? p[i] - 'A' + 10
							    : -1;
		if (d < 0 || cp > 0x10FFFF)
			return 0;
		cp = cp * (hex ? 16 : 10) + (uint32_t)d;
	}
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || (cp < 0x20 && cp != '\t') ||
	    (cp >= 0x7F && cp < 0xA0))
		return 0;
	return cp;
}

/* s with its XML references made the characters they stand for (&amp; &lt; &gt; &quot;
 * &apos; &nbsp; and numeric ones: copies of the corpus made XML have them), in b; s
 * itself when it has none. An '&' that starts no reference (the raw dumps' URLs have
 * "?a=1&b=2") stays. */
static struct str xml_unescape(struct str s, struct strbuf *b)
{
	static const struct {
		const char *name, *text;
	} named[] = {{"amp", "&"},   {"lt", "<"},   {"gt", ">"},
		     {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xC2\xA0"}};
	const char *p = s.p, *end = s.p + s.n, *amp;

	if (!s.n || !memchr(s.p, '&', s.n))
		return s;
	sb_clear(b);
	while ((amp = memchr(p, '&', (size_t)(end - p)))) {
		const char *semi = memchr(amp, ';',
					  (size_t)(end - amp) < 12 ? (size_t)(end - amp) : 12);
		const char *text = NULL;
		char utf8[4];
		size_t k = 0;

		sb_append(b, p, (size_t)(amp - p));
		if (semi && amp[1] == '#') {
			uint32_t cp = char_reference(amp + 1, (size_t)(semi - amp - 1));
			if (cp) {
				k = utf8_encode(cp, utf8);
				text = utf8;
			}
		}
		for (size_t i = 0; semi && !text && i < sizeof named / sizeof *named; i++)
			if ((size_t)(semi - amp - 1) == strlen(named[i].name) &&
			    memcmp(amp + 1, named[i].name, strlen(named[i].name)) == 0) {
				text = named[i].text;
				k = strlen(text);
			}
		if (text) {
			sb_append(b, text, k);
			p = semi + 1;
		} else {
			sb_putc(b, '&');
			p = amp + 1;
		}
	}
	sb_append(b, p, (size_t)(end - p));
	return str_make(sb_cstr(b), b->n);
}

/* Room for a record's fields made anew (split_record). */
struct record_bufs {
	struct strbuf body, text, title, url;
};

static void record_bufs_free(struct record_bufs *r)
{
	sb_free(&r->body);
	sb_free(&r->text);
	sb_free(&r->title);
	sb_free(&r->url);
}

/* The elements whose text may cite the record tags (an article about XML, or a hostile
 * one): inside them, <doc> and </doc> are text unless they start a line. */
struct text_element {
	const char *open, *close;
	size_t nopen, nclose;
};

static const struct text_element text_elements[] = {
	{"<contenttitle>", "</contenttitle>", 14, 15},
	{"<content>", "</content>", 9, 10},
};

/* The first opening tag of a text element in p[0..n), its element in *e; NULL if none. */
static const char *find_text_open(const char *p, size_t n, const struct text_element **e)
{
	const char *first = NULL;

	for (size_t i = 0; i < sizeof text_elements / sizeof *text_elements; i++) {
		const struct text_element *t = &text_elements[i];
		const char *at = find_tag(p, first ? (size_t)(first - p) : n, t->open, t->nopen);

		if (at)
			first = at, *e = t;
	}
	return first;
}

struct sogou {
	struct collection *c;
	const char *name;
	struct decoder *dec;
	struct strbuf rec;
	struct record_bufs bufs;
	bool in_record;
	/* the text element the record is inside (past its opening tag, before its
	 * closing one), or NULL */
	const struct text_element *in_text;
	size_t start_line, added, max;
	/* a run of lines outside records that hold text (not only tags: an XML
	 * declaration, a root element's): how many, the first's number */
	size_t stray, stray_line, stray_last;
	const char *line;  /* the line being fed */
	uint64_t line_off; /* its byte offset in the file */
	uint64_t rec_off;  /* the byte offset of the record's <doc> */
};

/* The fields of a record's text all (the bytes between <doc> and </doc>, in UTF-8),
 * made in r (their XML references read, the paragraphs cut); *docno set to its docno. */
static void split_record(struct str all, struct article_fields *f, struct record_bufs *r,
			 struct str *docno)
{
	*docno = element(all, "docno");
	f->title = xml_unescape(element(all, "contenttitle"), &r->title);
	f->body = paragraphs(xml_unescape(element(all, "content"), &r->text), &r->body);
	f->url = xml_unescape(element(all, "url"), &r->url);
	f->source = url_host(f->url);
	f->date.p = "";
	f->date.n = 0;
	f->rec_off = f->rec_len = 0;
}

/* Parse the record held (the bytes after <doc>) and add its article; its </doc> is at
 * close in the line being fed. */
static void finish_record(struct sogou *s, const char *close)
{
	struct article_fields f = {0};
	struct str all, docno;
	char *text = NULL, *id;
	size_t n = s->rec.n;

	s->in_record = false;
	if (s->dec)
		text = format_decode(s->dec, s->c, s->name, s->start_line, sb_cstr(&s->rec), n, &n);
	all.p = text ? text : sb_cstr(&s->rec);
	all.n = n;
	split_record(all, &f, &s->bufs, &docno);
	/* decoded text is valid UTF-8 (iconv's output, or lines checked to be): not
	 * checked again */
	f.valid_utf8 = text != NULL;
	f.rec_off = s->rec_off;
	f.rec_len = s->line_off + (uint64_t)(close - s->line) + 6 - s->rec_off;
	id = format_make_id(docno.p, docno.n, s->name, s->start_line);
	if (format_add_fields(s->c, s->name, s->start_line, id, NULL, &f))
		s->added++;
	free(id);
	free(text);
}

/* A record starts at open (its <doc>) in the line being fed, line number line. */
static void start_record(struct sogou *s, size_t line, const char *open)
{
	s->in_record = true;
	s->in_text = NULL;
	s->start_line = line;
	s->rec_off = s->line_off + (uint64_t)(open - s->line);
	sb_clear(&s->rec);
}

/* Whether p[0..n) holds text besides tags and blanks. */
static bool has_text(const char *p, size_t n)
{
	bool in_tag = false;

	for (const char *end = p + n; p < end; p++)
		if (*p == '<')
			in_tag = true;
		else if (*p == '>' && in_tag)
			in_tag = false;
		else if (!in_tag && *p != ' ' && *p != '\t' && *p != '\r')
			return true;
	return false;
}

/* The run of lines outside records said, if any: they are lost (a piece cut from a
 * bigger file starting inside a record, records whose tags are not <doc>'s). */
static void end_stray(struct sogou *s)
{
	if (!s->stray)
		return;
	collection_diag(s->c, s->name, s->stray_line,
			ngettext("%zu line of text outside the <doc> records: skipped",
				 "%zu lines of text outside the <doc> records: skipped", s->stray),
			s->stray);
	s->stray = 0;
}

/* Whether the line p[0..n) starts (after blanks) with <doc> or </doc>. */
static bool record_tag_first(const char *p, size_t n)
{
	while (n && (*p == ' ' || *p == '\t'))
		p++, n--;
	return fmt_sogou_open_len(p, n) || (n >= 6 && memcmp(p, "</doc>", 6) == 0);
}

/* Feed one line, at byte offset off: records open at <doc> and close at </doc>,
 * anywhere in a line; but inside a title or a content (text_elements) only at the start
 * of a line, where a record missing its closing tag still ends. */
static void feed_line(struct sogou *s, const char *p, size_t n, size_t line, uint64_t off)
{
	const char *end = p + n;

	s->line = p;
	s->line_off = off;
	for (;;) {
		if (s->in_record && s->in_text &&
		    (p > s->line || !record_tag_first(p, (size_t)(end - p)))) {
			const struct text_element *t = s->in_text;
			const char *shut = find_tag(p, (size_t)(end - p), t->close, t->nclose);

			sb_append(&s->rec, p, (size_t)((shut ? shut + t->nclose : end) - p));
			if (shut) {
				s->in_text = NULL;
				p = shut + t->nclose;
				continue;
			}
			break; /* the text goes on on the next line */
		}
		s->in_text = NULL;
		size_t open_n = 0;
		const char *open = find_doc_open(p, (size_t)(end - p), &open_n);
		const char *close;

		if (!s->in_record) {
			/* a lone </doc> ends a run: the loader's split of a big file cuts
			 * after such a line, and each piece says its runs as one load does */
			if (p == s->line && n == 6 && memcmp(p, "</doc>", 6) == 0)
				end_stray(s);
			/* text outside records: said, a run of lines at a time */
			if (has_text(p, (size_t)((open ? open : end) - p)) &&
			    (!s->stray || s->stray_last != line)) {
				if (!s->stray++)
					s->stray_line = line;
				s->stray_last = line;
			}
			if (!open)
				return;
			end_stray(s);
			start_record(s, line, open);
			p = open + open_n;
			continue;
		}
		close = find_tag(p, (size_t)(end - p), "</doc>", 6);
		const struct text_element *t = NULL;
		const char *text = find_text_open(p, (size_t)(end - p), &t);
		if (text && (!close || text < close) && (!open || text < open)) {
			sb_append(&s->rec, p, (size_t)(text + t->nopen - p));
			s->in_text = t;
			p = text + t->nopen;
			continue;
		}
		if (open && (!close || open < close)) {
			collection_diag(s->c, s->name, s->start_line,
					"<doc> record not closed before the next <doc>: skipped");
			start_record(s, line, open);
			p = open + open_n;
			continue;
		}
		sb_append(&s->rec, p, (size_t)((close ? close : end) - p));
		if (close) {
			finish_record(s, close);
			p = close + 6;
			continue;
		}
		break;
	}
	sb_putc(&s->rec, '\n');
	if (s->rec.n > s->max) {
		collection_diag(s->c, s->name, s->start_line,
				"<doc> record longer than %zu bytes: skipped", s->max);
		s->in_record = false;
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
			feed_line(&s, line, n, r->lineno, r->off);
		}
	}
	if (got < 0)
		collection_diag_unreadable(c, name, r->lineno + 1, "cannot read: %s",
					   strerror(errno));
	end_stray(&s);
	if (s.in_record)
		collection_diag(c, name, s.start_line, "unterminated <doc> record: skipped");
	sb_free(&s.rec);
	record_bufs_free(&s.bufs);
	return s.added;
}

bool fmt_sogou_body(const char *bytes, size_t n, char **out, size_t *out_n)
{
	struct strbuf rec = {NULL, 0, 0};
	struct record_bufs b = {0};
	struct article_fields f;
	struct decoder dec;
	struct str all, docno;
	const char *p = bytes, *end = bytes + n;
	char *text;
	size_t len;

	size_t open_n = fmt_sogou_open_len(bytes, n);

	if (!open_n || n < open_n + 6 || memcmp(end - 6, "</doc>", 6) != 0)
		return false;
	/* the lines between, as loading joins them: LF, a CR before it dropped */
	for (p += open_n, end -= 6; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);

		sb_append(&rec, p, k && nl && p[k - 1] == '\r' ? k - 1 : k);
		if (nl)
			sb_putc(&rec, '\n');
		p += k + (nl ? 1 : 0);
	}
	decoder_init(&dec, NULL);
	struct decode_problems pr;
	text = decoder_run(&dec, 1, rec.s ? rec.s : "", rec.n, &len, &pr);
	decoder_free(&dec);
	all.p = text;
	all.n = len;
	split_record(all, &f, &b, &docno);
	bool ok = !str_is_blank(f.title); /* else loading said: no title */
	if (ok)
		*out = format_fields_body(f.body, out_n);
	free(text);
	sb_free(&rec);
	record_bufs_free(&b);
	return ok;
}
