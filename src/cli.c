/* cli.c: the command-line modes for scripts: --list, --dump, --check. */
#include "cli.h"

#include <string.h>

#include "pane.h"
#include "text.h"

void cli_put_safe(FILE *f, const char *s, size_t n)
{
	struct dtext t;
	dtext_sanitize(&t, s, n);
	for (size_t i = 0; i < t.n; i++)
		if (t.s[i] == '\t' || t.s[i] == '\n')
			t.s[i] = ' ';
	fwrite(t.s, 1, t.n, f);
	dtext_free(&t);
}

void cli_list(const struct collection *c, FILE *out)
{
	for (size_t i = 0; i < c->articles.n; i++) {
		const struct article *a = c->articles.v[i];
		cli_put_safe(out, a->id, strlen(a->id));
		fputc('\t', out);
		cli_put_safe(out, a->date.p, a->date.n);
		fputs(a->kind == ARTICLE_FULL ? "\tfull\t" : "\texcerpt\t", out);
		cli_put_safe(out, a->title.p, a->title.n);
		fputc('\n', out);
	}
}

int cli_dump(const struct collection *c, const char *key, int width, FILE *out, FILE *err)
{
	const struct article *a = collection_find(c, key);
	struct pane p = {0};
	struct strbuf line = {0};

	if (!a) {
		fputs("xinwen: no article with id or title '", err);
		cli_put_safe(err, key, strlen(key));
		fputs("'\n", err);
		return 1;
	}
	pane_build(&p, a);
	pane_layout(&p, width);
	for (size_t i = 0; i < p.lines.n; i++) {
		sb_clear(&line);
		pane_line_text(&p, i, &line);
		sb_putc(&line, '\n');
		fwrite(line.s, 1, line.n, out);
	}
	sb_free(&line);
	pane_free(&p);
	return 0;
}

int cli_check(const struct collection *c, FILE *err)
{
	for (size_t i = 0; i < c->diags.n; i++) {
		const struct diag *d = &c->diags.v[i];
		cli_put_safe(err, d->file, strlen(d->file));
		fprintf(err, ":%zu: ", d->line);
		cli_put_safe(err, d->msg, strlen(d->msg));
		fputc('\n', err);
	}
	return c->diags.n ? 1 : 0;
}
