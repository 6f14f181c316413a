/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fileio.h: the reader's own files (state, caches): whole reads and writes, missing
 * directories, and replacing a file atomically. */
#ifndef XINWEN_FILEIO_H
#define XINWEN_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

/* Make the directories leading to file path (none when it has no '/'), as
 * fileio_make_dirs does. */
bool fileio_make_parent(const char *path, char **failed);

/* Replace path with the n parts, atomically: write them to a new temporary file in the
 * same directory (0600, made with O_EXCL, so nothing already there is ever opened: a
 * FIFO, a symlink, another writer's file), named tmp_prefix (NULL: path ".tmp") then
 * "." and a unique suffix, which fileio_private_dir removes after a crash; fsync it,
 * rename it over path, fsync the directory. A reader of path sees the old file or the
 * new, never a part of either. Returns NULL, or the step that failed ("cannot create",
 * "cannot write", "cannot replace") with errno set; the temporary is then removed. */
const char *fileio_replace(const char *path, const char *tmp_prefix,
			   const struct fileio_part *parts, size_t n);

/* Open path, a file of the reader's own cache or state directory (which may have been
 * replaced by a FIFO, a device or a symlink), as doc/SECURITY.md says: with flags and
 * O_NONBLOCK (cleared once open), O_NOFOLLOW, O_CLOEXEC, O_NOCTTY; it must be a regular
 * file (*st filled). Returns the descriptor, or -1 with errno set: EINVAL when it is not
 * a regular file (fileio_strerror says so), ELOOP for a symlink. */
int fileio_open_own(const char *path, int flags, int mode, struct stat *st);

/* strerror, but for EINVAL after fileio_open_own: "not a regular file". */
const char *fileio_strerror(int e);

/* Make the reader's own directory dir (the cache or the state directory) ready: create
 * it and its missing parents mode 0700; refuse it (false, why says so, naming dir)
 * when it is not a directory, not owned by the user or writable by group or others, as
 * ssh and gpg refuse theirs; then remove what crashed writers left in it (files named
 * "*.tmp.*" older than FILEIO_STALE_SECONDS). The caller goes on without the directory
 * (no cache, marks in memory) when it is refused. */
bool fileio_private_dir(const char *dir, struct strbuf *why);

/* How old a temporary file must be for fileio_private_dir to remove it. */
#define FILEIO_STALE_SECONDS 60

/* $XDG_CACHE_HOME/xinwen/name (~/.cache/xinwen/name when XDG_CACHE_HOME is not an
 * absolute path), as a new string; NULL when neither is set. */
char *fileio_cache_path(const char *name);

/* $XDG_CACHE_HOME/xinwen (or ~/.cache/xinwen), as a new string; NULL when neither is set. */
char *fileio_cache_dir(void);

/* What kind of file mode is, for messages ("a directory", "a FIFO", ...). */
const char *fileio_file_kind(mode_t mode);

/* Read the open regular file fd (st: its fstat) of at most max bytes into a new buffer
 * (*out, *out_n). Returns 0, or an errno value with the reason appended to why. */
int fileio_read_regular(int fd, const struct stat *st, size_t max, char **out, size_t *out_n,
			struct strbuf *why);

/* Read the regular file path, of at most max bytes (no more than FILEIO_MAX_FILE), into
 * a new buffer (*out, *out_n), without blocking on special files. Returns 0, or an errno
 * value (ENOENT: there is no such file) with the reason appended to why. */
int fileio_read_file(const char *path, size_t max, char **out, size_t *out_n, struct strbuf *why);

/* Read len bytes at offset off of the regular file path (a record of it) into a new
 * NUL-terminated buffer *out, without blocking on special files. Returns 0, or an
 * errno value with the reason appended to why (the file is shorter now: ERANGE). */
int fileio_read_range(const char *path, uint64_t off, uint64_t len, char **out, struct strbuf *why);

/* Give back the whole pages of the mapped bytes [p, p + n) (madvise): a file's pages stay
 * in the page cache, and what is read again is mapped again from there; a mapping of
 * another program's file may then read what it holds now (check it again). */
void fileio_release_pages(const void *p, size_t n);

/* Map the mapped file bytes [p, p + n) a page at a time, never 2 MB at once (a file in
 * the page cache in large folios is otherwise mapped a folio at a time: reading a few
 * kilobytes here and there would map hundreds of megabytes). */
void fileio_small_pages(void *p, size_t n);

#endif
