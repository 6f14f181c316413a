/* SPDX-License-Identifier: GPL-3.0-or-later */
/* map-bench.c: time building story maps over a collection (bench/map, bench/README.md).
 *
 *   map-bench [-n SAMPLES] PATH
 *
 * Loads PATH, then builds (and frees) the story map of SAMPLES articles spread evenly
 * over the list (default 1000) and of the article with the most links, and prints the
 * median and maximum build time (with the cache the reader keeps, and once without),
 * the most rows a map had, and the peak RSS. Output
 * lines are "key value..." for scripts. */
#include <config.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "benchutil.h"
#include "collection.h"
#include "loader.h"
#include "storymap.h"

/* Build the map of article i; returns the seconds it took, *rows its rows. */
static double build(const struct collection *c, size_t i, const struct storymap_opts *o,
		    size_t *rows)
{
	struct storymap m;
	double t0 = bench_now();
	storymap_build(&m, c, i, o);
	double t = bench_now() - t0;
	*rows = m.rows.n;
	storymap_free(&m);
	return t;
}

int main(int argc, char **argv)
{
	size_t samples = 1000;
	int opt;

	setlocale(LC_ALL, "");
	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt == 'n' && atoi(optarg) > 0)
			samples = (size_t)atoi(optarg);
		else {
			fprintf(stderr, "usage: map-bench [-n SAMPLES] PATH\n");
			return 2;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: map-bench [-n SAMPLES] PATH\n");
		return 2;
	}
	struct collection c;
	collection_init(&c);
	double t0 = bench_now();
	loader_load_path(&c, argv[optind]);
	collection_finish(&c);
	size_t n = collection_count(&c);
	printf("articles %zu\nload_s %.2f\n", n, bench_now() - t0);
	if (n == 0)
		return 1;

	size_t busiest = 0, links = 0;
	for (size_t i = 0; i < n; i++) {
		size_t l = collection_article(&c, i)->related.n +
			   collection_article(&c, i)->backlinks.n;
		if (l > links)
			links = l, busiest = i;
	}
	if (samples > n)
		samples = n;
	double *t = xcalloc(samples, sizeof *t);
	size_t rows, max_rows = 0;
	t0 = bench_now();
	struct storymap_opts o = {.cache = storymap_cache_new(&c)};
	printf("cache_ms %.3f\n", (bench_now() - t0) * 1e3);
	printf("uncached_ms %.3f\n", build(&c, 0, NULL, &rows) * 1e3);
	for (size_t k = 0; k < samples; k++) {
		t[k] = build(&c, k * (n / samples), &o, &rows);
		max_rows = rows > max_rows ? rows : max_rows;
	}
	qsort(t, samples, sizeof *t, bench_cmp_double);
	printf("samples %zu\nbuild_median_ms %.3f\nbuild_max_ms %.3f\nmax_rows %zu\n", samples,
	       t[samples / 2] * 1e3, t[samples - 1] * 1e3, max_rows);
	double tb = build(&c, busiest, &o, &rows);
	printf("busiest_links %zu\nbusiest_ms %.3f\nbusiest_rows %zu\n", links, tb * 1e3, rows);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak_rss_mib %.1f\n", (double)ru.ru_maxrss / 1024);
	free(t);
	storymap_cache_free(o.cache);
	collection_free(&c);
	return 0;
}
