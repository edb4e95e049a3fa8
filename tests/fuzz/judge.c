/* SPDX-License-Identifier: MIT */
/*
 * The harnesses' common path: a snapshot judged as shm-reader judges it,
 * at clocks and with options the control bytes choose, and every report
 * written in every format and checked (tests/fuzz/fuzz.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shm/util.h"
#include "tests/fuzz/fuzz.h"

#define NS_PER_MS	1000000LL
#define NS_PER_S	1000000000LL
/* shmh_parse_duration()'s limit, so options stay what a parser can give. */
#define TEN_YEARS_MS	(10ull * 365 * 86400000)

uint64_t fz_take(struct fz_ctl *c, unsigned bytes)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < bytes && i < 8; i++) {
		if (c->n > 0) {
			v |= (uint64_t)c->p[0] << (8 * i);
			c->p++;
			c->n--;
		}
	}
	return v;
}

void fz_fail(const char *what, const char *out)
{
	fprintf(stderr, "fuzz: %s\n", what);
	if (out != NULL)
		fprintf(stderr, "--- output\n%s\n---\n", out);
	abort();
}

void fz_options(struct rdr_options *o, struct fz_ctl *c)
{
	struct shmh_policy *p = &o->judge.ov.p;
	unsigned set = (unsigned)fz_take(c, 1);
	uint64_t v;

	rdr_options_init(o);
	o->judge.ov.set = set & 0x7f;
	p->on_updates = (uint32_t)fz_take(c, 1) & 1;
	p->security_only = (uint32_t)fz_take(c, 1) & 1;
	p->starting_healthy = (uint32_t)fz_take(c, 1) & 1;
	v = fz_take(c, 4);
	p->min_updates = v > 0 ? (uint32_t)v : 1;	/* --min-updates >= 1 */
	p->max_failures = (uint32_t)fz_take(c, 4);
	/* Durations in seconds, rounded up from at most ten years of ms. */
	p->grace_s = (int64_t)(fz_take(c, 5) % (TEN_YEARS_MS / 1000 + 1));
	p->max_success_age_s = (int64_t)(fz_take(c, 5) %
					 (TEN_YEARS_MS / 1000 + 1));
	if (set & 0x80)
		o->judge.max_age_ms = 1 + fz_take(c, 5) % TEN_YEARS_MS;
	/* Nagios thresholds, as the parser bounds them: warning <= critical. */
	v = fz_take(c, 1);
	o->judge.thr.have_warning = (int)(v & 1);
	o->judge.thr.have_critical = (int)(v >> 1 & 1);
	o->judge.thr.warning = (uint32_t)(fz_take(c, 3) % (RPT_THRESHOLD_MAX + 1));
	o->judge.thr.critical = o->judge.thr.warning + (uint32_t)(fz_take(c, 3) %
		(RPT_THRESHOLD_MAX - o->judge.thr.warning + 1));
}

/* The verdict's own promises (report/verdict.h; README's verdict, rule 1). */
static void check_verdict(const struct rpt_report *r)
{
	const struct rpt_verdict *v = &r->verdict;

	if (v->healthy != 0 && v->healthy != 1)
		fz_fail("healthy neither 0 nor 1", v->text);
	if (v->rule < RPT_RULE_SEGMENT || v->rule > RPT_RULE_OK)
		fz_fail("rule out of range", v->text);
	if (v->len != strnlen(v->text, v->cap))
		fz_fail("verdict length is not its text's", NULL);
	if (r->result != SHMH_OK && (v->healthy || v->rule != RPT_RULE_SEGMENT))
		fz_fail("unread segment not answered by rule 1", v->text);
	if (v->rule == RPT_RULE_SEGMENT && v->healthy)
		fz_fail("rule 1 answered healthy", v->text);
	if (v->rule == RPT_RULE_OK && !v->healthy)
		fz_fail("rule 9 answered unhealthy", v->text);
	/* No update check configured: nothing about updates decides. */
	if (rpt_trusted(r) && rpt_check_off(&r->st->update) &&
	    (v->rule == RPT_RULE_STARTING || v->rule == RPT_RULE_CHECK ||
	     v->rule == RPT_RULE_UPDATES))
		fz_fail("update checks off, yet an update rule decided", v->text);
	/* A check that failed and never succeeded is never healthy. */
	if (rpt_trusted(r) && !rpt_check_off(&r->st->update) &&
	    r->st->update.last_attempt_mono_ns != 0 &&
	    r->st->update.last_success_mono_ns == 0 && v->healthy)
		fz_fail("a check that never succeeded answered healthy", v->text);
}

/* The exit status of each format (output.h's table). */
static void check_exit(enum rpt_format f, const struct rpt_report *r)
{
	int e = rpt_format_exit(f, r);
	int healthy = r->verdict.healthy;

	if (f != RPT_FMT_NAGIOS) {
		if (e != (healthy ? 0 : 1))
			fz_fail("exit status is not the verdict", NULL);
		return;
	}
	if (e < 0 || e > 3 || e != (int)rpt_nagios_state(r))
		fz_fail("nagios exit out of 0..3 or not its state", NULL);
	if ((!rpt_trusted(r) && e != RPT_NAGIOS_UNKNOWN) ||
	    (rpt_trusted(r) && (e == RPT_NAGIOS_OK) != healthy))
		fz_fail("nagios state contradicts the verdict", NULL);
}

