#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The reader as newsboat, mutt and less users expect it, in a real
# terminal: | through sh -c (pipes and ~ work; any key returns), the prompt's line
# editor with its cursor and its history kept across a restart, w saving with Tab,
# one unread article for the seed (excerpts are not), . opening it, U, A with its
# question, Ctrl-D, counts, N Enter, and unbound keys said on the status line.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

title='四川新聞丨做實社會治理 閬中下足繡花功夫'
# The seed alone (the bundled collection's demonstration articles would be unread too).
seed_only=$SCREEN_DIR/seed
mkdir -p "$seed_only"
cp "$TOP_SRCDIR/data/000_bc5b92f142057c5b.txt" "$seed_only/"
# ~ in commands and in the save prompt is this test's own directory.
HOME=$SCREEN_DIR/home
mkdir -p "$HOME"
export HOME

screen_start 120 40 "$seed_only"
screen_wait_for "│ $title" "the seed in the pane"
screen_wait_for '^ Article 1/21 · 1 unread' "one unread article: the excerpts are not counted"

# A key bound to nothing says so, naming the help key.
screen_keys x
screen_wait_for 'x is not bound; i for help' "the unbound key on the status line"

# | goes through sh -c: a pipeline, then ~; any key (not only Enter) comes back.
screen_keys '|'
screen_keys -l 'grep 社區 | wc -l'
screen_keys Enter
screen_wait_for '^9$' "the count of lines with 社區 from the pipeline"
screen_wait_for 'Press any key to return to xinwen' "the prompt to come back"
screen_keys z
# Back in the reader (the command's screen, which names the status too, gone) before
# typing on: keys sent with the one that ends it are dropped with what the command left.
screen_wait_gone 'Press any key' "the command's screen after z"
screen_wait_for 'grep 社區 | wc -l: exit 0' "back in the reader after z, the command's status shown"
screen_keys '|'
screen_keys -l 'tee ~/a.txt >/dev/null'
screen_keys Enter
screen_wait_for 'Press any key' "tee done"
screen_keys Space
screen_wait_gone 'Press any key' "the command's screen after Space"
screen_wait_for 'tee ~/a.txt >/dev/null: exit 0' "back after Space"
grep -q "^$title" "$HOME/a.txt" || screen_failed "tee did not write ~/a.txt"

# The line editor: Left, Ctrl-A, typing in the middle; the cursor by columns.
screen_keys /
screen_keys -l '社區'
screen_keys Left Left C-a x
screen_wait_for '^/x社區' "x typed at the start of the line"
[ "$(screen_format '#{cursor_x}')" = 2 ] || screen_failed "the cursor is not after x: $(screen_format '#{cursor_x}')"
screen_keys C-e
screen_wait_format '#{cursor_x}' 6 "the cursor after two wide characters"
screen_keys BSpace C-w
screen_wait_for '^/$' "the line erased by Backspace and Ctrl-W"
# A cursor key in the form a terminal sends outside keypad mode (ESC [ D, as when the
# terminal is just back from a piped command) is the same key, not Esc, [ and D.
screen_keys -l '社區'
screen_keys -l "$(printf '\033[D')"
screen_keys x
screen_wait_for '^/社x區' "x typed after ESC [ D (Left in the normal form)"
screen_keys C-u C-e C-u
screen_wait_for '^/$' "the line erased by Ctrl-U"
screen_keys -l '閬中'
screen_keys Enter Escape
# | has its own history; / brings back 閬中.
screen_keys /
screen_keys Up
screen_wait_for '^/閬中' "Up brings back the last search"
screen_keys Escape

# w saves the article as --dump prints it; Tab completes the name.
screen_keys w
screen_keys -l '~/sav'
screen_keys Enter
screen_wait_for 'Saved to ' "the article saved"
screen_keys w
screen_keys -l '~/a.t'
screen_keys Tab
screen_wait_for '^Save to: ~/a.txt' "Tab completed the name"
screen_keys Enter
screen_wait_for 'a.txt exists: replace it? (y/n)' "asked before replacing"
screen_keys n
screen_wait_for 'Cancelled' "not replaced after n"
head -1 "$HOME/sav" | grep -q "^$title" || screen_failed "the saved file does not start with the title"

