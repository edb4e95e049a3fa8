/* SPDX-License-Identifier: MIT */
/*
 * Check suite for the report's output formats (report/fmt*.c, buf.c): each
 * format of each kind of report against a golden file in tests/golden/
 * (fixed clocks, so exact), the exit statuses, the size bound, JSON that
 * parses whatever bytes the segment holds, and small buffers.
 *
 * SHMHEALTH_GOLDEN=DIR reads the golden files from DIR; with
 * SHMHEALTH_GOLDEN_UPDATE=1 the cases write them instead (review the diff).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/buf.h"
#include "report/fmt.h"
#include "report/names.h"
#include "reader/segment.h"
#include "shm/shm.h"
#include "tests/support/json.h"

#define S	1000000000LL
#define NOW	(1000000 * S)
#define WALL	1700000000LL
#define SEGMENT	"/dev/shm/shmhealth"

static struct shmh_status st;
static struct rdr_options o;
static char r_text[RPT_TEXT_MAX];
static struct rpt_report r = {
	.verdict = { .text = r_text, .cap = sizeof(r_text) },
};

static const char *const ext[] = {
	[RPT_FMT_TEXT] = "txt", [RPT_FMT_JSON] = "json",
	[RPT_FMT_PROMETHEUS] = "prom", [RPT_FMT_NAGIOS] = "nagios",
};

/* A running apt publisher, checked 3 minutes ago, nothing pending. */
static void setup(void)
{
	memset(&st, 0, sizeof(st));
	st.pid = 42;
	st.state = SHMH_STATE_RUNNING;
	st.heartbeat_count = 12345;
	st.heartbeat_mono_ns = NOW - 1200 * 1000000LL;
	st.heartbeat_wall = WALL - 1;
	st.started_mono_ns = NOW - 3600 * S;
	st.started_wall = WALL - 3600;
	st.heartbeat_interval_ms = 10000;
	st.policy.on_updates = SHMH_ON_UPDATES_FAIL;
	st.policy.min_updates = 1;
	st.policy.max_failures = 3;
	st.policy.max_success_age_s = 172800;
	st.policy.starting_healthy = 1;
	strcpy(st.update.backend, "apt");
	st.update.last_attempt_mono_ns = NOW - 180 * S;
	st.update.last_attempt_wall = WALL - 180;
	st.update.last_success_mono_ns = NOW - 180 * S;
	st.update.last_success_wall = WALL - 180;
	st.update.checks = 3;
	st.update.security = 0;
	rdr_options_init(&o);
}

static void judge(void)
{
	rpt_build(&r, SEGMENT, &st, NOW, &o.judge);
}

static void probe(uint32_t i, const char *name, uint32_t failures,
		  int32_t status, const char *output)
{
	struct shmh_probe *p = &st.probes[i];

	if (st.nprobes <= i)
		st.nprobes = i + 1;
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->consecutive_failures = failures;
	p->status = status;
	p->retries = 1;
	p->duration_ms = 12;
	p->last_run_mono_ns = NOW - 20 * S;
	p->last_run_wall = WALL - 20;
	if (failures == 0) {
		p->last_success_mono_ns = p->last_run_mono_ns;
		p->last_success_wall = p->last_run_wall;
	}
	snprintf(p->output, sizeof(p->output), "%s", output);
}

static void pending(uint32_t n, int32_t security, const char *names)
{
	st.update.pending = n;
	st.update.security = security;
	snprintf(st.update.names, sizeof(st.update.names), "%s", names);
	st.update.pending_since_mono_ns = NOW - 7200 * S;
	st.update.pending_since_wall = WALL - 7200;
}

/* ---- golden files ---- */

static const char *golden_dir(void)
{
	const char *d = getenv("SHMHEALTH_GOLDEN");

	return d != NULL && d[0] != '\0' ? d : "tests/golden";
}

static void golden(const char *name, const char *got)
{
	static char want[2 * RPT_FORMAT_MAX];
	char path[512];
	const char *update = getenv("SHMHEALTH_GOLDEN_UPDATE");
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", golden_dir(), name);
	if (update != NULL && strcmp(update, "1") == 0) {
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(got, f);
		fclose(f);
		return;
	}
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	n = fread(want, 1, sizeof(want) - 1, f);
	fclose(f);
	want[n] = '\0';
	ck_assert_msg(strcmp(want, got) == 0, "%s differs:\n--- want\n%s"
		      "--- got\n%s", path, want, got);
}

/* The shape every format keeps: under RPT_FORMAT_MAX, one final newline,
 * no NUL inside; JSON parses; Nagios is one line.  NULL if so.  (Not
 * ck_assert each: Check records every passing assertion, too slow for the
 * random cases.) */
static const char *shape(enum rpt_format f, const char *out, size_t n)
{
	if (n != strlen(out))
		return "NUL inside";
	if (n == 0 || n >= RPT_FORMAT_MAX)
		return "empty or too long";
	if (out[n - 1] != '\n')
		return "no final newline";
	if (f == RPT_FMT_JSON && !tst_json_line(out))
		return "not one JSON line";
	if (f == RPT_FMT_NAGIOS && strchr(out, '\n') != out + n - 1)
		return "not one line";
	return NULL;
}

static void well_formed(enum rpt_format f, const char *out, size_t n)
{
	const char *why = shape(f, out, n);

	ck_assert_msg(why == NULL, "%s (%zu bytes): %s", why, n, out);
}

/*
 * Formats r in every format, checks each against tests/golden/NAME.EXT and
 * the exit statuses: want_exit for text, json and prometheus, want_nagios
 * for nagios.
 */
static void check_all(const char *name, int want_exit, int want_nagios)
{
	char out[RPT_FORMAT_MAX], file[128];
	size_t n;
	int f;

	for (f = RPT_FMT_TEXT; f <= RPT_FMT_NAGIOS; f++) {
		n = rpt_format((enum rpt_format)f, &r, out, sizeof(out));
		well_formed((enum rpt_format)f, out, n);
		snprintf(file, sizeof(file), "%s.%s", name, ext[f]);
		golden(file, out);
		ck_assert_int_eq(rpt_format_exit((enum rpt_format)f, &r),
				 f == RPT_FMT_NAGIOS ? want_nagios : want_exit);
	}
}

static const char *prometheus_lines(const char *out);

/* ---- each kind of report, every format ---- */

START_TEST(fmt_healthy)
{
	probe(0, "web", 0, 0, "HTTP/1.1 200 OK");
	judge();
	check_all("healthy", 0, RPT_NAGIOS_OK);
}
END_TEST

START_TEST(fmt_updates_security)
{
	pending(3, 1, "curl libssl3 openssl");
	probe(0, "web", 0, 0, "HTTP/1.1 200 OK");
	judge();
	check_all("updates", 1, RPT_NAGIOS_CRITICAL);
}
END_TEST

/* No security update: WARNING.  Security unknown (apk): no security
 * sample, no security perfdata, null in JSON. */
