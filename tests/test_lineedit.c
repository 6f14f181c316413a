/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_lineedit.c: the prompts' line editor, their history file, file name completion
 * and URLs found in text: the pure parts of the reader's prompts, without curses. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistr.h>

#include "lineedit.h"
#include "pathcomplete.h"
#include "prompthist.h"
#include "testutil.h"
#include "urls.h"

static const struct lineedit_lines none = {NULL, 0};

/* Type a UTF-8 string at the cursor. */
static void type(struct lineedit *e, struct strbuf *t, const char *s)
{
	while (*s) {
		ucs4_t uc;
		int n = u8_strmbtouc(&uc, (const uint8_t *)s);
		assert_true(n > 0);
		lineedit_insert(e, t, uc, 1024);
		s += n;
	}
}

static void op(struct lineedit *e, struct strbuf *t, enum edit_action a)
{
	lineedit_apply(e, t, a, none);
}

static void test_cursor_moves_and_inserts(void **state)
{
	(void)state;
	struct lineedit e = {0};
	struct strbuf t = {0};

	lineedit_reset(&e, NULL);
	type(&e, &t, "社區abc");
	assert_string_equal(sb_cstr(&t), "社區abc");
	assert_int_equal(e.cursor, strlen("社區abc"));
	op(&e, &t, EDIT_LEFT);
	op(&e, &t, EDIT_LEFT);
	op(&e, &t, EDIT_LEFT);
	op(&e, &t, EDIT_LEFT); /* over 區: one step, three bytes */
	assert_int_equal(e.cursor, 3);
	type(&e, &t, "x");
	assert_string_equal(sb_cstr(&t), "社x區abc");
	op(&e, &t, EDIT_HOME);
	assert_int_equal(e.cursor, 0);
	type(&e, &t, "/");
	assert_string_equal(sb_cstr(&t), "/社x區abc");
	op(&e, &t, EDIT_END);
	assert_int_equal(e.cursor, t.n);
	op(&e, &t, EDIT_RIGHT); /* at the end: stays */
	assert_int_equal(e.cursor, t.n);
	op(&e, &t, EDIT_HOME);
	op(&e, &t, EDIT_LEFT); /* at the start: stays */
	assert_int_equal(e.cursor, 0);
	op(&e, &t, EDIT_RIGHT);
	op(&e, &t, EDIT_RIGHT);
	assert_int_equal(e.cursor, 1 + 3);
	/* Control characters are never typed in. */
	assert_false(lineedit_insert(&e, &t, 0x1b, 1024));
	assert_false(lineedit_insert(&e, &t, 0x85, 1024));
	assert_false(lineedit_insert(&e, &t, '\n', 1024));
	/* The bound in bytes. */
	assert_false(lineedit_insert(&e, &t, 0x4e2d, t.n + 2));
	assert_true(lineedit_insert(&e, &t, 'y', t.n + 1));
	sb_free(&t);
	lineedit_free(&e);
}

static void test_erasing(void **state)
{
	(void)state;
	struct lineedit e = {0};
	struct strbuf t = {0};

	type(&e, &t, "grep 社區 | wc -l");
	op(&e, &t, EDIT_ERASE_WORD);
	assert_string_equal(sb_cstr(&t), "grep 社區 | wc ");
	op(&e, &t, EDIT_ERASE_WORD);
	assert_string_equal(sb_cstr(&t), "grep 社區 | ");
	op(&e, &t, EDIT_ERASE_WORD);
	op(&e, &t, EDIT_ERASE); /* the blank */
	op(&e, &t, EDIT_ERASE); /* 區, a wide character, at once */
	assert_string_equal(sb_cstr(&t), "grep 社");
	/* A base with a combining mark is one character to erase and to step over. */
	sb_clear(&t);
	lineedit_reset(&e, NULL);
	type(&e, &t, "ae\xcc\x81");
	op(&e, &t, EDIT_LEFT);
	assert_int_equal(e.cursor, 1);
	op(&e, &t, EDIT_END);
	op(&e, &t, EDIT_ERASE);
	assert_string_equal(sb_cstr(&t), "a");
	/* Ctrl-U erases before the cursor, Ctrl-K after it, Ctrl-D under it. */
	sb_clear(&t);
	lineedit_reset(&e, NULL);
	type(&e, &t, "閬中下足繡花功夫");
	for (int i = 0; i < 4; i++)
		op(&e, &t, EDIT_LEFT);
	op(&e, &t, EDIT_DELETE);
	assert_string_equal(sb_cstr(&t), "閬中下足花功夫");
	op(&e, &t, EDIT_KILL);
	assert_string_equal(sb_cstr(&t), "花功夫");
	assert_int_equal(e.cursor, 0);
	op(&e, &t, EDIT_RIGHT);
	op(&e, &t, EDIT_KILL_END);
	assert_string_equal(sb_cstr(&t), "花");
	/* Erasing at the start, or deleting at the end, changes nothing. */
	op(&e, &t, EDIT_END);
	assert_false(lineedit_apply(&e, &t, EDIT_DELETE, none));
	op(&e, &t, EDIT_HOME);
	assert_false(lineedit_apply(&e, &t, EDIT_ERASE, none));
	/* The caller may clear the text: the cursor stays inside it. */
	sb_clear(&t);
	assert_false(lineedit_apply(&e, &t, EDIT_ERASE, none));
	type(&e, &t, "z");
	assert_string_equal(sb_cstr(&t), "z");
	sb_free(&t);
	lineedit_free(&e);
}

