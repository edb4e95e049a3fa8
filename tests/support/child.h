/* SPDX-License-Identifier: MIT */
/* Child processes for the Check suites. */
#ifndef SHMHEALTH_TESTS_CHILD_H
#define SHMHEALTH_TESTS_CHILD_H

#include <sys/types.h>

/*
 * Forks a child that gets SIGKILL when the test process dies, however that
 * ends.  Returns as fork() does.
 */
pid_t tst_start_child(void);

#endif