START_TEST(fmt_updates_no_security)
{
	pending(2, 0, "a b");
	judge();
	ck_assert_int_eq(rpt_nagios_state(&r), RPT_NAGIOS_WARNING);
	strcpy(st.update.backend, "apk");
	pending(2, SHMH_SECURITY_UNKNOWN, "musl zlib");
	judge();
	check_all("updates-unknown-security", 1, RPT_NAGIOS_WARNING);
}
END_TEST

/* --on-updates report: healthy, OK, the same reason; the policy shown is
 * the effective one. */
START_TEST(fmt_report_only)
{
	pending(2, 0, "a b");
	o.judge.ov.set = RPT_OVR_ON_UPDATES | RPT_OVR_GRACE;
	o.judge.ov.p.on_updates = SHMH_ON_UPDATES_REPORT;
	o.judge.ov.p.grace_s = 60;
	o.judge.max_age_ms = 90500;
	judge();
	check_all("report", 0, RPT_NAGIOS_OK);
}
END_TEST

START_TEST(fmt_starting)
{
	st.state = SHMH_STATE_STARTING;
	st.update.last_attempt_mono_ns = 0;
	st.update.last_success_mono_ns = 0;
	st.update.checks = 0;
	st.update.security = SHMH_SECURITY_UNKNOWN;
	st.update.running = 1;
	probe(0, "web", 0, 0, "");
	st.probes[0].last_run_mono_ns = 0;
	st.probes[0].last_success_mono_ns = 0;
	judge();
	check_all("starting", 0, RPT_NAGIOS_OK);
	/* Unhealthy by policy, but the check cannot tell yet: UNKNOWN. */
	o.judge.ov.set = RPT_OVR_STARTING;
	judge();
	ck_assert_int_eq(rpt_nagios_state(&r), RPT_NAGIOS_UNKNOWN);
}
END_TEST

/* A first check overdue (past its timeout) cannot tell: unhealthy, and
 * UNKNOWN as every check that cannot see is. */
START_TEST(fmt_starting_overdue)
{
	st.update.last_attempt_mono_ns = 0;
	st.update.last_success_mono_ns = 0;
	st.update.checks = 0;
	st.update.running = 1;
	st.update.timeout_s = 600;
	judge();
	ck_assert_int_eq(r.verdict.healthy, 0);
	ck_assert_int_eq(rpt_nagios_state(&r), RPT_NAGIOS_UNKNOWN);
	ck_assert_str_eq(r.verdict.text, "update check stale: first update "
			 "check still running after 1h");
	st.update.timeout_s = 7200;
	judge();
	ck_assert_int_eq(r.verdict.healthy, 1);
	ck_assert_int_eq(r.verdict.rule, RPT_RULE_STARTING);
}
END_TEST

START_TEST(fmt_stale_heartbeat)
{
	pending(2, 0, "a b");
	st.heartbeat_mono_ns = NOW - 125 * S;
	st.heartbeat_wall = WALL - 125;
	judge();
	check_all("stale", 1, RPT_NAGIOS_CRITICAL);
}
END_TEST

START_TEST(fmt_stopped)
{
	st.state = SHMH_STATE_STOPPED;
	judge();
	check_all("stopped", 1, RPT_NAGIOS_CRITICAL);
}
END_TEST

START_TEST(fmt_check_failing)
{
	pending(1, 0, "tzdata");
	st.update.consecutive_failures = 4;
	st.update.last_attempt_mono_ns = NOW - 60 * S;
	st.update.last_attempt_wall = WALL - 60;
	st.update.checks = 7;
	strcpy(st.update.error, "apt-get update: exit status 100: Could not "
	       "resolve 'deb.debian.org'");
	judge();
	check_all("check-failing", 1, RPT_NAGIOS_UNKNOWN);
}
END_TEST

/* A failing probe; one never run (no sample); a repeated name (one
 * series). */
START_TEST(fmt_probe_failing)
{
	probe(0, "web", 0, 0, "HTTP/1.1 200 OK");
	probe(1, "db", 3, 2, "connection refused");
	probe(2, "cache", 0, 0, "");
	st.probes[2].last_run_mono_ns = 0;
	st.probes[2].last_success_mono_ns = 0;
	probe(3, "web", 1, 1, "again");
	judge();
	check_all("probe-failing", 1, RPT_NAGIOS_CRITICAL);
}
END_TEST

START_TEST(fmt_missing)
{
	struct shmh_map m;

	shmh_map_init(&m);
	strcpy(m.path, "/dev/shm/none");
	rpt_failed(&r, m.path, SHMH_ENOSEG, NOW);
	rdr_verdict_refused(SHMH_ENOSEG, &m, &o, &r.verdict);
	ck_assert_int_eq(rpt_trusted(&r), 0);
	check_all("missing", 1, RPT_NAGIOS_UNKNOWN);
}
END_TEST

/* Invalid: nothing of the snapshot is shown, not even its counts. */
START_TEST(fmt_invalid)
{
	pending(2, 0, "a b");
	st.state = 9;
	judge();
	ck_assert_int_eq(rpt_trusted(&r), 0);
	check_all("invalid", 1, RPT_NAGIOS_UNKNOWN);
}
END_TEST

/* Every kind of byte the segment may hold, in every string it holds. */
START_TEST(fmt_escapes)
{
	pending(5, 0, "\"q\" back\\slash caf\xc3\xa9\x7f bad\xff\xfe a|b");
	strcpy(st.update.backend, "ap\"t\\");
	strcpy(st.update.error, "tab\there \"quoted\" nl\nend");
	st.update.consecutive_failures = 1;
	probe(0, "we\"b\\\n\xff", 0, 0, "\x01\x1f\t\xc3\xa9 \xe2\x82\xac "
	      "\xf0\x9f\x98\x80 \xed\xa0\x80 \xc0\xaf \xf4\x90\x80\x80 \xe2\x82");
	rpt_build(&r, "/tmp/a\"b\\c", &st, NOW, &o.judge);
	check_all("escapes", 1, RPT_NAGIOS_WARNING);
}
END_TEST

/* A failing probe comes before pending updates, in every format and in
 * report mode too: CRITICAL, not WARNING. */
START_TEST(fmt_probe_before_updates)
{
	pending(3, 1, "curl libssl3 openssl");
	probe(0, "db", 3, 2, "connection refused");
	judge();
	check_all("probe-updates", 1, RPT_NAGIOS_CRITICAL);
	o.judge.ov.set = RPT_OVR_ON_UPDATES;
	o.judge.ov.p.on_updates = SHMH_ON_UPDATES_REPORT;
	judge();
	ck_assert_int_eq(r.verdict.rule, RPT_RULE_PROBE);
	ck_assert_int_eq(rpt_nagios_state(&r), RPT_NAGIOS_CRITICAL);
}
END_TEST

