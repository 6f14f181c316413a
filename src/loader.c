/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loader.c: reading article files and directories from disk, safely: never
 * blocking on special files, bounded in size and depth, immune to symlink loops. */
#include <config.h>

#include "loader.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "decode.h"
#include "fileio.h"
#include "i18n.h"
#include "jsonskim.h"
#include "log.h"
#include "strbuf.h"
#include "text.h"
#include "xxh64.h"
#include "zipcoll.h"

/* Deepest directory nesting searched below a directory given to load. */
#define MAX_DEPTH 64

/* ---------------------------------------------------------------------------
 * Names
 */

static bool has_txt_suffix(const char *name)
{
	size_t n = strlen(name);
	return n >= 4 && strcmp(name + n - 4, ".txt") == 0;
}

/* name without a .txt suffix (unless that leaves nothing), as a new string. */
static char *strip_txt(const char *name)
{
	size_t n = strlen(name);

	if (n > 4 && has_txt_suffix(name))
		n -= 4;
	return xstrndup(name, n);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* dir/name, without doubling a slash dir already ends with. */
static char *join_path(const char *dir, const char *name)
{
	size_t n = strlen(dir), k = strlen(name);
	bool slash = n && dir[n - 1] != '/';
	char *p = xmalloc(n + slash + k + 1);

	memcpy(p, dir, n);
	if (slash)
		p[n] = '/';
	memcpy(p + n + slash, name, k + 1);
	return p;
}

/* A file of fewer bytes than this is read whole at once, format and all (read_head). */
#define WHOLE_READ_MAX (1u << 20)

/* Read the first bytes of the open regular file fd (st: its stat) into scratch: all of
 * it in one read when it is smaller than WHOLE_READ_MAX (*whole then says it was all
 * there was), else its first FORMAT_HEAD. Returns how many were read (0 on an error). */
static size_t read_head(int fd, const struct stat *st, struct strbuf *scratch, bool *whole)
{
	bool small = st->st_size >= 0 && st->st_size < (off_t)WHOLE_READ_MAX;
	size_t want = small ? (size_t)st->st_size + 1 : FORMAT_HEAD;
	ssize_t n;

	vec_reserve(&scratch->s, &scratch->cap, want, 1);
	do
		n = pread(fd, scratch->s, want, 0);
	while (n < 0 && errno == EINTR);
	*whole = small && n >= 0 && (size_t)n < want; /* a short read: its end */
	return n > 0 ? (size_t)n : 0;
}

/* The format of the open file path, whose first n bytes are head: a zip archive named
 * by the user (its members then read as o says), else as o says, or detected from its
 * first FORMAT_HEAD bytes. */
static enum format file_format(const char *head, size_t n, const char *path,
			       const struct load_opts *o, bool in_dir)
{
	if (n > FORMAT_HEAD)
		n = FORMAT_HEAD;
	if (!in_dir && n > 0 && zipcoll_is_archive(head, n))
		return FORMAT_ZIP;
	if (o->format != FORMAT_AUTO)
		return o->format;
	return format_detect(path, head, n, in_dir);
}

/* Whether the load is to stop (the reader is quitting): o->cancel is set. */
static bool cancelled(const struct load_opts *o)
{
	return o->cancel && atomic_load(o->cancel);
}

/* ---------------------------------------------------------------------------
 * A streamed file: on one thread, or in pieces on two
 */

/* Just after the first LF at or after offset at of fd (size bytes), or 0 if none. */
static uint64_t line_end_after(int fd, uint64_t at, off_t size)
{
	char buf[64 * 1024];

	while (at < (uint64_t)size) {
		ssize_t got = pread(fd, buf, sizeof buf, (off_t)at);
		const char *nl;

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return 0;
		if ((nl = memchr(buf, '\n', (size_t)got)) != NULL)
			return at + (uint64_t)(nl - buf) + 1;
		at += (uint64_t)got;
	}
	return 0;
}

/* Where a file of size bytes is split: just after the first LF at or after its middle;
 * 0 when it is not (too small, one processor, no LF there). */
static uint64_t split_point(int fd, off_t size, const struct load_opts *o)
{
	uint64_t min = o->split_min ? o->split_min : LOADER_SPLIT_MIN;

	if (size <= 0 || (uint64_t)size < min || sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return 0;
	return line_end_after(fd, (uint64_t)size / 2, size);
}

/* Where a SogouCS file of size bytes is split: just after the first line that is
 * "</doc>" alone at or after its middle, where no record is open whatever came before;
 * 0 when it is not (too small, one processor, no such line). */
static uint64_t record_split_point(int fd, off_t size, const struct load_opts *o)
{
	uint64_t at = split_point(fd, size, o);

	while (at && at < (uint64_t)size) {
		char line[8];
		ssize_t got = pread(fd, line, sizeof line, (off_t)at);

		if (got < 0 && errno == EINTR)
			continue;
		if (got >= 7 && memcmp(line, "</doc>\n", 7) == 0)
			return at + 7;
		if (got >= 8 && memcmp(line, "</doc>\r\n", 8) == 0)
			return at + 8;
		at = got > 0 ? line_end_after(fd, at, size) : 0;
	}
	return 0;
}

/* How many LF bytes fd holds before offset end; false on a read error. */
static bool count_lines(int fd, uint64_t end, size_t *lines)
{
	char *buf = xmalloc(1u << 20);
	uint64_t at = 0;

	*lines = 0;
	while (at < end) {
		size_t want = end - at < (1u << 20) ? (size_t)(end - at) : (1u << 20);
		ssize_t got = pread(fd, buf, want, (off_t)at);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		for (const char *p = buf, *e = buf + got; (p = memchr(p, '\n', (size_t)(e - p)));
		     p++)
			(*lines)++;
		at += (uint64_t)got;
	}
	free(buf);
	return at == end;
}

bool loader_tail_hash(int fd, uint64_t size, uint64_t *hash)
{
	char buf[COLLECTION_TAIL_BYTES];
	size_t k = size < sizeof buf ? (size_t)size : sizeof buf;
	ssize_t got;

	if (!size)
		return false;
	do
		got = pread(fd, buf, k, (off_t)(size - k));
	while (got < 0 && errno == EINTR);
	if (got != (ssize_t)k || buf[k - 1] != '\n')
		return false; /* the last line is not whole */
	*hash = xxh64(buf, k, 0);
	return true;
}

/* Note in c's file (size bytes at open) its lines and the hash of its end, when it was
 * read whole (to end, whole lines), so that an append is noticed next time. */
static void note_whole(struct collection *c, int fd, uint64_t size, uint64_t end, size_t lines)
{
	struct loaded_file *lf = &c->files.v[c->cur_file];
	uint64_t h;

	if (end == size && loader_tail_hash(fd, size, &h)) {
		lf->lines = lines;
		lf->tail_hash = h;
	}
}

/* A piece of a split file, from just after a line end to just after one, read on one
 * of the two threads into that thread's part. */
struct piece {
	uint64_t from, to;
	unsigned worker;	    /* the thread whose part holds what it gave */
	struct collection_run run;  /* its articles and diags there */
	size_t line_ids, nline_ids; /* its articles with ids made of line numbers there */
	uint64_t end;		    /* where its reading ended (from: never read) */
	size_t lines;		    /* its lines, to there (JSON Lines: counted from its
					* start; SogouCS: from the file's) */
	size_t added;
};

/* A file read in pieces on two threads, this one and one more. */
struct split {
	int fd;
	const char *path;
	enum format f;
	const struct load_opts *o;
	struct piece *pieces;
	size_t n;
	atomic_size_t next; /* the next piece to take */
	bool in_turn;	    /* each thread reads the piece of its number only */
	struct collection parts[2];
	struct decoder *dec[2]; /* decoding: each thread's decoder, else NULL */
	bool count[2];		/* its bytes and lines counted in o's progress */
};

/* One of the two threads of a split. */
struct split_worker {
	struct split *s;
	unsigned no;
};

/* Read piece p of s on thread no, into that thread's part. JSON Lines: its lines are
 * numbered from its start (part.lines_relative), and number_piece numbers them as in
 * the whole file once the pieces before have counted their own. SogouCS, whose
 * messages name lines in their text too: the lines before it are counted first (it is
 * the second of two), and it is numbered as in the whole file. */
static void read_piece(struct split *s, unsigned no, struct piece *p)
{
	struct collection *part = &s->parts[no];
	struct linereader r;
	size_t before = 0;

	p->worker = no;
	p->added = p->lines = 0;
	p->end = p->from;
	p->run = (struct collection_run){no, part->articles.n, 0, part->diags.n, 0};
	p->line_ids = part->line_ids.n;
	if (!part->lines_relative && p->from && !count_lines(s->fd, p->from, &before)) {
		collection_diag_unreadable(part, s->path, 0, "cannot read: %s",
					   strerror(errno ? errno : EIO));
	} else {
		linereader_range(&r, s->fd, p->from, p->to - p->from, LOADER_MAX_FILE);
		r.lineno = before;
		r.progress = s->count[no] ? s->o->bytes : NULL;
		r.lines = s->count[no] ? s->o->records : NULL;
		r.cancel = s->o->cancel;
		p->added = format_load_stream_with(part, s->f, s->path, &r, s->dec[no]);
		p->end = r.pos;
		p->lines = r.lineno;
		linereader_free(&r);
	}
	p->run.narticles = part->articles.n - p->run.article;
	p->run.ndiags = part->diags.n - p->run.diag;
	p->nline_ids = part->line_ids.n - p->line_ids;
}

/* Read the pieces of a split on thread w->no: the next one not taken, until none is
 * left (or the load is cancelled); in turn, the one of its number. */
static void *run_pieces(void *arg)
{
	struct split_worker *w = arg;
	struct split *s = w->s;
	size_t k;

	if (s->in_turn) {
		if (w->no < s->n)
			read_piece(s, w->no, &s->pieces[w->no]);
		return NULL;
	}
	while ((k = atomic_fetch_add(&s->next, 1)) < s->n && !cancelled(s->o))
		read_piece(s, w->no, &s->pieces[k]);
	return NULL;
}

/* Number the lines of the JSON Lines piece p as in the whole file, before of them
 * coming first: its messages' lines, its records' lines, and the ids made of a line
 * number (the same ids and messages as one thread's). */
static void number_piece(struct split *s, const struct piece *p, size_t before)
{
	struct collection *part = &s->parts[p->worker];

	for (size_t i = p->run.diag; i < p->run.diag + p->run.ndiags; i++)
		if (part->diags.v[i].line)
			part->diags.v[i].line += before;
	for (size_t i = p->run.article; i < p->run.article + p->run.narticles; i++) {
		struct article *a = part->articles.v[i];
		a->line = a->line && before + a->line <= UINT32_MAX ? (uint32_t)(before + a->line)
								    : 0;
	}
	for (size_t i = p->line_ids; i < p->line_ids + p->nline_ids; i++) {
		struct article *a = part->line_ids.v[i];
		const char *dash = strrchr(a->id, '-'); /* format_make_id: NAME-LINE */
		size_t line = dash ? (size_t)strtoull(dash + 1, NULL, 10) : 0;

		article_set_id(a, format_make_id("", 0, s->path, before + line));
	}
}

/* Cut the file of s (size bytes) into pieces for two threads: at least two, of at
 * most about LOADER_PIECE bytes each (o->piece_bytes), from line end to line end; in
 * turn (SogouCS), in two at mid. */
static void cut_pieces(struct split *s, off_t size, uint64_t mid)
{
	uint64_t most = s->o->piece_bytes ? s->o->piece_bytes : LOADER_PIECE;
	uint64_t n = (uint64_t)size / most + 1 > 2 ? (uint64_t)size / most + 1 : 2;
	uint64_t want = (uint64_t)size / n + 1, at = 0;
	size_t cap = (size_t)n + 2;

	s->pieces = xreallocarray(NULL, cap, sizeof *s->pieces);
	s->n = 0;
	if (s->in_turn) {
		s->pieces[s->n++] = (struct piece){.from = 0, .to = mid, .end = 0};
		s->pieces[s->n++] = (struct piece){.from = mid, .to = (uint64_t)size, .end = mid};
		return;
	}
	while (at < (uint64_t)size && s->n + 1 < cap) {
		uint64_t to = at + want < (uint64_t)size ? line_end_after(s->fd, at + want, size)
							 : 0;

		if (!to || s->n + 2 == cap)
			to = (uint64_t)size; /* the rest */
		s->pieces[s->n++] = (struct piece){.from = at, .to = to, .end = at};
		at = to;
	}
}

/* Load the streamed file path (open as fd, size bytes) of format f into c, in pieces
 * on two threads (mid: where the file's middle line end is), joined in file order:
 * the same ids, list and messages as one thread would give. dec (when decoding): the
 * decoder one thread would read it with. Returns how many articles were added. */
static size_t load_split(struct collection *c, int fd, const char *path, off_t size, enum format f,
			 uint64_t mid, struct decoder *dec, const struct load_opts *o)
{
	struct split s = {.fd = fd, .path = path, .f = f, .o = o, .count = {true, true}};
	struct split_worker w[2] = {{&s, 0}, {&s, 1}};
	struct decoder second, again;
	size_t added = 0, before = 0;
	pthread_t t;

	/* SogouCS is read in two halves, one a thread, for the line numbers in its
	 * messages; a decoded one, its second half with a decoder of its own */
	s.in_turn = f != FORMAT_JSONL || dec;
	atomic_init(&s.next, 0);
	cut_pieces(&s, size, mid);
	decoder_init(&second, o->encoding);
	decoder_start_second(&second);
	for (unsigned k = 0; k < 2; k++) {
		collection_init(&s.parts[k]);
		s.parts[k].lean = c->lean;
		s.parts[k].lean_format = c->lean_format;
		s.parts[k].cur_file = SIZE_MAX; /* made c's file when joined */
		s.parts[k].lines_relative = f == FORMAT_JSONL;
		s.dec[k] = dec ? (k ? &second : dec) : NULL;
	}
	if (pthread_create(&t, NULL, run_pieces, &w[1]) != 0) {
		s.in_turn = false; /* all on this one */
		run_pieces(&w[0]);
	} else {
		run_pieces(&w[0]);
		pthread_join(t, NULL);
	}
	/* a decoded second half read again, as the first half's decoder would have gone
	 * on, when its own did not */
	if (dec && s.n == 2 && s.pieces[1].worker == 1 && !decoder_follows(dec, &second)) {
		decoder_init(&again, o->encoding);
		decoder_continue(&again, dec);
		collection_free(&s.parts[1]);
		collection_init(&s.parts[1]);
		s.parts[1].lean = c->lean;
		s.parts[1].lean_format = c->lean_format;
		s.parts[1].cur_file = SIZE_MAX;
		s.dec[1] = &again;
		s.count[1] = false; /* counted the first time */
		read_piece(&s, 1, &s.pieces[1]);
		decoder_free(&again);
	}
	decoder_free(&second);
	/* JSON Lines: the lines before each piece, counted by those before it when each
	 * was read to its end; else (a read error) counted here, or (cancelled, or they
	 * cannot be) the pieces from there dropped */
	size_t kept = s.n;
	for (size_t k = 0; k < s.n && f == FORMAT_JSONL; k++) {
		const struct piece *p = &s.pieces[k], *prev = k ? &s.pieces[k - 1] : NULL;

		if (prev && prev->end != prev->to &&
		    (cancelled(o) || !count_lines(fd, p->from, &before))) {
			if (!cancelled(o))
				collection_diag_unreadable(c, path, 0, "cannot read: %s",
							   strerror(errno ? errno : EIO));
			kept = k;
			break;
		}
		number_piece(&s, p, before);
		before += p->lines;
	}
	struct collection_run *runs = xreallocarray(NULL, kept ? kept : 1, sizeof *runs);
	size_t first = c->articles.n, first_diag = c->diags.n;
	for (size_t k = 0; k < kept; k++) {
		runs[k] = s.pieces[k].run;
		added += s.pieces[k].added;
	}
	collection_absorb_runs(c, s.parts, 2, runs, kept);
	free(runs);
	for (size_t i = first; i < c->articles.n; i++)
		c->articles.v[i]->file = c->cur_file;
	for (size_t i = first_diag; i < c->diags.n; i++)
		c->diags.v[i].file_no = c->cur_file;
	if (f == FORMAT_JSONL && kept == s.n)
		note_whole(c, fd, (uint64_t)size, s.pieces[s.n - 1].end,
			   before); /* before: the lines of them all */
	free(s.pieces);
	return added;
}

/* Load the streamed file path (open as fd, size bytes) into c, whose file it is now:
 * its new lines only when it only grew since (o->reuse_tail), a first screen's share
 * (o->max_bytes), in pieces on two threads when big (load_split), else on this one. A
 * JSON document (jsonskim_document) is read whole on this one, its records not
 * being lines. */
static size_t load_stream_file(struct collection *c, int fd, const char *path,
			       const struct stat *st, enum format f, bool document,
			       const struct load_opts *o)
{
	off_t size = st->st_size;
	uint64_t mid = !format_stream_splits(f) || document ? 0
		       : f == FORMAT_SOGOU		    ? record_split_point(fd, size, o)
		       : f == FORMAT_JSONL && !o->encoding  ? split_point(fd, size, o)
							    : 0;
	uint64_t stop = 0, from = 0; /* read [from, stop) (0: to the end) */
	bool decodes = format_stream_decodes(f, o->encoding);
	struct decoder dec;
	struct linereader r;
	size_t added, before = 0;

	if (o->max_bytes && size > 0 && (uint64_t)size > o->max_bytes) {
		stop = line_end_after(fd, o->max_bytes, size);
		mid = 0;
	} else if (f == FORMAT_JSONL && !o->encoding && !document && o->reuse_tail &&
		   o->reuse_tail(o->reuse_ctx, path, fd, st, c, &from, &before)) {
		mid = 0; /* the old lines copied: the new ones follow */
	}
	decoder_init(&dec, o->encoding);
	if (mid) {
		added = load_split(c, fd, path, size, f, mid, decodes ? &dec : NULL, o);
		decoder_free(&dec);
		return added;
	}
	if (stop || from)
		linereader_range(&r, fd, from, stop ? stop : UINT64_MAX, LOADER_MAX_FILE);
	else
		linereader_fd(&r, fd, LOADER_MAX_FILE);
	r.lineno = before;
	r.progress = o->bytes;
	r.lines = o->records;
	r.cancel = o->cancel;
	added = format_load_stream_with(c, f, path, &r, decodes ? &dec : NULL);
	linereader_free(&r);
	decoder_free(&dec);
	if (!stop && f == FORMAT_JSONL && !o->encoding && !document)
		note_whole(c, fd, (uint64_t)size, r.pos, r.lineno);
	return added;
}

/* Load the articles of one file; returns how many were added. in_dir: found by
 * walking a directory, where only *.txt files or streamed formats are loaded. scratch:
 * a buffer kept from file to file (a small file is read into it in one read). */
static size_t load_file(struct collection *c, const char *path, const char *alt_id,
			const struct load_opts *o, bool in_dir, struct strbuf *scratch)
{
	struct stat st;
	struct strbuf why = {0};
	char *buf = NULL, *id;
	size_t n = 0, added = 0;
	enum format f = FORMAT_NATIVE;
	int fd, stat_err, err;
	bool whole = false;
	const char *packer, *unpack;
	bool pipes;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
		/* its stat, as a listing would see it: unchanged, it is not read again */
		bool seen = stat(path, &st) == 0;
		collection_begin_file(c, path, seen ? &st : NULL);
		errno = err;
		collection_diag_unreadable(c, path, 0, "cannot open: %s", strerror(errno));
		collection_end_file(c);
		return 0;
	}
	stat_err = fstat(fd, &st) != 0 ? errno : 0;
	collection_begin_file(c, path, stat_err ? NULL : &st);
	size_t diags = c->diags.n;
	if (!stat_err && S_ISREG(st.st_mode)) {
		n = read_head(fd, &st, scratch, &whole);
		f = file_format(scratch->s, n, path, o, in_dir);
	}
	c->files.v[c->cur_file].format = f;
	c->lean = format_lean_readable(f, o) ? o->lean : LEAN_NO;
	c->lean_format = f;
	c->lean_encoding = DECODE_FOUND_UTF8;
	if (stat_err) {
		errno = stat_err;
		collection_diag_unreadable(c, path, 0, "cannot stat: %s", strerror(errno));
	} else if (!S_ISREG(st.st_mode)) {
		collection_diag(c, path, 0, "not a regular file (%s): skipped",
				fileio_file_kind(st.st_mode));
	} else if (f == FORMAT_ZIP) {
		added = zipcoll_load(c, path, fd, o);
	} else if ((packer = format_compressed(scratch->s, n, &unpack, &pipes)) != NULL) {
		struct strbuf shown = {0};
		if (pipes)
			collection_diag(
				c, path, 0,
				"compressed with %s: skipped; %s %s | xinwen - reads it, or "
				"unpack it once",
				packer, unpack, text_name_shown(&shown, path));
		else
			collection_diag(
				c, path, 0,
				"an archive of %s: skipped; unpack it once (%s %s) and open "
				"what it holds",
				packer, unpack, text_name_shown(&shown, path));
		sb_free(&shown);
	} else if (format_streams(f)) {
		bool document = f == FORMAT_JSONL &&
				jsonskim_document(scratch->s, n < FORMAT_HEAD ? n : FORMAT_HEAD);
		const char *legacy = f == FORMAT_JSONL && !o->encoding
					     ? format_legacy_head(scratch->s,
								  n < FORMAT_HEAD ? n : FORMAT_HEAD)
					     : NULL;
		if (legacy && document)
			collection_diag(c, path, 0,
					"not UTF-8 but %s, it seems: a JSON document is read in "
					"UTF-8 only; iconv -f %s -t UTF-8 converts it",
					legacy, decode_option_name(legacy));
		else if (legacy)
			collection_diag(c, path, 0,
					"not UTF-8 but %s, it seems: JSON Lines are read as UTF-8 "
					"unless --encoding %s is given",
					legacy, decode_option_name(legacy));
		added = load_stream_file(c, fd, path, &st, f, document, o);
	} else if (in_dir && !has_txt_suffix(path)) {
		/* a .jsonl, .json, .dat or .xml file of no format of ours: said, but for a
		 * program's settings (format_unlike_name) */
		const char *unlike = o->format == FORMAT_AUTO
					     ? format_unlike_name(path, scratch->s, n, f, true)
					     : NULL;
		if (unlike)
			collection_diag(c, path, 0, "%s: skipped", _(unlike));
	} else if (!whole &&
		   (err = fileio_read_regular(fd, &st, LOADER_MAX_FILE, &buf, &n, &why)) != 0) {
		if (err == EFBIG)
			collection_diag(c, path, 0, "%s", why.s);
		else
			collection_diag_unreadable(c, path, 0, "%s", why.s);
	} else {
		/* named, it is read as a native article whatever its name: said when its name
		 * stands for another format (an empty file says so itself) */
		const char *unlike = o->format == FORMAT_AUTO
					     ? format_unlike_name(path, scratch->s, n, f, in_dir)
					     : NULL;
		if (unlike)
			collection_diag(c, path, 0, "%s: read as a native article", _(unlike));
		id = strip_txt(base_name(path));
		added = format_load_buffer(c, f, path, id, alt_id, whole ? scratch->s : buf, n,
					   o->encoding);
		c->files.v[c->cur_file].encoding = c->lean_encoding;
		if (o->bytes)
			atomic_fetch_add(o->bytes, (uint64_t)n);
		free(id);
		free(buf);
	}
	/* a file named that holds no article and said nothing (a JSON document "[]") */
	if (!in_dir && !added && c->diags.n == diags && f != FORMAT_ZIP)
		collection_diag(c, path, 0, "no articles in it");
	close(fd);
	sb_free(&why);
	collection_end_file(c);
	c->lean = false;
	c->lean_encoding = DECODE_FOUND_UTF8;
	log_trace("read %s: %s, %zu articles", path, format_name(f), added);
	return added;
}

/* Report why path could not be stat'ed, naming symlink trouble as such: an error when
 * the user named path, a skip for a dangling or looping link met in a directory. */
static void report_stat_error(struct collection *c, const char *path, int err, bool named)
{
	struct stat lst;
	void (*skip)(struct collection *, const char *, size_t, const char *,
		     ...) = named ? collection_diag_unreadable : collection_diag;

	if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
		if (err == ELOOP)
			skip(c, path, 0, "symlink loop: %s", strerror(err));
		else if (err == ENOENT)
			skip(c, path, 0, "dangling symlink: skipped");
		else
			collection_diag_unreadable(c, path, 0, "broken symlink: %s", strerror(err));
		return;
	}
	collection_diag_unreadable(c, path, 0, "cannot stat: %s", strerror(err));
}

