/* SPDX-License-Identifier: GPL-3.0-or-later */
/* marks.c: read marks and bookmarks: content identities, the record set, the file
 * format, and atomic, locked, merging load and save. */
#include <config.h>

#include "marks.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "xxh64.h"
#include "utf8.h"

/* Longest line of a sound file (a record is 32 + 2 + 2 + 2 * 20 bytes at most). */
#define MARKS_MAX_LINE 128
/* Bad lines reported one by one; the rest are counted in one message. */
#define MARKS_MAX_REPORTED 5

/* ---------------------------------------------------------------------------
 * Content identity: article_identity (collection.h) makes it; here its text form.
 */

#define P1 XXH_PRIME64_1

void content_id_hex(const struct content_id *id, char out[33])
{
	snprintf(out, 33, "%016" PRIx64 "%016" PRIx64, id->hi, id->lo);
}

/* ---------------------------------------------------------------------------
 * The record set
 */

static char *join(const char *dir, const char *name)
{
	struct strbuf b = {0};
	sb_printf(&b, "%s/%s", dir, name);
	return b.s;
}

void marks_init(struct marks *s, const char *dir)
{
	memset(s, 0, sizeof *s);
	if (dir) {
		s->dir = xstrdup(dir);
		s->path = join(dir, "state");
		s->lock_path = join(dir, "state.lock");
		s->tmp_path = join(dir, "state.tmp");
		s->log_path = join(dir, "state.log");
	}
	s->lock_wait_ms = MARKS_LOCK_WAIT_MS;
	s->max_bytes = MARKS_MAX_BYTES;
	s->journal_min = MARKS_JOURNAL_MIN;
}

static void clear_problems(struct marks *s)
{
	for (size_t i = 0; i < s->problems.n; i++)
		free(s->problems.v[i]);
	s->problems.n = 0;
}

void marks_free(struct marks *s)
{
	clear_problems(s);
	free(s->problems.v);
	free(s->recs.v);
	free(s->slots);
	free(s->dir);
	free(s->path);
	free(s->lock_path);
	free(s->tmp_path);
	free(s->log_path);
	free(s->pending.v);
	memset(s, 0, sizeof *s);
}

static void problem(struct marks *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void problem(struct marks *s, const char *fmt, ...)
{
	struct strbuf b = {0};
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, _(fmt), ap); /* fmt: a message marked N_() */
	va_end(ap);
	sb_puts(&b, buf);
	VEC_PUSH(&s->problems, b.s);
}

bool marks_default_dir(struct strbuf *out)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0] == '/') {
		sb_printf(out, "%s/xinwen", xdg);
		return true;
	}
	if (home && *home) {
		sb_printf(out, "%s/.local/state/xinwen", home);
		return true;
	}
	return false;
}

bool marks_dir_refused(const char *dir, struct strbuf *why)
{
	struct stat st;

	return lstat(dir, &st) == 0 && !fileio_private_dir(dir, why);
}

