/* SPDX-License-Identifier: MIT */
/*
 * httpget: what an httpGet probe of the publisher's /healthz costs, and what
 * serving such probes costs the publisher.
 *
 * The request is what a kubelet's httpGet probe sends: connect to
 * 127.0.0.1:PORT, "GET /healthz HTTP/1.1" with Host and "Connection: close",
 * read the whole answer to EOF, and pass if the status line is 200 or 503
 * (both are answers; which one depends on the segment, not on the probe).
 *
 *   httpget probe [-n ROUNDS] [-w WARMUP] [-P PID] [-e NAME=EVERY]...
 *           PORT NAME PROG ARGS... [-- NAME PROG ARGS...]...
 *
 * One request against commands run as a runtime runs an exec probe (spawn,
 * wait, take its rusage), interleaved: each round makes the request and
 * runs every command due in that round, in a shuffled order.  A command
 * named by -e runs in every EVERYth round only (a probe through podman
 * costs a few hundred times the others).  The request's CPU is the
 * client's thread time plus, with -P, the serving publisher's task-clock
 * over the request; a command's is its rusage, children reaped included.
 * Prints one SUMMARY line per case: median and p99 wall time, median CPU,
 * and ratios of each to the request's.
 *
 *   httpget serve [-t SECONDS] [-w WARMUP] [-r RATE] PORT IDLE_PID LOADED_PID
 *
 * Two publishers that both listen, side by side for one window after a
 * warm-up: LOADED_PID (listening on PORT) gets RATE requests a second,
 * IDLE_PID none.  CPU of each over the window from a task-clock counter
 * attached to it (cpu_source=perf), or from /proc/PID/stat's utime + stime
 * where perf events are refused (cpu_source=stat, at the tick's
 * resolution); VmRSS and PSS sampled once a second.  Prints
 * SUMMARY case=serve-idle and case=serve-loaded.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "bench/util.h"

#define MAX_CASES 8

static void usage(void)
{
	fprintf(stderr,
		"usage: httpget probe [-n ROUNDS] [-w WARMUP] [-P PID] "
		"[-e NAME=EVERY]... PORT NAME PROG ARGS... "
		"[-- NAME PROG ARGS...]...\n"
		"       httpget serve [-t SECONDS] [-w WARMUP] [-r RATE] "
		"PORT IDLE_PID LOADED_PID\n");
	exit(2);
}

static long parse_num(const char *s, long min, long max)
{
	long v;

	if (bench_parse_long(s, min, max, &v) != 0)
		usage();
	return v;
}

/* ---- the request ---- */

static struct sockaddr_in target;
static char request[128];
static size_t request_len;

static void target_init(long port)
{
	memset(&target, 0, sizeof(target));
	target.sin_family = AF_INET;
	target.sin_port = htons((uint16_t)port);
	target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	request_len = (size_t)snprintf(request, sizeof(request),
				       "GET /healthz HTTP/1.1\r\n"
				       "Host: 127.0.0.1:%ld\r\n"
				       "Connection: close\r\n\r\n", port);
}

/*
 * One httpGet probe: connect, send, read to EOF, close.  Returns 0 if the
 * status line says 200 or 503, 1 for any other answer, -1 if there was
 * none (errno set).  A probe gives up after 5 s, as a kubelet would after
 * its timeout.
 */
