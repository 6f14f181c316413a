/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_config.c: the config file: every directive, every problem with its line, defaults
 * kept on error, hostile bytes, rebinding that reaches the help text, key names and
 * action names both ways, the ambiguous width, and the layout settings on screen. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "format.h"
#include "app.h"
#include "cli.h"
#include "configfile.h"
#include "keymap.h"
#include "layout.h"
#include "render.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Parse text (NUL-terminated) into a fresh config named "cfg". */
static void parse(struct config *cfg, const char *text)
{
	config_init(cfg);
	config_parse(cfg, "cfg", text, strlen(text));
}

/* Whether two configs hold the same settings (not bindings or problems). */
static void assert_same_settings(const struct config *a, const struct config *b)
{
	assert_int_equal(a->split, b->split);
	assert_int_equal(a->split_ratio, b->split_ratio);
	assert_int_equal(a->ncolumns, b->ncolumns);
	assert_memory_equal(a->columns, b->columns, a->ncolumns * sizeof a->columns[0]);
	assert_int_equal(a->ambiguous_width, b->ambiguous_width);
	assert_int_equal(a->sort, b->sort);
	assert_memory_equal(a->colors, b->colors, sizeof a->colors);
}

/* The line of the help text that ends with description, or "" (static buffer). */
static const char *help_line(const char *description)
{
	static char line[512];
	struct strbuf help = {0};
	keymap_help_text(&help);
	const char *p = sb_cstr(&help);
	line[0] = '\0';
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t dn = strlen(description);
		if (n >= dn && !memcmp(p + n - dn, description, dn) && n < sizeof line) {
			memcpy(line, p, n);
			line[n] = '\0';
			break;
		}
		p += n + (nl != NULL);
	}
	sb_free(&help);
	return line;
}

/* The keys the help text gives for the action described so (static buffer). */
static const char *help_keys(const char *description)
{
	static char keys[512];
	const char *line = help_line(description);
	size_t indent = (size_t)keymap_help_indent();
	assert_true(strlen(line) > indent);
	snprintf(keys, sizeof keys, "%.*s", (int)(indent - 2), line + 2);
	for (size_t n = strlen(keys); n > 0 && keys[n - 1] == ' '; n--)
		keys[n - 1] = '\0';
	return keys;
}

static int reset_keymap(void **state)
{
	(void)state;
	keymap_reset();
	layout_set_ambiguous_width(1);
	return 0;
}

static void test_defaults(void **state)
{
	(void)state;
	struct config cfg;
	config_init(&cfg);
	assert_int_equal(cfg.split, SPLIT_AUTO);
	assert_int_equal(cfg.split_ratio, 0);
	assert_int_equal(cfg.ncolumns, 2);
	assert_int_equal(cfg.columns[0], COLUMN_DATE);
	assert_int_equal(cfg.columns[1], COLUMN_TITLE);
	assert_int_equal(cfg.ambiguous_width, 1);
	assert_int_equal(cfg.sort, SORT_DATE);
	assert_false(cfg.osc52);
	for (int s = 0; s < STYLE_COUNT; s++) {
		assert_false(cfg.colors[s].set);
		assert_int_equal(cfg.colors[s].fg, -1);
		assert_int_equal(cfg.colors[s].bg, -1);
	}
	assert_int_equal(cfg.bindings.n, 0);
	assert_int_equal(cfg.nproblems, 0);
	config_free(&cfg);
}

