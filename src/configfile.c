/* SPDX-License-Identifier: GPL-3.0-or-later */
/* configfile.c: the user's settings file (xinwen(5)): a line-oriented syntax of set, bind,
 * unbind and color lines; every problem is a FILE:LINE: message and changes nothing. */
#include <config.h>

#include "configfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "fileio.h"
#include "i18n.h"
#include "log.h"
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

static void set_defaults(struct config *cfg);

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	set_defaults(cfg);
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
	char buf[512];

	cfg->nproblems++;
	if (cfg->problems.n >= CONFIG_MAX_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, _(fmt), ap); /* fmt: a message marked N_() */
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
				N_("unknown list column '%s' (expected date, source or title)"),
				quote(l, tok));
			return false;
		}
		if (seen[c]) {
			problem(l->cfg, l->file, l->no, N_("list column '%s' given twice"), tok);
			return false;
		}
		seen[c] = true;
		out->columns[n++] = (enum config_column)c;
	}
	if (!seen[COLUMN_TITLE]) {
		problem(l->cfg, l->file, l->no, N_("list-columns must include title"));
		return false;
	}
	out->ncolumns = n;
	return true;
}

/* ---- The options of set lines: one table gives each its name, its values, its
 * default and its text in xinwen(5) (config_options_roff), as tmux's options table. ---- */

/* How an option's value is read. */
enum option_type {
	OPTION_CHOICE,	/* one of the names in choices, the value being its index */
	OPTION_NUMBER,	/* a whole number from min to max, or the word for none (0) */
	OPTION_PERCENT, /* like OPTION_NUMBER, with an optional % after the number */
	OPTION_COLUMNS, /* a comma-separated list of list columns */
};

struct option {
	const char *name;
	enum option_type type;
	const char *const *choices; /* OPTION_CHOICE: the names, by value */
	size_t nchoices;
	long min, max;				 /* OPTION_NUMBER, OPTION_PERCENT */
	const char *none;			 /* the word that sets 0, or NULL */
	void (*set)(struct config *cfg, long v); /* store a parsed value */
	const char *dflt;			 /* the default, as a set line writes it */
	const char *expected;			 /* what a bad value's message expects */
	const char *syntax;			 /* roff: the .TP line after "NAME = " */
	const char *help;			 /* roff: what the option does */
};

static void set_split(struct config *cfg, long v)
{
	cfg->split = (enum config_split)v;
}

static void set_split_ratio(struct config *cfg, long v)
{
	cfg->split_ratio = (int)v;
}

static void set_max_width(struct config *cfg, long v)
{
	cfg->max_width = (int)v;
}

static void set_preview_read(struct config *cfg, long v)
{
	cfg->preview_read = (int)v;
}

static void set_reload_check(struct config *cfg, long v)
{
	cfg->reload_check = (int)v;
}

static void set_cache_days(struct config *cfg, long v)
{
	cfg->cache_days = (int)v;
}

static void set_ambiguous_width(struct config *cfg, long v)
{
	cfg->ambiguous_width = (int)v;
}

static void set_sort(struct config *cfg, long v)
{
	cfg->sort = (enum config_sort)v;
}

static void set_osc52(struct config *cfg, long v)
{
	cfg->osc52 = v == 0; /* yes_no_names: yes is 0 */
}

static const char *const sort_names[SORT_COUNT] = {"date", "title", "source", "oldest"};

