/* SPDX-License-Identifier: MIT */
/*
 * Check suite for shm-reader's verdict (reader/verdict.c, validate.c,
 * names.c, text.c, segment.c): every rule of README.md's order, the policy
 * knobs, the output limits, and segments that lie.
 */
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/names.h"
#include "reader/options.h"
#include "reader/segment.h"
#include "report/text.h"
#include "report/verdict.h"
#include "shm/shm.h"

#define S	1000000000LL
#define NOW	(1000000 * S)	/* about 11 days of uptime */
#define WALL	1700000000LL

static struct shmh_status st;
static struct rdr_options o;
static char v_text[RPT_TEXT_MAX];
static struct rpt_verdict v = { .text = v_text, .cap = sizeof(v_text) };

/* A healthy publisher: beating, checked 3 minutes ago, nothing pending. */
static void setup(void)
{
	memset(&st, 0, sizeof(st));
	memset(v_text, 0, sizeof(v_text));
	rpt_verdict_room(&v, v_text, sizeof(v_text));
	st.pid = 42;
	st.state = SHMH_STATE_RUNNING;
	st.heartbeat_count = 100;
	st.heartbeat_mono_ns = NOW - 1 * S;
	st.heartbeat_wall = WALL - 1;
	st.started_mono_ns = NOW - 3600 * S;
	st.started_wall = WALL - 3600;
	st.heartbeat_interval_ms = 10000;
	st.policy.on_updates = SHMH_ON_UPDATES_FAIL;
	st.policy.min_updates = 1;
	st.policy.starting_healthy = 1;
	strcpy(st.update.backend, "apt");
	st.update.last_attempt_mono_ns = NOW - 180 * S;
	st.update.last_success_mono_ns = NOW - 180 * S;
	st.update.checks = 1;
	rdr_options_init(&o);
}

static void judge(void)
{
	rpt_verdict(&st, NOW, &o.judge, &v);
}

/* Length of the first line, its newline (added by the printer) included. */
static size_t first_line_len(void)
{
	const char *nl = strchr(v.text, '\n');

	return (nl ? (size_t)(nl - v.text) : strlen(v.text)) + 1;
}

/* The output limits hold for every verdict. */
static void limits(void)
{
	ck_assert_uint_eq(v.len, strlen(v.text));
	ck_assert_uint_lt(first_line_len(), RPT_LINE_MAX);
	ck_assert_uint_lt(v.len + 1, RPT_TEXT_MAX);
}

#define expect(h, r, s) do {						\
	judge();							\
	ck_assert_str_eq(v.text, s);					\
	ck_assert_int_eq(v.healthy, h);					\
	ck_assert_int_eq(v.rule, r);					\
	limits();							\
} while (0)

#define expect_invalid(s) expect(0, RPT_RULE_SEGMENT, "invalid segment: " s)

/* ---- rule 1: refused, unreadable, invalid ---- */

static struct shmh_map refused_map(const char *path)
{
	struct shmh_map m;

	shmh_map_init(&m);
	snprintf(m.path, sizeof(m.path), "%s", path);
	return m;
}

START_TEST(refused_messages)
{
	struct shmh_map m = refused_map("/dev/shm/x");
	char want[200];

	rdr_verdict_refused(SHMH_ENOSEG, &m, &o, &v);
	ck_assert_str_eq(v.text, "no segment /dev/shm/x: publisher not started?");
	ck_assert_int_eq(v.healthy, 0);
	ck_assert_int_eq(v.rule, RPT_RULE_SEGMENT);
	m.found_version = 1;
	rdr_verdict_refused(SHMH_EVERSION, &m, &o, &v);
	ck_assert_str_eq(v.text, "segment /dev/shm/x: layout version 1, "
			 "this reader reads 2");
	m.found_uid = 1234;
	rdr_verdict_refused(SHMH_EOWNER, &m, &o, &v);
	snprintf(want, sizeof(want), "segment /dev/shm/x: owned by uid 1234, "
		 "not root or uid %u (--owner 1234 accepts it)",
		 (unsigned)geteuid());
	ck_assert_str_eq(v.text, want);
	o.have_owner = 1;
	o.owner = 77;
	rdr_verdict_refused(SHMH_EOWNER, &m, &o, &v);
	snprintf(want, sizeof(want), "segment /dev/shm/x: owned by uid 1234, "
		 "not root, uid %u or --owner 77", (unsigned)geteuid());
	ck_assert_str_eq(v.text, want);
	m.saved_errno = EACCES;
	rdr_verdict_refused(SHMH_EACCESS, &m, &o, &v);
	snprintf(want, sizeof(want), "segment /dev/shm/x: %s: %s",
		 shmh_strerror(SHMH_EACCESS), strerror(EACCES));
	ck_assert_str_eq(v.text, want);
	rdr_verdict_refused(SHMH_ETRUNC, &m, &o, &v);
	snprintf(want, sizeof(want), "segment /dev/shm/x: %s",
		 shmh_strerror(SHMH_ETRUNC));
	ck_assert_str_eq(v.text, want);
	ck_assert_int_eq(v.healthy, 0);
}
END_TEST

START_TEST(refused_names_option_without_path)
{
	struct shmh_map m = refused_map("");

	o.segment = "other";
	rdr_verdict_refused(SHMH_ENOSEG, &m, &o, &v);
	ck_assert_str_eq(v.text, "no segment other: publisher not started?");
}
END_TEST

START_TEST(refused_long_path_fits)
{
	char path[SHMH_PATH_MAX];
	struct shmh_map m;

	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	m = refused_map(path);
	rdr_verdict_refused(SHMH_EWRITABLE, &m, &o, &v);
	limits();
	ck_assert_ptr_nonnull(strstr(v.text, "..."));
}
END_TEST

START_TEST(read_missing_segment)
{
	o.segment = "/nonexistent-shmhealth-dir/segment";
	ck_assert_int_eq(rdr_read_segment(&o, &st, &v), SHMH_ENOSEG);
	ck_assert_str_eq(v.text, "no segment /nonexistent-shmhealth-dir/"
			 "segment: publisher not started?");
	ck_assert_int_eq(v.healthy, 0);
}
END_TEST

/* Through the library: a segment built by the writer side, judged. */
START_TEST(read_real_segment)
{
	char dir[] = "/tmp/check_verdict.XXXXXX", path[64];
	struct shmh_map w;
	struct shmh_status got;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/seg", dir);
	shmh_map_init(&w);
	ck_assert_int_eq(shmh_create_segment(&w, path, &st), SHMH_OK);
	o.segment = path;
	ck_assert_int_eq(rdr_read_segment(&o, &got, &v), SHMH_OK);
	ck_assert_mem_eq(&got, &st, sizeof(st));
	rpt_verdict(&got, NOW, &o.judge, &v);
	ck_assert_str_eq(v.text, "ok: no updates pending (apt, checked 3m ago)");
	shmh_unlink_segment(&w);
	shmh_close_segment(&w);
	rmdir(dir);
}
END_TEST

