/* SPDX-License-Identifier: MIT */
/*
 * rpm managers: "dnf check-update", "dnf5 check-upgrade" and "yum
 * check-update" (dnf, yum; dnf-security for a --security run, where every
 * entry is a security update) and "dnf updateinfo list", dnf 4 or dnf5 layout
 * (dnf-updateinfo).  A pending update is NAME.ARCH.
 *
 * check-update prints "NAME.ARCH  VERSION  REPO" entries that yum and dnf
 * wrap over two or three lines when a column is too wide, the later parts
 * indented.  An "Obsoleting Packages" section lists each new package
 * followed by the installed one it obsoletes, indented: that one is never
 * counted.  Anything that is not such an entry (plugin notices, mirror
 * lines, "Security:" notes, warnings) is skipped, never counted.
 */
#include <stdio.h>
#include <string.h>

#include "publisher/parse.h"
#include "publisher/parse_formats.h"

#define PUB_RPM_NAME_CHARS "._+-"
#define PUB_RPM_VER_CHARS "._+~^:-"
#define PUB_RPM_REPO_CHARS "._:@/+-"

/* The entry being assembled from a line and its continuation lines. */
struct pub_rpm {
	char first[PUB_NAME_MAX + 1];	/* its NAME.ARCH */
	size_t first_n;
	int count;			/* columns seen: 0 (none) to 3 */
	int indented;			/* an obsoleted installed package */
	int security;			/* dnf-security: every entry is */
};

/* Splits S at its last dot into REST and ARCH.  Returns 1 if ARCH is sane. */
static int pub_rpm_split_arch(struct pub_span s, struct pub_span *rest,
			      struct pub_span *arch)
{
	size_t i = s.n;

	if (s.n > PUB_NAME_MAX)
		return 0;
	while (i > 0 && s.p[i - 1] != '.')
		i--;
	if (i < 2)
		return 0;
	rest->p = s.p;
	rest->n = i - 1;
	arch->p = s.p + i;
	arch->n = s.n - i;
	return pub_chars_ok(*arch, "_") && arch->p[0] >= 'a' &&
	       arch->p[0] <= 'z' && arch->n <= 16;
}

/* Splits "NAME.ARCH".  Returns 1 if both parts are sane. */
static int pub_rpm_name_arch(struct pub_span s, struct pub_span *name,
			     struct pub_span *arch)
{
	return pub_rpm_split_arch(s, name, arch) &&
	       pub_chars_ok(*name, PUB_RPM_NAME_CHARS);
}

/* "[EPOCH:]VERSION-RELEASE": has a dash and a digit, no stray bytes. */
static int pub_rpm_version_ok(struct pub_span s)
{
	return pub_chars_ok(s, PUB_RPM_VER_CHARS) &&
	       memchr(s.p, '-', s.n) != NULL && s.p[0] >= '0' &&
	       s.p[0] <= '9';
}

static int pub_rpm_emit(struct pub_ctx *c, struct pub_rpm *e)
{
	struct pub_span both = { e->first, e->first_n }, name, arch;

	e->count = 0;
	if (e->indented || !pub_rpm_name_arch(both, &name, &arch))
		return 0;
	return pub_ctx_add_arch(c, name, arch, e->security);
}

/* Takes the next column of the pending entry; drops the entry if bad. */
static int pub_rpm_feed(struct pub_ctx *c, struct pub_rpm *e,
			struct pub_span tok)
{
	struct pub_span name, arch;
	int ok;

	if (e->count == 0) {
		ok = pub_rpm_name_arch(tok, &name, &arch);
		if (ok) {
			memcpy(e->first, tok.p, tok.n);
			e->first_n = tok.n;
		}
	} else if (e->count == 1) {
		ok = pub_rpm_version_ok(tok);
	} else {
		ok = pub_chars_ok(tok, PUB_RPM_REPO_CHARS);
	}
	if (!ok) {
		e->count = 0;
		return 0;
	}
	if (++e->count == 3)
		return pub_rpm_emit(c, e);
	return 0;
}

static int pub_rpm_line(struct pub_ctx *c, struct pub_span line)
{
	struct pub_rpm *e = c->state;
	struct pub_span tok[4];
	size_t n = pub_split(line, tok, 4), i;

	/* A line continues an entry only if indented and the columns fit. */
	if (e->count == 0 || !pub_span_indented(line) || e->count + n > 3) {
		e->count = 0;
		if (n == 0 || n > 3)
			return 0;
		e->indented = pub_span_indented(line);
	}
	for (i = 0; i < n; i++) {
		if (pub_rpm_feed(c, e, tok[i]) != 0)
			return -1;
		if (e->count == 0)
			break;	/* dropped, or complete on its last column */
	}
	return 0;
}

