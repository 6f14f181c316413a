/* SPDX-License-Identifier: GPL-3.0-or-later */
/* interact-bench.c: what one key press costs the reader on a large collection
 * (bench/interact, bench/README.md, issue #7's "Interaction" target).
 *
 *   interact-bench [-n N] [-s SEED] SEED_FILE DIR
 *
 * Loads DIR, then at 40x160 and at 24x80 runs the app's idle work (similar-stories
 * index, search keys) to completion, untimed, and times keys as the terminal front end
 * handles them (src/tui.c): app_key, app_settle, then render into an off-screen grid
 * (everything but curses painting the grid). Operations: moving the selection onto an
 * article never shown (j) and opening it (Enter), on N random ones; paging the longest
 * articles down (Space) and up (b); following a related story (Tab then Enter) and going
 * back (h) on N random articles with one, and the same with 1 on N others. The marks
 * are kept in memory, except at 40x160 for opening N/5 unread articles with a state
 * file in a new directory under $TMPDIR (the save after the key is timed apart).
 * Last, building and laying out a 1 MiB article (SEED_FILE's body repeated) at 80
 * columns, and paging it at 24x80. Prints "what: median, p90, p99, max ms over N". */
#include <config.h>

#include <ftw.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "benchutil.h"
#include "app.h"
#include "app_marks.h"
#include "collection.h"
#include "keys.h"
#include "loader.h"
#include "pane.h"
#include "render.h"

/* Times of one operation, in ms. */
struct times {
	double *t;
	size_t n, cap;
};

static void times_add(struct times *s, double ms)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 256;
		s->t = realloc(s->t, s->cap * sizeof *s->t);
		if (!s->t) {
			perror("interact-bench");
			exit(1);
		}
	}
	s->t[s->n++] = ms;
}

/* The q-th quantile of sorted t (nearest rank). */
static double quantile(const double *t, size_t n, double q)
{
	size_t k = (size_t)(q * (double)n + 0.999999);
	return t[k ? k - 1 : 0];
}

static void report(const char *what, struct times *s)
{
	if (!s->n) {
		printf("%s: no samples\n", what);
		return;
	}
	qsort(s->t, s->n, sizeof *s->t, bench_cmp_double);
	printf("%s: median %.2f, p90 %.2f, p99 %.2f, max %.2f ms over %zu\n", what,
	       quantile(s->t, s->n, 0.5), quantile(s->t, s->n, 0.9), quantile(s->t, s->n, 0.99),
	       s->t[s->n - 1], s->n);
	free(s->t);
	memset(s, 0, sizeof *s);
}

/* A deterministic generator (xorshift64*). */
static uint64_t rng_state;

static size_t rnd(size_t n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (size_t)((rng_state * 2685821657736338717ULL) >> 11) % n;
}

static struct grid grid;

/* The idle work the front end does between keys, to completion (untimed). */
static size_t settle_idle(struct app *a)
{
	size_t calls = 0;
	while (app_idle(a))
		calls++;
	if (a->redraw) {
		a->redraw = false;
		render(a, &grid);
	}
	return calls;
}

/* What the last key's save of the marks took, in ms (src/tui.c saves them once the
 * screen shows the key's effect, before it reads the next key). */
static double last_save_ms;

/* One key as src/tui.c handles it, without painting: its cost in ms, up to the frame
 * drawn; the marks' save after it goes to last_save_ms. */
static double key(struct app *a, int k)
{
	double t0 = bench_now_ms();
	app_key(a, k);
	app_settle(a);
	render(a, &grid);
	double t1 = bench_now_ms();
	app_marks_save(a, NULL);
	last_save_ms = bench_now_ms() - t1;
	settle_idle(a);
	return t1 - t0;
}

/* Back to the list with article i selected and drawn, as a click on its headline and
 * q do (untimed); the list is in date order, unfiltered, so row i is article i. */
static void put_selection(struct app *a, size_t i)
{
	struct app_geometry g;
	if (a->focus == FOCUS_PANE)
		key(a, 'q');
	app_geometry(a, &g);
	a->list.top = i;
	app_click(a, g.list.y, g.list.x);
	render(a, &grid);
	settle_idle(a);
	key(a, 'q');
}

