/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_catalog.c: libFuzzer target for the catalog loader (catalog_read). A mutated
 * catalog would almost always fail its checksums; so the input is first made into a
 * catalog whose header is of this version, whose tables' sizes add up to the file's
 * (the counts cut down to what fits, the strings taking the rest) and whose three
 * hashes are computed again. Only catalog_read's checks of every count, offset and
 * index then stand between the bytes and the reader: what it accepts is walked through
 * (every string, link, backlink, file and message), verified (catalog_verify must
 * agree with the fixed-up hash) and reused as a reload would (catalog_reuse_new). The
 * reader's first part of it (catalog_read_part, of 1 and of 3 articles), which checks
 * only what it takes, is walked through too: it is read whenever the whole is, and
 * begins with the whole's first articles. So is a view of it (catalog_view_open, as
 * --search reads the hits' articles from the index), sealed with its slices' checksums
 * made here: every article it gives is walked, and of a catalog read whole it gives
 * every one, the same as the whole's; catalog_seal of the whole must be that seal. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "collection.h"
#include "fuzz_common.h"
#include "listorder.h"
#include "xxh64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The layout (catalog.c): the header's fields by byte offset, the records' sizes. */
#define HDR_MAGIC 0
#define HDR_VERSION 8
#define HDR_BYTE_ORDER 12
#define HDR_KEY 16
#define HDR_COUNTS 24 /* files, articles, related, backlinks, diags, strings, members */
#define HDR_NSTRINGS 64
#define HDR_TABLES_HASH 88
#define HDR_STRINGS_HASH 96
#define HDR_HASH 104
#define HDR_SIZE 112
#define MAX_INPUT (1u << 20)

/* Record sizes in the header's count order (5: the strings, no table of records), and
 * the tables' order in the file. */
static const size_t record[7] = {72, 136, 32, 4, 32, 0, 64};
static const int file_order[6] = {0, 1, 2, 4, 6, 3};
/* The list's orders (after the tables, before the strings): bytes an article. */
#define ORDER_BYTES (LISTORDER_WORDS(1) * sizeof(uint32_t))

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* Make buf[0..n) a catalog with right sizes and checksums (see the top). */
static void fix_up(uint8_t *buf, size_t n)
{
	uint32_t version = CATALOG_VERSION, byte_order = 0x01020304u;
	size_t at[7], pos = HDR_SIZE;
	uint64_t h = 0;

	memcpy(buf + HDR_MAGIC, "xinwenCT", 8);
	memcpy(buf + HDR_VERSION, &version, 4);
	memcpy(buf + HDR_BYTE_ORDER, &byte_order, 4);
	size_t order = 0; /* the list's orders' bytes an article, after the tables */

	for (int t = 0; t < 6; t++) {
		int k = file_order[t];
		size_t each = record[k] + (k == 1 ? ORDER_BYTES : 0);
		uint64_t count = get64(buf + HDR_COUNTS + 8 * k) % ((n - pos - order) / each + 1);
		put64(buf + HDR_COUNTS + 8 * k, count);
		at[k] = pos;
		pos += (size_t)count * record[k];
		if (k == 1)
			order = (size_t)count * ORDER_BYTES;
	}
	for (int t = 0; t < 6; t++) {
		int k = file_order[t];
		h = xxh64(buf + at[k], (size_t)get64(buf + HDR_COUNTS + 8 * k) * record[k], h);
	}
	h = xxh64(buf + pos, order, h);
	pos += order;
	put64(buf + HDR_NSTRINGS, n - pos);
	put64(buf + HDR_TABLES_HASH, h);
	put64(buf + HDR_STRINGS_HASH, xxh64(buf + pos, n - pos, 0));
	put64(buf + HDR_HASH, xxh64(buf, HDR_HASH, 0));
}

/* Touch everything a reader would: a fault or sanitizer report fails the run. */
static void walk(const struct collection *c)
{
	volatile size_t sum = 0; /* volatile: the reads are not optimised away */

	for (size_t i = 0; i < collection_count(c); i++) {
		const struct article *a = collection_article(c, i);
		sum += strlen(a->id);
		for (size_t k = 0; k < a->title.n; k++)
			sum += (unsigned char)a->title.p[k];
		sum += a->date.n + a->source.n;
		if (a->kind == ARTICLE_EXCERPT)
			for (size_t k = 0; k < a->body.n; k++)
				sum += (unsigned char)a->body.p[k];
		else
			FUZZ_CHECK(a->path && a->file < c->files.n);
		for (size_t k = 0; k < a->related.n; k++) {
			FUZZ_CHECK(a->related.v[k].target < collection_count(c));
			sum += a->related.v[k].headline.n + a->related.v[k].snippet.n;
		}
		for (size_t k = 0; k < a->backlinks.n; k++)
			FUZZ_CHECK(a->backlinks.v[k] < collection_count(c));
	}
	for (size_t i = 0; i < c->files.n; i++)
		sum += strlen(c->files.v[i].path);
	for (size_t i = 0; i < c->diags.n; i++)
		sum += strlen(c->diags.v[i].file) + strlen(c->diags.v[i].msg);
	(void)sum;
}

