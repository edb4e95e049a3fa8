/* SPDX-License-Identifier: MIT */
/*
 * Check suite for the static reader's run-time (reader/rt/string.c,
 * printf.c), built under its rt_ names: every function held beside the
 * system's C library on the same input, and the conversions rt_snprintf
 * refuses ending its output with '?'.
 */
#define RT_TEST 1
#include "reader/rt/rt.h"

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <wchar.h>

#define BUF	256
#define FILL	0x5a	/* what the buffers hold before a call */

/*
 * The same call to the C library's snprintf and to rt_snprintf, into
 * buffers of 0 bytes, 1, about half the output and BUF: the bytes (the
 * ones not written included) and the return values must be equal, and
 * nothing written at or past the size given.  A macro, so that the
 * format stays a literal the compiler checks.
 */
#define CMP(...) do {							\
	char w_[BUF], g_[BUF];						\
	size_t sz_[4] = { 0, 1, 0, BUF };				\
	int wn_, gn_, i_;						\
									\
	sz_[2] = (size_t)snprintf(NULL, 0, __VA_ARGS__) / 2 + 1;	\
	if (sz_[2] > BUF)						\
		sz_[2] = BUF / 2;					\
	for (i_ = 0; i_ < 4; i_++) {					\
		memset(w_, FILL, sizeof(w_));				\
		memset(g_, FILL, sizeof(g_));				\
		wn_ = snprintf(w_, sz_[i_], __VA_ARGS__);		\
		gn_ = rt_snprintf(g_, sz_[i_], __VA_ARGS__);		\
		ck_assert_msg(wn_ == gn_ &&				\
			      memcmp(w_, g_, sizeof(w_)) == 0,		\
			      "snprintf(%s) size %zu: libc \"%.*s\" %d,"\
			      " rt \"%.*s\" %d", #__VA_ARGS__, sz_[i_],	\
			      (int)sz_[i_], w_, wn_, (int)sz_[i_], g_, gn_);\
		if (sz_[i_] < BUF)					\
			ck_assert_int_eq(g_[sz_[i_]], FILL);		\
	}								\
} while (0)

/* Cutting the output short is what CMP is for. */
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

START_TEST(printf_conversions)
{
	CMP("%d", 0);
	CMP("%d", 1);
	CMP("%d", -1);
	CMP("%d", INT_MIN);
	CMP("%d", INT_MAX);
	CMP("%i", -123);
	CMP("%i", INT_MIN);
	CMP("%u", 0u);
	CMP("%u", UINT_MAX);
	CMP("%o", 0u);
	CMP("%o", 8u);
	CMP("%o", UINT_MAX);
	CMP("%x", 0u);
	CMP("%x", 0xdeadbeefu);
	CMP("%X", 0xdeadbeefu);
	CMP("%c", 'a');
	CMP("%c", 0);
	CMP("%c", 0xe9);
	CMP("%s", "hello");
	CMP("%s", "");
	CMP("%%");
	CMP("a%%b%%%%c");
	CMP("no conversion at all");
	CMP("%d%s%c%%%u|%x", -5, "str", 'y', 7u, 255u);
}
END_TEST

START_TEST(printf_flags)
{
	CMP("%-5d|", 42);
	CMP("%+d", 42);
	CMP("%+d", -42);
	CMP("%+d", 0);
	CMP("% d", 42);
	CMP("% d", -42);
	CMP("%05d", 42);
	CMP("%05d", -42);
	CMP("%+05d", 42);
	CMP("% 05d", 42);
	CMP("%-+6d|", 7);
	CMP("%#o", 8u);
	CMP("%#o", 0u);
	CMP("%#5o", 8u);
	CMP("%#05o", 8u);
	CMP("%#x", 255u);
	CMP("%#X", 255u);
	CMP("%#x", 0u);
	CMP("%#08x", 255u);
	CMP("%#8X", 255u);
	CMP("%-#8x|", 255u);
	CMP("%-5c|", 'z');
	CMP("%5c", 'z');
	CMP("%-6s|", "ab");
	CMP("%6s", "ab");
}
END_TEST

