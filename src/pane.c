/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pane.c: what the reading pane shows for one article, laid out at a width. */
#include <config.h>

#include "pane.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "body.h"
#include "i18n.h"

static void place_matches(struct pane *p);

static void add_block(struct pane *p, enum pane_style style, int indent, int link, const char *s,
		      size_t n)
{
	struct pane_block b = {.style = style, .indent = indent, .link = link};
	/* a paragraph or a snippet keeps its lines and TABs; the rest are one line each */
	if (style == PANE_TEXT || style == PANE_SNIPPET)
		convert_prepare(p->mode, &b.src, s, n);
	else
		convert_prepare_line(p->mode, &b.src, s, n);
	VEC_PUSH(&p->blocks, b);
}

static void add_blank(struct pane *p)
{
	add_block(p, PANE_TEXT, 0, -1, "", 0);
}

static bool line_is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/* Add the body's paragraphs (runs of non-blank lines), a blank line between them. */
static void add_paragraphs(struct pane *p, struct str body)
{
	const char *end = body.p + body.n;
	const char *para = NULL, *para_end = NULL;
	int count = 0;

	for (const char *line = body.p; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *line_end = nl ? nl : end;
		if (!line_is_blank(line, (size_t)(line_end - line))) {
			if (!para)
				para = line;
			para_end = line_end;
		} else if (para) {
			if (count++)
				add_blank(p);
			add_block(p, PANE_TEXT, 0, -1, para, (size_t)(para_end - para));
			para = NULL;
		}
		line = nl ? nl + 1 : end;
	}
	if (para) {
		if (count)
			add_blank(p);
		add_block(p, PANE_TEXT, 0, -1, para, (size_t)(para_end - para));
	}
}

static void add_meta(struct pane *p, const struct article *a, struct strbuf *sb)
{
	sb_clear(sb);
	if (a->kind == ARTICLE_EXCERPT) {
		sb_puts(sb, _("Excerpt: only this headline and snippet are in the collection"));
	} else {
		/* the date, or a time with no year in its place, then the source */
		const struct str said[] = {a->date, a->time, a->source};
		for (size_t k = 0; k < sizeof said / sizeof *said; k++) {
			if (!said[k].n)
				continue;
			if (sb->n)
				sb_puts(sb, " · ");
			sb_append(sb, said[k].p, said[k].n);
		}
	}
	if (sb->n)
		add_block(p, PANE_META, 0, -1, sb->s, sb->n);
}

/* The article's web address, under the date and source, as a native file writes it. */
static void add_url(struct pane *p, const struct article *a, struct strbuf *sb)
{
	if (!a->url.n)
		return;
	sb_clear(sb);
	sb_puts(sb, "URL: ");
	sb_append(sb, a->url.p, a->url.n);
	add_block(p, PANE_META, 0, -1, sb->s, sb->n);
}

static void add_related(struct pane *p, const struct collection *c, const struct article *a,
			struct strbuf *sb)
{
	if (!a->related.n)
		return;
	add_blank(p);
	const char *heading = _("Related stories");
	add_block(p, PANE_HEADING, 0, -1, heading, strlen(heading));
	for (size_t i = 0; i < a->related.n; i++) {
		const struct related *r = &a->related.v[i];
		struct article *to = collection_article(c, r->target);
		int link = (int)p->links.n;
		VEC_PUSH(&p->links, to);
		sb_clear(sb);
		sb_printf(sb, "[%zu] ", i + 1);
		sb_append(sb, r->headline.p, r->headline.n);
		if (to->kind == ARTICLE_EXCERPT)
			sb_puts(sb, _(" (excerpt)"));
		add_block(p, PANE_LINK, 2, link, sb->s, sb->n);
		if (r->snippet.n)
			add_block(p, PANE_SNIPPET, 6, link, r->snippet.p, r->snippet.n);
	}
}

