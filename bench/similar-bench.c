/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar-bench.c: measure similar stories over a collection (bench/similar,
 * bench/README.md).
 *
 *   similar-bench [-q QUERIES] [-t TOPICS] [-c CACHEFILE] PATH...
 *
 * Loads every PATH, builds the similar-stories index (timed, with the peak RSS before
 * and after and the index's bytes next to the text's), then asks for the top 10 of
 * QUERIES articles (default 1000, spread evenly over the full articles) and prints the
 * median, 90th percentile and max query time. With -t TOPICS (gen-collection's .topics
 * file: "ID TAB TOPIC" lines), prints precision@5: the share of the first five similar
 * stories that are of the query's topic (an excerpt takes the topic of the article that
 * cites it). When the bundled seed (000_bc5b92f142057c5b) is loaded, prints how many of
 * its related stories are among its 10 and 20 most similar. With -c, times writing the
 * index to CACHEFILE (then removed), computing the collection's key and reading the
 * index back. Output lines are "key value..." for scripts. */
#include <config.h>

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "benchutil.h"
#include "collection.h"
#include "loader.h"
#include "similar.h"
#include "similar_cache.h"

#define SEED_ID "000_bc5b92f142057c5b"

static long peak_rss_mb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss / 1024;
}

/* CPU time used so far (user + system), in seconds: steadier than wall time on a
 * shared machine. */
static double cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* Articles by id, for bsearch. */
static const struct collection *sort_c;

static int cmp_pos_id(const void *x, const void *y)
{
	return strcmp(sort_c->articles.v[*(const size_t *)x]->id,
		      sort_c->articles.v[*(const size_t *)y]->id);
}

static int cmp_key_id(const void *key, const void *y)
{
	return strcmp(key, sort_c->articles.v[*(const size_t *)y]->id);
}

/* The list position of the article with id, or SIZE_MAX. */
static size_t find_id(const size_t *by_id, size_t n, const char *id)
{
	const size_t *p = bsearch(id, by_id, n, sizeof *by_id, cmp_key_id);
	return p ? *p : SIZE_MAX;
}

/* topic[i] of each article by list position, -1 when unknown; from the TOPICS file. */
static int *read_topics(const struct collection *c, const char *file)
{
	FILE *f = fopen(file, "r");
	size_t n = c->articles.n, found = 0;
	int *topic = malloc((n ? n : 1) * sizeof *topic);
	size_t *by_id = malloc((n ? n : 1) * sizeof *by_id);
	char line[256];

	if (!f || !topic || !by_id) {
		perror(file);
		exit(1);
	}
	for (size_t i = 0; i < n; i++) {
		topic[i] = -1;
		by_id[i] = i;
	}
	sort_c = c;
	qsort(by_id, n, sizeof *by_id, cmp_pos_id);
	while (fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = '\0';
		size_t i = find_id(by_id, n, line);
		if (i != SIZE_MAX) {
			topic[i] = atoi(tab + 1);
			found++;
		}
	}
	fclose(f);
	/* Excerpts: the topic of the first article that cites them. */
	for (size_t i = 0; i < n; i++) {
		const struct article *a = c->articles.v[i];
		if (topic[i] < 0 && a->backlinks.n) {
			size_t j = find_id(by_id, n, a->backlinks.v[0]->id);
			topic[i] = j == SIZE_MAX ? -1 : topic[j];
		}
	}
	free(by_id);
	printf("topics %zu articles with a topic, from %s\n", found, file);
	return topic;
}