/* ---------------------------------------------------------------------------
 * Walking directories, iteratively
 */

struct dir_id {
	dev_t dev;
	ino_t ino;
};

/* The set of directories already entered: open addressing on (dev, ino). */
struct dir_set {
	struct dir_id *v;
	bool *used;
	size_t cap, n;
};

static size_t dir_hash(struct dir_id d, size_t cap)
{
	uint64_t h = (uint64_t)d.ino * UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t)d.dev;
	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static bool dir_set_has(const struct dir_set *s, struct dir_id d)
{
	size_t i;

	if (!s->cap)
		return false;
	for (i = dir_hash(d, s->cap); s->used[i]; i = (i + 1) & (s->cap - 1))
		if (s->v[i].dev == d.dev && s->v[i].ino == d.ino)
			return true;
	return false;
}

static void dir_set_insert_slot(struct dir_set *s, struct dir_id d)
{
	size_t i = dir_hash(d, s->cap);

	while (s->used[i])
		i = (i + 1) & (s->cap - 1);
	s->used[i] = true;
	s->v[i] = d;
	s->n++;
}

static void dir_set_add(struct dir_set *s, struct dir_id d)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct dir_set old = *s;
		size_t i;

		s->cap = old.cap ? old.cap * 2 : 32;
		s->v = xcalloc(s->cap, sizeof *s->v);
		s->used = xcalloc(s->cap, sizeof *s->used);
		s->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.used[i])
				dir_set_insert_slot(s, old.v[i]);
		free(old.v);
		free(old.used);
	}
	dir_set_insert_slot(s, d);
}

