/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_zip.c: collections in zip archives (zipcoll.h). An archive loads as its members
 * would from a directory, every body read back from the archive on demand the same as a
 * full parse; its catalog keeps every field and member; an archive changed since (a
 * member replaced) is noticed, and a body of the replaced member is never the new
 * member's; loading it again takes its unchanged members from the catalog; hostile archives (unsafe names, a duplicate name, an encrypted member, a
 * member inflating past what it declares, one too large, a damaged one, a compressed
 * member of records too large to read back, a truncated archive) are each one message
 * naming the archive and the member, and every good member still loads. The archives
 * are written with libzip, then patched byte by byte where libzip would not write them. */
#include <config.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "app.h"
#include "app_internal.h"
#include "body.h"
#include "catalog.h"
#include "collection.h"
#include "decode.h"
#include "keys.h"
#include "loader.h"
#include "reload.h"
#include "startup.h"
#include "testutil.h"
#include "zipcoll.h"

static const struct load_opts lean = {.format = FORMAT_AUTO, .lean = true};
static const struct load_opts full = {.format = FORMAT_AUTO};

/* ---------------------------------------------------------------------------
 * Scratch directories and archives
 */

struct scratch {
	char root[512];
	char *zip;  /* root/col.zip */
	char *file; /* its catalog */
	uint64_t key;
};

static char *path_in(const struct scratch *s, const char *rel)
{
	char *p;

	assert_true(asprintf(&p, "%s/%s", s->root, rel) > 0);
	return p;
}

static int setup(void **state)
{
	struct scratch *s = calloc(1, sizeof *s);

	if (!s || !test_scratch_dir(s->root, sizeof s->root, "zip"))
		return -1;
	char *cache = path_in(s, "cache");
	setenv("XDG_CACHE_HOME", cache, 1);
	free(cache);
	s->zip = path_in(s, "col.zip");
	s->key = catalog_key(&s->zip, 1, &lean);
	s->file = catalog_path(s->key);
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	struct scratch *s = *state;

	test_scratch_remove(s->root);
	free(s->zip);
	free(s->file);
	free(s);
	return 0;
}

/* A member to write: its name, bytes (n: their length, or 0 for strlen) and method. */
struct member {
	const char *name;
	const char *bytes;
	size_t n;
	bool stored;
};

/* Write the archive path holding members[0..n) (a NULL bytes: a directory). */
static void write_zip(const char *path, const struct member *m, size_t n)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);

	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		if (!m[i].bytes) {
			assert_true(zip_dir_add(z, m[i].name, ZIP_FL_ENC_UTF_8) >= 0);
			continue;
		}
		size_t len = m[i].n ? m[i].n : strlen(m[i].bytes);
		zip_source_t *src = zip_source_buffer(z, m[i].bytes, len, 0);
		assert_non_null(src);
		zip_int64_t k = zip_file_add(z, m[i].name, src, ZIP_FL_ENC_UTF_8);
		if (k < 0)
			fail_msg("%s: %s", m[i].name, zip_strerror(z));
		assert_int_equal(
			zip_set_file_compression(z, (zip_uint64_t)k,
						 m[i].stored ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 1),
			0);
	}
	assert_int_equal(zip_close(z), 0);
}

static char *read_all(const char *path, size_t *n)
{
	char *buf = NULL;
	struct strbuf why = {0};

	assert_int_equal(fileio_read_file(path, 256u << 20, &buf, n, &why), 0);
	sb_free(&why);
	return buf;
}

