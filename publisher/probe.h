/* SPDX-License-Identifier: MIT */
/*
 * Probes: service checks (--probe NAME:INTERVAL:TIMEOUT:COMMAND) run in the
 * background at their own pace, each result recorded in its slot of the
 * status, which the loop publishes.
 */
#ifndef SHMHEALTH_PROBE_H
#define SHMHEALTH_PROBE_H

#include "publisher/job.h"
#include "publisher/options.h"
#include "publisher/spawn.h"
#include "shm/shm.h"

/* A --probe, running. */
struct pub_probe {
	struct pub_job job;
	struct pub_command cmd;
	const struct pub_probe_def *def;
	const struct pub_limits *limits;
	struct shmh_probe *slot;		/* in the loop's status */
};

/* Sets p up to run def under limits, failing after retries failures in
 * a row, recording into slot.  Returns 0, or -1 (errno); either way
 * pub_probe_free() may follow. */
int pub_probe_init(struct pub_probe *p, const struct pub_probe_def *def,
		   const struct pub_limits *limits, unsigned retries,
		   struct shmh_probe *slot);

/* Starts a run (its schedule came due). */
void pub_probe_start(struct pub_probe *p);

/* The run's child was reaped: records it in the slot and schedules the
 * next run; the loop then publishes. */
void pub_probe_done(struct pub_probe *p);

void pub_probe_free(struct pub_probe *p);

#endif
