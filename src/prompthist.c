/* SPDX-License-Identifier: GPL-3.0-or-later */
/* prompthist.c: the prompts' history file (prompthist.h). The file:
 *
 *	xinwen-history 1
 *	search 社區
 *	pipe grep 社區 | wc -l
 *
 * one line per entry, its kind, a space and the text, oldest first. */
#include <config.h>

#include "prompthist.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "strbuf.h"
#include "utf8.h"

#define HEADER "xinwen-history 1"

static const char *const kind_names[HIST_COUNT] = {"search", "pipe", "date", "save"};

void prompthist_init(struct prompthist *h, const char *dir)
{
	memset(h, 0, sizeof *h);
	if (dir) {
		struct strbuf b = {0};
		sb_printf(&b, "%s/history", dir);
		h->path = b.s;
		b = (struct strbuf){0};
		sb_printf(&b, "%s/history.tmp.%ld", dir, (long)getpid());
		h->tmp_path = b.s;
	}
}

static void free_lines(void *vec)
{
	VEC(char *) *v = vec;
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

void prompthist_free(struct prompthist *h)
{
	for (int k = 0; k < HIST_COUNT; k++) {
		free_lines(&h->lines[k]);
		free_lines(&h->added[k]);
	}
	free(h->path);
	free(h->tmp_path);
	memset(h, 0, sizeof *h);
}

/* Whether n bytes at s may be kept: not blank, valid UTF-8, no control character. */
static bool keepable(const char *s, size_t n)
{
	bool blank = true;

	if (n == 0 || n > PROMPTHIST_LINE || utf8_valid_prefix((const unsigned char *)s, n) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return false;
		/* C1 controls, U+0080-U+009F, are C2 80 to C2 9F in UTF-8. */
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] < 0xa0)
			return false;
		blank = blank && c == ' ';
	}
	return !blank;
}

/* Push a copy of the line onto list, dropping an equal older one and the oldest past
 * the bound. */
static void push_line(void *vec, const char *s, size_t n)
{
	VEC(char *) *v = vec;

	for (size_t i = 0; i < v->n; i++) {
		if (strlen(v->v[i]) == n && memcmp(v->v[i], s, n) == 0) {
			free(v->v[i]);
			memmove(v->v + i, v->v + i + 1, (v->n - i - 1) * sizeof *v->v);
			v->n--;
			break;
		}
	}
	if (v->n >= PROMPTHIST_MAX) {
		free(v->v[0]);
		memmove(v->v, v->v + 1, (v->n - 1) * sizeof *v->v);
		v->n--;
	}
	char *copy = xmalloc(n + 1);
	memcpy(copy, s, n);
	copy[n] = '\0';
	VEC_PUSH(v, copy);
}

void prompthist_add(struct prompthist *h, enum prompthist_kind k, const char *line, size_t n)
{
	if ((unsigned)k >= HIST_COUNT || !keepable(line, n))
		return;
	push_line(&h->lines[k], line, n);
	push_line(&h->added[k], line, n);
}

struct lineedit_lines prompthist_lines(const struct prompthist *h, enum prompthist_kind k)
{
	return (struct lineedit_lines){h->lines[k].v, h->lines[k].n};
}

const char *prompthist_last(const struct prompthist *h, enum prompthist_kind k)
{
	return h->lines[k].n ? h->lines[k].v[h->lines[k].n - 1] : NULL;
}

/* Parse the file's text into lines (replacing them); returns how many lines were bad.
 * Text that does not start with the header is no history: the lines stay as they are
 * (and the file is replaced by them on the next save). */
