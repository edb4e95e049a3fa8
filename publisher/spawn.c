/* SPDX-License-Identifier: MIT */
/*
 * Child commands for checks: spawn under a keeper (keeper.c) in a new
 * process group, capture output with a cap, have the keeper kill all the
 * command started, reap.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "publisher/keeper.h"
#include "publisher/spawn.h"
#include "shm/shm.h"
#include "shm/util.h"

/* Characters that need a shell to mean what the user wrote. */
static const char pub_shell_chars[] = "|&;<>()$`\\\"'*?[]#~={}\n";

static int pub_command_alloc(struct pub_command *c, size_t nargs, size_t bytes)
{
	c->argv = calloc(nargs + 1, sizeof(char *));
	c->storage = malloc(bytes ? bytes : 1);
	if (c->argv == NULL || c->storage == NULL) {
		pub_command_free(c);
		return -1;
	}
	return 0;
}

int pub_command_from_argv(struct pub_command *c, const char *const *argv)
{
	size_t n, bytes = 0, i;
	char *p;

	for (n = 0; argv[n] != NULL; n++)
		bytes += strlen(argv[n]) + 1;
	if (n == 0 || pub_command_alloc(c, n, bytes) != 0)
		return -1;
	p = c->storage;
	for (i = 0; i < n; i++) {
		size_t l = strlen(argv[i]) + 1;

		memcpy(p, argv[i], l);
		c->argv[i] = p;
		p += l;
	}
	return 0;
}

/* Splits cmd on blanks into c (cmd holds no shell characters). */
static int pub_command_split(struct pub_command *c, const char *cmd)
{
	size_t len = strlen(cmd), n = 0, i;
	char *save = NULL, *tok;

	if (pub_command_alloc(c, len / 2 + 1, len + 1) != 0)
		return -1;
	memcpy(c->storage, cmd, len + 1);
	for (tok = strtok_r(c->storage, " \t", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t", &save))
		c->argv[n++] = tok;
	for (i = n; i <= len / 2 + 1; i++)
		c->argv[i] = NULL;
	if (n == 0) {
		pub_command_free(c);
		return -1;
	}
	return 0;
}

int pub_command_new(struct pub_command *c, const char *cmd)
{
	const char *sh[] = { "/bin/sh", "-c", cmd, NULL };

	c->argv = NULL;
	c->storage = NULL;
	if (cmd == NULL || cmd[strspn(cmd, " \t")] == '\0')
		return -1;
	if (strpbrk(cmd, pub_shell_chars) == NULL)
		return pub_command_split(c, cmd);
	return pub_command_from_argv(c, sh);
}

void pub_command_free(struct pub_command *c)
{
	free(c->argv);
	free(c->storage);
	c->argv = NULL;
	c->storage = NULL;
}

/*
 * In the child, between fork and exec.  The publisher is single-threaded,
 * so no lock can be held here and putenv() is safe.
 */
/*
 * Closes every descriptor from fd up.  Ours are all O_CLOEXEC; this is for
 * those the publisher's own caller left open without it.
 */
static void pub_close_from(int fd)
{
	long max;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)fd, ~0u, 0u) == 0)
		return;
#endif
	/* Kernels before 5.9 have no close_range. */
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (; fd < max; fd++)
		close(fd);
}

/* Raises /proc/self/oom_score_adj to at least want. */
static void pub_oom_adj_raise(int want)
{
	char buf[16];
	ssize_t n;
	int fd = open("/proc/self/oom_score_adj", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		if (atoi(buf) < want) {
			n = snprintf(buf, sizeof(buf), "%d", want);
			if (pwrite(fd, buf, (size_t)n, 0) < 0) {
				/* refused: the child keeps the publisher's */
			}
		}
	}
	close(fd);
}

/* The ioprio_set(2) encoding: class in the top bits, level below. */
#define PUB_IOPRIO_WHO_PROCESS 1
#define PUB_IOPRIO_VALUE(class, level) (((class) << 13) | (level))

/*
 * Applies lim in the child.  Every step can only lower what the child asks
 * of the machine, which needs no privilege; a refusal leaves it as it was.
 */
