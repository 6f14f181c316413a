/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_index.c: --index, and the index that --search uses when it is fresh. */
#include <config.h>

#include "i18n.h"
#include "cli.h"
#include "text.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "index.h"
#include "log.h"

/* Say "xinwen: WHAT: why" sanitized on err. */
static void say(FILE *err, const char *what, const char *why)
{
	fputs("xinwen: ", err);
	fputs(what, err);
	fputs(": ", err);
	text_put_safe(err, why, strlen(why));
	fputc('\n', err);
}

struct text_index *cli_index_open(uint64_t key, const struct collection *c, bool create, FILE *err)
{
	char why[512];
	bool rebuilt;
	char *path = index_path(key);

	if (!path)
		return NULL;
	if (!create && access(path, F_OK) != 0) {
		free(path);
		return NULL;
	}
	struct text_index *ix = index_open(path, &rebuilt, why, sizeof why);
	free(path);
	if (rebuilt)
		say(err, _("the search index was damaged or stale"), why);
	if (!ix) {
		say(err, _("cannot use the search index"), why);
		return NULL;
	}
	if (index_attach(ix, c, why, sizeof why) == SIZE_MAX) {
		say(err, _("cannot use the search index"), why);
		index_close(ix);
		return NULL;
	}
	return ix;
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The progress bar: "indexing [#####     ]  45%  1234/2700 articles  12.3 MB/s". */
static void progress_bar(FILE *err, const struct index_progress *p, double secs)
{
	int width = 30, fill = p->total ? (int)((double)p->done * width / (double)p->total) : width;
	/* TRANSLATORS: the progress bar of --index: "indexing [####   ] 45%..." */
	fputc('\r', err);
	fputs(_("indexing ["), err);
	for (int i = 0; i < width; i++)
		fputc(i < fill ? '#' : ' ', err);
	fprintf(err, _("] %3d%%  %zu/%zu articles  %.1f MB/s "),
		p->total ? (int)(100.0 * (double)p->done / (double)p->total) : 100, p->done,
		p->total, secs > 0 ? (double)p->bytes / 1e6 / secs : 0.0);
	fflush(err);
}

/* Once the index of c is up to date, make --search answer from it alone from now on:
 * write c's catalog (file) when c was loaded from its files, as the reader would, then
 * save the index's map to the catalog (cli_search_save_map). What fails is left for a
 * later --search or reader to make. */
static void ready_for_search(const struct collection *c, uint64_t key, const char *file, FILE *err)
{
	struct collection read;
	struct strbuf why = {0};
	const struct collection *from = c;

	collection_init(&read);
	if (!catalog_of(c)) {
		const char *failed = catalog_can_hold(c) && collection_count(c)
					     ? catalog_write(c, key, file)
					     : "cannot hold it";
		if (failed || catalog_read(&read, key, file, &why) != CATALOG_OK) {
			log_debug("--index: no catalog for --search: %s", failed  ? failed
									  : why.s ? why.s
										  : "");
			goto out;
		}
		from = &read;
	}
	struct text_index *ix = cli_index_open(key, from, false, err);
	cli_search_save_map(ix, from);
	index_close(ix);
out:
	collection_free(&read);
	sb_free(&why);
}

int cli_index(const struct collection *c, uint64_t key, const char *catalog, FILE *out, FILE *err)
{
	char why[512];
	char *path = index_path(key);
	if (!path) {
		fputs(_("xinwen: no cache directory: set XDG_CACHE_HOME or HOME\n"), err);
		return 2;
	}
	struct text_index *ix = cli_index_open(key, c, true, err);
	if (!ix) {
		free(path);
		return 2;
	}
	struct index_progress p = {0};
	bool bar = isatty(fileno(err));
	double t0 = now_s();
	int rc;
	while ((rc = index_update(ix, INDEX_STEP, &p, why, sizeof why)) == 0)
		if (bar)
			progress_bar(err, &p, now_s() - t0);
	if (bar && p.total)
		progress_bar(err, &p, now_s() - t0);
	if (bar)
		fputc('\n', err);
	if (rc < 0) {
		say(err, _("indexing failed"), why);
		index_close(ix);
		free(path);
		return 2;
	}
	/* TRANSLATORS: the index's file name and its size follow. */
	fprintf(out,
		ngettext("%zu article indexed, %zu of them now (%.1f MB in %.1f s); index ",
			 "%zu articles indexed, %zu of them now (%.1f MB in %.1f s); index ",
			 collection_count(c)),
		collection_count(c), p.done, (double)p.bytes / 1e6, now_s() - t0);
	text_put_name(out, path, strlen(path));
	fprintf(out, ", %.1f MB\n", (double)index_file_bytes(path) / 1e6);
	index_close(ix);
	free(path);
	if (catalog)
		ready_for_search(c, key, catalog, err);
	return 0;
}
