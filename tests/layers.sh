#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Layers: the include graph between modules runs one way.  A module is
# x.c with its header x.h; `#include "dir/y.h"` in either makes x depend
# on y.  Fails when
#   - the modules of publisher/ include each other in a circle (printed),
#   - shm/ includes anything outside shm/ (the segment is the bottom),
#   - a module of report/ includes reader/ or publisher/ (both use it),
#   - a header of publisher/ declares a function its own .c does not
#     define: one header for several modules hides from the include graph
#     who calls whom.
# Ends with "layers: N passed, N failed".
#
#	layers.sh [ROOT]	(default: the repository)
set -u
ROOT=$(cd "${1:-$(dirname "$0")/..}" && pwd) || exit 1
cd "$(dirname "$0")/.."

. tests/lib.sh

# The module edges under ROOT, one "FROM TO FILE:LINE" per quoted include
# of another module (a file's own header is no edge).
edges() {
	local root=$1 d
	for d in shm reader publisher report; do
		[ -d "$root/$d" ] || continue
		find "$root/$d" -type f \( -name '*.c' -o -name '*.h' \)
	done | sort | while read -r f; do
		awk -v root="$root/" '
			function module(p) { sub(/\.[ch]$/, "", p); return p }
			/^[ \t]*#[ \t]*include[ \t]*"/ {
				inc = $0
				sub(/^[^"]*"/, "", inc)
				sub(/".*/, "", inc)
				from = FILENAME
				if (index(from, root) == 1)
					from = substr(from, length(root) + 1)
				if (module(from) != module(inc))
					print module(from), module(inc), from ":" FNR
			}' "$f"
	done
}

# Prints one cycle of the module graph "FROM TO" on stdin, restricted to
# the modules under dir (as "a -> b -> a"), or nothing when there is none.
cycle_in() {
	perl -e '
		my $dir = shift;
		my (%next, %state, @path);
		while (<STDIN>) {
			my ($from, $to) = split;
			next unless $from =~ m{^\Q$dir\E/} && $to =~ m{^\Q$dir\E/};
			$next{$from}{$to} = 1;
			$next{$to} //= {};
		}
		# Depth first; a module met again while on the path closes a circle.
		sub visit {
			my ($m) = @_;
			$state{$m} = 1;
			push @path, $m;
			for my $n (sort keys %{$next{$m}}) {
				if (($state{$n} // 0) == 1) {
					my ($i) = grep { $path[$_] eq $n } 0 .. $#path;
					print join(" -> ", @path[$i .. $#path], $n), "\n";
					exit 0;
				}
				visit($n) unless $state{$n};
			}
			pop @path;
			$state{$m} = 2;
		}
		visit($_) for grep { !$state{$_} } sort keys %next;
	' "$1"
}

# The includes of edges on stdin that leave shm/, or that reach reader/
# or publisher/ from report/: "FILE:LINE: MODULE" each.
shm_out() {
	awk '$1 ~ /^shm\// && $2 !~ /^shm\// { print $3 ": " $2 }'
}
report_up() {
	awk '$1 ~ /^report\// && $2 ~ /^(reader|publisher)\// { print $3 ": " $2 }'
}

# The functions publisher/x.h declares that x.c does not define, one
# "HEADER: NAME" a line.  A declaration starts a line and names the
# function before its first '('; a definition starts a line with the
# name and its '(' after the type.  A header with no .c (parse_formats.h,
# what the parse_*.c files offer) is not checked.
foreign() {
	local root=$1 h c f
	for h in "$root"/publisher/*.h; do
		c=${h%.h}.c
		[ -f "$c" ] || continue
		awk '/^[A-Za-z_]/ && /\(/ &&
		     !/^(typedef|static|extern|enum|union|struct [A-Za-z_]+ \{)/ {
			l = $0
			sub(/\(.*/, "", l)
			n = split(l, w, /[ *]+/)
			print w[n]
		}' "$h" | while read -r f; do
			grep -qE "^([A-Za-z_][A-Za-z0-9_ *]*[ *])?$f\(" "$c" ||
				echo "${h#"$root"/}: $f"
		done
	done
}

# A finding of several lines, as bad() shows a detail.
detail() {
	sed '2,$s/^/  /' <<<"$1"
}

# The checker must find what it is for: a circle of three (and not an
# include of a module's own header), the includes shm/ and report/ must
# not make, a function declared in the header of a module that does not
# define it.
mkdir -p "$T/self/publisher" "$T/self/shm" "$T/self/report"
printf '#include "publisher/b.h"\n#include "publisher/a.h"\n' >"$T/self/publisher/a.c"
printf '#include "publisher/c.h"\n' >"$T/self/publisher/b.h"
printf '#include "publisher/a.h"\n' >"$T/self/publisher/c.c"
printf 'int pub_d(void);\nvoid pub_e(int a,\n\t   int b);\nstruct d {\n\tint (*f)(void);\n};\n' \
	>"$T/self/publisher/d.h"
printf 'int pub_d(void)\n{\n\treturn 0;\n}\n' >"$T/self/publisher/d.c"
printf '#include "shm/s.h"\n#include "reader/r.h"\n' >"$T/self/shm/s.c"
printf '#include "shm/s.h"\n#include "publisher/a.h"\n' >"$T/self/report/t.c"
self=$(edges "$T/self" | cycle_in publisher)
check "layers: a circle of three is found" \
	"$([ "$self" = "publisher/a -> publisher/b -> publisher/c -> publisher/a" ] &&
	   echo 0 || echo 1)" "found: ${self:-nothing}"

self=$(edges "$T/self" | shm_out)
check "layers: an include out of shm/ is found" \
	"$([ "$self" = "shm/s.c:2: reader/r" ] && echo 0 || echo 1)" \
	"found: ${self:-nothing}"

self=$(edges "$T/self" | report_up)
check "layers: an include of publisher/ from report/ is found" \
	"$([ "$self" = "report/t.c:2: publisher/a" ] && echo 0 || echo 1)" \
	"found: ${self:-nothing}"

self=$(foreign "$T/self")
check "layers: a function declared in another module's header is found" \
	"$([ "$self" = "publisher/d.h: pub_e" ] && echo 0 || echo 1)" \
	"found: ${self:-nothing}"

all=$(edges "$ROOT")
check "layers: includes found" "$([ -n "$all" ] && echo 0 || echo 1)"

loop=$(cycle_in publisher <<<"$all")
check "layers: no circle between the modules of publisher/" \
	"$([ -z "$loop" ] && echo 0 || echo 1)" "$loop"

out=$(shm_out <<<"$all")
check "layers: shm/ includes only shm/" \
	"$([ -z "$out" ] && echo 0 || echo 1)" "$(detail "$out")"

out=$(report_up <<<"$all")
check "layers: report/ includes neither reader/ nor publisher/" \
	"$([ -z "$out" ] && echo 0 || echo 1)" "$(detail "$out")"

out=$(foreign "$ROOT")
check "layers: each header of publisher/ declares only its own .c's functions" \
	"$([ -z "$out" ] && echo 0 || echo 1)" "$(detail "$out")"

done_tests layers
