#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Case 5: the same checks through a real runtime.  Builds a root filesystem
# (busybox-static, the static publisher and reader, the floor and the seed's
# scripts), imports it, starts three containers that each run the publisher
# and the seed's loop, differing only in their health command, and times
# `podman healthcheck run` for each, interleaved.  Configured as the
# end-to-end tests configure it (tests/podman-env.sh: runc, explicit
# ulimits, cgroupfs, file events, no network), through a private
# containers.conf.
#
# With a PROBE command (bench/httpget probe ...), case 7 runs next, while
# the containers are up: `podman healthcheck run` of the reader's container
# joins it as its podman-reader case.
#
#   podman.sh BUILD WORKDIR ROUNDS [PROBE...]
# Prints SUMMARY lines, or `SUMMARY case=podman skipped=REASON`.
set -u
build=$1 work=$2 rounds=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
image=localhost/shmhealth-bench:latest
names=(shmhealth-bench-floor shmhealth-bench-reader shmhealth-bench-seed)

skip() {
	echo "SUMMARY case=podman skipped=$1"
	exit 0
}

cleanup() {
	podman rm -f -t 0 "${names[@]}" >/dev/null 2>&1
	podman rmi -f "$image" >/dev/null 2>&1
}

# The podman set-up the end-to-end tests use (tests/podman-env.sh).
. "$here/../tests/podman-env.sh"
podman_env_setup "$work" || skip "$(printf '%s' "$PODMAN_ENV_ERR" | tr -c 'A-Za-z0-9.:-' _)"
busybox=$PODMAN_BUSYBOX

# The root filesystem: just enough for the publisher, the seed's loop and
# the three checks.
root=$work/rootfs
rm -rf "$root"
mkdir -p "$root"/{bin,usr/local/bin,tmp,dev,proc,sys,etc,run}
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
for a in sh cat test sleep mkdir; do ln -s busybox "$root/bin/$a"; done
cp "$build/static/shm-publisher" "$build/static/shm-reader" \
	"$build/bench/floor" "$here/seed-check.sh" "$here/seed-loop.sh" \
	"$root/usr/local/bin/"
tar -C "$root" -cf "$work/rootfs.tar" . || skip "tar-failed"

cleanup
trap cleanup EXIT
podman import -q "$work/rootfs.tar" "$image" >"$work/podman.log" 2>&1 ||
	skip "import-failed:$(tail -n1 "$work/podman.log" | tr -c 'A-Za-z0-9.:-' _)"

# Every container runs both background loops, so any check finds its files.
entry='shm-publisher --manager none --daemon && exec sh /usr/local/bin/seed-loop.sh /tmp/x 10'
start() {
	podman run -d --name "$1" --network=none --health-cmd "$2" \
		--health-interval 1h "$image" /bin/sh -c "$entry" \
		>>"$work/podman.log" 2>&1
}
if ! { start "${names[0]}" 'CMD /usr/local/bin/floor' &&
	start "${names[1]}" 'CMD /usr/local/bin/shm-reader' &&
	start "${names[2]}" 'CMD /bin/sh /usr/local/bin/seed-check.sh /tmp/x'; }; then
	skip "run-failed:$(grep -v 'systemd' "$work/podman.log" | tail -n1 | tr -c 'A-Za-z0-9.:-' _)"
fi

# Wait until every check answers healthy once.
for n in "${names[@]}"; do
	for _ in $(seq 50); do
		podman healthcheck run "$n" >/dev/null 2>&1 && continue 2
		sleep 0.2
	done
	skip "unhealthy:$n"
done

podman=$(command -v podman)
"$build/bench/spawn" -m -n "$rounds" -w 2 -s podman-seed \
	podman-floor "$podman" healthcheck run "${names[0]}" -- \
	podman-reader "$podman" healthcheck run "${names[1]}" -- \
	podman-seed "$podman" healthcheck run "${names[2]}"

[ $# -eq 0 ] || "$@" -- podman-reader "$podman" healthcheck run "${names[1]}"
