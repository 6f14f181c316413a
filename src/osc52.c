/* SPDX-License-Identifier: GPL-3.0-or-later */
/* osc52.c: the OSC 52 escape sequence that puts text on the terminal's clipboard. */
#include <config.h>

#include "osc52.h"

#include <stdlib.h>

#include "text.h"

void osc52_base64(const unsigned char *p, size_t n, struct strbuf *out)
{
	static const char digits[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	for (size_t i = 0; i < n; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		sb_putc(out, digits[v >> 18 & 63]);
		sb_putc(out, digits[v >> 12 & 63]);
		sb_putc(out, i + 1 < n ? digits[v >> 6 & 63] : '=');
		sb_putc(out, i + 2 < n ? digits[v & 63] : '=');
	}
}

void osc52_sequence(const char *s, size_t n, struct strbuf *out)
{
	struct dtext t;

	dtext_sanitize(&t, s, n);
	for (size_t i = 0; i < t.n; i++)
		if (t.s[i] == '\t' || t.s[i] == '\n')
			t.s[i] = ' ';
	size_t len = t.n;
	if (len > OSC52_MAX_TEXT) {
		len = OSC52_MAX_TEXT;
		while (len > 0 && ((unsigned char)t.s[len] & 0xC0) == 0x80)
			len--;
	}
	sb_puts(out, "\033]52;c;");
	osc52_base64((const unsigned char *)t.s, len, out);
	sb_puts(out, "\a");
	dtext_free(&t);
}

const char *osc52_outcome(void)
{
	if (getenv("TMUX"))
		return "Headline sent (OSC 52): copied only if tmux's set-clipboard is on";
	if (getenv("STY"))
		return "Headline sent (OSC 52): GNU screen may not pass it on";
	return "Headline copied (OSC 52)";
}
