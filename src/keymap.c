/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keymap.c: the default key bindings, and the help text and man page made from them. */
#include <config.h>

#include "keymap.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unictype.h>

#include "i18n.h"
#include "layout.h"
#include "utf8.h"
#include "xalloc.h"

/* The tables below read as tables: clang-format leaves them as they are. */
/* clang-format off */
#define CTRL(c) ((c) & 0x1f)
#define BIND(k, name) { (k), ACTION_##name, 0, WHERE_ANY }
#define BIND_IN(k, name, where) { (k), ACTION_##name, 0, (where) }
#define FOLLOW(n) { '0' + (n), ACTION_FOLLOW_N, (n), WHERE_ANY }

const struct binding keymap_bindings[] = {
	BIND('j', DOWN),
	BIND(KEYC_DOWN, DOWN),
	BIND('k', UP),
	BIND(KEYC_UP, UP),
	BIND(' ', PAGE_DOWN),
	BIND(KEYC_PGDN, PAGE_DOWN),
	BIND(CTRL('F'), PAGE_DOWN),
	BIND('b', PAGE_UP),
	BIND(KEYC_PGUP, PAGE_UP),
	BIND(CTRL('B'), PAGE_UP),
	BIND(CTRL('D'), HALF_DOWN),
	BIND(CTRL('U'), HALF_UP),
	BIND('g', TOP),
	BIND(KEYC_HOME, TOP),
	BIND('G', BOTTOM),
	BIND(KEYC_END, BOTTOM),
	BIND(KEYC_RETURN, OPEN),
	BIND('J', NEXT_ARTICLE),
	BIND('K', PREV_ARTICLE),
	BIND('.', NEXT_UNREAD),
	BIND(',', PREV_UNREAD),
	BIND(KEYC_TAB, NEXT_LINK),
	BIND(KEYC_BTAB, PREV_LINK),
	FOLLOW(1),
	FOLLOW(2),
	FOLLOW(3),
	FOLLOW(4),
	FOLLOW(5),
	FOLLOW(6),
	FOLLOW(7),
	FOLLOW(8),
	FOLLOW(9),
	BIND(KEYC_BSPACE, BACK),
	BIND('h', BACK),
	BIND(KEYC_LEFT, BACK),
	BIND('l', FORWARD),
	BIND(KEYC_RIGHT, FORWARD),
	BIND('/', SEARCH),
	BIND_IN('?', SEARCH_BACK, WHERE_PANE),
	BIND('n', SEARCH_NEXT),
	BIND('N', SEARCH_PREV),
	BIND(KEYC_ESC, CLEAR),
	BIND('f', FULLSCREEN),
	BIND('i', HELP), /* everywhere: ? finds backward in the pane (hints show i) */
	BIND_IN('?', HELP, WHERE_LIST),
	BIND(KEYC_F1, HELP),
	BIND(KEYC_CTRL_L, REDRAW),
	BIND(CTRL('L'), REDRAW),
	BIND('m', MAP),
	BIND('H', HISTORY),
	BIND('u', TOGGLE_READ),
	BIND('A', MARK_ALL_READ),
	BIND('*', TOGGLE_BOOKMARK),
	BIND('\'', BOOKMARKS),
	BIND('U', UNREAD),
	BIND('t', SCRIPT),
	BIND('|', PIPE),
	BIND('w', SAVE),
	BIND('W', SAVE_SOURCE),
	BIND('o', PAGER),
	BIND('O', BROWSER),
	BIND('L', URLS),
	BIND('R', RELOAD),
	BIND('y', COPY),
	BIND('s', SORT),
	BIND('S', GROUP),
	BIND('D', JUMP_DATE),
	BIND('q', QUIT),
	BIND('Q', QUIT_NOW),
	BIND(KEYC_NONE, NONE),
};

static const char *const descriptions[ACTION_COUNT] = {
	[ACTION_NONE] = "",
#define KEYMAP_DESCRIPTION(name, desc) [ACTION_##name] = desc,
	KEYMAP_ACTIONS(KEYMAP_DESCRIPTION)
#undef KEYMAP_DESCRIPTION
};

