/* SPDX-License-Identifier: MIT */
/*
 * Check suite for publisher/result.c: the user's ignore globs
 * (pub_ignored, pub_result_ignore) and security flags from a second,
 * security-only listing (pub_result_mark_security), on results built by the
 * real parsers (pub_parse) or by pub_result_add and pub_result_finish.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "publisher/formats.h"
#include "publisher/parse.h"
#include "publisher/result.h"

#define ERR_LEN 256

/* A pattern list: PATS("a", "b") and its length. */
#define PATS(...) ((char *const[]){ __VA_ARGS__ })
#define NPATS(...) (sizeof(PATS(__VA_ARGS__)) / sizeof(char *))
#define IGNORED(name, ...) pub_ignored(name, PATS(__VA_ARGS__), \
					NPATS(__VA_ARGS__))
#define IGNORE(r, ...) pub_result_ignore(r, PATS(__VA_ARGS__), \
					 NPATS(__VA_ARGS__))

/* Parses s as format, which must succeed; r must be freed. */
static void parse_ok(const char *format, const char *s, int status,
		     struct pub_result *r)
{
	const struct pub_format *f = pub_format_find(format);
	char err[ERR_LEN];

	ck_assert_msg(f != NULL, "format %s", format);
	ck_assert_msg(pub_parse(f, s, strlen(s), status, r, err,
				sizeof(err)) == 0, "%s: %s", format, err);
}

/* 0 if name is absent, 1 if present, 2 if present as a security update. */
static int has(const struct pub_result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->npkgs; i++)
		if (strcmp(r->pkgs[i].name, name) == 0)
			return 1 + r->pkgs[i].security;
	return 0;
}

/* The invariants of a finished result: sorted, distinct, counted. */
static void check_finished(const struct pub_result *r)
{
	size_t i;
	int sec = 0;

	ck_assert_uint_eq(r->updates, r->npkgs);
	for (i = 0; i < r->npkgs; i++) {
		ck_assert(i == 0 || strcmp(r->pkgs[i - 1].name,
					   r->pkgs[i].name) < 0);
		sec += r->pkgs[i].security != 0;
	}
	if (r->security >= 0)
		ck_assert_int_eq(r->security, sec);
}

/* What pub_result_print writes, in a static buffer. */
static const char *printed(const struct pub_result *r)
{
	static char out[4096];
	FILE *f = fmemopen(out, sizeof(out), "w");

	ck_assert_ptr_nonnull(f);
	pub_result_print(r, f);
	ck_assert_int_eq(fclose(f), 0);
	return out;
}

/* dnf check-update: 5 entries, security unknown. */
static const char dnf_list[] =
	"Last metadata expiration check: 0:00:01 ago.\n\n"
	"bash.x86_64          5.2.26-1.fc40     updates\n"
	"bash.i686            5.2.26-1.fc40     updates\n"
	"kernel.x86_64        6.9.4-200.fc40    updates\n"
	"kernel-core.x86_64   6.9.4-200.fc40    updates\n"
	"tzdata.noarch        2024a-5.fc40      updates\n";

/* The same run with --security: two of them and one not installed here. */
static const char dnf_sec[] =
	"kernel.x86_64        6.9.4-200.fc40    updates\n"
	"tzdata.noarch        2024a-5.fc40      updates\n"
	"zsh.x86_64           5.9-14.fc40       updates\n";

/* apt list --upgradable: security known, two of four. */
static const char apt_list[] =
	"Listing...\n"
	"libc6/bookworm-security 2.36-9+deb12u7 amd64 [upgradable from: 1]\n"
	"libc6/bookworm-security 2.36-9+deb12u7 i386 [upgradable from: 1]\n"
	"libpython3.11/bookworm 3.11.2-6+deb12u2 amd64 [upgradable from: 1]\n"
	"openssl/bookworm-security 3.0.14-1~deb12u1 amd64 "
	"[upgradable from: 1]\n"
	"vim/bookworm 2:9.0.1378-2 amd64 [upgradable from: 2:9.0.1378-1]\n";