/*
 * What the compiler points out: flags that another flag or a precision
 * overrides, and values wider than hh or h, which printf narrows.  That
 * each is handled as the C library handles it is the test.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
START_TEST(printf_overridden)
{
	CMP("%+ d", 42);	/* '+' wins over ' ' */
	CMP("% +d", -42);
	CMP("%+ 05i", 42);
	CMP("%-08d|", 42);	/* '-' wins over '0' */
	CMP("%0-8d|", -42);
	CMP("%-#08x|", 255u);
	CMP("%08.5d", 42);	/* a precision turns '0' off */
	CMP("%08.0d", 0);
	CMP("%010.3llx", 255ULL);
	CMP("%0*.*d", 8, -1, 7);	/* ... unless it is negative */
	CMP("%08.*d", -3, -7);
	CMP("%0*.*u", 8, 2, 7u);
	CMP("%hhd", 200);
	CMP("%hhi", -129);
	CMP("%hhu", 300);
	CMP("%hhx", 0x1ff);
	CMP("%hd", 70000);
	CMP("%hu", 70000);
}
END_TEST
#pragma GCC diagnostic pop

START_TEST(printf_width_precision)
{
	CMP("%10d", 123);
	CMP("%1d", 12345);
	CMP("%*d", 6, 42);
	CMP("%*d|", -6, 42);	/* negative width: left-justified */
	CMP("%0*d|", -6, 42);
	CMP("%*d|", 0, 42);
	CMP("%.5d", 42);
	CMP("%.5d", -42);
	CMP("%8.5d", -42);
	CMP("%-8.5d|", 42);
	CMP("%.*d", 4, 7);
	CMP("%.*d", -1, 7);	/* negative precision: none */
	CMP("%.0d", 5);
	CMP("%.0d", 0);		/* precision 0, value 0: nothing */
	CMP("%.d", 0);
	CMP("%5.0d|", 0);
	CMP("%+.0d", 0);
	CMP("% .0i", 0);
	CMP("%.0u", 0u);
	CMP("%.0x", 0u);
	CMP("%#.0x", 0u);
	CMP("%.0o", 0u);
	CMP("%#.0o", 0u);	/* ... but "0" for %#o */
	CMP("%#.3o", 8u);
	CMP("%#.2o", 8u);
	CMP("%#.4x", 255u);
	CMP("%300d", 1);	/* wider than the buffer */
	CMP("%.300d", -1);
	CMP("%*s", 1000, "x");
}
END_TEST

START_TEST(printf_lengths)
{
	CMP("%hhd", (signed char)-5);
	CMP("%hhu", (unsigned char)250);
	CMP("%hd", (short)-300);
	CMP("%ho", (unsigned short)65535);
	CMP("%ld", LONG_MIN);
	CMP("%ld", LONG_MAX);
	CMP("%lu", ULONG_MAX);
	CMP("%lx", ULONG_MAX);
	CMP("%lo", ULONG_MAX);
	CMP("%lld", LLONG_MIN);
	CMP("%lld", LLONG_MAX);
	CMP("%lli", -1LL);
	CMP("%llu", ULLONG_MAX);
	CMP("%llX", ULLONG_MAX);
	CMP("%#llo", ULLONG_MAX);
	CMP("%jd", INTMAX_MIN);
	CMP("%jd", INTMAX_MAX);
	CMP("%ju", UINTMAX_MAX);
	CMP("%jx", UINTMAX_MAX);
	CMP("%zu", SIZE_MAX);
	CMP("%zx", SIZE_MAX);
	CMP("%zd", (ssize_t)-1);
	CMP("%td", PTRDIFF_MIN);
	CMP("%td", PTRDIFF_MAX);
	CMP("%tx", (ptrdiff_t)255);
	CMP("%-+25lld|", LLONG_MIN);
	CMP("%025llu", ULLONG_MAX);
	CMP("%#30llx", ULLONG_MAX);
	CMP("%.25jd", INTMAX_MIN);
	CMP("% 022lld", LLONG_MAX);
	CMP("%+.0lld", 0LL);
}
END_TEST

START_TEST(printf_pointers)
{
	int x = 0;

	CMP("%p", (void *)&x);
	CMP("%20p|", (void *)&x);
	CMP("%-20p|", (void *)&x);
	CMP("%*p|", 24, (void *)&x);
	CMP("%p", (void *)1);
	CMP("%p", (void *)UINTPTR_MAX);
}
END_TEST

