/* SPDX-License-Identifier: GPL-3.0-or-later */
/* storymap.c: an article's neighbourhood as a tree of rows, two levels deep.
 *
 * The tree is built breadth first: the root's groups (Cites, Cited by, Similar) give
 * the first level; each article of the first level shown there for the first time is
 * expanded once more; nothing below is. An article already on the path (the root, its
 * own parent, itself) is shown with "↺", one expanded elsewhere with "(above)" or
 * "(below)", and neither is expanded again, so cycles and diamonds end. Every group is
 * capped and its duplicates dropped, so the map has at most about
 * 3 * (cap_root + 2) * (1 + 3 * (cap_child + 2)) rows whatever the links. */
#include <config.h>

#include "storymap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NREL 3
#define TREE_TEE "\u251c\u2500 "  /* ├─ */
#define TREE_LAST "\u2514\u2500 " /* └─ */
#define TREE_BAR "\u2502  "	  /* │ */
#define TREE_SPACE "   "
#define DATE_COLS 10

/* What a build notes about an article; valid only while the stamps are the build's. */
struct slot {
	size_t group; /* the last group the article was put in (dedup) */
	size_t build; /* the build that expanded it (at depth 0 or 1) */
	size_t row;   /* valid with build: the row it is expanded on, or SIZE_MAX */
};

struct storymap_cache {
	const struct collection *c;
	struct slot *slot;
	size_t groups, builds; /* stamps handed out so far: nothing is ever cleared */
};

/* One group of neighbours: the distinct ones shown, and how many there are in all. */
struct group {
	enum storymap_rel rel;
	VEC(size_t) v;
	size_t total;
};

/* An article of the first level: its mark and, when expanded, its groups. */
struct node {
	size_t article;
	enum storymap_mark mark;
	bool expanded;
	struct group g[NREL];
};

struct builder {
	const struct collection *c;
	const struct storymap_opts *o;
	struct storymap_cache *cache;
	size_t build;	 /* this build's stamp */
	size_t *similar; /* scratch for the similar provider */
	struct storymap *m;
	struct strbuf tree;
};

struct storymap_cache *storymap_cache_new(const struct collection *c)
{
	struct storymap_cache *k = xcalloc(1, sizeof *k);
	size_t n = collection_count(c);

	k->c = c;
	k->slot = xcalloc(n ? n : 1, sizeof *k->slot);
	return k;
}

void storymap_cache_free(struct storymap_cache *k)
{
	if (!k)
		return;
	free(k->slot);
	free(k);
}

static bool is_expanded(const struct builder *b, size_t i)
{
	return b->cache->slot[i].build == b->build;
}

static void set_expanded(struct builder *b, size_t i)
{
	b->cache->slot[i].build = b->build;
	b->cache->slot[i].row = SIZE_MAX;
}

/* The row article i is expanded on, or SIZE_MAX. */
static size_t row_of(const struct builder *b, size_t i)
{
	return is_expanded(b, i) ? b->cache->slot[i].row : SIZE_MAX;
}

/* Add article i to group g unless it is already there; the first cap are kept. */
static void group_add(struct builder *b, struct group *g, size_t i, size_t cap)
{
	if (i >= collection_count(b->c) || b->cache->slot[i].group == b->cache->groups)
		return;
	b->cache->slot[i].group = b->cache->groups;
	if (g->v.n < cap)
		VEC_PUSH(&g->v, i);
	g->total++;
}

/* Collect the neighbours of article i related by rel into g. */
static void collect(struct builder *b, struct group *g, size_t i, enum storymap_rel rel, size_t cap)
{
	const struct article *a = collection_article(b->c, i);

	g->rel = rel;
	b->cache->groups++;
	switch (rel) {
	case STORYMAP_CITES:
		for (size_t k = 0; k < a->related.n; k++)
			group_add(b, g, a->related.v[k].target, cap);
		break;
	case STORYMAP_CITED_BY:
		for (size_t k = 0; k < a->backlinks.n; k++)
			group_add(b, g, a->backlinks.v[k], cap);
		break;
	case STORYMAP_SIMILAR:
		if (b->o->similar) {
			size_t n = b->o->similar(b->o->ctx, i, b->similar, cap);
			for (size_t k = 0; k < n && k < cap; k++)
				if (b->similar[k] != i)
					group_add(b, g, b->similar[k], cap);
		}
		break;
	}
}

static void group_free(struct group *g)
{
	free(g->v.v);
}