/* --- pub_ignored ----------------------------------------------------- */

START_TEST(test_ignored_whole_name)
{
	ck_assert_int_eq(IGNORED("bash.x86_64", "bash.x86_64"), 1);
	ck_assert_int_eq(IGNORED("bash.x86_64", "*.x86_64"), 1);
	ck_assert_int_eq(IGNORED("bash.x86_64", "bash*"), 1);
	ck_assert_int_eq(IGNORED("bash.x86_64", "*"), 1);
	/* The glob covers the whole name, never a part of it. */
	ck_assert_int_eq(IGNORED("bash.x86_64", "bas"), 0);
	ck_assert_int_eq(IGNORED("bash.x86_64", "ash"), 0);
	ck_assert_int_eq(IGNORED("bash.x86_64", "bash.i686"), 0);
	ck_assert_int_eq(IGNORED("kernel-core.x86_64", "kernel"), 0);
	ck_assert_int_eq(IGNORED("kernel-core.x86_64", "kernel*"), 1);
	ck_assert_int_eq(IGNORED("vim", "Vim"), 0);	/* case counts */
	/* Any pattern of the list will do; none at all ignores nothing. */
	ck_assert_int_eq(IGNORED("vim", "emacs", "nano", "vim"), 1);
	ck_assert_int_eq(IGNORED("vim", "emacs", "nano"), 0);
	ck_assert_int_eq(pub_ignored("vim", NULL, 0), 0);
	ck_assert_int_eq(IGNORED("", "*"), 1);
	ck_assert_int_eq(IGNORED("", "x"), 0);
}
END_TEST

/* Every architecture rpm or dpkg appends, with its separator. */
START_TEST(test_ignored_known_arches)
{
	static const char *const arches[] = {
		"x86_64", "noarch", "i686", "i586", "i386", "aarch64",
		"armv7hl", "ppc64le", "s390x", "riscv64", "amd64", "arm64",
		"armhf", "armel", "mips64el", "all", NULL
	};
	char name[64];
	size_t i;

	for (i = 0; arches[i] != NULL; i++) {
		snprintf(name, sizeof(name), "pkg.%s", arches[i]);
		ck_assert_msg(IGNORED(name, "pkg") == 1, "%s", name);
		ck_assert_msg(IGNORED(name, "pk") == 0, "%s", name);
		snprintf(name, sizeof(name), "pkg:%s", arches[i]);
		ck_assert_msg(IGNORED(name, "pkg") == 1, "%s", name);
		ck_assert_msg(IGNORED(name, "p?g") == 1, "%s", name);
	}
	ck_assert_int_eq(IGNORED("tzdata.noarch", "tzdata"), 1);
	ck_assert_int_eq(IGNORED("libc6:i386", "libc6"), 1);
	ck_assert_int_eq(IGNORED("libc6:i386", "libc6:i386"), 1);
	ck_assert_int_eq(IGNORED("libc6:i386", "libc6:amd64"), 0);
	/* Only a known architecture is cut, and only the last suffix. */
	ck_assert_int_eq(IGNORED("pkg.x86", "pkg"), 0);
	ck_assert_int_eq(IGNORED("pkg.X86_64", "pkg"), 0);
	ck_assert_int_eq(IGNORED("pkg:x86_64-linux", "pkg"), 0);
	ck_assert_int_eq(IGNORED("perl-Foo.Bar.noarch", "perl-Foo.Bar"), 1);
	ck_assert_int_eq(IGNORED("perl-Foo.Bar.noarch", "perl-Foo"), 0);
	ck_assert_int_eq(IGNORED("pkg.x86_64.x86_64", "pkg"), 0);
	ck_assert_int_eq(IGNORED("x86_64", "x86_64"), 1);
	ck_assert_int_eq(IGNORED(".x86_64", ""), 1);	/* empty base */
}
END_TEST

