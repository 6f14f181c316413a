# SPDX-License-Identifier: GPL-3.0-or-later
# screen-lib.sh: drive the real xinwen binary in a real terminal (tmux on a private
# socket) and poll for expected screens. Sourced by tests/screen_*.sh.

command -v tmux >/dev/null 2>&1 || { echo "tmux not installed: skipping"; exit 77; }
: "${XINWEN:?XINWEN must name the binary}"
: "${TOP_SRCDIR:?TOP_SRCDIR must name the source tree}"

SCREEN_SOCKET="xinwen-test-$$"
SCREEN_DIR=$(mktemp -d)
SCREEN_STDERR=$SCREEN_DIR/stderr
SCREEN_STATUS=$SCREEN_DIR/status
SCREEN_TIMEOUT=${SCREEN_TIMEOUT:-30}
SCREEN_POLL=${SCREEN_POLL:-0.05} # seconds between two looks at the screen
# Read marks and bookmarks go to the test's own directory, never the user's.
XDG_STATE_HOME=$SCREEN_DIR/state
export XDG_STATE_HOME

tm() {
	tmux -L "$SCREEN_SOCKET" -f /dev/null "$@"
}

# screen_kill: stop the tmux server and remove its socket (tmux leaves it behind).
screen_kill() {
	tm kill-server 2>/dev/null || true
	rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SCREEN_SOCKET"
}

screen_cleanup() {
	screen_kill
	rm -rf "$SCREEN_DIR"
}

# screen_failed MESSAGE: report a failure with the screen and what xinwen wrote to stderr.
screen_failed() {
	echo "FAIL: $1"
	echo "---- screen ----"
	screen_capture
	echo "---- xinwen's stderr ----"
	cat "$SCREEN_STDERR"
	echo "----------------"
	exit 1
}
trap screen_cleanup EXIT

# screen_command ARGS...: the shell command that runs xinwen ARGS in the test's locale.
screen_command() {
	local cmd="env LC_ALL=C.UTF-8 TERM=xterm-256color NO_COLOR= XDG_STATE_HOME='$XDG_STATE_HOME' '$XINWEN'"
	local arg
	for arg in "$@"; do
		cmd="$cmd '$arg'"
	done
	printf '%s' "$cmd"
}

# screen_start COLS ROWS ARGS...: start xinwen ARGS in a COLS x ROWS terminal.
screen_start() {
	local cols=$1 rows=$2
	shift 2
	local cmd
	cmd=$(screen_command "$@")
	# tmux does not always report a dead pane's status: the shell writes it down.
	cmd="$cmd 2>'$SCREEN_STDERR'; echo \$? >'$SCREEN_STATUS.tmp'; mv '$SCREEN_STATUS.tmp' '$SCREEN_STATUS'"
	tm start-server \; set-option -g remain-on-exit on \; \
		new-session -d -s t -x "$cols" -y "$rows" "$cmd"
}

# Raw-output runs (screen_start_raw): every byte xinwen writes to the terminal goes to
# SCREEN_RAW; its pid is in SCREEN_PID; after it exits the wrapper writes
# SCREEN_EXIT_MARK to the terminal (so the capture is known to be complete) and keeps
# the pane alive, so tmux still reports the terminal's modes, until screen_stop.
SCREEN_RAW=$SCREEN_DIR/raw
SCREEN_PID=$SCREEN_DIR/pid
SCREEN_TITLE=$SCREEN_DIR/title
SCREEN_EXIT_MARK=XINWEN-TEST-EXITED

# screen_start_raw COLS ROWS ARGS...: like screen_start, capturing the raw output.
screen_start_raw() {
	local cols=$1 rows=$2
	shift 2
	local gate=$SCREEN_DIR/gate hold=$SCREEN_DIR/hold
	rm -f "$gate" "$hold" "$SCREEN_RAW" "$SCREEN_PID" "$SCREEN_STATUS"
	# The inner sh writes its pid, waits until pipe-pane is on, then becomes xinwen.
	local cmd="sh -c 'echo \$\$ >\"$SCREEN_PID\"; while [ ! -e \"$gate\" ]; do sleep 0.02; done; exec \"\$@\"' sh"
	cmd="$cmd $(screen_command "$@") 2>'$SCREEN_STDERR'; echo \$? >'$SCREEN_STATUS.tmp'; mv '$SCREEN_STATUS.tmp' '$SCREEN_STATUS'"
	cmd="$cmd; printf '%s' '$SCREEN_EXIT_MARK'; while [ ! -e '$hold' ]; do sleep 0.1; done"
	tm start-server \; set-option -g remain-on-exit on \; \
		new-session -d -s t -x "$cols" -y "$rows" "$cmd"
	tm display-message -p -t t '#{pane_title}' >"$SCREEN_TITLE"
	tm pipe-pane -O -t t "cat >>'$SCREEN_RAW'"
	: >"$gate"
	local deadline=$((SECONDS + SCREEN_TIMEOUT))
	until [ -s "$SCREEN_PID" ]; do
		[ $SECONDS -le $deadline ] || screen_failed "the wrapper never started"
		sleep 0.02
	done
}

