/* SPDX-License-Identifier: GPL-3.0-or-later */
/* postings.c: the segment files of the full-text index.
 *
 * A segment file: a header of 16 64-bit words (its own checksum last), the lists, the
 * dictionary (the bigrams in order, in blocks of POST_BLOCK entries), the block table
 * (per block its first bigram, its offset in the dictionary and its xxh64), the rows
 * (content identities, 16 bytes each). The manifest (index.c) holds the header's
 * checksum; the header holds the block table's and the rows'; the block table each
 * block's; a dictionary entry its list's. A block: the offset of its first list in the
 * file, then per entry varints of the bigram (from the block's previous one), the rows
 * of its list, the last of them and the list's bytes, then the list itself when it is
 * of POST_INLINE bytes or less, else the low half of the xxh64 of it (of its blocks'
 * table when it has more than one block; the list is in the lists, after the block's
 * previous ones). A list: per row that holds the bigram (relative to the segment's
 * base), its positions (character offsets in the folded text), in blocks of POST_ROWS
 * rows (below, "The lists' blocks").
 *
 * Building: the texts are cut in two halves by bytes, each inverted on its own thread
 * by a counting sort (struct ptab: each bigram occurrence counted in a hash table and
 * noted by its bigram's number, the bigrams sorted (radix), then every occurrence
 * placed as (row, position) in its bigram's run); then two threads each join and code
 * in blocks the lists of half the bigrams into memory, and they are written in order.
 * Merging: "Merging" below. */
#include <config.h>

#include "postings.h"
#include "i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "strbuf.h"
#include "xalloc.h"
#include "xxh64.h"

#define POST_MAGIC UINT64_C(0x31474553786e6978) /* "xinxSEG1" */
#define POST_BLOCK 128
#define HDR_WORDS 16
#define BLOCK_MAX 8192 /* bytes of a dictionary block, at most */

enum {
	H_MAGIC,
	H_TAG,
	H_ID,
	H_BASE,
	H_NROWS,
	H_NDICT,
	H_NBLOCKS,
	H_DICT,
	H_BTAB,
	H_ROWS,
	H_BYTES,
	H_BTAB_SUM,
	H_ROWS_SUM,
	H_SUM = HDR_WORDS - 1
};

uint32_t post_char(const unsigned char *s, size_t n, int *len)
{
	unsigned char b = s[0];
	int k = b < 0x80 ? 1 : b < 0xC2 ? 0 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : b < 0xF5 ? 4 : 0;
	uint32_t cp = k == 1 ? b : k == 2 ? b & 0x1F : k == 3 ? b & 0x0F : b & 0x07;
	if (k == 0 || (size_t)k > n)
		goto bad;
	for (int i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	*len = k;
	return cp;
bad:
	*len = 1;
	return 0x110000u + b;
}

static size_t put_varint(unsigned char *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

static bool post_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;
	for (int shift = 0; shift < 64 && *p < end; shift += 7) {
		unsigned char b = *(*p)++;
		x |= (uint64_t)(b & 0x7F) << shift;
		if (b < 0x80) {
			*v = x;
			return true;
		}
	}
	return false;
}

/* ---- The lists' blocks. ----
 *
 * A list of up to POST_ROWS rows is one block; a longer one, the number of its blocks
 * (32 bits) and their table (per block TAB_WORDS 32-bit words: its last row, its end
 * from the table's, the low half of its xxh64 and its rows), which the dictionary's
 * checksum covers, then its blocks of 1 to POST_ROWS rows (the build makes them of
 * POST_ROWS, the last one fewer; a merge copies each segment's blocks as they are but
 * for the first, coded anew with the rows before it, so a join may leave a shorter
 * one). A block of one row (the block's last row, which the table or the
 * dictionary holds): a varint of its first position shifted left once, the low bit set
 * when it has more, then the number of positions less two, then the gaps between them
 * less one. A block of more: a bit stream (least significant bit first) of the Rice
 * parameters (5 bits each) of the rows, the counts and the first positions, then the
 * rows (each less the row after the previous one; the first less the block's first
 * possible row: 0, or the previous block's last row plus one), the counts of positions
 * less one, each row's first position, and when some row has more, the parameter of
 * the gaps and each row's gaps less one in turn; padded to a byte. A Rice code of
 * parameter k: the value shifted right by k in unary (that many ones, a zero), then its
 * k low bits; a value whose unary part would be RICE_ESC ones or more is RICE_ESC ones
 * and the value in 32 bits. */

/* Words per block of a list's table: its last row, its end, its checksum, its rows. */
#define TAB_WORDS 4
#define TAB_BYTES (TAB_WORDS * 4)
#define T_LAST(t, b) ((t)[TAB_WORDS * (b)])
#define T_END(t, b) ((t)[TAB_WORDS * (b) + 1])
#define T_SUM(t, b) ((t)[TAB_WORDS * (b) + 2])
#define T_ROWS(t, b) ((t)[TAB_WORDS * (b) + 3])

#define RICE_ESC 24		 /* ones that say a Rice code's value follows in 32 bits */
#define MAX_BLOCK_POS (1u << 26) /* positions of a block, at most (a damaged one has more) */

void post_dec_free(struct post_dec *d)
{
	free(d->row.v);
	free(d->end.v);
	free(d->pos.v);
	free(d->raw.v);
	memset(d, 0, sizeof *d);
}

static unsigned bit_width(uint32_t v)
{
	return v ? 32u - (unsigned)__builtin_clz(v) : 0;
}

struct bitw {
	struct strbuf *b;
	uint64_t acc;
	unsigned nacc;
};

/* Make room in w's buffer for bits more bits: bw_put then writes them unchecked. */
static void bw_room(struct bitw *w, uint64_t bits)
{
	vec_reserve(&w->b->s, &w->b->cap, w->b->n + (size_t)(bits / 8) + 8, 1);
}

/* Append the low width (<= 32) bits of v to the bits *acc (*nacc of them, < 32), the
 * lowest 32 written out at *q once there are as many: bw_put and rice_put on their
 * writer's state held in registers. */
static inline __attribute__((always_inline)) void bits_put(uint64_t *acc, unsigned *nacc,
							   unsigned char **q, uint64_t v,
							   unsigned width)
{
	*acc |= (v & ((UINT64_C(1) << width) - 1)) << *nacc;
	*nacc += width;
	if (*nacc >= 32) {
		(*q)[0] = (unsigned char)*acc;
		(*q)[1] = (unsigned char)(*acc >> 8);
		(*q)[2] = (unsigned char)(*acc >> 16);
		(*q)[3] = (unsigned char)(*acc >> 24);
		*q += 4;
		*acc >>= 32;
		*nacc -= 32;
	}
}

/* Append the low width bits of v (room made by bw_room). */
static void bw_put(struct bitw *w, uint32_t v, unsigned width)
{
	unsigned char *q = (unsigned char *)w->b->s + w->b->n;
	bits_put(&w->acc, &w->nacc, &q, v, width);
	w->b->n = (size_t)(q - (unsigned char *)w->b->s);
}

static void bw_flush(struct bitw *w)
{
	while (w->nacc > 0) {
		sb_putc(w->b, (char)(unsigned char)w->acc);
		w->acc >>= 8;
		w->nacc = w->nacc > 8 ? w->nacc - 8 : 0;
	}
}

struct bitr {
	const unsigned char *p;
	size_t len;
	uint64_t bit;
};

/* The bits from r's bit on, the lowest first: 57 of them at least (past the end,
 * zeros). */
static inline uint64_t br_peek(const struct bitr *r)
{
	size_t i = (size_t)(r->bit >> 3);
	uint64_t x = 0;
	if (i + 8 <= r->len) {
		const unsigned char *q = r->p + i;
		x = (uint64_t)q[0] | (uint64_t)q[1] << 8 | (uint64_t)q[2] << 16 |
		    (uint64_t)q[3] << 24 | (uint64_t)q[4] << 32 | (uint64_t)q[5] << 40 |
		    (uint64_t)q[6] << 48 | (uint64_t)q[7] << 56;
	} else {
		for (size_t k = 0; i + k < r->len && k < 8; k++)
			x |= (uint64_t)r->p[i + k] << (8 * k);
	}
	return x >> (r->bit & 7);
}

/* The next width bits (32 at most; the caller made sure they are there). */
static inline uint32_t br_get(struct bitr *r, unsigned width)
{
	if (!width)
		return 0;
	uint64_t x = br_peek(r);
	r->bit += width;
	return (uint32_t)(x & ((UINT64_C(1) << width) - 1));
}

/* Four 32-bit lanes, in the compiler's vector extension (GCC, Clang): SSE2 on x86-64,
 * NEON on arm64, plain code elsewhere. -O2 alone does not make rice_cost's loop one. */
typedef uint32_t u32x4 __attribute__((vector_size(16)));

/* The bits of v[0, n) in Rice codes of parameter s (< 32): each value's unary part, its
 * stop bit and s low bits, or RICE_ESC ones and 32 bits; four values at a time. */
static uint64_t rice_cost(const uint32_t *v, size_t n, unsigned s)
{
	const u32x4 esc = {RICE_ESC, RICE_ESC, RICE_ESC, RICE_ESC};
	const u32x4 fixed = {1 + s, 1 + s, 1 + s, 1 + s};
	const u32x4 escaped = {RICE_ESC + 32, RICE_ESC + 32, RICE_ESC + 32, RICE_ESC + 32};
	uint64_t cost = 0;
	size_t i = 0;

	while (n - i >= 4) {
		/* a lane adds at most 4,096 codes of 56 bits: 32 bits hold them */
		size_t end = i + ((n - i) / 4 > 4096 ? 4096 * 4 : (n - i) / 4 * 4);
		u32x4 part = {0, 0, 0, 0};
		for (; i < end; i += 4) {
			u32x4 x;
			memcpy(&x, v + i, sizeof x);
			u32x4 q = x >> s;
			u32x4 short_ = (u32x4)(q < esc);
			part += ((q + fixed) & short_) | (escaped & ~short_);
		}
		cost += (uint64_t)part[0] + part[1] + part[2] + part[3];
	}
	for (; i < n; i++) {
		uint32_t q = v[i] >> s;
		cost += q < RICE_ESC ? q + 1 + s : RICE_ESC + 32;
	}
	return cost;
}

unsigned post_rice_param(const uint32_t *v, size_t n)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	unsigned k0 = bit_width((uint32_t)(sum / (n ? n : 1))), lo = k0 > 2 ? k0 - 2 : 0, best = 0;
	uint64_t best_cost = UINT64_MAX;

	for (unsigned s = lo; s < lo + 4 && s <= k0 + 1 && s < 32; s++) {
		uint64_t cost = rice_cost(v, n, s);
		if (cost < best_cost) {
			best_cost = cost;
			best = s;
		}
	}
	return best;
}

/* Write v[0, n) in Rice codes of parameter k: the high bits in unary (RICE_ESC ones
 * instead for a value too large, which follows in 32 bits), then the low k. */
