#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The story map and the history in a real terminal: open the seed, m shows its map,
# move in it, Enter jumps to an excerpt (the pane shows it, the trail heads the pane),
# H lists both places, Enter there goes back.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

title='四川新聞丨做實社會治理 閬中下足繡花功夫'
first='長沙:下足「繡花」功夫,加速推進扶貧領域集中治理'
second='交通管理精細化,宣城公安下足「繡花功夫」!'

screen_start 120 40 "$TOP_SRCDIR/data"
screen_wait_for "│ $title" "the seed at the top of the pane"
screen_keys Enter G
# Similar stories are computed while idle; once the pane lists them, so does the map.
screen_wait_for '│ Similar stories$' "the similar stories at the end of the pane"
screen_keys g
screen_wait_for "│ $title" "the seed's title again after g"
screen_keys m
screen_wait_for '^ Story map: 1/[0-9]* ' "the map's position on the status line"
screen_assert_line 1 "│ 2020-11-21 $title\$"
screen_assert_line 2 '│ ├─ Cites (20)$'
screen_assert_line 3 "│ │  ├─ excerpt    $first\$"
screen_assert_line 4 '│ │  │  ├─ Cited by (1)$'
screen_assert_line 5 "│ │  │  │  └─ 2020-11-21 $title ↺\$"
screen_assert_line 6 '│ │  │  └─ Similar (3)$'
screen_assert_line 7 '│ │  │     ├─ excerpt    下足「繡花功夫」,做活「精」字文章 (below)$'
screen_keys G
screen_wait_for '│ └─ Similar (10)$' "the seed's own similar stories, the map's last group (G)"
screen_keys g
screen_wait_for '^ Story map: 1/' "the map's first row again after g"

screen_keys j
screen_wait_for '^ Story map: 2/' "the first story selected after j"
screen_keys j j
screen_wait_for '^ Story map: 4/' "a similar story of the first after j j (past the seed ↺)"
screen_keys k k
screen_wait_for '^ Story map: 2/' "back on the first story after k k"
screen_keys Enter
screen_wait_for '│ Excerpt: only this headline' "the excerpt in the pane after Enter"
screen_wait_gone 'Story map' "the map after the jump"
screen_assert_line 1 "│ 四川新聞丨做實社會治理… › 長沙:下足「繡花」功夫,…\$"
screen_assert_line 2 "│ $first"

screen_keys H
screen_wait_for '^ History: 2/2' "the history list after H"
screen_assert_line 2 "│   2020-11-21 $title\$"
screen_assert_line 3 "│ > excerpt    $first (current)\$"
screen_keys k Enter
screen_wait_for '^ Article 1/25' "the seed again after Enter on it in the history"
screen_assert_line 2 "│ $title"

screen_keys q q
screen_wait_exit 0
echo "PASS: screen_map"
