/* SPDX-License-Identifier: MIT */
/*
 * Check suite for shm-reader's options (reader/options.c): flags, the
 * SHMHEALTH_* environment under them, the policy overrides and formats,
 * and every usage error's message.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader/options.h"
#include "shm/util.h"

static struct rdr_options o;

/* The caller's environment must not leak into the cases. */
static void setup(void)
{
	static const char *const vars[] = { "SHMHEALTH_SEGMENT",
		"SHMHEALTH_MAX_AGE", "SHMHEALTH_OWNER", "SHMHEALTH_QUIET",
		"SHMHEALTH_FORMAT", "SHMHEALTH_ON_UPDATES",
		"SHMHEALTH_SECURITY_ONLY", "SHMHEALTH_MIN_UPDATES",
		"SHMHEALTH_MAX_FAILURES", "SHMHEALTH_GRACE",
		"SHMHEALTH_MAX_CHECK_AGE", "SHMHEALTH_STARTING",
		"SHMHEALTH_WARNING", "SHMHEALTH_CRITICAL" };
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
}

static int parse(int argc, const char *const *args, char *err)
{
	static char *argv[16];
	int i;

	for (i = 0; i < argc; i++)
		argv[i] = (char *)args[i];
	argv[argc] = NULL;
	err[0] = '\0';
	return rdr_parse_options(&o, argc, argv, environ, err, RDR_ERR_MAX);
}

#define PARSE(err, ...) parse(sizeof((const char *[]){ __VA_ARGS__ }) / \
			      sizeof(const char *),			\
			      (const char *[]){ __VA_ARGS__ }, err)

START_TEST(options_defaults_and_flags)
{
	char err[RDR_ERR_MAX];

	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_str_eq(o.segment, "shmhealth");
	ck_assert_uint_eq(o.judge.max_age_ms, 0);
	ck_assert_int_eq(o.have_owner, 0);
	ck_assert_int_eq(o.quiet, 0);
	ck_assert_int_eq(o.action, RDR_ACTION_CHECK);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--segment", "/run/x",
			       "--max-age=90s", "--owner", "1000", "-q",
			       "--format", "text"), 0);
	ck_assert_str_eq(o.segment, "/run/x");
	ck_assert_uint_eq(o.judge.max_age_ms, 90000);
	ck_assert_int_eq(o.have_owner, 1);
	ck_assert_uint_eq(o.owner, 1000);
	ck_assert_int_eq(o.quiet, 1);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--max-age", "250ms"), 0);
	ck_assert_uint_eq(o.judge.max_age_ms, 250);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--help"), 0);
	ck_assert_int_eq(o.action, RDR_ACTION_HELP);
	ck_assert_int_eq(PARSE(err, "shm-reader", "-V"), 0);
	ck_assert_int_eq(o.action, RDR_ACTION_VERSION);
}
END_TEST