/* The keymap in use: NULL until the first change, then the defaults with the changes,
 * ending with an ACTION_NONE entry like keymap_bindings. */
static VEC(struct binding) runtime;

/* The bindings in use. */
static const struct binding *active(void)
{
	return runtime.v ? runtime.v : keymap_bindings;
}

static const struct {
	int key;
	const char *name;
} key_names[] = {
	{ ' ', "Space" },
	{ 0x1b, "Esc" },
	{ KEYC_UP, "Up" },
	{ KEYC_DOWN, "Down" },
	{ KEYC_LEFT, "Left" },
	{ KEYC_RIGHT, "Right" },
	{ KEYC_PGUP, "PgUp" },
	{ KEYC_PGDN, "PgDn" },
	{ KEYC_HOME, "Home" },
	{ KEYC_END, "End" },
	{ KEYC_RETURN, "Enter" },
	{ KEYC_BSPACE, "Backspace" },
	{ KEYC_TAB, "Tab" },
	{ KEYC_BTAB, "Shift-Tab" },
	{ KEYC_ESC, "Esc" },
	{ KEYC_CTRL_L, "Ctrl-L" },
	{ KEYC_F1, "F1" },
};

/* The keys of a prompt, in help order: a key and maybe another for the same action. */
static const struct {
	int key, key2;
	enum edit_action action;
	const char *name; /* for bind prompt KEY NAME */
	const char *description;
} prompt_keys[] = {
	{ KEYC_RETURN, 0, EDIT_ACCEPT, "accept",
	  N_("Keep the search or filter (empty: the last search again); run, jump or save") },
	{ KEYC_ESC, 0, EDIT_CANCEL, "cancel", N_("Cancel the prompt") },
	{ KEYC_LEFT, CTRL('B'), EDIT_LEFT, "left", N_("Move the cursor left") },
	{ KEYC_RIGHT, CTRL('F'), EDIT_RIGHT, "right", N_("Move the cursor right") },
	{ KEYC_HOME, CTRL('A'), EDIT_HOME, "home", N_("Move the cursor to the start") },
	{ KEYC_END, CTRL('E'), EDIT_END, "end", N_("Move the cursor to the end") },
	{ KEYC_BSPACE, 0, EDIT_ERASE, "erase", N_("Erase the character before the cursor") },
	{ CTRL('D'), 0, EDIT_DELETE, "delete", N_("Erase the character under the cursor") },
	{ CTRL('W'), 0, EDIT_ERASE_WORD, "erase-word", N_("Erase the word before the cursor") },
	{ CTRL('U'), 0, EDIT_KILL, "erase-to-start", N_("Erase everything before the cursor") },
	{ CTRL('K'), 0, EDIT_KILL_END, "erase-to-end", N_("Erase everything from the cursor on") },
	{ KEYC_UP, CTRL('P'), EDIT_HISTORY_PREV, "history-previous",
	  N_("The previous line of this prompt's history") },
	{ KEYC_DOWN, CTRL('N'), EDIT_HISTORY_NEXT, "history-next", N_("The next line of the history") },
	{ KEYC_TAB, 0, EDIT_COMPLETE, "complete", N_("Complete a file name (w)") },
	{ CTRL('R'), 0, EDIT_TOGGLE_REGEX, "toggle-regex", N_("Toggle regular expressions (PCRE2)") },
};

/* A key of a prompt and what it does there. */
struct prompt_binding {
	int key;
	enum edit_action action;
};

/* The prompt's keys in use: NULL until the first change, then the defaults' keys with
 * the changes (keymap_prompt_bind, keymap_prompt_unbind). */
static VEC(struct prompt_binding) prompt_runtime;

static bool same_key(int k1, int k2);

/* clang-format on */

