/* SPDX-License-Identifier: MIT */
/*
 * The run-time's memory and string functions, strtoull and strerror: byte
 * at a time, which for the few hundred bytes a health check handles costs
 * less than the code a word-at-a-time version would bring in.  Built with
 * -fno-tree-loop-distribute-patterns (Makefile), so that the compiler does
 * not turn memcpy's own loop into a call to memcpy.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>

#include "reader/rt/rt.h"

__thread int rt_errno;

void *RT_NAME(memcpy)(void *restrict d, const void *restrict s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	while (n-- > 0)
		*dp++ = *sp++;
	return d;
}

void *RT_NAME(memset)(void *d, int c, size_t n)
{
	unsigned char *dp = d;

	while (n-- > 0)
		*dp++ = (unsigned char)c;
	return d;
}

/* The compiler may call memmove and memcmp, as it may memcpy and memset. */
void *RT_NAME(memmove)(void *d, const void *s, size_t n)
{
	unsigned char *dp = d;
	const unsigned char *sp = s;

	size_t i;

	/* Backward when d starts inside s, else forward. */
	if ((uintptr_t)d - (uintptr_t)s < n)
		while (n-- > 0)
			dp[n] = sp[n];
	else
		for (i = 0; i < n; i++)
			dp[i] = sp[i];
	return d;
}

int RT_NAME(memcmp)(const void *a, const void *b, size_t n)
{
	const unsigned char *l = a, *r = b;

	for (; n > 0; n--, l++, r++)
		if (*l != *r)
			return *l - *r;
	return 0;
}

void *RT_NAME(memchr)(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t RT_NAME(strlen)(const char *s)
{
	const char *p = s;

	while (*p != '\0')
		p++;
	return (size_t)(p - s);
}

int RT_NAME(strncmp)(const char *a, const char *b, size_t n)
{
	const unsigned char *l = (const unsigned char *)a;
	const unsigned char *r = (const unsigned char *)b;

	for (; n > 0; n--, l++, r++)
		if (*l != *r || *l == '\0')
			return *l - *r;
	return 0;
}

int RT_NAME(strcmp)(const char *a, const char *b)
{
	const unsigned char *l = (const unsigned char *)a;
	const unsigned char *r = (const unsigned char *)b;

	for (; *l == *r && *l != '\0'; l++, r++)
		;
	return *l - *r;
}

char *RT_NAME(strchr)(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* The C locale's, which is the only one the reader runs in. */
int RT_NAME(strcasecmp)(const char *a, const char *b)
{
	const unsigned char *l = (const unsigned char *)a;
	const unsigned char *r = (const unsigned char *)b;

	for (; *l != '\0' && lower(*l) == lower(*r); l++, r++)
		;
	return lower(*l) - lower(*r);
}

static int digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	return 99;
}

/*
 * As C says: leading white space, an optional sign (a minus negates the
 * result in unsigned arithmetic), 0x for base 16 and 0 for base 8 when
 * base is 0 or 16; ULLONG_MAX and ERANGE on overflow; *end at the first
 * character not taken, or at s when no digit was.  Bases 0 and 2-36; any
 * other gives EINVAL and 0.
 */
unsigned long long RT_NAME(strtoull)(const char *restrict s,
				     char **restrict end, int base)
{
	const char *p = s, *digits;
	unsigned long long v = 0;
	int neg = 0, over = 0, d;

	if (base < 0 || base == 1 || base > 36) {
		rt_errno = EINVAL;
		if (end != NULL)
			*end = (char *)s;
		return 0;
	}
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' &&
	    lower(p[1]) == 'x' && digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	for (digits = p; (d = digit_value(*p)) < base; p++) {
		if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
			over = 1;
		v = v * (unsigned)base + (unsigned)d;
	}
	if (end != NULL)
		*end = (char *)(p == digits ? s : p);
	if (over) {
		rt_errno = ERANGE;
		return ULLONG_MAX;
	}
	return neg ? -v : v;
}

static const struct {
	int e;
	const char *text;
} messages[] = {
	{ 0, "Success" },
	{ EPERM, "Operation not permitted" },
	{ ENOENT, "No such file or directory" },
	{ EINTR, "Interrupted system call" },
	{ EIO, "Input/output error" },
	{ ENXIO, "No such device or address" },
	{ E2BIG, "Argument list too long" },
	{ EBADF, "Bad file descriptor" },
	{ EAGAIN, "Resource temporarily unavailable" },
	{ ENOMEM, "Cannot allocate memory" },
	{ EACCES, "Permission denied" },
	{ EFAULT, "Bad address" },
	{ EBUSY, "Device or resource busy" },
	{ EEXIST, "File exists" },
	{ ENODEV, "No such device" },
	{ ENOTDIR, "Not a directory" },
	{ EISDIR, "Is a directory" },
	{ EINVAL, "Invalid argument" },
	{ ENFILE, "Too many open files in system" },
	{ EMFILE, "Too many open files" },
	{ ETXTBSY, "Text file busy" },
	{ EFBIG, "File too large" },
	{ ENOSPC, "No space left on device" },
	{ ESPIPE, "Illegal seek" },
	{ EROFS, "Read-only file system" },
	{ EPIPE, "Broken pipe" },
	{ ERANGE, "Numerical result out of range" },
	{ ENAMETOOLONG, "File name too long" },
	{ ENOSYS, "Function not implemented" },
	{ ELOOP, "Too many levels of symbolic links" },
	{ EOVERFLOW, "Value too large for defined data type" },
	{ EOPNOTSUPP, "Operation not supported" },
	{ ESTALE, "Stale file handle" },
	{ EDQUOT, "Disk quota exceeded" },
};

/* The errors opening and reading a file can give; any other by number. */
char *RT_NAME(strerror)(int e)
{
	static __thread char unknown[32];
	size_t i;

	for (i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
		if (messages[i].e == e)
			return (char *)messages[i].text;
	RT_NAME(snprintf)(unknown, sizeof(unknown), "Unknown error %d", e);
	return unknown;
}