/* Failed, never succeeded: unhealthy at once, UNKNOWN, nothing counted. */
START_TEST(fmt_check_failed)
{
	st.update.last_success_mono_ns = 0;
	st.update.consecutive_failures = 1;
	st.update.checks = 1;
	strcpy(st.update.error, "apt-get update: exit status 100");
	judge();
	check_all("check-failed", 1, RPT_NAGIOS_UNKNOWN);
}
END_TEST

/* --max-check-age from the system's index: UNKNOWN, the index's time
 * and kind in JSON, its timestamp in Prometheus. */
START_TEST(fmt_stale_index)
{
	st.update.flags = SHMH_CHECK_SYSTEM_INDEX;
	st.update.index_mono_ns = NOW - 3 * 86400 * S;
	st.update.index_wall = WALL - 3 * 86400;
	st.policy.max_success_age_s = 4 * 86400;
	judge();
	ck_assert_int_eq(r.verdict.rule, RPT_RULE_OK);
	st.policy.max_success_age_s = 86400;
	judge();
	check_all("stale-index", 1, RPT_NAGIOS_UNKNOWN);
	st.update.flags = 0;
	judge();
	ck_assert_str_eq(r.verdict.text,
			 "update check stale: package index refreshed 3d ago");
}
END_TEST

/* No update check configured: "not checked" in every format. */
START_TEST(fmt_check_off)
{
	strcpy(st.update.backend, "none");
	st.update.flags = SHMH_CHECK_OFF;
	st.update.security = SHMH_SECURITY_UNKNOWN;
	probe(0, "web", 0, 0, "HTTP/1.1 200 OK");
	judge();
	check_all("off", 0, RPT_NAGIOS_OK);
	/* Whatever the counts say, with thresholds too. */
	pending(5, 5, "a b c d e");
	o.judge.thr.have_warning = o.judge.thr.have_critical = 1;
	judge();
	ck_assert_int_eq(rpt_nagios_state(&r), RPT_NAGIOS_OK);
}
END_TEST

/* Withheld lists, security names, versions and the index, every format. */
static void withheld(void)
{
	pending(3, 2, "curl libssl3 openssl");
	strcpy(st.update.versions, "7.88.1-10 7.88.1-10+deb12u5\n"
	       "3.0.11-1 3.0.13-1\n- 3.0.13-1\n");
	st.update.security_names.count = 2;
	strcpy(st.update.security_names.names, "libssl3 openssl");
	st.update.held.count = 1;
	strcpy(st.update.held.names, "linux-image-amd64");
	st.update.phased.count = 3;
	st.update.phased.omitted = 1;
	strcpy(st.update.phased.names, "systemd udev");
	st.update.blocked.count = 1;
	strcpy(st.update.blocked.names, "libfoo2");
	st.update.index_mono_ns = NOW - 3600 * S;
	st.update.index_wall = WALL - 3600;
}

START_TEST(fmt_withheld)
{
	withheld();
	judge();
	check_all("withheld", 1, RPT_NAGIOS_CRITICAL);
}
END_TEST

/* Withheld packages with nothing pending: healthy, OK, still listed. */
START_TEST(fmt_withheld_only)
{
	withheld();
	pending(0, 0, "");
	st.update.versions[0] = '\0';
	st.update.security_names.count = 0;
	st.update.security_names.names[0] = '\0';
	judge();
	check_all("withheld-only", 0, RPT_NAGIOS_OK);
}
END_TEST

/* The Nagios line alone. */
static const char *nagios_line(void)
{
	static char out[RPT_FORMAT_MAX];

	judge();
	rpt_format(RPT_FMT_NAGIOS, &r, out, sizeof(out));
	return out;
}

/* --security-only: the headline counts and names the security updates;
 * Nagios thresholds sit on the security count. */
START_TEST(fmt_security_only)
{
	withheld();
	o.judge.ov.set = RPT_OVR_SECURITY_ONLY;
	o.judge.ov.p.security_only = 1;
	judge();
	ck_assert_str_eq(r.verdict.text, "Update(s) 2 available: libssl3 "
			 "openssl\nheld (1): linux-image-amd64\nphased (3): "
			 "systemd udev (+1 more)\nblocked (1): libfoo2");
	o.judge.thr.have_warning = 1;
	o.judge.thr.warning = 1;
	ck_assert_str_eq(nagios_line(), "SHMHEALTH CRITICAL - Update(s) 2 "
			 "available: libssl3 openssl | updates=3;;;0 "
			 "security=2;1;;0 held=1;;;0 phased=3;;;0 "
			 "blocked=1;;;0\n");
	o.judge.thr.have_critical = 1;
	o.judge.thr.critical = 2;
	ck_assert_str_eq(nagios_line(), "SHMHEALTH WARNING - Update(s) 2 "
			 "available: libssl3 openssl | updates=3;;;0 "
			 "security=2;1;2;0 held=1;;;0 phased=3;;;0 "
			 "blocked=1;;;0\n");
}
END_TEST

/* Thresholds: each given decides its own state, above it; one not given
 * keeps the default (WARNING when updates make it unhealthy, CRITICAL if
 * one is a security update).  The states of the other rules stay. */
START_TEST(fmt_nagios_thresholds)
{
	pending(3, 0, "a b c");
	ck_assert_str_eq(nagios_line(), "SHMHEALTH WARNING - Update(s) 3 "
			 "available: a b c | updates=3;;;0 security=0;;;0 "
			 "held=0;;;0 phased=0;;;0 blocked=0;;;0\n");
	o.judge.thr.have_warning = 1;
	o.judge.thr.warning = 3;
	ck_assert_str_eq(nagios_line(), "SHMHEALTH OK - Update(s) 3 "
			 "available: a b c | updates=3;3;;0 security=0;;;0 "
			 "held=0;;;0 phased=0;;;0 blocked=0;;;0\n");
	o.judge.thr.warning = 2;
	ck_assert_int_eq((nagios_line(), rpt_nagios_state(&r)),
			 RPT_NAGIOS_WARNING);
	o.judge.thr.have_critical = 1;
	o.judge.thr.critical = 2;
	ck_assert_str_eq(nagios_line(), "SHMHEALTH CRITICAL - Update(s) 3 "
			 "available: a b c | updates=3;2;2;0 security=0;;;0 "
			 "held=0;;;0 phased=0;;;0 blocked=0;;;0\n");
	ck_assert_int_eq(rpt_format_exit(RPT_FMT_NAGIOS, &r),
			 RPT_NAGIOS_CRITICAL);
	/* Healthy by policy, over a threshold: the headline, not "ok". */
	o.judge.ov.set = RPT_OVR_MIN_UPDATES;
	o.judge.ov.p.min_updates = 10;
	o.judge.thr.critical = 5;
	ck_assert_str_eq(nagios_line(), "SHMHEALTH WARNING - Update(s) 3 "
			 "available: a b c | updates=3;2;5;0 security=0;;;0 "
			 "held=0;;;0 phased=0;;;0 blocked=0;;;0\n");
	ck_assert_int_eq(rpt_format_exit(RPT_FMT_TEXT, &r), 0);
	/* Only -c: a security update over it is CRITICAL, and without
	 * -w the policy's verdict says WARNING or not. */
	o.judge.ov.set = 0;
	o.judge.thr.have_warning = 0;
	pending(3, 1, "a b c");
	ck_assert_int_eq((nagios_line(), rpt_nagios_state(&r)),
			 RPT_NAGIOS_WARNING);
	o.judge.thr.critical = 0;
	ck_assert_int_eq((nagios_line(), rpt_nagios_state(&r)),
			 RPT_NAGIOS_CRITICAL);
	/* A failing probe and a dead publisher are CRITICAL whatever the
	 * thresholds; a check that cannot tell is UNKNOWN. */
	o.judge.thr.critical = 100;
	probe(0, "db", 1, 1, "down");
	ck_assert_int_eq((nagios_line(), rpt_nagios_state(&r)),
			 RPT_NAGIOS_CRITICAL);
	st.nprobes = 0;
	st.heartbeat_mono_ns = NOW - 3600 * S;
	ck_assert_int_eq((nagios_line(), rpt_nagios_state(&r)),
			 RPT_NAGIOS_CRITICAL);
	setup();
	st.policy.max_success_age_s = 60;
	ck_assert_int_eq((nagios_line(), rpt_nagios_state(&r)),
			 RPT_NAGIOS_UNKNOWN);
	st.update.last_attempt_mono_ns = 0;
	st.update.last_success_mono_ns = 0;
	/* Started within --max-check-age: the first check is not overdue. */
	st.started_mono_ns = NOW - 30 * S;
	ck_assert_int_eq((nagios_line(), rpt_nagios_state(&r)),
			 RPT_NAGIOS_OK);
	st.policy.starting_healthy = 0;
	ck_assert_str_eq(nagios_line(), "SHMHEALTH UNKNOWN - starting: first "
			 "update check pending\n");
}
END_TEST

