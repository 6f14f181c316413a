#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The command-line modes for scripts: --list, --dump, --check, --search, --help, errors,
# locale.
set -u
: "${XINWEN:?}" "${TOP_SRCDIR:?}"

data="$TOP_SRCDIR/data"
golden="$TOP_SRCDIR/tests/golden"
. "$TOP_SRCDIR/tests/check-lib.sh"

# expect_status WANT CMD...: run CMD (stdout to $tmp/out, stderr to $tmp/err).
expect_status() {
	local want=$1
	shift
	"$@" > "$tmp/out" 2> "$tmp/err"
	local got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want: $(head -c 300 "$tmp/err")"
}

# The seed article is shipped byte for byte as it was scraped (data/README).
[ "$(sha256sum < "$data/000_bc5b92f142057c5b.txt")" = \
	"2d86e44a8953aa096d3368dcb168cc8b8b76db806dc4a43a090bec6fdf55775c  -" ] ||
	fail "data/000_bc5b92f142057c5b.txt is not the seed article byte for byte"

# --list: one line per article, newest first: the seed, the four demonstration articles
# (data/README), then the seed's 20 excerpts.
expect_status 0 "$XINWEN" --list "$data"
[ "$(wc -l < "$tmp/out")" -eq 25 ] || fail "--list printed $(wc -l < "$tmp/out") lines, expected 25"
printf '000_bc5b92f142057c5b\t2020-11-21\tfull\t四川新聞丨做實社會治理 閬中下足繡花功夫\n' > "$tmp/want"
head -n 1 "$tmp/out" | cmp -s - "$tmp/want" || fail "--list first line: $(head -n 1 "$tmp/out")"
{
	printf 'demo-council\t2020-11-20\tfull\t桐溪鎮議事會開到樓道口 舊車棚換來三十個車位\n'
	printf 'demo-market\t2020-11-19\tfull\t桐溪鎮早市掛上評分板 攤商輪流值日掃街\n'
	printf 'demo-street\t2020-11-18\tfull\t桐溪鎮老街步道完工 坡道與扶手一次到位\n'
	printf 'demo-bus\t2020-11-17\tfull\t桐溪鎮小巴新線試營運 串起老街、早市與衛生所\n'
} > "$tmp/want-demo"
sed -n 2,5p "$tmp/out" | cmp -s - "$tmp/want-demo" ||
	fail "--list lines 2-5 are not the demonstration articles: $(sed -n 2,5p "$tmp/out")"
[ "$(grep -c $'^x-[0-9a-f]\\{16\\}\t\texcerpt\t' "$tmp/out")" -eq 20 ] ||
	fail "--list does not show 20 excerpts with ids x-<16 hex>"
grep -q $'\texcerpt\t港北區:下足「繡花」功夫 打贏脫貧硬仗$' "$tmp/out" ||
	fail "--list lacks related story 3 as an excerpt"
# Every link of a demonstration article resolves: --check --verbose lists only the
# seed's headlines.
expect_status 0 "$XINWEN" --check --verbose "$data"
grep -v '^[^:]*/000_bc5b92f142057c5b\.txt:' "$tmp/err" | grep -v '^xinwen: ' | grep -q . &&
	fail "--check reports a headline outside the seed: $(grep -v 000_bc5b92f142057c5b "$tmp/err" | head -3)"

# With no PATH, the bundled collection.
expect_status 0 "$XINWEN" --list
[ "$(wc -l < "$tmp/out")" -eq 25 ] || fail "--list with no PATH did not list the bundled collection"

# --dump: exactly the pane's lines, at 40, 80 and 120 columns.
for w in 40 80 120; do
	expect_status 0 "$XINWEN" --dump 000_bc5b92f142057c5b --width "$w" "$data"
	cmp -s "$tmp/out" "$golden/seed-$w.txt" || {
		fail "--dump at width $w differs from tests/golden/seed-$w.txt"
		diff "$golden/seed-$w.txt" "$tmp/out" | head -20
	}
