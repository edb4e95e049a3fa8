#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The segment's name, lock and path against another user of the machine,
# made for the test: a shared lock on the segment must not stop a restart,
# a symlink swapped into the path must not move the reader or the
# publisher, a long path must not push the reason off the first line, and
# nothing planted under a name the publisher creates is followed, adopted
# or blocked on.  Needs root (useradd, setpriv).
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null ||
   ! command -v setpriv >/dev/null || ! command -v flock >/dev/null; then
	bad "hostile-segment needs root, useradd, setpriv and flock (make test-deps)"
	done_tests hostile-segment
	exit
fi
user=shmh-hostile$$
useradd -M -N -d /nonexistent -s /usr/sbin/nologin "$user" || exit 1
uid=$(id -u "$user")
# The user goes once its last process has: userdel refuses a user in use.
drop_user() {
	local i
	cleanup
	wait "${pids[@]}" 2>/dev/null	# a zombie is in use too
	for ((i = 0; i < 50; i++)); do
		userdel "$user" 2>/dev/null && return
		sleep 0.1
	done
	echo "hostile-segment: cannot remove user $user" >&2
}
trap drop_user EXIT
as_user() { setpriv --reuid="$uid" --regid="$(id -g "$user")" --clear-groups "$@"; }

PUB_ARGS=(--heartbeat 100ms --update-command true)