static void pub_child_limits(const struct pub_limits *lim)
{
	struct rlimit rl;
	int cur;

	if (lim == NULL)
		return;
	errno = 0;
	cur = getpriority(PRIO_PROCESS, 0);
	if (errno == 0 && cur < lim->nice)
		(void)setpriority(PRIO_PROCESS, 0, lim->nice);
#ifdef SYS_ioprio_set
	if (lim->io_class != PUB_IOCLASS_INHERIT)
		(void)syscall(SYS_ioprio_set, PUB_IOPRIO_WHO_PROCESS, 0,
			      PUB_IOPRIO_VALUE(lim->io_class,
				lim->io_class == PUB_IOCLASS_IDLE ? 0 : 7));
#endif
	/* The keeper is not dumpable, so neither is this child of it until
	 * it execs: its /proc files are root's, and a publisher not run as
	 * root could not write its oom_score_adj.  exec makes it dumpable
	 * anyway; nothing of the publisher's is left here to hide. */
	prctl(PR_SET_DUMPABLE, 1);
	if (lim->oom_score_adj > -1000)
		pub_oom_adj_raise(lim->oom_score_adj);
	if (lim->memory != 0 && getrlimit(RLIMIT_AS, &rl) == 0) {
		if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > lim->memory)
			rl.rlim_max = lim->memory;
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_AS, &rl);
	}
}

static void pub_child_setup(int out_w, int err_w, const char *const *env_set,
			    const struct pub_limits *lim)
{
	sigset_t none;
	int devnull;

	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	devnull = open("/dev/null", O_RDONLY);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_w, 1) < 0 ||
	    dup2(err_w, 2) < 0)
		_exit(126);
	pub_close_from(3);
	/* After the publisher's descriptors are gone: it turns dumpable. */
	pub_child_limits(lim);
	for (; env_set != NULL && *env_set != NULL; env_set++)
		putenv((char *)*env_set);
}

static void pub_exec(char *const argv[], const char *const *env_set,
		     int out_w, int err_w, const struct pub_limits *lim)
{
	pub_child_setup(out_w, err_w, env_set, lim);
	execvp(argv[0], argv);
	dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* In the keeper: starts the command, then watches over it to the end. */
static void pub_keep(char *const argv[], const char *const *env_set,
		     int out_w, int err_w, const struct pub_limits *lim,
		     pid_t publisher)
{
	pid_t cmd;

	pub_keeper_prepare(publisher);
	cmd = fork();
	if (cmd < 0) {
		dprintf(err_w, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(126);
	}
	if (cmd == 0)
		pub_exec(argv, env_set, out_w, err_w, lim);
	/* Also set here, so a kill of the group right away reaches it. */
	setpgid(cmd, cmd);
	/* The pipes must see end of file when the command's side closes;
	 * nothing else of the publisher's is the keeper's to hold. */
	pub_close_from(3);
	pub_keeper_watch(cmd);
}

/*
 * The kernel's count of OOM kills since boot, memory cgroups' included
 * (/proc/vmstat's oom_kill, Linux 4.13 and later); 0 where unknown.
 */
static uint64_t pub_oom_kill_count(void)
{
	char line[128];
	uint64_t n = 0;
	FILE *f = fopen("/proc/vmstat", "re");

	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "oom_kill ", 9) == 0) {
			n = strtoull(line + 9, NULL, 10);
			break;
		}
	fclose(f);
	return n;
}

