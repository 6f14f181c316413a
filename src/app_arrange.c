/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_arrange.c: how the list and the pane are shown: the Traditional/Simplified form of
 * their text, the list's order and grouping, and jumping to a date. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_internal.h"
#include "i18n.h"
#include "xxh64.h"

/* How the status line says the sorts, after "Sorted by ". */
static const char *const sort_said[SORT_COUNT] = {N_("date"), N_("title"), N_("source"),
						  N_("date, oldest first")};
static const char *const group_names[GROUP_COUNT] = {N_("none"), N_("source"), N_("month")};

/* What the comparison of qsort looks at (qsort has no context argument). */
static struct {
	const struct collection *c;
	enum config_sort sort;
	enum app_group group;
} by;

/* The first 16 bytes of a string, big-endian, for comparing in byte order without
 * reading it (an empty string: the largest, as it sorts last), and its length (17 for
 * any longer). */
struct prefix {
	uint64_t hi, lo;
	uint8_t len;
};

/* An article's place in the sort, read once before sorting so that most comparisons
 * touch no article (at millions of articles, each read is a cache miss): its group (a
 * source's rank, a month), its sort string's prefix (or its source's rank), its list
 * position. 32 bytes: qsort then sorts the keys themselves, not pointers to them. */
struct sort_key {
	uint64_t group, key_hi, key_lo;
	uint32_t i; /* a collection holds fewer than 2^32 articles (of 100 bytes or more) */
	uint8_t key_len;
};

/* Byte order, the empty string last. */
static int compare_str(struct str x, struct str y)
{
	if (!x.n || !y.n)
		return (x.n == 0) - (y.n == 0);
	int d = memcmp(x.p, y.p, x.n < y.n ? x.n : y.n);
	return d ? d : (x.n > y.n) - (x.n < y.n);
}

/* The month of an article's date (YYYY-MM), or empty. */
static struct str month_of(const struct article *a)
{
	return a->date.n >= 7 ? (struct str){a->date.p, 7} : (struct str){"", 0};
}

/* The group of x against y's: sources in byte order, months newest first; the
 * articles without one last. */
static int compare_group(const struct article *x, const struct article *y, enum app_group g)
{
	switch (g) {
	case GROUP_SOURCE: return compare_str(x->source, y->source);
	case GROUP_MONTH: {
		struct str mx = month_of(x), my = month_of(y);
		if (!mx.n || !my.n)
			return compare_str(mx, my);
		return compare_str(my, mx);
	}
	default: return 0;
	}
}

/* The sources ranked (source_ranks): each distinct one's first article, by number. */
static const uint32_t *ranked_first;

/* A distinct source as source_ranks sorts it: its first 24 bytes, big-endian (an empty
 * one: the largest), its length (25 for any longer), its number. 32 bytes. */
struct source_key {
	uint64_t p[3];
	uint32_t d;
	uint8_t len;
};

static int compare_sources(const void *pa, const void *pb)
{
	const struct source_key *x = pa, *y = pb;

	for (int k = 0; k < 3; k++)
		if (x->p[k] != y->p[k])
			return x->p[k] < y->p[k] ? -1 : 1;
	if (x->len <= 24 && y->len <= 24) /* whole: the shorter first (its padding is 0) */
		return (x->len > y->len) - (x->len < y->len);
	return compare_str(by.c->articles.v[ranked_first[x->d]]->source,
			   by.c->articles.v[ranked_first[y->d]]->source);
}

/* The key of source s, distinct number d. */
static struct source_key source_key_of(struct str s, uint32_t d)
{
	unsigned char b[24] = {0};
	struct source_key k = {
		{UINT64_MAX, UINT64_MAX, UINT64_MAX}, d, (uint8_t)(s.n > 24 ? 25 : s.n)};

	if (!s.n)
		return k;
	memcpy(b, s.p, s.n < sizeof b ? s.n : sizeof b);
	for (int w = 0; w < 3; w++) {
		k.p[w] = 0;
		for (int i = 0; i < 8; i++)
			k.p[w] = k.p[w] << 8 | b[8 * w + i];
	}
	return k;
}

/* Each of the n articles of c's source, as its rank among c's sources in byte order
 * (the empty one last): a new array. */
