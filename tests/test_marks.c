/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_marks.c: read marks and bookmarks: content identities, the file's round trip,
 * corrupt files, merging two readers' saves, and the reader's u, *, ' and bold. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "format.h"
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app_marks.h"
#include "render.h"
#include "marks.h"

/* ---------------------------------------------------------------------------
 * Scratch directories
 */

struct scratch {
	char root[300];
	char dir[400]; /* root/xinwen: the state directory, not made in advance */
};

static int setup_dir(void **state)
{
	struct scratch *s = calloc(1, sizeof *s);
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp || strlen(tmp) > 256)
		tmp = "/tmp";
	snprintf(s->root, sizeof s->root, "%s/xinwen-state-XXXXXX", tmp);
	assert_non_null(mkdtemp(s->root));
	snprintf(s->dir, sizeof s->dir, "%s/xinwen", s->root);
	*state = s;
	return 0;
}

static int teardown_dir(void **state)
{
	struct scratch *s = *state;
	test_scratch_remove(s->root);
	free(s);
	return 0;
}

static char *path_in(const char *dir, const char *name)
{
	struct strbuf b = {0};
	sb_printf(&b, "%s/%s", dir, name);
	return b.s;
}

static void write_file(const char *dir, const char *name, const char *bytes, size_t n)
{
	char *p = path_in(dir, name);
	mkdir(dir, 0700);
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	free(p);
}

static char *read_whole(const char *dir, const char *name, size_t *n)
{
	char *p = path_in(dir, name);
	FILE *f = fopen(p, "rb");
	free(p);
	if (!f)
		return NULL;
	struct strbuf b = {0};
	char buf[4096];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		sb_append(&b, buf, got);
	fclose(f);
	*n = b.n;
	return b.s ? b.s : calloc(1, 1);
}

static bool exists(const char *dir, const char *name)
{
	char *p = path_in(dir, name);
	struct stat st;
	bool yes = lstat(p, &st) == 0;
	free(p);
	return yes;
}

/* How many entries of dir start with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static struct content_id id_n(uint64_t n)
{
	return (struct content_id){UINT64_C(0x1234567890abcdef), n};
}

/* ---------------------------------------------------------------------------
 * Identity
 */

/* The seed loaded under name, with from replaced by to in its bytes (NULL: as is). */
static void load_seed(struct collection *c, const char *name, const char *from, const char *to)
{
	size_t n;
	char *seed = test_read_seed(&n);
	struct strbuf b = {0};
	sb_append(&b, seed, n);
	free(seed);
	if (from) {
		char *at = strstr(b.s, from);
		assert_non_null(at);
		struct strbuf c2 = {0};
		sb_append(&c2, b.s, (size_t)(at - b.s));
		sb_puts(&c2, to);
		sb_puts(&c2, at + strlen(from));
		sb_free(&b);
		b = c2;
	}
	collection_init(c);
	assert_true(fmt_native_add_buffer(c, name, "seed", b.s, b.n));
	collection_finish(c);
	sb_free(&b);
}

static struct content_id seed_id(const char *name, const char *from, const char *to)
{
	struct collection c;
	struct content_id id;
	load_seed(&c, name, from, to);
	const struct article *a = NULL;
	for (size_t i = 0; i < c.articles.n && !a; i++)
		if (c.articles.v[i]->kind == ARTICLE_FULL)
			a = c.articles.v[i];
	assert_non_null(a);
	article_identity(a, &id);
	collection_free(&c);
	return id;
}

static bool same_id(struct content_id a, struct content_id b)
{
	return a.hi == b.hi && a.lo == b.lo;
}

static void test_identity_survives_moves_not_edits(void **state)
{
	(void)state;
	struct content_id here = seed_id("/home/a/news/000.txt", NULL, NULL);
	char hex[33];

	/* Another path and file name: the same article. */
	assert_true(same_id(here, seed_id("/mnt/elsewhere/renamed.txt", NULL, NULL)));
	/* The identity is part of the file format: it must never change between versions. */
	content_id_hex(&here, hex);
	assert_string_equal(hex, "c5b78ed7b71f10d2db27ab6a82937878");
	/* A changed title, date, source or body is another article. */
	assert_false(same_id(here, seed_id("x.txt", "閬中下足", "閬中下了")));
	assert_false(same_id(here, seed_id("x.txt", "2020-11-21", "2020-11-22")));
	assert_false(same_id(here, seed_id("x.txt", "四川觀察", "四川觀測")));
	assert_false(same_id(here, seed_id("x.txt", "精神文明建設", "精神文明建设")));
}

