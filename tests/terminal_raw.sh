#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Nothing reaches the terminal raw (SECURITY.md): run the real xinwen in a real terminal
# (tmux on a private socket) over articles full of escape sequences, C1 and bidi
# controls, capture every byte it writes (pipe-pane), and check the bytes with
# tests/rawcheck: only ncurses' own sequences for xinwen's screen, no OSC/DCS/APC, no
# content CSI, no C1, no bidi. Then check that the pane title did not change and that
# the terminal is restored (normal screen, cursor visible, mouse and keypad modes off)
# after q, and after SIGTERM, SIGINT and SIGHUP (exit status 128 + the signal).
#
# The articles: a small set made here (three full articles in a related-link cycle,
# a self-link, an excerpt), and the hostile corpus when tests/hostile-corpus.sh exists.
set -u
[ -n "${XINWEN_CHECK_SLOW:-}" ] || { echo "slow: make check-slow runs it"; exit 77; }
. "$TOP_SRCDIR/tests/screen-lib.sh"

# The hostile corpus has a mode-000 directory: make it removable again on the way out.
trap 'chmod -R u+rwx "$SCREEN_DIR" 2>/dev/null; screen_cleanup' EXIT

RAWCHECK=${RAWCHECK:-${XINWEN%/src/xinwen*}/tests/rawcheck}
[ -x "$RAWCHECK" ] || { echo "FAIL: no rawcheck program at $RAWCHECK"; exit 1; }
SCREEN_POLL=0.01

# On any failure, also show what rawcheck finds in the capture so far.
eval "lib_$(declare -f screen_failed)"
screen_failed() {
	if [ -s "${SCREEN_RAW:-}" ]; then
		echo "---- rawcheck on the capture so far ----"
		"$RAWCHECK" "$SCREEN_RAW" | tail -n 25
	fi
	lib_screen_failed "$@"
}

# How many articles of a corpus are walked through key by key (the rest are still
# drawn in the list), and how many pages of one article are turned with Space.
MAX_ARTICLES=${MAX_ARTICLES:-1000000}
MAX_PAGES=${MAX_PAGES:-25}
HELP_STATUS='^ Help: ' # the status line while the help is shown

# make_corpus DIR: three articles with payloads in every field, in a link cycle.
make_corpus() {
	local dir=$1
	local E=$'\033' BEL=$'\a' ST=$'\033\\'
	# Each payload is one the terminal would obey; PWNED marks content. rawcheck
	# rejects every one of them if it reaches the terminal as is.
	local osc_title="${E}]0;PWNED-TITLE${BEL}" osc_title2="${E}]2;PWNED-TITLE2${ST}"
	local osc_clip="${E}]52;c;UFdORUQ=${BEL}"
	local osc_link="${E}]8;;http://pwned.example/${ST}PWNED-LINK${E}]8;;${ST}"
	local csi_red="${E}[31mPWNED-RED" csi_blink="${E}[5;41mPWNED-BLINK"
	local csi_clear="${E}[2JPWNED-CLEAR${E}[3J" csi_query="${E}[cPWNED-DA${E}[6n${E}[21t"
	local dcs="${E}P\$qmPWNED-DCS${ST}" apc="${E}_PWNED-APC${ST}${E}^PWNED-PM${ST}"
	local ris="${E}cPWNED-RIS" title_push="${E}[22;0tPWNED-PUSH"
	local c1=$'\xc2\x9b31mPWNED-C1CSI \xc2\x9d0;PWNED-C1OSC\xc2\x9c \x9b32mPWNED-8BIT \x9d2;x\x07'
	local bidi=$'RLO\xe2\x80\xaeevil LRI\xe2\x81\xa6x\xe2\x81\xa9 ALM\xd8\x9c RLM\xe2\x80\x8f'
	local ctl=$'SAFE\rEVIL ab\b\bXY BEL\a SO\x0eSI\x0f DEL\x7f'
	local zalgo=Z$(printf '\xcc\x81\xcc\x82\xcc\x83\xcc\x84\xcc\x85\xcc\x86\xcc\x87\xcc\x88%.0s' 1 2 3 4 5)
	local all="$osc_title $osc_title2 $osc_clip $osc_link $csi_red $csi_blink $csi_clear"
	all="$all $csi_query $dcs $apc $ris $title_push $c1 $bidi $ctl $zalgo"
	local alpha="Alpha $osc_title $zalgo $bidi" beta="Beta $osc_link $csi_red"
	local gamma="Gamma $dcs $c1" missing="Missing story $csi_clear $osc_clip"
	local i
	{
		printf '%s\n\n%s\n\n' "$alpha" "2021-03-03 Source $osc_title2 $bidi"
		printf '%s\n\n' "First: $all"
		for i in $(seq 1 60); do
			printf 'Filler paragraph %d, long enough to wrap at narrow widths: %s\n\n' \
				"$i" "the quick brown fox jumps over the lazy dog $csi_blink"
		done
		printf '%s\n\n相關焦點\n\n' "Last: $all"
		printf '  • %s\n    %s\n' "$beta" "snippet $all" "$gamma" "snippet $osc_title" \
			"$alpha" "self-link $osc_clip" "$missing" "snippet of an excerpt $all"
	} >"$dir/alpha.txt"
	{
		printf '%s\n\n%s\n\n' "$beta" "2021-03-02 $dcs$bidi"
		printf '%s\n\n' "Body: $all"
		printf '相關焦點\n\n'
		printf '  • %s\n    %s\n' "$gamma" "to gamma $csi_query" "$alpha" "back to alpha $ctl"
	} >"$dir/beta.txt"
	{
		printf '%s\n\n%s\n\n' "$gamma" "2021-03-01 $c1"
		printf '%s\n\n相關焦點\n\n' "Body: $all"
		printf '  • %s\n' "$alpha" "$beta"
		# The file ends inside an OSC that is never terminated.
		printf '    %s' "snippet ending in an unterminated OSC ${E}]2;PWNED-UNTERM"
	} >"$dir/gamma.txt"
}

