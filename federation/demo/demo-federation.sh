#!/usr/bin/env bash
# make demo-federation: three neighbouring cities, each its own zcnode on this
# machine, federated over zcfed/1 (design §6). Each gets demo participants
# with check-ins over the season so far, publishes its closed weeks, and
# shows the three cities on its inter-city page. Data stays in dev/federation/
# (ignored by git): a second run reuses it. Ctrl-C stops the three nodes.
#
# Environment (the Makefile sets the first three): ZCNODE_BIN, ZCSEED_BIN,
# ZCNODE_STATIC; DEMO_DIR to keep the data elsewhere. Needs curl; no network
# beyond 127.0.0.1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${ZCNODE_BIN:-$ROOT/build/zcnode}
SEED=${ZCSEED_BIN:-$ROOT/build/load/zcseed}
STATIC=${ZCNODE_STATIC:-$ROOT/client-web/dist}
BASE=${DEMO_DIR:-$ROOT/dev/federation}

# origin | name | population | public port | federation port | participants | check-ins per week | zcseed seed
# Populations are approximate, rounded figures for a demo (a real city states
# INSEE's legal population); Issy's is the demo city's own (server/city.c).
# Participants and rates differ so the cities differ; Malakoff's and Issy's
# land close, so their intervals usually overlap and they show as tied.
CITIES=(
	"issy-les-moulineaux|Issy-les-Moulineaux|70000|8481|8491|420|3.0|101"
	"vanves|Vanves|28000|8482|8492|200|3.6|202"
	"malakoff|Malakoff|31000|8483|8493|220|2.5|303"
)
# Plain names for the demo's neighbourhoods (Issy keeps its demo list).
HOODS='["Centre","Nord","Sud","Est","Ouest"]'
READY_S=15
FEDERATED_S=120

declare -A PID=()

say() { printf 'demo-federation: %s\n' "$*"; }
die() {
	say "$*" >&2
	exit 1
}

field() { # field LINE N
	local IFS='|'
	# shellcheck disable=SC2206
	local f=($1)
	printf '%s' "${f[$2]}"
}

for tool in "$BIN" "$SEED"; do
	[ -x "$tool" ] || die "$tool is missing: run 'make demo-federation' (it builds it)"
done
[ -f "$STATIC/index.html" ] || die "$STATIC has no index.html: run 'make client'"
command -v curl >/dev/null || die "curl is needed (apt-get install curl)"
command -v setsid >/dev/null || die "setsid is needed (util-linux)"

# shellcheck disable=SC2317 # run by the traps
stop_nodes() {
	local origin
	for origin in "${!PID[@]}"; do
		kill -TERM "${PID[$origin]}" 2>/dev/null || true
	done
	for origin in "${!PID[@]}"; do
		wait "${PID[$origin]}" 2>/dev/null || true
		unset "PID[$origin]"
	done
}
trap 'stop_nodes' EXIT
trap 'echo; say "stopping the nodes"; stop_nodes; exit 0' INT TERM HUP

# start_node ORIGIN CONFIG: starts the node in the background, waits for its
# ready line (or its exit). In a session of its own, so that Ctrl-C reaches
# this script alone, which then stops the nodes with SIGTERM and waits.
start_node() {
	local origin=$1 conf=$2 dir="$BASE/$1"
	: >"$dir/node.out"
	setsid "$BIN" --data-dir "$dir/data" --config "$conf" >"$dir/node.out" 2>>"$dir/node.log" &
	PID[$origin]=$!
	local waited=0
	until grep -q '^zcnode ready port=' "$dir/node.out"; do
		if ! kill -0 "${PID[$origin]}" 2>/dev/null; then
			unset "PID[$origin]"
			tail -n 15 "$dir/node.log" >&2
			die "$origin did not start (is its port busy?); log: $dir/node.log"
		fi
		waited=$((waited + 1))
		[ "$waited" -le $((READY_S * 10)) ] || die "$origin printed no ready line in $READY_S s"
		sleep 0.1
	done
}

stop_node() {
	kill -TERM "${PID[$1]}"
	wait "${PID[$1]}" || die "$1 did not stop cleanly"
	unset "PID[$1]"
}

# api METHOD URL [TOKEN] [BODY]: prints the body, then the status on its own line.
api() {
	local args=(-sS -X "$1" -w '\n%{http_code}' -H 'Accept: application/json')
	[ -n "${3:-}" ] && args+=(-H "Authorization: Bearer $3")
	[ -n "${4:-}" ] && args+=(-H 'Content-Type: application/json' --data "$4")
	curl "${args[@]}" "$2"
}

