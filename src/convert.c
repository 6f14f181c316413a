/* SPDX-License-Identifier: GPL-3.0-or-later */
/* convert.c: showing text in its original, Simplified or Traditional form (OpenCC). */
#include <config.h>

#include "convert.h"

#include "opencc_compat.h"
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistr.h>

#include "i18n.h"

/* One OpenCC converter per mode, opened on first use. */
static struct {
	opencc_t cc;
	bool tried;
	char problem[160];
} converters[CONVERT_COUNT];

static const char *const config_of[CONVERT_COUNT] = {
	[CONVERT_SIMPLIFIED] = OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP,
	[CONVERT_TRADITIONAL] = OPENCC_DEFAULT_CONFIG_SIMP_TO_TRAD,
};

const char *convert_mode_name(enum convert_mode m)
{
	switch (m) {
	case CONVERT_SIMPLIFIED: return N_("Simplified");
	case CONVERT_TRADITIONAL: return N_("Traditional");
	default: return N_("original");
	}
}

/* The converter of mode m, or NULL (with the problem recorded) when it cannot be had. */
static opencc_t converter(enum convert_mode m)
{
	if ((unsigned)m >= CONVERT_COUNT || m == CONVERT_ORIGINAL)
		return NULL;
	if (!converters[m].tried) {
		converters[m].tried = true;
		converters[m].cc = opencc_open(config_of[m]);
		if (converters[m].cc == (opencc_t)-1) {
			converters[m].cc = NULL;
			snprintf(converters[m].problem, sizeof converters[m].problem,
				 "%s view is off: OpenCC's %s cannot be loaded",
				 convert_mode_name(m), config_of[m]);
		}
	}
	return converters[m].cc;
}

const char *convert_problem(enum convert_mode m)
{
	if (m == CONVERT_ORIGINAL || (unsigned)m >= CONVERT_COUNT)
		return NULL;
	converter(m);
	return converters[m].problem[0] ? converters[m].problem : NULL;
}

/* Convert one run of valid UTF-8 without NUL; OpenCC wants it NUL-terminated. */
static void convert_run(opencc_t cc, const char *s, size_t n, struct strbuf *scratch,
			struct strbuf *out)
{
	sb_clear(scratch);
	sb_append(scratch, s, n);
	char *conv = opencc_convert_utf8(cc, sb_cstr(scratch), n);
	if (!conv) {
		sb_append(out, s, n);
		return;
	}
	/* OpenCC's answer is itself checked: the sanitizer sees it anyway, but a run that
	 * came back invalid is replaced by what went in. */
	size_t len = strlen(conv);
	if (u8_check((const uint8_t *)conv, len))
		sb_append(out, s, n);
	else
		sb_append(out, conv, len);
	opencc_convert_utf8_free(conv);
}

bool convert_text(enum convert_mode m, const char *s, size_t n, struct strbuf *out)
{
	opencc_t cc = converter(m);
	struct strbuf scratch = {0};
	const uint8_t *u = (const uint8_t *)s, *end = u + n;

	if (!cc) {
		sb_append(out, s, n);
		return m == CONVERT_ORIGINAL;
	}
	while (u < end) {
		/* The longest run from u of valid UTF-8 without NUL... */
		const uint8_t *bad = u8_check(u, (size_t)(end - u));
		const uint8_t *stop = bad ? bad : end;
		const uint8_t *nul = memchr(u, '\0', (size_t)(stop - u));
		stop = nul ? nul : stop;
		if (stop > u)
			convert_run(cc, (const char *)u, (size_t)(stop - u), &scratch, out);
		if (stop == end)
			break;
		/* ...then the byte that ended it, copied as is. */
		sb_putc(out, (char)*stop);
		u = stop + 1;
	}
	sb_free(&scratch);
	/* sb_append of nothing leaves out->s NULL: make "" of an empty text. */
	if (!out->s)
		sb_append(out, "", 0);
	return true;
}

/* convert_prepare, the text made one line when one_line. */
static void prepare(enum convert_mode m, struct layout_src *src, const char *s, size_t n,
		    bool one_line)
{
	struct strbuf conv = {0};

	if (m != CONVERT_ORIGINAL) {
		convert_text(m, s, n, &conv);
		s = conv.s ? conv.s : "";
		n = conv.n;
	}
	if (one_line)
		layout_prepare_line(src, s, n);
	else
		layout_prepare(src, s, n);
	sb_free(&conv);
}

void convert_prepare(enum convert_mode m, struct layout_src *src, const char *s, size_t n)
{
	prepare(m, src, s, n, false);
}

void convert_prepare_line(enum convert_mode m, struct layout_src *src, const char *s, size_t n)
{
	prepare(m, src, s, n, true);
}
