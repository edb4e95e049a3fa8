/* SPDX-License-Identifier: MIT */
/*
 * Builds a verdict's text within its limits: the first line under
 * RPT_LINE_MAX, the whole under the buffer's size (RPT_TEXT_MAX for a
 * whole answer).  What does not fit ends in
 * "..." (never inside a UTF-8 sequence); control characters, bidi
 * controls and ill-formed UTF-8 from the segment become '?'
 * (rpt_utf8_safe()) so no field can forge a line, a terminal escape or
 * reorder what is shown.
 */
#ifndef SHMHEALTH_REPORT_TEXT_H
#define SHMHEALTH_REPORT_TEXT_H

#include <stdarg.h>
#include <stddef.h>

#include "report/verdict.h"

/* Empties v and starts its first line. */
void rpt_text_reset(struct rpt_verdict *v, int healthy, enum rpt_rule rule);

/* Appends n bytes of s to the current line, each character
 * rpt_utf8_safe() refuses made one '?'. */
void rpt_text_put(struct rpt_verdict *v, const char *s, size_t n);

/* Appends a formatted piece to the current line, as rpt_text_put(). */
void rpt_text_printf(struct rpt_verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void rpt_text_vprintf(struct rpt_verdict *v, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Starts a new line; later lines share the buffer's budget. */
void rpt_text_newline(struct rpt_verdict *v);

/* Room left on the current line, in bytes. */
size_t rpt_text_room(const struct rpt_verdict *v);

/*
 * Appends ": " and the text s; if that cut the line short, repeats it whole
 * on a line of its own as "label: s", so nothing the publisher said is lost
 * beyond the first line.  Nothing when s is empty.
 */
void rpt_text_detail(struct rpt_verdict *v, const char *label, const char *s);

#endif
