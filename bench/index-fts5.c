/* SPDX-License-Identifier: GPL-3.0-or-later */
/* index-fts5.c: the full-text index on SQLite FTS5 that the reader used before its own
 * engine (src/index.c), kept for bench/index-bench to compare the two side by side: the
 * same interface under the prefix fts5_ (index-fts5.h).
 *
 * The file is an SQLite database (write-ahead log). Table docs holds, for each indexed
 * text, its row id and content identity; the FTS5 table ft, contentless, holds the
 * folded text cut by the tokenizer below into overlapping bigrams of characters, with
 * their positions. A query of m >= 2 characters is the phrase of its m - 1 bigrams. */
#include <config.h>

#include "index-fts5.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "fold.h"
#include "marks.h"
#include "strbuf.h"
#include "xalloc.h"

#define INDEX_APP_ID 0x78696e78 /* "xinx" */
#define INDEX_FORMAT 1
#define NO_POS UINT32_MAX

struct fts5_index {
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
	sqlite3_stmt *raw_doc, *raw_ft; /* fts5_raw_add's, kept */
};

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

static void remove_files(const char *path)
{
	char side[4096];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

static bool sides_regular(const char *path, char *why, size_t whylen)
{
	char side[4096];
	if (!regular_or_missing(path, why, whylen))
		return false;
	snprintf(side, sizeof side, "%s-wal", path);
	if (!regular_or_missing(side, why, whylen))
		return false;
	snprintf(side, sizeof side, "%s-shm", path);
	return regular_or_missing(side, why, whylen);
}

struct fts5_index *fts5_open(const char *path, bool *rebuilt, char *why, size_t whylen)
{
	char problem[256], *failed = NULL;

	*rebuilt = false;
	if (!fileio_make_parent(path, &failed)) {
		snprintf(why, whylen, "%s: %s", failed, strerror(errno));
		free(failed);
		return NULL;
	}
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
	/* Queries never wait for a lock: the reader's thread makes them (busy: scan). */
	sqlite3_busy_timeout(r, 0);
	struct fts5_index *ix = xcalloc(1, sizeof *ix);
	ix->wdb = w;
	ix->rdb = r;
	ix->path = xstrdup(path);
	pthread_mutex_init(&ix->lock, NULL);
	return ix;
}

void fts5_close(struct fts5_index *ix)
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

uint64_t fts5_file_bytes(const char *path)
{
	struct stat st;
	char side[4096];
	uint64_t n = stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
	snprintf(side, sizeof side, "%s-wal", path);
	return n + (stat(side, &st) == 0 ? (uint64_t)st.st_size : 0);
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

/* ---- Rows without a collection. ---- */

bool fts5_raw_exec(struct fts5_index *ix, const char *sql, char *why, size_t whylen)
{
	return exec(ix->wdb, sql, why, whylen);
}

bool fts5_raw_add(struct fts5_index *ix, int64_t row, uint64_t hi, uint64_t lo, const char *s,
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

int64_t fts5_raw_count(struct fts5_index *ix, const char *s, size_t n)
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
