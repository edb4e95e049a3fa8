#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Turns a run's SUMMARY lines into OUT/results.md (tables, the machine, the
# date, the targets) and OUT/results.png (gnuplot: median and p99 wall time
# of each health check, log scale).  run.sh calls it; it can be rerun on a
# kept summary.  With BENCH_ONLY=managers the summary holds case 6 alone:
# only its section of OUT/results.md is replaced, saying when and where it
# ran, and the plot is left as it is.
#
#   report.sh SUMMARY_FILE OUT_DIR
set -euo pipefail

summary=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
md=$out/results.md
png=$out/results.png

# val CASE KEY: the KEY=value of CASE's SUMMARY line, or "-".
val() {
	awk -v c="case=$1" -v k="$2" '
		$1 == "SUMMARY" && $2 == c {
			for (i = 3; i <= NF; i++) {
				split($i, kv, "=")
				if (kv[1] == k) { print substr($i, length(k) + 2); f = 1 }
			}
		}
		END { if (!f) print "-" }' "$summary"
}

has() { grep -q "^SUMMARY case=$1 " "$summary"; }

# ms from µs, one decimal.
ms() {
	if [ "$1" = - ]; then
		echo -
	else
		awk -v v="$1" 'BEGIN { printf "%.1f", v / 1000 }'
	fi
}

# A duration in ms, as s from a second up.
dur() {
	awk -v v="$1" 'BEGIN {
		if (v == "-") print "-"
		else if (v >= 1000) printf "%.2f s", v / 1000
		else if (v >= 100) printf "%.0f ms", v
		else printf "%.1f ms", v }'
}

# ratio A B DECIMALS: A / B, or "-" if either is missing.
ratio() {
	awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN {
		if (a == "-" || b == "-" || b + 0 == 0) print "-"
		else printf "%.*f", d, a / b }'
}

# verdict VALUE OP LIMIT: "met" or "missed".
verdict() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		ok = (op == "<=") ? (v + 0 <= l + 0) : (v + 0 >= l + 0)
		print (v == "-") ? "not run" : (ok ? "met" : "**missed**") }'
}

machine() {
	local cpu virt=""
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	grep -qw hypervisor /proc/cpuinfo && virt=", virtual machine"
	echo "Linux $(uname -r) $(uname -m), ${cpu:-unknown CPU}, $(nproc) CPUs$virt"
}

spawn_table() {
	local c label
	echo "| check | median µs | p99 µs | CPU µs, mean | CPU µs, median | page faults | × floor | × floor, CPU | seed ÷ this | seed ÷ this, CPU |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for c in floor ladder-exit ladder-calls reader-static reader-dynamic \
		seed curl; do
		has "$c" || continue
		case $c in
		floor) label="floor: static, no libc, only exits" ;;
		ladder-exit) label="musl, static PIE, only exits" ;;
		ladder-calls) label="the reader's system calls, musl" ;;
		reader-static) label="\`shm-reader\`, static (musl)" ;;
		reader-dynamic) label="\`shm-reader\`, dynamic (glibc)" ;;
		seed) label="seed's check: \`sh\` + \`test -f\` + \`cat\`" ;;
		curl) label="\`curl -fsS\` to a loopback HTTP endpoint" ;;
		esac
		echo "| $label | $(val $c median_us) | $(val $c p99_us) |" \
			"$(val $c cpu_us) | $(val $c cpu_median_us) | $(val $c faults) |" \
			"$(val $c ratio_floor) | $(val $c ratio_floor_cpu) |" \
			"$(val $c seed_over) | $(val $c seed_over_cpu) |"
	done
}

snapshot_table() {
	local c label
	echo "| case | ns per snapshot | memcpy ns | × memcpy | snapshots | retried | failed | torn |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	for c in snapshot-uncontended snapshot-contended \
		snapshot-read-uncontended snapshot-read-contended; do
		has "$c" || continue
		case $c in
		*-read-*) label="${c#snapshot-read-}, by \`pread\` (shm-reader)" ;;
		*) label="${c#snapshot-}, from the mapping" ;;
		esac
		echo "| $label | $(val $c ns) | $(val $c memcpy_ns) |" \
			"$(val $c ratio_memcpy) | $(val $c snapshots) |" \
			"$(val $c retries) | $(val $c fails) | $(val $c torn) |"
	done
}

