/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decode.c: legacy encodings to UTF-8 through iconv(3), one line at a time, so that an
 * undecodable byte is reported with its line and costs only itself (U+FFFD). */
#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "strbuf.h"
#include "utf8.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */
#define NO_CD ((iconv_t)-1)

bool decode_is_utf8(const char *enc)
{
	return strcasecmp(enc, "UTF-8") == 0 || strcasecmp(enc, "UTF8") == 0;
}

bool decode_known(const char *enc)
{
	iconv_t cd;

	if (!*enc)
		return false;
	cd = iconv_open("UTF-8", enc);
	if (cd == NO_CD)
		return false;
	iconv_close(cd);
	return true;
}

void decoder_init(struct decoder *d, const char *enc)
{
	memset(d, 0, sizeof *d);
	d->enc = enc ? xstrdup(enc) : NULL;
	d->cd = NULL;
}

void decoder_free(struct decoder *d)
{
	if (d->cd && (iconv_t)d->cd != NO_CD)
		iconv_close((iconv_t)d->cd);
	free(d->enc);
	memset(d, 0, sizeof *d);
}

const char *decoder_name(const struct decoder *d)
{
	return d->enc ? d->enc : DECODE_AUTO_LEGACY;
}

/* How a line of the automatic choice reads. */
enum line_kind { LINE_ASCII, LINE_UTF8, LINE_UTF8_SHORT, LINE_OTHER };

/* ASCII; valid UTF-8 with a 3- or 4-byte sequence (CJK in UTF-8); valid UTF-8 with
 * 2-byte sequences only (as likely a GB18030 pair: tried as GB18030 first); other. */
static enum line_kind classify(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	enum line_kind k = LINE_ASCII;
	size_t i;

	for (i = 0; i < n;) {
		uint32_t cp;
		size_t step = utf8_decode(u + i, n - i, &cp);

		if (cp == UTF8_BAD)
			return LINE_OTHER;
		if (step >= 3)
			k = LINE_UTF8;
		else if (step == 2 && k == LINE_ASCII)
			k = LINE_UTF8_SHORT;
		i += step;
	}
	return k;
}

/* Convert s[0..n) with d's converter, appending to b; returns the undecodable
 * sequences met (each one byte skipped, one U+FFFD), or SIZE_MAX when no converter
 * can be opened. With strict, nothing is appended unless the whole line converts. */
static size_t convert(struct decoder *d, struct strbuf *b, const char *s, size_t n, bool strict)
{
	size_t bad = 0, start = b->n;
	char *in = (char *)(uintptr_t)s; /* iconv's prototype is not const-correct */
	size_t left = n;

	if (!d->cd)
		d->cd = (void *)iconv_open("UTF-8", decoder_name(d));
	if ((iconv_t)d->cd == NO_CD)
		return SIZE_MAX;
	iconv((iconv_t)d->cd, NULL, NULL, NULL, NULL);
	while (left) {
		char *out;
		size_t room, r;

		vec_reserve(&b->s, &b->cap, b->n + left * 4 + 16, 1);
		out = b->s + b->n;
		room = b->cap - b->n - 1;
		r = iconv((iconv_t)d->cd, &in, &left, &out, &room);
		b->n = (size_t)(out - b->s);
		b->s[b->n] = '\0';
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		/* EILSEQ, or EINVAL (a sequence cut short by the end of the line) */
		bad++;
		if (strict) {
			b->n = start;
			b->s[b->n] = '\0';
			return bad;
		}
		sb_append(b, REPLACEMENT, strlen(REPLACEMENT));
		in++;
		left--;
		iconv((iconv_t)d->cd, NULL, NULL, NULL, NULL);
	}
	sb_cstr(b);
	return bad;
}

/* Decode one line (with its LF, if any) of the automatic choice. */
static size_t decode_auto_line(struct decoder *d, struct strbuf *b, const char *s, size_t n,
			       size_t line)
{
	enum line_kind k = classify(s, n);
	size_t bad;

	if (k == LINE_UTF8_SHORT) {
		bad = convert(d, b, s, n, true);
		if (bad == 0) {
			if (!d->legacy_line)
				d->legacy_line = line;
			return 0;
		}
		k = LINE_UTF8;
	}
	if (k == LINE_ASCII || k == LINE_UTF8) {
		if (k == LINE_UTF8 && !d->utf8_line)
			d->utf8_line = line;
		sb_append(b, s, n);
		return 0;
	}
	if (!d->legacy_line)
		d->legacy_line = line;
	return convert(d, b, s, n, false);
}

char *decoder_run(struct decoder *d, size_t first_line, const char *bytes, size_t n,
		  size_t *out_n, struct decode_problems *pr)
{
	struct strbuf b = { NULL, 0, 0 };
	size_t line = first_line, first_bad = 0, nbad = 0, pos = 0;

	while (pos < n) {
		const char *nl = memchr(bytes + pos, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - (bytes + pos)) + 1 : n - pos;
		size_t bad = d->enc ? convert(d, &b, bytes + pos, len, false)
				    : decode_auto_line(d, &b, bytes + pos, len, line);

		if (bad == SIZE_MAX) { /* decode_known said yes earlier: only on ENOMEM */
			sb_append(&b, bytes + pos, len);
			bad = 0;
		}
		if (bad && !nbad)
			first_bad = line;
		nbad += bad;
		pos += len;
		line++;
	}
	memset(pr, 0, sizeof *pr);
	pr->nbad = nbad;
	pr->first_bad_line = first_bad;
	if (!d->enc && d->utf8_line && d->legacy_line && !d->mixed_reported) {
		d->mixed_reported = true;
		pr->mixed_utf8_line = d->utf8_line;
		pr->mixed_legacy_line = d->legacy_line;
	}
	*out_n = b.n;
	if (!b.s)
		return xstrndup("", 0);
	return b.s;
}