static size_t slot_of(const struct marks *s, const struct content_id *id)
{
	size_t mask = s->nslots - 1;
	uint64_t x = (id->hi ^ id->lo) * P1; /* identities are hashes, but mix anyway */
	size_t i = (size_t)(x ^ x >> 32) & mask;

	while (s->slots[i]) {
		const struct marks_record *r = &s->recs.v[s->slots[i] - 1];
		if (r->id.hi == id->hi && r->id.lo == id->lo)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

static struct marks_record *find(const struct marks *s, const struct content_id *id)
{
	if (!s->nslots)
		return NULL;
	size_t i = s->slots[slot_of(s, id)];
	return i ? &s->recs.v[i - 1] : NULL;
}

static void rehash(struct marks *s, size_t nslots)
{
	free(s->slots);
	s->slots = xcalloc(nslots, sizeof *s->slots);
	s->nslots = nslots;
	for (size_t k = 0; k < s->recs.n; k++)
		s->slots[slot_of(s, &s->recs.v[k].id)] = k + 1;
}

/* The record of id, made (all marks off, never set) when there is none. */
static struct marks_record *get_record(struct marks *s, const struct content_id *id)
{
	struct marks_record *r = find(s, id);
	if (r)
		return r;
	if ((s->recs.n + 1) * 2 > s->nslots)
		rehash(s, s->nslots ? s->nslots * 2 : 64);
	VEC_PUSH(&s->recs, ((struct marks_record){.id = *id}));
	s->slots[slot_of(s, id)] = s->recs.n;
	return &s->recs.v[s->recs.n - 1];
}

bool marks_get(const struct marks *s, const struct content_id *id, enum mark_type m)
{
	const struct marks_record *r = find(s, id);
	return r && r->on[m];
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void marks_set(struct marks *s, const struct content_id *id, enum mark_type m, bool on)
{
	struct marks_record *r = get_record(s, id);
	int64_t t = now_ns();

	/* Later than every stamp seen, so the change wins over what it replaces. */
	if (t <= s->last_stamp)
		t = s->last_stamp + 1;
	if (t <= r->stamp[m])
		t = r->stamp[m] + 1;
	s->last_stamp = t;
	r->on[m] = on;
	r->stamp[m] = t;
	s->dirty = true;
	if (!r->queued) { /* to the log at the next save */
		r->queued = true;
		VEC_PUSH(&s->pending, (size_t)(r - s->recs.v));
	}
}

/* Merge one mark: the newer stamp wins; on a tie (two readers in the same nanosecond)
 * "on" wins, so that merging in either order gives the same result. */
static void merge_mark(struct marks_record *r, enum mark_type m, bool on, int64_t stamp)
{
	if (stamp > r->stamp[m] || (stamp == r->stamp[m] && on && !r->on[m])) {
		r->on[m] = on;
		r->stamp[m] = stamp;
	}
}

static void merge_record(struct marks *s, const struct marks_record *in)
{
	struct marks_record *r = get_record(s, &in->id);
	for (int m = 0; m < MARK_COUNT; m++)
		merge_mark(r, m, in->on[m], in->stamp[m]);
	for (int m = 0; m < MARK_COUNT; m++)
		if (in->stamp[m] > s->last_stamp)
			s->last_stamp = in->stamp[m];
}

void marks_merge(struct marks *s, const struct marks *from)
{
	for (size_t i = 0; i < from->recs.n; i++)
		merge_record(s, &from->recs.v[i]);
	if (from->recs.n)
		s->compact = true; /* not in the log: the next save writes them all */
}

/* ---------------------------------------------------------------------------
 * The file format:
 *
 *   xinwen-state 1
 *   ID READ READ-STAMP BOOKMARK BOOKMARK-STAMP      (one line per article)
 *   end COUNT
 *
 * ID is 32 lowercase hex digits, READ and BOOKMARK are 0 or 1, the stamps are
 * nanoseconds since the epoch (0: never set), COUNT is the number of records. Fields
 * are separated by one space and every line ends with a newline; the end line shows
 * that nothing was cut off.
 */

static int cmp_records(const void *x, const void *y)
{
	const struct marks_record *a = x, *b = y;
	if (a->id.hi != b->id.hi)
		return a->id.hi < b->id.hi ? -1 : 1;
	if (a->id.lo != b->id.lo)
		return a->id.lo < b->id.lo ? -1 : 1;
	return 0;
}

void marks_format(const struct marks *s, struct strbuf *out)
{
	struct marks_record *v = xcalloc(s->recs.n + 1, sizeof *v);
	char hex[33];

	if (s->recs.n)
		memcpy(v, s->recs.v, s->recs.n * sizeof *v);
	qsort(v, s->recs.n, sizeof *v, cmp_records);
	sb_printf(out, "%s %d\n", MARKS_MAGIC, MARKS_VERSION);
	for (size_t i = 0; i < s->recs.n; i++) {
		content_id_hex(&v[i].id, hex);
		sb_printf(out, "%s %d %" PRId64 " %d %" PRId64 "\n", hex, v[i].on[MARK_READ],
			  v[i].stamp[MARK_READ], v[i].on[MARK_BOOKMARK], v[i].stamp[MARK_BOOKMARK]);
	}
	sb_printf(out, "end %zu\n", s->recs.n);
	free(v);
}

/* What is wrong with the bytes of a line that should be printable ASCII, or NULL. */
static const char *bad_bytes(const char *p, size_t n, char msg[64])
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == 0)
			return _("NUL byte");
		if (c >= 0x80) {
			uint32_t cp;
			utf8_decode((const unsigned char *)p + i, n - i, &cp);
			if (cp == UTF8_BAD)
				return _("invalid UTF-8");
			snprintf(msg, 64, _("unexpected character U+%04" PRIX32), cp);
			return msg;
		}
		if (c < 0x20 || c == 0x7f) {
			snprintf(msg, 64, _("control character 0x%02X"), c);
			return msg;
		}
	}
	return NULL;
}

