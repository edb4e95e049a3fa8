#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# CLI tests: run the built binaries from outside, with real processes and
# signals, and check exit statuses and output.  Ends with
# "cli: N passed, N failed".
set -u
cd "$(dirname "$0")/.."

. tests/lib.sh

# --- usage and version ---------------------------------------------------
expect "reader --help exits 0 with usage" 0 '^usage: shm-reader' "$RDR" --help
expect "reader --version names the layout" 0 'shm-reader [0-9.]+ \(segment layout [0-9]+\)' "$RDR" --version
expect "reader bad flag exits 1" 1 'shm-reader: ' "$RDR" --bogus
expect "reader bad --max-age exits 1" 1 'max-age' "$RDR" --max-age 5x
long=$(printf 'x%.0s' $(seq 300))
for args in "--$long" "--max-age=$long" "--quiet=$long"; do
	n=$("$RDR" "$args" 2>&1 | head -n 1 | wc -c)
	check "reader usage error on a 300-byte argument: first line $n bytes (< 200)" "$([ "$n" -lt 200 ] && echo 0 || echo 1)"
done
expect "publisher --help exits 0 with usage" 0 '^usage: shm-publisher' "$PUB" --help
expect "publisher --version names the layout" 0 'shm-publisher [0-9.]+ \(segment layout [0-9]+\)' "$PUB" --version
expect "publisher bad flag exits 1" 1 'shm-publisher: .*--bogus' "$PUB" --bogus
expect "publisher bad duration names the flag" 1 "--interval: invalid duration 'soon'" "$PUB" --interval soon
expect "publisher bad env names the variable" 1 "SHMHEALTH_HEARTBEAT: invalid duration" env SHMHEALTH_HEARTBEAT=fast "$PUB" --once
expect "publisher unknown manager" 1 "unknown manager 'brew'" "$PUB" --manager brew --once
expect "publisher unknown format" 1 "unknown update format" "$PUB" --update-command true --update-format nope --once
expect "reader without segment is unhealthy" 1 'no segment' "$RDR" --segment "$T/none"
expect "reader refuses an empty segment name" 1 'segment' "$RDR" --segment ""

# --- parse ---------------------------------------------------------------
printf 'pkg-a\npkg-b\n\npkg-a\n' >"$T/two"
expect "parse lines counts distinct names" 0 $'^updates 2\nsecurity unknown\npackage pkg-a\npackage pkg-b$' "$PUB" parse lines "$T/two"
expect "parse unknown format exits 1" 1 '^error: ' "$PUB" parse nope "$T/two"
expect "parse missing file exits 1" 1 '^error: .*nofile' "$PUB" parse lines "$T/nofile"
expect "parse bad --status exits 1" 1 '^error: ' "$PUB" parse lines --status x "$T/two"
rows=0 rowfail=0
while IFS=$'\t' read -r file format status updates security; do
	case $file in '#'*|'') continue ;; esac
	rows=$((rows + 1))
	out=$("$PUB" parse "$format" --status "$status" "$FIX/$file" 2>&1)
	rc=$?
	if [ "$updates" = error ]; then
		[ "$rc" -eq 1 ] && grep -q '^error: ' <<<"$out" && continue
	else
		want="updates $updates"
		[ "$security" = - ] || want+=$'\n'"security $security"
		[ "$rc" -eq 0 ] && [ "$(head -n $([ "$security" = - ] && echo 1 || echo 2) <<<"$out")" = "$want" ] && continue
	fi
	rowfail=$((rowfail + 1))
	echo "  $file ($format, status $status): want $updates/$security, got exit $rc: $(head -n 2 <<<"$out" | tr '\n' ' ')"
done <"$FIX/expected.tsv"
[ "$rows" -gt 0 ] && [ "$rowfail" -eq 0 ] && ok "parse: all $rows fixture rows" || bad "parse: $rowfail of $rows fixture rows"

# --- --once ----------------------------------------------------------------
expect "--once prints the parse result" 0 $'^updates 2\nsecurity unknown\npackage pkg-a' "$PUB" --once --update-command "cat $T/two"
expect "--once with a failing command exits 1" 1 '^error: .*' "$PUB" --once --update-command false

# --- environment instead of flags -------------------------------------------
expect "SHMHEALTH_* variables stand for flags" 0 $'^updates 2\n' env SHMHEALTH_ONCE=1 SHMHEALTH_UPDATE_COMMAND="cat $T/two" "$PUB"
expect "a flag wins over its variable" 0 $'^updates 2\n' env SHMHEALTH_UPDATE_COMMAND=false "$PUB" --once --update-command "cat $T/two"

# --- publisher and reader together ---------------------------------------
SEG=$T/seg
printf 'openssl\nlibc6\n' >"$T/list"
start_pub --segment "$SEG" --heartbeat 200ms --update-command "cat $T/list"
if until_reader 5 1 '^Update\(s\) 2 available: libc6 openssl' --segment "$SEG"; then
	ok "two pending packages: reader exits 1 naming them"
