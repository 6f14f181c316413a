/* SPDX-License-Identifier: GPL-3.0-or-later */
/* index_internal.h: the index engine without a collection, for bench/index-bench and
 * bench/index-anatomy: adding folded texts as rows, counting a phrase's rows, where the
 * bytes go. Not for other modules. */
#ifndef XINWEN_INDEX_INTERNAL_H
#define XINWEN_INDEX_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "index.h"
#include "postings.h"

/* Add the folded text s[0, n) (identity hi, lo) to the next segment. */
void index_raw_add(struct text_index *ix, uint64_t hi, uint64_t lo, const char *s, size_t n);

/* Write the texts added since the last commit as a segment (rows after the index's). */
bool index_raw_commit(struct text_index *ix, char *why, size_t whylen);

/* How many rows hold the folded query s[0, n) (2 characters at least), or -1. */
int64_t index_raw_count(struct text_index *ix, const char *s, size_t n);

/* Where the bytes of the index's segments go, added up over them into *an (zeroed
 * first; postings.h), *nsegs set; false (why set) when one is damaged. */
bool index_anatomy(struct text_index *ix, struct post_anatomy *an, size_t *nsegs, char *why,
		   size_t whylen);

#endif
