/* SPDX-License-Identifier: GPL-3.0-or-later */
/* collate-bench.c: what sorting the list by title in pinyin order (ICU's "zh" collator)
 * or in stroke order ("zh-Hant-u-co-stroke") would cost at N titles (issue #15), next
 * to the byte order the reader sorts titles in: making every title's collation key
 * once, then sorting with the keys. Titles are runs of 8 to 30 characters cut from the
 * bundled article, so the characters are those of real news. Built and run by
 * bench/collate; not part of the reader. */
#include <config.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/ucol.h>
#include <unicode/ustring.h>

/* Milliseconds of this process's CPU time: on a shared machine the wall clock
 * measures the other users too (the script prints the load). */
static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

struct title {
	const char *s;
	uint32_t n;
	uint32_t key_off; /* into keys */
};

static struct title *titles;
static unsigned char *keys;

static int by_bytes(const void *a, const void *b)
{
	const struct title *x = &titles[*(const uint32_t *)a], *y = &titles[*(const uint32_t *)b];
	int d = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);
	return d ? d : (x->n > y->n) - (x->n < y->n);
}

static int by_key(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	return strcmp((const char *)keys + titles[i].key_off,
		      (const char *)keys + titles[j].key_off);
}

/* The code points of text (UTF-8) that are CJK ideographs, as UTF-8 pieces. */
static size_t ideographs(const char *text, size_t n, const char ***out)
{
	size_t cap = 1024, k = 0;
	const char **v = malloc(cap * sizeof *v);
	for (size_t i = 0; i + 2 < n; i++) {
		const unsigned char *p = (const unsigned char *)text + i;
		if (p[0] >= 0xe4 && p[0] <= 0xe9 && (p[1] & 0xc0) == 0x80 &&
		    (p[2] & 0xc0) == 0x80) {
			if (k == cap)
				v = realloc(v, (cap *= 2) * sizeof *v);
			v[k++] = text + i;
			i += 2;
		}
	}
	*out = v;
	return k;
}

static double sort_ms(uint32_t *order, size_t n, int (*cmp)(const void *, const void *))
{
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	double t0 = now_ms();
	qsort(order, n, sizeof *order, cmp);
	return now_ms() - t0;
}

/* Make every title's key with collator locale (timed), then sort by the keys (timed). */
static void collate(const char *locale, size_t n, uint32_t *order)
{
	UErrorCode err = U_ZERO_ERROR;
	UCollator *coll = ucol_open(locale, &err);
	if (U_FAILURE(err)) {
		printf("%-24s cannot open the collator: %s\n", locale, u_errorName(err));
		return;
	}
	size_t cap = n * 64, used = 0;
	keys = malloc(cap);
	UChar u[256];
	double t0 = now_ms();
	for (size_t i = 0; i < n; i++) {
		int32_t ulen;
		err = U_ZERO_ERROR;
		u_strFromUTF8(u, 256, &ulen, titles[i].s, (int32_t)titles[i].n, &err);
		if (cap - used < 1024)
			keys = realloc(keys, cap *= 2);
		int32_t klen = ucol_getSortKey(coll, u, ulen, keys + used, (int32_t)(cap - used));
		titles[i].key_off = (uint32_t)used;
		used += (size_t)klen;
	}
	double make = now_ms() - t0;
	double sort = sort_ms(order, n, by_key);
	printf("%-24s keys %8.0f ms (%5.1f MiB)   sort by key %6.0f ms\n", locale, make,
	       (double)used / 1048576.0, sort);
	free(keys);
	ucol_close(coll);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: collate-bench ARTICLE N\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "rb");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	static char text[1 << 20];
	size_t tn = fread(text, 1, sizeof text, f);
	fclose(f);
	size_t n = strtoul(argv[2], NULL, 10);
	const char **ch;
	size_t nch = ideographs(text, tn, &ch);
	if (nch < 64 || n == 0 || n > 100000000) {
		fprintf(stderr, "collate-bench: too few ideographs in %s, or a bad N\n", argv[1]);
		return 1;
	}
	titles = malloc(n * sizeof *titles);
	char *pool = malloc(n * 30 * 3);
	size_t used = 0;
	srand(1);
	for (size_t i = 0; i < n; i++) {
		size_t len = 8 + (size_t)rand() % 23, start = (size_t)rand() % (nch - len);
		titles[i].s = pool + used;
		titles[i].n = (uint32_t)(len * 3);
		for (size_t k = 0; k < len; k++, used += 3)
			memcpy(pool + used, ch[start + k], 3);
	}
	uint32_t *order = malloc(n * sizeof *order);
	printf("%zu titles of 8-30 ideographs; CPU milliseconds\n", n);
	printf("%-24s %31s sort by bytes %6.0f ms\n", "byte order (the reader)", "",
	       sort_ms(order, n, by_bytes));
	collate("zh", n, order);		       /* pinyin, for Simplified */
	collate("zh_Hant@collation=stroke", n, order); /* strokes, for Traditional */
	free(order);
	free(pool);
	free(titles);
	free(ch);
	return 0;
}
