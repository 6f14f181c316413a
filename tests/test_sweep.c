/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_sweep.c: render the seed and the nastiest articles at every size from 1x1 to
 * 300x100 -- the list focused with an article's preview (the articles take turns),
 * each article open in the pane (scrolled, a link selected, full screen on odd
 * widths), the story maps and the history list open, the help open -- and check
 * every frame: no row wider than the screen, a wide cell always followed by its
 * continuation on the same row, only printable code points (no C0, DEL, C1, bidi or
 * invisible controls), each cell as wide as wcwidth says. Pure core: no curses. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "format.h"
#include "testutil.h"

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "app.h"
#include "render.h"

#ifndef MAX_COLS
#define MAX_COLS 300
#endif
#ifndef MAX_ROWS
#define MAX_ROWS 100
#endif
#define MAX_REPORTS 10

/* Articles whose panes are swept; the list shows these and every excerpt they make. */
static const char *const pane_ids[] = {
	"seed", "escapes", "zalgo", "long-title", "related-10000", "one-mib-line", "cycle-b",
};
#define NPANE (sizeof pane_ids / sizeof pane_ids[0])
/* Articles whose story maps are swept (after following their first link, so that the
 * pane's header shows the history trail); the last app shows the history list. */
static const char *const map_ids[] = {"related-10000", "escapes", "zalgo"};
#define NMAP (sizeof map_ids / sizeof map_ids[0] + 1)

/* ------------------------------------------------------------------------------ */
/* The articles, made in memory. */

#define ESC "\033"
#define BEL "\007"
#define ST ESC "\\"
/* Every kind of terminal control in one string: OSC title/clipboard/hyperlink, CSI
 * colour/clear/queries, DCS, APC, RIS, unterminated OSC, C1 as UTF-8 and as raw
 * bytes, bidi and invisible controls, CR/BS overstrikes, NUL, DEL, TAB. */
static const char payload[] = ESC
	"]0;PWNED-TITLE" BEL " " ESC "]2;PWNED" ST " " ESC "]52;c;UFdORUQ=" BEL " " ESC
	"]8;;http://pwned.example/" ST "link" ESC "]8;;" ST " " ESC "[31mRED" ESC "[0m " ESC
	"[2J" ESC "[3J" ESC "[H " ESC "[c" ESC "[6n" ESC "[21t " ESC "P$qm" ST " " ESC "_apc" ST
	" " ESC "c "
	"\xc2\x9b"
	"31m \xc2\x9d"
	"0;t\xc2\x9c \x9b"
	"1m \x9d "
	"\xe2\x80\xae"
	"RLO \xe2\x81\xa6"
	"LRI\xe2\x81\xa9 \xd8\x9c \xe2\x80\x8e\xe2\x80\x8f "
	"\xe2\x80\x8b\xe2\x80\x8d\xef\xbb\xbf\xc2\xad SAFE\rEVIL ab\b\bXY \t tab\x7f "
	"\xe2\x80\xa8 \xf0\x9f\x87\xb9\xf0\x9f\x87\xbc \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91"
	"\xa9 \xef\xbf\xbd \xc3\xa9\xe2\x94\x80\xc2\xb1 \xe4\xb8\xad\xe6\x96\x87 " ESC "]2;UNTERM";

static void add(struct collection *c, const char *id, const struct strbuf *sb)
{
	char name[64];
	snprintf(name, sizeof name, "%s.txt", id);
	assert_true(fmt_native_add_buffer(c, name, id, sb->s, sb->n));
}

/* Append a zalgo tower: base followed by n combining marks. */
static void tower(struct strbuf *sb, const char *base, int n)
{
	static const char *const marks[] = {"\xcc\x81", "\xcc\x88",	"\xcd\x9c",
					    "\xd2\x89", "\xe2\x83\x9d", "\xcc\xb8"};
	sb_puts(sb, base);
	for (int i = 0; i < n; i++)
		sb_puts(sb, marks[i % 6]);
}

static void add_escapes(struct collection *c)
{
	struct strbuf sb = {0};
	sb_printf(&sb, "Escapes %s\n\n2021-06-01 Src %s\n\n", payload, payload);
	for (int i = 0; i < 8; i++) {
		sb_printf(&sb, "Paragraph %d: %s", i, payload);
		sb_append(&sb, "\0NUL\0", 5);
		sb_puts(&sb, "\n\n");
	}
	sb_puts(&sb, "相關焦點\n\n");
	sb_printf(&sb, "  • Cycle B %s\n    snippet %s\n", payload, payload);
	sb_printf(&sb, "  • Escapes %s\n    self %s\n", payload, payload);
	sb_printf(&sb, "  • Missing %s\n    excerpt %s\n", payload, payload);
	add(c, "escapes", &sb);
	sb_free(&sb);

	sb_printf(&sb, "Cycle B %s\n\n2021-06-02 " ESC "]0;src" BEL "\n\nBody.\n\n相關焦點\n\n",
		  payload);
	sb_printf(&sb, "  • Escapes %s\n  • Zalgo ", payload);
	tower(&sb, "Z", 60);
	sb_puts(&sb, "\n");
	add(c, "cycle-b", &sb);
	sb_free(&sb);
}

