#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Reliability in a real terminal (doc/SECURITY.md), each with a private
# XDG_CACHE_HOME: a run over no articles does not lock the collection out; a catalog
# holds canonical paths (another directory's files are never shown under its titles;
# data, ./data and data/ share it); a catalog cut short while the reader runs is loaded
# again from the files, and the terminal is restored at exit; another reader holding
# the marks' lock costs no wait; an unknown TERM or a dumb one is refused with our own
# message before curses says anything.
set -u
[ -n "${XINWEN_CHECK_SLOW:-}" ] || { echo "slow: make check-slow runs it"; exit 77; }
. "$TOP_SRCDIR/tests/screen-lib.sh"

export XDG_CACHE_HOME=$SCREEN_DIR/cache
work=$SCREEN_DIR/work
col=$work/col
mkdir -p "$col"
cp "$TOP_SRCDIR"/data/*.txt "$col/"

# want N: whether to run the part of item N (RELIAB_ITEMS="1 6": those only; default all).
want() {
	[ -z "${RELIAB_ITEMS:-}" ] || [[ " $RELIAB_ITEMS " == *" $1 "* ]]
}

catalogs() {
	ls "$XDG_CACHE_HOME"/xinwen/catalog-* 2>/dev/null
}

# start_in DIR COLS ROWS ARGS...: screen_start with DIR as the working directory.
start_in() {
	local dir=$1
	shift
	(cd "$dir" && screen_start "$@")
}

# wait_catalog: until a catalog file is there (it is written beside the reader).
wait_catalog() {
	local deadline=$((SECONDS + SCREEN_TIMEOUT))
	until [ -n "$(catalogs)" ]; do
		[ $SECONDS -le $deadline ] || screen_failed "no catalog was written"
		sleep "$SCREEN_POLL"
	done
}

if want 1; then
# Item 1: the files away for one run (a share not mounted yet), then back.
mkdir "$work/d"
printf 'Only article\n\n2020-01-01 s\n\nb\n' >"$work/d/a.txt"
start_in "$work" 100 20 d
screen_wait_for 'Only article' "the article"
wait_catalog
screen_keys q
screen_wait_exit 0
screen_stop
mv "$work/d/a.txt" "$work/a.txt"
start_in "$work" 100 20 d
screen_wait_for '0 articles now' "the refresh finding the file gone"
screen_keys q
screen_wait_exit 0
screen_stop
mv "$work/a.txt" "$work/d/a.txt"
start_in "$work" 100 20 d
screen_wait_for 'Only article' "the article, back (not 'no articles to show')"
screen_keys q
screen_wait_exit 0
screen_stop
rm -rf "$XDG_CACHE_HOME"
fi

if want 6; then
# Item 6: the same name in two directories: B never shows its bodies under A's titles.
mkdir -p "$work/A/data" "$work/B/data"
printf 'Alpha title\n\n2020-01-01\n\nalpha body text\n' >"$work/A/data/a.txt"
printf 'Beta title\n\n2020-01-01\n\nbeta body text\n' >"$work/B/data/a.txt"
start_in "$work/A" 100 20 data
screen_wait_for 'alpha body text' "A's body"
wait_catalog
screen_keys q
screen_wait_exit 0
screen_stop
# The catalog names the files by their absolute, canonical paths.
grep -qaF "$(realpath "$work/A/data/a.txt")" "$(catalogs)" ||
	screen_failed "the catalog does not hold the file's absolute path"
start_in "$work/B" 100 20 "$work/A/data"
screen_wait_for 'Alpha title' "A's title, from the catalog"
screen_keys Enter
screen_wait_for 'alpha body text' "A's body under A's title"
screen_capture | grep -q 'beta body' && screen_failed "B's body under A's title"
screen_keys q q
screen_wait_exit 0
screen_stop
# data, ./data and data/: one catalog, written once.
catalog=$(catalogs)
stamp=$(stat -c '%i %Y.%y' "$catalog")
for typed in ./data data/ data; do
	start_in "$work/A" 100 20 "$typed"
	screen_wait_for 'Alpha title' "A's title for '$typed'"
	sleep 1 # time for a refresh to write the catalog again, if it wanted to
	screen_keys q
	screen_wait_exit 0
	screen_stop
done
[ "$(catalogs | wc -l)" = 1 ] || screen_failed "more than one catalog: $(catalogs)"
[ "$(stat -c '%i %Y.%y' "$catalog")" = "$stamp" ] ||
	screen_failed "the catalog was written again for the same directory typed otherwise"
rm -rf "$XDG_CACHE_HOME"
fi

if want 9; then
# Item 9: the catalog cut short while the reader runs (truncate, then scroll): no
# SIGBUS; said on the status line; the files are loaded; the terminal is restored.
screen_start 120 30 "$col"
screen_wait_for 'Article 1/25' "the list"
wait_catalog
screen_keys q
screen_wait_exit 0
screen_stop
catalog=$(catalogs)
screen_start_raw 120 30 "$col"
screen_wait_for 'Article 1/25' "the list, from the catalog"
sleep 1 # its check beside the reader is done: nothing changed
truncate -s 4096 "$catalog"
# Said as cut short when the reader's own access faults; as a checksum mismatch when the
# check beside the reader (slower on a loaded machine) reads the cut pages first. The
# fault comes with G (the last titles) or with Enter (the article's fields): a key
# clears the status line, so the message is looked for after each.
said='cut short while in use: loaded from the files\|strings checksum mismatch: rebuilt'
screen_keys G
for _ in $(seq 40); do
	screen_capture | grep -q -- "$said" && break
	sleep 0.1
done
screen_capture | grep -q -- "$said" || {
	screen_keys Enter
	screen_wait_for "$said" "the damaged catalog said"
}
screen_wait_for '閬中' "the articles, loaded from the files"
screen_keys q q
screen_wait_exit 0
screen_wait_raw_complete
screen_wait_format '#{alternate_on}' 0 "the normal screen after exit"
screen_wait_format '#{cursor_flag}' 1 "the cursor visible after exit"
screen_stop
[ "$(stat -c %s "$catalog")" -gt 4096 ] || screen_failed "the catalog was not written again"
fi

if want 5; then
# Item 5: another reader holds the marks' lock: u answers at once and says so; the
# mark is saved at exit once the lock is free.
mkdir -p "$XDG_STATE_HOME/xinwen"
chmod 700 "$XDG_STATE_HOME/xinwen"
flock "$XDG_STATE_HOME/xinwen/state.lock" sleep 30 &
holder=$!
# the reader starts once the lock is held (a loaded machine may take a while to run it)
for _ in $(seq 200); do
	flock -n "$XDG_STATE_HOME/xinwen/state.lock" true || break
	sleep 0.05
done
flock -n "$XDG_STATE_HOME/xinwen/state.lock" true && screen_failed "the lock was never taken"
screen_start 120 30 "$col"
screen_wait_for 'Article 1/25' "the list"
screen_keys u
screen_wait_for 'Marks not saved: another reader holds the lock' "the lock held, said"
screen_keys j
screen_wait_for 'Article 2/25' "the next key, answered"
kill "$holder"
wait "$holder" 2>/dev/null
screen_keys q
screen_wait_exit 0
screen_stop
grep -q ' 1 [0-9]* 0 [0-9]*$' "$XDG_STATE_HOME/xinwen/state" "$XDG_STATE_HOME/xinwen/state.log" 2>/dev/null ||
	screen_failed "the mark made while the lock was held was not saved"
fi

if want 13; then
# Item 13: an unknown TERM, TERM=dumb: our message, exit 1, nothing from curses.
for term in xinwen-no-such-terminal dumb; do
	cmd="env LC_ALL=C.UTF-8 TERM=$term '$XINWEN' '$col' 2>'$SCREEN_STDERR'; echo \$? >'$SCREEN_STATUS.tmp'; mv '$SCREEN_STATUS.tmp' '$SCREEN_STATUS'"
	tm start-server \; set-option -g remain-on-exit on \; new-session -d -s t -x 100 -y 20 "$cmd"
	screen_wait_exit 1
	case $term in
	dumb) want='cannot move the cursor' ;;
	*) want="unknown terminal type '$term' (TERM)" ;;
	esac
	grep -qF "$want" "$SCREEN_STDERR" || screen_failed "TERM=$term: not our message"
	[ "$(wc -l <"$SCREEN_STDERR")" = 1 ] || screen_failed "TERM=$term: more than our one line"
	screen_capture | grep -q 'Error opening terminal' && screen_failed "TERM=$term: curses spoke"
	screen_stop
done
fi

echo "PASS: screen_reliab"