START_TEST(invalid_unterminated_strings)
{
	memset(st.update.backend, 'a', sizeof(st.update.backend));
	expect_invalid("unterminated update.backend");
	setup();
	memset(st.update.error, 'e', sizeof(st.update.error));
	expect_invalid("unterminated update.error");
	setup();
	memset(st.update.names, 'n', sizeof(st.update.names));
	expect_invalid("unterminated update.names");
	setup();
	st.nprobes = 2;
	memset(st.probes[1].name, 'p', sizeof(st.probes[1].name));
	expect_invalid("unterminated probes[1].name");
	setup();
	st.nprobes = 1;
	memset(st.probes[0].output, 'o', sizeof(st.probes[0].output));
	expect_invalid("unterminated probes[0].output");
}
END_TEST

/* Slots beyond nprobes are never read, so their bytes do not matter. */
START_TEST(invalid_ignores_unused_probes)
{
	st.nprobes = 1;
	memset(st.probes[1].name, 'p', sizeof(st.probes[1].name));
	memset(st.probes[1].output, 'o', sizeof(st.probes[1].output));
	st.probes[1].consecutive_failures = 99;
	expect(1, RPT_RULE_OK, "ok: no updates pending (apt, checked 3m ago)");
}
END_TEST

START_TEST(invalid_state_and_interval)
{
	st.state = 0;
	expect_invalid("state 0 out of range");
	st.state = 5;
	expect_invalid("state 5 out of range");
	setup();
	st.heartbeat_interval_ms = 0;
	expect_invalid("heartbeat interval 0ms out of range");
	st.heartbeat_interval_ms = 86400001;
	expect_invalid("heartbeat interval 86400001ms out of range");
	/* --max-age does not make a bad interval good. */
	o.judge.max_age_ms = 60000;
	expect_invalid("heartbeat interval 86400001ms out of range");
	st.heartbeat_interval_ms = 86400000;
	expect(1, RPT_RULE_OK, "ok: no updates pending (apt, checked 3m ago)");
}
END_TEST

START_TEST(invalid_counts)
{
	st.nprobes = SHMH_PROBES + 1;
	expect_invalid("9 probes, at most 8");
	st.nprobes = 0xffffffffu;
	expect_invalid("4294967295 probes, at most 8");
	setup();
	st.update.pending = 0xffffffffu;
	expect_invalid("update.pending 4294967295 out of range");
	setup();
	st.update.pending = 3;
	st.update.security = 4;
	expect_invalid("update.security 4 out of range");
	st.update.security = -2;
	expect_invalid("update.security -2 out of range");
	setup();
	st.update.pending = 3;
	st.update.names_omitted = 4;
	expect_invalid("update.names_omitted 4 out of range");
}
END_TEST

START_TEST(invalid_policy)
{
	st.policy.on_updates = 2;
	expect_invalid("policy.on_updates 2 out of range");
	setup();
	st.policy.security_only = 2;
	expect_invalid("policy.security_only 2 out of range");
	setup();
	st.policy.starting_healthy = 7;
	expect_invalid("policy.starting_healthy 7 out of range");
	setup();
	st.policy.grace_s = -1;
	expect_invalid("negative policy.grace_s");
	setup();
	st.policy.max_success_age_s = INT64_MIN;
	expect_invalid("negative policy.max_success_age_s");
}
END_TEST

START_TEST(invalid_times)
{
	st.heartbeat_mono_ns = NOW + 5 * S;
	expect_invalid("heartbeat 5s in the future");
	st.heartbeat_mono_ns = INT64_MAX;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_SEGMENT);
	/* Within a second is two clocks read at slightly different times. */
	st.heartbeat_mono_ns = NOW + S;
	expect(1, RPT_RULE_OK, "ok: no updates pending (apt, checked 3m ago)");
	setup();
	st.started_mono_ns = -1;
	expect_invalid("negative started time");
	setup();
	st.update.last_success_mono_ns = NOW + 7200 * S;
	expect_invalid("update.last_success 2h in the future");
	setup();
	st.nprobes = 1;
	st.probes[0].last_run_mono_ns = NOW + 90 * S;
	expect_invalid("probes[0].last_run 1m in the future");
}
END_TEST

/* ---- rule 2: heartbeat ---- */

START_TEST(heartbeat_default_max_age)
{
	/* 3 x 10 s: exactly 30 s is still fine, 31 s is not. */
	st.heartbeat_mono_ns = NOW - 30 * S;
	expect(1, RPT_RULE_OK, "ok: no updates pending (apt, checked 3m ago)");
	st.heartbeat_mono_ns = NOW - 31 * S;
	expect(0, RPT_RULE_HEARTBEAT,
	       "publisher not running: last heartbeat 31s ago");
	st.heartbeat_mono_ns = NOW - 5 * 3600 * S;
	expect(0, RPT_RULE_HEARTBEAT,
	       "publisher not running: last heartbeat 5h ago");
}
END_TEST

START_TEST(heartbeat_max_age_option)
{
	o.judge.max_age_ms = 60000;
	st.heartbeat_mono_ns = NOW - 59 * S;
	expect(1, RPT_RULE_OK, "ok: no updates pending (apt, checked 3m ago)");
	st.heartbeat_mono_ns = NOW - 61 * S;
	expect(0, RPT_RULE_HEARTBEAT,
	       "publisher not running: last heartbeat 1m ago");
	/* Stricter than the default too. */
	o.judge.max_age_ms = 5000;
	st.heartbeat_mono_ns = NOW - 6 * S;
	expect(0, RPT_RULE_HEARTBEAT,
	       "publisher not running: last heartbeat 6s ago");
	/* Absurdly large: never exceeded, no overflow. */
	o.judge.max_age_ms = UINT64_MAX;
	st.heartbeat_mono_ns = 1;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_OK);
}
END_TEST

START_TEST(heartbeat_never)
{
	st.heartbeat_mono_ns = 0;
	expect(0, RPT_RULE_HEARTBEAT, "publisher not running: no heartbeat yet");
}
END_TEST

/*
 * A publisher that said it stopped is named so even once its heartbeat is
 * stale; one still "stopping" with a stale heartbeat is not running.
 */
