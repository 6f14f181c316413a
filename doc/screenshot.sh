#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# doc/screenshot.sh [--out DIR | --check]: the picture of the reader in README.md.
#
# Runs the real xinwen on the bundled collection (data/) in a 100x30 tmux terminal on a
# private socket, with fresh private XDG state, cache and config directories (so every
# headline is unread and nothing is configured): selects the second headline (the first
# demonstration article), opens it, selects its first link (Tab) and goes to the end of
# the article (G), where its related stories, its similar stories and what cites it are;
# waits until the similar stories are computed and the screen holds still; captures it.
#
#   (no option)  writes the text into README.md between <!-- BEGIN screen --> and
#                <!-- END screen -->, and the picture with its colours to doc/screen.svg
#                (what `make readme` runs);
#   --out DIR    writes DIR/screen.txt, DIR/screen.ansi (tmux capture-pane -e) and
#                DIR/screen.svg, and changes nothing else;
#   --check      exits 1 when README.md's text or doc/screen.svg differ from what the
#                program shows now, saying which and how to regenerate (tests/readme.sh).
#
# XINWEN and ANSI2SVG name the programs (default: src/xinwen and doc/ansi2svg of the
# source tree, as make builds them in place); TOP_SRCDIR the source tree (default: this
# script's parent directory).
set -u
prog=doc/screenshot.sh
export LC_ALL=C.UTF-8 # tmux and xinwen draw in UTF-8
here=$(cd "$(dirname "$0")" && pwd)
TOP_SRCDIR=${TOP_SRCDIR:-$(dirname "$here")}
XINWEN=${XINWEN:-$TOP_SRCDIR/src/xinwen}
ANSI2SVG=${ANSI2SVG:-$TOP_SRCDIR/doc/ansi2svg}
export TOP_SRCDIR XINWEN
COLS=100 ROWS=30
mode=write out=
case ${1:-} in
--out) [ $# -eq 2 ] || { echo "usage: $prog [--out DIR | --check]" >&2; exit 2; }
	mode=out out=$2 ;;
--check) mode=check ;;
'') ;;
*) echo "usage: $prog [--out DIR | --check]" >&2; exit 2 ;;
esac
[ -x "$XINWEN" ] || { echo "$prog: no $XINWEN: build first (make), or set XINWEN" >&2; exit 2; }
[ -x "$ANSI2SVG" ] || { echo "$prog: no $ANSI2SVG: make doc/ansi2svg, or set ANSI2SVG" >&2; exit 2; }

# The terminal: screen-lib.sh's private tmux server, and private XDG directories.
SCREEN_TIMEOUT=${SCREEN_TIMEOUT:-60}
# shellcheck source=tests/screen-lib.sh
. "$TOP_SRCDIR/tests/screen-lib.sh"
XDG_CACHE_HOME=$SCREEN_DIR/cache XDG_CONFIG_HOME=$SCREEN_DIR/config
mkdir -p "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME"
export XDG_CACHE_HOME XDG_CONFIG_HOME
[ "$mode" = out ] || out=$SCREEN_DIR/out
mkdir -p "$out" || { echo "$prog: cannot make $out" >&2; exit 2; }

screen_start "$COLS" "$ROWS" "$TOP_SRCDIR/data"
screen_wait_for '^ Article 1/' "the first headline selected"
screen_keys j
screen_wait_for '^ Article 2/' "the second headline selected"
screen_keys Enter
screen_wait_for 'Tab:link' "the pane's key hints"
screen_keys Tab
screen_wait_for ' link 1/' "the first link selected"
# The similar stories are computed while the reader waits for keys; until then the pane
# ends with "computing…". G again once they are there, so the end is in view.
deadline=$((SECONDS + SCREEN_TIMEOUT))
until screen_capture | grep -q '│ Similar stories$'; do
	[ $SECONDS -le $deadline ] || screen_failed "the similar stories were never computed"
	screen_keys G
	sleep 0.2
done
screen_keys G
screen_wait_for '│ Cited by$' "what cites the article, at its end"
screen_wait_for ' Bot  link 1/' "the end of the article, its first link selected"
# Still: two captures a moment apart are the same.
prev=
while :; do
	cur=$(tm capture-pane -e -p -t t)
	[ "$cur" = "$prev" ] && break
	[ $SECONDS -le $deadline ] || screen_failed "the screen never held still"
	prev=$cur
	sleep 0.3
done
tm capture-pane -p -t t > "$out/screen.txt"
tm capture-pane -e -p -t t > "$out/screen.ansi"
screen_keys Q
screen_wait_exit 0
"$ANSI2SVG" -c "$COLS" -r "$ROWS" < "$out/screen.ansi" > "$out/screen.svg" ||
	{ echo "$prog: $ANSI2SVG failed" >&2; exit 1; }
[ "$(wc -l < "$out/screen.txt")" -eq "$ROWS" ] ||
	{ echo "$prog: the capture has $(wc -l < "$out/screen.txt") lines, not $ROWS" >&2; exit 1; }

readme=$TOP_SRCDIR/README.md svg=$TOP_SRCDIR/doc/screen.svg
case $mode in
out) ;;
write)
	"$TOP_SRCDIR/doc/readme-block" screen "$readme" < "$out/screen.txt" || exit 1
	cp "$out/screen.svg" "$svg.tmp.$$" && mv "$svg.tmp.$$" "$svg" ||
		{ rm -f "$svg.tmp.$$"; echo "$prog: cannot write $svg" >&2; exit 1; }
	echo "$prog: wrote the screen into $readme and $svg" ;;
check)
	status=0
	if ! "$TOP_SRCDIR/doc/readme-block" --check screen "$readme" < "$out/screen.txt"; then
		echo "$prog: README.md's picture of the reader is not what xinwen shows now"
		status=1
	fi
	if ! cmp -s "$svg" "$out/screen.svg"; then
		echo "$prog: doc/screen.svg is not what xinwen shows now"
		status=1
	fi
	[ $status -eq 0 ] || echo "$prog: if the new screen is right, run \`make readme\` (it runs $prog) and commit README.md and doc/screen.svg"
	exit $status ;;
esac
