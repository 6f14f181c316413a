/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_jsonskim.c: libFuzzer target for the JSON skimmer (src/jsonskim.c) against
 * jansson: the input (its invalid UTF-8 repaired, as loading does) is one line. What
 * the skimmer accepts, jansson accepts as an object whose members asked for have the
 * same kind and the same bytes; what the skimmer calls bad, jansson refuses. Skimmed
 * again with every string left escaped (jsonskim_object_raw, as a body is), the same
 * result, and an escaped string's lines (jsonskim_line_next) are the lines of jansson's
 * string (line_next). */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "jsonskim.h"
#include "strview.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef HAVE_JANSSON
/* Built without jansson: nothing to compare with. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	(void)data, (void)size;
	return 0;
}
#else
#include <jansson.h>

/* The members asked for: loading's, and a short and an empty key that fuzzed input
 * hits more often. */
static const struct jsonskim_key keys[] = {
	JSONSKIM_KEY("title"), JSONSKIM_KEY("content"), JSONSKIM_KEY("source"),
	JSONSKIM_KEY("time"),  JSONSKIM_KEY("news_id"), JSONSKIM_KEY("desc"),
	JSONSKIM_KEY("url"),   JSONSKIM_KEY("a"),	JSONSKIM_KEY("")};
enum { NKEYS = sizeof keys / sizeof *keys };

static void compare(json_t *o, const struct jsonskim_val *v)
{
	FUZZ_CHECK(o != NULL);
	FUZZ_CHECK(json_is_object(o));
	for (size_t i = 0; i < NKEYS; i++) {
		json_t *m = json_object_get(o, keys[i].name);

		if (!m) {
			FUZZ_CHECK(v[i].kind == JSONSKIM_ABSENT);
		} else if (json_is_null(m)) {
			FUZZ_CHECK(v[i].kind == JSONSKIM_NULL);
		} else if (json_is_string(m)) {
			FUZZ_CHECK(v[i].kind == JSONSKIM_STRING);
			FUZZ_CHECK(v[i].n == json_string_length(m));
			FUZZ_CHECK(v[i].n == 0 ||
				   memcmp(v[i].p, json_string_value(m), v[i].n) == 0);
		} else {
			/* its bytes as written: an integer's are jansson's value */
			FUZZ_CHECK(v[i].kind == JSONSKIM_OTHER && v[i].n > 0);
			if (json_is_integer(m) && v[i].n < 24) {
				char t[24];
				memcpy(t, v[i].p, v[i].n);
				t[v[i].n] = '\0';
				FUZZ_CHECK(strtoll(t, NULL, 10) == json_integer_value(m));
			}
		}
	}
}

/* The lines of the escaped string v are those of the string m, as line_next splits it;
 * the same string unescaped whole is m's bytes. */
static void compare_lines(json_t *m, const struct jsonskim_val *v, struct strbuf *tmp)
{
	struct line_iter ref = {json_string_value(m), json_string_length(m), 0, 0};
	struct jsonskim_lines it;
	struct strbuf whole = {NULL, 0, 0};
	struct text_line want;
	struct str l;

	jsonskim_lines_init(&it, v);
	while (line_next(&ref, &want)) {
		FUZZ_CHECK(jsonskim_line_next(&it, tmp, &l));
		FUZZ_CHECK(l.n == want.s.n);
		FUZZ_CHECK(l.n == 0 || memcmp(l.p, want.s.p, l.n) == 0);
	}
	FUZZ_CHECK(!jsonskim_line_next(&it, tmp, &l));
	jsonskim_unescape(v->p, v->n, &whole);
	FUZZ_CHECK(whole.n == json_string_length(m));
	FUZZ_CHECK(memcmp(whole.s, json_string_value(m), whole.n) == 0);
	sb_free(&whole);
}

/* Skimmed with every member asked for left escaped (raw): the same result as r, the
 * same values where they have no escapes, the same lines where they have. */
static void compare_raw(const char *text, size_t n, enum jsonskim_result r, json_t *o)
{
	struct jsonskim_val v[NKEYS];
	struct strbuf scratch = {NULL, 0, 0}, tmp = {NULL, 0, 0};

	FUZZ_CHECK(jsonskim_object_raw(text, n, keys, NKEYS, ~0ul, v, &scratch) == r);
	for (size_t i = 0; r == JSONSKIM_OK && i < NKEYS; i++) {
		json_t *m = json_object_get(o, keys[i].name);
		const char *s = m && json_is_string(m) ? json_string_value(m) : NULL;

		if (!s) {
			FUZZ_CHECK(v[i].kind != JSONSKIM_STRING && !v[i].escaped);
		} else if (v[i].escaped) {
			FUZZ_CHECK(v[i].cr == (memchr(s, '\r', json_string_length(m)) != NULL));
			compare_lines(m, &v[i], &tmp);
		} else {
			FUZZ_CHECK(v[i].n == json_string_length(m));
			FUZZ_CHECK(v[i].n == 0 || memcmp(v[i].p, s, v[i].n) == 0);
		}
	}
	sb_free(&scratch);
	sb_free(&tmp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jsonskim_val v[NKEYS];
	struct strbuf scratch = {NULL, 0, 0};
	json_error_t err;
	size_t n;
	char *text = utf8_repair((const char *)data, size, &n, NULL);
	enum jsonskim_result r = jsonskim_object(text, n, keys, NKEYS, v, &scratch);
	json_t *o = json_loadb(text, n, JSON_ALLOW_NUL, &err);

	if (r == JSONSKIM_OK)
		compare(o, v);
	else if (r == JSONSKIM_BAD)
		FUZZ_CHECK(o == NULL);
	compare_raw(text, n, r, o);
	json_decref(o);
	sb_free(&scratch);
	free(text);
	return 0;
}
#endif
