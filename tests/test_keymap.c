/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_keymap.c: the binding table, key names, and the help text and man page made from it. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "strbuf.h"
#include "xalloc.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* The defaults as the manual promises them, in table order. */
static const struct binding expected_bindings[] = {
	{'j', ACTION_DOWN, 0, WHERE_ANY},
	{KEYC_DOWN, ACTION_DOWN, 0, WHERE_ANY},
	{'k', ACTION_UP, 0, WHERE_ANY},
	{KEYC_UP, ACTION_UP, 0, WHERE_ANY},
	{' ', ACTION_PAGE_DOWN, 0, WHERE_ANY},
	{KEYC_PGDN, ACTION_PAGE_DOWN, 0, WHERE_ANY},
	{0x06, ACTION_PAGE_DOWN, 0, WHERE_ANY},
	{'b', ACTION_PAGE_UP, 0, WHERE_ANY},
	{KEYC_PGUP, ACTION_PAGE_UP, 0, WHERE_ANY},
	{0x02, ACTION_PAGE_UP, 0, WHERE_ANY},
	{0x04, ACTION_HALF_DOWN, 0, WHERE_ANY},
	{0x15, ACTION_HALF_UP, 0, WHERE_ANY},
	{'g', ACTION_TOP, 0, WHERE_ANY},
	{KEYC_HOME, ACTION_TOP, 0, WHERE_ANY},
	{'G', ACTION_BOTTOM, 0, WHERE_ANY},
	{KEYC_END, ACTION_BOTTOM, 0, WHERE_ANY},
	{KEYC_RETURN, ACTION_OPEN, 0, WHERE_ANY},
	{'J', ACTION_NEXT_ARTICLE, 0, WHERE_ANY},
	{'K', ACTION_PREV_ARTICLE, 0, WHERE_ANY},
	{'.', ACTION_NEXT_UNREAD, 0, WHERE_ANY},
	{',', ACTION_PREV_UNREAD, 0, WHERE_ANY},
	{KEYC_TAB, ACTION_NEXT_LINK, 0, WHERE_ANY},
	{KEYC_BTAB, ACTION_PREV_LINK, 0, WHERE_ANY},
	{'1', ACTION_FOLLOW_N, 1, WHERE_ANY},
	{'2', ACTION_FOLLOW_N, 2, WHERE_ANY},
	{'3', ACTION_FOLLOW_N, 3, WHERE_ANY},
	{'4', ACTION_FOLLOW_N, 4, WHERE_ANY},
	{'5', ACTION_FOLLOW_N, 5, WHERE_ANY},
	{'6', ACTION_FOLLOW_N, 6, WHERE_ANY},
	{'7', ACTION_FOLLOW_N, 7, WHERE_ANY},
	{'8', ACTION_FOLLOW_N, 8, WHERE_ANY},
	{'9', ACTION_FOLLOW_N, 9, WHERE_ANY},
	{KEYC_BSPACE, ACTION_BACK, 0, WHERE_ANY},
	{'h', ACTION_BACK, 0, WHERE_ANY},
	{KEYC_LEFT, ACTION_BACK, 0, WHERE_ANY},
	{'l', ACTION_FORWARD, 0, WHERE_ANY},
	{KEYC_RIGHT, ACTION_FORWARD, 0, WHERE_ANY},
	{'/', ACTION_SEARCH, 0, WHERE_ANY},
	{'?', ACTION_SEARCH_BACK, 0, WHERE_PANE},
	{'n', ACTION_SEARCH_NEXT, 0, WHERE_ANY},
	{'N', ACTION_SEARCH_PREV, 0, WHERE_ANY},
	{KEYC_ESC, ACTION_CLEAR, 0, WHERE_ANY},
	{'f', ACTION_FULLSCREEN, 0, WHERE_ANY},
	{'i', ACTION_HELP, 0, WHERE_ANY},
	{'?', ACTION_HELP, 0, WHERE_LIST},
	{KEYC_F1, ACTION_HELP, 0, WHERE_ANY},
	{KEYC_CTRL_L, ACTION_REDRAW, 0, WHERE_ANY},
	{0x0c, ACTION_REDRAW, 0, WHERE_ANY},
	{'m', ACTION_MAP, 0, WHERE_ANY},
	{'H', ACTION_HISTORY, 0, WHERE_ANY},
	{'u', ACTION_TOGGLE_READ, 0, WHERE_ANY},
	{'A', ACTION_MARK_ALL_READ, 0, WHERE_ANY},
	{'*', ACTION_TOGGLE_BOOKMARK, 0, WHERE_ANY},
	{'\'', ACTION_BOOKMARKS, 0, WHERE_ANY},
	{'U', ACTION_UNREAD, 0, WHERE_ANY},
	{'t', ACTION_SCRIPT, 0, WHERE_ANY},
	{'|', ACTION_PIPE, 0, WHERE_ANY},
	{'w', ACTION_SAVE, 0, WHERE_ANY},
	{'W', ACTION_SAVE_SOURCE, 0, WHERE_ANY},
	{'o', ACTION_PAGER, 0, WHERE_ANY},
	{'O', ACTION_BROWSER, 0, WHERE_ANY},
	{'L', ACTION_URLS, 0, WHERE_ANY},
	{'R', ACTION_RELOAD, 0, WHERE_ANY},
	{'y', ACTION_COPY, 0, WHERE_ANY},
	{'s', ACTION_SORT, 0, WHERE_ANY},
	{'S', ACTION_GROUP, 0, WHERE_ANY},
	{'D', ACTION_JUMP_DATE, 0, WHERE_ANY},
	{'q', ACTION_QUIT, 0, WHERE_ANY},
	{'Q', ACTION_QUIT_NOW, 0, WHERE_ANY},
};