static const struct option options[] = {
	{"split", OPTION_CHOICE, split_names, ARRAY_LEN(split_names), 0, 0, NULL, set_split, "auto",
	 N_("auto, horizontal or vertical"), "auto\" | horizontal | vertical",
	 "How the list and the reading pane share the screen:\n"
	 ".B horizontal\nputs the list above the pane,\n.B vertical\n"
	 "puts them side by side, and\n.B auto\n"
	 "puts them side by side when the terminal has at least 100 columns,\n"
	 "else one above the other."},
	{"split-ratio", OPTION_PERCENT, NULL, 0, 10, 90, "auto", set_split_ratio, "auto",
	 N_("auto or a percentage from 10 to 90"), "auto\" | \\fIPERCENT\\fP",
	 "The share of the screen the list takes, a whole number from 10 to 90\n"
	 "(optionally followed by\n.BR % ):\n"
	 "of the columns when the list and the pane stand side by side, of the\n"
	 "rows when the list is above the pane.\n.B auto\n"
	 "gives the list two fifths of the columns (but from 30 to 60 of them),\n"
	 "or a third of the rows.\n"
	 "The pane keeps 20 columns beside the list (a terminal narrower than 33\n"
	 "columns has the list above the pane) and 3 rows below it."},
	{"max-width", OPTION_NUMBER, NULL, 0, 20, 10000, "none", set_max_width, "none",
	 N_("none or a number of columns from 20 to 10000"), "none\" | \\fICOLUMNS\\fP",
	 "The widest the text of the reading pane gets, a number of columns from\n"
	 "20 to 10000: in a wider pane the text stands in a column that wide,\n"
	 "centred, as long lines of Chinese are easier to read short.\n"
	 ".B none\nlets the text take the whole pane."},
	{"list-columns", OPTION_COLUMNS, NULL, 0, 0, 0, NULL, NULL, "date,title",
	 N_("columns among date, source and title"), "\" \\fICOLUMN\\fP,\\fICOLUMN\\fP.\\|.\\|.",
	 "The columns of the list, in order, among\n.B date\n(10 columns),\n.B source\n"
	 "(12 columns) and\n.BR title ,\n"
	 "which must be one of them and takes what the others leave.\n"
	 "In a list narrower than 30 columns only the title is shown."},
	{"ambiguous-width", OPTION_NUMBER, NULL, 0, 1, 2, NULL, set_ambiguous_width, "1",
	 N_("1 or 2"), "1\" | 2",
	 "How many columns the terminal draws East Asian ambiguous characters in,\n"
	 "such as \\[u201C] \\[u201D] \\[u2026] \\[u00B7] \\[u2014] and box drawing:\n"
	 ".B 1\nas the C library (and so curses) counts them, or\n.B 2\n"
	 "for a terminal set to draw them wide (a setting of many CJK terminals).\n"
	 "With\n.BR 2 ,\n"
	 "the common ones are shown in forms whose width every terminal agrees on,\n"
	 "so that nothing drifts on screen:\n"
	 "\\[u2026] as \\[u22EF], \\[u00B7] and \\[u2022] as \\[u30FB],\n"
	 "\\[u201C]\\[u201D] as \\[u300C]\\[u300D], \\[u2018]\\[u2019] as \\[u300E]\\[u300F],\n"
	 "\\[u2014] as \\[uFF0D], the replacement character as\n.BR ? ,\n"
	 "and the story map's tree and the line between the list and the pane in\nASCII.\n"
	 "Other ambiguous characters (\\[u25CB] \\[u203B] \\[u2605], Greek, Cyrillic) keep\n"
	 "their form and may still be misplaced by such a terminal."},
	{"sort", OPTION_CHOICE, sort_names, ARRAY_LEN(sort_names), 0, 0, NULL, set_sort, "date",
	 N_("date, title, source or oldest"), "date\" | title | source | oldest",
	 "The order of the list: newest first, by title, by source, or oldest\n"
	 "first (the undated articles last either way)."},
	{"preview-read", OPTION_NUMBER, NULL, 0, 0, 3600, NULL, set_preview_read, "5",
	 N_("0 (never) or seconds up to 3600"), "\" \\fISECONDS\\fP",
	 "An unread article shown in the pane beside the list (the list focused)\n"
	 "for this many seconds, or scrolled there with the mouse wheel, is marked\n"
	 "read, as mutt's pager and newsboat do; a whole number from 0 to 3600,\n"
	 ".B 0\nfor never.\nOpening an article always marks it read."},
	{"reload-check", OPTION_NUMBER, NULL, 0, 0, 86400, NULL, set_reload_check, "60",
	 N_("0 (only R) or seconds up to 86400"), "\" \\fISECONDS\\fP",
	 "When a key comes this many seconds after the files were last looked at,\n"
	 "look at them again beside the reader (their size and time) and take the\n"
	 "collection as they are now when they changed, keeping the place, as\n.B R\n"
	 "does; a whole number from 0 to 86400.\n.B 0\nlooks only when\n.B R\nis pressed."},
	{"cache-days", OPTION_NUMBER, NULL, 0, 1, 36500, "never", set_cache_days, "30",
	 N_("never or a number of days from 1 to 36500"), "\" \\fIDAYS\\fP | never",
	 "The catalogs and indexes of a collection not opened for this many days are\n"
	 "removed from the cache directory when the reader starts (beside it, on a\n"
	 "thread);\n.B never\nkeeps them (see\n.B \\-\\-cache\nin\n.BR xinwen (1))."},
	{"osc52", OPTION_CHOICE, yes_no_names, ARRAY_LEN(yes_no_names), 0, 0, NULL, set_osc52, "no",
	 N_("yes or no"), "no\" | yes",
	 "Whether\n.B y\nmay copy the selected headline to the clipboard by writing an OSC 52\n"
	 "escape sequence to the terminal (which passes it to the system\n"
	 "clipboard, when the terminal allows it; inside tmux, see\n.BR xinwen (1)).\n"
	 "Off by default, because the terminal, not xinwen, decides where the\ntext goes."},
};

