/* SPDX-License-Identifier: GPL-3.0-or-later */
/* log.c: the debug log (log.h). Each line is formatted into a buffer on the caller's
 * stack and written with one write(2) to a descriptor opened O_APPEND, so that lines of
 * several threads never mix and no thread ever waits for another. */
#include <config.h>

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "utf8.h"
#include "xalloc.h"

/* Longest text of a line, before escaping; longer text is cut, ending "...". */
#define LOG_TEXT_MAX 1024

static atomic_int log_fd = -1;
static atomic_int log_level;
static char *log_file;
static struct timespec log_t0;

bool log_open(const char *dir, int level, struct strbuf *why)
{
	struct strbuf path = {0};
	struct stat st;

	if (!fileio_private_dir(dir, why))
		return false;
	sb_printf(&path, "%s/xinwen-%ld.log", dir, (long)getpid());
	int fd = fileio_open_own(path.s, O_WRONLY | O_CREAT | O_APPEND, 0600, &st);
	if (fd < 0) {
		sb_printf(why, "%s: %s", path.s, fileio_strerror(errno));
		sb_free(&path);
		return false;
	}
	free(log_file);
	log_file = path.s;
	clock_gettime(CLOCK_MONOTONIC, &log_t0);
	atomic_store(&log_level, level);
	atomic_store(&log_fd, fd);
	return true;
}

const char *log_path(void)
{
	return atomic_load(&log_fd) >= 0 ? log_file : NULL;
}

/* Whether code point cp is to be escaped: C0, DEL and C1 controls, and the invisible
 * and bidirectional controls that would hide or reorder the text around them. */
static bool is_hidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0x61c || cp == 0xfeff ||
	       (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x2069);
}

/* Append the n bytes of s to out[*len..cap), escaped; stops before the space runs out. */
static void put_escaped(char *out, size_t *len, size_t cap, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t k = utf8_decode(p + i, n - i, &cp), need = k;
		char esc[16];

		if (cp == UTF8_BAD)
			need = 4 * k; /* \xNN a byte */
		else if (is_hidden(cp))
			need = (size_t)snprintf(esc, sizeof esc,
						cp < 0x80 ? "\\x%02X" : "\\u{%04X}", (unsigned)cp);
		if (*len + need >= cap)
			return;
		if (cp == UTF8_BAD) {
			for (size_t j = 0; j < k; j++)
				*len += (size_t)snprintf(out + *len, cap - *len, "\\x%02X",
							 p[i + j]);
		} else if (is_hidden(cp)) {
			memcpy(out + *len, esc, need);
			*len += need;
		} else {
			memcpy(out + *len, p + i, k);
			*len += k;
		}
		i += k;
	}
}

/* Format and write one line (see log_debug). */
static void log_write(const char *fmt, va_list ap)
{
	char text[LOG_TEXT_MAX], line[64 + 4 * LOG_TEXT_MAX];
	struct timespec now;
	int fd = atomic_load(&log_fd);

	if (fd < 0)
		return;
	int n = vsnprintf(text, sizeof text, fmt, ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof text)
		memcpy(text + sizeof text - 4, "...", 4);
	clock_gettime(CLOCK_MONOTONIC, &now);
	long long ns = (long long)(now.tv_sec - log_t0.tv_sec) * 1000000000LL +
		       (now.tv_nsec - log_t0.tv_nsec);
	size_t len = (size_t)snprintf(line, sizeof line, "%lld.%06lld [%ld] ", ns / 1000000000LL,
				      ns % 1000000000LL / 1000, (long)gettid());
	put_escaped(line, &len, sizeof line - 1, text, strlen(text));
	line[len++] = '\n';
	fileio_write_all(fd, line, len); /* a failure is no reason to stop */
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (atomic_load_explicit(&log_level, memory_order_relaxed) < 1)
		return;
	va_start(ap, fmt);
	log_write(fmt, ap);
	va_end(ap);
}

void log_trace(const char *fmt, ...)
{
	va_list ap;

	if (atomic_load_explicit(&log_level, memory_order_relaxed) < 2)
		return;
	va_start(ap, fmt);
	log_write(fmt, ap);
	va_end(ap);
}

void log_close(void)
{
	int fd = atomic_exchange(&log_fd, -1);

	atomic_store(&log_level, 0);
	if (fd >= 0)
		close(fd);
	free(log_file);
	log_file = NULL;
}
