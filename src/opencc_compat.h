/* SPDX-License-Identifier: GPL-3.0-or-later */
/* opencc_compat.h: OpenCC, or when xinwen is built without it (configure
 * --without-opencc) the few names convert.c and fold.c use, with no converter ever
 * opening: the Traditional/Simplified view and matching then say they are off. */
#ifndef XINWEN_OPENCC_COMPAT_H
#define XINWEN_OPENCC_COMPAT_H

#include <config.h>

#ifdef HAVE_OPENCC
#include <opencc/opencc.h>
#else
#include <stddef.h>

typedef void *opencc_t;
#define OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP "t2s.json (xinwen was built without OpenCC)"
#define OPENCC_DEFAULT_CONFIG_SIMP_TO_TRAD "s2t.json (xinwen was built without OpenCC)"

static inline opencc_t opencc_open(const char *config)
{
	(void)config;
	return (opencc_t)-1;
}

static inline char *opencc_convert_utf8(opencc_t cc, const char *s, size_t n)
{
	(void)cc, (void)s, (void)n;
	return NULL;
}

static inline void opencc_convert_utf8_free(char *s)
{
	(void)s;
}

static inline int opencc_close(opencc_t cc)
{
	(void)cc;
	return 0;
}
#endif

#endif
