/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render.c: drawing the app into a plain grid of cells, without curses. */
#include <config.h>

#include "render.h"
#include "app_map.h"
#include "trail.h"
#include "xalloc.h"
#include "app_marks.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "configfile.h"
#include "i18n.h"

struct render_title {
	struct layout_src date; /* the date, or "excerpt" */
	struct layout_src title;
	struct layout_src source;
	bool ready;
};

/* Drop what the cache holds. */
static void cache_free(struct render_cache *rc)
{
	for (size_t i = 0; rc->titles && i < rc->n; i++) {
		if (rc->titles[i].ready) {
			layout_src_free(&rc->titles[i].date);
			layout_src_free(&rc->titles[i].title);
			layout_src_free(&rc->titles[i].source);
		}
	}
	free(rc->titles);
	memset(rc, 0, sizeof *rc);
}

void grid_resize(struct grid *g, int rows, int cols)
{
	size_t n = (size_t)(rows > 0 ? rows : 0) * (size_t)(cols > 0 ? cols : 0);
	if (g->rows != rows || g->cols != cols) {
		free(g->cells);
		g->cells = xcalloc(n, sizeof *g->cells);
		g->rows = rows;
		g->cols = cols;
	}
	for (size_t i = 0; i < n; i++)
		g->cells[i] = (struct cell){.cp = {' '}, .ncp = 1, .width = 1};
	g->cursor_y = g->cursor_x = -1;
}

void grid_free(struct grid *g)
{
	cache_free(&g->cache);
	free(g->cells);
	memset(g, 0, sizeof *g);
}

struct cell *grid_at(struct grid *g, int y, int x)
{
	return &g->cells[(size_t)y * (size_t)g->cols + (size_t)x];
}

static void put_char(struct grid *g, int y, int x, uint32_t cp, enum cell_style style)
{
	*grid_at(g, y, x) = (struct cell){.cp = {cp}, .ncp = 1, .width = 1, .style = style};
}

static void fill(struct grid *g, const struct rect *r, uint32_t cp, enum cell_style style)
{
	for (int y = r->y; y < r->y + r->h; y++)
		for (int x = r->x; x < r->x + r->w; x++)
			put_char(g, y, x, cp, style);
}

/* Put cluster c of src at (y, x) taking cols columns (a TAB or a placeholder may take
 * other than its width); the caller made sure it fits. */
static void put_cluster(struct grid *g, int y, int x, int cols, const struct layout_src *src,
			const struct layout_cluster *c, enum cell_style style)
{
	if ((c->flags & LC_CARET) && style != STYLE_MATCH && style != STYLE_MATCH_CURRENT)
		style = STYLE_CARET;
	if ((c->flags & LC_TAB) || c->width == 0) {
		for (int i = 0; i < cols; i++)
			put_char(g, y, x + i, ' ', style);
		return;
	}
	if (cols < c->width) {
		put_char(g, y, x, '?', style);
		return;
	}
	struct cell *cell = grid_at(g, y, x);
	const uint8_t *p = (const uint8_t *)src->text.s + c->off;
	const uint8_t *end = p + c->len;
	*cell = (struct cell){.width = c->width, .style = style};
	while (p < end && cell->ncp < CELL_MAX_CP) {
		ucs4_t uc;
		p += u8_mbtouc(&uc, p, (size_t)(end - p));
		cell->cp[cell->ncp++] = uc;
	}
	for (int i = 1; i < c->width; i++)
		*grid_at(g, y, x + i) = (struct cell){.width = 0, .style = style};
}

/* The search matches of one block of the pane, to highlight as its lines are drawn. */
struct highlight {
	const struct pane_match *v; /* the pane's matches, in order */
	size_t n, next;		    /* next: the first that may still cover a cluster */
	size_t block;
	int current; /* index of the current match, or -1 */
};

