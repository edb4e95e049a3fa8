/* SPDX-License-Identifier: MIT */
/*
 * Alpine apk: "apk list --upgradable" (apk-list) and "apk version -l '<'"
 * (apk-version).  apk has no security classification; any exit status but
 * 0 is a failure.
 */
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

/* "NAME-VER-rN ARCH {ORIGIN} (LICENSE) [upgradable from: NAME-OLD]" */
static int pub_apk_list_line(struct pub_ctx *c, struct pub_span line)
{
	struct pub_span tok[3], name;

	if (pub_split(line, tok, 3) < 3 || tok[2].p[0] != '{' ||
	    !pub_span_icontains(line, "[upgradable from"))
		return 0;
	name = pub_apk_name(tok[0]);
	if (name.n == 0 || !pub_chars_ok(tok[1], "_"))
		return 0;
	return pub_ctx_add(c, name, 0);
}

/* "NAME-VER-rN    < NEWVER"; the "Installed: Available:" header is not. */
static int pub_apk_version_line(struct pub_ctx *c, struct pub_span line)
{
	struct pub_span tok[3], name;

	if (pub_split(line, tok, 3) != 3 || !pub_span_is(tok[1], "<") ||
	    !pub_digit_first(tok[2]))
		return 0;
	name = pub_apk_name(tok[0]);
	if (name.n == 0)
		return 0;
	return pub_ctx_add(c, name, 0);
}

int pub_parse_apk_list(const char *buf, size_t len, int status,
		       struct pub_result *r, char *err, size_t errlen)
{
	struct pub_ctx c = { r, err, errlen, 0, NULL };

	if (status != 0)
		return pub_fail(err, errlen, "apk list", status, buf, len);
	return pub_each_line(buf, len, pub_apk_list_line, &c);
}

int pub_parse_apk_version(const char *buf, size_t len, int status,
			  struct pub_result *r, char *err, size_t errlen)
{
	struct pub_ctx c = { r, err, errlen, 0, NULL };

	if (status != 0)
		return pub_fail(err, errlen, "apk version", status, buf, len);
	return pub_each_line(buf, len, pub_apk_version_line, &c);
}
