/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_loader.c: libFuzzer target for the loader: bytes -> articles. The input is
 * split into several article files at each FUZZ_SEP, so that related headlines can
 * resolve across articles; ids repeat on purpose to exercise making them unique. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "collection.h"
#include "fuzz_common.h"

/* A line holding only ASCII RS separates two files of the input. */
#define FUZZ_SEP "\n\x1e\n"
#define MAX_FILES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The end of the file starting at p: the next separator, or end. */
static const uint8_t *file_end(const uint8_t *p, const uint8_t *end)
{
	size_t k = strlen(FUZZ_SEP);

	for (; (size_t)(end - p) >= k; p++)
		if (memcmp(p, FUZZ_SEP, k) == 0)
			return p;
	return end;
}

/* Load the input as up to MAX_FILES article files, finish, check the model. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *p = data, *end = data + size;
	struct collection c;
	size_t k;

	collection_init(&c);
	for (k = 0; k < MAX_FILES; k++) {
		const uint8_t *e = file_end(p, end);
		char name[32], id[32], alt[32];

		snprintf(name, sizeof name, "in/%zu.txt", k);
		/* Every third file repeats the previous id; every fourth has an
		 * alternative id, which itself may be taken. */
		snprintf(id, sizeof id, "a%zu", k % 3 == 2 ? k - 1 : k);
		snprintf(alt, sizeof alt, k % 8 == 7 ? "a0" : "sub/a%zu", k);
		fmt_native_add(&c, name, id, k % 4 == 3 ? alt : NULL, (const char *)p,
			       (size_t)(e - p));
		if (e == end)
			break;
		p = e + strlen(FUZZ_SEP);
	}
	collection_finish(&c);
	fuzz_check_collection(&c);
	collection_free(&c);
	return 0;
}
