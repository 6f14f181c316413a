/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cachedir.c: the upkeep of the cache directory: CACHEDIR.TAG, expiry of the caches of
 * collections not opened for a while, listing and clearing (cachedir.h). */
#include <config.h>

#include "cachedir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "job.h"
#include "log.h"
#include "strbuf.h"
#include "xalloc.h"

#define TAG_NAME "CACHEDIR.TAG"
#define TAG_TEXT                                                    \
	"Signature: 8a477f597d28d172789f06886806bc55\n"             \
	"# This file is a cache directory tag created by xinwen.\n" \
	"# For information about cache directory tags, see:\n"      \
	"#\thttps://bford.info/cachedir/\n"
#define DAY (24 * 60 * 60)

char *cachedir_path(void)
{
	char *p = fileio_cache_path("");
	size_t n = p ? strlen(p) : 0;

	if (n > 1 && p[n - 1] == '/')
		p[n - 1] = '\0';
	return p;
}

bool cachedir_tag(void)
{
	char *dir = cachedir_path(), *tag = fileio_cache_path(TAG_NAME);
	struct strbuf tmp = {0};
	struct stat st;
	bool ok = false;

	if (dir && tag) {
		if (lstat(tag, &st) == 0) {
			ok = S_ISREG(st.st_mode);
		} else if (fileio_make_dirs(dir, NULL)) {
			struct fileio_part part = {TAG_TEXT, sizeof TAG_TEXT - 1};
			sb_printf(&tmp, "%s.tmp.%ld", tag, (long)getpid());
			ok = fileio_replace(tag, tmp.s, &part, 1) == NULL;
		}
	}
	sb_free(&tmp);
	free(tag);
	free(dir);
	return ok;
}

void cachedir_touch(const char *path)
{
	const struct timespec times[2] = {{0, UTIME_NOW}, {0, UTIME_OMIT}};

	if (path)
		utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW);
}

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static bool has_suffix(const char *s, const char *x)
{
	size_t n = strlen(s), m = strlen(x);
	return n >= m && strcmp(s + n - m, x) == 0;
}

/* Whether s (from ".db" on) ends the name of a file of a search index (index.c): its
 * manifest (.db), a segment (.db-N), its lock (.db-lock), its map to the catalog
 * (.db-map), or a file the SQLite index of earlier versions kept beside it (.db-wal,
 * .db-shm, .db-journal). */
static bool index_file_suffix(const char *s)
{
	if (!s)
		return false;
	if (!strcmp(s, ".db") || !strcmp(s, ".db-lock") || !strcmp(s, ".db-map") ||
	    !strcmp(s, ".db-wal") || !strcmp(s, ".db-shm") || !strcmp(s, ".db-journal"))
		return true;
	if (strncmp(s, ".db-", 4) != 0 || !s[4])
		return false;
	for (s += 4; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* What the file so named is to the reader. */
static enum cache_kind kind_of(const char *name)
{
	bool ours = has_prefix(name, "catalog-") || has_prefix(name, "similar-") ||
		    has_prefix(name, "index-") || has_prefix(name, TAG_NAME);

	if (ours && strstr(name, ".tmp."))
		return CACHE_TMP;
	if (has_prefix(name, "catalog-"))
		return CACHE_CATALOG;
	if (has_prefix(name, "similar-") && has_suffix(name, ".idx"))
		return CACHE_SIMILAR;
	if (has_prefix(name, "index-") && index_file_suffix(strstr(name, ".db")))
		return CACHE_INDEX;
	return CACHE_OTHER;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct cache_file *)a)->name, ((const struct cache_file *)b)->name);
}

