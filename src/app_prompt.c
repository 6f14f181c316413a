/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_prompt.c: the prompt's line: opening it, typing and editing it (the line editor,
 * the prompts' history, kept in the state directory), the y/n question. It builds on
 * app_core.c only: the features open prompts, app_search.c takes their keys. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_internal.h"
#include "fileio.h"
#include "marks.h"

/* Longest line a prompt takes, in bytes. */
#define PROMPT_MAX 1024

/* The history a prompt's lines go to. */
static enum prompthist_kind hist_kind(enum app_prompt p)
{
	switch (p) {
	case PROMPT_PIPE: return HIST_PIPE;
	case PROMPT_DATE: return HIST_DATE;
	case PROMPT_SAVE: return HIST_SAVE;
	default: return HIST_SEARCH;
	}
}

void app_prompt_open(struct app *a, enum app_prompt kind)
{
	a->prompt.kind = kind;
	sb_clear(&a->prompt.input);
	lineedit_reset(&a->prompt.edit, NULL);
}

bool app_prompt_type(struct app *a, int key)
{
	if (key >= KEYC_SPECIAL || key < 0)
		return false;
	return lineedit_insert(&a->prompt.edit, &a->prompt.input, (uint32_t)key, PROMPT_MAX);
}

bool app_prompt_edit(struct app *a, enum edit_action op)
{
	return lineedit_apply(&a->prompt.edit, &a->prompt.input, op,
			      prompthist_lines(&a->prompts, hist_kind(a->prompt.kind)));
}

void app_prompt_accepted(struct app *a)
{
	enum prompthist_kind k = hist_kind(a->prompt.kind);
	bool find = a->prompt.kind == PROMPT_FIND || a->prompt.kind == PROMPT_FIND_BACK;
	const char *last = prompthist_last(&a->prompts, k);

	/* / or ? and Enter in the pane: the last search again, as less does. */
	if (find && a->prompt.input.n == 0 && last)
		sb_puts(&a->prompt.input, last);
	if (a->prompt.input.n)
		prompthist_add(&a->prompts, k, a->prompt.input.s, a->prompt.input.n);
	lineedit_reset(&a->prompt.edit, NULL);
}

int app_prompt_cursor(const struct app *a)
{
	if (a->prompt.kind == PROMPT_CONFIRM)
		return 0;
	const struct lineedit *e = &a->prompt.edit;
	return e->cursor <= a->prompt.input.n ? (int)e->cursor : (int)a->prompt.input.n;
}

bool app_prompts_open_default(struct app *a)
{
	struct strbuf dir = {0};
	bool ok = true;

	if (marks_default_dir(&dir)) {
		struct strbuf why = {0};
		/* A directory refused (app_marks_open_default says why): in memory only. */
		bool usable = fileio_private_dir(dir.s, &why);
		prompthist_free(&a->prompts);
		prompthist_init(&a->prompts, usable ? dir.s : NULL);
		sb_free(&why);
		ok = prompthist_load(&a->prompts);
		if (!ok)
			app_say(a, "History: %s", a->prompts.problem);
	}
	sb_free(&dir);
	return ok;
}

bool app_prompts_save(struct app *a)
{
	bool ok = prompthist_save(&a->prompts);
	if (!ok)
		app_say(a, "History not saved: %s", a->prompts.problem);
	return ok;
}

void app_prompt_free(struct app *a)
{
	lineedit_free(&a->prompt.edit);
	prompthist_free(&a->prompts);
}

/* The y/n question: its answer is taken by app_input.c. */
void app_confirm(struct app *a, enum action act, const char *question)
{
	snprintf(a->prompt.confirm, sizeof a->prompt.confirm, "%s (y/n) ", question);
	a->prompt.confirm_action = act;
	a->prompt.kind = PROMPT_CONFIRM;
}
