/* SPDX-License-Identifier: MIT */
/*
 * The report the formats share (judge a snapshot once, format it any way),
 * the dispatch between formats, the exit status each implies, and the text
 * format: the verdict's own lines.
 */
#include <string.h>

#include "report/fmt.h"

void rpt_build(struct rpt_report *r, const char *segment,
		      const struct shmh_status *st, int64_t now_mono_ns,
		      const struct rpt_judge *o)
{
	r->segment = segment;
	r->result = SHMH_OK;
	r->st = st;
	r->now_mono_ns = now_mono_ns;
	memset(&r->policy, 0, sizeof(r->policy));
	r->max_age_ms = 0;
	memset(&r->thr, 0, sizeof(r->thr));
	rpt_verdict(st, now_mono_ns, o, &r->verdict);
	/* An invalid snapshot's policy and interval are not to be shown. */
	if (!rpt_trusted(r))
		return;
	rpt_policy_effective(&st->policy, &o->ov, &r->policy);
	r->max_age_ms = rpt_max_age_ms(st, o);
	r->thr = o->thr;
}

void rpt_failed(struct rpt_report *r, const char *segment, int result,
		       int64_t now_mono_ns)
{
	r->segment = segment;
	r->result = result;
	r->st = NULL;
	r->now_mono_ns = now_mono_ns;
	memset(&r->policy, 0, sizeof(r->policy));
	r->max_age_ms = 0;
	memset(&r->thr, 0, sizeof(r->thr));
}

int rpt_trusted(const struct rpt_report *r)
{
	return r->result == SHMH_OK && r->st != NULL &&
	       r->verdict.rule != RPT_RULE_SEGMENT;
}

const char *rpt_rule_name(enum rpt_rule rule)
{
	switch (rule) {
	case RPT_RULE_SEGMENT: return "segment";
	case RPT_RULE_HEARTBEAT: return "heartbeat";
	case RPT_RULE_STOPPED: return "stopped";
	case RPT_RULE_STARTING: return "starting";
	case RPT_RULE_CHECK: return "check";
	case RPT_RULE_UPDATES: return "updates";
	case RPT_RULE_PROBE: return "probe";
	case RPT_RULE_OK: return "ok";
	}
	return "unknown";
}

int rpt_known(const struct rpt_report *r)
{
	const struct shmh_check *c = &r->st->update;

	return !rpt_check_off(c) && c->last_success_mono_ns != 0;
}

/* The state pending updates give: each threshold given decides its own
 * state, one not given keeps what the verdict says. */
static enum rpt_nagios_state updates_state(const struct rpt_report *r)
{
	const struct rpt_thresholds *t = &r->thr;
	uint32_t n;
	int unhealthy = !r->verdict.healthy &&
			r->verdict.rule == RPT_RULE_UPDATES;

	if (!rpt_known(r))
		return RPT_NAGIOS_OK;
	n = rpt_counted_updates(r->st, &r->policy);
	if (t->have_critical ? n > t->critical :
	    unhealthy && r->st->update.security > 0)
		return RPT_NAGIOS_CRITICAL;
	if (t->have_warning ? n > t->warning : unhealthy)
		return RPT_NAGIOS_WARNING;
	return RPT_NAGIOS_OK;
}

enum rpt_nagios_state rpt_nagios_state(const struct rpt_report *r)
{
	if (!rpt_trusted(r))
		return RPT_NAGIOS_UNKNOWN;
	switch (r->verdict.rule) {
	case RPT_RULE_STOPPED:
	case RPT_RULE_HEARTBEAT:
	case RPT_RULE_PROBE:
		return RPT_NAGIOS_CRITICAL;
	case RPT_RULE_STARTING:
		return r->verdict.healthy ? RPT_NAGIOS_OK : RPT_NAGIOS_UNKNOWN;
	case RPT_RULE_UPDATES:
	case RPT_RULE_OK:
		return updates_state(r);
	case RPT_RULE_SEGMENT:
	case RPT_RULE_CHECK:
		break;
	}
	return RPT_NAGIOS_UNKNOWN;
}

int rpt_format_exit(enum rpt_format f, const struct rpt_report *r)
{
	if (f == RPT_FMT_NAGIOS)
		return (int)rpt_nagios_state(r);
	return r->verdict.healthy ? 0 : 1;
}

/* The verdict already keeps its own limits (verdict.h): the first line
 * under RPT_LINE_MAX, all of it with a newline under RPT_TEXT_MAX. */
size_t rpt_fmt_text(const struct rpt_report *r, char *buf, size_t len)
{
	const struct rpt_verdict *v = &r->verdict;
	size_t n = v->len;

	if (len == 0)
		return 0;
	if (n > len - 1)
		n = len - 1;
	memcpy(buf, v->text, n);
	if (n < len - 1)
		buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

size_t rpt_format(enum rpt_format f, const struct rpt_report *r, char *buf,
		  size_t len)
{
	switch (f) {
	case RPT_FMT_JSON:
		return rpt_fmt_json(r, buf, len);
	case RPT_FMT_PROMETHEUS:
		return rpt_fmt_prometheus(r, buf, len);
	case RPT_FMT_NAGIOS:
		return rpt_fmt_nagios(r, buf, len);
	case RPT_FMT_TEXT:
		break;
	}
	return rpt_fmt_text(r, buf, len);
}
