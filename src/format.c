/* SPDX-License-Identifier: GPL-3.0-or-later */
/* format.c: which format a file is in, and loading it through that format's parser. */
#include <config.h>

#include "format.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode.h"
#include "i18n.h"
#include "jsonskim.h"
#include "loader.h"
#include "strbuf.h"
#include "utf8.h"

static const char *const names[] = {"auto", "native", "thucnews", "jsonl", "sogou", "zip"};

bool format_from_name(const char *s, enum format *f)
{
	size_t i;

	for (i = 0; i < FORMAT_ZIP; i++) /* an archive is recognised, never named */
		if (strcmp(s, names[i]) == 0) {
			*f = (enum format)i;
			return true;
		}
	return false;
}

const char *format_name(enum format f)
{
	return (size_t)f < sizeof names / sizeof *names ? names[f] : "?";
}

static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), k = strlen(suffix);
	return n > k && strcmp(name + n - k, suffix) == 0;
}

bool format_candidate_name(const char *name)
{
	return has_suffix(name, ".txt") || has_suffix(name, ".jsonl") ||
	       has_suffix(name, ".json") || has_suffix(name, ".dat") || has_suffix(name, ".xml");
}

bool format_hidden_path(const char *path)
{
	for (const char *c = path; *c;) {
		const char *slash = strchr(c, '/');
		size_t n = slash ? (size_t)(slash - c) : strlen(c);

		if ((n >= 2 && c[0] == '.' && c[1] == '_') ||
		    (n == 8 && memcmp(c, "__MACOSX", 8) == 0))
			return true; /* macOS's: "._1.txt" beside "1.txt", "__MACOSX" */
		if (slash && n && c[0] == '.' && !(n == 1 || (n == 2 && c[1] == '.')))
			return true; /* in a hidden folder */
		if (!slash)
			break;
		c = slash + 1;
	}
	return false;
}

bool format_archive_name(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcasecmp(name + n - 4, ".zip") == 0;
}

static bool is_blank_byte(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* head without a UTF-8 byte-order mark and leading ASCII white space. */
static const char *skip_blank(const char *p, size_t *n)
{
	if (*n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
		p += 3;
		*n -= 3;
	}
	while (*n && is_blank_byte(*p)) {
		p++;
		(*n)--;
	}
	return p;
}

/* Whether base name of path is digits and ".txt", as THUCNews names its articles. */
static bool numbered_txt(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t i, n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n <= 4 || !has_suffix(base, ".txt"))
		return false;
	for (i = 0; i < n - 4; i++)
		if (base[i] < '0' || base[i] > '9')
			return false;
	return true;
}

/* Whether p[0..n) reads as a native article rather than THUCNews: its second non-blank
 * line is a native date line, or cannot be seen (cut by the end of the head), or there
 * is no line at all; whole: p is the whole file, not just its head. */
static bool second_line_is_date(const char *p, size_t n, bool whole)
{
	int k = 0;

	while (n) {
		const char *nl = memchr(p, '\n', n);
		size_t len = nl ? (size_t)(nl - p) : n, i;

		if (!nl && !whole) /* cut by the end of the head: cannot tell, say native */
			return true;
		for (i = 0; i < len && is_blank_byte(p[i]); i++)
			;
		if (i < len && ++k == 2)
			return text_is_date_line(p, len);
		if (!nl)
			break;
		p += len + 1;
		n -= len + 1;
	}
	/* a title alone: as THUCNews has (a numbered file of a category folder, where a
	 * native article would have its date line) */
	return k == 0;
}

/* Whether p[0..n) (its blanks skipped) starts SogouCS records: "<doc>", or after an XML
 * declaration and a root element's tag (the records made well-formed XML: <?xml ...?>
 * <docs>), its first "<doc>". */
static bool sogou_start(const char *p, size_t n)
{
	static const char *const fields[] = {"<url>", "<docno>", "<contenttitle>", "<content>",
					     "</doc>"};
	const char *end = p + n, *q;

	/* a piece cut from a bigger file (split -l), starting inside a record: one of a
	 * record's tags first, a record's end after */
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		if ((size_t)(end - p) >= strlen(fields[i]) &&
		    memcmp(p, fields[i], strlen(fields[i])) == 0 && memmem(p, n, "</doc>", 6))
			return true;

	for (int tags = 0; tags < 3; tags++) {
		if (fmt_sogou_open_len(p, (size_t)(end - p)))
			return true; /* <doc>, or <doc id="1"> */
		if (end - p < 2 || *p != '<' || p[1] == '/' || p[1] == '!' ||
		    (tags && p[1] == '?') || !(q = memchr(p, '>', (size_t)(end - p))))
			return false;
		p = q + 1; /* the declaration, then the root's tag */
		while (p < end && is_blank_byte(*p))
			p++;
	}
	return false;
}

/* Whether p[0..n) (its blanks skipped) starts with an object's first member, {"KEY":
 * (KEY of at most 64 bytes, no escape). */
static bool object_start(const char *p, size_t n)
{
	const char *end = p + n;
	size_t rest;

	if (p == end || *p++ != '{')
		return false;
	rest = (size_t)(end - p);
	p = skip_blank(p, &rest);
	if (p == end || *p++ != '"')
		return false;
	for (size_t k = 0; p < end && *p != '"'; p++, k++)
		if (k == 64 || *p == '\\' || *p == '\n')
			return false;
	if (p == end)
		return false;
	rest = (size_t)(end - p - 1);
	p = skip_blank(p + 1, &rest);
	return rest && *p == ':';
}

/* Whether the head p[0..n) (its blanks skipped) of a file not named as JSON holds JSON
 * Lines (news2016zh saved as .txt) rather than a native article whose title looks like
 * JSON: its first line starts an object ({"KEY":) and goes on past the head (no title
 * is FORMAT_HEAD bytes long), or the next line that is not blank starts another. */
static bool json_lines_inside(const char *p, size_t n)
{
	const char *nl;
	size_t rest;

	if (!object_start(p, n))
		return false;
	if (!(nl = memchr(p, '\n', n)))
		return n >= FORMAT_HEAD - 3; /* cut by the head (a byte-order mark skipped) */
	rest = n - (size_t)(nl + 1 - p);
	p = skip_blank(nl + 1, &rest);
	return object_start(p, rest);
}

enum format format_detect(const char *path, const char *head, size_t n, bool in_dir)
{
	size_t rest = n;
	const char *p = skip_blank(head, &rest);
	bool jsonl = has_suffix(path, ".jsonl"), json = has_suffix(path, ".json");
	/* JSON Lines under another name: a file named is looked at whatever its name, in
	 * a walk only a .txt (a walk takes no other names but .dat and .xml, SogouCS's) */
	bool json_inside = !jsonl && !json && (!in_dir || has_suffix(path, ".txt")) &&
			   json_lines_inside(p, rest);

	/* a pretty-printed object met in a walk is rather a program's settings than
	 * news: only arrays and objects a line are taken there */
	if ((jsonl || json || json_inside) && rest &&
	    (*p == '[' || (*p == '{' && (jsonl || !in_dir || !jsonskim_document(p, rest)))))
		return FORMAT_JSONL;
	if (sogou_start(p, rest))
		return FORMAT_SOGOU;
	if (numbered_txt(path) && !second_line_is_date(head, n, n < FORMAT_HEAD))
		return FORMAT_THUCNEWS;
	return FORMAT_NATIVE;
}

const char *format_unlike_name(const char *path, const char *head, size_t n, enum format f,
			       bool in_dir)
{
	bool json = has_suffix(path, ".jsonl") || has_suffix(path, ".json");
	size_t rest = n < FORMAT_HEAD ? n : FORMAT_HEAD;
	const char *p = skip_blank(head, &rest);

	if (!json && !has_suffix(path, ".dat") && !has_suffix(path, ".xml"))
		return NULL;
	if (f == (json ? FORMAT_JSONL : FORMAT_SOGOU))
		return NULL;
	if (!rest) /* named, read as a native article that says so itself */
		return in_dir ? N_("empty, or white space only") : NULL;
	if (json && in_dir && has_suffix(path, ".json") && *p == '{')
		return NULL; /* settings (format_detect) */
	return json ? N_("not JSON (no { or [ at its start)")
		    : N_("no SogouCS record (<doc>) at its start");
}

