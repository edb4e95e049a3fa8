#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A real Prometheus server on loopback scrapes two real publishers through
# --listen, with the shipped examples/prometheus/shmhealth-rules.yml loaded
# as they are.  Through its HTTP API: both targets up, the series with
# their labels and values, a live heartbeat; one publisher's check made to
# fail puts ShmhealthUpdateCheckFailing in pending for it and not for the
# other; the other stopped, its up goes to 0 and ShmhealthTargetDown goes
# pending for it.  Nothing leaves the machine; the test stops its servers.
# Needs prometheus, curl, jq and python3 (Debian: prometheus, curl, jq,
# python3).  Ends with
# "prometheus: N passed, N failed".
set -u
cd "$(dirname "$0")/.."

. tests/lib.sh

for tool in prometheus curl jq python3; do
	command -v "$tool" >/dev/null || { bad "$tool installed"; done_tests prometheus; exit; }
done

RULES=$PWD/examples/prometheus/shmhealth-rules.yml
WAIT=30 # seconds, the bound of every wait
PROM_PID=

# Stop Prometheus (SIGTERM, so that it closes its storage) and the
# publishers before lib.sh removes $T, whatever way the script ends.
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $s != Z* ]]; }
stop_all() {
	local p i
	for p in $PROM_PID "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
	for p in $PROM_PID "${pids[@]}"; do
		for ((i = 0; i < 100; i++)); do alive "$p" || break; sleep 0.1; done
	done
	cleanup
}
trap stop_all EXIT
# stop PID: SIGTERM, at most $WAIT seconds for it to end (then SIGKILL), and
# its exit status.
stop() {
	local end=$((SECONDS + WAIT))
	kill -TERM "$1" 2>/dev/null
	while alive "$1" && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
	alive "$1" && { kill -KILL "$1"; echo "$1 did not end on SIGTERM" >&2; }
	wait "$1"
}

# port_of LOG: the port a publisher said it listens on.
port_of() { sed -nE 's/.*listening on .*:([0-9]+) for .*/\1/p' "$1" | tail -n 1; }
# api PATH [curl args]: Prometheus's answer, or nothing.
api() { local p=$1; shift; curl -s --max-time 5 -G "$PROM$p" "$@"; }
query() { api /api/v1/query --data-urlencode "query=$1"; }
# until_api SECONDS JQ PATH [curl args]: poll PATH until JQ is true of the
# answer; the last answer is left in $LAST.
until_api() {
	local end=$((SECONDS + $1)) jqx=$2
	shift 2
	while :; do
		LAST=$(api "$@")
		jq -e "$jqx" <<<"$LAST" >/dev/null 2>&1 && return 0
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.25
	done
}
# until_query SECONDS JQ PROMQL: the same for an instant query.
until_query() { until_api "$1" "$2" /api/v1/query --data-urlencode "query=$3"; }
# alert_on NAME INSTANCE: the jq test that alert NAME is pending or
# firing for INSTANCE.
alert_on() {
	printf '[.data.alerts[] | select(.labels.alertname == "%s" and .labels.instance == "%s" and (.state == "pending" or .state == "firing"))] | length == 1' "$1" "$2"
}
# hups PID N LOG: SIGHUP PID until its log says its check failed N times in
# a row (a SIGHUP that comes during a check runs no other).
hups() {
	local end=$((SECONDS + WAIT))
	while [ "$SECONDS" -lt "$end" ]; do
		grep -q "update check failed ($2 in a row)" "$3" && return 0
		kill -HUP "$1"
		sleep 0.25
	done
	return 1
}

printf 'libc6 2.36-9 2.36-10\nopenssl 3.0.1 3.0.2\n' >"$T/two"

# --- two publishers ---------------------------------------------------------
LOG=$T/a.log start_pub --segment "$T/a" --heartbeat 1s --listen 127.0.0.1:0 --update-command "cat $T/two"
A=$PID
LOG=$T/b.log start_pub --segment "$T/b" --heartbeat 1s --listen 127.0.0.1:0 \
	--update-command "sh -c 'test ! -e $T/fail && cat $T/two'"
