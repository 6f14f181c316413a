/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_reliab.c: the files of the cache and state directories under attack
 * (doc/SECURITY.md): FIFOs where the catalog, the similar-stories index and the state's
 * temporary file are never block; a directory others can write to is refused; stale
 * temporary files are removed; a catalog tells a chmod from no change (ctime), is used
 * only for the paths it was made from, and survives being cut short under the reader;
 * a held lock never makes a save wait; a state file too large keeps its valid marks;
 * the marks' log is appended to, read back and compacted.
 *
 * The tests that could hang (a FIFO opened for reading or writing blocks) run under an
 * alarm: a hang kills the test instead of blocking make check. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "app_marks.h"
#include "catalog.h"
#include "cli.h"
#include "collection.h"
#include "fileio.h"
#include "loader.h"
#include "similar.h"
#include "similar_cache.h"
#include "marks.h"
#include "prompthist.h"
#include "testutil.h"

/* Seconds a test that could block on a FIFO gets before SIGALRM fails it. */
#define HANG_SECONDS 20

static const struct load_opts lean = {.format = FORMAT_AUTO, .lean = true};

struct scratch {
	char root[512];
};

static char *path_in(const struct scratch *s, const char *rel)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", s->root, rel) > 0);
	return p;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static int setup(void **state)
{
	struct scratch *s = calloc(1, sizeof *s);

	if (!s || !test_scratch_dir(s->root, sizeof s->root, "reliab"))
		return -1;
	char *cache = path_in(s, "cache");
	setenv("XDG_CACHE_HOME", cache, 1);
	free(cache);
	alarm(HANG_SECONDS);
	*state = s;
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct scratch *s = *state;

	alarm(0);
	nftw(s->root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(s);
	return 0;
}

/* A directory col with two linked articles, loaded into c (lean). */
static void make_collection(const struct scratch *s, struct collection *c, char **col)
{
	*col = path_in(s, "col");
	assert_int_equal(mkdir(*col, 0700), 0);
	char *one = path_in(s, "col/one.txt"), *two = path_in(s, "col/two.txt");
	write_text(one, "One\n\n2021-01-02 here\n\nBody one, long enough to be a body.\n");
	write_text(two, "Two\n\n2021-01-01\n\nBody two.\n\n相關焦點\n\n  • One\n");
	free(one);
	free(two);
	collection_init(c);
	loader_load_path_opts(c, *col, &lean);
	collection_finish(c);
	assert_int_equal(collection_count(c), 2);
}

/* ---------------------------------------------------------------------------
 * FIFOs in the cache and state directories (items 2, 3, 4)
 */

/* Item 3: the catalog's path a FIFO: refused at once as not a regular file. */
static void test_catalog_fifo(void **state)
{
	struct scratch *s = *state;
	char *file = path_in(s, "catalog-fifo");
	struct collection c;
	struct strbuf why = {0};

	assert_int_equal(mkfifo(file, 0600), 0);
	collection_init(&c);
	assert_int_equal(catalog_read(&c, 1, file, &why), CATALOG_CORRUPT);
	assert_non_null(strstr(sb_cstr(&why), "not a regular file"));
	/* And a symlink to a good file is not followed. */
	char *link = path_in(s, "catalog-link");
	assert_int_equal(symlink(file, link), 0);
	sb_clear(&why);
	assert_int_equal(catalog_read(&c, 1, link, &why), CATALOG_CORRUPT);
	collection_free(&c);
	sb_free(&why);
	free(file);
	free(link);
}

/* Item 2: the similar-stories index a FIFO: loading says so at once, and the save
 * that follows replaces the FIFO by the index. */
static void test_similar_cache_fifo(void **state)
{
	struct scratch *s = *state;
	struct collection c;
	char *col, why[160];
	struct similar_index *ix = NULL;

	make_collection(s, &c, &col);
	char *path = similar_cache_path(&c);
	assert_non_null(path);
	char *dir = fileio_cache_dir();
	assert_true(fileio_make_dirs(dir, NULL));
	assert_int_equal(mkfifo(path, 0600), 0);
	uint64_t key = similar_cache_key(&c);
	assert_int_equal(similar_cache_load(path, key, collection_count(&c), &ix, why, sizeof why),
			 SIMILAR_CACHE_CORRUPT);
	assert_null(ix);
	assert_non_null(strstr(why, "not a regular file"));
	FILE *err = tmpfile();
	ix = similar_index_cached(&c, true, SIZE_MAX, err);
	assert_non_null(ix);
	fclose(err);
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	similar_index_free(ix);
	collection_free(&c);
	free(path);
	free(dir);
	free(col);
}

/* Item 4: FIFOs made where the state's temporary file and log go while a reader runs
 * (after its first save): the next saves neither block nor lose a mark. */
static void test_state_fifos(void **state)
{
	struct scratch *s = *state;
	char *dir = path_in(s, "state");
	char *tmp = path_in(s, "state/state.tmp"), *log = path_in(s, "state/state.log");
	struct marks st, back;
	struct content_id id = {1, 2}, first = {5, 6};

	assert_int_equal(mkdir(dir, 0700), 0);
	marks_init(&st, dir);
	marks_set(&st, &first, MARK_READ, true);
	assert_true(marks_save(&st));
	assert_int_equal(mkfifo(tmp, 0600), 0);
	marks_set(&st, &id, MARK_READ, true);
	assert_true(marks_save(&st));
	assert_int_equal(mkfifo(log, 0600), 0);
	marks_set(&st, &id, MARK_BOOKMARK, true);
	marks_save(&st); /* returns, whatever it says of the FIFO log */
	assert_true(marks_save(&st) || st.dirty == false);
	marks_init(&back, dir);
	marks_load(&back);
	assert_true(marks_get(&back, &first, MARK_READ));
	assert_true(marks_get(&back, &id, MARK_READ));
	assert_true(marks_get(&back, &id, MARK_BOOKMARK));
	marks_free(&st);
	marks_free(&back);
	free(dir);
	free(tmp);
	free(log);
}

/* The marks' lock file made a FIFO, then a symlink: replaced by a lock file of our own
 * (the link's target untouched), so the marks are saved, not refused at every save. */
static void test_lock_not_a_file(void **state)
{
	struct scratch *s = *state;
	char *dir = path_in(s, "state"), *lockf = path_in(s, "state/state.lock");
	char *target = path_in(s, "target");
	struct marks st, back;
	struct content_id one = {1, 2}, two = {3, 4};
	struct stat sb;

	assert_int_equal(mkdir(dir, 0700), 0);
	write_text(target, "not a lock");
	marks_init(&st, dir);
	assert_int_equal(mkfifo(lockf, 0600), 0);
	marks_set(&st, &one, MARK_READ, true);
	assert_true(marks_save(&st));
	assert_int_equal(lstat(lockf, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(unlink(lockf), 0);
	assert_int_equal(symlink(target, lockf), 0);
	marks_set(&st, &two, MARK_BOOKMARK, true);
	assert_true(marks_save(&st));
	assert_int_equal(lstat(lockf, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(lstat(target, &sb), 0);
	assert_int_equal(sb.st_size, strlen("not a lock"));
	marks_init(&back, dir);
	assert_true(marks_load(&back));
	assert_true(marks_get(&back, &one, MARK_READ));
	assert_true(marks_get(&back, &two, MARK_BOOKMARK));
	marks_free(&st);
	marks_free(&back);
	free(target);
	free(lockf);
	free(dir);
}

/* ---------------------------------------------------------------------------
 * The directories (rules) and stale temporary files (item 11)
 */

static void test_private_dir(void **state)
{
	struct scratch *s = *state;
	char *dir = path_in(s, "a/b/xinwen");
	struct strbuf why = {0};
	struct stat st;

	assert_true(fileio_private_dir(dir, &why));
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* Writable by others: refused, saying why. */
	assert_int_equal(chmod(dir, 0777), 0);
	assert_false(fileio_private_dir(dir, &why));
	assert_non_null(strstr(sb_cstr(&why), "writable by others"));
	assert_non_null(strstr(sb_cstr(&why), dir));
	assert_int_equal(chmod(dir, 0770), 0);
	sb_clear(&why);
	assert_false(fileio_private_dir(dir, &why));
	assert_non_null(strstr(sb_cstr(&why), "writable by its group"));
	assert_int_equal(chmod(dir, 0700), 0);
	/* Not a directory. */
	char *file = path_in(s, "a/file");
	write_text(file, "x");
	sb_clear(&why);
	assert_false(fileio_private_dir(file, &why));
	assert_non_null(strstr(sb_cstr(&why), "not a directory"));
	sb_free(&why);
	free(file);
	free(dir);
}

/* A state directory others can write to: neither the marks nor the prompts' history
 * are read from it or written to it (what another user put there is not offered as a
 * past search); both are kept in memory. */
static void test_refused_state_dir(void **state)
{
	struct scratch *s = *state;
	char *home = path_in(s, "st"), *dir = path_in(s, "st/xinwen");
	char *hist = path_in(s, "st/xinwen/history"), *marks = path_in(s, "st/xinwen/state");
	char *log = path_in(s, "st/xinwen/state.log");
	struct collection c;
	struct app a;

	assert_int_equal(mkdir(home, 0700), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	write_text(hist, "xinwen-history 1\nsearch planted\n");
	assert_int_equal(chmod(dir, 0777), 0);
	setenv("XDG_STATE_HOME", home, 1);
	test_load_seed(&c, "seed");
	app_init(&a, &c, 24, 80);
	assert_false(app_marks_open_default(&a, NULL));
	assert_non_null(strstr(a.message, "writable by others"));
	app_prompts_open_default(&a);
	assert_null(prompthist_last(&a.prompts, HIST_SEARCH));
	prompthist_add(&a.prompts, HIST_SEARCH, "社區", strlen("社區"));
	app_prompts_save(&a);
	app_apply(&a, ACTION_TOGGLE_READ, 0);
	app_marks_save(&a, NULL);
	assert_true(app_is_read(&a, 0));
	assert_string_equal(prompthist_last(&a.prompts, HIST_SEARCH), "社區");
	FILE *f = fopen(hist, "r");
	char line[256] = "";
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	assert_non_null(fgets(line, sizeof line, f));
	assert_string_equal(line, "search planted\n"); /* not written over */
	fclose(f);
	assert_false(exists(marks));
	assert_false(exists(log));
	app_free(&a);
	collection_free(&c);
	unsetenv("XDG_STATE_HOME");
	chmod(dir, 0700);
	free(log);
	free(marks);
	free(hist);
	free(dir);
	free(home);
}

/* --list --unread and --bookmarked read the marks of a refused state directory no more
 * than the reader does: said on stderr, every full article is listed as unread. */
static void test_refused_state_dir_listing(void **state)
{
	struct scratch *s = *state;
	char *home = path_in(s, "st"), *dir = path_in(s, "st/xinwen");
	struct collection c;
	struct marks m;
	struct content_id id;
	char out[4096] = "", err[4096] = "";

	assert_int_equal(mkdir(home, 0700), 0);
	test_load_seed(&c, "seed");
	marks_init(&m, dir);
	for (size_t i = 0; i < collection_count(&c); i++) {
		article_identity(collection_article(&c, i), &id);
		marks_set(&m, &id, MARK_READ, true);
	}
	assert_true(marks_save(&m));
	marks_free(&m);
	assert_int_equal(chmod(dir, 0777), 0);
	setenv("XDG_STATE_HOME", home, 1);
	FILE *o = fmemopen(out, sizeof out - 1, "w"), *e = fmemopen(err, sizeof err - 1, "w");
	assert_int_equal(cli_list_marked(&c, true, false, o, e), 0);
	fclose(o);
	fclose(e);
	size_t lines = 0, full = 0;
	for (const char *p = out; *p; p++)
		lines += *p == '\n';
	for (size_t i = 0; i < collection_count(&c); i++)
		full += collection_article(&c, i)->kind == ARTICLE_FULL;
	assert_true(full > 0);
	assert_int_equal(lines, full); /* the planted read marks are not taken */
	assert_non_null(strstr(err, "marks not read"));
	assert_non_null(strstr(err, "writable by others"));
	unsetenv("XDG_STATE_HOME");
	chmod(dir, 0700);
	collection_free(&c);
	free(dir);
	free(home);
}

/* Set path's modification time seconds ago. */
static void age(const char *path, long seconds)
{
	struct timespec t[2];
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= seconds;
	t[1] = t[0];
	assert_int_equal(utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW), 0);
}

/* Item 11: what a writer killed before its rename left is removed at the next start,
 * once older than a minute; a fresh one (another writer's, at work) and other files
 * are left alone. */
static void test_stale_temporaries(void **state)
{
	struct scratch *s = *state;
	char *dir = path_in(s, "xinwen");
	char *old = path_in(s, "xinwen/catalog-0123456789abcdef.tmp.4242");
	char *old_fifo = path_in(s, "xinwen/state.tmp.77-1a");
	char *fresh = path_in(s, "xinwen/catalog-0123456789abcdef.tmp.4343");
	char *keep = path_in(s, "xinwen/catalog-0123456789abcdef");
	struct strbuf why = {0};

	assert_int_equal(mkdir(dir, 0700), 0);
	write_text(old, "half a catalog");
	write_text(fresh, "a catalog being written");
	write_text(keep, "a catalog");
	assert_int_equal(mkfifo(old_fifo, 0600), 0);
	age(old, 2 * FILEIO_STALE_SECONDS);
	age(old_fifo, 2 * FILEIO_STALE_SECONDS);
	age(keep, 2 * FILEIO_STALE_SECONDS);
	assert_true(fileio_private_dir(dir, &why));
	assert_false(exists(old));
	assert_false(exists(old_fifo));
	assert_true(exists(fresh));
	assert_true(exists(keep));
	/* A replacement leaves no temporary behind, and makes its own with O_EXCL. */
	struct fileio_part part = {"new", 3};
	assert_null(fileio_replace(keep, NULL, &part, 1));
	assert_true(exists(fresh));
	sb_free(&why);
	free(dir);
	free(old);
	free(old_fifo);
	free(fresh);
	free(keep);
}

/* ---------------------------------------------------------------------------
 * The catalog: ctime (item 7), its paths (item 6), truncated under the reader (item 9)
 */

/* Item 7: a chmod (which changes the ctime only) is a change of the file. */
static void test_ctime_is_a_change(void **state)
{
	struct scratch *s = *state;
	struct collection c, back, now;
	struct strbuf why = {0};
	char *col;

	make_collection(s, &c, &col);
	char *file = path_in(s, "catalog");
	assert_null(catalog_write(&c, 7, file));
	collection_init(&back);
	assert_int_equal(catalog_read(&back, 7, file, &why), CATALOG_OK);
	collection_init(&now);
	loader_list_files(&now, col, &lean);
	assert_true(catalog_same_files(&back, &now));
	collection_free(&now);
	/* Let the clock pass a tick of the file system's timestamps, then chmod. */
	nanosleep(&(struct timespec){0, 30000000}, NULL);
	char *one = path_in(s, "col/one.txt");
	assert_int_equal(chmod(one, 0640), 0);
	collection_init(&now);
	loader_list_files(&now, col, &lean);
	assert_false(catalog_same_files(&back, &now));
	collection_free(&now);
	collection_free(&back);
	collection_free(&c);
	sb_free(&why);
	free(one);
	free(file);
	free(col);
}

/* Item 6: a catalog is used only for the paths it was made from. */
static void test_made_from(void **state)
{
	struct scratch *s = *state;
	struct collection c;
	char *col;

	make_collection(s, &c, &col);
	char *root = realpath(col, NULL), *other = path_in(s, "other");
	char rel[] = "col";
	char *roots[] = {root}, *others[] = {other}, *relative[] = {rel};
	/* The loader keeps the paths as given: absolute here. */
	assert_true(catalog_made_from(&c, roots, 1));
	assert_false(catalog_made_from(&c, others, 1));
	assert_false(catalog_made_from(&c, relative, 1));
	/* A forged path that leads out of the root through "..". */
	char *was = c.files.v[0].path, *forged;
	assert_true(asprintf(&forged, "%s/../../etc/passwd", root) > 0);
	c.files.v[0].path = forged;
	assert_false(catalog_made_from(&c, roots, 1));
	c.files.v[0].path = was;
	free(forged);
	/* A prefix of the name is not a parent directory. */
	root[strlen(root) - 1] = '\0'; /* ".../co" */
	assert_false(catalog_made_from(&c, roots, 1));
	collection_free(&c);
	free(root);
	free(other);
	free(col);
}

/* Item 9: the catalog cut short while its collection is in use: reading its strings
 * does not kill the process (SIGBUS), the catalog is found damaged, and its check
 * (catalog_verify) fails, so that the files are loaded again. */
static void test_truncated_under_reader(void **state)
{
	struct scratch *s = *state;
	struct collection c, back;
	struct strbuf why = {0};
	char *col;

	make_collection(s, &c, &col);
	/* Many long titles, so that the strings reach well past the first page. */
	for (int i = 0; i < 200; i++) {
		char name[64], *p;
		snprintf(name, sizeof name, "col/x%03d.txt", i);
		p = path_in(s, name);
		char text[512];
		snprintf(text, sizeof text, "Title %d %0200d\n\n2020-01-01\n\nBody %d.\n", i, i, i);
		write_text(p, text);
		free(p);
	}
	collection_free(&c);
	collection_init(&c);
	loader_load_path_opts(&c, col, &lean);
	collection_finish(&c);
	char *file = path_in(s, "catalog");
	assert_null(catalog_write(&c, 9, file));
	collection_init(&back);
	assert_int_equal(catalog_read(&back, 9, file, &why), CATALOG_OK);
	assert_true(catalog_verify(&back));
	assert_false(catalog_damaged(&back));
	assert_int_equal(truncate(file, 4096), 0);
	volatile size_t sum = 0; /* volatile: the reads are not optimised away */
	for (size_t i = 0; i < collection_count(&back); i++) {
		const struct article *a = collection_article(&back, i);
		for (size_t k = 0; k < a->title.n; k++)
			sum += (unsigned char)a->title.p[k];
		sum += strlen(a->id);
	}
	(void)sum;
	assert_true(catalog_damaged(&back));
	assert_false(catalog_verify(&back));
	collection_free(&back);
	/* Read again, the short catalog is refused. */
	collection_init(&back);
	sb_clear(&why);
	assert_int_equal(catalog_read(&back, 9, file, &why), CATALOG_CORRUPT);
	collection_free(&back);
	collection_free(&c);
	sb_free(&why);
	free(file);
	free(col);
}

/* ---------------------------------------------------------------------------
 * The marks: a held lock (item 5), a state file too large (item 10), the log
 */

/* Hold dir/state.lock as another reader would: the descriptor (close it to release). */
static int hold_lock(const char *dir)
{
	char *p;
	assert_true(asprintf(&p, "%s/state.lock", dir) > 0);
	int fd = open(p, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	free(p);
	return fd;
}

/* Item 5: with the lock held elsewhere and no wait asked for, a save fails at once,
 * saying so, and keeps the marks in memory, dirty, until a save succeeds. */
static void test_lock_held(void **state)
{
	struct scratch *s = *state;
	char *dir = path_in(s, "state");
	struct marks st, back;
	struct content_id id = {3, 4};

	assert_int_equal(mkdir(dir, 0700), 0);
	int fd = hold_lock(dir);
	marks_init(&st, dir);
	st.lock_wait_ms = 0;
	marks_set(&st, &id, MARK_READ, true);
	assert_false(marks_save(&st));
	assert_true(st.locked_out);
	assert_true(st.dirty);
	assert_true(marks_get(&st, &id, MARK_READ));
	assert_non_null(strstr(st.problems.v[0], "another reader holds the lock"));
	/* Loading does not need the lock. */
	marks_init(&back, dir);
	assert_true(marks_load(&back));
	marks_free(&back);
	close(fd);
	assert_true(marks_save(&st));
	assert_false(st.dirty);
	marks_init(&back, dir);
	assert_true(marks_load(&back));
	assert_true(marks_get(&back, &id, MARK_READ));
	marks_free(&back);
	marks_free(&st);
	free(dir);
}

/* Item 5, the reader's side: while another reader holds the lock, marking an article
 * keeps it marked, the status line says the marks are not saved and why, and the
 * save at exit (which may wait) saves it once the lock is free. */
static void test_app_lock_held(void **state)
{
	struct scratch *s = *state;
	char *dir = path_in(s, "state");
	struct collection c;
	struct app a;
	struct marks back;

	assert_int_equal(mkdir(dir, 0700), 0);
	test_load_seed(&c, "seed");
	app_init(&a, &c, 24, 80);
	app_marks_open(&a, dir, NULL);
	int fd = hold_lock(dir);
	app_apply(&a, ACTION_TOGGLE_READ, 0);
	assert_true(app_is_read(&a, 0));
	assert_false(app_marks_save(&a, NULL));
	assert_non_null(strstr(a.message, "Marks not saved: another reader holds the lock"));
	assert_true(app_is_read(&a, 0));
	/* Straight after, no new try (a pause that doubles): nothing is waited for. */
	assert_true(app_marks_save(&a, NULL));
	close(fd);
	FILE *err = tmpfile();
	assert_true(app_marks_save(&a, err));
	fclose(err);
	marks_init(&back, dir);
	assert_true(marks_load(&back));
	struct content_id id;
	article_identity(collection_article(&c, 0), &id);
	assert_true(marks_get(&back, &id, MARK_READ));
	marks_free(&back);
	app_free(&a);
	collection_free(&c);
	free(dir);
}

static struct content_id id_n(uint64_t i)
{
	return (struct content_id){i * 0x9E3779B97F4A7C15u + 1, i};
}

/* Item 10: a state file over the size limit keeps the marks of its complete lines
 * up to the limit; it is set aside, and they are saved again. */
static void test_too_large_keeps_marks(void **state)
{
	struct scratch *s = *state;
	char *dir = path_in(s, "state");
	struct marks big, st, back;

	assert_int_equal(mkdir(dir, 0700), 0);
	marks_init(&big, dir);
	for (uint64_t i = 0; i < 1000; i++) {
		struct content_id id = id_n(i);
		marks_set(&big, &id, MARK_READ, true);
	}
	assert_true(marks_save(&big));
	marks_init(&st, dir);
	st.max_bytes = 40000; /* about half of the 1000 records */
	assert_false(marks_load(&st));
	assert_non_null(strstr(st.problems.v[0], "too large"));
	assert_true(st.recs.n > 400 && st.recs.n < 1000);
	size_t kept = st.recs.n;
	assert_true(st.dirty);
	st.max_bytes = MARKS_MAX_BYTES;
	assert_true(marks_save(&st));
	marks_init(&back, dir);
	assert_true(marks_load(&back));
	assert_int_equal(back.recs.n, kept);
	marks_free(&back);
	marks_free(&st);
	marks_free(&big);
	free(dir);
}

static off_t size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_size : -1;
}

/* Item 10: past journal_min, a save appends the changed records to the log and leaves
 * the state file alone; another reader sees them (loading, and merging at its own
 * save); a line cut off by a killed writer is ignored and cut off; once the log
 * passes half the state file, a save compacts. */
static void test_marks_log(void **state)
{
	struct scratch *s = *state;
	char *dir = path_in(s, "state");
	char *file = path_in(s, "state/state"), *log = path_in(s, "state/state.log");
	struct marks a, b, back;

	assert_int_equal(mkdir(dir, 0700), 0);
	marks_init(&a, dir);
	a.journal_min = 0;
	for (uint64_t i = 0; i < 200; i++) {
		struct content_id id = id_n(i);
		marks_set(&a, &id, MARK_READ, true);
	}
	assert_true(marks_save(&a));
	assert_false(exists(log));
	off_t whole = size_of(file);
	struct stat before, after;
	assert_int_equal(stat(file, &before), 0);

	struct content_id x = id_n(5), y = id_n(1000);
	marks_set(&a, &x, MARK_BOOKMARK, true);
	assert_true(marks_save(&a));
	assert_int_equal(stat(file, &after), 0);
	assert_int_equal(before.st_ino, after.st_ino); /* not rewritten */
	assert_true(size_of(log) > 0 && size_of(log) < 100);

	/* Another reader: loads both files, then saves a change of its own. */
	marks_init(&b, dir);
	b.journal_min = 0;
	assert_true(marks_load(&b));
	assert_true(marks_get(&b, &x, MARK_BOOKMARK));
	marks_set(&b, &y, MARK_READ, true);
	assert_true(marks_save(&b));
	/* a's next save merges b's record from the log. */
	marks_set(&a, &x, MARK_READ, false);
	assert_true(marks_save(&a));
	assert_true(marks_get(&a, &y, MARK_READ));

	/* A writer killed mid-line: the piece is ignored, then cut off. */
	FILE *f = fopen(log, "ab");
	assert_non_null(f);
	fputs("0123456789abcdef0123", f);
	fclose(f);
	marks_init(&back, dir);
	assert_true(marks_load(&back));
	assert_false(marks_get(&back, &x, MARK_READ));
	assert_true(marks_get(&back, &y, MARK_READ));
	marks_free(&back);
	marks_set(&a, &x, MARK_READ, true);
	assert_true(marks_save(&a));
	marks_init(&back, dir);
	assert_true(marks_load(&back));
	assert_int_equal(back.problems.n, 0);
	assert_true(marks_get(&back, &x, MARK_READ));
	marks_free(&back);

	/* Enough changes: the log is folded into the state file and removed. */
	for (uint64_t i = 0; i < 200 && exists(log); i++) {
		struct content_id id = id_n(i);
		marks_set(&a, &id, MARK_BOOKMARK, true);
		assert_true(marks_save(&a));
	}
	assert_false(exists(log));
	assert_true(size_of(file) > whole);
	marks_init(&back, dir);
	assert_true(marks_load(&back));
	assert_true(marks_get(&back, &y, MARK_READ));
	assert_true(marks_get(&back, &x, MARK_READ));
	assert_int_equal(back.recs.n, 201);
	marks_free(&back);
	marks_free(&a);
	marks_free(&b);
	free(dir);
	free(file);
	free(log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_catalog_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_similar_cache_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_fifos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_not_a_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_private_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_state_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_state_dir_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_temporaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ctime_is_a_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_made_from, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_under_reader, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_app_lock_held, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_large_keeps_marks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_marks_log, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
