/* SPDX-License-Identifier: GPL-3.0-or-later */
/* firstscreen.c: time a terminal program to its first screen on a pseudo-terminal, for
 * bench/run (bench/README.md).
 *
 *   firstscreen [-s ROWSxCOLS] [-m MARKER] [-w WHOLE] [-k KEYS -d DONE] [-i MS]
 *               [-q KEYS] [-t S] PROG [ARG...]
 *
 * Runs PROG on a new pty of ROWSxCOLS (default 40x120) and reads what it writes. The
 * clock starts just before the fork and stops when the output holds MARKER (default
 * "Article 1/", the start of the reader's status line): the first screen. With -w, it
 * then waits for WHOLE too (the reader's "Loaded all" once it has loaded the rest of a
 * collection it showed the first files of) and takes that moment. Then it types
 * KEYS and stops a second clock when the output written after them holds DONE. With -i,
 * it then waits until the program has used no CPU for MS milliseconds (from
 * /proc/PID/stat, in clock ticks, read every 10 ms) and takes the last moment it did as
 * "idle". At each point it reads the program's peak RSS (VmHWM in /proc/PID/status).
 * Then it types the -q keys (default "q"), waits for the program to end and prints one
 * line of NAME=VALUE figures (times in ms from the start, sizes in KiB):
 *
 *   first_ms first_hwm_kb [whole_ms whole_hwm_kb] [done_ms done_hwm_kb]
 *   [idle_ms idle_hwm_kb] maxrss_kb status
 *
 * The markers are looked for in the raw bytes the program writes, so they must be text
 * that is drawn whole (a changed message, not a count updated in place). Exits 1, with
 * the end of the program's output (escaped), when the program ends or -t S seconds
 * (default 600) pass before a marker; 2 on bad usage. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* The output kept for looking for markers and for the error report. */
#define TAIL 4096

static struct timespec t_start;
static int master = -1;
static pid_t child;
static long timeout_ms = 600000;
static char tail[TAIL];
static size_t tail_n;
static int exited, exit_status;
static struct rusage usage;

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t_start.tv_sec) * 1e3 +
	       (double)(t.tv_nsec - t_start.tv_nsec) / 1e6;
}

static void usage_exit(void)
{
	fputs("usage: firstscreen [-s ROWSxCOLS] [-m MARKER] [-w WHOLE] [-k KEYS -d DONE] [-i MS]"
	      " [-q KEYS] [-t SECONDS] PROG [ARG...]\n",
	      stderr);
	exit(2);
}

/* The end of the program's output on stderr, control bytes escaped, then exit 1. */
static void fail(const char *what)
{
	fprintf(stderr, "firstscreen: %s; the end of its output:\n", what);
	for (size_t i = 0; i < tail_n; i++) {
		unsigned char c = (unsigned char)tail[i];
		if (c == '\n' || (c >= 0x20 && c != 0x7f))
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fputc('\n', stderr);
	if (!exited) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	}
	exit(1);
}

/* Peak RSS of the program so far, in KiB (VmHWM), or -1. */
static long vm_hwm(void)
{
	char path[64], line[256];
	long kb = -1;
	snprintf(path, sizeof path, "/proc/%ld/status", (long)child);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* The program's user + system CPU time so far, in clock ticks (every thread), or -1. */
static long cpu_ticks(void)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)child);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* the name may hold spaces */
	unsigned long ut, st;
	if (!p ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (long)(ut + st);
}

/* Read what the program wrote, waiting at most wait_ms; keep the last TAIL bytes and set
 * *found when marker (if any) ends in what was read. Returns how many bytes were read
 * (0: none, or the program has ended). */
static size_t pump(int wait_ms, const char *marker, int *found)
{
	struct pollfd p = {.fd = master, .events = POLLIN};
	static char buf[TAIL + 65536];
	size_t keep = 0;

	if (marker) { /* the marker may have begun in what was read before */
		keep = strlen(marker) - 1;
		keep = keep < tail_n ? keep : tail_n;
		memcpy(buf, tail + tail_n - keep, keep);
	}
	if (master < 0 || poll(&p, 1, wait_ms) <= 0)
		return 0;
	ssize_t n = read(master, buf + keep, sizeof buf - TAIL);
	if (n <= 0) { /* EIO: the slave side is closed */
		close(master);
		master = -1;
		return 0;
	}
	size_t k = (size_t)n;
	if (marker && memmem(buf, keep + k, marker, strlen(marker)))
		*found = 1;
	if (k >= TAIL) {
		memcpy(tail, buf + keep + k - TAIL, TAIL);
		tail_n = TAIL;
	} else {
		if (tail_n + k > TAIL) {
			memmove(tail, tail + (tail_n + k - TAIL), TAIL - k);
			tail_n = TAIL - k;
		}
		memcpy(tail + tail_n, buf + keep, k);
		tail_n += k;
	}
	return k;
}

