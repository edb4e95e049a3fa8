#!/bin/sh
# SPDX-License-Identifier: MIT
# The service (CMD) for the wrapper-mode test in tests/podman.sh.  Logs each
# signal it gets to /tmp/service.log, exits 7 on SIGTERM, and leaves three
# orphans (sleep 5, their parent subshell gone at once) that are reparented
# to the container's PID 1 and die there: zombies unless PID 1 reaps them.
log=/tmp/service.log
trap 'echo HUP >>$log' HUP
trap 'echo PWR >>$log' PWR
trap 'echo USR1 >>$log' USR1
trap 'echo TERM >>$log; exit 7' TERM
echo "started $$" >>$log
for _ in 1 2 3; do
	(sleep 5 &)
done
while :; do
	# wait, unlike a foreground command, returns at once on a trapped signal.
	sleep 1 &
	wait $!
done
