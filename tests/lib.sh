# SPDX-License-Identifier: MIT
# Shared by the shell test scripts: the binaries, a scratch directory, and
# ok/bad/expect helpers that count.  The sourcing script ends with done_tests.

BUILD=${BUILD:-build}
PUB=$BUILD/shm-publisher
# The reader under test: SHMHEALTH_READER runs a script against another
# build (run-all.sh runs tests/reader.sh against the static one too).
RDR=${SHMHEALTH_READER:-$BUILD/shm-reader}
STATIC=${STATIC_BUILD:-$BUILD/static}
FIX=${SHMHEALTH_FIXTURES:-tests/fixtures}
T=$(mktemp -d /tmp/shmhealth-test.XXXXXX)
chmod 755 "$T"
pass=0 fail=0 pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

ok()  { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); echo "FAIL - $1"; [ $# -gt 1 ] && printf '  %s\n' "$2"; }

# check NAME CONDITION-STATUS [DETAIL]: ok when the status is 0.
check() { if [ "$2" -eq 0 ]; then ok "$1"; else bad "$1" "${3:-}"; fi; }

# expect NAME WANT_STATUS WANT_REGEX CMD...: run CMD, check status and output.
expect() {
	local name=$1 want=$2 re=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ] && grep -Eq -- "$re" <<<"$out"; then
		ok "$name"
	else
		bad "$name" "exit $rc, output: $(head -c 300 <<<"$out")"
	fi
}

# until_reader SECONDS STATUS REGEX ARGS...: poll the reader until it agrees.
until_reader() {
	local secs=$1 want=$2 re=$3 out rc i
	shift 3
	for ((i = 0; i < secs * 20; i++)); do
		out=$("$RDR" "$@" 2>&1)
		rc=$?
		if [ "$rc" -eq "$want" ] && grep -Eq -- "$re" <<<"$out"; then
			LAST=$out
			return 0
		fi
		sleep 0.05
	done
	LAST="exit $rc: $out"
	return 1
}

# until_log SECONDS REGEX FILE: wait for a line in a publisher log.
until_log() {
	local i
	for ((i = 0; i < $1 * 20; i++)); do
		grep -Eq -- "$2" "$3" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

start_pub() {
	"$PUB" "$@" 2>>"${LOG:-$T/pub.log}" &
	PID=$!
	pids+=("$PID")
}

# done_tests NAME: the closing line run-all.sh reads, and the exit status.
done_tests() {
	echo "$1: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
