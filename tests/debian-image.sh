#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A real Debian image, end to end.  A bookworm root file system built from
# Debian's own packages with mmdebstrap (cached, rebuilt weekly) is imported
# into podman and examples/Dockerfile.debian is built on it, unchanged but
# for its BASE argument.  Then, in containers of that image (health checks
# driven by `podman healthcheck run`, as in tests/podman.sh):
#   - the image's own apt, offline, sees a newer version of an installed
#     package in a local repository: "Update(s) 1 available: shmdemo";
#   - rebuilt with that update installed, the image is healthy again;
#   - the same as a non-root USER;
#   - offline with the real Debian sources, the check fails naming the
#     mirror, never "ok"; online, it reads the real archive;
#   - wrapper mode (ENTRYPOINT ["shm-publisher", "--"]): SIGHUP reaches the
#     service, the check works, and a stop ends both with the service's
#     exit status.
# Needs root, podman, runc, busybox-static (tests/podman-env.sh), mmdebstrap,
# dpkg-dev, jq, `make static`, and the network to the Debian archive for
# mmdebstrap and for the image's build and its one online check.  A podman
# or mmdebstrap that does not work is a failure, with the reason, never a
# skip.  The root file system is cached in SHMHEALTH_CACHE (default
# /var/cache/shmhealth-tests).  Ends with "debian-image: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1

. tests/lib.sh
. tests/podman-env.sh

SUITE=bookworm
CACHE=${SHMHEALTH_CACHE:-/var/cache/shmhealth-tests}
CACHE_DAYS=7
P=shmhealth-deb$$
BASE=localhost/$P-base:latest # the imported root file system
APP=localhost/$P-app:latest   # examples/Dockerfile.debian built on it
PLOG=$T/podman.log
CTX=$T/ctx
names=() images=() tmp=''

