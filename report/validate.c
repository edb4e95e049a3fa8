/* SPDX-License-Identifier: MIT */
/*
 * Rule 1's second half: a snapshot is untrusted input.  Any process that
 * can write the segment (or a publisher of another build) could put
 * anything in it, so every string, enum, count and time the verdict uses is
 * checked here first, and a bad one is an "invalid segment" answer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/text.h"
#include "report/verdict.h"

/* Beyond a day, a heartbeat interval is a corrupt field, not a setting. */
#define MAX_INTERVAL_MS		(24u * 3600u * 1000u)
/* More pending updates than any distribution has packages. */
#define MAX_PENDING		1000000u
/* A system index modified more than a century before boot is corrupt. */
#define MAX_BEFORE_BOOT_NS	(100LL * 366 * 24 * 3600 * 1000000000LL)
/* Clock readings of two processes may disagree by scheduling delays. */
#define FUTURE_SLACK_NS		1000000000LL

static int invalid(struct rpt_verdict *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int invalid(struct rpt_verdict *v, const char *fmt, ...)
{
	va_list ap;

	rpt_text_reset(v, 0, RPT_RULE_SEGMENT);
	rpt_text_put(v, "invalid segment: ", 17);
	va_start(ap, fmt);
	rpt_text_vprintf(v, fmt, ap);
	va_end(ap);
	return -1;
}

/* A string field is usable only if it ends within its array: otherwise
 * printing it would read past it. */
static int unterminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) == NULL;
}

/* A name list: terminated, its count bounded, omitted within the count. */
static int check_list(const char *field, const struct shmh_names *l,
		      struct rpt_verdict *v)
{
	if (l->count > MAX_PENDING)
		return invalid(v, "%s.count %u out of range", field, l->count);
	if (l->omitted > l->count)
		return invalid(v, "%s.omitted %u out of range", field,
			       l->omitted);
	if (unterminated(l->names, sizeof(l->names)))
		return invalid(v, "unterminated %s.names", field);
	return 0;
}

static int check_strings(const struct shmh_status *st, struct rpt_verdict *v)
{
	const struct shmh_check *c = &st->update;
	uint32_t i;

	if (unterminated(c->backend, sizeof(c->backend)))
		return invalid(v, "unterminated update.backend");
	if (unterminated(c->error, sizeof(c->error)))
		return invalid(v, "unterminated update.error");
	if (unterminated(c->names, sizeof(c->names)))
		return invalid(v, "unterminated update.names");
	if (unterminated(c->versions, sizeof(c->versions)))
		return invalid(v, "unterminated update.versions");
	if (check_list("update.security_names", &c->security_names, v) ||
	    check_list("update.held", &c->held, v) ||
	    check_list("update.phased", &c->phased, v) ||
	    check_list("update.blocked", &c->blocked, v))
		return -1;
	/* Only the probes in use: check_ranges() has bounded nprobes. */
	for (i = 0; i < st->nprobes; i++) {
		if (unterminated(st->probes[i].name,
				 sizeof(st->probes[i].name)))
			return invalid(v, "unterminated probes[%u].name", i);
		if (unterminated(st->probes[i].output,
				 sizeof(st->probes[i].output)))
			return invalid(v, "unterminated probes[%u].output", i);
	}
	return 0;
}

static int check_policy(const struct shmh_policy *p, struct rpt_verdict *v)
{
	if (p->on_updates > SHMH_ON_UPDATES_REPORT)
		return invalid(v, "policy.on_updates %u out of range",
			       p->on_updates);
	if (p->security_only > 1)
		return invalid(v, "policy.security_only %u out of range",
			       p->security_only);
	if (p->starting_healthy > 1)
		return invalid(v, "policy.starting_healthy %u out of range",
			       p->starting_healthy);
	if (p->grace_s < 0)
		return invalid(v, "negative policy.grace_s");
	if (p->max_success_age_s < 0)
		return invalid(v, "negative policy.max_success_age_s");
	return 0;
}

