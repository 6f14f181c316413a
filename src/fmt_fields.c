/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fmt_fields.c: what the formats other than the native one share: an article made of
 * fields their parsers split (title, date, source, body). */
#include <config.h>

#include "format.h"
#include "i18n.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "jsonskim.h"
#include "strbuf.h"
#include "urls.h"
#include "utf8.h"
#include "xalloc.h"
#include "xxh64.h"

/* Longest id made of a record's own. */
#define FORMAT_ID_MAX 64

/* Whether any of the n bytes at p is outside ASCII. */
static bool memchr_high(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80)
			return true;
	return false;
}

/* A copy of s (and its NUL), repaired unless valid says it is valid UTF-8. */
static char *field_copy(struct str s, bool valid, size_t *n, struct utf8_report *rep)
{
	char *t;

	if (!valid)
		return utf8_repair(s.p, s.n, n, rep);
	t = xmalloc(s.n + 1);
	if (s.n)
		memcpy(t, s.p, s.n);
	t[s.n] = '\0';
	*n = s.n;
	rep->nbad = 0;
	return t;
}

/* Append s to b repaired, as one trimmed line (line ends become spaces); returns
 * where it starts in b and adds its invalid sequences to *nbad. */
static size_t put_field_line(struct strbuf *b, struct str s, bool valid, size_t *len, size_t *nbad)
{
	struct utf8_report rep;
	size_t n, i, start = b->n;
	char *fixed;
	struct str t;

	/* valid and one line already (as most titles and sources are): no copy to mend */
	if (valid && (!s.n || (!memchr(s.p, '\n', s.n) && !memchr(s.p, '\r', s.n)))) {
		t = str_trim(s);
		sb_append(b, t.p, t.n);
		*len = t.n;
		return start;
	}
	fixed = field_copy(s, valid, &n, &rep);

	*nbad += rep.nbad;
	for (i = 0; i < n; i++)
		if (fixed[i] == '\n' || fixed[i] == '\r')
			fixed[i] = ' ';
	t = str_trim(str_make(fixed, n));
	sb_append(b, t.p, t.n);
	*len = t.n;
	free(fixed);
	return start;
}

/* Where the bytes of a body go: appended to text, or added to hash (an article loaded
 * LEAN_HASHED), or nowhere when both are NULL (LEAN_UNHASHED: only counted). */
struct body_sink {
	struct strbuf *text;
	struct xxh64_two_state *hash;
};

/* Put the n bytes at p where to says. */
static void put_piece(const struct body_sink *to, const char *p, size_t n)
{
	if (to->hash)
		xxh64_two_add(to->hash, p, n);
	else if (to->text)
		sb_append(to->text, p, n);
}

/* Put line l of a body trimmed, unless it is blank, after a blank line when *len bytes
 * came before it; *len counts them. */
static void put_body_line(const struct body_sink *to, struct str l, size_t *len)
{
	struct str t = str_trim(l);

	if (!t.n)
		return;
	if (*len) {
		put_piece(to, "\n\n", 2);
		*len += 2;
	}
	put_piece(to, t.p, t.n);
	*len += t.n;
}

/* Whether the escaped body v is already as put_body_line would put it, but for its
 * escapes: each one a \n between two lines that need no trimming (not empty, no white
 * space at either end; the first not starting with a byte-order mark). Then the text
 * is v's bytes with each \n read as the blank line between two paragraphs ("\n\n", as
 * many bytes), as most bodies of news2016zh are: one copy, not a piece a line. */
static bool lines_as_written(const struct jsonskim_val *v)
{
	size_t from = 0;

	if (v->n >= 3 && memcmp(v->p, "\xEF\xBB\xBF", 3) == 0)
		return false;
	for (size_t k = 0; k <= v->nescapes; k++) {
		size_t e = k < v->nescapes ? v->escapes[k] : v->n;
		struct str l = str_make(v->p + from, e - from);

		if (e < from || !l.n || str_trim(l).n != l.n)
			return false;
		if (k < v->nescapes && (e + 1 >= v->n || v->p[e + 1] != 'n'))
			return false;
		from = e + 2;
	}
	return true;
}

/* put_field_body of a body still escaped as a JSON string (article_fields.body_raw)
 * read line by line, each line unescaped only when it has escapes; false (nothing
 * added) when its text must be normalized first: a CR in it, or a byte-order mark at
 * its start. */