static void test_every_directive(void **state)
{
	(void)state;
	struct config cfg;
	parse(&cfg, "\xEF\xBB\xBF# a comment line after a byte-order mark\n"
		    "\n"
		    "   set split = vertical   # trailing comment\n"
		    "set split-ratio=35%\n"
		    "set list-columns = source, title,date\n"
		    "set ambiguous-width = 2\n"
		    "set sort = source\r\n"
		    "set osc52 = yes\n"
		    "set cache-days = 7\n"
		    "bind ^N next-link\n"
		    "bind list Space open\n"
		    "bind pane x back\n"
		    "bind F1 follow-n 4\n"
		    "bind 5 follow-n\n"
		    "unbind Q\n"
		    "unbind pane ?\n"
		    "\tcolor title yellow bold\n"
		    "colour list-selected color17 bright-cyan underline reverse\n"
		    "color link default\n"
		    "color status dim\n");
	assert_int_equal(cfg.nproblems, 0);
	assert_int_equal(cfg.split, SPLIT_VERTICAL);
	assert_int_equal(cfg.split_ratio, 35);
	assert_int_equal(cfg.ncolumns, 3);
	assert_int_equal(cfg.columns[0], COLUMN_SOURCE);
	assert_int_equal(cfg.columns[1], COLUMN_TITLE);
	assert_int_equal(cfg.columns[2], COLUMN_DATE);
	assert_int_equal(cfg.ambiguous_width, 2);
	assert_int_equal(cfg.sort, SORT_SOURCE);
	assert_true(cfg.osc52);
	assert_int_equal(cfg.cache_days, 7);

	static const struct config_binding want[] = {
		{0x0e, WHERE_ANY, ACTION_NEXT_LINK, 0, false, EDIT_NONE},
		{' ', WHERE_LIST, ACTION_OPEN, 0, false, EDIT_NONE},
		{'x', WHERE_PANE, ACTION_BACK, 0, false, EDIT_NONE},
		{KEYC_F1, WHERE_ANY, ACTION_FOLLOW_N, 4, false, EDIT_NONE},
		{'5', WHERE_ANY, ACTION_FOLLOW_N, 5, false, EDIT_NONE},
		{'Q', WHERE_ANY, ACTION_NONE, 0, false, EDIT_NONE},
		{'?', WHERE_PANE, ACTION_NONE, 0, false, EDIT_NONE},
	};
	assert_int_equal(cfg.bindings.n, ARRAY_LEN(want));
	for (size_t i = 0; i < ARRAY_LEN(want); i++) {
		assert_int_equal(cfg.bindings.v[i].key, want[i].key);
		assert_int_equal(cfg.bindings.v[i].where, want[i].where);
		assert_int_equal(cfg.bindings.v[i].action, want[i].action);
		assert_int_equal(cfg.bindings.v[i].arg, want[i].arg);
	}

	const struct config_color *t = &cfg.colors[STYLE_TITLE];
	assert_true(t->set && t->has_attrs);
	assert_int_equal(t->fg, 3);
	assert_int_equal(t->bg, -1);
	assert_int_equal(t->attrs, CONFIG_ATTR_BOLD);
	const struct config_color *sel = &cfg.colors[STYLE_LIST_SELECTED];
	assert_int_equal(sel->fg, 17);
	assert_int_equal(sel->bg, 14);
	assert_int_equal(sel->attrs, CONFIG_ATTR_UNDERLINE | CONFIG_ATTR_REVERSE);
	const struct config_color *link = &cfg.colors[STYLE_LINK];
	assert_true(link->set);
	assert_false(link->has_attrs);
	assert_int_equal(link->fg, -1);
	const struct config_color *status = &cfg.colors[STYLE_STATUS];
	assert_true(status->set && status->has_attrs);
	assert_int_equal(status->fg, -1);
	assert_int_equal(status->attrs, CONFIG_ATTR_DIM);
	assert_false(cfg.colors[STYLE_META].set);
	config_free(&cfg);
}

/* Each bad line, between two good ones: its message at line 2, nothing else changed. */
static void test_every_problem(void **state)
{
	(void)state;
	static const struct {
		const char *line, *msg;
	} cases[] = {
		{"frobnicate",
		 "unknown command 'frobnicate' (expected set, bind, unbind or color)"},
		{"set", "expected: set NAME = VALUE"},
		{"set split vertical", "expected: set NAME = VALUE"},
		{"set nosuch = 1", "unknown option 'nosuch'"},
		{"set split = diagonal",
		 "bad value 'diagonal' for split (expected auto, horizontal or vertical)"},
		{"set split =", "bad value '' for split (expected auto, horizontal or vertical)"},
		{"set split = vertical please",
		 "bad value 'vertical please' for split (expected auto, horizontal or vertical)"},
		{"set split-ratio = 5",
		 "bad value '5' for split-ratio (expected auto or a percentage from 10 to 90)"},
		{"set split-ratio = 50x",
		 "bad value '50x' for split-ratio (expected auto or a percentage from 10 to 90)"},
		{"set split-ratio = -40",
		 "bad value '-40' for split-ratio (expected auto or a percentage from 10 to 90)"},
		{"set list-columns = date,author",
		 "unknown list column 'author' (expected date, source or title)"},
		{"set list-columns = date,date,title", "list column 'date' given twice"},
		{"set list-columns = date", "list-columns must include title"},
		{"set list-columns =",
		 "bad value '' for list-columns (expected columns among date, source and title)"},
		{"set ambiguous-width = 3", "bad value '3' for ambiguous-width (expected 1 or 2)"},
		{"set sort = random",
		 "bad value 'random' for sort (expected date, title, source or oldest)"},
		{"set osc52 = maybe", "bad value 'maybe' for osc52 (expected yes or no)"},
		{"set cache-days = 0", "bad value '0' for cache-days (expected never or a number "
				       "of days from 1 to 36500)"},
		{"bind", "expected: bind [list|pane] KEY ACTION"},
		{"bind j", "expected: bind [list|pane] KEY ACTION"},
		{"bind list j", "expected: bind [list|pane] KEY ACTION"},
		{"bind Hyper-J down", "unknown key name 'Hyper-J'"},
		{"bind j fly", "unknown action 'fly'"},
		{"bind j DOWN", "unknown action 'DOWN'"},
		{"bind j down now", "unexpected 'now' after the action"},
		{"bind x follow-n", "follow-n needs a number from 1 to 9"},
		{"bind x follow-n 10", "follow-n needs a number from 1 to 9"},
		{"bind 3 follow-n 3 4", "follow-n needs a number from 1 to 9"},
		{"unbind", "expected: unbind [list|pane] KEY"},
		{"unbind j k", "expected: unbind [list|pane] KEY"},
		{"unbind Meta-x", "unknown key name 'Meta-x'"},
		{"color", "expected: color ROLE [FG [BG]] [ATTRIBUTE...]"},
		{"color title", "expected: color ROLE [FG [BG]] [ATTRIBUTE...]"},
		{"color sky blue", "unknown colour role 'sky'"},
		{"color title purple", "unknown colour or attribute 'purple'"},
		{"color title color256", "unknown colour or attribute 'color256'"},
		{"color title red blue green", "a third colour 'green'"},
		{"set a b c d e f g h i j k l m n o p q", "more than 16 words: line ignored"},
		{"set xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx = 1",
		 "unknown option 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'"},
		{"set 繁體繁體繁體繁體繁體繁體繁體 = 1",
		 "unknown option '繁體繁體繁體繁體繁體繁體繁...'"},
		{"set split = \xff", "invalid UTF-8: line ignored"},
		{"set \xc0\xaf = 1", "invalid UTF-8: line ignored"},
	};
	struct config want;
	parse(&want, "set sort = title\nset split-ratio = 40\n");
	assert_int_equal(want.nproblems, 0);

	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct config cfg;
		struct strbuf text = {0};
		sb_printf(&text, "set sort = title\n%s\nset split-ratio = 40\n", cases[i].line);
		parse(&cfg, text.s);
		if (cfg.nproblems != 1)
			fail_msg("'%s': %zu problems", cases[i].line, cfg.nproblems);
		assert_string_equal(cfg.problems.v[0].file, "cfg");
		assert_int_equal(cfg.problems.v[0].line, 2);
		assert_string_equal(cfg.problems.v[0].msg, cases[i].msg);
		assert_same_settings(&cfg, &want);
		assert_int_equal(cfg.bindings.n, 0);
		config_free(&cfg);
		sb_free(&text);
	}
	config_free(&want);
}

