/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_common.h: helpers shared by the fuzz targets: reading the input as a stream of
 * choices, and checking the article model's invariants (abort() on a violation). */
#ifndef XINWEN_FUZZ_COMMON_H
#define XINWEN_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "collection.h"

/* The fuzzer's input, consumed front to back; reads past the end give zeros. */
struct fuzz_in {
	const uint8_t *p;
	size_t n, pos;
};

/* The next byte of the input, or 0 when it is used up. */
unsigned fuzz_byte(struct fuzz_in *in);

/* Whether any input is left. */
int fuzz_more(const struct fuzz_in *in);

/* Up to max bytes of raw input: sets *out to them and returns how many there are. */
size_t fuzz_bytes(struct fuzz_in *in, size_t max, const uint8_t **out);

/* Report a broken invariant on stderr and abort(), so that the fuzzer records the input. */
_Noreturn void fuzz_fail(const char *file, int line, const char *what);

#define FUZZ_CHECK(cond)                                      \
	do {                                                  \
		if (!(cond))                                  \
			fuzz_fail(__FILE__, __LINE__, #cond); \
	} while (0)

/* Check a finished collection: related targets set and in the list, backlinks exactly
 * the articles citing each one, ids unique and found by collection_find, every string
 * valid UTF-8 inside the buffers the collection owns, full articles before excerpts. */
void fuzz_check_collection(const struct collection *c);

/* libFuzzer's start-up hook (replay.c calls it too): install the locale the reader runs
 * in, C.UTF-8; aborts if it is missing. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif
