/* SPDX-License-Identifier: GPL-3.0-or-later */
/* format.h: the article formats (the native one, THUCNews-style trees, news2016zh-style
 * JSON Lines, SogouCS-style <doc> records): detection and dispatch, and the parsers'
 * entry points. */
#ifndef XINWEN_FORMAT_H
#define XINWEN_FORMAT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "collection.h"
#include "decode.h"
#include "linereader.h"

/* FORMAT_ZIP is no format of articles: the file was a zip archive (zipcoll.h), whose
 * members have their own; --format never names it. */
enum format { FORMAT_AUTO, FORMAT_NATIVE, FORMAT_THUCNEWS, FORMAT_JSONL, FORMAT_SOGOU, FORMAT_ZIP };

/* How to read the files given: a format (FORMAT_AUTO: detect each file's) and an
 * encoding (an iconv name; NULL: UTF-8, and for SogouCS UTF-8 else GB18030). */
struct load_opts {
	enum format format;
	const char *encoding;
	enum lean lean; /* whether bodies stay in their files, hashed or not (collection.h) */
	/* When set, asked first for each file a directory walk finds (st: its stat): may
	 * fill part with what an earlier load of the file gave (catalog_reuse). */
	bool (*reuse)(void *ctx, const char *path, const char *id, const char *alt_id,
		      const struct stat *st, struct collection *part);
	void *reuse_ctx;
	/* When set, asked for each JSON Lines file (fd open, st its stat) before reading
	 * it: when it only grew since an earlier load, may fill part (the file begun) with
	 * what that load gave of its first *from bytes, which held *lines lines, and
	 * return true: only the rest is read (catalog_reuse_tail). */
	bool (*reuse_tail)(void *ctx, const char *path, int fd, const struct stat *st,
			   struct collection *part, uint64_t *from, size_t *lines);
	/* When set, asked for each member m of a zip archive (display: "ARCHIVE:MEMBER"; id,
	 * alt_id: what a one-article member's article takes) before it is read: when an
	 * earlier load of the archive held the same member unchanged, may add to c (the
	 * archive begun) what it gave and return true (catalog_reuse_member). */
	bool (*reuse_member)(void *ctx, const char *archive, const char *display,
			     const struct archive_member *m, const char *id, const char *alt_id,
			     struct collection *c);
	size_t max_files;	      /* a directory walk lists at most this many files, an
				* archive loads that many members; 0: all */
	bool *cut_short;	      /* when set, set true when max_files left members out */
	atomic_size_t *loaded;	      /* when set, counts the files (and archive members) loaded
				* (read by other threads) */
	atomic_bool *cancel;	      /* when set and true, the files not loaded yet are left out
				* (and a streamed file is read no further) */
	atomic_uint_least64_t *bytes; /* when set, counts the bytes of the files read */
	atomic_size_t *records;	      /* when set, counts the lines of streamed files read */
	uint64_t max_bytes;	      /* when set, a streamed file is read up to the first line end
				 * at or after this many bytes (a first screen's share) */
	uint64_t split_min;	      /* a JSON Lines or SogouCS file at least this big is loaded
				 * on two threads; 0: LOADER_SPLIT_MIN */
	uint64_t piece_bytes;	      /* a JSON Lines file so loaded is read in pieces of about
				 * this many bytes; 0: LOADER_PIECE */
};

/* How many bytes of a file format_detect looks at. */
#define FORMAT_HEAD 4096

/* Set *f to the format named s (auto, native, thucnews, jsonl, sogou); false if none. */
bool format_from_name(const char *s, enum format *f);

/* The name of format f. */
const char *format_name(enum format f);

/* Whether a directory walk looks at a file so named: *.txt, and *.jsonl, *.json,
 * *.dat, *.xml (loaded only when their content is JSON Lines or <doc> records). */
bool format_candidate_name(const char *name);

/* Why the file path, whose first n bytes are head, is not in the format its name
 * stands for (*.dat and *.xml SogouCS, *.jsonl and *.json JSON) though detected as f: a
 * message (N_, to translate), or NULL when its name stands for no format, it is in
 * that one, or it is a *.json of one object written over several lines met in a walk
 * (in_dir), a program's settings rather than news, passed over without a word. */
const char *format_unlike_name(const char *path, const char *head, size_t n, enum format f,
			       bool in_dir);

