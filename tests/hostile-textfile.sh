#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# --textfile DIR against another user who may write DIR: names planted in
# advance (a FIFO, a file of hers, a symlink), a directory she may rewrite,
# a umask that would hide the file.  The publisher runs as one unprivileged
# user, the neighbour as another.  Ends with "hostile-textfile: N passed,
# N failed".
set -u
cd "$(dirname "$0")/.."

. tests/lib.sh

U=shmtf-pub EVIL=shmtf-evil
for u in "$U" "$EVIL"; do
	id "$u" >/dev/null 2>&1 || useradd -M -r -s /usr/sbin/nologin "$u"
done
trap 'cleanup; userdel "$U" 2>/dev/null; userdel "$EVIL" 2>/dev/null' EXIT
as_pub()  { setpriv --reuid "$U" --regid "$U" --clear-groups "$@"; }
as_evil() { setpriv --reuid "$EVIL" --regid "$EVIL" --clear-groups "$@"; }

mkdir -m 0755 "$T/seg" && chown "$U:" "$T/seg"
hb() { sed -n 's/^shmhealth_heartbeat_timestamp_seconds \([0-9]*\).*/\1/p' "$1/shmhealth.prom" 2>/dev/null; }
# hb_moves DIR: the file's heartbeat advances within 3 s.
hb_moves() {
	local a b i
	a=$(hb "$1")
	for ((i = 0; i < 60; i++)); do
		sleep 0.05
		b=$(hb "$1")
		[ -n "$b" ] && [ "${b}" != "${a:-}" ] && return 0
	done
	return 1
}
# stop_pub: SIGTERM, and the publisher gone within a second.
stop_pub() {
	local i
	kill -TERM "$PID" 2>/dev/null
	for ((i = 0; i < 20; i++)); do
		kill -0 "$PID" 2>/dev/null || { wait "$PID" 2>/dev/null; return 0; }
		sleep 0.05
	done
	kill -9 "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
	return 1
}

# --- the directory ---------------------------------------------------------
for mode in 0777 0775 0757; do
	mkdir -m "$mode" "$T/d$mode"
	expect "a directory of mode $mode (others may write, not sticky) is refused" 1 \
		"textfile $T/d$mode: writable by others and not sticky" \
		"$PUB" --once --update-command true --textfile "$T/d$mode"
done
mkdir -m 1777 "$T/sticky"
expect "a sticky directory others may write is accepted" 0 '' \
	"$PUB" --once --update-command true --textfile "$T/sticky"
check "... and gets shmhealth.prom" "$([ -f "$T/sticky/shmhealth.prom" ] && echo 0 || echo 1)"
rm -f "$T/sticky/shmhealth.prom"