/* Start the prompt's runtime keys as a copy of the defaults, once. */
static void make_prompt_runtime(void)
{
	if (prompt_runtime.v)
		return;
	vec_reserve(&prompt_runtime.v, &prompt_runtime.cap, 2 * ARRAY_LEN(prompt_keys),
		    sizeof *prompt_runtime.v);
	for (size_t i = 0; i < ARRAY_LEN(prompt_keys); i++) {
		VEC_PUSH(&prompt_runtime,
			 ((struct prompt_binding){prompt_keys[i].key, prompt_keys[i].action}));
		if (prompt_keys[i].key2)
			VEC_PUSH(&prompt_runtime, ((struct prompt_binding){prompt_keys[i].key2,
									   prompt_keys[i].action}));
	}
}

/* The keys that do prompt action e, as help shows them: "Left, Ctrl-B" (empty when
 * none does). */
static const char *prompt_key_names(enum edit_action e, char buf[64])
{
	char name[16];
	size_t n = 0;

	buf[0] = '\0';
	make_prompt_runtime();
	for (size_t i = 0; i < prompt_runtime.n; i++) {
		if (prompt_runtime.v[i].action != e)
			continue;
		int k = snprintf(buf + n, 64 - n, "%s%s", n ? ", " : "",
				 keymap_key_name(prompt_runtime.v[i].key, name));
		if (k < 0 || (size_t)k >= 64 - n)
			break;
		n += (size_t)k;
	}
	return buf;
}

/* Help columns are counted in bytes, so every name is ASCII: other code points are
 * shown as U+XXXX. */
const char *keymap_key_name(int key, char buf[16])
{
	for (size_t i = 0; i < ARRAY_LEN(key_names); i++) {
		if (key_names[i].key == key)
			return key_names[i].name;
	}
	if (key > ' ' && key < 0x7f)
		snprintf(buf, 16, "%c", key);
	else if (key >= CTRL('A') && key <= CTRL('Z'))
		snprintf(buf, 16, "Ctrl-%c", '@' + key);
	else if (key >= 0xa0 && key < KEYC_SPECIAL)
		snprintf(buf, 16, "U+%04X", (unsigned)key);
	else
		snprintf(buf, 16, "Key-0x%X", (unsigned)key);
	return buf;
}

const struct binding *keymap_lookup(int key, enum key_where where)
{
	const struct binding *anywhere = NULL;

	for (const struct binding *b = active(); b->action != ACTION_NONE; b++) {
		if (b->key != key)
			continue;
		if (b->where == where)
			return b;
		if (b->where == WHERE_ANY && !anywhere)
			anywhere = b;
	}
	return anywhere;
}

int keymap_key_for(enum action a, enum key_where where)
{
	int best = KEYC_NONE;
	size_t best_len = SIZE_MAX;
	char name[16];

	for (const struct binding *b = active(); b->action != ACTION_NONE; b++) {
		if (b->action != a || keymap_lookup(b->key, where) != b)
			continue;
		size_t len = strlen(keymap_key_name(b->key, name));
		if (len < best_len) {
			best = b->key;
			best_len = len;
		}
	}
	return best;
}

enum edit_action keymap_prompt_lookup(int key)
{
	make_prompt_runtime();
	for (size_t i = 0; i < prompt_runtime.n; i++)
		if (same_key(prompt_runtime.v[i].key, key))
			return prompt_runtime.v[i].action;
	return EDIT_NONE;
}

const char *keymap_description(enum action a)
{
	if ((unsigned)a >= ACTION_COUNT)
		return "";
	return descriptions[a];
}

static bool is_digit_key(int key)
{
	return key >= '0' && key <= '9';
}

/* How many bindings from b on are the same action on consecutive digit keys. */
static size_t digit_run(const struct binding *b)
{
	size_t n = 1;

	if (!is_digit_key(b->key))
		return 1;
	while (b[n].action == b->action && is_digit_key(b[n].key) && b[n].key == b->key + (int)n)
		n++;
	return n;
}

/* Whether an earlier binding of the same action has the same name as b (two codes for
 * one keystroke, like KEYC_CTRL_L and 0x0c), so help shows it once. */
