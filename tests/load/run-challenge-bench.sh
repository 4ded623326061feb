#!/usr/bin/env bash
# run-challenge-bench.sh — the challenge benchmarks of issue #3 end to end: seeds a
# fresh data dir (70,000 participants, a season), then runs the leaderboard
# micro-benchmark, start-up time, durable check-ins (WebSocket, HTTP) and snapshot
# fan-out to 5,000 subscribers against a node it starts and stops; prints a summary.
#
# usage: tests/load/run-challenge-bench.sh            (from the repository root)
# environment:
#   BUILD=build            build directory (binaries are rebuilt there)
#   SCRATCH=/work/scratch  where the temporary data dir goes (else $TMPDIR)
#   PARTICIPANTS=70000     participants seeded
#   DURATION=20 WARMUP=3   seconds measured / warmed up per check-in run
#   SWEEP="ws:64:32 …"     check-in runs, mode:connections:in-flight
#   SUBS=5000              fan-out subscribers; SUBS_RATE=20 driver check-ins/s (then
#                          a second zcsubs run drives HTTP check-ins at saturation)
#   PERF=1                 also `perf record` the node during check-in run PERF_RUN=3
#                          (1-based: ws:1024:4 in the default sweep)
#   QUIET_LOAD=1.0         before each step, wait (at most QUIET_WAIT=60 s) for the
#                          1-min load average to fall below this
#   KEEP=1                 keep the temporary directory
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
SCRATCH=${SCRATCH:-${TMPDIR:-/work/scratch}}
PARTICIPANTS=${PARTICIPANTS:-70000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
SWEEP=${SWEEP:-"ws:64:32 ws:256:8 ws:1024:4 ws:2048:1 http:256:1 http:1024:1"}
SUBS=${SUBS:-5000}
SUBS_RATE=${SUBS_RATE:-20}
TOOLS="zcseed zccheckin zcboardbench zcsubs zcstartup"

. "$ROOT/tests/load/bench-lib.sh"

start_node() {
	"$ROOT/$BUILD/zcnode" --data-dir "$D" --config "$CONF" --port 0 --plain-http \
		>"$W/node.out" 2>"$W/node.err" &
	NODE_PID=$!
	PORT=
	for _ in $(seq 300); do
		PORT=$(sed -n 's/^zcnode ready port=\([0-9]*\)$/\1/p' "$W/node.out")
		[ -n "$PORT" ] && break
		kill -0 "$NODE_PID" 2>/dev/null || { cat "$W/node.err"; exit 1; }
		sleep 0.1
	done
	[ -n "$PORT" ] || { echo "node did not start"; exit 1; }
	echo "node pid $NODE_PID port $PORT"
}

stop_node() {
	kill -TERM "$NODE_PID"
	wait "$NODE_PID" || true
	NODE_PID=
}

say "build (project flags)"
targets=("$BUILD/zcnode")
for t in $TOOLS; do
	rm -f "$BUILD/load/$t" # loadcommon.h is not a make dependency: relink
	targets+=("$BUILD/load/$t")
done
make -s "${targets[@]}"
L="$ROOT/$BUILD/load"

mkdir -p "$SCRATCH"
W=$(mktemp -d "$SCRATCH/zcbench.XXXXXX")
D="$W/data"
CONF="$W/node.conf"
cat >"$CONF" <<EOF
# benchmark node: loopback only, quiet log, limits raised for load tools
listen = 127.0.0.1
log_level = warn
map_size_mb = 4096
ws_messages_per_second = 10000
registrations_per_hour = 100000
registration_burst = 1000
EOF

say "machine"
uname -sr
nproc
grep -m1 "model name" /proc/cpuinfo || true
free -g | sed -n 2p
findmnt -no FSTYPE,SOURCE -T "$W" || true
echo "open files: soft $(ulimit -Sn), hard $(ulimit -Hn)"

say "data dir: init, load-demo, zcseed ($PARTICIPANTS participants, a season)"
"$BUILD/zcnode" init --data-dir "$D" >"$W/init.txt" 2>&1
"$BUILD/zcnode" admin load-demo --data-dir "$D" >/dev/null 2>&1
"$L/zcseed" --data-dir "$D" --participants "$PARTICIPANTS" --map-size-mb 4096 \
	--tokens "$PARTICIPANTS" --tokens-out "$W/tokens.txt" | tee "$W/seed.txt"

say "leaderboard micro-benchmark"
wait_quiet
"$L/zcboardbench" --data-dir "$D" 2>/dev/null | tee "$W/board.txt"

say "start-up (page cache warm, then data.mdb dropped from it before each start)"
wait_quiet
"$L/zcstartup" --data-dir "$D" --runs 5 -- "$ROOT/$BUILD/zcnode" --data-dir "$D" \
	--config "$CONF" --port 0 --plain-http | tee "$W/startup-warm.txt"
"$L/zcstartup" --data-dir "$D" --runs 5 --evict -- "$ROOT/$BUILD/zcnode" --data-dir "$D" \
	--config "$CONF" --port 0 --plain-http | tee "$W/startup-cold.txt"

say "durable check-ins"
start_node
FIRST=0
i=0
for run in $SWEEP; do
	IFS=: read -r mode conns k <<<"$run"
	wait_quiet
	PERF_PID=
	if [ "${PERF:-0}" = 1 ] && [ $((i + 1)) -eq "${PERF_RUN:-3}" ] &&
		command -v perf >/dev/null; then
		perf record -F 999 -p "$NODE_PID" -o "$W/perf.data" -- sleep "$DURATION" \
			>/dev/null 2>&1 &
		PERF_PID=$!
	fi
	"$L/zccheckin" --port "$PORT" --pid "$NODE_PID" --tokens "$W/tokens.txt" \
		--first "$FIRST" --mode "$mode" --connections "$conns" --inflight "$k" \
		--warmup "$WARMUP" --duration "$DURATION" | tee "$W/checkin-$i.txt"
	taken=$(sed -n 's/^RESULT .* taken=\([0-9]*\).*/\1/p' "$W/checkin-$i.txt")
	FIRST=$((FIRST + taken)) # later runs use participants with nothing checked in
	i=$((i + 1))
	[ -z "$PERF_PID" ] || wait "$PERF_PID"
done
if [ -f "$W/perf.data" ]; then
	# awk, not head: an early exit would end the script through pipefail
	perf report -i "$W/perf.data" --no-children --sort dso --stdio 2>/dev/null |
		awk '/%/ && n++ < 12' | tee "$W/perf-dso.txt"
	perf report -i "$W/perf.data" --no-children --sort symbol --stdio 2>/dev/null |
		awk '/%/ && n++ < 30' | tee "$W/perf-sym.txt"
fi
stop_node

say "snapshot fan-out ($SUBS subscribers, driver $SUBS_RATE check-ins/s), on a fresh node"
start_node
wait_quiet
"$L/zcsubs" --port "$PORT" --pid "$NODE_PID" --tokens "$W/tokens.txt" --first "$FIRST" \
	--subscribers "$SUBS" --rate "$SUBS_RATE" --duration "$DURATION" | tee "$W/subs.txt"

say "HTTP check-ins at saturation: alone, beside $SUBS idle connections, with $SUBS subscribers"
wait_quiet
"$L/zcsubs" --port "$PORT" --pid "$NODE_PID" --tokens "$W/tokens.txt" \
	--first "$((FIRST + 100))" --subscribers "$SUBS" --rate 30000 --drivers 256 \
	--duration "$DURATION" | tee "$W/subs-load.txt"
stop_node

say "summary"
echo "seed:     $(grep -E '^  (participants|check-ins|time) ' "$W/seed.txt" | tr -s ' ' | tr '\n' ';')"
grep -E 'lbindex (update|rank)|top 20 \(range|board update|board_load' "$W/board.txt"
grep -h RESULT "$W"/startup-*.txt
grep -h RESULT "$W"/checkin-*.txt
grep -h RESULT "$W/subs.txt"
grep -E '^  (baseline|idle conns|driver) ' "$W/subs-load.txt"
echo "data dir after the runs: $(du -sh "$D" | cut -f1)"
