#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The state file under fire: a writer saving marks without pause is killed with
# SIGKILL at random moments, 200 times; after each kill the file must load without a
# problem and hold the old or the new state (never a torn one), and a leftover
# temporary file must not get in the way. Then two writers save at once, adding and
# dropping marks, and neither loses the other's.
set -u
[ -n "${XINWEN_CHECK_SLOW:-}" ] || { echo "slow: make check-slow runs it"; exit 77; }
. "$TOP_SRCDIR/tests/check-lib.sh"

WRITER=${STATE_WRITER:-${XINWEN%/src/xinwen*}/tests/state-writer}
[ -x "$WRITER" ] || { echo "FAIL: no state-writer program at $WRITER"; exit 1; }
KILLS=${STATE_KILLS:-200}

dir=$tmp/kill/xinwen
# A base of 2000 marks, so that every save writes some 150 KB.
"$WRITER" "$dir" fill base 2000 || fail "could not write the base state"

leftovers=0 prev=0
for i in $(seq 1 "$KILLS"); do
	"$WRITER" "$dir" loop run >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	sleep "$(printf '0.%03d' $((RANDOM % 40 + 1)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	[ -e "$dir/state.tmp" ] && leftovers=$((leftovers + 1))
	# The writer reports each save done ("saved K": marks 0..K-1 in the file).
	saved=$(sed -n '$s/^saved //p' "$tmp/out")
	saved=${saved:-$prev}
	if ! got=$("$WRITER" "$dir" count run); then
		fail "kill $i: the state does not load or is torn: $got $(cat "$tmp/err")"
		break
	fi
	# The last save reported is there, and at most one more (killed after its rename).
	if [ "$got" -lt "$saved" ] || [ "$got" -gt $((saved + 1)) ]; then
		fail "kill $i: $got marks in the file, the writer had reported $saved saved"
	fi
	prev=$got
	out=$("$WRITER" "$dir" expect base 2000 0) || fail "kill $i: the base marks: $out"
	[ "$failures" -eq 0 ] || break
done
total=$("$WRITER" "$dir" count run)
echo "$KILLS kills: $total marks saved in all, $leftovers kills left a temporary file"
[ -z "$(find "$dir" -name 'state.corrupt-*')" ] || fail "a state file was set aside as corrupt"

# Two writers at once: their marks add up.
dir=$tmp/two/xinwen
"$WRITER" "$dir" add a 0 150 & p1=$!
"$WRITER" "$dir" add b 0 150 & p2=$!
wait $p1 || fail "writer a failed"
wait $p2 || fail "writer b failed"
out=$("$WRITER" "$dir" expect a 150 0) || fail "two writers: $out"
out=$("$WRITER" "$dir" expect b 150 0) || fail "two writers: $out"
# One drops every third of its marks while the other adds: the drops stay dropped.
"$WRITER" "$dir" drop a 0 150 3 & p1=$!
"$WRITER" "$dir" add c 0 150 & p2=$!
wait $p1 || fail "writer a (drop) failed"
wait $p2 || fail "writer c failed"
out=$("$WRITER" "$dir" expect a 150 3) || fail "drops racing adds: $out"
out=$("$WRITER" "$dir" expect b 150 0) || fail "drops racing adds: $out"
out=$("$WRITER" "$dir" expect c 150 0) || fail "drops racing adds: $out"

check_failed state_kill.sh && exit 1
echo "PASS: state_kill.sh"
