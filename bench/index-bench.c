/* SPDX-License-Identifier: GPL-3.0-or-later */
/* index-bench.c: the full-text index engines side by side on one generated corpus
 * (bench/README.md, "Full-text index").
 *
 *   index-bench --count N [--chars C] [--seed S] [--queries Q] [--step MB]
 *               [--engines index,fts5,own] [--reuse] [--slow MS] DB
 *
 * Generates N articles of about C characters of Chinese-like text (Zipf words over a
 * Zipf alphabet whose commonest characters are the bundled seed article's), folded as
 * search keys are, and for each engine: builds its index (MB of UTF-8 text per second,
 * index bytes against the text's), then times Q queries of 2 to 10 characters, half
 * taken from common words, half from random places in random articles, plus misses:
 * the exact count of matching articles, median and p99 per class. The index commits a
 * segment per --step MB of text (default 32, as the reader and xinwen --index; FTS5
 * a transaction per 32 MB). Engines:
 *   index: src/index.c, the reader's (segments of bigram postings with positions),
 *         files DB-*; each query timed twice: as before 2 December 2026 ("index0":
 *         one thread, every bigram's list read) and as the reader runs it (the
 *         bigrams that cover the query, a long list's blocks on two threads);
 *   fts5: index-fts5.c, the SQLite FTS5 index the reader used before (bigram tokenizer,
 *         positions), file DB.fts5 (when built with SQLite);
 *   own:  postings of our own, in memory: per bigram the sorted ids of the articles
 *         that hold it (delta varint), intersected, then each candidate checked in
 *         its folded text (held in memory here: a lower bound of the real cost).
 * --reuse: query the index DB an earlier run of the same --count, --chars and --seed
 * built (the corpus is generated again for its queries, not indexed); --slow MS: print
 * each query that took MS ms of CPU or more. Peak RSS comes from /usr/bin/time -v
 * around it (bench/index does that). */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <unistr.h>

#include "benchutil.h"
#include "fold.h"
#include "index.h"
#include "index_internal.h"
#ifdef HAVE_SQLITE
#include "index-fts5.h"
#endif
#include "strbuf.h"
#include "xalloc.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;

/* Seconds of CPU the process has used, all its threads (the machine is shared: wall
 * time varies); only one engine works at a time. */
static double cpu_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A Zipf(1) draw among n ranks by its cumulative table. */
struct zipf {
	double *cum;
	size_t n;
};

static void zipf_init(struct zipf *z, size_t n, double s)
{
	z->cum = xmalloc(n * sizeof *z->cum);
	z->n = n;
	double t = 0;
	for (size_t i = 0; i < n; i++) {
		t += 1.0 / pow((double)(i + 1), s);
		z->cum[i] = t;
	}
	for (size_t i = 0; i < n; i++)
		z->cum[i] /= t;
}

