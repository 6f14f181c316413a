/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_marks.c: --list --unread and --list --bookmarked: the articles by their marks in
 * the state file (read only: a listing never changes it). */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "marks.h"
#include "strbuf.h"
#include "text.h"

bool cli_marks_keep(const struct article *a, const struct marks *m, bool unread, bool bookmarked)
{
	struct content_id id;

	article_identity(a, &id);
	if (unread && (a->kind != ARTICLE_FULL || marks_get(m, &id, MARK_READ)))
		return false; /* excerpts are never unread articles */
	return !bookmarked || marks_get(m, &id, MARK_BOOKMARK);
}

void cli_marks_load(struct marks *s, FILE *err)
{
	struct strbuf dir = {0}, why = {0};
	bool trusted = marks_default_dir(&dir);

	if (trusted && marks_dir_refused(dir.s, &why)) {
		fputs(_("xinwen: marks not read: "), err);
		text_put_safe(err, why.s, why.n);
		fputc('\n', err);
		trusted = false;
	}
	marks_init(s, trusted ? dir.s : NULL);
	s->readonly = true; /* a corrupt file is reported, not set aside */
	if (s->dir && !marks_load(s))
		for (size_t i = 0; i < s->problems.n; i++) {
			fputs(_("xinwen: warning: "), err);
			text_put_safe(err, s->problems.v[i], strlen(s->problems.v[i]));
			fputc('\n', err);
		}
	sb_free(&why);
	sb_free(&dir);
}

int cli_list_marked(const struct collection *c, bool unread, bool bookmarked, FILE *out, FILE *err)
{
	struct marks s;

	cli_marks_load(&s, err);
	for (size_t i = 0; i < collection_count(c); i++) {
		struct article tmp;
		const struct article *a = collection_peek(c, i, &tmp);
		if (cli_marks_keep(a, &s, unread, bookmarked))
			cli_list_line(a, out);
	}
	marks_free(&s);
	return 0;
}