/* Read value v of option o into cfg; false when it is not one of o's values (columns
 * report their own problems). */
static bool set_option(struct line *l, const struct option *o, const char *v)
{
	struct config *cfg = l->cfg;
	long num = 0;

	switch (o->type) {
	case OPTION_CHOICE:
		if ((num = find_name(o->choices, o->nchoices, v)) < 0)
			return false;
		break;
	case OPTION_NUMBER:
	case OPTION_PERCENT: {
		size_t len = strlen(v);
		char digits[8] = "";
		if (len && len < sizeof digits)
			snprintf(digits, sizeof digits, "%.*s",
				 (int)(len - (o->type == OPTION_PERCENT && v[len - 1] == '%')), v);
		num = o->none && !strcmp(v, o->none) ? 0 : parse_number(digits, o->min, o->max);
		if (num < 0)
			return false;
		break;
	}
	case OPTION_COLUMNS:
		if (!*v)
			return false;
		parse_columns(l, v, cfg);
		return true;
	}
	o->set(cfg, num);
	return true;
}

static void do_set(struct line *l)
{
	struct config *cfg = l->cfg;
	struct strbuf value = {0};
	const struct option *o = NULL;

	if (l->n < 3 || strcmp(l->w[2], "=")) {
		problem(cfg, l->file, l->no, N_("expected: set NAME = VALUE"));
		return;
	}
	const char *name = l->w[1];
	for (int i = 3; i < l->n; i++) {
		if (i > 3)
			sb_putc(&value, ' ');
		sb_puts(&value, l->w[i]);
	}
	const char *v = sb_cstr(&value);
	for (size_t i = 0; i < ARRAY_LEN(options) && !o; i++)
		if (!strcmp(options[i].name, name))
			o = &options[i];
	if (!o)
		problem(cfg, l->file, l->no, N_("unknown option '%s'"), quote(l, name));
	else if (!set_option(l, o, v))
		problem(cfg, l->file, l->no, N_("bad value '%s' for %s (expected %s)"), quote(l, v),
			o->name, _(o->expected));
	sb_free(&value);
}

/* Set every option to its default, read from the table as a set line would be. */
static void set_defaults(struct config *cfg)
{
	for (size_t i = 0; i < ARRAY_LEN(options); i++) {
		char buf[64];
		struct line l = {cfg, "(defaults)", 0, {NULL}, 0, ""};
		snprintf(buf, sizeof buf, "%s", options[i].dflt);
		if (!set_option(&l, &options[i], buf))
			abort(); /* the table's own default is not a value of its option */
	}
}

