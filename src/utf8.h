/* SPDX-License-Identifier: GPL-3.0-or-later */
/* utf8.h: validating and repairing UTF-8 once, at load. */
#ifndef XINWEN_UTF8_H
#define XINWEN_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* What utf8_decode gives for an ill-formed sequence: not a Unicode code point. */
#define UTF8_BAD 0x110000u

/* Decode the code point at s[0..n) (n >= 1) into *cp, or UTF8_BAD for the maximal
 * subpart of an ill-formed sequence (Unicode §3.9); returns the bytes used, >= 1. */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Write code point cp (below 0x110000; U+0000 as one NUL byte) in UTF-8 at out, which
 * has room for four bytes; returns how many it took. Inline: the skimmer writes one for
 * each of millions of \u escapes. */
static inline size_t utf8_encode(uint32_t cp, char out[4])
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

/* The length of the longest prefix of s[0..n) that is well-formed UTF-8 (n when all
 * of it is): as stepping with utf8_decode would find, faster. */
size_t utf8_valid_prefix(const unsigned char *s, size_t n);

/* utf8_valid_prefix without the vector code (32 bytes at a time with AVX2, where the
 * processor has it): the same length, for tests to compare. */
size_t utf8_valid_prefix_scalar(const unsigned char *s, size_t n);

/* What utf8_repair found: how many invalid subparts, and the first one's byte offset. */
struct utf8_report {
	size_t nbad;
	size_t first_bad;
};

/* Copy n bytes into a new buffer in which every maximal invalid UTF-8 subpart is
 * U+FFFD (NUL stays data); sets *out_n and, if rep is not NULL, *rep. */
char *utf8_repair(const char *s, size_t n, size_t *out_n, struct utf8_report *rep);

#endif
