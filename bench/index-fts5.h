/* SPDX-License-Identifier: GPL-3.0-or-later */
/* index-fts5.h: the SQLite FTS5 index the reader used before its own (index-fts5.c),
 * for bench/index-bench. */
#ifndef XINWEN_INDEX_FTS5_H
#define XINWEN_INDEX_FTS5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "index.h"

struct fts5_index;

/* Open (or make) the FTS5 index file path. NULL (why set) on an error. */
struct fts5_index *fts5_open(const char *path, bool *rebuilt, char *why, size_t whylen);

/* Close it (NULL is fine). */
void fts5_close(struct fts5_index *ix);

/* Bytes of the file with its write-ahead log. */
uint64_t fts5_file_bytes(const char *path);

/* Run sql (BEGIN, COMMIT, a pragma) on the writing connection. */
bool fts5_raw_exec(struct fts5_index *ix, const char *sql, char *why, size_t whylen);

/* Add the folded text s[0, n) as row (identity hi, lo); inside a transaction. */
bool fts5_raw_add(struct fts5_index *ix, int64_t row, uint64_t hi, uint64_t lo, const char *s,
		  size_t n, char *why, size_t whylen);

/* How many rows hold the folded query s[0, n) (2 characters at least), or -1. */
int64_t fts5_raw_count(struct fts5_index *ix, const char *s, size_t n);

#endif
