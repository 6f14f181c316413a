/* SPDX-License-Identifier: GPL-3.0-or-later */
/* collection.h: the article model: articles, related links, excerpts, backlinks
 * (collection.c: the model and finding an article by id or title; links.c: ids, links
 * and the list order). */
#ifndef XINWEN_COLLECTION_H
#define XINWEN_COLLECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strview.h"
#include "xalloc.h"

struct article;
struct stat;

/* A 128-bit content identity: the same article has the same one wherever it is
 * (article_identity: how it is made; marks.h: the marks kept by it). */
struct content_id {
	uint64_t hi, lo;
};

/* One entry of an article's related-highlights section. */
struct related {
	struct str headline;
	struct str snippet; /* empty when the file has no snippet line */
	size_t line;	    /* 1-based line of the headline in its file */
	size_t target;	    /* the list position of the article it leads to (an
				 * excerpt for a headline no article has): set by
				 * collection_finish, RELATED_NONE before */
};

/* related.target before collection_finish has resolved it. */
#define RELATED_NONE SIZE_MAX

enum article_kind { ARTICLE_FULL, ARTICLE_EXCERPT };

/* FNV-1a (64 bits) of the n bytes at p: how collection_finish's maps key ids and
 * headlines. */
static inline uint64_t collection_key_hash(const char *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* A member of a zip archive articles were read from (zipcoll.h): the archive is their
 * file (article.path); the member is found again by its index and checked, by what the
 * archive's directory says of it, to be the one read. */
struct archive_member {
	char *name;	    /* as the archive names it: untrusted bytes (no NUL) */
	uint64_t index;	    /* its entry number in the archive */
	uint64_t size;	    /* its bytes, inflated, as the archive says */
	uint64_t comp_size; /* its bytes in the archive */
	int64_t mtime;	    /* its modification time (seconds), as the archive says */
	uint64_t offset;    /* where its local header is in the archive, or UINT64_MAX */
	uint32_t crc;	    /* its CRC-32, as the archive says */
	int method;	    /* its compression method (0: stored, 8: deflated) */
	int format;	    /* the format its text was read in (enum format) */
	int encoding;	    /* the encoding it was found in (enum decode_found, decode.h) */
};

struct article {
	char *id;	  /* stable: file name without .txt, a record's own id (format.h),
			   * or x-<hash> for an excerpt */
	const char *path; /* file it came from; NULL for an excerpt */
	enum article_kind kind;
	uint32_t id_len;  /* when id_hash is not 0: strlen(id), and id_hash its */
	uint64_t id_hash; /* collection_key_hash, noted as the id is set (collection_finish
			   * then keys millions of ids without reading them); 0: not noted */
	char *alt_id;	  /* id to take when id is already used (path relative to the
			   * load root without .txt), or NULL; consumed by collection_finish */
	struct str title;
	struct str date;   /* YYYY-MM-DD, or empty */
	struct str source; /* empty when unknown */
	struct str time;   /* the time as its record gives it when that is no date
				    * (news2016zh's "03-22 12:00", no year), or empty */
	struct str url;	   /* its web address (a native "URL: " line, a record's url), or
			    * empty; never part of its identity */
	struct str body;   /* the paragraphs, blank-line separated, as in the file; when
			    * body_on_disk, body.p is NULL and body.n its size when loaded */
	/* bits, so that body_encoding takes no more room (millions of articles) */
	bool body_on_disk : 1; /* the body stays in its file until asked for (lean loading) */
	bool has_ident : 1;    /* ident is known (computed while loading, or from the catalog) */
	bool id_in_block : 1;  /* id is in the block of its header (lean loading), not its own
				* allocation: article_set_id replaces it */
	uint8_t body_format;   /* the format (enum format, format.h) to read it again in */
	uint8_t body_encoding; /* the encoding its file was found in (enum decode_found,
				* decode.h), to read it again in */
	uint32_t line;	       /* the line its record starts on in its file (JSON Lines,
			      * SogouCS), for messages; 0: the whole file is the article */
	uint64_t rec_off, rec_len; /* the record's bytes in its file (JSON Lines, SogouCS),
				    * which body_format reads its body back from; 0, 0
				    * for a file of one article */
	struct content_id ident;
	size_t file; /* index in the collection's files, or SIZE_MAX (an excerpt) */
	const struct archive_member *member; /* the archive member it was read from (its
					      * file is a zip archive), else NULL */
	VEC(struct related) related;
	/* the list positions of the articles whose related lists lead here */
	VEC(size_t) backlinks;
	size_t pos; /* its place in the list, once collection_finish has sorted it */
};

/* A problem found while loading: FILE:LINE: message. line 0 means the whole file. */
struct diag {
	char *file;
	size_t line;
	char *msg;
	size_t file_no;	 /* the files entry being loaded when it was found, or SIZE_MAX */
	bool unreadable; /* the file (or directory) could not be read at all */
};

/* A file loaded (or refused): its name and what stat said of it, so that a catalog
 * (catalog.h) can tell later whether it changed. */
struct loaded_file {
	char *path;
	uint64_t dev, ino, size;
	int64_t mtime_ns;
	int format;	  /* what it was read as (enum format, format.h); 0 if unknown */
	int encoding;	  /* the encoding it was found in, no encoding given (enum
			   * decode_found, decode.h: 0 is UTF-8) */
	int64_t ctime_ns; /* the inode's change time: a chmod or a rewrite keeping mtime */
	/* A JSON Lines file read whole, ending with a line end: its lines, and a hash of
	 * its last bytes (COLLECTION_TAIL_BYTES of them), so that a file that has only grew
	 * since is known and only its new lines read (catalog_reuse_tail); else 0, 0. */
	uint64_t lines, tail_hash;
};

/* How many of the last bytes of a JSON Lines file loaded_file.tail_hash is of. */
#define COLLECTION_TAIL_BYTES 1024

/* What makes the articles of a collection when they are first asked for
 * (collection_article): a collection read from a catalog holds none of its articles
 * until then, so that a list of millions is drawn from the catalog's records. */
struct article_maker {
	void *ctx;
	/* The articles at list positions [first, first + n), their links included, as one
	 * block (freed with free) of n articles followed by what their links take. Safe on
	 * several threads at once. */
	struct article *(*make)(void *ctx, size_t first, size_t n);
	/* Fill *out with the article at list position i without its links (related and
	 * backlinks empty), nothing allocated: for a pass over every article. */
	void (*peek)(void *ctx, size_t i, struct article *out);
};

/* How many articles article_maker.make is asked for at once (the last block may hold
 * fewer). */
#define COLLECTION_CHUNK 256

/* How a loader adds articles (collection.lean): their text kept here; or their body
 * left in its file (loading lean), hashed on the way for the article's identity; or left
 * there unhashed, for a load whose articles' identities nothing asks for (a plain
 * --list: article_identity must not be called on those articles). */
enum lean { LEAN_NO, LEAN_HASHED, LEAN_UNHASHED };

struct collection {
	VEC(struct article *) articles; /* list order (newest first) after collection_finish */
	VEC(char *)
	buffers;	   /* bytes the articles point into, and the blocks the
					 * articles and their headers are cut from */
	char *arena;	   /* the free end of the last of those blocks */
	size_t arena_left; /* its free bytes */
	size_t arena_used; /* the bytes of all those blocks */
	VEC(char *) paths; /* file names the articles point to */
	VEC(struct diag) diags;
	size_t unresolved;	       /* how many of the diags are unresolved or ambiguous links */
	VEC(struct loaded_file) files; /* every file loaded, in the order loaded */
	VEC(struct archive_member *) members; /* the archive members articles point to */
	size_t cur_file; /* the files entry being loaded (articles and diags take it) */
	enum lean lean;	 /* whether articles added keep their body in the file, not here:
			  * the file holds one article, in lean_format (enum format) */
	int lean_format;
	int lean_encoding; /* and in this encoding (enum decode_found, decode.h), found in it
			    * by format_load_buffer */
	void *slab;	   /* a collection read from a catalog (whose strings, those of files
			  * and diags included, are the slab owner's): what it holds as one
			  * block (the archive members; a first part's articles and links
			  * too), never NULL; else NULL */
	void *slab_owner;  /* what the slab's strings point into (catalog.c frees it) */
	void (*slab_free)(void *owner);
	bool lines_relative; /* the second half of a split file being loaded: its lines are
			      * numbered from its start, and the articles whose id is made of
			      * a line number are noted in line_ids, for the loader to number
			      * them as in the whole file once the first half is read */
	VEC(struct article *) line_ids;
	/* When the articles are made as they are first asked for (articles.v is then NULL,
	 * articles.n their number): what makes them, and the blocks made so far, one per
	 * COLLECTION_CHUNK articles (NULL: not made yet), set once each (atomically: any
	 * thread may ask, and a block made twice at once is kept once). */
	const struct article_maker *maker;
	struct article *_Atomic *chunks;
	const uint32_t *orders; /* the list's orders and groupings kept in its catalog
				 * (listorder.h: LISTORDER_WORDS(articles.n), checked), in
				 * the slab owner's mapping; NULL: none kept */
};

/* How many articles c holds (in list order, once finished: full articles, newest
 * first, then excerpts). */
static inline size_t collection_count(const struct collection *c)
{
	return c->articles.n;
}

/* collection_article of a collection of made articles (collection.maker): the block
 * holding position i made when it is not yet. */
struct article *collection_made_article(const struct collection *c, size_t i);

/* The article at list position i (< collection_count(c)) of c: the same article at every
 * call, made when first asked for in a collection of made articles (collection.maker).
 * Safe on several threads at once. */
static inline struct article *collection_article(const struct collection *c, size_t i)
{
	return c->maker ? collection_made_article(c, i) : c->articles.v[i];
}

/* The article at list position i of c for a pass over every article: when it has not
 * been made yet (collection.maker), a copy in *tmp without its links (related and
 * backlinks empty) that is not kept, so that the pass does not make every article;
 * else the article itself. Use it for what an article says, never for its links or as
 * the article (its address is not the article's). */
const struct article *collection_peek(const struct collection *c, size_t i, struct article *tmp);

/* Make c (empty) a finished collection of n articles made by maker (which must outlive
 * c) when first asked for. */
void collection_init_made(struct collection *c, const struct article_maker *maker, size_t n);

/* Prepare an empty collection. */
void collection_init(struct collection *c);

/* A new article, all zero, for collection_add_article: c owns its memory (cut from a
 * block of many, freed with c). */
struct article *collection_new_article(struct collection *c);

/* Free a collection and everything it owns. */
void collection_free(struct collection *c);

/* Move everything part holds (articles, buffers, paths, diags, loaded on their own,
 * e.g. on another thread) to the end of c, in order, leaving part empty. */
void collection_absorb(struct collection *c, struct collection *part);

/* A run of one part's articles and diags, in order (collection_absorb_runs). */
struct collection_run {
	size_t part;
	size_t article, narticles; /* the first of its articles in the part, how many */
	size_t diag, ndiags;	   /* the first of its diags, how many */
};

/* Move the articles and diags of the runs (of the nparts parts) to the end of c in the
 * runs' order, those of no run freed; then the rest of each part, in order
 * (collection_absorb), leaving the parts empty. No two runs share an article or a
 * diag. */
void collection_absorb_runs(struct collection *c, struct collection *parts, size_t nparts,
			    const struct collection_run *runs, size_t nruns);

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

/* Record a problem with article a found after loading, at line of its file (0: the
 * whole file), printf-style: named by its file, or "ARCHIVE:MEMBER" for an article read
 * from an archive member, as the problems found while loading it are. */
void collection_diag_article(struct collection *c, const struct article *a, size_t line,
			     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Replace a's id by id (taken: c frees it with a). */
void article_set_id(struct article *a, char *id);

/* Add article a, parsed from buf (which it points into: both taken) of file name,
 * with id and alt_id (may be NULL, as for fmt_native_add): its text is kept, or when
 * loading lean, its identity noted (LEAN_HASHED), its header kept and buf freed. */
void collection_add_article(struct collection *c, struct article *a, char *buf, const char *name,
			    const char *id, const char *alt_id);

/* What a diag is: a problem with a file, or information: about a related headline the
 * collection has no article for (none: unresolved; several: ambiguous), which the
 * reader shows as an excerpt, or about a file read in the encoding detected in it. */
enum diag_kind { DIAG_PROBLEM, DIAG_UNRESOLVED, DIAG_AMBIGUOUS, DIAG_DETECTED };

/* How the messages of related headlines without an article start (diag_kind), before
 * translation: messages are kept in the language they were made in (add_diag). */
#define DIAG_MSG_UNRESOLVED N_("unresolved related headline: ")
#define DIAG_MSG_AMBIGUOUS N_("ambiguous related headline: ")
#define DIAG_MSG_DETECTED N_("not UTF-8: read as ")

/* The number of kinds of diag (the size of an array counting them by diag_kind). */
#define DIAG_KINDS 4

/* The kind of d (from its message, so that diags read from a catalog have one too). */
enum diag_kind diag_kind(const struct diag *d);

/* How many of c's diags are problems (DIAG_PROBLEM), not information. */
size_t collection_problems(const struct collection *c);

/* A copy of member m kept by c, for its articles to point to (the copy made last is
 * returned again while m is the same member). */
const struct archive_member *collection_keep_member(struct collection *c,
						    const struct archive_member *m);

/* Add a copy of a (a full article of another collection, finished or not) as loaded
 * from file name with id and alt_id (may be NULL): its header is copied, its body stays
 * in the file (copied when it is not there), its related entries are to be resolved
 * again. */
void collection_add_copy(struct collection *c, const struct article *a, const char *name,
			 const char *id, const char *alt_id);

/* The form a related headline and a title are compared in: NFKC, every white-space
 * character removed (s: valid UTF-8); a new string of *n bytes. */
char *collection_match_key(struct str s, size_t *n);

/* Resolve related headlines to articles (creating excerpts for the missing ones),
 * fill in backlinks and sort the list newest first. Call once, after loading. */
void collection_finish(struct collection *c);

/* The identity of article a: a 128-bit hash of what it says. A full article hashes its
 * title, date, source and body (each field separately, so no two field splits collide;
 * with a time, the source hashed is "SOURCE (TIME)", as such records' sources were);
 * an excerpt hashes its headline only, since its snippet depends on which citing
 * article was loaded first. The path and file name are not part of it, so moving or
 * renaming the collection keeps the marks; identical copies share them. */
void article_identity(const struct article *a, struct content_id *out);

/* For each of the first na articles of c, the entry of ids[0, n) of its identity that
 * no earlier article of that identity took (copies take one each), or SIZE_MAX when
 * none is left; *taken says how many articles have one. The array is the caller's. */
size_t *collection_match_ids(const struct collection *c, size_t na, const struct content_id *ids,
			     size_t n, size_t *taken);

struct xxh64_two_state;

/* Note the identity of full article a, whose body (its bytes, not in a->body) has gone
 * through body as xxh64_two_add pieces under the seeds 0 and XXH_PRIME64_3: the same as
 * article_identity of a with that body. */
void article_identity_body_hashed(struct article *a, const struct xxh64_two_state *body);

/* Note each article's place in the list for collection_index (collection_finish does it;
 * a collection made otherwise, once its list is complete). */
void collection_number(struct collection *c);

/* The article whose id is key, else whose title is key exactly (the first in list
 * order), else whose id is key unescaped (text_unescape_name: as --list shows an id
 * made of a file's name that is not UTF-8); NULL if none. It looks at each article: a lookup is done once per command
 * or reload, and an index of 2.5 million ids cost more to build than that. */
struct article *collection_find(const struct collection *c, const char *key);

/* The position of a in the list, or SIZE_MAX. */
size_t collection_index(const struct collection *c, const struct article *a);

#endif
