/* SPDX-License-Identifier: MIT */
/*
 * Arch pacman: "pacman -Qu" (pacman) and pacman-contrib's "checkupdates"
 * (checkupdates), both printing "NAME OLDVER -> NEWVER".  A trailing
 * "[ignored]" (IgnorePkg or IgnoreGroup; translated in other locales) is an
 * update "pacman -Su" would not install: held, listed apart, never pending.
 * pacman -Qu exits 1 when it lists nothing; checkupdates exits 2 for none
 * and 1 on failure.  No security classification.
 */
#include "publisher/parse.h"
#include "publisher/parse_formats.h"

#define PUB_PACMAN_VER_CHARS "._+:~-"

/* 1 if s is a bracketed word: "[ignored]", "[Ignoriert]", ... */
static int pub_bracketed(struct pub_span s)
{
	return s.n > 2 && s.p[0] == '[' && s.p[s.n - 1] == ']';
}

/*
 * "NAME OLD -> NEW", pending, or "NAME OLD -> NEW [ignored]", held: the
 * marker is the only word pacman adds, and it is translated, so any
 * bracketed fifth word holds the package back.
 */
static int pub_pacman_line(struct pub_ctx *c, struct pub_span line)
{
	struct pub_span tok[5];
	size_t n = pub_split(line, tok, 5);

	if ((n != 4 && n != 5) || !pub_span_is(tok[2], "->") ||
	    !pub_chars_ok(tok[0], "@._+-") ||
	    !pub_chars_ok(tok[1], PUB_PACMAN_VER_CHARS) ||
	    !pub_chars_ok(tok[3], PUB_PACMAN_VER_CHARS))
		return 0;
	if (n == 5) {
		if (!pub_bracketed(tok[4]))
			return 0;
		return pub_ctx_keep(c, tok[0], PUB_HELD);
	}
	if (pub_ctx_add(c, tok[0], 0) != 0)
		return -1;
	return pub_ctx_versions(c, tok[1], tok[3]);
}

/* 1 if buf holds anything but blanks and line ends. */
static int pub_has_text(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' &&
		    buf[i] != '\r')
			return 1;
	return 0;
}

int pub_parse_pacman(const char *buf, size_t len, int status,
		     struct pub_result *r, char *err, size_t errlen)
{
	struct pub_ctx c = { r, err, errlen, 0, NULL };

	/* -Qu exits 1 when nothing is upgradable; with output it failed. */
	if (status == 1 && !pub_has_text(buf, len))
		return 0;
	if (status != 0)
		return pub_fail(err, errlen, "pacman -Qu", status, buf, len);
	return pub_each_line(buf, len, pub_pacman_line, &c);
}

int pub_parse_checkupdates(const char *buf, size_t len, int status,
			   struct pub_result *r, char *err, size_t errlen)
{
	struct pub_ctx c = { r, err, errlen, 0, NULL };

	if (status == 2)
		return 0;
	if (status != 0)
		return pub_fail(err, errlen, "checkupdates", status, buf, len);
	return pub_each_line(buf, len, pub_pacman_line, &c);
}