static bool put_escaped_body(const struct body_sink *to, const struct jsonskim_val *v, size_t *len)
{
	struct jsonskim_lines it;
	struct strbuf tmp = {NULL, 0, 0};
	struct str l;

	*len = 0;
	if (v->cr)
		return false;
	if (lines_as_written(v)) {
		/* copied whole, each escape made the blank line it stands for (as many
		 * bytes), then hashed in one piece: fewer instructions than its lines
		 * hashed one by one */
		struct strbuf *b = to->text ? to->text : to->hash ? &tmp : NULL;

		if (b) {
			size_t at = b->n;

			sb_append(b, v->p, v->n);
			for (size_t k = 0; k < v->nescapes; k++)
				memcpy(b->s + at + v->escapes[k], "\n\n", 2);
		}
		if (b == &tmp)
			xxh64_two_add(to->hash, tmp.s, tmp.n);
		sb_free(&tmp);
		*len = v->n;
		return true;
	}
	jsonskim_lines_init(&it, v);
	for (bool first = true; jsonskim_line_next(&it, &tmp, &l); first = false) {
		if (first && l.n >= 3 && memcmp(l.p, "\xEF\xBB\xBF", 3) == 0) {
			sb_free(&tmp);
			return false; /* nothing added yet */
		}
		put_body_line(to, l, len);
	}
	sb_free(&tmp);
	return true;
}

/* Put the body's non-blank lines where to says, trimmed, a blank line between them (the
 * body of an article loaded lean is not kept: its identity is all it is needed for, if
 * that). *len: how many bytes that is. Valid UTF-8 with LF line ends only is read where
 * it is; other text from a repaired copy. A body left escaped (f->body_raw) is read as
 * it is unescaped. */
static void put_field_body(const struct body_sink *to, const struct article_fields *f, bool valid,
			   size_t *len, size_t *nbad)
{
	struct utf8_report rep = {0, 0};
	struct str s = f->body;
	size_t n = s.n;
	char *fixed = NULL;
	struct strbuf plain = {NULL, 0, 0};
	struct text_line l;

	if (f->body_raw) {
		if (put_escaped_body(to, f->body_raw, len))
			return;
		jsonskim_unescape(s.p, s.n, &plain); /* read as any other text */
		s = str_make(plain.s, plain.n);
		n = s.n;
	}
	struct line_iter it = {s.p, s.n, 0, 0};

	/* a copy to repair or to normalize in, unless the text is valid, has no CR and
	 * does not start with a byte-order mark (as most have and do not): read in place */
	if (!valid || (s.n && memchr(s.p, '\r', s.n)) ||
	    (s.n >= 3 && memcmp(s.p, "\xEF\xBB\xBF", 3) == 0)) {
		fixed = field_copy(s, valid, &n, &rep);
		it.buf = fixed;
		it.n = text_normalize_newlines(fixed, n);
	}
	*nbad += rep.nbad;
	*len = 0;
	while (line_next(&it, &l))
		put_body_line(to, l.s, len);
	free(fixed);
	sb_free(&plain);
}

bool format_add_fields(struct collection *c, const char *name, size_t line, const char *id,
		       const char *alt_id, const struct article_fields *f)
{
	struct strbuf b = {NULL, 0, 0};
	size_t off[6], len[6], nbad = 0;
	struct article *a;
	struct str date = str_trim(f->date), d, src;
	/* loading lean, the body is not kept: hashed for the identity, or only measured
	 * (collection.h) */
	struct xxh64_two_state body_hash, *hash = c->lean == LEAN_HASHED ? &body_hash : NULL;
	struct body_sink to = {c->lean ? NULL : &b, hash};

	if (hash)
		xxh64_two_init(hash, 0, XXH_PRIME64_3);
	/* room for all of it unless repairs make it longer: grown once, not by doubling */
	vec_reserve(&b.s, &b.cap,
		    f->title.n + f->source.n + f->time.n + (c->lean ? 0 : f->body.n) + f->url.n +
			    32,
		    1);
	off[0] = put_field_line(&b, f->title, f->valid_utf8, &len[0], &nbad);
	sb_putc(&b, '\n');
	off[1] = b.n;
	len[1] = 0;
	if (date.n == 10 && date_line_parse(date, &d, &src) == DATE_LINE) {
		sb_append(&b, date.p, 10);
		len[1] = 10;
	}
	sb_putc(&b, '\n');
	off[2] = put_field_line(&b, f->source, f->valid_utf8, &len[2], &nbad);
	sb_putc(&b, '\n');
	off[3] = b.n;
	put_field_body(&to, f, f->valid_utf8, &len[3], &nbad);
	sb_putc(&b, '\n');
	off[4] = put_field_line(&b, f->url, f->valid_utf8, &len[4], &nbad);
	struct strbuf safe = {0};
	if (!url_sanitize(b.s + off[4], len[4], &safe))
		len[4] = 0; /* not an address: dropped */
	sb_free(&safe);
	sb_putc(&b, '\n');
	off[5] = put_field_line(&b, f->time, f->valid_utf8, &len[5], &nbad);
	sb_cstr(&b);
	if (!len[0]) {
		collection_diag(c, name, line, "no title: skipped");
		sb_free(&b);
		return false;
	}
	if (nbad)
		collection_diag(c, name, line,
				ngettext("invalid UTF-8 repaired (%zu invalid sequence)",
					 "invalid UTF-8 repaired (%zu invalid sequences)", nbad),
				nbad);
	a = collection_new_article(c);
	a->title = str_make(b.s + off[0], len[0]);
	a->date = str_make(b.s + off[1], len[1]);
	a->source = str_make(b.s + off[2], len[2]);
	a->body = str_make(b.s + off[3], c->lean ? 0 : len[3]);
	a->url = str_make(b.s + off[4], len[4]);
	a->time = str_make(b.s + off[5], len[5]);
	a->rec_off = f->rec_off;
	a->rec_len = f->rec_len;
	a->line = line <= UINT32_MAX ? (uint32_t)line : 0;
	if (hash)
		article_identity_body_hashed(a, hash);
	if (c->lean)
		a->body.n = len[3]; /* its size, left in the file */
	collection_add_article(c, a, b.s, name, id, alt_id);
	return true;
}

