/* SPDX-License-Identifier: MIT */
/*
 * The table of package-manager backends and detection by PATH lookup.
 * Every command only lists or refreshes a private copy of the index; none
 * changes the system's package state or takes its locks.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "publisher/backend.h"
#include "publisher/parse_formats.h"

/* Managers print translated text otherwise, and the parsers read English. */
const char *const pub_backend_env[] = { "LC_ALL=C", NULL };

#define END { PUB_STEP_LIST, NULL, NULL, 0, 0, 0, 0, NULL, NULL }

/*
 * apk: --no-cache fetches the indexes into memory on every run and leaves
 * no cache behind, so it needs no directory of ours.  apk lists from the
 * indexes it could read, exits 0 when one could not be fetched or opened
 * and says so only on stderr ("WARNING: fetching URL: ..."): stderr is
 * joined to the listing, where the parser fails on such a line.  With no
 * repository configured apk reads nothing and says nothing, so the shell
 * refuses that first.  Alpine images have a shell; distroless ones have no
 * apk either.
 */
#define APK_REPOS_OK "for f in /etc/apk/repositories " \
	"/etc/apk/repositories.d/*.list; do " \
	"grep -qsvE '^[[:space:]]*(#|$)' \"$f\" && exec "
#define APK_NO_REPOS "; done; " \
	"echo 'ERROR: no repository in /etc/apk/repositories'; exit 1"
static const char *const apk_list_fresh[] = { "/bin/sh", "-c",
	APK_REPOS_OK "apk --no-cache list --upgradable 2>&1" APK_NO_REPOS,
	NULL };
static const char *const apk_list[] = { "/bin/sh", "-c",
	APK_REPOS_OK "apk list --upgradable 2>&1" APK_NO_REPOS, NULL };
static const struct pub_step apk_private[] = {
	{ PUB_STEP_LIST, apk_list_fresh, "apk-list", 0, 0, 0, 0,
	  NULL, NULL }, END };
static const struct pub_step apk_system[] = {
	{ PUB_STEP_LIST, apk_list, "apk-list", 0, 0, 0, 0, NULL, NULL }, END };

/*
 * apt: the lists and caches are ours (Dir::State::Lists, Dir::Cache), the
 * binary caches are not written at all, and NoLocking keeps apt off the
 * system's locks; the dpkg status it reads is only read.
 *
 * apt-get update exits 0 after "W: Failed to fetch"; --error-on=any (apt
 * 2.1.16) makes any source that failed an error.  A repository whose
 * Release is past its Valid-Until is frozen (a stale mirror or snapshot)
 * and shows no new update: that is an error too, whatever the machine's
 * Acquire::Check-Valid-Until says (apt reads Valid-Until only with
 * Acquire::Check-Date on).  indextargets lists the
 * index every configured repository needs, so that a repository with no
 * index (never fetched, or no repository at all) fails the check instead
 * of counting as "no updates".  The count is apt-get's own simulation of
 * dist-upgrade under the machine's configuration: what a rebuild would
 * install.  What it keeps back is sorted out by two more runs, only when
 * it kept something: the same simulation with every phased update in, and
 * the packages on hold.
 */
#define APT_DIRS "-c", "@CACHE@/apt/apt.conf", \
	"-o", "Dir::State::Lists=@CACHE@/apt/lists", \
	"-o", "Dir::Cache=@CACHE@/apt/cache", "-o", "Dir::Cache::pkgcache=", \
	"-o", "Dir::Cache::srcpkgcache=", "-o", "Debug::NoLocking=1"
#define APT_INDEX "apt-get", "indextargets", "--no-release-info"
/* quiet=1 set, not -q added: a quiet level from the machine's apt.conf
 * plus -q would hide the kept-back and phasing lists. */
