/* SPDX-License-Identifier: GPL-3.0-or-later */
/* utf8.c: validating and repairing UTF-8 once, at load. */
#include <config.h>

#include "utf8.h"

#include <string.h>

#include "xalloc.h"

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
#define REPLACEMENT_LEN 3

size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;
	uint32_t v;

	*cp = UTF8_BAD;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c < 0xC2)
		return 1; /* stray continuation byte or overlong 2-byte lead */
	if (c < 0xE0) {
		need = 1;
		v = c & 0x1Fu;
	} else if (c < 0xF0) {
		need = 2;
		v = c & 0x0Fu;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		else if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c < 0xF5) {
		need = 3;
		v = c & 0x07u;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		else if (c == 0xF4)
			hi = 0x8F; /* beyond U+10FFFF */
	} else {
		return 1; /* 0xF5..0xFF never appear in UTF-8 */
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || s[i] < lo || s[i] > hi)
			return i;
		v = (v << 6) | (s[i] & 0x3Fu);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return need + 1;
}

size_t utf8_valid_prefix(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = s[i];
		if (c < 0x80) {
			/* ASCII: eight bytes at a time while none has its high bit set. */
			while (i + 8 <= n) {
				uint64_t w;
				memcpy(&w, s + i, 8);
				if (w & UINT64_C(0x8080808080808080))
					break;
				i += 8;
			}
			while (i < n && s[i] < 0x80)
				i++;
			continue;
		}
		/* Three bytes, E1..EC or EE..EF then two continuations: all of CJK. */
		if (c >= 0xE1 && c <= 0xEF && c != 0xED && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
		    (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		uint32_t cp;
		size_t k = utf8_decode(s + i, n - i, &cp);
		if (cp == UTF8_BAD)
			return i;
		i += k;
	}
	return n;
}

char *utf8_repair(const char *s, size_t n, size_t *out_n, struct utf8_report *rep)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, o, nbad = 0, first_bad = 0, extra = 0;
	char *out;

	/* First pass: count, so the copy is allocated once at its exact size; the valid
	 * prefix (most often the whole text) needs no counting. */
	for (i = utf8_valid_prefix(u, n); i < n;) {
		uint32_t cp;
		size_t k = utf8_decode(u + i, n - i, &cp);
		if (cp == UTF8_BAD) {
			if (!nbad)
				first_bad = i;
			nbad++;
			extra += REPLACEMENT_LEN - k; /* a subpart is 1 to 3 bytes */
		}
		i += k;
	}
	/* extra <= 2n, and n bytes already exist in memory. */
	out = xmalloc(n + extra + 1);
	if (!nbad) {
		if (n)
			memcpy(out, s, n);
		i = o = n; /* valid: a plain copy */
	} else {
		i = o = 0;
	}
	while (i < n) {
		uint32_t cp;
		size_t k = utf8_decode(u + i, n - i, &cp);
		if (cp != UTF8_BAD) {
			memcpy(out + o, s + i, k);
			o += k;
		} else {
			memcpy(out + o, replacement, REPLACEMENT_LEN);
			o += REPLACEMENT_LEN;
		}
		i += k;
	}
	out[o] = '\0';
	*out_n = o;
	if (rep) {
		rep->nbad = nbad;
		rep->first_bad = first_bad;
	}
	return out;
}
