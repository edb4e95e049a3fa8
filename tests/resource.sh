#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Resource discipline, measured: SHMHEALTH_RESOURCE_CHECKS update checks
# (default 10000, SIGHUP after SIGHUP) and as many probe runs, and the
# publisher's descriptors and resident memory are the same at the end as
# after the first few hundred.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

want=${SHMHEALTH_RESOURCE_CHECKS:-10000}
printf 'pkg-a\npkg-b\n' >"$T/list"
LOG=/dev/null start_pub --segment "$T/seg" --heartbeat 100ms \
	--update-command "cat $T/list" --probe "p:10ms:1s:true"

# Signals before the publisher is up would find their default action.
until_reader 5 1 'Update' --segment "$T/seg" || bad "publisher up" "$LAST"

checks() { "$RDR" --segment "$T/seg" --format json 2>/dev/null | jq -r '.updates.checks // 0'; }
# Descriptors when no check or probe runs: the fewest over 50 looks (a
# running child adds its pipes for a moment; a leak raises the least).
fds() {
	local n least=1000000
	for _ in $(seq 50); do
		n=$(ls "/proc/$PID/fd" | wc -l)
		[ "$n" -lt "$least" ] && least=$n
		sleep 0.005
	done
	echo "$least"
}
rss() { awk '/^VmRSS/ {print $2}' "/proc/$PID/status"; }

# hup_until N: SIGHUP until N checks have run (a HUP during a check is
# ignored, so keep sending).
hup_until() {
	local n=0 t0=$SECONDS
	while [ "$n" -lt "$1" ] && [ $((SECONDS - t0)) -lt 600 ]; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do kill -HUP "$PID"; sleep 0.002; done
		n=$(checks)
	done
	echo "$n"
}

n1=$(hup_until 300)
fd1=$(fds) rss1=$(rss)
t0=$(date +%s)
n2=$(hup_until "$want")
secs=$(($(date +%s) - t0))
fd2=$(fds) rss2=$(rss)
probes=$("$RDR" --segment "$T/seg" --format json | jq -r '.probes[0].last_run')
echo "SUMMARY resource checks=$n2 secs=$secs fds_at_${n1}=$fd1 fds_at_end=$fd2 rss_kb_at_${n1}=$rss1 rss_kb_at_end=$rss2"
check "$n2 update checks ran (wanted $want)" "$([ "$n2" -ge "$want" ] && echo 0 || echo 1)"
check "no descriptor leak: $fd1 open after $n1 checks, $fd2 after $n2" "$([ "$fd1" = "$fd2" ] && echo 0 || echo 1)"
# malloc keeps some slack (a few pages, up and down); a leak of even 100
# bytes a check would be a megabyte by the end.  Under AddressSanitizer,
# whose quarantine holds freed memory by design, the sanitize run raises
# the slack (SHMHEALTH_RESOURCE_SLACK_KB); valgrind looks for leaks there.
slack=${SHMHEALTH_RESOURCE_SLACK_KB:-256}
check "no memory growth: ${rss1} kB after $n1 checks, ${rss2} kB after $n2" \
	"$([ $((rss2 - rss1)) -le "$slack" ] && echo 0 || echo 1)"
check "the probe ran all along" "$([ "$probes" != null ] && echo 0 || echo 1)"
kill -TERM "$PID"; wait "$PID"
check "the publisher stopped cleanly" "$?"
done_tests resource
