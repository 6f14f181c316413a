/* SPDX-License-Identifier: GPL-3.0-or-later */
/* log.h: the debug log of xinwen -v, as tmux's: one line per event (a job started or
 * ended, a collection or catalog read, the config file, the index's progress) appended
 * to a file of its own, from any thread, without a lock. Off (a no-op) unless opened. */
#ifndef XINWEN_LOG_H
#define XINWEN_LOG_H

#include <stdbool.h>

#include "strbuf.h"

/* Open the log at level (1: -v, 2: -vv) as the file xinwen-PID.log in directory dir,
 * made (mode 0700) when missing and refused as fileio_private_dir says; false, why
 * saying why, when it cannot be. Call before any thread is started. */
bool log_open(const char *dir, int level, struct strbuf *why);

/* The file the log is written to, or NULL when it is off. */
const char *log_path(void);

/* Write a line to the log when it is on (level 1 or more): the seconds since it was
 * opened, the thread, then the printf-formatted text, escaped as the text may come from
 * files: ill-formed UTF-8 and ASCII controls as \xNN, the other controls (C1, bidi,
 * invisible) as \u{NNNN}. */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* log_debug for the details written only at level 2 (-vv): each file read. */
void log_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Close the log (after every thread has ended); log_path is NULL after. */
void log_close(void);

#endif
