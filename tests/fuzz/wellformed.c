/* SPDX-License-Identifier: MIT */
/*
 * What each of shm-reader's outputs must look like whatever the segment
 * held: the text within Docker's limits, JSON that parses (RFC 8259, strict
 * on UTF-8: tests/support/json.c), Prometheus text exposition lines, one
 * Nagios plugin line; in all of them only well-formed UTF-8, and no C1
 * control or bidi formatting character.
 */
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "tests/support/json.h"

/* The code point of the well-formed sequence p[0..u). */
static unsigned code_point(const unsigned char *p, size_t u)
{
	if (u == 1)
		return p[0];
	if (u == 2)
		return (unsigned)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	if (u == 3)
		return (unsigned)(p[0] & 0x0f) << 12 |
		       (unsigned)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	return 0x10000;		/* past every code point judged here */
}

/* What no output may hold as it is, whatever the segment held: ill-formed
 * UTF-8, a C1 control, a bidirectional formatting character. */
static const char *unsafe(const char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)out;
	const unsigned char *end = p + n;
	unsigned cp;
	size_t u;

	while (p < end) {
		u = tst_utf8_len(p);
		if (u == 0)
			return "ill-formed UTF-8";
		cp = code_point(p, u);
		if (cp >= 0x80 && cp <= 0x9f)
			return "a C1 control";
		if (cp == 0x61c || cp == 0x200e || cp == 0x200f ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return "a bidi formatting character";
		p += u;
	}
	return NULL;
}

/* Length and NUL: the whole of every output, under RPT_FORMAT_MAX, ending
 * in its one final newline, and nothing unsafe() refuses. */
static const char *shape(const char *out, size_t n)
{
	if (n != strlen(out))
		return "NUL inside, or length returned wrong";
	if (n == 0)
		return "empty";
	if (n >= RPT_FORMAT_MAX)
		return "RPT_FORMAT_MAX bytes or more";
	if (out[n - 1] != '\n')
		return "no final newline";
	return unsafe(out, n);
}

const char *fz_text_bad(const char *out, size_t n)
{
	const char *why = shape(out, n), *nl;
	size_t i;

	if (why != NULL)
		return why;
	nl = strchr(out, '\n');
	if ((size_t)(nl - out) + 1 >= RPT_LINE_MAX)
		return "first line RPT_LINE_MAX bytes or more";
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)out[i];

		if ((ch < 0x20 && ch != '\n') || ch == 0x7f)
			return "control byte";
		if (ch == '\n' && (i == 0 || out[i - 1] == '\n'))
			return "empty line";
	}
	return NULL;
}

/* ---- JSON ---- */

const char *fz_json_bad(const char *out, size_t n, int healthy)
{
	const char *why = shape(out, n), *s = out;

	if (why != NULL)
		return why;
	if (!tst_json_line(s))
		return "not one JSON value on one line";
	if (strncmp(out, healthy ? "{\"healthy\":true," :
		    "{\"healthy\":false,", 16 + !healthy) != 0)
		return "\"healthy\" missing or not the verdict's";
	return NULL;
}

/* ---- Prometheus text exposition format 0.0.4 ---- */

/* Skips a metric (colons) or label name; 0 if there is none at s. */
static size_t prom_name(const char *s, int colons)
{
	size_t i = 0;

	while ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
	       s[i] == '_' || (colons && s[i] == ':') ||
	       (i > 0 && s[i] >= '0' && s[i] <= '9'))
		i++;
	return i;
}

/* A label value up to its closing quote: escapes \\ \" \n only, valid
 * UTF-8.  Returns the bytes after the quote, or NULL. */
static const char *prom_label_value(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t u;

	while (*p != '"') {
		if (*p == '\n' || *p == '\0')
			return NULL;
		if (*p == '\\') {
			if (p[1] != '\\' && p[1] != '"' && p[1] != 'n')
				return NULL;
			p += 2;
			continue;
		}
		if ((u = tst_utf8_len(p)) == 0)
			return NULL;
		p += u;
	}
	return (const char *)p + 1;
}

