#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The bash completion (contrib/xinwen.bash), sourced and called as bash would: options,
# paths, and article ids after --dump from the paths on the line.
set -u
. "$TOP_SRCDIR/tests/check-lib.sh"
. "$TOP_SRCDIR/contrib/xinwen.bash"

# complete_at CWORD WORDS...: run the completion on WORDS with the cursor in word CWORD;
# prints COMPREPLY one per line, sorted.
complete_at() {
	COMP_CWORD=$1
	shift
	COMP_WORDS=("$@")
	COMPREPLY=()
	_xinwen
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

# expect WHAT GOT WANT
expect() {
	[ "$2" = "$3" ] || fail "$1: got [$2], expected [$3]"
}

mkdir "$tmp/my coll"
printf 'First title\n\n2020-01-02 Src\n\nbody\n' >"$tmp/my coll/one.txt"
printf 'Second title\n\n2020-01-03 Src\n\nbody\n' >"$tmp/my coll/two.txt"

complete -p xinwen | grep -q -- '-F _xinwen' || fail "xinwen's completion is not registered"
expect "--du" "$(complete_at 1 "$XINWEN" --du)" "--dump"
opts=$(complete_at 1 "$XINWEN" --)
for o in --list --dump --width --check --search --regex --help --version; do
	grep -qxF -- "$o" <<<"$opts" || fail "-- does not offer $o"
done
expect "ids" "$(complete_at 2 "$XINWEN" --dump '' "$tmp/my coll")" $'one\ntwo'
expect "ids by prefix" "$(complete_at 2 "$XINWEN" --dump t "$tmp/my coll")" "two"
# An option's argument is no path: --search's is not loaded, the collection still is.
expect "ids after --search DIR" \
	"$(complete_at 5 "$XINWEN" --search "$TOP_SRCDIR/data" "$tmp/my coll" --dump '')" $'one\ntwo'
expect "ids after --width" "$(complete_at 5 "$XINWEN" --width 80 "$tmp/my coll" --dump o)" "one"
expect "the bundled collection" "$(complete_at 2 "$XINWEN" --dump 000_ "$TOP_SRCDIR/data")" \
	"000_bc5b92f142057c5b"
expect "a path" "$(complete_at 1 "$XINWEN" "$tmp/my")" "$tmp/my coll"
expect "nothing after --width" "$(complete_at 2 "$XINWEN" --width '')" ""

check_failed completion && exit 1
echo "PASS: completion"
