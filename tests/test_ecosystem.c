/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_ecosystem.c: what scripts and other tools see: --list --json's
 * objects, read back with jansson. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <jansson.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcode.h"
#include "format.h"
#include "marks.h"

/* Run cli_list_json over c with marks, keeping only the unread or bookmarked articles
 * when asked; the lines parsed, as a JSON array. */
static json_t *list_json_marked(const struct collection *c, const struct marks *marks, bool unread,
				bool bookmarked)
{
	char *text = NULL, *line, *save = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&text, &n);
	json_t *all = json_array();

	assert_non_null(f);
	assert_int_equal(cli_list_json(c, marks, unread, bookmarked, f, stderr), EXIT_OK);
	assert_int_equal(fclose(f), 0);
	assert_true(n == 0 || text[n - 1] == '\n');
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_error_t err;
		json_t *o = json_loads(line, JSON_REJECT_DUPLICATES, &err);
		if (!o)
			fail_msg("not a JSON object: %s (%s)", line, err.text);
		assert_true(json_is_object(o));
		json_array_append_new(all, o);
	}
	free(text);
	return all;
}

/* Run cli_list_json over c with marks: every article. */
static json_t *list_json(const struct collection *c, const struct marks *marks)
{
	json_t *all = list_json_marked(c, marks, false, false);
	assert_int_equal(json_array_size(all), c->articles.n);
	return all;
}

static const char *str_field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		fail_msg("field %s is not a string", key);
	return json_string_value(v);
}

static void test_json_fields_and_marks(void **state)
{
	struct collection c;
	struct marks marks;
	struct content_id id;
	static const char *const keys[] = {"id",    "date", "time", "source", "kind",
					   "title", "path", "url",  "read",   "bookmarked"};
	(void)state;

	test_load_seed(&c, "seed");
	marks_init(&marks, NULL);
	article_identity(c.articles.v[0], &id);
	marks_set(&marks, &id, MARK_READ, true);
	article_identity(c.articles.v[1], &id);
	marks_set(&marks, &id, MARK_BOOKMARK, true);

	json_t *all = list_json(&c, &marks);
	assert_int_equal(json_array_size(all), c.articles.n);
	for (size_t i = 0; i < json_array_size(all); i++) {
		json_t *o = json_array_get(all, i);
		assert_int_equal(json_object_size(o), sizeof keys / sizeof keys[0]);
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			if (!json_object_get(o, keys[k]))
				fail_msg("object %zu has no %s", i, keys[k]);
		assert_string_equal(str_field(o, "id"), c.articles.v[i]->id);
		assert_true(json_is_null(json_object_get(o, "url")));
		assert_true(json_is_boolean(json_object_get(o, "read")));
		assert_int_equal(json_is_true(json_object_get(o, "read")), i == 0);
		assert_int_equal(json_is_true(json_object_get(o, "bookmarked")), i == 1);
	}
	json_t *seed = json_array_get(all, 0);
	assert_string_equal(str_field(seed, "title"), "四川新聞丨做實社會治理 閬中下足繡花功夫");
	assert_string_equal(str_field(seed, "date"), "2020-11-21");
	assert_string_equal(str_field(seed, "source"), "四川觀察");
	assert_true(json_is_null(json_object_get(seed, "time"))); /* dated: no time kept */
	assert_string_equal(str_field(seed, "kind"), "full");
	assert_string_equal(str_field(seed, "path"), c.articles.v[0]->path);
	/* an excerpt has no date, source or path: null, not "" */
	json_t *ex = json_array_get(all, 1);
	assert_string_equal(str_field(ex, "kind"), "excerpt");
	assert_true(json_is_null(json_object_get(ex, "date")));
	assert_true(json_is_null(json_object_get(ex, "path")));
	json_decref(all);

	/* without marks, nothing is read or bookmarked */
	all = list_json(&c, NULL);
	assert_false(json_is_true(json_object_get(json_array_get(all, 0), "read")));
	json_decref(all);
	marks_free(&marks);
	collection_free(&c);
}

