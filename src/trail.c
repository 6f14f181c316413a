/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trail.c: the breadcrumbs -- the history trail laid out on one row, cell exact. */
#include <config.h>

#include "trail.h"
#include "storymap.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define SEP " \u203a "	  /* › */
#define ELLIPSIS "\u2026" /* … */
/* Bytes of a title looked at: enough for TRAIL_TITLE_COLS columns of ordinary text. */
#define TITLE_BYTES 1024

/* One entry of the trail, prepared: its title's clusters that fit, and their columns. */
struct entry {
	struct layout_src src;
	size_t count;
	int cols;
	bool cut; /* the title goes on: an ellipsis follows */
};

/* The first clusters of src that fit in limit columns, stopping at a line break; when
 * cut (an ellipsis follows them), without the white space they end with. */
static size_t fit(const struct layout_src *src, int limit, bool cut, int *cols)
{
	size_t k = 0;
	*cols = 0;
	while (k < src->ncl && !(src->cl[k].flags & LC_NEWLINE) &&
	       *cols + storymap_cluster_cols(&src->cl[k]) <= limit)
		*cols += storymap_cluster_cols(&src->cl[k++]);
	while (cut && k > 0 && (src->cl[k - 1].flags & (LC_SPACE | LC_TAB)))
		*cols -= storymap_cluster_cols(&src->cl[--k]);
	return k;
}

static void prepare(struct entry *e, const struct article *a, enum convert_mode script)
{
	size_t n = a->title.n;
	const char *s = a->title.p;
	bool longer = n > TITLE_BYTES;

	if (longer) { /* cut before a UTF-8 lead byte */
		n = TITLE_BYTES;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	convert_prepare_line(script, &e->src, s, n);
	e->count = fit(&e->src, TRAIL_TITLE_COLS, false, &e->cols);
	if (longer || e->count < e->src.ncl) {
		e->count = fit(&e->src, TRAIL_TITLE_COLS - 1, true, &e->cols);
		e->cols++;
		e->cut = true;
	}
}

/* Columns the entries [s, e] of n take, with the separators and the elision marks. */
static int span_cols(const struct entry *v, size_t n, size_t s, size_t e)
{
	int cols = 0;
	for (size_t k = s; k <= e; k++)
		cols += v[k].cols + (k > s ? 3 : 0);
	if (s > 0)
		cols += 1 + 3;
	if (e + 1 < n)
		cols += 3 + 1;
	return cols;
}

/* Append a piece of text (trusted: separators and marks) clipped to width. */
static void add_text(struct trail *t, const char *s, enum trail_role role, int width)
{
	struct trail_piece p = {.col = t->cols, .role = role};
	int cols;
	layout_prepare(&p.src, s, strlen(s));
	p.count = fit(&p.src, width - t->cols, false, &cols);
	t->cols += cols;
	VEC_PUSH(&t->v, p);
}

static void add_entry(struct trail *t, struct entry *e, enum trail_role role, int width)
{
	struct trail_piece p = {.src = e->src, .col = t->cols, .role = role};
	int cols;
	size_t fits = fit(&e->src, width - t->cols, false, &cols);
	if (fits < e->count) /* cut by the width: leave room for the "…" */
		fits = fit(&e->src, width - t->cols - 1, true, &cols);
	p.count = fits < e->count ? fits : e->count;
	for (size_t k = 0; k < p.count; k++)
		t->cols += storymap_cluster_cols(&e->src.cl[k]);
	memset(&e->src, 0, sizeof e->src); /* the piece owns it now */
	VEC_PUSH(&t->v, p);
	if (e->cut || p.count < e->count)
		add_text(t, ELLIPSIS, role, width);
}

void trail_build(struct trail *t, const struct article *const *v, size_t n, size_t current,
		 enum convert_mode script, int width)
{
	memset(t, 0, sizeof *t);
	if (n == 0 || width <= 0)
		return;
	size_t cur = current < n ? current : n - 1;
	/* An entry and its separator take 4 columns at least: prepare only those that
	 * could fit on either side of the current one. */
	size_t reach = (size_t)width / 4 + 1;
	size_t s = cur > reach ? cur - reach : 0;
	size_t last = n - 1 - cur > reach ? cur + reach : n - 1;
	struct entry *e = xcalloc(n, sizeof *e);
	for (size_t k = s; k <= last; k++)
		prepare(&e[k], v[k], script);

	/* Drop from the side with more entries beside the current one; from the left on
	 * a tie, so that the newest places stay when the current one is the newest. */
	while (span_cols(e, n, s, last) > width && (s < cur || last > cur)) {
		if (s < cur && cur - s >= last - cur)
			s++;
		else
			last--;
	}
	if (s > 0) {
		add_text(t, ELLIPSIS, TRAIL_SEP, width);
		add_text(t, SEP, TRAIL_SEP, width);
	}
	for (size_t k = s; k <= last; k++) {
		if (k > s)
			add_text(t, SEP, TRAIL_SEP, width);
		add_entry(t, &e[k], k == current ? TRAIL_CURRENT : TRAIL_TITLE, width);
	}
	if (last + 1 < n) {
		add_text(t, SEP, TRAIL_SEP, width);
		add_text(t, ELLIPSIS, TRAIL_SEP, width);
	}
	for (size_t k = 0; k < n; k++)
		layout_src_free(&e[k].src);
	free(e);
}

void trail_text(const struct trail *t, struct strbuf *out)
{
	for (size_t i = 0; i < t->v.n; i++) {
		const struct trail_piece *p = &t->v.v[i];
		for (size_t k = 0; k < p->count; k++) {
			const struct layout_cluster *c = &p->src.cl[k];
			if ((c->flags & LC_TAB) || c->width == 0)
				sb_putc(out, ' '); /* as drawn */
			else
				sb_append(out, p->src.text.s + c->off, c->len);
		}
	}
}

void trail_free(struct trail *t)
{
	for (size_t i = 0; i < t->v.n; i++)
		layout_src_free(&t->v.v[i].src);
	free(t->v.v);
	memset(t, 0, sizeof *t);
}
