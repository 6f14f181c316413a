/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_spawn.c: splitting a typed command line and running it without a shell. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawn.h"
#include "strbuf.h"

/* One line, and the words it splits into joined as [w1][w2]..., or the error. */
static const struct {
	const char *line;
	const char *words; /* NULL: an error */
	const char *error;
} split_cases[] = {
	{"wc -c", "[wc][-c]", NULL},
	{"  a \t b\n c  ", "[a][b][c]", NULL},
	{"'a b' \"c d\"", "[a b][c d]", NULL},
	{"it\\'s", "[it's]", NULL},
	{"'it'\\''s'", "[it's]", NULL},
	{"\"say \\\"hi\\\"\"", "[say \"hi\"]", NULL},
	{"'\"q\"'", "[\"q\"]", NULL},
	{"a\"\"b '' \"\"", "[ab][][]", NULL},
	{"\"a\\b\" 'c\\d'", "[a\\b][c\\d]", NULL},
	{"\"\\$HOME \\\\ \\`\"", "[$HOME \\ `]", NULL},
	{"$HOME * ~ `id` $(id) a;b a|b", "[$HOME][*][~][`id`][$(id)][a;b][a|b]", NULL},
	{"a\\ b c\\\nd", "[a b][cd]", NULL},
	{"'abc", NULL, "unterminated ' quote"},
	{"x \"abc", NULL, "unterminated \" quote"},
	{"abc\\", NULL, "a backslash ends the command"},
	{"   ", NULL, "no command given"},
	{"", NULL, "no command given"},
};

static void test_split_table(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof split_cases / sizeof split_cases[0]; k++) {
		spawn_argv argv = {0};
		char err[128] = "";
		bool ok = spawn_split(split_cases[k].line, strlen(split_cases[k].line), &argv, err,
				      sizeof err);
		if (!split_cases[k].words) {
			if (ok)
				fail_msg("'%s' split without error", split_cases[k].line);
			assert_string_equal(err, split_cases[k].error);
			assert_int_equal(argv.n, 0);
		} else {
			struct strbuf got = {0};
			if (!ok)
				fail_msg("'%s': %s", split_cases[k].line, err);
			for (size_t i = 0; i < argv.n; i++)
				sb_printf(&got, "[%s]", argv.v[i]);
			assert_string_equal(sb_cstr(&got), split_cases[k].words);
			assert_null(argv.v[argv.n]);
			sb_free(&got);
		}
		spawn_argv_free(&argv);
	}
}

static void test_split_refuses_nul(void **state)
{
	spawn_argv argv = {0};
	char err[128];
	(void)state;
	assert_false(spawn_split("a\0b", 3, &argv, err, sizeof err));
	assert_non_null(strstr(err, "NUL"));
	spawn_argv_free(&argv);
}

static char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	struct strbuf b = {0};
	char buf[4096];
	size_t got;
	if (!f)
		fail_msg("cannot open %s", path);
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		sb_append(&b, buf, got);
	fclose(f);
	*n = b.n;
	sb_append(&b, "", 0);
	return b.s;
}

/* A line typed with spaces and quotes reaches the command as the words meant, and the
 * input reaches its standard input whole. */
static void test_run_argv_with_spaces_and_quotes(void **state)
{
	char dir[] = "/tmp/xinwen-spawn-XXXXXX";
	char path[4200];
	struct strbuf line = {0};
	spawn_argv argv = {0};
	struct spawn_result r;
	char err[128];
	const char *input = "第一行 line one\n\"quoted\" 'single'\n";
	size_t n;
	(void)state;

	assert_non_null(mkdtemp(dir));
	sb_printf(&line, "sh '%s/../record-args' '%s' \"two words\" it\\'s '\"q\"' \"a\\\"b\" ''",
		  TEST_DATADIR, dir);
	assert_true(spawn_split(line.s, line.n, &argv, err, sizeof err));
	spawn_run(argv.v, input, strlen(input), &r);
	assert_int_equal(r.status, SPAWN_EXITED);
	assert_int_equal(r.code, 0);
	assert_int_equal(r.written, strlen(input));
	snprintf(path, sizeof path, "%s/argv", dir);
	char *got = read_file(path, &n);
	assert_string_equal(got, "[two words]\n[it's]\n[\"q\"]\n[a\"b]\n[]\n");
	free(got);
	unlink(path);
	snprintf(path, sizeof path, "%s/stdin", dir);
	got = read_file(path, &n);
	assert_int_equal(n, strlen(input));
	assert_memory_equal(got, input, n);
	free(got);
	unlink(path);
	rmdir(dir);
	spawn_argv_free(&argv);
	sb_free(&line);
}

/* Split line and run it with n bytes of input. */
static void run_line(const char *line, const char *input, size_t n, struct spawn_result *r)
{
	spawn_argv argv = {0};
	char err[128];
	if (!spawn_split(line, strlen(line), &argv, err, sizeof err))
		fail_msg("'%s': %s", line, err);
	spawn_run(argv.v, input, n, r);
	spawn_argv_free(&argv);
}

/* A command that exits at once leaves most of 1 MiB unread: no SIGPIPE, no hang. */
static void test_run_command_that_does_not_read(void **state)
{
	size_t n = (size_t)1 << 20;
	char *big = malloc(n);
	struct spawn_result r;
	(void)state;

	memset(big, 'x', n);
	run_line("sh -c 'exit 3'", big, n, &r);
	assert_int_equal(r.status, SPAWN_EXITED);
	assert_int_equal(r.code, 3);
	assert_true(r.written < n);
	free(big);
}

static void test_run_missing_command(void **state)
{
	struct spawn_result r;
	char msg[256];
	(void)state;

	run_line("xinwen-no-such-command-here x", "text", 4, &r);
	assert_int_equal(r.status, SPAWN_NOT_FOUND);
	assert_int_equal(r.written, 0);
	spawn_describe(&r, "xinwen-no-such-command-here", msg, sizeof msg);
	assert_string_equal(msg, "xinwen-no-such-command-here: command not found");
}

/* The child gets default signal dispositions back even when the reader ignores SIGINT
 * (as it does while a command runs): a shell that sends itself SIGINT dies of it. */
static void test_run_signals_reset_and_reported(void **state)
{
	struct spawn_result r;
	struct sigaction ign, old;
	char msg[256];
	(void)state;

	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &old);
	run_line("sh -c 'kill -INT $$; exit 0'", "", 0, &r);
	sigaction(SIGINT, &old, NULL);
	assert_int_equal(r.status, SPAWN_SIGNALED);
	assert_int_equal(r.code, SIGINT);
	spawn_describe(&r, "sh", msg, sizeof msg);
	assert_non_null(strstr(msg, "sh: killed by signal 2"));

	run_line("sh -c 'cat >/dev/null; exit 0'", "abc", 3, &r);
	assert_int_equal(r.status, SPAWN_EXITED);
	assert_int_equal(r.written, 3);
	spawn_describe(&r, "sh", msg, sizeof msg);
	assert_string_equal(msg, "sh: exit 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_table),
		cmocka_unit_test(test_split_refuses_nul),
		cmocka_unit_test(test_run_argv_with_spaces_and_quotes),
		cmocka_unit_test(test_run_command_that_does_not_read),
		cmocka_unit_test(test_run_missing_command),
		cmocka_unit_test(test_run_signals_reset_and_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
