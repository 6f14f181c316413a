/* keymap.c: the default key bindings, and the help text and man page made from them. */
#include "keymap.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CTRL(c) ((c) & 0x1f)
#define BIND(k, name) { (k), ACTION_##name, 0, WHERE_ANY }
#define BIND_IN(k, name, where) { (k), ACTION_##name, 0, (where) }
#define FOLLOW(n) { '0' + (n), ACTION_FOLLOW_N, (n), WHERE_ANY }

const struct binding keymap_bindings[] = {
	BIND('j', DOWN),
	BIND(KEY_DOWN_, DOWN),
	BIND('k', UP),
	BIND(KEY_UP_, UP),
	BIND(' ', PAGE_DOWN),
	BIND(KEY_PGDN, PAGE_DOWN),
	BIND(CTRL('F'), PAGE_DOWN),
	BIND('b', PAGE_UP),
	BIND(KEY_PGUP, PAGE_UP),
	BIND(CTRL('B'), PAGE_UP),
	BIND('g', TOP),
	BIND(KEY_HOME_, TOP),
	BIND('G', BOTTOM),
	BIND(KEY_END_, BOTTOM),
	BIND(KEY_RETURN, OPEN),
	BIND('J', NEXT_ARTICLE),
	BIND('K', PREV_ARTICLE),
	BIND(KEY_TAB_, NEXT_LINK),
	BIND(KEY_BTAB_, PREV_LINK),
	FOLLOW(1),
	FOLLOW(2),
	FOLLOW(3),
	FOLLOW(4),
	FOLLOW(5),
	FOLLOW(6),
	FOLLOW(7),
	FOLLOW(8),
	FOLLOW(9),
	BIND(KEY_BSPACE, BACK),
	BIND('h', BACK),
	BIND(KEY_LEFT_, BACK),
	BIND('l', FORWARD),
	BIND(KEY_RIGHT_, FORWARD),
	BIND('/', SEARCH),
	BIND_IN('?', SEARCH_BACK, WHERE_PANE),
	BIND('n', SEARCH_NEXT),
	BIND('N', SEARCH_PREV),
	BIND(KEY_ESC, CLEAR),
	BIND('f', FULLSCREEN),
	BIND_IN('?', HELP, WHERE_LIST),
	BIND(KEY_F1, HELP),
	BIND(KEY_CTRL_L, REDRAW),
	BIND(CTRL('L'), REDRAW),
	BIND('t', SCRIPT),
	BIND('|', PIPE),
	BIND('o', PAGER),
	BIND('y', COPY),
	BIND('s', SORT),
	BIND('S', GROUP),
	BIND('D', JUMP_DATE),
	BIND('q', QUIT),
	BIND('Q', QUIT_NOW),
	BIND(KEY_NONE, NONE),
};

static const char *const descriptions[ACTION_COUNT] = {
	[ACTION_NONE] = "",
#define KEYMAP_DESCRIPTION(name, desc) [ACTION_##name] = desc,
	KEYMAP_ACTIONS(KEYMAP_DESCRIPTION)
#undef KEYMAP_DESCRIPTION
};

static const struct {
	int key;
	const char *name;
} key_names[] = {
	{ ' ', "Space" },
	{ 0x1b, "Esc" },
	{ KEY_UP_, "Up" },
	{ KEY_DOWN_, "Down" },
	{ KEY_LEFT_, "Left" },
	{ KEY_RIGHT_, "Right" },
	{ KEY_PGUP, "PgUp" },
	{ KEY_PGDN, "PgDn" },
	{ KEY_HOME_, "Home" },
	{ KEY_END_, "End" },
	{ KEY_RETURN, "Enter" },
	{ KEY_BSPACE, "Backspace" },
	{ KEY_TAB_, "Tab" },
	{ KEY_BTAB_, "Shift-Tab" },
	{ KEY_ESC, "Esc" },
	{ KEY_CTRL_L, "Ctrl-L" },
	{ KEY_F1, "F1" },
};