/* The seal of the n bytes at buf (catalog.c: a magic, the slices' count, the XXH64 of
 * each 4,096 bytes seeded with its number) into out. */
static void seal_of(const uint8_t *buf, size_t n, struct strbuf *out)
{
	uint64_t head[2] = {UINT64_C(0x314c414553776e78), (n + 4095) / 4096};
	sb_append(out, (const char *)head, sizeof head);
	for (uint64_t k = 0; k < head[1]; k++) {
		size_t at = (size_t)k * 4096, len = n - at < 4096 ? n - at : 4096;
		uint64_t x = xxh64(buf + at, len, k);
		sb_append(out, (const char *)&x, sizeof x);
	}
}

/* Read the catalog at path through a view sealed from buf[0..n): every article it gives
 * walked; whole: the collection read whole (NULL: it was not), which it must agree
 * with. */
static void view_walk(const char *path, uint64_t key, const uint8_t *buf, size_t n,
		      const struct collection *whole)
{
	struct catalog_view *v;
	struct strbuf why = {0}, seal = {0};
	volatile size_t sum = 0;

	if (catalog_view_open(&v, key, path, &why) != CATALOG_OK) {
		FUZZ_CHECK(!whole);
		sb_free(&why);
		return;
	}
	seal_of(buf, n, &seal);
	FUZZ_CHECK(catalog_view_seal(v, seal.s, seal.n));
	if (whole) {
		struct strbuf made = {0};
		uint64_t id;
		FUZZ_CHECK(catalog_seal(whole, &made, &id));
		FUZZ_CHECK(id == catalog_view_identity(v));
		FUZZ_CHECK(made.n == seal.n && memcmp(made.s, seal.s, seal.n) == 0);
		sb_free(&made);
	}
	const struct collection *files = catalog_view_files(v, &why);
	FUZZ_CHECK(!whole || files);
	for (size_t i = 0; files && i < files->files.n; i++)
		sum += strlen(files->files.v[i].path);
	for (size_t i = 0; i < catalog_view_count(v); i++) {
		const struct article *a = catalog_view_article(v, i, &why);
		FUZZ_CHECK(!whole || a);
		if (!a)
			continue;
		sum += strlen(a->id) + a->date.n + a->source.n + a->time.n + a->url.n;
		for (size_t k = 0; k < a->title.n; k++)
			sum += (unsigned char)a->title.p[k];
		if (a->kind == ARTICLE_EXCERPT)
			for (size_t k = 0; k < a->body.n; k++)
				sum += (unsigned char)a->body.p[k];
		else
			sum += strlen(a->path);
		if (whole)
			FUZZ_CHECK(strcmp(a->id, collection_article(whole, i)->id) == 0);
	}
	(void)sum;
	catalog_view_close(v);
	sb_free(&seal);
	sb_free(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct collection c;
	struct strbuf why = {0};

	if (size > MAX_INPUT)
		return 0;
	if (!path[0]) /* each run writes the catalog there, and removes it */
		snprintf(path, sizeof path, "/tmp/xinwen-fuzz-catalog-%ld", (long)getpid());
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	/* Fixed up, unless the last byte is 0xA5: then the bytes as they are. */
	if (size >= HDR_SIZE && !(size > HDR_SIZE && data[size - 1] == 0xA5))
		fix_up(buf, size);
	FILE *f = fopen(path, "wb");
	if (!f) {
		free(buf);
		return 0;
	}
	fwrite(buf, 1, size, f);
	fclose(f);
	uint64_t key = size >= HDR_SIZE ? get64(buf + HDR_KEY) : 0;
	collection_init(&c);
	enum catalog_status s = catalog_read(&c, key, path, &why);
	if (s == CATALOG_OK) {
		walk(&c);
		FUZZ_CHECK(catalog_verify(&c));
		FUZZ_CHECK(!catalog_damaged(&c));
		FUZZ_CHECK(catalog_same_files(&c, &c));
		struct catalog_reuse *r = catalog_reuse_new(&c);
		catalog_reuse_free(r);
		view_walk(path, key, buf, size, &c);
	} else {
		view_walk(path, key, buf, size, NULL);
		FUZZ_CHECK(collection_count(&c) == 0);
	}
	for (size_t first = 1; first <= 3; first += 2) {
		struct collection part;
		size_t total;
		collection_init(&part);
		enum catalog_status ps = catalog_read_part(&part, key, path, first, 0, &total,
							   &why);
		FUZZ_CHECK(s != CATALOG_OK || ps == CATALOG_OK);
		if (ps == CATALOG_OK) {
			walk(&part);
			FUZZ_CHECK(collection_count(&part) <= total);
			for (size_t i = 0;
			     s == CATALOG_OK && i < first && i < collection_count(&part); i++)
				FUZZ_CHECK(strcmp(collection_article(&part, i)->id,
						  collection_article(&c, i)->id) == 0);
		} else {
			FUZZ_CHECK(collection_count(&part) == 0);
		}
		collection_free(&part);
	}
	collection_free(&c);
	sb_free(&why);
	unlink(path);
	free(buf);
	return 0;
}
