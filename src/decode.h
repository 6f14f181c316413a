/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decode.h: reading text in a legacy encoding (GB18030, Big5, any encoding iconv knows)
 * as UTF-8, with the undecodable bytes and mixed encodings reported by line. */
#ifndef XINWEN_DECODE_H
#define XINWEN_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "xalloc.h"

/* What the automatic choice reads text that is not UTF-8 as. */
#define DECODE_AUTO_LEGACY "GB18030"

/* A converter for one file (it remembers which lines were which encoding). */
struct decoder {
	char *enc;              /* iconv's name; NULL: automatic (UTF-8, else GB18030) */
	void *cd;               /* iconv_t to UTF-8, opened on first use */
	size_t utf8_line;       /* automatic: the first line read as UTF-8 (0: none) */
	size_t legacy_line;     /* automatic: the first line read as GB18030 (0: none) */
	bool mixed_reported;
};

/* Whether enc names UTF-8 (any spelling iconv accepts: utf8, UTF-8, ...). */
bool decode_is_utf8(const char *enc);

/* Whether iconv can convert from enc to UTF-8. */
bool decode_known(const char *enc);

/* Prepare d for one file: enc is an iconv name, or NULL for the automatic choice, in
 * which each line that is valid UTF-8 stays as it is and any other is GB18030. */
void decoder_init(struct decoder *d, const char *enc);

/* Free what d holds. */
void decoder_free(struct decoder *d);

/* What decoder_run found: the caller reports it (format_report_decode). */
struct decode_problems {
	size_t nbad;           /* undecodable bytes, shown as U+FFFD */
	size_t first_bad_line; /* the line of the first */
	/* automatic choice: the first line read as UTF-8 and the first read as GB18030,
	 * set once per decoder, by the call that finds lines of both (else 0) */
	size_t mixed_utf8_line, mixed_legacy_line;
};

/* The encoding d reads text that is not UTF-8 as. */
const char *decoder_name(const struct decoder *d);

/* Convert n bytes, whose first byte is on line first_line, to a new NUL-terminated
 * UTF-8 buffer (*out_n bytes). Each undecodable byte becomes U+FFFD; *pr says how many
 * and where, and (once per decoder) that the lines mix UTF-8 and GB18030. */
char *decoder_run(struct decoder *d, size_t first_line, const char *bytes, size_t n,
		  size_t *out_n, struct decode_problems *pr);

#endif
