/* SPDX-License-Identifier: MIT */
/*
 * shm-reader's options: command line first, then SHMHEALTH_* environment
 * variables for whatever the command line left unset (a flag wins).  How
 * to judge (report/judge.h) is kept apart from what to read and print.
 */
#ifndef SHMHEALTH_RDR_OPTIONS_H
#define SHMHEALTH_RDR_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "report/fmt.h"
#include "report/judge.h"
#include "shm/shm.h"

/* What main() does after parsing. */
enum rdr_action {
	RDR_ACTION_CHECK = 0,	/* read the segment and answer */
	RDR_ACTION_HELP,
	RDR_ACTION_VERSION,
};

/* Longest usage-error message rdr_parse_options() writes, NUL included. */
#define RDR_ERR_MAX 256

struct rdr_options {
	enum rdr_action action;
	const char *segment;	/* name or path; points into argv or env */
	int have_owner;		/* also accept a segment owned by owner */
	uid_t owner;
	int quiet;		/* no output, exit status only */
	enum rpt_format format;
	struct rpt_judge judge;	/* max age, policy overrides, thresholds */
};

/* Sets the defaults: check "shmhealth", text, default max age, not quiet,
 * the segment's policy as published (no overrides). */
void rdr_options_init(struct rdr_options *o);

/*
 * Parses argv (as getopt_long would: "--name=VALUE" or "--name VALUE",
 * unique prefixes, -q/-h/-V clusters, -w N/-wN and -c N/-cN, options and other arguments in any
 * order, "--" ending the options; argv is not changed) and then the
 * environment env (NULL-terminated, as main's third argument or environ;
 * NULL for none).  Returns 0, or -1 with a one-line reason (no newline, no
 * program name) in err: the first error in argv's order, an unexpected
 * argument only if no option was bad.  Even on error, o->format holds the
 * format asked for when that much could be read (a Nagios caller wants
 * UNKNOWN, exit 3, for bad usage).  May be called more than once.
 */
int rdr_parse_options(struct rdr_options *o, int argc, char *argv[],
		      char *env[], char *err, size_t errlen);

#endif
