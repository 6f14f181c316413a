/* SPDX-License-Identifier: GPL-3.0-or-later */
/* sort-bench.c: every sort and grouping of the reader's list, in the whole list and in
 * the unread and bookmarks views, on a collection opened from its catalog (bench/sort,
 * bench/README.md, issue #12's "each < 300 ms").
 *
 *   sort-bench [-r RUNS] [-R N] [-B N] [-l DIR] PATH
 *
 * Loads PATH as the reader does (from its catalog in $XDG_CACHE_HOME when there is a
 * sound one), every article; marks every N-th article read (-R, default 3) and every
 * N-th bookmarked (-B, default 50), in memory. Then, for each view (all, U, ') and each
 * sort and grouping but the list's own (date, not grouped), times the keys typed at
 * once as the reader handles them at this size (app_key, then the sort between keys,
 * app_arrange_idle) up to the frame drawn (render into an off-screen grid), from the
 * list in date order each time (RUNS times: the least and the median, ms). Each line
 * ends with the rows' hash (the list positions in row order, headers marked), which is
 * the same for two builds that sort alike. The view's key itself is timed too, with the
 * list sorted by title (the rows made again for the view). With -l, the debug log (where
 * the collection came from, each sort's phases) goes to a file in DIR. */
#include <config.h>

#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "app_internal.h"
#include "app_marks.h"
#include "benchutil.h"
#include "collection.h"
#include "log.h"
#include "marks.h"
#include "render.h"
#include "startup.h"
#include "xxh64.h"

static struct grid grid;

static const char *const sort_names[SORT_COUNT] = {"date", "title", "source", "oldest"};
static const char *const group_names[GROUP_COUNT] = {"none", "source", "month"};

/* The rows' hash: each row's list position, a header's with its top bit. */
static uint64_t rows_hash(const struct app *a)
{
	uint64_t h = 0;
	for (size_t r = 0; r < app_list_count(a); r++) {
		uint64_t v = app_list_article(a, r);
		if (app_list_is_header(a, r))
			v |= UINT64_C(1) << 63;
		h = xxh64(&v, sizeof v, h);
	}
	return h;
}

/* Sort and group as keys typed at once would at this size, and draw: ms. */
static double arrange(struct app *a, enum config_sort s, enum app_group g)
{
	double t0 = bench_now_ms();
	a->list.later.pending = true;
	a->list.later.sort = s;
	a->list.later.group = g;
	app_arrange_idle(a);
	render(a, &grid);
	return bench_now_ms() - t0;
}

/* A key as the reader handles it (the sort it asks for left pending), and draw: ms. */
static double key(struct app *a, int k)
{
	double t0 = bench_now_ms();
	app_key(a, k);
	app_settle(a);
	render(a, &grid);
	return bench_now_ms() - t0;
}

static double median(double *t, int n)
{
	qsort(t, (size_t)n, sizeof *t, bench_cmp_double);
	return t[n / 2];
}

static void every_arrangement(struct app *a, const char *view, int runs)
{
	double t[64];
	for (int g = 0; g < GROUP_COUNT; g++)
		for (int s = 0; s < SORT_COUNT; s++) {
			if (!g && !s)
				continue;
			for (int r = 0; r < runs; r++) {
				t[r] = arrange(a, (enum config_sort)s, (enum app_group)g);
				if (r + 1 < runs)
					arrange(a, SORT_DATE, GROUP_NONE);
			}
			uint64_t h = rows_hash(a);
			size_t rows = app_list_count(a);
			arrange(a, SORT_DATE, GROUP_NONE);
			double least = t[0];
			for (int r = 1; r < runs; r++)
				least = t[r] < least ? t[r] : least;
			printf("%-9s %-7s %-7s %8.1f %8.1f %9zu %016llx\n", view, sort_names[s],
			       group_names[g], least, median(t, runs), rows, (unsigned long long)h);
			fflush(stdout);
		}
}

/* The view's key (U or ') with the list sorted by title, then the view's sorts. */
static void in_view(struct app *a, const char *view, int k, int runs)
{
	double t[64];
	arrange(a, SORT_TITLE, GROUP_NONE);
	for (int r = 0; r < runs; r++) {
		t[r] = key(a, k);
		if (r + 1 < runs)
			key(a, k);
	}
	double least = t[0];
	for (int r = 1; r < runs; r++)
		least = t[r] < least ? t[r] : least;
	printf("%-9s %-7s %-7s %8.1f %8.1f %9zu %016llx  (the key %c, sorted by title)\n", view,
	       "title", "none", least, median(t, runs), app_list_count(a),
	       (unsigned long long)rows_hash(a), k);
	arrange(a, SORT_DATE, GROUP_NONE);
	every_arrangement(a, view, runs);
	key(a, k);
}

int main(int argc, char **argv)
{
	int runs = 3, opt;
	size_t every_read = 3, every_bookmark = 50;

	while ((opt = getopt(argc, argv, "r:R:B:l:")) != -1) {
		switch (opt) {
		case 'l': {
			struct strbuf why = {0};
			if (!log_open(optarg, 1, &why)) {
				fprintf(stderr, "sort-bench: no log: %s\n", sb_cstr(&why));
				return 1;
			}
			sb_free(&why);
			break;
		}
		case 'r': runs = atoi(optarg); break;
		case 'R': every_read = strtoul(optarg, NULL, 10); break;
		case 'B': every_bookmark = strtoul(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	if (argc - optind != 1 || runs < 1 || runs > 64 || !every_read || !every_bookmark)
		goto usage;
	setlocale(LC_ALL, "C.UTF-8");

	struct load_opts load = {.format = FORMAT_AUTO, .lean = true};
	struct startup_opts so = {.reader = false,
				  .scripted = true,
				  .canonical_names = true,
				  .use_cache = true,
				  .load = &load};
	struct startup s;
	double t0 = bench_now();
	startup_load(&s, argv + optind, 1, &so);
	size_t n = collection_count(&s.c);
	printf("collection: %zu articles, loaded in %.1f s%s\n", n, bench_now() - t0,
	       s.catalog ? " (catalog)" : "");
	struct app a;
	app_init(&a, &s.c, 40, 120);
	struct marks m;
	marks_init(&m, NULL);
	for (size_t i = 0; i < n; i++) {
		struct content_id id;
		if (i % every_read && i % every_bookmark)
			continue;
		article_identity(collection_article(&s.c, i), &id);
		if (i % every_read == 0)
			marks_set(&m, &id, MARK_READ, true);
		if (i % every_bookmark == 0)
			marks_set(&m, &id, MARK_BOOKMARK, true);
	}
	app_marks_attach(&a, &m);
	marks_free(&m);
	render(&a, &grid);
	printf("%-9s %-7s %-7s %8s %8s %9s %s\n", "view", "sort", "group", "least", "median",
	       "rows", "hash");
	every_arrangement(&a, "all", runs);
	in_view(&a, "unread", 'U', runs);
	in_view(&a, "bookmarks", '\'', runs);
	app_free(&a);
	grid_free(&grid);
	startup_free(&s);
	log_close();
	return 0;
usage:
	fputs("usage: sort-bench [-r RUNS] [-R N] [-B N] [-l DIR] PATH\n", stderr);
	return 2;
}
