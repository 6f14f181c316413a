/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar-bench.c: measure similar stories over a collection (bench/similar,
 * bench/README.md).
 *
 *   similar-bench [-q QUERIES] [-t TOPICS] [-c CACHEFILE] [-u PERCENT] PATH...
 *
 * Loads every PATH, builds the similar-stories index (timed, with the peak RSS before
 * and after and the index's bytes next to the text's), then asks for the top 10 of
 * QUERIES articles (default 1000, spread evenly over the full articles) and prints the
 * median, 90th percentile and max query time. With -t TOPICS (gen-collection's .topics
 * file: "ID TAB TOPIC" lines), prints precision@5: the share of the first five similar
 * stories that are of the query's topic (an excerpt takes the topic of the article that
 * cites it). When the bundled seed (000_bc5b92f142057c5b) is loaded, prints how many of
 * its related stories are among its 10 and 20 most similar. With -c, times writing the
 * index to CACHEFILE (then removed), computing the collection's key, mapping the file
 * (and the RSS it adds after the queries, which then ask the mapped index) against
 * reading it whole as version 2 did. With -u (and -c), first builds the index of the
 * collection without its last PERCENT articles in file order (records appended to a
 * JSON Lines file), saves it, then times updating it to the whole collection against
 * the whole build and compares their answers: the share of the queried articles whose
 * first similar story is the same, and precision@5 of the update. Output lines are
 * "key value..." for scripts. */
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
#include "similar_internal.h"
#include "xxh64.h"

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

/* The resident set now, and its anonymous part (the heap's, not a mapped file's), in MB,
 * from /proc/self/status. */
static void rss_now(long *rss, long *anon)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	*rss = *anon = -1;
	while (f && fgets(line, sizeof line, f)) {
		sscanf(line, "VmRSS: %ld", rss);
		sscanf(line, "RssAnon: %ld", anon);
	}
	if (f)
		fclose(f);
	*rss /= 1024;
	*anon /= 1024;
}

/* Build the index of c at once, from old when set (an update); *reused says how many
 * articles it took from old. */
static struct similar_index *build_from(const struct collection *c, const struct similar_index *old,
					size_t *reused)
{
	struct similar_build *b = similar_build_update(c, old);
	while (!similar_build_step(b, SIZE_MAX))
		;
	*reused = similar_build_reused(b);
	return similar_build_finish(b);
}

/* Whether article i of c is one of the about nq queried (spread evenly over its nfull
 * full articles); *seen counts the full ones met so far. */
static bool queried(const struct collection *c, size_t i, size_t nfull, size_t nq, size_t *seen)
{
	size_t step = nfull > nq ? nfull / nq : 1;
	return collection_article(c, i)->kind == ARTICLE_FULL && (*seen)++ % step == 0;
}

/* Judge the first five of the got hits of article i by topic (a missing hit counts as
 * a wrong one). */
static void judge5(const int *topic, size_t i, const struct similar_hit *hits, size_t got,
		   size_t *relevant, size_t *judged)
{
	if (!topic || topic[i] < 0)
		return;
	for (size_t h = 0; h < got && h < 5; h++) {
		(*judged)++;
		*relevant += topic[hits[h].article] == topic[i];
	}
	*judged += got < 5 ? 5 - got : 0;
}

/* File order: by file, then by place in it. */
static int cmp_file_order(const void *x, const void *y)
{
	const struct article *a = *(struct article *const *)x, *b = *(struct article *const *)y;
	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	return (a->rec_off > b->rec_off) - (a->rec_off < b->rec_off);
}

/* The articles of c but its last pct percent in file order, in c's list order, as a
 * collection sharing c's articles (only its articles are read). */
static struct collection held_back(const struct collection *c, unsigned pct)
{
	struct collection old = *c;
	size_t n = collection_count(c), keep = n - n * pct / 100;
	struct article **by_file = malloc((n ? n : 1) * sizeof *by_file);
	memcpy(by_file, c->articles.v, n * sizeof *by_file);
	qsort(by_file, n, sizeof *by_file, cmp_file_order);
	unsigned char *gone = calloc(n ? n : 1, 1);
	for (size_t i = keep; i < n; i++)
		gone[by_file[i]->pos] = 1;
	old.articles.v = malloc((n ? n : 1) * sizeof *old.articles.v);
	old.articles.n = 0;
	for (size_t i = 0; i < n; i++)
		if (!gone[i])
			old.articles.v[old.articles.n++] = collection_article(c, i);
	free(by_file);
	free(gone);
	return old;
}

/* Articles by id, for bsearch. */
static const struct collection *sort_c;