/* A directory entry: its name and its type as readdir says (a d_type DT_ value). */
struct dir_entry {
	char *name;
	unsigned char type;
};

/* One directory being listed: first its files, then its subdirectories, so that a
 * file is loaded before any in a subdirectory and keeps its plain id (b.txt is "b"
 * even when a subdirectory a/ holds another b.txt; that one is "a/b"). */
struct frame {
	char *path;		 /* as joined from the path given */
	char *rel;		 /* relative to the directory given ("" for itself) */
	struct dir_entry *names; /* sorted by name, bytewise */
	size_t n, next;
	size_t *subdirs; /* indexes into names of the directories, once files are done */
	size_t nsubdirs;
	bool in_subdirs; /* now entering subdirs[0..nsubdirs) */
	struct dir_id id;
	DIR *dir; /* open while on the stack: its entries are stat'ed relative to it */
};

/* What the walk found, in order: a file to load (path set), or problems met while
 * walking (path NULL); each loads into its own part, merged in order at the end. */
struct job {
	char *path;
	char *alt;	/* the id to take when the file's own is a duplicate */
	struct stat st; /* the file's, when the walk found it */
	struct collection part;
	size_t added;
};

struct walker {
	const struct load_opts *o;
	bool stat_files; /* every file's stat is wanted (jobs' st), not only the others' */
	VEC(struct frame) stack;
	struct dir_set visited;
	VEC(struct job) jobs; /* the batch being listed and loaded */
	size_t listed;	      /* jobs of the batches before it */
};

