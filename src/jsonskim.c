/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jsonskim.c: the members of one JSON object a caller asks for, without building the
 * object (jsonskim.h).
 *
 * Why a skimmer of our own rather than jansson or simdjson: a news2016zh record is
 * mostly its content string, and loading the list needs its title, time, source and id
 * (and the content, for the article's identity: collection.h); jansson builds every
 * record as a tree of allocated values. Measured on one processor (CPU time, 189 MB of
 * generated news2016zh records in memory, 2026-12-01): jansson 2.8-3.2 s; simdjson
 * 3.0.1's On-Demand API 0.07-0.10 s, its UTF-8 check included; this skimmer 0.08-0.12 s,
 * 0.22-0.24 s with the UTF-8 check loading does before it. simdjson would be a C++
 * dependency, and its On-Demand API does not check the values it skips, so it takes
 * records jansson refuses; this one checks them all as jansson 2.14's lexer and parser
 * do (the rules are listed at each function), so that a record it accepts is one jansson
 * accepts, with the same values (tests/fuzz/fuzz_jsonskim.c checks both ways). It scans
 * strings 32 bytes at a time with AVX2 where the processor has it, else eight at a
 * time, for a quote, a backslash or a control character and copies a string only when
 * it has escapes and is asked for. Numbers near a double's limits are left to jansson
 * (UNSURE). */
#include <config.h>

#include "jsonskim.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

/* The most members one skim looks for. */
#define MAX_KEYS 32

struct skim {
	const unsigned char *p;
	size_t n, i;
};

typedef enum jsonskim_result result;

static bool is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r'; /* jansson's four */
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void skip_ws(struct skim *s)
{
	while (s->i < s->n && is_ws(s->p[s->i]))
		s->i++;
}

/* ---------------------------------------------------------------------------
 * Strings
 */

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Whether c is a quote, a backslash or below 0x20: what ends a run of a string. */
static bool is_special(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20;
}

/* Whether one of the eight bytes of v is a quote, a backslash or below 0x20 (each test
 * may also flag a byte after a true hit, never one when there is none). */
static bool has_special(uint64_t v)
{
	uint64_t q = v ^ (ONES * '"'), b = v ^ (ONES * '\\');

	return (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((v - ONES * 0x20) & ~v)) & HIGHS;
}

/* Four hex digits read by four lookups and three ORs (as simdjson does): each table
 * gives a byte's value as a hex digit shifted to its place among the four, or all bits
 * set when it is no hex digit, so that a result above 0xFFFF means "not four digits".
 * (Branches per digit would be mispredicted in a text of \u escapes of Chinese, whose
 * digits and letters mix.) */
#define HEX_OF(c)                                    \
	((c) >= '0' && (c) <= '9'   ? (c) - '0'      \
	 : (c) >= 'a' && (c) <= 'f' ? (c) - 'a' + 10 \
	 : (c) >= 'A' && (c) <= 'F' ? (c) - 'A' + 10 \
				    : -1)
#define HEX1(c, s) (HEX_OF(c) < 0 ? UINT32_MAX : (uint32_t)HEX_OF(c) << (s))
#define HEX4(c, s) HEX1(c, s), HEX1((c) + 1, s), HEX1((c) + 2, s), HEX1((c) + 3, s)
#define HEX16(c, s) HEX4(c, s), HEX4((c) + 4, s), HEX4((c) + 8, s), HEX4((c) + 12, s)
#define HEX64(c, s) HEX16(c, s), HEX16((c) + 16, s), HEX16((c) + 32, s), HEX16((c) + 48, s)
#define HEX256(s) HEX64(0, s), HEX64(64, s), HEX64(128, s), HEX64(192, s)
static const uint32_t hex_at_place[4][256] = {{HEX256(12)}, {HEX256(8)}, {HEX256(4)}, {HEX256(0)}};

/* The code unit of the \u escape whose backslash is at p[i], or -1 when p[i..n) does
 * not start with a backslash, 'u' and four hex digits. */
static inline long unit_at(const unsigned char *p, size_t n, size_t i)
{
	if (n - i < 6 || p[i] != '\\' || p[i + 1] != 'u')
		return -1;
	uint32_t u = hex_at_place[0][p[i + 2]] | hex_at_place[1][p[i + 3]] |
		     hex_at_place[2][p[i + 4]] | hex_at_place[3][p[i + 5]];
	return u <= 0xFFFF ? (long)u : -1;
}

/* What the escapes of a string stand for (scan_string). */
enum {
	SEEN_NUL = 1, /* \u0000 */
	SEEN_CR = 2,  /* \r, \u000D */
};

/* Check the escape whose backslash is at s->p[*i] and step over it: one of \" \\ \/
 * \b \f \n \r \t, or \u and four hex digits, where a high surrogate must be followed by
 * a \u low surrogate and a low one must follow a high one (jansson's rules). *seen
 * gets SEEN_NUL for \u0000, SEEN_CR for a CR. */
static bool step_escape(const struct skim *s, size_t *i, unsigned *seen)
{
	unsigned char c = *i + 1 < s->n ? s->p[*i + 1] : 0;
	long u, lo;

	if (c != 'u') {
		*i += 2;
		if (c == 'r')
			*seen |= SEEN_CR;
		switch (c) { /* not strchr: a call at each of millions of escapes */
		case '"':
		case '\\':
		case '/':
		case 'b':
		case 'f':
		case 'n':
		case 'r':
		case 't': return true;
		default: return false;
		}
	}
	if ((u = unit_at(s->p, s->n, *i)) < 0)
		return false;
	*i += 6;
	if (u < 0xD800 || u > 0xDFFF) { /* no surrogate: most */
		if (u == 0)
			*seen |= SEEN_NUL;
		else if (u == '\r')
			*seen |= SEEN_CR;
		return true;
	}
	if (u >= 0xDC00)
		return false; /* a low surrogate first */
	lo = unit_at(s->p, s->n, *i);
	if (lo < 0xDC00 || lo > 0xDFFF)
		return false;
	*i += 6;
	return true;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

/* The index of the first quote, backslash or byte below 0x20 in p[i..n), 32 bytes at a
 * time with AVX2; where fewer than 32 are left, i there (or n). */
__attribute__((target("avx2"))) static size_t special_avx2(const unsigned char *p, size_t i,
							   size_t n)
{
	const __m256i quote = _mm256_set1_epi8('"'), bs = _mm256_set1_epi8('\\');
	const __m256i ctl = _mm256_set1_epi8(0x1F);

	for (; i + 32 <= n; i += 32) {
		__m256i v = _mm256_loadu_si256((const __m256i *)(p + i));
		__m256i hit = _mm256_or_si256(
			_mm256_or_si256(_mm256_cmpeq_epi8(v, quote), _mm256_cmpeq_epi8(v, bs)),
			_mm256_cmpeq_epi8(_mm256_min_epu8(v, ctl), v)); /* v <= 0x1F */
		unsigned m = (unsigned)_mm256_movemask_epi8(hit);

		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
	return i;
}
#define HAVE_SPECIAL_AVX2 1
#endif

/* Where the first quote, backslash or byte below 0x20 may be in p[i..n): at or before
 * the index returned (n when there is none). */
static size_t next_special(const unsigned char *p, size_t i, size_t n)
{
	uint64_t v;

#ifdef HAVE_SPECIAL_AVX2
	if (n - i >= 64 && __builtin_cpu_supports("avx2"))
		i = special_avx2(p, i, n);
#endif
	while (i + 8 <= n) {
		memcpy(&v, p + i, 8);
		if (has_special(v))
			break;
		i += 8;
	}
	return i;
}

/* Scan the string whose opening quote is at s->i, leaving s->i after its closing one:
 * no byte below 0x20 in it (jansson refuses control characters), valid escapes only.
 * *esc: it has escapes; *seen: what they stand for (SEEN_NUL, SEEN_CR); at, unless
 * NULL: where each escape starts after the opening quote is appended to it (a size_t). */
static result scan_string(struct skim *s, bool *esc, unsigned *seen, struct strbuf *at)
{
	size_t i = s->i + 1, from = i;
	/* where the next escape's place goes, and the end of the room for them: kept here
	 * rather than in at (a text may have millions of escapes), at->n set at the end */
	size_t w = at ? at->n : 0, wend = at ? at->cap : 0;
	result r;

	*esc = false;
	*seen = 0;
	for (;;) {
		/* not searched for when it is at i: escapes one after the other (a text of \u
		 * escapes), or the quote right after one */
		if (i >= s->n || !is_special(s->p[i]))
			i = next_special(s->p, i, s->n);
		if (i >= s->n) {
			r = JSONSKIM_BAD; /* no closing quote */
			break;
		}
		unsigned char c = s->p[i];
		if (c == '"') {
			s->i = i + 1;
			r = JSONSKIM_OK;
			break;
		}
		if (c < 0x20) {
			r = JSONSKIM_BAD;
			break;
		}
		if (c != '\\') {
			i++;
			continue;
		}
		*esc = true;
		if (at) {
			size_t k = i - from;
			if (wend - w < sizeof k) {
				vec_reserve(&at->s, &at->cap, w + sizeof k, 1);
				wend = at->cap;
			}
			memcpy(at->s + w, &k, sizeof k);
			w += sizeof k;
		}
		if (!step_escape(s, &i, seen)) {
			r = JSONSKIM_BAD;
			break;
		}
	}
	if (at)
		at->n = w;
	return r;
}

/* The byte the escape of one letter e stands for (one of "\\/bfnrt: scan_string saw). */
static char escaped(unsigned char e)
{
	switch (e) {
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	default: return (char)e; /* a quote, a backslash, a slash */
	}
}

/* The code point of the escape whose backslash is at p[*i] (of n bytes, scan_string
 * checked them), *i stepped over it. */
static inline unsigned long escape_at(const unsigned char *p, size_t n, size_t *i)
{
	unsigned long u;

	if (p[*i + 1] != 'u') {
		*i += 2;
		return (unsigned char)escaped(p[*i - 1]);
	}
	u = (unsigned long)unit_at(p, n, *i);
	*i += 6;
	if (u >= 0xD800 && u <= 0xDBFF) {
		u = ((u - 0xD800) << 10) + ((unsigned long)unit_at(p, n, *i) - 0xDC00) + 0x10000;
		*i += 6;
	}
	return u;
}

/* Append the string p[0..n) (between its quotes, scan_string checked it) unescaped. */
static void unescape(const unsigned char *p, size_t n, struct strbuf *b)
{
	size_t i = 0;

	/* what it decodes to is never longer (\uXXXX: at most 3 bytes; a pair of them: 4):
	 * room for it all at once, the runs between escapes copied in place */
	vec_reserve(&b->s, &b->cap, b->n + n + 1, 1);
	while (i < n) {
		const unsigned char *bs = p[i] == '\\' ? p + i : memchr(p + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (p + i)) : n - i;

		memcpy(b->s + b->n, p + i, run);
		b->n += run;
		i += run;
		if (!bs)
			break;
		if (p[i + 1] != 'u') {
			b->s[b->n++] = escaped(p[i + 1]);
			i += 2;
			continue;
		}
		b->n += utf8_encode((uint32_t)escape_at(p, n, &i), b->s + b->n);
	}
	b->s[b->n] = '\0';
}

void jsonskim_unescape(const char *p, size_t n, struct strbuf *b)
{
	unescape((const unsigned char *)p, n, b);
}

void jsonskim_lines_init(struct jsonskim_lines *it, const struct jsonskim_val *v)
{
	*it = (struct jsonskim_lines){v->p, v->n, 0, v->escapes, v->nescapes, 0};
}

bool jsonskim_line_next(struct jsonskim_lines *it, struct strbuf *tmp, struct str *line)
{
	const unsigned char *p = (const unsigned char *)it->p;
	size_t i = it->pos, n = it->n, k = it->next;
	char *t = NULL; /* where the line is copied to, unescaped: tmp's bytes */
	size_t tn = 0;

	if (i >= n)
		return false;
	for (;;) {
		bool more = k < it->nesc; /* an escape before the end */
		size_t e = more ? it->esc[k++] : n, next = e;
		unsigned long u = more ? escape_at(p, n, &next) : '\n';

		if (u == '\n' && !t) { /* a line as it is written */
			*line = str_make(it->p + it->pos, e - it->pos);
			it->pos = next;
			it->next = k;
			return true;
		}
		if (!t) {
			/* room for the rest of the string at once: unescaped, it is never longer */
			sb_clear(tmp);
			vec_reserve(&tmp->s, &tmp->cap, n - it->pos + 1, 1);
			t = tmp->s;
		}
		if (e > i) { /* (escapes one after the other: no run between them) */
			memcpy(t + tn, it->p + i, e - i);
			tn += e - i;
		}
		i = next;
		if (u == '\n')
			break;
		tn += utf8_encode((uint32_t)u, t + tn);
	}
	tmp->n = tn;
	it->pos = i;
	it->next = k;
	*line = str_make(tmp->s, tmp->n);
	return true;
}

/* ---------------------------------------------------------------------------
 * Numbers and words
 */

/* Where the token ending before p[i] ends for jansson: a number or a word ends at the
 * byte that is not part of it, which jansson's lexer reads and puts back; when that
 * byte is a NUL, its stream takes the NUL for the end of what it holds and reads on,
 * so that one NUL right after a number or a word is skipped (and a second is not). */
static size_t skip_nul(const struct skim *s, size_t i)
{
	return i < s->n && s->p[i] == '\0' ? i + 1 : i;
}

/* Scan the number at s->i as jansson's lexer does: -?(0|[1-9][0-9]*)(.[0-9]+)?
 * ([eE][+-]?[0-9]+)?; an integer must fit in a long long (jansson: "too big integer"),
 * a real must not overflow a double ("real number overflow"): near that limit, UNSURE. */
static result scan_number(struct skim *s)
{
	const unsigned char *p = s->p;
	size_t i = s->i, start, nint;
	bool neg = false, real = false, eneg = false;
	long e = 0;

	if (p[i] == '-') {
		neg = true;
		i++;
	}
	start = i;
	if (i >= s->n || !is_digit(p[i]))
		return JSONSKIM_BAD;
	if (p[i] == '0') {
		if (++i < s->n && is_digit(p[i]))
			return JSONSKIM_BAD; /* a leading zero */
	} else {
		while (i < s->n && is_digit(p[i]))
			i++;
	}
	nint = i - start;
	if (i < s->n && p[i] == '.') {
		real = true;
		if (++i >= s->n || !is_digit(p[i]))
			return JSONSKIM_BAD;
		while (i < s->n && is_digit(p[i]))
			i++;
	}
	if (i < s->n && (p[i] == 'e' || p[i] == 'E')) {
		real = true;
		if (++i < s->n && (p[i] == '+' || p[i] == '-'))
			eneg = p[i++] == '-';
		if (i >= s->n || !is_digit(p[i]))
			return JSONSKIM_BAD;
		while (i < s->n && is_digit(p[i])) {
			if (e < 1000000)
				e = e * 10 + (p[i] - '0');
			i++;
		}
		if (eneg)
			e = -e;
	}
	s->i = skip_nul(s, i);
	if (!real) {
		if (nint != 19)
			return nint < 19 ? JSONSKIM_OK : JSONSKIM_BAD;
		return memcmp(p + start, neg ? "9223372036854775808" : "9223372036854775807", 19) <=
				       0
			       ? JSONSKIM_OK
			       : JSONSKIM_BAD;
	}
	/* its value is below 10^(d + e), and at least 10^(d - 1 + e) when d > 0 */
	long d = p[start] == '0' ? 0 : (long)(nint < 100000 ? nint : 100000);
	if (d + e <= 308)
		return JSONSKIM_OK; /* below DBL_MAX (1.8e308) */
	if (d > 0 && d - 1 + e >= 309)
		return JSONSKIM_BAD; /* strtod overflows */
	return JSONSKIM_UNSURE;
}

/* Scan the word w (true, false, null) at s->i: jansson reads a run of letters, so
 * one more letter makes it no word. */
static result scan_word(struct skim *s, const char *w)
{
	size_t k = strlen(w);

	if (s->n - s->i < k || memcmp(s->p + s->i, w, k) != 0)
		return JSONSKIM_BAD;
	if (s->n - s->i > k && is_alpha(s->p[s->i + k]))
		return JSONSKIM_BAD;
	s->i = skip_nul(s, s->i + k);
	return JSONSKIM_OK;
}

/* ---------------------------------------------------------------------------
 * Values
 */

/* Scan white space, a key (jansson refuses a NUL in one: \u0000), white space and the
 * colon after it; s->i then after the colon. */
static result scan_key(struct skim *s, size_t *from, size_t *to, bool *esc)
{
	unsigned seen;
	result r;

	skip_ws(s);
	if (s->i >= s->n || s->p[s->i] != '"')
		return JSONSKIM_BAD;
	*from = s->i + 1;
	if ((r = scan_string(s, esc, &seen, NULL)) != JSONSKIM_OK)
		return r;
	if (seen & SEEN_NUL)
		return JSONSKIM_BAD;
	*to = s->i - 1;
	skip_ws(s);
	if (s->i >= s->n || s->p[s->i] != ':')
		return JSONSKIM_BAD;
	s->i++;
	return JSONSKIM_OK;
}

/* Scan one scalar at s->i (after white space). */
static result scan_scalar(struct skim *s)
{
	unsigned char c = s->p[s->i];
	unsigned seen;
	bool esc;

	if (c == '"')
		return scan_string(s, &esc, &seen, NULL);
	if (c == '-' || is_digit(c))
		return scan_number(s);
	if (c == 't')
		return scan_word(s, "true");
	if (c == 'f')
		return scan_word(s, "false");
	if (c == 'n')
		return scan_word(s, "null");
	return JSONSKIM_BAD;
}

/* Check and skip the value at s->i, at nesting depth depth (the top object's members
 * are at 2): objects and arrays without recursion, a value deeper than
 * JSONSKIM_MAX_DEPTH refused as jansson refuses it. */
static result skip_value(struct skim *s, size_t depth)
{
	unsigned char open[JSONSKIM_MAX_DEPTH + 1]; /* the containers entered here */
	size_t top = 0, from, to;
	bool esc;
	result r;

	for (;;) {
		/* a value, at depth + top */
		if (depth + top > JSONSKIM_MAX_DEPTH)
			return JSONSKIM_BAD;
		skip_ws(s);
		if (s->i >= s->n)
			return JSONSKIM_BAD;
		unsigned char c = s->p[s->i];
		if (c == '{' || c == '[') {
			s->i++;
			open[top++] = c;
			skip_ws(s);
			if (s->i < s->n && s->p[s->i] == (c == '{' ? '}' : ']')) {
				s->i++;
				top--;
			} else if (c == '[') {
				continue;
			} else if ((r = scan_key(s, &from, &to, &esc)) != JSONSKIM_OK) {
				return r;
			} else {
				continue;
			}
		} else if ((r = scan_scalar(s)) != JSONSKIM_OK) {
			return r;
		}
		/* after a value: close containers, or a comma and the next value */
		for (;;) {
			if (!top)
				return JSONSKIM_OK;
			skip_ws(s);
			if (s->i >= s->n)
				return JSONSKIM_BAD;
			c = s->p[s->i++];
			if (c == (open[top - 1] == '{' ? '}' : ']')) {
				top--;
				continue;
			}
			if (c != ',')
				return JSONSKIM_BAD;
			if (open[top - 1] == '{' &&
			    (r = scan_key(s, &from, &to, &esc)) != JSONSKIM_OK)
				return r;
			break;
		}
	}
}

/* The index of the key p[from..to) (unescaped into tmp when esc) in keys, or -1. */
static int key_index(const struct skim *s, size_t from, size_t to, bool esc,
		     const struct jsonskim_key *keys, size_t nkeys, struct strbuf *tmp)
{
	const char *k = (const char *)s->p + from;
	size_t n = to - from;

	if (esc) {
		sb_clear(tmp);
		unescape(s->p + from, n, tmp);
		k = tmp->s;
		n = tmp->n;
	}
	for (size_t i = 0; i < nkeys; i++)
		if (keys[i].len == n &&
		    (n == 0 || (keys[i].name[0] == k[0] && memcmp(keys[i].name, k, n) == 0)))
			return (int)i;
	return -1;
}

/* Scan the value of member k (a string, null or anything) into out[k]; a string with
 * escapes is unescaped at the end of scratch, its offset in off[k] (else SIZE_MAX),
 * unless raw: then it is left escaped, where its escapes are at the end of scratch
 * (size_t aligned), their offset in off[k]. */
static result member_value(struct skim *s, struct jsonskim_val *v, size_t *off,
			   struct strbuf *scratch, bool raw)
{
	size_t from = s->i + 1, at = scratch->n;
	unsigned seen;
	bool esc;
	result r;

	*off = SIZE_MAX;
	v->escaped = v->cr = false; /* a duplicate key: the last value's */
	v->escapes = NULL;
	v->nescapes = 0;
	if (s->i < s->n && s->p[s->i] == '"') {
		if (raw) {
			at = (scratch->n + sizeof(size_t) - 1) / sizeof(size_t) * sizeof(size_t);
			vec_reserve(&scratch->s, &scratch->cap, at + 1, 1);
			scratch->n = at; /* the padding: never read */
		}
		if ((r = scan_string(s, &esc, &seen, raw ? scratch : NULL)) != JSONSKIM_OK)
			return r;
		v->kind = JSONSKIM_STRING;
		v->p = (const char *)s->p + from;
		v->n = s->i - 1 - from;
		if (esc && raw) {
			v->escaped = true;
			v->cr = (seen & SEEN_CR) != 0;
			v->nescapes = (scratch->n - at) / sizeof(size_t);
			*off = at;
		} else if (esc) {
			*off = scratch->n;
			unescape(s->p + from, v->n, scratch);
			v->n = scratch->n - *off;
		}
		return JSONSKIM_OK;
	}
	if (s->i < s->n && s->p[s->i] == 'n' && scan_word(s, "null") == JSONSKIM_OK) {
		v->kind = JSONSKIM_NULL;
		return JSONSKIM_OK;
	}
	v->kind = JSONSKIM_OTHER;
	size_t start = s->i;
	r = skip_value(s, 2);
	v->p = (const char *)s->p + start;
	v->n = s->i - start;
	if (v->n && s->p[s->i - 1] == '\0')
		v->n--; /* the NUL jansson skips after a number or a word (skip_nul) */
	return r;
}

/* The members of the object at s->i (after its '{'). */
static result skim_members(struct skim *s, const struct jsonskim_key *keys, size_t nkeys,
			   unsigned long raw, struct jsonskim_val *out, size_t *off,
			   struct strbuf *scratch, struct strbuf *tmp)
{
	size_t from, to;
	bool esc;
	result r;

	skip_ws(s);
	if (s->i < s->n && s->p[s->i] == '}') {
		s->i++;
		return JSONSKIM_OK;
	}
	for (;;) {
		if ((r = scan_key(s, &from, &to, &esc)) != JSONSKIM_OK)
			return r;
		int k = key_index(s, from, to, esc, keys, nkeys, tmp);
		skip_ws(s);
		if (k < 0)
			r = skip_value(s, 2);
		else
			r = member_value(s, &out[k], &off[k], scratch, (raw >> k) & 1);
		if (r != JSONSKIM_OK)
			return r;
		skip_ws(s);
		if (s->i >= s->n)
			return JSONSKIM_BAD;
		unsigned char c = s->p[s->i++];
		if (c == '}')
			return JSONSKIM_OK;
		if (c != ',')
			return JSONSKIM_BAD;
	}
}

enum jsonskim_result jsonskim_object(const char *p, size_t n, const struct jsonskim_key *keys,
				     size_t nkeys, struct jsonskim_val *out, struct strbuf *scratch)
{
	return jsonskim_object_raw(p, n, keys, nkeys, 0, out, scratch);
}

enum jsonskim_result jsonskim_object_raw(const char *p, size_t n, const struct jsonskim_key *keys,
					 size_t nkeys, unsigned long raw, struct jsonskim_val *out,
					 struct strbuf *scratch)
{
	struct skim s = {(const unsigned char *)p, n, 0};
	struct strbuf tmp = {NULL, 0, 0};
	size_t off[MAX_KEYS];
	result r;

	if (nkeys > MAX_KEYS)
		return JSONSKIM_UNSURE;
	for (size_t k = 0; k < nkeys; k++) {
		out[k] = (struct jsonskim_val){JSONSKIM_ABSENT, "", 0, false, false, NULL, 0};
		off[k] = SIZE_MAX;
	}
	sb_clear(scratch);
	skip_ws(&s);
	if (s.i >= s.n || s.p[s.i] != '{')
		return JSONSKIM_UNSURE; /* an array, or not JSON: jansson says what it is */
	s.i++;
	r = skim_members(&s, keys, nkeys, raw, out, off, scratch, &tmp);
	sb_free(&tmp);
	if (r != JSONSKIM_OK)
		return r;
	skip_ws(&s);
	if (s.i != s.n)
		return JSONSKIM_BAD; /* jansson: "end of file expected" */
	for (size_t k = 0; k < nkeys; k++)
		if (off[k] != SIZE_MAX && out[k].escaped) /* aligned: at a size_t's offset */
			out[k].escapes = (const size_t *)(void *)(scratch->s + off[k]);
		else if (off[k] != SIZE_MAX)
			out[k].p = scratch->s + off[k];
	return JSONSKIM_OK;
}

bool jsonskim_document(const char *head, size_t n)
{
	const char *p = head, *end = head + n, *nl;

	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	if (p == end)
		return false;
	if (*p == '[')
		return true;
	if (*p != '{' || !(nl = memchr(p, '\n', (size_t)(end - p))))
		return false; /* not JSON, or a first line past the head: lines */
	while (nl > p && (nl[-1] == ' ' || nl[-1] == '\t' || nl[-1] == '\r'))
		nl--;
	return nl[-1] != '}';
}

char *jsonskim_repair_surrogates(const char *text, size_t n, size_t *nrep)
{
	const unsigned char *p = (const unsigned char *)text;
	char *out = NULL;

	*nrep = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (p[i] != '\\')
			continue;
		long u = unit_at(p, n, i), lo;
		if (u < 0xD800 || u > 0xDFFF) {
			i++; /* any other escape: its backslash and the byte after it */
			continue;
		}
		if (u < 0xDC00 && (lo = unit_at(p, n, i + 6)) >= 0xDC00 && lo <= 0xDFFF) {
			i += 11; /* a pair */
			continue;
		}
		if (!out) {
			out = xmalloc(n ? n : 1);
			memcpy(out, text, n);
		}
		memcpy(out + i, "\\uFFFD", 6); /* as long: offsets do not move */
		(*nrep)++;
		i += 5;
	}
	return out;
}