static const char *bad_output(enum rpt_format f, const struct rpt_report *r,
			      const char *out, size_t n)
{
	switch (f) {
	case RPT_FMT_JSON:
		return fz_json_bad(out, n, r->verdict.healthy);
	case RPT_FMT_PROMETHEUS:
		return fz_prom_bad(out, n, r->verdict.healthy);
	case RPT_FMT_NAGIOS:
		return fz_nagios_bad(out, n, (int)rpt_nagios_state(r));
	case RPT_FMT_TEXT:
		break;
	}
	return fz_text_bad(out, n);
}

/*
 * A buffer of exactly len bytes on the heap, so that AddressSanitizer sees
 * a write past it: the output is NUL-terminated within it and, but for
 * JSON's shorter forms, is a prefix of the whole output.
 */
static void check_short(enum rpt_format f, const struct rpt_report *r,
			const char *whole, size_t len)
{
	char *p = malloc(len);
	size_t n;

	if (p == NULL && len > 0)
		abort();
	n = rpt_format(f, r, p, len);
	if (len == 0 ? n != 0 : n >= len || p[n] != '\0' || strlen(p) != n)
		fz_fail("short buffer: length or NUL wrong", NULL);
	if (f != RPT_FMT_JSON && n > 0 && memcmp(p, whole, n) != 0)
		fz_fail("short buffer: not a prefix of the whole", p);
	free(p);
}

void fz_check_report(const struct rpt_report *r, struct fz_ctl *c)
{
	char out[RPT_FORMAT_MAX], whole[RPT_FORMAT_MAX];
	int f, short_f = (int)(fz_take(c, 1) % 4);
	size_t n, len = (size_t)(fz_take(c, 2) % (RPT_FORMAT_MAX + 1));
	const char *why;

	check_verdict(r);
	for (f = RPT_FMT_TEXT; f <= RPT_FMT_NAGIOS; f++) {
		n = rpt_format((enum rpt_format)f, r, out, sizeof(out));
		why = bad_output((enum rpt_format)f, r, out, n);
		if (why != NULL)
			fz_fail(why, out);
		check_exit((enum rpt_format)f, r);
		if (f == short_f)
			memcpy(whole, out, n + 1);
	}
	/* One format, chosen, in a short buffer: each call costs. */
	check_short((enum rpt_format)short_f, r, whole, len);
}

static void judge_at(const struct shmh_status *st, const char *label,
		     int64_t now, const struct rdr_options *o, struct fz_ctl *c)
{
	struct rpt_report r;
	char text[RPT_TEXT_MAX];

	rpt_verdict_room(&r.verdict, text, sizeof(text));
	rpt_build(&r, label, st, now, &o->judge);
	if (r.result != SHMH_OK || r.st != st)
		fz_fail("rpt_build() lost the snapshot", NULL);
	fz_check_report(&r, c);
}

static int64_t max_time(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* The latest monotonic time the snapshot holds: "now" for a fresh read. */
static int64_t latest(const struct shmh_status *st)
{
	const struct shmh_check *u = &st->update;
	int64_t t = max_time(st->heartbeat_mono_ns, st->started_mono_ns);
	uint32_t i;

	t = max_time(t, max_time(u->last_attempt_mono_ns,
				 u->last_success_mono_ns));
	t = max_time(t, u->pending_since_mono_ns);
	for (i = 0; i < st->nprobes && i < SHMH_PROBES; i++)
		t = max_time(t, max_time(st->probes[i].last_run_mono_ns,
					 st->probes[i].last_success_mono_ns));
	return max_time(t, 0);
}

/* t + d, held at INT64_MAX: a monotonic clock is never negative. */
static int64_t later(int64_t t, uint64_t d)
{
	return d > (uint64_t)(INT64_MAX - t) ? INT64_MAX : t + (int64_t)d;
}

void fz_judge(const struct shmh_status *st, const char *label,
	      struct fz_ctl *c)
{
	struct rdr_options o;
	int64_t t = latest(st), now;
	unsigned how = (unsigned)fz_take(c, 1);
	uint64_t d;

	/* Read just after the last write, as published. */
	rdr_options_init(&o);
	judge_at(st, label, t, &o, c);
	/* Then one more read, its clock and options chosen. */
	switch (how % 4) {
	case 0:		/* up to 35 years later */
		now = later(t, fz_take(c, 5) * NS_PER_MS);
		break;
	case 1:		/* up to 2 s before: within the clocks' slack, or past */
		d = fz_take(c, 4) % (2 * NS_PER_S);
		now = t > (int64_t)d ? t - (int64_t)d : 0;
		break;
	case 2:		/* any clock reading: it is never negative */
		now = (int64_t)(fz_take(c, 8) >> 1);
		break;
	default:	/* as shm-reader runs */
		now = shmh_now_mono_ns();
		break;
	}
	if (how & 4)
		fz_options(&o, c);
	judge_at(st, label, now, &o, c);
}
