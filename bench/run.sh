#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make bench`: every benchmark of the health check, one SUMMARY line per
# case on standard output, then bench/results.md and bench/results.png.
# A few minutes with the defaults, the longest parts the package managers
# (case 6) and podman (cases 5 and 7); each knob below trades time for
# precision.
#
#   BUILD=build bench/run.sh
#   BUILD=build BENCH_ONLY=managers bench/run.sh    (`make bench-managers`)
#
# Knobs (environment):
#   BENCH_ROUNDS=2000        health-check rounds; each runs every candidate once
#   BENCH_SNAPSHOTS=100000   in-process snapshots per batch (9 batches a case)
#   BENCH_INTERVAL_SECS=5    seconds each check runs at each period
#   BENCH_FOOTPRINT_SECS=60  the publisher's measured window
#   BENCH_PODMAN_ROUNDS=100  `podman healthcheck run`s per check; 0 skips podman
#   BENCH_SERVE_SECS=20      the window of the publisher serving /healthz
#   BENCH_SERVE_RATE=100     requests a second in that window
#   BENCH_MANAGER_ROUNDS=5   update checks per package manager and side; 0
#                            skips them
#   BENCH_MANAGERS="alone apt dnf zypper pacman"   which of them
#   BENCH_ONLY=managers      case 6 alone: its section of results.md is
#                            replaced, the rest kept, results.png untouched
#   BENCH_OUT=bench          where results.md and results.png go
set -euo pipefail

build=${BUILD:-build}
rounds=${BENCH_ROUNDS:-2000}
snapshots=${BENCH_SNAPSHOTS:-100000}
interval_secs=${BENCH_INTERVAL_SECS:-5}
footprint_secs=${BENCH_FOOTPRINT_SECS:-60}
podman_rounds=${BENCH_PODMAN_ROUNDS:-100}
serve_secs=${BENCH_SERVE_SECS:-20}
serve_rate=${BENCH_SERVE_RATE:-100}
manager_rounds=${BENCH_MANAGER_ROUNDS:-5}
read -r -a managers <<<"${BENCH_MANAGERS:-alone apt dnf zypper pacman}"
only=${BENCH_ONLY:-}
out=${BENCH_OUT:-bench}
here=$(cd "$(dirname "$0")" && pwd)
bin=$build/bench
work=$build/bench/work
seg=shmhealth-bench-$$
summary=$work/summary.txt
pids=()

say() { printf '%s\n' "bench: $*" >&2; }

# Background helpers die with us, whatever the exit.
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -f "/dev/shm/$seg" "/dev/shm/$seg.lock" /dev/shm/shmhealth-bench-fp-* \
		/dev/shm/shmhealth-bench-serve-*
}
trap cleanup EXIT

need() {
	command -v "$1" >/dev/null ||
		{ say "$1 not found: apt-get install -y $2"; exit 1; }
}
case $only in
"")
	need curl curl
	need busybox busybox-static
	;;
managers) ;;
*)
	say "BENCH_ONLY=$only: only managers can run alone"
	exit 1
	;;
esac

rm -rf "$work"
mkdir -p "$work/seed" "$work/www"
: >"$summary"

# Runs a benchmark program, echoing its SUMMARY lines and keeping them.
record() {
	"$@" | tee -a "$summary"
}

# port_of LOG: the port a publisher said it listens on, or nothing.
port_of() { sed -nE 's/.*listening on .*:([0-9]+) for .*/\1/p' "$1" | tail -n 1; }

# The publisher whose segment every reader reads: static, default heartbeat,
# no package manager (the check's cost does not depend on what it found),
# serving /healthz on a loopback port of its choosing (case 7; no other case
# sends it a request).
start_publisher() {
	"$build/static/shm-publisher" --manager none --segment "$seg" \
		--listen 127.0.0.1:0 2>"$work/publisher.log" &
	pids+=($!)
	pub_pid=$!
	local _
	for _ in $(seq 100); do
		pub_port=$(port_of "$work/publisher.log")
		[ -n "$pub_port" ] &&
			"$build/static/shm-reader" --segment "$seg" --quiet &&
			return 0
		sleep 0.05
	done
	say "publisher did not come up: $(cat "$work/publisher.log")"
	exit 1
}

# The usual HEALTHCHECK's endpoint: busybox httpd on loopback.
start_httpd() {
	local port _
	echo ok >"$work/www/health"
	for _ in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 40000))
		busybox httpd -f -p "127.0.0.1:$port" -h "$work/www" &
		pids+=($!)
		sleep 0.2
		if curl -fsS -o /dev/null "http://127.0.0.1:$port/health"; then
			health_url=http://127.0.0.1:$port/health
			return 0
		fi
	done
	say "no local HTTP endpoint could be started"
	exit 1
}

# 1. Whole process: spawn, wait; interleaved.  The ladder's two programs
# (bench/ladder.c) stand between the floor and the static reader.
bench_spawn() {
	say "health check, whole process: $rounds rounds"
	record "$bin/spawn" -n "$rounds" -s seed \
		floor "$bin/floor" -- \
		ladder-exit "$bin/ladder-exit" -- \
		ladder-calls "$bin/ladder-calls" "$seg" -- \
		reader-static "$build/static/shm-reader" --segment "$seg" -- \
		reader-dynamic "$build/shm-reader" --segment "$seg" -- \
		seed /bin/sh "$here/seed-check.sh" "$work/seed" -- \
		curl "$(command -v curl)" -fsS -o /dev/null "$health_url"
}

