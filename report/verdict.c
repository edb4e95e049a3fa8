/* SPDX-License-Identifier: MIT */
/*
 * The verdict rules of README.md, in order, on a validated snapshot.  Each
 * rule either decides (fills the verdict, returns 1) or passes (returns 0)
 * to the next; the last one, "ok", always decides.
 */
#include <stdio.h>
#include <string.h>

#include "report/names.h"
#include "report/text.h"
#include "report/verdict.h"

#define NS_PER_MS	1000000LL
#define NS_PER_S	1000000000LL

/* Whether age_ns exceeds limit units of unit_ns each; a limit too large to
 * express in nanoseconds is never exceeded. */
static int older_than(int64_t age_ns, uint64_t limit, int64_t unit_ns)
{
	if (limit > (uint64_t)(INT64_MAX / unit_ns))
		return 0;
	return age_ns > (int64_t)limit * unit_ns;
}

static const char *times_word(uint32_t n)
{
	return n == 1 ? "time" : "times";
}

/* Rule 3: a publisher that stopped beating is dead, hung or a zombie
 * (its pid may well still exist). */
static int rule_heartbeat(const struct shmh_status *st, int64_t now,
			  const struct rpt_judge *o, struct rpt_verdict *v)
{
	uint64_t max_ms = rpt_max_age_ms(st, o);
	char age[RPT_AGE_LEN];

	if (st->heartbeat_mono_ns == 0) {
		rpt_text_reset(v, 0, RPT_RULE_HEARTBEAT);
		rpt_text_printf(v, "publisher not running: no heartbeat yet");
		return 1;
	}
	if (!older_than(now - st->heartbeat_mono_ns, max_ms, NS_PER_MS))
		return 0;
	rpt_text_reset(v, 0, RPT_RULE_HEARTBEAT);
	rpt_text_printf(v, "publisher not running: last heartbeat %s ago",
			rpt_humanize(now - st->heartbeat_mono_ns, age));
	return 1;
}

/*
 * Rule 2, taken before rule 3 for a publisher that said it stopped: its
 * heartbeat is stale by nature, and "stopped" says more than "not running".
 * The last heartbeat is the time it stopped.
 */
static int rule_stopped(const struct shmh_status *st, int64_t now,
			struct rpt_verdict *v)
{
	char age[RPT_AGE_LEN];

	if (st->state != SHMH_STATE_STOPPED)
		return 0;
	rpt_text_reset(v, 0, RPT_RULE_STOPPED);
	rpt_text_printf(v, "publisher stopped (pid %d, %s ago)", st->pid,
			rpt_humanize(now - st->heartbeat_mono_ns, age));
	return 1;
}

/* Rule 4: a publisher on its way out whose heartbeat is still fresh. */
static int rule_stopping(const struct shmh_status *st, struct rpt_verdict *v)
{
	if (st->state != SHMH_STATE_STOPPING)
		return 0;
	rpt_text_reset(v, 0, RPT_RULE_STOPPED);
	rpt_text_printf(v, "publisher stopping (pid %d)", st->pid);
	return 1;
}

/*
 * Rule 5: the first probe past its allowed failures.  Before the update
 * check's rules, in every mode: a restart fixes a failing service now,
 * while a check that cannot see or pending updates wait for the network
 * or a rebuild; the service being down is what to say first.
 */
static int rule_probes(const struct shmh_status *st, struct rpt_verdict *v)
{
	const struct shmh_probe *pr;
	uint32_t i, retries;

	for (i = 0; i < st->nprobes; i++) {
		pr = &st->probes[i];
		retries = pr->retries ? pr->retries : 1;
		if (pr->consecutive_failures < retries)
			continue;
		rpt_text_reset(v, 0, RPT_RULE_PROBE);
		rpt_text_printf(v, "probe %s failing (%u %s)", pr->name,
				pr->consecutive_failures,
				times_word(pr->consecutive_failures));
		if (pr->output[0] != '\0')
			rpt_text_detail(v, "output", pr->output);
		else if (pr->status < 0)
			rpt_text_printf(v, ": killed by signal %lld",
					-(long long)pr->status);
		else
			rpt_text_printf(v, ": exit status %d", pr->status);
		return 1;
	}
	return 0;
}

int rpt_check_off(const struct shmh_check *c)
{
	return (c->flags & SHMH_CHECK_OFF) != 0;
}

