#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The config file in a real terminal ($XDG_CONFIG_HOME in a scratch directory): a
# rebound key works and the ? screen shows it, the layout follows the settings, and a
# bad line is reported on the status line while the rest still applies.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

title='四川新聞丨做實社會治理 閬中下足繡花功夫'
XDG_CONFIG_HOME=$SCREEN_DIR/xdg
export XDG_CONFIG_HOME
mkdir -p "$XDG_CONFIG_HOME/xinwen"
cat > "$XDG_CONFIG_HOME/xinwen/config" <<'CONFIG'
# The help key moves from ? to x; Space opens in the list; the list goes on top.
bind x help
unbind list ?
bind list Space open
set split = horizontal
set split-ratio = 25
set sort = title
set osc52 = yes
color list-selected black cyan
color status yellow blue bold
CONFIG

screen_start 120 40 "$TOP_SRCDIR/data"
screen_wait_for "^─────" "the line under the list (split = horizontal)"
screen_wait_gone "│ $title" "the pane beside the list"
screen_wait_for 'Article [0-9]*/25 · 5 unread .* sort: title' \
	"the status line: sorted by title (sort = title), no problem to report"
# 25% of the 38 rows above the status and the line: 9 list rows, the line on row 10.
screen_assert_line 10 '^─────'
# The configured colours: black on cyan for the selected headline, bold yellow on blue
# for the status line (tmux writes the attributes it sees as SGR sequences).
colours=$(tm capture-pane -e -p -t t)
printf '%s\n' "$colours" | head -1 | grep -q $'\e\\[30m\e\\[46m' ||
	screen_failed "the selected headline is not black on cyan: $(printf '%s\n' "$colours" | head -1 | od -c | head -3)"
printf '%s\n' "$colours" | tail -1 | grep -q $'\e\\[1m\e\\[33m\e\\[44m Article' ||
	screen_failed "the status line is not bold yellow on blue: $(printf '%s\n' "$colours" | tail -1 | od -c | head -3)"

screen_keys '?'
sleep 0.2 # nothing may appear: give a wrong reaction the time to show
screen_capture | grep -q 'Show or leave this help' && screen_failed "? still opens the help"
screen_keys x
screen_wait_for '^  i, F1, x  *Show or leave this help' "the ? screen listing x for help"
screen_wait_for '^  Enter, Space (list)  *Open the headline' "the ? screen listing Space (list)"
screen_wait_for '^  Space (pane), PgDn, Ctrl-F  *Page down' "the ? screen listing Space (pane)"
screen_keys x
screen_wait_gone 'Show or leave this help' "the help screen after x again"

screen_keys y
screen_wait_for 'Headline sent (OSC 52): copied only if tmux' "y copying the headline (osc52 = yes; inside tmux)"
screen_keys Space
screen_wait_for 'Tab:link' "the pane focused after Space in the list"
screen_keys q q
screen_wait_exit 0
screen_stop

# A bad line: the first problem and the count on the status line; the rest applies.
printf 'set split = sideways\nbind x help\nfrobnicate\n' > "$XDG_CONFIG_HOME/xinwen/config"
screen_start 120 40 "$TOP_SRCDIR/data"
screen_wait_for "2 config problems (xinwen --check-config): config:1: bad value 'sideways' for split" \
	"the count and the first problem on the status line"
screen_wait_for "│ $title" "the default split (auto: side by side at 120 columns)"
screen_keys x
screen_wait_for 'Show or leave this help' "the help screen on x, bound by a good line"
screen_keys q q
screen_wait_exit 0
echo "PASS: screen_config"
