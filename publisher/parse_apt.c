/* SPDX-License-Identifier: MIT */
/*
 * Debian apt: "apt list --upgradable" (apt-list) and "apt-get -s upgrade" or
 * "dist-upgrade" (apt-get).  Security means a "-security" suite or origin.
 * apt-get's simulation is what an upgrade would install; the packages it
 * keeps back (held, phased or not installable) are listed apart, never
 * pending, and those its phasing section names are phased.
 * A package installed for two architectures is two packages, as apt counts
 * them; apt-get names the foreign one NAME:ARCH and so does apt-list for a
 * name's second architecture.  Any exit status but 0 is a failure.
 */
#include <string.h>

#include "publisher/parse.h"
#include "publisher/parse_formats.h"

#define PUB_DEB_CHARS "+.-_:"

static int pub_digit_first(struct pub_span s)
{
	return s.n > 0 && s.p[0] >= '0' && s.p[0] <= '9';
}

/*
 * The package line before the current one.  apt lists a package installed
 * for two architectures as two lines with the same name, one after the
 * other; dpkg and apt count them as two packages ("libc6", "libc6:i386").
 */
struct pub_apt_prev {
	char name[PUB_NAME_MAX + 1];
	size_t name_n;
	char arch[PUB_NAME_MAX + 1];
	size_t arch_n;
};

/* 1 if name repeats the previous line's name with another architecture. */
static int pub_apt_other_arch(struct pub_apt_prev *prev, struct pub_span name,
			      struct pub_span arch)
{
	if (prev->name_n == name.n && memcmp(prev->name, name.p, name.n) == 0)
		return !(prev->arch_n == arch.n &&
			 memcmp(prev->arch, arch.p, arch.n) == 0);
	memcpy(prev->name, name.p, name.n);	/* both checked <= NAME_MAX */
	prev->name_n = name.n;
	memcpy(prev->arch, arch.p, arch.n);
	prev->arch_n = arch.n;
	return 0;
}

/* Adds NAME, or NAME:ARCH for the second architecture of a package. */
static int pub_apt_add(struct pub_ctx *c, struct pub_span name,
		       struct pub_span arch, int security)
{
	char buf[2 * PUB_NAME_MAX + 2];
	struct pub_span both = { buf, name.n + 1 + arch.n };

	if (!pub_apt_other_arch(c->state, name, arch))
		return pub_ctx_add(c, name, security);
	memcpy(buf, name.p, name.n);
	buf[name.n] = ':';
	memcpy(buf + name.n + 1, arch.p, arch.n);
	return pub_ctx_add(c, both, security);
}

/* "NAME/SUITE[,SUITE...] VERSION ARCH [upgradable from: OLD]" */
static int pub_apt_list_line(struct pub_ctx *c, struct pub_span line)
{
	struct pub_span tok[3], name, suites;
	const char *slash;

	if (pub_split(line, tok, 3) < 3)
		return 0;
	slash = memchr(tok[0].p, '/', tok[0].n);
	if (slash == NULL)
		return 0;
	name.p = tok[0].p;
	name.n = (size_t)(slash - tok[0].p);
	suites.p = slash + 1;
	suites.n = tok[0].n - name.n - 1;
	if (!pub_chars_ok(name, PUB_DEB_CHARS) ||
	    !pub_chars_ok(suites, ",.-_+/") || !pub_digit_first(tok[1]) ||
	    !pub_chars_ok(tok[2], "-_"))
		return 0;
	return pub_apt_add(c, name, tok[2],
			   pub_span_icontains(suites, "-security"));
}

/*
 * The "(NEWVER ORIGIN[, ORIGIN] [ARCH])" group of an Inst line, or an empty
 * span.  Later bracketed fields name other packages and must not count.
 */
static struct pub_span pub_apt_origins(struct pub_span line, size_t from)
{
	struct pub_span g = { line.p, 0 };
	const char *open, *close;

	if (from >= line.n)
		return g;
	open = memchr(line.p + from, '(', line.n - from);
	if (open == NULL)
		return g;
	close = memchr(open, ')', (size_t)(line.p + line.n - open));
	if (close == NULL)
		return g;
	g.p = open + 1;
	g.n = (size_t)(close - open - 1);
	return g;
}

/* Which list of apt-get's report the indented lines belong to. */
enum pub_apt_section { PUB_APT_OTHER, PUB_APT_KEPT, PUB_APT_PHASED };

/* The titles apt prints before the kept and the phased lists (its older
 * and its 3.0 wording). */
static enum pub_apt_section pub_apt_title(struct pub_span line)
{
	if (pub_span_is(line, "The following packages have been kept back:") ||
	    pub_span_is(line, "Not upgrading:"))
		return PUB_APT_KEPT;
	if (pub_span_is(line, "The following upgrades have been deferred due "
			"to phasing:") ||
	    pub_span_is(line, "Not upgrading yet due to phasing:"))
		return PUB_APT_PHASED;
	return PUB_APT_OTHER;
}

