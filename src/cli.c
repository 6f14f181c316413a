/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli.c: the command-line modes for scripts: --list, --dump, --check, --search. */
#include <config.h>

#include "cli.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unigbrk.h>

#include "catalog.h"
#include "exitcode.h"
#include "index.h"
#include "i18n.h"
#include "log.h"
#include "pane.h"
#include "reload.h"
#include "search.h"
#include "similar_cache.h"
#include "text.h"

void cli_list_fields(const struct article *a, FILE *out)
{
	text_put_name(out, a->id, strlen(a->id)); /* often a file's name */
	fputc('\t', out);
	text_put_safe(out, a->date.p, a->date.n);
	fputs(a->kind == ARTICLE_FULL ? "\tfull\t" : "\texcerpt\t", out);
	text_put_safe(out, a->title.p, a->title.n);
}

void cli_list_line(const struct article *a, FILE *out)
{
	cli_list_fields(a, out);
	fputc('\n', out);
}

void cli_no_article(const char *key, FILE *err)
{
	/* TRANSLATORS: followed by the id or title asked for, then the next message. */
	fputs(_("xinwen: no article with id or title '"), err);
	text_put_safe(err, key, strlen(key));
	fputs(_("'\n"), err);
}

/* The list is written in blocks of this many rows; from two blocks on, every second
 * one is made on a second thread (a --list of millions of articles: making the lines
 * is most of it), at most LIST_AHEAD of them ahead of the writing. */
#define LIST_BLOCK 16384
#define LIST_AHEAD 4

/* The odd blocks of a list, made on a second thread for the first to write. */
struct list_ahead {
	const struct collection *c;
	size_t nblocks;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t written; /* blocks written so far */
	struct {
		char *s; /* the block's lines, or NULL: to be made by the writer */
		size_t n;
		bool ready;
	} slot[LIST_AHEAD]; /* block b in slot b / 2 % LIST_AHEAD */
};

/* Write the lines of block b of c's list to out. */
static void list_block(const struct collection *c, size_t b, FILE *out)
{
	size_t end = (b + 1) * LIST_BLOCK < collection_count(c) ? (b + 1) * LIST_BLOCK
								: collection_count(c);

	for (size_t i = b * LIST_BLOCK; i < end; i++) {
		struct article tmp;
		cli_list_line(collection_peek(c, i, &tmp), out);
	}
}

/* Make the odd blocks of l in memory, in order, each once its slot is free. */
static void *make_odd_blocks(void *arg)
{
	struct list_ahead *l = arg;

	for (size_t b = 1; b < l->nblocks; b += 2) {
		char *s = NULL;
		size_t n = 0;

		pthread_mutex_lock(&l->mu);
		while (l->written + 2 * LIST_AHEAD <= b) /* its slot's last block not written */
			pthread_cond_wait(&l->cv, &l->mu);
		pthread_mutex_unlock(&l->mu);
		FILE *m = open_memstream(&s, &n);
		if (m) {
			list_block(l->c, b, m);
			if (fclose(m) != 0) {
				free(s);
				s = NULL;
			}
		}
		pthread_mutex_lock(&l->mu);
		l->slot[b / 2 % LIST_AHEAD].s = s;
		l->slot[b / 2 % LIST_AHEAD].n = n;
		l->slot[b / 2 % LIST_AHEAD].ready = true;
		pthread_cond_broadcast(&l->cv);
		pthread_mutex_unlock(&l->mu);
	}
	return NULL;
}

void cli_list(const struct collection *c, FILE *out)
{
	struct list_ahead l = {.c = c,
			       .nblocks = (collection_count(c) + LIST_BLOCK - 1) / LIST_BLOCK};
	pthread_t t;
	bool ahead;

	pthread_mutex_init(&l.mu, NULL);
	pthread_cond_init(&l.cv, NULL);
	ahead = l.nblocks >= 2 && pthread_create(&t, NULL, make_odd_blocks, &l) == 0;
	flockfile(out); /* once, not at each of the six writes of each of millions of lines */
	for (size_t b = 0; b < l.nblocks; b++) {
		if (!ahead || b % 2 == 0) {
			list_block(c, b, out);
		} else {
			pthread_mutex_lock(&l.mu);
			while (!l.slot[b / 2 % LIST_AHEAD].ready)
				pthread_cond_wait(&l.cv, &l.mu);
			char *s = l.slot[b / 2 % LIST_AHEAD].s;
			size_t n = l.slot[b / 2 % LIST_AHEAD].n;
			l.slot[b / 2 % LIST_AHEAD].ready = false;
			pthread_mutex_unlock(&l.mu);
			if (s)
				fwrite(s, 1, n, out);
			else /* no memory for it there */
				list_block(c, b, out);
			free(s);
		}
		pthread_mutex_lock(&l.mu);
		l.written = b + 1;
		pthread_cond_broadcast(&l.cv);
		pthread_mutex_unlock(&l.mu);
	}
	funlockfile(out);
	if (ahead)
		pthread_join(t, NULL);
	pthread_mutex_destroy(&l.mu);
	pthread_cond_destroy(&l.cv);
}