static size_t binding_count(void)
{
	size_t n = 0;

	while (keymap_bindings[n].action != ACTION_NONE)
		n++;
	return n;
}

static char *keys_text(enum action a)
{
	struct strbuf b = {0};

	keymap_keys_text(a, &b);
	return b.s ? b.s : xstrdup("");
}

static void test_table_is_the_documented_defaults(void **state)
{
	(void)state;

	assert_int_equal(binding_count(), ARRAY_LEN(expected_bindings));
	for (size_t i = 0; i < ARRAY_LEN(expected_bindings); i++) {
		assert_int_equal(keymap_bindings[i].key, expected_bindings[i].key);
		assert_int_equal(keymap_bindings[i].action, expected_bindings[i].action);
		assert_int_equal(keymap_bindings[i].arg, expected_bindings[i].arg);
		assert_int_equal(keymap_bindings[i].where, expected_bindings[i].where);
	}
}

static void test_every_action_bound_and_described(void **state)
{
	(void)state;

	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		size_t bound = 0;
		for (const struct binding *b = keymap_bindings; b->action != ACTION_NONE; b++)
			bound += b->action == (enum action)a;
		assert_true(bound > 0);
		assert_non_null(keymap_description(a));
		assert_true(strlen(keymap_description(a)) > 0);
	}
	assert_string_equal(keymap_description(ACTION_NONE), "");
	assert_string_equal(keymap_description(ACTION_COUNT), "");
}

/* A key is bound at most once for each focus: twice only as list-only and pane-only. */
static void test_no_key_bound_twice(void **state)
{
	(void)state;
	size_t n = binding_count();

	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n; j++) {
			const struct binding *x = &keymap_bindings[i], *y = &keymap_bindings[j];
			if (x->key != y->key)
				continue;
			assert_int_not_equal(x->where, WHERE_ANY);
			assert_int_not_equal(y->where, WHERE_ANY);
			assert_int_not_equal(x->where, y->where);
		}
	}
}