static void write_bytes(const char *path, const char *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void put16(char *p, unsigned v)
{
	p[0] = (char)(v & 0xff);
	p[1] = (char)(v >> 8);
}

static void put32(char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (char)(v >> (8 * i));
}

static unsigned get16(const char *p)
{
	return (unsigned char)p[0] | (unsigned)(unsigned char)p[1] << 8;
}

/* Change the headers of member name in the archive bytes buf[0..n): in its local
 * header and its central directory entry, set the flag bits flags and, when size is not
 * UINT32_MAX, the inflated size it declares; rename it to new_name (as long) when set. */
static void patch_member(char *buf, size_t n, const char *name, unsigned flags, uint32_t size,
			 const char *new_name)
{
	size_t len = strlen(name);
	int found = 0;

	for (size_t i = 0; i + 46 + len <= n; i++) {
		bool local = memcmp(buf + i, "PK\3\4", 4) == 0,
		     central = memcmp(buf + i, "PK\1\2", 4) == 0;
		size_t at = local ? 30 : 46, flag_at = local ? 6 : 8, size_at = local ? 22 : 24;
		size_t name_len_at = local ? 26 : 28;
		if ((!local && !central) || get16(buf + i + name_len_at) != len ||
		    memcmp(buf + i + at, name, len) != 0)
			continue;
		put16(buf + i + flag_at, get16(buf + i + flag_at) | flags);
		if (size != UINT32_MAX)
			put32(buf + i + size_at, size);
		if (new_name)
			memcpy(buf + i + at, new_name, len);
		found++;
	}
	assert_int_equal(found, 2);
}

/* Apply patch_member to the archive file path. */
static void patch_file(const char *path, const char *name, unsigned flags, uint32_t size,
		       const char *new_name)
{
	size_t n;
	char *buf = read_all(path, &n);

	patch_member(buf, n, name, flags, size, new_name);
	write_bytes(path, buf, n);
	free(buf);
}

/* ---------------------------------------------------------------------------
 * The archive of the round trip: THUCNews members (stored and deflated), JSON Lines
 * (stored and deflated), SogouCS in GB18030, a directory and a member of no format.
 */

static const char thuc1[] = "巴西隊晉級八強\n\u3000\u3000昨晚的比賽中,巴西隊二比零獲勝。\n"
			    "\u3000\u3000下一輪對手是德國隊。\n";
static const char thuc2[] = "新款手機發布 電池更耐用\n\u3000\u3000某公司昨日發布新款手機。\n";
static const char thuc3[] = "央行調整利率\n\u3000\u3000央行宣布下調存款利率零點二五個百分點。\n"
			    "\u3000\u3000分析人士認為。\n";
static const char jsonl1[] =
	"{\"news_id\":\"n1\",\"title\":\"First\",\"content\":\"p1\\np2\",\"time\":\"2016-01-02 "
	"10:00\"}\n"
	"not json\n"
	"{\"news_id\":\"n2\",\"title\":\"Second \\u00e9\",\"desc\":\"only a desc\"}\r\n";
static const char jsonl2[] =
	"{\"news_id\":\"n3\",\"title\":\"Third\",\"content\":\"three\",\"source\":\"S\"}\n"
	"{\"news_id\":\"n4\",\"title\":\"Fourth\",\"content\":\"four\\nparagraphs\"}";
static const char sogou[] =
	"<doc>\r\n<url>http://a.example/1</url><docno>d1</docno>\r\n"
	"<contenttitle>\xd6\xd0\xb9\xfa</contenttitle>\r\n"
	"<content>\xa1\xa1\xa1\xa1\xd0\xc2\xce\xc5\xa1\xa1\xa1\xa1two\r\nlines</content>\r\n"
	"</doc>\r\n<doc><url>http://b.example/</url><docno>d2</docno>"
	"<contenttitle>Second sogou</contenttitle><content>one line</content></doc>\n";

static const struct member round_trip[] = {
	{"THUCNews/", NULL, 0, false},
	{"THUCNews/体育/1.txt", thuc1, 0, false},
	{"THUCNews/科技/2.txt", thuc2, 0, true},
	{"THUCNews/财经/3.txt", thuc3, 0, false},
	{"THUCNews/readme.md", "not an article", 0, false},
	{"news/a.jsonl", jsonl1, 0, true},
	{"news/b.jsonl", jsonl2, 0, false},
	{"sogou/news.dat", sogou, sizeof sogou - 1, false},
};
#define NROUND (sizeof round_trip / sizeof *round_trip)

static const struct article *by_id(const struct collection *c, const char *id)
{
	for (size_t i = 0; i < collection_count(c); i++)
		if (strcmp(collection_article(c, i)->id, id) == 0)
			return collection_article(c, i);
	return NULL;
}

static void load(const char *path, const struct load_opts *o, struct collection *c)
{
	collection_init(c);
	loader_load_path_opts(c, path, o);
	collection_finish(c);
}

/* x and y show the same: fields, identity, body (read back where it is on disk), and,
 * with members, the same archive member. */
static void assert_same_article(const struct article *x, const struct article *y, bool members)
{
	test_assert_same_fields(x, y);
	test_assert_str_equal(x->url, y->url);
	assert_int_equal(x->related.n, y->related.n);
	if (!members)
		return;
	assert_int_equal(x->body_format, y->body_format);
	assert_int_equal(x->rec_off, y->rec_off);
	assert_int_equal(x->rec_len, y->rec_len);
	assert_string_equal(x->path, y->path);
	assert_non_null(x->member);
	assert_non_null(y->member);
	assert_string_equal(x->member->name, y->member->name);
	assert_int_equal(x->member->index, y->member->index);
	assert_int_equal(x->member->size, y->member->size);
	assert_int_equal(x->member->comp_size, y->member->comp_size);
	assert_int_equal(x->member->crc, y->member->crc);
	assert_int_equal(x->member->mtime, y->member->mtime);
	assert_int_equal(x->member->offset, y->member->offset);
	assert_int_equal(x->member->method, y->member->method);
	assert_int_equal(x->member->format, y->member->format);
	assert_int_equal(x->member->encoding, y->member->encoding);
	assert_int_equal(x->body_encoding, y->body_encoding);
}

/* ---------------------------------------------------------------------------
 * Tests
 */

static void test_round_trip(void **state)
{
	NEEDS_JANSSON(); /* the archives hold JSON Lines members */
	struct scratch *s = *state;
	struct collection cold, kept, warm, tree;
	struct strbuf why = {0};

	write_zip(s->zip, round_trip, NROUND);
	load(s->zip, &lean, &cold);
	load(s->zip, &full, &kept);
	/* 3 THUCNews articles, 4 JSON Lines records, 2 SogouCS records */
	assert_int_equal(collection_count(&cold), 9);
	assert_int_equal(cold.files.n, 1);
	assert_int_equal(cold.files.v[0].format, FORMAT_ZIP);
	const struct article *a = by_id(&cold, "1");
	assert_non_null(a);
	assert_string_equal(a->member->name, "THUCNews/体育/1.txt");
	assert_int_equal(a->body_format, FORMAT_THUCNEWS);
	assert_int_equal(a->title.n, strlen("巴西隊晉級八強"));
	assert_int_equal(by_id(&cold, "n4")->body_format, FORMAT_JSONL);
	assert_int_equal(by_id(&cold, "d2")->body_format, FORMAT_SOGOU);
	/* bodies read back from the archive = what a full parse keeps */
	for (size_t i = 0; i < collection_count(&cold); i++) {
		const struct article *x = collection_article(&cold, i);
		assert_true(x->body_on_disk);
		assert_false(collection_article(&kept, i)->body_on_disk);
		assert_string_equal(x->path, s->zip);
		assert_ptr_equal(x->member, by_id(&cold, x->id)->member);
		assert_same_article(x, collection_article(&kept, i), false);
	}
	/* read from the member's local header (its offset found walking the central
	 * directory) = read through libzip (no offset) = read from a wrong offset: never */
	for (size_t i = 0; i < collection_count(&cold); i++) {
		const struct article *x = collection_article(&cold, i);
		struct archive_member m = *x->member;
		struct strbuf said = {0};
		char *direct, *through, *wrong;
		size_t nd, nt, nw;
		uint64_t len = x->body_format == FORMAT_JSONL || x->body_format == FORMAT_SOGOU
				       ? x->rec_len
				       : 0;
		assert_true(m.offset != UINT64_MAX);
		assert_int_equal(zipcoll_read(s->zip, &m, x->rec_off, len, LOADER_MAX_FILE, &direct,
					      &nd, &said),
				 0);
		m.offset = UINT64_MAX;
		assert_int_equal(zipcoll_read(s->zip, &m, x->rec_off, len, LOADER_MAX_FILE,
					      &through, &nt, &said),
				 0);
		assert_int_equal(nd, nt);
		assert_memory_equal(direct, through, nd);
		m.offset = x->member->offset + 1;
		assert_int_not_equal(zipcoll_read(s->zip, &m, x->rec_off, len, LOADER_MAX_FILE,
						  &wrong, &nw, &said),
				     0);
		assert_null(wrong);
		assert_non_null(strstr(said.s, "the archive changed"));
		free(direct);
		free(through);
		sb_free(&said);
	}
	test_assert_same_diags(&cold, &kept); /* "not json" at line 2 */
	assert_true(cold.diags.n >= 1);
	assert_non_null(strstr(cold.diags.v[0].file, "col.zip:news/a.jsonl"));

	/* the same members unpacked into a directory: the same articles */
	char *dir = path_in(s, "tree");
	assert_int_equal(mkdir(dir, 0755), 0);
	for (size_t i = 0; i < NROUND; i++) {
		char *p;
		assert_true(asprintf(&p, "%s/%s", dir, round_trip[i].name) > 0);
		for (char *q = strchr(p + strlen(dir) + 1, '/'); q; q = strchr(q + 1, '/')) {
			*q = '\0';
			mkdir(p, 0755);
			*q = '/';
		}
		if (round_trip[i].bytes)
			write_bytes(p, round_trip[i].bytes,
				    round_trip[i].n ? round_trip[i].n
						    : strlen(round_trip[i].bytes));
		free(p);
	}
	load(dir, &lean, &tree);
	assert_int_equal(collection_count(&tree), collection_count(&cold));
	for (size_t i = 0; i < collection_count(&tree); i++)
		assert_same_article(collection_article(&tree, i), collection_article(&cold, i),
				    false);
	free(dir);

	/* its catalog: every field, member and message; bodies read back from it */
	assert_true(catalog_can_hold(&cold));
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	assert_non_null(warm.slab);
	assert_true(catalog_verify(&warm));
	assert_int_equal(collection_count(&warm), collection_count(&cold));
	for (size_t i = 0; i < collection_count(&warm); i++)
		assert_same_article(collection_article(&warm, i), collection_article(&cold, i),
				    true);
	test_assert_same_diags(&cold, &warm);
	assert_int_equal(warm.files.v[0].format, FORMAT_ZIP);
	assert_int_equal(warm.files.v[0].size, cold.files.v[0].size);
	/* the reader's first part of it: the first articles with their own members, each
	 * text read back from the archive as the whole's */
	struct collection part;
	size_t total;
	collection_init(&part);
	assert_int_equal(catalog_read_part(&part, s->key, s->file, 2, 0, &total, &why), CATALOG_OK);
	assert_int_equal(total, collection_count(&warm));
	assert_true(collection_count(&part) >= 2 &&
		    collection_count(&part) < collection_count(&warm));
	for (size_t i = 0; i < collection_count(&part); i++) {
		const struct article *pa = collection_article(&part, i);
		const struct article *w = by_id(&warm, pa->id);
		assert_non_null(w);
		assert_same_article(pa, w, pa->kind == ARTICLE_FULL);
		if (pa->kind != ARTICLE_FULL)
			continue;
		char *pb, *wb;
		struct str pt = article_body_read(&part, i, &pb);
		struct str wt = article_body_read(&warm, collection_index(&warm, w), &wb);
		assert_int_equal(pt.n, wt.n);
		assert_memory_equal(pt.p, wt.p, pt.n);
		free(pb);
		free(wb);
	}
	collection_free(&part);
	/* a warm start reads no member: only the archive's stat is compared */
	struct collection now;
	collection_init(&now);
	loader_list_files(&now, s->zip, &lean);
	assert_true(catalog_same_files(&warm, &now));
	collection_free(&now);
	collection_free(&tree);
	collection_free(&warm);
	collection_free(&kept);
	collection_free(&cold);
	sb_free(&why);
}

/* Run a reload of warm (read from s's catalog) to its end; the collection it made,
 * compared with a cold load, and what it said (a copy). */
static bool run_reload(struct scratch *s, const struct collection *warm, char **what)
{
	struct reload *r = reload_start(warm, RELOAD_CHECK, &s->zip, 1, &lean, s->key, s->file);
	const struct collection *fresh;
	const char *said;
	struct timespec nap = {0, 5 * 1000 * 1000};

	reload_begin(r);
	for (int i = 0; i < 6000 && !reload_done(r); i++)
		nanosleep(&nap, NULL);
	assert_true(reload_done(r));
	fresh = reload_result(r, &said);
	*what = strdup(said);
	if (fresh) {
		struct collection cold;
		load(s->zip, &lean, &cold);
		assert_int_equal(collection_count(fresh), collection_count(&cold));
		for (size_t i = 0; i < collection_count(&cold); i++)
			assert_same_article(collection_article(fresh, i),
					    collection_article(&cold, i), true);
		assert_non_null(by_id(fresh, "2"));
		assert_int_equal(by_id(fresh, "2")->title.n, strlen("手機換了標題"));
		collection_free(&cold);
	}
	reload_free(r);
	return fresh != NULL;
}

static void test_changed_member(void **state)
{
	struct scratch *s = *state;
	struct collection cold, warm, now;
	struct strbuf why = {0};
	char *what, *buf;
	int err = 0;

	write_zip(s->zip, round_trip, NROUND);
	load(s->zip, &lean, &cold);
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	assert_false(run_reload(s, &warm, &what));
	assert_string_equal(what, "");
	free(what);

	/* 2.txt replaced in the archive (same index, other text) */
	static const char thuc2b[] = "手機換了標題\n\u3000\u3000內容也換了。\n";
	zip_t *z = zip_open(s->zip, 0, &err);
	assert_non_null(z);
	zip_int64_t k = zip_name_locate(z, "THUCNews/科技/2.txt", 0);
	assert_true(k >= 0);
	zip_source_t *src = zip_source_buffer(z, thuc2b, strlen(thuc2b), 0);
	assert_int_equal(zip_file_replace(z, (zip_uint64_t)k, src, 0), 0);
	/* stored as before, at the same place: only its CRC tells the old member from it */
	assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)k, ZIP_CM_STORE, 0), 0);
	assert_int_equal(zip_close(z), 0);
	struct timespec later[2] = {{0, UTIME_OMIT}, {time(NULL) + 5, 0}};
	assert_int_equal(utimensat(AT_FDCWD, s->zip, later, 0), 0);

	collection_init(&now);
	loader_list_files(&now, s->zip, &lean);
	assert_false(catalog_same_files(&warm, &now));
	collection_free(&now);
	/* the old article's body is not taken from the new member */
	const struct article *old = by_id(&warm, "2");
	struct str t = article_body_peek(old, &buf);
	assert_non_null(strstr(t.p, "the archive changed"));
	assert_null(strstr(t.p, "內容也換了"));
	free(buf);
	/* the others still read back */
	t = article_body_peek(by_id(&warm, "1"), &buf);
	assert_non_null(strstr(t.p, "巴西隊二比零獲勝"));
	free(buf);
	assert_true(run_reload(s, &warm, &what));
	assert_non_null(strstr(what, "The files changed"));
	free(what);
	collection_free(&warm);
	collection_free(&cold);
	sb_free(&why);
}

