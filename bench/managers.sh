#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Case 6: what one update check costs through the publisher, beside the
# package manager's own commands run bare.  For each manager, one check
# through the static `shm-publisher --once --manager M` is recorded first:
# a shim ahead in PATH runs each command the publisher starts and logs its
# argv and exit status.  Then bench/checkcost runs the publisher and those
# commands, interleaved, ROUNDS rounds after a warm-up, both on the same
# cache directory, so that both sides do the same work from the same state.
#
# apt is this machine's, with its own sources (over the network, as a real
# check); dnf, zypper and pacman run as tests/managers.sh runs them, against
# the local repositories it builds (tests/managers-env.sh), served over
# http on loopback, each in a mount namespace with the stand-in
# configuration bound over the system's, which needs root.
#
# First, as a baseline, the publisher alone: a check whose one step is the
# floor (bench/floor.c, a program that only exits), beside the floor run
# bare, twenty times as many rounds.
#
#   managers.sh BUILD ROUNDS [CASE...]   (default: alone apt dnf zypper pacman)
# Prints `SUMMARY case=manager-CASE ...` per case, or
# `SUMMARY case=manager-CASE skipped=REASON` (the reason's blanks as _).
set -u
build=$(cd "$1" && pwd) rounds=$2
shift 2
wanted=("$@")
[ "${#wanted[@]}" -gt 0 ] || wanted=(alone apt dnf zypper pacman)
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.." || exit 1

PUB=$build/static/shm-publisher
checkcost=$build/bench/checkcost
# The claim the publisher gives its children by default (--check-nice,
# --check-io-class): the bare commands run at the same.
CHILD_NICE=19

T=$(mktemp -d /tmp/shmhealth-bench-managers.XXXXXX)
chmod 755 "$T"
pids=()
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

say() { printf 'bench: managers: %s\n' "$*" >&2; }

skip() {	# skip MANAGER REASON
	say "$1 not run: $2"
	echo "SUMMARY case=manager-$1 skipped=$(printf '%s' "$2" | tr -c 'A-Za-z0-9.:,()/=+-' _)"
}

wants() {
	local m
	for m in "${wanted[@]}"; do [ "$m" = "$1" ] && return 0; done
	return 1
}

# The set-up reports through these (tests/managers-env.sh): the first
# failure is kept, and the managers that depend on it are skipped.
setup_err=
bad() {
	say "set-up: $1${2:+: $2}"
	[ -n "$setup_err" ] || setup_err="set-up failed: $1"
}
check() { [ "$2" -eq 0 ] || bad "$1" "${3:-}"; }

# Shims named after the managers' programs: each runs the real one (PATH
# without the shims), then appends its exit status and argv to SHIM_LOG,
# every string NUL-terminated and an empty one after the last, as
# bench/checkcost reads them.
shims=$T/shims
mkdir -p "$shims"
for prog in apt-get apt-mark dnf yum zypper pacman; do
	cat >"$shims/$prog" <<'EOF'
