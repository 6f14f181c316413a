/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decode.c: legacy encodings to UTF-8 through iconv(3), one line at a time, so that an
 * undecodable byte is reported with its line and costs only itself (U+FFFD). */
#include <config.h>

#include "decode.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef HAVE_UCHARDET
#include <uchardet/uchardet.h>
#endif

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

bool decode_is_auto(const char *enc)
{
	return strcasecmp(enc, "auto") == 0;
}

bool decode_can_detect(void)
{
#ifdef HAVE_UCHARDET
	return true;
#else
	return false;
#endif
}

/* The name uchardet gives bytes[0..n) in name (size bytes at most); false without
 * uchardet or an answer. */
static bool detect_name(const char *bytes, size_t n, char *name, size_t size)
{
#ifdef HAVE_UCHARDET
	uchardet_t ud = uchardet_new();
	bool named = false;

	if (!ud)
		return false;
	if (uchardet_handle_data(ud, bytes, n) == 0) {
		uchardet_data_end(ud);
		snprintf(name, size, "%s", uchardet_get_charset(ud));
		named = *name != '\0';
	}
	uchardet_delete(ud);
	return named;
#else
	(void)bytes;
	(void)n;
	(void)name;
	(void)size;
	return false;
#endif
}

/* The encoding of ours that uchardet's name stands for, or NULL. */
static const char *legacy_of(const char *name)
{
	if (strcasecmp(name, "BIG5") == 0)
		return "BIG5";
	if (strncasecmp(name, "GB", 2) == 0) /* GB18030, GB2312, GBK */
		return "GB18030";
	return NULL;
}

/* Whether uchardet's name is of another CJK encoding of two bytes (Japanese, Korean,
 * CNS 11643), whose text GB18030 would read as garbage without an error. */
static bool other_cjk(const char *name)
{
	static const char *const names[] = {"EUC-", "SHIFT", "ISO-2022", "UHC", "JOHAB", "CP949"};

	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strncasecmp(name, names[i], strlen(names[i])) == 0)
			return true;
	return false;
}

const char *decode_detect(const char *bytes, size_t n)
{
	char name[64];

	return detect_name(bytes, n, name, sizeof name) ? legacy_of(name) : NULL;
}

const char *decode_option_name(const char *enc)
{
	return strcasecmp(enc, "BIG5") == 0 ? "big5" : "gb18030";
}

/* Whether bytes[0..n) look like UTF-8 with some damage rather than another encoding:
 * more valid 3- and 4-byte sequences (CJK in UTF-8) than invalid ones (a legacy text
 * has almost only invalid ones, and few of its pairs happen to form valid ones). */
static bool mostly_utf8(const char *bytes, size_t n)
{
	const unsigned char *u = (const unsigned char *)bytes;
	size_t wide = 0, bad = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t step = utf8_decode(u + i, n - i, &cp);
		if (cp == UTF8_BAD)
			bad++;
		else if (step >= 3)
			wide++;
		i += step ? step : 1;
	}
	return wide > bad;
}

char *decode_all(const char *enc, const char *bytes, size_t n, size_t *out_n,
		 struct decode_problems *pr)
{
	struct decoder d;
	char *text;

	decoder_init(&d, enc);
	d.checked = true; /* not against what uchardet would say: enc is what it said */
	text = decoder_run(&d, 1, bytes, n, out_n, pr);
	decoder_free(&d);
	return text;
}

enum decode_found decode_found_of(const char *enc)
{
	return strcasecmp(enc, "BIG5") == 0 ? DECODE_FOUND_BIG5 : DECODE_FOUND_GB18030;
}

const char *decode_found_name(int found)
{
	return found == DECODE_FOUND_GB18030 ? DECODE_AUTO_LEGACY
	       : found == DECODE_FOUND_BIG5  ? "BIG5"
					     : NULL;
}

char *decode_auto_file(const char *bytes, size_t n, size_t *out_n, const char **enc,
		       struct decode_problems *pr)
{
	if (!(*enc = decode_legacy_guess(bytes, n)))
		return NULL;
	return decode_all(*enc, bytes, n, out_n, pr);
}

/* bytes[0..n) (not UTF-8) read as enc: a new string when they are that throughout
 * (every byte decoded, no NUL), else NULL. */
static char *decode_throughout(const char *bytes, size_t n, const char *enc)
{
	struct decode_problems pr;
	size_t out_n;
	char *out;

	if (!n || memchr(bytes, '\0', n) || utf8_valid_prefix((const unsigned char *)bytes, n) == n)
		return NULL;
	out = decode_all(enc, bytes, n, &out_n, &pr);
	if (pr.nbad || memchr(out, '\0', out_n)) {
		free(out);
		return NULL;
	}
	return out;
}

char *decode_gb18030_name(const char *bytes, size_t n)
{
	return decode_throughout(bytes, n, DECODE_AUTO_LEGACY);
}

