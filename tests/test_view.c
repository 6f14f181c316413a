/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_view.c: the reader's view keys: t (T/S form), s and S (sort, group), D (jump to a
 * date), | and o (the article to a command), y (copy), without curses. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "format.h"
#include "testutil.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistr.h>

#include "app.h"
#include "app_internal.h"
#include "app_marks.h"
#include "cli.h"
#include "listorder.h"
#include "marks.h"
#include "osc52.h"
#include "render.h"

/* Four articles; newest first they are 0 A, 1 C, 2 B, 3 D. */
static const char *const files[][2] = {
	{"a", "臺灣新聞一\n\n2020-11-21 甲報\n\n內容 台灣\n"},
	{"b", "Beta story\n\n2020-10-05 乙報\n\nbody b 繡花\n"},
	{"c", "Alpha story\n\n2020-11-02 甲報\n\nbody c 繡花\n"},
	{"d", "Gamma\n\n2019-12-31 丙報\n\nbody d\n"},
};

/* The setup's c.articles as loaded. */
static struct article *before[8];

static int setup(void **state)
{
	struct test_app *f = test_app_new();
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
		assert_true(fmt_native_add_buffer(&f->c, files[i][0], files[i][0], files[i][1],
						  strlen(files[i][1])));
	collection_finish(&f->c);
	for (size_t i = 0; i < f->c.articles.n; i++)
		before[i] = f->c.articles.v[i];
	test_app_start(f, 30, 120);
	*state = f;
	return 0;
}

/* The list's rows as text: an article's id, or "=TEXT" for a group header. */
static const char *rows(struct test_app *f)
{
	static struct strbuf sb;
	sb_clear(&sb);
	for (size_t r = 0; r < app_list_count(&f->app); r++) {
		if (app_list_is_header(&f->app, r)) {
			sb_putc(&sb, '=');
			app_list_header_text(&f->app, r, &sb);
		} else {
			sb_puts(&sb, f->c.articles.v[app_list_article(&f->app, r)]->id);
		}
		sb_putc(&sb, ' ');
	}
	return sb_cstr(&sb);
}

static const char *selected(const struct test_app *f)
{
	return f->c.articles.v[f->app.list.sel]->id;
}

/* The collection's own order is never touched: the list order is a view. */
static void assert_articles_unmoved(const struct test_app *f)
{
	for (size_t i = 0; i < f->c.articles.n; i++)
		assert_ptr_equal(f->c.articles.v[i], before[i]);
}

static void test_sort_cycles(void **state)
{
	struct test_app *f = *state;
	assert_string_equal(rows(f), "a c b d ");
	assert_null(strstr(test_app_screen(f), "sort:")); /* the default order goes unsaid */
	app_key(&f->app, 's');
	assert_string_equal(rows(f), "c b d a ");
	assert_non_null(strstr(test_app_screen(f), "sort: title"));
	app_key(&f->app, 's');
	/* By source (丙 < 乙 < 甲 in UTF-8), then newest first. */
	assert_string_equal(rows(f), "d b a c ");
	assert_non_null(strstr(test_app_screen(f), "sort: source"));
	app_key(&f->app, 's');
	/* Oldest first. */
	assert_string_equal(rows(f), "d b c a ");
	assert_non_null(strstr(test_app_screen(f), "sort: oldest"));
	assert_non_null(strstr(test_app_screen(f), "Sorted by date, oldest first"));
	app_key(&f->app, 's');
	assert_string_equal(rows(f), "a c b d ");
	assert_articles_unmoved(f);
	enum config_sort s;
	assert_true(config_sort_parse("title", &s));
	assert_int_equal(s, SORT_TITLE);
	assert_false(config_sort_parse("size", &s));
	assert_true(config_sort_parse("oldest", &s) && s == SORT_OLDEST);
	assert_true(config_sort_parse("title", &s));
	app_set_sort(&f->app, s);
	assert_string_equal(rows(f), "c b d a ");
	assert_string_equal(config_sort_name(SORT_SOURCE), "source");
}

