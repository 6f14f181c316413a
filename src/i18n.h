/* SPDX-License-Identifier: GPL-3.0-or-later */
/* i18n.h: messages in the user's language through gettext (po/), English without it. */
#ifndef XINWEN_I18N_H
#define XINWEN_I18N_H

#include <config.h>

#if ENABLE_NLS
#include <libintl.h>
#define _(s) gettext(s)
#else
#define _(s) ((const char *)(s))
#define ngettext(one, many, n) ((n) == 1 ? (const char *)(one) : (const char *)(many))
#define bindtextdomain(domain, dir) ((const char *)(dir))
#define bind_textdomain_codeset(domain, codeset) ((const char *)(codeset))
#define textdomain(domain) ((const char *)(domain))
#endif
/* A message marked for translation where it is defined, translated where it is shown. */
#define N_(s) s

#endif
