/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui.c: the curses front end: paints the grid, turns terminal input into keys.
 * The only file that talks to the terminal. */
#include <config.h>

#include "exitcode.h"
#include "tui.h"

#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "configfile.h"
#include "i18n.h"
#include "app_marks.h"
#include "cli.h"
#include "render.h"

static bool terminal_usable(void);

static volatile sig_atomic_t stop_signal;

/* The mouse as vim and tmux take it: button-event tracking (1002: presses, releases
 * and drags, never a pointer merely moving by, so that the terminal's own selection is
 * left alone) with SGR encoding (1006: any column, past 223 too). curses turns on what
 * terminfo's XM says (X10 encoding under tmux-256color); this is sent after it. Turning
 * any tracking mode off (as endwin does through curses) turns all of them off. */
#define MOUSE_ON "\033[?1002h\033[?1006h"
/* The start of an SGR mouse report, ESC [ <, when terminfo does not know it: the key
 * code curses gives for it (define_key), the report's rest being read here. */
#define SGR_MOUSE_START "\033[<"
#define KEY_SGR_MOUSE (KEY_MAX + 1)
/* Bytes of an SGR report after ESC [ <, at most ("2147483647;99999;99999M" and less). */
#define SGR_MOUSE_MAX 32

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

/* Whether to use colours: the terminal has them and NO_COLOR is unset. */
static bool colors_enabled(void)
{
	const char *no_color = getenv("NO_COLOR");
	return has_colors() && !(no_color && *no_color);
}

/* Attributes for each style; colours only when the terminal has them and NO_COLOR is unset. */
static void init_styles(void)
{
	bool color = colors_enabled();

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
	set_style(STYLE_LIST_UNREAD, A_BOLD, none);
	set_style(STYLE_LIST_SELECTED_UNREAD, A_REVERSE | A_BOLD, none);
}

/* The curses attributes of a config's attribute bits. */
static attr_t config_attrs(unsigned attrs)
{
	return ((attrs & CONFIG_ATTR_BOLD) ? A_BOLD : 0) | ((attrs & CONFIG_ATTR_DIM) ? A_DIM : 0) |
	       ((attrs & CONFIG_ATTR_UNDERLINE) ? A_UNDERLINE : 0) |
	       ((attrs & CONFIG_ATTR_REVERSE) ? A_REVERSE : 0) |
	       ((attrs & CONFIG_ATTR_ITALIC) ? A_ITALIC : 0);
}

/* The colours and attributes of the config file over the built-in ones; without colours
 * (NO_COLOR, a monochrome terminal) only the attributes. A colour the terminal does not
 * have is its default. */
static void config_styles(const struct config *cfg)
{
	bool color = colors_enabled();

	for (int s = 0; cfg && s < STYLE_COUNT; s++) {
		const struct config_color *c = &cfg->colors[s];
		if (!c->set)
			continue;
		attr_t attr = c->has_attrs ? config_attrs(c->attrs) : style_attr[s];
		if (!color) {
			style_attr[s] = attr;
			continue;
		}
		short fg = c->fg < COLORS ? c->fg : -1, bg = c->bg < COLORS ? c->bg : -1;
		set_style_colors((enum cell_style)s, attr, fg, bg);
	}
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
		case '\n': return KEYC_RETURN;
		case '\t': return KEYC_TAB;
		case 0x7f:
		case 0x08: return KEYC_BSPACE;
		case 0x1b: return KEYC_ESC;
		case 0x0c: return KEYC_CTRL_L;
		default: return (int)wch;
		}
	}
	switch (wch) {
	case KEY_UP: return KEYC_UP;
	case KEY_DOWN: return KEYC_DOWN;
	case KEY_LEFT: return KEYC_LEFT;
	case KEY_RIGHT: return KEYC_RIGHT;
	case KEY_PPAGE: return KEYC_PGUP;
	case KEY_NPAGE: return KEYC_PGDN;
	case KEY_HOME: return KEYC_HOME;
	case KEY_END: return KEYC_END;
	case KEY_ENTER: return KEYC_RETURN;
	case KEY_BACKSPACE: return KEYC_BSPACE;
	case KEY_BTAB: return KEYC_BTAB;
	case KEY_F(1): return KEYC_F1;
	default: return KEYC_NONE;
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
	else if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
		app_click(a, ev.y, ev.x);
}

/* Read the rest of an SGR mouse report, "B;X;Y" then M (a press) or m (a release), into
 * p (button, 1-based column and row); false when what follows is no such report (what
 * was read of it is dropped). */
