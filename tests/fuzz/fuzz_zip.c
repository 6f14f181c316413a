/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_zip.c: libFuzzer target for zip archives (zipcoll.c): the input is written to a
 * file and loaded as a collection twice: whole (the model checked), and lean, as the
 * reader opens THUCNews.zip, every article's text (at most 64) read back from the
 * archive and compared with the whole load's, so that the checks of names, sizes,
 * methods and ranges in the loading and the reading back stand between any archive and
 * the reader. Then as the reader's first screen loads it (two members, the central
 * directory walked without libzip when it has more records): the model checked, every
 * text read back; and the walk alone (zipcoll_walk). Seeds: tests/fuzz/corpus/zip
 * (small archives of each format, hostile names, an encrypted member, a lying size, a
 * truncated archive, archives written byte by byte: Zip64 end records, a comment, a
 * count of records that lies). */
#include <config.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "body.h"
#include "collection.h"
#include "fuzz_common.h"
#include "loader.h"
#include "zipcoll.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUT (1u << 20)
#define MAX_BODIES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	static const struct load_opts lean = {.format = FORMAT_AUTO, .lean = true};
	static const struct load_opts whole = {.format = FORMAT_AUTO};
	struct collection c, w;

	if (size > MAX_INPUT)
		return 0;
	if (!path[0]) /* each run writes the archive there, and removes it */
		snprintf(path, sizeof path, "/tmp/xinwen-fuzz-zip-%ld.zip", (long)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	collection_init(&w);
	loader_load_path_opts(&w, path, &whole);
	collection_finish(&w);
	fuzz_check_collection(&w);
	collection_init(&c);
	loader_load_path_opts(&c, path, &lean);
	collection_finish(&c);
	FUZZ_CHECK(collection_count(&c) == collection_count(&w));
	for (size_t i = 0; i < collection_count(&c) && i < MAX_BODIES; i++) {
		char *buf;
		struct str t = article_body_read(&c, i, &buf), u = collection_article(&w, i)->body;
		FUZZ_CHECK(strcmp(collection_article(&c, i)->id, collection_article(&w, i)->id) ==
			   0);
		FUZZ_CHECK(t.n == u.n && (!t.n || memcmp(t.p, u.p, t.n) == 0));
		free(buf);
	}
	collection_free(&c);
	collection_free(&w);
	/* the first screen's load: a part (whole: the model checked; lean: each text
	 * read back safely) */
	bool cut = false;
	struct load_opts first = whole;
	first.max_files = 2;
	first.cut_short = &cut;
	collection_init(&c);
	loader_load_path_opts(&c, path, &first);
	collection_finish(&c);
	fuzz_check_collection(&c);
	collection_free(&c);
	first.lean = true;
	collection_init(&c);
	loader_load_path_opts(&c, path, &first);
	collection_finish(&c);
	for (size_t i = 0; i < collection_count(&c) && i < MAX_BODIES; i++) {
		char *buf;
		struct str t = article_body_read(&c, i, &buf);
		FUZZ_CHECK(!t.n || t.p);
		free(buf);
	}
	collection_free(&c);
	int fd = open(path, O_RDONLY);
	if (fd >= 0) {
		uint64_t entries;
		long long n = zipcoll_walk(fd, 1000, &entries);
		FUZZ_CHECK(n >= -1 && (n < 0 || (uint64_t)n <= entries));
		close(fd);
	}
	unlink(path);
	return 0;
}