/* Where the walk records a problem: the last job when it holds problems only. */
static struct collection *sink(struct walker *w)
{
	if (!w->jobs.n || w->jobs.v[w->jobs.n - 1].path) {
		struct job j;
		memset(&j, 0, sizeof j);
		collection_init(&j.part);
		VEC_PUSH(&w->jobs, j);
	}
	return &w->jobs.v[w->jobs.n - 1].part;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dir_entry *)a)->name, ((const struct dir_entry *)b)->name);
}

/* The entries of directory path, sorted by name; false (with a diag) on error. */
static bool list_dir(struct walker *w, const char *path, struct frame *f)
{
	VEC(struct dir_entry) names = {NULL, 0, 0};
	struct dirent *de;
	DIR *d = opendir(path);

	if (!d) {
		collection_diag_unreadable(sink(w), path, 0, "cannot read directory: %s",
					   strerror(errno));
		return false;
	}
	for (;;) {
		errno = 0;
		de = readdir(d);
		if (!de)
			break;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		struct dir_entry e = {xstrdup(de->d_name), de->d_type};
		VEC_PUSH(&names, e);
	}
	if (errno) {
		/* keep what was listed: every good article still loads */
		collection_diag_unreadable(sink(w), path, 0, "error reading directory: %s",
					   strerror(errno));
	}
	if (names.n > 1)
		qsort(names.v, names.n, sizeof *names.v, name_cmp);
	f->dir = d;
	f->names = names.v;
	f->n = names.n;
	f->next = 0;
	return true;
}

