#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hostile input: package names and probe output made of terminal escapes
# and bidi controls, oversized probe fields, ambiguous options, --daemon
# with relative paths.  Ends with "hostile-input: N passed, N failed".
set -u
cd "$(dirname "$0")/.."

. tests/lib.sh

# --- probe INTERVAL and TIMEOUT are never cut ---------------------------------
zeros=$(printf '0%.0s' $(seq 40))
expect "probe: an interval longer than its field is refused" 1 \
	'--probe p:.*interval too long' \
	"$PUB" --once --update-command true --probe "p:${zeros}5000:1s:true"
expect "probe: a timeout longer than its field is refused" 1 \
	'--probe p:.*timeout too long' \
	"$PUB" --once --update-command true --probe "p:5s:${zeros}1:true"
expect "probe: a 31-character interval still reads" 0 '^updates 0' \
	"$PUB" --once --update-command true --probe "p:$(printf '0%.0s' $(seq 29))5s:1s:true"

# --- ambiguous abbreviations --------------------------------------------------
expect "publisher: an ambiguous abbreviation is named so" 1 \
	"^shm-publisher: option '--se' is ambiguous \(--segment, --security-only\)" \
	"$PUB" --se x --once
expect "publisher: ... also with =VALUE" 1 \
	"option '--se' is ambiguous \(--segment, --security-only\)" \
	"$PUB" --se=x --once
expect "publisher: an unknown option is still unknown" 1 \
	"unknown option or missing value: --bogus" "$PUB" --bogus
expect "reader: an ambiguous abbreviation is named so" 1 \
	"^shm-reader: option '--se' is ambiguous \(--segment, --security-only\)" \
	"$RDR" --se x
expect "reader: ... also with =VALUE" 1 \
	"option '--se' is ambiguous \(--segment, --security-only\)" "$RDR" --se=x
expect "reader: a unique abbreviation still works" 1 '^no segment' \
	"$RDR" --segm "$T/none"
expect "reader: an unknown option is still unknown" 1 \
	"unknown option '--bogus'" "$RDR" --bogus
# --- escapes and bidi controls from the update command and probes -------------
# raw_free TEXT: none of the bytes a terminal or a bidi renderer acts on.
raw_free() {
	! LC_ALL=C grep -q $'\xc2\x9b\|\xc2\x9d\|\xe2\x80\xae\|\xe2\x81\xa6\|\xff\|\x1b' <<<"$1"
}
printf 'ok-pkg\nlib\xc2\x9b31mx\nq\xe2\x80\xaer\nosc\xc2\x9d0\nbad\xff\n' >"$T/names"
printf '#!/bin/sh\nprintf "down \\302\\233""2J \\342\\200\\256""x \\033[31m"\nexit 1\n' >"$T/probe"
chmod +x "$T/probe"
LOG=$T/pub1.log start_pub --segment "$T/seg1" --heartbeat 200ms \
	--probe-retries 1 --update-command "cat $T/names"
until_reader 5 1 'Update\(s\) 5 available' --segment "$T/seg1" \
	&& ok "names: the check is published" || bad "names: the check is published" "$LAST"
for f in text json nagios prometheus; do
	out=$("$RDR" --segment "$T/seg1" --format "$f" 2>&1)
	raw_free "$out" && ok "names: no raw escape or bidi byte in $f" \
		|| bad "names: no raw escape or bidi byte in $f" "$(head -c 300 <<<"$out" | od -c | head -n 5)"
	case $f in prometheus) continue ;; esac
	grep -q 'lib??31mx' <<<"$out" && grep -q 'q???r' <<<"$out" && grep -q 'osc??0' <<<"$out" \
		&& grep -q 'bad?' <<<"$out" && grep -q 'ok-pkg' <<<"$out" \
		&& ok "names: each bad byte of a name is '?' in $f" \
		|| bad "names: each bad byte of a name is '?' in $f" "$(head -c 300 <<<"$out")"
done
# For the forged segment below, a copy taken with the publisher stopped:
# either status copy is whole.
kill -STOP "$PID"; cp "$T/seg1" "$T/forged"; kill -CONT "$PID"
kill -TERM "$PID"; wait "$PID"

# A probe printing them: the publisher keeps its output's printable ASCII.
LOG=$T/pub2.log start_pub --segment "$T/seg2" --heartbeat 200ms \
	--probe-retries 1 --probe "web:1s:1s:$T/probe" --update-command true
until_reader 5 1 '^probe web failing' --segment "$T/seg2" \
	&& ok "probe: failing output published" || bad "probe: failing output published" "$LAST"
