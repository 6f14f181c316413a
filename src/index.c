/* SPDX-License-Identifier: GPL-3.0-or-later */
/* index.c: the persistent full-text index, on SQLite FTS5.
 *
 * The file is an SQLite database (write-ahead log: a kill -9 loses at most the step in
 * progress). Table docs holds, for each indexed text, its row id and the content
 * identity of its article (article_identity); the FTS5 table ft, contentless, holds the
 * text folded as search keys are (search_article_text, fold_text) cut by the tokenizer
 * below into overlapping bigrams of characters, with their positions. A query of m >= 2
 * characters is the phrase of its m - 1 bigrams: consecutive positions, so the answer
 * is exactly the articles whose folded text holds the query, as a scan finds them.
 * The file's application_id marks it as ours; its user_version is the format and the
 * folding (OpenCC on or off): another one is made anew. Texts of articles no longer in
 * the collection stay in the file, matched to nothing; when they are a third of it,
 * the file is made anew. */
#include <config.h>

#include "index.h"
#include "i18n.h"
#include "index_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cachedir.h"
#include "fileio.h"
#include "fold.h"
#include "marks.h"
#include "strbuf.h"
#include "xalloc.h"

#define INDEX_APP_ID 0x78696e78 /* "xinx" */
#define INDEX_FORMAT 1
#define NO_POS UINT32_MAX

struct text_index {
	sqlite3 *wdb; /* attach and update (the builder's thread) */
	sqlite3 *rdb; /* queries (the reader's thread) */
	char *path;
	const struct collection *c;
	/* Row id -> list position (NO_POS: not an article of c), published under lock
	 * after each step; the lock is never held while the database works. */
	pthread_mutex_t lock;
	uint32_t *pos;
	size_t npos;
	int64_t next_row;
	VEC(size_t) todo; /* list positions not indexed yet */
	size_t todo_next;
	size_t dead;			/* rows that are no article of c */
	sqlite3_stmt *raw_doc, *raw_ft; /* index_raw_add's, kept */
};

char *index_path(uint64_t key)
{
	char name[64];
	snprintf(name, sizeof name, "index-%016llx.db", (unsigned long long)key);
	return fileio_cache_path(name);
}

/* ---- The tokenizer: overlapping bigrams of characters of already folded text. ---- */

static int tok_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)argv, (void)argc;
	*out = (Fts5Tokenizer *)ctx;
	return SQLITE_OK;
}

static void tok_delete(Fts5Tokenizer *t)
{
	(void)t;
}

/* Bytes of the UTF-8 character whose lead byte is b (1 for a stray byte). */
static int char_len(unsigned char b)
{
	return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
}

static int tok_tokenize(Fts5Tokenizer *t, void *ctx, int flags, const char *s, int n,
			int (*token)(void *, int, const char *, int, int, int))
{
	int prev = -1;
	(void)t, (void)flags;
	for (int i = 0; i < n;) {
		int len = char_len((unsigned char)s[i]);
		if (len > n - i)
			len = n - i;
		if (prev >= 0) {
			int rc = token(ctx, 0, s + prev, i + len - prev, prev, i + len);
			if (rc != SQLITE_OK)
				return rc;
		}
		prev = i;
		i += len;
	}
	return SQLITE_OK;
}

static int tok_anchor; /* what the tokenizer's instances point to */

static bool register_tokenizer(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	static fts5_tokenizer tok = {tok_create, tok_delete, tok_tokenize};

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	return api &&
	       api->xCreateTokenizer(api, "xinwen_bigram", &tok_anchor, &tok, NULL) == SQLITE_OK;
}

/* ---- Opening. ---- */

static int user_version(void)
{
	return INDEX_FORMAT * 2 + (fold_ts_problem() != NULL);
}

/* Refuse a path that is there but not a regular file (a FIFO, a symlink, a device):
 * SQLite would open it. */
