/* mkman.c: copy a man page template from stdin to stdout, replacing the line @KEYS@
 * with the key reference generated from the keymap table. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "strbuf.h"

#define KEYS_LINE "@KEYS@"

/* Read all of f into b; false on a read error. */
static bool read_all(FILE *f, struct strbuf *b)
{
	char chunk[8192];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		sb_append(b, chunk, n);
	return !ferror(f);
}

/* Whether the line p[0..n) (without its newline) is the placeholder. */
static bool is_keys_line(const char *p, size_t n)
{
	return n == strlen(KEYS_LINE) && !memcmp(p, KEYS_LINE, n);
}

/* Append the template with the placeholder line replaced by the key reference. */
static void expand(const struct strbuf *in, struct strbuf *out)
{
	const char *p = in->s, *end = in->s + in->n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *next = nl ? nl + 1 : end;
		if (is_keys_line(p, (size_t)((nl ? nl : end) - p)))
			keymap_help_roff(out);
		else
			sb_append(out, p, (size_t)(next - p));
		p = next;
	}
}

int main(void)
{
	struct strbuf in = { 0 }, out = { 0 };
	int status = EXIT_SUCCESS;

	if (!read_all(stdin, &in)) {
		perror("mkman: reading standard input");
		status = EXIT_FAILURE;
	} else {
		expand(&in, &out);
		if (fwrite(out.s ? out.s : "", 1, out.n, stdout) != out.n || fflush(stdout) ||
		    ferror(stdout)) {
			perror("mkman: writing standard output");
			status = EXIT_FAILURE;
		}
	}
	sb_free(&in);
	sb_free(&out);
	if (fclose(stdout) && status == EXIT_SUCCESS) {
		perror("mkman: closing standard output");
		status = EXIT_FAILURE;
	}
	return status;
}
