/* SPDX-License-Identifier: GPL-3.0-or-later */
/* configfile.h: the user's settings file, $XDG_CONFIG_HOME/xinwen/config (xinwen(5)):
 * key bindings, colours of the screen's parts, layout, ambiguous width, sort order. */
#ifndef XINWEN_CONFIGFILE_H
#define XINWEN_CONFIGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "collection.h"
#include "keymap.h"
#include "style.h"
#include "xalloc.h"

/* Longest line read; a longer one is reported and ignored. */
#define CONFIG_MAX_LINE 4096
/* Largest file read. */
#define CONFIG_MAX_FILE (1024u * 1024 * 4)
/* Most bind and unbind lines taken (the keymap's work grows with their square). */
#define CONFIG_MAX_BINDINGS 512
/* Most problems kept; the rest are only counted. */
#define CONFIG_MAX_PROBLEMS 100

/* From this width on the pane stands beside the list (split = auto), else below it. */
#define CONFIG_SIDE_BY_SIDE_COLS 100

/* How list and pane share the screen. */
enum config_split {
	SPLIT_AUTO,	  /* side by side from CONFIG_SIDE_BY_SIDE_COLS columns, else stacked */
	SPLIT_HORIZONTAL, /* always stacked: the list above the pane */
	SPLIT_VERTICAL,	  /* always side by side: the list left of the pane */
};

/* A column of the list. */
enum config_column { COLUMN_DATE, COLUMN_SOURCE, COLUMN_TITLE, COLUMN_COUNT };

/* The list's order. */
enum config_sort { SORT_DATE, SORT_TITLE, SORT_SOURCE, SORT_OLDEST, SORT_COUNT };

/* Attributes of a colour setting. */
#define CONFIG_ATTR_BOLD 1u
#define CONFIG_ATTR_DIM 2u
#define CONFIG_ATTR_UNDERLINE 4u
#define CONFIG_ATTR_REVERSE 8u
#define CONFIG_ATTR_ITALIC 16u

/* The colour of one screen part: colours 0-255 or -1 for the terminal's default. */
struct config_color {
	bool set;	/* a color line set it; else the built-in look */
	bool has_attrs; /* attributes were given (else the built-in ones stay) */
	short fg, bg;
	unsigned attrs;
};

/* One bind or unbind line, applied in order by config_apply. */
struct config_binding {
	int key;
	enum key_where where;
	enum action action; /* ACTION_NONE: unbind */
	int arg;
	bool prompt;	       /* bind prompt or unbind prompt: edit is what the key does */
	enum edit_action edit; /* in a prompt; EDIT_NONE: unbind */
};

struct config {
	enum config_split split;
	int split_ratio; /* the list's share in percent, 10-90; 0: the built-in */
	int max_width;	 /* the reading column's width at most, centred; 0: the pane's */
	enum config_column columns[COLUMN_COUNT];
	size_t ncolumns;
	int ambiguous_width; /* 1 or 2 */
	enum config_sort sort;
	bool osc52;	  /* y may copy the headline to the clipboard with OSC 52 */
	int preview_read; /* seconds shown beside the list to count as read; 0: never */
	int reload_check; /* look at the files when a key comes after this many seconds;
			   * 0: only R */
	int cache_days;	  /* the caches of a collection not opened for so long are removed */
	struct config_color colors[STYLE_COUNT];
	VEC(struct config_binding) bindings;
	VEC(struct diag) problems; /* FILE:LINE: message, in file order */
	size_t nproblems;	   /* all of them, kept or not */
};

/* Set every setting to its default, with no bindings and no problems. */
void config_init(struct config *cfg);

/* Free what the config holds. */
void config_free(struct config *cfg);

/* The default config file: $XDG_CONFIG_HOME/xinwen/config, else
 * $HOME/.config/xinwen/config, as a new string; NULL when neither variable is set. */
char *config_default_path(void);

/* Read the config file path into cfg (initialized): every problem becomes a
 * FILE:LINE: message and the setting keeps its value; the other lines still apply.
 * A missing file is no problem when missing_ok. Returns false only when the file could
 * not be read (then with a "FILE:0:" problem). */
bool config_load(struct config *cfg, const char *path, bool missing_ok);

/* Parse n bytes of config text, named name in messages, into cfg. */
void config_parse(struct config *cfg, const char *name, const char *text, size_t n);

/* Apply what the process shares: the key bindings (over the defaults) and the
 * ambiguous width. */
void config_apply(const struct config *cfg);

/* Put how many problems there are (when more than one) and the first one (its file by
 * base name) in a status line message of size bytes, before what msg already says. */
void config_status_message(const struct config *cfg, char *msg, size_t size);

/* Whether the list and the pane stand side by side at cols columns (cfg may be NULL:
 * the defaults). */
bool config_side_by_side(const struct config *cfg, int cols);

/* The most columns the pane's text takes (set max-width), or 0 for no limit (cfg may
 * be NULL). */
int config_max_width(const struct config *cfg);

/* How many of total rows or columns the list takes: split-ratio percent of them, or
 * dflt when it is auto; at least 1 and at most max. */
int config_list_size(const struct config *cfg, int total, int dflt, int max);

/* The sort named name ("date", "title", "source"); false when there is none. */
bool config_sort_parse(const char *name, enum config_sort *s);

/* A sort's name, as config_sort_parse takes it ("" for none). */
const char *config_sort_name(enum config_sort s);

/* The name of a colour role ("list-selected"), or NULL for a style with none. */
const char *config_role_name(enum cell_style s);

/* Every set option with its values, default and what it does, as man(7) source. */
void config_options_roff(struct strbuf *out);

/* The config names of every role with what it colours, as man(7) source. */
void config_roles_roff(struct strbuf *out);

#endif