done
expect_status 0 "$XINWEN" --dump '港北區:下足「繡花」功夫 打贏脫貧硬仗' --width 60 "$data"
cmp -s "$tmp/out" "$golden/excerpt-60.txt" || fail "--dump of an excerpt by title differs from the golden file"
grep -q '^  <- 四川新聞丨做實社會治理 閬中下足繡花功夫$' "$tmp/out" || fail "the excerpt does not cite the seed back"
# A citing story's headline wraps balanced and hangs under its text, not under "<-".
expect_status 0 "$XINWEN" --dump demo-bus --width 30 "$data"
grep -A1 -x '  <- 桐溪鎮早市掛上評分板' "$tmp/out" | tail -n 1 | grep -qx '     攤商輪流值日掃街' ||
	fail "a wrapped citing story does not hang under its headline: $(grep -A1 -e '<-' "$tmp/out" | head -4)"
# The similar stories, as the pane shows them, from the cache or computed afresh.
grep -q '^Similar stories$' "$golden/seed-80.txt" || fail "the golden --dump lacks the similar stories"
expect_status 0 "$XINWEN" --no-cache --dump 000_bc5b92f142057c5b --width 80 "$data"
cmp -s "$tmp/out" "$golden/seed-80.txt" || fail "--dump --no-cache differs from tests/golden/seed-80.txt"
COLUMNS=33 expect_status 0 "$XINWEN" --dump 000_bc5b92f142057c5b "$data" </dev/null
cmp -s "$tmp/out" "$golden/seed-80.txt" || fail "--dump to a pipe does not default to 80 columns"
expect_status 2 "$XINWEN" --dump no-such-article "$data"
grep -q "no article with id or title 'no-such-article'" "$tmp/err" || fail "--dump of a missing article says nothing useful"

# --check: related headlines the collection lacks are no problem: counted in the summary
# (exit 0), listed as FILE:LINE: message with --verbose.
expect_status 0 "$XINWEN" --check "$data"
[ "$(cat "$tmp/err")" = "xinwen: 5 articles in 5 files: no problems; 20 related headlines not in the collection, shown as excerpts (--verbose lists them)" ] ||
	fail "--check of the bundled collection is not one summary line: $(head -3 "$tmp/err")"
expect_status 2 "$XINWEN" --verbose "$data"
grep -q -- "--verbose goes with --check" "$tmp/err" || fail "--verbose without --check is not refused"
expect_status 0 "$XINWEN" --check --verbose "$data"
[ "$(tail -n 1 "$tmp/err")" = "xinwen: 5 articles in 5 files: no problems; 20 related headlines not in the collection, shown as excerpts" ] ||
	fail "--check --verbose does not end with the summary: $(tail -n 1 "$tmp/err")"
[ "$(grep -c '000_bc5b92f142057c5b.txt:[0-9]*: unresolved related headline: ' "$tmp/err")" -eq 20 ] ||
	fail "--check did not report the 20 unresolved headlines: $(head -3 "$tmp/err")"
grep -q '000_bc5b92f142057c5b.txt:57: unresolved related headline: 港北區' "$tmp/err" ||
	fail "--check does not give the line of related story 3"

printf 'A clean article\n\n2024-01-02 Somewhere\n\nBody.\n' > "$tmp/clean.txt"
expect_status 0 "$XINWEN" --check "$tmp/clean.txt"
[ -s "$tmp/err" ] && fail "--check on a clean article printed: $(cat "$tmp/err")"
# ...but a collection with no article at all is said, and is a problem
mkdir "$tmp/nothing" "$tmp/notes"
printf '# notes\n' > "$tmp/notes/README.md"
expect_status 1 "$XINWEN" --check "$tmp/nothing"
grep -qx 'xinwen: no articles: no file of a format xinwen reads' "$tmp/err" ||
	fail "--check of an empty directory: $(cat "$tmp/err")"
expect_status 1 "$XINWEN" --check "$tmp/notes"
grep -qx 'xinwen: no articles: no file of a format xinwen reads' "$tmp/err" ||
	fail "--check of a directory of no article files: $(cat "$tmp/err")"
# --list of nothing lists nothing (as ls), but nothing for problems says them (an
# empty .dat listed nothing without a word)
expect_status 0 "$XINWEN" --list "$tmp/nothing"
[ -s "$tmp/out" ] && fail "--list of an empty directory printed: $(cat "$tmp/out")"
: > "$tmp/nothing/empty.dat"
expect_status 1 "$XINWEN" --list --json "$tmp/nothing/empty.dat"
grep -q 'empty.dat:0: .*skipped' "$tmp/err" ||
	fail "--list of an empty .dat does not say it was skipped: $(cat "$tmp/err")"
rm "$tmp/nothing/empty.dat"

