# SPDX-License-Identifier: MIT
# Sourced by tests that run containers: podman set up as it runs on these
# machines (rootful, runc, explicit ulimits, cgroupfs, file events; the
# containers themselves get --network=none), through a private
# containers.conf named by CONTAINERS_CONF, and a root filesystem of
# busybox-static plus the static binaries, imported as an image (no
# registry is reachable).  Every function returns non-zero with the reason
# in PODMAN_ENV_ERR; the caller decides whether that fails or skips.
#
#   podman_env_setup WORKDIR          check the tools, write WORKDIR/containers.conf
#   podman_env_rootfs ROOT STATICDIR  busybox, passwd (root, app 1000), the binaries
#   podman_env_import ROOT IMAGE      tar ROOT and `podman import` it as IMAGE

# shellcheck disable=SC2034 # PODMAN_ENV_ERR is read by the sourcing script.
PODMAN_ENV_ERR='' PODMAN_BUSYBOX=''

podman_env_fail() {
	# shellcheck disable=SC2034
	PODMAN_ENV_ERR=$1
	return 1
}

podman_env_setup() {
	local work=$1 nofile bb
	command -v podman >/dev/null || podman_env_fail "podman not installed (apt-get install podman)" || return
	command -v runc >/dev/null || podman_env_fail "runc not installed (apt-get install runc)" || return
	bb=$(command -v busybox) || podman_env_fail "busybox not installed (apt-get install busybox-static)" || return
	# A dynamic busybox would need its libraries in the image.
	ldd "$bb" >/dev/null 2>&1 && { podman_env_fail "$bb is dynamic: install busybox-static"; return; }
	[ "$(id -u)" = 0 ] || podman_env_fail "podman runs rootful here: run as root" || return
	mkdir -p "$work" || podman_env_fail "cannot create $work" || return
	nofile=$(ulimit -Hn)
	[ "$nofile" = unlimited ] && nofile=1048576
	cat >"$work/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=32768:32768"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
	export CONTAINERS_CONF=$work/containers.conf
	PODMAN_BUSYBOX=$bb
}

podman_env_rootfs() {
	local root=$1 static=$2 f a
	for f in shm-publisher shm-reader; do
		[ -x "$static/$f" ] || podman_env_fail "$static/$f missing: run make static" || return
		# Both must run on a bare busybox root: no loader, no library.
		# (ldd cannot tell: it calls a static PIE "statically linked"
		# and exits 0.)
		readelf -ldW "$static/$f" 2>/dev/null | grep -Eq 'INTERP|\(NEEDED\)' &&
			{ podman_env_fail "$static/$f is not static"; return; }
	done
	rm -rf "$root"
	mkdir -p "$root"/{bin,usr/local/bin,tmp,var/tmp,dev,dev/shm,proc,sys,etc,run,home/app} ||
		podman_env_fail "cannot create $root" || return
	chmod 1777 "$root/tmp" "$root/var/tmp"
	chown 1000:1000 "$root/home/app"
	cp "$PODMAN_BUSYBOX" "$root/bin/busybox" || podman_env_fail "cannot copy busybox" || return
	for a in $("$PODMAN_BUSYBOX" --list); do
		[ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
	done
	cp "$static/shm-publisher" "$static/shm-reader" "$root/usr/local/bin/" ||
		podman_env_fail "cannot copy the static binaries" || return
	printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
	printf 'root:x:0:\napp:x:1000:\nnogroup:x:65534:\n' >"$root/etc/group"
}

podman_env_import() {
	local root=$1 image=$2 out
	tar -C "$root" -cf "$root.tar" . || podman_env_fail "tar of $root failed" || return
	out=$(podman import -q \
		--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		"$root.tar" "$image" 2>&1) ||
		podman_env_fail "podman import failed: $(tail -n 1 <<<"$out")" || return
}
