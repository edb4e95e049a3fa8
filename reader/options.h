/* SPDX-License-Identifier: MIT */
/*
 * shm-reader's options: command line first, then SHMHEALTH_* environment
 * variables for whatever the command line left unset (a flag wins).  The
 * policy overrides are kept apart from the segment's policy and laid over
 * a copy of it at verdict time (rdr_policy_effective()).
 */
#ifndef SHMHEALTH_RDR_OPTIONS_H
#define SHMHEALTH_RDR_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "shm/shm.h"

/* What main() does after parsing. */
enum rdr_action {
	RDR_ACTION_CHECK = 0,	/* read the segment and answer */
	RDR_ACTION_HELP,
	RDR_ACTION_VERSION,
};

/* Output formats (reader/fmt.h writes them). */
enum rdr_format {
	RDR_FMT_TEXT = 0,	/* the verdict's lines */
	RDR_FMT_JSON,		/* one object on one line */
	RDR_FMT_PROMETHEUS,	/* text exposition format 0.0.4 */
	RDR_FMT_NAGIOS,		/* plugin line, exit 0/1/2/3 */
};

/* Which fields of rdr_overrides.p replace the segment's policy. */
enum {
	RDR_OVR_ON_UPDATES	= 1u << 0,
	RDR_OVR_SECURITY_ONLY	= 1u << 1,
	RDR_OVR_MIN_UPDATES	= 1u << 2,
	RDR_OVR_MAX_FAILURES	= 1u << 3,
	RDR_OVR_GRACE		= 1u << 4,
	RDR_OVR_MAX_CHECK_AGE	= 1u << 5,	/* p.max_success_age_s */
	RDR_OVR_STARTING	= 1u << 6,	/* p.starting_healthy */
};

/* Reader-side policy: a bit in set for each field of p given by a flag or
 * variable; the other fields of p are unused. */
struct rdr_overrides {
	unsigned set;
	struct shm_policy p;
};

/*
 * Nagios thresholds on the updates the policy counts, after the plugin
 * guidelines' simplest range: WARNING (CRITICAL) when the count is above
 * warning (critical).  Unset, the verdict decides as without them.
 */
struct rdr_thresholds {
	int have_warning, have_critical;
	uint32_t warning, critical;
};

/* The largest threshold: more than any segment's pending count. */
#define RDR_THRESHOLD_MAX	1000000u

/* Longest usage-error message rdr_parse_options() writes, NUL included. */
#define RDR_ERR_MAX 256

struct rdr_options {
	enum rdr_action action;
	const char *segment;	/* name or path; points into argv or env */
	uint64_t max_age_ms;	/* 0: 3 x the published heartbeat interval */
	int have_owner;		/* also accept a segment owned by owner */
	uid_t owner;
	int quiet;		/* no output, exit status only */
	enum rdr_format format;
	struct rdr_overrides ov;
	struct rdr_thresholds thr;	/* nagios only */
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
