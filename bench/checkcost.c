/* SPDX-License-Identifier: MIT */
/*
 * checkcost: what one update check costs through the publisher, beside the
 * same package-manager commands run bare.  Each round runs both once, the
 * publisher first in even rounds and the bare commands first in odd ones,
 * so that noise and a cache warmed by the other side hit both alike.  The
 * bare side is the list of commands a recorded publisher check ran, run
 * one after the other as the publisher runs its steps, each at the claim
 * the publisher gives its children (-N, -i), with the exit status that
 * check saw; any other status fails the round.
 *
 * Per run: wall time from fork to reaped; CPU time, user + system, of the
 * child and every descendant reaped in its subtree (wait4's rusage, which
 * holds what RUSAGE_CHILDREN would); peak RSS (ru_maxrss), the largest of
 * any one of those processes, not a sum.  The bare side's wall and CPU are
 * the sums over its commands, its peak RSS their largest.  This program is
 * a child subreaper: a descendant orphaned before it exits (a process the
 * publisher killed with its step's group, a daemon a command left) is
 * reaped here and counted with the run it came from.
 *
 * Prints one SUMMARY line: medians of both sides, their ratios (publisher
 * over bare), the median of the rounds' differences, and the range of each
 * side's wall time, so the difference can be set against the noise.
 *
 *   checkcost [-n ROUNDS] [-w WARMUP] [-N NICE] [-i] NAME BARE_FILE PUBLISHER ARGS...
 *
 * BARE_FILE: for each command its expected exit status, then its argv, each
 * a NUL-terminated string, then an empty string.  The program is looked up
 * in PATH, as the publisher looks up its steps.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/util.h"

#define MAX_STEPS 16
/* How long a descendant may outlive the run it came from. */
#define STRAY_WAIT_NS (10LL * 1000000000)

/* The claim a child makes of the machine, as the publisher's --check-*. */
struct claim {
	int nice;		/* -1: inherit */
	int io_idle;		/* 1: the idle I/O class */
};

struct step {
	char **argv;
	int status;		/* the exit status the recorded check saw */
};

/* One run of one side. */
struct cost {
	int64_t wall_ns;
	int64_t cpu_ns;
	long maxrss_kib;
	long strays;		/* orphaned descendants reaped here */
	int status;
};

/* Every round's figures for one side. */
struct side {
	double *wall_ms, *cpu_ms, *rss_kib;
	long strays;
	unsigned fails;
};

static int devnull = -1;

static void usage(void)
{
	fprintf(stderr, "usage: checkcost [-n ROUNDS] [-w WARMUP] [-N NICE] "
		"[-i] NAME BARE_FILE PUBLISHER ARGS...\n");
	exit(2);
}

static int64_t tv_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000000 + (int64_t)tv->tv_usec * 1000;
}

static void add_rusage(struct cost *c, const struct rusage *ru)
{
	c->cpu_ns += tv_ns(&ru->ru_utime) + tv_ns(&ru->ru_stime);
	if (ru->ru_maxrss > c->maxrss_kib)
		c->maxrss_kib = ru->ru_maxrss;
}

/* The ioprio_set(2) encoding: class in the top bits; idle is class 3. */
#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_IDLE (3 << 13)

static void child_exec(char *const argv[], const struct claim *cl)
{
	if (cl->nice >= 0)
		(void)setpriority(PRIO_PROCESS, 0, cl->nice);
#ifdef SYS_ioprio_set
	if (cl->io_idle)
		(void)syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
			      IOPRIO_IDLE);
#endif
	if (dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 ||
	    dup2(devnull, 2) < 0)
		_exit(126);
	execvp(argv[0], argv);
	_exit(errno == ENOENT ? 127 : 126);
}

/*
 * Reaps what the run left: descendants orphaned to us.  Returns 0, or -1
 * if one still runs STRAY_WAIT_NS after the run ended.
 */
