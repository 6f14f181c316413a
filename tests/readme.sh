#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# README.md's generated parts are what the program shows now: its key table is the
# keymap's (src/mkman --keys, the table of the ? screen and of --help), and its picture
# of the reader (text in README.md, colours in doc/screen.svg) is what doc/screenshot.sh
# captures from xinwen in tmux. When either differs, `make readme` makes them again.
set -u
: "${XINWEN:?}" "${TOP_SRCDIR:?}" "${MKMAN:?}" "${ANSI2SVG:?}"
readme=$TOP_SRCDIR/README.md
failed=0
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# The key table.
"$MKMAN" --keys > "$tmp/keys" || fail "src/mkman --keys failed"
[ "$(grep -c . "$tmp/keys")" -ge 30 ] || fail "src/mkman --keys printed too little: $(head -3 "$tmp/keys")"
if ! "$TOP_SRCDIR/doc/readme-block" --check keys "$readme" < "$tmp/keys"; then
	fail "README.md's key table differs from the keymap (src/keymap.c): run \`make readme\` and commit README.md"
fi
# ... which is the table --help (and the ? screen) shows.
"$XINWEN" --help > "$tmp/help" || fail "xinwen --help failed"
"$TOP_SRCDIR/doc/readme-block" --extract keys "$readme" > "$tmp/readme-keys"
grep -F -x -v -f "$tmp/help" "$tmp/readme-keys" | grep . > "$tmp/missing" &&
	fail "lines of README.md's key table that --help does not show: $(head -3 "$tmp/missing")"

# doc/readme-block replaces the block and nothing else, and refuses to empty it.
cp "$readme" "$tmp/README.md"
printf 'one\ntwo\n' | "$TOP_SRCDIR/doc/readme-block" keys "$tmp/README.md" || fail "readme-block could not put a block"
[ "$("$TOP_SRCDIR/doc/readme-block" --extract keys "$tmp/README.md")" = $'one\ntwo' ] ||
	fail "readme-block did not put the block: $("$TOP_SRCDIR/doc/readme-block" --extract keys "$tmp/README.md")"
outside() { sed '/^<!-- BEGIN keys /,/^<!-- END keys -->$/d' "$1"; }
[ "$(outside "$readme")" = "$(outside "$tmp/README.md")" ] || fail "readme-block changed README.md outside the block"
: | "$TOP_SRCDIR/doc/readme-block" keys "$tmp/README.md" 2> /dev/null && fail "readme-block emptied a block"
[ "$("$TOP_SRCDIR/doc/readme-block" --extract keys "$tmp/README.md")" = $'one\ntwo' ] || fail "readme-block's refusal changed the block"

# doc/ansi2svg, on known answers: a wide character takes two cells, the 16, 256 and
# 24-bit colours, reverse video, OSC strings (hyperlinks, titles) and bad parameters
# dropped, XML escaped.
printf 'a\e[31m紅\e[0m \e[7mR\e[0m\e[38;5;196mX\e[48;2;1;2;3mY\e[0m\e]8;;http://x\e\\L\e]8;;\e\\\e]0;t\a<&>\e[999999999;38;2;300mZ\n' |
	"$ANSI2SVG" -c 14 -r 1 > "$tmp/svg" || fail "ansi2svg failed"
for want in '<svg xmlns="http://www.w3.org/2000/svg" width="142" height="35" ' \
	'<text x="8" y="23" textLength="9" fill="#d0d0d0">a</text>' \
	'<text x="17" y="23" textLength="18" fill="#cd0000">紅</text>' \
	'<rect x="44" y="8" width="9" height="19" fill="#d0d0d0"/>' \
	'<text x="44" y="23" textLength="9" fill="#1c1c1c">R</text>' \
	'<text x="53" y="23" textLength="9" fill="#ff0000">X</text>' \
	'<rect x="62" y="8" width="9" height="19" fill="#010203"/>' \
	'<text x="71" y="23" textLength="45" fill="#d0d0d0">L&lt;&amp;&gt;Z</text>'; do
	grep -q -F -- "$want" "$tmp/svg" || fail "ansi2svg's output lacks $want: $(cat "$tmp/svg")"
done
[ "$(grep -c '<text' "$tmp/svg")" -eq 6 ] || fail "ansi2svg: not 6 runs of text: $(cat "$tmp/svg")"
"$ANSI2SVG" -c 0 < /dev/null 2> /dev/null; [ $? -eq 2 ] || fail "ansi2svg -c 0 is not a usage error"

# The picture.
"$TOP_SRCDIR/doc/screenshot.sh" --check
case $? in
0) ;;
77) echo "tmux not installed: the picture was not checked" ;;
*) fail "README.md's picture of the reader (or doc/screen.svg) is not the program's screen now: run \`make readme\` (doc/screenshot.sh) and commit README.md and doc/screen.svg" ;;
esac

[ "$failed" -eq 0 ] || { echo "FAIL: readme.sh: $failed check(s) failed"; exit 1; }
echo "PASS: readme.sh"
