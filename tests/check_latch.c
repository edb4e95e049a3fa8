/* SPDX-License-Identifier: MIT */
/*
 * Check suite for the seqlock latch: round trips through a real segment, a
 * cross-process torture test whose torn-snapshot count must be zero, and
 * writers stopped mid-write, which must never block a reader.  Each runs
 * for both kinds of reader: one with its own mapping, and one that reads
 * with pread() (shmh_open_opts.by_read), as shm-reader does.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* CPU_SET, sched_setaffinity */
#endif
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <urcu/uatomic.h>

#include "shm/shm.h"
#include "shm/util.h"
#include "tests/support/child.h"
#include "tests/support/tmpdir.h"

#define TORTURE_READERS	3
#define STOP_ROUNDS	50
/* A stopped writer's segment takes one try to read; a busy VM gets slack. */
#define STOP_BOUND_NS	(250 * 1000000ll)

/*
 * Scratch: a base directory per test case, made and removed by the runner
 * (an unchecked fixture), and one directory per test inside it.  In fork
 * mode a failed assertion _exits the test process without its teardown;
 * the base teardown still removes what it left.
 */
static char base_dir[64];
static char test_dir[96];
static char seg_path[128];
static pid_t live_pids[TORTURE_READERS + 1];

/* The kinds of reader, the loop tests' _i. */
enum reader_kind { KIND_MAP, KIND_READ, KINDS };
static const char *const kind_name[KINDS] = { "map", "read" };