static void test_nul_and_long_lines(void **state)
{
	(void)state;
	struct config cfg;
	static const char nul[] = "set split = vertical\0\nset sort = title\n\0\n";
	config_init(&cfg);
	config_parse(&cfg, "cfg", nul, sizeof nul - 1);
	assert_int_equal(cfg.nproblems, 2);
	assert_int_equal(cfg.problems.v[0].line, 1);
	assert_string_equal(cfg.problems.v[0].msg, "NUL byte: line ignored");
	assert_int_equal(cfg.problems.v[1].line, 3);
	assert_int_equal(cfg.split, SPLIT_AUTO);
	assert_int_equal(cfg.sort, SORT_TITLE);
	config_free(&cfg);

	/* A 1 MiB line, then a good one; and a line of exactly the limit. */
	size_t big = 1024 * 1024;
	struct strbuf text = {0};
	for (size_t i = 0; i < big; i++)
		sb_putc(&text, 'a');
	sb_puts(&text, "\nset sort = source\nset split = auto");
	for (size_t i = strlen("set split = auto"); i < CONFIG_MAX_LINE; i++)
		sb_putc(&text, ' ');
	sb_puts(&text, "\nset split = vertical");
	for (size_t i = strlen("set split = vertical"); i <= CONFIG_MAX_LINE; i++)
		sb_putc(&text, ' ');
	config_init(&cfg);
	config_parse(&cfg, "cfg", text.s, text.n);
	assert_int_equal(cfg.nproblems, 2);
	assert_int_equal(cfg.problems.v[0].line, 1);
	assert_string_equal(cfg.problems.v[0].msg, "line longer than 4096 bytes: ignored");
	assert_int_equal(cfg.problems.v[1].line, 4);
	assert_int_equal(cfg.sort, SORT_SOURCE);
	assert_int_equal(cfg.split, SPLIT_AUTO);
	config_free(&cfg);
	sb_free(&text);
}

/* Everything printed to a memory stream by cli_print_config_problems. */
static char *printed(const struct config *cfg, size_t *count)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	assert_non_null(f);
	*count = cli_print_config_problems(cfg, f);
	fclose(f);
	return out;
}

static void test_garbage_and_binary(void **state)
{
	(void)state;
	struct config cfg, def;
	uint32_t x = 12345;
	size_t n = 256 * 1024, count;
	char *junk = malloc(n);

	config_init(&def);
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (char)(x >> 16);
	}
	config_init(&cfg);
	config_parse(&cfg, "junk", junk, n);
	assert_true(cfg.nproblems > CONFIG_MAX_PROBLEMS);
	assert_int_equal(cfg.problems.n, CONFIG_MAX_PROBLEMS);
	assert_same_settings(&cfg, &def);
	char *out = printed(&cfg, &count);
	assert_int_equal(count, cfg.nproblems);
	/* Sanitized: no ESC, BEL, CR, C1 or bidi control reaches the output. */
	for (const unsigned char *p = (const unsigned char *)out; *p; p++) {
		assert_true(*p >= 0x20 || *p == '\n' || *p == '\t');
		assert_true(*p != 0x7f);
	}
	assert_null(strstr(out, "\xc2\x9b"));
	assert_null(strstr(out, "\xe2\x80\xae"));
	char tail[64];
	snprintf(tail, sizeof tail, "junk:0: %zu more problems not shown\n",
		 cfg.nproblems - CONFIG_MAX_PROBLEMS);
	assert_non_null(strstr(out, tail));
	free(out);
	config_free(&cfg);
	config_free(&def);
	free(junk);

	/* Control characters in a quoted word are printed as caret text. */
	parse(&cfg, "set \x1b]0;pwned\x07 = 1\nbind \xe2\x80\xae down\n");
	out = printed(&cfg, &count);
	assert_int_equal(count, 2);
	assert_string_equal(out, "cfg:1: unknown option '^[]0;pwned^G'\n"
				 "cfg:2: unknown key name ''\n");
	assert_int_equal(cfg.problems.v[1].msg[strlen("unknown key name '")], '\xe2');
	free(out);
	config_free(&cfg);
}