struct counted {
	struct catalog_reuse *r;
	size_t reused;
};

static bool counting_reuse(void *ctx, const char *archive, const char *display,
			   const struct archive_member *m, const char *id, const char *alt_id,
			   struct collection *c)
{
	struct counted *k = ctx;
	bool took = catalog_reuse_member(k->r, archive, display, m, id, alt_id, c);

	k->reused += took;
	return took;
}

/* Load the archive path into out (lean) taking what it can from warm, a catalog of it
 * read back; returns how many members were taken. */
static size_t load_reusing(const char *path, const struct collection *warm, struct collection *out)
{
	struct counted k = {catalog_reuse_new(warm), 0};
	struct load_opts o = lean;

	o.reuse_member = counting_reuse;
	o.reuse_ctx = &k;
	load(path, &o, out);
	catalog_reuse_free(k.r);
	return k.reused;
}

/* Members in GBK and Big5 beside one in UTF-8 (no encoding given): each member keeps the
 * encoding found in it, and its text stays in the archive, read back in it, as a load
 * keeping every text gives it; so through the catalog, and in a load taking from it the
 * members it can. */
static void test_members_in_detected_encodings(void **state)
{
	struct scratch *s = *state;
	struct collection cold, kept, warm, again;
	struct strbuf why = {0};
	/* THUCNews: "体育新闻标题 / 　　这是一篇用国标码写的体育新闻。" in GBK */
	static const char thuc_gbk[] = "\xCC\xE5\xD3\xFD\xD0\xC2\xCE\xC5\xB1\xEA\xCC\xE2\n"
				       "\xA1\xA1\xA1\xA1\xD5\xE2\xCA\xC7\xD2\xBB\xC6\xAA\xD3"
				       "\xC3\xB9\xFA\xB1\xEA\xC2\xEB\xD0\xB4\xB5\xC4\xCC\xE5"
				       "\xD3\xFD\xD0\xC2\xCE\xC5\xA1\xA3\n";
	/* "繁體標題 / 2024-01-04 中央社 / 這是一篇用大五碼寫的文章。" in Big5 */
	static const char big5[] = "\xC1\x63\xC5\xE9\xBC\xD0\xC3\x44\n\n2024-01-04 "
				   "\xA4\xA4\xA5\xA1\xAA\xC0\n\n\xB3\x6F\xAC\x4F\xA4\x40"
				   "\xBD\x67\xA5\xCE\xA4\x6A\xA4\xAD\xBD\x58\xBC\x67\xAA"
				   "\xBA\xA4\xE5\xB3\xB9\xA1\x43\n";
	static const struct member m[] = {
		{"THUCNews/体育/1.txt", thuc1, 0, false},
		{"THUCNews/体育/7.txt", thuc_gbk, 0, false},
		{"news/big5.txt", big5, 0, true},
	};

	write_zip(s->zip, m, sizeof m / sizeof *m);
	load(s->zip, &lean, &cold);
	load(s->zip, &full, &kept);
	assert_int_equal(collection_count(&cold), 3);
	for (size_t i = 0; i < collection_count(&cold); i++) {
		assert_true(collection_article(&cold, i)->body_on_disk);
		assert_same_article(collection_article(&cold, i), collection_article(&kept, i),
				    false);
	}
	const struct article *a = by_id(&cold, "7"), *b = by_id(&cold, "big5");
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->member->encoding, DECODE_FOUND_GB18030);
	assert_int_equal(b->member->encoding, DECODE_FOUND_BIG5);
	assert_int_equal(by_id(&cold, "1")->member->encoding, DECODE_FOUND_UTF8);
	assert_true(str_eq(a->title, "体育新闻标题"));
	char *buf;
	struct str body = article_body_peek(b, &buf);
	assert_true(str_eq(body, "這是一篇用大五碼寫的文章。"));
	free(buf);

	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	assert_int_equal(collection_count(&warm), collection_count(&cold));
	for (size_t i = 0; i < collection_count(&warm); i++)
		assert_same_article(collection_article(&warm, i), collection_article(&cold, i),
				    true);
	/* all three: the two said to be read in the encoding found too, which is said
	 * again (their bytes unchanged, a new read would say it) */
	assert_int_equal(load_reusing(s->zip, &warm, &again), 3);
	assert_int_equal(collection_count(&again), collection_count(&cold));
	for (size_t i = 0; i < collection_count(&again); i++)
		assert_same_article(collection_article(&again, i), collection_article(&cold, i),
				    true);
	test_assert_same_diags(&cold, &again);
	assert_int_equal(again.diags.n, 2);
	collection_free(&again);
	collection_free(&warm);
	collection_free(&kept);
	collection_free(&cold);
	sb_free(&why);
}

/* An archive rewritten (a member added first, so every other moves; one removed; one
 * changed in place to text of the same length) loads again taking its unchanged members
 * from the catalog: the same articles, members (at their new places) and messages as a
 * new load, every body read back; a changed member is read, one with a problem taken
 * with its problem said again. */
