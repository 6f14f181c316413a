#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# y inside tmux: a plain OSC 52 (no passthrough wrapping, which tmux 3.3 drops by
# default) that tmux takes itself when set-clipboard is on, and a status line that says
# the copy depends on it.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

title='四川新聞丨做實社會治理 閬中下足繡花功夫'
XDG_CONFIG_HOME=$SCREEN_DIR/xdg
export XDG_CONFIG_HOME
mkdir -p "$XDG_CONFIG_HOME/xinwen"
printf 'set osc52 = yes\n' > "$XDG_CONFIG_HOME/xinwen/config"

screen_start 120 30 "$TOP_SRCDIR/data"
tm set-option -g set-clipboard on
screen_wait_for "│ $title" "the seed"
screen_keys y
screen_wait_for "copied only if tmux's set-clipboard is on" "the status line saying the copy depends on tmux"
deadline=$((SECONDS + SCREEN_TIMEOUT))
until [ "$(tm show-buffer 2>/dev/null)" = "$title" ]; do
	[ $SECONDS -le $deadline ] || screen_failed "tmux's buffer is '$(tm show-buffer 2>&1)', not the headline"
	sleep "$SCREEN_POLL"
done
screen_keys q
screen_wait_exit 0
echo "PASS: screen_osc52.sh"
