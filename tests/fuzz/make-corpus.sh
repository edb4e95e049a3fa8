#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Remakes the fuzz seed corpus: runs the real shm-publisher in a few
# situations, copies each segment it writes, and has mkseed add the
# damaged variants (tests/fuzz/mkseed.c).  Files named regress-* are
# inputs that once failed, added by hand, and are kept.  Run by `make fuzz-corpus`;
# review and commit the result.
#
#	make-corpus.sh BUILD MKSEED OUTDIR
set -euo pipefail
cd "$(dirname "$0")/../.."

BUILD=$1 MKSEED=$2 OUT=$3
PUB=$BUILD/shm-publisher RDR=$BUILD/shm-reader
T=$(mktemp -d /dev/shm/shmhealth-corpus-XXXXXX)
cleanup() {
	local j
	j=$(jobs -p)
	[ -z "$j" ] || kill $j 2>/dev/null || true
	rm -rf "$T"
}
trap cleanup EXIT

# `apt list --upgradable` as Debian prints it: one security update.
cat >"$T/apt.out" <<'EOF'
Listing...
base-files/stable 12.4+deb12u9 amd64 [upgradable from: 12.4+deb12u8]
libssl3/stable-security 3.0.15-1~deb12u1 amd64 [upgradable from: 3.0.14-1~deb12u2]
tzdata/stable-updates 2025a-0+deb12u1 all [upgradable from: 2024b-0+deb12u1]
EOF
seq 1 400 | sed 's/^/lib-with-a-rather-long-package-name-/' >"$T/many.out"

# publish NAME [WAIT] -- ARGS...: starts the publisher on $T/NAME, waits
# until its first update check ended (or WAIT seconds, for "starting"),
# then for the probes, and copies the segment to $T/NAME.seg.  The
# publisher stays up; stop it with `halt NAME`.
declare -A PIDS
publish() {
	local name=$1 wait=${2:-} i
	shift 2
	"$PUB" --segment "$T/$name" "$@" 2>>"$T/log" &
	PIDS[$name]=$!
	if [ -n "$wait" ]; then
		sleep "$wait"
	else
		for i in $(seq 100); do
			[ -e "$T/$name" ] &&
				! "$RDR" --segment "$T/$name" | grep -q '^starting\|^no segment' &&
				break
			sleep 0.1
		done
		sleep 1.5	# the probes' first runs
	fi
	cp "$T/$name" "$T/$name.seg"
}

halt() {
	kill -TERM "${PIDS[$1]}"
	wait "${PIDS[$1]}" || true
}

# The first is mkseed's base for the damaged variants: it has every part.
publish full "" --update-command "cat $T/apt.out" --update-format apt-list \
	--probe web:1s:1s:true \
	--probe 'db:1s:1s:echo "db down | connection refused"; exit 2' \
	--probe 'cron:1s:1s:kill -KILL $$' --probe-retries 1
publish none "" --manager none
publish clean "" --update-command true
publish many "" --update-command "cat $T/many.out"
publish failing "" --update-command 'echo "E: Could not resolve deb.debian.org" >&2; exit 100' \
	--max-failures 0
publish policy "" --update-command "cat $T/apt.out" --update-format apt-list \
	--on-updates report --security-only --min-updates 2 --grace 1h \
	--max-check-age 2d --max-failures 5 --starting unhealthy --heartbeat 2s
publish starting 0.5 --update-command 'sleep 30' --starting unhealthy \
	--probe 'slow:1s:1s:exit 1'
halt full
cp "$T/full" "$T/stopped.seg"
for n in none clean many failing policy starting; do halt "$n"; done

# Inputs that once failed (regress-*) stay; everything else is remade.
mkdir -p "$OUT/segment" "$OUT/status"
find "$OUT/segment" "$OUT/status" -type f ! -name 'regress-*' -delete
"$MKSEED" "$OUT" running="$T/full.seg" stopped="$T/stopped.seg" \
	none="$T/none.seg" clean="$T/clean.seg" many="$T/many.seg" \
	failing="$T/failing.seg" policy="$T/policy.seg" starting="$T/starting.seg"
echo "make-corpus: $(find "$OUT" -type f | wc -l) files, $(du -sk "$OUT" | cut -f1) KB in $OUT"
