/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fileio.c: whole reads and writes, missing directories, atomic replacement. */
#include <config.h>

#include "fileio.h"
#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h> /* rename */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "strbuf.h"
#include "xalloc.h"

bool fileio_write_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return false;
		}
		s += w;
		n -= (size_t)w;
	}
	return true;
}

bool fileio_read_exact(int fd, void *p, size_t n)
{
	char *s = p;

	while (n > 0) {
		ssize_t r = read(fd, s, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			return false;
		}
		s += r;
		n -= (size_t)r;
	}
	return true;
}

bool fileio_make_dirs(const char *dir, char **failed)
{
	char *p = xstrdup(dir);
	bool ok = true;

	for (char *q = p + 1;; q++) {
		if (*q != '/' && *q != '\0')
			continue;
		char c = *q;
		*q = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			ok = false;
			break;
		}
		*q = c;
		if (!c)
			break;
	}
	if (!ok && failed) {
		int e = errno;
		*failed = xstrdup(p);
		errno = e;
	}
	free(p);
	return ok;
}

bool fileio_make_parent(const char *path, char **failed)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	bool ok = true;

	if (slash && slash != dir) {
		*slash = '\0';
		ok = fileio_make_dirs(dir, failed);
	}
	free(dir);
	return ok;
}

/* fsync the directory path is in, so that a rename into it lasts. */
static void sync_dir_of(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	const char *name = ".";

	if (slash) {
		*slash = '\0';
		name = *dir ? dir : "/";
	}
	int dfd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
}

int fileio_open_own(const char *path, int flags, int mode, struct stat *st)
{
	int fd = open(path, flags | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode);

	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	/* A regular file never blocks; clear the flag for those that look at it. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

const char *fileio_strerror(int e)
{
	return e == EINVAL ? "not a regular file" : strerror(e);
}

/* Create a temporary file for path: prefix (tmp, else path ".tmp"), then ".PID-N",
 * made with O_EXCL so that nothing already there (a FIFO, a symlink, another writer's
 * file) is ever opened; its name goes to *name. -1 with errno set on failure. */
static int create_temporary(const char *path, const char *tmp, struct strbuf *name)
{
	static atomic_ulong counter; /* writers on several threads at once */
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	for (int attempt = 0; attempt < 100; attempt++) {
		sb_clear(name);
		if (tmp)
			sb_puts(name, tmp);
		else
			sb_printf(name, "%s.tmp", path);
		sb_printf(name, ".%ld-%lx%lx", (long)getpid(),
			  (unsigned long)ts.tv_nsec ^ (unsigned long)attempt,
			  atomic_fetch_add(&counter, 1));
		int fd = open(name->s,
			      O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
				      O_NONBLOCK,
			      0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

const char *fileio_replace(const char *path, const char *tmp_prefix,
			   const struct fileio_part *parts, size_t n)
{
	struct strbuf name = {0};
	int fd = create_temporary(path, tmp_prefix, &name);
	const char *tmp = name.s;
	bool ok = true;
	int e;

	if (fd < 0) {
		e = errno;
		sb_free(&name);
		errno = e;
		return "cannot create";
	}
	for (size_t i = 0; ok && i < n; i++)
		ok = fileio_write_all(fd, parts[i].p, parts[i].n);
	ok = ok && fsync(fd) == 0;
	e = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		unlink(tmp);
		sb_free(&name);
		errno = e;
		return "cannot write";
	}
	if (rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		sb_free(&name);
		errno = e;
		return "cannot replace";
	}
	sb_free(&name);
	sync_dir_of(path);
	return NULL;
}

/* Remove the temporary files (names with ".tmp." in them) in dir older than
 * FILEIO_STALE_SECONDS: what writers killed before their rename left behind. */
static void remove_stale_temporaries(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *e;
	time_t now = time(NULL);

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		if (!strstr(e->d_name, ".tmp.") ||
		    fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(st.st_mode))
			continue;
		if (now - st.st_mtim.tv_sec > FILEIO_STALE_SECONDS)
			unlinkat(dfd, e->d_name, 0);
	}
	closedir(d);
}

bool fileio_private_dir(const char *dir, struct strbuf *why)
{
	struct stat st;
	char *failed = NULL;

	if (!fileio_make_dirs(dir, &failed)) {
		sb_printf(why, _("%s: cannot create: %s"), failed, strerror(errno));
		free(failed);
		return false;
	}
	if (lstat(dir, &st) != 0) {
		sb_printf(why, _("%s: %s"), dir, strerror(errno));
		return false;
	}
	if (S_ISLNK(st.st_mode) && stat(dir, &st) != 0) {
		sb_printf(why, _("%s: a dangling symbolic link"), dir);
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		sb_printf(why, _("%s: not a directory"), dir);
		return false;
	}
	if (st.st_uid != geteuid()) {
		sb_printf(why, _("%s: refused: owned by another user (uid %ld)"), dir,
			  (long)st.st_uid);
		return false;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		sb_printf(why, _("%s: refused: writable by %s (chmod 700 it)"), dir,
			  st.st_mode & S_IWOTH ? _("others") : _("its group"));
		return false;
	}
	remove_stale_temporaries(dir);
	return true;
}

char *fileio_cache_dir(void)
{
	char *p = fileio_cache_path("");

	if (p)
		p[strlen(p) - 1] = '\0'; /* the trailing slash */
	return p;
}

char *fileio_cache_path(const char *name)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	struct strbuf sb = {0};

	if (xdg && xdg[0] == '/')
		sb_puts(&sb, xdg);
	else if (home && home[0])
		sb_puts(&sb, home), sb_puts(&sb, "/.cache");
	else
		return NULL;
	sb_printf(&sb, "/xinwen/%s", name);
	return sb.s;
}

const char *fileio_file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return _("a directory");
	if (S_ISFIFO(mode))
		return _("a FIFO");
	if (S_ISCHR(mode))
		return _("a character device");
	if (S_ISBLK(mode))
		return _("a block device");
	if (S_ISSOCK(mode))
		return _("a socket");
	return _("not a plain file");
}

