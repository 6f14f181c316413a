/* SPDX-License-Identifier: GPL-3.0-or-later */
/* convert-bench.c: what the Traditional/Simplified view costs (bench/convert).
 *
 *   convert-bench SEED_FILE
 *
 * Times opening OpenCC's converters, building and laying out the seed's pane and a
 * 1 MiB article's in each form, and on a list of 100,000 generated articles the frames
 * after t and after a page down (only the rows drawn are converted). Prints
 * "what: median ms (min, max) over N runs" lines. */
#include <config.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "benchutil.h"
#include "app.h"
#include "collection.h"
#include "convert.h"
#include "pane.h"
#include "render.h"

static void report(const char *what, double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, bench_cmp_double);
	printf("%s: median %.2f ms (min %.2f, max %.2f) over %d runs\n", what, t[n / 2], t[0],
	       t[n - 1], n);
}

/* Build and lay out article a's pane in form m, runs times. */
static void time_pane(const char *what, const struct collection *c, const struct article *a,
		      int runs)
{
	double t[64];
	for (int m = CONVERT_ORIGINAL; m < CONVERT_COUNT; m++) {
		char label[128];
		for (int r = 0; r < runs; r++) {
			struct pane p;
			double t0 = bench_now_ms();
			pane_build_converted(&p, c, a, (enum convert_mode)m);
			pane_layout(&p, 80);
			t[r] = bench_now_ms() - t0;
			pane_free(&p);
		}
		snprintf(label, sizeof label, "%s pane, %s, build + layout at 80", what,
			 convert_mode_name((enum convert_mode)m));
		report(label, t, runs);
	}
}

int main(int argc, char **argv)
{
	size_t n;
	double t[64];

	if (argc != 2) {
		fputs("usage: convert-bench SEED_FILE\n", stderr);
		return 2;
	}
	setlocale(LC_ALL, "C.UTF-8");
	char *seed = bench_read_file(argv[1], &n);

	for (int m = CONVERT_SIMPLIFIED; m < CONVERT_COUNT; m++) {
		struct strbuf out = {0};
		double t0 = bench_now_ms();
		convert_text((enum convert_mode)m, "臺灣", strlen("臺灣"), &out);
		printf("opening OpenCC for %s: %.1f ms\n", convert_mode_name((enum convert_mode)m),
		       bench_now_ms() - t0);
		sb_free(&out);
	}

	struct collection one;
	collection_init(&one);
	fmt_native_add_buffer(&one, "seed.txt", "seed", seed, n);
	collection_finish(&one);
	printf("seed: %zu bytes\n", n);
	time_pane("seed", &one, collection_article(&one, 0), 21);

	/* A 1 MiB article: the seed's title and date line, then its body over and over. */
	struct strbuf big = {0};
	const struct article *s = collection_article(&one, 0);
	bench_mib_article(s, &big);
	struct collection large;
	collection_init(&large);
	fmt_native_add_buffer(&large, "big.txt", "big", big.s, big.n);
	collection_finish(&large);
	printf("large article: %zu bytes\n", big.n);
	for (int r = 0; r < 5; r++) {
		struct strbuf out = {0};
		double t0 = bench_now_ms();
		convert_text(CONVERT_SIMPLIFIED, big.s, big.n, &out);
		t[r] = bench_now_ms() - t0;
		sb_free(&out);
	}
	report("1 MiB convert_text to Simplified", t, 5);
	time_pane("1 MiB", &large, collection_article(&large, 0), 5);

	/* 100,000 articles with titles made of the seed's body. */
	struct collection many;
	struct strbuf file = {0};
	collection_init(&many);
	const size_t count = 100000;
	for (size_t i = 0; i < count; i++) {
		char id[32];
		size_t off = (i * 97) % (s->body.n > 200 ? s->body.n - 200 : 1);
		while (off > 0 && ((unsigned char)s->body.p[off] & 0xC0) == 0x80)
			off--;
		size_t len = 60;
		while (off + len < s->body.n &&
		       ((unsigned char)s->body.p[off + len] & 0xC0) == 0x80)
			len++;
		sb_clear(&file);
		sb_printf(&file, "%zu ", i);
		for (size_t k = 0; k < len; k++)
			sb_putc(&file, s->body.p[off + k] == '\n' ? ' ' : s->body.p[off + k]);
		sb_printf(&file, "\n\n20%02zu-%02zu-%02zu 來源\n\n正文\n", 10 + i % 14, 1 + i % 12,
			  1 + i % 28);
		snprintf(id, sizeof id, "a%zu", i);
		fmt_native_add_buffer(&many, id, id, file.s, file.n);
	}
	collection_finish(&many);
	struct app a;
	struct grid g = {0};
	app_init(&a, &many, 50, 160);
	render(&a, &g);
	for (int r = 0; r < 21; r++) {
		double t0 = bench_now_ms();
		app_apply(&a, ACTION_SCRIPT, 0);
		render(&a, &g);
		t[r] = bench_now_ms() - t0;
	}
	report("100,000 articles: t and the frame after it", t, 21);
	while (a.script != CONVERT_SIMPLIFIED)
		app_apply(&a, ACTION_SCRIPT, 0);
	for (int r = 0; r < 21; r++) {
		double t0 = bench_now_ms();
		app_apply(&a, ACTION_PAGE_DOWN, 0);
		render(&a, &g);
		t[r] = bench_now_ms() - t0;
	}
	report("100,000 articles in Simplified: page down and its frame (new rows)", t, 21);
	for (int r = 0; r < 5; r++) {
		double t0 = bench_now_ms();
		app_apply(&a, ACTION_SORT, 0);
		render(&a, &g);
		t[r] = bench_now_ms() - t0;
	}
	report("100,000 articles: s (sort) and its frame", t, 5);
	app_free(&a);
	grid_free(&g);
	collection_free(&many);
	collection_free(&large);
	collection_free(&one);
	sb_free(&big);
	sb_free(&file);
	free(seed);
	return 0;
}
