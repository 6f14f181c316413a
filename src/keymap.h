/* keymap.h: every user action, its default keys and its description, in one table
 * that drives the key handling, the ? help screen, --help and the man page. */
#ifndef XINWEN_KEYMAP_H
#define XINWEN_KEYMAP_H

#include <stddef.h>

#include "keys.h"
#include "strbuf.h"

/* X(name, description): the actions, in the order help lists them. */
#define KEYMAP_ACTIONS(X)                                                                  \
	X(DOWN, "Next headline in the list; next line in the pane")                        \
	X(UP, "Previous headline in the list; previous line in the pane")                  \
	X(PAGE_DOWN, "Page down")                                                          \
	X(PAGE_UP, "Page up")                                                              \
	X(TOP, "First headline, or the top of the article")                                \
	X(BOTTOM, "Last headline, or the end of the article")                              \
	X(OPEN, "Open the headline; in the pane, follow the selected link")                \
	X(NEXT_ARTICLE, "Show the next article (from the pane)")                           \
	X(PREV_ARTICLE, "Show the previous article (from the pane)")                       \
	X(NEXT_LINK, "Select the next link in the pane")                                   \
	X(PREV_LINK, "Select the previous link in the pane")                               \
	X(FOLLOW_N, "Follow related story N directly")                                     \
	X(BACK, "Go back to the previously viewed article")                                \
	X(FORWARD, "Go forward again after going back")                                    \
	X(FULLSCREEN, "Toggle full-screen reading")                                        \
	X(HELP, "Show or leave this help")                                                 \
	X(REDRAW, "Redraw the screen")                                                     \
	X(QUIT, "Leave the pane or help; quit from the list")                              \
	X(QUIT_NOW, "Quit at once")

enum action {
	ACTION_NONE,
#define KEYMAP_ENUM(name, desc) ACTION_##name,
	KEYMAP_ACTIONS(KEYMAP_ENUM)
#undef KEYMAP_ENUM
	ACTION_COUNT
};

/* One key bound to an action; arg is the N of FOLLOW_N. */
struct binding {
	int key;
	enum action action;
	int arg;
};

/* The default bindings, in help order; ends with an ACTION_NONE entry. */
extern const struct binding keymap_bindings[];

/* The binding for key, or NULL when the key does nothing. */
const struct binding *keymap_lookup(int key);

/* The action's one-line description. */
const char *keymap_description(enum action a);

/* A key's name as help shows it: "j", "Down", "Space", "Enter", "Shift-Tab", "Ctrl-L". */
const char *keymap_key_name(int key, char buf[16]);

/* The keys of an action as help shows them, e.g. "j, Down" or "1-9". */
void keymap_keys_text(enum action a, struct strbuf *out);

/* The whole key reference as plain text lines: "  KEYS  description", one per action
 * (used by --help and the ? screen); every description starts at keymap_help_indent(). */
void keymap_help_text(struct strbuf *out);

/* The byte (and column) at which keymap_help_text's descriptions start. */
int keymap_help_indent(void);

/* The key reference as man(7) source for the KEYS section. */
void keymap_help_roff(struct strbuf *out);

#endif
