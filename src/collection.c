/* SPDX-License-Identifier: GPL-3.0-or-later */
/* collection.c: the article model: articles, the files they came from, the problems
 * found loading them, their content identity, where their text is kept, and finding an
 * article by id or title and its place in the list. */
#include <config.h>

#include "collection.h"
#include "i18n.h"

#include <assert.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "text.h"
#include "xxh64.h"

/* ---------------------------------------------------------------------------
 * Diagnostics and lifetime
 */

void collection_init(struct collection *c)
{
	memset(c, 0, sizeof *c);
	c->cur_file = SIZE_MAX;
}

/* Free what a owns (its memory is a block's, collection_new_article). */
static void article_free(struct article *a)
{
	if (!a->id_in_block)
		free(a->id);
	free(a->alt_id);
	free(a->related.v);
	free(a->backlinks.v);
}

/* The blocks articles and their headers are cut from: many in one malloc, so that
 * millions of them are not millions of mallocs to make and to free. The first blocks
 * are small and grow (a collection of one article, a file loaded on a thread of the
 * walk and then moved, takes about 1 KB, not a 64 KB block); once XALLOC_HUGE bytes of them
 * are used, each new block is one huge page (xalloc_block): millions of articles are then
 * a page fault per 2 MB, not per 4 KB (bench/README.md, jsonl-open: on a virtual machine
 * a fault can cost as much as the work of an article). */

/* n bytes (aligned for any object) of c's blocks, freed with c. */
static void *arena_alloc(struct collection *c, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	char *p;

	n = (n + align - 1) / align * align;
	if (n > XALLOC_BLOCK / 4) { /* big: a block of its own */
		p = xmalloc(n);
		VEC_PUSH(&c->buffers, p);
		return p;
	}
	if (c->arena_left < n) {
		size_t size;

		c->arena = xalloc_block(c->arena_used, n, &size);
		c->arena_left = size;
		c->arena_used += size;
		VEC_PUSH(&c->buffers, c->arena);
	}
	p = c->arena;
	c->arena += n;
	c->arena_left -= n;
	return p;
}

struct article *collection_new_article(struct collection *c)
{
	struct article *a = arena_alloc(c, sizeof *a);

	memset(a, 0, sizeof *a);
	return a;
}

/* How many articles block k of a collection of made articles holds. */
static size_t chunk_size(const struct collection *c, size_t k)
{
	size_t first = k * COLLECTION_CHUNK;
	return c->articles.n - first < COLLECTION_CHUNK ? c->articles.n - first : COLLECTION_CHUNK;
}

void collection_init_made(struct collection *c, const struct article_maker *maker, size_t n)
{
	c->maker = maker;
	c->articles.n = n;
	c->chunks = xcalloc(n / COLLECTION_CHUNK + 1, sizeof *c->chunks);
}

struct article *collection_made_article(const struct collection *c, size_t i)
{
	size_t k = i / COLLECTION_CHUNK;
	struct article *p = atomic_load_explicit(&c->chunks[k], memory_order_acquire);

	if (!p) {
		struct article *made = c->maker->make(c->maker->ctx, k * COLLECTION_CHUNK,
						      chunk_size(c, k));
		p = NULL;
		if (atomic_compare_exchange_strong_explicit(
			    &c->chunks[k], &p, made, memory_order_acq_rel, memory_order_acquire))
			p = made;
		else
			free(made); /* made at once on another thread, which kept its own */
	}
	return &p[i % COLLECTION_CHUNK];
}

const struct article *collection_peek(const struct collection *c, size_t i, struct article *tmp)
{
	if (!c->maker)
		return c->articles.v[i];
	struct article *p = atomic_load_explicit(&c->chunks[i / COLLECTION_CHUNK],
						 memory_order_acquire);
	if (p)
		return &p[i % COLLECTION_CHUNK];
	c->maker->peek(c->maker->ctx, i, tmp);
	return tmp;
}

