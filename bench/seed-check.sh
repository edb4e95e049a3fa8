#!/bin/sh
# SPDX-License-Identifier: MIT
# The seed's health check, as the benchmark runs it (/bin/sh, dash on
# Debian): the background loop's marker file exists and its pid file reads.
# $1 is the loop's directory (the seed used /tmp/x).
test -f "$1/healthy" && cat "$1/pid" >/dev/null