static void base_setup(void)
{
	/* tmpfs, as in production; the path holds '/', so it is used as given. */
	strcpy(base_dir, "/dev/shm/shmhealth-check-latch.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base_dir));
}

static void base_teardown(void)
{
	tst_remove_tree(base_dir);
}

static void setup(void)
{
	snprintf(test_dir, sizeof(test_dir), "%s/t.XXXXXX", base_dir);
	ck_assert_ptr_nonnull(mkdtemp(test_dir));
	snprintf(seg_path, sizeof(seg_path), "%s/seg", test_dir);
}

/* Kills children a failed test left (CK_FORK=no), removes the directory. */
static void teardown(void)
{
	size_t i;

	for (i = 0; i < sizeof(live_pids) / sizeof(live_pids[0]); i++) {
		if (live_pids[i] > 0) {
			kill(live_pids[i], SIGKILL);
			waitpid(live_pids[i], NULL, 0);
		}
		live_pids[i] = 0;
	}
	tst_remove_tree(test_dir);
}

/* Forks a child that dies with the test process, however that ends. */
static pid_t start_child(void)
{
	pid_t pid = tst_start_child();

	ck_assert_int_ge(pid, 0);
	return pid;
}

/* The fill byte for counter n: a hash, so no two nearby values share it. */
static uint8_t fill_byte(uint64_t n)
{
	return (uint8_t)((n * 0x9E3779B97F4A7C15ull) >> 56);
}

/* The invariant: every byte is fill_byte(n), except heartbeat_count == n. */
static void make_status(struct shmh_status *st, uint64_t n)
{
	memset(st, fill_byte(n), sizeof(*st));
	st->heartbeat_count = n;
}

static int status_ok(const struct shmh_status *st)
{
	const unsigned char *p = (const unsigned char *)st;
	const size_t hb = offsetof(struct shmh_status, heartbeat_count);
	const uint8_t b = fill_byte(st->heartbeat_count);
	size_t i;

	for (i = 0; i < sizeof(*st); i++) {
		if (i >= hb && i < hb + sizeof(st->heartbeat_count))
			continue;
		if (p[i] != b)
			return 0;
	}
	return 1;
}

/* A plausible status, with every kind of field set, for the round trip. */
static void sample_status(struct shmh_status *st, uint32_t k)
{
	memset(st, 0, sizeof(*st));
	st->pid = 4242;
	st->state = SHMH_STATE_RUNNING;
	st->heartbeat_count = k;
	st->heartbeat_mono_ns = shmh_now_mono_ns();
	st->heartbeat_wall = shmh_now_wall();
	st->heartbeat_interval_ms = 1000 + k;
	st->policy.min_updates = 1;
	snprintf(st->update.backend, sizeof(st->update.backend), "apt");
	st->update.pending = k;
	st->update.security = (int32_t)k - 1;
	snprintf(st->update.names, sizeof(st->update.names), "pkg%u libfoo%u",
		 k, k + 1);
	st->nprobes = 1;
	snprintf(st->probes[0].name, sizeof(st->probes[0].name), "probe%u", k);
}

static uint64_t elapsed_ns(const struct timespec *a, const struct timespec *b)
{
	return (uint64_t)((b->tv_sec - a->tv_sec) * 1000000000ll +
			  (b->tv_nsec - a->tv_nsec));
}

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Opens the test's segment as a reader of the given kind. */
static int open_reader(struct shmh_map *r, int kind)
{
	struct shmh_open_opts opts = { .by_read = kind == KIND_READ };

	return shmh_open_segment(r, seg_path, &opts);
}

/*
 * The segment's bytes for assertions on what a reader sees: its own
 * mapping, or, for a by_read reader, which has none, the writer's.
 */
static const struct shmh_segment *seen(const struct shmh_map *r,
				      const struct shmh_map *w)
{
	if (!r->by_read)
		return r->seg;
	ck_assert_ptr_null(r->seg);
	return w->seg;
}

/*
 * (a) What is published is what a reader in another mapping, or reading
 * with pread(), snapshots.
 */
START_TEST(test_round_trip)
{
	struct shmh_map w, r;
	struct shmh_status st, got;
	uint32_t k;

	sample_status(&st, 0);
	ck_assert_int_eq(shmh_create_segment(&w, seg_path, &st), SHMH_OK);
	ck_assert_int_eq(open_reader(&r, _i), SHMH_OK);
	ck_assert_int_eq(r.writable, 0);
	ck_assert_int_eq(r.by_read, _i == KIND_READ);
	ck_assert_uint_eq(seen(&r, &w)->hdr.seq, 0);
	ck_assert_int_eq(shmh_snapshot(&r, &got), SHMH_OK);
	ck_assert_mem_eq(&got, &st, sizeof(st));
	for (k = 1; k <= 5; k++) {
		sample_status(&st, k);
		shmh_publish(&w, &st);
		/* Both copies are written, so the latch ends on an even value. */
		ck_assert_uint_eq(seen(&r, &w)->hdr.seq, 2 * k);
		ck_assert_int_eq(shmh_snapshot(&r, &got), SHMH_OK);
		ck_assert_mem_eq(&got, &st, sizeof(st));
		ck_assert_mem_eq(&seen(&r, &w)->copy[0], &st, sizeof(st));
		ck_assert_mem_eq(&seen(&r, &w)->copy[1], &st, sizeof(st));
	}
	shmh_close_segment(&r);
	shmh_close_segment(&w);
}
END_TEST

/* The reader's mapping is PROT_READ: a stray store must fault, not publish. */
START_TEST(test_reader_map_readonly)
{
	struct shmh_map w, r;
	struct shmh_status st;

	make_status(&st, 1);
	ck_assert_int_eq(shmh_create_segment(&w, seg_path, &st), SHMH_OK);
	ck_assert_int_eq(shmh_open_segment(&r, seg_path, NULL), SHMH_OK);
	/* A sanitizer's SIGSEGV handler would turn the fault into an exit. */
	signal(SIGSEGV, SIG_DFL);
	((volatile struct shmh_segment *)r.seg)->hdr.seq = 7;
	ck_abort_msg("store through the reader's mapping did not fault");
}
END_TEST

/*
 * (c) A writer that died after W2 (sequence odd, copy 0 half written):
 * the reader must get copy 1 at once.  Then one that died after W4
 * (sequence even, copy 1 half written): the reader must get copy 0.  The
 * reader opens before any of it: a by_read snapshot's first try uses the
 * sequence read at open (0), so each snapshot here starts from a stale
 * one, the second with the same parity as the sequence then, and must
 * still give the latest status.
 */
START_TEST(test_stalled_writer_simulated)
{
	struct shmh_map w, r;
	struct shmh_status st, got;

	make_status(&st, 1);
	ck_assert_int_eq(shmh_create_segment(&w, seg_path, &st), SHMH_OK);
	ck_assert_int_eq(open_reader(&r, _i), SHMH_OK);
	ck_assert_uint_eq(r.open_seq, 0);
	make_status(&st, 2);
	shmh_publish(&w, &st);

	uatomic_set(&w.seg->hdr.seq, 3);
	memset(&w.seg->copy[0], 0xA5, sizeof(st) / 2);
	ck_assert_int_eq(shmh_snapshot(&r, &got), SHMH_OK);
	ck_assert(status_ok(&got));
	ck_assert_uint_eq(got.heartbeat_count, 2);

	make_status(&st, 3);
	memcpy(&w.seg->copy[0], &st, sizeof(st));
	uatomic_set(&w.seg->hdr.seq, 4);
	memset(&w.seg->copy[1], 0x5A, sizeof(st) - 100);
	ck_assert_int_eq(shmh_snapshot(&r, &got), SHMH_OK);
	ck_assert(status_ok(&got));
	ck_assert_uint_eq(got.heartbeat_count, 3);
	ck_assert_uint_eq(r.open_seq, 0);
	shmh_close_segment(&r);
	shmh_close_segment(&w);
}
END_TEST

/* Counters a reader process sends back through shared memory. */
struct tally {
	uint64_t snaps, torn, busy, other, distinct, backwards;
	int opened;
};

struct torture_area {
	int stop;
	int kind;			/* enum reader_kind */
	uint64_t published;
	struct tally r[TORTURE_READERS];
};

/* Publishes n = 2, 3, ... (the segment starts at 1) until told to stop. */
static void torture_writer(struct shmh_map *w, struct torture_area *a)
{
	struct shmh_status st;
	uint64_t n = 1;

	while (!uatomic_read(&a->stop)) {
		make_status(&st, ++n);
		shmh_publish(w, &st);
	}
	uatomic_set(&a->published, n);
	_exit(0);
}

/*
 * One snapshot as the kind's reader takes it: a mapped reader keeps its
 * map open; a by_read one opens, snapshots and closes every time, as
 * shm-reader does on every health check.  A failed open is a failure.
 */
static int torture_snapshot(struct shmh_map *r, int kind,
			    struct shmh_status *st)
{
	int rc;

	if (kind == KIND_MAP)
		return shmh_snapshot(r, st);
	rc = open_reader(r, kind);
	if (rc == SHMH_OK)
		rc = shmh_snapshot(r, st);
	shmh_close_segment(r);
	return rc;
}

/* Snapshots in a loop, checking the invariant, until told to stop. */
static void torture_reader(struct torture_area *a, int idx)
{
	struct tally t = { 0 };
	struct shmh_map r;
	struct shmh_status st;
	uint64_t last = 0;
	int rc;

	t.opened = open_reader(&r, a->kind) == SHMH_OK;
	if (a->kind == KIND_READ)
		shmh_close_segment(&r);	/* each snapshot opens its own */
	while (t.opened && !uatomic_read(&a->stop)) {
		rc = torture_snapshot(&r, a->kind, &st);
		if (rc == SHMH_EBUSY) {
			t.busy++;
			continue;
		}
		if (rc != SHMH_OK) {
			t.other++;
			continue;
		}
		t.snaps++;
		if (!status_ok(&st)) {
			t.torn++;
			continue;
		}
		/* A latch snapshot at sequence s is value s/2: never older. */
		t.backwards += st.heartbeat_count < last;
		t.distinct += st.heartbeat_count != last;
		last = st.heartbeat_count;
	}
	a->r[idx] = t;
	_exit(0);
}

/*
 * The torture's length for each kind of reader: SHMHEALTH_TORTURE_SECONDS
 * (a duration), else 2 s.
 */
static uint64_t torture_ms(void)
{
	const char *s = getenv("SHMHEALTH_TORTURE_SECONDS");
	uint64_t ms;

	if (s == NULL || shmh_parse_duration(s, &ms) != 0 || ms == 0)
		return 2000;
	return ms;
}

/*
 * Pins the calling process to the slot-th CPU it may use.  Left to the
 * scheduler on a small machine, readers and the writer mostly take turns on
 * the same CPUs and rarely overlap; pinned, the writer has a CPU of its own
 * except for the last reader, which shares it and so is preempted in the
 * middle of copies.  With one CPU, nothing to do.
 */
static void pin(int slot)
{
	cpu_set_t allowed, one;
	int cpu, seen = 0, count;

	if (sched_getaffinity(0, sizeof(allowed), &allowed) != 0 ||
	    (count = CPU_COUNT(&allowed)) < 2)
		return;
	slot = slot < 0 ? 0 : 1 + slot % (count - 1);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (CPU_ISSET(cpu, &allowed) && seen++ == slot) {
			CPU_ZERO(&one);
			CPU_SET(cpu, &one);
			sched_setaffinity(0, sizeof(one), &one);
			return;
		}
	}
}

