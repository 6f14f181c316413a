/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fold.c: search keys that ignore case, width and Traditional/Simplified form. */
#include <config.h>

#include "fold.h"
#include "i18n.h"

#include "opencc_compat.h"
#include <stdint.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unigbrk.h>
#include <uninorm.h>
#include <unistr.h>

#include "strbuf.h"
#include "xalloc.h"

typedef VEC(size_t) offsets;

/* The Han blocks whose Traditional characters have Simplified forms. */
#define HAN_FIRST 0x3400u
#define HAN_LAST 0xFAFFu

/* to_simplified[cp - HAN_FIRST]: the Simplified form of cp, or 0 when it is its own. */
static uint32_t *to_simplified;
static bool ts_loaded;
static char ts_problem[160];

/* The blocks asked about: CJK Extension A, Unified Ideographs, Compatibility Ideographs. */
static const uint32_t han_blocks[][2] = {
	{0x3400, 0x4DBF},
	{0x4E00, 0x9FFF},
	{0xF900, 0xFAFF},
};

/* Ask OpenCC (t2s) once for the Simplified form of every character of the Han blocks,
 * one per line, and keep the answers that are a single other character. */
static void load_ts_table(void)
{
	struct strbuf all = {0};
	opencc_t cc;

	ts_loaded = true;
	cc = opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
	if (cc == (opencc_t)-1) {
		snprintf(ts_problem, sizeof ts_problem,
			 _("Traditional/Simplified matching is off: OpenCC's %s cannot be loaded"),
			 OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
		return;
	}
	for (size_t b = 0; b < sizeof han_blocks / sizeof han_blocks[0]; b++)
		for (uint32_t cp = han_blocks[b][0]; cp <= han_blocks[b][1]; cp++) {
			uint8_t buf[6];
			int len = u8_uctomb(buf, cp, sizeof buf);
			sb_append(&all, (const char *)buf, (size_t)len);
			sb_putc(&all, '\n');
		}
	char *out = opencc_convert_utf8(cc, all.s, all.n);
	to_simplified = xcalloc(HAN_LAST - HAN_FIRST + 1, sizeof *to_simplified);
	/* Walk the question and the answer line by line, side by side. */
	const uint8_t *q = (const uint8_t *)all.s, *a = (const uint8_t *)out;
	while (a && *q && *a) {
		ucs4_t trad, simp;
		int qlen = u8_strmbtouc(&trad, q);
		int alen = u8_strmbtouc(&simp, a);
		if (qlen <= 0 || alen <= 0)
			break;
		if (a[alen] == '\n' && simp != trad && trad >= HAN_FIRST && trad <= HAN_LAST)
			to_simplified[trad - HAN_FIRST] = simp;
		q = (const uint8_t *)strchr((const char *)q, '\n') + 1;
		const char *nl = strchr((const char *)a, '\n');
		if (!nl)
			break;
		a = (const uint8_t *)nl + 1;
	}
	if (out)
		opencc_convert_utf8_free(out);
	opencc_close(cc);
	sb_free(&all);
}

const char *fold_ts_problem(void)
{
	if (!ts_loaded)
		load_ts_table();
	return ts_problem[0] ? ts_problem : NULL;
}

static uint32_t simplified(uint32_t cp)
{
	if (cp >= HAN_FIRST && cp <= HAN_LAST && to_simplified && to_simplified[cp - HAN_FIRST])
		return to_simplified[cp - HAN_FIRST];
	return cp;
}

/* A key being made: its bytes, with the map when asked for, until it holds limit bytes. */
struct key_out {
	struct strbuf key;
	offsets from, to;
	bool map;
	size_t limit;
};

/* Write cp as UTF-8 at p (room for 4 bytes); returns its length. */
static size_t put_utf8(uint8_t *p, uint32_t cp)
{
	if (cp < 0x80) {
		p[0] = (uint8_t)cp;
		return 1;
	}
	if (cp < 0x800) {
		p[0] = (uint8_t)(0xC0 | cp >> 6);
		p[1] = (uint8_t)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		p[0] = (uint8_t)(0xE0 | cp >> 12);
		p[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
		p[2] = (uint8_t)(0x80 | (cp & 0x3F));
		return 3;
	}
	p[0] = (uint8_t)(0xF0 | cp >> 18);
	p[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
	p[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
	p[3] = (uint8_t)(0x80 | (cp & 0x3F));
	return 4;
}

/* Append the UTF-8 bytes of key code point cp (a valid one, below 0x110000), mapped to
 * the cluster [cl_from, cl_to). */
static void put_key(struct key_out *o, uint32_t cp, size_t cl_from, size_t cl_to)
{
	if (o->key.n + 4 >= o->key.cap)
		vec_reserve(&o->key.s, &o->key.cap, o->key.n + 5, 1);
	size_t len = put_utf8((uint8_t *)o->key.s + o->key.n, cp);
	o->key.n += len;
	for (size_t i = 0; o->map && i < len; i++) {
		VEC_PUSH(&o->from, cl_from);
		VEC_PUSH(&o->to, cl_to);
	}
}

/* Whether the cluster s[start, end) is one code point that folds without u8_casefold:
 * ASCII or unified Han. */
static bool is_plain(const uint8_t *s, size_t start, size_t end, ucs4_t *cp)
{
	int len = u8_mbtouc(cp, s + start, end - start);
	return (size_t)len == end - start && (*cp < 0x80 || (*cp >= 0x3400 && *cp <= 0x9FFF));
}

/* Fold one cluster: ASCII and unified Han fast, the rest through u8_casefold. */
static void fold_cluster(struct key_out *o, const uint8_t *s, size_t start, size_t end)
{
	uint8_t small[64];
	size_t n = sizeof small;
	ucs4_t cp;

	if (is_plain(s, start, end, &cp)) {
		put_key(o, simplified(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp), start, end);
		return;
	}
	uint8_t *folded = u8_casefold(s + start, end - start, NULL, UNINORM_NFKC, small, &n);
	if (!folded)
		return;
	for (size_t i = 0; i < n;) {
		int k = u8_mbtouc(&cp, folded + i, n - i);
		put_key(o, simplified(cp), start, end);
		i += (size_t)k;
	}
	if (folded != small)
		free(folded);
}

/* What folding a code point costs (struct cp_info's kind; bmp_kind caches it for the
 * BMP). Only code points of grapheme cluster break property Other, LF and Control are
 * a cluster of their own between two such neighbours (UAX #29: GB4 and GB5 break around
 * controls; Other joins nothing that is Other, LF or Control); the rest may join. */
enum {
	CP_UNKNOWN, /* not looked at yet */
	CP_JOINS,   /* may share a cluster with a neighbour: folded with u8_grapheme_breaks */
	CP_ALONE,   /* a cluster of its own whose key is not one code point: u8_casefold */
	CP_KEY	    /* CP_KEY + k: a cluster of its own whose key is the code point k */
};
/* Filled as code points are met, by every thread folding: relaxed atomics (a plain
 * load and store on common machines), as threads that meet the same code point at once
 * store the same value. */
static _Atomic uint32_t *bmp_kind;

/* The kind of code point cp (see CP_JOINS), computed the slow way. */
static uint32_t classify(ucs4_t cp)
{
	uint8_t buf[6], key[64];
	size_t n = sizeof key;
	ucs4_t k;
	int prop = uc_graphemeclusterbreak_property(cp);

	if (prop != GBP_OTHER && prop != GBP_LF && prop != GBP_CONTROL)
		return CP_JOINS;
	int len = u8_uctomb(buf, cp, sizeof buf);
	if (len <= 0)
		return CP_JOINS;
	if (is_plain(buf, 0, (size_t)len, &k))
		return CP_KEY + simplified(k >= 'A' && k <= 'Z' ? k + 32 : k);
	uint8_t *folded = u8_casefold(buf, (size_t)len, NULL, UNINORM_NFKC, key, &n);
	if (folded != key) {
		free(folded);
		return CP_ALONE;
	}
	return n > 0 && u8_mbtouc(&k, key, n) == (int)n ? CP_KEY + simplified(k) : CP_ALONE;
}

/* One code point of the text: its length in bytes and its kind. */
struct cp_info {
	size_t len;
	uint32_t kind;
};

/* Decode the well-formed two- or three-byte sequence at s (n bytes there) into *cp;
 * returns its length, or 0 for anything else. */
static int decode_bmp(const uint8_t *s, size_t n, ucs4_t *cp)
{
	if (s[0] >= 0xC2 && s[0] < 0xE0 && n >= 2 && (s[1] & 0xC0) == 0x80) {
		*cp = (ucs4_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] >= 0xE0 && s[0] < 0xF0 && n >= 3 && (s[1] & 0xC0) == 0x80 &&
	    (s[2] & 0xC0) == 0x80) {
		*cp = (ucs4_t)(s[0] & 0x0F) << 12 | (ucs4_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
		/* Not overlong, not a surrogate. */
		return *cp >= 0x800 && (*cp < 0xD800 || *cp > 0xDFFF) ? 3 : 0;
	}
	return 0;
}

/* Read the code point at s[i] (i < n); bytes that are not UTF-8 count as CP_JOINS. */
static struct cp_info read_cp(const uint8_t *s, size_t i, size_t n)
{
	ucs4_t cp;

	if (s[i] < 0x80)
		return (struct cp_info){
			1, s[i] == '\r'
				   ? CP_JOINS
				   : CP_KEY + (s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32u : s[i])};
	int len = decode_bmp(s + i, n - i, &cp);
	if (len == 0) {
		len = u8_mbtoucr(&cp, s + i, n - i);
		if (len <= 0)
			return (struct cp_info){1, CP_JOINS};
		if (cp > 0xFFFF)
			return (struct cp_info){(size_t)len, classify(cp)};
	}
	uint32_t kind = atomic_load_explicit(&bmp_kind[cp], memory_order_relaxed);
	if (!kind) {
		kind = classify(cp);
		atomic_store_explicit(&bmp_kind[cp], kind, memory_order_relaxed);
	}
	return (struct cp_info){(size_t)len, kind};
}

/* Whether the code point at s[i] may join a neighbour (false at the end). */
static bool joins_at(const uint8_t *s, size_t i, size_t n)
{
	return i < n && read_cp(s, i, n).kind == CP_JOINS;
}

/* The end of the stretch from i that must be cut into clusters the slow way: code points
 * that may join, each code point between them and the one before and after them. It ends
 * after a code point that does not join and is followed by another (or the end), so the
 * clusters found in it are those of the whole text. */
static size_t slow_stretch_end(const uint8_t *s, size_t i, size_t n)
{
	while (i < n) {
		struct cp_info c = read_cp(s, i, n);
		i += c.len;
		if (c.kind != CP_JOINS && !joins_at(s, i, n))
			return i;
	}
	return n;
}

/* Fold s[start, end) cluster by cluster, with u8_grapheme_breaks; returns where it
 * stopped (end, or earlier once the key is long enough). */
static size_t fold_slow(struct key_out *o, const uint8_t *s, size_t start, size_t end)
{
	char small[256];
	size_t n = end - start;
	char *brk = n <= sizeof small ? small : xmalloc(n);

	u8_grapheme_breaks(s + start, n, brk);
	size_t from = start;
	while (from < end && o->key.n < o->limit) {
		size_t to = from + 1;
		while (to < end && !brk[to - start])
			to++;
		fold_cluster(o, s, from, to);
		from = to;
	}
	if (brk != small)
		free(brk);
	return from;
}

/* Fold s[0, n) into o, code point by code point where each is a cluster of its own. */
static void fold_into(struct key_out *o, const uint8_t *s, size_t n)
{
	size_t i = 0;
	struct cp_info cur = n ? read_cp(s, 0, n) : (struct cp_info){0, CP_JOINS};

	while (i < n && o->key.n < o->limit) {
		size_t next = i + cur.len;
		struct cp_info after = next < n ? read_cp(s, next, n) : (struct cp_info){0, CP_KEY};
		if (cur.kind == CP_JOINS || after.kind == CP_JOINS) {
			i = fold_slow(o, s, i, slow_stretch_end(s, i, n));
			if (i < n)
				cur = read_cp(s, i, n);
			continue;
		}
		if (cur.kind == CP_ALONE)
			fold_cluster(o, s, i, next);
		else
			put_key(o, cur.kind - CP_KEY, i, next);
		i = next;
		cur = after;
	}
}

void fold_prepare(void)
{
	if (!ts_loaded)
		load_ts_table();
	if (!bmp_kind)
		bmp_kind = xcalloc(0x10000, sizeof *bmp_kind);
}

/* Fold n bytes of s with the map when asked for, until the key holds limit bytes. */
static void fold(struct folded *out, const char *s, size_t n, bool map, size_t limit)
{
	struct key_out o = {.map = map, .limit = limit};

	fold_prepare();
	vec_reserve(&o.key.s, &o.key.cap, n + 16, 1);
	fold_into(&o, (const uint8_t *)s, n);
	o.key.s[o.key.n] = '\0';
	out->s = o.key.s;
	out->n = o.key.n;
	out->from = map ? o.from.v : NULL;
	out->to = map ? o.to.v : NULL;
}

void fold_text(struct folded *out, const char *s, size_t n, bool map)
{
	fold(out, s, n, map, SIZE_MAX);
}

void fold_text_prefix(struct folded *out, const char *s, size_t n, size_t limit)
{
	fold(out, s, n, true, limit);
}

void folded_free(struct folded *f)
{
	free(f->s);
	free(f->from);
	free(f->to);
	memset(f, 0, sizeof *f);
}
