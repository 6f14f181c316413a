/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fileio.c: whole reads and writes, missing directories, atomic replacement. */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L /* fsync, O_CLOEXEC, O_DIRECTORY, O_NOFOLLOW */
#endif
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h> /* rename */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

const char *fileio_replace(const char *path, const char *tmp, const struct fileio_part *parts,
			   size_t n)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
	bool ok = true;
	int e;

	if (fd < 0)
		return "cannot create";
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
		errno = e;
		return "cannot write";
	}
	if (rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		errno = e;
		return "cannot replace";
	}
	sync_dir_of(path);
	return NULL;
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
