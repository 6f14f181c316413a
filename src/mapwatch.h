/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mapwatch.h: files mapped for reading (the catalog, the similar stories' cache) watched
 * for being cut short under the reader. Once another program shrinks such a file, a
 * read of a page past its new end raises SIGBUS: the handler maps zero pages over the
 * rest of that mapping, so the read goes on (and finds zeros), and marks the mapping
 * cut; its owner then finds it so and stops using it. A SIGBUS elsewhere is left to the
 * handler there was before. */
#ifndef XINWEN_MAPWATCH_H
#define XINWEN_MAPWATCH_H

#include <stdbool.h>
#include <stddef.h>

/* Watch the n bytes mapped (PROT_READ) at p: the slot, or -1 when none is free (then
 * the mapping is not to be used). */
int mapwatch_add(void *p, size_t n);

/* Whether the mapping of slot was cut short (a SIGBUS in it) since mapwatch_add. */
bool mapwatch_cut(int slot);

/* Stop watching slot (before the mapping is unmapped). */
void mapwatch_remove(int slot);

#endif
