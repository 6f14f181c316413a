#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The debug log (xinwen -v, src/log.c): --list -v writes $XDG_STATE_HOME/xinwen/
# xinwen-PID.log, naming it on stderr, with the files and the catalog read; -vv each
# file too, a hostile file name escaped; without -v no log is written and nothing said.
# In a real terminal, the reader's jobs beside the screen (src/job.c) each log their
# start and end: the catalog written, the cache sweep, the search index, the similar
# stories' cache.
set -u
. "$TOP_SRCDIR/tests/screen-lib.sh"

export XDG_CACHE_HOME=$SCREEN_DIR/cache
col=$SCREEN_DIR/col
mkdir "$col"
cp "$TOP_SRCDIR"/data/*.txt "$col/"
logdir=$XDG_STATE_HOME/xinwen

# the_log: the one log file under the state directory, or nothing.
the_log() {
	ls "$logdir"/xinwen-*.log 2>/dev/null
}

# has_line PATTERN DESCRIPTION: the log has a line matching the extended PATTERN.
has_line() {
	grep -Eq -- "$1" "$log" || screen_failed "the log has no line: $2 ($(cat "$log"))"
}

# No -v: no log, nothing said of one.
"$XINWEN" --list "$col" >/dev/null 2>"$SCREEN_DIR/err" || screen_failed "--list failed"
[ -z "$(the_log)" ] || screen_failed "a log without -v: $(the_log)"
grep -q 'debug log' "$SCREEN_DIR/err" && screen_failed "a log named without -v"

# -v: the log of one run, named on stderr at exit, lines of seconds, [thread], text.
"$XINWEN" -v --list "$col" >"$SCREEN_DIR/out" 2>"$SCREEN_DIR/err" || screen_failed "-v --list failed"
[ "$(wc -l <"$SCREEN_DIR/out")" = 25 ] || screen_failed "-v changed --list's output"
log=$(the_log)
[ -s "$log" ] || screen_failed "-v --list wrote no log under $logdir"
grep -qxF "xinwen: debug log: $log" "$SCREEN_DIR/err" ||
	screen_failed "the log not named on stderr: $(cat "$SCREEN_DIR/err")"
has_line '^[0-9]+\.[0-9]{6} \[[0-9]+\] xinwen .*, log level 1$' "the version and level"
has_line "catalog $XDG_CACHE_HOME/xinwen/catalog-[0-9a-f]+: none yet\$" "no catalog yet"
has_line "load $col: 5 articles from 5 files, 0 messages\$" "the files loaded"
has_line 'collection: 25 articles from the files$' "where the collection came from"
has_line '\] exit 0$' "the exit"
grep -q '\] read ' "$log" && screen_failed "-v logged each file read (that is -vv)"
rm -f "$log"

# -vv: each file read, its name escaped.
printf '%s\n' '標題' '' 'body' >"$col/evil"$'\033[31m'".txt"
"$XINWEN" -vv --list "$col" >/dev/null 2>&1 || screen_failed "-vv --list failed"
log=$(the_log)
has_line "read $col/demo-bus.txt: native, 1 articles\$" "a file read, at -vv"
has_line 'evil\\x1B\[31m\.txt: ' "the hostile file name, escaped"
LC_ALL=C grep -q '[[:cntrl:]]' "$log" && screen_failed "a control byte in the log"
rm -f "$log" "$col/evil"$'\033[31m'".txt"

# The reader: each job beside the screen starts and ends in the log.
screen_start 160 40 -v "$col"
screen_wait_for '^ Article 1/25' "the reader's list"
deadline=$((SECONDS + SCREEN_TIMEOUT))
for job in 'reload write' 'cache sweep' 'index' 'similar-cache save'; do
	until grep -q "job $job: end" "$(the_log)" 2>/dev/null || [ $SECONDS -gt $deadline ]; do
		sleep "$SCREEN_POLL"
	done
done
screen_keys q
screen_wait_exit 0
log=$(the_log)
for job in 'reload write' 'cache sweep' 'index' 'similar-cache load' 'similar-cache save'; do
	has_line "\] job $job: start\$" "$job started"
	has_line "\] job $job: end, [0-9]+\.[0-9]{3} s\$" "$job ended, with its duration"
done
has_line "catalog $XDG_CACHE_HOME/xinwen/catalog-[0-9a-f]+: written\$" "the catalog written"
has_line '\] index: ready$' "the index ready"
grep -qxF "xinwen: debug log: $log" "$SCREEN_STDERR" ||
	screen_failed "the reader did not name its log at exit: $(cat "$SCREEN_STDERR")"
screen_stop
echo "PASS: log"
