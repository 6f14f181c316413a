/* SPDX-License-Identifier: GPL-3.0-or-later */
/* benchutil.h: what the benchmark programs share: a clock, sorting times, reading a
 * file, a 1 MiB article. */
#ifndef XINWEN_BENCHUTIL_H
#define XINWEN_BENCHUTIL_H

#include <stddef.h>

/* Seconds on the monotonic clock. */
double bench_now(void);

/* Milliseconds on the monotonic clock. */
double bench_now_ms(void);

/* qsort's comparison of doubles, ascending. */
int bench_cmp_double(const void *a, const void *b);

/* The whole of file path in a new buffer (*n bytes); exits with a message if unreadable. */
char *bench_read_file(const char *path, size_t *n);

struct article;
struct strbuf;

/* A 1 MiB article in the native format, appended to big: the seed's title and date line,
 * then its body (resident) over and over. */
void bench_mib_article(const struct article *seed, struct strbuf *big);

#endif
