/* SPDX-License-Identifier: GPL-3.0-or-later */
/* postings.h: the segments of the full-text index (index.h): immutable files, each the
 * texts of a run of rows (their content identities) and, per bigram of folded
 * characters, the rows that hold it with the positions where, checksummed per block. */
#ifndef XINWEN_POSTINGS_H
#define XINWEN_POSTINGS_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collection.h"
#include "xalloc.h"

/* One folded text to index, with the content identity of its article. */
struct post_text {
	const char *s;
	size_t n;
	struct content_id id;
};

/* An open segment (read with pread: a file cut short gives an error, never a signal). */
struct segment {
	int fd;
	uint64_t id;	/* its file number (the manifest names it) */
	uint32_t base;	/* its first row */
	uint32_t nrows; /* its rows: base .. base + nrows - 1 */
	uint64_t sum;	/* the checksum of its header, which the manifest holds */
	uint64_t bytes; /* of the file */
	uint64_t ndict, nblocks, off_dict, off_rows;
	uint64_t *bkey; /* the first bigram of each dictionary block */
	uint64_t *boff; /* where each block starts in the dictionary (and where it ends) */
	uint64_t *bsum; /* each block's checksum */
	int refs;	/* queries using it, plus one while it is the index's (index.c) */
	bool durable;	/* fsynced since it was written (index.c: before a manifest names it) */
};

/* Lists of at most this many bytes are kept in the dictionary, beside their bigram. */
#define POST_INLINE 16

/* Rows per block of a list, at most; a list of more rows starts with its blocks' table
 * (skip data: per block its last row, its end, its checksum and its rows). */
#define POST_ROWS 128

/* Rows of a list decoded, ascending (relative to the segment), row i's positions
 * ascending at pos[i ? end[i - 1] : 0, end[i]) unless rows_only. */
struct post_dec {
	bool rows_only; /* set by the caller: decode the rows, not the positions */
	VEC(uint32_t) row;
	VEC(uint32_t) end;
	VEC(uint32_t) pos;
	VEC(unsigned char)
	raw; /* the list's bytes as read, kept with the arrays for the
				 * next decode into d */
};

/* A bigram's entry in a segment. */
struct post_entry {
	uint64_t key;
	uint64_t off;	/* of its list in the file (not inlined) */
	uint32_t len;	/* bytes of its list */
	uint32_t ndocs; /* rows in it */
	uint32_t last;	/* its last row, relative to the segment's base */
	uint32_t sum;	/* the low half of its list's xxh64 (not inlined) */
	bool inlined;	/* the list is inl[0, len), kept in the dictionary's block */
	unsigned char inl[POST_INLINE];
};

/* The key of the bigram of code points a, b. */
static inline uint64_t post_key(uint32_t a, uint32_t b)
{
	return (uint64_t)a << 32 | b;
}

/* The code point at s[0, n) (n > 0): a malformed byte is 0x110000 plus the byte, one
 * byte long. Sets *len. */
uint32_t post_char(const unsigned char *s, size_t n, int *len);

/* The Rice parameter (the low bits written as they are) that codes v[0, n) shortest, of
 * the four around the bits of their mean (for the lists' blocks, and their test). */
unsigned post_rice_param(const uint32_t *v, size_t n);

/* Write the segment of texts t[0, n) as rows base.. to path (a temporary, fsynced,
 * renamed: made whole or not at all), tokenized on two threads; tag: the format and
 * folding. Stops (nothing written) once *cancel (NULL: never) is set: it is read
 * before each text tokenized and each list coded, and before the file is synced.
 * Returns the segment opened, or NULL (why set). */
struct segment *segment_build(const char *path, uint64_t id, uint32_t base,
			      const struct post_text *t, size_t n, uint64_t tag,
			      const atomic_bool *cancel, char *why, size_t whylen);

/* The stages of an index step (index_update), in order. */
enum post_stage {
	POST_STAGE_FOLD,     /* the articles' texts folded (index.c) */
	POST_STAGE_TOKENIZE, /* the texts cut into bigrams */
	POST_STAGE_CODE,     /* the bigrams' lists coded */
	POST_STAGE_WRITE,    /* the file written */
	POST_STAGE_SYNC,     /* the file synced, renamed, opened */
	POST_STAGE_MERGE,    /* the segment committed; merges next (index.c) */
};

