#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# --index and --search with the search index: built, used when fresh (no "scanning"
# on stderr), said when stale, --count, fields, the bundled collection's source.
set -u
"${XINWEN:?}" --version | grep -q '^Features:.* +opencc' ||
	{ echo "SKIP: built without OpenCC (Traditional/Simplified matching)"; exit 77; }
: "${XINWEN:?}" "${TOP_SRCDIR:?}"

data="$TOP_SRCDIR/data"
. "$TOP_SRCDIR/tests/check-lib.sh"
XDG_CACHE_HOME=$tmp/cache
export XDG_CACHE_HOME

# run WANT CMD...: run CMD (stdout to $tmp/out, stderr to $tmp/err), check its status.
run() {
	local want=$1
	shift
	"$@" > "$tmp/out" 2> "$tmp/err"
	local got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want: $(head -c 300 "$tmp/err")"
}

# No index yet: --search scans and says so.
run 0 "$XINWEN" --search 四川觀察 "$data"
grep -q 'scanning' "$tmp/err" || fail "--search without an index did not say it scans"
grep -q '^000_bc5b92f142057c5b' "$tmp/out" || fail "--search 四川觀察 did not find the seed (its source)"
scan_out=$(cat "$tmp/out")

# --index builds it (no progress bar off a terminal), under the cache directory.
run 0 "$XINWEN" --index "$data"
grep -q '^25 articles indexed, 25 of them now' "$tmp/out" || fail "--index said: $(cat "$tmp/out")"
[ -s "$tmp/err" ] && fail "--index wrote on stderr: $(head -c 300 "$tmp/err")"
ls "$XDG_CACHE_HOME"/xinwen/index-*.db > /dev/null 2>&1 || fail "--index made no index-*.db"
[ "$(stat -c %a "$XDG_CACHE_HOME/xinwen")" = 700 ] || fail "the cache directory is not 0700"
for f in "$XDG_CACHE_HOME"/xinwen/index-*; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "$f is not 0600: $(stat -c %a "$f")"
done

# --index also wrote the catalog (the files were read) and the index's map to it, so
# that --search answers from the index and the catalog alone, without reading a file.
ls "$XDG_CACHE_HOME"/xinwen/catalog-* > /dev/null 2>&1 || fail "--index wrote no catalog"
ls "$XDG_CACHE_HOME"/xinwen/index-*.db-map > /dev/null 2>&1 || fail "--index saved no map"

# A fresh index answers: the same lines, nothing said on stderr, from the index alone.
XDG_STATE_HOME=$tmp/state run 0 "$XINWEN" -v --search 四川觀察 "$data"
grep -v '^xinwen: debug log: ' "$tmp/err" | grep -q . &&
	fail "--search with a fresh index wrote: $(head -c 300 "$tmp/err")"
[ "$(cat "$tmp/out")" = "$scan_out" ] || fail "--search with the index differs from the scan"
grep -q 'answered from the index and the catalog alone' "$tmp"/state/xinwen/xinwen-*.log ||
	fail "--search after --index read the files: $(grep 'search:' "$tmp"/state/xinwen/xinwen-*.log)"
run 0 "$XINWEN" --index "$data"
grep -q '^25 articles indexed, 0 of them now' "$tmp/out" || fail "--index again redid work: $(cat "$tmp/out")"

# --count, fields, folding, no match.
run 0 "$XINWEN" --search 閬中 --count "$data"
[ "$(cat "$tmp/out")" -ge 2 ] || fail "--search 閬中 --count: $(cat "$tmp/out")"
run 0 "$XINWEN" --search '阆中 source:四川观察' --count "$data"
[ "$(cat "$tmp/out")" = 1 ] || fail "閬中 source:四川觀察 --count: $(cat "$tmp/out")"
run 0 "$XINWEN" --search 'date:2020-11-01..2020-11-30 閬中' --count "$data"
[ "$(cat "$tmp/out")" = 1 ] || fail "date range --count: $(cat "$tmp/out")"
run 1 "$XINWEN" --search '閬中 date:2019' --count "$data"
[ "$(cat "$tmp/out")" = 0 ] || fail "no match --count printed $(cat "$tmp/out")"
run 1 "$XINWEN" --search 沒有這樣的字串 "$data"
[ -s "$tmp/out" ] && fail "no match printed: $(head -c 300 "$tmp/out")"
run 2 "$XINWEN" --search 'date:11-2020' "$data"
grep -q 'bad field' "$tmp/err" || fail "a bad date field: $(cat "$tmp/err")"
run 2 "$XINWEN" --count --list "$data"
run 0 "$XINWEN" --search 閬 --count "$data"
grep -q 'cannot narrow' "$tmp/err" || fail "a one-character query did not say it scans: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" -ge 2 ] || fail "--search 閬 --count: $(cat "$tmp/out")"

# Regexes: PCRE2, the catastrophic pattern of the reliability report ends at once with
# every article, a backtracking one gives up with a message.
run 0 "$XINWEN" --regex --search '(.{1,200}){1,200}' --count "$data"
[ "$(cat "$tmp/out")" = 25 ] || fail "(.{1,200}){1,200} matched $(cat "$tmp/out") articles"
printf 'T\n\n2020-01-01 S\n\n%s!\n' "$(printf 'a%.0s' $(seq 40))" > "$tmp/a.txt"
run 2 "$XINWEN" --regex --search '(a+)+$' "$tmp/a.txt"
grep -q 'too complex' "$tmp/err" || fail "(a+)+\$ did not give up with a message: $(cat "$tmp/err")"

# A changed collection: the index is stale, said, and the scan answers.
mkdir "$tmp/col"
cp "$data"/*.txt "$tmp/col/"
run 0 "$XINWEN" --index "$tmp/col"
printf '新文章\n\n2021-01-01 四川觀察\n\n閬中的新聞。\n' > "$tmp/col/new.txt"
run 0 "$XINWEN" --search '閬中 source:四川觀察' --count "$tmp/col"
grep -q 'not up to date' "$tmp/err" || fail "a stale index was not said: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = 2 ] || fail "stale: the scan counted $(cat "$tmp/out")"
run 0 "$XINWEN" --index "$tmp/col"
grep -q ', 1 of them now' "$tmp/out" || fail "--index after one new file: $(cat "$tmp/out")"
run 0 "$XINWEN" --search '閬中 source:四川觀察' --count "$tmp/col"
[ -s "$tmp/err" ] && fail "--search after the update wrote: $(cat "$tmp/err")"
[ "$(cat "$tmp/out")" = 2 ] || fail "updated index counted $(cat "$tmp/out")"

# A damaged index is said once and made anew.
db=$(ls "$XDG_CACHE_HOME"/xinwen/index-*.db | head -n 1)
printf 'garbage garbage garbage garbage!' | dd of="$db" conv=notrunc status=none
for f in "$XDG_CACHE_HOME"/xinwen/index-*.db; do
	printf 'garbage garbage garbage garbage!' | dd of="$f" conv=notrunc status=none
done
run 0 "$XINWEN" --index "$tmp/col"
grep -q 'damaged or stale' "$tmp/err" || fail "a damaged index was not said: $(cat "$tmp/err")"
run 0 "$XINWEN" --search '閬中 source:四川觀察' --count "$tmp/col"
[ -s "$tmp/err" ] && fail "after the rebuild --search wrote: $(cat "$tmp/err")"

check_failed index_cli.sh && exit 1
exit 0
