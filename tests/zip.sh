#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Zip archives from the command line. Built with libzip: the fixtures of
# tests/data/formats zipped (THUCNews, JSON Lines, SogouCS members, deflated and stored)
# give the same --list, --dump, --search and --check as the files unpacked; a hostile
# archive's problems are named (archive:member) with nothing raw on the terminal, the
# good members still listed; a truncated archive is an error naming it (exit 2); an
# empty one has no articles, which --check says (exit 1).
# Built --without-libzip: --version says -libzip, and a zip archive given is an error
# naming it and saying this build cannot read zip archives (exit 2). The archives are
# written with Perl's IO::Compress::Zip (in Perl's core).
set -u
: "${XINWEN:?}" "${TOP_SRCDIR:?}"
perl -MIO::Compress::Zip -e 1 2> /dev/null || { echo "SKIP: zip.sh: no IO::Compress::Zip"; exit 77; }
. "$TOP_SRCDIR/tests/check-lib.sh"
cd "$TOP_SRCDIR/tests/data" || exit 1
export XDG_CACHE_HOME=$tmp/cache

# mkzip OUT NAME=FILE[:store]...: an archive of FILE's bytes under each NAME, flagged
# UTF-8 unless EFS=0 (then read as CP437).
mkzip() {
	perl -e '
		use IO::Compress::Zip qw(:zip_method $ZipError);
		my $out = shift;
		my $z;
		for (@ARGV) {
			my ($name, $file, $how) = /^(.*?)=([^:]*)(?::(\w+))?$/ or die "bad $_";
			open my $f, "<:raw", $file or die "$file: $!";
			local $/; my $bytes = <$f>;
			my %o = (Name => $name, Efs => $ENV{EFS} // 1, Minimal => 1,
				 Method => ($how // "") eq "store" ? ZIP_CM_STORE : ZIP_CM_DEFLATE);
			if ($z) { $z->newStream(%o) or die $ZipError }
			else { $z = IO::Compress::Zip->new($out, %o) or die $ZipError }
			$z->print($bytes);
		}
		$z->close;
	' "$@" || fail "cannot write $1"
}

# expect_status WANT CMD...: run CMD (stdout to $tmp/out, stderr to $tmp/err).
expect_status() {
	local want=$1
	shift
	"$@" > "$tmp/out" 2> "$tmp/err"
	local got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want: $(head -c 300 "$tmp/err")"
}

fx=formats
if ! "$XINWEN" --version | grep -q '+libzip'; then
	"$XINWEN" --version | grep -q -- '-libzip' || fail "--version says nothing of libzip"
	mkzip "$tmp/THUCNews.zip" "THUCNews/体育/101.txt=$fx/thucnews/体育/101.txt"
	for mode in --list --check "--dump 101" "--search 国奥"; do
		# shellcheck disable=SC2086 # the mode's words
		expect_status 2 "$XINWEN" --no-cache $mode "$tmp/THUCNews.zip"
		grep -q "THUCNews.zip\(:0\)\?: a zip archive, which this build of xinwen cannot read" "$tmp/err" ||
			fail "$mode: no message naming the archive: $(cat "$tmp/err")"
	done
	check_failed zip.sh && exit 1
	echo "zip.sh: without libzip, a zip archive is refused, named"
	exit 0
fi

# --- the fixtures zipped: the same as unpacked --------------------------------------
mkzip "$tmp/all.zip" \
	"THUCNews/体育/101.txt=$fx/thucnews/体育/101.txt" \
	"THUCNews/体育/102.txt=$fx/thucnews/体育/102.txt:store" \
	"THUCNews/财经/201.txt=$fx/thucnews/财经/201.txt" \
	"news/news2016zh.jsonl=$fx/jsonl/news2016zh.jsonl:store" \
	"news/news_sohusite_xml.dat=$fx/sogou/news_sohusite_xml.dat" \
	"THUCNews/README=$fx/README"
for mode in --list "--dump 101" "--dump 201" "--search 国奥" "--search 春运" --check; do
	# shellcheck disable=SC2086 # the mode's words
	"$XINWEN" $mode "$fx/thucnews" "$fx/jsonl" "$fx/sogou" > "$tmp/want" 2> "$tmp/want.err"
	want=$?
	# shellcheck disable=SC2086
	expect_status "$want" "$XINWEN" $mode "$tmp/all.zip"
	cmp -s "$tmp/want" "$tmp/out" || { fail "$mode of the archive differs:"; diff "$tmp/want" "$tmp/out" | head; }
	# shellcheck disable=SC2086
	expect_status "$want" "$XINWEN" --no-cache $mode "$tmp/all.zip"
	cmp -s "$tmp/want" "$tmp/out" || fail "$mode --no-cache of the archive differs"
done
"$XINWEN" --list "$tmp/all.zip" | grep -q '马晓旭意外受伤' || fail "no THUCNews title listed"

# --- hostile: unsafe names, a control character, a duplicate; nothing raw -------------
# (the name with ESC and BEL is not flagged UTF-8: libzip reads it as CP437, printable;
# flagged, libzip refuses the archive: below)
printf 'Good\n\n2021-01-01 Src\n\nBody.\n' > "$tmp/good.txt"
EFS=0 mkzip "$tmp/bad.zip" "ok/1.txt=$tmp/good.txt" "../../etc/evil.txt=$tmp/good.txt" \
	"/abs.txt=$tmp/good.txt" "$(printf 'esc\033]0;x\007.txt')=$tmp/good.txt" \
	"ok/1.txt=$tmp/good.txt"
expect_status 1 "$XINWEN" --check "$tmp/bad.zip"
grep -q 'bad.zip:0: member 1: an unsafe name.*\.\./\.\./etc/evil.txt: skipped' "$tmp/err" ||
	fail "no message for ../../etc/evil.txt: $(cat "$tmp/err")"
grep -q 'bad.zip:0: member 2: an unsafe name.*/abs.txt: skipped' "$tmp/err" ||
	fail "no message for /abs.txt"
grep -q 'bad.zip:ok/1.txt:0: a second member of this name (member 4): skipped' "$tmp/err" ||
	fail "no message for the duplicate"
if LC_ALL=C grep -q "$(printf '[\001-\010\016-\037\177]')" "$tmp/out" "$tmp/err"; then
	fail "a control character printed raw"
fi
expect_status 0 "$XINWEN" --list "$tmp/bad.zip"
grep -c . "$tmp/out" | grep -qx 2 || fail "the good members not listed: $(cat "$tmp/out")"
mkzip "$tmp/esc.zip" "ok/1.txt=$tmp/good.txt" "$(printf 'esc\033]0;x\007.txt')=$tmp/good.txt"
expect_status 2 "$XINWEN" --check "$tmp/esc.zip"
grep -q 'esc.zip:0: not a readable zip archive: Zip archive inconsistent' "$tmp/err" ||
	fail "control characters flagged UTF-8: $(cat "$tmp/err")"

# --- truncated: an error naming the archive ------------------------------------------
head -c 200 "$tmp/all.zip" > "$tmp/cut.zip"
expect_status 2 "$XINWEN" --list "$tmp/cut.zip"
grep -q 'cut.zip: not a readable zip archive' "$tmp/err" || fail "truncated: $(cat "$tmp/err")"

# --- empty: no article, said by --check (exit 1); --list lists nothing --------------
printf 'PK\005\006\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' > "$tmp/empty.zip"
expect_status 1 "$XINWEN" --no-cache --check "$tmp/empty.zip"
grep -q 'xinwen: no articles in 1 file' "$tmp/err" || fail "empty: $(cat "$tmp/err")"
expect_status 0 "$XINWEN" --no-cache --list "$tmp/empty.zip"
[ -s "$tmp/out" ] && fail "empty: listed $(cat "$tmp/out")"

check_failed zip.sh && exit 1
echo "zip.sh: archives read as unpacked, hostile ones named"
exit 0
