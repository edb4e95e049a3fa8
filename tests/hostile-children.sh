#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hostile children: checks and probes that try to outlive their run (a new
# session, a double fork, another process group), a first check that never
# ends, and a log nobody reads.  Ends with
# "hostile-children: N passed, N failed".
set -u
cd "$(dirname "$0")/.."

. tests/lib.sh

# Every process the tests leave must go, found by its unique marker.
M=$$
sweep_markers() {
	local p
	for p in $(pgrep -fx "sleep 7[0-9][0-9][0-9]\.$M" 2>/dev/null); do
		kill -9 "$p" 2>/dev/null
	done
}
trap 'sweep_markers; cleanup' EXIT

# left PATTERN: the processes whose command line matches, one a line.
left() { pgrep -afx "$1" 2>/dev/null; }

# stop_timed PID: SIGTERM; sets rc and ms (how long the exit took).
stop_timed() {
	local t0
	kill -TERM "$1"
	t0=$(date +%s%N)
	wait "$1"; rc=$?
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

# An escape of each kind: a new session, a double fork into one, and a
# process group of the publisher's own (the keeper's group is its).
ESCAPE="setsid sleep 7001.$M & (setsid sleep 7002.$M &); perl -e 'setpgrp(0, getpgrp(getppid())); exec \"sleep\", \"7003.$M\"' &"

# --- checks and probes cannot escape --------------------------------------
start_pub --segment "$T/seg1" --heartbeat 200ms --timeout 1s \
	--update-command "$ESCAPE sleep 7004.$M"
until_log 5 'timed out after 1s' "$T/pub.log"
sleep 0.3
l=$(left "sleep 700[1-4]\.$M")
[ -z "$l" ] && grep -q 'timed out after 1s' "$T/pub.log" &&
	ok "--timeout kills a check's setsid, double-forked and regrouped children" ||
	bad "--timeout kills a check's setsid, double-forked and regrouped children" "$l"
stop_timed "$PID"
[ "$rc" -eq 0 ] && [ "$ms" -lt 1000 ] && ok "... and SIGTERM stops the publisher within a second" ||
	bad "... and SIGTERM stops the publisher within a second" "exit $rc after $ms ms"
sweep_markers

# A check that ends well leaves nothing running behind it.
printf 'pkg-a\n' >"$T/one"
start_pub --segment "$T/seg2" --heartbeat 200ms \
	--update-command "$ESCAPE cat $T/one"
until_reader 5 1 'Update\(s\) 1 available' --segment "$T/seg2"
sleep 0.3
l=$(left "sleep 700[1-3]\.$M")
[ -z "$l" ] && ok "a check that exits takes its escaped children with it" ||
	bad "a check that exits takes its escaped children with it" "$l"
kill -TERM "$PID"; wait "$PID"
sweep_markers

# SIGTERM mid-check: every escaped process goes, within a second.
start_pub --segment "$T/seg3" --heartbeat 200ms \
	--update-command "$ESCAPE sleep 7004.$M"
for ((i = 0; i < 100; i++)); do
	[ "$(left "sleep 700[1-4]\.$M" | wc -l)" -ge 4 ] && break
	sleep 0.05
done
n=$(left "sleep 700[1-4]\.$M" | wc -l)
stop_timed "$PID"
sleep 0.2
l=$(left "sleep 700[1-4]\.$M")
[ "$n" -eq 4 ] && [ "$rc" -eq 0 ] && [ "$ms" -lt 1000 ] && [ -z "$l" ] &&
	ok "SIGTERM mid-check: exits within a second, no escaped process left" ||
	bad "SIGTERM mid-check: exits within a second, no escaped process left" "$n started; exit $rc after $ms ms; left: $l"
sweep_markers

# A probe past its timeout: the same.
start_pub --segment "$T/seg4" --heartbeat 200ms --manager none --probe-retries 1 \
	--probe "esc:1h:1s:$ESCAPE sleep 7004.$M"
until_reader 5 1 'probe esc failing.*timed out after 1s' --segment "$T/seg4"
sleep 0.3
l=$(left "sleep 700[1-4]\.$M")
[ -z "$l" ] && grep -q 'probe esc failing' "$T/pub.log" &&
	ok "a probe's timeout kills its escaped children" ||
	bad "a probe's timeout kills its escaped children" "$LAST; left: $l"
stop_timed "$PID"
[ "$rc" -eq 0 ] && [ "$ms" -lt 1000 ] && ok "... and SIGTERM stops the publisher within a second" ||
	bad "... and SIGTERM stops the publisher within a second" "exit $rc after $ms ms"
sweep_markers

# A publisher killed outright: its checks' processes die with it.
start_pub --segment "$T/seg5" --heartbeat 200ms \
	--update-command "$ESCAPE sleep 7004.$M"
for ((i = 0; i < 100; i++)); do
	[ "$(left "sleep 700[1-4]\.$M" | wc -l)" -ge 4 ] && break
	sleep 0.05
done
kill -KILL "$PID"; wait "$PID" 2>/dev/null
for ((i = 0; i < 20; i++)); do
	[ -z "$(left "sleep 700[1-4]\.$M")" ] && break
	sleep 0.05
done
l=$(left "sleep 700[1-4]\.$M")
[ -z "$l" ] && ok "SIGKILL of the publisher: its check's processes die too" ||
	bad "SIGKILL of the publisher: its check's processes die too" "$l"
sweep_markers

# Wrapper mode: the service and its own escaped children are not a
# check's, and stay; the check's go.
"$PUB" --segment "$T/seg6" --heartbeat 200ms \
	--update-command "setsid sleep 7101.$M & cat $T/one" -- \
	sh -c "setsid sleep 7102.$M & exec sleep 7103.$M" 2>>"$T/pub.log" &
PID=$!; pids+=("$PID")
until_reader 5 1 'Update\(s\) 1 available' --segment "$T/seg6"
sleep 0.3
[ -z "$(left "sleep 7101\.$M")" ] && [ -n "$(left "sleep 7102\.$M")" ] &&
	[ -n "$(left "sleep 7103\.$M")" ] &&
	ok "wrapper mode: the check's escaped child is killed, the service's are not" ||
	bad "wrapper mode: the check's escaped child is killed, the service's are not" "$(left "sleep 710[1-3]\.$M")"
kill -TERM "$PID"; wait "$PID"
sweep_markers

# A command that stops its own keeper (it runs as our user and may signal
# it): the timeout still ends the run, a grace period later, and the next
# check runs; SIGTERM mid-run does not wait on the stopped keeper.
: >"$T/stopper.log"
LOG=$T/stopper.log start_pub --segment "$T/seg7" --heartbeat 200ms --timeout 1s \
	--interval 1s --jitter 0 --update-command "kill -STOP \$PPID; exec sleep 7031.$M"
until_log 6 'update check failed \(2 in a row\): .*timed out after 1s' "$T/stopper.log"
check "a command that stops its keeper: the timeout still ends the run, checks go on" $? "$(cat "$T/stopper.log")"
stop_timed "$PID"
[ "$ms" -lt 2500 ] && ok "... and SIGTERM with a stopped keeper exits within the grace period ($ms ms)" ||
	bad "... and SIGTERM with a stopped keeper exits within the grace period" "exit $rc after $ms ms"
sweep_markers

# A keeper signalled through the publisher's process group (kill 0 from a
# shell that started the publisher) is not ended by it before its sweep.
LOG=$T/sig.log start_pub --segment "$T/seg8" --heartbeat 200ms --timeout 1s \
	--update-command "(setsid sleep 7041.$M &); kill -USR1 \$PPID; kill -QUIT \$PPID; sleep 7042.$M"
until_log 5 'timed out after 1s' "$T/sig.log"
sleep 0.3
l=$(left "sleep 704[1-2]\.$M")
[ -z "$l" ] && ok "SIGUSR1 and SIGQUIT to the keeper do not let the check escape" ||
	bad "SIGUSR1 and SIGQUIT to the keeper do not let the check escape" "$l"
stop_timed "$PID"
sweep_markers

# --- a first check that never ends ------------------------------------------
start_pub --segment "$T/seg7" --heartbeat 200ms --max-check-age 2s \
	--update-command "sleep 7201.$M"
until_reader 3 0 '^starting: first update check pending' --segment "$T/seg7" &&
	ok "first check running: starting, healthy" ||
	bad "first check running: starting, healthy" "$LAST"
until_reader 5 1 '^update check stale: first update check still running after [0-9]+s' --segment "$T/seg7" &&
	ok "first check running past --max-check-age: unhealthy, stale" ||
	bad "first check running past --max-check-age: unhealthy, stale" "$LAST"
expect "the reader's --max-check-age counts too" 0 '^starting' "$RDR" --segment "$T/seg7" --max-check-age 1h
kill -TERM "$PID"; wait "$PID"

# --- a log nobody reads ---------------------------------------------------
# stderr on a FIFO that is held open but never read, and full from the
# start: every log line would block a blocking write.
mkfifo "$T/fifo"
exec 7<>"$T/fifo"
dd if=/dev/zero of="$T/fifo" bs=4096 count=64 oflag=nonblock 2>/dev/null
"$PUB" --segment "$T/seg8" --heartbeat 100ms \
	--update-command "sleep 7301.$M" 2>"$T/fifo" &
PID=$!; pids+=("$PID")
# hb: the heartbeat count, read as the reader's JSON gives it.
hb() { "$RDR" --segment "$T/seg8" --format json 2>/dev/null |
	sed -n 's/.*"heartbeat_count": *\([0-9]*\).*/\1/p'; }
for ((i = 0; i < 40; i++)); do [ -n "$(hb)" ] && break; sleep 0.05; done
for ((i = 0; i < 3000; i++)); do kill -HUP "$PID" 2>/dev/null || break; done
h1=$(hb); sleep 0.5; h2=$(hb)
[ -n "$h1" ] && [ -n "$h2" ] && [ "$h2" -gt "$h1" ] &&
	ok "stderr full, 3000 SIGHUPs: the heartbeat goes on" ||
	bad "stderr full, 3000 SIGHUPs: the heartbeat goes on" "heartbeat count '$h1' then '$h2'"
# Nobody reads even now: SIGTERM must still stop it at once.
kill -TERM "$PID"
t0=$(date +%s%N)
for ((i = 0; i < 40; i++)); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
kill -0 "$PID" 2>/dev/null && alive=1 || alive=0
[ "$alive" -eq 0 ] && [ "$ms" -lt 1000 ] &&
	ok "stderr full and unread: SIGTERM stops the publisher within a second" ||
	bad "stderr full and unread: SIGTERM stops the publisher within a second" "still running: $alive after $ms ms"
kill -9 "$PID" 2>/dev/null; wait "$PID" 2>/dev/null
exec 7<&-
l=$(left "sleep 7301\.$M")
[ -z "$l" ] && ok "stderr full: the check is killed on stop" || bad "stderr full: the check is killed on stop" "$l"
sweep_markers

# A burst of SIGHUPs during a check: said once, then counted, not a line
# each.  The FIFO is read only after the stop.
exec 7<>"$T/fifo"
"$PUB" --segment "$T/seg9" --heartbeat 100ms \
	--update-command "sleep 7302.$M" 2>"$T/fifo" &
PID=$!; pids+=("$PID")
until_reader 5 0 '^starting' --segment "$T/seg9"
for ((i = 0; i < 3000; i++)); do kill -HUP "$PID" 2>/dev/null || break; done
sleep 0.2
timeout 3 cat <&7 >"$T/fifo.out" &
cat_pid=$!
kill -TERM "$PID"; wait "$PID"
wait "$cat_pid"
exec 7<&-
n=$(grep -c 'a check is already running' "$T/fifo.out")
[ "$n" -eq 1 ] && grep -Eq '\]: [0-9]+ more recheck signals ignored while the check ran' "$T/fifo.out" &&
	grep -q 'stopping on Terminated' "$T/fifo.out" &&
	ok "a SIGHUP burst is logged once, then counted" ||
	bad "a SIGHUP burst is logged once, then counted" "$n times; $(tail -n 3 "$T/fifo.out")"
sweep_markers

done_tests hostile-children