else
	bad "two pending packages: reader exits 1 naming them" "$LAST"
fi
[ "$(stat -c %a "$SEG")" = 644 ] && ok "segment mode is 0644" || bad "segment mode is 0644" "$(stat -c %a "$SEG")"
[ -z "$(find "$T" -name '*.tmp*')" ] && ok "no temporary segment left" || bad "no temporary segment left"
: >"$T/list"
kill -HUP "$PID"
if until_reader 5 0 '' --segment "$SEG"; then
	ok "list cleared + SIGHUP: reader exits 0"
else
	bad "list cleared + SIGHUP: reader exits 0" "$LAST"
fi
expect "--quiet prints nothing" 0 '^$' "$RDR" --quiet --segment "$SEG"
expect "a second publisher refuses a live segment" 1 'in use' "$PUB" --segment "$SEG" --update-command true

kill -9 "$PID"
wait "$PID" 2>/dev/null
t0=$(date +%s%N)
if until_reader 3 1 'publisher not running' --segment "$SEG"; then
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	# Three heartbeats of 200 ms, plus polling slack.
	[ "$ms" -le 1000 ] && ok "SIGKILL: unhealthy within three heartbeats (${ms} ms)" ||
		bad "SIGKILL: unhealthy within three heartbeats" "${ms} ms"
else
	bad "SIGKILL: reader says the publisher is not running" "$LAST"
fi

start_pub --segment "$SEG" --heartbeat 200ms --update-command "cat $T/list"
until_reader 5 0 '' --segment "$SEG" && ok "a restarted publisher takes the segment over" ||
	bad "a restarted publisher takes the segment over" "$LAST"
kill -TERM "$PID"
t0=$(date +%s%N)
wait "$PID"; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$rc" -eq 0 ] && [ "$ms" -lt 1000 ] && ok "SIGTERM: publisher exits 0 within a second" ||
	bad "SIGTERM: publisher exits 0 within a second" "exit $rc after $ms ms"
expect "SIGTERM: reader says the publisher stopped" 1 'publisher stopped' "$RDR" --segment "$SEG"

sum1=$(sha256sum <"$SEG")
mt1=$(stat -c %Y.%y "$SEG")
for _ in 1 2 3 4 5; do "$RDR" --segment "$SEG" >/dev/null 2>&1; done
[ "$sum1" = "$(sha256sum <"$SEG")" ] && [ "$mt1" = "$(stat -c %Y.%y "$SEG")" ] &&
	ok "reader runs never change the segment" || bad "reader runs never change the segment"

# SIGTERM while a check runs: exits within a second and kills the check.
start_pub --segment "$T/seg2" --heartbeat 200ms --update-command "sleep 301.$$"
until_reader 5 0 'starting' --segment "$T/seg2" || true
kill -TERM "$PID"
t0=$(date +%s%N)
wait "$PID"; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
sleep 0.1
[ "$rc" -eq 0 ] && [ "$ms" -lt 1000 ] && ! pgrep -fx "sleep 301.$$" >/dev/null &&
	ok "SIGTERM mid-check: exits 0 within a second, check killed" ||
	bad "SIGTERM mid-check: exits 0 within a second, check killed" "exit $rc after $ms ms; $(pgrep -afx "sleep 301.$$")"

# A check past its timeout is killed and the error recorded; heartbeat goes on.
start_pub --segment "$T/seg3" --heartbeat 200ms --timeout 1s --update-command "sh -c 'sleep 309.$$ & sleep 301.$$; :'"
sleep 1.6
grep -q 'timed out after 1s' "$T/pub.log" && ! pgrep -fx "sleep 30[19].$$" >/dev/null &&
	ok "timeout: the check's whole process group is killed and the error logged" ||
	bad "timeout: the check's whole process group is killed and the error logged" "$(tail -n 3 "$T/pub.log"; pgrep -afx "sleep 30[19].$$")"
# Never succeeded: the check failed, but the publisher is not stale.
expect "timeout: heartbeat goes on, reader not stale" 1 '^update check failed: timed out after 1s' "$RDR" --segment "$T/seg3"
kill -TERM "$PID"; wait "$PID"

# Failures keep the last good result; past the allowed count, unhealthy.
printf 'x\n' >"$T/fl"
LOG=$T/pub4.log start_pub --segment "$T/seg4" --heartbeat 200ms --update-command "sh -c 'cat $T/fl; exit \$(cat $T/rc 2>/dev/null || echo 0)'"
until_reader 5 1 'Update\(s\) 1 available: x' --segment "$T/seg4" && ok "failing check: first result published" || bad "failing check: first result published" "$LAST"
echo 3 >"$T/rc"
# hup_fail N: send SIGHUP and wait for the Nth failure in the log.
hup_fail() {
	kill -HUP "$PID"
	for ((j = 0; j < 60; j++)); do
		[ "$(grep -c 'update check failed' "$T/pub4.log")" -ge "$1" ] && return
		sleep 0.05
	done
}
hup_fail 1
expect "failing check: the last good result is kept" 1 'Update\(s\) 1 available: x' "$RDR" --segment "$T/seg4"
expect "failing check: ... marked with its age" 1 '^as of [0-9]+s ago \(command\); last check failed' "$RDR" --segment "$T/seg4"
for i in 2 3 4; do hup_fail "$i"; done
until_reader 3 1 'fail' --segment "$T/seg4" && ok "failing check: unhealthy past the allowed failures" || bad "failing check: unhealthy past the allowed failures" "$LAST"
kill -TERM "$PID"; wait "$PID"

