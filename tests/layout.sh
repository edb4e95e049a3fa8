#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# doc/layout.md against the real segment: examples/read_segment.py, a
# reader written from that page alone, must read what a live shm-publisher
# writes exactly as shm-reader --format json does, field by field (live,
# frozen with SIGSTOP, stopped, and a copy with lists and an error set by
# setseg), and must refuse what shm-reader refuses: a bad magic, another
# layout version, header sizes that do not match, a wrong size, a mode
# others can write, a symlink, an invalid state.  Needs python3, jq and
# build/tests/setseg.  Ends with "layout: N passed, N failed".
set -u
cd "$(dirname "$0")/.."

. tests/lib.sh

PY=examples/read_segment.py
SETSEG=$BUILD/tests/setseg
for tool in jq python3 "$SETSEG"; do
	command -v "$tool" >/dev/null || bad "$tool installed"
done

# agree NAME JQ_FILTER SEGMENT: both readers print JSON for SEGMENT and
# the filter, given $r (shm-reader's) and $p (the Python reader's), holds.
agree() {
	local name=$1 filter=$2 seg=$3 r p
	r=$("$RDR" --format json --segment "$seg" 2>&1)
	p=$(python3 "$PY" "$seg" 2>&1)
	if jq -en --argjson r "$r" --argjson p "$p" "$filter" >/dev/null 2>&1; then
		ok "$name"
	else
		bad "$name" "shm-reader: $(head -c 600 <<<"$r")
  python: $(head -c 600 <<<"$p")"
	fi
}

