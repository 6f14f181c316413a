/* SPDX-License-Identifier: GPL-3.0-or-later */
/* search-bench.c: time the search core over a collection (bench/search, bench/README.md).
 *
 *   search-bench [-r RUNS] [-e] PATH QUERY...
 *
 * Loads PATH, then for each QUERY searches every article RUNS times (default 7) and
 * prints the median, min and max wall time. The very first search folds every
 * article's key and is timed on its own. Each search is timed twice over: "find" asks
 * only whether each article matches (what a result list needs); "locate" also asks
 * where the first match is, in the article's text, for every matching article (what
 * --search prints). -e makes the queries POSIX extended regexes. Ends with the peak
 * RSS. Output lines are "key value..." for scripts. */
#include <config.h>

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "benchutil.h"
#include "collection.h"
#include "loader.h"
#include "search.h"

/* Search every article once; returns how many matched. "find" is search_collection,
 * whose scan (search_scan) the reader's list filter runs in slices. */
static size_t search_all(struct search_keys *k, const struct search *q, bool locate)
{
	size_t hits = 0, s, e;
	if (!locate) {
		search_hits v = {0};
		search_collection(k, q, &v);
		free(v.v);
		return v.n;
	}
	for (size_t i = 0; i < collection_count(k->c); i++)
		if (search_article(k, i, q, &s, &e))
			hits++;
	return hits;
}

/* Time runs searches; print "label median min max hits" in milliseconds. */
static void time_query(struct search_keys *k, const struct search *q, const char *query,
		       bool locate, int runs)
{
	double *t = calloc((size_t)runs, sizeof *t);
	size_t hits = 0;

	if (!t)
		abort();
	for (int r = 0; r < runs; r++) {
		double t0 = bench_now();
		hits = search_all(k, q, locate);
		t[r] = bench_now() - t0;
	}
	qsort(t, (size_t)runs, sizeof *t, bench_cmp_double);
	double median = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
	printf("%-6s %s: median %.1f ms (min %.1f, max %.1f) over %d runs, %zu matching\n",
	       locate ? "locate" : "find", query, median * 1e3, t[0] * 1e3, t[runs - 1] * 1e3, runs,
	       hits);
	free(t);
}

int main(int argc, char **argv)
{
	int runs = 7, opt;
	bool regex = false;

	while ((opt = getopt(argc, argv, "r:e")) != -1) {
		switch (opt) {
		case 'r': runs = atoi(optarg); break;
		case 'e': regex = true; break;
		default: goto usage;
		}
	}
	if (runs < 1 || argc - optind < 2)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0); /* progress, when piped */
	/* As xinwen's script modes: sanitizing and regexes need a UTF-8 locale. */
	setlocale(LC_ALL, "");
	if (strcmp(nl_langinfo(CODESET), "UTF-8") != 0 && !setlocale(LC_CTYPE, "C.UTF-8")) {
		fputs("search-bench: no UTF-8 locale (try LC_ALL=C.UTF-8)\n", stderr);
		return 1;
	}

	struct collection c;
	double t0 = bench_now();
	collection_init(&c);
	loader_load_path(&c, argv[optind]);
	collection_finish(&c);
	double load = bench_now() - t0;
	size_t bytes = 0, full = 0;
	for (size_t i = 0; i < collection_count(&c); i++) {
		const struct article *a = collection_article(&c, i);
		bytes += a->title.n + 1 + a->body.n;
		full += a->kind == ARTICLE_FULL;
	}
	printf("collection %zu articles (%zu files, %zu excerpts), %.1f MB of title and "
	       "body text\n",
	       collection_count(&c), full, collection_count(&c) - full, (double)bytes / 1e6);
	printf("load %.0f ms\n", load * 1e3);
	if (fold_ts_problem())
		printf("warning %s\n", fold_ts_problem());

	struct search_keys k;
	search_keys_init(&k, &c);
	for (int i = optind + 1; i < argc; i++) {
		struct search q;
		char err[256];
		if (!search_compile(&q, argv[i], strlen(argv[i]), regex, err, sizeof err)) {
			fprintf(stderr, "search-bench: %s: %s\n", argv[i], err);
			return 2;
		}
		if (i == optind + 1) {
			t0 = bench_now();
			size_t hits = search_all(&k, &q, false);
			printf("first  %s: %.0f ms (folds every key), %zu matching\n", argv[i],
			       (bench_now() - t0) * 1e3, hits);
		}
		time_query(&k, &q, argv[i], false, runs);
		time_query(&k, &q, argv[i], true, runs);
		search_free(&q);
	}
	size_t keybytes = 0;
	for (size_t i = 0; i < collection_count(&c); i++)
		keybytes += k.v[i].n;
	printf("keys %.1f MB\n", (double)keybytes / 1e6);

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak-rss %.0f MB\n", (double)ru.ru_maxrss / 1024);
	search_keys_free(&k);
	collection_free(&c);
	return 0;
usage:
	fputs("usage: search-bench [-r RUNS] [-e] PATH QUERY...\n", stderr);
	return 2;
}
