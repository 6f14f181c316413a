#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Memcheck finds no error and no definite or indirect leak when xinwen loads the
# hostile corpus (--check, --list, --dump of the heaviest articles) and in the scripted
# session of the app state machine (tests/test_app), and in the catalog's tests
# (tests/test_catalog: what is written to disk is initialised, damaged catalogs read safely).
set -u
[ -n "${XINWEN_CHECK_SLOW:-}" ] || { echo "slow: make check-slow runs it"; exit 77; }
: "${XINWEN:?}" "${TOP_SRCDIR:?}"

if ! command -v valgrind > /dev/null; then
	echo "SKIP: valgrind.sh: valgrind is not installed"
	exit 77
fi
# Valgrind cannot run a binary built with AddressSanitizer (make check runs with
# --enable-sanitizers too): ASan does this job there.
if { ldd "$XINWEN" 2>/dev/null | grep -q 'libasan'; } ||
	{ nm -D "$XINWEN" 2>/dev/null | grep -q '__asan_init'; } ||
	{ nm "$XINWEN" 2>/dev/null | grep -q '__asan_init'; }; then
	echo "SKIP: valgrind.sh: $XINWEN is built with AddressSanitizer, which valgrind cannot run"
	exit 77
fi
test_app=$(dirname "$XINWEN")/../tests/test_app
[ -x "$test_app" ] || { echo "FAIL: valgrind.sh: no $test_app (make check builds it)"; exit 1; }

. "$TOP_SRCDIR/tests/check-lib.sh"

"$TOP_SRCDIR/tests/hostile-corpus.sh" "$tmp/corpus" ||
	{ echo "FAIL: valgrind.sh: tests/hostile-corpus.sh failed"; exit 1; }

# memcheck NAME WANT-STATUS CMD...: CMD under memcheck exits WANT-STATUS with 0 errors.
n=0
memcheck() {
	local name=$1 want=$2 got
	shift 2
	n=$((n + 1))
	local log=$tmp/vg$n.log
	(cd "$tmp" && XINWEN_NO_JIT=1 timeout 600 valgrind --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
		--log-file="$log" "$@" > "$tmp/out" 2> "$tmp/err")
	got=$?
	if [ "$got" -eq 99 ] || ! grep -q 'ERROR SUMMARY: 0 errors from 0 contexts' "$log"; then
		fail "$name: memcheck found errors: $(grep -m1 'ERROR SUMMARY' "$log")"
		grep -v '^==[0-9]*== *$' "$log" | head -40
	elif [ "$got" -ne "$want" ]; then
		fail "$name exited $got under valgrind, expected $want: $(head -c 300 "$tmp/err")"
	else
		echo "INFO: valgrind.sh: $name: $(grep -m1 -o 'ERROR SUMMARY: .*' "$log"); $(grep -m1 -o 'total heap usage: .*' "$log")"
	fi
}

# Problems found: 1; a file it could not read (the corpus's unreadable ones, when not
# root): 2.
check_want=1
[ "$(id -u)" -ne 0 ] && check_want=2
memcheck "xinwen --check CORPUS" "$check_want" "$XINWEN" --check corpus
memcheck "xinwen --list CORPUS" 0 "$XINWEN" --list corpus
for id in zalgo-tower-in-body c0-controls-all emoji-zwj-sequences bidi-every-control \
	long-line-1mib related-10000; do
	memcheck "xinwen --dump $id" 0 "$XINWEN" --dump "$id" --width 23 corpus
done
memcheck "tests/test_app" 0 "$test_app"
memcheck "tests/test_catalog" 0 "$(dirname "$XINWEN")/../tests/test_catalog"

check_failed valgrind.sh && exit 1
echo "PASS: valgrind.sh"
