/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text.c: turning untrusted bytes into valid, display-safe UTF-8 (doc/LAYOUT.md §1, §4). */
#include <config.h>

#include "text.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unigbrk.h>
#include <wchar.h>

#include "utf8.h"
#include "xalloc.h"

#define REPLACEMENT 0xFFFDu
#define NBSP 0x00A0u
#define CLUSTER_MAX 5	/* code points per cluster: ncurses' CCHARW_MAX */
#define FIXUP_ROUNDS 16 /* bound on re-running the cluster pass */

/* A growing display text under construction. */
struct dbuf {
	char *s;
	unsigned char *flags;
	size_t n, cap, fcap;
};

/* Decode one code point, U+FFFD for each maximal ill-formed subpart. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len = utf8_decode(s, n, cp);
	if (*cp == UTF8_BAD)
		*cp = REPLACEMENT;
	return len;
}

static void dbuf_put(struct dbuf *b, const char *p, size_t n, unsigned char flag)
{
	vec_reserve(&b->s, &b->cap, b->n + n + 1, 1);
	vec_reserve(&b->flags, &b->fcap, b->n + n + 1, 1);
	memcpy(b->s + b->n, p, n);
	memset(b->flags + b->n, flag, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void dbuf_put_cp(struct dbuf *b, uint32_t cp, unsigned char flag)
{
	char u[4];
	size_t len = utf8_encode(cp, u);

	dbuf_put(b, u, len, flag);
}

static bool is_bidi_control(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Invisible characters dropped outright (doc/LAYOUT.md §4). */
static bool is_invisible(uint32_t cp)
{
	if ((cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) || cp == 0xFEFF ||
	    cp == 0x00AD)
		return true;
	if (cp >= 0xE0000 && cp <= 0xE007F) /* tags */
		return true;
	if (uc_is_property_variation_selector(cp) || uc_is_property_emoji_modifier(cp))
		return true;
	/* Any other zero-width format control (U+180E, U+206A–206F, U+FFF9–FFFB...). */
	return cp >= 0x80 && uc_graphemeclusterbreak_property(cp) == GBP_CONTROL &&
	       wcwidth((wchar_t)cp) == 0;
}

/* Whether the sanitizer may copy runs of kept code points at once and skip work that
 * cannot change a simple text (text_set_fast). */
static bool fast = true;

void text_set_fast(bool on)
{
	fast = on;
}

/*
 * What the sanitizer does with a code point and what layout needs to know of it, in a
 * byte: computed by cp_classify, cached for the BMP a page of 256 at a time (cp_info).
 */
#define CPI_KEEP 0u    /* copied as it is */
#define CPI_SPECIAL 1u /* C0, DEL, C1, CR, U+2028, U+2029 or bidi/invisible: map_code_points */
#define CPI_REPLACE 2u /* unprintable: becomes U+FFFD */
#define CPI_ACTION 3u
#define CPI_SIMPLE 4u /* a grapheme cluster by itself beside any other simple code point */
#define CPI_WIDTH(info) ((int)((info) >> 3)) /* wcwidth, a negative one counted as 1 */

/* A code point whose grapheme cluster break property is Other (or an LF or a TAB) and
 * that is no Extended_Pictographic: between two such there is always a cluster
 * boundary (UAX #29 GB4, GB5, GB999), and none needs a base. */
static bool is_simple(uint32_t cp)
{
	return (cp == '\n' || cp == '\t' || uc_graphemeclusterbreak_property(cp) == GBP_OTHER) &&
	       !uc_is_property_extended_pictographic(cp);
}

static unsigned char cp_classify(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);
	unsigned char info;

	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == '\r' || cp == 0x2028 ||
	    cp == 0x2029 || is_bidi_control(cp) || is_invisible(cp))
		info = CPI_SPECIAL;
	else
		info = w < 0 ? CPI_REPLACE : CPI_KEEP;
	if (is_simple(cp))
		info |= CPI_SIMPLE;
	return (unsigned char)(info | (w < 0 ? 1 : w) << 3);
}

static unsigned char cpi_table[0x10000];
static atomic_uchar cpi_ready[0x100];
static pthread_mutex_t cpi_lock = PTHREAD_MUTEX_INITIALIZER;