const char *format_compressed(const char *head, size_t n, const char **command, bool *pipes)
{
	static const struct {
		const char *magic;
		size_t n;
		const char *name, *command;
		bool pipes;
	} kinds[] = {
		{"\x1F\x8B\x08", 3, "gzip", "zcat", true},
		{"BZh", 3, "bzip2", "bzcat", true}, /* a digit and "1AY&SY" after: below */
		{"\xFD\x37\x7A\x58\x5A\x00", 6, "xz", "xzcat", true},
		{"\x28\xB5\x2F\xFD", 4, "zstd", "zstdcat", true},
		{"7z\xBC\xAF\x27\x1C", 6, "7z", "7z x", false},
		{"Rar!\x1A\x07", 6, "RAR", "unrar x", false},
	};

	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (n >= kinds[i].n && memcmp(head, kinds[i].magic, kinds[i].n) == 0 &&
		    (strcmp(kinds[i].name, "bzip2") != 0 ||
		     (n >= 10 && head[3] >= '1' && head[3] <= '9' &&
		      memcmp(head + 4, "1AY&SY", 6) == 0))) {
			*command = kinds[i].command;
			*pipes = kinds[i].pipes;
			return kinds[i].name;
		}
	return NULL;
}

enum format format_detect_stream(const char *head, size_t n)
{
	size_t rest = n;
	const char *p = skip_blank(head, &rest);

	if (rest && *p == '{')
		return FORMAT_JSONL;
	if (rest && *p == '[') { /* an array of objects; not a title such as "[视频] ..." */
		rest--;
		p = skip_blank(p + 1, &rest);
		if (rest && *p == '{')
			return FORMAT_JSONL;
	}
	return format_detect("-", head, n, false);
}

const char *format_legacy_head(const char *head, size_t n)
{
	const char *nl = memrchr(head, '\n', n);

	/* up to its last line end: a sequence the head cut is no sign */
	return decode_legacy_guess(head, nl ? (size_t)(nl - head) : n);
}

bool format_streams(enum format f)
{
	return f == FORMAT_JSONL || f == FORMAT_SOGOU;
}

bool format_lean_readable(enum format f, const struct load_opts *o)
{
	if (f == FORMAT_NATIVE || f == FORMAT_THUCNEWS)
		return !o->encoding || decode_is_utf8(o->encoding);
	return format_streams(f) && !o->encoding;
}

bool format_stream_splits(enum format f)
{
#ifdef HAVE_JANSSON
	return format_streams(f);
#else
	return f == FORMAT_SOGOU; /* JSON Lines is not read at all: said once for the file */
#endif
}

bool format_stream_decodes(enum format f, const char *enc)
{
	return enc ? !decode_is_utf8(enc) : f == FORMAT_SOGOU;
}

size_t format_load_stream_with(struct collection *c, enum format f, const char *name,
			       struct linereader *r, struct decoder *dec)
{
	if (f == FORMAT_JSONL)
		return fmt_jsonl_load(c, name, r, dec);
	return fmt_sogou_load(c, name, r, dec);
}

size_t format_load_stream(struct collection *c, enum format f, const char *name,
			  struct linereader *r, const char *enc)
{
	struct decoder dec;
	size_t added;

	decoder_init(&dec, enc);
	added = format_load_stream_with(c, f, name, r, format_stream_decodes(f, enc) ? &dec : NULL);
	decoder_free(&dec);
	return added;
}

size_t format_load_buffer(struct collection *c, enum format f, const char *name, const char *id,
			  const char *alt_id, const char *bytes, size_t n, const char *enc)
{
	struct linereader r;
	char *text = NULL;
	size_t added;
	bool valid = false;

	c->lean_encoding = DECODE_FOUND_UTF8;
	if (format_streams(f)) {
		linereader_mem(&r, bytes, n, LOADER_MAX_FILE);
		added = format_load_stream(c, f, name, &r, enc);
		linereader_free(&r);
		return added;
	}
	if (enc && !decode_is_utf8(enc)) {
		struct decoder dec;

		decoder_init(&dec, enc);
		text = format_decode(&dec, c, name, 1, bytes, n, &n);
		decoder_free(&dec);
		bytes = text;
	} else if (!enc) {
		struct decode_problems pr;
		const char *found;

		/* checked once here: valid, it is neither decoded nor repaired */
		valid = utf8_valid_prefix((const unsigned char *)bytes, n) == n;
		if (!valid && (text = decode_auto_file(bytes, n, &n, &found, &pr))) {
			bytes = text; /* not UTF-8: Big5 or GB18030, detected */
			/* read again in it (article.body_encoding) when left in the file */
			c->lean_encoding = (int)decode_found_of(found);
			pr.detected = found;
			pr.detected_line = 0; /* the whole file */
			format_report_decode(c, name, NULL, &pr);
		}
	}
	if (f == FORMAT_THUCNEWS)
		added = fmt_thucnews_add(c, name, id, alt_id, bytes, n, valid);
	else
		added = fmt_native_add(c, name, id, alt_id, bytes, n);
	free(text);
	return added;
}