/* At most CONFIG_MAX_BINDINGS bind and unbind lines; the rest are reported. */
static void test_too_many_bindings(void **state)
{
	(void)state;
	struct config cfg;
	struct strbuf text = {0};

	for (int i = 0; i < CONFIG_MAX_BINDINGS + 3; i++)
		sb_printf(&text, i % 2 ? "bind U+%04X down\n" : "unbind U+%04X\n", 0x4e00 + i);
	sb_puts(&text, "set sort = title\n");
	parse(&cfg, text.s);
	assert_int_equal(cfg.bindings.n, CONFIG_MAX_BINDINGS);
	assert_int_equal(cfg.nproblems, 3);
	assert_int_equal(cfg.problems.v[0].line, CONFIG_MAX_BINDINGS + 1);
	assert_string_equal(cfg.problems.v[0].msg, "more than 512 bind and unbind lines: ignored");
	assert_int_equal(cfg.sort, SORT_TITLE);
	config_apply(&cfg);
	assert_int_equal(keymap_lookup(0x4e00 + CONFIG_MAX_BINDINGS - 1, WHERE_LIST)->action,
			 ACTION_DOWN);
	assert_null(keymap_lookup(0x4e00 + CONFIG_MAX_BINDINGS + 1, WHERE_LIST));
	keymap_reset();
	config_free(&cfg);
	sb_free(&text);
}

static void test_status_message(void **state)
{
	(void)state;
	struct config cfg;
	char msg[160] = "2 problems while loading: xinwen --check";

	parse(&cfg, "set split = vertical\n");
	config_status_message(&cfg, msg, sizeof msg);
	assert_string_equal(msg, "2 problems while loading: xinwen --check");
	config_free(&cfg);

	parse(&cfg, "set split = 1\nfoo\nbar\n");
	config_status_message(&cfg, msg, sizeof msg);
	assert_string_equal(msg, "3 config problems (xinwen --check-config): cfg:1: bad value '1' "
				 "for split (expected auto, horizontal or vertical); 2 problems "
				 "while loading: xinwen --check");
	msg[0] = '\0';
	config_status_message(&cfg, msg, 20);
	assert_string_equal(msg, "3 config problems (");
	config_free(&cfg);

	/* One problem: no count; the file by its base name. */
	config_init(&cfg);
	config_parse(&cfg, "/home/u/.config/xinwen/config", "nope\n", 5);
	msg[0] = '\0';
	config_status_message(&cfg, msg, sizeof msg);
	assert_string_equal(msg, "config:1: unknown command 'nope' (expected set, bind, unbind or "
				 "color)");
	config_free(&cfg);
}

static void test_load_files(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_config.XXXXXX";
	char path[64], missing[64];
	struct config cfg;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/config", dir);
	snprintf(missing, sizeof missing, "%s/none", dir);

	config_init(&cfg);
	assert_true(config_load(&cfg, missing, true));
	assert_int_equal(cfg.nproblems, 0);
	assert_false(config_load(&cfg, missing, false));
	assert_int_equal(cfg.nproblems, 1);
	assert_int_equal(cfg.problems.v[0].line, 0);
	assert_string_equal(cfg.problems.v[0].msg, "cannot open: No such file or directory");
	config_free(&cfg);

	config_init(&cfg);
	assert_false(config_load(&cfg, dir, true));
	assert_string_equal(cfg.problems.v[0].msg, "not a regular file (a directory): skipped");
	config_free(&cfg);

	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("set sort = title\nbogus\n", f);
	fclose(f);
	config_init(&cfg);
	assert_true(config_load(&cfg, path, false));
	assert_int_equal(cfg.sort, SORT_TITLE);
	assert_int_equal(cfg.nproblems, 1);
	assert_string_equal(cfg.problems.v[0].file, path);
	assert_int_equal(cfg.problems.v[0].line, 2);
	config_free(&cfg);
	unlink(path);
	rmdir(dir);
}

static void test_default_path(void **state)
{
	(void)state;
	char *p;

	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	p = config_default_path();
	assert_string_equal(p, "/xdg/xinwen/config");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1); /* ignored, as the XDG spec says */
	p = config_default_path();
	assert_string_equal(p, "/home/u/.config/xinwen/config");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_null(config_default_path());
}

