/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fileio.h: the reader's own files (state, caches): whole reads and writes, missing
 * directories, and replacing a file atomically. */
#ifndef XINWEN_FILEIO_H
#define XINWEN_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "strbuf.h"

/* Largest file read whole; a larger one is reported and skipped. */
#define FILEIO_MAX_FILE (16u * 1024 * 1024)

/* One piece of what fileio_replace writes. */
struct fileio_part {
	const void *p;
	size_t n;
};

/* Write n bytes to fd, going on after short writes and EINTR; false (errno set) on error. */
bool fileio_write_all(int fd, const void *p, size_t n);

/* Read exactly n bytes from fd; false on error or an early end of file. */
bool fileio_read_exact(int fd, void *p, size_t n);

/* Make directory dir and its missing parents, mode 0700; false (errno set, *failed the
 * directory that could not be made, a new string, when failed is not NULL) on error. */
bool fileio_make_dirs(const char *dir, char **failed);

/* Replace path with the n parts, atomically: write them to tmp (created 0600 in the
 * same directory, never through a symlink), fsync it, rename it over path, fsync the
 * directory. A reader of path sees the old file or the new, never a part of either.
 * Returns NULL, or the step that failed ("cannot create", "cannot write",
 * "cannot replace") with errno set; tmp is then removed. */
const char *fileio_replace(const char *path, const char *tmp, const struct fileio_part *parts,
			   size_t n);

/* $XDG_CACHE_HOME/xinwen/name (~/.cache/xinwen/name when XDG_CACHE_HOME is not an
 * absolute path), as a new string; NULL when neither is set. */
char *fileio_cache_path(const char *name);

/* What kind of file mode is, for messages ("a directory", "a FIFO", ...). */
const char *fileio_file_kind(mode_t mode);

/* Read the open regular file fd (st: its fstat) of at most max bytes into a new buffer
 * (*out, *out_n). Returns 0, or an errno value with the reason appended to why. */
int fileio_read_regular(int fd, const struct stat *st, size_t max, char **out, size_t *out_n,
			struct strbuf *why);

/* Read the regular file path, of at most max bytes (no more than FILEIO_MAX_FILE), into
 * a new buffer (*out, *out_n), without blocking on special files. Returns 0, or an errno
 * value (ENOENT: there is no such file) with the reason appended to why. */
int fileio_read_file(const char *path, size_t max, char **out, size_t *out_n,
		     struct strbuf *why);

#endif
