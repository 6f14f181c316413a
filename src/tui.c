/* tui.c: the curses front end: paints the grid, turns terminal input into keys.
 * The only file that talks to the terminal. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include "render.h"

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

static void catch_stop_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: the read returns and the loop sees the flag */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static attr_t style_attr[STYLE_COUNT];
static short style_pair[STYLE_COUNT];

static void set_style_colors(enum cell_style s, attr_t attr, short fg, short bg)
{
	style_attr[s] = attr;
	style_pair[s] = 0;
	if ((fg >= 0 || bg >= 0) && has_colors()) {
		init_pair((short)(s + 1), fg, bg);
		style_pair[s] = (short)(s + 1);
	}
}

static void set_style(enum cell_style s, attr_t attr, short fg)
{
	set_style_colors(s, attr, fg, -1);
}

/* Attributes for each style; colours only when the terminal has them and NO_COLOR is unset. */
static void init_styles(void)
{
	const char *no_color = getenv("NO_COLOR");
	bool color = has_colors() && !(no_color && *no_color);

	if (color) {
		start_color();
		use_default_colors();
	}
	short none = -1;
	set_style(STYLE_NORMAL, A_NORMAL, none);
	set_style(STYLE_TITLE, A_BOLD, none);
	set_style(STYLE_META, A_NORMAL, color ? COLOR_GREEN : none);
	set_style(STYLE_HEADING, A_BOLD | A_UNDERLINE, none);
	set_style(STYLE_LINK, color ? A_NORMAL : A_UNDERLINE, color ? COLOR_CYAN : none);
	set_style(STYLE_LINK_SELECTED, A_REVERSE, none);
	set_style(STYLE_SNIPPET, A_DIM, none);
	set_style(STYLE_CARET, A_DIM, none);
	set_style(STYLE_LIST_DATE, A_NORMAL, color ? COLOR_GREEN : none);
	set_style(STYLE_LIST_EXCERPT, A_DIM, none);
	set_style(STYLE_LIST_SELECTED, A_REVERSE, none);
	set_style(STYLE_LIST_SELECTED_IDLE, A_BOLD | A_UNDERLINE, none);
	set_style(STYLE_BORDER, A_NORMAL, color ? COLOR_BLUE : none);
	set_style(STYLE_STATUS, A_REVERSE, none);
	set_style_colors(STYLE_MATCH, color ? A_NORMAL : A_REVERSE, color ? COLOR_BLACK : none,
			 color ? COLOR_YELLOW : none);
	set_style_colors(STYLE_MATCH_CURRENT, A_BOLD | (color ? A_NORMAL : A_REVERSE | A_UNDERLINE),
			 color ? COLOR_BLACK : none, color ? COLOR_GREEN : none);
}

/* Draw one cell's cluster; a cluster with several spacing characters (a flag) is drawn
 * as one cchar per spacing character with its marks, as wcwidth counts it. */
static void paint_cell(int y, int x, const struct cell *c)
{
	attr_t attr = style_attr[c->style];
	short pair = style_pair[c->style];
	int k = 0;

	while (k < c->ncp) {
		wchar_t wc[CELL_MAX_CP + 1];
		int n = 0;
		wc[n++] = (wchar_t)c->cp[k++];
		while (k < c->ncp && wcwidth((wchar_t)c->cp[k]) == 0)
			wc[n++] = (wchar_t)c->cp[k++];
		wc[n] = L'\0';
		cchar_t cc;
		if (setcchar(&cc, wc, attr, pair, NULL) == OK)
			mvadd_wch(y, x, &cc);
		int w = wcwidth(wc[0]);
		x += w > 0 ? w : 1;
	}
}

static void paint(struct grid *g)
{
	for (int y = 0; y < g->rows; y++)
		for (int x = 0; x < g->cols; x++) {
			const struct cell *c = grid_at(g, y, x);
			if (c->width > 0)
				paint_cell(y, x, c);
		}
	if (g->cursor_y >= 0) {
		move(g->cursor_y, g->cursor_x);
		curs_set(1);
	} else {
		curs_set(0);
	}
	refresh();
}