/* Parse a decimal number of at most 19 digits, no sign, ending at *p's next space or
 * the end of the line; advances *p past it. */
static bool parse_u63(const char **p, const char *end, int64_t *out)
{
	const char *q = *p;
	uint64_t v = 0;
	size_t digits = 0;

	while (q < end && *q >= '0' && *q <= '9' && digits < 20) {
		v = v * 10 + (uint64_t)(*q++ - '0');
		digits++;
	}
	if (digits == 0 || digits > 19 || v > INT64_MAX || (q < end && *q != ' '))
		return false;
	*out = (int64_t)v;
	*p = q;
	return true;
}

static bool parse_hex64(const char *p, uint64_t *out)
{
	uint64_t v = 0;
	for (int i = 0; i < 16; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return false;
		v = v << 4 | (uint64_t)d;
	}
	*out = v;
	return true;
}

/* One record line; false when it is not one. */
static bool parse_record(const char *p, size_t n, struct marks_record *r)
{
	const char *end = p + n;

	memset(r, 0, sizeof *r);
	if (n < 33 || p[32] != ' ' || !parse_hex64(p, &r->id.hi) || !parse_hex64(p + 16, &r->id.lo))
		return false;
	p += 33;
	for (int m = 0; m < MARK_COUNT; m++) {
		if (end - p < 2 || (p[0] != '0' && p[0] != '1') || p[1] != ' ')
			return false;
		r->on[m] = p[0] == '1';
		p += 2;
		if (!parse_u63(&p, end, &r->stamp[m]))
			return false;
		if (m + 1 < MARK_COUNT) {
			if (p == end)
				return false;
			p++; /* the space */
		}
	}
	return p == end;
}

/* The header's version, or -1 when the line is not a header. */
static int parse_header(const char *p, size_t n)
{
	size_t magic = strlen(MARKS_MAGIC);
	int64_t v;
	const char *q = p + magic + 1;

	if (n <= magic + 1 || memcmp(p, MARKS_MAGIC, magic) || p[magic] != ' ' ||
	    !parse_u63(&q, p + n, &v) || q != p + n || v < 1 || v > 1000000)
		return -1;
	return (int)v;
}

/* Whether the line is the end line with the right count. */
static int parse_end(const char *p, size_t n, size_t count)
{
	int64_t v;
	const char *q = p + 4;
	if (n < 5 || memcmp(p, "end ", 4))
		return -1;
	if (!parse_u63(&q, p + n, &v) || q != p + n)
		return -1;
	return (uint64_t)v == count ? 1 : 0;
}

