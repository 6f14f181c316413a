/* SPDX-License-Identifier: GPL-3.0-or-later */
/* index.c: the persistent full-text index, on segments of our own (postings.h).
 *
 * At path: the manifest, which names the index's segments (files path-N, each the
 * texts of consecutive rows), their rows and their headers' checksums, with its own
 * checksum, the format and the folding (OpenCC on or off). A segment is written whole
 * (a temporary, renamed), the queries take it at once, and the manifest replaced
 * (fileio_replace) names it once it is fsynced (save_segments: every SAVE_EVERY
 * seconds during a build, at its end and when the index is closed): that rename is the
 * commit, so a kill -9 at any moment leaves the old index or the new, files of
 * segments merged away are removed only once no manifest names them, and files no
 * manifest names (a step cut short, or not saved yet) are removed at the next open. Each
 * index_update step adds one segment of about budget bytes of text; the newest
 * MERGE_FAN segments are merged once they are of one size class, so there are few.
 * A text is folded as search keys are (search_article_text, fold_text) and cut
 * into overlapping bigrams of characters with their positions: a query of m >= 2
 * characters is the m - 1 bigrams at consecutive positions, so the answer is exactly
 * the articles whose folded text holds it, as a scan finds them. Texts of articles no
 * longer in the collection stay, matched to nothing; when they are a third of the
 * index, it starts over. One process writes (a lock file, path-lock); another one
 * opening the index meanwhile only reads it. */
#include <config.h>

#include "index.h"
#include "i18n.h"
#include "index_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cachedir.h"
#include "catalog.h"
#include "fileio.h"
#include "fold.h"
#include "postings.h"
#include "strbuf.h"
#include "xalloc.h"
#include "xxh64.h"

#define INDEX_FORMAT 4
#define MAN_MAGIC UINT64_C(0x314e414d786e6978) /* "xinxMAN1" */
#define MAN_HEAD 4			       /* magic, tag, next file number, segments */
#define NO_POS UINT32_MAX

struct text_index {
	char *path;
	int lockfd;
	bool readonly; /* another process writes it */
	uint64_t tag;
	uint64_t next_id;
	uint64_t man_sum;    /* the manifest's checksum: which segments answer (0: none yet) */
	atomic_bool damaged; /* a query met a damaged block: the next update starts over */
	const atomic_bool *cancel; /* set: a merge under way stops (index_set_cancel) */
	/* The segments and row id -> list position (NO_POS: not an article of c), published
	 * under lock after each step; the lock is never held while files are read. */
	pthread_mutex_t lock;
	struct segment **segs;
	size_t nsegs;
	uint32_t *pos;
	size_t npos;
	/* The manifest on disk lags segs by at most SAVE_EVERY seconds (save_segments). */
	bool unsaved;		    /* segs are not the manifest's */
	struct timespec saved_at;   /* when the manifest was last written (monotonic) */
	VEC(struct segment *) gone; /* merged away since: removed once it no longer names them */
	/* The articles the rows' positions are of: c's, or a map's (index_attach_map). */
	size_t narticles;
	bool attached;
	const struct article *(*article_at)(void *ctx, size_t i, struct article *tmp, char *why,
					    size_t whylen);
	void *article_ctx;
	/* The writer's. */
	const struct collection *c;
	uint32_t next_row;
	VEC(size_t) todo; /* list positions not indexed yet */
	size_t todo_next;
	size_t dead; /* rows that are no article of c */
	struct strbuf raw_text;
	VEC(struct post_text) raw; /* index_raw_add's, offsets into raw_text */
	uint64_t *map; /* the map read by index_attach_map, which pos and extra are in */
	/* What the last query decoded into, for the next one (query_mem_take). */
	pthread_mutex_t qlock;
	struct query_mem *qmem;
};

char *index_path(uint64_t key)
{
	char name[64];
	snprintf(name, sizeof name, "index-%016llx.db", (unsigned long long)key);
	return fileio_cache_path(name);
}

static uint64_t index_tag(void)
{
	return (uint64_t)INDEX_FORMAT << 1 | (fold_ts_problem() != NULL);
}

static char *seg_path(const char *path, uint64_t id)
{
	struct strbuf p = {0};
	sb_printf(&p, "%s-%llu", path, (unsigned long long)id);
	return p.s;
}

/* ---- The manifest. ---- */

/* Write the manifest naming segs[0, n). */
static bool write_manifest(struct text_index *ix, struct segment *const *segs, size_t n, char *why,
			   size_t whylen)
{
	size_t words = MAN_HEAD + 4 * n + 1;
	uint64_t *m = xmalloc(words * 8);
	m[0] = MAN_MAGIC;
	m[1] = ix->tag;
	m[2] = ix->next_id;
	m[3] = n;
	for (size_t i = 0; i < n; i++) {
		m[MAN_HEAD + 4 * i] = segs[i]->id;
		m[MAN_HEAD + 4 * i + 1] = segs[i]->base;
		m[MAN_HEAD + 4 * i + 2] = segs[i]->nrows;
		m[MAN_HEAD + 4 * i + 3] = segs[i]->sum;
	}
	m[words - 1] = xxh64(m, (words - 1) * 8, 0);
	struct fileio_part part = {m, words * 8};
	const char *failed = fileio_replace(ix->path, NULL, &part, 1);
	if (!failed)
		ix->man_sum = m[words - 1];
	free(m);
	if (failed)
		snprintf(why, whylen, "%s: %s: %s", ix->path, failed, strerror(errno));
	return !failed;
}

/* Whether there are segment files of the index at ix->path (path-N). */
static bool has_segment_files(const struct text_index *ix)
{
	char *dir = xstrdup(ix->path), *slash = strrchr(dir, '/');
	const char *base = slash ? ix->path + (slash + 1 - dir) : ix->path;
	if (slash)
		*slash = '\0';
	size_t bl = strlen(base);
	bool any = false;
	DIR *d = opendir(slash ? (*dir ? dir : "/") : ".");
	struct dirent *e;
	while (d && !any && (e = readdir(d)))
		any = !strncmp(e->d_name, base, bl) && e->d_name[bl] == '-' &&
		      e->d_name[bl + 1] >= '0' && e->d_name[bl + 1] <= '9' &&
		      !strchr(e->d_name + bl, '.');
	if (d)
		closedir(d);
	free(dir);
	return any;
}

/* Read the manifest and open its segments into ix (with rows: each one's rows read
 * and checked too); false (problem says what is wrong with it) when it is damaged,
 * stale or of another format. A missing or empty file is an empty index. */