static void frame_free(struct frame *f)
{
	size_t i;

	if (f->dir)
		closedir(f->dir);
	for (i = 0; i < f->n; i++)
		free(f->names[i].name);
	free(f->names);
	free(f->subdirs);
	free(f->path);
	free(f->rel);
}

/* The directory on the stack that is d, or NULL. */
static const struct frame *ancestor(const struct walker *w, struct dir_id d)
{
	size_t i;

	for (i = 0; i < w->stack.n; i++)
		if (w->stack.v[i].id.dev == d.dev && w->stack.v[i].id.ino == d.ino)
			return &w->stack.v[i];
	return NULL;
}

/* Start listing directory path (taking path and rel) unless that would loop. */
static void enter_dir(struct walker *w, char *path, char *rel, const struct stat *st)
{
	struct frame f = {path, rel, NULL, 0, 0, NULL, 0, false, {st->st_dev, st->st_ino}, NULL};
	const struct frame *up;

	if ((up = ancestor(w, f.id)) != NULL) {
		collection_diag(sink(w), path, 0, "symlink loop: leads back to %s: skipped",
				up->path);
	} else if (dir_set_has(&w->visited, f.id)) {
		collection_diag(sink(w), path, 0,
				"directory already loaded through another link: skipped");
	} else if (w->stack.n > MAX_DEPTH) {
		collection_diag(sink(w), path, 0,
				"directories nested too deeply (over %d levels): skipped",
				MAX_DEPTH);
	} else if (list_dir(w, path, &f)) {
		dir_set_add(&w->visited, f.id);
		VEC_PUSH(&w->stack, f);
		return;
	}
	free(path);
	free(rel);
}

