#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hostile input: package names and probe output made of terminal escapes
# and bidi controls, oversized probe fields, ambiguous options, --daemon
# with relative paths.  Ends with "hostile-input: N passed, N failed".
set -u
cd "$(dirname "$0")/.."

. tests/lib.sh

# --- probe INTERVAL and TIMEOUT are never cut ---------------------------------
zeros=$(printf '0%.0s' $(seq 40))
expect "probe: an interval longer than its field is refused" 1 \
	'--probe p:.*interval too long' \
	"$PUB" --once --update-command true --probe "p:${zeros}5000:1s:true"
expect "probe: a timeout longer than its field is refused" 1 \
	'--probe p:.*timeout too long' \
	"$PUB" --once --update-command true --probe "p:5s:${zeros}1:true"
expect "probe: a 31-character interval still reads" 0 '^updates 0' \
	"$PUB" --once --update-command true --probe "p:$(printf '0%.0s' $(seq 29))5s:1s:true"

# --- ambiguous abbreviations --------------------------------------------------
expect "publisher: an ambiguous abbreviation is named so" 1 \
	"^shm-publisher: option '--se' is ambiguous \(--segment, --security-only\)" \
	"$PUB" --se x --once
expect "publisher: ... also with =VALUE" 1 \
	"option '--se' is ambiguous \(--segment, --security-only\)" \
	"$PUB" --se=x --once
expect "publisher: an unknown option is still unknown" 1 \
	"unknown option or missing value: --bogus" "$PUB" --bogus
expect "reader: an ambiguous abbreviation is named so" 1 \
	"^shm-reader: option '--se' is ambiguous \(--segment, --security-only\)" \
	"$RDR" --se x
expect "reader: ... also with =VALUE" 1 \
	"option '--se' is ambiguous \(--segment, --security-only\)" "$RDR" --se=x
expect "reader: a unique abbreviation still works" 1 '^no segment' \
	"$RDR" --segm "$T/none"
expect "reader: an unknown option is still unknown" 1 \
	"unknown option '--bogus'" "$RDR" --bogus
done_tests hostile-input
