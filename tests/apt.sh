#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The apt backend against this machine's real apt, as root and as an
# unprivileged user: the count is apt's own, and the system's package state
# (lists, dpkg database, apt cache) is byte-identical afterwards.  Needs
# network access to the Debian archive, as any refresh does.  Then a lab of
# local repositories beside a copy of dpkg's status, selected through
# APT_CONFIG: held, phased and uninstallable updates listed apart, and the
# failures that must never read as "no updates" (offline, one repository
# unreachable, no index, no repository).
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

# What an upgrade would install, in apt's own simulation.
want=$(LC_ALL=C apt-get -s -q dist-upgrade 2>/dev/null | grep -c '^Inst ')
user=nobody
as_user() { setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups "$@"; }

# A mirror that serves a frozen snapshot past its Valid-Until shows no new
# update: there the check must fail, saying so, and has no count to compare.
expired=
for f in /var/lib/apt/lists/*InRelease; do
	vu=$(sed -n 's/^Valid-Until: //p' "$f" 2>/dev/null | head -n 1)
	[ -n "$vu" ] && [ "$(date -d "$vu" +%s)" -lt "$(date +%s)" ] && expired="$expired ${f##*/}"
done
if [ -n "$expired" ]; then
	echo "# this machine's mirror is past its Valid-Until:$expired"
	install -d -m 700 "$T/cache-root"
	expect "apt as root: a mirror past its Valid-Until fails the check" 1 \
		'is expired' "$PUB" --once --manager apt --cache-dir "$T/cache-root"
else
	for who in root "$user"; do
		run=("$PUB" --once --manager apt --cache-dir "$T/cache-$who")
		[ "$who" = root ] || { install -d -o "$user" -m 700 "$T/cache-$who"; run=(as_user "${run[@]}"); }
		before=$(state)
		out=$("${run[@]}" 2>"$T/err-$who")
		rc=$?
		after=$(state)
		got=$(sed -n 's/^updates //p' <<<"$out")
		check "apt as $who: exit 0" "$rc" "$(tail -n 3 "$T/err-$who")"
		check "apt as $who: $got updates, as apt-get -s dist-upgrade says ($want)" \
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
fi
before=$(state)
expect "--no-refresh reads the system's lists" 0 "^updates $want\$" "$PUB" --once --manager apt --no-refresh
check "... and leaves them, dpkg and the apt cache unchanged" \
	"$([ "$before" = "$(state)" ] && echo 0 || echo 1)"
ln -s /tmp "$T/planted"
# As root apt downloads as _apt, which must reach lists/partial: through a
# cache dir made 0700 it cannot, and apt downloads as root instead.
out=$(apt-get -o quiet=1 update -o Dir::State::Lists="$T/cache-root/apt/lists" \
	-o Dir::Cache="$T/cache-root/apt/cache" -o Dir::Cache::pkgcache= \
	-o Dir::Cache::srcpkgcache= -o Debug::NoLocking=1 2>&1)
check "as root, apt downloads as _apt into the publisher's cache (made 0700, opened to 0755)" \
	"$(grep -q unsandboxed <<<"$out" || [ "$(stat -c %a "$T/cache-root")" != 755 ]; echo $((! $?)))" \
	"mode $(stat -c %a "$T/cache-root"): $(grep unsandboxed <<<"$out")"
expect "a cache dir that is a link is refused" 1 'cache dir .*planted: not a directory of uid 0' "$PUB" --once --manager apt --cache-dir "$T/planted"
install -d -m 777 "$T/open"
expect "a cache dir others can write is refused" 1 'cache dir .*open: not a directory' "$PUB" --once --manager apt --cache-dir "$T/open"

# --- offline: the refresh fails, whatever the cache holds -------------------
install -d -m 700 "$T/offline"
expect "offline with an empty cache: the check fails, naming the repository" 1 \
	'cannot fetch http://[^ ]+ .*InRelease' unshare -n "$PUB" --once --manager apt --cache-dir "$T/offline"