static bool read_sgr_report(long p[3], bool *press)
{
	int k = 0, digits = 0;

	p[0] = p[1] = p[2] = 0;
	timeout(50); /* the report comes in one piece: this only bounds a broken one */
	for (int n = 0; n < SGR_MOUSE_MAX; n++) {
		wint_t ch;
		if (get_wch(&ch) != OK)
			return false;
		if (ch >= '0' && ch <= '9' && digits < 6) {
			p[k] = p[k] * 10 + (long)(ch - '0');
			digits++;
		} else if (ch == ';' && k < 2 && digits) {
			k++;
			digits = 0;
		} else if ((ch == 'M' || ch == 'm') && k == 2 && digits) {
			*press = ch == 'M';
			return true;
		} else {
			return false;
		}
	}
	return false;
}

/* An SGR mouse report that curses left to us: a left press clicks, the wheel scrolls
 * (button 64 up, 65 down); releases, drags and other buttons do nothing. */
static void handle_sgr_mouse(struct app *a)
{
	long p[3];
	bool press;

	if (!read_sgr_report(p, &press) || !press || p[1] < 1 || p[2] < 1)
		return;
	int y = (int)p[2] - 1, x = (int)p[1] - 1;
	long button = p[0] & ~(long)(4 | 8 | 16); /* without Shift, Meta, Control */
	if (button == 0)
		app_click(a, y, x);
	else if (button == 64 || button == 65)
		app_wheel(a, y, x, button == 64 ? -3 : 3);
}

/* Switch the terminal to our mouse mode (see MOUSE_ON), once curses has written out
 * its own (mousemask and refresh flush what curses writes; putp goes through stdio). */
static void mouse_mode(void)
{
	putp(MOUSE_ON);
	fflush(stdout);
}

/* Turn the mouse on: curses's way for its decoding, then ours. */
static void mouse_on(void)
{
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
			  | BUTTON5_PRESSED
#endif
		  ,
		  NULL);
	mouse_mode();
}