pclean() {
	local n
	for n in "${names[@]}"; do podman rm -f -t 0 "$n"; done
	for ((n = ${#images[@]} - 1; n >= 0; n--)); do podman rmi -f "${images[n]}"; done
} >/dev/null 2>&1
trap 'pclean; rm -f "$tmp"; cleanup' EXIT
trap 'exit 130' INT TERM

# What podman said last, less its complaints about systemd (there is none
# here, so it cannot set up health check timers; we drive them).
plast() { grep -v 'systemd' "$PLOG" | tail -n "${1:-1}"; }

fatal() {
	if [ -n "${2:-}" ]; then bad "debian-image: $1" "$2"; else bad "debian-image: $1"; fi
	done_tests debian-image
	exit 1
}

# run_c NAME PODMAN-RUN-ARGS...: start a detached container.
run_c() {
	local name=$1
	shift
	names+=("$name")
	podman run -d --name "$name" "$@" >>"$PLOG" 2>&1
}

# build IMAGE CONTAINERFILE CONTEXT PODMAN-BUILD-ARGS...
build() {
	local img=$1 file=$2 ctx=$3
	shift 3
	images+=("$img")
	echo "== podman build $img" >>"$PLOG"
	podman build -q --format docker --layers=false "$@" -t "$img" -f "$file" "$ctx" >>"$PLOG" 2>&1
}

# hc NAME: one `podman healthcheck run`; HC_RC is its status, HC_CODE and
# HC_TEXT the exit code and output of the newest entry in the health log.
hc() {
	local log
	podman healthcheck run "$1" >/dev/null 2>>"$PLOG"
	HC_RC=$?
	log=$(podman inspect --format '{{range .State.Health.Log}}@@{{.ExitCode}} {{.Output}}{{end}}' "$1" 2>>"$PLOG")
	log=${log##*@@}
	HC_CODE=${log%% *} HC_TEXT=${log#* }
}

# running NAME: whether the container runs; if not, LAST says what it said.
running() {
	[ "$(podman inspect --format '{{.State.Running}}' "$1" 2>&1)" = true ] && return 0
	LAST="container $1 not running; its last words: $(podman logs --tail 3 "$1" 2>&1 | grep -v systemd | tr '\n' ' ')"
	return 1
}

# until_health NAME SECONDS STATUS REGEX: run checks until one exits STATUS
# with its logged output matching REGEX.  The first update check runs apt,
# so a few seconds of "starting" come first.
until_health() {
	local name=$1 end=$(($(date +%s) + $2)) want=$3 re=$4
	while :; do
		hc "$name"
		running "$name" || return 1
		[ "$HC_RC" -eq "$want" ] && [ "$HC_CODE" = "$want" ] && grep -Eq -- "$re" <<<"$HC_TEXT" && return 0
		[ "$(date +%s)" -ge "$end" ] && break
		sleep 0.5
	done
	LAST="healthcheck run exit $HC_RC; log: exit $HC_CODE: $HC_TEXT"
	return 1
}

# until_settled NAME SECONDS: run checks until the first update check has
# ended: the verdict is no longer "starting".
until_settled() {
	local end=$(($(date +%s) + $2))
	while hc "$1"; [ -z "$HC_CODE" ] || grep -q '^starting' <<<"$HC_TEXT"; do
		running "$1" || return 1
		[ "$(date +%s)" -ge "$end" ] && return 1
		sleep 0.5
	done
}

# hexpect NAME CONTAINER SECONDS STATUS REGEX
hexpect() {
	if until_health "$2" "$3" "$4" "$5"; then ok "$1: $HC_TEXT"; else bad "$1" "$LAST"; fi
}

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

t_start=$(date +%s)

# --- the environment: a failure here fails the test, with the reason --------
podman_env_setup "$T/podman" || fatal "environment: $PODMAN_ENV_ERR"
for tool in mmdebstrap:mmdebstrap dpkg-scanpackages:dpkg-dev flock:util-linux jq:jq; do
	command -v "${tool%%:*}" >/dev/null ||
		fatal "environment: ${tool%%:*} not installed (apt-get install ${tool#*:})"
done
for f in shm-publisher shm-reader; do
	[ -x "$STATIC/$f" ] || fatal "environment: $STATIC/$f missing: run make static"
done

# --- 1. the root file system: mmdebstrap, cached ---------------------------
# Keyed by suite, variant and architecture; rebuilt when missing or older
# than CACHE_DAYS, so that it does not drift far from the archive.  Its
# sources are those of Debian's official images, in
# /etc/apt/sources.list.d/debian.sources.  A lock keeps two runs from
# building it at once; the tarball is renamed into place only when whole.
arch=$(dpkg --print-architecture)
TARBALL=$CACHE/debian-$SUITE-minbase-$arch.tar
cat >"$T/debian.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
mkdir -p "$CACHE" || fatal "environment: cannot create the cache directory $CACHE"
exec 9>"$CACHE/.debian-$SUITE.lock" && flock -w 900 9 ||
	fatal "environment: cannot lock $CACHE/.debian-$SUITE.lock"
t0=$(date +%s)
if [ -s "$TARBALL" ] && [ -n "$(find "$TARBALL" -mtime -"$CACHE_DAYS")" ]; then
	ok "mmdebstrap root file system: cached $TARBALL, $((($(date +%s) - $(stat -c %Y "$TARBALL")) / 3600)) h old"
else
	# mmdebstrap picks the format by the target's extension: keep .tar.
	tmp=$CACHE/.debian-$SUITE-minbase-$arch.$$.tar
	# shellcheck disable=SC2016 # $1 is the hook's: the root being built.
	if mmdebstrap --variant=minbase --quiet \
		--customize-hook='rm -f "$1/etc/apt/sources.list"' \
		--customize-hook="upload $T/debian.sources /etc/apt/sources.list.d/debian.sources" \
		"$SUITE" "$tmp" >"$T/mmdebstrap.log" 2>&1 && mv -f "$tmp" "$TARBALL"; then
		ok "mmdebstrap --variant=minbase $SUITE: built $TARBALL in $(($(date +%s) - t0)) s"
	else
		fatal "mmdebstrap --variant=minbase $SUITE failed" "$(tail -n 5 "$T/mmdebstrap.log")"
	fi
fi
exec 9>&-
images+=("$BASE")
# The configuration of Debian's own images: PATH, and bash as the command.
out=$(podman import -q --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change 'CMD ["bash"]' "$TARBALL" "$BASE" 2>&1) ||
	fatal "podman import $TARBALL" "$(tail -n 3 <<<"$out")"
out=$(podman run --rm --network=none "$BASE" sh -c '. /etc/os-release; echo "$VERSION_CODENAME $(cat /etc/debian_version)"' 2>&1)
grep -q "^$SUITE " <<<"$out" && ok "podman import: the image runs, Debian $out" ||
	fatal "podman run of the imported root file system" "$(grep -v systemd <<<"$out" | tail -n 3)"

# --- 2. examples/Dockerfile.debian on it, BASE its only change -----------------
# Its RUN installs nginx from the archive: the build needs the network.  It
# gets the host's, so that it does not depend on podman's bridge network.
if build "$APP" examples/Dockerfile.debian . --network=host --build-arg "BASE=$BASE"; then
	ok "podman build --network=host --build-arg BASE=... of examples/Dockerfile.debian (apt-get install nginx)"
else
	fatal "podman build of examples/Dockerfile.debian" "$(plast 5)"
fi
out=$(podman image inspect --format '{{json .Config.Entrypoint}} {{json .Config.Healthcheck.Test}} {{json .Config.Cmd}}' "$APP" 2>&1)
[ "$out" = '["/entrypoint.sh"] ["CMD","shm-reader"] ["nginx","-g","daemon off;"]' ] &&
	ok "... its ENTRYPOINT, HEALTHCHECK and CMD are the example's: $out" ||
	bad "... its ENTRYPOINT, HEALTHCHECK and CMD are the example's" "$out"

# --- the local repository: shmdemo 1.0 installed, 1.1 in the repository ---------
mkdir -p "$CTX/repo"
# mkdeb VERSION DIR: a package with one file, built by dpkg-deb.
mkdeb() {
	local d=$T/pkg/shmdemo-$1
	mkdir -p "$d/DEBIAN" "$d/usr/share/shmdemo"
	printf 'Package: shmdemo\nVersion: %s\nArchitecture: all\nMaintainer: shmhealth tests <root@localhost>\nSection: misc\nPriority: optional\nDescription: shmhealth test package\n' \
		"$1" >"$d/DEBIAN/control"
	echo "$1" >"$d/usr/share/shmdemo/version"
	dpkg-deb --root-owner-group -b "$d" "$2/shmdemo_$1_all.deb" >>"$PLOG" 2>&1
}
if mkdeb 1.0 "$CTX" && mkdeb 1.1 "$CTX/repo" &&
	(cd "$CTX/repo" && dpkg-scanpackages -m . /dev/null >Packages 2>>"$PLOG"); then
	# A flat repository's Release: dated now, no Valid-Until.  The
	# publisher's apt checks both.
	{
		printf 'Origin: shmhealth\nLabel: shmhealth\nSuite: local\nCodename: local\n'
		printf 'Date: %s\n' "$(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S UTC')"
		printf 'SHA256:\n %s %s Packages\n' "$(sha256sum <"$CTX/repo/Packages" | cut -d' ' -f1)" \
			"$(stat -c %s "$CTX/repo/Packages")"
	} >"$CTX/repo/Release"
	ok "dpkg-deb: shmdemo 1.0 and 1.1; a flat repository holding 1.1"
else
	fatal "building the shmdemo packages and their repository" "$(tail -n 3 "$PLOG")"
fi
printf 'Types: deb\nURIs: file:/srv/repo\nSuites: ./\nTrusted: yes\n' >"$CTX/local.sources"

# The lab image: the example with shmdemo 1.0 installed, a user "app", and
# the local repository as its only source (debian.sources replaced), so
# that offline exactly one update is pending.
LAB=localhost/$P-lab:latest
cat >"$CTX/Containerfile.lab" <<'EOF'
ARG BASE
FROM $BASE
COPY shmdemo_1.0_all.deb /tmp/
RUN dpkg -i /tmp/shmdemo_1.0_all.deb && rm /tmp/shmdemo_1.0_all.deb \
 && useradd -m -u 1000 app
COPY repo/ /srv/repo/
COPY local.sources /etc/apt/sources.list.d/debian.sources
EOF
build "$LAB" "$CTX/Containerfile.lab" "$CTX" --network=none --build-arg "BASE=$APP" ||
	fatal "podman build of the lab image (shmdemo 1.0, local repository)" "$(plast 5)"

# --- 3. the image's own apt sees the update --------------------------------------
L=$P-lab
run_c "$L" --network=none "$LAB" || fatal "cannot start $L" "$(plast)"
hexpect "offline, local repository with shmdemo 1.1 over an installed 1.0: the health log says" \
	"$L" 90 1 '^Update\(s\) 1 available: shmdemo$'
json=$(podman exec "$L" shm-reader --format json 2>&1)
jq -e '.updates.backend == "apt" and ([.updates.packages[] | select(.name == "shmdemo" and .installed == "1.0" and .candidate == "1.1")] | length == 1)' \
	<<<"$json" >/dev/null 2>&1 &&
	ok "... JSON: backend apt, shmdemo installed 1.0, candidate 1.1" ||
	bad "... JSON: backend apt, shmdemo installed 1.0, candidate 1.1" "$(head -c 600 <<<"$json")"
out=$(podman exec "$L" sh -c 'ls -A /var/lib/apt/lists; stat -c "%U %a" /var/tmp/shmhealth-0' 2>&1)
[ "$out" = "root 755" ] &&
	ok "... the image's /var/lib/apt/lists stays empty; the index is in /var/tmp/shmhealth-0 (root, 755)" ||
	bad "... the image's /var/lib/apt/lists stays empty; the index is in /var/tmp/shmhealth-0" "$out"

# --- 4. rebuilt with the update: healthy -------------------------------------------
UPG=localhost/$P-upgraded:latest
cat >"$CTX/Containerfile.upgraded" <<'EOF'
ARG BASE
FROM $BASE
RUN apt-get update && apt-get install -y shmdemo && rm -rf /var/lib/apt/lists/*
EOF
if build "$UPG" "$CTX/Containerfile.upgraded" "$CTX" --network=none --build-arg "BASE=$LAB"; then
	out=$(podman run --rm --network=none "$UPG" dpkg-query -W shmdemo 2>&1)
	grep -qx $'shmdemo\t1.1' <<<"$out" && ok "rebuilt image: apt-get install from the local repository installed shmdemo 1.1" ||
		bad "rebuilt image: apt-get install from the local repository installed shmdemo 1.1" "$out"
	U=$P-upgraded
	run_c "$U" --network=none "$UPG" || bad "cannot start $U" "$(plast)"
	hexpect "rebuilt image, offline, same repository: healthy" "$U" 90 0 '^ok: no updates pending \(apt'
else
	bad "podman build of the rebuilt image (apt-get install shmdemo)" "$(plast 5)"
fi

# --- 5. the same as a non-root user ------------------------------------------------
# The service is sleep: the example's nginx, as packaged, needs root to
# start (it creates /var/lib/nginx/body).
USR=localhost/$P-user:latest
cat >"$CTX/Containerfile.user" <<'EOF'
ARG BASE
FROM $BASE
USER app
CMD ["sleep", "infinity"]
EOF
if build "$USR" "$CTX/Containerfile.user" "$CTX" --network=none --build-arg "BASE=$LAB"; then
	N=$P-user
	run_c "$N" --network=none "$USR" || bad "cannot start $N" "$(plast)"
	hexpect "USER app: publisher and health check as app, the health log says" \
		"$N" 90 1 '^Update\(s\) 1 available: shmdemo$'
	out=$(podman top "$N" user comm 2>>"$PLOG" | awk '$2 == "shm-publisher" {print $1}')
	seg=$(podman exec "$N" stat -c '%U %a' /dev/shm/shmhealth /var/tmp/shmhealth-1000 2>&1 | tr '\n' ' ')
	[ "$out" = app ] && [ "$seg" = "app 644 app 755 " ] &&
		ok "... the publisher runs as app; the segment and /var/tmp/shmhealth-1000 are app's" ||
		bad "... the publisher runs as app; the segment and /var/tmp/shmhealth-1000 are app's" \
			"podman top: '$out'; stat: $seg"
else
	bad "podman build of the lab image with USER app" "$(plast 5)"
fi
if podman image exists "$UPG" 2>/dev/null; then
	NU=$P-upgraded-user
	run_c "$NU" --network=none --user app "$UPG" sleep infinity || bad "cannot start $NU" "$(plast)"
	hexpect "rebuilt image, --user app: healthy" "$NU" 90 0 '^ok: no updates pending \(apt'
fi

# --- 6. the real Debian sources, no network: a loud failure --------------------------
O=$P-offline
run_c "$O" --network=none "$APP" || fatal "cannot start $O" "$(plast)"
hexpect "example image, real debian.sources, --network=none: fails naming the mirror, never ok" "$O" 90 1 \
	'^update check failed: apt-get: exit status 100: cannot fetch http://deb\.debian\.org/debian bookworm InRelease'
# ... and with the network, the real archive.  The count is whatever the
# archive has moved since the root file system was built, and must be what
# `apt-get -s dist-upgrade` says after an `apt-get update` in the same
# container.  (The service is replaced: nginx would take the host's port 80.)
W=$P-online
run_c "$W" --network=host "$APP" sleep infinity || bad "cannot start $W" "$(plast)"
until_settled "$W" 120
case $HC_CODE:$HC_TEXT in
0:"ok: no updates pending (apt"*) n=0 ;;
1:Update\(s\)\ [0-9]*\ available:*) n=${HC_TEXT#Update(s) } n=${n%% *} ;;
*) n=none ;;
esac
sim=$(podman exec "$W" sh -c 'apt-get update -qq >/dev/null 2>&1 && apt-get -s -q dist-upgrade | grep -c "^Inst "' 2>&1)
[ "$HC_RC" = "$HC_CODE" ] && [ "$n" = "$sim" ] &&
	ok "example image, real debian.sources, --network=host: the real archive is read, $n pending as apt-get -s dist-upgrade says: $(head -n 1 <<<"$HC_TEXT")" ||
	bad "example image, real debian.sources, --network=host: the real archive is read, the count apt-get -s dist-upgrade's" \
		"healthcheck run exit $HC_RC; log: exit $HC_CODE: $HC_TEXT; apt-get -s dist-upgrade: ${sim:-nothing} to install"

# --- 7. wrapper mode: the publisher as PID 1, the service its child -----------------
# The lab image (one update pending) with the publisher as its entrypoint
# and, as the service, a shell script that records the signals it gets and
# exits 7 on SIGTERM.
cat >"$CTX/service.sh" <<'SH'
#!/bin/sh
log=/tmp/service.log
trap 'echo HUP >>$log' HUP
trap 'echo TERM >>$log; exit 7' TERM
echo "started $$" >>$log
while :; do
	# wait, unlike a foreground command, returns at once on a trapped signal.
	sleep 1 &
	wait $!
done
SH
chmod 755 "$CTX/service.sh"
WRAP=localhost/$P-wrapper:latest
cat >"$CTX/Containerfile.wrapper" <<'EOF'
ARG BASE
FROM $BASE
COPY service.sh /usr/local/bin/service.sh
ENTRYPOINT ["shm-publisher", "--"]
CMD ["/usr/local/bin/service.sh"]
EOF
if build "$WRAP" "$CTX/Containerfile.wrapper" "$CTX" --network=none --build-arg "BASE=$LAB"; then
	D=$P-wrapper
	run_c "$D" --network=none "$WRAP" || bad "cannot start $D" "$(plast)"
	hexpect "wrapper mode: the image's HEALTHCHECK says" "$D" 90 1 '^Update\(s\) 1 available: shmdemo$'
	rows=$(podman top "$D" pid comm 2>>"$PLOG")
	awk '$1 == 1 && $2 == "shm-publisher"' <<<"$rows" | grep -q . && awk '$2 == "service.sh"' <<<"$rows" | grep -q . &&
		ok "... PID 1 is shm-publisher, service.sh its child" ||
		bad "... PID 1 is shm-publisher, service.sh its child" "$(tr '\n' ';' <<<"$rows")"
	svclog() { podman exec "$D" cat /tmp/service.log 2>>"$PLOG"; }
	podman kill --signal HUP "$D" >>"$PLOG" 2>&1
	for _ in $(seq 25); do svclog | grep -qx HUP && break; sleep 0.2; done
	svclog | grep -qx HUP && ok "podman kill --signal HUP reaches the service (its log says HUP)" ||
		bad "podman kill --signal HUP reaches the service (its log says HUP)" "$(svclog | tr '\n' ' ')"
	hexpect "... and the health check still answers" "$D" 10 1 '^Update\(s\) 1 available: shmdemo$'
	t0=$(date +%s%N)
	podman stop -t 20 "$D" >>"$PLOG" 2>&1
	ms=$(ms_since "$t0")
	code=$(podman inspect --format '{{.State.ExitCode}}' "$D" 2>&1)
	podman cp "$D:/tmp/service.log" "$T/service.log" >>"$PLOG" 2>&1
	[ "$code" = 7 ] && [ "$ms" -lt 10000 ] && grep -qx TERM "$T/service.log" &&
		ok "podman stop: the service got SIGTERM, both ended in $ms ms, the container's exit code is the service's (7)" ||
		bad "podman stop: the service got SIGTERM, both end, the container's exit code is the service's (7)" \
			"exit code $code after $ms ms; service log: $(tr '\n' ' ' <"$T/service.log" 2>&1)"
else
	bad "podman build of the wrapper-mode image" "$(plast 5)"
fi

echo "# debian-image tests took $(($(date +%s) - t_start)) s"
done_tests debian-image
