/* SPDX-License-Identifier: MIT */
/*
 * The verdict's text builder: appends pieces under the first-line and total
 * limits, cuts with "..." and neutralizes control characters.  Also the age
 * humanizer every rule uses.
 */
#include <stdio.h>
#include <string.h>

#include "report/buf.h"
#include "report/text.h"

/* The last line may end here: the printer's final newline keeps the whole
 * output under the buffer's size, RPT_TEXT_MAX for a whole answer. */
#define TEXT_LIMIT(v)	((v)->cap - 2)
/* Likewise the first line, so that with its newline it stays under
 * RPT_LINE_MAX. */
#define LINE_LIMIT	(RPT_LINE_MAX - 2)

void rpt_verdict_room(struct rpt_verdict *v, char *text, size_t cap)
{
	v->text = text;
	v->cap = cap;
	rpt_text_reset(v, 0, RPT_RULE_SEGMENT);
}

void rpt_text_reset(struct rpt_verdict *v, int healthy, enum rpt_rule rule)
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
static void text_cut(struct rpt_verdict *v)
{
	size_t keep = v->limit - 3;

	if (keep > v->len)
		keep = v->len;
	while (keep > 0 && utf8_continuation(v->text[keep]))
		keep--;
	memcpy(v->text + keep, "...", 4);
	v->len = keep + 3;
	v->line_cut = 1;
	if (v->limit == TEXT_LIMIT(v))
		v->full = 1;
}

void rpt_text_put(struct rpt_verdict *v, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t k, used;

	if (v->full || v->line_cut)
		return;
	/* Segment strings are untrusted: a newline would forge a line of
	 * output, an escape sequence or a bidi override would reach whoever
	 * reads it.  Each such character or bad sequence is one '?'. */
	while (n > 0) {
		k = rpt_utf8_safe(p, n, &used);
		if ((k > 0 ? k : 1) > v->limit - v->len) {
			v->text[v->len] = '\0';
			text_cut(v);
			return;
		}
		if (k == 0)
			v->text[v->len++] = '?';
		else
			memcpy(v->text + v->len, p, k);
		v->len += k;
		p += used;
		n -= used;
	}
	v->text[v->len] = '\0';
}

/*
 * A formatted piece, put() as one whole string: cleaned, and cut with
 * "..." where the line or the text ends.  The piece's buffer holds more
 * than any verdict's text, so a cut is always put()'s, never this one's.
 */
void rpt_text_vprintf(struct rpt_verdict *v, const char *fmt, va_list ap)
{
	char piece[RPT_TEXT_MAX];
	int n = vsnprintf(piece, sizeof(piece), fmt, ap);

	if (n < 0)
		return;
	rpt_text_put(v, piece, (size_t)n < sizeof(piece) ? (size_t)n :
		     sizeof(piece) - 1);
}

void rpt_text_printf(struct rpt_verdict *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rpt_text_vprintf(v, fmt, ap);
	va_end(ap);
}

void rpt_text_newline(struct rpt_verdict *v)
{
	if (v->full)
		return;
	v->limit = TEXT_LIMIT(v);
	v->line_cut = 0;
	/* A line needs room for at least "..." after its newline. */
	if (v->len + 1 + 3 > v->limit) {
		v->full = 1;
		return;
	}
	v->text[v->len++] = '\n';
	v->text[v->len] = '\0';
}

size_t rpt_text_room(const struct rpt_verdict *v)
{
	if (v->full || v->line_cut)
		return 0;
	return v->limit - v->len;
}

void rpt_text_detail(struct rpt_verdict *v, const char *label, const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return;
	rpt_text_put(v, ": ", 2);
	rpt_text_put(v, s, n);
	if (!v->line_cut)
		return;
	rpt_text_newline(v);
	rpt_text_printf(v, "%s: ", label);
	rpt_text_put(v, s, n);
}

const char *rpt_humanize(int64_t ns, char buf[RPT_AGE_LEN])
{
	static const struct { long long secs; char unit; } units[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' },
	};
	long long s = ns > 0 ? (long long)(ns / 1000000000) : 0;
	size_t i = 0;

	while (i + 1 < sizeof(units) / sizeof(units[0]) && s < units[i].secs)
		i++;
	/* At most 11 digits: INT64_MAX ns in seconds. */
	snprintf(buf, RPT_AGE_LEN, "%lld%c", s / units[i].secs, units[i].unit);
	return buf;
}