expect "offline with a cache from an earlier good check: the check fails" 1 \
	'apt-get: exit status 100: cannot fetch' unshare -n "$PUB" --once --manager apt --cache-dir "$T/cache-root"
check "... and says nothing on standard output" \
	"$(unshare -n "$PUB" --once --manager apt --cache-dir "$T/cache-root" 2>/dev/null | wc -c)"

# Offline through a running publisher: the reader says the check failed and
# which repository it could not reach; never "ok".
LOG=$T/offline.log
unshare -n "$PUB" --manager apt --cache-dir "$T/cache-root" --segment "$T/offseg" \
	--heartbeat 200ms 2>>"$LOG" &
PID=$!; pids+=("$PID")
until_reader 60 1 '^update check failed: apt-get: exit status 100: cannot fetch http' --segment "$T/offseg"
check "offline publisher: the reader says the check failed, naming the repository" $? "$LAST"
check "... JSON's rule is check, its healthy false" \
	"$("$RDR" --segment "$T/offseg" --format json | jq -e '.rule == "check" and .healthy == false and .updates.pending == null' >/dev/null; echo $?)"
"$RDR" --segment "$T/offseg" --format nagios >/dev/null; rc=$?
check "... Nagios says UNKNOWN: the check cannot tell" "$([ "$rc" = 3 ] && echo 0 || echo 1)" "exit $rc"
kill -TERM "$PID"; wait "$PID"

# --- the lab ------------------------------------------------------------------
L=$T/lab
mkdir -p "$L/main" "$L/sec" "$L/parts" "$L/prefs" "$L/empty-lists"
# stanza NAME VERSION [FIELD...]: a Packages entry; a fake .deb is enough
# for listing.
stanza() {
	local name=$1 ver=$2 f
	shift 2
	printf 'Package: %s\nVersion: %s\nArchitecture: all\n' "$name" "$ver"
	printf 'Maintainer: lab <lab@localhost>\nFilename: pool/%s_%s_all.deb\n' "$name" "$ver"
	printf 'Size: 1\nMD5sum: 00000000000000000000000000000000\n'
	for f in "$@"; do printf '%s\n' "$f"; done
	printf 'Description: lab package\n\n'
}
# release DIR SUITE: a Release file with its date and the Packages hash.
release() {
	{
		printf 'Origin: Lab\nLabel: Lab\nSuite: %s\nCodename: %s\n' "$2" "$2"
		printf 'Date: %s\n' "$(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S UTC')"
		printf 'SHA256:\n %s %s Packages\n' "$(sha256sum <"$1/Packages" | cut -d' ' -f1)" "$(stat -c %s "$1/Packages")"
	} >"$1/Release"
}
{
	stanza shmlab-plain 2.0
	stanza shmlab-held 2.0
	stanza shmlab-phased 2.0 'Phased-Update-Percentage: 0'
	stanza shmlab-broken 2.0 'Depends: shmlab-missing'
} >"$L/main/Packages"
stanza shmlab-sec 2.0 >"$L/sec/Packages"
# A repository that publishes an empty index: apt stores no file for it,
# and it must not read as one never fetched.
mkdir -p "$L/empty"
: >"$L/empty/Packages"
release "$L/main" lab
release "$L/sec" lab-security
release "$L/empty" lab-empty
cp /var/lib/dpkg/status "$L/status"
for p in plain held phased broken sec; do
	st="install ok installed"
	[ "$p" = held ] && st="hold ok installed"
	printf 'Package: shmlab-%s\nStatus: %s\nPriority: optional\nSection: misc\nMaintainer: lab <lab@localhost>\nArchitecture: all\nVersion: 1.0\nDescription: lab package\n\n' "$p" "$st" >>"$L/status"
