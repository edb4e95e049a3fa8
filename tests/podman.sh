#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Container tests: the static publisher and reader in a busybox image under
# rootful podman with runc (set up by tests/podman-env.sh), health checks
# driven by `podman healthcheck run`; then the files in examples/, as far as
# they can be checked without their base images.  Needs root, podman, runc, busybox-static, python3-yaml and
# `make static`.  A podman that does not work here is a failure, with the
# reason, never a skip.  Ends with "podman: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 1

. tests/lib.sh
. tests/podman-env.sh

P=shmhealth-t$$
IMG=localhost/$P:latest
PLOG=$T/podman.log
names=() images=()

pclean() {
	local n
	for n in "${names[@]}"; do podman rm -f -t 0 "$n"; done
	# Images built from the base one first, the base last.
	for ((n = ${#images[@]} - 1; n >= 0; n--)); do podman rmi -f "${images[n]}"; done
} >/dev/null 2>&1
trap 'pclean; cleanup' EXIT
trap 'exit 130' INT TERM

# The last line podman said that is not its complaint about systemd (there
# is none here, so it cannot set up health check timers; we drive them).
plast() { grep -v 'systemd' "$PLOG" | tail -n 1; }

fatal() {
	if [ -n "${2:-}" ]; then bad "podman: $1" "$2"; else bad "podman: $1"; fi
	done_tests podman
	exit 1
}

# run_c NAME PODMAN-RUN-ARGS...: start a detached container without network.
run_c() {
	local name=$1
	shift
	names+=("$name")
	# From the test's own directory: conmon, which outlives this call,
	# writes a file named "oom" into its working directory when the
	# kernel's OOM killer strikes in the container.
	(cd "$T" && podman run -d --name "$name" --network=none "$@") >>"$PLOG" 2>&1
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

# until_health NAME SECONDS STATUS REGEX: run checks until one exits STATUS
# with its logged output matching REGEX.
until_health() {
	local name=$1 end=$(($(date +%s) + $2)) want=$3 re=$4
	while :; do
		hc "$name"
		[ "$HC_RC" -eq "$want" ] && [ "$HC_CODE" = "$want" ] && grep -Eq -- "$re" <<<"$HC_TEXT" && return 0
		[ "$(date +%s)" -ge "$end" ] && break
		sleep 0.2
	done
	LAST="healthcheck run exit $HC_RC; log: exit $HC_CODE: $HC_TEXT"
	return 1
}

# hexpect NAME CONTAINER SECONDS STATUS REGEX
hexpect() {
	if until_health "$2" "$3" "$4" "$5"; then ok "$1"; else bad "$1" "$LAST"; fi
}

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# top_rows NAME: "PID PPID STATE COMMAND" rows, as podman top sees them.
top_rows() { podman top "$1" pid ppid state comm 2>>"$PLOG" | tail -n +2; }

t_start=$(date +%s)

# --- the environment: a failure here fails the test, with the reason --------
podman_env_setup "$T/podman" || fatal "environment: $PODMAN_ENV_ERR"
/usr/bin/python3 -c 'import yaml' 2>/dev/null || fatal "environment: python3-yaml not installed (apt-get install python3-yaml)"
ROOT=$T/podman/rootfs
podman_env_rootfs "$ROOT" "$STATIC" || fatal "environment: $PODMAN_ENV_ERR"
cp examples/entrypoint.sh "$ROOT/entrypoint.sh"
cp tests/podman/service.sh "$ROOT/usr/local/bin/service.sh"
cp tests/podman/pending "$ROOT/pending"
chmod 755 "$ROOT/entrypoint.sh" "$ROOT/usr/local/bin/service.sh"
chmod 644 "$ROOT/pending"
images+=("$IMG")
podman_env_import "$ROOT" "$IMG" || fatal "environment: $PODMAN_ENV_ERR"
out=$(podman run --rm --network=none "$IMG" shm-reader --version 2>&1)
grep -q '^shm-reader ' <<<"$out" ||
	fatal "environment: podman run of the imported image fails" "$(grep -v systemd <<<"$out" | tail -n 3)"
ok "podman (runc, private containers.conf) runs the static reader in the busybox image"

# Common to the entrypoint-pattern containers: /entrypoint.sh is
# examples/entrypoint.sh (`shm-publisher --daemon || exit 1; exec "$@"`),
# configured through SHMHEALTH_* variables.
entry=(--entrypoint /entrypoint.sh -e "SHMHEALTH_UPDATE_COMMAND=cat /pending"
	-e SHMHEALTH_HEARTBEAT=1s
	--health-cmd 'CMD /usr/local/bin/shm-reader' --health-interval 1h --health-retries 1)

A=$P-sleep B=$P-shell C=$P-user D=$P-wrap
# A: the service becomes PID 1 and never reaps (busybox sleep).
run_c "$A" "${entry[@]}" "$IMG" sleep 1000 || fatal "cannot start $A" "$(plast)"
# B: PID 1 is a shell loop, which reaps any child (busybox ash waits for all).
run_c "$B" "${entry[@]}" "$IMG" sh -c 'while :; do sleep 1; done' || fatal "cannot start $B" "$(plast)"
# C: everything as an unprivileged user.
run_c "$C" --user 1000:1000 "${entry[@]}" "$IMG" sleep 1000 || fatal "cannot start $C" "$(plast)"

# --- 1. pending updates: unhealthy, the health log names them -----------------
hexpect "entrypoint pattern: healthcheck run exits 1, health log says 'Update(s) 2 available: libc6 openssl'" \
	"$A" 10 1 '^Update\(s\) 2 available: libc6 openssl$'
st=$(podman inspect --format '{{.State.Health.Status}}' "$A" 2>&1)
[ "$st" = unhealthy ] && ok "... and podman inspect's health status is 'unhealthy'" ||
	bad "... and podman inspect's health status is 'unhealthy'" "$st"

# --- 2. the list cleared: healthy after the re-check SIGHUP asks for ---------
podman exec "$A" sh -c ': >/pending' 2>>"$PLOG"
hc "$A"
[ "$HC_RC" -eq 1 ] && grep -q '^Update(s) 2' <<<"$HC_TEXT" &&
	ok "list cleared, no re-check yet: still the last result (interval 1d)" ||
	bad "list cleared, no re-check yet: still the last result (interval 1d)" "exit $HC_RC: $HC_TEXT"
pidA=$(podman exec "$A" pidof shm-publisher 2>>"$PLOG")
podman exec "$A" kill -HUP "$pidA" 2>>"$PLOG"
hexpect "SIGHUP to the --daemon publisher (pid ${pidA:-?}): healthcheck run exits 0" "$A" 10 0 '^ok: '

# --- 3. publisher killed, PID 1 reaps: unhealthy within a few heartbeats -------
hexpect "shell PID 1: publisher up" "$B" 10 1 '^Update\(s\) 2 available'
pidB=$(podman exec "$B" pidof shm-publisher 2>>"$PLOG")
t0=$(date +%s%N)
podman exec "$B" kill -9 "$pidB" 2>>"$PLOG"
if until_health "$B" 10 1 '^publisher not running'; then
	ms=$(ms_since "$t0")
	# max-age is 3 heartbeats (3 s); the last beat up to 1 s before the kill.
	check "kill -9 publisher: 'publisher not running' within 3 heartbeats + 1 (${ms} ms): $HC_TEXT" \
		$((ms <= 5000 ? 0 : 1))
else
	bad "kill -9 publisher: 'publisher not running'" "$LAST"
fi
rows=$(top_rows "$B")
! awk -v p="$pidB" '$1 == p' <<<"$rows" | grep -q . &&
	ok "... and the shell PID 1 reaped it (pid $pidB gone)" ||
	bad "... and the shell PID 1 reaped it (pid $pidB gone)" "$rows"

# --- 4. PID 1 never reaps: a zombie publisher, still 'not running' ----------------
podman exec "$A" kill -9 "$pidA" 2>>"$PLOG"
hexpect "PID 1 that never reaps: killed publisher reads 'publisher not running'" "$A" 10 1 '^publisher not running'
rows=$(top_rows "$A")
awk -v p="$pidA" '$1 == p && $3 ~ /^Z/ && $4 == "shm-publisher"' <<<"$rows" | grep -q . &&
	podman exec "$A" kill -0 "$pidA" 2>>"$PLOG" &&
	ok "... while pid $pidA lingers as a zombie (kill -0 succeeds): liveness is the heartbeat" ||
	bad "... while pid $pidA lingers as a zombie (kill -0 succeeds)" "$rows"

# --- 5. --user 1000:1000: publisher and reader both unprivileged --------------------
hexpect "--user 1000:1000: healthcheck (as 1000) reads the segment: 'Update(s) 2 available'" \
	"$C" 10 1 '^Update\(s\) 2 available: libc6 openssl$'
out=$(podman exec "$C" stat -c '%u:%g %a' /dev/shm/shmhealth 2>&1)
[ "$out" = "1000:1000 644" ] && ok "... segment /dev/shm/shmhealth owned by 1000:1000, mode 644" ||
	bad "... segment /dev/shm/shmhealth owned by 1000:1000, mode 644" "$out"
out=$(podman top "$C" user comm 2>>"$PLOG" | awk '$2 == "shm-publisher" {print $1}')
[ "$out" = app ] || [ "$out" = 1000 ] && ok "... publisher runs as uid 1000 (podman top: $out)" ||
	bad "... publisher runs as uid 1000" "podman top: '$out'"
expect "... root's reader refuses a segment owned by 1000 (so the check above ran as 1000)" 1 \
	'owned by' podman exec --user 0 "$C" shm-reader
expect "... root's reader with --owner 1000 accepts it" 1 '^Update\(s\) 2 available' \
	podman exec --user 0 "$C" shm-reader --owner 1000

# Many pending: podman keeps 500 characters of a check's output; the first
# line, with the count, must come through whole.
seq -f 'package-with-a-long-name-%03g' 300 | podman exec -i --user 0 "$C" sh -c 'cat >/pending' 2>>"$PLOG"
podman exec --user 0 "$C" kill -HUP "$(podman exec "$C" pidof shm-publisher 2>>"$PLOG")" 2>>"$PLOG"
if until_health "$C" 10 1 '^Update\(s\) 300 available: package-with-a-long-name-001 '; then
	first=$(head -n 1 <<<"$HC_TEXT")
	check "300 pending: podman's health log starts 'Update(s) 300 available: ...', first line ${#first} < 200 bytes" \
		$((${#first} < 200 ? 0 : 1)) "$first"
else
	bad "300 pending: podman's health log starts 'Update(s) 300 available: ...'" "$LAST"
fi

# --- 6. wrapper mode as PID 1 -----------------------------------------------------
# D: the publisher is PID 1 and the service (tests/podman/service.sh) its
# child.  Started here, since its orphans live only 5 s.
run_c "$D" --entrypoint '["/usr/local/bin/shm-publisher","--update-command","cat /pending","--heartbeat","1s","--"]' \
	--health-cmd 'CMD /usr/local/bin/shm-reader' --health-interval 1h --health-retries 1 \
	"$IMG" /usr/local/bin/service.sh || fatal "cannot start $D" "$(plast)"
hexpect "wrapper as PID 1: healthcheck run exits 1, 'Update(s) 2 available'" "$D" 10 1 '^Update\(s\) 2 available'
rows=$(top_rows "$D")
awk '$1 == 1 && $4 == "shm-publisher"' <<<"$rows" | grep -q . &&
	ok "... PID 1 is shm-publisher" || bad "... PID 1 is shm-publisher" "$rows"
# The service left three orphans (sleep 5): reparented to PID 1, then dead.
n=$(awk '$2 == 1 && $4 == "sleep"' <<<"$rows" | wc -l)
check "... the service's orphans are reparented to PID 1 ($n of 3 seen)" $((n == 3 ? 0 : 1)) "$rows"
end=$(($(date +%s) + 10))
while rows=$(top_rows "$D"); awk '$2 == 1 && $4 == "sleep" || $3 ~ /^Z/' <<<"$rows" | grep -q .; do
	[ "$(date +%s)" -ge "$end" ] && break
	sleep 0.3
done
! awk '$3 ~ /^Z/' <<<"$rows" | grep -q . && ! awk '$2 == 1 && $4 == "sleep"' <<<"$rows" | grep -q . &&
	ok "... once they exit they are reaped: no Z process in podman top" ||
	bad "... once they exit they are reaped: no Z process in podman top" "$rows"
svclog() { podman exec "$D" cat /tmp/service.log 2>>"$PLOG"; }
podman exec "$D" sh -c ': >/pending' 2>>"$PLOG"
podman kill -s HUP "$D" >>"$PLOG" 2>&1
for _ in $(seq 25); do svclog | grep -qx HUP && break; sleep 0.2; done
svclog | grep -qx HUP && ok "podman kill -s HUP reaches the service (its log says HUP)" ||
	bad "podman kill -s HUP reaches the service (its log says HUP)" "$(svclog | tr '\n' ' ')"
sleep 1
hc "$D"
[ "$HC_RC" -eq 1 ] && grep -q '^Update(s) 2' <<<"$HC_TEXT" &&
	ok "... and SIGHUP is the service's: no re-check in wrapper mode (list cleared, still 2)" ||
	bad "... and SIGHUP is the service's: no re-check in wrapper mode" "exit $HC_RC: $HC_TEXT"
podman kill -s PWR "$D" >>"$PLOG" 2>&1
hexpect "podman kill -s PWR: the wrapper re-checks, healthcheck run exits 0" "$D" 10 0 '^ok: '
! svclog | grep -qx PWR && ok "... and SIGPWR is not passed on to the service" ||
	bad "... and SIGPWR is not passed on to the service" "$(svclog | tr '\n' ' ')"
t0=$(date +%s%N)
podman stop -t 10 "$D" >>"$PLOG" 2>&1
ms=$(ms_since "$t0")
check "podman stop -t 10: stopped in ${ms} ms (SIGTERM passed on, service exits)" $((ms < 4000 ? 0 : 1))
code=$(podman inspect --format '{{.State.ExitCode}}' "$D" 2>&1)
[ "$code" = 7 ] && ok "... the container's exit code is the service's (7)" ||
	bad "... the container's exit code is the service's (7)" "$code"
podman cp "$D:/tmp/service.log" "$T/service.log" >>"$PLOG" 2>&1
grep -qx TERM "$T/service.log" && ok "... the service got SIGTERM (its log says TERM)" ||
	bad "... the service got SIGTERM (its log says TERM)" "$(tr '\n' ' ' <"$T/service.log" 2>&1)"

out=$(podman run --rm --network=none --entrypoint '["/usr/local/bin/shm-publisher","--update-command","true","--"]' \
	"$IMG" /nonexistent/service 2>&1)
rc=$?
[ "$rc" -eq 127 ] && grep -q 'cannot run /nonexistent/service' <<<"$out" &&
	ok "wrapper with a missing CMD: the container exits 127, saying why" ||
	bad "wrapper with a missing CMD: the container exits 127, saying why" "exit $rc: $(grep -v systemd <<<"$out" | tail -n 2)"

# --- 7. an image with a HEALTHCHECK instruction, podman build --format docker ------
E=$P-built EIMG=localhost/$P-built:latest
images+=("$EIMG")
cp tests/podman/Containerfile tests/podman/pending "$T/podman/" 2>/dev/null
if podman build -q --format docker --layers=false --network=none --build-arg "BASE=$IMG" \
	-t "$EIMG" -f "$T/podman/Containerfile" "$T/podman" >>"$PLOG" 2>&1; then
	ok "podman build --format docker of tests/podman/Containerfile (with a RUN step)"
else
	bad "podman build --format docker of tests/podman/Containerfile" "$(plast)"
fi
out=$(podman image inspect --format '{{json .Config.Healthcheck}}' "$EIMG" 2>&1)
grep -q '"Test":\["CMD","shm-reader"\]' <<<"$out" && grep -q '"Retries":1' <<<"$out" &&
	ok "podman image inspect shows the HEALTHCHECK: $out" ||
	bad "podman image inspect shows the HEALTHCHECK" "$out"
names+=("$E")
podman run -d --name "$E" --network=none "$EIMG" >>"$PLOG" 2>&1 || bad "cannot start $E" "$(plast)"
hexpect "the image's own HEALTHCHECK: healthcheck run exits 1, 'Update(s) 2 available'" \
	"$E" 10 1 '^Update\(s\) 2 available: libc6 openssl$'

# --- 8. a check past the container's memory limit --------------------------------
# The service holds 80 MB (a dd whose buffer waits on a pipe nobody reads);
# once it does, the check allocates 256 MB under a 128 MB limit without swap.
# The kernel's OOM killer must take the check, not the service, and the
# verdict must say why the check failed.  Then the same with
# --check-oom-score 0, to show that the default is what spares the service.
svc='dd if=/dev/zero bs=80M count=1 2>/dev/null | sleep 100000 & touch /tmp/up; wait'
hog='sh -c "while [ ! -e /tmp/up ]; do sleep 0.2; done; sleep 1; exec dd if=/dev/zero of=/dev/null bs=256M count=1"'
oom_case() { # NAME OOM-SCORE
	run_c "$1" --memory 128m --memory-swap 128m \
		-e SHMHEALTH_CHECK_OOM_SCORE="$2" -e SHMHEALTH_UPDATE_COMMAND="$hog" \
		--entrypoint '["/usr/local/bin/shm-publisher","--heartbeat","1s","--"]' \
		--health-cmd 'CMD /usr/local/bin/shm-reader' --health-interval 1h --health-retries 1 \
		"$IMG" sh -c "$svc"
}
# dd_rows NAME: the service's dd, holding its 80 MB.  (busybox's ash runs
# it in a forked shell, without exec: it is known by its size.)
dd_rows() { podman top "$1" pid vsz args 2>>"$PLOG" | awk '$2 >= 81920 && /bs=80M/'; }
M=$P-oom M0=$P-oom0
if oom_case "$M" 1000; then
	hexpect "memory limit: a check past it fails, 'killed by the kernel's OOM killer'" "$M" 30 1 \
		"update command: killed by the kernel's OOM killer \\(out of memory\\)"
	st=$(podman inspect --format '{{.State.Status}}' "$M" 2>>"$PLOG")
	rows=$(dd_rows "$M")
	[ "$st" = running ] && [ -n "$rows" ] &&
		ok "... and the service survives: its 80 MB dd still runs" ||
		bad "... and the service survives: its 80 MB dd still runs" "status $st; dd: ${rows:-none}"
else
	bad "cannot start $M" "$(plast)"
fi
if oom_case "$M0" 0; then
	end=$(($(date +%s) + 30))
	while [ "$(date +%s)" -lt "$end" ] && ! podman exec "$M0" test -e /tmp/up 2>>"$PLOG"; do sleep 0.2; done
	# Either dd is killed; the larger one, the service's, when the scores tie.
	while [ "$(date +%s)" -lt "$end" ] && [ -n "$(dd_rows "$M0")" ]; do sleep 0.5; done
	rows=$(dd_rows "$M0")
	[ -z "$rows" ] && ok "... with --check-oom-score 0 the kernel takes the service's dd instead" ||
		bad "... with --check-oom-score 0 the kernel takes the service's dd instead" "still running: $rows"
else
	bad "cannot start $M0" "$(plast)"
fi

# --- examples/k8s-pod.yaml ------------------------------------------------------------
if out=$(/usr/bin/python3 tests/podman/examples.py k8s examples/k8s-pod.yaml 2>&1); then
	ok "examples/k8s-pod.yaml parses: a v1 Pod, exec liveness and readiness probes run shm-reader, liveness --on-updates report"
	# Run each probe's command, as the kubelet would, in a container with
	# two pending updates under the default policy.
	while read -r probe json; do
		argv=()
		while IFS= read -r -d '' a; do argv+=("$a"); done < <(/usr/bin/python3 -c \
			'import json,sys; sys.stdout.write("".join(a + "\0" for a in json.loads(sys.argv[1])))' "$json")
		want=1
		grep -q '"--on-updates", "report"' <<<"$json" && want=0
		expect "k8s $probe probe $json, run in a container with 2 pending: exit $want, names them" "$want" \
			'^Update\(s\) 2 available' podman exec "$E" "${argv[@]}"
	done < <(grep -E '^(liveness|readiness) ' <<<"$out")
else
	bad "examples/k8s-pod.yaml parses with the promised probes" "$out"
fi

# --- examples/compose.yaml --------------------------------------------------------------
if out=$(/usr/bin/python3 tests/podman/examples.py compose examples/compose.yaml 2>&1); then
	ok "examples/compose.yaml parses: build context and Dockerfile exist, healthcheck [CMD, shm-reader], SHMHEALTH_ON_UPDATES=report"
	envs=()
	while read -r _ kv; do envs+=(-e "$kv"); done < <(grep '^env ' <<<"$out")
	hcj=$(sed -n 's/^podman-health-cmd //p' <<<"$out")
	F=$P-compose
	run_c "$F" --entrypoint /entrypoint.sh "${envs[@]}" -e "SHMHEALTH_UPDATE_COMMAND=cat /pending" \
		--health-cmd "$hcj" --health-interval 1h "$IMG" sleep 1000 || bad "cannot start $F" "$(plast)"
	hexpect "compose's environment and healthcheck: 2 pending, healthcheck run exits 0, log still names them" \
		"$F" 10 0 '^Update\(s\) 2 available: libc6 openssl$'
else
	bad "examples/compose.yaml parses with the promised keys" "$out"
fi

# --- examples/Dockerfile.* ---------------------------------------------------------------
# The base images cannot be pulled here.  Each Dockerfile is checked as far
# as that allows: its RUN lines use the distribution's package manager
# (text only); then a copy with FROM replaced by the busybox image and its
# RUN instructions dropped is built from the top of the tree, as the
# Dockerfile's comment says, and run: COPY paths, ENTRYPOINT, ENV and
# HEALTHCHECK are the real ones, the package manager is stood in for by
# SHMHEALTH_UPDATE_COMMAND.
for distro in alpine:apk debian:apt-get fedora:dnf; do
	pm=${distro#*:} distro=${distro%:*} f=examples/Dockerfile.${distro%:*}
	# Instructions one per line, continuations joined.
	joined=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$f")
	# The base image: FROM's, or the default of the ARG that FROM names
	# (Dockerfile.debian's BASE).
	from=$(awk '/^ARG [A-Za-z_]+=/ { split($2, kv, "="); arg[kv[1]] = substr($2, length(kv[1]) + 2) }
		/^FROM / { f = $2; if (f ~ /^\$\{?[A-Za-z_]+\}?$/) { gsub(/[${}]/, "", f); f = arg[f] } print f; exit }' <<<"$joined")
	grep -Eq "^${distro}([:@]|$)" <<<"$from" && grep -Eq "^RUN .*\b$pm (add|install)\b" <<<"$joined" &&
		grep -q '^HEALTHCHECK .*CMD \["shm-reader"\]$' "$f" && grep -q '^ENTRYPOINT \["/entrypoint.sh"\]$' "$f" &&
		ok "$f (text): FROM $distro, RUN uses $pm, exec-form HEALTHCHECK shm-reader, ENTRYPOINT /entrypoint.sh" ||
		bad "$f (text): FROM $distro, RUN uses $pm, HEALTHCHECK shm-reader, ENTRYPOINT /entrypoint.sh"
	stripped=$T/podman/Dockerfile.$distro
	awk -v img="$IMG" '
		/^[ \t]*FROM[ \t]/ { $2 = img; print; next }
		/^[ \t]*RUN[ \t]/ { skip = 1 }
		skip { if ($0 !~ /\\[ \t]*$/) skip = 0; next }
		{ print }' "$f" >"$stripped"
	XIMG=localhost/$P-$distro:latest X=$P-$distro
	images+=("$XIMG")
	if ! podman build -q --format docker --layers=false --network=none -t "$XIMG" -f "$stripped" . >>"$PLOG" 2>&1; then
		bad "$f minus RUN, FROM the busybox image: podman build --format docker" "$(plast)"
		continue
	fi
	out=$(podman image inspect --format '{{json .Config.Entrypoint}} {{json .Config.Healthcheck.Test}}' "$XIMG" 2>&1)
	names+=("$X")
	if [ "$out" = '["/entrypoint.sh"] ["CMD","shm-reader"]' ] &&
		podman run -d --name "$X" --network=none -e "SHMHEALTH_UPDATE_COMMAND=cat /pending" \
			"$XIMG" sleep 1000 >>"$PLOG" 2>&1 &&
		until_health "$X" 10 1 '^Update\(s\) 2 available: libc6 openssl$'; then
		ok "$f minus RUN, FROM the busybox image: builds, and its ENTRYPOINT + HEALTHCHECK report 'Update(s) 2 available'"
	else
		bad "$f minus RUN, FROM the busybox image: builds, ENTRYPOINT + HEALTHCHECK work" \
			"inspect: $out; ${LAST:-} $(plast)"
	fi
done

echo "# podman tests took $(($(date +%s) - t_start)) s"
done_tests podman
