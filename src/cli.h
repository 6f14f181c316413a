/* cli.h: the command-line modes for scripts: --list, --dump, --check. */
#ifndef XINWEN_CLI_H
#define XINWEN_CLI_H

#include <stdio.h>

#include "collection.h"

/* Write untrusted text to f sanitized (LAYOUT.md §4), TABs and newlines as spaces. */
void cli_put_safe(FILE *f, const char *s, size_t n);

/* Print every article as "id TAB date TAB kind TAB title", in list order. */
void cli_list(const struct collection *c, FILE *out);

/* Print the lines the reading pane shows for the article with id or title key at
 * width; returns 0, or 1 (with a message on err) when there is no such article. */
int cli_dump(const struct collection *c, const char *key, int width, FILE *out, FILE *err);

/* Print every problem found while loading as "FILE:LINE: message" (LINE 0 for the
 * whole file) on err; returns 1 when there were problems, else 0. */
int cli_check(const struct collection *c, FILE *err);

#endif
