/* SPDX-License-Identifier: GPL-3.0-or-later */
/* testutil.c: what several cmocka tests share. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unistr.h>

#include "body.h"
#include "format.h"
#include "testutil.h"

#define SEED_NAME "000_bc5b92f142057c5b.txt"

char *test_read_seed(size_t *n)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/data/" SEED_NAME, top && *top ? top : ".");
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	char *buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return buf;
}

void test_load_seed(struct collection *c, const char *id)
{
	size_t n;
	char *seed = test_read_seed(&n);
	collection_init(c);
	assert_true(fmt_native_add_buffer(c, "seed.txt", id, seed, n));
	free(seed);
	collection_finish(c);
}

void test_type(struct app *a, const char *text)
{
	const uint8_t *p = (const uint8_t *)text;
	while (*p) {
		ucs4_t uc;
		p += u8_strmbtouc(&uc, p);
		app_key(a, (int)uc);
	}
	app_settle(a);
}

bool test_scratch_dir(char *root, size_t size, const char *tag)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp || strlen(tmp) > 256)
		tmp = "/tmp";
	snprintf(root, size, "%s/xinwen-%s-XXXXXX", tmp, tag);
	return mkdtemp(root) != NULL;
}

struct test_app *test_app_new(void)
{
	struct test_app *f = calloc(1, sizeof *f);
	assert_non_null(f);
	collection_init(&f->c);
	return f;
}

void test_app_start(struct test_app *f, int rows, int cols)
{
	app_init(&f->app, &f->c, rows, cols);
}

struct test_app *test_app_seed(const char *id, int rows, int cols)
{
	struct test_app *f = test_app_new();
	collection_free(&f->c);
	test_load_seed(&f->c, id);
	test_app_start(f, rows, cols);
	return f;
}

void test_app_clear(struct test_app *f)
{
	app_free(&f->app);
	grid_free(&f->grid);
	sb_free(&f->text);
	collection_free(&f->c);
}

void test_app_free(struct test_app *f)
{
	if (!f)
		return;
	test_app_clear(f);
	free(f);
}

int test_app_setup_seed(void **state)
{
	*state = test_app_seed("000_bc5b92f142057c5b", 40, 120);
	return 0;
}

int test_app_teardown(void **state)
{
	test_app_free(*state);
	return 0;
}

const char *test_app_row(struct test_app *f, int y)
{
	render(&f->app, &f->grid);
	sb_clear(&f->text);
	grid_row_text(&f->grid, y, &f->text);
	return sb_cstr(&f->text);
}

const char *test_app_status(struct test_app *f)
{
	return test_app_row(f, f->app.rows - 1);
}

const char *test_app_screen(struct test_app *f)
{
	render(&f->app, &f->grid);
	sb_clear(&f->text);
	for (int y = 0; y < f->grid.rows; y++) {
		grid_row_text(&f->grid, y, &f->text);
		sb_putc(&f->text, '\n');
	}
	return sb_cstr(&f->text);
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	(void)st;
	if (flag == FTW_DP || flag == FTW_D)
		return rmdir(path);
	return unlink(path);
}

int test_scratch_remove(const char *root)
{
	return nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

void test_assert_str_equal(struct str a, struct str b)
{
	assert_int_equal(a.n, b.n);
	if (a.n)
		assert_memory_equal(a.p, b.p, a.n);
}

void test_assert_same_fields(const struct article *x, const struct article *y)
{
	struct content_id ix, iy;
	char *bx, *by;

	assert_string_equal(x->id, y->id);
	test_assert_str_equal(x->title, y->title);
	test_assert_str_equal(x->date, y->date);
	test_assert_str_equal(x->source, y->source);
	test_assert_str_equal(x->time, y->time);
	test_assert_str_equal(x->url, y->url);
	assert_int_equal(x->line, y->line);
	article_identity(x, &ix);
	article_identity(y, &iy);
	assert_memory_equal(&ix, &iy, sizeof ix);
	struct str tx = article_body_peek(x, &bx), ty = article_body_peek(y, &by);
	test_assert_str_equal(tx, ty);
	free(bx);
	free(by);
}

static int cmp_id(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

void test_assert_ids_unique(const struct collection *c)
{
	const char **ids = malloc((collection_count(c) + 1) * sizeof *ids);

	assert_non_null(ids);
	for (size_t i = 0; i < collection_count(c); i++)
		ids[i] = collection_article(c, i)->id;
	qsort(ids, collection_count(c), sizeof *ids, cmp_id);
	for (size_t i = 1; i < collection_count(c); i++)
		assert_string_not_equal(ids[i - 1], ids[i]);
	free(ids);
}

void test_assert_same_records(const struct collection *a, const struct collection *b)
{
	assert_int_equal(collection_count(a), collection_count(b));
	for (size_t i = 0; i < collection_count(a); i++) {
		const struct article *x = collection_article(a, i), *y = collection_article(b, i);

		assert_string_equal(x->id, y->id);
		test_assert_str_equal(x->title, y->title);
		test_assert_str_equal(x->source, y->source);
		test_assert_str_equal(x->time, y->time);
		test_assert_str_equal(x->url, y->url);
		assert_int_equal(x->rec_off, y->rec_off);
		assert_int_equal(x->rec_len, y->rec_len);
		assert_int_equal(x->file, y->file);
		assert_int_equal(x->body.n, y->body.n);
		assert_true(x->ident.hi == y->ident.hi && x->ident.lo == y->ident.lo);
	}
	test_assert_same_diags(a, b);
	for (size_t i = 0; i < a->diags.n; i++)
		assert_int_equal(a->diags.v[i].file_no, b->diags.v[i].file_no);
	assert_int_equal(a->files.n, b->files.n);
}

void test_assert_same_diags(const struct collection *x, const struct collection *y)
{
	assert_int_equal(x->diags.n, y->diags.n);
	for (size_t i = 0; i < x->diags.n; i++) {
		assert_string_equal(x->diags.v[i].file, y->diags.v[i].file);
		assert_int_equal(x->diags.v[i].line, y->diags.v[i].line);
		assert_string_equal(x->diags.v[i].msg, y->diags.v[i].msg);
	}
}
