#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# layers.sh: no call from a lower layer of src/ to a higher one, no files of one layer
# calling each other in a circle, and curses only in the shell, checked on the built
# objects with nm against the table in src/LAYERS. Then the same check run on small
# planted objects must fail (so the check can fail at all).
# Also: every .c file of the tree includes config.h first and sets no feature macro of
# its own (configure.ac does, once), checked on a planted file too.
set -u
: "${TOP_SRCDIR:?TOP_SRCDIR must name the source tree}"
table=$TOP_SRCDIR/src/LAYERS
command -v nm >/dev/null 2>&1 || { echo "nm not installed: skipping"; exit 77; }

# object_name OBJ: the source file an automake object was compiled from, without .c.
object_name() {
	local f
	f=$(basename "$1" .o)
	f=${f#libxinwen_a-}
	f=${f#xinwen-}
	f=${f#mkman-}
	printf '%s\n' "$f"
}

# check_layers TABLE CURSES_SYMBOLS KNOWN OBJ...: print each violation; exit status 1 if
# any. KNOWN: calls between files of one layer ("from to" a line) left out of the search
# for circles.
check_layers() {
	local table=$1 curses=$2 known=$3
	shift 3
	local o bad=0
	: >"$tmp/edges"
	{
		awk '{ print "K", $1, $2 }' "$known"
		awk '!/^#/ && NF { sub(":", "", $1); for (i = 2; i <= NF; i++) print "L", $i, NR }' "$table"
		awk '{ print "C", $1 }' "$curses"
		for o in "$@"; do
			local f
			f=$(object_name "$o")
			echo "O $f"
			nm --defined-only -g "$o" | awk -v f="$f" 'NF == 3 { print "D", $3, f }'
			nm -u "$o" | awk -v f="$f" '{ print "U", f, $2 }'
		done
	} | awk -v edges="$tmp/edges" '
	$1 == "L" { layer[$2] = $3; next }
	$1 == "K" { known[$2 " " $3] = 1; next }
	$1 == "C" { curses[$2] = 1; next }
	$1 == "O" { obj[$2] = 1; next }
	$1 == "D" { def[$2] = $3; next }
	$1 == "U" { n++; uf[n] = $2; us[n] = $3; next }
	END {
		bad = 0
		for (f in obj)
			if (!(f in layer)) { printf "%s: not in src/LAYERS: give it a layer\n", f; bad = 1 }
		for (i = 1; i <= n; i++) {
			f = uf[i]; s = us[i]
			if (s in curses && layer[f] != layer["tui"]) {
				printf "%s calls curses (%s) outside the shell\n", f, s; bad = 1
			}
			if (!(s in def)) continue
			t = def[s]
			if ((f in layer) && (t in layer) && layer[t] > layer[f]) {
				printf "%s calls %s in %s, a higher layer\n", f, s, t; bad = 1
			}
			if ((f in layer) && (t in layer) && layer[t] == layer[f] && t != f &&
			    !((f " " t) in known))
				print f, t >edges
		}
		close(edges)
		exit bad
	}' || bad=1
	# Files of one layer that call each other in a circle (tsort names them).
	local circle
	circle=$(tsort "$tmp/edges" 2>&1 >/dev/null | sed -n 's/^tsort: \([^:]*\)$/\1/p' | sort -u | tr '\n' ' ')
	if [ -n "$circle" ]; then
		echo "these files of one layer call each other in a circle: $circle"
		bad=1
	fi
	rm -f "$tmp/edges"
	return $bad
}

# check_config_first FILE...: print each file whose first #include is not config.h, or
# that defines a feature macro (_GNU_SOURCE...) itself; exit status 1 if any.
check_config_first() {
	awk '
	function done_file() {
		if (file != "" && !seen) { printf "%s: no #include <config.h>\n", file; bad = 1 }
	}
	FNR == 1 { done_file(); file = FILENAME; seen = 0 }
	/^#[ \t]*include/ && !seen {
		seen = 1
		if ($0 !~ /^#[ \t]*include[ \t]*[<"]config\.h[>"]/) {
			printf "%s:%d: the first #include is not config.h\n", FILENAME, FNR; bad = 1
		}
	}
	/^#[ \t]*define[ \t]+_(GNU|POSIX_C|XOPEN|DEFAULT|BSD)_SOURCE/ ||
	/^#[ \t]*define[ \t]+_XOPEN_SOURCE_EXTENDED/ {
		printf "%s:%d: a feature macro: configure.ac sets them (config.h)\n", FILENAME, FNR
		bad = 1
	}
	END { done_file(); exit bad }' "$@"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The curses library's symbols, from the libraries the reader links.
: >"$tmp/curses"
if [ -x src/xinwen ] && command -v ldd >/dev/null 2>&1; then
	for lib in $(ldd src/xinwen | awk '/ncurses|tinfo|panel|menu|form/ { print $3 }'); do
		nm -D --defined-only "$lib" | awk 'NF == 3 { print $3 }' >>"$tmp/curses"
	done
fi
if [ ! -s "$tmp/curses" ]; then
	echo "FAIL: could not list the curses library's symbols from src/xinwen"
	exit 1
fi

# Objects whose source is gone (renamed, removed) are left over from an older build.
objs=
for o in src/libxinwen_a-*.o src/xinwen-*.o src/mkman*.o; do
	[ -e "$o" ] && [ -e "$TOP_SRCDIR/src/$(object_name "$o").c" ] && objs="$objs $o"
done
if [ -z "$objs" ]; then
	echo "FAIL: no objects under src/ (run make first)"
	exit 1
fi
# Calls in a circle not undone yet: app_idle, in app_search.c until it has a file of its
# own, takes the reload's result and ticks the unread clock, and those files filter the
# list again (app_search.c).
: >"$tmp/known" # no exception: the app layer has no circle
# shellcheck disable=SC2086
if ! check_layers "$table" "$tmp/curses" "$tmp/known" $objs; then
	echo "FAIL: the layers of src/LAYERS are broken (above)"
	exit 1
fi
echo "layers: $(echo "$objs" | wc -w) objects follow src/LAYERS"

# The check must catch a planted upward call and a planted curses call.
cc=${CC:-cc}
printf 'int high_g(void);\nint low_f(void) { return high_g(); }\n' >"$tmp/low.c"
printf 'int high_g(void) { return 1; }\n' >"$tmp/high.c"
printf 'int initscr(void);\nint high_h(void) { return initscr(); }\n' >"$tmp/cursed.c"
printf 'int ring_b(int);\nint ring_a(int n) { return n ? ring_b(n - 1) : 0; }\n' >"$tmp/ringa.c"
printf 'int ring_a(int);\nint ring_b(int n) { return n ? ring_a(n - 1) : 1; }\n' >"$tmp/ringb.c"
for f in low high cursed ringa ringb; do
	$cc -c "$tmp/$f.c" -o "$tmp/libxinwen_a-$f.o" || { echo "FAIL: cannot compile the planted objects"; exit 1; }
done
printf 'base: low\napp: high cursed ringa ringb\nshell: tui\n' >"$tmp/LAYERS"
echo initscr >"$tmp/curses.planted"
: >"$tmp/known.planted"
out=$(check_layers "$tmp/LAYERS" "$tmp/curses.planted" "$tmp/known.planted" "$tmp"/libxinwen_a-*.o)
case "$out" in
*"low calls high_g in high, a higher layer"*"cursed calls curses (initscr)"* | \
*"cursed calls curses (initscr)"*"low calls high_g in high, a higher layer"*) ;;
*)
	echo "FAIL: the planted upward and curses calls were not caught: $out"
	exit 1
	;;