B=$PID
until_log 10 'listening on 127.0.0.1:[0-9]+ ' "$T/a.log" && PA=$(port_of "$T/a.log")
until_log 10 'listening on 127.0.0.1:[0-9]+ ' "$T/b.log" && PB=$(port_of "$T/b.log")
until_log 10 'update check: 2 pending' "$T/a.log" && until_log 10 'update check: 2 pending' "$T/b.log"
check "two publishers listen and have checked" $? "$(cat "$T/a.log" "$T/b.log")"
IA=127.0.0.1:${PA:-1} IB=127.0.0.1:${PB:-1}

# --- Prometheus ---------------------------------------------------------------
cat >"$T/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $RULES
scrape_configs:
  - job_name: shmhealth
    static_configs:
      - targets: ['$IA', '$IB']
EOF
# A free port: the kernel's pick, let go; if another takes it first,
# Prometheus fails to bind and another is picked.
for try in 1 2 3; do
	PP=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	PROM=http://127.0.0.1:$PP
	prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
		--web.listen-address="127.0.0.1:$PP" \
		>"$T/prom.log" 2>&1 &
	PROM_PID=$!
	end=$((SECONDS + WAIT))
	while [ "$SECONDS" -lt "$end" ] && alive "$PROM_PID"; do
		api /api/v1/status/buildinfo | jq -e '.status == "success"' >/dev/null 2>&1 && break 2
		sleep 0.25
	done
	stop "$PROM_PID"
	PROM_PID=
	grep -q 'address already in use' "$T/prom.log" || break
done
if [ -z "$PROM_PID" ]; then
	bad "prometheus serves its API" "$(tail -n 20 "$T/prom.log")"
	done_tests prometheus
	exit
fi
ok "prometheus serves its API on 127.0.0.1:$PP"

until_api "$WAIT" '.data.groups | map(.rules[].name) | index("ShmhealthUpdateCheckFailing") != null' /api/v1/rules
check "the shipped rules are loaded" $? "$LAST"
until_api "$WAIT" '[.data.activeTargets[] | select(.labels.job == "shmhealth" and .health == "up")] | length == 2' /api/v1/targets
check "both targets are up" $? "$LAST"

# --- the series ---------------------------------------------------------------
until_query "$WAIT" '[.data.result[] | select(.metric.job == "shmhealth" and .value[1] == "1")] | length == 2' 'up{job="shmhealth"}'
check 'up{job="shmhealth"} is 1 for both' $? "$LAST"
until_query "$WAIT" '.data.result | length == 1 and .[0].metric.manager == "command" and .[0].metric.job == "shmhealth" and .[0].value[1] == "2"' \
	"shmhealth_updates_pending{instance=\"$IA\"}"
check "A: shmhealth_updates_pending{manager=\"command\"} is 2" $? "$LAST"
until_query "$WAIT" '.data.result | length == 1 and .[0].value[1] == "0"' "shmhealth_healthy{instance=\"$IA\"}"
check "A: shmhealth_healthy is 0" $? "$LAST"
until_query "$WAIT" '.data.result | length == 1 and .[0].value[1] == "1"' "shmhealth_update_check_enabled{instance=\"$IA\"}"
check "A: shmhealth_update_check_enabled is 1" $? "$LAST"
until_query "$WAIT" '.data.result | length == 2 and all(.[]; .value[1] == "0")' 'shmhealth_check_failures{job="shmhealth",manager="command"}'
check "both: shmhealth_check_failures{manager=\"command\"} is 0" $? "$LAST"
hb() { query "shmhealth_heartbeat_timestamp_seconds{instance=\"$IA\"}" | jq -r '.data.result[0].value[1] // 0'; }
hb0=$(hb)
sleep 2.5
hb1=$(hb)
awk -v a="$hb0" -v b="$hb1" 'BEGIN { exit !(a > 0 && b > a) }'
check "A: shmhealth_heartbeat_timestamp_seconds advances ($hb0 -> $hb1)" $?
now=$(date +%s)
awk -v a="$hb1" -v n="$now" 'BEGIN { exit !(n - a <= 5 && a - n <= 5) }'
check "... and is the time now" $? "$hb1, now $now"
until_api "$WAIT" '.data.alerts | map(select(.labels.alertname | startswith("ShmhealthUpdateCheck"))) | length == 0' /api/v1/alerts
check "no update check alert while both checks succeed" $? "$LAST"

