#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every Check suite given as an argument, then the shell tests, and ends
# with one line "N passed, N failed" over all of them.  With --quick first,
# only the shell tests that need no root, container runtime or package
# manager (make check).
#
#	run-all.sh [--quick] SUITE...
set -u
cd "$(dirname "$0")/.."

quick=0
if [ "${1:-}" = --quick ]; then
	quick=1
	shift
fi

passed=0 failed=0 status=0
for t in "$@"; do
	echo "== $t"
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	# Check's summary: "100%: Checks: 12, Failures: 0, Errors: 0"
	line=$(printf '%s\n' "$out" | grep -E 'Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' | tail -n 1)
	if [ -z "$line" ]; then
		echo "$t: no Check summary (exit $rc)"
		failed=$((failed + 1)) status=1
		continue
	fi
	n=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
	f=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
	e=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
	passed=$((passed + n - f - e)) failed=$((failed + f + e))
	[ "$rc" -eq 0 ] && [ $((f + e)) -eq 0 ] || status=1
done

# run_script LABEL CMD...: one shell test, counted by its closing line.
run_script() {
	local label=$1 out rc line p f
	shift
	echo "== $label"
	out=$("$@" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed$' | tail -n 1)
	if [ -z "$line" ]; then
		echo "$label: no summary (exit $rc)"
		failed=$((failed + 1)) status=1
		return
	fi
	p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed/\1/' <<<"$line")
	passed=$((passed + p)) failed=$((failed + f))
	[ "$rc" -eq 0 ] || status=1
}

if [ "$quick" -eq 1 ]; then
	for script in tests/layers.sh tests/cli.sh; do
		run_script "$script" "$script"
	done
	echo "total: $passed passed, $failed failed"
	exit $status
fi

for script in tests/layers.sh tests/cli.sh tests/reader.sh tests/layout.sh tests/http.sh \
	tests/apt.sh tests/managers.sh tests/crash.sh tests/resource.sh \
	tests/hostile-input.sh tests/hostile-textfile.sh tests/hostile-segment.sh \
	tests/hostile-children.sh tests/podman.sh tests/debian-image.sh \
	tests/prom-rules.sh tests/prometheus.sh tests/bench.sh; do
	run_script "$script" "$script"
done
# The reader's tests again against the static reader, on musl.
run_script "tests/reader.sh, static reader" env \
	SHMHEALTH_READER="${STATIC_BUILD:-${BUILD:-build}/static}/shm-reader" \
	tests/reader.sh

echo "total: $passed passed, $failed failed"
exit $status
