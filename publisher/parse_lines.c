/* SPDX-License-Identifier: MIT */
/*
 * The "lines" format of --update-command: one pending package per line, its
 * first word being the name; blank lines are skipped and empty output means
 * none.  Exit status 0 is success, anything else a failure.
 */
#include <stdio.h>

#include "publisher/parse.h"
#include "publisher/parse_formats.h"

/* 1 if every byte of s is visible: printable ASCII or part of UTF-8. */
static int pub_visible(struct pub_span s)
{
	size_t i;

	if (s.n == 0 || s.n > PUB_NAME_MAX)
		return 0;
	for (i = 0; i < s.n; i++) {
		unsigned char ch = (unsigned char)s.p[i];

		if (ch < 0x21 || ch == 0x7f)
			return 0;
	}
	return 1;
}

static int pub_lines_line(struct pub_ctx *c, struct pub_span line)
{
	struct pub_span tok[1];

	if (pub_split(line, tok, 1) == 0)
		return 0;
	if (!pub_visible(tok[0])) {
		/* Garbage in a format that promises names: fail, never guess. */
		snprintf(c->err, c->errlen,
			 "line %zu is not a package name (%s)", c->lineno,
			 tok[0].n > PUB_NAME_MAX ? "too long" :
			 "control characters");
		return -1;
	}
	return pub_ctx_add(c, tok[0], 0);
}

int pub_parse_lines(const char *buf, size_t len, int status,
		    struct pub_result *r, char *err, size_t errlen)
{
	struct pub_ctx c = { r, err, errlen, 0, NULL };

	if (status != 0)
		return pub_fail(err, errlen, "update command", status, buf, len);
	return pub_each_line(buf, len, pub_lines_line, &c);
}
