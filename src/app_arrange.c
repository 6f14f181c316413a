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
#include "log.h"

/* How the status line says the sorts, after "Sorted by ". */
static const char *const sort_said[SORT_COUNT] = {N_("date"), N_("title"), N_("source"),
						  N_("date, oldest first")};
static const char *const group_names[GROUP_COUNT] = {N_("none"), N_("source"), N_("month")};

/* The month of an article's date (YYYY-MM), or empty. */
static struct str month_of(const struct article *a)
{
	return a->date.n >= 7 ? (struct str){a->date.p, 7} : (struct str){"", 0};
}

/* The filtered view's list positions as bits (n / 8 + 1 bytes, a new array). */
static uint8_t *view_bits(const struct app *a, size_t n)
{
	uint8_t *in = xcalloc(n / 8 + 1, 1);

	for (size_t k = 0; k < a->list.view.n; k++)
		if (a->list.view.v[k] < n)
			in[a->list.view.v[k] / 8] |= (uint8_t)(1u << (a->list.view.v[k] % 8));
	return in;
}

/* Articles a bucket of invert_rows holds: their rows are written in a window this long. */
#define INVERT_BUCKET_SHIFT 12

/* row_of[perm[k]] = row_at[k] (row_at NULL: k) for the n positions of permutation perm,
 * written bucket by bucket of the positions rather than at random: millions of random
 * writes miss the cache each. */
static void invert_rows(const uint32_t *perm, const uint32_t *row_at, size_t n, uint32_t *row_of)
{
	size_t nb = (n >> INVERT_BUCKET_SHIFT) + 1;
	size_t *at = xreallocarray(NULL, nb, sizeof *at);
	uint64_t *pairs = xreallocarray(NULL, n ? n : 1, sizeof *pairs);

	for (size_t b = 0; b < nb; b++)
		at[b] = b << INVERT_BUCKET_SHIFT; /* a permutation: every bucket full */
	for (size_t k = 0; k < n; k++) {
		uint32_t i = perm[k];
		pairs[at[i >> INVERT_BUCKET_SHIFT]++] = (uint64_t)i << 32 |
							(row_at ? row_at[k] : (uint32_t)k);
	}
	for (size_t j = 0; j < n; j++)
		row_of[pairs[j] >> 32] = (uint32_t)pairs[j];
	free(pairs);
	free(at);
}