static bool name_shown_before(const struct binding *b)
{
	char buf[16], earlier_buf[16];
	const char *name = keymap_key_name(b->key, buf);

	for (const struct binding *e = active(); e < b; e++) {
		if (e->action == b->action && !strcmp(keymap_key_name(e->key, earlier_buf), name))
			return true;
	}
	return false;
}

void keymap_keys_text(enum action a, struct strbuf *out)
{
	const char *sep = "";
	char buf[16], last_buf[16];

	for (const struct binding *b = active(); b->action != ACTION_NONE; b++) {
		if (b->action != a || name_shown_before(b))
			continue;
		sb_puts(out, sep);
		sep = ", ";
		sb_puts(out, keymap_key_name(b->key, buf));
		if (b->where != WHERE_ANY)
			sb_puts(out, b->where == WHERE_LIST ? " (list)" : " (pane)");
		size_t run = digit_run(b);
		if (run >= 3) {
			b += run - 1;
			sb_printf(out, "-%s", keymap_key_name(b->key, last_buf));
		}
	}
}

/* The widest keys text of all actions, in bytes (names are ASCII). */
static size_t widest_keys_text(void)
{
	struct strbuf keys = {0};
	size_t widest = 0;

	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		sb_clear(&keys);
		keymap_keys_text(a, &keys);
		if (keys.n > widest)
			widest = keys.n;
	}
	sb_free(&keys);
	return widest;
}

int keymap_help_indent(void)
{
	return 2 + (int)widest_keys_text() + 2;
}

void keymap_help_text(struct strbuf *out)
{
	struct strbuf keys = {0};
	int width = (int)widest_keys_text();

	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		sb_clear(&keys);
		keymap_keys_text(a, &keys);
		sb_printf(out, "  %-*s  %s\n", width, sb_cstr(&keys), _(descriptions[a]));
	}
	sb_puts(out, _("\nIn a prompt (/, ?, |, D, w):\n"));
	for (size_t i = 0; i < ARRAY_LEN(prompt_keys); i++) {
		char buf[64];
		sb_printf(out, "  %-*s  %s\n", width, prompt_key_names(prompt_keys[i].action, buf),
			  _(prompt_keys[i].description));
	}
	sb_free(&keys);
}

bool keymap_help_line(const char **p, int hang, int w, struct help_line *l)
{
	const char *nl = strchr(*p, '\n');
	size_t n = nl ? (size_t)(nl - *p) : strlen(*p);

	if (!**p)
		return false;
	bool hanging = w - hang >= 16 && n > (size_t)hang;
	l->line = *p;
	l->hang = hanging ? hang : 0;
	l->text = *p + l->hang;
	l->n = n - (size_t)l->hang;
	l->wrap_w = w - l->hang;
	*p += n + (nl != NULL);
	return true;
}

size_t keymap_help_rows(const char *help, int w)
{
	int hang = keymap_help_indent();
	layout_lines lines = {0};
	struct help_line l;
	size_t rows = 0;

	while (keymap_help_line(&help, hang, w, &l)) {
		struct layout_src src;
		layout_prepare(&src, l.text, l.n);
		lines.n = 0;
		layout_wrap(&src, l.wrap_w, &lines);
		rows += lines.n;
		layout_src_free(&src);
	}
	free(lines.v);
	return rows;
}

/* Append s as man(7) text that is safe at the start of a line or inside a quoted macro
 * argument. In literal text (what the user types) '-' is the ASCII \- ; in prose it
 * stays a hyphen. */
static void roff_escape(struct strbuf *out, const char *s, bool literal)
{
	if (*s == '.' || *s == '\'')
		sb_puts(out, "\\&");
	for (; *s; s++) {
		if (*s == '\\')
			sb_puts(out, "\\(rs");
		else if (*s == '"')
			sb_puts(out, "\\(dq");
		else if (*s == '-' && literal)
			sb_puts(out, "\\-");
		else
			sb_putc(out, *s);
	}
}