static bool regular_or_missing(const char *path, char *why, size_t whylen)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT;
	if (S_ISREG(st.st_mode))
		return true;
	snprintf(why, whylen, _("%s: not a regular file"), path);
	return false;
}

static bool exec(sqlite3 *db, const char *sql, char *why, size_t whylen)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return true;
	snprintf(why, whylen, "%s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return false;
}

/* One integer that sql gives, or -1. */
static int64_t query_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static sqlite3 *open_db(const char *path, char *why, size_t whylen)
{
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX |
		    SQLITE_OPEN_NOFOLLOW;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		snprintf(why, whylen, "%s: %s", path, db ? sqlite3_errmsg(db) : _("cannot open"));
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 2000);
	if (!register_tokenizer(db)) {
		snprintf(why, whylen, _("%s: SQLite has no FTS5"), path);
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

/* Make the schema in a new file, or check an existing one's marks: false when the file
 * is not ours, damaged or of another format (why says which). */
static bool check_or_create(sqlite3 *db, char *why, size_t whylen)
{
	char sql[512];
	int64_t app = query_int(db, "PRAGMA application_id");
	int64_t tables = query_int(db, "SELECT count(*) FROM sqlite_schema");

	if (app < 0 || tables < 0) {
		snprintf(why, whylen, _("damaged (%s)"), sqlite3_errmsg(db));
		return false;
	}
	if (tables == 0) {
		snprintf(
			sql, sizeof sql,
			"PRAGMA journal_mode=WAL; PRAGMA application_id=%d; PRAGMA user_version=%d;"
			"BEGIN; CREATE TABLE docs(id INTEGER PRIMARY KEY, hi INTEGER NOT NULL,"
			" lo INTEGER NOT NULL);"
			"CREATE VIRTUAL TABLE ft USING fts5(t, content='', columnsize=0,"
			" detail=full, tokenize='xinwen_bigram'); COMMIT;",
			INDEX_APP_ID, user_version());
		return exec(db, sql, why, whylen);
	}
	if (app != INDEX_APP_ID) {
		snprintf(why, whylen, _("not an index of xinwen"));
		return false;
	}
	if (query_int(db, "PRAGMA user_version") != user_version()) {
		snprintf(why, whylen, _("made by another version or with other folding"));
		return false;
	}
	if (query_int(db, "SELECT count(*) FROM docs WHERE 0") < 0 ||
	    query_int(db, "SELECT count(*) FROM ft WHERE 0") < 0) {
		snprintf(why, whylen, _("damaged (%s)"), sqlite3_errmsg(db));
		return false;
	}
	return exec(db, "PRAGMA journal_mode=WAL", why, whylen);
}

/* The files SQLite keeps beside the index: its write-ahead log, the log's shared memory,
 * and the rollback journal it looks for (and opens, blocking on a FIFO) before it reads. */
static const char *const side_suffixes[] = {"-wal", "-shm", "-journal"};

static void remove_files(const char *path)
{
	char side[4096];
	unlink(path);
	for (size_t i = 0; i < sizeof side_suffixes / sizeof *side_suffixes; i++) {
		snprintf(side, sizeof side, "%s%s", path, side_suffixes[i]);
		unlink(side);
	}
}

static bool sides_regular(const char *path, char *why, size_t whylen)
{
	char side[4096];
	if (!regular_or_missing(path, why, whylen))
		return false;
	for (size_t i = 0; i < sizeof side_suffixes / sizeof *side_suffixes; i++) {
		snprintf(side, sizeof side, "%s%s", path, side_suffixes[i]);
		if (!regular_or_missing(side, why, whylen))
			return false;
	}
	return true;
}

struct text_index *index_open(const char *path, bool *rebuilt, char *why, size_t whylen)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	char problem[256];

	*rebuilt = false;
	if (slash && slash != dir) {
		*slash = '\0';
		if (!fileio_make_dirs(dir, NULL)) {
			snprintf(why, whylen, "%s: %s", dir, strerror(errno));
			free(dir);
			return NULL;
		}
	}
	free(dir);
	if (strlen(path) > 4000 || !sides_regular(path, why, whylen))
		return NULL;
	/* Made here, 0600 (SQLite would make it 0644; its log files take its mode). */
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	sqlite3 *w = open_db(path, why, whylen);
	if (!w)
		return NULL;
	if (!check_or_create(w, problem, sizeof problem)) {
		sqlite3_close(w);
		remove_files(path);
		snprintf(why, whylen, _("%s: %s: made anew"), path, problem);
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
			  0600);
		if (fd >= 0)
			close(fd);
		*rebuilt = true;
		w = open_db(path, problem, sizeof problem);
		if (!w || !check_or_create(w, problem, sizeof problem)) {
			snprintf(why, whylen, "%s: %s", path, problem);
			sqlite3_close(w);
			return NULL;
		}
	}
	exec(w, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536", problem, sizeof problem);
	sqlite3 *r = open_db(path, why, whylen);
	if (!r) {
		sqlite3_close(w);
		return NULL;
	}
	/* A first read here (where a wait for another writer's lock is bounded and draws
	 * nothing) puts r in WAL mode for good, so that no query ever looks for (and
	 * opens) a rollback journal, which may be a FIFO by then. */
	if (query_int(r, "SELECT count(*) FROM docs WHERE 0") < 0) {
		snprintf(why, whylen, "%s: %s", path, sqlite3_errmsg(r));
		sqlite3_close(r);
		sqlite3_close(w);
		return NULL;
	}
	/* Queries never wait for a lock: the reader's thread makes them (busy: scan). */
	sqlite3_busy_timeout(r, 0);
	cachedir_touch(path); /* opened: kept by the expiry of unused caches */
	struct text_index *ix = xcalloc(1, sizeof *ix);
	ix->wdb = w;
	ix->rdb = r;
	ix->path = xstrdup(path);
	pthread_mutex_init(&ix->lock, NULL);
	return ix;
}

