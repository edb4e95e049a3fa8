/* SPDX-License-Identifier: MIT */
/*
 * The plan of an update check: which backend (or command), its steps with
 * their argv filled in, and the private cache directory they use.
 */
#ifndef SHMHEALTH_PLAN_H
#define SHMHEALTH_PLAN_H

#include <stddef.h>

#include "publisher/backend.h"
#include "publisher/formats.h"
#include "publisher/options.h"
#include "publisher/spawn.h"
#include "shm/shm.h"

#define PUB_PATH_MAX 1024

/* The steps of one update check, ready to run. */
struct pub_plan {
	struct pub_command cmd[PUB_STEPS_MAX];
	const struct pub_step *step[PUB_STEPS_MAX];
	const struct pub_format *fmt[PUB_STEPS_MAX];
	size_t nsteps;			/* 0: nothing to run (--manager none) */
	char cache_dir[PUB_PATH_MAX];	/* the private index */
	const char *const *env;		/* set in the steps' environment */
};

/*
 * Chooses the backend (or --update-command) that o asks for, makes its
 * private cache directory and fills p with its steps; names the backend in
 * u and sets its flags there.  Returns 0, or -1 after logging why.
 */
int pub_plan_prepare(struct pub_plan *p, const struct pub_options *o,
		     struct shmh_check *u);

void pub_plan_free(struct pub_plan *p);

#endif
