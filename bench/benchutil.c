/* SPDX-License-Identifier: GPL-3.0-or-later */
/* benchutil.c: a clock, sorting times, reading a file and a 1 MiB article, for the
 * benchmark programs. */
#include <config.h>

#include "benchutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "collection.h"
#include "strbuf.h"

double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double bench_now_ms(void)
{
	return bench_now() * 1e3;
}

int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

char *bench_read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct strbuf b = {0};
	char buf[65536];
	size_t got;
	if (!f) {
		perror(path);
		exit(1);
	}
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		sb_append(&b, buf, got);
	fclose(f);
	*n = b.n;
	return b.s;
}

void bench_mib_article(const struct article *s, struct strbuf *big)
{
	size_t start = big->n;

	sb_append(big, s->title.p, s->title.n);
	sb_puts(big, "\n\n2020-11-21 四川觀察\n\n");
	while (big->n - start < ((size_t)1 << 20)) {
		sb_append(big, s->body.p, s->body.n);
		sb_puts(big, "\n\n");
	}
}