static void test_unchanged_members_reused(void **state)
{
	NEEDS_JANSSON(); /* the archives hold JSON Lines members */
	struct scratch *s = *state;
	struct collection cold, warm, again, fresh;
	struct strbuf why = {0};

	write_zip(s->zip, round_trip, NROUND);
	load(s->zip, &lean, &cold);
	assert_null(catalog_write(&cold, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);

	/* 2.txt: 昨 became 今, the same length, stored as before: only its CRC differs */
	static const char thuc2b[] =
		"新款手機發布 電池更耐用\n\u3000\u3000某公司今日發布新款手機。\n";
	assert_int_equal(strlen(thuc2b), strlen(thuc2));
	static const char thuc4[] = "新聞四\n\u3000\u3000第四篇。\n";
	struct member now[NROUND + 1];
	size_t n = 0;
	now[n++] = (struct member){"THUCNews/体育/4.txt", thuc4, 0, false};
	for (size_t i = 0; i < NROUND; i++) {
		if (strcmp(round_trip[i].name, "THUCNews/财经/3.txt") == 0)
			continue;
		now[n] = round_trip[i];
		if (strcmp(round_trip[i].name, "THUCNews/科技/2.txt") == 0)
			now[n].bytes = thuc2b;
		n++;
	}
	write_zip(s->zip, now, n);

	/* 1.txt, a.jsonl (its problem said again), b.jsonl, news.dat; not 2.txt
	 * (changed), 4.txt (new) */
	assert_int_equal(load_reusing(s->zip, &warm, &again), 4);
	load(s->zip, &lean, &fresh);
	assert_int_equal(collection_count(&again), collection_count(&fresh));
	for (size_t i = 0; i < collection_count(&fresh); i++) {
		const struct article *x = collection_article(&again, i),
				     *y = collection_article(&fresh, i);
		assert_string_equal(x->id, y->id);
		assert_same_article(x, y, true);
		char *bx, *by;
		struct str tx = article_body_read(&again, i, &bx);
		struct str ty = article_body_read(&fresh, i, &by);
		assert_int_equal(tx.n, ty.n);
		assert_memory_equal(tx.p, ty.p, tx.n);
		free(bx);
		free(by);
	}
	test_assert_same_diags(&fresh, &again);
	assert_non_null(strstr(by_id(&again, "2")->title.p, "新款手機"));
	assert_null(by_id(&again, "3"));
	collection_free(&fresh);
	collection_free(&again);
	collection_free(&warm);
	collection_free(&cold);
	sb_free(&why);
}

/* The diag of c whose file and message hold the strings given (NULL: any). */
static const struct diag *find_diag(const struct collection *c, const char *file, const char *msg)
{
	for (size_t i = 0; i < c->diags.n; i++)
		if ((!file || strstr(c->diags.v[i].file, file)) &&
		    (!msg || strstr(c->diags.v[i].msg, msg)))
			return &c->diags.v[i];
	return NULL;
}

static void assert_diag(const struct collection *c, const char *file, const char *msg)
{
	if (!find_diag(c, file, msg)) {
		for (size_t i = 0; i < c->diags.n; i++)
			print_message("diag: %s: %s\n", c->diags.v[i].file, c->diags.v[i].msg);
		fail_msg("no diag %s: %s", file, msg);
	}
}

/* n bytes of an article: a title line, then paragraphs of fill up to n. */
static char *big_article(size_t n, char fill)
{
	char *p = malloc(n);

	assert_non_null(p);
	memset(p, fill, n);
	memcpy(p, "Big\n\n", 5);
	for (size_t i = 80; i < n; i += 80)
		p[i] = '\n';
	return p;
}

static void test_hostile(void **state)
{
	struct scratch *s = *state;
	struct collection c;
	const size_t bomb = 4u << 20, large = LOADER_MAX_FILE + 1;
	char *bomb_text = big_article(bomb, 'x'), *large_text = big_article(large, 'y');
	char *corrupt_text = malloc(300000);
	/* JSON Lines over ZIPCOLL_MAX_INFLATE, deflated */
	size_t huge_n = ZIPCOLL_MAX_INFLATE + 4096;
	char *huge = malloc(huge_n);
	static const char rec[] = "{\"news_id\":\"h\",\"title\":\"Huge\",\"content\":\"x\"}\n";

	assert_non_null(corrupt_text);
	assert_non_null(huge);
	for (size_t i = 0; i < huge_n; i++)
		huge[i] = rec[i % (sizeof rec - 1)];
	uint32_t x = 12345;
	memcpy(corrupt_text, "Corrupt\n\n", 9);
	for (size_t i = 9; i < 300000; i++) { /* little to compress: damage lands in data */
		x = x * 1103515245u + 12345u;
		corrupt_text[i] = (char)('a' + (x >> 16) % 26);
	}
	const struct member m[] = {
		{"good/1.txt", "Good one\n\n2021-01-01 Src\n\nIts body.\n", 0, false},
		{"../evil.txt", "Evil\n\nbody\n", 0, false},
		{"/abs.txt", "Absolute\n\nbody\n", 0, false},
		{"ctlAAAAA.txt", "Control\n\nbody\n", 0, false}, /* patched below */
		{"nulAAAA.txt", "NUL\n\nbody\n", 0, false},	 /* patched below */
		{"dupA.txt", "Dup first\n\nbody\n", 0, false},
		{"dupB.txt", "Dup second\n\nbody\n", 0, false},
		{"enc.txt", "Encrypted\n\nbody\n", 0, false},
		{"bomb.txt", bomb_text, bomb, false},
		{"large.txt", large_text, large, false},
		{"corrupt.txt", corrupt_text, 300000, false},
		{"huge.jsonl", huge, huge_n, false},
		{"good/2.txt", "Good two\n\n2021-01-02 Src\n\nIts body too.\n", 0, true},
	};
	write_zip(s->zip, m, sizeof m / sizeof *m);
	patch_file(s->zip, "dupB.txt", 0, UINT32_MAX, "dupA.txt");
	/* not flagged UTF-8: libzip reads the name as CP437, the ESC an arrow, the NUL... */
	patch_file(s->zip, "ctlAAAAA.txt", 0, UINT32_MAX, "ctl\x1b[31m.txt");
	patch_file(s->zip, "nulAAAA.txt", 0, UINT32_MAX, "nul\0AAA.txt");
	patch_file(s->zip, "enc.txt", 1, UINT32_MAX, NULL);
	patch_file(s->zip, "bomb.txt", 0, 1000, NULL);
	/* damage corrupt.txt's compressed bytes (after its local header) */
	size_t n;
	char *bytes = read_all(s->zip, &n);
	char *at = memmem(bytes, n, "corrupt.txt", 11);
	assert_non_null(at);
	for (size_t i = 200; i < 2000; i++)
		at[i] ^= 0x5a;
	write_bytes(s->zip, bytes, n);

	load(s->zip, &lean, &c);
	assert_non_null(by_id(&c, "1"));
	assert_non_null(by_id(&c, "2"));
	assert_non_null(by_id(&c, "dupA"));
	/* the good ones, the first dupA.txt, and ctl?[31m.txt and nul?AAA.txt, their
	 * names made printable (CP437: an arrow, a space) */
	for (size_t i = 0; i < collection_count(&c); i++)
		for (const char *p = collection_article(&c, i)->member->name; *p; p++)
			assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
	assert_int_equal(collection_count(&c), 5);
	assert_diag(&c, "col.zip", "an unsafe name");
	assert_int_equal(c.diags.n >= 3, true);
	size_t unsafe = 0;
	for (size_t i = 0; i < c.diags.n; i++)
		unsafe += strstr(c.diags.v[i].msg, "an unsafe name") != NULL;
	assert_int_equal(unsafe, 2); /* ../evil.txt, /abs.txt */
	assert_diag(&c, "col.zip:dupA.txt", "a second member of this name");
	assert_diag(&c, "col.zip:enc.txt", "encrypted");
	assert_diag(&c, "col.zip:bomb.txt", "more than the 1000 bytes it declares");
	assert_diag(&c, "col.zip:large.txt", "too large");
	assert_diag(&c, "col.zip:corrupt.txt", NULL);
	assert_diag(&c, "col.zip:huge.jsonl", "unzip");
	/* every body still reads back */
	for (size_t i = 0; i < collection_count(&c); i++) {
		char *buf;
		struct str t = article_body_read(&c, i, &buf);
		assert_null(strstr(t.p, "cannot be read"));
		free(buf);
	}
	collection_free(&c);

	/* a name flagged UTF-8 holding a control character: libzip refuses the archive */
	write_zip(s->zip, m, 1);
	patch_file(s->zip, "good/1.txt", 0x800, UINT32_MAX, "good\0331.txt");
	load(s->zip, &lean, &c);
	assert_int_equal(collection_count(&c), 0);
	assert_diag(&c, "col.zip", "not a readable zip archive");
	collection_free(&c);

	/* cut short: no central directory left, one message naming the archive */
	assert_int_equal(truncate(s->zip, (off_t)(n / 2)), 0);
	load(s->zip, &lean, &c);
	assert_int_equal(collection_count(&c), 0);
	assert_diag(&c, "col.zip", "not a readable zip archive");
	assert_true(c.diags.v[0].unreadable);
	collection_free(&c);
	/* a zip signature and nothing of an archive after it */
	write_bytes(s->zip, "PK\3\4garbage", 11);
	load(s->zip, &lean, &c);
	assert_int_equal(collection_count(&c), 0);
	assert_diag(&c, "col.zip", "not a readable zip archive");
	collection_free(&c);
	free(bytes);
	free(bomb_text);
	free(large_text);
	free(corrupt_text);
	free(huge);
}

/* A member to write: its name (the bytes stored), its text, its name's encoding flag. */
struct named_member {
	const char *name, *text;
	zip_flags_t enc;
};

/* Write the n members m as the archive path (replacing it). */
static void write_named(const char *path, const struct named_member *m, size_t n)
{
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);

	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *src = zip_source_buffer(z, m[i].text, strlen(m[i].text), 0);
		assert_non_null(src);
		if (zip_file_add(z, m[i].name, src, m[i].enc) < 0)
			fail_msg("%s", zip_strerror(z));
	}
	assert_int_equal(zip_close(z), 0);
}

/* Members at the archive's top (zip -r run inside the THUCNews folder): a category's
 * folder is the source, not "ARCHIVE:FOLDER", and an article beside the folders has
 * none (not the folder holding the archive); a record without an id is named by its
 * member's own name, not by the archive's. Members in a hidden folder, and macOS's
 * (__MACOSX/._1.txt), are not read. */