void collection_free(struct collection *c)
{
	size_t i;

	if (c->maker) {
		for (i = 0; i * COLLECTION_CHUNK < c->articles.n; i++)
			free(atomic_load_explicit(&c->chunks[i], memory_order_relaxed));
		free(c->chunks);
	}
	if (c->slab || c->maker) { /* the strings of files and diags are in the slab's owner too */
		free(c->slab);
		if (c->slab_free)
			c->slab_free(c->slab_owner);
		c->files.n = 0;
		c->diags.n = 0;
	} else {
		for (i = 0; i < c->articles.n; i++)
			article_free(c->articles.v[i]);
	}
	free(c->articles.v);
	for (i = 0; i < c->buffers.n; i++)
		free(c->buffers.v[i]);
	free(c->buffers.v);
	for (i = 0; i < c->paths.n; i++)
		free(c->paths.v[i]);
	free(c->paths.v);
	for (i = 0; i < c->diags.n; i++) {
		free(c->diags.v[i].file);
		free(c->diags.v[i].msg);
	}
	free(c->diags.v);
	for (i = 0; i < c->files.n; i++)
		free(c->files.v[i].path);
	free(c->files.v);
	for (i = 0; i < c->members.n; i++) { /* none in a catalog's: its slab holds them */
		free(c->members.v[i]->name);
		free(c->members.v[i]);
	}
	free(c->members.v);
	free(c->line_ids.v);
	collection_init(c);
}

/* Index i of part's files as an index of c's once part's files follow c's. */
static size_t shift_file(size_t i, size_t base)
{
	return i == SIZE_MAX ? SIZE_MAX : i + base;
}

void collection_absorb(struct collection *c, struct collection *part)
{
	size_t base = c->files.n;

	for (size_t i = 0; i < part->articles.n; i++) {
		struct article *a = part->articles.v[i];
		a->file = shift_file(a->file, base);
		VEC_PUSH(&c->articles, a);
	}
	for (size_t i = 0; i < part->buffers.n; i++)
		VEC_PUSH(&c->buffers, part->buffers.v[i]);
	c->arena_used += part->arena_used;
	for (size_t i = 0; i < part->paths.n; i++)
		VEC_PUSH(&c->paths, part->paths.v[i]);
	for (size_t i = 0; i < part->diags.n; i++) {
		struct diag d = part->diags.v[i];
		d.file_no = shift_file(d.file_no, base);
		VEC_PUSH(&c->diags, d);
	}
	for (size_t i = 0; i < part->files.n; i++)
		VEC_PUSH(&c->files, part->files.v[i]);
	for (size_t i = 0; i < part->members.n; i++)
		VEC_PUSH(&c->members, part->members.v[i]);
	free(part->members.v);
	free(part->line_ids.v); /* renumbered by then (loader.c) */
	c->unresolved += part->unresolved;
	free(part->articles.v);
	free(part->buffers.v);
	free(part->paths.v);
	free(part->diags.v);
	free(part->files.v);
	collection_init(part);
}

void collection_absorb_runs(struct collection *c, struct collection *parts, size_t nparts,
			    const struct collection_run *runs, size_t nruns)
{
	size_t base = c->files.n; /* where each part's files go: after the parts' before */

	for (size_t k = 0; k < nruns; k++) {
		const struct collection_run *r = &runs[k];
		struct collection *part = &parts[r->part];
		size_t shift = base;

		for (size_t j = 0; j < r->part; j++)
			shift += parts[j].files.n;
		for (size_t i = r->article; i < r->article + r->narticles; i++) {
			struct article *a = part->articles.v[i];
			a->file = shift_file(a->file, shift);
			VEC_PUSH(&c->articles, a);
			part->articles.v[i] = NULL; /* moved */
		}
		for (size_t i = r->diag; i < r->diag + r->ndiags; i++) {
			struct diag d = part->diags.v[i];
			d.file_no = shift_file(d.file_no, shift);
			VEC_PUSH(&c->diags, d);
			part->diags.v[i].msg = NULL; /* moved */
		}
	}
	for (size_t j = 0; j < nparts; j++) {
		struct collection *part = &parts[j];

		for (size_t i = 0; i < part->articles.n; i++)
			if (part->articles.v[i])
				article_free(part->articles.v[i]);
		for (size_t i = 0; i < part->diags.n; i++)
			if (part->diags.v[i].msg) {
				free(part->diags.v[i].file);
				free(part->diags.v[i].msg);
			}
		part->articles.n = part->diags.n = 0;
		collection_absorb(c, part);
	}
}