static void rice_put(struct bitw *w, const uint32_t *v, size_t n, unsigned k)
{
	uint64_t acc = w->acc, lowmask = (UINT64_C(1) << k) - 1;
	unsigned nacc = w->nacc;
	unsigned char *q = (unsigned char *)w->b->s + w->b->n;

	for (size_t i = 0; i < n; i++) {
		uint32_t hi = v[i] >> k;
		if (hi >= RICE_ESC) {
			bits_put(&acc, &nacc, &q, UINT32_MAX, RICE_ESC);
			bits_put(&acc, &nacc, &q, v[i], 32);
			continue;
		}
		uint64_t low = v[i] & lowmask;
		if (hi + 1 + k <= 32) { /* the unary part and the low bits in one */
			bits_put(&acc, &nacc, &q, ((UINT64_C(1) << hi) - 1) | low << (hi + 1),
				 hi + 1 + k);
			continue;
		}
		for (; hi >= 16; hi -= 16)
			bits_put(&acc, &nacc, &q, 0xFFFF, 16);
		bits_put(&acc, &nacc, &q, (1u << hi) - 1, hi + 1);
		bits_put(&acc, &nacc, &q, low, k);
	}
	w->acc = acc;
	w->nacc = nacc;
	w->b->n = (size_t)(q - (unsigned char *)w->b->s);
}

/* A list of more than one block being coded: its table (TAB_WORDS words per block) and
 * its blocks. */
struct lenc {
	VEC(uint32_t) tab;
	struct strbuf blk;
	int64_t last;		 /* the last row of its blocks so far, -1 before the first */
	VEC(uint32_t) gaps;	 /* block_encode's */
	struct post_anatomy *an; /* when set, block_encode adds up its bits there */
};

/* Append block rows d->row[from, to) with their positions, the first possible row
 * next, to *out (le: its scratch array). */
static void block_encode(const struct post_dec *d, size_t from, size_t to, uint32_t next,
			 struct lenc *le, struct strbuf *out)
{
	size_t n = to - from;
	if (n == 1) {
		uint32_t s = from ? d->end.v[from - 1] : 0, e = d->end.v[from];
		unsigned char v[10];
		size_t was = out->n;
		sb_append(out, (char *)v, put_varint(v, (uint64_t)d->pos.v[s] << 1 | (e - s > 1)));
		if (e - s > 1)
			sb_append(out, (char *)v, put_varint(v, e - s - 2));
		for (uint32_t k = s + 1; k < e; k++)
			sb_append(out, (char *)v, put_varint(v, d->pos.v[k] - d->pos.v[k - 1] - 1));
		if (le->an)
			le->an->one_row_bits += 8 * (out->n - was);
		return;
	}
	uint32_t rows[POST_ROWS] = {0}, cnt[POST_ROWS] = {0}, first[POST_ROWS] = {0};
	le->gaps.n = 0;
	for (size_t i = from, nx = next; i < to; i++) {
		uint32_t s = i ? d->end.v[i - 1] : 0, e = d->end.v[i];
		rows[i - from] = d->row.v[i] - (uint32_t)nx;
		nx = d->row.v[i] + 1;
		cnt[i - from] = e - s - 1;
		first[i - from] = d->pos.v[s];
		for (uint32_t k = s + 1; k < e; k++)
			VEC_PUSH(&le->gaps, d->pos.v[k] - d->pos.v[k - 1] - 1);
	}
	unsigned kr = post_rice_param(rows, n), kc = post_rice_param(cnt, n),
		 kf = post_rice_param(first, n);
	struct bitw w = {out, 0, 0};
	/* a Rice code takes RICE_ESC + 32 bits at most */
	bw_room(&w, 20 + (3 * (uint64_t)n + le->gaps.n) * (RICE_ESC + 32));
	bw_put(&w, kr, 5);
	bw_put(&w, kc, 5);
	bw_put(&w, kf, 5);
	rice_put(&w, rows, n, kr);
	rice_put(&w, cnt, n, kc);
	rice_put(&w, first, n, kf);
	if (le->gaps.n) {
		unsigned kg = post_rice_param(le->gaps.v, le->gaps.n);
		bw_put(&w, kg, 5);
		rice_put(&w, le->gaps.v, le->gaps.n, kg);
	}
	if (le->an) {
		struct post_anatomy *an = le->an;
		uint64_t b[4] = {rice_cost(rows, n, kr), rice_cost(cnt, n, kc),
				 rice_cost(first, n, kf), 0};
		if (le->gaps.n)
			b[3] = rice_cost(le->gaps.v, le->gaps.n,
					 post_rice_param(le->gaps.v, le->gaps.n));
		an->row_bits += b[0];
		an->count_bits += b[1];
		an->first_bits += b[2];
		an->gap_bits += b[3];
		uint64_t all = 15 + (le->gaps.n ? 5 : 0) + b[0] + b[1] + b[2] + b[3];
		an->other_bits += 15 + (le->gaps.n ? 5 : 0) + (8 - all % 8) % 8;
	}
	bw_flush(&w);
}

/* Add the table's entry of the block just appended to le->blk. */
static void lenc_entry(struct lenc *le, uint32_t last, uint32_t sum, uint32_t rows)
{
	VEC_PUSH(&le->tab, last);
	VEC_PUSH(&le->tab, (uint32_t)le->blk.n);
	VEC_PUSH(&le->tab, sum);
	VEC_PUSH(&le->tab, rows);
	le->last = last;
}

/* Append rows d->row[from, to) (after le's) as blocks of POST_ROWS rows, the last one
 * fewer. */
static void lenc_rows(struct lenc *le, const struct post_dec *d, size_t from, size_t to)
{
	while (from < to) {
		size_t end = to - from > POST_ROWS ? from + POST_ROWS : to, before = le->blk.n;
		block_encode(d, from, end, (uint32_t)(le->last + 1), le, &le->blk);
		lenc_entry(le, d->row.v[end - 1],
			   (uint32_t)xxh64(le->blk.s + before, le->blk.n - before, 0),
			   (uint32_t)(end - from));
		from = end;
	}
}

/* Write le's list (its blocks' count, its table, its blocks) into *out (emptied
 * first), and empty le for the next list. */
static void lenc_end(struct lenc *le, struct strbuf *out)
{
	uint32_t nb = (uint32_t)(le->tab.n / TAB_WORDS);
	sb_clear(out);
	sb_append(out, (char *)&nb, 4);
	sb_append(out, (char *)le->tab.v, le->tab.n * 4);
	sb_append(out, le->blk.s, le->blk.n);
	le->tab.n = 0;
	sb_clear(&le->blk);
	le->last = -1;
}

static void lenc_free(struct lenc *le)
{
	free(le->tab.v);
	free(le->gaps.v);
	sb_free(&le->blk);
}

/* Encode list d (rows ascending, at least one) into *out (emptied first); le: a coder
 * to reuse (empty). */
static void list_encode(const struct post_dec *d, struct lenc *le, struct strbuf *out)
{
	if (d->row.n <= POST_ROWS) {
		sb_clear(out);
		block_encode(d, 0, d->row.n, 0, le, out);
		return;
	}
	lenc_rows(le, d, 0, d->row.n);
	lenc_end(le, out);
}

/* The next Rice code of parameter k (reading past the end gives zeros: the caller
 * checks where the stream ended), from one read of the bits: the unary part, at most
 * RICE_ESC ones, a zero and k <= 31 bits are 56 bits at most, and so are RICE_ESC ones
 * and an escaped value's 32. */
static inline uint32_t rice_get(struct bitr *r, unsigned k)
{
	uint64_t x = br_peek(r);
	unsigned q = (unsigned)__builtin_ctzll(~x | UINT64_C(1) << RICE_ESC);
	if (q >= RICE_ESC) {
		r->bit += RICE_ESC + 32;
		return (uint32_t)(x >> RICE_ESC);
	}
	r->bit += q + 1 + k;
	return (uint32_t)q << k | (uint32_t)((x >> (q + 1)) & ((UINT64_C(1) << k) - 1));
}

/* The rows a decode keeps: those of the ascending v[0, n), a cursor k walking them as
 * the rows decoded ascend; a decode given none keeps every row. */
struct wanted {
	const uint32_t *v;
	size_t n, k;
};

/* Whether w (NULL: every row) wants row, the rows asked ascending. */
static inline bool wants(struct wanted *w, uint32_t row)
{
	if (!w)
		return true;
	while (w->k < w->n && w->v[w->k] < row)
		w->k++;
	return w->k < w->n && w->v[w->k] == row;
}

/* A block of more than one row being decoded: rows, counts and first positions read
 * (block_head), the gaps between positions next (block_gaps), then the positions made
 * of the rows kept (block_fix). */
struct bdec {
	struct bitr r;
	size_t len, n;
	size_t row_at;	    /* its rows at d->row.v[row_at, row_at + n) */
	uint64_t at, ngaps; /* its positions at d->pos.v[at, at + n + ngaps) */
	unsigned kg;
	uint32_t cnt[POST_ROWS], first[POST_ROWS];
	bool keep[POST_ROWS]; /* the rows wanted */
};

/* Decode block p[0, len) of n rows, more than one, the first possible row next, the
 * last one last, into *d, each row plus add, but for the gaps between its positions:
 * room is made for its positions (at b->at), the gaps to go after its n first
 * positions. False when malformed. */
static bool block_head(const unsigned char *p, size_t len, size_t n, uint32_t next, uint32_t last,
		       uint32_t add, struct post_dec *d, struct bdec *b, struct wanted *w)
{
	b->r = (struct bitr){p, len, 0};
	b->len = len;
	b->n = n;
	b->ngaps = 0;
	b->row_at = d->row.n;
	struct bitr *r = &b->r;
	unsigned kr = br_get(r, 5), kc = br_get(r, 5), kf = br_get(r, 5);
	if (n > POST_ROWS)
		return false;
	uint64_t nx = next;
	vec_reserve(&d->row.v, &d->row.cap, d->row.n + n, sizeof *d->row.v);
	vec_reserve(&d->end.v, &d->end.cap, d->end.n + n, sizeof *d->end.v);
	for (size_t i = 0; i < n; i++) {
		uint64_t row = nx + rice_get(r, kr);
		if (row > last)
			return false;
		b->keep[i] = wants(w, (uint32_t)row);
		d->row.v[d->row.n++] = (uint32_t)row + add;
		nx = row + 1;
	}
	if (nx != (uint64_t)last + 1)
		return false;
	if (d->rows_only) {
		size_t k = b->row_at;
		for (size_t i = 0; i < n; i++)
			if (b->keep[i])
				d->row.v[k++] = d->row.v[b->row_at + i];
		d->row.n = k;
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		b->cnt[i] = rice_get(r, kc);
		b->ngaps += b->cnt[i];
	}
	if (b->ngaps + n > MAX_BLOCK_POS || r->bit > (uint64_t)len * 8)
		return false;
	b->at = d->pos.n;
	d->pos.n += n + b->ngaps;
	vec_reserve(&d->pos.v, &d->pos.cap, d->pos.n, sizeof *d->pos.v);
	uint64_t at = b->at;
	for (size_t i = 0; i < n; i++) {
		b->first[i] = rice_get(r, kf);
		at += b->cnt[i] + 1;
		d->end.v[d->end.n++] = (uint32_t)at;
	}
	b->kg = b->ngaps ? br_get(r, 5) : 0;
	return d->pos.n <= UINT32_MAX;
}