/* Whether bytes[0..n), which read as GB18030, are rather Big5: they read as that too,
 * and a pair has a second byte below 0xA1, seldom GB text (GB2312's characters, nearly
 * all of it, have both bytes from 0xA1) and common in Big5 (新聞: B7 73 BB 44). The
 * text is read as Big5 once, at the first such pair (not at each: a long text's pairs
 * would each read it all again). */
static bool rather_big5(const char *bytes, size_t n)
{
	const unsigned char *u = (const unsigned char *)bytes;

	for (size_t i = 0; i + 1 < n; i++) {
		if (u[i] < 0x81)
			continue;
		if (u[i + 1] < 0xA1) {
			char *big5 = decode_throughout(bytes, n, "BIG5");
			bool read = big5 != NULL;

			free(big5);
			return read;
		}
		i++; /* the pair's second byte */
	}
	return false;
}

const char *decode_legacy_guess(const char *bytes, size_t n)
{
	const char *enc;
	char *gb;
	size_t high = 0;

	if (utf8_valid_prefix((const unsigned char *)bytes, n) == n || mostly_utf8(bytes, n))
		return NULL;
	char name[64];
	if (detect_name(bytes, n, name, sizeof name)) {
		if ((enc = legacy_of(name)) != NULL)
			return enc;
		if (other_cjk(name))
			return NULL;
	}
	for (size_t i = 0; i < n; i++)
		high += (unsigned char)bytes[i] >= 0x80;
	/* without uchardet, with too few bytes for it to tell (it then names any code page:
	 * a title of two characters), or when it names no CJK encoding (a GBK text whose
	 * first pairs read as UTF-8's: "UTF-8", for bytes that are not), a text a quarter
	 * of whose bytes at least are outside ASCII (not ASCII with a few damaged bytes)
	 * that is GB18030 throughout is taken for it; Big5 when it reads as that too and
	 * its second bytes say so */
	if (high * 4 < n)
		return NULL;
	if (rather_big5(bytes, n))
		return "BIG5";
	if ((gb = decode_gb18030_name(bytes, n)) == NULL)
		return NULL;
	free(gb);
	return DECODE_AUTO_LEGACY;
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
	return d->enc ? d->enc : d->detected ? d->detected : DECODE_AUTO_LEGACY;
}

/* An encoding given: say once when the first bytes read look like another (Big5 and
 * GB18030 read each other's bytes with few errors, as garbage). */
static void check_told(struct decoder *d, struct decode_problems *pr, size_t line, const char *s,
		       size_t n)
{
	const char *seen = decode_detect(s, n);

	d->checked = true;
	if (!seen || strcasecmp(seen, d->enc) == 0 ||
	    (strcmp(seen, "GB18030") == 0 && strncasecmp(d->enc, "GB", 2) == 0) ||
	    (strcmp(seen, "BIG5") == 0 &&
	     (strncasecmp(d->enc, "BIG5", 4) == 0 || strcasecmp(d->enc, "CP950") == 0)))
		return;
	pr->told_unlike = seen;
	pr->told_unlike_line = line;
}

/* Automatic choice: detect the legacy encoding of s[0..n) (text that is not UTF-8) if
 * none is known yet, and report it in pr; the converter follows it. */
static void detect_legacy(struct decoder *d, struct decode_problems *pr, size_t line, const char *s,
			  size_t n)
{
	if (d->enc || d->detected || !(d->detected = decode_detect(s, n)))
		return;
	if (d->cd && (iconv_t)d->cd != NO_CD)
		iconv_close((iconv_t)d->cd);
	d->cd = NULL;
	d->detected_line = line;
	if (d->quiet_detect)
		return;
	pr->detected = d->detected;
	pr->detected_line = line;
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

/* ---------------------------------------------------------------------------
 * GB18030's two-byte characters by table: what iconv makes of each, asked once
 */

/* A two-byte sequence's UTF-8 as iconv converts it; len 0: not one iconv converts
 * alone (left to iconv, which says why). */
struct gb_char {
	unsigned char len;
	char utf8[4];
};

#define GB_LEADS 126  /* 0x81 to 0xFE */
#define GB_TRAILS 191 /* 0x40 to 0xFE (0x7F never converts) */

static struct gb_char *gb_table;
static pthread_once_t gb_once = PTHREAD_ONCE_INIT;

/* Fill gb_table with iconv's own answers (NULL when GB18030 cannot be opened). */
static void gb_table_build(void)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	struct gb_char *t;

	if (cd == NO_CD)
		return;
	t = xcalloc((size_t)GB_LEADS * GB_TRAILS, sizeof *t);
	for (int lead = 0; lead < GB_LEADS; lead++)
		for (int trail = 0; trail < GB_TRAILS; trail++) {
			char in[2] = {(char)(0x81 + lead), (char)(0x40 + trail)}, out[8];
			char *ip = in, *op = out;
			size_t il = 2, ol = sizeof out;
			struct gb_char *g = &t[lead * GB_TRAILS + trail];

			iconv(cd, NULL, NULL, NULL, NULL);
			if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il ||
			    (size_t)(op - out) > sizeof g->utf8)
				continue;
			g->len = (unsigned char)(op - out);
			memcpy(g->utf8, out, g->len);
		}
	iconv_close(cd);
	gb_table = t;
}