mkdir "$tmp/mixed"
printf 'Good one\n\n2024-01-02 S\n\nBody.\n' > "$tmp/mixed/good.txt"
printf '   \n\n' > "$tmp/mixed/blank.txt"
printf 'Broken \xff\xfe title\n\nBody.\n' > "$tmp/mixed/broken.txt"
expect_status 2 "$XINWEN" --check "$tmp/mixed" "$tmp/missing.txt" # unreadable: an error
grep -qx 'xinwen: 2 articles in 3 files: 4 problems' "$tmp/err" || fail "--check's summary of the mixed files: $(tail -n 1 "$tmp/err")"
grep -q 'blank.txt:0: ' "$tmp/err" || fail "--check did not name the blank file"
grep -q 'broken.txt:1: invalid UTF-8' "$tmp/err" || fail "--check did not report invalid UTF-8 at line 1"
grep -q 'missing.txt:0: ' "$tmp/err" || fail "--check did not name the missing file"
expect_status 1 "$XINWEN" --check "$tmp/mixed"
expect_status 2 "$XINWEN" --list "$tmp/mixed" "$tmp/missing.txt"
[ "$(wc -l < "$tmp/out")" -eq 2 ] || fail "the good articles did not all load next to bad files"
grep -q "^xinwen: $tmp/missing.txt: cannot stat: No such file" "$tmp/err" ||
	fail "--list did not name the missing path: $(cat "$tmp/err")"
grep -q 'blank.txt' "$tmp/err" && fail "--list reported a readable file's problem as an error"

# Exit status, as grep's (src/exitcode.h): 0 ok or found, 1 nothing matched, 2 an error;
# every path that cannot be read is named on stderr, whatever the mode.
expect_status 2 "$XINWEN" --list /nonexistent
grep -q '^xinwen: /nonexistent: cannot stat: No such file or directory$' "$tmp/err" ||
	fail "--list /nonexistent: $(cat "$tmp/err")"
expect_status 2 "$XINWEN" --search foo /nonexistent
grep -q '/nonexistent' "$tmp/err" || fail "--search foo /nonexistent named nothing"
expect_status 2 "$XINWEN" --search 閬中 "$data" /nonexistent # found, but an error too
[ -s "$tmp/out" ] || fail "--search with a missing path printed no match of the readable one"
expect_status 2 "$XINWEN" --dump 000_bc5b92f142057c5b "$data" /nonexistent
expect_status 2 "$XINWEN" --related 000_bc5b92f142057c5b "$data" /nonexistent
expect_status 2 "$XINWEN" --list /dev/null # named and not a regular file: not read
grep -q '/dev/null: not a regular file' "$tmp/err" || fail "--list /dev/null: $(cat "$tmp/err")"
mkdir "$tmp/locked" && printf 'Locked\n\n2024-01-02 S\n\nBody.\n' > "$tmp/locked/a.txt"
chmod 000 "$tmp/locked/a.txt"
if ! cat "$tmp/locked/a.txt" >/dev/null 2>&1; then # root reads it anyway
	expect_status 2 "$XINWEN" --list "$tmp/locked"
	grep -q 'locked/a.txt: cannot open: Permission denied' "$tmp/err" ||
		fail "an unreadable file in a directory is not named: $(cat "$tmp/err")"
fi
chmod 644 "$tmp/locked/a.txt"

# --check takes only days of the calendar, and a date line after the title.
printf 'Feb 30\n\n2020-02-30 S\n\nBody.\n' > "$tmp/feb30.txt"
printf 'No date\n\nNot a date line.\n\nBody.\n' > "$tmp/nodate.txt"
expect_status 1 "$XINWEN" --check "$tmp/feb30.txt" "$tmp/nodate.txt"
grep -qx "$tmp/feb30.txt:3: no such day: 2020-02-30: the article is undated" "$tmp/err" ||
	fail "--check does not reject 2020-02-30: $(cat "$tmp/err")"
grep -qx "$tmp/nodate.txt:3: no date line (YYYY-MM-DD SOURCE): read as the first paragraph" "$tmp/err" ||
	fail "--check does not report a third line that is no date: $(cat "$tmp/err")"