/* Read the gaps of block x, then of block y (NULL: none), the two streams in turn: each
 * Rice code waits for the one before it in its stream, not for the other's. */
static void block_gaps(struct bdec *x, struct bdec *y, uint32_t *pos)
{
	uint32_t *gx = pos + x->at + x->n, *gy = y ? pos + y->at + y->n : NULL;
	uint64_t both = y ? (x->ngaps < y->ngaps ? x->ngaps : y->ngaps) : 0, j = 0;
	for (; j < both; j++) {
		gx[j] = rice_get(&x->r, x->kg);
		gy[j] = rice_get(&y->r, y->kg);
	}
	for (uint64_t k = j; k < x->ngaps; k++)
		gx[k] = rice_get(&x->r, x->kg);
	for (uint64_t k = j; y && k < y->ngaps; k++)
		gy[k] = rice_get(&y->r, y->kg);
}

/* Make the positions of block b's rows kept, of their first positions and their gaps
 * (read by block_gaps), and move the rows, their ends and positions down to the next
 * row *wr and position *wp of d: each value is moved down, never above where it was
 * read. False when malformed. */
static bool block_fix(const struct bdec *b, struct post_dec *d, size_t *wr, uint64_t *wp)
{
	uint32_t *pos = d->pos.v;
	uint64_t w = *wp, g = b->at + b->n;
	for (size_t i = 0; i < b->n; i++) {
		if (!b->keep[i]) {
			g += b->cnt[i];
			continue;
		}
		uint64_t p = b->first[i];
		pos[w++] = (uint32_t)p;
		for (uint32_t j = 0; j < b->cnt[i]; j++) {
			p += (uint64_t)pos[g++] + 1;
			if (p > UINT32_MAX)
				return false;
			pos[w++] = (uint32_t)p;
		}
		d->row.v[*wr] = d->row.v[b->row_at + i];
		d->end.v[(*wr)++] = (uint32_t)w;
	}
	*wp = w;
	return b->r.bit <= (uint64_t)b->len * 8 && (b->r.bit + 7) / 8 == b->len;
}

/* Read the gaps of the blocks b[0, *held) (one or two, the last ones decoded into d)
 * and make the positions of their rows kept; false when malformed. */
static bool blocks_gaps(struct bdec *b, size_t *held, struct post_dec *d)
{
	block_gaps(&b[0], *held == 2 ? &b[1] : NULL, d->pos.v);
	size_t wr = b[0].row_at;
	uint64_t wp = b[0].at;
	bool ok = block_fix(&b[0], d, &wr, &wp) && (*held < 2 || block_fix(&b[1], d, &wr, &wp));
	d->row.n = d->end.n = wr;
	d->pos.n = wp;
	*held = 0;
	return ok;
}

/* Decode block p[0, len) of one row, last, into *d, the row plus add; false when
 * malformed. */
static bool block_decode1(const unsigned char *p, size_t len, uint32_t next, uint32_t last,
			  uint32_t add, struct post_dec *d)
{
	const unsigned char *end = p + len;
	uint64_t c = 0, pos, g;
	if (d->rows_only && next <= last) {
		VEC_PUSH(&d->row, last + add);
		return true;
	}
	if (!post_varint(&p, end, &pos) || ((pos & 1) && !post_varint(&p, end, &c)) ||
	    c >= MAX_BLOCK_POS || (pos >> 1) > UINT32_MAX || next > last)
		return false;
	c = (pos & 1) ? c + 1 : 0;
	pos >>= 1;
	VEC_PUSH(&d->row, last + add);
	VEC_PUSH(&d->pos, (uint32_t)pos);
	for (uint64_t k = 0; k < c; k++) {
		if (!post_varint(&p, end, &g) || (pos += g + 1) > UINT32_MAX)
			return false;
		VEC_PUSH(&d->pos, (uint32_t)pos);
	}
	VEC_PUSH(&d->end, (uint32_t)d->pos.n);
	return p == end && d->pos.n <= UINT32_MAX;
}

/* Decode block p[0, len) of n rows, the first possible row next, the last one last,
 * into *d, each row plus add, of them those w wants; false when malformed. */
static bool block_decode(const unsigned char *p, size_t len, size_t n, uint32_t next, uint32_t last,
			 uint32_t add, struct post_dec *d, struct wanted *w)
{
	if (n == 1) {
		size_t nrow = d->row.n, nend = d->end.n, npos = d->pos.n;
		if (!block_decode1(p, len, next, last, add, d))
			return false;
		if (!wants(w, last)) {
			d->row.n = nrow;
			d->end.n = nend;
			d->pos.n = npos;
		}
		return true;
	}
	struct bdec b;
	if (!block_head(p, len, n, next, last, add, d, &b, w))
		return false;
	if (d->rows_only)
		return true;
	size_t held = 1;
	return blocks_gaps(&b, &held, d);
}

/* The blocks of list p[0, len) of ndocs rows, more than POST_ROWS (its first word, only
 * that read); 0 when that cannot be its. */
static size_t list_nblocks(const unsigned char *p, size_t len, uint32_t ndocs)
{
	uint32_t nb;
	if (ndocs <= POST_ROWS || len < 4)
		return 0;
	memcpy(&nb, p, 4);
	if (nb < (ndocs + POST_ROWS - 1) / POST_ROWS || nb > ndocs ||
	    4 + (uint64_t)nb * TAB_BYTES > len)
		return 0;
	return nb;
}

/* The bytes of list p[0, len) of ndocs rows its dictionary entry's checksum covers:
 * all of a list of one block; of a longer one its blocks' count and table (each block
 * has its own). SIZE_MAX when that cannot be its. */
static size_t list_summed(const unsigned char *p, size_t len, uint32_t ndocs)
{
	if (ndocs <= POST_ROWS)
		return len;
	size_t nb = list_nblocks(p, len, ndocs);
	return nb ? 4 + nb * TAB_BYTES : SIZE_MAX;
}

/* The blocks' table of entry e's list (of more than one block): nb entries of
 * TAB_WORDS words, checked against the list's rows and length; false when malformed. */
static bool table_ok(const struct segment *s, const struct post_entry *e, const uint32_t *tab,
		     size_t nb)
{
	uint32_t prev_end = 0;
	uint64_t rows = 0;
	for (size_t b = 0; b < nb; b++) {
		uint32_t last = T_LAST(tab, b), n = T_ROWS(tab, b);
		/* Its rows between the previous block's last one (excluded) and its last. */
		uint64_t room = b ? (uint64_t)last - T_LAST(tab, b - 1) : (uint64_t)last + 1;
		if (T_END(tab, b) <= prev_end || (b && last <= T_LAST(tab, b - 1)) ||
		    last >= s->nrows || n == 0 || n > POST_ROWS || room < n)
			return false;
		rows += n;
		prev_end = T_END(tab, b);
	}
	return rows == e->ndocs && T_LAST(tab, nb - 1) == e->last &&
	       4 + (uint64_t)nb * TAB_BYTES + prev_end == e->len;
}

/* Decode blocks [from, to) of a list whose table is tab, their bytes at data (the
 * first block's start), into *d, each row plus add, of them those w wants; false when
 * damaged. */
static bool blocks_decode(const uint32_t *tab, size_t from, size_t to, const unsigned char *data,
			  uint32_t add, struct post_dec *d, struct wanted *w)
{
	uint32_t base = from ? T_END(tab, from - 1) : 0;
	struct bdec bd[2];
	size_t held = 0; /* blocks of bd whose gaps are to read */
	for (size_t b = from; b < to; b++) {
		uint32_t s = b ? T_END(tab, b - 1) : 0, len = T_END(tab, b) - s;
		const unsigned char *p = data + (s - base);
		uint32_t n = T_ROWS(tab, b), next = b ? T_LAST(tab, b - 1) + 1 : 0;
		if ((uint32_t)xxh64(p, len, 0) != T_SUM(tab, b))
			return false;
		if (n == 1 || d->rows_only) {
			/* (after the blocks held: their rows and positions come first) */
			if ((held && !blocks_gaps(bd, &held, d)) ||
			    !block_decode(p, len, n, next, T_LAST(tab, b), add, d, w))
				return false;
			continue;
		}
		/* Two blocks' gaps are read together (block_gaps). */
		if (!block_head(p, len, n, next, T_LAST(tab, b), add, d, &bd[held], w))
			return false;
		if (++held == 2 && !blocks_gaps(bd, &held, d))
			return false;
	}
	return !held || blocks_gaps(bd, &held, d);
}

/* The table of list p (of nb blocks, checked by list_nblocks) as a new array. */
static uint32_t *table_copy(const unsigned char *p, size_t nb)
{
	uint32_t *tab = xmalloc(nb * TAB_BYTES);
	memcpy(tab, p + 4, nb * TAB_BYTES);
	return tab;
}

/* Decode entry e's whole list p[0, e->len) (its checksum checked by the caller) into
 * *d, each row plus add, of them those w wants; false when damaged. */
static bool list_decode(const struct segment *s, const struct post_entry *e, const unsigned char *p,
			uint32_t add, struct post_dec *d, struct wanted *w)
{
	if (e->ndocs == 0)
		return false;
	if (e->ndocs <= POST_ROWS)
		return block_decode(p, e->len, e->ndocs, 0, e->last, add, d, w);
	size_t nb = list_nblocks(p, e->len, e->ndocs);
	if (!nb)
		return false;
	uint32_t *tab = table_copy(p, nb);
	bool ok = table_ok(s, e, tab, nb) &&
		  blocks_decode(tab, 0, nb, p + 4 + nb * TAB_BYTES, add, d, w);
	free(tab);
	return ok;
}

/* ---- Building in memory. ---- */

/* A bigram of one thread's table: its key, how often it occurs in the table's texts, and
 * (after ptab_place) the end of its run of occurrences in the table's place array. The
 * rows that hold it and the last of them are counted as its list is coded (run_decode). */
struct pent {
	uint64_t key;
	uint32_t n;	/* occurrences */
	uint32_t end;	/* its run is place[end - n, end) */
	uint32_t ndocs; /* rows, once coded */
	uint32_t last;	/* the last row, once coded */
};

/* A slot of a table's hash: a bigram's key and its entry + 1 (0: empty), the key kept
 * here so that a lookup reads one cache line. */
struct pslot {
	uint64_t key;
	uint32_t id; /* entry index + 1, 0 empty */
	uint32_t n;  /* occurrences so far */
};

/* One thread's share of a step's texts, inverted by a counting sort: every bigram
 * occurrence gets its entry's number (occ, in text order), the entries are sorted by key,
 * each is given a run of place as long as its count, and the occurrences are placed
 * there as (row, position) in text order, so that each run is its list, rows ascending
 * and positions ascending within a row. */
