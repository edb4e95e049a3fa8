/* SPDX-License-Identifier: MIT */
/*
 * What happens to a listing after it is parsed: the user's ignore globs,
 * and security flags from a second, security-only listing.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "publisher/result.h"

/* Architectures as rpm ("name.arch") and dpkg ("name:arch") suffix them. */
static const char *const pub_arches[] = {
	"x86_64", "noarch", "i686", "i586", "i386", "aarch64", "armv7hl",
	"ppc64le", "s390x", "riscv64", "amd64", "arm64", "armhf", "armel",
	"mips64el", "ppc64el", "ppc64", "loong64", "loongarch64", "all", NULL
};

/* Length of name without a known ".arch" or ":arch" suffix. */
static size_t pub_base_len(const char *name)
{
	const char *dot = strrchr(name, '.'), *colon = strrchr(name, ':');
	const char *cut = dot > colon ? dot : colon;
	size_t i;

	if (cut == NULL)
		return strlen(name);
	for (i = 0; pub_arches[i] != NULL; i++)
		if (strcmp(cut + 1, pub_arches[i]) == 0)
			return (size_t)(cut - name);
	return strlen(name);
}

int pub_ignored(const char *name, char *const *patterns, size_t n)
{
	char base[PUB_NAME_MAX + 1];
	size_t len = pub_base_len(name), i;

	if (len > PUB_NAME_MAX)
		len = PUB_NAME_MAX;
	memcpy(base, name, len);
	base[len] = '\0';
	for (i = 0; i < n; i++)
		if (fnmatch(patterns[i], name, 0) == 0 ||
		    fnmatch(patterns[i], base, 0) == 0)
			return 1;
	return 0;
}

/* Recounts after packages were dropped or marked. */
static void pub_recount(struct pub_result *r)
{
	size_t i;
	int sec = 0;

	for (i = 0; i < r->npkgs; i++)
		sec += r->pkgs[i].security != 0;
	r->updates = (unsigned)r->npkgs;
	if (r->security_known)
		r->security = sec;
}

/* Drops the packages of v that match; returns how many are left. */
static size_t pub_pkgs_ignore(struct pub_pkg *v, size_t n,
			      char *const *patterns, size_t npat)
{
	size_t i, out = 0;

	for (i = 0; i < n; i++) {
		if (pub_ignored(v[i].name, patterns, npat))
			pub_pkg_free(&v[i]);
		else
			v[out++] = v[i];
	}
	return out;
}

void pub_result_ignore(struct pub_result *r, char *const *patterns, size_t n)
{
	if (n == 0)
		return;
	r->npkgs = pub_pkgs_ignore(r->pkgs, r->npkgs, patterns, n);
	r->nkept = pub_pkgs_ignore(r->kept, r->nkept, patterns, n);
	pub_recount(r);
}

static int pub_name_cmp(const void *key, const void *elem)
{
	const struct pub_pkg *p = elem;

	return strcmp(key, p->name);
}

void pub_result_mark_security(struct pub_result *r,
			      const struct pub_result *sec, int counts_patches)
{
	size_t i;

	r->security_known = 1;
	for (i = 0; i < sec->npkgs && r->npkgs > 0; i++) {
		/* A listing that tells security apart names others too. */
		if (sec->security_known && !sec->pkgs[i].security)
			continue;
		/* Both are finished, hence sorted by name. */
		struct pub_pkg *p = bsearch(sec->pkgs[i].name, r->pkgs,
					    r->npkgs, sizeof(*r->pkgs),
					    pub_name_cmp);

		if (p != NULL)
			p->security = 1;
	}
	pub_recount(r);
	/*
	 * Patches are not packages: their count stands for security, capped
	 * by the pending count (the reader rejects more), since patches for
	 * ignored packages still count.
	 */
	if (counts_patches) {
		unsigned n = sec->security >= 0 ? (unsigned)sec->security :
			     sec->updates;

		r->security = (int)(n < r->updates ? n : r->updates);
	}
}

void pub_result_mark_kept(struct pub_result *r, const struct pub_result *by,
			  enum pub_kept why)
{
	size_t i;

	for (i = 0; i < r->nkept; i++)
		if (r->kept[i].kept == PUB_KEPT && by->npkgs > 0 &&
		    bsearch(r->kept[i].name, by->pkgs, by->npkgs,
			    sizeof(*by->pkgs), pub_name_cmp) != NULL)
			r->kept[i].kept = (int)why;
}

void pub_result_settle(struct pub_result *r)
{
	size_t i;

	for (i = 0; i < r->nkept; i++)
		if (r->kept[i].kept == PUB_KEPT)
			r->kept[i].kept = PUB_BLOCKED;
}
