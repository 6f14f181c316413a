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

# The picture.
"$TOP_SRCDIR/doc/screenshot.sh" --check
case $? in
0) ;;
77) echo "tmux not installed: the picture was not checked" ;;
*) fail "README.md's picture of the reader (or doc/screen.svg) is not the program's screen now: run \`make readme\` (doc/screenshot.sh) and commit README.md and doc/screen.svg" ;;
esac

[ "$failed" -eq 0 ] || { echo "FAIL: readme.sh: $failed check(s) failed"; exit 1; }
echo "PASS: readme.sh"
