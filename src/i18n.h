/* SPDX-License-Identifier: GPL-3.0-or-later */
/* i18n.h: messages in the user's language through gettext (po/), English without it
 * (./configure --disable-nls). */
#ifndef XINWEN_I18N_H
#define XINWEN_I18N_H

#include <config.h>

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) ((const char *)(s))
#define ngettext(one, many, n) ((n) == 1 ? (const char *)(one) : (const char *)(many))
static inline const char *bindtextdomain(const char *domain, const char *dir)
{
	(void)domain;
	return dir;
}
static inline const char *bind_textdomain_codeset(const char *domain, const char *codeset)
{
	(void)domain;
	return codeset;
}
static inline const char *textdomain(const char *domain)
{
	return domain;
}
#endif
/* A message marked for translation where it is defined, translated where it is shown. */
#define N_(s) s

#endif
