/* SPDX-License-Identifier: MIT */
/*
 * The verdict's text builder: appends pieces under the first-line and total
 * limits, cuts with "..." and neutralizes control bytes.  Also the age
 * humanizer every rule uses.
 */
#include <stdio.h>
#include <string.h>

#include "reader/text.h"

/* The last line may end here: the printer's final newline keeps the whole
 * output under RDR_TEXT_MAX. */
#define TEXT_LIMIT	(RDR_TEXT_MAX - 2)
/* Likewise the first line, so that with its newline it stays under
 * RDR_LINE_MAX. */
#define LINE_LIMIT	(RDR_LINE_MAX - 2)

void rdr_text_reset(struct rdr_verdict *v, int healthy, enum rdr_rule rule)
{
	v->healthy = healthy;
	v->rule = rule;
	v->len = 0;
	v->text[0] = '\0';
	v->limit = LINE_LIMIT;
	v->line_cut = 0;
	v->full = 0;
}

static int utf8_continuation(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/*
 * Ends the current line in "..." within its limit.  Backs up to the start of
 * a UTF-8 sequence so a cut never leaves half a character for a terminal or
 * a JSON consumer of `docker inspect` to choke on.
 */
static void text_cut(struct rdr_verdict *v)
{
	size_t keep = v->limit - 3;

	if (keep > v->len)
		keep = v->len;
	while (keep > 0 && utf8_continuation(v->text[keep]))
		keep--;
	memcpy(v->text + keep, "...", 4);
	v->len = keep + 3;
	v->line_cut = 1;
	if (v->limit == TEXT_LIMIT)
		v->full = 1;
}

void rdr_text_put(struct rdr_verdict *v, const char *s, size_t n)
{
	size_t room = v->limit - v->len;
	size_t i, take = n < room ? n : room;

	if (v->full || v->line_cut)
		return;
	/* Segment strings are untrusted: a newline would forge a line of
	 * output, an escape sequence would reach whoever reads it. */
	for (i = 0; i < take; i++) {
		unsigned char c = (unsigned char)s[i];

		v->text[v->len++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	v->text[v->len] = '\0';
	if (take < n)
		text_cut(v);
}

void rdr_text_vprintf(struct rdr_verdict *v, const char *fmt, va_list ap)
{
	/* Static, not on the stack (see main.c); the programs that use this
	 * are single-threaded. */
	static char buf[RDR_TEXT_MAX];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0)
		return;
	/* Longer than buf is longer than any line: put() cuts it. */
	rdr_text_put(v, buf, (size_t)n < sizeof(buf) ? (size_t)n
						      : sizeof(buf) - 1);
}

void rdr_text_printf(struct rdr_verdict *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rdr_text_vprintf(v, fmt, ap);
	va_end(ap);
}

void rdr_text_newline(struct rdr_verdict *v)
{
	if (v->full)
		return;
	v->limit = TEXT_LIMIT;
	v->line_cut = 0;
	/* A line needs room for at least "..." after its newline. */
	if (v->len + 1 + 3 > v->limit) {
		v->full = 1;
		return;
	}
	v->text[v->len++] = '\n';
	v->text[v->len] = '\0';
}

size_t rdr_text_room(const struct rdr_verdict *v)
{
	if (v->full || v->line_cut)
		return 0;
	return v->limit - v->len;
}

void rdr_text_detail(struct rdr_verdict *v, const char *label, const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return;
	rdr_text_put(v, ": ", 2);
	rdr_text_put(v, s, n);
	if (!v->line_cut)
		return;
	rdr_text_newline(v);
	rdr_text_printf(v, "%s: ", label);
	rdr_text_put(v, s, n);
}

const char *rdr_humanize(int64_t ns, char buf[RDR_AGE_LEN])
{
	long long s = ns > 0 ? (long long)(ns / 1000000000) : 0;

	if (s < 60)
		snprintf(buf, RDR_AGE_LEN, "%llds", s);
	else if (s < 3600)
		snprintf(buf, RDR_AGE_LEN, "%lldm", s / 60);
	else if (s < 86400)
		snprintf(buf, RDR_AGE_LEN, "%lldh", s / 3600);
	else
		snprintf(buf, RDR_AGE_LEN, "%lldd", s / 86400);
	return buf;
}
