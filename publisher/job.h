/* SPDX-License-Identifier: MIT */
/*
 * Something run in the background on its own schedule: the update check or
 * a probe.  Each has its own timers and child, so none waits for another.
 */
#ifndef SHMHEALTH_JOB_H
#define SHMHEALTH_JOB_H

#include "publisher/spawn.h"

struct pub_job {
	struct pub_child child;		/* pid 0 while nothing runs */
	int timer_fd;			/* when to run next */
	int kill_fd;			/* when to give up on the child */
};

/* Makes j's timers, nothing running.  Returns 0, or -1 (errno); either
 * way pub_job_close() may follow. */
int pub_job_init(struct pub_job *j);

/* The kill timer fired: asks the keeper to kill them all, and if it has
 * not ended a grace period later, kills the keeper; the reap ends the run. */
void pub_job_timeout(struct pub_job *j);

/* Kills and reaps the running child, if any (on stop). */
void pub_job_abort(struct pub_job *j);

/* Closes the timers. */
void pub_job_close(struct pub_job *j);

#endif
