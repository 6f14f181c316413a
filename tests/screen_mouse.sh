#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The mouse as vim and tmux take it: button-event tracking (1002), not
# any-motion (1003), with SGR encoding (1006), under xterm-256color and under
# tmux-256color (whose terminfo has curses use X10 encoding); a click past column 223
# selects the headline there, the wheel scrolls.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

XDG_CONFIG_HOME=$SCREEN_DIR/config
mkdir -p "$XDG_CONFIG_HOME/xinwen"
# A list 225 columns wide at 250: its rows reach past column 223.
printf 'set split-ratio = 90\n' > "$XDG_CONFIG_HOME/xinwen/config"

# sgr B X Y M|m: the SGR report of button B at 1-based column X, row Y, pressed (M) or
# released (m), as the terminal sends it.
sgr() {
	screen_keys -l $'\e'"[<$1;$2;$3$4"
}

modes='#{mouse_button_flag} #{mouse_sgr_flag} #{mouse_all_flag} #{mouse_standard_flag}'
for term in xterm-256color tmux-256color; do
	cmd=$(screen_command "$TOP_SRCDIR/data")
	cmd="XDG_CONFIG_HOME='$XDG_CONFIG_HOME' ${cmd/TERM=xterm-256color/TERM=$term}"
	rm -f "$SCREEN_STATUS"
	tm start-server \; set-option -g remain-on-exit on \; \
		new-session -d -s t -x 250 -y 30 "$cmd 2>'$SCREEN_STDERR'; echo \$? >'$SCREEN_STATUS'"
	screen_wait_for '^ Article 1/25' "the reader under $term"
	screen_wait_format "$modes" "1 1 0 0" "button-event tracking with SGR under $term"
	# A click (press, then release) at column 225 on the fourth row of the list.
	sgr 0 225 4 M
	sgr 0 225 4 m
	screen_wait_for '^ Article 4/25' "the fourth headline after a click at column 225 under $term"
	# Dragging and releasing elsewhere do nothing; a click on row 2 selects it.
	sgr 32 225 9 M
	sgr 0 225 9 m
	sgr 0 10 2 M
	screen_wait_for '^ Article 2/25' "the second headline after a click on row 2 under $term"
	# The wheel down over the list moves the selection three rows.
	sgr 65 100 5 M
	screen_wait_for '^ Article 5/25' "three rows down after the wheel under $term"
	# Keys still work after the reports (a click opened the headline: q leaves the pane).
	screen_keys q j
	screen_wait_for '^ Article 6/25' "j after the mouse under $term"
	screen_keys q
	screen_wait_exit 0
	screen_kill
done
echo "PASS: screen_mouse"