static bool read_manifest(struct text_index *ix, bool rows_checked, char *problem, size_t plen)
{
	struct stat st;
	int fd = fileio_open_own(ix->path, O_RDONLY, 0, &st);
	if (fd < 0) {
		if (errno == ENOENT && has_segment_files(ix)) {
			/* Removed by a query that met a damaged block (phrase_rows). */
			snprintf(problem, plen, _("damaged (its manifest is gone)"));
			return false;
		}
		if (errno == ENOENT)
			return true;
		snprintf(problem, plen, "%s", fileio_strerror(errno));
		return false;
	}
	if (st.st_size == 0) {
		close(fd);
		return true;
	}
	uint64_t *m = NULL;
	size_t n = 0;
	bool ok = false;
	if (st.st_size < (MAN_HEAD + 1) * 8 || st.st_size % 8 || st.st_size > (64 << 20)) {
		snprintf(problem, plen, _("not an index of xinwen"));
		goto done;
	}
	n = (size_t)st.st_size / 8;
	m = xmalloc((size_t)st.st_size);
	if (!fileio_read_exact(fd, m, (size_t)st.st_size) || m[0] != MAN_MAGIC) {
		snprintf(problem, plen, _("not an index of xinwen"));
		goto done;
	}
	if (m[n - 1] != xxh64(m, (n - 1) * 8, 0) || m[3] != (n - MAN_HEAD - 1) / 4 ||
	    (n - MAN_HEAD - 1) % 4) {
		snprintf(problem, plen, _("damaged (its manifest)"));
		goto done;
	}
	if (m[1] != ix->tag) {
		snprintf(problem, plen, _("made by another version or with other folding"));
		goto done;
	}
	ix->next_id = m[2];
	ix->man_sum = m[n - 1];
	uint64_t row = 0;
	for (size_t i = 0; i < m[3]; i++) {
		const uint64_t *s = m + MAN_HEAD + 4 * i;
		if (s[1] != row || s[2] > UINT32_MAX - row || s[0] >= ix->next_id) {
			snprintf(problem, plen, _("damaged (its manifest)"));
			goto done;
		}
		char *sp = seg_path(ix->path, s[0]);
		struct segment *seg = segment_open(sp, s[0], (uint32_t)s[1], (uint32_t)s[2], s[3],
						   ix->tag, problem, plen);
		free(sp);
		struct content_id *rows = NULL;
		if (!seg || (rows_checked && !segment_rows(seg, &rows, problem, plen))) {
			segment_close(seg);
			goto done;
		}
		free(rows);
		seg->durable = true;
		ix->segs = xreallocarray(ix->segs, ix->nsegs + 1, sizeof *ix->segs);
		ix->segs[ix->nsegs++] = seg;
		row += s[2];
	}
	ix->next_row = (uint32_t)row;
	ok = true;
done:
	free(m);
	close(fd);
	return ok;
}

/* Remove what no manifest names: segments of an unfinished step or merge, files of
 * the SQLite index of earlier versions. */
static void remove_strays(struct text_index *ix)
{
	char *dir = xstrdup(ix->path), *slash = strrchr(dir, '/');
	const char *base = ix->path;
	if (slash) {
		*slash = '\0';
		base = slash + 1 - dir + ix->path;
	}
	size_t bl = strlen(base);
	DIR *d = opendir(slash ? (*dir ? dir : "/") : ".");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, base, bl) || e->d_name[bl] != '-' ||
		    !strcmp(e->d_name + bl, "-lock") || !strcmp(e->d_name + bl, "-map"))
			continue;
		char *end;
		unsigned long long id = strtoull(e->d_name + bl + 1, &end, 10);
		bool named = false;
		for (size_t i = 0; *end == '\0' && i < ix->nsegs; i++)
			named = named || ix->segs[i]->id == id;
		if (!named) {
			struct strbuf p = {0};
			sb_printf(&p, "%s/%s", slash ? dir : ".", e->d_name);
			unlink(p.s);
			sb_free(&p);
		}
	}
	if (d)
		closedir(d);
	free(dir);
}

static void drop_segments(struct text_index *ix)
{
	for (size_t i = 0; i < ix->nsegs; i++)
		segment_close(ix->segs[i]);
	free(ix->segs);
	ix->segs = NULL;
	ix->nsegs = 0;
	ix->next_row = 0;
}

/* Refuse a path that is there but not a regular file (a FIFO, a symlink, a device). */
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

/* Mark the index's files opened: they are kept by the expiry of unused caches. */
static void touch_files(const struct text_index *ix)
{
	cachedir_touch(ix->path);
	for (size_t i = 0; i < ix->nsegs; i++) {
		char *sp = seg_path(ix->path, ix->segs[i]->id);
		cachedir_touch(sp);
		free(sp);
	}
}

struct text_index *index_open(const char *path, bool *rebuilt, char *why, size_t whylen)
{
	char problem[256], *failed = NULL;

	*rebuilt = false;
	if (!fileio_make_parent(path, &failed)) {
		snprintf(why, whylen, "%s: %s", failed, strerror(errno));
		free(failed);
		return NULL;
	}
	if (strlen(path) > 4000 || !regular_or_missing(path, why, whylen))
		return NULL;
	struct text_index *ix = xcalloc(1, sizeof *ix);
	ix->path = xstrdup(path);
	ix->tag = index_tag();
	ix->next_id = 1;
	pthread_mutex_init(&ix->lock, NULL);
	pthread_mutex_init(&ix->qlock, NULL);
	struct strbuf lp = {0};
	struct stat st;
	sb_printf(&lp, "%s-lock", path);
	ix->lockfd = fileio_open_own(lp.s, O_RDWR | O_CREAT, 0600, &st);
	if (ix->lockfd < 0) {
		snprintf(why, whylen, "%s: %s", lp.s, fileio_strerror(errno));
		sb_free(&lp);
		index_close(ix);
		return NULL;
	}
	sb_free(&lp);
	ix->readonly = flock(ix->lockfd, LOCK_EX | LOCK_NB) != 0;
	if (!read_manifest(ix, true, problem, sizeof problem)) {
		drop_segments(ix);
		if (ix->readonly) {
			snprintf(why, whylen, "%s: %s", path, problem);
			index_close(ix);
			return NULL;
		}
		snprintf(why, whylen, _("%s: %s: made anew"), path, problem);
		*rebuilt = true;
		ix->next_id = 1;
	}
	touch_files(ix);
	if (!ix->readonly) {
		char err[256];
		remove_strays(ix);
		if ((*rebuilt || lstat(path, &st) != 0) &&
		    !write_manifest(ix, ix->segs, ix->nsegs, err, sizeof err)) {
			snprintf(why, whylen, "%s", err);
			index_close(ix);
			return NULL;
		}
	}
	return ix;
}

struct text_index *index_open_sound(const char *path, char *why, size_t whylen)
{
	char problem[256];
	struct stat st;

	if (strlen(path) > 4000 || lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "%s: no manifest", path);
		return NULL;
	}
	struct text_index *ix = xcalloc(1, sizeof *ix);
	ix->path = xstrdup(path);
	ix->tag = index_tag();
	ix->next_id = 1;
	ix->lockfd = -1;
	ix->readonly = true;
	pthread_mutex_init(&ix->lock, NULL);
	pthread_mutex_init(&ix->qlock, NULL);
	if (!read_manifest(ix, false, problem, sizeof problem)) {
		snprintf(why, whylen, "%s: %s", path, problem);
		index_close(ix);
		return NULL;
	}
	touch_files(ix);
	return ix;
}

