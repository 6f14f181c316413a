/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keys.h: the project's own key codes, independent of curses. */
#ifndef XINWEN_KEYS_H
#define XINWEN_KEYS_H

/* Printable keys are their Unicode code points; special keys live above U+10FFFF. */
enum key_code {
	KEY_NONE = 0,
	KEY_SPECIAL = 0x110000,
	KEY_UP_,
	KEY_DOWN_,
	KEY_LEFT_,
	KEY_RIGHT_,
	KEY_PGUP,
	KEY_PGDN,
	KEY_HOME_,
	KEY_END_,
	KEY_RETURN,
	KEY_BSPACE,
	KEY_TAB_,
	KEY_BTAB_,
	KEY_ESC,
	KEY_CTRL_L,
	KEY_F1,
};

#endif