static size_t zipf_draw(const struct zipf *z)
{
	double u = (double)(next_rand() >> 11) / (double)(1ull << 53);
	size_t lo = 0, hi = z->n - 1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (z->cum[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#define NCHARS 5000
#define NWORDS 80000

static ucs4_t alphabet[NCHARS];
static char *words[NWORDS];
static struct zipf zchar, zword;

/* The alphabet: the seed's Han characters by frequency, then other CJK ideographs. */
static void make_alphabet(const char *seed, size_t n)
{
	static unsigned counts[0x10000];
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		ucs4_t cp;
		int len = u8_mbtouc(&cp, (const uint8_t *)seed + i, n - i);
		i += len > 0 ? (size_t)len : 1;
		if (cp >= 0x4E00 && cp < 0xA000)
			counts[cp]++;
	}
	for (;;) {
		unsigned best = 0;
		ucs4_t at = 0;
		for (ucs4_t cp = 0x4E00; cp < 0xA000; cp++)
			if (counts[cp] > best)
				best = counts[cp], at = cp;
		if (!best || k >= NCHARS / 4)
			break;
		counts[at] = 0;
		alphabet[k++] = at;
	}
	for (ucs4_t cp = 0x4E00; k < NCHARS; cp += 7)
		alphabet[k++] = cp;
}

static void make_words(void)
{
	for (size_t w = 0; w < NWORDS; w++) {
		struct strbuf b = {0};
		uint64_t r = next_rand() % 100;
		size_t len = r < 20 ? 1 : r < 75 ? 2 : r < 90 ? 3 : 4;
		for (size_t i = 0; i < len; i++) {
			uint8_t u[6];
			int l = u8_uctomb(u, alphabet[zipf_draw(&zchar)], 6);
			sb_append(&b, (const char *)u, (size_t)l);
		}
		words[w] = b.s;
	}
}

/* An article of about chars characters (title line, source line, body). */
static void make_article(struct strbuf *t, size_t chars)
{
	size_t clause = 0;
	sb_clear(t);
	while (t->n / 3 < chars) {
		sb_puts(t, words[zipf_draw(&zword)]);
		if (++clause > 4 + next_rand() % 10) {
			sb_puts(t, next_rand() % 3 ? "，" : "。");
			clause = 0;
			if (next_rand() % 40 == 0)
				sb_printf(t, "%u", (unsigned)(next_rand() % 3000));
		}
	}
}

/* ---- Our own postings, in memory. ---- */

struct own {
	uint64_t *keys; /* bigram keys, sorted */
	size_t *start;	/* postings of keys[i]: bytes[start[i], start[i + 1]) */
	uint8_t *bytes;
	size_t nkeys, nbytes;
};

static uint64_t bigram_key(ucs4_t a, ucs4_t b)
{
	return (uint64_t)a << 21 | b;
}

struct pair {
	uint64_t key;
	uint32_t doc;
};

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->doc > b->doc) - (a->doc < b->doc);
}

static void own_build(struct own *o, char **docs, size_t *lens, size_t n)
{
	VEC(struct pair) pairs = {0};
	for (size_t d = 0; d < n; d++) {
		ucs4_t prev = 0;
		for (size_t i = 0; i < lens[d];) {
			ucs4_t cp;
			int len = u8_mbtouc(&cp, (const uint8_t *)docs[d] + i, lens[d] - i);
			i += len > 0 ? (size_t)len : 1;
			if (prev) {
				struct pair p = {bigram_key(prev, cp), (uint32_t)d};
				VEC_PUSH(&pairs, p);
			}
			prev = cp;
		}
	}
	qsort(pairs.v, pairs.n, sizeof *pairs.v, cmp_pair);
	VEC(uint64_t) keys = {0};
	VEC(size_t) start = {0};
	VEC(uint8_t) bytes = {0};
	for (size_t i = 0; i < pairs.n;) {
		uint64_t k = pairs.v[i].key;
		uint32_t last = 0;
		VEC_PUSH(&keys, k);
		VEC_PUSH(&start, bytes.n);
		for (; i < pairs.n && pairs.v[i].key == k; i++) {
			if (i > 0 && pairs.v[i - 1].key == k &&
			    pairs.v[i - 1].doc == pairs.v[i].doc)
				continue;
			uint32_t delta = pairs.v[i].doc - last;
			last = pairs.v[i].doc;
			do {
				uint8_t b = delta & 0x7f;
				delta >>= 7;
				VEC_PUSH(&bytes, (uint8_t)(b | (delta ? 0x80 : 0)));
			} while (delta);
		}
	}
	VEC_PUSH(&start, bytes.n);
	free(pairs.v);
	o->keys = keys.v;
	o->start = start.v;
	o->bytes = bytes.v;
	o->nkeys = keys.n;
	o->nbytes = bytes.n;
}

typedef VEC(uint32_t) u32vec;

