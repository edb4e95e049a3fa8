/* SPDX-License-Identifier: MIT */
/*
 * The formats' bounded buffer and UTF-8 check (report/buf.h).  No stdio
 * stream, no heap: everything lands in the caller's array.
 */
#include <stdio.h>
#include <string.h>

#include "report/buf.h"

void rpt_buf_init(struct rpt_buf *b, char *p, size_t size)
{
	b->p = p;
	b->cap = size > 0 ? size - 1 : 0;
	b->len = 0;
	b->need = 0;
	b->over = size == 0;
	if (size > 0)
		p[0] = '\0';
}

/* Whole pieces only: a cut JSON string or metric line would be worse than
 * a missing one, and the formats check need to avoid both. */
void rpt_buf_put(struct rpt_buf *b, const char *s, size_t n)
{
	b->need += n;
	if (b->over || n > b->cap - b->len) {
		b->over = 1;
		return;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void rpt_buf_puts(struct rpt_buf *b, const char *s)
{
	rpt_buf_put(b, s, strlen(s));
}

void rpt_buf_printf(struct rpt_buf *b, const char *fmt, ...)
{
	char piece[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(piece, sizeof(piece), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	rpt_buf_put(b, piece, (size_t)n < sizeof(piece) ? (size_t)n :
		    sizeof(piece) - 1);
}

/* Bytes 2..4 of a sequence: 10xxxxxx. */
static int continuation(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

size_t rpt_utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;	/* continuation, overlong C0/C1, F5..FF */
	if (n < len)
		return 0;
	for (i = 1; i < len; i++)
		if (!continuation(s[i]))
			return 0;
	/* The second byte's range rules out overlongs, surrogates and
	 * code points past U+10FFFF. */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

/* Bytes a sequence led by c should take: 2 to 4, 1 for a byte that leads
 * none (a continuation, F8..FF). */
static size_t lead_len(unsigned char c)
{
	if (c >= 0xc0 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf7)
		return 4;
	return 1;
}

/* Whether the code point of the well-formed sequence s[0..len) is a C1
 * control or a bidirectional formatting character. */
static int unsafe_point(const unsigned char *s, size_t len)
{
	unsigned cp;

	if (len == 2) {
		cp = (unsigned)(s[0] & 0x1f) << 6 | (s[1] & 0x3f);
		return cp <= 0x9f || cp == 0x61c;
	}
	if (len != 3)
		return 0;
	cp = (unsigned)(s[0] & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 |
	     (s[2] & 0x3f);
	return cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

size_t rpt_utf8_safe(const unsigned char *s, size_t n, size_t *used)
{
	size_t len = rpt_utf8_len(s, n), want;

	if (len != 0) {
		*used = len;
		if (s[0] < 0x20 || s[0] == 0x7f || unsafe_point(s, len))
			return 0;
		return len;
	}
	/* One '?' for the lead byte and the continuation bytes it took. */
	want = lead_len(s[0]);
	for (len = 1; len < want && len < n && (s[len] & 0xc0) == 0x80; len++)
		;
	*used = len;
	return 0;
}