/* Whether a path met in a walk or an archive (relative, '/'-separated) is not the
 * collection's: in a hidden folder (".git/1.txt"), or macOS's ("._1.txt" beside each
 * file it copies, "__MACOSX"). A file whose own name starts with '.' is read. */
bool format_hidden_path(const char *path);

/* Whether a file named name is taken for a zip archive (*.zip, any case): a walk does
 * not open one, it says how to. */
bool format_archive_name(const char *name);

/* The format of file path from its first bytes head[0..n): JSON for a .jsonl or .json
 * file whose first non-blank byte opens an array or an object (read as JSON Lines, or
 * as one document when jsonskim_document says so; found by a walk (in_dir), a
 * .json file's object must be on its first line, as JSON Lines); SogouCS when it starts
 * with <doc>; THUCNews for a .txt file with a numeric name whose second non-blank line
 * is no date line (a head shorter than FORMAT_HEAD is the whole file), found by a walk
 * or named alone, as it is read in either; else native. */
enum format format_detect(const char *path, const char *head, size_t n, bool in_dir);

/* A compressed file's kind, from its first bytes head[0..n): what compressed it (its
 * magic number: "gzip", "bzip2", "xz", "zstd", "7z" or "RAR"), or NULL when it is none;
 * *command: what writes it to standard output ("zcat", ...; *pipes true), or for an
 * archive of files what unpacks it ("7z x", "unrar x"; *pipes false). */
const char *format_compressed(const char *head, size_t n, const char **command, bool *pipes);

/* The format of an unnamed stream (standard input) from its first bytes head[0..n):
 * JSON when its first non-blank byte is '{', or '[' and then '{' (an array of objects),
 * SogouCS when it starts with <doc>,
 * else native (articles separated by a line holding only a form feed). */
enum format format_detect_stream(const char *head, size_t n);

/* The legacy encoding ("GB18030", "BIG5") that the head[0..n) of a file read as UTF-8
 * is in rather, it seems (decode_legacy_guess of its whole lines); NULL if none. */
const char *format_legacy_head(const char *head, size_t n);

/* Whether format f is read as a stream of lines (any size) rather than whole. */
bool format_streams(enum format f);

/* Whether an article of format f loaded as o says can be read again from its file for
 * its body (a native or THUCNews file in UTF-8, a JSON Lines or SogouCS record not
 * decoded by --encoding), so that loading lean may leave it there. */
bool format_lean_readable(enum format f, const struct load_opts *o);

/* Whether a big file of streamed format f may be loaded in two halves: not when this
 * build cannot read the format (JSON Lines without jansson), which is said once. */
bool format_stream_splits(enum format f);

/* Whether a streamed file of format f in encoding enc (NULL: the format's default) is
 * decoded to UTF-8. */
bool format_stream_decodes(enum format f, const char *enc);

/* format_load_stream with the decoder given (NULL: the bytes are read as UTF-8), which
 * then knows what the lines read were (decoder_follows). */
size_t format_load_stream_with(struct collection *c, enum format f, const char *name,
			       struct linereader *r, struct decoder *dec);

/* Load every article of a streamed format (JSON Lines, SogouCS) from r, reading
 * encoding enc (NULL: the format's default); returns how many were added. */
size_t format_load_stream(struct collection *c, enum format f, const char *name,
			  struct linereader *r, const char *enc);

/* Load the n bytes of file name in format f (not FORMAT_AUTO) from memory: one
 * article (id, alt_id as for fmt_native_add) for native and THUCNews, every
 * record for the streamed formats; returns how many articles were added. With no
 * encoding given, c->lean_encoding is then the one found in the bytes (enum
 * decode_found), which an article left in its file is read again in. */
size_t format_load_buffer(struct collection *c, enum format f, const char *name, const char *id,
			  const char *alt_id, const char *bytes, size_t n, const char *enc);

/* An id from a record's own (untrusted) id: ASCII letters, digits, '.', '_' and '-'
 * kept, any other byte '_', at most 64 bytes; when that leaves nothing, the file's
 * name without directory and extension (an archive's member: its own), '-' and the
 * line. An id with bytes outside
 * ASCII (CJK) keeps its ASCII, each run of the others one '_', and ends in '-' and 16
 * hex digits of a hash of the whole, so that two such ids do not collide. */
