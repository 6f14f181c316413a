/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_links.c: libFuzzer target for related-link resolution and the history: the
 * input builds a few articles whose related headlines point at each other (exactly,
 * cut short with an ellipsis, in full-width or spaced forms, at themselves, nowhere),
 * then drives the app state machine with the rest: actions, resizes down to 1x1,
 * clicks, the wheel and rendering, checking its invariants after every step. */
#include <config.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "format.h"
#include "app.h"
#include "app_internal.h"
#include "collection.h"
#include "fuzz_common.h"
#include "render.h"
#include "strbuf.h"

#define MAX_ARTICLES 8
#define MAX_RELATED 24
#define MAX_STEPS 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Titles that share prefixes, differ only in width or spacing, or repeat. */
static const char *const titles[] = {
	"四川新聞丨做實社會治理 閬中下足繡花功夫",
	"四川新聞丨做實社會治理",
	"交通管理精細化，宣城公安下足「繡花功夫」！",
	"ＴＳＭＣ　２０２０",
	"TSMC 2020",
	"港北區：下足「繡花」功夫 打贏脫貧硬仗",
	"a",
	"a...",
	"中",
	"\xe2\x80\xae\x1b[31m evil \x07",
};
#define NTITLES (sizeof titles / sizeof titles[0])

/* Append a headline for title t in one of several spellings chosen by how. */
static void put_headline(struct strbuf *sb, const char *t, unsigned how)
{
	size_t n = strlen(t);

	switch (how % 6) {
	case 0: /* exact */ sb_puts(sb, t); break;
	case 1: /* cut short: ASCII dots */
		sb_append(sb, t, n / 2);
		sb_puts(sb, "...");
		break;
	case 2: /* cut short: an ellipsis character, maybe doubled */
		sb_append(sb, t, n / 3);
		sb_puts(sb, how & 8 ? "\xe2\x80\xa6\xe2\x80\xa6" : "\xe2\x80\xa6");
		break;
	case 3: /* spaced out */
		for (size_t i = 0; i < n; i++) {
			sb_putc(sb, t[i]);
			if ((unsigned char)t[i] < 0x80)
				sb_putc(sb, ' ');
		}
		break;
	case 4: /* nothing but dots */ sb_puts(sb, "...."); break;
	default: /* the title with a tail: resolves to nothing */
		sb_puts(sb, t);
		sb_puts(sb, " (續)");
		break;
	}
}

/* Build article text number k from the input into sb. */
static void make_article(struct fuzz_in *in, size_t narts, const unsigned *title_of, size_t k,
			 struct strbuf *sb)
{
	unsigned flags = fuzz_byte(in), nrel, j;
	const uint8_t *raw;
	size_t nraw;

	sb_clear(sb);
	sb_puts(sb, titles[title_of[k]]);
	sb_puts(sb, "\n\n");
	if (flags & 1)
		sb_printf(sb, "2020-11-%02u 來源%u\n\n", 1 + (flags >> 4) % 28, flags >> 6);
	sb_puts(sb, "正文。\n\n");
	if (flags & 2) {
		nraw = fuzz_bytes(in, fuzz_byte(in) % 64, &raw);
		sb_append(sb, (const char *)raw, nraw);
		sb_puts(sb, "\n\n");
	}
	sb_puts(sb, flags & 4 ? "相关焦点\n" : "相關焦點\n");
	nrel = fuzz_byte(in);
	/* once, a long list (the loader target covers the cap of 1000 entries) */
	nrel = nrel == 255 && k == 0 ? 150 : nrel % MAX_RELATED;
	for (j = 0; j < nrel; j++) {
		unsigned b = nrel > MAX_RELATED ? j : fuzz_byte(in);
		unsigned target = (b >> 3) % (narts + 1);
		const char *t = target < narts ? titles[title_of[target]] : titles[b % NTITLES];

		sb_puts(sb, "  \xe2\x80\xa2 ");
		put_headline(sb, (b & 0x80) ? titles[title_of[k]] : t, b);
		sb_putc(sb, '\n');
		if (b & 0x40)
			sb_puts(sb, "    摘要……\n");
	}
}

/* The screen: sized like the app, only safe code points, wide cells whole. */
static void check_grid(const struct app *a, struct grid *g)
{
	FUZZ_CHECK(g->rows == a->rows && g->cols == a->cols);
	for (int y = 0; y < g->rows; y++) {
		for (int x = 0; x < g->cols; x++) {
			const struct cell *c = grid_at(g, y, x);
			int w = 0;

			FUZZ_CHECK(c->ncp <= CELL_MAX_CP);
			if (c->ncp == 0) {
				/* the right half of a wide cell */
				FUZZ_CHECK(c->width == 0 && x > 0);
				continue;
			}
			for (int k = 0; k < c->ncp; k++) {
				uint32_t cp = c->cp[k];

				FUZZ_CHECK(cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F));
				FUZZ_CHECK(!(cp == 0x061C || cp == 0x200E || cp == 0x200F ||
					     (cp >= 0x202A && cp <= 0x202E) ||
					     (cp >= 0x2066 && cp <= 0x2069)));
				FUZZ_CHECK(wcwidth((wchar_t)cp) >= 0);
				w += wcwidth((wchar_t)cp);
			}
			FUZZ_CHECK(c->width == w);
			FUZZ_CHECK(x + c->width <= g->cols);
			for (int k = 1; k < c->width; k++)
				FUZZ_CHECK(grid_at(g, y, x + k)->ncp == 0);
		}
	}
}

