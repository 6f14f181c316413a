/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state-writer.c: drives the state file for tests/state_kill.sh: saves marks in a loop
 * (to be killed at any moment), adds or drops marks concurrently with another writer,
 * and checks what a file holds. Marks are of made-up identities: PREFIX hashed, then
 * a number. */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "marks.h"

static void usage(void)
{
	fputs("usage: state-writer DIR loop PREFIX          save one more mark at a time, forever\n"
	      "       state-writer DIR fill PREFIX N           mark 0..N-1 read, saving once\n"
	      "       state-writer DIR add PREFIX FROM TO      mark FROM..TO-1 read, saving each\n"
	      "       state-writer DIR drop PREFIX FROM TO STEP  unmark every STEP-th, saving "
	      "each\n"
	      "       state-writer DIR count PREFIX            check the marks are 0..K-1, print "
	      "K\n"
	      "       state-writer DIR expect PREFIX N STEP    check 0..N-1 are marked, but for\n"
	      "                                                the multiples of STEP (0: none)\n",
	      stderr);
	exit(2);
}

static struct content_id make_id(const char *prefix, unsigned long i)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (const char *p = prefix; *p; p++)
		h = (h ^ (unsigned char)*p) * UINT64_C(0x100000001b3);
	return (struct content_id){h, i};
}

static unsigned long number(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end)
		usage();
	return v;
}

/* Load dir's state; every problem is printed and fatal. */
static void load(struct marks *s, const char *dir)
{
	marks_init(s, dir);
	/* Correctness, not patience, is tested: a loaded machine's fsyncs may hold the
	 * other writer's lock for longer than a reader would wait. */
	s->lock_wait_ms = 120000;
	if (!marks_load(s)) {
		for (size_t i = 0; i < s->problems.n; i++)
			printf("problem: %s\n", s->problems.v[i]);
		exit(1);
	}
}

static void save(struct marks *s)
{
	if (!marks_save(s)) {
		for (size_t i = 0; i < s->problems.n; i++)
			fprintf(stderr, "state-writer: %s\n", s->problems.v[i]);
		exit(1);
	}
}

/* How many of prefix's marks are read; exits 3 unless they are exactly 0..K-1. */
static unsigned long count(const struct marks *s, const char *prefix)
{
	uint64_t hi = make_id(prefix, 0).hi;
	unsigned long k = 0, max = 0;
	for (size_t i = 0; i < s->recs.n; i++) {
		const struct marks_record *r = &s->recs.v[i];
		if (r->id.hi != hi || !r->on[MARK_READ])
			continue;
		k++;
		if (r->id.lo + 1 > max)
			max = (unsigned long)r->id.lo + 1;
	}
	if (k != max) {
		printf("marks of %s are not 0..K-1: %lu marks, the highest %lu\n", prefix, k, max);
		exit(3);
	}
	return k;
}

int main(int argc, char **argv)
{
	struct marks s;

	if (argc < 4)
		usage();
	const char *dir = argv[1], *mode = argv[2], *prefix = argv[3];
	load(&s, dir);
	if (!strcmp(mode, "loop") && argc == 4) {
		for (unsigned long k = count(&s, prefix);; k++) {
			struct content_id id = make_id(prefix, k);
			marks_set(&s, &id, MARK_READ, true);
			save(&s);
			printf("saved %lu\n", k + 1);
			fflush(stdout);
		}
	} else if ((!strcmp(mode, "add") && argc == 6) || (!strcmp(mode, "drop") && argc == 7)) {
		bool add = mode[0] == 'a';
		unsigned long step = add ? 1 : number(argv[6]);
		for (unsigned long i = number(argv[4]); i < number(argv[5]); i += step ? step : 1) {
			struct content_id id = make_id(prefix, i);
			marks_set(&s, &id, MARK_READ, add);
			save(&s);
		}
	} else if (!strcmp(mode, "fill") && argc == 5) {
		for (unsigned long i = 0; i < number(argv[4]); i++) {
			struct content_id id = make_id(prefix, i);
			marks_set(&s, &id, MARK_READ, true);
		}
		save(&s);
	} else if (!strcmp(mode, "count") && argc == 4) {
		printf("%lu\n", count(&s, prefix));
	} else if (!strcmp(mode, "expect") && argc == 6) {
		unsigned long n = number(argv[4]), step = number(argv[5]), wrong = 0;
		for (unsigned long i = 0; i < n; i++) {
			struct content_id id = make_id(prefix, i);
			bool want = !(step && i % step == 0);
			if (marks_get(&s, &id, MARK_READ) != want && wrong++ < 5)
				printf("%s %lu: read is %d, expected %d\n", prefix, i, !want, want);
		}
		if (wrong) {
			printf("%lu marks of %s are wrong\n", wrong, prefix);
			return 1;
		}
	} else {
		usage();
	}
	marks_free(&s);
	return 0;
}
