/* SPDX-License-Identifier: GPL-3.0-or-later */
/* listorder.h: the orders a collection's list can be shown in besides its own (newest
 * first): by title, by source, by date oldest first, and grouped by source or by month,
 * as arrays of list positions and of group numbers, so that any sort in any grouping is
 * one pass over them. They are made from the articles, or kept in the catalog. */
#ifndef XINWEN_LISTORDER_H
#define XINWEN_LISTORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collection.h"

/* The orders: the list positions sorted by the article's title, source or date, in byte
 * order, the empty one last, stably (alike ones in list order). */
enum listorder_by { LISTORDER_TITLE, LISTORDER_SOURCE, LISTORDER_OLDEST, LISTORDER_BY_COUNT };

/* The groupings: each article's group number, the groups numbered in the order they are
 * shown: sources in byte order, months (YYYY-MM) newest first; the empty source, the
 * undated, last. */
enum listorder_group { LISTORDER_BY_SOURCE, LISTORDER_BY_MONTH, LISTORDER_GROUP_COUNT };

/* How many uint32_t a collection of n articles has in its orders and groupings, one
 * after the other (listorder_make_all, the catalog's table). */
#define LISTORDER_WORDS(n) ((size_t)(LISTORDER_BY_COUNT + LISTORDER_GROUP_COUNT) * (n))

/* The list positions of c's articles in order by (a new array of c->articles.n). */
uint32_t *listorder_make(const struct collection *c, enum listorder_by by);

/* The group number of each of c's articles in grouping g (a new array). */
uint32_t *listorder_make_groups(const struct collection *c, enum listorder_group g);

/* Every order then every grouping of c, one after the other, into out[LISTORDER_WORDS]. */
void listorder_make_all(const struct collection *c, uint32_t *out);

/* Whether p[0..n) holds every number below n once. */
bool listorder_is_permutation(const uint32_t *p, size_t n);

/* Whether words[0..LISTORDER_WORDS(n)) can be the orders and groupings of n articles:
 * each order a permutation, each group number below n. */
bool listorder_valid(const uint32_t *words, size_t n);

/* The order by (of words: listorder_make_all's layout) of n articles. */
const uint32_t *listorder_by_of(const uint32_t *words, size_t n, enum listorder_by by);

/* The grouping g (of words) of n articles. */
const uint32_t *listorder_groups_of(const uint32_t *words, size_t n, enum listorder_group g);

/* The n list positions of order (NULL: the list's own) grouped by group (each below n;
 * NULL: not grouped), stably, into out[n]; bit k of starts (n / 8 + 1 bytes, cleared
 * here) set where out[k] is the first of its group. */
void listorder_compose(const uint32_t *order, const uint32_t *group, size_t n, uint32_t *out,
		       uint8_t *starts);

#endif