/* Handle entry i of directory f: descend, load a .txt file, or ignore it. Before
 * f->in_subdirs, a directory is only noted in f->subdirs, to be entered later. */
static void visit_entry(struct walker *w, struct frame *f, size_t i)
{
	const char *name = f->names[i].name;

	if (format_hidden_path(name))
		return; /* "._1.txt", "__MACOSX": macOS's, not the collection's */
	char *path = join_path(f->path, name);
	char *rel = *f->rel ? join_path(f->rel, name) : xstrdup(name);
	struct stat st;
	/* a regular file as the directory says (no link): loading it takes its own stat */
	bool regular = !w->stat_files && f->names[i].type == DT_REG;

	if (regular) {
		memset(&st, 0, sizeof st);
		st.st_mode = S_IFREG;
	}
	/* as stat(path) does, without looking up the directories leading to it again */
	if (!regular && fstatat(dirfd(f->dir), name, &st, 0) != 0) {
		report_stat_error(sink(w), path, errno, false);
	} else if (S_ISDIR(st.st_mode) && name[0] == '.') {
		/* a hidden folder (".git"): not the collection's */
	} else if (S_ISDIR(st.st_mode) && !has_txt_suffix(name) && !f->in_subdirs) {
		if (!f->subdirs)
			f->subdirs = xreallocarray(NULL, f->n, sizeof *f->subdirs);
		f->subdirs[f->nsubdirs++] = i;
	} else if (S_ISDIR(st.st_mode) && !has_txt_suffix(name)) {
		/* f may move when the stack grows: nothing of it is used after this */
		enter_dir(w, path, rel, &st);
		return; /* enter_dir took path and rel */
	} else if (format_archive_name(name) && S_ISREG(st.st_mode)) {
		struct strbuf shown = {0};
		collection_diag(sink(w), path, 0,
				"a zip archive in a directory is not opened: name it to read it "
				"(xinwen %s): skipped",
				text_name_shown(&shown, path));
		sb_free(&shown);
	} else if (!has_txt_suffix(name) && !format_candidate_name(name)) {
		/* not an article file: ignored */
	} else if (!S_ISREG(st.st_mode) && !has_txt_suffix(name)) {
		/* not a file of articles: ignored */
	} else if (!S_ISREG(st.st_mode)) {
		collection_diag(sink(w), path, 0, "not a regular file (%s): skipped",
				fileio_file_kind(st.st_mode));
	} else {
		struct job j;
		memset(&j, 0, sizeof j);
		j.path = path;
		j.alt = strip_txt(rel);
		j.st = st;
		collection_init(&j.part);
		VEC_PUSH(&w->jobs, j);
		path = NULL; /* the job took it */
	}
	free(path);
	free(rel);
}