/* Whether the program has ended (reaped, its rusage kept). */
static int reaped(void)
{
	if (!exited && wait4(child, &exit_status, WNOHANG, &usage) == child)
		exited = 1;
	return exited;
}

/* Read until the output written from now on holds marker; the time it came. */
static double wait_for(const char *marker, const char *what)
{
	int found = 0;

	tail_n = 0;
	for (;;) {
		size_t k = pump(100, marker, &found);
		if (found)
			return now_ms();
		if (!k && (master < 0 || reaped())) {
			char msg[256];
			snprintf(msg, sizeof msg, "the program ended before %s (\"%s\")", what,
				 marker);
			fail(msg);
		}
		if (now_ms() > (double)timeout_ms) {
			char msg[256];
			snprintf(msg, sizeof msg, "no %s (\"%s\") within %ld s", what, marker,
				 timeout_ms / 1000);
			fail(msg);
		}
	}
}

/* Type keys on the terminal. */
static void type(const char *keys)
{
	size_t n = strlen(keys);
	while (n > 0 && master >= 0) {
		ssize_t w = write(master, keys, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		keys += w;
		n -= (size_t)w;
	}
}

/* Wait until the program has used no CPU for quiet_ms; the last time it did. */
static double wait_idle(long quiet_ms)
{
	long last = cpu_ticks();
	double changed = now_ms();

	while (now_ms() - changed < (double)quiet_ms) {
		double t = now_ms();
		while (now_ms() - t < 10)
			if (!pump(10, NULL, NULL) && (master < 0 || reaped()))
				fail("the program ended before it was idle");
		long c = cpu_ticks();
		if (c != last) {
			last = c;
			changed = now_ms();
		}
		if (now_ms() > (double)timeout_ms)
			fail("the program was not idle in time");
	}
	return changed;
}

static void start(char **argv, int rows, int cols)
{
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};

	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) || unlockpt(master)) {
		perror("firstscreen: pty");
		exit(1);
	}
	const char *name = ptsname(master);
	if (!name) {
		perror("firstscreen: ptsname");
		exit(1);
	}
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	child = fork();
	if (child < 0) {
		perror("firstscreen: fork");
		exit(1);
	}
	if (child == 0) {
		setsid();
		int slave = open(name, O_RDWR);
		if (slave < 0)
			_exit(126);
		ioctl(slave, TIOCSCTTY, 0);
		ioctl(slave, TIOCSWINSZ, &ws);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
		close(master);
		execvp(argv[0], argv);
		fprintf(stderr, "firstscreen: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
}

int main(int argc, char **argv)
{
	const char *marker = "Article 1/", *keys = NULL, *done = NULL, *quit = "q", *whole = NULL;
	int rows = 40, cols = 120, opt;
	long idle = -1;

	while ((opt = getopt(argc, argv, "+s:m:w:k:d:i:q:t:")) != -1) {
		switch (opt) {
		case 's':
			if (sscanf(optarg, "%dx%d", &rows, &cols) != 2 || rows < 2 || cols < 2 ||
			    rows > 1000 || cols > 1000)
				usage_exit();
			break;
		case 'm': marker = optarg; break;
		case 'w': whole = optarg; break;
		case 'k': keys = optarg; break;
		case 'd': done = optarg; break;
		case 'i': idle = atol(optarg); break;
		case 'q': quit = optarg; break;
		case 't': timeout_ms = atol(optarg) * 1000; break;
		default: usage_exit();
		}
	}
	if (optind >= argc || !*marker || (keys && (!done || !*done)) || (done && !keys))
		usage_exit();
	signal(SIGPIPE, SIG_IGN);
	start(argv + optind, rows, cols);

	double first = wait_for(marker, "the first screen");
	long first_hwm = vm_hwm();
	printf("first_ms=%.1f first_hwm_kb=%ld", first, first_hwm);
	if (whole && *whole) { /* it may have come with the first screen */
		double t = memmem(tail, tail_n, whole, strlen(whole))
				   ? first
				   : wait_for(whole, "the whole list");
		printf(" whole_ms=%.1f whole_hwm_kb=%ld", t, vm_hwm());
	}
	if (keys) {
		type(keys);
		double t = wait_for(done, "the end marker");
		long hwm = vm_hwm();
		printf(" done_ms=%.1f done_hwm_kb=%ld", t, hwm);
	}
	if (idle >= 0) {
		double t = wait_idle(idle);
		long hwm = vm_hwm();
		printf(" idle_ms=%.1f idle_hwm_kb=%ld", t, hwm);
	}
	type(quit);
	while (!reaped()) {
		if (!pump(50, NULL, NULL) && master < 0)
			usleep(10000);
		if (now_ms() > (double)timeout_ms)
			fail("the program did not quit");
	}
	if (master >= 0)
		close(master);
	printf(" maxrss_kb=%ld status=%d\n", usage.ru_maxrss,
	       WIFEXITED(exit_status) ? WEXITSTATUS(exit_status) : 128 + WTERMSIG(exit_status));
	return 0;
}