#define APT_SIM "apt-get", "-s", "-o", "quiet=1", "dist-upgrade"
#define APT_ALL_PHASES "-o", "APT::Get::Always-Include-Phased-Updates=true"
static const char *const apt_update[] = {
	"apt-get", "-o", "quiet=1", "update", "--error-on=any",
	"-o", "Acquire::Check-Valid-Until=true",
	"-o", "Acquire::Check-Date=true", APT_DIRS,
	"-o", "Acquire::GzipIndexes=true", NULL };
static const char *const apt_index_private[] = {
	APT_INDEX, APT_DIRS, "Identifier: Packages", NULL };
static const char *const apt_sim_private[] = { APT_SIM, APT_DIRS, NULL };
static const char *const apt_phased_private[] = {
	APT_SIM, APT_ALL_PHASES, APT_DIRS, NULL };
static const char *const apt_holds_private[] = {
	"apt-mark", "showhold", APT_DIRS, NULL };
/* The system's index, read as it is: no binary cache written there. */
#define APT_READ "-o", "Dir::Cache::pkgcache=", \
	"-o", "Dir::Cache::srcpkgcache=", "-o", "Debug::NoLocking=1"
static const char *const apt_index[] = {
	APT_INDEX, APT_READ, "Identifier: Packages", NULL };
static const char *const apt_sim[] = { APT_SIM, APT_READ, NULL };
static const char *const apt_phased[] = {
	APT_SIM, APT_ALL_PHASES, APT_READ, NULL };
static const char *const apt_holds[] = {
	"apt-mark", "showhold", APT_READ, NULL };
static const struct pub_step apt_private[] = {
	{ PUB_STEP_REFRESH, apt_update, NULL, 0, 0, 0, 0, NULL,
	  pub_apt_fetch_errors },
	{ PUB_STEP_INDEX, apt_index_private, NULL, 0, 0, 0, 0, NULL, NULL },
	{ PUB_STEP_LIST, apt_sim_private, "apt-get", 0, 0, 0, 0, NULL, NULL },
	{ PUB_STEP_PHASED, apt_phased_private, "apt-get", 0, 0, 1, 0,
	  NULL, NULL },
	{ PUB_STEP_HOLDS, apt_holds_private, "lines", 0, 0, 1, 0,
	  NULL, NULL }, END };
static const struct pub_step apt_system[] = {
	{ PUB_STEP_INDEX, apt_index, NULL, 0, 0, 0, 0, NULL, NULL },
	{ PUB_STEP_LIST, apt_sim, "apt-get", 0, 0, 0, 0, NULL, NULL },
	{ PUB_STEP_PHASED, apt_phased, "apt-get", 0, 0, 1, 0, NULL, NULL },
	{ PUB_STEP_HOLDS, apt_holds, "lines", 0, 0, 1, 0, NULL, NULL }, END };
static const char *const apt_subdirs[] = {
	"apt/lists/partial", "apt/cache/archives/partial", NULL };
/*
 * Read with -c, after the machine's configuration: the machine's hooks
 * are for its own apt runs, not for a check into a private index.  Run by
 * a root check they would change the system (appstream refreshes its
 * catalogue, PackageKit is called), and one that writes where the
 * publisher's user may not would fail a check that saw every repository.
 * (apt's #clear works only in a file, not with -o.)
 */
static const char apt_conf[] =
	"#clear APT::Update::Pre-Invoke;\n"
	"#clear APT::Update::Post-Invoke;\n"
	"#clear APT::Update::Post-Invoke-Success;\n"
	"#clear APT::Update::Post-Invoke-Stats;\n"
	"#clear APT::Update::Auth-Failure;\n"
	"#clear APT::Install::Pre-Invoke;\n"
	"#clear APT::Install::Post-Invoke-Success;\n"
	"#clear DPkg::Pre-Invoke;\n"
	"#clear DPkg::Post-Invoke;\n"
	"#clear DPkg::Pre-Install-Pkgs;\n";

