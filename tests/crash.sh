#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real publisher SIGKILLed at random moments (SHMHEALTH_CRASH_ROUNDS,
# default 1000): each time the reader answers at once with 0 or 1 and a
# reason, never "healthy" from a dead publisher once its heartbeat is
# stale, and the next publisher takes the segment over.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

rounds=${SHMHEALTH_CRASH_ROUNDS:-1000}
seg=$T/seg
bad_answer=0 refused=0 hung=0 stale_ok=0
t0=$(date +%s)
for ((i = 0; i < rounds; i++)); do
	"$PUB" --segment "$seg" --heartbeat 10ms --update-command true 2>>"$T/pub.log" &
	pid=$!
	sleep "0.0$((RANDOM % 30))"
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	[ $? -eq 137 ] || refused=$((refused + 1))	# it had exited: refused?
	out=$(timeout 2 "$RDR" --segment "$seg" 2>&1)
	rc=$?
	[ "$rc" -eq 124 ] && hung=$((hung + 1))
	case "$rc:$out" in
	[01]:?*) ;;
	*) bad_answer=$((bad_answer + 1)) ;;
	esac
done
secs=$(($(date +%s) - t0))
# Dead for longer than three heartbeats: the reader must say so.
sleep 0.05
out=$("$RDR" --segment "$seg" 2>&1) && stale_ok=1
echo "SUMMARY crash-publisher kills=$rounds hung=$hung bad_answer=$bad_answer refused_takeover=$refused secs=$secs"
check "$rounds SIGKILLs: the reader never hung" "$hung"
check "$rounds SIGKILLs: every answer was 0 or 1 with a reason" "$bad_answer"
check "$rounds SIGKILLs: every new publisher took the segment over" "$refused" "$(grep -c 'in use' "$T/pub.log") refusals"
check "after the last kill the reader says the publisher is not running" "$stale_ok" "$out"
done_tests crash