/* %.Ns must read no more than N bytes: the array has no terminator, and
 * on the heap valgrind sees a byte too far. */
START_TEST(printf_strings)
{
	char *a = malloc(4), big[400];

	ck_assert_ptr_nonnull(a);
	memcpy(a, "abcd", 4);
	CMP("%.4s", a);
	CMP("%.2s", a);
	CMP("%.*s", 4, a);
	CMP("%.*s|", 0, a);
	CMP("%6.4s|", a);
	CMP("%-6.4s|", a);
	CMP("%*.*s|", -8, 3, a);
	free(a);
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CMP("%s", big);
	CMP("%.60s", big);
	CMP("[%.3s]", "abcdef");
	CMP("%.0s", "abc");
	CMP("%.*s", -1, "abc");
	CMP("%8.3s|", "abcdef");
	CMP("%-8.3s|", "abcdef");
}
END_TEST

/* The conversions the reader and libshm use, as they use them. */
START_TEST(printf_project_formats)
{
	char name[80];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	CMP("Update(s) %u available: %s", 3u, "libssl3 openssl tzdata");
	CMP("probe '%.60s' failed", name);
	CMP("%d", -42);
	CMP("%llu", 18446744073709551615ULL);
	CMP("%lld", -9000000000LL);
	CMP("option '%.*s' takes no value", 7, "--quiet=yes");
	CMP("%.*s.%s.tmp%ld.%lx", 4, "segment", "x", 1234L, 0xdeadUL);
	CMP("'-%c'", 'q');
	CMP("\\u%04x", 0x1fu);
	CMP("\\u%04x", 0x12345u);
	CMP("%llu.%0*u", 12ULL, 3, 7u);
	CMP("%0*u", 5, 42u);
	CMP("%0*u|", -5, 42u);
	CMP("%0*u", 0, 0u);
}
END_TEST

/*
 * What rt_snprintf does not do ends its output: '?' where the conversion
 * was and nothing after, the return value that output's length.  Only
 * rt_snprintf sees these (glibc would honour %n).
 */
#define UNSUPPORTED(want, ...) do {					\
	char b_[BUF];							\
	int n_;								\
									\
	memset(b_, FILL, sizeof(b_));					\
	n_ = rt_snprintf(b_, sizeof(b_), __VA_ARGS__);			\
	ck_assert_msg(strcmp(b_, want) == 0 &&				\
		      n_ == (int)strlen(want),				\
		      "rt_snprintf(%s): \"%s\" %d, want \"%s\"",	\
		      #__VA_ARGS__, b_, n_, want);			\
} while (0)

START_TEST(printf_unsupported)
{
	int n = -7;

	UNSUPPORTED("ab?", "ab%fcd", 1.0);
	UNSUPPORTED("?", "%e", 1.0);
	UNSUPPORTED("x?", "x%g", 1.0);
	UNSUPPORTED("?", "%a", 1.0);
	UNSUPPORTED("?", "%F", 1.0);
	UNSUPPORTED("?", "%10.3f", 1.0);
	UNSUPPORTED("?", "%Lf", 1.0L);
	UNSUPPORTED("ab?", "ab%ncd", &n);
	ck_assert_int_eq(n, -7);
	UNSUPPORTED("w=?", "w=%ls", L"wide");
	UNSUPPORTED("w=?", "w=%lc", (wint_t)L'w');
	UNSUPPORTED("?", "%m");
	UNSUPPORTED("?", "%qd", 1LL);
	UNSUPPORTED("1 ?", "%d %f %d", 1, 2.0, 3);
	UNSUPPORTED("1 ?", "%d %ls %s", 1, L"x", "not reached");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	UNSUPPORTED("ab?", "ab%qcd");
	UNSUPPORTED("ab?", "ab%");
	UNSUPPORTED("ab?", "ab%-5");
	UNSUPPORTED("ab?", "ab%l");
	UNSUPPORTED("ab?", "ab%ycd");
#pragma GCC diagnostic pop
}
END_TEST