START_TEST(heartbeat_before_state)
{
	st.state = SHMH_STATE_STOPPED;
	st.heartbeat_mono_ns = NOW - 120 * S;
	expect(0, RPT_RULE_STOPPED, "publisher stopped (pid 42, 2m ago)");
	st.state = SHMH_STATE_STOPPING;
	expect(0, RPT_RULE_HEARTBEAT,
	       "publisher not running: last heartbeat 2m ago");
}
END_TEST

/* ---- rule 3: stopped ---- */

START_TEST(stopped)
{
	st.state = SHMH_STATE_STOPPED;
	expect(0, RPT_RULE_STOPPED, "publisher stopped (pid 42, 1s ago)");
	st.state = SHMH_STATE_STOPPING;
	expect(0, RPT_RULE_STOPPED, "publisher stopping (pid 42)");
}
END_TEST

/* ---- rule 4: starting ---- */

START_TEST(starting)
{
	st.state = SHMH_STATE_STARTING;
	st.update.last_attempt_mono_ns = 0;
	st.update.last_success_mono_ns = 0;
	expect(1, RPT_RULE_STARTING, "starting: first update check pending");
	st.policy.starting_healthy = 0;
	expect(0, RPT_RULE_STARTING, "starting: first update check pending");
	/* Running but not yet checked is still starting. */
	st.state = SHMH_STATE_RUNNING;
	st.policy.starting_healthy = 1;
	expect(1, RPT_RULE_STARTING, "starting: first update check pending");
}
END_TEST

/* A first check that runs on past --max-check-age or its timeout is
 * overdue: "starting" must not hide a hung one for ever. */
START_TEST(starting_overdue)
{
	st.update.last_attempt_mono_ns = 0;
	st.update.last_success_mono_ns = 0;
	st.update.running = 1;
	st.policy.max_success_age_s = 300;
	expect(0, RPT_RULE_CHECK, "update check stale: first update check "
	       "still running after 1h");
	st.update.running = 0;
	expect(0, RPT_RULE_CHECK, "update check stale: first update check "
	       "not finished after 1h");
	/* Within the limit it is starting still. */
	st.update.running = 1;
	st.policy.max_success_age_s = 7200;
	expect(1, RPT_RULE_STARTING, "starting: first update check pending");
	/* The timeout, with 3 heartbeats' slack, ends it sooner. */
	st.update.timeout_s = 3600 - 31;
	expect(0, RPT_RULE_CHECK, "update check stale: first update check "
	       "still running after 1h");
	st.update.timeout_s = 3600 - 29;
	expect(1, RPT_RULE_STARTING, "starting: first update check pending");
	/* No limit at all: starting as long as it takes. */
	st.update.timeout_s = 0;
	st.policy.max_success_age_s = 0;
	expect(1, RPT_RULE_STARTING, "starting: first update check pending");
	/* The reader's --max-check-age counts too. */
	o.judge.ov.set = RPT_OVR_MAX_CHECK_AGE;
	o.judge.ov.p.max_success_age_s = 60;
	expect(0, RPT_RULE_CHECK, "update check stale: first update check "
	       "still running after 1h");
	/* A young publisher is starting. */
	st.started_mono_ns = NOW - 30 * S;
	expect(1, RPT_RULE_STARTING, "starting: first update check pending");
}
END_TEST

/* ---- rule 5: stale or failing ---- */

START_TEST(check_stale)
{
	st.policy.max_success_age_s = 3600;
	st.update.consecutive_failures = 5;
	strcpy(st.update.error, "apt-get update: timed out after 10m");
	st.update.last_success_mono_ns = NOW - 2 * 3600 * S;
	expect(0, RPT_RULE_CHECK, "update check stale: last success 2h ago: "
	       "apt-get update: timed out after 10m");
	st.update.last_success_mono_ns = NOW - 3600 * S;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_OK);
	st.update.error[0] = '\0';
	st.update.last_success_mono_ns = NOW - 3 * 86400 * S;
	expect(0, RPT_RULE_CHECK, "update check stale: last success 3d ago");
}
END_TEST

/* --max-check-age counts from the index the last success read, and says
 * which index: one this publisher refreshed, or the system's as it was. */
START_TEST(check_stale_index)
{
	st.policy.max_success_age_s = 86400;
	st.update.index_mono_ns = NOW - 3 * 86400 * S;
	st.update.index_wall = WALL - 3 * 86400;
	expect(0, RPT_RULE_CHECK,
	       "update check stale: package index refreshed 3d ago");
	st.update.flags = SHMH_CHECK_SYSTEM_INDEX;
	expect(0, RPT_RULE_CHECK,
	       "update check stale: system package index last modified 3d ago");
	/* A fresh index: the success 3 minutes ago is not what counts. */
	st.update.index_mono_ns = NOW - 3600 * S;
	expect(1, RPT_RULE_OK, "ok: no updates pending (apt, checked 3m ago)");
	st.update.index_mono_ns = NOW - 86401 * S;
	st.update.consecutive_failures = 1;
	strcpy(st.update.error, "apt-get update: exit status 100");
	expect(0, RPT_RULE_CHECK, "update check stale: system package index "
	       "last modified 1d ago: apt-get update: exit status 100");
	/* No index (a command): the last success counts, as before. */
	st.update.index_mono_ns = 0;
	st.update.flags = 0;
	st.update.last_success_mono_ns = NOW - 2 * 86400 * S;
	expect(0, RPT_RULE_CHECK, "update check stale: last success 2d ago: "
	       "apt-get update: exit status 100");
}
END_TEST

/* A system index from before boot (an image built before the machine
 * started) has a negative monotonic time; its whole age counts. */
START_TEST(check_index_before_boot)
{
	st.policy.max_success_age_s = 2 * 86400;
	st.update.flags = SHMH_CHECK_SYSTEM_INDEX;
	st.update.index_mono_ns = NOW - 30 * 86400 * S;
	st.update.index_wall = WALL - 30 * 86400;
	ck_assert_int_lt(st.update.index_mono_ns, 0);
	expect(0, RPT_RULE_CHECK,
	       "update check stale: system package index last modified 30d ago");
	/* Only the system's index may predate boot, and not by centuries. */
	st.update.flags = 0;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_SEGMENT);
	st.update.flags = SHMH_CHECK_SYSTEM_INDEX;
	st.update.index_mono_ns = INT64_MIN;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_SEGMENT);
}
END_TEST

/* A check that failed and never succeeded knows nothing: unhealthy at
 * once, whatever --max-failures and --max-check-age allow. */
