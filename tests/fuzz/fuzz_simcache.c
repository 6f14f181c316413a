/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_simcache.c: libFuzzer target for the similar stories' cache file, mapped
 * (similar_cache_open) and checked as it is used. A mutated file would almost always
 * fail its checksums; so the input is first made into a file of this version and
 * parameters whose counts are cut down to small ones, whose size is what they make and
 * whose checksum table and hashes are computed again (unless the last byte is 0xA5).
 * Only the checks made as the index is used then stand between the bytes and the
 * reader: every article is asked for its similar stories and a score, and an update
 * from the file (which checks the terms' counts and every vector) is made, without ever reading
 * outside the map; the answers are in range. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collection.h"
#include "fuzz_common.h"
#include "similar.h"
#include "similar_cache.h"
#include "similar_internal.h"
#include "xxh64.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The header (similar_cache.c): its fields by byte offset. */
#define HDR_MAGIC 0
#define HDR_VERSION 8
#define HDR_BYTE_ORDER 12
#define HDR_PARAMS 16
#define HDR_N 32
#define HDR_NTERMS 40
#define HDR_TOTAL 48
#define HDR_DRIFT 56
#define HDR_SUMS_HASH 72
#define HDR_HASH 80
#define HDR_SIZE 88
#define CHUNK 65536
#define MAX_INPUT (1u << 20)

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

/* similar_cache.c's header hash. */
static uint64_t mix(uint64_t h, uint64_t w)
{
	h ^= w;
	h = h << 29 | h >> 35;
	return h * 0x9E3779B97F4A7C15u + 0x632BE59BD9B4E019u;
}

static uint64_t hash_bytes(uint64_t h, const uint8_t *s, size_t n)
{
	uint64_t w;

	h = mix(h, n);
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = mix(h, w);
	}
	w = 0;
	memcpy(&w, s, n);
	return mix(h, w);
}

/* A file made of data (see the top): a new buffer of *n bytes. */
static uint8_t *fix_up(const uint8_t *data, size_t size, size_t *n)
{
	static const uint64_t width[10] = {16, 8, 4, 4, 8, 4, 4, 8, 4, 4};
	uint64_t art = get64(data + HDR_N) % 64, nterms = get64(data + HDR_NTERMS) % 4096;
	uint64_t total = get64(data + HDR_TOTAL) % (art * SIMILAR_TERMS + 1);
	uint64_t count[10] = {art,   art + 1, total,  total,  nterms + 1,
			      total, total,   nterms, nterms, nterms};
	uint64_t payload = 0;
	for (int p = 0; p < 10; p++)
		payload += (count[p] * width[p] + 7) & ~(uint64_t)7;
	uint64_t nchunks = (payload + CHUNK - 1) / CHUNK, at = HDR_SIZE + nchunks * 8;
	*n = (size_t)(at + payload);
	uint8_t *buf = calloc(*n, 1);
	if (!buf)
		return NULL;
	memcpy(buf, data, size < *n ? size : *n);
	memcpy(buf + HDR_MAGIC, "xinwenSI", 8);
	uint32_t version = 4, order = 0x01020304u;
	memcpy(buf + HDR_VERSION, &version, 4);
	memcpy(buf + HDR_BYTE_ORDER, &order, 4);
	put64(buf + HDR_PARAMS, similar_cache_params());
	put64(buf + HDR_N, art);
	put64(buf + HDR_NTERMS, nterms);
	put64(buf + HDR_TOTAL, total);
	for (uint64_t c = 0; c < nchunks; c++) {
		uint64_t from = at + c * CHUNK, len = *n - from < CHUNK ? *n - from : CHUNK;
		put64(buf + HDR_SIZE + c * 8, xxh64(buf + from, (size_t)len, c));
	}
	put64(buf + HDR_SUMS_HASH, xxh64(buf + HDR_SIZE, (size_t)nchunks * 8, 0));
	put64(buf + HDR_HASH, hash_bytes(0, buf, HDR_HASH));
	return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	struct similar_index *ix = NULL;
	struct similar_hit hits[8];
	char why[160];
	uint64_t key;
	size_t n = size;
	uint8_t *buf;

	if (size > MAX_INPUT)
		return 0;
	if (!path[0]) /* each run writes the file there, and removes it */
		snprintf(path, sizeof path, "/tmp/xinwen-fuzz-simcache-%ld", (long)getpid());
	if (size >= HDR_SIZE && data[size - 1] != 0xA5)
		buf = fix_up(data, size, &n);
	else if ((buf = malloc(size ? size : 1)))
		memcpy(buf, data, size);
	if (!buf)
		return 0;
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(buf, 1, n, f);
		fclose(f);
	}
	free(buf);
	if (!f || similar_cache_open(path, &ix, &key, why, sizeof why) != SIMILAR_CACHE_OK) {
		unlink(path);
		return 0;
	}
	size_t articles = similar_index_articles(ix);
	for (size_t i = 0; i < articles; i++) {
		size_t got = similar_query(ix, i, hits, 8);
		FUZZ_CHECK(got <= 8);
		for (size_t h = 0; h < got; h++)
			FUZZ_CHECK(hits[h].article < articles && hits[h].article != i &&
				   hits[h].score > 0 && hits[h].score <= 1);
		float s = similar_score(ix, i, (i + 1) % articles);
		FUZZ_CHECK(s >= 0 && s <= 1);
	}
	struct collection none;
	collection_init(&none);
	collection_finish(&none);
	struct similar_build *b = similar_build_update(&none, ix);
	similar_index_free(similar_build_finish(b));
	collection_free(&none);
	similar_index_free(ix);
	unlink(path);
	return 0;
}