/* A long list (here: any) is sorted between keys, the status line saying so first; keys
 * typed before it is take the next sort or grouping after the one waiting. */
static void test_sort_later(void **state)
{
	struct test_app *f = *state;
	f->app.list.later.at = 1;
	app_key(&f->app, 's');
	assert_string_equal(rows(f), "a c b d "); /* not yet */
	assert_non_null(strstr(test_app_screen(f), "Sorting 4 articles by title…"));
	assert_true(app_idle(&f->app));
	assert_string_equal(rows(f), "c b d a ");
	assert_non_null(strstr(test_app_screen(f), "Sorted by title"));
	assert_false(app_arrange_idle(&f->app)); /* done */
	app_key(&f->app, 's');			 /* source, */
	app_key(&f->app, 'S');			 /* grouped by source: both in one sort */
	assert_string_equal(rows(f), "c b d a ");
	assert_non_null(strstr(test_app_screen(f), "Grouping 4 articles by source…"));
	assert_true(app_idle(&f->app));
	assert_string_equal(rows(f), "=丙報 d =乙報 b =甲報 a c ");
	assert_non_null(strstr(test_app_screen(f), "sort: source, by source"));
	app_key(&f->app, 'S');
	app_key(&f->app, 'S'); /* by month, then not grouped */
	assert_non_null(strstr(test_app_screen(f), "Ungrouping 4 articles…"));
	assert_true(app_idle(&f->app));
	assert_string_equal(rows(f), "d b a c ");
	assert_non_null(strstr(test_app_screen(f), "Not grouped"));
	assert_articles_unmoved(f);
}

/* Grouping adds header rows; moving skips them; the screen shows them. */
static void test_group_headers_and_moves(void **state)
{
	struct test_app *f = *state;
	app_key(&f->app, 'S');
	assert_string_equal(rows(f), "=丙報 d =乙報 b =甲報 a c ");
	assert_non_null(strstr(test_app_screen(f), "sort: date, by source"));
	app_key(&f->app, 'g');
	assert_string_equal(selected(f), "d");
	app_key(&f->app, 'j');
	assert_string_equal(selected(f), "b");
	app_key(&f->app, 'j');
	assert_string_equal(selected(f), "a");
	app_key(&f->app, 'k');
	assert_string_equal(selected(f), "b");
	app_key(&f->app, 'G');
	assert_string_equal(selected(f), "c");
	const char *s = test_app_screen(f);
	assert_int_equal(strncmp(s, "丙報 ", strlen("丙報 ")), 0); /* the first row */
	assert_non_null(strstr(s, "Gamma"));
	/* Back at the top of a list taller than the screen, its first header shows. */
	app_resize(&f->app, 6, 120);
	app_key(&f->app, 'G');
	assert_int_equal(f->app.list.top, 2);
	app_key(&f->app, 'g');
	assert_string_equal(selected(f), "d");
	assert_int_equal(f->app.list.top, 0);
	app_resize(&f->app, 30, 120);
	app_key(&f->app, 'S');
	assert_string_equal(rows(f), "=2020-11 a c =2020-10 b =2019-12 d ");
	app_key(&f->app, 's');
	assert_string_equal(rows(f), "=2020-11 c a =2020-10 b =2019-12 d ");
	/* J and K in the pane follow the list's order. */
	app_key(&f->app, 'g');
	app_key(&f->app, KEYC_RETURN);
	assert_string_equal(selected(f), "c");
	app_key(&f->app, 'J');
	assert_string_equal(selected(f), "a");
	app_key(&f->app, 'J');
	assert_string_equal(selected(f), "b");
	app_key(&f->app, 'K');
	assert_string_equal(selected(f), "a");
	app_key(&f->app, 'q');
	app_key(&f->app, 'S');
	assert_string_equal(rows(f), "c b d a ");
	assert_articles_unmoved(f);
}