status_line() {
	screen_capture | tail -n 1
}

# key KEY...: type the keys, then Ctrl-L, and wait until xinwen has repainted the
# whole screen after them (tui.c answers Ctrl-L with a clear and a full redraw). The
# keys go first on their own, so that ncurses also draws its usual partial update
# (it skips updates while keys are pending); the full redraw is complete when the
# status line, the last row drawn, is back on the screen after the clear. (The raw
# capture is written after tmux has parsed the same bytes, so a clear seen in it is
# already on tmux's screen.)
CLEAR=$(printf '\033[H\033[2J')
key() {
	local size
	size=$(stat -c %s "$SCREEN_RAW")
	screen_keys "$@"
	screen_keys C-l
	wait_redraw "$size" "the keys $*"
}

# wait_redraw SIZE WHAT [ROW]: wait for a full redraw written after the first SIZE
# bytes: a clear, then the status line (or row ROW, the last one drawn) on the screen.
wait_redraw() {
	local deadline=$((SECONDS + SCREEN_TIMEOUT)) row=${3:-0}
	until tail -c +$(($1 + 1)) "$SCREEN_RAW" | grep -a -q -F "$CLEAR" &&
		if [ "$row" -gt 0 ]; then
			[ -n "$(screen_capture | sed -n "${row}p")" ]
		else
			[ -n "$(status_line)" ]
		fi; do
		[ $SECONDS -le $deadline ] || screen_failed "no redraw after $2"
		sleep "$SCREEN_POLL"
	done
}

# resize COLS ROWS: resize the terminal and wait for xinwen's redraw (tui.c clears the
# screen on KEY_RESIZE), so that no later key takes that clear for its own.
resize() {
	local size
	size=$(stat -c %s "$SCREEN_RAW")
	screen_resize "$1" "$2"
	if [ "$1" -lt 12 ] || [ "$2" -lt 4 ]; then # "terminal too small", on the first row
		wait_redraw "$size" "resizing to $1x$2" 1
	else
		wait_redraw "$size" "resizing to $1x$2"
	fi
}

status_has() {
	status_line | grep -q -- "$1"
}

# walk_article I N: open article I of N from the list, page to its end, go through its
# links, follow them and come back, go round the related-link cycle, back to the list.
walk_article() {
	local i=$1 n=$2 p k links follows d
	status_has "Article $i/$n" || screen_failed "the list is not at article $i/$n"
	key Enter
	key G
	key g
	for ((p = 0; p < MAX_PAGES; p++)); do
		status_has '  Bot\|  All' && break
		key Space
	done
	key G
	status_has '  Bot\|  All' || screen_failed "G did not reach the end of article $i"
	key Tab
	links=$(status_line | sed -n 's/.*link [0-9]*\/\([0-9]*\).*/\1/p')
	links=${links:-0}
	[ "$links" -gt 0 ] || return 0 # an article without links: nothing to follow
	for ((k = 2; k <= links && k <= 12; k++)); do
		key Tab
	done
	# Follow the selected link with Enter, come back: the link is selected again.
	key Enter
	! status_has 'link [0-9]' || screen_failed "Enter on a link did not follow it"
	key h
	status_has 'link [0-9]' || screen_failed "h did not come back to the selected link"
	for d in 1 2 3 9; do
		key "$d"
		if ! status_has 'link [0-9]'; then # followed: back to where we were
			key h
		fi
	done
	# Round the cycle: select a link, follow related story 1, six times; then back.
	follows=0
	for ((k = 0; k < 6; k++)); do
		key Tab
		key 1
		status_has 'link [0-9]' && break # no related story 1 here
		follows=$((follows + 1))
	done
	for ((k = 0; k < follows; k++)); do
		key h
	done
	status_has "Article $i/$n" || screen_failed "h did not lead back to article $i"
	check_title "article $i"
}