struct ptab {
	struct pslot *slot;
	size_t mask;
	VEC(struct pent) e;
	uint32_t *occ; /* each occurrence's entry, in text order */
	size_t nocc;
	uint32_t *nkeys; /* the bigrams of each text of [from, to) */
	uint64_t *place; /* row << 32 | position, by entry in key order */
	const struct post_text *t;
	size_t from, to;     /* the texts (rows) of this table */
	struct kidx *sorted; /* its entries in the order of their keys, once filled */
	const atomic_bool *cancel;
	bool stopped; /* *cancel was set: the table is not whole */
};

void (*post_build_stage)(enum post_stage stage);

/* Whether a build (or the step around it) is to stop now. */
static bool build_stopped(const atomic_bool *cancel)
{
	return cancel && atomic_load_explicit(cancel, memory_order_relaxed);
}

static size_t slot_of(uint64_t key, size_t mask)
{
	uint64_t x = (key ^ key >> 29) * UINT64_C(0x9E3779B97F4A7C15);
	return (size_t)(x ^ x >> 32) & mask;
}

/* Double t's slots, and make room for as many entries as they may hold before the next
 * time (half), in huge pages when big: VEC_PUSH then never grows the entries. */
static void ptab_grow(struct ptab *t)
{
	size_t cap = t->mask ? (t->mask + 1) * 2 : 1 << 16;
	struct pslot *slot = xcalloc_huge(cap, sizeof *slot);
	size_t room = (cap / 2 + 1) * sizeof *t->e.v;
	struct pent *e = xmalloc_big(room);

	if (t->e.n)
		memcpy(e, t->e.v, t->e.n * sizeof *e);
	free(t->e.v);
	t->e.v = e;
	t->e.cap = cap / 2 + 1;
	for (size_t i = 0; t->slot && i <= t->mask; i++) {
		if (!t->slot[i].id)
			continue;
		size_t s = slot_of(t->slot[i].key, cap - 1);
		while (slot[s].id)
			s = (s + 1) & (cap - 1);
		slot[s] = t->slot[i];
	}
	free(t->slot);
	t->slot = slot;
	t->mask = cap - 1;
}

/* Count an occurrence of key and note its entry in occ. */
static void ptab_add(struct ptab *t, uint64_t key)
{
	size_t s = slot_of(key, t->mask);
	while (t->slot[s].id && t->slot[s].key != key)
		s = (s + 1) & t->mask;
	if (!t->slot[s].id) {
		struct pent ne = {key, 0, 0, 0, 0};
		VEC_PUSH(&t->e, ne);
		t->slot[s].key = key;
		t->slot[s].id = (uint32_t)t->e.n;
		t->slot[s].n = 0;
		t->occ[t->nocc++] = (uint32_t)t->e.n - 1;
		t->slot[s].n++;
		if (t->e.n * 2 > t->mask)
			ptab_grow(t);
		return;
	}
	t->slot[s].n++;
	t->occ[t->nocc++] = t->slot[s].id - 1;
}

/* Add the bigrams keys[0, m) of a text, fetching the table's memory some bigrams ahead
 * (the table is larger than the caches: each lookup would wait). */
static void ptab_text(struct ptab *t, const uint64_t *keys, size_t m)
{
	for (size_t i = 0; i < m; i++) {
		if (i + 16 < m)
			__builtin_prefetch(&t->slot[slot_of(keys[i + 16], t->mask)]);
		ptab_add(t, keys[i]);
	}
}

/* Count the bigrams of t's texts (occ, nkeys, the entries' n). */
static void ptab_count(struct ptab *t)
{
	VEC(uint64_t) keys = {0};
	size_t chars = 0;
	for (size_t r = t->from; r < t->to; r++)
		chars += t->t[r].n;
	/* a bigram a character at most: occ is never grown */
	t->occ = xmalloc_big((chars ? chars : 1) * sizeof *t->occ);
	t->nkeys = xmalloc_big((t->to - t->from + 1) * sizeof *t->nkeys);
	ptab_grow(t);
	for (size_t r = t->from; r < t->to; r++) {
		if (build_stopped(t->cancel)) {
			t->stopped = true;
			break;
		}
		const unsigned char *s = (const unsigned char *)t->t[r].s;
		size_t n = t->t[r].n;
		uint32_t prev = 0;
		keys.n = 0;
		for (size_t i = 0; i < n && keys.n < UINT32_MAX - 1;) {
			int len;
			uint32_t cp = post_char(s + i, n - i, &len);
			if (i > 0)
				VEC_PUSH(&keys, post_key(prev, cp));
			prev = cp;
			i += (size_t)len;
		}
		t->nkeys[r - t->from] = (uint32_t)keys.n;
		ptab_text(t, keys.v, keys.n);
	}
	free(keys.v);
	for (size_t i = 0; i <= t->mask; i++)
		if (t->slot[i].id)
			t->e.v[t->slot[i].id - 1].n = t->slot[i].n;
}

static void ptab_free(struct ptab *t)
{
	free(t->sorted);
	free(t->place);
	free(t->occ);
	free(t->nkeys);
	free(t->e.v);
	free(t->slot);
}

/* The order of the table's entries by key: a radix sort of (key, index) pairs. */
struct kidx {
	uint64_t key;
	uint64_t i;
};