# Untrusted text never reaches the output raw, terminal or pipe.
printf 'Evil \033]0;pwned\007 title \302\233 \342\200\256x\n\n2024-01-02 S\n\nBody \033[2J.\n' > "$tmp/evil.txt"
expect_status 0 "$XINWEN" --list "$tmp/evil.txt"
LC_ALL=C grep -q $'[\x1b\x07]' "$tmp/out" && fail "--list wrote an ESC or BEL byte"
LC_ALL=C grep -q $'\xc2\x9b\|\xe2\x80\xae' "$tmp/out" && fail "--list wrote a C1 or bidi control"
grep -q 'Evil \^\[\]0;pwned\^G title' "$tmp/out" || fail "--list did not show the controls as caret text: $(cat "$tmp/out")"
expect_status 0 "$XINWEN" --dump evil --width 30 "$tmp/evil.txt"
LC_ALL=C grep -q $'[\x1b\x07]' "$tmp/out" && fail "--dump wrote an ESC or BEL byte"
printf 'x\n' > "$tmp/$(printf 'name\033[31m')".txt
expect_status 2 "$XINWEN" --check "$tmp/$(printf 'name\033[31m').txt" "$tmp/nowhere"
LC_ALL=C grep -q $'\x1b' "$tmp/err" && fail "--check wrote a file name's ESC raw"

# --search: each matching article's --list line, then TAB, context and the >>match<<.
expect_status 0 "$XINWEN" --search 閬中 "$data"
head -n 1 "$tmp/out" | cmp -s - "$tmp/want" || fail "--search 閬中: first line is not the seed's --list line: $(head -n 1 "$tmp/out")"
sed -n 2p "$tmp/out" | grep -q $'^\t.*>>閬中<<' || fail "--search 閬中: second line does not mark the match: $(sed -n 2p "$tmp/out")"
[ "$(awk 'NR % 2 == 0 && !/^\t/' "$tmp/out" | wc -l)" -eq 0 ] || fail "--search: an even line does not start with a TAB"
[ "$(awk 'NR % 2 == 1' "$tmp/out" | grep -vc $'^[^\t]*\t[^\t]*\t\\(full\\|excerpt\\)\t')" -eq 0 ] ||
	fail "--search: an odd line is not a --list line"
if "$XINWEN" --version | grep -q '^Features:.* +opencc'; then
	expect_status 0 "$XINWEN" --search 阆中 "$data"
	head -n 1 "$tmp/out" | cmp -s - "$tmp/want" || fail "--search 阆中 (Simplified) did not find the seed first"
	sed -n 2p "$tmp/out" | grep -q '>>閬中<<' || fail "--search 阆中 did not mark the Traditional text: $(sed -n 2p "$tmp/out")"
else
	echo "NOTE: built without OpenCC: Traditional/Simplified matching is not tested"
fi
printf 'Chip maker news\n\n2024-03-01 S\n\nShares of TSMC rose\ttoday.\n\nMore text.\n' > "$tmp/tsmc.txt"
expect_status 0 "$XINWEN" --search ｔｓｍｃ "$tmp/tsmc.txt"
printf 'tsmc\t2024-03-01\tfull\tChip maker news\n\tChip maker news S Shares of >>TSMC<< rose today. More text.\n' |
	cmp -s - "$tmp/out" || fail "--search ｔｓｍｃ (full width, lower case): $(cat "$tmp/out")"
expect_status 1 "$XINWEN" --search 沒有這樣的字串 "$data"
[ -s "$tmp/out" ] && fail "--search with no match printed: $(head -c 300 "$tmp/out")"
expect_status 0 "$XINWEN" --regex --search '閬.市' "$data"
grep -q '>>閬中市<<' "$tmp/out" || fail "--regex '閬.市' did not mark 閬中市: $(sed -n 2p "$tmp/out")"
expect_status 1 "$XINWEN" --search '閬.市' "$data" # without --regex, '.' is literal
expect_status 2 "$XINWEN" --regex --search '(' "$data"
grep -q "invalid regular expression '('" "$tmp/err" || fail "--regex '(' gave no clear message: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && fail "--regex '(' printed on standard output"
expect_status 2 "$XINWEN" --search '' "$data"
expect_status 2 "$XINWEN" --regex --list "$data"
expect_status 0 "$XINWEN" --search Body "$tmp/evil.txt"
LC_ALL=C grep -q $'[\x1b\x07]' "$tmp/out" && fail "--search wrote an ESC or BEL byte"
grep -q $'\t.*>>Body<< \\^\\[\\[2J\\.' "$tmp/out" || fail "--search did not show the context's ESC as caret text: $(cat "$tmp/out")"
expect_status 2 "$XINWEN" --regex --search "$(printf '(\033[2J')" "$tmp/evil.txt"
LC_ALL=C grep -q $'\x1b' "$tmp/err" && fail "--search wrote the query's ESC raw in its message"