static int reap_strays(struct cost *c)
{
	int64_t deadline = bench_now_ns() + STRAY_WAIT_NS;
	const struct timespec ms = { 0, 1000000 };
	struct rusage ru;
	pid_t pid;
	int st;

	for (;;) {
		pid = wait4(-1, &st, WNOHANG, &ru);
		if (pid > 0) {
			add_rusage(c, &ru);
			c->strays++;
			continue;
		}
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			return errno == ECHILD ? 0 : -1;
		if (bench_now_ns() > deadline) {
			fprintf(stderr, "checkcost: a descendant still runs "
				"%llds after its run ended\n",
				(long long)(STRAY_WAIT_NS / 1000000000));
			return -1;
		}
		nanosleep(&ms, NULL);
	}
}

/* Runs argv to its end and adds its cost to *c.  Returns 0 or -1. */
static int run_one(char *const argv[], const struct claim *cl, struct cost *c)
{
	struct rusage ru;
	int64_t t0 = bench_now_ns();
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		child_exec(argv, cl);
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	c->wall_ns += bench_now_ns() - t0;
	add_rusage(c, &ru);
	c->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return reap_strays(c);
}

/* Reads BARE_FILE into steps.  Returns their number, or -1. */
static int read_steps(const char *path, struct step *steps)
{
	struct stat sb;
	char *buf, *p, *end, **argv;
	int fd, n = 0, argc;
	long v;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0 || sb.st_size <= 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	buf = malloc((size_t)sb.st_size + 1);
	if (buf == NULL || read(fd, buf, (size_t)sb.st_size) != sb.st_size) {
		close(fd);
		return -1;
	}
	close(fd);
	buf[sb.st_size] = '\0';
	end = buf + sb.st_size;
	for (p = buf; p < end; p++) {
		if (n == MAX_STEPS || bench_parse_long(p, 0, 255, &v) != 0)
			return -1;
		steps[n].status = (int)v;
		p += strlen(p) + 1;
		/* As many arguments as strings before the empty one. */
		argv = calloc((size_t)(end - p) + 1, sizeof(char *));
		if (argv == NULL)
			return -1;
		for (argc = 0; p < end && *p != '\0'; p += strlen(p) + 1)
			argv[argc++] = p;
		if (argc == 0 || p >= end)
			return -1;
		steps[n++].argv = argv;
	}
	return n;
}

static int side_alloc(struct side *s, long rounds)
{
	memset(s, 0, sizeof(*s));
	s->wall_ms = calloc((size_t)rounds, sizeof(double));
	s->cpu_ms = calloc((size_t)rounds, sizeof(double));
	s->rss_kib = calloc((size_t)rounds, sizeof(double));
	return s->wall_ms && s->cpu_ms && s->rss_kib ? 0 : -1;
}

static void side_keep(struct side *s, long i, const struct cost *c)
{
	s->wall_ms[i] = (double)c->wall_ns / 1e6;
	s->cpu_ms[i] = (double)c->cpu_ns / 1e6;
	s->rss_kib[i] = (double)c->maxrss_kib;
	s->strays += c->strays;
}

/* The median of n values (sorts a copy). */
static double median(const double *v, long n)
{
	double *t = malloc((size_t)n * sizeof(double)), m;

	if (t == NULL)
		return 0;
	memcpy(t, v, (size_t)n * sizeof(double));
	bench_sort(t, (size_t)n);
	m = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
	free(t);
	return m;
}

static double extreme(const double *v, long n, int want_max)
{
	double x = v[0];
	long i;

	for (i = 1; i < n; i++)
		if (want_max ? v[i] > x : v[i] < x)
			x = v[i];
	return x;
}

/* The median of the rounds' differences, publisher minus bare. */
static double median_diff(const double *pub, const double *bare, long n)
{
	double *d = malloc((size_t)n * sizeof(double)), m;
	long i;

	if (d == NULL)
		return 0;
	for (i = 0; i < n; i++)
		d[i] = pub[i] - bare[i];
	m = median(d, n);
	free(d);
	return m;
}