static void test_excerpt_identity(void **state)
{
	(void)state;
	struct collection c;
	load_seed(&c, "a.txt", NULL, NULL);
	const struct article *ex = c.articles.v[1]->kind == ARTICLE_EXCERPT ? c.articles.v[1]
									    : c.articles.v[2];
	assert_int_equal(ex->kind, ARTICLE_EXCERPT);
	struct content_id id1, id2, full;
	article_identity(ex, &id1);
	article_identity(c.articles.v[0], &full);
	assert_false(same_id(id1, full));
	/* An excerpt is its headline: the snippet that came with it does not count. */
	struct article copy = *ex;
	copy.body = (struct str){"another snippet", 15};
	article_identity(&copy, &id2);
	assert_true(same_id(id1, id2));
	/* A full article with the same title is not the excerpt. */
	copy.kind = ARTICLE_FULL;
	article_identity(&copy, &id2);
	assert_false(same_id(id1, id2));
	collection_free(&c);
}

/* ---------------------------------------------------------------------------
 * Format and round trip
 */

static void test_round_trip(void **state)
{
	struct scratch *d = *state;
	struct marks s, t;

	marks_init(&s, d->dir);
	for (uint64_t i = 0; i < 100; i++) {
		struct content_id id = id_n(i);
		marks_set(&s, &id, MARK_READ, i % 2 == 0);
		if (i % 3 == 0)
			marks_set(&s, &id, MARK_BOOKMARK, true);
	}
	assert_true(s.dirty);
	assert_true(marks_save(&s));
	assert_false(s.dirty);
	assert_int_equal(s.problems.n, 0);

	size_t n;
	char *text = read_whole(d->dir, "state", &n);
	assert_non_null(text);
	assert_int_equal(strncmp(text, "xinwen-state 1\n", 15), 0);
	assert_non_null(strstr(text, "\nend 100\n"));
	assert_int_equal(text[n - 1], '\n');
	free(text);
	assert_false(exists(d->dir, "state.tmp"));

	marks_init(&t, d->dir);
	assert_true(marks_load(&t));
	assert_int_equal(t.recs.n, 100);
	for (uint64_t i = 0; i < 100; i++) {
		struct content_id id = id_n(i);
		assert_int_equal(marks_get(&t, &id, MARK_READ), i % 2 == 0);
		assert_int_equal(marks_get(&t, &id, MARK_BOOKMARK), i % 3 == 0);
	}
	/* Formatting what was loaded gives the file back byte for byte. */
	struct strbuf again = {0};
	marks_format(&t, &again);
	text = read_whole(d->dir, "state", &n);
	assert_int_equal(again.n, n);
	assert_memory_equal(again.s, text, n);
	free(text);
	sb_free(&again);
	marks_free(&s);
	marks_free(&t);
}

static void test_memory_only_saves_nothing(void **state)
{
	struct scratch *d = *state;
	struct marks s;
	struct content_id id = id_n(1);

	marks_init(&s, NULL);
	marks_set(&s, &id, MARK_READ, true);
	assert_true(marks_save(&s));
	assert_true(marks_get(&s, &id, MARK_READ));
	assert_false(exists(d->root, "xinwen"));
	marks_free(&s);
}

static void test_default_dir(void **state)
{
	(void)state;
	struct strbuf b = {0};
	char *xdg = getenv("XDG_STATE_HOME") ? strdup(getenv("XDG_STATE_HOME")) : NULL;
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;

	setenv("XDG_STATE_HOME", "/x/state", 1);
	setenv("HOME", "/h", 1);
	assert_true(marks_default_dir(&b));
	assert_string_equal(sb_cstr(&b), "/x/state/xinwen");
	/* A relative XDG_STATE_HOME is ignored, as the XDG spec says. */
	sb_clear(&b);
	setenv("XDG_STATE_HOME", "rel/state", 1);
	assert_true(marks_default_dir(&b));
	assert_string_equal(sb_cstr(&b), "/h/.local/state/xinwen");
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	sb_clear(&b);
	assert_false(marks_default_dir(&b));
	if (xdg)
		setenv("XDG_STATE_HOME", xdg, 1);
	if (home)
		setenv("HOME", home, 1);
	free(xdg);
	free(home);
	sb_free(&b);
}

/* ---------------------------------------------------------------------------
 * Corrupt files
 */