# check_title WHERE: the terminal's title is still the one it had before xinwen started
# (checked while xinwen runs too: rmcup's title-stack pop would hide a change at exit).
check_title() {
	local title
	title=$(screen_format '#{pane_title}')
	[ "$title" = "$(cat "$SCREEN_TITLE")" ] ||
		screen_failed "the terminal title changed to '$title' ($1)"
}

# walk DIR: run xinwen on DIR, walk the articles, quit, check the raw output.
walk() {
	local dir=$1 n i
	n=$("$XINWEN" --list "$dir" | wc -l)
	[ "$n" -gt 0 ] || { echo "FAIL: no articles in $dir"; exit 1; }
	screen_start_raw 120 40 "$dir"
	screen_wait_for "Article 1/$n" "the first article of $dir"
	# The help, scrolled to its end.
	screen_keys '?' G
	screen_wait_for "$HELP_STATUS" "the help"
	screen_keys q
	screen_wait_gone "$HELP_STATUS" "the help after q"
	for ((i = 1; i <= n && i <= MAX_ARTICLES; i++)); do
		walk_article "$i" "$n"
		key q # back to the list
		[ "$i" -lt "$n" ] && key j
	done
	# The rest of the list, a page at a time, and a few other sizes.
	for ((; i <= n; i += 30)); do
		key Space
	done
	resize 80 24
	key f
	key G
	key f
	resize 1 1
	resize 12 4
	resize 11 3
	resize 200 60
	key k
	key q # the pane gives the focus back to the list
	screen_keys q
	screen_wait_exit 0
	check_after_exit "q q"
}

# check_after_exit WHAT: the capture holds nothing raw, and the terminal is restored.
check_after_exit() {
	local what=$1
	screen_wait_raw_complete
	if ! "$RAWCHECK" --restored --until "$SCREEN_EXIT_MARK" "$SCREEN_RAW"; then
		cp "$SCREEN_RAW" "${TMPDIR:-/tmp}/xinwen-terminal-raw.$$" 2>/dev/null &&
			echo "(raw output kept in ${TMPDIR:-/tmp}/xinwen-terminal-raw.$$)"
		screen_failed "raw output after $what: see rawcheck's report above"
	fi
	screen_wait_format '#{alternate_on}' 0 "alternate screen after $what"
	screen_wait_format '#{cursor_flag}' 1 "cursor visible after $what"
	screen_wait_format '#{mouse_any_flag}' 0 "mouse reporting after $what"
	screen_wait_format '#{keypad_cursor_flag}' 0 "keypad cursor mode after $what"
	check_title "after $what"
	screen_stop
}

# signal_run SIG STATUS DIR: open an article and the help, then send SIG.
signal_run() {
	local sig=$1 want=$2 dir=$3
	screen_start_raw 100 30 "$dir"
	screen_wait_for 'Article 1/' "the first article"
	key Enter
	key Tab
	key q
	screen_keys '?'
	screen_wait_for "$HELP_STATUS" "the help"
	check_title "before SIG$sig"
	kill "-$sig" "$(screen_pid)"
	screen_wait_exit "$want"
	check_after_exit "SIG$sig"
}

corpus=$SCREEN_DIR/corpus
mkdir "$corpus"
make_corpus "$corpus"
walk "$corpus"
echo "ok: walked $corpus"
signal_run TERM 143 "$corpus"
signal_run INT 130 "$corpus"
signal_run HUP 129 "$corpus"
echo "ok: restored after SIGTERM, SIGINT, SIGHUP"

if [ -x "$TOP_SRCDIR/tests/hostile-corpus.sh" ]; then
	hostile=$SCREEN_DIR/hostile
	mkdir "$hostile"
	"$TOP_SRCDIR/tests/hostile-corpus.sh" "$hostile" >/dev/null ||
		{ echo "FAIL: tests/hostile-corpus.sh failed"; exit 1; }
	walk "$hostile"
	echo "ok: walked the hostile corpus"
else
	echo "note: no tests/hostile-corpus.sh yet: only the built-in articles were walked"
fi
echo "PASS: terminal_raw"
