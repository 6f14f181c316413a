/* SPDX-License-Identifier: GPL-3.0-or-later */
/* linereader.c: bounded lines from a descriptor (read in chunks) or from memory. */
#include <config.h>

#include "linereader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

#define CHUNK (64u * 1024)

void linereader_fd(struct linereader *r, int fd, size_t max)
{
	memset(r, 0, sizeof *r);
	r->fd = fd;
	r->max = max;
}

void linereader_fn(struct linereader *r, long (*read_fn)(void *ctx, char *buf, size_t n), void *ctx,
		   size_t max)
{
	linereader_fd(r, -1, max);
	r->read_fn = read_fn;
	r->read_ctx = ctx;
}

void linereader_range(struct linereader *r, int fd, uint64_t off, uint64_t len, size_t max)
{
	linereader_fd(r, fd, max);
	r->ranged = true;
	r->pos = r->base = off;
	r->stop = len > UINT64_MAX - off ? UINT64_MAX : off + len;
}

void linereader_mem(struct linereader *r, const char *bytes, size_t n, size_t max)
{
	memset(r, 0, sizeof *r);
	r->fd = -1;
	r->mem = bytes;
	r->mem_n = n;
	r->max = max;
}

void linereader_free(struct linereader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* Read more of the fd after buf[end]; 0 at end of file, -1 on error. */
static int fill(struct linereader *r)
{
	ssize_t got;

	if (r->start > 0 && (r->start == r->end || r->cap - r->end < CHUNK)) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->base += r->start;
		r->end -= r->start;
		r->start = 0;
	}
	if (r->cap - r->end < CHUNK) {
		r->cap = r->end + CHUNK;
		r->buf = xreallocarray(r->buf, r->cap, 1);
	}
	if (r->cancel && atomic_load(r->cancel))
		return 0;
	size_t want = r->cap - r->end;
	if (r->ranged && want > r->stop - r->pos)
		want = (size_t)(r->stop - r->pos);
	do
		got = r->read_fn  ? r->read_fn(r->read_ctx, r->buf + r->end, want)
		      : r->ranged ? pread(r->fd, r->buf + r->end, want, (off_t)r->pos)
				  : read(r->fd, r->buf + r->end, want);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return -1;
	r->end += (size_t)got;
	r->pos += (uint64_t)got;
	if (r->progress)
		atomic_fetch_add(r->progress, (uint64_t)got);
	return got > 0;
}

static void strip_cr(const char **line, size_t *n)
{
	if (*n && (*line)[*n - 1] == '\r')
		(*n)--;
}

/* The next line from memory. */
static int next_mem(struct linereader *r, const char **line, size_t *n, bool *too_long)
{
	const char *p = r->mem + r->mem_pos, *nl;
	size_t left = r->mem_n - r->mem_pos, len;

	if (!left)
		return 0;
	nl = memchr(p, '\n', left);
	len = nl ? (size_t)(nl - p) : left;
	r->off = r->mem_pos;
	r->mem_pos += len + (nl ? 1 : 0);
	r->lineno++;
	*too_long = len > r->max;
	*line = p;
	*n = *too_long ? 0 : len;
	strip_cr(line, n);
	return 1;
}

size_t linereader_peek(struct linereader *r, size_t n, const char **p)
{
	if (r->fd < 0 && !r->read_fn) {
		*p = r->mem + r->mem_pos;
		return n < r->mem_n - r->mem_pos ? n : r->mem_n - r->mem_pos;
	}
	while (!r->eof && r->end - r->start < n) {
		int got = fill(r);
		if (got < 0)
			break;
		if (got == 0)
			r->eof = true;
	}
	*p = r->buf ? r->buf + r->start : "";
	return n < r->end - r->start ? n : r->end - r->start;
}

int linereader_chunk(struct linereader *r, const char **p, size_t *n)
{
	if (r->fd < 0 && !r->read_fn) {
		*p = r->mem + r->mem_pos;
		*n = r->mem_n - r->mem_pos;
		r->off = r->mem_pos;
		r->mem_pos = r->mem_n;
		return *n > 0;
	}
	if (r->start == r->end && !r->eof) {
		int got = fill(r);
		if (got < 0)
			return -1;
		if (got == 0)
			r->eof = true;
	}
	*p = r->buf ? r->buf + r->start : "";
	*n = r->end - r->start;
	r->off = r->base + r->start;
	r->start = r->end;
	return *n > 0;
}

int linereader_next(struct linereader *r, const char **line, size_t *n, bool *too_long)
{
	bool skipping = false;

	if (r->fd < 0 && !r->read_fn)
		return next_mem(r, line, n, too_long);
	for (;;) {
		char *nl = r->end > r->start ? memchr(r->buf + r->start, '\n', r->end - r->start)
					     : NULL;
		int got;

		if (nl || (r->eof && r->end > r->start)) {
			size_t len = nl ? (size_t)(nl - (r->buf + r->start)) : r->end - r->start;

			*line = r->buf + r->start;
			*n = skipping || len > r->max ? 0 : len;
			*too_long = skipping || len > r->max;
			r->off = r->base + r->start;
			r->start += len + (nl ? 1 : 0);
			r->lineno++;
			if (r->lines)
				atomic_fetch_add(r->lines, 1);
			strip_cr(line, n);
			return 1;
		}
		if (r->eof)
			return 0;
		if (r->end - r->start > r->max) { /* too long: drop what is held, go on */
			skipping = true;
			r->base += r->end;
			r->start = r->end = 0;
		}
		got = fill(r);
		if (got < 0)
			return -1;
		if (got == 0)
			r->eof = true;
	}
}
