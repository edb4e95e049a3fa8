/* SPDX-License-Identifier: MIT */
/*
 * An independent JSON syntax check (RFC 8259, strict on UTF-8) for the
 * tests and the fuzzer: shm-reader's JSON must pass it whatever the
 * segment held.
 */
#include <string.h>

#include "tests/support/json.h"

size_t tst_utf8_len(const unsigned char *s)
{
	static const unsigned long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	unsigned long cp;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	n = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 :
	    (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (n == 0)
		return 0;
	cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static int json_value(const char **s, int depth);

static void json_ws(const char **s)
{
	while (**s == ' ' || **s == '\t' || **s == '\n' || **s == '\r')
		(*s)++;
}

static int json_escape(const unsigned char **p)
{
	int i;

	if (**p == 'u') {
		for (i = 1; i <= 4; i++)
			if ((*p)[i] == 0 ||
			    !strchr("0123456789abcdefABCDEF", (*p)[i]))
				return 0;
		*p += 5;
		return 1;
	}
	if (**p != 0 && strchr("\"\\/bfnrt", **p)) {
		(*p)++;
		return 1;
	}
	return 0;
}

static int json_string(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t n;

	if (*p++ != '"')
		return 0;
	while (*p != '"') {
		if (*p < 0x20)
			return 0;
		if (*p == '\\') {
			p++;
			if (!json_escape(&p))
				return 0;
			continue;
		}
		if ((n = tst_utf8_len(p)) == 0)
			return 0;
		p += n;
	}
	*s = (const char *)p + 1;
	return 1;
}

static int json_number(const char **s)
{
	const char *p = *s;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9' || (*p == '0' && p[1] >= '0' && p[1] <= '9'))
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		if (*++p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	*s = p;
	return 1;
}

/* An object or array: members separated by commas, keys strings. */
static int json_compound(const char **s, int depth, int object)
{
	char close = object ? '}' : ']';

	(*s)++;
	json_ws(s);
	if (**s == close) {
		(*s)++;
		return 1;
	}
	for (;;) {
		json_ws(s);
		if (object && (!json_string(s) || (json_ws(s), **s != ':')))
			return 0;
		if (object)
			(*s)++;
		if (!json_value(s, depth + 1))
			return 0;
		json_ws(s);
		if (**s == close) {
			(*s)++;
			return 1;
		}
		if (*(*s)++ != ',')
			return 0;
	}
}

static int json_value(const char **s, int depth)
{
	static const char *const words[] = { "true", "false", "null" };
	size_t i;

	json_ws(s);
	if (depth > 16)
		return 0;
	if (**s == '{' || **s == '[')
		return json_compound(s, depth, **s == '{');
	if (**s == '"')
		return json_string(s);
	for (i = 0; i < 3; i++) {
		if (strncmp(*s, words[i], strlen(words[i])) == 0) {
			*s += strlen(words[i]);
			return 1;
		}
	}
	return json_number(s);
}

int tst_json_line(const char *s)
{
	if (!json_value(&s, 0) || *s++ != '\n')
		return 0;
	return *s == '\0';
}
