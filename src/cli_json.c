/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli_json.c: xinwen --list --json: one JSON object per article, for scripts, written
 * with jansson. */
#include <config.h>

#include "cli.h"

#include <string.h>

#include "exitcode.h"
#include "i18n.h"
#include "marks.h"
#include "text.h"

#ifndef HAVE_JANSSON
int cli_list_json(const struct collection *c, const struct marks *marks, bool unread,
		  bool bookmarked, FILE *out, FILE *err)
{
	(void)c, (void)marks, (void)unread, (void)bookmarked, (void)out;
	fputs(_("xinwen: --json: xinwen was built without jansson\n"), err);
	return EXIT_TROUBLE;
}
#else
#include <jansson.h>

/* A JSON string of s[0..n) made display-safe and one line as --list's fields are
 * (LAYOUT.md §4: escapes, C1 and bidi controls shown, never raw; a TAB or a line break
 * a space), or null when s is NULL or empty and empty_is_null. */
static json_t *str_or_null(const char *s, size_t n, bool empty_is_null)
{
	struct dtext t;
	json_t *j;

	if (!s || (n == 0 && empty_is_null))
		return json_null();
	dtext_sanitize(&t, s, n);
	dtext_one_line(&t);
	j = json_stringn(t.s ? t.s : "", t.n);
	dtext_free(&t);
	return j;
}

/* One article as a JSON object. */
static json_t *article_json(const struct article *a, const struct marks *marks)
{
	struct content_id id;
	struct strbuf buf = {0}, ids = {0};
	const char *path = cli_shown_path(a->path, &buf);

	text_escape_name(&ids, a->id, strlen(a->id)); /* often a file's name, as --list shows it */

	article_identity(a, &id);
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:b, s:b}", "id",
			      str_or_null(ids.s, ids.n, false), "date",
			      str_or_null(a->date.p, a->date.n, true), "time",
			      str_or_null(a->time.p, a->time.n, true), "source",
			      str_or_null(a->source.p, a->source.n, true), "kind",
			      a->kind == ARTICLE_FULL ? "full" : "excerpt", "title",
			      str_or_null(a->title.p, a->title.n, false), "path",
			      str_or_null(path, path ? strlen(path) : 0, true), "url",
			      str_or_null(a->url.p, a->url.n, true), "read",
			      marks && marks_get(marks, &id, MARK_READ), "bookmarked",
			      marks && marks_get(marks, &id, MARK_BOOKMARK));
	sb_free(&buf);
	sb_free(&ids);
	return o;
}

int cli_list_json(const struct collection *c, const struct marks *marks, bool unread,
		  bool bookmarked, FILE *out, FILE *err)
{
	for (size_t i = 0; i < collection_count(c); i++) {
		struct article tmp;
		const struct article *a = collection_peek(c, i, &tmp);
		if ((unread || bookmarked) && !cli_marks_keep(a, marks, unread, bookmarked))
			continue;
		json_t *o = article_json(a, marks);
		/* jansson escapes every control character, and refuses invalid UTF-8 */
		if (!o || json_dumpf(o, out, JSON_COMPACT) != 0) {
			fputs(_("xinwen: cannot write an article as JSON: "), err);
			text_put_name(err, a->id, strlen(a->id));
			fputc('\n', err);
			json_decref(o);
			return EXIT_TROUBLE;
		}
		fputc('\n', out);
		json_decref(o);
	}
	return EXIT_OK;
}
#endif