# --daemon returns only once the segment is live.
"$PUB" --daemon --segment "$T/seg5" --heartbeat 200ms --update-command true 2>>"$T/pub.log"
rc=$?
out=$("$RDR" --segment "$T/seg5" 2>&1)
dpid=$(pgrep -f -- "--segment $T/seg5" | head -n 1)
[ -n "$dpid" ] && pids+=("$dpid")
[ "$rc" -eq 0 ] && ! grep -q 'no segment' <<<"$out" && ok "--daemon returns 0 with the segment live" ||
	bad "--daemon returns 0 with the segment live" "exit $rc; reader: $out"
expect "--daemon fails with a message when the segment cannot be made" 1 'segment' "$PUB" --daemon --segment /nonexistent/dir/seg --update-command true

# --- more of what the publisher promises -------------------------------------
LOG=$T/hb.log start_pub --segment "$T/hb" --heartbeat 200ms --update-command "sleep 310.$$"
# From the moment the segment is live (a slow start is no stale heartbeat).
until_reader 5 0 '^starting' --segment "$T/hb" || true
stale=0
for _ in $(seq 30); do
	"$RDR" --segment "$T/hb" --max-age 600ms >/dev/null 2>&1 || stale=$((stale + 1))
	sleep 0.1
done
check "the heartbeat goes on while a check runs (3 s, never older than 3 beats)" "$stale" "$stale stale readings"
kill -HUP "$PID"
until_log 3 'a check is already running' "$T/hb.log" && ok "SIGHUP during a check: no second check" || bad "SIGHUP during a check: no second check"
kill -INT "$PID"; wait "$PID"; rc=$?
check "SIGINT: exits 0" "$rc"
expect "SIGINT: the segment says stopped" 1 'publisher stopped' "$RDR" --segment "$T/hb"
expect "--max-output: more output is an error" 1 'output larger than 100 bytes' "$PUB" --once --max-output 100 --update-command "seq 1000"
# What a check's child may claim: it names its niceness (n), I/O class (i),
# oom_score_adj (o) and address space limit in KiB (m) as "packages".
cat >"$T/claims" <<'SH'
#!/bin/sh
read -r _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ nice _ </proc/self/stat
echo "n$nice" "o$(cat /proc/self/oom_score_adj)" "i$(ionice | tr -d ': ')" "m$(ulimit -v)" | tr ' ' '\n'
SH
chmod +x "$T/claims"
expect "a check runs at nice 19, idle I/O, oom_score_adj 1000, no memory limit" 0 \
	$'package iidle\npackage munlimited\npackage n19\npackage o1000$' "$PUB" --once --update-command "$T/claims"
expect "--check-nice 5 --check-io-class best-effort --check-oom-score 300 --check-memory 512M" 0 \
	$'package ibest-effortprio7\npackage m524288\npackage n5\npackage o300$' \
	"$PUB" --once --update-command "$T/claims" --check-nice 5 --check-io-class best-effort \
	--check-oom-score 300 --check-memory 512M
expect "... and as SHMHEALTH_CHECK_* variables, with --check-io-class inherit" 0 \
	$'package inone[a-z0-9]*\npackage m1048576\npackage n3\npackage o7$' \
	env SHMHEALTH_CHECK_NICE=3 SHMHEALTH_CHECK_IO_CLASS=inherit SHMHEALTH_CHECK_OOM_SCORE=7 \
	SHMHEALTH_CHECK_MEMORY=1G "$PUB" --once --update-command "$T/claims"
expect "a child never claims more than the publisher: nice 10 and oom_score_adj 500 stay" 0 \
	$'package n10\npackage o500$' sh -c 'echo 500 >/proc/self/oom_score_adj && exec nice -n 10 "$@"' sh \
	"$PUB" --once --update-command "$T/claims" --check-nice 5 --check-oom-score 200 --ignore 'i*' --ignore 'm*'
own=$(sh -c 'read -r _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ n _ </proc/self/stat; echo "$n $(cat /proc/self/oom_score_adj)"')
expect "the wrapped service keeps the publisher's own priority and OOM score ($own)" 0 "^$own\$" \
	"$PUB" --segment "$T/claims-seg" --update-command true -- \
	sh -c 'read -r _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ n _ </proc/self/stat; echo "$n $(cat /proc/self/oom_score_adj)"'
