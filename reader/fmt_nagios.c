/* SPDX-License-Identifier: MIT */
/*
 * The Nagios format, after the Monitoring Plugins guidelines: one line
 * "SHMHEALTH STATE - reason | perfdata", the state also the exit status
 * (rdr_nagios_state()).  Perfdata is given once a check has succeeded:
 * updates=N;;;0 and, where the manager tells them, security=N;;;0.
 */
#include <string.h>

#include "reader/buf.h"
#include "reader/fmt.h"

static const char *const state_words[] = {
	[RDR_NAGIOS_OK] = "OK",
	[RDR_NAGIOS_WARNING] = "WARNING",
	[RDR_NAGIOS_CRITICAL] = "CRITICAL",
	[RDR_NAGIOS_UNKNOWN] = "UNKNOWN",
};

/* The verdict's first line, with '|' made '/': Nagios reads what follows
 * the first '|' as perfdata.  Control bytes are already '?' (text.c). */
static void reason(struct rdr_buf *b, const struct rdr_verdict *v)
{
	const char *nl = memchr(v->text, '\n', v->len);
	size_t n = nl != NULL ? (size_t)(nl - v->text) : v->len, i;

	for (i = 0; i < n; i++)
		rdr_buf_put(b, v->text[i] == '|' ? "/" : &v->text[i], 1);
}

static void perfdata(struct rdr_buf *b, const struct shm_check *c)
{
	if (c->last_success_mono_ns == 0)
		return;
	rdr_buf_printf(b, " | updates=%u;;;0", c->pending);
	if (c->security != SHM_SECURITY_UNKNOWN)
		rdr_buf_printf(b, " security=%d;;;0", c->security);
}

size_t rdr_fmt_nagios(const struct rdr_report *r, char *buf, size_t len)
{
	size_t limit = len < RDR_FORMAT_MAX ? len : RDR_FORMAT_MAX;
	struct rdr_buf b;

	rdr_buf_init(&b, buf, limit);
	rdr_buf_printf(&b, "SHMHEALTH %s - ",
		       state_words[rdr_nagios_state(r)]);
	reason(&b, &r->verdict);
	if (rdr_report_trusted(r))
		perfdata(&b, &r->st->update);
	rdr_buf_put(&b, "\n", 1);
	return b.len;
}
