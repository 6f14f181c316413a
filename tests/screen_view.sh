#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The view keys in a real terminal: t shows the seed in Simplified and back; | pipes the
# article to a command typed with spaces and quotes (tests/record-args, which writes
# its argv and standard input down) and to wc -c; s sorts.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

title='四川新聞丨做實社會治理 閬中下足繡花功夫'
simplified='四川新闻丨做实社会治理 阆中下足绣花功夫'
id=000_bc5b92f142057c5b
out="$SCREEN_DIR/out dir"
mkdir -p "$out"

screen_start 120 40 "$TOP_SRCDIR/data"
screen_wait_for "│ $title" "the seed at the top of the pane"

if "$XINWEN" --version | grep -q '^Features:.* +opencc'; then
	screen_keys t
	screen_wait_for "│ $simplified" "the pane in Simplified"
	screen_wait_for "^ 2020-11-21  四川新闻丨做实社会治理" "the list in Simplified"
	screen_wait_for '\[Simplified\]  Text in Simplified' "the form on the status line"
	screen_keys t
	screen_wait_for '\[Traditional\]' "Traditional after a second t"
	screen_wait_for "│ $title" "the seed in Traditional"
	screen_keys t
	screen_wait_for 'Text as written' "the text as written after a third t"
else
	echo "NOTE: built without OpenCC: t is not tested"
fi

# The terminal's modes: alternate screen, keypad, mouse, cursor. The command gets the
# terminal as the shell left it; the reader's modes come back after it.
modes='#{alternate_on} #{keypad_flag} #{mouse_standard_flag} #{mouse_any_flag} #{cursor_flag}'
reader_modes=$(screen_format "$modes")
[ "${reader_modes%% *}" = 1 ] || screen_failed "the reader is not on the alternate screen: $reader_modes"

# The command line is typed by the user; the article only goes to standard input.
screen_keys '|'
screen_wait_for '^|' "the pipe prompt"
screen_keys -l "sh '$TOP_SRCDIR/tests/record-args' '$out' \"two words\" it\\'s '\"q\"'"
screen_keys Enter
# The line after the command is long (the paths): look at it with its wrapped rows joined.
deadline=$((SECONDS + SCREEN_TIMEOUT))
until tm capture-pane -p -J -t t | grep -q "^\[sh '.*record-args.*: exit 0\] Press any key to return"; do
	[ $SECONDS -le $deadline ] || screen_failed "the command's end, named as typed, waiting for a key"
	sleep "$SCREEN_POLL"
done
screen_wait_format "$modes" "0 0 0 0 1" "the terminal's modes while the command runs"
screen_keys Enter
screen_wait_for "^ Article .*  sh '.*record-args" "the command as typed on the status line"
screen_wait_format "$modes" "$reader_modes" "the reader's terminal modes after the command"
printf '[two words]\n[it'"'"'s]\n["q"]\n' | cmp -s - "$out/argv" ||
	screen_failed "the command got the argv $(cat "$out/argv")"
"$XINWEN" --dump "$id" --width 120 "$TOP_SRCDIR/data" | cmp -s - "$out/stdin" ||
	screen_failed "the command's standard input is not --dump's output"

screen_keys '|' w c ' ' - c Enter # through sh -c
want=$("$XINWEN" --dump "$id" --width 120 "$TOP_SRCDIR/data" | wc -c)
screen_wait_for "^ *$want\$" "wc -c's count of the --dump text ($want)"
screen_wait_for 'wc -c: exit 0\] Press any key' "wc's exit status, waiting for a key"
screen_keys Enter
# On the status line (not the command's screen, which says it too) before typing on:
# keys that arrive with the Enter are dropped with the rest of what the command left.
screen_wait_for "^ Article .*wc -c: exit 0" "wc's exit status on the status line"

screen_keys '|' n o - s u c h - c o m m a n d Enter
screen_wait_for 'no-such-command: exit 127\] Press any key' "a missing command (sh says why)"
screen_keys Enter
screen_wait_for "^ Article .*no-such-command: exit 127" "the missing command on the status line"

# Ctrl-C while a command runs stops the command, not the reader.
screen_keys '|'
screen_keys -l 'sleep 30'
screen_keys Enter
# Ctrl-C only once the command runs: typed before, it is a key the reader reads (or a
# byte left in the terminal's queue), not a signal to the command.
screen_wait_format "$modes" "0 0 0 0 1" "the terminal's modes while sleep runs"
deadline=$((SECONDS + SCREEN_TIMEOUT))
until for f in /proc/[0-9]*/cmdline; do tr '\0' ' ' <"$f" 2>/dev/null; echo; done |
	grep -Eq '^(sh -c )?sleep 30 $'; do
	[ $SECONDS -le $deadline ] || screen_failed "the command sleep 30 never started"
	sleep "$SCREEN_POLL"
done
screen_keys C-c
screen_wait_for 'sleep 30: killed by signal 2 (Interrupt)\] Press any key' "the command interrupted"
screen_keys Enter
screen_wait_for "^ Article .*sleep 30: killed by signal 2" "the reader back after Ctrl-C"

screen_keys s
screen_wait_for 'sort: title  Sorted by title' "the sort on the status line"

screen_keys q
screen_wait_exit 0
echo "PASS: screen_view"
