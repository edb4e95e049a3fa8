/* SPDX-License-Identifier: MIT */
/*
 * The run-time's snprintf: the integer, character, string and pointer
 * conversions of C99 with every flag, width, precision and length they
 * take; no floating point, %n or wide characters (rt.h).  Output is cut at
 * len - 1 bytes and always terminated when len > 0; the return value is
 * the length the whole output would have had, as C says.
 */
#include <limits.h>
#include <stdint.h>

#include "reader/rt/rt.h"

struct out {
	char *buf;
	size_t len;	/* the buffer's size */
	size_t n;	/* bytes the output has had, written or not */
};

static void put(struct out *o, char c)
{
	if (o->n + 1 < o->len)
		o->buf[o->n] = c;
	o->n++;
}

static void pad(struct out *o, char c, long long count)
{
	for (; count > 0; count--)
		put(o, c);
}

struct spec {
	int minus, plus, space, alt, zero;
	int width;
	int prec;	/* -1: none given */
	char conv;
};

/* Writes body (blen bytes) behind prefix and zeros, padded to the width;
 * long long, so that a width or precision near INT_MAX cannot overflow. */
static void field(struct out *o, const struct spec *sp, const char *prefix,
		  const char *body, int blen, long long zeros)
{
	int plen = (int)RT_NAME(strlen)(prefix);
	long long total = plen + zeros + blen;
	int i;

	if (!sp->minus)
		pad(o, ' ', sp->width - total);
	for (i = 0; i < plen; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	for (i = 0; i < blen; i++)
		put(o, body[i]);
	if (sp->minus)
		pad(o, ' ', sp->width - total);
}

static void integer(struct out *o, const struct spec *sp, uintmax_t v, int neg)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	const char *digits = sp->conv == 'X' ? upper : lower;
	unsigned base = sp->conv == 'o' ? 8 :
			sp->conv == 'x' || sp->conv == 'X' || sp->conv == 'p' ?
			16 : 10;
	char body[3 * sizeof(uintmax_t)], prefix[3] = "";
	int blen = 0, zeros = 0;
	uintmax_t u = v;

	for (; u != 0; u /= base)
		body[sizeof(body) - 1 - blen++] = digits[u % base];
	if (neg)
		prefix[0] = '-';
	else if (sp->plus && (sp->conv == 'd' || sp->conv == 'i'))
		prefix[0] = '+';
	else if (sp->space && (sp->conv == 'd' || sp->conv == 'i'))
		prefix[0] = ' ';
	if ((sp->alt && (sp->conv == 'x' || sp->conv == 'X') && v != 0) ||
	    sp->conv == 'p') {
		prefix[0] = '0';
		prefix[1] = sp->conv == 'X' ? 'X' : 'x';
	}
	if (sp->prec >= 0)
		zeros = sp->prec - blen;	/* "0" with precision 0 is "" */
	else if (blen == 0)
		zeros = 1;
	if (sp->alt && sp->conv == 'o' && zeros <= 0 &&
	    (blen == 0 || body[sizeof(body) - blen] != '0'))
		zeros = 1;
	if (zeros < 0)
		zeros = 0;
	if (sp->zero && !sp->minus && sp->prec < 0) {
		int room = sp->width - (int)RT_NAME(strlen)(prefix) - blen;

		if (room > zeros)
			zeros = room;
	}
	field(o, sp, prefix, body + sizeof(body) - blen, blen, zeros);
}

static void string(struct out *o, const struct spec *sp, const char *s)
{
	int n = 0;

	if (s == NULL)
		s = "(null)";
	/* With a precision the array need not be terminated: look no further. */
	while ((sp->prec < 0 || n < sp->prec) && s[n] != '\0')
		n++;
	field(o, sp, "", s, n, 0);
}

/* A width or precision in digits at *p; one past INT_MAX stays INT_MAX. */
static int number(const char **p)
{
	int v = 0;

	for (; **p >= '0' && **p <= '9'; (*p)++)
		v = v > (INT_MAX - 9) / 10 ? INT_MAX : v * 10 + (**p - '0');
	return v;
}