START_TEST(check_failed_never_succeeded)
{
	st.policy.max_failures = 3;
	st.update.last_success_mono_ns = 0;
	st.update.consecutive_failures = 1;
	strcpy(st.update.error, "apk: exit status 1");
	expect(0, RPT_RULE_CHECK, "update check failed: apk: exit status 1");
	st.policy.max_failures = 0;
	st.policy.max_success_age_s = 0;
	expect(0, RPT_RULE_CHECK, "update check failed: apk: exit status 1");
	st.update.error[0] = '\0';
	expect(0, RPT_RULE_CHECK, "update check failed");
	/* Even with pending updates on record; a failing probe, though, is
	 * what a restart fixes, and is said first. */
	st.update.pending = 2;
	strcpy(st.update.names, "a b");
	expect(0, RPT_RULE_CHECK, "update check failed");
	st.nprobes = 1;
	strcpy(st.probes[0].name, "db");
	st.probes[0].consecutive_failures = 5;
	expect(0, RPT_RULE_PROBE, "probe db failing (5 times): exit status 0");
	/* No check configured: nothing failed. */
	st.update.flags = SHMH_CHECK_OFF;
	st.nprobes = 0;
	expect(1, RPT_RULE_OK, "ok: publisher running, update checks off");
}
END_TEST

START_TEST(check_failing)
{
	st.policy.max_failures = 3;
	strcpy(st.update.error, "dnf: exit status 1");
	st.update.consecutive_failures = 3;
	expect(1, RPT_RULE_OK, "ok: no updates pending as of 3m ago (apt); "
	       "last check failed: dnf: exit status 1");
	st.update.consecutive_failures = 4;
	expect(0, RPT_RULE_CHECK,
	       "update check failing (4 times): dnf: exit status 1");
	st.update.error[0] = '\0';
	expect(0, RPT_RULE_CHECK, "update check failing (4 times)");
	/* No limit: failures alone never make it unhealthy. */
	st.policy.max_failures = 0;
	st.update.consecutive_failures = 4000000000u;
	st.update.last_success_mono_ns = NOW - 2 * 3600 * S;
	expect(1, RPT_RULE_OK, "ok: no updates pending as of 2h ago (apt); "
	       "last check failed");
}
END_TEST

/* A long error is cut on line 1 and given whole on line 2. */
START_TEST(check_long_error)
{
	char err[SHMH_ERROR_LEN], want[SHMH_ERROR_LEN + 16];

	memset(err, 'x', sizeof(err) - 1);
	err[sizeof(err) - 1] = '\0';
	memcpy(st.update.error, err, sizeof(err));
	st.policy.max_failures = 1;
	st.update.consecutive_failures = 2;
	judge();
	limits();
	ck_assert_int_eq(strncmp(v.text, "update check failing (2 times): xxx",
				 35), 0);
	ck_assert_uint_eq(first_line_len(), RPT_LINE_MAX - 1);
	ck_assert_int_eq(strncmp(v.text + first_line_len() - 4, "...\n", 4), 0);
	snprintf(want, sizeof(want), "error: %s", err);
	ck_assert_str_eq(v.text + first_line_len(), want);
}
END_TEST

/* Segment text cannot forge lines or send terminal escapes. */
START_TEST(check_error_sanitized)
{
	strcpy(st.update.error, "bad\nline\033[31mred\177");
	st.policy.max_failures = 1;
	st.update.consecutive_failures = 2;
	expect(0, RPT_RULE_CHECK,
	       "update check failing (2 times): bad?line?[31mred?");
}
END_TEST

