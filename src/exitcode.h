/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exitcode.h: xinwen's exit statuses, the same in every mode (as grep's): 0 done or
 * found, 1 nothing matched (--search) or problems found (--check, --check-config),
 * 2 an error (a path that cannot be read, a bad option, no such article). */
#ifndef XINWEN_EXITCODE_H
#define XINWEN_EXITCODE_H

enum exit_status {
	EXIT_OK = 0,	   /* done; something matched */
	EXIT_NO_MATCH = 1, /* nothing matched; the checked collection or config has problems */
	EXIT_TROUBLE = 2,  /* an error: nothing or not everything could be done */
};

#endif