/*
 * dnf and yum: metadata in our cachedir, logs there too; security from
 * --security.  skip_if_unavailable=False: distributions ship True, and a
 * repository that cannot be read must fail the check, not shrink the count;
 * "*." sets it on every repository too, since a .repo file's own setting
 * wins over the main one.  metadata_expire=0, likewise for both: metadata
 * younger than its expiry (48 hours by default) is used without asking the
 * repository, so a repository gone since the last check would still count
 * as read.  Excluded packages (excludepkgs, and versionlock, which works
 * by excluding) are left out of check-update by dnf itself.
 */
#define RPM_STRICT "--setopt=skip_if_unavailable=False", \
	"--setopt=*.skip_if_unavailable=False"
#define RPM_OPTS(m) "-q", RPM_STRICT, "--setopt=metadata_expire=0", \
	"--setopt=*.metadata_expire=0", "--setopt=cachedir=@CACHE@/" m, \
	"--setopt=logdir=@CACHE@/" m
#define RPM_CACHED "-q", "-C", RPM_STRICT
static const char *const dnf_list_private[] = {
	"dnf", RPM_OPTS("dnf"), "check-update", NULL };
static const char *const dnf_sec_private[] = {
	"dnf", RPM_OPTS("dnf"), "check-update", "--security", NULL };
static const char *const dnf_list[] = {
	"dnf", RPM_CACHED, "check-update", NULL };
static const char *const dnf_sec[] = {
	"dnf", RPM_CACHED, "check-update", "--security", NULL };
static const struct pub_step dnf_private[] = {
	{ PUB_STEP_LIST, dnf_list_private, "dnf", 0, 0, 0, 0, NULL, NULL },
	{ PUB_STEP_SECURITY, dnf_sec_private, "dnf-security", 0, 0, 0, 0,
	  NULL, NULL },
	END };
static const struct pub_step dnf_system[] = {
	{ PUB_STEP_LIST, dnf_list, "dnf", 0, 0, 0, 0, NULL, NULL },
	{ PUB_STEP_SECURITY, dnf_sec, "dnf-security", 0, 0, 0, 0,
	  NULL, NULL }, END };
static const char *const dnf_subdirs[] = { "dnf", NULL };

static const char *const yum_list_private[] = {
	"yum", RPM_OPTS("yum"), "check-update", NULL };
static const char *const yum_sec_private[] = {
	"yum", RPM_OPTS("yum"), "check-update", "--security", NULL };
static const char *const yum_list[] = {
	"yum", RPM_CACHED, "check-update", NULL };
static const char *const yum_sec[] = {
	"yum", RPM_CACHED, "check-update", "--security", NULL };
static const struct pub_step yum_private[] = {
	{ PUB_STEP_LIST, yum_list_private, "yum", 0, 0, 0, 0, NULL, NULL },
	{ PUB_STEP_SECURITY, yum_sec_private, "dnf-security", 0, 0, 0, 0,
	  NULL, NULL },
	END };
static const struct pub_step yum_system[] = {
	{ PUB_STEP_LIST, yum_list, "yum", 0, 0, 0, 0, NULL, NULL },
	{ PUB_STEP_SECURITY, yum_sec, "dnf-security", 0, 0, 0, 0,
	  NULL, NULL }, END };
static const char *const yum_subdirs[] = { "yum", NULL };

/*
 * zypper: raw and solv caches in our cache dir (--cache-dir), which it
 * fills as any user; only root can refresh metadata that has gone stale
 * there.  Security comes from patches.  With --no-refresh: the system's
 * cache, not refreshed.
 *
 * list-updates refreshes a repository only if it has autorefresh and its
 * metadata is older than the refresh delay, and with every repository
 * disabled it lists nothing and exits 0.  zypper refresh asks every
 * enabled repository whether its metadata changed, whatever autorefresh
 * and the delay say, and exits non-zero when one fails (4) or none is
 * enabled (6); --force would download everything each time to learn no
 * more.  It is not --xmlout: its errors are wanted on stderr, where the
 * check quotes them.  It needs root ("Root privileges are required",
 * exit 5), so other users go without it.  Every user lists the
 * repositories first (zypper repos, a read of the .repo files): with none
 * enabled the check fails instead of counting nothing, and so it does for
 * another user when an enabled repository has autorefresh off, which
 * only the refresh would ask again.
 */