/* The state machine's invariants after any step; full also checks that every
 * history entry and pane link is an article of the list (slower). */
static void check_app(const struct app *a, bool full)
{
	size_t n = collection_count(a->c);

	FUZZ_CHECK(a->rows >= 1 && a->cols >= 1);
	FUZZ_CHECK(n == 0 || a->list.sel < n);
	/* The selected headline is not above the list's first row (rows differ from list
	 * positions once the list is filtered, sorted or grouped). */
	FUZZ_CHECK(n == 0 || a->list.top <= app_list_row_of(a, a->list.sel));
	FUZZ_CHECK(a->pane.hist.n <= HISTORY_MAX);
	FUZZ_CHECK(a->pane.hist.n == 0 || a->pane.hist.pos < a->pane.hist.n);
	for (size_t i = 0; full && i < a->pane.hist.n; i++)
		FUZZ_CHECK(collection_index(a->c, a->pane.hist.v[i].article) != SIZE_MAX);
	FUZZ_CHECK(a->pane.link >= -1);
	if (a->pane.shown.article) {
		FUZZ_CHECK(a->pane.shown.article == collection_article(a->c, a->list.sel));
		FUZZ_CHECK(a->pane.link < (int)a->pane.shown.links.n);
		FUZZ_CHECK(a->pane.shown.link_line.n == a->pane.shown.links.n);
		for (size_t i = 0; full && i < a->pane.shown.links.n; i++)
			FUZZ_CHECK(collection_index(a->c, a->pane.shown.links.v[i]) != SIZE_MAX);
	}
	FUZZ_CHECK(strlen(a->message) < sizeof a->message);
}

/* A screen size: mostly small, sometimes 1x1, sometimes huge. */
static void random_size(struct fuzz_in *in, int *rows, int *cols)
{
	unsigned b = fuzz_byte(in);

	if (b < 16) {
		*rows = (int)(b & 3) + 1;
		*cols = (int)(b >> 2) + 1;
	} else {
		*rows = 1 + (int)(fuzz_byte(in) % 80);
		*cols = 1 + (int)(fuzz_byte(in) % 160) + (b > 250 ? 300 : 0);
	}
}

/* Build the articles, finish, check the model, then walk through the app. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size, 0};
	struct collection c;
	struct strbuf sb = {0};
	struct grid g = {0};
	struct app app;
	unsigned title_of[MAX_ARTICLES];
	size_t narts = fuzz_byte(&in) % (MAX_ARTICLES + 1), k;
	int rows, cols, steps;

	for (k = 0; k < narts; k++)
		title_of[k] = fuzz_byte(&in) % NTITLES;
	collection_init(&c);
	for (k = 0; k < narts; k++) {
		char id[16];

		make_article(&in, narts, title_of, k, &sb);
		snprintf(id, sizeof id, "n%zu", k % 3 == 2 ? k - 1 : k);
		fmt_native_add_buffer(&c, "fuzz", id, sb.s, sb.n);
	}
	collection_finish(&c);
	fuzz_check_collection(&c);

	random_size(&in, &rows, &cols);
	app_init(&app, &c, rows, cols);
	check_app(&app, true);
	for (steps = 0; steps < MAX_STEPS && fuzz_more(&in); steps++) {
		unsigned op = fuzz_byte(&in);

		if (op < 0xC0) {
			enum action act = (enum action)(op % ACTION_COUNT);

			if (act == ACTION_QUIT_NOW)
				act = ACTION_QUIT; /* keep walking */
			app_apply(&app, act,
				  act == ACTION_FOLLOW_N ? (int)(op / ACTION_COUNT) - 1 : 0);
		} else if (op < 0xD0) {
			random_size(&in, &rows, &cols);
			app_resize(&app, rows, cols);
		} else if (op < 0xD8) {
			int y = (int)fuzz_byte(&in) % (app.rows + 1), x = (int)fuzz_byte(&in);

			app_click(&app, y, x % (app.cols + 1));
		} else if (op < 0xE0) {
			int y = (int)fuzz_byte(&in) % (app.rows + 1), x = (int)fuzz_byte(&in);

			app_wheel(&app, y, x % (app.cols + 1), (int)(op & 7) - 4);
		} else if (op < 0xF8) {
			app_key(&app, (int)fuzz_byte(&in) | (op & 1 ? 0x100 : 0));
		} else if (op < 0xFC) {
			/* a burst of one action, long enough to overflow the history */
			static const int reps[4] = {2, 10, 40, HISTORY_MAX + 4};
			enum action act = (enum action)(fuzz_byte(&in) % ACTION_COUNT);

			for (int r = 0; r < reps[op & 3]; r++)
				app_apply(&app, act == ACTION_QUIT_NOW ? ACTION_QUIT : act,
					  1 + r % 3);
		} else {
			render(&app, &g);
			check_grid(&app, &g);
		}
		app.quit = false;
		check_app(&app, steps % 64 == 63);
	}
	check_app(&app, true);
	render(&app, &g);
	check_grid(&app, &g);
	app_free(&app);
	grid_free(&g);
	collection_free(&c);
	sb_free(&sb);
	return 0;
}