static void open_articles(struct app *a, size_t n)
{
	size_t count = app_list_count(a);
	unsigned char *seen = calloc(count, 1);
	struct times move = {0}, open = {0};

	for (size_t k = 0; k < n && count > 2; k++) {
		size_t row = 1 + rnd(count - 1), tries = 0;
		while ((seen[row] || seen[row - 1]) && tries++ < count)
			row = 1 + rnd(count - 1);
		seen[row] = seen[row - 1] = 1;
		put_selection(a, app_list_article(a, row - 1));
		times_add(&move, key(a, 'j'));
		times_add(&open, key(a, KEYC_RETURN));
	}
	report("  j onto an article never shown (build its pane)", &move);
	report("  Enter (open it in the pane)", &open);
	free(seen);
}

/* Article indices, longest body first. */
static const struct collection *sort_c;

static int by_length(const void *x, const void *y)
{
	size_t a = collection_article(sort_c, *(const size_t *)x)->body.n;
	size_t b = collection_article(sort_c, *(const size_t *)y)->body.n;
	return a < b ? 1 : a > b ? -1 : 0;
}

static void page_articles(struct app *a, const struct collection *c, size_t n)
{
	size_t na = collection_count(c);
	size_t *idx = malloc(na * sizeof *idx);
	struct times down = {0}, up = {0};
	size_t lines = 0;

	for (size_t i = 0; i < na; i++)
		idx[i] = i;
	sort_c = c;
	qsort(idx, na, sizeof *idx, by_length);
	for (size_t k = 0; k < n && k < na && down.n < 2000; k++) {
		put_selection(a, idx[k]);
		key(a, KEYC_RETURN);
		lines += a->pane.shown.lines.n;
		for (size_t last = SIZE_MAX; a->pane.scroll != last;) {
			last = a->pane.scroll;
			times_add(&down, key(a, ' '));
		}
		for (size_t last = SIZE_MAX; a->pane.scroll != last;) {
			last = a->pane.scroll;
			times_add(&up, key(a, 'b'));
		}
	}
	printf("  paging the %zu longest articles (%zu KB the longest, %zu pane lines in all)\n", n,
	       na ? collection_article(c, idx[0])->body.n / 1024 : 0, lines);
	report("  Space (page down)", &down);
	report("  b (page up)", &up);
	free(idx);
}

