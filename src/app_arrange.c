/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_arrange.c: how the list and the pane are shown: the Traditional/Simplified form of
 * their text, the list's order and grouping, and jumping to a date. */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "app_internal.h"
#include "i18n.h"
#include "keysort.h"
#include "log.h"
#include "xxh64.h"

/* How the status line says the sorts, after "Sorted by ". */
static const char *const sort_said[SORT_COUNT] = {N_("date"), N_("title"), N_("source"),
						  N_("date, oldest first")};
static const char *const group_names[GROUP_COUNT] = {N_("none"), N_("source"), N_("month")};

/* The month of an article's date (YYYY-MM), or empty. */
static struct str month_of(const struct article *a)
{
	return a->date.n >= 7 ? (struct str){a->date.p, 7} : (struct str){"", 0};
}

static bool same_str(struct str x, struct str y)
{
	return x.n == y.n && (!x.n || memcmp(x.p, y.p, x.n) == 0);
}

/* The source of article i of collection ctx (keysort_strings' str_of). */
static struct str source_at(const void *ctx, uint32_t i)
{
	return ((const struct collection *)ctx)->articles.v[i]->source;
}

/* Each of the n articles of c's source, as its rank among c's sources in byte order
 * (the empty one last): a new array. The distinct sources are found by a hash of each,
 * then sorted by their keys (keysort_strings). */
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
		while (slot[k] != UINT32_MAX && !same_str(source_at(c, first[slot[k]]), src))
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
				struct str s = source_at(c, first[d]);
				size_t at = (size_t)xxh64(s.p, s.n, 0) & (cap - 1);
				while (slot[at] != UINT32_MAX)
					at = (at + 1) & (cap - 1);
				slot[at] = d;
			}
		}
	}
	/* the distinct sources in byte order: their ranks */
	struct sort_key *order = xreallocarray(NULL, nd ? nd : 1, sizeof *order);
	for (uint32_t d = 0; d < nd; d++) {
		order[d] = (struct sort_key){.i = first[d]};
		keysort_prefix_wide(&order[d], source_at(c, first[d]), 0);
	}
	keysort_strings(order, nd, source_at, c, true);
	for (uint32_t r = 0; r < nd; r++)
		first[id[order[r].i]] = r; /* first: now each distinct one's rank */
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

/* What keysort_strings reads: the sort string of article i of a collection. */
struct sorting {
	const struct collection *c;
	enum config_sort sort;
};

static struct str sort_str_at(const void *ctx, uint32_t i)
{
	const struct sorting *s = ctx;
	return sort_str(s->c->articles.v[i], s->sort);
}

/* The group key of an article: its source's rank, or its month, newest first (the
 * undated last), or 0. */
