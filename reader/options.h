/* SPDX-License-Identifier: MIT */
/*
 * shm-reader's options: command line first, then SHMHEALTH_* environment
 * variables for whatever the command line left unset (a flag wins).
 */
#ifndef SHMHEALTH_RDR_OPTIONS_H
#define SHMHEALTH_RDR_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* What main() does after parsing. */
enum rdr_action {
	RDR_ACTION_CHECK = 0,	/* read the segment and answer */
	RDR_ACTION_HELP,
	RDR_ACTION_VERSION,
};

enum rdr_format {
	RDR_FORMAT_TEXT = 0,	/* json, prometheus, nagios: a later issue */
};

/* Longest usage-error message rdr_parse_options() writes, NUL included. */
#define RDR_ERR_MAX 256

struct rdr_options {
	enum rdr_action action;
	const char *segment;	/* name or path; points into argv or environ */
	uint64_t max_age_ms;	/* 0: 3 x the published heartbeat interval */
	int have_owner;		/* also accept a segment owned by owner */
	uid_t owner;
	int quiet;		/* no output, exit status only */
	enum rdr_format format;
};

/* Sets the defaults: check "shmhealth", text, default max age, not quiet. */
void rdr_options_init(struct rdr_options *o);

/*
 * Parses argv (getopt_long; argv may be permuted) and then the environment.
 * Returns 0, or -1 with a one-line reason (no newline, no program name) in
 * err.  Restarts getopt, so it may be called more than once (tests do).
 */
int rdr_parse_options(struct rdr_options *o, int argc, char *argv[],
		      char *err, size_t errlen);

#endif