static int check_ranges(const struct shmh_status *st, struct rpt_verdict *v)
{
	const struct shmh_check *c = &st->update;

	if (st->state < SHMH_STATE_STARTING || st->state > SHMH_STATE_STOPPED)
		return invalid(v, "state %u out of range", st->state);
	if (st->heartbeat_interval_ms == 0 ||
	    st->heartbeat_interval_ms > MAX_INTERVAL_MS)
		return invalid(v, "heartbeat interval %ums out of range",
			       st->heartbeat_interval_ms);
	if (st->nprobes > SHMH_PROBES)
		return invalid(v, "%u probes, at most %d", st->nprobes,
			       SHMH_PROBES);
	if (c->pending > MAX_PENDING)
		return invalid(v, "update.pending %u out of range", c->pending);
	if (c->security < SHMH_SECURITY_UNKNOWN ||
	    (c->security > 0 && (uint32_t)c->security > c->pending))
		return invalid(v, "update.security %d out of range",
			       c->security);
	if (c->names_omitted > c->pending)
		return invalid(v, "update.names_omitted %u out of range",
			       c->names_omitted);
	if (c->security_names.count > c->pending)
		return invalid(v, "update.security_names.count %u out of range",
			       c->security_names.count);
	if ((c->flags & ~(uint32_t)SHMH_CHECK_FLAGS_ALL) != 0)
		return invalid(v, "update.flags %u out of range", c->flags);
	return check_policy(&st->policy, v);
}

/* A monotonic time is 0 (never) or a reading no later than now, give or
 * take the slack.  One from the future means another boot's clock or a
 * corrupt field; either way, ages computed from it would lie. */
static int check_time(const char *field, int64_t t, int64_t now,
		      struct rpt_verdict *v)
{
	char age[RPT_AGE_LEN];

	if (t < 0)
		return invalid(v, "negative %s time", field);
	if (t > now && t - now > FUTURE_SLACK_NS)
		return invalid(v, "%s %s in the future", field,
			       rpt_humanize(t - now, age));
	return 0;
}

/*
 * The index's time: as any other, except that the system's index (read as
 * it is) may predate boot, a negative monotonic time, within a bound that
 * keeps ages from overflowing.
 */
static int check_index_time(const struct shmh_check *c, int64_t now,
			    struct rpt_verdict *v)
{
	if (c->index_mono_ns >= 0 || !(c->flags & SHMH_CHECK_SYSTEM_INDEX))
		return check_time("update.index", c->index_mono_ns, now, v);
	if (c->index_mono_ns < -MAX_BEFORE_BOOT_NS)
		return invalid(v, "update.index too far before boot");
	return 0;
}

static int check_probe_times(const struct shmh_status *st, int64_t now,
			     struct rpt_verdict *v)
{
	char field[48];
	uint32_t i;

	for (i = 0; i < st->nprobes; i++) {
		snprintf(field, sizeof(field), "probes[%u].last_run", i);
		if (check_time(field, st->probes[i].last_run_mono_ns, now, v))
			return -1;
		snprintf(field, sizeof(field), "probes[%u].last_success", i);
		if (check_time(field, st->probes[i].last_success_mono_ns,
			       now, v))
			return -1;
	}
	return 0;
}

static int check_times(const struct shmh_status *st, int64_t now,
		       struct rpt_verdict *v)
{
	const struct shmh_check *c = &st->update;

	if (check_time("heartbeat", st->heartbeat_mono_ns, now, v) ||
	    check_time("started", st->started_mono_ns, now, v) ||
	    check_time("update.last_attempt", c->last_attempt_mono_ns, now,
		       v) ||
	    check_time("update.last_success", c->last_success_mono_ns, now,
		       v) ||
	    check_time("update.pending_since", c->pending_since_mono_ns, now,
		       v) ||
	    check_index_time(c, now, v))
		return -1;
	return check_probe_times(st, now, v);
}

int rpt_validate(const struct shmh_status *st, int64_t now_mono_ns,
		 struct rpt_verdict *v)
{
	/* Ranges first: the string checks rely on nprobes being bounded. */
	if (check_ranges(st, v) || check_strings(st, v) ||
	    check_times(st, now_mono_ns, v))
		return -1;
	return 0;
}
