/* SPDX-License-Identifier: GPL-3.0-or-later */
/* convert.h: showing text in its original, Simplified or Traditional form (OpenCC). */
#ifndef XINWEN_CONVERT_H
#define XINWEN_CONVERT_H

#include <stdbool.h>
#include <stddef.h>

#include "layout.h"
#include "strbuf.h"

/* The form text is shown in; t cycles through them in this order. */
enum convert_mode { CONVERT_ORIGINAL, CONVERT_SIMPLIFIED, CONVERT_TRADITIONAL, CONVERT_COUNT };

/* The mode's name as the status line shows it: "original", "Simplified", "Traditional". */
const char *convert_mode_name(enum convert_mode m);

/* Append n bytes of untrusted text s to out in form m. Only runs of valid UTF-8
 * without NUL go through OpenCC (phrase conversion may change lengths); every other
 * byte is copied as is, for the sanitizer to deal with. CONVERT_ORIGINAL, or OpenCC
 * that cannot be loaded, copies s unchanged; returns false in that last case. */
bool convert_text(enum convert_mode m, const char *s, size_t n, struct strbuf *out);

/* Why conversion to form m is off (OpenCC's configuration cannot be loaded), or NULL. */
const char *convert_problem(enum convert_mode m);

/* layout_prepare (sanitize and analyse) of n bytes of s converted to form m. */
void convert_prepare(enum convert_mode m, struct layout_src *src, const char *s, size_t n);

/* convert_prepare of a text shown as one line (layout_prepare_line). */
void convert_prepare_line(enum convert_mode m, struct layout_src *src, const char *s, size_t n);

#endif
