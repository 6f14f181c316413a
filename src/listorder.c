/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listorder.c: the list's other orders and groupings (listorder.h): strings sorted by
 * their keys (keysort.h), distinct ones found by a hash, any of them grouped by a
 * counting sort. */
#include <config.h>

#include "listorder.h"

#include <stdlib.h>
#include <string.h>

#include "keysort.h"
#include "xalloc.h"
#include "xxh64.h"

/* The string of an article an order or a grouping reads. */
typedef struct str (*str_of_fn)(const void *ctx, uint32_t i);

static struct str title_at(const void *ctx, uint32_t i)
{
	struct article tmp;
	return collection_peek(ctx, i, &tmp)->title;
}

static struct str source_at(const void *ctx, uint32_t i)
{
	struct article tmp;
	return collection_peek(ctx, i, &tmp)->source;
}

static struct str date_at(const void *ctx, uint32_t i)
{
	struct article tmp;
	return collection_peek(ctx, i, &tmp)->date;
}

/* An article's month: the first 7 bytes of its date (YYYY-MM), or empty. */
static struct str month_at(const void *ctx, uint32_t i)
{
	struct str d = date_at(ctx, i);
	return d.n >= 7 ? (struct str){d.p, 7} : (struct str){"", 0};
}

static bool same_str(struct str x, struct str y)
{
	return x.n == y.n && (!x.n || memcmp(x.p, y.p, x.n) == 0);
}

/* Each of the n articles' string (str_of) as its rank among the distinct ones in byte
 * order, the empty one last: a new array; *distinct: how many there are. The distinct
 * ones are found by a hash of each, then sorted by their keys (keysort_strings). */
static uint32_t *ranks(const struct collection *c, size_t n, str_of_fn str_of, size_t *distinct)
{
	uint32_t *id = xreallocarray(NULL, n ? n : 1, sizeof *id);
	size_t cap = 64, nd = 0;
	uint32_t *slot = xreallocarray(NULL, cap, sizeof *slot);
	uint32_t *first = xreallocarray(NULL, cap / 2, sizeof *first);

	memset(slot, 0xff, cap * sizeof *slot);
	for (size_t i = 0; i < n; i++) {
		struct str s = str_of(c, (uint32_t)i);
		size_t k = (size_t)xxh64(s.p, s.n, 0) & (cap - 1);
		while (slot[k] != UINT32_MAX && !same_str(str_of(c, first[slot[k]]), s))
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
				struct str t = str_of(c, first[d]);
				size_t at = (size_t)xxh64(t.p, t.n, 0) & (cap - 1);
				while (slot[at] != UINT32_MAX)
					at = (at + 1) & (cap - 1);
				slot[at] = d;
			}
		}
	}
	/* the distinct ones in byte order: their ranks */
	struct sort_key *order = xreallocarray(NULL, nd ? nd : 1, sizeof *order);
	for (uint32_t d = 0; d < nd; d++) {
		order[d] = (struct sort_key){.i = first[d]};
		keysort_prefix_wide(&order[d], str_of(c, first[d]), 0);
	}
	keysort_strings(order, nd, str_of, c, true);
	for (uint32_t r = 0; r < nd; r++)
		first[id[order[r].i]] = r; /* first: now each distinct one's rank */
	for (size_t i = 0; i < n; i++)
		id[i] = first[id[i]];
	free(order);
	free(slot);
	free(first);
	*distinct = nd;
	return id;
}

/* The n list positions sorted by their strings (str_of), stably. */
static uint32_t *sorted_by(const struct collection *c, size_t n, str_of_fn str_of)
{
	struct sort_key *keys = xreallocarray(NULL, n ? n : 1, sizeof *keys);
	uint32_t *perm = xreallocarray(NULL, n ? n : 1, sizeof *perm);

	for (size_t i = 0; i < n; i++) {
		keys[i].i = (uint32_t)i;
		keysort_prefix_wide(&keys[i], str_of(c, (uint32_t)i), 0);
	}
	keysort_strings(keys, n, str_of, c, true);
	for (size_t k = 0; k < n; k++)
		perm[k] = keys[k].i;
	free(keys);
	return perm;
}

