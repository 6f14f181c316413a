/* SPDX-License-Identifier: GPL-3.0-or-later */
/* style.h: the roles of the screen's parts. The renderer gives each cell one, the
 * config file colours them and the terminal front end maps them to attributes. */
#ifndef XINWEN_STYLE_H
#define XINWEN_STYLE_H

/* How a cell is drawn. */
enum cell_style {
	STYLE_NORMAL,
	STYLE_TITLE,
	STYLE_META,
	STYLE_HEADING,
	STYLE_LINK,
	STYLE_LINK_SELECTED,
	STYLE_SNIPPET,
	STYLE_CARET,
	STYLE_LIST_DATE,
	STYLE_LIST_EXCERPT,
	STYLE_LIST_SELECTED,
	STYLE_LIST_SELECTED_IDLE,
	STYLE_BORDER,
	STYLE_STATUS,
	STYLE_MATCH,
	STYLE_MATCH_CURRENT,
	STYLE_LIST_UNREAD,	    /* an unread headline */
	STYLE_LIST_SELECTED_UNREAD, /* the selected headline, unread */
	STYLE_COUNT
};

#endif
