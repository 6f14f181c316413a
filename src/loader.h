/* loader.h: reading article files and directories from disk, safely. */
#ifndef XINWEN_LOADER_H
#define XINWEN_LOADER_H

#include <stddef.h>

#include "collection.h"
#include "strbuf.h"
#include "format.h"

/* Largest article file read; a larger one is reported and skipped. */
#define LOADER_MAX_FILE (16u * 1024 * 1024)

/* Load path into c: a regular file, or a directory searched recursively for *.txt.
 * Every unreadable or broken file becomes one diag and is skipped. Returns the
 * number of articles added. */
size_t loader_load_path(struct collection *c, const char *path);

/* Read the regular file path, of at most max bytes (no more than LOADER_MAX_FILE), into
 * a new buffer (*out, *out_n), without blocking on special files. Returns 0, or an errno
 * value (ENOENT: there is no such file) with the reason appended to why. */
int loader_read_file(const char *path, size_t max, char **out, size_t *out_n,
		     struct strbuf *why);

/* Read len bytes at offset off of the regular file path (a record of it) into a new
 * NUL-terminated buffer *out, without blocking on special files. Returns 0, or an
 * errno value with the reason appended to why (the file is shorter now: ERANGE). */
int loader_read_range(const char *path, uint64_t off, uint64_t len, char **out,
		      struct strbuf *why);

/* Like loader_load_path, reading files as o says (format.h): a directory walk also
 * looks at *.jsonl, *.json, *.dat and *.xml files, loaded when they hold JSON Lines or
 * <doc> records; those formats are read as a stream, with no limit on the file size. */
size_t loader_load_path_opts(struct collection *c, const char *path,
			     const struct load_opts *o);

/* List into c the files loader_load_path_opts would load from path (c->files: their
 * names and stat, in the same order) and the problems of the walk, reading none. */
void loader_list_files(struct collection *c, const char *path, const struct load_opts *o);

#endif
