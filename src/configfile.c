/* SPDX-License-Identifier: GPL-3.0-or-later */
/* configfile.c: the user's settings file (xinwen(5)): a line-oriented syntax of set, bind,
 * unbind and color lines; every problem is a FILE:LINE: message and changes nothing. */
#include "cachedir.h"
#include "configfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "layout.h"
#include "loader.h"
#include "utf8.h"
#include "xalloc.h"

#define MAX_WORDS 16
#define QUOTE_MAX 40 /* bytes of a bad word quoted in a message */

/* The roles a color line can name, by style, with what they colour (for the manual). */
static const struct {
	const char *name, *description;
} roles[STYLE_COUNT] = {
	[STYLE_NORMAL] = {"normal", "text with no other role"},
	[STYLE_TITLE] = {"title", "the article's title in the pane"},
	[STYLE_META] = {"meta", "the date and source under the title"},
	[STYLE_HEADING] = {"heading", "headings in the pane, such as the related stories'"},
	[STYLE_LINK] = {"link", "related stories that can be followed"},
	[STYLE_LINK_SELECTED] = {"link-selected", "the selected link"},
	[STYLE_SNIPPET] = {"snippet", "the snippet under a related headline"},
	[STYLE_CARET] = {"caret", "control characters shown as ^X"},
	[STYLE_LIST_DATE] = {"list-date", "dates in the list"},
	[STYLE_LIST_EXCERPT] = {"list-excerpt", "the word excerpt in the list's date column"},
	[STYLE_LIST_SELECTED] = {"list-selected", "the selected headline, list focused"},
	[STYLE_LIST_SELECTED_IDLE] = {"list-selected-idle", "the selected headline, pane focused"},
	[STYLE_BORDER] = {"border", "the line between the list and the pane"},
	[STYLE_STATUS] = {"status", "the status line and the search prompt"},
	[STYLE_MATCH] = {"match", "search matches in the pane"},
	[STYLE_MATCH_CURRENT] = {"match-current", "the current search match"},
	[STYLE_LIST_UNREAD] = {"list-unread", "an unread headline in the list"},
	[STYLE_LIST_SELECTED_UNREAD] = {"list-selected-unread", "the selected headline, unread"},
};

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static const struct {
	const char *name;
	unsigned attr;
} attr_names[] = {
	{"normal", 0},
	{"bold", CONFIG_ATTR_BOLD},
	{"dim", CONFIG_ATTR_DIM},
	{"underline", CONFIG_ATTR_UNDERLINE},
	{"reverse", CONFIG_ATTR_REVERSE},
	{"italic", CONFIG_ATTR_ITALIC},
};

static const char *const split_names[] = {
	[SPLIT_AUTO] = "auto", [SPLIT_HORIZONTAL] = "horizontal", [SPLIT_VERTICAL] = "vertical"};
static const char *const yes_no_names[] = {"yes", "no"};
static const char *const column_names[] = {
	[COLUMN_DATE] = "date", [COLUMN_SOURCE] = "source", [COLUMN_TITLE] = "title"};

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->split = SPLIT_AUTO;
	cfg->columns[0] = COLUMN_DATE;
	cfg->columns[1] = COLUMN_TITLE;
	cfg->ncolumns = 2;
	cfg->ambiguous_width = 1;
	cfg->sort = SORT_DATE;
	cfg->cache_days = CACHEDIR_DEFAULT_DAYS;
	for (int s = 0; s < STYLE_COUNT; s++)
		cfg->colors[s].fg = cfg->colors[s].bg = -1;
}

void config_free(struct config *cfg)
{
	for (size_t i = 0; i < cfg->problems.n; i++) {
		free(cfg->problems.v[i].file);
		free(cfg->problems.v[i].msg);
	}
	free(cfg->problems.v);
	free(cfg->bindings.v);
	memset(cfg, 0, sizeof *cfg);
}

