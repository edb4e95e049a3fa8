/* SPDX-License-Identifier: MIT */
/*
 * The table of package-manager backends and detection by PATH lookup.
 * Every command only lists; none changes the system.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "publisher/backend.h"

/* Managers print translated text otherwise, and the parsers read English. */
const char *const pub_backend_env[] = { "LC_ALL=C", NULL };

static const char *const pub_apk_argv[] = { "apk", "list", "--upgradable", NULL };
static const char *const pub_apt_argv[] = { "apt", "list", "--upgradable", NULL };
static const char *const pub_dnf_argv[] = { "dnf", "-q", "check-update", NULL };
static const char *const pub_yum_argv[] = { "yum", "-q", "check-update", NULL };
static const char *const pub_zypper_argv[] = {
	"zypper", "--non-interactive", "list-updates", NULL
};
static const char *const pub_pacman_argv[] = { "pacman", "-Qu", NULL };

/* In detection order: dnf before yum, as Fedora ships a yum alias. */
static const struct pub_backend pub_backends[] = {
	{ "apk", "apk", pub_apk_argv, "apk-list" },
	{ "apt", "apt-get", pub_apt_argv, "apt-list" },
	{ "dnf", "dnf", pub_dnf_argv, "dnf" },
	{ "yum", "yum", pub_yum_argv, "yum" },
	{ "zypper", "zypper", pub_zypper_argv, "zypper" },
	{ "pacman", "pacman", pub_pacman_argv, "pacman" },
	{ NULL, NULL, NULL, NULL },
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

void pub_backend_names(char *buf, unsigned len)
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