START_TEST(options_environment)
{
	char err[RDR_ERR_MAX];

	setenv("SHMHEALTH_SEGMENT", "envseg", 1);
	setenv("SHMHEALTH_MAX_AGE", "2m", 1);
	setenv("SHMHEALTH_OWNER", "0", 1);
	setenv("SHMHEALTH_QUIET", "Yes", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_str_eq(o.segment, "envseg");
	ck_assert_uint_eq(o.judge.max_age_ms, 120000);
	ck_assert_int_eq(o.have_owner, 1);
	ck_assert_uint_eq(o.owner, 0);
	ck_assert_int_eq(o.quiet, 1);
	/* A flag wins, even over a variable that would not parse. */
	setenv("SHMHEALTH_MAX_AGE", "soon", 1);
	setenv("SHMHEALTH_QUIET", "maybe", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--segment", "flag",
			       "--max-age", "5s", "--quiet"), 0);
	ck_assert_str_eq(o.segment, "flag");
	ck_assert_uint_eq(o.judge.max_age_ms, 5000);
	ck_assert_int_eq(PARSE(err, "shm-reader"), -1);
	ck_assert_str_eq(err, "SHMHEALTH_MAX_AGE: bad duration 'soon' (use "
			 "e.g. 90s, 5m, 1h; more than 0)");
	/* Empty means unset. */
	setenv("SHMHEALTH_MAX_AGE", "", 1);
	setenv("SHMHEALTH_QUIET", "0", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_uint_eq(o.judge.max_age_ms, 0);
	ck_assert_int_eq(o.quiet, 0);
	setenv("SHMHEALTH_QUIET", "maybe", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader"), -1);
	ck_assert_str_eq(err, "SHMHEALTH_QUIET: 'maybe' is not 1, 0, true, "
			 "false, yes, no, on or off");
}
END_TEST

START_TEST(options_errors)
{
	static const struct { const char *args[4]; const char *err; } cases[] = {
		{ { "--max-age", "0" }, "--max-age: bad duration '0' (use e.g. "
		  "90s, 5m, 1h; more than 0)" },
		{ { "--max-age", "-5s" }, "--max-age: bad duration '-5s' (use "
		  "e.g. 90s, 5m, 1h; more than 0)" },
		{ { "--owner", "-1" }, "--owner: bad uid '-1' (a number)" },
		{ { "--owner", " 5" }, "--owner: bad uid ' 5' (a number)" },
		{ { "--owner", "12a" }, "--owner: bad uid '12a' (a number)" },
		{ { "--owner", "4294967295" },
		  "--owner: bad uid '4294967295' (a number)" },
		{ { "--owner", "99999999999999999999" },
		  "--owner: bad uid '99999999999999999999' (a number)" },
		{ { "--format", "xml" }, "--format: unknown format 'xml' (use "
		  "text, json, prometheus or nagios)" },
		{ { "--format", "JSON" }, "--format: unknown format 'JSON' (use "
		  "text, json, prometheus or nagios)" },
		{ { "--on-updates", "warn" }, "--on-updates: 'warn' is not fail "
		  "or report" },
		{ { "--starting", "ok" }, "--starting: 'ok' is not unhealthy or "
		  "healthy" },
		{ { "--min-updates", "0" }, "--min-updates: bad number '0' (1 to "
		  "4294967295)" },
		{ { "--min-updates", "4294967296" }, "--min-updates: bad number "
		  "'4294967296' (1 to 4294967295)" },
		{ { "--min-updates", "-1" }, "--min-updates: bad number '-1' (1 "
		  "to 4294967295)" },
		{ { "--min-updates", "3x" }, "--min-updates: bad number '3x' (1 "
		  "to 4294967295)" },
		{ { "--min-updates", "+3" }, "--min-updates: bad number '+3' (1 "
		  "to 4294967295)" },
		{ { "--max-failures", "" }, "--max-failures: bad number '' (0 to "
		  "4294967295; 0: no limit)" },
		{ { "--max-failures", "99999999999999999999" }, "--max-failures: "
		  "bad number '99999999999999999999' (0 to 4294967295; 0: no "
		  "limit)" },
		{ { "--grace", "1w" }, "--grace: bad duration '1w' (use e.g. 90s, "
		  "5m, 1h; 0: none)" },
		{ { "--grace", "-1s" }, "--grace: bad duration '-1s' (use e.g. "
		  "90s, 5m, 1h; 0: none)" },
		{ { "--max-check-age", "soon" }, "--max-check-age: bad duration "
		  "'soon' (use e.g. 90s, 5m, 1h; 0: no limit)" },
		{ { "--security-only=yes" }, "option '--security-only' takes no "
		  "value" },
		{ { "--bogus=1" }, "unknown option '--bogus=1'" },
		{ { "--segment", "" }, "--segment: empty segment name" },
		{ { "--bogus" }, "unknown option '--bogus'" },
		{ { "-x" }, "unknown option '-x'" },
		{ { "--segment" }, "option '--segment' needs a value" },
		{ { "extra" }, "unexpected argument 'extra'" },
	};
	char err[RDR_ERR_MAX];
	const char *argv[6];
	size_t i;
	int argc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		argv[0] = "shm-reader";
		for (argc = 1; argc < 5 && cases[i].args[argc - 1]; argc++)
			argv[argc] = cases[i].args[argc - 1];
		ck_assert_int_eq(parse(argc, argv, err), -1);
		ck_assert_str_eq(err, cases[i].err);
	}
	ck_assert_int_eq(PARSE(err, "shm-reader", "--owner", "4294967294"), 0);
	ck_assert_uint_eq(o.owner, 4294967294u);
}
END_TEST

/* Every policy knob, from its flag; unset ones stay unset. */
/*
 * The command line's grammar, as getopt_long has it: "=" or the next
 * argument as a value (even one that looks like an option), unique
 * prefixes, clusters of switches, "--", options after other arguments,
 * the first error in order; and argv left as it was.
 */
START_TEST(options_grammar)
{
	const char *args[] = { "shm-reader", "extra", "--seg", "x", "-qV",
			       "--", "--bogus" };
	char err[RDR_ERR_MAX];
	const char *copy[7];
	char *argv[7];
	int argc = (int)(sizeof(args) / sizeof(args[0]));

	ck_assert_int_eq(PARSE(err, "shm-reader", "--seg", "a", "--form=json",
			       "--max-a", "1m", "--qu"), 0);
	ck_assert_str_eq(o.segment, "a");
	ck_assert_int_eq(o.format, RPT_FMT_JSON);
	ck_assert_uint_eq(o.judge.max_age_ms, 60000);
	ck_assert_int_eq(o.quiet, 1);
	/* An exact name wins over the longer ones it begins. */
	ck_assert_int_eq(PARSE(err, "shm-reader", "--max-age", "2s"), 0);
	ck_assert_uint_eq(o.judge.max_age_ms, 2000);
	/* "--max" begins three names, "--m" four: neither is one, and the
	 * error says which it could be. */
	ck_assert_int_eq(PARSE(err, "shm-reader", "--max", "1"), -1);
	ck_assert_str_eq(err, "option '--max' is ambiguous (--max-age, "
			 "--max-failures, --max-check-age)");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--m=1"), -1);
	ck_assert_str_eq(err, "option '--m' is ambiguous (--max-age, "
			 "--min-updates, --max-failures, --max-check-age)");
	/* Past four names, the rest is "...". */
	ck_assert_int_eq(PARSE(err, "shm-reader", "--=1"), -1);
	ck_assert_str_eq(err, "option '--' is ambiguous (--segment, "
			 "--max-age, --owner, --format, ...)");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--s"), -1);
	ck_assert_str_eq(err, "option '--s' is ambiguous (--segment, "
			 "--security-only, --starting)");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--nope"), -1);
	ck_assert_str_eq(err, "unknown option '--nope'");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--secur=1"), -1);
	ck_assert_str_eq(err, "option '--secur' takes no value");
	/* A value is the next argument, whatever it looks like. */
	ck_assert_int_eq(PARSE(err, "shm-reader", "--segment", "--format"), 0);
	ck_assert_str_eq(o.segment, "--format");
	ck_assert_int_eq(o.format, RPT_FMT_TEXT);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--segment="), -1);
	ck_assert_str_eq(err, "--segment: empty segment name");
	/* Clusters of switches. */
	ck_assert_int_eq(PARSE(err, "shm-reader", "-qV"), 0);
	ck_assert_int_eq(o.action, RDR_ACTION_VERSION);
	ck_assert_int_eq(PARSE(err, "shm-reader", "-qx"), -1);
	ck_assert_str_eq(err, "unknown option '-x'");
	/* "-" and whatever follows "--" are arguments, not options. */
	ck_assert_int_eq(PARSE(err, "shm-reader", "-"), -1);
	ck_assert_str_eq(err, "unexpected argument '-'");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--", "--quiet"), -1);
	ck_assert_str_eq(err, "unexpected argument '--quiet'");
	ck_assert_int_eq(o.quiet, 0);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--"), 0);
	/* An option error is told before an extra argument before it. */
	ck_assert_int_eq(PARSE(err, "shm-reader", "extra", "--bogus",
			       "--also-bogus"), -1);
	ck_assert_str_eq(err, "unknown option '--bogus'");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--segment", "s", "one",
			   "two"), -1);
	ck_assert_str_eq(err, "unexpected argument 'one'");
	/* The first error wins, the options after it are still read. */
	ck_assert_int_eq(PARSE(err, "shm-reader", "-x", "--bogus", "--format",
			       "nagios", "--segment"), -1);
	ck_assert_str_eq(err, "unknown option '-x'");
	ck_assert_int_eq(o.format, RPT_FMT_NAGIOS);
	/* argv is not permuted (getopt_long would move "extra" last). */
	memcpy(argv, args, sizeof(args));
	memcpy(copy, args, sizeof(args));
	ck_assert_int_eq(rdr_parse_options(&o, argc, argv, environ, err,
					   sizeof(err)), -1);
	ck_assert_str_eq(err, "unexpected argument 'extra'");
	ck_assert_mem_eq(copy, argv, sizeof(args));
}
END_TEST

