/* SPDX-License-Identifier: MIT */
/*
 * A bounded output buffer for the formats: pieces are appended whole or not
 * at all, the text stays NUL-terminated, and the size the whole output
 * would have taken is still counted, so a format can measure itself and
 * choose what to leave out.  Also the UTF-8 check the escapers share.
 */
#ifndef SHMHEALTH_REPORT_BUF_H
#define SHMHEALTH_REPORT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct rpt_buf {
	char *p;
	size_t cap;	/* bytes usable for text: the array's size - 1 */
	size_t len;	/* bytes stored, p[len] == '\0' */
	size_t need;	/* bytes the output would take whole */
	int over;	/* a piece did not fit: nothing more is stored */
};

/* Starts an empty text in p[0..size).  size 0 (p may then be NULL) only
 * measures. */
void rpt_buf_init(struct rpt_buf *b, char *p, size_t size);

/* Appends n bytes of s as they are, or nothing once they do not fit. */
void rpt_buf_put(struct rpt_buf *b, const char *s, size_t n);

/* Appends the NUL-terminated s, as rpt_buf_put(). */
void rpt_buf_puts(struct rpt_buf *b, const char *s);

/* Appends a formatted piece (at most 255 bytes), as rpt_buf_put(). */
void rpt_buf_printf(struct rpt_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The length of the well-formed UTF-8 sequence starting at s (1 to 4
 * bytes, within n), or 0 if the bytes there are not one: a stray
 * continuation byte, a truncated sequence, an overlong form, a surrogate
 * or a code point past U+10FFFF (RFC 3629).  n must be at least 1.
 */
size_t rpt_utf8_len(const unsigned char *s, size_t n);

/*
 * Whether the character at s (n >= 1 bytes left) may be shown as it is:
 * its length if so, 0 if it must be shown as a single '?' instead.  Not
 * shown: C0 controls and DEL (U+0000-U+001F, U+007F), C1 controls
 * (U+0080-U+009F), the bidirectional formatting characters (U+061C,
 * U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and any ill-formed
 * sequence, a lead byte with the continuation bytes it took.  *used is
 * the bytes of s the character or '?' stands for.
 */
size_t rpt_utf8_safe(const unsigned char *s, size_t n, size_t *used);

#endif