/* Debian names hold dots that are versions, not architectures. */
START_TEST(test_ignored_dotted_debian_names)
{
	ck_assert_int_eq(IGNORED("libpython3.11", "libpython3"), 0);
	ck_assert_int_eq(IGNORED("libpython3.11", "libpython3.11"), 1);
	ck_assert_int_eq(IGNORED("libpython3.11", "libpython3*"), 1);
	ck_assert_int_eq(IGNORED("python3.11-minimal", "python3"), 0);
	ck_assert_int_eq(IGNORED("libglib2.0-0", "libglib2"), 0);
	ck_assert_int_eq(IGNORED("libapt-pkg6.0", "libapt-pkg6"), 0);
	ck_assert_int_eq(IGNORED("perl-modules-5.36", "perl-modules-5"), 0);
	ck_assert_int_eq(IGNORED("gir1.2-glib-2.0", "gir1"), 0);
	/* A foreign-architecture dotted name loses ":arch" only. */
	ck_assert_int_eq(IGNORED("libpython3.11:i386", "libpython3.11"), 1);
	ck_assert_int_eq(IGNORED("libpython3.11:i386", "libpython3"), 0);
}
END_TEST

START_TEST(test_ignored_brackets_and_question)
{
	ck_assert_int_eq(IGNORED("libc6", "lib[cs]*"), 1);
	ck_assert_int_eq(IGNORED("libssl3", "lib[cs]*"), 1);
	ck_assert_int_eq(IGNORED("libz1", "lib[cs]*"), 0);
	ck_assert_int_eq(IGNORED("libc6:i386", "lib[a-c]6"), 1);
	ck_assert_int_eq(IGNORED("bash", "[!k]*"), 1);
	ck_assert_int_eq(IGNORED("kernel.x86_64", "[!k]*"), 0);
	ck_assert_int_eq(IGNORED("openssl-libs.x86_64", "openssl-libs.[xi]*"),
			 1);
	ck_assert_int_eq(IGNORED("vim.x86_64", "vi?"), 1);	/* base "vim" */
	ck_assert_int_eq(IGNORED("vi", "vi?"), 0);
	ck_assert_int_eq(IGNORED("vim-minimal.x86_64", "vi?"), 0);
	ck_assert_int_eq(IGNORED("kernel-6.1", "kernel-?.?"), 1);
	ck_assert_int_eq(IGNORED("linux-image-6.1.0-25-amd64",
				 "linux-image-[0-9]*"), 1);
	ck_assert_int_eq(IGNORED("[x]", "[x]"), 0);	/* a class, not text */
	ck_assert_int_eq(IGNORED("[x]", "\\[x]"), 1);
	ck_assert_int_eq(IGNORED("a", "["), 0);	/* unclosed: no match */
}
END_TEST

/* Names longer than the base buffer: no overflow, whole name still used. */
START_TEST(test_ignored_long_names)
{
	char name[2 * PUB_NAME_MAX + 16];

	memset(name, 'a', sizeof(name));
	strcpy(name + 2 * PUB_NAME_MAX, ".x86_64");
	ck_assert_int_eq(IGNORED(name, "a*"), 1);
	ck_assert_int_eq(IGNORED(name, "*.x86_64"), 1);
	ck_assert_int_eq(IGNORED(name, "b*"), 0);
	name[PUB_NAME_MAX] = '\0';
	ck_assert_int_eq(IGNORED(name, "a*"), 1);
	ck_assert_int_eq(IGNORED(name, "a"), 0);
}
END_TEST

/* --- pub_result_ignore ----------------------------------------------- */