# Usage errors exit 2; help and version.
expect_status 2 "$XINWEN" --no-such-option
expect_status 2 "$XINWEN" --dump x --width 0
expect_status 0 "$XINWEN" --help
grep -q 'Type N, then Enter: follow story N; or a count: 5j, 12G' "$tmp/out" || fail "--help lacks the keymap"
grep -q -- '--dump ID|TITLE' "$tmp/out" || fail "--help lacks --dump"
grep -q -- '--search QUERY' "$tmp/out" || fail "--help lacks --search"
expect_status 0 "$XINWEN" --version
grep -q '^xinwen [0-9]' "$tmp/out" || fail "--version printed: $(cat "$tmp/out")"

# The reader refuses a non-UTF-8 locale clearly; script modes still work.
LC_ALL=C expect_status 2 "$XINWEN" "$data"
grep -q 'not UTF-8' "$tmp/err" || fail "a non-UTF-8 locale gave no clear message: $(cat "$tmp/err")"
LC_ALL=C expect_status 0 "$XINWEN" --list "$data"
[ "$(wc -l < "$tmp/out")" -eq 25 ] || fail "--list under LC_ALL=C"

# The reader wants a terminal.
expect_status 2 "$XINWEN" "$data" < /dev/null
grep -q 'needs a terminal' "$tmp/err" || fail "no message when not on a terminal"

# --check-config [FILE]: FILE:LINE: message for each problem; 0 clean, 1 problems, 2 unreadable.
printf '# fine\nset split = vertical\nbind ^N next-link\ncolor title red bold\n' > "$tmp/good.conf"
expect_status 0 "$XINWEN" --check-config "$tmp/good.conf"
[ -s "$tmp/err" ] && fail "--check-config on a clean file printed: $(cat "$tmp/err")"
printf 'set split = vertical\nset nosuch = 1\nbind j fly\n\nset sort = \033[31mred\nbind \377 down\n' > "$tmp/bad.conf"
expect_status 1 "$XINWEN" --check-config "$tmp/bad.conf"
printf '%s\n' "$tmp/bad.conf:2: unknown option 'nosuch'" "$tmp/bad.conf:3: unknown action 'fly'" \
	"$tmp/bad.conf:5: bad value '^[[31mred' for sort (expected date, title, source or oldest)" \
	"$tmp/bad.conf:6: invalid UTF-8: line ignored" | cmp -s - "$tmp/err" ||
	fail "--check-config messages: $(cat "$tmp/err")"
expect_status 1 "$XINWEN" --config "$tmp/bad.conf" --check-config
grep -q "bad.conf:2: unknown option 'nosuch'" "$tmp/err" || fail "--config FILE --check-config did not check FILE"
expect_status 2 "$XINWEN" --check-config "$tmp/none.conf"
grep -q "none.conf:0: cannot open: " "$tmp/err" || fail "--check-config of a missing file: $(cat "$tmp/err")"
expect_status 2 "$XINWEN" --check-config "$tmp"
grep -q ":0: not a regular file" "$tmp/err" || fail "--check-config of a directory: $(cat "$tmp/err")"
expect_status 2 "$XINWEN" --check-config "$tmp/good.conf" "$tmp/bad.conf"
# Without FILE: $XDG_CONFIG_HOME/xinwen/config; none there is no problem.
mkdir -p "$tmp/xdg/xinwen"
XDG_CONFIG_HOME="$tmp/xdg" expect_status 0 "$XINWEN" --check-config
grep -q "no config file $tmp/xdg/xinwen/config: the defaults are in use" "$tmp/err" ||
	fail "--check-config without a config file: $(cat "$tmp/err")"
cp "$tmp/bad.conf" "$tmp/xdg/xinwen/config"
XDG_CONFIG_HOME="$tmp/xdg" expect_status 1 "$XINWEN" --check-config
grep -q "^$tmp/xdg/xinwen/config:3: unknown action 'fly'" "$tmp/err" ||
	fail "--check-config did not read \$XDG_CONFIG_HOME/xinwen/config: $(cat "$tmp/err")"