void collection_begin_file(struct collection *c, const char *path, const struct stat *st)
{
	struct loaded_file f = {.path = xstrdup(path)};

	if (st) {
		f.dev = (uint64_t)st->st_dev;
		f.ino = (uint64_t)st->st_ino;
		f.size = (uint64_t)st->st_size;
		f.mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
		f.ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
	}
	VEC_PUSH(&c->files, f);
	c->cur_file = c->files.n - 1;
}

void collection_end_file(struct collection *c)
{
	c->cur_file = SIZE_MAX;
}

enum diag_kind diag_kind(const struct diag *d)
{
	const char *unresolved = _(DIAG_MSG_UNRESOLVED), *ambiguous = _(DIAG_MSG_AMBIGUOUS),
		   *detected = _(DIAG_MSG_DETECTED);

	if (!strncmp(d->msg, unresolved, strlen(unresolved)))
		return DIAG_UNRESOLVED;
	if (!strncmp(d->msg, ambiguous, strlen(ambiguous)))
		return DIAG_AMBIGUOUS;
	if (!strncmp(d->msg, detected, strlen(detected)))
		return DIAG_DETECTED;
	return DIAG_PROBLEM;
}

size_t collection_problems(const struct collection *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->diags.n; i++)
		n += diag_kind(&c->diags.v[i]) == DIAG_PROBLEM;
	return n;
}

/* Record a diag of file at line, its message printf-style from fmt and ap, fmt in the
 * user's language (po/: a catalog keeps the messages, so its key has the language). */
static void add_diag(struct collection *c, const char *file, size_t line, bool unreadable,
		     const char *fmt, va_list ap)
{
	struct diag d;
	va_list again;
	int need;

	fmt = _(fmt);
	va_copy(again, ap);
	need = vsnprintf(NULL, 0, fmt, ap);
	if (need < 0)
		need = 0;
	d.msg = xmalloc((size_t)need + 1);
	d.msg[0] = '\0';
	vsnprintf(d.msg, (size_t)need + 1, fmt, again);
	va_end(again);
	d.file = xstrdup(file ? file : "");
	d.line = line;
	d.file_no = c->cur_file;
	d.unreadable = unreadable;
	VEC_PUSH(&c->diags, d);
}

void collection_diag(struct collection *c, const char *file, size_t line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_diag(c, file, line, false, fmt, ap);
	va_end(ap);
}

void collection_diag_article(struct collection *c, const struct article *a, size_t line,
			     const char *fmt, ...)
{
	va_list ap;
	char *where = NULL;

	if (a->member) {
		size_t n = strlen(a->path) + 1 + strlen(a->member->name) + 1;
		where = xmalloc(n);
		snprintf(where, n, "%s:%s", a->path, a->member->name);
	}
	va_start(ap, fmt);
	add_diag(c, where ? where : a->path, line, false, fmt, ap);
	va_end(ap);
	free(where);
}

