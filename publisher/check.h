/* SPDX-License-Identifier: MIT */
/*
 * The update check's life: run its steps one after the other (refresh,
 * list, security), and when the last ends record the result in the status
 * (or keep the last good one and record the error), then schedule the next.
 *
 * The loop owns the status and publishes it: each call that changes it
 * returns what the loop must do next, as PUB_CHECK_* flags.
 */
#ifndef SHMHEALTH_CHECK_H
#define SHMHEALTH_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "publisher/job.h"
#include "publisher/options.h"
#include "publisher/parse.h"
#include "publisher/plan.h"
#include "shm/shm.h"

/* What the loop must do after a call below (or-ed; 0: nothing). */
#define PUB_CHECK_PUBLISH 1	/* the status changed: publish it */
#define PUB_CHECK_ENDED 2	/* the check ended: write the textfile too,
				   then call pub_check_finish() */

struct pub_check {
	const struct pub_options *opt;
	struct shmh_check *u;		/* in the loop's status */
	struct pub_job job;
	struct pub_plan plan;		/* the steps */
	size_t cur;			/* the step running or next */
	struct pub_result found;	/* the listing step's result */
	int security_failed;		/* the security step failed */
	int failed;			/* the check that ended failed */
	int64_t index_mono_ns;		/* this check's index: refreshed or */
	int64_t index_wall;		/* last modified then; 0: unknown */
	uint64_t pending_hash;		/* identifies the current pending set */
	unsigned rechecks_ignored;	/* recheck signals during this check */
};

/* Sets c up for opt, recording into u; the plan is made apart
 * (pub_plan_prepare).  Returns 0, or -1 (errno). */
int pub_check_init(struct pub_check *c, const struct pub_options *opt,
		   struct shmh_check *u);

/* Starts a check (its schedule came due).  Returns PUB_CHECK_* flags. */
int pub_check_start(struct pub_check *c);

/* A recheck signal: starts a check unless one runs; a burst during a
 * check is logged once, and counted when it ends.  Returns flags. */
int pub_check_recheck(struct pub_check *c, int sig);

/* The running step's child was reaped: judges it, then starts the next
 * step or ends the check.  Returns flags. */
int pub_check_step_done(struct pub_check *c);

/*
 * After the loop has published a check that ended (PUB_CHECK_ENDED): with
 * --once prints the result and returns the exit status, and the loop
 * stops; otherwise schedules the next check and returns -1.
 */
int pub_check_finish(struct pub_check *c);

/* On stop: a running step is killed with its group and reaped. */
void pub_check_abort(struct pub_check *c);

/* Closes the timers, frees the plan. */
void pub_check_free(struct pub_check *c);

#endif
