# screen-lib.sh: drive the real xinwen binary in a real terminal (tmux on a private
# socket) and poll for expected screens. Sourced by tests/screen_*.sh.

command -v tmux >/dev/null 2>&1 || { echo "tmux not installed: skipping"; exit 77; }
: "${XINWEN:?XINWEN must name the binary}"
: "${TOP_SRCDIR:?TOP_SRCDIR must name the source tree}"

SCREEN_SOCKET="xinwen-test-$$"
SCREEN_TIMEOUT=${SCREEN_TIMEOUT:-15}

tm() {
	tmux -L "$SCREEN_SOCKET" -f /dev/null "$@"
}

screen_cleanup() {
	tm kill-server 2>/dev/null || true
}
trap screen_cleanup EXIT

# screen_start COLS ROWS ARGS...: start xinwen ARGS in a COLS x ROWS terminal.
screen_start() {
	local cols=$1 rows=$2
	shift 2
	local cmd="exec env LC_ALL=C.UTF-8 TERM=xterm-256color NO_COLOR= '$XINWEN'"
	local arg
	for arg in "$@"; do
		cmd="$cmd '$arg'"
	done
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
	echo "FAIL: the screen never showed: $what"
	echo "---- screen ----"
	screen_capture
	echo "----------------"
	exit 1
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
	echo "FAIL: the screen still shows: $what"
	screen_capture
	exit 1
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
		if [ "$(tm display-message -p -t t '#{pane_dead}')" = 1 ]; then
			local got
			got=$(tm display-message -p -t t '#{pane_dead_status}')
			[ "$got" = "$want" ] && return 0
			echo "FAIL: xinwen exited with $got, expected $want"
			screen_capture
			exit 1
		fi
		sleep 0.05
	done
	echo "FAIL: xinwen did not exit"
	screen_capture
	exit 1
}

# screen_assert_line N GREP-PATTERN: line N (1-based) of the screen matches.
screen_assert_line() {
	local line
	line=$(screen_capture | sed -n "${1}p")
	if ! printf '%s\n' "$line" | grep -q -- "$2"; then
		echo "FAIL: screen line $1 is '$line', expected /$2/"
		screen_capture
		exit 1
	fi
}