START_TEST(test_ignore_recounts_security)
{
	struct pub_result r;

	parse_ok("apt-list", apt_list, 0, &r);
	ck_assert_uint_eq(r.updates, 5);
	ck_assert_int_eq(r.security, 3);
	ck_assert_int_eq(has(&r, "libc6:i386"), 2);
	IGNORE(&r, "openssl", "libc6");
	check_finished(&r);
	ck_assert_uint_eq(r.updates, 2);
	ck_assert_int_eq(r.security, 0);	/* libc6:i386 went as well */
	ck_assert(has(&r, "libpython3.11") && has(&r, "vim"));
	ck_assert_str_eq(printed(&r), "updates 2\nsecurity 0\n"
			 "package libpython3.11\npackage vim\n");
	IGNORE(&r, "libpython3");		/* not "libpython3.11" */
	ck_assert_uint_eq(r.updates, 2);
	IGNORE(&r, "*");
	check_finished(&r);
	ck_assert_uint_eq(r.updates, 0);
	ck_assert_int_eq(r.security, 0);
	ck_assert_str_eq(printed(&r), "updates 0\nsecurity 0\n");
	pub_result_free(&r);
	ck_assert_ptr_null(r.pkgs);
}
END_TEST

START_TEST(test_ignore_keeps_unknown_security)
{
	struct pub_result r;

	parse_ok("dnf", dnf_list, 100, &r);
	ck_assert_uint_eq(r.updates, 5);
	ck_assert_int_eq(r.security, -1);
	IGNORE(&r, "bash");		/* both architectures */
	check_finished(&r);
	ck_assert_uint_eq(r.updates, 3);
	ck_assert_int_eq(r.security, -1);
	ck_assert(!has(&r, "bash.x86_64") && !has(&r, "bash.i686"));
	IGNORE(&r, "kernel");		/* not kernel-core */
	ck_assert_uint_eq(r.updates, 2);
	ck_assert(has(&r, "kernel-core.x86_64") && has(&r, "tzdata.noarch"));
	ck_assert_str_eq(printed(&r), "updates 2\nsecurity unknown\n"
			 "package kernel-core.x86_64\npackage tzdata.noarch\n");
	pub_result_free(&r);
}
END_TEST

/* No patterns: nothing changes, not even the counts. */
START_TEST(test_ignore_nothing)
{
	struct pub_result r;

	parse_ok("dnf", dnf_list, 100, &r);
	pub_result_ignore(&r, NULL, 0);
	ck_assert_uint_eq(r.updates, 5);
	ck_assert_int_eq(r.security, -1);
	IGNORE(&r, "nothing-matches-*");
	check_finished(&r);
	ck_assert_uint_eq(r.updates, 5);
	pub_result_free(&r);
}
END_TEST

/* Built by hand: duplicates merged first, security known by the caller. */
START_TEST(test_ignore_added_by_hand)
{
	static const char *const names[] = {
		"zsh", "bash", "bash", "libc6:i386", "libc6", "coreutils"
	};
	struct pub_result r;
	size_t i;

	pub_result_init(&r);
	r.security_known = 1;
	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		ck_assert_int_eq(pub_result_add(&r, names[i], strlen(names[i]),
						i == 2 || i == 3), 0);
	pub_result_finish(&r);
	check_finished(&r);
	ck_assert_uint_eq(r.updates, 5);
	ck_assert_int_eq(r.security, 2);	/* bash, libc6:i386 */
	IGNORE(&r, "libc6");
	check_finished(&r);
	ck_assert_uint_eq(r.updates, 3);
	ck_assert_int_eq(r.security, 1);
	ck_assert_int_eq(has(&r, "bash"), 2);
	ck_assert_str_eq(printed(&r), "updates 3\nsecurity 1\npackage bash\n"
			 "package coreutils\npackage zsh\n");
	pub_result_free(&r);
}
END_TEST

/* --- pub_result_mark_security ---------------------------------------- */

