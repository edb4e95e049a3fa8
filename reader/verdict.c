/* SPDX-License-Identifier: MIT */
/*
 * The verdict rules of DESIGN.md, in order, on a validated snapshot.  Each
 * rule either decides (fills the verdict, returns 1) or passes (returns 0)
 * to the next; the last one, "ok", always decides.
 */
#include <stdio.h>
#include <string.h>

#include "reader/names.h"
#include "reader/text.h"
#include "reader/verdict.h"

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

/* Rule 2: a publisher that stopped beating is dead, hung or a zombie
 * (NOTES.md: its pid may well still exist). */
static int rule_heartbeat(const struct shm_status *st, int64_t now,
			  const struct rdr_options *o, struct rdr_verdict *v)
{
	uint64_t max_ms = rdr_max_age_ms(st, o);
	char age[RDR_AGE_LEN];

	if (st->heartbeat_mono_ns == 0) {
		rdr_text_reset(v, 0, RDR_RULE_HEARTBEAT);
		rdr_text_printf(v, "publisher not running: no heartbeat yet");
		return 1;
	}
	if (!older_than(now - st->heartbeat_mono_ns, max_ms, NS_PER_MS))
		return 0;
	rdr_text_reset(v, 0, RDR_RULE_HEARTBEAT);
	rdr_text_printf(v, "publisher not running: last heartbeat %s ago",
			rdr_humanize(now - st->heartbeat_mono_ns, age));
	return 1;
}

/*
 * Rule 3, taken before rule 2 for a publisher that said it stopped: its
 * heartbeat is stale by nature, and "stopped" says more than "not running".
 * The last heartbeat is the time it stopped.
 */
static int rule_stopped(const struct shm_status *st, int64_t now,
			struct rdr_verdict *v)
{
	char age[RDR_AGE_LEN];

	if (st->state != SHM_STATE_STOPPED)
		return 0;
	rdr_text_reset(v, 0, RDR_RULE_STOPPED);
	rdr_text_printf(v, "publisher stopped (pid %d, %s ago)", st->pid,
			rdr_humanize(now - st->heartbeat_mono_ns, age));
	return 1;
}

/* Rule 3 for a publisher on its way out whose heartbeat is still fresh. */
static int rule_stopping(const struct shm_status *st, struct rdr_verdict *v)
{
	if (st->state != SHM_STATE_STOPPING)
		return 0;
	rdr_text_reset(v, 0, RDR_RULE_STOPPED);
	rdr_text_printf(v, "publisher stopping (pid %d)", st->pid);
	return 1;
}

/* Rule 7: the first probe past its allowed failures. */
static int rule_probes(const struct shm_status *st, struct rdr_verdict *v)
{
	const struct shm_probe *pr;
	uint32_t i, retries;

	for (i = 0; i < st->nprobes; i++) {
		pr = &st->probes[i];
		retries = pr->retries ? pr->retries : 1;
		if (pr->consecutive_failures < retries)
			continue;
		rdr_text_reset(v, 0, RDR_RULE_PROBE);
		rdr_text_printf(v, "probe %s failing (%u %s)", pr->name,
				pr->consecutive_failures,
				times_word(pr->consecutive_failures));
		if (pr->output[0] != '\0')
			rdr_text_detail(v, "output", pr->output);
		else if (pr->status < 0)
			rdr_text_printf(v, ": killed by signal %lld",
					-(long long)pr->status);
		else
			rdr_text_printf(v, ": exit status %d", pr->status);
		return 1;
	}
	return 0;
}

/* Rule 4: healthy by default, so a container is not marked unhealthy for
 * the minute its first package-index refresh takes.  That grace is for
 * the update check only: a failing probe (rule 7) still speaks. */
static int rule_starting(const struct shm_status *st,
			 const struct shm_policy *p, struct rdr_verdict *v)
{
	if (st->update.last_attempt_mono_ns != 0)
		return 0;
	if (p->starting_healthy == 1 && rule_probes(st, v))
		return 1;
	rdr_text_reset(v, p->starting_healthy == 1, RDR_RULE_STARTING);
	rdr_text_printf(v, "starting: first update check pending");
	return 1;
}

/* Rule 5: an update check that keeps failing knows nothing about updates;
 * past the policy's limits, say so rather than report stale news. */
static int rule_check(const struct shm_status *st, const struct shm_policy *p,
		      int64_t now, struct rdr_verdict *v)
{
	const struct shm_check *c = &st->update;
	int64_t since = c->last_success_mono_ns;
	char age[RDR_AGE_LEN];

	if (since == 0)
		since = st->started_mono_ns;
	if (p->max_success_age_s != 0 &&
	    older_than(now - since, (uint64_t)p->max_success_age_s, NS_PER_S)) {
		rdr_text_reset(v, 0, RDR_RULE_CHECK);
		rdr_text_printf(v, c->last_success_mono_ns != 0 ?
				"update check stale: last success %s ago" :
				"update check stale: no success in %s",
				rdr_humanize(now - since, age));
		rdr_text_detail(v, "error", c->error);
		return 1;
	}
	if (p->max_failures != 0 && c->consecutive_failures > p->max_failures) {
		rdr_text_reset(v, 0, RDR_RULE_CHECK);
		rdr_text_printf(v, "update check failing (%u %s)",
				c->consecutive_failures,
				times_word(c->consecutive_failures));
		rdr_text_detail(v, "error", c->error);
		return 1;
	}
	return 0;
}