static bool save_segments(struct text_index *ix, char *why, size_t whylen);
struct query_mem;
static void query_mem_free(struct query_mem *m);

void index_close(struct text_index *ix)
{
	char why[256];

	if (!ix)
		return;
	/* What the last steps made is kept; when it cannot be, the manifest names what
	 * it named, the next start goes on from there. */
	if (!ix->readonly && !save_segments(ix, why, sizeof why))
		for (size_t i = 0; i < ix->gone.n; i++)
			segment_close(ix->gone.v[i]);
	free(ix->gone.v);
	drop_segments(ix);
	if (ix->lockfd >= 0)
		close(ix->lockfd);
	pthread_mutex_destroy(&ix->lock);
	query_mem_free(ix->qmem);
	pthread_mutex_destroy(&ix->qlock);
	if (ix->map)
		ix->pos = NULL; /* in the map */
	free(ix->map);
	free(ix->pos);
	free(ix->todo.v);
	free(ix->raw.v);
	sb_free(&ix->raw_text);
	free(ix->path);
	free(ix);
}

uint64_t index_file_bytes(const char *path)
{
	struct stat st;
	uint64_t n = 0;
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	const char *base = slash ? path + (slash + 1 - dir) : path;
	if (slash)
		*slash = '\0';
	size_t bl = strlen(base);
	DIR *d = opendir(slash ? (*dir ? dir : "/") : ".");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, base, bl) || (e->d_name[bl] != '\0' && e->d_name[bl] != '-'))
			continue;
		struct strbuf p = {0};
		sb_printf(&p, "%s/%s", slash ? dir : ".", e->d_name);
		if (lstat(p.s, &st) == 0 && S_ISREG(st.st_mode))
			n += (uint64_t)st.st_size;
		sb_free(&p);
	}
	if (d)
		closedir(d);
	free(dir);
	return n;
}

/* ---- Segments: publishing and taking. ---- */

/* Drop one use of s: closed with its last. */
static void seg_unref(struct text_index *ix, struct segment *s)
{
	pthread_mutex_lock(&ix->lock);
	bool last = --s->refs == 0;
	pthread_mutex_unlock(&ix->lock);
	if (last)
		segment_close(s);
}

/* Seconds between two manifests written during a build: a kill -9 loses at most that
 * much of it (the next start goes on from the manifest), and each manifest waits for
 * the disk twice (the new segments' fsync and its own); one per step left the build
 * waiting at every step (bench/README.md, "A manifest every five seconds"). */
#define SAVE_EVERY 5

/* Write the manifest naming the segments in use, once they are on disk (fsync), then
 * remove the files of those merged away since the last one. */
static bool save_segments(struct text_index *ix, char *why, size_t whylen)
{
	if (!ix->unsaved)
		return true;
	for (size_t i = 0; i < ix->nsegs; i++) {
		struct segment *s = ix->segs[i];
		if (!s->durable && fsync(s->fd) != 0) {
			char *sp = seg_path(ix->path, s->id);
			snprintf(why, whylen, _("%s: cannot write: %s"), sp, strerror(errno));
			free(sp);
			return false;
		}
		s->durable = true;
	}
	if (!write_manifest(ix, ix->segs, ix->nsegs, why, whylen))
		return false;
	ix->unsaved = false;
	clock_gettime(CLOCK_MONOTONIC, &ix->saved_at);
	for (size_t i = 0; i < ix->gone.n; i++) {
		char *sp = seg_path(ix->path, ix->gone.v[i]->id);
		unlink(sp);
		free(sp);
		seg_unref(ix, ix->gone.v[i]);
	}
	ix->gone.n = 0;
	return true;
}

/* Whether the manifest is SAVE_EVERY seconds behind the segments in use. */
static bool save_due(const struct text_index *ix)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return ix->unsaved && now.tv_sec - ix->saved_at.tv_sec >= SAVE_EVERY;
}

/* Make segs[0, n) (a new array) the segments the queries take; the manifest follows
 * (save_segments). */
static void commit_segments(struct text_index *ix, struct segment **segs, size_t n)
{
	pthread_mutex_lock(&ix->lock);
	struct segment **old = ix->segs;
	size_t nold = ix->nsegs;
	ix->segs = segs;
	ix->nsegs = n;
	pthread_mutex_unlock(&ix->lock);
	for (size_t i = 0; i < nold; i++) {
		bool kept = false;
		for (size_t j = 0; j < n; j++)
			kept = kept || segs[j] == old[i];
		if (!kept)
			VEC_PUSH(&ix->gone, old[i]);
	}
	free(old);
	ix->unsaved = true;
}

/* Segments merged at once: each text is rewritten about log8(steps) times, and there
 * are at most 7 segments of each size class. Against 4 (bench/README.md, "Merging
 * eight"): a third fewer bytes written and a faster build, the queries as fast. */
#define MERGE_FAN 8

/* The first of the newest MERGE_FAN segments of one size class (the first not over 3
 * times the last), or SIZE_MAX: the newest such run (older ones are left by a merge
 * stopped halfway). */
static size_t merge_run(const struct text_index *ix)
{
	for (size_t k = ix->nsegs; k >= MERGE_FAN; k--)
		if (ix->segs[k - MERGE_FAN]->bytes <= 3 * ix->segs[k - 1]->bytes)
			return k - MERGE_FAN;
	return SIZE_MAX;
}

/* Merge the runs of segments merge_run finds, one after another. A merge stopped by
 * the cancel flag leaves the index as it was (true: the next update merges). */
static bool merge_segments(struct text_index *ix, char *why, size_t whylen)
{
	size_t k;
	while ((k = merge_run(ix)) != SIZE_MAX) {
		char *sp = seg_path(ix->path, ix->next_id);
		struct segment *m = segment_merge(sp, ix->next_id, ix->segs + k, MERGE_FAN, ix->tag,
						  ix->cancel, why, whylen);
		free(sp);
		if (!m)
			return ix->cancel && atomic_load(ix->cancel);
		ix->next_id++;
		size_t n = ix->nsegs - MERGE_FAN + 1;
		struct segment **segs = xmalloc(n * sizeof *segs);
		memcpy(segs, ix->segs, k * sizeof *segs);
		segs[k] = m;
		memcpy(segs + k + 1, ix->segs + k + MERGE_FAN,
		       (ix->nsegs - k - MERGE_FAN) * sizeof *segs);
		commit_segments(ix, segs, n);
	}
	return true;
}

/* Add segment s (the newest rows), then merge runs of MERGE_FAN of one size class. */
static bool add_segment(struct text_index *ix, struct segment *s, char *why, size_t whylen)
{
	struct segment **segs = xmalloc((ix->nsegs + 1) * sizeof *segs);
	if (ix->nsegs)
		memcpy(segs, ix->segs, ix->nsegs * sizeof *segs);
	segs[ix->nsegs] = s;
	commit_segments(ix, segs, ix->nsegs + 1);
	ix->next_row = s->base + s->nrows;
	if (post_build_stage)
		post_build_stage(POST_STAGE_MERGE);
	return merge_segments(ix, why, whylen);
}