# --help shows the keys as the config file binds them.
printf 'bind x help\nunbind ?\n' > "$tmp/xdg/xinwen/config"
XDG_CONFIG_HOME="$tmp/xdg" expect_status 0 "$XINWEN" --help
grep -q '^  i, F1, x  *Show or leave this help$' "$tmp/out" || fail "--help does not show the rebound help key: $(grep 'this help' "$tmp/out")"
expect_status 0 "$XINWEN" --config "$tmp/good.conf" --help
grep -q '^  Tab, Ctrl-N  *Select the next link' "$tmp/out" || fail "--help --config FILE does not show FILE's binding"
expect_status 0 "$XINWEN" --help
grep -q '^  i, ? (list), F1  *Show or leave this help$' "$tmp/out" || fail "--help without a config does not show the defaults"
# --related: what the seed cites (its 20 related stories, in order), what cites it
# (the two demonstration articles that list it), its 10 most similar stories with
# score and reprint count.
expect_status 0 "$XINWEN" --related 000_bc5b92f142057c5b "$data"
[ "$(grep -c $'^cites\tx-[0-9a-f]\\{16\\}\t\texcerpt\t' "$tmp/out")" -eq 20 ] ||
	fail "--related does not list the seed's 20 related stories: $(head -3 "$tmp/out")"
sed -n 3p "$tmp/out" | grep -q $'^cites\t.*\t港北區:下足「繡花」功夫 打贏脫貧硬仗$' ||
	fail "--related's third cites line is not related story 3"
[ "$(grep $'^cited-by\t' "$tmp/out" | cut -f 2 | tr '\n' ' ')" = "demo-council demo-bus " ] ||
	fail "--related: the seed is not cited by demo-council and demo-bus: $(grep '^cited-by' "$tmp/out")"
[ "$(grep -c $'^similar\t[-_a-z0-9]*\t[-0-9]*\t\\(excerpt\\|full\\)\t.*\t[01]\\.[0-9]\\{3\\}\t[0-9]*$' "$tmp/out")" -eq 10 ] ||
	fail "--related does not give 10 similar stories with a score: $(grep '^similar' "$tmp/out" | head -3)"
grep '^similar' "$tmp/out" | cut -f 6 | sort -rc 2>/dev/null || fail "--related's similar stories are not best first"
expect_status 0 "$XINWEN" --related '港北區:下足「繡花」功夫 打贏脫貧硬仗' "$data"
grep -q $'^cited-by\t000_bc5b92f142057c5b\t2020-11-21\tfull\t' "$tmp/out" ||
	fail "--related of an excerpt by title does not show the seed citing it"
expect_status 2 "$XINWEN" --related no-such-article "$data"
grep -q "no article with id or title 'no-such-article'" "$tmp/err" || fail "--related of a missing article"
# Known answers: a reprint scores 1.000, a story with nothing in common is not similar,
# and titles are sanitized like --list.
mkdir "$tmp/sim"
story='颱風登陸沿海城市,居民連夜撤離。氣象部門發布紅色預警,學校停課,航班取消。'
printf '颱風登陸沿海城市\n\n2021-07-01 A\n\n%s\n' "$story" > "$tmp/sim/a.txt"
printf '颱風登陸沿海城市\n\n2021-07-02 B\n\n%s\n' "$story" > "$tmp/sim/b.txt"
printf '颱風過後\033[2J城市重建\n\n2021-07-03 C\n\n颱風過後,沿海城市開始重建,學校復課。\n' > "$tmp/sim/c.txt"
printf '股市收盤指數上漲\n\n2021-07-04 D\n\n科技股領漲,成交量放大,投資人信心回升。\n' > "$tmp/sim/d.txt"
expect_status 0 "$XINWEN" --related a "$tmp/sim"
printf 'similar\tb\t2021-07-02\tfull\t颱風登陸沿海城市\t1.000\t0\n' > "$tmp/want"
head -n 1 "$tmp/out" | cmp -s - "$tmp/want" || fail "--related: the reprint is not first with 1.000: $(head -n 1 "$tmp/out")"
sed -n 2p "$tmp/out" | grep -q $'^similar\tc\t2021-07-03\tfull\t颱風過後^\\[\\[2J城市重建\t0\\.[0-9]*\t0$' ||
	fail "--related: the second story is not c, sanitized: $(sed -n 2p "$tmp/out")"
