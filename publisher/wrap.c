/* SPDX-License-Identifier: MIT */
/*
 * Wrapper mode, shm-publisher [options] -- CMD ARGS...: CMD runs as our
 * child; the signals a container's PID 1 is expected to pass on go to it, as
 * tini does; every zombie is reaped (as PID 1, or as a subreaper); and when
 * CMD ends we publish "stopped" and exit with its status.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "publisher/log.h"
#include "publisher/wrap.h"

/*
 * Signals never forwarded: the ones raised by a fault in the receiving
 * process itself, SIGCHLD (ours), the terminal stops that would only stop
 * the wrapper, SIGPIPE (ignored), and the two that cannot be caught.
 */
static int pub_not_forwarded(int sig)
{
	switch (sig) {
	case SIGFPE: case SIGILL: case SIGSEGV: case SIGBUS: case SIGABRT:
	case SIGTRAP: case SIGSYS: case SIGCHLD: case SIGTTIN: case SIGTTOU:
	case SIGPIPE: case SIGKILL: case SIGSTOP:
		return 1;
	default:
		return 0;
	}
}

void pub_signal_set(sigset_t *set, int wrapping)
{
	int sig;

	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGCHLD);
	sigaddset(set, PUB_RECHECK_SIGNAL);
	if (!wrapping)
		return;
	for (sig = 1; sig < NSIG; sig++)
		if (!pub_not_forwarded(sig))
			sigaddset(set, sig);
}

pid_t pub_wrap_start(char *const *argv)
{
	sigset_t none;
	pid_t pid;

	/* Orphans of CMD's must be reaped by us when we are not PID 1. */
	if (getpid() != 1 && prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
		pub_log("cannot become a subreaper: %s", strerror(errno));
	pid = fork();
	if (pid < 0) {
		pub_log("cannot start %s: %s", argv[0], strerror(errno));
		return -1;
	}
	if (pid > 0) {
		pub_log("started %s (pid %ld)", argv[0], (long)pid);
		return pid;
	}
	/* CMD must not outlive a wrapper that died without telling it. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	dprintf(2, "shm-publisher: cannot run %s: %s\n", argv[0],
		strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

int pub_wrap_signal(pid_t pid, int sig)
{
	if (pid <= 0 || sig == SIGCHLD || sig == PUB_RECHECK_SIGNAL)
		return 0;
	if (kill(pid, sig) != 0 && errno != ESRCH)
		pub_log("cannot pass %s on: %s", strsignal(sig), strerror(errno));
	return 1;
}

int pub_wrap_reaped(const char *name, int ws)
{
	if (WIFSIGNALED(ws)) {
		pub_log("%s killed by %s", name, strsignal(WTERMSIG(ws)));
		return 128 + WTERMSIG(ws);
	}
	pub_log("%s exited with status %d", name, WEXITSTATUS(ws));
	return WEXITSTATUS(ws);
}