static uint32_t *source_ranks(const struct collection *c, size_t n)
{
	uint32_t *id = xreallocarray(NULL, n ? n : 1, sizeof *id);
	size_t cap = 64, nd = 0;
	uint32_t *slot = xreallocarray(NULL, cap, sizeof *slot);
	uint32_t *first = xreallocarray(NULL, cap / 2, sizeof *first);

	memset(slot, 0xff, cap * sizeof *slot);
	for (size_t i = 0; i < n; i++) {
		struct str src = c->articles.v[i]->source;
		size_t k = (size_t)xxh64(src.p, src.n, 0) & (cap - 1);
		while (slot[k] != UINT32_MAX &&
		       compare_str(c->articles.v[first[slot[k]]]->source, src) != 0)
			k = (k + 1) & (cap - 1);
		if (slot[k] == UINT32_MAX) {
			first[nd] = (uint32_t)i;
			slot[k] = (uint32_t)nd++;
		}
		id[i] = slot[k];
		if (nd * 2 == cap) { /* grow: place the distinct ones again */
			cap *= 2;
			slot = xreallocarray(slot, cap, sizeof *slot);
			first = xreallocarray(first, cap / 2, sizeof *first);
			memset(slot, 0xff, cap * sizeof *slot);
			for (uint32_t d = 0; d < nd; d++) {
				struct str s = c->articles.v[first[d]]->source;
				size_t at = (size_t)xxh64(s.p, s.n, 0) & (cap - 1);
				while (slot[at] != UINT32_MAX)
					at = (at + 1) & (cap - 1);
				slot[at] = d;
			}
		}
	}
	/* the distinct sources in byte order: their ranks */
	struct source_key *order = xreallocarray(NULL, nd ? nd : 1, sizeof *order);
	for (uint32_t d = 0; d < nd; d++)
		order[d] = source_key_of(c->articles.v[first[d]]->source, d);
	by.c = c;
	ranked_first = first;
	qsort(order, nd, sizeof *order, compare_sources);
	for (uint32_t r = 0; r < nd; r++)
		first[order[r].d] = r; /* first: now each distinct one's rank */
	for (size_t i = 0; i < n; i++)
		id[i] = first[id[i]];
	free(order);
	free(slot);
	free(first);
	return id;
}

/* The string an article is sorted by (empty for the date order, which is the list's). */
static struct str sort_str(const struct article *a, enum config_sort sort)
{
	switch (sort) {
	case SORT_TITLE: return a->title;
	case SORT_SOURCE: return a->source;
	case SORT_OLDEST: return a->date; /* the undated (and excerpts) still last */
	default: return (struct str){"", 0};
	}
}

/* The prefix of s; newest: in reverse byte order (the empty string still last), for
 * strings of one length (months). */
static struct prefix prefix_of(struct str s, bool newest)
{
	unsigned char b[16] = {0};
	struct prefix p = {UINT64_MAX, UINT64_MAX, (uint8_t)(s.n > 16 ? 17 : s.n)};

	if (!s.n)
		return p;
	memcpy(b, s.p, s.n < sizeof b ? s.n : sizeof b);
	p.hi = p.lo = 0;
	for (int k = 0; k < 8; k++) {
		p.hi = p.hi << 8 | b[k];
		p.lo = p.lo << 8 | b[8 + k];
	}
	if (newest) { /* a non-empty string's first byte is not 0: hi is never the largest */
		p.hi = ~p.hi;
		p.lo = ~p.lo;
	}
	return p;
}

/* The order of two prefixes: 0 when they say nothing more (equal, and one string is
 * longer than its prefix); *known: whether they decide (a tie of equal strings too). */
static int compare_prefix(struct prefix x, struct prefix y, bool *known)
{
	*known = true;
	if (x.hi != y.hi)
		return x.hi < y.hi ? -1 : 1;
	if (x.lo != y.lo)
		return x.lo < y.lo ? -1 : 1;
	if (x.len <= 16 && y.len <= 16) /* whole: the shorter first (its padding is 0) */
		return (x.len > y.len) - (x.len < y.len);
	*known = false;
	return 0;
}

static int compare_keys(const void *pa, const void *pb)
{
	const struct sort_key *x = pa, *y = pb;
	bool known;

	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	int d = compare_prefix((struct prefix){x->key_hi, x->key_lo, x->key_len},
			       (struct prefix){y->key_hi, y->key_lo, y->key_len}, &known);
	if (!known) /* the same first 16 bytes of longer strings: read them */
		d = compare_str(sort_str(by.c->articles.v[x->i], by.sort),
				sort_str(by.c->articles.v[y->i], by.sort));
	/* The collection is in date order, newest first: it breaks every tie. */
	return d ? d : (x->i > y->i) - (x->i < y->i);
}

/* Whether list position i is in the filtered view (which is in list order). */
static bool in_view(const struct app *a, size_t i)
{
	size_t k = app_view_search(a, i);
	return k < a->list.view.n && a->list.view.v[k] == i;
}

