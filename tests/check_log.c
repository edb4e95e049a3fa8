/* SPDX-License-Identifier: MIT */
/*
 * Check suite for the publisher's log (publisher/log.c): a standard error
 * that takes no more (a full pipe or socket nobody reads) never blocks a
 * pub_log() call, the lines wait in a bounded buffer, those past it are
 * counted and the count said once room returns, and the file description
 * other processes share with us is left blocking.
 */
#include <check.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "publisher/log.h"

#define LINES 5000

static int saved_err = -1;

static void teardown(void)
{
	if (saved_err >= 0) {
		dup2(saved_err, 2);
		close(saved_err);
		saved_err = -1;
	}
}

/* Makes fd our stderr (the test's own is kept for teardown). */
static void set_stderr(int fd)
{
	saved_err = dup(2);
	ck_assert_int_ge(saved_err, 0);
	ck_assert_int_eq(dup2(fd, 2), 2);
	close(fd);
}

/* Writes to fd until it would block; fd is a non-blocking description. */
static void fill(int fd, int sock)
{
	char junk[4096];
	ssize_t n;

	memset(junk, '#', sizeof(junk));
	do
		n = sock ? send(fd, junk, sizeof(junk), MSG_DONTWAIT) :
			   write(fd, junk, sizeof(junk));
	while (n > 0);
}

/* Reads all there is on fd (non-blocking) into out, NUL-terminated. */
static size_t drain(int fd, char *out, size_t cap, size_t len)
{
	ssize_t n;

	while (len + 1 < cap && (n = read(fd, out + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	return len;
}

static int count(const char *s, const char *word)
{
	int n = 0;

	for (; (s = strstr(s, word)) != NULL; s += strlen(word))
		n++;
	return n;
}

/* Logs LINES lines into a stderr that takes none, then reads it out while
 * flushing; checks the lines that came and the count of those that did not. */
static void flood_and_read(int rfd)
{
	static char out[4 << 20];
	size_t len = 0;
	const char *note;
	unsigned long dropped;
	int i, kept, rounds;

	alarm(3);	/* a blocked write fails the test, not hangs it */
	for (i = 0; i < LINES; i++)
		pub_log("line %d of the flood", i);
	alarm(0);
	ck_assert_int_ge(pub_log_pending_fd(), 0);
	for (rounds = 0; rounds < 1000 && (pub_log_pending_fd() >= 0 ||
					    rounds == 0); rounds++) {
		len = drain(rfd, out, sizeof(out), len);
		pub_log_flush();
	}
	len = drain(rfd, out, sizeof(out), len);
	ck_assert_int_eq(pub_log_pending_fd(), -1);
	kept = count(out, "of the flood\n");
	note = strstr(out, " log lines dropped (standard error was not read)");
	ck_assert_ptr_nonnull(note);
	while (note > out && note[-1] >= '0' && note[-1] <= '9')
		note--;
	dropped = strtoul(note, NULL, 10);
	/* The buffer held what it could, in order; the rest is counted. */
	ck_assert_int_gt(kept, 500);
	ck_assert_int_lt(kept, LINES);
	ck_assert_uint_eq((unsigned long)kept + dropped, LINES);
	ck_assert_ptr_nonnull(strstr(out, "]: line 0 of the flood\n"));
	/* After the note, lines are written again at once. */
	pub_log("after the gap");
	len = drain(rfd, out, sizeof(out), len);
	ck_assert_ptr_nonnull(strstr(note, "]: after the gap\n"));
}

START_TEST(full_pipe)
{
	int p[2], nb;
	char path[64];

	ck_assert_int_eq(pipe(p), 0);
	set_stderr(p[1]);
	/* Filled through a non-blocking description of its own. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", 2);
	nb = open(path, O_WRONLY | O_NONBLOCK);
	ck_assert_int_ge(nb, 0);
	fill(nb, 0);
	close(nb);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	pub_log_init();
	flood_and_read(p[0]);
	/* Shared with whoever else writes to it: still blocking. */
	ck_assert_int_eq(fcntl(2, F_GETFL) & O_NONBLOCK, 0);
}
END_TEST

START_TEST(full_socket)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	set_stderr(sv[1]);
	fill(2, 1);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	pub_log_init();
	flood_and_read(sv[0]);
	ck_assert_int_eq(fcntl(2, F_GETFL) & O_NONBLOCK, 0);
}
END_TEST

/* A file takes every line at once: nothing waits. */
START_TEST(regular_file)
{
	char path[] = "/tmp/shmhealth-log.XXXXXX", buf[256];
	int fd = mkstemp(path), i;
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	set_stderr(dup(fd));
	pub_log_init();
	for (i = 0; i < 3; i++)
		pub_log("file line %d", i);
	ck_assert_int_eq(pub_log_pending_fd(), -1);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_int_eq(count(buf, "]: file line "), 3);
	close(fd);
}
END_TEST

/* Each control, bidi character or bad sequence: one '?', in place. */
START_TEST(clean)
{
	static const struct { const char *in, *out; } c[] = {
		{ "plain text, caf\xc3\xa9", "plain text, caf\xc3\xa9" },
		{ "esc\x1b[31mred", "esc?[31mred" },
		{ "line\nbreak\r", "line?break?" },
		{ "csi\xc2\x9b" "2J osc\xc2\x9d", "csi?2J osc?" },
		{ "rlo\xe2\x80\xae" "txt lri\xe2\x81\xa6", "rlo?txt lri?" },
		{ "bad\xff\xfe lone\x80 cut\xe2\x80", "bad?? lone? cut?" },
		{ "surrogate\xed\xa0\x80 del\x7f", "surrogate? del?" },
	};
	char buf[64];
	size_t i, n;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		strcpy(buf, c[i].in);
		n = pub_log_clean(buf, strlen(buf));
		buf[n] = '\0';
		ck_assert_str_eq(buf, c[i].out);
	}
}
END_TEST

/* A logged line with a terminal escape in it stays one safe line. */
START_TEST(logged_line_is_clean)
{
	char path[] = "/tmp/shmhealth-log.XXXXXX", buf[256];
	int fd = mkstemp(path);
	ssize_t n;

	ck_assert_int_ge(fd, 0);
	unlink(path);
	set_stderr(dup(fd));
	pub_log_init();
	pub_log("repository %s: unreachable", "evil\x1b]0;title\x07\nforged");
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_ptr_nonnull(strstr(buf,
		"]: repository evil?]0;title??forged: unreachable\n"));
	ck_assert_int_eq(count(buf, "\n"), 1);
	close(fd);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("publisher log");
	TCase *t = tcase_create("nonblocking");

	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_set_timeout(t, 20);
	tcase_add_test(t, full_pipe);
	tcase_add_test(t, full_socket);
	tcase_add_test(t, regular_file);
	tcase_add_test(t, clean);
	tcase_add_test(t, logged_line_is_clean);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