#define ZYPPER_CACHE "--cache-dir", "@CACHE@/zypp"
#define ZYPPER_PRIVATE "zypper", "--non-interactive", "--xmlout", ZYPPER_CACHE
#define ZYPPER_SYSTEM "zypper", "--non-interactive", "--xmlout", "--no-refresh"
static const char *const zypper_refresh[] = {
	"zypper", "--non-interactive", ZYPPER_CACHE, "refresh", NULL };
static const char *const zypper_repos_private[] = {
	ZYPPER_PRIVATE, "repos", NULL };
static const char *const zypper_repos[] = { ZYPPER_SYSTEM, "repos", NULL };
static const char *const zypper_list_private[] = {
	ZYPPER_PRIVATE, "list-updates", NULL };
static const char *const zypper_sec_private[] = {
	ZYPPER_PRIVATE, "list-patches", "--category", "security", NULL };
static const char *const zypper_list[] = {
	ZYPPER_SYSTEM, "list-updates", NULL };
static const char *const zypper_sec[] = {
	ZYPPER_SYSTEM, "list-patches", "--category", "security", NULL };
static const struct pub_step zypper_private[] = {
	{ PUB_STEP_REFRESH, zypper_refresh, NULL, 0, 0, 0, 1, NULL, NULL },
	{ PUB_STEP_REPOS, zypper_repos_private, "zypper-repos-xml", 0, 0, 0,
	  1, NULL, NULL },
	{ PUB_STEP_REPOS, zypper_repos_private, "zypper-repos-auto-xml", 0, 0,
	  0, -1, NULL, NULL },
	{ PUB_STEP_LIST, zypper_list_private, "zypper-xml", 0, 0, 0, 0,
	  NULL, NULL },
	{ PUB_STEP_SECURITY, zypper_sec_private, "zypper-patches-xml",
	  1, 0, 0, 0, NULL, NULL },
	END };
static const struct pub_step zypper_system[] = {
	{ PUB_STEP_REPOS, zypper_repos, "zypper-repos-xml", 0, 0, 0, 0,
	  NULL, NULL },
	{ PUB_STEP_LIST, zypper_list, "zypper-xml", 0, 0, 0, 0, NULL, NULL },
	{ PUB_STEP_SECURITY, zypper_sec, "zypper-patches-xml", 1, 0, 0, 0,
	  NULL, NULL },
	END };
static const char *const zypper_subdirs[] = { "zypp", NULL };

/*
 * pacman: as checkupdates does, sync databases into a dbpath of ours whose
 * "local" is a link to the system's installed-package database.  -Sy fails
 * when a database cannot be downloaded ("failed to synchronize all
 * databases") or none is configured ("no usable package repositories
 * configured").  -Qu exits 1 and prints nothing on stdout both when
 * nothing is pending and when no repository is configured, so with the
 * system's databases -Sql (every sync package's name) runs first: it fails
 * when none is configured.  A missing database file is only a warning to
 * both, and -Qu exits 1 for it as for "none": its stderr tells them apart
 * ("warning: database file for 'core' does not exist", or an "error:"
 * line when a database is unreadable).
 */
static const char *const pacman_sync[] = {
	"pacman", "-Sy", "--dbpath", "@CACHE@/pacman", "--logfile", "/dev/null",
	NULL };
static const char *const pacman_list_private[] = {
	"pacman", "-Qu", "--dbpath", "@CACHE@/pacman", NULL };
