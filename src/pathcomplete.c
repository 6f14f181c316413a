/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pathcomplete.c: ~ expansion and file name completion (pathcomplete.h). */
#include <config.h>

#include "pathcomplete.h"

#include <dirent.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xalloc.h"

char *path_expand(const char *typed, size_t n)
{
	struct strbuf out = {0};

	if (n > 0 && typed[0] == '~') {
		const char *slash = memchr(typed, '/', n);
		size_t user_n = (slash ? (size_t)(slash - typed) : n) - 1;
		const char *home = NULL;
		if (user_n == 0) {
			home = getenv("HOME");
		} else {
			char *user = xmalloc(user_n + 1);
			memcpy(user, typed + 1, user_n);
			user[user_n] = '\0';
			struct passwd *pw = getpwnam(user);
			home = pw ? pw->pw_dir : NULL;
			free(user);
		}
		if (home && *home) {
			sb_puts(&out, home);
			typed += user_n + 1;
			n -= user_n + 1;
		}
	}
	sb_append(&out, typed, n);
	return out.s ? out.s : xstrdup("");
}

/* How many bytes a and b share at their start. */
static size_t common(const char *a, const char *b)
{
	size_t i = 0;
	while (a[i] && a[i] == b[i])
		i++;
	return i;
}

size_t path_complete(const char *typed, size_t n, struct strbuf *add, struct strbuf *choices,
		     size_t max_choices)
{
	size_t dir_n = n;
	while (dir_n > 0 && typed[dir_n - 1] != '/')
		dir_n--;
	const char *base = typed + dir_n;
	size_t base_n = n - dir_n;
	char *dir = dir_n ? path_expand(typed, dir_n) : xstrdup(".");
	char *first = NULL;
	size_t shared = 0, matched = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		const char *name = e->d_name;
		if (!strcmp(name, ".") || !strcmp(name, "..") ||
		    (name[0] == '.' && (base_n == 0 || base[0] != '.')) || strlen(name) < base_n ||
		    memcmp(name, base, base_n) != 0)
			continue;
		if (matched < max_choices) {
			if (choices->n)
				sb_putc(choices, ' ');
			sb_puts(choices, name);
		}
		if (!first) {
			first = xstrdup(name);
			shared = strlen(name);
		} else {
			size_t c = common(first, name);
			shared = c < shared ? c : shared;
		}
		matched++;
	}
	if (d)
		closedir(d);
	if (first && shared > base_n)
		sb_append(add, first + base_n, shared - base_n);
	if (matched == 1) {
		struct stat st;
		struct strbuf full = {0};
		sb_printf(&full, "%s/%s", dir, first);
		if (stat(full.s, &st) == 0 && S_ISDIR(st.st_mode))
			sb_putc(add, '/');
		sb_free(&full);
		sb_clear(choices);
	}
	free(first);
	free(dir);
	return matched;
}
