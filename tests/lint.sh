#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Lint: every format string that reaches the verdict's own printf
# (rdr_text_vprintf in reader/text.c) uses only what it supports: %s %d %u
# %ld %lu %lld %llu and %%, no flags, width or precision.  The compiler
# checks formats against the C library's printf, which accepts far more;
# anything else would print '?' and end the health check's answer there.
# Ends with "lint: N passed, N failed".
#
#	lint.sh [FILE...]	(default: reader/*.[ch] publisher/*.[ch])
set -u
cd "$(dirname "$0")/.."

. tests/lib.sh

# The calls checked: rdr_text_printf(), and every function that hands its
# own format on to rdr_text_vprintf() (validate.c's invalid(), say), at
# the format argument its format(printf, N, M) attribute names.  A format
# may span lines, be several literals pasted together, or a conditional
# (`cond ? "a %s" : "b %u"`): every literal in the argument is checked,
# and an argument without one (a variable, a macro) is refused, since it
# cannot be.  Comments are skipped.  Prints "ok FILE N" per file with
# formats, "bad FILE:LINE why" per finding, and "wrappers NAMES".
# shellcheck disable=SC2016
LINT_PL='
use strict;
use warnings;

my (@files, %toks);
my %fmt_index = ();	# function => 0-based index of its format argument
my %wrapper = ();	# function => "file" where it forwards to the formatter