esac
case "$out" in
*"call each other in a circle: ring"*) ;;
*)
	echo "FAIL: the planted circle (ringa, ringb) was not caught: $out"
	exit 1
	;;
esac
echo "layers: the planted upward call, curses call and circle are caught"

# config.h first in every .c file of the tree.
srcs=$(find "$TOP_SRCDIR/src" "$TOP_SRCDIR/tests" "$TOP_SRCDIR/bench" "$TOP_SRCDIR/doc" \
	-name '*.c' -type f -not -path '*/tests/data/*' -not -path '*/tests/hostile/*' \
	-not -path '*/tests/regress/*' -not -path '*/tests/fuzz/corpus/*' 2>/dev/null | sort)
# shellcheck disable=SC2086
if ! check_config_first $srcs; then
	echo "FAIL: include config.h first, and set feature macros in configure.ac (above)"
	exit 1
fi
echo "layers: $(echo "$srcs" | wc -w) .c files include config.h first"
printf '#define _GNU_SOURCE\n#include <stdio.h>\n#include <config.h>\n' >"$tmp/planted.c"
out=$(check_config_first "$tmp/planted.c")
case "$out" in
*"planted.c:1: a feature macro"*"planted.c:2: the first #include is not config.h"*) ;;
*)
	echo "FAIL: the planted feature macro and late config.h were not caught: $out"
	exit 1
	;;
esac
echo "layers: the planted feature macro and late config.h are caught"