# . opens the next unread article: the seed; then none is left.
screen_keys .
screen_wait_for '^ Article 1/21 · 0 unread' "the seed read after ."
screen_wait_for 'Tab:link' "the pane focused"
screen_keys q U
screen_wait_for 'No unread articles' "U with nothing unread"
screen_keys u A
screen_wait_for 'Mark all 1 article read? (y/n)$' "A asks first"
screen_keys y
screen_wait_for 'Marked 1 article read' "marked after y"

# Counts and N Enter: 1 2 Enter follows related story 12.
screen_keys Enter 1 2
screen_wait_for '12: Enter follows story 12' "the number typed, on the status line"
screen_keys Enter
screen_wait_for '│ 鄭州航空港實驗區:下足「繡花」功夫 決勝脫貧攻堅' "related story 12 opened"
screen_keys h
screen_wait_for "│ $title" "back to the seed"
screen_keys C-d
screen_wait_for '^ Article 1/21 · 0 unread  [0-9]*%' "Ctrl-D scrolled the pane"
screen_keys q q
screen_wait_exit 0
grep -q '^search 閬中$' "$XDG_STATE_HOME/xinwen/history" || screen_failed "no search in the history file"
grep -q '^pipe grep 社區 | wc -l$' "$XDG_STATE_HOME/xinwen/history" || screen_failed "no command in the history file"
screen_stop

# After a restart the history is still there.
screen_start 120 40 "$seed_only"
screen_wait_for "│ $title" "the seed again"
screen_keys '|' Up
screen_wait_for '^|tee ~/a.txt >/dev/null' "the last command, from the history file"
screen_keys Up
screen_wait_for '^|grep 社區 | wc -l' "the one before"
screen_keys Escape Q
screen_wait_exit 0
screen_stop

# O opens the article's URL with $BROWSER (no shell; the URL as its last word); L lists
# it with the URLs of the text; R takes a new file in, keeping the place.
coll=$SCREEN_DIR/coll
mkdir -p "$coll"
printf '有網址的新聞\n\n2021-03-01 來源\nURL: https://news.example.cn/a/1.html\n\n見http://b.example/x。\n' >"$coll/a.txt"
printf '舊聞\n\n2021-02-01 來源\n\n舊。\n' >"$coll/b.txt"
cat >"$SCREEN_DIR/browser" <<END
#!/bin/sh
printf '[%s]\n' "\$@" >"$SCREEN_DIR/browser.argv"
END
chmod +x "$SCREEN_DIR/browser"
BROWSER="$SCREEN_DIR/browser --new-tab"
export BROWSER
screen_start 120 30 "$coll"
screen_wait_for '│ URL: https://news.example.cn/a/1.html' "the article's URL under its date"
screen_keys O
screen_wait_for 'browser: exit 0' "the browser's end on the status line"
printf '[--new-tab]\n[https://news.example.cn/a/1.html]\n' | cmp -s - "$SCREEN_DIR/browser.argv" ||
	screen_failed "the browser got $(cat "$SCREEN_DIR/browser.argv")"
screen_keys L
screen_wait_for '│ \[2\] http://b.example/x$' "the URL of the text in the URL view"
screen_keys j Enter
screen_wait_for 'browser: exit 0' "the second URL opened"
grep -q '^\[http://b.example/x\]$' "$SCREEN_DIR/browser.argv" || screen_failed "the browser got $(cat "$SCREEN_DIR/browser.argv")"
screen_keys q
screen_wait_gone 'URLs of this article' "the URL view closed"
screen_keys j
screen_wait_for '^ Article 2/2' "the second article selected"
printf '最新的\n\n2021-04-01 來源\n\n新。\n' >"$coll/c.txt"
screen_keys R
screen_wait_for '3 articles now (+1)' "the new file taken in by R"
screen_wait_for '^ Article 3/3' "still on the same article, now third"
screen_keys Q
screen_wait_exit 0
