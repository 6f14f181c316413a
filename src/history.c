/* SPDX-License-Identifier: GPL-3.0-or-later */
/* history.c: browser-like back/forward history of viewed articles, bounded. */
#include <config.h>

#include "history.h"

#include <string.h>

void history_init(struct history *h)
{
	h->n = 0;
	h->pos = 0;
}

/* Forget the oldest place to make room for one more. */
static void drop_oldest(struct history *h)
{
	memmove(&h->v[0], &h->v[1], (h->n - 1) * sizeof h->v[0]);
	h->n--;
	if (h->pos > 0)
		h->pos--;
}

void history_visit(struct history *h, struct history_entry e)
{
	if (h->n > 0)
		h->n = h->pos + 1;
	if (h->n == HISTORY_MAX)
		drop_oldest(h);
	h->v[h->n] = e;
	h->pos = h->n;
	h->n++;
}

void history_update(struct history *h, struct history_entry e)
{
	if (h->n == 0)
		return;
	h->v[h->pos].scroll = e.scroll;
	h->v[h->pos].link = e.link;
	h->v[h->pos].link_target = e.link_target;
}

bool history_back(struct history *h, struct history_entry *out)
{
	if (h->n == 0 || h->pos == 0)
		return false;
	h->pos--;
	*out = h->v[h->pos];
	return true;
}

bool history_forward(struct history *h, struct history_entry *out)
{
	if (h->pos + 1 >= h->n)
		return false;
	h->pos++;
	*out = h->v[h->pos];
	return true;
}

bool history_go(struct history *h, size_t pos, struct history_entry *out)
{
	if (pos >= h->n)
		return false;
	h->pos = pos;
	*out = h->v[pos];
	return true;
}