/* The style of the cluster at byte off of hl's block: a match's, or base. */
static enum cell_style highlight_style(struct highlight *hl, size_t off, enum cell_style base)
{
	if (!hl)
		return base;
	while (hl->next < hl->n &&
	       (hl->v[hl->next].block < hl->block ||
		(hl->v[hl->next].block == hl->block && hl->v[hl->next].end <= off)))
		hl->next++;
	if (hl->next < hl->n && hl->v[hl->next].block == hl->block && hl->v[hl->next].start <= off)
		return (int)hl->next == hl->current ? STYLE_MATCH_CURRENT : STYLE_MATCH;
	return base;
}

/* Draw one laid-out line at (y, x) within w columns, matches in hl (may be NULL)
 * highlighted; returns the columns used. */
static int draw_line(struct grid *g, int y, int x, int w, const struct layout_src *src,
		     const struct layout_line *line, enum cell_style style, struct highlight *hl)
{
	int col = line->count ? line->indent : 0;
	for (size_t i = line->first; i < line->first + line->count; i++) {
		const struct layout_cluster *c = &src->cl[i];
		if (c->flags & LC_NEWLINE)
			continue;
		int cols = layout_line_cluster_cols(line, c, col, w);
		if (col + cols > w)
			break;
		if (cols == 0 && (c->flags & LC_SQUEEZE)) /* a squeezed space: drawn as none */
			continue;
		put_cluster(g, y, x + col, cols, src, c, highlight_style(hl, c->off, style));
		col += cols;
	}
	return col;
}

/* Draw a prepared text on one row, cut at w columns or its first line break; returns
 * the columns used. */
static int draw_prepared(struct grid *g, int y, int x, int w, const struct layout_src *src,
			 enum cell_style style)
{
	int col = 0;

	for (size_t i = 0; i < src->ncl && col < w; i++) {
		const struct layout_cluster *c = &src->cl[i];
		if (c->flags & LC_NEWLINE)
			break;
		int cols = layout_cluster_cols(c, col, w);
		if (col + cols > w || (cols < c->width && !(c->flags & LC_TAB)))
			break;
		put_cluster(g, y, x + col, cols, src, c, style);
		col += cols;
	}
	return col;
}

/* Draw untrusted text on one row, cut at w columns; returns the columns used. */
static int draw_text(struct grid *g, int y, int x, int w, const char *s, size_t n,
		     enum cell_style style)
{
	struct layout_src src;

	if (w <= 0)
		return 0;
	layout_prepare_line(&src, s, n);
	int col = draw_prepared(g, y, x, w, &src, style);
	layout_src_free(&src);
	return col;
}

/* The columns untrusted text takes on one row. */
static int text_cols(const char *s, size_t n)
{
	struct layout_src src;
	int col = 0;

	layout_prepare_line(&src, s, n);
	for (size_t i = 0; i < src.ncl; i++)
		col += layout_cluster_cols(&src.cl[i], col, INT_MAX);
	layout_src_free(&src);
	return col;
}

static int draw_cstr(struct grid *g, int y, int x, int w, const char *s, enum cell_style style)
{
	return draw_text(g, y, x, w, s, strlen(s), style);
}

/* Draw a prepared title on one row within w columns: cut at a cell boundary and ended
 * with "…" when it is wider or holds a line break, as the story map does (right after
 * its last character, white space before it left out); returns the columns used. */
static int draw_cut(struct grid *g, int y, int x, int w, const struct layout_src *src,
		    enum cell_style style)
{
	static const char ellipsis[] = "\u2026";
	int cols = 0, ell = text_cols(ellipsis, strlen(ellipsis));
	size_t i;

	for (i = 0; i < src->ncl && !(src->cl[i].flags & LC_NEWLINE) && cols <= w; i++)
		cols += layout_cluster_cols(&src->cl[i], cols, INT_MAX);
	if (cols <= w && i == src->ncl)
		return draw_prepared(g, y, x, w, src, style);
	if (w <= ell)
		return draw_prepared(g, y, x, w, src, style);
	struct layout_line cut = {0, 0, 0, 0, false};
	for (cols = 0; cut.count < src->ncl; cut.count++) {
		const struct layout_cluster *c = &src->cl[cut.count];
		int cw = layout_cluster_cols(c, cols, w - ell);
		if ((c->flags & LC_NEWLINE) || cols + cw > w - ell ||
		    (cw < c->width && !(c->flags & LC_TAB)))
			break;
		cols += cw;
	}
	while (cut.count > 0 && (src->cl[cut.count - 1].flags & (LC_SPACE | LC_TAB)))
		cut.count--;
	cols = draw_line(g, y, x, w - ell, src, &cut, style, NULL);
	return cols + draw_text(g, y, x + cols, ell, ellipsis, strlen(ellipsis), style);
}