/* Filter, then sort: the filtered list keeps the sort, n/N follow it. */
static void test_filter_then_sort(void **state)
{
	NEEDS_OPENCC();
	struct test_app *f = *state;
	app_key(&f->app, 's');
	test_type(&f->app, "/绣花");
	assert_string_equal(rows(f), "c b ");
	app_key(&f->app, KEYC_RETURN);
	app_key(&f->app, 'S');
	app_key(&f->app, 'S');
	app_key(&f->app, 'S');
	app_key(&f->app, 'S');
	assert_string_equal(rows(f), "=乙報 b =甲報 c ");
	app_key(&f->app, 'g');
	assert_string_equal(selected(f), "b");
	app_key(&f->app, 'j');
	assert_string_equal(selected(f), "c");
	app_key(&f->app, KEYC_ESC);
	assert_string_equal(rows(f), "=丙報 d =乙報 b =甲報 c a ");
	/* With the filter off, n goes to the next match in the list's order. */
	app_key(&f->app, 'g');
	app_key(&f->app, 'n');
	assert_string_equal(selected(f), "b");
	app_key(&f->app, 'n');
	assert_string_equal(selected(f), "c");
	app_key(&f->app, 'n');
	assert_string_equal(selected(f), "b");
	assert_non_null(strstr(f->app.message, "wrapped"));
}

static void jump(struct test_app *f, const char *date)
{
	app_key(&f->app, 'D');
	assert_int_equal(f->app.prompt.kind, PROMPT_DATE);
	assert_non_null(strstr(test_app_screen(f), "\nDate (YYYY[-MM[-DD]]):"));
	test_type(&f->app, date);
	app_key(&f->app, KEYC_RETURN);
	assert_int_equal(f->app.prompt.kind, PROMPT_OFF);
}

static void test_jump_to_date(void **state)
{
	NEEDS_OPENCC();
	struct test_app *f = *state;
	jump(f, "2020-11-05");
	assert_string_equal(selected(f), "c");
	jump(f, "2020");
	assert_string_equal(selected(f), "a");
	jump(f, "2020-10");
	assert_string_equal(selected(f), "b");
	jump(f, "2019-12-31");
	assert_string_equal(selected(f), "d");
	jump(f, "2019-06");
	assert_string_equal(selected(f), "d");
	assert_non_null(strstr(f->app.message, "No article on or before 2019-06"));
	jump(f, "2020-1");
	assert_non_null(strstr(f->app.message, "YYYY-MM-DD"));
	/* With a filter, only what the list shows: 2020-11-21 is filtered out. */
	test_type(&f->app, "/绣花");
	app_key(&f->app, KEYC_RETURN);
	jump(f, "2020-12");
	assert_string_equal(selected(f), "c");
}

/* t on the seed: list and pane in Simplified, then Traditional, then as written;
 * a Traditional query still finds and highlights the Simplified text. */
static void test_script_toggle_on_seed(void **state)
{
	NEEDS_OPENCC();
	struct test_app *f = *state;
	const char *s = test_app_screen(f);
	const struct pane_block *as_written = f->app.pane.shown.blocks.v;
	assert_non_null(strstr(s, "四川新聞丨做實社會治理 閬中下足繡花功夫"));
	app_key(&f->app, 't');
	s = test_app_screen(f);
	assert_non_null(strstr(s, "│ 四川新闻丨做实社会治理 阆中下足绣花功夫"));
	assert_non_null(strstr(s, " 2020-11-21  四川新闻丨做实社会治理"));
	assert_null(strstr(s, "閬中"));
	assert_non_null(strstr(s, "[Simplified]"));
	assert_non_null(strstr(s, "Text in Simplified"));
	app_key(&f->app, KEYC_RETURN);
	test_type(&f->app, "/閬中");
	app_key(&f->app, KEYC_RETURN);
	assert_true(f->app.pane.shown.matches.n > 0);
	for (size_t i = 0; i < f->app.pane.shown.matches.n; i++) {
		const struct pane_match *m = &f->app.pane.shown.matches.v[i];
		const struct dtext *t = &f->app.pane.shown.blocks.v[m->block].src.text;
		assert_int_equal(m->end - m->start, strlen("阆中"));
		assert_memory_equal(t->s + m->start, "阆中", m->end - m->start);
	}
	size_t matches = f->app.pane.shown.matches.n;
	app_key(&f->app, 't');
	s = test_app_screen(f);
	assert_non_null(strstr(s, "四川新聞丨做實社會治理 閬中下足繡花功夫"));
	assert_non_null(strstr(s, "[Traditional]"));
	assert_int_equal(f->app.pane.shown.matches.n, matches);
	app_key(&f->app, 't');
	s = test_app_screen(f);
	assert_null(strstr(s, "[Traditional]"));
	assert_non_null(strstr(s, "Text as written"));
	assert_int_equal(f->app.pane.shown.matches.n, matches);
	/* Back to a form seen before: the pane comes from the cache, not built again. */
	assert_ptr_equal(f->app.pane.shown.blocks.v, as_written);
}