void app_order_rebuild(struct app *a)
{
	size_t n = app_narticles(a);

	a->list.order.rows.n = 0;
	a->list.order.headers.n = 0;
	if (!a->list.order.active)
		return;
	if (!a->list.order.row_of)
		a->list.order.row_of = xcalloc(n ? n : 1, sizeof *a->list.order.row_of);
	const struct article *prev = NULL;
	for (size_t k = 0; k < n; k++) {
		size_t i = a->list.order.perm[k];
		const struct article *art = a->c->articles.v[i];
		if (a->list.filtered && !in_view(a, i)) {
			a->list.order.row_of[i] = a->list.order.rows.n;
			continue;
		}
		if (a->list.group != GROUP_NONE &&
		    (!prev || compare_group(prev, art, a->list.group))) {
			VEC_PUSH(&a->list.order.headers, a->list.order.rows.n);
			VEC_PUSH(&a->list.order.rows, APP_ROW_HEADER | i);
		}
		a->list.order.row_of[i] = a->list.order.rows.n;
		VEC_PUSH(&a->list.order.rows, i);
		prev = art;
	}
}

/* Sort the list positions again for the current sort and grouping. */
static void reorder(struct app *a)
{
	size_t n = app_narticles(a);

	a->list.order.active = a->list.sort != SORT_DATE || a->list.group != GROUP_NONE;
	if (!a->list.order.active) {
		app_order_free(a);
		app_sync_list(a);
		return;
	}
	if (!a->list.order.perm)
		a->list.order.perm = xcalloc(n ? n : 1, sizeof *a->list.order.perm);
	bool ranks = a->list.group == GROUP_SOURCE || a->list.sort == SORT_SOURCE;
	uint32_t *rank = ranks ? source_ranks(a->c, n) : NULL;
	struct sort_key *keys = xreallocarray(NULL, n ? n : 1, sizeof *keys);
	for (size_t i = 0; i < n; i++) {
		const struct article *art = a->c->articles.v[i];
		struct sort_key *k = &keys[i];
		struct prefix p = a->list.sort == SORT_SOURCE
					  ? (struct prefix){rank[i], 0, 0} /* exact */
					  : prefix_of(sort_str(art, a->list.sort), false);
		k->group = a->list.group == GROUP_SOURCE  ? rank[i]
			   : a->list.group == GROUP_MONTH ? prefix_of(month_of(art), true).hi
							  : 0;
		k->key_hi = p.hi;
		k->key_lo = p.lo;
		k->key_len = p.len;
		k->i = (uint32_t)i;
	}
	free(rank);
	by.c = a->c;
	by.sort = a->list.sort;
	by.group = a->list.group;
	qsort(keys, n, sizeof *keys, compare_keys);
	for (size_t k = 0; k < n; k++)
		a->list.order.perm[k] = keys[k].i;
	free(keys);
	app_order_rebuild(a);
	app_sync_list(a);
}

void app_order_free(struct app *a)
{
	free(a->list.order.perm);
	free(a->list.order.rows.v);
	free(a->list.order.headers.v);
	free(a->list.order.row_of);
	memset(&a->list.order, 0, sizeof a->list.order);
}

size_t app_arrange_neighbour(const struct app *a, int step)
{
	size_t n = app_narticles(a), k = a->list.sel;

	if (a->list.order.active)
		for (k = 0; k < n && a->list.order.perm[k] != a->list.sel; k++)
			;
	k += step > 0 ? 1 : (size_t)-1;
	if (k >= n)
		return SIZE_MAX;
	return a->list.order.active ? a->list.order.perm[k] : k;
}

void app_set_sort(struct app *a, enum config_sort s)
{
	if ((unsigned)s >= SORT_COUNT)
		return;
	a->list.sort = s;
	reorder(a);
}

void app_set_group(struct app *a, enum app_group g)
{
	if ((unsigned)g >= GROUP_COUNT)
		return;
	a->list.group = g;
	reorder(a);
}