START_TEST(test_mark_by_name)
{
	struct pub_result r, sec;

	parse_ok("dnf", dnf_list, 100, &r);
	parse_ok("dnf-security", dnf_sec, 100, &sec);
	ck_assert_uint_eq(sec.updates, 3);
	pub_result_mark_security(&r, &sec, 0);
	check_finished(&r);
	ck_assert_int_eq(r.security_known, 1);
	ck_assert_uint_eq(r.updates, 5);	/* zsh is not added */
	ck_assert_int_eq(r.security, 2);
	ck_assert_int_eq(has(&r, "kernel.x86_64"), 2);
	ck_assert_int_eq(has(&r, "tzdata.noarch"), 2);
	ck_assert_int_eq(has(&r, "kernel-core.x86_64"), 1);
	ck_assert_int_eq(has(&r, "bash.i686"), 1);
	ck_assert_int_eq(has(&r, "zsh.x86_64"), 0);
	ck_assert_str_eq(printed(&r), "updates 5\nsecurity 2\n"
			 "package bash.i686\npackage bash.x86_64\n"
			 "package kernel-core.x86_64\npackage kernel.x86_64\n"
			 "package tzdata.noarch\n");
	pub_result_free(&sec);
	pub_result_free(&r);
}
END_TEST

/* A security listing that lists nothing makes the count known: 0. */
START_TEST(test_mark_none)
{
	struct pub_result r, sec;

	parse_ok("dnf", dnf_list, 100, &r);
	parse_ok("dnf-security", "", 0, &sec);
	pub_result_mark_security(&r, &sec, 0);
	ck_assert_int_eq(r.security_known, 1);
	ck_assert_int_eq(r.security, 0);
	ck_assert_uint_eq(r.updates, 5);
	pub_result_free(&sec);
	pub_result_free(&r);
	/* Nothing pending at all: still "security 0", not unknown. */
	parse_ok("dnf", "", 0, &r);
	parse_ok("dnf-security", "", 0, &sec);
	pub_result_mark_security(&r, &sec, 0);
	ck_assert_str_eq(printed(&r), "updates 0\nsecurity 0\n");
	pub_result_free(&sec);
	pub_result_free(&r);
}
END_TEST

/* Marks add to what the listing itself knew, never unmark. */
START_TEST(test_mark_keeps_own_flags)
{
	struct pub_result r, sec;

	parse_ok("apt-list", apt_list, 0, &r);
	ck_assert_int_eq(r.security, 3);
	pub_result_init(&sec);
	ck_assert_int_eq(pub_result_add(&sec, "vim", 3, 0), 0);
	ck_assert_int_eq(pub_result_add(&sec, "not-installed", 13, 0), 0);
	pub_result_finish(&sec);
	pub_result_mark_security(&r, &sec, 0);
	check_finished(&r);
	ck_assert_int_eq(r.security, 4);
	ck_assert_int_eq(has(&r, "vim"), 2);
	ck_assert_int_eq(has(&r, "libc6"), 2);
	ck_assert_int_eq(has(&r, "libpython3.11"), 1);
	pub_result_free(&sec);
	pub_result_free(&r);
}
END_TEST

/* zypper: packages are listed, security comes as patches. */
START_TEST(test_mark_counts_patches)
{
	static const char pkgs[] = "<?xml version='1.0'?><stream>"
		"<update-status version=\"0.6\"><update-list>"
		"<update name=\"openssl\" edition=\"3\" arch=\"x86_64\" "
		"kind=\"package\"/><update name=\"libopenssl3\" edition=\"3\" "
		"arch=\"x86_64\" kind=\"package\"/><update name=\"vim\" "
		"edition=\"9\" arch=\"x86_64\" kind=\"package\"/>"
		"</update-list></update-status></stream>\n";
	static const char patches[] = "<stream><update-status><update-list>"
		"<update name=\"SUSE-2024-1\" kind=\"patch\" status=\"needed\" "
		"category=\"security\"/><update name=\"SUSE-2024-2\" "
		"kind=\"patch\" status=\"needed\" category=\"security\"/>"
		"</update-list></update-status></stream>\n";
	struct pub_result r, sec;
	size_t i;

	parse_ok("zypper-xml", pkgs, 0, &r);
	parse_ok("zypper-patches-xml", patches, 0, &sec);
	ck_assert_int_eq(r.security, -1);
	ck_assert_uint_eq(sec.updates, 2);
	pub_result_mark_security(&r, &sec, 1);
	ck_assert_int_eq(r.security_known, 1);
	ck_assert_int_eq(r.security, 2);	/* the patches, not names */
	ck_assert_uint_eq(r.updates, 3);
	for (i = 0; i < r.npkgs; i++)
		ck_assert_int_eq(r.pkgs[i].security, 0);
	ck_assert_str_eq(printed(&r), "updates 3\nsecurity 2\n"
			 "package libopenssl3.x86_64\npackage openssl.x86_64\n"
			 "package vim.x86_64\n");
	/* With most packages ignored, security never exceeds pending. */
	{
		char *pat[] = { "*ssl*" };

		pub_result_ignore(&r, pat, 1);
		pub_result_mark_security(&r, &sec, 1);
		ck_assert_uint_eq(r.updates, 1);
		ck_assert_int_eq(r.security, 1);
	}
	pub_result_free(&sec);
	pub_result_free(&r);
}
END_TEST