static int http_get(void)
{
	static const struct timeval limit = { .tv_sec = 5 };
	char buf[8192], head[16] = { 0 };
	size_t got = 0, off = 0;
	ssize_t n;
	int fd, rc;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof(limit)) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof(limit)) != 0 ||
	    connect(fd, (const struct sockaddr *)&target, sizeof(target)) != 0)
		goto fail;
	while (off < request_len) {
		n = write(fd, request + off, request_len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += (size_t)n;
	}
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		if (got < sizeof(head) - 1) {
			size_t k = sizeof(head) - 1 - got;

			memcpy(head + got, buf, (size_t)n < k ? (size_t)n : k);
		}
		got += (size_t)n;
	}
	close(fd);
	head[got < sizeof(head) - 1 ? got : sizeof(head) - 1] = '\0';
	/* "HTTP/1.x 200 " or "HTTP/1.x 503 " */
	rc = strncmp(head, "HTTP/1.", 7) == 0 && head[8] == ' ' &&
	     (strncmp(head + 9, "200 ", 4) == 0 ||
	      strncmp(head + 9, "503 ", 4) == 0) ? 0 : 1;
	return rc;
fail:
	rc = errno;
	close(fd);
	errno = rc;
	return -1;
}

/* ---- counters ---- */

static int64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* utime + stime of pid from /proc/PID/stat, in ns; -1 if gone. */
static int64_t stat_cpu_ns(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (bench_slurp(path, buf, sizeof(buf)) != 0 ||
	    (p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
		   "%llu %llu", &ut, &st) != 2)
		return -1;
	return (int64_t)((ut + st) * (1000000000ULL /
				      (unsigned long long)sysconf(_SC_CLK_TCK)));
}

/* ---- probe ---- */

struct pcase {
	const char *name;
	char **argv;		/* NULL: the HTTP request */
	long every;		/* runs in every every-th round */
	double *wall_us, *cpu_us;
	size_t n;
	unsigned fails;
	double median, p99, cpu_median;
};

static int run_case(struct pcase *k, int pub_fd, int keep)
{
	struct bench_run r;
	int64_t c0, p0, t0;
	int rc;

	if (k->argv != NULL) {
		if (bench_run(k->argv, &r) != 0) {
			fprintf(stderr, "httpget: %s: %s\n", k->argv[0],
				strerror(errno));
			return -1;
		}
		rc = r.status != 0;
	} else {
		p0 = (int64_t)bench_clock_read(pub_fd);
		c0 = thread_cpu_ns();
		t0 = bench_now_ns();
		rc = http_get();
		r.wall_ns = bench_now_ns() - t0;
		r.cpu_ns = thread_cpu_ns() - c0 +
			   (int64_t)bench_clock_read(pub_fd) - p0;
		if (rc < 0) {
			perror("httpget: GET /healthz");
			return -1;
		}
	}
	if (keep) {
		k->wall_us[k->n] = (double)r.wall_ns / 1000.0;
		k->cpu_us[k->n] = (double)r.cpu_ns / 1000.0;
		k->n++;
		k->fails += rc != 0;
	}
	return 0;
}

