/* SPDX-License-Identifier: MIT */
/*
 * What shm-reader writes: the verdict, --help, --version and usage errors,
 * each as one write(2) from a stack buffer (no stdio buffers, no heap).
 *
 * Exit status, for a health check (Docker reserves 2 and reads any other
 * non-zero as a failure, so there are only two):
 *	0  healthy, or --help / --version
 *	1  unhealthy, for any reason, bad usage included
 */
#ifndef SHMHEALTH_RDR_OUTPUT_H
#define SHMHEALTH_RDR_OUTPUT_H

#include "reader/options.h"
#include "reader/verdict.h"

#define RDR_EXIT_HEALTHY	0
#define RDR_EXIT_UNHEALTHY	1

/* The --help usage line, which the man page's SYNOPSIS repeats. */
#define RDR_USAGE "usage: shm-reader [--segment NAME|PATH] [--max-age DUR] " \
	"[--owner UID] [--format FMT] [--quiet]"

/* Prints v's text and a newline on stdout unless o->quiet; returns the
 * exit status for v. */
int rdr_print_verdict(const struct rdr_options *o,
		      const struct rdr_verdict *v);

/* Prints the usage and option summary on stdout; returns 0. */
int rdr_print_help(void);

/* Prints "shm-reader VERSION (segment layout N)" on stdout; returns 0. */
int rdr_print_version(void);

/* Prints "shm-reader: what" and a pointer to --help on stderr; returns 1. */
int rdr_usage_error(const char *what);

#endif