/* Start the cache over when it was made for another list than a's. */
static void cache_check(struct render_cache *rc, const struct app *a)
{
	if (rc->epoch == a->list.epoch)
		return;
	cache_free(rc);
	rc->epoch = a->list.epoch;
}

/* The date and title of list entry i, prepared on first use and kept in the cache. */
static const struct render_title *list_entry(struct render_cache *rc, const struct app *a, size_t i)
{
	if (!rc->titles) {
		rc->n = collection_count(a->c);
		rc->titles = xcalloc(rc->n, sizeof *rc->titles);
	}
	struct render_title *t = &rc->titles[i];
	if (!t->ready) {
		const struct article *art = collection_article(a->c, i);
		if (art->kind == ARTICLE_EXCERPT)
			layout_prepare(&t->date, "excerpt", strlen("excerpt"));
		else
			layout_prepare_line(&t->date, art->date.p, art->date.n);
		convert_prepare_line(a->script, &t->title, art->title.p, art->title.n);
		convert_prepare_line(a->script, &t->source, art->source.p, art->source.n);
		t->ready = true;
	}
	return t;
}

/* Columns a list column other than the title takes, without the 2 after it. */
static int column_width(enum config_column c)
{
	return c == COLUMN_DATE ? 10 : c == COLUMN_SOURCE ? 12 : 0;
}

/* Find out once which of the list's columns have something to show in a's collection:
 * a THUCNews tree has no dates, and its list no empty date column. The list order puts
 * the dated articles first and the excerpts ("excerpt" in the date column) last, so
 * two articles tell for the date; the sources are looked for only when shown. */
static void find_columns(struct render_cache *rc, const struct app *a)
{
	const struct collection *c = a->c;
	const struct config *cfg = a->opts.config;
	size_t n = collection_count(c);
	bool sources_shown = false;

	if (rc->columns.known)
		return;
	rc->columns.known = true;
	struct article tmp;
	rc->columns.dates = n && (collection_peek(c, 0, &tmp)->date.n > 0 ||
				  collection_peek(c, n - 1, &tmp)->kind == ARTICLE_EXCERPT);
	for (size_t i = 0; cfg && i < cfg->ncolumns; i++)
		sources_shown |= cfg->columns[i] == COLUMN_SOURCE;
	for (size_t i = 0; sources_shown && i < n && !rc->columns.sources; i++)
		rc->columns.sources = collection_peek(c, i, &tmp)->source.n > 0;
}

/* Whether the list shows column c: the title always, another when it has something. */
static bool column_shown(const struct render_cache *rc, enum config_column c)
{
	return c == COLUMN_TITLE || (c == COLUMN_DATE ? rc->columns.dates : rc->columns.sources);
}

/* Draw a list row's columns (configfile.h; cfg NULL: date and title) from x, w wide,
 * those with nothing to show left out; the title takes what the others leave but one
 * column, and only it shows under 30. */
static void draw_list_columns(const struct app *a, struct grid *g, int y, int x, int w,
			      const struct render_title *t, enum cell_style base,
			      enum cell_style date_style)
{
	static const enum config_column defaults[] = {COLUMN_DATE, COLUMN_TITLE};
	const struct config *cfg = a->opts.config;
	const enum config_column *cols = cfg ? cfg->columns : defaults;
	size_t n = cfg ? cfg->ncolumns : 2;
	bool narrow = w < 30;
	int fixed = 0;