/* Whether d converts by the table: GB18030 (not told otherwise, not turned off). */
static bool use_table(const struct decoder *d)
{
	if (d->iconv_only || strcasecmp(decoder_name(d), "GB18030") != 0)
		return false;
	pthread_once(&gb_once, gb_table_build);
	return gb_table != NULL;
}

/* Convert the start of s[0..n) by the table to b: ASCII and the two-byte characters
 * iconv converts alone, up to the first other byte; returns how many bytes were read
 * (iconv goes on from there: GB18030 keeps no state between characters). */
static size_t convert_table(struct strbuf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	char *out;

	vec_reserve(&b->s, &b->cap, b->n + n * 2 + 16, 1); /* 2 bytes: at most 3 */
	out = b->s + b->n;
	while (i < n) {
		unsigned char c = u[i];

		if (c < 0x80) {
			*out++ = (char)c;
			i++;
			continue;
		}
		if (c == 0x80 || c == 0xFF || i + 1 >= n || u[i + 1] < 0x40 || u[i + 1] == 0xFF)
			break;
		const struct gb_char *g = &gb_table[(c - 0x81) * GB_TRAILS + (u[i + 1] - 0x40)];
		if (!g->len)
			break;
		memcpy(out, g->utf8, 4);
		out += g->len;
		i += 2;
	}
	b->n = (size_t)(out - b->s);
	b->s[b->n] = '\0';
	return i;
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
	if (use_table(d)) {
		size_t k = convert_table(b, s, n);
		in += k;
		left -= k;
	}
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

/* Decode one line (with its LF, if any) of the automatic choice: valid UTF-8 stays,
 * except 2-byte sequences that also read as the detected legacy encoding. */
static size_t decode_auto_line(struct decoder *d, struct strbuf *b, const char *s, size_t n,
			       size_t line)
{
	enum line_kind k = classify(s, n);
	size_t bad;

	if (k == LINE_UTF8_SHORT && (d->detected || !decode_can_detect())) {
		bad = convert(d, b, s, n, true);
		if (bad == 0) {
			if (!d->legacy_line)
				d->legacy_line = line;
			return 0;
		}
		k = LINE_UTF8;
	}
	if (k == LINE_ASCII || k == LINE_UTF8) {
		if (k != LINE_ASCII && !d->utf8_line)
			d->utf8_line = line;
		sb_append(b, s, n);
		return 0;
	}
	if (!d->legacy_line)
		d->legacy_line = line;
	return convert(d, b, s, n, false);
}

char *decoder_run(struct decoder *d, size_t first_line, const char *bytes, size_t n, size_t *out_n,
		  struct decode_problems *pr)
{
	struct strbuf b = {NULL, 0, 0};
	size_t line = first_line, first_bad = 0, nbad = 0, pos = 0;

	memset(pr, 0, sizeof *pr);
	if (!d->enc && !d->detected && utf8_valid_prefix((const unsigned char *)bytes, n) < n)
		detect_legacy(d, pr, first_line, bytes, n);
	else if (d->enc && !d->checked)
		check_told(d, pr, first_line, bytes, n);
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

void decoder_start_second(struct decoder *d)
{
	d->quiet_detect = true;
	d->checked = true;
}

/* The smaller of a and b that is not 0 (0 if both are). */
static size_t first_of(size_t a, size_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

bool decoder_follows(const struct decoder *first, const struct decoder *second)
{
	if (first->enc) /* given: the same converter; the check done by the first part */
		return first->checked;
	/* continuing, first would have read every line in the encoding it detected: so
	 * must second, detecting the same before any line not ASCII */
	if (!first->detected || !second->detected || strcmp(first->detected, second->detected))
		return false;
	size_t before = first_of(second->utf8_line, second->legacy_line);
	if (before && before < second->detected_line)
		return false;
	/* and said "mixed encodings" where first would have (never, or the same lines) */
	bool utf8 = first->utf8_line || second->utf8_line;
	bool legacy = first->legacy_line || second->legacy_line;
	bool would = !first->mixed_reported && utf8 && legacy;
	if (would != second->mixed_reported)
		return false;
	return !would || (!first->utf8_line && !first->legacy_line);
}

void decoder_continue(struct decoder *d, const struct decoder *first)
{
	d->detected = first->detected;
	d->detected_line = first->detected_line;
	d->utf8_line = first->utf8_line;
	d->legacy_line = first->legacy_line;
	d->mixed_reported = first->mixed_reported;
	d->checked = first->checked;
}
