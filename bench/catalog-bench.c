/* SPDX-License-Identifier: GPL-3.0-or-later */
/* catalog-bench.c: how long writing a collection's catalog takes (the reader writes it
 * beside the list once a collection is loaded), and its size (bench/README.md,
 * "catalog-bench").
 *
 *   catalog-bench [-r RUNS] PATH OUT
 *
 * Loads PATH as the reader does with no catalog (lean, every file read, the collection
 * finished), then writes its catalog to the file OUT RUNS times (default 3), printing
 * the load's time, each write's, the catalog's size and the peak RSS of the process. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "benchutil.h"
#include "catalog.h"
#include "collection.h"
#include "format.h"
#include "loader.h"

int main(int argc, char **argv)
{
	struct load_opts lean = {.format = FORMAT_AUTO, .lean = true};
	struct collection c;
	struct rusage ru;
	struct stat st;
	int runs = 3, opt;

	while ((opt = getopt(argc, argv, "r:")) != -1) {
		if (opt != 'r' || (runs = atoi(optarg)) < 1) {
			fputs("usage: catalog-bench [-r RUNS] PATH OUT\n", stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		fputs("usage: catalog-bench [-r RUNS] PATH OUT\n", stderr);
		return 2;
	}
	collection_init(&c);
	double t = bench_now();
	loader_load_path_opts(&c, argv[optind], &lean);
	collection_finish(&c);
	printf("load: %zu articles in %.2f s\n", collection_count(&c), bench_now() - t);
	for (int i = 0; i < runs; i++) {
		t = bench_now();
		const char *failed = catalog_write(&c, 1, argv[optind + 1]);
		if (failed) {
			fprintf(stderr, "catalog-bench: %s: %s\n", argv[optind + 1], failed);
			return 1;
		}
		printf("catalog written in %.2f s\n", bench_now() - t);
	}
	if (stat(argv[optind + 1], &st) == 0)
		printf("catalog: %.1f MB\n", (double)st.st_size / 1e6);
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS: %ld MB\n", ru.ru_maxrss / 1024);
	collection_free(&c);
	return 0;
}
