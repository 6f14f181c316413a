#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The script modes as Unix tools: a collection on standard input ("-"),
# --list --json, --encoding auto.
set -u
: "${XINWEN:?}" "${TOP_SRCDIR:?}"

data="$TOP_SRCDIR/data"
. "$TOP_SRCDIR/tests/check-lib.sh"

# expect_status WANT CMD...: run CMD (stdout to $tmp/out, stderr to $tmp/err).
expect_status() {
	local want=$1
	shift
	"$@" > "$tmp/out" 2> "$tmp/err"
	local got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want: $(head -c 300 "$tmp/err")"
}

# ---- "-": the collection on standard input ----
seed="$data/000_bc5b92f142057c5b.txt"
"$XINWEN" --list "$seed" > "$tmp/seed.list"
expect_status 0 "$XINWEN" --list - < "$seed"
# the same article, named as the stream's first
sed 's/^000_bc5b92f142057c5b\t/stdin-1\t/' "$tmp/seed.list" | cmp -s - "$tmp/out" ||
	fail "--list - of the seed: $(head -3 "$tmp/out")"
# native articles one after another, each ended by a form-feed line
printf 'First\n\n2020-01-01 S\n\nOne.\n\f\nSecond\n\n2020-01-02 S\n\nTwo.\n' > "$tmp/two.txt"
expect_status 0 "$XINWEN" --list - < "$tmp/two.txt"
printf 'stdin-2\t2020-01-02\tfull\tSecond\nstdin-1\t2020-01-01\tfull\tFirst\n' | cmp -s - "$tmp/out" ||
	fail "--list - of two native articles: $(cat "$tmp/out")"
features=$("$XINWEN" --version | sed -n 's/^Features: //p')
has() { case " $features " in *" +$1 "*) return 0 ;; esac; return 1; }
if has jansson; then
# JSON Lines through a pipe (zcat x.json.gz | xinwen --list -), detected without a
# name; a record without an id is named after the stream as after a file (stdin-LINE)
cp "$TOP_SRCDIR/tests/data/formats/jsonl/news2016zh.jsonl" "$tmp/stdin.json"
"$XINWEN" --list "$tmp/stdin.json" > "$tmp/jsonl.list"
[ "$(wc -l < "$tmp/jsonl.list")" -ge 3 ] || fail "the JSON Lines fixture lists fewer than 3 articles"
gzip -c "$tmp/stdin.json" > "$tmp/stdin.json.gz"
zcat "$tmp/stdin.json.gz" | "$XINWEN" --list - > "$tmp/out" 2> "$tmp/err"
[ $? -eq 0 ] || fail "zcat | xinwen --list - exited non-zero: $(cat "$tmp/err")"
cmp -s "$tmp/jsonl.list" "$tmp/out" || fail "--list - of JSON Lines differs from --list FILE"
zcat "$tmp/stdin.json.gz" | "$XINWEN" --search 的 - > "$tmp/out" 2> /dev/null
[ -s "$tmp/out" ] || fail "--search over standard input found nothing"
fi
# SogouCS records, and - beside a path
printf '<doc>\n<url>http://x/1</url>\n<docno>d1</docno>\n<contenttitle>Sogou title</contenttitle>\n<content>Body</content>\n</doc>\n' > "$tmp/s.dat"
expect_status 0 "$XINWEN" --list - "$seed" < "$tmp/s.dat"
grep -q $'^d1\t\tfull\tSogou title$' "$tmp/out" || fail "--list - of <doc> records: $(cat "$tmp/out")"
grep -q $'^000_bc5b92f142057c5b\t' "$tmp/out" || fail "--list - PATH lost the path's article"
# problems are named as standard input's
if has jansson; then
	printf '{"title": "ok", "content": "x"}\n{bad\n' > "$tmp/bad.jsonl"
	expect_status 1 "$XINWEN" --check - < "$tmp/bad.jsonl"
	grep -q '^stdin:2: bad JSON' "$tmp/err" || fail "--check - did not name the line: $(cat "$tmp/err")"
fi
expect_status 0 "$XINWEN" --list - < /dev/null
[ -s "$tmp/out" ] && fail "--list - of nothing printed: $(cat "$tmp/out")"
# a file named "-" is ./-
cp "$seed" "$tmp/-" && (cd "$tmp" && "$XINWEN" --list ./- > "$tmp/out" 2>&1) ||
	fail "--list ./- failed"

