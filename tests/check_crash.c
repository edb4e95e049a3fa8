/* SPDX-License-Identifier: MIT */
/*
 * Crash injection: a writer publishing as fast as it can is SIGKILLed at a
 * random moment, a thousand times, often in the middle of a latch write.
 * Each time a reader must at once get a whole snapshot, and the next writer
 * must take the segment over.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shm/shm.h"

#define ROUNDS_DEFAULT 1000

/* Every byte but the counter is a function of the counter. */
static void fill(struct shmh_status *st, uint64_t n)
{
	memset(st, (int)((n * 131 + 7) & 0xff), sizeof(*st));
	st->heartbeat_count = n;
}

static int whole(const struct shmh_status *st)
{
	struct shmh_status want;

	fill(&want, st->heartbeat_count);
	return memcmp(&want, st, sizeof(want)) == 0;
}

/* The writer: takes the segment over, says so, publishes until killed. */
static void writer(const char *path, int ready)
{
	struct shmh_status st;
	struct shmh_map m;
	uint64_t n = 1;

	fill(&st, n);
	if (shmh_create_segment(&m, path, &st) != SHMH_OK)
		_exit(2);
	if (write(ready, "R", 1) != 1)
		_exit(3);
	for (;;) {
		fill(&st, ++n);
		shmh_publish(&m, &st);
	}
}

static pid_t start_writer(const char *path)
{
	int p[2];
	char c;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		writer(path, p[1]);
	}
	close(p[1]);
	/* EOF instead of "R": the writer could not take the segment over. */
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	return pid;
}

/* 1 if the writer died inside a latch write: one copy differs. */
static int died_mid_write(const struct shmh_map *m)
{
	return (m->seg->hdr.seq & 1) != 0 ||
	       memcmp(&m->seg->copy[0], &m->seg->copy[1],
		      sizeof(m->seg->copy[0])) != 0;
}

START_TEST(test_kill_anywhere)
{
	char dir[] = "/dev/shm/shmhealth-check-crash.XXXXXX", path[64];
	const char *env = getenv("SHMHEALTH_CRASH_ROUNDS_C");
	int rounds = env ? (int)strtol(env, NULL, 10) : ROUNDS_DEFAULT;
	int i, torn = 0, mid = 0, ws;
	struct shmh_status st;
	struct shmh_map m;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/seg", dir);
	srand((unsigned)getpid());
	for (i = 0; i < rounds; i++) {
		pid_t pid = start_writer(path);
		struct timespec ts = { 0, (rand() % 2000) * 1000L };

		nanosleep(&ts, NULL);
		ck_assert_int_eq(kill(pid, SIGKILL), 0);
		ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
		ck_assert(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
		ck_assert_int_eq(shmh_open_segment(&m, path, NULL), SHMH_OK);
		ck_assert_int_eq(shmh_snapshot(&m, &st), SHMH_OK);
		torn += !whole(&st);
		mid += died_mid_write(&m);
		shmh_close_segment(&m);
	}
	printf("SUMMARY crash-inject kills=%d mid_write=%d torn=%d takeovers=%d\n",
	       rounds, mid, torn, rounds);
	ck_assert_int_eq(torn, 0);
	/* The kills must land inside writes, or this proves little. */
	ck_assert_int_gt(mid, rounds / 20);
	unlink(path);
	snprintf(path, sizeof(path), "%s/seg.lock", dir);
	unlink(path);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("crash");
	TCase *tc = tcase_create("kill");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_kill_anywhere);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