static void test_lookup(void **state)
{
	(void)state;
	static const int unbound[] = {KEYC_NONE, 'x', '0', 0x1b, 0x7f, -1, KEYC_SPECIAL};

	for (size_t i = 0; i < ARRAY_LEN(expected_bindings); i++) {
		enum key_where where = expected_bindings[i].where;
		const struct binding *b = keymap_lookup(expected_bindings[i].key,
							where == WHERE_ANY ? WHERE_LIST : where);
		assert_non_null(b);
		assert_int_equal(b->key, expected_bindings[i].key);
		assert_int_equal(b->action, expected_bindings[i].action);
		assert_int_equal(b->arg, expected_bindings[i].arg);
		if (where == WHERE_ANY)
			assert_ptr_equal(keymap_lookup(b->key, WHERE_PANE), b);
	}
	/* ? is help from the list and a backward search in the pane, as in less. */
	assert_int_equal(keymap_lookup('?', WHERE_LIST)->action, ACTION_HELP);
	assert_int_equal(keymap_lookup('?', WHERE_PANE)->action, ACTION_SEARCH_BACK);
	for (size_t i = 0; i < ARRAY_LEN(unbound); i++) {
		assert_null(keymap_lookup(unbound[i], WHERE_LIST));
		assert_null(keymap_lookup(unbound[i], WHERE_PANE));
	}
	assert_int_equal(keymap_prompt_lookup(KEYC_RETURN), EDIT_ACCEPT);
	assert_int_equal(keymap_prompt_lookup(KEYC_ESC), EDIT_CANCEL);
	assert_int_equal(keymap_prompt_lookup(0x12), EDIT_TOGGLE_REGEX);
	assert_int_equal(keymap_prompt_lookup('a'), EDIT_NONE);
}

static void test_key_names(void **state)
{
	(void)state;
	static const struct {
		int key;
		const char *name;
	} cases[] = {
		{'j', "j"},
		{'G', "G"},
		{'?', "?"},
		{'1', "1"},
		{'-', "-"},
		{'\\', "\\"},
		{'~', "~"},
		{' ', "Space"},
		{KEYC_UP, "Up"},
		{KEYC_DOWN, "Down"},
		{KEYC_LEFT, "Left"},
		{KEYC_RIGHT, "Right"},
		{KEYC_PGUP, "PgUp"},
		{KEYC_PGDN, "PgDn"},
		{KEYC_HOME, "Home"},
		{KEYC_END, "End"},
		{KEYC_RETURN, "Enter"},
		{KEYC_BSPACE, "Backspace"},
		{KEYC_TAB, "Tab"},
		{KEYC_BTAB, "Shift-Tab"},
		{KEYC_ESC, "Esc"},
		{0x1b, "Esc"},
		{KEYC_CTRL_L, "Ctrl-L"},
		{0x01, "Ctrl-A"},
		{0x02, "Ctrl-B"},
		{0x06, "Ctrl-F"},
		{0x0c, "Ctrl-L"},
		{0x1a, "Ctrl-Z"},
		{0x4e2d, "U+4E2D"},
		{0x10ffff, "U+10FFFF"},
		{0x7f, "Key-0x7F"},
		{0x85, "Key-0x85"},
		{KEYC_NONE, "Key-0x0"},
		{-1, "Key-0xFFFFFFFF"},
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char buf[16];
		assert_string_equal(keymap_key_name(cases[i].key, buf), cases[i].name);
	}
}

