#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The cache directory at start, in a real terminal: a CACHEDIR.TAG is put there, the
# caches of collections not opened for cache-days (30) are removed beside the reader,
# those of the collection opened are kept; set cache-days = never keeps them all.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

XDG_CACHE_HOME=$SCREEN_DIR/cache
XDG_CONFIG_HOME=$SCREEN_DIR/config
export XDG_CACHE_HOME XDG_CONFIG_HOME
cache=$XDG_CACHE_HOME/xinwen
mkdir -p "$cache" "$XDG_CONFIG_HOME/xinwen"
title='四川新聞丨做實社會治理 閬中下足繡花功夫'

# run_reader: open the bundled collection, wait for the first screen, quit.
run_reader() {
	rm -f "$SCREEN_STATUS"
	screen_start 100 30 "$TOP_SRCDIR/data"
	screen_wait_for "│ $title" "the seed"
	screen_keys q
	screen_wait_exit 0
	screen_kill
}

# old NAME DAYS: a cache file last opened DAYS days ago.
old() {
	printf 'x' > "$cache/$1"
	touch -d "$2 days ago" "$cache/$1"
}

run_reader # writes this collection's catalog (and tag)
[ -f "$cache/CACHEDIR.TAG" ] || screen_failed "no CACHEDIR.TAG in the cache directory"
head -1 "$cache/CACHEDIR.TAG" | grep -qx 'Signature: 8a477f597d28d172789f06886806bc55' ||
	screen_failed "CACHEDIR.TAG has no signature"
ours=$(cd "$cache" && ls catalog-*)
[ -n "$ours" ] || screen_failed "the reader wrote no catalog"
touch -d '40 days ago' "$cache/$ours" # opened long ago, but opened now: kept
old catalog-00000000000000aa 31
old similar-00000000000000aa.idx 45
old catalog-00000000000000bb 5
old catalog-00000000000000cc.tmp.1 2
old notes.txt 400
ln -s "$cache/notes.txt" "$cache/catalog-00000000000000dd"
touch -h -d '90 days ago' "$cache/catalog-00000000000000dd"
printf 'set cache-days = never\n' > "$XDG_CONFIG_HOME/xinwen/config"
run_reader
[ -f "$cache/catalog-00000000000000aa" ] || screen_failed "cache-days = never removed an old catalog"
: > "$XDG_CONFIG_HOME/xinwen/config"
run_reader
# the sweep runs beside the reader: wait for it to have ended (the reader joins it)
for f in catalog-00000000000000aa similar-00000000000000aa.idx catalog-00000000000000cc.tmp.1; do
	[ -e "$cache/$f" ] && screen_failed "$f, not opened for 30 days, is still there"
done
for f in "$ours" catalog-00000000000000bb notes.txt catalog-00000000000000dd; do
	[ -e "$cache/$f" ] || [ -L "$cache/$f" ] || screen_failed "$f was removed"
done
[ "$(stat -c %X "$cache/$ours")" -gt "$(($(date +%s) - 3600))" ] ||
	screen_failed "the catalog opened was not marked opened"
echo "PASS: screen_cache.sh"