# 3. High-frequency intervals, the static reader and the seed's check.
bench_interval() {
	local p
	say "intervals: ${interval_secs}s per period and check"
	for p in 1 10 100 1000; do
		record "$bin/interval" -p "$p" -t "$interval_secs" \
			"interval-reader-${p}ms" "$build/static/shm-reader" \
			--segment "$seg"
		record "$bin/interval" -p "$p" -t "$interval_secs" \
			"interval-seed-${p}ms" /bin/sh "$here/seed-check.sh" \
			"$work/seed"
	done
}

# 4. Background footprint, all three side by side.
bench_footprint() {
	say "footprint: ${footprint_secs}s window"
	record "$bin/footprint" -t "$footprint_secs" \
		footprint-publisher-static "$build/static/shm-publisher" \
		--manager none --segment shmhealth-bench-fp-static -- \
		footprint-publisher-dynamic "$build/shm-publisher" \
		--manager none --segment shmhealth-bench-fp-dynamic -- \
		footprint-seed-loop /bin/sh "$here/seed-loop.sh" \
		"$work/seed-loop" 10
}

# 7. The probe: one httpGet-style request to the publisher's /healthz
# beside a fork+exec of the static reader on the same segment, interleaved;
# podman.sh adds `podman healthcheck run` of shm-reader to the same run,
# every few rounds, while its containers are up.
probe_cmd=()
set_probe_cmd() {
	local every=1
	[ "$podman_rounds" -gt 0 ] && every=$(((rounds + podman_rounds - 1) / podman_rounds))
	probe_cmd=("$bin/httpget" probe -n "$rounds" -P "$pub_pid"
		-e "podman-reader=$every" "$pub_port"
		reader-static "$build/static/shm-reader" --segment "$seg")
}

bench_podman() {
	if [ "$podman_rounds" -eq 0 ]; then
		record echo "SUMMARY case=podman skipped=BENCH_PODMAN_ROUNDS=0"
		return
	fi
	say "podman: $podman_rounds rounds, then the probe with podman"
	record "$here/podman.sh" "$build" "$work/podman" "$podman_rounds" \
		"${probe_cmd[@]}"
}

# Case 7 without podman, when podman.sh did not run it.
bench_probe() {
	grep -q '^SUMMARY case=probe-httpget ' "$summary" && return
	say "probe: $rounds rounds, without podman"
	record "${probe_cmd[@]}"
	record echo "SUMMARY case=probe-podman-reader skipped=$(val_skipped)"
}
val_skipped() {
	sed -nE 's/^SUMMARY case=podman skipped=([^ ]*).*/\1/p' "$summary" |
		tail -n 1 | grep . || echo podman-failed
}

# 8. The publisher's cost of serving: two static publishers listening side
# by side, one sent BENCH_SERVE_RATE requests a second, the other none.
bench_serve() {
	local k spid=() sport=() _
	say "serving: ${serve_secs}s window, $serve_rate requests a second"
	for k in idle loaded; do
		"$build/static/shm-publisher" --manager none \
			--segment "shmhealth-bench-serve-$k" \
			--listen 127.0.0.1:0 2>"$work/serve-$k.log" &
		pids+=($!)
		spid+=($!)
	done
	for k in idle loaded; do
		for _ in $(seq 100); do
			[ -n "$(port_of "$work/serve-$k.log")" ] && break
			sleep 0.05
		done
		sport+=("$(port_of "$work/serve-$k.log")")
		[ -n "${sport[-1]}" ] ||
			{ say "publisher did not listen: $(cat "$work/serve-$k.log")"; exit 1; }
	done
	record "$bin/httpget" serve -t "$serve_secs" -r "$serve_rate" \
		"${sport[1]}" "${spid[0]}" "${spid[1]}"
	kill "${spid[@]}" 2>/dev/null || true
}

# 6. One update check per package manager, through the publisher and bare
# (bench/managers.sh).
bench_managers() {
	if [ "$manager_rounds" -eq 0 ]; then
		record echo "SUMMARY case=managers skipped=BENCH_MANAGER_ROUNDS=0"
		return
	fi
	say "package managers: $manager_rounds rounds each: ${managers[*]}"
	record "$here/managers.sh" "$build" "$manager_rounds" "${managers[@]}"
}

# The size of what is copied into an image: the static programs, stripped.
record_size() {
	echo "SUMMARY case=size reader_bytes=$(stat -c %s "$build/static/shm-reader")" \
		"publisher_bytes=$(stat -c %s "$build/static/shm-publisher")" |
		tee -a "$summary"
}

start=$(date +%s)
# Other work on the machine shows in the p99s: the report says how busy it was.
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "$only" = managers ]; then
	bench_managers
	say "writing case 6 into $out/results.md"
	BENCH_ONLY=managers BENCH_LOAD="$load_start / $(cut -d' ' -f1-3 /proc/loadavg)" \
		"$here/report.sh" "$summary" "$out"
	say "done in $(($(date +%s) - start))s"
	exit 0
fi
start_publisher
echo "$!" >"$work/seed/pid"
: >"$work/seed/healthy"
start_httpd

record_size
bench_spawn
say "snapshot in process"
record "$bin/snapshot" -n "$snapshots"
bench_interval
bench_footprint
bench_serve
set_probe_cmd
bench_podman
bench_probe
bench_managers

say "writing $out/results.md and $out/results.png"
BENCH_LOAD="$load_start / $(cut -d' ' -f1-3 /proc/loadavg)" \
	"$here/report.sh" "$summary" "$out"
say "done in $(($(date +%s) - start))s"