/* Record a problem at line of file (0: the whole file). */
static void problem(struct config *cfg, const char *file, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void problem(struct config *cfg, const char *file, size_t line, const char *fmt, ...)
{
	va_list ap;
	char buf[256];

	cfg->nproblems++;
	if (cfg->problems.n >= CONFIG_MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	struct diag d = {xstrdup(file), line, xstrdup(buf), SIZE_MAX, false};
	VEC_PUSH(&cfg->problems, d);
}

/* The line being parsed: where it is, its words, and where problems go. */
struct line {
	struct config *cfg;
	const char *file;
	size_t no;
	char *w[MAX_WORDS];
	int n;
	char quoted[QUOTE_MAX + 4]; /* a word cut for quoting */
};

/* Word s cut to QUOTE_MAX bytes (at a character boundary) for a message. */
static const char *quote(struct line *l, const char *s)
{
	size_t n = strlen(s);

	if (n <= QUOTE_MAX)
		return s;
	n = QUOTE_MAX;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(l->quoted, s, n);
	memcpy(l->quoted + n, "...", 4);
	return l->quoted;
}

/* The index of s in names[0..n), or -1. */
static int find_name(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return (int)i;
	return -1;
}

/* A whole number from lo to hi, or -1. */
static long parse_number(const char *s, long lo, long hi)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	long v = strtol(s, &end, 10);
	return *end || errno || v < lo || v > hi ? -1 : v;
}

/* ---- set NAME = VALUE ---- */

/* Parse a list-columns value ("date,title"); false after reporting a problem. */
static bool parse_columns(struct line *l, const char *value, struct config *out)
{
	char buf[CONFIG_MAX_LINE + 1];
	bool seen[COLUMN_COUNT] = {false};
	size_t n = 0;

	snprintf(buf, sizeof buf, "%s", value);
	for (char *tok = strtok(buf, ", "); tok; tok = strtok(NULL, ", ")) {
		int c = find_name(column_names, ARRAY_LEN(column_names), tok);
		if (c < 0) {
			problem(l->cfg, l->file, l->no,
				"unknown list column '%s' (expected date, source or title)",
				quote(l, tok));
			return false;
		}
		if (seen[c]) {
			problem(l->cfg, l->file, l->no, "list column '%s' given twice", tok);
			return false;
		}
		seen[c] = true;
		out->columns[n++] = (enum config_column)c;
	}
	if (!seen[COLUMN_TITLE]) {
		problem(l->cfg, l->file, l->no, "list-columns must include title");
		return false;
	}
	out->ncolumns = n;
	return true;
}

/* Report a value that is not one of the choices. */
static void bad_choice(struct line *l, const char *name, const char *value, const char *choices)
{
	problem(l->cfg, l->file, l->no, "bad value '%s' for %s (expected %s)", quote(l, value), name,
		choices);
}

static void do_set(struct line *l)
{
	struct config *cfg = l->cfg;
	struct strbuf value = {0};

	if (l->n < 3 || strcmp(l->w[2], "=")) {
		problem(cfg, l->file, l->no, "expected: set NAME = VALUE");
		return;
	}
	const char *name = l->w[1];
	for (int i = 3; i < l->n; i++) {
		if (i > 3)
			sb_putc(&value, ' ');
		sb_puts(&value, l->w[i]);
	}
	const char *v = sb_cstr(&value);
	int choice;
	long num;
	if (!strcmp(name, "split")) {
		if ((choice = find_name(split_names, ARRAY_LEN(split_names), v)) < 0)
			bad_choice(l, name, v, "auto, horizontal or vertical");
		else
			cfg->split = (enum config_split)choice;
	} else if (!strcmp(name, "split-ratio")) {
		size_t len = strlen(v);
		char digits[8] = "";
		if (len && len < sizeof digits)
			snprintf(digits, sizeof digits, "%.*s", (int)(len - (v[len - 1] == '%')), v);
		if (!strcmp(v, "auto"))
			cfg->split_ratio = 0;
		else if ((num = parse_number(digits, 10, 90)) < 0)
			bad_choice(l, name, v, "auto or a percentage from 10 to 90");
		else
			cfg->split_ratio = (int)num;
	} else if (!strcmp(name, "list-columns")) {
		if (!*v)
			bad_choice(l, name, v, "columns among date, source and title");
		else
			parse_columns(l, v, cfg);
	} else if (!strcmp(name, "ambiguous-width")) {
		if ((num = parse_number(v, 1, 2)) < 0)
			bad_choice(l, name, v, "1 or 2");
		else
			cfg->ambiguous_width = (int)num;
	} else if (!strcmp(name, "sort")) {
		if (!app_sort_parse(v, &cfg->sort))
			bad_choice(l, name, v, "date, title or source");
	} else if (!strcmp(name, "cache-days")) {
		if (!strcmp(v, "never"))
			cfg->cache_days = 0;
		else if ((num = parse_number(v, 1, 36500)) < 0)
			bad_choice(l, name, v, "never or a number of days from 1 to 36500");
		else
			cfg->cache_days = (int)num;
	} else if (!strcmp(name, "osc52")) {
		if ((choice = find_name(yes_no_names, ARRAY_LEN(yes_no_names), v)) < 0)
			bad_choice(l, name, v, "yes or no");
		else
			cfg->osc52 = choice == 0;
	} else {
		problem(cfg, l->file, l->no, "unknown option '%s'", quote(l, name));
	}
	sb_free(&value);
}

/* ---- bind [list|pane] KEY ACTION [N], unbind [list|pane] KEY ---- */

/* Take an optional list or pane after the command; returns the index of the next word. */
static int parse_where(const struct line *l, enum key_where *where)
{
	*where = WHERE_ANY;
	if (l->n > 1 && !strcmp(l->w[1], "list"))
		*where = WHERE_LIST;
	else if (l->n > 1 && !strcmp(l->w[1], "pane"))
		*where = WHERE_PANE;
	return *where == WHERE_ANY ? 1 : 2;
}

/* Add a binding, unless there are too many already. */
static void add_binding(struct line *l, struct config_binding b)
{
	if (l->cfg->bindings.n >= CONFIG_MAX_BINDINGS)
		problem(l->cfg, l->file, l->no, "more than %d bind and unbind lines: ignored",
			CONFIG_MAX_BINDINGS);
	else
		VEC_PUSH(&l->cfg->bindings, b);
}

/* The key named by word, or KEY_NONE after reporting it. */
static int parse_key(struct line *l, const char *word)
{
	int key = keymap_key_parse(word);
	if (key == KEY_NONE)
		problem(l->cfg, l->file, l->no, "unknown key name '%s'", quote(l, word));
	return key;
}

static void do_bind(struct line *l)
{
	enum key_where where;
	int i = parse_where(l, &where);
	struct config_binding b = {KEY_NONE, where, ACTION_NONE, 0};

	if (l->n < i + 2) {
		problem(l->cfg, l->file, l->no, "expected: bind [list|pane] KEY ACTION");
		return;
	}
	if ((b.key = parse_key(l, l->w[i])) == KEY_NONE)
		return;
	b.action = keymap_action_parse(l->w[i + 1]);
	if (b.action == ACTION_NONE) {
		problem(l->cfg, l->file, l->no, "unknown action '%s'", quote(l, l->w[i + 1]));
		return;
	}
	int extra = l->n - (i + 2);
	if (b.action == ACTION_FOLLOW_N) {
		long n = extra == 1                         ? parse_number(l->w[i + 2], 1, 9)
			 : extra == 0 && b.key > '0' && b.key <= '9' ? b.key - '0'
								     : -1;
		if (n < 0 || extra > 1) {
			problem(l->cfg, l->file, l->no, "%s needs a number from 1 to 9",
				keymap_action_name(b.action));
			return;
		}
		b.arg = (int)n;
	} else if (extra > 0) {
		problem(l->cfg, l->file, l->no, "unexpected '%s' after the action",
			quote(l, l->w[i + 2]));
		return;
	}
	add_binding(l, b);
}

static void do_unbind(struct line *l)
{
	enum key_where where;
	int i = parse_where(l, &where);
	struct config_binding b = {KEY_NONE, where, ACTION_NONE, 0};

	if (l->n != i + 1) {
		problem(l->cfg, l->file, l->no, "expected: unbind [list|pane] KEY");
		return;
	}
	if ((b.key = parse_key(l, l->w[i])) != KEY_NONE)
		add_binding(l, b);
}

/* ---- color ROLE [FG [BG]] [ATTR...] ---- */

/* A colour name or number: 0-255, or -1 for default; -2 when word is none. */
static int parse_color(const char *word)
{
	int c;
	long n;

	if (!strcmp(word, "default"))
		return -1;
	if ((c = find_name(color_names, ARRAY_LEN(color_names), word)) >= 0)
		return c;
	if (!strncmp(word, "bright-", 7) &&
	    (c = find_name(color_names, ARRAY_LEN(color_names), word + 7)) >= 0)
		return c + 8;
	if (!strncmp(word, "color", 5) && (n = parse_number(word + 5, 0, 255)) >= 0)
		return (int)n;
	return -2;
}

static void do_color(struct line *l)
{
	struct config_color c = {true, false, -1, -1, 0};
	int ncolors = 0, role = -1;

	if (l->n < 3) {
		problem(l->cfg, l->file, l->no, "expected: color ROLE [FG [BG]] [ATTRIBUTE...]");
		return;
	}
	for (int s = 0; s < STYLE_COUNT; s++)
		if (roles[s].name && !strcmp(roles[s].name, l->w[1]))
			role = s;
	if (role < 0) {
		problem(l->cfg, l->file, l->no, "unknown colour role '%s'", quote(l, l->w[1]));
		return;
	}
	for (int i = 2; i < l->n; i++) {
		const char *w = l->w[i];
		int color = parse_color(w), a;
		for (a = 0; a < (int)ARRAY_LEN(attr_names) && strcmp(attr_names[a].name, w); a++)
			;
		if (color >= -1 && ncolors == 0) {
			c.fg = (short)color;
			ncolors++;
		} else if (color >= -1 && ncolors == 1) {
			c.bg = (short)color;
			ncolors++;
		} else if (a < (int)ARRAY_LEN(attr_names)) {
			c.attrs |= attr_names[a].attr;
			c.has_attrs = true;
		} else {
			problem(l->cfg, l->file, l->no, "%s '%s'",
				color >= -1 ? "a third colour" : "unknown colour or attribute",
				quote(l, w));
			return;
		}
	}
	l->cfg->colors[role] = c;
}

/* ---- Lines ---- */

/* Split line into words at blanks, '=' being a word of its own; a word starting with
 * '#' starts a comment. False when there are too many words. */
static bool split_words(struct line *l, char *s)
{
	l->n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s || *s == '#')
			return true;
		if (l->n == MAX_WORDS)
			return false;
		l->w[l->n++] = s;
		if (*s == '=') {
			s++;
			if (*s && *s != ' ' && *s != '\t') {
				/* "=value": end the "=" word without losing the value's first byte */
				memmove(s + 1, s, strlen(s) + 1);
				*s++ = '\0';
			}
			continue;
		}
		while (*s && *s != ' ' && *s != '\t' && *s != '=')
			s++;
		if (*s == '=') {
			memmove(s + 1, s, strlen(s) + 1);
			*s++ = '\0';
		}
	}
}

