/* SPDX-License-Identifier: MIT */
/*
 * Check suite for the reader's policy overrides (rpt_policy_effective() and
 * rpt_verdict() with o.judge.ov set): each knob as the segment publishes it, then
 * overridden both ways, and what an override cannot do.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reader/options.h"
#include "report/verdict.h"
#include "shm/shm.h"

#define S	1000000000LL
#define NOW	(1000000 * S)

static struct shmh_status st;
static struct rdr_options o;
static char v_text[RPT_TEXT_MAX];
static struct rpt_verdict v = { .text = v_text, .cap = sizeof(v_text) };

/* A running publisher, checked 3 minutes ago, two updates pending for 3
 * minutes, with the publisher's default policy. */
static void setup(void)
{
	memset(&st, 0, sizeof(st));
	st.pid = 42;
	st.state = SHMH_STATE_RUNNING;
	st.heartbeat_mono_ns = NOW - 1 * S;
	st.started_mono_ns = NOW - 3600 * S;
	st.heartbeat_interval_ms = 10000;
	st.policy.on_updates = SHMH_ON_UPDATES_FAIL;
	st.policy.min_updates = 1;
	st.policy.max_failures = 3;
	st.policy.starting_healthy = 1;
	strcpy(st.update.backend, "apt");
	st.update.last_attempt_mono_ns = NOW - 180 * S;
	st.update.last_success_mono_ns = NOW - 180 * S;
	st.update.pending_since_mono_ns = NOW - 180 * S;
	st.update.pending = 2;
	st.update.security = 0;
	strcpy(st.update.names, "a b");
	rdr_options_init(&o);
}

/* Overrides one knob, as the option parser would. */
#define OVERRIDE(bit, field, value) do {				\
	o.judge.ov.set |= (bit);						\
	o.judge.ov.p.field = (value);						\
} while (0)

#define expect(h, r, s) do {						\
	rpt_verdict(&st, NOW, &o.judge, &v);				\
	ck_assert_str_eq(v.text, s);					\
	ck_assert_int_eq(v.healthy, h);					\
	ck_assert_int_eq(v.rule, r);					\
} while (0)

#define UPDATES		"Update(s) 2 available: a b"
#define OK_PENDING	"ok: 2 update(s) pending, within policy (apt, " \
			"checked 3m ago)"
#define KEPT		"as of 3m ago (apt); last check failed: apt-get: " \
			"exit status 100"

START_TEST(on_updates)
{
	expect(0, RPT_RULE_UPDATES, UPDATES);
	/* --on-updates report: healthy, the same words. */
	OVERRIDE(RPT_OVR_ON_UPDATES, on_updates, SHMH_ON_UPDATES_REPORT);
	expect(1, RPT_RULE_UPDATES, UPDATES);
	/* Published report, --on-updates fail. */
	st.policy.on_updates = SHMH_ON_UPDATES_REPORT;
	o.judge.ov.set = 0;
	expect(1, RPT_RULE_UPDATES, UPDATES);
	OVERRIDE(RPT_OVR_ON_UPDATES, on_updates, SHMH_ON_UPDATES_FAIL);
	expect(0, RPT_RULE_UPDATES, UPDATES);
}
END_TEST

/* Pending updates, reported or failing, do not hide a failing probe:
 * what a restart fixes comes first. */
START_TEST(on_updates_keeps_probes)
{
	OVERRIDE(RPT_OVR_ON_UPDATES, on_updates, SHMH_ON_UPDATES_REPORT);
	st.nprobes = 1;
	strcpy(st.probes[0].name, "db");
	st.probes[0].last_run_mono_ns = NOW - 5 * S;
	st.probes[0].consecutive_failures = 1;
	st.probes[0].status = 1;
	expect(0, RPT_RULE_PROBE, "probe db failing (1 time): exit status 1");
	OVERRIDE(RPT_OVR_ON_UPDATES, on_updates, SHMH_ON_UPDATES_FAIL);
	expect(0, RPT_RULE_PROBE, "probe db failing (1 time): exit status 1");
	st.probes[0].consecutive_failures = 0;
	expect(0, RPT_RULE_UPDATES, UPDATES);
}
END_TEST

START_TEST(security_only)
{
	/* --security-only: no security update among them, healthy. */
	OVERRIDE(RPT_OVR_SECURITY_ONLY, security_only, 1);
	expect(1, RPT_RULE_OK, OK_PENDING);
	st.update.security = SHMH_SECURITY_UNKNOWN;
	expect(1, RPT_RULE_OK, OK_PENDING);
	/* The headline counts and names the security updates only. */
	st.update.security = 1;
	st.update.security_names.count = 1;
	strcpy(st.update.security_names.names, "b");
	expect(0, RPT_RULE_UPDATES, "Update(s) 1 available: b");
	/* Published security-only, --all-updates: every update, and how
	 * many of them are security ones. */
	st.policy.security_only = 1;
	o.judge.ov.set = 0;
	expect(0, RPT_RULE_UPDATES, "Update(s) 1 available: b");
	OVERRIDE(RPT_OVR_SECURITY_ONLY, security_only, 0);
	expect(0, RPT_RULE_UPDATES, UPDATES " (1 security)");
	st.update.security = 0;
	o.judge.ov.set = 0;
	expect(1, RPT_RULE_OK, OK_PENDING);
	OVERRIDE(RPT_OVR_SECURITY_ONLY, security_only, 0);
	expect(0, RPT_RULE_UPDATES, UPDATES);
}
END_TEST