static size_t parse(struct prompthist *h, const char *text, size_t n)
{
	size_t bad = 0, hl = strlen(HEADER);
	const char *p = text, *end = text + n;

	if (n < hl || memcmp(text, HEADER, hl) != 0 || (n > hl && text[hl] != '\n'))
		return 1;
	for (int k = 0; k < HIST_COUNT; k++)
		free_lines(&h->lines[k]);
	p += n > hl ? hl + 1 : hl;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		size_t len = (size_t)(e - p);
		{
			int kind = -1;
			for (int k = 0; k < HIST_COUNT && kind < 0; k++) {
				size_t kl = strlen(kind_names[k]);
				if (len > kl && memcmp(p, kind_names[k], kl) == 0 && p[kl] == ' ')
					kind = k;
			}
			size_t skip = kind >= 0 ? strlen(kind_names[kind]) + 1 : 0;
			if (kind >= 0 && keepable(p + skip, len - skip))
				push_line(&h->lines[kind], p + skip, len - skip);
			else
				bad++;
		}
		p = nl ? nl + 1 : end;
	}
	return bad;
}

/* Read the file into text; false (h->problem set) when it cannot be read. A missing
 * file reads as empty. */
static bool read_file(struct prompthist *h, struct strbuf *text)
{
	struct stat st;
	/* never blocks on a FIFO put there, nor follows a symlink (doc/SECURITY.md) */
	int fd = fileio_open_own(h->path, O_RDONLY, 0, &st);

	if (fd < 0) {
		if (errno == ENOENT)
			return true;
		snprintf(h->problem, sizeof h->problem, "%s: %s", h->path, fileio_strerror(errno));
		return false;
	}
	bool ok = true;
	{
		size_t n = (size_t)st.st_size > PROMPTHIST_FILE ? PROMPTHIST_FILE
								: (size_t)st.st_size;
		char *buf = xmalloc(n + 1);
		ssize_t got = 0, r;
		while ((size_t)got < n && ((r = read(fd, buf + got, n - (size_t)got)) > 0 ||
					   (r < 0 && errno == EINTR)))
			got += r > 0 ? r : 0;
		sb_append(text, buf, (size_t)got);
		free(buf);
	}
	close(fd);
	return ok;
}

bool prompthist_load(struct prompthist *h)
{
	struct strbuf text = {0};

	h->problem[0] = '\0';
	if (!h->path)
		return true;
	bool ok = read_file(h, &text);
	if (ok && text.n) {
		size_t bad = parse(h, text.s, text.n);
		if (bad) {
			snprintf(h->problem, sizeof h->problem,
				 ngettext("%s: %zu bad line skipped", "%s: %zu bad lines skipped",
					  bad),
				 h->path, bad);
			ok = false;
		}
	}
	sb_free(&text);
	return ok;
}

/* The history as the file holds it. */
static void format(const struct prompthist *h, struct strbuf *out)
{
	sb_puts(out, HEADER "\n");
	for (int k = 0; k < HIST_COUNT; k++)
		for (size_t i = 0; i < h->lines[k].n; i++)
			sb_printf(out, "%s %s\n", kind_names[k], h->lines[k].v[i]);
}

bool prompthist_save(struct prompthist *h)
{
	bool any = false;
	struct strbuf text = {0};

	for (int k = 0; k < HIST_COUNT; k++)
		any = any || h->added[k].n;
	if (!h->path || !any)
		return true;
	h->problem[0] = '\0';
	/* Another reader may have saved since: start from the file as it is now. */
	if (read_file(h, &text) && text.n)
		parse(h, text.s, text.n);
	for (int k = 0; k < HIST_COUNT; k++)
		for (size_t i = 0; i < h->added[k].n; i++)
			push_line(&h->lines[k], h->added[k].v[i], strlen(h->added[k].v[i]));
	sb_clear(&text);
	format(h, &text);
	char *failed_dir = NULL;
	const char *failed = NULL;
	if (!fileio_make_parent(h->path, &failed_dir)) {
		snprintf(h->problem, sizeof h->problem, "%s: cannot make it: %s", failed_dir,
			 strerror(errno));
		free(failed_dir);
		failed = "";
	} else {
		struct fileio_part part = {text.s, text.n};
		failed = fileio_replace(h->path, h->tmp_path, &part, 1);
		if (failed)
			snprintf(h->problem, sizeof h->problem, "%s: %s: %s", h->path, failed,
				 strerror(errno));
	}
	sb_free(&text);
	for (int k = 0; !failed && k < HIST_COUNT; k++)
		free_lines(&h->added[k]);
	return !failed;
}