grep -q $'^similar\td\t' "$tmp/out" && fail "--related: a story with nothing in common is similar"
LC_ALL=C grep -q $'\x1b' "$tmp/out" && fail "--related wrote an ESC byte"
[ "$(wc -l < "$tmp/out")" -eq 2 ] || fail "--related printed $(wc -l < "$tmp/out") lines, expected 2"
# The index's cache: written under $XDG_CACHE_HOME/xinwen, not used for a changed
# collection, rebuilt (with a message) when damaged, bypassed by --no-cache.
export XDG_CACHE_HOME="$tmp/cache"
expect_status 0 "$XINWEN" --no-cache --related a "$tmp/sim"
[ -e "$tmp/cache" ] && fail "--no-cache wrote a cache"
expect_status 0 "$XINWEN" --related a "$tmp/sim"
cp "$tmp/out" "$tmp/first"
cache=$(ls "$tmp"/cache/xinwen/similar-*.idx 2> /dev/null)
[ -s "$cache" ] || fail "--related wrote no cache under \$XDG_CACHE_HOME/xinwen"
ls "$tmp"/cache/xinwen | grep -q tmp && fail "a temporary cache file was left behind"
expect_status 0 "$XINWEN" --related a "$tmp/sim"
cmp -s "$tmp/out" "$tmp/first" || fail "--related answers differently from its cache"
[ -s "$tmp/err" ] && fail "--related with a sound cache printed: $(cat "$tmp/err")"
printf '股市再創新高\n\n2021-07-03 C\n\n股市收盤,科技股領漲,投資人信心回升。\n' > "$tmp/sim/c.txt"
expect_status 0 "$XINWEN" --related a "$tmp/sim"
grep -q $'^similar\tc\t' "$tmp/out" && fail "--related answered from the cache of the unchanged collection"
[ -s "$tmp/err" ] && fail "a stale cache is no news, but --related printed: $(cat "$tmp/err")"
expect_status 0 "$XINWEN" --related c "$tmp/sim"
grep -q $'^similar\td\t' "$tmp/out" || fail "--related: the changed story is not like the stock-market one"
head -c 100 "$cache" > "$tmp/cut" && mv "$tmp/cut" "$cache"
expect_status 0 "$XINWEN" --related c "$tmp/sim"
grep -q "^$cache: corrupt similar-stories cache (truncated)" "$tmp/err" ||
	fail "a truncated cache was not reported as FILE: message: $(cat "$tmp/err")"
grep -q $'^similar\td\t' "$tmp/out" || fail "--related with a truncated cache gave another answer"
expect_status 0 "$XINWEN" --related c "$tmp/sim"
[ -s "$tmp/err" ] && fail "the rebuilt cache is still reported: $(cat "$tmp/err")"
# A listing from the catalog names the files as typed, as one from the files does (the
# catalog keeps canonical paths): --list --json (built with jansson) and --check the
# same before and after --index wrote it, for a directory typed in three ways.
json=--json
"$XINWEN" --list --json "$data" > /dev/null 2>&1 || json= # built without jansson
mkdir -p "$tmp/named/体育"
printf '标题一\n\u3000\u3000内容。\n' > "$tmp/named/体育/1.txt"
printf '{"news_id":"a","title":"t"}\n{"news_id":"a","title":"u"}\n' > "$tmp/named/n.jsonl"
for typed in named named/ ./named; do
	rm -rf "$tmp/cache"
	(cd "$tmp" && "$XINWEN" --list $json "$typed" && "$XINWEN" --check "$typed") > "$tmp/cold" 2>&1
	(cd "$tmp" && "$XINWEN" --index "$typed") > /dev/null 2>&1
	ls "$tmp"/cache/xinwen/catalog-* > /dev/null 2>&1 || fail "--index $typed wrote no catalog"
	(cd "$tmp" && "$XINWEN" --list $json "$typed" && "$XINWEN" --check "$typed") > "$tmp/warm" 2>&1
	grep -qF "${typed%/}/n.jsonl" "$tmp/cold" || fail "$typed: $(head -c 300 "$tmp/cold")"
	cmp -s "$tmp/cold" "$tmp/warm" ||
		fail "$typed from the catalog: $(diff "$tmp/cold" "$tmp/warm" | head -5)"
