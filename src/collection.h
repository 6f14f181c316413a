/* SPDX-License-Identifier: GPL-3.0-or-later */
/* collection.h: the article model: articles, related links, excerpts, backlinks. */
#ifndef XINWEN_COLLECTION_H
#define XINWEN_COLLECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xalloc.h"

/* A length-counted view into bytes owned elsewhere (NUL is data). */
struct str {
	const char *p;
	size_t n;
};

struct article;
struct stat;

/* A 128-bit content identity: the same article has the same one wherever it is
 * (state.h: how it is made, and the marks kept by it). */
struct state_id {
	uint64_t hi, lo;
};

/* One entry of an article's related-highlights section. */
struct related {
	struct str headline;
	struct str snippet;     /* empty when the file has no snippet line */
	size_t line;            /* 1-based line of the headline in its file */
	struct article *target; /* set by collection_finish; never NULL after it */
};

enum article_kind { ARTICLE_FULL, ARTICLE_EXCERPT };

struct article {
	char *id;         /* stable: file name without .txt, a record's own id (format.h),
			   * or x-<hash> for an excerpt */
	const char *path; /* file it came from; NULL for an excerpt */
	enum article_kind kind;
	struct str title;
	struct str date;   /* YYYY-MM-DD, or empty */
	struct str source; /* empty when unknown */
	struct str body;   /* the paragraphs, blank-line separated, as in the file; when
			    * body_on_disk, body.p is NULL and body.n its size when loaded */
	bool body_on_disk; /* the body stays in its file until asked for (lean loading) */
	int body_format;   /* the format (enum format, format.h) to read it again in */
	char *body_buf;    /* the body read by article_body (body_buf_n bytes), owned */
	size_t body_buf_n;
	bool has_ident;    /* ident is known (computed while loading, or from the catalog) */
	struct state_id ident;
	size_t file;       /* index in the collection's files, or SIZE_MAX (an excerpt) */
	VEC(struct related) related;
	VEC(struct article *) backlinks; /* articles whose related lists point here */
	char *alt_id; /* id to take when id is already used (path relative to the load
		       * root without .txt), or NULL; consumed by collection_finish */
};

/* A problem found while loading: FILE:LINE: message. line 0 means the whole file. */
struct diag {
	char *file;
	size_t line;
	char *msg;
	size_t file_no; /* the files entry being loaded when it was found, or SIZE_MAX */
	bool unreadable; /* the file (or directory) could not be read at all */
};

/* A file loaded (or refused): its name and what stat said of it, so that a catalog
 * (catalog.h) can tell later whether it changed. */
struct loaded_file {
	char *path;
	uint64_t dev, ino, size;
	int64_t mtime_ns;
	int format; /* what it was read as (enum format, format.h); 0 if unknown */
};

struct collection {
	VEC(struct article *) articles; /* list order (newest first) after collection_finish */
	VEC(char *) buffers;            /* bytes the articles point into */
	VEC(char *) paths;              /* file names the articles point to */
	VEC(struct diag) diags;
	size_t unresolved; /* how many of the diags are unresolved or ambiguous links */
	VEC(struct loaded_file) files; /* every file loaded, in the order loaded */
	size_t cur_file; /* the files entry being loaded (articles and diags take it) */
	bool lean;       /* articles added keep their body in the file, not here: the file
			  * holds one article, in lean_format (enum format) */
	int lean_format;
	void *slab;      /* the articles, related entries and backlinks allocated as one
			  * (a collection made from a catalog, whose strings, those of files
			  * and diags included, are the slab owner's), else NULL */
	void *slab_owner; /* what the slab's strings point into (catalog.c frees it) */
	void (*slab_free)(void *owner);
};

/* Prepare an empty collection. */
void collection_init(struct collection *c);

/* Free a collection and everything it owns. */
void collection_free(struct collection *c);

/* Move everything part holds (articles, buffers, paths, diags, loaded on their own,
 * e.g. on another thread) to the end of c, in order, leaving part empty. */
void collection_absorb(struct collection *c, struct collection *part);

/* Note that the file path (st: its stat) is being loaded: the articles and diags added
 * until collection_end_file belong to it. */
void collection_begin_file(struct collection *c, const char *path, const struct stat *st);

/* The file being loaded is done. */
void collection_end_file(struct collection *c);

/* Record that file (or a directory) could not be read, printf-style: a diag with
 * unreadable set (script modes name it on stderr and exit 2). */
void collection_diag_unreadable(struct collection *c, const char *file, size_t line,
				const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Record a problem with file at line (0: the whole file), printf-style. */
void collection_diag(struct collection *c, const char *file, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Parse n bytes of one article file in the native format; a copy of the bytes is kept.
 * name is used in messages and as the article's path, id is its stable id.
 * Returns false (with a diag) when the bytes hold no article: no title, or text in
 * UTF-16 or UTF-32 (recognised by its byte-order mark), which is not supported. */
bool collection_add_buffer(struct collection *c, const char *name, const char *id,
			   const char *bytes, size_t n);

/* Like collection_add_buffer; alt_id (may be NULL) is the id to take instead when
 * id turns out to be a duplicate, e.g. the path relative to the directory loaded. */
bool collection_add_file(struct collection *c, const char *name, const char *id,
			 const char *alt_id, const char *bytes, size_t n);

/* Add a copy of a (a lean full article of another collection, finished or not) as
 * loaded from file name with id and alt_id (may be NULL): its header is copied, its
 * body stays in the file, its related entries are to be resolved again. */
void collection_add_copy(struct collection *c, const struct article *a, const char *name,
			 const char *id, const char *alt_id);

/* An article read from another format (format.h): its fields as raw bytes. */
struct article_fields {
	struct str title, date, source;
	struct str body; /* paragraphs: each non-blank line is one */
};

/* Add an article from already-split fields: they are copied into one kept buffer,
 * invalid UTF-8 repaired (reported at line), title and source trimmed to one line,
 * date kept only when it is YYYY-MM-DD, each non-blank body line made a paragraph.
 * Returns false (with a diag at line) when the title is blank. */
bool collection_add_fields(struct collection *c, const char *name, size_t line,
			   const char *id, const char *alt_id, const struct article_fields *f);

/* The form a related headline and a title are compared in: NFKC, every white-space
 * character removed (s: valid UTF-8); a new string of *n bytes. */
char *collection_match_key(struct str s, size_t *n);

/* Whether the n bytes at p are a native date line: YYYY-MM-DD, maybe a source after. */
bool collection_is_date_line(const char *p, size_t n);

/* Resolve related headlines to articles (creating excerpts for the missing ones),
 * fill in backlinks and sort the list newest first. Call once, after loading. */
void collection_finish(struct collection *c);

/* The article whose id is key, else whose title is key exactly; NULL if none. */
struct article *collection_find(const struct collection *c, const char *key);

/* The position of a in the list, or SIZE_MAX. */
size_t collection_index(const struct collection *c, const struct article *a);

#endif
