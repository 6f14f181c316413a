/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loader.h: reading article files and directories from disk, safely. */
#ifndef XINWEN_LOADER_H
#define XINWEN_LOADER_H

#include <stddef.h>

#include "collection.h"
#include "fileio.h"
#include "strbuf.h"
#include "format.h"

/* Largest article file read; a larger one is reported and skipped. */
#define LOADER_MAX_FILE FILEIO_MAX_FILE

/* A JSON Lines file of at least this many bytes is cut at line ends into pieces of
 * about LOADER_PIECE bytes, which two threads take in turn as each is done with the
 * last (when there are two processors), then joined in file order: the same ids, list
 * and messages as one thread would give. A SogouCS file is cut in two just after a
 * "</doc>" line near its middle, a half a thread (a decoded second half read again
 * when its decoder did not go as the first half's would have: decoder_follows). */
#define LOADER_SPLIT_MIN (32u << 20)
#define LOADER_PIECE (64u << 20)

/* Load path into c: a regular file, or a directory searched recursively for *.txt.
 * Every unreadable or broken file becomes one diag and is skipped. Returns the
 * number of articles added. */
size_t loader_load_path(struct collection *c, const char *path);

/* How standard input is named in messages and as its articles' path. */
#define LOADER_STDIN_NAME "stdin"

/* Like loader_load_path, reading files as o says (format.h): a directory walk also
 * looks at *.jsonl, *.json, *.dat and *.xml files, loaded when they hold JSON Lines or
 * <doc> records; those formats are read as a stream, with no limit on the file size.
 * The path "-" is standard input: JSON Lines, <doc> records or native articles, each
 * ended by a line holding only a form feed (format_detect_stream), kept in memory. */
size_t loader_load_path_opts(struct collection *c, const char *path, const struct load_opts *o);

/* The hash of the last COLLECTION_TAIL_BYTES bytes (or fewer) before offset size of
 * fd, when the byte before size is a line end; false if it is not, or on an error. */
bool loader_tail_hash(int fd, uint64_t size, uint64_t *hash);

/* List into c the files loader_load_path_opts would load from path (c->files: their
 * names and stat, in the same order) and the problems of the walk, reading none; only
 * some of them once o->cancel turns true. */
void loader_list_files(struct collection *c, const char *path, const struct load_opts *o);

#endif
