/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zipcoll.c: collections in zip archives, read with libzip (zipcoll.h). The archive is
 * one file of the collection; each member a directory walk would look at is loaded
 * through the format it is in (format.h), its articles pointing at the member (its
 * index, name, size and CRC, so that a read back notices another archive in its place),
 * and at the record's bytes inside it for JSON Lines and SogouCS. An archive is
 * untrusted input: names, sizes and methods are checked before a byte is inflated, and
 * no member is inflated past what it declares nor past the per-article limit.
 *
 * Reading a text back does not open the archive with libzip, which reads and indexes
 * its whole central directory first (2.8 s of processor time and 268 MB for THUCNews'
 * 836,075 members): while loading, the central directory is also walked here (one
 * record after another, in the order libzip numbers them, each name compared with
 * libzip's) for each member's local header offset, which its articles keep; a text is
 * then read from there: the local header checked against what libzip said of the
 * member (method, CRC), the bytes of a stored member read where they are, those of a
 * deflated one inflated with zlib up to the record (and a whole member's CRC checked).
 * A member of another method, or of an archive whose directory the walk cannot follow,
 * is read back through libzip.
 *
 * The reader's first screen of an archive of more records than it shows does not open
 * it with libzip either: the same walk reads only the first records, and their members
 * are read as a text is read back (quick_load); libzip loads the whole archive beside
 * the reader, from its start, and what it loads replaces the first screen's. */
#include <config.h>

#include <config.h>

#include "zipcoll.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "text.h"

bool zipcoll_is_archive(const char *head, size_t n)
{
	return n >= 4 && (memcmp(head, "PK\3\4", 4) == 0 || memcmp(head, "PK\5\6", 4) == 0);
}

#ifndef HAVE_LIBZIP

bool zipcoll_supported(void)
{
	return false;
}

size_t zipcoll_load(struct collection *c, const char *path, int fd, const struct load_opts *o)
{
	(void)fd;
	(void)o;
	struct strbuf shown = {0};
	collection_diag_unreadable(c, path, 0,
				   "a zip archive, which this build of xinwen cannot read "
				   "(built without libzip): unpack it first (unzip %s)",
				   text_name_shown(&shown, path));
	sb_free(&shown);
	return 0;
}

long long zipcoll_walk(int fd, uint64_t max, uint64_t *entries)
{
	(void)fd, (void)max;
	*entries = 0;
	return -1;
}

int zipcoll_read(const char *path, const struct archive_member *m, uint64_t off, uint64_t len,
		 size_t max, char **out, size_t *out_n, struct strbuf *why)
{
	(void)path, (void)m, (void)off, (void)len, (void)max;
	*out = NULL;
	*out_n = 0;
	sb_puts(why, "this build of xinwen cannot read zip archives (built without libzip)");
	return ENOTSUP;
}

#else

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "decode.h"
#include "utf8.h"
#include "xxh64.h"

bool zipcoll_supported(void)
{
	return true;
}

/* ---------------------------------------------------------------------------
 * Names
 */

/* Member i's name read as GB18030 (decode_gb18030_name) from its raw bytes, when they
 * are not UTF-8 but GB18030 throughout, else NULL and libzip's name stands (UTF-8, or CP
 * 437 as the format says of a name not flagged UTF-8). Archives made on Chinese Windows
 * name their members in the system's code page (GBK), unflagged: read as CP 437,
 * "体育" would be "╠σ╙²". */
static char *gb18030_name(zip_t *z, zip_uint64_t i)
{
	const char *raw = zip_get_name(z, i, ZIP_FL_ENC_RAW);

	return raw ? decode_gb18030_name(raw, strlen(raw)) : NULL;
}

/* Whether an archive's member name is one a reader may take: not empty, not absolute
 * ("/x", "\x", "C:x"), no ".." component (with '/' or '\' between), no control byte. */
static bool safe_name(const char *name)
{
	const char *p = name;

	if (!*name || *name == '/' || *name == '\\' ||
	    (((*name | 0x20) >= 'a' && (*name | 0x20) <= 'z') && name[1] == ':'))
		return false;
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	for (p = name; *p;) {
		size_t k = strcspn(p, "/\\");
		if (k == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p += k;
		if (*p)
			p++;
	}
	return true;
}

static const char *base_of(const char *name)
{
	const char *slash = strrchr(name, '/');
	return slash ? slash + 1 : name;
}

/* s without a .txt ending (unless that leaves nothing), as a new string: an id as a
 * directory walk makes it. */
static char *strip_txt(const char *s)
{
	size_t n = strlen(s);

	if (n > 4 && strcmp(s + n - 4, ".txt") == 0)
		n -= 4;
	return xstrndup(s, n);
}

/* The set of member names seen, to refuse a second member of the same name: each kept
 * as its index, its name found again by name_of(ctx, index). */
struct name_set {
	uint64_t *hash;
	uint64_t *index;
	size_t cap, n;
	const char *(*name_of)(void *ctx, uint64_t i);
	void *ctx;
};

/* Whether name (member i) was seen before; notes it when not. */
static bool seen_before(struct name_set *s, const char *name, uint64_t i)
{
	uint64_t h = xxh64(name, strlen(name), 0) | 1; /* 0: an empty slot */
	size_t k;

	if ((s->n + 1) * 2 > s->cap) {
		struct name_set old = *s;
		s->cap = old.cap ? old.cap * 2 : 1024;
		s->hash = xcalloc(s->cap, sizeof *s->hash);
		s->index = xcalloc(s->cap, sizeof *s->index);
		for (size_t j = 0; j < old.cap; j++) {
			if (!old.hash[j])
				continue;
			for (k = old.hash[j] & (s->cap - 1); s->hash[k]; k = (k + 1) & (s->cap - 1))
				;
			s->hash[k] = old.hash[j];
			s->index[k] = old.index[j];
		}
		free(old.hash);
		free(old.index);
	}
	for (k = h & (s->cap - 1); s->hash[k]; k = (k + 1) & (s->cap - 1)) {
		const char *other;
		if (s->hash[k] == h && (other = s->name_of(s->ctx, s->index[k])) != NULL &&
		    strcmp(other, name) == 0)
			return true;
	}
	s->hash[k] = h;
	s->index[k] = i;
	s->n++;
	return false;
}

static void name_set_free(struct name_set *s)
{
	free(s->hash);
	free(s->index);
}

/* ---------------------------------------------------------------------------
 * The central directory, walked for the members' local header offsets
 */

static unsigned le16(const unsigned char *p)
{
	return p[0] | (unsigned)p[1] << 8;
}

static uint32_t le32(const unsigned char *p)
{
	return le16(p) | (uint32_t)le16(p + 2) << 16;
}

static uint64_t le64(const unsigned char *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Read n bytes at off of fd; false when there are fewer. */
static bool pread_all(int fd, void *buf, size_t n, uint64_t off)
{
	char *p = buf;

	while (n) {
		ssize_t got = pread(fd, p, n, (off_t)off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return false;
		p += got;
		n -= (size_t)got;
		off += (uint64_t)got;
	}
	return true;
}

#define WALK_BUF (1u << 20) /* larger than any record: 46 + 3 * 65535 bytes */

struct cd_walk {
	int fd;
	bool ok;	    /* false: no offsets (from the start, or once lost) */
	uint64_t at, end;   /* the next record's offset in the file; the directory's end */
	uint64_t start;	    /* the directory's offset: every local header is before it */
	uint64_t entries;   /* the records the end record says there are */
	uint64_t walked;    /* the records read so far */
	unsigned char *buf; /* the file's bytes from buf_at, buf_n of them */
	uint64_t buf_at;
	size_t buf_n;
};

/* One record of the central directory, as walk_entry read it. */
struct cd_entry {
	uint64_t size, comp_size, offset;
	uint32_t crc;
	unsigned flags, method, dos_time, dos_date;
	bool unicode_name; /* with an Info-ZIP Unicode Path field (libzip names it so) */
	const char *name;  /* its raw name (no NUL), in the walk's buffer until the next */
	size_t name_n;	   /* its length, NULs in it included */
};

/* The n bytes at w->at, read into the buffer when they are not there; NULL past end. */
static const unsigned char *walk_bytes(struct cd_walk *w, size_t n)
{
	if (n > WALK_BUF || w->at > w->end || n > w->end - w->at)
		return NULL;
	if (w->at < w->buf_at || w->at + n > w->buf_at + w->buf_n) {
		size_t want = w->end - w->at < WALK_BUF ? (size_t)(w->end - w->at) : WALK_BUF;
		if (!pread_all(w->fd, w->buf, want, w->at))
			return NULL;
		w->buf_at = w->at;
		w->buf_n = want;
	}
	return w->buf + (w->at - w->buf_at);
}

/* The Zip64 end record of the archive open as fd (size bytes), whose locator is at loc:
 * the directory's offset, size and records into *cd_off, *cd_size, *entries, and the
 * record's offset into *rec; false when it is not where the locator says or lies. */
static bool zip64_end(int fd, uint64_t loc, uint64_t *cd_off, uint64_t *cd_size, uint64_t *entries,
		      uint64_t *rec)
{
	unsigned char l[20], z[56];

	if (!pread_all(fd, l, sizeof l, loc) || le32(l + 4) != 0 || le32(l + 16) > 1)
		return false; /* on another disk, or of several */
	*rec = le64(l + 8);
	if (*rec > loc || loc - *rec < sizeof z || !pread_all(fd, z, sizeof z, *rec) ||
	    memcmp(z, "PK\6\6", 4) != 0 || le32(z + 16) != 0 || le32(z + 20) != 0 ||
	    le64(z + 24) != le64(z + 32))
		return false;
	*entries = le64(z + 32);
	*cd_size = le64(z + 40);
	*cd_off = le64(z + 48);
	return true;
}

/* Find the central directory of the archive open as fd (size bytes): w->at, w->end,
 * w->entries, from its end record (and the Zip64 one when the end record says so).
 * Every number is checked against the file: the end record ends the file, its comment
 * included; the directory lies before the end record; one disk. */
static bool walk_start(struct cd_walk *w, int fd, uint64_t size)
{
	unsigned char tail[22 + 65535 + 20];
	size_t n = size < sizeof tail ? (size_t)size : sizeof tail;
	uint64_t base = size - n, cd_off, cd_size, entries, limit;

	memset(w, 0, sizeof *w);
	w->fd = fd;
	if (n < 22 || !pread_all(fd, tail, n, base))
		return false;
	for (size_t i = n - 22 + 1; i-- > 0;) { /* the end record, last first */
		const unsigned char *e = tail + i;
		if (memcmp(e, "PK\5\6", 4) != 0 || i + 22 + le16(e + 20) != n)
			continue;
		if (le16(e + 4) != 0 || le16(e + 6) != 0 || le16(e + 8) != le16(e + 10))
			return false; /* of several disks */
		entries = le16(e + 10);
		cd_size = le32(e + 12);
		cd_off = le32(e + 16);
		limit = base + i;
		if (cd_off == UINT32_MAX || cd_size == UINT32_MAX || entries == 0xffff) {
			if (i < 20 || memcmp(e - 20, "PK\6\7", 4) != 0 ||
			    !zip64_end(fd, base + i - 20, &cd_off, &cd_size, &entries, &limit))
				return false;
		}
		if (cd_off > limit || cd_size > limit - cd_off)
			return false;
		w->at = w->start = cd_off;
		w->end = cd_off + cd_size;
		w->entries = entries;
		w->buf = xmalloc(WALK_BUF);
		w->ok = true;
		return true;
	}
	return false;
}

/* The values of the Zip64 extra field v[0..n) replacing e's fields set to all ones (in
 * the order the format gives); false when one it needs is not there. */
static bool zip64_fields(struct cd_entry *e, const unsigned char *v, size_t n)
{
	uint64_t *field[] = {&e->size, &e->comp_size, &e->offset};
	size_t at = 0;

	for (size_t j = 0; j < 3; j++) {
		if (*field[j] != UINT32_MAX)
			continue;
		if (n - at < 8)
			return false;
		*field[j] = le64(v + at);
		at += 8;
	}
	return true;
}

/* Read the next record of the directory into e; false (and no more records from then
 * on) past the records the end record says, or when the record does not fit in the
 * directory, or its local header could not be before the directory. */
static bool walk_entry(struct cd_walk *w, struct cd_entry *e)
{
	const unsigned char *r;

	if (!w->ok || w->walked >= w->entries || !(r = walk_bytes(w, 46)) ||
	    memcmp(r, "PK\1\2", 4) != 0)
		goto lost;
	size_t n = le16(r + 28), x = le16(r + 30), k = le16(r + 32), len = 46 + n + x + k;
	memset(e, 0, sizeof *e);
	e->flags = le16(r + 8);
	e->method = le16(r + 10);
	e->dos_time = le16(r + 12);
	e->dos_date = le16(r + 14);
	e->crc = le32(r + 16);
	e->comp_size = le32(r + 20);
	e->size = le32(r + 24);
	e->offset = le32(r + 42);
	bool zip64 = false;
	if (le16(r + 34) != 0 || !(r = walk_bytes(w, len)))
		goto lost; /* on another disk, or cut short */
	for (const unsigned char *f = r + 46 + n, *end = f + x; end - f >= 4;) {
		unsigned id = le16(f), sz = le16(f + 2);
		if ((size_t)(end - f - 4) < sz)
			goto lost;
		if (id == 1 && !zip64) {
			zip64 = true;
			if (!zip64_fields(e, f + 4, sz))
				goto lost;
		}
		e->unicode_name = e->unicode_name || id == 0x7075;
		f += 4 + sz;
	}
	if (e->size == UINT32_MAX || e->comp_size == UINT32_MAX || e->offset == UINT32_MAX) {
		if (!zip64) /* all ones and no Zip64 field to say more */
			goto lost;
	}
	if (e->offset > w->start || w->start - e->offset < 30 ||
	    e->comp_size > w->start - e->offset - 30)
		goto lost; /* its header and data would overlap the directory */
	e->name = (const char *)r + 46;
	e->name_n = n;
	w->at += len;
	w->walked++;
	return true;
lost:
	w->ok = false;
	return false;
}

/* The next record's local header offset, its raw name compared with raw; UINT64_MAX
 * (and no offsets from then on) when the walk and libzip disagree. */
static uint64_t walk_next(struct cd_walk *w, const char *raw)
{
	struct cd_entry e;

	if (!walk_entry(w, &e))
		return UINT64_MAX;
	if (!raw || strlen(raw) != e.name_n || memcmp(e.name, raw, e.name_n) != 0) {
		w->ok = false;
		return UINT64_MAX;
	}
	return e.offset;
}

/* Where the data of member m begins in the archive open as fd (size bytes), from its
 * local header at m->offset; 0 when that header is not m's (signature, method, CRC)
 * or the data would run past the end. */
static uint64_t member_data(int fd, uint64_t size, const struct archive_member *m)
{
	unsigned char h[30];

	if (m->offset == UINT64_MAX || !pread_all(fd, h, sizeof h, m->offset) ||
	    memcmp(h, "PK\3\4", 4) != 0 || le16(h + 8) != (unsigned)m->method ||
	    (!(le16(h + 6) & 8) && le32(h + 14) != m->crc))
		return 0;
	uint64_t data = m->offset + 30 + le16(h + 26) + le16(h + 28);
	if (data > size || m->comp_size > size - data)
		return 0;
	return data;
}

/* ---------------------------------------------------------------------------
 * Reading a member, never past what it declares
 */

struct member_reader {
	zip_file_t *zf;
	uint64_t declared, got;
	bool over;  /* it inflates to more than it declares */
	bool error; /* libzip failed: zip_file_strerror says why */
};

/* For linereader_fn: the member's bytes, at most its declared size. */
static long member_read(void *ctx, char *buf, size_t n)
{
	struct member_reader *m = ctx;
	zip_int64_t got;

	if (m->over || m->error)
		return 0;
	if (m->got == m->declared) { /* a byte more would be a lie: look for one */
		char extra;
		got = zip_fread(m->zf, &extra, 1);
		m->over = got > 0;
		m->error = got < 0;
		return 0;
	}
	if (n > m->declared - m->got)
		n = (size_t)(m->declared - m->got);
	got = zip_fread(m->zf, buf, n);
	if (got < 0) {
		m->error = true;
		return 0; /* said as a diag, the records read so far kept */
	}
	m->got += (uint64_t)got;
	return (long)got;
}

/* Read all of a member declaring size bytes (at most max) into a new buffer; false with
 * why when it cannot be read or inflates past size. */
static bool read_whole(zip_file_t *zf, uint64_t size, size_t max, char **out, size_t *out_n,
		       struct strbuf *why)
{
	struct member_reader m = {zf, size, 0, false, false};
	char *buf;
	size_t n = 0;
	long got;

	if (size > max) {
		sb_printf(why, "too large: over %zu bytes", max);
		return false;
	}
	buf = xmalloc((size_t)size + 1);
	/* reads until it has all, then one byte more: is there more than it says? */
	while ((got = member_read(&m, buf + n, (size_t)size - n)) > 0)
		n += (size_t)got;
	if (m.error || m.over || n != size) {
		if (m.error)
			sb_printf(why, "cannot inflate: %s", zip_file_strerror(zf));
		else if (m.over)
			sb_printf(why, "inflates to more than the %llu bytes it declares",
				  (unsigned long long)size);
		else
			sb_printf(why, "cut short: %zu of the %llu bytes it declares", n,
				  (unsigned long long)size);
		free(buf);
		return false;
	}
	buf[n] = '\0';
	*out = buf;
	*out_n = n;
	return true;
}

/* ---------------------------------------------------------------------------
 * Loading
 */

struct zip_load {
	struct collection *c;
	const char *path;  /* the archive, as given */
	const char *apath; /* the same, kept by c (its articles' path) */
	const struct load_opts *o;
	zip_t *z;
	struct cd_walk walk;
	uint64_t size;	       /* the archive's */
	struct strbuf display; /* "ARCHIVE:MEMBER", naming a member in messages */
};

/* Set c to load lean (as loader.c's load_file does for a file) in format f. */
static void set_lean(struct zip_load *l, enum format f)
{
	const struct load_opts *o = l->o;

	l->c->lean = format_lean_readable(f, o) ? o->lean : LEAN_NO;
	l->c->lean_format = f;
	l->c->lean_encoding = DECODE_FOUND_UTF8;
}

/* Point the articles added since first at the archive and at member m (kept by c), and
 * drop the member's display name the parsers kept as their path. */
static void claim_articles(struct zip_load *l, size_t first, const struct archive_member *m)
{
	struct collection *c = l->c;
	const struct archive_member *kept = NULL;

	for (size_t i = first; i < c->articles.n; i++) {
		struct article *a = c->articles.v[i];
		if (!kept)
			kept = collection_keep_member(c, m);
		a->path = l->apath;
		a->member = kept;
	}
	while (c->paths.n && c->paths.v[c->paths.n - 1] != l->apath)
		free(c->paths.v[--c->paths.n]);
}

/* Load the article of member m named name (a *.txt file), its n bytes read into buf
 * (freed here). */
static size_t take_article(struct zip_load *l, const char *name, struct archive_member *m,
			   char *buf, size_t n)
{
	struct collection *c = l->c;
	size_t added, first = c->articles.n;
	enum format f = l->o->format != FORMAT_AUTO ? l->o->format
						    : format_detect(name, buf, n, true);
	char *id = strip_txt(base_of(name)), *alt = strip_txt(name);

	set_lean(l, f);
	m->format = (int)f;
	added = format_load_buffer(c, f, l->display.s, id, alt, buf, n, l->o->encoding);
	m->encoding = c->lean_encoding;
	claim_articles(l, first, m);
	free(id);
	free(alt);
	free(buf);
	return added;
}

/* Load member st (a stream format candidate: *.jsonl, *.json, *.dat, *.xml). */
static size_t load_records(struct zip_load *l, const zip_stat_t *st, struct archive_member *m)
{
	struct collection *c = l->c;
	const char *name = l->display.s;
	struct member_reader mr = {NULL, st->size, 0, false, false};
	struct linereader r;
	const char *head;
	size_t n, added = 0, first = c->articles.n;
	enum format f;

	if (st->comp_method != ZIP_CM_STORE && st->size > ZIPCOLL_MAX_INFLATE) {
		collection_diag(c, name, 0,
				"%.1f MB compressed: reading one of its articles would mean "
				"inflating up to all of it (xinwen reads compressed members up to "
				"%u MB): skipped; " ZIPCOLL_UNPACK "unzip '%s' '%s'",
				(double)st->size / 1e6, ZIPCOLL_MAX_INFLATE >> 20, l->path,
				st->name);
		return 0;
	}
	if (!(mr.zf = zip_fopen_index(l->z, st->index, 0))) {
		collection_diag_unreadable(c, name, 0, "cannot read: %s", zip_strerror(l->z));
		return 0;
	}
	linereader_fn(&r, member_read, &mr, LOADER_MAX_FILE);
	n = linereader_peek(&r, FORMAT_HEAD, &head);
	f = l->o->format != FORMAT_AUTO ? l->o->format : format_detect(st->name, head, n, true);
	if (format_streams(f)) {
		set_lean(l, f);
		m->format = (int)f;
		added = format_load_stream(c, f, name, &r, l->o->encoding);
		claim_articles(l, first, m);
	} /* else a .json, .dat or .xml member of no format of ours: ignored */
	if (mr.error)
		collection_diag_unreadable(c, name, 0, "cannot inflate: %s: the rest skipped",
					   zip_file_strerror(mr.zf));
	else if (mr.over)
		collection_diag(
			c, name, 0,
			"inflates to more than the %llu bytes it declares: the rest skipped",
			(unsigned long long)st->size);
	linereader_free(&r);
	zip_fclose(mr.zf);
	return added;
}

/* Load member st, one article (a *.txt file). */
static size_t load_article(struct zip_load *l, const zip_stat_t *st, struct archive_member *m)
{
	struct collection *c = l->c;
	const char *name = l->display.s;
	struct strbuf why = {0};
	zip_file_t *zf;
	char *buf = NULL;
	size_t n = 0;

	if (st->size > LOADER_MAX_FILE) { /* checked before a byte is inflated */
		collection_diag(c, name, 0, "too large: over %zu bytes: skipped",
				(size_t)LOADER_MAX_FILE);
		return 0;
	}
	if (!(zf = zip_fopen_index(l->z, st->index, 0))) {
		collection_diag_unreadable(c, name, 0, "cannot read: %s", zip_strerror(l->z));
		return 0;
	}
	if (!read_whole(zf, st->size, LOADER_MAX_FILE, &buf, &n, &why)) {
		collection_diag_unreadable(c, name, 0, "%s: skipped", why.s);
		zip_fclose(zf);
		sb_free(&why);
		return 0;
	}
	zip_fclose(zf);
	return take_article(l, st->name, m, buf, n);
}

/* Whether member st is to be read, saying why not (as a diag) when it is refused. */
static bool member_wanted(struct zip_load *l, const zip_stat_t *st, struct name_set *names)
{
	struct collection *c = l->c;
	const char *name = st->name;
	size_t n = strlen(name);

	if (!safe_name(name)) {
		collection_diag(c, l->path, 0,
				"member %llu: an unsafe name (absolute, with \"..\" or control "
				"characters): %s: skipped",
				(unsigned long long)st->index, name);
		return false;
	}
	if (name[n - 1] != '/' && format_archive_name(base_of(name)) && !format_hidden_path(name)) {
		struct strbuf shown = {0};
		collection_diag(c, l->display.s, 0,
				"an archive inside the archive is not opened: unpack it to read it "
				"(unzip %s %s): skipped",
				text_name_shown(&shown, l->path), name);
		sb_free(&shown);
		return false;
	}
	if (name[n - 1] == '/' || !format_candidate_name(base_of(name)) || format_hidden_path(name))
		return false; /* a directory, no article file, or a hidden one: ignored */
	if (seen_before(names, name, st->index)) {
		collection_diag(c, l->display.s, 0,
				"a second member of this name (member %llu): skipped",
				(unsigned long long)st->index);
		return false;
	}
	if ((st->valid & ZIP_STAT_ENCRYPTION_METHOD) && st->encryption_method != ZIP_EM_NONE) {
		collection_diag(c, l->display.s, 0, "encrypted: skipped");
		return false;
	}
	if (!zip_compression_method_supported((zip_int32_t)st->comp_method, 0)) {
		collection_diag(c, l->display.s, 0,
				"compressed with a method libzip cannot inflate (%u): skipped",
				(unsigned)st->comp_method);
		return false;
	}
	return true;
}

/* Take member m's articles from an earlier load of the archive when it is unchanged
 * (o->reuse_member); whether they were. */
static bool reuse_member(struct zip_load *l, const struct archive_member *m)
{
	char *id = strip_txt(base_of(m->name)), *alt = strip_txt(m->name);
	bool took = l->o->reuse_member(l->o->reuse_ctx, l->apath, l->display.s, m, id, alt, l->c);

	free(id);
	free(alt);
	return took;
}

/* Load member i of the archive; returns the articles added. */
static size_t load_member(struct zip_load *l, zip_uint64_t i, struct name_set *names)
{
	zip_stat_t st;
	size_t added;

	uint64_t offset = walk_next(&l->walk, zip_get_name(l->z, i, ZIP_FL_ENC_RAW));
	zip_stat_init(&st);
	if (zip_stat_index(l->z, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME) ||
	    !(st.valid & ZIP_STAT_SIZE)) {
		collection_diag_unreadable(l->c, l->path, 0, "member %llu: %s: skipped",
					   (unsigned long long)i, zip_strerror(l->z));
		return 0;
	}
	char *gb_name = gb18030_name(l->z, i);
	if (gb_name)
		st.name = gb_name;
	sb_clear(&l->display);
	sb_printf(&l->display, "%s:%s", l->path, st.name);
	if (!member_wanted(l, &st, names)) {
		free(gb_name);
		return 0;
	}
	struct archive_member m = {(char *)(uintptr_t)st.name,
				   i,
				   st.size,
				   st.comp_size,
				   (int64_t)st.mtime,
				   offset,
				   st.crc,
				   (int)st.comp_method,
				   0,
				   0};
	/* read back from there only if its local header is this member's now (libzip does
	 * not look at the header's signature: it would read it back) */
	if (offset != UINT64_MAX && !member_data(l->walk.fd, l->size, &m))
		m.offset = UINT64_MAX;
	size_t k = strlen(st.name), before = l->c->articles.n;
	if (l->o->reuse_member && reuse_member(l, &m))
		added = l->c->articles.n - before;
	else if (k > 4 && strcmp(st.name + k - 4, ".txt") == 0)
		added = load_article(l, &st, &m);
	else
		added = load_records(l, &st, &m);
	l->c->lean = false;
	free(gb_name);
	return added;
}

long long zipcoll_walk(int fd, uint64_t max, uint64_t *entries)
{
	struct cd_walk w;
	struct cd_entry e;
	struct stat st;
	long long n = 0;

	*entries = 0;
	if (fstat(fd, &st) != 0 || st.st_size <= 0 || !walk_start(&w, fd, (uint64_t)st.st_size))
		return -1;
	*entries = w.entries;
	while ((uint64_t)n < max && walk_entry(&w, &e))
		n++;
	free(w.buf);
	return n;
}

/* What the name set of the load through libzip finds names with: the archive, and
 * where the last name read as GB18030 is kept. */
struct libzip_names {
	zip_t *z;
	char *decoded;
};

/* For the name set of the load through libzip: member i's name (gb18030_name). */
static const char *libzip_name(void *ctx, uint64_t i)
{
	struct libzip_names *ln = ctx;

	free(ln->decoded);
	ln->decoded = gb18030_name(ln->z, i);
	return ln->decoded ? ln->decoded : zip_get_name(ln->z, i, 0);
}

/* ---------------------------------------------------------------------------
 * The first screen's members, without libzip
 */

/* A DOS date and time as seconds, as libzip makes its mtime of them (local time). */
static int64_t dos_mtime(unsigned t, unsigned d)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_isdst = -1; /* mktime decides */
	tm.tm_year = (int)((d >> 9) & 127) + 1980 - 1900;
	tm.tm_mon = (int)((d >> 5) & 15) - 1;
	tm.tm_mday = (int)(d & 31);
	tm.tm_hour = (int)((t >> 11) & 31);
	tm.tm_min = (int)((t >> 5) & 63);
	tm.tm_sec = (int)((t << 1) & 62);
	return (int64_t)mktime(&tm);
}

static int read_direct_fd(int fd, uint64_t size, const struct archive_member *m, uint64_t off,
			  uint64_t len, size_t max, char **out, size_t *out_n, struct strbuf *why);

/* The names of the records walked, by their index. */
struct walked_names {
	VEC(char *) v;
};

static const char *walked_name(void *ctx, uint64_t i)
{
	struct walked_names *w = ctx;
	return i < w->v.n ? w->v.v[i] : NULL;
}

/* Whether e's name is read by libzip as it is: valid UTF-8 (so neither CP 437 nor
 * another name in an Info-ZIP Unicode Path field takes its place), no NUL. */
static bool name_as_is(const struct cd_entry *e)
{
	return e->name_n && !e->unicode_name && !memchr(e->name, '\0', e->name_n) &&
	       utf8_valid_prefix((const unsigned char *)e->name, e->name_n) == e->name_n;
}

/* What the first screen's walk does with record e (its name: name): takes it (1),
 * passes over it (0: a directory or a file no walk looks at) or stops there (-1: a
 * member the load through libzip is to speak of). */
static int quick_wanted(const struct cd_entry *e, const char *name, struct name_set *names,
			uint64_t i)
{
	size_t n = strlen(name);

	if (!safe_name(name))
		return -1;
	if (name[n - 1] != '/' && format_archive_name(base_of(name)) && !format_hidden_path(name))
		return -1; /* an archive inside: said by the load through libzip */
	if (name[n - 1] == '/' || !format_candidate_name(base_of(name)) || format_hidden_path(name))
		return 0;
	if (seen_before(names, name, i) || (e->flags & 1) ||
	    (e->method != ZIP_CM_STORE && e->method != ZIP_CM_DEFLATE) || n <= 4 ||
	    strcmp(name + n - 4, ".txt") != 0 || e->size > LOADER_MAX_FILE)
		return -1; /* a duplicate, encrypted, of another method, records, too large */
	return 1;
}

/* The first screen's load (o->max_files members) of an archive of more records than
 * that, without libzip (whose opening reads and indexes its whole central directory):
 * the directory walked from its end record for the first records only, each member read
 * from its local header as zipcoll_read does, its fields those libzip gives. The walk
 * stops at a record it cannot take as libzip would (a name not in UTF-8, encrypted,
 * records, a member with a problem to say...): the whole load through libzip, beside the
 * reader, takes the archive from its start again and speaks of it. Returns whether
 * anything was loaded (then *o->cut_short is set); when not, c is as it was. */
static bool quick_load(struct zip_load *l, size_t *added)
{
	const struct load_opts *o = l->o;
	struct walked_names walked = {0};
	struct name_set names = {.name_of = walked_name, .ctx = &walked};
	struct cd_entry e;
	struct strbuf name = {0}, why = {0};
	size_t members = 0;
	bool took = false;

	if (!l->size || !walk_start(&l->walk, l->walk.fd, l->size) ||
	    l->walk.entries <= o->max_files)
		goto out;
	for (uint64_t i = 0; members < o->max_files && walk_entry(&l->walk, &e); i++) {
		if (o->cancel && atomic_load(o->cancel))
			break;
		/* a name in GBK as the load through libzip reads it (gb18030_name) */
		char *gb = name_as_is(&e) || (e.flags & 0x800) || e.unicode_name
				   ? NULL
				   : decode_gb18030_name(e.name, e.name_n);
		if (!gb && !name_as_is(&e))
			break;
		sb_clear(&name);
		if (gb)
			sb_puts(&name, gb);
		else
			sb_append(&name, e.name, e.name_n);
		free(gb);
		VEC_PUSH(&walked.v, xstrdup(name.s));
		int want = quick_wanted(&e, name.s, &names, i);
		if (want <= 0) {
			if (want < 0)
				break;
			continue;
		}
		struct archive_member m = {name.s,
					   i,
					   e.size,
					   e.comp_size,
					   dos_mtime(e.dos_time, e.dos_date),
					   e.offset,
					   e.crc,
					   (int)e.method,
					   0,
					   0};
		char *buf;
		size_t n;
		sb_clear(&why);
		if (read_direct_fd(l->walk.fd, l->size, &m, 0, 0, LOADER_MAX_FILE, &buf, &n, &why))
			break; /* said by the load through libzip */
		if (!l->apath) {
			VEC_PUSH(&l->c->paths, xstrdup(l->path));
			l->apath = l->c->paths.v[l->c->paths.n - 1];
		}
		sb_clear(&l->display);
		sb_printf(&l->display, "%s:%s", l->path, name.s);
		size_t before = l->c->articles.n;
		*added += take_article(l, name.s, &m, buf, n);
		l->c->lean = false;
		took = true;
		if (l->c->articles.n > before) {
			members++;
			if (o->loaded)
				atomic_fetch_add(o->loaded, 1);
		}
	}
	if (took && o->cut_short)
		*o->cut_short = true; /* the rest, and libzip's word on all of it, beside */
out:
	for (size_t j = 0; j < walked.v.n; j++)
		free(walked.v.v[j]);
	free(walked.v.v);
	name_set_free(&names);
	free(l->walk.buf);
	memset(&l->walk, 0, sizeof l->walk);
	sb_free(&name);
	sb_free(&why);
	return took;
}

size_t zipcoll_load(struct collection *c, const char *path, int fd, const struct load_opts *o)
{
	struct zip_load l = {c, path, NULL, o, NULL, {0}, 0, {0}};
	struct libzip_names ln = {NULL, NULL};
	struct name_set names = {.name_of = libzip_name, .ctx = &ln};
	int err = 0, dfd;
	size_t added = 0, members = 0;
	struct stat st;

	l.size = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
	l.walk.fd = fd;
	if (o->max_files && quick_load(&l, &added)) {
		sb_free(&l.display);
		return added;
	}
	if ((dfd = dup(fd)) < 0 || !(l.z = zip_fdopen(dfd, ZIP_RDONLY, &err))) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, err);
		collection_diag_unreadable(c, path, 0, "not a readable zip archive: %s",
					   dfd < 0 ? strerror(errno) : zip_error_strerror(&ze));
		zip_error_fini(&ze);
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	ln.z = l.z;
	VEC_PUSH(&c->paths, xstrdup(path));
	l.apath = c->paths.v[c->paths.n - 1];
	if (!l.size || !walk_start(&l.walk, fd, l.size))
		l.walk.ok = false;
	zip_int64_t n = zip_get_num_entries(l.z, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		if (o->cancel && atomic_load(o->cancel))
			break;
		if (o->max_files && members >= o->max_files) {
			if (o->cut_short)
				*o->cut_short = true;
			break;
		}
		size_t before = c->articles.n;
		added += load_member(&l, (zip_uint64_t)i, &names);
		if (c->articles.n > before) {
			members++;
			if (o->loaded)
				atomic_fetch_add(o->loaded, 1);
		}
	}
	zip_discard(l.z);
	free(l.walk.buf);
	name_set_free(&names);
	free(ln.decoded);
	sb_free(&l.display);
	return added;
}

/* ---------------------------------------------------------------------------
 * Reading back: the archive last read stays open (libzip reads its whole central
 * directory on opening), one reader at a time.
 */

static pthread_mutex_t open_lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
	zip_t *z;
	char *path;
	struct stat st;
} open_archive;

static void close_open_archive(void)
{
	if (open_archive.z)
		zip_discard(open_archive.z);
	free(open_archive.path);
	memset(&open_archive, 0, sizeof open_archive);
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The archive path opened (under open_lock), or NULL with why. */
static zip_t *archive_at(const char *path, struct strbuf *why, int *err)
{
	static bool registered;
	struct stat st;
	int zerr = 0;

	if (stat(path, &st) != 0) {
		*err = errno;
		sb_printf(why, "%s", strerror(errno));
		return NULL;
	}
	if (open_archive.z && strcmp(open_archive.path, path) == 0 &&
	    same_file(&st, &open_archive.st))
		return open_archive.z;
	close_open_archive();
	if (!registered)
		registered = atexit(close_open_archive) == 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
	if (!z) {
		zip_error_t ze;
		zip_error_init_with_code(&ze, zerr);
		sb_printf(why, "not a readable zip archive any more: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		*err = EIO;
		return NULL;
	}
	open_archive.z = z;
	open_archive.path = xstrdup(path);
	open_archive.st = st;
	return z;
}

/* Skip n bytes of zf (stored: seek; compressed: inflate them); false with why. */
static bool skip_to(zip_file_t *zf, int method, uint64_t n, struct strbuf *why)
{
	char scratch[64 * 1024];

	if (method == ZIP_CM_STORE && zip_fseek(zf, (zip_int64_t)n, SEEK_SET) == 0)
		return true;
	while (n) {
		zip_int64_t got = zip_fread(zf, scratch, n < sizeof scratch ? n : sizeof scratch);
		if (got <= 0) {
			sb_printf(why, "cannot inflate: %s",
				  got < 0 ? zip_file_strerror(zf) : "cut short");
			return false;
		}
		n -= (uint64_t)got;
	}
	return true;
}

/* Read len bytes of zf into a new buffer; false with why. */
static bool read_range(zip_file_t *zf, uint64_t len, char **out, struct strbuf *why)
{
	char *buf = xmalloc((size_t)len + 1);
	uint64_t n = 0;

	while (n < len) {
		zip_int64_t got = zip_fread(zf, buf + n, len - n);
		if (got <= 0) {
			sb_printf(why, "cannot inflate: %s",
				  got < 0 ? zip_file_strerror(zf) : "cut short");
			free(buf);
			return false;
		}
		n += (uint64_t)got;
	}
	buf[len] = '\0';
	*out = buf;
	return true;
}

/* Read what zipcoll_read asks of member m of the open archive z. */
static int read_member(zip_t *z, const struct archive_member *m, uint64_t off, uint64_t len,
		       size_t max, char **out, size_t *out_n, struct strbuf *why)
{
	zip_stat_t st;
	zip_file_t *zf;
	bool ok;

	zip_stat_init(&st);
	char *gb_name = zip_stat_index(z, m->index, 0, &st) == 0 ? gb18030_name(z, m->index) : NULL;
	bool same = (st.valid & ZIP_STAT_NAME) &&
		    strcmp(gb_name ? gb_name : st.name, m->name) == 0 && st.size == m->size &&
		    st.crc == m->crc;
	free(gb_name);
	if (!same) {
		sb_puts(why, "the archive changed: its member is not the one read");
		return ESTALE;
	}
	if (len && (off > m->size || len > m->size - off || len > SIZE_MAX - 1)) {
		sb_puts(why, "the record is outside its member");
		return ERANGE;
	}
	if (!(zf = zip_fopen_index(z, m->index, 0))) {
		sb_printf(why, "cannot read: %s", zip_strerror(z));
		return EIO;
	}
	if (len) {
		ok = skip_to(zf, m->method, off, why) && read_range(zf, len, out, why);
		*out_n = ok ? (size_t)len : 0;
	} else {
		ok = read_whole(zf, m->size, max, out, out_n, why);
	}
	zip_fclose(zf);
	return ok ? 0 : EIO;
}

/* Feed z the next of the comp_size bytes of deflate data at data in fd (*read_at of
 * them read so far) when it has none left (and there are more); false when they cannot
 * be read. */
static bool feed(z_stream *z, int fd, uint64_t data, uint64_t comp_size, uint64_t *read_at,
		 unsigned char *in, size_t in_size)
{
	if (z->avail_in || *read_at == comp_size)
		return true;
	size_t n = comp_size - *read_at < in_size ? (size_t)(comp_size - *read_at) : in_size;
	if (!pread_all(fd, in, n, data + *read_at))
		return false;
	*read_at += n;
	z->next_in = in;
	z->avail_in = (uInt)n;
	return true;
}

/* Inflate the raw deflate data of m, comp_size bytes at data in fd, keeping the bytes
 * [off, off + len) of its output in buf; when exact, the data must end there too (no
 * byte more than the member declares); false with why. */
static bool inflate_range(int fd, uint64_t data, const struct archive_member *m, uint64_t off,
			  uint64_t len, bool exact, char *buf, struct strbuf *why)
{
	unsigned char in[64 * 1024], scratch[64 * 1024];
	uint64_t read_at = 0, produced = 0;
	z_stream z;
	int ret = Z_OK;

	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {
		sb_puts(why, "cannot inflate: out of memory");
		return false;
	}
	while (produced < off + len && ret != Z_STREAM_END) {
		if (!feed(&z, fd, data, m->comp_size, &read_at, in, sizeof in))
			break;
		/* before off: into scratch; then straight into buf, never past off + len */
		bool skipping = produced < off;
		uint64_t room = skipping ? off - produced : off + len - produced;
		if (room > sizeof scratch)
			room = sizeof scratch;
		z.next_out = skipping ? scratch : (unsigned char *)buf + (produced - off);
		z.avail_out = (uInt)room;
		ret = inflate(&z, Z_NO_FLUSH);
		produced += room - z.avail_out;
		if (ret != Z_OK && ret != Z_STREAM_END && ret != Z_BUF_ERROR)
			break;
		if (ret == Z_BUF_ERROR && z.avail_in == 0 && read_at == m->comp_size)
			break; /* the data ends before the member's bytes do */
	}
	bool over = false;
	/* exact: what is left must give not a byte more; the stream's end or the end of its
	 * data (as libzip, which loaded the member, accepts: the CRC still checks it) */
	while (exact && produced == off + len && ret != Z_STREAM_END && !over) {
		if (!feed(&z, fd, data, m->comp_size, &read_at, in, sizeof in))
			break;
		z.next_out = scratch;
		z.avail_out = 1;
		ret = inflate(&z, Z_NO_FLUSH);
		over = z.avail_out == 0;
		if (ret != Z_OK && ret != Z_STREAM_END)
			break; /* Z_BUF_ERROR: the data ends before the stream does */
	}
	inflateEnd(&z);
	bool data_ended = ret == Z_BUF_ERROR && z.avail_in == 0 && read_at == m->comp_size;
	if (produced < off + len || over || (exact && ret != Z_STREAM_END && !data_ended)) {
		sb_printf(why, "cannot inflate: %s",
			  over			? "it inflates to more than it declares"
			  : ret == Z_DATA_ERROR ? "damaged data"
						: "the data ends before the member does");
		return false;
	}
	return true;
}

/* zipcoll_read from the member's local header at m->offset (stored or deflated) in the
 * archive open as fd (size bytes); a whole member must be exactly its declared bytes
 * and match its CRC. */
static int read_direct_fd(int fd, uint64_t size, const struct archive_member *m, uint64_t off,
			  uint64_t len, size_t max, char **out, size_t *out_n, struct strbuf *why)
{
	int err = ESTALE;
	char *buf = NULL;
	bool whole = len == 0;
	uint64_t data = member_data(fd, size, m);

	if (!data) {
		sb_puts(why, "the archive changed: its member is not the one read");
		goto out;
	}
	if (whole && m->size > max) {
		sb_printf(why, "too large: over %zu bytes", max);
		err = EFBIG;
		goto out;
	}
	if (whole)
		len = m->size;
	if (off > m->size || len > m->size - off || len > SIZE_MAX - 1) {
		sb_puts(why, "the record is outside its member");
		err = ERANGE;
		goto out;
	}
	buf = xmalloc((size_t)len + 1);
	/* stored: the bytes are there (loading read no more than the declared size either) */
	if (m->method == ZIP_CM_STORE
		    ? off + len > m->comp_size || (whole && m->comp_size != len) ||
			      !pread_all(fd, buf, len, data + off)
		    : !inflate_range(fd, data, m, off, len, whole, buf, why)) {
		if (!why->n)
			sb_puts(why, "the archive changed: it is cut short");
		err = EIO;
		goto out;
	}
	if (whole && crc32(crc32(0, NULL, 0), (const Bytef *)buf, (uInt)len) != m->crc) {
		sb_puts(why, "the archive changed: its member does not match its CRC");
		goto out;
	}
	buf[len] = '\0';
	*out = buf;
	*out_n = (size_t)len;
	buf = NULL;
	err = 0;
out:
	free(buf);
	return err;
}

/* read_direct_fd of the archive path, opened for it. */
static int read_direct(const char *path, const struct archive_member *m, uint64_t off, uint64_t len,
		       size_t max, char **out, size_t *out_n, struct strbuf *why)
{
	struct stat st;
	int err, fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		err = errno;
		sb_printf(why, "%s", strerror(errno));
		return err;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		sb_puts(why, "the archive changed: its member is not the one read");
		err = ESTALE;
	} else {
		err = read_direct_fd(fd, (uint64_t)st.st_size, m, off, len, max, out, out_n, why);
	}
	close(fd);
	return err;
}

int zipcoll_read(const char *path, const struct archive_member *m, uint64_t off, uint64_t len,
		 size_t max, char **out, size_t *out_n, struct strbuf *why)
{
	int err = 0;

	*out = NULL;
	*out_n = 0;
	if (m->offset != UINT64_MAX && (m->method == ZIP_CM_STORE || m->method == ZIP_CM_DEFLATE))
		return read_direct(path, m, off, len, max, out, out_n, why);
	pthread_mutex_lock(&open_lock);
	zip_t *z = archive_at(path, why, &err);
	if (z)
		err = read_member(z, m, off, len, max, out, out_n, why);
	pthread_mutex_unlock(&open_lock);
	return err;
}

#endif
