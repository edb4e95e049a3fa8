#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Prometheus alert rules of examples/prometheus/: promtool accepts them
# and passes their unit tests, and they cannot drift from the code: every
# shmhealth_* metric the rules and their tests name, and every label the
# rules read, is in the Prometheus text shm-reader prints for the live
# segments of real publishers (a name only a real package manager's index
# gives, from tests/golden/*.prom, which tests/check_report_fmt.c compares
# with the code).  Needs promtool (Debian package prometheus).  Ends with
# "prom-rules: N passed, N failed".
set -u
cd "$(dirname "$0")/.."

. tests/lib.sh

DIR=examples/prometheus
RULES=$DIR/shmhealth-rules.yml
TESTS=$DIR/shmhealth-rules.test.yml

# --- promtool -----------------------------------------------------------------
if command -v promtool >/dev/null; then
	out=$(promtool check rules "$RULES" 2>&1)
	check "promtool check rules" $? "$out"
	out=$(promtool test rules "$TESTS" 2>&1)
	check "promtool test rules" $? "$(head -n 20 <<<"$out")"
else
	bad "promtool installed (Debian package prometheus)"
fi

# --- what the code exports, from live segments --------------------------------
# A: security updates told (apt list --upgradable with -security suites),
# a passing and a failing probe.  B: a check that fails.  C: no update
# check.  And a missing segment: shmhealth_healthy alone.
start_pub --segment "$T/a" --heartbeat 200ms --update-format apt-list \
	--update-command "cat $FIX/apt/bookworm-list-upgradable.out" \
	--probe 'web:200ms:1s:true' --probe 'db:200ms:1s:false'
start_pub --segment "$T/b" --heartbeat 200ms --update-command false
start_pub --segment "$T/c" --heartbeat 200ms --manager none

# until_prom SEGMENT REGEX: poll the reader's Prometheus text for a line.
until_prom() {
	local i
	for ((i = 0; i < 100; i++)); do
		"$RDR" --format prometheus --segment "$1" 2>/dev/null |
			grep -Eq -- "$2" && return 0
		sleep 0.05
	done
	return 1
}
until_prom "$T/a" '^shmhealth_security_updates_pending\{manager="command"\} [1-9]' &&
	until_prom "$T/a" '^shmhealth_probe_up\{probe="db"\} 0$' &&
	until_prom "$T/b" '^shmhealth_check_failures\{manager="command"\} [1-9]' &&
	until_prom "$T/c" '^shmhealth_update_check_enabled 0$' &&
	ok "three live publishers" || bad "three live publishers"
for s in a b c none; do
	"$RDR" --format prometheus --segment "$T/$s"
done >"$T/live.prom" 2>&1
cat tests/golden/*.prom >"$T/golden.prom"

# The sampled names and labels of a file (HELP and TYPE lines name a metric
# that may have no sample).
names()  { grep -v '^#' "$1" | grep -oE '^[a-z_]+' | sort -u; }
labels() { grep -v '^#' "$1" | grep -oE '[{,][a-z_]+=' | tr -d '{,=' | sort -u; }
names "$T/live.prom" >"$T/live.names"
names "$T/golden.prom" >"$T/golden.names"
labels "$T/live.prom" >"$T/live.labels"
n=$(wc -l <"$T/live.names")
check "live output has samples ($n names)" $([ "$n" -ge 10 ] && echo 0 || echo 1)

# known NAME names|labels WHAT: NAME is in the live output, else (a metric)
# in the golden files.
known() {
	if grep -qx -- "$1" "$T/live.$2"; then
		ok "$3 $1 in the live output"
	elif [ "$2" = names ] && grep -qx -- "$1" "$T/golden.names"; then
		ok "$3 $1 in tests/golden/*.prom"
	else
		bad "$3 $1 exported" "not in shm-reader --format prometheus of a live segment nor in tests/golden/*.prom"
	fi
}

used=$(grep -E '^[[:space:]]*expr:' "$RULES" | grep -oE '\bshmhealth_[a-z0-9_]+' | sort -u)
check "the rules name metrics" $([ -n "$used" ] && echo 0 || echo 1)
for m in $used; do known "$m" names "rules' metric"; done

series=$(grep -E '^[[:space:]]*- series:' "$TESTS" | grep -oE '\bshmhealth_[a-z0-9_]+' | sort -u)
for m in $series; do known "$m" names "tests' series"; done

# Labels the rules read, but for job and instance, which the scrape adds.
lbls=$( (grep -oE '\$labels\.[a-z_]+' "$RULES" | sed 's/.*\.//'
	grep -oE '(on|ignoring|by|without)\([a-z_, ]*\)' "$RULES" |
		sed -E 's/.*\((.*)\)/\1/' | tr ', ' '\n\n') |
	grep -vxE 'job|instance|' | sort -u)
for l in $lbls; do known "$l" labels "rules' label"; done

for p in "${pids[@]}"; do kill -TERM "$p"; wait "$p"; done
pids=()
done_tests prom-rules