static void test_top_level_members(void **state)
{
	NEEDS_JANSSON();
	struct scratch *s = *state;
	static const struct named_member m[] = {
		{"体育/1.txt", thuc1, ZIP_FL_ENC_UTF_8},
		{"noid.jsonl", "{\"title\":\"無id\",\"content\":\"c\"}\n", ZIP_FL_ENC_UTF_8},
		{"__MACOSX/体育/._1.txt", "\x05\x16\x07Mac OS X", ZIP_FL_ENC_UTF_8}, /* macOS's */
		{"体育/.cache/2.txt", thuc2, ZIP_FL_ENC_UTF_8},
		{"3.txt", thuc3, ZIP_FL_ENC_UTF_8}, /* in no category */
	};
	struct collection c;

	write_named(s->zip, m, sizeof m / sizeof *m);
	load(s->zip, &lean, &c);
	assert_int_equal(collection_count(&c), 3);
	const struct article *a = by_id(&c, "1"), *j = by_id(&c, "noid-1"), *t = by_id(&c, "3");
	assert_non_null(a);
	assert_non_null(j);
	assert_non_null(t);
	assert_true(str_eq(a->source, "体育"));
	/* not the folder holding the archive */
	assert_int_equal(t->source.n, 0);
	collection_free(&c);
}

/* A zip archive inside the archive (an archive of downloads) is not opened, but said
 * once, with the command that unpacks it; macOS's copy of it is not. */
static void test_archive_inside(void **state)
{
	struct scratch *s = *state;
	static const struct named_member m[] = {
		{"体育/1.txt", thuc1, ZIP_FL_ENC_UTF_8},
		{"more/THUCNews.ZIP", "PK\x03\x04 not read", ZIP_FL_ENC_UTF_8},
		{"__MACOSX/more/._THUCNews.ZIP", "\x05\x16\x07Mac OS X", ZIP_FL_ENC_UTF_8},
	};
	struct collection c;

	write_named(s->zip, m, sizeof m / sizeof *m);
	load(s->zip, &lean, &c);
	assert_int_equal(collection_count(&c), 1);
	assert_int_equal(c.diags.n, 1);
	assert_non_null(strstr(c.diags.v[0].file, ":more/THUCNews.ZIP"));
	assert_non_null(strstr(c.diags.v[0].msg, "an archive inside the archive is not opened"));
	assert_non_null(strstr(c.diags.v[0].msg, "more/THUCNews.ZIP): skipped"));
	collection_free(&c);
}

/* Problems found after loading (a duplicate id, a related headline that no article
 * has) name the member their article was read from, "ARCHIVE:MEMBER", as those found
 * while loading do, not the archive alone. */
static void test_diags_after_loading(void **state)
{
	NEEDS_JANSSON();
	struct scratch *s = *state;
	static const struct named_member m[] = {
		{"d/n.jsonl",
		 "{\"news_id\":\"a1\",\"title\":\"One\",\"content\":\"x\"}\n"
		 "{\"news_id\":\"a1\",\"title\":\"Two\",\"content\":\"y\"}\n",
		 ZIP_FL_ENC_UTF_8},
		{"d/rel.txt",
		 "標題\n\n2020-11-01 來源\n\n正文。\n\n相關焦點\n  • 沒有這篇新聞\n    摘要。\n",
		 ZIP_FL_ENC_UTF_8},
	};
	struct collection c;

	write_named(s->zip, m, sizeof m / sizeof *m);
	load(s->zip, &lean, &c);
	assert_int_equal(collection_count(&c), 4); /* the excerpt of the headline too */
	const struct diag *d = find_diag(&c, NULL, "duplicate id a1");
	assert_non_null(d);
	assert_true(strlen(d->file) > 10);
	assert_string_equal(d->file + strlen(d->file) - 10, ":d/n.jsonl");
	assert_int_equal(d->line, 2);
	d = find_diag(&c, NULL, "沒有這篇新聞");
	assert_non_null(d);
	assert_true(strlen(d->file) > 10);
	assert_string_equal(d->file + strlen(d->file) - 10, ":d/rel.txt");

	/* loaded again from its catalog, both members are taken from it (what was said
	 * after loading is said again by the load's end, once, not as the member's) */
	struct collection warm, again;
	struct strbuf why = {0};
	assert_null(catalog_write(&c, s->key, s->file));
	collection_init(&warm);
	assert_int_equal(catalog_read(&warm, s->key, s->file, &why), CATALOG_OK);
	assert_int_equal(load_reusing(s->zip, &warm, &again), 2);
	test_assert_same_diags(&c, &again);
	collection_free(&again);
	collection_free(&warm);
	sb_free(&why);
	collection_free(&c);
}

/* Members named in GBK without the UTF-8 flag, as archives made on Chinese Windows
 * are: their names read as GB18030 (the THUCNews category a source, the id the file's),
 * not as CP 437 ("╠σ╙²"); a member named in UTF-8 and one in GBK with the same name are
 * one name (the second refused); a CP 437 name that is no GB18030 ("caf\x82") is CP 437
 * as libzip reads it ("café"); each text read back from the member, by its local header
 * and through libzip, as loaded. */
static void test_gbk_names(void **state)
{
	struct scratch *s = *state;
	static const struct named_member m[] = {
		{"THUCNews/\xCC\xE5\xD3\xFD/1.txt", thuc1, ZIP_FL_ENC_CP437}, /* 体育 */
		{"THUCNews/\xB2\xC6\xBE\xAD/2.txt", thuc2, ZIP_FL_ENC_CP437}, /* 财经 */
		{"THUCNews/财经/2.txt", thuc3, ZIP_FL_ENC_UTF_8},
		{"caf\x82.txt", thuc3, ZIP_FL_ENC_CP437},
	};
	struct collection c;

	write_named(s->zip, m, sizeof m / sizeof *m);
	load(s->zip, &lean, &c);
	assert_int_equal(collection_count(&c), 3);
	const struct article *a = by_id(&c, "1"), *b = by_id(&c, "2"), *e = by_id(&c, "café");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(e);
	assert_string_equal(a->member->name, "THUCNews/体育/1.txt");
	assert_true(str_eq(a->source, "体育"));
	assert_true(str_eq(b->source, "财经"));
	assert_true(str_eq(b->title, "新款手機發布 電池更耐用"));
	assert_non_null(find_diag(&c, NULL, "a second member of this name"));
	for (size_t i = 0; i < collection_count(&c); i++) {
		struct archive_member am = *collection_article(&c, i)->member;
		struct strbuf why = {0};
		char *direct, *through;
		size_t nd, nt;

		assert_int_equal(
			zipcoll_read(s->zip, &am, 0, 0, LOADER_MAX_FILE, &direct, &nd, &why), 0);
		am.offset = UINT64_MAX;
		assert_int_equal(
			zipcoll_read(s->zip, &am, 0, 0, LOADER_MAX_FILE, &through, &nt, &why), 0);
		assert_int_equal(nd, nt);
		assert_memory_equal(direct, through, nd);
		free(direct);
		free(through);
		sb_free(&why);
	}
	collection_free(&c);
	/* the reader's first screen of it (the central directory walked, not libzip) */
	bool cut = false;
	struct load_opts o = lean;
	o.max_files = 1;
	o.cut_short = &cut;
	collection_init(&c);
	loader_load_path_opts(&c, s->zip, &o);
	assert_true(cut);
	assert_int_equal(collection_count(&c), 1);
	assert_string_equal(collection_article(&c, 0)->member->name, "THUCNews/体育/1.txt");
	assert_true(str_eq(collection_article(&c, 0)->source, "体育"));
	collection_free(&c);
}

/* The first screen's load: max_files counts members, and says it cut them short. */
static void test_first_members(void **state)
{
	NEEDS_JANSSON(); /* the archives hold JSON Lines members */
	struct scratch *s = *state;
	struct collection c;
	bool cut = false;
	struct load_opts o = lean;

	write_zip(s->zip, round_trip, NROUND);
	o.max_files = 2;
	o.cut_short = &cut;
	collection_init(&c);
	loader_load_path_opts(&c, s->zip, &o);
	assert_true(cut);
	assert_int_equal(collection_count(&c), 2); /* 1.txt and 2.txt */
	collection_free(&c);
	cut = false;
	o.max_files = 100;
	load(s->zip, &o, &c);
	assert_false(cut);
	assert_int_equal(collection_count(&c), 9);
	collection_free(&c);
}

/* ---------------------------------------------------------------------------
 * The first screen without libzip: the central directory walked from its end record
 */

/* An archive of many THUCNews members (more than the first screen takes), written with
 * libzip: names[i] its members' names, in order (a directory and a README among them). */
#define NMANY 1500
static char *many_names[NMANY + 2];
static char *many_texts[NMANY + 2];

static void write_many(const char *path, size_t n)
{
	static const char *const cats[] = {"体育", "科技", "财经"};
	struct member *m = calloc(n + 2, sizeof *m);
	size_t k = 0;

	assert_non_null(m);
	m[k++] = (struct member){"THUCNews/", NULL, 0, false};
	for (size_t i = 0; i < n; i++) {
		if (i == 7)
			m[k++] = (struct member){"THUCNews/README.md", "not an article", 0, false};
		assert_true(asprintf(&many_names[i], "THUCNews/%s/%zu.txt", cats[i % 3], i) > 0);
		assert_true(asprintf(&many_texts[i],
				     "第%zu條新聞的標題\n\u3000\u3000第%zu條新聞的正文。\n", i,
				     i) > 0);
		m[k++] = (struct member){many_names[i], many_texts[i], 0, i % 4 == 1};
	}
	write_zip(path, m, k);
	for (size_t i = 0; i < n; i++) {
		free(many_names[i]);
		free(many_texts[i]);
	}
	free(m);
}

