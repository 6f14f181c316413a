/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state-bench.c: time the read-mark state (bench/README.md).
 *
 *   state-bench [-r RUNS] [-n RECORDS] DIR [PATH]
 *
 * With PATH, loads that collection and times computing every article's identity (what
 * the reader does at start). Then fills a state kept in DIR (which it empties first:
 * give it a scratch directory) with RECORDS marks (default 100000) and times, RUNS
 * times each (default 7): a save after one change (lock, re-read and merge the file,
 * write, fsync, rename, fsync the directory; since issue #14, an append to the log),
 * the save that compacts the log into the state file, the floor (one line appended and
 * fsynced), a load, and a lookup of every mark.
 * Output lines are "key value..." for scripts; times are medians in milliseconds. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "benchutil.h"
#include "collection.h"
#include "loader.h"
#include "marks.h"

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, bench_cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static void fail(const struct marks *s, const char *what)
{
	fprintf(stderr, "state-bench: %s failed\n", what);
	for (size_t i = 0; i < s->problems.n; i++)
		fprintf(stderr, "  %s\n", s->problems.v[i]);
	exit(1);
}

int main(int argc, char **argv)
{
	int runs = 7, opt;
	long records = 100000;

	while ((opt = getopt(argc, argv, "r:n:")) != -1) {
		if (opt == 'r')
			runs = atoi(optarg);
		else if (opt == 'n')
			records = atol(optarg);
		else
			return 2;
	}
	if (optind >= argc || runs < 1 || records < 1) {
		fputs("usage: state-bench [-r RUNS] [-n RECORDS] DIR [PATH]\n", stderr);
		return 2;
	}
	const char *dir = argv[optind];
	double *t = calloc((size_t)runs, sizeof *t);

	if (optind + 1 < argc) {
		struct collection c;
		collection_init(&c);
		loader_load_path(&c, argv[optind + 1]);
		collection_finish(&c);
		size_t bytes = 0;
		for (size_t i = 0; i < collection_count(&c); i++)
			bytes += collection_article(&c, i)->title.n +
				 collection_article(&c, i)->body.n;
		struct content_id *ids = calloc(collection_count(&c) + 1, sizeof *ids);
		for (int r = 0; r < runs; r++) {
			double t0 = bench_now_ms();
			for (size_t i = 0; i < collection_count(&c); i++)
				article_identity(collection_article(&c, i), &ids[i]);
			t[r] = bench_now_ms() - t0;
		}
		printf("identities %zu articles %zu MB median %.1f ms\n", collection_count(&c),
		       bytes / 1000000, median(t, runs));
		free(ids);
		collection_free(&c);
	}

	struct marks s;
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (strchr(dir, '\'') || system(cmd) != 0)
		return 1;
	marks_init(&s, dir);
	for (long i = 0; i < records; i++) {
		struct content_id id = {UINT64_C(0x9E3779B185EBCA87) * (uint64_t)(i + 1),
					(uint64_t)i};
		marks_set(&s, &id, MARK_READ, true);
	}
	if (!marks_save(&s))
		fail(&s, "the first save");
	for (int r = 0; r < runs; r++) {
		struct content_id id = {1, (uint64_t)r};
		marks_set(&s, &id, MARK_BOOKMARK, true);
		double t0 = bench_now_ms();
		if (!marks_save(&s))
			fail(&s, "save");
		t[r] = bench_now_ms() - t0;
	}
	printf("save %ld records median %.1f ms\n", records, median(t, runs));
#ifdef MARKS_JOURNAL_MIN
	/* The save that folds the log into the state file (once the log has grown to half
	 * the file): every record written again. */
	for (int r = 0; r < runs; r++) {
		struct content_id id = {2, (uint64_t)r};
		marks_set(&s, &id, MARK_BOOKMARK, true);
		s.compact = true;
		double t0 = bench_now_ms();
		if (!marks_save(&s))
			fail(&s, "compacting save");
		t[r] = bench_now_ms() - t0;
	}
	printf("compact %ld records median %.1f ms\n", records, median(t, runs));
#endif
	/* The floor of any save that lasts: one record's line appended and fsynced. */
	for (int r = 0; r < runs; r++) {
		char path[4096], line[80];
		snprintf(path, sizeof path, "%s/floor", dir);
		memset(line, 'x', sizeof line - 1);
		line[sizeof line - 1] = '\n';
		double t0 = bench_now_ms();
		FILE *f = fopen(path, "ab");
		if (!f || fwrite(line, 1, sizeof line, f) != sizeof line || fflush(f) ||
		    fsync(fileno(f)) || fclose(f))
			return 1;
		t[r] = bench_now_ms() - t0;
	}
	printf("floor append+fsync of one line median %.1f ms\n", median(t, runs));
	for (int r = 0; r < runs; r++) {
		struct marks l;
		marks_init(&l, dir);
		double t0 = bench_now_ms();
		if (!marks_load(&l))
			fail(&l, "load");
		t[r] = bench_now_ms() - t0;
		marks_free(&l);
	}
	printf("load %ld records median %.1f ms\n", records, median(t, runs));
	for (int r = 0; r < runs; r++) {
		size_t on = 0;
		double t0 = bench_now_ms();
		for (size_t i = 0; i < s.recs.n; i++)
			on += marks_get(&s, &s.recs.v[i].id, MARK_READ);
		t[r] = bench_now_ms() - t0;
		if (on < (size_t)records)
			return 1;
	}
	printf("lookup %zu marks median %.2f ms\n", s.recs.n, median(t, runs));
	marks_free(&s);
	free(t);
	return 0;
}