/* Whether s[0..n) is valid UTF-8. */
static bool valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	while (n > 0) {
		uint32_t cp;
		size_t len = utf8_decode(p, n, &cp);
		if (cp == UTF8_BAD)
			return false;
		p += len, n -= len;
	}
	return true;
}

/* Parse one line (without its newline). */
static void parse_line(struct config *cfg, const char *file, size_t no, const char *s, size_t n)
{
	/* Room for the line and for the '=' splits, which add a byte each. */
	char buf[CONFIG_MAX_LINE + MAX_WORDS + 2];
	struct line l = {.cfg = cfg, .file = file, .no = no};

	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (n > CONFIG_MAX_LINE) {
		problem(cfg, file, no, "line longer than %d bytes: ignored", CONFIG_MAX_LINE);
		return;
	}
	if (memchr(s, '\0', n)) {
		problem(cfg, file, no, "NUL byte: line ignored");
		return;
	}
	if (!valid_utf8(s, n)) {
		problem(cfg, file, no, "invalid UTF-8: line ignored");
		return;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!split_words(&l, buf)) {
		problem(cfg, file, no, "more than %d words: line ignored", MAX_WORDS);
		return;
	}
	if (l.n == 0)
		return;
	if (!strcmp(l.w[0], "set"))
		do_set(&l);
	else if (!strcmp(l.w[0], "bind"))
		do_bind(&l);
	else if (!strcmp(l.w[0], "unbind"))
		do_unbind(&l);
	else if (!strcmp(l.w[0], "color") || !strcmp(l.w[0], "colour"))
		do_color(&l);
	else
		problem(cfg, file, no, "unknown command '%s' (expected set, bind, unbind or color)",
			quote(&l, l.w[0]));
}