expect "--check-memory: a check past it fails, saying it ran out of memory" 1 \
	'^error: update command exited with status 1.*(memory exhausted|out of memory|Cannot allocate)' \
	"$PUB" --once --check-memory 64M --update-command "dd if=/dev/zero of=/dev/null bs=200M count=1"
expect "--check-nice 20 is refused" 1 'check-nice takes 0 to 19: 20' "$PUB" --once --update-command true --check-nice 20
expect "--check-io-class rt is refused" 1 'check-io-class takes idle, best-effort or inherit: rt' \
	"$PUB" --once --update-command true --check-io-class rt
expect "--check-oom-score 1001 is refused" 1 'check-oom-score takes 0 to 1000: 1001' \
	"$PUB" --once --update-command true --check-oom-score 1001
expect "a bad SHMHEALTH_CHECK_MEMORY names the variable" 1 "SHMHEALTH_CHECK_MEMORY: invalid size 'lots'" \
	env SHMHEALTH_CHECK_MEMORY=lots "$PUB" --once --update-command true
out=$("$PUB" --once --update-command "ls /proc/self/fd" 7</dev/null 9>"$T/fd9" 2>/dev/null)
check "a check inherits no descriptor but 0, 1, 2 (and ls's own)" \
	"$([ "$(grep -c '^package' <<<"$out")" -le 4 ] && ! grep -q '^package [79]$' <<<"$out" && echo 0 || echo 1)" "$out"
"$PUB" --once --update-command "sleep 311.$$" >/dev/null 2>&1 & p=$!
sleep 0.3; kill -TERM "$p"; wait "$p"; rc=$?
check "--once stopped mid-check exits 1, not 0" "$([ "$rc" = 1 ] && echo 0 || echo 1)" "exit $rc"
expect "--once with --manager none has nothing to check" 1 'nothing to check' "$PUB" --once --manager none
expect "--once to a full disk fails" 1 'standard output' sh -c "\"$PUB\" --once --update-command 'cat $T/two' >/dev/full"

# A fake apk, first in PATH: auto picks apk before apt and runs it with
# --no-cache, so the indexes are fetched fresh and no cache is written.
mkdir -p "$T/fakebin"
cat >"$T/fakebin/apk" <<FAKE
#!/bin/sh
echo "\$@" >"$T/apk.args"
echo 'musl-1.2.5-r1 x86_64 {musl} (MIT) [upgradable from: musl-1.2.5-r0]'
FAKE
chmod +x "$T/fakebin/apk"
# apk is run only with a repository configured: this host has none, so
# the runs see one through an overlay on /etc in a mount namespace (of a
# user namespace of its own, so that no privilege is needed).
mkdir -p "$T/etc-up" "$T/etc-work"
with_apk_repo() {
	unshare -rm sh -c 'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1,workdir=$2" /etc &&
		mkdir -p /etc/apk && echo "https://mirror.invalid/alpine/v3.20/main" >/etc/apk/repositories &&
		shift 2 && exec "$@"' sh "$T/etc-up" "$T/etc-work" "$@"
}
expect "--manager auto picks apk first when it is there" 0 $'^updates 1\nsecurity unknown\npackage musl' with_apk_repo env PATH="$T/fakebin:$PATH" "$PUB" --once
check "... and runs apk --no-cache list --upgradable" "$(grep -qx -- '--no-cache list --upgradable' "$T/apk.args" && echo 0 || echo 1)" "$(cat "$T/apk.args")"
expect "apk is not run to run it with no repository configured" 1 'no repository in /etc/apk/repositories' env PATH="$T/fakebin:$PATH" "$PUB" --once

# Environment: a flag wins without reading its variable; empty is unset.
expect "a bad variable under a flag is not read" 0 '^updates 2$' env SHMHEALTH_INTERVAL=bad "$PUB" --interval 1h --once --update-command "cat $T/two"
expect "an empty variable is unset" 0 '^updates 2$' env SHMHEALTH_INTERVAL= SHMHEALTH_SEGMENT= "$PUB" --once --update-command "cat $T/two"
expect "--update-command silences SHMHEALTH_MANAGER" 0 '^updates 2$' env SHMHEALTH_MANAGER=apk "$PUB" --once --update-command "cat $T/two"
expect "booleans in any case" 0 '^updates 2$' env SHMHEALTH_ONCE=Yes "$PUB" --update-command "cat $T/two"

# Closed standard descriptors: --daemon neither spins nor loses its signals.
"$PUB" --daemon --segment "$T/closed" --heartbeat 200ms --update-command true <&- >&- 2>>"$T/pub.log"
cpid=$(pgrep -f -- "--segment $T/closed" | head -n 1)
[ -n "$cpid" ] && pids+=("$cpid")
sleep 1
ticks=$(awk '{print $14 + $15}' "/proc/$cpid/stat" 2>/dev/null || echo 999)
check "--daemon started with stdin and stdout closed stays idle ($ticks ticks in 1 s)" "$([ "$ticks" -lt 20 ] && echo 0 || echo 1)"
until_reader 3 0 '^ok' --segment "$T/closed" && ok "... and finishes its check" || bad "... and finishes its check" "$LAST"
kill -TERM "$cpid"
until_reader 3 1 'publisher stopped' --segment "$T/closed" && ok "... and stops on SIGTERM" || bad "... and stops on SIGTERM" "$LAST"