interval_table() {
	local p w c label
	echo "| check | period | runs | missed | CPU, % of a core | spawner's CPU, % | median µs |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for w in reader seed; do
		label="seed's check"
		[ $w = reader ] && label="static \`shm-reader\`"
		for p in 1 10 100 1000; do
			c=interval-$w-${p}ms
			has "$c" || continue
			echo "| $label |" \
				"$p ms | $(val $c runs) | $(val $c missed) |" \
				"$(val $c cpu_pct) | $(val $c spawner_cpu_pct) | $(val $c median_us) |"
		done
	done
}

footprint_table() {
	local c label
	echo "| background process | RSS KiB | PSS KiB | processes | CPU ms in $(val footprint-seed-loop seconds) s | CPU s per day |"
	echo "|---|---:|---:|---:|---:|---:|"
	for c in footprint-publisher-static footprint-publisher-dynamic footprint-seed-loop; do
		has "$c" || continue
		case $c in
		*-static) label="\`shm-publisher\`, static (musl)" ;;
		*-dynamic) label="\`shm-publisher\`, dynamic (glibc)" ;;
		*) label="seed's loop: \`sh\`, \`(sleep 10)\`" ;;
		esac
		echo "| $label | $(val $c rss_kib) | $(val $c pss_kib) |" \
			"$(val $c procs) | $(val $c cpu_ms) | $(val $c cpu_s_per_day) |"
	done
}

podman_table() {
	local c alone med
	if has podman; then
		echo "Not run: $(val podman skipped)."
		return
	fi
	echo "| health command | median ms | p99 ms | × floor | machine CPU ms per check | × floor, CPU | the check alone (table 1), ms | its share of the median |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	for c in podman-floor podman-reader podman-seed; do
		has "$c" || continue
		case $c in
		*-floor) alone=$(val floor median_us) ;;
		*-reader) alone=$(val reader-static median_us) ;;
		*) alone=$(val seed median_us) ;;
		esac
		med=$(val $c median_us)
		echo "| ${c#podman-} | $(ms "$med") | $(ms "$(val $c p99_us)") |" \
			"$(ratio "$med" "$(val podman-floor median_us)" 3) |" \
			"$(ms "$(val $c machine_cpu_us)") |" \
			"$(ratio "$(val $c machine_cpu_us)" "$(val podman-floor machine_cpu_us)" 3) |" \
			"$(awk -v a="$alone" \
			'BEGIN { printf "%.2f", a / 1000 }') | $(awk -v a="$alone" \
			-v m="$med" 'BEGIN { printf "%.1f %%", 100 * a / m }') |"
	done
}

managers_table() {
	local m c label
	echo "| manager | commands | publisher wall | bare wall | ratio | publisher CPU | bare CPU | ratio | peak RSS MiB, publisher / bare | publisher − bare, wall | bare wall, min to max |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	for m in alone apt dnf zypper pacman; do
		c=manager-$m
		has "$c" || continue
		case $m in
		alone) label="the publisher alone: its one step the floor" ;;
		apt) label="apt, this machine's sources" ;;
		*) label="$m, local repository over http" ;;
		esac
		if [ "$(val $c skipped)" != - ]; then
			echo "| $label | not run: $(val $c skipped | tr _ ' ') | | | | | | | | | |"
			continue
		fi
		echo "| $label | $(val $c steps) |" \
			"$(dur "$(val $c pub_wall_ms)") | $(dur "$(val $c bare_wall_ms)") |" \
			"$(awk -v r="$(val $c wall_ratio)" 'BEGIN { printf "%.2f", r }') |" \
			"$(dur "$(val $c pub_cpu_ms)") | $(dur "$(val $c bare_cpu_ms)") |" \
			"$(awk -v r="$(val $c cpu_ratio)" 'BEGIN { printf "%.2f", r }') |" \
			"$(awk -v p="$(val $c pub_rss_kib)" -v b="$(val $c bare_rss_kib)" \
				'BEGIN { printf "%.1f / %.1f", p / 1024, b / 1024 }') |" \
			"$(dur "$(val $c diff_wall_ms)") |" \
			"$(dur "$(val $c bare_wall_min_ms)") to $(dur "$(val $c bare_wall_max_ms)") |"
	done
}

# What went wrong in case 6, if anything: failed runs, and descendants
# left running by a command (counted with it).
managers_notes() {
	local m c n
	for m in alone apt dnf zypper pacman; do
		c=manager-$m
		if ! has "$c" || [ "$(val $c skipped)" != - ]; then
			continue
		fi
		n=$(($(val $c pub_fails) + $(val $c bare_fails)))
		[ "$n" -eq 0 ] || echo "- **$m: $(val $c pub_fails) publisher and $(val $c bare_fails) bare runs failed** (see the run's log)."
		n=$(($(val $c pub_strays) + $(val $c bare_strays)))
		[ "$n" -eq 0 ] || echo "- $m: $(val $c pub_strays) processes outlived their publisher run and $(val $c bare_strays) their bare command; each was reaped by the benchmark and counted with its run."
	done
}