static uint64_t group_key(const struct article *art, enum app_group g, const uint32_t *rank,
			  size_t i)
{
	if (g == GROUP_SOURCE)
		return rank[i];
	if (g != GROUP_MONTH)
		return 0;
	struct sort_key m;
	keysort_prefix(&m, month_of(art), 0);
	return m.len > 17 ? m.hi : ~m.hi; /* a month is 7 bytes: hi; none: the largest */
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
	bool grouped = a->list.group != GROUP_NONE, boundary = true;

	a->list.order.rows.n = 0;
	a->list.order.headers.n = 0;
	if (!a->list.order.active)
		return;
	if (!a->list.order.row_of)
		a->list.order.row_of = xcalloc(n ? n : 1, sizeof *a->list.order.row_of);
	if (!a->list.filtered)
		vec_reserve(&a->list.order.rows.v, &a->list.order.rows.cap, n,
			    sizeof *a->list.order.rows.v);
	for (size_t k = 0; k < n; k++) {
		size_t i = a->list.order.perm[k];
		/* a group starts here: its header goes before the first of it shown */
		boundary |= grouped && (a->list.order.starts[k / 8] >> (k % 8) & 1);
		if (a->list.filtered && !in_view(a, i)) {
			a->list.order.row_of[i] = a->list.order.rows.n;
			continue;
		}
		if (grouped && boundary) {
			VEC_PUSH(&a->list.order.headers, a->list.order.rows.n);
			VEC_PUSH(&a->list.order.rows, APP_ROW_HEADER | i);
		}
		boundary = false;
		a->list.order.row_of[i] = a->list.order.rows.n;
		VEC_PUSH(&a->list.order.rows, i);
	}
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The key of every article for the current sort and grouping, in list order. */
static struct sort_key *make_keys(const struct app *a, size_t n)
{
	enum config_sort sort = a->list.sort;
	bool ranks = a->list.group == GROUP_SOURCE || sort == SORT_SOURCE;
	uint32_t *rank = ranks ? source_ranks(a->c, n) : NULL;
	struct sort_key *keys = xreallocarray(NULL, n ? n : 1, sizeof *keys);
	/* the articles read only for a string not ranked already */
	bool read = a->list.group == GROUP_MONTH || sort == SORT_TITLE || sort == SORT_OLDEST;
	bool wide = a->list.group == GROUP_NONE; /* group holds the string's first bytes */

	for (size_t i = 0; i < n; i++) {
		const struct article *art = read ? a->c->articles.v[i] : NULL;
		struct sort_key *k = &keys[i];
		k->group = group_key(art, a->list.group, rank, i);
		k->i = (uint32_t)i;
		if (sort == SORT_SOURCE || sort == SORT_DATE) /* the rank, or i (the list order) */
			k->hi = sort == SORT_SOURCE ? rank[i] : 0, k->lo = 0, k->len = 0;
		else if (wide)
			keysort_prefix_wide(k, sort_str(art, sort), 0);
		else
			keysort_prefix(k, sort_str(art, sort), 0);
	}
	free(rank);
	return keys;
}

/* Sort the list positions again for the current sort and grouping. */
static void reorder(struct app *a)
{
	size_t n = app_narticles(a);
	struct timespec t0;

	a->list.order.active = a->list.sort != SORT_DATE || a->list.group != GROUP_NONE;
	if (!a->list.order.active) {
		app_order_free(a);
		app_sync_list(a);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!a->list.order.perm)
		a->list.order.perm = xcalloc(n ? n : 1, sizeof *a->list.order.perm);
	if (!a->list.order.starts)
		a->list.order.starts = xcalloc(n / 8 + 1, 1);
	struct sort_key *keys = make_keys(a, n);
	double keyed = ms_since(&t0);
	struct sorting by = {a->c, a->list.sort};
	size_t again = keysort_strings(keys, n, sort_str_at, &by, a->list.group == GROUP_NONE);
	double sorted = ms_since(&t0);
	memset(a->list.order.starts, 0, n / 8 + 1);
	for (size_t k = 0; k < n; k++) {
		a->list.order.perm[k] = keys[k].i;
		if (!k || keys[k].group != keys[k - 1].group)
			a->list.order.starts[k / 8] |= (uint8_t)(1u << (k % 8));
	}
	free(keys);
	app_order_rebuild(a);
	app_sync_list(a);
	log_debug("list of %zu sorted by %s, grouped by %s: keys %.0f ms, sorted %.0f ms (%zu "
		  "strings read again), rows %.0f ms",
		  n, config_sort_name(a->list.sort), group_names[a->list.group], keyed,
		  sorted - keyed, again, ms_since(&t0) - sorted);
}

void app_order_free(struct app *a)
{
	free(a->list.order.perm);
	free(a->list.order.rows.v);
	free(a->list.order.headers.v);
	free(a->list.order.row_of);
	free(a->list.order.starts);
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

/* Lists of this many articles or more are sorted between keys, the status line saying so
 * first: at millions of articles a sort takes longer than a key should (bench/README.md,
 * warm-open). */
#define SORT_LATER_AT 300000

static void say_sorted(struct app *a, bool grouping)
{
	if (!grouping)
		app_say(a, "Sorted by %s", _(sort_said[a->list.sort]));
	else
		app_say(a, a->list.group == GROUP_NONE ? N_("Not grouped") : N_("Grouped by %s"),
			_(group_names[a->list.group]));
}

/* s (grouping false) or S: the next sort or grouping, now, or between keys for a long
 * list (the one asked for while one is waiting is the next after it). */
static void arrange_next(struct app *a, bool grouping)
{
	size_t later_at = a->list.later.at ? a->list.later.at : SORT_LATER_AT;
	enum config_sort s = a->list.later.pending ? a->list.later.sort : a->list.sort;
	enum app_group g = a->list.later.pending ? a->list.later.group : a->list.group;

	if (grouping)
		g = (enum app_group)((g + 1) % GROUP_COUNT);
	else
		s = (enum config_sort)((s + 1) % SORT_COUNT);
	if (app_narticles(a) < later_at) {
		if (grouping)
			app_set_group(a, g);
		else
			app_set_sort(a, s);
		say_sorted(a, grouping);
		return;
	}
	a->list.later.pending = true;
	a->list.later.sort = s;
	a->list.later.group = g;
	if (grouping && g == GROUP_NONE)
		app_say(a, "Ungrouping %zu articles…", app_narticles(a));
	else if (grouping)
		app_say(a, "Grouping %zu articles by %s…", app_narticles(a), _(group_names[g]));
	else
		app_say(a, "Sorting %zu articles by %s…", app_narticles(a), _(sort_said[s]));
}

bool app_arrange_idle(struct app *a)
{
	if (!a->list.later.pending)
		return false;
	a->list.later.pending = false;
	bool grouping = a->list.later.group != a->list.group;
	a->list.sort = a->list.later.sort; /* both, in one sort */
	a->list.group = a->list.later.group;
	reorder(a);
	say_sorted(a, grouping);
	return true;
}

void app_arrange_apply(struct app *a, enum action act)
{
	switch (act) {
	case ACTION_SCRIPT: next_script(a); break;
	case ACTION_SORT: arrange_next(a, false); break;
	case ACTION_GROUP: arrange_next(a, true); break;
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
