/* SPDX-License-Identifier: MIT */
/*
 * The keeper: a small process between the publisher and each check or probe
 * command.  It is a child subreaper, so every process the command starts
 * stays its descendant, whatever process group or session it moves to and
 * however often it forks.  When the command exits, when the publisher asks
 * (SIGTERM: a timeout, an overflow, a stop) or when the publisher dies, the
 * keeper kills every descendant, found by its ancestry in /proc, reaps them
 * and exits as the command did.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "publisher/keeper.h"
#include "shm/shm.h"
#include "shm/util.h"

/* How long the keeper goes on killing what will not die (a process stuck
 * in the kernel dies when it returns; the keeper does not wait for it). */
#define PUB_KEEPER_GIVE_UP_NS	1000000000LL

struct pub_proc {
	pid_t pid, ppid;
	int ours;
};

/* The parent of process name (a /proc entry), or -1. */
static pid_t pub_proc_ppid(const char *name)
{
	char path[300], buf[512], *p;
	int fd, ppid;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s/stat", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The command name may hold anything, ')' included: skip to the
	 * last one. */
	p = strrchr(buf, ')');
	if (p == NULL || sscanf(p + 1, " %*c %d", &ppid) != 1)
		return -1;
	return ppid;
}

static int pub_proc_cmp(const void *a, const void *b)
{
	const struct pub_proc *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Every process in /proc, sorted by pid, into *v.  Returns how many, or
 * -1 when /proc cannot be read. */
static ssize_t pub_proc_list(struct pub_proc **v)
{
	size_t n = 0, cap = 0;
	struct dirent *e;
	struct pub_proc *p;
	DIR *d = opendir("/proc");

	*v = NULL;
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			p = realloc(*v, cap * sizeof(**v));
			if (p == NULL)
				break;
			*v = p;
		}
		(*v)[n].pid = (pid_t)atoi(e->d_name);
		(*v)[n].ppid = pub_proc_ppid(e->d_name);
		(*v)[n].ours = 0;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(*v, n, sizeof(**v), pub_proc_cmp);
	return (ssize_t)n;
}

/* Marks the descendants of self in v (n, sorted); returns how many. */
static size_t pub_proc_mark(struct pub_proc *v, size_t n, pid_t self)
{
	struct pub_proc key, *parent;
	size_t i, marked = 0;
	int more = 1;

	while (more) {
		more = 0;
		for (i = 0; i < n; i++) {
			if (v[i].ours || v[i].ppid <= 0)
				continue;
			key.pid = v[i].ppid;
			parent = bsearch(&key, v, n, sizeof(*v), pub_proc_cmp);
			if (v[i].ppid == self || (parent != NULL && parent->ours)) {
				v[i].ours = 1;
				marked++;
				more = 1;
			}
		}
	}
	return marked;
}

/* Whether /proc is of our pid namespace: its "self" is our pid. */
static int pub_proc_is_ours(void)
{
	char buf[32];
	ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return atol(buf) == (long)getpid();
}

/*
 * SIGKILLs every descendant of ours.  Returns how many there were (zombies
 * included), or -1 when /proc cannot tell.
 */
static ssize_t pub_keeper_sweep(void)
{
	struct pub_proc *v;
	ssize_t n = pub_proc_list(&v), i, found;

	if (n < 0)
		return -1;
	/* A /proc of another pid namespace would name other processes by
	 * our children's numbers: then it cannot tell. */
	if (!pub_proc_is_ours()) {
		free(v);
		return -1;
	}
	found = (ssize_t)pub_proc_mark(v, (size_t)n, getpid());
	for (i = 0; i < n; i++)
		if (v[i].ours)
			kill(v[i].pid, SIGKILL);
	free(v);
	return found;
}

/* Reaps what has exited; the command's status goes to *ws.  Returns 1 while
 * children remain, 0 when none is left. */
static int pub_keeper_reap(pid_t cmd, int *ws, int *cmd_done)
{
	pid_t pid;
	int w;

	while ((pid = waitpid(-1, &w, WNOHANG)) > 0)
		if (pid == cmd) {
			*ws = w;
			*cmd_done = 1;
		}
	return !(pid < 0 && errno == ECHILD);
}

/* Kills and reaps every descendant, repeating until none is left (a fork
 * may race a sweep) or the keeper gives up on one stuck in the kernel. */
static void pub_keeper_clear(pid_t cmd, int *ws, int *cmd_done)
{
	int64_t give_up = shmh_now_mono_ns() + PUB_KEEPER_GIVE_UP_NS;
	struct timespec pause = { 0, 2000000 };
	ssize_t found;
	int left;

	/* Those that stayed in the command's group, at once, while the
	 * command's unreaped pid still holds the group's number. */
	if (!*cmd_done)
		kill(-cmd, SIGKILL);
	for (;;) {
		found = pub_keeper_sweep();
		left = pub_keeper_reap(cmd, ws, cmd_done);
		if (found == 0)
			return;
		/* Without /proc only the group could be found: wait for the
		 * command itself, not for what left it. */
		if (found < 0 && (*cmd_done || !left))
			return;
		if (shmh_now_mono_ns() > give_up)
			return;
		nanosleep(&pause, NULL);
	}
}

/* Ends the keeper as the command ended: same exit code or signal. */
static __attribute__((noreturn)) void pub_keeper_exit(int ws)
{
	sigset_t one;
	int sig;

	if (WIFEXITED(ws))
		_exit(WEXITSTATUS(ws));
	sig = WIFSIGNALED(ws) ? WTERMSIG(ws) : SIGKILL;
	/* The signal is the command's: no core of ours for it. */
	prctl(PR_SET_DUMPABLE, 0);
	signal(sig, SIG_DFL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	sigprocmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	_exit(128 + sig);
}

void pub_keeper_prepare(pid_t publisher)
{
	sigset_t set;

	/* No signal but the publisher's SIGTERM (waited for) ends us before
	 * the sweep: not one sent to the publisher's group, nor one from the
	 * command (it runs as our user).  Nor may it trace us. */
	sigfillset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	prctl(PR_SET_DUMPABLE, 0);
	/* Orphans of the command's come to us, not to init. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* A publisher that dies takes the command's processes with it. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != publisher)
		raise(SIGTERM);	/* it died before we could ask */
}

void pub_keeper_watch(pid_t cmd)
{
	int ws = 0, cmd_done = 0, sig;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	while (!cmd_done) {
		sig = sigwaitinfo(&set, NULL);
		if (sig == SIGTERM)
			break;
		if (sig == SIGCHLD)
			pub_keeper_reap(cmd, &ws, &cmd_done);
	}
	pub_keeper_clear(cmd, &ws, &cmd_done);
	pub_keeper_exit(cmd_done ? ws : SIGKILL);
}
