/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zipcoll.h: collections in zip archives (THUCNews.zip, news2016zh_corpus.zip): the
 * members loaded through the formats as the files of a directory would be, their text
 * read back from the archive when it is shown (libzip). */
#ifndef XINWEN_ZIPCOLL_H
#define XINWEN_ZIPCOLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collection.h"
#include "format.h"
#include "strbuf.h"

/* The largest compressed member of records (JSON Lines, SogouCS) read from an archive:
 * reading one record back means inflating the member from its start, so a larger one
 * is not loaded, and the message says how to unpack it. A stored (uncompressed) member
 * of any size is read, and read back at any offset. */
#define ZIPCOLL_MAX_INFLATE (32u * 1024 * 1024)

/* What the message of a compressed member too large to read in place says before the
 * command that unpacks it (zipcoll_load). */
#define ZIPCOLL_UNPACK "unpack it once: "

/* Whether the n bytes at head start a zip archive: a member's local header, or the end
 * of the central directory of an empty archive. */
bool zipcoll_is_archive(const char *head, size_t n);

/* Whether this build reads zip archives (built with libzip). */
bool zipcoll_supported(void);

/* Load into c the articles of the zip archive path, open as fd (not closed; c's file
 * begun by the caller): each member whose name a directory walk would look at, in the
 * archive's order, read as o says, its articles' text left in the archive when o->lean.
 * A member that cannot be read, with an unsafe name (absolute, "..", control bytes), a
 * duplicate name, encrypted, too large or inflating past its declared size, is one diag
 * naming the archive and the member, and skipped. o->max_files counts members (then
 * *o->cut_short says so), o->loaded counts them too. Returns the articles added. */
size_t zipcoll_load(struct collection *c, const char *path, int fd, const struct load_opts *o);

/* Read bytes of member m of the archive path into a new buffer (*out, *out_n bytes and a
 * NUL): len bytes from off when len is not 0, else the whole member when it is at most
 * max bytes. Returns 0, or an errno value with why saying what failed (the archive is
 * gone, or changed: its member m->index is no longer the one read). Safe on any thread;
 * the archive last read stays open for the next read. */
int zipcoll_read(const char *path, const struct archive_member *m, uint64_t off, uint64_t len,
		 size_t max, char **out, size_t *out_n, struct strbuf *why);

/* Walk the central directory of the zip archive open as fd as the reader's first screen
 * does without libzip: its end record (and Zip64 end record) checked against the file,
 * then at most max records, each checked to fit; *entries: the records the end record
 * says there are. Returns the records read, or -1 when the end record cannot be trusted
 * (for the tests and the fuzz target). */
long long zipcoll_walk(int fd, uint64_t max, uint64_t *entries);

#endif
