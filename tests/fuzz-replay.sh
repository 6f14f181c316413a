#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# fuzz-replay.sh: replay every fuzz target over its seed corpus (tests/fuzz/corpus/T)
# and every crash it ever had (tests/regress/T), with the gcc-built replay drivers.
# A crash, sanitizer report or broken invariant aborts the driver and fails the test.
set -u
top=${TOP_SRCDIR:-.}
status=0
for t in loader layout links formats catalog jsonskim zip split simcache; do
	dirs="$top/tests/fuzz/corpus/$t"
	[ -d "$top/tests/regress/$t" ] && dirs="$dirs $top/tests/regress/$t"
	if [ "$t" = loader ]; then
		dirs="$dirs $top/data" # the shipped articles, as they are
	fi
	echo "== $t: $dirs"
	# shellcheck disable=SC2086
	if ! ./tests/fuzz/replay_$t $dirs; then
		echo "FAIL: fuzz target $t crashed or broke an invariant on an input above" >&2
		status=1
	fi
done
exit $status
