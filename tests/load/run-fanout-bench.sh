#!/usr/bin/env bash
# run-fanout-bench.sh — the live-workshop fan-out benchmarks of issue #4 end to end:
# seeds a data dir with participants and their tokens, then for each run starts a fresh
# node (so its memory figures start from the same point), runs zcfanout against it and
# stops it: steady 5,000 x 10 events/s, 10,000 x 10/s, burst 5,000 x 100/s, 1,000 and
# 19,000 connections held with a short publishing phase, and idle memory per connection
# over plain WebSocket and over TLS. Prints every RESULT line at the end (~6 minutes).
#
# usage: tests/load/run-fanout-bench.sh            (from the repository root)
# environment:
#   BUILD=build            build directory (binaries are rebuilt there)
#   SCRATCH=/work/scratch  where the temporary data dir goes (else $TMPDIR)
#   PARTICIPANTS=20000     participants seeded (tokens for all of them)
#   DURATION=20 WARMUP=2   seconds measured / warmed up in the rate runs
#   RUNS="steady10k …"     a subset of: steady5k steady10k burst5k held1k held19k
#                          idle5k tls5k idle19k (19,000 idle connections for 10 s:
#                          the node's CPU when nothing happens)
#   PUBLISHER=debug        debug: HTTP debug publish into test:events; ws: a workshop
#                          created over HTTP, events published as staff `announce`
#   GUESTS=1               subscribe as guests instead of participants
#   QUIET_LOAD=1.0         before each run, wait (at most QUIET_WAIT=60 s) for the
#                          1-min load average to fall below this
#   KEEP=1                 keep the temporary directory
#   NODE_PREFIX="nice -n -5"  a command the node is started under (experiments)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
SCRATCH=${SCRATCH:-${TMPDIR:-/work/scratch}}
PARTICIPANTS=${PARTICIPANTS:-20000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-2}
RUNS=${RUNS:-"steady5k steady10k burst5k held1k held19k idle5k tls5k"}
PUBLISHER=${PUBLISHER:-debug}

. "$ROOT/tests/load/bench-lib.sh"

# start_node plain|tls
start_node() {
	local mode=$1 flags=(--plain-http) scheme=http
	if [ "$mode" = tls ]; then
		flags=()
		scheme=https
	fi
	# shellcheck disable=SC2086
	${NODE_PREFIX:-} "$ROOT/$BUILD/zcnode" --data-dir "$D" --config "$CONF" --port 0 "${flags[@]}" \
		>"$W/node.out" 2>>"$W/node.err" &
	NODE_PID=$!
	PORT=
	for _ in $(seq 300); do
		PORT=$(sed -n 's/^zcnode ready port=\([0-9]*\)$/\1/p' "$W/node.out")
		[ -n "$PORT" ] && break
		kill -0 "$NODE_PID" 2>/dev/null || { cat "$W/node.err"; exit 1; }
		sleep 0.1
	done
	[ -n "$PORT" ] || { echo "node did not start"; exit 1; }
	BASE="$scheme://127.0.0.1:$PORT"
	echo "node pid $NODE_PID port $PORT ($mode); open files: $(awk '/Max open files/ { print "soft " $4 ", hard " $5 }' "/proc/$NODE_PID/limits")"
}

stop_node() {
	kill -TERM "$NODE_PID"
	wait "$NODE_PID" || true
	NODE_PID=
}