static void own_list(const struct own *o, uint64_t key, u32vec *out)
{
	size_t lo = 0, hi = o->nkeys;
	out->n = 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (o->keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == o->nkeys || o->keys[lo] != key)
		return;
	uint32_t d = 0;
	for (size_t i = o->start[lo]; i < o->start[lo + 1];) {
		uint32_t delta = 0;
		int shift = 0;
		uint8_t b;
		do {
			b = o->bytes[i++];
			delta |= (uint32_t)(b & 0x7f) << shift;
			shift += 7;
		} while (b & 0x80);
		d += delta;
		VEC_PUSH(out, d);
	}
}

/* The exact count of docs holding q: intersect its bigrams' lists, check each. */
static size_t own_count(const struct own *o, char **docs, size_t *lens, const char *q, size_t qn)
{
	u32vec cand = {0}, list = {0};
	ucs4_t prev = 0;
	bool first = true;
	for (size_t i = 0; i < qn;) {
		ucs4_t cp;
		int len = u8_mbtouc(&cp, (const uint8_t *)q + i, qn - i);
		i += len > 0 ? (size_t)len : 1;
		if (prev) {
			own_list(o, bigram_key(prev, cp), first ? &cand : &list);
			if (!first) {
				size_t k = 0, j = 0;
				for (size_t c = 0; c < cand.n; c++) {
					while (j < list.n && list.v[j] < cand.v[c])
						j++;
					if (j < list.n && list.v[j] == cand.v[c])
						cand.v[k++] = cand.v[c];
				}
				cand.n = k;
			}
			first = false;
		}
		prev = cp;
	}
	size_t count = 0;
	for (size_t c = 0; c < cand.n; c++)
		count += memmem(docs[cand.v[c]], lens[cand.v[c]], q, qn) != NULL;
	free(cand.v);
	free(list.v);
	return count;
}

/* ---- Queries. ---- */

static double *cpu_ms; /* each query's CPU time, beside its wall time */

static void print_times(const char *engine, const char *kind, double *ms, size_t n, double hits)
{
	qsort(ms, n, sizeof *ms, bench_cmp_double);
	qsort(cpu_ms, n, sizeof *cpu_ms, bench_cmp_double);
	printf("%-6s %-7s queries %4zu  median %7.2f ms  p99 %7.2f ms  max %7.2f ms  "
	       "(CPU median %6.2f p99 %6.2f)  mean hits %.0f\n",
	       engine, kind, n, ms[n / 2], ms[n * 99 / 100], ms[n - 1], cpu_ms[n / 2],
	       cpu_ms[n * 99 / 100], hits / (double)n);
}

#ifdef HAVE_SQLITE
/* Build the FTS5 index of the texts docs[0, count) in file DB.fts5, one transaction per
 * 64 MB, and time the queries. */
