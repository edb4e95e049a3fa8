/* SPDX-License-Identifier: MIT */
/*
 * The ladder: two programs linked as the static shm-reader is (musl,
 * static PIE, -Os, stripped; bench/bench.mk), so that what separates them
 * from it and from the floor is the work done:
 *
 *   ladder-exit    exits at once: the C library's start-up and exit
 *   ladder-calls   shm-reader's system calls and nothing else
 *
 * "shm-reader's system calls" are those of a healthy check with the text
 * answer: ignore SIGPIPE, open the segment (openat2, no symlinks), fstat
 * it, read the header, the copy the sequence points at and the sequence
 * again (again both, should the sequence have moved, as the latch does),
 * read the monotonic clock (a system call, as shm/util.c does), write one
 * line.  No checks, no verdict: the answer is fixed.
 *
 *   ladder-calls SEGMENT        (a name under /dev/shm, or a path)
 *
 * Exits 0 once a copy was read with the sequence unchanged, 1 if that
 * never happened, 2 if the segment could not be opened or read;
 * ladder-exit always 0.
 */
#if defined(LADDER_EXIT)

int main(void)
{
	return 0;
}

#else

#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "shm/shm.h"

#ifndef SYS_openat2
#define SYS_openat2	437
#endif

#define ANSWER		"ok: publisher running, update checks off\n"
#define COPY_OFF(seq)	(offsetof(struct shmh_segment, copy) + \
			 ((seq) & 1) * sizeof(struct shmh_status))
#define SEQ_OFF		offsetof(struct shmh_segment, hdr.seq)

/* struct open_how of <linux/openat2.h>; RESOLVE_NO_SYMLINKS. */
struct how { uint64_t flags, mode, resolve; };

/* The fixed path is enough for the benchmark: NAME or /PATH, no checks. */
static void seg_path(const char *name, char *path, size_t len)
{
	static const char dir[] = "/dev/shm/";
	size_t i = 0, j = 0;
	const char *p;

	for (p = name; *p != '\0' && *p != '/'; p++)
		;
	if (*p == '\0')
		for (; dir[j] != '\0'; j++)
			path[i++] = dir[j];
	for (p = name; *p != '\0' && i + 1 < len; p++)
		path[i++] = *p;
	path[i] = '\0';
}

int main(int argc, char *argv[])
{
	struct iovec iov[2] = {
		{ .iov_base = ANSWER, .iov_len = sizeof(ANSWER) - 2 },
		{ .iov_base = "\n", .iov_len = 1 },
	};
	struct how how = {
		.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY,
		.resolve = 0x04,
	};
	char path[SHMH_PATH_MAX];
	struct shmh_header h = { .seq = 0 };
	struct shmh_status copy;		/* on the stack, as in shm-reader */
	struct timespec ts;
	uint64_t again = 1;
	struct stat st;
	int fd, tries;

	signal(SIGPIPE, SIG_IGN);
	seg_path(argc > 1 ? argv[1] : SHMH_DEFAULT_NAME, path, sizeof(path));
	fd = (int)syscall(SYS_openat2, (long)AT_FDCWD, (long)path,
			  (long)&how, (long)sizeof(how));
	if (fd < 0 || fstat(fd, &st) != 0 ||
	    pread(fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h))
		return 2;
	for (tries = 0; tries < SHMH_READ_TRIES; tries++, h.seq = again) {
		if (pread(fd, &copy, sizeof(copy), (off_t)COPY_OFF(h.seq)) !=
		    (ssize_t)sizeof(copy) ||
		    pread(fd, &again, sizeof(again), (off_t)SEQ_OFF) !=
		    (ssize_t)sizeof(again))
			return 2;
		if (again == h.seq)
			break;
	}
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	writev(STDOUT_FILENO, iov, 2);
	return again != h.seq;
}

#endif
