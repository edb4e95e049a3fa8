#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The dnf, yum, zypper and pacman backends against the real binaries from
# Debian's own packages, offline: each runs our exact argv (shm-publisher
# --manager X --once) against a local repository built here that holds one
# package newer than the installed one, so the count is the manager's own,
# and an unreachable repository or missing metadata must be an error, never
# a count.  The system's package state is byte-identical after every run.
#
# Our argv cannot name a private root, so each run is in a private mount
# namespace (unshare -m, as root) where bind mounts stand in for the image's
# files the manager reads: its config (/etc/dnf/dnf.conf, /etc/zypp,
# /etc/pacman.conf), its installed-package database (/var/lib/rpm,
# /var/lib/pacman), zypper's and dnf's system caches where a case is about
# them, /var/log (dnf and zypper log there as root) and /var/tmp (dnf's
# locks and logs as non-root, zypper's scratch directory).  HOME holds the
# rpm database, which is where Debian's rpm keeps it (%_dbpath ~/.rpmdb).
# Nothing outside the namespace sees these mounts; everything not bound is
# the real system's and is checked unchanged.
#
# apk is not packaged in Debian (bookworm, trixie or sid), so only its
# absence is checked.  yum is not packaged either: its argv is run by dnf
# under the name yum, as RHEL 8 and later ship it.
#
# Every failure class is run for each manager: a repository refused at
# http://127.0.0.1:9/ (nothing listens there), no network at all (unshare
# -n: not even loopback is up, so a repository served on loopback cannot be
# reached), a missing or empty index (no repository, all disabled, a
# directory with no metadata), one bad repository among good ones; and the
# ways an administrator withholds a package (excludepkgs, zypper locks,
# IgnorePkg, IgnoreGroup).  Repositories over http are served on 127.0.0.1
# only, by tests/managers/httpd.py.  The repositories, the databases,
# the stand-in configurations and the sandbox are set up by
# tests/managers-env.sh, where other scripts can share them.
#
# SHOW=1 prints the error the publisher reported in each failure case.
#
# Needs root and these Debian packages:
#   dnf zypper libzypp-config pacman-package-manager makepkg fakeroot rpm
#   createrepo-c libarchive-tools util-linux
# (libzypp-config, only recommended by libzypp, ships /etc/zypp/zypp.conf,
# /var/lib/zypp and /var/cache/zypp.)
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh
. tests/managers-env.sh

# The system's package state: every entry's metadata (inode, mtime and
# ctime: any write shows) and every file's content but the .deb archive.
STATE_PATHS=(/var/lib/dpkg /var/lib/apt /var/cache/apt /root/.rpmdb
	/var/lib/rpm /var/lib/dnf /var/cache/dnf /etc/dnf /etc/yum.repos.d
	/var/lib/zypp /var/cache/zypp /etc/zypp /run/zypp.pid
	/var/lib/pacman /var/cache/pacman /etc/pacman.conf /etc/pacman.d
	/lib/apk /etc/apk /var/cache/apk)
state() {
	find "${STATE_PATHS[@]}" -xdev -printf '%p %y %s %m %U %G %i %T@ %C@\n' \
		2>/dev/null | sort
	find "${STATE_PATHS[@]}" -xdev -type f ! -name '*.deb' \
		-exec sha256sum {} + 2>/dev/null | sort
}

# run NAME SRC:DST... -- CMD...: runs CMD (a publisher) in a sandbox; sets
# out, err and rc; checks the system's package state is unchanged.
run() {
	local name=$1 before after
	shift
	before=$(state)
	out=$(sandbox "$@" 2>"$T/err")
	rc=$?
	err=$(tail -n 3 "$T/err")
	after=$(state)
	check "$name: system package state unchanged" \
		"$([ "$before" = "$after" ] && echo 0 || echo 1)" \
		"$(diff <(echo "$before") <(echo "$after") | head -n 5)"
}

# want_updates NAME N SECURITY PACKAGE: the last run counted N updates.
want_updates() {
	local got
	got="exit $rc: $(tr '\n' ' ' <<<"$out")"
	check "$1: exit 0, updates $2, security $3, package $4" \
		"$([ "$rc" -eq 0 ] && grep -qx "updates $2" <<<"$out" &&
		   grep -qx "security $3" <<<"$out" &&
		   grep -qx "package $4" <<<"$out" && echo 0 || echo 1)" \
		"$got; stderr: $err"
}