/* Write texts t[0, n) as the next rows' segment and commit it. */
static bool write_segment(struct text_index *ix, const struct post_text *t, size_t n, char *why,
			  size_t whylen)
{
	if (ix->readonly) {
		snprintf(why, whylen, _("%s: another xinwen is updating it"), ix->path);
		return false;
	}
	if (n > UINT32_MAX - 1 - ix->next_row) {
		snprintf(why, whylen, _("%s: too many texts"), ix->path);
		return false;
	}
	char *sp = seg_path(ix->path, ix->next_id);
	struct segment *s = segment_build(sp, ix->next_id, ix->next_row, t, n, ix->tag, ix->cancel,
					  why, whylen);
	free(sp);
	if (!s)
		return false;
	ix->next_id++;
	return add_segment(ix, s, why, whylen);
}

/* ---- Attaching a collection. ---- */

static void grow_pos(struct text_index *ix, size_t need)
{
	if (need <= ix->npos)
		return;
	size_t n = ix->npos ? ix->npos : 1024;
	while (n < need)
		n *= 2;
	uint32_t *pos = xmalloc(n * sizeof *pos);
	pthread_mutex_lock(&ix->lock);
	if (ix->npos)
		memcpy(pos, ix->pos, ix->npos * sizeof *pos);
	memset(pos + ix->npos, 0xff, (n - ix->npos) * sizeof *pos);
	free(ix->pos);
	ix->pos = pos;
	ix->npos = n;
	pthread_mutex_unlock(&ix->lock);
}

/* Empty the index: every article of the collection is to be indexed again. */
static bool start_over(struct text_index *ix, char *why, size_t whylen)
{
	if (ix->readonly) {
		snprintf(why, whylen, _("%s: another xinwen is updating it"), ix->path);
		return false;
	}
	commit_segments(ix, xcalloc(1, sizeof(struct segment *)), 0);
	if (!save_segments(ix, why, whylen))
		return false;
	ix->next_row = 0;
	pthread_mutex_lock(&ix->lock);
	memset(ix->pos, 0xff, ix->npos * sizeof *ix->pos);
	pthread_mutex_unlock(&ix->lock);
	ix->todo.n = 0;
	ix->todo_next = 0;
	ix->dead = 0;
	atomic_store(&ix->damaged, false);
	for (size_t i = 0; ix->c && i < collection_count(ix->c) && i < NO_POS; i++)
		VEC_PUSH(&ix->todo, i);
	return true;
}

/* index.article_at of a collection (ctx): a peek, so that a query with fields over
 * articles made from a catalog (collection.maker) makes none of them. */
static const struct article *collection_article_at(void *ctx, size_t i, struct article *tmp,
						   char *why, size_t whylen)
{
	const struct collection *c = ctx;
	(void)why;
	(void)whylen;
	return collection_peek(c, i, tmp);
}

size_t index_attach(struct text_index *ix, const struct collection *c, char *why, size_t whylen)
{
	VEC(struct content_id) ids = {0};
	VEC(uint32_t) row = {0}; /* the row of each of ids */

	for (size_t s = 0; s < ix->nsegs; s++) {
		struct content_id *sids;
		if (!segment_rows(ix->segs[s], &sids, why, whylen)) {
			free(ids.v);
			free(row.v);
			return SIZE_MAX;
		}
		for (uint32_t r = 0; r < ix->segs[s]->nrows; r++) {
			VEC_PUSH(&ids, sids[r]);
			VEC_PUSH(&row, ix->segs[s]->base + r);
		}
		free(sids);
	}
	ix->c = c;
	ix->narticles = collection_count(c);
	ix->article_at = collection_article_at;
	ix->article_ctx = (void *)(uintptr_t)c;
	ix->attached = true;
	grow_pos(ix, (size_t)ix->next_row + 1);
	uint32_t *pos = xmalloc(ix->npos * sizeof *pos);
	memset(pos, 0xff, ix->npos * sizeof *pos);
	ix->todo.n = 0;
	ix->todo_next = 0;
	/* Each article takes an indexed text of its identity not yet taken (reprints
	 * have one text each). */
	size_t na = collection_count(c) < NO_POS ? collection_count(c) : NO_POS, used;
	size_t *text = collection_match_ids(c, na, ids.v, ids.n, &used);
	for (size_t i = 0; i < na; i++) {
		if (text[i] != SIZE_MAX)
			pos[row.v[text[i]]] = (uint32_t)i;
		else
			VEC_PUSH(&ix->todo, i);
	}
	free(text);
	pthread_mutex_lock(&ix->lock);
	memcpy(ix->pos, pos, ix->npos * sizeof *pos);
	pthread_mutex_unlock(&ix->lock);
	free(pos);
	ix->dead = ids.n - used;
	free(ids.v);
	free(row.v);
	if (ix->dead > 64 && ix->dead * 3 > used + ix->dead && !start_over(ix, why, whylen))
		return SIZE_MAX;
	return ix->todo.n;
}

bool index_fresh(const struct text_index *ix)
{
	return ix->attached && ix->todo_next >= ix->todo.n;
}

/* ---- The map of the rows to a collection's list positions (path-map). ---- */

#define MAP_MAGIC UINT64_C(0x3150414d786e6978) /* "xinxMAP1" */
#define MAP_HEAD 7 /* magic, tag, manifest's checksum, owner, articles, rows, extra bytes */

static char *map_path(const char *path)
{
	struct strbuf p = {0};
	sb_printf(&p, "%s-map", path);
	return p.s;
}

/* Bytes of n rounded up to whole words. */
static size_t words_of(size_t n)
{
	return (n + 7) / 8;
}

bool index_save_map(struct text_index *ix, uint64_t owner, const void *extra, size_t nextra,
		    char *why, size_t whylen)
{
	if (!ix->c || !index_fresh(ix)) {
		snprintf(why, whylen, "not attached or not up to date");
		return false;
	}
	if (!save_segments(ix, why, whylen)) /* the map names the manifest's checksum */
		return false;
	size_t nrows = ix->next_row, pw = words_of(nrows * 4), ew = words_of(nextra);
	size_t words = MAP_HEAD + pw + ew + 1;
	uint64_t *m = xcalloc(words, 8);
	m[0] = MAP_MAGIC;
	m[1] = ix->tag;
	m[2] = ix->man_sum;
	m[3] = owner;
	m[4] = ix->narticles;
	m[5] = nrows;
	m[6] = nextra;
	pthread_mutex_lock(&ix->lock);
	memcpy(m + MAP_HEAD, ix->pos, nrows * 4);
	pthread_mutex_unlock(&ix->lock);
	if (nextra)
		memcpy(m + MAP_HEAD + pw, extra, nextra);
	m[words - 1] = xxh64(m, (words - 1) * 8, 0);
	char *path = map_path(ix->path);
	struct fileio_part part = {m, words * 8};
	const char *failed = fileio_replace(path, NULL, &part, 1);
	if (failed)
		snprintf(why, whylen, "%s: %s: %s", path, failed, strerror(errno));
	free(path);
	free(m);
	return !failed;
}