int pub_spawn(struct pub_child *c, char *const argv[],
	      const char *const *env_set, size_t max_out,
	      const struct pub_limits *lim)
{
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, saved;
	pid_t self = getpid();

	memset(c, 0, sizeof(*c));
	c->out_fd = c->err_fd = -1;
	c->max_out = max_out;
	c->out_cap = 4096;
	c->out = malloc(c->out_cap);
	if (c->out == NULL || pipe2(outp, O_CLOEXEC) != 0 ||
	    pipe2(errp, O_CLOEXEC) != 0)
		goto fail;
	c->out[0] = '\0';
	c->oom_kills = pub_oom_kill_count();
	c->started_ns = shmh_now_mono_ns();
	c->pid = fork();
	if (c->pid < 0)
		goto fail;
	if (c->pid == 0)
		pub_keep(argv, env_set, outp[1], errp[1], lim, self);
	close(outp[1]);
	close(errp[1]);
	c->out_fd = outp[0];
	c->err_fd = errp[0];
	fcntl(c->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(c->err_fd, F_SETFL, O_NONBLOCK);
	return 0;
fail:
	saved = errno;
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	free(c->out);
	c->out = NULL;
	c->pid = 0;
	errno = saved;
	return -1;
}

static void pub_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Appends to stdout's buffer; on passing the cap kills the group. */
static void pub_keep_out(struct pub_child *c, const char *buf, size_t n)
{
	if (c->overflow)
		return;
	if (c->out_len + n > c->max_out) {
		c->overflow = 1;
		pub_child_kill(c);
		return;
	}
	if (c->out_len + n + 1 > c->out_cap) {
		size_t cap = c->out_cap;
		char *p;

		while (cap < c->out_len + n + 1)
			cap *= 2;
		p = realloc(c->out, cap);
		if (p == NULL) {
			c->overflow = 1;
			pub_child_kill(c);
			return;
		}
		c->out = p;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, buf, n);
	c->out_len += n;
	c->out[c->out_len] = '\0';
}

static void pub_keep_err(struct pub_child *c, const char *buf, size_t n)
{
	size_t room = sizeof(c->err) - 1 - c->err_len;

	if (n > room)
		n = room;
	memcpy(c->err + c->err_len, buf, n);
	c->err_len += n;
	c->err[c->err_len] = '\0';
}

int pub_child_read(struct pub_child *c, int fd)
{
	char buf[65536];
	ssize_t n;
	int rounds;

	/* A bounded number of reads per wakeup: a child that writes as fast
	 * as we read must not keep the loop from the heartbeat. */
	for (rounds = 0; rounds < 16; rounds++) {
		n = read(fd, buf, sizeof(buf));
		if (n > 0) {
			if (fd == c->out_fd)
				pub_keep_out(c, buf, (size_t)n);
			else
				pub_keep_err(c, buf, (size_t)n);
			if (c->overflow && fd == c->out_fd) {
				pub_close(&c->out_fd);
				return 0;
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		/* EOF or a read error: either way this pipe is done. */
		if (fd == c->out_fd)
			pub_close(&c->out_fd);
		else
			pub_close(&c->err_fd);
		return n == 0 ? 0 : -1;
	}
	return 0;
}

void pub_child_kill(struct pub_child *c)
{
	if (c->pid <= 0 || c->reaped)
		return;
	/* The keeper kills them all; SIGTERM is blocked there until it
	 * waits for it, so none can be lost. */
	if (!c->kill_sent) {
		c->kill_sent = 1;
		kill(c->pid, SIGTERM);
		return;
	}
	/* Asked again, a grace period later: the command stopped or hung
	 * its keeper (it runs as our user and may signal it).  End the
	 * keeper itself, so the run ends and the next one can start. */
	kill(c->pid, SIGKILL);
	kill(c->pid, SIGCONT);
}

void pub_child_reaped(struct pub_child *c, int wstatus)
{
	c->wstatus = wstatus;
	c->reaped = 1;
	c->oom_killed = WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL &&
			!c->timed_out && !c->overflow &&
			pub_oom_kill_count() > c->oom_kills;
	if (c->out_fd >= 0)
		pub_child_read(c, c->out_fd);
	if (c->err_fd >= 0)
		pub_child_read(c, c->err_fd);
	/*
	 * Whatever is still open is held by a process outside the group;
	 * what the child wrote before exiting has been read.
	 */
	pub_close(&c->out_fd);
	pub_close(&c->err_fd);
}

int pub_child_status(const struct pub_child *c)
{
	if (WIFEXITED(c->wstatus))
		return WEXITSTATUS(c->wstatus);
	if (WIFSIGNALED(c->wstatus))
		return 128 + WTERMSIG(c->wstatus);
	return 255;
}

void pub_child_free(struct pub_child *c)
{
	pub_close(&c->out_fd);
	pub_close(&c->err_fd);
	free(c->out);
	c->out = NULL;
	c->pid = 0;
}

void pub_first_line(char *dst, size_t len, const char *s)
{
	size_t n = 0;

	if (len == 0)
		return;
	while (*s == '\n' || *s == '\r' || *s == ' ' || *s == '\t')
		s++;
	for (; *s != '\0' && *s != '\n' && n + 1 < len; s++)
		dst[n++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
	while (n > 0 && dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}