/* | asks the front end to run the typed command with the article as --dump prints it. */
static void test_pipe_request(void **state)
{
	struct test_app *f = *state;
	char *dump = NULL;
	size_t dump_n = 0;
	FILE *mem = open_memstream(&dump, &dump_n);
	assert_int_equal(
		cli_dump(&f->c, "000_bc5b92f142057c5b", 120, false, CLI_SIMILAR_QUICK, mem, stderr),
		0);
	fclose(mem);
	while (app_idle(&f->app)) /* the similar stories, which --dump prints too */
		;

	app_key(&f->app, '|');
	assert_int_equal(f->app.prompt.kind, PROMPT_PIPE);
	test_type(&f->app, "wc -c 'a b'");
	assert_non_null(strstr(test_app_screen(f), "|wc -c 'a b'"));
	assert_int_equal(f->app.run.kind, RUN_NONE);
	app_key(&f->app, KEYC_RETURN);
	assert_int_equal(f->app.run.kind, RUN_PIPE);
	/* Through sh -c, as mutt, less and newsboat run it. */
	assert_int_equal(f->app.run.argv.n, 3);
	assert_string_equal(f->app.run.argv.v[0], "/bin/sh");
	assert_string_equal(f->app.run.argv.v[1], "-c");
	assert_string_equal(f->app.run.argv.v[2], "wc -c 'a b'");
	assert_null(f->app.run.argv.v[3]);
	assert_int_equal(f->app.run.input.n, dump_n);
	assert_memory_equal(f->app.run.input.s, dump, dump_n);
	struct spawn_result r = {SPAWN_EXITED, 1, 0};
	app_run_done(&f->app, &r);
	assert_int_equal(f->app.run.kind, RUN_NONE);
	assert_string_equal(f->app.message, "wc -c 'a b': exit 1"); /* named as typed */
	free(dump);

	app_key(&f->app, '|');
	app_key(&f->app, KEYC_RETURN);
	assert_int_equal(f->app.run.kind, RUN_NONE);
	assert_non_null(strstr(test_app_screen(f), "No command"));
}

static void test_pager_request(void **state)
{
	struct test_app *f = *state;
	setenv("PAGER", "less -R \"x y\"", 1);
	app_key(&f->app, 'o');
	assert_int_equal(f->app.run.kind, RUN_PAGER);
	assert_int_equal(f->app.run.argv.n, 3);
	assert_string_equal(f->app.run.argv.v[2], "x y");
	assert_true(f->app.run.input.n > 1000);
	app_run_done(&f->app, &(struct spawn_result){SPAWN_NOT_FOUND, 2, 0});
	assert_string_equal(f->app.message, "less: command not found");
	/* Without $PAGER: pager (Debian policy) when it is on $PATH, else less. */
	char dir[300], file[400], *path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	assert_true(test_scratch_dir(dir, sizeof dir, "pager"));
	unsetenv("PAGER");
	setenv("PATH", dir, 1);
	app_key(&f->app, 'o');
	assert_int_equal(f->app.run.argv.n, 1);
	assert_string_equal(f->app.run.argv.v[0], "less");
	snprintf(file, sizeof file, "%s/pager", dir);
	FILE *p = fopen(file, "w");
	assert_non_null(p);
	fclose(p);
	app_key(&f->app, 'o');
	assert_string_equal(f->app.run.argv.v[0], "less"); /* not executable */
	assert_int_equal(chmod(file, 0755), 0);
	setenv("PATH", "/nonexistent::", 1);
	app_key(&f->app, 'o');
	assert_string_equal(f->app.run.argv.v[0], "less");
	char both[800];
	snprintf(both, sizeof both, "/nonexistent:%s", dir);
	setenv("PATH", both, 1);
	app_key(&f->app, 'o');
	assert_string_equal(f->app.run.argv.v[0], "pager");
	if (path)
		setenv("PATH", path, 1);
	free(path);
	unlink(file);
	rmdir(dir);
}