/* Cut short, the output still stops at the '?' and counts it. */
START_TEST(printf_unsupported_cut)
{
	char b[8];

	memset(b, FILL, sizeof(b));
	ck_assert_int_eq(rt_snprintf(b, 3, "ab%fcd", 1.0), 3);
	ck_assert_str_eq(b, "ab");
	ck_assert_int_eq(b[3], FILL);
	ck_assert_int_eq(rt_snprintf(b, 0, "ab%fcd", 1.0), 3);
	ck_assert_int_eq(rt_snprintf(NULL, 0, "%d", 12345), 5);
}
END_TEST

static int rt_fmt(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void rt_twice(char *a, char *b, size_t len, int *na, int *nb,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int rt_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rt_vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

/* Formats the same arguments twice, from a va_list and from its copy. */
static void rt_twice(char *a, char *b, size_t len, int *na, int *nb,
		     const char *fmt, ...)
{
	va_list ap, aq;

	va_start(ap, fmt);
	va_copy(aq, ap);
	*na = rt_vsnprintf(a, len, fmt, ap);
	*nb = rt_vsnprintf(b, len, fmt, aq);
	va_end(aq);
	va_end(ap);
}

START_TEST(printf_va_list)
{
	char w[BUF], a[BUF], b[BUF];
	int nw, na, nb;

	nw = snprintf(w, sizeof(w), "%s=%d %llu %c %.*s|%-4x|", "k", -3,
		      ULLONG_MAX, 'z', 2, "abc", 10u);
	na = rt_fmt(a, sizeof(a), "%s=%d %llu %c %.*s|%-4x|", "k", -3,
		    ULLONG_MAX, 'z', 2, "abc", 10u);
	ck_assert_str_eq(a, w);
	ck_assert_int_eq(na, nw);
	ck_assert_int_eq(rt_fmt(NULL, 0, "%lld:%s", LLONG_MIN, "end"),
			 (int)strlen("-9223372036854775808:end"));
	rt_twice(a, b, sizeof(a), &na, &nb, "%d %s %ju", INT_MIN, "two",
		 UINTMAX_MAX);
	ck_assert_str_eq(a, "-2147483648 two 18446744073709551615");
	ck_assert_str_eq(b, a);
	ck_assert_int_eq(na, (int)strlen(a));
	ck_assert_int_eq(nb, na);
	rt_twice(a, b, 5, &na, &nb, "%05d%s", 42, "tail");
	ck_assert_str_eq(a, "0004");
	ck_assert_str_eq(b, "0004");
	ck_assert_int_eq(na, 9);
	ck_assert_int_eq(nb, 9);
}
END_TEST

/* Value, end offset and error of strtoull and rt_strtoull. */
static void cmp_strtoull(const char *s, int base)
{
	unsigned long long w, g;
	char *we = NULL, *ge = NULL;
	int werr, gerr;

	errno = 0;
	w = strtoull(s, &we, base);
	werr = errno;
	rt_errno = 0;
	errno = 0;
	g = rt_strtoull(s, &ge, base);
	gerr = rt_errno;
	ck_assert_msg(w == g && we == ge && werr == gerr,
		      "strtoull(\"%s\", %d): libc %llu end %td error %d, "
		      "rt %llu end %td error %d", s, base, w, we - s, werr,
		      g, ge - s, gerr);
	ck_assert_int_eq(errno, 0);
}

static const char *const numbers[] = {
	"0", "1", "010", "0x1f", "0X1F", "0x", "0xg", "0x1g", "0x 1", "z",
	"Zz", "101", "1012", "777", "12abc", " \t\n42", "\v\f\r7", "+15",
	"-1", "-0x10", "--1", "+-1", "+", "-", "+x", "", "   ", "  -  1",
	"1 2", "18446744073709551615", "18446744073709551616",
	"-18446744073709551615", "-18446744073709551616",
	"99999999999999999999999999999999", "0xffffffffffffffff",
	"0x10000000000000000", "01777777777777777777777",
	"02000000000000000000000", "3w5e11264sgsf", "3w5e11264sgsg",
	"1111111111111111111111111111111111111111111111111111111111111111",
	"11111111111111111111111111111111111111111111111111111111111111111",
};

START_TEST(strtoull_bases)
{
	static const int bases[] = { 0, 2, 8, 10, 16, 36 };
	size_t i, j;

	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		for (j = 0; j < sizeof(bases) / sizeof(bases[0]); j++)
			cmp_strtoull(numbers[i], bases[j]);
}
END_TEST

START_TEST(strtoull_cases)
{
	char *end, nines[301];

	cmp_strtoull("0x1f", 0);
	cmp_strtoull("0x1f", 16);
	cmp_strtoull("0xg", 0);
	ck_assert_uint_eq(rt_strtoull("0xg", &end, 16), 0);
	ck_assert_str_eq(end, "xg");
	ck_assert_uint_eq(rt_strtoull("010", &end, 0), 8);
	rt_errno = 0;
	ck_assert_uint_eq(rt_strtoull("18446744073709551615", &end, 10),
			  ULLONG_MAX);
	ck_assert_int_eq(rt_errno, 0);
	ck_assert_uint_eq(rt_strtoull("18446744073709551616", &end, 10),
			  ULLONG_MAX);
	ck_assert_int_eq(rt_errno, ERANGE);
	ck_assert_uint_eq(rt_strtoull("12abc", &end, 10), 12);
	ck_assert_str_eq(end, "abc");
	memset(nines, '9', sizeof(nines) - 1);
	nines[sizeof(nines) - 1] = '\0';
	cmp_strtoull(nines, 10);
	cmp_strtoull(nines, 0);
	nines[0] = '-';
	cmp_strtoull(nines, 10);
	ck_assert_uint_eq(rt_strtoull("42", NULL, 10), 42);
}
END_TEST

/* Bases outside 0 and 2-36: 0, EINVAL and end at s (glibc leaves end). */
START_TEST(strtoull_bad_base)
{
	static const int bases[] = { 1, -1, 37, INT_MIN, INT_MAX };
	const char *s = "11";
	char *end;
	size_t i;

	for (i = 0; i < sizeof(bases) / sizeof(bases[0]); i++) {
		errno = 0;
		ck_assert_uint_eq(strtoull(s, NULL, bases[i]), 0);
		ck_assert_int_eq(errno, EINVAL);
		rt_errno = 0;
		end = NULL;
		ck_assert_uint_eq(rt_strtoull(s, &end, bases[i]), 0);
		ck_assert_int_eq(rt_errno, EINVAL);
		ck_assert_ptr_eq(end, s);
	}
}
END_TEST

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static const struct {
	const char *a, *b;
} pairs[] = {
	{ "", "" }, { "", "a" }, { "a", "" }, { "abc", "abc" },
	{ "abc", "abd" }, { "abd", "abc" }, { "ab", "abc" }, { "abc", "ab" },
	{ "\x80", "a" }, { "a", "\x80" }, { "\xff", "\x80" },
	{ "\x7f", "\x80" }, { "x\xff", "x\x01" }, { "ABC", "abc" },
	{ "a", "B" }, { "B", "a" }, { "[", "a" }, { "a", "[" }, { "_", "A" },
	{ "`", "A" }, { "@", "`" }, { "Zebra", "apple" },
	{ "HELLO", "hellO" }, { "\xc3\xa9", "\xc3\x89" }, { "abc\xff", "ABC" },
	{ "ABC", "abc\xff" }, { "a\xe9", "A\xc9" },
};

START_TEST(compare_strcmp)
{
	size_t i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const char *a = pairs[i].a, *b = pairs[i].b;

		ck_assert_msg(sign(rt_strcmp(a, b)) == sign(strcmp(a, b)),
			      "strcmp(\"%s\", \"%s\")", a, b);
		ck_assert_msg(sign(rt_strcasecmp(a, b)) ==
			      sign(strcasecmp(a, b)),
			      "strcasecmp(\"%s\", \"%s\")", a, b);
	}
	ck_assert_int_eq(rt_strcasecmp("ABC", "abc"), 0);
	ck_assert_int_lt(rt_strcasecmp("a", "B"), 0);
	ck_assert_int_lt(rt_strcasecmp("[", "a"), 0);
	ck_assert_int_gt(rt_strcmp("\x80", "a"), 0);
}
END_TEST

START_TEST(compare_strncmp)
{
	static const size_t ns[] = { 0, 1, 2, 3, 4, 10, SIZE_MAX };
	size_t i, j;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const char *a = pairs[i].a, *b = pairs[i].b;

		for (j = 0; j < sizeof(ns) / sizeof(ns[0]); j++)
			ck_assert_msg(sign(rt_strncmp(a, b, ns[j])) ==
				      sign(strncmp(a, b, ns[j])),
				      "strncmp(\"%s\", \"%s\", %zu)", a, b,
				      ns[j]);
	}
	ck_assert_int_eq(rt_strncmp("abc", "abd", 2), 0);
	ck_assert_int_eq(rt_strncmp("a", "b", 0), 0);
	ck_assert_int_lt(rt_strncmp("abc", "abd", 100), 0);
}
END_TEST