static void add_zalgo(struct collection *c)
{
	struct strbuf sb = {0};
	sb_puts(&sb, "Zalgo ");
	tower(&sb, "Z", 60);
	sb_puts(&sb, "\n\n2021-06-03 ");
	tower(&sb, "S", 300);
	sb_puts(&sb, "\n\n");
	for (int p = 0; p < 20; p++) {
		tower(&sb, "", 40); /* marks with no base */
		for (int i = 0; i < 30; i++) {
			tower(&sb, i % 3 ? "a" : "中", i * 7 % 50);
			if (i % 5 == 0)
				sb_puts(&sb, i % 10 ? " " : "\t");
		}
		sb_puts(&sb, "\n\n");
	}
	sb_puts(&sb, "相關焦點\n\n  • Zalgo ");
	tower(&sb, "Z", 60);
	sb_puts(&sb, "\n    ");
	tower(&sb, "s", 500);
	sb_puts(&sb, "\n  • Tower ");
	tower(&sb, "T", 200);
	sb_puts(&sb, "\n");
	add(c, "zalgo", &sb);
	sb_free(&sb);
}

static void add_long_title(struct collection *c)
{
	struct strbuf sb = {0}, title = {0};
	for (int i = 0; i < 2500; i++)
		sb_puts(&title, i % 100 == 99 ? "標a" : "標題");
	sb_printf(&sb, "%s\n\n2021-06-04 Wire\n\n", sb_cstr(&title));
	/* A 3,000-letter word, then wide characters after an odd column. */
	for (int i = 0; i < 3000; i++)
		sb_puts(&sb, "x");
	sb_printf(&sb, "\n\na中b中c中d中e中\n\n相關焦點\n\n  • %s\n", sb_cstr(&title)); /* itself */
	add(c, "long-title", &sb);
	sb_free(&sb);
	sb_free(&title);
}

static void add_related_10000(struct collection *c)
{
	struct strbuf sb = {0};
	sb_puts(&sb, "Ten thousand related\n\n2021-06-05 Wire\n\nBody.\n\n相關焦點\n\n");
	for (int i = 0; i < 10000; i++) {
		if (i % 4 == 0)
			sb_printf(&sb, "  • Headline %d " ESC "[31m%s\n    snippet %d\n", i,
				  i % 8 ? "中文" : "\xe2\x80\xae", i);
		else if (i % 4 == 1)
			sb_puts(&sb, "  • Ten thousand related\n");
		else
			sb_printf(&sb, "  • Cycle B %s\n", payload);
	}
	add(c, "related-10000", &sb);
	sb_free(&sb);
}

static void add_one_mib_line(struct collection *c)
{
	struct strbuf sb = {0};
	sb_puts(&sb, "One mebibyte line\n\n2021-06-06 Wire\n\n");
	size_t start = sb.n;
	for (int i = 0; sb.n - start < (1u << 20); i++) {
		sb_puts(&sb, "新聞報導xyz ");
		if (i % 97 == 0)
			sb_puts(&sb, ESC "[2J"
					 "\xe2\x80\xae"
					 "\xc2\x9b"
					 "\t");
		if (i % 61 == 0)
			tower(&sb, "z", 12);
	}
	sb_puts(&sb, "\n\nEnd.\n");
	add(c, "one-mib-line", &sb);
	sb_free(&sb);
}

/* ------------------------------------------------------------------------------ */
/* Checking a frame. */

struct sweep {
	struct collection c;
	struct app list[NPANE]; /* list focused, the article selected */
	struct app pane[NPANE]; /* the article open, scrolled, a link selected */
	struct app help;
	struct app map[NMAP]; /* the story map (m) or the history list (H) open */
	struct grid g;
	unsigned long frames, cells, violations;
};

static bool forbidden(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c ||
	       cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0x200b && cp <= 0x200d) ||
	       (cp >= 0x2060 && cp <= 0x2064) || cp == 0xfeff || cp == 0xad || cp == 0x2028 ||
	       cp == 0x2029 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff;
}

/* wcwidth, remembered for the BMP: the check would otherwise cost as much as render. */
static int width_of(uint32_t cp)
{
	static signed char bmp[0x10000];
	static bool known[0x10000];

	if (cp >= 0x10000)
		return wcwidth((wchar_t)cp);
	if (!known[cp]) {
		bmp[cp] = (signed char)wcwidth((wchar_t)cp);
		known[cp] = true;
	}
	return bmp[cp];
}

