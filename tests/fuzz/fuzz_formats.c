/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_formats.c: libFuzzer target for the corpus formats: bytes -> articles through
 * the JSON Lines, SogouCS and THUCNews parsers and the decoders. The first byte picks
 * the format (low two bits) and the encoding (next two: none, GB18030, Big5, UTF-8). */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collection.h"
#include "format.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum format formats[] = {FORMAT_JSONL, FORMAT_SOGOU, FORMAT_THUCNEWS,
					      FORMAT_NATIVE};
	static const char *const encodings[] = {NULL, "GB18030", "BIG5", "UTF-8"};
	struct fuzz_in in = {data, size, 0};
	unsigned pick = fuzz_byte(&in);
	const uint8_t *rest;
	size_t n = fuzz_bytes(&in, size, &rest);
	struct collection c;

	collection_init(&c);
	format_load_buffer(&c, formats[pick & 3], "in/cat/1.txt", "1", "cat/1", (const char *)rest,
			   n, encodings[(pick >> 2) & 3]);
	/* a second copy: ids repeat, so making them unique is exercised too */
	format_load_buffer(&c, formats[pick & 3], "in/cat/2.txt", "1", NULL, (const char *)rest, n,
			   encodings[(pick >> 2) & 3]);
	collection_finish(&c);
	fuzz_check_collection(&c);
#ifdef HAVE_JANSSON
	/* JSON in UTF-8 (lines, or a document): each record's byte range holds it, and its
	 * body read from there is the body loaded, as reading it again on demand does */
	for (size_t i = 0;
	     (pick & 3) == 0 && !encodings[(pick >> 2) & 3] && i < collection_count(&c); i++) {
		const struct article *a = collection_article(&c, i);
		char *body;
		size_t len;

		if (a->kind != ARTICLE_FULL)
			continue;
		if (a->rec_off > n || a->rec_len > n - a->rec_off ||
		    !fmt_jsonl_body((const char *)rest + a->rec_off, a->rec_len, &body, &len))
			abort();
		if (len != a->body.n || memcmp(body, a->body.p, len) != 0)
			abort();
		free(body);
	}
	/* loaded lean, hashed as read or only measured: the same articles, bodies of the
	 * same size, the same identities as the text kept gives */
	for (enum lean lean = LEAN_HASHED;
	     (pick & 3) == 0 && !encodings[(pick >> 2) & 3] && lean <= LEAN_UNHASHED; lean++) {
		struct collection l;

		collection_init(&l);
		l.lean = lean;
		l.lean_format = FORMAT_JSONL;
		format_load_buffer(&l, FORMAT_JSONL, "in/cat/1.txt", "1", "cat/1",
				   (const char *)rest, n, NULL);
		l.lean = LEAN_NO;
		format_load_buffer(&l, FORMAT_JSONL, "in/cat/2.txt", "1", NULL, (const char *)rest,
				   n, NULL);
		collection_finish(&l);
		if (collection_count(&l) != collection_count(&c))
			abort();
		for (size_t i = 0; i < collection_count(&c); i++) {
			const struct article *a = collection_article(&c, i),
					     *b = collection_article(&l, i);
			struct content_id ia, ib;

			if (a->body.n != b->body.n || a->kind != b->kind)
				abort();
			if (lean == LEAN_UNHASHED && b->body_on_disk)
				continue; /* no identity to compare */
			article_identity(a, &ia);
			article_identity(b, &ib);
			if (ia.hi != ib.hi || ia.lo != ib.lo)
				abort();
		}
		collection_free(&l);
	}
#endif
	collection_free(&c);
	return 0;
}