/* A sample line of the metric last TYPE'd: name{label="v",...} integer. */
static const char *prom_sample(const char *line, const char *typed,
			       size_t typed_len, const char **value)
{
	const char *p = line;
	size_t k = prom_name(p, 1);

	if (k == 0 || k != typed_len || strncmp(p, typed, k) != 0)
		return "sample not after its own TYPE line";
	p += k;
	if (*p == '{') {
		do {
			k = prom_name(++p, 0);
			if (k == 0 || p[k] != '=' || p[k + 1] != '"')
				return "bad label";
			p = prom_label_value(p + k + 2);
			if (p == NULL || (*p != '}' && *p != ','))
				return "bad label value";
		} while (*p == ',');
		p++;
	}
	if (*p++ != ' ')
		return "no space before the value";
	*value = p;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return "value not an integer";
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\n' ? NULL : "junk after the value";
}

/* Whether the series at line (name and labels, up to the space before the
 * value) came on an earlier line: each series must appear once. */
static int prom_repeated(const char *out, const char *line)
{
	size_t k = (size_t)(strchr(line, '\n') - line);
	const char *p;

	while (k > 0 && line[k] != ' ')
		k--;
	for (p = out; p < line; p = strchr(p, '\n') + 1)
		if (p[0] != '#' && strncmp(p, line, k + 1) == 0)
			return 1;
	return 0;
}

static const char *prom_line(const char *out, const char *line,
			     const char **typed, size_t *typed_len,
			     const char **value)
{
	size_t k;

	if (strncmp(line, "# HELP ", 7) == 0) {
		k = prom_name(line + 7, 1);
		return k > 0 && line[7 + k] == ' ' ? NULL : "bad HELP line";
	}
	if (strncmp(line, "# TYPE ", 7) == 0) {
		k = prom_name(line + 7, 1);
		if (k == 0 || strncmp(line + 7 + k, " gauge\n", 7) != 0)
			return "bad TYPE line";
		*typed = line + 7;
		*typed_len = k;
		return NULL;
	}
	if (prom_repeated(out, line))
		return "series repeated";
	return prom_sample(line, *typed, *typed_len, value);
}

const char *fz_prom_bad(const char *out, size_t n, int healthy)
{
	const char *why = shape(out, n), *line, *typed = "", *value = NULL;
	const char *last = NULL;
	size_t typed_len = 0;

	if (why != NULL)
		return why;
	for (line = out; *line != '\0'; line = strchr(line, '\n') + 1) {
		if (*line == '\n')
			return "empty line";
		why = prom_line(out, line, &typed, &typed_len, &value);
		if (why != NULL)
			return why;
		last = line;
	}
	/* The answer is the last sample, and nothing may have pushed it out. */
	if (last == NULL || strncmp(last, "shmhealth_healthy ", 18) != 0)
		return "shmhealth_healthy is not the last line";
	if (strcmp(value, healthy ? "1\n" : "0\n") != 0)
		return "shmhealth_healthy is not the verdict";
	return NULL;
}

/* ---- Nagios ---- */

const char *fz_nagios_bad(const char *out, size_t n, int state)
{
	static const char *const words[] = {
		"SHMHEALTH OK - ", "SHMHEALTH WARNING - ",
		"SHMHEALTH CRITICAL - ", "SHMHEALTH UNKNOWN - ",
	};
	const char *why = shape(out, n), *bar;
	size_t i;

	if (why != NULL)
		return why;
	if (state < 0 || state > 3)
		return "state out of 0..3";
	if (strncmp(out, words[state], strlen(words[state])) != 0)
		return "does not start with its state";
	for (i = 0; i < n - 1; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			return "not one line, or a control byte";
	bar = strchr(out, '|');
	if (bar != NULL && strchr(bar + 1, '|') != NULL)
		return "more than one '|'";
	return NULL;
}