/* cp_info of a code point whose page is not cached yet, or outside the BMP. */
static unsigned char cp_info_slow(uint32_t cp)
{
	unsigned page = cp >> 8;

	if (cp >= 0x10000)
		return cp_classify(cp);
	if (!atomic_load_explicit(&cpi_ready[page], memory_order_acquire)) {
		if (MB_CUR_MAX == 1) /* widths before the locale is set are not kept */
			return cp_classify(cp);
		pthread_mutex_lock(&cpi_lock);
		if (!atomic_load_explicit(&cpi_ready[page], memory_order_relaxed)) {
			for (uint32_t c = page << 8; c < (page + 1) << 8; c++)
				cpi_table[c] = cp_classify(c);
			atomic_store_explicit(&cpi_ready[page], 1, memory_order_release);
		}
		pthread_mutex_unlock(&cpi_lock);
	}
	return cpi_table[cp];
}

/* What cp_classify says of cp, from the cache when the locale is multibyte (widths are
 * the locale's: the process sets its locale once, before it shows any text). */
static inline unsigned char cp_info(uint32_t cp)
{
	if (cp < 0x10000 && atomic_load_explicit(&cpi_ready[cp >> 8], memory_order_acquire))
		return cpi_table[cp];
	return cp_info_slow(cp);
}

/* Append cp; *simple stays true while every code point appended is simple. */
static void put_cp(struct dbuf *b, uint32_t cp, unsigned char flag, bool *simple)
{
	dbuf_put_cp(b, cp, flag);
	if (*simple && !(cp_info(cp) & CPI_SIMPLE))
		*simple = false;
}

/* A three-byte sequence that needs no more checks than its continuation bytes (lead byte
 * E1-EC or EE-EF: most of CJK), decoded in place: returns 3, or 0 for anything else. */
static size_t decode3(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n < 3 || s[0] < 0xE1 || s[0] > 0xEF || s[0] == 0xED || (s[1] & 0xC0) != 0x80 ||
	    (s[2] & 0xC0) != 0x80)
		return 0;
	*cp = (uint32_t)(s[0] & 0x0F) << 12 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
	return 3;
}

/* The end of the run of code points from s[i] that the first pass keeps as they are
 * (printable ASCII, and valid code points cp_info says CPI_KEEP); clears *simple when
 * one of them is not simple. */
static size_t kept_run(const unsigned char *s, size_t i, size_t n, bool *simple)
{
	while (i < n) {
		uint32_t cp;
		size_t len;

		if (s[i] >= 0x20 && s[i] < 0x7F) {
			i++;
			continue;
		}
		if (s[i] < 0x80)
			break;
		len = decode3(s + i, n - i, &cp);
		if (!len)
			len = utf8_decode(s + i, n - i, &cp);
		if (cp == UTF8_BAD)
			break;
		unsigned char info = cp_info(cp);
		if ((info & CPI_ACTION) != CPI_KEEP)
			break;
		if (!(info & CPI_SIMPLE))
			*simple = false;
		i += len;
	}
	return i;
}

/*
 * First pass: decode s and append every code point to b, mapped by the rules of
 * doc/LAYOUT.md §4 that need no cluster context. ZWJ is dropped like the other
 * invisible characters, so an emoji ZWJ sequence shows as its separate emoji and
 * the terminal cannot draw it narrower than ncurses counts it. Returns whether every
 * code point appended is simple (then the second pass has nothing to do).
 */
static bool map_code_points(struct dbuf *b, const unsigned char *s, size_t n)
{
	size_t i = 0;
	bool simple = fast;

	if (fast)
		vec_reserve(&b->s, &b->cap, n + 1, 1), vec_reserve(&b->flags, &b->fcap, n + 1, 1);
	while (i < n) {
		uint32_t cp;
		size_t len;

		if (fast) {
			size_t end = kept_run(s, i, n, &simple);
			if (end > i)
				dbuf_put(b, (const char *)s + i, end - i, 0);
			i = end;
			if (i == n)
				break;
		}
		len = decode(s + i, n - i, &cp);
		i += len;
		if (cp == '\n' || cp == '\t') {
			put_cp(b, cp, 0, &simple);
		} else if (cp == '\r' || cp == 0x2028 || cp == 0x2029) {
			if (cp == '\r' && i < n && s[i] == '\n')
				i++;
			cp = '\n';
			put_cp(b, cp, 0, &simple);
		} else if (cp < 0x20 || cp == 0x7F) {
			char caret[2] = {'^', (char)(cp ^ 0x40)};

			dbuf_put(b, caret, 2, DTEXT_CARET);
		} else if (cp >= 0x80 && cp <= 0x9F) {
			cp = REPLACEMENT;
			put_cp(b, cp, 0, &simple);
		} else if (is_bidi_control(cp) || is_invisible(cp)) {
			continue;
		} else {
			if (wcwidth((wchar_t)cp) < 0)
				cp = REPLACEMENT;
			put_cp(b, cp, 0, &simple);
		}
	}
	return simple;
}

