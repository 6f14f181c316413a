# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# bench/collection.sh: sourced by bench scripts (bash) for a generated collection they
# share under $XINWEN_BENCH_DIR (bench/README.md).

# bench_collection PROG COUNT SEED: set dir to $XINWEN_BENCH_DIR/collection-COUNT-SEED
# (default base /tmp/xinwen-bench), generating it with bench/gen-collection unless its
# stamp says it is there; checks the free space first. Messages begin with "PROG: ".
# Returns 1 on failure.
bench_collection() {
	local prog=$1 count=$2 seed=$3 base stamp need avail t0 t1
	base=${XINWEN_BENCH_DIR:-/tmp/xinwen-bench}
	dir=$base/collection-$count-$seed
	stamp="gen-collection 1 count $count seed $seed topics 0 "
	grep -qs "^$stamp" "$dir/.gen-collection" && return 0
	mkdir -p "$base" || return 1
	# About 14 KB an article; ask for a fifth more.
	need=$((count * 17))
	avail=$(df -Pk "$base" | awk 'NR == 2 { print $4 }')
	if [ -n "$avail" ] && [ "$avail" -lt "$need" ]; then
		echo "$prog: $base has $((avail / 1024)) MiB free, the collection needs about $((need / 1024)) MiB;" \
			"set XINWEN_BENCH_DIR or use a smaller count" >&2
		return 1
	fi
	rm -rf "$dir"
	t0=$(date +%s.%N)
	perl "$(dirname "${BASH_SOURCE[0]}")/gen-collection" --count "$count" --seed "$seed" "$dir" || return 1
	t1=$(date +%s.%N)
	awk "BEGIN { printf \"generated in %.0f s\\n\", $t1 - $t0 }"
}

# bench_bytes: the size of the collection in $dir, from its stamp.
bench_bytes() {
	awk '{ for (i = 1; i < NF; i++) if ($i == "bytes") print $(i + 1) }' "$dir/.gen-collection"
}

# bench_stats: numbers on stdin, one a line; prints "MEDIAN MIN MAX N".
bench_stats() {
	sort -n | awk '{ t[NR] = $1 } END {
		if (NR == 0) { print "- - - 0"; exit }
		m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
		printf "%.1f %.1f %.1f %d\n", m, t[1], t[NR], NR
	}'
}

# bench_cat_all: read every article of $dir, as the floor of reading them (cat).
bench_cat_all() {
	find "$dir" -name '*.txt' -print0 | xargs -0 cat > /dev/null
}