/* Threads loading files, at most (this one included). */
#define LOAD_THREADS 4

struct job_runner {
	struct walker *w;
	atomic_size_t next;
};

/* Load the files of the jobs not taken yet, each into its own part. */
static void *run_jobs(void *arg)
{
	struct job_runner *r = arg;
	struct strbuf scratch = {0}; /* the files read, one after another */

	for (;;) {
		size_t i = atomic_fetch_add(&r->next, 1);
		if (i >= r->w->jobs.n) {
			sb_free(&scratch);
			return NULL;
		}
		struct job *j = &r->w->jobs.v[i];
		const struct load_opts *o = r->w->o;
		if (!j->path || cancelled(o))
			continue;
		char *id = o->reuse ? strip_txt(base_name(j->path)) : NULL;
		if (o->reuse && o->reuse(o->reuse_ctx, j->path, id, j->alt, &j->st, &j->part))
			j->added = j->part.articles.n;
		else
			j->added = load_file(&j->part, j->path, j->alt, o, true, &scratch);
		free(id);
		if (o->loaded)
			atomic_fetch_add(o->loaded, 1);
	}
}

/* Load every file the walk found on up to LOAD_THREADS threads (reading and parsing a
 * file needs nothing of the others), then move the parts into c in the walk's order,
 * so that ids, the list and the messages are as if loaded one by one. */
static size_t run_all(struct walker *w, struct collection *c)
{
	struct job_runner r = {w, 0};
	pthread_t t[LOAD_THREADS - 1];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nt = 0, added = 0;

	while (nt < LOAD_THREADS - 1 && (long)nt + 1 < cpus && nt + 1 < w->jobs.n &&
	       pthread_create(&t[nt], NULL, run_jobs, &r) == 0)
		nt++;
	run_jobs(&r);
	while (nt > 0)
		pthread_join(t[--nt], NULL);
	for (size_t i = 0; i < w->jobs.n; i++) {
		struct job *j = &w->jobs.v[i];
		collection_absorb(c, &j->part);
		added += j->added;
		free(j->path);
		free(j->alt);
	}
	return added;
}

/* Files the walk lists before they are loaded and merged: the jobs of a batch, not of
 * the whole tree, are in memory at once (a job holds its stat and a collection part). */
#define WALK_BATCH 1024

/* Start walking the directory root (st: its stat) as o says, listing the files to load
 * (with their stat when stat_files, else that of links and of entries of unknown type
 * only). */
static void walk_begin(struct walker *w, const char *root, const struct stat *st,
		       const struct load_opts *o, bool stat_files)
{
	memset(w, 0, sizeof *w);
	w->o = o;
	w->stat_files = stat_files;
	enter_dir(w, xstrdup(root), xstrdup(""), st);
}

/* List up to batch more jobs, after the w->jobs.n already listed; false once the walk
 * is over (every directory read, or o->max_files listed). */
static bool walk_more(struct walker *w, size_t batch)
{
	const struct load_opts *o = w->o;

	while (w->stack.n && w->jobs.n < batch &&
	       (!o->max_files || w->listed + w->jobs.n < o->max_files)) {
		struct frame *top = &w->stack.v[w->stack.n - 1];

		if (!top->in_subdirs && top->next == top->n) {
			top->in_subdirs = true;
			top->next = 0;
		}
		if (top->in_subdirs && top->next == top->nsubdirs) {
			frame_free(top);
			w->stack.n--;
			continue;
		}
		if (top->in_subdirs)
			visit_entry(w, top, top->subdirs[top->next++]);
		else
			visit_entry(w, top, top->next++);
	}
	return w->stack.n && (!o->max_files || w->listed + w->jobs.n < o->max_files);
}

/* The jobs of the batch listed are taken: the next batch is listed after them. */
static void walk_taken(struct walker *w)
{
	w->listed += w->jobs.n;
	w->jobs.n = 0;
}

/* End the walk (cut short or over). */
static void walk_end(struct walker *w)
{
	while (w->stack.n) /* cut short at max_files */
		frame_free(&w->stack.v[--w->stack.n]);
	free(w->stack.v);
	free(w->visited.v);
	free(w->visited.used);
	free(w->jobs.v);
}

