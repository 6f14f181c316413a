#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# hostile-corpus.sh OUTDIR: build the hostile corpus of SECURITY.md in OUTDIR.
#
# OUTDIR must not exist, or be an empty directory. The committed small cases
# (tests/hostile/*.txt, described in tests/hostile/MANIFEST) are copied; the large and
# special ones are made here: a 1 MiB line, a 100k-line article, a 5,000-character
# title, 10,000 related entries, a 17 MiB sparse file, symlink loops, a dangling
# symlink, a symlink to /dev/zero, a FIFO, a mode-000 file and directory, a directory
# named x.txt, nesting past the depth limit, and odd file names (spaces, leading dash,
# newline, ESC, BEL, CR, TAB, invalid UTF-8, C1, bidi).
#
# It also writes OUTDIR/EXPECT (the loader ignores it: not *.txt), TAB-separated:
#   count       N             the number of articles --list shows as full
#   good        ID            an article that must load, ID as --list shows it
#   diag        NAME  ERE     NAME loads and is reported; every message about it
#                             matches one of its EREs (extended regex)
#   bad         NAME  ERE     NAME holds no article: reported exactly once, matching ERE
#   unreadable  NAME  ERE ID  bad when permissions apply; root reads it anyway, and
#                             then it is the good article ID ("-": none)
# NAME is relative to OUTDIR and, like ID, shown as xinwen shows it (sanitized: ESC
# as ^[, LF, CR and TAB as a space, invalid UTF-8 as U+FFFD, bidi controls dropped).
#
# Exit 0 and print nothing on success. To remove the corpus as a non-root user, make
# its directories writable first: chmod u+rwx OUTDIR/locked (see tests/hostile.sh).
set -u

die() {
	echo "hostile-corpus.sh: $*" >&2
	exit 1
}

[ $# -eq 1 ] || die "usage: hostile-corpus.sh OUTDIR"
out=$1
[ "$out" = / ] || out=${out%/}
here=$(cd "$(dirname "$0")" && pwd) || die "cannot find my directory"
cases=$here/hostile
[ -f "$cases/MANIFEST" ] || die "$cases/MANIFEST is missing"
if [ -e "$out" ] || [ -L "$out" ]; then
	[ -d "$out" ] && [ -z "$(ls -A "$out")" ] || die "$out exists and is not an empty directory"
else
	mkdir "$out" || die "cannot create $out"
fi
umask 022
expect=$out/EXPECT
: > "$expect" || die "cannot write $expect"
ngood=0
T=$'\t'

good() { # ID
	printf 'good\t%s\n' "$1" >> "$expect"
	ngood=$((ngood + 1))
}
diag() { printf 'diag\t%s\t%s\n' "$1" "$2" >> "$expect"; }
bad() { printf 'bad\t%s\t%s\n' "$1" "$2" >> "$expect"; }

# article FILE TITLE [BODY]: write a small good article.
article() {
	printf '%s\n\n2024-03-02 Hostile Wire\n\n%s\n' "$2" "${3:-Body.}" > "$1" ||
		die "cannot write $1"
}

# ---------------------------------------------------------------------------
# The committed cases, as the MANIFEST describes them.
ncases=0
while IFS=$T read -r name kind ere what; do
	case $name in '#'* | '') continue ;; esac
	[ -f "$cases/$name" ] || die "MANIFEST names $name, which is not in $cases"
	cp "$cases/$name" "$out/$name" || die "cannot copy $name"
	chmod 644 "$out/$name"
	case $kind in
	good) good "${name%.txt}" ;;
	diag) good "${name%.txt}"; diag "$name" "$ere" ;;
	bad) bad "$name" "$ere" ;;
	*) die "MANIFEST: $name: unknown kind '$kind'" ;;
	esac
	ncases=$((ncases + 1))
