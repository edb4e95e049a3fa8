/* SPDX-License-Identifier: MIT */
/*
 * interval: a health check run on a fixed period for a fixed time, as a
 * runtime's timer would run it: one check at a time, each started at the
 * next period boundary.  A boundary that passes while the previous check
 * still runs is missed.  Prints one SUMMARY line: checks run, intervals
 * missed, and the CPU share of one core the checks took (and the share this
 * scheduler took spawning and reaping them, the runtime's part).
 *
 *   interval -p PERIOD_MS -t SECONDS NAME PROG ARGS...
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench/util.h"

struct tally {
	long runs, missed, fails;
	int64_t cpu_ns;		/* the checks' own CPU */
	double *wall_us;	/* per check */
};

static void usage(void)
{
	fprintf(stderr, "usage: interval -p PERIOD_MS -t SECONDS NAME PROG "
		"ARGS...\n");
	exit(2);
}

static long parse_pos(const char *s)
{
	long v;

	if (bench_parse_long(s, 1, 86400000, &v) != 0)
		usage();
	return v;
}

static void sleep_until(int64_t t)
{
	struct timespec ts = {
		.tv_sec = t / 1000000000,
		.tv_nsec = t % 1000000000,
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static int64_t self_cpu_ns(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ((int64_t)ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) *
		       1000000000 +
	       ((int64_t)ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000;
}

/* Runs the check at every boundary start + k * period before the end. */
static int run(char *const argv[], int64_t period, int64_t span,
	       struct tally *t)
{
	int64_t start = bench_now_ns(), k = 0, done;
	struct bench_run r;

	while (k * period < span) {
		sleep_until(start + k * period);
		if (bench_run(argv, &r) != 0)
			return -1;
		t->wall_us[t->runs++] = (double)r.wall_ns / 1000.0;
		t->cpu_ns += r.cpu_ns;
		t->fails += r.status != 0;
		/* The next boundary still ahead; those passed meanwhile are
		 * missed (unless past the end). */
		done = (bench_now_ns() - start) / period + 1;
		if (done * period > span)
			done = (span + period - 1) / period;
		t->missed += done - (k + 1);
		k = done;
	}
	return 0;
}

int main(int argc, char *argv[])
{
	long period_ms = 0, secs = 0;
	struct tally t;
	int64_t span, self0;
	double *w;
	int opt;

	while ((opt = getopt(argc, argv, "+p:t:")) != -1) {
		if (opt == 'p')
			period_ms = parse_pos(optarg);
		else if (opt == 't')
			secs = parse_pos(optarg);
		else
			usage();
	}
	if (period_ms == 0 || secs == 0 || argc - optind < 2)
		usage();
	span = (int64_t)secs * 1000000000;
	memset(&t, 0, sizeof(t));
	t.wall_us = calloc((size_t)(secs * 1000 / period_ms + 1), sizeof(double));
	if (t.wall_us == NULL || bench_spawn_init() != 0)
		return 1;
	self0 = self_cpu_ns();
	if (run(argv + optind + 1, (int64_t)period_ms * 1000000, span, &t)) {
		perror(argv[optind + 1]);
		return 1;
	}
	w = t.wall_us;
	bench_sort(w, (size_t)t.runs);
	printf("SUMMARY case=%s period_ms=%ld seconds=%ld runs=%ld missed=%ld "
	       "cpu_pct=%.2f spawner_cpu_pct=%.2f median_us=%.1f p99_us=%.1f "
	       "fails=%ld\n", argv[optind], period_ms, secs, t.runs, t.missed,
	       100.0 * (double)t.cpu_ns / (double)span,
	       100.0 * (double)(self_cpu_ns() - self0) / (double)span,
	       bench_pct(w, (size_t)t.runs, 50), bench_pct(w, (size_t)t.runs, 99),
	       t.fails);
	return 0;
}