static struct kidx *sorted_keys(const struct ptab *t)
{
	size_t n = t->e.n;
	struct kidx *a = xmalloc((n ? n : 1) * sizeof *a), *b = xmalloc((n ? n : 1) * sizeof *b);
	uint64_t all = 0;
	for (size_t i = 0; i < n; i++) {
		a[i].key = t->e.v[i].key;
		a[i].i = i;
		all |= a[i].key;
	}
	for (int shift = 0; shift < 64 && (all >> shift); shift += 11) {
		size_t count[2048] = {0};
		for (size_t i = 0; i < n; i++)
			count[(a[i].key >> shift) & 2047]++;
		size_t sum = 0;
		for (size_t k = 0; k < 2048; k++) {
			size_t c = count[k];
			count[k] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			b[count[(a[i].key >> shift) & 2047]++] = a[i];
		struct kidx *x = a;
		a = b;
		b = x;
	}
	free(b);
	return a;
}

/* Give each entry its run of place, in the order of the keys (sorted), and place every
 * occurrence in its run, in text order. */
static void ptab_place(struct ptab *t)
{
	uint32_t *cursor = xmalloc((t->e.n ? t->e.n : 1) * sizeof *cursor);
	uint32_t at = 0;
	for (size_t k = 0; k < t->e.n; k++) {
		struct pent *e = &t->e.v[t->sorted[k].i];
		cursor[t->sorted[k].i] = at;
		at += e->n;
		e->end = at;
	}
	t->place = xmalloc_big((t->nocc ? t->nocc : 1) * sizeof *t->place);
	size_t k = 0;
	for (size_t r = t->from; r < t->to; r++) {
		if (build_stopped(t->cancel)) {
			t->stopped = true;
			break;
		}
		uint64_t row = (uint64_t)r << 32;
		for (uint32_t i = 0, m = t->nkeys[r - t->from]; i < m; i++)
			t->place[cursor[t->occ[k++]]++] = row | i;
	}
	free(cursor);
	free(t->occ); /* placed: the lists are coded from place alone */
	free(t->nkeys);
	t->occ = NULL;
	t->nkeys = NULL;
}

/* Append the list of e, as placed (rows relative to the segment), to *d, and note its
 * rows and the last of them in e. */
static void run_decode(const struct ptab *t, struct pent *e, struct post_dec *d)
{
	const uint64_t *p = t->place + (e->end - e->n), *end = t->place + e->end;
	uint32_t row = (uint32_t)(*p >> 32), ndocs = 1;

	vec_reserve(&d->row.v, &d->row.cap, d->row.n + e->n, sizeof *d->row.v);
	vec_reserve(&d->end.v, &d->end.cap, d->end.n + e->n, sizeof *d->end.v);
	vec_reserve(&d->pos.v, &d->pos.cap, d->pos.n + e->n, sizeof *d->pos.v);
	d->row.v[d->row.n++] = row;
	for (; p < end; p++) {
		uint32_t r = (uint32_t)(*p >> 32);
		if (r != row) {
			d->end.v[d->end.n++] = (uint32_t)d->pos.n;
			d->row.v[d->row.n++] = row = r;
			ndocs++;
		}
		d->pos.v[d->pos.n++] = (uint32_t)*p;
	}
	d->end.v[d->end.n++] = (uint32_t)d->pos.n;
	e->ndocs = ndocs;
	e->last = row;
}

/* ---- Writing a segment file. ---- */

struct outbuf {
	int fd;
	unsigned char *buf;
	size_t n;
	uint64_t off;
	bool failed;
	bool kick;	 /* the file is kept: its writeback started as it is written */
	uint64_t kicked; /* bytes whose writeback was started */
};

/* Bytes written between two starts of writeback (out_kick). */
#define KICK_BYTES (16u << 20)

/* Start the writeback of what o wrote since the last time, not waiting for it: the
 * fsync before a manifest names the file (index.c) then finds little left to write. */
static void out_kick(struct outbuf *o)
{
	uint64_t end = o->off - o->n;
#ifdef SYNC_FILE_RANGE_WRITE
	if (o->kick && end > o->kicked)
		sync_file_range(o->fd, (off_t)o->kicked, (off_t)(end - o->kicked),
				SYNC_FILE_RANGE_WRITE);
#endif
	o->kicked = end;
}

static void out_write(struct outbuf *o, const void *p, size_t n)
{
	if (o->n + n > (1u << 20)) {
		if (!o->failed && !fileio_write_all(o->fd, o->buf, o->n))
			o->failed = true;
		o->n = 0;
		if (o->off - o->kicked >= KICK_BYTES)
			out_kick(o);
	}
	if (n > (1u << 20)) {
		if (!o->failed && !fileio_write_all(o->fd, p, n))
			o->failed = true;
	} else {
		memcpy(o->buf + o->n, p, n);
		o->n += n;
	}
	o->off += n;
}

static void out_flush(struct outbuf *o)
{
	if (o->n && !o->failed && !fileio_write_all(o->fd, o->buf, o->n))
		o->failed = true;
	o->n = 0;
}

/* A segment being written: lists go to the file, dictionary entries to a side file. */
struct segw {
	struct outbuf main, dict;
	struct strbuf tmp; /* the temporary's name */
	uint64_t ndict;
	unsigned char block[BLOCK_MAX];
	size_t blen;	    /* bytes in block */
	uint64_t bkey;	    /* the key of the block's last entry */
	VEC(uint64_t) btab; /* first key, offset in the dictionary, checksum, per block */
	uint64_t post_start;
};

static bool segw_begin(struct segw *w, const char *path, char *why, size_t whylen)
{
	memset(w, 0, sizeof *w);
	sb_printf(&w->tmp, "%s.tmp.%ld", path, (long)getpid());
	unlink(w->tmp.s);
	w->main.fd = open(w->tmp.s, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (w->main.fd < 0) {
		snprintf(why, whylen, "%s: %s", w->tmp.s, strerror(errno));
		sb_free(&w->tmp);
		return false;
	}
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	w->dict.fd = open(slash ? dir : ".", O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
	free(dir);
	if (w->dict.fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		close(w->main.fd);
		unlink(w->tmp.s);
		sb_free(&w->tmp);
		return false;
	}
	w->main.buf = xmalloc(1u << 20);
	w->main.kick = true;
	w->dict.buf = xmalloc(1u << 20);
	uint64_t zero[HDR_WORDS] = {0};
	out_write(&w->main, zero, sizeof zero);
	w->post_start = w->main.off;
	return true;
}

static void segw_block_done(struct segw *w)
{
	VEC_PUSH(&w->btab, xxh64(w->block, w->blen, 0));
	out_write(&w->dict, w->block, w->blen);
	w->blen = 0;
}

/* Add the dictionary entry of bigram key's list of n bytes (ndocs rows, the last one
 * last) at w->main.off, where its bytes go: p, kept in the entry when inlined (n at
 * most POST_INLINE), else its checksum sum. The caller writes a list not inlined. */
static void segw_entry(struct segw *w, uint64_t key, size_t n, uint32_t ndocs, uint32_t last,
		       const unsigned char *p, uint32_t sum)
{
	unsigned char *d = w->block;
	bool first = w->ndict % POST_BLOCK == 0;
	if (first) {
		VEC_PUSH(&w->btab, key);
		VEC_PUSH(&w->btab, w->dict.off);
		w->blen = put_varint(d, w->main.off);
	}
	w->blen += put_varint(d + w->blen, first ? key : key - w->bkey);
	w->blen += put_varint(d + w->blen, ndocs);
	w->blen += put_varint(d + w->blen, last);
	w->blen += put_varint(d + w->blen, n);
	if (n <= POST_INLINE) {
		memcpy(d + w->blen, p, n);
		w->blen += n;
	} else {
		memcpy(d + w->blen, &sum, 4);
		w->blen += 4;
	}
	w->bkey = key;
	w->ndict++;
	if (w->ndict % POST_BLOCK == 0)
		segw_block_done(w);
}

/* The checksum a dictionary entry keeps of list p[0, n) of ndocs rows (not inlined). */
static uint32_t list_sum(const unsigned char *p, size_t n, uint32_t ndocs)
{
	return (uint32_t)xxh64(p, list_summed(p, n, ndocs), 0);
}

/* Add the list of bigram key (bytes p[0, n), ndocs rows, the last one last). */
static void segw_list(struct segw *w, uint64_t key, const unsigned char *p, size_t n,
		      uint32_t ndocs, uint32_t last)
{
	bool inlined = n <= POST_INLINE;

	segw_entry(w, key, n, ndocs, last, p, inlined ? 0 : list_sum(p, n, ndocs));
	if (!inlined)
		out_write(&w->main, p, n);
}

static void segw_abort(struct segw *w)
{
	close(w->main.fd);
	close(w->dict.fd);
	unlink(w->tmp.s);
	sb_free(&w->tmp);
	free(w->main.buf);
	free(w->dict.buf);
	free(w->btab.v);
}

/* Finish the file with rows ids[0, nrows) and rename it to path. */
static bool segw_finish(struct segw *w, const char *path, uint64_t tag, uint64_t id, uint32_t base,
			const struct content_id *ids, uint32_t nrows, uint64_t *sum, char *why,
			size_t whylen)
{
	uint64_t h[HDR_WORDS] = {0};
	if (w->ndict % POST_BLOCK)
		segw_block_done(w);
	out_flush(&w->dict);
	h[H_DICT] = w->main.off;
	/* The dictionary, from its side file. */
	unsigned char *buf = xmalloc(1u << 20);
	for (uint64_t at = 0; !w->dict.failed && at < w->dict.off;) {
		size_t k = w->dict.off - at < (1u << 20) ? (size_t)(w->dict.off - at) : 1u << 20;
		if (pread(w->dict.fd, buf, k, (off_t)at) != (ssize_t)k)
			w->dict.failed = true;
		else
			out_write(&w->main, buf, k);
		at += k;
	}
	free(buf);
	h[H_BTAB] = w->main.off;
	out_write(&w->main, w->btab.v, w->btab.n * 8);
	h[H_ROWS] = w->main.off;
	out_write(&w->main, ids, (size_t)nrows * sizeof *ids);
	out_flush(&w->main);
	h[H_MAGIC] = POST_MAGIC;
	h[H_TAG] = tag;
	h[H_ID] = id;
	h[H_BASE] = base;
	h[H_NROWS] = nrows;
	h[H_NDICT] = w->ndict;
	h[H_NBLOCKS] = w->btab.n / 3;
	h[H_BYTES] = w->main.off;
	h[H_BTAB_SUM] = xxh64(w->btab.v, w->btab.n * 8, 0);
	h[H_ROWS_SUM] = xxh64(ids, (size_t)nrows * sizeof *ids, 0);
	h[H_SUM] = xxh64(h, (HDR_WORDS - 1) * 8, 0);
	*sum = h[H_SUM];
	/* Not synced here: before a manifest names it (index.c, save_segments). */
	out_kick(&w->main);
	bool ok = !w->main.failed && !w->dict.failed &&
		  pwrite(w->main.fd, h, sizeof h, 0) == (ssize_t)sizeof h &&
		  rename(w->tmp.s, path) == 0;
	if (!ok) {
		snprintf(why, whylen, _("%s: cannot write: %s"), path, strerror(errno));
		segw_abort(w);
		return false;
	}
	close(w->main.fd);
	close(w->dict.fd);
	sb_free(&w->tmp);
	free(w->main.buf);
	free(w->dict.buf);
	free(w->btab.v);
	return true;
}

/* Run fn on first here and on second on a thread beside it (here too when no thread
 * can be had); return when both are done. */
static void run_both(void *(*fn)(void *), void *first, void *second)
{
	pthread_t th;
	bool two = pthread_create(&th, NULL, fn, second) == 0;

	fn(first);
	if (two)
		pthread_join(th, NULL);
	else
		fn(second);
}

/* Fill table arg, then sort its keys. */
static void *fill_thread(void *arg)
{
	struct ptab *t = arg;
	ptab_count(t);
	if (!t->stopped)
		t->sorted = sorted_keys(t);
	if (!t->stopped)
		ptab_place(t);
	return NULL;
}

/* The lists of the two tables' bigrams of keys [from, to): entries k0[i0, e0) of
 * tab[0] and k1[i1, e1) of tab[1], coded one after another into out, each one's
 * length in len. */
struct part {
	struct ptab *tab;
	size_t i0, e0, i1, e1;
	struct strbuf out;
	VEC(uint32_t) len;
	const atomic_bool *cancel;
	bool stopped; /* *cancel was set: out is not whole */
};

/* The entries of pa's next bigram from rows *i (of tab[0]) and *j (of tab[1]), stepped
 * past them, in *a and *b (NULL when not in that table); false after the last. */
static bool part_next(const struct part *pa, size_t *i, size_t *j, struct pent **a, struct pent **b)
{
	const struct ptab *tab = pa->tab;
	*a = *i < pa->e0 ? &tab[0].e.v[tab[0].sorted[*i].i] : NULL;
	*b = *j < pa->e1 ? &tab[1].e.v[tab[1].sorted[*j].i] : NULL;
	if (*a && *b && (*a)->key != (*b)->key) {
		if ((*a)->key < (*b)->key)
			*b = NULL;
		else
			*a = NULL;
	}
	*i += *a != NULL;
	*j += *b != NULL;
	return *a || *b;
}

static void *encode_part(void *arg)
{
	struct part *pa = arg;
	struct strbuf list = {0};
	struct post_dec d = {0};
	struct lenc le = {.last = -1};
	size_t i = pa->i0, j = pa->i1, est = 1 << 16;
	struct pent *a, *b;
	/* The coded lists take less than three bytes an occurrence: no copy as out grows
	 * (the pages not written are never touched). */
	for (size_t k = pa->i0; k < pa->e0; k++)
		est += 3 * (size_t)pa->tab[0].e.v[pa->tab[0].sorted[k].i].n + 8;
	for (size_t k = pa->i1; k < pa->e1; k++)
		est += 3 * (size_t)pa->tab[1].e.v[pa->tab[1].sorted[k].i].n + 8;
	pa->out.s = xmalloc_big(est);
	pa->out.cap = est;
	while (part_next(pa, &i, &j, &a, &b)) {
		if (build_stopped(pa->cancel)) {
			pa->stopped = true;
			break;
		}
		d.row.n = d.end.n = d.pos.n = 0;
		if (a)
			run_decode(&pa->tab[0], a, &d);
		if (b)
			run_decode(&pa->tab[1], b, &d);
		list_encode(&d, &le, &list);
		VEC_PUSH(&pa->len, (uint32_t)list.n);
		sb_append(&pa->out, list.s, list.n);
	}
	post_dec_free(&d);
	lenc_free(&le);
	sb_free(&list);
	return NULL;
}

/* The first of the sorted keys k[0, n) not below key. */
static size_t lower_key(const struct kidx *k, size_t n, uint64_t key)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Call post_build_stage (tests) as stage begins. */
static void stage(enum post_stage st)
{
	if (post_build_stage)
		post_build_stage(st);
}

struct segment *segment_build(const char *path, uint64_t id, uint32_t base,
			      const struct post_text *t, size_t n, uint64_t tag,
			      const atomic_bool *cancel, char *why, size_t whylen)
{
	struct ptab tab[2];
	struct part part[2];
	size_t total = 0, half = 0, cut = 0;
	struct segment *s = NULL;

	memset(tab, 0, sizeof tab);
	memset(part, 0, sizeof part);
	stage(POST_STAGE_TOKENIZE);
	for (size_t i = 0; i < n; i++)
		total += t[i].n;
	if (total >= UINT32_MAX) { /* a table's occurrences are counted in 32 bits */
		snprintf(why, whylen, _("%s: too much text for one segment"), path);
		return NULL;
	}
	while (cut < n && half + t[cut].n / 2 < total / 2)
		half += t[cut++].n;
	tab[0].t = tab[1].t = t;
	tab[0].to = tab[1].from = cut;
	tab[1].to = n;
	tab[0].cancel = tab[1].cancel = cancel;
	run_both(fill_thread, &tab[0], &tab[1]);
	if (tab[0].stopped || tab[1].stopped)
		goto stopped;
	stage(POST_STAGE_CODE);

	/* The lists coded on two threads, each those of half the bigrams. */
	size_t n0 = tab[0].e.n, n1 = tab[1].e.n;
	uint64_t mid = n0 ? tab[0].sorted[n0 / 2].key : n1 ? tab[1].sorted[n1 / 2].key : 0;
	part[0].tab = part[1].tab = tab;
	part[0].cancel = part[1].cancel = cancel;
	part[0].e0 = part[1].i0 = lower_key(tab[0].sorted, n0, mid);
	part[0].e1 = part[1].i1 = lower_key(tab[1].sorted, n1, mid);
	part[1].e0 = n0;
	part[1].e1 = n1;
	run_both(encode_part, &part[0], &part[1]);
	if (part[0].stopped || part[1].stopped)
		goto stopped;
	stage(POST_STAGE_WRITE);

	struct segw w;
	uint64_t sum;
	if (!segw_begin(&w, path, why, whylen))
		goto done;
	for (int k = 0; k < 2; k++) {
		size_t at = 0, i = part[k].i0, j = part[k].i1;
		struct pent *a, *b;
		for (size_t l = 0; part_next(&part[k], &i, &j, &a, &b); l++) {
			/* a's rows are before b's. */
			uint32_t len = part[k].len.v[l];
			segw_list(&w, (a ? a : b)->key, (unsigned char *)part[k].out.s + at, len,
				  (a ? a->ndocs : 0) + (b ? b->ndocs : 0), (b ? b : a)->last);
			at += len;
		}
	}
	/* Stopped: the file is not finished (nor ever named by a manifest). */
	if (build_stopped(cancel)) {
		segw_abort(&w);
		goto stopped;
	}
	stage(POST_STAGE_SYNC);
	struct content_id *ids = xmalloc((n ? n : 1) * sizeof *ids);
	for (size_t r = 0; r < n; r++)
		ids[r] = t[r].id;
	bool ok = segw_finish(&w, path, tag, id, base, ids, (uint32_t)n, &sum, why, whylen);
	free(ids);
	if (ok)
		s = segment_open(path, id, base, (uint32_t)n, sum, tag, why, whylen);
	goto done;
stopped:
	snprintf(why, whylen, _("%s: stopped"), path);
done:
	for (int k = 0; k < 2; k++) {
		sb_free(&part[k].out);
		free(part[k].len.v);
		ptab_free(&tab[k]);
	}
	return s;
}

/* ---- Reading. ---- */

static bool pread_all(int fd, void *p, size_t n, uint64_t off)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = pread(fd, (char *)p + got, n - got, (off_t)(off + got));
		if (k <= 0) {
			if (k < 0 && errno == EINTR)
				continue;
			return false;
		}
		got += (size_t)k;
	}
	return true;
}

struct segment *segment_open(const char *path, uint64_t id, uint32_t base, uint32_t nrows,
			     uint64_t sum, uint64_t tag, char *why, size_t whylen)
{
	struct stat st;
	uint64_t h[HDR_WORDS];
	int fd = fileio_open_own(path, O_RDONLY, 0, &st);
	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, fileio_strerror(errno));
		return NULL;
	}
	if (!pread_all(fd, h, sizeof h, 0) || h[H_MAGIC] != POST_MAGIC ||
	    h[H_SUM] != xxh64(h, (HDR_WORDS - 1) * 8, 0) || h[H_SUM] != sum || h[H_TAG] != tag ||
	    h[H_ID] != id || h[H_BASE] != base || h[H_NROWS] != nrows ||
	    h[H_BYTES] != (uint64_t)st.st_size || h[H_DICT] > h[H_BTAB] || h[H_BTAB] > h[H_ROWS] ||
	    h[H_ROWS] > h[H_BYTES] || h[H_NBLOCKS] != (h[H_NDICT] + POST_BLOCK - 1) / POST_BLOCK ||
	    h[H_ROWS] - h[H_BTAB] != h[H_NBLOCKS] * 24 ||
	    h[H_BYTES] - h[H_ROWS] != (uint64_t)nrows * sizeof(struct content_id)) {
		snprintf(why, whylen, _("%s: damaged or not the index's"), path);
		close(fd);
		return NULL;
	}
	struct segment *s = xcalloc(1, sizeof *s);
	s->fd = fd;
	s->id = id;
	s->base = base;
	s->nrows = nrows;
	s->sum = sum;
	s->bytes = h[H_BYTES];
	s->ndict = h[H_NDICT];
	s->nblocks = h[H_NBLOCKS];
	s->off_dict = h[H_DICT];
	s->off_rows = h[H_ROWS];
	uint64_t *btab = xmalloc(s->nblocks * 24 + 1);
	bool ok = pread_all(fd, btab, s->nblocks * 24, h[H_BTAB]) &&
		  xxh64(btab, s->nblocks * 24, 0) == h[H_BTAB_SUM];
	/* Blocks in order, each of 1 to BLOCK_MAX bytes. */
	for (uint64_t b = 0; ok && b < s->nblocks; b++) {
		uint64_t end = b + 1 < s->nblocks ? btab[3 * b + 4] : h[H_BTAB] - h[H_DICT];
		ok = btab[3 * b + 1] < end && end - btab[3 * b + 1] <= BLOCK_MAX &&
		     (b == 0 ? btab[1] == 0 : btab[3 * b] > btab[3 * b - 3]);
	}
	if (!ok) {
		snprintf(why, whylen, _("%s: damaged (its dictionary)"), path);
		free(btab);
		close(fd);
		free(s);
		return NULL;
	}
	s->bkey = xmalloc(s->nblocks * 8 + 1);
	s->boff = xmalloc(s->nblocks * 8 + 8);
	s->bsum = xmalloc(s->nblocks * 8 + 1);
	for (uint64_t b = 0; b < s->nblocks; b++) {
		s->bkey[b] = btab[3 * b];
		s->boff[b] = btab[3 * b + 1];
		s->bsum[b] = btab[3 * b + 2];
	}
	s->boff[s->nblocks] = h[H_BTAB] - h[H_DICT];
	free(btab);
	/* The rows' checksum, kept in the header, is checked when they are read. */
	s->refs = 1;
	return s;
}