done
printf 'deb [trusted=yes] file:%s/%s ./\n' "$L" main "$L" sec "$L" empty >"$L/sources.good"
cp "$L/sources.good" "$L/sources.list"
# This machine is in no phase of a phased update: apt keeps them back.
{
	printf 'Dir::Etc::sourcelist "%s/sources.list";\n' "$L"
	printf 'Dir::Etc::sourceparts "%s/parts";\n' "$L"
	printf 'Dir::Etc::preferencesparts "%s/prefs";\n' "$L"
	printf 'Dir::State::status "%s/status";\n' "$L"
	printf 'APT::Get::Never-Include-Phased-Updates "true";\n'
} >"$L/apt.conf"
export APT_CONFIG=$L/apt.conf
install -d -m 700 "$L/cache"
out=$("$PUB" --once --manager apt --cache-dir "$L/cache" 2>"$T/lab.err")
rc=$?
check "lab: the check succeeds" "$rc" "$(tail -n 3 "$T/lab.err")"
check "lab: exactly the installable updates are pending" \
	"$([ "$(grep -E '^(updates|package) ' <<<"$out")" = "$(printf 'updates 2\npackage shmlab-plain\npackage shmlab-sec')" ] && echo 0 || echo 1)" "$out"
check "lab: the held package is listed apart as held" "$(grep -qx 'held shmlab-held' <<<"$out" && echo 0 || echo 1)" "$out"
check "lab: the phased update is listed apart as phased" "$(grep -qx 'phased shmlab-phased' <<<"$out" && echo 0 || echo 1)" "$out"
check "lab: the update with a missing dependency is listed apart as blocked" "$(grep -qx 'blocked shmlab-broken' <<<"$out" && echo 0 || echo 1)" "$out"
check "lab: the update from the -security suite is the one security update" "$(grep -qx 'security 1' <<<"$out" && echo 0 || echo 1)" "$out"
# The machine's update hooks are for its own apt runs: a check into the
# private index must neither run them (as root they would change the
# system) nor fail because one fails.
{
	cat "$L/apt.conf"
	printf 'APT::Update::Pre-Invoke { "touch %s/hook-pre"; };\n' "$T"
	printf 'APT::Update::Post-Invoke-Success { "touch %s/hook-post"; "false"; };\n' "$T"
	printf 'APT::Update::Post-Invoke { "false"; };\n'
} >"$L/apt-hooks.conf"
out=$(APT_CONFIG=$L/apt-hooks.conf "$PUB" --once --manager apt --cache-dir "$L/cache" 2>&1)
check "lab: apt's update hooks, one failing, neither run nor fail the check" \
	"$([ -z "$(ls "$T"/hook-* 2>/dev/null)" ] && grep -q '^updates 2$' <<<"$out" && echo 0 || echo 1)" \
	"$(ls "$T"/hook-* 2>/dev/null) $(tail -n 2 <<<"$out")"
# A quiet level in the machine's apt.conf must not hide the kept lists.
{ cat "$L/apt.conf"; printf 'quiet "1";\nBinary::apt-get::quiet "2";\n'; } >"$L/apt-quiet.conf"
out=$(APT_CONFIG=$L/apt-quiet.conf "$PUB" --once --manager apt --cache-dir "$L/cache" 2>&1)
check "lab: a quiet apt.conf hides neither the pending nor the kept packages" \
	"$(grep -qx 'updates 2' <<<"$out" && grep -qx 'held shmlab-held' <<<"$out" && grep -qx 'phased shmlab-phased' <<<"$out" && grep -qx 'blocked shmlab-broken' <<<"$out" && echo 0 || echo 1)" "$out"
sim=$(apt-get -s -q dist-upgrade -o Dir::State::Lists="$L/cache/apt/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= 2>/dev/null | sed -n 's/^Inst \([^ ]*\) .*/package \1/p' | sort)
check "lab: the pending list is apt-get -s dist-upgrade's" \
	"$([ "$sim" = "$(grep '^package ' <<<"$out")" ] && echo 0 || echo 1)" "$sim"

# The same through a running publisher and the reader, in every format.
LOG=$T/labpub.log start_pub --manager apt --cache-dir "$L/cache" --segment "$T/labseg" --heartbeat 200ms
until_reader 60 1 '^Update\(s\) 2 available: shmlab-plain shmlab-sec' --segment "$T/labseg"
check "lab publisher: the reader names exactly the installable updates" $? "$LAST"
check "... its text lists held, phased and blocked apart" \
	"$("$RDR" --segment "$T/labseg" | grep -qx 'held (1): shmlab-held' &&
	   "$RDR" --segment "$T/labseg" | grep -qx 'phased (1): shmlab-phased' &&
	   "$RDR" --segment "$T/labseg" | grep -qx 'blocked (1): shmlab-broken'; echo $?)" "$("$RDR" --segment "$T/labseg")"