/* One key from the terminal, handed to the app. */
static void handle_key(struct app *a, int ret, wint_t wch)
{
	if (ret == KEY_CODE_YES && wch == KEY_RESIZE) {
		app_resize(a, LINES, COLS);
		clear();
	} else if (ret == KEY_CODE_YES && wch == KEY_MOUSE) {
		handle_mouse(a);
	} else if (ret == KEY_CODE_YES && wch == KEY_SGR_MOUSE) {
		handle_sgr_mouse(a);
	} else {
		int key = translate_key(ret, wch);
		if (key == KEYC_CTRL_L)
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
	/* Work on another thread: look at it now and then while waiting for a key. */
	timeout(app_waiting(a) ? 100 : -1);
	errno = 0;
	int ret = get_wch(wch);
	if (ret == ERR && app_waiting(a) && !stop_signal) {
		*idle_work = app_idle(a);
		a->redraw = false;
		errno = EINTR;
	}
	return ret;
}

/* After a piped command: wait for a key (any), so that its output can be read, with
 * the terminal in non-canonical mode for that key; what else it sent is dropped. */
static void wait_for_key(const char *how)
{
	struct termios old, raw;
	char buf[64];
	ssize_t n;

	fputs("\n[", stdout);
	text_put_safe(stdout, how, strlen(how)); /* it names what was typed */
	/* TRANSLATORS: after "[" and the command that ran. */
	fputs(_("] Press any key to return to xinwen"), stdout);
	fflush(stdout);
	bool term = tcgetattr(STDIN_FILENO, &old) == 0;
	if (term) {
		raw = old;
		raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	while ((n = read(STDIN_FILENO, buf, sizeof buf)) < 0 && errno == EINTR)
		;
	if (term) {
		tcflush(STDIN_FILENO, TCIFLUSH); /* the rest of an escape sequence */
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
	}
	fputs("\n", stdout); /* the next command's output starts on a line of its own */
	fflush(stdout);
}

/* Carry out what the app asked for outside it: write the clipboard sequence, or run a
 * command with the terminal given back to it (curses suspended, SIGINT and SIGQUIT
 * ignored by the reader so that Ctrl-C stops only the command). */
static void run_request(struct app *a)
{
	struct spawn_result r;
	struct sigaction ign, old_int, old_quit;
	char how[sizeof a->message];

	if (a->run.kind == RUN_COPY) {
		fwrite(a->run.input.s, 1, a->run.input.n, stdout);
		fflush(stdout);
		app_run_done(a, NULL);
		return;
	}
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	/* Ignored before the terminal is given back: a Ctrl-C typed as it changes hands
	 * must not reach the reader's stop handler. */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	def_prog_mode();
	endwin();
	if (a->run.kind == RUN_BROWSER) /* the terminal's input: a text browser reads it */
		spawn_run(a->run.argv.v, NULL, 0, &r);
	else
		spawn_run(a->run.argv.v, a->run.input.s ? a->run.input.s : "", a->run.input.n, &r);
	if (a->run.kind == RUN_PIPE) {
		spawn_describe(&r, app_run_name(a), how, sizeof how);
		wait_for_key(how);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	mouse_mode(); /* curses turned its own mode on again */
	app_run_done(a, &r);
}

/* Draw the app as it is on the terminal. */
static void draw(const struct app *a, struct grid *g)
{
	render(a, g);
	paint(g);
}

/* The cursor keys in both of the forms a terminal sends: the application form that
 * terminfo names (ESC O A, once keypad mode is on) and the normal one (ESC [ A). A key
 * pressed while the mode is not (yet) on, as when the terminal comes back from a piped
 * command, would otherwise read as Esc, [ and a letter: Esc cancelling a prompt and D
 * opening another. */
static void define_cursor_keys(void)
{
	static const struct {
		char final;
		int key;
	} keys[] = {{'A', KEY_UP},   {'B', KEY_DOWN}, {'C', KEY_RIGHT},
		    {'D', KEY_LEFT}, {'H', KEY_HOME}, {'F', KEY_END}};
	char seq[4] = {0x1b, 0, 0, 0};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		for (const char *intro = "[O"; *intro; intro++) {
			seq[1] = *intro;
			seq[2] = keys[i].final;
			if (key_defined(seq) == 0)
				define_key(seq, keys[i].key);
		}
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
		fputs(_("xinwen: the reader needs a terminal; for scripts use --list, --dump or "
			"--check\n"),
		      stderr);
		return EXIT_TROUBLE;
	}
	if (!terminal_usable())
		return 1;
	catch_stop_signals();
	if (!initscr()) {
		fputs(_("xinwen: cannot initialise the terminal (is TERM set?)\n"), stderr);
		return EXIT_TROUBLE;
	}
	atexit(restore_terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (key_defined(SGR_MOUSE_START) == 0) /* else curses decodes SGR reports itself */
		define_key(SGR_MOUSE_START, KEY_SGR_MOUSE);
	define_cursor_keys();
	mouse_on();
	mouseinterval(0);
	init_styles();
	config_styles(a->opts.config);
	app_resize(a, LINES, COLS);

	bool idle_work = true;
	while (!a->quit && !stop_signal) {
		app_layout(a);
		draw(a, &g);
		/* Save changed marks, and the prompts' history, once the screen shows the
		 * change; show a failure. */
		if (!app_marks_save(a, NULL) || !app_prompts_save(a))
			draw(a, &g);
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
		if (a->run.kind != RUN_NONE)
			run_request(a);
		idle_work = true; /* the keys may have started work, e.g. a filter */
	}
	grid_free(&g);
	restore_terminal();
	return stop_signal ? 128 + stop_signal : 0;
}

/* Last in the file: term.h defines many short macros (lines, columns, ...). */
#include <term.h>

/* Say why, before curses says anything of its own or draws a garbled screen, when TERM
 * names no terminal this machine knows, or one that cannot move the cursor (dumb,
 * Emacs's M-x shell, a printing terminal). */
static bool terminal_usable(void)
{
	const char *term = getenv("TERM");
	int err = 0;

	if (!term || !*term) {
		fputs(_("xinwen: TERM is not set: the reader cannot tell how to draw on this "
			"terminal; for scripts use --list, --dump or --check\n"),
		      stderr);
		return false;
	}
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK) {
		/* TRANSLATORS: followed by the value of TERM, then the next message. */
		fputs(_("xinwen: unknown terminal type '"), stderr);
		text_put_safe(stderr, term, strlen(term));
		fputs(_("' (TERM): no terminfo entry for it; set TERM to one that is installed "
			"(for example xterm-256color), or install it (Debian: ncurses-term)\n"),
		      stderr);
		return false;
	}
	const char *cup = tigetstr("cup");
	bool dumb = !cup || cup == (const char *)-1 || tigetflag("hc") > 0;
	del_curterm(cur_term);
	if (dumb) {
		/* TRANSLATORS: followed by the value of TERM, then the next message. */
		fputs(_("xinwen: the terminal (TERM="), stderr);
		text_put_safe(stderr, term, strlen(term));
		fputs(_(") cannot move the cursor, and the reader draws a full screen; run it in a "
			"terminal emulator (in Emacs: M-x term), or for scripts use --list, --dump "
			"or --check\n"),
		      stderr);
		return false;
	}
	return true;
}