/* Prepare part seg of row r from n bytes of s (untrusted: sanitized by layout). */
static void set_seg(struct storymap_row *r, int seg, const char *s, size_t n)
{
	layout_src_free(&r->seg[seg]);
	layout_prepare_line(&r->seg[seg], s, n);
}

static int src_cols(const struct layout_src *src)
{
	int cols = 0;
	for (size_t k = 0; k < src->ncl && !(src->cl[k].flags & LC_NEWLINE); k++)
		cols += storymap_cluster_cols(&src->cl[k]);
	return cols;
}

/* The date part of an article row: its date or "excerpt", padded to line titles up. */
static void set_date(struct storymap_row *r, const struct article *a)
{
	struct strbuf sb = {0};

	if (a->kind == ARTICLE_EXCERPT)
		sb_puts(&sb, "excerpt");
	else
		sb_append(&sb, a->date.p, a->date.n);
	set_seg(r, STORYMAP_SEG_DATE, sb.s ? sb.s : "", sb.n);
	for (int cols = src_cols(&r->seg[STORYMAP_SEG_DATE]); cols < DATE_COLS; cols++)
		sb_putc(&sb, ' ');
	sb_putc(&sb, ' ');
	set_seg(r, STORYMAP_SEG_DATE, sb.s, sb.n);
	sb_free(&sb);
}

static const char *mark_text(enum storymap_mark mark)
{
	switch (mark) {
	case STORYMAP_CYCLE: return " \u21ba";
	case STORYMAP_ABOVE: return " (above)";
	case STORYMAP_BELOW: return " (below)";
	case STORYMAP_CURRENT: return " (current)";
	case STORYMAP_PLAIN: break;
	}
	return "";
}

/* Append a row; its tree part is the builder's tree prefix plus the branch. */
static struct storymap_row *add_row(struct builder *b, enum storymap_kind kind, int depth,
				    const char *branch)
{
	struct storymap_row r = {.kind = kind, .depth = depth, .article = SIZE_MAX};
	size_t keep = b->tree.n;

	sb_puts(&b->tree, branch);
	VEC_PUSH(&b->m->rows, r);
	struct storymap_row *row = &b->m->rows.v[b->m->rows.n - 1];
	set_seg(row, STORYMAP_SEG_TREE, b->tree.s ? b->tree.s : "", b->tree.n);
	b->tree.n = keep;
	if (b->tree.s)
		b->tree.s[keep] = '\0';
	return row;
}

static void set_article(struct storymap_row *r, const struct collection *c, size_t i,
			enum storymap_mark mark, enum convert_mode script)
{
	const struct article *a = collection_article(c, i);
	r->article = i;
	r->mark = mark;
	r->excerpt = a->kind == ARTICLE_EXCERPT;
	set_date(r, a);
	layout_src_free(&r->seg[STORYMAP_SEG_TEXT]);
	convert_prepare_line(script, &r->seg[STORYMAP_SEG_TEXT], a->title.p, a->title.n);
	const char *mt = mark_text(mark);
	set_seg(r, STORYMAP_SEG_MARK, mt, strlen(mt));
}

static const char *const rel_names[NREL] = {"Cites", "Cited by", "Similar"};

/* Emit the rows of a group of article parent at depth: its label, its articles (their
 * own groups from node when they are expanded), and "… n more" when capped. */
static void emit_group(struct builder *b, const struct group *g, bool last, int depth,
		       size_t parent, struct node *nodes);

static void emit_groups(struct builder *b, const struct group *gs, int depth, size_t parent,
			struct node *nodes)
{
	int n = 0, shown = 0;
	for (int r = 0; r < NREL; r++)
		n += gs[r].total > 0;
	for (int r = 0; r < NREL; r++)
		if (gs[r].total > 0)
			emit_group(b, &gs[r], ++shown == n, depth, parent, nodes);
}