bool segment_rows(const struct segment *s, struct content_id **out, char *why, size_t whylen)
{
	uint64_t h[HDR_WORDS];
	size_t n = (size_t)s->nrows * sizeof **out;
	*out = xmalloc(n + 1);
	if (!pread_all(s->fd, h, sizeof h, 0) || !pread_all(s->fd, *out, n, s->off_rows) ||
	    xxh64(*out, n, 0) != h[H_ROWS_SUM]) {
		snprintf(why, whylen, _("segment %llu: damaged (its rows)"),
			 (unsigned long long)s->id);
		free(*out);
		*out = NULL;
		return false;
	}
	return true;
}

/* A dictionary block read: its bytes, where the next entry is. */
struct block {
	unsigned char d[BLOCK_MAX];
	size_t len, at, k; /* k: entries read */
	uint64_t key, off;
};

/* Read dictionary block b (checked) into *bl; false (why set) when damaged. */
static bool read_block(const struct segment *s, uint64_t b, struct block *bl, char *why,
		       size_t whylen)
{
	const unsigned char *p = bl->d;
	bl->len = (size_t)(s->boff[b + 1] - s->boff[b]);
	bl->k = 0;
	if (!pread_all(s->fd, bl->d, bl->len, s->off_dict + s->boff[b]) ||
	    xxh64(bl->d, bl->len, 0) != s->bsum[b] || !post_varint(&p, bl->d + bl->len, &bl->off)) {
		snprintf(why, whylen, _("segment %llu: damaged (dictionary block %llu)"),
			 (unsigned long long)s->id, (unsigned long long)b);
		return false;
	}
	bl->at = (size_t)(p - bl->d);
	return true;
}

/* The next entry of block bl into *e: 1, 0 at its end, -1 (why set) when malformed. */
static int block_next(const struct segment *s, struct block *bl, struct post_entry *e, char *why,
		      size_t whylen)
{
	const unsigned char *p = bl->d + bl->at, *end = bl->d + bl->len;
	uint64_t dk, ndocs, last, len;
	if (p == end)
		return 0;
	if (!post_varint(&p, end, &dk) || !post_varint(&p, end, &ndocs) ||
	    !post_varint(&p, end, &last) || !post_varint(&p, end, &len) || ndocs > UINT32_MAX ||
	    last >= s->nrows || len > UINT32_MAX ||
	    (size_t)(end - p) < (len <= POST_INLINE ? len : 4))
		goto bad;
	e->key = bl->k ? bl->key + dk : dk;
	if (bl->k && dk == 0)
		goto bad;
	e->ndocs = (uint32_t)ndocs;
	e->last = (uint32_t)last;
	e->len = (uint32_t)len;
	e->inlined = len <= POST_INLINE;
	if (e->inlined) {
		memcpy(e->inl, p, len);
		p += len;
		e->off = 0;
	} else {
		memcpy(&e->sum, p, 4);
		p += 4;
		e->off = bl->off;
		bl->off += len;
		if (e->off < HDR_WORDS * 8 || e->off + len > s->off_dict)
			goto bad;
	}
	bl->key = e->key;
	bl->k++;
	bl->at = (size_t)(p - bl->d);
	return 1;
bad:
	snprintf(why, whylen, _("segment %llu: damaged (dictionary)"), (unsigned long long)s->id);
	return -1;
}

int segment_find(const struct segment *s, uint64_t key, struct post_entry *e, char *why,
		 size_t whylen)
{
	struct block bl;
	uint64_t lo = 0, hi = s->nblocks;
	/* The last block whose first key is <= key. */
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (s->bkey[mid] <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	if (!read_block(s, lo - 1, &bl, why, whylen))
		return -1;
	int r;
	while ((r = block_next(s, &bl, e, why, whylen)) > 0 && e->key < key)
		;
	return r < 0 ? -1 : r > 0 && e->key == key;
}

/* Read n bytes of s at off into d's buffer for them (kept from one decode to the next:
 * a buffer made anew for each list cost a page fault per 4 KB); NULL when they cannot
 * be read. */
static unsigned char *read_raw(const struct segment *s, uint64_t off, size_t n, struct post_dec *d)
{
	vec_reserve(&d->raw.v, &d->raw.cap, n + 1, 1);
	return pread_all(s->fd, d->raw.v, n, off) ? d->raw.v : NULL;
}

/* Decode the blocks [from, to) of e's list (table tab of nb blocks, checked): read at
 * once; false when damaged. */
static bool decode_blocks(const struct segment *s, const struct post_entry *e, const uint32_t *tab,
			  size_t nb, size_t from, size_t to, struct post_dec *d, struct wanted *w)
{
	if (from >= to)
		return true;
	uint32_t start = from ? T_END(tab, from - 1) : 0, len = T_END(tab, to - 1) - start;
	const unsigned char *buf = read_raw(s, e->off + 4 + nb * TAB_BYTES + start, len, d);
	return buf && blocks_decode(tab, from, to, buf, 0, d, w);
}

/* Decode the rows w wants of e's list (table tab of nb, checked), reading each run of
 * the blocks that may hold one of them at once; false when damaged. */
static bool decode_wanted(const struct segment *s, const struct post_entry *e, const uint32_t *tab,
			  size_t nb, struct wanted *w, struct post_dec *d)
{
	const uint32_t *want = w->v;
	size_t nwant = w->n, k = 0, b = 0;
	bool ok = true;
	while (ok && k < nwant && b < nb) {
		if (want[k] > T_LAST(tab, b)) {
			/* The first block whose last row is want[k] or more. */
			size_t lo = b + 1, hi = nb;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (T_LAST(tab, mid) < want[k])
					lo = mid + 1;
				else
					hi = mid;
			}
			b = lo;
			continue;
		}
		size_t from = b;
		while (b < nb && k < nwant && want[k] <= T_LAST(tab, b)) {
			while (k < nwant && want[k] <= T_LAST(tab, b))
				k++;
			b++;
		}
		ok = decode_blocks(s, e, tab, nb, from, b, d, w);
	}
	return ok;
}

