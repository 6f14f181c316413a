/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mkman.c: copy a man page template from stdin to stdout, replacing the line @KEYS@
 * with the key reference generated from the keymap table, @ACTIONS@ with the action
 * names (xinwen(5)), @ROLES@ with the colour roles and @OPTIONS@ with the set options,
 * and @VERSION@ and @DATE@ in any line with the first and second arguments. Characters
 * beyond ASCII (the translated pages' text) become groff's \[uXXXX], so that the page
 * needs no preconv. */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistr.h>

#include "configfile.h"
#include "keymap.h"
#include "strbuf.h"

/* Read all of f into b; false on a read error. */
static bool read_all(FILE *f, struct strbuf *b)
{
	char chunk[8192];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_append(b, chunk, n);
	return !ferror(f);
}

/* The placeholder lines and what replaces them. */
static const struct {
	const char *line;
	void (*generate)(struct strbuf *out);
} placeholders[] = {
	{"@KEYS@", keymap_help_roff},
	{"@ACTIONS@", keymap_actions_roff},
	{"@ROLES@", config_roles_roff},
	{"@OPTIONS@", config_options_roff},
};

/* Whether the line p[0..n) (without its newline) is placeholder ph. */
static bool is_line(const char *p, size_t n, const char *ph)
{
	return n == strlen(ph) && !memcmp(p, ph, n);
}

/* The words replaced inside lines, and what replaces them (main sets them). */
static struct {
	const char *word, *value;
} words[] = {{"@VERSION@", NULL}, {"@DATE@", NULL}};

/* Append the line p[0..n) to out with each word of words[] replaced. */
static void append_line(struct strbuf *out, const char *p, size_t n)
{
	const char *end = p + n;

	while (p < end) {
		size_t i, len = 0;
		for (i = 0; i < sizeof words / sizeof words[0]; i++) {
			len = strlen(words[i].word);
			if ((size_t)(end - p) >= len && !memcmp(p, words[i].word, len))
				break;
		}
		if (i < sizeof words / sizeof words[0]) {
			sb_puts(out, words[i].value);
			p += len;
		} else {
			sb_putc(out, *p++);
		}
	}
}

/* Append the template with the placeholder line replaced by the key reference. */
static void expand(const struct strbuf *in, struct strbuf *out)
{
	const char *p = in->s, *end = in->s + in->n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		size_t i, n = (size_t)((nl ? nl : end) - p);
		for (i = 0; i < sizeof placeholders / sizeof placeholders[0]; i++)
			if (is_line(p, n, placeholders[i].line))
				break;
		if (i < sizeof placeholders / sizeof placeholders[0])
			placeholders[i].generate(out);
		else
			append_line(out, p, (size_t)(next - p));
		p = next;
	}
}

/* Replace in b every character beyond ASCII by its \[uXXXX] (U+FFFD for bytes that are
 * not UTF-8). */
static void escape_non_ascii(struct strbuf *b)
{
	struct strbuf t = {0};
	const uint8_t *p = (const uint8_t *)b->s, *end = p + b->n;

	while (p < end) {
		ucs4_t uc;
		if (*p < 0x80) {
			sb_putc(&t, (char)*p++);
			continue;
		}
		p += u8_mbtouc(&uc, p, (size_t)(end - p));
		sb_printf(&t, "\\[u%04X]", (unsigned)uc);
	}
	sb_free(b);
	*b = t;
}

/* Write out to standard output; EXIT_FAILURE (with a message) on an error. */
static int write_out(const struct strbuf *out)
{
	if (fwrite(out->s ? out->s : "", 1, out->n, stdout) != out->n || fflush(stdout) ||
	    ferror(stdout)) {
		perror("mkman: writing standard output");
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
	struct strbuf in = {0}, out = {0};
	int status = EXIT_SUCCESS;
	bool keys_only = argc == 2 && !strcmp(argv[1], "--keys");

	if (argc != 3 && !keys_only) {
		fputs("usage: mkman VERSION DATE < TEMPLATE > PAGE, or mkman --keys\n", stderr);
		return 2;
	}
	if (!keys_only) {
		words[0].value = argv[1];
		words[1].value = argv[2];
	}
	if (keys_only) {
		keymap_help_text(&out);
		status = write_out(&out);
	} else if (!read_all(stdin, &in)) {
		perror("mkman: reading standard input");
		status = EXIT_FAILURE;
	} else {
		expand(&in, &out);
		escape_non_ascii(&out);
		status = write_out(&out);
	}
	sb_free(&in);
	sb_free(&out);
	if (fclose(stdout) && status == EXIT_SUCCESS) {
		perror("mkman: closing standard output");
		status = EXIT_FAILURE;
	}
	return status;
}