# screen_pid: xinwen's process id in a raw-output run.
screen_pid() {
	cat "$SCREEN_PID"
}

# screen_wait_raw_complete: after xinwen exited, wait until the capture holds all of it.
screen_wait_raw_complete() {
	local deadline=$((SECONDS + SCREEN_TIMEOUT))
	while [ $SECONDS -le $deadline ]; do
		if [ -f "$SCREEN_RAW" ] && grep -a -q -F "$SCREEN_EXIT_MARK" "$SCREEN_RAW"; then
			return 0
		fi
		sleep "$SCREEN_POLL"
	done
	screen_failed "the raw capture never showed the wrapper's exit mark"
}

# screen_format FORMAT: a tmux format for the pane (#{alternate_on}, #{pane_title}...).
screen_format() {
	tm display-message -p -t t "$1"
}

# screen_wait_format FORMAT VALUE [DESCRIPTION]: wait until the format expands to VALUE.
screen_wait_format() {
	local deadline=$((SECONDS + SCREEN_TIMEOUT)) got
	while [ $SECONDS -le $deadline ]; do
		got=$(screen_format "$1")
		[ "$got" = "$2" ] && return 0
		sleep "$SCREEN_POLL"
	done
	screen_failed "${3:-$1} is '$got', expected '$2'"
}

# screen_stop: end the terminal of a run. The next screen_start* starts a new tmux
# server on a new socket (the old server may take a moment to go away).
SCREEN_RUN=0
screen_stop() {
	: >"$SCREEN_DIR/hold"
	screen_kill
	rm -f "$SCREEN_STATUS" "$SCREEN_PID"
	SCREEN_RUN=$((SCREEN_RUN + 1))
	SCREEN_SOCKET="xinwen-test-$$-$SCREEN_RUN"
}

# screen_capture: print the visible screen.
screen_capture() {
	tm capture-pane -p -t t
}

# screen_wait_for GREP-PATTERN [DESCRIPTION]: wait until the screen shows the pattern.
screen_wait_for() {
	local pattern=$1 what=${2:-$1}
	local deadline=$((SECONDS + SCREEN_TIMEOUT))
	while [ $SECONDS -le $deadline ]; do
		if screen_capture | grep -q -- "$pattern"; then
			return 0
		fi
		sleep "$SCREEN_POLL"
	done
	screen_failed "the screen never showed: $what"
}

# screen_wait_gone GREP-PATTERN [DESCRIPTION]: wait until the screen no longer shows it.
screen_wait_gone() {
	local pattern=$1 what=${2:-$1}
	local deadline=$((SECONDS + SCREEN_TIMEOUT))
	while [ $SECONDS -le $deadline ]; do
		if ! screen_capture | grep -q -- "$pattern"; then
			return 0
		fi
		sleep "$SCREEN_POLL"
	done
	screen_failed "the screen still shows: $what"
}

# screen_keys KEY...: type keys (tmux key names: Enter, Tab, BSpace, Left, q, ...).
screen_keys() {
	tm send-keys -t t "$@"
}

# screen_resize COLS ROWS
screen_resize() {
	tm resize-window -t t -x "$1" -y "$2"
}

# screen_wait_exit STATUS: wait until xinwen has exited with STATUS.
screen_wait_exit() {
	local want=$1
	local deadline=$((SECONDS + SCREEN_TIMEOUT))
	while [ $SECONDS -le $deadline ]; do
		if [ -f "$SCREEN_STATUS" ]; then
			local got
			got=$(cat "$SCREEN_STATUS")
			[ "$got" = "$want" ] && return 0
			screen_failed "xinwen exited with status $got, expected $want"
		fi
		sleep "$SCREEN_POLL"
	done
	screen_failed "xinwen did not exit"
}

# screen_assert_line N GREP-PATTERN: line N (1-based) of the screen matches.
screen_assert_line() {
	local line
	line=$(screen_capture | sed -n "${1}p")
	if ! printf '%s\n' "$line" | grep -q -- "$2"; then
		screen_failed "screen line $1 is '$line', expected /$2/"
	fi
}