/* The block table of e's list of more than POST_ROWS rows, read and checked (its
 * checksum, its size against the list's, its rows and ends): a new array of *nb
 * blocks, or NULL when damaged. */
static uint32_t *read_table(const struct segment *s, const struct post_entry *e, size_t *nb)
{
	unsigned char head[4];
	*nb = pread_all(s->fd, head, 4, e->off) ? list_nblocks(head, e->len, e->ndocs) : 0;
	unsigned char *p = *nb ? xmalloc(4 + *nb * TAB_BYTES) : NULL;
	bool ok = p && pread_all(s->fd, p, 4 + *nb * TAB_BYTES, e->off) &&
		  (uint32_t)xxh64(p, 4 + *nb * TAB_BYTES, 0) == e->sum;
	uint32_t *tab = ok ? table_copy(p, *nb) : NULL;
	free(p);
	if (tab && !table_ok(s, e, tab, *nb)) {
		free(tab);
		tab = NULL;
	}
	return tab;
}

static bool damaged_list(const struct segment *s, char *why, size_t whylen)
{
	snprintf(why, whylen, _("segment %llu: damaged (a list)"), (unsigned long long)s->id);
	return false;
}

bool segment_decode(const struct segment *s, const struct post_entry *e, const uint32_t *want,
		    size_t nwant, struct post_dec *d, char *why, size_t whylen)
{
	bool ok;
	struct wanted w = {want, nwant, 0};
	d->row.n = d->end.n = d->pos.n = 0;
	if (e->inlined) {
		ok = list_decode(s, e, e->inl, 0, d, want ? &w : NULL);
	} else if (e->ndocs <= POST_ROWS || !want) {
		const unsigned char *p = read_raw(s, e->off, e->len, d);
		size_t summed = p ? list_summed(p, e->len, e->ndocs) : SIZE_MAX;
		ok = summed <= e->len && (uint32_t)xxh64(p, summed, 0) == e->sum &&
		     list_decode(s, e, p, 0, d, want ? &w : NULL);
	} else {
		size_t nb;
		uint32_t *tab = read_table(s, e, &nb);
		ok = tab && decode_wanted(s, e, tab, nb, &w, d);
		free(tab);
	}
	return ok || damaged_list(s, why, whylen);
}

bool segment_decode_part(const struct segment *s, const struct post_entry *e, unsigned k,
			 unsigned nparts, struct post_dec *d, char *why, size_t whylen)
{
	if (e->inlined || e->ndocs <= POST_ROWS || nparts < 2) {
		if (k == 0)
			return segment_decode(s, e, NULL, 0, d, why, whylen);
		d->row.n = d->end.n = d->pos.n = 0;
		return true;
	}
	d->row.n = d->end.n = d->pos.n = 0;
	size_t nb;
	uint32_t *tab = read_table(s, e, &nb);
	bool ok = tab &&
		  decode_blocks(s, e, tab, nb, nb * k / nparts, nb * (k + 1) / nparts, d, NULL);
	free(tab);
	return ok || damaged_list(s, why, whylen);
}

/* log2 of the number of ways to choose k of n. */
static double log2_choose(double n, double k)
{
	return (lgamma(n + 1) - lgamma(k + 1) - lgamma(n - k + 1)) / log(2);
}

bool segment_anatomy(const struct segment *s, struct post_anatomy *an, char *why, size_t whylen)
{
	/* Each row's characters: its last bigram's position plus two (a first pass). */
	uint32_t *chars = xcalloc(s->nrows ? s->nrows : 1, sizeof *chars);
	struct post_dec d = {0};
	struct lenc le = {.last = -1, .an = an};
	struct strbuf out = {0};
	struct block bl;
	struct post_entry e;
	bool ok = true;
	an->file_bytes += s->bytes;
	an->dict_bytes += s->off_rows - s->off_dict;
	an->ident_bytes += s->bytes - s->off_rows;
	for (int pass = 0; ok && pass < 2; pass++)
		for (uint64_t b = 0; ok && b < s->nblocks; b++) {
			int r = 0;
			ok = read_block(s, b, &bl, why, whylen);
			while (ok && (r = block_next(s, &bl, &e, why, whylen)) > 0) {
				ok = segment_decode(s, &e, NULL, 0, &d, why, whylen);
				for (size_t i = 0; ok && i < d.row.n; i++) {
					uint32_t from = i ? d.end.v[i - 1] : 0, to = d.end.v[i];
					uint32_t need = d.pos.v[to - 1] + 2;
					if (pass == 0 && need > chars[d.row.v[i]])
						chars[d.row.v[i]] = need;
					if (pass == 1) {
						an->floor_first_bits += log2(chars[d.row.v[i]] - 1);
						an->floor_position_bits += log2_choose(
							chars[d.row.v[i]] - 1, to - from);
					}
				}
				if (!ok || pass == 0)
					continue;
				an->lists++;
				an->floor_row_bits += log2_choose(s->nrows, d.row.n);
				an->pairs += d.row.n;
				an->positions += d.pos.n;
				if (e.inlined) {
					an->inlined++;
					an->inlined_bits += 8 * (uint64_t)e.len;
					continue;
				}
				if (e.ndocs > POST_ROWS)
					an->table_bits += 8 *
							  (4 + (uint64_t)(e.ndocs + POST_ROWS - 1) /
								       POST_ROWS * TAB_BYTES);
				list_encode(&d, &le, &out);
			}
			ok = ok && r == 0;
		}
	free(chars);
	post_dec_free(&d);
	lenc_free(&le);
	sb_free(&out);
	return ok;
}

void segment_close(struct segment *s)
{
	if (!s)
		return;
	close(s->fd);
	free(s->bkey);
	free(s->boff);
	free(s->bsum);
	free(s);
}

/* ---- Merging. ---- */

struct cursor {
	const struct segment *s;
	struct block bl;
	uint64_t block;
	struct post_entry e;
	bool done;
	/* The lists are read in their order, through a window of the file. */
	unsigned char *win;
	size_t wcap, wlen;
	uint64_t woff;
};

#define WINDOW (1u << 20)

/* The current entry's list, checked, in the cursor's window; NULL (why set) when
 * damaged. */
static const unsigned char *cursor_list(struct cursor *c, char *why, size_t whylen)
{
	const struct post_entry *e = &c->e;
	if (e->inlined)
		return e->inl;
	if (e->off < c->woff || e->off + e->len > c->woff + c->wlen) {
		size_t want = e->len > WINDOW ? e->len : WINDOW;
		if (e->off + want > c->s->off_dict)
			want = e->off + e->len <= c->s->off_dict ? (size_t)(c->s->off_dict - e->off)
								 : e->len;
		if (want > c->wcap) {
			free(c->win);
			c->win = xmalloc(want);
			c->wcap = want;
		}
		c->woff = e->off;
		c->wlen = 0;
		if (!pread_all(c->s->fd, c->win, want, e->off))
			goto bad;
		c->wlen = want;
	}
	const unsigned char *p = c->win + (e->off - c->woff);
	size_t summed = list_summed(p, e->len, e->ndocs);
	if (summed <= e->len && (uint32_t)xxh64(p, summed, 0) == e->sum)
		return p;
bad:
	snprintf(why, whylen, _("segment %llu: damaged (a list)"), (unsigned long long)c->s->id);
	return NULL;
}

/* Step the cursor to its next entry; false (why set) when damaged. */
static bool cursor_next(struct cursor *c, char *why, size_t whylen)
{
	for (;;) {
		int r = c->block ? block_next(c->s, &c->bl, &c->e, why, whylen) : 0;
		if (r)
			return r > 0;
		if (c->block >= c->s->nblocks) {
			c->done = true;
			return true;
		}
		if (!read_block(c->s, c->block++, &c->bl, why, whylen))
			return false;
	}
}

bool post_merge_recode;
size_t post_merge_cancel_from;

/* The lists of one bigram from the merge's cursors c[0, n) that hold it (rows ascending
 * from one to the next; rows relative to base), joined into *le: of each list of more
 * than one block, the blocks after its first are copied as they are (checked), the rows
 * before them (its first block, the lists of one block before it) are coded anew.
 * pend: a list to reuse (empty). False (why set) when damaged. */
static bool merge_lists(struct cursor *c, size_t n, uint64_t key, uint32_t base, struct lenc *le,
			struct post_dec *pend, char *why, size_t whylen)
{
	for (size_t i = 0; i < n; i++) {
		if (c[i].done || c[i].e.key != key)
			continue;
		const struct segment *s = c[i].s;
		const struct post_entry *e = &c[i].e;
		const unsigned char *p = cursor_list(&c[i], why, whylen);
		uint32_t add = s->base - base;
		if (!p)
			return false;
		if (e->ndocs <= POST_ROWS) {
			if (!list_decode(s, e, p, add, pend, NULL))
				goto bad;
			continue;
		}
		size_t nb = list_nblocks(p, e->len, e->ndocs);
		uint32_t *tab = nb ? table_copy(p, nb) : NULL;
		const unsigned char *data = p + 4 + nb * TAB_BYTES;
		bool ok = tab && table_ok(s, e, tab, nb) &&
			  blocks_decode(tab, 0, 1, data, add, pend, NULL);
		if (ok) {
			lenc_rows(le, pend, 0, pend->row.n);
			pend->row.n = pend->end.n = pend->pos.n = 0;
		}
		for (size_t b = 1; ok && b < nb; b++) {
			uint32_t from = T_END(tab, b - 1), len = T_END(tab, b) - from;
			ok = (uint32_t)xxh64(data + from, len, 0) == T_SUM(tab, b);
			/* Its first row is coded from the previous block's last one, which
			 * moves with it. */
			sb_append(&le->blk, (const char *)data + from, len);
			lenc_entry(le, T_LAST(tab, b) + add, T_SUM(tab, b), T_ROWS(tab, b));
		}
		free(tab);
		if (!ok)
			goto bad;
		continue;
	bad:
		snprintf(why, whylen, _("segment %llu: damaged (a list)"),
			 (unsigned long long)s->id);
		return false;
	}
	lenc_rows(le, pend, 0, pend->row.n);
	return true;
}

/* Step cursor c to its first entry of key at least lo; false (why set) when damaged. */
static bool cursor_seek(struct cursor *c, uint64_t lo, char *why, size_t whylen)
{
	uint64_t a = 0, b = c->s->nblocks;
	/* the last dictionary block whose first key is at most lo */
	while (a < b) {
		uint64_t mid = a + (b - a) / 2;
		if (c->s->bkey[mid] <= lo)
			a = mid + 1;
		else
			b = mid;
	}
	c->block = a ? a - 1 : 0;
	do
		if (!cursor_next(c, why, whylen))
			return false;
	while (!c->done && c->e.key < lo);
	return true;
}