void config_options_roff(struct strbuf *out)
{
	for (size_t i = 0; i < ARRAY_LEN(options); i++) {
		const struct option *o = &options[i];
		sb_puts(out, ".TP\n.BR \"");
		for (const char *p = o->name; *p; p++) /* '-' is the hyphen-minus: \- in roff */
			sb_puts(out, *p == '-' ? "\\-" : (char[]){*p, '\0'});
		sb_printf(out, " = %s\n%s\nDefault:\n.BR %s .\n", o->syntax, o->help, o->dflt);
	}
}

/* ---- bind [list|pane] KEY ACTION [N], unbind [list|pane] KEY, bind prompt KEY NAME,
 * unbind prompt KEY ---- */

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
		problem(l->cfg, l->file, l->no, N_("more than %d bind and unbind lines: ignored"),
			CONFIG_MAX_BINDINGS);
	else
		VEC_PUSH(&l->cfg->bindings, b);
}

/* The key named by word, or KEYC_NONE after reporting it. */
static int parse_key(struct line *l, const char *word)
{
	int key = keymap_key_parse(word);
	if (key == KEYC_NONE)
		problem(l->cfg, l->file, l->no, N_("unknown key name '%s'"), quote(l, word));
	return key;
}

/* bind prompt KEY NAME, unbind prompt KEY: what a key does while a prompt is typed. */
static void do_bind_prompt(struct line *l, bool bind)
{
	struct config_binding b = {KEYC_NONE, WHERE_ANY, ACTION_NONE, 0, true, EDIT_NONE};

	if (l->n != (bind ? 4 : 3)) {
		problem(l->cfg, l->file, l->no,
			bind ? N_("expected: bind prompt KEY NAME")
			     : N_("expected: unbind prompt KEY"));
		return;
	}
	if ((b.key = parse_key(l, l->w[2])) == KEYC_NONE)
		return;
	if (bind && (b.edit = keymap_edit_parse(l->w[3])) == EDIT_NONE) {
		problem(l->cfg, l->file, l->no, N_("unknown prompt action '%s'"),
			quote(l, l->w[3]));
		return;
	}
	add_binding(l, b);
}

static void do_bind(struct line *l)
{
	enum key_where where;
	int i = parse_where(l, &where);
	struct config_binding b = {KEYC_NONE, where, ACTION_NONE, 0, false, EDIT_NONE};

	if (l->n > 1 && !strcmp(l->w[1], "prompt")) {
		do_bind_prompt(l, true);
		return;
	}

	if (l->n < i + 2) {
		problem(l->cfg, l->file, l->no, N_("expected: bind [list|pane] KEY ACTION"));
		return;
	}
	if ((b.key = parse_key(l, l->w[i])) == KEYC_NONE)
		return;
	b.action = keymap_action_parse(l->w[i + 1]);
	if (b.action == ACTION_NONE) {
		problem(l->cfg, l->file, l->no, N_("unknown action '%s'"), quote(l, l->w[i + 1]));
		return;
	}
	int extra = l->n - (i + 2);
	if (b.action == ACTION_FOLLOW_N) {
		long n = extra == 1 ? parse_number(l->w[i + 2], 1, 9)
			 : extra == 0 && b.key > '0' && b.key <= '9' ? b.key - '0'
								     : -1;
		if (n < 0 || extra > 1) {
			problem(l->cfg, l->file, l->no, N_("%s needs a number from 1 to 9"),
				keymap_action_name(b.action));
			return;
		}
		b.arg = (int)n;
	} else if (extra > 0) {
		problem(l->cfg, l->file, l->no, N_("unexpected '%s' after the action"),
			quote(l, l->w[i + 2]));
		return;
	}
	add_binding(l, b);
}