# want_error NAME REGEX: the last run failed, with REGEX in its error.
want_error() {
	if [ -n "${SHOW:-}" ]; then echo "# $1: $(tr '\n' ' ' <<<"$err")"; fi
	check "$1: an error, not a count" \
		"$([ "$rc" -eq 1 ] && ! grep -q '^updates' <<<"$out" &&
		   grep -Eq -- "$2" <<<"$err" && echo 0 || echo 1)" \
		"exit $rc: $(tr '\n' ' ' <<<"$out"); stderr: $err"
}

# want_none NAME: the last run counted 0 updates and listed no package.
want_none() {
	check "$1: exit 0, updates 0, no package" \
		"$([ "$rc" -eq 0 ] && grep -qx "updates 0" <<<"$out" &&
		   ! grep -q '^package ' <<<"$out" && echo 0 || echo 1)" \
		"exit $rc: $(tr '\n' ' ' <<<"$out"); stderr: $err"
}

# want_held NAME PACKAGE: the last run counted 0 and listed PACKAGE held.
want_held() {
	check "$1: exit 0, updates 0, $2 held" \
		"$([ "$rc" -eq 0 ] && grep -qx "updates 0" <<<"$out" &&
		   grep -qx "held $2" <<<"$out" && echo 0 || echo 1)" \
		"exit $rc: $(tr '\n' ' ' <<<"$out"); stderr: $err"
}

# private_cache NAME [OWNER]: a fresh --cache-dir for one run.
private_cache() {
	install -d -m 700 -o "${2:-root}" "$T/cache/$1"
	echo "$T/cache/$1"
}

managers_env_need
if [ "${#MANAGERS_NEED[@]}" -gt 0 ] || [ "$(id -u)" -ne 0 ]; then
	bad "prerequisites: root and $(sed -n 's/^#   //p' "$0" | tr -s '\n ' ' ')" \
		"uid $(id -u); missing: ${MANAGERS_NEED[*]}"
	done_tests managers
	exit
fi
check "mount namespaces work (unshare -m)" \
	"$(sandbox -- true 2>/dev/null && echo 0 || echo 1)"

managers_env_init

managers_env_rpm

managers_env_dnf

run "dnf as root" "${DNF[@]}" -- "$PUB" --once --manager dnf \
	--cache-dir "$(private_cache dnf-root)"
want_updates "dnf as root" 1 1 shmdemo.noarch
check "dnf as root: the metadata went to the private cache dir" \
	"$(ls "$T"/cache/dnf-root/dnf/shmlocal-*/repodata/repomd.xml \
	   >/dev/null 2>&1 && echo 0 || echo 1)"

run "dnf as $user" "${DNF[@]}" -- "${NOBODY[@]}" "$PUB" --once \
	--manager dnf --cache-dir "$(private_cache dnf-user "$user")"
want_updates "dnf as $user" 1 1 shmdemo.noarch

# A second repository that cannot be read: the count would be partial.
run "dnf, one repository unreachable" "$D/repos-bad.conf:/etc/dnf/dnf.conf" \
	"$T/log:/var/log" "$T/vartmp:/var/tmp" -- "$PUB" --once --manager dnf \
	--cache-dir "$(private_cache dnf-bad)"
want_error "dnf, one repository unreachable" "shmgone|metadata|repomd"

# --no-refresh (dnf -C) reads the system cache: a stand-in filled here.
sandbox "${DNF[@]}" "$D/syscache:/var/cache/dnf" -- \
	env LC_ALL=C dnf -q makecache >/dev/null 2>&1
run "dnf --no-refresh" "${DNF[@]}" "$D/syscache:/var/cache/dnf" -- \
	"$PUB" --once --manager dnf --no-refresh
want_updates "dnf --no-refresh" 1 1 shmdemo.noarch
run "dnf --no-refresh, no cached metadata" "${DNF[@]}" \
	"$D/nocache:/var/cache/dnf" -- "$PUB" --once --manager dnf --no-refresh
want_error "dnf --no-refresh, no cached metadata" "shmlocal|cache"

# This machine's own dnf.conf and repository directories: none are there.
run "dnf, this machine's config (no repositories)" "$T/log:/var/log" -- \
	"$PUB" --once --manager dnf --cache-dir "$(private_cache dnf-bare)"