static void emit_group(struct builder *b, const struct group *g, bool last, int depth,
		       size_t parent, struct node *nodes)
{
	char label[64];
	struct storymap_row *row = add_row(b, STORYMAP_GROUP, depth, last ? TREE_LAST : TREE_TEE);
	size_t keep = b->tree.n;

	row->rel = g->rel;
	row->count = g->total;
	snprintf(label, sizeof label, "%s (%zu)", rel_names[g->rel], g->total);
	set_seg(row, STORYMAP_SEG_TEXT, label, strlen(label));
	sb_puts(&b->tree, last ? TREE_SPACE : TREE_BAR);

	bool more = g->total > g->v.n;
	for (size_t k = 0; k < g->v.n; k++) {
		size_t i = g->v.v[k];
		bool last_child = k + 1 == g->v.n && !more;
		enum storymap_mark mark = STORYMAP_PLAIN;
		struct node *node = nodes ? &nodes[k] : NULL;
		if (node)
			mark = node->mark;
		else if (i == parent || row_of(b, i) == 0) /* itself, or the root (row 0) */
			mark = STORYMAP_CYCLE;
		else if (is_expanded(b, i))
			mark = row_of(b, i) != SIZE_MAX ? STORYMAP_ABOVE : STORYMAP_BELOW;
		row = add_row(b, STORYMAP_ARTICLE, depth, last_child ? TREE_LAST : TREE_TEE);
		row->rel = g->rel;
		set_article(row, b->c, i, mark, b->o->script);
		if (node && node->expanded) {
			size_t keep2 = b->tree.n;
			b->cache->slot[i].row = b->m->rows.n - 1;
			sb_puts(&b->tree, last_child ? TREE_SPACE : TREE_BAR);
			emit_groups(b, node->g, depth + 1, i, NULL);
			b->tree.n = keep2;
			b->tree.s[keep2] = '\0';
		}
	}
	if (more) {
		row = add_row(b, STORYMAP_MORE, depth, TREE_LAST);
		row->rel = g->rel;
		row->count = g->total - g->v.n;
		snprintf(label, sizeof label, "\u2026 %zu more", row->count);
		set_seg(row, STORYMAP_SEG_TEXT, label, strlen(label));
	}
	b->tree.n = keep;
	if (b->tree.s)
		b->tree.s[keep] = '\0';
}

static void init_map(struct storymap *m)
{
	memset(m, 0, sizeof *m);
	layout_prepare(&m->ellipsis, "\u2026", strlen("\u2026"));
}

void storymap_build(struct storymap *m, const struct collection *c, size_t root,
		    const struct storymap_opts *opts)
{
	static const struct storymap_opts defaults = {0};
	struct builder b = {.c = c, .o = opts ? opts : &defaults, .m = m};
	size_t n = collection_count(c);
	size_t cap_root = b.o->cap_root ? b.o->cap_root : STORYMAP_CAP_ROOT;
	size_t cap_child = b.o->cap_child ? b.o->cap_child : STORYMAP_CAP_CHILD;
	struct group top[NREL] = {{0}};
	struct node *nodes[NREL] = {0};

	init_map(m);
	if (root >= n)
		return;
	b.cache = b.o->cache && b.o->cache->c == c ? b.o->cache : storymap_cache_new(c);
	b.build = ++b.cache->builds;
	b.similar = xmalloc((cap_root > cap_child ? cap_root : cap_child) * sizeof *b.similar);

	/* Breadth first: the first level, then each of its articles shown first there. */
	set_expanded(&b, root);
	for (int r = 0; r < NREL; r++)
		collect(&b, &top[r], root, (enum storymap_rel)r, cap_root);
	for (int r = 0; r < NREL; r++) {
		nodes[r] = xcalloc(top[r].v.n + 1, sizeof *nodes[r]);
		for (size_t k = 0; k < top[r].v.n; k++) {
			struct node *nd = &nodes[r][k];
			nd->article = top[r].v.v[k];
			if (nd->article == root)
				nd->mark = STORYMAP_CYCLE;
			else if (is_expanded(&b, nd->article))
				nd->mark = STORYMAP_ABOVE;
			else {
				nd->expanded = true;
				set_expanded(&b, nd->article);
			}
		}
	}
	for (int r = 0; r < NREL; r++)
		for (size_t k = 0; k < top[r].v.n; k++)
			if (nodes[r][k].expanded)
				for (int q = 0; q < NREL; q++)
					collect(&b, &nodes[r][k].g[q], nodes[r][k].article,
						(enum storymap_rel)q, cap_child);

	struct storymap_row *row = add_row(&b, STORYMAP_ROOT, 0, "");
	set_article(row, c, root, STORYMAP_PLAIN, b.o->script);
	b.cache->slot[root].row = 0;
	int ngroups = 0, shown = 0;
	for (int r = 0; r < NREL; r++)
		ngroups += top[r].total > 0;
	for (int r = 0; r < NREL; r++)
		if (top[r].total > 0)
			emit_group(&b, &top[r], ++shown == ngroups, 1, root, nodes[r]);

	for (int r = 0; r < NREL; r++) {
		for (size_t k = 0; k < top[r].v.n; k++)
			for (int q = 0; q < NREL; q++)
				group_free(&nodes[r][k].g[q]);
		free(nodes[r]);
		group_free(&top[r]);
	}
	if (b.cache != b.o->cache)
		storymap_cache_free(b.cache);
	free(b.similar);
	sb_free(&b.tree);
}

