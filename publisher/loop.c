/* SPDX-License-Identifier: MIT */
/*
 * The event loop: one poll(2) over a signalfd, two timerfds (heartbeat, next
 * check), a third for the running check's timeout, and the check's pipes.
 * Nothing here blocks, so a running check never delays the heartbeat.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "publisher/loop.h"

void pub_log(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "shm-publisher[%ld]: ", (long)getpid());
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	strcat(line, "\n");
	/* One write per line, so lines from several processes never mix. */
	if (write(2, line, strlen(line)) < 0)
		return;
}

int pub_timer_arm(int fd, uint64_t ms, int periodic)
{
	struct itimerspec its;

	memset(&its, 0, sizeof(its));
	if (ms == 0)
		ms = 1;	/* zero would disarm it */
	its.it_value.tv_sec = (time_t)(ms / 1000);
	its.it_value.tv_nsec = (long)(ms % 1000) * 1000000;
	if (periodic)
		its.it_interval = its.it_value;
	return timerfd_settime(fd, 0, &its, NULL);
}

void pub_publish(struct pub_loop *l)
{
	l->st.heartbeat_mono_ns = shm_now_mono_ns();
	l->st.heartbeat_wall = shm_now_wall();
	if (l->map.seg != NULL)
		shm_publish(&l->map, &l->st);
}

int pub_loop_init(struct pub_loop *l, const struct pub_options *opt)
{
	sigset_t set;

	l->opt = opt;
	l->ready_fd = -1;
	l->sigfd = l->hb_fd = l->check_fd = l->kill_fd = -1;
	shm_map_init(&l->map);
	/* A closed log pipe must not kill the publisher. */
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	l->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	l->hb_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	l->check_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	l->kill_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (l->sigfd < 0 || l->hb_fd < 0 || l->check_fd < 0 || l->kill_fd < 0) {
		pub_log("cannot set up signals and timers: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Reaps every exited child; the check's own ends the check. */
static void pub_reap(struct pub_loop *l)
{
	pid_t pid;
	int ws;

	while ((pid = waitpid(-1, &ws, WNOHANG)) > 0) {
		if (l->child.pid != 0 && pid == l->child.pid) {
			pub_child_reaped(&l->child, ws);
			pub_check_step_done(l);
		}
	}
}

static void pub_on_signal(struct pub_loop *l)
{
	struct signalfd_siginfo si;

	while (read(l->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM:
		case SIGINT:
			pub_log("stopping on %s", strsignal((int)si.ssi_signo));
			l->stop = 1;
			break;
		case SIGHUP:
			if (l->child.pid != 0)
				pub_log("SIGHUP: a check is already running");
			else
				pub_check_start(l);
			break;
		case SIGCHLD:
			pub_reap(l);
			break;
		}
	}
}

/* Reads a timerfd; returns 1 if it had fired. */
static int pub_timer_fired(int fd)
{
	uint64_t n;

	return read(fd, &n, sizeof(n)) == (ssize_t)sizeof(n);
}

static void pub_on_heartbeat(struct pub_loop *l)
{
	if (!pub_timer_fired(l->hb_fd))
		return;
	l->st.heartbeat_count++;
	pub_publish(l);
}

static void pub_on_timeout(struct pub_loop *l)
{
	if (!pub_timer_fired(l->kill_fd) || l->child.pid == 0)
		return;
	l->child.timed_out = 1;
	pub_child_kill(&l->child);	/* reaped through SIGCHLD */
}

enum { PUB_FD_SIG, PUB_FD_HB, PUB_FD_CHECK, PUB_FD_KILL, PUB_FD_OUT,
       PUB_FD_ERR, PUB_NFDS };

static void pub_poll_once(struct pub_loop *l)
{
	struct pollfd p[PUB_NFDS];
	int i;

	p[PUB_FD_SIG].fd = l->sigfd;
	p[PUB_FD_HB].fd = l->hb_fd;
	p[PUB_FD_CHECK].fd = l->check_fd;
	p[PUB_FD_KILL].fd = l->kill_fd;
	p[PUB_FD_OUT].fd = l->child.pid ? l->child.out_fd : -1;
	p[PUB_FD_ERR].fd = l->child.pid ? l->child.err_fd : -1;
	for (i = 0; i < PUB_NFDS; i++)
		p[i].events = POLLIN;
	if (poll(p, PUB_NFDS, -1) < 0)
		return;	/* EINTR: go round again */
	if (p[PUB_FD_OUT].revents)
		pub_child_read(&l->child, l->child.out_fd);
	if (p[PUB_FD_ERR].revents)
		pub_child_read(&l->child, l->child.err_fd);
	if (p[PUB_FD_SIG].revents)
		pub_on_signal(l);
	if (p[PUB_FD_HB].revents)
		pub_on_heartbeat(l);
	if (p[PUB_FD_KILL].revents)
		pub_on_timeout(l);
	if (p[PUB_FD_CHECK].revents && pub_timer_fired(l->check_fd) &&
	    l->child.pid == 0)
		pub_check_start(l);
}

int pub_loop_run(struct pub_loop *l)
{
	if (l->map.seg != NULL &&
	    pub_timer_arm(l->hb_fd, l->opt->heartbeat_ms, 1) != 0)
		return -1;
	/* The first check runs right away. */
	pub_timer_arm(l->check_fd, 1, 0);
	while (!l->stop)
		pub_poll_once(l);
	pub_check_abort(l);
	if (l->map.seg != NULL) {
		l->st.state = SHM_STATE_STOPPED;
		pub_publish(l);
	}
	return 0;
}

void pub_loop_free(struct pub_loop *l)
{
	int *fds[] = { &l->sigfd, &l->hb_fd, &l->check_fd, &l->kill_fd };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
	pub_plan_free(&l->plan);
	shm_close_segment(&l->map);
}
