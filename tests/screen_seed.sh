#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The seed article in a real terminal: open it, follow related link 3, go back and
# forward, resize small and large, quit.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

title='四川新聞丨做實社會治理 閬中下足繡花功夫'
third='港北區:下足「繡花」功夫 打贏脫貧硬仗'

screen_start 120 40 "$TOP_SRCDIR/data"
screen_wait_for "│ $title" "the seed's title at the top of the pane"
screen_wait_for 'Article 1/25' "the position on the status line"
screen_assert_line 2 '│ 2020-11-21 · 四川觀察'

screen_keys '?'
screen_wait_for 'Type N, then Enter: follow story N' "the help screen from the keymap"
screen_keys q
screen_wait_gone 'Follow story N directly (related, then similar)' "the help screen after q"
screen_wait_for "│ $title"

screen_keys Enter
screen_wait_for 'Tab:link' "the pane's key hints after Enter"
screen_keys f
screen_wait_for "^$title" "the article full screen after f"
screen_wait_gone '│' "the list beside the pane in full-screen mode"
screen_keys f
screen_wait_for "│ $title" "the list and pane again after f"

screen_keys 3
screen_wait_for '3: Enter follows story 3' "the number typed on the status line"
screen_keys Enter
screen_wait_for "│ $third" "related story 3 after pressing 3 Enter"
screen_wait_for '│ Excerpt: only this headline' "the excerpt marker"
screen_wait_for 'Cited by' "the backlinks heading"
screen_wait_for "<- $title" "the backlink to the seed"

screen_keys BSpace
screen_wait_for "│ $title" "the seed again after Backspace"
screen_wait_for 'Article 1/25'

screen_keys l
screen_wait_for "│ $third" "related story 3 again after l (forward)"

screen_resize 20 5
screen_wait_for '^ Article [0-9]*/25' "the status line at 20x5"
screen_wait_gone '│' "the side-by-side separator at 20x5"
[ "$(screen_capture | wc -l)" -eq 5 ] || screen_failed "expected 5 rows"

screen_resize 1 1
screen_resize 200 60
screen_wait_for "│ $third" "the pane beside the list at 200x60"
screen_assert_line 60 'Article [0-9]*/25'

screen_keys q
screen_wait_for 'Enter:open' "the list's key hints after q"
screen_keys q
screen_wait_exit 0

# The demonstration articles (data/README) are full stories that cite each other and the
# seed: from the second headline, on the first run, the story map, the links and the
# articles that cite one lead from full story to full story, and back to the seed.
screen_stop
screen_start 120 40 "$TOP_SRCDIR/data"
screen_wait_for "│ $title"
screen_keys j
screen_wait_for "│ 桐溪鎮議事會開到樓道口 舊車棚換來三十個車位" "the first demonstration article second"
# Its story map: what it cites are full stories (dated), the seed among them.
screen_keys Enter m
screen_wait_for '^ Story map: 1/' "demo-council's story map"
screen_wait_for "│ │  ├─ 2020-11-21 $title\$" "the seed, full, in demo-council's map"
screen_wait_for "│ │  ├─ 2020-11-19 桐溪鎮早市掛上評分板 攤商輪流值日掃街\$" "demo-market, full, in the map"
screen_keys q
screen_wait_gone 'Story map' "the map after q"
screen_keys 2 Enter
screen_wait_for "│ 桐溪鎮早市掛上評分板 攤商輪流值日掃街" "demo-market after following link 2"
screen_wait_for "│ 2020-11-19 · xinwen 示範文章" "its date and source line"
screen_wait_gone "Excerpt: only this headline" "an excerpt marker on a demonstration article"
# At its end, the articles that cite it: two demonstration articles.
screen_keys G
screen_wait_for "│   <- 桐溪鎮議事會開到樓道口 舊車棚換來三十個車位\$" "demo-council citing demo-market"
screen_wait_for "│   <- 桐溪鎮小巴新線試營運 串起老街、早市與衛生所\$" "demo-bus citing demo-market"
screen_keys 2 Enter
screen_wait_for "│ 桐溪鎮小巴新線試營運 串起老街、早市與衛生所" "demo-bus after following its link 2"
screen_keys 3 Enter
screen_wait_for "│ $title" "the seed, full, after following demo-bus's link 3"
screen_wait_for "│ 2020-11-21 · 四川觀察" "the seed's date and source line"
screen_keys q q
screen_wait_exit 0
echo "PASS: screen_seed"