int main(int argc, char *argv[])
{
	struct claim pub_claim = { -1, 0 }, bare_claim = { -1, 0 };
	struct step steps[MAX_STEPS];
	struct side pub, bare;
	long rounds = 5, warmup = 1, r, v;
	const char *name;
	int opt, nsteps, i;

	while ((opt = getopt(argc, argv, "+n:w:N:i")) != -1) {
		if (opt == 'n' && bench_parse_long(optarg, 1, 1000, &rounds) == 0)
			continue;
		if (opt == 'w' && bench_parse_long(optarg, 0, 1000, &warmup) == 0)
			continue;
		if (opt == 'N' && bench_parse_long(optarg, 0, 19, &v) == 0) {
			bare_claim.nice = (int)v;
			continue;
		}
		if (opt == 'i') {
			bare_claim.io_idle = 1;
			continue;
		}
		usage();
	}
	if (argc - optind < 3)
		usage();
	name = argv[optind];
	nsteps = read_steps(argv[optind + 1], steps);
	if (nsteps < 1) {
		fprintf(stderr, "checkcost: %s: not a list of commands\n",
			argv[optind + 1]);
		return 2;
	}
	devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1) != 0 ||
	    side_alloc(&pub, rounds) != 0 || side_alloc(&bare, rounds) != 0) {
		perror("checkcost");
		return 1;
	}
	for (r = -warmup; r < rounds; r++) {
		struct cost pc, bc;
		int k;

		memset(&pc, 0, sizeof(pc));
		memset(&bc, 0, sizeof(bc));
		bc.status = 0;
		for (k = 0; k < 2; k++) {
			int bare_turn = (k == 0) == ((r & 1) != 0);

			if (!bare_turn) {
				if (run_one(argv + optind + 2, &pub_claim,
					    &pc) != 0)
					goto failed;
				continue;
			}
			for (i = 0; i < nsteps; i++) {
				if (run_one(steps[i].argv, &bare_claim,
					    &bc) != 0)
					goto failed;
				if (bc.status != steps[i].status) {
					fprintf(stderr, "checkcost: %s: %s "
						"exited %d, the recorded check "
						"saw %d\n", name,
						steps[i].argv[0], bc.status,
						steps[i].status);
					bc.status = -1;
					break;
				}
				bc.status = 0;
			}
		}
		fprintf(stderr, "checkcost: %s %s %ld: publisher %.0f ms, "
			"%.0f ms CPU, exit %d; bare %.0f ms, %.0f ms CPU%s\n",
			name, r < 0 ? "warm-up" : "round", r < 0 ? -r : r + 1,
			(double)pc.wall_ns / 1e6, (double)pc.cpu_ns / 1e6,
			pc.status, (double)bc.wall_ns / 1e6,
			(double)bc.cpu_ns / 1e6, bc.status ? ", failed" : "");
		if (r < 0)
			continue;
		side_keep(&pub, r, &pc);
		side_keep(&bare, r, &bc);
		pub.fails += pc.status != 0;
		bare.fails += bc.status != 0;
	}
	printf("SUMMARY case=%s rounds=%ld steps=%d "
	       "pub_wall_ms=%.1f bare_wall_ms=%.1f wall_ratio=%.3f "
	       "pub_cpu_ms=%.1f bare_cpu_ms=%.1f cpu_ratio=%.3f "
	       "pub_rss_kib=%.0f bare_rss_kib=%.0f "
	       "diff_wall_ms=%.1f diff_cpu_ms=%.1f "
	       "pub_wall_min_ms=%.1f pub_wall_max_ms=%.1f "
	       "bare_wall_min_ms=%.1f bare_wall_max_ms=%.1f "
	       "pub_strays=%ld bare_strays=%ld pub_fails=%u bare_fails=%u\n",
	       name, rounds, nsteps,
	       median(pub.wall_ms, rounds), median(bare.wall_ms, rounds),
	       median(pub.wall_ms, rounds) / median(bare.wall_ms, rounds),
	       median(pub.cpu_ms, rounds), median(bare.cpu_ms, rounds),
	       median(pub.cpu_ms, rounds) / median(bare.cpu_ms, rounds),
	       median(pub.rss_kib, rounds), median(bare.rss_kib, rounds),
	       median_diff(pub.wall_ms, bare.wall_ms, rounds),
	       median_diff(pub.cpu_ms, bare.cpu_ms, rounds),
	       extreme(pub.wall_ms, rounds, 0), extreme(pub.wall_ms, rounds, 1),
	       extreme(bare.wall_ms, rounds, 0),
	       extreme(bare.wall_ms, rounds, 1),
	       pub.strays, bare.strays, pub.fails, bare.fails);
	return 0;
failed:
	perror("checkcost");
	return 1;
}