# ---- --list --unread, --bookmarked: the 5 full articles of the bundled collection are
# unread in a fresh state directory, its 20 excerpts never; nothing is bookmarked ----
expect_status 0 "$XINWEN" --list --unread "$data"
"$XINWEN" --list "$data" | grep $'\tfull\t' | cmp -s - "$tmp/out" ||
	fail "--list --unread: $(cat "$tmp/out")"
expect_status 0 "$XINWEN" --list --bookmarked "$data"
[ -s "$tmp/out" ] && fail "--list --bookmarked with no bookmark: $(cat "$tmp/out")"
expect_status 2 "$XINWEN" --unread "$data"

# ---- --list --json: one object per line (test_ecosystem checks the fields) ----
if has jansson; then
expect_status 0 "$XINWEN" --list --json "$data"
[ "$(wc -l < "$tmp/out")" -eq 25 ] || fail "--list --json printed $(wc -l < "$tmp/out") lines, not 25"
head -1 "$tmp/out" | grep -q '^{"id":"000_bc5b92f142057c5b","date":"2020-11-21","time":null,"source":"四川觀察","kind":"full",.*"url":null,"read":false,"bookmarked":false}$' ||
	fail "--list --json's first line: $(head -1 "$tmp/out")"
expect_status 2 "$XINWEN" --json "$data"
grep -q -- '--json goes with --list' "$tmp/err" || fail "--json without --list: $(cat "$tmp/err")"
expect_status 2 "$XINWEN" --list --json /nonexistent
# --unread and --bookmarked choose the objects too: the 5 unread full articles (in a
# fresh state directory), never the 20 excerpts; nothing bookmarked
expect_status 0 "$XINWEN" --list --json --unread "$data"
[ "$(grep -c '"kind":"full",.*"read":false,' "$tmp/out")" -eq 5 ] && [ "$(wc -l < "$tmp/out")" -eq 5 ] ||
	fail "--list --json --unread: $(wc -l < "$tmp/out") lines: $(head -c 300 "$tmp/out")"
expect_status 0 "$XINWEN" --list --json --bookmarked "$data"
[ -s "$tmp/out" ] && fail "--list --json --bookmarked with no bookmark: $(head -c 300 "$tmp/out")"
else
	expect_status 2 "$XINWEN" --list --json "$data"
	grep -q 'built without jansson' "$tmp/err" || fail "--json without jansson: $(cat "$tmp/err")"
fi

# ---- --cache: what is cached, per collection, with sizes; --cache --clear ----
export XDG_CACHE_HOME=$tmp/cache
expect_status 0 "$XINWEN" --cache
grep -qx "Total: 0 B in $tmp/cache/xinwen" "$tmp/out" || fail "--cache of no cache: $(cat "$tmp/out")"
"$XINWEN" --related 000_bc5b92f142057c5b "$data" > /dev/null # writes a similar-stories index
"$XINWEN" --index "$data" > /dev/null # and a search index
printf 'x' > "$tmp/cache/xinwen/notes.txt"
# --index wrote the catalog too: one line for the collection, its caches in it (every
# file of its search index: manifest, segments, lock, map)
expect_status 0 "$XINWEN" --cache
canon=$(cd "$data" && pwd -P) # the caches name the files by their canonical paths
grep -F "$canon"$'\t' "$tmp/out" |
	grep -q $'\t25 articles, 5 files, opened [0-9-]*: [0-9.]* KiB (catalog [0-9.]* KiB, similar stories [0-9.]* KiB, search index [0-9.]* KiB)$' ||
	fail "--cache does not list the collection with its caches: $(cat "$tmp/out")"
grep -q '^(no catalog)' "$tmp/out" && fail "--cache lists its collection's files apart: $(cat "$tmp/out")"
nfiles=$(ls "$tmp/cache/xinwen" | grep -c -e '^catalog-' -e '^similar-' -e '^index-')
# without the catalog, each is listed on its own
rm "$tmp"/cache/xinwen/catalog-*
expect_status 0 "$XINWEN" --cache
grep -q $'^(no catalog)\tsimilar-[0-9a-f]*\.idx, opened [0-9-]*: [0-9.]* KiB$' "$tmp/out" ||
	fail "--cache does not list the similar-stories index: $(cat "$tmp/out")"