want_error "dnf, this machine's config (no repositories)" \
	"dnf check-update exited with status 1"

dnf_run() {	# dnf_run NAME CONF [PUBLISHER-PREFIX...]: --manager dnf
	local name=$1 conf=$2
	shift 2
	run "$name" "$conf:/etc/dnf/dnf.conf" "$T/log:/var/log" \
		"$T/vartmp:/var/tmp" -- "$@" "$PUB" --once --manager dnf \
		--cache-dir "$(private_cache "dnf-$(tr -c 'a-z0-9' - <<<"$name")")"
}

c=$(repo_file shmhttp "$HTTP/rpm-repo" | dnf_conf http)
dnf_run "dnf, a repository over http on loopback" "$c"
want_updates "dnf, a repository over http on loopback" 1 1 shmdemo.noarch
dnf_run "dnf, no network (unshare -n)" "$c" unshare -n
want_error "dnf, no network (unshare -n)" "'shmhttp'"
c=$(repo_file shmrefused http://127.0.0.1:9/ | dnf_conf refused)
dnf_run "dnf, repository refused (127.0.0.1:9)" "$c"
want_error "dnf, repository refused (127.0.0.1:9)" "'shmrefused'"
# Its own skip_if_unavailable=True would win over a main-section False.
c=$({ repo_file shmlocal "file://$T/rpm-repo"
      repo_file shmskip http://127.0.0.1:9/; echo skip_if_unavailable=True; } |
    dnf_conf skip)
dnf_run "dnf, a bad repository whose .repo says skip_if_unavailable" "$c"
want_error "dnf, a bad repository whose .repo says skip_if_unavailable" \
	"'shmskip'"
c=$(repo_file shmempty "file://$T/empty-repo" | dnf_conf empty)
dnf_run "dnf, a repository with no metadata" "$c"
want_error "dnf, a repository with no metadata" "'shmempty'"
c=$(repo_file shmlocal "file://$T/rpm-repo" | sed 's/enabled=1/enabled=0/' |
    dnf_conf disabled)
dnf_run "dnf, every repository disabled" "$c"
want_error "dnf, every repository disabled" "no enabled repositories"
# excludepkgs (and versionlock, which excludes): dnf leaves it out itself.
c=$(repo_file shmlocal "file://$T/rpm-repo" | dnf_conf exclude \
    excludepkgs=shmdemo)
dnf_run "dnf, excludepkgs=shmdemo" "$c"
want_none "dnf, excludepkgs=shmdemo"
# A repository gone since the last check: metadata not yet expired must
# not stand in for it.
c=$(repo_file shmgoing "$HTTP/rpm-repo" | dnf_conf going)
gc=$(private_cache dnf-going)
run "dnf, repository reachable (first check)" "$c:/etc/dnf/dnf.conf" \
	"$T/log:/var/log" "$T/vartmp:/var/tmp" -- "$PUB" --once --manager dnf \
	--cache-dir "$gc"
want_updates "dnf, repository reachable (first check)" 1 1 shmdemo.noarch
mv "$T/rpm-repo" "$T/rpm-repo-away"
run "dnf, the same repository gone, the same cache" "$c:/etc/dnf/dnf.conf" \
	"$T/log:/var/log" "$T/vartmp:/var/tmp" -- "$PUB" --once --manager dnf \
	--cache-dir "$gc"
want_error "dnf, the same repository gone, the same cache" "'shmgoing'"
mv "$T/rpm-repo-away" "$T/rpm-repo"

# --- yum: Debian has none; dnf runs the yum argv under that name.
ln -s "$(command -v dnf)" "$T/bin/yum"
run "yum argv, run by dnf as yum" "${DNF[@]}" -- env PATH="$T/bin:$PATH" \
	"$PUB" --once --manager yum --cache-dir "$(private_cache yum-root)"
want_updates "yum argv, run by dnf as yum" 1 1 shmdemo.noarch

managers_env_zypper

# Metadata goes to our --cache-dir: as root it is refreshed there, the
# system's (stand-in) cache stays empty.
zc=$(private_cache zypper-root)
run "zypper as root" "${ZYP[@]}" "$Z/etc:/etc/zypp" "$Z/nocache:/var/cache/zypp" \
	-- "$PUB" --once --manager zypper --cache-dir "$zc"
want_updates "zypper as root" 1 1 shmdemo.noarch
check "zypper as root: metadata in our cache dir, none in the system's" \
	"$(ls -d "$zc"/zypp/raw/shmlocal/repodata >/dev/null 2>&1 &&
	   [ -z "$(ls -A "$Z/nocache")" ] && echo 0 || echo 1)"

run "zypper as $user, an empty private cache" "${ZYP[@]}" "$Z/etc:/etc/zypp" \
	"$Z/nocache:/var/cache/zypp" -- "${NOBODY[@]}" "$PUB" --once \
	--manager zypper --cache-dir "$(private_cache zypper-user "$user")"
want_updates "zypper as $user, an empty private cache" 1 1 shmdemo.noarch

# A system cache that root filled: --no-refresh reads it as it is.
run "zypper (fill the stand-in system cache)" "${ZYP[@]}" "$Z/etc:/etc/zypp" \
	"$Z/cache:/var/cache/zypp" -- zypper --non-interactive refresh
run "zypper --no-refresh as $user, reading the cache root refreshed" \
	"${ZYP[@]}" "$Z/etc:/etc/zypp" "$Z/cache:/var/cache/zypp" -- \
	"${NOBODY[@]}" "$PUB" --once --manager zypper --no-refresh
want_updates "zypper --no-refresh as $user, reading the cache root refreshed" \
	1 1 shmdemo.noarch
run "zypper --no-refresh as $user, no repository cache" "${ZYP[@]}" \
	"$Z/etc:/etc/zypp" "$Z/nocache:/var/cache/zypp" -- "${NOBODY[@]}" \
	"$PUB" --once --manager zypper --no-refresh
want_error "zypper --no-refresh as $user, no repository cache" "shmlocal|[Rr]epositor|cache"

run "zypper, one repository unreachable" "${ZYP[@]}" "$Z/etc-bad:/etc/zypp" \
	"$Z/nocache:/var/cache/zypp" -- "$PUB" --once --manager zypper \
	--cache-dir "$(private_cache zypper-bad)"
want_error "zypper, one repository unreachable" "shmgone|[Rr]epositor"
# Without the refresh (not root), the listing must fail on its own.
run "zypper as $user, one repository unreachable" "${ZYP[@]}" \
	"$Z/etc-bad:/etc/zypp" "$Z/nocache:/var/cache/zypp" -- "${NOBODY[@]}" \
	"$PUB" --once --manager zypper \
	--cache-dir "$(private_cache zypper-user-bad "$user")"
want_error "zypper as $user, one repository unreachable" \
	"no-such-repo"
zypper_run() {	# zypper_run NAME ETC [PUBLISHER-PREFIX...]
	local name=$1 etc=$2
	shift 2
	run "$name" "${ZYP[@]}" "$etc:/etc/zypp" "$Z/nocache:/var/cache/zypp" \
		-- "$@" "$PUB" --once --manager zypper --cache-dir \
		"$(private_cache "zypper-$(tr -c 'a-z0-9' - <<<"$name")")"
}

e=$(repo_file shmhttp "$HTTP/rpm-repo" | zypp_etc http)
zypper_run "zypper, a repository over http on loopback" "$e"
want_updates "zypper, a repository over http on loopback" 1 1 shmdemo.noarch
zypper_run "zypper, no network (unshare -n)" "$e" unshare -n
want_error "zypper, no network (unshare -n)" "'shmhealth shmhttp' is invalid"
e=$(repo_file shmrefused http://127.0.0.1:9/ | zypp_etc refused)
zypper_run "zypper, repository refused (127.0.0.1:9)" "$e"
want_error "zypper, repository refused (127.0.0.1:9)" \
	"'shmhealth shmrefused' is invalid"
e=$(zypp_etc none </dev/null)
# As root the refresh stops first, exit 6 (ZYPPER_EXIT_NO_REPOS), its words
# quoted from stdout.  As another user the repository listing does.
zypper_run "zypper, no repository defined" "$e"
want_error "zypper, no repository defined" "zypper: exit status 6: Warning: There are no enabled repositories defined"
run "zypper as $user, no repository defined" "${ZYP[@]}" "$e:/etc/zypp" \
	"$Z/nocache:/var/cache/zypp" -- "${NOBODY[@]}" "$PUB" --once \
	--manager zypper --cache-dir "$(private_cache zypper-user-none "$user")"
want_error "zypper as $user, no repository defined" "zypper repos: no repository defined"
# A lock (zypper addlock): list-updates leaves the package out itself.
e=$(repo_file shmlocal "file://$T/rpm-repo" | zypp_etc lock)
printf 'type: package\nmatch_type: glob\ncase_sensitive: on\nsolvable_name: shmdemo\n\n' \
	>"$e/locks"
chmod a+r "$e/locks"
zypper_run "zypper, shmdemo locked" "$e"
want_none "zypper, shmdemo locked"

# As root, zypper refresh runs before the listing, which alone would read
# every repository disabled as "0 pending" and would not ask a repository
# with autorefresh=0 (or within the refresh delay) again.
e=$(repo_file shmlocal "file://$T/rpm-repo" | sed 's/enabled=1/enabled=0/' |
    zypp_etc disabled)
zypper_run "zypper, every repository disabled" "$e"
want_error "zypper, every repository disabled" "zypper: exit status 6: Warning: There are no enabled repositories defined"
# Without the refresh (not root), zypper repos sees that none is enabled.
run "zypper as $user, every repository disabled" "${ZYP[@]}" "$e:/etc/zypp" \
	"$Z/nocache:/var/cache/zypp" -- "${NOBODY[@]}" "$PUB" --once \
	--manager zypper --cache-dir "$(private_cache zypper-user-disabled "$user")"
want_error "zypper as $user, every repository disabled" "zypper repos: no enabled repository"
e=$({ repo_file shmlocal "file://$T/rpm-repo"
      repo_file shmoff http://127.0.0.1:9/ | sed 's/enabled=1/enabled=0/'; } |
    zypp_etc somedisabled)
zypper_run "zypper, a good repository beside a disabled one" "$e"
want_updates "zypper, a good repository beside a disabled one" \
	1 1 shmdemo.noarch
# A repository gone since the last check, its metadata in the same cache.
e=$(repo_file shmgoing "$HTTP/rpm-repo" | sed 's/autorefresh=1/autorefresh=0/' |
    zypp_etc going)
zc=$(private_cache zypper-going)
run "zypper, autorefresh=0, reachable (first check)" "${ZYP[@]}" \
	"$e:/etc/zypp" "$Z/nocache:/var/cache/zypp" -- "$PUB" --once \
	--manager zypper --cache-dir "$zc"
want_updates "zypper, autorefresh=0, reachable (first check)" \
	1 1 shmdemo.noarch
check "zypper, autorefresh=0: refreshed into our cache dir, not the system's" \
	"$(ls -d "$zc"/zypp/raw/shmgoing/repodata >/dev/null 2>&1 &&
	   [ -z "$(ls -A "$Z/nocache")" ] && echo 0 || echo 1)"
mv "$T/rpm-repo" "$T/rpm-repo-away"
run "zypper, autorefresh=0, the repository gone, the same cache" \
	"${ZYP[@]}" "$e:/etc/zypp" "$Z/nocache:/var/cache/zypp" -- "$PUB" \
	--once --manager zypper --cache-dir "$zc"
want_error "zypper, autorefresh=0, the repository gone, the same cache" \
	"'shmhealth shmgoing'"
mv "$T/rpm-repo-away" "$T/rpm-repo"
# Another user cannot refresh it at all: the check says so, not "read".
run "zypper as $user, autorefresh=0" "${ZYP[@]}" "$e:/etc/zypp" \
	"$Z/nocache:/var/cache/zypp" -- "${NOBODY[@]}" "$PUB" --once \
	--manager zypper --cache-dir "$(private_cache zypper-user-going "$user")"
want_error "zypper as $user, autorefresh=0" \
	"repository shmgoing has autorefresh off, and only root can refresh it"
unset ZYPP_LOCKFILE_ROOT

managers_env_pacman

run "pacman as root" "${PAC[@]}" -- "$PUB" --once --manager pacman \
	--cache-dir "$(private_cache pacman-root)"
want_updates "pacman as root" 1 unknown shmdemo
check "pacman as root: synced into the private dbpath" \
	"$([ -f "$T/cache/pacman-root/pacman/sync/shmlocal.db" ] &&
	   [ ! -e "$P/root/var/lib/pacman/sync/shmlocal.db" ] && echo 0 || echo 1)"

run "pacman as $user (fakeroot)" "${PAC[@]}" -- "${NOBODY[@]}" "$PUB" --once \
	--manager pacman --cache-dir "$(private_cache pacman-user "$user")"
want_updates "pacman as $user (fakeroot)" 1 unknown shmdemo

run "pacman, repository unreachable" "$P/pacman-bad.conf:/etc/pacman.conf" \
	"$P/root/var/lib/pacman:/var/lib/pacman" -- "$PUB" --once \
	--manager pacman --cache-dir "$(private_cache pacman-bad)"
want_error "pacman, repository unreachable" "shmlocal|failed"

run "pacman --no-refresh" "$P/pacman.conf:/etc/pacman.conf" \
	"$P/synced:/var/lib/pacman" -- "$PUB" --once --manager pacman --no-refresh
want_updates "pacman --no-refresh" 1 unknown shmdemo
run "pacman --no-refresh, no sync database" "${PAC[@]}" -- \
	"$PUB" --once --manager pacman --no-refresh
want_error "pacman --no-refresh, no sync database" "shmlocal|database"

# This machine's own pacman.conf (no repositories) and /var/lib/pacman (no
# local database: the link to it dangles, and pacman cannot start).
run "pacman, this machine's own config" -- "$PUB" --once \
	--manager pacman --cache-dir "$(private_cache pacman-bare)"
want_error "pacman, this machine's own config" "pacman: exit status"

pacman_run() {	# pacman_run NAME CONF [PUBLISHER-PREFIX...]
	local name=$1 conf=$2
	shift 2
	run "$name" "$conf:/etc/pacman.conf" \
		"$P/root/var/lib/pacman:/var/lib/pacman" -- "$@" "$PUB" --once \
		--manager pacman --cache-dir \
		"$(private_cache "pacman-$(tr -c 'a-z0-9' - <<<"$name")")"
}

c=$(repo_section shmlocal "$HTTP/pacman/repo" | pacman_conf http)
pacman_run "pacman, a repository over http on loopback" "$c"
want_updates "pacman, a repository over http on loopback" 1 unknown shmdemo
pacman_run "pacman, no network (unshare -n)" "$c" unshare -n
want_error "pacman, no network (unshare -n)" \
	"failed retrieving file 'shmlocal.db' from 127.0.0.1"
c=$({ repo_section shmlocal "file://$P/repo"
      repo_section shmrefused http://127.0.0.1:9/; } | pacman_conf onebad)
pacman_run "pacman, one repository refused among good ones" "$c"
want_error "pacman, one repository refused among good ones" \
	"'shmrefused.db' from 127.0.0.1:9"
c=$(pacman_conf none </dev/null)
pacman_run "pacman, no repository configured" "$c"
want_error "pacman, no repository configured" "no usable package repositories"
run "pacman --no-refresh, no repository configured" "$c:/etc/pacman.conf" \
	"$P/synced:/var/lib/pacman" -- "$PUB" --once --manager pacman --no-refresh
want_error "pacman --no-refresh, no repository configured" \
	"no usable package repositories"
# IgnorePkg and IgnoreGroup: -Qu marks the update [ignored]; held apart.
c=$(repo_section shmlocal "file://$P/repo" |
    pacman_conf ignorepkg "IgnorePkg = shmdemo")
pacman_run "pacman, IgnorePkg = shmdemo" "$c"
want_held "pacman, IgnorePkg = shmdemo" shmdemo
c=$(repo_section shmlocal "file://$P/repo" |
    pacman_conf ignoregroup "IgnoreGroup = shmgroup")
pacman_run "pacman, IgnoreGroup = shmgroup" "$c"
want_held "pacman, IgnoreGroup = shmgroup" shmdemo
run "pacman --no-refresh, IgnorePkg = shmdemo" \
	"$P/ignorepkg.conf:/etc/pacman.conf" "$P/synced:/var/lib/pacman" -- \
	"$PUB" --once --manager pacman --no-refresh
want_held "pacman --no-refresh, IgnorePkg = shmdemo" shmdemo

# --- apk: not in Debian.  A missing manager is an error, not a count.
if command -v apk >/dev/null; then
	echo "# apk is installed here but this script has no apk case"
else
	run "apk (not in Debian: absent)" -- "$PUB" --once --manager apk
	want_error "apk (not in Debian: absent)" "apk not found"
fi

kill "$HTTPD" 2>/dev/null
wait "$HTTPD" 2>/dev/null
done_tests managers