START_TEST(memory_copy_set)
{
	static const char src[] = "abc\0\xff\x80xyz";
	char w[16], g[16];
	size_t n;

	for (n = 0; n <= sizeof(src); n++) {
		memset(w, FILL, sizeof(w));
		memset(g, FILL, sizeof(g));
		memcpy(w, src, n);
		ck_assert_ptr_eq(rt_memcpy(g, src, n), g);
		ck_assert_mem_eq(g, w, sizeof(w));
		memset(w, 'x', n);
		ck_assert_ptr_eq(rt_memset(g, 'x', n), g);
		ck_assert_mem_eq(g, w, sizeof(w));
	}
	memset(w, 0x1ff, 5);
	rt_memset(g, 0x1ff, 5);
	ck_assert_mem_eq(g, w, sizeof(w));
	ck_assert_int_eq((unsigned char)g[4], 0xff);
	rt_memset(g, -1, 3);
	ck_assert_int_eq((unsigned char)g[2], 0xff);
	ck_assert_int_eq(g[5], 'x');
}
END_TEST

/* memmove over every overlap of a 12-byte window either way, and apart. */
START_TEST(memory_move)
{
	char w[40], g[40];	/* 12 before, the window, 12 after, slack */
	size_t n;
	int d;

	for (d = -12; d <= 12; d++) {
		for (n = 0; n <= 12; n++) {
			size_t i;

			for (i = 0; i < sizeof(w); i++)
				w[i] = g[i] = (char)('a' + i % 26);
			memmove(w + 12 + d, w + 12, n);
			ck_assert_ptr_eq(rt_memmove(g + 12 + d, g + 12, n),
					 g + 12 + d);
			ck_assert_msg(memcmp(w, g, sizeof(w)) == 0,
				      "memmove shift %d, %zu bytes", d, n);
		}
	}
}
END_TEST

