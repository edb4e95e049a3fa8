#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `make bench`, made small (a few rounds, windows of a second or two, one
# podman round; of case 6 only the publisher alone, which needs neither
# root nor the network), into a scratch directory: every case reports,
# ladder-calls reads the segment as the reader does, and the report and
# the plot are written.  The figures themselves are not judged, that is for a full
# run on a quiet machine; only the size target is, which is no timing.
# Ends with "bench: N passed, N failed".
set -u
cd "$(dirname "$0")/.."

. tests/lib.sh

out=$T/out
log=$T/bench.log
# The plain build, also under `make sanitize` (which sets this).
BUILD=${SHMHEALTH_BENCH_BUILD:-$BUILD} BENCH_OUT=$out BENCH_ROUNDS=20 BENCH_SNAPSHOTS=2000 \
	BENCH_INTERVAL_SECS=1 BENCH_FOOTPRINT_SECS=2 BENCH_SERVE_SECS=2 \
	BENCH_SERVE_RATE=100 BENCH_PODMAN_ROUNDS=1 \
	BENCH_MANAGER_ROUNDS=1 BENCH_MANAGERS=alone bench/run.sh >"$log" 2>&1
check "bench/run.sh exits 0" $? "$(tail -n 20 "$log")"

# summary CASE: its SUMMARY line, or nothing.
summary() { grep -E "^SUMMARY case=$1 " "$log"; }

missing=
for c in size floor ladder-exit ladder-calls reader-static reader-dynamic \
	seed curl snapshot-uncontended snapshot-contended \
	snapshot-read-uncontended snapshot-read-contended \
	interval-reader-1ms interval-seed-1000ms footprint-publisher-static \
	footprint-seed-loop podman-floor podman-reader podman-seed \
	manager-alone probe-httpget probe-reader-static probe-podman-reader \
	serve-idle serve-loaded; do
	summary "$c" >/dev/null || missing="$missing $c"
done
check "every case prints its SUMMARY line" "$([ -z "$missing" ]; echo $?)" \
	"missing:$missing"

# Each check answered 0 every time: the reader and the ladder's programs
# found the segment healthy and its sequence steady.
failing=$(grep -E '^SUMMARY case=(reader-static|ladder-(exit|calls)) ' "$log" |
	grep -v ' fails=0$')
check "the reader and the ladder never fail" "$([ -z "$failing" ]; echo $?)" \
	"$failing"

# Case 7: every probe answered (200 or 503, the reader 0), and every
# request of the serving window was sent and answered.
failing=$(grep -E '^SUMMARY case=(probe-[a-z-]+|serve-loaded) ' "$log" |
	grep -Ev ' fails=0( |$)')
check "case 7: every probe and every request answers" \
	"$([ -z "$failing" ]; echo $?)" "$failing"
check "case 7: the serving window sent its 200 requests" \
	"$(summary serve-loaded | grep -q ' requests=200 '; echo $?)" \
	"$(summary serve-loaded)"

# The publisher's checks and the bare runs beside them all succeeded.
check "case 6: every run of the publisher alone and of the floor succeeds" \
	"$(summary manager-alone | grep -q ' pub_fails=0 bare_fails=0$'; echo $?)" \
	"$(summary manager-alone)"

# No snapshot, by mapping or by pread, ever torn, nor out of tries: one by
# pread that a writer starves maps the segment.
torn=$(grep -E '^SUMMARY case=snapshot-' "$log" | grep -Ev ' torn=0( |$)')
check "no torn snapshot" "$([ -z "$torn" ]; echo $?)" "$torn"
busy=$(grep -E '^SUMMARY case=snapshot-' "$log" | grep -Ev ' fails=0( |$)')
check "no snapshot out of tries, by pread under a writer included" \
	"$([ -z "$busy" ]; echo $?)" "$busy"

md=$out/results.md
# The Targets table: exactly its four rows, each measured and judged.
targets=$(sed -n '/^## Targets/,/^## 1\./p' "$md" 2>/dev/null | grep '^| ' |
	tail -n +2)
n=0
while IFS= read -r row; do
	printf '%s\n' "$targets" | grep -F -- "$row" |
		grep -Eq '\| [0-9.]+ (×|bytes) \| (met|\*\*missed\*\*) \|' && n=$((n + 1))
done <<'EOF'
| static `shm-reader` at most 1.30 × the floor
| static `shm-reader` at least 8 × cheaper than the seed's check
| static `shm-reader` at most 65536 bytes, stripped
| `podman healthcheck run` with `shm-reader` at most 1.02 ×
EOF
check "results.md has the four targets, each measured and judged" \
	"$([ "$n" -eq 4 ] && [ "$(printf '%s\n' "$targets" | wc -l)" -eq 4 ]; echo $?)" \
	"$targets"

# The size is no timing: that target holds on any machine.
bytes=$(summary size | sed -E 's/.* reader_bytes=([0-9]+).*/\1/')
check "the static reader is at most 64 KiB (65536 bytes), stripped" \
	"$([ "${bytes:-65537}" -le 65536 ]; echo $?)" "$(summary size)"
check "results.md says the size target is met" \
	"$(grep -q '^| static `shm-reader` at most 65536 bytes, stripped | [0-9]* bytes | met |' "$md"; echo $?)"

check "results.md has the ladder" \
	"$(grep -q "^| the reader's system calls, musl | [0-9.]* |" "$md"; echo $?)"
check "results.md shows no unrun cell in table 1" \
	"$(sed -n '/^## 1\./,/^## 2\./p' "$md" | grep -q '| - |'; [ $? -ne 0 ]; echo $?)"
check "results.md has case 6's row of the publisher alone" \
	"$(grep -q '^| the publisher alone: its one step the floor | 1 | [0-9.]* ms |' "$md"; echo $?)"
# Section 7: its two tables, every row there and measured, none "-".
sect7=$(sed -n '/^## 7\./,$p' "$md" 2>/dev/null)
n=0
num='[0-9]+(\.[0-9]+)?'
while IFS= read -r re; do
	printf '%s\n' "$sect7" | grep -Eq -- "$re" && n=$((n + 1))
done <<EOF
^\| httpGet: \`GET /healthz\` to the publisher, loopback \| [0-9]+( \| $num){5} \| [^|-][^|]* \|$
^\| exec: fork\+exec of the static \`shm-reader\` \| [0-9]+( \| $num){5} \| [^|-][^|]* \|$
^\| \`podman healthcheck run\` of \`shm-reader\` \| [0-9]+( \| $num){5} \| [^|-][^|]* \|$
^\| listening, no requests \| 0 \| 0( \| $num){5} \|$
^\| serving 100 requests a second \| 200 \| 0( \| $num){5} \|$
^\| difference, serving − idle \| \| \|( [+-]$num \|){5}$
EOF
check "results.md has section 7's six rows, each measured" \
	"$([ "$n" -eq 6 ]; echo $?)" "$sect7"
check "results.md shows no unrun cell in section 7" \
	"$(printf '%s\n' "$sect7" | grep -q '| - |'; [ $? -ne 0 ]; echo $?)" "$sect7"

check "results.png is a PNG" \
	"$(head -c 8 "$out/results.png" 2>/dev/null | od -An -tx1 | tr -d ' \n' |
		grep -qx '89504e470d0a1a0a'; echo $?)"

done_tests bench
