/* SPDX-License-Identifier: MIT */
/*
 * The report the formats share (judge a snapshot once, format it any way),
 * the dispatch between formats, the exit status each implies, and the text
 * format: the verdict's own lines.
 */
#include <string.h>

#include "reader/fmt.h"

void rdr_report_build(struct rdr_report *r, const char *segment,
		      const struct shm_status *st, int64_t now_mono_ns,
		      const struct rdr_options *o)
{
	r->segment = segment;
	r->result = SHM_OK;
	r->st = st;
	r->now_mono_ns = now_mono_ns;
	memset(&r->policy, 0, sizeof(r->policy));
	r->max_age_ms = 0;
	memset(&r->thr, 0, sizeof(r->thr));
	rdr_verdict(st, now_mono_ns, o, &r->verdict);
	/* An invalid snapshot's policy and interval are not to be shown. */
	if (!rdr_report_trusted(r))
		return;
	rdr_policy_effective(&st->policy, &o->ov, &r->policy);
	r->max_age_ms = rdr_max_age_ms(st, o);
	r->thr = o->thr;
}

void rdr_report_failed(struct rdr_report *r, const char *segment, int result,
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

int rdr_report_trusted(const struct rdr_report *r)
{
	return r->result == SHM_OK && r->st != NULL &&
	       r->verdict.rule != RDR_RULE_SEGMENT;
}

const char *rdr_rule_name(enum rdr_rule rule)
{
	switch (rule) {
	case RDR_RULE_SEGMENT: return "segment";
	case RDR_RULE_HEARTBEAT: return "heartbeat";
	case RDR_RULE_STOPPED: return "stopped";
	case RDR_RULE_STARTING: return "starting";
	case RDR_RULE_CHECK: return "check";
	case RDR_RULE_UPDATES: return "updates";
	case RDR_RULE_PROBE: return "probe";
	case RDR_RULE_OK: return "ok";
	}
	return "unknown";
}

int rdr_report_known(const struct rdr_report *r)
{
	const struct shm_check *c = &r->st->update;

	return !rdr_check_off(c) && c->last_success_mono_ns != 0;
}

/* The state pending updates give: each threshold given decides its own
 * state, one not given keeps what the verdict says. */
static enum rdr_nagios_state updates_state(const struct rdr_report *r)
{
	const struct rdr_thresholds *t = &r->thr;
	uint32_t n;
	int unhealthy = !r->verdict.healthy &&
			r->verdict.rule == RDR_RULE_UPDATES;

	if (!rdr_report_known(r))
		return RDR_NAGIOS_OK;
	n = rdr_counted_updates(r->st, &r->policy);
	if (t->have_critical ? n > t->critical :
	    unhealthy && r->st->update.security > 0)
		return RDR_NAGIOS_CRITICAL;
	if (t->have_warning ? n > t->warning : unhealthy)
		return RDR_NAGIOS_WARNING;
	return RDR_NAGIOS_OK;
}

enum rdr_nagios_state rdr_nagios_state(const struct rdr_report *r)
{
	if (!rdr_report_trusted(r))
		return RDR_NAGIOS_UNKNOWN;
	switch (r->verdict.rule) {
	case RDR_RULE_STOPPED:
	case RDR_RULE_HEARTBEAT:
	case RDR_RULE_PROBE:
		return RDR_NAGIOS_CRITICAL;
	case RDR_RULE_STARTING:
		return r->verdict.healthy ? RDR_NAGIOS_OK : RDR_NAGIOS_UNKNOWN;
	case RDR_RULE_UPDATES:
	case RDR_RULE_OK:
		return updates_state(r);
	case RDR_RULE_SEGMENT:
	case RDR_RULE_CHECK:
		break;
	}
	return RDR_NAGIOS_UNKNOWN;
}

int rdr_format_exit(enum rdr_format f, const struct rdr_report *r)
{
	if (f == RDR_FMT_NAGIOS)
		return (int)rdr_nagios_state(r);
	return r->verdict.healthy ? 0 : 1;
}

/* The verdict already keeps its own limits (verdict.h): the first line
 * under RDR_LINE_MAX, all of it with a newline under RDR_TEXT_MAX. */
size_t rdr_fmt_text(const struct rdr_report *r, char *buf, size_t len)
{
	const struct rdr_verdict *v = &r->verdict;
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

size_t rdr_format(enum rdr_format f, const struct rdr_report *r, char *buf,
		  size_t len)
{
	switch (f) {
	case RDR_FMT_JSON:
		return rdr_fmt_json(r, buf, len);
	case RDR_FMT_PROMETHEUS:
		return rdr_fmt_prometheus(r, buf, len);
	case RDR_FMT_NAGIOS:
		return rdr_fmt_nagios(r, buf, len);
	case RDR_FMT_TEXT:
		break;
	}
	return rdr_fmt_text(r, buf, len);
}