/* No needed security patch: known, and zero. */
START_TEST(test_mark_counts_no_patches)
{
	struct pub_result r, sec;

	pub_result_init(&r);
	ck_assert_int_eq(pub_result_add(&r, "vim.x86_64", 10, 0), 0);
	pub_result_finish(&r);
	parse_ok("zypper-patches-xml", "<stream><update-status><update-list>"
		 "</update-list></update-status></stream>", 0, &sec);
	pub_result_mark_security(&r, &sec, 1);
	ck_assert_int_eq(r.security_known, 1);
	ck_assert_int_eq(r.security, 0);
	ck_assert_uint_eq(r.updates, 1);
	pub_result_free(&sec);
	pub_result_free(&r);
}
END_TEST

/* The publisher's order: list, ignore, then the security listing. */
START_TEST(test_ignore_then_mark)
{
	struct pub_result r, sec;

	parse_ok("dnf", dnf_list, 100, &r);
	IGNORE(&r, "kernel", "bash");
	ck_assert_uint_eq(r.updates, 2);
	parse_ok("dnf-security", dnf_sec, 100, &sec);
	pub_result_mark_security(&r, &sec, 0);
	check_finished(&r);
	ck_assert_uint_eq(r.updates, 2);	/* kernel stays ignored */
	ck_assert_int_eq(r.security, 1);	/* tzdata only */
	ck_assert_int_eq(has(&r, "tzdata.noarch"), 2);
	ck_assert_int_eq(has(&r, "kernel.x86_64"), 0);
	/* Ignoring after marking recounts the marked ones. */
	IGNORE(&r, "tzdata");
	ck_assert_uint_eq(r.updates, 1);
	ck_assert_int_eq(r.security, 0);
	pub_result_free(&sec);
	pub_result_free(&r);
}
END_TEST

static Suite *result_suite(void)
{
	Suite *s = suite_create("result");
	TCase *ign = tcase_create("ignored"), *res = tcase_create("result");

	tcase_add_test(ign, test_ignored_whole_name);
	tcase_add_test(ign, test_ignored_known_arches);
	tcase_add_test(ign, test_ignored_dotted_debian_names);
	tcase_add_test(ign, test_ignored_brackets_and_question);
	tcase_add_test(ign, test_ignored_long_names);
	tcase_add_test(res, test_ignore_recounts_security);
	tcase_add_test(res, test_ignore_keeps_unknown_security);
	tcase_add_test(res, test_ignore_nothing);
	tcase_add_test(res, test_ignore_added_by_hand);
	tcase_add_test(res, test_mark_by_name);
	tcase_add_test(res, test_mark_none);
	tcase_add_test(res, test_mark_keeps_own_flags);
	tcase_add_test(res, test_mark_counts_patches);
	tcase_add_test(res, test_mark_counts_no_patches);
	tcase_add_test(res, test_ignore_then_mark);
	suite_add_tcase(s, ign);
	suite_add_tcase(s, res);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(result_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
