/* SPDX-License-Identifier: MIT */
/*
 * The ladder: programs that do part of what shm-reader does, to show what
 * any reader costs on this machine and so where the reader's own cost
 * starts.  One source, three builds (bench/bench.mk):
 *
 *   ladder-empty   musl, static: exits at once (the C library's start-up)
 *   ladder-musl    musl, static: shm-reader's system calls, nothing else
 *   ladder-nolibc  no C library: the same system calls, raw
 *
 * "shm-reader's system calls" are those of a healthy check with the text
 * answer: ignore SIGPIPE, open the segment, fstat it, read the header, the
 * copy the sequence points at and the sequence again (again both, should
 * the sequence have moved, as the latch does), read the monotonic clock,
 * write one line.  No checks, no verdict: the answer is fixed.
 *
 *   ladder-musl SEGMENT        (a name under /dev/shm, or a path)
 *
 * Exits 0 once a copy was read with the sequence unchanged, 1 if that
 * never happened, 2 if the segment could not be opened or read;
 * ladder-empty always 0.
 */
#include <stddef.h>
#include <stdint.h>

#include "shm/shm.h"

#define ANSWER		"ok: publisher running, update checks off\n"
#define COPY_OFF(seq)	(offsetof(struct shmh_segment, copy) + \
			 ((seq) & 1) * sizeof(struct shmh_status))
#define SEQ_OFF		offsetof(struct shmh_segment, hdr.seq)

#if !defined(LADDER_EMPTY)
/* Static, as in shm-reader: the copy is larger than a stack page. */
static struct shmh_status copy;

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
#endif

#if defined(LADDER_NOLIBC)

#if defined(__x86_64__)
enum { NR_OPENAT = 257, NR_FSTAT = 5, NR_PREAD = 17, NR_CLOCK = 228,
       NR_WRITEV = 20, NR_SIGACTION = 13, NR_EXIT = 231 };

static long sys4(long n, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long r;

	__asm__ volatile("syscall" : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
			 : "rcx", "r11", "memory");
	return r;
}

/* The kernel enters with the stack 16-byte aligned and no return address:
 * align for the compiler's assumptions and hand over the stack pointer. */
__asm__(".globl _start\n"
	"_start:\n"
	"	xor %ebp, %ebp\n"
	"	mov %rsp, %rdi\n"
	"	and $-16, %rsp\n"
	"	call ladder_main\n"
	"	hlt\n");
#elif defined(__aarch64__)
enum { NR_OPENAT = 56, NR_FSTAT = 80, NR_PREAD = 67, NR_CLOCK = 113,
       NR_WRITEV = 66, NR_SIGACTION = 134, NR_EXIT = 94 };

static long sys4(long n, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ volatile("svc #0" : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}

__asm__(".globl _start\n"
	"_start:\n"
	"	mov x0, sp\n"
	"	bl ladder_main\n"
	"	brk #0\n");
#else
#error "ladder.c: add this architecture's system calls"
#endif

struct kernel_sigaction { long handler, flags, restorer, mask; };
struct iov { const void *base; size_t len; };

void ladder_main(long *sp);

void ladder_main(long *sp)
{
	char **argv = (char **)(sp + 1);
	struct kernel_sigaction ign = { 1 /* SIG_IGN */, 0, 0, 0 };
	struct iov iov[2] = { { ANSWER, sizeof(ANSWER) - 2 }, { "\n", 1 } };
	char path[SHMH_PATH_MAX];
	long st[32], ts[2];
	struct shmh_header h = { .seq = 0 };
	uint64_t again = 1;
	int tries;
	long fd;

	sys4(NR_SIGACTION, 13 /* SIGPIPE */, (long)&ign, 0, 8);
	seg_path(sp[0] > 1 ? argv[1] : SHMH_DEFAULT_NAME, path, sizeof(path));
	fd = sys4(NR_OPENAT, -100 /* AT_FDCWD */, (long)path,
		  0400000 /* O_NOFOLLOW */ | 04000 /* O_NONBLOCK */, 0);
	if (fd < 0 || sys4(NR_FSTAT, fd, (long)st, 0, 0) != 0 ||
	    sys4(NR_PREAD, fd, (long)&h, sizeof(h), 0) != sizeof(h))
		sys4(NR_EXIT, 2, 0, 0, 0);
	for (tries = 0; tries < SHMH_READ_TRIES; tries++, h.seq = again) {
		if (sys4(NR_PREAD, fd, (long)&copy, sizeof(copy),
			 (long)COPY_OFF(h.seq)) != sizeof(copy) ||
		    sys4(NR_PREAD, fd, (long)&again, sizeof(again),
			 (long)SEQ_OFF) != sizeof(again))
			sys4(NR_EXIT, 2, 0, 0, 0);
		if (again == h.seq)
			break;
	}
	sys4(NR_CLOCK, 1 /* CLOCK_MONOTONIC */, (long)ts, 0, 0);
	sys4(NR_WRITEV, 1, (long)iov, 2, 0);
	sys4(NR_EXIT, again != h.seq, 0, 0, 0);
	for (;;)
		;
}

#elif defined(LADDER_EMPTY)

int main(void)
{
	return 0;
}

#else	/* the same system calls through the C library */

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	struct iovec iov[2] = {
		{ .iov_base = ANSWER, .iov_len = sizeof(ANSWER) - 2 },
		{ .iov_base = "\n", .iov_len = 1 },
	};
	char path[SHMH_PATH_MAX];
	struct shmh_header h = { .seq = 0 };
	struct timespec ts;
	uint64_t again = 1;
	struct stat st;
	int fd, tries;

	signal(SIGPIPE, SIG_IGN);
	seg_path(argc > 1 ? argv[1] : SHMH_DEFAULT_NAME, path, sizeof(path));
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
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
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);	/* as shm/util.c */
	writev(STDOUT_FILENO, iov, 2);
	return again != h.seq;
}

#endif