#define GOOD_A "00000000000000000000000000000001 1 5 0 0\n"
#define GOOD_B "00000000000000000000000000000002 0 0 1 7\n"

#define NUL_CASE "xinwen-state 1\n" GOOD_A "\0\n" GOOD_B "end 2\n"

static const struct corrupt_case {
	const char *name;
	const char *bytes;
	size_t n;	     /* 0: strlen(bytes) */
	const char *message; /* the first problem: "state:" then this */
	size_t kept;	     /* valid records kept */
} corrupt_cases[] = {
	{"empty", "", 0, ": empty", 0},
	{"bad header", "xinwen-stat 1\n" GOOD_A "end 1\n", 0, ":1: not a xinwen state file", 0},
	{"other program's file", "[core]\nbare = false\n", 0, ":1: not a xinwen state file", 0},
	{"bad line", "xinwen-state 1\n" GOOD_A "0000 1 5 0 0\n" GOOD_B "end 2\n", 0,
	 ":3: not a record", 2},
	{"uppercase id",
	 "xinwen-state 1\n" GOOD_A "0000000000000000000000000000000A 1 5 0 0\nend 1\n", 0,
	 ":3: not a record", 1},
	{"flag not 0 or 1", "xinwen-state 1\n00000000000000000000000000000001 2 5 0 0\nend 0\n", 0,
	 ":2: not a record", 0},
	{"stamp too big",
	 "xinwen-state 1\n00000000000000000000000000000001 1 99999999999999999999 0 0\nend 0\n", 0,
	 ":2: not a record", 0},
	{"invalid UTF-8", "xinwen-state 1\n" GOOD_A "\xff\xfe\n" GOOD_B "end 2\n", 0,
	 ":3: invalid UTF-8", 2},
	{"not ASCII", "xinwen-state 1\n" GOOD_A "閬中\nend 1\n", 0,
	 ":3: unexpected character U+95AC", 1},
	{"NUL", NUL_CASE, sizeof NUL_CASE - 1, ":3: NUL byte", 2},
	{"escape", "xinwen-state 1\n\x1b]0;pwned\a\n" GOOD_A "end 1\n", 0,
	 ":2: control character 0x1B", 1},
	{"cut off mid-line", "xinwen-state 1\n" GOOD_A "000000000000000", 0,
	 ":3: incomplete last line", 1},
	{"cut off at a line", "xinwen-state 1\n" GOOD_A GOOD_B, 0, ":3: no end line", 2},
	{"wrong count", "xinwen-state 1\n" GOOD_A GOOD_B "end 3\n", 0, ":4: the end line's count",
	 2},
	{"after the end", "xinwen-state 1\n" GOOD_A "end 1\n" GOOD_B, 0,
	 ":4: text after the end line", 1},
};

static void check_corrupt(struct scratch *d, const struct corrupt_case *k)
{
	struct marks s;
	size_t n = k->n ? k->n : strlen(k->bytes);
	struct content_id mine = id_n(99);

	write_file(d->dir, "state", k->bytes, n);
	marks_init(&s, d->dir);
	marks_set(&s, &mine, MARK_BOOKMARK, true); /* a mark made before the load */
	assert_false(marks_load(&s));
	assert_true(s.problems.n >= 2);
	char *want = path_in(d->dir, "state");
	struct strbuf w = {0};
	sb_printf(&w, "%s%s", want, k->message);
	if (strncmp(s.problems.v[0], w.s, w.n) != 0)
		fail_msg("%s: got '%s', expected '%s...'", k->name, s.problems.v[0], w.s);
	/* Set aside, and said so last. */
	assert_false(exists(d->dir, "state"));
	assert_int_equal(count_prefixed(d->dir, "state.corrupt-"), 1);
	assert_non_null(strstr(s.problems.v[s.problems.n - 1], "set aside as"));
	if (s.recs.n != k->kept + 1)
		fail_msg("%s: %zu records kept, expected %zu", k->name, s.recs.n - 1, k->kept);
	assert_true(marks_get(&s, &mine, MARK_BOOKMARK));
	/* What was valid is written back, and the next load is clean. */
	assert_true(s.dirty);
	assert_true(marks_save(&s));
	struct marks t;
	marks_init(&t, d->dir);
	assert_true(marks_load(&t));
	assert_int_equal(t.recs.n, k->kept + 1);
	marks_free(&t);
	marks_free(&s);
	sb_free(&w);
	free(want);
}

