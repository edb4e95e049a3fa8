/* SPDX-License-Identifier: MIT */
/*
 * Alpine apk: "apk list --upgradable" (apk-list) and "apk version -l '<'"
 * (apk-version).  apk has no security classification; any exit status but
 * 0 is a failure.
 *
 * apk lists from whatever indexes it could read and exits 0 when one could
 * not be fetched: the only sign is a line on stderr, "WARNING: fetching
 * URL: could not connect to server (check repositories file)" and the
 * like.  The backend runs apk with stderr joined to stdout, and any such
 * line, or any "ERROR:", fails the parse, quoting the line (which names
 * the repository).  Packages pinned to a tagged repository (@tag) are
 * upgradable only from the repositories of their tag, and apk leaves the
 * others out of the listing itself.
 */
#include <stdio.h>
#include <string.h>

#include "publisher/parse.h"
#include "publisher/parse_formats.h"

#define PUB_APK_CHARS "._+-"

/* 1 if s starts with a digit. */
static int pub_digit_first(struct pub_span s)
{
	return s.n > 0 && s.p[0] >= '0' && s.p[0] <= '9';
}

/*
 * The name in "NAME-VERSION-rREL" (names contain dashes too: the version is
 * the last two fields), or an empty span when s is not of that shape.
 */
static struct pub_span pub_apk_name(struct pub_span s)
{
	struct pub_span none = { s.p, 0 }, ver, name = s;
	size_t i = s.n, dashes = 0;

	while (i > 0 && dashes < 2)
		if (s.p[--i] == '-')
			dashes++;
	if (dashes < 2 || i == 0)
		return none;
	name.n = i;
	ver.p = s.p + i + 1;
	ver.n = s.n - i - 1;
	if (!pub_digit_first(ver) || !pub_chars_ok(name, PUB_APK_CHARS) ||
	    s.p[s.n - 1] < '0' || s.p[s.n - 1] > '9')
		return none;
	return name;
}

/*
 * 1 if line says an index was not read: "ERROR: ...", or a warning about
 * fetching, opening or updating a repository ("WARNING: fetching URL:
 * temporary error (try again later)", "WARNING: opening from cache URL: No
 * such file or directory", "WARNING: updating and opening URL: ...").
 * Other warnings ("This apk-tools is OLD!") are advice.
 */
static int pub_apk_failed(struct pub_span line)
{
	static const char *const what[] = {
		"fetch", "opening", "updating", "unavailable", "stale",
		"temporary error", "failed", NULL
	};
	size_t i;

	if (pub_span_starts(line, "ERROR:"))
		return 1;
	if (!pub_span_starts(line, "WARNING:"))
		return 0;
	for (i = 0; what[i] != NULL; i++)
		if (pub_span_icontains(line, what[i]))
			return 1;
	return 0;
}

/* Fails the parse on a line that says an index was not read. */
static int pub_apk_check(struct pub_ctx *c, struct pub_span line)
{
	const char *what = c->state;

	if (!pub_apk_failed(line))
		return 0;
	/* Not pub_fail: "exited with status 0" would be true, and misleading. */
	snprintf(c->err, c->errlen, "%s: an index was not read: %.*s", what,
		 (int)(line.n > PUB_QUOTE_MAX ? PUB_QUOTE_MAX : line.n),
		 line.p);
	for (char *p = c->err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
	return -1;
}

/*
 * "NAME-VER-rN ARCH {ORIGIN} (LICENSE) [upgradable from: NAME-OLD]": the
 * candidate NAME-VER-rN, the installed NAME-OLD.
 */
static int pub_apk_list_line(struct pub_ctx *c, struct pub_span line)
{
	struct pub_span tok[3], name, from, none = { NULL, 0 }, old = none;
	struct pub_span cand;
	size_t i;

	if (pub_apk_check(c, line) != 0)
		return -1;
	if (pub_split(line, tok, 3) < 3 || tok[2].p[0] != '{' ||
	    !pub_span_icontains(line, "[upgradable from"))
		return 0;
	name = pub_apk_name(tok[0]);
	if (name.n == 0 || !pub_chars_ok(tok[1], "_"))
		return 0;
	if (pub_ctx_add(c, name, 0) != 0)
		return -1;
	cand.p = tok[0].p + name.n + 1;
	cand.n = tok[0].n - name.n - 1;
	for (i = 0; i + 16 <= line.n; i++) {
		from.p = line.p + i;
		from.n = line.n - i;
		if (pub_span_starts(from, "[upgradable from"))
			break;
	}
	/* "[upgradable from: NAME-OLD]": the same name, then its version. */
	if (i + 16 <= line.n) {
		struct pub_span t[4];
		size_t n = pub_split(from, t, 4);

		if (n == 3 && t[2].n > name.n + 2 &&
		    t[2].p[t[2].n - 1] == ']' &&
		    pub_apk_name((struct pub_span){ t[2].p, t[2].n - 1 }).n ==
		    name.n && memcmp(t[2].p, name.p, name.n) == 0) {
			old.p = t[2].p + name.n + 1;
			old.n = t[2].n - name.n - 2;
		}
	}
	return pub_ctx_versions(c, old, cand);
}

/* "NAME-VER-rN    < NEWVER"; the "Installed: Available:" header is not. */
static int pub_apk_version_line(struct pub_ctx *c, struct pub_span line)
{
	struct pub_span tok[3], name;

	if (pub_apk_check(c, line) != 0)
		return -1;
	if (pub_split(line, tok, 3) != 3 || !pub_span_is(tok[1], "<") ||
	    !pub_digit_first(tok[2]))
		return 0;
	name = pub_apk_name(tok[0]);
	if (name.n == 0)
		return 0;
	if (pub_ctx_add(c, name, 0) != 0)
		return -1;
	return pub_ctx_versions(c, (struct pub_span){ tok[0].p + name.n + 1,
			tok[0].n - name.n - 1 }, tok[2]);
}

int pub_parse_apk_list(const char *buf, size_t len, int status,
		       struct pub_result *r, char *err, size_t errlen)
{
	struct pub_ctx c = { r, err, errlen, 0, (void *)"apk list" };

	if (status != 0)
		return pub_fail(err, errlen, "apk list", status, buf, len);
	return pub_each_line(buf, len, pub_apk_list_line, &c);
}

int pub_parse_apk_version(const char *buf, size_t len, int status,
			  struct pub_result *r, char *err, size_t errlen)
{
	struct pub_ctx c = { r, err, errlen, 0, (void *)"apk version" };

	if (status != 0)
		return pub_fail(err, errlen, "apk version", status, buf, len);
	return pub_each_line(buf, len, pub_apk_version_line, &c);
}