json=$("$RDR" --segment "$T/labseg" --format json)
check "... JSON lists them apart, none pending" \
	"$(jq -e '.updates.pending == 2 and .updates.held.names == ["shmlab-held"] and .updates.phased.names == ["shmlab-phased"] and .updates.blocked.names == ["shmlab-broken"]' <<<"$json" >/dev/null; echo $?)" "$json"
check "... JSON names the security update and each update's versions" \
	"$(jq -e '.updates.security_names.names == ["shmlab-sec"] and ([.updates.packages[] | select(.name == "shmlab-plain" and .installed == "1.0" and .candidate == "2.0" and .security == false)] | length == 1) and .updates.index == "private" and .updates.index_refreshed != null' <<<"$json" >/dev/null; echo $?)" "$json"
prom=$("$RDR" --segment "$T/labseg" --format prometheus)
check "... Prometheus counts them apart and lists the security update" \
	"$(grep -qx 'shmhealth_updates_held{manager="apt"} 1' <<<"$prom" &&
	   grep -qx 'shmhealth_updates_phased{manager="apt"} 1' <<<"$prom" &&
	   grep -qx 'shmhealth_updates_blocked{manager="apt"} 1' <<<"$prom" &&
	   grep -qx 'shmhealth_security_update{manager="apt",package="shmlab-sec"} 1' <<<"$prom"; echo $?)" "$prom"
kill -TERM "$PID"; wait "$PID"

# One unreachable repository among reachable ones.
printf 'deb http://127.0.0.1:9/debian lab main\n' >>"$L/sources.list"
expect "lab: one unreachable repository among good ones fails the check, naming it" 1 \
	'cannot fetch http://127\.0\.0\.1:9/debian lab' "$PUB" --once --manager apt --cache-dir "$L/cache"
cp "$L/sources.good" "$L/sources.list"
# A frozen repository: its Release past its Valid-Until.  Even where the
# machine's apt.conf turns the check off, it shows no new update, and the
# check must fail.
mkdir -p "$L/old"
stanza shmlab-old 1.0 >"$L/old/Packages"
{
	printf 'Origin: Lab\nSuite: lab-old\nCodename: lab-old\n'
	printf 'Date: %s\n' "$(LC_ALL=C date -u -d '30 days ago' '+%a, %d %b %Y %H:%M:%S UTC')"
	printf 'Valid-Until: %s\n' "$(LC_ALL=C date -u -d '20 days ago' '+%a, %d %b %Y %H:%M:%S UTC')"
	printf 'SHA256:\n %s %s Packages\n' "$(sha256sum <"$L/old/Packages" | cut -d' ' -f1)" "$(stat -c %s "$L/old/Packages")"
} >"$L/old/Release"
printf 'deb [trusted=yes] file:%s/old ./\n' "$L" >>"$L/sources.list"
{ cat "$L/apt.conf"; printf 'Acquire::Check-Valid-Until "false";\nAcquire::Check-Date "false";\n'; } >"$L/apt-novalid.conf"
install -d -m 700 "$L/cache-old"
expect "lab: a repository past its Valid-Until fails the check, though apt.conf allows it" 1 \
	'expired' env APT_CONFIG="$L/apt-novalid.conf" "$PUB" --once --manager apt --cache-dir "$L/cache-old"