START_TEST(min_updates)
{
	OVERRIDE(RPT_OVR_MIN_UPDATES, min_updates, 3);
	expect(1, RPT_RULE_OK, OK_PENDING);
	OVERRIDE(RPT_OVR_MIN_UPDATES, min_updates, 2);
	expect(0, RPT_RULE_UPDATES, UPDATES);
	/* Published 5, --min-updates 1. */
	st.policy.min_updates = 5;
	o.judge.ov.set = 0;
	expect(1, RPT_RULE_OK, OK_PENDING);
	OVERRIDE(RPT_OVR_MIN_UPDATES, min_updates, 1);
	expect(0, RPT_RULE_UPDATES, UPDATES);
}
END_TEST

START_TEST(max_failures)
{
	strcpy(st.update.error, "apt-get: exit status 100");
	st.update.consecutive_failures = 4;
	expect(0, RPT_RULE_CHECK, "update check failing (4 times): apt-get: "
	       "exit status 100");
	/* --max-failures 0: no limit; the last good result is kept, and
	 * says how old it is. */
	OVERRIDE(RPT_OVR_MAX_FAILURES, max_failures, 0);
	expect(0, RPT_RULE_UPDATES, UPDATES "\n" KEPT);
	OVERRIDE(RPT_OVR_MAX_FAILURES, max_failures, 4);
	expect(0, RPT_RULE_UPDATES, UPDATES "\n" KEPT);
	/* Published no limit, --max-failures 1. */
	st.policy.max_failures = 0;
	o.judge.ov.set = 0;
	expect(0, RPT_RULE_UPDATES, UPDATES "\n" KEPT);
	OVERRIDE(RPT_OVR_MAX_FAILURES, max_failures, 1);
	expect(0, RPT_RULE_CHECK, "update check failing (4 times): apt-get: "
	       "exit status 100");
}
END_TEST

START_TEST(grace)
{
	/* --grace 1h: pending for 3 minutes is within it. */
	OVERRIDE(RPT_OVR_GRACE, grace_s, 3600);
	expect(1, RPT_RULE_OK, OK_PENDING);
	OVERRIDE(RPT_OVR_GRACE, grace_s, 180);
	expect(0, RPT_RULE_UPDATES, UPDATES);
	/* Published 1h, --grace 0. */
	st.policy.grace_s = 3600;
	o.judge.ov.set = 0;
	expect(1, RPT_RULE_OK, OK_PENDING);
	OVERRIDE(RPT_OVR_GRACE, grace_s, 0);
	expect(0, RPT_RULE_UPDATES, UPDATES);
}
END_TEST

START_TEST(max_check_age)
{
	st.policy.max_success_age_s = 3600;
	st.update.last_success_mono_ns = NOW - 7200 * S;
	expect(0, RPT_RULE_CHECK, "update check stale: last success 2h ago");
	/* --max-check-age 0: no limit. */
	OVERRIDE(RPT_OVR_MAX_CHECK_AGE, max_success_age_s, 0);
	expect(0, RPT_RULE_UPDATES, UPDATES);
	OVERRIDE(RPT_OVR_MAX_CHECK_AGE, max_success_age_s, 3 * 3600);
	expect(0, RPT_RULE_UPDATES, UPDATES);
	/* Published no limit, --max-check-age 1m: 3 minutes is stale. */
	setup();
	expect(0, RPT_RULE_UPDATES, UPDATES);
	OVERRIDE(RPT_OVR_MAX_CHECK_AGE, max_success_age_s, 60);
	expect(0, RPT_RULE_CHECK, "update check stale: last success 3m ago");
	/* With an index, its age is what counts: a success 3 minutes ago
	 * that read an index refreshed 2 hours ago is stale at 1h. */
	st.update.index_mono_ns = NOW - 7200 * S;
	OVERRIDE(RPT_OVR_MAX_CHECK_AGE, max_success_age_s, 3600);
	expect(0, RPT_RULE_CHECK,
	       "update check stale: package index refreshed 2h ago");
	OVERRIDE(RPT_OVR_MAX_CHECK_AGE, max_success_age_s, 3 * 3600);
	expect(0, RPT_RULE_UPDATES, UPDATES);
}
END_TEST

