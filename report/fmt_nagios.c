/* SPDX-License-Identifier: MIT */
/*
 * The Nagios format, after the Monitoring Plugins guidelines: one line
 * "SHMHEALTH STATE - reason | perfdata", the state also the exit status
 * (rpt_nagios_state()).  Perfdata is given once a check has succeeded:
 * updates=N;W;C;0, security=N;;;0 where the manager tells it, and
 * held, phased and blocked; the thresholds given sit on the count they
 * judge (security with --security-only).  Without a check configured
 * there is none.
 */
#include <string.h>

#include "report/buf.h"
#include "report/fmt.h"
#include "report/text.h"

static const char *const state_words[] = {
	[RPT_NAGIOS_OK] = "OK",
	[RPT_NAGIOS_WARNING] = "WARNING",
	[RPT_NAGIOS_CRITICAL] = "CRITICAL",
	[RPT_NAGIOS_UNKNOWN] = "UNKNOWN",
};

/* The verdict's first line, with '|' made '/': Nagios reads what follows
 * the first '|' as perfdata.  Control bytes are already '?' (text.c). */
static void reason(struct rpt_buf *b, const struct rpt_verdict *v)
{
	const char *nl = memchr(v->text, '\n', v->len);
	size_t n = nl != NULL ? (size_t)(nl - v->text) : v->len, i;

	for (i = 0; i < n; i++)
		rpt_buf_put(b, v->text[i] == '|' ? "/" : &v->text[i], 1);
}

/*
 * A threshold over updates the verdict finds within policy: the reason is
 * the updates headline, not "ok: ...", which would contradict the state.
 */
static void threshold_reason(struct rpt_buf *b, const struct rpt_report *r)
{
	char text[RPT_LINE_MAX];
	struct rpt_verdict h;

	rpt_verdict_room(&h, text, sizeof(text));
	rpt_updates_headline(r->st, &r->policy, &h);
	reason(b, &h);
}

/* label=N;W;C;0, each threshold only when set. */
static void perf(struct rpt_buf *b, const char *label, long long n,
		 const struct rpt_thresholds *t)
{
	rpt_buf_printf(b, " %s=%lld;", label, n);
	if (t != NULL && t->have_warning)
		rpt_buf_printf(b, "%u", t->warning);
	rpt_buf_put(b, ";", 1);
	if (t != NULL && t->have_critical)
		rpt_buf_printf(b, "%u", t->critical);
	rpt_buf_put(b, ";0", 2);
}

static void perfdata(struct rpt_buf *b, const struct rpt_report *r)
{
	const struct shmh_check *c = &r->st->update;
	int sec_only = r->policy.security_only != 0;

	if (!rpt_known(r))
		return;
	rpt_buf_put(b, " |", 2);
	perf(b, "updates", c->pending, sec_only ? NULL : &r->thr);
	if (c->security != SHMH_SECURITY_UNKNOWN)
		perf(b, "security", c->security, sec_only ? &r->thr : NULL);
	perf(b, "held", c->held.count, NULL);
	perf(b, "phased", c->phased.count, NULL);
	perf(b, "blocked", c->blocked.count, NULL);
}

size_t rpt_fmt_nagios(const struct rpt_report *r, char *buf, size_t len)
{
	size_t limit = len < RPT_FORMAT_MAX ? len : RPT_FORMAT_MAX;
	enum rpt_nagios_state state = rpt_nagios_state(r);
	struct rpt_buf b;

	rpt_buf_init(&b, buf, limit);
	rpt_buf_printf(&b, "SHMHEALTH %s - ", state_words[state]);
	if (state != RPT_NAGIOS_OK && r->verdict.rule == RPT_RULE_OK)
		threshold_reason(&b, r);
	else
		reason(&b, &r->verdict);
	if (rpt_trusted(r))
		perfdata(&b, r);
	rpt_buf_put(&b, "\n", 1);
	return b.len;
}