/* A code point that can only extend a cluster: it needs a base before it. */
static bool needs_base(uint32_t cp)
{
	int gbp = uc_graphemeclusterbreak_property(cp);

	return gbp == GBP_EXTEND || gbp == GBP_SPACINGMARK || gbp == GBP_ZWJ;
}

/*
 * Second pass: give a base (U+00A0) to clusters that start with a combining
 * mark, and cut clusters to CLUSTER_MAX code points. A mark never attaches to
 * caret text. Writes the result to out; returns whether anything changed.
 */
static bool fix_clusters(struct dbuf *out, const struct dbuf *in)
{
	const unsigned char *s = (const unsigned char *)in->s;
	char *brk = xmalloc(in->n ? in->n : 1);
	bool changed = false;
	size_t i = 0, ncp = 0;
	bool after_caret = false;

	if (in->n)
		u8_grapheme_breaks(s, in->n, brk);
	while (i < in->n) {
		uint32_t cp;
		size_t len = decode(s + i, in->n - i, &cp);
		bool start = i == 0 || brk[i] || after_caret;

		if (start) {
			ncp = 0;
			if (needs_base(cp)) {
				dbuf_put_cp(out, NBSP, 0);
				ncp = 1;
				changed = true;
			}
		}
		after_caret = (in->flags[i] & DTEXT_CARET) != 0;
		if (ncp < CLUSTER_MAX) {
			dbuf_put(out, in->s + i, len, in->flags[i]);
			ncp++;
		} else {
			changed = true;
		}
		i += len;
	}
	if (out->s)
		out->s[out->n] = '\0';
	free(brk);
	return changed;
}

void dtext_sanitize(struct dtext *out, const char *s, size_t n)
{
	struct dbuf a = {0}, b = {0};
	int round;
	bool simple = map_code_points(&a, (const unsigned char *)s, n);

	/* Cutting a cluster can let its remains join the next one: repeat until stable. A
	 * simple text is one cluster a code point, none of them a mark: nothing to do. */
	for (round = 0; !simple && round < FIXUP_ROUNDS; round++) {
		struct dbuf t;

		b.n = 0;
		if (!fix_clusters(&b, &a))
			break;
		t = a;
		a = b;
		b = t;
	}
	free(b.s);
	free(b.flags);
	dbuf_put(&a, "", 0, 0); /* the terminating NUL, also of an empty text */
	out->s = a.s;
	out->flags = a.flags;
	out->n = a.n;
	out->simple = simple;
}

/* Ambiguous-width punctuation and the forms every terminal and wcwidth() agree on. */
static const struct {
	uint32_t from, to;
} wide_safe[] = {
	{0x2026, 0x22EF}, /* … -> ⋯ */
	{0x00B7, 0x30FB}, /* · -> ・ */
	{0x2022, 0x30FB}, /* • -> ・ */
	{0x201C, 0x300C}, /* “ -> 「 */
	{0x201D, 0x300D}, /* ” -> 」 */
	{0x2018, 0x300E}, /* ‘ -> 『 */
	{0x2019, 0x300F}, /* ’ -> 』 */
	{0x2014, 0xFF0D}, /* — -> － */
	{0xFFFD, '?'},	  /* U+FFFD is ambiguous itself */
	/* The box drawing of the story map's tree, as ASCII (tree --charset=ascii). */
	{0x2500, '-'},
	{0x2502, '|'},
	{0x251C, '|'},
	{0x2514, '`'},
};

void dtext_wide_safe(struct dtext *t)
{
	struct dbuf b = {0};
	size_t i = 0;
	bool simple = t->simple;

	while (i < t->n) {
		uint32_t cp;
		size_t len = decode((const unsigned char *)t->s + i, t->n - i, &cp);
		size_t k = 0;
		while (k < ARRAY_LEN(wide_safe) && wide_safe[k].from != cp)
			k++;
		if (k < ARRAY_LEN(wide_safe))
			put_cp(&b, wide_safe[k].to, t->flags[i], &simple);
		else
			dbuf_put(&b, t->s + i, len, t->flags[i]);
		i += len;
	}
	if (!b.s)
		dbuf_put(&b, "", 0, 0);
	dtext_free(t);
	t->s = b.s;
	t->flags = b.flags;
	t->n = b.n;
	t->simple = simple;
}