/*
 * How long after the publisher started a first check may run before it is
 * overdue, in ns: --max-check-age, or its timeout (with the heartbeat's
 * slack, as the kill and the record take a moment), whichever is sooner.
 * 0: no limit.
 */
static int64_t starting_limit_ns(const struct shmh_status *st,
				 const struct shmh_policy *p,
				 const struct rpt_judge *o)
{
	uint64_t slack_ms = rpt_max_age_ms(st, o);
	int64_t limit = 0, t;

	if (p->max_success_age_s > 0 &&
	    p->max_success_age_s < INT64_MAX / NS_PER_S)
		limit = p->max_success_age_s * NS_PER_S;
	if (slack_ms > 86400000)
		slack_ms = 86400000;	/* no overflow below */
	if (st->update.timeout_s != 0) {
		t = (int64_t)st->update.timeout_s * NS_PER_S +
		    (int64_t)slack_ms * NS_PER_MS;
		if (limit == 0 || t < limit)
			limit = t;
	}
	return limit;
}

/* Rule 6: healthy by default, so a container is not marked unhealthy for
 * the minute its first package-index refresh takes.  That grace is for
 * the update check only: a failing probe (rule 5) has spoken already.
 * With no update check configured there is nothing to wait for.  It ends
 * at --max-check-age or the check's timeout: a first check that hangs
 * must not keep the container "starting" for ever. */
static int rule_starting(const struct shmh_status *st,
			 const struct shmh_policy *p,
			 const struct rpt_judge *o, int64_t now,
			 struct rpt_verdict *v)
{
	int64_t limit = starting_limit_ns(st, p, o);
	int64_t age = now - st->started_mono_ns;
	char dur[RPT_AGE_LEN];

	if (st->update.last_attempt_mono_ns != 0 || rpt_check_off(&st->update))
		return 0;
	if (limit != 0 && st->started_mono_ns != 0 && age > limit) {
		rpt_text_reset(v, 0, RPT_RULE_CHECK);
		rpt_text_printf(v, "update check stale: first update check %s "
				"after %s", st->update.running ?
				"still running" : "not finished",
				rpt_humanize(age, dur));
		return 1;
	}
	rpt_text_reset(v, p->starting_healthy == 1, RPT_RULE_STARTING);
	rpt_text_printf(v, "starting: first update check pending");
	return 1;
}

/*
 * Rule 7, past its limit: the age of what the last success read.  An
 * index has its own time (a refresh can fail while listing still works,
 * and a system index read as it is may be weeks old): count from it, and
 * say which time was measured.
 */
static int check_stale(const struct shmh_check *c, const struct shmh_policy *p,
		       int64_t now, struct rpt_verdict *v)
{
	int64_t since = c->index_mono_ns != 0 ? c->index_mono_ns :
			c->last_success_mono_ns;
	const char *what = "last success";
	char age[RPT_AGE_LEN];

	if (p->max_success_age_s == 0 ||
	    !older_than(now - since, (uint64_t)p->max_success_age_s, NS_PER_S))
		return 0;
	if (c->index_mono_ns != 0)
		what = c->flags & SHMH_CHECK_SYSTEM_INDEX ?
			"system package index last modified" :
			"package index refreshed";
	rpt_text_reset(v, 0, RPT_RULE_CHECK);
	rpt_text_printf(v, "update check stale: %s %s ago", what,
			rpt_humanize(now - since, age));
	rpt_text_detail(v, "error", c->error);
	return 1;
}

/*
 * Rule 7: a check that could not see is a failed check.  One that has
 * finished but never succeeded knows nothing about updates (rule 6 took
 * the case where none finished), so "ok" would be a guess; past the
 * policy's limits, a check that keeps failing or reads an old index would
 * report stale news.
 */
static int rule_check(const struct shmh_status *st, const struct shmh_policy *p,
		      int64_t now, struct rpt_verdict *v)
{
	const struct shmh_check *c = &st->update;

	if (rpt_check_off(c))
		return 0;
	if (c->last_success_mono_ns == 0) {
		rpt_text_reset(v, 0, RPT_RULE_CHECK);
		rpt_text_printf(v, "update check failed");
		rpt_text_detail(v, "error", c->error);
		return 1;
	}
	if (check_stale(c, p, now, v))
		return 1;
	if (p->max_failures != 0 && c->consecutive_failures > p->max_failures) {
		rpt_text_reset(v, 0, RPT_RULE_CHECK);
		rpt_text_printf(v, "update check failing (%u %s)",
				c->consecutive_failures,
				times_word(c->consecutive_failures));
		rpt_text_detail(v, "error", c->error);
		return 1;
	}
	return 0;
}