done
# A file's name that is not UTF-8 (a THUCNews tree unpacked on Linux from an archive
# made on Chinese Windows: its folders named in GBK) is shown with its bytes as \xNN,
# never as U+FFFD: in messages, --check, --list's ids and --json (valid UTF-8), from
# the files and from the catalog; the file is still opened, and --dump takes the id
# as --list shows it.
gbk_dir=$(printf '\xcc\xe5\xd3\xfd') gbk_name=$(printf '\xd0\xc2\xce\xc5') # 体育, 新闻
mkdir -p "$tmp/gbk/THUCNews/$gbk_dir"
printf '标题一\n正文\n' > "$tmp/gbk/THUCNews/$gbk_dir/1.txt"
printf '\xff bad\n正文\n' > "$tmp/gbk/THUCNews/$gbk_dir/2.txt"
printf 'T1\n\n2020-01-01 S\n\nbody\n' > "$tmp/gbk/$gbk_name.txt"
shown='THUCNews/\xCC\xE5\xD3\xFD'
for run in cold warm; do
	[ $run = warm ] && "$XINWEN" --index "$tmp/gbk" > /dev/null 2>&1
	expect_status 1 "$XINWEN" --check "$tmp/gbk"
	grep -qxF "$tmp/gbk/$shown/2.txt:0: invalid UTF-8 repaired (1 invalid sequence)" "$tmp/err" ||
		fail "$run --check of a GBK folder: $(cat "$tmp/err")"
	grep -q $'\xef\xbf\xbd' "$tmp/err" && fail "$run --check: a name shown as U+FFFD"
	expect_status 0 "$XINWEN" --list "$tmp/gbk"
	grep -qxF "$(printf '%s\t2020-01-01\tfull\tT1' '\xD0\xC2\xCE\xC5')" "$tmp/out" ||
		fail "$run --list of a GBK file's id: $(cat -A "$tmp/out")"
	if [ -n "$json" ]; then
		expect_status 0 "$XINWEN" --list --json "$tmp/gbk"
		iconv -f UTF-8 -t UTF-8 "$tmp/out" > /dev/null 2>&1 || fail "$run --json wrote invalid UTF-8"
		grep -qF "\"path\":\"$tmp/gbk/${shown//\\/\\\\}/1.txt\"" "$tmp/out" ||
			fail "$run --json path of a GBK folder: $(head -n 3 "$tmp/out")"
		grep -qF '"id":"\\xD0\\xC2\\xCE\\xC5"' "$tmp/out" || fail "$run --json id: $(cat "$tmp/out")"
		grep -qF '"source":"体育"' "$tmp/out" || fail "$run --json: the GBK category is not the source"
		grep -o '"\(id\|path\)":"[^"]*"' "$tmp/out" | grep -q $'\xef\xbf\xbd' &&
			fail "$run --json: a name shown as U+FFFD"
	fi
	expect_status 0 "$XINWEN" --dump '\xD0\xC2\xCE\xC5' "$tmp/gbk"
	head -n 1 "$tmp/out" | grep -qx T1 || fail "$run --dump of an id as --list shows it: $(head -n 2 "$tmp/out")"
done
expect_status 2 "$XINWEN" --list "$tmp/gbk/THUCNews/$gbk_dir/3.txt"
grep -qxF "xinwen: $tmp/gbk/$shown/3.txt: cannot stat: No such file or directory" "$tmp/err" ||
	fail "a missing file in a GBK folder: $(cat "$tmp/err")"
# A name inside a message's text (the command that reads a compressed file) is shown
# as the file's name is, not with U+FFFD.
mkdir -p "$tmp/gbkgz"
printf '{"title":"t"}\n' | gzip > "$tmp/gbkgz/$gbk_name.jsonl"
expect_status 1 "$XINWEN" --no-cache --check "$tmp/gbkgz"
grep -qF "zcat $tmp/gbkgz/\xD0\xC2\xCE\xC5.jsonl | xinwen -" "$tmp/err" ||
	fail "a GBK name in a message's text: $(cat "$tmp/err")"
grep -q $'\xef\xbf\xbd' "$tmp/err" && fail "a GBK name in a message's text shown as U+FFFD"
unset XDG_CACHE_HOME
expect_status 0 "$XINWEN" --help
grep -q -- '--related ID|TITLE' "$tmp/out" || fail "--help lacks --related"
grep -q -- '--no-cache' "$tmp/out" || fail "--help lacks --no-cache"

check_failed cli.sh && exit 1
echo "PASS: cli.sh"
