/* SPDX-License-Identifier: GPL-3.0-or-later */
/* index-step.c: one step of the full-text index's build, alone (bench/README.md, index).
 *
 *   index-step [--mb M] [--rounds R] TEXTS OUT
 *
 * Reads the first M MB (default 32, a step of the reader's and of xinwen --index) of
 * TEXTS, one text a line (UTF-8, as folded or not), and builds from them, R times (default
 * 3), the segment file OUT with the build's own segment_build (postings.h): per round
 * its wall time, MB of text a second, the time of each of its stages (the bigrams
 * counted and placed, the lists coded, the file written, synced and opened) and the
 * xxh64 of the file written, the same for two builds that write the same bytes. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchutil.h"
#include "postings.h"
#include "xxh64.h"

static double stage_secs[POST_STAGE_MERGE + 1], stage_at;
static int stage_now = -1;

/* post_build_stage: the time since the last stage is the last one's. */
static void stage_mark(enum post_stage st)
{
	double t = bench_now();
	if (stage_now >= 0)
		stage_secs[stage_now] += t - stage_at;
	stage_now = (int)st;
	stage_at = t;
}

int main(int argc, char **argv)
{
	double mb = 32;
	int rounds = 3, a = 1;
	for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
		if (strcmp(argv[a], "--mb") == 0)
			mb = atof(argv[a + 1]);
		else if (strcmp(argv[a], "--rounds") == 0)
			rounds = atoi(argv[a + 1]);
		else
			break;
	}
	if (argc - a != 2 || mb <= 0 || rounds <= 0) {
		fprintf(stderr, "usage: index-step [--mb M] [--rounds R] TEXTS OUT\n");
		return 2;
	}
	size_t len, total = 0, n = 0, cap = 0;
	char *all = bench_read_file(argv[a], &len);
	struct post_text *t = NULL;
	for (char *p = all, *end = all + len; p < end && total < mb * 1e6;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (n == cap) {
			cap = cap ? 2 * cap : 1024;
			t = realloc(t, cap * sizeof *t);
			if (!t)
				return 1;
		}
		t[n].s = p;
		t[n].n = k;
		t[n].id.hi = n; /* rows' identities: any, the same in every round */
		t[n].id.lo = ~(uint64_t)n;
		total += k;
		n++;
		p += k + 1;
	}
	post_build_stage = stage_mark;
	for (int r = 0; r < rounds; r++) {
		char why[512];
		memset(stage_secs, 0, sizeof stage_secs);
		stage_now = -1;
		double t0 = bench_now();
		struct segment *s = segment_build(argv[a + 1], 1, 0, t, n, 1, NULL, why,
						  sizeof why);
		stage_mark(POST_STAGE_MERGE);
		double secs = bench_now() - t0;
		if (!s) {
			fprintf(stderr, "index-step: %s\n", why);
			return 1;
		}
		segment_close(s);
		size_t flen;
		char *file = bench_read_file(argv[a + 1], &flen);
		printf("%zu texts, %.1f MB: %.3f s, %.1f MB/s; counted and placed %.3f s, "
		       "coded %.3f s, written %.3f s, synced %.3f s; file %zu bytes, xxh64 "
		       "%016llx\n",
		       n, total / 1e6, secs, total / 1e6 / secs, stage_secs[POST_STAGE_TOKENIZE],
		       stage_secs[POST_STAGE_CODE], stage_secs[POST_STAGE_WRITE],
		       stage_secs[POST_STAGE_SYNC], flen, (unsigned long long)xxh64(file, flen, 0));
		free(file);
	}
	free(t);
	free(all);
	return 0;
}