static void follow_links(struct app *a, const struct collection *c, size_t n)
{
	VEC(size_t) with = {0};
	struct times tab = {0}, enter = {0}, back = {0}, digit = {0}, back2 = {0};

	for (size_t i = 0; i < collection_count(c); i++) {
		const struct article *x = collection_article(c, i);
		if (x->related.n && x->related.v[0].target != i)
			VEC_PUSH(&with, i);
	}
	for (size_t k = 0; k < n && with.n; k++) {
		size_t i = with.v[rnd(with.n)];
		put_selection(a, i);
		key(a, KEYC_RETURN);
		times_add(&tab, key(a, KEYC_TAB));
		times_add(&enter, key(a, KEYC_RETURN));
		times_add(&back, key(a, 'h'));
		/* Another article, so that the story followed is not the one just shown. */
		put_selection(a, with.v[rnd(with.n)]);
		key(a, KEYC_RETURN);
		times_add(&digit, key(a, '1'));
		times_add(&back2, key(a, 'h'));
	}
	printf("  %zu articles whose first related story is in the collection\n", with.n);
	report("  Tab (select the first link)", &tab);
	report("  Enter (follow it)", &enter);
	report("  h (back)", &back);
	report("  1 (follow related story 1, of another article)", &digit);
	report("  h (back again)", &back2);
	free(with.v);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Opening n unread articles with the marks kept in a state file (in a new directory
 * under $TMPDIR, removed after): the key, then the save that follows it. */
static void open_with_state_file(struct app *a, size_t n)
{
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	size_t count = app_list_count(a);
	struct times open = {0}, save = {0};

	snprintf(dir, sizeof dir, "%s/interact-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror(dir);
		return;
	}
	app_marks_open(a, dir, stderr);
	for (size_t k = 0; k < n; k++) {
		size_t i = rnd(count), tries = 0;
		while (app_is_read(a, i) && tries++ < count)
			i = rnd(count);
		put_selection(a, i);
		key(a, 'u'); /* the click opened it: unread again, saved */
		times_add(&open, key(a, KEYC_RETURN));
		times_add(&save, last_save_ms);
	}
	report("  Enter on an unread article, marks in a state file", &open);
	report("  the save after it (write, fsync, rename; flags refreshed)", &save);
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void run_size(const struct collection *c, int rows, int cols, size_t n)
{
	struct app a;
	printf("%dx%d:\n", rows, cols);
	app_init(&a, c, rows, cols);
	render(&a, &grid);
	double t0 = bench_now();
	size_t calls = settle_idle(&a);
	printf("  idle work run to completion first: %zu calls, %.1f s\n", calls, bench_now() - t0);
	open_articles(&a, n);
	page_articles(&a, c, 20);
	follow_links(&a, c, n);
	if (rows == 40)
		open_with_state_file(&a, n / 5 ? n / 5 : 1);
	app_free(&a);
}

/* A 1 MiB article: the seed's title and date line, then its body over and over. */
static void large_article(const char *seed_path)
{
	size_t n;
	char *seed = bench_read_file(seed_path, &n);
	struct collection one, large;
	struct strbuf big = {0};
	struct times build = {0}, layout = {0}, both = {0}, down = {0};

	collection_init(&one);
	fmt_native_add_buffer(&one, "seed.txt", "seed", seed, n);
	collection_finish(&one);
	const struct article *s = collection_article(&one, 0);
	bench_mib_article(s, &big);
	collection_init(&large);
	fmt_native_add_buffer(&large, "big.txt", "big", big.s, big.n);
	collection_finish(&large);
	for (int r = 0; r < 21; r++) {
		struct pane p;
		double t0 = bench_now_ms();
		pane_build(&p, &large, collection_article(&large, 0));
		double t1 = bench_now_ms();
		pane_layout(&p, 80);
		double t2 = bench_now_ms();
		times_add(&build, t1 - t0);
		times_add(&layout, t2 - t1);
		times_add(&both, t2 - t0);
		pane_free(&p);
	}
	printf("1 MiB article (%zu bytes):\n", big.n);
	report("  pane_build", &build);
	report("  pane_layout at 80", &layout);
	report("  pane_build + pane_layout at 80 (as written)", &both);

	struct app a;
	app_init(&a, &large, 24, 80);
	render(&a, &grid);
	settle_idle(&a);
	key(&a, KEYC_RETURN);
	for (int r = 0; r < 2000; r++)
		times_add(&down, key(&a, ' '));
	report("  24x80: Space (page down) through it", &down);
	app_free(&a);
	collection_free(&large);
	collection_free(&one);
	sb_free(&big);
	free(seed);
}

int main(int argc, char **argv)
{
	size_t n = 1000;
	int opt;

	rng_state = 1;
	while ((opt = getopt(argc, argv, "n:s:")) != -1) {
		switch (opt) {
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 's': rng_state = strtoull(optarg, NULL, 10) | 1; break;
		default: goto usage;
		}
	}
	if (argc - optind != 2)
		goto usage;
	setlocale(LC_ALL, "C.UTF-8");

	struct collection c;
	double t0 = bench_now();
	collection_init(&c);
	/* as the reader loads: article text read from the files when shown (lean) */
	static const struct load_opts lean = {.format = FORMAT_AUTO, .lean = true};
	loader_load_path_opts(&c, argv[optind + 1], &lean);
	collection_finish(&c);
	printf("collection: %zu articles, loaded in %.1f s\n", collection_count(&c),
	       bench_now() - t0);
	if (collection_count(&c) < 3) {
		fputs("interact-bench: the collection needs at least 3 articles\n", stderr);
		return 1;
	}
	run_size(&c, 40, 160, n);
	run_size(&c, 24, 80, n);
	collection_free(&c);
	large_article(argv[optind]);
	grid_free(&grid);
	return 0;
usage:
	fputs("usage: interact-bench [-n N] [-s SEED] SEED_FILE DIR\n", stderr);
	return 2;
}
