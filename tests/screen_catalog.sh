#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The catalog in a real terminal (a copy of data/, a private XDG_CACHE_HOME): the first
# start loads the files and writes the catalog; the second starts from it, quietly, and
# leaves it alone; after the seed's title changes the reader says so and lists the new
# title; --no-cache makes no catalog; a damaged catalog is named on the status line,
# rebuilt, and the list still comes.
set -u
[ -n "${XINWEN_CHECK_SLOW:-}" ] || { echo "slow: make check-slow runs it"; exit 77; }
. "$TOP_SRCDIR/tests/screen-lib.sh"

export XDG_CACHE_HOME=$SCREEN_DIR/cache
col=$SCREEN_DIR/col
mkdir "$col"
cp "$TOP_SRCDIR"/data/*.txt "$col/"
seed=$col/000_bc5b92f142057c5b.txt
title='四川新聞丨做實社會治理 閬中下足繡花功夫'
retitled='四川新聞丨標題改過了 閬中下足繡花功夫'

# catalog_file: the one catalog file under the cache, or nothing.
catalog_file() {
	ls "$XDG_CACHE_HOME"/xinwen/catalog-* 2>/dev/null
}

# File identity and modification time, to tell whether the catalog was written again.
stamp() {
	stat -c '%i %Y.%y' "$1"
}

# Cold: loaded from the files; the catalog is written beside the reader.
screen_start 160 40 "$col"
screen_wait_for "^ 2020-11-21  $title" "the seed's headline first in the list"
deadline=$((SECONDS + SCREEN_TIMEOUT))
until [ -n "$(catalog_file)" ] || [ $SECONDS -gt $deadline ]; do sleep "$SCREEN_POLL"; done
screen_keys q
screen_wait_exit 0
screen_stop
catalog=$(catalog_file)
[ -s "$catalog" ] || screen_failed "no catalog-* file under \$XDG_CACHE_HOME/xinwen"
[ "$(ls "$XDG_CACHE_HOME"/xinwen | grep -c '^catalog-')" = 1 ] ||
	screen_failed "more than one catalog file: $(ls "$XDG_CACHE_HOME"/xinwen)"
before=$(stamp "$catalog")

# Warm: the same list from the catalog; the files have not changed, so nothing is said
# and the catalog is not written again.
screen_start 160 40 "$col"
screen_wait_for "^ 2020-11-21  $title" "the seed's headline first in the list, from the catalog"
screen_wait_for '^ Article 1/25' "25 articles from the catalog"
screen_assert_line 1 "^ 2020-11-21  $title"
sleep 1.5
screen_capture | grep -q -e 'changed' -e 'rebuilt' -e 'catalog-' &&
	screen_failed "the warm start said something of its catalog"
screen_keys q
screen_wait_exit 0
screen_stop
[ "$(stamp "$catalog")" = "$before" ] || screen_failed "the catalog was written again, unchanged"

# The seed's title changes (a new size and time): the reader finds out and takes it.
sed -i "1s/.*/$retitled/" "$seed"
touch -d '+2 seconds' "$seed"
screen_start 160 40 "$col"
screen_wait_for 'The files changed' "the status line saying the files changed"
screen_wait_for "^ 2020-11-21  $retitled" "the new title in the list"
screen_wait_gone "^ 2020-11-21  $title" "the old title"
screen_assert_line 1 "^ 2020-11-21  $retitled"
screen_keys q
screen_wait_exit 0
screen_stop
[ "$(stamp "$catalog")" != "$before" ] || screen_failed "the catalog was not written again"

# A damaged catalog: named on the status line, rebuilt; the list is there all the same.
size=$(stat -c %s "$catalog")
[ "$size" -gt 400 ] || screen_failed "the catalog is too small to damage ($size bytes)"
printf '\377\377\377\377\377\377\377\377' |
	dd of="$catalog" bs=1 seek=200 conv=notrunc status=none
screen_start 160 40 "$col"
screen_wait_for "${catalog##*/}: .*rebuilt" "the damaged catalog named on the status line"
screen_wait_for "^ 2020-11-21  $retitled" "the list, loaded from the files"
screen_keys q
screen_wait_exit 0
screen_stop

# --no-cache: no catalog is read or made.
export XDG_CACHE_HOME=$SCREEN_DIR/cache2
screen_start 160 40 --no-cache "$col"
screen_wait_for "^ 2020-11-21  $retitled" "the list with --no-cache"
sleep 1
screen_keys q
screen_wait_exit 0
[ -z "$(catalog_file)" ] || screen_failed "--no-cache made a catalog: $(catalog_file)"
screen_stop

# More files than the first screen's, none of the first an article: the reader loads
# them all before it draws (rather than saying there is nothing to show), and says how
# many were broken.
broken=$SCREEN_DIR/broken
mkdir -p "$broken"
i=0
while [ $i -lt 1005 ]; do : > "$broken/$(printf 'a%04d.txt' $i)"; i=$((i + 1)); done
printf 'Good one\n\n2021-02-03 src\n\nbody\n' > "$broken/z.txt"
screen_start 160 40 "$broken"
screen_wait_for "^ 2021-02-03  Good one" "the one article after 1,005 empty files"
screen_wait_for "1005 problems while loading" "the broken files counted"
screen_keys q
screen_wait_exit 0
screen_stop
echo "PASS: screen_catalog"