	for (size_t i = 0; i < n && !narrow; i++)
		if (cols[i] != COLUMN_TITLE && column_shown(&g->cache, cols[i]))
			fixed += column_width(cols[i]) + 2;
	for (size_t i = 0; i < n; i++) {
		if (!column_shown(&g->cache, cols[i]))
			continue;
		if (cols[i] == COLUMN_TITLE) {
			int tw = w - fixed - 1;
			if (tw > 0)
				draw_cut(g, y, x, tw, &t->title, base);
			x += tw + 2;
		} else if (!narrow) {
			draw_prepared(g, y, x, column_width(cols[i]),
				      cols[i] == COLUMN_DATE ? &t->date : &t->source, date_style);
			x += column_width(cols[i]) + 2;
		}
	}
}

/* A group's header row of the list. */
static void draw_list_header(const struct app *a, struct grid *g, const struct rect *r, int row)
{
	struct strbuf text = {0};
	struct rect line = {r->y + row, r->x, 1, r->w};

	fill(g, &line, ' ', STYLE_HEADING);
	app_list_header_text(a, a->list.top + (size_t)row, &text);
	draw_text(g, r->y + row, r->x, r->w, text.s, text.n, STYLE_HEADING);
	sb_free(&text);
}

static void draw_list_row(const struct app *a, struct grid *g, const struct rect *r, int row)
{
	if (app_list_is_header(a, a->list.top + (size_t)row)) {
		draw_list_header(a, g, r, row);
		return;
	}
	size_t i = app_list_article(a, a->list.top + (size_t)row);
	const struct article *art = collection_article(a->c, i);
	int y = r->y + row, x = r->x, w = r->w;
	bool selected = i == a->list.sel;
	enum cell_style base = !selected		? STYLE_NORMAL
			       : a->focus == FOCUS_LIST ? STYLE_LIST_SELECTED
							: STYLE_LIST_SELECTED_IDLE;
	enum cell_style date_style = selected			    ? base
				     : art->kind == ARTICLE_EXCERPT ? STYLE_LIST_EXCERPT
								    : STYLE_LIST_DATE;
	const struct render_title *t = list_entry(&g->cache, a, i);
	struct rect line = {y, x, 1, w};

	fill(g, &line, ' ', base);
	if (app_is_bookmarked(a, i))
		put_char(g, y, x, '*', base); /* the margin column holds the bookmark star */
	x += 1, w -= 1;
	enum cell_style title_style = base;
	if (!app_is_read(a, i) && base != STYLE_LIST_SELECTED_IDLE)
		title_style = selected ? STYLE_LIST_SELECTED_UNREAD : STYLE_LIST_UNREAD;
	draw_list_columns(a, g, y, x, w, t, title_style, date_style);
}

static void draw_list(const struct app *a, struct grid *g, const struct rect *r)
{
	find_columns(&g->cache, a);
	for (int row = 0; row < r->h && a->list.top + (size_t)row < app_list_count(a); row++)
		draw_list_row(a, g, r, row);
}

static enum cell_style pane_style(const struct app *a, const struct pane_block *b)
{
	switch (b->style) {
	case PANE_TITLE: return STYLE_TITLE;
	case PANE_META: return STYLE_META;
	case PANE_HEADING: return STYLE_HEADING;
	case PANE_LINK: return b->link == a->pane.link ? STYLE_LINK_SELECTED : STYLE_LINK;
	case PANE_SNIPPET: return STYLE_SNIPPET;
	case PANE_TEXT: break;
	}
	return STYLE_NORMAL;
}

static void draw_pane(const struct app *a, struct grid *g, const struct rect *r)
{
	struct highlight hl = {a->pane.shown.matches.v, a->pane.shown.matches.n, 0, 0,
			       a->find.match};

	for (int row = 0; row < r->h; row++) {
		size_t i = a->pane.scroll + (size_t)row;
		if (i >= a->pane.shown.lines.n)
			break;
		const struct pane_line *pl = &a->pane.shown.lines.v[i];
		const struct pane_block *b = &a->pane.shown.blocks.v[pl->block];
		int indent = pane_line_indent(&a->pane.shown, i);
		hl.block = pl->block;
		draw_line(g, r->y + row, r->x + indent, r->w - indent, &b->src, &pl->line,
			  pane_style(a, b), hl.n ? &hl : NULL);
	}
}