/* Whether s holds only whole UTF-8 sequences. */
static int utf8_whole(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = *p < 0x80 ? 0 : *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 :
			*p >= 0xc0 ? 1 : -1;

		if (n < 0)
			return 0;
		for (p++; n > 0; n--, p++)
			if ((*p & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

START_TEST(cut_keeps_utf8_whole)
{
	size_t i;

	for (i = 0; i + 2 < SHMH_ERROR_LEN; i += 2)
		memcpy(st.update.error + i, "\xc3\xa9", 2);	/* é */
	st.policy.max_failures = 1;
	st.update.consecutive_failures = 2;
	judge();
	limits();
	ck_assert(utf8_whole(v.text));
	/* Shifted by one byte, the cut falls on the other half. */
	st.update.consecutive_failures = 20;
	judge();
	limits();
	ck_assert(utf8_whole(v.text));
}
END_TEST

/* ---- the verdict's printf ---- */

/* Several conversions in one format, literal text before, between, after. */
START_TEST(printf_mixed)
{
	char want[RPT_LINE_MAX];

	rpt_text_reset(&v, 1, RPT_RULE_OK);
	rpt_text_printf(&v, "<%s|%d|%u|%ld|%lu|%lld|%llu|%%|%s>", "x", INT_MIN,
			UINT_MAX, LONG_MIN, ULONG_MAX, LLONG_MIN, ULLONG_MAX,
			"");
	snprintf(want, sizeof(want), "<%s|%d|%u|%ld|%lu|%lld|%llu|%%|%s>",
		 "x", INT_MIN, UINT_MAX, LONG_MIN, ULONG_MAX, LLONG_MIN,
		 ULLONG_MAX, "");
	ck_assert_str_eq(v.text, want);
	/* Adjacent conversions, none between them. */
	rpt_text_reset(&v, 1, RPT_RULE_OK);
	rpt_text_printf(&v, "%d%d%s%llu%s", -1, 2, "three", 4ULL, "5");
	ck_assert_str_eq(v.text, "-12three45");
	/* Two calls append, as two puts would. */
	rpt_text_reset(&v, 1, RPT_RULE_OK);
	rpt_text_printf(&v, "a%d", 1);
	rpt_text_printf(&v, "%sc", "b");
	ck_assert_str_eq(v.text, "a1bc");
	limits();
}
END_TEST

/* Control bytes in a %s argument become '?', as through rpt_text_put(). */
START_TEST(printf_control_bytes)
{
	rpt_text_reset(&v, 1, RPT_RULE_OK);
	rpt_text_printf(&v, "[%s]", "a\nb\rc\td\x1b[31me\x7f" "f\x01");
	ck_assert_str_eq(v.text, "[a?b?c?d?[31me?f?]");
	ck_assert_ptr_null(strchr(v.text, '\n'));
	/* The format's own literal text is cleaned too. */
	rpt_text_reset(&v, 1, RPT_RULE_OK);
	rpt_text_printf(&v, "x\ty%s", "");
	ck_assert_str_eq(v.text, "x?y");
}
END_TEST

/*
 * The verdict one rpt_text_put() of the whole formatted string gives:
 * prefix bytes of 'p' put first, then fmt's snprintf() output in one piece.
 */
static void put_whole(struct rpt_verdict *tv, int newline, size_t prefix,
		      const char *formatted)
{
	static char ps[RPT_TEXT_MAX];

	memset(ps, 'p', sizeof(ps));
	rpt_text_reset(tv, 1, RPT_RULE_OK);
	if (newline)
		rpt_text_newline(tv);
	rpt_text_put(tv, ps, prefix);
	rpt_text_put(tv, formatted, strlen(formatted));
}

static void same_verdict(const struct rpt_verdict *a,
			 const struct rpt_verdict *b, size_t prefix)
{
	ck_assert_msg(strcmp(a->text, b->text) == 0,
		      "prefix %zu:\n\"%s\"\n\"%s\"", prefix, a->text, b->text);
	ck_assert_uint_eq(a->len, b->len);
	ck_assert_int_eq(a->line_cut, b->line_cut);
	ck_assert_int_eq(a->full, b->full);
	ck_assert_uint_eq(rpt_text_room(a), rpt_text_room(b));
}

/*
 * A formatted piece that does not fit ends the line in "..." exactly as
 * one put of the whole formatted string would, wherever the cut falls:
 * in literal text, in a number, in a string, in a UTF-8 sequence, on the
 * first line and on a later one against the total limit.
 */
START_TEST(printf_cut_as_put)
{
	static const char arg[] = "caf\xc3\xa9 \xe2\x82\xac\x01z";
	char want_text[RPT_TEXT_MAX];
	struct rpt_verdict want = { .text = want_text, .cap = sizeof(want_text) };
	char formatted[256];
	size_t prefix, limit = _i ? RPT_TEXT_MAX : RPT_LINE_MAX;
	size_t from = limit - 2 - sizeof(formatted) / 2;

	snprintf(formatted, sizeof(formatted),
		 "lit %d, %s; %llu %lu%% %s %lld end", INT_MIN, arg,
		 ULLONG_MAX, 42UL, arg, LLONG_MIN);
	for (prefix = from; prefix < limit; prefix++) {
		put_whole(&want, _i, prefix, formatted);
		/* The whole string fits only while the prefix leaves room. */
		put_whole(&v, _i, prefix, "");
		rpt_text_printf(&v, "lit %d, %s; %llu %lu%% %s %lld end",
				INT_MIN, arg, ULLONG_MAX, 42UL, arg,
				LLONG_MIN);
		same_verdict(&v, &want, prefix);
		limits();
		ck_assert(utf8_whole(v.text));
		/* After the cut, more is dropped, as it would be. */
		rpt_text_printf(&v, "%s%d", "more", 1);
		rpt_text_put(&want, "more1", 5);
		same_verdict(&v, &want, prefix);
	}
	ck_assert_int_eq(v.line_cut, 1);
	ck_assert_str_eq(v.text + v.len - 3, "...");
}
END_TEST

/* ---- rule 6: updates ---- */

static void pending(uint32_t n, const char *names)
{
	st.update.pending = n;
	snprintf(st.update.names, sizeof(st.update.names), "%s", names);
	st.update.pending_since_mono_ns = NOW - 180 * S;
}

static uint32_t fill_names(char *names, size_t len);
static void check_head(const char *names, uint32_t total, uint32_t omitted);
static void check_wrapped(const char *names, const char *more);

START_TEST(updates_default)
{
	pending(3, "curl libssl3 openssl");
	expect(0, RPT_RULE_UPDATES, "Update(s) 3 available: curl libssl3 openssl");
	pending(1, "tzdata");
	expect(0, RPT_RULE_UPDATES, "Update(s) 1 available: tzdata");
	st.update.security = 1;
	expect(0, RPT_RULE_UPDATES, "Update(s) 1 available: tzdata (1 security)");
	st.update.security = 0;
	expect(0, RPT_RULE_UPDATES, "Update(s) 1 available: tzdata");
}
END_TEST

START_TEST(updates_names_edge)
{
	pending(3, "");
	expect(0, RPT_RULE_UPDATES, "Update(s) 3 available");
	st.update.names_omitted = 3;
	expect(0, RPT_RULE_UPDATES, "Update(s) 3 available");
	pending(4, "  a\tb\n ");
	st.update.names_omitted = 2;
	expect(0, RPT_RULE_UPDATES, "Update(s) 4 available: a b (+2 more)");
}
END_TEST

START_TEST(updates_security_only)
{
	st.policy.security_only = 1;
	pending(3, "curl libssl3 openssl");
	st.update.security = SHMH_SECURITY_UNKNOWN;
	expect(1, RPT_RULE_OK, "ok: 3 update(s) pending, within policy "
	       "(apt, checked 3m ago)");
	st.update.security = 0;
	expect(1, RPT_RULE_OK, "ok: 3 update(s) pending, within policy "
	       "(apt, checked 3m ago)");
	/* The headline counts and names the security updates alone. */
	st.update.security = 2;
	st.update.security_names.count = 2;
	strcpy(st.update.security_names.names, "libssl3 openssl");
	expect(0, RPT_RULE_UPDATES, "Update(s) 2 available: libssl3 openssl");
	st.update.security_names.omitted = 1;
	strcpy(st.update.security_names.names, "libssl3");
	expect(0, RPT_RULE_UPDATES, "Update(s) 2 available: libssl3 (+1 more)");
	/* Counted security patches the manager did not name. */
	st.update.security_names.count = 0;
	st.update.security_names.omitted = 0;
	st.update.security_names.names[0] = '\0';
	expect(0, RPT_RULE_UPDATES, "Update(s) 2 available");
	/* Without --security-only: every update, the security ones counted. */
	st.policy.security_only = 0;
	expect(0, RPT_RULE_UPDATES,
	       "Update(s) 3 available: curl libssl3 openssl (2 security)");
}
END_TEST

/* A long security list is cut on line 1, given whole below it. */
START_TEST(updates_security_only_long)
{
	static char names[SHMH_NAMES_LEN];
	uint32_t total;

	st.policy.security_only = 1;
	total = fill_names(names, SHMH_LIST_LEN - 1);
	pending(total + 7, names);
	st.update.security = (int32_t)total;
	st.update.security_names.count = total;
	memcpy(st.update.security_names.names, names, SHMH_LIST_LEN);
	strcpy(st.update.names, "other");
	judge();
	limits();
	ck_assert_int_eq(v.rule, RPT_RULE_UPDATES);
	ck_assert_ptr_null(strstr(v.text, "other"));
	check_head(names, total, 0);
	check_wrapped(names, "");
}
END_TEST

START_TEST(updates_min_updates)
{
	st.policy.min_updates = 5;
	pending(4, "a b c d");
	expect(1, RPT_RULE_OK, "ok: 4 update(s) pending, within policy "
	       "(apt, checked 3m ago)");
	pending(5, "a b c d e");
	expect(0, RPT_RULE_UPDATES, "Update(s) 5 available: a b c d e");
	/* 0 means the default, 1. */
	st.policy.min_updates = 0;
	pending(1, "a");
	expect(0, RPT_RULE_UPDATES, "Update(s) 1 available: a");
	/* With security_only, the threshold counts security updates. */
	st.policy.min_updates = 2;
	st.policy.security_only = 1;
	pending(5, "a b c d e");
	st.update.security = 1;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_OK);
	st.update.security = 2;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_UPDATES);
}
END_TEST

START_TEST(updates_grace)
{
	st.policy.grace_s = 3600;
	pending(2, "a b");
	st.update.pending_since_mono_ns = NOW - 1800 * S;
	expect(1, RPT_RULE_OK, "ok: 2 update(s) pending, within policy "
	       "(apt, checked 3m ago)");
	st.update.pending_since_mono_ns = NOW - 3600 * S;
	expect(0, RPT_RULE_UPDATES, "Update(s) 2 available: a b");
	/* No first-seen time: the finding success stands in for it. */
	st.update.pending_since_mono_ns = 0;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_OK);
	st.update.last_success_mono_ns = NOW - 7200 * S;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_UPDATES);
	/* Too large to reach: never over, no overflow. */
	st.policy.grace_s = INT64_MAX;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_OK);
}
END_TEST

