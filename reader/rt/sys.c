/* SPDX-License-Identifier: MIT */
/*
 * The run-time's system calls, as the C library presents them: -1 and
 * errno on failure.  Built against musl's headers, whose structures on
 * x86-64 are the kernel's (stat, timespec, iovec); sigaction's is not and
 * is converted.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "reader/rt/rt.h"

static long sys6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long r;

	__asm__ volatile("syscall" : "=a"(r)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return r;
}

#define sys3(n, a, b, c)	sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)

/* The kernel's -errno into the C library's -1 and errno. */
static long ret(long r)
{
	if ((unsigned long)r > -4096UL) {
		rt_errno = (int)-r;
		return -1;
	}
	return r;
}

/* Always passes six arguments on, reading as many from the caller as it
 * gave or not: the kernel ignores the ones a call does not take. */
long syscall(long n, ...)
{
	va_list ap;
	long a[6];
	int i;

	va_start(ap, n);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	return ret(sys6(n, a[0], a[1], a[2], a[3], a[4], a[5]));
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if ((flags & O_CREAT) != 0 || (flags & O_TMPFILE) == O_TMPFILE) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return (int)ret(sys6(SYS_openat, AT_FDCWD, (long)path, flags, mode,
			     0, 0));
}

int close(int fd)
{
	return (int)ret(sys3(SYS_close, fd, 0, 0));
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	return ret(sys6(SYS_pread64, fd, (long)buf, (long)len, off, 0, 0));
}

ssize_t write(int fd, const void *buf, size_t len)
{
	return ret(sys3(SYS_write, fd, buf, len));
}

ssize_t writev(int fd, const struct iovec *iov, int count)
{
	return ret(sys3(SYS_writev, fd, iov, count));
}

int fstat(int fd, struct stat *st)
{
	return (int)ret(sys3(SYS_fstat, fd, st, 0));
}

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	return (int)ret(sys3(SYS_clock_gettime, clock, ts, 0));
}

uid_t geteuid(void)
{
	return (uid_t)sys3(SYS_geteuid, 0, 0, 0);
}

pid_t getpid(void)
{
	return (pid_t)sys3(SYS_getpid, 0, 0, 0);
}

int raise(int sig)
{
	return (int)ret(sys3(SYS_kill, getpid(), sig, 0));
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	long r = ret(sys6(SYS_mmap, (long)addr, (long)len, prot, flags, fd,
			  off));

	return r == -1 ? MAP_FAILED : (void *)r;
}

int munmap(void *addr, size_t len)
{
	return (int)ret(sys3(SYS_munmap, addr, len, 0));
}

/* The kernel's struct sigaction on x86-64, which needs a restorer. */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

#define KSA_RESTORER	0x04000000

void rt_restore(void);
__asm__(".text\n"
	".type rt_restore, @function\n"
	"rt_restore:\n"
	"	mov $15, %eax\n"	/* rt_sigreturn */
	"	syscall\n"
	".size rt_restore, . - rt_restore\n");

int sigaction(int sig, const struct sigaction *restrict sa,
	      struct sigaction *restrict old)
{
	struct ksigaction k = { 0 }, ko = { 0 };

	if (sa != NULL) {
		k.handler = sa->sa_handler;
		k.flags = (unsigned long)sa->sa_flags | KSA_RESTORER;
		k.restorer = rt_restore;
		memcpy(&k.mask, &sa->sa_mask, sizeof(k.mask));
	}
	if (ret(sys6(SYS_rt_sigaction, sig, sa != NULL ? (long)&k : 0,
		     old != NULL ? (long)&ko : 0, sizeof(k.mask), 0, 0)) != 0)
		return -1;
	if (old != NULL) {
		memset(old, 0, sizeof(*old));
		old->sa_handler = ko.handler;
		old->sa_flags = (int)ko.flags;
		old->sa_restorer = ko.restorer;
		memcpy(&old->sa_mask, &ko.mask, sizeof(ko.mask));
	}
	return 0;
}

int sigemptyset(sigset_t *set)
{
	memset(set, 0, sizeof(*set));
	return 0;
}

void (*signal(int sig, void (*handler)(int)))(int)
{
	struct sigaction sa = { .sa_flags = SA_RESTART }, old;

	sa.sa_handler = handler;
	if (sigaction(sig, &sa, &old) != 0)
		return SIG_ERR;
	return old.sa_handler;
}