START_TEST(starting)
{
	st.update.last_attempt_mono_ns = 0;
	st.update.last_success_mono_ns = 0;
	expect(1, RPT_RULE_STARTING, "starting: first update check pending");
	OVERRIDE(RPT_OVR_STARTING, starting_healthy, 0);
	expect(0, RPT_RULE_STARTING, "starting: first update check pending");
	/* Published unhealthy, --starting healthy. */
	st.policy.starting_healthy = 0;
	o.judge.ov.set = 0;
	expect(0, RPT_RULE_STARTING, "starting: first update check pending");
	OVERRIDE(RPT_OVR_STARTING, starting_healthy, 1);
	expect(1, RPT_RULE_STARTING, "starting: first update check pending");
}
END_TEST

/* Starting is healthy for the update check's sake only: a failing probe
 * is told first, under --starting healthy or unhealthy. */
START_TEST(starting_keeps_probes)
{
	st.update.last_attempt_mono_ns = 0;
	st.update.last_success_mono_ns = 0;
	st.nprobes = 1;
	strcpy(st.probes[0].name, "hang");
	st.probes[0].last_run_mono_ns = NOW - 1 * S;
	st.probes[0].consecutive_failures = 1;
	strcpy(st.probes[0].output, "timed out after 300ms");
	expect(0, RPT_RULE_PROBE,
	       "probe hang failing (1 time): timed out after 300ms");
	OVERRIDE(RPT_OVR_STARTING, starting_healthy, 0);
	expect(0, RPT_RULE_PROBE,
	       "probe hang failing (1 time): timed out after 300ms");
	st.probes[0].consecutive_failures = 0;
	expect(0, RPT_RULE_STARTING, "starting: first update check pending");
	OVERRIDE(RPT_OVR_STARTING, starting_healthy, 1);
	expect(1, RPT_RULE_STARTING, "starting: first update check pending");
}
END_TEST

/* Only the fields named in set are replaced; the segment is not touched. */
START_TEST(effective)
{
	struct shmh_policy p, before = st.policy;

	st.policy.grace_s = 60;
	before = st.policy;
	rpt_policy_effective(&st.policy, NULL, &p);
	ck_assert_mem_eq(&p, &st.policy, sizeof(p));
	o.judge.ov.p.on_updates = SHMH_ON_UPDATES_REPORT;
	o.judge.ov.p.grace_s = 7;
	o.judge.ov.p.min_updates = 9;
	o.judge.ov.set = RPT_OVR_MIN_UPDATES;
	rpt_policy_effective(&st.policy, &o.judge.ov, &p);
	ck_assert_uint_eq(p.min_updates, 9);
	ck_assert_uint_eq(p.on_updates, SHMH_ON_UPDATES_FAIL);
	ck_assert_int_eq(p.grace_s, 60);
	ck_assert_uint_eq(p.max_failures, 3);
	ck_assert_uint_eq(p.starting_healthy, 1);
	/* min_updates 0 is read as the rules read it: 1. */
	st.policy.min_updates = 0;
	o.judge.ov.set = 0;
	rpt_policy_effective(&st.policy, &o.judge.ov, &p);
	ck_assert_uint_eq(p.min_updates, 1);
	st.policy.min_updates = 1;
	rpt_verdict(&st, NOW, &o.judge, &v);
	ck_assert_mem_eq(&st.policy, &before, sizeof(before));
}
END_TEST

/* An override does not make a corrupt published policy trusted. */
START_TEST(invalid_stays_invalid)
{
	st.policy.on_updates = 7;
	OVERRIDE(RPT_OVR_ON_UPDATES, on_updates, SHMH_ON_UPDATES_REPORT);
	expect(0, RPT_RULE_SEGMENT,
	       "invalid segment: policy.on_updates 7 out of range");
	setup();
	st.policy.grace_s = -5;
	OVERRIDE(RPT_OVR_GRACE, grace_s, 0);
	expect(0, RPT_RULE_SEGMENT, "invalid segment: negative policy.grace_s");
}
END_TEST

/* Overrides leave the order alone: stopped and stale still come first. */
START_TEST(order_kept)
{
	o.judge.ov.set = RPT_OVR_ON_UPDATES | RPT_OVR_STARTING | RPT_OVR_MAX_FAILURES;
	o.judge.ov.p.on_updates = SHMH_ON_UPDATES_REPORT;
	o.judge.ov.p.starting_healthy = 1;
	st.state = SHMH_STATE_STOPPED;
	st.heartbeat_mono_ns = NOW - 120 * S;
	expect(0, RPT_RULE_STOPPED, "publisher stopped (pid 42, 2m ago)");
	st.state = SHMH_STATE_RUNNING;
	expect(0, RPT_RULE_HEARTBEAT,
	       "publisher not running: last heartbeat 2m ago");
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("report policy");
	TCase *t = tcase_create("policy");

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, on_updates);
	tcase_add_test(t, on_updates_keeps_probes);
	tcase_add_test(t, security_only);
	tcase_add_test(t, min_updates);
	tcase_add_test(t, max_failures);
	tcase_add_test(t, grace);
	tcase_add_test(t, max_check_age);
	tcase_add_test(t, starting);
	tcase_add_test(t, starting_keeps_probes);
	tcase_add_test(t, effective);
	tcase_add_test(t, invalid_stays_invalid);
	tcase_add_test(t, order_kept);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(policy_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