size_t marks_parse(struct marks *s, const char *name, const char *bytes, size_t n)
{
	size_t before = s->problems.n, bad = 0, lineno = 0, records = 0;
	const char *p = bytes, *end = bytes + n;
	bool ended = false;
	char msg[64];

	if (n > MARKS_MAX_BYTES) {
		problem(s, N_("%s: too large (%zu bytes; a state file has at most %zu)"), name, n,
			MARKS_MAX_BYTES);
		return s->problems.n - before;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *why = NULL;
		struct marks_record r;
		lineno++;

		if (len > MARKS_MAX_LINE)
			why = "line too long";
		else if ((why = bad_bytes(p, len, msg)))
			;
		else if (!nl)
			why = "incomplete last line (no newline): the file was cut off";
		else if (lineno == 1) {
			int v = parse_header(p, len);
			if (v < 0) {
				problem(s, N_("%s:1: not a xinwen state file (no '%s %d' header)"),
					name, MARKS_MAGIC, MARKS_VERSION);
				return s->problems.n - before;
			}
			if (v > MARKS_VERSION) {
				problem(s,
					N_("%s:1: format %d is newer than this xinwen reads (%d): "
					   "marks will not be saved"),
					name, v, MARKS_VERSION);
				s->readonly = true;
				return s->problems.n - before;
			}
		} else if (ended) {
			why = "text after the end line";
		} else if (parse_end(p, len, records) == 1) {
			ended = true;
		} else if (parse_end(p, len, records) == 0) {
			why = "the end line's count is not the number of records";
		} else if (parse_record(p, len, &r)) {
			merge_record(s, &r);
			records++;
		} else {
			why = "not a record (ID READ STAMP BOOKMARK STAMP)";
		}
		if (why && lineno == 1) {
			problem(s, N_("%s:1: not a xinwen state file: %s"), name, why);
			return s->problems.n - before;
		}
		if (why && ++bad <= MARKS_MAX_REPORTED)
			problem(s, N_("%s:%zu: %s"), name, lineno, why);
		p = nl ? nl + 1 : end;
	}
	if (lineno == 0)
		problem(s, N_("%s: empty (no '%s %d' header)"), name, MARKS_MAGIC, MARKS_VERSION);
	else if (!ended && !bad)
		problem(s, N_("%s:%zu: no end line: the file was cut off"), name, lineno);
	if (bad > MARKS_MAX_REPORTED)
		problem(s, N_("%s: %zu more bad lines"), name, bad - MARKS_MAX_REPORTED);
	return s->problems.n - before;
}

/* ---------------------------------------------------------------------------
 * Files: lock, read, set aside, write.
 *
 * The marks are kept in two files: "state", a whole record set in the format above,
 * replaced atomically, and "state.log", the records changed since, appended one line
 * each (a record line of the same format). A save appends the marks changed since the
 * last save to the log, which costs the same at a million marks as at ten; once the
 * log passes half the state file's size (or the state file is small, below
 * s->journal_min) the save writes the whole set to "state" instead and removes the
 * log (compaction). Merging is idempotent (last writer wins on each mark's stamp), so
 * a log that outlives a compaction cut short by a crash only repeats what "state"
 * holds. A log's last line without its newline (a writer killed mid-write) is ignored
 * and cut off by the next append.
 */

/* Make the state directory and its missing parents (mode 0700). */
static bool make_dirs(struct marks *s)
{
	char *failed = NULL;

	if (fileio_make_dirs(s->dir, &failed))
		return true;
	problem(s, N_("%s: cannot create: %s"), failed, strerror(errno));
	free(failed);
	return false;
}

/* Take the lock file's exclusive lock, waiting at most s->lock_wait_ms (with a growing
 * pause between two tries); -1 on failure, with s->locked_out set when another reader
 * holds it. */
static int lock(struct marks *s)
{
	struct stat st;
	int fd = fileio_open_own(s->lock_path, O_RDWR | O_CREAT, 0600, &st);
	long pause_ms = 1;

	s->locked_out = false;
	/* A FIFO, a socket or a symlink in its place holds no one's lock and nothing else:
	 * it is replaced (never followed), else no mark would be saved again. */
	if (fd < 0 && (errno == EINVAL || errno == ELOOP) && lstat(s->lock_path, &st) == 0 &&
	    !S_ISDIR(st.st_mode) && unlink(s->lock_path) == 0)
		fd = fileio_open_own(s->lock_path, O_RDWR | O_CREAT, 0600, &st);
	if (fd < 0) {
		problem(s, N_("%s: cannot open: %s"), s->lock_path, fileio_strerror(errno));
		return -1;
	}
	for (long waited = 0;; waited += pause_ms, pause_ms = pause_ms < 64 ? pause_ms * 2 : 64) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			problem(s, N_("%s: cannot lock: %s"), s->lock_path, strerror(errno));
			break;
		}
		if (waited >= s->lock_wait_ms) {
			problem(s, N_("another reader holds the lock (%s)"), s->lock_path);
			s->locked_out = true;
			break;
		}
		nanosleep(&(struct timespec){0, pause_ms * 1000000L}, NULL);
	}
	close(fd);
	return -1;
}

