#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# shm-reader against real segments made by shm-publisher: each output format
# read by a real consumer (jq and Python for JSON, promtool for Prometheus),
# the Nagios exit statuses in each situation, every policy override flipping
# a verdict (flag and variable), usage errors, the golden files of
# tests/check_report_fmt.c, and the static reader's build: stripped, a static
# PIE with musl, no heap.  Needs jq,
# python3 and promtool (Debian: jq, python3, prometheus).  Ends with
# "reader: N passed, N failed".
set -u
cd "$(dirname "$0")/.."

. tests/lib.sh

for tool in jq:jq python3:python3 promtool:prometheus; do
	command -v "${tool%%:*}" >/dev/null ||
		bad "${tool%%:*} installed (Debian package ${tool#*:})"
done

# valid_json: stdin is one JSON document, as jq and Python read it.
valid_json() {
	local in
	in=$(cat)
	jq -e . >/dev/null 2>&1 <<<"$in" &&
		python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$in" 2>/dev/null
}

# valid_prom: stdin passes promtool's exposition-format check and linter.
valid_prom() { promtool check metrics >/dev/null 2>&1; }

# json NAME WANT_STATUS JQ_FILTER ARGS...: the reader's JSON parses, the
# filter holds, the status is as wanted.
json() {
	local name=$1 want=$2 filter=$3 out rc
	shift 3
	out=$("$RDR" --format json "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ] && valid_json <<<"$out" &&
		jq -e "$filter" >/dev/null 2>&1 <<<"$out"; then
		ok "$name"
	else
		bad "$name" "exit $rc: $(head -c 400 <<<"$out")"
	fi
}

# prom NAME WANT_STATUS REGEX ARGS...: promtool accepts the reader's
# Prometheus text, which matches REGEX.
prom() {
	local name=$1 want=$2 re=$3 out rc
	shift 3
	out=$("$RDR" --format prometheus "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ] && valid_prom <<<"$out" &&
		grep -Eq -- "$re" <<<"$out"; then
		ok "$name"
	else
		bad "$name" "exit $rc: $(head -c 400 <<<"$out")"
	fi
}

# nagios NAME WANT_STATUS REGEX ARGS...: one line, the plugin's status.
nagios() {
	local name=$1 want=$2 re=$3
	shift 3
	expect "nagios: $name (exit $want)" "$want" "$re" "$RDR" --format nagios "$@"
}

# --- golden files: what check_report_fmt compares must parse -----------------
for f in tests/golden/*.json; do
	valid_json <"$f" && ok "golden $f parses" || bad "golden $f parses"
done
for f in tests/golden/*.prom; do
	valid_prom <"$f" && ok "golden $f passes promtool" ||
		bad "golden $f passes promtool" "$(promtool check metrics <"$f" 2>&1 | head -n 3)"
done

# --- no segment, and a file that is not one -------------------------------
NONE=$T/none
expect "missing: text exits 1" 1 '^no segment .*none' "$RDR" --segment "$NONE"
json "missing: json has only the answer" 1 \
	'keys == ["healthy","reason","rule","segment","status"] and .rule == "segment" and .healthy == false' \
	--segment "$NONE"
prom "missing: prometheus says only shmhealth_healthy 0" 1 \
	'^shmhealth_healthy 0$' --segment "$NONE"
n=$("$RDR" --format prometheus --segment "$NONE" | grep -vc '^#')
check "missing: prometheus has one sample ($n)" $([ "$n" -eq 1 ] && echo 0 || echo 1)
nagios "missing segment is UNKNOWN" 3 '^SHMHEALTH UNKNOWN - no segment' --segment "$NONE"
head -c 8192 /dev/urandom >"$T/junk"
chmod 644 "$T/junk"
nagios "a file that is no segment is UNKNOWN" 3 '^SHMHEALTH UNKNOWN - segment .*junk' --segment "$T/junk"
json "a file that is no segment: json rule segment" 1 '.rule == "segment"' --segment "$T/junk"

# --- a live publisher with two pending updates ------------------------------
SEG=$T/seg
printf 'openssl\nlibc6\n' >"$T/list"
start_pub --segment "$SEG" --heartbeat 200ms --update-command "cat $T/list"
LIVE=$PID
until_reader 5 1 '^Update\(s\) 2 available: libc6 openssl$' --segment "$SEG" &&
	ok "live: two pending updates" || bad "live: two pending updates" "$LAST"
json "live: json keys and values" 1 '
	.healthy == false and .status == "unhealthy" and .rule == "updates" and
	.reason == "Update(s) 2 available: libc6 openssl" and
	.publisher.state == "running" and .publisher.heartbeat_interval_s == 0.2 and
	(.publisher.heartbeat_age_s | type) == "number" and .publisher.pid > 0 and
	.updates.backend == "command" and .updates.pending == 2 and
	.updates.security == null and .updates.names == ["libc6","openssl"] and
	.updates.names_omitted == 0 and .updates.error == null and
	(.updates.last_success | type) == "number" and
	(now - .updates.last_success | fabs) < 120 and
	.policy.on_updates == "fail" and .policy.min_updates == 1 and
	.policy.max_heartbeat_age_s == 0.6 and .probes == []' --segment "$SEG"
prom "live: prometheus pending and health" 1 \
	'shmhealth_updates_pending\{manager="command"\} 2' --segment "$SEG"
prom "live: no security sample when unknown" 1 \
	'# TYPE shmhealth_security_updates_pending gauge' --segment "$SEG"
"$RDR" --format prometheus --segment "$SEG" | grep -q '^shmhealth_security_updates_pending' &&
	bad "live: security sample absent" || ok "live: security sample absent"
prom "live: prometheus healthy 0" 1 '^shmhealth_healthy 0$' --segment "$SEG"
nagios "pending updates are WARNING" 1 \
	'^SHMHEALTH WARNING - Update\(s\) 2 available: libc6 openssl \| updates=2;;;0 held=0;;;0 phased=0;;;0 blocked=0;;;0$' --segment "$SEG"
expect "--quiet --format json prints nothing" 1 '^$' "$RDR" --quiet --format json --segment "$SEG"
expect "--quiet --format nagios: status only" 1 '^$' "$RDR" --quiet --format nagios --segment "$SEG"
expect "SHMHEALTH_FORMAT=nagios" 1 '^SHMHEALTH WARNING' env SHMHEALTH_FORMAT=nagios "$RDR" --segment "$SEG"
expect "--format wins over SHMHEALTH_FORMAT" 1 '^Update' env SHMHEALTH_FORMAT=nagios "$RDR" --format text --segment "$SEG"

# --- each override flips the verdict ------------------------------------------
expect "--on-updates report: exit 0, same reason" 0 '^Update\(s\) 2 available: libc6 openssl$' "$RDR" --segment "$SEG" --on-updates report
expect "SHMHEALTH_ON_UPDATES=report" 0 '^Update\(s\) 2 available' env SHMHEALTH_ON_UPDATES=report "$RDR" --segment "$SEG"
expect "--on-updates fail wins over the variable" 1 '^Update\(s\) 2 available' env SHMHEALTH_ON_UPDATES=report "$RDR" --segment "$SEG" --on-updates fail
json "--on-updates report: json healthy, policy shown" 0 \
	'.healthy == true and .rule == "updates" and .policy.on_updates == "report" and (.reason | startswith("Update(s) 2 available"))' \
	--segment "$SEG" --on-updates report
nagios "report-only pending updates are OK" 0 '^SHMHEALTH OK - Update\(s\) 2 available' --segment "$SEG" --on-updates report
prom "report-only: shmhealth_healthy 1" 0 '^shmhealth_healthy 1$' --segment "$SEG" --on-updates report
expect "--min-updates 3: healthy" 0 '^ok: 2 update\(s\) pending, within policy' "$RDR" --segment "$SEG" --min-updates 3
expect "--min-updates 2: unhealthy" 1 '^Update\(s\) 2' "$RDR" --segment "$SEG" --min-updates 2
expect "SHMHEALTH_MIN_UPDATES=3" 0 '^ok: ' env SHMHEALTH_MIN_UPDATES=3 "$RDR" --segment "$SEG"
expect "--security-only, security unknown: healthy" 0 '^ok: 2 update' "$RDR" --segment "$SEG" --security-only
expect "--all-updates after --security-only" 1 '^Update' "$RDR" --segment "$SEG" --security-only --all-updates
expect "SHMHEALTH_SECURITY_ONLY=yes" 0 '^ok: ' env SHMHEALTH_SECURITY_ONLY=yes "$RDR" --segment "$SEG"
expect "--all-updates wins over SHMHEALTH_SECURITY_ONLY" 1 '^Update' env SHMHEALTH_SECURITY_ONLY=yes "$RDR" --segment "$SEG" --all-updates
expect "--grace 1h: healthy" 0 '^ok: 2 update' "$RDR" --segment "$SEG" --grace 1h
expect "--grace 0: unhealthy" 1 '^Update' "$RDR" --segment "$SEG" --grace 0
expect "SHMHEALTH_GRACE=1h" 0 '^ok: ' env SHMHEALTH_GRACE=1h "$RDR" --segment "$SEG"
json "--grace 1h: json policy grace_s 3600" 0 '.policy.grace_s == 3600 and .rule == "ok"' --segment "$SEG" --grace 1h
sleep 1.1	# the last success is now over a second old
expect "--max-check-age 1s: stale" 1 '^update check stale: last success [0-9]+s ago' "$RDR" --segment "$SEG" --max-check-age 1s
expect "--max-check-age 0: no limit" 1 '^Update' "$RDR" --segment "$SEG" --max-check-age 0
expect "SHMHEALTH_MAX_CHECK_AGE=1s" 1 '^update check stale' env SHMHEALTH_MAX_CHECK_AGE=1s "$RDR" --segment "$SEG"
nagios "a stale check is UNKNOWN" 3 '^SHMHEALTH UNKNOWN - update check stale' --segment "$SEG" --max-check-age 1s
json "--max-check-age 1s: json rule check" 1 '.rule == "check" and .policy.max_check_age_s == 1' --segment "$SEG" --max-check-age 1s

# --- what a publisher fills in, set by hand in a copy of the live segment ---
# (tests/setseg.c; the copy's heartbeat stands still: --max-age 1h.)
SETSEG=${SHMHEALTH_SETSEG:-$BUILD/tests/setseg}
[ -x "$SETSEG" ] || SETSEG=build/tests/setseg
HAND=$T/hand
# hand KEY=VALUE...: a copy of the live segment, taken with the publisher
# stopped (either copy is then whole), its last success a second before
# its heartbeat, with those fields set.
hand() {
	kill -STOP "$LIVE"
	cp "$SEG" "$HAND"
	kill -CONT "$LIVE"
	chmod 644 "$HAND"
	"$SETSEG" "$HAND" success_ago=1 "$@" || bad "setseg $*"
}
H=(--segment "$HAND" --max-age 1h --max-check-age 0)
if [ -x "$SETSEG" ]; then
	hand flags=1
	expect "off: text" 0 '^ok: publisher running, update checks off$' "$RDR" "${H[@]}"
	json "off: json not checked, counts null" 0 '.updates.checked == false and .updates.pending == null and .updates.security == null and .updates.names == null and .updates.held == null and .updates.packages == null and .rule == "ok"' "${H[@]}"
	prom "off: prometheus update_check_enabled 0" 0 '^shmhealth_update_check_enabled 0$' "${H[@]}"
	"$RDR" --format prometheus "${H[@]}" | grep -Eq '^shmhealth_(updates_pending|security_updates_pending|last_check_timestamp_seconds)' &&
		bad "off: no update series" || ok "off: no update series"
	nagios "off: OK without perfdata" 0 '^SHMHEALTH OK - ok: publisher running, update checks off$' "${H[@]}"
	expect "off: --security-only, thresholds: still off" 0 '^SHMHEALTH OK - ok: publisher running, update checks off$' "$RDR" --format nagios -w 0 -c 0 --security-only "${H[@]}"

	hand security=1 security_names=1:0:openssl held=1:0:linux-image-amd64 \
		phased=3:1:'systemd udev' blocked=1:0:libfoo2 \
		versions='2.36-9 2.36-9+deb12u4\n3.0.11-1 3.0.13-1\n'
	out=$("$RDR" "${H[@]}"); rc=$?
	want=$(printf '%s\n' 'Update(s) 2 available: libc6 openssl (1 security)' \
		'held (1): linux-image-amd64' 'phased (3): systemd udev (+1 more)' \
		'blocked (1): libfoo2')
	[ "$rc" -eq 1 ] && [ "$out" = "$want" ] && ok "withheld: text lists them apart" ||
		bad "withheld: text lists them apart" "exit $rc: $out"
	json "withheld: json lists, packages, security" 1 '
		.updates.pending == 2 and
		.updates.held == {"count":1,"names":["linux-image-amd64"],"omitted":0} and
		.updates.phased == {"count":3,"names":["systemd","udev"],"omitted":1} and
		.updates.blocked == {"count":1,"names":["libfoo2"],"omitted":0} and
		.updates.security_names == {"count":1,"names":["openssl"],"omitted":0} and
		.updates.packages == [
			{"name":"libc6","installed":"2.36-9","candidate":"2.36-9+deb12u4","security":false},
			{"name":"openssl","installed":"3.0.11-1","candidate":"3.0.13-1","security":true}] and
		.updates.packages_omitted == 0 and .updates.index == null' "${H[@]}"
	prom "withheld: prometheus held" 1 '^shmhealth_updates_held\{manager="command"\} 1$' "${H[@]}"
	prom "withheld: prometheus phased" 1 '^shmhealth_updates_phased\{manager="command"\} 3$' "${H[@]}"
	prom "withheld: prometheus blocked" 1 '^shmhealth_updates_blocked\{manager="command"\} 1$' "${H[@]}"
	prom "withheld: prometheus security package" 1 '^shmhealth_security_update\{manager="command",package="openssl"\} 1$' "${H[@]}"
	nagios "withheld: perfdata" 2 '^SHMHEALTH CRITICAL - Update\(s\) 2 available: libc6 openssl \(1 security\) \| updates=2;;;0 security=1;;;0 held=1;;;0 phased=3;;;0 blocked=1;;;0$' "${H[@]}"
	expect "--security-only: the headline counts and names security updates" 1 '^Update\(s\) 1 available: openssl$' "$RDR" --security-only "${H[@]}"
	json "--security-only: json reason" 1 '.reason == "Update(s) 1 available: openssl" and .policy.security_only' --security-only "${H[@]}"

	hand versions='only-one\n1 2 3 4\n'
	json "malformed versions: null, names kept" 1 '.updates.packages == [
		{"name":"libc6","installed":null,"candidate":null,"security":false},
		{"name":"openssl","installed":null,"candidate":null,"security":false}]' "${H[@]}"

	hand index_ago=100
	expect "index: stale by the refresh time" 1 '^update check stale: package index refreshed 1m ago$' "$RDR" --segment "$HAND" --max-age 1h --max-check-age 50s
	json "index: json private, its time" 1 '.rule == "check" and .updates.index == "private" and (.updates.index_refreshed | type) == "number" and .updates.index_refreshed < .updates.last_success' --segment "$HAND" --max-age 1h --max-check-age 50s
	prom "index: prometheus timestamp" 1 '^shmhealth_index_timestamp_seconds\{manager="command"\} [0-9]+$' --segment "$HAND" --max-age 1h --max-check-age 50s
	nagios "index: a stale index is UNKNOWN" 3 '^SHMHEALTH UNKNOWN - update check stale: package index' --segment "$HAND" --max-age 1h --max-check-age 50s
	expect "index: within --max-check-age" 1 '^Update' "$RDR" --segment "$HAND" --max-age 1h --max-check-age 5m
	hand index_ago=100 flags=2
	expect "system index: its own words" 1 '^update check stale: system package index last modified 1m ago$' "$RDR" --segment "$HAND" --max-age 1h --max-check-age 50s
	json "system index: json" 1 '.updates.index == "system"' "${H[@]}"
	hand index_ago=0
	expect "no index: the last success counts" 1 '^Update' "$RDR" --segment "$HAND" --max-age 1h --max-check-age 50s

	hand success_ago=120 failures=2 error='apt-get update: exit status 100'
	out=$("$RDR" "${H[@]}"); rc=$?
	want=$(printf '%s\n' 'Update(s) 2 available: libc6 openssl' \
		'as of 2m ago (command); last check failed: apt-get update: exit status 100')
	[ "$rc" -eq 1 ] && [ "$out" = "$want" ] && ok "kept result: updates, then its age and the failure" ||
		bad "kept result: updates, then its age and the failure" "exit $rc: $out"
	expect "kept result: ok line" 0 '^ok: 2 update\(s\) pending, within policy as of 2m ago \(command\); last check failed: apt-get update: exit status 100$' "$RDR" --min-updates 3 "${H[@]}"
else
	bad "setseg built" "$SETSEG missing"
fi

# A publisher that stops beating: --max-age decides.
kill -STOP "$LIVE"
sleep 0.5
expect "--max-age 300ms: not running" 1 '^publisher not running: last heartbeat' "$RDR" --segment "$SEG" --max-age 300ms
expect "--max-age 1h: still the updates" 1 '^Update' "$RDR" --segment "$SEG" --max-age 1h
nagios "a stale heartbeat is CRITICAL" 2 '^SHMHEALTH CRITICAL - publisher not running' --segment "$SEG" --max-age 300ms
json "stale heartbeat: json rule heartbeat" 1 '.rule == "heartbeat" and .publisher.heartbeat_age_s >= 0.3' --segment "$SEG" --max-age 300ms
kill -CONT "$LIVE"
until_reader 3 0 '' --segment "$SEG" --on-updates report &&
	ok "SIGCONT: beating again" || bad "SIGCONT: beating again" "$LAST"

# --- security updates (apt's listing) ----------------------------------------
cp "$FIX/apt/bookworm-list-upgradable.out" "$T/apt"
start_pub --segment "$T/sec" --heartbeat 200ms --update-format apt-list --update-command "cat $T/apt"
SEC=$PID
until_reader 5 1 '^Update\(s\) 137 available' --segment "$T/sec" &&
	ok "apt listing: 137 pending" || bad "apt listing: 137 pending" "$LAST"
nagios "security updates are CRITICAL" 2 '^SHMHEALTH CRITICAL - Update\(s\) 137 available.* \| updates=137;;;0 security=84;;;0 held=0;;;0 phased=0;;;0 blocked=0;;;0$' --segment "$T/sec"
nagios "-w 90 -c 100: CRITICAL above 100" 2 '^SHMHEALTH CRITICAL - .* updates=137;90;100;0 ' --segment "$T/sec" -w 90 -c 100
nagios "-w 200 -c 300: OK below both" 0 '^SHMHEALTH OK - Update\(s\) 137 available.* updates=137;200;300;0 ' --segment "$T/sec" --warning 200 --critical 300
nagios "-w 100 -c 300: WARNING" 1 '^SHMHEALTH WARNING - .* updates=137;100;300;0 ' --segment "$T/sec" -w100 -c300
expect "nagios: SHMHEALTH_WARNING, SHMHEALTH_CRITICAL (exit 1)" 1 ' updates=137;100;300;0 ' env SHMHEALTH_WARNING=100 SHMHEALTH_CRITICAL=300 "$RDR" --format nagios --segment "$T/sec"
nagios "--security-only -w 80: thresholds on security" 2 ' updates=137;;;0 security=84;80;;0 ' --segment "$T/sec" --security-only -w 80
nagios "a warning above the critical threshold is bad usage" 3 '^SHMHEALTH UNKNOWN - shm-reader: warning threshold 9 is above the critical threshold 2$' --segment "$T/sec" -w 9 -c 2
expect "--security-only with 84 security: unhealthy, 84 counted" 1 '^Update\(s\) 84 available' "$RDR" --segment "$T/sec" --security-only
prom "security sample" 1 '^shmhealth_security_updates_pending\{manager="command"\} 84$' --segment "$T/sec"
json "137 names: json within 4000 bytes, names accounted" 1 \
	'.updates.security == 84 and (.updates.names | length) + .updates.names_omitted == 137' --segment "$T/sec"
for f in text json prometheus nagios; do
	n=$("$RDR" --format "$f" --segment "$T/sec" | wc -c)
	check "137 names: $f output under 4000 bytes ($n)" $([ "$n" -lt 4000 ] && echo 0 || echo 1)
done
grep -v -- -security "$FIX/apt/bookworm-list-upgradable.out" | head -n 3 >"$T/apt"
kill -HUP "$SEC"
until_reader 5 1 '^Update\(s\) 2 available' --segment "$T/sec" &&
	ok "apt listing: 2 pending, none security" || bad "apt listing: 2 pending, none security" "$LAST"
expect "--security-only, security 0: healthy" 0 '^ok: 2 update' "$RDR" --segment "$T/sec" --security-only
nagios "no security update: WARNING" 1 'updates=2;;;0 security=0;;;0 held=0;;;0 phased=0;;;0 blocked=0;;;0$' --segment "$T/sec"
nagios "--security-only, security 0: OK" 0 '^SHMHEALTH OK - ok: 2 update' --segment "$T/sec" --security-only
echo 'Listing...' >"$T/apt"
kill -HUP "$SEC"
until_reader 5 0 '^ok: no updates pending' --segment "$T/sec" &&
	ok "apt listing: none pending" || bad "apt listing: none pending" "$LAST"
nagios "nothing pending is OK" 0 '^SHMHEALTH OK - ok: no updates pending.* \| updates=0;;;0 security=0;;;0 held=0;;;0 phased=0;;;0 blocked=0;;;0$' --segment "$T/sec"
prom "healthy: shmhealth_healthy 1" 0 '^shmhealth_healthy 1$' --segment "$T/sec"
json "healthy: json" 0 '.healthy and .rule == "ok" and .updates.pending == 0 and .updates.security == 0' --segment "$T/sec"
kill -TERM "$SEC"; wait "$SEC"

# --- starting, then stopped -------------------------------------------------
start_pub --segment "$T/start" --heartbeat 200ms --update-command "sleep 30"
START=$PID
until_reader 5 0 '^starting: first update check pending$' --segment "$T/start" &&
	ok "starting: healthy by default" || bad "starting: healthy by default" "$LAST"
expect "--starting unhealthy" 1 '^starting' "$RDR" --segment "$T/start" --starting unhealthy
expect "SHMHEALTH_STARTING=unhealthy" 1 '^starting' env SHMHEALTH_STARTING=unhealthy "$RDR" --segment "$T/start"
expect "--starting healthy wins over the variable" 0 '^starting' env SHMHEALTH_STARTING=unhealthy "$RDR" --segment "$T/start" --starting healthy
nagios "starting is OK, no perfdata" 0 '^SHMHEALTH OK - starting: first update check pending$' --segment "$T/start"
nagios "--starting unhealthy: the check cannot tell yet, UNKNOWN" 3 '^SHMHEALTH UNKNOWN - starting' --segment "$T/start" --starting unhealthy
json "starting: counts unknown" 0 '.rule == "starting" and .updates.pending == null and .updates.last_attempt == null and .updates.running' --segment "$T/start"
prom "starting: no pending sample" 0 '^shmhealth_healthy 1$' --segment "$T/start"
"$RDR" --format prometheus --segment "$T/start" | grep -q '^shmhealth_updates_pending' &&
	bad "starting: pending sample absent" || ok "starting: pending sample absent"
kill -TERM "$START"; wait "$START"
nagios "stopped is CRITICAL" 2 '^SHMHEALTH CRITICAL - publisher stopped' --segment "$T/start"
json "stopped: json" 1 '.rule == "stopped" and .publisher.state == "stopped"' --segment "$T/start"
prom "stopped: prometheus" 1 '^shmhealth_healthy 0$' --segment "$T/start"

# --- a failing update check ---------------------------------------------------
start_pub --segment "$T/fail" --heartbeat 200ms --retry 100ms --update-command "sh -c 'echo broken >&2; exit 3'"
FAIL=$PID
until_reader 10 1 '^update check failed: ' --segment "$T/fail" &&
	ok "failed check, never succeeded: unhealthy at once" || bad "failed check, never succeeded: unhealthy at once" "$LAST"
expect "--max-failures 0: a check that never succeeded still failed" 1 '^update check failed: ' "$RDR" --segment "$T/fail" --max-failures 0
expect "--max-failures 1000000: still failed" 1 '^update check failed' "$RDR" --segment "$T/fail" --max-failures 1000000
"$RDR" --segment "$T/fail" --max-failures 0 | grep -q 'no update check has succeeded' &&
	bad "never 'no update check has succeeded yet'" || ok "never 'no update check has succeeded yet'"
nagios "a failed check is UNKNOWN, no perfdata" 3 '^SHMHEALTH UNKNOWN - update check failed: [^|]*$' --segment "$T/fail"
json "failing check: json error and count" 1 '.rule == "check" and .updates.consecutive_failures > 0 and .updates.pending == null and (.updates.error | type) == "string" and .updates.last_success == null' --segment "$T/fail"
prom "failing check: failures metric" 1 '^shmhealth_check_failures\{manager="command"\} [1-9][0-9]*$' --segment "$T/fail"
kill -TERM "$FAIL"; wait "$FAIL"

# --- probes, where the publisher runs them -----------------------------------
if "$PUB" --help | grep -q -- '--probe '; then
	printf 'tzdata\n' >"$T/one"
	start_pub --segment "$T/probe" --heartbeat 200ms --update-command "cat $T/one" \
		--probe-retries 1 --probe "web:200ms:1s:true" --probe "db:200ms:1s:sh -c 'echo refused; exit 1'"
	PROBE=$PID
	until_reader 5 1 '^probe db failing' --segment "$T/probe" --max-age 1h &&
		ok "probes: a failing probe comes before pending updates" ||
		bad "probes: a failing probe comes before pending updates" "$LAST"
	expect "probes: report-only updates do not hide a failing probe" 1 '^probe db failing' "$RDR" --segment "$T/probe" --on-updates report
	nagios "a failing probe is CRITICAL, not WARNING" 2 '^SHMHEALTH CRITICAL - probe db failing' --segment "$T/probe"
	nagios "a failing probe is CRITICAL, report-only" 2 '^SHMHEALTH CRITICAL - probe db failing' --segment "$T/probe" --on-updates report
	json "probes: json rule probe, updates still counted" 1 '.rule == "probe" and .updates.pending == 1' --segment "$T/probe"
	prom "probes: probe_up per probe" 1 '^shmhealth_probe_up\{probe="db"\} 0$' --segment "$T/probe"
	prom "probes: probe_up 1 for the good one" 1 '^shmhealth_probe_up\{probe="web"\} 1$' --segment "$T/probe"
	json "probes: json" 1 '[.probes[] | {name, up}] == [{"name":"web","up":true},{"name":"db","up":false}]' --segment "$T/probe"
	kill -TERM "$PROBE"; wait "$PROBE"
else
	bad "probes: publisher has --probe"
fi

# --- usage errors ---------------------------------------------------------------
expect "usage: bad flag exits 1" 1 "^shm-reader: unknown option '--bogus'" "$RDR" --bogus
expect "usage: json, bad flag exits 1" 1 '^shm-reader: ' "$RDR" --format json --bogus
expect "usage: prometheus, bad number exits 1" 1 "min-updates: bad number '0'" "$RDR" --format prometheus --min-updates 0
expect "usage: unknown format exits 1" 1 "unknown format 'xml'" "$RDR" --format xml
expect "usage: a switch given a value" 1 "option '--security-only' takes no value" "$RDR" --security-only=yes
expect "usage: bad --on-updates" 1 "'sometimes' is not fail or report" "$RDR" --on-updates sometimes
expect "usage: bad SHMHEALTH_GRACE" 1 "SHMHEALTH_GRACE: bad duration 'later'" env SHMHEALTH_GRACE=later "$RDR"
nagios "bad flag is UNKNOWN" 3 "^SHMHEALTH UNKNOWN - shm-reader: unknown option '--bogus'$" --bogus
expect "nagios: a flag before --format nagios is UNKNOWN too (exit 3)" 3 '^SHMHEALTH UNKNOWN' "$RDR" --bogus --format nagios
expect "nagios: SHMHEALTH_FORMAT=nagios, bad value is UNKNOWN (exit 3)" 3 "^SHMHEALTH UNKNOWN - shm-reader: --grace: bad duration" env SHMHEALTH_FORMAT=nagios "$RDR" --grace soon
nagios "extra argument is UNKNOWN" 3 "unexpected argument 'extra'" extra
expect "--help lists the overrides" 0 '--on-updates fail\|report.*--starting healthy\|unhealthy' "$RDR" --help
expect "--help lists the thresholds" 0 '-w, --warning N' "$RDR" --help
nagios "bad threshold is UNKNOWN" 3 "^SHMHEALTH UNKNOWN - shm-reader: --critical: bad threshold 'x' \\(a count of updates, 0 to 1000000\\)$" -c x
expect "usage: -w without a value" 1 "option '-w' needs a value" "$RDR" -w

# --- the static reader -----------------------------------------------------------
SR=$STATIC/shm-reader
if [ -x "$SR" ]; then
	out=$("$SR" --format json --segment "$SEG" --on-updates report); rc=$?
	[ "$rc" -eq 0 ] && valid_json <<<"$out" && ok "static: json parses" || bad "static: json parses" "exit $rc: $out"
	out=$("$SR" --format prometheus --segment "$SEG"); rc=$?
	[ "$rc" -eq 1 ] && valid_prom <<<"$out" && ok "static: prometheus passes promtool" || bad "static: prometheus passes promtool" "exit $rc"
	expect "static: nagios WARNING" 1 '^SHMHEALTH WARNING' "$SR" --format nagios --segment "$SEG"
	expect "static: nagios UNKNOWN for bad usage" 3 "^SHMHEALTH UNKNOWN - shm-reader: unknown option '--bogus'$" "$SR" --format nagios --bogus
	expect "static: a switch given a value" 1 "option '--security-only' takes no value" "$SR" --security-only=yes
	expect "static: unknown short option" 1 "unknown option '-x'" "$SR" -x
	# Copied into images: stripped, its symbols kept beside it, and (with
	# musl) a static PIE that needs no loader.
	hdr=$(readelf -hlW "$SR" 2>&1)
	{ ! grep -q 'INTERP' <<<"$hdr" && ! readelf -SW "$SR" | grep -q ' \.symtab '; } &&
		ok "static: stripped, no program interpreter" ||
		bad "static: stripped, no program interpreter" "$hdr"
	if command -v musl-gcc >/dev/null; then
		grep -q 'Type: *DYN' <<<"$hdr" && ok "static: position-independent" ||
			bad "static: position-independent" "$(grep Type: <<<"$hdr")"
	fi
	[ -s "$SR.debug" ] && nm "$SR.debug" | grep -qw rpt_verdict &&
		ok "static: debug information in shm-reader.debug" ||
		bad "static: debug information in shm-reader.debug" "$(ls -l "$SR.debug" 2>&1)"
	syms=$(nm "$SR.debug" 2>/dev/null | grep -Ew '(malloc|calloc|realloc|pthread_create)' || true)
	[ -z "$syms" ] && ok "static: no malloc, no threads linked" || bad "static: no malloc, no threads linked" "$syms"
else
	bad "static reader built" "$SR missing"
fi

# The dynamic reader too: not one allocation, whatever the format.  (Not
# under AddressSanitizer, whose runtime allocates and fights valgrind; nor
# for a static reader, where valgrind sees no malloc to count and the
# check above, which finds none linked, is the one that holds.)
if nm "$RDR" 2>/dev/null | grep -q __asan_init; then
	:
elif ! readelf -lW "$RDR" 2>/dev/null | grep -q INTERP; then
	:
elif command -v valgrind >/dev/null; then
	for f in text json prometheus nagios; do
		out=$(valgrind "$RDR" --format "$f" --segment "$SEG" 2>&1 >/dev/null)
		grep -q 'total heap usage: 0 allocs' <<<"$out" && ok "valgrind: $f allocates nothing" ||
			bad "valgrind: $f allocates nothing" "$(grep 'heap usage' <<<"$out")"
	done
else
	bad "valgrind installed (Debian package valgrind)"
fi

# --- a long list: the whole answer, past the first try's room (main.c) ------
for i in $(seq 100 259); do echo "package-$i"; done >"$T/long"
start_pub --segment "$T/longseg" --heartbeat 200ms --update-command "cat $T/long"
LONG=$PID
if until_reader 5 1 '^Update\(s\) 160 available' --segment "$T/longseg"; then
	out=$("$RDR" --segment "$T/longseg")
	names=$(grep -o 'package-[0-9]*' <<<"$out" | sort -u | wc -l)
	[ "${#out}" -gt 1500 ] && [ "$names" -eq 160 ] &&
		grep -q 'package-259$' <<<"$out" &&
		ok "long list: all 160 names, ${#out} bytes" ||
		bad "long list: all 160 names" "${#out} bytes, $names names: $(tail -c 200 <<<"$out")"
else
	bad "long list: publisher listed 160 updates" "$LAST"
fi
kill -TERM "$LONG"; wait "$LONG"

kill -TERM "$LIVE"; wait "$LIVE"
done_tests reader