/* An indented line of a kept or phased list: names, and with
 * Show-Versions "(OLD => NEW)", whose tokens are no names. */
static int pub_apt_kept_line(struct pub_ctx *c, struct pub_span line,
			     enum pub_apt_section sec)
{
	struct pub_span rest = line, tok[1];

	while (pub_split(rest, tok, 1) > 0) {
		unsigned char first = (unsigned char)tok[0].p[0];

		if (pub_chars_ok(tok[0], PUB_DEB_CHARS) &&
		    ((first >= 'a' && first <= 'z') ||
		     (first >= '0' && first <= '9')) &&
		    pub_ctx_keep(c, tok[0], sec == PUB_APT_PHASED ?
				 PUB_PHASED : PUB_KEPT) != 0)
			return -1;
		rest.n -= (size_t)(tok[0].p + tok[0].n - rest.p);
		rest.p = tok[0].p + tok[0].n;
	}
	return 0;
}

/* "[OLDVER]" of an Inst line, or an empty span for a new package. */
static struct pub_span pub_apt_old(struct pub_span tok)
{
	struct pub_span v = { NULL, 0 };

	if (tok.n >= 3 && tok.p[0] == '[' && tok.p[tok.n - 1] == ']') {
		v.p = tok.p + 1;
		v.n = tok.n - 2;
	}
	return v;
}

/* "Inst NAME [OLDVER] (NEWVER ORIGINS [ARCH]) [...]"; "Conf" lines repeat. */
static int pub_apt_inst_line(struct pub_ctx *c, struct pub_span line)
{
	struct pub_span tok[3], origins, newver[1], old;
	size_t ntok;

	if ((ntok = pub_split(line, tok, 3)) < 2 ||
	    !pub_chars_ok(tok[1], PUB_DEB_CHARS))
		return 0;
	origins = pub_apt_origins(line, (size_t)(tok[1].p + tok[1].n - line.p));
	if (pub_ctx_add(c, tok[1], pub_span_icontains(origins, "-security")))
		return -1;
	old = ntok >= 3 ? pub_apt_old(tok[2]) : (struct pub_span){ NULL, 0 };
	if (pub_split(origins, newver, 1) == 0 ||
	    !pub_chars_ok(newver[0], "+.-~:"))
		newver[0].p = NULL;
	if (old.p != NULL && !pub_chars_ok(old, "+.-~:"))
		old.p = NULL;
	return pub_ctx_versions(c, old, newver[0]);
}

static int pub_apt_get_line(struct pub_ctx *c, struct pub_span line)
{
	enum pub_apt_section *sec = c->state;

	if (pub_span_starts(line, "Inst ")) {
		*sec = PUB_APT_OTHER;
		return pub_apt_inst_line(c, line);
	}
	if (pub_span_indented(line))
		return *sec == PUB_APT_OTHER ? 0 :
		       pub_apt_kept_line(c, line, *sec);
	*sec = pub_apt_title(pub_span_trim(line));
	return 0;
}

int pub_parse_apt_list(const char *buf, size_t len, int status,
		       struct pub_result *r, char *err, size_t errlen)
{
	struct pub_apt_prev prev = { .name_n = 0 };
	struct pub_ctx c = { r, err, errlen, 0, &prev };

	if (status != 0)
		return pub_fail(err, errlen, "apt list", status, buf, len);
	r->security_known = 1;
	return pub_each_line(buf, len, pub_apt_list_line, &c);
}

int pub_parse_apt_get(const char *buf, size_t len, int status,
		      struct pub_result *r, char *err, size_t errlen)
{
	enum pub_apt_section sec = PUB_APT_OTHER;
	struct pub_ctx c = { r, err, errlen, 0, &sec };

	if (status != 0)
		return pub_fail(err, errlen, "apt-get", status, buf, len);
	r->security_known = 1;
	return pub_each_line(buf, len, pub_apt_get_line, &c);
}

/* The line at p (up to end), without its line end. */
static struct pub_span pub_apt_line(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	struct pub_span l = { p, (size_t)((nl ? nl : end) - p) };

	return l;
}

unsigned pub_apt_fetch_errors(const char *buf, size_t len, char *first,
			      size_t size)
{
	const char *p = buf, *end = buf + len, *sp;
	char where[160], why[160];
	unsigned n = 0;

	first[0] = '\0';
	while (p < end) {
		struct pub_span l = pub_apt_line(p, end), next;

		p = l.p + l.n + 1;
		if (!pub_span_starts(l, "Err:") || n++ > 0 ||
		    (sp = memchr(l.p, ' ', l.n)) == NULL)
			continue;
		pub_quote(sp + 1, (size_t)(l.p + l.n - sp - 1), where,
			  sizeof(where));
		next = p < end ? pub_apt_line(p, end) :
		       (struct pub_span){ p, 0 };
		if (pub_span_indented(next))
			pub_quote(next.p, next.n, why, sizeof(why));
		else
			why[0] = '\0';
		snprintf(first, size, "%s%s%s", where, why[0] ? ": " : "",
			 why);
	}
	return n;
}