static void bench_fts5(const char *db, char **docs, size_t *lens, size_t count, uint64_t text_bytes,
		       char **sets[3], const size_t nsets[3], const char *kinds[3], double *ms)
{
	char path[4096], why[512];
	bool rebuilt;
	snprintf(path, sizeof path, "%s.fts5", db);
	unlink(path);
	double t0 = bench_now(), c0 = cpu_now();
	struct fts5_index *ix = fts5_open(path, &rebuilt, why, sizeof why);
	if (!ix) {
		fprintf(stderr, "index-bench: %s\n", why);
		return;
	}
	const char *tune = getenv("INDEX_BENCH_TUNE");
	if (tune && !fts5_raw_exec(ix, tune, why, sizeof why))
		fprintf(stderr, "index-bench: INDEX_BENCH_TUNE: %s\n", why);
	fts5_raw_exec(ix, "BEGIN", why, sizeof why);
	uint64_t batch = 0;
	for (size_t d = 0; d < count; d++) {
		if (!fts5_raw_add(ix, (int64_t)d + 1, d, d, docs[d], lens[d], why, sizeof why)) {
			fprintf(stderr, "index-bench: %s\n", why);
			fts5_close(ix);
			return;
		}
		batch += lens[d];
		if (batch > (32u << 20)) {
			fts5_raw_exec(ix, "COMMIT; BEGIN", why, sizeof why);
			batch = 0;
		}
	}
	fts5_raw_exec(ix, "COMMIT", why, sizeof why);
	fts5_raw_exec(ix, "PRAGMA wal_checkpoint(TRUNCATE)", why, sizeof why);
	double s = bench_now() - t0, cpu = cpu_now() - c0;
	uint64_t bytes = fts5_file_bytes(path);
	printf("fts5  build %.1f s (CPU %.1f s), %.1f MB/s (%.1f per CPU second); index "
	       "%.1f MB = %.2f x the text\n",
	       s, cpu, (double)text_bytes / 1e6 / s, (double)text_bytes / 1e6 / cpu,
	       (double)bytes / 1e6, (double)bytes / (double)text_bytes);
	for (int k = 0; k < 3; k++) {
		double hits = 0;
		for (size_t q = 0; q < nsets[k]; q++) {
			double q0 = bench_now_ms(), qc = cpu_now();
			int64_t c = fts5_raw_count(ix, sets[k][q], strlen(sets[k][q]));
			ms[q] = bench_now_ms() - q0;
			cpu_ms[q] = (cpu_now() - qc) * 1e3;
			hits += (double)c;
		}
		print_times("fts5", kinds[k], ms, nsets[k], hits);
	}
	fts5_close(ix);
	unlink(path);
	snprintf(path, sizeof path, "%s.fts5-wal", db);
	unlink(path);
	snprintf(path, sizeof path, "%s.fts5-shm", db);
	unlink(path);
}
#endif