static void test_corrupt_files(void **state)
{
	struct scratch *d = *state;
	for (size_t i = 0; i < sizeof corrupt_cases / sizeof *corrupt_cases; i++) {
		check_corrupt(d, &corrupt_cases[i]);
		/* Start the next case afresh. */
		test_scratch_remove(d->dir);
	}
}

/* A corrupt file with nothing valid in it is replaced by an empty, sound one. */
static void test_corrupt_file_replaced_by_empty(void **state)
{
	struct scratch *d = *state;
	struct marks s;

	write_file(d->dir, "state", "garbage\n", 8);
	marks_init(&s, d->dir);
	assert_false(marks_load(&s));
	assert_int_equal(s.recs.n, 0);
	assert_true(marks_save(&s));
	size_t n;
	char *text = read_whole(d->dir, "state", &n);
	assert_non_null(text);
	assert_string_equal(text, "xinwen-state 1\nend 0\n");
	free(text);
	marks_free(&s);
}

static void test_many_bad_lines_counted(void **state)
{
	(void)state;
	struct marks s;
	struct strbuf b = {0};

	sb_puts(&b, "xinwen-state 1\n");
	for (int i = 0; i < 50; i++)
		sb_puts(&b, "garbage\n");
	sb_puts(&b, "end 0\n");
	marks_init(&s, NULL);
	assert_int_equal(marks_parse(&s, "f", b.s, b.n), 6);
	assert_string_equal(s.problems.v[4], "f:6: not a record (ID READ STAMP BOOKMARK STAMP)");
	assert_string_equal(s.problems.v[5], "f: 45 more bad lines");
	marks_free(&s);
	sb_free(&b);
}

static void test_huge_file(void **state)
{
	struct scratch *d = *state;
	struct marks s;

	write_file(d->dir, "state", "xinwen-state 1\n", 15);
	char *p = path_in(d->dir, "state");
	/* A limit of 1 MiB for the test (the real one, MARKS_MAX_BYTES, is 256 MiB). */
	assert_int_equal(truncate(p, ((off_t)1 << 20) + 1), 0); /* sparse: no disk used */
	marks_init(&s, d->dir);
	s.max_bytes = (size_t)1 << 20;
	assert_false(marks_load(&s));
	assert_non_null(strstr(s.problems.v[0], ": too large ("));
	assert_int_equal(strncmp(s.problems.v[0], p, strlen(p)), 0);
	assert_false(exists(d->dir, "state"));
	assert_int_equal(count_prefixed(d->dir, "state.corrupt-"), 1);
	marks_free(&s);
	free(p);
}

static void test_not_a_regular_file(void **state)
{
	struct scratch *d = *state;
	struct marks s;

	mkdir(d->dir, 0700);
	char *p = path_in(d->dir, "state");
	assert_int_equal(mkdir(p, 0700), 0);
	marks_init(&s, d->dir);
	assert_false(marks_load(&s));
	assert_non_null(strstr(s.problems.v[0], "not a regular file"));
	assert_false(exists(d->dir, "state"));
	free(p);
	/* A symlink is not followed: set aside too. */
	p = path_in(d->dir, "state");
	assert_int_equal(symlink("/etc/passwd", p), 0);
	marks_free(&s);
	marks_init(&s, d->dir);
	assert_false(marks_load(&s));
	assert_false(exists(d->dir, "state"));
	assert_int_equal(count_prefixed(d->dir, "state.corrupt-"), 2);
	marks_free(&s);
	free(p);
}

static void test_newer_format_left_alone(void **state)
{
	struct scratch *d = *state;
	struct marks s;
	const char *text = "xinwen-state 2\nwhatever a later version writes\n";
	struct content_id id = id_n(1);

	write_file(d->dir, "state", text, strlen(text));
	marks_init(&s, d->dir);
	assert_false(marks_load(&s));
	assert_non_null(strstr(s.problems.v[0], ":1: format 2 is newer"));
	marks_set(&s, &id, MARK_READ, true);
	assert_false(marks_save(&s));
	size_t n;
	char *now = read_whole(d->dir, "state", &n);
	assert_non_null(now);
	assert_int_equal(n, strlen(text));
	assert_memory_equal(now, text, n);
	assert_int_equal(count_prefixed(d->dir, "state.corrupt-"), 0);
	free(now);
	marks_free(&s);
}

