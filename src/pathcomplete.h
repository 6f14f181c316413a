/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pathcomplete.h: file names typed at a prompt: ~ expanded as a shell does, and the
 * completion of the last name by Tab (the names in its directory that start with it). */
#ifndef XINWEN_PATHCOMPLETE_H
#define XINWEN_PATHCOMPLETE_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* The file name typed (n bytes) with a leading ~ or ~/ made $HOME, ~user/ that user's
 * home; other names as typed. A new string. */
char *path_expand(const char *typed, size_t n);

/* Complete the last name of what was typed (n bytes): append to *add what every name
 * of its directory starting with it shares beyond it ('/' after a directory's name when
 * it is the only one), and list in *choices (space-separated, at most max_choices) the
 * names when several remain. Names starting with '.' only when the typed name does.
 * Returns how many names matched. */
size_t path_complete(const char *typed, size_t n, struct strbuf *add, struct strbuf *choices,
		     size_t max_choices);

#endif
