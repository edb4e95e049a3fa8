/* SPDX-License-Identifier: MIT */
/*
 * Check suite for what the apt check reads besides its pending list:
 * apt-get's kept-back and phasing lists and the versions on its Inst lines
 * (publisher/parse_apt.c), the sorting of kept packages into held, phased
 * and blocked (publisher/result.c), and the index every configured
 * repository must have (publisher/index.c).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "publisher/formats.h"
#include "publisher/index.h"
#include "publisher/parse.h"
#include "publisher/parse_formats.h"
#include "publisher/result.h"
#include "tests/support/tmpdir.h"

#define ERR_LEN 256

static void parse_ok(const char *format, const char *s, struct pub_result *r)
{
	char err[ERR_LEN];

	ck_assert_msg(pub_parse(pub_format_find(format), s, strlen(s), 0, r,
				err, sizeof(err)) == 0, "%s: %s", format, err);
}

/* The package called name in v (n of them), or NULL. */
static const struct pub_pkg *find(const struct pub_pkg *v, size_t n,
				  const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

/* apt 2.6's wording, as `apt-get -s -q dist-upgrade` prints it. */
static const char apt26[] =
	"Reading package lists...\n"
	"Calculating upgrade...\n"
	"The following packages were automatically installed and are no "
	"longer required:\n"
	"  libunwind-14\n"
	"The following packages have been kept back:\n"
	"  shmlab-broken shmlab-held\n"
	"  shmlab-phased\n"
	"The following NEW packages will be installed:\n"
	"  libnew1\n"
	"The following packages will be upgraded:\n"
	"  shmlab-plain shmlab-sec\n"
	"2 upgraded, 1 newly installed, 0 to remove and 3 not upgraded.\n"
	"Inst libnew1 (1.2-3 Lab:lab [amd64])\n"
	"Inst shmlab-plain [1.0] (2.0 Lab:lab [all])\n"
	"Inst shmlab-sec [1:1.0~rc1] (1:1.0+deb12u1 Lab:lab-security [all])\n"
	"Conf shmlab-plain (2.0 Lab:lab [all])\n";

START_TEST(kept_back_apart)
{
	struct pub_result r;
	const struct pub_pkg *p;

	parse_ok("apt-get", apt26, &r);
	ck_assert_uint_eq(r.updates, 3);
	ck_assert_int_eq(r.security, 1);
	ck_assert_uint_eq(r.nkept, 3);
	ck_assert_ptr_null(find(r.kept, r.nkept, "libunwind-14"));
	ck_assert_ptr_null(find(r.kept, r.nkept, "libnew1"));
	ck_assert_ptr_null(find(r.kept, r.nkept, "shmlab-plain"));
	p = find(r.kept, r.nkept, "shmlab-phased");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(p->kept, PUB_KEPT);
	pub_result_free(&r);
}
END_TEST

START_TEST(inst_versions)
{
	struct pub_result r;
	const struct pub_pkg *p;

	parse_ok("apt-get", apt26, &r);
	p = find(r.pkgs, r.npkgs, "shmlab-sec");
	ck_assert_str_eq(p->installed, "1:1.0~rc1");
	ck_assert_str_eq(p->candidate, "1:1.0+deb12u1");
	ck_assert_int_eq(p->security, 1);
	p = find(r.pkgs, r.npkgs, "libnew1");	/* new: nothing installed */
	ck_assert_ptr_null(p->installed);
	ck_assert_str_eq(p->candidate, "1.2-3");
	pub_result_free(&r);
}
END_TEST

/* apt 3's wording, and Show-Versions' "(OLD => NEW)" after each name. */
START_TEST(apt3_phasing_list)
{
	static const char out[] =
		"Not upgrading yet due to phasing:\n"
		"  shmlab-phased (1.0 => 2.0)\n"
		"Not upgrading:\n"
		"  shmlab-held (1.0 => 2.0) shmlab-broken (1.0 => 2.0)\n"
		"Inst shmlab-plain [1.0] (2.0 Lab:lab [all])\n";
	struct pub_result r;

	parse_ok("apt-get", out, &r);
	ck_assert_uint_eq(r.updates, 1);
	ck_assert_uint_eq(r.nkept, 3);
	ck_assert_int_eq(find(r.kept, r.nkept, "shmlab-phased")->kept,
			 PUB_PHASED);
	ck_assert_int_eq(find(r.kept, r.nkept, "shmlab-held")->kept, PUB_KEPT);
	ck_assert_ptr_null(find(r.kept, r.nkept, "2.0)"));
	pub_result_free(&r);
}
END_TEST

/* Anything but a plain version is no version: it reaches the segment's
 * space-separated lines. */
START_TEST(odd_versions_dropped)
{
	static const char out[] =
		"Inst a [1.0 x] (2.0 Lab:lab [all])\n"
		"Inst b [1.0] (2.0\x1b[31m Lab:lab [all])\n"
		"Inst c [] ()\n";
	struct pub_result r;

	parse_ok("apt-get", out, &r);
	ck_assert_uint_eq(r.updates, 3);
	ck_assert_ptr_null(find(r.pkgs, r.npkgs, "a")->installed);
	ck_assert_str_eq(find(r.pkgs, r.npkgs, "a")->candidate, "2.0");
	ck_assert_ptr_null(find(r.pkgs, r.npkgs, "c")->installed);
	ck_assert_ptr_null(find(r.pkgs, r.npkgs, "c")->candidate);
	pub_result_free(&r);
}
END_TEST

/* A name both installed by the upgrade and listed as kept is pending. */
START_TEST(pending_wins_over_kept)
{
	static const char out[] =
		"The following packages have been kept back:\n"
		"  a b\n"
		"Inst a [1] (2 Lab:lab [all])\n";
	struct pub_result r;

	parse_ok("apt-get", out, &r);
	ck_assert_uint_eq(r.updates, 1);
	ck_assert_uint_eq(r.nkept, 1);
	ck_assert_str_eq(r.kept[0].name, "b");
	pub_result_free(&r);
}
END_TEST

/* A kept list longer than any split buffer loses no name. */
START_TEST(long_kept_line)
{
	char out[8192];
	size_t used;
	struct pub_result r;
	int i;

	used = (size_t)snprintf(out, sizeof(out),
				"The following packages have been kept back:\n ");
	for (i = 0; i < 500; i++)
		used += (size_t)snprintf(out + used, sizeof(out) - used,
					 " p%d", i);
	snprintf(out + used, sizeof(out) - used, "\n");
	parse_ok("apt-get", out, &r);
	ck_assert_uint_eq(r.nkept, 500);
	pub_result_free(&r);
}
END_TEST

/* The check's sorting: phased from the all-phases simulation, held from
 * apt-mark showhold, the rest blocked. */
START_TEST(sort_kept)
{
	struct pub_result r, phased, holds;

	parse_ok("apt-get", apt26, &r);
	parse_ok("apt-get", "Inst shmlab-phased [1.0] (2.0 Lab:lab [all])\n"
		 "Inst shmlab-plain [1.0] (2.0 Lab:lab [all])\n", &phased);
	parse_ok("lines", "shmlab-held\nshmlab-other\n", &holds);
	pub_result_mark_kept(&r, &phased, PUB_PHASED);
	pub_result_mark_kept(&r, &holds, PUB_HELD);
	pub_result_settle(&r);
	ck_assert_int_eq(find(r.kept, r.nkept, "shmlab-phased")->kept,
			 PUB_PHASED);
	ck_assert_int_eq(find(r.kept, r.nkept, "shmlab-held")->kept, PUB_HELD);
	ck_assert_int_eq(find(r.kept, r.nkept, "shmlab-broken")->kept,
			 PUB_BLOCKED);
	ck_assert_uint_eq(r.updates, 3);
	pub_result_free(&r);
	pub_result_free(&phased);
	pub_result_free(&holds);
}
END_TEST

/* Ignored packages leave the kept list too. */
START_TEST(ignore_kept)
{
	struct pub_result r;
	char *const pats[] = { "shmlab-h*" };

	parse_ok("apt-get", apt26, &r);
	pub_result_ignore(&r, pats, 1);
	ck_assert_uint_eq(r.nkept, 2);
	ck_assert_ptr_null(find(r.kept, r.nkept, "shmlab-held"));
	pub_result_free(&r);
}
END_TEST

/* parse prints the kept packages after the pending ones. */
START_TEST(print_kept)
{
	struct pub_result r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	parse_ok("apt-get", "The following packages have been kept back:\n"
		 "  b\nInst a [1] (2 Lab:lab [all])\n", &r);
	pub_result_print(&r, f);
	fclose(f);
	ck_assert_str_eq(buf, "updates 1\nsecurity 0\npackage a\nkept b\n");
	free(buf);
	pub_result_free(&r);
}
END_TEST

/* apt-get update's failed downloads, as it printed them offline. */
START_TEST(fetch_errors)
{
	static const char out[] =
		"Ign:1 http://127.0.0.1:9/debian lab InRelease\n"
		"Err:1 http://127.0.0.1:9/debian lab InRelease\n"
		"  Could not connect to 127.0.0.1:9 (127.0.0.1). - connect "
		"(111: Connection refused)\n"
		"Err:2 http://x.invalid/debian lab-updates InRelease\n"
		"  Temporary failure resolving 'x.invalid'\n"
		"Reading package lists...\n";
	char first[160];

	ck_assert_uint_eq(pub_apt_fetch_errors(out, sizeof(out) - 1, first,
					       sizeof(first)), 2);
	ck_assert_str_eq(first, "http://127.0.0.1:9/debian lab InRelease: "
			 "Could not connect to 127.0.0.1:9 (127.0.0.1). - "
			 "connect (111: Connection refused)");
	/* No reason below it, a control byte in it, nothing at all. */
	static const char odd[] = "Err:3 file:/x\x01 ./ Release";

	ck_assert_uint_eq(pub_apt_fetch_errors(odd, sizeof(odd) - 1, first,
					       sizeof(first)), 1);
	ck_assert_str_eq(first, "file:/x? ./ Release");
	ck_assert_uint_eq(pub_apt_fetch_errors("Hit:1 x\n", 8, first,
					       sizeof(first)), 0);
	ck_assert_str_eq(first, "");
}
END_TEST

/* --- the index ------------------------------------------------------- */

static char dir[] = "/tmp/check_apt.XXXXXX";

static void setup(void)
{
	strcpy(dir, "/tmp/check_apt.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	tst_remove_tree(dir);
}

/* Makes DIR/name with some content and the given mtime. */
static void touch(const char *name, time_t mtime)
{
	char path[256];
	struct utimbuf t = { mtime, mtime };
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("x", f);
	fclose(f);
	ck_assert_int_eq(utime(path, &t), 0);
}

/* One indextargets stanza for DIR/name. */
static size_t stanza(char *buf, size_t size, const char *name, int optional,
		     const char *desc)
{
	return (size_t)snprintf(buf, size,
				"MetaKey: main/binary-amd64/Packages\n"
				"Description: %s\nFilename: %s/%s\n"
				"Optional: %s\nIdentifier: Packages\n\n",
				desc, dir, name, optional ? "yes" : "no");
}

START_TEST(index_present_newest)
{
	char out[2048], why[ERR_LEN];
	struct pub_index ix;
	size_t n;

	touch("a_Packages.lz4", 1000000);	/* compressed, as apt keeps it */
	touch("b_Packages", 2000000);
	n = stanza(out, sizeof(out), "a_Packages", 0, "http://x a/main");
	n += stanza(out + n, sizeof(out) - n, "b_Packages", 0, "http://x b");
	n += stanza(out + n, sizeof(out) - n, "c_Packages", 1, "http://x c");
	ck_assert_int_eq(pub_index_check(out, n, &ix, why, sizeof(why)), 0);
	ck_assert_uint_eq(ix.present, 2);
	ck_assert_int_eq(ix.newest, 2000000);
}
END_TEST

START_TEST(index_missing_named)
{
	char out[2048], why[ERR_LEN];
	struct pub_index ix;
	size_t n;

	touch("a_Packages", 1000000);
	n = stanza(out, sizeof(out), "a_Packages", 0, "http://x a/main");
	n += stanza(out + n, sizeof(out) - n, "b_Packages", 0,
		    "http://unfetched.example bookworm/main amd64 Packages");
	ck_assert_int_eq(pub_index_check(out, n, &ix, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "no package index for http://unfetched."
			     "example bookworm/main amd64 Packages") != NULL,
		      "%s", why);
}
END_TEST

/* An empty file is no index (a list truncated by a full disk). */
START_TEST(index_empty_file)
{
	char out[1024], path[256], why[ERR_LEN];
	struct pub_index ix;
	size_t n;

	snprintf(path, sizeof(path), "%s/a_Packages", dir);
	fclose(fopen(path, "w"));
	n = stanza(out, sizeof(out), "a_Packages", 0, "http://x a");
	ck_assert_int_eq(pub_index_check(out, n, &ix, why, sizeof(why)), -1);
}
END_TEST

START_TEST(index_none)
{
	char why[ERR_LEN];
	struct pub_index ix;

	ck_assert_int_eq(pub_index_check("", 0, &ix, why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "no repository") != NULL, "%s", why);
}
END_TEST

START_TEST(index_garbage)
{
	static const char nul[] = "Filename: /x\0y\n\n";
	char why[ERR_LEN];
	struct pub_index ix;

	ck_assert_int_eq(pub_index_check(nul, sizeof(nul) - 1, &ix, why,
					 sizeof(why)), -1);
	ck_assert_int_eq(pub_index_check("Filename: relative\n\n", 20, &ix,
					 why, sizeof(why)), -1);
	ck_assert_msg(strstr(why, "bad Filename") != NULL, "%s", why);
}
END_TEST

static Suite *apt_suite(void)
{
	Suite *s = suite_create("apt");
	TCase *p = tcase_create("parse"), *ix = tcase_create("index");

	tcase_add_test(p, kept_back_apart);
	tcase_add_test(p, inst_versions);
	tcase_add_test(p, apt3_phasing_list);
	tcase_add_test(p, odd_versions_dropped);
	tcase_add_test(p, pending_wins_over_kept);
	tcase_add_test(p, long_kept_line);
	tcase_add_test(p, sort_kept);
	tcase_add_test(p, ignore_kept);
	tcase_add_test(p, print_kept);
	tcase_add_test(p, fetch_errors);
	suite_add_tcase(s, p);
	tcase_add_checked_fixture(ix, setup, teardown);
	tcase_add_test(ix, index_present_newest);
	tcase_add_test(ix, index_missing_named);
	tcase_add_test(ix, index_empty_file);
	tcase_add_test(ix, index_none);
	tcase_add_test(ix, index_garbage);
	suite_add_tcase(s, ix);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(apt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
