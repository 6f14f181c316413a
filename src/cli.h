/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli.h: the command-line modes for scripts: --list, --dump, --check, --search. */
#ifndef XINWEN_CLI_H
#define XINWEN_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "collection.h"
#include "configfile.h"

struct load_opts;

/* Print one article's --list line: "id TAB date TAB kind TAB title". */
void cli_list_line(const struct article *a, FILE *out);

/* Print the --list line's fields without the newline. */
void cli_list_fields(const struct article *a, FILE *out);

/* Say on err that no article has the id or title key. */
void cli_no_article(const char *key, FILE *err);

/* Print every article's --list line, in list order. */
void cli_list(const struct collection *c, FILE *out);

struct marks;

/* Print every article as one JSON object on a line, in list order: id, date, time (one
 * with no year, as its record gives it; null when none), source,
 * kind, title, path, url (null when unknown), read, bookmarked (from marks; false when
 * marks is NULL); text fields are display-safe. With unread or bookmarked, only the
 * articles cli_marks_keep keeps (marks must then be given). Returns EXIT_OK, or
 * EXIT_TROUBLE (with a message on err). */
int cli_list_json(const struct collection *c, const struct marks *marks, bool unread,
		  bool bookmarked, FILE *out, FILE *err);

/* --cache: print what is cached, one line per collection (its directory, articles,
 * files, when last opened, the sizes of its catalog and similar-stories index), then
 * the other files and the total; with clear (--cache --clear), remove them instead.
 * Returns EXIT_OK, or EXIT_TROUBLE (with a message on err). */
int cli_cache(bool clear, FILE *out, FILE *err);

/* How many grapheme clusters of context --search shows on each side of a match. */
#define CLI_SEARCH_CONTEXT 30

/* Print the --list lines of the unread full articles (unread), of the bookmarked ones
 * (bookmarked), or of those both, by the marks in the state file (marks_default_dir),
 * which is only read; its problems go to err. Returns 0. */
int cli_list_marked(const struct collection *c, bool unread, bool bookmarked, FILE *out, FILE *err);

/* Start *s on the user's marks for a listing, read only: from the state directory, or
 * none when that directory is refused (said on err, as the problems of a damaged state
 * file are). */
void cli_marks_load(struct marks *s, FILE *err);

/* Whether --list --unread (unread: a full article not marked read) and --bookmarked
 * (bookmarked: one marked so in m) keep article a; both: both must hold. */
bool cli_marks_keep(const struct article *a, const struct marks *m, bool unread, bool bookmarked);

struct text_index;

/* Print each article that matches query (search.h: text and fields; a PCRE2 regex when
 * regex), in list order: its --list line, then a TAB and the first match with its
 * context on one line, the match between ">>" and "<<"; with count, only the number of
 * matching articles. With ix (index.h, attached to c) fresh, its answer is used;
 * otherwise, or when the index cannot narrow the query, every article is scanned (said
 * on err when ix is not fresh). Returns EXIT_OK when something matched, EXIT_NO_MATCH when
 * nothing did, EXIT_TROUBLE (with a message on err) when the query is empty or not
 * valid (exitcode.h). */
int cli_search(const struct collection *c, const char *query, bool regex, bool count,
	       struct text_index *ix, FILE *out, FILE *err);

/* cli_search without loading the collection, when its catalog (the file catalog, key
 * key: fresh for paths[0..npaths) loaded with load) and its search index are up to date
 * and the index's map to that catalog is saved (cli_search_save_map): the index answers
 * and only the hits' articles are read from the catalog. Prints what cli_search would
 * and returns its status; -1, having printed nothing, when it cannot (then *map_wanted
 * says whether the map was what was missing). */
int cli_search_quick(uint64_t key, const char *catalog, char *const *paths, size_t npaths,
		     const struct load_opts *load, const char *query, bool regex, bool count,
		     bool *map_wanted, FILE *out, FILE *err);

/* How many of its hits cli_search_quick reads (checked) from the catalog before it
 * prints the first: a catalog found damaged there is left to cli_search; past them,
 * the matches printed are said to be incomplete (a variable for the tests). */
extern size_t cli_search_checked_first;

/* Save the map of index ix (attached to c, up to date) to the catalog c was read from,
 * for cli_search_quick; false when c is no catalog's or it cannot be saved. */
