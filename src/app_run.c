/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app_run.c: taking the article out of the reader: | pipes it to a command, o opens it
 * in the pager, y copies the headline. The app only prepares the request (the argv,
 * the text for its standard input, the escape sequence); the front end carries it out
 * with the terminal restored, then calls app_run_done. */
#include <config.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "app_internal.h"
#include "osc52.h"

static void drop_request(struct app *a)
{
	spawn_argv_free(&a->run.argv);
	sb_free(&a->run.input);
	a->run.kind = RUN_NONE;
}

/* The article as --dump prints it at the screen's width, in the form shown. */
static void dump_current(const struct app *a, struct strbuf *out)
{
	struct pane p;

	app_pane_dump_build(a, &p);
	pane_layout(&p, a->cols);
	pane_text(&p, out);
	pane_free(&p);
}

/* Ask the front end to run the command line typed, the article on its standard input. */
static void request_command(struct app *a, enum app_run_kind kind, const char *line, size_t n)
{
	char err[128];

	drop_request(a);
	if (!spawn_split(line, n, &a->run.argv, err, sizeof err)) {
		app_say(a, "Cannot run it: %s", err);
		drop_request(a);
		return;
	}
	dump_current(a, &a->run.input);
	a->run.kind = kind;
}

/* The command typed at | goes through sh -c, as in mutt, less and newsboat (pipes,
 * redirections, ~ and variables work); commands from elsewhere ($PAGER) are split
 * without a shell. */
void app_run_pipe(struct app *a, const char *line, size_t n)
{
	drop_request(a);
	if (n == 0 || memchr(line, '\0', n)) {
		app_say(a, n ? "Cannot run it: a NUL byte" : "No command");
		return;
	}
	VEC_PUSH(&a->run.argv, xstrdup("/bin/sh"));
	VEC_PUSH(&a->run.argv, xstrdup("-c"));
	char *cmd = xmalloc(n + 1);
	memcpy(cmd, line, n);
	cmd[n] = '\0';
	VEC_PUSH(&a->run.argv, cmd);
	VEC_PUSH(&a->run.argv, NULL); /* execvp's end, not a word */
	a->run.argv.n--;
	dump_current(a, &a->run.input);
	a->run.kind = RUN_PIPE;
}

const char *app_run_name(const struct app *a)
{
	if (a->run.kind == RUN_PIPE && a->run.argv.n == 3)
		return a->run.argv.v[2]; /* what was typed, not sh */
	return a->run.argv.n ? a->run.argv.v[0] : "";
}

/* Whether an executable file name is in a directory of $PATH. */
static bool on_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	struct strbuf file = {0};
	bool found = false;

	for (p = path ? path : ""; *p && !found; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		if (end == p)
			continue;
		sb_clear(&file);
		sb_printf(&file, "%.*s/%s", (int)(end - p), p, name);
		found = access(file.s, X_OK) == 0;
	}
	sb_free(&file);
	return found;
}

/* $PAGER, else pager (Debian's alternative), else less. */
static void open_pager(struct app *a)
{
	const char *pager = getenv("PAGER");
	if (!pager || !*pager)
		pager = on_path("pager") ? "pager" : "less";
	request_command(a, RUN_PAGER, pager, strlen(pager));
}

static void copy_headline(struct app *a)
{
	const struct article *art = collection_article(a->c, a->list.sel);
	struct strbuf title = {0};

	if (!a->opts.osc52) {
		app_say(a, "Copying is off: 'set osc52 = yes' in the configuration turns it on");
		return;
	}
	drop_request(a);
	convert_text(a->script, art->title.p, art->title.n, &title);
	osc52_sequence(title.s, title.n, &a->run.input);
	sb_free(&title);
	a->run.kind = RUN_COPY;
}

void app_run_apply(struct app *a, enum action act)
{
	switch (act) {
	case ACTION_PIPE: app_prompt_open(a, PROMPT_PIPE); break;
	case ACTION_PAGER: open_pager(a); break;
	case ACTION_COPY: copy_headline(a); break;
	default: break;
	}
}

void app_run_done(struct app *a, const struct spawn_result *r)
{
	if (a->run.kind == RUN_COPY) {
		app_say(a, "%s", osc52_outcome());
	} else if (r && a->run.argv.n) {
		spawn_describe(r, app_run_name(a), a->message, sizeof a->message);
	}
	drop_request(a);
}

void app_run_free(struct app *a)
{
	drop_request(a);
}

void app_dump(const struct app *a, struct strbuf *out)
{
	dump_current(a, out);
}
