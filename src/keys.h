/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keys.h: the project's own key codes, independent of curses. */
#ifndef XINWEN_KEYS_H
#define XINWEN_KEYS_H

/* Printable keys are their Unicode code points; special keys live above U+10FFFF. */
enum key_code {
	KEYC_NONE = 0,
	KEYC_SPECIAL = 0x110000,
	KEYC_UP,
	KEYC_DOWN,
	KEYC_LEFT,
	KEYC_RIGHT,
	KEYC_PGUP,
	KEYC_PGDN,
	KEYC_HOME,
	KEYC_END,
	KEYC_RETURN,
	KEYC_BSPACE,
	KEYC_TAB,
	KEYC_BTAB,
	KEYC_ESC,
	KEYC_CTRL_L,
	KEYC_F1,
};

#endif