/* One round: every case due in it once, in a fresh random order. */
static int run_round(struct pcase *c, int nc, long round, int pub_fd,
		     int keep)
{
	int order[MAX_CASES], due = 0, i, j, t;

	for (i = 0; i < nc; i++)
		if (round % c[i].every == 0)
			order[due++] = i;
	for (i = due - 1; i > 0; i--) {
		j = (int)(bench_random() % (unsigned)(i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < due; i++)
		if (run_case(&c[order[i]], pub_fd, keep) != 0)
			return -1;
	return 0;
}

static int probe(int argc, char *argv[])
{
	struct pcase c[MAX_CASES];
	char **cases[MAX_CASES];
	const char *every[MAX_CASES];
	long rounds = 1000, warmup = 20, r, port;
	int opt, nc, ne = 0, i, j, pub_fd = -1;
	pid_t pub = 0;

	while ((opt = getopt(argc, argv, "+n:w:P:e:")) != -1) {
		if (opt == 'n')
			rounds = parse_num(optarg, 1, 10000000);
		else if (opt == 'w')
			warmup = parse_num(optarg, 0, 10000000);
		else if (opt == 'P')
			pub = (pid_t)parse_num(optarg, 1, 1L << 22);
		else if (opt == 'e' && ne < MAX_CASES &&
			 strchr(optarg, '=') != NULL)
			every[ne++] = optarg;
		else
			usage();
	}
	if (optind >= argc)
		usage();
	port = parse_num(argv[optind++], 1, 65535);
	nc = bench_split_cases(argc - optind, argv + optind, cases,
			       MAX_CASES - 1);
	if (nc < 0 || bench_spawn_init() != 0)
		usage();
	target_init(port);
	if (pub != 0 && (pub_fd = bench_task_clock(pub, 0)) < 0)
		fprintf(stderr, "httpget: no task-clock on %ld (%s): the "
			"request's CPU is the client's alone\n", (long)pub,
			strerror(errno));
	memset(c, 0, sizeof(c));
	c[0].name = "httpget";
	for (i = 0; i < nc; i++) {
		c[i + 1].name = cases[i][0];
		c[i + 1].argv = cases[i] + 1;
	}
	nc++;
	for (i = 0; i < nc; i++) {
		c[i].every = 1;
		for (j = 0; j < ne; j++) {
			size_t l = strlen(c[i].name);

			if (strncmp(every[j], c[i].name, l) == 0 &&
			    every[j][l] == '=')
				c[i].every = parse_num(every[j] + l + 1, 1,
						       10000000);
		}
		c[i].wall_us = calloc((size_t)rounds, sizeof(double));
		c[i].cpu_us = calloc((size_t)rounds, sizeof(double));
		if (c[i].wall_us == NULL || c[i].cpu_us == NULL)
			return 1;
	}
	/* The warm-up counts its own rounds, so that every case, the rare
	 * ones too, runs at least once before the measured rounds. */
	for (r = 0; r < warmup; r++)
		if (run_round(c, nc, r, pub_fd, 0) != 0)
			return 1;
	for (r = 0; r < rounds; r++)
		if (run_round(c, nc, r, pub_fd, 1) != 0)
			return 1;
	for (i = 0; i < nc; i++) {
		struct pcase *k = &c[i];

		bench_sort(k->cpu_us, k->n);
		k->cpu_median = bench_pct(k->cpu_us, k->n, 50);
		bench_sort(k->wall_us, k->n);
		k->median = bench_pct(k->wall_us, k->n, 50);
		k->p99 = bench_pct(k->wall_us, k->n, 99);
	}
	for (i = 0; i < nc; i++) {
		const struct pcase *k = &c[i];

		printf("SUMMARY case=probe-%s runs=%zu median_us=%.1f "
		       "p99_us=%.1f cpu_median_us=%.1f ratio_httpget=%.2f "
		       "ratio_httpget_cpu=%.2f cpu_source=%s fails=%u\n",
		       k->name, k->n, k->median, k->p99, k->cpu_median,
		       k->median / c[0].median,
		       k->cpu_median / c[0].cpu_median,
		       k->argv != NULL ? "rusage" :
		       pub_fd >= 0 ? "client+perf" : "client", k->fails);
	}
	return 0;
}

/* ---- serve ---- */

struct scase {
	const char *name;
	pid_t pid;
	int perf_fd;
	int64_t cpu_start, cpu_end;
	long rss_max, pss_max, samples;
	double rss_sum;
};

static int64_t cpu_now(const struct scase *s)
{
	return s->perf_fd >= 0 ? (int64_t)bench_clock_read(s->perf_fd) :
				 stat_cpu_ns(s->pid);
}

static void sample(struct scase *s)
{
	char path[64], buf[4096];
	long rss = 0, pss = 0;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)s->pid);
	if (bench_slurp(path, buf, sizeof(buf)) == 0)
		rss = bench_field_kib(buf, "VmRSS:");
	snprintf(path, sizeof(path), "/proc/%ld/smaps_rollup", (long)s->pid);
	if (bench_slurp(path, buf, sizeof(buf)) == 0)
		pss = bench_field_kib(buf, "\nPss:");
	if (rss > s->rss_max)
		s->rss_max = rss;
	if (pss > s->pss_max)
		s->pss_max = pss;
	s->rss_sum += (double)rss;
	s->samples++;
}

