/* SPDX-License-Identifier: GPL-3.0-or-later */
/* decode.h: reading text in a legacy encoding (GB18030, Big5, any encoding iconv knows)
 * as UTF-8, with the undecodable bytes and mixed encodings reported by line. */
#ifndef XINWEN_DECODE_H
#define XINWEN_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "xalloc.h"

/* What the automatic choice reads text that is not UTF-8 as when detection cannot
 * tell (or is not built in). */
#define DECODE_AUTO_LEGACY "GB18030"

/* A converter for one file (it remembers which lines were which encoding). */
struct decoder {
	char *enc;	      /* iconv's name; NULL: automatic (UTF-8, else detected) */
	const char *detected; /* automatic: the legacy encoding detected, or NULL */
	void *cd;	      /* iconv_t to UTF-8, opened on first use */
	size_t utf8_line;     /* automatic: the first line read as UTF-8 (0: none) */
	size_t legacy_line;   /* automatic: the first line read as GB18030 (0: none) */
	bool mixed_reported;
	bool checked; /* an encoding given: checked against the one detected */
	/* automatic, a file's second part read on its own (decoder_follows): the
	 * detection is not reported, only noted with its line */
	bool quiet_detect;
	size_t detected_line;
	bool iconv_only; /* GB18030 converted by iconv alone, not by its table (tests) */
};

/* Whether enc names UTF-8 (any spelling iconv accepts: utf8, UTF-8, ...). */
bool decode_is_utf8(const char *enc);

/* Whether iconv can convert from enc to UTF-8. */
bool decode_known(const char *enc);

/* Whether enc is "auto", the automatic choice (NULL in the functions below). */
bool decode_is_auto(const char *enc);

/* The legacy Chinese encoding the bytes are in, as uchardet tells: "BIG5" or "GB18030";
 * NULL when they are UTF-8 or ASCII, in another encoding, too few to tell, or when
 * xinwen is built without uchardet. */
const char *decode_detect(const char *bytes, size_t n);

/* The legacy encoding bytes[0..n) are in rather than UTF-8, it seems: NULL when they
 * are UTF-8 or mostly UTF-8 (with damage); else what decode_detect tells; NULL when
 * uchardet names a Japanese or Korean encoding; else (no uchardet, too few bytes for
 * it, or another name) "GB18030" (or "BIG5") when a quarter of them at least are
 * outside ASCII and they are that throughout. */
const char *decode_legacy_guess(const char *bytes, size_t n);

/* Whether xinwen was built with encoding detection (uchardet). */
bool decode_can_detect(void);

struct decode_problems;

/* n bytes read whole in encoding enc (an iconv name, one found in them before: not
 * checked against uchardet again): a new NUL-terminated UTF-8 buffer (*out_n bytes),
 * each undecodable byte U+FFFD, what was found in *pr. */
char *decode_all(const char *enc, const char *bytes, size_t n, size_t *out_n,
		 struct decode_problems *pr);

/* The encodings a file is found in with the automatic choice, as the collection's file
 * tables keep them (loaded_file.encoding, archive_member.encoding, article.body_encoding):
 * its text is its bytes (UTF-8), or them read as GB18030 or as Big5. */
enum decode_found { DECODE_FOUND_UTF8, DECODE_FOUND_GB18030, DECODE_FOUND_BIG5, DECODE_FOUND_N };

/* The decode_found of enc, a name decode_legacy_guess gives ("GB18030", "BIG5"). */
enum decode_found decode_found_of(const char *enc);

/* The encoding (an iconv name) found is, or NULL for DECODE_FOUND_UTF8 or no such one. */
const char *decode_found_name(int found);

/* A whole file read with the automatic choice: when bytes[0..n) are in a legacy
 * encoding rather than UTF-8 (decode_legacy_guess: *enc), the file decoded to a new
 * NUL-terminated buffer (*out_n bytes), its problems in *pr; else NULL (the bytes are
 * read as UTF-8). */
char *decode_auto_file(const char *bytes, size_t n, size_t *out_n, const char **enc,
		       struct decode_problems *pr);

/* A name (of a file, a folder, an archive's member) of n bytes that are not UTF-8 but
 * are GB18030 throughout, as names made on Chinese Windows are (GBK), read as GB18030:
 * a new string; else NULL (UTF-8 already, or not GB18030: left to the caller). Bytes of
 * a Latin code page (accented letters) are seldom GB18030 throughout. */
char *decode_gb18030_name(const char *bytes, size_t n);

/* Prepare d for one file: enc is an iconv name, or NULL for the automatic choice, in
 * which each line that is valid UTF-8 stays as it is and any other is read in the
 * legacy encoding detected (decode_detect: on the first text given that is not UTF-8,
 * said once in a diag), else GB18030. */
void decoder_init(struct decoder *d, const char *enc);

/* Free what d holds. */
void decoder_free(struct decoder *d);

/* What decoder_run found: the caller reports it (format_report_decode). */
struct decode_problems {
	size_t nbad;	       /* undecodable bytes, shown as U+FFFD */
	size_t first_bad_line; /* the line of the first */
	/* automatic choice: the first line read as UTF-8 and the first read as GB18030,
	 * set once per decoder, by the call that finds lines of both (else 0) */
	size_t mixed_utf8_line, mixed_legacy_line;
	/* automatic choice: the legacy encoding detected by this call (else NULL), and at
	 * which line; an encoding given: the one the bytes look like instead (else NULL) */
	const char *detected, *told_unlike;
	size_t detected_line, told_unlike_line;
};

/* The name to suggest to --encoding for a detected encoding ("big5", "gb18030"). */
const char *decode_option_name(const char *enc);

/* The encoding d reads text that is not UTF-8 as. */
const char *decoder_name(const struct decoder *d);

/* Prepare d (decoder_init'ed) to read the second part of a file on its own, beside a
 * decoder reading the first part: as if the first part had been read and had detected
 * its encoding (decoder_follows then tells whether that was so). */
void decoder_start_second(struct decoder *d);

/* Whether second, started with decoder_start_second on the lines after those first
 * read, decoded them and reported on them exactly as first would have continuing. */
bool decoder_follows(const struct decoder *first, const struct decoder *second);

/* Make d (decoder_init'ed with first's encoding) continue where first stopped: read the
 * lines after first's as first would go on reading them. */
void decoder_continue(struct decoder *d, const struct decoder *first);

/* Convert n bytes, whose first byte is on line first_line, to a new NUL-terminated
 * UTF-8 buffer (*out_n bytes). Each undecodable byte becomes U+FFFD; *pr says how many
 * and where, and (once per decoder) that the lines mix UTF-8 and GB18030. */
char *decoder_run(struct decoder *d, size_t first_line, const char *bytes, size_t n, size_t *out_n,
		  struct decode_problems *pr);

#endif