# The segment's name removed under a running publisher: made again.
LOG=$T/rm.log start_pub --segment "$T/rm" --heartbeat 100ms --update-command true
until_reader 3 0 '^ok' --segment "$T/rm" || true
rm -f "$T/rm"
until_reader 3 0 '^ok' --segment "$T/rm" && grep -q 'removed or replaced' "$T/rm.log" &&
	ok "a removed segment is made again within a heartbeat" || bad "a removed segment is made again" "$LAST"
kill -TERM "$PID"; wait "$PID"
echo 'precious: not a segment' >"$T/precious"
expect "a file at --segment that is no segment is left alone" 1 'is not a shmhealth segment' "$PUB" --segment "$T/precious" --update-command true
check "... and keeps its content" "$(grep -qx 'precious: not a segment' "$T/precious" && echo 0 || echo 1)"

# --- --textfile: node_exporter's textfile collector ----------------------------
mkdir -p "$T/prom"
printf 'openssl\nlibc6\n' >"$T/tflist"
LOG=$T/tf.log start_pub --segment "$T/tf" --heartbeat 200ms --update-command "cat $T/tflist" --textfile "$T/prom"
until_log 3 'update check: 2 pending' "$T/tf.log" || true
sleep 0.2
check "--textfile writes DIR/shmhealth.prom after a check" "$(grep -q '^shmhealth_updates_pending{manager="command"} 2$' "$T/prom/shmhealth.prom" && echo 0 || echo 1)" "$(head -c 300 "$T/prom/shmhealth.prom" 2>&1)"
check "... which promtool accepts" "$(promtool check metrics <"$T/prom/shmhealth.prom" >/dev/null 2>&1; echo $?)"
check "... the same as shm-reader --format prometheus" "$(diff <(grep -v timestamp "$T/prom/shmhealth.prom") <("$RDR" --segment "$T/tf" --format prometheus | grep -v timestamp) >/dev/null; echo $?)"
check "... and leaves no temporary file" "$(ls -A "$T/prom" | grep -vx shmhealth.prom | wc -l)"
hb() { sed -n 's/^shmhealth_heartbeat_timestamp_seconds \([0-9]*\).*/\1/p' "$T/prom/shmhealth.prom"; }
hb1=$(hb); checks1=$(grep -c 'update check: 2 pending' "$T/tf.log")
sleep 2.2
hb2=$(hb); checks2=$(grep -c 'update check: 2 pending' "$T/tf.log")
check "... and rewrites its heartbeat every heartbeat, between checks" \
	"$([ -n "$hb1" ] && [ "${hb2:-0}" -gt "$hb1" ] && [ "$checks1" = "$checks2" ] && echo 0 || echo 1)" "heartbeat $hb1 then $hb2, checks $checks1 then $checks2"
kill -TERM "$PID"; wait "$PID"
expect "--textfile on a missing directory is refused" 1 'textfile .*not a directory' "$PUB" --update-command true --textfile "$T/nodir"

# --- man pages, install, versions ---------------------------------------------
# synopsis PAGE: the page's SYNOPSIS as one line per form, blanks squeezed.
synopsis() {
	MANWIDTH=4000 man -l "$1" 2>/dev/null | sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' |
		sed '1d;$d;/^ *$/d;s/^ *//;s/  */ /g'
}
usage_of() { "$1" --help | sed -n '1,/^$/p' | sed '/^ *$/d;s/^usage: //;s/^ *//;s/  */ /g'; }
check "shm-reader's usage equals its man page's SYNOPSIS" \
	"$(diff <(usage_of "$RDR") <(synopsis man/shm-reader.1) >/dev/null && echo 0 || echo 1)" \
	"$(diff <(usage_of "$RDR") <(synopsis man/shm-reader.1) | head -n 4)"
check "shm-publisher's usage equals its man page's SYNOPSIS" \
	"$(diff <(usage_of "$PUB") <(synopsis man/shm-publisher.8) >/dev/null && echo 0 || echo 1)" \
	"$(diff <(usage_of "$PUB") <(synopsis man/shm-publisher.8) | head -n 4)"
make -s install DESTDIR="$T/inst" PREFIX=/usr B="$BUILD" >/dev/null 2>&1
check "make install puts both programs and both pages under DESTDIR" \
	"$([ -x "$T/inst/usr/bin/shm-reader" ] && [ -x "$T/inst/usr/bin/shm-publisher" ] &&
	   [ -f "$T/inst/usr/share/man/man1/shm-reader.1" ] &&
	   [ -f "$T/inst/usr/share/man/man8/shm-publisher.8" ] && echo 0 || echo 1)"
