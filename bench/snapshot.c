/* SPDX-License-Identifier: MIT */
/*
 * snapshot: what one consistent read of the segment costs inside a process,
 * next to a plain memcpy of the same bytes, first with no writer and then
 * with a writer publishing back to back from another CPU; from a mapping
 * (how a long-lived reader reads) and with pread() (how shm-reader, which
 * takes one snapshot and exits, reads).  Every snapshot is
 * checked for tearing (each copy the writer publishes is derived from one
 * counter); failed reads (SHMH_EBUSY) and retried attempts are counted.
 * Reports the median of BATCHES batches of SNAPSHOTS reads each.
 *
 *   snapshot [-n SNAPSHOTS] [-b BATCHES]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <urcu/uatomic.h>

#include "bench/latch_count.h"
#include "bench/util.h"
#include "shm/shm.h"

struct totals {
	double ns;		/* per read, median batch */
	unsigned long reads, retries, fails, torn;
	uint64_t first, last;	/* heartbeat counts seen: writer progress */
};

/* The copy the writer publishes as its k-th update: every checked field
 * derives from k, so a torn read shows as a mismatch. */
static void fill(struct shmh_status *st, uint64_t k)
{
	st->pid = (int32_t)getpid();
	st->state = SHMH_STATE_RUNNING;
	st->heartbeat_count = k;
	st->heartbeat_mono_ns = (int64_t)k;
	st->heartbeat_interval_ms = 10000;
	st->update.checks = (uint32_t)k;
	memset(st->update.names, 'a' + (int)(k % 26), SHMH_NAMES_LEN - 1);
	st->update.names[SHMH_NAMES_LEN - 1] = '\0';
	st->probes[SHMH_PROBES - 1].duration_ms = (uint32_t)k;
}

static int consistent(const struct shmh_status *st)
{
	uint64_t k = st->heartbeat_count;
	char c = (char)('a' + (int)(k % 26));

	return st->heartbeat_mono_ns == (int64_t)k &&
	       st->update.checks == (uint32_t)k &&
	       st->update.names[0] == c &&
	       st->update.names[SHMH_NAMES_LEN / 2] == c &&
	       st->update.names[SHMH_NAMES_LEN - 2] == c &&
	       st->probes[SHMH_PROBES - 1].duration_ms == (uint32_t)k;
}

/* A call, not the compiler's inline copy: "a plain memcpy". */
static void *(*volatile plain_memcpy)(void *, const void *, size_t) = memcpy;

/* One batch of n reads, by the latch or by memcpy; returns ns per read. */
static double batch(const struct shmh_map *m, long n, int latch,
		    struct totals *t)
{
	static struct shmh_status out;
	int64_t t0 = bench_now_ns();
	long i;

	for (i = 0; i < n; i++) {
		if (!latch) {
			plain_memcpy(&out, &m->seg->copy[0], sizeof(out));
		} else if (shmh_snapshot(m, &out) != SHMH_OK) {
			t->fails++;
			continue;
		}
		t->torn += latch && !consistent(&out);
		if (t->reads++ == 0)
			t->first = out.heartbeat_count;
	}
	t->last = out.heartbeat_count;
	return (double)(bench_now_ns() - t0) / (double)n;
}

/* Latch and memcpy batches alternate, so that both see the same machine
 * (other load, the writer's pace); each keeps its median batch.  The
 * memcpy batches copy from the mapping m, the latch reads through lm: the
 * same map, or one that reads by pread(). */
static void measure(const struct shmh_map *m, const struct shmh_map *lm,
		    long n, int batches, struct totals *snap,
		    struct totals *copy)
{
	double sns[64], cns[64];
	int b;

	memset(snap, 0, sizeof(*snap));
	memset(copy, 0, sizeof(*copy));
	bench_latch_retries = 0;
	for (b = 0; b < batches; b++) {
		cns[b] = batch(m, n, 0, copy);
		sns[b] = batch(lm, n, 1, snap);
	}
	snap->retries = bench_latch_retries;
	bench_sort(sns, (size_t)batches);
	bench_sort(cns, (size_t)batches);
	snap->ns = bench_pct(sns, (size_t)batches, 50);
	copy->ns = bench_pct(cns, (size_t)batches, 50);
}

/* The writer: publishes back to back from its own CPU until killed. */
static pid_t start_writer(struct shmh_map *w, int cpu)
{
	static struct shmh_status st;
	pid_t pid = fork();
	uint64_t k;

	if (pid != 0)
		return pid;
	if (cpu >= 0)
		bench_pin(cpu);
	for (k = 1;; k++) {
		fill(&st, k);
		shmh_publish(w, &st);
	}
}

