# SPDX-License-Identifier: MIT
# shellcheck shell=bash
# Sourced by tests/managers.sh and bench/managers.sh: the local rpm-md and
# pacman repositories, the private package databases and the stand-in
# configurations against which dnf, zypper and pacman run offline, and the
# mount-namespace sandbox that puts those in place of the system's files.
#
# The sourcing script provides T (a scratch directory, mode 755), pids (an
# array: the file server's pid is added to it, for the script to kill) and
# check NAME STATUS [DETAIL] and bad NAME [DETAIL], through which the set-up
# reports each step (tests/lib.sh's, or the benchmark's own).  Relative
# paths are from the repository's top directory.
#
#   managers_env_need      MANAGERS_NEED: the programs and files missing
#   managers_env_init      HOME (where Debian's rpm keeps its database)
#   managers_env_rpm       the rpm packages and repository, the rpm database,
#                          the file server on loopback (HTTP, HTTPD)
#   managers_env_dnf       D, and DNF: the binds for dnf on the file repository
#   managers_env_zypper    Z, ZYPP_LOCKFILE_ROOT, and ZYP: zypper's binds
#   managers_env_pacman    P, and PAC: the binds for pacman
#   sandbox SRC:DST... -- CMD...
#   repo_file, dnf_conf, zypp_etc, repo_section, pacman_conf: configurations
#
# shellcheck disable=SC2034 # what is set here is read by the sourcing script

DATA=$(dirname "${BASH_SOURCE[0]}")/managers
user=nobody
NOBODY=(setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups)

managers_env_need() {
	local prog f
	MANAGERS_NEED=()
	for prog in dnf zypper pacman makepkg repo-add fakeroot rpm rpmbuild \
		createrepo_c modifyrepo_c bsdtar unshare setpriv /usr/bin/python3; do
		command -v "$prog" >/dev/null || MANAGERS_NEED+=("$prog")
	done
	for f in /etc/dnf/dnf.conf /var/lib/rpm /etc/zypp/zypp.conf /var/lib/zypp \
		/var/cache/zypp /etc/pacman.conf /var/lib/pacman; do
		[ -e "$f" ] || MANAGERS_NEED+=("$f")
	done
}

# sandbox SRC:DST... -- CMD...: CMD in a private mount namespace in which
# each SRC is bind-mounted over the system's DST.
sandbox() {
	local binds=()
	while [ "$1" != -- ]; do binds+=("$1"); shift; done
	shift
	# shellcheck disable=SC2016 # the inner shell expands its own arguments
	unshare --mount --propagation private bash -c '
		while [ "$1" != -- ]; do
			mount --bind "${1%%:*}" "${1#*:}" || exit 125
			shift
		done
		shift
		exec "$@"' sandbox "${binds[@]}" -- "$@"
}

# httpd_start: serves $T on loopback; sets HTTP (its base URL) and HTTPD.
httpd_start() {
	local i
	rm -f "$T/httpd.port"
	/usr/bin/python3 "$DATA/httpd.py" "$T" "$T/httpd.port" &
	HTTPD=$!
	pids+=("$HTTPD")
	for ((i = 0; i < 100; i++)); do
		[ -s "$T/httpd.port" ] && break
		sleep 0.05
	done
	HTTP=http://127.0.0.1:$(cat "$T/httpd.port" 2>/dev/null)
}

managers_env_init() {
	# Everything below $T is readable by $user: the repositories, the databases.
	export HOME=$T/home
	install -d -m 755 "$HOME" "$T/cache" "$T/log" "$T/bin"
}