expect "after make install, man shm-reader works" 0 'shm-reader' env MANPATH="$T/inst/usr/share/man" man -P cat shm-reader
LOG=$T/ver.log start_pub --segment "$T/ver" --heartbeat 200ms --update-command true
until_reader 3 0 '' --segment "$T/ver" || true
kill -TERM "$PID"; wait "$PID"
printf '\x07' | dd of="$T/ver" bs=1 seek=8 conv=notrunc 2>/dev/null
expect "a segment of another layout: the reader names both versions" 1 'layout version 7, this reader reads 2' "$RDR" --segment "$T/ver"

# --- the grace period's first-seen time -----------------------------------------
printf 'a\nb\n' >"$T/gl"
LOG=$T/grace.log start_pub --segment "$T/grace" --heartbeat 200ms --update-command "cat $T/gl"
until_reader 3 1 'Update' --segment "$T/grace" || true
since1=$("$RDR" --segment "$T/grace" --format json | jq -r .updates.pending_since)
sleep 1.1
kill -HUP "$PID"; until_log 3 'update check: 2 pending.*' "$T/grace.log"; sleep 0.3
since2=$("$RDR" --segment "$T/grace" --format json | jq -r .updates.pending_since)
check "the same pending set re-checked keeps its first-seen time ($since1)" "$([ "$since1" = "$since2" ] && [ "$since1" != null ] && echo 0 || echo 1)" "$since1 then $since2"
printf 'a\nc\n' >"$T/gl"
kill -HUP "$PID"; sleep 0.5
since3=$("$RDR" --segment "$T/grace" --format json | jq -r .updates.pending_since)
check "a changed pending set starts its grace anew" "$([ "$since3" != "$since1" ] && [ "$since3" != null ] && echo 0 || echo 1)" "$since1 then $since3"
kill -TERM "$PID"; wait "$PID"
expect "a 1 MB line in a listing is an error, not a package" 1 '^error: ' "$PUB" --once --max-output 2M --update-command "sh -c 'head -c 1048576 /dev/zero | tr \"\\\\0\" a; echo'"

# --- --ignore ----------------------------------------------------------------
printf 'linux-image-amd64\nlibssl3\nbash.x86_64\nopenssl\n' >"$T/ign"
expect "--ignore leaves matching packages out" 0 $'^updates 2\nsecurity unknown\npackage libssl3\npackage openssl$' "$PUB" --once --update-command "cat $T/ign" --ignore 'linux-*' --ignore bash
expect "SHMHEALTH_IGNORE takes several patterns" 0 $'^updates 1\nsecurity unknown\npackage openssl$' env SHMHEALTH_IGNORE='linux-*, lib* bash' "$PUB" --once --update-command "cat $T/ign"
expect "a --ignore flag replaces SHMHEALTH_IGNORE" 0 '^updates 3$' env SHMHEALTH_IGNORE='linux-* lib*' "$PUB" --once --update-command "cat $T/ign" --ignore openssl
expect "an empty --ignore is refused" 1 "--ignore: invalid" "$PUB" --once --update-command true --ignore ''

# --- bounded against what a command prints or does ---------------------------
LOG=$T/big.log start_pub --segment "$T/big" --heartbeat 200ms --update-command "head -c 100000000 /dev/zero"
if until_log 20 'output larger than 1048576 bytes' "$T/big.log"; then
	hwm=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
	check "100 MB of output: an error, and the publisher stays small (${hwm} kB)" $(( hwm < 16384 ? 0 : 1 ))
else
	bad "100 MB of output: an error" "$(tail -n 2 "$T/big.log")"
fi
kill -TERM "$PID"; wait "$PID"
expect "NUL bytes and garbage in a listing are an error, not updates" 1 '^error: ' "$PUB" --once --update-command "head -c 4096 /bin/sh"
t0=$(date +%s%N)
expect "a grandchild in the check's group holding the pipe is not waited for" 0 '^updates 1$' "$PUB" --once --update-command "sh -c 'sleep 302.$$ & echo pkg'"
expect "a grandchild in its own session holding the pipe is not waited for" 0 '^updates 1$' "$PUB" --once --update-command "sh -c 'setsid sleep 303.$$ & echo pkg'"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "... both within two seconds (${ms} ms)" $(( ms < 2000 ? 0 : 1 ))
check "... and the grandchild in the group was killed" "$(pgrep -fx "sleep 302.$$" >/dev/null && echo 1 || echo 0)"
pkill -fx "sleep 303.$$"
expect "a check ignoring SIGTERM is killed at --timeout" 1 'timed out after 1s' "$PUB" --once --timeout 1s --update-command "sh -c 'trap \"\" TERM; sleep 304.$$'"
expect "a missing command is a clear error" 1 'cannot run /nonexistent/lister' "$PUB" --once --update-command /nonexistent/lister