/* x (of a first part) and y (of the whole load): the same article, member and all. */
static void assert_in_whole(const struct collection *whole, const struct article *x)
{
	const struct article *y = by_id(whole, x->id);

	assert_non_null(y);
	assert_same_article(x, y, true);
}

static long long walk_file(const char *path, uint64_t max, uint64_t *entries)
{
	int fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	long long n = zipcoll_walk(fd, max, entries);
	close(fd);
	return n;
}

/* Load zip as the first screen does (o, which says it was cut short) and whole: they
 * hold nfirst and nwhole articles, and the whole load says text of file. */
static void first_and_whole(const char *zip, struct load_opts *o, size_t nfirst, size_t nwhole,
			    const char *file, const char *text)
{
	struct collection first, whole;

	*o->cut_short = false;
	load(zip, o, &first);
	assert_true(*o->cut_short);
	assert_int_equal(collection_count(&first), nfirst);
	load(zip, &lean, &whole);
	assert_int_equal(collection_count(&whole), nwhole);
	assert_diag(&whole, file, text);
	collection_free(&first);
	collection_free(&whole);
}

/* The first screen's members (walked without libzip) are those the whole load (through
 * libzip) gives first, field by field, their archive member the same; an archive whose
 * directory libzip refuses at its end still shows its first members (the walk read no
 * more), and the whole load, libzip's, says it is not readable. */
static void test_first_part(void **state)
{
	struct scratch *s = *state;
	struct collection first, whole;
	struct load_opts o = lean;
	bool cut = false;
	uint64_t entries;

	write_many(s->zip, 40);
	assert_int_equal(walk_file(s->zip, UINT64_MAX, &entries), 42);
	assert_int_equal(entries, 42);
	o.max_files = 10;
	o.cut_short = &cut;
	load(s->zip, &o, &first);
	load(s->zip, &lean, &whole);
	assert_true(cut);
	assert_int_equal(collection_count(&first), 10);
	assert_int_equal(collection_count(&whole), 40);
	assert_int_equal(first.diags.n, 0);
	for (size_t i = 0; i < collection_count(&first); i++) {
		const struct article *a = collection_article(&first, i);
		assert_in_whole(&whole, a);
		/* the first members: index 1..11 less the README's (8) */
		assert_true(a->member->index >= 1 && a->member->index <= 11);
		assert_true(a->member->index != 8);
	}
	/* lean bodies read back from the first part's members */
	struct collection full_bodies;
	load(s->zip, &full, &full_bodies);
	for (size_t i = 0; i < collection_count(&first); i++) {
		char *buf;
		struct str t = article_body_read(&first, i, &buf);
		const struct article *w = by_id(&full_bodies, collection_article(&first, i)->id);
		assert_non_null(w);
		test_assert_str_equal(t, w->body);
		free(buf);
	}
	collection_free(&full_bodies);
	collection_free(&first);
	collection_free(&whole);

	/* a member declaring a byte less than it inflates to (and the CRC of those): the
	 * first screen stops before it, and the whole load says what it is */
	size_t n;
	char *bytes = read_all(s->zip, &n);
	const char *name3 = "THUCNews/体育/3.txt";
	char *text3;
	assert_true(asprintf(&text3, "第%d條新聞的標題\n\u3000\u3000第%d條新聞的正文。\n", 3, 3) >
		    0);
	uint32_t crc3 = (uint32_t)crc32(0, (const Bytef *)text3, (uInt)strlen(text3) - 1);
	patch_member(bytes, n, name3, 0, (uint32_t)strlen(text3) - 1, NULL);
	for (size_t i = 0; i + 46 + strlen(name3) <= n; i++) {
		bool local = memcmp(bytes + i, "PK\3\4", 4) == 0;
		if ((local || memcmp(bytes + i, "PK\1\2", 4) == 0) &&
		    memcmp(bytes + i + (local ? 30 : 46), name3, strlen(name3)) == 0)
			put32(bytes + i + (local ? 14 : 16), crc3);
	}
	write_bytes(s->zip, bytes, n);
	free(bytes);
	free(text3);
	first_and_whole(s->zip, &o, 3, 39, "col.zip:THUCNews/体育/3.txt", "inflates to more than");
	write_many(s->zip, 40);

	/* the last record of the directory damaged: libzip refuses the archive */
	bytes = read_all(s->zip, &n);
	char *last = NULL;
	for (size_t i = 0; i + 4 <= n; i++)
		if (memcmp(bytes + i, "PK\1\2", 4) == 0)
			last = bytes + i;
	assert_non_null(last);
	memcpy(last, "PK\1\7", 4);
	write_bytes(s->zip, bytes, n);
	free(bytes);
	first_and_whole(s->zip, &o, 10, 0, "col.zip", "not a readable zip archive");
}

/* The reader's start on an archive of more members than its first screen takes: the
 * first screen's members, then the rest beside it (the whole load through libzip),
 * which is the one-pass load article by article in the list's order, no id twice, and
 * holds each article of the first screen unchanged. */
static void test_first_then_rest(void **state)
{
	struct scratch *s = *state;
	struct startup st;
	struct collection once;
	char *paths[] = {s->zip, NULL};
	struct startup_opts so = {.reader = true, .use_cache = true, .load = &lean};
	struct timespec nap = {0, 5 * 1000 * 1000};
	const char *said;

	write_many(s->zip, NMANY);
	startup_load(&st, paths, 1, &so);
	assert_int_equal(collection_count(&st.c), 1000);
	assert_non_null(st.first_reload);
	load(s->zip, &lean, &once);
	assert_int_equal(collection_count(&once), NMANY);
	for (size_t i = 0; i < collection_count(&st.c); i++)
		assert_in_whole(&once, collection_article(&st.c, i));
	reload_begin(st.first_reload);
	for (int i = 0; i < 12000 && !reload_done(st.first_reload); i++)
		nanosleep(&nap, NULL);
	assert_true(reload_done(st.first_reload));
	const struct collection *rest = reload_result(st.first_reload, &said);
	assert_non_null(rest);
	assert_int_equal(collection_count(rest), collection_count(&once));
	for (size_t i = 0; i < collection_count(&once); i++) {
		assert_same_article(collection_article(rest, i), collection_article(&once, i),
				    true);
		if (i)
			assert_string_not_equal(collection_article(rest, i)->id,
						collection_article(rest, i - 1)->id);
	}
	for (size_t i = 0; i < collection_count(&st.c); i++)
		assert_in_whole(rest, collection_article(&st.c, i));
	test_assert_same_diags(rest, &once);
	startup_free(&st);
	collection_free(&once);
}

/* ---------------------------------------------------------------------------
 * Archives written byte by byte, for the walk's checks of the end records
 */

struct raw {
	char *b;
	size_t n, cap;
};

static void raw_put(struct raw *r, const void *p, size_t n)
{
	if (r->n + n > r->cap) {
		r->cap = (r->n + n) * 2;
		r->b = realloc(r->b, r->cap);
		assert_non_null(r->b);
	}
	memcpy(r->b + r->n, p, n);
	r->n += n;
}

static void raw16(struct raw *r, unsigned v)
{
	char p[2];
	put16(p, v);
	raw_put(r, p, 2);
}

static void raw32(struct raw *r, uint32_t v)
{
	char p[4];
	put32(p, v);
	raw_put(r, p, 4);
}

static void raw64(struct raw *r, uint64_t v)
{
	raw32(r, (uint32_t)v);
	raw32(r, (uint32_t)(v >> 32));
}

/* How raw_zip writes its archive: its end record's count of records off by
 * count_delta, a comment of comment_n bytes declared as comment_said bytes, Zip64 end
 * records (and the first record's offset in a Zip64 field). */
struct raw_opts {
	int count_delta;
	size_t comment_n, comment_said;
	bool zip64;
};

#define RAW_MEMBERS 3

/* An archive of RAW_MEMBERS stored THUCNews members, as o says; *cd: where its
 * central directory begins, *eocd: its end record. */
static struct raw raw_zip(const struct raw_opts *o, size_t *cd, size_t *eocd)
{
	struct raw r = {0};
	size_t offs[RAW_MEMBERS];
	char names[RAW_MEMBERS][32], text[64];