static void test_keys_text(void **state)
{
	(void)state;
	static const struct {
		enum action action;
		const char *keys;
	} cases[] = {
		{ACTION_DOWN, "j, Down"},
		{ACTION_PAGE_DOWN, "Space, PgDn, Ctrl-F"},
		{ACTION_PAGE_UP, "b, PgUp, Ctrl-B"},
		{ACTION_OPEN, "Enter"},
		{ACTION_PREV_LINK, "Shift-Tab"},
		{ACTION_FOLLOW_N, "1-9"},
		{ACTION_BACK, "Backspace, h, Left"},
		{ACTION_REDRAW, "Ctrl-L"}, /* KEYC_CTRL_L and 0x0c are one keystroke */
		{ACTION_QUIT_NOW, "Q"},
		{ACTION_NONE, ""},
	};

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		char *keys = keys_text(cases[i].action);
		assert_string_equal(keys, cases[i].keys);
		free(keys);
	}
}

static void test_keys_text_appends(void **state)
{
	(void)state;
	struct strbuf b = {0};

	sb_puts(&b, "keys: ");
	keymap_keys_text(ACTION_UP, &b);
	assert_string_equal(sb_cstr(&b), "keys: k, Up");
	sb_free(&b);
}

/* The next line of text at *p (without its newline) copied into a new string. */
static char *next_line(const char **p)
{
	const char *nl = strchr(*p, '\n');
	size_t n = nl ? (size_t)(nl - *p) : strlen(*p);
	char *line = xstrndup(*p, n);

	*p += nl ? n + 1 : n;
	return line;
}

static void test_help_text(void **state)
{
	(void)state;
	struct strbuf help = {0};
	const char *p;
	size_t lines = 0, desc_column = 0;

	keymap_help_text(&help);
	p = sb_cstr(&help);
	assert_true(help.n > 0 && help.s[help.n - 1] == '\n');
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		char *line = next_line(&p), *keys = keys_text(a);
		const char *desc = keymap_description(a);
		size_t len = strlen(line), dlen = strlen(desc);

		/* "  KEYS<padding>  DESCRIPTION", the descriptions in one column. */
		assert_memory_equal(line, "  ", 2);
		assert_memory_equal(line + 2, keys, strlen(keys));
		assert_true(len > dlen);
		assert_string_equal(line + len - dlen, desc);
		if (a == ACTION_NONE + 1)
			desc_column = len - dlen;
		assert_int_equal(len - dlen, desc_column);
		for (size_t i = 2 + strlen(keys); i < desc_column; i++)
			assert_int_equal(line[i], ' ');
		assert_true(desc_column >= 2 + strlen(keys) + 2);
		free(keys);
		free(line);
		lines++;
	}
	assert_int_equal(lines, ACTION_COUNT - 1);
	/* Then the prompt's keys, under a heading, in the same column. */
	char *blank = next_line(&p), *heading = next_line(&p);
	assert_string_equal(blank, "");
	assert_string_equal(heading, "In a prompt (/, ?, |, D, w):");
	free(blank);
	free(heading);
	static const int prompt_keys[] = {KEYC_RETURN, KEYC_ESC, KEYC_LEFT,   KEYC_RIGHT,
					  KEYC_HOME,   KEYC_END, KEYC_BSPACE, 0x04,
					  0x17,	       0x15,	 0x0b,	      KEYC_UP,
					  KEYC_DOWN,   KEYC_TAB, 0x12};
	for (size_t i = 0; i < ARRAY_LEN(prompt_keys); i++) {
		char buf[16], *line = next_line(&p);
		const char *name = keymap_key_name(prompt_keys[i], buf);
		assert_int_not_equal(keymap_prompt_lookup(prompt_keys[i]), EDIT_NONE);
		assert_memory_equal(line, "  ", 2);
		assert_memory_equal(line + 2, name, strlen(name));
		assert_true(strlen(line) > desc_column && line[desc_column] != ' ');
		assert_int_equal(line[desc_column - 1], ' ');
		free(line);
	}
	assert_int_equal(*p, '\0');
	/* The widest keys text decides the column: "Space, PgDn, Ctrl-F" is 19 bytes. */
	assert_int_equal(desc_column, 2 + 19 + 2);
	sb_free(&help);
}

