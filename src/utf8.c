/* utf8.c: validating and repairing UTF-8 once, at load. */
#include "utf8.h"

#include <stdbool.h>
#include <string.h>

#include "xalloc.h"

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */
#define REPLACEMENT_LEN 3

/* Whether b is a continuation byte 80..BF. */
static bool is_cont(unsigned char b)
{
	return b >= 0x80 && b <= 0xBF;
}

/* The allowed range of the second byte after lead (Unicode Table 3-7); false for
 * bytes that never start a multi-byte sequence. Sets *len to the sequence length. */
static bool lead_info(unsigned char lead, size_t *len, unsigned char *lo, unsigned char *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (lead >= 0xC2 && lead <= 0xDF) {
		*len = 2;
	} else if (lead >= 0xE0 && lead <= 0xEF) {
		*len = 3;
		if (lead == 0xE0)
			*lo = 0xA0; /* no overlongs */
		else if (lead == 0xED)
			*hi = 0x9F; /* no surrogates */
	} else if (lead >= 0xF0 && lead <= 0xF4) {
		*len = 4;
		if (lead == 0xF0)
			*lo = 0x90; /* no overlongs */
		else if (lead == 0xF4)
			*hi = 0x8F; /* nothing above U+10FFFF */
	} else {
		return false;
	}
	return true;
}

/* Length of the sequence at s (at least 1, at most n): a whole valid character
 * (*valid set) or the maximal subpart of an invalid one (*valid clear). */
static size_t scan_sequence(const unsigned char *s, size_t n, bool *valid)
{
	size_t len, i;
	unsigned char lo, hi;

	*valid = false;
	if (s[0] < 0x80) {
		*valid = true;
		return 1;
	}
	if (!lead_info(s[0], &len, &lo, &hi))
		return 1;
	if (n < 2 || s[1] < lo || s[1] > hi)
		return 1;
	for (i = 2; i < len; i++)
		if (i >= n || !is_cont(s[i]))
			return i;
	*valid = true;
	return len;
}

char *utf8_repair(const char *s, size_t n, size_t *out_n, struct utf8_report *rep)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, o, nbad = 0, first_bad = 0, extra = 0;
	bool valid;
	char *out;

	/* First pass: count, so the copy is allocated once at its exact size. */
	for (i = 0; i < n;) {
		size_t k = scan_sequence(u + i, n - i, &valid);
		if (!valid) {
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
		size_t k = scan_sequence(u + i, n - i, &valid);
		if (valid) {
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