START_TEST(updates_report_only)
{
	st.policy.on_updates = SHMH_ON_UPDATES_REPORT;
	pending(2, "a b");
	expect(1, RPT_RULE_UPDATES, "Update(s) 2 available: a b");
}
END_TEST

/* What a restart fixes comes first: a failing probe (rule 5) before a
 * failing check (rule 7) and pending updates (rule 8), failing or
 * reported; a failing check before pending updates. */
START_TEST(updates_order)
{
	pending(2, "a b");
	st.nprobes = 1;
	strcpy(st.probes[0].name, "db");
	st.probes[0].consecutive_failures = 5;
	expect(0, RPT_RULE_PROBE, "probe db failing (5 times): exit status 0");
	st.policy.on_updates = SHMH_ON_UPDATES_REPORT;
	expect(0, RPT_RULE_PROBE, "probe db failing (5 times): exit status 0");
	st.policy.max_failures = 1;
	st.update.consecutive_failures = 2;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_PROBE);
	st.probes[0].consecutive_failures = 0;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_CHECK);
	st.update.consecutive_failures = 0;
	expect(1, RPT_RULE_UPDATES, "Update(s) 2 available: a b");
	/* The rules' values follow the order too. */
	ck_assert_int_lt(RPT_RULE_STOPPED, RPT_RULE_HEARTBEAT);
	ck_assert_int_lt(RPT_RULE_PROBE, RPT_RULE_STARTING);
	ck_assert_int_lt(RPT_RULE_CHECK, RPT_RULE_UPDATES);
	ck_assert_int_lt(RPT_RULE_PROBE, RPT_RULE_UPDATES);
}
END_TEST

/* Failures within the limit keep the last good result, marked with its
 * age, on the line after the updates (and their names). */
START_TEST(updates_kept_result)
{
	pending(2, "a b");
	st.policy.max_failures = 3;
	st.update.consecutive_failures = 2;
	st.update.last_success_mono_ns = NOW - 2 * 3600 * S;
	strcpy(st.update.error, "apt-get update: exit status 100");
	expect(0, RPT_RULE_UPDATES, "Update(s) 2 available: a b\n"
	       "as of 2h ago (apt); last check failed: apt-get update: "
	       "exit status 100");
	st.update.error[0] = '\0';
	expect(0, RPT_RULE_UPDATES, "Update(s) 2 available: a b\n"
	       "as of 2h ago (apt); last check failed");
}
END_TEST

/* Held, phased and blocked packages: never counted, listed apart, after
 * the first line, cut and counted as the pending names are. */
START_TEST(withheld_lists)
{
	char line[512];

	st.update.held.count = 1;
	strcpy(st.update.held.names, "foo");
	st.update.phased.count = 3;
	st.update.phased.omitted = 1;
	strcpy(st.update.phased.names, "a b");
	st.update.blocked.count = 2;
	expect(1, RPT_RULE_OK, "ok: no updates pending (apt, checked 3m ago)\n"
	       "held (1): foo\nphased (3): a b (+1 more)\nblocked (2)");
	pending(1, "tzdata");
	expect(0, RPT_RULE_UPDATES, "Update(s) 1 available: tzdata\n"
	       "held (1): foo\nphased (3): a b (+1 more)\nblocked (2)");
	/* Not pending: they do not make the count, nor the verdict. */
	pending(0, "");
	st.update.held.count = 500;
	expect(1, RPT_RULE_OK, "ok: no updates pending (apt, checked 3m ago)\n"
	       "held (500): foo\nphased (3): a b (+1 more)\nblocked (2)");
	/* A full list: one line, cut between names, the rest counted. */
	memset(&st.update.phased, 0, sizeof(st.update.phased));
	st.update.blocked.count = 0;
	fill_names(st.update.held.names, SHMH_LIST_LEN - 1);
	judge();
	limits();
	ck_assert_msg(strchr(v.text, '\n') != NULL, "%s", v.text);
	snprintf(line, sizeof(line), "%s", strchr(v.text, '\n') + 1);
	ck_assert_ptr_null(strchr(line, '\n'));
	ck_assert_uint_lt(strlen(line), RPT_LINE_MAX);
	ck_assert_int_eq(strncmp(line, "held (500): pkg-0000-lib ", 25), 0);
	ck_assert_ptr_nonnull(strstr(line, " more)"));
	/* Update checks off: nothing about updates, withheld or not. */
	st.update.flags = SHMH_CHECK_OFF;
	expect(1, RPT_RULE_OK, "ok: publisher running, update checks off");
}
END_TEST

/* No update check configured (--manager none): no starting, no check,
 * no updates rule, whatever the other fields say. */