status_of() { printf '%s' "${1##*$'\n'}"; }
body_of() { printf '%s' "${1%$'\n'*}"; }

login() { # login PORT PASSWORD → token
	local out
	out=$(api POST "http://127.0.0.1:$1/api/v1/admin/login" '' "{\"username\":\"admin\",\"password\":\"$2\"}")
	[ "$(status_of "$out")" = 200 ] || die "admin login on port $1 refused: $(body_of "$out")"
	body_of "$out" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

# --- 1. data dirs: init, demo data, the city's profile, seeded participants ---
mkdir -p "$BASE"
chmod 700 "$BASE"
for c in "${CITIES[@]}"; do
	origin=$(field "$c" 0) name=$(field "$c" 1) population=$(field "$c" 2) port=$(field "$c" 3)
	dir="$BASE/$origin"
	mkdir -p "$dir"
	if [ ! -f "$dir/data/node.secret" ]; then
		say "$origin: zcnode init and demo data"
		out=$("$BIN" init --data-dir "$dir/data" 2>>"$dir/node.log")
		password=$(printf '%s\n' "$out" | sed -n 's/^admin username: admin password: \(.*\)$/\1/p')
		[ -n "$password" ] || die "$origin: zcnode init printed no admin password"
		(umask 077 && printf '%s\n' "$password" >"$dir/admin-password")
		"$BIN" admin load-demo --data-dir "$dir/data" >/dev/null 2>>"$dir/node.log"
	fi
	[ -f "$dir/admin-password" ] || die "$dir/admin-password is missing: remove $dir to start again"
	if [ ! -f "$dir/seeded" ]; then
		# The city's name and population go into every statement it signs, so
		# they are set on a node started without federation, before it ever
		# publishes; then participants are written with the node stopped, so
		# it reads their boards at its next start.
		say "$origin: city profile ($name, $population inhabitants)"
		conf="$dir/setup.conf"
		printf 'listen = 127.0.0.1\nport = %s\nplain_http = true\nstatic_dir = %s\n' "$port" "$STATIC" >"$conf"
		start_node "$origin" "$conf"
		token=$(login "$port" "$(cat "$dir/admin-password")")
		hoods=$HOODS
		[ "$origin" = issy-les-moulineaux ] &&
			hoods=$(body_of "$(api GET "http://127.0.0.1:$port/api/v1/city")" | sed -n 's/.*"neighbourhoods":\(\[[^]]*\]\).*/\1/p')
		out=$(api PUT "http://127.0.0.1:$port/api/v1/admin/city" "$token" \
			"{\"name\":\"$name\",\"population\":$population,\"neighbourhoods\":$hoods}")
		[ "$(status_of "$out")" = 200 ] || die "$origin: PUT /admin/city: $(body_of "$out")"
		# zcseed fills the season that contains today: add one if the demo's is over.
		if body_of "$(api GET "http://127.0.0.1:$port/api/v1/city")" | grep -q '"season":null'; then
			from=$(date -d '-84 days' +%F) to=$(date -d '+84 days' +%F)
			out=$(api POST "http://127.0.0.1:$port/api/v1/admin/seasons" "$token" \
				"{\"id\":\"demo-${from:0:4}\",\"name\":\"Saison de démonstration\",\"starts_on\":\"$from\",\"ends_on\":\"$to\"}")
			[ "$(status_of "$out")" = 201 ] || die "$origin: POST /admin/seasons: $(body_of "$out")"
		fi
		stop_node "$origin"
		rm -f "$conf"
		say "$origin: seeding $(field "$c" 5) participants"
		"$SEED" --data-dir "$dir/data" --participants "$(field "$c" 5)" --per-week "$(field "$c" 6)" \
			--seed "$(field "$c" 7)" --until "$(date +%F)" >"$dir/seed.out" 2>&1 ||
			{
				cat "$dir/seed.out" >&2
				die "$origin: zcseed failed"
			}
		touch "$dir/seeded"
	fi
done

# --- 2. configurations: each node pins the other two -------------------------
for c in "${CITIES[@]}"; do
	origin=$(field "$c" 0)
	cat >"$BASE/$origin/zcnode.conf" <<EOF
# Written by federation/demo/demo-federation.sh at each run (edit the script).
listen = 127.0.0.1
port = $(field "$c" 3)
plain_http = true
static_dir = $STATIC
fed_origin = $origin
fed_port = $(field "$c" 4)
fed_url = https://127.0.0.1:$(field "$c" 4)
fed_pull_interval_s = 30
fed_backoff_min_s = 5
fed_backoff_max_s = 60
EOF
done
declare -A PEER_LINE=()
for c in "${CITIES[@]}"; do
	origin=$(field "$c" 0)
	PEER_LINE[$origin]=$("$BIN" federation show --data-dir "$BASE/$origin/data" \
		--config "$BASE/$origin/zcnode.conf" | grep '^peer = ') ||
		die "$origin: zcnode federation show printed no peer line"
done
for c in "${CITIES[@]}"; do
	origin=$(field "$c" 0)
	for other in "${!PEER_LINE[@]}"; do
		[ "$other" = "$origin" ] || printf '%s\n' "${PEER_LINE[$other]}" >>"$BASE/$origin/zcnode.conf"
	done
done

# --- 3. start the three, publish the season's closed weeks -------------------
for c in "${CITIES[@]}"; do
	origin=$(field "$c" 0)
	start_node "$origin" "$BASE/$origin/zcnode.conf"
	say "$origin: running on http://127.0.0.1:$(field "$c" 3)/ (federation port $(field "$c" 4), pid ${PID[$origin]})"
done

for c in "${CITIES[@]}"; do
	origin=$(field "$c" 0) port=$(field "$c" 3)
	token=$(login "$port" "$(cat "$BASE/$origin/admin-password")")
	city=$(body_of "$(api GET "http://127.0.0.1:$port/api/v1/city")")
	start=$(printf '%s' "$city" | sed -n 's/.*"season":{[^}]*"starts_on":"\([0-9-]*\)".*/\1/p')
	current=$(printf '%s' "$city" | sed -n 's/.*"week":"\([0-9W-]*\)".*/\1/p')
	{ [ -n "$start" ] && [ -n "$current" ]; } || die "$origin: no current season in GET /api/v1/city"
	new=0 already=0 day=$start first='' last=''
	while week=$(date -d "$day" +%G-W%V) && [[ "$week" < "$current" ]]; do
		first=${first:-$week} last=$week
		out=$(api POST "http://127.0.0.1:$port/api/v1/admin/federation/publish" "$token" "{\"week\":\"$week\"}")
		case $(status_of "$out") in
		201) new=$((new + 1)) ;;
		409) already=$((already + 1)) ;; # published before (or by the node itself at start)
		*) die "$origin: publishing $week: $(body_of "$out")" ;;
		esac
		day=$(date -d "$day + 7 days" +%F)
	done
	say "$origin: closed weeks ${first:-none} to ${last:-none} published ($new now, $already before)"