/* Bytes this process has written (write, pwrite) so far; 0 where /proc does not say. */
static uint64_t written_bytes(void)
{
	FILE *f = fopen("/proc/self/io", "r");
	char line[128];
	unsigned long long v = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "wchar: %llu", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	size_t count = 0, chars = 600, nq = 300, step = 32;
	const char *engines = "index,fts5,own", *db = NULL;
	uint64_t seed = 1;
	bool reuse = false;
	double slow = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--reuse"))
			reuse = true;
		else if (!strcmp(argv[i], "--slow") && i + 1 < argc)
			slow = strtod(argv[++i], NULL);
		else if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--chars") && i + 1 < argc)
			chars = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--queries") && i + 1 < argc)
			nq = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--step") && i + 1 < argc)
			step = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--engines") && i + 1 < argc)
			engines = argv[++i];
		else
			db = argv[i];
	}
	if (!count || !db || !step) {
		fputs("usage: index-bench --count N [--chars C] [--seed S] [--queries Q] [--step "
		      "MB] "
		      "[--engines index,fts5,own] [--reuse] [--slow MS] DB\n",
		      stderr);
		return 2;
	}
	const char *top = getenv("TOP_SRCDIR");
	char seedpath[4096];
	snprintf(seedpath, sizeof seedpath, "%s/data/000_bc5b92f142057c5b.txt", top ? top : ".");
	size_t seedn;
	char *seedtext = bench_read_file(seedpath, &seedn);
	rng ^= seed * 0x2545F4914F6CDD1Du;
	zipf_init(&zchar, NCHARS, 1.0);
	zipf_init(&zword, NWORDS, 1.0);
	make_alphabet(seedtext, seedn);
	make_words();
	fold_prepare();

	bool want_own = strstr(engines, "own") != NULL, want_fts = strstr(engines, "fts5") != NULL;
	bool want_ix = strstr(engines, "index") != NULL;
	char **docs = want_own || want_fts ? xcalloc(count, sizeof *docs) : NULL;
	size_t *lens = docs ? xcalloc(count, sizeof *lens) : NULL;
	/* Queries: taken from texts as they are generated (every count/nq-th article). */
	VEC(char *) common = {0}, rare = {0}, miss = {0};
	struct strbuf t = {0};
	struct folded f;
	uint64_t text_bytes = 0;
	double gen_s = 0, ix_s = 0, ix_cpu = 0;
	struct text_index *ix = NULL;
	char why[512];
	if (want_ix) {
		bool rebuilt;
		if (!reuse)
			unlink(db);
		ix = index_open(db, &rebuilt, why, sizeof why);
		if (ix && reuse && rebuilt) {
			fprintf(stderr, "index-bench: --reuse: no index at %s\n", db);
			return 1;
		}
		if (!ix) {
			fprintf(stderr, "index-bench: %s\n", why);
			return 1;
		}
	}
	uint64_t batch = 0;
	for (size_t d = 0; d < count; d++) {
		double t0 = bench_now();
		make_article(&t, chars / 2 + next_rand() % chars);
		fold_text(&f, t.s, t.n, false);
		gen_s += bench_now() - t0;
		text_bytes += t.n;
		if (d % (count / nq + 1) == 0 && f.n > 40) {
			/* A rare query: 2 to 10 characters from a random place. */
			size_t len = 2 + next_rand() % 9, at = next_rand() % (f.n - 31);
			while (at > 0 && ((unsigned char)f.s[at] & 0xC0) == 0x80)
				at--;
			size_t e = at;
			for (size_t k = 0; k < len && e < f.n; k++)
				e += (size_t)u8_mblen((const uint8_t *)f.s + e, f.n - e);
			VEC_PUSH(&rare, xstrndup(f.s + at, e - at));
		}
		t0 = bench_now();
		double c0 = cpu_now();
		if (ix && !reuse) {
			index_raw_add(ix, d, d, f.s, f.n);
			batch += t.n;
			/* One segment per step MB of text (xinwen --index: 32). */
			if (batch > (step << 20)) {
				if (!index_raw_commit(ix, why, sizeof why)) {
					fprintf(stderr, "index-bench: %s\n", why);
					return 1;
				}
				batch = 0;
			}
		}
		ix_s += bench_now() - t0;
		ix_cpu += cpu_now() - c0;
		if (docs) {
			docs[d] = f.s;
			lens[d] = f.n;
			f.s = NULL;
		}
		folded_free(&f);
		if (d % 100000 == 0 && d)
			fprintf(stderr, "index-bench: %zu articles, %.0f MB, index %.1f MB/s\n", d,
				(double)text_bytes / 1e6, (double)text_bytes / 1e6 / ix_s);
	}
	double t0 = bench_now(), c0 = cpu_now();
	if (ix && !reuse && !index_raw_commit(ix, why, sizeof why)) {
		fprintf(stderr, "index-bench: %s\n", why);
		return 1;
	}
	ix_s += bench_now() - t0;
	ix_cpu += cpu_now() - c0;
	/* Common queries: 1 to 3 of the commonest words; misses: random characters. */
	for (size_t q = 0; q < nq; q++) {
		struct strbuf b = {0};
		size_t nw = 1 + q % 3;
		for (size_t w = 0; w < nw || b.n < 6; w++)
			sb_puts(&b, words[next_rand() % 50]);
		fold_text(&f, b.s, b.n, false);
		VEC_PUSH(&common, xstrndup(f.s, f.n));
		folded_free(&f);
		sb_clear(&b);
		for (size_t k = 0; k < 2 + q % 9; k++) {
			uint8_t u[6];
			int l = u8_uctomb(u, alphabet[next_rand() % NCHARS], 6);
			sb_append(&b, (const char *)u, (size_t)l);
		}
		VEC_PUSH(&miss, b.s);
	}
	printf("corpus: %zu articles, %.1f MB of UTF-8 text (%.0f chars/article), generated in "
	       "%.1f s\n",
	       count, (double)text_bytes / 1e6, (double)text_bytes / 3.0 / (double)count, gen_s);
	double *ms = xcalloc(nq, sizeof *ms);
	cpu_ms = xcalloc(nq, sizeof *cpu_ms);
	const char *kinds[] = {"common", "rare", "miss"};
	char **sets[] = {common.v, rare.v, miss.v};
	size_t nsets[] = {common.n, rare.n, miss.n};
	if (ix) {
		uint64_t bytes = index_file_bytes(db);
		printf("index build %.1f s (CPU %.1f s), %.1f MB/s (%.1f per CPU second); index "
		       "%.1f MB = %.2f x the text; written %.1f MB (steps of %zu MB)\n",
		       ix_s, ix_cpu, (double)text_bytes / 1e6 / ix_s,
		       (double)text_bytes / 1e6 / ix_cpu, (double)bytes / 1e6,
		       (double)bytes / (double)text_bytes, (double)written_bytes() / 1e6, step);
		/* Each query as before 2 December 2026 ("index0": on one thread, the lists
		 * of all its bigrams read), then as the reader runs it (the bigrams that
		 * cover it, a long list's blocks on two threads), in turn; the counts must
		 * agree. */
		double *ms1 = xcalloc(nq, sizeof *ms1), *cpu1 = xcalloc(nq, sizeof *cpu1);
		for (int k = 0; k < 3; k++) {
			double hits = 0;
			for (size_t q = 0; q < nsets[k]; q++) {
				int64_t c[2];
				for (int split = 0; split < 2; split++) {
					index_split_rows = split ? INDEX_SPLIT_ROWS : SIZE_MAX;
					index_cover_all = !split;
					double q0 = bench_now_ms(), qc = cpu_now();
					c[split] = index_raw_count(ix, sets[k][q],
								   strlen(sets[k][q]));
					(split ? ms : ms1)[q] = bench_now_ms() - q0;
					(split ? cpu_ms : cpu1)[q] = (cpu_now() - qc) * 1e3;
				}
				if (c[0] != c[1]) {
					fprintf(stderr,
						"index-bench: '%s': %lld on one thread, %lld on "
						"two\n",
						sets[k][q], (long long)c[0], (long long)c[1]);
					return 1;
				}
				hits += (double)c[1];
				if (slow > 0 && cpu_ms[q] >= slow)
					printf("slow %s '%s': %lld rows, CPU %.1f ms (one thread "
					       "%.1f)\n",
					       kinds[k], sets[k][q], (long long)c[1], cpu_ms[q],
					       cpu1[q]);
			}
			double *keep = cpu_ms;
			cpu_ms = cpu1;
			print_times("index0", kinds[k], ms1, nsets[k], hits);
			cpu_ms = keep;
			print_times("index", kinds[k], ms, nsets[k], hits);
		}
		free(ms1);
		free(cpu1);
		index_close(ix);
	}