# The channel to publish on: test:events, or (PUBLISHER=ws) a workshop created now.
channel_args() {
	if [ "$PUBLISHER" != ws ]; then
		echo "--channel test:events --publisher debug"
		return
	fi
	local token id start end
	token=$(curl -sk -X POST "$BASE/api/v1/admin/login" -H 'content-type: application/json' \
		-d "{\"username\":\"admin\",\"password\":\"$ADMIN_PW\"}" |
		sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
	start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
	end=$(date -u -d '+3 hours' +%Y-%m-%dT%H:%M:%SZ)
	id=$(curl -sk -X POST "$BASE/api/v1/admin/workshops" -H 'content-type: application/json' \
		-H "authorization: Bearer $token" \
		-d "{\"title\":{\"fr\":\"Atelier de charge\"},\"description\":{\"fr\":\"Mesure\"},\"kind\":\"online\",\"starts_at\":\"$start\",\"ends_at\":\"$end\"}" |
		sed -n 's/^{"id":\([0-9]*\).*/\1/p')
	[ -n "$id" ] || { echo "could not create a workshop (is the route there?)" >&2; exit 1; }
	echo "--channel workshop:$id --publisher ws --admin-token $token"
}

# commit_summary NAME: the node's LMDB commits during the run (count, mean, share
# over 2.5 ms and 10 ms, from /metrics' histogram), as a COMMITS line.
commit_summary() {
	curl -sk "$BASE/metrics" >"$W/$1.metrics" || return 0
	awk '/^zcnode_commit_seconds_bucket\{le="0.002500"\}/ { b25 = $2 }
	     /^zcnode_commit_seconds_bucket\{le="0.010000"\}/ { b10 = $2 }
	     /^zcnode_commit_seconds_sum/ { sum = $2 }
	     /^zcnode_commit_seconds_count/ { n = $2 }
	     END { if (n) printf "COMMITS n=%d mean_ms=%.2f over_2.5ms=%d over_10ms=%d\n", n, 1000 * sum / n, n - b25, n - b10 }' \
		"$W/$1.metrics" | tee -a "$W/$1.txt"
}

# fanout NAME plain|tls SUBSCRIBERS RATE DURATION [zcfanout options…]
NAMES=()
fanout() {
	local name=$1 base=$1 mode=$2 subs=$3 rate=$4 duration=$5 k=2
	shift 5
	# A run repeated in RUNS gets its own file (burst5k, burst5k-2, …).
	while [ -e "$W/$name.txt" ]; do
		name="$base-$k"
		k=$((k + 1))
	done
	NAMES+=("$name")
	local who=(--tokens "$W/tokens.txt")
	[ "${GUESTS:-0}" = 1 ] && who=(--guests 1)
	say "$name: $subs subscribers, $rate events/s ($mode)"
	start_node "$mode"
	wait_quiet
	# shellcheck disable=SC2046
	"$L/zcfanout" --port "$PORT" --pid "$NODE_PID" "${who[@]}" --sources 250 \
		--subscribers "$subs" --rate "$rate" --duration "$duration" --warmup "$WARMUP" \
		--admin-password "$ADMIN_PW" $(channel_args) "$@" | tee "$W/$name.txt"
	commit_summary "$name"
	stop_node
}

say "build (project flags)"
make -s "$BUILD/zcnode" "$BUILD/load/zcseed" "$BUILD/load/zcfanout"
L="$ROOT/$BUILD/load"

mkdir -p "$SCRATCH"
W=$(mktemp -d "$SCRATCH/zcfanout.XXXXXX")
D="$W/data"
CONF="$W/node.conf"
cat >"$CONF" <<EOF
# fan-out benchmark node: loopback only, quiet log, test channels on
listen = 127.0.0.1
log_level = warn
test_hooks = true
ws_messages_per_second = 10000
login_attempts_per_minute = 1000
EOF

say "machine"
uname -sr
nproc
grep -m1 "model name" /proc/cpuinfo || true
free -g | sed -n 2p
echo "open files: soft $(ulimit -Sn), hard $(ulimit -Hn); fs.nr_open $(cat /proc/sys/fs/nr_open)"

say "data dir: init, load-demo, zcseed ($PARTICIPANTS participants with tokens)"
"$BUILD/zcnode" init --data-dir "$D" >"$W/init.txt" 2>&1
ADMIN_PW=$(sed -n 's/.*admin username: admin password: \([^ ]*\).*/\1/p' "$W/init.txt")
"$BUILD/zcnode" admin load-demo --data-dir "$D" >/dev/null 2>&1
"$L/zcseed" --data-dir "$D" --participants "$PARTICIPANTS" --no-season \
	--tokens "$PARTICIPANTS" --tokens-out "$W/tokens.txt" | tail -3

for run in $RUNS; do
	case $run in
	steady5k) fanout steady5k plain 5000 10 "$DURATION" ;;
	steady10k) fanout steady10k plain 10000 10 "$DURATION" ;;
	burst5k) fanout burst5k plain 5000 100 "$DURATION" ;;
	held1k) fanout held1k plain 1000 10 5 --hold 5 ;;
	held19k) fanout held19k plain 19000 10 5 --hold 5 ;;
	idle5k) fanout idle5k plain 5000 0 1 --settle 3 ;;
	idle19k) fanout idle19k plain 19000 0 10 --settle 3 ;;
	tls5k) fanout tls5k tls 5000 10 10 --tls 1 --settle 3 ;;
	*) echo "unknown run $run"; exit 2 ;;
	esac
done

say "summary"
for run in "${NAMES[@]}"; do
	printf '%-10s %s\n' "$run" "$(grep -h '^RESULT' "$W/$run.txt" || echo 'no result')"
	grep -h '^COMMITS' "$W/$run.txt" | sed 's/^/           /' || true
done