int main(int argc, char **argv)
{
	size_t nq = 1000;
	const char *topics_file = NULL, *cache_file = NULL;
	int opt;

	setlocale(LC_ALL, "C.UTF-8");
	while ((opt = getopt(argc, argv, "q:t:c:")) != -1) {
		if (opt == 'c')
			cache_file = optarg;
		else if (opt == 'q')
			nq = (size_t)strtoul(optarg, NULL, 10);
		else if (opt == 't')
			topics_file = optarg;
		else {
			fputs("usage: similar-bench [-q QUERIES] [-t TOPICS] [-c CACHEFILE] "
			      "PATH...\n",
			      stderr);
			return 2;
		}
	}
	if (optind == argc || nq == 0) {
		fputs("usage: similar-bench [-q QUERIES] [-t TOPICS] [-c CACHEFILE] PATH...\n",
		      stderr);
		return 2;
	}

	struct collection c;
	double t0 = bench_now();
	collection_init(&c);
	for (int i = optind; i < argc; i++)
		loader_load_path(&c, argv[i]);
	collection_finish(&c);
	size_t n = c.articles.n, nfull = 0, text = 0;
	for (size_t i = 0; i < n; i++) {
		const struct article *a = c.articles.v[i];
		nfull += a->kind == ARTICLE_FULL;
		text += a->title.n + a->body.n;
	}
	printf("load %.2f s, %zu articles (%zu full), %.1f MB of title and body text\n",
	       bench_now() - t0, n, nfull, (double)text / 1e6);
	long rss0 = peak_rss_mb();

	t0 = bench_now();
	double c0 = cpu();
	/* As the reader builds it: slices of 64 KB of text (app_similar.c), the longest of
	 * which is how long a key can wait for the build. */
	struct similar_build *b = similar_build_start(&c);
	double longest = 0, s0 = bench_now();
	size_t slices = 1;
	while (!similar_build_step(b, (size_t)64 << 10)) {
		double s1 = bench_now();
		longest = s1 - s0 > longest ? s1 - s0 : longest;
		s0 = s1;
		slices++;
	}
	struct similar_index *ix = similar_build_finish(b);
	double build = bench_now() - t0, build_cpu = cpu() - c0;
	long rss1 = peak_rss_mb();
	printf("build %.3f s (CPU %.3f s)\n", build, build_cpu);
	printf("slices %zu of 64 KB, the longest %.1f ms\n", slices, longest * 1000);
	printf("index %.1f MB (%.3f x the text)\n", (double)similar_index_bytes(ix) / 1e6,
	       (double)similar_index_bytes(ix) / (double)(text ? text : 1));
	printf("peak-rss %ld MB after loading, %ld MB after building (+%ld MB, %.3f x the text)\n",
	       rss0, rss1, rss1 - rss0,
	       (double)(rss1 - rss0) * 1048576.0 / (double)(text ? text : 1));

	if (cache_file) {
		t0 = bench_now();
		uint64_t key = similar_cache_key(&c);
		double tkey = bench_now() - t0;
		t0 = bench_now();
		bool saved = similar_cache_save(cache_file, key, ix);
		double tsave = bench_now() - t0;
		struct similar_index *back = NULL;
		char why[160];
		t0 = bench_now();
		enum similar_cache_status st = similar_cache_load(cache_file, key, n, &back, why,
								  sizeof why);
		double tload = bench_now() - t0;
		printf("cache key %.3f s, write+fsync %.3f s (%s), read+check %.3f s (%s)\n", tkey,
		       tsave, saved ? "ok" : "failed", tload, st == SIMILAR_CACHE_OK ? "ok" : why);
		similar_index_free(back);
		unlink(cache_file);
	}

	int *topic = topics_file ? read_topics(&c, topics_file) : NULL;
	double *t = calloc(nq, sizeof *t);
	struct similar_hit hits[20];
	size_t asked = 0, relevant = 0, judged = 0, step = nfull > nq ? nfull / nq : 1, seen = 0;
	for (size_t i = 0; i < n && asked < nq; i++) {
		if (c.articles.v[i]->kind != ARTICLE_FULL || seen++ % step)
			continue;
		double q0 = bench_now();
		size_t got = similar_query(ix, i, hits, 10);
		t[asked++] = (bench_now() - q0) * 1000;
		if (!topic || topic[i] < 0)
			continue;
		for (size_t h = 0; h < got && h < 5; h++) {
			judged++;
			relevant += topic[hits[h].article] == topic[i];
		}
		judged += got < 5 ? 5 - got : 0; /* a missing hit counts as a wrong one */
	}
	qsort(t, asked, sizeof *t, bench_cmp_double);
	if (asked)
		printf("query top-10: median %.3f ms, p90 %.3f ms, max %.3f ms over %zu queries\n",
		       t[asked / 2], t[asked * 9 / 10], t[asked - 1], asked);
	if (topic && judged)
		printf("precision@5 %.4f (%zu of %zu)\n", (double)relevant / (double)judged,
		       relevant, judged);

	struct article *seed = collection_find(&c, SEED_ID);
	if (seed) {
		size_t si = collection_index(&c, seed), got = similar_query(ix, si, hits, 20);
		size_t in10 = 0, in20 = 0;
		for (size_t h = 0; h < got; h++)
			for (size_t r = 0; r < seed->related.n; r++)
				if (seed->related.v[r].target == c.articles.v[hits[h].article]) {
					in20++;
					in10 += h < 10;
					break;
				}
		printf("seed %zu related stories: %zu among its 10 most similar, %zu among 20\n",
		       seed->related.n, in10, in20);
	}
	free(t);
	free(topic);
	similar_index_free(ix);
	collection_free(&c);
	return 0;
}