void keymap_help_roff(struct strbuf *out)
{
	struct strbuf keys = {0};

	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		sb_clear(&keys);
		keymap_keys_text(a, &keys);
		sb_puts(out, ".TP\n.B \"");
		roff_escape(out, sb_cstr(&keys), true);
		sb_puts(out, "\"\n");
		roff_escape(out, descriptions[a], false);
		sb_putc(out, '\n');
	}
	sb_puts(out, ".SS \"In a prompt (/, ?, |, D, w)\"\n");
	for (size_t i = 0; i < ARRAY_LEN(prompt_keys); i++) {
		char buf[64];
		sb_puts(out, ".TP\n.B \"");
		roff_escape(out, prompt_key_names(prompt_keys[i].action, buf), true);
		sb_puts(out, "\"\n");
		roff_escape(out, prompt_keys[i].description, false);
		sb_putc(out, '\n');
	}
	sb_free(&keys);
}

/* ---- The keymap in use ---- */

/* Start the runtime keymap as a copy of the defaults, once. */
static void make_runtime(void)
{
	if (runtime.v)
		return;
	for (const struct binding *b = keymap_bindings;; b++) {
		VEC_PUSH(&runtime, *b);
		if (b->action == ACTION_NONE)
			break;
	}
}

/* Whether two key codes are one keystroke: the same code, or the same name (KEYC_CTRL_L
 * and 0x0c). */
static bool same_key(int k1, int k2)
{
	char b1[16], b2[16];
	return k1 == k2 || !strcmp(keymap_key_name(k1, b1), keymap_key_name(k2, b2));
}

/* Take key's bindings out of where; an everywhere binding of it stays on the other side. */
static void clear_key(int key, enum key_where where)
{
	size_t out = 0;

	for (size_t i = 0; i < runtime.n; i++) {
		struct binding b = runtime.v[i];
		if (b.action != ACTION_NONE && same_key(b.key, key)) {
			if (where == WHERE_ANY || b.where == where)
				continue;
			if (b.where == WHERE_ANY)
				b.where = where == WHERE_LIST ? WHERE_PANE : WHERE_LIST;
		}
		runtime.v[out++] = b;
	}
	runtime.n = out;
}

void keymap_bind(int key, enum key_where where, enum action a, int arg)
{
	const struct binding end = {KEYC_NONE, ACTION_NONE, 0, WHERE_ANY};

	if (key == KEYC_NONE || a <= ACTION_NONE || a >= ACTION_COUNT)
		return;
	make_runtime();
	clear_key(key, where);
	runtime.n--; /* the end entry */
	VEC_PUSH(&runtime, ((struct binding){key, a, arg, where}));
	VEC_PUSH(&runtime, end);
}

void keymap_unbind(int key, enum key_where where)
{
	make_runtime();
	clear_key(key, where);
}

void keymap_reset(void)
{
	free(runtime.v);
	runtime.v = NULL;
	runtime.n = runtime.cap = 0;
	free(prompt_runtime.v);
	prompt_runtime.v = NULL;
	prompt_runtime.n = prompt_runtime.cap = 0;
}

void keymap_prompt_unbind(int key)
{
	size_t out = 0;

	make_prompt_runtime();
	for (size_t i = 0; i < prompt_runtime.n; i++)
		if (!same_key(prompt_runtime.v[i].key, key))
			prompt_runtime.v[out++] = prompt_runtime.v[i];
	prompt_runtime.n = out;
}

void keymap_prompt_bind(int key, enum edit_action e)
{
	if (key == KEYC_NONE || e == EDIT_NONE)
		return;
	keymap_prompt_unbind(key);
	VEC_PUSH(&prompt_runtime, ((struct prompt_binding){key, e}));
}

enum edit_action keymap_edit_parse(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(prompt_keys); i++)
		if (!strcmp(prompt_keys[i].name, name))
			return prompt_keys[i].action;
	return EDIT_NONE;
}

/* The key whose name is name among the named keys and the Ctrl keys; a code above
 * KEYC_SPECIAL (what the terminal front end sends) wins over a control byte. */
