/* SPDX-License-Identifier: MIT */
/*
 * The static reader's own run-time: the few C library functions shm-reader
 * calls, on raw Linux system calls, with no start-up work.  A health check
 * is one short process started every few seconds, and a C library's
 * start-up and exit (thread pointer, TID address, atexit, stdio, its
 * static data) cost it a few per cent: bench/ladder.c's program making the
 * reader's system calls takes 1.14 times an empty process with musl, 1.10
 * times without.  So on x86-64 the static reader links this instead
 * (Makefile: RDR_RT).  Everything else (the dynamic build, the publisher,
 * the tests) uses the system's C library.
 *
 * The static reader has no static storage but thread-local storage, which
 * start.c puts on the stack: a writable segment would cost execve and exit
 * work on every check, and a page of it written a page fault, each about
 * 1 to 2 % of a check.
 *
 * What it is not: a C library.  No threads, no locale, no stdio, no heap,
 * no floating point in printf.  It provides exactly the functions the
 * reader and libshm call (the link fails on any other), with the
 * behaviour they rely on, which tests/check_rt.c compares against the
 * system's C library.
 *
 * The string and format functions are plain C; built with RT_TEST they
 * are named rt_* so that a test can hold them beside the C library's.
 */
#ifndef SHMHEALTH_RT_H
#define SHMHEALTH_RT_H

#include <stdarg.h>
#include <stddef.h>

#if defined(RT_TEST)
#define RT_NAME(f)	rt_##f
#else
#define RT_NAME(f)	f
#endif

/* string.c */
void *RT_NAME(memcpy)(void *restrict d, const void *restrict s, size_t n);
void *RT_NAME(memset)(void *d, int c, size_t n);
void *RT_NAME(memmove)(void *d, const void *s, size_t n);
int RT_NAME(memcmp)(const void *a, const void *b, size_t n);
void *RT_NAME(memchr)(const void *s, int c, size_t n);
size_t RT_NAME(strlen)(const char *s);
int RT_NAME(strcmp)(const char *a, const char *b);
int RT_NAME(strncmp)(const char *a, const char *b, size_t n);
char *RT_NAME(strchr)(const char *s, int c);
int RT_NAME(strcasecmp)(const char *a, const char *b);
unsigned long long RT_NAME(strtoull)(const char *restrict s,
				     char **restrict end, int base);
char *RT_NAME(strerror)(int e);

/* printf.c: d i u o x X c s p % with flags - + space # 0, width and
 * precision (digits or *), lengths hh h l ll j z t.  Anything else ends the
 * output with '?' (floating point, %n, wide characters). */
int RT_NAME(vsnprintf)(char *restrict buf, size_t len, const char *restrict fmt,
		       va_list ap);
int RT_NAME(snprintf)(char *restrict buf, size_t len, const char *restrict fmt,
		      ...) __attribute__((format(printf, 3, 4)));

/* The errno rt functions set; string.c's strtoull sets it too. */
extern __thread int rt_errno;

#endif
