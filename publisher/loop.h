/* SPDX-License-Identifier: MIT */
/*
 * The publisher's state and single-threaded event loop: signals, the
 * heartbeat timer, the check timer and the running check's pipes, all in one
 * poll(2), with no work done in signal handlers.
 */
#ifndef SHMHEALTH_LOOP_H
#define SHMHEALTH_LOOP_H

#include <signal.h>
#include <stdint.h>
#include <sys/types.h>

#include "publisher/backend.h"
#include "publisher/options.h"
#include "publisher/parse.h"
#include "publisher/spawn.h"
#include "shm/shm.h"

#define PUB_PATH_MAX 1024

/*
 * Runs an update check now.  SIGHUP does too, except in wrapper mode, where
 * SIGHUP belongs to the service; SIGPWR is one no service in a container
 * uses (only an init system on a UPS hears it).
 */
#define PUB_RECHECK_SIGNAL SIGPWR

/* The steps of one update check, ready to run. */
struct pub_plan {
	struct pub_command cmd[PUB_STEPS_MAX];
	const struct pub_step *step[PUB_STEPS_MAX];
	const struct pub_format *fmt[PUB_STEPS_MAX];
	size_t nsteps;			/* 0: nothing to run (--manager none) */
};

/*
 * Something run in the background on its own schedule: the update check or
 * a probe.  Each has its own timers and child, so none waits for another.
 */
struct pub_job {
	struct pub_child child;		/* pid 0 while nothing runs */
	int timer_fd;			/* when to run next */
	int kill_fd;			/* when to give up on the child */
};

/* A --probe, running. */
struct pub_probe {
	struct pub_job job;
	struct pub_command cmd;
	const struct pub_probe_def *def;
};

struct pub_loop {
	const struct pub_options *opt;
	struct shmh_map map;		/* seg is NULL in --once mode */
	struct shmh_status st;		/* the master copy we publish */
	int sigfd, hb_fd;
	struct pub_job update;		/* the update check */
	struct pub_probe probes[PUB_PROBES_MAX];
	size_t nprobes;
	struct pub_plan plan;		/* the update check's steps */
	size_t cur;			/* the step running or next */
	struct pub_result found;	/* the listing step's result */
	int security_failed;		/* the security step failed */
	int64_t index_mono_ns;		/* this check's index: refreshed or */
	int64_t index_wall;		/* last modified then; 0: unknown */
	char cache_dir[PUB_PATH_MAX];	/* the private index */
	const char *const *env;		/* set in the check's environment */
	uint64_t pending_hash;		/* identifies the current pending set */
	int stop;			/* a stop signal arrived */
	int exit_status;		/* for --once */
	int ready_fd;			/* --daemon: told once the segment is live */
	pid_t wrap_pid;			/* wrapper mode: CMD while it runs */
	unsigned rechecks_ignored;	/* recheck signals during this check */
};

/* Sets up signals and timers.  Returns 0, or -1 after logging why. */
int pub_loop_init(struct pub_loop *l, const struct pub_options *opt);

/* Runs until stopped (or, with --once, until one check ends). */
int pub_loop_run(struct pub_loop *l);

/* Closes descriptors and the segment (its name stays), frees the command. */
void pub_loop_free(struct pub_loop *l);

/* Publishes l->st (refreshing its heartbeat time) if a segment exists. */
void pub_publish(struct pub_loop *l);

/* Formats a duration as given ("500ms", "10s", "1h"); buf holds 32. */
char *pub_fmt_ms(uint64_t ms, char *buf);

/* Arms a timerfd to fire after ms, then every ms if periodic; 0 disarms. */
int pub_timer_arm(int fd, uint64_t ms, int periodic);

/*
 * log.c: logs one line to stderr, prefixed "shm-publisher[pid]: ", never
 * blocking: a pipe, FIFO or socket that takes no more keeps lines in a
 * buffer of PUB_LOG_BUFFER bytes, flushed from the loop when it is
 * writable; lines past it are dropped, and their count logged once room
 * returns.
 */
#define PUB_LOG_BUFFER 65536
void pub_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Makes s[0..n) safe to show in place (controls and bad UTF-8 to '?');
 * returns its new length. */
size_t pub_log_clean(char *s, size_t n);
/* Looks at stderr again (done by the first pub_log); drops the buffer. */
void pub_log_init(void);
/* The descriptor to poll for POLLOUT while lines wait, else -1. */
int pub_log_pending_fd(void);
/* Writes what waits, as far as stderr takes it now. */
void pub_log_flush(void);
/* At exit: gives stderr up to ms to take what waits. */
void pub_log_drain(int ms);

/* plan.c: choosing the backend or command, building its steps. */
int pub_check_prepare(struct pub_loop *l);
void pub_plan_free(struct pub_plan *p);

/* probe.c: the probes' runs and results. */
int pub_probes_init(struct pub_loop *l);
void pub_probe_start(struct pub_loop *l, struct pub_probe *p);
void pub_probe_done(struct pub_loop *l, struct pub_probe *p);
void pub_probes_free(struct pub_loop *l);

/* Kills and reaps a job's running child, if any (on stop). */
void pub_job_abort(struct pub_job *j);

/* wrap.c: wrapper mode. */
/* The signals we take through the signalfd: with wrapping, all we pass on. */
void pub_signal_set(sigset_t *set, int wrapping);
/* Starts CMD.  Returns 0, or -1 after logging why. */
int pub_wrap_start(struct pub_loop *l);
/* Passes sig on to CMD; returns 1 if it was CMD's to have. */
int pub_wrap_signal(struct pub_loop *l, int sig);
/* CMD ended with wait status ws: the loop stops with its exit status. */
void pub_wrap_reaped(struct pub_loop *l, int ws);

/* textfile.c: DIR/shmhealth.prom for node_exporter, replaced atomically. */
/* sync: fsync the new file before it replaces the old one. */
void pub_textfile_write(struct pub_loop *l, int sync);
/* At start: 0 if DIR (or no --textfile) will do, -1 after logging why. */
int pub_textfile_check(const char *dir);

/* check.c: starting update checks, and each step's end. */
void pub_check_start(struct pub_loop *l);
void pub_check_step_done(struct pub_loop *l);
void pub_check_abort(struct pub_loop *l);
/* Says how many recheck signals the check that ended ignored, if more
 * than the one already logged, and starts counting again. */
void pub_check_rechecks_said(struct pub_loop *l);

#endif
