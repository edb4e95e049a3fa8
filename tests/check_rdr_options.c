/* SPDX-License-Identifier: MIT */
/*
 * Check suite for shm-reader's options (reader/options.c): flags, the
 * SHMHEALTH_* environment under them, and every usage error's message.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "reader/options.h"

static struct rdr_options o;

/* The caller's environment must not leak into the cases. */
static void setup(void)
{
	static const char *const vars[] = { "SHMHEALTH_SEGMENT",
		"SHMHEALTH_MAX_AGE", "SHMHEALTH_OWNER", "SHMHEALTH_QUIET",
		"SHMHEALTH_FORMAT" };
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
	return rdr_parse_options(&o, argc, argv, err, RDR_ERR_MAX);
}

#define PARSE(err, ...) parse(sizeof((const char *[]){ __VA_ARGS__ }) / \
			      sizeof(const char *),			\
			      (const char *[]){ __VA_ARGS__ }, err)

START_TEST(options_defaults_and_flags)
{
	char err[RDR_ERR_MAX];

	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_str_eq(o.segment, "shmhealth");
	ck_assert_uint_eq(o.max_age_ms, 0);
	ck_assert_int_eq(o.have_owner, 0);
	ck_assert_int_eq(o.quiet, 0);
	ck_assert_int_eq(o.action, RDR_ACTION_CHECK);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--segment", "/run/x",
			       "--max-age=90s", "--owner", "1000", "-q",
			       "--format", "text"), 0);
	ck_assert_str_eq(o.segment, "/run/x");
	ck_assert_uint_eq(o.max_age_ms, 90000);
	ck_assert_int_eq(o.have_owner, 1);
	ck_assert_uint_eq(o.owner, 1000);
	ck_assert_int_eq(o.quiet, 1);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--max-age", "250ms"), 0);
	ck_assert_uint_eq(o.max_age_ms, 250);
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
	ck_assert_uint_eq(o.max_age_ms, 120000);
	ck_assert_int_eq(o.have_owner, 1);
	ck_assert_uint_eq(o.owner, 0);
	ck_assert_int_eq(o.quiet, 1);
	/* A flag wins, even over a variable that would not parse. */
	setenv("SHMHEALTH_MAX_AGE", "soon", 1);
	setenv("SHMHEALTH_QUIET", "maybe", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader", "--segment", "flag",
			       "--max-age", "5s", "--quiet"), 0);
	ck_assert_str_eq(o.segment, "flag");
	ck_assert_uint_eq(o.max_age_ms, 5000);
	ck_assert_int_eq(PARSE(err, "shm-reader"), -1);
	ck_assert_str_eq(err, "SHMHEALTH_MAX_AGE: bad duration 'soon' (use "
			 "e.g. 90s, 5m, 1h; more than 0)");
	/* Empty means unset. */
	setenv("SHMHEALTH_MAX_AGE", "", 1);
	setenv("SHMHEALTH_QUIET", "0", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader"), 0);
	ck_assert_uint_eq(o.max_age_ms, 0);
	ck_assert_int_eq(o.quiet, 0);
	setenv("SHMHEALTH_QUIET", "maybe", 1);
	ck_assert_int_eq(PARSE(err, "shm-reader"), -1);
	ck_assert_str_eq(err, "SHMHEALTH_QUIET: 'maybe' is not 1, 0, true, "
			 "false, yes or no");
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
		{ { "--format", "json" }, "--format: unsupported format 'json' "
		  "(this version has only text)" },
		{ { "--format", "xml" }, "--format: unknown format 'xml' (use "
		  "text)" },
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

static Suite *options_suite(void)
{
	Suite *s = suite_create("reader options");
	TCase *t = tcase_create("options");

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, options_defaults_and_flags);
	tcase_add_test(t, options_environment);
	tcase_add_test(t, options_errors);
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