static const char *const pacman_list[] = { "pacman", "-Qu", NULL };
static const char *const pacman_verify[] = { "pacman", "-Sql", NULL };
static const char *const pacman_list_fails[] = {
	"warning: database file for ", "^error:", NULL };
static const struct pub_step pacman_private[] = {
	{ PUB_STEP_REFRESH, pacman_sync, NULL, 0, 1, 0, 0, NULL, NULL },
	{ PUB_STEP_LIST, pacman_list_private, "pacman", 0, 0, 0, 0,
	  pacman_list_fails, NULL }, END };
static const struct pub_step pacman_system[] = {
	{ PUB_STEP_REFRESH, pacman_verify, NULL, 0, 0, 0, 0, NULL, NULL },
	{ PUB_STEP_LIST, pacman_list, "pacman", 0, 0, 0, 0, pacman_list_fails,
	  NULL }, END };
static const char *const pacman_subdirs[] = { "pacman", NULL };

/* In detection order: dnf before yum, as Fedora ships a yum alias. */
static const struct pub_backend pub_backends[] = {
	{ "apk", "apk", apk_private, apk_system, NULL, NULL, NULL, NULL, NULL,
	  "--no-cache" },
	{ "apt", "apt-get", apt_private, apt_system, apt_subdirs, NULL, NULL,
	  "apt/apt.conf", apt_conf, "private lists" },
	{ "dnf", "dnf", dnf_private, dnf_system, dnf_subdirs, NULL, NULL,
	  NULL, NULL, "private cachedir" },
	{ "yum", "yum", yum_private, yum_system, yum_subdirs, NULL, NULL,
	  NULL, NULL, "private cachedir" },
	{ "zypper", "zypper", zypper_private, zypper_system, zypper_subdirs,
	  NULL, NULL, NULL, NULL, "private cache dir" },
	{ "pacman", "pacman", pacman_private, pacman_system, pacman_subdirs,
	  "pacman/local", "/var/lib/pacman/local", NULL, NULL,
	  "private dbpath" },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

const struct pub_backend *pub_backend_find(const char *name)
{
	const struct pub_backend *b;

	for (b = pub_backends; b->name != NULL; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

const struct pub_backend *pub_backend_detect(void)
{
	const struct pub_backend *b;

	for (b = pub_backends; b->name != NULL; b++)
		if (pub_in_path(b->probe))
			return b;
	return NULL;
}

void pub_backend_names(char *buf, size_t len)
{
	const struct pub_backend *b;
	size_t used = 0;

	buf[0] = '\0';
	for (b = pub_backends; b->name != NULL && used < len; b++) {
		int n = snprintf(buf + used, len - used, "%s%s",
				 used ? ", " : "", b->name);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

int pub_in_path(const char *prog)
{
	const char *path = getenv("PATH"), *p, *end;
	char full[PATH_MAX];

	if (strchr(prog, '/') != NULL)
		return access(prog, X_OK) == 0;
	if (path == NULL || *path == '\0')
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (p = path; ; p = end + 1) {
		size_t n;

		end = strchr(p, ':');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n > 0 && (size_t)snprintf(full, sizeof(full), "%.*s/%s",
					      (int)n, p, prog) < sizeof(full) &&
		    access(full, X_OK) == 0)
			return 1;
		if (end == NULL)
			return 0;
	}
}

/* 1 if a line of s starts with prefix. */
static int pub_line_starts(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	for (;;) {
		if (strncmp(s, prefix, n) == 0)
			return 1;
		s = strchr(s, '\n');
		if (s == NULL)
			return 0;
		s++;
	}
}

const char *pub_step_fails_on(const struct pub_step *s, const char *err)
{
	const char *const *pat;

	for (pat = s->fails_on; pat != NULL && *pat != NULL; pat++)
		if ((*pat)[0] == '^' ? pub_line_starts(err, *pat + 1) :
		    strstr(err, *pat) != NULL)
			return *pat;
	return NULL;
}
