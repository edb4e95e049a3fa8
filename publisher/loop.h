/* SPDX-License-Identifier: MIT */
/*
 * The publisher's state and single-threaded event loop: signals, the
 * heartbeat timer, the check's and the probes' timers and their running
 * children's pipes, the --listen sockets, all in one poll(2), with no work done in signal
 * handlers.  The loop owns the status and is the only one to publish it.
 */
#ifndef SHMHEALTH_LOOP_H
#define SHMHEALTH_LOOP_H

#include <stddef.h>
#include <sys/types.h>

#include "publisher/check.h"
#include "publisher/http.h"
#include "publisher/options.h"
#include "publisher/probe.h"
#include "shm/shm.h"

struct pub_loop {
	const struct pub_options *opt;
	struct shmh_map map;		/* seg is NULL in --once mode */
	struct shmh_status st;		/* the master copy we publish */
	int sigfd, hb_fd;
	struct pub_check check;		/* the update check */
	struct pub_probe probes[PUB_PROBES_MAX];
	size_t nprobes;
	int stop;			/* a stop signal arrived */
	int exit_status;		/* for --once */
	int ready_fd;			/* --daemon: told once the segment is live */
	pid_t wrap_pid;			/* wrapper mode: CMD while it runs */
	struct pub_http http;		/* --listen */
};

/* Sets up signals, timers and the probes.  Returns 0, or -1 after logging
 * why. */
int pub_loop_init(struct pub_loop *l, const struct pub_options *opt);

/* Runs until stopped (or, with --once, until one check ends). */
int pub_loop_run(struct pub_loop *l);

/* Closes descriptors and the segment (its name stays), frees the commands. */
void pub_loop_free(struct pub_loop *l);

/* Publishes l->st (refreshing its heartbeat time) if a segment exists. */
void pub_publish(struct pub_loop *l);

#endif