static void test_stale_temporary_file_ignored(void **state)
{
	struct scratch *d = *state;
	struct marks s, t;
	struct content_id id = id_n(5);

	marks_init(&s, d->dir);
	marks_set(&s, &id, MARK_READ, true);
	assert_true(marks_save(&s));
	/* What a writer killed before its rename leaves. */
	write_file(d->dir, "state.tmp", "xinwen-state 1\n000", 18);
	marks_init(&t, d->dir);
	assert_true(marks_load(&t));
	assert_int_equal(t.problems.n, 0);
	assert_true(marks_get(&t, &id, MARK_READ));
	assert_false(exists(d->dir, "state.tmp"));
	marks_free(&s);
	marks_free(&t);
}

/* ---------------------------------------------------------------------------
 * Two readers
 */

static void test_two_readers_merge(void **state)
{
	struct scratch *d = *state;
	struct marks first, a, b, check;
	struct content_id x = id_n(1), y = id_n(2), z = id_n(3);

	/* Both readers start from a file where x is read and bookmarked. */
	marks_init(&first, d->dir);
	marks_set(&first, &x, MARK_READ, true);
	marks_set(&first, &x, MARK_BOOKMARK, true);
	assert_true(marks_save(&first));
	marks_init(&a, d->dir);
	marks_init(&b, d->dir);
	assert_true(marks_load(&a));
	assert_true(marks_load(&b));

	/* a turns x's read mark off and marks y; b bookmarks z and drops x's bookmark. */
	marks_set(&a, &x, MARK_READ, false);
	marks_set(&a, &y, MARK_READ, true);
	marks_set(&b, &z, MARK_BOOKMARK, true);
	marks_set(&b, &x, MARK_BOOKMARK, false);
	assert_true(marks_save(&a));
	assert_true(marks_save(&b));
	/* b's save took a's changes in, and kept its own. */
	assert_false(marks_get(&b, &x, MARK_READ));
	assert_true(marks_get(&b, &y, MARK_READ));
	assert_false(marks_get(&b, &x, MARK_BOOKMARK));
	/* a saves again with nothing new: x stays off everywhere, b's marks stay. */
	a.dirty = true;
	assert_true(marks_save(&a));
	marks_init(&check, d->dir);
	assert_true(marks_load(&check));
	assert_false(marks_get(&check, &x, MARK_READ));
	assert_false(marks_get(&check, &x, MARK_BOOKMARK));
	assert_true(marks_get(&check, &y, MARK_READ));
	assert_true(marks_get(&check, &z, MARK_BOOKMARK));
	assert_true(marks_get(&a, &z, MARK_BOOKMARK));
	marks_free(&first);
	marks_free(&a);
	marks_free(&b);
	marks_free(&check);
}

static void test_merge_newer_wins_either_order(void **state)
{
	(void)state;
	struct marks a, b, ab, ba;
	struct content_id x = id_n(1);

	marks_init(&a, NULL);
	marks_init(&b, NULL);
	marks_set(&a, &x, MARK_READ, true);
	marks_set(&b, &x, MARK_READ, false); /* later */
	marks_init(&ab, NULL);
	marks_merge(&ab, &a);
	marks_merge(&ab, &b);
	marks_init(&ba, NULL);
	marks_merge(&ba, &b);
	marks_merge(&ba, &a);
	assert_false(marks_get(&ab, &x, MARK_READ));
	assert_false(marks_get(&ba, &x, MARK_READ));
	/* A tie (the same nanosecond) goes to "on" whatever the order. */
	struct marks_record on = {.id = x, .on = {true}, .stamp = {42}};
	struct marks_record off = {.id = x, .on = {false}, .stamp = {42}};
	struct marks t1, t2;
	marks_init(&t1, NULL);
	marks_init(&t2, NULL);
	VEC_PUSH(&t1.recs, on);
	VEC_PUSH(&t2.recs, off);
	marks_free(&ab);
	marks_init(&ab, NULL);
	marks_merge(&ab, &t1);
	marks_merge(&ab, &t2);
	marks_free(&ba);
	marks_init(&ba, NULL);
	marks_merge(&ba, &t2);
	marks_merge(&ba, &t1);
	assert_true(marks_get(&ab, &x, MARK_READ));
	assert_true(marks_get(&ba, &x, MARK_READ));
	marks_free(&a);
	marks_free(&b);
	marks_free(&ab);
	marks_free(&ba);
	marks_free(&t1);
	marks_free(&t2);
}

/* ---------------------------------------------------------------------------
 * The reader: bold unread headlines, the count, u, * and '
 */

