/* SPDX-License-Identifier: GPL-3.0-or-later */
/* index_internal.h: the index engine without a collection, for bench/index-bench: adding
 * folded texts as rows and counting a phrase's rows. Not for other modules. */
#ifndef XINWEN_INDEX_INTERNAL_H
#define XINWEN_INDEX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "index.h"

/* Add the folded text s[0, n) (identity hi, lo) to the next segment. */
void index_raw_add(struct text_index *ix, uint64_t hi, uint64_t lo, const char *s, size_t n);

/* Write the texts added since the last commit as a segment (rows after the index's). */
bool index_raw_commit(struct text_index *ix, char *why, size_t whylen);

/* How many rows hold the folded query s[0, n) (2 characters at least), or -1. */
int64_t index_raw_count(struct text_index *ix, const char *s, size_t n);

#endif
