/* SPDX-License-Identifier: GPL-3.0-or-later */
/* marks.h: read marks and bookmarks, keyed by what an article says (not where its file
 * is), kept in a versioned text file that is replaced atomically and merged with the
 * changes of other readers under a lock. */
#ifndef XINWEN_MARKS_H
#define XINWEN_MARKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collection.h"
#include "strbuf.h"
#include "xalloc.h"

/* The file's first line: magic and format version. */
#define MARKS_MAGIC "xinwen-state"
#define MARKS_VERSION 1
/* A state file larger than this is set aside, the marks of its first MARKS_MAX_BYTES
 * kept (a record line is 78 bytes: about 3.4 million marks). */
#define MARKS_MAX_BYTES ((size_t)256 << 20)
/* How long a save waits for another reader's lock by default, in milliseconds (the
 * reader, while it draws, does not wait: lock_wait_ms 0). */
#define MARKS_LOCK_WAIT_MS 3000
/* A state file smaller than this is written whole at every save; from this size on,
 * changes are appended to the log (marks.h: the files). */
#define MARKS_JOURNAL_MIN ((size_t)1 << 20)

enum mark_type { MARK_READ, MARK_BOOKMARK, MARK_COUNT };

/* One article's marks; each mark is a last-writer-wins register: its value and when it
 * was last set (nanoseconds since the epoch; 0: never), so that merging two readers'
 * files keeps the newer of each mark, a mark turned off included. */
struct marks_record {
	struct content_id id;
	bool on[MARK_COUNT];
	int64_t stamp[MARK_COUNT];
	bool queued; /* changed here since the last save: in state.pending */
};

struct marks {
	char *dir; /* NULL: the marks are kept in memory only */
	char *path, *lock_path, *tmp_path, *log_path;
	VEC(struct marks_record) recs;
	size_t *slots; /* open-addressing table of record index + 1 (0: empty) */
	size_t nslots;
	bool dirty;    /* changed since the last load or save */
	bool readonly; /* the file is of a newer format: never overwritten */
	int64_t last_stamp;
	/* The file as last read or written (device, inode, size, mtime): a save re-reads
	 * it only when another reader replaced it since. */
	bool version_known;
	uint64_t version[4];
	VEC(char *) problems; /* "FILE:LINE: message" or "FILE: message" of the last I/O */
	/* The log (state.log) as far as it was read: its identity and the end of its last
	 * complete line; the records changed since the last save (indexes in recs). */
	bool log_known;
	uint64_t log_dev, log_ino, log_off;
	VEC(size_t) pending;
	bool compact;	    /* the next save writes the whole set (and removes the log) */
	long lock_wait_ms;  /* how long a save waits for the lock (default MARKS_LOCK_WAIT_MS) */
	bool locked_out;    /* the last save or load found the lock held by another reader */
	size_t max_bytes;   /* MARKS_MAX_BYTES unless a test says otherwise */
	size_t journal_min; /* MARKS_JOURNAL_MIN unless a test or bench says otherwise */
};

/* The identity as 32 lowercase hex digits and a NUL. */
void content_id_hex(const struct content_id *id, char out[33]);

/* Prepare an empty state kept in directory dir (created when first saved), or in
 * memory only when dir is NULL. */
void marks_init(struct marks *s, const char *dir);

/* Free everything the state holds. */
void marks_free(struct marks *s);

/* The directory for the state: $XDG_STATE_HOME/xinwen when that is an absolute path,
 * else $HOME/.local/state/xinwen; false when neither is set. */
bool marks_default_dir(struct strbuf *out);

/* Whether the state directory dir, which a listing only reads, is there and refused as
 * fileio_private_dir refuses it (not the user's, or writable by group or others): why
 * says so. Nothing is created. */
bool marks_dir_refused(const char *dir, struct strbuf *why);

/* Whether mark m of id is on. */
bool marks_get(const struct marks *s, const struct content_id *id, enum mark_type m);

/* Turn mark m of id on or off, stamped now (later than any earlier stamp). */
void marks_set(struct marks *s, const struct content_id *id, enum mark_type m, bool on);

/* Merge the n bytes of a state file named name into s (newer mark wins), checking every
 * line; returns how many problems were added to s->problems (0: the file is sound). */
size_t marks_parse(struct marks *s, const char *name, const char *bytes, size_t n);

/* The state file's text for s's records (sorted by id). */
void marks_format(const struct marks *s, struct strbuf *out);

/* Merge the records of from into s, keeping the newer value of each mark. */
void marks_merge(struct marks *s, const struct marks *from);

/* Read the state file and its log into s (under the lock when it is free at once; a
 * held lock does not keep the files from being read). A corrupt file is reported in
 * s->problems, renamed aside to STATE.corrupt-TIME-PID (when the lock was taken), and
 * what was valid in it kept (and saved at the next save). Returns false when there
 * were problems. */
bool marks_load(struct marks *s);

/* Save s when dirty: under the lock (waited for at most s->lock_wait_ms), merge what
 * other readers saved since (the state file, the log) into s, then append the records
 * changed since the last save to the log (fsynced), or, when the log has grown to half
 * the state file (or the file is small), write every record to a temporary file, fsync
 * it, rename it over the state file, fsync the directory and remove the log. Returns
 * false with s->problems set on failure (s->locked_out: the lock was held); the marks
 * stay in s, dirty, for the next save. */
bool marks_save(struct marks *s);

#endif
