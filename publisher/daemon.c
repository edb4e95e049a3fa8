/* SPDX-License-Identifier: MIT */
/*
 * Detaching: a double fork with a pipe back to the original process, which
 * waits for one byte ("the segment is live") or end of file ("it died").
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "publisher/daemon.h"

static void pub_daemon_wait(int rfd, pid_t middle)
{
	char c;
	ssize_t n;

	while (waitpid(middle, NULL, 0) < 0 && errno == EINTR)
		;
	do
		n = read(rfd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		_exit(0);
	fprintf(stderr, "shm-publisher: publisher exited before its segment "
		"was live\n");
	_exit(1);
}

int pub_daemonize(int *ready_fd)
{
	int p[2], fd;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid > 0) {
		close(p[1]);
		pub_daemon_wait(p[0], pid);
	}
	close(p[0]);
	setsid();
	/* The second fork: not a session leader, never gets a terminal. */
	pid = fork();
	if (pid < 0)
		_exit(1);
	if (pid > 0)
		_exit(0);
	if (chdir("/") != 0)
		_exit(1);
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		if (fd > 1)
			close(fd);
	}
	/* stderr stays: it is the container's log. */
	*ready_fd = p[1];
	return 0;
}

void pub_daemon_ready(int *ready_fd)
{
	if (*ready_fd < 0)
		return;
	if (write(*ready_fd, "R", 1) != 1)
		return;
	close(*ready_fd);
	*ready_fd = -1;
}
