# SPDX-License-Identifier: GPL-3.0-or-later
# fish completion for xinwen(1): options, the values of --format and --encoding, files
# and directories, and article ids after --dump and --related (the first column of
# xinwen --list over the paths already on the command line), as contrib/xinwen.bash.

# The ids of the articles in the paths on the line (words that are not options nor an
# option's argument).
function __xinwen_ids
	set -l words (commandline -opc)
	set -l paths
	set -l skip 0
	for w in $words[2..-1]
		if test $skip = 1
			set skip 0
			continue
		end
		switch $w
			case --dump --width --search --related --config --format --encoding
				set skip 1
			case '-*'
			case '*'
				set -a paths $w
		end
	end
	$words[1] --list $paths 2>/dev/null | cut -f1
end

complete -c xinwen -l list -d 'Print one line per article'
complete -c xinwen -l json -d 'With --list, one JSON object per line'
complete -c xinwen -l dump -x -a '(__xinwen_ids)' -d 'Print what the pane shows for an article'
complete -c xinwen -l width -x -d 'Width for --dump'
complete -c xinwen -l check -d 'Report every problem in the collection'
complete -c xinwen -l search -x -d 'Print the articles that contain QUERY'
complete -c xinwen -l regex -d 'Make the --search query a regular expression'
complete -c xinwen -l related -x -a '(__xinwen_ids)' -d 'Print the stories around an article'
complete -c xinwen -l no-cache -d 'Do not read or write the caches'
complete -c xinwen -l config -r -F -d 'Read settings from FILE'
complete -c xinwen -l check-config -d 'Report every problem in the config file'
complete -c xinwen -l format -x -a 'auto native thucnews jsonl sogou' -d 'The files\' format'
complete -c xinwen -l encoding -x -a 'auto utf-8 gb18030 gbk big5 big5-hkscs' -d 'The files\' encoding'
complete -c xinwen -s v -l log -d 'Write a debug log to $XDG_STATE_HOME/xinwen (-vv: more)'
complete -c xinwen -s h -l help -d 'Show the help and exit'
complete -c xinwen -s V -l version -d 'Show the version and exit'
