/* SPDX-License-Identifier: MIT */
/* The publisher's options, from flags and SHMHEALTH_* environment variables. */
#ifndef SHMHEALTH_OPTIONS_H
#define SHMHEALTH_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "publisher/spawn.h"

#define PUB_LIST_MAX 64
#define PUB_DEFAULT_AGE UINT64_MAX	/* max_check_age_ms not given */

/* A repeatable option: flags, or several items in one variable. */
struct pub_list {
	char *items[PUB_LIST_MAX];
	size_t n;
	char env[4096];		/* the variable's copy, cut into items */
};

/* One --probe, parsed. */
struct pub_probe_def {
	char name[32];			/* [A-Za-z0-9_.-], 1 to 31 bytes */
	uint64_t interval_ms, timeout_ms;
	const char *command;
};
#define PUB_PROBES_MAX 8		/* as many as the segment holds */

struct pub_options {
	const char *segment;		/* name or path */
	const char *manager;		/* auto|apk|apt|...|none */
	const char *update_command;	/* replaces the manager's command */
	const char *update_format;	/* parse format of update_command */
	uint64_t interval_ms;		/* between successful checks */
	uint64_t jitter_ms;		/* random extra delay, up to this */
	uint64_t retry_ms;		/* after a failed check */
	uint64_t timeout_ms;		/* per check run */
	uint64_t heartbeat_ms;
	uint64_t max_output;		/* bytes of stdout kept per run */
	const char *cache_dir;		/* private index; NULL: the default */
	int no_refresh;			/* use the system's package index */
	struct pub_list ignore;		/* globs of packages left out */
	struct pub_list probes;		/* NAME:INTERVAL:TIMEOUT:COMMAND */
	struct pub_probe_def probe_defs[PUB_PROBES_MAX];
	size_t nprobe_defs;
	uint64_t probe_retries;		/* failures in a row before unhealthy */
	const char *textfile;		/* directory for shmhealth.prom */
	const char *listen;		/* ADDR:PORT for /healthz, /metrics */
	/* The checks' and probes' claim on the machine. */
	uint64_t check_nice;		/* at least this nice (19) */
	const char *check_io_class;	/* idle|best-effort|inherit */
	uint64_t check_oom_score;	/* oom_score_adj at least this (1000) */
	uint64_t check_memory;		/* RLIMIT_AS in bytes; 0: none */
	struct pub_limits limits;	/* the four above, checked */
	/* Health policy, published for the reader. */
	const char *on_updates;		/* fail|report */
	int security_only;
	uint64_t min_updates;
	uint64_t grace_ms;
	uint64_t max_check_age_ms;	/* PUB_DEFAULT_AGE: derived */
	uint64_t max_failures;
	const char *starting;		/* healthy|unhealthy */
	int daemon;
	int once;
	char **wrap_argv;		/* after "--", or NULL */
};

/*
 * Parses NAME:INTERVAL:TIMEOUT:COMMAND into d (command points into spec).
 * Returns 0, or -1 with a reason in err.
 */
int pub_probe_parse(const char *spec, struct pub_probe_def *d, char *err,
		    size_t len);

/*
 * Fills o from the environment, then from argv (a flag wins).  Returns 0 to
 * run, 1 when --help or --version was answered (exit 0), -1 after printing
 * a one-line error (exit 1).
 */
int pub_options_parse(struct pub_options *o, int argc, char **argv);

/* The usage line, as the man page's SYNOPSIS. */
extern const char pub_usage[];

#endif