/* The sign of memcmp, bytes compared as unsigned char, up to n only. */
START_TEST(memory_memcmp)
{
	static const struct { const char *a, *b; size_t n; } c[] = {
		{ "abc", "abc", 3 }, { "abc", "abd", 3 }, { "abd", "abc", 3 },
		{ "abc", "abd", 2 }, { "a\x80", "a\x7f", 2 },
		{ "a\x7f", "a\xff", 2 }, { "", "x", 0 }, { "a\0b", "a\0c", 3 },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int w = memcmp(c[i].a, c[i].b, c[i].n);
		int g = rt_memcmp(c[i].a, c[i].b, c[i].n);

		ck_assert_msg((w > 0) == (g > 0) && (w < 0) == (g < 0),
			      "memcmp case %zu: libc %d, rt %d", i, w, g);
	}
}
END_TEST

START_TEST(memory_memchr)
{
	static const char buf[] = "ab\0c\xff\x80" "d";
	static const int cs[] = { 'a', 'c', 'd', 0, 0xff, -1, 0x1ff, 0x80,
				  -128, 'z' };
	size_t i, n;

	for (i = 0; i < sizeof(cs) / sizeof(cs[0]); i++)
		for (n = 0; n <= sizeof(buf); n++)
			ck_assert_msg(rt_memchr(buf, cs[i], n) ==
				      memchr(buf, cs[i], n),
				      "memchr(buf, %d, %zu)", cs[i], n);
	ck_assert_ptr_eq(rt_memchr(buf, 0xff, sizeof(buf)), buf + 4);
	ck_assert_ptr_eq(rt_memchr(buf, -1, sizeof(buf)), buf + 4);
	ck_assert_ptr_null(rt_memchr(buf, 'd', 6));
	ck_assert_ptr_null(rt_memchr(buf, 'z', sizeof(buf)));
}
END_TEST