START_TEST(check_off)
{
	st.update.flags = SHMH_CHECK_OFF;
	strcpy(st.update.backend, "none");
	expect(1, RPT_RULE_OK, "ok: publisher running, update checks off");
	st.update.last_attempt_mono_ns = 0;
	st.update.last_success_mono_ns = 0;
	st.policy.starting_healthy = 0;
	expect(1, RPT_RULE_OK, "ok: publisher running, update checks off");
	st.policy.max_success_age_s = 60;
	st.update.consecutive_failures = 9;
	st.policy.max_failures = 1;
	pending(5, "a b c d e");
	expect(1, RPT_RULE_OK, "ok: publisher running, update checks off");
	/* The rules about the publisher and the probes still speak. */
	st.nprobes = 1;
	strcpy(st.probes[0].name, "db");
	st.probes[0].consecutive_failures = 1;
	expect(0, RPT_RULE_PROBE, "probe db failing (1 time): exit status 0");
	st.state = SHMH_STATE_STOPPED;
	judge();
	ck_assert_int_eq(v.rule, RPT_RULE_STOPPED);
}
END_TEST

/* Fills names with "pkg-NNNN-with-a-longer-name" words up to len bytes. */
static uint32_t fill_names(char *names, size_t len)
{
	size_t used = 0;
	uint32_t n = 0;
	char word[64];

	for (;;) {
		int w = snprintf(word, sizeof(word), "%spkg-%04u-lib%.*s",
				 n ? " " : "", n, (int)(n % 17), "abcdefghijklmnopq");

		if (used + (size_t)w > len)
			break;
		memcpy(names + used, word, (size_t)w);
		used += (size_t)w;
		n++;
	}
	/* Pad the last word to use exactly len bytes. */
	memset(names + used, 'z', len - used);
	names[len] = '\0';
	return n;
}

/* The first line lists a prefix of the names, ending with the right K. */
static void check_head(const char *names, uint32_t total, uint32_t omitted)
{
	char line[RPT_LINE_MAX], tail[64];
	const char *list, *more;
	size_t shown_len, len = first_line_len() - 1;
	unsigned long long k;
	uint32_t shown = 1;
	size_t i;

	memcpy(line, v.text, len);
	line[len] = '\0';
	list = strstr(line, ": ");
	more = strstr(line, " (+");
	ck_assert_ptr_nonnull(list);
	ck_assert_ptr_nonnull(more);
	list += 2;
	shown_len = (size_t)(more - list);
	/* A prefix of the list, cut at a name boundary. */
	ck_assert_int_eq(strncmp(list, names, shown_len), 0);
	ck_assert_int_eq(names[shown_len], ' ');
	for (i = 0; i < shown_len; i++)
		shown += list[i] == ' ';
	ck_assert_int_eq(sscanf(more, " (+%llu more)%63[^\n]", &k, tail) >= 1,
			 1);
	ck_assert_uint_eq(k, (unsigned long long)(total - shown) + omitted);
}

/* The lines after the first hold the whole list, wrapped. */
static void check_wrapped(const char *names, const char *more)
{
	char joined[RPT_TEXT_MAX];
	const char *p = strchr(v.text, '\n') + 1;
	size_t used = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		ck_assert_uint_le(n, RPT_WRAP);
		if (used > 0)
			joined[used++] = ' ';
		memcpy(joined + used, p, n);
		used += n;
		p += n + (nl != NULL);
	}
	joined[used] = '\0';
	ck_assert_int_eq(strncmp(joined, names, strlen(names)), 0);
	ck_assert_str_eq(joined + strlen(names), more);
}

START_TEST(updates_truncated_names)
{
	static char names[SHMH_NAMES_LEN];
	uint32_t total = fill_names(names, SHMH_NAMES_LEN - 1);

	ck_assert_uint_eq(strlen(names), 2047);
	pending(total, names);
	judge();
	limits();
	ck_assert_int_eq(strncmp(v.text, "Update(s) ", 10), 0);
	ck_assert_int_eq(v.healthy, 0);
	check_head(names, total, 0);
	check_wrapped(names, "");
}
END_TEST

START_TEST(updates_truncated_with_omitted_and_security)
{
	static char names[SHMH_NAMES_LEN];
	uint32_t total = fill_names(names, SHMH_NAMES_LEN - 1);
	const char *sec;

	pending(total + 999000, names);
	st.update.names_omitted = 999000;
	st.update.security = 123456;
	judge();
	limits();
	check_head(names, total, 999000);
	sec = strstr(v.text, " (123456 security)\n");
	ck_assert_ptr_nonnull(sec);
	ck_assert_uint_eq((size_t)(sec - v.text) + 19, first_line_len());
	check_wrapped(names, " (+999000 more)");
}
END_TEST

/* A name too long for line 1 goes whole to line 2. */
START_TEST(updates_huge_name)
{
	char name[301];

	memset(name, 'n', 300);
	name[300] = '\0';
	pending(2, name);
	st.update.names_omitted = 1;
	judge();
	limits();
	ck_assert_int_eq(strncmp(v.text, "Update(s) 2 available\n", 22), 0);
	ck_assert_int_eq(strncmp(v.text + 22, name, 300), 0);
	ck_assert_str_eq(v.text + 322, "\n(+1 more)");
}
END_TEST

/*
 * shm-reader's first try has room for 512 bytes and tries again with
 * RPT_TEXT_MAX when the text comes back full (reader/main.c).  So a
 * verdict in the small room must either be the whole one, byte for byte,
 * or say full: for name lists of every length, with and without names
 * omitted, and a name too long for any line.
 */
START_TEST(updates_first_try_room)
{
	static char names[sizeof(st.update.names)];
	char small_text[512];
	struct rpt_verdict small = { .text = small_text,
				     .cap = sizeof(small_text) };
	size_t n, fulls = 0, whole = 0;

	for (n = 0; n < 900; n += 7) {
		size_t i;

		for (i = 0; i < n && i + 1 < sizeof(names); i++)
			names[i] = i % 9 == 8 ? ' ' : (char)('a' + i % 26);
		names[i] = '\0';
		pending((uint32_t)(n / 9 + 1), names);
		st.update.names_omitted = (uint32_t)(n % 3);
		judge();
		rpt_verdict(&st, NOW, &o.judge, &small);
		if (small.full) {
			fulls++;
			continue;
		}
		whole++;
		ck_assert_msg(small.len == v.len && strcmp(small.text, v.text) == 0,
			      "names %zu: \"%s\" against \"%s\"", n,
			      small.text, v.text);
		ck_assert_int_eq(small.healthy, v.healthy);
		ck_assert_int_eq(small.rule, v.rule);
	}
	/* Both ways were taken: the test says something about each. */
	ck_assert_uint_gt(fulls, 10);
	ck_assert_uint_gt(whole, 10);
}
END_TEST

/* ---- rule 7: probes ---- */

