/* SPDX-License-Identifier: MIT */
/*
 * The event loop: one poll(2) over a signalfd, the heartbeat timerfd, and
 * for each job (the update check, each probe) its schedule and timeout
 * timerfds and its running child's pipes.  Nothing here blocks, so a running
 * check or probe never delays the heartbeat or another job.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "publisher/log.h"
#include "publisher/loop.h"
#include "publisher/textfile.h"
#include "publisher/timer.h"
#include "publisher/wrap.h"
#include "shm/util.h"

/* What poll() watches of each job: its two timers and the child's pipes. */
#define PUB_PER_JOB_FDS	4

void pub_publish(struct pub_loop *l)
{
	l->st.heartbeat_mono_ns = shmh_now_mono_ns();
	l->st.heartbeat_wall = shmh_now_wall();
	if (l->map.seg != NULL)
		shmh_publish(&l->map, &l->st);
}

/* The textfile, if asked for, of what is published. */
static void pub_textfile(struct pub_loop *l, int sync)
{
	pub_textfile_write(l->map.path[0] ? l->map.path : l->opt->segment,
			   &l->st, sync);
}

/* Does what the update check asked for (PUB_CHECK_* flags). */
static void pub_check_then(struct pub_loop *l, int what)
{
	int status;

	if (what & PUB_CHECK_PUBLISH)
		pub_publish(l);
	if (!(what & PUB_CHECK_ENDED))
		return;
	pub_textfile(l, 1);
	status = pub_check_finish(&l->check);
	if (status >= 0) {
		l->exit_status = status;
		l->stop = 1;
	}
}

/* Sets up each --probe, recording into its slot of the status. */
static int pub_probes_init(struct pub_loop *l)
{
	const struct pub_options *o = l->opt;
	size_t i;

	for (i = 0; i < o->nprobe_defs; i++) {
		l->nprobes = i + 1;
		if (pub_probe_init(&l->probes[i], &o->probe_defs[i], &o->limits,
				   (unsigned)o->probe_retries,
				   &l->st.probes[i]) != 0)
			return -1;
	}
	l->st.nprobes = (uint32_t)l->nprobes;
	return 0;
}

/*
 * poll() refuses more entries than RLIMIT_NOFILE, and each --listen
 * connection takes a descriptor: the soft limit is raised as far as that
 * needs (never lowered), or the start fails saying so, rather than the
 * loop failing later.
 */
static int pub_nofile(const struct pub_options *o)
{
	struct rlimit rl;
	/* stdio, the segment, its directory and lock, the signalfd, the
	 * heartbeat, the log's and a keeper's spare: 12; then each job's
	 * four; then the listener, its timer and each connection.  poll()'s
	 * entries are never more. */
	rlim_t need = 12 + PUB_PER_JOB_FDS * (1 + o->nprobe_defs);

	if (o->listen != NULL)
		need += PUB_HTTP_NFDS;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= need)
		return 0;
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < need) {
		pub_log("open files limited to %llu (ulimit -n); this setup "
			"needs %llu", (unsigned long long)rl.rlim_max,
			(unsigned long long)need);
		return -1;
	}
	rl.rlim_cur = need;
	return setrlimit(RLIMIT_NOFILE, &rl) == 0 ? 0 : -1;
}

