/* SPDX-License-Identifier: GPL-3.0-or-later */
/* body.c: an article's text, wherever it is: in memory, or read back from its file by
 * its format (lean loading). */
#include <config.h>

#include "body.h"

#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "fileio.h"
#include "format.h"
#include "loader.h"
#include "strbuf.h"
#include "zipcoll.h"

/* Read a's body from its file, in the encoding found in it and parsed by its format,
 * into a new buffer (*out); false (with the reason in why) when that fails. */
static bool read_body(const struct article *a, char **out, size_t *n, struct strbuf *why)
{
	char *bytes = NULL;
	size_t len = 0;
	const char *enc;
	bool ok, record = a->body_format == FORMAT_JSONL || a->body_format == FORMAT_SOGOU;

	if (a->member) {
		/* from its archive member: the record's bytes in it, or all of it */
		if (zipcoll_read(a->path, a->member, a->rec_off, record ? a->rec_len : 0,
				 LOADER_MAX_FILE, &bytes, &len, why) != 0)
			return false;
	} else if (record ? fileio_read_range(a->path, a->rec_off, a->rec_len, &bytes, why) != 0
			  : fileio_read_file(a->path, LOADER_MAX_FILE, &bytes, &len, why) != 0) {
		return false;
	} else if (record) {
		len = (size_t)a->rec_len;
	}
	if ((enc = decode_found_name(a->body_encoding)) != NULL) {
		/* the file's bytes read in the encoding found in them, as when loaded */
		struct decode_problems pr;
		char *text = decode_all(enc, bytes, len, &len, &pr);
		free(bytes);
		bytes = text;
	}
	if (a->body_format == FORMAT_THUCNEWS)
		ok = fmt_thucnews_body(bytes, len, out, n);
	else if (a->body_format == FORMAT_JSONL)
		ok = fmt_jsonl_body(bytes, len, out, n);
	else if (a->body_format == FORMAT_SOGOU)
		ok = fmt_sogou_body(bytes, len, out, n);
	else
		ok = fmt_native_body(bytes, len, out, n);
	if (!ok)
		sb_puts(why, record ? "the record there is no article any more"
				    : "it holds no article any more");
	free(bytes);
	return ok;
}

struct str article_body_peek(const struct article *a, char **buf)
{
	struct strbuf why = {0}, msg = {0};
	size_t n = 0;

	*buf = NULL;
	if (!a->body_on_disk)
		return a->body;
	if (read_body(a, buf, &n, &why)) {
		sb_free(&why);
		return (struct str){*buf, n};
	}
	if (a->member)
		sb_printf(&msg, "(The text of this article cannot be read from %s in %s: %s.)",
			  a->member->name, a->path, why.s ? why.s : "");
	else
		sb_printf(&msg, "(The text of this article cannot be read from %s: %s.)", a->path,
			  why.s ? why.s : "");
	sb_cstr(&msg);
	sb_free(&why);
	*buf = msg.s;
	return (struct str){msg.s, msg.n};
}

struct str article_body_read(const struct collection *c, size_t i, char **buf)
{
	return article_body_peek(collection_article(c, i), buf);
}