/* The second half of a merge kept until the first is written: its lists' bytes in one
 * unnamed file, their dictionary entries (struct spooled each) in another. */
struct spool {
	struct outbuf lists, entries;
};

/* A list's dictionary entry, spooled; inl: its bytes when inlined. */
struct spooled {
	uint64_t key;
	uint32_t n, ndocs, last, sum;
	unsigned char inl[POST_INLINE];
};

/* Open sp's files in the directory of path; false (why set) when they cannot be. */
static bool spool_open(struct spool *sp, const char *path, char *why, size_t whylen)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	memset(sp, 0, sizeof *sp);
	sp->lists.fd = open(slash ? dir : ".", O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
	sp->entries.fd = open(slash ? dir : ".", O_RDWR | O_TMPFILE | O_CLOEXEC, 0600);
	free(dir);
	if (sp->lists.fd < 0 || sp->entries.fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		if (sp->lists.fd >= 0)
			close(sp->lists.fd);
		if (sp->entries.fd >= 0)
			close(sp->entries.fd);
		return false;
	}
	sp->lists.buf = xmalloc(1u << 20);
	sp->entries.buf = xmalloc(1u << 20);
	return true;
}

static void spool_close(struct spool *sp)
{
	close(sp->lists.fd);
	close(sp->entries.fd);
	free(sp->lists.buf);
	free(sp->entries.buf);
}

/* Keep the list of bigram key (as segw_list takes it) in sp. */
static void spool_list(struct spool *sp, uint64_t key, const unsigned char *p, size_t n,
		       uint32_t ndocs, uint32_t last)
{
	struct spooled e = {key, (uint32_t)n, ndocs, last, 0, {0}};

	if (n <= POST_INLINE) {
		memcpy(e.inl, p, n);
	} else {
		e.sum = list_sum(p, n, ndocs);
		out_write(&sp->lists, p, n);
	}
	out_write(&sp->entries, &e, sizeof e);
}

/* Copy bytes [at, n) of file from to the end of what was written to file to, read and
 * written. */
static bool copy_by_reads(int from, uint64_t at, uint64_t n, int to)
{
	unsigned char *buf = xmalloc(1u << 20);
	bool ok = true;

	while (ok && at < n) {
		size_t k = n - at < (1u << 20) ? (size_t)(n - at) : 1u << 20;
		ok = pread_all(from, buf, k, at) && fileio_write_all(to, buf, k);
		at += k;
	}
	free(buf);
	return ok;
}

/* Copy the first n bytes of file from to the end of what was written to file to: in
 * the kernel where it can (copy_file_range), each piece copied then cut out of from
 * (a hole punched), so that the two hold it once on the disk; else read and written. */
static bool copy_file(int from, uint64_t n, int to)
{
	loff_t at = 0;

	while ((uint64_t)at < n) {
		loff_t was = at;
		size_t k = n - (uint64_t)at < (64u << 20) ? (size_t)(n - (uint64_t)at) : 64u << 20;
		ssize_t got = copy_file_range(from, &at, to, NULL, k, 0);
		if (got == 0)
			return false; /* from is shorter than it was written */
		if (got < 0)
			return (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
				errno == EOPNOTSUPP) &&
			       copy_by_reads(from, (uint64_t)at, n, to);
		fallocate(from, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, was, at - was);
	}
	return true;
}

/* Write the lists kept in sp after those written to w, as segw_list would have. */
static bool segw_spooled(struct segw *w, struct spool *sp)
{
	struct spooled *e = xmalloc(4096 * sizeof *e);
	uint64_t start, done = 0;
	bool ok = true;

	out_flush(&sp->lists);
	out_flush(&sp->entries);
	out_flush(&w->main);
	start = w->main.off;
	while (ok && done < sp->entries.off) {
		uint64_t left = sp->entries.off - done;
		size_t k = left < 4096 * sizeof *e ? (size_t)left : 4096 * sizeof *e;
		ok = pread_all(sp->entries.fd, e, k, done);
		for (size_t i = 0; ok && i < k / sizeof *e; i++) {
			segw_entry(w, e[i].key, e[i].n, e[i].ndocs, e[i].last, e[i].inl, e[i].sum);
			if (e[i].n > POST_INLINE)
				w->main.off += e[i].n; /* its bytes are copied below */
		}
		done += k;
	}
	free(e);
	ok = ok && !sp->lists.failed && !sp->entries.failed &&
	     w->main.off - start == sp->lists.off &&
	     copy_file(sp->lists.fd, sp->lists.off, w->main.fd);
	if (!ok)
		w->main.failed = true;
	return ok;
}

/* One of a merge's runs of keys: from lo on, below hi, read by cursors of its own,
 * their lists written to w (the first) or kept in sp (the second, written after). */
struct merge_run {
	const char *path; /* the merge's file, for its messages */
	struct segment *const *s;
	size_t n;
	uint32_t base;
	uint64_t lo, hi;
	const atomic_bool *cancel;
	atomic_size_t *nlists; /* lists merged by both runs, for post_merge_cancel_from */
	struct segw *w;
	struct spool *sp;
	bool failed;
	char why[256];
};

/* Merge run r's lists (on a thread of its own, for the second). */
static void *merge_keys(void *arg)
{
	struct merge_run *r = arg;
	struct cursor *c = xcalloc(r->n, sizeof *c);
	struct strbuf list = {0};
	struct post_dec d = {0};
	struct lenc le = {.last = -1};
	char *why = r->why;
	size_t whylen = sizeof r->why;

	for (size_t i = 0; i < r->n; i++) {
		c[i].s = r->s[i];
		if (!cursor_seek(&c[i], r->lo, why, whylen))
			goto fail;
	}
	for (;;) {
		uint64_t key = UINT64_MAX, ndocs = 0;
		bool any = false;
		for (size_t i = 0; i < r->n; i++)
			if (!c[i].done && (!any || c[i].e.key < key)) {
				key = c[i].e.key;
				any = true;
			}
		if (!any || key >= r->hi)
			break;
		if (r->cancel && atomic_fetch_add(r->nlists, 1) >= post_merge_cancel_from &&
		    atomic_load_explicit(r->cancel, memory_order_relaxed)) {
			snprintf(why, whylen, _("%s: merge stopped"), r->path);
			goto fail;
		}
		for (size_t i = 0; i < r->n; i++)
			if (!c[i].done && c[i].e.key == key)
				ndocs += c[i].e.ndocs;
		d.row.n = d.end.n = d.pos.n = 0;
		const unsigned char *p;
		size_t len;
		uint32_t last;
		if (ndocs > POST_ROWS && !post_merge_recode) {
			if (!merge_lists(c, r->n, key, r->base, &le, &d, why, whylen))
				goto fail;
			last = (uint32_t)le.last;
			lenc_end(&le, &list);
		} else {
			for (size_t i = 0; i < r->n; i++) {
				if (c[i].done || c[i].e.key != key)
					continue;
				p = cursor_list(&c[i], why, whylen);
				if (!p)
					goto fail;
				if (!list_decode(r->s[i], &c[i].e, p, r->s[i]->base - r->base, &d,
						 NULL)) {
					snprintf(why, whylen, _("segment %llu: damaged (a list)"),
						 (unsigned long long)r->s[i]->id);
					goto fail;
				}
			}
			list_encode(&d, &le, &list);
			ndocs = d.row.n;
			last = d.row.v[d.row.n - 1];
		}
		p = (const unsigned char *)list.s;
		len = list.n;
		if (r->w)
			segw_list(r->w, key, p, len, (uint32_t)ndocs, last);
		else
			spool_list(r->sp, key, p, len, (uint32_t)ndocs, last);
		for (size_t i = 0; i < r->n; i++)
			if (!c[i].done && c[i].e.key == key && !cursor_next(&c[i], why, whylen))
				goto fail;
	}
	goto done;
fail:
	r->failed = true;
done:
	for (size_t i = 0; i < r->n; i++)
		free(c[i].win);
	free(c);
	sb_free(&list);
	lenc_free(&le);
	post_dec_free(&d);
	return NULL;
}

bool post_merge_one_run;

/* The key that cuts the merge of s[0, n) in two runs of about as many lists: the middle
 * dictionary block's first key of the segment with the most blocks; 0 when it has too
 * few blocks to be worth cutting. */
static uint64_t merge_cut(struct segment *const *s, size_t n)
{
	size_t big = 0;

	for (size_t i = 1; i < n; i++)
		if (s[i]->nblocks > s[big]->nblocks)
			big = i;
	return post_merge_one_run || s[big]->nblocks < 2 ? 0 : s[big]->bkey[s[big]->nblocks / 2];
}

struct segment *segment_merge(const char *path, uint64_t id, struct segment *const *s, size_t n,
			      uint64_t tag, const atomic_bool *cancel, char *why, size_t whylen)
{
	struct segw w;
	struct spool sp;
	struct content_id *ids = NULL;
	struct segment *out = NULL;
	uint32_t base = s[0]->base, nrows = 0;
	uint64_t sum, cut = merge_cut(s, n);
	atomic_size_t nlists;
	struct merge_run run[2] = {
		{path, s, n, base, 0, cut ? cut : UINT64_MAX, cancel, &nlists, &w, NULL, false, ""},
		{path, s, n, base, cut, UINT64_MAX, cancel, &nlists, NULL, &sp, false, ""},
	};

	atomic_init(&nlists, 0);
	for (size_t i = 0; i < n; i++)
		nrows += s[i]->nrows;
	if (!segw_begin(&w, path, why, whylen))
		return NULL;
	if (cut && !spool_open(&sp, path, why, whylen)) {
		segw_abort(&w);
		return NULL;
	}
	/* The keys below cut written here, those from it on kept beside, then written. */
	if (cut)
		run_both(merge_keys, &run[0], &run[1]);
	else
		merge_keys(&run[0]);
	for (int k = 0; k < 2; k++)
		if (run[k].failed) {
			snprintf(why, whylen, "%s", run[k].why);
			goto fail;
		}
	if (cut && !segw_spooled(&w, &sp)) {
		snprintf(why, whylen, _("%s: cannot write: %s"), path, strerror(errno));
		goto fail;
	}
	ids = xmalloc(((size_t)nrows + 1) * sizeof *ids);
	for (size_t i = 0, at = 0; i < n; i++) {
		struct content_id *part;
		if (!segment_rows(s[i], &part, why, whylen))
			goto fail;
		memcpy(ids + at, part, (size_t)s[i]->nrows * sizeof *ids);
		at += s[i]->nrows;
		free(part);
	}
	if (segw_finish(&w, path, tag, id, base, ids, nrows, &sum, why, whylen))
		out = segment_open(path, id, base, nrows, sum, tag, why, whylen);
	goto done;
fail:
	segw_abort(&w);
done:
	if (cut)
		spool_close(&sp);
	free(ids);
	return out;
}