# Tokens of a C file: [kind, text, line], comments dropped.
sub tokens {
	my ($src) = @_;
	my ($line, @t) = (1);
	pos($src) = 0;
	while (pos($src) < length($src)) {
		if ($src =~ /\G(\/\*.*?\*\/|\/\/[^\n]*)/sgc) {
			$line += ($1 =~ tr/\n//);
		} elsif ($src =~ /\G("(?:\\.|[^"\\\n])*")/sgc) {
			push @t, ["str", $1, $line];
		} elsif ($src =~ /\G(\x27(?:\\.|[^\x27\\\n])*\x27)/sgc) {
			push @t, ["chr", $1, $line];
		} elsif ($src =~ /\G([A-Za-z_]\w*)/gc) {
			push @t, ["id", $1, $line];
		} elsif ($src =~ /\G(\s+)/gc) {
			$line += ($1 =~ tr/\n//);
		} elsif ($src =~ /\G(.)/sgc) {
			push @t, ["p", $1, $line];
		}
	}
	return \@t;
}

# Pass 1: format attributes, and the functions that call rdr_text_vprintf.
sub scan {
	my ($file, $t) = @_;
	my ($depth, $paren, $decl, $func, $pending) = (0, 0, undef, undef, undef);
	for (my $i = 0; $i < @$t; $i++) {
		my ($k, $x) = @{$t->[$i]};
		my $next = $i + 1 < @$t ? $t->[$i + 1][1] : "";
		if ($k eq "p") {
			$paren++ if $x eq "(";
			$paren-- if $x eq ")";
			if ($x eq "{") {
				$func = $decl if $depth == 0;
				$depth++;
			} elsif ($x eq "}") {
				$depth--;
				($decl, $pending) = (undef, undef) if $depth == 0;
			} elsif ($x eq ";" && $depth == 0) {
				($decl, $pending) = (undef, undef);
			}
			next;
		}
		next unless $k eq "id";
		if ($x eq "__attribute__" && $depth == 0) {
			my $s = join(" ", map { $_->[1] } @$t[$i .. ($i + 12 < $#$t ? $i + 12 : $#$t)]);
			if ($s =~ /^__attribute__ \( \( (?:__)?format(?:__)? \( (?:__)?printf(?:__)? , (\d+) ,/) {
				if (defined $decl) {
					$fmt_index{$decl} = $1 - 1;
				} else {
					$pending = $1 - 1;	# before the declaration
				}
			}
			next;
		}
		if ($depth == 0 && $paren == 0 && $next eq "(") {
			$decl = $x;
			$fmt_index{$decl} = $pending if defined $pending;
			$pending = undef;
		}
		if ($x eq "rdr_text_vprintf" && $depth > 0 && $next eq "(") {
			$wrapper{$func} = $file if defined $func;
		}
	}
}

# The arguments of the call whose "(" is at index $i: lists of tokens.
sub call_args {
	my ($t, $i) = @_;
	my ($nest, @args, @cur) = (0);
	for (my $j = $i; $j < @$t; $j++) {
		my $x = $t->[$j][1];
		my $punct = $t->[$j][0] eq "p";
		if ($punct && $x =~ /^[(\[{]$/) {
			push @cur, $t->[$j] if $nest++ > 0;
		} elsif ($punct && $x =~ /^[)\]}]$/) {
			last if --$nest == 0;
			push @cur, $t->[$j];
		} elsif ($punct && $x eq "," && $nest == 1) {
			push @args, [@cur];
			@cur = ();
		} else {
			push @cur, $t->[$j];
		}
	}
	push @args, [@cur];
	return @args;
}

# The bytes of a string literal, escapes decoded.
sub unquote {
	my ($s) = @_;
	$s = substr($s, 1, -1);
	$s =~ s/\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.))/
		defined $1 ? chr(oct($1)) : defined $2 ? chr(hex($2)) : $3/sge;
	return $s;
}

# Why a format is refused, or "" if every conversion is supported.
sub bad_format {
	my ($f) = @_;
	while ($f =~ /%/g) {
		next if $f =~ /\G(?:lld|llu|ld|lu|%|s|d|u)/gc;
		$f =~ /\G([-+ #0\x27]*[0-9*]*(?:\.[0-9*]*)?[hlLqjzt]*[\x20-\x7e]?)/gc;
		return "unsupported \"%$1\": only %s %d %u %ld %lu %lld " .
		       "%llu %%, no flags, width or precision";
	}
	return "";
}

# Pass 2: every call of a checked function, every literal of its format.
sub check {
	my ($file, $t) = @_;
	my ($depth, $n) = (0, 0);
	for (my $i = 0; $i < @$t; $i++) {
		my ($k, $x, $line) = @{$t->[$i]};
		$depth++ if $k eq "p" && $x eq "{";
		$depth-- if $k eq "p" && $x eq "}";
		next unless $k eq "id" && $depth > 0 && exists $fmt_index{$x} &&
			    (exists $wrapper{$x} || $x eq "rdr_text_printf") &&
			    $i + 1 < @$t && $t->[$i + 1][1] eq "(";
		my @args = call_args($t, $i + 1);
		my $arg = $args[$fmt_index{$x}] // [];
		my ($lits, $group) = (0, undef);
		my @groups;
		for my $tok (@$arg, ["end", "", 0]) {
			if ($tok->[0] eq "str") {
				$group = (defined $group ? $group : "") . unquote($tok->[1]);
				next;
			}
			push @groups, $group if defined $group;
			$group = undef;
		}
		if (!@groups) {
			print "bad $file:$line $x: format argument holds no string literal\n";
			next;
		}
		for my $g (@groups) {
			my $why = bad_format($g);
			$n++;
			print "bad $file:$line $x(\"$g\"): $why\n" if $why ne "";
		}
	}
	print "ok $file $n\n" if $n > 0;
}

for my $file (@ARGV) {
	open(my $fh, "<", $file) or die "lint: $file: $!\n";
	local $/;
	$toks{$file} = tokens(<$fh>);
	close($fh);
	scan($file, $toks{$file});
	push @files, $file;
}
# The formatter itself, whichever files were given.
$wrapper{rdr_text_printf} //= "reader/text.c";
$fmt_index{rdr_text_printf} //= 1;
for my $w (sort keys %wrapper) {
	print "bad $wrapper{$w} $w forwards a format to rdr_text_vprintf " .
	      "without a format(printf) attribute\n" unless exists $fmt_index{$w};
}
print "wrappers ", join(" ", sort grep { exists $fmt_index{$_} } keys %wrapper), "\n";
check($_, $toks{$_}) for @files;
'

if [ $# -eq 0 ]; then
	set -- reader/*.[ch] publisher/*.[ch]
fi
out=$(perl -e "$LINT_PL" "$@" 2>&1)
rc=$?
check "lint: the checker ran (exit $rc)" "$rc" "$out"
formats=0
while read -r kind where rest; do
	case $kind in
	ok)
		formats=$((formats + rest))
		ok "lint: $where: $rest format strings of the verdict's printf" ;;
	bad)
		bad "lint: $where" "$rest" ;;
	wrappers)
		echo "# checked calls of: $where $rest" ;;
	esac
done <<<"$out"
# Nothing found means the extraction broke, not that all is well.
check "lint: format strings found ($formats)" "$([ "$formats" -gt 0 ] && echo 0 || echo 1)"

# The static reader's run-time printf (reader/rt/printf.c) has no floating
# point, %n, %m, wide characters, the ' flag or the q and Z lengths.  No string in the code it links (reader/,
# shm/) may hold such a conversion: the compiler would accept it, and the
# answer would end in '?'.  (A literal "%%f" is refused too: harmless.)
rt_conv="%([-+ #0]*'|[-+ #0]*(\\*|[0-9]+)?(\\.(\\*|[0-9]+)?)?((hh|h|ll|j|z|t|L|q|Z)?[fFeEgGaAnCSm]|l[fFeEgGaAnscm]|[qZ]))"
rt_bad=$(grep -nE "\"([^\"\\]|\\.)*${rt_conv}" reader/*.[ch] shm/*.[ch])
check "lint: no format in reader/ or shm/ needs more than the run-time's printf" \
	"$([ -z "$rt_bad" ] && echo 0 || echo 1)" "$rt_bad"
# The pattern itself must catch what it is for.
rt_self=$(printf '%s\n' 'x("%.3f")' 'x("a", "%5lld %ls")' 'x("%n")' 'x("%m")' \
	"x(\"%'d\")" 'x("%qd")' 'x("%-5lld %.*s %04x %lu %%")' |
	grep -cE "\"([^\"\\]|\\.)*${rt_conv}")
check "lint: the run-time pattern catches %f, %ls, %n, %m, %'d, %qd, and only those" \
	"$([ "$rt_self" -eq 6 ] && echo 0 || echo 1)" "matched $rt_self of 6"

done_tests lint
