# screen-lib.sh: drive the real xinwen binary in a real terminal (tmux on a private
# socket) and poll for expected screens. Sourced by tests/screen_*.sh.

command -v tmux >/dev/null 2>&1 || { echo "tmux not installed: skipping"; exit 77; }
: "${XINWEN:?XINWEN must name the binary}"
: "${TOP_SRCDIR:?TOP_SRCDIR must name the source tree}"

SCREEN_SOCKET="xinwen-test-$$"
SCREEN_DIR=$(mktemp -d)
SCREEN_STDERR=$SCREEN_DIR/stderr
SCREEN_STATUS=$SCREEN_DIR/status
SCREEN_TIMEOUT=${SCREEN_TIMEOUT:-15}

tm() {
	tmux -L "$SCREEN_SOCKET" -f /dev/null "$@"
}

screen_cleanup() {
	tm kill-server 2>/dev/null || true
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

# screen_start COLS ROWS ARGS...: start xinwen ARGS in a COLS x ROWS terminal.
screen_start() {
	local cols=$1 rows=$2
	shift 2
	local cmd="env LC_ALL=C.UTF-8 TERM=xterm-256color NO_COLOR= '$XINWEN'"
	local arg
	for arg in "$@"; do
		cmd="$cmd '$arg'"
	done
	# tmux does not always report a dead pane's status: the shell writes it down.
	cmd="$cmd 2>'$SCREEN_STDERR'; echo \$? >'$SCREEN_STATUS.tmp'; mv '$SCREEN_STATUS.tmp' '$SCREEN_STATUS'"
	tm start-server \; set-option -g remain-on-exit on \; \
		new-session -d -s t -x "$cols" -y "$rows" "$cmd"
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
		sleep 0.05
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
		sleep 0.05
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
		sleep 0.05
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
