/* SPDX-License-Identifier: MIT */
/*
 * Helpers the benchmark programs share: clocks, spawning a command as a
 * runtime would and taking its rusage, order statistics, a shuffle's
 * random numbers, /proc files and task-clock counters.
 */
#include <errno.h>
#include <linux/perf_event.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench/util.h"

extern char **environ;

static int bench_devnull = -1;

int64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int bench_spawn_init(void)
{
	bench_devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	return bench_devnull < 0 ? -1 : 0;
}

static int64_t tv_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000000 + (int64_t)tv->tv_usec * 1000;
}

int bench_run(char *const argv[], struct bench_run *r)
{
	posix_spawn_file_actions_t fa;
	struct rusage ru;
	int64_t t0;
	pid_t pid;
	int st, err;

	posix_spawn_file_actions_init(&fa);
	/* dup2 clears close-on-exec on the copies, so these survive exec. */
	posix_spawn_file_actions_adddup2(&fa, bench_devnull, 0);
	posix_spawn_file_actions_adddup2(&fa, bench_devnull, 1);
	posix_spawn_file_actions_adddup2(&fa, bench_devnull, 2);
	t0 = bench_now_ns();
	/* glibc's posix_spawn is clone(CLONE_VM|CLONE_VFORK): no page-table
	 * copy, as a runtime's own spawn. */
	err = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err != 0) {
		errno = err;
		return -1;
	}
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			return -1;
	r->wall_ns = bench_now_ns() - t0;
	r->cpu_ns = tv_ns(&ru.ru_utime) + tv_ns(&ru.ru_stime);
	r->minflt = ru.ru_minflt;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return 0;
}

int bench_parse_long(const char *s, long min, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return errno != 0 || end == s || *end != '\0' || *v < min ||
	       *v > max ? -1 : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void bench_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

double bench_pct(const double *sorted, size_t n, double p)
{
	size_t k;

	if (n == 0)
		return 0;
	/* Nearest rank: the smallest value with at least p% at or below. */
	k = (size_t)((p / 100.0) * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return sorted[k - 1];
}

double bench_mean(const double *v, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += v[i];
	return n ? s / (double)n : 0;
}

int bench_pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

int bench_split_cases(int argc, char *argv[], char **cases[], int max)
{
	int i, n = 0, start = 0;

	for (i = 0; i <= argc; i++) {
		if (i < argc && strcmp(argv[i], "--") != 0)
			continue;
		/* A case is a name and at least a program. */
		if (i - start < 2 || n == max)
			return -1;
		cases[n++] = &argv[start];
		if (i < argc)
			argv[i] = NULL;
		start = i + 1;
	}
	return n;
}

unsigned bench_random(void)
{
	static uint32_t x = 2463534242u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

int bench_slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

long bench_field_kib(const char *text, const char *key)
{
	const char *p = strstr(text, key);

	return p != NULL ? strtol(p + strlen(key), NULL, 10) : 0;
}

int bench_task_clock(pid_t pid, int inherit)
{
	struct perf_event_attr a;

	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_TASK_CLOCK;
	a.inherit = inherit ? 1 : 0;
	return (int)syscall(SYS_perf_event_open, &a, pid, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

uint64_t bench_clock_read(int fd)
{
	uint64_t v = 0;

	if (fd < 0 || read(fd, &v, sizeof(v)) != (ssize_t)sizeof(v))
		return 0;
	return v;
}
