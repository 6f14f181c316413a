/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state.h: read marks and bookmarks, keyed by what an article says (not where its file
 * is), kept in a versioned text file that is replaced atomically and merged with the
 * changes of other readers under a lock. */
#ifndef XINWEN_STATE_H
#define XINWEN_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collection.h"
#include "strbuf.h"
#include "xalloc.h"

/* The file's first line: magic and format version. */
#define STATE_MAGIC "xinwen-state"
#define STATE_VERSION 1
/* A state file larger than this is set aside, the marks of its first STATE_MAX_BYTES
 * kept (a record line is 78 bytes: about 3.4 million marks). */
#define STATE_MAX_BYTES ((size_t)256 << 20)
/* How long a save waits for another reader's lock by default, in milliseconds (the
 * reader, while it draws, does not wait: lock_wait_ms 0). */
#define STATE_LOCK_WAIT_MS 3000
/* A state file smaller than this is written whole at every save; from this size on,
 * changes are appended to the log (state.h: the files). */
#define STATE_JOURNAL_MIN ((size_t)1 << 20)

enum state_mark { MARK_READ, MARK_BOOKMARK, MARK_COUNT };

/* One article's marks; each mark is a last-writer-wins register: its value and when it
 * was last set (nanoseconds since the epoch; 0: never), so that merging two readers'
 * files keeps the newer of each mark, a mark turned off included. */
struct state_record {
	struct state_id id;
	bool on[MARK_COUNT];
	int64_t stamp[MARK_COUNT];
	bool queued; /* changed here since the last save: in state.pending */
};

struct state {
	char *dir; /* NULL: the marks are kept in memory only */
	char *path, *lock_path, *tmp_path, *log_path;
	VEC(struct state_record) recs;
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
	bool compact;     /* the next save writes the whole set (and removes the log) */
	long lock_wait_ms; /* how long a save waits for the lock (default STATE_LOCK_WAIT_MS) */
	bool locked_out;  /* the last save or load found the lock held by another reader */
	size_t max_bytes; /* STATE_MAX_BYTES unless a test says otherwise */
	size_t journal_min; /* STATE_JOURNAL_MIN unless a test or bench says otherwise */
};

/* The identity as 32 lowercase hex digits and a NUL. */
void state_id_hex(const struct state_id *id, char out[33]);

/* Prepare an empty state kept in directory dir (created when first saved), or in
 * memory only when dir is NULL. */
void state_init(struct state *s, const char *dir);

/* Free everything the state holds. */
void state_free(struct state *s);

/* The directory for the state: $XDG_STATE_HOME/xinwen when that is an absolute path,
 * else $HOME/.local/state/xinwen; false when neither is set. */
bool state_default_dir(struct strbuf *out);

/* Whether mark m of id is on. */
bool state_get(const struct state *s, const struct state_id *id, enum state_mark m);

/* Turn mark m of id on or off, stamped now (later than any earlier stamp). */
void state_set(struct state *s, const struct state_id *id, enum state_mark m, bool on);

/* Merge the n bytes of a state file named name into s (newer mark wins), checking every
 * line; returns how many problems were added to s->problems (0: the file is sound). */
size_t state_parse(struct state *s, const char *name, const char *bytes, size_t n);

/* The state file's text for s's records (sorted by id). */
void state_format(const struct state *s, struct strbuf *out);

/* Merge the records of from into s, keeping the newer value of each mark. */
void state_merge(struct state *s, const struct state *from);

/* Read the state file and its log into s (under the lock when it is free at once; a
 * held lock does not keep the files from being read). A corrupt file is reported in
 * s->problems, renamed aside to STATE.corrupt-TIME-PID (when the lock was taken), and
 * what was valid in it kept (and saved at the next save). Returns false when there
 * were problems. */
bool state_load(struct state *s);

/* Save s when dirty: under the lock (waited for at most s->lock_wait_ms), merge what
 * other readers saved since (the state file, the log) into s, then append the records
 * changed since the last save to the log (fsynced), or, when the log has grown to half
 * the state file (or the file is small), write every record to a temporary file, fsync
 * it, rename it over the state file, fsync the directory and remove the log. Returns
 * false with s->problems set on failure (s->locked_out: the lock was held); the marks
 * stay in s, dirty, for the next save. */
bool state_save(struct state *s);

#endif
