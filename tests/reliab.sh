#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Reliability through the program (doc/SECURITY.md), no terminal needed: a
# UTF-8 LANG that is not installed, a FIFO for the similar-stories index (--related
# under a timeout: a hang fails), stale temporary files removed at start, a cache
# directory others can write to refused (the program goes on without a cache).
set -u
: "${XINWEN:?}" "${TOP_SRCDIR:?}"
. "$TOP_SRCDIR/tests/check-lib.sh"

export XDG_CACHE_HOME=$tmp/cache
cache=$XDG_CACHE_HOME/xinwen
col=$tmp/col
mkdir "$col"
cp "$TOP_SRCDIR"/data/*.txt "$col/"
seed=000_bc5b92f142057c5b
LIMIT=${RELIAB_TIMEOUT:-30} # seconds before a run that should be quick counts as hung

# run WANT CMD...: run CMD under the timeout (stdout $tmp/out, stderr $tmp/err).
run() {
	local want=$1
	shift
	timeout -k 5 "$LIMIT" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	local got=$?
	[ "$got" -ne 124 ] && [ "$got" -ne 137 ] || { fail "'$*' hung (killed after ${LIMIT}s)"; return; }
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want: $(head -c 300 "$tmp/err")"
}

# Item 12: LANG names a UTF-8 locale that is not installed: the reader falls back to
# C.UTF-8 as the script modes do (it then stops only for want of a terminal).
run 2 env -u LC_ALL -u LC_CTYPE LANG=xx_XX.UTF-8 "$XINWEN" "$col"
grep -q 'needs a terminal' "$tmp/err" || fail "LANG=xx_XX.UTF-8: $(cat "$tmp/err")"
grep -q 'locale' "$tmp/err" && fail "LANG=xx_XX.UTF-8 was taken for a locale that is not UTF-8"
# A locale that is not UTF-8 is still refused by the reader.
run 2 env -u LC_ALL -u LC_CTYPE LANG=C "$XINWEN" "$col"
grep -q 'not UTF-8' "$tmp/err" || fail "LANG=C was not refused: $(cat "$tmp/err")"

# Item 2: the similar-stories index a FIFO: --related does not hang, says so, and
# writes the index over it.
run 0 "$XINWEN" --related "$seed" "$col"
idx=$(ls "$cache"/similar-*.idx 2>/dev/null)
[ -f "$idx" ] || fail "--related wrote no similar-stories index under $cache"
cp "$tmp/out" "$tmp/want"
rm -f "$idx" && mkfifo "$idx"
run 0 "$XINWEN" --related "$seed" "$col"
cmp -s "$tmp/out" "$tmp/want" || fail "--related with a FIFO index printed something else"
grep -q 'not a regular file' "$tmp/err" || fail "--related did not name the FIFO: $(cat "$tmp/err")"
[ -f "$idx" ] && [ ! -p "$idx" ] || fail "the FIFO index was not replaced by a file"

# The search index's files (its manifest, a segment, its lock, and a file the SQLite
# index of earlier versions kept beside it) a FIFO, a symlink or a directory: --search
# and --index neither hang nor follow it; --search still answers (by a scan, or from an
# index made anew) and names the file when it matters; the symlink's target is
# untouched. --index refuses a manifest or lock it cannot use, and a segment it cannot
# replace (a directory); a FIFO or symlink in a segment's place is replaced. (Since
# --index writes the catalog and the index's map, --search answers from them alone,
# reading the index without its lock: the lock is named by --index.)
run 0 "$XINWEN" --index "$col"
db=$(ls "$cache"/index-*.db 2>/dev/null)
[ -f "$db" ] || fail "--index wrote no search index under $cache"
[ -f "$db-1" ] || fail "--index wrote no segment $db-1"
run 0 "$XINWEN" --search 公車 "$col"
cp "$tmp/out" "$tmp/want-search"
printf 'not to be touched\n' >"$tmp/target"
for side in "" -1 -lock -wal; do
	for kind in fifo symlink dir; do
		rm -rf "$db$side"
		case $kind in
		fifo) mkfifo "$db$side" ;;
		symlink) ln -s "$tmp/target" "$db$side" ;;
		dir) mkdir "$db$side" ;;
		esac
		run 0 "$XINWEN" --search 公車 "$col"
		cmp -s "$tmp/out" "$tmp/want-search" ||
			fail "--search with index$side a $kind printed something else"
		if [ "$side" != -wal ] && [ "$side" != -lock ]; then
			grep -q "index-[0-9a-f]*\.db$side: " "$tmp/err" ||
				fail "--search did not name index$side, a $kind: $(cat "$tmp/err")"
		fi
		case $side/$kind in
		/* | -lock/* | -1/dir) run 2 "$XINWEN" --index "$col" ;;
		*) run 0 "$XINWEN" --index "$col" ;;
		esac
		if [ "$side" = -lock ]; then
			grep -q "index-[0-9a-f]*\.db-lock: " "$tmp/err" ||
				fail "--index did not name index-lock, a $kind: $(cat "$tmp/err")"
		fi
		rm -rf "$db$side"
		run 0 "$XINWEN" --index "$col"
	done
done
[ "$(cat "$tmp/target")" = "not to be touched" ] || fail "a symlinked index file was written through"

# Item 11: a temporary file left by a writer killed before its rename is removed at
# the next start once older than a minute; a fresh one is left to its writer.
printf 'half a catalog' >"$cache/catalog-0123456789abcdef.tmp.4242"
printf 'half a catalog' >"$cache/catalog-0123456789abcdef.tmp.4343"
touch -d '-2 minutes' "$cache/catalog-0123456789abcdef.tmp.4242"
run 0 "$XINWEN" --related "$seed" "$col"
[ -e "$cache/catalog-0123456789abcdef.tmp.4242" ] && fail "a stale temporary file was left"
[ -e "$cache/catalog-0123456789abcdef.tmp.4343" ] || fail "a fresh temporary file was removed"

# The cache directory writable by others: refused, said once, no cache used.
chmod 777 "$cache"
rm -f "$idx"
run 0 "$XINWEN" --related "$seed" "$col"
cmp -s "$tmp/out" "$tmp/want" || fail "--related without a cache printed something else"
grep -q "$cache: refused: writable by others" "$tmp/err" ||
	fail "the open cache directory was not refused: $(cat "$tmp/err")"
[ "$(grep -c refused "$tmp/err")" = 1 ] || fail "the refusal was not said once: $(cat "$tmp/err")"
[ -e "$idx" ] && fail "an index was written to a refused cache directory"
rm -f "$cache"/index-*
run 2 "$XINWEN" --index "$col"
grep -q "$cache: refused: writable by others" "$tmp/err" ||
	fail "--index did not say the cache directory is refused: $(cat "$tmp/err")"
ls "$cache" | grep -q '^index-' && fail "--index wrote a search index to a refused cache directory"
run 0 "$XINWEN" --search 公車 "$col"
grep -q "$cache: refused: writable by others" "$tmp/err" ||
	fail "--search did not say the cache directory is refused: $(cat "$tmp/err")"
chmod 700 "$cache"
# Standard input has no search index (its key would be nobody's).
timeout -k 5 "$LIMIT" "$XINWEN" --index - <"$col/$seed.txt" >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] || fail "--index - did not exit 2: $(cat "$tmp/err")"
grep -q 'not standard input' "$tmp/err" || fail "--index - did not say why: $(cat "$tmp/err")"
ls "$cache" | grep -q '^index-' && fail "--index - wrote a search index"

check_failed reliab.sh && exit 1
echo "PASS: reliab.sh"