/* Untrusted text is display-safe in the JSON too: no ESC, BEL or bidi control. */
static void test_json_text_is_safe(void **state)
{
	static const char evil[] = "Evil \033]0;pwned\007 \xe2\x80\xae title\n\n"
				   "2024-01-02 Src\033[2J\n\nBody.\n";
	struct collection c;
	(void)state;

	collection_init(&c);
	assert_int_equal(format_load_buffer(&c, FORMAT_NATIVE, "evil.txt", "evil", NULL, evil,
					    sizeof evil - 1, NULL),
			 1);
	collection_finish(&c);
	json_t *all = list_json(&c, NULL);
	const char *title = str_field(json_array_get(all, 0), "title");
	const char *source = str_field(json_array_get(all, 0), "source");
	assert_null(strpbrk(title, "\033\007"));
	assert_null(strstr(title, "\xe2\x80\xae"));
	assert_null(strchr(source, '\033'));
	assert_non_null(strstr(title, "pwned"));
	json_decref(all);
	collection_free(&c);
}

/* --list --json --unread and --bookmarked list what --list --unread and --bookmarked
 * do: the unread full articles (never an excerpt), the bookmarked ones, or both. */
static void test_json_unread_and_bookmarked(void **state)
{
	struct collection c;
	struct marks marks;
	struct content_id id;
	(void)state;

	test_load_seed(&c, "seed");
	marks_init(&marks, NULL);
	article_identity(c.articles.v[1], &id); /* an excerpt */
	marks_set(&marks, &id, MARK_BOOKMARK, true);

	json_t *all = list_json_marked(&c, &marks, true, false);
	assert_int_equal(json_array_size(all), 1); /* the seed, not its 20 excerpts */
	assert_string_equal(str_field(json_array_get(all, 0), "id"), c.articles.v[0]->id);
	json_decref(all);
	all = list_json_marked(&c, &marks, false, true);
	assert_int_equal(json_array_size(all), 1);
	assert_string_equal(str_field(json_array_get(all, 0), "id"), c.articles.v[1]->id);
	json_decref(all);
	all = list_json_marked(&c, &marks, true, true); /* an excerpt is never unread */
	assert_int_equal(json_array_size(all), 0);
	json_decref(all);

	article_identity(c.articles.v[0], &id);
	marks_set(&marks, &id, MARK_READ, true);
	marks_set(&marks, &id, MARK_BOOKMARK, true);
	all = list_json_marked(&c, &marks, true, false);
	assert_int_equal(json_array_size(all), 0);
	json_decref(all);
	all = list_json_marked(&c, &marks, false, true);
	assert_int_equal(json_array_size(all), 2);
	json_decref(all);
	marks_free(&marks);
	collection_free(&c);
}

/* The url member is the article's address: a native URL: line, a SogouCS record's
 * whole <url> (not only its host, the source), made display-safe like the rest. */
static void test_json_url(void **state)
{
	static const char native[] = "A title\n\n2024-01-02 Src\n"
				     "URL: https://news.example.cn/2024/01/02/a.html\n\nBody.\n";
	static const char sogou[] = "<doc>\n<url>http://news.sohu.com/20120601/n344.shtml</url>\n"
				    "<docno>d1</docno>\n<contenttitle>T</contenttitle>\n"
				    "<content>Body text.</content>\n</doc>\n";
	struct collection c;
	(void)state;

	collection_init(&c);
	assert_int_equal(format_load_buffer(&c, FORMAT_NATIVE, "a.txt", "a", NULL, native,
					    sizeof native - 1, NULL),
			 1);
	assert_int_equal(format_load_buffer(&c, FORMAT_SOGOU, "s.dat", "s", NULL, sogou,
					    sizeof sogou - 1, NULL),
			 1);
	collection_finish(&c);
	json_t *all = list_json(&c, NULL);
	int seen = 0;
	for (size_t i = 0; i < json_array_size(all); i++) {
		json_t *o = json_array_get(all, i);
		if (strcmp(str_field(o, "title"), "A title") == 0) {
			assert_string_equal(str_field(o, "url"),
					    "https://news.example.cn/2024/01/02/a.html");
			seen |= 1;
		} else {
			assert_string_equal(str_field(o, "url"),
					    "http://news.sohu.com/20120601/n344.shtml");
			assert_string_equal(str_field(o, "source"), "news.sohu.com");
			seen |= 2;
		}
	}
	assert_int_equal(seen, 3);
	json_decref(all);
	collection_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_fields_and_marks),
		cmocka_unit_test(test_json_text_is_safe),
		cmocka_unit_test(test_json_unread_and_bookmarked),
		cmocka_unit_test(test_json_url),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
