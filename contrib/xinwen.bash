# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for xinwen(1): its options (read from xinwen --help), files and
# directories, the values of --format and --encoding, and article ids after --dump and
# --related (the first column of xinwen --list over the paths already on the command
# line). contrib/_xinwen (zsh) and contrib/xinwen.fish offer the same.
_xinwen()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=
	local prog=${COMP_WORDS[0]} IFS=$'\n'
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	[[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}

	# The options that take an argument: those --help shows with an uppercase word.
	local takes_arg
	takes_arg=$("$prog" --help 2>/dev/null |
		sed -n 's/^ *\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\) [A-Z].*/\2/p')

	case $prev in
	--format)
		COMPREPLY=($(compgen -W $'auto\nnative\nthucnews\njsonl\nsogou' -- "$cur"))
		return
		;;
	--encoding)
		COMPREPLY=($(compgen -W $'auto\nutf-8\ngb18030\ngbk\nbig5\nbig5-hkscs' -- "$cur"))
		return
		;;
	--dump | --related)
		local -a paths=()
		local i w skip=0
		for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
			w=${COMP_WORDS[i]}
			if ((i == COMP_CWORD || skip)); then
				skip=0
				continue
			fi
			case $w in
			--*=* | -?*) grep -qxF -- "$w" <<<"$takes_arg" && skip=1 ;;
			"~/"*) paths+=("$HOME/${w#"~/"}") ;;
			*) paths+=("$w") ;;
			esac
		done
		local ids
		ids=$("$prog" --list "${paths[@]}" 2>/dev/null | cut -f1)
		COMPREPLY=($(compgen -W "$ids" -- "$cur"))
		return
		;;
	esac
	if [[ -n $prev ]] && grep -qxF -- "$prev" <<<"$takes_arg"; then
		return # a width, a query...: nothing to offer
	fi
	if [[ $cur == -* ]]; then
		local opts
		opts=$("$prog" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u)
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		return
	fi
	if declare -F _filedir >/dev/null; then
		_filedir
	else
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _xinwen xinwen