bool index_attach_catalog(struct text_index *ix, const struct collection *c, char *why,
			  size_t whylen)
{
	uint64_t owner;
	const void *extra;
	size_t nextra;

	if (!catalog_identity(c, &owner)) {
		snprintf(why, whylen, "not read from a catalog");
		return false;
	}
	return index_attach_map(ix, owner, collection_count(c), collection_article_at,
				(void *)(uintptr_t)c, &extra, &nextra, why, whylen);
}

bool index_save_catalog_map(struct text_index *ix, const struct collection *c)
{
	struct strbuf seal = {0};
	uint64_t identity;
	char why[512];
	bool ok = ix && index_fresh(ix) && catalog_seal(c, &seal, &identity) &&
		  index_save_map(ix, identity, seal.s, seal.n, why, sizeof why);

	sb_free(&seal);
	return ok;
}

void index_forget_map(struct text_index *ix)
{
	char *path = map_path(ix->path);
	unlink(path);
	free(path);
}

/* Read the map at path into a new array (*words of it), checked whole: its checksum
 * and its sizes; NULL (why set) when missing or damaged. */
static uint64_t *read_map(const char *path, size_t *words, char *why, size_t whylen)
{
	struct stat st;
	int fd = fileio_open_own(path, O_RDONLY, 0, &st);
	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, fileio_strerror(errno));
		return NULL;
	}
	uint64_t *m = NULL;
	size_t n = (size_t)st.st_size / 8;
	if (st.st_size < (MAP_HEAD + 1) * 8 || st.st_size % 8 || st.st_size > ((off_t)1 << 34))
		goto bad;
	m = xmalloc_big((size_t)st.st_size); /* 10 MB at 2.5M articles: in huge pages */
	if (!fileio_read_exact(fd, m, (size_t)st.st_size) || m[0] != MAP_MAGIC ||
	    m[n - 1] != xxh64(m, (n - 1) * 8, 0) || m[5] >= NO_POS || m[6] > (size_t)st.st_size ||
	    MAP_HEAD + words_of(m[5] * 4) + words_of(m[6]) + 1 != n)
		goto bad;
	close(fd);
	*words = n;
	return m;
bad:
	snprintf(why, whylen, "%s: damaged", path);
	free(m);
	close(fd);
	return NULL;
}

bool index_attach_map(struct text_index *ix, uint64_t owner, size_t narticles,
		      const struct article *(*article_at)(void *ctx, size_t i, struct article *tmp,
							  char *why, size_t whylen),
		      void *ctx, const void **extra, size_t *nextra, char *why, size_t whylen)
{
	size_t words;
	char *path = map_path(ix->path);
	uint64_t *m = read_map(path, &words, why, whylen);

	if (m)
		cachedir_touch(path);
	free(path);
	if (!m)
		return false;
	if (m[1] != ix->tag || m[2] != ix->man_sum || m[3] != owner || m[4] != narticles ||
	    m[5] != ix->next_row || narticles >= NO_POS) {
		snprintf(why, whylen, "of another index or collection");
		free(m);
		return false;
	}
	/* Every article is some row's (the map is saved up to date), each once. */
	const uint32_t *pos = (const uint32_t *)(m + MAP_HEAD);
	unsigned char *taken = xcalloc(narticles / 8 + 1, 1);
	size_t n = 0;
	for (size_t r = 0; r < m[5]; r++) {
		uint32_t p = pos[r];
		if (p == NO_POS)
			continue;
		if (p >= narticles || (taken[p / 8] >> (p % 8) & 1))
			break;
		taken[p / 8] |= (unsigned char)(1u << (p % 8));
		n++;
	}
	free(taken);
	if (n != narticles) {
		snprintf(why, whylen, "damaged or not up to date");
		free(m);
		return false;
	}
	free(ix->pos);
	ix->map = m;
	ix->pos = (uint32_t *)(m + MAP_HEAD);
	ix->npos = m[5];
	ix->narticles = narticles;
	ix->article_at = article_at;
	ix->article_ctx = ctx;
	ix->attached = true;
	ix->todo.n = ix->todo_next = 0;
	*extra = m + MAP_HEAD + words_of(m[5] * 4);
	*nextra = m[6];
	return true;
}

/* ---- Updating. ---- */

/* The folding of a step's articles, on two threads. */
struct fold_job {
	struct text_index *ix;
	const atomic_bool *cancel; /* set: stop (index_set_cancel) */
	atomic_bool stopped;	   /* it was: the step is dropped */
	size_t from, cap, budget;
	atomic_size_t next, bytes;
	struct folded *f;
	struct post_text *t;
};

static void *fold_some(void *arg)
{
	struct fold_job *j = arg;
	struct strbuf text = {0};
	for (;;) {
		if (j->cancel && atomic_load_explicit(j->cancel, memory_order_relaxed)) {
			atomic_store(&j->stopped, true);
			break;
		}
		if (atomic_load(&j->bytes) >= j->budget)
			break;
		size_t k = atomic_fetch_add(&j->next, 1);
		if (k >= j->cap)
			break;
		struct article tmp;
		const struct article *a = collection_peek(j->ix->c, j->ix->todo.v[j->from + k],
							  &tmp);
		sb_clear(&text);
		search_article_text(a, &text);
		fold_text(&j->f[k], text.s ? text.s : "", text.n, false);
		article_identity(a, &j->t[k].id);
		j->t[k].s = j->f[k].s ? j->f[k].s : "";
		j->t[k].n = j->f[k].n;
		atomic_fetch_add(&j->bytes, text.n ? text.n : 1);
	}
	sb_free(&text);
	return NULL;
}

void index_set_cancel(struct text_index *ix, const atomic_bool *cancel)
{
	ix->cancel = cancel;
}

/* Whether index_set_cancel's flag is set. */
static bool stopping(const struct text_index *ix)
{
	return ix->cancel && atomic_load(ix->cancel);
}