cp "$L/sources.good" "$L/sources.list"
# A repository whose Release lacks a component the sources name: apt only
# warns, and that component must not read as "no updates".
arch=$(dpkg --print-architecture)
mkdir -p "$L/dr/dists/lab/main/binary-$arch"
stanza shmlab-dr 1.0 >"$L/dr/dists/lab/main/binary-$arch/Packages"
{
	printf 'Origin: Lab\nSuite: lab\nCodename: lab\nComponents: main\nArchitectures: %s\n' "$arch"
	printf 'Date: %s\n' "$(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S UTC')"
	printf 'SHA256:\n %s %s main/binary-%s/Packages\n' \
		"$(sha256sum <"$L/dr/dists/lab/main/binary-$arch/Packages" | cut -d' ' -f1)" \
		"$(stat -c %s "$L/dr/dists/lab/main/binary-$arch/Packages")" "$arch"
} >"$L/dr/dists/lab/Release"
printf 'deb [trusted=yes arch=%s] file:%s/dr lab main extra\n' "$arch" "$L" >>"$L/sources.list"
expect "lab: a component the repository does not have fails the check, saying so" 1 \
	"no package index for file:$L/dr lab/extra $arch Packages: the repository does not provide it" \
	"$PUB" --once --manager apt --cache-dir "$L/cache"
cp "$L/sources.good" "$L/sources.list"
# No repository at all.
: >"$L/sources.list"
install -d -m 700 "$L/cache-none"
expect "lab: no repository configured is an error, never 0 updates" 1 \
	'no package index: no repository' "$PUB" --once --manager apt --cache-dir "$L/cache-none"
cp "$L/sources.good" "$L/sources.list"
# --no-refresh on the lab's lists as the last refresh left them, with a
# binary cache configured: the count is the same, and nothing is written.
mkdir "$L/syscache"
{
	printf 'Dir::State::Lists "%s/cache/apt/lists";\n' "$L"
	printf 'Dir::Cache "%s/syscache";\n' "$L"
	printf 'Dir::Cache::pkgcache "pkgcache.bin";\n'
	printf 'Dir::Cache::srcpkgcache "srcpkgcache.bin";\n'
} >>"$L/apt.conf"
expect "lab: --no-refresh counts the same from the lists as they are" 0 \
	'^updates 2$' "$PUB" --once --manager apt --no-refresh
check "... and writes no binary cache into the apt cache" "$(ls -A "$L/syscache" | wc -l)" "$(ls -A "$L/syscache")"
newest=$(stat -c %Y "$L"/cache/apt/lists/*_main_._Packages* "$L"/cache/apt/lists/*_sec_._Packages* | sort -n | tail -n 1)
LOG=$T/labsys.log start_pub --manager apt --no-refresh --segment "$T/labsys" --heartbeat 200ms
until_reader 60 1 '^Update\(s\) 2 available' --segment "$T/labsys"
json=$("$RDR" --segment "$T/labsys" --format json)
check "lab --no-refresh: the index published is the system's, as old as its newest list" \
	"$(jq -e --argjson t "$newest" '.updates.index == "system" and .updates.index_refreshed == $t' <<<"$json" >/dev/null; echo $?)" "newest $newest: $json"
touch -d '10 days ago' "$L"/cache/apt/lists/*Packages*
kill -TERM "$PID"; wait "$PID"
LOG=$T/labsys.log start_pub --manager apt --no-refresh --segment "$T/labsys" --heartbeat 200ms --max-check-age 2d
until_reader 60 1 '^update check stale: system package index last modified 10d ago' --segment "$T/labsys"
check "... a system index 10 days old is stale past --max-check-age 2d" $? "$LAST"
kill -TERM "$PID"; wait "$PID"
# --no-refresh with the lists deleted, as a slim image has them.
printf 'Dir::State::Lists "%s/empty-lists";\n' "$L" >>"$L/apt.conf"
expect "lab: --no-refresh with empty lists is an error naming the repository" 1 \
	"no package index for file:$L/main" "$PUB" --once --manager apt --no-refresh
unset APT_CONFIG

done_tests apt