for f in .db .db-1 .db-lock; do
	grep -q "^(no catalog)$(printf '\t')index-[0-9a-f]*$f, opened [0-9-]*: [0-9.]* \(B\|KiB\)\$" "$tmp/out" ||
		fail "--cache does not list the search index's $f as xinwen's: $(cat "$tmp/out")"
done
grep -q $'^(not xinwen\'s)\tnotes.txt' "$tmp/out" || fail "--cache does not list a stranger: $(cat "$tmp/out")"
grep -q '^Total: [0-9.]* KiB in ' "$tmp/out" || fail "--cache has no total: $(cat "$tmp/out")"
expect_status 0 "$XINWEN" --cache --clear
grep -qx "Removed $((nfiles - 1)) files from $tmp/cache/xinwen" "$tmp/out" || fail "--cache --clear: $(cat "$tmp/out")"
[ -e "$tmp/cache/xinwen/notes.txt" ] || fail "--cache --clear removed a file not of xinwen"
ls "$tmp/cache/xinwen" | grep -q '^similar-' && fail "--cache --clear left the index"
ls "$tmp/cache/xinwen" | grep -q '^index-' && fail "--cache --clear left the search index"
expect_status 2 "$XINWEN" --clear
expect_status 2 "$XINWEN" --cache "$data"
unset XDG_CACHE_HOME

# ---- ./bootstrap --dry-run lists what it would install and installs nothing ----
mkdir -p "$tmp/fakebin" "$tmp/boot"
for tool in apt-get sudo autoreconf; do
	printf '#!/bin/sh\necho "%s $*" >> "%s/called"\n' "$tool" "$tmp" > "$tmp/fakebin/$tool"
	chmod +x "$tmp/fakebin/$tool"
done
sed 's|^tmux:/usr/bin/tmux$|tmux:/nonexistent/tmux|; s|^zsh:/usr/bin/zsh$|zsh:/nonexistent/zsh|' \
	"$TOP_SRCDIR/bootstrap" > "$tmp/boot/bootstrap"
PATH="$tmp/fakebin:$PATH" expect_status 0 sh "$tmp/boot/bootstrap" --dry-run
grep -qx 'bootstrap: would install: tmux zsh' "$tmp/out" || fail "bootstrap --dry-run: $(cat "$tmp/out")"
[ -e "$tmp/called" ] && fail "bootstrap --dry-run ran: $(cat "$tmp/called")"
PATH="$tmp/fakebin:$PATH" expect_status 2 sh "$tmp/boot/bootstrap" --frobnicate