int pub_loop_init(struct pub_loop *l, const struct pub_options *opt)
{
	sigset_t set;

	l->opt = opt;
	l->ready_fd = -1;
	l->sigfd = l->hb_fd = -1;
	pub_http_init(&l->http);
	shmh_map_init(&l->map);
	if (pub_nofile(opt) != 0)
		return -1;
	if (pub_check_init(&l->check, opt, &l->st.update) != 0) {
		pub_log("cannot set up timers: %s", strerror(errno));
		return -1;
	}
	/* A closed log pipe must not kill the publisher. */
	signal(SIGPIPE, SIG_IGN);
	pub_signal_set(&set, opt->wrap_argv != NULL);
	if (sigprocmask(SIG_BLOCK, &set, NULL) != 0)
		return -1;
	/*
	 * An ignored signal is dropped before it reaches the signalfd, and a
	 * shell starts background jobs with SIGINT and SIGQUIT ignored (nohup:
	 * SIGHUP).  Blocked, the default action never runs; CMD and checks
	 * start with it too.
	 */
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(&set, sig) == 1)
			signal(sig, SIG_DFL);
	l->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	l->hb_fd = pub_timer_new();
	if (l->sigfd < 0 || l->hb_fd < 0 || pub_probes_init(l) != 0) {
		pub_log("cannot set up signals and timers: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Reaps every exited child; each ends its job's run. */
static void pub_reap(struct pub_loop *l)
{
	pid_t pid;
	size_t i;
	int ws;

	while ((pid = waitpid(-1, &ws, WNOHANG)) > 0) {
		if (pid == l->wrap_pid) {
			l->exit_status = pub_wrap_reaped(l->opt->wrap_argv[0],
							 ws);
			l->wrap_pid = 0;
			l->stop = 1;
			continue;
		}
		if (pid == l->check.job.child.pid) {
			pub_child_reaped(&l->check.job.child, ws);
			pub_check_then(l, pub_check_step_done(&l->check));
			continue;
		}
		for (i = 0; i < l->nprobes; i++) {
			if (pid != l->probes[i].job.child.pid)
				continue;
			pub_child_reaped(&l->probes[i].job.child, ws);
			pub_probe_done(&l->probes[i]);
			pub_publish(l);
			pub_textfile(l, 1);
		}
	}
}

static void pub_on_signal(struct pub_loop *l)
{
	struct signalfd_siginfo si;
	int sig;

	while (read(l->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		sig = (int)si.ssi_signo;
		if (pub_wrap_signal(l->wrap_pid, sig)) {
			/* CMD decides; its exit ends the wrapper. */
			if (sig == SIGTERM || sig == SIGINT)
				pub_log("passing %s on", strsignal(sig));
			continue;
		}
		if (sig == SIGTERM || sig == SIGINT) {
			pub_log("stopping on %s", strsignal(sig));
			l->stop = 1;
		} else if (sig == SIGHUP || sig == PUB_RECHECK_SIGNAL) {
			pub_check_then(l, pub_check_recheck(&l->check, sig));
		} else if (sig == SIGCHLD) {
			pub_reap(l);
		}
	}
}

/*
 * A segment whose name was removed (rm /dev/shm/shmhealth, a tmpfs
 * cleaner) is made again, or readers would say "no segment" for as long as
 * we run.
 */
static void pub_keep_named(struct pub_loop *l)
{
	char path[sizeof(l->map.path)], why[SHMH_PATH_MAX + 128];
	int r;

	if (l->map.seg == NULL || shmh_still_named(&l->map))
		return;
	memcpy(path, l->map.path, sizeof(path));
	pub_log("segment %s was removed or replaced; making it again", path);
	shmh_close_segment(&l->map);
	r = shmh_create_segment(&l->map, l->opt->segment, &l->st);
	if (r == SHMH_OK)
		return;
	/* In wrapper mode the service matters more: it runs on, unwatched. */
	shmh_describe(&l->map, r, why, sizeof(why));
	pub_log("segment %s: %s; %s", path, why,
		l->wrap_pid > 0 ? "publishing stops" : "stopping");
	if (l->wrap_pid <= 0) {
		l->exit_status = 1;
		l->stop = 1;
	}
}

static void pub_on_heartbeat(struct pub_loop *l)
{
	if (!pub_timer_fired(l->hb_fd))
		return;
	l->st.heartbeat_count++;
	pub_keep_named(l);
	pub_publish(l);
	/* The textfile's heartbeat must be live too: an alert on its age is
	 * how Prometheus sees a dead publisher.  Not synced: a disk slow to
	 * sync must not hold up the heartbeat, and a lost heartbeat-only
	 * write costs nothing. */
	pub_textfile(l, 0);
}

/* A job's schedule: start it unless it is still running. */
static void pub_on_due(struct pub_loop *l, size_t job)
{
	struct pub_job *j = job == 0 ? &l->check.job : &l->probes[job - 1].job;

	if (!pub_timer_fired(j->timer_fd) || j->child.pid != 0)
		return;
	if (job == 0)
		pub_check_then(l, pub_check_start(&l->check));
	else
		pub_probe_start(&l->probes[job - 1]);
}

enum {
	PUB_PER_JOB = PUB_PER_JOB_FDS,
	PUB_NFDS = 3 + PUB_PER_JOB * (1 + PUB_PROBES_MAX) + PUB_HTTP_NFDS,
};

static void pub_job_fds(struct pollfd *p, const struct pub_job *j)
{
	p[0].fd = j->timer_fd;
	p[1].fd = j->kill_fd;
	p[2].fd = j->child.pid ? j->child.out_fd : -1;
	p[3].fd = j->child.pid ? j->child.err_fd : -1;
}

static void pub_job_events(struct pub_loop *l, const struct pollfd *p,
			   size_t job)
{
	struct pub_job *j = job == 0 ? &l->check.job : &l->probes[job - 1].job;
	int asked = j->child.kill_sent;

	if (p[2].revents && j->child.pid)
		pub_child_read(&j->child, j->child.out_fd);
	if (p[3].revents && j->child.pid)
		pub_child_read(&j->child, j->child.err_fd);
	/* Output past its cap asked the keeper to end: the same grace. */
	if (!asked && j->child.kill_sent)
		pub_timer_arm(j->kill_fd, PUB_KILL_GRACE_MS, 0);
	if (p[1].revents)
		pub_job_timeout(j);
	if (p[0].revents)
		pub_on_due(l, job);
}

static void pub_poll_once(struct pub_loop *l)
{
	struct pollfd p[PUB_NFDS];
	size_t i, njobs = 1 + l->nprobes, n = 2 + PUB_PER_JOB * njobs;
	nfds_t nfds = n + 1;

	p[0].fd = l->sigfd;
	p[1].fd = l->hb_fd;
	pub_job_fds(&p[2], &l->check.job);
	for (i = 0; i < l->nprobes; i++)
		pub_job_fds(&p[2 + PUB_PER_JOB * (i + 1)], &l->probes[i].job);
	for (i = 0; i < n; i++) {
		p[i].events = POLLIN;
		p[i].revents = 0;
	}
	/* Log lines stderr could not take yet: written as it takes them. */
	p[n].fd = pub_log_pending_fd();
	p[n].events = POLLOUT;
	p[n].revents = 0;
	/* poll() counts every entry against RLIMIT_NOFILE: only a
	 * listening publisher adds its sockets'. */
	if (l->http.listen_fd >= 0) {
		pub_http_fds(&l->http, &p[n + 1]);
		for (i = n + 1; i < n + 1 + PUB_HTTP_NFDS; i++)
			p[i].revents = 0;
		nfds += PUB_HTTP_NFDS;
	}
	if (poll(p, nfds, -1) < 0) {
		if (errno == EINTR)
			return;	/* go round again */
		/* Anything else would come back every time: a loop that
		 * spins without a heartbeat is worse than a stop. */
		pub_log("cannot wait for events: %s; stopping",
			strerror(errno));
		l->exit_status = 1;
		l->stop = 1;
		return;
	}
	if (p[n].revents)
		pub_log_flush();
	/* Pipes first, so a reaped child's output is all in. */
	for (i = 0; i < njobs; i++)
		pub_job_events(l, &p[2 + PUB_PER_JOB * i], i);
	if (p[0].revents)
		pub_on_signal(l);
	if (p[1].revents)
		pub_on_heartbeat(l);
	/* Last: answered from the status as this round left it. */
	if (l->http.listen_fd >= 0)
		pub_http_events(&l->http, &p[n + 1], &l->st,
				l->map.path[0] ? l->map.path : l->opt->segment);
}

int pub_loop_run(struct pub_loop *l)
{
	size_t i;

	if (l->map.seg != NULL &&
	    pub_timer_arm(l->hb_fd, l->opt->heartbeat_ms, 1) != 0)
		return -1;
	/* The first check and the first probes run right away. */
	pub_timer_arm(l->check.job.timer_fd, 1, 0);
	for (i = 0; i < l->nprobes; i++)
		pub_timer_arm(l->probes[i].job.timer_fd, 1, 0);
	while (!l->stop)
		pub_poll_once(l);
	/* Said first: reaping a check stuck in the kernel must not delay it. */
	if (l->map.seg != NULL) {
		l->st.state = SHMH_STATE_STOPPED;
		l->st.update.running = 0;
		pub_publish(l);
	}
	pub_check_abort(&l->check);
	for (i = 0; i < l->nprobes; i++)
		pub_job_abort(&l->probes[i].job);
	return 0;
}

static void pub_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void pub_loop_free(struct pub_loop *l)
{
	pub_close_fd(&l->sigfd);
	pub_close_fd(&l->hb_fd);
	pub_http_close(&l->http);
	pub_check_free(&l->check);
	for (size_t i = 0; i < l->nprobes; i++)
		pub_probe_free(&l->probes[i]);
	l->nprobes = 0;
	shmh_close_segment(&l->map);
}