bool cachedir_list(struct cache_listing *l)
{
	VEC(struct cache_file) v = {NULL, 0, 0};
	struct dirent *de;
	DIR *d;
	int fd;

	memset(l, 0, sizeof *l);
	l->dir = cachedir_path();
	if (!l->dir)
		return true;
	fd = open(l->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return false;
	}
	while ((de = readdir(d))) {
		struct stat st;
		if (de->d_name[0] == '.' || strcmp(de->d_name, TAG_NAME) == 0 ||
		    fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		struct cache_file f = {xstrdup(de->d_name), kind_of(de->d_name),
				       (uint64_t)st.st_size,
				       st.st_atime > st.st_mtime ? st.st_atime : st.st_mtime};
		if (!S_ISREG(st.st_mode))
			f.kind = CACHE_OTHER;
		VEC_PUSH(&v, f);
	}
	closedir(d);
	if (v.n)
		qsort(v.v, v.n, sizeof v.v[0], by_name);
	l->v = v.v;
	l->n = v.n;
	return true;
}

void cachedir_listing_free(struct cache_listing *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name);
	free(l->v);
	free(l->dir);
	memset(l, 0, sizeof *l);
}

/* Remove the regular file name of directory fd (never through a symlink). */
static bool remove_file(int fd, const char *name)
{
	struct stat st;

	return fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
	       unlinkat(fd, name, 0) == 0;
}

size_t cachedir_clear(const struct cache_listing *l, size_t *failed)
{
	size_t removed = 0;
	int fd = l->dir ? open(l->dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;

	*failed = 0;
	for (size_t i = 0; i < l->n && fd >= 0; i++) {
		if (l->v[i].kind == CACHE_OTHER)
			continue;
		if (remove_file(fd, l->v[i].name))
			removed++;
		else
			++*failed;
	}
	if (fd >= 0)
		close(fd);
	return removed;
}

size_t cachedir_expire(int days, time_t now)
{
	struct cache_listing l;
	size_t removed = 0;
	int fd;

	if (!cachedir_list(&l) || !l.dir) {
		cachedir_listing_free(&l);
		return 0;
	}
	fd = open(l.dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	for (size_t i = 0; i < l.n && fd >= 0; i++) {
		const struct cache_file *f = &l.v[i];
		time_t age = now - f->used;
		bool old = f->kind == CACHE_TMP
				   ? age > (time_t)CACHEDIR_TMP_DAYS * DAY
				   : f->kind != CACHE_OTHER && days > 0 && age > (time_t)days * DAY;
		if (old && remove_file(fd, f->name))
			removed++;
	}
	if (fd >= 0)
		close(fd);
	cachedir_listing_free(&l);
	return removed;
}

struct cachedir_sweep {
	struct job job;
	int days;
	char **keep;
	size_t nkeep;
};

static void sweep(void *arg)
{
	struct cachedir_sweep *s = arg;

	for (size_t i = 0; i < s->nkeep; i++)
		cachedir_touch(s->keep[i]);
	cachedir_tag();
	size_t removed = cachedir_expire(s->days, time(NULL));
	log_debug("cache sweep: %zu file%s removed", removed, removed == 1 ? "" : "s");
}

static void sweep_free(struct cachedir_sweep *s)
{
	for (size_t i = 0; i < s->nkeep; i++)
		free(s->keep[i]);
	free(s->keep);
	free(s);
}

struct cachedir_sweep *cachedir_sweep_start(int days, char *const *keep, size_t n)
{
	struct cachedir_sweep *s = xcalloc(1, sizeof *s);

	s->days = days;
	s->nkeep = 0;
	s->keep = n ? xreallocarray(NULL, n, sizeof *s->keep) : NULL;
	for (size_t i = 0; i < n; i++)
		if (keep[i])
			s->keep[s->nkeep++] = xstrdup(keep[i]);
	if (!job_try_start(&s->job, "cache sweep", sweep, s)) {
		sweep_free(s);
		return NULL;
	}
	return s;
}

void cachedir_sweep_join(struct cachedir_sweep *s)
{
	if (!s)
		return;
	job_join(&s->job);
	sweep_free(s);
}