/* bind prompt and unbind prompt change what keys do while a prompt is typed, in the
 * help text too; a wrong line is a problem; applying again starts from the defaults. */
static void test_prompt_rebinding(void **state)
{
	(void)state;
	struct config cfg;

	parse(&cfg, "bind prompt ^H erase-word\n"
		    "unbind prompt ^W\n"
		    "bind prompt ^G cancel\n"
		    "bind prompt ^T bogus\n"
		    "bind prompt ^T\n"
		    "unbind prompt\n");
	assert_int_equal(cfg.nproblems, 3);
	config_apply(&cfg);
	assert_int_equal(keymap_prompt_lookup(KEYC_BSPACE), EDIT_ERASE_WORD);
	assert_int_equal(keymap_prompt_lookup(0x17), EDIT_NONE);
	assert_int_equal(keymap_prompt_lookup(0x07), EDIT_CANCEL);
	assert_int_equal(keymap_prompt_lookup(KEYC_ESC), EDIT_CANCEL);
	assert_int_equal(keymap_prompt_lookup(0x01), EDIT_HOME);
	assert_string_equal(help_keys("Erase the word before the cursor"), "Backspace");
	assert_string_equal(help_keys("Cancel the prompt"), "Esc, Ctrl-G");
	assert_string_equal(help_keys("Erase the character before the cursor"), "");
	config_free(&cfg);
	parse(&cfg, "");
	config_apply(&cfg);
	assert_int_equal(keymap_prompt_lookup(0x17), EDIT_ERASE_WORD);
	assert_int_equal(keymap_prompt_lookup(KEYC_BSPACE), EDIT_ERASE);
	config_free(&cfg);
}

/* Bindings reach keymap_lookup and the help text; unbind and reset. */
static void test_rebinding_reaches_help(void **state)
{
	(void)state;
	struct config cfg;

	char tab_line[128];
	snprintf(tab_line, sizeof tab_line, "  %-*s%s", keymap_help_indent() - 2, "Tab",
		 "Select the next link in the pane");
	assert_string_equal(help_line("Select the next link in the pane"), tab_line);
	parse(&cfg, "bind ^N next-link\n"
		    "bind x help\n"
		    "unbind q\n"
		    "bind list Space open\n"
		    "bind ^L quit-now\n"
		    "bind F1 follow-n 2\n");
	assert_int_equal(cfg.nproblems, 0);
	config_apply(&cfg);

	const struct binding *b = keymap_lookup(0x0e, WHERE_PANE);
	assert_non_null(b);
	assert_int_equal(b->action, ACTION_NEXT_LINK);
	assert_int_equal(keymap_lookup('x', WHERE_LIST)->action, ACTION_HELP);
	assert_null(keymap_lookup('q', WHERE_LIST));
	assert_null(keymap_lookup('q', WHERE_PANE));
	assert_int_equal(keymap_lookup(' ', WHERE_LIST)->action, ACTION_OPEN);
	assert_int_equal(keymap_lookup(' ', WHERE_PANE)->action, ACTION_PAGE_DOWN);
	/* Ctrl-L is one keystroke with two codes: both now quit. */
	assert_int_equal(keymap_lookup(KEYC_CTRL_L, WHERE_LIST)->action, ACTION_QUIT_NOW);
	assert_null(keymap_lookup(0x0c, WHERE_LIST));
	b = keymap_lookup(KEYC_F1, WHERE_LIST);
	assert_int_equal(b->action, ACTION_FOLLOW_N);
	assert_int_equal(b->arg, 2);

	assert_string_equal(help_keys("Select the next link in the pane"), "Tab, Ctrl-N");
	assert_string_equal(help_keys("Show or leave this help"), "i, ? (list), x");
	assert_string_equal(help_keys("Open the headline; in the pane, follow the selected link"),
			    "Enter, Space (list)");
	assert_string_equal(help_keys("Page down"), "Space (pane), PgDn, Ctrl-F");
	assert_string_equal(help_keys("Quit at once"), "Q, Ctrl-L");
	assert_string_equal(help_keys("Redraw the screen"), "");
	assert_string_equal(help_keys("Leave the pane or help; quit from the list"), "");
	assert_string_equal(help_keys("Type N, then Enter: follow story N; or a count: 5j, 12G"),
			    "1-9, F1");

	/* Applying again starts from the defaults; so does keymap_reset. */
	config_free(&cfg);
	parse(&cfg, "unbind pane ?\n");
	config_apply(&cfg);
	assert_int_equal(keymap_lookup('q', WHERE_LIST)->action, ACTION_QUIT);
	assert_int_equal(keymap_lookup(0x0e, WHERE_PANE) == NULL, 1);
	assert_null(keymap_lookup('?', WHERE_PANE));
	assert_int_equal(keymap_lookup('?', WHERE_LIST)->action, ACTION_HELP);
	config_free(&cfg);
	keymap_reset();
	assert_int_equal(keymap_lookup('?', WHERE_PANE)->action, ACTION_SEARCH_BACK);
	assert_string_equal(help_line("Select the next link in the pane"), tab_line);
}