/* Reads the flags, width and precision at *f and moves past them. */
static void read_spec(const char **f, struct spec *sp, va_list *ap)
{
	const char *p = *f;

	for (;; p++) {
		if (*p == '-')
			sp->minus = 1;
		else if (*p == '+')
			sp->plus = 1;
		else if (*p == ' ')
			sp->space = 1;
		else if (*p == '#')
			sp->alt = 1;
		else if (*p == '0')
			sp->zero = 1;
		else
			break;
	}
	if (*p == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->minus = 1;
			sp->width = sp->width == INT_MIN ? 0 : -sp->width;
		}
		p++;
	}
	if (*p >= '0' && *p <= '9')
		sp->width = number(&p);
	if (*p == '.') {
		p++;
		if (*p == '*') {
			sp->prec = va_arg(*ap, int);
			if (sp->prec < 0)
				sp->prec = -1;	/* as if none was given */
			p++;
		} else {
			sp->prec = number(&p);	/* "." alone is 0 */
		}
	}
	*f = p;
}

/* The length modifier's argument class: 0 int, 1 long, 2 long long,
 * 3 intmax_t, 4 size_t, 5 ptrdiff_t, -1 char, -2 short. */
static int read_length(const char **f)
{
	const char *p = *f;
	int l = 0;

	if (p[0] == 'h')
		l = p[1] == 'h' ? -1 : -2;
	else if (p[0] == 'l')
		l = p[1] == 'l' ? 2 : 1;
	else if (p[0] == 'j')
		l = 3;
	else if (p[0] == 'z')
		l = 4;
	else if (p[0] == 't')
		l = 5;
	*f = p + (l == -1 || l == 2 ? 2 : l != 0);
	return l;
}

static intmax_t signed_arg(int l, va_list *ap)
{
	switch (l) {
	case 1: return va_arg(*ap, long);
	case 2: return va_arg(*ap, long long);
	case 3: return va_arg(*ap, intmax_t);
	case 4: return (intmax_t)va_arg(*ap, size_t);
	case 5: return va_arg(*ap, ptrdiff_t);
	case -1: return (signed char)va_arg(*ap, int);
	case -2: return (short)va_arg(*ap, int);
	default: return va_arg(*ap, int);
	}
}

static uintmax_t unsigned_arg(int l, va_list *ap)
{
	switch (l) {
	case 1: return va_arg(*ap, unsigned long);
	case 2: return va_arg(*ap, unsigned long long);
	case 3: return va_arg(*ap, uintmax_t);
	case 4: return va_arg(*ap, size_t);
	case 5: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	case -1: return (unsigned char)va_arg(*ap, unsigned);
	case -2: return (unsigned short)va_arg(*ap, unsigned);
	default: return va_arg(*ap, unsigned);
	}
}

/* One conversion at *f (past the '%'); 0, or -1 for one it does not do. */
static int convert(struct out *o, const char **f, va_list *ap)
{
	struct spec sp = { .prec = -1 };
	int l;
	char c;

	read_spec(f, &sp, ap);
	l = read_length(f);
	sp.conv = *(*f)++;
	switch (sp.conv) {
	case 'd': case 'i': {
		intmax_t v = signed_arg(l, ap);

		integer(o, &sp, v < 0 ? -(uintmax_t)v : (uintmax_t)v, v < 0);
		return 0;
	}
	case 'u': case 'o': case 'x': case 'X':
		integer(o, &sp, unsigned_arg(l, ap), 0);
		return 0;
	case 'p':
		integer(o, &sp, (uintptr_t)va_arg(*ap, void *), 0);
		return 0;
	case 'c':
		if (l != 0)
			return -1;
		c = (char)va_arg(*ap, int);
		field(o, &sp, "", &c, 1, 0);
		return 0;
	case 's':
		if (l != 0)
			return -1;
		string(o, &sp, va_arg(*ap, const char *));
		return 0;
	case '%':
		put(o, '%');
		return 0;
	default:
		return -1;
	}
}

int RT_NAME(vsnprintf)(char *restrict buf, size_t len, const char *restrict fmt,
		       va_list ap)
{
	struct out o = { buf, len, 0 };
	const char *f = fmt;
	va_list aq;

	va_copy(aq, ap);
	while (*f != '\0') {
		if (*f != '%') {
			put(&o, *f++);
			continue;
		}
		f++;
		if (convert(&o, &f, &aq) != 0) {
			put(&o, '?');
			break;
		}
	}
	va_end(aq);
	if (len > 0)
		buf[o.n < len ? o.n : len - 1] = '\0';
	return o.n > INT_MAX ? -1 : (int)o.n;
}

int RT_NAME(snprintf)(char *restrict buf, size_t len, const char *restrict fmt,
		      ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = RT_NAME(vsnprintf)(buf, len, fmt, ap);
	va_end(ap);
	return n;
}