static size_t walk(struct collection *c, const char *root, const struct stat *st,
		   const struct load_opts *o)
{
	struct walker w;
	size_t added = 0;
	bool more;

	walk_begin(&w, root, st, o, o->reuse != NULL); /* reuse compares the stat */
	do {
		more = walk_more(&w, WALK_BATCH);
		added += run_all(&w, c);
		walk_taken(&w);
	} while (more && !cancelled(o)); /* cancelled: the rest is not even listed */
	walk_end(&w);
	return added;
}

void loader_list_files(struct collection *c, const char *path, const struct load_opts *o)
{
	struct walker w;
	struct stat st;
	bool more;

	if (stat(path, &st) != 0) {
		report_stat_error(c, path, errno, true);
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		collection_begin_file(c, path, &st);
		collection_end_file(c);
		return;
	}
	walk_begin(&w, path, &st, o, true);
	do {
		more = walk_more(&w, WALK_BATCH);
		for (size_t i = 0; i < w.jobs.n; i++) {
			struct job *j = &w.jobs.v[i];
			if (j->path) {
				collection_begin_file(&j->part, j->path, &j->st);
				collection_end_file(&j->part);
			}
			collection_absorb(c, &j->part);
			free(j->path);
			free(j->alt);
		}
		walk_taken(&w);
	} while (more && !cancelled(o));
	walk_end(&w);
}

size_t loader_load_path(struct collection *c, const char *path)
{
	static const struct load_opts defaults = {.format = FORMAT_AUTO};

	return loader_load_path_opts(c, path, &defaults);
}

/* Add the native article held in a (the k-th of the stream name), or say why not. */
static size_t add_native_chunk(struct collection *c, const char *name, size_t k, struct strbuf *a,
			       bool too_large, const struct load_opts *o)
{
	char id[32];
	size_t added = 0;

	snprintf(id, sizeof id, "stdin-%zu", k);
	if (too_large)
		collection_diag(c, name, 0, "article %zu too large: over %zu bytes: skipped", k,
				(size_t)LOADER_MAX_FILE);
	else if (a->n)
		added = format_load_buffer(c, FORMAT_NATIVE, name, id, NULL, a->s, a->n,
					   o->encoding);
	sb_clear(a);
	return added;
}

/* Load native articles from r, one after another, each ended by a line holding only a
 * form feed (or by the end). */
static size_t load_native_stream(struct collection *c, const char *name, struct linereader *r,
				 const struct load_opts *o)
{
	struct strbuf a = {0};
	const char *line;
	size_t n, added = 0, k = 1;
	bool too_long, too_large = false;
	int got;

	while ((got = linereader_next(r, &line, &n, &too_long)) > 0) {
		if (n == 1 && line[0] == '\f') {
			added += add_native_chunk(c, name, k++, &a, too_large, o);
			too_large = false;
			continue;
		}
		too_large |= too_long || a.n + n + 1 > LOADER_MAX_FILE;
		if (!too_large) {
			sb_append(&a, line, n);
			sb_append(&a, "\n", 1);
		}
	}
	if (got < 0)
		collection_diag_unreadable(c, name, r->lineno + 1, "cannot read: %s",
					   strerror(errno));
	if (a.n || too_large)
		added += add_native_chunk(c, name, k, &a, too_large, o);
	sb_free(&a);
	return added;
}

/* Load the collection on standard input: JSON Lines, SogouCS records or native articles
 * (format_detect_stream, unless o says which), kept in memory. */
static size_t load_stdin(struct collection *c, const struct load_opts *o)
{
	static const char name[] = LOADER_STDIN_NAME;
	struct linereader r;
	const char *head;
	size_t n, added;
	enum format f;

	collection_begin_file(c, name, NULL);
	linereader_fd(&r, STDIN_FILENO, LOADER_MAX_FILE);
	n = linereader_peek(&r, FORMAT_HEAD, &head);
	f = o->format != FORMAT_AUTO ? o->format : format_detect_stream(head, n);
	c->files.v[c->cur_file].format = f;
	if (format_streams(f))
		added = format_load_stream(c, f, name, &r, o->encoding);
	else
		added = load_native_stream(c, name, &r, o);
	linereader_free(&r);
	collection_end_file(c);
	return added;
}

/* loader_load_path_opts, but for the log. */
static size_t load_path(struct collection *c, const char *path, const struct load_opts *o)
{
	struct stat st;

	if (strcmp(path, "-") == 0)
		return load_stdin(c, o);
	if (stat(path, &st) != 0) {
		report_stat_error(c, path, errno, true);
		return 0;
	}
	if (S_ISDIR(st.st_mode))
		return walk(c, path, &st, o);
	if (!S_ISREG(st.st_mode)) {
		/* named by the user and not read: an error, unlike one met in a directory */
		collection_diag_unreadable(c, path, 0, "not a regular file (%s): skipped",
					   fileio_file_kind(st.st_mode));
		return 0;
	}
	struct strbuf scratch = {0};
	size_t added = load_file(c, path, NULL, o, false, &scratch);
	sb_free(&scratch);
	return added;
}

size_t loader_load_path_opts(struct collection *c, const char *path, const struct load_opts *o)
{
	size_t files = c->files.n, articles = c->articles.n, diags = c->diags.n;
	size_t added = load_path(c, path, o);

	log_debug("load %s: %zu articles from %zu files, %zu messages%s", path,
		  c->articles.n - articles, c->files.n - files, c->diags.n - diags,
		  o->max_files ? " (the first files)" : "");
	return added;
}