void config_parse(struct config *cfg, const char *name, const char *text, size_t n)
{
	size_t no = 0;
	const char *p = text, *end = text + n;

	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3; /* a byte-order mark some editors write */

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		parse_line(cfg, name, ++no, p, (size_t)(stop - p));
		p = nl ? nl + 1 : end;
	}
}

char *config_default_path(void)
{
	struct strbuf path = {0};
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	/* The XDG spec: a relative XDG_CONFIG_HOME is to be ignored. */
	if (xdg && xdg[0] == '/')
		sb_printf(&path, "%s/xinwen/config", xdg);
	else if (home && *home)
		sb_printf(&path, "%s/.config/xinwen/config", home);
	return path.s;
}

bool config_load(struct config *cfg, const char *path, bool missing_ok)
{
	struct strbuf why = {0};
	char *text;
	size_t n;
	int err = loader_read_file(path, CONFIG_MAX_FILE, &text, &n, &why);

	if (err == ENOENT && missing_ok) {
		sb_free(&why);
		return true;
	}
	if (err) {
		problem(cfg, path, 0, "%s", why.s);
		sb_free(&why);
		return false;
	}
	config_parse(cfg, path, text, n);
	free(text);
	sb_free(&why);
	return true;
}

void config_apply(const struct config *cfg)
{
	keymap_reset();
	for (size_t i = 0; i < cfg->bindings.n; i++) {
		const struct config_binding *b = &cfg->bindings.v[i];
		if (b->action == ACTION_NONE)
			keymap_unbind(b->key, b->where);
		else
			keymap_bind(b->key, b->where, b->action, b->arg);
	}
	layout_set_ambiguous_width(cfg->ambiguous_width);
}