/* Draw the spans of a story-map row or trail piece: n clusters of src from (y, x). */
static void draw_clusters(struct grid *g, int y, int x, const struct layout_src *src, size_t first,
			  size_t n, enum cell_style style)
{
	for (size_t k = first; k < first + n; k++) {
		int cols = storymap_cluster_cols(&src->cl[k]);
		put_cluster(g, y, x, cols, src, &src->cl[k], style);
		x += cols;
	}
}

static enum cell_style map_style(const struct storymap_row *r, int seg, bool selected)
{
	if (selected)
		return STYLE_LIST_SELECTED;
	switch (seg) {
	case STORYMAP_SEG_TREE: return STYLE_BORDER;
	case STORYMAP_SEG_DATE: return r->excerpt ? STYLE_LIST_EXCERPT : STYLE_LIST_DATE;
	case STORYMAP_SEG_MARK: return STYLE_META;
	default: break;
	}
	return r->kind == STORYMAP_GROUP  ? STYLE_HEADING
	       : r->kind == STORYMAP_ROOT ? STYLE_TITLE
					  : STYLE_NORMAL;
}

/* The story map or the history list in the pane's place, its selected row reversed. */
static void draw_map(const struct app *a, struct grid *g, const struct rect *r)
{
	struct app_map *mp = a->map.shown;
	struct storymap_span sp[STORYMAP_MAX_SPANS];

	for (int row = 0; row < r->h && mp->top + (size_t)row < mp->m.rows.n; row++) {
		size_t i = mp->top + (size_t)row;
		bool selected = i == mp->sel;
		struct rect line = {r->y + row, r->x, 1, r->w};
		if (selected)
			fill(g, &line, ' ', STYLE_LIST_SELECTED);
		size_t n = storymap_fit(&mp->m, i, r->w, sp);
		for (size_t k = 0; k < n; k++) {
			int seg = sp[k].seg == STORYMAP_NSEG ? STORYMAP_SEG_TEXT : sp[k].seg;
			draw_clusters(g, line.y, r->x + sp[k].col, sp[k].src, sp[k].first,
				      sp[k].count, map_style(&mp->m.rows.v[i], seg, selected));
		}
	}
}

/* The URL view (app_links.c) over the pane: a heading, then the URLs numbered, the
 * selected one highlighted, scrolled to keep it in view. */
static void draw_urls(const struct app *a, struct grid *g, const struct rect *r)
{
	static const char heading[] = "URLs of this article: Enter or N Enter opens, q closes";
	size_t n = app_urls_count(a), sel;
	struct strbuf sb = {0};

	fill(g, r, ' ', STYLE_NORMAL);
	draw_text(g, r->y, r->x, r->w, heading, strlen(heading), STYLE_HEADING);
	app_urls_get(a, 0, &sel);
	size_t rows = r->h > 1 ? (size_t)r->h - 1 : 1;
	size_t top = sel >= rows ? sel - rows + 1 : 0;
	for (size_t row = 0; row < rows && top + row < n; row++) {
		size_t i = top + row;
		const char *url = app_urls_get(a, i, &sel);
		struct rect line = {r->y + 1 + (int)row, r->x, 1, r->w};
		enum cell_style st = i == sel ? STYLE_LIST_SELECTED : STYLE_LINK;
		if (line.y >= r->y + r->h)
			break;
		if (i == sel)
			fill(g, &line, ' ', st);
		sb_clear(&sb);
		sb_printf(&sb, "[%zu] %s", i + 1, url);
		draw_text(g, line.y, r->x, r->w, sb.s, sb.n, st);
	}
	sb_free(&sb);
}

/* The pane's header: the history trail, the article shown marked when it is the
 * current place of the history. */
