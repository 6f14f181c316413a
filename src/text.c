/* text.c: turning untrusted bytes into valid, display-safe UTF-8 (LAYOUT.md §1, §4). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "text.h"

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
#define CLUSTER_MAX 5    /* code points per cluster: ncurses' CCHARW_MAX */
#define FIXUP_ROUNDS 16  /* bound on re-running the cluster pass */

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

static size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static void dbuf_put_cp(struct dbuf *b, uint32_t cp, unsigned char flag)
{
	char u[4];
	size_t len = utf8_encode(cp, u);

	dbuf_put(b, u, len, flag);
}

static bool is_bidi_control(uint32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Invisible characters dropped outright (LAYOUT.md §4). */
static bool is_invisible(uint32_t cp)
{
	if ((cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) ||
	    cp == 0xFEFF || cp == 0x00AD)
		return true;
	if (cp >= 0xE0000 && cp <= 0xE007F) /* tags */
		return true;
	if (uc_is_property_variation_selector(cp) ||
	    uc_is_property_emoji_modifier(cp))
		return true;
	/* Any other zero-width format control (U+180E, U+206A–206F, U+FFF9–FFFB...). */
	return cp >= 0x80 && uc_graphemeclusterbreak_property(cp) == GBP_CONTROL &&
	       wcwidth((wchar_t)cp) == 0;
}

/*
 * First pass: decode s and append every code point to b, mapped by the rules of
 * LAYOUT.md §4 that need no cluster context. ZWJ is dropped like the other
 * invisible characters, so an emoji ZWJ sequence shows as its separate emoji and
 * the terminal cannot draw it narrower than ncurses counts it.
 */
static void map_code_points(struct dbuf *b, const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = decode(s + i, n - i, &cp);

		i += len;
		if (cp == '\n' || cp == '\t') {
			dbuf_put_cp(b, cp, 0);
		} else if (cp == '\r' || cp == 0x2028 || cp == 0x2029) {
			if (cp == '\r' && i < n && s[i] == '\n')
				i++;
			cp = '\n';
			dbuf_put_cp(b, cp, 0);
		} else if (cp < 0x20 || cp == 0x7F) {
			char caret[2] = { '^', (char)(cp ^ 0x40) };

			dbuf_put(b, caret, 2, DTEXT_CARET);
		} else if (cp >= 0x80 && cp <= 0x9F) {
			cp = REPLACEMENT;
			dbuf_put_cp(b, cp, 0);
		} else if (is_bidi_control(cp) || is_invisible(cp)) {
			continue;
		} else {
			if (wcwidth((wchar_t)cp) < 0)
				cp = REPLACEMENT;
			dbuf_put_cp(b, cp, 0);
		}
	}
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
	struct dbuf a = { 0 }, b = { 0 };
	int round;

	map_code_points(&a, (const unsigned char *)s, n);
	/* Cutting a cluster can let its remains join the next one: repeat until stable. */
	for (round = 0; round < FIXUP_ROUNDS; round++) {
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
	if (!a.s)
		dbuf_put(&a, "", 0, 0);
	out->s = a.s;
	out->flags = a.flags;
	out->n = a.n;
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
	{0xFFFD, '?'},    /* U+FFFD is ambiguous itself */
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

	while (i < t->n) {
		uint32_t cp;
		size_t len = decode((const unsigned char *)t->s + i, t->n - i, &cp);
		size_t k = 0;
		while (k < ARRAY_LEN(wide_safe) && wide_safe[k].from != cp)
			k++;
		if (k < ARRAY_LEN(wide_safe))
			dbuf_put_cp(&b, wide_safe[k].to, t->flags[i]);
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
}

void dtext_free(struct dtext *t)
{
	free(t->s);
	free(t->flags);
	t->s = NULL;
	t->flags = NULL;
	t->n = 0;
}

int text_cluster_width(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int w = 0;

	while (i < n) {
		uint32_t cp;
		int cw;

		i += decode(p + i, n - i, &cp);
		cw = wcwidth((wchar_t)cp);
		w += cw < 0 ? 1 : cw;
	}
	return w;
}