static void add_backlinks(struct pane *p, const struct collection *c, const struct article *a,
			  struct strbuf *sb)
{
	if (!a->backlinks.n)
		return;
	add_blank(p);
	const char *heading = _("Cited by");
	add_block(p, PANE_HEADING, 0, -1, heading, strlen(heading));
	for (size_t i = 0; i < a->backlinks.n; i++) {
		struct article *from = collection_article(c, a->backlinks.v[i]);
		int link = (int)p->links.n;
		VEC_PUSH(&p->links, from);
		sb_clear(sb);
		sb_puts(sb, "<- ");
		sb_append(sb, from->title.p, from->title.n);
		add_block(p, PANE_LINK, 2, link, sb->s, sb->n);
	}
}

/* The similar stories: numbered on from the related ones, each with score and date. */
static void add_similar(struct pane *p, const struct collection *c, const struct similar_hit *hits,
			size_t n, struct strbuf *sb)
{
	const char *pending = _("Similar stories: computing…");
	const char *heading = _("Similar stories");

	if (!hits) {
		add_blank(p);
		add_block(p, PANE_META, 0, -1, pending, strlen(pending));
		return;
	}
	if (!n)
		return;
	add_blank(p);
	add_block(p, PANE_HEADING, 0, -1, heading, strlen(heading));
	for (size_t i = 0; i < n; i++) {
		struct article *s = collection_article(c, hits[i].article);
		int link = (int)p->links.n;
		VEC_PUSH(&p->links, s);
		sb_clear(sb);
		sb_printf(sb, "[%zu] ", p->nrelated + i + 1);
		sb_append(sb, s->title.p, s->title.n);
		sb_printf(sb, " · %.2f", (double)hits[i].score);
		if (s->kind == ARTICLE_EXCERPT)
			sb_puts(sb, " · excerpt");
		else if (s->date.n)
			sb_puts(sb, " · "), sb_append(sb, s->date.p, s->date.n);
		if (hits[i].folded)
			sb_printf(sb, " · %zu more alike", hits[i].folded);
		add_block(p, PANE_LINK, 2, link, sb->s, sb->n);
	}
}

/* Build the pane; the similar group only when with_similar. */
static void build(struct pane *p, const struct article *a, enum convert_mode m, bool with_similar,
		  const struct collection *c, const struct similar_hit *hits, size_t n)
{
	struct strbuf sb = {0};
	char *text;

	memset(p, 0, sizeof *p);
	p->article = a;
	p->mode = m;
	add_block(p, PANE_TITLE, 0, -1, a->title.p, a->title.n);
	add_meta(p, a, &sb);
	add_url(p, a, &sb);
	add_blank(p);
	add_paragraphs(p, article_body_peek(a, &text)); /* copied by the pane's blocks */
	free(text);
	add_related(p, c, a, &sb);
	p->nrelated = p->links.n;
	if (with_similar)
		add_similar(p, c, hits, n, &sb);
	p->nsimilar = p->links.n - p->nrelated;
	p->similar_pending = with_similar && !hits;
	add_backlinks(p, c, a, &sb);
	sb_free(&sb);
}

void pane_build(struct pane *p, const struct collection *c, const struct article *a)
{
	build(p, a, CONVERT_ORIGINAL, false, c, NULL, 0);
}

void pane_build_converted(struct pane *p, const struct collection *c, const struct article *a,
			  enum convert_mode m)
{
	build(p, a, m, false, c, NULL, 0);
}

void pane_build_similar(struct pane *p, const struct article *a, enum convert_mode m,
			const struct collection *c, const struct similar_hit *hits, size_t n)
{
	build(p, a, m, true, c, hits, n);
}

static int effective_indent(int indent, int width)
{
	return width - indent >= 8 ? indent : 0;
}