uint32_t rpt_counted_updates(const struct shmh_status *st,
			     const struct shmh_policy *p)
{
	const struct shmh_check *c = &st->update;

	if (!p->security_only)
		return c->pending;
	return c->security > 0 ? (uint32_t)c->security : 0;
}

/* Whether the pending set is older than the grace period.  Without its
 * first-seen time, the success that found it is the best estimate. */
static int grace_over(const struct shmh_status *st, const struct shmh_policy *p,
		      int64_t now)
{
	const struct shmh_check *c = &st->update;
	int64_t since = c->pending_since_mono_ns;

	if (p->grace_s == 0)
		return 1;
	if (since == 0)
		since = c->last_success_mono_ns;
	if (p->grace_s > INT64_MAX / NS_PER_S)
		return 0;
	return now - since >= p->grace_s * NS_PER_S;
}

/* The names the headline lists: every pending one, or the security ones. */
static const char *headline_names(const struct shmh_check *c,
				  const struct shmh_policy *p,
				  uint32_t *omitted)
{
	if (p->security_only) {
		*omitted = c->security_names.omitted;
		return c->security_names.names;
	}
	*omitted = c->names_omitted;
	return c->names;
}

/* "Update(s) N available: names" with the seed's exact prefix, which
 * users grep for in `docker inspect`. */
int rpt_updates_headline(const struct shmh_status *st,
			 const struct shmh_policy *p, struct rpt_verdict *v)
{
	const struct shmh_check *c = &st->update;
	uint32_t omitted;
	const char *names = headline_names(c, p, &omitted);
	char sec[32] = "";
	size_t room;
	int all;

	/* Counting only security updates, all of them are: no "(K security)". */
	if (!p->security_only && c->security > 0)
		snprintf(sec, sizeof(sec), " (%d security)", c->security);
	rpt_text_printf(v, "Update(s) %u available",
			rpt_counted_updates(st, p));
	room = rpt_text_room(v);
	room = room > strlen(sec) ? room - strlen(sec) : 0;
	all = rpt_names_head(v, names, omitted, room);
	rpt_text_put(v, sec, strlen(sec));
	return all;
}

/* A line "held (N): names" for a withheld list that is not empty, cut and
 * counted as the first line's names are. */
#define WITHHELD_ROOM	(RPT_LINE_MAX - 2 - 20)

static void withheld_line(struct rpt_verdict *v, const char *word,
			  const struct shmh_names *l)
{
	size_t room;

	if (l->count == 0)
		return;
	rpt_text_newline(v);
	rpt_text_printf(v, "%s (%u)", word, l->count);
	room = rpt_text_room(v);
	rpt_names_head(v, l->names, l->omitted,
		       room < WITHHELD_ROOM ? room : WITHHELD_ROOM);
}

/* Upgradable packages an upgrade would not install: never counted as
 * pending, but an administrator's hold or a broken dependency is worth
 * seeing. */
static void withheld(struct rpt_verdict *v, const struct shmh_check *c)
{
	withheld_line(v, "held", &c->held);
	withheld_line(v, "phased", &c->phased);
	withheld_line(v, "blocked", &c->blocked);
}

/* Failures within the policy's limit keep the last good result: say how
 * old it is and why it was not renewed. */
static void kept_result(const struct shmh_status *st, int64_t now,
			struct rpt_verdict *v)
{
	const struct shmh_check *c = &st->update;
	const char *backend = c->backend[0] ? c->backend : "unknown";
	char age[RPT_AGE_LEN];

	rpt_text_printf(v, "as of %s ago (%s); last check failed",
			rpt_humanize(now - c->last_success_mono_ns, age),
			backend);
	rpt_text_detail(v, "error", c->error);
}