/* The keys of a prompt, in help order. */
static const struct {
	int key;
	enum prompt_action action;
	const char *description;
} prompt_keys[] = {
	{ KEY_RETURN, PROMPT_ACCEPT, "Keep the search or filter; after | or D, run or jump" },
	{ KEY_ESC, PROMPT_CANCEL, "Cancel the search (or the | or D prompt)" },
	{ KEY_BSPACE, PROMPT_ERASE, "Erase the last character" },
	{ CTRL('U'), PROMPT_KILL, "Erase the whole query" },
	{ CTRL('R'), PROMPT_TOGGLE_REGEX, "Toggle regular expressions (POSIX extended)" },
};

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
	else if (key >= 0xa0 && key < KEY_SPECIAL)
		snprintf(buf, 16, "U+%04X", (unsigned)key);
	else
		snprintf(buf, 16, "Key-0x%X", (unsigned)key);
	return buf;
}

const struct binding *keymap_lookup(int key, enum key_where where)
{
	const struct binding *anywhere = NULL;

	for (const struct binding *b = keymap_bindings; b->action != ACTION_NONE; b++) {
		if (b->key != key)
			continue;
		if (b->where == where)
			return b;
		if (b->where == WHERE_ANY && !anywhere)
			anywhere = b;
	}
	return anywhere;
}

enum prompt_action keymap_prompt_lookup(int key)
{
	for (size_t i = 0; i < ARRAY_LEN(prompt_keys); i++)
		if (prompt_keys[i].key == key)
			return prompt_keys[i].action;
	return PROMPT_NONE;
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
 * one keystroke, like KEY_CTRL_L and 0x0c), so help shows it once. */
static bool name_shown_before(const struct binding *b)
{
	char buf[16], earlier_buf[16];
	const char *name = keymap_key_name(b->key, buf);

	for (const struct binding *e = keymap_bindings; e < b; e++) {
		if (e->action == b->action && !strcmp(keymap_key_name(e->key, earlier_buf), name))
			return true;
	}
	return false;
}

void keymap_keys_text(enum action a, struct strbuf *out)
{
	const char *sep = "";
	char buf[16], last_buf[16];

	for (const struct binding *b = keymap_bindings; b->action != ACTION_NONE; b++) {
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
	struct strbuf keys = { 0 };
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
	struct strbuf keys = { 0 };
	int width = (int)widest_keys_text();

	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		sb_clear(&keys);
		keymap_keys_text(a, &keys);
		sb_printf(out, "  %-*s  %s\n", width, sb_cstr(&keys), descriptions[a]);
	}
	sb_puts(out, "\nIn a search prompt:\n");
	for (size_t i = 0; i < ARRAY_LEN(prompt_keys); i++) {
		char buf[16];
		sb_printf(out, "  %-*s  %s\n", width, keymap_key_name(prompt_keys[i].key, buf),
			  prompt_keys[i].description);
	}
	sb_free(&keys);
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
	struct strbuf keys = { 0 };

	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
		sb_clear(&keys);
		keymap_keys_text(a, &keys);
		sb_puts(out, ".TP\n.B \"");
		roff_escape(out, sb_cstr(&keys), true);
		sb_puts(out, "\"\n");
		roff_escape(out, descriptions[a], false);
		sb_putc(out, '\n');
	}
	sb_puts(out, ".SS \"In a search prompt\"\n");
	for (size_t i = 0; i < ARRAY_LEN(prompt_keys); i++) {
		char buf[16];
		sb_puts(out, ".TP\n.B \"");
		roff_escape(out, keymap_key_name(prompt_keys[i].key, buf), true);
		sb_puts(out, "\"\n");
		roff_escape(out, prompt_keys[i].description, false);
		sb_putc(out, '\n');
	}
	sb_free(&keys);
}
