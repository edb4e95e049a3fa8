/* SPDX-License-Identifier: MIT */
/*
 * Helpers the benchmark programs share: clocks, running a command the way a
 * container runtime runs a health check (spawn, wait, take its rusage), and
 * order statistics.  Nothing here prints; callers report.
 */
#ifndef SHMHEALTH_BENCH_UTIL_H
#define SHMHEALTH_BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* One finished command. */
struct bench_run {
	int64_t wall_ns;	/* spawn to reaped, CLOCK_MONOTONIC */
	int64_t cpu_ns;		/* child's user + system time, with its
				   reaped children's (wait4 rusage) */
	long minflt;		/* page faults it took without I/O
				   (rusage ru_minflt), children too */
	int status;		/* exit status, or 128 + signal */
};

/* CLOCK_MONOTONIC in nanoseconds. */
int64_t bench_now_ns(void);

/*
 * Opens /dev/null for the children's standard streams: a health check's
 * output goes to a pipe the runtime drains, and /dev/null costs no candidate
 * more than another.  Returns 0 or -1 (errno set).
 */
int bench_spawn_init(void);

/*
 * Runs argv[0] (a path: no PATH search, which would add system calls the
 * runtime does not make) with stdin, stdout and stderr on /dev/null, waits
 * for it and fills *r.  Returns 0, or -1 if it could not be started.
 */
int bench_run(char *const argv[], struct bench_run *r);

/* A decimal number from min to max, digits only: 0, or -1 for anything
 * else (the caller prints its usage). */
int bench_parse_long(const char *s, long min, long max, long *v);

/* Sorts v ascending. */
void bench_sort(double *v, size_t n);

/* Nearest-rank percentile p (0 < p <= 100) of sorted v; 0 if n is 0. */
double bench_pct(const double *sorted, size_t n, double p);

/* Arithmetic mean; 0 if n is 0. */
double bench_mean(const double *v, size_t n);

/* Pins the calling thread to cpu.  Returns 0 or -1. */
int bench_pin(int cpu);

/*
 * Splits "NAME PROG ARGS... [-- NAME PROG ARGS...]..." in place: each case
 * starts at argv[i] with its name, its command after, and the "--" that ends
 * it replaced by NULL.  Stores up to max case starts in cases and returns
 * their number, or -1 if a case lacks a command or there are too many.
 */
int bench_split_cases(int argc, char *argv[], char **cases[], int max);

/* A fixed-seed xorshift: the same shuffled orders on every run. */
unsigned bench_random(void);

/* Reads up to len - 1 bytes of a small /proc file, NUL-terminated;
 * 0 or -1. */
int bench_slurp(const char *path, char *buf, size_t len);

/* The "Key:   N kB" value of a status-style file, or 0. */
long bench_field_kib(const char *text, const char *key);

/* A task-clock counter on pid, and with inherit on every child it starts
 * from now on; -1 (errno set) if refused. */
int bench_task_clock(pid_t pid, int inherit);

/* A task-clock counter's value in ns; 0 if fd is -1 or unreadable. */
uint64_t bench_clock_read(int fd);

#endif
