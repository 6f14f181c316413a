#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Search in a real terminal: filter the bundled collection as you type, then find in the
# seed article with a Simplified query and check which cells are highlighted.
set -u
"${XINWEN:?}" --version | grep -q '^Features:.* +opencc' ||
	{ echo "SKIP: built without OpenCC (Traditional/Simplified matching)"; exit 77; }
. "$TOP_SRCDIR/tests/screen-lib.sh"

title='四川新聞丨做實社會治理 閬中下足繡花功夫'

screen_start 120 40 "$TOP_SRCDIR/data"
screen_wait_for "│ $title" "the seed at the top of the pane"

screen_keys / 繡 花 功 夫
screen_wait_for '^/繡花功夫  [0-9][0-9]* of 25' "the prompt with the live count"
screen_keys Enter
screen_wait_for '^ Filter: \([0-9][0-9]*\) of 25 · Article 1/\1 ' "the filter on the status line"
screen_wait_gone '閬中播報丨0312' "an article without the words, filtered out"
screen_keys Escape
screen_wait_for 'Showing all 25 articles' "the whole list after Esc"
screen_wait_for '閬中播報丨0312' "the article without the words, back"

# In the pane, the Simplified 阆中 finds the Traditional 閬中.
screen_keys Enter / 阆 中 Enter
screen_wait_for 'match 1/[0-9]' "the first match on the status line"
colours=$(tm capture-pane -e -p -t t)
# The current match is drawn black on green, the others black on yellow (tui.c).
printf '%s\n' "$colours" | grep -q $'\e\\[42m閬中' || screen_failed "the current match is not highlighted"
printf '%s\n' "$colours" | grep -q $'\e\\[43m閬中' || screen_failed "the other matches are not highlighted"
screen_keys n
screen_wait_for 'match 2/[0-9]' "the second match after n"

screen_keys q q
screen_wait_exit 0
echo "PASS: screen_search"