static void do_unbind(struct line *l)
{
	enum key_where where;
	int i = parse_where(l, &where);
	struct config_binding b = {KEYC_NONE, where, ACTION_NONE, 0, false, EDIT_NONE};

	if (l->n > 1 && !strcmp(l->w[1], "prompt")) {
		do_bind_prompt(l, false);
		return;
	}

	if (l->n != i + 1) {
		problem(l->cfg, l->file, l->no, N_("expected: unbind [list|pane] KEY"));
		return;
	}
	if ((b.key = parse_key(l, l->w[i])) != KEYC_NONE)
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
		problem(l->cfg, l->file, l->no,
			N_("expected: color ROLE [FG [BG]] [ATTRIBUTE...]"));
		return;
	}
	for (int s = 0; s < STYLE_COUNT; s++)
		if (roles[s].name && !strcmp(roles[s].name, l->w[1]))
			role = s;
	if (role < 0) {
		problem(l->cfg, l->file, l->no, N_("unknown colour role '%s'"), quote(l, l->w[1]));
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
			problem(l->cfg, l->file, l->no, N_("%s '%s'"),
				color >= -1 ? _("a third colour")
					    : _("unknown colour or attribute"),
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
		problem(cfg, file, no, N_("line longer than %d bytes: ignored"), CONFIG_MAX_LINE);
		return;
	}
	if (memchr(s, '\0', n)) {
		problem(cfg, file, no, N_("NUL byte: line ignored"));
		return;
	}
	if (!valid_utf8(s, n)) {
		problem(cfg, file, no, N_("invalid UTF-8: line ignored"));
		return;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!split_words(&l, buf)) {
		problem(cfg, file, no, N_("more than %d words: line ignored"), MAX_WORDS);
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
		problem(cfg, file, no,
			N_("unknown command '%s' (expected set, bind, unbind or color)"),
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
	int err = fileio_read_file(path, CONFIG_MAX_FILE, &text, &n, &why);

	if (err == ENOENT && missing_ok) {
		log_debug("config %s: none: the defaults", path);
		sb_free(&why);
		return true;
	}
	if (err) {
		log_debug("config %s: %s", path, why.s);
		problem(cfg, path, 0, N_("%s"), why.s);
		sb_free(&why);
		return false;
	}
	config_parse(cfg, path, text, n);
	log_debug("config %s: read, %zu problem%s", path, cfg->nproblems,
		  cfg->nproblems == 1 ? "" : "s");
	free(text);
	sb_free(&why);
	return true;
}

void config_apply(const struct config *cfg)
{
	keymap_reset();
	for (size_t i = 0; i < cfg->bindings.n; i++) {
		const struct config_binding *b = &cfg->bindings.v[i];
		if (b->prompt && b->edit == EDIT_NONE)
			keymap_prompt_unbind(b->key);
		else if (b->prompt)
			keymap_prompt_bind(b->key, b->edit);
		else if (b->action == ACTION_NONE)
			keymap_unbind(b->key, b->where);
		else
			keymap_bind(b->key, b->where, b->action, b->arg);
	}
	layout_set_ambiguous_width(cfg->ambiguous_width);
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
	return split == SPLIT_VERTICAL || (split == SPLIT_AUTO && cols >= CONFIG_SIDE_BY_SIDE_COLS);
}

int config_max_width(const struct config *cfg)
{
	return cfg ? cfg->max_width : 0;
}

int config_list_size(const struct config *cfg, int total, int dflt, int max)
{
	int n = cfg && cfg->split_ratio ? total * cfg->split_ratio / 100 : dflt;
	n = n > max ? max : n;
	return n < 1 ? 1 : n;
}

bool config_sort_parse(const char *name, enum config_sort *s)
{
	for (int i = 0; i < SORT_COUNT; i++)
		if (!strcmp(name, sort_names[i])) {
			*s = (enum config_sort)i;
			return true;
		}
	return false;
}

const char *config_sort_name(enum config_sort s)
{
	return (unsigned)s < SORT_COUNT ? sort_names[s] : "";
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