char *format_fields_body(struct str body, size_t *len)
{
	struct strbuf b = {NULL, 0, 0};
	struct article_fields f = {.body = body};
	struct body_sink to = {&b, NULL};
	size_t nbad = 0;

	put_field_body(&to, &f, false, len, &nbad);
	return b.s ? b.s : xstrdup(""); /* a record without text is an empty article */
}

void format_report_decode(struct collection *c, const char *name, const struct decoder *d,
			  const struct decode_problems *pr)
{
	if (pr->nbad)
		collection_diag(c, name, pr->first_bad_line,
				ngettext("not valid %s: %zu undecodable byte shown as U+FFFD, the "
					 "first here",
					 "not valid %s: %zu undecodable bytes shown as U+FFFD, the "
					 "first here",
					 pr->nbad),
				d ? decoder_name(d) : pr->detected, pr->nbad);
	if (pr->detected)
		/* TRANSLATORS: the first %s is "not UTF-8: read as " translated. */
		collection_diag(c, name, pr->detected_line,
				"%s%s, the encoding detected (--encoding %s says so)",
				_(DIAG_MSG_DETECTED), pr->detected,
				decode_option_name(pr->detected));
	if (pr->told_unlike)
		collection_diag(c, name, pr->told_unlike_line,
				"read as %s as told, but the bytes look like %s: try --encoding %s",
				decoder_name(d), pr->told_unlike,
				decode_option_name(pr->told_unlike));
	if (pr->mixed_utf8_line) {
		size_t u = pr->mixed_utf8_line, l = pr->mixed_legacy_line;

		collection_diag(c, name, u > l ? u : l,
				"mixed encodings: line %zu is UTF-8, line %zu is not (read as %s); "
				"each line is read as what it is",
				u, l, decoder_name(d));
	}
}

char *format_decode(struct decoder *d, struct collection *c, const char *name, size_t first_line,
		    const char *bytes, size_t n, size_t *out_n)
{
	struct decode_problems pr;
	char *text = decoder_run(d, first_line, bytes, n, out_n, &pr);

	format_report_decode(c, name, d, &pr);
	return text;
}

/* Whether an id may hold the byte ch as it is. */
static bool id_byte(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '.' || ch == '_' || ch == '-';
}

/* The id of a raw id with bytes outside ASCII (CJK, say): its ASCII kept as
 * format_make_id keeps it, each run of other bytes one '_', then '-' and a hash of all
 * of it, so that ids which differ only there (新闻 and 旧闻) stay apart. */
static char *hashed_id(const char *raw, size_t n)
{
	struct strbuf b = {NULL, 0, 0};

	for (size_t i = 0; i < n && b.n < FORMAT_ID_MAX - 17; i++) {
		unsigned char ch = (unsigned char)raw[i];

		if (ch >= 0x80 && b.n && b.s[b.n - 1] == '_' && i &&
		    (unsigned char)raw[i - 1] >= 0x80)
			continue;
		sb_putc(&b, id_byte(ch) ? (char)ch : '_');
	}
	sb_printf(&b, "-%016" PRIx64, xxh64(raw, n, 0));
	return b.s;
}

char *format_make_id(const char *raw, size_t n, const char *name, size_t line)
{
	struct strbuf b = {NULL, 0, 0};
	const char *base, *dot;
	size_t i;

	if (memchr_high(raw, n))
		return hashed_id(raw, n);
	if (n) { /* made in place: one allocation, not one append a byte */
		char id[FORMAT_ID_MAX];

		for (i = 0; i < n && i < FORMAT_ID_MAX; i++)
			id[i] = id_byte((unsigned char)raw[i]) ? raw[i] : '_';
		return xstrndup(id, i);
	}
	/* the file's own name: after its directory, and after the archive of a member
	 * named "ARCHIVE:MEMBER" at the archive's top */
	base = strrchr(name, '/');
	base = base ? base + 1 : name;
	if (strchr(base, ':'))
		base = strrchr(base, ':') + 1;
	dot = strrchr(base, '.');
	sb_append(&b, base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
	sb_printf(&b, "-%zu", line);
	return b.s;
}
