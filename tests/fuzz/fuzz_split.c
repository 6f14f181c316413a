/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_split.c: libFuzzer target for one big JSON Lines or SogouCS file loaded in two
 * halves on two threads (loader.c: split at a line end, or a "</doc>" line, near the
 * middle, the second half's lines and ids numbered as in the whole file). The first
 * byte picks the format (bit 0: JSON Lines or SogouCS) and, for SogouCS, the encoding
 * (bits 1-2: default, GB18030, UTF-8, Big5); the rest is the file. It is loaded whole on
 * one thread and split at its middle, and the two collections must be the same: ids,
 * fields, bodies, byte ranges, identities, files, and messages with their lines. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collection.h"
#include "format.h"
#include "fuzz_common.h"
#include "loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The file the input is written to, made once per process. */
static const char *input_file(void)
{
	static char path[] = "/tmp/xinwen-fuzz-split-XXXXXX";
	static int fd = -1;

	if (fd < 0) {
		fd = mkstemp(path);
		if (fd < 0) {
			perror(path);
			abort();
		}
		close(fd);
		fd = 0;
	}
	return path;
}

static int same_str(struct str x, struct str y)
{
	return x.n == y.n && (x.n == 0 || memcmp(x.p, y.p, x.n) == 0);
}

/* The whole load and the split one are the same, field by field. */
static void check_same(const struct collection *a, const struct collection *b)
{
	FUZZ_CHECK(collection_count(a) == collection_count(b));
	for (size_t i = 0; i < collection_count(a); i++) {
		const struct article *x = collection_article(a, i), *y = collection_article(b, i);

		FUZZ_CHECK(strcmp(x->id, y->id) == 0);
		FUZZ_CHECK(x->kind == y->kind);
		FUZZ_CHECK(same_str(x->title, y->title));
		FUZZ_CHECK(same_str(x->date, y->date));
		FUZZ_CHECK(same_str(x->source, y->source));
		FUZZ_CHECK(same_str(x->url, y->url));
		FUZZ_CHECK(same_str(x->body, y->body));
		FUZZ_CHECK(x->rec_off == y->rec_off && x->rec_len == y->rec_len);
		FUZZ_CHECK(x->file == y->file);
		FUZZ_CHECK(x->related.n == y->related.n);
		struct content_id ix, iy;
		article_identity(x, &ix);
		article_identity(y, &iy);
		FUZZ_CHECK(ix.hi == iy.hi && ix.lo == iy.lo);
	}
	FUZZ_CHECK(a->diags.n == b->diags.n);
	for (size_t i = 0; i < a->diags.n; i++) {
		FUZZ_CHECK(strcmp(a->diags.v[i].file, b->diags.v[i].file) == 0);
		FUZZ_CHECK(a->diags.v[i].line == b->diags.v[i].line);
		FUZZ_CHECK(strcmp(a->diags.v[i].msg, b->diags.v[i].msg) == 0);
		FUZZ_CHECK(a->diags.v[i].file_no == b->diags.v[i].file_no);
	}
	FUZZ_CHECK(a->files.n == b->files.n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const encodings[] = {NULL, "GB18030", "UTF-8", "BIG5"};
	struct fuzz_in in = {data, size, 0};
	unsigned pick = fuzz_byte(&in);
	const uint8_t *rest;
	size_t n = fuzz_bytes(&in, size, &rest);
	const char *path = input_file();
	FILE *fp = fopen(path, "wb");

	if (!fp || (n && fwrite(rest, 1, n, fp) != n) || fclose(fp) != 0) {
		perror(path);
		abort();
	}
	struct load_opts o = {.format = pick & 1 ? FORMAT_SOGOU : FORMAT_JSONL,
			      .encoding = pick & 1 ? encodings[(pick >> 1) & 3] : NULL,
			      .split_min = UINT64_MAX};
	struct collection whole, split;
	collection_init(&whole);
	loader_load_path_opts(&whole, path, &o);
	collection_finish(&whole);
	o.split_min = 1;
	collection_init(&split);
	loader_load_path_opts(&split, path, &o);
	collection_finish(&split);
	fuzz_check_collection(&split);
	check_same(&whole, &split);
	collection_free(&whole);
	collection_free(&split);
	return 0;
}
