/* SPDX-License-Identifier: GPL-3.0-or-later */
/* similar_internal.h: the similar-stories index's layout, shared by similar.c and
 * similar_cache.c; not for other modules. */
#ifndef XINWEN_SIMILAR_INTERNAL_H
#define XINWEN_SIMILAR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "similar.h"

struct similar_index {
	size_t n;	 /* articles */
	size_t *vstart;	 /* article i's terms are vterm/vw[vstart[i], vstart[i + 1]) */
	uint32_t *vterm; /* ascending within an article */
	float *vw;	 /* divided by the norm of all the article's weights */
	size_t nterms;
	size_t *pstart; /* term t's postings are pdoc/pw[pstart[t], pstart[t + 1]) */
	uint32_t *pdoc; /* ascending within a term */
	float *pw;
};

/* Bytes of an article's body that go into its vector (at most SIMILAR_LEAD_BYTES, cut at
 * the start of a character). */
size_t similar_lead(struct str body);

#endif
