/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keymap.h: every user action, its default keys and its description, in one table
 * that drives the key handling, the ? help screen, --help and the man page. */
#ifndef XINWEN_KEYMAP_H
#define XINWEN_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "keys.h"
#include "strbuf.h"

/* X(name, description): the actions, in the order help lists them. The descriptions are
 * messages for po/ (xgettext --keyword=X:2), translated where help shows them. */
#define KEYMAP_ACTIONS(X)                                                                       \
	X(DOWN, "Next headline in the list; next line in the pane")                             \
	X(UP, "Previous headline in the list; previous line in the pane")                       \
	X(PAGE_DOWN, "Page down")                                                               \
	X(PAGE_UP, "Page up")                                                                   \
	X(HALF_DOWN, "Half a page down")                                                        \
	X(HALF_UP, "Half a page up")                                                            \
	X(TOP, "First headline, or the top of the article")                                     \
	X(BOTTOM, "Last headline, or the end of the article")                                   \
	X(OPEN, "Open the headline; in the pane, follow the selected link")                     \
	X(NEXT_ARTICLE, "Show the next article (from the pane)")                                \
	X(PREV_ARTICLE, "Show the previous article (from the pane)")                            \
	X(NEXT_UNREAD, "Open the next unread article (in the list's order)")                    \
	X(PREV_UNREAD, "Open the previous unread article")                                      \
	X(NEXT_LINK, "Select the next link in the pane")                                        \
	X(PREV_LINK, "Select the previous link in the pane")                                    \
	X(FOLLOW_N, "Type N, then Enter: follow story N; or a count: 5j, 12G")                  \
	X(BACK, "Go back to the previously viewed article")                                     \
	X(FORWARD, "Go forward again after going back")                                         \
	X(SEARCH, "Search: filter the list, or find in the article")                            \
	X(SEARCH_BACK, "Find backward in the article")                                          \
	X(SEARCH_NEXT, "Next matching headline, or next match in the article")                  \
	X(SEARCH_PREV, "Previous match")                                                        \
	X(CLEAR, "Clear the list filter or the highlighted matches")                            \
	X(FULLSCREEN, "Toggle full-screen reading")                                             \
	X(HELP, "Show or leave this help")                                                      \
	X(REDRAW, "Redraw the screen")                                                          \
	X(MAP, "Story map: what the article cites, what cites it, similar ones")                \
	X(HISTORY, "List the history trail; Enter goes back (or forward) there")                \
	X(TOGGLE_READ, "Mark the article read or unread (unread is bold)")                      \
	X(MARK_ALL_READ, "Mark every article listed read (asks first)")                         \
	X(TOGGLE_BOOKMARK, "Bookmark the article, or drop it (* in the list)")                  \
	X(BOOKMARKS, "Show only the bookmarks; again, or Esc, shows all")                       \
	X(UNREAD, "Show only the unread articles; again, or Esc, shows all")                    \
	X(SCRIPT, "Show text as written, in Simplified or in Traditional")                      \
	X(PIPE, "Pipe the article (as --dump prints it) to a command")                          \
	X(SAVE, "Save the article (as --dump prints it) to a file")                             \
	X(SAVE_SOURCE, "Save the article's source: its file, or its JSON Lines/SogouCS record") \
	X(PAGER, "Open the article in $PAGER (default less)")                                   \
	X(BROWSER, "Open the article's URL in the browser ($BROWSER, else xdg-open)")           \
	X(URLS, "List the article's URL and the URLs in its text; Enter opens one")             \
	X(RELOAD, "Load the collection again from its files, keeping the place")                \
	X(COPY, "Copy the headline to the clipboard (OSC 52, if enabled)")                      \
	X(SORT, "Sort the list by date, title, source, or date oldest first")                   \
	X(GROUP, "Group the list by source, by month, or not")                                  \
	X(JUMP_DATE, "Jump to the first article on or before a date")                           \
	X(QUIT, "Leave the pane or help; quit from the list")                                   \
	X(QUIT_NOW, "Quit at once")

enum action {
	ACTION_NONE,
#define KEYMAP_ENUM(name, desc) ACTION_##name,
	KEYMAP_ACTIONS(KEYMAP_ENUM)
#undef KEYMAP_ENUM
		ACTION_COUNT
};

/* Where a binding applies: everywhere, or only with the list or the pane focused
 * (where it takes precedence over an everywhere binding of the same key). */
enum key_where { WHERE_ANY, WHERE_LIST, WHERE_PANE };

/* One key bound to an action; arg is the N of FOLLOW_N (a digit key bound to FOLLOW_N
 * with its own digit starts a count: see app_key). */