static void test_history_browsing(void **state)
{
	(void)state;
	static char first[] = "first", second[] = "second", third[] = "社區";
	char *lines[] = {first, second, third};
	struct lineedit_lines h = {lines, 3};
	struct lineedit e = {0};
	struct strbuf t = {0};

	type(&e, &t, "draft");
	assert_true(lineedit_apply(&e, &t, EDIT_HISTORY_PREV, h));
	assert_string_equal(sb_cstr(&t), "社區");
	assert_int_equal(e.cursor, t.n);
	lineedit_apply(&e, &t, EDIT_HISTORY_PREV, h);
	lineedit_apply(&e, &t, EDIT_HISTORY_PREV, h);
	assert_string_equal(sb_cstr(&t), "first");
	assert_false(lineedit_apply(&e, &t, EDIT_HISTORY_PREV, h)); /* the oldest */
	assert_string_equal(sb_cstr(&t), "first");
	lineedit_apply(&e, &t, EDIT_HISTORY_NEXT, h);
	assert_string_equal(sb_cstr(&t), "second");
	lineedit_apply(&e, &t, EDIT_HISTORY_NEXT, h);
	lineedit_apply(&e, &t, EDIT_HISTORY_NEXT, h);
	assert_string_equal(sb_cstr(&t), "draft"); /* back to what was being typed */
	assert_false(lineedit_apply(&e, &t, EDIT_HISTORY_NEXT, h));
	/* Editing a line of the history makes it the line typed. */
	lineedit_apply(&e, &t, EDIT_HISTORY_PREV, h);
	type(&e, &t, "!");
	assert_int_equal(e.browse, 0);
	lineedit_apply(&e, &t, EDIT_HISTORY_PREV, h);
	lineedit_apply(&e, &t, EDIT_HISTORY_NEXT, h);
	assert_string_equal(sb_cstr(&t), "社區!");
	/* No history: Up does nothing. */
	assert_false(lineedit_apply(&e, &t, EDIT_HISTORY_PREV, none));
	sb_free(&t);
	lineedit_free(&e);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	static char buf[1 << 16];
	size_t n;
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void write_file(const char *path, const char *text, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	fclose(f);
}

static void test_history_file(void **state)
{
	(void)state;
	char dir[400], path[500];
	struct prompthist h, other;

	assert_true(test_scratch_dir(dir, sizeof dir, "hist"));
	snprintf(path, sizeof path, "%s/history", dir);
	/* A FIFO in its place is refused at once (open would wait for a writer). */
	assert_int_equal(mkfifo(path, 0600), 0);
	alarm(20);
	prompthist_init(&h, dir);
	assert_false(prompthist_load(&h));
	alarm(0);
	prompthist_free(&h);
	assert_int_equal(unlink(path), 0);
	prompthist_init(&h, dir);
	assert_true(prompthist_load(&h)); /* none yet: no problem */
	prompthist_add(&h, HIST_SEARCH, "社區", strlen("社區"));
	prompthist_add(&h, HIST_PIPE, "grep 社區 | wc -l", strlen("grep 社區 | wc -l"));
	prompthist_add(&h, HIST_SEARCH, "閬中", strlen("閬中"));
	prompthist_add(&h, HIST_SEARCH, "社區", strlen("社區")); /* again: now the newest */
	prompthist_add(&h, HIST_SEARCH, "   ", 3);		 /* blank: not kept */
	prompthist_add(&h, HIST_SEARCH, "a\x1b[2Jb", 6);	 /* a control: not kept */
	assert_string_equal(prompthist_last(&h, HIST_SEARCH), "社區");
	assert_int_equal(prompthist_lines(&h, HIST_SEARCH).n, 2);
	assert_true(prompthist_save(&h));
	assert_string_equal(read_all(path), "xinwen-history 1\nsearch 閬中\nsearch 社區\n"
					    "pipe grep 社區 | wc -l\n");
	/* Another reader saves its line in between: both are kept. */
	prompthist_init(&other, dir);
	assert_true(prompthist_load(&other));
	prompthist_add(&other, HIST_DATE, "2020-11", 7);
	assert_true(prompthist_save(&other));
	prompthist_add(&h, HIST_SAVE, "~/a.txt", 7);
	assert_true(prompthist_save(&h));
	assert_string_equal(read_all(path), "xinwen-history 1\nsearch 閬中\nsearch 社區\n"
					    "pipe grep 社區 | wc -l\ndate 2020-11\nsave ~/a.txt\n");
	prompthist_free(&other);
	prompthist_free(&h);

	/* An untrusted file: bad lines are skipped and counted, the good ones kept. */
	static const char bad[] = "xinwen-history 1\nsearch ok\nnope x\nsearch a\x1b]0;x\x07\n"
				  "search \xff\xfe\npipe \n\0\nsearch fine\n";
	write_file(path, bad, sizeof bad - 1);
	prompthist_init(&h, dir);
	assert_false(prompthist_load(&h));
	assert_non_null(strstr(h.problem, "5 bad lines skipped"));
	assert_int_equal(prompthist_lines(&h, HIST_SEARCH).n, 2);
	assert_string_equal(prompthist_last(&h, HIST_SEARCH), "fine");
	prompthist_free(&h);
	/* Not a history file at all: nothing taken; a save replaces it. */
	write_file(path, "search x\n", 9);
	prompthist_init(&h, dir);
	assert_false(prompthist_load(&h));
	assert_null(prompthist_last(&h, HIST_SEARCH));
	prompthist_add(&h, HIST_SEARCH, "y", 1);
	assert_true(prompthist_save(&h));
	assert_string_equal(read_all(path), "xinwen-history 1\nsearch y\n");
	prompthist_free(&h);
	/* Bounded: the oldest lines go; a huge file is read up to its bound only. */
	prompthist_init(&h, dir);
	for (int i = 0; i < PROMPTHIST_MAX + 20; i++) {
		char line[16];
		snprintf(line, sizeof line, "q%d", i);
		prompthist_add(&h, HIST_SEARCH, line, strlen(line));
	}
	assert_int_equal(prompthist_lines(&h, HIST_SEARCH).n, PROMPTHIST_MAX);
	assert_string_equal(prompthist_lines(&h, HIST_SEARCH).v[0], "q20");
	char *long_line = malloc(PROMPTHIST_LINE + 2);
	memset(long_line, 'x', PROMPTHIST_LINE + 1);
	prompthist_add(&h, HIST_SEARCH, long_line, PROMPTHIST_LINE + 1);
	assert_string_equal(prompthist_last(&h, HIST_SEARCH), "q219"); /* too long: not kept */
	free(long_line);
	prompthist_free(&h);
	unlink(path);
	rmdir(dir);
}

static void test_path_completion(void **state)
{
	(void)state;
	char dir[400], p[600];
	struct strbuf add = {0}, choices = {0};

	assert_true(test_scratch_dir(dir, sizeof dir, "complete"));
	snprintf(p, sizeof p, "%s/社區新聞.txt", dir);
	write_file(p, "", 0);
	snprintf(p, sizeof p, "%s/社區報告.txt", dir);
	write_file(p, "", 0);
	snprintf(p, sizeof p, "%s/saved", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof p, "%s/.hidden", dir);
	write_file(p, "", 0);

	snprintf(p, sizeof p, "%s/社", dir);
	assert_int_equal(path_complete(p, strlen(p), &add, &choices, 10), 2);
	assert_string_equal(sb_cstr(&add), "區"); /* what both share */
	assert_non_null(strstr(sb_cstr(&choices), "社區新聞.txt"));
	sb_clear(&add);
	sb_clear(&choices);
	snprintf(p, sizeof p, "%s/sa", dir);
	assert_int_equal(path_complete(p, strlen(p), &add, &choices, 10), 1);
	assert_string_equal(sb_cstr(&add), "ved/"); /* a directory: its slash */
	sb_clear(&add);
	snprintf(p, sizeof p, "%s/", dir);
	assert_int_equal(path_complete(p, strlen(p), &add, &choices, 10), 3); /* not .hidden */
	sb_clear(&add);
	sb_clear(&choices);
	snprintf(p, sizeof p, "%s/.h", dir);
	assert_int_equal(path_complete(p, strlen(p), &add, &choices, 10), 1);
	assert_string_equal(sb_cstr(&add), "idden");
	sb_clear(&add);
	snprintf(p, sizeof p, "%s/zz", dir);
	assert_int_equal(path_complete(p, strlen(p), &add, &choices, 10), 0);
	assert_int_equal(add.n, 0);

	/* ~ is the home directory, as a shell expands it. */
	setenv("HOME", dir, 1);
	char *x = path_expand("~/a.txt", 7);
	snprintf(p, sizeof p, "%s/a.txt", dir);
	assert_string_equal(x, p);
	free(x);
	x = path_expand("~", 1);
	assert_string_equal(x, dir);
	free(x);
	x = path_expand("a~/b", 4);
	assert_string_equal(x, "a~/b");
	free(x);
	x = path_expand("~no-such-user-xinwen/a", 22);
	assert_string_equal(x, "~no-such-user-xinwen/a");
	free(x);
	sb_clear(&add);
	assert_int_equal(path_complete("~/sa", 4, &add, &choices, 10), 1);
	assert_string_equal(sb_cstr(&add), "ved/");
	sb_free(&add);
	sb_free(&choices);
	char cmd[500];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* The URLs urls_find finds in text, one per line. */
static const char *found(const char *text)
{
	static struct strbuf out;
	url_spans s = {0};

	sb_clear(&out);
	urls_find(text, strlen(text), &s);
	for (size_t i = 0; i < s.n; i++) {
		sb_append(&out, text + s.v[i].start, s.v[i].n);
		sb_putc(&out, '\n');
	}
	free(s.v);
	return sb_cstr(&out);
}

static void test_urls_in_text(void **state)
{
	(void)state;
	assert_string_equal(found("詳見https://news.example.cn/a/1.html。下一段"),
			    "https://news.example.cn/a/1.html\n");
	assert_string_equal(found("See http://a.example/x?y=1&z=2, then (ftp://f.example/p)."),
			    "http://a.example/x?y=1&z=2\nftp://f.example/p\n");
	assert_string_equal(found("wiki https://en.wikipedia.org/wiki/Foo_(bar) ok"),
			    "https://en.wikipedia.org/wiki/Foo_(bar)\n");
	assert_string_equal(found("<a href=\"https://q.example/\">"), "https://q.example/\n");
	assert_string_equal(found("no http:// alone, nor xhttp://b.example"), "");
	assert_string_equal(found("HTTPS://UP.EXAMPLE/"), "HTTPS://UP.EXAMPLE/\n");
	/* www. addresses without a scheme, also glued to CJK text; not inside a word, a
	 * host or another address, and not without a second dot. */
	assert_string_equal(found("登錄www.gov.cn查詢，或見 WWW.Example.com/a?b=1."),
			    "www.gov.cn\nWWW.Example.com/a?b=1\n");
	assert_string_equal(found("http://www.a.example/x and aww.b.example, x.www.c.example"),
			    "http://www.a.example/x\n");
	assert_string_equal(found("www.example alone, www..example.cn, www.-x.cn"), "");
	struct strbuf u = {0};
	url_of_text("www.gov.cn", 10, &u);
	assert_string_equal(sb_cstr(&u), "http://www.gov.cn");
	sb_clear(&u);
	url_of_text("https://a.example/", 18, &u);
	assert_string_equal(sb_cstr(&u), "https://a.example/");
	sb_free(&u);
}

static void test_url_sanitize(void **state)
{
	(void)state;
	struct strbuf out = {0};

	assert_true(url_sanitize("https://a.example/社區?q=\"x\"",
				 strlen("https://a.example/社區?q=\"x\""), &out));
	assert_string_equal(sb_cstr(&out), "https://a.example/%E7%A4%BE%E5%8D%80?q=%22x%22");
	sb_clear(&out);
	assert_false(url_sanitize("javascript:alert(1)", 19, &out));
	assert_false(url_sanitize("file:///etc/passwd", 18, &out));
	assert_false(url_sanitize("-https://a.example", 18, &out));
	assert_false(url_sanitize("https://a.example/a b", 21, &out));
	assert_false(url_sanitize("https://a.example/\x1b]52;c;x\x07", 25, &out));
	assert_false(url_sanitize("https://", 8, &out));
	assert_false(url_sanitize("https:///x", 10, &out));
	assert_true(url_sanitize("http://a.example/|`{}", 21, &out));
	assert_string_equal(sb_cstr(&out), "http://a.example/%7C%60%7B%7D");
	sb_free(&out);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cursor_moves_and_inserts),
		cmocka_unit_test(test_erasing),
		cmocka_unit_test(test_history_browsing),
		cmocka_unit_test(test_history_file),
		cmocka_unit_test(test_path_completion),
		cmocka_unit_test(test_urls_in_text),
		cmocka_unit_test(test_url_sanitize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