# Fields that hold still while the publisher runs.
STABLE='
	$r.publisher.pid == $p.pid and $r.publisher.state == $p.state and
	$r.publisher.started == $p.started and
	($r.publisher.heartbeat_interval_s * 1000 | round) == $p.heartbeat_interval_ms and
	$r.updates.backend == $p.update.backend and
	$r.updates.checked == $p.update.checked and
	$r.updates.pending == $p.update.pending and
	$r.updates.security == $p.update.security and
	$r.updates.names == $p.update.names and
	$r.updates.names_omitted == $p.update.names_omitted and
	$r.updates.checks == $p.update.checks and
	$r.updates.consecutive_failures == $p.update.consecutive_failures and
	$r.updates.last_attempt == $p.update.last_attempt and
	$r.updates.last_success == $p.update.last_success and
	$r.updates.pending_since == $p.update.pending_since and
	$r.updates.index_refreshed == $p.update.index_refreshed and
	($r.updates.error // "") == $p.update.error and
	[$r.updates | .security_names, .held, .phased, .blocked] ==
		[$p.update | .security_names, .held, .phased, .blocked] and
	($r.policy | del(.max_heartbeat_age_s)) == $p.policy and
	[$r.probes[] | {name, retries}] == [$p.probes[] | {name, retries}]'
# And those that move with every heartbeat and probe run.
ALL="$STABLE"' and
	$r.publisher.heartbeat_count == $p.heartbeat_count and
	$r.publisher.heartbeat == $p.heartbeat and
	[$r.probes[] | {name, status, duration_ms, consecutive_failures,
		retries, last_run, last_success, output: (.output // "")}] ==
	[$p.probes[] | {name, status, duration_ms, consecutive_failures,
		retries, last_run, last_success, output}]'

# refuse NAME FILE PY_REGEX READER_REGEX: both readers exit 1 and say why.
refuse() {
	local name=$1 f=$2 pre=$3 rre=$4 p prc r rrc
	p=$(python3 "$PY" "$f" 2>&1)
	prc=$?
	r=$("$RDR" --segment "$f" 2>&1)
	rrc=$?
	if [ "$prc" -eq 1 ] && grep -Eq -- "$pre" <<<"$p" &&
		[ "$rrc" -eq 1 ] && grep -Eq -- "$rre" <<<"$r"; then
		ok "$name"
	else
		bad "$name" "python: exit $prc: $p; shm-reader: exit $rrc: $r"
	fi
}

# patch FILE OFFSET FORMAT VALUE: one field, in the host's byte order.
patch() {
	python3 -c 'import struct, sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    f.write(struct.pack(sys.argv[3], int(sys.argv[4])))' "$@"
}

# fresh NAME: a 0644 copy of the frozen segment to damage.
fresh() {
	cp "$T/frozen" "$T/$1" && chmod 644 "$T/$1"
	echo "$T/$1"
}

# --- a live publisher ---------------------------------------------------------
SEG=$T/seg
printf 'openssl\nlibc6\ntzdata\n' >"$T/list"
start_pub --segment "$SEG" --heartbeat 200ms --update-command "cat $T/list" \
	--probe web:300ms:5s:'echo up' --probe db:300ms:5s:'echo refused; exit 2'
LIVE=$PID
until_reader 5 1 '^probe db failing' --segment "$SEG" ||
	bad "publisher ready" "$LAST"
out=$(python3 "$PY" "$SEG")
check "python reader exits 0 on a live segment" $?
jq -e '.update.names == ["libc6","openssl","tzdata"] and .state == "running"' \
	>/dev/null 2>&1 <<<"$out"
check "python reader: names and state" $? "$out"
agree "live: the fields that hold still agree" "$STABLE" "$SEG"

kill -STOP "$LIVE"
agree "frozen: every field agrees" "$ALL" "$SEG"
cp "$SEG" "$T/frozen"
kill -CONT "$LIVE"

# --- reads against a publisher that beats every 10 ms ------------------------
BUSY=$T/busy
start_pub --segment "$BUSY" --heartbeat 10ms --update-command true
BUSYPID=$PID
until_reader 5 0 '^ok: no updates pending' --segment "$BUSY" ||
	bad "busy publisher ready" "$LAST"
n=0 prev=-1
for i in $(seq 30); do
	c=$(python3 "$PY" "$BUSY" | jq -e '.heartbeat_count') || break
	[ "$c" -ge "$prev" ] || break
	prev=$c n=$((n + 1))
done
check "busy: 30 reads answer, the heartbeat count never goes back ($n)" \
	$([ "$n" -eq 30 ] && echo 0 || echo 1)
kill -TERM "$BUSYPID"
wait "$BUSYPID" 2>/dev/null

# --- a copy with lists, security updates and an error -------------------------
SET=$(fresh set)
"$SETSEG" "$SET" pending=3 'names=libc6 openssl tzdata' security=1 \
	security_names=1:0:openssl 'held=2:0:linux-image-amd64 grub-pc' \
	phased=1:0:systemd blocked=3:2:foo failures=2 \
	'error=apt-get: exit status 100' index_ago=3600 success_ago=60 &&
	ok "setseg sets the copy" || bad "setseg sets the copy"
agree "setseg's copy: every field agrees" "$ALL" "$SET"

# --- the publisher stopped ------------------------------------------------------
kill -TERM "$LIVE"
wait "$LIVE" 2>/dev/null
agree "stopped: every field agrees, state stopped" \
	"$ALL"' and $p.state == "stopped"' "$SEG"

# --- what both refuse -----------------------------------------------------------
f=$(fresh magic)
patch "$f" 0 =B 88	# "X"
refuse "bad magic" "$f" 'bad magic' 'bad magic'
f=$(fresh version)
patch "$f" 8 =I 1
refuse "layout version 1" "$f" 'layout version 1, this reader reads 2' \
	'layout version 1'
f=$(fresh version3)
patch "$f" 8 =I 3
refuse "layout version 3" "$f" 'layout version 3' 'layout version 3'
f=$(fresh statussize)
patch "$f" 24 =I 10680
refuse "status_size that does not match" "$f" 'header sizes' 'header sizes'
f=$(fresh short)
truncate -s 21439 "$f"
refuse "a byte short" "$f" 'wrong size' 'wrong size'
f=$(fresh long)
truncate -s 21441 "$f"
refuse "a byte long" "$f" 'wrong size' 'wrong size'
f=$(fresh writable)
chmod 664 "$f"
refuse "group-writable" "$f" 'writable by group' 'writable by group'
ln -s "$T/frozen" "$T/link"
refuse "a symlink at the name" "$T/link" 'not a regular file' 'not a regular file'
f=$(fresh state)
patch "$f" $((64 + 4)) =I 9
patch "$f" $((10752 + 4)) =I 9
refuse "state 9 in both copies" "$f" 'invalid segment: state' 'invalid segment: state'
refuse "no such segment" "$T/none" 'no segment' 'no segment'

done_tests layout