# --- rpm: two package versions, version 1.0 installed (rpm --justdb into
# the database in HOME, with a release package that tells dnf the release
# version as on Fedora), 2.0 in a local rpm-md repository whose updateinfo
# (one security advisory: what dnf check-update --security and zypper
# list-patches --category security read) marks it a security update.
# updateinfo.xml must stay well-formed: dnf ignores a malformed one without
# a word, and zypper skips the whole repository (exit 106).
managers_env_rpm() {
	local v
	RPMBUILD=(rpmbuild -bb --quiet --define "_topdir $T/rpmbuild"
		--define "_tmppath $T")
	for v in 1.0 2.0; do
		"${RPMBUILD[@]}" --define "ver $v" "$DATA/shmdemo.spec" \
			>"$T/rpmbuild.log" 2>&1 ||
			bad "rpmbuild shmdemo $v" "$(tail -n 3 "$T/rpmbuild.log")"
	done
	"${RPMBUILD[@]}" "$DATA/release.spec" >"$T/rpmbuild.log" 2>&1 ||
		bad "rpmbuild shmrelease" "$(tail -n 3 "$T/rpmbuild.log")"
	RPMS=$T/rpmbuild/RPMS/noarch
	install -d -m 755 "$T/rpm-repo"
	cp "$RPMS/shmdemo-2.0-1.noarch.rpm" "$T/rpm-repo/"
	# shellcheck disable=SC2015 # either failing is reported
	createrepo_c -q "$T/rpm-repo" &&
		modifyrepo_c --mdtype=updateinfo "$DATA/updateinfo.xml" \
			"$T/rpm-repo/repodata" >/dev/null ||
		bad "createrepo_c and modifyrepo_c build the rpm-md repository"
	rpm --dbpath "$HOME/.rpmdb" -i --nodeps --justdb \
		"$RPMS/shmdemo-1.0-1.noarch.rpm" "$RPMS/shmrelease-1-1.noarch.rpm" \
		>/dev/null 2>&1
	check "rpm: shmdemo 1.0 and shmrelease installed in the private database" \
		"$(rpm --dbpath "$HOME/.rpmdb" -q shmdemo shmrelease 2>/dev/null |
		   tr '\n' ' ' | grep -qx 'shmdemo-1.0-1.noarch shmrelease-1-1.noarch ' &&
		   echo 0 || echo 1)"
	chmod -R a+rX "$T"
	httpd_start
	check "a file server on loopback serves the rpm repository" \
		"$(timeout 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/${HTTP##*:}" \
		   2>/dev/null && echo 0 || echo 1)"
	install -d -m 755 "$T/empty-repo"
}

repo_file() {	# repo_file ID URL: a .repo file as dnf and zypper read it
	printf '[%s]\nname=shmhealth %s\nbaseurl=%s\n' "$1" "$1" "$2"
	printf 'enabled=1\nautorefresh=1\ntype=rpm-md\ngpgcheck=0\n'
}

# --- dnf: the image's dnf.conf as Debian ships it (as Fedora's, it sets
# skip_if_unavailable=True), pointed at our repository directory.
managers_env_dnf() {
	local r
	D=$T/dnf
	install -d -m 755 "$D/repos" "$D/repos-bad" "$D/syscache" "$D/nocache"
	repo_file shmlocal "file://$T/rpm-repo" >"$D/repos/shmlocal.repo"
	cp "$D/repos/shmlocal.repo" "$D/repos-bad/"
	repo_file shmgone "file://$T/no-such-repo" >"$D/repos-bad/shmgone.repo"
	for r in repos repos-bad; do
		{ cat /etc/dnf/dnf.conf; echo "reposdir=$D/$r"; } >"$D/$r.conf"
	done
	# As non-root, dnf keeps locks and logs in /var/tmp/dnf-USER-*: a stand-in.
	install -d -m 1777 "$T/vartmp"
	DNF=("$D/repos.conf:/etc/dnf/dnf.conf" "$T/log:/var/log" "$T/vartmp:/var/tmp")
}

# dnf_conf NAME [MAIN-LINE] < REPO-FILES: a dnf.conf whose reposdir holds
# the .repo text read from stdin; prints its path.
dnf_conf() {
	install -d -m 755 "$D/$1.d"
	cat >"$D/$1.d/shm.repo"
	{ cat /etc/dnf/dnf.conf; echo "reposdir=$D/$1.d"; echo "${2:-}"; } \
		>"$D/$1.conf"
	echo "$D/$1.conf"
}