done < "$cases/MANIFEST"
for f in "$cases"/*.txt; do
	cut -f1 "$cases/MANIFEST" | grep -qFx -- "$(basename "$f")" ||
		die "$(basename "$f") is not described in MANIFEST"
done
[ "$ncases" -ge 50 ] || die "only $ncases committed cases"

# ---------------------------------------------------------------------------
# Large: generated, not committed.

# A body that is one 1 MiB line (16-byte units, so no character is cut).
{
	printf 'One line of one mebibyte\n\n2024-03-03 Hostile Wire\n\n'
	yes '新聞報導xyz' | head -n 65536 | tr '\n' ' '
	printf '\n'
} > "$out/long-line-1mib.txt"
good long-line-1mib

# 100,000 body lines in paragraphs of ten, then a related section that must be reached.
awk 'BEGIN {
	printf "One hundred thousand lines\n\n2024-03-03 Hostile Wire\n\n"
	for (i = 1; i <= 100000; i++) {
		printf "第 %d 行 line %d of a very long article\n", i, i
		if (i % 10 == 0) printf "\n"
	}
	printf "相關焦點\n  • Cycle B\n    reached after 100k lines\n"
}' > "$out/lines-100k.txt"
good lines-100k

# A title of 5,000 characters.
awk 'BEGIN {
	for (i = 0; i < 2500; i++) printf "標題"
	printf "\n\n2024-03-03 Hostile Wire\n\nBody under a long title.\n"
}' > "$out/title-5000-chars.txt"
good title-5000-chars

# 10,000 related entries: cycles through existing titles and itself; the cap is reported.
awk 'BEGIN {
	split("Cycle A|Cycle B|Cycle C|Ten thousand related entries", t, "|")
	printf "Ten thousand related entries\n\n2024-03-03 Hostile Wire\n\nBody.\n\n相關焦點\n"
	for (i = 0; i < 10000; i++)
		printf "  • %s\n    snippet %d\n", t[i % 4 + 1], i
}' > "$out/related-10000.txt"
good related-10000
diag related-10000.txt 'more than 1000 related entries: only the first 1000 are kept'

# Over the 16 MiB size limit, sparse: refused from its size alone, never read.
printf 'Too large\n\n' > "$out/too-large-sparse.txt"
truncate -s 17M "$out/too-large-sparse.txt" || die "truncate failed"
bad too-large-sparse.txt 'too large: [0-9]+ bytes'

# ---------------------------------------------------------------------------
# Special files.
ln -s loop.txt "$out/loop.txt"
bad loop.txt 'symlink loop'
ln -s loop-b.txt "$out/loop-a.txt"
ln -s loop-a.txt "$out/loop-b.txt"
bad loop-a.txt 'symlink loop'
bad loop-b.txt 'symlink loop'
ln -s no-such-article.txt "$out/dangling.txt"
bad dangling.txt 'dangling symlink'
ln -s /dev/zero "$out/zero.txt"
bad zero.txt 'not a regular file \(a character device\)'
mkfifo "$out/fifo.txt" || die "mkfifo failed"
bad fifo.txt 'not a regular file \(a FIFO\)'
mkdir "$out/x.txt"
article "$out/x.txt/inside.txt" "Inside a directory named x.txt" # never loaded
bad x.txt 'not a regular file \(a directory\)'
ln -s title-only.txt "$out/symlink-to-article.txt"
good symlink-to-article
article "$out/.txt" "A file named just .txt"
good .txt

# Not article files: ignored, never reported.
printf 'notes \033[2J\n' > "$out/notes.md"
printf 'Upper-case suffix\n' > "$out/UPPER.TXT"
printf '\377\376\000\033]0;x\007' > "$out/garbage.bin"
printf 'No suffix\n' > "$out/txt"

# A subdirectory: a name taken at the top level, loops back up, a second way in.
mkdir -p "$out/sub/deeper"
cp "$cases/title-only.txt" "$out/sub/title-only.txt"
chmod 644 "$out/sub/title-only.txt"
good sub/title-only
article "$out/sub/deeper/nested.txt" "Nested two levels down"
good nested
ln -s .. "$out/sub/back"
bad sub/back 'symlink loop: leads back to'
ln -s . "$out/sub/here"
bad sub/here 'symlink loop: leads back to'
ln -s sub "$out/sub-link"
bad sub-link 'directory already loaded through another link'

# Nesting past the loader's depth limit (64 levels below the directory loaded).
d=$out/deep
rel=deep
for i in $(seq 1 63); do
	d=$d/d
	rel=$rel/d
done
mkdir -p "$d/d" || die "cannot nest directories"
article "$d/at-the-limit.txt" "At the depth limit"
good at-the-limit
article "$d/d/too-deep.txt" "Too deep to load"
bad "$rel/d" 'nested too deeply'

# Permissions: a mode-000 article and a mode-000 (empty) directory.
article "$out/unreadable.txt" "Unreadable article"
chmod 000 "$out/unreadable.txt"
printf 'unreadable\tunreadable.txt\tcannot open: Permission denied\tunreadable\n' >> "$expect"
mkdir -m 000 "$out/locked"
printf 'unreadable\tlocked\tcannot read directory: Permission denied\t-\n' >> "$expect"

# ---------------------------------------------------------------------------
# Odd file names: good articles, listed under their ids escaped as names are shown
# (text_escape_name: \xNN, \u{NNNN}), never as U+FFFD, caret text or nothing.
odd() { # RAW-NAME SHOWN-ID
	article "$out/$1.txt" "Odd name: $2"
	good "$2"
}
odd 'name with spaces' 'name with spaces'
odd '-leading-dash' '-leading-dash'
odd '--list' '--list'
odd $'new\nline' 'new\x0Aline'
odd $'esc-\033[2J-clear' 'esc-\x1B[2J-clear'
odd $'bell-\a-name' 'bell-\x07-name'
odd $'cr-\r-name' 'cr-\x0D-name'
odd $'tab\tin-name' 'tab\x09in-name'
odd $'invalid-\xff\xfe-utf8-name' 'invalid-\xFF\xFE-utf8-name'
odd $'c1-\xc2\x9b-csi-name' 'c1-\u{009B}-csi-name'
odd $'bidi-\xe2\x80\xae-override-name' 'bidi-\u{202E}-override-name'
odd "$(printf '長%.0s' $(seq 1 80))" "$(printf '長%.0s' $(seq 1 80))"

# Odd names on bad files: the name must reach --check's message escaped.
: > "$out/"$'empty-\033]0;pwned\a-name.txt'
bad 'empty-\x1B]0;pwned\x07-name.txt' 'no title: empty file'
printf ' \n' > "$out/"$'blank-new\nline-\xff.txt'
bad 'blank-new\x0Aline-\xFF.txt' 'no title: only white space'

printf 'count\t%d\n' "$ngood" >> "$expect"
exit 0