/* The packages of JSON from names and versions, which are untrusted:
 * any line that is not two words is versions not told, and names past
 * the last line have none. */
START_TEST(fmt_packages_versions)
{
	char out[RPT_FORMAT_MAX], *end;
	const char *p;

	pending(7, 1, "a b c d e f g");
	strcpy(st.update.versions, "1 2\n- 2\n1 -\nonly-one\n1 2 3\n"
	       "\t 4\t\x01 5 \n");
	st.update.security_names.count = 1;
	strcpy(st.update.security_names.names, "c");
	judge();
	rpt_format(RPT_FMT_JSON, &r, out, sizeof(out));
	well_formed(RPT_FMT_JSON, out, strlen(out));
	p = strstr(out, "\"packages\":");
	ck_assert_ptr_nonnull(p);
	end = strstr(p, "\"index_refreshed\"");
	ck_assert_ptr_nonnull(end);
	*end = '\0';

	ck_assert_str_eq(p, "\"packages\":["
		"{\"name\":\"a\",\"installed\":\"1\",\"candidate\":\"2\","
		"\"security\":false},"
		"{\"name\":\"b\",\"installed\":null,\"candidate\":\"2\","
		"\"security\":false},"
		"{\"name\":\"c\",\"installed\":\"1\",\"candidate\":null,"
		"\"security\":true},"
		"{\"name\":\"d\",\"installed\":null,\"candidate\":null,"
		"\"security\":false},"
		"{\"name\":\"e\",\"installed\":null,\"candidate\":null,"
		"\"security\":false},"
		"{\"name\":\"f\",\"installed\":\"4\",\"candidate\":\"5\","
		"\"security\":false},"
		"{\"name\":\"g\",\"installed\":null,\"candidate\":null,"
		"\"security\":false}],\"packages_omitted\":0,");
	/* A line holding only bytes that are not words, one with no end. */
	strcpy(st.update.versions, "\x7f\xff \"\\\n\x01");
	judge();
	rpt_format(RPT_FMT_JSON, &r, out, sizeof(out));
	well_formed(RPT_FMT_JSON, out, strlen(out));
	ck_assert_ptr_nonnull(strstr(out, "{\"name\":\"a\",\"installed\":"
				     "\"\\u007f?\",\"candidate\":"
				     "\"\\\"\\\\\",\"security\":false},"
				     "{\"name\":\"b\",\"installed\":null,"));
}
END_TEST

/* ---- limits ---- */

/* Fills s[0..size-1) with words of byte c separated by spaces. */
static void fill_words(char *s, size_t size, unsigned char c, size_t word)
{
	size_t i;

	for (i = 0; i + 1 < size; i++)
		s[i] = (i + 1) % (word + 1) == 0 ? ' ' : (char)c;
	s[size - 1] = '\0';
}

/* A list at its widest: every count, every name as long as it can be
 * (each byte of it shown as '?'). */
static void worst_list(struct shmh_names *l)
{
	l->count = 1000000;
	l->omitted = 999000;
	fill_words(l->names, sizeof(l->names), 0xff, 7);
}

/* Versions lines of two words, as many as fit, each as dear to escape. */
static void worst_versions(char *v, size_t size)
{
	size_t i;

	for (i = 0; i + 1 < size; i++)
		v[i] = i % 16 == 15 ? '\n' : i % 16 == 7 ? ' ' : '\xff';
	v[size - 1] = '\0';
}

/* Every field at its widest and every string at its most expensive to
 * escape: still under RPT_FORMAT_MAX, still parses, names counted. */
static void worst(char *path, size_t pathlen)
{
	uint32_t i;

	memset(path, '"', pathlen - 1);
	path[0] = '/';
	path[pathlen - 1] = '\0';
	st.pid = INT32_MIN;
	st.heartbeat_count = UINT64_MAX;
	st.heartbeat_wall = st.started_wall = INT64_MIN;
	st.heartbeat_interval_ms = 86400000;
	st.heartbeat_mono_ns = NOW - 259199999 * 1000000LL;
	st.policy.max_failures = UINT32_MAX;
	st.policy.max_success_age_s = INT64_MAX;
	st.policy.min_updates = 1000000;
	pending(1000000, 1000000, "");
	st.update.names_omitted = 999000;
	fill_words(st.update.names, sizeof(st.update.names), 0xff, 7);
	memset(st.update.error, 1, sizeof(st.update.error) - 1);
	st.update.consecutive_failures = st.update.checks = UINT32_MAX;
	st.update.last_attempt_wall = st.update.last_success_wall = INT64_MIN;
	st.update.pending_since_wall = INT64_MIN;
	memset(st.update.backend, 1, sizeof(st.update.backend) - 1);
	worst_list(&st.update.security_names);
	worst_list(&st.update.held);
	worst_list(&st.update.phased);
	worst_list(&st.update.blocked);
	worst_versions(st.update.versions, sizeof(st.update.versions));
	st.update.flags = SHMH_CHECK_SYSTEM_INDEX;
	st.update.index_mono_ns = NOW - S;
	st.update.index_wall = INT64_MIN;
	for (i = 0; i < SHMH_PROBES; i++) {
		probe(i, "", 0, INT32_MIN, "");
		memset(st.probes[i].name, 0xff, sizeof(st.probes[i].name) - 1);
		memset(st.probes[i].output, 1, sizeof(st.probes[i].output) - 1);
		st.probes[i].duration_ms = st.probes[i].retries = UINT32_MAX;
		/* As wide, one short of failing: the updates rule decides. */
		st.probes[i].consecutive_failures = UINT32_MAX - 1;
		st.probes[i].last_run_wall = INT64_MIN;
		st.probes[i].last_success_mono_ns = NOW - S;
		st.probes[i].last_success_wall = INT64_MIN;
	}
	rpt_build(&r, path, &st, NOW, &o.judge);
}