char *format_make_id(const char *raw, size_t n, const char *name, size_t line);

/* An article read from another format: its fields as raw bytes. */
struct jsonskim_val;

struct article_fields {
	struct str title, date, source;
	struct str time;	   /* a time that is no date (article.time), or empty */
	struct str url;		   /* kept only when it is one (url_sanitize), else dropped */
	struct str body;	   /* paragraphs: each non-blank line is one */
	uint64_t rec_off, rec_len; /* the record's bytes in its file (article.rec_off) */
	bool valid_utf8;	   /* the fields are known to be valid UTF-8: not checked again */
	const struct jsonskim_val *body_raw; /* when not NULL: body is this JSON string as
					     * written, left escaped by the skimmer
					     * (jsonskim_val.escaped), read unescaped */
};

/* Add an article from already-split fields: they are copied into one kept buffer,
 * invalid UTF-8 repaired (reported at line), title and source trimmed to one line,
 * date kept only when it is YYYY-MM-DD, each non-blank body line made a paragraph.
 * Returns false (with a diag at line) when the title is blank. */
bool format_add_fields(struct collection *c, const char *name, size_t line, const char *id,
		       const char *alt_id, const struct article_fields *f);

/* The body format_add_fields makes of the raw body s: a new string of *len bytes (""
 * when s holds no text). */
char *format_fields_body(struct str s, size_t *len);

/* Report what decoding (part of) file name found, as problems of c (d is NULL for a
 * whole file decode_auto_file read: pr->detected names its encoding). */
void format_report_decode(struct collection *c, const char *name, const struct decoder *d,
			  const struct decode_problems *pr);

/* decoder_run, its problems reported into c as file name's. */
char *format_decode(struct decoder *d, struct collection *c, const char *name, size_t first_line,
		    const char *bytes, size_t n, size_t *out_n);

/* Parse n bytes of one article file in the native format; a copy of the bytes is kept
 * (or only its header, loading lean). name is used in messages and as the article's
 * path, id is its stable id; alt_id (may be NULL) is the id to take instead when id
 * turns out to be a duplicate, e.g. the path relative to the directory loaded.
 * Returns false (with a diag) when the bytes hold no article: no title, or text in
 * UTF-16 or UTF-32 (recognised by its byte-order mark), which is not supported. */
bool fmt_native_add(struct collection *c, const char *name, const char *id, const char *alt_id,
		    const char *bytes, size_t n);

/* fmt_native_add without an alternative id. */
bool fmt_native_add_buffer(struct collection *c, const char *name, const char *id,
			   const char *bytes, size_t n);

/* The body of the native article in n bytes, as fmt_native_add parses it, into a new
 * buffer (*out, *out_n bytes and a NUL); false when they hold no article. */
bool fmt_native_body(const char *bytes, size_t n, char **out, size_t *out_n);

/* Likewise for a THUCNews article. */
bool fmt_thucnews_body(const char *bytes, size_t n, char **out, size_t *out_n);

/* Likewise for the n bytes of one JSON Lines record (its line, without the LF; in a
 * JSON document, its object). */
bool fmt_jsonl_body(const char *bytes, size_t n, char **out, size_t *out_n);

/* Likewise for the n bytes of one SogouCS record, from its <doc> to its </doc>, in
 * UTF-8 or GB18030 (line by line, as loading reads it). */
bool fmt_sogou_body(const char *bytes, size_t n, char **out, size_t *out_n);

/* The length of a SogouCS record's opening tag at p[0..n): "<doc>", or "<doc" with
 * attributes (<doc id="1">, as some copies write it) to its '>' in the line; 0 when p
 * starts none (<docno>, <docs>). */
size_t fmt_sogou_open_len(const char *p, size_t n);

/* The parsers, one per format (fmt_*.c). */
size_t fmt_jsonl_load(struct collection *c, const char *name, struct linereader *r,
		      struct decoder *dec);
size_t fmt_sogou_load(struct collection *c, const char *name, struct linereader *r,
		      struct decoder *dec);
/* valid_utf8: the bytes are known to be valid UTF-8 (not checked again). */
bool fmt_thucnews_add(struct collection *c, const char *name, const char *id, const char *alt_id,
		      const char *bytes, size_t n, bool valid_utf8);

#endif