static void report(struct sweep *s, const char *state, int y, int x, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void report(struct sweep *s, const char *state, int y, int x, const char *fmt, ...)
{
	if (++s->violations > MAX_REPORTS)
		return;
	va_list ap;
	printf("# %dx%d %s, row %d col %d: ", s->g.cols, s->g.rows, state, y, x);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Check the frame in s->g, rendered for an app of rows x cols. */
static void check_frame(struct sweep *s, const char *state, int rows, int cols)
{
	struct grid *g = &s->g;

	s->frames++;
	if (g->rows != rows || g->cols != cols) {
		report(s, state, 0, 0, "grid is %dx%d", g->cols, g->rows);
		return;
	}
	s->cells += (unsigned long)rows * (unsigned long)cols;
	for (int y = 0; y < rows; y++) {
		const struct cell *row = grid_at(g, y, 0);
		int x = 0;
		while (x < cols) {
			const struct cell *c = &row[x];
			if (c->width == 0) {
				report(s, state, y, x,
				       "a continuation cell with no wide cell before it");
				x++;
				continue;
			}
			if (c->ncp == 0 || c->ncp > CELL_MAX_CP) {
				report(s, state, y, x, "%d code points", c->ncp);
				x++;
				continue;
			}
			int w = 0;
			for (int k = 0; k < c->ncp; k++) {
				uint32_t cp = c->cp[k];
				int cw = cp >= 0x20 && cp < 0x7f ? 1
					 : forbidden(cp)	 ? -1
								 : width_of(cp);
				if (cw < 0 || (k == 0 && cw == 0)) {
					report(s, state, y, x,
					       "code point U+%04X (wcwidth %d) at %d", (unsigned)cp,
					       cw, k);
					w = -1;
					break;
				}
				w += cw;
			}
			if (w >= 0 && w != c->width)
				report(s, state, y, x, "cell width %d, wcwidth sum %d", c->width,
				       w);
			if (x + c->width > cols) {
				report(s, state, y, x, "a %d-column cell at the last column(s)",
				       c->width);
				break;
			}
			for (int k = 1; k < c->width; k++) {
				if (row[x + k].width != 0 || row[x + k].ncp != 0)
					report(s, state, y, x + k,
					       "no continuation after a wide cell");
			}
			x += c->width;
		}
	}
}

/* ------------------------------------------------------------------------------ */

static size_t index_of(const struct collection *c, const char *id)
{
	const struct article *a = collection_find(c, id);
	assert_non_null(a);
	return collection_index(c, a);
}

/* Put app a on list position i, list focused. (Moving there with j would build the
 * pane of every article on the way, the 1 MiB one included, for every app.) */
static void select_in_list(struct app *a, size_t i)
{
	a->list.sel = i;
	app_resize(a, a->rows, a->cols); /* scrolls the list to it, builds its pane */
	assert_ptr_equal(a->pane.shown.article, a->c->articles.v[i]);
}

static int setup(void **state)
{
	struct sweep *s = calloc(1, sizeof *s);
	size_t n;
	char *seed = test_read_seed(&n);

	assert_non_null(s);
	collection_init(&s->c);
	assert_true(fmt_native_add_buffer(&s->c, "seed.txt", "seed", seed, n));
	free(seed);
	add_escapes(&s->c);
	add_zalgo(&s->c);
	add_long_title(&s->c);
	add_related_10000(&s->c);
	add_one_mib_line(&s->c);
	collection_finish(&s->c);

	for (size_t k = 0; k < NPANE; k++) {
		size_t i = index_of(&s->c, pane_ids[k]);
		app_init(&s->list[k], &s->c, 40, 120);
		select_in_list(&s->list[k], i);
		app_init(&s->pane[k], &s->c, 40, 120);
		select_in_list(&s->pane[k], i);
		app_apply(&s->pane[k], ACTION_OPEN, 0);
		assert_int_equal(s->pane[k].focus, FOCUS_PANE);
	}
	for (size_t k = 0; k < NMAP; k++) {
		struct app *m = &s->map[k];
		app_init(m, &s->c, 40, 120);
		select_in_list(m, index_of(&s->c, map_ids[k < NMAP - 1 ? k : 0]));
		app_apply(m, ACTION_OPEN, 0);
		app_apply(m, ACTION_FOLLOW_N, 1);
		app_apply(m, ACTION_BACK, 0);
		app_apply(m, k < NMAP - 1 ? ACTION_MAP : ACTION_HISTORY, 0);
		assert_non_null(m->map.shown);
	}
	/* Some lists grouped by source, some in Simplified or Traditional (t), as are some
	 * panes: converted text is laid out and drawn like any other. */
	for (size_t k = 0; k < NPANE; k++) {
		for (size_t t = 0; t < k % 3; t++) {
			app_apply(&s->list[k], ACTION_SCRIPT, 0);
			app_apply(&s->pane[k], ACTION_SCRIPT, 0);
		}
		if (k % 2)
			app_apply(&s->list[k], ACTION_GROUP, 0);
		assert_int_equal(s->pane[k].script, (enum convert_mode)(k % 3));
	}
	app_init(&s->help, &s->c, 40, 120);
	app_apply(&s->help, ACTION_HELP, 0);
	assert_true(s->help.help.shown);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct sweep *s = *state;
	for (size_t k = 0; k < NPANE; k++) {
		app_free(&s->list[k]);
		app_free(&s->pane[k]);
	}
	app_free(&s->help);
	for (size_t k = 0; k < NMAP; k++)
		app_free(&s->map[k]);
	grid_free(&s->g);
	collection_free(&s->c);
	free(s);
	return 0;
}

/* The pane scrolled to a place that depends on the size, a link selected. */
static void vary_pane(struct app *a, int rows, int cols)
{
	size_t seed = (size_t)rows * 7919u + (size_t)cols * 104729u;
	a->fullscreen = cols % 2 == 1;
	app_resize(a, rows, cols);
	if (a->pane.shown.links.n)
		a->pane.link = (int)(seed % a->pane.shown.links.n);
	a->pane.scroll = seed % (a->pane.shown.lines.n + 1); /* render clamps it */
}

static void test_sweep_every_size(void **state)
{
	struct sweep *s = *state;
	clock_t t0 = clock();

	/* Widths outside, heights inside: a pane is laid out again only when the width
	 * changes. At every size: the list (every title in it) with one of the articles
	 * selected in turn, so each preview is drawn at every width; every article open
	 * in the pane; the help. */
	for (int cols = 1; cols <= MAX_COLS; cols++) {
		for (int rows = 1; rows <= MAX_ROWS; rows++) {
			struct app *list = &s->list[(size_t)(rows + cols) % NPANE];
			app_resize(list, rows, cols);
			render(list, &s->g);
			check_frame(s, "list", rows, cols);
			for (size_t k = 0; k < NPANE; k++) {
				vary_pane(&s->pane[k], rows, cols);
				render(&s->pane[k], &s->g);
				check_frame(s, "pane", rows, cols);
			}
			for (size_t k = 0; k < NMAP; k++) {
				struct app *m = &s->map[k];
				m->fullscreen = cols % 2 == 1;
				app_resize(m, rows, cols);
				app_apply(m, rows % 4 ? ACTION_DOWN : ACTION_TOP, 0);
				render(m, &s->g);
				check_frame(s, "map", rows, cols);
			}
			app_resize(&s->help, rows, cols);
			app_apply(&s->help, rows % 3 ? ACTION_PAGE_DOWN : ACTION_TOP, 0);
			render(&s->help, &s->g);
			check_frame(s, "help", rows, cols);
		}
	}
	printf("# %lu frames, %lu cells, %.1f s CPU\n", s->frames, s->cells,
	       (double)(clock() - t0) / CLOCKS_PER_SEC);
	assert_int_equal(s->frames, (unsigned long)MAX_COLS * MAX_ROWS * (NPANE + NMAP + 2));
	assert_int_equal(s->violations, 0);
}

/* The checker itself catches what it is meant to catch. */
static void test_checker_catches(void **state)
{
	struct sweep *s = *state;
	struct cell *c;

	grid_resize(&s->g, 2, 4);
	check_frame(s, "blank", 2, 4);
	assert_int_equal(s->violations, 0);

	*grid_at(&s->g, 0, 3) = (struct cell){.cp = {0x4e2d}, .ncp = 1, .width = 2};
	check_frame(s, "wide at the last column", 2, 4);
	assert_int_equal(s->violations, 1);

	grid_resize(&s->g, 2, 4);
	c = grid_at(&s->g, 1, 1);
	*c = (struct cell){.cp = {0x1b}, .ncp = 1, .width = 1};
	check_frame(s, "ESC", 2, 4);
	*c = (struct cell){.cp = {0x9b}, .ncp = 1, .width = 1};
	check_frame(s, "C1", 2, 4);
	*c = (struct cell){.cp = {0x202e}, .ncp = 1, .width = 1};
	check_frame(s, "bidi", 2, 4);
	*c = (struct cell){.cp = {'a', 'b'}, .ncp = 2, .width = 1};
	check_frame(s, "width", 2, 4);
	assert_int_equal(s->violations, 5);
	s->violations = 0;
}

int main(void)
{
	if (!getenv("XINWEN_CHECK_SLOW") || !*getenv("XINWEN_CHECK_SLOW")) {
		puts("slow: make check-slow runs it");
		return 77; /* skipped */
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_checker_catches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep_every_size, setup, teardown),
	};
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