static void test_copy_only_when_enabled(void **state)
{
	struct test_app *f = *state;
	struct strbuf want = {0};
	const struct article *a = f->c.articles.v[0];

	app_key(&f->app, 'y');
	assert_int_equal(f->app.run.kind, RUN_NONE);
	assert_non_null(strstr(f->app.message, "set osc52 = yes"));
	f->app.opts.osc52 = true;
	unsetenv("TMUX");
	unsetenv("STY");
	app_key(&f->app, 'y');
	assert_int_equal(f->app.run.kind, RUN_COPY);
	osc52_sequence(a->title.p, a->title.n, &want);
	assert_string_equal(sb_cstr(&f->app.run.input), sb_cstr(&want));
	app_run_done(&f->app, NULL);
	assert_int_equal(f->app.run.kind, RUN_NONE);
	assert_non_null(strstr(f->app.message, "copied"));
	/* Inside tmux: the same plain sequence (no passthrough), and the status line says
	 * the copy depends on tmux's set-clipboard. */
	setenv("TMUX", "/tmp/tmux-0/default,1,0", 1);
	app_key(&f->app, 'y');
	assert_string_equal(sb_cstr(&f->app.run.input), sb_cstr(&want));
	assert_null(strstr(sb_cstr(&f->app.run.input), "Ptmux"));
	app_run_done(&f->app, NULL);
	assert_non_null(strstr(f->app.message, "only if tmux's set-clipboard is on"));
	unsetenv("TMUX");
#ifdef HAVE_OPENCC
	/* In the Simplified view the Simplified headline is copied. */
	app_key(&f->app, 't');
	app_key(&f->app, 'y');
	sb_clear(&want);
	osc52_sequence("四川新闻丨做实社会治理 阆中下足绣花功夫",
		       strlen("四川新闻丨做实社会治理 阆中下足绣花功夫"), &want);
	assert_string_equal(sb_cstr(&f->app.run.input), sb_cstr(&want));
#endif
	sb_free(&want);
}

/* ---------------------------------------------------------------------------
 * Every sort and grouping against a plain comparison of whole strings, over strings
 * that share their first 16 bytes (what the sort keys hold) and more, empty ones, and
 * ones that are a prefix of others
 */

static const struct collection *ref_c;
static enum config_sort ref_sort;
static enum app_group ref_group;

/* Byte order, the empty string last. */
static int ref_cmp(struct str x, struct str y)
{
	if (!x.n || !y.n)
		return (x.n == 0) - (y.n == 0);
	size_t n = x.n < y.n ? x.n : y.n;
	for (size_t k = 0; k < n; k++)
		if (x.p[k] != y.p[k])
			return (unsigned char)x.p[k] < (unsigned char)y.p[k] ? -1 : 1;
	return (x.n > y.n) - (x.n < y.n);
}