# --- names planted in advance ------------------------------------------------
# The neighbour learns the publisher's PID before it writes (here: it waits
# for her) and plants something at every name that PID suggests, and at
# the final name.  start_planted KIND: publisher as $U, textfile in
# $T/sticky, after $EVIL planted a KIND.
start_planted() {
	local kind=$1 p i n
	rm -rf "$T/sticky" "$T/seg/go" "$T/seg/pid" && mkdir -m 1777 "$T/sticky"
	LOG=$T/$kind.log
	: >"$LOG"
	as_pub sh -c 'echo $$ >"$1/pid"; while [ ! -e "$1/go" ]; do sleep 0.02; done; shift; exec "$@"' \
		sh "$T/seg" "$PUB" --segment "$T/seg/$kind" --heartbeat 200ms \
		--update-command 'echo pkg' --textfile "$T/sticky" 2>>"$LOG" &
	PID=$!
	pids+=("$PID")
	for ((i = 0; i < 100; i++)); do [ -s "$T/seg/pid" ] && break; sleep 0.02; done
	p=$(cat "$T/seg/pid")
	for n in ".shmhealth.prom.$p" ".shmhealth.prom.tmp" ".shmhealth.prom"; do
		case $kind in
		fifo) as_evil mkfifo -m 0666 "$T/sticky/$n" ;;
		file) as_evil sh -c 'echo "planted 1" >"$1"; chmod 0666 "$1"' sh "$T/sticky/$n" ;;
		symlink) as_evil ln -s "$T/victim" "$T/sticky/$n" ;;
		esac
	done
	[ "$kind" = final ] && as_evil mkfifo -m 0666 "$T/sticky/shmhealth.prom"
	touch "$T/seg/go"
}
echo 'victim: untouched' >"$T/victim"
for kind in fifo file symlink; do
	start_planted "$kind"
	until_log 3 'update check: 1 pending' "$LOG" || true
	check "$kind planted at the temporary names: the heartbeat still reaches the textfile" \
		"$(hb_moves "$T/sticky" && echo 0 || echo 1)" "$(cat "$LOG")"
	check "... the file is the publisher's own, mode 0644" \
		"$([ "$(stat -c '%U %a %F' "$T/sticky/shmhealth.prom" 2>&1)" = "$U 644 regular file" ] && echo 0 || echo 1)" \
		"$(stat -c '%U %a %F' "$T/sticky/shmhealth.prom" 2>&1)"
	check "... nothing planted was written" \
		"$(grep -qs -D skip 'shmhealth_' "$T/sticky"/.shmhealth.prom* "$T/victim"; [ $? -ne 0 ] && echo 0 || echo 1)"
	check "... and SIGTERM stops it within a second" "$(stop_pub && echo 0 || echo 1)"
done

# The final name planted: a FIFO of hers, in a sticky directory, could
# never be replaced by another user, and the collector would read hers.
start_planted final
for ((i = 0; i < 40; i++)); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
check "her FIFO at shmhealth.prom in a sticky directory: refused at start" \
	"$(! kill -0 "$PID" 2>/dev/null && grep -q "shmhealth.prom there belongs to uid $(id -u "$EVIL") and the directory is sticky" "$LOG" && echo 0 || echo 1)" "$(cat "$LOG")"
stop_pub

# A symlink at the final name, the publisher as root: replaced, not followed.
rm -rf "$T/sticky" && mkdir -m 1777 "$T/sticky"
as_evil ln -s "$T/victim" "$T/sticky/shmhealth.prom"
expect "a symlink at shmhealth.prom, publisher as root: replaced" 0 '' \
	"$PUB" --once --segment "$T/rootseg" --update-command true --textfile "$T/sticky"
check "... not followed" "$([ "$(cat "$T/victim")" = 'victim: untouched' ] && [ -f "$T/sticky/shmhealth.prom" ] && [ ! -L "$T/sticky/shmhealth.prom" ] && echo 0 || echo 1)"

# --- the file's mode, and the fallback without O_TMPFILE's link -------------
rm -rf "$T/own" && mkdir -m 0755 "$T/own"
(umask 077 && "$PUB" --once --segment "$T/rootseg" --update-command true --textfile "$T/own")
check "umask 077: shmhealth.prom is still mode 0644" \
	"$([ "$(stat -c %a "$T/own/shmhealth.prom")" = 644 ] && echo 0 || echo 1)" "$(stat -c %a "$T/own/shmhealth.prom")"
# Without /proc the unnamed file cannot be linked: a named one, made
# exclusively, does the work.
rm -rf "$T/own" && mkdir -m 0755 "$T/own"
out=$(unshare -m --propagation private sh -c 'umount -l /proc && exec "$@"' sh \
	"$PUB" --once --segment "$T/rootseg" --update-command 'echo pkg' --textfile "$T/own" 2>&1)
check "no /proc to link through: the file is still written" \
	"$(grep -q '^shmhealth_updates_pending{manager="command"} 1$' "$T/own/shmhealth.prom" 2>/dev/null && echo 0 || echo 1)" "$out"
check "... with no temporary file left" "$(ls -A "$T/own" | grep -vx shmhealth.prom | wc -l)"

done_tests hostile-textfile