	for (int i = 0; i < RAW_MEMBERS; i++) {
		snprintf(names[i], sizeof names[i], "THUCNews/体育/%d.txt", i);
		snprintf(text, sizeof text, "標題%d\n\u3000\u3000正文%d。\n", i, i);
		uint32_t crc = (uint32_t)crc32(0, (const Bytef *)text, (uInt)strlen(text));
		offs[i] = r.n;
		raw_put(&r, "PK\3\4", 4);
		raw16(&r, 20), raw16(&r, 0x800), raw16(&r, 0), raw16(&r, 0x6000);
		raw16(&r, (40 << 9) | (5 << 5) | 17);
		raw32(&r, crc), raw32(&r, (uint32_t)strlen(text)),
			raw32(&r, (uint32_t)strlen(text));
		raw16(&r, (unsigned)strlen(names[i])), raw16(&r, 0);
		raw_put(&r, names[i], strlen(names[i]));
		raw_put(&r, text, strlen(text));
	}
	*cd = r.n;
	for (int i = 0; i < RAW_MEMBERS; i++) {
		size_t at = offs[i], ln = get16(r.b + at + 26);
		bool z64 = o->zip64 && i == 0;
		raw_put(&r, "PK\1\2", 4);
		char local[26];
		memcpy(local, r.b + at + 4, sizeof local);
		raw16(&r, 0x31e), raw_put(&r, local, sizeof local); /* as its local header */
		put16(r.b + r.n - 2, z64 ? 12 : 0);		    /* the extra field's length */
		raw16(&r, 0), raw16(&r, 0), raw16(&r, 0), raw32(&r, 0);
		raw32(&r, z64 ? UINT32_MAX : (uint32_t)at);
		raw_put(&r, names[i], ln);
		if (z64)
			raw16(&r, 1), raw16(&r, 8), raw64(&r, at);
	}
	size_t cd_size = r.n - *cd;
	uint64_t count = (uint64_t)((int)RAW_MEMBERS + o->count_delta);
	if (o->zip64) {
		size_t rec = r.n;
		raw_put(&r, "PK\6\6", 4), raw64(&r, 44), raw16(&r, 45), raw16(&r, 45);
		raw32(&r, 0), raw32(&r, 0), raw64(&r, count), raw64(&r, count);
		raw64(&r, cd_size), raw64(&r, *cd);
		raw_put(&r, "PK\6\7", 4), raw32(&r, 0), raw64(&r, rec), raw32(&r, 1);
	}
	*eocd = r.n;
	raw_put(&r, "PK\5\6", 4), raw16(&r, 0), raw16(&r, 0);
	raw16(&r, o->zip64 ? 0xffff : (unsigned)count),
		raw16(&r, o->zip64 ? 0xffff : (unsigned)count);
	raw32(&r, o->zip64 ? UINT32_MAX : (uint32_t)cd_size);
	raw32(&r, o->zip64 ? UINT32_MAX : (uint32_t)*cd);
	raw16(&r, (unsigned)o->comment_said);
	for (size_t i = 0; i < o->comment_n; i++)
		raw_put(&r, "c", 1);
	return r;
}

/* An archive of one THUCNews member holding text, deflated with a sync flush and no
 * final block when !finish: the stream never ends, though every byte is there. */
static struct raw raw_deflated_zip(const char *text, bool finish)
{
	struct raw r = {0};
	const char *name = "THUCNews/体育/0.txt";
	unsigned char z[256];
	z_stream d;