/* A where-less binding replaces both sides; unbind list leaves the pane's. */
static void test_bind_where(void **state)
{
	(void)state;
	keymap_bind('?', WHERE_ANY, ACTION_QUIT, 0);
	assert_int_equal(keymap_lookup('?', WHERE_LIST)->action, ACTION_QUIT);
	assert_int_equal(keymap_lookup('?', WHERE_PANE)->action, ACTION_QUIT);
	keymap_unbind('?', WHERE_LIST);
	assert_null(keymap_lookup('?', WHERE_LIST));
	assert_int_equal(keymap_lookup('?', WHERE_PANE)->action, ACTION_QUIT);
	assert_string_equal(help_keys("Leave the pane or help; quit from the list"), "q, ? (pane)");
	keymap_bind(KEYC_NONE, WHERE_ANY, ACTION_QUIT, 0); /* ignored */
	keymap_bind('z', WHERE_ANY, ACTION_COUNT, 0);	   /* ignored */
	assert_null(keymap_lookup('z', WHERE_LIST));
}

/* Every key keymap can name parses back to a key of the same name, and to itself unless
 * it is a second code of one keystroke (0x1b and KEYC_ESC, 0x0c and KEYC_CTRL_L). */
static void test_key_name_round_trip(void **state)
{
	(void)state;
	VEC(int) keys = {0};
	char buf[16], buf2[16];

	for (int k = 1; k < 0x7f; k++)
		VEC_PUSH(&keys, k);
	for (int k = KEYC_SPECIAL + 1; k < KEYC_SPECIAL + 256; k++)
		VEC_PUSH(&keys, k);
	static const int more[] = {0xe9, 0x300c, 0x4e2d, 0xff01, 0x1f600, 0x20000};
	for (size_t i = 0; i < ARRAY_LEN(more); i++)
		VEC_PUSH(&keys, more[i]);

	size_t named = 0;
	for (size_t i = 0; i < keys.n; i++) {
		int k = keys.v[i];
		const char *name = keymap_key_name(k, buf);
		if (!strncmp(name, "Key-0x", 6))
			continue; /* no name: not a key a config can write */
		named++;
		int back = keymap_key_parse(name);
		if (back == KEYC_NONE)
			fail_msg("'%s' (0x%X) does not parse", name, (unsigned)k);
		/* The terminal sends Tab, Enter and Backspace for these control keys. */
		if (k == '\t' || k == '\r' || k == '\n' || k == '\b') {
			assert_int_equal(back, k == '\t'   ? KEYC_TAB
					       : k == '\b' ? KEYC_BSPACE
							   : KEYC_RETURN);
			continue;
		}
		assert_string_equal(keymap_key_name(back, buf2), name);
		if (back != k && !(k == 0x1b && back == KEYC_ESC) &&
		    !(k == 0x0c && back == KEYC_CTRL_L))
			fail_msg("'%s' (0x%X) parses to 0x%X", name, (unsigned)k, (unsigned)back);
	}
	assert_true(named > 100);
	free(keys.v);

	static const struct {
		const char *name;
		int key;
	} aliases[] = {
		{"^N", 0x0e},	     {"^n", 0x0e},	   {"ctrl-n", 0x0e},
		{"^L", KEYC_CTRL_L}, {"space", ' '},	   {"ENTER", KEYC_RETURN},
		{"esc", KEYC_ESC},   {"f1", KEYC_F1},	   {"中", 0x4e2d},
		{"U+0023", '#'},     {"「", 0x300c},	   {"shift-tab", KEYC_BTAB},
		{"^M", KEYC_RETURN}, {"Ctrl-I", KEYC_TAB}, {"^H", KEYC_BSPACE},
	};
	for (size_t i = 0; i < ARRAY_LEN(aliases); i++)
		assert_int_equal(keymap_key_parse(aliases[i].name), aliases[i].key);
	static const char *const bad[] = {
		"",	    "\x01",   " ",	  "\x7f",	  "\xc2\x85",
		"\xff",	    "Fn",     "F2",	  "Ctrl-",	  "^^^",
		"U+",	    "U+D800", "U+110000", "U+0020",	  "U+-1",
		"U+ 41",    "jj",     "Key-0x7F", "\xe2\x80\xae", "U+202E",
		"\xc2\xa0", "U+0301", "U+10FFFF", "\xe3\x80\x80",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		if (keymap_key_parse(bad[i]) != KEYC_NONE)
			fail_msg("'%s' parses as a key", bad[i]);
}

static void test_action_names(void **state)
{
	(void)state;
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		const char *name = keymap_action_name(a);
		assert_true(strlen(name) > 0);
		for (const char *p = name; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || *p == '-' ||
				    (*p >= '0' && *p <= '9'));
		assert_int_equal(keymap_action_parse(name), a);
	}
	assert_string_equal(keymap_action_name(ACTION_NEXT_LINK), "next-link");
	assert_string_equal(keymap_action_name(ACTION_QUIT_NOW), "quit-now");
	assert_string_equal(keymap_action_name(ACTION_NONE), "");
	assert_int_equal(keymap_action_parse("NEXT_LINK"), ACTION_NONE);
	assert_int_equal(keymap_action_parse("next_link"), ACTION_NONE);
	assert_int_equal(keymap_action_parse(""), ACTION_NONE);

	struct strbuf roff = {0};
	keymap_actions_roff(&roff);
	assert_non_null(
		strstr(sb_cstr(&roff), ".TP\n.B next\\-link\nSelect the next link in the pane\n"));
	sb_free(&roff);
}