START_TEST(options_policy_flags)
{
	char err[RDR_ERR_MAX];

	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_uint_eq(o.judge.ov.set, 0);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--on-updates", "report",
			       "--security-only", "--min-updates", "3",
			       "--max-failures", "0", "--grace", "1h",
			       "--max-check-age", "2d", "--starting",
			       "unhealthy"), 0);
	ck_assert_uint_eq(o.judge.ov.set, RPT_OVR_ON_UPDATES | RPT_OVR_SECURITY_ONLY |
			  RPT_OVR_MIN_UPDATES | RPT_OVR_MAX_FAILURES |
			  RPT_OVR_GRACE | RPT_OVR_MAX_CHECK_AGE |
			  RPT_OVR_STARTING);
	ck_assert_uint_eq(o.judge.ov.p.on_updates, SHMH_ON_UPDATES_REPORT);
	ck_assert_uint_eq(o.judge.ov.p.security_only, 1);
	ck_assert_uint_eq(o.judge.ov.p.min_updates, 3);
	ck_assert_uint_eq(o.judge.ov.p.max_failures, 0);
	ck_assert_int_eq(o.judge.ov.p.grace_s, 3600);
	ck_assert_int_eq(o.judge.ov.p.max_success_age_s, 2 * 86400);
	ck_assert_uint_eq(o.judge.ov.p.starting_healthy, 0);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--on-updates=fail",
			       "--all-updates", "--min-updates=4294967295",
			       "--max-failures=4294967295", "--grace=0",
			       "--max-check-age=0", "--starting=healthy"), 0);
	ck_assert_uint_eq(o.judge.ov.p.on_updates, SHMH_ON_UPDATES_FAIL);
	ck_assert_uint_eq(o.judge.ov.p.security_only, 0);
	ck_assert_uint_eq(o.judge.ov.p.min_updates, 4294967295u);
	ck_assert_uint_eq(o.judge.ov.p.max_failures, 4294967295u);
	ck_assert_int_eq(o.judge.ov.p.grace_s, 0);
	ck_assert_int_eq(o.judge.ov.p.max_success_age_s, 0);
	ck_assert_uint_eq(o.judge.ov.p.starting_healthy, 1);
	ck_assert_uint_eq(o.judge.ov.set, 0x7f);
	/* The last of --security-only and --all-updates wins. */
	ck_assert_int_eq(PARSE(err, "shm-reader", "--all-updates",
			       "--security-only"), 0);
	ck_assert_uint_eq(o.judge.ov.p.security_only, 1);
	ck_assert_uint_eq(o.judge.ov.set, RPT_OVR_SECURITY_ONLY);
	/* Durations round up to whole seconds: some grace is not none. */
	ck_assert_int_eq(PARSE(err, "shm-reader", "--grace", "1ms",
			       "--max-check-age", "1500ms"), 0);
	ck_assert_int_eq(o.judge.ov.p.grace_s, 1);
	ck_assert_int_eq(o.judge.ov.p.max_success_age_s, 2);
	/* Up to the ten years shmh_parse_duration() takes. */
	ck_assert_int_eq(PARSE(err, "shm-reader", "--grace", "3650d"), 0);
	ck_assert_int_eq(o.judge.ov.p.grace_s, 3650LL * 86400);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--grace", "3651d"), -1);
}
END_TEST