int index_update(struct text_index *ix, size_t budget, struct index_progress *p, char *why,
		 size_t whylen)
{
	if (!ix->c) {
		snprintf(why, whylen, _("no collection attached"));
		return -1;
	}
	if (atomic_load(&ix->damaged) && !start_over(ix, why, whylen))
		return -1;
	size_t from = ix->todo_next;
	if (from >= ix->todo.n)
		return save_segments(ix, why, whylen) ? 1 : -1;
	struct fold_job j = {
		.ix = ix, .cancel = ix->cancel, .from = from, .budget = budget ? budget : 1};
	j.cap = ix->todo.n - from;
	/* At most one article per 64 bytes of the budget (the arrays are that long). */
	if (j.cap > budget / 64 + 1024)
		j.cap = budget / 64 + 1024;
	j.f = xcalloc(j.cap, sizeof *j.f);
	j.t = xcalloc(j.cap, sizeof *j.t);
	atomic_init(&j.next, 0);
	atomic_init(&j.bytes, 0);
	atomic_init(&j.stopped, false);
	pthread_t th;
	fold_prepare(); /* its tables set up before two threads fold */
	if (post_build_stage)
		post_build_stage(POST_STAGE_FOLD);
	bool two = j.cap > 1 && pthread_create(&th, NULL, fold_some, &j) == 0;
	fold_some(&j);
	if (two)
		pthread_join(th, NULL);
	size_t n = atomic_load(&j.next);
	if (n > j.cap)
		n = j.cap;
	/* Stopped (the folding cut short, or the build): the step is dropped whole. */
	bool stopped = atomic_load(&j.stopped);
	bool ok = !stopped && write_segment(ix, j.t, n, why, whylen);
	for (size_t k = 0; k < j.cap; k++)
		folded_free(&j.f[k]);
	free(j.f);
	free(j.t);
	if (!ok && (stopped || stopping(ix)))
		return 0;
	if (!ok)
		return -1;
	/* Committed: the new rows answer from now on. */
	uint32_t base = ix->next_row - (uint32_t)n;
	grow_pos(ix, (size_t)ix->next_row + 1);
	pthread_mutex_lock(&ix->lock);
	for (size_t k = 0; k < n; k++)
		ix->pos[base + k] = (uint32_t)ix->todo.v[from + k];
	pthread_mutex_unlock(&ix->lock);
	ix->todo_next = from + n;
	if (p) {
		p->done = ix->todo_next;
		p->total = ix->todo.n;
		p->bytes += atomic_load(&j.bytes);
	}
	/* A query met a damaged block meanwhile: start over now, not at a next start. */
	if (atomic_load(&ix->damaged))
		return start_over(ix, why, whylen) ? 0 : -1;
	bool done = ix->todo_next >= ix->todo.n;
	if ((done || save_due(ix)) && !save_segments(ix, why, whylen))
		return -1;
	return done;
}

/* ---- Querying. ---- */

/* Phrases to look up: their bytes one after another, each one's end. */
struct phrases {
	struct strbuf s;
	VEC(size_t) end;
};

static void add_phrase(struct phrases *m, const char *s, size_t n)
{
	sb_append(&m->s, s, n);
	VEC_PUSH(&m->end, m->s.n);
}

