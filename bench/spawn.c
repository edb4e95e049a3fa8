/* SPDX-License-Identifier: MIT */
/*
 * spawn: what one health check costs as a whole process.  Runs each
 * candidate command as a runtime runs a check (spawn, wait, take its
 * rusage), interleaved (each round runs every candidate once, in a shuffled
 * order) so that every candidate sees the same machine, and
 * prints one SUMMARY line per candidate: median and p99 wall time, mean and
 * median CPU, page faults, and ratios to the first candidate (the floor)
 * and to the seed's check.
 *
 * The CPU is the child's rusage, its reaped children included.  A check run
 * through a container runtime is not our child's child (podman hands it to
 * conmon and runc); -m adds the whole machine's busy time during each run,
 * from /proc/stat, which counts every process involved (and any background
 * noise) at the kernel's tick resolution, fine once averaged.
 *
 *   spawn [-m] [-n ROUNDS] [-w WARMUP] [-s SEED] NAME PROG ARGS... [-- NAME PROG ARGS...]...
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/util.h"

#define MAX_CASES 16

struct bcase {
	char **argv;		/* argv[-1] is the name */
	const char *name;
	double *wall_us;
	double *cpu_us;
	double faults;		/* sum of page faults */
	double machine_us;	/* sum of the machine's busy time (-m) */
	size_t n;
	unsigned fails;		/* runs that did not exit 0 */
	double median, p99, cpu, cpu_median;
};

static int machine_cpu;	/* -m */

static void usage(void)
{
	fprintf(stderr, "usage: spawn [-m] [-n ROUNDS] [-w WARMUP] [-s SEED] "
		"NAME PROG ARGS... [-- NAME PROG ARGS...]...\n");
	exit(2);
}

static long parse_count(const char *s)
{
	long v;

	if (bench_parse_long(s, 0, 10000000, &v) != 0)
		usage();
	return v;
}

/* The machine's busy time so far, in microseconds, from /proc/stat's first
 * line: user, nice, system, irq and softirq (idle, iowait and steal are not
 * ours). */
static double machine_busy_us(void)
{
	static long hz;
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "re");
	int n;

	if (hz == 0)
		hz = sysconf(_SC_CLK_TCK);
	if (f == NULL)
		return 0;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1],
		   &v[2], &v[3], &v[4], &v[5], &v[6]);
	fclose(f);
	if (n != 7)
		return 0;
	return (double)(v[0] + v[1] + v[2] + v[5] + v[6]) * 1e6 / (double)hz;
}

/*
 * One round: every case once, in a fresh random order.  A check can leave
 * work behind it (curl's server answers in a child that is still exiting);
 * in a fixed cyclic order that work would always land on the same
 * neighbour, in a shuffled one it lands on every case alike.
 */
static int run_round(struct bcase *c, int nc, int keep)
{
	int order[MAX_CASES];
	struct bench_run r;
	double busy = 0;
	int i, j, t;

	for (i = 0; i < nc; i++)
		order[i] = i;
	for (i = nc - 1; i > 0; i--) {
		j = (int)(bench_random() % (unsigned)(i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < nc; i++) {
		struct bcase *k = &c[order[i]];

		if (machine_cpu)
			busy = machine_busy_us();
		if (bench_run(k->argv, &r) != 0) {
			fprintf(stderr, "spawn: %s: %s\n", k->argv[0],
				strerror(errno));
			return -1;
		}
		if (!keep)
			continue;
		k->wall_us[k->n] = (double)r.wall_ns / 1000.0;
		k->cpu_us[k->n] = (double)r.cpu_ns / 1000.0;
		k->faults += (double)r.minflt;
		if (machine_cpu)
			k->machine_us += machine_busy_us() - busy;
		k->n++;
		k->fails += r.status != 0;
	}
	return 0;
}

static void summarize(struct bcase *k)
{
	k->cpu = bench_mean(k->cpu_us, k->n);
	bench_sort(k->cpu_us, k->n);
	k->cpu_median = bench_pct(k->cpu_us, k->n, 50);
	bench_sort(k->wall_us, k->n);
	k->median = bench_pct(k->wall_us, k->n, 50);
	k->p99 = bench_pct(k->wall_us, k->n, 99);
}

/*
 * The ratios are of medians: of wall time (what the runtime waits for) and
 * of CPU time (what the machine spends on the check).  Faults are a mean:
 * the pages the check touched for the first time, each a trap into the
 * kernel.
 */
static void report(const struct bcase *c, int nc, const struct bcase *seed)
{
	int i;

	for (i = 0; i < nc; i++) {
		const struct bcase *k = &c[i];

		printf("SUMMARY case=%s runs=%zu median_us=%.1f p99_us=%.1f "
		       "cpu_us=%.1f cpu_median_us=%.1f faults=%.1f "
		       "ratio_floor=%.2f ratio_floor_cpu=%.2f", k->name, k->n,
		       k->median, k->p99, k->cpu, k->cpu_median,
		       k->n ? k->faults / (double)k->n : 0.0,
		       k->median / c[0].median,
		       k->cpu_median / c[0].cpu_median);
		if (machine_cpu)
			printf(" machine_cpu_us=%.0f",
			       k->machine_us / (double)k->n);
		if (seed != NULL)
			printf(" seed_over=%.1f seed_over_cpu=%.1f",
			       seed->median / k->median,
			       seed->cpu_median / k->cpu_median);
		printf(" fails=%u\n", k->fails);
	}
}

static struct bcase *find_case(struct bcase *c, int nc, const char *name)
{
	int i;

	for (i = 0; i < nc; i++)
		if (strcmp(c[i].name, name) == 0)
			return &c[i];
	fprintf(stderr, "spawn: no case named %s\n", name);
	exit(2);
}

int main(int argc, char *argv[])
{
	struct bcase c[MAX_CASES];
	char **cases[MAX_CASES];
	long rounds = 1000, warmup = 20, r;
	const char *seed = NULL;
	int opt, nc, i;

	while ((opt = getopt(argc, argv, "+mn:w:s:")) != -1) {
		if (opt == 'm')
			machine_cpu = 1;
		else if (opt == 'n')
			rounds = parse_count(optarg);
		else if (opt == 'w')
			warmup = parse_count(optarg);
		else if (opt == 's')
			seed = optarg;
		else
			usage();
	}
	nc = bench_split_cases(argc - optind, argv + optind, cases, MAX_CASES);
	if (nc < 1 || rounds < 1)
		usage();
	if (bench_spawn_init() != 0) {
		perror("spawn: /dev/null");
		return 1;
	}
	memset(c, 0, sizeof(c));
	for (i = 0; i < nc; i++) {
		c[i].name = cases[i][0];
		c[i].argv = cases[i] + 1;
		c[i].wall_us = calloc((size_t)rounds, sizeof(double));
		c[i].cpu_us = calloc((size_t)rounds, sizeof(double));
		if (c[i].wall_us == NULL || c[i].cpu_us == NULL)
			return 1;
	}
	for (r = 0; r < warmup + rounds; r++)
		if (run_round(c, nc, r >= warmup) != 0)
			return 1;
	for (i = 0; i < nc; i++)
		summarize(&c[i]);
	report(c, nc, seed != NULL ? find_case(c, nc, seed) : NULL);
	return 0;
}