/* Translate a curses key to the project's own key code. */
static int translate_key(int ret, wint_t wch)
{
	if (ret == OK) {
		switch (wch) {
		case '\r':
		case '\n': return KEY_RETURN;
		case '\t': return KEY_TAB_;
		case 0x7f:
		case 0x08: return KEY_BSPACE;
		case 0x1b: return KEY_ESC;
		case 0x0c: return KEY_CTRL_L;
		default: return (int)wch;
		}
	}
	switch (wch) {
	case KEY_UP: return KEY_UP_;
	case KEY_DOWN: return KEY_DOWN_;
	case KEY_LEFT: return KEY_LEFT_;
	case KEY_RIGHT: return KEY_RIGHT_;
	case KEY_PPAGE: return KEY_PGUP;
	case KEY_NPAGE: return KEY_PGDN;
	case KEY_HOME: return KEY_HOME_;
	case KEY_END: return KEY_END_;
	case KEY_ENTER: return KEY_RETURN;
	case KEY_BACKSPACE: return KEY_BSPACE;
	case KEY_BTAB: return KEY_BTAB_;
	case KEY_F(1): return KEY_F1;
	default: return KEY_NONE;
	}
}

static void handle_mouse(struct app *a)
{
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED)
		app_wheel(a, ev.y, ev.x, -3);
#ifdef BUTTON5_PRESSED
	else if (ev.bstate & BUTTON5_PRESSED)
		app_wheel(a, ev.y, ev.x, 3);
#endif
	else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED))
		app_click(a, ev.y, ev.x);
}

/* One key from the terminal, handed to the app. */
static void handle_key(struct app *a, int ret, wint_t wch)
{
	if (ret == KEY_CODE_YES && wch == KEY_RESIZE) {
		app_resize(a, LINES, COLS);
		clear();
	} else if (ret == KEY_CODE_YES && wch == KEY_MOUSE) {
		handle_mouse(a);
	} else {
		int key = translate_key(ret, wch);
		if (key == KEY_CTRL_L)
			clearok(curscr, TRUE);
		app_key(a, key);
	}
}

/* A key that is already waiting, or ERR at once. */
static int poll_key(wint_t *wch)
{
	timeout(0);
	return get_wch(wch);
}

/* Wait for a key, doing the app's idle work while none comes; once there is no idle work
 * left (*idle_work false), block. ERR with errno set: a signal, or the terminal is gone;
 * EINTR too when idle work changed the screen (draw it, then wait again). */
static int wait_key(struct app *a, bool *idle_work, wint_t *wch)
{
	while (*idle_work && !stop_signal) {
		int ret = poll_key(wch);
		if (ret != ERR)
			return ret;
		*idle_work = app_idle(a);
		if (a->redraw) {
			a->redraw = false;
			errno = EINTR;
			return ERR;
		}
	}
	if (stop_signal) {
		errno = EINTR;
		return ERR;
	}
	timeout(-1);
	errno = 0;
	return get_wch(wch);
}

static void restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

int tui_run(struct app *a)
{
	struct grid g = {0};

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fputs("xinwen: the reader needs a terminal; for scripts use --list, --dump or --check\n",
		      stderr);
		return 1;
	}
	catch_stop_signals();
	if (!initscr()) {
		fputs("xinwen: cannot initialise the terminal (is TERM set?)\n", stderr);
		return 1;
	}
	atexit(restore_terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
		  ,
		  NULL);
	mouseinterval(0);
	init_styles();
	app_resize(a, LINES, COLS);

	bool idle_work = true;
	while (!a->quit && !stop_signal) {
		render(a, &g);
		paint(&g);
		wint_t wch;
		int ret = wait_key(a, &idle_work, &wch);
		if (ret == ERR) {
			if (errno == EINTR)
				continue;
			break; /* the terminal went away */
		}
		/* Take every key already waiting, then bring the view up to date once. */
		do
			handle_key(a, ret, wch);
		while (!a->quit && (ret = poll_key(&wch)) != ERR);
		app_settle(a);
	}
	grid_free(&g);
	restore_terminal();
	return stop_signal ? 128 + stop_signal : 0;
}