static void unlock(int fd)
{
	close(fd); /* releases the flock */
}

/* Rename the corrupt file aside, under the lock, and say where it went. */
static void set_aside(struct marks *s)
{
	char stamp[32];
	time_t t = time(NULL);
	struct tm tm;
	struct strbuf to = {0};

	strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", localtime_r(&t, &tm));
	/* Never over an earlier corrupt copy (the lock keeps other xinwens out). */
	for (int k = 0; k < 1000; k++) {
		struct stat st;
		sb_clear(&to);
		sb_printf(&to, "%s.corrupt-%s-%ld", s->path, stamp, (long)getpid());
		if (k)
			sb_printf(&to, "-%d", k);
		if (lstat(to.s, &st) != 0 && errno == ENOENT)
			break;
	}
	if (rename(s->path, to.s) == 0)
		problem(s, N_("%s: set aside as %s; its valid marks are kept"), s->path, to.s);
	else
		problem(s, N_("%s: cannot set the corrupt file aside: %s"), s->path,
			strerror(errno));
	sb_free(&to);
}

/* What tells one version of the state file from another: every save makes a new file. */
static void file_version(const struct stat *st, uint64_t v[4])
{
	v[0] = (uint64_t)st->st_dev;
	v[1] = (uint64_t)st->st_ino;
	v[2] = (uint64_t)st->st_size;
	v[3] = (uint64_t)st->st_mtim.tv_sec * 1000000000u + (uint64_t)st->st_mtim.tv_nsec;
}

/* Whether the file is still the version s last read or wrote (so its records are in
 * s already). */
static bool file_unchanged(const struct marks *s)
{
	struct stat st;
	uint64_t v[4];
	if (!s->version_known || lstat(s->path, &st) != 0)
		return false;
	file_version(&st, v);
	return memcmp(v, s->version, sizeof v) == 0;
}

static void remember_version(struct marks *s)
{
	struct stat st;
	s->version_known = lstat(s->path, &st) == 0;
	if (s->version_known)
		file_version(&st, s->version);
}