done

# --- 4. wait until every node shows the three cities -------------------------
say "waiting for the statements to reach every node"
waited=0
while :; do
	done_all=1
	for c in "${CITIES[@]}"; do
		n=$(curl -sS "http://127.0.0.1:$(field "$c" 3)/api/v1/intercity" | grep -o '"origin":' | wc -l)
		[ "$n" -ge "${#CITIES[@]}" ] || done_all=0
	done
	[ "$done_all" = 1 ] && break
	waited=$((waited + 1))
	[ "$waited" -le "$FEDERATED_S" ] || die "the nodes did not all list the three cities within $FEDERATED_S s (logs: $BASE/*/node.log)"
	sleep 1
done

echo
say "the three cities are federated. Inter-city pages:"
for c in "${CITIES[@]}"; do
	origin=$(field "$c" 0)
	printf '  %-20s http://127.0.0.1:%s/#/inter-villes   admin password: %s\n' \
		"$(field "$c" 1)" "$(field "$c" 3)" "$(cat "$BASE/$origin/admin-password")"
done
if [ -x /usr/bin/python3 ]; then
	curl -sS "http://127.0.0.1:$(field "${CITIES[0]}" 3)/api/v1/intercity" | /usr/bin/python3 -c '
import json, sys
b = json.load(sys.stdin)
print("\n  season %s (%s to %s), kg CO2e avoided per 1,000 inhabitants:" % (b["season"]["id"], b["season"]["from"], b["season"]["to"]))
for c in b["cities"]:
    f = c["per_1000"]["co2e_avoided_g"]
    print("  %d. %-20s %7.1f  [%.1f, %.1f]%s  %s" % (c["rank"], c["city"], f["value"] / 1000, f["low"] / 1000,
          f["high"] / 1000, "  tie" if c["tie"] else "", c["status"]))'
fi
echo
say "logs in $BASE/<city>/node.log; Ctrl-C stops the three nodes"
# Until Ctrl-C, or until a node stops on its own.
set +e
wait -n "${PID[@]}"
say "a node stopped on its own (see its node.log); stopping the others"
exit 1
