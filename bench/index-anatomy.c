/* SPDX-License-Identifier: GPL-3.0-or-later */
/* index-anatomy.c: where the bytes of a full-text index go (bench/README.md, index).
 *
 *   index-anatomy INDEX.db [TEXT-BYTES]
 *
 * Opens the index at INDEX.db (as `xinwen --index` left it under
 * $XDG_CACHE_HOME/xinwen/; read only), decodes every list of every segment, codes it
 * again as a build does and prints, per part, its megabytes, its bits per row of a list
 * (a "pair": a bigram in one article) or per position, and its share of the file;
 * then the floors of the rows and of the positions: what no code of each list's rows or
 * each row's positions alone can go below. With TEXT-BYTES (the text the index is of),
 * each part's bytes against the text's too. A line a part, its name first. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>

#include "index_internal.h"

/* One part's line: its bytes, bits per unit, share of the file, ratio to the text. */
static void part(const char *name, double bits, double units, const char *unit,
		 const struct post_anatomy *an, double text)
{
	printf("%-14s %9.1f MB  %6.2f bits/%s  %5.1f%%", name, bits / 8e6, units ? bits / units : 0,
	       unit, 100.0 * bits / 8 / (double)an->file_bytes);
	if (text > 0)
		printf("  %.3fx", bits / 8 / text);
	printf("\n");
}

int main(int argc, char **argv)
{
	char why[512];
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s INDEX.db [TEXT-BYTES]\n", argv[0]);
		return 2;
	}
	double text = argc == 3 ? strtod(argv[2], NULL) : 0;
	struct text_index *ix = index_open_sound(argv[1], why, sizeof why);
	if (!ix) {
		fprintf(stderr, "%s\n", why);
		return 1;
	}
	struct post_anatomy an;
	size_t nsegs;
	if (!index_anatomy(ix, &an, &nsegs, why, sizeof why)) {
		fprintf(stderr, "%s\n", why);
		index_close(ix);
		return 1;
	}
	index_close(ix);
	double pairs = (double)an.pairs, extra = (double)(an.positions - an.pairs);
	double coded = (double)(an.row_bits + an.count_bits + an.first_bits + an.gap_bits +
				an.other_bits + an.one_row_bits + an.table_bits + an.inlined_bits);
	printf("segments %zu\nlists %llu (inlined %llu)\npairs %llu\npositions %llu\n", nsegs,
	       (unsigned long long)an.lists, (unsigned long long)an.inlined,
	       (unsigned long long)an.pairs, (unsigned long long)an.positions);
	printf("file %.1f MB", an.file_bytes / 1e6);
	if (text > 0)
		printf(" (%.3fx the text's %.1f MB)", an.file_bytes / text, text / 1e6);
	printf("\n");
	part("rows", (double)an.row_bits, pairs, "pair", &an, text);
	part("counts", (double)an.count_bits, pairs, "pair", &an, text);
	part("first", (double)an.first_bits, pairs, "pair", &an, text);
	part("gaps", (double)an.gap_bits, extra, "more", &an, text);
	part("params+pad", (double)an.other_bits, pairs, "pair", &an, text);
	part("one-row", (double)an.one_row_bits, pairs, "pair", &an, text);
	part("tables", (double)an.table_bits, pairs, "pair", &an, text);
	part("inlined", (double)an.inlined_bits, pairs, "pair", &an, text);
	part("dictionary", 8.0 * (double)an.dict_bytes, pairs, "pair", &an, text);
	part("identities", 8.0 * (double)an.ident_bytes, pairs, "pair", &an, text);
	part("lists, coded", coded, pairs, "pair", &an, text);
	part("floor: rows", an.floor_row_bits, pairs, "pair", &an, text);
	part("floor: first", an.floor_first_bits, pairs, "pair", &an, text);
	part("floor: all pos", an.floor_position_bits, (double)an.positions, "pos", &an, text);
	part("now: all pos", (double)(an.first_bits + an.gap_bits), (double)an.positions, "pos",
	     &an, text);
	return 0;
}