START_TEST(memory_strlen_strchr)
{
	static const char *const strs[] = { "", "a", "hello world",
					    "\xff\x80", "a\xff b" };
	static const int cs[] = { 'a', 'l', 'o', ' ', 'z', 0, 0xff, -1,
				  0x100, 0x80 };
	size_t i, j;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		const char *s = strs[i];

		ck_assert_uint_eq(rt_strlen(s), strlen(s));
		for (j = 0; j < sizeof(cs) / sizeof(cs[0]); j++)
			ck_assert_msg(rt_strchr(s, cs[j]) == strchr(s, cs[j]),
				      "strchr(\"%s\", %d)", s, cs[j]);
	}
	ck_assert_ptr_eq(rt_strchr(strs[2], '\0'), strs[2] + 11);
	ck_assert_ptr_eq(rt_strchr(strs[2], 'l'), strs[2] + 2);
	ck_assert_ptr_null(rt_strchr(strs[2], 'z'));
}
END_TEST

START_TEST(strerror_range)
{
	char unknown[32];
	int e;

	for (e = 0; e <= 133; e++) {
		const char *r = rt_strerror(e);

		snprintf(unknown, sizeof(unknown), "Unknown error %d", e);
		ck_assert_msg(strcmp(r, strerror(e)) == 0 ||
			      strcmp(r, unknown) == 0,
			      "strerror(%d): libc \"%s\", rt \"%s\"", e,
			      strerror(e), r);
	}
	ck_assert_str_eq(rt_strerror(9999), "Unknown error 9999");
	ck_assert_str_eq(rt_strerror(-1), "Unknown error -1");
	ck_assert_str_eq(rt_strerror(INT_MIN), "Unknown error -2147483648");
}
END_TEST

/* The errors opening and reading a segment can give, word for word. */
START_TEST(strerror_exact)
{
	static const int errs[] = { 0, EPERM, ENOENT, EINTR, EIO, ENXIO,
		E2BIG, EBADF, EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY, EEXIST,
		ENODEV, ENOTDIR, EISDIR, EINVAL, ENFILE, EMFILE, ETXTBSY,
		EFBIG, ENOSPC, ESPIPE, EROFS, EPIPE, ERANGE, ENAMETOOLONG,
		ENOSYS, ELOOP, EOVERFLOW, EOPNOTSUPP, ESTALE, EDQUOT };
	size_t i;

	for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
		ck_assert_msg(strcmp(rt_strerror(errs[i]),
				     strerror(errs[i])) == 0,
			      "strerror(%d): libc \"%s\", rt \"%s\"", errs[i],
			      strerror(errs[i]), rt_strerror(errs[i]));
}
END_TEST

static Suite *rt_suite(void)
{
	Suite *s = suite_create("rt");
	TCase *t;

#define TC(name, ...) do {						\
	t = tcase_create(name);						\
	__VA_ARGS__							\
	suite_add_tcase(s, t);						\
} while (0)
#define T(fn) tcase_add_test(t, fn);
	TC("printf", T(printf_conversions) T(printf_flags)
	   T(printf_overridden)
	   T(printf_width_precision) T(printf_lengths) T(printf_pointers)
	   T(printf_strings) T(printf_project_formats) T(printf_va_list));
	TC("printf-unsupported", T(printf_unsupported)
	   T(printf_unsupported_cut));
	TC("strtoull", T(strtoull_bases) T(strtoull_cases)
	   T(strtoull_bad_base));
	TC("compare", T(compare_strcmp) T(compare_strncmp));
	TC("memory", T(memory_copy_set) T(memory_move) T(memory_memcmp)
	   T(memory_memchr)
	   T(memory_strlen_strchr));
	TC("strerror", T(strerror_range) T(strerror_exact));
#undef T
#undef TC
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(rt_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