void collection_diag_unreadable(struct collection *c, const char *file, size_t line,
				const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_diag(c, file, line, true, fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------------------
 * Content identity: XXH64 (Yann Collet's xxHash, 64-bit) of each field under two
 * seeds, then of the field hashes; the two results are the identity's halves.
 */

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* The field hashes of a's source with its time, "SOURCE (TIME)" ("(TIME)" without a
 * source): news2016zh's records had their time in the source, and the marks made then
 * are kept. */
static void source_with_time(const struct article *a, uint64_t h[2])
{
	struct xxh64_two_state s;

	xxh64_two_init(&s, 0, XXH_PRIME64_3);
	if (a->source.n) {
		xxh64_two_add(&s, a->source.p, a->source.n);
		xxh64_two_add(&s, " ", 1);
	}
	xxh64_two_add(&s, "(", 1);
	xxh64_two_add(&s, a->time.p, a->time.n);
	xxh64_two_add(&s, ")", 1);
	xxh64_two_end(&s, h);
}

/* The identity of a, whose body's field hashes are body_hash when it is not NULL. */
static void make_identity(const struct article *a, const uint64_t body_hash[2],
			  struct content_id *out)
{
	/* The kind first, so that an excerpt never shares a full article's identity. */
	struct str kind = {a->kind == ARTICLE_EXCERPT ? "excerpt" : "article", 7};
	struct str fields[5] = {kind, a->title, a->date, a->source, a->body};
	size_t nfields = a->kind == ARTICLE_EXCERPT ? 2 : 5;
	unsigned char lane[2][5 * 8];

	for (size_t i = 0; i < nfields; i++) {
		uint64_t h[2];
		if (i == 4 && body_hash)
			h[0] = body_hash[0], h[1] = body_hash[1];
		else if (i == 3 && a->time.n)
			source_with_time(a, h);
		else
			xxh64_two(fields[i].p, fields[i].n, 0, XXH_PRIME64_3, h);
		put64(lane[0] + 8 * i, h[0]);
		put64(lane[1] + 8 * i, h[1]);
	}
	out->hi = xxh64(lane[0], 8 * nfields, 0);
	out->lo = xxh64(lane[1], 8 * nfields, XXH_PRIME64_3);
}

void article_identity(const struct article *a, struct content_id *out)
{
	if (a->has_ident) {
		*out = a->ident;
		return;
	}
	assert(!a->body_on_disk); /* loaded LEAN_UNHASHED: its identity was not wanted */
	make_identity(a, NULL, out);
}

/* An identity and where it is (an entry of the identities matched, or an article). */
struct ident_at {
	struct content_id id;
	size_t at;
};

/* By identity, then by place. */
static int cmp_ident_at(const void *x, const void *y)
{
	const struct ident_at *a = x, *b = y;
	if (a->id.hi != b->id.hi)
		return a->id.hi < b->id.hi ? -1 : 1;
	if (a->id.lo != b->id.lo)
		return a->id.lo < b->id.lo ? -1 : 1;
	return (a->at > b->at) - (a->at < b->at);
}

size_t *collection_match_ids(const struct collection *c, size_t na, const struct content_id *ids,
			     size_t n, size_t *taken)
{
	/* Both sorted by identity, then place: the k-th article of an identity takes its
	 * k-th entry; one pass over both. */
	struct ident_at *ent = xmalloc((n ? n : 1) * sizeof *ent);
	struct ident_at *arts = xmalloc((na ? na : 1) * sizeof *arts);
	for (size_t k = 0; k < n; k++)
		ent[k] = (struct ident_at){ids[k], k};
	for (size_t i = 0; i < na; i++) {
		struct article tmp;
		article_identity(collection_peek(c, i, &tmp), &arts[i].id);
		arts[i].at = i;
	}
	qsort(ent, n, sizeof *ent, cmp_ident_at);
	qsort(arts, na, sizeof *arts, cmp_ident_at);
	size_t *match = xmalloc((na ? na : 1) * sizeof *match);
	for (size_t i = 0; i < na; i++)
		match[i] = SIZE_MAX;
	*taken = 0;
	for (size_t i = 0, k = 0; i < na; i++) {
		struct ident_at key = {arts[i].id, 0};
		while (k < n && cmp_ident_at(&ent[k], &key) < 0)
			k++;
		if (k < n && ent[k].id.hi == key.id.hi && ent[k].id.lo == key.id.lo) {
			match[arts[i].at] = ent[k++].at;
			(*taken)++;
		}
	}
	free(ent);
	free(arts);
	return match;
}

void article_identity_body_hashed(struct article *a, const struct xxh64_two_state *body)
{
	uint64_t h[2];

	xxh64_two_end(body, h);
	make_identity(a, h, &a->ident);
	a->has_ident = true;
}

/* ---------------------------------------------------------------------------
 * Adding articles: their text kept, or left in the file (lean loading)
 */

/* Note the length and hash of a's id, n bytes, while it is at hand (article.id_hash). */
static void note_id_key(struct article *a, size_t n)
{
	a->id_len = (uint32_t)n;
	a->id_hash = n <= UINT32_MAX ? collection_key_hash(a->id, n) : 0;
}

/* Copy s to the end of b (reserved big enough) and point s at the copy. */
static void move_str(struct str *s, char *b, size_t *used)
{
	if (s->n) /* an empty field may have no bytes at all (a NULL p) */
		memcpy(b + *used, s->p, s->n);
	s->p = b + *used;
	*used += s->n;
}

/* Keep what a shows in lists and links (title, date, source, time, related entries) and
 * its id in a block of their own, and leave the body in the file (article_body reads it
 * again), unless with_body: then the body is in the block too. */
static void keep_header(struct collection *c, struct article *a, const char *id, bool with_body)
{
	size_t total = a->title.n + a->date.n + a->source.n + a->time.n + a->url.n, used = 0;
	size_t idn = strlen(id);
	char *b;

	for (size_t i = 0; i < a->related.n; i++)
		total += a->related.v[i].headline.n + a->related.v[i].snippet.n;
	if (with_body)
		total += a->body.n;
	b = arena_alloc(c, total + 1 + idn + 1);
	move_str(&a->title, b, &used);
	move_str(&a->date, b, &used);
	move_str(&a->source, b, &used);
	move_str(&a->time, b, &used);
	move_str(&a->url, b, &used);
	for (size_t i = 0; i < a->related.n; i++) {
		move_str(&a->related.v[i].headline, b, &used);
		move_str(&a->related.v[i].snippet, b, &used);
	}
	if (with_body)
		move_str(&a->body, b, &used);
	b[used++] = '\0';
	a->id = memcpy(b + used, id, idn + 1);
	a->id_in_block = true;
	note_id_key(a, idn);
	if (!with_body) {
		a->body.p = NULL;
		a->body_on_disk = true;
	}
}

/* Keep buf, which a points into, and a copy of id; or when loading lean, note a's
 * identity, keep its header and id only and free buf. */
static void keep_or_leave(struct collection *c, struct article *a, char *buf, const char *id)
{
	if (!c->lean) {
		VEC_PUSH(&c->buffers, buf);
		a->id = xstrdup(id);
		note_id_key(a, strlen(id));
		return;
	}
	if (c->lean == LEAN_HASHED) {
		article_identity(a, &a->ident);
		a->has_ident = true;
	}
	keep_header(c, a, id, false);
	a->body_format = (uint8_t)c->lean_format;
	a->body_encoding = (uint8_t)c->lean_encoding;
	free(buf);
}

void article_set_id(struct article *a, char *id)
{
	if (!a->id_in_block)
		free(a->id);
	a->id = id;
	a->id_in_block = false;
	note_id_key(a, strlen(id));
}

void collection_add_article(struct collection *c, struct article *a, char *buf, const char *name,
			    const char *id, const char *alt_id)
{
	a->file = c->cur_file;
	keep_or_leave(c, a, buf, id);
	if (!c->paths.n || strcmp(c->paths.v[c->paths.n - 1], name) != 0)
		VEC_PUSH(&c->paths, xstrdup(name));
	a->path = c->paths.v[c->paths.n - 1];
	a->kind = ARTICLE_FULL;
	a->alt_id = alt_id ? xstrdup(alt_id) : NULL;
	VEC_PUSH(&c->articles, a);
}

const struct archive_member *collection_keep_member(struct collection *c,
						    const struct archive_member *m)
{
	struct archive_member *last = c->members.n ? c->members.v[c->members.n - 1] : NULL;

	if (last && last->index == m->index && last->crc == m->crc && last->size == m->size &&
	    strcmp(last->name, m->name) == 0)
		return last;
	last = xmalloc(sizeof *last);
	*last = *m;
	last->name = xstrdup(m->name);
	VEC_PUSH(&c->members, last);
	return last;
}

void collection_add_copy(struct collection *c, const struct article *a, const char *name,
			 const char *id, const char *alt_id)
{
	struct article *n = collection_new_article(c);

	n->kind = ARTICLE_FULL;
	n->title = a->title;
	n->date = a->date;
	n->source = a->source;
	n->time = a->time;
	n->url = a->url;
	n->body = a->body_on_disk ? (struct str){NULL, a->body.n} : a->body;
	n->body_format = a->body_format;
	n->body_encoding = a->body_encoding;
	n->rec_off = a->rec_off;
	n->rec_len = a->rec_len;
	n->line = a->line;
	if (a->member)
		n->member = collection_keep_member(c, a->member);
	for (size_t i = 0; i < a->related.n; i++) {
		struct related r = a->related.v[i];
		r.target = RELATED_NONE;
		VEC_PUSH(&n->related, r);
	}
	article_identity(a, &n->ident);
	n->has_ident = true;
	keep_header(c, n, id, !a->body_on_disk);
	n->file = c->cur_file;
	if (!c->paths.n || strcmp(c->paths.v[c->paths.n - 1], name) != 0)
		VEC_PUSH(&c->paths, xstrdup(name));
	n->path = c->paths.v[c->paths.n - 1];
	n->alt_id = alt_id ? xstrdup(alt_id) : NULL;
	VEC_PUSH(&c->articles, n);
}

/* ---------------------------------------------------------------------------
 * Places in the list, and an article found by its id or title
 */

void collection_number(struct collection *c)
{
	for (size_t i = 0; i < c->articles.n; i++)
		c->articles.v[i]->pos = i;
}

struct article *collection_find(const struct collection *c, const char *key)
{
	size_t i, n = strlen(key);
	struct article tmp;

	for (i = 0; i < c->articles.n; i++)
		if (strcmp(collection_peek(c, i, &tmp)->id, key) == 0)
			return collection_article(c, i);
	for (i = 0; i < c->articles.n; i++) {
		const struct article *a = collection_peek(c, i, &tmp);
		if (a->title.n == n && memcmp(a->title.p, key, n) == 0)
			return collection_article(c, i);
	}
	/* an id as --list shows it: one made of a file's name that is not UTF-8 escaped */
	struct strbuf raw = {0};
	struct article *a = NULL;
	if (text_unescape_name(&raw, key))
		for (i = 0; !a && i < c->articles.n; i++)
			if (strcmp(collection_peek(c, i, &tmp)->id, raw.s) == 0)
				a = collection_article(c, i);
	sb_free(&raw);
	return a;
}

size_t collection_index(const struct collection *c, const struct article *a)
{
	size_t i;

	if (!a)
		return SIZE_MAX;
	if (a->pos < c->articles.n && collection_article(c, a->pos) == a)
		return a->pos;
	for (i = 0; i < c->articles.n && !c->maker; i++) /* made articles: pos is theirs */
		if (c->articles.v[i] == a)
			return i;
	return SIZE_MAX;
}