/* Rule 8: updates pending per policy; report-only says so, healthy. */
static int rule_updates(const struct shmh_status *st,
			const struct shmh_policy *p, int64_t now,
			struct rpt_verdict *v)
{
	const struct shmh_check *c = &st->update;
	uint32_t min = p->min_updates ? p->min_updates : 1, omitted;
	const char *names = headline_names(c, p, &omitted);

	if (rpt_check_off(c) || rpt_counted_updates(st, p) < min ||
	    !grace_over(st, p, now))
		return 0;
	rpt_text_reset(v, p->on_updates == SHMH_ON_UPDATES_REPORT,
		       RPT_RULE_UPDATES);
	/* Names cut from line 1 still reach `docker inspect`, below it. */
	if (!rpt_updates_headline(st, p, v))
		rpt_names_wrap(v, names, omitted);
	if (c->consecutive_failures > 0) {
		rpt_text_newline(v);
		kept_result(st, now, v);
	}
	withheld(v, c);
	return 1;
}

/* Rule 9: say what was checked and when, so "healthy" is not taken on
 * faith.  Rule 7 has made sure a check has succeeded. */
static void rule_ok(const struct shmh_status *st, int64_t now,
		    struct rpt_verdict *v)
{
	const struct shmh_check *c = &st->update;
	const char *backend = c->backend[0] ? c->backend : "unknown";
	char age[RPT_AGE_LEN];

	rpt_text_reset(v, 1, RPT_RULE_OK);
	if (rpt_check_off(c)) {
		rpt_text_printf(v, "ok: publisher running, update checks off");
		return;
	}
	if (c->pending == 0)
		rpt_text_printf(v, "ok: no updates pending");
	else
		rpt_text_printf(v, "ok: %u update(s) pending, within policy",
				c->pending);
	if (c->consecutive_failures > 0) {
		rpt_text_put(v, " ", 1);
		kept_result(st, now, v);
	} else {
		rpt_text_printf(v, " (%s, checked %s ago)", backend,
				rpt_humanize(now - c->last_success_mono_ns,
					     age));
	}
	withheld(v, c);
}

uint64_t rpt_max_age_ms(const struct shmh_status *st,
			const struct rpt_judge *o)
{
	if (o->max_age_ms != 0)
		return o->max_age_ms;
	return 3ull * st->heartbeat_interval_ms;
}

void rpt_policy_effective(const struct shmh_policy *published,
			  const struct rpt_overrides *ov,
			  struct shmh_policy *out)
{
	*out = *published;
	if (ov != NULL) {
		if (ov->set & RPT_OVR_ON_UPDATES)
			out->on_updates = ov->p.on_updates;
		if (ov->set & RPT_OVR_SECURITY_ONLY)
			out->security_only = ov->p.security_only;
		if (ov->set & RPT_OVR_MIN_UPDATES)
			out->min_updates = ov->p.min_updates;
		if (ov->set & RPT_OVR_MAX_FAILURES)
			out->max_failures = ov->p.max_failures;
		if (ov->set & RPT_OVR_GRACE)
			out->grace_s = ov->p.grace_s;
		if (ov->set & RPT_OVR_MAX_CHECK_AGE)
			out->max_success_age_s = ov->p.max_success_age_s;
		if (ov->set & RPT_OVR_STARTING)
			out->starting_healthy = ov->p.starting_healthy;
	}
	/* The rules read 0 as 1 (any update); say what they do. */
	if (out->min_updates == 0)
		out->min_updates = 1;
}

/*
 * The segment's own policy is validated as published, then the reader's
 * overrides are laid over a copy: an override cannot make a corrupt
 * segment trusted, and the segment is never written.
 */
void rpt_verdict(const struct shmh_status *st, int64_t now_mono_ns,
		 const struct rpt_judge *o, struct rpt_verdict *v)
{
	struct shmh_policy p;

	if (rpt_validate(st, now_mono_ns, v) != 0)
		return;
	rpt_policy_effective(&st->policy, &o->ov, &p);
	if (rule_stopped(st, now_mono_ns, v) ||
	    rule_heartbeat(st, now_mono_ns, o, v) ||
	    rule_stopping(st, v) ||
	    rule_probes(st, v) ||
	    rule_starting(st, &p, o, now_mono_ns, v) ||
	    rule_check(st, &p, now_mono_ns, v) ||
	    rule_updates(st, &p, now_mono_ns, v))
		return;
	rule_ok(st, now_mono_ns, v);
}