static void draw_trail(const struct app *a, struct grid *g, const struct rect *r)
{
	const struct article *v[HISTORY_MAX];
	struct trail t;
	const struct history *h = &a->pane.hist;

	for (size_t k = 0; k < h->n; k++)
		v[k] = h->v[k].article;
	bool shown = !a->map.shown && h->v[h->pos].article == collection_article(a->c, a->list.sel);
	trail_build(&t, v, h->n, shown ? h->pos : SIZE_MAX, a->script, r->w);
	for (size_t k = 0; k < t.v.n; k++) {
		const struct trail_piece *p = &t.v.v[k];
		enum cell_style st = p->role == TRAIL_CURRENT ? STYLE_TITLE
				     : p->role == TRAIL_SEP   ? STYLE_BORDER
							      : STYLE_META;
		draw_clusters(g, r->y, r->x + p->col, &p->src, 0, p->count, st);
	}
	trail_free(&t);
}

/* Wrap text at w columns into rows starting at (r->y + *row - top, x), drawing the
 * rows that fall inside r; *row counts every wrapped row, drawn or not. */
static void draw_wrapped(struct grid *g, const struct rect *r, size_t top, size_t *row, int x,
			 int w, const char *s, size_t n, layout_lines *lines)
{
	struct layout_src src;

	layout_prepare(&src, s, n);
	lines->n = 0;
	layout_wrap(&src, w, lines);
	for (size_t i = 0; i < lines->n; i++, (*row)++)
		if (*row >= top && *row - top < (size_t)r->h)
			draw_line(g, r->y + (int)(*row - top), x, w, &src, &lines->v[i],
				  STYLE_NORMAL, NULL);
	layout_src_free(&src);
}

/* ", searching 45%" while the list filter has not looked at every article. */
static void filter_progress(const struct app *a, struct strbuf *sb)
{
	size_t n = collection_count(a->c);
	if (!app_filter_done(a))
		sb_printf(sb, _(", searching %zu%%"), a->filter.next * 100 / n);
}

/* The key reference, descriptions wrapped under their own column when there is room. */
static void draw_help(const struct app *a, struct grid *g, const struct rect *r)
{
	const char *p = a->help.text.s ? a->help.text.s : "";
	int hang = keymap_help_indent();
	layout_lines lines = {0};
	struct help_line l;
	size_t row = 0;

	while (keymap_help_line(&p, hang, r->w, &l)) {
		size_t first = row;
		draw_wrapped(g, r, a->help.top, &row, r->x + l.hang, l.wrap_w, l.text, l.n, &lines);
		if (l.hang && first >= a->help.top && first - a->help.top < (size_t)r->h)
			draw_text(g, r->y + (int)(first - a->help.top), r->x, l.hang, l.line,
				  (size_t)l.hang, STYLE_NORMAL);
	}
	free(lines.v);
}

/* A key hint of the status line: the action's key, then what it does. */
struct hint {
	enum action act;
	const char *what;
};

/* "Enter:open  /:search " from the keymap in use: a hint whose action has no key where
 * the focus is is left out; FOLLOW_N shows as "N Enter" when 1 and 9 both follow (the
 * digits type a number, Enter follows it: app_key). */
static void hints_text(const struct app *a, const struct hint *h, size_t n, struct strbuf *out)
{
	enum key_where where = a->focus == FOCUS_LIST && !a->map.shown ? WHERE_LIST : WHERE_PANE;
	char name[16];

	for (size_t i = 0; i < n; i++) {
		int key = keymap_key_for(h[i].act, where);
		const struct binding *nine = keymap_lookup('9', where);
		if (key == KEYC_NONE)
			continue;
		if (h[i].act == ACTION_FOLLOW_N && key == '1' && nine &&
		    nine->action == ACTION_FOLLOW_N)
			sb_puts(out, "N Enter");
		else
			sb_puts(out, keymap_key_name(key, name));
		sb_printf(out, ":%s  ", _(h[i].what));
	}
	if (out->n >= 1)
		out->n--; /* one space at the end */
	if (out->s)
		out->s[out->n] = '\0';
}

