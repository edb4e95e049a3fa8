/* SPDX-License-Identifier: MIT */
/* A background job's timers, its timeout, and its end on stop. */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "publisher/job.h"
#include "publisher/timer.h"

int pub_job_init(struct pub_job *j)
{
	memset(j, 0, sizeof(*j));
	j->child.out_fd = j->child.err_fd = -1;
	j->timer_fd = pub_timer_new();
	j->kill_fd = pub_timer_new();
	return j->timer_fd >= 0 && j->kill_fd >= 0 ? 0 : -1;
}

void pub_job_timeout(struct pub_job *j)
{
	if (!pub_timer_fired(j->kill_fd) || j->child.pid == 0)
		return;
	if (!j->child.kill_sent)
		j->child.timed_out = 1;
	pub_child_kill(&j->child);
	pub_timer_arm(j->kill_fd, PUB_KILL_GRACE_MS, 0);
}

void pub_job_abort(struct pub_job *j)
{
	struct timespec tick = { 0, 10000000 };
	int ws = 0, i;
	pid_t r;

	if (j->child.pid == 0)
		return;
	if (!j->child.kill_sent)
		pub_child_kill(&j->child);
	for (i = 0; i < PUB_KILL_GRACE_MS / 10; i++) {
		r = waitpid(j->child.pid, &ws, WNOHANG);
		if (r != 0 && !(r < 0 && errno == EINTR))
			break;
		nanosleep(&tick, NULL);
	}
	if (i == PUB_KILL_GRACE_MS / 10) {
		pub_child_kill(&j->child);	/* now SIGKILL */
		while (waitpid(j->child.pid, &ws, 0) < 0 && errno == EINTR)
			;
	}
	pub_child_reaped(&j->child, ws);
	pub_child_free(&j->child);
}

static void pub_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void pub_job_close(struct pub_job *j)
{
	pub_close_fd(&j->timer_fd);
	pub_close_fd(&j->kill_fd);
}