static void test_roles(void **state)
{
	(void)state;
	struct strbuf roff = {0};

	/* Every style can be coloured, under a name of its own. */
	for (int s = 0; s < STYLE_COUNT; s++) {
		const char *name = config_role_name(s);
		if (!name)
			fail_msg("style %d has no role name in configfile.c", s);
		for (int t = 0; t < s; t++)
			assert_string_not_equal(name, config_role_name(t));
		struct config cfg;
		struct strbuf line = {0};
		sb_printf(&line, "color %s red", name);
		parse(&cfg, line.s);
		assert_int_equal(cfg.nproblems, 0);
		assert_int_equal(cfg.colors[s].fg, 1);
		config_free(&cfg);
		sb_free(&line);
	}
	assert_null(config_role_name(STYLE_COUNT));
	config_roles_roff(&roff);
	assert_non_null(strstr(sb_cstr(&roff), ".TP\n.B list\\-selected\n"));
	sb_free(&roff);
}

/* Width of the single-line layout of s, and how many lines it takes at width w. */
static size_t lines_at(const char *s, int w, int *first_cols)
{
	struct layout_src src;
	layout_lines lines = {0};
	layout_prepare(&src, s, strlen(s));
	layout_wrap(&src, w, &lines);
	size_t n = lines.n;
	*first_cols = lines.v[0].cols;
	free(lines.v);
	layout_src_free(&src);
	return n;
}

/* The first line of s laid out at width w, as text. */
static const char *first_line(const char *s, int w)
{
	static struct strbuf out;
	struct layout_src src;
	layout_lines lines = {0};

	sb_free(&out);
	layout_prepare(&src, s, strlen(s));
	layout_wrap(&src, w, &lines);
	layout_line_text(&src, &lines.v[0], w, &out);
	free(lines.v);
	layout_src_free(&src);
	return sb_cstr(&out);
}

/* ambiguous-width = 2: the common ambiguous punctuation becomes forms whose width the
 * terminal and wcwidth() (so ncurses) agree on, and the tree's box drawing ASCII;
 * widths are still wcwidth()'s, so nothing drifts on screen (doc/LAYOUT.md §1). */
static void test_ambiguous_width(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int narrow;	  /* columns at ambiguous-width 1: as written */
		const char *wide; /* the text at ambiguous-width 2 */
		int wide_cols;
	} cases[] = {
		{"“引號”", 6, "「引號」", 8},
		{"…", 1, "⋯", 1},
		{"·", 1, "・", 2},
		{"•", 1, "・", 2},
		{"‘a’", 3, "『a』", 5},
		{"—", 1, "－", 2},
		{"\xef\xbf\xbd", 1, "?", 1},
		{"├─└│", 4, "|-`|", 4},
		{"a", 1, "a", 1},
		{"中", 2, "中", 2},
		{"é", 1, "é", 1},
		{"○※", 2, "○※", 2},
		{"a\x01"
		 "b",
		 4, "a^Ab", 4},
	};
	struct config cfg;
	int cols;

	assert_int_equal(layout_ambiguous_width(), 1);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		lines_at(cases[i].s, 80, &cols);
		assert_int_equal(cols, cases[i].narrow);
	}
	parse(&cfg, "set ambiguous-width = 2\n");
	config_apply(&cfg);
	assert_int_equal(layout_ambiguous_width(), 2);
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		lines_at(cases[i].s, 80, &cols);
		assert_string_equal(first_line(cases[i].s, 80), cases[i].wide);
		if (cols != cases[i].wide_cols)
			fail_msg("'%s' is %d columns wide, expected %d", cases[i].s, cols,
				 cases[i].wide_cols);
	}
	/* Five “ at 4 columns: 「「 and 「「 and 「 when wide-safe, one line when not. */
	assert_int_equal(lines_at("“““““", 4, &cols), 3);
	assert_int_equal(cols, 4);
	config_free(&cfg);
	layout_set_ambiguous_width(1);
	assert_int_equal(lines_at("“““““", 4, &cols), 2);
	layout_set_ambiguous_width(7); /* anything but 2 is 1 */
	assert_int_equal(layout_ambiguous_width(), 1);
}

/* A reader on one article with cfg, size rows x cols. */
struct reader {
	struct collection c;
	struct app app;
	struct grid grid;
};

