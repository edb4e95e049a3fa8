#!/bin/sh
# SPDX-License-Identifier: MIT
# Container entrypoint: start the shmhealth publisher in the background, then
# become the service (CMD).  `--daemon` returns 0 only once the segment is
# live, so the first health check never sees a half-started publisher; if it
# cannot start, the container fails at once instead of running unchecked.
#
# Configure the publisher with SHMHEALTH_* variables (ENV in the Dockerfile,
# `environment:` in compose, `env:` in Kubernetes), e.g.
#   SHMHEALTH_INTERVAL=12h  SHMHEALTH_ON_UPDATES=report  SHMHEALTH_IGNORE='linux-*'
#
# `exec` makes the service PID 1, which may never reap the publisher if it
# dies: shm-reader judges liveness by the heartbeat, not by the pid, so a
# dead publisher still reads as "publisher not running".  For a PID 1 that
# passes signals on and reaps zombies, use wrapper mode instead:
#   ENTRYPOINT ["shm-publisher", "--"]
shm-publisher --daemon || exit 1
exec "$@"