/* Names listed in the JSON plus names_omitted: all of them. */
static void names_accounted(const char *json, unsigned long long total)
{
	const char *p = strstr(json, "\"names\":[");
	unsigned long long shown = 0, omitted;

	ck_assert_ptr_nonnull(p);
	/* Count the quotes that open or close a name, not escaped ones. */
	for (p += 9; *p != ']'; p++) {
		if (*p == '\\')
			p++;
		else
			shown += *p == '"';
	}
	ck_assert_int_eq(sscanf(p, "],\"names_omitted\":%llu", &omitted), 1);
	ck_assert_uint_eq(shown / 2 + omitted, total);
}

/* A list object of the JSON: names listed plus omitted, all of them. */
static void list_accounted(const char *json, const char *key,
			   unsigned long long total)
{
	char head[64];
	const char *p;
	unsigned long long shown = 0, omitted;

	snprintf(head, sizeof(head), "\"%s\":{\"count\":", key);
	p = strstr(json, head);
	ck_assert_msg(p != NULL, "no %s", key);
	p = strstr(p, "\"names\":[");
	for (p += 9; *p != ']'; p++) {
		if (*p == '\\')
			p++;
		else
			shown += *p == '"';
	}
	ck_assert_int_eq(sscanf(p, "],\"omitted\":%llu", &omitted), 1);
	ck_assert_uint_eq(shown / 2 + omitted, total);
}

/* Packages listed plus packages_omitted: every pending name. */
static void packages_accounted(const char *json, unsigned long long total)
{
	const char *p = strstr(json, "\"packages\":["), *end;
	unsigned long long shown = 0, omitted;

	ck_assert_ptr_nonnull(p);
	end = strstr(p, "],\"packages_omitted\":");
	ck_assert_ptr_nonnull(end);
	while ((p = strstr(p, "{\"name\":")) != NULL && p < end) {
		shown++;
		p++;
	}
	ck_assert_int_eq(sscanf(end, "],\"packages_omitted\":%llu",
				&omitted), 1);
	ck_assert_uint_eq(shown + omitted, total);
}

START_TEST(fmt_worst_case)
{
	static char path[SHMH_PATH_MAX];
	char out[RPT_FORMAT_MAX];
	const char *cur = NULL, *name;
	unsigned long long total = 999000;
	size_t n;
	int f;

	worst(path, sizeof(path));
	ck_assert_int_eq(r.verdict.rule, RPT_RULE_UPDATES);
	for (cur = st.update.names; rpt_names_next(&cur, &name) > 0;)
		total++;
	for (f = RPT_FMT_TEXT; f <= RPT_FMT_NAGIOS; f++) {
		n = rpt_format((enum rpt_format)f, &r, out, sizeof(out));
		well_formed((enum rpt_format)f, out, n);
	}
	n = rpt_format(RPT_FMT_JSON, &r, out, sizeof(out));
	names_accounted(out, total);
	packages_accounted(out, total);
	total = 999000;
	for (cur = st.update.held.names; rpt_names_next(&cur, &name) > 0;)
		total++;
	list_accounted(out, "security_names", total);
	list_accounted(out, "held", total);
	list_accounted(out, "phased", total);
	list_accounted(out, "blocked", total);
	golden("worst.json", out);
	/* Strings are cut, keys never dropped. */
	ck_assert_ptr_nonnull(strstr(out, "...\""));
	ck_assert_ptr_nonnull(strstr(out, "\"output\":"));
}
END_TEST

/* Room for some names but not all: as many as fit, the rest counted. */
START_TEST(fmt_json_names_cut)
{
	char out[RPT_FORMAT_MAX];
	const char *cur, *name;
	unsigned long long total = 5;
	size_t n, i;

	pending(1000, 0, "");
	for (i = 0; i + 1 < sizeof(st.update.names); i++)
		st.update.names[i] = i % 2 == 1 ? ' ' : "\x7f\"b"[i / 2 % 3];
	st.update.names_omitted = 5;
	for (cur = st.update.names; rpt_names_next(&cur, &name) > 0;)
		total++;
	judge();
	n = rpt_format(RPT_FMT_JSON, &r, out, sizeof(out));
	well_formed(RPT_FMT_JSON, out, n);
	names_accounted(out, total);
	ck_assert_ptr_null(strstr(out, "\"names\":[],\"names_omitted\""));
	ck_assert_ptr_null(strstr(out, "...\""));
	/* Nearly full: fewer names would have been a waste of room. */
	ck_assert_uint_gt(n, RPT_FORMAT_MAX - 40);
}
END_TEST

/* Many security updates: as many samples as fit, one per name (a
 * repeated one, or two that read the same as labels, once), and
 * shmhealth_healthy still last. */
START_TEST(fmt_prometheus_security_list)
{
	char out[RPT_FORMAT_MAX], *last;
	const char *p;
	unsigned samples = 0;
	size_t n;

	pending(1000, 1000, "");
	st.update.security_names.count = 1000;
	strcpy(st.update.security_names.names, "dup dup bad\xff bad\xfe ok");
	judge();
	n = rpt_format(RPT_FMT_PROMETHEUS, &r, out, sizeof(out));
	well_formed(RPT_FMT_PROMETHEUS, out, n);
	ck_assert_ptr_null(prometheus_lines(out));
	for (p = out; (p = strstr(p, "\nshmhealth_security_update{")) != NULL;
	     p++)
		samples++;
	ck_assert_uint_eq(samples, 3);
	ck_assert_ptr_nonnull(strstr(out, "shmhealth_security_update{manager="
				     "\"apt\",package=\"bad?\"} 1\n"));
	/* A full list of distinct names: cut, within the bound. */
	fill_words(st.update.security_names.names,
		   sizeof(st.update.security_names.names), 'x', 3);
	for (n = 0; n < sizeof(st.update.security_names.names) - 1; n += 4)
		st.update.security_names.names[n] = (char)('A' + n / 4 % 58);
	for (n = 1; n < sizeof(st.update.security_names.names) - 1; n += 4)
		st.update.security_names.names[n] = (char)('A' + n / 232 % 58);
	judge();
	n = rpt_format(RPT_FMT_PROMETHEUS, &r, out, sizeof(out));
	well_formed(RPT_FMT_PROMETHEUS, out, n);
	ck_assert_ptr_null(prometheus_lines(out));
	for (samples = 0, p = out;
	     (p = strstr(p, "\nshmhealth_security_update{")) != NULL; p++)
		samples++;
	ck_assert_uint_gt(samples, 20);
	ck_assert_uint_lt(samples, 126);
	ck_assert_uint_gt(n, RPT_FORMAT_MAX - 80);
	out[n - 1] = '\0';
	last = strrchr(out, '\n');
	ck_assert_str_eq(last, "\nshmhealth_healthy 0");
}
END_TEST