static int parse_named_key(const char *name)
{
	char buf[16];
	int found = KEYC_NONE;

	for (size_t i = 0; i < ARRAY_LEN(key_names); i++)
		if (!strcasecmp(key_names[i].name, name) && found < key_names[i].key)
			found = key_names[i].key;
	for (int k = 1; k < ' ' && found == KEYC_NONE; k++)
		if (!strcasecmp(keymap_key_name(k, buf), name))
			found = k;
	/* The control bytes that tui.c turns into keys of their own. */
	switch (found) {
	case '\t': return KEYC_TAB;
	case '\r':
	case '\n': return KEYC_RETURN;
	case '\b': return KEYC_BSPACE;
	default: return found;
	}
}

/* Whether code point cp is a key of its own: a letter, digit, punctuation or symbol (no
 * space, control, format character or combining mark). */
static bool is_key_char(unsigned long cp)
{
	return cp < KEYC_SPECIAL &&
	       uc_is_general_category(
		       (ucs4_t)cp,
		       uc_general_category_or(uc_general_category_or(UC_LETTER, UC_NUMBER),
					      uc_general_category_or(UC_PUNCTUATION, UC_SYMBOL)));
}

/* The code point written as U+XXXX, or KEYC_NONE. */
static int parse_code_point_name(const char *name)
{
	char *end;

	if (strncmp(name, "U+", 2) || !name[2] || strlen(name) > 8)
		return KEYC_NONE;
	unsigned long cp = strtoul(name + 2, &end, 16);
	if (*end || name[2] == '-' || name[2] == '+' || name[2] == ' ')
		return KEYC_NONE;
	return is_key_char(cp) ? (int)cp : KEYC_NONE;
}

int keymap_key_parse(const char *name)
{
	size_t n = strlen(name);
	uint32_t cp;
	char ctrl[8];

	if (n == 0)
		return KEYC_NONE;
	if (utf8_decode((const unsigned char *)name, n, &cp) == n) {
		/* One character: itself, when it is a key of its own. */
		return cp != UTF8_BAD && is_key_char(cp) ? (int)cp : KEYC_NONE;
	}
	if (name[0] == '^' && n == 2) {
		snprintf(ctrl, sizeof ctrl, "Ctrl-%c", name[1]);
		name = ctrl;
	}
	int key = parse_named_key(name);
	return key != KEYC_NONE ? key : parse_code_point_name(name);
}

/* The actions' enum names, made config names on first use. */
static const char *const enum_names[ACTION_COUNT] = {[ACTION_NONE] = "",
#define KEYMAP_ENUM_NAME(name, desc) [ACTION_##name] = #name,
						     KEYMAP_ACTIONS(KEYMAP_ENUM_NAME)
#undef KEYMAP_ENUM_NAME
};

const char *keymap_action_name(enum action a)
{
	static char names[ACTION_COUNT][32];

	if ((unsigned)a >= ACTION_COUNT)
		return "";
	if (!names[a][0] && enum_names[a][0]) {
		size_t i;
		for (i = 0; enum_names[a][i] && i + 1 < sizeof names[a]; i++) {
			char c = enum_names[a][i];
			names[a][i] = c == '_'		       ? '-'
				      : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a')
							       : c;
		}
		names[a][i] = '\0';
	}
	return names[a];
}

enum action keymap_action_parse(const char *name)
{
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++)
		if (!strcmp(keymap_action_name(a), name))
			return a;
	return ACTION_NONE;
}

void keymap_actions_roff(struct strbuf *out)
{
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		sb_puts(out, ".TP\n.B ");
		roff_escape(out, keymap_action_name(a), true);
		sb_putc(out, '\n');
		roff_escape(out, descriptions[a], false);
		sb_putc(out, '\n');
	}
	sb_puts(out, ".PP\nIn a prompt\n.RB ( \"bind prompt\" ):\n");
	for (size_t i = 0; i < ARRAY_LEN(prompt_keys); i++) {
		sb_puts(out, ".TP\n.B ");
		roff_escape(out, prompt_keys[i].name, true);
		sb_putc(out, '\n');
		roff_escape(out, prompt_keys[i].description, false);
		sb_putc(out, '\n');
	}
}