static int cmp_pos_id(const void *x, const void *y)
{
	return strcmp(collection_article(sort_c, *(const size_t *)x)->id,
		      collection_article(sort_c, *(const size_t *)y)->id);
}

static int cmp_key_id(const void *key, const void *y)
{
	return strcmp(key, collection_article(sort_c, *(const size_t *)y)->id);
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
	size_t n = collection_count(c), found = 0;
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
		const struct article *a = collection_article(c, i);
		if (topic[i] < 0 && a->backlinks.n) {
			size_t j = find_id(by_id, n, collection_article(c, a->backlinks.v[0])->id);
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
	unsigned update_pct = 0;
	int opt;

	setlocale(LC_ALL, "C.UTF-8");
	while ((opt = getopt(argc, argv, "q:t:c:u:")) != -1) {
		if (opt == 'c')
			cache_file = optarg;
		else if (opt == 'u')
			update_pct = (unsigned)strtoul(optarg, NULL, 10);
		else if (opt == 'q')
			nq = (size_t)strtoul(optarg, NULL, 10);
		else if (opt == 't')
			topics_file = optarg;
		else {
			fputs("usage: similar-bench [-q QUERIES] [-t TOPICS] [-c CACHEFILE] "
			      "[-u PERCENT] PATH...\n",
			      stderr);
			return 2;
		}
	}
	if (optind == argc || nq == 0 || update_pct >= 100 || (update_pct && !cache_file)) {
		fputs("usage: similar-bench [-q QUERIES] [-t TOPICS] [-c CACHEFILE] [-u PERCENT] "
		      "PATH...\n",
		      stderr);
		return 2;
	}

	struct collection c;
	double t0 = bench_now();
	collection_init(&c);
	for (int i = optind; i < argc; i++)
		loader_load_path(&c, argv[i]);
	collection_finish(&c);
	size_t n = collection_count(&c), nfull = 0, text = 0;
	for (size_t i = 0; i < n; i++) {
		const struct article *a = collection_article(&c, i);
		nfull += a->kind == ARTICLE_FULL;
		text += a->title.n + a->body.n;
	}
	printf("load %.2f s, %zu articles (%zu full), %.1f MB of title and body text\n",
	       bench_now() - t0, n, nfull, (double)text / 1e6);
	long rss0 = peak_rss_mb();

	char old_file[4200];
	if (update_pct) { /* the collection before its last records were appended */
		struct collection before = held_back(&c, update_pct);
		size_t reused;
		snprintf(old_file, sizeof old_file, "%s.old", cache_file);
		t0 = bench_now();
		double c0 = cpu();
		struct similar_index *ox = build_from(&before, NULL, &reused);
		printf("update: the index of %zu articles (all but the last %u%%) built in %.1f s "
		       "(CPU %.1f s), peak-rss %ld MB\n",
		       collection_count(&before), update_pct, bench_now() - t0, cpu() - c0,
		       peak_rss_mb());
		t0 = bench_now();
		bool saved = similar_cache_save(old_file, similar_cache_key(&before), ox);
		printf("update: written in %.1f s (%s)\n", bench_now() - t0,
		       saved ? "ok" : "failed");
		similar_index_free(ox);
		free(before.articles.v);
	}

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

	int *topic = topics_file ? read_topics(&c, topics_file) : NULL;
	if (update_pct) {
		struct similar_index *old = NULL;
		uint64_t had;
		char why[160];
		size_t reused = 0;
		t0 = bench_now();
		enum similar_cache_status st = similar_cache_open(old_file, &old, &had, why,
								  sizeof why);
		double topen = bench_now() - t0;
		t0 = bench_now();
		c0 = cpu();
		struct similar_index *ux = st == SIMILAR_CACHE_OK ? build_from(&c, old, &reused)
								  : NULL;
		double tup = bench_now() - t0, cup = cpu() - c0;
		printf("update: mapped in %.3f s, updated to %zu articles (%zu kept, %zu read) in "
		       "%.1f s (CPU %.1f s) against the build's %.1f s (CPU %.1f s): %.1f x "
		       "faster\n",
		       topen, n, reused, n - reused, tup, cup, build, build_cpu, build / tup);
		size_t asked = 0, same = 0, relevant = 0, judged = 0, seen = 0;
		struct similar_hit h1[5], h2[5];
		for (size_t i = 0; ux && i < n && asked < nq; i++) {
			if (!queried(&c, i, nfull, nq, &seen))
				continue;
			size_t g1 = similar_query(ux, i, h1, 5), g2 = similar_query(ix, i, h2, 5);
			asked++;
			same += g1 == g2 && (!g1 || h1[0].article == h2[0].article);
			judge5(topic, i, h1, g1, &relevant, &judged);
		}
		printf("update: the first similar story the same as the build's for %zu of %zu "
		       "articles; drift %zu; precision@5 %.4f (%zu of %zu)\n",
		       same, asked, ux ? ux->drift : 0,
		       judged ? (double)relevant / (double)judged : 0, relevant, judged);
		similar_index_free(ux);
		similar_index_free(old);
		unlink(old_file);
	}

	if (cache_file) {
		t0 = bench_now();
		uint64_t key = similar_cache_key(&c);
		double tkey = bench_now() - t0;
		t0 = bench_now();
		bool saved = similar_cache_save(cache_file, key, ix);
		double tsave = bench_now() - t0;
		/* the bytes of version 2's file: all but the counts kept for updates */
		size_t counts = ix->nterms * 8;
		similar_index_free(ix);
		long rss_a, anon_a, rss_b, anon_b;
		rss_now(&rss_a, &anon_a);
		/* As version 2 loaded it: read whole into memory, every byte checked. */
		t0 = bench_now();
		size_t fsize = 0;
		FILE *f = fopen(cache_file, "rb");
		if (f && fseek(f, 0, SEEK_END) == 0)
			fsize = (size_t)ftell(f);
		fsize = fsize > counts ? fsize - counts : 0;
		char *whole = malloc(fsize ? fsize : 1);
		if (!f || !whole || fseek(f, 0, SEEK_SET) != 0 ||
		    fread(whole, 1, fsize, f) != fsize) {
			perror(cache_file);
			return 1;
		}
		fclose(f);
		uint64_t h = xxh64(whole, fsize, 0);
		double tread = bench_now() - t0;
		rss_now(&rss_b, &anon_b);
		free(whole);
		printf("cache key %.3f s, write+fsync %.3f s (%s), %.1f MB + %.1f MB of counts; "
		       "the index read whole + checksum %.3f s, +%ld MB RSS (%llx)\n",
		       tkey, tsave, saved ? "ok" : "failed", (double)fsize / 1e6,
		       (double)counts / 1e6, tread, anon_b - anon_a, (unsigned long long)(h & 0xf));
		char why[160];
		rss_now(&rss_a, &anon_a);
		t0 = bench_now();
		enum similar_cache_status st = similar_cache_load(cache_file, key, n, &ix, why,
								  sizeof why);
		double tmap = bench_now() - t0;
		rss_now(&rss_b, &anon_b);
		printf("cache mapped %.4f s (%s), +%ld MB RSS (+%ld MB heap) at opening\n", tmap,
		       st == SIMILAR_CACHE_OK ? "ok" : why, rss_b - rss_a, anon_b - anon_a);
		if (st != SIMILAR_CACHE_OK)
			return 1;
	}
	long rss_q0, anon_q0;
	rss_now(&rss_q0, &anon_q0);

	double *t = calloc(nq, sizeof *t);
	struct similar_hit hits[20];
	size_t asked = 0, relevant = 0, judged = 0, seen = 0;
	for (size_t i = 0; i < n && asked < nq; i++) {
		if (!queried(&c, i, nfull, nq, &seen))
			continue;
		double q0 = bench_now();
		size_t got = similar_query(ix, i, hits, 10);
		t[asked++] = (bench_now() - q0) * 1000;
		judge5(topic, i, hits, got, &relevant, &judged);
	}
	qsort(t, asked, sizeof *t, bench_cmp_double);
	if (asked)
		printf("query top-10: median %.3f ms, p90 %.3f ms, max %.3f ms over %zu queries\n",
		       t[asked / 2], t[asked * 9 / 10], t[asked - 1], asked);
	if (topic && judged)
		printf("precision@5 %.4f (%zu of %zu)\n", (double)relevant / (double)judged,
		       relevant, judged);
	if (cache_file) {
		long rss_q1, anon_q1;
		rss_now(&rss_q1, &anon_q1);
		printf("cache mapped: +%ld MB RSS (+%ld MB heap) after the queries%s\n",
		       rss_q1 - rss_q0, anon_q1 - anon_q0,
		       similar_index_damage(ix) ? ", DAMAGED" : "");
	}

	struct article *seed = collection_find(&c, SEED_ID);
	if (seed) {
		size_t si = collection_index(&c, seed), got = similar_query(ix, si, hits, 20);
		size_t in10 = 0, in20 = 0;
		for (size_t h = 0; h < got; h++)
			for (size_t r = 0; r < seed->related.n; r++)
				if (seed->related.v[r].target == hits[h].article) {
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
	if (cache_file)
		unlink(cache_file);
	collection_free(&c);
	return 0;
}