/* Write context text sanitized, each run of line breaks as one space. */
static void put_context(FILE *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t j = i;
		while (j < n && s[j] != '\n' && s[j] != '\r')
			j++;
		text_put_safe(out, s + i, j - i);
		if (j == n)
			break;
		while (j < n && (s[j] == '\n' || s[j] == '\r'))
			j++;
		fputc(' ', out);
		i = j;
	}
}

/* Print the context line of a match at text[start, end): a TAB, up to
 * CLI_SEARCH_CONTEXT clusters before, the match between >> and <<, as many after. */
static void put_match_line(FILE *out, const char *text, size_t n, size_t start, size_t end)
{
	const uint8_t *u = (const uint8_t *)text;
	const uint8_t *from = u + start, *to = u + end;

	for (int k = 0; k < CLI_SEARCH_CONTEXT && from > u; k++)
		from = u8_grapheme_prev(from, u);
	for (int k = 0; k < CLI_SEARCH_CONTEXT && to < u + n; k++)
		to = u8_grapheme_next(to, u + n);
	fputc('\t', out);
	put_context(out, (const char *)from, start - (size_t)(from - u));
	fputs(">>", out);
	put_context(out, text + start, end - start);
	fputs("<<", out);
	put_context(out, text + end, (size_t)(to - u) - end);
	fputc('\n', out);
}

/* The list positions of c's articles that q matches, in order: from ix when it is fresh
 * and can narrow q (its candidates checked), else by a scan (said on err when ix is not
 * fresh). keys: for the checks and the scan. */
static void find_hits(const struct collection *c, const struct search *q, struct text_index *ix,
		      struct search_keys *keys, search_hits *hits, FILE *err)
{
	char why[512];
	enum index_answer kind = INDEX_CANNOT;

