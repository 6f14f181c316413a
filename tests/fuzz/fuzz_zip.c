/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_zip.c: libFuzzer target for zip archives (zipcoll.c): the input is written to a
 * file and loaded as a collection, lean, as the reader opens THUCNews.zip; the model
 * is checked and every article's text read back from the archive (at most 64), so that
 * the checks of names, sizes, methods and ranges in the loading and the reading back
 * stand between any archive and the reader. Seeds: tests/fuzz/corpus/zip (small
 * archives of each format, hostile names, an encrypted member, a lying size). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "body.h"
#include "collection.h"
#include "fuzz_common.h"
#include "loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT (1u << 20)
#define MAX_BODIES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static const struct load_opts lean = {.format = FORMAT_AUTO, .lean = true};
	struct collection c;

	if (size > MAX_INPUT)
		return 0;
	if (!path[0]) /* each run writes the archive there, and removes it */
		snprintf(path, sizeof path, "/tmp/xinwen-fuzz-zip-%ld.zip", (long)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	collection_init(&c);
	loader_load_path_opts(&c, path, &lean);
	collection_finish(&c);
	fuzz_check_collection(&c);
	for (size_t i = 0; i < c.articles.n && i < MAX_BODIES; i++) {
		char *buf;
		struct str t = article_body_read(&c, i, &buf);
		volatile size_t sum = 0;
		for (size_t k = 0; k < t.n; k++)
			sum += (unsigned char)t.p[k];
		(void)sum;
		free(buf);
	}
	collection_free(&c);
	unlink(path);
	return 0;
}
