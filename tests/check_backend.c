/* SPDX-License-Identifier: MIT */
/*
 * Check suite for publisher/backend.c's data as the update check reads it:
 * the stderr patterns that fail a step whatever its exit status
 * (pub_step_fails_on), pacman's among them, and which refresh names its
 * failed downloads.
 */
#include <check.h>
#include <stddef.h>
#include <string.h>

#include "publisher/backend.h"
#include "publisher/parse_formats.h"

/* The step of backend name (its private or system steps) in role. */
static const struct pub_step *step_of(const char *name, int private,
				      enum pub_step_role role)
{
	const struct pub_backend *b = pub_backend_find(name);
	const struct pub_step *s;

	ck_assert_ptr_nonnull(b);
	for (s = private ? b->private_steps : b->system_steps; s->argv; s++)
		if (s->role == role)
			return s;
	ck_abort_msg("%s has no step of role %d", name, (int)role);
	return NULL;
}

/* A step of our own, failed by these patterns. */
static const char *fails(const char *const *pats, const char *err)
{
	struct pub_step s;

	memset(&s, 0, sizeof(s));
	s.fails_on = pats;
	return pub_step_fails_on(&s, err);
}

START_TEST(test_pattern_substring_anywhere)
{
	static const char *const pats[] = { "cannot read", NULL };

	ck_assert_ptr_eq(fails(pats, "x: cannot read y\n"), pats[0]);
	ck_assert_ptr_eq(fails(pats, "a\nb cannot read\n"), pats[0]);
	ck_assert_ptr_null(fails(pats, "cannot  read\n"));
	ck_assert_ptr_null(fails(pats, ""));
}
END_TEST

START_TEST(test_pattern_anchored_to_a_line)
{
	static const char *const pats[] = { "^error:", NULL };

	ck_assert_ptr_eq(fails(pats, "error: x"), pats[0]);
	ck_assert_ptr_eq(fails(pats, "warning: y\nerror: x\n"), pats[0]);
	/* Not at a line's start: a word inside a message. */
	ck_assert_ptr_null(fails(pats, "no error: here\n"));
	ck_assert_ptr_null(fails(pats, " error: indented\n"));
	ck_assert_ptr_null(fails(pats, "error"));
	ck_assert_ptr_null(fails(pats, "warning: y\n"));
	ck_assert_ptr_null(fails(pats, ""));
}
END_TEST

START_TEST(test_pattern_none)
{
	static const char *const empty[] = { NULL };

	ck_assert_ptr_null(fails(NULL, "error: x\n"));
	ck_assert_ptr_null(fails(empty, "error: x\n"));
}
END_TEST

START_TEST(test_pattern_first_that_matches)
{
	static const char *const pats[] = { "^E:", "failed", NULL };

	ck_assert_ptr_eq(fails(pats, "fetch failed\n"), pats[1]);
	ck_assert_ptr_eq(fails(pats, "E: fetch failed\n"), pats[0]);
}
END_TEST

/*
 * pacman -Qu exits 1 both for "nothing pending" and with a sync database
 * missing or unreadable: its stderr fails the listing, with the private
 * databases and with the system's.
 */
START_TEST(test_pacman_list_fails_on_database_errors)
{
	const struct pub_step *s = step_of("pacman", _i, PUB_STEP_LIST);

	ck_assert_ptr_nonnull(pub_step_fails_on(s,
		"warning: database file for 'core' does not exist "
		"(use '-Sy' to download)\n"));
	ck_assert_ptr_nonnull(pub_step_fails_on(s,
		"error: could not open file /var/lib/pacman/sync/core.db: "
		"Unrecognized archive format\n"));
	ck_assert_ptr_nonnull(pub_step_fails_on(s,
		"warning: config file: x\nerror: failed to initialize\n"));
	/* Nothing pending: no stderr at all. */
	ck_assert_ptr_null(pub_step_fails_on(s, ""));
	ck_assert_ptr_null(pub_step_fails_on(s, "warning: linux: local "
		"(6.1-1) is newer than core (6.0-1)\n"));
}
END_TEST

/* No other manager's step fails on pacman's words: the rule is data. */
START_TEST(test_other_steps_fail_on_nothing)
{
	static const char *const names[] = {
		"apk", "apt", "dnf", "yum", "zypper" };
	const struct pub_backend *b;
	const struct pub_step *s;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		b = pub_backend_find(names[i]);
		ck_assert_ptr_nonnull(b);
		for (s = b->private_steps; s->argv; s++)
			ck_assert_ptr_null(pub_step_fails_on(s, "error: x\n"));
		for (s = b->system_steps; s->argv; s++)
			ck_assert_ptr_null(pub_step_fails_on(s, "error: x\n"));
	}
	s = step_of("pacman", 1, PUB_STEP_REFRESH);
	ck_assert_ptr_null(pub_step_fails_on(s, "error: x\n"));
}
END_TEST

/* apt-get update's refresh names its failed downloads; a refresh that
 * says nothing of the kind has no reader for it. */
START_TEST(test_fetch_errors_only_where_said)
{
	ck_assert_ptr_eq(step_of("apt", 1, PUB_STEP_REFRESH)->fetch_errors,
			 pub_apt_fetch_errors);
	ck_assert_ptr_null(step_of("zypper", 1, PUB_STEP_REFRESH)->fetch_errors);
	ck_assert_ptr_null(step_of("pacman", 1, PUB_STEP_REFRESH)->fetch_errors);
	ck_assert_ptr_null(step_of("pacman", 0, PUB_STEP_REFRESH)->fetch_errors);
}
END_TEST

static Suite *backend_suite(void)
{
	Suite *s = suite_create("backend");
	TCase *pat = tcase_create("patterns");
	TCase *data = tcase_create("data");

	tcase_add_test(pat, test_pattern_substring_anywhere);
	tcase_add_test(pat, test_pattern_anchored_to_a_line);
	tcase_add_test(pat, test_pattern_none);
	tcase_add_test(pat, test_pattern_first_that_matches);
	tcase_add_loop_test(data, test_pacman_list_fails_on_database_errors,
			    0, 2);
	tcase_add_test(data, test_other_steps_fail_on_nothing);
	tcase_add_test(data, test_fetch_errors_only_where_said);
	suite_add_tcase(s, pat);
	suite_add_tcase(s, data);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(backend_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