/* Bytes of the UTF-8 character whose lead byte is b (1 for a stray byte). */
static int char_len(unsigned char b)
{
	return b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
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
static bool add_literals(struct phrases *m, const char *p, size_t n)
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

/* Row numbers. */
typedef VEC(uint32_t) rowvec;

/* A bigram of a phrase: its key, its offset in the phrase, its entry in a segment. */
struct term {
	uint64_t key;
	uint32_t off;
	struct post_entry e;
};

/* Rows holding a bigram at some starts (positions minus the offset), being narrowed. */
struct cands {
	VEC(uint32_t) row;   /* relative to the segment */
	VEC(uint32_t) until; /* the end of each row's starts in start */
	VEC(uint32_t) start;
};

/* Keep of c (NULL: taking all) the rows and starts where term t is too, its list
 * decoded in l (last: the rows only, one start each); the result in *out. */
static void narrow(const struct post_dec *l, const struct term *t, const struct cands *c, bool last,
		   struct cands *out)
{
	size_t ci = 0;
	out->row.n = out->until.n = out->start.n = 0;
	for (size_t li = 0; li < l->row.n; li++) {
		uint32_t row = l->row.v[li];
		while (c && ci < c->row.n && c->row.v[ci] < row)
			ci++;
		if (c && ci >= c->row.n)
			break;
		if (c && c->row.v[ci] != row)
			continue;
		size_t s = c ? (ci ? c->until.v[ci - 1] : 0) : 0, se = c ? c->until.v[ci] : 0;
		size_t before = out->start.n;
		for (uint32_t k = li ? l->end.v[li - 1] : 0; k < l->end.v[li]; k++) {
			uint32_t pos = l->pos.v[k];
			if (pos < t->off)
				continue;
			uint32_t st = pos - t->off;
			if (c) {
				while (s < se && c->start.v[s] < st)
					s++;
				if (!(s < se && c->start.v[s] == st))
					continue;
			}
			VEC_PUSH(&out->start, st);
			if (last)
				break;
		}
		if (out->start.n > before) {
			VEC_PUSH(&out->row, row);
			VEC_PUSH(&out->until, (uint32_t)out->start.n);
		}
	}
}

static void cands_free(struct cands *c)
{
	free(c->row.v);
	free(c->until.v);
	free(c->start.v);
}

/* What one thread of a query decodes into. */
struct query_part {
	struct post_dec l;
	struct cands a, b;
};

/* A query's arrays, kept from one segment and one query to the next while they are not
 * too big: made anew for each, their page faults and their copies as they grew took
 * about a third of a `--search` at 2.5M (bench/README.md, "A query's arrays kept"). */
struct query_mem {
	struct query_part part[2];
	rowvec rows, more;
	VEC(uint64_t) hit; /* the list positions hit, a bit each */
};

/* The bytes a query's arrays kept hold at most between two queries. */
#define QUERY_KEEP ((size_t)64 << 20)

static void query_mem_free(struct query_mem *m)
{
	if (!m)
		return;
	for (int k = 0; k < 2; k++) {
		post_dec_free(&m->part[k].l);
		cands_free(&m->part[k].a);
		cands_free(&m->part[k].b);
	}
	free(m->rows.v);
	free(m->more.v);
	free(m->hit.v);
	free(m);
}

static size_t cands_bytes(const struct cands *c)
{
	return (c->row.cap + c->until.cap + c->start.cap) * sizeof(uint32_t);
}

/* The bytes of m's arrays. */
static size_t query_mem_bytes(const struct query_mem *m)
{
	size_t n = (m->rows.cap + m->more.cap) * sizeof(uint32_t) + m->hit.cap * sizeof(uint64_t);
	for (int k = 0; k < 2; k++) {
		const struct query_part *q = &m->part[k];
		n += (q->l.row.cap + q->l.end.cap + q->l.pos.cap) * sizeof(uint32_t) +
		     q->l.raw.cap + cands_bytes(&q->a) + cands_bytes(&q->b);
	}
	return n;
}

/* The arrays for a query of ix: the last query's when no other query holds them (*kept
 * set: give them back with query_mem_give), else new ones. */
static struct query_mem *query_mem_take(struct text_index *ix, bool *kept)
{
	*kept = pthread_mutex_trylock(&ix->qlock) == 0;
	if (!*kept)
		return xcalloc(1, sizeof(struct query_mem));
	if (!ix->qmem)
		ix->qmem = xcalloc(1, sizeof(struct query_mem));
	return ix->qmem;
}

/* Give back m, taken by query_mem_take: kept for the next query unless its arrays hold
 * more than QUERY_KEEP bytes. */
static void query_mem_give(struct text_index *ix, struct query_mem *m, bool kept)
{
	if (!kept) {
		query_mem_free(m);
		return;
	}
	if (query_mem_bytes(m) > QUERY_KEEP) {
		query_mem_free(m);
		ix->qmem = NULL;
	}
	pthread_mutex_unlock(&ix->qlock);
}

static int cmp_term(const void *x, const void *y)
{
	const struct term *a = x, *b = y;
	return (a->e.ndocs > b->e.ndocs) - (a->e.ndocs < b->e.ndocs);
}

size_t index_split_rows = INDEX_SPLIT_ROWS;

/* Part k of nparts of a segment's phrase query (seg_phrase): the rows of part k of the
 * rarest term's list that hold the terms t[0, m) (sorted rarest first) at consecutive
 * places, appended to rows. */
struct phrase_part {
	const struct segment *s;
	const struct term *t;
	size_t m;
	unsigned k, nparts;
	struct query_part *mem;
	rowvec rows;
	bool ok;
	char why[256];
};

/* Append the rows v[0, n), each plus base, to *rows. */
static void add_rows(rowvec *rows, uint32_t base, const uint32_t *v, size_t n)
{
	vec_reserve(&rows->v, &rows->cap, rows->n + n, sizeof *rows->v);
	for (size_t i = 0; i < n; i++)
		rows->v[rows->n++] = base + v[i];
}

static void *phrase_part(void *arg)
{
	struct phrase_part *p = arg;
	const struct segment *s = p->s;
	const struct term *t = p->t;
	struct cands *a = &p->mem->a, *b = &p->mem->b;
	struct post_dec *l = &p->mem->l;
	/* A bigram alone: the rows of its list are the answer. */
	l->rows_only = p->m == 1;
	a->row.n = 0;
	p->ok = true;
	for (size_t i = 0; p->ok && i < p->m && (i == 0 || a->row.n); i++) {
		p->ok = i ? segment_decode(s, &t[i].e, a->row.v, a->row.n, l, p->why, sizeof p->why)
			  : segment_decode_part(s, &t[0].e, p->k, p->nparts, l, p->why,
						sizeof p->why);
		if (p->ok && p->m == 1) {
			add_rows(&p->rows, s->base, l->row.v, l->row.n);
			break;
		}
		if (p->ok)
			narrow(l, &t[i], i ? a : NULL, i + 1 == p->m, b);
		struct cands *x = a;
		a = b;
		b = x;
	}
	if (p->ok && p->m > 1)
		add_rows(&p->rows, s->base, a->row.v, a->row.n);
	return NULL;
}

static int cmp_off(const void *x, const void *y)
{
	const struct term *a = x, *b = y;
	return (a->off > b->off) - (a->off < b->off);
}

bool index_cover_all = false;

/* Of the terms t[0, m) of a phrase (each a bigram at its offset, its entry found),
 * copy to out those that cover each of its characters, the rarest among them and the
 * others with the fewest rows in their lists summed, and return how many: since a row
 * matches where every term is at its offset from one start, a bigram at every other
 * place is enough (the first and the last always). */
static size_t cover_terms(const struct term *t, size_t m, struct term *out)
{
	memcpy(out, t, m * sizeof *t);
	qsort(out, m, sizeof *out, cmp_off);
	if (m <= 2 || index_cover_all)
		return m;
	/* The rarest term is always in: its list, read whole, narrows the others' (read
	 * only where it has rows); past it, the fewer rows the better. */
	size_t rarest = 0;
	for (size_t j = 1; j < m; j++)
		if (out[j].e.ndocs < out[rarest].e.ndocs)
			rarest = j;
	int64_t *cost = xmalloc(m * sizeof *cost);
	for (size_t j = 0; j < m; j++)
		cost[j] = j == rarest ? -(INT64_C(1) << 40) : (int64_t)out[j].e.ndocs;
	/* best[j]: the least cost of a cover of the characters up to j + 1 whose last term
	 * is j; the one before it is j - 1 or j - 2 (from[j]). */
	int64_t *best = xmalloc(m * sizeof *best);
	size_t *from = xmalloc(m * sizeof *from);
	best[0] = cost[0];
	best[1] = best[0] + cost[1];
	from[1] = 0;
	for (size_t j = 2; j < m; j++) {
		from[j] = best[j - 2] <= best[j - 1] ? j - 2 : j - 1;
		best[j] = best[from[j]] + cost[j];
	}
	/* Walk back from the last term to the first, marking the cover's; keep them. */
	bool *keep = xcalloc(m, sizeof *keep);
	for (size_t j = m - 1; j > 0; j = from[j])
		keep[j] = true;
	keep[0] = true;
	size_t n = 0;
	for (size_t j = 0; j < m; j++)
		if (keep[j])
			out[n++] = out[j];
	free(keep);
	free(cost);
	free(best);
	free(from);
	return n;
}

/* Append to *rows the rows of segment s holding the terms t[0, m) at consecutive
 * places (those of them that cover the phrase, cover_terms): in two parts on two
 * threads when the lists read have index_split_rows rows or more in all. False (why
 * set) when the segment is damaged. */
static bool seg_phrase(const struct segment *s, struct term *t, size_t m, struct query_mem *mem,
		       rowvec *rows, char *why, size_t whylen)
{
	for (size_t i = 0; i < m; i++) {
		int r = segment_find(s, t[i].key, &t[i].e, why, whylen);
		if (r <= 0)
			return r == 0;
	}
	struct term *all = t;
	t = xmalloc(m * sizeof *t);
	m = cover_terms(all, m, t);
	qsort(t, m, sizeof *t, cmp_term);
	/* The rows of all the lists read, not only of the rarest: a rare bigram beside a
	 * common one (是一城市: 一城 then 城市) has most of its work in the common one's
	 * blocks, which each part reads only where its half of the rarest has rows. */
	size_t work = 0;
	for (size_t i = 0; i < m; i++)
		work += t[i].e.ndocs;
	unsigned nparts = work >= index_split_rows && t[0].e.ndocs > POST_ROWS ? 2 : 1;
	struct phrase_part part[2];
	pthread_t th;
	bool threaded = false;
	for (unsigned k = 0; k < nparts; k++)
		part[k] = (struct phrase_part){
			.s = s, .t = t, .m = m, .k = k, .nparts = nparts, .mem = &mem->part[k]};
	part[0].rows = *rows; /* the first part appends to *rows itself */
	if (nparts == 2)
		threaded = pthread_create(&th, NULL, phrase_part, &part[1]) == 0;
	phrase_part(&part[0]);
	if (threaded)
		pthread_join(th, NULL);
	else if (nparts == 2)
		phrase_part(&part[1]);
	*rows = part[0].rows;
	bool ok = part[0].ok && (nparts == 1 || part[1].ok);
	if (!ok)
		snprintf(why, whylen, "%s", part[0].ok ? part[1].why : part[0].why);
	if (ok && nparts == 2 && part[1].rows.n) {
		vec_reserve(&rows->v, &rows->cap, rows->n + part[1].rows.n, sizeof *rows->v);
		memcpy(rows->v + rows->n, part[1].rows.v, part[1].rows.n * sizeof *rows->v);
		rows->n += part[1].rows.n;
	}
	if (nparts == 2)
		free(part[1].rows.v);
	free(t);
	return ok;
}

/* Take the segments (each one used once more); release with put_segments. */
static struct segment **take_segments(struct text_index *ix, size_t *n)
{
	pthread_mutex_lock(&ix->lock);
	struct segment **s = xmalloc((ix->nsegs + 1) * sizeof *s);
	for (size_t i = 0; i < ix->nsegs; i++) {
		s[i] = ix->segs[i];
		s[i]->refs++;
	}
	*n = ix->nsegs;
	pthread_mutex_unlock(&ix->lock);
	return s;
}

static void put_segments(struct text_index *ix, struct segment **s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		seg_unref(ix, s[i]);
	free(s);
}

/* The rows, in order, holding the folded phrase q[0, qn) (2 characters at least), in
 * *rows. False (why set) when a segment is damaged. */
static bool phrase_rows(struct text_index *ix, const char *q, size_t qn, struct query_mem *mem,
			rowvec *rows, char *why, size_t whylen)
{
	VEC(struct term) t = {0};
	uint32_t prev = 0;
	rows->n = 0;
	for (size_t i = 0, k = 0; i < qn; k++) {
		int len;
		uint32_t cp = post_char((const unsigned char *)q + i, qn - i, &len);
		if (i > 0) {
			struct term x = {post_key(prev, cp), (uint32_t)k - 1, {0}};
			VEC_PUSH(&t, x);
		}
		prev = cp;
		i += (size_t)len;
	}
	size_t n;
	struct segment **s = take_segments(ix, &n);
	bool ok = true;
	for (size_t i = 0; ok && i < n && t.n; i++)
		ok = seg_phrase(s[i], t.v, t.n, mem, rows, why, whylen);
	put_segments(ix, s, n);
	free(t.v);
	if (!ok) {
		/* The next update starts over; without the manifest, the next open says the
		 * index was damaged and makes it anew. */
		atomic_store(&ix->damaged, true);
		if (!ix->readonly)
			unlink(ix->path);
	}
	return ok;
}

/* The rows in both sorted a and b, into a. */
static void intersect(rowvec *a, const rowvec *b)
{
	size_t n = 0, j = 0;
	for (size_t i = 0; i < a->n; i++) {
		while (j < b->n && b->v[j] < a->v[i])
			j++;
		if (j < b->n && b->v[j] == a->v[i])
			a->v[n++] = a->v[i];
	}
	a->n = n;
}

enum index_answer index_query(struct text_index *ix, const struct search *q, search_hits *hits,
			      char *why, size_t whylen)
{
	struct phrases m = {0};
	enum index_answer kind = INDEX_EXACT;

	hits->n = 0;
	if (!ix->attached || search_is_empty(q))
		return INDEX_CANNOT;
	if (q->regex) {
		if (!add_literals(&m, q->key.s, q->key.n)) {
			sb_free(&m.s);
			free(m.end.v);
			return INDEX_CANNOT;
		}
		kind = INDEX_CANDIDATES;
	} else if (count_chars(q->key.s ? q->key.s : "", q->key.n) >= 2) {
		add_phrase(&m, q->key.s, q->key.n);
	} else {
		return INDEX_CANNOT;
	}
	bool kept;
	struct query_mem *mem = query_mem_take(ix, &kept);
	rowvec *rows = &mem->rows, *more = &mem->more;
	bool ok = true;
	for (size_t i = 0; ok && i < m.end.n; i++) {
		size_t from = i ? m.end.v[i - 1] : 0;
		ok = phrase_rows(ix, m.s.s + from, m.end.v[i] - from, mem, i ? more : rows, why,
				 whylen);
		if (i)
			intersect(rows, more);
	}
	sb_free(&m.s);
	free(m.end.v);
	if (!ok) {
		query_mem_give(ix, mem, kept);
		return INDEX_ERROR;
	}
	/* Rows to list positions, in list order: a bitmap of the positions hit, read a
	 * word at a time. */
	size_t n = ix->narticles, nwords = n / 64 + 1;
	vec_reserve(&mem->hit.v, &mem->hit.cap, nwords, sizeof *mem->hit.v);
	uint64_t *hit = mem->hit.v;
	memset(hit, 0, nwords * sizeof *hit);
	pthread_mutex_lock(&ix->lock);
	for (size_t k = 0; k < rows->n; k++) {
		uint32_t r = rows->v[k];
		uint32_t p = r < ix->npos ? ix->pos[r] : NO_POS;
		if (p < n)
			hit[p / 64] |= UINT64_C(1) << (p % 64);
	}
	pthread_mutex_unlock(&ix->lock);
	vec_reserve(&hits->v, &hits->cap, rows->n, sizeof *hits->v);
	for (size_t w = 0; w < nwords && kind != INDEX_ERROR; w++) {
		for (uint64_t bits = hit[w]; bits; bits &= bits - 1) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
			if (kind == INDEX_CANDIDATES || !q->has_fields) {
				VEC_PUSH(hits, i);
				continue;
			}
			struct article tmp;
			const struct article *a = ix->article_at(ix->article_ctx, i, &tmp, why,
								 whylen);
			if (!a) {
				kind = INDEX_ERROR;
				break;
			}
			if (search_fields_match(q, a))
				VEC_PUSH(hits, i);
		}
	}
	query_mem_give(ix, mem, kept);
	return kind;
}

