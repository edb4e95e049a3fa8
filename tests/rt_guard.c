/* SPDX-License-Identifier: MIT */
/*
 * The SIGBUS guard of libshm on the static reader's run-time (reader/rt/):
 * built as shm-reader is, with no C library, it maps a copy of a live
 * segment, takes a snapshot, truncates the file and takes two more, which
 * must each come back SHM_ETRUNC through the run-time's sigaction,
 * sigsetjmp and siglongjmp rather than kill the process.  First it says
 * whether the stack protector's guard is set, its low byte zero, and what
 * two thread-local variables hold (42 and 0).  tests/reader.sh
 * runs it and reads its lines.
 *
 *	rt-guard FILE	(a segment's copy, ours, mode 0644; truncated)
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shm/shm.h"

/* Thread-local, one initialized and one not: the run-time lays out the
 * block the linker's offsets point into. */
static __thread volatile int tls_set = 42;
static __thread volatile int tls_zero;

/* The stack protector's guard, where the compiler reads it. */
static uintptr_t guard(void)
{
	uintptr_t g;

	__asm__("mov %%fs:0x28, %0" : "=r"(g));
	return g;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	char line[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && write(1, line, (size_t)n) != n)
		_exit(3);
}

int main(int argc, char *argv[])
{
	static struct shm_map m;
	static struct shm_status st;
	int fd, r, i;

	if (argc != 2)
		return 2;
	say("guard %d\n", guard() != 0 && (guard() & 0xff) == 0);
	say("tls %d %d\n", tls_set, tls_zero);
	r = shm_open_segment(&m, argv[1], NULL);
	say("open %d %s\n", r, shm_strerror(r));
	if (r != SHM_OK)
		return 1;
	r = shm_snapshot(&m, &st);
	say("snapshot %d %s\n", r, shm_strerror(r));
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || syscall(SYS_ftruncate, fd, 0L) != 0)
		return 1;
	for (i = 0; i < 2; i++) {
		r = shm_snapshot(&m, &st);
		say("truncated %d %s\n", r, shm_strerror(r));
	}
	shm_close_segment(&m);
	say("closed %d\n", m.fd);
	return 0;
}