/* A shorter buffer: never overrun, always terminated. */
START_TEST(fmt_small_buffers)
{
	static const size_t lens[] = { 1, 2, 10, 64, 100, 500, 1000, 2000,
		3000, 3999 };
	static char path[SHMH_PATH_MAX];
	char out[RPT_FORMAT_MAX + 16];
	size_t i, n;
	int f;

	worst(path, 300);
	for (f = RPT_FMT_TEXT; f <= RPT_FMT_NAGIOS; f++) {
		ck_assert_uint_eq(rpt_format((enum rpt_format)f, &r, NULL, 0),
				  0);
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			memset(out, 'X', sizeof(out));
			n = rpt_format((enum rpt_format)f, &r, out, lens[i]);
			ck_assert_uint_lt(n, lens[i]);
			ck_assert_uint_eq(strlen(out), n);
			ck_assert_int_eq(out[lens[i]], 'X');
		}
	}
}
END_TEST

/* ---- any segment: random fields, every format well formed ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(rng >> 33) % n;
}

/* A random string of the bytes that matter to an escaper, NUL-terminated
 * within size, often empty, sometimes full. */
static void rnd_string(char *s, size_t size)
{
	static const char bytes[] = "a \"\\\n\t\x01\x7f|{=\xc3\xa9\xe2\x82\xac"
		"\xf0\x9f\x98\x80\xff\xed\xa0";
	size_t n = rnd(3) == 0 ? 0 : rnd(4) == 0 ? size - 1 : rnd(size), i;

	for (i = 0; i < n; i++)
		s[i] = bytes[rnd(sizeof(bytes) - 1)];
	s[n] = '\0';
}

/* A random list of at most max names in all. */
static void rnd_list(struct shmh_names *l, uint32_t max)
{
	l->count = rnd(max + 1);
	l->omitted = rnd(l->count + 1);
	rnd_string(l->names, sizeof(l->names));
}

static int64_t rnd_time(void)
{
	return rnd(4) == 0 ? 0 : NOW - (int64_t)rnd(1000000) * S;
}

static void rnd_status(void)
{
	uint32_t i;

	st.state = 1 + rnd(4);
	st.heartbeat_mono_ns = rnd(3) == 0 ? NOW - rnd(100) * S : NOW;
	st.update.last_attempt_mono_ns = rnd_time();
	st.update.last_success_mono_ns = rnd_time();
	st.update.pending_since_mono_ns = rnd_time();
	st.update.pending = rnd(5) == 0 ? 1000000 : rnd(50);
	st.update.security = (int32_t)rnd(st.update.pending + 2) - 1;
	st.update.names_omitted = rnd(st.update.pending + 1);
	st.update.consecutive_failures = rnd(6);
	st.policy.on_updates = rnd(2);
	st.policy.security_only = rnd(2);
	rnd_string(st.update.backend, sizeof(st.update.backend));
	rnd_string(st.update.error, sizeof(st.update.error));
	rnd_string(st.update.names, sizeof(st.update.names));
	rnd_string(st.update.versions, sizeof(st.update.versions));
	rnd_list(&st.update.security_names, st.update.pending);
	rnd_list(&st.update.held, 1000000);
	rnd_list(&st.update.phased, 3);
	rnd_list(&st.update.blocked, 1000000);
	st.update.flags = rnd(SHMH_CHECK_FLAGS_ALL + 1);
	st.update.index_mono_ns = rnd_time();
	st.update.index_wall = rnd(2) ? WALL : 0;
	st.policy.max_success_age_s = rnd(3) == 0 ? 0 : rnd(2000000);
	o.judge.thr.have_warning = rnd(2);
	o.judge.thr.warning = rnd(40);
	o.judge.thr.have_critical = rnd(2);
	o.judge.thr.critical = o.judge.thr.warning + rnd(40);
	st.nprobes = rnd(SHMH_PROBES + 1);
	for (i = 0; i < st.nprobes; i++) {
		probe(i, "", rnd(3), (int32_t)rnd(3) - 1, "");
		st.probes[i].last_run_mono_ns = rnd_time();
		rnd_string(st.probes[i].name, sizeof(st.probes[i].name));
		rnd_string(st.probes[i].output, sizeof(st.probes[i].output));
	}
}

/* Whole output valid UTF-8, and every Prometheus line a comment or a
 * sample of ours (an unescaped newline in a label would break one). */
static const char *prometheus_lines(const char *out)
{
	const unsigned char *u = (const unsigned char *)out;
	const char *line = out;
	size_t n;

	for (; *u != '\0'; u += n)
		if ((n = tst_utf8_len(u)) == 0)
			return "not UTF-8";
	for (; *line != '\0'; line = strchr(line, '\n') + 1)
		if (strncmp(line, "# HELP shmhealth_", 17) != 0 &&
		    strncmp(line, "# TYPE shmhealth_", 17) != 0 &&
		    strncmp(line, "shmhealth_", 10) != 0)
			return "not a comment or sample line";
	return NULL;
}

START_TEST(fmt_random_segments)
{
	char out[RPT_FORMAT_MAX];
	const char *why = NULL;
	int i, f;
	size_t n = 0;

	for (i = 0; i < 3000 && why == NULL; i++) {
		setup();
		rnd_status();
		judge();
		for (f = RPT_FMT_TEXT; f <= RPT_FMT_NAGIOS && !why; f++) {
			n = rpt_format((enum rpt_format)f, &r, out,
				       sizeof(out));
			why = shape((enum rpt_format)f, out, n);
			if (why == NULL && f == RPT_FMT_PROMETHEUS)
				why = prometheus_lines(out);
		}
	}
	ck_assert_msg(why == NULL, "case %d: %s (%zu bytes): %s", i, why, n,
		      out);
}
END_TEST

/* ---- helpers ---- */