/* Undo the roff escapes keymap_help_roff uses; fails on any other escape. */
static char *roff_unescape(const char *s)
{
	static const struct {
		const char *esc, *text;
	} escapes[] = {
		{"\\-", "-"},
		{"\\(rs", "\\"},
		{"\\(dq", "\""},
		{"\\&", ""},
	};
	struct strbuf b = {0};

	while (*s) {
		size_t i;
		if (*s != '\\') {
			sb_putc(&b, *s++);
			continue;
		}
		for (i = 0; i < ARRAY_LEN(escapes); i++) {
			if (!strncmp(s, escapes[i].esc, strlen(escapes[i].esc)))
				break;
		}
		assert_true(i < ARRAY_LEN(escapes));
		sb_puts(&b, escapes[i].text);
		s += strlen(escapes[i].esc);
	}
	return b.s ? b.s : xstrdup("");
}

/* Every '-' in s is escaped as "\-". */
static bool hyphens_escaped(const char *s)
{
	for (const char *h = strchr(s, '-'); h; h = strchr(h + 1, '-')) {
		if (h == s || h[-1] != '\\')
			return false;
	}
	return true;
}

static void test_help_roff(void **state)
{
	(void)state;
	struct strbuf roff = {0};
	const char *p;

	keymap_help_roff(&roff);
	p = sb_cstr(&roff);
	assert_true(roff.n > 0 && roff.s[roff.n - 1] == '\n');

	/* Per action exactly: .TP, then .B "KEYS", then the description as a text line. */
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		char *tp = next_line(&p), *b = next_line(&p), *desc = next_line(&p);
		char *keys = keys_text(a), *text;
		size_t blen = strlen(b);

		assert_string_equal(tp, ".TP");

		assert_true(blen >= 5);
		assert_memory_equal(b, ".B \"", 4);
		assert_int_equal(b[blen - 1], '"');
		b[blen - 1] = '\0';
		assert_null(strchr(b + 4, '"'));
		assert_true(hyphens_escaped(b + 4));
		text = roff_unescape(b + 4);
		assert_string_equal(text, keys);
		free(text);

		/* A text line must not start with a control character. */
		assert_true(desc[0] != '.' && desc[0] != '\'' && desc[0] != '\0');
		text = roff_unescape(desc);
		assert_string_equal(text, keymap_description(a));
		free(text);

		free(keys);
		free(desc);
		free(b);
		free(tp);
	}
	char *ss = next_line(&p);
	assert_string_equal(ss, ".SS \"In a prompt (/, ?, |, D, w)\"");
	free(ss);
	for (int i = 0; i < 15; i++) {
		char *tp = next_line(&p), *b = next_line(&p), *desc = next_line(&p);
		assert_string_equal(tp, ".TP");
		assert_memory_equal(b, ".B \"", 4);
		assert_true(desc[0] != '.' && desc[0] != '\'' && desc[0] != '\0');
		free(tp);
		free(b);
		free(desc);
	}
	assert_int_equal(*p, '\0');
	sb_free(&roff);
}

static void test_man_template_has_keys_line(void **state)
{
	(void)state;
	const char *top = getenv("TOP_SRCDIR");
	char path[4096];
	char line[1024];
	size_t found = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/man/xinwen.1.in", top ? top : ".");
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (set TOP_SRCDIR to the source tree)", path);
	while (fgets(line, sizeof line, f))
		found += !strcmp(line, "@KEYS@\n");
	assert_false(ferror(f));
	fclose(f);
	assert_int_equal(found, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_the_documented_defaults),
		cmocka_unit_test(test_every_action_bound_and_described),
		cmocka_unit_test(test_no_key_bound_twice),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_key_names),
		cmocka_unit_test(test_keys_text),
		cmocka_unit_test(test_keys_text_appends),
		cmocka_unit_test(test_help_text),
		cmocka_unit_test(test_help_roff),
		cmocka_unit_test(test_man_template_has_keys_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