void pane_layout(struct pane *p, int width)
{
	if (width < 1)
		width = 1;
	if (p->width == width && p->lines.n)
		return;
	p->width = width;
	p->lines.n = 0;
	vec_reserve(&p->link_line, &p->link_line.cap, p->links.n, sizeof *p->link_line.v);
	p->link_line.n = p->links.n;
	for (size_t i = 0; i < p->links.n; i++)
		p->link_line.v[i] = SIZE_MAX;
	for (size_t b = 0; b < p->blocks.n; b++) {
		const struct pane_block *blk = &p->blocks.v[b];
		int indent = effective_indent(blk->indent, width);
		p->wrapped.n = 0;
		if (blk->style == PANE_TITLE || blk->style == PANE_LINK) /* headlines */
			layout_wrap_balanced(&blk->src, width - indent, &p->wrapped);
		else
			layout_wrap(&blk->src, width - indent, &p->wrapped);
		if (blk->link >= 0 && p->link_line.v[blk->link] == SIZE_MAX)
			p->link_line.v[blk->link] = p->lines.n;
		for (size_t i = 0; i < p->wrapped.n; i++) {
			struct pane_line pl = {.block = b, .line = p->wrapped.v[i]};
			VEC_PUSH(&p->lines, pl);
		}
	}
	place_matches(p);
}

/* Set each match's line: the line of its block whose clusters hold its first byte. */
static void place_matches(struct pane *p)
{
	size_t m = 0;
	for (size_t i = 0; i < p->lines.n && m < p->matches.n; i++) {
		const struct pane_line *pl = &p->lines.v[i];
		const struct layout_src *src = &p->blocks.v[pl->block].src;
		size_t next = pl->line.first + pl->line.count;
		size_t end = next < src->ncl ? src->cl[next].off : src->text.n;
		while (m < p->matches.n && p->matches.v[m].block == pl->block &&
		       p->matches.v[m].start < end)
			p->matches.v[m++].line = i;
		/* a match starting in trimmed space between lines lands on the next one */
		while (m < p->matches.n && p->matches.v[m].block < pl->block)
			p->matches.v[m++].line = i;
	}
	for (; m < p->matches.n; m++)
		p->matches.v[m].line = p->lines.n ? p->lines.n - 1 : 0;
}

void pane_find(struct pane *p, const struct search *q)
{
	p->matches.n = 0;
	if (search_is_empty(q))
		return;
	for (size_t b = 0; b < p->blocks.n; b++) {
		const struct dtext *t = &p->blocks.v[b].src.text;
		struct folded f;
		size_t from = 0, s, e;
		fold_text(&f, t->s, t->n, true);
		while (search_next(q, &f, from, &s, &e)) {
			struct pane_match m = {b, f.from[s], f.to[e - 1], 0};
			VEC_PUSH(&p->matches, m);
			from = e;
		}
		folded_free(&f);
	}
	place_matches(p);
}

int pane_line_link(const struct pane *p, size_t i)
{
	return i < p->lines.n ? p->blocks.v[p->lines.v[i].block].link : -1;
}

int pane_line_indent(const struct pane *p, size_t i)
{
	return effective_indent(p->blocks.v[p->lines.v[i].block].indent, p->width);
}

void pane_line_text(const struct pane *p, size_t i, struct strbuf *out)
{
	const struct pane_line *pl = &p->lines.v[i];
	int indent = pane_line_indent(p, i);
	if (pl->line.count)
		for (int k = 0; k < indent; k++)
			sb_putc(out, ' ');
	layout_line_text(&p->blocks.v[pl->block].src, &pl->line, p->width - indent, out);
}

void pane_text(const struct pane *p, struct strbuf *out)
{
	for (size_t i = 0; i < p->lines.n; i++) {
		pane_line_text(p, i, out);
		sb_putc(out, '\n');
	}
}

void pane_free(struct pane *p)
{
	for (size_t i = 0; i < p->blocks.n; i++)
		layout_src_free(&p->blocks.v[i].src);
	free(p->blocks.v);
	free(p->links.v);
	free(p->link_line.v);
	free(p->wrapped.v);
	free(p->lines.v);
	free(p->matches.v);
	memset(p, 0, sizeof *p);
}
