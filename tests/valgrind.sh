#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every Check suite and the programs' main paths under valgrind's memcheck:
# no invalid access, no uninitialised use, no leak.  Short forms of the
# torture and crash tests (valgrind runs them tens of times slower).
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

VG=(valgrind -q --error-exitcode=99 --leak-check=full
	--errors-for-leak-kinds=definite --show-leak-kinds=definite
	--trace-children=no)
export SHMHEALTH_TORTURE_SECONDS=1 SHMHEALTH_CRASH_ROUNDS_C=50
# Check's per-test timeouts, stretched for valgrind's pace.
export CK_TIMEOUT_MULTIPLIER=20

for t in "$BUILD"/tests/check_*; do
	out=$("${VG[@]}" "$t" 2>&1)
	rc=$?
	check "valgrind: $(basename "$t")" "$rc" "$(grep -E '==[0-9]+==|Checks' <<<"$out" | head -n 8)"
done

printf 'pkg-a\npkg-b\n' >"$T/list"
expect "valgrind: shm-publisher --once" 0 '^updates 2' "${VG[@]}" "$PUB" --once --update-command "cat $T/list"
expect "valgrind: shm-publisher --once --manager apt" 0 '^updates ' "${VG[@]}" "$PUB" --once --manager apt --no-refresh
# FIXTURE FORMAT STATUS, as expected.tsv has them.
while read -r fx fmt st; do
	expect "valgrind: parse $fmt" 0 '^updates ' "${VG[@]}" "$PUB" parse "$fmt" --status "$st" "$FIX/$fx"
done <<'ROWS'
apt/bookworm-list-upgradable.out apt-list 0
apt/bookworm-get-s-upgrade.out apt-get 0
yum/centos7-check-update-obsoletes.out yum 100
zypper/local-xml-list-updates.out zypper-xml 0
dnf/local-updateinfo-list-security.out dnf-updateinfo 0
pacman/local-checkupdates.out checkupdates 0
ROWS
LOG=$T/vg.log start_pub --segment "$T/seg" --heartbeat 200ms --update-command "cat $T/list" \
	--probe 'p:200ms:1s:true' --textfile "$T"
until_reader 5 1 'Update' --segment "$T/seg" || true
for fmt in text json prometheus nagios; do
	out=$("${VG[@]}" "$RDR" --segment "$T/seg" --format "$fmt" 2>&1)
	rc=$?
	check "valgrind: shm-reader --format $fmt" "$([ "$rc" != 99 ] && ! grep -q '==[0-9]*==' <<<"$out" && echo 0 || echo 1)" "$out"
done
kill -TERM "$PID"; wait "$PID"
# The publisher itself under valgrind through checks, probes, HTTP
# requests, SIGHUP, SIGTERM.
"${VG[@]}" --log-file="$T/vgpub.log" "$PUB" --segment "$T/seg2" --heartbeat 100ms \
	--update-command "cat $T/list" --probe 'p:100ms:1s:true' --textfile "$T" \
	--listen 127.0.0.1:0 2>"$T/vgpub.err" &
vpid=$!
pids+=("$vpid")
until_reader 20 1 'Update' --segment "$T/seg2" || true
port=$(sed -nE 's/.*listening on .*:([0-9]+) for .*/\1/p' "$T/vgpub.err")
codes=$(for u in healthz metrics nope; do
	curl -s -o /dev/null -w '%{http_code} ' --max-time 10 "http://127.0.0.1:${port:-1}/$u"
done; curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST "http://127.0.0.1:${port:-1}/healthz")
kill -HUP "$vpid"; sleep 1
kill -TERM "$vpid"; wait "$vpid"; rc=$?
# Valgrind 3.19 does not know openat2 (syscall 437) and warns in its
# "--PID--" lines; the publisher then takes its ENOSYS fallback.  Errors
# are the "==PID==" lines.
check "valgrind: a running publisher (checks, probes, HTTP, SIGHUP, SIGTERM)" \
	"$([ "$rc" = 0 ] && [ "$codes" = "503 200 404 405" ] && ! grep -q '==[0-9]*==' "$T/vgpub.log" && echo 0 || echo 1)" \
	"exit $rc; HTTP $codes; $(head -n 10 "$T/vgpub.log")"
done_tests valgrind
