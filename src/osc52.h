/* SPDX-License-Identifier: GPL-3.0-or-later */
/* osc52.h: the OSC 52 escape sequence that puts text on the terminal's clipboard. */
#ifndef XINWEN_OSC52_H
#define XINWEN_OSC52_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* Longest text copied, in bytes after sanitizing (terminals cap the sequence). */
#define OSC52_MAX_TEXT 65536

/* Append to out the sequence ESC ] 52 ; c ; BASE64 BEL that copies n bytes of
 * untrusted text s: sanitized first (doc/LAYOUT.md §4) with TABs and line breaks as
 * spaces, cut at OSC52_MAX_TEXT bytes on a character boundary. Plain inside tmux too:
 * tmux takes it itself when its set-clipboard option is on (a passthrough wrapping is
 * dropped while allow-passthrough is off, tmux 3.3's default). */
void osc52_sequence(const char *s, size_t n, struct strbuf *out);

/* The status line's words after a copy: whether the reader can know it arrived. A
 * terminal never answers OSC 52; inside tmux (or screen) the copy arrives only when
 * the multiplexer is set to take it (tmux: set-clipboard on), which is said. */
const char *osc52_outcome(void);

/* Append the base64 (RFC 4648, padded) of n bytes of p to out. */
void osc52_base64(const unsigned char *p, size_t n, struct strbuf *out);

#endif