void index_close(struct text_index *ix)
{
	if (!ix)
		return;
	sqlite3_finalize(ix->raw_doc);
	sqlite3_finalize(ix->raw_ft);
	sqlite3_close(ix->wdb);
	sqlite3_close(ix->rdb);
	pthread_mutex_destroy(&ix->lock);
	free(ix->pos);
	free(ix->todo.v);
	free(ix->path);
	free(ix);
}

uint64_t index_file_bytes(const char *path)
{
	struct stat st;
	char side[4096];
	uint64_t n = stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
	snprintf(side, sizeof side, "%s-wal", path);
	return n + (stat(side, &st) == 0 ? (uint64_t)st.st_size : 0);
}

/* ---- Attaching a collection. ---- */

/* An indexed text: its content identity and row. */
struct row {
	uint64_t hi, lo;
	int64_t id;
};

static int cmp_row(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/* The first of rows[0, n) with identity id, or n. */
static size_t find_row(const struct row *rows, size_t n, const struct content_id *id)
{
	size_t lo = 0, hi = n;
	struct row key = {id->hi, id->lo, INT64_MIN};
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_row(&rows[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && rows[lo].hi == id->hi && rows[lo].lo == id->lo ? lo : n;
}

static void grow_pos(struct text_index *ix, size_t need)
{
	if (need <= ix->npos)
		return;
	size_t n = ix->npos ? ix->npos : 1024;
	while (n < need)
		n *= 2;
	uint32_t *pos = xmalloc(n * sizeof *pos);
	if (ix->npos)
		memcpy(pos, ix->pos, ix->npos * sizeof *pos);
	memset(pos + ix->npos, 0xff, (n - ix->npos) * sizeof *pos);
	pthread_mutex_lock(&ix->lock);
	free(ix->pos);
	ix->pos = pos;
	ix->npos = n;
	pthread_mutex_unlock(&ix->lock);
}

/* Empty the index: every article of the collection is to be indexed again. */
static bool start_over(struct text_index *ix, char *why, size_t whylen)
{
	if (!exec(ix->wdb,
		  "BEGIN IMMEDIATE; DELETE FROM docs;"
		  " INSERT INTO ft(ft) VALUES('delete-all'); COMMIT",
		  why, whylen)) {
		sqlite3_exec(ix->wdb, "ROLLBACK", NULL, NULL, NULL);
		return false;
	}
	pthread_mutex_lock(&ix->lock);
	memset(ix->pos, 0xff, ix->npos * sizeof *ix->pos);
	pthread_mutex_unlock(&ix->lock);
	ix->todo.n = 0;
	ix->todo_next = 0;
	ix->dead = 0;
	for (size_t i = 0; i < ix->c->articles.n && i < NO_POS; i++)
		VEC_PUSH(&ix->todo, i);
	return true;
}

size_t index_attach(struct text_index *ix, const struct collection *c, char *why, size_t whylen)
{
	VEC(struct row) rows = {0};
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(ix->wdb, "SELECT id, hi, lo FROM docs", -1, &st, NULL) != SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct row r = {(uint64_t)sqlite3_column_int64(st, 1),
				(uint64_t)sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 0)};
		if (r.id < 0 || r.id > (int64_t)UINT32_MAX) {
			sqlite3_finalize(st);
			snprintf(why, whylen, _("%s: damaged (row %lld)"), ix->path,
				 (long long)r.id);
			free(rows.v);
			return SIZE_MAX;
		}
		VEC_PUSH(&rows, r);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto fail;
	if (rows.n > 1)
		qsort(rows.v, rows.n, sizeof *rows.v, cmp_row);
	ix->next_row = 1;
	for (size_t i = 0; i < rows.n; i++)
		if (rows.v[i].id >= ix->next_row)
			ix->next_row = rows.v[i].id + 1;
	ix->c = c;
	grow_pos(ix, (size_t)ix->next_row);
	pthread_mutex_lock(&ix->lock);
	memset(ix->pos, 0xff, ix->npos * sizeof *ix->pos);
	pthread_mutex_unlock(&ix->lock);
	ix->todo.n = 0;
	ix->todo_next = 0;
	/* Each article takes an indexed text of its identity not yet taken (reprints
	 * have one text each). */
	size_t used = 0;
	for (size_t i = 0; i < c->articles.n && i < NO_POS; i++) {
		struct content_id id;
		article_identity(c->articles.v[i], &id);
		size_t k = find_row(rows.v, rows.n, &id);
		while (k < rows.n && rows.v[k].hi == id.hi && rows.v[k].lo == id.lo &&
		       ix->pos[rows.v[k].id] != NO_POS)
			k++;
		if (k < rows.n && rows.v[k].hi == id.hi && rows.v[k].lo == id.lo) {
			ix->pos[rows.v[k].id] = (uint32_t)i;
			used++;
		} else {
			VEC_PUSH(&ix->todo, i);
		}
	}
	ix->dead = rows.n - used;
	free(rows.v);
	if (ix->dead > 64 && ix->dead * 3 > used + ix->dead && !start_over(ix, why, whylen))
		return SIZE_MAX;
	return ix->todo.n;
fail:
	snprintf(why, whylen, "%s: %s", ix->path, sqlite3_errmsg(ix->wdb));
	free(rows.v);
	return SIZE_MAX;
}

bool index_fresh(const struct text_index *ix)
{
	return ix->c && ix->todo_next >= ix->todo.n;
}

/* ---- Updating. ---- */

int index_update(struct text_index *ix, size_t budget, struct index_progress *p, char *why,
		 size_t whylen)
{
	sqlite3_stmt *doc = NULL, *ft = NULL;
	struct strbuf text = {0};
	struct folded f;
	size_t from = ix->todo_next, to = from, bytes = 0;

	if (!ix->c) {
		snprintf(why, whylen, _("no collection attached"));
		return -1;
	}
	if (from >= ix->todo.n)
		return 1;
	if (!exec(ix->wdb, "BEGIN IMMEDIATE", why, whylen))
		return -1;
	if (sqlite3_prepare_v2(ix->wdb, "INSERT INTO docs(id, hi, lo) VALUES(?1, ?2, ?3)", -1, &doc,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(ix->wdb, "INSERT INTO ft(rowid, t) VALUES(?1, ?2)", -1, &ft, NULL) !=
		    SQLITE_OK)
		goto fail;
	int64_t row = ix->next_row;
	while (to < ix->todo.n && (to == from || bytes < budget)) {
		const struct article *a = ix->c->articles.v[ix->todo.v[to]];
		struct content_id id;
		article_identity(a, &id);
		sb_clear(&text);
		search_article_text(a, &text);
		fold_text(&f, text.s ? text.s : "", text.n, false);
		sqlite3_bind_int64(doc, 1, row);
		sqlite3_bind_int64(doc, 2, (int64_t)id.hi);
		sqlite3_bind_int64(doc, 3, (int64_t)id.lo);
		sqlite3_bind_int64(ft, 1, row);
		sqlite3_bind_text(ft, 2, f.s ? f.s : "", (int)f.n, SQLITE_STATIC);
		int rc1 = sqlite3_step(doc), rc2 = sqlite3_step(ft);
		sqlite3_reset(doc);
		sqlite3_reset(ft);
		folded_free(&f);
		if (rc1 != SQLITE_DONE || rc2 != SQLITE_DONE)
			goto fail;
		bytes += text.n;
		row++;
		to++;
	}
	sqlite3_finalize(doc);
	sqlite3_finalize(ft);
	doc = ft = NULL;
	if (!exec(ix->wdb, "COMMIT", why, whylen)) {
		exec(ix->wdb, "ROLLBACK", why + strlen(why), 0);
		sb_free(&text);
		return -1;
	}
	/* Committed: the new rows answer from now on. */
	grow_pos(ix, (size_t)row);
	pthread_mutex_lock(&ix->lock);
	for (size_t k = from; k < to; k++)
		ix->pos[ix->next_row + (int64_t)(k - from)] = (uint32_t)ix->todo.v[k];
	pthread_mutex_unlock(&ix->lock);
	ix->next_row = row;
	ix->todo_next = to;
	if (p) {
		p->done = to;
		p->total = ix->todo.n;
		p->bytes += bytes;
	}
	sb_free(&text);
	return to >= ix->todo.n;
fail:
	snprintf(why, whylen, "%s: %s", ix->path, sqlite3_errmsg(ix->wdb));
	sqlite3_finalize(doc);
	sqlite3_finalize(ft);
	sqlite3_exec(ix->wdb, "ROLLBACK", NULL, NULL, NULL);
	sb_free(&text);
	return -1;
}

/* ---- Querying. ---- */

/* Append s[0, n) to the FTS5 query as one phrase: quoted, quotes doubled. */
static void add_phrase(struct strbuf *m, const char *s, size_t n)
{
	if (m->n)
		sb_putc(m, ' ');
	sb_putc(m, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			sb_putc(m, '"');
		sb_putc(m, s[i]);
	}
	sb_putc(m, '"');
}

/* Number of characters in s[0, n). */
static size_t count_chars(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i += (size_t)char_len((unsigned char)s[i]))
		k++;
	return k;
}

/* Add the runs of 2 or more literal characters that every match of the regex pattern
 * p[0, n) must contain, as phrases; false when the pattern has a construct that makes
 * that unsure (alternation, options, quoting), or no such run. Only characters outside
 * groups and classes, not made optional by a quantifier after them, are taken. */
static bool add_literals(struct strbuf *m, const char *p, size_t n)
{
	struct strbuf run = {0};
	int depth = 0;
	bool any = false;

	if (memchr(p, '|', n) || memmem(p, n, "(?", 2) || memmem(p, n, "\\Q", 2))
		return false;
	for (size_t i = 0; i <= n;) {
		size_t len = i < n ? (size_t)char_len((unsigned char)p[i]) : 1, start = i;
		bool literal = false;
		char ch = i < n ? p[i] : '\0';
		if (i == n) {
			len = 0;
		} else if (ch == '\\') {
			/* An escaped punctuation mark is itself; an escaped letter is a class. */
			if (i + 1 < n &&
			    !((p[i + 1] >= 'a' && p[i + 1] <= 'z') ||
			      (p[i + 1] >= 'A' && p[i + 1] <= 'Z') ||
			      (p[i + 1] >= '0' && p[i + 1] <= '9')) &&
			    (unsigned char)p[i + 1] < 0x80) {
				literal = depth == 0;
				start = i + 1;
				len = 2;
			} else {
				len = i + 1 < n ? 2 : 1;
			}
		} else if (ch == '(') {
			depth++;
		} else if (ch == ')') {
			depth = depth > 0 ? depth - 1 : 0;
		} else if (ch == '[') {
			/* Skip the class: ] first in it is itself. */
			size_t j = i + 1;
			if (j < n && p[j] == '^')
				j++;
			if (j < n && p[j] == ']')
				j++;
			while (j < n && p[j] != ']')
				j += p[j] == '\\' && j + 1 < n ? 2 : 1;
			len = (j < n ? j + 1 : n) - i;
		} else if (ch == '{') {
			/* A counted quantifier {n,m} (or a literal brace: left out either way). */
			const char *close = memchr(p + i, '}', n - i);
			len = close ? (size_t)(close - (p + i)) + 1 : 1;
		} else if (!strchr(".^$*+?}", ch)) {
			literal = depth == 0;
		}
		/* A quantifier after it makes a character optional or repeated: not a run. */
		size_t next = i + len;
		bool quantified = next < n && strchr("*?{", p[next]);
		if (literal && !quantified) {
			sb_append(&run, p + start, i + len - start);
		} else {
			if (count_chars(run.s ? run.s : "", run.n) >= 2) {
				add_phrase(m, run.s, run.n);
				any = true;
			}
			sb_clear(&run);
			/* A repeated character (+) is still there once: it starts a run. */
			if (literal && next < n && p[next] == '+')
				sb_append(&run, p + start, i + len - start);
		}
		if (i == n)
			break;
		i += len;
	}
	sb_free(&run);
	return any;
}

enum index_answer index_query(struct text_index *ix, const struct search *q, search_hits *hits,
			      char *why, size_t whylen)
{
	struct strbuf m = {0};
	enum index_answer kind = INDEX_EXACT;
	sqlite3_stmt *st;
	int rc;

	hits->n = 0;
	if (!ix->c || search_is_empty(q))
		return INDEX_CANNOT;
	if (q->regex) {
		if (!add_literals(&m, q->key.s, q->key.n)) {
			sb_free(&m);
			return INDEX_CANNOT;
		}
		kind = INDEX_CANDIDATES;
	} else if (count_chars(q->key.s ? q->key.s : "", q->key.n) >= 2) {
		add_phrase(&m, q->key.s, q->key.n);
	} else {
		return INDEX_CANNOT;
	}
	if (sqlite3_prepare_v2(ix->rdb, "SELECT rowid FROM ft WHERE ft MATCH ?1", -1, &st, NULL) !=
	    SQLITE_OK) {
		snprintf(why, whylen, "%s: %s", ix->path, sqlite3_errmsg(ix->rdb));
		sb_free(&m);
		return INDEX_ERROR;
	}
	sqlite3_bind_text(st, 1, m.s, (int)m.n, SQLITE_STATIC);
	VEC(int64_t) rows = {0};
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		VEC_PUSH(&rows, sqlite3_column_int64(st, 0));
	if (rc != SQLITE_DONE)
		snprintf(why, whylen, "%s: %s", ix->path, sqlite3_errmsg(ix->rdb));
	sqlite3_finalize(st);
	sb_free(&m);
	if (rc != SQLITE_DONE) {
		free(rows.v);
		return INDEX_ERROR;
	}
	/* Rows to list positions, in list order: a bitmap of the positions hit. */
	size_t n = ix->c->articles.n;
	unsigned char *hit = xcalloc(n / 8 + 1, 1);
	pthread_mutex_lock(&ix->lock);
	for (size_t k = 0; k < rows.n; k++) {
		int64_t r = rows.v[k];
		uint32_t p = r >= 0 && (size_t)r < ix->npos ? ix->pos[r] : NO_POS;
		if (p < n)
			hit[p / 8] |= (unsigned char)(1u << (p % 8));
	}
	pthread_mutex_unlock(&ix->lock);
	free(rows.v);
	for (size_t i = 0; i < n; i++)
		if ((hit[i / 8] >> (i % 8)) & 1 &&
		    (kind == INDEX_CANDIDATES || search_fields_match(q, ix->c->articles.v[i])))
			VEC_PUSH(hits, i);
	free(hit);
	return kind;
}

/* ---- Without a collection (index_internal.h). ---- */

bool index_raw_exec(struct text_index *ix, const char *sql, char *why, size_t whylen)
{
	return exec(ix->wdb, sql, why, whylen);
}

bool index_raw_add(struct text_index *ix, int64_t row, uint64_t hi, uint64_t lo, const char *s,
		   size_t n, char *why, size_t whylen)
{
	if (!ix->raw_doc &&
	    (sqlite3_prepare_v2(ix->wdb, "INSERT INTO docs(id, hi, lo) VALUES(?1, ?2, ?3)", -1,
				&ix->raw_doc, NULL) != SQLITE_OK ||
	     sqlite3_prepare_v2(ix->wdb, "INSERT INTO ft(rowid, t) VALUES(?1, ?2)", -1, &ix->raw_ft,
				NULL) != SQLITE_OK)) {
		snprintf(why, whylen, "%s", sqlite3_errmsg(ix->wdb));
		return false;
	}
	sqlite3_stmt *doc = ix->raw_doc, *ft = ix->raw_ft;
	bool ok = true;
	{
		sqlite3_bind_int64(doc, 1, row);
		sqlite3_bind_int64(doc, 2, (int64_t)hi);
		sqlite3_bind_int64(doc, 3, (int64_t)lo);
		sqlite3_bind_int64(ft, 1, row);
		sqlite3_bind_text(ft, 2, s, (int)n, SQLITE_STATIC);
		ok = sqlite3_step(doc) == SQLITE_DONE && sqlite3_step(ft) == SQLITE_DONE;
	}
	if (!ok)
		snprintf(why, whylen, "%s", sqlite3_errmsg(ix->wdb));
	sqlite3_reset(doc);
	sqlite3_reset(ft);
	return ok;
}

int64_t index_raw_count(struct text_index *ix, const char *s, size_t n)
{
	struct strbuf m = {0};
	sqlite3_stmt *st;
	int64_t count = 0;
	int rc;

	add_phrase(&m, s, n);
	if (sqlite3_prepare_v2(ix->rdb, "SELECT rowid FROM ft WHERE ft MATCH ?1", -1, &st, NULL) !=
	    SQLITE_OK) {
		sb_free(&m);
		return -1;
	}
	sqlite3_bind_text(st, 1, m.s, (int)m.n, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		count++;
	sqlite3_finalize(st);
	sb_free(&m);
	return rc == SQLITE_DONE ? count : -1;
}