# --- health policy published by the publisher --------------------------------
# pol NAME WANT_STATUS WANT_REGEX PUBLISHER-ARGS...: a bare reader applies it.
pol() {
	local name=$1 want=$2 re=$3 seg=$T/pol$RANDOM
	shift 3
	LOG=$T/pol.log start_pub --segment "$seg" --heartbeat 200ms --update-command "cat $T/list2" "$@"
	if until_reader 5 "$want" "$re" --segment "$seg"; then ok "$name"; else bad "$name" "$LAST"; fi
	kill -TERM "$PID"; wait "$PID"
}
printf 'openssl\nlibc6\n' >"$T/list2"
pol "policy default: pending updates are unhealthy" 1 '^Update\(s\) 2 available' 
pol "--on-updates report: healthy, still saying so" 0 'Update\(s\) 2 available|2 update' --on-updates report
pol "--min-updates 3: two are within policy" 0 '^ok: 2 update\(s\) pending, within policy' --min-updates 3
pol "--security-only: unknown security counts none" 0 '^ok: ' --security-only
pol "--grace 1h: a new pending set is within policy" 0 '^ok: ' --grace 1h
pol "--starting unhealthy: before the first check ends" 1 '^starting' --starting unhealthy --update-command "sleep 305.$$"
pkill -fx "sleep 305.$$"
expect "--on-updates takes fail or report" 1 'on-updates' "$PUB" --on-updates maybe --update-command true
expect "--min-updates 0 is refused" 1 'min-updates' "$PUB" --min-updates 0 --update-command true
expect "--max-failures takes a count" 1 "--max-failures: invalid count" "$PUB" --max-failures -1 --update-command true

# --- probes ----------------------------------------------------------------------
echo 0 >"$T/prc"
LOG=$T/probe.log start_pub --segment "$T/probe" --heartbeat 200ms --update-command true \
	--probe "web:200ms:1s:sh -c 'echo answer \$(cat $T/prc); exit \$(cat $T/prc)'" --probe-retries 2
until_reader 5 0 '^ok: ' --segment "$T/probe" && ok "probe passing: healthy" || bad "probe passing: healthy" "$LAST"
echo 3 >"$T/prc"
until_reader 5 1 '^probe web failing \(2 times\): answer 3' --segment "$T/probe" &&
	ok "probe failing --probe-retries times: unhealthy, naming it and its output" ||
	bad "probe failing --probe-retries times: unhealthy, naming it and its output" "$LAST"
echo 0 >"$T/prc"
until_reader 5 0 '^ok: ' --segment "$T/probe" && ok "probe passing again: healthy" || bad "probe passing again: healthy" "$LAST"
kill -TERM "$PID"; wait "$PID"
LOG=$T/probe2.log start_pub --segment "$T/probe2" --heartbeat 100ms --update-command "sleep 306.$$" \
	--probe "hang:200ms:300ms:sleep 307.$$" --probe-retries 1
until_reader 5 1 '^probe hang failing \(1 time\): timed out after 300ms' --segment "$T/probe2" &&
	ok "a probe hanging past its timeout is killed and reported" ||
	bad "a probe hanging past its timeout is killed and reported" "$LAST"
expect "a hanging probe and a running check do not stop the heartbeat" 1 '^probe hang' "$RDR" --segment "$T/probe2" --max-age 300ms
kill -TERM "$PID"; wait "$PID"
check "... and neither outlives the publisher" "$(pgrep -fx "sleep 30[67].$$" >/dev/null && echo 1 || echo 0)"
LOG=$T/probe4.log start_pub --segment "$T/probe4" --heartbeat 200ms --update-command true \
	--probe "claims:200ms:1s:sh -c '$T/claims >$T/probe-claims.new && mv $T/probe-claims.new $T/probe-claims'"
for _ in $(seq 50); do [ -s "$T/probe-claims" ] && break; sleep 0.1; done
kill -TERM "$PID"; wait "$PID"
check "a probe runs at nice 19, idle I/O, oom_score_adj 1000 too" \
	"$([ "$(sort "$T/probe-claims" 2>&1 | tr '\n' ' ')" = "iidle munlimited n19 o1000 " ] && echo 0 || echo 1)" \
	"$(tr '\n' ' ' <"$T/probe-claims" 2>&1)"

# What a restart fixes comes before what a rebuild fixes: a failing probe
# before pending updates, in every format.
LOG=$T/probe3.log start_pub --segment "$T/probe3" --heartbeat 200ms --update-command 'echo libfoo' \
	--probe 'db:200ms:1s:false' --probe-retries 1
until_reader 5 1 '^probe db failing' --segment "$T/probe3"
check "a failing probe comes before pending updates in the text" $? "$LAST"
check "... and in JSON" "$("$RDR" --segment "$T/probe3" --format json | jq -e '.rule == "probe" and .updates.pending == 1' >/dev/null; echo $?)"
out=$("$RDR" --segment "$T/probe3" --format nagios); rc=$?
check "... and Nagios says CRITICAL for the probe, not WARNING for the update" \
	"$([ "$rc" = 2 ] && grep -q '^SHMHEALTH CRITICAL - probe db failing' <<<"$out" && echo 0 || echo 1)" "exit $rc: $out"
