/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_save.c: w saves the article, as --dump prints it, to a file named at a prompt
 * (~ expanded, Tab completes the name); an existing file is replaced only after a y/n
 * question, and atomically (fileio_replace). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "app_internal.h"
#include "fileio.h"
#include "pathcomplete.h"

/* Longest file name the prompt takes, in bytes (as every prompt). */
#define SAVE_PATH_MAX 1024
/* Most names listed on the status line when Tab finds several. */
#define SAVE_CHOICES 12

void app_save_apply(struct app *a)
{
	app_prompt_open(a, PROMPT_SAVE);
}

/* Write the article to path; say how it went. */
static void save_to(struct app *a, const char *path)
{
	struct strbuf text = {0}, tmp = {0};

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

	if (a->input.n == 0) {
		app_say(a, "Not saved: no file name");
		return;
	}
	char *path = path_expand(a->input.s, a->input.n);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		app_say(a, "%s is a directory: not saved", path);
	} else if (stat(path, &st) == 0) {
		char q[120];
		snprintf(q, sizeof q, "%s exists: replace it?", path);
		app_confirm(a, ACTION_SAVE, q);
	} else {
		save_to(a, path);
	}
	free(path);
}

void app_save_confirmed(struct app *a)
{
	char *path = path_expand(a->input.s ? a->input.s : "", a->input.n);
	save_to(a, path);
	free(path);
}

bool app_save_complete(struct app *a)
{
	struct strbuf add = {0}, choices = {0};

	lineedit_apply(&a->edit, &a->input, PROMPT_END, (struct lineedit_lines){0});
	size_t n = path_complete(a->input.s ? a->input.s : "", a->input.n, &add, &choices,
				 SAVE_CHOICES);
	bool changed = add.n && lineedit_insert_bytes(&a->edit, &a->input, add.s, add.n,
						      SAVE_PATH_MAX);
	if (n == 0)
		app_say(a, "No file name starts so");
	else if (n > 1)
		app_say(a, "%s%s", choices.s ? choices.s : "", n > SAVE_CHOICES ? " …" : "");
	sb_free(&add);
	sb_free(&choices);
	return changed;
}