# ---- --encoding auto: Big5 and GB18030 files (made here by iconv) told apart ----
if has uchardet; then
	printf '台灣新聞報導\n\n2024-05-06 中央社\n\n行政院今天召開會議,討論颱風過後的災後重建與交通恢復工作。\n' |
		iconv -f UTF-8 -t BIG5 > "$tmp/b5.txt"
	printf '台湾新闻报导\n\n2024-05-06 新华社\n\n国务院今天召开会议,讨论台风过后的灾后重建与交通恢复工作。\n' |
		iconv -f UTF-8 -t GB18030 > "$tmp/gb.txt"
	expect_status 0 "$XINWEN" --list "$tmp/b5.txt" "$tmp/gb.txt"
	printf 'b5\t2024-05-06\tfull\t台灣新聞報導\ngb\t2024-05-06\tfull\t台湾新闻报导\n' | sort | cmp -s - <(sort "$tmp/out") ||
		fail "--list of a Big5 and a GB18030 file: $(cat "$tmp/out")"
	expect_status 0 "$XINWEN" --dump b5 --width 80 --encoding auto "$tmp/b5.txt"
	grep -q '颱風過後的災後重建' "$tmp/out" || fail "the Big5 body: $(cat "$tmp/out")"
	# an encoding detected is said (once per encoding), not a problem: exit 0
	expect_status 0 "$XINWEN" --check "$tmp/b5.txt" "$tmp/gb.txt"
	grep -qx "xinwen: 2 articles in 2 files: no problems; 2 files not in UTF-8, read in the encoding detected" "$tmp/err" ||
		fail "--check's summary of two files in encodings detected: $(cat "$tmp/err")"
	grep -qx "$tmp/b5.txt:0: not UTF-8: read as BIG5, the encoding detected (--encoding big5 says so)" "$tmp/err" ||
		fail "--check does not say the Big5 file's encoding: $(cat "$tmp/err")"
	grep -qx "$tmp/gb.txt:0: not UTF-8: read as GB18030, the encoding detected (--encoding gb18030 says so)" "$tmp/err" ||
		fail "--check does not say the GB18030 file's encoding: $(cat "$tmp/err")"
	# many files in one encoding: said once, all with --verbose
	cp "$tmp/gb.txt" "$tmp/gb2.txt"
	expect_status 0 "$XINWEN" --check "$tmp/gb.txt" "$tmp/gb2.txt"
	[ "$(grep -c 'read as GB18030, the encoding detected' "$tmp/err")" -eq 1 ] ||
		fail "--check said GB18030 more than once: $(cat "$tmp/err")"
	grep -q '2 files not in UTF-8, read in the encoding detected (--verbose lists them)$' "$tmp/err" ||
		fail "--check's summary of two GB18030 files: $(cat "$tmp/err")"
	expect_status 0 "$XINWEN" --check --verbose "$tmp/gb.txt" "$tmp/gb2.txt"
	[ "$(grep -c 'read as GB18030, the encoding detected' "$tmp/err")" -eq 2 ] ||
		fail "--check --verbose did not list both GB18030 files: $(cat "$tmp/err")"
	# told, the encoding is not reported; a wrong one is, with the one detected suggested
	expect_status 0 "$XINWEN" --check --encoding big5 "$tmp/b5.txt"
	expect_status 1 "$XINWEN" --check --encoding big5 "$tmp/gb.txt"
	grep -qx "$tmp/gb.txt:1: read as big5 as told, but the bytes look like GB18030: try --encoding gb18030" "$tmp/err" ||
		fail "a wrong --encoding does not suggest the right one: $(cat "$tmp/err")"
	# SogouCS records in Big5 were read as GB18030 (garbage, no report): now detected
	expect_status 0 "$XINWEN" --list "$TOP_SRCDIR/tests/data/formats/big5"
	printf 'big5-1\t\tfull\t台灣新聞報導\n' | cmp -s - "$tmp/out" ||
		fail "SogouCS in Big5 without --encoding: $(cat "$tmp/out")"
	# UTF-8 with a few stray bytes stays UTF-8, repaired
	printf '新聞標題\n\n2024-01-02 來源\n\n正文\xa1\xa2內容。\n' > "$tmp/damaged.txt"
	expect_status 1 "$XINWEN" --check "$tmp/damaged.txt"
	grep -q 'invalid UTF-8 repaired' "$tmp/err" || fail "damaged UTF-8: $(cat "$tmp/err")"
else
	echo "NOTE: built without uchardet: --encoding auto is not tested"
fi

# ---- The man pages: version and date substituted, groff -ww clean on every device ----
version=$("$XINWEN" --version | sed -n '1s/^xinwen //p')
for page in "$(dirname "$XINWEN")/../man/xinwen.1" "$(dirname "$XINWEN")/../man/xinwen.5"; do
	grep -q "^\.TH XINWEN [15] [0-9]\{4\}-[0-9][0-9]-[0-9][0-9] \"xinwen $version\" " "$page" ||
		fail "$page: .TH without the version and date: $(grep '^\.TH' "$page")"
	grep -v '^\.\\"' "$page" | grep -q '@[A-Z]*@' && fail "$page: a placeholder is left: $(grep -m1 '@[A-Z]*@' "$page")"
	if command -v groff >/dev/null 2>&1; then
		for dev in ps utf8 latin1; do
			groff -ww -man -T"$dev" -z "$page" > "$tmp/groff" 2>&1 ||
				fail "groff -T$dev $page failed"
			[ -s "$tmp/groff" ] && fail "groff -ww -man -T$dev $page warns: $(head -3 "$tmp/groff")"
		done
	fi
done

check_failed ecosystem.sh && exit 1
exit 0