static int ref_order(const void *pa, const void *pb)
{
	size_t i = *(const size_t *)pa, j = *(const size_t *)pb;
	const struct article *x = ref_c->articles.v[i], *y = ref_c->articles.v[j];
	int d = 0;
	if (ref_group == GROUP_SOURCE)
		d = ref_cmp(x->source, y->source);
	if (ref_group == GROUP_MONTH) { /* newest first, the undated last */
		struct str mx = {x->date.p, x->date.n >= 7 ? 7 : 0};
		struct str my = {y->date.p, y->date.n >= 7 ? 7 : 0};
		d = !mx.n || !my.n ? ref_cmp(mx, my) : ref_cmp(my, mx);
	}
	if (!d && ref_sort == SORT_TITLE)
		d = ref_cmp(x->title, y->title);
	if (!d && ref_sort == SORT_SOURCE)
		d = ref_cmp(x->source, y->source);
	if (!d && ref_sort == SORT_OLDEST)
		d = ref_cmp(x->date, y->date);
	return d ? d : (i > j) - (i < j);
}

/* Whether articles i and j are in one group (ref_group). */
static bool ref_same_group(size_t i, size_t j)
{
	const struct article *x = ref_c->articles.v[i], *y = ref_c->articles.v[j];
	if (ref_group == GROUP_SOURCE)
		return ref_cmp(x->source, y->source) == 0;
	if (ref_group == GROUP_MONTH)
		return (x->date.n >= 7) == (y->date.n >= 7) &&
		       (x->date.n < 7 || memcmp(x->date.p, y->date.p, 7) == 0);
	return true;
}

/* Every sort in every grouping of f's list against ref_order, the list showing only the
 * list positions i with shown[i] (NULL: all). */
static void assert_every_arrangement(struct test_app *f, const bool *shown)
{
	size_t n = f->c.articles.n, *want = malloc(n * sizeof *want);
	assert_non_null(want);
	ref_c = &f->c;
	for (int g = 0; g < GROUP_COUNT; g++)
		for (int so = 0; so < SORT_COUNT; so++) {
			app_set_sort(&f->app, (enum config_sort)so);
			app_set_group(&f->app, (enum app_group)g);
			ref_sort = (enum config_sort)so;
			ref_group = (enum app_group)g;
			size_t m = 0;
			for (size_t i = 0; i < n; i++)
				if (!shown || shown[i])
					want[m++] = i;
			qsort(want, m, sizeof *want, ref_order);
			size_t k = 0;
			bool header = false; /* the row before is a header */
			for (size_t r = 0; r < app_list_count(&f->app); r++) {
				if (app_list_is_header(&f->app, r)) {
					assert_false(header);
					header = true;
					continue;
				}
				assert_true(k < m);
				assert_int_equal(app_list_article(&f->app, r), want[k]);
				/* every article's row is where it is */
				assert_int_equal(app_list_row_of(&f->app, want[k]), r);
				/* a header before the first of each group, and only there */
				bool starts = g != GROUP_NONE &&
					      (k == 0 || !ref_same_group(want[k - 1], want[k]));
				assert_int_equal(header, starts);
				header = false;
				k++;
			}
			assert_int_equal(k, m);
		}
	app_set_sort(&f->app, SORT_DATE);
	app_set_group(&f->app, GROUP_NONE);
	free(want);
}

/* The same in the unread view (every third article read) and the bookmarks view (every
 * fifth bookmarked). */
static void assert_every_arrangement_in_views(struct test_app *f)
{
	size_t n = f->c.articles.n;
	bool *unread = calloc(n, sizeof *unread), *marked = calloc(n, sizeof *marked);
	struct marks m;

	assert_non_null(unread);
	assert_non_null(marked);
	assert_every_arrangement(f, NULL);
	marks_init(&m, NULL);
	for (size_t i = 0; i < n; i++) {
		struct content_id id;
		article_identity(f->c.articles.v[i], &id);
		marks_set(&m, &id, MARK_READ, i % 3 == 0);
		marks_set(&m, &id, MARK_BOOKMARK, i % 5 == 0);
	}
	app_marks_attach(&f->app, &m);
	marks_free(&m);
	for (size_t i = 0; i < n; i++) {
		unread[i] = !app_is_read(&f->app, i);
		marked[i] = app_is_bookmarked(&f->app, i);
		assert_true(unread[i] == (i % 3 != 0) && marked[i] == (i % 5 == 0));
	}
	app_key(&f->app, 'U');
	assert_true(f->app.unread.only);
	assert_every_arrangement(f, unread);
	app_key(&f->app, 'U');
	app_key(&f->app, '\'');
	assert_true(f->app.list.bookmarks_only);
	assert_every_arrangement(f, marked);
	app_key(&f->app, '\'');
	free(unread);
	free(marked);
}

