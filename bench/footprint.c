/* SPDX-License-Identifier: MIT */
/*
 * footprint: what a background process costs while it runs: resident memory
 * (VmRSS, and PSS, which shares libraries fairly) and CPU over a window
 * after start-up, extrapolated to a day.  Each candidate runs in its own
 * process group; all of a group's processes count, children included.
 *
 * CPU comes from a task-clock perf counter attached to each candidate
 * before it execs, inherited by every child it starts (the seed's loop runs
 * `sleep` every heartbeat), read at the window's start and end: exact to the
 * nanosecond, and free of start-up and exit.  Where perf events are not
 * allowed, the whole run's rusage stands in (cpu_source=rusage: start-up and
 * exit included).  This program is a child subreaper, so the members
 * orphaned by the final kill are reaped here, with their rusage.
 *
 *   footprint [-t SECONDS] [-w WARMUP] NAME PROG ARGS... [-- NAME PROG ARGS...]...
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/util.h"

#define MAX_CASES 8

struct fcase {
	const char *name;
	char **argv;
	pid_t pgid;		/* the leader's pid */
	int perf_fd;		/* task-clock, inherited; -1 if refused */
	uint64_t clock_start;	/* ns, at the window's start */
	uint64_t clock_end;	/* ns, at its end */
	int64_t rusage_ns;	/* whole run, from wait4() */
	long rss_max, pss_max, samples;
	double rss_sum;
	int procs_max;
};

static void usage(void)
{
	fprintf(stderr, "usage: footprint [-t SECONDS] [-w WARMUP] NAME PROG "
		"ARGS... [-- NAME PROG ARGS...]...\n");
	exit(2);
}

/* The process group of pid, from /proc/PID/stat; -1 if gone. */
static pid_t pgrp_of(pid_t pid)
{
	char path[64], buf[1024], *p;
	int pg;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (bench_slurp(path, buf, sizeof(buf)) != 0 ||
	    (p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %d", &pg) != 1)	/* state ppid pgrp */
		return -1;
	return pg;
}

/* Adds pid's VmRSS and PSS (KiB). */
static void add_memory(pid_t pid, long *rss, long *pss)
{
	char path[64], buf[4096];

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if (bench_slurp(path, buf, sizeof(buf)) == 0)
		*rss += bench_field_kib(buf, "VmRSS:");
	snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup", (long)pid);
	if (bench_slurp(path, buf, sizeof(buf)) == 0)
		*pss += bench_field_kib(buf, "\nPss:");
}

/* One memory sample of the whole group. */
static void sample(struct fcase *c)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	long rss = 0, pss = 0;
	int n = 0;
	pid_t pid;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		pid = (pid_t)strtol(e->d_name, NULL, 10);
		if (pid <= 0 || pgrp_of(pid) != c->pgid)
			continue;
		add_memory(pid, &rss, &pss);
		n++;
	}
	closedir(d);
	if (n > c->procs_max)
		c->procs_max = n;
	if (rss > c->rss_max)
		c->rss_max = rss;
	if (pss > c->pss_max)
		c->pss_max = pss;
	c->rss_sum += (double)rss;
	c->samples++;
}

/*
 * Starts a case in its own process group, stopped before exec until its
 * counter is attached, so that no child it starts escapes the count.
 */
static int start(struct fcase *c, int devnull)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
		raise(SIGSTOP);
		execv(c->argv[0], c->argv);
		_exit(127);
	}
	setpgid(pid, pid);	/* either of us may get there first */
	c->pgid = pid;
	if (waitpid(pid, &st, WUNTRACED) != pid || !WIFSTOPPED(st))
		return -1;
	c->perf_fd = bench_task_clock(pid, 1);
	kill(pid, SIGCONT);
	return 0;
}

static int64_t ru_ns(const struct rusage *ru)
{
	return ((int64_t)ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) *
		       1000000000 +
	       ((int64_t)ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) * 1000;
}

/* Kills the whole group and reaps it, the orphans included. */
static void stop(struct fcase *c)
{
	struct rusage ru;
	int st, waited = 0;

	kill(-c->pgid, SIGKILL);
	/* kill(-pgid, 0) succeeds while any member, zombies too, remains. */
	while (kill(-c->pgid, 0) == 0 && waited < 5000) {
		if (wait4(-1, &st, WNOHANG, &ru) > 0) {
			c->rusage_ns += ru_ns(&ru);
			continue;
		}
		usleep(1000);
		waited++;
	}
}

static void report(const struct fcase *c, long secs)
{
	int perf = c->perf_fd >= 0;
	double cpu = perf ? (double)(c->clock_end - c->clock_start) :
			    (double)c->rusage_ns;

	printf("SUMMARY case=%s seconds=%ld rss_kib=%ld pss_kib=%ld "
	       "rss_mean_kib=%.0f procs=%d cpu_ms=%.3f cpu_s_per_day=%.3f "
	       "cpu_source=%s\n", c->name, secs, c->rss_max, c->pss_max,
	       c->samples ? c->rss_sum / (double)c->samples : 0.0,
	       c->procs_max, cpu / 1e6, cpu / 1e9 * 86400.0 / (double)secs,
	       perf ? "perf" : "rusage");
}

static long parse_secs(const char *s)
{
	long v;

	if (bench_parse_long(s, 1, 86400, &v) != 0)
		usage();
	return v;
}

/* Warm-up, then the window: counters read at both ends, memory sampled
 * once a second. */
static void watch(struct fcase *c, int nc, long warm, long secs)
{
	long s;
	int i;

	sleep((unsigned)warm);
	for (i = 0; i < nc; i++)
		c[i].clock_start = bench_clock_read(c[i].perf_fd);
	for (s = 0; s < secs; s++) {
		sleep(1);
		for (i = 0; i < nc; i++)
			sample(&c[i]);
	}
	for (i = 0; i < nc; i++)
		c[i].clock_end = bench_clock_read(c[i].perf_fd);
}

int main(int argc, char *argv[])
{
	struct fcase c[MAX_CASES];
	char **cases[MAX_CASES];
	long secs = 60, warm = 1;
	int opt, nc, i, devnull;

	while ((opt = getopt(argc, argv, "+t:w:")) != -1) {
		if (opt == 't')
			secs = parse_secs(optarg);
		else if (opt == 'w')
			warm = parse_secs(optarg);
		else
			usage();
	}
	nc = bench_split_cases(argc - optind, argv + optind, cases, MAX_CASES);
	if (nc < 1)
		usage();
	/* Members orphaned by the final kill come to us, with their CPU. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	memset(c, 0, sizeof(c));
	for (i = 0; i < nc; i++) {
		c[i].name = cases[i][0];
		c[i].argv = cases[i] + 1;
		if (devnull < 0 || start(&c[i], devnull) != 0) {
			fprintf(stderr, "footprint: cannot start %s\n",
				c[i].argv[0]);
			return 1;
		}
	}
	watch(c, nc, warm, secs);
	for (i = 0; i < nc; i++) {
		stop(&c[i]);
		report(&c[i], secs);
	}
	return 0;
}