/* ---- Without a collection (index_internal.h). ---- */

void index_raw_add(struct text_index *ix, uint64_t hi, uint64_t lo, const char *s, size_t n)
{
	struct post_text t = {(const char *)(uintptr_t)ix->raw_text.n, n, {hi, lo}};
	sb_append(&ix->raw_text, s, n);
	VEC_PUSH(&ix->raw, t);
}

bool index_raw_commit(struct text_index *ix, char *why, size_t whylen)
{
	for (size_t i = 0; i < ix->raw.n; i++)
		ix->raw.v[i].s = ix->raw_text.s ? ix->raw_text.s + (uintptr_t)ix->raw.v[i].s : "";
	bool ok = write_segment(ix, ix->raw.v, ix->raw.n, why, whylen);
	ix->raw.n = 0;
	sb_clear(&ix->raw_text);
	return ok;
}

int64_t index_raw_count(struct text_index *ix, const char *s, size_t n)
{
	bool kept;
	struct query_mem *mem = query_mem_take(ix, &kept);
	char why[256];
	bool ok = phrase_rows(ix, s, n, mem, &mem->rows, why, sizeof why);
	int64_t count = ok ? (int64_t)mem->rows.n : -1;
	query_mem_give(ix, mem, kept);
	return count;
}

bool index_anatomy(struct text_index *ix, struct post_anatomy *an, size_t *nsegs, char *why,
		   size_t whylen)
{
	bool ok = true;
	struct segment **s = take_segments(ix, nsegs);
	memset(an, 0, sizeof *an);
	for (size_t i = 0; ok && i < *nsegs; i++)
		ok = segment_anatomy(s[i], an, why, whylen);
	put_segments(ix, s, *nsegs);
	return ok;
}