/* Read up to max bytes of fd (at its offset) into a new buffer; *n: how many. */
static char *read_up_to(int fd, size_t max, size_t *n)
{
	char *buf = xmalloc(max + 1);
	size_t got = 0;

	while (got < max) {
		ssize_t r = read(fd, buf + got, max - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	*n = got;
	return buf;
}

/* Read the state file into s. Returns -1 when it cannot be read, 0 when it is missing
 * or sound, else the number of problems (it is to be set aside). A file larger than
 * s->max_bytes is read up to there: the marks of its complete lines are kept. */
static long read_file(struct marks *s)
{
	struct stat st;
	int fd = fileio_open_own(s->path, O_RDONLY, 0, &st);
	long found;

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		problem(s, N_("%s: %s: %s"), s->path,
			errno == EINVAL ? "cannot read" : "cannot open", fileio_strerror(errno));
		return errno == ELOOP || errno == EINVAL ? 1 : -1; /* set it aside */
	}
	bool too_large = (uintmax_t)st.st_size > s->max_bytes;
	size_t n;
	char *buf = read_up_to(fd, too_large ? s->max_bytes : (size_t)st.st_size, &n);
	close(fd);
	if (too_large) {
		problem(s,
			N_("%s: too large (%jd bytes; a state file has at most %zu): the marks "
			   "of its first %zu bytes are kept"),
			s->path, (intmax_t)st.st_size, s->max_bytes, n);
		char *nl = n ? memrchr(buf, '\n', n) : NULL;
		n = nl ? (size_t)(nl - buf) + 1 : 0;
	}
	found = (long)marks_parse(s, s->path, buf, n) + too_large;
	free(buf);
	if (found == 0) {
		s->version_known = true;
		file_version(&st, s->version);
	}
	return found;
}

/* Read what was appended to the log since s last read it (all of it when it is not
 * the log s read before), merging its records into s. Bad lines are reported, and
 * make the next save a compaction (which removes the log). */
static void read_log(struct marks *s)
{
	struct stat st;
	int fd = fileio_open_own(s->log_path, O_RDONLY, 0, &st);

	if (fd < 0) {
		if (errno != ENOENT) {
			problem(s, N_("%s: cannot read: %s"), s->log_path, fileio_strerror(errno));
			s->compact = s->dirty = true; /* replaced by the next save */
		}
		s->log_known = false;
		s->log_off = 0;
		return;
	}
	if (!s->log_known || s->log_dev != (uint64_t)st.st_dev ||
	    s->log_ino != (uint64_t)st.st_ino || (uint64_t)st.st_size < s->log_off)
		s->log_off = 0;
	s->log_known = true;
	s->log_dev = (uint64_t)st.st_dev;
	s->log_ino = (uint64_t)st.st_ino;
	uint64_t want = (uint64_t)st.st_size - s->log_off;
	size_t n = 0, bad = 0;
	if (want > s->max_bytes) { /* its first max_bytes are read, then it is replaced */
		problem(s, N_("%s: too large: the marks of its first %zu bytes are kept"),
			s->log_path, s->max_bytes);
		want = s->max_bytes;
		s->compact = s->dirty = true;
	}
	char *buf = lseek(fd, (off_t)s->log_off, SEEK_SET) >= 0 ? read_up_to(fd, (size_t)want, &n)
								: xmalloc(1);
	close(fd);
	const char *p = buf, *end = buf + n, *done = buf;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct marks_record r;
		if (!nl)
			break; /* a writer killed mid-line: cut off by the next append */
		if (parse_record(p, (size_t)(nl - p), &r))
			merge_record(s, &r);
		else if (++bad <= MARKS_MAX_REPORTED)
			problem(s, N_("%s: the line at byte %" PRIu64 " is not a record"),
				s->log_path, s->log_off + (uint64_t)(p - buf));
		p = done = nl + 1;
	}
	s->log_off += (uint64_t)(done - buf);
	free(buf);
	if (bad)
		s->compact = s->dirty = true;
}

/* Read the files (with the lock, when locked, setting a corrupt state file aside);
 * false on problems. */
static bool load_files(struct marks *s, bool locked)
{
	long found = read_file(s);

	read_log(s);
	if (locked)
		unlink(s->tmp_path); /* the fixed name earlier versions wrote */
	if (found > 0 && !s->readonly && locked) {
		set_aside(s);
		s->compact = s->dirty = true; /* write back what was valid */
	}
	return found == 0 && !s->compact;
}

bool marks_load(struct marks *s)
{
	clear_problems(s);
	if (!s->dir)
		return true;
	struct stat st;
	if (stat(s->dir, &st) != 0 && errno == ENOENT)
		return true; /* nothing saved yet */
	/* Files are replaced whole and the log read up to its last complete line, so they
	 * can be read without the lock: it only keeps a corrupt file from being set aside
	 * while another reader writes. */
	long wait = s->lock_wait_ms;
	s->lock_wait_ms = 0;
	int fd = lock(s);
	s->lock_wait_ms = wait;
	if (fd < 0 && s->locked_out) /* no problem for reading */
		free(s->problems.v[--s->problems.n]);
	bool dirty = s->dirty;
	bool ok = load_files(s, fd >= 0);
	s->dirty = s->dirty || dirty;
	if (fd >= 0)
		unlock(fd);
	return ok && s->problems.n == 0;
}

/* Write every record to the state file (temporary file, fsync, rename, fsync of the
 * directory) and remove the log, whose records it now holds (the lock held). */
