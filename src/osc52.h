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
 * spaces, cut at OSC52_MAX_TEXT bytes on a character boundary. With tmux, wrapped in
 * tmux's DCS passthrough (ESC P tmux; ... ESC \, every ESC inside doubled), which
 * tmux passes to the outer terminal when its allow-passthrough option is on. */
void osc52_sequence(const char *s, size_t n, bool tmux, struct strbuf *out);

/* Append the base64 (RFC 4648, padded) of n bytes of p to out. */
void osc52_base64(const unsigned char *p, size_t n, struct strbuf *out);

#endif
