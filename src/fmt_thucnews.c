/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fmt_thucnews.c: THUCNews-style articles: one .txt file each, the title on the first
 * line, the body after it, no date line; the directory holding the file (one per
 * category) is the source. */
#include <config.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "format.h"
#include "utf8.h"

/* The last directory component of path: "体育" for "THUCNews/体育/1.txt". */
static struct str parent_name(const char *path)
{
	const char *slash = strrchr(path, '/'), *start;
	struct str s = {path, 0};

	while (slash && slash > path && slash[-1] == '/')
		slash--;
	if (!slash || slash == path)
		return s;
	for (start = slash; start > path && start[-1] != '/'; start--)
		;
	s.p = start;
	s.n = (size_t)(slash - start);
	return s;
}

/* The name of the folder that the folder named by path[0..n) ("./体育/.", "..") is,
 * for a category typed as "." or ".." (xinwen . run inside it): a new string, or NULL
 * when it cannot be found. The last one found is kept for the next file, which is in
 * the same folder (one a thread: walks load on several). */
static char *real_folder_name(const char *path, size_t n)
{
	static _Thread_local char last[PATH_MAX], last_name[PATH_MAX];
	char *dir = strndup(path, n), *real, *base;

	if (!dir)
		return NULL;
	if (strcmp(dir, last) == 0 && *last) {
		free(dir);
		return strdup(last_name);
	}
	real = realpath(dir, NULL);
	base = real ? strrchr(real, '/') : NULL;
	char *name = base && base[1] ? strdup(base + 1) : NULL;
	if (name && strlen(dir) < sizeof last && strlen(name) < sizeof last_name) {
		strcpy(last, dir);
		strcpy(last_name, name);
	}
	free(real);
	free(dir);
	return name;
}

/* Whether name is that of an archive's member at its top: "ARCHIVE:MEMBER" (as zipcoll.c
 * names members), alt_id being MEMBER without its .txt and no folder in it. A file of a
 * walk is "ROOT/PATH", a '/' before alt_id. */
static bool member_at_top(const char *name, const char *alt_id)
{
	size_t n = strlen(name), k = strlen(alt_id);

	if (strchr(alt_id, '/'))
		return false;
	for (size_t tail = 0; tail <= 4 && tail + k < n; tail++) /* tail: the ".txt" */
		if (name[n - tail - k - 1] == ':' && memcmp(name + n - tail - k, alt_id, k) == 0 &&
		    !memchr(name + n - tail, '/', tail))
			return true;
	return false;
}

/* The category of the article in file name: the folder holding it (alt_id: the path
 * below what was opened, so not "ARCHIVE:FOLDER" for an archive's member), none for a
 * member at an archive's top; a folder typed as "." or "..", or none typed (a file
 * named alone, "9.txt"), is found by its real name. *real: what to free. */
static struct str category(const char *name, const char *alt_id, char **real)
{
	struct str s;

	*real = NULL;
	if (alt_id && strchr(alt_id, '/'))
		return parent_name(alt_id);
	if (alt_id && member_at_top(name, alt_id))
		return str_make("", 0);
	s = parent_name(name);
	if (!s.n && !strchr(name, '/'))
		*real = real_folder_name(".", 1);
	else if ((s.n == 1 && s.p[0] == '.') || (s.n == 2 && memcmp(s.p, "..", 2) == 0))
		*real = real_folder_name(name, (size_t)(s.p + s.n - name));
	return *real ? str_make(*real, strlen(*real)) : s;
}

/* Split the n bytes of a THUCNews article into its title and body. */
static void split(const char *bytes, size_t n, struct article_fields *f)
{
	const char *p, *end = bytes + n;

	if (n >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte-order mark */
		bytes += 3;
	p = bytes;
	/* the title is the first line that is not blank (line 1 in THUCNews) */
	for (;;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *q;

		for (q = p; q < le && (*q == ' ' || *q == '\t' || *q == '\r'); q++)
			;
		if (q < le || !nl) {
			f->title.p = p;
			f->title.n = (size_t)(le - p);
			p = nl ? nl + 1 : end;
			break;
		}
		p = nl + 1;
	}
	f->body.p = p;
	f->body.n = (size_t)(end - p);
	f->date.p = "";
	f->date.n = 0;
	f->rec_off = f->rec_len = 0; /* the whole file */
}

bool fmt_thucnews_add(struct collection *c, const char *name, const char *id, const char *alt_id,
		      const char *bytes, size_t n, bool valid_utf8)
{
	struct article_fields f = {0};

	split(bytes, n, &f);
	char *real;
	f.source = category(name, alt_id, &real);
	/* a folder named in GBK (unpacked from an archive made on Chinese Windows) */
	char *gb = decode_gb18030_name(f.source.p, f.source.n);
	if (gb)
		f.source = str_make(gb, strlen(gb));
	/* split at line ends, the text's parts are valid too; the source is the file's
	 * folder (an archive member's name may be any bytes) */
	f.valid_utf8 = valid_utf8 && utf8_valid_prefix((const unsigned char *)f.source.p,
						       f.source.n) == f.source.n;
	bool added = format_add_fields(c, name, 0, id, alt_id, &f);
	free(gb);
	free(real);
	return added;
}

bool fmt_thucnews_body(const char *bytes, size_t n, char **out, size_t *out_n)
{
	struct article_fields f = {0};

	split(bytes, n, &f);
	if (str_is_blank(f.title)) /* format_add_fields would say: no title */
		return false;
	*out = format_fields_body(f.body, out_n);
	return true;
}