static void status_position(const struct app *a, const struct app_geometry *geo, struct strbuf *sb)
{
	size_t n = collection_count(a->c);

	if (a->help.shown) {
		static const struct hint help_hints[] = {
			{ACTION_DOWN, N_("down")},
			{ACTION_UP, N_("up")},
			{ACTION_HELP, N_("close")},
		};
		sb_puts(sb, _(" Help: "));
		hints_text(a, help_hints, ARRAY_LEN(help_hints), sb);
		return;
	}
	if (n == 0) {
		sb_puts(sb, _(" No articles"));
		return;
	}
	if (a->map.shown) {
		app_map_status(a, sb);
		return;
	}
	if (a->list.filtered) {
		sb_printf(sb, _(" %s: %zu of %zu"),
			  a->list.bookmarks_only ? _("Bookmarks")
			  : a->unread.only	 ? _("Unread")
						 : _("Filter"),
			  a->list.view.n, n);
		filter_progress(a, sb);
		sb_puts(sb, " ·");
	}
	size_t pos, count;
	if (app_list_position(a, &pos, &count))
		sb_printf(sb, _(" Article %zu/%zu"), pos, count);
	else
		sb_printf(sb, _(" Article -/%zu"), count);
	sb_printf(sb, _(" · %zu unread"), app_unread_count(a));
	app_loading_status(a, sb);
	app_index_status(a, sb);
	if (geo->pane.h > 0) {
		size_t lines = a->pane.shown.lines.n, h = (size_t)geo->pane.h;
		if (lines <= h)
			sb_puts(sb, _("  All"));
		else if (a->pane.scroll + h >= lines)
			sb_puts(sb, _("  Bot"));
		else
			sb_printf(sb, "  %zu%%", (a->pane.scroll + h) * 100 / lines);
	}
	app_arrange_status(a, sb);
	if (a->pane.link >= 0 && geo->pane.h > 0)
		sb_printf(sb, _("  link %d/%zu"), a->pane.link + 1, a->pane.shown.links.n);
	if (a->find.active && geo->pane.h > 0) {
		size_t m = a->pane.shown.matches.n;
		if (a->find.match >= 0)
			sb_printf(sb, _("  match %d/%zu"), a->find.match + 1, m);
		else if (m > 0 || a->pane.shown.article == a->find.article) /* none: here only */
			sb_printf(sb, ngettext("  %zu match", "  %zu matches", m), m);
	}
}

/* The prompt on the status line, with the terminal's cursor after what is typed. */
static void draw_prompt(const struct app *a, struct grid *g, const struct app_geometry *geo)
{
	struct strbuf text = {0};
	int y = geo->status.y, w = geo->status.w;

	sb_puts(&text, a->prompt.kind == PROMPT_CONFIRM ? a->prompt.confirm
							: app_prompt_label(a->prompt.kind));
	size_t label = text.n;
	if (a->prompt.kind != PROMPT_CONFIRM) /* a question has no line typed */
		sb_append(&text, a->prompt.input.s, a->prompt.input.n);
	int used = draw_text(g, y, 0, w, text.s, text.n, STYLE_STATUS);
	/* The cursor where the line editor has it, by the columns before it. */
	int at = text_cols(text.s, label + (size_t)app_prompt_cursor(a));
	g->cursor_y = y;
	g->cursor_x = at < w ? at : w - 1;
	sb_clear(&text);
	if (a->prompt.regex && a->prompt.kind != PROMPT_PIPE && a->prompt.kind != PROMPT_DATE)
		sb_puts(&text, "  [regex]");
	if (a->prompt.kind == PROMPT_FILTER && a->list.filtered) {
		sb_printf(&text, _("  %zu of %zu"), a->list.view.n, collection_count(a->c));
		filter_progress(a, &text);
	}
	if (a->message[0])
		sb_printf(&text, "  %s", a->message);
	if (used < w)
		draw_text(g, y, used, w - used, text.s, text.n, STYLE_STATUS);
	sb_free(&text);
}