static void test_sort_matches_whole_strings(void **state)
{
	static const char *const titles[] = {"四川新聞丨做實社會治理 閬中下足繡花功夫",
					     "四川新聞丨做實社會治理 閬中",
					     "四川新聞丨做實",
					     "四川",
					     "Alpha",
					     "Alpha story",
					     "Alpha story, the sequel of the first",
					     "Alpha story, the sequel of the second"};
	static const char *const sources[] = {"",
					      "人民日報",
					      "人民日報海外版專刊記者站",
					      "人民日報海外版專刊記者部",
					      "人民日報海外版",
					      "乙報"};
	struct test_app *f = test_app_new();
	unsigned seed = 12345;
	(void)state;

	for (int i = 0; i < 300; i++) {
		char id[16], text[512];
		seed = seed * 1103515245u + 12345u;
		unsigned r = seed >> 8;
		/* dated in one of 36 months, or (one in 13) undated */
		int n = r / 5 % 13 == 0
				? snprintf(text, sizeof text, "%s%s\n\nbody %d\n", titles[r % 8],
					   r % 3 ? "" : "x", i)
				: snprintf(text, sizeof text,
					   "%s%s\n\n2%03u-%02u-%02u %s\n\nbody %d\n", titles[r % 8],
					   r % 3 ? "" : "x", 19 + r / 8 % 3, 1 + r / 24 % 12,
					   1 + r / 288 % 28, sources[r / 7 % 6], i);
		snprintf(id, sizeof id, "%03d", i);
		assert_true(fmt_native_add_buffer(&f->c, id, id, text, (size_t)n));
	}
	/* the newest of all from the larger of two sources alike in their first 24 bytes,
	 * an older one from the smaller: first seen is not the order */
	static const char newest[] = "Newest\n\n2030-01-02 人民日報海外版專刊記者部乙\n\nbody\n";
	static const char older[] = "Older\n\n2030-01-01 人民日報海外版專刊記者站甲\n\nbody\n";
	assert_true(fmt_native_add_buffer(&f->c, "n", "n", newest, strlen(newest)));
	assert_true(fmt_native_add_buffer(&f->c, "o", "o", older, strlen(older)));
	collection_finish(&f->c);
	test_app_start(f, 30, 120);
	/* the orders made from the articles as they are asked for */
	assert_every_arrangement_in_views(f);
	assert_true(f->app.list.made[LISTORDER_TITLE] && f->app.list.made[LISTORDER_OLDEST]);
	test_app_free(f);
}

/* The orders a collection keeps (as its catalog gives them, listorder_make_all) sort as
 * the ones made when asked for, and none is made. */
static void test_sort_from_kept_orders(void **state)
{
	struct test_app *f = *state;
	size_t n = f->c.articles.n;
	uint32_t *words = malloc(LISTORDER_WORDS(n) * sizeof *words);

	assert_non_null(words);
	listorder_make_all(&f->c, words);
	assert_true(listorder_valid(words, n));
	f->c.orders = words;
	assert_every_arrangement_in_views(f);
	app_key(&f->app, 's');
	assert_string_equal(rows(f), "c b d a ");
	for (size_t k = 0; k < sizeof f->app.list.made / sizeof f->app.list.made[0]; k++)
		assert_null(f->app.list.made[k]);
	/* a kept order that is not one is refused by its reader: listorder_valid */
	uint32_t first = words[0];
	words[0] = words[1];
	assert_false(listorder_valid(words, n));
	words[0] = first;
	words[LISTORDER_WORDS(n) - 1] = (uint32_t)n;
	assert_false(listorder_valid(words, n));
	app_key(&f->app, 's');
	app_key(&f->app, 's');
	app_key(&f->app, 's'); /* back to the list's own order */
	f->c.orders = NULL;
	free(words);
}

