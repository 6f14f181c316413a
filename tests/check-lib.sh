# SPDX-License-Identifier: GPL-3.0-or-later
# check-lib.sh: what the shell tests share (sourced): a scratch directory $tmp that is
# removed on exit, even with mode-000 files in it, and counted failures.

tmp=$(mktemp -d)
check_cleanup() {
	# mode-000 directories and files first, or a non-root rm cannot remove them
	find "$tmp" -type d ! -perm -u=rwx -exec chmod u+rwx {} \; 2>/dev/null
	find "$tmp" -type f ! -perm -u=rw -exec chmod u+rw {} + 2>/dev/null
	rm -rf "$tmp"
}
trap check_cleanup EXIT
# Read marks and bookmarks go to the scratch directory, never the user's.
XDG_STATE_HOME=$tmp/state
export XDG_STATE_HOME
failures=0

# fail MESSAGE: count a failed check and say why.
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# check_failed NAME: true (after saying so) when any check of test NAME failed.
check_failed() {
	[ "$failures" -eq 0 ] && return 1
	echo "FAIL: $1: $failures check(s) failed"
}