#!/usr/bin/env bash
name=${0##*/}
PATH=${PATH#"$SHIM_DIR":}
"$name" "$@"
rc=$?
{ printf '%s\0' "$rc" "$name" "$@"; printf '\0'; } >>"$SHIM_LOG"
exit "$rc"
EOF
	chmod 755 "$shims/$prog"
done

# in_place [SRC:DST...] -- CMD...: CMD with those binds (the sandbox), or
# as it is with none.
in_place() {
	if [ "$1" = -- ]; then
		shift
		"$@"
	else
		sandbox "$@"
	fi
}

# show_cmds FILE: the recorded commands, one a line, for the log.
show_cmds() {
	local s first=1 line=
	while IFS= read -r -d '' s; do
		if [ -z "$s" ]; then
			say "  $line"
			first=1 line=
		elif [ "$first" = 1 ]; then
			line="[exit $s]" first=0
		else
			line="$line $s"
		fi
	done <"$1"
}

# measure MANAGER [SRC:DST...]: records one check, then runs checkcost.
measure() {
	local m=$1 cache=$T/cache/$1 cmds=$T/$1.cmds rc
	shift
	install -d -m 700 "$cache"
	: >"$cmds"
	in_place "$@" -- env SHIM_DIR="$shims" SHIM_LOG="$cmds" \
		PATH="$shims:$PATH" "$PUB" --once --manager "$m" \
		--cache-dir "$cache" >"$T/$m.out" 2>"$T/$m.err"
	rc=$?
	if [ "$rc" -ne 0 ] || ! grep -q '^updates [0-9]' "$T/$m.out"; then
		skip "$m" "the recorded check failed, exit $rc: $(grep -m 1 '^error' "$T/$m.err")"
		return
	fi
	say "$m: $(sed -n 's/^updates //p' "$T/$m.out") pending; the publisher ran:"
	show_cmds "$cmds"
	say "$m: $rounds rounds"
	in_place "$@" -- "$checkcost" -n "$rounds" -w 1 -N "$CHILD_NICE" -i \
		"manager-$m" "$cmds" "$PUB" --once --manager "$m" \
		--cache-dir "$cache" ||
		skip "$m" "checkcost failed"
}

for f in "$PUB" "$checkcost" "$build/bench/floor"; do
	if [ ! -x "$f" ]; then
		for m in "${wanted[@]}"; do skip "$m" "$f missing: make static bench-progs"; done
		exit 0
	fi
done
# Every command the publisher runs, the bare ones too, in the C locale.
export LC_ALL=C

# --- the publisher alone: what it adds to any check.
if wants alone; then
	{ printf '%s\0' 0 "$build/bench/floor"; printf '\0'; } >"$T/alone.cmds"
	say "alone: $((rounds * 20)) rounds"
	"$checkcost" -n "$((rounds * 20))" -w 5 -N "$CHILD_NICE" -i \
		manager-alone "$T/alone.cmds" "$PUB" --once \
		--update-command "$build/bench/floor" 2>"$T/alone.log" ||
		skip alone "checkcost failed: $(tail -n 1 "$T/alone.log")"
fi

# --- apt: the machine's own.
if wants apt; then
	if command -v apt-get >/dev/null; then
		measure apt
	else
		skip apt "apt-get not installed"
	fi
fi

# --- dnf, zypper, pacman: the local repositories of tests/managers.sh.
if wants dnf || wants zypper || wants pacman; then
	# shellcheck source=tests/managers-env.sh
	. tests/managers-env.sh
	managers_env_need
	if [ "$(id -u)" -ne 0 ]; then
		setup_err="needs root"
	elif [ "${#MANAGERS_NEED[@]}" -gt 0 ]; then
		setup_err="missing: ${MANAGERS_NEED[*]}"
	else
		say "building the local repositories"
		managers_env_init
		managers_env_rpm
	fi
	if wants dnf; then
		[ -z "$setup_err" ] && managers_env_dnf
		if [ -n "$setup_err" ]; then
			skip dnf "$setup_err"
		else
			c=$(repo_file shmhttp "$HTTP/rpm-repo" | dnf_conf http)
			measure dnf "$c:/etc/dnf/dnf.conf" "$T/log:/var/log" \
				"$T/vartmp:/var/tmp"
		fi
	fi
	if wants zypper; then
		[ -z "$setup_err" ] && managers_env_zypper
		if [ -n "$setup_err" ]; then
			skip zypper "$setup_err"
		else
			e=$(repo_file shmhttp "$HTTP/rpm-repo" | zypp_etc http)
			measure zypper "${ZYP[@]}" "$e:/etc/zypp" \
				"$Z/nocache:/var/cache/zypp"
		fi
	fi
	if wants pacman; then
		[ -z "$setup_err" ] && managers_env_pacman
		if [ -n "$setup_err" ]; then
			skip pacman "$setup_err"
		else
			c=$(repo_section shmlocal "$HTTP/pacman/repo" |
				pacman_conf http)
			measure pacman "$c:/etc/pacman.conf" \
				"$P/root/var/lib/pacman:/var/lib/pacman"
		fi
	fi
fi
exit 0