# --- zypper: an image's /etc/zypp with our repository, its rpm database
# (/var/lib/rpm), /var/lib/zypp and repository cache (/var/cache/zypp) all
# stand-ins; zypper's lock file goes to a directory of ours.
managers_env_zypper() {
	Z=$T/zypp
	install -d -m 755 "$Z/var" "$Z/lock" "$Z/cache" "$Z/nocache"
	cp -a /etc/zypp "$Z/etc"
	cp -a /etc/zypp "$Z/etc-bad"
	repo_file shmlocal "file://$T/rpm-repo" >"$Z/etc/repos.d/shmlocal.repo"
	cp "$Z/etc/repos.d/shmlocal.repo" "$Z/etc-bad/repos.d/"
	repo_file shmgone "file://$T/no-such-repo" >"$Z/etc-bad/repos.d/shmgone.repo"
	chmod -R a+rX "$Z"
	export ZYPP_LOCKFILE_ROOT=$Z/lock
	ZYP=("$HOME/.rpmdb:/var/lib/rpm" "$Z/var:/var/lib/zypp" "$T/log:/var/log"
		"$T/vartmp:/var/tmp")
}

# zypp_etc NAME < REPO-FILES: a stand-in /etc/zypp with those repositories.
zypp_etc() {
	cp -a /etc/zypp "$Z/etc-$1"
	cat >"$Z/etc-$1/repos.d/shm.repo"
	[ -s "$Z/etc-$1/repos.d/shm.repo" ] || rm "$Z/etc-$1/repos.d/shm.repo"
	chmod -R a+rX "$Z/etc-$1"
	echo "$Z/etc-$1"
}

# --- pacman: an empty package in two versions built with makepkg (as
# $user: makepkg refuses root), 1.0 installed with pacman -U into a
# private root, 2.0 in a local repository made with repo-add.
managers_env_pacman() {
	local v c
	P=$T/pacman
	install -d -m 755 "$P/repo" "$P/root/var/lib/pacman"
	install -d -m 755 -o "$user" "$P/build"
	cp "$DATA/PKGBUILD" "$P/build/"
	for v in 1.0 2.0; do
		(cd "$P/build" && "${NOBODY[@]}" env SHMDEMO_VER=$v PKGDEST="$P/build" \
			makepkg -f) >"$P/makepkg.log" 2>&1 ||
			bad "makepkg shmdemo $v" "$(tail -n 3 "$P/makepkg.log")"
	done
	cp "$P"/build/shmdemo-2.0-1-any.pkg.tar.* "$P/repo/"
	repo-add -q "$P/repo/shmlocal.db.tar.gz" "$P"/repo/shmdemo-2.0-1-any.pkg.tar.* \
		>/dev/null 2>&1 || bad "repo-add builds the pacman repository"
	pacman -U --noconfirm --root "$P/root" --dbpath "$P/root/var/lib/pacman" \
		--config /dev/null --logfile /dev/null --cachedir "$P/pkgcache" \
		"$P"/build/shmdemo-1.0-1-any.pkg.tar.* >/dev/null 2>&1
	check "pacman: shmdemo 1.0 is installed in the private root" \
		"$(pacman -Q --dbpath "$P/root/var/lib/pacman" shmdemo 2>/dev/null |
		   grep -qx 'shmdemo 1.0-1' && echo 0 || echo 1)"
	# The stand-in /var/lib/pacman that has sync databases, for --no-refresh.
	cp -a "$P/root/var/lib/pacman" "$P/synced"
	for c in pacman pacman-bad; do
		{ cat /etc/pacman.conf; echo "[shmlocal]"; echo "SigLevel = Never"; } >"$P/$c.conf"
	done
	echo "Server = file://$P/repo" >>"$P/pacman.conf"
	echo "Server = file://$T/no-such-repo" >>"$P/pacman-bad.conf"
	chmod -R a+rX "$P"
	pacman -Sy --config "$P/pacman.conf" --dbpath "$P/synced" --logfile /dev/null \
		>/dev/null 2>&1 || bad "pacman -Sy fills the stand-in sync databases"
	PAC=("$P/pacman.conf:/etc/pacman.conf" "$P/root/var/lib/pacman:/var/lib/pacman")
}

pacman_conf() {	# pacman_conf NAME [OPTION...] < REPO-SECTIONS
	local name=$1 opt
	shift
	{ sed -n '1,/^\[options\]/p' /etc/pacman.conf
	  for opt in "$@"; do echo "$opt"; done
	  sed '1,/^\[options\]/d' /etc/pacman.conf
	  cat; } >"$P/$name.conf"
	chmod a+r "$P/$name.conf"
	echo "$P/$name.conf"
}
repo_section() { printf '[%s]\nSigLevel = Never\nServer = %s\n' "$1" "$2"; }