	if (ix && index_fresh(ix)) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		kind = index_query(ix, q, hits, why, sizeof why);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		log_debug("search: the index answered %zu articles in %.1f ms", hits->n,
			  (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
				  (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
		if (kind == INDEX_ERROR) {
			/* TRANSLATORS: followed by why, then "): scanning". */
			fputs(_("xinwen: the search index failed ("), err);
			text_put_safe(err, why, strlen(why));
			fputs(_("): scanning\n"), err);
		}
	} else if (ix) {
		fputs(_("xinwen: the search index is not up to date (xinwen --index updates it): "
			"scanning\n"),
		      err);
	}
	if (kind == INDEX_CANNOT && ix && index_fresh(ix))
		fputs(_("xinwen: the search index cannot narrow this query (one character, fields "
			"alone, or a regular expression without two literal characters in a row): "
			"scanning\n"),
		      err);
	if (kind == INDEX_EXACT)
		return;
	if (kind == INDEX_CANDIDATES) {
		size_t n = 0;
		for (size_t k = 0; k < hits->n; k++) {
			size_t i = hits->v[k];
			if (search_article(keys, i, q, NULL, NULL))
				hits->v[n++] = i;
			folded_free(&keys->v[i]);
		}
		hits->n = n;
		return;
	}
	hits->n = 0;
	for (size_t i = 0; i < collection_count(c); i++) {
		if (search_article(keys, i, q, NULL, NULL))
			VEC_PUSH(hits, i);
		/* Each key is used once here: free it as we go. */
		folded_free(&keys->v[i]);
	}
}

/* Compile query into q (true), or say on err why it cannot be (false). */
static bool compile_query(struct search *q, const char *query, bool regex, FILE *err)
{
	char why[256];

	if (!search_compile(q, query, strlen(query), regex, why, sizeof why)) {
		fputs(regex ? _("xinwen: invalid regular expression '")
			    : _("xinwen: invalid query '"),
		      err);
		text_put_safe(err, query, strlen(query));
		fputs(_("': "), err);
		text_put_safe(err, why, strlen(why));
		fputc('\n', err);
		return false;
	}
	if (search_is_empty(q)) {
		fputs(_("xinwen: the search query is empty\n"), err);
		search_free(q);
		return false;
	}
	return true;
}

/* Say on err that the folding of Traditional characters is missing, when it is. */
static void warn_folding(FILE *err)
{
	const char *problem = fold_ts_problem();
	if (problem)
		fprintf(err, _("xinwen: warning: %s\n"), problem);
}

/* Print hit i of keys' collection: its --list line and its match's context line
 * (text: a buffer). An article an index answered wrongly (damaged, or its file changed
 * in place) has an empty match at its start. */
static void put_hit(struct search_keys *keys, size_t i, const struct search *q, struct strbuf *text,
		    FILE *out)
{
	size_t start = 0, end = 0;
	struct article tmp;
	const struct article *a = collection_peek(keys->c, i, &tmp);

	if (!search_article(keys, i, q, &start, &end))
		start = end = 0;
	folded_free(&keys->v[i]);
	cli_list_line(a, out);
	sb_clear(text);
	search_article_text(a, text);
	put_match_line(out, text->s, text->n, start, end);
}

/* The status of a search that found n articles, once q is done with (said on err when
 * a regex gave up). */
static int search_status(struct search *q, size_t n, FILE *err)
{
	int status = n ? EXIT_OK : EXIT_NO_MATCH;

	if (search_gave_up(q)) {
		fprintf(err,
			_("xinwen: the regular expression is too complex: the search gave up "
			  "(over %u steps in one article); the matches above are incomplete\n"),
			SEARCH_MATCH_LIMIT);
		status = EXIT_TROUBLE;
	}
	search_free(q);
	return status;
}

int cli_search(const struct collection *c, const char *query, bool regex, bool count,
	       struct text_index *ix, FILE *out, FILE *err)
{
	struct search q;
	struct search_keys keys;
	struct strbuf text = {0};
	search_hits hits = {0};

	if (!compile_query(&q, query, regex, err))
		return EXIT_TROUBLE;
	warn_folding(err);
	search_keys_init(&keys, c);
	find_hits(c, &q, ix, &keys, &hits, err);
	if (count)
		fprintf(out, "%zu\n", hits.n);
	for (size_t k = 0; !count && k < hits.n; k++)
		put_hit(&keys, hits.v[k], &q, &text, out);
	size_t n = hits.n;
	free(hits.v);
	sb_free(&text);
	search_keys_free(&keys);
	return search_status(&q, n, err);
}

/* ---------------------------------------------------------------------------
 * --search from the index and the catalog alone (cli_search_quick): the hits' articles
 * are read from the mapped catalog one at a time, as cli_search prints them.
 */

/* One article of the catalog at a time, as a collection of one for search_keys. */
struct one_article {
	struct catalog_view *view;
	const struct article *a;
	struct collection c;
	struct search_keys keys;
	struct strbuf why;
};

/* index_attach_map's article_at: article i of the view. */
static const struct article *view_article(void *ctx, size_t i, struct article *tmp, char *why,
					  size_t whylen)
{
	(void)tmp;
	struct one_article *o = ctx;
	const struct article *a = catalog_view_article(o->view, i, &o->why);

	if (!a)
		snprintf(why, whylen, "the catalog: %s", o->why.s ? o->why.s : "damaged");
	return a;
}

/* Make article i of the view the one of o->c; false when the catalog is damaged. */
static bool take_article(struct one_article *o, size_t i)
{
	o->a = catalog_view_article(o->view, i, &o->why);
	if (!o->a)
		return false;
	o->c.articles.v[0] = (struct article *)(uintptr_t)o->a;
	return true;
}

size_t cli_search_checked_first = 1000;

/* Print the hits of a quick search (or their count); candidates: they are to be checked
 * (a regex's). Returns the status, or -1 when the catalog was found damaged before
 * anything was printed; found damaged after, ix's map is removed (the next search
 * takes cli_search's way, which finds the damage and reads the files). */
static int quick_answer(struct one_article *o, struct text_index *ix, struct search *q,
			search_hits *hits, bool candidates, bool count, FILE *out, FILE *err)
{
	struct strbuf text = {0};
	size_t n = 0;

	if (candidates) {
		for (size_t k = 0; k < hits->n; k++) {
			if (!take_article(o, hits->v[k]))
				return -1;
			if (search_article(&o->keys, 0, q, NULL, NULL))
				hits->v[n++] = hits->v[k];
			folded_free(&o->keys.v[0]);
		}
		hits->n = n;
	}
	for (size_t k = 0; !count && k < hits->n && k < cli_search_checked_first; k++)
		if (!take_article(o, hits->v[k]))
			return -1;
	warn_folding(err);
	if (count)
		fprintf(out, "%zu\n", hits->n);
	for (size_t k = 0; !count && k < hits->n; k++) {
		if (!take_article(o, hits->v[k])) {
			index_forget_map(ix);
			fputs(_("xinwen: the catalog was found damaged: the matches above are "
				"incomplete (the next search reads the files)\n"),
			      err);
			search_free(q);
			sb_free(&text);
			return EXIT_TROUBLE;
		}
		put_hit(&o->keys, 0, q, &text, out);
	}
	sb_free(&text);
	return search_status(q, hits->n, err);
}

/* Whether the catalog's files are those of paths, unchanged (as startup trusts a
 * catalog for the script modes), and it holds articles. */
static bool view_trusted(struct catalog_view *view, char *const *paths, size_t npaths,
			 const struct load_opts *load, struct strbuf *why)
{
	const struct collection *files = catalog_view_files(view, why);

	return files && catalog_view_count(view) > 0 && catalog_made_from(files, paths, npaths) &&
	       reload_files_unchanged(files, paths, npaths, load);
}

int cli_search_quick(uint64_t key, const char *catalog, char *const *paths, size_t npaths,
		     const struct load_opts *load, const char *query, bool regex, bool count,
		     bool *map_wanted, FILE *out, FILE *err)
{
	char why[512] = "";
	struct one_article o = {0};
	struct text_index *ix = NULL;
	const void *seal;
	size_t nseal;
	int status = -1;
	struct article *one[1] = {NULL};

	*map_wanted = false;
	char *path = index_path(key);
	if (!path || !catalog)
		goto out;
	if (catalog_view_open(&o.view, key, catalog, &o.why) != CATALOG_OK ||
	    !(ix = index_open_sound(path, why, sizeof why))) {
		log_debug("search: not from the index alone: %s", o.why.s ? o.why.s : why);
		goto out;
	}
	*map_wanted = true;
	if (!index_attach_map(ix, catalog_view_identity(o.view), catalog_view_count(o.view),
			      view_article, &o, &seal, &nseal, why, sizeof why) ||
	    !catalog_view_seal(o.view, seal, nseal) ||
	    !view_trusted(o.view, paths, npaths, load, &o.why)) {
		log_debug("search: not from the index alone: no map of this catalog (%s%s)", why,
			  o.why.s ? o.why.s : "");
		goto out;
	}
	*map_wanted = false;
	struct search q;
	if (!compile_query(&q, query, regex, err)) {
		status = EXIT_TROUBLE;
		goto out;
	}
	search_hits hits = {0};
	enum index_answer kind = index_query(ix, &q, &hits, why, sizeof why);
	if (kind == INDEX_EXACT || kind == INDEX_CANDIDATES) {
		o.c.articles.v = one;
		o.c.articles.n = 1;
		search_keys_init(&o.keys, &o.c);
		status = quick_answer(&o, ix, &q, &hits, kind == INDEX_CANDIDATES, count, out, err);
		search_keys_free(&o.keys);
		if (status >= 0)
			log_debug("search: answered from the index and the catalog alone: %zu "
				  "articles",
				  hits.n);
	}
	free(hits.v);
	if (status < 0) {
		log_debug("search: not from the index alone: %s",
			  kind == INDEX_CANNOT ? "cannot narrow" : why);
		search_free(&q);
	}
out:
	index_close(ix);
	catalog_view_close(o.view);
	sb_free(&o.why);
	free(path);
	return status;
}

bool cli_search_save_map(struct text_index *ix, const struct collection *c)
{
	bool ok = index_save_catalog_map(ix, c);

	log_debug("search: the index's map to the catalog %s", ok ? "saved" : "not saved");
	return ok;
}

int cli_dump(const struct collection *c, const char *key, int width, bool use_cache, size_t quick,
	     FILE *out, FILE *err)
{
	const struct article *a = collection_find(c, key);
	struct similar_hit hits[PANE_SIMILAR_SHOWN];
	struct pane p = {0};
	struct strbuf line = {0};

	if (!a) {
		cli_no_article(key, err);
		return EXIT_TROUBLE;
	}
	struct similar_index *ix = collection_count(c) <= quick
					   ? similar_index_cached(c, use_cache, quick, err)
				   : use_cache ? similar_index_kept(c, err)
					       : NULL;
	if (ix) {
		size_t n = similar_cache_query(&ix, c, use_cache, collection_index(c, a), hits,
					       PANE_SIMILAR_SHOWN, err);
		pane_build_similar(&p, a, CONVERT_ORIGINAL, c, hits, n);
		similar_index_free(ix);
	} else {
		struct strbuf count = {0};
		sb_put_count(&count, collection_count(c));
		fprintf(err,
			_("xinwen: the similar stories are left out: not computed yet for these "
			  "%s articles (the reader computes and keeps them, as xinwen --related "
			  "does)\n"),
			count.s);
		sb_free(&count);
		pane_build(&p, c, a);
	}
	pane_layout(&p, width);
	pane_text(&p, &line);
	fwrite(line.s, 1, line.n, out);
	sb_free(&line);
	pane_free(&p);
	return EXIT_OK;
}

/* Print one diag as "FILE:LINE: message". */
/* The paths of cli_name_paths. */
static struct {
	char *const *canon, *const *typed;
	size_t n;
} named;

void cli_name_paths(char *const *canon, char *const *typed, size_t n)
{
	named.canon = canon;
	named.typed = typed;
	named.n = canon && typed ? n : 0;
}

/* Path p made the typed form of its canonical path (cli_name_paths) in buf, else p. */
static const char *typed_path(const char *p, struct strbuf *buf)
{
	for (size_t i = 0; p && i < named.n; i++) {
		const char *root = named.canon[i], *typed = named.typed[i];
		size_t n = strlen(root), t = strlen(typed);

		/* the root itself, a file under it, or a member of it ("ARCHIVE:MEMBER") */
		if (strcmp(root, typed) == 0 || strncmp(p, root, n) != 0 ||
		    (p[n] && p[n] != ':' && (p[n] != '/' || root[n - 1] == '/')))
			continue;
		sb_clear(buf);
		sb_puts(buf, typed);
		/* what a walk of the typed path joins: one '/' between */
		sb_puts(buf, p[n] == '/' && t && typed[t - 1] == '/' ? p + n + 1 : p + n);
		return buf->s;
	}
	return p;
}

const char *cli_shown_path(const char *p, struct strbuf *buf)
{
	struct strbuf typed = {0};
	const char *s = typed_path(p, &typed);

	if (!s)
		return NULL;
	sb_clear(buf);
	text_escape_name(buf, s, strlen(s));
	sb_free(&typed);
	return buf->s;
}

static void put_diag(const struct diag *d, FILE *err)
{
	struct strbuf buf = {0};
	const char *file = cli_shown_path(d->file, &buf);

	text_put_safe(err, file, strlen(file));
	sb_free(&buf);
	fprintf(err, ":%zu: ", d->line);
	text_put_safe(err, d->msg, strlen(d->msg));
	fputc('\n', err);
}

/* Whether an earlier diag than d among c's says the same (for a file read in the same
 * encoding detected, shown once without verbose). */
static bool said_before(const struct collection *c, const struct diag *d)
{
	for (const struct diag *e = c->diags.v; e < d; e++)
		if (strcmp(e->msg, d->msg) == 0)
			return true;
	return false;
}

void cli_print_diags(const struct collection *c, bool verbose, FILE *err)
{
	for (size_t i = 0; i < c->diags.n; i++) {
		const struct diag *d = &c->diags.v[i];
		enum diag_kind k = diag_kind(d);
		if (verbose || k == DIAG_PROBLEM || (k == DIAG_DETECTED && !said_before(c, d)))
			put_diag(d, err);
	}
}

size_t cli_unreadable(const struct collection *c, FILE *err)
{
	size_t n = 0;

	for (size_t i = 0; i < c->diags.n; i++) {
		const struct diag *d = &c->diags.v[i];
		if (!d->unreadable)
			continue;
		struct strbuf buf = {0};
		const char *file = cli_shown_path(d->file, &buf);

		fputs("xinwen: ", err);
		text_put_safe(err, file, strlen(file));
		sb_free(&buf);
		if (d->line)
			fprintf(err, ":%zu", d->line);
		fputs(": ", err);
		text_put_safe(err, d->msg, strlen(d->msg));
		fputc('\n', err);
		n++;
	}
	return n;
}

void cli_say_empty(const struct collection *c, FILE *err)
{
	if (c->diags.n)
		cli_print_diags(c, false, err);
	else if (c->files.n)
		fprintf(err,
			ngettext("xinwen: no articles in %zu file\n",
				 "xinwen: no articles in %zu files\n", c->files.n),
			c->files.n);
	else
		fputs(_("xinwen: no articles: no file of a format xinwen reads\n"), err);
}

int cli_check(const struct collection *c, bool verbose, FILE *err)
{
	size_t count[DIAG_KINDS] = {0}, full = 0;
	FILE *out = err;

	bool unreadable = false;

	cli_print_diags(c, verbose, err);
	for (size_t i = 0; i < collection_count(c); i++) {
		struct article tmp;
		full += collection_peek(c, i, &tmp)->kind == ARTICLE_FULL;
	}
	if (!c->diags.n && !full) { /* nothing wrong but nothing there: said, as a problem */
		cli_say_empty(c, out);
		return EXIT_NO_MATCH;
	}
	if (!c->diags.n)
		return EXIT_OK;
	for (size_t i = 0; i < c->diags.n; i++)
		unreadable |= c->diags.v[i].unreadable;
	size_t encodings = 0; /* the files read in an encoding detected that were shown */
	for (size_t i = 0; i < c->diags.n; i++) {
		enum diag_kind k = diag_kind(&c->diags.v[i]);
		count[k]++;
		encodings += k == DIAG_DETECTED && !said_before(c, &c->diags.v[i]);
	}
	fputs("xinwen: ", out);
	fprintf(out, ngettext("%zu article", "%zu articles", full), full);
	/* TRANSLATORS: between "N articles" and "N files". */
	fputs(_(" in "), out);
	fprintf(out, ngettext("%zu file", "%zu files", c->files.n), c->files.n);
	fputs(_(": "), out);
	if (count[DIAG_PROBLEM])
		fprintf(out, ngettext("%zu problem", "%zu problems", count[DIAG_PROBLEM]),
			count[DIAG_PROBLEM]);
	else
		fputs(_("no problems"), out);
	size_t missing = count[DIAG_UNRESOLVED] + count[DIAG_AMBIGUOUS];
	if (missing) {
		fputs(_("; "), out);
		fprintf(out,
			ngettext("%zu related headline not in the collection",
				 "%zu related headlines not in the collection", missing),
			missing);
		if (count[DIAG_AMBIGUOUS])
			fprintf(out, _(" (%zu ambiguous)"), count[DIAG_AMBIGUOUS]);
		fputs(verbose ? _(", shown as excerpts")
			      : _(", shown as excerpts (--verbose lists them)"),
		      out);
	}
	if (count[DIAG_DETECTED]) {
		fputs(_("; "), out);
		fprintf(out,
			ngettext("%zu file not in UTF-8, read in the encoding detected",
				 "%zu files not in UTF-8, read in the encoding detected",
				 count[DIAG_DETECTED]),
			count[DIAG_DETECTED]);
		if (!verbose && count[DIAG_DETECTED] > encodings)
			fputs(_(" (--verbose lists them)"), out);
	}
	fputc('\n', out);
	return unreadable ? EXIT_TROUBLE : count[DIAG_PROBLEM] ? EXIT_NO_MATCH : EXIT_OK;
}

size_t cli_print_config_problems(const struct config *cfg, FILE *err)
{
	for (size_t i = 0; i < cfg->problems.n; i++) {
		const struct diag *d = &cfg->problems.v[i];
		text_put_name(err, d->file, strlen(d->file));
		fprintf(err, ":%zu: ", d->line);
		text_put_safe(err, d->msg, strlen(d->msg));
		fputc('\n', err);
	}
	if (cfg->nproblems > cfg->problems.n) {
		const char *file = cfg->problems.v[0].file;
		text_put_name(err, file, strlen(file));
		size_t more = cfg->nproblems - cfg->problems.n;
		fprintf(err,
			ngettext(":0: %zu more problem not shown\n",
				 ":0: %zu more problems not shown\n", more),
			more);
	}
	return cfg->nproblems;
}