static bool compact(struct marks *s)
{
	struct strbuf text = {0};
	marks_format(s, &text);
	struct fileio_part part = {text.s, text.n};
	const char *failed = fileio_replace(s->path, s->tmp_path, &part, 1);

	sb_free(&text);
	if (failed) {
		problem(s, N_("%s: %s: %s"), s->path, failed, strerror(errno));
		return false;
	}
	remember_version(s);
	if (unlink(s->log_path) != 0 && errno != ENOENT) {
		problem(s, N_("%s: cannot remove: %s"), s->log_path, strerror(errno));
		return false;
	}
	s->log_known = false;
	s->log_off = 0;
	s->compact = false;
	return true;
}

/* The record line of r, as the state file has it. */
static void format_record(const struct marks_record *r, struct strbuf *out)
{
	char hex[33];

	content_id_hex(&r->id, hex);
	sb_printf(out, "%s %d %" PRId64 " %d %" PRId64 "\n", hex, r->on[MARK_READ],
		  r->stamp[MARK_READ], r->on[MARK_BOOKMARK], r->stamp[MARK_BOOKMARK]);
}

/* Append the records changed since the last save to the log, cutting off a line left
 * incomplete first; fsync it (the lock held). */
static bool append_log(struct marks *s)
{
	struct strbuf lines = {0};
	struct stat st;
	bool ok;

	for (size_t i = 0; i < s->pending.n; i++)
		format_record(&s->recs.v[s->pending.v[i]], &lines);
	int fd = fileio_open_own(s->log_path, O_WRONLY | O_APPEND | O_CREAT, 0600, &st);
	if (fd < 0) {
		problem(s, N_("%s: cannot open: %s"), s->log_path, fileio_strerror(errno));
		sb_free(&lines);
		return false;
	}
	if (s->log_known &&
	    ((uint64_t)st.st_dev != s->log_dev || (uint64_t)st.st_ino != s->log_ino))
		s->log_off = (uint64_t)st.st_size; /* made since it was read: nothing missed */
	ok = ((uint64_t)st.st_size == s->log_off || ftruncate(fd, (off_t)s->log_off) == 0) &&
	     fileio_write_all(fd, lines.s, lines.n) && fsync(fd) == 0;
	if (!ok)
		problem(s, N_("%s: cannot write: %s"), s->log_path, strerror(errno));
	if (close(fd) != 0 && ok) {
		problem(s, N_("%s: cannot write: %s"), s->log_path, strerror(errno));
		ok = false;
	}
	if (ok) {
		s->log_known = true;
		s->log_dev = (uint64_t)st.st_dev;
		s->log_ino = (uint64_t)st.st_ino;
		s->log_off += lines.n;
	}
	sb_free(&lines);
	return ok;
}

/* Whether the changes go to the log (else the whole set to the state file). */
static bool log_the_changes(const struct marks *s)
{
	uint64_t size = s->version_known ? s->version[2] : 0;
	uint64_t adding = (uint64_t)s->pending.n * (MARKS_MAX_LINE / 2);

	return !s->compact && s->pending.n && s->version_known && size >= s->journal_min &&
	       s->log_off + adding <= size / 2;
}

bool marks_save(struct marks *s)
{
	clear_problems(s);
	s->locked_out = false;
	if (!s->dir || !s->dirty)
		return true;
	if (s->readonly) {
		problem(s, N_("%s: of a newer format: marks are not saved"), s->path);
		return false;
	}
	if (!make_dirs(s))
		return false;
	int fd = lock(s);
	if (fd < 0)
		return false;
	/* Another reader may have saved since: take its marks first. */
	if (!file_unchanged(s)) {
		s->log_known = false; /* a new state file: its log is read again whole */
		load_files(s, true);
	} else {
		read_log(s);
	}
	bool ok = !s->readonly;
	if (ok)
		ok = log_the_changes(s) ? append_log(s) : compact(s);
	unlock(fd);
	if (ok) {
		for (size_t i = 0; i < s->pending.n; i++)
			s->recs.v[s->pending.v[i]].queued = false;
		s->pending.n = 0;
		s->dirty = false;
	}
	return ok;
}