/* The updates the policy counts: all pending, or only security ones (none
 * when the manager cannot tell, as apk and pacman cannot). */
static uint32_t counted_updates(const struct shm_status *st,
				const struct shm_policy *p)
{
	const struct shm_check *c = &st->update;

	if (!p->security_only)
		return c->pending;
	return c->security > 0 ? (uint32_t)c->security : 0;
}

/* Whether the pending set is older than the grace period.  Without its
 * first-seen time, the success that found it is the best estimate. */
static int grace_over(const struct shm_status *st, const struct shm_policy *p,
		      int64_t now)
{
	const struct shm_check *c = &st->update;
	int64_t since = c->pending_since_mono_ns;

	if (p->grace_s == 0)
		return 1;
	if (since == 0)
		since = c->last_success_mono_ns;
	if (p->grace_s > INT64_MAX / NS_PER_S)
		return 0;
	return now - since >= p->grace_s * NS_PER_S;
}

/* Rule 6: "Update(s) N available: names" with the seed's exact prefix,
 * which users grep for in `docker inspect`. */
static int rule_updates(const struct shm_status *st,
			const struct shm_policy *p, int64_t now,
			struct rdr_verdict *v)
{
	const struct shm_check *c = &st->update;
	uint32_t min = p->min_updates ? p->min_updates : 1;
	char sec[32] = "";
	size_t room;
	int all;

	if (counted_updates(st, p) < min || !grace_over(st, p, now))
		return 0;
	/* Report-only must not hide what rule 7 would have said. */
	if (p->on_updates == SHM_ON_UPDATES_REPORT && rule_probes(st, v))
		return 1;
	rdr_text_reset(v, p->on_updates == SHM_ON_UPDATES_REPORT,
		       RDR_RULE_UPDATES);
	if (c->security > 0)
		snprintf(sec, sizeof(sec), " (%d security)", c->security);
	rdr_text_printf(v, "Update(s) %u available", c->pending);
	room = rdr_text_room(v) - strlen(sec);
	all = rdr_names_head(v, c->names, c->names_omitted, room);
	rdr_text_put(v, sec, strlen(sec));
	/* Names cut from line 1 still reach `docker inspect`, below it. */
	if (!all)
		rdr_names_wrap(v, c->names, c->names_omitted);
	return 1;
}

/* Rule 8: say what was checked and when, so "healthy" is not taken on
 * faith. */
static void rule_ok(const struct shm_status *st, int64_t now,
		    struct rdr_verdict *v)
{
	const struct shm_check *c = &st->update;
	const char *backend = c->backend[0] ? c->backend : "unknown";
	char age[RDR_AGE_LEN];

	rdr_text_reset(v, 1, RDR_RULE_OK);
	if (strcmp(backend, "none") == 0) {
		rdr_text_printf(v, "ok: publisher running, update checks off");
		return;
	}
	/* Failures within the allowed count, none succeeded: nothing known. */
	if (c->last_success_mono_ns == 0)
		rdr_text_printf(v, "ok: no update check has succeeded yet (%s)",
				backend);
	else if (c->pending == 0)
		rdr_text_printf(v, "ok: no updates pending");
	else
		rdr_text_printf(v, "ok: %u update(s) pending, within policy",
				c->pending);
	if (c->last_success_mono_ns != 0)
		rdr_text_printf(v, " (%s, checked %s ago)", backend,
				rdr_humanize(now - c->last_success_mono_ns,
					     age));
	if (c->consecutive_failures > 0) {
		rdr_text_printf(v, "; last check failed");
		rdr_text_detail(v, "error", c->error);
	}
}

uint64_t rdr_max_age_ms(const struct shm_status *st,
			const struct rdr_options *o)
{
	if (o->max_age_ms != 0)
		return o->max_age_ms;
	return 3ull * st->heartbeat_interval_ms;
}

void rdr_policy_effective(const struct shm_policy *published,
			  const struct rdr_overrides *ov,
			  struct shm_policy *out)
{
	*out = *published;
	if (ov != NULL) {
		if (ov->set & RDR_OVR_ON_UPDATES)
			out->on_updates = ov->p.on_updates;
		if (ov->set & RDR_OVR_SECURITY_ONLY)
			out->security_only = ov->p.security_only;
		if (ov->set & RDR_OVR_MIN_UPDATES)
			out->min_updates = ov->p.min_updates;
		if (ov->set & RDR_OVR_MAX_FAILURES)
			out->max_failures = ov->p.max_failures;
		if (ov->set & RDR_OVR_GRACE)
			out->grace_s = ov->p.grace_s;
		if (ov->set & RDR_OVR_MAX_CHECK_AGE)
			out->max_success_age_s = ov->p.max_success_age_s;
		if (ov->set & RDR_OVR_STARTING)
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
void rdr_verdict(const struct shm_status *st, int64_t now_mono_ns,
		 const struct rdr_options *o, struct rdr_verdict *v)
{
	struct shm_policy p;

	if (rdr_validate(st, now_mono_ns, v) != 0)
		return;
	rdr_policy_effective(&st->policy, &o->ov, &p);
	if (rule_stopped(st, now_mono_ns, v) ||
	    rule_heartbeat(st, now_mono_ns, o, v) ||
	    rule_stopping(st, v) ||
	    rule_starting(st, &p, v) ||
	    rule_check(st, &p, now_mono_ns, v) ||
	    rule_updates(st, &p, now_mono_ns, v) ||
	    rule_probes(st, v))
		return;
	rule_ok(st, now_mono_ns, v);
}