kill -TERM "$PID"; wait "$PID"

# --manager none checks nothing and says so: no fabricated "0 pending".
LOG=$T/none.log start_pub --segment "$T/none" --heartbeat 200ms --manager none
until_reader 5 0 'update checks off' --segment "$T/none"
check "--manager none: the text says update checks are off" $? "$LAST"
check "... JSON says not checked, with no counts" \
	"$("$RDR" --segment "$T/none" --format json | jq -e '.updates.checked == false and .updates.pending == null and .updates.last_success == null' >/dev/null; echo $?)"
prom=$("$RDR" --segment "$T/none" --format prometheus)
check "... Prometheus has no pending series, and the check disabled" \
	"$(grep -qx 'shmhealth_update_check_enabled 0' <<<"$prom" && ! grep -q '^shmhealth_updates_pending' <<<"$prom" && echo 0 || echo 1)" "$prom"
kill -TERM "$PID"; wait "$PID"
expect "a probe without a command is refused" 1 'empty command' "$PUB" --probe 'x:1s:1s:' --update-command true
expect "a probe with a bad name is refused" 1 'name must be' "$PUB" --probe 'a b:1s:1s:true' --update-command true
expect "two probes of one name are refused" 1 'two probes named' "$PUB" --probe 'a:1s:1s:true' --probe 'a:2s:1s:true' --update-command true

# --- wrapper mode: -- CMD ARGS... --------------------------------------------------
expect "wrapper: exits with CMD's status" 7 '' "$PUB" --segment "$T/w0" --update-command true -- sh -c 'exit 7'
expect "wrapper: 128+N when CMD is killed by signal N" 137 '' "$PUB" --segment "$T/w0" --update-command true -- sh -c 'kill -9 $$'
expect "wrapper: a CMD that cannot run gives 127" 127 'cannot run /nonexistent' "$PUB" --segment "$T/w0" --update-command true -- /nonexistent
expect "wrapper: not with --daemon" 1 'not with --daemon' "$PUB" --daemon --update-command true -- true
cat >"$T/svc" <<'SVC'
#!/bin/sh
# A service that logs the signals it gets and leaves an orphan behind.
for s in HUP USR1 USR2 WINCH QUIT; do trap "echo $s >>$1" $s; done
trap "echo TERM >>$1; exit 3" TERM
sh -c 'sleep 0.2 & exit 0' &
while :; do sleep 0.05; done
SVC
chmod +x "$T/svc"
printf 'pkg\n' >"$T/wl"
LOG=$T/wrap.log start_pub --segment "$T/w1" --heartbeat 200ms --update-command "cat $T/wl" -- "$T/svc" "$T/got"
until_reader 5 1 'Update\(s\) 1 available' --segment "$T/w1" || true
for sig in HUP USR1 USR2 WINCH QUIT; do kill -s "$sig" "$PID"; sleep 0.15; done
: >"$T/wl"
kill -s PWR "$PID"
until_reader 5 0 '^ok' --segment "$T/w1" && ok "wrapper: SIGPWR runs a re-check, CMD never sees it" || bad "wrapper: SIGPWR runs a re-check" "$LAST"
check "wrapper: HUP USR1 USR2 WINCH QUIT passed on to CMD" \
	"$([ "$(tr '\n' ' ' <"$T/got" 2>/dev/null)" = "HUP USR1 USR2 WINCH QUIT " ] && echo 0 || echo 1)" "got: $(cat "$T/got" 2>/dev/null)"
zombies=$(ps -o stat= --ppid "$PID" | grep -c '^Z')
check "wrapper: CMD's orphans are reaped (no zombies)" "$zombies" "$zombies zombies"
kill -TERM "$PID"; t0=$(date +%s%N); wait "$PID"; rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "wrapper: SIGTERM goes to CMD, whose status ends the wrapper ($rc, ${ms} ms)" "$([ "$rc" = 3 ] && [ "$ms" -lt 2000 ] && echo 0 || echo 1)"
expect "wrapper: the segment says stopped" 1 'publisher stopped' "$RDR" --segment "$T/w1"
LOG=$T/wrap2.log start_pub --segment "$T/w2" --heartbeat 200ms --update-command true -- sleep 308.$$
sleep 0.5
kill -9 "$PID"; wait "$PID" 2>/dev/null
sleep 0.3
check "wrapper: CMD does not outlive a wrapper killed outright" "$(pgrep -fx "sleep 308.$$" >/dev/null && echo 1 || echo 0)"

# The static reader gives the same verdicts.
if [ -x "$STATIC/shm-reader" ]; then
	expect "static reader: live segment healthy" 0 '' "$STATIC/shm-reader" --segment "$T/seg5"
	expect "static reader: stopped segment unhealthy" 1 'publisher stopped' "$STATIC/shm-reader" --segment "$SEG"
else
	bad "static reader built" "$STATIC/shm-reader missing"
fi
[ -n "$dpid" ] && kill -TERM "$dpid"

done_tests cli
