#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# xinwen - in a real terminal: the collection comes through a pipe (gzip | zcat), the
# keys from the terminal (/dev/tty), as with less.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

title='四川新聞丨做實社會治理 閬中下足繡花功夫'
cmd="gzip -c '$TOP_SRCDIR/data/000_bc5b92f142057c5b.txt' | zcat | $(screen_command -)"
cmd="$cmd 2>'$SCREEN_STDERR'; echo \$? >'$SCREEN_STATUS.tmp'; mv '$SCREEN_STATUS.tmp' '$SCREEN_STATUS'"
tm start-server \; set-option -g remain-on-exit on \; new-session -d -s t -x 100 -y 30 "$cmd"
screen_wait_for "│ $title" "the article read from the pipe"
screen_wait_for "Article 1/21" "the status line"
screen_keys j
screen_wait_for "Article 2/21" "the second headline, after a key read from the terminal"
screen_keys q
screen_wait_exit 0
echo "PASS: screen_stdin.sh"
