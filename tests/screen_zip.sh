#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# xinwen ARCHIVE.zip in a real terminal: THUCNews members listed, an article's text read
# from the archive when it is opened, cold and again from the catalog (warm); a
# compressed member of records too large to read in place is skipped, and the status
# line says how to unpack it. Skipped when built without libzip (tests/zip.sh covers
# that build).
set -u
: "${XINWEN:?}" "${TOP_SRCDIR:?}"
"$XINWEN" --version | grep -q '+libzip' || { echo "SKIP: screen_zip.sh: built without libzip"; exit 77; }
perl -MIO::Compress::Zip -e 1 2> /dev/null || { echo "SKIP: screen_zip.sh: no IO::Compress::Zip"; exit 77; }
. "$TOP_SRCDIR/tests/screen-lib.sh"
XDG_CACHE_HOME=$SCREEN_DIR/cache
export XDG_CACHE_HOME
fx=$TOP_SRCDIR/tests/data/formats/thucnews

# news.zip: two THUCNews articles, and JSON Lines records, deflated, that say they are
# 2.4 GB once inflated (the size is looked at before a byte is inflated).
perl -e '
	use IO::Compress::Zip qw(:zip_method $ZipError);
	my ($out, $a, $b) = @ARGV;
	my $z = IO::Compress::Zip->new($out, Name => "THUCNews/体育/101.txt", Efs => 1,
		Minimal => 1) or die $ZipError;
	for my $f ($a, $b) {
		open my $in, "<:raw", $f or die "$f: $!";
		local $/; $z->print(<$in>);
		$z->newStream(Name => "THUCNews/财经/201.txt", Efs => 1, Minimal => 1) if $f eq $a;
	}
	$z->newStream(Name => "news2016zh_train.json", Minimal => 1);
	$z->print(qq({"news_id":"h","title":"Huge","content":"x"}\n) x 100);
	$z->close;
	# the inflated size, in the local header (at 22) and the central directory (at 24)
	open my $f, "+<:raw", $out or die; local $/; my $zip = <$f>;
	for my $at ([qq(PK\3\4), 22, 30], [qq(PK\1\2), 24, 46]) {
		my $i = index($zip, $at->[0] . substr($zip, 0, 0));
		for (; $i >= 0; $i = index($zip, $at->[0], $i + 1)) {
			substr($zip, $i + $at->[1], 4) = pack("V", 2400000000)
				if substr($zip, $i + $at->[2], 21) eq "news2016zh_train.json";
		}
	}
	seek $f, 0, 0; print $f $zip; close $f;
' "$SCREEN_DIR/news.zip" "$fx/体育/101.txt" "$fx/财经/201.txt" || screen_failed "cannot write news.zip"
"$XINWEN" --check "$SCREEN_DIR/news.zip" 2>&1 | grep -q "news2016zh_train.json:0: 2400.0 MB compressed" ||
	screen_failed "--check: $("$XINWEN" --check "$SCREEN_DIR/news.zip" 2>&1)"

for run in cold warm; do
	screen_start 120 30 "$SCREEN_DIR/news.zip"
	screen_wait_for "马晓旭意外受伤让国奥警惕" "the THUCNews headline ($run)"
	screen_wait_for "news2016zh_train.json skipped: too large to read compressed; unpack it" \
		"how to unpack ($run)"
	screen_keys Enter
	screen_wait_for "记者傅亚雨沈阳报道" "the article's text, read from the archive ($run)"
	screen_keys q q
	screen_wait_exit 0
	screen_stop
	if [ $run = cold ]; then # the catalog written beside the reader, as it is in use
		for _ in $(seq 100); do
			ls "$XDG_CACHE_HOME"/xinwen/catalog-* > /dev/null 2>&1 && break
			sleep 0.1
		done
		ls "$XDG_CACHE_HOME"/xinwen/catalog-* > /dev/null 2>&1 || screen_failed "no catalog written"
	fi
done
# warm: the script modes take the catalog too, and read the text from the archive
"$XINWEN" --dump 101 "$SCREEN_DIR/news.zip" | grep -q "记者傅亚雨沈阳报道" || screen_failed "--dump 101"
echo "PASS: screen_zip.sh"
