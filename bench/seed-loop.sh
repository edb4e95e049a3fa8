#!/bin/sh
# SPDX-License-Identifier: MIT
# The seed's background loop, reduced to its heartbeat so that it can stand
# next to shm-publisher's: mark the check alive, then `sleep` in a subshell,
# at the publisher's default heartbeat.  Writes what seed-check.sh reads.
#   seed-loop.sh DIR [PERIOD_SECONDS]
dir=$1
period=${2:-10}
mkdir -p "$dir" || exit 1
echo $$ >"$dir/pid"
while :; do
	: >"$dir/healthy"
	(sleep "$period")
done