struct binding {
	int key;
	enum action action;
	int arg;
	enum key_where where;
};

/* What a key does while a prompt (a search query, a command, a date, a file name) is
 * being typed; any other printable key is typed into it (lineedit.h edits it). */
enum edit_action {
	EDIT_NONE,
	EDIT_ACCEPT,
	EDIT_CANCEL,
	EDIT_ERASE,
	EDIT_KILL,
	EDIT_TOGGLE_REGEX,
	EDIT_LEFT,
	EDIT_RIGHT,
	EDIT_HOME,
	EDIT_END,
	EDIT_ERASE_WORD,
	EDIT_DELETE,
	EDIT_KILL_END,
	EDIT_HISTORY_PREV,
	EDIT_HISTORY_NEXT,
	EDIT_COMPLETE,
};

/* The default bindings, in help order; ends with an ACTION_NONE entry. The keymap in
 * use starts as these and changes with keymap_bind and keymap_unbind. */
extern const struct binding keymap_bindings[];

/* The binding for key where the focus is (WHERE_LIST or WHERE_PANE), or NULL. */
const struct binding *keymap_lookup(int key, enum key_where where);

/* The key with the shortest name (the first of those) that does action a where the
 * focus is, in the keymap in use; KEYC_NONE when no key does (all of them unbound). */
int keymap_key_for(enum action a, enum key_where where);

/* What key does in a prompt (EDIT_NONE: type it, if printable), in the prompt's keys in
 * use. */
enum edit_action keymap_prompt_lookup(int key);

/* Make key do e in a prompt (bind prompt KEY NAME), instead of what it did there. */
void keymap_prompt_bind(int key, enum edit_action e);

/* Make key do nothing of its own in a prompt (it is typed, if printable). */
void keymap_prompt_unbind(int key);

/* The prompt action named name (accept, cancel, erase-word...), or EDIT_NONE. */
enum edit_action keymap_edit_parse(const char *name);

/* The action's one-line description. */
const char *keymap_description(enum action a);

/* A key's name as help shows it: "j", "Down", "Space", "Enter", "Shift-Tab", "Ctrl-L". */
const char *keymap_key_name(int key, char buf[16]);

/* The keys of an action as help shows them, e.g. "j, Down" or "1-9". */
void keymap_keys_text(enum action a, struct strbuf *out);

/* The whole key reference as plain text lines: "  KEYS  description", one per action,
 * then the prompt's keys (used by --help and the ? screen); every description starts at
 * keymap_help_indent(). */
void keymap_help_text(struct strbuf *out);

/* The byte (and column) at which keymap_help_text's descriptions start. */
int keymap_help_indent(void);

/* One line of keymap_help_text as shown w columns wide: when there is room, its keys
 * (the first hang bytes of line) stay in their column and the description (text, n
 * bytes) wraps under itself, wrap_w columns wide from column hang; else the whole line
 * wraps (hang 0). */
struct help_line {
	const char *line, *text;
	size_t n;
	int hang, wrap_w;
};

/* The line of the help text at *p shown w columns wide (hang: keymap_help_indent()) in
 * *l, moving *p past it; false at the end of the text. */
bool keymap_help_line(const char **p, int hang, int w, struct help_line *l);

/* How many rows the help text takes shown w columns wide. */
size_t keymap_help_rows(const char *help, int w);

/* The key reference as man(7) source for the KEYS section. */
void keymap_help_roff(struct strbuf *out);

/* ---- The keymap in use: the defaults with the user's changes (configfile.c) ---- */

/* Bind key to action a (arg: the N of FOLLOW_N) where: WHERE_ANY replaces everything the
 * key did; WHERE_LIST or WHERE_PANE only what it did there. */
void keymap_bind(int key, enum key_where where, enum action a, int arg);

/* Make key do nothing where (WHERE_ANY: anywhere). */
void keymap_unbind(int key, enum key_where where);

/* Go back to the default bindings, the prompt's too. */
void keymap_reset(void);

/* The key named name, as keymap_key_name writes it ("j", "Space", "Ctrl-L", "U+4E2D"),
 * or as ^X or one character; names longer than one character ignore case. KEYC_NONE
 * when name is no key. */
int keymap_key_parse(const char *name);

/* An action's name in the config file: its enum name in lower case with '-'
 * ("next-link"); "" for ACTION_NONE. */
const char *keymap_action_name(enum action a);

/* The action called name (as keymap_action_name writes it), or ACTION_NONE. */
enum action keymap_action_parse(const char *name);

/* Every action name with its description, then the prompt's, as man(7) source (for
 * xinwen(5)). */
void keymap_actions_roff(struct strbuf *out);

#endif
