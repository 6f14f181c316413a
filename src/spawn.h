/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spawn.h: running a command the user typed, without a shell: the line split into an
 * argv with shell-like quoting but no expansion, a text fed to its standard input. */
#ifndef XINWEN_SPAWN_H
#define XINWEN_SPAWN_H

#include <stdbool.h>
#include <stddef.h>

#include "xalloc.h"

/* Words of a command; v[n] is NULL once spawn_split made it, as execvp wants. */
typedef VEC(char *) spawn_argv;

/* Split n bytes of line into words at blanks (space, TAB, newline), as a POSIX shell
 * would with no expansion at all: '...' keeps everything literally; "..." keeps
 * everything but \" \\ \$ \` and a backslash-newline; outside quotes a backslash keeps
 * the next byte. Appends the words to *argv; returns false and writes a message to err
 * on an unterminated quote, a trailing backslash, a NUL byte or an empty command. */
bool spawn_split(const char *line, size_t n, spawn_argv *argv, char *err, size_t errlen);

/* Free the words and the array, and zero it. */
void spawn_argv_free(spawn_argv *argv);

/* How a command ended. */
enum spawn_status {
	SPAWN_EXITED,	 /* code: its exit status */
	SPAWN_SIGNALED,	 /* code: the signal that killed it */
	SPAWN_NOT_FOUND, /* no such command in PATH */
	SPAWN_FAILED,	 /* code: the errno of what failed (fork, pipe, exec) */
};

struct spawn_result {
	enum spawn_status status;
	int code;
	size_t written; /* bytes of the input the command took before it closed its end */
};

/* Run argv (argv[0] looked up in PATH) with n bytes of input on its standard input (or
 * the caller's standard input when input is NULL) and the caller's standard output and
 * error, and wait for it. A command that exits or
 * closes its input early just gets less of it (no SIGPIPE); signals are set back to
 * their defaults in the child. */
void spawn_run(char *const argv[], const char *input, size_t n, struct spawn_result *r);

/* Whether name is a program that can be run: a path with '/', else found in $PATH. */
bool spawn_in_path(const char *name);

/* Describe how the command name ended: "NAME: exit 0", "NAME: killed by signal 9
 * (Killed)", "NAME: command not found", "NAME: cannot run: ..." (name is untrusted
 * only in the sense that it is what was typed: the caller sanitizes what it draws). */
void spawn_describe(const struct spawn_result *r, const char *name, char *buf, size_t len);

#endif
