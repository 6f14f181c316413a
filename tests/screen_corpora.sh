#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The first open of a collection of more than the first screen's 1,000 files, in a real
# terminal: the reader starts on the newest of the first files, and once the rest has
# loaded it is on the newest of all (not on the one it started on, now mid-list); a
# configuration problem said at the start is still said after "Loaded all". Then
# --list from the catalog the reader wrote, while the files have not changed. The same
# files in a zip archive: the newest of all selected once all are loaded.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

export XDG_CACHE_HOME=$SCREEN_DIR/cache
export XDG_CONFIG_HOME=$SCREEN_DIR/xdg
mkdir -p "$XDG_CONFIG_HOME/xinwen"
printf 'frobnicate\n' > "$XDG_CONFIG_HOME/xinwen/config"
col=$SCREEN_DIR/col
mkdir "$col"
# a0000..a1499: the first 1,000 (loaded first) dated 2019, the rest 2020; the newest
# of all is the last file.
i=0
while [ $i -lt 1500 ]; do
	if [ $i -lt 1000 ]; then d=$(printf '2019-%02d-%02d' $((1 + i % 12)) $((1 + i % 28)))
	else d=$(printf '2020-%02d-%02d' $((1 + i % 11)) $((1 + i % 28))); fi
	[ $i = 1499 ] && d=2020-12-31
	printf 'Story %04d\n\n%s src\n\nbody %d\n' $i "$d" $i > "$col/$(printf 'a%04d.txt' $i)"
	i=$((i + 1))
done
screen_start 160 40 "$col"
screen_wait_for "config:1: " "the configuration's problem on the first screen"
screen_wait_for "Loaded all 1500 files" "the rest loaded"
screen_wait_for "^ 2020-12-31  Story 1499" "the newest of all first in the list"
screen_wait_for '^ Article 1/1500' "the newest selected"
screen_capture | grep -q "config:1: .*Loaded all 1500 files" ||
	screen_failed "the configuration's problem was no longer said: $(screen_capture | tail -1)"
deadline=$((SECONDS + SCREEN_TIMEOUT))
until ls "$XDG_CACHE_HOME"/xinwen/catalog-* >/dev/null 2>&1 || [ $SECONDS -gt $deadline ]; do
	sleep "$SCREEN_POLL"
done
screen_keys q
screen_wait_exit 0
screen_stop
ls "$XDG_CACHE_HOME"/xinwen/catalog-* >/dev/null 2>&1 || screen_failed "no catalog written"

# --list takes the catalog while the files' stat is unchanged; a title changed in place,
# the size and modification time kept, is noticed by the ctime and read again.
list() {
	local want=$1
	shift
	env LC_ALL=C.UTF-8 XDG_STATE_HOME="$XDG_STATE_HOME" "$XINWEN" "$@" --list "$col" |
		grep -c "$want"
}
f=$col/a0000.txt
[ "$(list 'Story 0000')" = 1 ] || screen_failed "--list: Story 0000 missing"
stamp=$(stat -c %Y "$f")
touch -r "$f" "$SCREEN_DIR/when" # its modification time, to the nanosecond
printf Z | dd of="$f" bs=1 conv=notrunc status=none # the same inode and size
touch -r "$SCREEN_DIR/when" "$f"
# The change kept the size and the time, but not the ctime: the file is read again.
[ "$(list 'Ztory 0000')" = 1 ] || screen_failed "--list took a catalog stale by ctime"
[ "$(list 'Ztory 0000' --no-cache)" = 1 ] || screen_failed "--no-cache --list: no new title"
touch -d "@$((stamp + 10))" "$f"
[ "$(list 'Ztory 0000')" = 1 ] || screen_failed "--list took a stale catalog"
# The same files as col.zip, in their order (a1499, the newest, among the rest): the
# first screen's members are read without libzip, the rest beside the reader through
# it; once all are loaded the newest of all is selected. (Needs libzip and perl's
# IO::Compress::Zip, else skipped.)
if "$XINWEN" --version | grep -q '+libzip' && perl -MIO::Compress::Zip -e 1 2> /dev/null; then
	(cd "$col" && ls a*.txt) | perl -e '
		use IO::Compress::Zip qw($ZipError);
		my ($dir, $out) = @ARGV;
		my $z;
		while (my $f = <STDIN>) {
			chomp $f;
			my %o = (Name => "col/$f", Efs => 1, Minimal => 1);
			if ($z) { $z->newStream(%o) } else { $z = IO::Compress::Zip->new($out, %o) or die $ZipError }
			open my $in, "<:raw", "$dir/$f" or die "$f: $!";
			local $/; $z->print(<$in>);
		}
		$z->close;' "$col" "$SCREEN_DIR/col.zip" || screen_failed "cannot write col.zip"
	screen_start 160 40 "$SCREEN_DIR/col.zip"
	screen_wait_for "Loaded all 1500 files" "the rest of the archive loaded"
	screen_wait_for "^ 2020-12-31  Story 1499" "the newest of the archive first in the list"
	screen_wait_for '^ Article 1/1500' "the newest of the archive selected"
	screen_keys q
	screen_wait_exit 0
	screen_stop
fi
echo "PASS: screen_corpora"
