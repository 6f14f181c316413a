# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# shellcheck disable=SC2154 # the variables are bench/run's
# bench/peers.sh: sourced by bench/run for --peers: the same collection in other readers,
# timed on a pty the same way (bench/README.md, "run"). Uses bench/run's variables
# (dir, count, seed, base, runs, fs, scratch) and its row and die functions.

# peers_input: make (or reuse) $peerdir, the collection converted by bench/peers-convert,
# and newsboat's cache of it; checks the free space first.
peers_input() {
	local stamp need avail
	peerdir=$base/peers-$count-$seed
	stamp=$(cat "$dir/.gen-collection")
	[ "$(cat "$peerdir/.stamp" 2> /dev/null)" = "$stamp" ] && return 0
	rm -rf "$peerdir"
	need=$((bytes * 5 / 1024)) # four copies and newsboat's cache
	avail=$(df -Pk "$base" | awk 'NR == 2 { print $4 }')
	if [ -n "$avail" ] && [ "$avail" -lt "$need" ]; then
		die "$base has $((avail / 1024)) MiB free, the peers' inputs need about $((need / 1024)) MiB"
	fi
	mkdir -p "$peerdir" || die "cannot make $peerdir"
	perl "$top/bench/peers-convert" "$dir" "$peerdir" > /dev/null || die "peers-convert failed"
	if command -v newsboat > /dev/null; then
		echo "file://$peerdir/feed.atom" > "$peerdir/urls"
		HOME=$scratch/home newsboat -u "$peerdir/urls" -c "$peerdir/cache.db" -C /dev/null -x reload ||
			die "newsboat could not read $peerdir/feed.atom"
	fi
	printf '%s\n' "$stamp" > "$peerdir/.stamp"
}

# peer NAME MARKER KEYS DONE QUIT CMD...: R runs of CMD on a pty (firstscreen), then the
# rows of its figures (KEYS empty: the first screen only).
peer() {
	local name=$1 marker=$2 keys=$3 done=$4 quit=$5 i out f
	shift 5
	command -v "$1" > /dev/null || { echo "| $name | not installed | | | |"; return; }
	: > "$scratch/peer"
	for i in $(seq 1 "$runs"); do
		rm -rf "${scratch:?}/home"
		mkdir -p "$scratch/home/Mail" "$scratch/xdg-peer"
		if [ -n "$keys" ]; then
			out=$(HOME=$scratch/home "$fs" -m "$marker" -k "$keys" -d "$done" -q "$quit" "$@") ||
				die "$name failed (run $i)"
		else
			out=$(HOME=$scratch/home "$fs" -m "$marker" -q "$quit" "$@") || die "$name failed (run $i)"
		fi
		for f in first_ms done_ms first_hwm_kb done_hwm_kb; do
			echo "$f $(field "$f" "$out")"
		done >> "$scratch/peer"
	done
	row "$name: first screen" "$(stats_of peer first_ms)" "$(stats_of peer first_hwm_kb)"
	if [ -n "$keys" ]; then
		row "$name: $done" "$(stats_of peer done_ms)" "$(stats_of peer done_hwm_kb)"
	fi
}

# peers_run: every peer's rows, after the inputs and their page cache.
peers_run() {
	peers_input
	cat "$peerdir/all.txt" "$peerdir/feeds/news" "$peerdir/mbox" > /dev/null
	[ -f "$peerdir/cache.db" ] && cat "$peerdir/cache.db" > /dev/null
	(
		cd "$peerdir" || exit 1
		peer "sfeed_curses" "news (" "" "" q sfeed_curses feeds/news
		SFEED_LAZYLOAD=1 peer "sfeed_curses, SFEED_LAZYLOAD=1" "news (" "" "" q sfeed_curses feeds/news
		peer "mutt -R" "[Msgs:" "" "" q mutt -n -F /dev/null -R -f mbox
		peer "less" all.txt G "(END)" q less all.txt
		[ -f cache.db ] && peer "newsboat" "Your feeds" $'\r' "Articles in feed" qq \
			newsboat -u urls -c cache.db -C /dev/null
	)
}