struct fixture {
	struct scratch dir;
	struct collection c;
	struct app app;
	struct grid grid;
};

static int setup_app(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	void *d;
	setup_dir(&d);
	f->dir = *(struct scratch *)d;
	free(d);
	load_seed(&f->c, "seed.txt", NULL, NULL);
	app_init(&f->app, &f->c, 40, 120);
	*state = f;
	return 0;
}

static int teardown_app(void **state)
{
	struct fixture *f = *state;
	app_free(&f->app);
	grid_free(&f->grid);
	collection_free(&f->c);
	test_scratch_remove(f->dir.root);
	free(f);
	return 0;
}

static const char *row_text(struct fixture *f, int y)
{
	static struct strbuf sb;
	sb_free(&sb);
	render(&f->app, &f->grid);
	grid_row_text(&f->grid, y, &sb);
	return sb_cstr(&sb);
}

/* The style of the title of list row y (the title starts after the date column). */
static int title_style(struct fixture *f, int y)
{
	render(&f->app, &f->grid);
	return grid_at(&f->grid, y, 13)->style;
}

static const char *status(struct fixture *f)
{
	return row_text(f, f->app.rows - 1);
}

static void test_app_unread_bold_and_counted(void **state)
{
	struct fixture *f = *state;
	size_t n = f->c.articles.n, full = 0;
	char want[64];

	for (size_t i = 0; i < n; i++) /* excerpts are not unread articles */
		full += f->c.articles.v[i]->kind == ARTICLE_FULL;
	snprintf(want, sizeof want, "Article 1/%zu · %zu unread", n, full);
	if (!strstr(status(f), want))
		fail_msg("status '%s', expected '%s'", status(f), want);
	assert_int_equal(title_style(f, 0), STYLE_LIST_SELECTED_UNREAD);
	assert_int_equal(title_style(f, 1), STYLE_LIST_UNREAD);

	/* Moving in the list only shows the article: it stays unread. */
	app_key(&f->app, 'j');
	app_key(&f->app, 'k');
	assert_int_equal(app_unread_count(&f->app), full);
	/* Opening marks read. */
	app_key(&f->app, KEYC_RETURN);
	assert_true(app_is_read(&f->app, 0));
	snprintf(want, sizeof want, "· %zu unread", full - 1);
	assert_non_null(strstr(status(f), want));
	app_key(&f->app, 'q');
	assert_int_equal(title_style(f, 0), STYLE_LIST_SELECTED);
	app_key(&f->app, 'j');
	assert_int_equal(title_style(f, 0), STYLE_NORMAL);
	assert_int_equal(title_style(f, 1), STYLE_LIST_SELECTED_UNREAD);
}

static void test_app_u_toggles(void **state)
{
	struct fixture *f = *state;

	app_key(&f->app, 'u');
	assert_true(app_is_read(&f->app, 0));
	assert_non_null(strstr(f->app.message, "Marked read"));
	app_key(&f->app, 'u');
	assert_false(app_is_read(&f->app, 0));
	/* In the pane u makes the open article unread, and it stays so while it is open. */
	app_key(&f->app, KEYC_RETURN);
	assert_true(app_is_read(&f->app, 0));
	app_key(&f->app, 'u');
	assert_false(app_is_read(&f->app, 0));
	app_key(&f->app, 'j');
	assert_false(app_is_read(&f->app, 0));
	/* Leaving and opening it again reads it again. */
	app_key(&f->app, 'q');
	app_key(&f->app, KEYC_RETURN);
	assert_true(app_is_read(&f->app, 0));
}

static void test_app_excerpts_and_links_marked(void **state)
{
	struct fixture *f = *state;

	app_key(&f->app, KEYC_RETURN);
	app_key(&f->app, '3'); /* an excerpt: 3 Enter */
	app_key(&f->app, KEYC_RETURN);
	const struct article *ex = f->c.articles.v[f->app.list.sel];
	assert_int_equal(ex->kind, ARTICLE_EXCERPT);
	assert_true(app_is_read(&f->app, f->app.list.sel));
	app_key(&f->app, '*');
	assert_true(app_is_bookmarked(&f->app, f->app.list.sel));
	app_key(&f->app, 'h');
	assert_int_equal(f->app.list.sel, 0);
	assert_int_equal(app_unread_count(&f->app), 0); /* the seed; an excerpt is none */
}

/* Identical copies share their marks: opening, u and * change every copy, the count too,
 * and the others' marks stay as they were. */