/* check-update: 100 means updates are listed, 0 none, anything else failed. */
static int pub_rpm_check(const char *buf, size_t len, int status,
			 struct pub_result *r, char *err, size_t errlen,
			 const char *what, int security)
{
	struct pub_rpm e = { .security = security };
	struct pub_ctx c = { r, err, errlen, 0, &e };

	r->security_known = security;
	if (status == 0)
		return 0;
	if (status != 100)
		return pub_fail(err, errlen, what, status, buf, len);
	if (pub_each_line(buf, len, pub_rpm_line, &c) != 0)
		return -1;
	if (r->npkgs == 0) {
		/* Saying "none" here would hide updates the manager reported. */
		snprintf(err, errlen,
			 "%s exited with status 100 (updates pending) but "
			 "listed no package this parser recognises", what);
		return -1;
	}
	return 0;
}

int pub_parse_dnf(const char *buf, size_t len, int status,
		  struct pub_result *r, char *err, size_t errlen)
{
	return pub_rpm_check(buf, len, status, r, err, errlen,
			     "dnf check-update", 0);
}

int pub_parse_yum(const char *buf, size_t len, int status,
		  struct pub_result *r, char *err, size_t errlen)
{
	return pub_rpm_check(buf, len, status, r, err, errlen,
			     "yum check-update", 0);
}

int pub_parse_dnf_security(const char *buf, size_t len, int status,
			   struct pub_result *r, char *err, size_t errlen)
{
	return pub_rpm_check(buf, len, status, r, err, errlen,
			     "dnf check-update --security", 1);
}

/*
 * Splits a NEVRA "NAME-[EPOCH:]VERSION-RELEASE.ARCH" into NAME and ARCH.
 * Returns 1 if it has that shape.
 */
static int pub_rpm_nevra(struct pub_span s, struct pub_span *name,
			 struct pub_span *arch)
{
	struct pub_span evr;
	size_t i, dashes = 0;

	if (!pub_rpm_split_arch(s, name, arch))
		return 0;
	i = name->n;
	while (i > 0 && dashes < 2)
		if (s.p[--i] == '-')
			dashes++;
	if (dashes < 2 || i == 0)
		return 0;
	evr.p = s.p + i + 1;
	evr.n = name->n - i - 1;
	name->n = i;
	return pub_rpm_version_ok(evr) && pub_chars_ok(*name,
						       PUB_RPM_NAME_CHARS);
}

/* 1 if s has the shape of pattern, 'd' standing for any digit. */
static int pub_digits_shape(struct pub_span s, const char *pattern)
{
	size_t i;

	if (s.n != strlen(pattern))
		return 0;
	for (i = 0; i < s.n; i++)
		if (pattern[i] == 'd' ? s.p[i] < '0' || s.p[i] > '9' :
		    s.p[i] != pattern[i])
			return 0;
	return 1;
}

/*
 * The NEVRA column of an updateinfo row, or an empty span.  dnf 4 prints
 * "ADVISORY TYPE NEVRA" (TYPE "bugfix", "Moderate/Sec." ...); dnf5 prints
 * "ADVISORY TYPE SEVERITY NEVRA DATE TIME" under a header, the SEVERITY
 * cell possibly empty.  dnf 4's --all marks installed ones "i ADVISORY ...":
 * four words, not pending.
 */
static struct pub_span pub_updateinfo_nevra(const struct pub_span *tok,
					    size_t n)
{
	struct pub_span none = { tok[0].p, 0 };

	if (n == 3)
		return tok[2];
	if ((n != 5 && n != 6) ||
	    !pub_digits_shape(tok[n - 2], "dddd-dd-dd") ||
	    !pub_digits_shape(tok[n - 1], "dd:dd:dd") ||
	    (n == 6 && !pub_chars_ok(tok[2], "/._-")))
		return none;
	return tok[n - 3];
}

static int pub_updateinfo_line(struct pub_ctx *c, struct pub_span line)
{
	struct pub_span tok[6], nevra, name, arch;
	size_t n = pub_split(line, tok, 6);
	int security;

	if (n < 3 || n > 6)
		return 0;
	nevra = pub_updateinfo_nevra(tok, n);
	if (nevra.n == 0 || !pub_chars_ok(tok[0], "-_.:") ||
	    !pub_chars_ok(tok[1], "/._-") ||
	    !pub_rpm_nevra(nevra, &name, &arch))
		return 0;
	security = pub_span_icontains(tok[1], "sec.") ||
		   pub_span_icontains(tok[1], "security");
	return pub_ctx_add_arch(c, name, arch, security);
}

int pub_parse_dnf_updateinfo(const char *buf, size_t len, int status,
			     struct pub_result *r, char *err, size_t errlen)
{
	struct pub_ctx c = { r, err, errlen, 0, NULL };

	if (status != 0)
		return pub_fail(err, errlen, "dnf updateinfo", status, buf,
				len);
	r->security_known = 1;
	return pub_each_line(buf, len, pub_updateinfo_line, &c);
}