/* How many header rows come before row (the headers are in row order). */
static size_t headers_before(const struct app *a, size_t row)
{
	size_t lo = 0, hi = a->list.order.headers.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->list.order.headers.v[mid] < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool app_list_position(const struct app *a, size_t *pos, size_t *count)
{
	size_t rows = app_list_count(a), row = app_list_row_of(a, a->list.sel);
	size_t headers = a->list.order.active ? a->list.order.headers.n : 0;

	*count = rows - headers;
	*pos = 0;
	if (row >= rows || app_list_is_header(a, row) || app_list_article(a, row) != a->list.sel)
		return false;
	*pos = row - (a->list.order.active ? headers_before(a, row) : 0) + 1;
	return true;
}

void app_list_header_text(const struct app *a, size_t row, struct strbuf *out)
{
	if (!app_list_is_header(a, row))
		return;
	const struct article *art = a->c->articles.v[a->list.order.rows.v[row] & ~APP_ROW_HEADER];
	struct str key = a->list.group == GROUP_SOURCE ? art->source : month_of(art);
	if (!key.n)
		sb_puts(out, a->list.group == GROUP_SOURCE ? "(no source)" : "(no date)");
	else
		convert_text(a->script, key.p, key.n, out);
}

void app_new_list_epoch(struct app *a)
{
	static unsigned long epochs; /* the last one given to any app; 0: none yet */

	a->list.epoch = ++epochs;
}

void app_arrange_free(struct app *a)
{
	app_order_free(a);
}

/* t: the next form of the text; the list's titles are converted again as drawn. */
static void next_script(struct app *a)
{
	enum convert_mode m = (enum convert_mode)((a->script + 1) % CONVERT_COUNT);
	const char *problem = convert_problem(m);

	if (problem) {
		app_say(a, "%s", problem);
		return;
	}
	a->script = m;
	app_new_list_epoch(a);
	app_pane_stash(a);
	app_sync_pane(a);
	app_map_rebuild(a);
	app_say(a, m == CONVERT_ORIGINAL ? N_("Text as written") : N_("Text in %s"),
		_(convert_mode_name(m)));
}

/* Whether list position i is shown in the list now. */
static bool listed(const struct app *a, size_t i)
{
	size_t row = app_list_row_of(a, i);
	return row < app_list_count(a) && !app_list_is_header(a, row) &&
	       app_list_article(a, row) == i;
}

/* D: select the newest article dated on or before the date typed (a year or a month
 * counts whole), among those the list shows. */
static void jump_to_date(struct app *a, const char *q, size_t n)
{
	if (!date_valid(q, n)) {
		app_say(a, "No such date: %.*s (type YYYY, YYYY-MM or YYYY-MM-DD)",
			n > 10 ? 10 : (int)n, q);
		return;
	}
	for (size_t i = 0; i < app_narticles(a); i++) {
		const struct article *art = a->c->articles.v[i];
		if (art->date.n < n || memcmp(art->date.p, q, n) > 0 || !listed(a, i))
			continue;
		app_select_article(a, i);
		app_say(a, "%.*s: the first article on or before %.*s", (int)art->date.n,
			art->date.p, (int)n, q);
		return;
	}
	app_say(a, "No article on or before %.*s", (int)n, q);
}

void app_arrange_apply(struct app *a, enum action act)
{
	switch (act) {
	case ACTION_SCRIPT: next_script(a); break;
	case ACTION_SORT:
		app_set_sort(a, (enum config_sort)((a->list.sort + 1) % SORT_COUNT));
		app_say(a, "Sorted by %s", _(sort_said[a->list.sort]));
		break;
	case ACTION_GROUP:
		app_set_group(a, (enum app_group)((a->list.group + 1) % GROUP_COUNT));
		app_say(a, a->list.group == GROUP_NONE ? N_("Not grouped") : N_("Grouped by %s"),
			_(group_names[a->list.group]));
		break;
	case ACTION_JUMP_DATE: app_prompt_open(a, PROMPT_DATE); break;
	default: break;
	}
}

void app_arrange_accept(struct app *a, enum app_prompt kind)
{
	if (kind == PROMPT_DATE)
		jump_to_date(a, a->prompt.input.s ? a->prompt.input.s : "", a->prompt.input.n);
	else if (kind == PROMPT_PIPE)
		app_run_pipe(a, a->prompt.input.s ? a->prompt.input.s : "", a->prompt.input.n);
}

void app_arrange_status(const struct app *a, struct strbuf *out)
{
	if (a->list.sort != SORT_DATE || a->list.group != GROUP_NONE)
		sb_printf(out, _("  sort: %s"), config_sort_name(a->list.sort));
	if (a->list.group != GROUP_NONE)
		sb_printf(out, _(", by %s"), _(group_names[a->list.group]));
	if (a->script != CONVERT_ORIGINAL)
		sb_printf(out, "  [%s]", _(convert_mode_name(a->script)));
}

const char *app_prompt_label(enum app_prompt p)
{
	switch (p) {
	case PROMPT_FIND_BACK: return "?";
	case PROMPT_PIPE: return "|";
	case PROMPT_DATE: return "Date (YYYY[-MM[-DD]]): ";
	case PROMPT_SAVE: return "Save to: ";
	case PROMPT_CONFIRM: return "";
	default: return "/";
	}
}