static void reader_start(struct reader *r, const struct config *cfg, int rows, int cols)
{
	static const char article[] = "A headline of the test\n\n2024-05-06 Xinhua\n\nBody.\n";
	memset(r, 0, sizeof *r);
	collection_init(&r->c);
	assert_true(fmt_native_add_buffer(&r->c, "a.txt", "a", article, strlen(article)));
	collection_finish(&r->c);
	app_init(&r->app, &r->c, rows, cols);
	r->app.opts.config = cfg;
	app_resize(&r->app, rows, cols);
}

static void reader_stop(struct reader *r)
{
	app_free(&r->app);
	grid_free(&r->grid);
	collection_free(&r->c);
}

/* Row y of the rendered screen, in sb (cleared first). */
static const char *row_text(struct reader *r, int y, struct strbuf *sb)
{
	sb_clear(sb);
	render(&r->app, &r->grid);
	grid_row_text(&r->grid, y, sb);
	return sb_cstr(sb);
}

static void test_split_settings(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int rows, cols;
		bool side;
		int list; /* list width (side by side) or height */
	} cases[] = {
		{"", 40, 120, true, 48},
		{"", 40, 80, false, 12},
		{"set split = horizontal", 40, 120, false, 12},
		{"set split = vertical", 40, 80, true, 32},
		/* the pane keeps APP_MIN_PANE_COLS ; under 33 columns, stacked */
		{"set split = vertical", 40, 40, true, 17},
		{"set split = vertical", 40, 20, false, 12},
		{"set split-ratio = 25", 40, 120, true, 30},
		{"set split-ratio = 90", 40, 120, true, 97},
		{"set split-ratio = 50\nset split = horizontal", 41, 80, false, 19},
		{"set split-ratio = 90\nset split = horizontal", 6, 80, false, 3},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct config cfg;
		struct reader r;
		struct app_geometry g;
		parse(&cfg, cases[i].text);
		reader_start(&r, &cfg, cases[i].rows, cases[i].cols);
		app_geometry(&r.app, &g);
		assert_int_equal(g.side_by_side, cases[i].side);
		if (g.list.w + (g.side_by_side ? 0 : 0) == 0)
			fail_msg("case %zu: no list", i);
		int got = g.side_by_side ? g.list.w : g.list.h;
		if (got != cases[i].list)
			fail_msg("case %zu ('%s' at %dx%d): list %d, expected %d", i, cases[i].text,
				 cases[i].cols, cases[i].rows, got, cases[i].list);
		assert_true(g.pane.w >= 1 && g.pane.h >= 1);
		reader_stop(&r);
		config_free(&cfg);
	}
}

static void test_list_columns_on_screen(void **state)
{
	(void)state;
	static const struct {
		const char *text, *row;
	} cases[] = {
		{"", " 2024-05-06  A headline of the test"},
		{"set list-columns = title", " A headline of the test"},
		{"set list-columns = date,source,title",
		 " 2024-05-06  Xinhua        A headline of the test"},
		{"set list-columns = title,source",
		 " A headline of the test                        Xinhua       \xe2\x94\x82"},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct config cfg;
		struct reader r;
		parse(&cfg, cases[i].text);
		struct strbuf sb = {0};
		reader_start(&r, &cfg, 20, 200); /* a list of 60 columns */
		const char *row = row_text(&r, 0, &sb);
		if (strncmp(row, cases[i].row, strlen(cases[i].row)))
			fail_msg("case %zu: row '%s', expected '%s'", i, row, cases[i].row);
		sb_free(&sb);
		reader_stop(&r);
		config_free(&cfg);
	}
}

static void test_border_ascii_when_ambiguous_wide(void **state)
{
	(void)state;
	struct reader r;
	struct strbuf sb = {0};
	reader_start(&r, NULL, 20, 120);
	assert_non_null(strstr(row_text(&r, 0, &sb), "│"));
	layout_set_ambiguous_width(2);
	assert_null(strstr(row_text(&r, 0, &sb), "│"));
	assert_non_null(strstr(row_text(&r, 0, &sb), "|"));
	sb_free(&sb);
	reader_stop(&r);
	layout_set_ambiguous_width(1);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_directive),
		cmocka_unit_test(test_every_problem),
		cmocka_unit_test(test_nul_and_long_lines),
		cmocka_unit_test(test_garbage_and_binary),
		cmocka_unit_test_setup_teardown(test_too_many_bindings, reset_keymap, reset_keymap),
		cmocka_unit_test(test_status_message),
		cmocka_unit_test(test_load_files),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test_setup_teardown(test_rebinding_reaches_help, reset_keymap,
						reset_keymap),
		cmocka_unit_test_setup_teardown(test_bind_where, reset_keymap, reset_keymap),
		cmocka_unit_test_setup_teardown(test_prompt_rebinding, reset_keymap, reset_keymap),
		cmocka_unit_test(test_key_name_round_trip),
		cmocka_unit_test(test_action_names),
		cmocka_unit_test(test_roles),
		cmocka_unit_test_setup_teardown(test_ambiguous_width, reset_keymap, reset_keymap),
		cmocka_unit_test(test_split_settings),
		cmocka_unit_test(test_list_columns_on_screen),
		cmocka_unit_test(test_border_ascii_when_ambiguous_wide),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
