/* SPDX-License-Identifier: GPL-3.0-or-later */
/* index_internal.h: the index engine without a collection, for bench/index-bench: adding
 * folded texts by row and counting a phrase's rows. Not for other modules. */
#ifndef XINWEN_INDEX_INTERNAL_H
#define XINWEN_INDEX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "index.h"

/* Run sql (BEGIN, COMMIT, a pragma) on the index's writing connection. */
bool index_raw_exec(struct text_index *ix, const char *sql, char *why, size_t whylen);

/* Add the folded text s[0, n) as row (identity hi, lo); inside a transaction. */
bool index_raw_add(struct text_index *ix, int64_t row, uint64_t hi, uint64_t lo, const char *s,
		   size_t n, char *why, size_t whylen);

/* How many rows hold the folded query s[0, n) (2 characters at least), or -1. */
int64_t index_raw_count(struct text_index *ix, const char *s, size_t n);

#endif