void storymap_build_list(struct storymap *m, const struct collection *c, const size_t *v, size_t n,
			 size_t current, enum convert_mode script)
{
	init_map(m);
	for (size_t k = 0; k < n; k++) {
		if (v[k] >= collection_count(c))
			continue;
		struct storymap_row r = {.kind = STORYMAP_ARTICLE, .article = SIZE_MAX};
		VEC_PUSH(&m->rows, r);
		struct storymap_row *row = &m->rows.v[m->rows.n - 1];
		const char *tree = k == current ? "> " : "  ";
		set_seg(row, STORYMAP_SEG_TREE, tree, strlen(tree));
		set_article(row, c, v[k], k == current ? STORYMAP_CURRENT : STORYMAP_PLAIN, script);
	}
}

int storymap_cluster_cols(const struct layout_cluster *c)
{
	if (c->flags & LC_NEWLINE)
		return 0;
	return (c->flags & LC_TAB) || c->width == 0 ? 1 : c->width;
}

/* Add the clusters of src from the first that fit before column limit to out; when cut
 * (an ellipsis follows them), without the white space they end with. */
static void fit_seg(const struct layout_src *src, int seg, int *col, int limit, bool cut,
		    struct storymap_span *out, size_t *n)
{
	size_t k = 0;
	int start = *col;

	while (k < src->ncl && !(src->cl[k].flags & LC_NEWLINE)) {
		int w = storymap_cluster_cols(&src->cl[k]);
		if (*col + w > limit)
			break;
		*col += w;
		k++;
	}
	while (cut && k > 0 && (src->cl[k - 1].flags & (LC_SPACE | LC_TAB)))
		*col -= storymap_cluster_cols(&src->cl[--k]);
	if (k > 0)
		out[(*n)++] = (struct storymap_span){src, 0, k, start, seg};
}

size_t storymap_fit(const struct storymap *m, size_t i, int width, struct storymap_span *out)
{
	const struct storymap_row *r = &m->rows.v[i];
	const struct layout_src *text = &r->seg[STORYMAP_SEG_TEXT];
	int total = 0, col = 0;
	size_t n = 0;
	bool broken = false; /* the title holds a line break: only its first line shows */

	for (int s = 0; s < STORYMAP_NSEG; s++)
		total += src_cols(&r->seg[s]);
	for (size_t k = 0; k < text->ncl; k++)
		broken |= (text->cl[k].flags & LC_NEWLINE) != 0;
	bool cut = broken || total > width;
	for (int s = 0; s < STORYMAP_NSEG; s++) {
		if (s == STORYMAP_SEG_TEXT && cut) {
			int ell = src_cols(&m->ellipsis);
			int limit = width - ell - src_cols(&r->seg[STORYMAP_SEG_MARK]);
			fit_seg(text, s, &col, limit > col ? limit : col, true, out, &n);
			fit_seg(&m->ellipsis, STORYMAP_NSEG, &col, width, false, out, &n);
		} else {
			fit_seg(&r->seg[s], s, &col, width, false, out, &n);
		}
	}
	return n;
}

void storymap_row_text(const struct storymap *m, size_t i, int width, struct strbuf *out)
{
	struct storymap_span sp[STORYMAP_MAX_SPANS];
	size_t n = storymap_fit(m, i, width, sp);

	for (size_t s = 0; s < n; s++) {
		for (size_t k = sp[s].first; k < sp[s].first + sp[s].count; k++) {
			const struct layout_cluster *c = &sp[s].src->cl[k];
			if ((c->flags & LC_TAB) || c->width == 0)
				sb_putc(out, ' ');
			else
				sb_append(out, sp[s].src->text.s + c->off, c->len);
		}
	}
}

size_t storymap_next_article(const struct storymap *m, size_t from, int step)
{
	for (size_t i = from; i < m->rows.n; i += step < 0 ? (size_t)-1 : 1)
		if (m->rows.v[i].article != SIZE_MAX)
			return i;
	return SIZE_MAX;
}

void storymap_free(struct storymap *m)
{
	for (size_t i = 0; i < m->rows.n; i++)
		for (int s = 0; s < STORYMAP_NSEG; s++)
			layout_src_free(&m->rows.v[i].seg[s]);
	free(m->rows.v);
	layout_src_free(&m->ellipsis);
	memset(m, 0, sizeof *m);
}