/* For tests: called (when set) on index_update's thread as each stage begins. */
extern void (*post_build_stage)(enum post_stage stage);

/* Merge segments s[0, n) (consecutive rows) into one new file path: a list's blocks
 * are copied as they are, but for the few at the joins. Stops (the file removed,
 * nothing else changed) between two lists once *cancel (NULL: never) is set. Returns
 * it opened, or NULL (why set). */
struct segment *segment_merge(const char *path, uint64_t id, struct segment *const *s, size_t n,
			      uint64_t tag, const atomic_bool *cancel, char *why, size_t whylen);

/* For tests: merges decode and code every list anew (no block copied). */
extern bool post_merge_recode;

/* For tests: a merge reads its cancel flag only once it has written this many lists. */
extern size_t post_merge_cancel_from;

/* For tests: a merge runs on one thread (else the keys from the middle of the biggest
 * segment's dictionary on are merged on a second, kept aside, then written after). */
extern bool post_merge_one_run;

/* Open segment file path, checking its header (checksum sum, tag, id, base, nrows:
 * what the manifest says) and its dictionary's block table. NULL (why set) when it is
 * missing, damaged or not the one the manifest names. */
struct segment *segment_open(const char *path, uint64_t id, uint32_t base, uint32_t nrows,
			     uint64_t sum, uint64_t tag, char *why, size_t whylen);

/* Read the content identities of the segment's rows (checked) into a new array *out. */
bool segment_rows(const struct segment *s, struct content_id **out, char *why, size_t whylen);

/* Find bigram key: 1 found (*e filled), 0 not there, -1 damaged (why set). */
int segment_find(const struct segment *s, uint64_t key, struct post_entry *e, char *why,
		 size_t whylen);

/* Decode entry e's list into *d (emptied first), checked: of its rows, only those of
 * the ascending want[0, nwant) (only the blocks that may hold one read), all of them
 * when want is NULL. False (why set) when damaged. */
bool segment_decode(const struct segment *s, const struct post_entry *e, const uint32_t *want,
		    size_t nwant, struct post_dec *d, char *why, size_t whylen);

/* Decode part k of nparts of entry e's list into *d (emptied first), checked: its
 * blocks cut in nparts runs of about as many blocks, the k-th (a list of one block is
 * all in part 0), so that parts decoded in turn give segment_decode's rows. False (why
 * set) when damaged. */
bool segment_decode_part(const struct segment *s, const struct post_entry *e, unsigned k,
			 unsigned nparts, struct post_dec *d, char *why, size_t whylen);

/* Where a segment's bytes go (segment_anatomy; summed over segments by the caller). */
struct post_anatomy {
	uint64_t file_bytes, dict_bytes, ident_bytes;
	uint64_t lists, inlined, pairs, positions; /* pairs: a bigram's rows, all lists */
	/* The lists coded anew as a build codes them, by part: of their blocks of more than
	 * one row, the rows, the counts of positions, each row's first position, the gaps
	 * between its others, the parameters and padding; blocks of one row; the lists'
	 * tables; lists kept in the dictionary. */
	uint64_t row_bits, count_bits, first_bits, gap_bits, other_bits;
	uint64_t one_row_bits, table_bits, inlined_bits;
	/* Bits no code of each list's rows, or of each row's positions, alone can go
	 * below: log2 of the ways to choose its rows among the segment's; of its text's
	 * characters for a first position; of the ways to place its positions there. */
	double floor_row_bits, floor_first_bits, floor_position_bits;
};

/* For benchmarks: add to *an (zeroed by the caller before the first segment) where
 * segment s's bytes go, its lists decoded and coded again; false (why set) when
 * damaged. */
bool segment_anatomy(const struct segment *s, struct post_anatomy *an, char *why, size_t whylen);

/* Free the arrays of d. */
void post_dec_free(struct post_dec *d);

/* Close the segment (NULL is fine). */
void segment_close(struct segment *s);

#endif