/* The bookmarks view of a sorted or grouped list shows the bookmarks only, and keeps
 * doing so as one is removed. */
static void test_bookmarks_view_sorted(void **state)
{
	struct test_app *f = *state;
	app_key(&f->app, 's'); /* by title: c b d a */
	app_key(&f->app, 'g');
	app_key(&f->app, '*'); /* c */
	app_key(&f->app, 'j');
	app_key(&f->app, 'j');
	app_key(&f->app, '*'); /* d */
	app_key(&f->app, '\'');
	assert_string_equal(rows(f), "c d ");
	app_key(&f->app, 'S'); /* grouped by source in the view */
	assert_string_equal(rows(f), "=丙報 d =甲報 c ");
	app_key(&f->app, 'g');
	app_key(&f->app, '*'); /* d's bookmark removed: c left */
	assert_string_equal(rows(f), "=甲報 c ");
	assert_string_equal(selected(f), "c");
	app_key(&f->app, '\'');
	assert_string_equal(rows(f), "=丙報 d =乙報 b =甲報 c a ");
}

/* A title is one line wherever the reader shows it: a TAB or a line break in it (or in
 * the source, or in a headline citing it) is one space in the list, the pane and the
 * story map, as --list and --dump print it. */
static void test_title_one_line(void **state)
{
	(void)state;
	static const char a[] = "Tab\there\xe2\x80\xa8next\n\n2020-11-21 甲\t報\n\n"
				"body\tkept\n\n相關焦點\n\n  • Cited\there\n";
	static const char b[] = "Cited\there\n\n2020-11-20 乙報\n\nbody b\n";
	struct test_app *f = test_app_new();
	assert_true(fmt_native_add_buffer(&f->c, "a", "a", a, strlen(a)));
	assert_true(fmt_native_add_buffer(&f->c, "b", "b", b, strlen(b)));
	collection_finish(&f->c);
	test_app_start(f, 20, 100);
	const char *s = test_app_screen(f);
	assert_non_null(strstr(s, "Tab here next"));
	app_key(&f->app, KEYC_RETURN);
	s = test_app_screen(f);
	assert_non_null(strstr(s, "│ Tab here next"));
	assert_non_null(strstr(s, "│ 2020-11-21 · 甲 報"));
	assert_non_null(strstr(s, "[1] Cited here"));
	assert_non_null(strstr(s, "body    kept")); /* the body's TAB runs to its stop */
	app_key(&f->app, 'm');
	s = test_app_screen(f);
	assert_non_null(strstr(s, "│ 2020-11-21 Tab here next"));
	assert_non_null(strstr(s, "└─ 2020-11-20 Cited here"));
	test_app_free(f);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sort_cycles, setup, test_app_teardown),
		cmocka_unit_test(test_sort_matches_whole_strings),
		cmocka_unit_test_setup_teardown(test_sort_from_kept_orders, setup,
						test_app_teardown),
		cmocka_unit_test_setup_teardown(test_bookmarks_view_sorted, setup,
						test_app_teardown),
		cmocka_unit_test_setup_teardown(test_sort_later, setup, test_app_teardown),
		cmocka_unit_test_setup_teardown(test_group_headers_and_moves, setup,
						test_app_teardown),
		cmocka_unit_test_setup_teardown(test_filter_then_sort, setup, test_app_teardown),
		cmocka_unit_test_setup_teardown(test_jump_to_date, setup, test_app_teardown),
		TEST_APP_SEED(test_script_toggle_on_seed),
		TEST_APP_SEED(test_pipe_request),
		TEST_APP_SEED(test_pager_request),
		TEST_APP_SEED(test_copy_only_when_enabled),
		cmocka_unit_test(test_title_one_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
