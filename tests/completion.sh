#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The bash completion (contrib/xinwen.bash), sourced and called as bash would: options,
# paths, and article ids after --dump from the paths on the line.
set -u
. "$TOP_SRCDIR/tests/check-lib.sh"
. "$TOP_SRCDIR/contrib/xinwen.bash"

# complete_at CWORD WORDS...: run the completion on WORDS with the cursor in word CWORD;
# prints COMPREPLY one per line, sorted.
complete_at() {
	COMP_CWORD=$1
	shift
	COMP_WORDS=("$@")
	COMPREPLY=()
	_xinwen
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

# expect WHAT GOT WANT
expect() {
	[ "$2" = "$3" ] || fail "$1: got [$2], expected [$3]"
}

mkdir "$tmp/my coll"
printf 'First title\n\n2020-01-02 Src\n\nbody\n' >"$tmp/my coll/one.txt"
printf 'Second title\n\n2020-01-03 Src\n\nbody\n' >"$tmp/my coll/two.txt"

complete -p xinwen | grep -q -- '-F _xinwen' || fail "xinwen's completion is not registered"
expect "--du" "$(complete_at 1 "$XINWEN" --du)" "--dump"
opts=$(complete_at 1 "$XINWEN" --)
for o in --list --dump --width --check --search --regex --help --version; do
	grep -qxF -- "$o" <<<"$opts" || fail "-- does not offer $o"
done
expect "ids" "$(complete_at 2 "$XINWEN" --dump '' "$tmp/my coll")" $'one\ntwo'
expect "ids by prefix" "$(complete_at 2 "$XINWEN" --dump t "$tmp/my coll")" "two"
# An option's argument is no path: --search's is not loaded, the collection still is.
expect "ids after --search DIR" \
	"$(complete_at 5 "$XINWEN" --search "$TOP_SRCDIR/data" "$tmp/my coll" --dump '')" $'one\ntwo'
expect "ids after --width" "$(complete_at 5 "$XINWEN" --width 80 "$tmp/my coll" --dump o)" "one"
expect "the bundled collection" "$(complete_at 2 "$XINWEN" --dump 000_ "$TOP_SRCDIR/data")" \
	"000_bc5b92f142057c5b"
expect "a path" "$(complete_at 1 "$XINWEN" "$tmp/my")" "$tmp/my coll"
expect "nothing after --width" "$(complete_at 2 "$XINWEN" --width '')" ""

# The values of --format and --encoding, each one the program takes.
formats=$(complete_at 2 "$XINWEN" --format '')
expect "--format values" "$formats" "$(printf '%s\n' auto jsonl native sogou thucnews)"
expect "--format j" "$(complete_at 2 "$XINWEN" --format j)" "jsonl"
encodings=$(complete_at 2 "$XINWEN" --encoding '')
expect "--encoding b" "$(complete_at 2 "$XINWEN" --encoding b)" $'big5\nbig5-hkscs'
for f in $formats; do
	"$XINWEN" --format "$f" --list "$TOP_SRCDIR/data" >/dev/null 2>&1 ||
		[ $? -eq 1 ] || fail "xinwen does not take --format $f, offered by the completion"
done
for e in $encodings; do
	"$XINWEN" --encoding "$e" --list "$TOP_SRCDIR/data" >/dev/null 2>&1 ||
		fail "xinwen does not take --encoding $e, offered by the completion"
done

# zsh (contrib/_xinwen): its _arguments spec, with the same values, and the ids after
# --dump, with zsh's completion functions stubbed (no terminal needed).
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$TOP_SRCDIR/contrib/_xinwen" || fail "contrib/_xinwen is not valid zsh"
	cat >"$tmp/z.zsh" <<'ZSH'
_arguments() { print -rl -- "$@" }
_describe() { print -rl -- "${(@P)4}" }
_call_program() { shift; eval "$@" }
source "$1"
words=("$2" --width 80 "$3" --dump '')
CURRENT=6
_xinwen_ids
ZSH
	zsh -f "$tmp/z.zsh" "$TOP_SRCDIR/contrib/_xinwen" "$XINWEN" "$tmp/my coll" >"$tmp/zsh.out" 2>&1 ||
		fail "zsh completion: $(head -3 "$tmp/zsh.out")"
	# zsh_values OPTION: the values the zsh spec gives OPTION, one a line, sorted.
	zsh_values() {
		sed -n "s/^$1=\\[[^]]*\\]:[a-z]*:(\\(.*\\))\$/\\1/p" "$tmp/zsh.out" | tr ' ' '\n' | sort
	}
	expect "zsh --format values" "$(zsh_values --format)" "$formats"
	expect "zsh --encoding values" "$(zsh_values --encoding)" "$encodings"
	expect "zsh ids" "$(grep -x 'one\|two' "$tmp/zsh.out" | sort)" $'one\ntwo'
	zsh -f -c "fpath=('$TOP_SRCDIR/contrib' \$fpath); autoload -U compinit; compinit -u -D; print -r -- \${_comps[xinwen]}" \
		>"$tmp/zsh.out" 2>&1
	expect "zsh's compinit registers it" "$(tail -1 "$tmp/zsh.out")" "_xinwen"
else
	echo "NOTE: zsh is not installed: its completion is not tested"
fi

# fish (contrib/xinwen.fish), asked as fish would on TAB (complete -C).
if command -v fish >/dev/null 2>&1; then
	mkdir -p "$tmp/bin" && ln -sf "$XINWEN" "$tmp/bin/xinwen"
	fish_complete() {
		XW_LINE=$1 XW_FILE=$TOP_SRCDIR/contrib/xinwen.fish PATH="$tmp/bin:$PATH" \
			fish -N -c 'source $XW_FILE; complete -C "$XW_LINE"' | cut -f1 | sort
	}
	expect "fish --format" "$(fish_complete 'xinwen --format ')" "$formats"
	expect "fish --encoding" "$(fish_complete 'xinwen --encoding ')" "$encodings"
	expect "fish --du" "$(fish_complete 'xinwen --du')" "--dump"
	expect "fish ids" "$(fish_complete "xinwen --width 80 '$tmp/my coll' --dump ")" $'one\ntwo'
else
	echo "NOTE: fish is not installed: its completion is not tested"
fi

check_failed completion && exit 1
echo "PASS: completion"