static void report(const char *name, const struct totals *t,
		   const struct totals *copy, const char *extra)
{
	printf("SUMMARY case=%s ns=%.1f memcpy_ns=%.1f ratio_memcpy=%.2f "
	       "bytes=%zu snapshots=%lu retries=%lu fails=%lu torn=%lu "
	       "pread_tries=%d%s\n",
	       name, t->ns, copy->ns, t->ns / copy->ns,
	       sizeof(struct shmh_status), t->reads + t->fails, t->retries,
	       t->fails, t->torn, SHMH_PREAD_TRIES, extra);
}

static void usage(void)
{
	fprintf(stderr, "usage: snapshot [-n SNAPSHOTS] [-b BATCHES]\n");
	exit(2);
}

static long parse_count(const char *s, long max)
{
	long v;

	if (bench_parse_long(s, 1, max, &v) != 0)
		usage();
	return v;
}

/* What the writer did while t was measured, for the SUMMARY line. */
static void writer_note(char *buf, size_t len, const struct totals *t,
			int two)
{
	snprintf(buf, len, " writer_updates=%llu writer_cpu=%s",
		 (unsigned long long)(t->last - t->first),
		 two ? "other" : "same");
}

/* Both runs on an open segment, from the mapping r and by read rr: alone,
 * then with the writer.  By read, a tenth as many: each is three system
 * calls. */
static int run(struct shmh_map *w, const struct shmh_map *r,
	       const struct shmh_map *rr, long n, int b)
{
	struct totals snap, copy;
	char extra[96];
	pid_t writer;
	int two = sysconf(_SC_NPROCESSORS_ONLN) >= 2;
	long nr = n / 10 > 0 ? n / 10 : 1;

	bench_pin(0);
	measure(r, r, n, b, &snap, &copy);
	report("snapshot-uncontended", &snap, &copy, "");
	measure(r, rr, nr, b, &snap, &copy);
	report("snapshot-read-uncontended", &snap, &copy, "");

	writer = start_writer(w, two ? 1 : -1);
	if (writer < 0)
		return -1;
	while (uatomic_read(&r->seg->hdr.seq) < 8)
		;	/* wait until the writer is publishing */
	measure(r, r, n, b, &snap, &copy);
	writer_note(extra, sizeof(extra), &snap, two);
	report("snapshot-contended", &snap, &copy, extra);
	measure(r, rr, nr, b, &snap, &copy);
	kill(writer, SIGKILL);
	waitpid(writer, NULL, 0);
	writer_note(extra, sizeof(extra), &snap, two);
	report("snapshot-read-contended", &snap, &copy, extra);
	return 0;
}

int main(int argc, char *argv[])
{
	struct shmh_map w, r, rr;
	struct shmh_open_opts by_read = { .by_read = 1 };
	struct shmh_status st;
	char name[64], lock[sizeof(SHMH_DIR) + 64 + 8];
	long n = 100000;
	int b = 9, opt, ret;

	while ((opt = getopt(argc, argv, "n:b:")) != -1) {
		if (opt == 'n')
			n = parse_count(optarg, 100000000);
		else if (opt == 'b')
			b = (int)parse_count(optarg, 64);
		else
			usage();
	}
	if (optind != argc)
		usage();
	snprintf(name, sizeof(name), "shmhealth-bench-snap-%ld",
		 (long)getpid());
	memset(&st, 0, sizeof(st));
	fill(&st, 0);
	if ((ret = shmh_create_segment(&w, name, &st)) != SHMH_OK ||
	    (ret = shmh_open_segment(&r, name, NULL)) != SHMH_OK ||
	    (ret = shmh_open_segment(&rr, name, &by_read)) != SHMH_OK) {
		fprintf(stderr, "snapshot: %s: %s\n", name, shmh_strerror(ret));
		shmh_unlink_segment(&w);
		return 1;
	}
	ret = run(&w, &r, &rr, n, b);
	shmh_unlink_segment(&w);
	shmh_close_segment(&rr);
	shmh_close_segment(&r);
	shmh_close_segment(&w);
	/* The lock file stays when a publisher exits (shm-publisher(8)); a
	 * benchmark's is removed, or every run would leave one. */
	snprintf(lock, sizeof(lock), SHMH_DIR "/%s.lock", name);
	unlink(lock);
	return ret == 0 ? 0 : 1;
}