uint32_t *listorder_make_groups(const struct collection *c, enum listorder_group g)
{
	size_t n = collection_count(c), nd;

	if (g == LISTORDER_BY_SOURCE)
		return ranks(c, n, source_at, &nd);
	uint32_t *r = ranks(c, n, month_at, &nd);
	/* the months newest first, the undated (ranked last, when there are) still last */
	bool undated = false;
	for (size_t i = 0; i < n && !undated; i++)
		undated = !month_at(c, (uint32_t)i).n;
	size_t months = nd - undated;
	for (size_t i = 0; i < n; i++)
		if (r[i] < months)
			r[i] = (uint32_t)(months - 1 - r[i]);
	return r;
}

/* The group numbers g[0..n) as an order: the positions by group, stably (a counting
 * sort). */
static uint32_t *by_group(const uint32_t *g, size_t n)
{
	uint32_t *perm = xreallocarray(NULL, n ? n : 1, sizeof *perm);
	uint8_t *starts = xreallocarray(NULL, n / 8 + 1, 1);

	listorder_compose(NULL, g, n, perm, starts);
	free(starts);
	return perm;
}

uint32_t *listorder_make(const struct collection *c, enum listorder_by by)
{
	size_t n = collection_count(c);

	if (by == LISTORDER_TITLE)
		return sorted_by(c, n, title_at);
	if (by == LISTORDER_OLDEST)
		return sorted_by(c, n, date_at);
	uint32_t *g = listorder_make_groups(c, LISTORDER_BY_SOURCE);
	uint32_t *perm = by_group(g, n);
	free(g);
	return perm;
}

void listorder_make_all(const struct collection *c, uint32_t *out)
{
	size_t n = collection_count(c);

	for (int g = 0; g < LISTORDER_GROUP_COUNT; g++) {
		uint32_t *x = listorder_make_groups(c, (enum listorder_group)g);
		if (n)
			memcpy(out + (LISTORDER_BY_COUNT + g) * n, x, n * sizeof *x);
		if (g == LISTORDER_BY_SOURCE) { /* the order by source is its groups' */
			uint32_t *perm = by_group(x, n);
			if (n)
				memcpy(out + LISTORDER_SOURCE * n, perm, n * sizeof *perm);
			free(perm);
		}
		free(x);
	}
	for (int by = 0; by < LISTORDER_BY_COUNT; by++) {
		if (by == LISTORDER_SOURCE)
			continue;
		uint32_t *perm = listorder_make(c, (enum listorder_by)by);
		if (n)
			memcpy(out + by * n, perm, n * sizeof *perm);
		free(perm);
	}
}

bool listorder_is_permutation(const uint32_t *p, size_t n)
{
	uint8_t *seen = xcalloc(n / 8 + 1, 1);
	bool ok = true;

	for (size_t k = 0; k < n && ok; k++) {
		uint32_t i = p[k];
		ok = i < n && !(seen[i / 8] >> (i % 8) & 1);
		if (ok)
			seen[i / 8] |= (uint8_t)(1u << (i % 8));
	}
	free(seen);
	return ok;
}

bool listorder_valid(const uint32_t *words, size_t n)
{
	for (int by = 0; by < LISTORDER_BY_COUNT; by++)
		if (!listorder_is_permutation(words + by * n, n))
			return false;
	for (size_t k = LISTORDER_BY_COUNT * n; k < LISTORDER_WORDS(n); k++)
		if (words[k] >= n)
			return false;
	return true;
}

const uint32_t *listorder_by_of(const uint32_t *words, size_t n, enum listorder_by by)
{
	return words + (size_t)by * n;
}

const uint32_t *listorder_groups_of(const uint32_t *words, size_t n, enum listorder_group g)
{
	return words + (LISTORDER_BY_COUNT + (size_t)g) * n;
}

void listorder_compose(const uint32_t *order, const uint32_t *group, size_t n, uint32_t *out,
		       uint8_t *starts)
{
	memset(starts, 0, n / 8 + 1);
	if (!group) {
		for (size_t k = 0; k < n; k++)
			out[k] = order ? order[k] : (uint32_t)k;
		return;
	}
	uint32_t top = 0;
	for (size_t i = 0; i < n; i++)
		top = group[i] > top ? group[i] : top;
	size_t *at = xcalloc((size_t)top + 1, sizeof *at);
	for (size_t i = 0; i < n; i++)
		at[group[i]]++;
	size_t sum = 0;
	for (size_t g = 0; g <= top; g++) {
		size_t count = at[g];
		at[g] = sum;
		if (count)
			starts[sum / 8] |= (uint8_t)(1u << (sum % 8));
		sum += count;
	}
	for (size_t k = 0; k < n; k++) {
		uint32_t i = order ? order[k] : (uint32_t)k;
		out[at[group[i]]++] = i;
	}
	free(at);
}