for f in text json nagios; do
	out=$("$RDR" --segment "$T/seg2" --format "$f" 2>&1)
	raw_free "$out" && grep -q 'down ' <<<"$out" \
		&& ok "probe: no raw escape or bidi byte in $f" \
		|| bad "probe: no raw escape or bidi byte in $f" "$(head -c 300 <<<"$out" | od -c | head -n 5)"
done
kill -TERM "$PID"; wait "$PID"

# Forged: a segment whose error string holds them as the publisher never
# writes it (tests/setseg.c sets it in a copy), for both readers.
SETSEG=${SHMHEALTH_SETSEG:-$BUILD/tests/setseg}
if [ -x "$SETSEG" ]; then
	chmod 644 "$T/forged"
	"$SETSEG" "$T/forged" success_ago=1 failures=1 pending=0 names= \
		error=$'E\xc2\x9b2J \xe2\x80\xaeR \xe2\x81\xa6I \xed\xa0\x80S \xc0\xafO \xe2\x82' \
		|| bad "setseg on the forged copy"
	for r in "$RDR" "$STATIC/shm-reader"; do
		[ -x "$r" ] || continue
		for f in text json nagios; do
			out=$("$r" --segment "$T/forged" --max-age 1h --format "$f" 2>&1)
			raw_free "$out" && grep -q 'E?2J ?R ?I ?S ?O ?' <<<"$out" \
				&& ok "forged error: one '?' per character in $f ($r)" \
				|| bad "forged error: one '?' per character in $f ($r)" "$(head -c 400 <<<"$out")"
		done
	done
else
	bad "setseg built" "$SETSEG missing"
fi

# --- --daemon resolves relative paths before it changes to / -------------------
mkdir -p "$T/cwd/h" "$T/cwd/tf"
pub_abs=$(realpath "$PUB")
(cd "$T/cwd" && "$pub_abs" --daemon --segment ./h/seg --textfile tf \
	--heartbeat 200ms --update-command true) 2>>"$T/pub3.log"
rc=$?
dpid=$(pgrep -f -- "--segment ./h/seg --textfile tf" | head -n 1)
[ -n "$dpid" ] && pids+=("$dpid")
check "daemon: starts with a relative --segment" "$rc" "$(tail -n 3 "$T/pub3.log")"
expect "daemon: the segment is where the relative path said" 0 '^ok: ' \
	"$RDR" --segment "$T/cwd/h/seg"
for ((i = 0; i < 60; i++)); do
	[ -s "$T/cwd/tf/shmhealth.prom" ] && break
	sleep 0.05
done
grep -q '^shmhealth_healthy 1$' "$T/cwd/tf/shmhealth.prom" 2>/dev/null \
	&& ok "daemon: the relative --textfile is written" \
	|| bad "daemon: the relative --textfile is written" "$(tail -n 3 "$T/pub3.log")"
[ -e /h/seg ] || [ -e /tf/shmhealth.prom ] \
	&& bad "daemon: nothing written under /" || ok "daemon: nothing written under /"
[ -n "$dpid" ] && kill -TERM "$dpid"

# --- a failing check after a good one: the kept result says so ---------------
# The command succeeds once, then fails: a counter in a file.
printf '#!/bin/sh\nn=$(cat %s/count 2>/dev/null || echo 0)\necho $((n + 1)) >%s/count\n[ "$n" -eq 0 ] && exit 0\necho "mirror down" >&2\nexit 100\n' "$T" "$T" >"$T/upd"
chmod +x "$T/upd"
LOG=$T/pub4.log start_pub --segment "$T/seg4" --heartbeat 200ms \
	--interval 1s --jitter 0 --retry 1s --update-command "$T/upd"
until_log 5 'update check failed \(1 in a row\)' "$T/pub4.log" \
	&& ok "kept result: the second check failed" \
	|| bad "kept result: the second check failed" "$(tail -n 3 "$T/pub4.log")"
kept='ok: no updates pending as of [0-9]+s ago \(command\); last check failed: update command exited with status 100.*mirror down'
expect "kept result: text says the last check failed" 0 "^$kept\$" \
	"$RDR" --segment "$T/seg4"
expect "kept result: nagios says so too" 0 "^SHMHEALTH OK - $kept" \
	"$RDR" --segment "$T/seg4" --format nagios
expect "kept result: json reason too" 0 "\"reason\":\"$kept\"" \
	"$RDR" --segment "$T/seg4" --format json
kill -TERM "$PID"; wait "$PID"

done_tests hostile-input
