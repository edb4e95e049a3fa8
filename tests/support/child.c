/* SPDX-License-Identifier: MIT */
/* Child processes for the Check suites: forked to die with the test. */
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/support/child.h"

pid_t tst_start_child(void)
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid == 0 && (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
			 getppid() != parent))
		_exit(99);
	return pid;
}