bool cli_search_save_map(struct text_index *ix, const struct collection *c);

/* Open the search index of the collection c loaded with catalog key key and attach c
 * (made when create, else only an existing one); NULL when there is none or it cannot
 * be used (said on err). A damaged or stale one is said on err and made anew. */
struct text_index *cli_index_open(uint64_t key, const struct collection *c, bool create, FILE *err);

/* --index: bring the index of c (catalog key key) up to date, with a progress bar on
 * err when it is a terminal, then say what was done on out; then, with catalog (the
 * catalog's file, or NULL), write the catalog when c was loaded from its files and save
 * the index's map to it, so that --search answers from the index alone. Returns 0, or 2
 * with a message on err. */
int cli_index(const struct collection *c, uint64_t key, const char *catalog, FILE *out, FILE *err);

/* The most articles the command line computes the similar stories of without a word
 * (some 5 s of processor time): past it, when they are not in the cache, --dump leaves
 * them out and says so, --related says it computes them. */
#define CLI_SIMILAR_QUICK 100000

/* Print the lines the reading pane shows for the article with id or title key at
 * width, its similar stories included (their index from the cache with use_cache, as
 * similar_index_cached; not computed for more than quick articles: then left out, which
 * err is told); returns EXIT_OK, or EXIT_TROUBLE (with a message on err) when
 * there is no such article. */
int cli_dump(const struct collection *c, const char *key, int width, bool use_cache, size_t quick,
	     FILE *out, FILE *err);

/* How many similar stories --related prints. */
#define CLI_RELATED_SIMILAR 10

/* Print the stories around the article with id or title key, one per line: "cites TAB"
 * and the --list fields of each of its related stories, "cited-by TAB" and those of each
 * article that cites it, then "similar TAB", the --list fields, TAB the similarity
 * (0.000 to 1.000) and TAB how many near-duplicates are grouped with it, for its
 * CLI_RELATED_SIMILAR most similar stories (the index from the on-disk cache when
 * use_cache; computed, and said on err first for more than quick articles). Returns
 * EXIT_OK, or EXIT_TROUBLE (with a message on err) when there is no such article. */
int cli_related(const struct collection *c, const char *key, bool use_cache, size_t quick,
		FILE *out, FILE *err);

/* Name the collection's files as the user typed them (typed[i]) where a catalog names
 * them by their canonical paths (canon[i], absolute), so that output from a catalog
 * names them as output from the files does (both arrays borrowed for the run). */
void cli_name_paths(char *const *canon, char *const *typed, size_t n);

/* Path p as shown, in buf: made the typed form of its canonical path (cli_name_paths),
 * a name that is not UTF-8 escaped (text_escape_name); NULL when p is. */
const char *cli_shown_path(const char *p, struct strbuf *buf);

/* Print every problem found while loading as "FILE:LINE: message" (LINE 0 for the
 * whole file) on err, and the first file read in each encoding detected; with verbose,
 * the related headlines without an article and every such file too. */
void cli_print_diags(const struct collection *c, bool verbose, FILE *err);

/* Say on err why collection c, which holds no article, holds none: the problems found
 * while loading it (cli_print_diags) or, without any, that its files hold no article or
 * that none was of a format xinwen reads. */
void cli_say_empty(const struct collection *c, FILE *err);

/* --check: cli_print_diags, then, unless the collection is clean, a summary line on err
 * (the articles, the problems, the related headlines without an article, the files
 * read in an encoding detected, "xinwen: " first); returns EXIT_TROUBLE when a file or
 * directory could not be read, else EXIT_NO_MATCH when there were problems, else
 * EXIT_OK (exitcode.h; headlines without an article and encodings detected are no
 * problem). */
int cli_check(const struct collection *c, bool verbose, FILE *err);

/* Print every problem of the config file as FILE:LINE: message, sanitized, then how
 * many were left out; returns the number of problems. */
size_t cli_print_config_problems(const struct config *cfg, FILE *err);

/* Print each file or directory that could not be read as "xinwen: FILE: why" (FILE:LINE
 * when a stream failed at a line) on err; returns how many. */
size_t cli_unreadable(const struct collection *c, FILE *err);

#endif