size_t config_print_problems(const struct config *cfg, FILE *err)
{
	for (size_t i = 0; i < cfg->problems.n; i++) {
		const struct diag *d = &cfg->problems.v[i];
		cli_put_safe(err, d->file, strlen(d->file));
		fprintf(err, ":%zu: ", d->line);
		cli_put_safe(err, d->msg, strlen(d->msg));
		fputc('\n', err);
	}
	if (cfg->nproblems > cfg->problems.n) {
		const char *file = cfg->problems.v[0].file;
		cli_put_safe(err, file, strlen(file));
		fprintf(err, ":0: %zu more problems not shown\n", cfg->nproblems - cfg->problems.n);
	}
	return cfg->nproblems;
}

void config_status_message(const struct config *cfg, char *msg, size_t size)
{
	struct strbuf sb = {0};

	if (!cfg->nproblems || size == 0)
		return;
	const struct diag *d = &cfg->problems.v[0];
	const char *slash = strrchr(d->file, '/');
	/* The count first: a long message is cut at the screen's edge. */
	if (cfg->nproblems > 1)
		sb_printf(&sb, "%zu config problems (xinwen --check-config): ", cfg->nproblems);
	sb_printf(&sb, "%s:%zu: %s", slash ? slash + 1 : d->file, d->line, d->msg);
	if (msg[0])
		sb_printf(&sb, "; %s", msg);
	snprintf(msg, size, "%s", sb.s);
	sb_free(&sb);
}

bool config_side_by_side(const struct config *cfg, int cols)
{
	enum config_split split = cfg ? cfg->split : SPLIT_AUTO;
	return split == SPLIT_VERTICAL || (split == SPLIT_AUTO && cols >= APP_SIDE_BY_SIDE_COLS);
}

int config_list_size(const struct config *cfg, int total, int dflt, int max)
{
	int n = cfg && cfg->split_ratio ? total * cfg->split_ratio / 100 : dflt;
	n = n > max ? max : n;
	return n < 1 ? 1 : n;
}

const char *config_role_name(enum cell_style s)
{
	return (unsigned)s < STYLE_COUNT ? roles[s].name : NULL;
}

void config_roles_roff(struct strbuf *out)
{
	for (int s = 0; s < STYLE_COUNT; s++) {
		if (!roles[s].name)
			continue;
		sb_puts(out, ".TP\n.B ");
		/* A '-' in a name is the ASCII hyphen-minus a user types: \- in roff. */
		for (const char *p = roles[s].name; *p; p++) {
			if (*p == '-')
				sb_puts(out, "\\-");
			else
				sb_putc(out, *p);
		}
		sb_printf(out, "\n%s\n", roles[s].description);
	}
}
