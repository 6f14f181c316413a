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

/* The length of the longest valid prefix of s[0..n), one code point at a time, with
 * runs of ASCII eight bytes at a time and the three-byte sequences of CJK checked inline:
 * the reference the vector version (below) is tested against (tests/test_utf8.c). */
size_t utf8_valid_prefix_scalar(const unsigned char *s, size_t n)
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

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define HAVE_UTF8_AVX2 1

/* ---------------------------------------------------------------------------
 * 32 bytes at a time with AVX2, on processors that have it: the "lookup" algorithm of
 * John Keiser and Daniel Lemire ("Validating UTF-8 in less than one instruction per
 * byte", 2021, as in simdjson and simdutf). Each byte pair (the byte before, this one)
 * is classified by three 16-entry tables, on the high and low nibble of the first and
 * the high nibble of the second; a bit left set in all three is an error of that kind.
 * The third and fourth bytes of three- and four-byte sequences, which the tables see
 * only as "two continuations in a row", are checked against the bytes 2 and 3 before.
 * The vector code only says whether a block is valid; where the first error is, the
 * scalar code finds (from a code point boundary before the block).
 */

/* The error kinds, one bit each (the pair of bytes they are seen in). */
enum {
	TOO_SHORT = 1 << 0,	 /* 11______ 0_______, 11______ 11______ */
	TOO_LONG = 1 << 1,	 /* 0_______ 10______ */
	OVERLONG_3 = 1 << 2,	 /* 11100000 100_____ */
	TOO_LARGE = 1 << 3,	 /* 11110100 1001____, 11110100 101_____, 11110101+ 10______ */
	SURROGATE = 1 << 4,	 /* 11101101 101_____ */
	OVERLONG_2 = 1 << 5,	 /* 1100000_ 10______ */
	TOO_LARGE_1000 = 1 << 6, /* 11110101+ 1000____ */
	OVERLONG_4 = 1 << 6,	 /* 11110000 1000____ */
	TWO_CONTS = 1 << 7,	 /* 10______ 10______ */
	CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS, /* decided by the high nibbles alone */
};

#define TABLE(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)                                    \
	_mm256_setr_epi8(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, a, b, c, d, e, f, g, h, \
			 i, j, k, l, m, n, o, p)

/* The error bits of each byte of in, the byte before each being in prev1. */
__attribute__((target("avx2"))) static __m256i special_cases(__m256i in, __m256i prev1)
{
	const __m256i low4 = _mm256_set1_epi8(0x0F);
	const __m256i byte_1_high = TABLE(TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
					  TOO_LONG, TOO_LONG, TOO_LONG, TWO_CONTS, TWO_CONTS,
					  TWO_CONTS, TWO_CONTS, TOO_SHORT | OVERLONG_2, TOO_SHORT,
					  TOO_SHORT | OVERLONG_3 | SURROGATE,
					  TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4);
	const __m256i byte_1_low = TABLE(
		CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY,
		CARRY | TOO_LARGE, CARRY | TOO_LARGE | TOO_LARGE_1000,
		CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
		CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
		CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
		CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,
		CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000);
	const __m256i byte_2_high = TABLE(
		TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
		TOO_SHORT,
		TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
		TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
		TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
		TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE, TOO_SHORT, TOO_SHORT,
		TOO_SHORT, TOO_SHORT);
	__m256i b1h = _mm256_shuffle_epi8(byte_1_high,
					  _mm256_and_si256(_mm256_srli_epi16(prev1, 4), low4));
	__m256i b1l = _mm256_shuffle_epi8(byte_1_low, _mm256_and_si256(prev1, low4));
	__m256i b2h = _mm256_shuffle_epi8(byte_2_high,
					  _mm256_and_si256(_mm256_srli_epi16(in, 4), low4));

	return _mm256_and_si256(_mm256_and_si256(b1h, b1l), b2h);
}

/* in's bytes shifted by k (1 to 3) toward its end, the last k of prev coming first. */
#define PREV(in, prev, k) \
	_mm256_alignr_epi8(in, _mm256_permute2x128_si256(prev, in, 0x21), 16 - (k))

/* Nonzero where the 32 bytes in (prev: the 32 before) break UTF-8. */
__attribute__((target("avx2"))) static __m256i block_errors(__m256i in, __m256i prev)
{
	__m256i sc = special_cases(in, PREV(in, prev, 1));
	/* a byte 2 after a lead 111_____ or 3 after 1111____ must be a continuation */
	__m256i third = _mm256_subs_epu8(PREV(in, prev, 2), _mm256_set1_epi8((char)(0xE0 - 0x80)));
	__m256i fourth = _mm256_subs_epu8(PREV(in, prev, 3), _mm256_set1_epi8((char)(0xF0 - 0x80)));
	__m256i must23 = _mm256_and_si256(_mm256_or_si256(third, fourth),
					  _mm256_set1_epi8((char)0x80));

	return _mm256_xor_si256(must23, sc);
}

/* Nonzero when the 32 bytes in end inside a sequence (a lead in the last three bytes
 * that needs more than are left). */
__attribute__((target("avx2"))) static __m256i incomplete(__m256i in)
{
	const __m256i max = _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
					     -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
					     -1, (char)(0xF0 - 1), (char)(0xE0 - 1),
					     (char)(0xC0 - 1));

	return _mm256_subs_epu8(in, max);
}

/* How far s[0..n) is valid, 32 bytes at a time; the scalar code from the code point that
 * holds byte at - 4 (the blocks before at are valid, but for a sequence that the block
 * at was to complete) finds the exact end. */
__attribute__((target("avx2"))) static size_t valid_prefix_avx2(const unsigned char *s, size_t n)
{
	__m256i prev = _mm256_setzero_si256(), pending = _mm256_setzero_si256();
	size_t at = 0;

	for (; at + 32 <= n; at += 32) {
		__m256i in = _mm256_loadu_si256((const __m256i *)(s + at)), err;

		if (!_mm256_movemask_epi8(in))
			err = pending; /* ASCII: only an unfinished sequence before it */
		else
			err = block_errors(in, prev);
		if (!_mm256_testz_si256(err, err))
			break;
		pending = incomplete(in);
		prev = in;
	}
	size_t from = at >= 4 ? at - 4 : 0;
	while (from > 0 && (s[from] & 0xC0) == 0x80)
		from--;
	return from + utf8_valid_prefix_scalar(s + from, n - from);
}
#endif

size_t utf8_valid_prefix(const unsigned char *s, size_t n)
{
#ifdef HAVE_UTF8_AVX2
	/* libgcc (or compiler-rt) reads the processor's features before main */
	if (n >= 64 && __builtin_cpu_supports("avx2"))
		return valid_prefix_avx2(s, n);
#endif
	return utf8_valid_prefix_scalar(s, n);
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
