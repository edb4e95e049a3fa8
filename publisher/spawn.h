/* SPDX-License-Identifier: MIT */
/*
 * Running one child command: under a keeper process that is a child
 * subreaper (so nothing the command starts can leave its care), in its own
 * process group, no inherited descriptors, stdout captured up to a cap, the
 * start of stderr kept for error messages; on timeout, stop or its end
 * every process it started is killed.
 */
#ifndef SHMHEALTH_SPAWN_H
#define SHMHEALTH_SPAWN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PUB_ERRBUF 512

struct pub_child {
	pid_t pid;		/* the keeper; 0: none running (or reaped) */
	int out_fd, err_fd;	/* -1 once closed */
	char *out;		/* captured stdout, NUL-terminated, heap */
	size_t out_len, out_cap, max_out;
	char err[PUB_ERRBUF];	/* first bytes of stderr, NUL-terminated */
	size_t err_len;
	int overflow;		/* stdout went past max_out: group killed */
	int timed_out;		/* killed by the caller's timeout */
	int oom_killed;		/* SIGKILLed while the kernel OOM-killed */
	uint64_t oom_kills;	/* the kernel's OOM kill count at the start */
	int kill_sent;		/* pub_child_kill() asked the keeper */
	int reaped;
	int wstatus;		/* waitpid status once reaped */
	int64_t started_ns;
};

/*
 * What a check's child gets so that the service keeps the machine: the
 * child's niceness raised to at least nice, its I/O class (0: inherit),
 * its oom_score_adj raised to at least oom_score_adj (so that the kernel's
 * OOM killer picks it before the service), and an RLIMIT_AS of memory
 * bytes (0: none).  Each only ever lowers the child's claim, which needs no
 * privilege; where the kernel refuses (no /proc, a sandbox), the child runs
 * as the publisher does.
 */
#define PUB_IOCLASS_INHERIT 0
#define PUB_IOCLASS_BEST_EFFORT 2	/* at its lowest level, 7 */
#define PUB_IOCLASS_IDLE 3
struct pub_limits {
	int nice;
	int io_class;
	int oom_score_adj;
	uint64_t memory;
};

/* A command: argv to exec, built by pub_command_new(). */
struct pub_command {
	char **argv;		/* NULL-terminated, heap */
	char *storage;
};

/*
 * Builds argv for a command string: with no shell metacharacters it is split
 * on blanks and run directly (no /bin/sh needed, as in distroless images);
 * otherwise it runs as /bin/sh -c CMD.  Returns 0 or -1 (empty, no memory).
 */
int pub_command_new(struct pub_command *c, const char *cmd);

/* Builds a command from a fixed argv (copied). Returns 0 or -1. */
int pub_command_from_argv(struct pub_command *c, const char *const *argv);
void pub_command_free(struct pub_command *c);

/*
 * Starts argv[0] (searched in PATH) with stdin from /dev/null, under lim
 * (or NULL).  env_set is a NULL-terminated list of "NAME=VALUE" strings set
 * in the child, or NULL.  Returns 0, or -1 with errno set and nothing left
 * running.
 */
int pub_spawn(struct pub_child *c, char *const argv[],
	      const char *const *env_set, size_t max_out,
	      const struct pub_limits *lim);

/*
 * Reads what is available on fd (the child's out_fd or err_fd) without
 * blocking.  Closes fd at EOF.  On overflow kills the group and closes
 * out_fd.  Returns 0, or -1 on a read error other than EAGAIN.
 */
int pub_child_read(struct pub_child *c, int fd);

/* Has the keeper kill the command and all it started (no-op once
 * reaped); the keeper's exit, as the command's, ends the run. */
/* How long a keeper has to end after SIGTERM before it is SIGKILLed. */
#define PUB_KILL_GRACE_MS	1000
void pub_child_kill(struct pub_child *c);

/*
 * Records the wait status of the reaped keeper (the command's, passed on;
 * the keeper has killed all the command left), reads what remains in the
 * pipes and closes them.  A child
 * killed by SIGKILL, not by us, while the kernel's OOM kill count rose is
 * marked oom_killed.
 */
void pub_child_reaped(struct pub_child *c, int wstatus);

/* Exit status as a shell reports it: the code, or 128+N for signal N. */
int pub_child_status(const struct pub_child *c);

/* Frees buffers, closes pipes; the child must already be reaped. */
void pub_child_free(struct pub_child *c);

/* Copies the first non-blank line of s into dst, printable ASCII only. */
void pub_first_line(char *dst, size_t len, const char *s);

#endif
