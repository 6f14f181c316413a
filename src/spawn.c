/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spawn.c: running a command the user typed, without a shell. */
#include <config.h>

#include "spawn.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strbuf.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static bool say(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return false;
}

bool spawn_split(const char *line, size_t n, spawn_argv *argv, char *err, size_t errlen)
{
	struct strbuf word = {0};
	size_t first = argv->n, i = 0;
	bool ok = true;

	if (memchr(line, '\0', n)) {
		ok = say(err, errlen, "the command holds a NUL byte");
		n = 0;
	}
	while (ok && i < n) {
		while (i < n && is_blank(line[i]))
			i++;
		if (i == n)
			break;
		sb_clear(&word);
		sb_append(&word, "", 0); /* "" and '' are words too */
		while (ok && i < n && !is_blank(line[i])) {
			char c = line[i++];
			if (c == '\'') {
				const char *close = memchr(line + i, '\'', n - i);
				if (!close) {
					ok = say(err, errlen, "unterminated ' quote");
					break;
				}
				sb_append(&word, line + i, (size_t)(close - (line + i)));
				i = (size_t)(close - line) + 1;
			} else if (c == '"') {
				while (i < n && line[i] != '"') {
					if (line[i] == '\\' && i + 1 < n &&
					    strchr("\"\\$`\n", line[i + 1])) {
						if (line[i + 1] != '\n')
							sb_putc(&word, line[i + 1]);
						i += 2;
					} else {
						sb_putc(&word, line[i++]);
					}
				}
				if (i == n) {
					ok = say(err, errlen, "unterminated \" quote");
					break;
				}
				i++;
			} else if (c == '\\') {
				if (i == n) {
					ok = say(err, errlen, "a backslash ends the command");
					break;
				}
				if (line[i] != '\n')
					sb_putc(&word, line[i]);
				i++;
			} else {
				sb_putc(&word, c);
			}
		}
		if (ok)
			VEC_PUSH(argv, xstrndup(word.s, word.n));
	}
	sb_free(&word);
	if (ok && argv->n == first)
		ok = say(err, errlen, "no command given");
	if (!ok) {
		while (argv->n > first)
			free(argv->v[--argv->n]);
	}
	/* Keep argv NULL-terminated for execvp, without counting the NULL. */
	VEC_PUSH(argv, NULL);
	argv->n--;
	return ok;
}

void spawn_argv_free(spawn_argv *argv)
{
	for (size_t i = 0; i < argv->n; i++)
		free(argv->v[i]);
	free(argv->v);
	memset(argv, 0, sizeof *argv);
}

/* In the child: default signal dispositions and an empty mask, stdin from fd in. */
static void child_exec(char *const argv[], int in, int status_fd)
{
	static const int sigs[] = {SIGINT, SIGQUIT,  SIGPIPE, SIGTERM,
				   SIGHUP, SIGWINCH, SIGTSTP, SIGCHLD};
	struct sigaction dfl;
	sigset_t none;

	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (in != STDIN_FILENO) {
		if (dup2(in, STDIN_FILENO) < 0)
			goto fail;
		close(in);
	}
	execvp(argv[0], argv);
fail:;
	int e = errno;
	ssize_t w = write(status_fd, &e, sizeof e);
	(void)w;
	_exit(127);
}

/* Close both ends of a pipe made by spawn_run (in[1] < 0: no pipe). */
static void close_pipe(int in[2])
{
	if (in[1] < 0)
		return;
	close(in[0]);
	close(in[1]);
}

bool spawn_in_path(const char *name)
{
	const char *path = getenv("PATH");
	struct strbuf full = {0};
	bool found = false;

	if (strchr(name, '/'))
		return access(name, X_OK) == 0;
	if (!path || !*path)
		path = "/usr/bin:/bin";
	while (!found && *path) {
		size_t n = strcspn(path, ":");
		sb_clear(&full);
		sb_printf(&full, "%.*s/%s", (int)n, n ? path : ".", name);
		found = access(full.s, X_OK) == 0;
		path += n + (path[n] == ':');
	}
	sb_free(&full);
	return found;
}

/* Write all n bytes to fd, stopping early when the reader is gone; returns bytes taken. */
static size_t write_all(int fd, const char *p, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t w = write(fd, p + done, n - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break; /* EPIPE: the command does not want the rest */
		done += (size_t)w;
	}
	return done;
}

void spawn_run(char *const argv[], const char *input, size_t n, struct spawn_result *r)
{
	int in[2], status[2];
	struct sigaction ign, old_pipe;

	memset(r, 0, sizeof *r);
	r->status = SPAWN_FAILED;
	if (!input) { /* the caller's standard input: no pipe */
		in[0] = STDIN_FILENO;
		in[1] = -1;
	} else if (pipe2(in, O_CLOEXEC) < 0) {
		r->code = errno;
		return;
	}
	if (pipe2(status, O_CLOEXEC) < 0) {
		r->code = errno;
		close_pipe(in);
		return;
	}
	pid_t pid = fork();
	if (pid == 0) {
		if (in[1] >= 0)
			close(in[1]);
		close(status[0]);
		child_exec(argv, in[0], status[1]);
	}
	int fork_errno = errno;
	if (in[1] >= 0)
		close(in[0]);
	close(status[1]);
	if (pid < 0) {
		r->code = fork_errno;
		if (in[1] >= 0)
			close(in[1]);
		close(status[0]);
		return;
	}
	/* The status pipe closes on a successful exec, or brings exec's errno. */
	int exec_errno = 0;
	ssize_t got;
	do
		got = read(status[0], &exec_errno, sizeof exec_errno);
	while (got < 0 && errno == EINTR);
	close(status[0]);
	if (got != (ssize_t)sizeof exec_errno && in[1] >= 0) {
		exec_errno = 0;
		memset(&ign, 0, sizeof ign);
		ign.sa_handler = SIG_IGN;
		sigemptyset(&ign.sa_mask);
		sigaction(SIGPIPE, &ign, &old_pipe);
		r->written = write_all(in[1], input, n);
		sigaction(SIGPIPE, &old_pipe, NULL);
	}
	if (in[1] >= 0)
		close(in[1]);
	int ws;
	while (waitpid(pid, &ws, 0) < 0) {
		if (errno != EINTR) {
			r->code = errno;
			return;
		}
	}
	if (exec_errno) {
		r->status = exec_errno == ENOENT ? SPAWN_NOT_FOUND : SPAWN_FAILED;
		r->code = exec_errno;
	} else if (WIFSIGNALED(ws)) {
		r->status = SPAWN_SIGNALED;
		r->code = WTERMSIG(ws);
	} else {
		r->status = SPAWN_EXITED;
		r->code = WEXITSTATUS(ws);
	}
}

void spawn_describe(const struct spawn_result *r, const char *name, char *buf, size_t len)
{
	switch (r->status) {
	case SPAWN_EXITED: snprintf(buf, len, _("%s: exit %d"), name, r->code); break;
	case SPAWN_SIGNALED:
		snprintf(buf, len, _("%s: killed by signal %d (%s)"), name, r->code,
			 strsignal(r->code));
		break;
	case SPAWN_NOT_FOUND: snprintf(buf, len, _("%s: command not found"), name); break;
	case SPAWN_FAILED:
		snprintf(buf, len, _("%s: cannot run: %s"), name, strerror(r->code));
		break;
	}
}