/* Every policy knob from its variable; a flag wins over a bad one. */
START_TEST(options_policy_environment)
{
	char err[RDR_ERR_MAX];

	setenv("SHMHEALTH_ON_UPDATES", "report", 1);
	setenv("SHMHEALTH_SECURITY_ONLY", "true", 1);
	setenv("SHMHEALTH_MIN_UPDATES", "5", 1);
	setenv("SHMHEALTH_MAX_FAILURES", "7", 1);
	setenv("SHMHEALTH_GRACE", "90s", 1);
	setenv("SHMHEALTH_MAX_CHECK_AGE", "3h", 1);
	setenv("SHMHEALTH_STARTING", "unhealthy", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_uint_eq(o.judge.ov.set, 0x7f);
	ck_assert_uint_eq(o.judge.ov.p.on_updates, SHMH_ON_UPDATES_REPORT);
	ck_assert_uint_eq(o.judge.ov.p.security_only, 1);
	ck_assert_uint_eq(o.judge.ov.p.min_updates, 5);
	ck_assert_uint_eq(o.judge.ov.p.max_failures, 7);
	ck_assert_int_eq(o.judge.ov.p.grace_s, 90);
	ck_assert_int_eq(o.judge.ov.p.max_success_age_s, 3 * 3600);
	ck_assert_uint_eq(o.judge.ov.p.starting_healthy, 0);
	setenv("SHMHEALTH_SECURITY_ONLY", "no", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_uint_eq(o.judge.ov.p.security_only, 0);
	ck_assert_uint_eq(o.judge.ov.set & RPT_OVR_SECURITY_ONLY,
			  RPT_OVR_SECURITY_ONLY);
	/* Empty means unset. */
	setenv("SHMHEALTH_ON_UPDATES", "", 1);
	setenv("SHMHEALTH_SECURITY_ONLY", "", 1);
	setenv("SHMHEALTH_MIN_UPDATES", "", 1);
	setenv("SHMHEALTH_MAX_FAILURES", "", 1);
	setenv("SHMHEALTH_GRACE", "", 1);
	setenv("SHMHEALTH_MAX_CHECK_AGE", "", 1);
	setenv("SHMHEALTH_STARTING", "", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_uint_eq(o.judge.ov.set, 0);
}
END_TEST

/* A flag wins over a bad variable; a bad variable alone is an error. */
START_TEST(options_policy_flag_wins)
{
	char err[RDR_ERR_MAX];

	setenv("SHMHEALTH_ON_UPDATES", "sometimes", 1);
	setenv("SHMHEALTH_SECURITY_ONLY", "maybe", 1);
	setenv("SHMHEALTH_MIN_UPDATES", "0", 1);
	setenv("SHMHEALTH_MAX_FAILURES", "-1", 1);
	setenv("SHMHEALTH_GRACE", "later", 1);
	setenv("SHMHEALTH_MAX_CHECK_AGE", "old", 1);
	setenv("SHMHEALTH_STARTING", "maybe", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--on-updates", "fail",
			       "--all-updates", "--min-updates", "2",
			       "--max-failures", "1", "--grace", "1m",
			       "--max-check-age", "1d", "--starting",
			       "healthy"), 0);
	ck_assert_uint_eq(o.judge.ov.p.min_updates, 2);
	ck_assert_int_eq(o.judge.ov.p.max_success_age_s, 86400);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--on-updates", "fail"), -1);
	ck_assert_str_eq(err, "SHMHEALTH_SECURITY_ONLY: 'maybe' is not 1, 0, "
			 "true, false, yes, no, on or off");
	unsetenv("SHMHEALTH_SECURITY_ONLY");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--starting", "healthy"), -1);
	ck_assert_str_eq(err, "SHMHEALTH_ON_UPDATES: 'sometimes' is not fail "
			 "or report");
	unsetenv("SHMHEALTH_ON_UPDATES");
	ck_assert_int_eq(PARSE(err, "shm-reader"), -1);
	ck_assert_str_eq(err, "SHMHEALTH_STARTING: 'maybe' is not unhealthy "
			 "or healthy");
	unsetenv("SHMHEALTH_STARTING");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--grace", "1m"), -1);
	ck_assert_str_eq(err, "SHMHEALTH_MIN_UPDATES: bad number '0' (1 to "
			 "4294967295)");
	unsetenv("SHMHEALTH_MIN_UPDATES");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--grace", "1m"), -1);
	ck_assert_str_eq(err, "SHMHEALTH_MAX_FAILURES: bad number '-1' (0 to "
			 "4294967295; 0: no limit)");
	unsetenv("SHMHEALTH_MAX_FAILURES");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--grace", "1m"), -1);
	ck_assert_str_eq(err, "SHMHEALTH_MAX_CHECK_AGE: bad duration 'old' "
			 "(use e.g. 90s, 5m, 1h; 0: no limit)");
}
END_TEST

/* The format, and that a bad command line still tells it (nagios wants
 * UNKNOWN for bad usage). */
START_TEST(options_format)
{
	static const char *const names[] = { "text", "json", "prometheus",
		"nagios" };
	char err[RDR_ERR_MAX];
	size_t i;

	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_int_eq(o.format, RPT_FMT_TEXT);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(PARSE(err, "shm-reader", "--format",
				       names[i]), 0);
		ck_assert_int_eq(o.format, (int)i);
	}
	setenv("SHMHEALTH_FORMAT", "prometheus", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_int_eq(o.format, RPT_FMT_PROMETHEUS);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--format", "json"), 0);
	ck_assert_int_eq(o.format, RPT_FMT_JSON);
	setenv("SHMHEALTH_FORMAT", "nagios", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--bogus"), -1);
	ck_assert_str_eq(err, "unknown option '--bogus'");
	ck_assert_int_eq(o.format, RPT_FMT_NAGIOS);
	unsetenv("SHMHEALTH_FORMAT");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--min-updates", "x",
			       "--format", "nagios"), -1);
	ck_assert_int_eq(o.format, RPT_FMT_NAGIOS);
	ck_assert_int_eq(PARSE(err, "shm-reader", "extra", "--format",
			       "nagios"), -1);
	ck_assert_str_eq(err, "unexpected argument 'extra'");
	ck_assert_int_eq(o.format, RPT_FMT_NAGIOS);
	/* The first error is the one told, even if the format is bad too. */
	ck_assert_int_eq(PARSE(err, "shm-reader", "--bogus", "--format",
			       "xml"), -1);
	ck_assert_str_eq(err, "unknown option '--bogus'");
	ck_assert_int_eq(o.format, RPT_FMT_TEXT);
	/* --help ignores a bad variable it does not need. */
	setenv("SHMHEALTH_FORMAT", "xml", 1);
	setenv("SHMHEALTH_GRACE", "later", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--help"), 0);
	ck_assert_int_eq(o.action, RDR_ACTION_HELP);
}
END_TEST

/* Nagios thresholds: long and short forms, attached or not, the
 * environment under the flags, bounds and the order of the two. */
START_TEST(options_thresholds)
{
	char err[RDR_ERR_MAX];

	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_int_eq(o.judge.thr.have_warning, 0);
	ck_assert_int_eq(o.judge.thr.have_critical, 0);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--warning", "5",
			       "--critical=10"), 0);
	ck_assert_int_eq(o.judge.thr.have_warning, 1);
	ck_assert_uint_eq(o.judge.thr.warning, 5);
	ck_assert_int_eq(o.judge.thr.have_critical, 1);
	ck_assert_uint_eq(o.judge.thr.critical, 10);
	ck_assert_int_eq(PARSE(err, "shm-reader", "-w", "0", "-c20"), 0);
	ck_assert_uint_eq(o.judge.thr.warning, 0);
	ck_assert_uint_eq(o.judge.thr.critical, 20);
	ck_assert_int_eq(PARSE(err, "shm-reader", "-qw3"), 0);
	ck_assert_int_eq(o.quiet, 1);
	ck_assert_uint_eq(o.judge.thr.warning, 3);
	ck_assert_int_eq(o.judge.thr.have_critical, 0);
	ck_assert_int_eq(PARSE(err, "shm-reader", "-c", "1000000"), 0);
	ck_assert_uint_eq(o.judge.thr.critical, 1000000);
	/* Errors name the flag and the bounds. */
	ck_assert_int_eq(PARSE(err, "shm-reader", "-c", "1000001"), -1);
	ck_assert_str_eq(err, "--critical: bad threshold '1000001' (a count "
			 "of updates, 0 to 1000000)");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--warning", "-1"), -1);
	ck_assert_str_eq(err, "--warning: bad threshold '-1' (a count of "
			 "updates, 0 to 1000000)");
	ck_assert_int_eq(PARSE(err, "shm-reader", "-w", "5x"), -1);
	ck_assert_str_eq(err, "--warning: bad threshold '5x' (a count of "
			 "updates, 0 to 1000000)");
	ck_assert_int_eq(PARSE(err, "shm-reader", "-w"), -1);
	ck_assert_str_eq(err, "option '-w' needs a value");
	ck_assert_int_eq(PARSE(err, "shm-reader", "-w", "10", "-c", "5"), -1);
	ck_assert_str_eq(err, "warning threshold 10 is above the critical "
			 "threshold 5");
	/* The environment, and a flag over it. */
	setenv("SHMHEALTH_WARNING", "7", 1);
	setenv("SHMHEALTH_CRITICAL", "9", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_uint_eq(o.judge.thr.warning, 7);
	ck_assert_uint_eq(o.judge.thr.critical, 9);
	ck_assert_int_eq(PARSE(err, "shm-reader", "-c", "8"), 0);
	ck_assert_uint_eq(o.judge.thr.critical, 8);
	setenv("SHMHEALTH_CRITICAL", "many", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader"), -1);
	ck_assert_str_eq(err, "SHMHEALTH_CRITICAL: bad threshold 'many' (a "
			 "count of updates, 0 to 1000000)");
	ck_assert_int_eq(PARSE(err, "shm-reader", "--critical", "9"), 0);
}
END_TEST

static Suite *options_suite(void)
{
	Suite *s = suite_create("reader options");
	TCase *t = tcase_create("options");

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, options_defaults_and_flags);
	tcase_add_test(t, options_environment);
	tcase_add_test(t, options_errors);
	tcase_add_test(t, options_grammar);
	tcase_add_test(t, options_policy_flags);
	tcase_add_test(t, options_policy_environment);
	tcase_add_test(t, options_policy_flag_wins);
	tcase_add_test(t, options_format);
	tcase_add_test(t, options_thresholds);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(options_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