# Case 6's section; with an argument, saying it was run alone.
managers_section() {
	local rounds=- m notes
	for m in apt dnf zypper pacman; do
		[ "$(val manager-$m rounds)" = - ] || { rounds=$(val manager-$m rounds); break; }
	done
	echo "## 6. One update check per package manager"
	echo
	if [ $# -gt 0 ]; then
		cat <<EOF
Rerun alone by \`make bench-managers\` on $(date -u '+%Y-%m-%d %H:%M UTC').
Machine: $(machine).
Load average (1, 5, 15 min) before / after: ${BENCH_LOAD:-unknown}.
The other sections come from the run named at the top.

EOF
	fi
	if has managers; then
		echo "Not run: $(val managers skipped)."
		return
	fi
	cat <<EOF
What one update check costs through the static \`shm-publisher --once
--manager M\`, beside the same commands run bare.  The bare commands are
those the publisher ran in a recorded check, with the same arguments and
exit statuses, run one after the other at the claim the publisher gives its
children (nice 19, the idle I/O class), on the same cache directory: both
sides do the same work from the same state.  $rounds rounds after a
warm-up, each running both, which goes first alternating.  apt refreshes
from this machine's own sources over the network; dnf, zypper and pacman
run as tests/managers.sh runs them, on its local repositories served over
http on loopback, in a mount namespace.  The first row is the publisher's
own cost: a check whose one step is the floor of table 1, beside the floor
alone, $(val manager-alone rounds) rounds.

Wall time is from fork to reaped.  CPU is user + system time of the
process and of every descendant reaped in its subtree (wait4's rusage).
Peak RSS is ru_maxrss: the largest single process among them, not a sum
(the first row's is the publisher's own).  The bare side's figures are the
sums over its commands, its peak the largest.  Medians; the ratios are
publisher ÷ bare; "publisher − bare" is the median of each round's
difference, to set against the spread of the bare runs beside it.

$(managers_table)
EOF
	notes=$(managers_notes)
	[ -z "$notes" ] || printf '\n%s\n' "$notes"
}

# minus A B DECIMALS: A - B, or "-" if either is missing.
minus() {
	awk -v a="$1" -v b="$2" -v d="$3" 'BEGIN {
		if (a == "-" || b == "-") print "-"
		else printf "%+.*f", d, a - b }'
}

probe_table() {
	local c label cpu
	echo "| probe | runs | median µs | p99 µs | × httpGet | CPU µs, median | × httpGet, CPU | whose CPU |"
	echo "|---|---:|---:|---:|---:|---:|---:|---|"
	for c in probe-httpget probe-reader-static probe-podman-reader; do
		case $c in
		*-httpget) label="httpGet: \`GET /healthz\` to the publisher, loopback"
			cpu="the client's and the publisher's" ;;
		*-reader-static) label="exec: fork+exec of the static \`shm-reader\`"
			cpu="the reader's" ;;
		*) label="\`podman healthcheck run\` of \`shm-reader\`"
			cpu="the \`podman\` command's and what it reaped" ;;
		esac
		if ! has "$c"; then
			continue
		elif [ "$(val $c skipped)" != - ]; then
			echo "| $label | not run: $(val $c skipped) | | | | | | |"
			continue
		fi
		echo "| $label | $(val $c runs) | $(val $c median_us) |" \
			"$(val $c p99_us) | $(val $c ratio_httpget) |" \
			"$(val $c cpu_median_us) | $(val $c ratio_httpget_cpu) | $cpu |"
	done
}

serve_table() {
	local k i=serve-idle l=serve-loaded
	echo "| publisher | requests | failed | CPU ms in $(val $i seconds) s | CPU µs per s | RSS KiB, peak | RSS KiB, mean | PSS KiB, peak |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	for k in $i $l; do
		has "$k" || continue
		echo "| $([ $k = $i ] && echo "listening, no requests" ||
			echo "serving $(val $l rate) requests a second") |" \
			"$(val $k requests) | $(val $k fails) | $(val $k cpu_ms) |" \
			"$(val $k cpu_us_per_s) | $(val $k rss_kib) |" \
			"$(val $k rss_mean_kib) | $(val $k pss_kib) |"
	done
	has $l && has $i || return 0
	echo "| difference, serving − idle | | |" \
		"$(minus "$(val $l cpu_ms)" "$(val $i cpu_ms)" 3) |" \
		"$(minus "$(val $l cpu_us_per_s)" "$(val $i cpu_us_per_s)" 1) |" \
		"$(minus "$(val $l rss_kib)" "$(val $i rss_kib)" 0) |" \
		"$(minus "$(val $l rss_mean_kib)" "$(val $i rss_mean_kib)" 0) |" \
		"$(minus "$(val $l pss_kib)" "$(val $i pss_kib)" 0) |"
}

probe_section() {
	local podman_note
	if [ "$(val probe-podman-reader skipped)" = - ] && has probe-podman-reader; then
		podman_note="\`podman healthcheck run\` of the reader's container of
table 5 joins the same run in one round out of $(awk -v a="$(val probe-httpget runs)" \
	-v b="$(val probe-podman-reader runs)" 'BEGIN { printf "%d", a / b }'); it checks
that container's own segment."
	else
		podman_note="Podman did not run, so this run has no podman figure."
	fi
	cat <<EOF
## 7. An httpGet probe of \`--listen\` against exec probes

One request as a kubelet's httpGet probe makes it, from a C client
(bench/httpget.c): connect to the publisher's \`--listen\` port on
loopback, \`GET /healthz\` with \`Connection: close\`, read the answer to its
end, and pass on 200 or 503.  Beside it, interleaved in one run (each
round the request and a fork+exec of the static reader against the same
segment, in a shuffled order), $(val probe-httpget runs) rounds after a warm-up.
$podman_note
Wall time is from connect to the answer's end for the request, from spawn
to reaped for the others.  The request's CPU is the client's thread time
plus the publisher's task-clock over the request
(cpu_source=$(val probe-httpget cpu_source)); a command's is its rusage, its reaped children
included (the machine's CPU per podman check, conmon and runc included,
is in table 5).  The ratios are of medians, to the request's.

$(probe_table)

The publisher's cost of serving: two static publishers side by side for
$(val serve-idle seconds) s after a second's warm-up, both listening, at the default heartbeat
(10 s), with no package manager; one is sent $(val serve-loaded rate) requests a second on a
fixed schedule (the request above; at that rate its median was
$(val serve-loaded median_us) µs, its p99 $(val serve-loaded p99_us) µs), the other none.  CPU over the window
from a task-clock counter on each (cpu_source=$(val serve-loaded cpu_source)); RSS and PSS
sampled once a second.

$(serve_table)
EOF
}

# The targets, judged on median wall time, what the runtime waits for,
# each a ratio within one interleaved run; the same ratio of CPU medians,
# what the machine spends, is shown beside it.
targets() {
	local r rc s sc b p pc
	r=$(ratio "$(val reader-static median_us)" "$(val floor median_us)" 2)
	rc=$(ratio "$(val reader-static cpu_median_us)" "$(val floor cpu_median_us)" 2)
	s=$(ratio "$(val seed median_us)" "$(val reader-static median_us)" 2)
	sc=$(ratio "$(val seed cpu_median_us)" "$(val reader-static cpu_median_us)" 2)
	b=$(val size reader_bytes)
	p=$(ratio "$(val podman-reader median_us)" "$(val podman-floor median_us)" 3)
	pc=$(ratio "$(val podman-reader machine_cpu_us)" "$(val podman-floor machine_cpu_us)" 3)
	echo "| target | measured | | CPU, beside it |"
	echo "|---|---:|---|---:|"
	echo "| static \`shm-reader\` at most 1.30 × the floor (table 1) | ${r} × | $(verdict "$r" '<=' 1.30) | ${rc} × |"
	echo "| static \`shm-reader\` at least 8 × cheaper than the seed's check (table 1) | ${s} × | $(verdict "$s" '>=' 8) | ${sc} × |"
	echo "| static \`shm-reader\` at most 65536 bytes, stripped | ${b} bytes | $(verdict "$b" '<=' 65536) | |"
	echo "| \`podman healthcheck run\` with \`shm-reader\` at most 1.02 × with the floor (table 5) | ${p} × | $(verdict "$p" '<=' 1.02) | ${pc} × |"
}

write_md() {
	cat <<EOF
# Benchmark results

Generated by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC').
Machine: $(machine).
Load average (1, 5, 15 min) before / after the run: ${BENCH_LOAD:-unknown}.

![median and p99 wall time per health check](results.png)

## Targets

Judged on medians of wall time, each a ratio within one interleaved run;
beside each, the same ratio of CPU medians (in podman, of the machine's
busy time per check), not judged.

$(targets)

## 1. Health check, whole process

Spawn, run and reap each check; each round runs every check once, in a
shuffled order; $(val floor runs) rounds.
CPU is the child's user + system time, its own children included; page
faults are its minor faults (rusage), the pages it touched first, a mean.
The ratios are of medians, of wall time and of CPU time.

Between the floor and the static reader stand two programs of
bench/ladder.c, built and linked as the static reader is (musl, static
PIE, stripped): one that only exits, the C library's start-up and exit;
one that makes exactly the system calls of a healthy \`shm-reader\` check
(ignore SIGPIPE, openat2, fstat, three preads, a clock read by system
call, one write) and nothing else.  What the reader costs above the second
is its own work (options, validation, verdict, text) and a larger binary
to map.

$(spawn_table)

## 2. Snapshot in process

\`shmh_snapshot()\` against a \`memcpy\` call of the same $(val snapshot-uncontended bytes) bytes
from the mapping; median of 9 batches, alternating with the memcpy ones.
Contended: a writer publishing back to back, pinned to another CPU.  A
retried read is a torn attempt the latch threw away and made again; a failed
one ran out of tries (SHMH_EBUSY); a torn one passed the latch inconsistent.
By \`pread\`: the same latch through three system calls a try, as
\`shm-reader\` reads (a tenth as many reads).  A try needs the sequence
unchanged across its three system calls, so a writer publishing back to
back makes most tries fail; after $(val snapshot-read-contended pread_tries) torn tries a read
maps the segment for that one snapshot.  The publisher publishes once per
heartbeat and per check.

$(snapshot_table)

## 3. High-frequency intervals

Each check started at every period boundary for $(val interval-reader-1ms seconds) s, one
at a time; a boundary passed while the previous check ran is missed.

$(interval_table)

## 4. Publisher footprint

Side by side at the default heartbeat (10 s), the publisher with no package
manager (its daily check costs what the package manager costs, for both).
CPU over the window after start-up, from a task-clock counter inherited by
every child (cpu_source=$(val footprint-seed-loop cpu_source)), extrapolated to a day.  RSS is the
largest sum over the process group; PSS shares libraries among processes.

$(footprint_table)

## 5. Through podman

\`podman healthcheck run\`, interleaved, $(val podman-floor runs) rounds each, on three
containers of one image (busybox-static and the static binaries) that differ
only in their health command; inside them the seed's check runs under
busybox \`sh\` and \`cat\`.  Machine CPU is all busy time on the machine during
each run.  The ratios are of medians, to the floor's container (the floor
of table 1, a static program that only exits).  The last columns set each
check's own cost, measured alone in table 1, against the runtime's median.

$(podman_table)

$(managers_section)

$(probe_section)
EOF
}

# Replaces case 6's section in results.md (or adds it), keeping the rest.
write_managers_only() {
	local sect=$out/.managers.md
	managers_section alone >"$sect"
	if [ ! -f "$md" ]; then
		{ echo "# Benchmark results"; echo; cat "$sect"; } >"$md"
	else
		awk -v sect="$sect" '
			function put(l) { while ((getline l < sect) > 0) print l }
			/^## / && skip { skip = 0; print "" }
			/^## 6\. / { put(); skip = 1; done = 1; next }
			!skip { print }
			END { if (!done) { print ""; put() } }' "$md" >"$md.new" &&
			mv "$md.new" "$md"
	fi
	rm -f "$sect"
}

plot() {
	local data=$out/.results.dat c
	: >"$data"
	for c in floor reader-static reader-dynamic seed curl podman-floor \
		podman-reader podman-seed; do
		has "$c" || continue
		echo "$c $(val $c median_us) $(val $c p99_us)" >>"$data"
	done
	gnuplot -e "datafile='$data'; outfile='$png'" \
		-e "subtitle='$(date -u +%Y-%m-%d), $(machine | tr -d "'")'" \
		"$here/plot.gp"
	rm -f "$data"
}

mkdir -p "$out"
if [ "${BENCH_ONLY:-}" = managers ]; then
	write_managers_only
	exit 0
fi
write_md >"$md"
if command -v gnuplot >/dev/null; then
	plot
else
	echo "report: gnuplot not found (apt-get install -y gnuplot-nox): no $png" >&2
fi