/* Runs the writer and readers for ms, then reaps them all. */
static void torture_run(struct shmh_map *w, struct torture_area *a, uint64_t ms)
{
	int i, status;

	if ((live_pids[0] = start_child()) == 0) {
		pin(-1);
		torture_writer(w, a);
	}
	for (i = 0; i < TORTURE_READERS; i++) {
		if ((live_pids[i + 1] = start_child()) == 0) {
			pin(i == TORTURE_READERS - 1 ? -1 : i);
			torture_reader(a, i);
		}
	}
	sleep_us((long)ms * 1000);
	uatomic_set(&a->stop, 1);
	for (i = 0; i <= TORTURE_READERS; i++) {
		ck_assert_int_eq(waitpid(live_pids[i], &status, 0), live_pids[i]);
		live_pids[i] = 0;
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "child %d ended with status %#x", i, status);
	}
}

/* Prints one greppable line per reader, so a failure still shows them all. */
static void torture_print(const struct torture_area *a, uint64_t ms)
{
	const struct tally *t;
	int i;

	for (i = 0; i < TORTURE_READERS; i++) {
		t = &a->r[i];
		printf("SUMMARY latch-torture ms=%llu kind=%s reader=%d "
		       "published=%llu snapshots=%llu torn=%llu busy=%llu "
		       "distinct=%llu backwards=%llu other=%llu\n",
		       (unsigned long long)ms, kind_name[a->kind], i,
		       (unsigned long long)a->published,
		       (unsigned long long)t->snaps, (unsigned long long)t->torn,
		       (unsigned long long)t->busy,
		       (unsigned long long)t->distinct,
		       (unsigned long long)t->backwards,
		       (unsigned long long)t->other);
	}
	fflush(stdout);
}