#ifdef HAVE_SQLITE
	if (want_fts)
		bench_fts5(db, docs, lens, count, text_bytes, sets, nsets, kinds, ms);
#else
	if (want_fts)
		printf("fts5  not built (configure found no SQLite)\n");
#endif
	if (want_own) {
		struct own o;
		double b0 = bench_now(), bc = cpu_now();
		own_build(&o, docs, lens, count);
		double own_s = bench_now() - b0, own_cpu = cpu_now() - bc;
		printf("own   build %.1f s (CPU %.1f s: %.1f MB/s per CPU second; in memory, one "
		       "thread), %.1f MB/s; postings %.1f MB + "
		       "keys %.1f MB = %.2f x the text (no positions: checks candidates in the "
		       "text)\n",
		       own_s, own_cpu, (double)text_bytes / 1e6 / own_cpu,
		       (double)text_bytes / 1e6 / own_s, (double)o.nbytes / 1e6,
		       (double)o.nkeys * 16 / 1e6,
		       (double)(o.nbytes + o.nkeys * 16) / (double)text_bytes);
		for (int k = 0; k < 3; k++) {
			double hits = 0;
			for (size_t q = 0; q < nsets[k]; q++) {
				double q0 = bench_now_ms(), qc = cpu_now();
				hits += (double)own_count(&o, docs, lens, sets[k][q],
							  strlen(sets[k][q]));
				ms[q] = bench_now_ms() - q0;
				cpu_ms[q] = (cpu_now() - qc) * 1e3;
			}
			print_times("own", kinds[k], ms, nsets[k], hits);
		}
	}
	return 0;
}