# --- B's check fails ------------------------------------------------------------
# Once a check has succeeded, a failure is ShmhealthUpdateCheckFailing's
# when more than --max-failures (3) come in a row.
touch "$T/fail"
hups "$B" 4 "$T/b.log"
check "B: SIGHUP with the check failing, four failures in a row" $? "$(tail -n 5 "$T/b.log")"
until_query "$WAIT" '.data.result | length == 1 and (.[0].value[1] | tonumber) >= 4' "shmhealth_check_failures{instance=\"$IB\"}"
check "B: shmhealth_check_failures reaches 4" $? "$LAST"
until_api "$WAIT" "$(alert_on ShmhealthUpdateCheckFailing "$IB")" /api/v1/alerts
check "B: ShmhealthUpdateCheckFailing pending" $? "$LAST"
LAST=$(api /api/v1/alerts)
jq -e "$(alert_on ShmhealthUpdateCheckFailing "$IA") | not" <<<"$LAST" >/dev/null
check "A: no ShmhealthUpdateCheckFailing" $? "$LAST"
# B has succeeded once: that rule is for a check that never did.
LAST=$(api /api/v1/alerts)
jq -e "$(alert_on ShmhealthUpdateCheckFailed "$IB") | not" <<<"$LAST" >/dev/null
check "B: no ShmhealthUpdateCheckFailed after a success" $? "$LAST"
until_query "$WAIT" '.data.result | length == 1 and .[0].value[1] == "2"' "shmhealth_updates_pending{instance=\"$IB\"}"
check "B: the last success's 2 pending still shown" $? "$LAST"

# --- A stops ----------------------------------------------------------------------
stop "$A"
check "A: SIGTERM, exit 0" $?
until_query "$WAIT" '.data.result | length == 1 and .[0].value[1] == "0"' "up{job=\"shmhealth\",instance=\"$IA\"}"
check "A: up goes to 0" $? "$LAST"
query "up{job=\"shmhealth\",instance=\"$IB\"}" | jq -e '.data.result | length == 1 and .[0].value[1] == "1"' >/dev/null
check "B: up stays 1" $?
until_api "$WAIT" "$(alert_on ShmhealthTargetDown "$IA")" /api/v1/alerts
check "A: ShmhealthTargetDown pending" $? "$LAST"
LAST=$(api /api/v1/alerts)
jq -e "$(alert_on ShmhealthTargetDown "$IB") | not" <<<"$LAST" >/dev/null
check "B: no ShmhealthTargetDown" $? "$LAST"

# --- it stayed here, and it stops ----------------------------------------------
# Prometheus's own connections: none but to loopback.
if command -v ss >/dev/null; then
	remote=$(ss -Htnp | grep "pid=$PROM_PID," | awk '$5 !~ /^(127\.0\.0\.1|\[::1\]|\[::ffff:127\.0\.0\.1\]):/')
	[ -z "$remote" ] && ok "prometheus has no connection off this machine" ||
		bad "prometheus has no connection off this machine" "$remote"
else
	bad "ss installed (Debian: iproute2), to see prometheus's connections"
fi
stop "$PROM_PID" 2>"$T/stop.err"
check "prometheus stops on SIGTERM, exit 0" $? "$(cat "$T/stop.err"; tail -n 5 "$T/prom.log")"
PROM_PID=
stop "$B"
check "B: SIGTERM, exit 0" $?
pids=()

done_tests prometheus