/*
 * The floors that show the readers raced the writer, per kind.  A by_read
 * reader opens, reads and closes for every snapshot, and its copy through
 * pread() spans several of a flat-out writer's publishes, so it gets a
 * consistent copy mostly while the writer is off its CPU, or from the
 * mapping it falls back to: fewer snapshots, and far fewer distinct values
 * (about 1500 in 2 s on two CPUs, 570 in 1 s under valgrind).
 */
static const struct { uint64_t snaps, distinct; } torture_floor[KINDS] = {
	[KIND_MAP] = { 1000, 1000 },
	[KIND_READ] = { 500, 100 },
};

/*
 * Torn, older-than-before, out-of-tries and failed snapshots must all be
 * zero.  A reader
 * that shares a CPU with the writer sees a new value only once per context
 * switch, so the per-reader floor on distinct values is low; the total is not.
 */
static void torture_judge(const struct torture_area *a)
{
	const struct tally *t;
	uint64_t distinct = 0;
	int i;

	ck_assert_uint_gt(a->published, 1000);
	for (i = 0; i < TORTURE_READERS; i++) {
		t = &a->r[i];
		ck_assert_msg(t->opened, "reader %d could not open", i);
		ck_assert_uint_eq(t->torn, 0);
		/* A by_read reader starved of pread tries maps the segment. */
		ck_assert_uint_eq(t->busy, 0);
		ck_assert_uint_eq(t->backwards, 0);
		ck_assert_uint_eq(t->other, 0);
		ck_assert_uint_gt(t->snaps, torture_floor[a->kind].snaps);
		ck_assert_uint_ge(t->distinct, 10);
		distinct += t->distinct;
	}
	ck_assert_uint_gt(distinct, torture_floor[a->kind].distinct);
}

/*
 * (b) One writer publishing flat out, several readers of one kind:
 * nothing torn.
 */
