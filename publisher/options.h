/* SPDX-License-Identifier: MIT */
/* The publisher's options, from flags and SHMHEALTH_* environment variables. */
#ifndef SHMHEALTH_OPTIONS_H
#define SHMHEALTH_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#define PUB_IGNORE_MAX 64

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
	char *ignore[PUB_IGNORE_MAX];	/* globs of packages left out */
	size_t nignore;
	int ignore_from_env;		/* a first --ignore flag replaces them */
	int daemon;
	int once;
	char **wrap_argv;		/* after "--", or NULL */
};

/*
 * Fills o from the environment, then from argv (a flag wins).  Returns 0 to
 * run, 1 when --help or --version was answered (exit 0), -1 after printing
 * a one-line error (exit 1).
 */
int pub_options_parse(struct pub_options *o, int argc, char **argv);

/* The usage line, as the man page's SYNOPSIS. */
extern const char pub_usage[];

#endif
