/* fold.c: search keys that ignore case, width and Traditional/Simplified form. */
#include "fold.h"

#include <opencc/opencc.h>
#include <stdint.h>
#include <stdio.h>
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
			 "Traditional/Simplified matching is off: OpenCC's %s cannot be loaded",
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

/* Append the key bytes of one code point, mapped to the cluster [from, to). */
static void put_key(struct strbuf *key, offsets *from, offsets *to, bool map,
		    uint32_t cp, size_t cl_from, size_t cl_to)
{
	uint8_t buf[6];
	int len = u8_uctomb(buf, simplified(cp), sizeof buf);
	if (len <= 0)
		return;
	sb_append(key, (const char *)buf, (size_t)len);
	for (int i = 0; map && i < len; i++) {
		VEC_PUSH(from, cl_from);
		VEC_PUSH(to, cl_to);
	}
}

/* Fold one cluster: ASCII and unified Han fast, the rest through u8_casefold. */
static void fold_cluster(struct strbuf *key, offsets *from, offsets *to, bool map,
			 const uint8_t *s, size_t start, size_t end)
{
	uint8_t small[64];
	size_t n = sizeof small;
	ucs4_t cp;
	int len = u8_mbtouc(&cp, s + start, end - start);

	if ((size_t)len == end - start && (cp < 0x80 || (cp >= 0x3400 && cp <= 0x9FFF))) {
		put_key(key, from, to, map, cp >= 'A' && cp <= 'Z' ? cp + 32 : cp, start, end);
		return;
	}
	uint8_t *folded = u8_casefold(s + start, end - start, NULL, UNINORM_NFKC, small, &n);
	if (!folded)
		return;
	for (size_t i = 0; i < n;) {
		int k = u8_mbtouc(&cp, folded + i, n - i);
		put_key(key, from, to, map, cp, start, end);
		i += (size_t)k;
	}
	if (folded != small)
		free(folded);
}

void fold_text(struct folded *out, const char *s, size_t n, bool map)
{
	const uint8_t *u = (const uint8_t *)s;
	struct strbuf key = {0};
	offsets from = {0}, to = {0};
	char *brk = xmalloc(n ? n : 1);

	if (!ts_loaded)
		load_ts_table();
	if (n)
		u8_grapheme_breaks(u, n, brk);
	for (size_t start = 0; start < n;) {
		size_t end = start + 1;
		while (end < n && !brk[end])
			end++;
		fold_cluster(&key, &from, &to, map, u, start, end);
		start = end;
	}
	free(brk);
	sb_append(&key, "", 0);
	out->s = key.s;
	out->n = key.n;
	out->from = map ? from.v : NULL;
	out->to = map ? to.v : NULL;
	if (!map) {
		free(from.v);
		free(to.v);
	}
}

void folded_free(struct folded *f)
{
	free(f->s);
	free(f->from);
	free(f->to);
	memset(f, 0, sizeof *f);
}
