/* SPDX-License-Identifier: GPL-3.0-or-later */
/* linereader.h: lines from a file descriptor or a buffer, each bounded in length, so
 * that a file of any size is read in bounded memory. */
#ifndef XINWEN_LINEREADER_H
#define XINWEN_LINEREADER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct linereader {
	int fd;		 /* -1: reading the buffer given to linereader_mem */
	const char *mem; /* that buffer */
	size_t mem_n, mem_pos;
	char *buf; /* the fd's bytes not yet returned: buf[start..end) */
	size_t cap, start, end, max;
	size_t lineno; /* of the line last returned, 1-based */
	uint64_t off;  /* the byte offset of the line last returned */
	uint64_t base; /* the byte offset of buf[0] */
	bool eof;
	/* When set, what the bytes are read with instead of read(2) on fd: like read(2),
	 * the count read, 0 at the end, -1 on error (errno set). */
	long (*read_fn)(void *ctx, char *buf, size_t n);
	void *read_ctx;
	bool ranged; /* reading bytes [pos, stop) of fd with pread */
	uint64_t pos, stop;
	atomic_uint_least64_t *progress; /* when set, the bytes read are added to it */
	atomic_size_t *lines;		 /* when set, the lines returned are added to it */
	atomic_bool *cancel; /* when set and true, reading ends as at the end of the file */
};

/* Read lines of at most max bytes from fd (not closed by the reader). */
void linereader_fd(struct linereader *r, int fd, size_t max);

/* Read lines of at most max bytes from what read_fn(ctx, ...) gives (linereader.read_fn). */
void linereader_fn(struct linereader *r, long (*read_fn)(void *ctx, char *buf, size_t n), void *ctx,
		   size_t max);

/* Read lines of at most max bytes from the bytes [off, off + len) of fd, with pread
 * (several readers may share fd); the offsets reported are the file's. */
void linereader_range(struct linereader *r, int fd, uint64_t off, uint64_t len, size_t max);

/* Read lines of at most max bytes from bytes[0..n) (borrowed). */
void linereader_mem(struct linereader *r, const char *bytes, size_t n, size_t max);

/* The next line without its LF (and a CR before it) in *line, *n; 1 for a line, 0 at
 * the end, -1 on a read error (errno set). A line longer than max is returned empty
 * with *too_long set; the reader goes on after it. */
int linereader_next(struct linereader *r, const char **line, size_t *n, bool *too_long);

/* The next bytes as they are, however many are read (lines are not looked for), in
 * *p, *n, all taken; r->off is the offset of the first. 1 for some, 0 at the end, -1 on
 * a read error (errno set). r->lineno is not counted: the caller counts LFs itself. */
int linereader_chunk(struct linereader *r, const char **p, size_t *n);

/* Look at up to n of the bytes not returned yet, without taking them: *p points at
 * them; returns how many (fewer only at the end of the input or on a read error). */
size_t linereader_peek(struct linereader *r, size_t n, const char **p);

/* Free the reader's buffer. */
void linereader_free(struct linereader *r);

#endif