static void test_app_copies_marked_together(void **state)
{
	static const char text[] = "Same story\n\n2020-01-02 Source\n\nThe same body.\n";
	static const char other[] = "Another story\n\n2020-01-01 Source\n\nAnother body.\n";
	struct collection c;
	struct app a;

	(void)state;
	collection_init(&c);
	fmt_native_add_buffer(&c, "a.txt", "a", text, strlen(text));
	fmt_native_add_buffer(&c, "b.txt", "b", other, strlen(other));
	fmt_native_add_buffer(&c, "c.txt", "c", text, strlen(text));
	collection_finish(&c);
	assert_int_equal(c.articles.n, 3);
	size_t same[2], k = 0, diff = 0;
	for (size_t i = 0; i < 3; i++)
		if (strcmp(c.articles.v[i]->id, "b") == 0)
			diff = i;
		else
			same[k++] = i;
	app_init(&a, &c, 24, 80);
	while (a.list.sel != same[0])
		app_key(&a, 'j');
	app_key(&a, KEYC_RETURN);
	assert_true(app_is_read(&a, same[0]) && app_is_read(&a, same[1]));
	assert_false(app_is_read(&a, diff));
	assert_int_equal(app_unread_count(&a), 1);
	app_key(&a, 'u');
	assert_false(app_is_read(&a, same[0]) || app_is_read(&a, same[1]));
	assert_int_equal(app_unread_count(&a), 3);
	app_key(&a, '*');
	assert_true(app_is_bookmarked(&a, same[0]) && app_is_bookmarked(&a, same[1]));
	assert_false(app_is_bookmarked(&a, diff));
	assert_int_equal(app_unread_count(&a), 3);
	/* Kept in memory only: saving has nothing to do and changes nothing. */
	assert_true(app_marks_save(&a, NULL));
	assert_true(app_is_bookmarked(&a, same[1]));
	app_free(&a);
	collection_free(&c);
}

static void test_app_bookmarks_view(void **state)
{
	struct fixture *f = *state;
	size_t n = f->c.articles.n;
	char want[64];

	app_key(&f->app, '\'');
	assert_false(f->app.list.filtered);
	assert_non_null(strstr(f->app.message, "No bookmarks"));

	/* Bookmark rows 1 and 3: a star in the list's first column. */
	app_key(&f->app, 'j');
	app_key(&f->app, '*');
	app_key(&f->app, 'j');
	app_key(&f->app, 'j');
	app_key(&f->app, '*');
	assert_int_equal(row_text(f, 1)[0], '*');
	assert_int_equal(row_text(f, 3)[0], '*');
	assert_int_equal(row_text(f, 2)[0], ' ');

	app_key(&f->app, '\'');
	assert_true(f->app.list.filtered && f->app.list.bookmarks_only);
	assert_int_equal(app_list_count(&f->app), 2);
	assert_int_equal(app_list_article(&f->app, 0), 1);
	assert_int_equal(app_list_article(&f->app, 1), 3);
	assert_int_equal(f->app.list.sel, 3);
	snprintf(want, sizeof want, "Bookmarks: 2 of %zu · Article 2/2", n);
	assert_non_null(strstr(status(f), want));

	/* Dropping a bookmark in the view takes it out and selects the nearest one left. */
	app_key(&f->app, '*');
	assert_int_equal(app_list_count(&f->app), 1);
	assert_int_equal(f->app.list.sel, 1);
	/* ' again shows all. */
	app_key(&f->app, '\'');
	assert_false(f->app.list.filtered);
	assert_false(f->app.list.bookmarks_only);
	assert_int_equal(app_list_count(&f->app), n);

	/* Esc leaves the view too; a search filter replaces it. */
	app_key(&f->app, '\'');
	assert_true(f->app.list.bookmarks_only);
	app_key(&f->app, KEYC_ESC);
	assert_false(f->app.list.filtered);
	app_key(&f->app, '\'');
	app_key(&f->app, '/');
	app_key(&f->app, 0x95ac); /* 閬 */
	app_settle(&f->app);
	assert_true(f->app.list.filtered);
	assert_false(f->app.list.bookmarks_only);
	assert_true(app_list_count(&f->app) > 1);
	app_key(&f->app, KEYC_ESC);

	/* Dropping the last bookmark in the view shows all. */
	app_key(&f->app, '\'');
	assert_true(f->app.list.bookmarks_only);
	app_key(&f->app, '*');
	assert_false(f->app.list.filtered);
	assert_non_null(strstr(f->app.message, "No bookmarks left"));
}

