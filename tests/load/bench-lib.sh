# Shared by the benchmark scripts (sourced, not run): the node's PID and the
# work dir are cleaned up at exit, `say` prints a section title, and
# `wait_quiet` waits (at most QUIET_WAIT seconds) for the 1-minute load
# average to fall below QUIET_LOAD, then prints it beside the figures.
QUIET_LOAD=${QUIET_LOAD:-1.0}
QUIET_WAIT=${QUIET_WAIT:-60}
NODE_PID=
W=

cleanup() {
	if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
		kill -TERM "$NODE_PID"
		wait "$NODE_PID" || true
	fi
	if [ -n "$W" ] && [ "${KEEP:-0}" != 1 ]; then
		rm -rf "$W"
	elif [ -n "$W" ]; then
		echo "kept $W"
	fi
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }

wait_quiet() {
	local i=0 load
	while :; do
		load=$(cut -d' ' -f1 /proc/loadavg)
		if awk -v l="$load" -v q="$QUIET_LOAD" 'BEGIN { exit !(l < q) }' ||
			[ $((i * 5)) -ge "$QUIET_WAIT" ]; then
			break
		fi
		[ $i -eq 0 ] && echo "(waiting for the load average $load to fall below $QUIET_LOAD)"
		sleep 5
		i=$((i + 1))
	done
	echo "(load average before this step: $(cut -d' ' -f1-3 /proc/loadavg))"
}