static void sleep_until(int64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000,
			       .tv_nsec = ns % 1000000000 };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

static int serve(int argc, char *argv[])
{
	struct scase s[2] = { { .name = "idle" }, { .name = "loaded" } };
	long secs = 20, warm = 1, rate = 100, port, i, total, sent = 0;
	unsigned fails = 0;
	double *lat;
	int64_t start, next_sample;
	int opt, k;

	while ((opt = getopt(argc, argv, "+t:w:r:")) != -1) {
		if (opt == 't')
			secs = parse_num(optarg, 1, 86400);
		else if (opt == 'w')
			warm = parse_num(optarg, 0, 86400);
		else if (opt == 'r')
			rate = parse_num(optarg, 1, 10000);
		else
			usage();
	}
	if (argc - optind != 3)
		usage();
	port = parse_num(argv[optind], 1, 65535);
	s[0].pid = (pid_t)parse_num(argv[optind + 1], 1, 1L << 22);
	s[1].pid = (pid_t)parse_num(argv[optind + 2], 1, 1L << 22);
	target_init(port);
	total = secs * rate;
	lat = calloc((size_t)total, sizeof(double));
	if (lat == NULL)
		return 1;
	for (k = 0; k < 2; k++)
		s[k].perf_fd = bench_task_clock(s[k].pid, 0);
	sleep((unsigned)warm);
	for (k = 0; k < 2; k++)
		s[k].cpu_start = cpu_now(&s[k]);
	start = bench_now_ns();
	next_sample = start + 1000000000;
	/* Requests on a fixed schedule, not back to back: a late one does
	 * not push the others. */
	for (i = 0; i < total; i++) {
		int64_t due = start + i * (1000000000 / rate), t0;
		int rc;

		while (next_sample <= due) {
			sleep_until(next_sample);
			for (k = 0; k < 2; k++)
				sample(&s[k]);
			next_sample += 1000000000;
		}
		sleep_until(due);
		t0 = bench_now_ns();
		rc = http_get();
		lat[sent++] = (double)(bench_now_ns() - t0) / 1000.0;
		fails += rc != 0;
	}
	while (next_sample <= start + secs * 1000000000LL) {
		sleep_until(next_sample);
		for (k = 0; k < 2; k++)
			sample(&s[k]);
		next_sample += 1000000000;
	}
	for (k = 0; k < 2; k++)
		s[k].cpu_end = cpu_now(&s[k]);
	bench_sort(lat, (size_t)sent);
	for (k = 0; k < 2; k++) {
		double cpu = (double)(s[k].cpu_end - s[k].cpu_start);

		printf("SUMMARY case=serve-%s seconds=%ld rate=%ld requests=%ld "
		       "fails=%u cpu_ms=%.3f cpu_us_per_s=%.1f rss_kib=%ld "
		       "rss_mean_kib=%.0f pss_kib=%ld", s[k].name, secs,
		       k ? rate : 0, k ? sent : 0, k ? fails : 0, cpu / 1e6,
		       cpu / 1e3 / (double)secs, s[k].rss_max,
		       s[k].samples ? s[k].rss_sum / (double)s[k].samples : 0.0,
		       s[k].pss_max);
		if (k)
			printf(" median_us=%.1f p99_us=%.1f",
			       bench_pct(lat, (size_t)sent, 50),
			       bench_pct(lat, (size_t)sent, 99));
		printf(" cpu_source=%s\n", s[k].perf_fd >= 0 ? "perf" : "stat");
	}
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "probe") == 0)
		return probe(argc - 1, argv + 1);
	if (strcmp(argv[1], "serve") == 0)
		return serve(argc - 1, argv + 1);
	usage();
	return 2;
}
