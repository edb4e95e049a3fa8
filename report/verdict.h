/* SPDX-License-Identifier: MIT */
/*
 * The verdict: a snapshot of the segment in, healthy or unhealthy plus the
 * text that says why out.  Pure functions of their arguments (clocks are
 * passed in), so every rule is testable without a publisher.
 */
#ifndef SHMHEALTH_REPORT_VERDICT_H
#define SHMHEALTH_REPORT_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "report/judge.h"
#include "shm/shm.h"

/*
 * Which rule of the verdict decided (README.md, "Verdict, in order"): what
 * a restart fixes comes before what a rebuild fixes.  Values follow the
 * order; "stopping" is judged after the heartbeat but named "stopped".
 */
enum rpt_rule {
	RPT_RULE_SEGMENT = 1,	/* no segment, unreadable, invalid, refused */
	RPT_RULE_STOPPED,	/* publisher stopped or stopping */
	RPT_RULE_HEARTBEAT,	/* publisher not running */
	RPT_RULE_PROBE,		/* a probe failing: the service is down */
	RPT_RULE_STARTING,	/* no update check finished yet */
	RPT_RULE_CHECK,		/* update check failed, stale or failing */
	RPT_RULE_UPDATES,
	RPT_RULE_OK,
};

/*
 * Docker keeps 4096 bytes of output and Podman 500 characters, and
 * `docker ps` shows only the start: the first line, its newline included,
 * stays under RPT_LINE_MAX bytes, the whole output, final newline included,
 * under RPT_TEXT_MAX.
 */
#define RPT_LINE_MAX	200
#define RPT_TEXT_MAX	4000
#define RPT_WRAP	76	/* columns of the name list after line 1 */

struct rpt_verdict {
	int healthy;		/* 1: exit 0 */
	enum rpt_rule rule;
	size_t len;		/* strlen(text) */
	/* Builder state (report/text.c). */
	size_t limit;		/* the current line may end at this length */
	int line_cut;		/* current line ended in "..." */
	int full;		/* the text reached cap: nothing more fits */
	/*
	 * The owner's buffer (rpt_verdict_room()): RPT_TEXT_MAX bytes for
	 * the whole answer; fewer keep only its start (nagios's headline).
	 */
	char *text;		/* no final newline; the printer adds it */
	size_t cap;		/* at least RPT_LINE_MAX */
};

/* Gives v the buffer text of cap bytes, empty.  cap must be RPT_LINE_MAX
 * at least: the first line's limit does not depend on it. */
void rpt_verdict_room(struct rpt_verdict *v, char *text, size_t cap);

/*
 * Decides on *st, read at now_mono_ns (CLOCK_MONOTONIC, as the segment
 * records), applying the segment's policy with
 * o's overrides laid over it (rpt_policy_effective()) and o's max age.
 * Validates every field it uses first: a bad segment is an unhealthy
 * "invalid segment: ..." answer, never a crash.  Always fills *v.
 */
void rpt_verdict(const struct shmh_status *st, int64_t now_mono_ns,
		 const struct rpt_judge *o, struct rpt_verdict *v);

/*
 * The policy a verdict applies: *published (a validated segment's) with
 * each field that ov->set names replaced by ov's, and min_updates 0 read as
 * 1, as the rules read it.  ov may be NULL (the published policy as is).
 */
void rpt_policy_effective(const struct shmh_policy *published,
			  const struct rpt_overrides *ov,
			  struct shmh_policy *out);

/* The oldest heartbeat accepted, in ms: o->max_age_ms, or by default 3 x
 * the published heartbeat interval. */
uint64_t rpt_max_age_ms(const struct shmh_status *st,
			const struct rpt_judge *o);

/*
 * Checks that *st can be trusted: strings terminated within their arrays,
 * enums and counts in range, times not negative nor in the future.  Returns
 * 0, or -1 with v set to the unhealthy "invalid segment: ..." answer.
 */
int rpt_validate(const struct shmh_status *st, int64_t now_mono_ns,
		 struct rpt_verdict *v);

/* Whether no update check is configured (SHMH_CHECK_OFF): nothing about
 * updates is known, and every output says "not checked". */
int rpt_check_off(const struct shmh_check *c);

/*
 * The updates the policy p counts: every pending one, or with
 * security_only the security ones (none when the manager cannot tell).
 */
uint32_t rpt_counted_updates(const struct shmh_status *st,
			     const struct shmh_policy *p);

/*
 * Appends the updates headline to v's current line: "Update(s) N
 * available: names (K security)", or with p->security_only "Update(s) N
 * available: security names", as many names as fit.  Returns 1 if every
 * stored name was shown.
 */
int rpt_updates_headline(const struct shmh_status *st,
			 const struct shmh_policy *p, struct rpt_verdict *v);

/* Longest rpt_humanize() text, NUL included. */
#define RPT_AGE_LEN 24

/*
 * Writes a duration as a person reads an age: "41s", "3m", "5h", "2d"
 * (rounded down; negative is "0s").  Returns buf.
 */
const char *rpt_humanize(int64_t ns, char buf[RPT_AGE_LEN]);

#endif