	memset(&d, 0, sizeof d);
	assert_int_equal(deflateInit2(&d, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	d.next_in = (Bytef *)(uintptr_t)text, d.avail_in = (uInt)strlen(text);
	d.next_out = z, d.avail_out = sizeof z;
	assert_int_equal(deflate(&d, finish ? Z_FINISH : Z_SYNC_FLUSH),
			 finish ? Z_STREAM_END : Z_OK);
	size_t zn = sizeof z - d.avail_out;
	deflateEnd(&d);
	uint32_t crc = (uint32_t)crc32(0, (const Bytef *)text, (uInt)strlen(text));
	char head[26];
	put16(head, 20), put16(head + 2, 0x800), put16(head + 4, 8), put16(head + 6, 0x6000);
	put16(head + 8, (40 << 9) | (5 << 5) | 17), put32(head + 10, crc);
	put32(head + 14, (uint32_t)zn), put32(head + 18, (uint32_t)strlen(text));
	put16(head + 22, (unsigned)strlen(name)), put16(head + 24, 0);
	raw_put(&r, "PK\3\4", 4), raw_put(&r, head, sizeof head);
	raw_put(&r, name, strlen(name)), raw_put(&r, z, zn);
	size_t cd = r.n;
	raw_put(&r, "PK\1\2", 4), raw16(&r, 0x31e), raw_put(&r, head, sizeof head);
	raw16(&r, 0), raw16(&r, 0), raw16(&r, 0), raw32(&r, 0), raw32(&r, 0);
	raw_put(&r, name, strlen(name));
	size_t cd_size = r.n - cd;
	raw_put(&r, "PK\5\6", 4), raw16(&r, 0), raw16(&r, 0), raw16(&r, 1), raw16(&r, 1);
	raw32(&r, (uint32_t)cd_size), raw32(&r, (uint32_t)cd), raw16(&r, 0);
	return r;
}

/* A deflated member whose stream stops without its final block, every declared byte
 * there and its CRC right, loads (libzip reads it) and its text read back lean from the
 * archive is the same: the reader never says "cannot be read" of an article it listed. */
static void test_deflate_without_its_end(void **state)
{
	struct scratch *s = *state;
	const char *text = "標題0\n\u3000\u3000正文0。\n";

	for (int finish = 0; finish <= 1; finish++) {
		struct raw r = raw_deflated_zip(text, finish);
		struct collection c, w;
		write_bytes(s->zip, r.b, r.n);
		free(r.b);
		load(s->zip, &full, &w);
		load(s->zip, &lean, &c);
		assert_int_equal(collection_count(&w), 1);
		assert_int_equal(collection_count(&c), 1);
		char *buf;
		struct str t = article_body_read(&c, 0, &buf), u = collection_article(&w, 0)->body;
		assert_int_equal(t.n, u.n);
		assert_memory_equal(t.p, u.p, t.n);
		assert_non_null(strstr(t.p, "正文0"));
		free(buf);
		collection_free(&c);
		collection_free(&w);
	}
}

/* The walk of bytes b[0..n) written as col.zip; *entries as zipcoll_walk. And the
 * first screen's load and the whole load of it: never a crash, nothing unsafe. */
static long long walk_bytes_as(struct scratch *s, const char *b, size_t n, uint64_t *entries)
{
	struct collection c;
	struct load_opts o = lean;
	bool cut = false;

	write_bytes(s->zip, b, n);
	o.max_files = 1;
	o.cut_short = &cut;
	load(s->zip, &o, &c);
	assert_true(collection_count(&c) <= 1);
	collection_free(&c);
	load(s->zip, &lean, &c);
	collection_free(&c);
	return walk_file(s->zip, UINT64_MAX, entries);
}

/* The end records are checked against the file before a record is read: a truncated
 * end record, a comment length that does not end the file, a count of records that
 * lies, Zip64 end records (sound, and pointing past where they may), a directory or a
 * member's header past the end. */
static void test_walk_checks(void **state)
{
	struct scratch *s = *state;
	struct raw_opts o = {0};
	size_t cd, eocd;
	uint64_t entries;
	struct raw r = raw_zip(&o, &cd, &eocd);

	/* sound: every record, and the first screen's load is the whole load's */
	assert_int_equal(walk_bytes_as(s, r.b, r.n, &entries), RAW_MEMBERS);
	assert_int_equal(entries, RAW_MEMBERS);
	struct collection first, whole;
	struct load_opts fo = lean;
	bool cut = false;
	fo.max_files = 1;
	fo.cut_short = &cut;
	load(s->zip, &fo, &first);
	load(s->zip, &lean, &whole);
	assert_true(cut);
	assert_int_equal(collection_count(&first), 1);
	assert_int_equal(collection_count(&whole), RAW_MEMBERS);
	assert_in_whole(&whole, collection_article(&first, 0));
	collection_free(&first);
	collection_free(&whole);
	/* a truncated end record; the file cut in its directory */
	assert_int_equal(walk_bytes_as(s, r.b, r.n - 5, &entries), -1);
	assert_int_equal(walk_bytes_as(s, r.b, cd + 20, &entries), -1);
	/* a directory past the end of the file, or running into the end record */
	char *b = malloc(r.n);
	assert_non_null(b);
	memcpy(b, r.b, r.n);
	put32(b + eocd + 16, (uint32_t)r.n + 100);
	assert_int_equal(walk_bytes_as(s, b, r.n, &entries), -1);
	memcpy(b, r.b, r.n);
	put32(b + eocd + 12, (uint32_t)(eocd - cd + 1));
	assert_int_equal(walk_bytes_as(s, b, r.n, &entries), -1);
	/* the second record's member header past the end, or inside the directory */
	size_t second = cd + 46 + get16(r.b + cd + 28);
	memcpy(b, r.b, r.n);
	put32(b + second + 42, (uint32_t)r.n + 1000);
	assert_int_equal(walk_bytes_as(s, b, r.n, &entries), 1);
	memcpy(b, r.b, r.n);
	put32(b + second + 42, (uint32_t)cd - 10);
	assert_int_equal(walk_bytes_as(s, b, r.n, &entries), 1);
	/* a name length running past the directory */
	memcpy(b, r.b, r.n);
	put16(b + second + 28, 0xfff0);
	assert_int_equal(walk_bytes_as(s, b, r.n, &entries), 1);
	free(b);
	free(r.b);

	/* a comment: as long as said; said longer or shorter than it is */
	o = (struct raw_opts){.comment_n = 5, .comment_said = 5};
	r = raw_zip(&o, &cd, &eocd);
	assert_int_equal(walk_bytes_as(s, r.b, r.n, &entries), RAW_MEMBERS);
	free(r.b);
	o = (struct raw_opts){.comment_n = 5, .comment_said = 40};
	r = raw_zip(&o, &cd, &eocd);
	assert_int_equal(walk_bytes_as(s, r.b, r.n, &entries), -1);
	free(r.b);
	o = (struct raw_opts){.comment_n = 5, .comment_said = 2};
	r = raw_zip(&o, &cd, &eocd);
	assert_int_equal(walk_bytes_as(s, r.b, r.n, &entries), -1);
	free(r.b);

	/* the count of records: more than there are, fewer */
	o = (struct raw_opts){.count_delta = 5};
	r = raw_zip(&o, &cd, &eocd);
	assert_int_equal(walk_bytes_as(s, r.b, r.n, &entries), RAW_MEMBERS);
	assert_int_equal(entries, RAW_MEMBERS + 5);
	free(r.b);
	o = (struct raw_opts){.count_delta = -2};
	r = raw_zip(&o, &cd, &eocd);
	assert_int_equal(walk_bytes_as(s, r.b, r.n, &entries), RAW_MEMBERS - 2);
	assert_int_equal(entries, RAW_MEMBERS - 2);
	free(r.b);

	/* Zip64: sound (the first record's offset in its Zip64 field), and the same load
	 * as libzip's */
	o = (struct raw_opts){.zip64 = true};
	r = raw_zip(&o, &cd, &eocd);
	assert_int_equal(walk_bytes_as(s, r.b, r.n, &entries), RAW_MEMBERS);
	assert_int_equal(entries, RAW_MEMBERS);
	cut = false;
	load(s->zip, &fo, &first);
	load(s->zip, &lean, &whole);
	assert_true(cut);
	assert_int_equal(collection_count(&first), 1);
	assert_int_equal(collection_count(&whole), RAW_MEMBERS);
	assert_int_equal(collection_article(&first, 0)->member->offset, 0);
	assert_in_whole(&whole, collection_article(&first, 0));
	collection_free(&first);
	collection_free(&whole);
	b = malloc(r.n);
	assert_non_null(b);
	size_t rec = eocd - 20 - 56, loc = eocd - 20;
	/* its locator pointing past the end, or at its own bytes */
	memcpy(b, r.b, r.n);
	put32(b + loc + 8, (uint32_t)r.n + 8);
	assert_int_equal(walk_bytes_as(s, b, r.n, &entries), -1);
	memcpy(b, r.b, r.n);
	put32(b + loc + 8, (uint32_t)loc - 10);
	assert_int_equal(walk_bytes_as(s, b, r.n, &entries), -1);
	/* its record's directory past the end; its count of records lying (huge) */
	memcpy(b, r.b, r.n);
	put32(b + rec + 48, (uint32_t)r.n);
	assert_int_equal(walk_bytes_as(s, b, r.n, &entries), -1);
	memcpy(b, r.b, r.n);
	put32(b + rec + 24 + 4, 0x7fffffff);
	put32(b + rec + 32 + 4, 0x7fffffff);
	assert_int_equal(walk_bytes_as(s, b, r.n, &entries), RAW_MEMBERS);
	/* the first record's Zip64 field cut short: the offset it needs is not there */
	memcpy(b, r.b, r.n);
	put16(b + cd + 46 + get16(r.b + cd + 28) + 2, 4);
	assert_int_equal(walk_bytes_as(s, b, r.n, &entries), 0);
	free(b);
	free(r.b);
}

/* Bodies read back on several threads at once, from the members' offsets and through
 * libzip (whose open archive is shared, one reader at a time): each the same as the
 * whole load's. */
struct reader {
	const struct collection *lean, *whole;
	size_t mismatches;
};

static void *read_all_bodies(void *arg)
{
	struct reader *r = arg;

	for (int round = 0; round < 20; round++)
		for (size_t i = 0; i < collection_count(r->lean); i++) {
			char *buf;
			struct str t = article_body_read(r->lean, i, &buf);
			struct str u = collection_article(r->whole, i)->body;
			r->mismatches += t.n != u.n || (t.n && memcmp(t.p, u.p, t.n) != 0);
			free(buf);
			/* the member's bytes through libzip (the shared open archive) too */
			const struct article *a = collection_article(r->lean, i);
			struct archive_member m = *a->member;
			struct strbuf why = {0};
			char *direct, *through;
			size_t nd, nt;
			uint64_t len = a->body_format == FORMAT_JSONL ||
						       a->body_format == FORMAT_SOGOU
					       ? a->rec_len
					       : 0;
			int e1 = zipcoll_read(a->path, &m, a->rec_off, len, LOADER_MAX_FILE,
					      &direct, &nd, &why);
			m.offset = UINT64_MAX;
			int e2 = zipcoll_read(a->path, &m, a->rec_off, len, LOADER_MAX_FILE,
					      &through, &nt, &why);
			r->mismatches += e1 || e2 || nd != nt || memcmp(direct, through, nd) != 0;
			free(direct);
			free(through);
			sb_free(&why);
		}
	return NULL;
}

static void test_threads(void **state)
{
	struct scratch *s = *state;
	struct collection c, w;
	pthread_t t[4];
	struct reader r[4];

	write_zip(s->zip, round_trip, NROUND);
	load(s->zip, &lean, &c);
	load(s->zip, &full, &w);
	for (int i = 0; i < 4; i++) {
		r[i] = (struct reader){&c, &w, 0};
		assert_int_equal(pthread_create(&t[i], NULL, read_all_bodies, &r[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(r[i].mismatches, 0);
	}
	collection_free(&c);
	collection_free(&w);
}

/* W saves an archived article's source from its member, byte for byte: a THUCNews
 * member whole (deflated or stored), a JSON Lines record as its line (the last one,
 * without a newline in the member, given one), a SogouCS record in its own encoding. */
static void test_save_source_of_members(void **state)
{
	NEEDS_JANSSON(); /* the archives hold JSON Lines members */
	struct scratch *s = *state;
	struct collection c;
	struct app a;
	char out[600];
	const char *ids[] = {"1", "2", "n3", "n4", "d2"};
	const char *want[] = {thuc1, thuc2,
			      "{\"news_id\":\"n3\",\"title\":\"Third\",\"content\":\"three\","
			      "\"source\":\"S\"}\n",
			      "{\"news_id\":\"n4\",\"title\":\"Fourth\",\"content\":"
			      "\"four\\nparagraphs\"}\n",
			      NULL};

	write_zip(s->zip, round_trip, NROUND);
	load(s->zip, &lean, &c);
	setenv("HOME", s->root, 1);
	app_init(&a, &c, 24, 80);
	for (size_t k = 0; k < sizeof ids / sizeof *ids; k++) {
		const struct article *art = by_id(&c, ids[k]);
		assert_non_null(art);
		app_select_article(&a, collection_index(&c, art));
		app_sync_pane(&a);
		app_key(&a, 'W');
		snprintf(out, sizeof out, "~/saved%zu", k);
		test_type(&a, out);
		app_key(&a, KEYC_RETURN);
		snprintf(out, sizeof out, "%s/saved%zu", s->root, k);
		size_t n;
		char *got = read_all(out, &n);
		assert_non_null(got);
		if (want[k]) {
			assert_int_equal(n, strlen(want[k]));
			assert_memory_equal(got, want[k], n);
		} else { /* the second record of the SogouCS member, as it is there */
			const char *rec = strstr(sogou, "<doc><url>http://b.example/");
			assert_int_equal(n, strlen(rec));
			assert_memory_equal(got, rec, n);
		}
		free(got);
	}
	app_free(&a);
	collection_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_save_source_of_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_member, setup, teardown),
		cmocka_unit_test_setup_teardown(test_members_in_detected_encodings, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_unchanged_members_reused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gbk_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_top_level_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_members, setup, teardown),
		cmocka_unit_test_setup_teardown(test_archive_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(test_diags_after_loading, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_part, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_then_rest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deflate_without_its_end, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