START_TEST(utf8_len)
{
	static const struct { const char *s; size_t len; } cases[] = {
		{ "a", 1 }, { "\x7f", 1 }, { "\xc3\xa9", 2 }, { "\xc2\x80", 2 },
		{ "\xe2\x82\xac", 3 }, { "\xef\xbf\xbd", 3 },
		{ "\xf0\x9f\x98\x80", 4 }, { "\xf4\x8f\xbf\xbf", 4 },
		{ "\x80", 0 }, { "\xbf", 0 }, { "\xc0\xaf", 0 }, { "\xc1\xbf", 0 },
		{ "\xc3", 0 }, { "\xc3(", 0 }, { "\xe0\x80\xaf", 0 },
		{ "\xe0\x9f\xbf", 0 }, { "\xed\xa0\x80", 0 },
		{ "\xed\xbf\xbf", 0 }, { "\xe2\x82", 0 },
		{ "\xf0\x8f\xbf\xbf", 0 }, { "\xf4\x90\x80\x80", 0 },
		{ "\xf5\x80\x80\x80", 0 }, { "\xff", 0 }, { "\xfe", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(rpt_utf8_len((const unsigned char *)cases[i].s,
					   strlen(cases[i].s)) == cases[i].len,
			      "case %zu", i);
	/* Bounded by n, not by a NUL. */
	ck_assert_uint_eq(rpt_utf8_len((const unsigned char *)"\xe2\x82\xac",
				       2), 0);
}
END_TEST

/* What may be shown as it is, and what becomes one '?' and for how
 * many bytes. */
START_TEST(utf8_safe)
{
	static const struct { const char *s; size_t len, used; } cases[] = {
		{ "a", 1, 1 }, { "~", 1, 1 }, { "\xc3\xa9", 2, 2 },
		{ "\xc2\xa0", 2, 2 },			/* U+00A0, past C1 */
		{ "\xe2\x82\xac", 3, 3 }, { "\xf0\x9f\x98\x80", 4, 4 },
		{ "\xe2\x80\x8d", 3, 3 },		/* U+200D ZWJ */
		{ "\xe2\x80\xa9", 3, 3 }, { "\xe2\x80\xaf", 3, 3 },
		{ "\xe2\x81\xa5", 3, 3 }, { "\xe2\x81\xaa", 3, 3 },
		{ "\xd8\x9b", 2, 2 }, { "\xd8\x9d", 2, 2 },
		/* C0 and DEL */
		{ "\x01", 0, 1 }, { "\x1b", 0, 1 }, { "\n", 0, 1 },
		{ "\x7f", 0, 1 },
		/* C1: U+0080, U+009B CSI, U+009D OSC, U+009F */
		{ "\xc2\x80", 0, 2 }, { "\xc2\x9b", 0, 2 }, { "\xc2\x9d", 0, 2 },
		{ "\xc2\x9f", 0, 2 },
		/* bidi: ALM, LRM, RLM, LRE..RLO, LRI..PDI */
		{ "\xd8\x9c", 0, 2 }, { "\xe2\x80\x8e", 0, 3 },
		{ "\xe2\x80\x8f", 0, 3 }, { "\xe2\x80\xaa", 0, 3 },
		{ "\xe2\x80\xab", 0, 3 }, { "\xe2\x80\xac", 0, 3 },
		{ "\xe2\x80\xad", 0, 3 }, { "\xe2\x80\xae", 0, 3 },
		{ "\xe2\x81\xa6", 0, 3 }, { "\xe2\x81\xa7", 0, 3 },
		{ "\xe2\x81\xa8", 0, 3 }, { "\xe2\x81\xa9", 0, 3 },
		/* ill-formed: one '?' for a lead and its continuations */
		{ "\x80", 0, 1 }, { "\xbf\xbf", 0, 1 }, { "\xff", 0, 1 },
		{ "\xc0\xaf", 0, 2 }, { "\xc1\xbf", 0, 2 },
		{ "\xe0\x80\xaf", 0, 3 }, { "\xed\xa0\x80", 0, 3 },
		{ "\xf0\x8f\xbf\xbf", 0, 4 }, { "\xf4\x90\x80\x80", 0, 4 },
		{ "\xf5\x80\x80\x80", 0, 4 }, { "\xe2\x82", 0, 2 },
		{ "\xe2\x82x", 0, 2 }, { "\xc3(", 0, 1 },
	};
	size_t i, used, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		used = 99;
		len = rpt_utf8_safe((const unsigned char *)cases[i].s,
				    strlen(cases[i].s), &used);
		ck_assert_msg(len == cases[i].len && used == cases[i].used,
			      "case %zu: got %zu, %zu", i, len, used);
	}
}
END_TEST

/* A package name keeps A-Z a-z 0-9 . _ + : @ ~ -; any other byte is '?'. */
START_TEST(name_chars)
{
	const char *ok = "AZaz09._+:@~-", *name;
	char out[RPT_NAME_PIECE], longname[RPT_NAME_PIECE + 10];
	size_t n;
	int c;

	for (c = 1; c < 256; c++)
		ck_assert_int_eq(rpt_name_char((char)c),
				 strchr(ok, c) != NULL ||
				 (c >= 'A' && c <= 'Z') ||
				 (c >= 'a' && c <= 'z') ||
				 (c >= '0' && c <= '9') ? c : '?');
	ck_assert_int_eq(rpt_name_char('\0'), '?');
	name = "lib\xc2\x9b/x";
	n = 7;
	ck_assert_uint_eq(rpt_name_piece(&name, &n, out), 7);
	ck_assert_mem_eq(out, "lib???x", 7);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(rpt_name_piece(&name, &n, out), 0);
	/* A long name comes in pieces of RPT_NAME_PIECE bytes. */
	memset(longname, 'a', sizeof(longname));
	longname[RPT_NAME_PIECE] = '/';
	name = longname;
	n = sizeof(longname);
	ck_assert_uint_eq(rpt_name_piece(&name, &n, out), RPT_NAME_PIECE);
	ck_assert_uint_eq(n, sizeof(longname) - RPT_NAME_PIECE);
	ck_assert_uint_eq(rpt_name_piece(&name, &n, out), sizeof(longname) - RPT_NAME_PIECE);
	ck_assert_int_eq(out[0], '?');
	ck_assert_ptr_eq(name, longname + sizeof(longname));
}
END_TEST

/* Terminal escapes (C1 CSI and OSC), bidi overrides and ill-formed
 * sequences in the segment's strings: '?' in every format, never the raw
 * bytes. */
#define HOSTILE	"a\xc2\x9b" "1m\xc2\x9d" "b\xe2\x80\xae" "c\xe2\x81\xa6" \
		"d\xd8\x9c" "e\xe2\x80\x8f" "f\xed\xa0\x80" "g\xc0\xaf" "h\xe2\x82"
#define SHOWN	"a?1m?b?c?d?e?f?g?h?"

static void no_raw(const char *out)
{
	static const char *const raw[] = {
		"\xc2\x9b", "\xc2\x9d", "\xe2\x80\xae", "\xe2\x81\xa6",
		"\xd8\x9c", "\xe2\x80\x8f", "\xed\xa0", "\xc0", "\xe2\x82",
		"\xef\xbf\xbd", "\\ufffd",
	};
	size_t i;

	for (i = 0; i < sizeof(raw) / sizeof(raw[0]); i++)
		ck_assert_msg(strstr(out, raw[i]) == NULL, "raw %zu in %s", i,
			      out);
}

START_TEST(fmt_unsafe_text)
{
	char out[RPT_FORMAT_MAX];

	probe(0, "web", 3, 1, "out: " HOSTILE);
	st.probes[0].retries = 3;
	judge();
	rpt_format(RPT_FMT_TEXT, &r, out, sizeof(out));
	no_raw(out);
	ck_assert_str_eq(out, "probe web failing (3 times): out: " SHOWN "\n");
	rpt_format(RPT_FMT_NAGIOS, &r, out, sizeof(out));
	no_raw(out);
	ck_assert_ptr_nonnull(strstr(out, "CRITICAL - probe web failing (3 "
				     "times): out: " SHOWN));
	rpt_format(RPT_FMT_JSON, &r, out, sizeof(out));
	no_raw(out);
	ck_assert_ptr_nonnull(strstr(out, "\"reason\":\"probe web failing (3 "
				     "times): out: " SHOWN "\""));
	ck_assert_ptr_nonnull(strstr(out, "\"output\":\"out: " SHOWN "\""));
	/* The error of a failed check too. */
	setup();
	st.update.last_success_mono_ns = 0;
	st.update.consecutive_failures = 1;
	strcpy(st.update.error, HOSTILE);
	judge();
	rpt_format(RPT_FMT_TEXT, &r, out, sizeof(out));
	no_raw(out);
	ck_assert_str_eq(out, "update check failed: " SHOWN "\n");
	rpt_format(RPT_FMT_JSON, &r, out, sizeof(out));
	no_raw(out);
	ck_assert_ptr_nonnull(strstr(out, "\"error\":\"" SHOWN "\""));
}
END_TEST

START_TEST(fmt_unsafe_prometheus)
{
	char out[RPT_FORMAT_MAX];

	probe(0, "p\xc2\x9b" "1\xe2\x80\xae" "2\xc0\xaf" "3\xff", 0, 0, "");
	strcpy(st.update.backend, "a\xc2\x9d" "t");
	pending(2, 2, "x");
	strcpy(st.update.security_names.names, "lib\xc2\x9bz q\xe2\x80\xaer");
	st.update.security_names.count = 2;
	judge();
	rpt_format(RPT_FMT_PROMETHEUS, &r, out, sizeof(out));
	no_raw(out);
	ck_assert_ptr_nonnull(strstr(out, "{probe=\"p?1?2?3?\"}"));
	ck_assert_ptr_nonnull(strstr(out, "{manager=\"a?t\"}"));
	ck_assert_ptr_nonnull(strstr(out, "package=\"lib??z\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(out, "package=\"q???r\"} 1\n"));
}
END_TEST

/* Package names: one '?' per byte outside the names' characters, in
 * every format. */
START_TEST(fmt_unsafe_names)
{
	char out[RPT_FORMAT_MAX];

	pending(3, 0, "lib\xc2\x9bz q\xe2\x80\xaer ok-1.2+b~3:x@y_Z");
	strcpy(st.update.held.names, "h/\x7f[0m");
	st.update.held.count = 1;
	judge();
	rpt_format(RPT_FMT_TEXT, &r, out, sizeof(out));
	no_raw(out);
	ck_assert_str_eq(out, "Update(s) 3 available: lib??z q???r "
			 "ok-1.2+b~3:x@y_Z\nheld (1): h???0m\n");
	rpt_format(RPT_FMT_NAGIOS, &r, out, sizeof(out));
	no_raw(out);
	ck_assert_ptr_nonnull(strstr(out, "available: lib??z q???r "
				     "ok-1.2+b~3:x@y_Z |"));
	rpt_format(RPT_FMT_JSON, &r, out, sizeof(out));
	no_raw(out);
	ck_assert_ptr_nonnull(strstr(out, "\"names\":[\"lib??z\",\"q???r\","
				     "\"ok-1.2+b~3:x@y_Z\"]"));
	ck_assert_ptr_nonnull(strstr(out, "\"names\":[\"h???0m\"]"));
	ck_assert_ptr_nonnull(strstr(out, "{\"name\":\"q???r\","));
}
END_TEST

START_TEST(rule_names)
{
	ck_assert_str_eq(rpt_rule_name(RPT_RULE_SEGMENT), "segment");
	ck_assert_str_eq(rpt_rule_name(RPT_RULE_HEARTBEAT), "heartbeat");
	ck_assert_str_eq(rpt_rule_name(RPT_RULE_STOPPED), "stopped");
	ck_assert_str_eq(rpt_rule_name(RPT_RULE_STARTING), "starting");
	ck_assert_str_eq(rpt_rule_name(RPT_RULE_CHECK), "check");
	ck_assert_str_eq(rpt_rule_name(RPT_RULE_UPDATES), "updates");
	ck_assert_str_eq(rpt_rule_name(RPT_RULE_PROBE), "probe");
	ck_assert_str_eq(rpt_rule_name(RPT_RULE_OK), "ok");
	ck_assert_str_eq(rpt_rule_name((enum rpt_rule)99), "unknown");
}
END_TEST

/* The buffer stores whole pieces only and counts what it could not. */
START_TEST(buf_pieces)
{
	char b4[5];
	struct rpt_buf b;

	rpt_buf_init(&b, b4, sizeof(b4));
	rpt_buf_puts(&b, "ab");
	rpt_buf_puts(&b, "cde");
	rpt_buf_puts(&b, "f");
	ck_assert_str_eq(b4, "ab");
	ck_assert_uint_eq(b.need, 6);
	ck_assert_int_eq(b.over, 1);
	rpt_buf_init(&b, NULL, 0);
	rpt_buf_printf(&b, "%d", 12345);
	ck_assert_uint_eq(b.need, 5);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

static Suite *fmt_suite(void)
{
	Suite *s = suite_create("report formats");
	TCase *t;

#define TC(name, ...) do {						\
	t = tcase_create(name);						\
	tcase_add_checked_fixture(t, setup, NULL);			\
	__VA_ARGS__							\
	suite_add_tcase(s, t);						\
} while (0)
#define T(fn) tcase_add_test(t, fn);
	TC("golden", T(fmt_healthy) T(fmt_updates_security)
	   T(fmt_updates_no_security) T(fmt_report_only) T(fmt_starting)
	   T(fmt_starting_overdue)
	   T(fmt_stale_heartbeat) T(fmt_stopped) T(fmt_check_failing)
	   T(fmt_probe_failing) T(fmt_missing) T(fmt_invalid)
	   T(fmt_escapes) T(fmt_probe_before_updates) T(fmt_check_failed)
	   T(fmt_stale_index) T(fmt_check_off) T(fmt_withheld)
	   T(fmt_withheld_only) T(fmt_security_only)
	   T(fmt_nagios_thresholds) T(fmt_packages_versions));
	TC("limits", T(fmt_worst_case) T(fmt_json_names_cut)
	   T(fmt_prometheus_security_list)
	   T(fmt_small_buffers) T(fmt_random_segments));
	TC("hostile", T(fmt_unsafe_text) T(fmt_unsafe_prometheus)
	   T(fmt_unsafe_names));
	TC("helpers", T(utf8_len) T(utf8_safe) T(name_chars) T(rule_names)
	   T(buf_pieces));
#undef T
#undef TC
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(fmt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
