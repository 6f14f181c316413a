/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_jsonskim.c: libFuzzer target for the JSON skimmer (src/jsonskim.c) against
 * jansson: the input (its invalid UTF-8 repaired, as loading does) is one line. What
 * the skimmer accepts, jansson accepts as an object whose members asked for have the
 * same kind and the same bytes; what the skimmer calls bad, jansson refuses. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "jsonskim.h"
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
static const char *const keys[] = {"title", "content", "source", "time", "news_id",
				   "desc",  "url",     "a",	 ""};
enum { NKEYS = sizeof keys / sizeof *keys };

static void compare(json_t *o, const struct jsonskim_val *v)
{
	FUZZ_CHECK(o != NULL);
	FUZZ_CHECK(json_is_object(o));
	for (size_t i = 0; i < NKEYS; i++) {
		json_t *m = json_object_get(o, keys[i]);

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
			FUZZ_CHECK(v[i].kind == JSONSKIM_OTHER);
		}
	}
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
	json_decref(o);
	sb_free(&scratch);
	free(text);
	return 0;
}
#endif
