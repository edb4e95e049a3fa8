#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The apt backend against this machine's real apt, as root and as an
# unprivileged user: the count is apt's own, and the system's package state
# (lists, dpkg database, apt cache) is byte-identical afterwards.  Needs
# network access to the Debian archive, as any refresh does.
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

# Everything about the system's package state that a change would show.
state() {
	find /var/lib/apt/lists /var/lib/dpkg /var/cache/apt -xdev \
		-printf '%p %y %s %m %U %G %T@\n' 2>/dev/null | sort
	find /var/lib/apt/lists /var/lib/dpkg /var/cache/apt -xdev -type f \
		-exec sha256sum {} + 2>/dev/null | sort
}

want=$(LC_ALL=C apt list --upgradable 2>/dev/null | grep -c 'upgradable from')
user=nobody
as_user() { setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups "$@"; }

for who in root "$user"; do
	run=("$PUB" --once --manager apt --cache-dir "$T/cache-$who")
	[ "$who" = root ] || { install -d -o "$user" -m 700 "$T/cache-$who"; run=(as_user "${run[@]}"); }
	before=$(state)
	out=$("${run[@]}" 2>"$T/err-$who")
	rc=$?
	after=$(state)
	got=$(sed -n 's/^updates //p' <<<"$out")
	check "apt as $who: exit 0" "$rc" "$(tail -n 3 "$T/err-$who")"
	check "apt as $who: $got updates, as apt list --upgradable says ($want)" \
		"$([ "$got" = "$want" ] && echo 0 || echo 1)"
	check "apt as $who: security counted from -security suites" \
		"$(grep -Eq '^security [0-9]+$' <<<"$out" && echo 0 || echo 1)"
	check "apt as $who: lists, dpkg and apt cache unchanged" \
		"$([ "$before" = "$after" ] && echo 0 || echo 1)" \
		"$(diff <(echo "$before") <(echo "$after") | head -n 5)"
	check "apt as $who: the private index was refreshed" \
		"$(ls "$T/cache-$who"/apt/lists/*Packages* >/dev/null 2>&1 && echo 0 || echo 1)"
done

# apt hands lists/partial to its download user: a second run (a restarted
# publisher) must still take its own cache dir.
expect "apt as root, again with the same cache dir" 0 "^updates $want\$" "$PUB" --once --manager apt --cache-dir "$T/cache-root"
expect "--no-refresh reads the system's lists" 0 "^updates $want\$" "$PUB" --once --manager apt --no-refresh
ln -s /tmp "$T/planted"
expect "a cache dir that is a link is refused" 1 'cache dir .*planted: not a directory of uid 0' "$PUB" --once --manager apt --cache-dir "$T/planted"
install -d -m 777 "$T/open"
expect "a cache dir others can write is refused" 1 'cache dir .*open: not a directory' "$PUB" --once --manager apt --cache-dir "$T/open"

done_tests apt
