#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Read marks and bookmarks in a real terminal: every headline starts unread (bold, and
# counted on the status line); opening the seed reads it and * bookmarks it; after a
# restart both are still there (from the state file in the test's XDG_STATE_HOME), and
# ' shows only the bookmark.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

title='四川新聞丨做實社會治理 閬中下足繡花功夫'
state=$XDG_STATE_HOME/xinwen/state

# list_line_styled N: line N of the list (left of the separator) with its attributes
# as escape sequences.
list_line_styled() {
	local line
	line=$(tm capture-pane -e -p -t t | sed -n "${1}p")
	printf '%s\n' "${line%%│*}"
}

screen_start 120 40 "$TOP_SRCDIR/data"
screen_wait_for "│ $title" "the seed in the pane"
screen_wait_for '^ Article 1/25 · 5 unread' "5 unread on the status line (the 20 excerpts are not articles)"
# The second headline is not selected: only its unread title is bold.
list_line_styled 2 | grep -q $'\e\\[1m[^\e]' || screen_failed "the unread headline on line 2 is not bold"

screen_keys Enter
screen_wait_for '^ Article 1/25 · 4 unread' "4 unread after opening the seed"
screen_keys q '*' j
screen_wait_for '^\*' "the bookmark star before the seed's headline"
screen_wait_for '^ Article 2/25 · 4 unread' "the second headline selected"
list_line_styled 1 | grep -q $'\e\\[1m' && screen_failed "the read seed's headline is still bold"
screen_keys q
screen_wait_exit 0
grep -q '^xinwen-state 1$' "$state" || screen_failed "no state file at $state"
screen_stop

screen_start 120 40 "$TOP_SRCDIR/data"
screen_wait_for '^ Article 1/25 · 4 unread' "the seed still read after a restart"
screen_wait_for "^\*.*$title" "the seed still bookmarked after a restart"
screen_keys "'"
screen_wait_for '^ Bookmarks: 1 of 25 · Article 1/1 ' "only the bookmark after '"
screen_wait_gone '閬中播報丨0312' "a headline without a bookmark"
screen_keys "'"
screen_wait_for '閬中播報丨0312' "every headline after ' again"
# u makes the seed unread again, and that is saved too.
screen_keys u
screen_wait_for '^ Article 1/25 · 5 unread' "5 unread after u"
screen_keys q
screen_wait_exit 0
grep -q ' 0 [0-9]* 1 [0-9]*$' "$state" || screen_failed "the state file does not hold the seed as unread and bookmarked: $(cat "$state")"
screen_stop

# A corrupt state file: reported on the status line, set aside, the reader goes on.
printf 'xinwen-state 1\ngarbage\nend 0\n' >"$state"
screen_start 120 40 "$TOP_SRCDIR/data"
screen_wait_for 'state:2: not a record' "the corrupt line reported on the status line"
screen_wait_for '^ Article 1/25 · 5 unread' "every headline unread again"
grep -q '^garbage$' "$state".corrupt-* 2>/dev/null || screen_failed "the corrupt file was not set aside"
screen_keys Enter q q
screen_wait_exit 0
grep -q '^end 1$' "$state" || screen_failed "no new state file after the corrupt one: $(cat "$state")"
echo "PASS: screen_state"
