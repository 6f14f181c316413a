/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_cache.c: xinwen --cache: what is cached per collection, with sizes, and
 * --cache --clear. */
#include <config.h>

#include "i18n.h"
#include "cli.h"
#include "text.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cachedir.h"
#include "catalog.h"
#include "exitcode.h"
#include "index.h"
#include "similar_cache.h"
#include "strbuf.h"
#include "xalloc.h"

/* A size in bytes as people read it, 812 B, 12.3 KiB, 4.0 MiB, written into buf. */
static const char *size_text(uint64_t n, char buf[32])
{
	static const char *const units[] = {"KiB", "MiB", "GiB", "TiB"};
	double v = (double)n;
	int u = -1;

	if (n < 1024) {
		snprintf(buf, 32, "%" PRIu64 " B", n);
		return buf;
	}
	while (v >= 1024 && u < 3)
		v /= 1024, u++;
	snprintf(buf, 32, "%.1f %s", v, units[u]);
	return buf;
}

/* Write a size in bytes as people read it. */
static void put_size(FILE *out, uint64_t n)
{
	char buf[32];

	fputs(size_text(n, buf), out);
}

static void put_date(FILE *out, time_t t)
{
	char buf[32];
	struct tm tm;

	if (localtime_r(&t, &tm) && strftime(buf, sizeof buf, "%Y-%m-%d", &tm))
		fputs(buf, out);
}

/* The directory the files of c have in common ("" for none), a new string. */
static char *common_dir(const struct collection *c)
{
	size_t len = 0;

	for (size_t i = 0; i < c->files.n; i++) {
		const char *p = c->files.v[i].path;
		if (i == 0) {
			const char *slash = strrchr(p, '/');
			len = slash ? (size_t)(slash - p) : 0;
			continue;
		}
		size_t k = 0;
		while (k < len && p[k] == c->files.v[0].path[k])
			k++;
		while (k > 0 && k < len && c->files.v[0].path[k] != '/')
			k--;
		len = k;
	}
	if (c->files.n == 1 && len == 0)
		return xstrdup(c->files.v[0].path);
	return xstrndup(c->files.n ? c->files.v[0].path : "", len);
}