# alive PID: 0 while the process runs (a zombie is dead).
alive() { [ -e "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status"; }

# --- A shared lock on the segment does not stop a restart -----------------
mkdir "$T/f1"
seg=$T/f1/seg
LOG=$T/f1.log start_pub --segment "$seg" "${PUB_ARGS[@]}"
first=$PID
until_reader 5 0 . --segment "$seg"
check "lock: the publisher starts" $? "$LAST"
# The lock's holder is the very process started (flock(1) would fork, a
# function would run in a subshell): killing it at exit ends it.
# shellcheck disable=SC2016
(exec setpriv --reuid="$uid" --regid="$(id -g "$user")" --clear-groups \
	sh -c 'exec 9<"$1" && flock -s 9 && exec sleep 60' sh "$seg") &
pids+=($!)
for ((i = 0; i < 50; i++)); do
	flock -n -x "$seg" true || break
	sleep 0.05
done
flock -n -x "$seg" true
check "lock: the other user holds a shared flock on the segment" $((!$?))
kill -9 "$first"
wait "$first" 2>/dev/null
LOG=$T/f1b.log start_pub --segment "$seg" "${PUB_ARGS[@]}"
second=$PID
until_reader 5 0 . --segment "$seg"
rc=$?
sleep 0.3
alive "$second"
check "lock: a restart takes over despite the reader's flock" $((rc | $?)) \
	"$(cat "$T/f1b.log")"
out=$("$RDR" --format json --segment "$seg" 2>&1)
grep -q "\"pid\":$second," <<<"$out"
check "lock: the reader sees the new publisher" $? "$out"
check "lock: the lock file is 0600 and ours" \
	"$([ "$(stat -c %a:%u "$seg.lock" 2>&1)" = 600:0 ]; echo $?)" \
	"$(stat -c %a:%u "$seg.lock" 2>&1)"
as_user flock -n -s "$seg.lock" true 2>/dev/null
check "lock: the other user cannot lock the lock file" $((!$?))
expect "lock: a second publisher is refused and names the holder" 1 \
	"in use by a running publisher \(pid $second holds" \
	timeout 5 "$PUB" --segment "$seg" "${PUB_ARGS[@]}"

# --- A symlink swapped into the path ---------------------------------------
vol=$T/vol
mkdir "$vol" "$vol/h" "$vol/B"
chown "$user" "$vol"
LOG=$T/f2a.log start_pub --segment "$vol/h/seg" "${PUB_ARGS[@]}"
victim=$PID
LOG=$T/f2b.log start_pub --segment "$vol/B/seg" "${PUB_ARGS[@]}"
other=$PID
until_reader 5 0 . --segment "$vol/h/seg" && until_reader 5 0 . --segment "$vol/B/seg"
check "path: both publishers start" $? "$LAST"
as_user mv "$vol/h" "$vol/h.old" && as_user ln -s B "$vol/h"
check "path: the other user swaps h for a symlink to B" $?
expect "path: the reader refuses the symlink, not answering from B" 1 \
	"^segment $vol/h/seg: symlink on its path in a directory others can write \(owned by uid $uid\)" \
	"$RDR" --segment "$vol/h/seg"
if [ -x "$STATIC/shm-reader" ]; then
	expect "path: ... the static reader too" 1 "symlink on its path" \
		"$STATIC/shm-reader" --segment "$vol/h/seg"
fi
expect "path: ... as JSON too" 1 '"healthy":false.*symlink on its path' \
	"$RDR" --format json --segment "$vol/h/seg"
sleep 1
alive "$victim"
check "path: the victim publisher is not fooled into exiting" $? \
	"$(cat "$T/f2a.log")"
expect "path: the victim's segment is still whole where it was" 0 . \
	"$RDR" --segment "$vol/h.old/seg"
expect "path: B is untouched" 0 . "$RDR" --segment "$vol/B/seg"
as_user ln -s B "$vol/p"
expect "path: a publisher refuses to start through a planted symlink" 1 \
	"segment $vol/p/seg: symlink on its path in a directory others can write" \
	timeout 5 "$PUB" --segment "$vol/p/seg" "${PUB_ARGS[@]}"
alive "$other"
check "path: ... and B's publisher runs on" $?
ln -s "$vol/B" "$T/trusted"
expect "path: a symlink in a directory only root writes is followed" 0 . \
	"$RDR" --segment "$T/trusted/seg"
mkdir -m 1777 "$T/sticky" && mkdir "$T/sticky/real"
as_user ln -s real "$T/sticky/link"
expect "path: a symlink in a sticky shared directory is refused" 1 \
	"symlink on its path" \
	timeout 5 "$PUB" --segment "$T/sticky/link/seg" "${PUB_ARGS[@]}"

# --- A long path keeps the reason on the first line ------------------------
long=$T/$(printf 'd%.0s' {1..200})
mkdir "$long" && mkfifo "$long/seg"
out=$("$RDR" --segment "$long/seg" 2>&1)
line=$(head -n 1 <<<"$out")
grep -q ': not a regular file$' <<<"$line"
check "long path: the refusal reason is whole on the first line" $? "$line"
[ "${#line}" -lt 200 ] && grep -q '^segment \.\.\.d*/seg' <<<"$line"
check "long path: the path is cut in front with an ellipsis" $? "$line"
out=$("$RDR" --segment "$long/none" 2>&1)
grep -q 'publisher not started?$' <<<"$(head -n 1 <<<"$out")"
check "long path: ... and for a missing segment" $? "$out"

# --- A file that is no segment is left alone --------------------------------
mkdir "$T/f4"
{ printf 'SHMHLTH1'; head -c 27 /dev/urandom; } >"$T/f4/seg"
cp "$T/f4/seg" "$T/f4/orig"
expect "not a segment: a 35-byte file with the magic is refused" 1 \
	"is not a shmhealth segment" \
	timeout 5 "$PUB" --segment "$T/f4/seg" "${PUB_ARGS[@]}"
cmp -s "$T/f4/seg" "$T/f4/orig"
check "not a segment: ... and left as it was" $?
size=$(stat -c %s "$vol/B/seg")
{ printf 'SHMHLTH1'; head -c $((size - 8)) /dev/zero; } >"$T/f4/seg2"
cp "$T/f4/seg2" "$T/f4/orig2"
expect "not a segment: the magic and the size, but no header, is refused" 1 \
	"is not a shmhealth segment" \
	timeout 5 "$PUB" --segment "$T/f4/seg2" "${PUB_ARGS[@]}"
cmp -s "$T/f4/seg2" "$T/f4/orig2"
check "not a segment: ... and left as it was" $?

# --- Things planted at every name the publisher creates --------------------
echo "root's own file" >"$T/victim"
cp "$T/victim" "$T/victim.orig"
n=0
for name in seg seg.lock; do
	for kind in fifo file segment symlink; do
		n=$((n + 1))
		d=$T/plant$n
		mkdir -m 1777 "$d"
		case $kind in
		fifo) as_user mkfifo "$d/$name" ;;
		file) as_user sh -c "echo mine >'$d/$name'" ;;
		segment) as_user cp "$vol/B/seg" "$d/$name" ;;
		symlink) as_user ln -s "$T/victim" "$d/$name" ;;
		esac
		before=$(stat -c %F:%u:%i "$d/$name")
		out=$(timeout 5 "$PUB" --segment "$d/seg" "${PUB_ARGS[@]}" 2>&1)
		rc=$?
		case $name:$kind in
		seg:*) want="owned by another user \\(uid $uid\\)" ;;
		*:fifo) want="seg.lock is not a regular file" ;;
		*:symlink) want="seg.lock is a symlink" ;;
		*) want="seg.lock is owned by uid $uid, not us" ;;
		esac
		[ "$rc" -eq 1 ] && grep -Eq "$want" <<<"$out"
		check "planted $kind at $name: refused, saying why" $? \
			"exit $rc: $out"
		[ "$(stat -c %F:%u:%i "$d/$name")" = "$before" ]
		check "planted $kind at $name: left as it was" $?
		[ ! -e "$d/seg" ] || [ "$name" = seg ]
		check "planted $kind at $name: no segment made" $?
		[ -z "$(find "$d" -name '*.tmp*')" ]
		check "planted $kind at $name: no temporary file left" $?
	done
done
cmp -s "$T/victim" "$T/victim.orig"
check "planted symlinks: nothing was written through them" $?

done_tests hostile-segment
