/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui.h: the curses front end: paints the grid, turns terminal input into keys. */
#ifndef XINWEN_TUI_H
#define XINWEN_TUI_H

#include "app.h"

/* Run the reader in the terminal until the user quits or a signal asks it to stop;
 * the terminal is restored on every path. Returns the exit status. */
int tui_run(struct app *a);

#endif