/* ---------------------------------------------------------------------------
 * Reading a whole file, safely
 */

/* Read fd to its end into a new buffer; false with errno set on a read error,
 * or with *too_large set when it holds more than FILEIO_MAX_FILE bytes. */
static bool read_all(int fd, size_t hint, char **out, size_t *out_n, bool *too_large)
{
	size_t cap = (hint < FILEIO_MAX_FILE ? hint : FILEIO_MAX_FILE) + 1;
	size_t len = 0;
	char *buf = xmalloc(cap);

	*too_large = false;
	for (;;) {
		ssize_t r;

		if (len == cap) {
			if (cap > FILEIO_MAX_FILE) {
				*too_large = true;
				free(buf);
				return false;
			}
			cap = cap > FILEIO_MAX_FILE / 2 ? FILEIO_MAX_FILE + 1 : cap * 2;
			buf = xreallocarray(buf, cap, 1);
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			errno = e;
			return false;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len > FILEIO_MAX_FILE) {
		*too_large = true;
		free(buf);
		return false;
	}
	*out = buf;
	*out_n = len;
	return true;
}

int fileio_read_regular(int fd, const struct stat *st, size_t max, char **out, size_t *out_n,
			struct strbuf *why)
{
	bool too_large = false;
	int err;

	*out = NULL;
	*out_n = 0;
	if (st->st_size > (off_t)max) {
		sb_printf(why, _("too large: %lld bytes (limit %zu): skipped"),
			  (long long)st->st_size, max);
		return EFBIG;
	}
	if (!read_all(fd, (size_t)st->st_size, out, out_n, &too_large)) {
		err = too_large ? EFBIG : errno;
		if (too_large)
			sb_printf(why, _("too large: over %zu bytes: skipped"), max);
		else
			sb_printf(why, _("cannot read: %s"), strerror(err));
		return err;
	}
	if (*out_n > max) {
		free(*out);
		*out = NULL;
		*out_n = 0;
		sb_printf(why, _("too large: over %zu bytes: skipped"), max);
		return EFBIG;
	}
	return 0;
}

/* Open path for reading without blocking on a FIFO or taking a terminal, and stat it:
 * the descriptor, or -errno (why says it; a file that is not a regular one is "skipped"
 * when skipping). */
static int open_regular(const char *path, struct stat *st, bool skipping, struct strbuf *why)
{
	int err, fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		err = errno;
		sb_printf(why, _("cannot open: %s"), strerror(err));
		return -err;
	}
	if (fstat(fd, st) != 0) {
		err = errno;
		sb_printf(why, _("cannot stat: %s"), strerror(err));
	} else if (!S_ISREG(st->st_mode)) {
		err = EINVAL;
		if (skipping)
			sb_printf(why, _("not a regular file (%s): skipped"),
				  fileio_file_kind(st->st_mode));
		else
			sb_printf(why, _("not a regular file (%s)"), fileio_file_kind(st->st_mode));
	} else {
		return fd;
	}
	close(fd);
	return -err;
}

int fileio_read_file(const char *path, size_t max, char **out, size_t *out_n, struct strbuf *why)
{
	struct stat st;
	int fd, err;

	*out = NULL;
	*out_n = 0;
	if (max > FILEIO_MAX_FILE)
		max = FILEIO_MAX_FILE;
	fd = open_regular(path, &st, true, why);
	if (fd < 0)
		return -fd;
	err = fileio_read_regular(fd, &st, max, out, out_n, why);
	close(fd);
	return err;
}

int fileio_read_range(const char *path, uint64_t off, uint64_t len, char **out, struct strbuf *why)
{
	struct stat st;
	size_t got = 0;
	int fd, err = 0;

	*out = NULL;
	if (len > FILEIO_MAX_FILE) {
		sb_printf(why, _("a record too large: %llu bytes"), (unsigned long long)len);
		return EFBIG;
	}
	fd = open_regular(path, &st, false, why);
	if (fd < 0)
		return -fd;
	if ((uint64_t)st.st_size < off || (uint64_t)st.st_size - off < len) {
		sb_puts(why, "it is shorter than when it was loaded");
		close(fd);
		return ERANGE;
	}
	*out = xmalloc((size_t)len + 1);
	while (got < len) {
		ssize_t r = pread(fd, *out + got, (size_t)len - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			err = r < 0 ? errno : ERANGE;
			sb_printf(why, _("cannot read: %s"),
				  r < 0 ? strerror(err) : _("it ends early"));
			break;
		}
		got += (size_t)r;
	}
	close(fd);
	if (err) {
		free(*out);
		*out = NULL;
		return err;
	}
	(*out)[len] = '\0';
	return 0;
}

void fileio_release_pages(const void *p, size_t n)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t to = ((uintptr_t)p + n) & ~(page - 1);

	if (to > from)
		madvise((void *)from, to - from, MADV_DONTNEED);
}

void fileio_small_pages(void *p, size_t n)
{
#ifdef MADV_NOHUGEPAGE
	madvise(p, n, MADV_NOHUGEPAGE); /* advice: without it, as before */
#else
	(void)p;
	(void)n;
#endif
}
