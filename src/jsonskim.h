/* SPDX-License-Identifier: GPL-3.0-or-later */
/* jsonskim.h: the members of one JSON object a caller asks for, read without building
 * the object: every other value is checked and skipped, unescaped nowhere. It accepts
 * what jansson (json_loadb with JSON_ALLOW_NUL) accepts, with the same values; what it
 * cannot be sure of, it leaves to jansson (tests/fuzz/fuzz_jsonskim.c compares them). */
#ifndef XINWEN_JSONSKIM_H
#define XINWEN_JSONSKIM_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"
#include "strview.h"

/* What a member asked for holds. */
enum jsonskim_kind {
	JSONSKIM_ABSENT, /* no such member */
	JSONSKIM_NULL,	 /* null */
	JSONSKIM_STRING, /* a string: p, n (NUL is data) */
	JSONSKIM_OTHER,	 /* a number, true, false, an object or an array: p, n its bytes as
			  * written (in the input) */
};

/* One member's value: with duplicate keys, the last one (as jansson keeps). */
struct jsonskim_val {
	enum jsonskim_kind kind;
	const char *p; /* a string's bytes, unescaped: in the input, or in the scratch */
	size_t n;
	bool escaped;	       /* a string asked for raw with escapes in it: p, n are its bytes
		       * between its quotes, as written (jsonskim_line_next reads them) */
	bool cr;	       /* escaped: one of its escapes stands for a CR (\r, \u000D) */
	const size_t *escapes; /* escaped: where its escapes start in p (in the scratch) */
	size_t nescapes;
};

/* What the skim found. */
enum jsonskim_result {
	JSONSKIM_OK,	 /* an object, valid: the values are set */
	JSONSKIM_BAD,	 /* not valid JSON: jansson rejects it too */
	JSONSKIM_UNSURE, /* not an object at the top, or a number near the limits of a
			  * double: parse it with jansson */
};

/* The deepest nesting of values jansson parses (JSON_PARSER_MAX_DEPTH). */
#define JSONSKIM_MAX_DEPTH 2048

/* A member to find: its name, and the name's length (measured once, not at each
 * record); JSONSKIM_KEY("title") makes one of a literal. */
struct jsonskim_key {
	const char *name;
	size_t len;
};
#define JSONSKIM_KEY(s)         \
	{                       \
		s, sizeof s - 1 \
	}

/* Skim the n bytes at p (valid UTF-8: the caller checks) as one JSON object, setting
 * out[i] to the value of the member named keys[i] (i < nkeys); strings with escapes
 * are unescaped into scratch (emptied first; kept by the caller, reused line after
 * line), and out[] points into p and scratch. */
enum jsonskim_result jsonskim_object(const char *p, size_t n, const struct jsonskim_key *keys,
				     size_t nkeys, struct jsonskim_val *out,
				     struct strbuf *scratch);

/* jsonskim_object, but a string with escapes of a member keys[i] whose bit (1u << i)
 * is set in raw is left as it is written (its val escaped), not unescaped: a body
 * read line by line (jsonskim_line_next) need not be copied whole first. */
enum jsonskim_result jsonskim_object_raw(const char *p, size_t n, const struct jsonskim_key *keys,
					 size_t nkeys, unsigned long raw, struct jsonskim_val *out,
					 struct strbuf *scratch);

/* The lines of a string left escaped (jsonskim_val.escaped), one after the other. */
struct jsonskim_lines {
	const char *p;
	size_t n, pos;
	const size_t *esc; /* where its escapes start, as the skimmer found them */
	size_t nesc, next; /* how many; the next one's index */
};

/* Start reading the lines of v, a string left escaped (jsonskim_object_raw), whose
 * values must not change while it is read. */
void jsonskim_lines_init(struct jsonskim_lines *it, const struct jsonskim_val *v);

/* The next line of it->p[0..n) unescaped, as line_next (strview.h) would give the
 * lines of the whole string unescaped (split where it has a LF: \n, \u000A): a line
 * without escapes points into it->p, others are unescaped into tmp (emptied first;
 * valid until the next call). false after the last. The string is not searched again:
 * its escapes are where the skimmer found them. */
bool jsonskim_line_next(struct jsonskim_lines *it, struct strbuf *tmp, struct str *line);

/* Append the n bytes at p, a JSON string's bytes between its quotes that the skimmer
 * accepted (jsonskim_val.escaped), to b unescaped. */
void jsonskim_unescape(const char *p, size_t n, struct strbuf *b);

/* Whether JSON whose first bytes are head[0..n) is one document rather than JSON Lines
 * (an object a line): after a byte-order mark and white space, its first byte opens an
 * array, or an object whose first line does not close it (a pretty-printed one). A
 * first line longer than head is taken for JSON Lines. */
bool jsonskim_document(const char *head, size_t n);

/* A copy of the JSON text text[0..n) with each \u escape of a lone surrogate (a high one
 * not followed by a low one, or a low one alone: jansson refuses them, and scraped
 * text has them) made \uFFFD, the same length; *nrep: how many. NULL when there is
 * none. */
char *jsonskim_repair_surrogates(const char *text, size_t n, size_t *nrep);

#endif