static void draw_status(const struct app *a, struct grid *g, const struct app_geometry *geo)
{
	struct strbuf left = {0};
	static const struct hint map_hints[] = {
		{ACTION_OPEN, N_("jump")},
		{ACTION_DOWN, N_("down")},
		{ACTION_HELP, N_("help")},
		{ACTION_QUIT, N_("close")},
	};
	static const struct hint list_hints[] = {
		{ACTION_OPEN, N_("open")},
		{ACTION_SEARCH, N_("search")},
		{ACTION_HELP, N_("help")},
		{ACTION_QUIT, N_("quit")},
	};
	static const struct hint pane_hints[] = {
		{ACTION_NEXT_LINK, N_("link")}, {ACTION_FOLLOW_N, N_("follow")},
		{ACTION_BACK, N_("back")},	{ACTION_SEARCH, N_("find")},
		{ACTION_HELP, N_("help")},	{ACTION_QUIT, N_("list")},
	};
	struct strbuf hints = {0};
	int w = geo->status.w;

	fill(g, &geo->status, ' ', STYLE_STATUS);
	if (a->prompt.kind != PROMPT_OFF) {
		draw_prompt(a, g, geo);
		return;
	}
	status_position(a, geo, &left);
	if (a->message[0]) {
		sb_puts(&left, "  ");
		sb_puts(&left, a->message);
	}
	int used = draw_text(g, geo->status.y, 0, w, left.s, left.n, STYLE_STATUS);
	if (a->map.shown)
		hints_text(a, map_hints, ARRAY_LEN(map_hints), &hints);
	else if (a->focus == FOCUS_LIST)
		hints_text(a, list_hints, ARRAY_LEN(list_hints), &hints);
	else
		hints_text(a, pane_hints, ARRAY_LEN(pane_hints), &hints);
	int hw = text_cols(hints.s, hints.n);
	if (!a->help.shown && used + hw + 2 <= w)
		draw_text(g, geo->status.y, w - hw, hw, hints.s, hints.n, STYLE_STATUS);
	sb_free(&hints);
	sb_free(&left);
}

static void draw_too_small(struct grid *g)
{
	struct rect all = {0, 0, g->rows, g->cols};
	fill(g, &all, ' ', STYLE_NORMAL);
	draw_cstr(g, 0, 0, g->cols, _("terminal too small"), STYLE_STATUS);
}

/* The separator's character: a box-drawing line, or ASCII when ambiguous characters are
 * wide (doc/LAYOUT.md §1: box drawing is ambiguous). */
static uint32_t border_char(bool side_by_side)
{
	if (layout_ambiguous_width() == 2)
		return side_by_side ? '|' : '-';
	return side_by_side ? 0x2502 : 0x2500;
}

void render(const struct app *a, struct grid *g)
{
	struct app_geometry geo;

	grid_resize(g, a->rows, a->cols);
	cache_check(&g->cache, a);
	app_geometry(a, &geo);
	if (geo.too_small) {
		draw_too_small(g);
		return;
	}
	if (geo.help.h)
		draw_help(a, g, &geo.help);
	if (geo.list.h)
		draw_list(a, g, &geo.list);
	if (geo.sep.h && geo.sep.w)
		fill(g, &geo.sep, border_char(geo.side_by_side), STYLE_BORDER);
	if (geo.pane.h && collection_count(a->c) && app_urls_count(a))
		draw_urls(a, g, &geo.pane);
	else if (geo.pane.h && collection_count(a->c) && a->map.shown)
		draw_map(a, g, &geo.pane);
	else if (geo.pane.h && collection_count(a->c))
		draw_pane(a, g, &geo.pane);
	if (geo.trail.h && collection_count(a->c))
		draw_trail(a, g, &geo.trail);
	draw_status(a, g, &geo);
}

void grid_row_text(struct grid *g, int y, struct strbuf *out)
{
	size_t keep = out->n;
	for (int x = 0; x < g->cols; x++) {
		const struct cell *c = grid_at(g, y, x);
		for (int k = 0; k < c->ncp; k++) {
			uint8_t buf[6];
			int len = u8_uctomb(buf, c->cp[k], sizeof buf);
			if (len > 0)
				sb_append(out, (const char *)buf, (size_t)len);
		}
		if (!(c->ncp == 1 && c->cp[0] == ' '))
			keep = out->n;
	}
	if (out->n > keep) {
		out->n = keep;
		out->s[keep] = '\0';
	}
}