void app_order_rebuild(struct app *a)
{
	size_t n = app_narticles(a);
	bool grouped = a->list.group != GROUP_NONE, boundary = true;
	const uint32_t *perm = a->list.order.perm;
	const uint8_t *starts = a->list.order.starts;

	a->list.order.rows.n = 0;
	a->list.order.headers.n = 0;
	if (!a->list.order.active)
		return;
	if (!a->list.order.row_of)
		a->list.order.row_of = xreallocarray(NULL, n ? n : 1, sizeof *a->list.order.row_of);
	uint8_t *in = a->list.filtered ? view_bits(a, n) : NULL;
	size_t shown = in ? a->list.view.n : n;
	/* at most a header before each row shown */
	vec_reserve(&a->list.order.rows.v, &a->list.order.rows.cap,
		    grouped ? 2 * shown + 1 : shown + 1, sizeof *a->list.order.rows.v);
	uint32_t *rows = a->list.order.rows.v, r = 0;
	if (!in && !grouped) { /* the rows are the order */
		memcpy(rows, perm, n * sizeof *rows);
		a->list.order.rows.n = n;
		invert_rows(perm, NULL, n, a->list.order.row_of);
		return;
	}
	/* each article's row, or the row it would have, in order */
	uint32_t *row_at = xreallocarray(NULL, n ? n : 1, sizeof *row_at);
	for (size_t k = 0; k < n; k++) {
		uint32_t i = perm[k];
		/* a group starts here: its header goes before the first of it shown */
		boundary |= grouped && (starts[k / 8] >> (k % 8) & 1);
		if (in && !(in[i / 8] >> (i % 8) & 1)) {
			row_at[k] = r;
			continue;
		}
		if (grouped && boundary) {
			VEC_PUSH(&a->list.order.headers, r);
			rows[r++] = APP_ROW_HEADER | i;
		}
		boundary = false;
		row_at[k] = r;
		rows[r++] = i;
	}
	a->list.order.rows.n = r;
	invert_rows(perm, row_at, n, a->list.order.row_of);
	free(row_at);
	free(in);
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Order or grouping `which` of the list (listorder.h's numbering: the orders, then the
 * groupings): the one the collection keeps, else the one made from its articles now or
 * for a sort before. */
static const uint32_t *order_words(struct app *a, int which)
{
	size_t n = app_narticles(a);

	if (a->c->orders)
		return a->c->orders + (size_t)which * n;
	if (a->list.made[which])
		return a->list.made[which];
	if (which == LISTORDER_SOURCE) { /* the sources' groups, in their order */
		const uint32_t *g = order_words(a, LISTORDER_BY_COUNT + LISTORDER_BY_SOURCE);
		uint8_t *starts = xreallocarray(NULL, n / 8 + 1, 1);
		a->list.made[which] = xreallocarray(NULL, n ? n : 1, sizeof(uint32_t));
		listorder_compose(NULL, g, n, a->list.made[which], starts);
		free(starts);
	} else if (which < LISTORDER_BY_COUNT) {
		a->list.made[which] = listorder_make(a->c, (enum listorder_by)which);
	} else {
		a->list.made[which] = listorder_make_groups(
			a->c, (enum listorder_group)(which - LISTORDER_BY_COUNT));
	}
	return a->list.made[which];
}

/* The order of sort s (NULL: the list's own). */
static const uint32_t *sort_order(struct app *a, enum config_sort s)
{
	switch (s) {
	case SORT_TITLE: return order_words(a, LISTORDER_TITLE);
	case SORT_SOURCE: return order_words(a, LISTORDER_SOURCE);
	case SORT_OLDEST: return order_words(a, LISTORDER_OLDEST);
	default: return NULL;
	}
}

/* The group numbers of grouping g (NULL: not grouped). */
static const uint32_t *group_numbers(struct app *a, enum app_group g)
{
	switch (g) {
	case GROUP_SOURCE: return order_words(a, LISTORDER_BY_COUNT + LISTORDER_BY_SOURCE);
	case GROUP_MONTH: return order_words(a, LISTORDER_BY_COUNT + LISTORDER_BY_MONTH);
	default: return NULL;
	}
}

/* Sort the list positions again for the current sort and grouping. */
static void reorder(struct app *a)
{
	size_t n = app_narticles(a);
	struct timespec t0;

	a->list.order.active = a->list.sort != SORT_DATE || a->list.group != GROUP_NONE;
	if (n >= APP_ROW_HEADER) { /* rows number the articles in 31 bits */
		a->list.sort = SORT_DATE;
		a->list.group = GROUP_NONE;
		a->list.order.active = false;
	}
	if (!a->list.order.active) {
		app_order_free(a);
		app_sync_list(a);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!a->list.order.perm)
		a->list.order.perm = xreallocarray(NULL, n ? n : 1, sizeof *a->list.order.perm);
	if (!a->list.order.starts)
		a->list.order.starts = xcalloc(n / 8 + 1, 1);
	const uint32_t *order = sort_order(a, a->list.sort);
	const uint32_t *group = group_numbers(a, a->list.group);
	double made = ms_since(&t0);
	listorder_compose(order, group, n, a->list.order.perm, a->list.order.starts);
	double composed = ms_since(&t0);
	app_order_rebuild(a);
	app_sync_list(a);
	log_debug("list of %zu sorted by %s, grouped by %s: orders %.0f ms (%s), composed %.0f "
		  "ms, rows %.0f ms",
		  n, config_sort_name(a->list.sort), group_names[a->list.group], made,
		  a->c->orders ? "the catalog's" : "made", composed - made,
		  ms_since(&t0) - composed);
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

void app_set_arrangement(struct app *a, enum config_sort s, enum app_group g)
{
	if ((unsigned)s >= SORT_COUNT || (unsigned)g >= GROUP_COUNT)
		return;
	a->list.sort = s;
	a->list.group = g;
	reorder(a);
}

void app_set_sort(struct app *a, enum config_sort s)
{
	app_set_arrangement(a, s, a->list.group);
}

void app_set_group(struct app *a, enum app_group g)
{
	app_set_arrangement(a, a->list.sort, g);
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
	const struct article *art = collection_article(a->c,
						       a->list.order.rows.v[row] & ~APP_ROW_HEADER);
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
	for (size_t k = 0; k < sizeof a->list.made / sizeof a->list.made[0]; k++) {
		free(a->list.made[k]);
		a->list.made[k] = NULL;
	}
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
		struct article tmp;
		const struct article *art = collection_peek(a->c, i, &tmp);
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
