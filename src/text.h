/* SPDX-License-Identifier: GPL-3.0-or-later */
/* text.h: turning untrusted bytes into valid, display-safe UTF-8 (doc/LAYOUT.md §1, §4). */
#ifndef XINWEN_TEXT_H
#define XINWEN_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "strbuf.h"

/* Per-byte flag of a display text: this byte is caret text standing for a control. */
#define DTEXT_CARET 1u

/* Display-safe UTF-8: every code point has wcwidth() >= 0 except LF and TAB, no bidi
 * or invisible controls, clusters capped at 5 code points. flags[i] marks byte i. */
struct dtext {
	char *s;
	unsigned char *flags;
	size_t n;
	bool simple; /* every code point is a grapheme cluster by itself (text.c is_simple) */
};

/* Sanitize n arbitrary bytes for display (doc/LAYOUT.md §4): invalid UTF-8, C1 and
 * unprintable code points become U+FFFD, C0 controls and DEL caret text (^[, ^?),
 * CR, CRLF, U+2028 and U+2029 become LF, bidi and invisible controls are dropped,
 * a combining mark with no base gets U+00A0, clusters are cut to 5 code points. */
void dtext_sanitize(struct dtext *out, const char *s, size_t n);

/* For terminals that draw East Asian Ambiguous characters two columns wide (doc/LAYOUT.md
 * §1): replace the common ambiguous punctuation with forms whose width every terminal
 * and wcwidth() agree on (… ⋯, · • ・, “ ” 「 」, ‘ ’ 『 』, — －, U+FFFD ?) and the box
 * drawing of trees with ASCII (─ - , │ ├ |, └ `). */
void dtext_wide_safe(struct dtext *t);

/* Whether the sanitizer takes its fast paths (the default): copying runs of code points
 * it keeps at once, widths from a cache, no cluster pass over a simple text. Tests turn
 * them off to compare with the plain per-character path; a process-wide setting. */
void text_set_fast(bool on);

/* Make a display text one line, as a title or any field of a list is shown: each TAB
 * and line break (LF, which CR, U+2028 and U+2029 became) a space, in place. */
void dtext_one_line(struct dtext *t);

/* Free a display text's buffers. */
void dtext_free(struct dtext *t);

/* Columns a cluster of valid UTF-8 takes on screen: the sum of wcwidth() over its
 * code points (the measure ncurses uses), negative values counted as 1. */
int text_cluster_width(const char *s, size_t n);

/* Write untrusted text to f sanitized (doc/LAYOUT.md §4) and made one line (dtext_one_line). */
void text_put_safe(FILE *f, const char *s, size_t n);

/* Append a file's name (n bytes, any bytes: a path, an archive member, an id made of a
 * file's name) to out as it is shown, unambiguous and display-safe: each byte of
 * ill-formed UTF-8 and each ASCII control as \xNN (GBK's 体育 as \xCC\xE5\xD3\xFD),
 * a backslash as \\, and the other code points the sanitizer would not show as they are
 * (C1, bidirectional and invisible controls, line separators) as \u{NNNN}, as ls -b and
 * the debug log escape them; returns whether anything was escaped. */
bool text_escape_name(struct strbuf *out, const char *s, size_t n);

/* The bytes of a name text_escape_name showed as shown (NUL-terminated), appended to
 * out; false, out as it was, when shown holds no escape or one it never writes. */
bool text_unescape_name(struct strbuf *out, const char *shown);

/* The NUL-terminated name s as text_escape_name shows it, in out (cleared first): for a
 * name written inside a message's text (a command to type, say). */
const char *text_name_shown(struct strbuf *out, const char *s);

/* Write a file's name to f as text_escape_name shows it. */
void text_put_name(FILE *f, const char *s, size_t n);

#endif
