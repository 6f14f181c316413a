/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_related.c: xinwen --related: what an article cites, what cites it, and the
 * stories most similar to it, for scripts. */
#include <config.h>

#include <stdint.h>

#include "cli.h"
#include "exitcode.h"
#include "similar.h"
#include "similar_cache.h"

static void put_line(FILE *out, const char *group, const struct article *a)
{
	fputs(group, out);
	fputc('\t', out);
	cli_list_fields(a, out);
}

int cli_related(const struct collection *c, const char *key, bool use_cache, size_t quick,
		FILE *out, FILE *err)
{
	const struct article *a = collection_find(c, key);
	struct similar_hit hits[CLI_RELATED_SIMILAR];

	if (!a) {
		cli_no_article(key, err);
		return EXIT_TROUBLE;
	}
	for (size_t i = 0; i < a->related.n; i++) {
		put_line(out, "cites", collection_article(c, a->related.v[i].target));
		fputc('\n', out);
	}
	for (size_t i = 0; i < a->backlinks.n; i++) {
		put_line(out, "cited-by", collection_article(c, a->backlinks.v[i]));
		fputc('\n', out);
	}
	struct similar_index *ix = similar_index_cached(c, use_cache, quick, err);
	size_t n = similar_cache_query(&ix, c, use_cache, collection_index(c, a), hits,
				       CLI_RELATED_SIMILAR, err);
	for (size_t i = 0; i < n; i++) {
		put_line(out, "similar", collection_article(c, hits[i].article));
		fprintf(out, "\t%.3f\t%zu\n", (double)hits[i].score, hits[i].folded);
	}
	similar_index_free(ix);
	return EXIT_OK;
}