void dtext_one_line(struct dtext *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->s[i] == '\t' || t->s[i] == '\n')
			t->s[i] = ' ';
}

void dtext_free(struct dtext *t)
{
	free(t->s);
	free(t->flags);
	t->s = NULL;
	t->flags = NULL;
	t->n = 0;
	t->simple = false;
}

int text_cluster_width(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int w = 0;

	while (i < n) {
		uint32_t cp;
		int cw;

		if (fast && p[i] >= 0x20 && p[i] < 0x7F) {
			w++;
			i++;
			continue;
		}
		if (fast) {
			size_t len = decode3(p + i, n - i, &cp);
			i += len ? len : decode(p + i, n - i, &cp);
			w += CPI_WIDTH(cp_info(cp));
			continue;
		}
		i += decode(p + i, n - i, &cp);
		cw = wcwidth((wchar_t)cp);
		w += cw < 0 ? 1 : cw;
	}
	return w;
}

void text_put_safe(FILE *f, const char *s, size_t n)
{
	struct dtext t;
	bool simple = true;

	/* a text the sanitizer keeps as it is (no TAB, no LF: kept_run stops at them) is
	 * written as it is, without a copy: a --list of millions of titles */
	if (fast && kept_run((const unsigned char *)s, 0, n, &simple) == n && simple) {
		fwrite(s, 1, n, f);
		return;
	}
	dtext_sanitize(&t, s, n);
	dtext_one_line(&t);
	fwrite(t.s, 1, t.n, f);
	dtext_free(&t);
}

/* Whether text_escape_name shows the n bytes at s as they are. */
static bool name_plain(const char *s, size_t n)
{
	bool simple = true;

	return kept_run((const unsigned char *)s, 0, n, &simple) == n && !memchr(s, '\\', n);
}

bool text_escape_name(struct strbuf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	bool escaped = false;
	size_t i = 0;

	if (name_plain(s, n)) {
		sb_append(out, s, n);
		sb_cstr(out);
		return false;
	}

	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);

		if (cp == UTF8_BAD) {
			for (size_t j = 0; j < len; j++)
				sb_printf(out, "\\x%02X", p[i + j]);
		} else if (cp == '\\') {
			sb_puts(out, "\\\\");
		} else if ((cp_info(cp) & CPI_ACTION) == CPI_KEEP) {
			sb_append(out, s + i, len);
			i += len;
			continue;
		} else if (cp < 0x80) {
			sb_printf(out, "\\x%02X", (unsigned)cp);
		} else {
			sb_printf(out, "\\u{%04X}", (unsigned)cp);
		}
		escaped = true;
		i += len;
	}
	sb_cstr(out);
	return escaped;
}

/* The value of hex digit c, or -1. */
static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

bool text_unescape_name(struct strbuf *out, const char *shown)
{
	size_t start = out->n;
	const char *p = shown;

	if (!strchr(shown, '\\'))
		return false;
	while (*p) {
		if (*p != '\\') {
			sb_putc(out, *p++);
			continue;
		}
		if (p[1] == '\\') {
			sb_putc(out, '\\');
			p += 2;
		} else if (p[1] == 'x' && hex_value(p[2]) >= 0 && hex_value(p[3]) >= 0) {
			sb_putc(out, (char)(hex_value(p[2]) << 4 | hex_value(p[3])));
			p += 4;
		} else if (p[1] == 'u' && p[2] == '{') {
			uint32_t cp = 0;
			const char *q = p + 3;
			char u[4];
			for (; hex_value(*q) >= 0 && q - p < 3 + 6; q++)
				cp = cp << 4 | (uint32_t)hex_value(*q);
			if (*q != '}' || q == p + 3 || cp > 0x10FFFF ||
			    (cp >= 0xD800 && cp <= 0xDFFF))
				goto bad;
			sb_append(out, u, utf8_encode(cp, u));
			p = q + 1;
		} else {
			goto bad;
		}
	}
	sb_cstr(out);
	return true;
bad:
	out->n = start;
	if (out->s)
		out->s[start] = '\0';
	return false;
}

const char *text_name_shown(struct strbuf *out, const char *s)
{
	sb_clear(out);
	text_escape_name(out, s, strlen(s));
	return sb_cstr(out);
}

void text_put_name(FILE *f, const char *s, size_t n)
{
	struct strbuf b = {0};

	if (name_plain(s, n)) { /* a --list of millions of ids: no copy */
		text_put_safe(f, s, n);
		return;
	}
	text_escape_name(&b, s, n);
	text_put_safe(f, b.s, b.n);
	sb_free(&b);
}
