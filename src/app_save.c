/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_save.c: w saves the article, as --dump prints it, W its source (its file, or its
 * record of a JSON Lines or SogouCS file, byte for byte), to a file named at a prompt
 * (~ expanded, Tab completes the name); an existing file is replaced only after a y/n
 * question, and atomically (fileio_replace). */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "i18n.h"
#include "app_internal.h"
#include "fileio.h"
#include "loader.h"
#include "pathcomplete.h"
#include "zipcoll.h"

/* Longest file name the prompt takes, in bytes (as every prompt). */
#define SAVE_PATH_MAX 1024
/* Most names listed on the status line when Tab finds several. */
#define SAVE_CHOICES 12

void app_save_apply(struct app *a, bool source)
{
	a->save_source = source;
	app_prompt_open(a, PROMPT_SAVE);
}

/* The bytes the article shown was read from into text: its record (JSON Lines,
 * SogouCS) or its whole file (or archive member); false with why when it has none (an excerpt, standard
 * input) or they cannot be read. */
static bool read_source(const struct app *a, struct strbuf *text, struct strbuf *why)
{
	const struct article *art = a->pane.shown.article;
	char *bytes = NULL;
	size_t n = 0;

	if (!art || art->kind != ARTICLE_FULL || !art->path ||
	    !strcmp(art->path, LOADER_STDIN_NAME)) {
		sb_puts(why, _("it was read from no file"));
		return false;
	}
	if (art->member) { /* its record in its archive member, or the member */
		if (zipcoll_read(art->path, art->member, art->rec_off, art->rec_len,
				 FILEIO_MAX_FILE, &bytes, &n, why) != 0)
			return false;
	} else if (art->rec_len) {
		if (fileio_read_range(art->path, art->rec_off, art->rec_len, &bytes, why) != 0)
			return false;
		n = (size_t)art->rec_len;
	} else if (fileio_read_file(art->path, FILEIO_MAX_FILE, &bytes, &n, why) != 0) {
		return false;
	}
	sb_append(text, bytes, n);
	if (art->rec_len && (n == 0 || bytes[n - 1] != '\n'))
		sb_putc(text, '\n'); /* a record is saved as a line of its own */
	free(bytes);
	return true;
}

/* Write the article to path; say how it went. */
static void save_to(struct app *a, const char *path)
{
	struct strbuf text = {0}, tmp = {0}, why = {0};

	if (a->save_source && !read_source(a, &text, &why)) {
		app_say(a, "Not saved: the source of this article cannot be read: %s", why.s);
		sb_free(&why);
		return;
	}
	sb_free(&why);
	if (!a->save_source)
		app_dump(a, &text);
	sb_printf(&tmp, "%s.xinwen-tmp", path);
	struct fileio_part part = {text.s, text.n};
	const char *failed = fileio_replace(path, tmp.s, &part, 1);
	if (failed)
		app_say(a, "%s: %s: %s", path, failed, strerror(errno));
	else
		app_say(a, "Saved to %s (%zu bytes)", path, text.n);
	sb_free(&text);
	sb_free(&tmp);
}

void app_save_accept(struct app *a)
{
	struct stat st;

	if (a->prompt.input.n == 0) {
		app_say(a, "Not saved: no file name");
		return;
	}
	char *path = path_expand(a->prompt.input.s, a->prompt.input.n);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		app_say(a, "%s is a directory: not saved", path);
	} else if (stat(path, &st) == 0) {
		char q[120];
		snprintf(q, sizeof q, _("%s exists: replace it?"), path);
		app_confirm(a, ACTION_SAVE, q);
	} else {
		save_to(a, path);
	}
	free(path);
}

void app_save_confirmed(struct app *a)
{
	char *path = path_expand(a->prompt.input.s ? a->prompt.input.s : "", a->prompt.input.n);
	save_to(a, path);
	free(path);
}

bool app_save_complete(struct app *a)
{
	struct strbuf add = {0}, choices = {0};

	lineedit_apply(&a->prompt.edit, &a->prompt.input, EDIT_END, (struct lineedit_lines){0});
	size_t n = path_complete(a->prompt.input.s ? a->prompt.input.s : "", a->prompt.input.n,
				 &add, &choices, SAVE_CHOICES);
	bool changed = add.n && lineedit_insert_bytes(&a->prompt.edit, &a->prompt.input, add.s,
						      add.n, SAVE_PATH_MAX);
	if (n == 0)
		app_say(a, "No file name starts so");
	else if (n > 1)
		app_say(a, "%s%s", choices.s ? choices.s : "", n > SAVE_CHOICES ? " …" : "");
	sb_free(&add);
	sb_free(&choices);
	return changed;
}