static void probe(uint32_t i, const char *name, uint32_t failures,
		  uint32_t retries, int32_t status, const char *output)
{
	struct shmh_probe *p = &st.probes[i];

	if (st.nprobes <= i)
		st.nprobes = i + 1;
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->consecutive_failures = failures;
	p->retries = retries;
	p->status = status;
	p->last_run_mono_ns = NOW - 10 * S;
	snprintf(p->output, sizeof(p->output), "%s", output);
}

START_TEST(probes_failing)
{
	probe(0, "web", 0, 0, 0, "");
	probe(1, "db", 1, 0, 1, "connection refused");
	expect(0, RPT_RULE_PROBE, "probe db failing (1 time): connection refused");
	probe(1, "db", 2, 3, 1, "connection refused");
	expect(1, RPT_RULE_OK, "ok: no updates pending (apt, checked 3m ago)");
	probe(1, "db", 3, 3, 2, "");
	expect(0, RPT_RULE_PROBE, "probe db failing (3 times): exit status 2");
	probe(1, "db", 3, 3, -9, "");
	expect(0, RPT_RULE_PROBE, "probe db failing (3 times): killed by signal 9");
	probe(1, "db", 3, 3, INT32_MIN, "");
	expect(0, RPT_RULE_PROBE,
	       "probe db failing (3 times): killed by signal 2147483648");
}
END_TEST

START_TEST(probes_long_output)
{
	char out[SHMH_PROBE_OUTPUT_LEN];

	memset(out, 'o', sizeof(out) - 1);
	out[sizeof(out) - 1] = '\0';
	probe(0, "a-rather-long-probe-name-here", 4000000000u, 1, 1, out);
	judge();
	limits();
	ck_assert_int_eq(v.rule, RPT_RULE_PROBE);
	ck_assert_ptr_nonnull(strstr(v.text, "...\noutput: ooo"));
}
END_TEST

/* ---- rule 8: ok ---- */

START_TEST(ok_text)
{
	expect(1, RPT_RULE_OK, "ok: no updates pending (apt, checked 3m ago)");
	st.update.consecutive_failures = 1;
	strcpy(st.update.error, "apt-get: exit status 100");
	expect(1, RPT_RULE_OK, "ok: no updates pending as of 3m ago (apt); "
	       "last check failed: apt-get: exit status 100");
	setup();
	st.update.pending = 4;
	st.policy.min_updates = 5;
	expect(1, RPT_RULE_OK, "ok: 4 update(s) pending, within policy "
	       "(apt, checked 3m ago)");
	setup();
	st.update.backend[0] = '\0';
	st.update.last_success_mono_ns = NOW - 41 * S;
	expect(1, RPT_RULE_OK, "ok: no updates pending (unknown, checked 41s ago)");
}
END_TEST

/* ---- helpers ---- */

START_TEST(humanize)
{
	static const struct { int64_t ns; const char *text; } cases[] = {
		{ -5 * S, "0s" }, { 0, "0s" }, { S - 1, "0s" }, { 41 * S, "41s" },
		{ 59 * S, "59s" }, { 60 * S, "1m" }, { 3599 * S, "59m" },
		{ 3600 * S, "1h" }, { 86399 * S, "23h" }, { 86400 * S, "1d" },
		{ 2 * 86400 * S + 5, "2d" }, { INT64_MAX, "106751d" },
		{ INT64_MIN, "0s" }, { -1, "0s" }, { S, "1s" },
		{ 60 * S - 1, "59s" }, { 119 * S, "1m" }, { 120 * S, "2m" },
		{ 3600 * S - 1, "59m" }, { 86400 * S - 1, "23h" },
		{ 99 * 86400 * S, "99d" },
	};
	char buf[RPT_AGE_LEN];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_str_eq(rpt_humanize(cases[i].ns, buf), cases[i].text);
}
END_TEST

/* The builder never passes the total limit, however much is put. */
START_TEST(text_total_limit)
{
	static char big[3 * RPT_TEXT_MAX];
	int i;

	memset(big, 'b', sizeof(big) - 1);
	rpt_text_reset(&v, 0, RPT_RULE_OK);
	rpt_text_put(&v, "first", 5);
	for (i = 0; i < 100; i++) {
		rpt_text_newline(&v);
		rpt_text_put(&v, big, 50);
	}
	limits();
	ck_assert_int_eq(v.full, 1);
	ck_assert_str_eq(v.text + v.len - 3, "...");
	rpt_text_reset(&v, 0, RPT_RULE_OK);
	rpt_text_newline(&v);
	rpt_text_put(&v, big, sizeof(big) - 1);
	rpt_text_newline(&v);
	rpt_text_printf(&v, "%s", "more");
	limits();
	ck_assert_uint_eq(v.len, RPT_TEXT_MAX - 2);
}
END_TEST

static Suite *verdict_suite(void)
{
	Suite *s = suite_create("verdict");
	TCase *t;

#define TC(name, ...) do {						\
	t = tcase_create(name);						\
	tcase_add_checked_fixture(t, setup, NULL);			\
	__VA_ARGS__							\
	suite_add_tcase(s, t);						\
} while (0)
#define T(fn) tcase_add_test(t, fn);
	TC("segment", T(refused_messages) T(refused_names_option_without_path)
	   T(refused_long_path_fits) T(read_missing_segment)
	   T(read_real_segment));
	TC("validate", T(invalid_unterminated_strings)
	   T(invalid_ignores_unused_probes) T(invalid_state_and_interval)
	   T(invalid_counts) T(invalid_policy) T(invalid_times));
	TC("heartbeat", T(heartbeat_default_max_age) T(heartbeat_max_age_option)
	   T(heartbeat_never) T(heartbeat_before_state));
	TC("state", T(stopped) T(starting)
	   T(starting_overdue));
	TC("check", T(check_stale) T(check_stale_index) T(check_index_before_boot)
	   T(check_failed_never_succeeded) T(check_off)
	   T(check_failing) T(check_long_error) T(check_error_sanitized)
	   T(cut_keeps_utf8_whole));
	TC("printf", T(printf_mixed) T(printf_control_bytes)
	   tcase_add_loop_test(t, printf_cut_as_put, 0, 2););
	TC("updates", T(updates_default) T(updates_names_edge)
	   T(updates_security_only) T(updates_min_updates) T(updates_grace)
	   T(updates_report_only) T(updates_order) T(updates_kept_result)
	   T(withheld_lists) T(updates_security_only_long)
	   T(updates_truncated_names)
	   T(updates_truncated_with_omitted_and_security)
	   T(updates_huge_name) T(updates_first_try_room));
	TC("probes", T(probes_failing) T(probes_long_output));
	TC("ok", T(ok_text) T(humanize) T(text_total_limit));
#undef T
#undef TC
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(verdict_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