START_TEST(test_torture)
{
	struct torture_area *a;
	struct shmh_map w;
	struct shmh_status st;
	uint64_t ms = torture_ms();

	a = mmap(NULL, sizeof(*a), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(a, MAP_FAILED);
	memset(a, 0, sizeof(*a));
	a->kind = _i;
	make_status(&st, 1);
	ck_assert_int_eq(shmh_create_segment(&w, seg_path, &st), SHMH_OK);
	torture_run(&w, a, ms);
	torture_print(a, ms);
	torture_judge(a);
	shmh_close_segment(&w);
	munmap(a, sizeof(*a));
}
END_TEST

/* A small xorshift: reproducible random pauses without touching rand(). */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Stops the writer, waiting until the kernel says it is stopped. */
static void stop_writer(pid_t pid)
{
	int status;

	ck_assert_int_eq(kill(pid, SIGSTOP), 0);
	ck_assert_int_eq(waitpid(pid, &status, WUNTRACED), pid);
	ck_assert(WIFSTOPPED(status));
}

/* One stop: the snapshot must succeed at once and satisfy the invariant. */
static int check_stopped(const struct shmh_map *r, const struct shmh_map *w,
			 uint64_t *last)
{
	struct shmh_status st;
	struct timespec t0, t1;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = shmh_snapshot(r, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_int_eq(rc, SHMH_OK);
	ck_assert_msg(elapsed_ns(&t0, &t1) < STOP_BOUND_NS,
		      "snapshot took %llu ns",
		      (unsigned long long)elapsed_ns(&t0, &t1));
	ck_assert(status_ok(&st));
	ck_assert_uint_ge(st.heartbeat_count, *last);
	*last = st.heartbeat_count;
	/* Copies that differ mean the writer was caught inside a publish. */
	return memcmp(&seen(r, w)->copy[0], &seen(r, w)->copy[1],
		      sizeof(st)) != 0;
}

/* (c) A real writer, SIGSTOPped at random moments, never blocks a reader. */
START_TEST(test_stalled_writer_sigstop)
{
	struct shmh_map w, r;
	struct shmh_status st;
	struct torture_area never = { 0 };
	uint64_t seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	uint64_t last = 0;
	int i, mid = 0;

	seed |= 1;
	make_status(&st, 1);
	ck_assert_int_eq(shmh_create_segment(&w, seg_path, &st), SHMH_OK);
	ck_assert_int_eq(open_reader(&r, _i), SHMH_OK);
	if ((live_pids[0] = start_child()) == 0)
		torture_writer(&w, &never);	/* until SIGKILL */
	for (i = 0; i < STOP_ROUNDS; i++) {
		sleep_us((long)(next_random(&seed) % 2000));
		stop_writer(live_pids[0]);
		mid += check_stopped(&r, &w, &last);
		ck_assert_int_eq(kill(live_pids[0], SIGCONT), 0);
	}
	printf("SUMMARY latch-sigstop kind=%s stops=%d mid-publish=%d "
	       "last=%llu seed=%llu\n", kind_name[_i], STOP_ROUNDS, mid,
	       (unsigned long long)last, (unsigned long long)seed);
	fflush(stdout);
	kill(live_pids[0], SIGKILL);
	waitpid(live_pids[0], NULL, 0);
	live_pids[0] = 0;
	ck_assert_uint_gt(last, 1);
	shmh_close_segment(&r);
	shmh_close_segment(&w);
}
END_TEST

/* Signal tests need fork mode: under CK_FORK=no a fault would end the run. */
static int forking(void)
{
	const char *f = getenv("CK_FORK");

	return f == NULL || strcmp(f, "no") != 0;
}

static Suite *latch_suite(void)
{
	Suite *s = suite_create("latch");
	TCase *tc = tcase_create("latch");
	TCase *tt = tcase_create("torture");

	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_round_trip, 0, KINDS);
	if (forking())
		tcase_add_test_raise_signal(tc, test_reader_map_readonly,
					    SIGSEGV);
	tcase_add_loop_test(tc, test_stalled_writer_simulated, 0, KINDS);
	tcase_add_loop_test(tc, test_stalled_writer_sigstop, 0, KINDS);
	suite_add_tcase(s, tc);

	tcase_add_unchecked_fixture(tt, base_setup, base_teardown);
	tcase_add_checked_fixture(tt, setup, teardown);
	tcase_set_timeout(tt, (double)torture_ms() / 1000 + 10);
	tcase_add_loop_test(tt, test_torture, 0, KINDS);
	suite_add_tcase(s, tt);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(latch_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
