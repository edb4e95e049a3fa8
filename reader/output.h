/* SPDX-License-Identifier: MIT */
/*
 * What shm-reader writes: the report in the chosen format, --help,
 * --version and usage errors, each as one write(2) from a stack buffer (no
 * stdio buffers, no heap).
 *
 * Exit status, for a health check (Docker reserves 2 and reads any other
 * non-zero as a failure, so there are only two):
 *	0  healthy, or --help / --version
 *	1  unhealthy, for any reason, bad usage included
 * except with --format nagios, which follows the plugin guidelines:
 *	0  OK        healthy
 *	1  WARNING   updates pending (or above --warning)
 *	2  CRITICAL  security updates pending (or above --critical); a
 *	             failing probe; a stopped or dead publisher
 *	3  UNKNOWN   an update check that cannot tell (failed, stale, not
 *	             finished); no segment, unreadable, refused or invalid;
 *	             bad usage
 */
#ifndef SHMHEALTH_RDR_OUTPUT_H
#define SHMHEALTH_RDR_OUTPUT_H

#include "report/fmt.h"
#include "reader/options.h"

#define RDR_EXIT_HEALTHY	0
#define RDR_EXIT_UNHEALTHY	1

/* The --help usage line, which the man page's SYNOPSIS repeats. */
#define RDR_USAGE "usage: shm-reader [--segment NAME|PATH] [--max-age DUR] " \
	"[--owner UID] [--format FMT] [--quiet] [--on-updates fail|report] " \
	"[--security-only | --all-updates] [--min-updates N] " \
	"[--max-failures N] [--grace DUR] [--max-check-age DUR] " \
	"[--starting healthy|unhealthy] [-w|--warning N] [-c|--critical N]"

/* Prints r in o->format on stdout unless o->quiet; returns the exit status
 * for r (rpt_format_exit()). */
int rdr_print_report(const struct rdr_options *o, const struct rpt_report *r);

/* Prints the usage and option summary on stdout; returns 0. */
int rdr_print_help(void);

/* Prints "shm-reader VERSION (segment layout N)" on stdout; returns 0. */
int rdr_print_version(void);

/*
 * Prints "shm-reader: what" and a pointer to --help on stderr and returns
 * 1; with o->format nagios, prints "SHMHEALTH UNKNOWN - shm-reader: what"
 * on stdout instead (Nagios shows stdout) and returns 3.
 */
int rdr_usage_error(const struct rdr_options *o, const char *what);

#endif