/* The index in l of the file whose name is the last part of path, or l->n. */
static size_t find_name(const struct cache_listing *l, const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	const char *name = slash ? slash + 1 : path;

	for (size_t i = 0; name && i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return i;
	return l->n;
}

/* The bytes of the files of the search index of key (its manifest, segments, lock and
 * map, and what SQLite kept beside it in earlier versions), marked in shown[]; 0 when
 * there is none. */
static uint64_t index_bytes(const struct cache_listing *l, uint64_t key, bool *shown)
{
	char *db = index_path(key);
	const char *slash = db ? strrchr(db, '/') : NULL;
	const char *base = slash ? slash + 1 : db;
	size_t n = base ? strlen(base) : 0;
	uint64_t total = 0;

	for (size_t j = 0; base && j < l->n; j++)
		if (l->v[j].kind == CACHE_INDEX && strncmp(l->v[j].name, base, n) == 0 &&
		    (l->v[j].name[n] == '\0' || l->v[j].name[n] == '-')) {
			total += l->v[j].size;
			shown[j] = true;
		}
	free(db);
	return total;
}

/* Print the collection of catalog l->v[i], its similar-stories index and its search
 * index (marking the files shown in shown[]). */
static void put_collection(const struct cache_listing *l, size_t i, bool *shown, FILE *out)
{
	const struct cache_file *f = &l->v[i];
	struct collection c;
	struct strbuf why = {0};
	uint64_t key = strtoull(f->name + strlen("catalog-"), NULL, 16);
	char *path = NULL;

	sb_printf(&why, "%s/%s", l->dir, f->name);
	path = xstrdup(why.s);
	sb_clear(&why);
	collection_init(&c);
	shown[i] = true;
	if (catalog_read(&c, key, path, &why) == CATALOG_OK) {
		char *dir = common_dir(&c), *idx = similar_cache_path(&c);
		size_t j = find_name(l, idx);
		uint64_t search = index_bytes(l, key, shown);
		uint64_t total = f->size + (j < l->n ? l->v[j].size : 0) + search;

		text_put_name(out, dir, strlen(dir));
		fputc('\t', out);
		fprintf(out, ngettext("%zu article", "%zu articles", collection_count(&c)),
			collection_count(&c));
		fputs(", ", out);
		fprintf(out, ngettext("%zu file", "%zu files", c.files.n), c.files.n);
		fputs(_(", opened "), out);
		put_date(out, f->used);
		fputs(": ", out);
		put_size(out, total);
		fputs(_(" (catalog "), out);
		put_size(out, f->size);
		if (j < l->n) {
			fputs(_(", similar stories "), out);
			put_size(out, l->v[j].size);
			shown[j] = true;
		}
		if (search) {
			fputs(_(", search index "), out);
			put_size(out, search);
		}
		fputs(")\n", out);
		free(dir);
		free(idx);
	} else {
		fputs(_("(unreadable catalog)\t"), out);
		text_put_safe(out, f->name, strlen(f->name));
		fputs(": ", out);
		put_size(out, f->size);
		fputc('\n', out);
	}
	collection_free(&c);
	sb_free(&why);
	free(path);
}

int cli_cache(bool clear, FILE *out, FILE *err)
{
	struct cache_listing l;
	uint64_t total = 0;
	int status = EXIT_OK;

	if (!cachedir_list(&l)) {
		fputs(_("xinwen: cannot read the cache directory "), err);
		text_put_name(err, l.dir, strlen(l.dir));
		fprintf(err, ": %s\n", strerror(errno));
		cachedir_listing_free(&l);
		return EXIT_TROUBLE;
	}
	if (!l.dir) {
		fputs(_("xinwen: neither XDG_CACHE_HOME nor HOME is set: no cache\n"), err);
		cachedir_listing_free(&l);
		return EXIT_TROUBLE;
	}
	if (clear) {
		size_t failed, n = cachedir_clear(&l, &failed);
		/* TRANSLATORS: followed by the cache directory. */
		fprintf(out, ngettext("Removed %zu file from ", "Removed %zu files from ", n), n);
		text_put_name(out, l.dir, strlen(l.dir));
		fputc('\n', out);
		if (failed) {
			fprintf(err,
				ngettext("xinwen: %zu file could not be removed\n",
					 "xinwen: %zu files could not be removed\n", failed),
				failed);
			status = EXIT_TROUBLE;
		}
		cachedir_listing_free(&l);
		return status;
	}
	bool *shown = xcalloc(l.n + 1, sizeof *shown);
	for (size_t i = 0; i < l.n; i++) {
		total += l.v[i].size;
		if (l.v[i].kind == CACHE_CATALOG)
			put_collection(&l, i, shown, out);
	}
	for (size_t i = 0; i < l.n; i++) {
		if (shown[i])
			continue;
		fputs(l.v[i].kind == CACHE_SIMILAR || l.v[i].kind == CACHE_INDEX
			      ? _("(no catalog)\t")
		      : l.v[i].kind == CACHE_TMP ? _("(temporary)\t")
						 : _("(not xinwen's)\t"),
		      out);
		text_put_safe(out, l.v[i].name, strlen(l.v[i].name));
		fputs(_(", opened "), out);
		put_date(out, l.v[i].used);
		fputs(": ", out);
		put_size(out, l.v[i].size);
		fputc('\n', out);
	}
	char size[32];
	/* TRANSLATORS: %s is a size such as 1.2 MiB; the cache directory follows. */
	fprintf(out, _("Total: %s in "), size_text(total, size));
	text_put_name(out, l.dir, strlen(l.dir));
	fputc('\n', out);
	free(shown);
	cachedir_listing_free(&l);
	return status;
}
