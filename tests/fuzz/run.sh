#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the fuzz harnesses built in DIR: each first replays the committed
# seed corpus (tests/fuzz/corpus/HARNESS, the regressions included), then
# fuzzes for SECONDS over a copy of it in DIR/corpus/HARNESS.  A crash,
# sanitizer report, leak or broken output contract fails it, leaving the
# input in DIR/artifacts/.  Prints one SUMMARY line per harness and ends
# with "fuzz: N passed, N failed".
#
#	run.sh DIR SECONDS
set -u
cd "$(dirname "$0")/../.."

DIR=$1 SECONDS_EACH=$2
passed=0 failed=0
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# stat NAME LOG: a figure from libFuzzer's final statistics.
stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }

# judge HARNESS WHAT LOG RC: counts the run, showing the log's end if bad.
judge() {
	local h=$1 what=$2 log=$3 rc=$4
	if [ "$rc" -eq 0 ] && ! grep -Eq 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|^fuzz: ' "$log"; then
		passed=$((passed + 1))
		return 0
	fi
	failed=$((failed + 1))
	echo "FAIL $h: $what (exit $rc); the end of $log:"
	tail -n 40 "$log"
	return 1
}

mkdir -p "$DIR/artifacts"
for h in segment status log http; do
	bin=$DIR/fuzz_$h seeds=tests/fuzz/corpus/$h work=$DIR/corpus/$h
	log=$DIR/fuzz_$h.log
	# Big enough for a segment and its control bytes, or a status copy
	# and its own.
	case $h in segment) max_len=16384 ;; log | http) max_len=2048 ;; *) max_len=8192 ;; esac

	"$bin" -runs=0 -artifact_prefix="$DIR/artifacts/$h-" "$seeds" >"$log.replay" 2>&1
	judge "$h" "replay of $seeds" "$log.replay" $? || continue
	[ "$SECONDS_EACH" -gt 0 ] || continue

	rm -rf "$work"
	mkdir -p "$work"
	cp "$seeds"/* "$work"/
	"$bin" -max_total_time="$SECONDS_EACH" -max_len=$max_len -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$DIR/artifacts/$h-" \
		"$work" >"$log" 2>&1
	judge "$h" "fuzzing for ${SECONDS_EACH}s" "$log" $? || continue
	done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
	echo "SUMMARY fuzz_$h: ${SECONDS_EACH}s," \
		"execs $(stat number_of_executed_units "$log")," \
		"execs/s $(stat average_exec_per_sec "$log")," \
		"cov $(sed -En 's/.* cov: ([0-9]+).*/\1/p' <<<"$done_line")," \
		"ft $(sed -En 's/.* ft: ([0-9]+).*/\1/p' <<<"$done_line")," \
		"corpus $(ls "$work" | wc -l) (seeds $(ls "$seeds" | wc -l))," \
		"new $(stat new_units_added "$log"), crashes 0"
done

echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
