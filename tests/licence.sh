#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every source, header, script, build file, man page source and test file says its
# licence in its first lines (after a shebang), and the licence text is shipped.
set -u
. "$TOP_SRCDIR/tests/check-lib.sh"
cd "$TOP_SRCDIR" || exit 99

[ -s COPYING ] && grep -q 'GNU GENERAL PUBLIC LICENSE' COPYING && grep -q 'Version 3' COPYING ||
	fail "COPYING is not the GPL-3 text"
[ -s data/README ] || fail "data/README does not say where the bundled article comes from"
grep -q 'GPL-3.0-or-later' README.md || fail "README.md does not name the licence"

n=0
for f in configure.ac Makefile.am bootstrap .ci/run contrib/xinwen* contrib/_xinwen man/*.in \
	src/*.[ch] tests/*.[ch] tests/*.sh tests/record-args tests/fuzz/*.[ch] \
	bench/*.[ch] bench/*.sh bench/convert bench/fuzz-long bench/gen-collection \
	bench/hostile-load bench/interact bench/map bench/peers-convert bench/run \
	bench/search bench/similar; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	head -2 "$f" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later' ||
		fail "$f: no SPDX-License-Identifier line in its first two lines"
	# a shebang or zsh's #compdef must come first
	if head -1 "$f" | grep -q '^#!\|^#compdef ' ; then :; elif head -2 "$f" | tail -1 | grep -q SPDX; then
		fail "$f: the SPDX line is not the first line"
	fi
done
[ "$n" -gt 100 ] || fail "only $n files checked"
check_failed licence.sh && exit 1
exit 0