static void test_app_marks_persist(void **state)
{
	struct fixture *f = *state;
	struct app again;

	assert_true(app_marks_open(&f->app, f->dir.dir, NULL));
	app_key(&f->app, KEYC_RETURN); /* read the seed */
	app_key(&f->app, '*');
	app_key(&f->app, 'q');
	assert_true(app_marks_save(&f->app, NULL));
	assert_true(exists(f->dir.dir, "state"));

	/* Another reader of the same collection, loaded from elsewhere, sees them. */
	struct collection moved;
	load_seed(&moved, "/somewhere/else/copy.txt", NULL, NULL);
	app_init(&again, &moved, 40, 120);
	assert_false(app_is_read(&again, 0));
	assert_true(app_marks_open(&again, f->dir.dir, NULL));
	assert_true(app_is_read(&again, 0));
	assert_true(app_is_bookmarked(&again, 0));
	assert_int_equal(app_unread_count(&again), 0); /* the seed; its excerpts are none */
	app_free(&again);
	collection_free(&moved);
}

static void test_app_save_failure_shown(void **state)
{
	struct fixture *f = *state;

	/* The state directory's place is taken by a file: saving must fail, and say so. */
	write_file(f->dir.root, "xinwen", "", 0);
	assert_false(app_marks_open(&f->app, f->dir.dir, NULL));
	assert_non_null(strstr(f->app.message, "Marks: "));
	app_key(&f->app, 'u');
	f->app.message[0] = '\0';
	assert_false(app_marks_save(&f->app, NULL));
	assert_non_null(strstr(f->app.message, "Marks not saved"));
	assert_true(app_is_read(&f->app, 0)); /* kept in memory */
}

static void test_app_corrupt_file_reported(void **state)
{
	struct fixture *f = *state;
	const char *bad = "xinwen-state 1\n\x1b[31mred\nend 0\n";

	write_file(f->dir.dir, "state", bad, strlen(bad));
	assert_false(app_marks_open(&f->app, f->dir.dir, NULL));
	assert_non_null(strstr(f->app.message, "state:2: control character 0x1B"));
	assert_int_equal(count_prefixed(f->dir.dir, "state.corrupt-"), 1);
	/* The message reaches the screen sanitized: no ESC in any cell. */
	render(&f->app, &f->grid);
	for (int x = 0; x < f->grid.cols; x++) {
		const struct cell *c = grid_at(&f->grid, f->app.rows - 1, x);
		for (int k = 0; k < c->ncp; k++)
			assert_true(c->cp[k] >= 0x20);
	}
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_survives_moves_not_edits),
		cmocka_unit_test(test_excerpt_identity),
		cmocka_unit_test_setup_teardown(test_round_trip, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_memory_only_saves_nothing, setup_dir,
						teardown_dir),
		cmocka_unit_test(test_default_dir),
		cmocka_unit_test_setup_teardown(test_corrupt_files, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_corrupt_file_replaced_by_empty, setup_dir,
						teardown_dir),
		cmocka_unit_test(test_many_bad_lines_counted),
		cmocka_unit_test_setup_teardown(test_huge_file, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_not_a_regular_file, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_newer_format_left_alone, setup_dir,
						teardown_dir),
		cmocka_unit_test_setup_teardown(test_stale_temporary_file_ignored, setup_dir,
						teardown_dir),
		cmocka_unit_test_setup_teardown(test_two_readers_merge, setup_dir, teardown_dir),
		cmocka_unit_test(test_merge_newer_wins_either_order),
		cmocka_unit_test_setup_teardown(test_app_unread_bold_and_counted, setup_app,
						teardown_app),
		cmocka_unit_test_setup_teardown(test_app_u_toggles, setup_app, teardown_app),
		cmocka_unit_test_setup_teardown(test_app_excerpts_and_links_marked, setup_app,
						teardown_app),
		cmocka_unit_test(test_app_copies_marked_together),
		cmocka_unit_test_setup_teardown(test_app_bookmarks_view, setup_app, teardown_app),
		cmocka_unit_test_setup_teardown(test_app_marks_persist, setup_app, teardown_app),
		cmocka_unit_test_setup_teardown(test_app_save_failure_shown, setup_app,
						teardown_app),
		cmocka_unit_test_setup_teardown(test_app_corrupt_file_reported, setup_app,
						teardown_app),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
